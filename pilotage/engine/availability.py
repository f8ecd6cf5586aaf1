"""Availability of a service level per window, from outage rows or probe samples.

Definitions (DESIGN.md, "SLA semantics"), and the choices made where the
contract leaves room:

- *Measured time* is the open time of the level's calendar inside the window
  (24x7 when the level names no calendar), up to ``as_of`` for a window not
  yet closed.  With probe samples it is also limited to the span the samples
  cover, and missing samples are taken out of it when the contract says
  ``missing_samples: excluded``.
- *Probe outages*: ``failed_samples`` (k) consecutive failed samples open an
  outage at the first of them; it ends at the first up sample (or one
  sampling interval after the last sample).  Fewer than k failed samples are
  a blip, not an outage.  The sampling interval is the median gap between
  samples; a gap longer than 1.5 intervals holds missing samples from one
  interval after the sample before it to the sample after it.  Missing samples
  are, per ``missing_samples``: ``excluded`` (out of measured time; they
  neither count nor break a run of failures), ``down`` (each missing sample
  counts as a failed one) or ``up`` (they end a run of failures).
- *Maintenance* rows are planned windows.  Without probes a maintenance row
  is itself downtime; with probes, the downtime is what the probes show, and
  a probe outage belongs to a maintenance only when it *starts* inside that
  maintenance's window (only its part inside the window).  ``down`` rows and
  outages that began before a maintenance window are unrelated to it and are
  never excused, even inside an announced window.
- A maintenance's downtime is excused only when it was announced with the
  contract's notice (``announced_at <= start - notice``; unknown announcement
  fails a notice requirement); otherwise all of it is unexcused (late notice).
  With ``only_outside: <calendar>`` its part inside that calendar's open time
  is unexcused (business hours) and only the part outside can be excused.
  What is left consumes the monthly allowance (``max_per_month``, per local
  month, parts split at month boundaries) in chronological order, whatever the
  window; beyond it, over allowance.  Each maintenance follows the terms of
  the contract version in force at its start.  Where maintenances overlap,
  time that one of them leaves unexcused is downtime.
- Downtime = measured time covered by unrelated outages or unexcused
  maintenance.  Availability = 1 - downtime / measured time; with
  ``out_of_measured_time`` the excused maintenance is also taken out of
  measured time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from pilotage import i18n
from pilotage.contract.model import Contract, Duration, OutageRule, ServiceLevel, Terms
from pilotage.engine.calendar import Calendar
from pilotage.engine.results import WindowResult
from pilotage.engine.windows import WindowGrid, window_grid
from pilotage.tables import MISSING, Outages, Probes

__all__ = [
    "OpenTime",
    "ProbeSeries",
    "evaluate_availability",
    "probe_outages",
]

I64 = npt.NDArray[np.int64]
Interval = tuple[int, int]

MESSAGES = {
    "availability.unexcused.late_notice": {
        "en": "maintenance announced less than {notice} before it started",
        "fr": "maintenance annoncée moins de {notice} avant son début",
    },
    "availability.unexcused.business_hours": {
        "en": "maintenance during the opening hours of the {calendar} calendar",
        "fr": "maintenance pendant les heures d’ouverture du calendrier {calendar}",
    },
    "availability.unexcused.over_allowance": {
        "en": "maintenance beyond the allowance of {allowance} a month",
        "fr": "maintenance au-delà de la franchise de {allowance} par mois",
    },
    "availability.unexcused.no_exclusion": {
        "en": "the contract does not exclude maintenance from downtime",
        "fr": "le contrat n’exclut pas la maintenance de l’indisponibilité",
    },
    "availability.missing_samples.excluded": {
        "en": "missing probe samples are left out of the measured time",
        "fr": "les mesures manquantes de la sonde sont exclues du temps mesuré",
    },
    "availability.missing_samples.down": {
        "en": "missing probe samples count as failed",
        "fr": "les mesures manquantes de la sonde comptent comme des échecs",
    },
    "availability.missing_samples.up": {
        "en": "missing probe samples count as up",
        "fr": "les mesures manquantes de la sonde comptent comme disponibles",
    },
}
i18n.register(MESSAGES)
Reason = Literal["late_notice", "business_hours", "over_allowance", "no_exclusion"]


class OpenTime(Protocol):
    """What availability needs of a calendar (a :class:`Calendar` provides it)."""

    def open_intervals(self, start: int, end: int) -> tuple[I64, I64]:
        """The open windows clipped to ``[start, end)``."""
        ...


# ---------------------------------------------------------------- intervals


def _merge(intervals: Sequence[Interval]) -> list[Interval]:
    """Sorted, disjoint union (touching intervals are joined)."""
    out: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Intersection of two sorted, disjoint lists."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if end > start:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _subtract(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """``a`` minus ``b``, both sorted and disjoint."""
    out: list[Interval] = []
    j = 0
    for start, end in a:
        cursor = start
        while j < len(b) and b[j][1] <= cursor:
            j += 1
        k = j
        while k < len(b) and b[k][0] < end:
            if b[k][0] > cursor:
                out.append((cursor, b[k][0]))
            cursor = max(cursor, b[k][1])
            k += 1
        if cursor < end:
            out.append((cursor, end))
    return out


def _measure(intervals: Sequence[Interval]) -> int:
    return sum(end - start for start, end in intervals)


def _clip(intervals: Sequence[Interval], start: int, end: int) -> list[Interval]:
    return _intersect(intervals, [(start, end)])


# ---------------------------------------------------------------- probes


@dataclass(frozen=True)
class ProbeSeries:
    """What one service's probe samples say: outages, missing samples, coverage."""

    outages: tuple[Interval, ...]
    missing: tuple[Interval, ...]
    interval: int
    """The sampling interval (median gap between samples), seconds."""
    coverage: Interval
    """From the first sample to one interval after the last."""


