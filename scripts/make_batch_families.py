"""Build the batch families of corpus/batches/ from seed000 (a commune plan of Đức Trọng).

Each family is a folder: a district plan with a per-commune allocation annex and the
commune plans derived from seed000 (header, locality, targets and basis rewritten),
some right and some wrong on purpose, each with its ``.expected.yaml`` (must / not).
``family.yaml`` marks the folder as a batch for ``plancheck eval`` and says what is
wrong where. Deterministic: running it again rewrites the same files.

    python scripts/make_batch_families.py            # writes corpus/batches/
    python scripts/make_batch_families.py --many 500 OUT   # 500 plans for benchmarks/run.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seeds" / "seed000.txt"
OUT = ROOT / "corpus" / "batches"

BASIS = "Thực hiện Kế hoạch số {num}/KH-UBND ngày {date} của UBND huyện {subject};"
SUBJECT = (
    "về triển khai thực hiện chương trình mục tiêu quốc gia giảm nghèo bền vững trên địa bàn huyện {district} năm 2025"
)
SEED_BASIS = (
    "Thực hiện Kế hoạch số 70/KH-UBND ngày 25/4/2025 của UBND huyện về triển khai triển khai thực hiện chương "
    "trình mục tiêu quốc gia giảm nghèo bền vững trên địa bàn huyện Đức Trọng năm 2025;"
)
CLOSING = "năm 2025 của UBND xã Đa Quyn, đề nghị"


def commune(
    name: str,
    number: int,
    day: int,
    poor: int,
    near: int,
    *,
    district: str = "Đức Trọng",
    basis: tuple[int, str] | None = (70, "25/4/2025"),
    keep_closing: bool = False,
    source: str = "Đa Quyn",
    year: int = 2025,
    subject: str = SUBJECT,
) -> str:
    """seed000 rewritten as the plan of commune ``name``."""
    text = SEED.read_text(encoding="utf-8")
    if basis is None:
        text = text.replace(SEED_BASIS + "\n\n", "")
    else:
        text = text.replace(
            SEED_BASIS, BASIS.format(num=basis[0], date=basis[1], subject=subject.format(district=district))
        )
    text = text.replace(
        "2. Mục tiêu cụ thể:\n",
        f"2. Mục tiêu cụ thể:\n\n- Phấn đấu năm {year} giảm {poor:02d} hộ nghèo và {near:02d} hộ cận nghèo trên địa bàn xã.\n",
        1,
    )
    if keep_closing:  # the closing sentence copied from the plan of ``source``, its name left in
        text = text.replace(CLOSING, "\x00")
    text = text.replace("Đa Quyn", name).replace("\x00", CLOSING.replace("Đa Quyn", source))
    if year != 2025:
        text = text.replace("trên địa bàn xã " + name + " năm 2025", f"trên địa bàn xã {name} năm {year}", 1)
    head = f"UBND XÃ {name.upper()}\n\nSố: {number}/KH-UBND\n\n{name}, ngày {day:02d} tháng 5 năm 2025\n\n"
    return head + text.lstrip("\n")


def district_plan(name: str, number: int, date_words: str, rows: list[tuple[str, int, int]]) -> str:
    poor = sum(r[1] for r in rows)
    near = sum(r[2] for r in rows)
    table = "\n".join(f"{i}\tXã {n}\t{p}\t{q}" for i, (n, p, q) in enumerate(rows, 1))
    return f"""UBND HUYỆN {name.upper()}

Số: {number}/KH-UBND

{name}, {date_words}

KẾ HOẠCH

Triển khai thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững trên địa bàn huyện {name} năm 2025

Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ phê duyệt Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021 - 2025;

UBND huyện {name} xây dựng Kế hoạch triển khai thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững trên địa bàn huyện năm 2025, cụ thể như sau:

I. MỤC ĐÍCH, YÊU CẦU

Triển khai đồng bộ, hiệu quả các dự án, tiểu dự án của Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021 - 2025; giao chỉ tiêu giảm nghèo cụ thể cho từng xã để tổ chức thực hiện.

II. MỤC TIÊU

Phấn đấu năm 2025 giảm {poor} hộ nghèo và {near} hộ cận nghèo trên địa bàn huyện (chỉ tiêu từng xã tại Phụ lục kèm theo).

