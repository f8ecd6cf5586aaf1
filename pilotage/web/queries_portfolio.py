"""The consultant's portfolio: every contract of every organization the user belongs to.

Three queries whatever the number of contracts (memberships, contracts with
their latest run and newest version, the breached rows of those runs).  The
figures read from the contract file (deadlines, lint score, exit readiness)
are computed once per file text and cached in the process.

**Exit readiness** is the share of the exit checklist the contract's
``reversibility`` clauses cover (until exit registers exist): a
reversibility clause; it applies on expiry and on termination; an exit plan
due at a set date; an exit transition period; assistance listed; data
exported in an open format; the export scope includes the data; a cost
agreed; a deletion certificate; scripts and configurations owned by the
customer.  Ten points, each worth 10 %.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db.models import F, OuterRef, Q, Subquery

from pilotage.contract.dates import Deadline, add_months, contract_deadlines
from pilotage.contract.loader import ContractErrors, load_contract
from pilotage.web.choices import Role
from pilotage.web.forms_contract import lint_text
from pilotage.web.models import Contract, ContractVersion, Membership, User, WindowResultRow

__all__ = [
    "COMMITTEE_MONTHS",
    "NOTICE_MONTHS",
    "READINESS_CHECKS",
    "FileFigures",
    "PortfolioRow",
    "file_figures",
    "portfolio",
    "readiness",
]

NOTICE_MONTHS = 6
"""Notice (and tender) deadlines shown this many months ahead."""
COMMITTEE_MONTHS = 2
"""Committees shown this many months ahead."""
NOTICE_KINDS = ("notice_customer", "notice_provider", "tender")


def _m(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


READINESS_CHECKS: tuple[tuple[str, Any], ...] = (
    ("clause", lambda r: r.get("clause") is True),
    (
        "applies_on",
        lambda r: (
            {"expiry"} <= set(r.get("applies_on") or ())
            and any(str(x).startswith("termination") for x in r.get("applies_on") or ())
        ),
    ),
    ("plan_due", lambda r: bool(r.get("plan_due"))),
    ("transition", lambda r: bool(r.get("transition"))),
    ("assistance", lambda r: bool(r.get("assistance"))),
    ("open_format", lambda r: _m(r.get("data_export")).get("format") == "open"),
    ("data_exported", lambda r: "data" in (_m(r.get("data_export")).get("scope") or ())),
    ("cost", lambda r: bool(r.get("cost"))),
    ("deletion_certificate", lambda r: r.get("deletion_certificate") is True),
    ("ownership", lambda r: r.get("ownership_of_scripts_and_configurations") == "customer"),
)
"""The exit checklist read from ``reversibility`` (see the module's documentation)."""


def readiness(document: Mapping[str, Any]) -> int:
    """Exit readiness, 0-100: the share of :data:`READINESS_CHECKS` the clauses meet."""
    clauses = _m(document.get("reversibility"))
    met = sum(1 for _, check in READINESS_CHECKS if check(clauses))
    return round(100 * met / len(READINESS_CHECKS))


@dataclass(frozen=True)
class FileFigures:
    """What the portfolio reads from a contract file."""

    loads: bool
    lint_score: int | None
    readiness: int | None
    deadlines: tuple[Deadline, ...] = ()


@lru_cache(maxsize=512)
def _figures(text: str, today: dt.date) -> FileFigures:
    try:
        contract = load_contract(text, source_name="contract.yaml")
    except ContractErrors:
        return FileFigures(False, None, None)
    in_force = [v for v in contract.versions if v.effective <= today] or [contract.versions[0]]
    document = copy.deepcopy(dict(in_force[-1].terms.document))
    until = add_months(today, NOTICE_MONTHS)
    deadlines = tuple(d for d in contract_deadlines(document, today, until=until) if d.day <= until)
    return FileFigures(True, lint_text(text).overall(), readiness(document), deadlines)


def file_figures(text: str, today: dt.date) -> FileFigures:
    """Deadlines, lint score and readiness of a contract text (cached per text and day)."""
    return _figures(text, today)


@dataclass
class PortfolioRow:
    """One contract in the portfolio."""

    contract: Contract
    role: str
    period: str | None
    breached: list[str] = field(default_factory=list)
    """Level ids breached in the last closed month."""
    figures: FileFigures | None = None
    version_id: int | None = None
    """The contract's current (newest) version."""
    notices: list[Deadline] = field(default_factory=list)
    committees: list[Deadline] = field(default_factory=list)


def portfolio(user: User, today: dt.date) -> tuple[list[Membership], list[PortfolioRow]]:
    """The user's memberships and a row per contract they may see, in three queries."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
    )
    roles = {m.organization_id: m.role for m in memberships}
    full = [m.organization_id for m in memberships if m.role != Role.PROVIDER]
    narrow = [m.organization_id for m in memberships if m.role == Role.PROVIDER]
    newest = ContractVersion.objects.filter(contract=OuterRef("pk")).order_by("-number")
    contracts = list(
        Contract.objects.filter(
            Q(organization_id__in=full)
            | Q(organization_id__in=narrow, provider_accesses__user=user)
        )
        .select_related("organization", "latest_run")
        .defer("latest_run__report_json")
        .annotate(
            current_text=Subquery(newest.values("text")[:1]),
            current_version_id=Subquery(newest.values("pk")[:1]),
        )
        .order_by("organization__name", "title")
        .distinct()
    )
    rows = [
        PortfolioRow(
            c,
            roles[c.organization_id],
            c.latest_run.period if c.latest_run is not None else None,
            version_id=getattr(c, "current_version_id", None),
        )
        for c in contracts
    ]
    by_run = {r.contract.latest_run_id: r for r in rows if r.contract.latest_run_id}
    if by_run:
        breached = (
            WindowResultRow.objects.filter(
                run_id__in=list(by_run), status="breached", window=F("run__period")
            )
            .values_list("run_id", "level_id")
            .order_by("run_id", "level_id")
        )
        for run_id, level_id in breached:
            by_run[run_id].breached.append(level_id)
    committee_until = add_months(today, COMMITTEE_MONTHS)
    for row in rows:
        text = getattr(row.contract, "current_text", None)
        if not text:
            continue
        row.figures = file_figures(text, today)
        row.notices = [d for d in row.figures.deadlines if d.kind in NOTICE_KINDS]
        row.committees = [
            d for d in row.figures.deadlines if d.kind == "committee" and d.day <= committee_until
        ]
    return memberships, rows
