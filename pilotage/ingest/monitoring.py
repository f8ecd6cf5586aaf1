"""Availability data from generic CSV files: outages and probe samples.

``outages.csv``: ``service,start,end,kind,announced_at`` where ``kind`` is
``down`` or ``maintenance`` (French ``panne``/``indisponibilité`` and
``maintenance`` are accepted) and ``announced_at`` (optional) is when a
maintenance was announced.  ``probes.csv``: ``service,at,up`` where ``up`` is
1/0, true/false, up/down or oui/non.

Tool-specific readers (Uptime Kuma, Prometheus, Zabbix, Centreon) live in
:mod:`pilotage.ingest.sources_monitoring`.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from pilotage.ingest._tabular import (
    Problems,
    build_probes,
    cell,
    choice,
    parse_bool,
    parse_instant,
    read_table,
    required_text,
    zone,
)
from pilotage.tables import Outages, Probes, object_array

__all__ = ["OUTAGE_KINDS", "outages_from_rows", "read_outages", "read_probes"]

OUTAGE_KINDS = {
    "down": "down",
    "panne": "down",
    "indisponibilité": "down",
    "indisponibilite": "down",
    "outage": "down",
    "maintenance": "maintenance",
}


def outages_from_rows(
    service: list[str], start: list[int], end: list[int], kind: list[str], announced: list[int]
) -> Outages:
    """An :class:`Outages` table sorted by service, start, end (stable)."""
    starts = np.array(start, dtype=np.int64)
    ends = np.array(end, dtype=np.int64)
    services = object_array(service)
    order = np.lexsort((ends, starts, services.astype(str))) if service else np.empty(0, int)
    return Outages(
        service=services[order],
        start=starts[order],
        end=ends[order],
        kind=object_array(kind)[order],
        announced_at=np.array(announced, dtype=np.int64)[order],
    )


def read_outages(path: Path | str, *, tz: str | None) -> Outages:
    """Read ``service,start,end,kind[,announced_at]``; naive times are in ``tz``.

    Raises :class:`~pilotage.ingest.csvio.ImportErrors` listing every bad
    cell (and an end before its start).
    """
    problems = Problems()
    file = Path(path).name
    zi = zone(tz, problems, file)
    table = read_table(
        path, ("service", "start", "end", "kind"), ("announced_at",), problems=problems
    )
    service: list[str] = []
    start: list[int] = []
    end: list[int] = []
    kind: list[str] = []
    announced: list[int] = []
    shown = "down, maintenance"
    for row in table.rows:
        values = (
            cell(table, row, "service", required_text, problems),
            cell(table, row, "start", parse_instant, problems, zi),
            cell(table, row, "end", parse_instant, problems, zi),
            cell(table, row, "kind", choice, problems, OUTAGE_KINDS, shown),
            cell(table, row, "announced_at", _optional_instant, problems, zi),
        )
        if any(v is None for v in values):
            continue
        if values[2] < values[1]:
            problems.add(
                "import.end_before_start",
                file=table.file,
                row=row.number,
                column="end",
                value=row.cells["end"],
                start=row.cells["start"],
            )
            continue
        service.append(values[0])
        start.append(values[1])
        end.append(values[2])
        kind.append(values[3])
        announced.append(values[4])
    problems.raise_if_any()
    return outages_from_rows(service, start, end, kind, announced)


def _optional_instant(text: str, tz: ZoneInfo | None) -> int:
    return parse_instant(text, tz, optional=True)


def read_probes(path: Path | str, *, tz: str | None) -> Probes:
    """Read probe samples ``service,at,up``; naive times are in ``tz``.

    The result is sorted by service then time; two samples of one service at
    the same second collapse to one (down if either is down).
    """
    problems = Problems()
    file = Path(path).name
    zi = zone(tz, problems, file)
    table = read_table(path, ("service", "at", "up"), problems=problems)
    service: list[str] = []
    at: list[int] = []
    up: list[int] = []
    for row in table.rows:
        values = (
            cell(table, row, "service", required_text, problems),
            cell(table, row, "at", parse_instant, problems, zi),
            cell(table, row, "up", parse_bool, problems),
        )
        if any(v is None for v in values):
            continue
        service.append(values[0])
        at.append(values[1])
        up.append(values[2])
    problems.raise_if_any()
    return build_probes(service, at, up)
