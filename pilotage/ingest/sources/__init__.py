"""Source readers: provider exports -> canonical tickets and events.

``read_source(source, paths)`` reads with a preset (``glpi``, ``bpic2014``,
``bpic2013``, ``helpdesk``, ``servicenow``, ``servicenow-audit``, ``itop``), a
mapping file, or ``canonical`` for Pilotage's own ``tickets.csv`` (plus an
optional ``events.csv``).  The layout of the mapping chooses the reader:
:mod:`~pilotage.ingest.sources.rows` for one row per ticket,
:mod:`~pilotage.ingest.sources.eventlog` for one row per activity.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pilotage.ingest.canonical import load_tickets_csv, merge_extractions, read_events_csv
from pilotage.ingest.csvio import Problems, Report, open_table
from pilotage.ingest.mapping import Mapping, load_mapping, preset_names
from pilotage.ingest.sources.common import ImportResult, pseudonymize, resolve_columns
from pilotage.ingest.sources.eventlog import read_activity_log
from pilotage.ingest.sources.rows import read_ticket_rows
from pilotage.tables import Events, Tickets

__all__ = [
    "ImportResult",
    "pseudonymize",
    "read_canonical",
    "read_mapped",
    "read_source",
    "source_names",
    "suggest_presets",
]


def source_names() -> list[str]:
    """``canonical`` and every shipped preset."""
    return ["canonical", *preset_names()]


def suggest_presets(path: str | Path) -> list[str]:
    """Presets whose required columns are all in the header of ``path``."""
    problems = Problems()
    reader = open_table(path, problems)
    found: list[str] = []
    for name in preset_names():
        mapping = load_mapping(name)
        required = ("id", "created_at") if mapping.layout == "tickets" else ("id", "activity", "at")
        trial = Problems()
        resolve_columns(reader, mapping, trial, (*required, "kind", "priority"))
        if not trial:
            found.append(name)
    return found


def read_mapped(
    paths: Sequence[str | Path], mapping: Mapping, *, requester_key: bytes | None = None
) -> ImportResult:
    """Read exports with a mapping (its layout chooses the reader)."""
    if mapping.layout == "activities":
        return read_activity_log(paths, mapping, requester_key=requester_key)
    return read_ticket_rows(paths, mapping, requester_key=requester_key)


def read_canonical(
    paths: Sequence[str | Path],
    events_path: str | Path | None = None,
    *,
    timezone: str | None = None,
) -> ImportResult:
    """Canonical ``tickets.csv`` files (the last extraction wins for an id) and
    an optional ``events.csv`` read against the merged tickets."""
    report = Report(source="canonical", files=[str(p) for p in paths])
    parts: list[tuple[Tickets, Events]] = []
    for path in paths:
        tickets, part = load_tickets_csv(path, timezone=timezone)
        report.rows_read += part.rows_read
        report.ignored_columns.extend(
            c for c in part.ignored_columns if c not in report.ignored_columns
        )
        for reason, count in part.ignored_rows.items():
            report.ignore_rows(reason, count)
        parts.append((tickets, Events.empty()))
    tickets, events = merge_extractions(parts)
    if events_path is not None:
        report.files.append(str(events_path))
        events = read_events_csv(events_path, tickets, timezone=timezone)
    return ImportResult(tickets, events, report)


def read_source(
    source: str,
    paths: Sequence[str | Path],
    *,
    timezone: str | None = None,
    requester_key: bytes | None = None,
    events_path: str | Path | None = None,
) -> ImportResult:
    """Read ``paths`` as ``source``: ``canonical``, a preset name or a mapping
    file; ``timezone`` (when given) overrides the mapping's."""
    if source == "canonical":
        return read_canonical(paths, events_path, timezone=timezone)
    mapping = load_mapping(source).with_timezone(timezone)
    return read_mapped(paths, mapping, requester_key=requester_key)
