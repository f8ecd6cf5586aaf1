"""Build the monthly report model from a run.

This module maps engine results onto :mod:`pilotage.reports.model`; it makes
no measurement of its own beyond counting volumes and ages for the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np

from pilotage import i18n
from pilotage.contract.dates import add_months, term_dates
from pilotage.contract.model import ServiceLevel, Terms
from pilotage.engine.evaluate import BREACHED
from pilotage.engine.penalties import claim_deadlines, persistent_breaches
from pilotage.engine.results import WindowResult
from pilotage.engine.trace import trace_tickets
from pilotage.errors import PilotageError
from pilotage.reports import model as m
from pilotage.run import Run
from pilotage.tables import MISSING, select_tickets

__all__ = ["build_monthly_report", "last_full_month", "period_bounds", "restated_windows"]

i18n.register(
    {
        "report.previous.other_contract": {
            "en": "the previous report is of contract {found}, not {expected}",
            "fr": "le rapport précédent porte sur le contrat {found}, pas sur {expected}",
        },
        "report.previous.invalid": {
            "en": "not a monthly report JSON of Pilotage: {reason}",
            "fr": "ce n’est pas un rapport mensuel JSON de Pilotage : {reason}",
        },
    }
)

_AGEING = ((0, 2), (3, 7), (8, 30), (31, 90), (91, None))


def period_bounds(period: str, timezone: str) -> tuple[dt.date, dt.date, int, int]:
    """First and last day of month ``2026-10`` and its UTC epoch bounds [start, end)."""
    year, month = (int(x) for x in period.split("-"))
    first = dt.date(year, month, 1)
    after = add_months(first, 1)
    zone = ZoneInfo(timezone)
    start = int(dt.datetime.combine(first, dt.time(), tzinfo=zone).timestamp())
    end = int(dt.datetime.combine(after, dt.time(), tzinfo=zone).timestamp())
    return first, after - dt.timedelta(days=1), start, end


def last_full_month(as_of: int, timezone: str) -> str:
    """The last month that ended before ``as_of`` (``2026-10`` on 2026-11-10)."""
    today = dt.datetime.fromtimestamp(as_of, ZoneInfo(timezone)).date()
    previous = add_months(today.replace(day=1), -1)
    return f"{previous.year:04d}-{previous.month:02d}"


def _contract_info(run: Run, start: int) -> m.ContractInfo:
    version = run.contract.at(start)
    doc = version.terms.document
    contract = doc.get("contract", {})
    applied = tuple(
        v.amendment_id
        for v in run.contract.versions
        if v.amendment_id and v.effective <= version.effective
    )
    return m.ContractInfo(
        id=run.contract.id,
        title=str(contract.get("title", "")),
        ref=str(contract.get("ref", "")),
        customer=str((contract.get("customer") or {}).get("name", "")),
        provider=str((contract.get("provider") or {}).get("name", "")),
        timezone=version.terms.timezone,
        currency=version.terms.currency,
        monthly_fee=version.terms.monthly_fee,
        version=version.hash,
        effective=version.effective,
        amendments=applied,
    )


def _history(
    results: Sequence[WindowResult], level_id: str, end: int
) -> tuple[m.HistoryPoint, ...]:
    mine = sorted(
        (r for r in results if r.level_id == level_id and r.start < end), key=lambda r: r.start
    )
    return tuple(m.HistoryPoint(r.window, r.value, r.objective, r.status) for r in mine[-12:])


def _penalty_for(run: Run, level_id: str, window: str) -> Decimal:
    return sum(
        (
            line.amount
            for line in run.penalties.lines
            if line.level_id == level_id and line.month == window
        ),
        Decimal("0.00"),
    )


def _level_rows(run: Run, terms: Terms, period: str, end: int) -> list[m.LevelRow]:
    rows: list[m.LevelRow] = []
    results = [r for r in run.results if r.start < end]
    for level in terms.service_levels:
        current = [r for r in results if r.level_id == level.id and r.window == period]
        if not current:
            continue
        result = current[0]
        rows.append(
            m.LevelRow(
                result=result,
                name=level.name,
                ref=level.ref,
                target=str(level.target) if level.target is not None else "",
                calendar=level.calendar or "",
                rag=m.rag_status(result),
                penalty=_penalty_for(run, level.id, period),
                history=_history(results, level.id, end),
            )
        )
    return rows


def _breaches(run: Run, levels: Sequence[ServiceLevel], period: str) -> list[m.Breach]:
    tickets = run.tickets
    chosen: list[tuple[str, int]] = []
    for level in levels:
        meas = run.evaluation.levels.get(level.id)
        if meas is None:
            continue
        picked = np.flatnonzero((meas.verdict == BREACHED) & (meas.window == period))
        chosen.extend((level.id, i) for i in picked.tolist())
    pairs = [(str(tickets.id[int(run.evaluation.levels[lv].ticket[i])]), lv) for lv, i in chosen]
    rows = np.unique(
        np.array([int(run.evaluation.levels[lv].ticket[i]) for lv, i in chosen], dtype=np.int64)
    )
    traced, traced_events = select_tickets(tickets, run.events, rows)
    traces = trace_tickets(
        run.contract, traced, traced_events, pairs, as_of=run.as_of, adjustments=run.adjustments
    )
    out: list[m.Breach] = []
    for (level_id, i), (ticket_id, _), trace in zip(chosen, pairs, traces, strict=True):
        meas = run.evaluation.levels[level_id]
        row = int(meas.ticket[i])
        segments = tuple(
            m.TraceSegment(
                start=s.start,
                end=s.end if s.end is not None else run.as_of,
                status=_segment_status(s.status),
                pause_reason=s.reason,
                counted_seconds=s.business_seconds if s.counted else 0,
            )
            for s in trace.segments
            if s.end != s.start
        )
        paused = sum(
            s.business_seconds for s in trace.segments if not s.counted and s.status == "paused"
        )
        stop = int(meas.stop[i])
        out.append(
            m.Breach(
                ticket_id=ticket_id,
                level_id=level_id,
                title=str(tickets.title[row]),
                kind=str(tickets.kind[row]),
                priority=str(tickets.priority[row]),
                created_at=int(tickets.created_at[row]),
                stopped_at=None if stop == MISSING else stop,
                target_seconds=int(meas.target[i]),
                elapsed_seconds=int(meas.elapsed[i]),
                paused_seconds=paused,
                segments=segments,
                pause_verifiable=not bool(meas.pause_not_verifiable[i]),
                waived=bool(meas.waived[i]),
            )
        )
    return out


def _segment_status(status: str) -> Literal["open", "paused", "resolved"]:
    if status == "paused":
        return "paused"
    return "resolved" if status in ("resolved", "closed") else "open"


def _unverifiable(run: Run, period: str) -> m.UnverifiablePauses:
    rows: set[int] = set()
    for meas in run.evaluation.levels.values():
        mask = meas.pause_not_verifiable & (meas.window == period)
        rows.update(int(t) for t in meas.ticket[mask])
    waiting = run.tickets.waiting_seconds
    seconds = sum(int(waiting[r]) for r in rows if waiting[r] != MISSING)
    ids = tuple(sorted(str(run.tickets.id[r]) for r in rows))
    return m.UnverifiablePauses(count=len(rows), seconds=seconds, ticket_ids=ids)


def _priority_changes(run: Run, start: int, end: int) -> list[m.PriorityChange]:
    pc = run.evaluation.priority_changes
    out = []
    for i in np.flatnonzero((pc.at >= start) & (pc.at < end)).tolist():
        at = int(pc.at[i])
        row = int(pc.ticket[i])
        out.append(
            m.PriorityChange(
                ticket_id=str(run.tickets.id[row]),
                title=str(run.tickets.title[row]),
                at=at,
                before=str(pc.before[i]),
                after=str(pc.after[i]),
                direction="down" if bool(pc.downgrade[i]) else "up",
            )
        )
    return out


def _announcements(run: Run) -> dict[int, int]:
    """When each maintenance starting at a given instant was announced."""
    table = run.outages
    if table is None:
        return {}
    rows = (table.kind == "maintenance") & (table.announced_at != MISSING)
    return dict(zip(table.start[rows].tolist(), table.announced_at[rows].tolist(), strict=True))


def _excused_maintenance(
    run: Run,
    services: Sequence[str],
    start: int,
    end: int,
    unexcused: Sequence[m.Outage],
) -> list[m.Outage]:
    """Maintenance declared in the window and not held against the provider."""
    table = run.outages
    if table is None:
        return []
    out = []
    for i in np.flatnonzero(table.kind == "maintenance").tolist():
        s, e, svc = int(table.start[i]), int(table.end[i]), str(table.service[i])
        if services and svc not in services:
            continue
        if e <= start or s >= end or any(u.start == s for u in unexcused):
            continue
        announced = int(table.announced_at[i])
        out.append(
            m.Outage(
                svc,
                s,
                e,
                "maintenance",
                0,
                announced_at=None if announced == MISSING else announced,
                excused=True,
            )
        )
    return out


def _availability(run: Run, rows: Sequence[m.LevelRow], terms: Terms) -> list[m.AvailabilityLevel]:
    out = []
    for row in rows:
        r = row.result
        if r.metric != "availability":
            continue
        level = terms.level(r.level_id)
        service = ",".join(level.applies_to.service)
        d = r.details
        announced = _announcements(run)
        maintenance = [
            m.Outage(
                service,
                int(o["start"]),
                int(o["end"]),
                "maintenance",
                int(o["seconds"]),
                announced_at=announced.get(int(o["start"])),
                reason=str(o["reason"]),
            )
            for o in d.get("unexcused_maintenance", ())
        ]
        # Unexcused maintenance is downtime too: list it once, as maintenance.
        outages = [
            m.Outage(service, int(o["start"]), int(o["end"]), "down", int(o["seconds"]))
            for o in d.get("outages", ())
            if not any(x.start <= int(o["start"]) and int(o["end"]) <= x.end for x in maintenance)
        ]
        outages += maintenance
        outages += _excused_maintenance(run, level.applies_to.service, r.start, r.end, maintenance)
        outages.sort(key=lambda o: o.start)
        out.append(
            m.AvailabilityLevel(
                level_id=r.level_id,
                service=service,
                measured_seconds=int(d.get("measured_seconds", 0)),
                downtime_seconds=int(d.get("downtime_seconds", 0)),
                excused_seconds=int(d.get("excused_maintenance_seconds", 0)),
                value=r.value,
                objective=r.objective,
                outages=tuple(outages),
            )
        )
    return out


def _backups(rows: Sequence[m.LevelRow], terms: Terms) -> list[m.BackupLevel]:
    out = []
    for row in rows:
        r = row.result
        if r.metric != "backup_success":
            continue
        d = r.details
        failures = [
            m.BackupFailure(str(j["service"]), int(j["at"]), "failed")
            for j in d.get("failed_jobs", ())
        ]
        failures += [
            m.BackupFailure(str(j["service"]), int(j["at"]), "missing")
            for j in d.get("missing", ())
        ]
        failures.sort(key=lambda f: f.scheduled_at)
        missing = len(d.get("missing", ()))
        out.append(
            m.BackupLevel(
                level_id=r.level_id,
                service=",".join(terms.level(r.level_id).applies_to.service),
                expected=int(d.get("expected", 0)),
                succeeded=int(d.get("succeeded", 0)),
                warnings=int(d.get("warnings", 0)),
                failed=int(d.get("failed", 0)) - missing,
                missing=missing,
                value=r.value,
                objective=r.objective,
                failures=tuple(failures),
            )
        )
    return out


def _restore_tests(run: Run, zone: ZoneInfo) -> list[m.RestoreTest]:
    """Per service: the last test performed up to ``as_of`` and the next due date."""
    periods = sorted((r for r in run.results if r.metric == "restore_test"), key=lambda r: r.start)
    latest: dict[str, m.RestoreTest] = {}
    for r in periods:
        for svc in r.details.get("services", ()):
            tests = svc.get("tests", ())
            previous = latest.get(svc["service"])
            performed_on, result, duration, within = (
                (
                    previous.performed_on,
                    previous.result,
                    previous.duration_seconds,
                    previous.within_rto,
                )
                if previous is not None
                else (None, "none", None, None)
            )
            if tests:
                last = tests[-1]
                performed_on = dt.datetime.fromtimestamp(int(last["performed_at"]), zone).date()
                result = "success" if last["success"] else "failed"
                duration = last["duration_seconds"]
                within = None if last["over_rto"] is None else not last["over_rto"]
            due = dt.date.fromisoformat(str(r.details["due_date"]))
            overdue = r.status == "breached"
            latest[svc["service"]] = m.RestoreTest(
                service=str(svc["service"]),
                performed_on=performed_on,
                result=result,
                duration_seconds=duration,
                within_rto=within,
                next_due=due,
                overdue=overdue or (previous is not None and previous.overdue and not svc["met"]),
            )
    return [latest[k] for k in sorted(latest)]


def _volumes(run: Run, start: int, end: int) -> m.Volumes:
    t = run.tickets
    live = ~np.isin(t.state, ["cancelled", "merged"])
    created = t.created_at
    resolved = np.where(t.resolved_at != MISSING, t.resolved_at, t.closed_at)
    opened_now = live & (created >= start) & (created < end)
    resolved_now = live & (resolved != MISSING) & (resolved >= start) & (resolved < end)
    backlog = live & (created < end) & ((resolved == MISSING) | (resolved >= end))
    # Group only the rows the period touches, by (kind, priority) code.
    touched = np.flatnonzero(opened_now | resolved_now | backlog)
    codes: dict[tuple[str, str], int] = {}
    group = np.fromiter(
        (
            codes.setdefault(key, len(codes))
            for key in zip(
                map(str, t.kind[touched].tolist()),
                map(str, t.priority[touched].tolist()),
                strict=True,
            )
        ),
        dtype=np.int64,
        count=touched.size,
    )

    def count(flags: np.typing.NDArray[np.bool_]) -> list[int]:
        counted: list[int] = (
            np.bincount(group, weights=flags[touched], minlength=len(codes))
            .astype(np.int64)
            .tolist()
        )
        return counted

    opened, resolved_n, backlog_n = count(opened_now), count(resolved_now), count(backlog)
    rows = [
        m.VolumeRow(
            kind=kind,
            priority=priority,
            opened=opened[codes[(kind, priority)]],
            resolved=resolved_n[codes[(kind, priority)]],
            backlog=backlog_n[codes[(kind, priority)]],
        )
        for kind, priority in sorted(codes)
    ]
    ages = (end - created[backlog]) // 86400
    ageing = tuple(
        m.AgeingBucket(
            lo,
            hi,
            int(((ages >= lo) & (ages <= (hi if hi is not None else ages.max(initial=0)))).sum()),
        )
        for lo, hi in _AGEING
    )
    excluded = run.evaluation.excluded

    def in_period(reason: str) -> int:
        rows_ = excluded.get(reason, np.empty(0, np.int64))
        c = created[rows_]
        return int(((c >= start) & (c < end)).sum())

    return m.Volumes(
        rows=tuple(rows),
        ageing=ageing,
        cancelled=in_period("cancelled"),
        merged=in_period("merged"),
        out_of_scope=in_period("out_of_scope"),
    )


def _reconciliation(run: Run, period: str) -> m.Reconciliation:
    rec = run.reconciliation
    rows = tuple(
        m.ReconciliationRow(
            level_id=c.level_id,
            window=c.window,
            provider_eligible=c.claimed_eligible,
            provider_met=c.claimed_met,
            provider_value=c.claimed_compliance,
            eligible=c.eligible or 0,
            met=c.met or 0,
            value=c.compliance,
            causes=tuple(sorted(c.causes, key=lambda k: -c.causes[k])),
        )
        for c in rec.claims
        if c.window == period and c.status in ("agrees", "disagrees")
    )
    groups: dict[str, list[str]] = {}
    for gap in rec.population:
        cause = gap.reason if gap.side == "provider_only" else "missing_provider"
        groups.setdefault(cause, []).append(gap.ticket_id)
    population = tuple(
        m.PopulationDiff(cause, len(ids), tuple(sorted(set(ids))))
        for cause, ids in sorted(groups.items())
    )
    verdicts = tuple(
        m.VerdictDiff(v.ticket_id, v.level_id, v.provider == "met", v.pilotage == "met", v.cause)
        for v in rec.verdicts
        if v.window == period
    )
    return m.Reconciliation(rows=rows, population=population, verdicts=verdicts)


def _summary(run: Run, period: str, end: int, as_of_day: dt.date) -> m.Summary:
    months = {mt.month: mt.total for mt in run.penalties.months}
    due = months.get(period, Decimal("0.00"))
    year = period[:4]
    ytd = sum((v for k, v in months.items() if k[:4] == year and k <= period), Decimal("0.00"))
    deadlines: list[m.Deadline] = []
    for claim in claim_deadlines(run.contract, run.penalties):
        if claim.month <= period and claim.last_day >= as_of_day and claim.amount > 0:
            deadlines.append(m.Deadline("claim", claim.last_day, claim.month))
    dates = term_dates(run.contract.versions[-1].terms.document, as_of_day)
    if dates is not None:
        if dates.customer_notice_by is not None:
            deadlines.append(
                m.Deadline("notice", dates.customer_notice_by, dates.term_end.isoformat())
            )
        deadlines.append(m.Deadline("renewal", dates.term_end))
    deadlines.sort(key=lambda d: d.date)
    persistent = []
    upto = [r for r in run.results if r.start < end]
    for p in persistent_breaches(run.contract, upto):
        if not p.current or p.level_id is None:
            continue
        persistent.append(
            m.PersistentBreach(
                level_id=p.level_id,
                breached=p.streak,
                out_of=p.required,
                consecutive=p.streak,
                reached=p.reached,
                gives=p.gives,
            )
        )
    return m.Summary(
        due_this_month=due,
        due_year_to_date=ytd,
        credited_year_to_date=None,
        deadlines=tuple(deadlines),
        persistent=tuple(persistent),
    )


def _instant(text: str) -> int:
    return int(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def _figures(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def restated_windows(run: Run, previous: Mapping[str, Any]) -> tuple[str, ...]:
    """Windows final both in ``previous`` (an earlier report's JSON, as loaded)
    and in ``run`` whose figures differ, as ``2026-09 p1-resolution``.

    A level row is compared on its counts, compliance, status and penalty; a
    history point (earlier months) on its compliance and status.  A window is
    final in the previous report when it had ended at that report's ``as_of``.
    """
    try:
        contract_id = previous["contract"]["id"]
        if contract_id != run.contract.id:
            raise PilotageError(
                "report.previous.other_contract",
                {"found": contract_id, "expected": run.contract.id},
            )
        before = _instant(str(previous["as_of"]))
        current = {(r.level_id, r.window): r for r in run.results}
        changed: set[tuple[str, str]] = set()
        for row in previous["service_levels"]:
            level = str(row["id"])
            seen = {str(row["window"])}
            r = current.get((level, str(row["window"])))
            if r is not None and row.get("finality") == "final" and r.finality == "final":
                old = (
                    row["eligible"],
                    row["met"],
                    row["breached"],
                    _figures(row["compliance"]),
                    row["status"],
                    _figures(row["penalty"]),
                )
                new = (
                    r.eligible,
                    r.met,
                    r.breached,
                    r.value,
                    r.status,
                    _penalty_for(run, level, r.window),
                )
                if old != new:
                    changed.add((r.window, level))
            for point in row.get("history", ()):
                window = str(point["window"])
                r = current.get((level, window))
                if window in seen or r is None or r.end > before or r.finality != "final":
                    continue
                if (_figures(point["compliance"]), point["status"]) != (r.value, r.status):
                    changed.add((window, level))
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise PilotageError("report.previous.invalid", {"reason": repr(exc)}) from exc
    return tuple(f"{window} {level}" for window, level in sorted(changed))


def _note(code: str, params: Mapping[str, Any]) -> m.Note:
    """A run warning as a report note: ratios (floats) become Decimal, kept to 4 places."""
    shown: dict[str, str | int | Decimal] = {}
    for key, value in params.items():
        if isinstance(value, float):
            shown[key] = Decimal(str(value)).quantize(Decimal("0.0001"))
        elif isinstance(value, int | Decimal):
            shown[key] = value
        else:
            shown[key] = str(value)
    return m.Note(code, shown)


def build_monthly_report(
    run: Run, period: str, previous: Mapping[str, Any] | None = None
) -> m.MonthlyReport:
    """The monthly report of ``period`` (``2026-10``) from ``run``.

    The run's persistent-breach and penalty figures are taken up to the period.
    ``previous`` (an earlier report's JSON, as loaded) lists the final windows
    this run restates.
    """
    timezone = run.contract.versions[0].terms.timezone
    first_day, last_day, start, end = period_bounds(period, timezone)
    terms = run.contract.at(start).terms
    as_of_day = dt.datetime.fromtimestamp(run.as_of, ZoneInfo(timezone)).date()
    rows = _level_rows(run, terms, period, end)
    grace_months = terms.penalties.grace_months
    grace_until = (
        add_months(terms.term_start, grace_months) - dt.timedelta(days=1) if grace_months else None
    )
    lines = tuple(line for line in run.penalties.lines if line.month == period)
    claim_by = next(
        (c.last_day for c in claim_deadlines(run.contract, run.penalties) if c.month == period),
        None,
    )
    monthly_cap = terms.penalties.monthly_cap
    penalties = m.Penalties(
        lines=lines,
        basis=terms.monthly_fee,
        monthly_cap=(monthly_cap * terms.monthly_fee).quantize(Decimal("0.01"))
        if monthly_cap is not None
        else None,
        grace=grace_until is not None and last_day <= grace_until,
        grace_until=grace_until,
        claim_by=claim_by,
    )
    summary = _summary(run, period, end, as_of_day)
    reconciliation = _reconciliation(run, period)
    unverifiable = _unverifiable(run, period)
    changes = _priority_changes(run, start, end)
    availability = _availability(run, rows, terms)
    ticket_levels = [
        lv for lv in terms.service_levels if lv.metric in ("response_time", "resolution_time")
    ]
    backups = _backups(rows, terms)
    restore = _restore_tests(run, ZoneInfo(timezone))
    committee = m.propose_committee_points(
        rows, summary, reconciliation, unverifiable, changes, availability, backups, restore
    )
    formulas = ["compliance", "business_time"]
    metrics = {lv.metric for lv in terms.service_levels}
    if "availability" in metrics:
        formulas.append("availability")
    if "backup_success" in metrics:
        formulas.append("backup_success")
    for lv in terms.service_levels:
        if lv.penalty is not None:
            if lv.penalty.per_breach is not None and "per_breach" not in formulas:
                formulas.append("per_breach")
            if lv.penalty.per_point_below is not None and "per_point_below" not in formulas:
                formulas.append("per_point_below")
            if lv.penalty.bands and "bands" not in formulas:
                formulas.append("bands")
    formulas += ["caps", "grace"]
    meas = terms.measurement
    options = (
        ("priorities.basis", terms.priority_basis),
        ("measurement.unknown_pause_reason", meas.unknown_pause_reason),
        ("measurement.reopen", meas.reopen),
        (
            "measurement.major_incident_counts_once",
            "true" if meas.major_incident_counts_once else "false",
        ),
    )
    return m.MonthlyReport(
        contract=_contract_info(run, start),
        period=period,
        period_start=first_day,
        period_end=last_day,
        as_of=run.as_of,
        finality="final" if run.as_of >= end else "provisional",
        summary=summary,
        levels=tuple(rows),
        reconciliation=reconciliation,
        breaches=tuple(_breaches(run, ticket_levels, period)),
        unverifiable=unverifiable,
        priority_changes=tuple(sorted(changes, key=lambda c: (c.direction != "down", c.at))),
        reclassifications=(),
        availability=tuple(availability),
        backups=tuple(backups),
        restore_tests=tuple(restore),
        volumes=_volumes(run, start, end),
        penalties=penalties,
        committee=committee,
        appendix=m.Appendix(formulas=tuple(formulas), options=options),
        provenance=run.provenance,
        notes=tuple(_note(code, params) for code, params in run.warnings),
        restated=() if previous is None else restated_windows(run, previous),
    )
