"""The monthly report as plain, immutable data.

One :class:`MonthlyReport` is built from a run and rendered to JSON, HTML, PDF
and XLSX.  The model holds values, never presentation: ratios and amounts are
Decimal, counts and durations int (seconds), instants UTC epoch seconds (shown
in the contract's timezone), calendar dates :class:`datetime.date`.  Texts the
reader sees are message codes resolved by the renderers in the user's
language, except names and titles that come from the contract or the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from pilotage.engine.results import PenaltyLine, WindowResult
from pilotage.provenance import Provenance

__all__ = [
    "CAUSES",
    "COMMITTEE_CODES",
    "DEADLINE_KINDS",
    "GAP_WORTH_RAISING",
    "AgeingBucket",
    "Appendix",
    "AvailabilityLevel",
    "BackupFailure",
    "BackupLevel",
    "Breach",
    "CommitteePoint",
    "ContractInfo",
    "Deadline",
    "HistoryPoint",
    "LevelRow",
    "MonthlyReport",
    "Note",
    "Outage",
    "Penalties",
    "PersistentBreach",
    "PopulationDiff",
    "PriorityChange",
    "Rag",
    "Reclassification",
    "Reconciliation",
    "ReconciliationRow",
    "RestoreTest",
    "Summary",
    "TraceSegment",
    "UnverifiablePauses",
    "VerdictDiff",
    "VolumeRow",
    "Volumes",
    "propose_committee_points",
    "rag_status",
]

Rag = Literal["green", "amber", "red", "grey"]
"""Red/amber/green status of a level; grey when there is no data."""

CAUSES = (
    "calendar",
    "holiday",
    "pause",
    "priority",
    "clock_start",
    "reclassified",
    "missing_provider",
    "missing_pilotage",
    "merged",
    "cancelled",
    "waiver",
    "unexplained",
)
"""Cause codes of a reconciliation gap (rendered as ``report.cause.<code>``)."""

GAP_WORTH_RAISING = Decimal("0.01")
"""A reconciliation gap of at least one point goes to the committee."""

DEADLINE_KINDS = ("claim", "notice", "committee", "report", "restore_test", "renewal")
"""Kinds of :class:`Deadline` (rendered as ``report.deadline.<kind>``)."""

COMMITTEE_CODES = (
    "penalty_due",
    "persistent_breach",
    "level_breached",
    "reconciliation_gap",
    "unverifiable_pauses",
    "priority_downgrades",
    "maintenance_not_excused",
    "backup_failures",
    "restore_test_overdue",
    "claim_deadline",
    "notice_deadline",
    "note",
)
"""Codes of :class:`CommitteePoint` (rendered as ``report.point.<code>``)."""


@dataclass(frozen=True)
class ContractInfo:
    """The contract and the version of it in force over the period."""

    id: str
    title: str
    ref: str
    """The contract's own reference, e.g. ``Contrat n° NI-2025-118 du 15/12/2025``."""
    customer: str
    provider: str
    timezone: str
    currency: str
    monthly_fee: Decimal
    version: str
    """SHA-256 of the contract version in force at the period's first instant."""
    effective: dt.date
    """Effective date of that version (the contract start or the amendment's)."""
    amendments: tuple[str, ...] = ()
    """Ids of the amendments applied in that version, in order."""


@dataclass(frozen=True)
class HistoryPoint:
    """One past window of a level, for the 12-month trend."""

    window: str
    value: Decimal | None
    objective: Decimal | None
    status: Literal["met", "breached", "no_data"]


@dataclass(frozen=True)
class LevelRow:
    """A service level over the report's period, with its recent history."""

    result: WindowResult
    name: str
    ref: str
    """Where the level is written in the contract (``Annexe 2, art. 3.1``)."""
    target: str
    """The target as the contract writes it (``30min``, ``4h``, ``3d``); empty if none."""
    calendar: str
    rag: Rag
    penalty: Decimal
    """Amount due for this level this period, after caps and grace, rounded."""
    history: tuple[HistoryPoint, ...] = ()
    """Up to 12 windows, oldest first, ending with the report's period."""

    @property
    def id(self) -> str:
        """The level's id."""
        return self.result.level_id


