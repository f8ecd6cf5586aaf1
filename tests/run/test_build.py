"""The report model built from a run: breach traces and volumes against the engine's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotage.commands.demo import DEMO_AS_OF, demo_arguments
from pilotage.commands.report import inputs_from
from pilotage.engine.trace import trace_tickets
from pilotage.reports.build import build_monthly_report, period_bounds
from pilotage.run import Run, execute


@pytest.fixture(scope="module")
def run() -> Run:
    return execute(inputs_from(demo_arguments(Path("unused"), "en")), as_of_text=DEMO_AS_OF)


@pytest.mark.parametrize("period", ["2026-03", "2026-09", "2026-10"])
def test_breaches_are_traced_as_on_the_whole_tables(run: Run, period: str) -> None:
    report = build_monthly_report(run, period)
    assert report.breaches
    pairs = [(b.ticket_id, b.level_id) for b in report.breaches]
    whole = trace_tickets(
        run.contract, run.tickets, run.events, pairs, as_of=run.as_of, adjustments=run.adjustments
    )
    for breach, trace in zip(report.breaches, whole, strict=True):
        assert breach.elapsed_seconds == trace.elapsed
        assert breach.target_seconds == trace.target
        counted = [s for s in trace.segments if s.end != s.start]
        assert [s.start for s in breach.segments] == [s.start for s in counted]
        assert [s.counted_seconds for s in breach.segments] == [
            s.business_seconds if s.counted else 0 for s in counted
        ]


def test_volumes_add_up_to_the_tickets_of_the_period(run: Run) -> None:
    report = build_monthly_report(run, "2026-10")
    _, _, start, end = period_bounds("2026-10", "Europe/Paris")
    t = run.tickets
    live = [
        i
        for i in range(len(t))
        if t.state[i] not in ("cancelled", "merged") and start <= t.created_at[i] < end
    ]
    assert sum(row.opened for row in report.volumes.rows) == len(live)
    assert sum(b.count for b in report.volumes.ageing) == sum(
        row.backlog for row in report.volumes.rows
    )
