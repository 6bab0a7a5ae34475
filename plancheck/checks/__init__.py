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
    "reader_notice": "plancheck.checks.input:ReaderNotice",
    "not_a_plan": "plancheck.checks.input:NotAPlan",
    # structure (PC1xx)
    "numbering": "plancheck.checks.structure:Numbering",
    "heading_style": "plancheck.checks.structure:HeadingStyle",
    "required_sections": "plancheck.checks.structure:RequiredSections",
    "empty_section": "plancheck.checks.structure:EmptySection",
    # generic
    "pattern": "plancheck.checks.pattern:Pattern",
    # batch layer (PC9xx): plans of one batch against each other (plancheck/batch/)
    "batch_citations": "plancheck.batch.kinds:CitationLinks",
    "batch_allocation_row": "plancheck.batch.kinds:AllocationRow",
    "batch_allocation_sum": "plancheck.batch.kinds:AllocationSum",
    "batch_copied_text": "plancheck.batch.kinds:CopiedText",
    "batch_consistency": "plancheck.batch.kinds:Consistency",
}


def register(name: str, target: str) -> None:
    """Register a kind (used by extension packages)."""
    KINDS[name] = target
