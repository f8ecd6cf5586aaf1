"""Exports with one row per ticket (GLPI, iTop, ServiceNow lists...), read
through a mapping with ``layout: tickets``.

Such exports have no status history: the tickets come with the source's own
pause total (``waiting_seconds``) where it has one, and no events.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pilotage.ingest.canonical import TicketColumns, bulk_allocation, merge_extractions
from pilotage.ingest.csvio import Problems, Report, open_table
from pilotage.ingest.mapping import Mapping
from pilotage.ingest.sources.common import ImportResult, ValueMaps, resolve_columns
from pilotage.tables import Events, Tickets

__all__ = ["read_ticket_rows"]

_STATE_OF_STATUS = {"open": "open", "paused": "open", "resolved": "resolved", "closed": "closed"}
_INSTANTS = ("created_at", "first_response_at", "resolved_at", "closed_at")


@bulk_allocation()
def read_ticket_rows(
    paths: Sequence[str | Path],
    mapping: Mapping,
    *,
    requester_key: bytes | None = None,
) -> ImportResult:
    """Read one or more extractions (the last one wins for a ticket id present
    in several); raises every problem at once."""
    report = Report(source=mapping.name, files=[str(p) for p in paths])
    parts: list[tuple[Tickets, Events]] = []
    used: set[str] = set()
    headers: list[str] = []
    for path in paths:
        problems = Problems()
        reader = open_table(path, problems, encoding=mapping.encoding, delimiter=mapping.delimiter)
        columns = resolve_columns(
            reader, mapping, problems, ("id", "kind", "priority", "created_at")
        )
        problems.raise_if_any()
        used.update(header for _, header in columns.values())
        headers.extend(h for h in reader.header if h and h not in headers)
        maps = ValueMaps(mapping, reader.name, problems, report)
        labels = {name: header for name, (_, header) in columns.items()}
        if "status" in labels:
            labels["state"] = labels["status"]
        builder = TicketColumns(
            reader.name,
            problems,
            timezone=mapping.timezone,
            date_format=mapping.date_format,
            ignore_offsets=mapping.offsets == "ignore",
            labels=labels,
        )
        for rows, cells in reader.chunks(problems):
            if builder.date_format == "auto" and "created_at" in columns:
                builder.date_format = mapping.resolve_format(cells[columns["created_at"][0]])
            report.rows_read += len(rows)
            builder.add(rows, _convert(rows, cells, columns, mapping, maps, requester_key))
        report.ignore_rows("ingest.blank_rows", reader.blank_rows)
        maps.flush()
        parts.append((builder.finish(), Events.empty()))
    report.ignored_columns = [h for h in headers if h not in used]
    tickets, events = merge_extractions(parts)
    return ImportResult(tickets, events, report)


def _convert(
    rows: list[int],
    cells: list[Sequence[str]],
    columns: dict[str, tuple[int, str]],
    mapping: Mapping,
    maps: ValueMaps,
    requester_key: bytes | None,
) -> dict[str, list[str]]:
    n = len(rows)
    out: dict[str, list[str]] = {}
    for name, (position, header) in columns.items():
        values = maps.blank_missing(cells[position])
        if name == "status":
            states: list[str] = []
            for value, row in zip(values, rows, strict=True):
                rule = maps.status(header, value, row) if value.strip() else None
                states.append("" if rule is None else rule.state or _STATE_OF_STATUS[rule.status])
            out["state"] = states
        elif name == "requester":
            out[name] = maps.requesters(values, requester_key)
        elif name.startswith("provider_"):
            out[name] = maps.verdicts(name, header, values, rows)
        elif name == "waiting_seconds":
            out[name] = maps.durations(name, header, values, rows)
        elif name in _INSTANTS:
            out[name] = values
        else:
            out[name] = maps.values(name, header, values, rows)
    if "service" not in columns and "service" in mapping.values and "category" in columns:
        out["service"] = maps.services(out["category"])
    for name, value in mapping.defaults.items():
        current = out.get(name)
        out[name] = [v or value for v in current] if current is not None else [value] * n
    return out
