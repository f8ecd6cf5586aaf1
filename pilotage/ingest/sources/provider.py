"""One entry point for a provider's ticket export and what comes with it:
the export read through a preset or mapping, then the status histories and
SLA answers saved from the tool's API, and the report's own verdict columns
(Zammad); or saved API answers read without a mapping (Freshservice)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from pilotage.ingest.mapping import Mapping
from pilotage.ingest.sources import read_mapped
from pilotage.ingest.sources.common import ImportResult
from pilotage.ingest.sources.freshservice import read_freshservice_json
from pilotage.ingest.sources.jsm import apply_jsm_sla
from pilotage.ingest.sources.zammad import DIFF_COLUMNS, apply_zammad_diffs, read_zammad_history

__all__ = ["JSON_SOURCES", "read_json_source", "read_provider_export"]

JSON_SOURCES: Final = ("freshservice",)
"""Sources read from saved API answers rather than through a mapping."""


def read_provider_export(
    paths: Sequence[str | Path],
    mapping: Mapping,
    *,
    requester_key: bytes | None = None,
    history: Sequence[str | Path] = (),
    sla: Sequence[str | Path] = (),
) -> ImportResult:
    """Read ``paths`` with ``mapping``; ``history`` (Zammad ticket histories)
    gives the events, ``sla`` (Jira SM SLA answers) the verdicts; a Zammad
    report's ``*_diff_in_min`` columns give its verdicts."""
    result = read_mapped(paths, mapping, requester_key=requester_key)
    tickets, events, report = result.tickets, result.events, result.report
    if mapping.name == "zammad":
        tickets = apply_zammad_diffs(tickets, paths)
        report.ignored_columns[:] = [c for c in report.ignored_columns if c not in DIFF_COLUMNS]
    if sla:
        tickets = apply_jsm_sla(tickets, sla)
        report.files.extend(str(p) for p in sla)
    if history:
        events = read_zammad_history(history, tickets, mapping)
        report.files.extend(str(p) for p in history)
    return ImportResult(tickets, events, report)


def read_json_source(
    source: str, paths: Sequence[str | Path], *, requester_key: bytes | None = None
) -> ImportResult:
    """Saved API answers of a source of :data:`JSON_SOURCES`."""
    if source != "freshservice":
        raise ValueError(f"not a JSON source: {source}")
    return read_freshservice_json(paths, requester_key=requester_key)