def probe_outages(at: I64, up: npt.NDArray[np.int8], rule: OutageRule) -> ProbeSeries:
    """Outages and missing samples of one service's samples, sorted by time."""
    times = [int(t) for t in at]
    n = len(times)
    if n == 0:
        return ProbeSeries((), (), 0, (0, 0))
    interval = int(np.median(np.diff(at))) if n > 1 else 0
    k = max(1, rule.failed_samples)
    outages: list[Interval] = []
    missing: list[Interval] = []
    run_start: int | None = None
    count = 0
    for i, t in enumerate(times):
        if up[i]:
            if run_start is not None and count >= k:
                outages.append((run_start, t))
            run_start, count = None, 0
        else:
            if run_start is None:
                run_start = t
            count += 1
        if i + 1 < n and interval and 2 * (times[i + 1] - t) > 3 * interval:
            gap = (t + interval, times[i + 1])
            missing.append(gap)
            if rule.missing_samples == "up":
                if run_start is not None and count >= k:
                    outages.append((run_start, gap[0]))
                run_start, count = None, 0
            elif rule.missing_samples == "down":
                if run_start is None:
                    run_start = gap[0]
                count += max(1, round((times[i + 1] - t) / interval) - 1)
    end = times[-1] + interval
    if run_start is not None and count >= k and end > run_start:
        outages.append((run_start, end))
    return ProbeSeries(tuple(outages), tuple(missing), interval, (times[0], end))


# ---------------------------------------------------------------- maintenance


@dataclass(frozen=True)
class _Maintenance:
    start: int
    end: int
    announced_at: int


@dataclass(frozen=True)
class _Excusal:
    excused: list[Interval]
    unexcused: list[tuple[int, int, Reason]]


def _duration_seconds(duration: Duration) -> int:
    if duration.unit == "d":
        return int(duration.amount * 86_400)
    return duration.seconds()


def _excuse(
    contract: Contract,
    level_id: str,
    maintenances: Sequence[_Maintenance],
    pieces: Sequence[list[Interval]],
    open_time: _OpenTimes,
) -> _Excusal:
    """Which parts of each maintenance's downtime are excused, and why not the others."""
    unexcused: list[tuple[int, int, Reason]] = []
    eligible: list[tuple[int, int, int | None]] = []  # start, end, monthly allowance
    for maintenance, own in zip(maintenances, pieces, strict=True):
        terms = contract.at(maintenance.start).terms
        rule = _level(terms, level_id)
        exclusion = rule.maintenance if rule is not None else None
        if exclusion is None:
            unexcused.extend((s, e, "no_exclusion") for s, e in own)
            continue
        if exclusion.notice is not None:
            latest = maintenance.start - _duration_seconds(exclusion.notice)
            if maintenance.announced_at == MISSING or maintenance.announced_at > latest:
                unexcused.extend((s, e, "late_notice") for s, e in own)
                continue
        rest = own
        if exclusion.only_outside is not None and own:
            calendar = open_time.get(terms, exclusion.only_outside)
            busy = _open(calendar, own[0][0], own[-1][1])
            unexcused.extend((s, e, "business_hours") for s, e in _intersect(own, busy))
            rest = _subtract(own, busy)
        allowance = exclusion.max_per_month
        cap = None if allowance is None else _duration_seconds(allowance)
        eligible.extend((s, e, cap) for s, e in rest)

    excused: list[Interval] = []
    if eligible:
        lo = min(s for s, _, _ in eligible)
        hi = max(e for _, e, _ in eligible)
        months = window_grid("month", contract.versions[0].terms.timezone, lo, hi - 1).edges
        used: dict[int, int] = {}
        for start, end, cap in sorted(eligible):
            for m in range(int(np.searchsorted(months, start, side="right")) - 1, len(months) - 1):
                s, e = max(start, int(months[m])), min(end, int(months[m + 1]))
                if e <= s:
                    break
                room = e - s if cap is None else max(0, min(e - s, cap - used.get(m, 0)))
                used[m] = used.get(m, 0) + room
                if room:
                    excused.append((s, s + room))
                if s + room < e:
                    unexcused.append((s + room, e, "over_allowance"))
    return _Excusal(_merge(excused), sorted(unexcused))


