"""Zammad ticket histories (``GET /api/v1/ticket_history/:id``) as status events.

An answer is ``{"history": [{"o_id": 42, "history_object": "Ticket",
"history_attribute": "state", "value_from": "open", "value_to": "pending
reminder", "created_at": "2026-01-05T10:00:00.000Z", ...}], "assets": {...}}``
(times ISO 8601 UTC).  The answer does not carry the ticket number that the
XLSX report shows, so each file is either named after it (``67001.json``) or
holds ``{"<number>": <answer>, ...}``.  State names are read through the
``zammad`` preset (or the mapping given).

The report's own verdicts are its ``First Response Diff In Min`` and ``Close
Diff In Min`` columns (target minus actual; negative is a breach), applied by
:func:`apply_zammad_diffs`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from pilotage import i18n
from pilotage.ingest.canonical import format_instants
from pilotage.ingest.csvio import Problems, open_table
from pilotage.ingest.live._build import StatusChange, events_from_changes, text
from pilotage.ingest.mapping import Mapping, load_mapping, normalize
from pilotage.ingest.sources._json import load_json
from pilotage.tables import Events, Tickets

__all__ = ["DIFF_COLUMNS", "apply_zammad_diffs", "read_zammad_history"]

i18n.register(
    {
        "ingest.bad_minutes": {
            "en": "not a number of minutes (negative when the target was missed)",
            "fr": "ce n’est pas un nombre de minutes (négatif quand la cible est manquée)",
        }
    }
)

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


DIFF_COLUMNS: Final = {
    "First Response Diff In Min": "provider_response_met",
    "Close Diff In Min": "provider_resolution_met",
}
"""Report columns holding Zammad's ``target - actual`` in minutes (negative = breach)."""


def apply_zammad_diffs(tickets: Tickets, paths: Sequence[str | Path]) -> Tickets:
    """``tickets`` with the verdicts of the report's ``*_diff_in_min`` columns:
    met when zero or more, missed when negative, unknown when empty."""
    problems = Problems()
    verdicts: dict[str, dict[str, int]] = {}
    for path in paths:
        reader = open_table(path, problems)
        positions = {normalize(h): i for i, h in enumerate(reader.header)}
        id_at = positions.get("#")
        wanted = {
            name: positions[normalize(column)]
            for column, name in DIFF_COLUMNS.items()
            if normalize(column) in positions
        }
        if id_at is None or not wanted:
            continue
        for rows, columns in reader.chunks(problems):
            for name, at in wanted.items():
                header = reader.header[at]
                for row, tid, value in zip(rows, columns[id_at], columns[at], strict=True):
                    text_value = value.strip().replace(",", ".")
                    if not text_value:
                        continue
                    try:
                        minutes = float(text_value)
                    except ValueError:
                        problems.add("ingest.bad_minutes", reader.name, row, header, value)
                        continue
                    verdicts.setdefault(tid.strip(), {})[name] = int(minutes >= 0)
    problems.raise_if_any()
    judged: dict[str, Any] = {}
    ids = tickets.id.tolist()
    for name in DIFF_COLUMNS.values():
        column = getattr(tickets, name).copy()
        for i, tid in enumerate(ids):
            if name in verdicts.get(tid, {}):
                column[i] = verdicts[tid][name]
        judged[name] = column
    return dataclasses.replace(tickets, **judged)