@dataclass(frozen=True)
class PersistentBreach:
    """How close a level is to the contract's persistent-breach rule."""

    level_id: str
    breached: int
    """Breached windows among the last ``out_of`` (``2`` months out of ``3``)."""
    out_of: int
    consecutive: int
    """Consecutive breached windows ending with the period."""
    reached: bool
    """The rule is met: the customer holds the right it gives."""
    gives: str = "termination_right"


@dataclass(frozen=True)
class Deadline:
    """A date the customer must not miss (claim, notice, committee...)."""

    kind: str
    """One of :data:`DEADLINE_KINDS`."""
    date: dt.date
    subject: str = ""
    """What it is about: a window label (``2026-10``), a committee name..."""


@dataclass(frozen=True)
class Summary:
    """The first page: euros, deadlines and persistent breaches."""

    due_this_month: Decimal
    due_year_to_date: Decimal
    credited_year_to_date: Decimal | None
    """Penalties the provider has already credited this year; None where credits
    are not tracked (the command line has no record of them)."""
    deadlines: tuple[Deadline, ...]
    persistent: tuple[PersistentBreach, ...]


@dataclass(frozen=True)
class TraceSegment:
    """A stretch of a ticket's life and the business time it counted."""

    start: int
    end: int
    status: Literal["open", "paused", "resolved"]
    pause_reason: str = ""
    counted_seconds: int = 0
    """Business seconds of this segment counted against the target."""


@dataclass(frozen=True)
class Breach:
    """A ticket that missed its target, with the trace that proves it."""

    ticket_id: str
    level_id: str
    title: str
    kind: str
    priority: str
    created_at: int
    stopped_at: int | None
    """Instant the clock stopped (response, resolution); ``None`` while open."""
    target_seconds: int
    elapsed_seconds: int
    """Business time counted, in seconds."""
    paused_seconds: int
    """Business time excluded as paused, in seconds."""
    segments: tuple[TraceSegment, ...]
    pause_verifiable: bool = True
    waived: bool = False


@dataclass(frozen=True)
class UnverifiablePauses:
    """Tickets whose pause time comes from the source's total, not its history."""

    count: int
    seconds: int
    """Total pause time taken on trust, in seconds."""
    ticket_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class PriorityChange:
    """A priority change on a ticket (downgrades are listed first)."""

    ticket_id: str
    title: str
    at: int
    before: str
    after: str
    direction: Literal["down", "up"]
    levels: tuple[str, ...] = ()
    """Levels whose eligibility the change affected."""


@dataclass(frozen=True)
class Reclassification:
    """A ticket whose kind, service or category differs between the two sides."""

    ticket_id: str
    title: str
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ReconciliationRow:
    """One level and window: the provider's figures against Pilotage's."""

    level_id: str
    window: str
    provider_eligible: int | None
    provider_met: int | None
    provider_value: Decimal | None
    eligible: int
    met: int
    value: Decimal | None
    causes: tuple[str, ...] = ()
    """Cause codes (:data:`CAUSES`), most important first."""

    @property
    def gap(self) -> Decimal | None:
        """Pilotage's ratio minus the provider's (negative: the provider overstates)."""
        if self.value is None or self.provider_value is None:
            return None
        return self.value - self.provider_value


@dataclass(frozen=True)
class PopulationDiff:
    """Tickets counted on one side only, or differently, grouped by cause."""

    cause: str
    count: int
    ticket_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerdictDiff:
    """A ticket both sides count but judge differently."""

    ticket_id: str
    level_id: str
    provider_met: bool
    met: bool
    cause: str


@dataclass(frozen=True)
class Reconciliation:
    """Where the provider's own report disagrees, and why."""

    rows: tuple[ReconciliationRow, ...] = ()
    population: tuple[PopulationDiff, ...] = ()
    verdicts: tuple[VerdictDiff, ...] = ()