# ---------------------------------------------------------------- calendars


def _open(calendar: OpenTime | None, start: int, end: int) -> list[Interval]:
    if calendar is None:
        return [(start, end)] if end > start else []
    starts, ends = calendar.open_intervals(start, end)
    return [(int(s), int(e)) for s, e in zip(starts, ends, strict=True)]


class _OpenTimes:
    """Calendars by name: given ones first, else built from the version's spec (cached)."""

    def __init__(self, given: Mapping[str, OpenTime], years: tuple[int, int]) -> None:
        self._given = given
        self._years = years
        self._built: dict[tuple[int, str], OpenTime | None] = {}

    def get(self, terms: Terms, name: str | None) -> OpenTime | None:
        """The calendar ``name`` of ``terms``; None means always open (24x7)."""
        if name is None:
            return None
        if name in self._given:
            return self._given[name]
        key = (id(terms), name)
        if key not in self._built:
            spec = terms.calendars[name]
            self._built[key] = (
                None
                if spec.get("hours") == "24x7" and not spec.get("closed")
                else Calendar.from_spec(spec, default_timezone=terms.timezone, years=self._years)
            )
        return self._built[key]


def _level(terms: Terms, level_id: str) -> ServiceLevel | None:
    try:
        return terms.level(level_id)
    except KeyError:
        return None


# ---------------------------------------------------------------- evaluation


def _rule_details(level: ServiceLevel) -> dict[str, Any] | None:
    exclusion = level.maintenance
    if exclusion is None:
        return None
    return {
        "notice": None if exclusion.notice is None else str(exclusion.notice),
        "max_per_month": None if exclusion.max_per_month is None else str(exclusion.max_per_month),
        "only_outside": exclusion.only_outside,
        "out_of_measured_time": exclusion.out_of_measured_time,
    }


def _rows_for(services: Sequence[str], column: npt.NDArray[np.object_]) -> npt.NDArray[np.bool_]:
    if not services:
        return np.ones(len(column), dtype=bool)
    return np.isin(column, np.array(list(services), dtype=object))


def _seconds(intervals: Sequence[Interval], measured: Sequence[Interval]) -> int:
    return _measure(_intersect(_merge(intervals), measured))


