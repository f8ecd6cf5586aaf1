"""Run the rules on a contract file and score each area."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pilotage import i18n
from pilotage.contract import loader
from pilotage.contract.amendments import Pos
from pilotage.contract.lint import rules_exit, rules_governance, rules_sla  # noqa: F401
from pilotage.contract.lint.profiles import DEFAULT_PROFILE, PROFILES, severity_of
from pilotage.contract.lint.registry import AREAS, RULES, Context, Hit, Severity
from pilotage.errors import Location

__all__ = ["AreaScore", "Finding", "LintReport", "lint_document", "lint_file"]

WEIGHTS: Mapping[Severity, int] = {"error": 3, "warning": 2, "info": 1}
"""Weight of a rule in its area's score, by its severity under the profile."""

TRANSLATED_PARAMS = frozenset({"party", "kind", "criticality", "frequency"})
"""Finding parameters whose values are format keywords shown in the user's language."""

LOAD_RULE = "LOAD"
"""Rule id of the loader's own errors."""

i18n.register(
    {
        "lint.area.load": {"en": "Contract file", "fr": "Fichier du contrat"},
        "lint.value.customer": {"en": "the customer", "fr": "le client"},
        "lint.value.provider": {"en": "the provider", "fr": "le prestataire"},
        "lint.value.professional_liability": {
            "en": "professional liability",
            "fr": "responsabilité civile professionnelle",
        },
        "lint.value.cyber": {"en": "cyber", "fr": "cyber"},
        "lint.value.critical": {"en": "critical", "fr": "critique"},
        "lint.value.high": {"en": "high", "fr": "élevée"},
        "lint.value.weekly": {"en": "weekly", "fr": "hebdomadaire"},
        "lint.value.monthly": {"en": "monthly", "fr": "mensuel"},
        "lint.value.quarterly": {"en": "quarterly", "fr": "trimestriel"},
        "lint.value.half_yearly": {"en": "half-yearly", "fr": "semestriel"},
        "lint.value.yearly": {"en": "yearly", "fr": "annuel"},
        "lint.LOAD.title": {
            "en": "The file loads as a valid contract",
            "fr": "Le fichier se charge comme un contrat valide",
        },
    }
)


@dataclass(frozen=True)
class Finding:
    """One problem: a rule, its severity under the profile, the message and where."""

    rule: str
    severity: Severity
    area: str
    code: str
    params: Mapping[str, Any]
    path: str
    location: Location | None = None
    version: dt.date | None = None
    """Effective date of the amended version where it first appears (None: the original)."""

    def message(self, lang: str) -> str:
        """What is wrong, in ``lang`` (format keywords among the parameters translated)."""
        catalog = i18n.all_messages()
        params = {
            key: i18n.t(f"lint.value.{value}", lang)
            if key in TRANSLATED_PARAMS and f"lint.value.{value}" in catalog
            else value
            for key, value in self.params.items()
        }
        return i18n.t(self.code, lang, **params)


@dataclass(frozen=True)
class AreaScore:
    """Share (0-100) of the applicable rules' weight that the contract passes in an area."""

    area: str
    score: int
    passed: int
    total: int


