"""Read models of a contract's dashboards: the stored run only, a bounded number of queries.

A dashboard shows one finished run: its :class:`~pilotage.web.models.WindowResultRow`
rows (the month, the last twelve months, the year's penalties) and its stored
report JSON (breaches and their traces, outages, the penalty statement, the
provider's figures).  Nothing here calls the engine: the figures are those the
run stored.  :func:`month_dashboard` runs two queries whatever the size of the
contract.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel.dates import format_date

from pilotage.web.choices import RunStatus
from pilotage.web.models import Run, WindowResultRow

__all__ = [
    "TICKET_METRICS",
    "Headroom",
    "LevelTrend",
    "MonthDashboard",
    "TrendPoint",
    "closed_periods",
    "find_breach",
    "headroom",
    "history_months",
    "month_dashboard",
    "month_label",
    "parse_instant",
    "previous_months",
]

TICKET_METRICS = ("response_time", "resolution_time")
"""Levels counted on tickets: the ones a single breach can lose."""


@dataclass(frozen=True)
class Headroom:
    """How many more breaches a ticket level can absorb this month, given the volume so far.

    A level is met while ``met / eligible >= objective`` or while its breaches
    stay within ``allowed_breaches``; ``remaining`` is how many more breached
    tickets keep it met at the current volume (negative: already lost).
    """

    level_id: str
    name: str
    eligible: int
    breached: int
    objective: Decimal | None
    allowed_breaches: int | None
    remaining: int | None
    """``None`` when the level has no objective nor tolerance (nothing to lose)."""

    @property
    def state(self) -> str:
        """``lost``, ``last`` (one more breach loses it), ``tight`` (two or three) or ``safe``."""
        if self.remaining is None:
            return "safe"
        if self.remaining < 0:
            return "lost"
        if self.remaining == 0:
            return "last"
        return "tight" if self.remaining <= 2 else "safe"


def headroom(level: Mapping[str, Any]) -> Headroom:
    """The headroom of one ``service_levels[]`` item of the stored report JSON."""
    eligible = int(level["eligible"])
    breached = int(level["breached"])
    objective = Decimal(level["objective"]) if level.get("objective") is not None else None
    allowed = level.get("allowed_breaches")
    tolerated: int | None = None
    if objective is not None:
        tolerated = int((eligible * (1 - objective)).to_integral_value(rounding="ROUND_FLOOR"))
    if allowed is not None:
        tolerated = max(tolerated or 0, int(allowed))
    return Headroom(
        level_id=str(level["id"]),
        name=str(level.get("name") or level["id"]),
        eligible=eligible,
        breached=breached,
        objective=objective,
        allowed_breaches=int(allowed) if allowed is not None else None,
        remaining=None if tolerated is None else tolerated - breached,
    )


@dataclass(frozen=True)
class TrendPoint:
    """One month of a level."""

    window: str
    value: Decimal | None
    objective: Decimal | None
    status: str
    penalty: Decimal


@dataclass
class LevelTrend:
    """A level over the last twelve months, oldest first."""

    level_id: str
    name: str
    metric: str
    points: list[TrendPoint] = field(default_factory=list)


@dataclass
class MonthDashboard:
    """Everything the month's dashboard shows, from one run."""

    run: Run
    report: dict[str, Any]
    """The stored report JSON."""
    months: list[str]
    """The months shown (at most twelve, none before the term start), oldest first, ending
    with the run's period."""
    rows: list[WindowResultRow]
    """The period's rows, in contract order."""
    trends: list[LevelTrend]
    headroom: list[Headroom]
    penalties_by_month: list[tuple[str, Decimal]]
    """Amounts due per month since January (this run's figures)."""
    periods: list[tuple[str, int]]
    """Closed months of the contract and their latest run, newest first (the month picker)."""

    @property
    def penalties_year_to_date(self) -> Decimal:
        """Sum of :attr:`penalties_by_month`."""
        return sum((amount for _, amount in self.penalties_by_month), Decimal("0.00"))

    @property
    def breaches(self) -> list[dict[str, Any]]:
        """Breached tickets of the report, most overdue first."""
        items = list(self.report.get("breaches") or [])
        return sorted(items, key=lambda b: b["target_seconds"] - b["elapsed_seconds"])

    @property
    def penalty_lines(self) -> list[dict[str, Any]]:
        """The statement's lines with an amount or a formula to show."""
        return list((self.report.get("penalties") or {}).get("lines") or [])


