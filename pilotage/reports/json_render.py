"""The report as canonical JSON (schema in docs/report-json.md).

The same report gives the same bytes: keys sorted, two-space indentation,
UTF-8, money as strings with two decimals, ratios and other decimals as plain
decimal strings without trailing zeros, instants as ISO 8601 UTC strings,
dates as ISO dates.  A float anywhere is an error, never written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pilotage.reports.model import (
    AvailabilityLevel,
    BackupLevel,
    Breach,
    LevelRow,
    MonthlyReport,
    Penalties,
    Reconciliation,
)

__all__ = ["SCHEMA", "render_json", "report_dict"]

SCHEMA = "pilotage.monthly-report/1"
"""Identifier of the JSON schema; changes only when a field changes meaning or goes."""


def money(value: Decimal | None) -> str | None:
    """An amount as a string with exactly two decimals (``"150.00"``)."""
    if value is None:
        return None
    if value == 0:
        return "0.00"
    return format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")


def decimal(value: Decimal | None) -> str | None:
    """A ratio or unrounded amount as a plain decimal string (``"0.9523"``)."""
    if value is None:
        return None
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def instant(value: int | None) -> str | None:
    """UTC epoch seconds as ``2026-10-05T07:12:00Z``."""
    if value is None:
        return None
    return dt.datetime.fromtimestamp(value, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _plain(value: Any) -> Any:
    """Free-form figures (``details``, ``inputs``): decimals as strings, no float."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return decimal(value)
    if isinstance(value, float):
        raise TypeError("a float cannot be written to the report; use Decimal or int")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    raise TypeError(f"cannot write {type(value).__name__} to the report")


def _level(row: LevelRow) -> dict[str, Any]:
    r = row.result
    return {
        "id": r.level_id,
        "name": row.name,
        "ref": row.ref,
        "metric": r.metric,
        "target": row.target,
        "calendar": row.calendar,
        "window": r.window,
        "start": instant(r.start),
        "end": instant(r.end),
        "eligible": r.eligible,
        "met": r.met,
        "breached": r.breached,
        "waived": r.waived,
        "compliance": decimal(r.value),
        "objective": decimal(r.objective),
        "allowed_breaches": r.allowed_breaches,
        "status": r.status,
        "finality": r.finality,
        "rag": row.rag,
        "penalty": money(row.penalty),
        "terms_hash": r.terms_hash,
        "details": _plain(r.details),
        "history": [
            {
                "window": h.window,
                "compliance": decimal(h.value),
                "objective": decimal(h.objective),
                "status": h.status,
            }
            for h in row.history
        ],
    }


def _reconciliation(rec: Reconciliation) -> dict[str, Any]:
    return {
        "rows": [
            {
                "level_id": r.level_id,
                "window": r.window,
                "provider": {
                    "eligible": r.provider_eligible,
                    "met": r.provider_met,
                    "compliance": decimal(r.provider_value),
                },
                "pilotage": {"eligible": r.eligible, "met": r.met, "compliance": decimal(r.value)},
                "gap": decimal(r.gap),
                "causes": list(r.causes),
            }
            for r in rec.rows
        ],
        "population": [
            {"cause": p.cause, "count": p.count, "ticket_ids": list(p.ticket_ids)}
            for p in rec.population
        ],
        "verdicts": [
            {
                "ticket_id": v.ticket_id,
                "level_id": v.level_id,
                "provider_met": v.provider_met,
                "met": v.met,
                "cause": v.cause,
            }
            for v in rec.verdicts
        ],
    }


def _breach(b: Breach) -> dict[str, Any]:
    return {
        "ticket_id": b.ticket_id,
        "level_id": b.level_id,
        "title": b.title,
        "kind": b.kind,
        "priority": b.priority,
        "created_at": instant(b.created_at),
        "stopped_at": instant(b.stopped_at),
        "target_seconds": b.target_seconds,
        "elapsed_seconds": b.elapsed_seconds,
        "paused_seconds": b.paused_seconds,
        "pause_verifiable": b.pause_verifiable,
        "waived": b.waived,
        "segments": [
            {
                "start": instant(s.start),
                "end": instant(s.end),
                "status": s.status,
                "pause_reason": s.pause_reason,
                "counted_seconds": s.counted_seconds,
            }
            for s in b.segments
        ],
    }


def _availability(a: AvailabilityLevel) -> dict[str, Any]:
    return {
        "level_id": a.level_id,
        "service": a.service,
        "measured_seconds": a.measured_seconds,
        "downtime_seconds": a.downtime_seconds,
        "excused_seconds": a.excused_seconds,
        "availability": decimal(a.value),
        "objective": decimal(a.objective),
        "outages": [
            {
                "service": o.service,
                "start": instant(o.start),
                "end": instant(o.end),
                "kind": o.kind,
                "counted_seconds": o.counted_seconds,
                "announced_at": instant(o.announced_at),
                "excused": o.excused,
                "reason": o.reason,
            }
            for o in a.outages
        ],
    }


def _backup(b: BackupLevel) -> dict[str, Any]:
    return {
        "level_id": b.level_id,
        "service": b.service,
        "expected": b.expected,
        "succeeded": b.succeeded,
        "warnings": b.warnings,
        "failed": b.failed,
        "missing": b.missing,
        "success_rate": decimal(b.value),
        "objective": decimal(b.objective),
        "failures": [
            {"service": f.service, "scheduled_at": instant(f.scheduled_at), "status": f.status}
            for f in b.failures
        ],
    }