@dataclass
class LintReport:
    """Every finding of a file under a profile, and the score per area."""

    file: str
    profile: str
    findings: list[Finding] = field(default_factory=list)
    scores: list[AreaScore] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Number of error findings."""
        return sum(1 for f in self.findings if f.severity == "error")

    def count(self, severity: Severity) -> int:
        """Number of findings of a severity."""
        return sum(1 for f in self.findings if f.severity == severity)

    def overall(self) -> int:
        """Score over all areas (weighted like the areas)."""
        total = sum(s.total for s in self.scores)
        return round(100 * sum(s.passed for s in self.scores) / total) if total else 100


def _dotted(path: Sequence[str | int]) -> str:
    return ".".join(str(p) for p in path) or "(root)"


def _position(pos: Pos | None, doc: Any, path: Sequence[str | int]) -> Pos | None:
    """The position of a path whose list items are named by id, in the original file."""
    if pos is None:
        return None
    node = doc
    for segment in path:
        if isinstance(node, list) and isinstance(segment, str):
            index = next(
                (i for i, v in enumerate(node) if isinstance(v, dict) and v.get("id") == segment),
                None,
            )
            if index is None:
                break
            segment = index
        child = pos.child(segment)
        if child is None:
            break
        pos = child
        if isinstance(node, dict) and isinstance(segment, str):
            node = node.get(segment)
        elif isinstance(node, list) and isinstance(segment, int):
            node = node[segment]
        else:
            node = None
    return pos


def _hits(document: Mapping[str, Any], profile: str) -> list[tuple[str, Hit]]:
    ctx = Context(document)
    found: list[tuple[str, Hit]] = []
    for rule_id, rule in RULES.items():
        if severity_of(profile, rule_id) is None:
            continue
        found.extend((rule_id, hit) for hit in rule.check(ctx))
    return found


def lint_document(
    document: Mapping[str, Any],
    *,
    profile: str = DEFAULT_PROFILE,
    file: str = "<contract>",
    positions: Pos | None = None,
    versions: Sequence[tuple[dt.date, Mapping[str, Any]]] = (),
) -> LintReport:
    """Lint plain contract data (as :func:`~pilotage.contract.read_document` gives it).

    ``versions`` are the amended versions' resolved documents (effective date,
    document): a finding that appears only in a later version is reported with
    that version's date.  ``positions`` locate findings in the file.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile: {profile}")
    report = LintReport(file=file, profile=profile)
    seen: set[tuple[Any, ...]] = set()
    fired: set[str] = set()
    for version, doc in [(None, document), *versions]:
        for rule_id, hit in _hits(doc, profile):
            key = (rule_id, hit.what, hit.path, tuple(sorted(map(str, hit.params.items()))))
            if key in seen:
                continue
            seen.add(key)
            fired.add(rule_id)
            severities = severity_of(profile, rule_id)
            assert severities is not None
            at = _position(positions, document, hit.path) if hit.path else None
            location = Location(file=file)
            if at is not None:
                line, column = at.line, at.column
                if at.key_line is not None and at.key_column is not None:
                    line, column = at.key_line, at.key_column
                location = Location(file=file, line=line, column=column)
            report.findings.append(
                Finding(
                    rule=rule_id,
                    severity=severities[1] if hit.escalated else severities[0],
                    area=RULES[rule_id].area,
                    code=f"lint.{rule_id}.{hit.what}",
                    params=dict(hit.params),
                    path=_dotted(hit.path),
                    location=location,
                    version=version,
                )
            )
    report.findings.sort(key=_order)
    report.scores = _scores(profile, fired, report.findings)
    return report


def _order(finding: Finding) -> tuple[int, int, str, str]:
    loc = finding.location or Location()
    rank = ("error", "warning", "info").index(finding.severity)
    return (rank, loc.line or 0, finding.rule, finding.path)


def _scores(profile: str, fired: set[str], findings: Sequence[Finding]) -> list[AreaScore]:
    worst: dict[str, Severity] = {}
    for finding in findings:
        current = worst.get(finding.rule)
        if current is None or WEIGHTS[finding.severity] > WEIGHTS[current]:
            worst[finding.rule] = finding.severity
    scores = []
    for area in AREAS:
        passed = total = 0
        for rule_id, rule in RULES.items():
            severities = severity_of(profile, rule_id)
            if rule.area != area or severities is None:
                continue
            weight = WEIGHTS[worst.get(rule_id, severities[0])]
            total += weight
            passed += 0 if rule_id in fired else weight
        if total:
            scores.append(AreaScore(area, round(100 * passed / total), passed, total))
    return scores


def _loader_findings(error: loader.ContractErrors) -> list[Finding]:
    return [
        Finding(
            rule=LOAD_RULE,
            severity="error",
            area="load",
            code=e.code,
            params=dict(e.params),
            path="",
            location=e.location,
        )
        for e in error.errors
    ]


def _located(path: str | os.PathLike[str]) -> tuple[dict[str, Any], Pos]:
    """The file as plain data with the position of every value."""
    return loader.read_located(path)


def lint_file(path: str | os.PathLike[str], *, profile: str = DEFAULT_PROFILE) -> LintReport:
    """Lint a contract file: the loader's errors (as LOAD findings), then every rule.

    A file that is not YAML at all raises :class:`~pilotage.contract.ContractErrors`.
    The rules run on the file as written and on each amended version when the
    file loads.
    """
    name = str(path)
    document, positions = _located(path)
    versions: list[tuple[dt.date, Mapping[str, Any]]] = []
    load_errors: list[Finding] = []
    try:
        contract = loader.load_contract(path)
    except loader.ContractErrors as error:
        load_errors = _loader_findings(error)
    else:
        versions = [(v.effective, v.terms.document) for v in contract.versions[1:]]
    base = {k: v for k, v in document.items() if k != "amendments"}
    base_with_amendments = {**base, "amendments": document.get("amendments")}
    report = lint_document(
        base_with_amendments if "amendments" in document else base,
        profile=profile,
        file=name,
        positions=positions,
        versions=versions,
    )
    report.findings[:0] = load_errors
    return report
