"""Zammad ticket histories (``GET /api/v1/ticket_history/:id``) as status events.

An answer is ``{"history": [{"o_id": 42, "history_object": "Ticket",
"history_attribute": "state", "value_from": "open", "value_to": "pending
reminder", "created_at": "2026-01-05T10:00:00.000Z", ...}], "assets": {...}}``
(times ISO 8601 UTC).  The answer does not carry the ticket number that the
XLSX report shows, so each file is either named after it (``67001.json``) or
holds ``{"<number>": <answer>, ...}``.  State names are read through the
``zammad`` preset (or the mapping given).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pilotage.ingest.canonical import format_instants
from pilotage.ingest.csvio import Problems
from pilotage.ingest.live._build import StatusChange, events_from_changes, text
from pilotage.ingest.mapping import Mapping, load_mapping, normalize
from pilotage.ingest.sources._json import load_json
from pilotage.tables import Events, Tickets

__all__ = ["read_zammad_history"]

_EXPECTED = '{"history": [...]} or {"<ticket number>": {"history": [...]}}'


def read_zammad_history(
    paths: Sequence[str | Path], tickets: Tickets, mapping: Mapping | None = None
) -> Events:
    """Events of ``tickets`` from saved ticket histories; every problem raised at once."""
    mapping = mapping or load_mapping("zammad")
    problems = Problems()
    changes: list[StatusChange] = []
    for path in map(Path, paths):
        data = load_json(path, _EXPECTED, problems)
        if data is None:
            continue
        answers = {path.stem: data} if isinstance(data, dict) and "history" in data else data
        if not isinstance(answers, dict):
            problems.add("ingest.json_shape", str(path), expected=_EXPECTED)
            continue
        for number, answer in answers.items():
            entries = answer.get("history") if isinstance(answer, dict) else None
            if not isinstance(entries, list):
                problems.add("ingest.json_shape", str(path), None, number, expected=_EXPECTED)
                continue
            for index, entry in enumerate(entries, start=1):
                if not isinstance(entry, dict) or entry.get("history_attribute") != "state":
                    continue
                if entry.get("history_object", "Ticket") != "Ticket":
                    continue
                value = text(entry.get("value_to"))
                rule = mapping.statuses.get(normalize(value))
                if rule is None:
                    known = ", ".join(sorted(mapping.statuses))
                    problems.add(
                        "ingest.unknown_value",
                        f"{path}#{number}",
                        index,
                        "value_to",
                        value,
                        count=1,
                        expected=known,
                        key="statuses",
                    )
                    continue
                changes.append(
                    StatusChange(str(number), text(entry.get("created_at")), rule, value)
                )
    problems.raise_if_any()
    created = dict(zip(tickets.id.tolist(), format_instants(tickets.created_at), strict=True))
    where = ", ".join(str(p) for p in paths)
    return events_from_changes(tickets, created, changes, where, "UTC", problems)
