"""Event logs: one row per activity or status change of a ticket (process-mining
logs such as the BPI Challenge files, ServiceNow audit exports), read through a
mapping with ``layout: activities``.

Each case becomes a ticket and its mapped activities become status events:

- rows are ordered by case, then time, then file order;
- a case opens at its ``created_at`` column when mapped (or its first activity
  when earlier), with an ``open`` event there (named after the first activity
  when that activity is an opening one);
- an activity that maps to a status emits an event when the status (or pause
  reason) changes; activities listed in ``ignore_statuses`` change nothing;
  any other activity is an error (the mapping must say what it means);
- ``resolved_at`` / ``closed_at`` are the last entries into resolved / closed,
  cleared when the ticket is reopened; columns mapped to them win;
- the ticket's attributes (kind, priority, category...) are the last known
  ones of its rows; a priority change emits an event carrying the new
  priority, and the ticket's first event then carries the initial priority;
- ``first_response_at`` is the first activity listed in ``first_response``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from pilotage.ingest.canonical import TicketColumns, bulk_allocation, format_instants
from pilotage.ingest.csvio import Problems, Report, open_table
from pilotage.ingest.mapping import Mapping, StatusRule, normalize
from pilotage.ingest.sources.common import ImportResult, ValueMaps, resolve_columns
from pilotage.tables import EVENT_STATUSES, MISSING, Events, object_array
from pilotage.timeutil import parse_instants

__all__ = ["read_activity_log"]

_STATE_OF_STATUS: Final = {
    "open": "open",
    "paused": "open",
    "resolved": "resolved",
    "closed": "closed",
}
_INSTANTS: Final = ("created_at", "first_response_at", "resolved_at", "closed_at")
_EXAMPLE: Final = {
    "iso": "2026-01-15T09:30:00+01:00",
    "dmy": "15/01/2026 09:30",
    "dmy_dash": "15-1-2026 9:30",
    "ymd_slash": "2026/01/15 09:30:00.000",
}


class _Collected:
    """Every mapped column of every file, with where each row came from."""

    def __init__(self) -> None:
        self.values: dict[str, list[str]] = {}
        self.headers: dict[str, str] = {}
        self.rows: list[int] = []
        self.files: list[str] = []


def _collect(
    paths: Sequence[str | Path],
    mapping: Mapping,
    problems: Problems,
    report: Report,
    maps_for: dict[str, ValueMaps],
) -> _Collected:
    data = _Collected()
    used: set[str] = set()
    headers: list[str] = []
    for path in paths:
        reader = open_table(path, problems, encoding=mapping.encoding, delimiter=mapping.delimiter)
        columns = resolve_columns(
            reader, mapping, problems, ("id", "activity", "at", "kind", "priority")
        )
        problems.raise_if_any()
        maps = maps_for.setdefault(reader.name, ValueMaps(mapping, reader.name, problems, report))
        used.update(h for _, h in columns.values())
        headers.extend(h for h in reader.header if h and h not in headers)
        for name, (_, header) in columns.items():
            data.headers.setdefault(name, header)
            data.values.setdefault(name, [""] * len(data.rows))
        for rows, cells in reader.chunks(problems):
            report.rows_read += len(rows)
            data.rows.extend(rows)
            data.files.extend([reader.name] * len(rows))
            for name, (position, _) in columns.items():
                data.values[name].extend(maps.blank_missing(cells[position]))
        report.ignore_rows("ingest.blank_rows", reader.blank_rows)
        for values in data.values.values():
            if len(values) < len(data.rows):  # column absent from this file
                values.extend([""] * (len(data.rows) - len(values)))
    report.ignored_columns = [h for h in headers if h not in used]
    return data


def _instants(
    name: str, data: _Collected, mapping: Mapping, problems: Problems
) -> npt.NDArray[np.int64]:
    values = data.values[name]
    fmt = mapping.resolve_format(data.values["at"])
    parsed = parse_instants(
        values, fmt, mapping.timezone, ignore_offsets=mapping.offsets == "ignore"
    )
    header = data.headers[name]
    for i in parsed.invalid.tolist():
        problems.add(
            "ingest.bad_instant",
            data.files[i],
            data.rows[i],
            header,
            values[i],
            example=_EXAMPLE[fmt],
        )
    if parsed.naive.size:
        first = int(parsed.naive[0])
        problems.add(
            "ingest.naive_instants",
            data.files[first],
            data.rows[first],
            header,
            values[first],
            count=int(parsed.naive.size),
        )
    return parsed.seconds


@bulk_allocation()
def read_activity_log(
    paths: Sequence[str | Path],
    mapping: Mapping,
    *,
    requester_key: bytes | None = None,
) -> ImportResult:
    """Tickets and events from one or more event-log files (read as one log)."""
    report = Report(source=mapping.name, files=[str(p) for p in paths])
    problems = Problems()
    maps_for: dict[str, ValueMaps] = {}
    data = _collect(paths, mapping, problems, report, maps_for)
    n = len(data.rows)
    any_maps = next(iter(maps_for.values()))
    ids = [v.strip() for v in data.values["id"]]
    for i in [i for i, v in enumerate(ids) if not v]:
        problems.add("ingest.required_empty", data.files[i], data.rows[i], data.headers["id"], "")
    at = _instants("at", data, mapping, problems)
    for i in np.flatnonzero(at == MISSING).tolist():
        if not data.values["at"][i].strip():
            problems.add(
                "ingest.required_empty", data.files[i], data.rows[i], data.headers["at"], ""
            )
    explicit = {
        name: _instants(name, data, mapping, problems) for name in _INSTANTS if name in data.values
    }
    # Statuses, one lookup per distinct activity.
    activity = data.values["activity"]
    rule_of: dict[str, StatusRule | None] = {}
    rules: list[StatusRule | None] = []
    for i, value in enumerate(activity):
        if value not in rule_of:
            rule_of[value] = maps_for[data.files[i]].status(
                data.headers["activity"], value, data.rows[i]
            )
        rule = rule_of[value]
        if rule is None and value.strip():
            key = f"activity (no status change): {value.strip()}"
            report.ignored_values[key] = report.ignored_values.get(key, 0) + 1
        rules.append(rule)
    first_response = {v for v in rule_of if normalize(v) in mapping.first_response}
    # Attributes, mapped per file so that errors name the right file.
    attributes: dict[str, list[str]] = {}
    for name in ("kind", "priority", "category", "site", "title", "parent_id", "service"):
        if name in data.values:
            attributes[name] = _per_file(data, name, maps_for, "values")
    if "requester" in data.values:
        attributes["requester"] = any_maps.requesters(data.values["requester"], requester_key)
    for name in ("provider_sla_met", "provider_response_met", "provider_resolution_met"):
        if name in data.values:
            attributes[name] = _per_file(data, name, maps_for, "verdicts")
    if "service" not in attributes and "service" in mapping.values and "category" in attributes:
        attributes["service"] = any_maps.services(attributes["category"])
    for maps in maps_for.values():
        maps.flush()
    problems.raise_if_any()

    cases, case_of_row = np.unique(np.array(ids, dtype=object), return_inverse=True)
    order = np.lexsort((np.arange(n), at, case_of_row)).tolist()
    case_list = case_of_row.tolist()
    at_list = at.tolist()
    priority = attributes.get("priority", [""] * n)
    ev_ticket: list[int] = []
    ev_at: list[int] = []
    ev_status: list[int] = []
    ev_reason: list[str] = []
    ev_priority: list[str] = []
    ev_source: list[str] = []
    last_row: list[int] = []
    final: dict[str, list[str]] = {name: [] for name in attributes}
    created: list[int] = []
    first_resp: list[int] = []
    resolved: list[int] = []
    closed: list[int] = []
    state: list[str] = []

    position = 0
    while position < n:
        case = case_list[order[position]]
        end = position
        while end < n and case_list[order[end]] == case:
            end += 1
        rows = order[position:end]
        position = end
        start = min(at_list[rows[0]], _last(explicit.get("created_at"), rows, at_list[rows[0]]))
        first_event = len(ev_ticket)
        current: tuple[str, str] | None = None
        override = ""
        res = clo = fr = MISSING
        prev_priority = priority[rows[0]]
        changed_priority = False
        first_rule = rules[rows[0]]
        opening = first_rule is not None and first_rule.status == "open"
        ev_ticket.append(case)
        ev_at.append(start)
        ev_status.append(0)
        ev_reason.append("")
        ev_priority.append("")
        ev_source.append(activity[rows[0]].strip() if opening else "")
        current = ("open", "")
        for k in rows:
            rule = rules[k]
            if fr == MISSING and activity[k] in first_response:
                fr = at_list[k]
            new_priority = priority[k] if priority[k] and priority[k] != prev_priority else ""
            if new_priority:
                changed_priority = True
                prev_priority = priority[k]
            emit = rule is not None and (rule.status, rule.pause_reason) != current
            if not emit and not new_priority:
                continue
            if emit:
                assert rule is not None
                current = (rule.status, rule.pause_reason)
                override = rule.state
                if rule.status == "resolved":
                    res = at_list[k]
                elif rule.status == "closed":
                    clo = at_list[k]
                else:
                    res = clo = MISSING
            assert current is not None
            ev_ticket.append(case)
            ev_at.append(at_list[k])
            ev_status.append(EVENT_STATUSES.index(current[0]))
            ev_reason.append(current[1])
            ev_priority.append(new_priority)
            ev_source.append(activity[k].strip() if emit else "")
        if changed_priority:
            ev_priority[first_event] = priority[rows[0]]
        assert current is not None
        last_row.append(rows[-1])
        for name, values in attributes.items():
            final[name].append(next((values[k] for k in reversed(rows) if values[k]), ""))
        created.append(start)
        first_resp.append(_first(explicit.get("first_response_at"), rows, fr))
        resolved.append(_last(explicit.get("resolved_at"), rows, res))
        closed.append(_last(explicit.get("closed_at"), rows, clo))
        state.append(override or _STATE_OF_STATUS[current[0]])

    builder = TicketColumns(
        ", ".join(report.files),
        problems,
        timezone="UTC",
        labels={name: data.headers.get(name, name) for name in data.headers},
    )
    columns: dict[str, list[str]] = {
        "id": [str(c) for c in cases.tolist()],
        "created_at": format_instants(np.array(created, dtype=np.int64)),
        "first_response_at": format_instants(np.array(first_resp, dtype=np.int64)),
        "resolved_at": format_instants(np.array(resolved, dtype=np.int64)),
        "closed_at": format_instants(np.array(closed, dtype=np.int64)),
        "state": state,
    }
    columns.update(final)
    for name, value in mapping.defaults.items():
        current_values = columns.get(name)
        columns[name] = (
            [v or value for v in current_values] if current_values else [value] * len(last_row)
        )
    builder.add([data.rows[k] for k in last_row], columns)
    tickets = builder.finish()
    events = Events(
        ticket=np.array(ev_ticket, dtype=np.int64),
        at=np.array(ev_at, dtype=np.int64),
        status=np.array(ev_status, dtype=np.int8),
        pause_reason=object_array(ev_reason),
        priority=object_array(ev_priority),
        source_status=object_array(ev_source),
    )
    return ImportResult(tickets, events, report)


def _per_file(data: _Collected, name: str, maps_for: dict[str, ValueMaps], how: str) -> list[str]:
    values = data.values[name]
    out: list[str] = []
    start = 0
    while start < len(values):
        file = data.files[start]
        end = start
        while end < len(values) and data.files[end] == file:
            end += 1
        maps = maps_for[file]
        convert = maps.values if how == "values" else maps.verdicts
        out.extend(convert(name, data.headers[name], values[start:end], data.rows[start:end]))
        start = end
    return out


def _last(values: npt.NDArray[np.int64] | None, rows: list[int], default: int) -> int:
    """The case's last known value of an explicit instant column, else ``default``."""
    if values is not None:
        for k in reversed(rows):
            if values[k] != MISSING:
                return int(values[k])
    return default


def _first(values: npt.NDArray[np.int64] | None, rows: list[int], default: int) -> int:
    if values is not None:
        for k in rows:
            if values[k] != MISSING:
                return int(values[k])
    return default
