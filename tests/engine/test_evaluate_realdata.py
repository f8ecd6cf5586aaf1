"""Evaluation on real ITSM logs (``../shared/data``; skipped where absent).

BPI Challenge 2013 (Volvo IT) and 2014 (Rabobank) status histories, imported
with their presets and measured with the reference contract's ticket levels.
The checks are invariants that hold whatever the data: verdicts agree with
elapsed time and target, windows add up, traces add up, and a breach found at
one ``as_of`` stays a breach in the same window at any later ``as_of``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from pilotage.engine.evaluate import BREACHED, MET, PENDING, TicketEvaluation, evaluate_tickets
from pilotage.engine.trace import trace_ticket
from pilotage.ingest.sources import ImportResult, read_source
from pilotage.tables import MISSING
from tests.engine.builders import contract

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
SOURCES = {
    "bpic2013": ("bpic2013/vinst_incidents.csv", "Europe/Brussels"),
    "bpic2014": ("bpic2014/incident_activity_joined.csv", "Europe/Amsterdam"),
}

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not DATA.is_dir(), reason="the real ITSM logs (../shared/data) are absent"),
]


@cache
def _load(name: str) -> ImportResult:
    path, zone = SOURCES[name]
    return read_source(name, [DATA / path], timezone=zone)


def _evaluate(name: str, as_of: int) -> TicketEvaluation:
    data = _load(name)
    first = int(data.tickets.created_at.min())
    return evaluate_tickets(contract(), data.tickets, data.events, as_of=as_of, windows_from=first)


def _end(name: str) -> int:
    return int(_load(name).tickets.created_at.max()) + 60 * 86_400


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_verdicts_and_windows_are_consistent(name: str) -> None:
    as_of = _end(name)
    ev = _evaluate(name, as_of)
    assert sum(len(m) for m in ev.levels.values()) > 0
    for m in ev.levels.values():
        assert (m.elapsed >= 0).all()
        met, breached, pending = m.verdict == MET, m.verdict == BREACHED, m.verdict == PENDING
        assert (m.elapsed[met] <= m.target[met]).all()
        assert (m.elapsed[breached] > m.target[breached]).all()
        assert (m.deadline[breached] != MISSING).all() and (m.deadline[breached] < as_of).all()
        assert (m.stop[met] != MISSING).all() and (m.stop[pending] == MISSING).all()
        counted = m.window != ""
        assert (counted <= (m.verdict != PENDING)).all()
        results = [r for r in ev.window_results if r.level_id == m.level_id]
        assert sum(r.eligible for r in results) == int(counted.sum())
        assert all(r.met + r.breached == r.eligible for r in results)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_a_breach_stays_in_its_window_at_a_later_as_of(name: str) -> None:
    data = _load(name)
    assert len(data.events) and not (data.events.priority != "").any()
    later = _evaluate(name, _end(name))
    middle = int(np.median(data.tickets.created_at))
    earlier = _evaluate(name, middle)
    assert sum(int((m.verdict == BREACHED).sum()) for m in earlier.levels.values()) > 0
    for level_id, before in earlier.levels.items():
        after = later.levels[level_id]
        rows = before.ticket[before.verdict == BREACHED]
        pos = np.searchsorted(after.ticket, rows)
        assert (after.ticket[pos] == rows).all()
        assert (after.verdict[pos] == BREACHED).all()
        assert (after.deadline[pos] == before.deadline[before.verdict == BREACHED]).all()
        assert (after.window[pos] == before.window[before.verdict == BREACHED]).all()


def test_traces_add_up_to_the_elapsed_time() -> None:
    data = _load("bpic2013")
    as_of = _end("bpic2013")
    ev = _evaluate("bpic2013", as_of)
    m = ev.levels["p2-resolution"]
    for p in np.linspace(0, len(m) - 1, 5).astype(int).tolist():
        ticket_id = str(data.tickets.id[m.ticket[p]])
        trace = trace_ticket(
            contract(),
            data.tickets,
            data.events,
            ticket_id,
            "p2-resolution",
            as_of=as_of,
            windows_from=int(data.tickets.created_at.min()),
        )
        assert sum(s.business_seconds for s in trace.segments) == trace.elapsed == m.elapsed[p]
