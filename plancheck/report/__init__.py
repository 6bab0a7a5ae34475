"""Reporters: text (rich), json (plancheck/report@1) and the others added per format.

``FORMATS`` maps a --format name to "module:function"; each function takes
(report, lang, **options) and returns str or bytes. A function may also carry
``stream(report, lang)``, an iterator over the pieces of the same text, which the CLI
writes as they come (JSON: a large batch is never held as one string).
"""

FORMATS: dict[str, str] = {
    "text": "plancheck.report.text:render_text",
    "concise": "plancheck.report.text:render_concise",
    "json": "plancheck.report.json:render_json",
    "sarif": "plancheck.report.sarif:render_sarif",
    "html": "plancheck.report.html:render_html",
    "csv": "plancheck.report.tabular:render_csv",
    "xlsx": "plancheck.report.tabular:render_xlsx",
}


def get_renderer(name: str):
    import importlib

    target = FORMATS.get(name)
    if target is None:
        raise KeyError(name)
    mod, _, fn = target.partition(":")
    return getattr(importlib.import_module(mod), fn)
