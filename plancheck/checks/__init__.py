"""Check kinds: each written once, configured by rule YAML ``params``.

``KINDS`` maps a kind name to "module:Class" so a kind's module (and what it imports)
loads only when a rule uses it. A kind's ``__init__(params, rule)`` validates and
compiles its parameters (raise ValueError naming the parameter); ``run(doc, rule)``
yields Findings built with ``rule.finding(doc, span, ...)``. Kinds never mutate the
Document, open files or fetch anything.
"""

KINDS: dict[str, str] = {
    # input (PC0xx)
    "input_error": "plancheck.checks.input:InputError",
    "reader_issue": "plancheck.checks.input:ReaderIssue",
    "not_a_plan": "plancheck.checks.input:NotAPlan",
    # structure (PC1xx)
    "numbering": "plancheck.checks.structure:Numbering",
    "heading_style": "plancheck.checks.structure:HeadingStyle",
    "required_sections": "plancheck.checks.structure:RequiredSections",
    "empty_section": "plancheck.checks.structure:EmptySection",
    # generic
    "pattern": "plancheck.checks.pattern:Pattern",
}


def register(name: str, target: str) -> None:
    """Register a kind (used by extension packages)."""
    KINDS[name] = target
