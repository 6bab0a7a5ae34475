"""The web page's words, Vietnamese first, English second."""

from __future__ import annotations

from typing import Any

UI: dict[str, dict[str, str]] = {
    "title": {"vi": "Kiểm tra kế hoạch", "en": "Plan checker"},
    "tagline": {
        "vi": "Kiểm tra kế hoạch thực hiện Chương trình MTQG giảm nghèo bền vững: đánh số, trích dẫn, ngày tháng, số liệu.",
        "en": "Checks plans implementing the national sustainable poverty reduction program: numbering, citations, dates, figures.",
    },
    "switch": {"vi": "English", "en": "Tiếng Việt"},
    "drop": {"vi": "Kéo thả tệp hoặc thư mục vào đây", "en": "Drop files or a folder here"},
    "or": {"vi": "hoặc", "en": "or"},
    "choose": {"vi": "Chọn tệp…", "en": "Choose files…"},
    "choose_dir": {"vi": "Chọn thư mục…", "en": "Choose a folder…"},
    "accepted": {
        "vi": "Nhận tệp .docx, .pdf, .txt, .md; tối đa {max_files} tệp, mỗi tệp {max_file}, tổng {max_total}.",
        "en": "Accepts .docx, .pdf, .txt, .md; at most {max_files} files, {max_file} each, {max_total} in total.",
    },
    "submit": {"vi": "Kiểm tra", "en": "Check"},
    "selected": {"vi": "Tệp đã chọn", "en": "Selected files"},
    "skipped": {"vi": "Bỏ qua (không hỗ trợ)", "en": "Skipped (unsupported)"},
    "clear": {"vi": "Bỏ chọn", "en": "Clear"},
    "uploading": {"vi": "Đang tải lên…", "en": "Uploading…"},
    "checking": {"vi": "Đang kiểm tra…", "en": "Checking…"},
    "progress": {"vi": "Đã kiểm tra {done}/{total} tệp", "en": "{done} of {total} files checked"},
    "wait": {"vi": "Trang sẽ tự chuyển khi xong.", "en": "This page moves on by itself when done."},
    "privacy": {
        "vi": "Tệp chỉ được xử lý trên máy này, xóa ngay sau khi kiểm tra; kết quả giữ trong bộ nhớ tối đa {minutes} phút để tải về.",
        "en": "Files are processed on this machine only and deleted right after the check; results stay in memory for at most {minutes} minutes for download.",
    },
    "report": {"vi": "Kết quả kiểm tra", "en": "Check report"},
    "new_check": {"vi": "Kiểm tra tệp khác", "en": "Check other files"},
    "documents": {"vi": "Văn bản", "en": "Documents"},
    "document": {"vi": "Văn bản", "en": "Document"},
    "file": {"vi": "Tệp", "en": "File"},
    "format": {"vi": "Định dạng", "en": "Format"},
    "summary": {"vi": "Tóm tắt", "en": "Summary"},
    "metadata": {"vi": "Thông tin văn bản", "en": "Document details"},
    "counts": {"vi": "Số phát hiện", "en": "Findings"},
    "error": {"vi": "lỗi", "en": "errors"},
    "warning": {"vi": "cảnh báo", "en": "warnings"},
    "info": {"vi": "lưu ý", "en": "notes"},
    "sev_error": {"vi": "Lỗi", "en": "Error"},
    "sev_warning": {"vi": "Cảnh báo", "en": "Warning"},
    "sev_info": {"vi": "Lưu ý", "en": "Note"},
    "findings": {"vi": "Các phát hiện", "en": "Findings"},
    "no_findings": {"vi": "Không có phát hiện nào.", "en": "Nothing found."},
    "text": {"vi": "Nội dung văn bản", "en": "Document text"},
    "text_hint": {
        "vi": "Bấm vào một phát hiện để đến đoạn văn bản tương ứng (được tô màu).",
        "en": "Click a finding to jump to its highlighted text.",
    },
    "text_truncated": {"vi": "Văn bản dài, chỉ hiển thị phần đầu.", "en": "Long text: only the beginning is shown."},
    "no_text": {"vi": "Không có nội dung để hiển thị.", "en": "No text to show."},
    "coverage": {"vi": "Các dự án, tiểu dự án của Chương trình", "en": "Program projects and sub-projects"},
    "cov_item": {"vi": "Mục", "en": "Item"},
    "cov_name": {"vi": "Tên", "en": "Name"},
    "cov_status": {"vi": "Tình trạng", "en": "Status"},
    "cov_section": {"vi": "Ở mục", "en": "Section"},
    "cov_lead": {"vi": "Cơ quan chủ trì", "en": "Lead agency"},
    "cov_missing": {"vi": "{n} mục thiếu", "en": "{n} missing"},
    "cov_open": {"vi": "bấm để xem bảng", "en": "click to show the table"},
    "downloads": {"vi": "Tải về", "en": "Downloads"},
    "dl_docx": {"vi": "Văn bản có ghi chú (.docx)", "en": "Annotated document (.docx)"},
    "dl_docx_all": {"vi": "Tất cả văn bản có ghi chú (.zip)", "en": "All annotated documents (.zip)"},
    "dl_html": {"vi": "Báo cáo (HTML)", "en": "Report (HTML)"},
    "dl_json": {"vi": "Dữ liệu (JSON)", "en": "Data (JSON)"},
    "dl_xlsx": {"vi": "Bảng tổng hợp (Excel)", "en": "Summary table (Excel)"},
    "sec_doc": {"vi": "Toàn văn bản", "en": "Whole document"},
    "sec_head": {"vi": "Phần đầu văn bản", "en": "Opening of the document"},
    "sec_closing": {"vi": "Phần cuối (nơi nhận, chữ ký)", "en": "Closing (recipients, signature)"},
    "suggestion": {"vi": "Đề xuất", "en": "Suggestion"},
    "to_list": {"vi": "Về danh sách phát hiện", "en": "Back to the findings"},
    "location": {"vi": "Vị trí", "en": "Location"},
    "preview": {"vi": "thử nghiệm", "en": "preview"},
    "back": {"vi": "Danh sách văn bản", "en": "All documents"},
    "prev": {"vi": "Văn bản trước", "en": "Previous document"},
    "next": {"vi": "Văn bản sau", "en": "Next document"},
    "open": {"vi": "Xem", "en": "Open"},
    "expired": {
        "vi": "Kết quả này không còn (đã hết hạn hoặc máy chủ đã khởi động lại). Hãy kiểm tra lại tệp.",
        "en": "This result is gone (expired, or the server restarted). Please check the files again.",
    },
    "failed": {"vi": "Kiểm tra không hoàn thành", "en": "The check did not complete"},
    "filter": {"vi": "Hiện", "en": "Show"},
    "skip": {"vi": "Đến nội dung chính", "en": "Skip to content"},
    "line": {"vi": "dòng", "en": "line"},
    "paragraph": {"vi": "đoạn", "en": "paragraph"},
    "page": {"vi": "trang", "en": "page"},
    "annotate_failed": {
        "vi": "Không tạo được tệp .docx có ghi chú cho văn bản này.",
        "en": "The annotated .docx could not be made for this document.",
    },
}

