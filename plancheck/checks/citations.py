"""PC2xx: how a plan cites legal documents (dates, registry, consistency, basis, ký hiệu).

Every kind reads the shared citation list (plancheck/extract/citations.py) and, where
it needs facts, the legal registry (rules/facts/legal/*.yaml). A fact the registry
marks ✱ (unconfirmed) never yields an error on its own.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable

import regex

from ..extract.citations import (
    MAX_CLAUSE,
    Citation,
    context_of,
    extract_citations,
    issuer_compatible,
    known_issuer,
    resolve,
    resolve_issuer,
    type_entry,
)
from ..extract.dates import parse_iso, show_date
from ..extract.dating import plan_date_phrase
from ..extract.registry import (
    CORROBORATED,
    MEMORY,
    VERIFIED,
    consensus,
    consensus_key,
    doc_key,
    parse_number,
    programs,
    registry,
)
from ..model import Document, Finding, Severity, Span
from .base import Kind, compile_pattern

# Patterns used inside functions, compiled once (a module-level regex call looks its
# pattern up in regex's cache on every call).
_UBND = regex.compile(r"ủy\s+ban\s+nhân\s+dân")
_HDND = regex.compile(r"hội\s+đồng\s+nhân\s+dân")
_OFFICE_PREFIX = regex.compile(r"^(?:chủ\s+tịch|thường\s+trực)\s+")
_CLAUSE_SPLIT = regex.compile(r"[.;]\s")


def _where(doc: Document, span: Span) -> tuple[str, str]:
    """Where another mention is, in words (vi, en): line, paragraph or page and line."""
    loc = doc.locate(span)
    if loc.paragraph is not None:
        return f"đoạn {loc.paragraph}", f"paragraph {loc.paragraph}"
    if loc.page is not None:
        return f"trang {loc.page}, dòng {loc.line}", f"page {loc.page}, line {loc.line}"
    return f"dòng {loc.line}", f"line {loc.line}"


def _known_date_note(doc: Document, c: Citation) -> tuple[str, str]:
    """ " (văn bản này ban hành ngày …)" when the registry knows the date for sure."""
    e = resolve(doc, c)
    if e is not None and e.date is not None and e.status_of("date") in (VERIFIED, CORROBORATED):
        return f" (văn bản này ban hành ngày {e.show_date()})", f" (it was issued on {e.show_date()})"
    return "", ""


def _own_key(doc: Document) -> str | None:
    num = doc.metadata.get("number")
    if not num or "/" not in num:
        return None
    n, y, kh = parse_number(num)
    return doc_key(n, y, kh) if n else None


def _citation_span(c: Citation) -> Span:
    return Span(c.number_span.start, c.date.span.end) if c.date is not None else c.number_span


class YearMismatch(Kind):
    """PC201: the year inside the number ("07/2021/NĐ-CP") is the year the document was
    issued, so a date in another year is a typing error in one of the two."""

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        for c in extract_citations(doc):
            if c.year is None or c.date is None or c.date.year == c.year:
                continue
            note_vi, note_en = _known_date_note(doc, c)
            yield rule.finding(
                doc,
                _citation_span(c),
                citation=c.label,
                date=c.date.show(),
                date_year=str(c.date.year),
                number_year=str(c.year),
                note_vi=note_vi,
                note_en=note_en,
            )


class RegistryDate(Kind):
    """PC202: a cited national document's date differs from the legal registry.

    Error when the registry date is verified (✔), warning when corroborated (◐), silent
    when it is from memory (✱). A year mismatch inside the citation is PC201's finding.
    A document the verified registry does not know is looked up in the consensus
    registry (rules/facts/legal-consensus/, derived from the shared corpora's
    citations): a warning at most, never an error.
    """

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        for c in extract_citations(doc):
            if c.date is None or c.date.date is None:
                continue
            if c.year is not None and c.date.year != c.year:
                continue  # PC201 reports it, with the registry date
            e = resolve(doc, c)
            if e is None and registry().get(c.written) is None and not c.party:
                k = consensus_key(c.key, c.year, c.date.date)
                ce = consensus().get(k) if k else None
                if ce is not None and ce.date != c.date.date and c.issuer_abbr == ce.issuer:
                    yield rule.finding(
                        doc,
                        _citation_span(c),
                        variant="consensus",
                        severity=Severity.WARNING,
                        citation=c.label,
                        date=c.date.show(),
                        expected=ce.show_date(),
                        mentions=str(ce.mentions),
                        source=ce.status,
                        suggestion=ce.show_date(),
                    )
                continue
            if e is None or e.date is None or e.date == c.date.date:
                continue
            st = e.status_of("date")
            if st == MEMORY:
                continue
            sev = Severity.ERROR if st == VERIFIED else Severity.WARNING
            yield rule.finding(
                doc,
                _citation_span(c),
                severity=sev,
                citation=c.label,
                date=c.date.show(),
                expected=e.show_date(),
                source=e.source,
                suggestion=e.show_date(),
            )


def _norm_issuer(text: str | None) -> str | None:
    if not text:
        return None
    t = text.lower().replace("uỷ", "ủy")
    t = _UBND.sub("ubnd", t)
    t = _HDND.sub("hđnd", t)
    t = _OFFICE_PREFIX.sub("", t)
    return " ".join(t.split())


def _same_issuer(a: Citation, b: Citation) -> bool:
    """Whether two mentions of one number can be the same document."""
    na, nb = _norm_issuer(a.issuer_text), _norm_issuer(b.issuer_text)
    if a.year is None:  # numbers without a year repeat across issuers: demand the same issuer
        if na is None or nb is None:
            return na is None and nb is None
        return na == nb or na.startswith(nb) or nb.startswith(na)
    if na is None or nb is None:
        return True
    ra, rb = resolve_issuer(a.issuer_text), resolve_issuer(b.issuer_text)
    return ra is None or rb is None or ra == rb


class InconsistentDates(Kind):
    """PC203: one document cited with two dates in the same plan (no registry needed).

    The date most mentions give is the reference (the first mention's on a tie); each
    other date is one finding, at its first mention, naming where the reference date is
    written: three mentions of 15/8/2024 and one of 15/7/2024 report the one. A number
    without a year recurs every year and across issuers, so such mentions are compared
    only within one year and one issuer.
    """

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        groups: dict[tuple, list[Citation]] = {}
        for c in extract_citations(doc):
            if c.date is None or c.date.date is None:
                continue
            group = (c.key,) if c.year is not None else (c.key, c.date.year)
            groups.setdefault(group, []).append(c)
        found = []
        for mentions in groups.values():
            if len({c.date.date for c in mentions}) < 2:
                continue
            counts = Counter(c.date.date for c in mentions)
            top = max(counts.values())
            ref = next(c for c in mentions if counts[c.date.date] == top)
            reported = set()
            for c in mentions:
                if c.date.date == ref.date.date or c.date.date in reported or not _same_issuer(ref, c):
                    continue
                reported.add(c.date.date)
                found.append((c, ref))
        for c, ref in sorted(found, key=lambda x: x[0].span.start):
            note_vi, note_en = _known_date_note(doc, c)
            where_vi, where_en = _where(doc, ref.date.span)
            yield rule.finding(
                doc,
                _citation_span(c),
                citation=c.label,
                date=c.date.show(),
                other=ref.date.show(),
                other_line_vi=where_vi,
                other_line_en=where_en,
                note_vi=note_vi,
                note_en=note_en,
            )


class CitedAfterPlan(Kind):
    """PC204: a plan cannot rest on a document issued after it, nor on a future one.

    Compared with the plan's own issue date only (a lower bound from the citations
    cannot be exceeded by them); the registry's date is used when the citation has none.
    """

    def setup(self, params):
        today = params.get("today")
        self.today = parse_iso(today) if today else None

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        issue = parse_iso(doc.metadata.get("issue_date"))
        today = self.today or dt.date.today()
        own = _own_key(doc)
        for c in extract_citations(doc):
            d = c.date.date if c.date is not None else None
            variant = None
            if d is None:
                e = resolve(doc, c)
                if e is None or e.date is None or e.status_of("date") == MEMORY:
                    continue
                d, variant = e.date, "registry"
            if own is not None and c.key == own:
                continue  # the plan naming itself ("Kèm theo Kế hoạch số …")
            if issue is not None and d > issue:
                yield rule.finding(
                    doc,
                    _citation_span(c),
                    variant=variant,
                    citation=c.label,
                    date=show_date(d),
                    issue=show_date(issue),
                )
            elif d > today:
                yield rule.finding(
                    doc,
                    _citation_span(c),
                    variant="future",
                    citation=c.label,
                    date=show_date(d),
                    today=show_date(today),
                )


class TypeIssuerMismatch(Kind):
    """PC205: the type word, the ký hiệu and the issuer named must agree.

    "Thông tư số 12/QĐ-UBND" (a Thông tư carries TT), "…/QĐ-TTg … của Bộ Tài chính" (TTg
    is the Prime Minister). Checked only where each side is known: the type word written
    right before the number, a known type abbreviation, an issuer text that resolves.
    """

    def setup(self, params):
        from ..extract.citations import _tables

        self.type_abbrs = {a.upper() for t in _tables()["types"].values() for a in (t.get("abbr") or ())}

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        for c in extract_citations(doc):
            if c.party:
                continue
            te = type_entry(c.type_word)
            groups = c.kyhieu.split("-")
            if c.type_source == "word" and te is not None and not te.get("free") and len(groups) > 1:
                got = groups[0].upper()
                allowed = {a.upper() for a in te.get("abbr") or ()}
                if got in self.type_abbrs and got not in allowed:
                    expected = (te.get("abbr") or te.get("issuer_only") or ["?"])[0]
                    yield rule.finding(
                        doc,
                        c.span if len(c.span) < 200 else c.number_span,
                        variant="type",
                        citation=doc.slice(c.number_span),
                        type_word=c.type_word,
                        found=groups[0],
                        expected=expected,
                    )
                    continue
            named = resolve_issuer(c.issuer_text)
            ky_issuer = c.issuer_abbr
            # a joint document (TTLT-BNNPTNT-BTNMT) has one issuer group per body
            joint = [g for g in groups[1:] if known_issuer(g)] if len(groups) > 2 else []
            if joint and named and any(issuer_compatible(g, named) for g in joint):
                continue
            if named and known_issuer(ky_issuer) and not issuer_compatible(ky_issuer, named):
                yield rule.finding(
                    doc,
                    Span(c.number_span.start, c.issuer_span.end),
                    variant="issuer",
                    citation=doc.slice(c.number_span),
                    found=ky_issuer,
                    issuer=c.issuer_text,
                )


class NotInForce(Kind):
    """PC206: a document that had ended (or been replaced) before the plan's date.

    Only where the registry's end is verified (``in_force_to`` ✔) is it a warning; an
    unconfirmed replacement (46/2022/TT-BTC -> 55/2023/TT-BTC) is information, and only
    for plans dated on or after the entry's ``assume_replaced_from``. A mention in a
    sentence about past results, or one that itself says the document was replaced, is
    not a use of it.
    """

    def setup(self, params):
        self.unless = compile_pattern(params.get("unless", r"(?!x)x"), "unless")

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        meta = doc.metadata
        ref = parse_iso(meta.get("plan_date"))
        phrase = plan_date_phrase(meta)
        py = meta.get("plan_year")
        if isinstance(py, int) and (ref is None or ref < dt.date(py, 1, 1)):
            # a plan for next year (issued in November) is judged at the start of its year
            if ref is None or meta.get("plan_date_source") != "issue_date" or ref.year < py:
                ref = dt.date(py, 1, 1)
                phrase = {"basis_vi": f"năm kế hoạch {py}", "basis_en": f"plan year {py}"}
        if ref is None:
            return
        seen: set[str] = set()
        for c in extract_citations(doc):
            e = resolve(doc, c)
            if e is None or e.key in seen:
                continue
            # the clause the citation is in (from at most MAX_CLAUSE before it: linear time)
            lo = max(doc.blocks[c.block].span.start, c.span.start - MAX_CLAUSE) if c.block is not None else 0
            ctx = doc.text[lo : c.tail_end] if c.block is not None else ""
            clause = _CLAUSE_SPLIT.split(ctx)[-1]
            if self.unless.search(clause):
                continue
            repl = registry().get(e.replaced_by) if e.replaced_by else None
            repl_label = repl.label() if repl else (e.replaced_by or "")
            if e.in_force_to is not None and e.status_of("in_force_to") == VERIFIED and ref > e.in_force_to:
                seen.add(e.key)
                yield rule.finding(
                    doc,
                    _citation_span(c),
                    citation=c.label,
                    until=show_date(e.in_force_to),
                    replaced_vi=f"; thay bằng {repl_label}" if repl_label else "",
                    replaced_en=f"; replaced by {repl_label}" if repl_label else "",
                    **phrase,
                )
            elif (
                e.replaced_by
                and e.status_of("replaced_by") != VERIFIED
                and e.assume_replaced_from is not None
                and ref >= e.assume_replaced_from
            ):
                seen.add(e.key)
                yield rule.finding(
                    doc,
                    _citation_span(c),
                    variant="unconfirmed",
                    severity=Severity.INFO,
                    citation=c.label,
                    replacement=repl_label,
                    **phrase,
                )


def _program(key: str) -> dict:
    for p in programs():
        if p["key"] == key:
            return p
    raise ValueError(f"chương trình không có trong programs_periods.yaml / unknown program '{key}'")


def merged_pattern(merged_key: str, field: str) -> regex.Pattern[str] | None:
    """A pattern the merged program's entry in programs_periods.yaml gives (``short_hint``:
    its name however abbreviated; ``past_title``: a title about a merged-in program's past)."""
    return _merged_patterns(merged_key).get(field)


