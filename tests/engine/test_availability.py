"""Availability: probe outages, missing samples, maintenance excusal, DST, windows."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import numpy as np

from pilotage.contract.model import OutageRule
from pilotage.engine.availability import evaluate_availability
from pilotage.engine.calendar import Calendar
from pilotage.engine.results import WindowResult
from pilotage.engine.windows import window_grid
from pilotage.tables import MISSING, Outages, Probes, object_array
from tests.engine.builders_penalties import (
    CALENDARS,
    MAIL,
    at,
    make_contract,
    make_terms,
    with_level,
)

D = Decimal
OCTOBER = window_grid("month", "Europe/Paris", at(2026, 10, 1), at(2026, 10, 1))
END_OF_OCTOBER = at(2026, 11, 1)
EARLY = at(2026, 9, 1)  # an announcement well ahead of any October maintenance


def outages(*rows: tuple[int, int, str, int]) -> Outages:
    return Outages(
        service=object_array("messagerie" for _ in rows),
        start=np.array([r[0] for r in rows], dtype=np.int64),
        end=np.array([r[1] for r in rows], dtype=np.int64),
        kind=object_array(r[2] for r in rows),
        announced_at=np.array([r[3] for r in rows], dtype=np.int64),
    )


def probes(start: int, states: str, step: int = 60) -> Probes:
    """One sample per ``step`` from ``start``: ``u`` up, ``d`` down, ``.`` no sample."""
    kept = [(start + i * step, c == "u") for i, c in enumerate(states) if c != "."]
    return Probes(
        service=object_array("messagerie" for _ in kept),
        at=np.array([t for t, _ in kept], dtype=np.int64),
        up=np.array([u for _, u in kept], dtype=np.int8),
    )


def evaluate(level: object = MAIL, **data: object) -> WindowResult:
    contract = make_contract(with_level(make_terms(), level))  # type: ignore[arg-type]
    (res,) = evaluate_availability(
        contract,
        "mail-availability",
        OCTOBER,
        as_of=END_OF_OCTOBER,
        **data,  # type: ignore[arg-type]
    )
    return res


def test_k_consecutive_failed_samples_open_an_outage_at_the_first() -> None:
    t0 = at(2026, 10, 5)
    # minute 10: a single failure (a blip with k = 2); minutes 20-22 failed, 23 up again.
    states = "u" * 10 + "d" + "u" * 9 + "ddd" + "u" * 38
    res = evaluate(probes=probes(t0, states))
    assert res.details["measured_seconds"] == 61 * 60
    assert res.details["outages"] == [{"start": t0 + 20 * 60, "end": t0 + 23 * 60, "seconds": 180}]
    assert res.details["downtime_seconds"] == 180
    assert res.details["outage_count"] == 1 and res.details["mttr_seconds"] == 180
    assert res.value == 1 - D(180) / D(3660)


def test_missing_samples_excluded_leave_measured_time() -> None:
    t0 = at(2026, 10, 5)
    # Down at minute 10, no sample until minute 30 (down), up at 31: the run spans the gap.
    states = "u" * 10 + "d" + "." * 19 + "d" + "u" * 30
    res = evaluate(probes=probes(t0, states))
    assert res.details["missing_seconds"] == 19 * 60
    assert res.details["measured_seconds"] == 61 * 60 - 19 * 60
    assert res.details["downtime_seconds"] == 120  # minute 10 and minute 30, the gap excluded


def test_missing_samples_counted_down() -> None:
    t0 = at(2026, 10, 5)
    states = "u" * 11 + "." * 19 + "u" * 31
    level = replace(MAIL, outage=OutageRule(failed_samples=2, missing_samples="down"))
    res = evaluate(level, probes=probes(t0, states))
    assert res.details["measured_seconds"] == 61 * 60
    assert res.details["outages"] == [
        {"start": t0 + 11 * 60, "end": t0 + 30 * 60, "seconds": 19 * 60}
    ]


def test_missing_samples_counted_up_break_a_run_of_failures() -> None:
    t0 = at(2026, 10, 5)
    states = "u" * 10 + "d" + "." * 19 + "d" + "u" * 30
    level = replace(MAIL, outage=OutageRule(failed_samples=2, missing_samples="up"))
    res = evaluate(level, probes=probes(t0, states))
    assert res.details["measured_seconds"] == 61 * 60
    assert res.details["downtime_seconds"] == 0


def test_maintenance_announced_late_is_downtime() -> None:
    start, end = at(2026, 10, 10, 2), at(2026, 10, 10, 4)
    res = evaluate(outages=outages((start, end, "maintenance", at(2026, 10, 9, 10))))
    assert res.details["downtime_seconds"] == 7200
    assert res.details["excused_maintenance_seconds"] == 0
    assert res.details["unexcused_maintenance"] == [
        {
            "start": start,
            "end": end,
            "seconds": 7200,
            "reason": "late_notice",
            "code": "availability.unexcused.late_notice",
        }
    ]


def test_maintenance_with_unknown_announcement_is_not_excused() -> None:
    res = evaluate(
        outages=outages((at(2026, 10, 10, 2), at(2026, 10, 10, 3), "maintenance", MISSING))
    )
    assert res.details["downtime_seconds"] == 3600


def test_maintenance_over_the_monthly_allowance() -> None:
    res = evaluate(
        outages=outages(
            (at(2026, 10, 10, 1), at(2026, 10, 10, 4), "maintenance", EARLY),
            (at(2026, 10, 17, 1), at(2026, 10, 17, 3), "maintenance", EARLY),
        )
    )
    # 4 h a month: the first 3 h, then 1 h of the second are excused.
    assert res.details["excused_maintenance_seconds"] == 4 * 3600
    assert res.details["unexcused_maintenance"] == [
        {
            "start": at(2026, 10, 17, 2),
            "end": at(2026, 10, 17, 3),
            "seconds": 3600,
            "reason": "over_allowance",
            "code": "availability.unexcused.over_allowance",
        }
    ]
    assert res.details["downtime_seconds"] == 3600


def test_maintenance_inside_business_hours_is_not_excused() -> None:
    # Tuesday 17:00-20:00: 17:00-18:00 is inside the business calendar's opening hours.
    res = evaluate(
        outages=outages((at(2026, 10, 13, 17), at(2026, 10, 13, 20), "maintenance", EARLY))
    )
    assert res.details["unexcused_maintenance"] == [
        {
            "start": at(2026, 10, 13, 17),
            "end": at(2026, 10, 13, 18),
            "seconds": 3600,
            "reason": "business_hours",
            "code": "availability.unexcused.business_hours",
        }
    ]
    assert res.details["excused_maintenance_seconds"] == 2 * 3600
    assert res.details["downtime_seconds"] == 3600


def test_maintenance_announced_but_unused_does_not_excuse_an_unrelated_outage() -> None:
    res = evaluate(
        outages=outages(
            (at(2026, 10, 10, 1), at(2026, 10, 10, 5), "maintenance", EARLY),
            (at(2026, 10, 10, 2), at(2026, 10, 10, 3), "down", MISSING),
        )
    )
    assert res.details["downtime_seconds"] == 3600
    assert res.details["outages"] == [
        {"start": at(2026, 10, 10, 2), "end": at(2026, 10, 10, 3), "seconds": 3600}
    ]


def test_probe_outage_that_began_before_the_maintenance_is_not_excused() -> None:
    t0 = at(2026, 10, 10, 0, 30)
    # Down from 00:40 to 01:20; the maintenance window opens at 01:00.
    states = "u" * 10 + "d" * 40 + "u" * 30
    res = evaluate(
        outages=outages((at(2026, 10, 10, 1), at(2026, 10, 10, 5), "maintenance", EARLY)),
        probes=probes(t0, states),
    )
    assert res.details["downtime_seconds"] == 40 * 60
    assert res.details["excused_maintenance_seconds"] == 0


def test_probe_outage_starting_inside_the_maintenance_is_excused() -> None:
    t0 = at(2026, 10, 10, 0, 30)
    states = "u" * 40 + "d" * 30 + "u" * 10  # down 01:10-01:40, inside the window
    res = evaluate(
        outages=outages((at(2026, 10, 10, 1), at(2026, 10, 10, 5), "maintenance", EARLY)),
        probes=probes(t0, states),
    )
    assert res.details["downtime_seconds"] == 0
    assert res.details["excused_maintenance_seconds"] == 30 * 60
    assert res.value == 1


def test_excused_maintenance_out_of_measured_time() -> None:
    exclusion = replace(MAIL.maintenance, out_of_measured_time=True)  # type: ignore[type-var]
    level = replace(MAIL, maintenance=exclusion)
    res = evaluate(
        level,
        outages=outages(
            (at(2026, 10, 10, 1), at(2026, 10, 10, 3), "maintenance", EARLY),
            (at(2026, 10, 12, 1), at(2026, 10, 12, 2), "down", MISSING),
        ),
    )
    assert res.details["measured_seconds"] == 745 * 3600 - 7200
    assert res.value == 1 - D(3600) / D(745 * 3600 - 7200)


def test_24x7_availability_across_the_october_dst_change() -> None:
    # October 2026 in Paris has 745 hours: the clocks go back one hour on the 25th.
    rows = outages((at(2026, 10, 25, 1), at(2026, 10, 25, 5), "down", MISSING))
    res = evaluate(outages=rows)
    assert res.details["measured_seconds"] == 745 * 3600
    # 01:00 CEST to 05:00 CET is five real hours.
    assert res.details["downtime_seconds"] == 5 * 3600
    assert res.value == 1 - D(5 * 3600) / D(745 * 3600)
    assert res.status == "breached"  # 99.33 % < 99.5 %
    always = Calendar.from_spec(CALENDARS["always"], years=(2026, 2026))
    contract = make_contract()
    (same,) = evaluate_availability(
        contract,
        "mail-availability",
        OCTOBER,
        as_of=END_OF_OCTOBER,
        outages=rows,
        calendars={"always": always},
    )
    assert same.value == res.value


def test_open_window_is_provisional_and_measured_up_to_as_of() -> None:
    contract = make_contract()
    (res,) = evaluate_availability(
        contract, "mail-availability", OCTOBER, as_of=at(2026, 10, 11), outages=outages()
    )
    assert res.finality == "provisional"
    assert res.details["measured_seconds"] == 10 * 86_400
    assert res.value == 1 and res.status == "met"


def test_no_maintenance_exclusion_makes_maintenance_downtime() -> None:
    level = replace(MAIL, maintenance=None)
    res = evaluate(
        level, outages=outages((at(2026, 10, 10, 1), at(2026, 10, 10, 2), "maintenance", EARLY))
    )
    assert res.details["unexcused_maintenance"][0]["reason"] == "no_exclusion"
    assert res.details["downtime_seconds"] == 3600


def test_allowance_is_per_month_across_windows() -> None:
    grid = window_grid("month", "Europe/Paris", at(2026, 10, 1), at(2026, 11, 1))
    rows = outages(
        (at(2026, 10, 31, 20), at(2026, 11, 1, 3), "maintenance", EARLY),  # 4 h in Oct, 3 h in Nov
        (at(2026, 11, 7, 1), at(2026, 11, 7, 3), "maintenance", EARLY),  # 1 h left in November
    )
    oct_res, nov_res = evaluate_availability(
        make_contract(), "mail-availability", grid, as_of=at(2026, 12, 1), outages=rows
    )
    assert oct_res.details["downtime_seconds"] == 0
    assert nov_res.details["excused_maintenance_seconds"] == 4 * 3600
    assert nov_res.details["downtime_seconds"] == 3600


def test_level_added_by_an_amendment_counts_from_its_effective_date() -> None:
    original = make_terms(
        service_levels=tuple(
            lv for lv in make_terms().service_levels if lv.id != "mail-availability"
        )
    )
    contract = make_contract(original, [(dt.date(2026, 11, 1), make_terms())])
    grid = window_grid("month", "Europe/Paris", at(2026, 10, 1), at(2026, 11, 1))
    results = evaluate_availability(contract, "mail-availability", grid, as_of=at(2026, 12, 1))
    assert [r.window for r in results] == ["2026-11"]
    assert results[0].terms_hash == "h1"


def test_an_outage_without_end_lasts_until_as_of() -> None:
    contract = make_contract()
    rows = outages((at(2026, 10, 20, 12), MISSING, "down", MISSING))
    (res,) = evaluate_availability(
        contract, "mail-availability", OCTOBER, as_of=at(2026, 10, 20, 15), outages=rows
    )
    assert res.details["downtime_seconds"] == 3 * 3600
    assert res.finality == "provisional"


def test_without_any_monitoring_data_a_window_has_no_data() -> None:
    from pathlib import Path

    from pilotage.contract.loader import load_contract
    from pilotage.engine.availability import evaluate_availability
    from pilotage.engine.windows import window_grid

    root = Path(__file__).resolve().parents[2]
    contract = load_contract(root / "pilotage/contract/examples/reference.yaml")
    first = int(contract.effective_epochs()[0])
    grid = window_grid("month", "Europe/Paris", first, first + 40 * 86400)
    results = evaluate_availability(contract, "mail-availability", grid, as_of=first + 40 * 86400)
    assert results
    assert {r.status for r in results} == {"no_data"}
    assert all(r.value is None and r.details["measured_seconds"] == 0 for r in results)