META_LABELS: dict[str, dict[str, str]] = {
    "issuer": {"vi": "Cơ quan ban hành", "en": "Issuer"},
    "number": {"vi": "Số, ký hiệu", "en": "Number"},
    "place": {"vi": "Địa danh", "en": "Place"},
    "issue_date": {"vi": "Ngày ban hành", "en": "Issue date"},
    "doc_type": {"vi": "Loại văn bản", "en": "Document type"},
    "title": {"vi": "Trích yếu", "en": "Title"},
    "plan_year": {"vi": "Năm kế hoạch", "en": "Plan year"},
    "program_name": {"vi": "Chương trình", "en": "Program"},
    "period": {"vi": "Giai đoạn", "en": "Period"},
    "level": {"vi": "Cấp", "en": "Level"},
    "locality": {"vi": "Địa bàn", "en": "Locality"},
    "signer": {"vi": "Người ký", "en": "Signed by"},
}

ERRORS: dict[str, dict[str, str]] = {
    "no_file": {
        "vi": "Chưa có tệp nào: hãy gửi ít nhất một tệp trong trường '{field}'.",
        "en": "No file: send at least one file in the field '{field}'.",
    },
    "not_multipart": {
        "vi": "Yêu cầu phải là multipart/form-data với trường 'files'.",
        "en": "The request must be multipart/form-data with a 'files' field.",
    },
    "bad_multipart": {"vi": "Dữ liệu tải lên bị hỏng.", "en": "The upload is malformed."},
    "unsupported": {
        "vi": "Tệp '{name}' có định dạng không được hỗ trợ; chỉ nhận {accepted}.",
        "en": "The file '{name}' is of an unsupported type; accepted: {accepted}.",
    },
    "file_too_large": {
        "vi": "Tệp '{name}' quá lớn: mỗi tệp tối đa {limit}.",
        "en": "The file '{name}' is too large: at most {limit} per file.",
    },
    "total_too_large": {
        "vi": "Tổng dung lượng tải lên quá lớn: tối đa {limit} mỗi lần.",
        "en": "The upload is too large: at most {limit} in total.",
    },
    "too_many_files": {
        "vi": "Quá nhiều tệp: tối đa {limit} tệp mỗi lần.",
        "en": "Too many files: at most {limit} per upload.",
    },
    "too_many_fields": {"vi": "Quá nhiều trường dữ liệu.", "en": "Too many form fields."},
    "field_too_large": {"vi": "Một trường dữ liệu quá dài.", "en": "A form field is too long."},
    "not_found": {"vi": "Không tìm thấy.", "en": "Not found."},
    "gone": {"vi": UI["expired"]["vi"], "en": UI["expired"]["en"]},
    "unavailable": {
        "vi": "Chưa có chức năng tải về này trong phiên bản đang chạy.",
        "en": "This download is not available in the running version.",
    },
    "rule_error": {
        "vi": "Bộ quy tắc đang lỗi, không kiểm tra được: {detail}",
        "en": "The rule set is broken, nothing can be checked: {detail}",
    },
    "not_ready": {"vi": "Chưa kiểm tra xong.", "en": "The check is not finished yet."},
    "slow_upload": {
        "vi": "Tải lên quá chậm hoặc bị ngắt giữa chừng; hãy gửi lại.",
        "en": "The upload was too slow or stalled; send it again.",
    },
    "truncated": {
        "vi": "Dữ liệu tải lên bị cắt cụt (thiếu phần kết thúc); hãy gửi lại.",
        "en": "The upload was cut short (its closing boundary is missing); send it again.",
    },
    "bad_host": {
        "vi": "Địa chỉ máy chủ không hợp lệ cho trang này.",
        "en": "This page does not answer to that host name.",
    },
    "cross_origin": {
        "vi": "Từ chối yêu cầu gửi từ một trang web khác.",
        "en": "A request sent from another web site is refused.",
    },
}


def human_bytes(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            v = n / size
            return f"{v:.0f} {unit}" if v >= 10 or v.is_integer() else f"{v:.1f} {unit}"
    return f"{n} B"


def error_message(reason: str, params: dict[str, Any]) -> tuple[str, str]:
    """(vi, en) text for an upload error; byte limits shown in KB/MB."""
    t = ERRORS.get(reason, {"vi": reason, "en": reason})
    vals = {k: human_bytes(v) if k == "limit" and reason.endswith("too_large") else v for k, v in params.items()}
    try:
        return t["vi"].format(**vals), t["en"].format(**vals)
    except (KeyError, IndexError):
        return t["vi"], t["en"]


class Words:
    """``t.key`` in templates; ``t('key', **values)`` for strings with placeholders."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getattr__(self, key: str) -> str:
        try:
            return UI[key][self.lang]
        except KeyError:
            raise AttributeError(key) from None

    def __call__(self, key: str, **values: Any) -> str:
        return UI[key][self.lang].format(**values)
