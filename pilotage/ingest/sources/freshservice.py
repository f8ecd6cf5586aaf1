"""Freshservice tickets from saved API answers (``GET /api/v2/tickets``,
``{"tickets": [...]}``, or one ticket ``{"ticket": {...}}``).

Encodings (Freshservice API v2): status 2 Open, 3 Pending, 4 Resolved, 5
Closed; priority 1 Low, 2 Medium, 3 High, 4 Urgent; ``type`` Incident or
Service Request; instants ISO 8601 UTC.  ``fr_escalated`` (first response
overdue) and ``is_escalated`` (resolution overdue) are the provider's own
verdicts.  Resolution, closing and first-response instants come from the
``stats`` object that ``include=stats`` adds (``resolved_at``, ``closed_at``,
``first_responded_at``); without it they are unknown.  Descriptions are not
read; requester ids are pseudonymized or dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from pilotage.ingest.csvio import Problems, Report
from pilotage.ingest.live._build import Records, build_result, text
from pilotage.ingest.sources._json import load_json
from pilotage.ingest.sources.common import ImportResult

__all__ = ["read_freshservice_json"]

STATES: Final = {"2": "open", "3": "open", "4": "resolved", "5": "closed"}
PRIORITIES: Final = {"1": "P4", "2": "P3", "3": "P2", "4": "P1"}
KINDS: Final = {"incident": "incident", "service request": "request"}
_EXPECTED = '{"tickets": [...]} or {"ticket": {...}}'


def read_freshservice_json(
    paths: Sequence[str | Path], *, requester_key: bytes | None = None
) -> ImportResult:
    """Tickets (no status history) from saved answers; the last file wins
    for a ticket present in several.  Raises every problem at once."""
    problems = Problems()
    report = Report(source="freshservice", files=[str(p) for p in paths])
    by_id: dict[str, dict[str, str]] = {}
    for path in map(Path, paths):
        data = load_json(path, _EXPECTED, problems)
        if data is None:
            continue
        items = data.get("tickets", [data.get("ticket")]) if isinstance(data, dict) else None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            problems.add("ingest.json_shape", str(path), expected=_EXPECTED)
            continue
        for number, item in enumerate(items, start=1):
            record = _record(item, str(path), number, problems)
            by_id.pop(record["id"], None)
            by_id[record["id"]] = record
    problems.raise_if_any()
    records = Records(tickets=list(by_id.values()))
    where = ", ".join(report.files)
    return build_result(
        "freshservice",
        where,
        records,
        timezone=None,
        requester_key=requester_key,
        report=report,
        problems=problems,
    )


def _code(
    item: dict[str, object], name: str, table: dict[str, str], where: tuple[str, int, Problems]
) -> str:
    value = text(item.get(name))
    mapped = table.get(value.casefold())
    if mapped is None:
        file, number, problems = where
        problems.add(
            "ingest.bad_choice", file, number, name, value, expected=", ".join(table) or "-"
        )
        return ""
    return mapped


def _record(item: dict[str, object], file: str, number: int, problems: Problems) -> dict[str, str]:
    where = (file, number, problems)
    state = _code(item, "status", STATES, where)
    stats = item.get("stats")
    stat = stats if isinstance(stats, dict) else {}
    escalated = {"true": "false", "false": "true", "1": "false", "0": "true", "": ""}
    return {
        "id": text(item.get("id")),
        "title": text(item.get("subject")),
        "kind": _code(item, "type", KINDS, where),
        "priority": _code(item, "priority", PRIORITIES, where),
        "category": text(item.get("category")),
        "requester": text(item.get("requester_id")),
        "created_at": text(item.get("created_at")),
        "first_response_at": text(stat.get("first_responded_at")),
        "resolved_at": text(stat.get("resolved_at")),
        "closed_at": text(stat.get("closed_at")),
        "state": state,
        "provider_response_met": escalated.get(text(item.get("fr_escalated")).lower(), ""),
        "provider_resolution_met": escalated.get(text(item.get("is_escalated")).lower(), ""),
    }