def previous_months(period: str, count: int = 12) -> list[str]:
    """``count`` months ending with ``period`` (``2026-10``), oldest first."""
    year, month = (int(part) for part in period.split("-"))
    index = year * 12 + month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def history_months(period: str, windows: Sequence[str], count: int = 12) -> list[str]:
    """The months a dashboard's history shows: the ``count`` months ending with ``period``,
    from the first monthly window the run evaluated on (the engine's windows start at the
    contract's term start, so months before it are not shown as empty bars)."""
    months = previous_months(period, count)
    first = min((w for w in windows if w in months), default=None)
    return [m for m in months if first is None or m >= first or m == period]


@lru_cache(maxsize=1024)
def month_label(period: str, lang: str) -> str:
    """``2026-10`` as ``October 2026`` / ``octobre 2026``."""
    year, month = (int(part) for part in period.split("-"))
    locale = "fr_FR" if lang == "fr" else "en_GB"
    return str(format_date(dt.date(year, month, 1), "LLLL y", locale=locale))


def parse_instant(text: str | None) -> dt.datetime | None:
    """An instant of the report JSON (``2026-10-01T07:15:00Z``) as an aware datetime."""
    if not text:
        return None
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def closed_periods(contract_id: int) -> list[tuple[str, int]]:
    """``(period, run id)`` of the latest finished run of each closed month, newest first
    (one query)."""
    seen: dict[str, int] = {}
    runs = (
        Run.objects.filter(contract_id=contract_id, status=RunStatus.DONE)
        .order_by("-period", "-as_of", "-created_at")
        .values_list("period", "pk")
    )
    for period, pk in runs:
        seen.setdefault(period, pk)
    return list(seen.items())


def month_dashboard(run: Run, *, periods: bool = True) -> MonthDashboard:
    """The dashboard of a finished run: two queries (its monthly rows, the closed months;
    one without ``periods``, which leaves :attr:`MonthDashboard.periods` empty)."""
    report: dict[str, Any] = json.loads(run.report_json or "{}")
    rows = list(
        WindowResultRow.objects.filter(run=run, window__in=previous_months(run.period)).order_by(
            "window_start", "pk"
        )
    )
    months = history_months(run.period, [row.window for row in rows])
    year_months = [m for m in months if m[:4] == run.period[:4]]
    order = {level["id"]: i for i, level in enumerate(report.get("service_levels") or [])}
    names = {
        level["id"]: level.get("name") or level["id"]
        for level in report.get("service_levels") or []
    }
    trends: dict[str, LevelTrend] = {}
    by_month: dict[str, Decimal] = {m: Decimal("0.00") for m in year_months}
    for row in rows:
        trend = trends.setdefault(
            row.level_id,
            LevelTrend(row.level_id, names.get(row.level_id, row.level_id), row.metric),
        )
        trend.points.append(
            TrendPoint(row.window, row.value, row.objective, row.status, row.penalty)
        )
        if row.window in by_month:
            by_month[row.window] += row.penalty
    current = [r for r in rows if r.window == run.period]
    current.sort(key=lambda r: order.get(r.level_id, len(order)))
    levels: Sequence[Mapping[str, Any]] = report.get("service_levels") or []
    return MonthDashboard(
        run=run,
        report=report,
        months=months,
        rows=current,
        trends=sorted(trends.values(), key=lambda t: order.get(t.level_id, len(order))),
        headroom=[
            headroom(level)
            for level in levels
            if level.get("metric") in TICKET_METRICS and level.get("window") == run.period
        ],
        penalties_by_month=list(by_month.items()),
        periods=closed_periods(run.contract_id) if periods else [],
    )


def find_breach(report: Mapping[str, Any], ticket_id: str, level_id: str) -> dict[str, Any] | None:
    """The ``breaches[]`` item of a ticket and level in the stored report JSON."""
    for item in report.get("breaches") or []:
        if item.get("ticket_id") == ticket_id and item.get("level_id") == level_id:
            return dict(item)
    return None