@functools.lru_cache(maxsize=8)
def _merged_patterns(merged_key: str) -> dict[str, regex.Pattern[str]]:
    entry = _program(merged_key)
    return {f: regex.compile(entry[f], regex.I) for f in ("short_hint", "past_title") if entry.get(f)}


def _found(pattern: regex.Pattern[str] | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


def _key_of(number: str) -> str:
    n, y, kh = parse_number(number)
    return doc_key(n, y, kh)


class MissingBasis(Kind):
    """PC207: a program plan rests on the program's approving decision or a higher plan.

    The period comes from the plan year; the decision of that period (90/QĐ-TTg for
    2021–2025…) cited anywhere, or a Kế hoạch cited in the opening "Căn cứ / Thực hiện"
    paragraphs, is a basis. Citing another period's decision as basis is a warning,
    except in a plan dated before its own period's decision existed.

    From 2026 (``merged_into`` in programs_periods.yaml) the program is part of the merged
    program 2026–2035: its basis is Nghị quyết 257/2025/QH15, Quyết định 417/QĐ-BNNMT
    (``also_basis``) or the province's plan. A 2026+ plan whose title carries out the old
    program is one warning on the title. Quyết định 90/QĐ-TTg cited in a plan that also has
    the current basis, or in a clause about money carried over, is right.
    """

    required = ("program", "title_pattern")

    def setup(self, params):
        self.program = _program(params["program"])
        self.title = compile_pattern(params["title_pattern"], "title_pattern")
        self.higher = compile_pattern(params.get("higher_plan", r"(?i)\bkế\s+hoạch\b"), "higher_plan")
        self.carried = compile_pattern(params.get("carried", r"(?!x)x"), "carried")
        merged = self.program.get("merged_into")
        self.merged = _program(merged) if merged else None
        self.merged_names = (
            [regex.compile(n, regex.V1 | regex.IGNORECASE) for n in self.merged["names"]] if self.merged else []
        )

    def _period(self, year: int) -> tuple[dict, dict] | None:
        prog = self.program
        while True:
            for p in prog["periods"]:
                if p["from"] <= year <= p["to"]:
                    return prog, p
            nxt = prog.get("successor")
            if not nxt:
                return None
            prog = _program(nxt)

    def _stale_title(self, title: str, year: int) -> bool:
        """A 2026+ plan whose title carries out the program that was merged."""
        since = self.program.get("merged_from")
        if self.merged is None or not since or year < int(since):
            return False
        hint = merged_pattern(self.merged["key"], "short_hint")
        return not (any(p.search(title) for p in self.merged_names) or _found(hint, title))

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        meta = doc.metadata
        title = meta.get("title") or ""
        year = meta.get("plan_year")
        if not isinstance(year, int) or not self.title.search(title):
            return
        found = self._period(year)
        if found is None:
            return
        prog, period = found
        decision = period.get("decision")
        if not decision:
            return
        if prog is not self.program and _found(merged_pattern(prog["key"], "past_title"), title):
            return  # a 2026 plan to sum up the old program: its basis is the old one's
        if self._stale_title(title, year):
            yield rule.finding(
                doc,
                doc.title_span,
                variant="merged",
                severity=Severity.WARNING,
                year=str(year),
                old=self.program["name"],
                program=prog["name"],
                period=f"{period['from']}-{period['to']}",
                decision=decision,
                policy=period.get("policy") or "",
            )
            return
        dkey = _key_of(decision)
        ddate = period.get("decision_date")
        issue = parse_iso(meta.get("issue_date"))
        lower = parse_iso(meta.get("date_lower_bound"))
        if ddate is None:
            before_decision = False
        elif issue is not None:
            before_decision = issue < ddate
        else:  # no issue date: a plan for the decision's year or earlier may predate it
            before_decision = year <= ddate.year and (lower is None or lower < ddate)
        others = {}
        for p in [*self.program["periods"], *(prog["periods"] if prog is not self.program else [])]:
            if p.get("decision") and p["decision"] != decision:
                others[_key_of(p["decision"])] = p
        policy = period.get("policy")
        pkey = _key_of(policy) if policy else None
        also = {_key_of(x) for x in period.get("also_basis") or ()}
        cites_decision = has_higher = False
        wrong: list[tuple[Citation, dict]] = []
        for c in extract_citations(doc):
            e = resolve(doc, c)
            if c.key == dkey and (e is not None or c.date is None):
                cites_decision = True
            if c.key in also:
                cites_decision = True
            if c.basis and (
                c.type_word == "Kế hoạch"
                or (c.type_abbr or "").upper() == "KH"
                or self.higher.search(context_of(doc, c))
            ):
                has_higher = True
            if before_decision and pkey and c.key == pkey:
                cites_decision = True
            if c.basis and c.key in others and resolve(doc, c) is not None:
                wrong.append((c, others[c.key]))
        merged_period = prog is not self.program
        if merged_period:
            # the old program's decision beside the current basis, or for money carried
            # over, is the basis of that money: right
            wrong = [
                (c, p)
                for c, p in wrong
                if not (cites_decision or has_higher or self.carried.search(context_of(doc, c)))
            ]
        for c, p in wrong:
            if before_decision:
                cites_decision = True  # the previous period's decision was what existed
                continue
            yield rule.finding(
                doc,
                _citation_span(c),
                variant="merged_basis" if merged_period else "other_period",
                severity=Severity.WARNING,
                citation=c.label,
                period=f"{p['from']}-{p['to']}",
                plan_period=f"{period['from']}-{period['to']}",
                decision=decision,
                policy=policy or "",
                program=prog["name"],
                year=str(year),
            )
        if not (cites_decision or has_higher or wrong):
            yield rule.finding(
                doc,
                doc.title_span,
                variant="missing_merged" if merged_period else None,
                decision=decision,
                policy=policy or "",
                period=f"{period['from']}-{period['to']}",
                program=prog["name"],
            )


class MalformedKyHieu(Kind):
    """PC208: number–ký hiệu written with stray spaces or without its hyphen.

    One finding per distinct writing: a malformed number repeated down a table is one
    defect to fix. A Party document's number is written "27-NQ/TW" (``party_issuers``).
    """

    def setup(self, params):
        self.party = {p.upper() for p in params.get("party_issuers", ["TW", "TU", "HU", "ĐU", "QU", "ĐUK"])}

    def run(self, doc: Document, rule) -> Iterable[Finding]:
        seen: set[str] = set()
        for c in extract_citations(doc):
            if not c.malformed:
                continue
            found = doc.slice(c.number_span)
            if found in seen:
                continue
            seen.add(found)
            groups = c.kyhieu.split("-")
            expected = c.written
            if len(groups) == 2 and groups[1].upper() in self.party and c.year is None:
                expected = f"{c.number}-{groups[0]}/{groups[1]}"
            what_vi = "thừa dấu cách" if "space" in c.malformed else "thiếu dấu gạch nối"
            what_en = "stray spaces" if "space" in c.malformed else "missing hyphen"
            if "space" in c.malformed and "hyphen" in c.malformed:
                what_vi, what_en = "thừa dấu cách, thiếu dấu gạch nối", "stray spaces, missing hyphen"
            yield rule.finding(
                doc,
                c.number_span,
                found=found,
                expected=expected,
                what_vi=what_vi,
                what_en=what_en,
                suggestion=expected,
            )
