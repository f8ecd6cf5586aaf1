"""Jira Service Management SLA answers as the provider's verdicts.

``GET /rest/servicedeskapi/request/{key}/sla`` answers ``{"values": [{"name":
"Time to resolution", "completedCycles": [{"breached": false, ...}],
"ongoingCycle": {"breached": false, "paused": false, ...}}]}``.  A metric is
met when no cycle, completed or ongoing, breached (Jira's ``everBreached()``),
missed when one did, and unknown while its only cycle is still running; a
cycle without a ``breached`` flag is judged on ``elapsedTime`` against
``goalDuration``.  The
answer does not carry the issue key: a file is named after it
(``SD-42.json``) or holds ``{"SD-42": <answer>, ...}``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np

from pilotage.ingest.csvio import Problems
from pilotage.ingest.sources._json import load_json
from pilotage.tables import Tickets

__all__ = ["METRICS", "apply_jsm_sla", "cycle_verdict"]

METRICS: Final = {
    "time to first response": "provider_response_met",
    "time to resolution": "provider_resolution_met",
}
"""SLA names (case-insensitive) -> the verdict they give; the default
metrics of a service project."""
_EXPECTED = '{"values": [{"name": ..., "completedCycles": [...], "ongoingCycle": {...}}]}'


def _breached(cycle: Mapping[str, Any]) -> bool:
    """The cycle's ``breached`` flag; without one, elapsed time over the goal."""
    if "breached" in cycle:
        return bool(cycle["breached"])
    goal, elapsed = cycle.get("goalDuration"), cycle.get("elapsedTime")
    if isinstance(goal, dict) and isinstance(elapsed, dict):
        return int(elapsed.get("millis", 0)) > int(goal.get("millis", 0))
    return False


def cycle_verdict(metric: Mapping[str, Any]) -> int:
    """1 met, 0 breached in some cycle, -1 not known yet (running, never breached)."""
    cycles = [c for c in metric.get("completedCycles") or [] if isinstance(c, dict)]
    ongoing = metric.get("ongoingCycle")
    if any(_breached(c) for c in cycles) or (isinstance(ongoing, dict) and _breached(ongoing)):
        return 0
    if isinstance(ongoing, dict) or not cycles:
        return -1
    return 1


def apply_jsm_sla(
    tickets: Tickets,
    paths: Sequence[str | Path],
    metrics: Mapping[str, str] = METRICS,
) -> Tickets:
    """``tickets`` with the verdicts of the SLA answers set (others unchanged)."""
    wanted = {k.casefold(): v for k, v in metrics.items()}
    problems = Problems()
    verdicts: dict[str, dict[str, int]] = {}
    for path in map(Path, paths):
        data = load_json(path, _EXPECTED, problems)
        if data is None:
            continue
        answers = {path.stem: data} if isinstance(data, dict) and "values" in data else data
        if not isinstance(answers, dict):
            problems.add("ingest.json_shape", str(path), expected=_EXPECTED)
            continue
        for key, answer in answers.items():
            values = answer.get("values") if isinstance(answer, dict) else None
            if not isinstance(values, list):
                problems.add("ingest.json_shape", str(path), None, key, expected=_EXPECTED)
                continue
            for metric in values:
                name = str(metric.get("name", "")).casefold() if isinstance(metric, dict) else ""
                if name in wanted:
                    verdicts.setdefault(str(key), {})[wanted[name]] = cycle_verdict(metric)
    problems.raise_if_any()
    columns: dict[str, Any] = {}
    ids = tickets.id.tolist()
    for name in set(wanted.values()):
        column = getattr(tickets, name).copy()
        for i, tid in enumerate(ids):
            if name in verdicts.get(tid, {}):
                column[i] = verdicts[tid][name]
        columns[name] = column.astype(np.int8)
    return dataclasses.replace(tickets, **columns)
