"""Evaluation as a whole: the loaded reference contract, traces, options, determinism."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import pilotage.engine
from pilotage.contract.loader import load_contract
from pilotage.engine.calendar import Calendar
from pilotage.engine.evaluate import VERDICTS, evaluate_tickets
from pilotage.engine.trace import trace_ticket
from pilotage.errors import EngineError
from pilotage.tables import Events, Tickets
from tests.engine.builders import (
    adjustments,
    at,
    contract,
    dur,
    events,
    terms,
    tickets,
    with_level,
)

H = 3600
AUG = at(2026, 8, 1)
REFERENCE = Path(__file__).resolve().parents[2] / "pilotage" / "contract" / "examples"


def _sample() -> tuple[Tickets, Events]:
    table = tickets(
        {"created_at": at(2026, 3, 2, 9), "first_response_at": at(2026, 3, 2, 9, 20)},
        {"kind": "request", "priority": "P4", "created_at": at(2026, 3, 2, 9)},
        {"priority": "P2", "created_at": at(2026, 6, 30, 17), "resolved_at": at(2026, 7, 2, 9)},
        {"service": "erp", "created_at": at(2026, 4, 1, 9), "resolved_at": at(2026, 4, 1, 10)},
    )
    history = events(
        table,
        ("T1", at(2026, 3, 2, 10), "paused", "waiting_customer"),
        ("T1", at(2026, 3, 2, 14), "open"),
        ("T1", at(2026, 3, 2, 15), "resolved"),
        ("T2", at(2026, 3, 3, 9), "paused", "mystery"),
        ("T2", at(2026, 3, 4, 9), "resolved"),
    )
    return table, history


def test_the_loaded_reference_contract_and_the_builder_agree() -> None:
    table, history = _sample()
    loaded = load_contract(REFERENCE / "reference.yaml")
    ours = evaluate_tickets(contract(), table, history, as_of=AUG)
    theirs = evaluate_tickets(loaded, table, history, as_of=AUG)
    strip = [(r.level_id, r.window, r.eligible, r.met, r.status) for r in ours.window_results]
    assert strip == [
        (r.level_id, r.window, r.eligible, r.met, r.status) for r in theirs.window_results
    ]
    assert [r.objective for r in ours.window_results] == [
        r.objective for r in theirs.window_results
    ]


def test_evaluation_is_deterministic_and_sorted() -> None:
    table, history = _sample()
    first = evaluate_tickets(contract(), table, history, as_of=AUG)
    second = evaluate_tickets(contract(), table, history, as_of=AUG)
    assert first.window_results == second.window_results
    keys = [(r.level_id, r.start) for r in first.window_results]
    assert keys == sorted(keys)
    assert first.unknown_pause_reasons == {"mystery": 1}
    assert first.excluded["out_of_scope"].tolist() == [3]


def test_windows_from_limits_the_windows_reported() -> None:
    table, history = _sample()
    ev = evaluate_tickets(
        contract(),
        table,
        history,
        as_of=AUG,
        windows_from=at(2026, 6, 1),
    )
    assert {r.window for r in ev.window_results} == {"2026-06", "2026-07"}
    # The March tickets count in no reported window.
    m = ev.levels["p1-resolution"]
    assert m.window.tolist() == [""]


def test_quarterly_window() -> None:
    base = terms()
    level = replace(base.level("requests"), window="quarter")
    c = contract(versions=[(dt.date(2026, 1, 1), with_level(base, level))])
    table, history = _sample()
    ev = evaluate_tickets(c, table, history, as_of=AUG)
    windows = [r.window for r in ev.window_results if r.level_id == "requests"]
    assert windows == ["2026-Q1", "2026-Q2", "2026-Q3"]
    q1 = ev.window_results[[r.window for r in ev.window_results].index("2026-Q1")]
    assert q1.finality == "final"


def test_response_without_response_time_or_history_is_not_measured() -> None:
    table = tickets({"created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 2, 9, 40)})
    ev = evaluate_tickets(contract(), table, Events.empty(), as_of=AUG)
    assert len(ev.levels["p1-response"]) == 0
    assert ev.unmeasured["p1-response"].tolist() == [0]
    assert len(ev.levels["p1-resolution"]) == 1  # the resolution is measured as usual
    trace = trace_ticket(contract(), table, Events.empty(), "T1", "p1-response", as_of=AUG)
    assert trace.excluded == "response_unknown"


def test_response_without_response_time_stops_at_the_first_resolution_of_the_history() -> None:
    table = tickets({"created_at": at(2026, 3, 2, 9)})
    history = events(table, ("T1", at(2026, 3, 2, 9, 40), "resolved"))
    ev = evaluate_tickets(contract(), table, history, as_of=AUG)
    m = ev.levels["p1-response"]
    assert int(m.elapsed[0]) == 40 * 60 and VERDICTS[int(m.verdict[0])] == "breached"
    assert int(m.deadline[0]) == at(2026, 3, 2, 9, 30)


def test_reopen_restarts_when_the_contract_says_so() -> None:
    table = tickets({"created_at": at(2026, 3, 2, 9)})
    history = events(
        table,
        ("T1", at(2026, 3, 2, 10), "resolved"),
        ("T1", at(2026, 3, 3, 9), "open"),
        ("T1", at(2026, 3, 3, 11), "resolved"),
    )
    restart = replace(terms().measurement, reopen="restarts")
    ev = evaluate_tickets(contract(measurement=restart), table, history, as_of=AUG)
    assert int(ev.levels["p1-resolution"].elapsed[0]) == 2 * H


def test_trace_explains_each_segment() -> None:
    table, history = _sample()
    trace = trace_ticket(
        contract(),
        table,
        history,
        "T1",
        "p1-resolution",
        as_of=AUG,
    )
    assert (trace.verdict, trace.elapsed, trace.target, trace.window) == (
        "met",
        2 * H,
        4 * H,
        "2026-03",
    )
    assert [(s.status, s.why, s.business_seconds) for s in trace.segments] == [
        ("open", "open", H),
        ("paused", "paused_excluded", 0),
        ("open", "open", H),
        ("resolved", "resolved", 0),
    ]
    assert trace.segments[-1].end is None
    assert sum(s.business_seconds for s in trace.segments) == trace.elapsed


def test_trace_of_an_unknown_reason_and_of_an_excluded_ticket() -> None:
    table, history = _sample()
    c = contract()
    trace = trace_ticket(c, table, history, "T2", "requests", as_of=AUG)
    assert [s.why for s in trace.segments] == ["open", "unknown_reason_counted", "resolved"]
    assert trace.elapsed == 18 * H and trace.verdict == "met"
    erp = trace_ticket(c, table, history, "T4", "p1-resolution", as_of=AUG)
    assert erp.excluded == "out_of_scope" and erp.verdict is None
    assert {s.why for s in erp.segments} == {"not_measured"}
    p2 = trace_ticket(c, table, history, "T3", "p1-resolution", as_of=AUG)
    assert p2.excluded == "not_eligible"


def test_trace_of_a_synthetic_resolution() -> None:
    table, history = _sample()
    trace = trace_ticket(contract(), table, history, "T3", "p2-resolution", as_of=AUG)
    assert [(s.status, s.business_seconds) for s in trace.segments] == [
        ("open", 11 * H),
        ("resolved", 0),
    ]
    assert trace.segments[0].end == at(2026, 7, 2, 9) and trace.verdict == "breached"
    assert trace.deadline == at(2026, 7, 1, 16)


def test_trace_refuses_unknown_ticket_and_level() -> None:
    table, history = _sample()
    with pytest.raises(EngineError) as error:
        trace_ticket(contract(), table, history, "T99", "p1-resolution", as_of=AUG)
    assert error.value.code == "engine.trace.unknown_ticket"
    with pytest.raises(EngineError) as error:
        trace_ticket(contract(), table, history, "T1", "backups", as_of=AUG)
    assert error.value.code == "engine.trace.unknown_level"


def test_public_names_are_exported() -> None:
    for name in ("evaluate_tickets", "trace_ticket", "TicketEvaluation", "TicketTrace"):
        assert name in pilotage.engine.__all__
        assert hasattr(pilotage.engine, name)


def test_level_measurement_arrays_are_aligned() -> None:
    table, history = _sample()
    ev = evaluate_tickets(contract(), table, history, as_of=AUG)
    for m in ev.levels.values():
        sizes = {
            len(getattr(m, f))
            for f in ("ticket", "version", "start", "stop", "elapsed", "target", "verdict")
        }
        sizes |= {len(m.window), len(m.deadline), len(m.pause_not_verifiable), len(m.waived)}
        assert sizes == {len(m)}
        assert np.all(np.diff(m.ticket) > 0)


def test_pause_rules_follow_the_version_in_force_at_the_clock_start() -> None:
    base = terms()
    stricter = replace(base.level("p2-resolution"), pause_when=())
    c = contract(
        versions=[
            (dt.date(2026, 1, 1), base),
            (dt.date(2026, 7, 1), with_level(base, stricter)),
        ]
    )
    rows = []
    history = []
    for i, day in enumerate((at(2026, 6, 29), at(2026, 7, 6))):
        rows.append({"priority": "P2", "created_at": day + 9 * H})
        history += [
            (f"T{i + 1}", day + 10 * H, "paused", "waiting_customer"),
            (f"T{i + 1}", day + 14 * H, "open"),
            (f"T{i + 1}", day + 15 * H, "resolved"),
        ]
    table = tickets(*rows)
    ev = evaluate_tickets(c, table, events(table, *history), as_of=AUG)
    m = ev.levels["p2-resolution"]
    # June: the pause stops the clock (2 h); July: the amendment removed it (5 h).
    assert m.elapsed.tolist() == [2 * H, 5 * H]
    assert m.version.tolist() == [0, 1]


def test_calendars_can_be_given_by_name() -> None:
    table = tickets({"created_at": at(2026, 3, 7, 10), "resolved_at": at(2026, 3, 7, 13)})
    always = Calendar.from_spec({"timezone": "Europe/Paris", "hours": "24x7"})
    ev = evaluate_tickets(
        contract(), table, Events.empty(), as_of=AUG, calendars={"business": always}
    )
    # A Saturday: nothing on the business calendar, 3 h around the clock.
    assert int(ev.levels["p1-resolution"].elapsed[0]) == 3 * H


def test_adjustment_to_breach_keeps_the_ticket_in_its_window() -> None:
    table = tickets({"created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 2, 10)})
    ev = evaluate_tickets(
        contract(),
        table,
        Events.empty(),
        as_of=AUG,
        adjustments=adjustments(("T1", "p1-resolution", "breach")),
    )
    m = ev.levels["p1-resolution"]
    assert VERDICTS[int(m.verdict[0])] == "breached" and m.window.tolist() == ["2026-03"]
    march = next(
        r for r in ev.window_results if r.window == "2026-03" and r.level_id == "p1-resolution"
    )
    assert (march.breached, march.waived) == (1, 1)


def test_priority_outside_the_contract_levels_is_least_urgent() -> None:
    table = tickets(
        {"priority": "P1", "created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 2, 10)}
    )
    history = events(
        table,
        ("T1", at(2026, 3, 2, 9), "open", "", "Urgente"),
        ("T1", at(2026, 3, 2, 9, 30), "open", "", "P1"),
        ("T1", at(2026, 3, 2, 10), "resolved"),
    )
    ev = evaluate_tickets(contract(priority_basis="highest"), table, history, as_of=AUG)
    assert ev.levels["p1-resolution"].ticket.tolist() == [0]
    assert ev.priority_changes.downgrade.tolist() == [False]
    assert ev.priority_changes.before.tolist() == ["Urgente"]


def test_trace_of_a_response_clock_runs_whatever_the_status() -> None:
    table = tickets(
        {"created_at": at(2026, 3, 2, 9), "first_response_at": at(2026, 3, 2, 11)},
    )
    history = events(
        table,
        ("T1", at(2026, 3, 2, 10), "paused", "waiting_customer"),
        ("T1", at(2026, 3, 2, 12), "resolved"),
    )
    trace = trace_ticket(contract(), table, history, "T1", "p1-response", as_of=AUG)
    assert [(s.why, s.business_seconds) for s in trace.segments] == [
        ("straight_clock", H),
        ("straight_clock", H),
        ("outside_clock", 0),
    ]
    assert trace.elapsed == 2 * H and trace.verdict == "breached"


def test_level_without_calendar_counts_around_the_clock() -> None:
    base = terms()
    level = replace(base.level("p1-resolution"), calendar=None)
    c = contract(versions=[(dt.date(2026, 1, 1), with_level(base, level))])
    table = tickets({"created_at": at(2026, 3, 7, 10), "resolved_at": at(2026, 3, 7, 13)})
    ev = evaluate_tickets(c, table, Events.empty(), as_of=AUG)
    assert int(ev.levels["p1-resolution"].elapsed[0]) == 3 * H


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"calendar": "nowhere"}, "engine.clock.no_calendar"),
        ({"target": dur("1mo")}, "engine.clock.bad_target"),
        ({"clock_start": "assigned"}, "engine.clock.unknown_point"),
    ],
)
def test_terms_the_clock_cannot_measure_are_refused(change: dict[str, object], code: str) -> None:
    base = terms()
    level = replace(base.level("p1-resolution"), **change)  # type: ignore[arg-type]
    c = contract(versions=[(dt.date(2026, 1, 1), with_level(base, level))])
    table = tickets({"created_at": at(2026, 3, 2, 10), "resolved_at": at(2026, 3, 2, 13)})
    with pytest.raises(EngineError) as error:
        evaluate_tickets(c, table, Events.empty(), as_of=AUG)
    assert error.value.code == code
    assert "p1-resolution" in error.value.message("fr")