@dataclass(frozen=True)
class Outage:
    """A down interval or a maintenance, and whether it was held against the provider."""

    service: str
    start: int
    end: int
    kind: Literal["down", "maintenance"]
    counted_seconds: int
    """Downtime counted within the measured time, in seconds."""
    announced_at: int | None = None
    excused: bool = False
    reason: str = ""
    """Why a maintenance was not excused: ``late_notice``, ``over_allowance``,
    ``business_hours``, ``not_announced``; empty otherwise."""


@dataclass(frozen=True)
class AvailabilityLevel:
    """An availability level: measured time, downtime and every outage."""

    level_id: str
    service: str
    measured_seconds: int
    downtime_seconds: int
    excused_seconds: int
    value: Decimal | None
    objective: Decimal | None
    outages: tuple[Outage, ...] = ()


@dataclass(frozen=True)
class BackupFailure:
    """An expected backup job that failed or never ran."""

    service: str
    scheduled_at: int
    status: Literal["failed", "missing", "warning"]


@dataclass(frozen=True)
class BackupLevel:
    """Backup success over the period for one service."""

    level_id: str
    service: str
    expected: int
    succeeded: int
    warnings: int
    failed: int
    missing: int
    value: Decimal | None
    objective: Decimal | None
    failures: tuple[BackupFailure, ...] = ()


@dataclass(frozen=True)
class RestoreTest:
    """The last restore test of a service and when the next one is due."""

    service: str
    performed_on: dt.date | None
    result: Literal["success", "failed", "none"]
    duration_seconds: int | None
    within_rto: bool | None
    next_due: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class VolumeRow:
    """Tickets of one kind and priority over the period."""

    kind: str
    priority: str
    opened: int
    resolved: int
    backlog: int
    """Still open at the end of the period."""


@dataclass(frozen=True)
class AgeingBucket:
    """Open tickets at the end of the period by age, in calendar days."""

    min_days: int
    max_days: int | None
    count: int


@dataclass(frozen=True)
class Volumes:
    """Ticket volumes, backlog and ageing, and what was set aside."""

    rows: tuple[VolumeRow, ...]
    ageing: tuple[AgeingBucket, ...]
    cancelled: int = 0
    merged: int = 0
    out_of_scope: int = 0

    @property
    def backlog(self) -> int:
        """Tickets still open at the end of the period."""
        return sum(r.backlog for r in self.rows)


@dataclass(frozen=True)
class Penalties:
    """The penalty statement of the period."""

    lines: tuple[PenaltyLine, ...]
    basis: Decimal
    """The fee the percentages apply to (pro rata if it changed in the period)."""
    monthly_cap: Decimal | None
    """The monthly cap as an amount, if the contract sets one."""
    grace: bool
    """The period is within the contract's grace months: nothing is due."""
    grace_until: dt.date | None = None
    claim_by: dt.date | None = None

    @property
    def total(self) -> Decimal:
        """Sum of the lines before caps, rounded to the cent."""
        return _cents(sum((line.gross for line in self.lines), Decimal(0)))

    @property
    def capped_total(self) -> Decimal:
        """Sum of the amounts due (after caps, grace and rounding)."""
        return sum((line.amount for line in self.lines), Decimal("0.00"))


@dataclass(frozen=True)
class CommitteePoint:
    """A point proposed for the next committee's agenda."""

    code: str
    """One of :data:`COMMITTEE_CODES`."""
    subject: str = ""
    """The level id, service or window the point is about."""
    count: int | None = None
    amount: Decimal | None = None
    date: dt.date | None = None
    text: str = ""
    """Free text (code ``note``)."""


@dataclass(frozen=True)
class Appendix:
    """The formulas in use and the contract's measurement options."""

    formulas: tuple[str, ...]
    """Formula codes (``compliance``, ``availability``, ``per_breach``...)."""
    options: tuple[tuple[str, str], ...] = ()
    """Measurement options as written in the contract (``unknown_pause_reason: counts``)."""


