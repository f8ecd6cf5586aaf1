"""Timelines and clocks: segments, synthetic resolutions, deadlines."""

from __future__ import annotations

import numpy as np

from pilotage.engine.calendar import Calendar
from pilotage.engine.clocks import (
    SLOT_DONE,
    SLOT_PAUSED,
    ClockResult,
    build_timeline,
    codes,
    run_clock,
)
from pilotage.tables import MISSING, object_array
from tests.engine.builders import BUSINESS, at, events, tickets

H = 3600
CAL = Calendar.from_spec(BUSINESS)
KNOWN = ("waiting_customer",)


def test_ticket_without_history_is_open_until_its_resolution() -> None:
    table = tickets(
        {"created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 2, 11)},
        {"created_at": at(2026, 3, 2, 9), "closed_at": at(2026, 3, 2, 12)},
        {"created_at": at(2026, 3, 2, 9), "state": "open"},
    )
    tl = build_timeline(table, events(table), as_of=at(2026, 4, 1), known_reasons=KNOWN)
    assert tl.end_at.tolist() == [at(2026, 3, 2, 11), at(2026, 3, 2, 12), MISSING]
    assert tl.resolution.tolist() == tl.end_at.tolist()
    assert not tl.history.any()


def test_resolution_after_as_of_is_not_known_yet() -> None:
    table = tickets({"created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 2, 11)})
    tl = build_timeline(table, events(table), as_of=at(2026, 3, 2, 10), known_reasons=KNOWN)
    assert tl.resolution.tolist() == [MISSING]


def test_final_resolution_is_the_start_of_the_trailing_resolved_run() -> None:
    table = tickets({"created_at": at(2026, 3, 2, 9)})
    history = events(
        table,
        ("T1", at(2026, 3, 2, 10), "resolved"),
        ("T1", at(2026, 3, 2, 11), "open"),
        ("T1", at(2026, 3, 2, 12), "resolved"),
        ("T1", at(2026, 3, 2, 13), "closed"),
    )
    tl = build_timeline(table, history, as_of=at(2026, 4, 1), known_reasons=KNOWN)
    assert tl.resolution.tolist() == [at(2026, 3, 2, 12)]
    assert tl.first_resolution(np.array([0])).tolist() == [at(2026, 3, 2, 10)]
    assert tl.last_reopen(np.array([0])).tolist() == [at(2026, 3, 2, 11)]
    # At 11:30 the ticket is reopened: its clock runs.
    tl = build_timeline(table, history, as_of=at(2026, 3, 2, 11, 30), known_reasons=KNOWN)
    assert tl.resolution.tolist() == [MISSING]
    assert tl.count.tolist() == [2]


def test_history_ending_open_before_the_resolution_column_gets_a_synthetic_end() -> None:
    table = tickets({"created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 2, 15)})
    history = events(table, ("T1", at(2026, 3, 2, 10), "paused", "waiting_customer"))
    tl = build_timeline(table, history, as_of=at(2026, 4, 1), known_reasons=KNOWN)
    assert tl.end_at.tolist() == [at(2026, 3, 2, 15)]
    assert tl.resolution.tolist() == [at(2026, 3, 2, 15)]


def test_history_that_ends_resolved_wins_over_the_columns() -> None:
    table = tickets({"created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 2, 15)})
    history = events(table, ("T1", at(2026, 3, 2, 10), "resolved"))
    tl = build_timeline(table, history, as_of=at(2026, 4, 1), known_reasons=KNOWN)
    assert tl.end_at.tolist() == [MISSING]
    assert tl.resolution.tolist() == [at(2026, 3, 2, 10)]


def test_pause_reasons_known_first_then_the_others_sorted() -> None:
    table = tickets({"created_at": at(2026, 3, 2, 9)})
    history = events(
        table,
        ("T1", at(2026, 3, 2, 10), "paused", "zzz"),
        ("T1", at(2026, 3, 2, 11), "paused", "waiting_customer"),
        ("T1", at(2026, 3, 2, 12), "paused", ""),
        ("T1", at(2026, 3, 2, 13), "resolved"),
    )
    tl = build_timeline(table, history, as_of=at(2026, 4, 1), known_reasons=KNOWN)
    assert tl.reasons == ("waiting_customer", "", "zzz")
    assert tl.slot.tolist() == [SLOT_PAUSED + 2, SLOT_PAUSED, SLOT_PAUSED + 1, SLOT_DONE]
    assert tl.unknown_reason_counts() == {"": 1, "zzz": 1}


def _clock(
    table_rows: list[dict[str, int]], *history: tuple[object, ...], as_of: int
) -> ClockResult:
    table = tickets(*table_rows)
    tl = build_timeline(table, events(table, *history), as_of=as_of, known_reasons=KNOWN)
    n = len(table)
    counts = np.ones((1, SLOT_PAUSED + len(tl.reasons)), dtype=bool)
    counts[0, SLOT_DONE] = False
    counts[0, SLOT_PAUSED] = False  # waiting_customer stops the clock
    return run_clock(
        tl,
        CAL,
        np.arange(n),
        start=table.created_at,
        stop=tl.resolution,
        target=np.full(n, 4 * H),
        as_of=as_of,
        count_table=counts,
        version=np.zeros(n, dtype=np.int64),
    )


def test_deadline_moves_with_an_excluded_pause() -> None:
    result = _clock(
        [{"created_at": at(2026, 3, 2, 9), "state": "open"}],
        ("T1", at(2026, 3, 2, 10), "paused", "waiting_customer"),
        ("T1", at(2026, 3, 2, 15), "open"),
        as_of=at(2026, 3, 2, 16),
    )
    # 9-10 counts, 10-15 paused, then 15-18 (3 h): due at 18:00 exactly.
    assert result.elapsed.tolist() == [2 * H]
    assert result.deadline.tolist() == [at(2026, 3, 2, 18)]


def test_running_ticket_on_an_excluded_pause_has_no_deadline_yet() -> None:
    result = _clock(
        [{"created_at": at(2026, 3, 2, 9), "state": "open"}],
        ("T1", at(2026, 3, 2, 10), "paused", "waiting_customer"),
        as_of=at(2026, 3, 3, 16),
    )
    assert result.elapsed.tolist() == [H]
    assert result.deadline.tolist() == [MISSING]


def test_event_before_creation_is_taken_at_creation() -> None:
    result = _clock(
        [{"created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 2, 12)}],
        ("T1", at(2026, 3, 2, 8), "paused", "waiting_customer"),
        ("T1", at(2026, 3, 2, 10), "open"),
        ("T1", at(2026, 3, 2, 12), "resolved"),
        as_of=at(2026, 4, 1),
    )
    assert result.elapsed.tolist() == [2 * H]


def test_rows_at_the_same_instant_apply_in_file_order() -> None:
    result = _clock(
        [{"created_at": at(2026, 3, 2, 9), "resolved_at": at(2026, 3, 2, 12)}],
        ("T1", at(2026, 3, 2, 10), "open"),
        ("T1", at(2026, 3, 2, 10), "paused", "waiting_customer"),
        ("T1", at(2026, 3, 2, 12), "resolved"),
        as_of=at(2026, 4, 1),
    )
    assert result.elapsed.tolist() == [H]


def test_straight_clock_deadline_and_zero_target() -> None:
    table = tickets({"created_at": at(2026, 3, 6, 17)}, {"created_at": at(2026, 3, 6, 17)})
    tl = build_timeline(table, events(table), as_of=at(2026, 3, 9, 12), known_reasons=KNOWN)
    result = run_clock(
        tl,
        CAL,
        np.arange(2),
        start=table.created_at,
        stop=np.full(2, MISSING),
        target=np.array([2 * H, 0]),
        as_of=at(2026, 3, 9, 12),
    )
    # Friday 17-18, then Monday 8-12.
    assert result.elapsed.tolist() == [5 * H, 5 * H]
    assert result.deadline.tolist() == [at(2026, 3, 9, 9), at(2026, 3, 6, 17)]


def test_codes_with_small_and_large_vocabularies() -> None:
    values = object_array(["b", "x", "a", "d", ""])
    assert codes(values, ("a", "b")).tolist() == [1, -1, 0, -1, -1]
    assert codes(values, ("a", "b", "c", "d")).tolist() == [1, -1, 0, 3, -1]