III. NHIỆM VỤ VÀ GIẢI PHÁP

UBND các xã xây dựng kế hoạch thực hiện năm 2025 của xã, bảo đảm chỉ tiêu giảm nghèo không thấp hơn chỉ tiêu được giao tại Phụ lục kèm theo Kế hoạch này.

IV. KINH PHÍ THỰC HIỆN

Nguồn vốn ngân sách trung ương, ngân sách địa phương và nguồn vốn huy động hợp pháp khác theo quy định.

V. TỔ CHỨC THỰC HIỆN

Phòng Nông nghiệp và Môi trường huyện chủ trì, theo dõi, tổng hợp kết quả thực hiện, báo cáo UBND huyện theo quy định.

Trên đây là Kế hoạch triển khai thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2025 của UBND huyện {name}./.

Nơi nhận:

- UBND tỉnh;
- TT Huyện ủy, HĐND huyện;
- UBND các xã;
- Lưu: VT, LĐTBXH.

**TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH**

Nguyễn Văn An

PHỤ LỤC

BIỂU PHÂN BỔ CHỈ TIÊU GIẢM NGHÈO NĂM 2025 CHO CÁC XÃ

TT\tĐơn vị\tSố hộ nghèo giảm\tSố hộ cận nghèo giảm
{table}
\tTổng cộng\t{poor}\t{near}
"""


def families() -> dict[str, dict]:
    """name -> {"note", "files": {file: (text, expectations)}}."""
    dt_rows = [("Đa Quyn", 12, 5), ("Tà Hine", 18, 7), ("Ninh Loan", 10, 4)]
    dt = {
        "huyen-duc-trong.txt": (
            district_plan("Đức Trọng", 70, "ngày 25 tháng 4 năm 2025", dt_rows),
            {
                "must": [
                    {
                        "code": "PC903",
                        "text": "Tổng cộng",
                        "anchor": ["37", "40"],
                        "reason": "Tà Hine states 15 instead of 18: the communes add up to 37, not 40",
                    }
                ],
                "not": [{"code": "PC901"}, {"code": "PC902"}, {"code": "PC904"}, {"code": "PC905"}],
            },
        ),
        "xa-da-quyn.txt": (
            commune("Đa Quyn", 52, 6, 12, 5),
            {"not": [{"code": c} for c in ("PC901", "PC902", "PC903", "PC904", "PC905")]},
        ),
        "xa-ta-hine.txt": (
            commune("Tà Hine", 41, 5, 15, 7),
            {
                "must": [
                    {
                        "code": "PC902",
                        "text": "giảm 15 hộ nghèo",
                        "anchor": ["15", "18", "huyen-duc-trong.txt"],
                        "reason": "the district's annex gives Tà Hine 18 poor households",
                    }
                ],
                "not": [{"code": c} for c in ("PC901", "PC903", "PC904", "PC905")],
            },
        ),
        "xa-ninh-loan.txt": (
            commune("Ninh Loan", 33, 7, 10, 4, basis=(70, "28/4/2025"), keep_closing=True),
            {
                "must": [
                    {
                        "code": "PC901",
                        "text": "Kế hoạch số 70/KH-UBND ngày 28/4/2025",
                        "anchor": ["ngày ban hành", "huyen-duc-trong.txt"],
                        "reason": "the district plan is dated 25/4/2025",
                    },
                    {
                        "code": "PC904",
                        "text": "Trên đây là kế hoạch",
                        "anchor": ["Đa Quyn", "xa-da-quyn.txt"],
                        "reason": "closing sentence copied from Đa Quyn's plan with its name",
                    },
                ],
                "not": [{"code": c} for c in ("PC902", "PC903", "PC905")],
            },
        ),
    }
    lh_rows = [("Phúc Thọ", 9, 3), ("Tân Hà", 11, 6), ("Đạ Đờn", 7, 2), ("Nam Hà", 5, 2)]
    lh = {
        "huyen-lam-ha.txt": (
            district_plan("Lâm Hà", 45, "ngày 22 tháng 4 năm 2025", lh_rows),
            {"not": [{"code": c} for c in ("PC901", "PC902", "PC903", "PC904", "PC905")]},
        ),
        "xa-phuc-tho.txt": (
            commune("Phúc Thọ", 61, 8, 9, 3, district="Lâm Hà", basis=(45, "22/4/2025")),
            {"not": [{"code": c} for c in ("PC901", "PC902", "PC903", "PC904", "PC905")]},
        ),
        "xa-tan-ha.txt": (
            commune("Tân Hà", 58, 9, 11, 6, district="Lâm Hà", basis=(46, "22/4/2025")),
            {
                "must": [
                    {
                        "code": "PC901",
                        "text": "Kế hoạch số 46/KH-UBND",
                        "anchor": ["45/KH-UBND", "huyen-lam-ha.txt"],
                        "reason": "no plan 46 in the batch: the district plan 45 of the same date is named",
                    }
                ],
                "not": [{"code": c} for c in ("PC902", "PC903", "PC904", "PC905")],
            },
        ),
        "xa-da-don.txt": (
            commune("Đạ Đờn", 40, 12, 7, 2, district="Lâm Hà", basis=(45, "22/4/2025"), year=2024),
            {
                "must": [
                    {
                        "code": "PC905",
                        "text": "KẾ HOẠCH",
                        "anchor": ["2024", "2025"],
                        "reason": "plan year 2024 while the other communes plan for 2025",
                    },
                    {
                        "code": "PC904",
                        "anchor": ["2025", "2024"],
                        "reason": "paragraphs copied from the other communes' plans still say năm 2025 (reported once)",
                    },
                ],
                "not": [{"code": c} for c in ("PC901", "PC902", "PC903")],
            },
        ),
        "xa-nam-ha.txt": (
            commune("Nam Hà", 29, 13, 5, 2, district="Lâm Hà", basis=None),
            {
                "must": [
                    {
                        "code": "PC905",
                        "text": "KẾ HOẠCH",
                        "anchor": ["45/KH-UBND"],
                        "reason": "the only commune plan that does not cite the district plan",
                    }
                ],
                "not": [{"code": c} for c in ("PC901", "PC902", "PC903", "PC904")],
            },
        ),
    }
    bl_rows = [("Lộc Thanh", 9, 3), ("Lộc Ngãi", 6, 2), ("Lộc Nam", 8, 4)]
    bl_basis = (88, "20/4/2025")
    bl = {
        "huyen-bao-lam.pdf": (
            district_plan("Bảo Lâm", 88, "ngày 20 tháng 4 năm 2025", bl_rows),
            {
                "must": [
                    {
                        "code": "PC903",
                        "text": "Tổng cộng",
                        "anchor": ["cận nghèo", "10", "9"],
                        "reason": "Lộc Ngãi states 3 near-poor households instead of 2",
                    }
                ],
                "not": [{"code": c} for c in ("PC901", "PC902", "PC904", "PC905")],
            },
        ),
        "xa-loc-thanh.docx": (
            commune("Lộc Thanh", 12, 3, 9, 3, district="Bảo Lâm", basis=bl_basis),
            {"not": [{"code": c} for c in ("PC901", "PC902", "PC903", "PC904", "PC905")]},
        ),
        "xa-loc-ngai.pdf": (
            commune("Lộc Ngãi", 17, 5, 6, 3, district="Bảo Lâm", basis=bl_basis),
            {
                "must": [
                    {
                        "code": "PC902",
                        "text": "giảm 06 hộ nghèo và 03 hộ cận nghèo",
                        "anchor": ["cận nghèo", "3", "2"],
                        "reason": "the district's annex gives Lộc Ngãi 2 near-poor households",
                    }
                ],
                "not": [{"code": c} for c in ("PC901", "PC903", "PC904", "PC905")],
            },
        ),
        "xa-loc-an.txt": (
            commune(
                "Lộc An",
                30,
                8,
                5,
                1,
                district="Bảo Lâm",
                basis=bl_basis,
                subject="về việc phòng, chống thiên tai và tìm kiếm cứu nạn trên địa bàn huyện năm 2025",
            ),
            {
                "must": [
                    {
                        "code": "PC901",
                        "text": "Kế hoạch số 88/KH-UBND",
                        "anchor": ["trích yếu", "huyen-bao-lam.pdf"],
                        "reason": "the number and date are the district poverty plan's, the subject is another plan's",
                    }
                ],
                "not": [{"code": c} for c in ("PC902", "PC903", "PC904", "PC905")],
            },
        ),
        "xa-loc-nam.docx": (
            commune("Lộc Nam", 21, 6, 8, 4, district="Bảo Lâm", basis=bl_basis, keep_closing=True, source="Lộc Thanh"),
            {
                "must": [
                    {
                        "code": "PC904",
                        "text": "Trên đây là kế hoạch",
                        "anchor": ["Lộc Thanh", "xa-loc-thanh.docx"],
                        "reason": "closing sentence copied from Lộc Thanh's plan with its name",
                    }
                ],
                "not": [{"code": c} for c in ("PC901", "PC902", "PC903", "PC905")],
            },
        ),
    }
    return {
        "bao-lam": {
            "note": "The same kind of family as Word and PDF files: district plan 88/KH-UBND (.pdf), "
            "a near-poor share that differs (Lộc Ngãi, .pdf), a copied closing sentence (Lộc Nam, .docx), "
            "a citation of the district plan under another plan's subject (Lộc An, not in the annex).",
            "files": bl,
        },
        "duc-trong": {
            "note": "District plan 70/KH-UBND with its annex and three commune plans: a share "
            "that differs (Tà Hine), a wrong date and a copied closing sentence (Ninh Loan).",
            "files": dt,
        },
        "lam-ha": {
            "note": "District plan 45/KH-UBND and four commune plans: a wrong number (Tân Hà), an "
            "outlier year (Đạ Đờn), no citation of the district plan (Nam Hà).",
            "files": lh,
        },
    }


def write_families(out: Path = OUT) -> None:
    for fam, spec in families().items():
        d = out / fam
        d.mkdir(parents=True, exist_ok=True)
        (d / "family.yaml").write_text(
            "# A batch family (scripts/make_batch_families.py): plancheck eval checks its plans together.\n"
            + yaml.safe_dump({"family": fam, "note": spec["note"]}, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        for name, (text, exp) in spec["files"].items():
            if name.endswith(".txt"):
                (d / name).write_text(text, encoding="utf-8")
                exp_name = Path(name).stem + ".expected.yaml"
            else:
                _render(text, d / name)
                exp_name = name + ".expected.yaml"
            exp = {"document": name, "source": "scripts/make_batch_families.py", **exp}
            (d / exp_name).write_text(
                yaml.safe_dump(exp, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8"
            )


def _render(text: str, target: Path) -> None:
    """A .docx or .pdf of the plan text, laid out like the seeds' (scripts/render_corpus.py)."""
    import tempfile

    sys.path.insert(0, str(ROOT / "scripts"))
    import render_corpus

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (target.stem + ".txt")
        src.write_text(text, encoding="utf-8")
        plan = render_corpus.load(src)
        (render_corpus.build_docx if target.suffix == ".docx" else render_corpus.build_pdf)(plan, target)


