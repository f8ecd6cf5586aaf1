"""Named edge cases of ticket clocks and evaluation, on the reference contract.

Business calendar: Monday to Friday 08:00-12:30 and 13:30-18:00 in Paris
(9 h a day), French holidays except Whit Monday.  2 March 2026 is a Monday;
30 June 2026 a Tuesday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import numpy as np

from pilotage.engine.evaluate import VERDICTS, TicketEvaluation, evaluate_tickets
from pilotage.tables import MISSING, Events, Tickets
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
MIN = 60
AUG = at(2026, 8, 1)


def measure(evaluation: TicketEvaluation, level: str, ticket_row: int) -> dict[str, Any]:
    """One ticket's measurement on one level as plain values (KeyError if absent)."""
    m = evaluation.levels[level]
    pos = np.flatnonzero(m.ticket == ticket_row)
    if pos.size == 0:
        raise KeyError(ticket_row)
    p = int(pos[0])
    return {
        "elapsed": int(m.elapsed[p]),
        "target": int(m.target[p]),
        "verdict": VERDICTS[int(m.verdict[p])],
        "window": str(m.window[p]),
        "deadline": int(m.deadline[p]),
        "stop": int(m.stop[p]),
        "version": int(m.version[p]),
        "pnv": bool(m.pause_not_verifiable[p]),
        "waived": str(m.waived[p]),
    }


def window(evaluation: TicketEvaluation, level: str, label: str) -> Any:
    return next(r for r in evaluation.window_results if r.level_id == level and r.window == label)


def test_p1_across_the_amendment_is_judged_by_the_target_at_its_creation() -> None:
    table = tickets(
        {"created_at": at(2026, 6, 30, 17), "resolved_at": at(2026, 7, 1, 10, 45)},
        {"created_at": at(2026, 7, 1, 8), "resolved_at": at(2026, 7, 1, 11, 45)},
    )
    ev = evaluate_tickets(contract(), table, Events.empty(), as_of=AUG)
    june = measure(ev, "p1-resolution", 0)
    assert june == june | {"elapsed": 3 * H + 45 * MIN, "target": 4 * H, "verdict": "met"}
    assert june["window"] == "2026-07" and june["version"] == 0
    july = measure(ev, "p1-resolution", 1)
    assert july["elapsed"] == 3 * H + 45 * MIN and july["target"] == 3 * H
    assert july["verdict"] == "breached" and july["version"] == 1
    assert july["deadline"] == at(2026, 7, 1, 11)


def test_reopened_ticket_resumes_resolution_clock_but_not_response_clock() -> None:
    table = tickets(
        {
            "created_at": at(2026, 3, 2, 9),
            "first_response_at": at(2026, 3, 2, 9, 10),
            "resolved_at": at(2026, 3, 3, 11),
        }
    )
    history = events(
        table,
        ("T1", at(2026, 3, 2, 10), "resolved"),
        ("T1", at(2026, 3, 3, 9), "open"),
        ("T1", at(2026, 3, 3, 11), "resolved"),
    )
    ev = evaluate_tickets(contract(), table, history, as_of=AUG)
    resolution = measure(ev, "p1-resolution", 0)
    assert resolution["elapsed"] == 3 * H  # 9-10 Monday, 9-11 Tuesday
    assert resolution["stop"] == at(2026, 3, 3, 11)
    assert resolution["window"] == "2026-03"
    response = measure(ev, "p1-response", 0)
    assert response["elapsed"] == 10 * MIN and response["verdict"] == "met"


def _pause_before_opening(reason: str) -> tuple[Tickets, Events]:
    table = tickets(
        {"priority": "P2", "created_at": at(2026, 3, 2, 17), "resolved_at": at(2026, 3, 3, 11)}
    )
    history = events(
        table,
        ("T1", at(2026, 3, 3, 7), "paused", reason),
        ("T1", at(2026, 3, 3, 10), "open"),
        ("T1", at(2026, 3, 3, 11), "resolved"),
    )
    return table, history


