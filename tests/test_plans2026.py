"""2026 plans (issue 15): the merged program, the two-level government, a province's own
catalog (extra-facts), the consensus registry, and PC505 judging only agencies given a role."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plancheck.config import load_config
from plancheck.engine import check_document
from plancheck.extract import registry as R
from plancheck.extract.programs import validate_catalog
from plancheck.model import Severity
from plancheck.parse import parse, parse_text
from plancheck.rulebook import load_rules

DATA = Path(__file__).resolve().parent / "data" / "tinh2026"


def _run(doc, *codes):
    rules = [r for r in load_rules() if r.code in codes]
    return [f for f in check_document(doc, rules) if f.code in codes]


# ---------------------------------------------------------------- a province's own catalog


def test_extra_facts_catalog_is_validated_and_used():
    cfg = load_config([str(DATA / "xa-2026.txt")])
    assert cfg.data["extra-facts"] == [str((DATA / "danh-muc-tinh.yaml").resolve())]
    opts = cfg.options()
    doc = parse(DATA / "xa-2026.txt", overrides=dict(opts.overrides))
    assert doc.metadata["catalog"] == "extra:danh-muc-tinh"
    got = _run(doc, "PC401", "PC402")
    assert [f.code for f in got] == ["PC402"]  # "Dự án 3" given the name of the province's Dự án 4
    # without the province's list: no national catalog, said once as information
    bare = parse(DATA / "xa-2026.txt")
    got = _run(bare, "PC401", "PC402", "PC403", "PC404")
    assert [(f.code, f.severity) for f in got] == [("PC401", Severity.INFO)]


def test_extra_facts_bad_catalog_names_the_file(tmp_path):
    bad = tmp_path / "danh-muc.yaml"
    bad.write_text(
        "program: merged\nkind: catalog\nperiod: '2026-2030'\nyears: [2026, 2030]\nstatus: verified\n"
        "name: X\nprojects:\n  - {number: 2, name: Y}\n",
        encoding="utf-8",
    )
    (tmp_path / "plancheck.toml").write_text('extra-facts = ["danh-muc.yaml"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="danh-muc.yaml"):
        load_config([str(tmp_path / "x.txt")])
    (tmp_path / "plancheck.toml").write_text('[programs]\ncatalogs = ["khong-co.yaml"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="khong-co.yaml"):
        load_config([str(tmp_path / "x.txt")])


def test_validate_catalog_rejects_guessed_projects_for_unknown_status():
    data = {
        "program": "merged",
        "kind": "catalog",
        "period": "2026-2030",
        "years": [2026, 2030],
        "status": "unknown",
        "name": "X",
        "projects": [{"number": 1, "name": "Y"}],
    }
    with pytest.raises(ValueError, match="unknown"):
        validate_catalog(data, "x.yaml")


# ---------------------------------------------------------------- consensus registry


def test_consensus_registry_entries():
    cons = R.consensus()
    assert len(cons) > 300
    reg = R.registry()
    for k, e in cons.items():
        assert e.mentions >= 2 and e.status == f"consensus of {e.mentions} mentions"
        base, _, year = k.partition("@")
        v = reg.by_key.get(base)
        assert v is None or (year and (v.date is None or str(v.date.year) != year)), f"{k} is verified"
        n, y, _kh = R.parse_number(e.number)
        assert y is None or y == e.date.year


def test_pc202_on_a_consensus_entry_is_a_warning_never_an_error():
    cons = R.consensus()
    e = cons["123/2020/NĐ-CP"]
    wrong = e.date + dt.timedelta(days=31)
    doc = parse_text(
        "KẾ HOẠCH\n\nThực hiện năm 2026\n\n"
        f"Căn cứ Nghị định số 123/2020/NĐ-CP ngày {wrong.day}/{wrong.month}/{wrong.year} của Chính phủ.\n\n"
        f"Căn cứ Nghị định số 123/2020/NĐ-CP ngày {e.date.day}/{e.date.month}/{e.date.year} của Chính phủ.\n\n"
        "Căn cứ Quyết định số 417/QĐ-BNNMT ngày 31/12/2025 của Bộ trưởng Bộ Nông nghiệp và Môi trường phê duyệt "
        "Chương trình mục tiêu quốc gia xây dựng nông thôn mới, giảm nghèo bền vững.\n"
    )
    got = _run(doc, "PC202")
    sev = {doc.slice(f.span).split()[0]: f.severity for f in got}
    assert sev == {"123/2020/NĐ-CP": Severity.WARNING, "417/QĐ-BNNMT": Severity.ERROR}
    assert "chưa kiểm chứng" in next(f for f in got if f.severity == Severity.WARNING).message.vi


# ---------------------------------------------------------------- PC505 in 2026


def _pc505(text: str, issue: str = "2026-03-10"):
    doc = parse_text(text, overrides={"issue_date": issue})
    return _run(doc, "PC505"), doc


@pytest.mark.parametrize(
    "body",
    [
        "Thực hiện theo Thông tư số 17/2022/TT-BLĐTBXH ngày 06/9/2022 của Bộ trưởng Bộ Lao động - Thương binh và Xã hội.",
        "Hồ sơ do nguyên Phòng Lao động - Thương binh và Xã hội huyện thẩm định tiếp tục được sử dụng.",
        "Sở Nội vụ (Sở Lao động - Thương binh và Xã hội trước sáp nhập) bàn giao hồ sơ.",
        "Kế thừa mô hình “Sở Thông tin và Truyền thông đồng hành cùng người dân” đã tổng kết.",
        "Năm 2024, Phòng Lao động - Thương binh và Xã hội đã hỗ trợ 20 hộ nghèo.",
    ],
)
def test_pc505_history_citations_and_titles_are_not_assignments(body):
    got, _ = _pc505(
        f"KẾ HOẠCH\n\nThực hiện năm 2026\n\nI. NỘI DUNG\n\n{body}\n\nII. TỔ CHỨC THỰC HIỆN\n\nSở Nội vụ chủ trì."
    )
    assert got == []


def test_pc505_annex_task_table_and_field_successor():
    got, doc = _pc505(
        "KẾ HOẠCH\n\nThực hiện năm 2026\n\nI. NỘI DUNG\n\nNhiệm vụ tại Phụ lục.\n\n"
        "| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |\n|---|---|---|---|\n"
        "| 1 | Tuyên truyền trên báo chí về giảm nghèo | Sở Thông tin và Truyền thông | Sở Nội vụ |\n"
    )
    assert len(got) == 1 and doc.slice(got[0].span) == "Sở Thông tin và Truyền thông"
    assert "Sở Văn hóa, Thể thao và Du lịch" in got[0].message.vi  # the field (báo chí) names it


def test_pc505_plan_issued_by_a_district_after_july_2025_is_an_error():
    text = (
        "ỦY BAN NHÂN DÂN\nHUYỆN KRÔNG NÔ\nSố: 15/KH-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n\nKrông Nô, ngày 12 tháng 02 năm 2026\n\nKẾ HOẠCH\n\nThực hiện năm 2026\n\n"
        "I. TỔ CHỨC THỰC HIỆN\n\nPhòng Nội vụ chủ trì."
    )
    doc = parse_text(text)
    got = _run(doc, "PC505")
    assert [(f.severity, f.data.get("issuer")) for f in got] == [(Severity.ERROR, True)]
    # the same header in 2024 is right
    assert _run(parse_text(text.replace("năm 2026", "năm 2024")), "PC505") == []


def _script():
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "scripts" / "build_consensus_registry.py"
    spec = importlib.util.spec_from_file_location("build_consensus_registry", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_consensus_script_reads_national_citations_only():
    m = _script()
    got = list(
        m.mentions(
            "Căn cứ Nghị định số 123/2020/NĐ-CP ngày 19/10/2020 của Chính phủ;\n"
            "Căn cứ Quyết định số 1085/QĐ-TTg ngày 15/9/2022 của Thủ tướng Chính phủ;\n"
            "Căn cứ Quyết định số 25/QĐ-UBND ngày 05/01/2024 của UBND tỉnh;\n"
            "Căn cứ Luật Đất đai số 31/2024/QH15 ngày 18/01/2024;\n"
            "Căn cứ Thông tư số 12/2019/TT-BTC ngày 01/02/2020 của Bộ Tài chính.\n"
        )
    )
    keys = {k: (typ, iss, iso) for k, _w, typ, iss, iso in got}
    assert keys["123/2020/NĐ-CP"] == ("Nghị định", "CP", "2020-10-19")
    assert keys["1085/QĐ-TTG@2022"] == ("Quyết định", "TTg", "2022-09-15")  # no year: keyed by the date's
    assert keys["31/2024/QH15"] == ("Luật", "QH", "2024-01-18")
    assert not any("UBND" in k for k in keys)  # local numbers repeat across provinces
    assert "12/2019/TT-BTC" not in keys  # a 2019 number dated 2020: a typo somewhere


def test_consensus_needs_two_agreeing_sources_and_no_disagreeing_one():
    import collections

    m = _script()
    by_doc = {
        "1/2020/NĐ-CP": {("a", "2020-01-02"), ("b", "2020-01-02")},
        "2/2020/NĐ-CP": {("a", "2020-01-02")},
        "3/2020/NĐ-CP": {("a", "2020-01-02"), ("b", "2020-01-02"), ("c", "2020-01-03")},
        "90/QĐ-TTG@2022": {("a", "2022-01-18"), ("b", "2022-01-18")},  # verified (QĐ 90/QĐ-TTg, 2022)
        "90/QĐ-TTG@2023": {("a", "2023-01-12"), ("b", "2023-01-12")},  # another year's 90/QĐ-TTg
    }
    seen = {
        k: {"number": k.split("@")[0], "types": collections.Counter({"Nghị định": 2}), "issuer": "CP"} for k in by_doc
    }
    got = {e["number"]: e for e in m.select(by_doc, seen, R.registry())}
    assert set(got) == {"1/2020/NĐ-CP", "90/QĐ-TTG"} and got["90/QĐ-TTG"]["date"] == "2023-01-12"
    assert got["1/2020/NĐ-CP"]["mentions"] == 2


def test_pc505_plan_for_2026_without_issue_date_is_judged_from_its_year():
    text = (
        "KẾ HOẠCH\n\nThực hiện công tác giảm nghèo năm {y}\n\n"
        "Căn cứ Thông tư số 07/2021/TT-BLĐTBXH ngày 18/7/2021 của Bộ Lao động - Thương binh và Xã hội;\n\n"
        "I. TỔ CHỨC THỰC HIỆN\n\n1. Phòng Lao động - Thương binh và Xã hội\n\nChủ trì rà soát hộ nghèo.\n"
    )
    got = _run(parse_text(text.format(y=2026)), "PC505")
    assert len(got) == 1 and "năm 2026" in got[0].message.vi
    assert _run(parse_text(text.format(y=2025)), "PC505") == []  # 2025: the change date is not known
