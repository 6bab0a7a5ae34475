"""The batch layer (PC9xx): families of corpus/batches/ checked together, outputs, single files unchanged."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

from plancheck.engine import Options, check
from plancheck.report.json import render_json
from plancheck.report.tabular import render_csv, render_xlsx

ROOT = Path(__file__).resolve().parent.parent
DUC_TRONG = ROOT / "corpus" / "batches" / "duc-trong"
LAM_HA = ROOT / "corpus" / "batches" / "lam-ha"


def _pc9(report) -> dict[str, list[str]]:
    return {Path(d.path).name: sorted(f.code for f in d.findings if f.code.startswith("PC9")) for d in report.documents}


def test_family_findings_name_both_documents():
    report = check([DUC_TRONG], views=False)
    assert _pc9(report) == {
        "huyen-duc-trong.txt": ["PC903"],
        "xa-da-quyn.txt": [],
        "xa-ninh-loan.txt": ["PC901", "PC904"],
        "xa-ta-hine.txt": ["PC902"],
    }
    data = json.loads(render_json(report))
    docs = {Path(d["path"]).name: d for d in data["documents"]}
    pc902 = next(f for f in docs["xa-ta-hine.txt"]["findings"] if f["code"] == "PC902")
    assert pc902["excerpt"] == "15" and pc902["line"] is not None and pc902["preview"] is True
    assert Path(pc902["related"]["path"]).name == "huyen-duc-trong.txt"
    assert pc902["related"]["excerpt"] == "18" and pc902["related"]["line"] is not None
    pc904 = next(f for f in docs["xa-ninh-loan.txt"]["findings"] if f["code"] == "PC904")
    assert pc904["excerpt"] == "Đa Quyn" and Path(pc904["related"]["path"]).name == "xa-da-quyn.txt"
    statuses = sorted((Path(lk["source"]).name, lk["status"]) for lk in data["links"])
    assert statuses == [
        ("xa-da-quyn.txt", "resolved"),
        ("xa-ninh-loan.txt", "mismatch"),
        ("xa-ta-hine.txt", "resolved"),
    ]


def test_pool_gives_the_same_batch_findings():
    """Workers carry the profiles back: --jobs 2 finds what one process finds."""
    one = check([LAM_HA], views=False)
    two = check([LAM_HA], jobs=2, views=False)
    assert _pc9(one) == _pc9(two)
    assert _pc9(one)["xa-tan-ha.txt"] == ["PC901"]
    assert _pc9(one)["xa-nam-ha.txt"] == ["PC905"]
    assert one.links == two.links


def test_single_file_has_no_batch_layer():
    report = check([DUC_TRONG / "xa-ninh-loan.txt"], views=False)
    assert not report.links
    assert _pc9(report) == {"xa-ninh-loan.txt": []}
    data = json.loads(render_json(report))
    assert "links" not in data
    assert all("related" not in f for d in data["documents"] for f in d["findings"])
    assert "Liên kết" not in render_csv(report)


def test_ignoring_the_family_turns_it_off():
    report = check([DUC_TRONG], Options(ignore=("PC9",)), views=False)
    assert all(not v for v in _pc9(report).values())


def test_link_sheet_and_section():
    from openpyxl import load_workbook

    report = check([DUC_TRONG])
    wb = load_workbook(io.BytesIO(render_xlsx(report)))
    assert wb.sheetnames[-1] == "Liên kết"
    rows = list(wb["Liên kết"].values)
    assert rows[0][0] == "Tệp trích dẫn" and len(rows) == 4
    assert any(r[3] == "không khớp" and r[4] == "ngày ban hành" for r in rows[1:])
    csv = render_csv(report, lang="en")
    assert "\r\nLinks\r\n" in csv and "does not match" in csv


def test_web_page_shows_the_links_of_a_folder_upload(tmp_path):
    from starlette.testclient import TestClient

    from plancheck.server.app import create_app
    from plancheck.server.settings import Settings

    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted(DUC_TRONG.glob("*.txt"))]
    with TestClient(create_app(Settings(workers=1, tmp_dir=str(tmp_path)))) as client:
        data = client.post("/api/check", files=files).json()
        docs = {d["path"]: d for d in data["documents"]}
        assert [f["code"] for f in docs["xa-ta-hine.txt"]["findings"] if f["code"].startswith("PC9")] == ["PC902"]
        assert {lk["source"] for lk in data["links"]} == {"xa-da-quyn.txt", "xa-ninh-loan.txt", "xa-ta-hine.txt"}
        r = client.post("/check", files=files, headers={"accept": "application/json"})
        body = r.json()
        for _ in range(600):
            if client.get(f"/jobs/{body['token']}").json()["finished"]:
                break
            time.sleep(0.05)
        page = client.get(body["report_url"]).text
        assert 'id="lien-ket"' in page and "không khớp" in page and "huyen-duc-trong.txt" in page
        # one file: no links section
        one = client.post("/api/check", files=files[:1]).json()
        assert "links" not in one


def test_web_page_places_batch_findings_in_their_section(tmp_path):
    """A finding the batch layer adds after the workers is grouped under its heading."""
    from starlette.testclient import TestClient

    from plancheck.server.app import create_app
    from plancheck.server.settings import Settings

    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted(DUC_TRONG.glob("*.txt"))]
    with TestClient(create_app(Settings(workers=1, tmp_dir=str(tmp_path)))) as client:
        body = client.post("/check", files=files, headers={"accept": "application/json"}).json()
        for _ in range(600):
            if client.get(f"/jobs/{body['token']}").json()["finished"]:
                break
            time.sleep(0.05)
        page = client.get(f"/report/{body['token']}/3?lang=vi").text  # xa-ta-hine.txt
        section = page[page.index("II. MỤC TIÊU") :]
        assert "PC902" in section[: section.index("III.")] if "III." in section else "PC902" in section


def test_annotated_docx_of_a_plan_with_a_long_title(tmp_path):
    """Word's core properties hold 255 characters at most: a plan whose trích yếu is longer
    still gets its annotated copy (the web page makes one for each upload)."""
    from plancheck.parse import parse_text
    from plancheck.report.docx import render_docx

    title = "Triển khai thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững " * 5
    doc = parse_text(f"KẾ HOẠCH\n\n{title.strip()} năm 2025\n\nI. MỤC TIÊU\n\nNội dung.\n", name="dai.txt")
    assert len(doc.metadata["title"]) > 255
    render_docx(doc, [], tmp_path / "out.docx", "vi")
    assert (tmp_path / "out.docx").stat().st_size > 0


def test_sarif_of_a_family_validates_with_related_locations():
    import jsonschema

    from plancheck.report.sarif import sarif_dict

    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    data = sarif_dict(check([ROOT / "corpus" / "batches" / "bao-lam", DUC_TRONG], views=False))  # .pdf, .docx, .txt
    jsonschema.Draft4Validator(schema).validate(data)
    rel = [r for r in data["runs"][0]["results"] if r["ruleId"] == "PC902"]
    assert rel and all(r["relatedLocations"][0]["physicalLocation"]["region"]["snippet"]["text"] for r in rel)
    assert {r["relatedLocations"][0]["message"]["text"] for r in rel} == {"allocation"}