def test_pause_starting_before_opening_hours_excludes_only_open_time() -> None:
    table, history = _pause_before_opening("waiting_customer")
    ev = evaluate_tickets(contract(), table, history, as_of=AUG)
    # 17-18 Monday counts, 08-10 Tuesday is paused, 10-11 counts.
    assert measure(ev, "p2-resolution", 0)["elapsed"] == 2 * H
    assert ev.unknown_pause_reasons == {}


def test_unknown_pause_reason_counts_when_the_contract_says_so() -> None:
    table, history = _pause_before_opening("on_hold")
    ev = evaluate_tickets(contract(), table, history, as_of=AUG)
    assert measure(ev, "p2-resolution", 0)["elapsed"] == 4 * H
    assert ev.unknown_pause_reasons == {"on_hold": 1}


def test_unknown_pause_reason_does_not_count_when_the_contract_says_so() -> None:
    table, history = _pause_before_opening("on_hold")
    strict = replace(terms().measurement, unknown_pause_reason="does_not_count")
    ev = evaluate_tickets(contract(measurement=strict), table, history, as_of=AUG)
    assert measure(ev, "p2-resolution", 0)["elapsed"] == 2 * H
    assert ev.unknown_pause_reasons == {"on_hold": 1}


def test_known_reason_a_level_does_not_list_keeps_the_clock_running() -> None:
    table, history = _pause_before_opening("waiting_vendor")
    strict = replace(terms().measurement, unknown_pause_reason="does_not_count")
    ev = evaluate_tickets(contract(measurement=strict), table, history, as_of=AUG)
    assert measure(ev, "p2-resolution", 0)["elapsed"] == 4 * H
    assert ev.unknown_pause_reasons == {}


def test_open_breach_spanning_two_windows_counts_once_in_its_deadline_window() -> None:
    table = tickets({"state": "open", "created_at": at(2026, 6, 29, 15)})
    deadline = at(2026, 6, 30, 9)  # 15-18 Monday, 08-09 Tuesday
    open_ev = evaluate_tickets(contract(), table, Events.empty(), as_of=at(2026, 7, 1, 12))
    m = measure(open_ev, "p1-resolution", 0)
    assert m["verdict"] == "breached" and m["deadline"] == deadline and m["window"] == "2026-06"
    assert window(open_ev, "p1-resolution", "2026-06").breached == 1
    assert window(open_ev, "p1-resolution", "2026-07").eligible == 0

    resolved = tickets({"created_at": at(2026, 6, 29, 15), "resolved_at": at(2026, 7, 2, 10)})
    later = evaluate_tickets(contract(), resolved, Events.empty(), as_of=AUG)
    m = measure(later, "p1-resolution", 0)
    assert m["verdict"] == "breached" and m["window"] == "2026-06"
    assert window(later, "p1-resolution", "2026-06").breached == 1
    assert window(later, "p1-resolution", "2026-07").eligible == 0


