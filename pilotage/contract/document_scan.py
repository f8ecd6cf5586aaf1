"""Scan the signed contract's text (PDF or DOCX) for vague wording and missing clauses.

The text is read page by page: with pypdf for a PDF, with python-docx for a
DOCX (whose pages are counted from its explicit page breaks).  Each vague
phrase ("dans les meilleurs délais", "best effort"...) is reported with its
page and an excerpt; each clause the lint rules expect but the text never
mentions (reversibility, penalties, data location, breach notification,
audit right...) is reported once.  Findings use the severity of the lint
rule they rest on under the chosen profile.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from pilotage import i18n
from pilotage.contract.lint import DEFAULT_PROFILE, PROFILES, RULES, Finding, LintReport
from pilotage.contract.lint.profiles import severity_of
from pilotage.contract.lint.vague import find_vague
from pilotage.errors import ContractError, Location

__all__ = ["EXPECTED_CLAUSES", "read_pages", "scan_document", "scan_pages"]

EXCERPT_CHARS: Final = 60
"""Characters of context shown on each side of a vague phrase."""

EXPECTED_CLAUSES: Final[tuple[tuple[str, str, str], ...]] = (
    # (clause, rule it rests on, pattern that shows the text addresses it)
    ("reversibility", "REV-001", r"r[ée]versibilit|reversibility|exit plan|plan de sortie"),
    ("penalties", "SLA-011", r"p[ée]nalit|service credit|penalt"),
    (
        "data_location",
        "GDPR-011",
        r"localisation des donn|lieu\w* d.h[ée]bergement|data (location|residency)|"
        r"(stock[ée]es|h[ée]berg[ée]es|trait[ée]es) (exclusivement )?(en|dans l.union|au sein)|"
        r"(stored|hosted|processed) (only )?(in|within) ",
    ),
    ("breach_notification", "GDPR-010", r"violation\w* de(s)? donn|data breach"),
    ("audit", "SEC-004", r"\baudit"),
    ("security_plan", "SEC-001", r"plan d.assurance s[ée]curit|security assurance plan"),
    ("notice", "TRM-003", r"pr[ée]avis|notice period|\bnotice\b"),
    ("subcontracting", "SUB-001", r"sous-trait|subcontract"),
)
_EXPECTED = [(c, r, re.compile(p, re.IGNORECASE)) for c, r, p in EXPECTED_CLAUSES]

_CLAUSE_NAMES: Final = {
    "reversibility": ("reversibility", "la réversibilité"),
    "penalties": ("penalties", "les pénalités"),
    "data_location": ("where the data is located", "la localisation des données"),
    "breach_notification": (
        "the notification of personal data breaches",
        "la notification des violations de données personnelles",
    ),
    "audit": ("an audit right", "un droit d’audit"),
    "security_plan": ("a security assurance plan", "un plan d’assurance sécurité"),
    "notice": ("notice periods", "les préavis"),
    "subcontracting": ("subcontracting", "la sous-traitance"),
}
i18n.register(
    {
        f"lint.DOC.missing_{clause}": {
            "en": f"the text never mentions {en}",
            "fr": f"le texte ne mentionne jamais {fr}",
        }
        for clause, (en, fr) in _CLAUSE_NAMES.items()
    }
)
i18n.register(
    {
        "lint.DOC.vague": {
            "en": 'vague wording "{term}": a commitment written this way cannot be measured '
            "nor breached",
            "fr": "formulation vague « {term} » : un engagement écrit ainsi ne peut être ni "
            "mesuré ni manqué",
        },
        "lint.DOC.unreadable": {
            "en": "cannot read the document: {reason}",
            "fr": "impossible de lire le document : {reason}",
        },
        "lint.DOC.unsupported": {
            "en": "unsupported document type {suffix}: expected .pdf or .docx",
            "fr": "type de document {suffix} non pris en charge : .pdf ou .docx attendu",
        },
    }
)

_VAGUE_RULE: Final = {"obligation de moyens": "LIA-001"}
"""Vague phrases that rest on another rule than SLA-002 (measurable targets)."""


def _pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def _docx_pages(path: Path) -> list[str]:
    from docx import Document
    from docx.oxml.ns import qn

    text_tag, break_tag, cell_tag = qn("w:t"), qn("w:br"), qn("w:tc")
    pages: list[list[str]] = [[]]
    for block in Document(str(path)).element.body.iterchildren():
        if block.tag == qn("w:tbl"):
            cells = ("".join(t.text or "" for t in c.iter(text_tag)) for c in block.iter(cell_tag))
            pages[-1].append(" | ".join(cells))
        elif block.tag == qn("w:p"):
            line = ""
            for element in block.iter(text_tag, break_tag):
                if element.tag == text_tag:
                    line += element.text or ""
                elif element.get(qn("w:type")) == "page":
                    pages[-1].append(line)
                    line = ""
                    pages.append([])
            pages[-1].append(line)
    return ["\n".join(lines) for lines in pages]


def read_pages(path: str | os.PathLike[str]) -> list[str]:
    """The document's text, one string per page (``ContractError`` when unreadable)."""
    file = Path(path)
    suffix = file.suffix.lower()
    readers = {".pdf": _pdf_pages, ".docx": _docx_pages}
    if suffix not in readers:
        raise ContractError("lint.DOC.unsupported", {"suffix": suffix or "?"}, Location(str(path)))
    try:
        return readers[suffix](file)
    except Exception as error:  # pypdf and python-docx raise many kinds of errors
        raise ContractError(
            "lint.DOC.unreadable",
            {"reason": str(error) or type(error).__name__},
            Location(str(path)),
        ) from error


def _excerpt(text: str, start: int, end: int) -> str:
    left = max(0, start - EXCERPT_CHARS)
    right = min(len(text), end + EXCERPT_CHARS)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def scan_pages(
    pages: Sequence[str], *, file: str = "<document>", profile: str = DEFAULT_PROFILE
) -> LintReport:
    """Findings on a document's pages: each vague phrase, then each clause never mentioned."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile: {profile}")
    report = LintReport(file=file, profile=profile)
    pages = [" ".join(page.split()) for page in pages]  # lines broken by the layout
    for number, text in enumerate(pages, start=1):
        for start, end, folded in find_vague(text):
            rule = _VAGUE_RULE.get(folded, "SLA-002")
            severities = severity_of(profile, rule)
            if severities is None:
                continue
            location = Location(file=file, row=number, value=_excerpt(text, start, end))
            report.findings.append(
                Finding(
                    rule=rule,
                    severity=severities[0],
                    area=RULES[rule].area,
                    code="lint.DOC.vague",
                    params={"term": text[start:end]},
                    path="",
                    location=location,
                )
            )
    whole = "\n".join(pages)
    for clause, rule, pattern in _EXPECTED:
        severities = severity_of(profile, rule)
        if severities is None or pattern.search(whole):
            continue
        report.findings.append(
            Finding(
                rule=rule,
                severity=severities[1],
                area=RULES[rule].area,
                code=f"lint.DOC.missing_{clause}",
                params={},
                path=clause,
                location=Location(file=file),
            )
        )
    return report


def scan_document(path: str | os.PathLike[str], *, profile: str = DEFAULT_PROFILE) -> LintReport:
    """Scan a signed contract (``.pdf`` or ``.docx``)."""
    return scan_pages(read_pages(path), file=str(path), profile=profile)
