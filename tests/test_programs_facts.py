"""Facts tests for rules/facts/programs/*.yaml and rules/facts/agencies.yaml, and the
name-matching thresholds they are used with (plancheck/extract/programs.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import regex
import yaml

from plancheck.extract import programs as P
from plancheck.extract.agencies import canonical, load_facts

FACTS = Path(__file__).resolve().parent.parent / "plancheck" / "rules" / "facts"
STATUSES = {"verified", "corroborated", "memory", "unknown"}
CATALOG_KEYS = {"program", "kind", "period", "years", "status", "name", "approved_by", "source", "areas", "projects"}
PROJECT_KEYS = {"number", "name", "short_names", "areas", "status", "subprojects", "note", "topics"}
SUB_KEYS = {"number", "name", "short_names", "areas", "status", "note", "topics"}


def _catalog_files():
    return [
        p for p in sorted((FACTS / "programs").glob("*.yaml")) if yaml.safe_load(p.read_text())["kind"] == "catalog"
    ]


@pytest.mark.parametrize("path", _catalog_files(), ids=lambda p: p.stem)
def test_catalog_schema(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    P.validate_catalog(data, path.name)  # the schema a province's own catalog (extra-facts) is held to
    assert set(data) <= CATALOG_KEYS, set(data) - CATALOG_KEYS
    assert {"program", "period", "years", "status", "name", "projects"} <= set(data)
    a, b = data["years"]
    assert data["period"] == f"{a}-{b}" and a < b
    assert data["status"] in STATUSES
    ab = data["approved_by"]
    assert isinstance(ab["date"], dt.date) and ab["date"].year <= b
    if data["status"] == "unknown":
        assert data["projects"] == []  # guess nothing
        return
    numbers = [p["number"] for p in data["projects"]]
    assert numbers == list(range(1, len(numbers) + 1)), "projects numbered 1..n"
    for p in data["projects"]:
        assert set(p) <= PROJECT_KEYS, set(p) - PROJECT_KEYS
        assert p["status"] in STATUSES and p["name"].strip() == p["name"]
        for area in p.get("areas") or []:
            assert area in data["areas"], f"unknown area {area}"
        subs = p.get("subprojects") or []
        assert [s["number"] for s in subs] == list(range(1, len(subs) + 1))
        for s in subs:
            assert set(s) <= SUB_KEYS and s["status"] in STATUSES
            for area in s.get("areas") or []:
                assert area in data["areas"]


def test_catalogs_cover_periods_without_overlap():
    cats = P.load_catalogs()
    assert [c.period for c in cats] == ["2016-2020", "2021-2025", "2026-2030"]
    for x, y in zip(cats, cats[1:], strict=False):
        assert x.end < y.start
    assert P.catalog_for(year=2019).period == "2016-2020"
    assert P.catalog_for(year=2022).period == "2021-2025"
    assert P.catalog_for(year=2026).known is False
    assert P.catalog_for(period="2016 – 2020").period == "2016-2020"
    assert P.catalog_for(year=2010) is None


def test_2021_2025_catalog_matches_facts():
    c = P.catalog_for(period="2021-2025")
    assert [p.project for p in c.projects()] == [1, 2, 3, 4, 5, 6, 7]
    assert c.items["DA4.TDA3"].name == "Hỗ trợ việc làm bền vững"  # FACTS.md §0 PC402
    assert c.items["DA6.TDA2"].name == "Truyền thông về giảm nghèo đa chiều"
    assert c.items["DA5"].areas == ("HN",) and set(c.items["DA1"].areas) == {"HN", "XBN"}
    assert not c.items["DA2"].areas and not c.items["DA4"].children == ()
    assert c.items["DA3.TDA2"].label == "Tiểu dự án 2 (Dự án 3)"


def test_program_names_file():
    names = P.load_program_names()
    keys = {p["key"] for p in names["programs"]}
    assert {"gnbv", "ntm", "dtts", "merged"} <= keys
    dtts = next(p for p in names["programs"] if p["key"] == "dtts")
    assert dtts["regex"].search("Chương trình MTQG phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số")
    for w in names["wrong_names"]:
        assert w["why"]["vi"] and w["why"]["en"] and w["status"] in STATUSES


# ---------------------------------------------------------------- agencies.yaml

AGENCY_KEYS = {
    "id",
    "names",
    "pattern",
    "valid_from",
    "valid_to",
    "uncertain",
    "successor",
    "predecessor",
    "status",
    "note",
    "by_field",
    "two_level",
}


def test_agencies_schema():
    data = yaml.safe_load((FACTS / "agencies.yaml").read_text(encoding="utf-8"))
    ids = [a["id"] for a in data["agencies"]]
    assert len(ids) == len(set(ids))
    for a in data["agencies"]:
        assert set(a) <= AGENCY_KEYS, set(a) - AGENCY_KEYS
        assert bool(a.get("names")) != bool(a.get("pattern")), a["id"]
        assert a.get("valid_from") or a.get("valid_to")
        if a.get("valid_from") and a.get("valid_to"):
            assert a["valid_from"] <= a["valid_to"]
        if a.get("uncertain"):
            lo, hi = a["uncertain"]
            assert lo <= hi
            change = a.get("valid_to") if not a.get("valid_from") else a["valid_from"]
            assert lo <= change + dt.timedelta(days=1) and change <= hi + dt.timedelta(days=1)
        if a.get("pattern"):
            regex.compile(a["pattern"])
        for f in a.get("by_field") or ():
            regex.compile(f["field"])
            assert f["vi"] and f["en"] and set(f) <= {"field", "vi", "en", "from", "to"}
        for side in ("successor", "predecessor", "two_level"):
            if a.get(side):
                assert a[side]["vi"] and a[side]["en"]
        assert a["status"] in STATUSES


@pytest.mark.parametrize(
    "written,fid",
    [
        ("Phòng LĐ-TB&XH", "phong-ldtbxh"),
        ("Phòng Lao động - TB&XH thành phố", "phong-ldtbxh"),
        ("Phòng Lao động – Thương binh và Xã hội", "phong-ldtbxh"),
        ("Sở LĐ-TBXH", "so-ldtbxh"),
        ("Sở LD-TB&XH", "so-ldtbxh"),
        ("Phòng Nông nghiệp - Phát triển Nông thôn", "phong-nnptnt"),
        ("Phòng NN&PTNT huyện", "phong-nnptnt"),
        ("Sở Nông Nghiệp và Môi Trường", "so-nnmt"),
        ("Phòng Văn hoá - Thông tin", "phong-vhtt"),
        ("UBND huyện Đức Trọng", "ubnd-huyen"),
        ("Ủy ban nhân dân Huyện", "ubnd-huyen"),
    ],
)
def test_canonical_abbreviations(written, fid):
    f = canonical(written)
    assert f is not None and f.id == fid


@pytest.mark.parametrize(
    "written",
    [
        "Cán bộ Lao động - Thương binh và Xã hội xã",  # a civil servant, not the office
        "Phòng Kinh tế, Hạ tầng và Đô thị",  # the 2025 successor, not "Phòng Kinh tế - Hạ tầng"
        "Phòng Văn hóa, Khoa học và Thông tin",
        "Sở Nội vụ",
        "UBND xã Thịnh Đức",
        "Bộ Nông nghiệp và Môi trường",
    ],
)
def test_canonical_does_not_confuse(written):
    f = canonical(written)
    assert f is None or f.id not in {"phong-ldtbxh", "phong-ktht", "phong-vhtt", "bo-ldtbxh", "ubnd-huyen", "bo-nnptnt"}


def test_abbreviations_load():
    facts = load_facts()
    assert facts["threshold"] >= 85
    assert any(full == "Lao động - Thương binh và Xã hội" for _, full in facts["abbr"])


# ---------------------------------------------------------------- thresholds
# Written names from the seeds, each with the item it names: all must score at
# least NAME_MATCH on that item and rank it first (FACTS.md §1a "Seen in seeds").
SEED_NAMES = [
    ("Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo", "DA2"),  # 000:65, 001:65 unnumbered
    ("hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng", "DA3"),  # 001:91
    ("phát triển giáo dục nghề nghiệp, việc làm bền vững", "DA4"),  # 001:119
    ("truyền thông và giảm nghèo về thông tin", "DA6"),  # 001:163
    ("nâng cao năng lực và giám sát, đánh giá Chương trình", "DA7"),  # 001:191
    ("Nâng cao năng lực và giám sát đánh giá Chương trình", "DA7"),  # 000:101, 004:294
    ("Nâng cao năng lực, giám sát và đánh giá chương trình", "DA7"),  # 003:240
    ("Phát triển giáo dục nghề nghiệp", "DA4.TDA1"),  # 000:85, 001:121 short form
    ("Hỗ trợ việc làm bền vững", "DA4.TDA3"),  # 001:139 (numbered 2)
    ("Truyền thông về giảm nghèo đa chiều", "DA6.TDA2"),  # 003:156 (numbered as the project)
    ("Giám sát, đánh giá Chương trình", "DA7.TDA2"),  # 003:202
    (
        "Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các xã đặc biệt khó khăn, ven biển và hải đảo",
        "DA1",
    ),  # 004:72
    (
        "Hỗ trợ người lao động đi làm việc ở nước ngoài theo hợp đồng tại các Huyện nghèo, xã đặc biệt khó khăn, "
        "xã bãi ngang ven biển, hải đảo, đồng bào dân tộc thiểu số",
        "DA4.TDA2",
    ),  # 004:197
    ("Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn các huyện nghèo", "DA5"),  # 004:226
    ("Giảm nghèo về thông tin", "DA6.TDA1"),  # 004:234
]
# Headings of the seeds that are not project names (policy headings): all must stay
# below NAME_BARE, the threshold for a heading without the words "Dự án".
LOOK_ALIKES = [
    "Hỗ trợ nhà ở",  # 000:172
    "Hỗ trợ về nhà ở",  # 002:87
    "Hỗ trợ sản xuất, dạy nghề, tạo việc làm cho người nghèo",  # 000:162
    "Hỗ trợ giáo dục và đào tạo",  # 000:168
    "Hỗ trợ phát triển sản xuất",  # 002:55
    "Hỗ trợ dạy nghề gắn với tạo việc làm, xuất khẩu lao động",  # 002:67
    "Hỗ trợ về y tế",  # 002:81
    "Trợ giúp pháp lý",  # 000:176
    "Công tác tuyên truyền",  # 002:107
    "Tăng cường trách nhiệm của cấp ủy, chính quyền trong thực hiện Chương trình",  # 000:51
]


@pytest.mark.parametrize("name,item", SEED_NAMES)
def test_seed_names_are_recognised(name, item):
    cat = P.catalog_for(period="2021-2025")
    ranked = P.best_items(name, cat, 2)
    assert ranked[0][0].id == item, ranked
    assert ranked[0][1] >= P.NAME_MATCH


@pytest.mark.parametrize("heading", LOOK_ALIKES)
def test_policy_headings_are_not_project_names(heading):
    cat = P.catalog_for(period="2021-2025")
    assert P.best_items(heading, cat, 1)[0][1] < P.NAME_BARE - 15


def test_agreement_threshold_separates_conflation():
    """A project given its sub-project's name (003:156) disagrees with its number; the
    official and short wordings of the seeds agree with theirs."""
    cat = P.catalog_for(period="2021-2025")
    g = P.norm_name("Truyền thông về giảm nghèo đa chiều")
    assert P.name_score(g, cat.items["DA6"]) < P.NAME_AGREES
    for name, item in SEED_NAMES:
        assert P.name_score(P.norm_name(name), cat.items[item]) >= P.NAME_AGREES
    # the next-best unrelated item of every seed name is clearly behind (a project's
    # name starts with its first sub-project's short name: "Phát triển giáo dục nghề nghiệp")
    for name, item in SEED_NAMES:
        family = {item, cat.items[item].parent, *cat.items[item].children}
        second = [s for it, s in P.best_items(name, cat, 5) if it.id not in family]
        assert not second or max(second) < P.NAME_MATCH


def test_norm_name_tone_placement_and_punctuation():
    assert P.norm_name("Đa dạng hoá sinh kế;  phát triển") == P.norm_name("đa dạng hóa sinh kế, phát triển")
    assert P.norm_name("Uỷ ban – “MTTQ”") == "ủy ban mttq"
    assert P.norm_name("Hoạt động thuỷ lợi") == "hoạt động thủy lợi"  # closed syllables keep their tone