def write_many(n: int, out: Path) -> list[Path]:
    """A district plan and ``n - 1`` commune plans (for the batch benchmark)."""
    out.mkdir(parents=True, exist_ok=True)
    first = "Tân Phú Hòa An Bình Long Thạnh Mỹ Đông Tây Nam Bắc Trung Vĩnh Phước Thái Hưng Lộc Quang Minh Xuân Hà Sơn Thủy Lạc"
    second = "Lợi Hiệp Thịnh Đức Hải Lâm Phong Khánh Điền Thuận Định Hậu Thành Tiến Yên Ninh Trạch Lương Cường Vinh"
    a, b = first.split(), second.split()
    names = [
        f"{a[i % len(a)]} {b[(i // len(a)) % len(b)]}" + ("" if i < len(a) * len(b) else f" {i}") for i in range(n - 1)
    ]
    rows = [(nm, 5 + i % 7, 2 + i % 3) for i, nm in enumerate(names)]
    paths = [out / "huyen.txt"]
    paths[0].write_text(district_plan("Đức Trọng", 70, "ngày 25 tháng 4 năm 2025", rows), encoding="utf-8")
    for i, (nm, p, q) in enumerate(rows):
        path = out / f"xa-{i + 1:03d}.txt"
        wrong = i % 10 == 3
        path.write_text(
            commune(nm, 100 + i, 1 + i % 28, p + (1 if wrong else 0), q, keep_closing=i % 25 == 7, source=rows[0][0]),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--many":
        write_many(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        write_families()