@dataclass(frozen=True)
class Note:
    """Something the reader must know about the data behind the figures.

    ``code`` is a message code of the catalog; ``params`` its parameters:
    text and whole numbers as they are, ratios as Decimal (shown as percentages).
    """

    code: str
    params: Mapping[str, str | int | Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class MonthlyReport:
    """Everything the monthly report says, for one contract and one month."""

    contract: ContractInfo
    period: str
    """``2026-10``."""
    period_start: dt.date
    period_end: dt.date
    """Last day of the period, inclusive."""
    as_of: int
    finality: Literal["provisional", "final"]
    summary: Summary
    levels: tuple[LevelRow, ...]
    reconciliation: Reconciliation
    breaches: tuple[Breach, ...]
    unverifiable: UnverifiablePauses
    priority_changes: tuple[PriorityChange, ...]
    reclassifications: tuple[Reclassification, ...]
    availability: tuple[AvailabilityLevel, ...]
    backups: tuple[BackupLevel, ...]
    restore_tests: tuple[RestoreTest, ...]
    volumes: Volumes
    penalties: Penalties
    committee: tuple[CommitteePoint, ...]
    appendix: Appendix
    provenance: Provenance
    restated: tuple[str, ...] = field(default=())
    notes: tuple[Note, ...] = field(default=())
    """Data-quality notes: unverifiable inputs, timezone doubts, missing response times."""
    """Windows whose final figures this run changes."""

    def level(self, level_id: str) -> LevelRow:
        """The row of ``level_id`` (``KeyError`` if absent)."""
        for row in self.levels:
            if row.id == level_id:
                return row
        raise KeyError(level_id)


def _cents(value: Decimal) -> Decimal:
    from decimal import ROUND_HALF_UP

    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rag_status(result: WindowResult) -> Rag:
    """Red when breached; amber when met but more than half the margin is used.

    The margin is ``1 - objective`` (5 points for 95 %, 0.5 point for 99.5 %);
    a window met only thanks to its allowed breaches is amber too.
    """
    if result.status == "no_data":
        return "grey"
    if result.status == "breached":
        return "red"
    if result.value is None or result.objective is None:
        return "green"
    if result.value < result.objective:
        return "amber"
    margin = (Decimal(1) - result.objective) / 2
    return "amber" if result.value < result.objective + margin else "green"


def propose_committee_points(
    levels: Iterable[LevelRow],
    summary: Summary,
    reconciliation: Reconciliation,
    unverifiable: UnverifiablePauses,
    priority_changes: Iterable[PriorityChange],
    availability: Iterable[AvailabilityLevel],
    backups: Iterable[BackupLevel],
    restore_tests: Iterable[RestoreTest],
) -> tuple[CommitteePoint, ...]:
    """The points the facts of the month put on the next committee's agenda."""
    points: list[CommitteePoint] = []
    for p in summary.persistent:
        if p.breached >= 2 or p.reached:
            points.append(CommitteePoint("persistent_breach", p.level_id, count=p.breached))
    for row in levels:
        if row.result.status == "breached":
            if row.penalty > 0:
                points.append(CommitteePoint("penalty_due", row.id, amount=row.penalty))
            else:
                points.append(CommitteePoint("level_breached", row.id))
    for rec in reconciliation.rows:
        gap = rec.gap
        if gap is not None and abs(gap) >= GAP_WORTH_RAISING:
            points.append(CommitteePoint("reconciliation_gap", rec.level_id, amount=gap))
    if unverifiable.count:
        points.append(CommitteePoint("unverifiable_pauses", count=unverifiable.count))
    downgrades = sum(1 for c in priority_changes if c.direction == "down")
    if downgrades:
        points.append(CommitteePoint("priority_downgrades", count=downgrades))
    for av in availability:
        late = sum(1 for o in av.outages if o.kind == "maintenance" and not o.excused)
        if late:
            points.append(CommitteePoint("maintenance_not_excused", av.level_id, count=late))
    for bk in backups:
        if bk.failed + bk.missing:
            points.append(
                CommitteePoint("backup_failures", bk.level_id, count=bk.failed + bk.missing)
            )
    for rt in restore_tests:
        if rt.overdue:
            points.append(CommitteePoint("restore_test_overdue", rt.service, date=rt.next_due))
    for d in summary.deadlines:
        if d.kind in ("claim", "notice"):
            points.append(CommitteePoint(f"{d.kind}_deadline", d.subject, date=d.date))
    return tuple(points)