def _penalties(p: Penalties) -> dict[str, Any]:
    return {
        "total": money(p.total),
        "capped_total": money(p.capped_total),
        "basis": money(p.basis),
        "monthly_cap": money(p.monthly_cap),
        "grace": p.grace,
        "grace_until": _date(p.grace_until),
        "claim_by": _date(p.claim_by),
        "lines": [
            {
                "level_id": line.level_id,
                "window": line.window,
                "formula": line.formula,
                "inputs": _plain(line.inputs),
                "gross": decimal(line.gross),
                "after_level_cap": decimal(line.after_level_cap),
                "after_monthly_cap": decimal(line.after_monthly_cap),
                "amount": money(line.amount),
                "notes": list(line.notes),
            }
            for line in p.lines
        ],
    }


def report_dict(report: MonthlyReport) -> dict[str, Any]:
    """The report as plain JSON-ready data (strings, ints, bools, lists, dicts)."""
    c = report.contract
    s = report.summary
    v = report.volumes
    met = sum(1 for row in report.levels if row.result.status == "met")
    return {
        "schema": SCHEMA,
        "contract": {
            "id": c.id,
            "version": c.version,
            "title": c.title,
            "ref": c.ref,
            "customer": c.customer,
            "provider": c.provider,
            "timezone": c.timezone,
            "currency": c.currency,
            "monthly_fee": money(c.monthly_fee),
            "effective": _date(c.effective),
            "amendments": list(c.amendments),
        },
        "period": report.period,
        "period_start": _date(report.period_start),
        "period_end": _date(report.period_end),
        "as_of": instant(report.as_of),
        "finality": report.finality,
        "restated": list(report.restated),
        "notes": [
            {
                "code": n.code,
                "params": {
                    k: decimal(v) if isinstance(v, Decimal) else v for k, v in n.params.items()
                },
            }
            for n in report.notes
        ],
        "summary": {
            "due_this_month": money(s.due_this_month),
            "due_year_to_date": money(s.due_year_to_date),
            "credited_year_to_date": money(s.credited_year_to_date),
            "levels_met": met,
            "levels_total": len(report.levels),
            "deadlines": [
                {"kind": d.kind, "date": _date(d.date), "subject": d.subject} for d in s.deadlines
            ],
            "persistent_breaches": [
                {
                    "level_id": p.level_id,
                    "breached": p.breached,
                    "out_of": p.out_of,
                    "consecutive": p.consecutive,
                    "reached": p.reached,
                    "gives": p.gives,
                }
                for p in s.persistent
            ],
        },
        "service_levels": [_level(row) for row in report.levels],
        "reconciliation": _reconciliation(report.reconciliation),
        "breaches": [_breach(b) for b in report.breaches],
        "unverifiable_pauses": {
            "count": report.unverifiable.count,
            "seconds": report.unverifiable.seconds,
            "ticket_ids": list(report.unverifiable.ticket_ids),
        },
        "priority_changes": [
            {
                "ticket_id": p.ticket_id,
                "title": p.title,
                "at": instant(p.at),
                "before": p.before,
                "after": p.after,
                "direction": p.direction,
                "levels": list(p.levels),
            }
            for p in report.priority_changes
        ],
        "reclassifications": [
            {
                "ticket_id": r.ticket_id,
                "title": r.title,
                "field": r.field,
                "before": r.before,
                "after": r.after,
            }
            for r in report.reclassifications
        ],
        "availability": [_availability(a) for a in report.availability],
        "backups": [_backup(b) for b in report.backups],
        "restore_tests": [
            {
                "service": r.service,
                "performed_on": _date(r.performed_on),
                "result": r.result,
                "duration_seconds": r.duration_seconds,
                "within_rto": r.within_rto,
                "next_due": _date(r.next_due),
                "overdue": r.overdue,
            }
            for r in report.restore_tests
        ],
        "volumes": {
            "rows": [
                {
                    "kind": r.kind,
                    "priority": r.priority,
                    "opened": r.opened,
                    "resolved": r.resolved,
                    "backlog": r.backlog,
                }
                for r in v.rows
            ],
            "backlog": v.backlog,
            "ageing": [
                {"min_days": a.min_days, "max_days": a.max_days, "count": a.count} for a in v.ageing
            ],
            "cancelled": v.cancelled,
            "merged": v.merged,
            "out_of_scope": v.out_of_scope,
        },
        "penalties": _penalties(report.penalties),
        "committee": [
            {
                "code": p.code,
                "subject": p.subject,
                "count": p.count,
                "amount": decimal(p.amount),
                "date": _date(p.date),
                "text": p.text,
            }
            for p in report.committee
        ],
        "appendix": {
            "formulas": list(report.appendix.formulas),
            "options": {k: v for k, v in report.appendix.options},
        },
        "provenance": _plain(report.provenance.as_dict()),
    }


def render_json(report: MonthlyReport) -> bytes:
    """Canonical JSON bytes: the same report always gives the same bytes."""
    text = json.dumps(report_dict(report), sort_keys=True, ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
