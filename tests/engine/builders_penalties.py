"""Builders for contracts and window results in penalty, availability and backup tests.

They build the typed terms directly, as the loader would from
``contract-example.yaml``, with keyword overrides for what a test varies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pilotage.contract.model import (
    Applicability,
    Band,
    Cap,
    Contract,
    ContractVersion,
    Duration,
    MaintenanceExclusion,
    Measurement,
    OutageRule,
    PenaltyRules,
    PenaltyTerms,
    Service,
    ServiceLevel,
    Terms,
)
from pilotage.engine.results import WindowResult

PARIS = ZoneInfo("Europe/Paris")
D = Decimal


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    """A Paris wall-clock time as UTC epoch seconds (fold 0)."""
    return int(dt.datetime(year, month, day, hour, minute, second, tzinfo=PARIS).timestamp())


def month_window(year: int, month: int) -> tuple[str, int, int]:
    """``(label, start, end)`` of a calendar month in Paris."""
    nxt = (year + month // 12, month % 12 + 1)
    return f"{year}-{month:02d}", at(year, month, 1), at(*nxt, 1)


def quarter_window(year: int, quarter: int) -> tuple[str, int, int]:
    """``(label, start, end)`` of a calendar quarter in Paris."""
    first = 3 * (quarter - 1) + 1
    end = (year + 1, 1) if quarter == 4 else (year, first + 3)
    return f"{year}-Q{quarter}", at(year, first, 1), at(*end, 1)


MAIL = ServiceLevel(
    id="mail-availability",
    name="Disponibilité de la messagerie",
    metric="availability",
    applies_to=Applicability(service=("messagerie",)),
    calendar="always",
    objective=D("0.995"),
    outage=OutageRule(failed_samples=2, missing_samples="excluded"),
    maintenance=MaintenanceExclusion(
        notice=Duration(D(48), "h"), max_per_month=Duration(D(4), "h"), only_outside="business"
    ),
    penalty=PenaltyTerms(bands=(Band(D("0.995"), D("0.03")), Band(D("0.990"), D("0.08")))),
)
P1_RESPONSE = ServiceLevel(
    id="p1-response",
    name="Prise en charge des incidents critiques",
    metric="response_time",
    applies_to=Applicability(kind=("incident",), priority=("P1",)),
    target=Duration(D(30), "min"),
    calendar="business",
    objective=D("0.95"),
    penalty=PenaltyTerms(per_breach=D(150), cap=Cap(amount=D(1500))),
)
P1_RESOLUTION = ServiceLevel(
    id="p1-resolution",
    name="Rétablissement des incidents critiques",
    metric="resolution_time",
    applies_to=Applicability(kind=("incident",), priority=("P1",)),
    target=Duration(D(4), "h"),
    calendar="business",
    objective=D("0.95"),
    allowed_breaches=1,
    penalty=PenaltyTerms(per_point_below=D("0.01"), cap=Cap(fraction_of_fee=D("0.05"))),
)
BACKUPS = ServiceLevel(
    id="backups",
    name="Sauvegardes réussies",
    metric="backup_success",
    applies_to=Applicability(service=("sauvegarde",)),
    objective=D("0.98"),
    warning_counts_as="success",
    penalty=PenaltyTerms(per_point_below=D("0.005"), cap=Cap(fraction_of_fee=D("0.02"))),
)
RESTORE = ServiceLevel(
    id="restore-tests",
    name="Tests de restauration",
    metric="restore_test",
    applies_to=Applicability(service=("sauvegarde",)),
    every=Duration(D(6), "mo"),
    within_rto=True,
)

CALENDARS: dict[str, Any] = {
    "business": {
        "timezone": "Europe/Paris",
        "hours": {"mon-fri": ["08:00-12:30", "13:30-18:00"]},
        "holidays": {"country": "FR", "worked": ["Lundi de Pentecôte"]},
    },
    "always": {"timezone": "Europe/Paris", "hours": "24x7"},
}


def make_terms(**overrides: Any) -> Terms:
    """Terms of the reference contract; keyword arguments replace fields."""
    services = {
        "messagerie": Service("messagerie", "Messagerie", rto=Duration(D(4), "h")),
        "sauvegarde": Service(
            "sauvegarde",
            "Sauvegardes",
            rto=Duration(D(8), "h"),
            restore_test_every=Duration(D(6), "mo"),
        ),
    }
    terms = Terms(
        contract_id="martin-nordinfo",
        title="Infogérance",
        timezone="Europe/Paris",
        currency="EUR",
        monthly_fee=D(4800),
        term_start=dt.date(2026, 1, 1),
        scope={"backups": True},
        services=services,
        calendars=CALENDARS,
        priority_basis="final",
        priority_levels=("P1", "P2", "P3", "P4"),
        measurement=Measurement(),
        service_levels=(P1_RESPONSE, P1_RESOLUTION, MAIL, BACKUPS, RESTORE),
        penalties=PenaltyRules(
            monthly_cap=D("0.15"),
            grace_months=2,
            claim_within=Duration(D(2), "mo"),
            persistent_consecutive_months=3,
        ),
        document={"penalties": {"persistent_breach": {"gives": "termination_right"}}},
    )
    return replace(terms, **overrides)


def make_contract(
    terms: Terms | None = None, amendments: Sequence[tuple[dt.date, Terms]] = ()
) -> Contract:
    """A contract from its original terms and ``(effective, terms)`` amendments."""
    terms = terms or make_terms()
    versions = [ContractVersion(terms.term_start, terms, "h0")]
    for i, (effective, amended) in enumerate(amendments, start=1):
        versions.append(ContractVersion(effective, amended, f"h{i}", amendment_id=f"avenant-{i}"))
    return Contract(tuple(versions))


def with_level(terms: Terms, level: ServiceLevel) -> Terms:
    """``terms`` with ``level`` replacing the level of the same id (or added)."""
    levels = [lv for lv in terms.service_levels if lv.id != level.id]
    return replace(terms, service_levels=(*levels, level))


def result(
    level_id: str,
    window: tuple[str, int, int],
    *,
    value: Decimal | None = None,
    objective: Decimal | None = None,
    breached: int = 0,
    status: str = "breached",
    finality: str = "final",
    metric: str = "resolution_time",
) -> WindowResult:
    """A window result as evaluation would give it."""
    label, start, end = window
    return WindowResult(
        level_id=level_id,
        window=label,
        start=start,
        end=end,
        metric=metric,
        eligible=max(breached, 1),
        met=0,
        breached=breached,
        value=value,
        objective=objective,
        allowed_breaches=None,
        status=status,  # type: ignore[arg-type]
        finality=finality,  # type: ignore[arg-type]
        terms_hash="h0",
    )