def evaluate_availability(
    contract: Contract,
    level_id: str,
    grid: WindowGrid,
    *,
    as_of: int,
    outages: Outages | None = None,
    probes: Probes | None = None,
    calendars: Mapping[str, OpenTime] | None = None,
) -> list[WindowResult]:
    """One availability result per window of ``grid`` that started before ``as_of``.

    ``outages`` and ``probes`` may be given together; rows and samples of the
    level's services (``applies_to.service``, all when empty) are read.  An
    outage row without an end is still going on at ``as_of``; one without a
    start is ignored.
    ``calendars`` supplies calendars by name; others are built from the
    contract version's spec.  Windows where no version in force has the level
    (before the amendment that adds it) give no result.  Without any monitoring
    data (neither table) every window has no data: absence of evidence is not
    availability.
    """
    in_force = contract.at(int(grid.edges[0]))
    candidates = [in_force, *(v for v in contract.versions if v.effective > in_force.effective)]
    levels = [lv for v in candidates if (lv := _level(v.terms, level_id)) is not None]
    if not levels:
        return []
    first_level = levels[0]
    services = first_level.applies_to.service
    zone = contract.timezone
    years = (
        dt.datetime.fromtimestamp(int(grid.edges[0]), zone).year - 1,
        dt.datetime.fromtimestamp(int(grid.edges[-1]), zone).year + 1,
    )
    open_times = _OpenTimes(calendars or {}, years)

    down: list[Interval] = []
    maintenances: list[_Maintenance] = []
    if outages is not None and len(outages):
        mask = _rows_for(services, outages.service)
        for s, e, kind, announced in zip(
            outages.start[mask],
            outages.end[mask],
            outages.kind[mask],
            outages.announced_at[mask],
            strict=True,
        ):
            if s == MISSING:
                continue
            stop = max(int(s), as_of) if e == MISSING else int(e)
            if kind == "maintenance":
                maintenances.append(_Maintenance(int(s), stop, int(announced)))
            else:
                down.append((int(s), stop))
    # Only maintenances touching the grid matter (the allowance is per month).
    lo, hi = int(grid.edges[0]), int(grid.edges[-1])
    maintenances = sorted(
        (m for m in maintenances if m.end > lo and m.start < hi), key=lambda m: (m.start, m.end)
    )

    rule = first_level.outage or OutageRule()
    probe_down: list[Interval] = []
    missing: list[Interval] = []
    coverage: list[Interval] | None = None
    if probes is not None and len(probes):
        mask = _rows_for(services, probes.service)
        coverage = []
        for service in sorted(set(probes.service[mask])):
            rows = mask & (probes.service == service)
            order = np.argsort(probes.at[rows], kind="stable")
            series = probe_outages(probes.at[rows][order], probes.up[rows][order], rule)
            probe_down.extend(series.outages)
            missing.extend(series.missing)
            coverage.append(series.coverage)
        coverage = _merge(coverage)
        missing = _merge(missing)
    elif outages is None:
        coverage = []  # no monitoring data at all: nothing was measured, not 100 %

    # Attribute downtime to maintenances.
    pieces: list[list[Interval]] = []
    unrelated = list(down)
    if coverage is None:
        pieces = [[(m.start, m.end)] if m.end > m.start else [] for m in maintenances]
    else:
        attributed: list[Interval] = []
        for m in maintenances:
            own = [(s, min(e, m.end)) for s, e in probe_down if m.start <= s < m.end and e > s]
            pieces.append(_merge(own))
            attributed.extend(own)
        unrelated.extend(_subtract(_merge(probe_down), _merge(attributed)))
    unrelated = _merge(unrelated)
    excusal = _excuse(contract, level_id, maintenances, pieces, open_times)
    unexcused = _merge([(s, e) for s, e, _ in excusal.unexcused])
    excused = _subtract(_subtract(excusal.excused, unrelated), unexcused)

    results: list[WindowResult] = []
    for index, label in enumerate(grid.labels):
        start, end = int(grid.edges[index]), int(grid.edges[index + 1])
        if start >= as_of:
            break
        version = contract.at(start)
        level = _level(version.terms, level_id)
        if level is None:
            continue
        stop = min(end, as_of)
        measured = _open(open_times.get(version.terms, level.calendar), start, stop)
        if coverage is not None:
            measured = _intersect(measured, coverage)
            if (level.outage or rule).missing_samples == "excluded":
                measured = _subtract(measured, missing)
        excused_here = _intersect(excused, measured)
        if level.maintenance is not None and level.maintenance.out_of_measured_time:
            measured = _subtract(measured, excused_here)
        downtime = _intersect(_merge([*unrelated, *unexcused]), measured)
        measured_s, down_s = _measure(measured), _measure(downtime)
        listed = [
            {"start": s, "end": e, "seconds": _seconds([(s, e)], measured)}
            for s, e in _clip(_merge([*unrelated, *unexcused]), start, stop)
        ]
        listed = [o for o in listed if o["seconds"] > 0]
        total_listed = Decimal(sum(o["seconds"] for o in listed))
        mttr = int((total_listed / len(listed)).quantize(1, ROUND_HALF_UP)) if listed else None
        details: dict[str, Any] = {
            "measured_seconds": measured_s,
            "downtime_seconds": down_s,
            "excused_maintenance_seconds": _measure(excused_here),
            "unexcused_maintenance": [
                {
                    "start": s,
                    "end": e,
                    "seconds": _seconds([(s, e)], measured),
                    "reason": r,
                    "code": f"availability.unexcused.{r}",
                }
                for s0, e0, r in excusal.unexcused
                for s, e in _clip([(s0, e0)], start, stop)
            ],
            "maintenance_rule": _rule_details(level),
            "outages": listed,
            "outage_count": len(listed),
            "mttr_seconds": mttr,
            "missing_seconds": _measure(_clip(missing, start, stop)),
            "missing_samples": (level.outage or rule).missing_samples,
        }
        value = None if measured_s == 0 else 1 - Decimal(down_s) / Decimal(measured_s)
        objective = level.objective
        status: Literal["met", "breached", "no_data"]
        if value is None:
            status = "no_data"
        elif objective is None or value >= objective:
            status = "met"
        else:
            status = "breached"
        results.append(
            WindowResult(
                level_id=level_id,
                window=label,
                start=start,
                end=end,
                metric="availability",
                eligible=0,
                met=0,
                breached=0,
                value=value,
                objective=objective,
                allowed_breaches=None,
                status=status,
                finality="final" if end <= as_of else "provisional",
                terms_hash=version.hash,
                details=details,
            )
        )
    return results
