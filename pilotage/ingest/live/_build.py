"""Canonical tables from what a live API returned: one record per ticket
(canonical field -> text) and the status changes of its history."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pilotage.ingest.canonical import EventColumns, TicketColumns
from pilotage.ingest.csvio import Problems, Report
from pilotage.ingest.mapping import StatusRule
from pilotage.ingest.sources.common import ImportResult, pseudonymize
from pilotage.tables import Events, Tickets

__all__ = [
    "LiveResult",
    "Records",
    "StatusChange",
    "build_result",
    "events_from_changes",
    "id_order",
    "text",
]


@dataclass(frozen=True)
class LiveResult:
    """What a live read returns: the tables, and the cursor to store for the
    next incremental read (the latest modification instant seen, as the API
    writes it; the ``since`` given when nothing was modified)."""

    result: ImportResult
    cursor: str | None


@dataclass(frozen=True)
class StatusChange:
    """One status change of a ticket's history, as the API stated it."""

    ticket_id: str
    at: str
    rule: StatusRule
    source_status: str


@dataclass
class Records:
    """Ticket records and status changes gathered from an API."""

    tickets: list[dict[str, str]] = field(default_factory=list)
    changes: list[StatusChange] = field(default_factory=list)


_NUMBER = re.compile(r"(\D*)(\d+)")


def id_order(value: str) -> tuple[str, int, str]:
    """Sort key of ticket ids: ``R-000009`` before ``R-000010``, ``9`` before ``10``."""
    match = _NUMBER.fullmatch(value)
    return (match.group(1), int(match.group(2)), "") if match else (value, -1, value)


def build_result(
    source: str,
    where: str,
    records: Records,
    *,
    timezone: str | None,
    requester_key: bytes | None,
    report: Report,
    problems: Problems,
) -> ImportResult:
    """Tickets (sorted by id, so that reading twice gives the same tables) and
    their events: ``open`` at creation, then every change of status or pause
    reason in time order.  Raises every problem at once."""
    tickets = sorted(records.tickets, key=lambda r: id_order(r.get("id", "")))
    report.rows_read += len(tickets)
    names = sorted({name for record in tickets for name in record})
    columns = {name: [r.get(name, "") for r in tickets] for name in names}
    if "requester" in columns:
        if requester_key is None:
            columns["requester"] = [""] * len(tickets)
            report.notes.append(("ingest.requester_dropped", {}))
        else:
            columns["requester"] = pseudonymize(columns["requester"], requester_key)
            report.notes.append(("ingest.requester_pseudonymized", {}))
    numbers = list(range(1, len(tickets) + 1))
    builder = TicketColumns(where, problems, timezone=timezone)
    builder.add(numbers, columns)
    table = builder.finish()
    created = dict(zip(columns["id"], columns["created_at"], strict=True)) if tickets else {}
    events = events_from_changes(table, created, records.changes, where, timezone, problems)
    return ImportResult(table, events, report)


def events_from_changes(
    tickets: Tickets,
    created: dict[str, str],
    changes: Sequence[StatusChange],
    where: str,
    timezone: str | None,
    problems: Problems,
) -> Events:
    """Events of ``tickets``: ``open`` at creation (``created``: id -> the
    creation as the source wrote it), then each change of status or pause
    reason in time order.  A change of an unknown ticket is a problem."""
    by_ticket: dict[str, list[StatusChange]] = {}
    for change in changes:
        by_ticket.setdefault(change.ticket_id, []).append(change)
    ev: dict[str, list[str]] = {
        "ticket_id": [],
        "at": [],
        "status": [],
        "pause_reason": [],
        "source_status": [],
    }

    def emit(tid: str, at: str, rule: StatusRule, source_status: str) -> None:
        ev["ticket_id"].append(tid)
        ev["at"].append(at)
        ev["status"].append(rule.status)
        ev["pause_reason"].append(rule.pause_reason)
        ev["source_status"].append(source_status)

    for tid in tickets.id.tolist():
        emit(tid, created[tid], StatusRule("open"), "")
        current = ("open", "")
        for change in sorted(by_ticket.pop(tid, []), key=lambda c: c.at):
            state = (change.rule.status, change.rule.pause_reason)
            if state != current:
                emit(tid, change.at, change.rule, change.source_status)
                current = state
    for tid in by_ticket:
        problems.add("ingest.unknown_ticket", where, None, "ticket_id", tid)
    builder = EventColumns(where, tickets, problems, timezone=timezone)
    if ev["at"]:
        builder.add(list(range(1, len(ev["at"]) + 1)), ev)
    return builder.finish()


def text(value: object) -> str:
    """An API value as a cell text (``None`` is empty, booleans are 1 or 0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()