def test_cancelled_and_merged_tickets_never_count_and_are_listed() -> None:
    table = tickets(
        {"created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 4, 9), "state": "cancelled"},
        {"created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 4, 9), "state": "merged"},
    )
    ev = evaluate_tickets(contract(), table, Events.empty(), as_of=AUG)
    assert ev.excluded["cancelled"].tolist() == [0]
    assert ev.excluded["merged"].tolist() == [1]
    assert all(len(m) == 0 for m in ev.levels.values())


def test_forty_children_of_one_outage_count_once() -> None:
    start = at(2026, 3, 2, 9)
    rows = [{"id": "OUT", "created_at": start, "resolved_at": start + 2 * H}]
    rows += [
        {
            "id": f"C{i}",
            "created_at": start + i * MIN,
            "resolved_at": start + 6 * H,
            "parent_id": "OUT",
        }
        for i in range(40)
    ]
    ev = evaluate_tickets(contract(), tickets(*rows), Events.empty(), as_of=AUG)
    assert ev.levels["p1-resolution"].ticket.tolist() == [0]
    assert len(ev.excluded["child_of_major"]) == 40
    assert window(ev, "p1-resolution", "2026-03").eligible == 1


def test_children_of_an_absent_parent_count_once_by_the_earliest() -> None:
    start = at(2026, 3, 2, 9)
    rows = [
        {"created_at": start + (40 - i) * MIN, "resolved_at": start + 6 * H, "parent_id": "GONE"}
        for i in range(40)
    ]
    ev = evaluate_tickets(contract(), tickets(*rows), Events.empty(), as_of=AUG)
    assert ev.levels["p1-resolution"].ticket.tolist() == [39]
    assert len(ev.excluded["child_of_major"]) == 39


def _downgraded() -> tuple[Tickets, Events]:
    table = tickets(
        {"priority": "P3", "created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 2, 15)},
        {"priority": "P1", "created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 2, 15)},
    )
    history = events(
        table,
        ("T1", at(2026, 3, 2, 9), "open", "", "P1"),
        ("T1", at(2026, 3, 2, 10), "open", "", "P3"),
        ("T2", at(2026, 3, 2, 9), "open", "", "P3"),
        ("T2", at(2026, 3, 2, 10), "open", "", "P1"),
        ("T1", at(2026, 3, 2, 15), "resolved"),
        ("T2", at(2026, 3, 2, 15), "resolved"),
    )
    return table, history


def _p1_rows(basis: str) -> list[int]:
    table, history = _downgraded()
    ev = evaluate_tickets(contract(priority_basis=basis), table, history, as_of=AUG)
    return ev.levels["p1-resolution"].ticket.tolist()


def test_priority_basis_final() -> None:
    assert _p1_rows("final") == [1]


def test_priority_basis_initial() -> None:
    assert _p1_rows("initial") == [0]


def test_priority_basis_highest() -> None:
    assert _p1_rows("highest") == [0, 1]


def test_priority_changes_are_reported_downgrades_first() -> None:
    table, history = _downgraded()
    ev = evaluate_tickets(contract(), table, history, as_of=AUG)
    changes = ev.priority_changes
    assert changes.ticket.tolist() == [0, 1]
    assert changes.downgrade.tolist() == [True, False]
    assert (changes.before.tolist(), changes.after.tolist()) == (["P1", "P3"], ["P3", "P1"])
    assert changes.at.tolist() == [at(2026, 3, 2, 10)] * 2
    # The downgraded ticket, a P3 incident, matches no level of the contract.
    assert ev.excluded["no_matching_level"].tolist() == [0]


def test_waiting_seconds_used_without_history_and_flagged() -> None:
    table = tickets(
        {
            "created_at": at(2026, 3, 2, 9),
            "first_response_at": at(2026, 3, 2, 9, 20),
            "resolved_at": at(2026, 3, 2, 14, 30),
            "waiting_seconds": 3600,
        }
    )
    ev = evaluate_tickets(contract(), table, Events.empty(), as_of=AUG)
    resolution = measure(ev, "p1-resolution", 0)
    # 9-12:30 and 13:30-14:30 is 4 h 30 of business time, less the 1 h the source paused.
    assert resolution["elapsed"] == 3 * H + 30 * MIN and resolution["pnv"]
    assert resolution["verdict"] == "met"
    response = measure(ev, "p1-response", 0)
    assert response["elapsed"] == 20 * MIN and not response["pnv"]


def test_waiting_seconds_ignored_when_the_history_is_known() -> None:
    table = tickets(
        {
            "created_at": at(2026, 3, 2, 9),
            "resolved_at": at(2026, 3, 2, 14, 30),
            "waiting_seconds": 3600,
        }
    )
    history = events(table, ("T1", at(2026, 3, 2, 14, 30), "resolved"))
    ev = evaluate_tickets(contract(), table, history, as_of=AUG)
    m = measure(ev, "p1-resolution", 0)
    assert m["elapsed"] == 4 * H + 30 * MIN and not m["pnv"] and m["verdict"] == "breached"


def test_ticket_closed_without_resolution_time_is_resolved_at_closure() -> None:
    table = tickets(
        {"created_at": at(2026, 3, 2, 9), "closed_at": at(2026, 3, 2, 11), "state": "closed"}
    )
    ev = evaluate_tickets(contract(), table, Events.empty(), as_of=AUG)
    m = measure(ev, "p1-resolution", 0)
    assert m["stop"] == at(2026, 3, 2, 11) and m["elapsed"] == 2 * H and m["verdict"] == "met"


def _march_p1(breaches: int, met: int) -> Tickets:
    rows = [
        {"created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 3, 9)} for _ in range(breaches)
    ]
    rows += [
        {"created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 2, 10)} for _ in range(met)
    ]
    return tickets(*rows)


def test_allowed_breaches_keep_the_window_met() -> None:
    ev = evaluate_tickets(contract(), _march_p1(1, 1), Events.empty(), as_of=AUG)
    w = window(ev, "p1-resolution", "2026-03")
    assert (w.eligible, w.met, w.breached, w.value) == (2, 1, 1, Decimal("0.5"))
    assert w.status == "met"


def test_beyond_allowed_breaches_the_window_is_breached() -> None:
    ev = evaluate_tickets(contract(), _march_p1(2, 30), Events.empty(), as_of=AUG)
    w = window(ev, "p1-resolution", "2026-03")
    assert w.value is not None and w.value < w.objective  # type: ignore[operator]
    assert w.status == "breached"


def test_window_without_eligible_ticket_has_no_data() -> None:
    ev = evaluate_tickets(contract(), _march_p1(0, 1), Events.empty(), as_of=AUG)
    w = window(ev, "p1-resolution", "2026-04")
    assert (w.eligible, w.value, w.status) == (0, None, "no_data")
    labels = [r.window for r in ev.window_results if r.level_id == "requests"]
    assert labels == [f"2026-{m:02d}" for m in range(1, 8)]


def test_windows_closed_at_as_of_are_final_the_current_one_provisional() -> None:
    ev = evaluate_tickets(contract(), _march_p1(0, 1), Events.empty(), as_of=at(2026, 7, 15))
    finality = {r.window: r.finality for r in ev.window_results if r.level_id == "p1-resolution"}
    assert finality["2026-06"] == "final" and finality["2026-07"] == "provisional"
    assert window(ev, "p1-resolution", "2026-07").terms_hash == "v1"
    assert window(ev, "p1-resolution", "2026-06").terms_hash == "v0"


def test_assign_to_creation_and_resolution() -> None:
    table = tickets(
        {
            "created_at": at(2026, 6, 30, 17, 50),
            "first_response_at": at(2026, 7, 1, 8, 10),
            "resolved_at": at(2026, 7, 1, 9),
        }
    )
    ev = evaluate_tickets(contract(), table, Events.empty(), as_of=AUG)
    response = measure(ev, "p1-response", 0)
    assert response["elapsed"] == 20 * MIN and response["window"] == "2026-06"
    assert measure(ev, "p1-resolution", 0)["window"] == "2026-07"


def test_three_day_target_is_27_business_hours() -> None:
    table = tickets(
        {
            "kind": "request",
            "priority": "P4",
            "created_at": at(2026, 3, 2, 9),
            "resolved_at": at(2026, 3, 5, 9),
        },
        {
            "kind": "request",
            "priority": "P4",
            "created_at": at(2026, 3, 2, 9),
            "resolved_at": at(2026, 3, 5, 9, 1),
        },
    )
    ev = evaluate_tickets(contract(), table, Events.empty(), as_of=AUG)
    exact, late = measure(ev, "requests", 0), measure(ev, "requests", 1)
    assert exact["target"] == 27 * H and exact["elapsed"] == 27 * H and exact["verdict"] == "met"
    assert late["verdict"] == "breached" and late["deadline"] == at(2026, 3, 5, 9)


def test_business_day_target_is_the_end_of_the_nth_open_day() -> None:
    base = terms()
    requests = replace(base.level("requests"), target=dur("2bd"))
    c = contract(versions=[(dt.date(2026, 1, 1), with_level(base, requests))])
    table = tickets(
        {"kind": "request", "created_at": at(2026, 3, 2, 10), "resolved_at": at(2026, 3, 4, 18)},
        {"kind": "request", "created_at": at(2026, 3, 2, 10), "resolved_at": at(2026, 3, 5, 9)},
    )
    history = events(
        table,
        ("T1", at(2026, 3, 4, 18), "resolved"),
        ("T2", at(2026, 3, 3, 8), "paused", "waiting_customer"),
        ("T2", at(2026, 3, 3, 9), "open"),
        ("T2", at(2026, 3, 5, 9), "resolved"),
    )
    ev = evaluate_tickets(c, table, history, as_of=AUG)
    on_time = measure(ev, "requests", 0)
    # Monday 10-18 (7 h), Tuesday and Wednesday (9 h each): due Wednesday 18:00.
    assert on_time["target"] == 25 * H and on_time["verdict"] == "met"
    paused = measure(ev, "requests", 1)
    assert paused["elapsed"] == 25 * H and paused["verdict"] == "met"


def test_out_of_scope_domain_is_excluded_and_listed() -> None:
    table = tickets(
        {"service": "erp", "created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 4, 9)},
        {"category": "ERP", "created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 4, 9)},
        {
            "category": "Messagerie",
            "created_at": at(2026, 3, 2, 9),
            "resolved_at": at(2026, 3, 4, 9),
        },
    )
    ev = evaluate_tickets(contract(), table, Events.empty(), as_of=AUG)
    assert ev.excluded["out_of_scope"].tolist() == [0, 1]
    assert ev.levels["p1-resolution"].ticket.tolist() == [2]


def test_adjustments_are_applied_and_counted_as_waived() -> None:
    ev = evaluate_tickets(
        contract(),
        _march_p1(2, 1),
        Events.empty(),
        as_of=AUG,
        adjustments=adjustments(
            ("T1", "p1-resolution", "met"),
            ("T2", "p1-resolution", "exclude"),
            ("T9", "p1-resolution", "met"),
            ("T3", "requests", "met"),
        ),
    )
    w = window(ev, "p1-resolution", "2026-03")
    assert (w.eligible, w.met, w.breached, w.waived) == (2, 2, 0, 2)
    assert measure(ev, "p1-resolution", 0)["waived"] == "met"
    assert measure(ev, "p1-resolution", 1)["waived"] == "exclude"
    assert ev.adjustments_unmatched == (2, 3)


def test_open_ticket_before_its_deadline_is_pending_and_counted_nowhere() -> None:
    table = tickets({"state": "open", "created_at": at(2026, 3, 2, 9)})
    ev = evaluate_tickets(contract(), table, Events.empty(), as_of=at(2026, 3, 2, 12))
    m = measure(ev, "p1-resolution", 0)
    assert m["verdict"] == "pending" and m["window"] == "" and m["stop"] == MISSING
    assert m["deadline"] == at(2026, 3, 2, 14)  # 9-12:30, 13:30-14
    assert window(ev, "p1-resolution", "2026-03").eligible == 0


def test_what_happens_after_as_of_is_ignored() -> None:
    table = tickets(
        {"created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 2, 10)},
        {"created_at": at(2026, 3, 3, 9), "resolved_at": at(2026, 3, 3, 10)},
    )
    ev = evaluate_tickets(contract(), table, Events.empty(), as_of=at(2026, 3, 2, 9, 30))
    assert ev.levels["p1-resolution"].ticket.tolist() == [0]
    assert measure(ev, "p1-resolution", 0)["verdict"] == "pending"


def test_resolved_ticket_without_any_resolution_time_is_listed_not_breached() -> None:
    table = tickets(
        {"created_at": at(2026, 3, 2, 9), "state": "resolved"},
        {"created_at": at(2026, 3, 2, 9), "state": "open"},
    )
    ev = evaluate_tickets(contract(), table, Events.empty(), as_of=AUG)
    assert ev.excluded["resolution_unknown"].tolist() == [0]
    assert ev.levels["p1-resolution"].ticket.tolist() == [1]
    assert measure(ev, "p1-resolution", 1)["verdict"] == "breached"
