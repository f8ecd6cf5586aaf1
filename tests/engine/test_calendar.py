"""Named edge cases of calendars and business time."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from pilotage.engine import Calendar, business_seconds
from pilotage.errors import EngineError

PARIS = ZoneInfo("Europe/Paris")
HOUR = 3600
DAY_SECONDS = 86_400

REFERENCE_BUSINESS: dict[str, Any] = {
    "timezone": "Europe/Paris",
    "hours": {"mon-fri": ["08:00-12:30", "13:30-18:00"]},
    "holidays": {"country": "FR", "worked": ["Lundi de Pentecôte"]},
    "closed": ["2026-12-24 14:00/2026-12-24 18:00"],
}
OFFICE: dict[str, Any] = {
    "timezone": "Europe/Paris",
    "hours": {"mon-fri": ["08:00-18:00"]},
    "holidays": {"country": "FR"},
}


def paris(*args: int) -> int:
    """UTC epoch seconds of a Paris wall-clock time (fold=0)."""
    return int(dt.datetime(*args, tzinfo=PARIS).timestamp())  # type: ignore[misc]


def between(calendar: Calendar, start: int, end: int) -> int:
    return int(business_seconds(calendar, np.array([start]), np.array([end]))[0])


def as_paris(instant: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(instant, PARIS).replace(tzinfo=None)


@pytest.fixture(scope="module")
def business() -> Calendar:
    return Calendar.from_spec(REFERENCE_BUSINESS, years=(2020, 2030))


@pytest.fixture(scope="module")
def office() -> Calendar:
    return Calendar.from_spec(OFFICE, years=(2020, 2030))


def test_both_ends_after_hours_on_consecutive_days_count_the_whole_day(office: Calendar) -> None:
    # Thursday 21:00 -> Friday 19:00: all of Friday's 10 hours.
    assert between(office, paris(2026, 3, 12, 21), paris(2026, 3, 13, 19)) == 10 * HOUR


def test_easter_weekend_is_skipped(office: Calendar) -> None:
    # Thu 17:00 -> Tue 09:00 over Good Friday (worked in FR), Easter Sunday and Monday.
    start, end = paris(2026, 4, 2, 17), paris(2026, 4, 7, 9)
    assert between(office, start, end) == (1 + 10 + 1) * HOUR
    assert office.holidays_in(2026)[dt.date(2026, 4, 6)] == "Lundi de Pâques"


def test_start_inside_the_spring_gap_moves_forward() -> None:
    always = Calendar.from_spec({"timezone": "Europe/Paris", "hours": "24x7"}, years=(2026, 2026))
    # 02:30 does not exist on 2026-03-29: it is read as 03:30 CEST (01:30 UTC).
    start = paris(2026, 3, 29, 2, 30)
    assert start == int(dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC).timestamp())
    assert between(always, start, paris(2026, 3, 29, 4)) == 30 * 60


def test_opening_range_starting_in_the_spring_gap() -> None:
    night = Calendar.from_spec(
        {"timezone": "Europe/Paris", "hours": {"sun": ["02:30-05:00"]}}, years=(2026, 2026)
    )
    day = (paris(2026, 3, 29), paris(2026, 3, 30))
    # 02:30 moves forward to 03:30 CEST: 1 h 30 left of the range.
    assert between(night, *day) == 90 * 60
    # The next Sunday has its full 2 h 30.
    assert between(night, paris(2026, 4, 5), paris(2026, 4, 6)) == 150 * 60


def test_24x7_across_the_october_change_has_a_25_hour_day() -> None:
    always = Calendar.from_spec({"timezone": "Europe/Paris", "hours": "24x7"}, years=(2026, 2026))
    assert between(always, paris(2026, 10, 25), paris(2026, 10, 26)) == 25 * HOUR
    assert between(always, paris(2026, 3, 29), paris(2026, 3, 30)) == 23 * HOUR
    assert always.end_of_open_day(np.array([paris(2026, 10, 25, 12)]), 0)[0] == paris(2026, 10, 26)


def test_lord_howe_half_hour_change_and_kolkata() -> None:
    howe = ZoneInfo("Australia/Lord_Howe")

    def local(*args: int) -> int:
        return int(dt.datetime(*args, tzinfo=howe).timestamp())  # type: ignore[misc]

    always = Calendar.from_spec(
        {"timezone": "Australia/Lord_Howe", "hours": "24x7"}, years=(2026, 2026)
    )
    # Clocks go from 02:00 to 02:30 on 2026-10-04 and back from 02:00 to 01:30 on 2026-04-05.
    assert between(always, local(2026, 10, 4), local(2026, 10, 5)) == 23 * HOUR + 30 * 60
    assert between(always, local(2026, 4, 5), local(2026, 4, 6)) == 24 * HOUR + 30 * 60
    kolkata = Calendar.from_spec(
        {"timezone": "Asia/Kolkata", "hours": {"mon-fri": ["09:30-18:00"]}}, years=(2026, 2026)
    )
    monday = int(dt.datetime(2026, 3, 2, 4, 0, tzinfo=dt.UTC).timestamp())  # 09:30 IST
    assert kolkata.is_open(np.array([monday - 1, monday])).tolist() == [False, True]


def test_eight_to_six_on_a_dst_day_is_ten_hours() -> None:
    daily = Calendar.from_spec(
        {"timezone": "Europe/Paris", "hours": {"mon-sun": ["08:00-18:00"]}}, years=(2026, 2026)
    )
    for day in (29, 30):
        assert between(daily, paris(2026, 3, day), paris(2026, 3, day + 1)) == 10 * HOUR
    assert between(daily, paris(2026, 10, 25), paris(2026, 10, 26)) == 10 * HOUR


def test_whit_monday_worked_under_the_reference_contract(
    business: Calendar, office: Calendar
) -> None:
    whit_monday = (paris(2026, 5, 25), paris(2026, 5, 26))
    assert between(business, *whit_monday) == 9 * HOUR
    assert dt.date(2026, 5, 25) not in business.holidays_in(2026)
    assert between(office, *whit_monday) == 0
    assert office.holidays_in(2026)[dt.date(2026, 5, 25)] == "Lundi de Pentecôte"


def test_closed_christmas_eve_afternoon(business: Calendar) -> None:
    # 08:00-12:30 and 13:30-14:00 are left.
    assert between(business, paris(2026, 12, 24), paris(2026, 12, 25)) == 5 * HOUR
    end = business.end_of_open_day(np.array([paris(2026, 12, 24, 9)]), 0)[0]
    assert as_paris(int(end)) == dt.datetime(2026, 12, 24, 14)
    # The next open day after Christmas Eve is Monday the 28th (Christmas, weekend).
    end = business.end_of_open_day(np.array([paris(2026, 12, 24, 9)]), 1)[0]
    assert as_paris(int(end)) == dt.datetime(2026, 12, 28, 18)


def test_alsace_moselle_good_friday_and_st_stephen() -> None:
    spec = {**OFFICE, "holidays": {"country": "FR", "subdiv": "57"}}
    moselle = Calendar.from_spec(spec, years=(2025, 2026))
    office = Calendar.from_spec(OFFICE, years=(2025, 2026))
    good_friday = (paris(2026, 4, 3), paris(2026, 4, 4))
    st_stephen = (paris(2025, 12, 26), paris(2025, 12, 27))
    for day in (good_friday, st_stephen):
        assert between(moselle, *day) == 0
        assert between(office, *day) == 10 * HOUR
    assert moselle.holidays_in(2026)[dt.date(2026, 4, 3)] == "Vendredi saint"
    assert moselle.holidays_in(2025)[dt.date(2025, 12, 26)] == "Saint-Étienne"


def test_reference_p1_resolved_next_morning(business: Calendar) -> None:
    created, resolved = paris(2026, 6, 30, 17), paris(2026, 7, 1, 10, 45)
    assert between(business, created, resolved) == 3 * HOUR + 45 * 60


def test_reference_deadline_and_open_days(business: Calendar) -> None:
    created = np.array([paris(2026, 6, 30, 17)])
    deadline = business.instant_at(business.cumulative(created) + 4 * HOUR)[0]
    assert as_paris(int(deadline)) == dt.datetime(2026, 7, 1, 11)
    # A 9-hour target from 17:00 ends at the next day's 17:00 (lunch break skipped).
    deadline = business.instant_at(business.cumulative(created) + 9 * HOUR)[0]
    assert as_paris(int(deadline)) == dt.datetime(2026, 7, 1, 17)
    # J+1 and J+3 ouvrés from Friday 2026-07-10: Monday 13th, Wednesday 15th (14th: holiday).
    friday = np.array([paris(2026, 7, 10, 20)])
    ends = [as_paris(int(business.end_of_open_day(friday, n)[0])) for n in (0, 1, 2)]
    assert ends == [
        dt.datetime(2026, 7, 10, 18),
        dt.datetime(2026, 7, 13, 18),
        dt.datetime(2026, 7, 15, 18),
    ]
    saturday = np.array([paris(2026, 7, 11, 10)])
    assert as_paris(int(business.end_of_open_day(saturday, 0)[0])) == dt.datetime(2026, 7, 13, 18)


def test_regular_day_of_the_reference_business_calendar(business: Calendar) -> None:
    assert business.regular_day_seconds() == 9 * HOUR
    half_friday = Calendar.from_spec(
        {
            "timezone": "Europe/Paris",
            "hours": {"mon-thu": ["08:00-18:00"], "fri": ["08:00-12:00"], "sat": ["09:00-12:00"]},
        },
        years=(2026, 2026),
    )
    assert half_friday.regular_day_seconds() == 10 * HOUR


def test_exceptional_saturday_opening(office: Calendar) -> None:
    spec = {**OFFICE, "open": ["2026-03-14 09:00/2026-03-14 12:00"], "closed": ["2026-03-13"]}
    calendar = Calendar.from_spec(spec, years=(2026, 2026))
    week = (paris(2026, 3, 9), paris(2026, 3, 16))
    assert between(calendar, *week) == 4 * 10 * HOUR + 3 * HOUR
    assert between(office, *week) == 5 * 10 * HOUR
    assert calendar.is_open(
        np.array([paris(2026, 3, 14, 10), paris(2026, 3, 13, 10)])
    ).tolist() == [
        True,
        False,
    ]


def test_open_intervals_are_clipped(business: Calendar) -> None:
    starts, ends = business.open_intervals(paris(2026, 6, 30, 17), paris(2026, 7, 1, 10, 45))
    assert [(as_paris(int(s)), as_paris(int(e))) for s, e in zip(starts, ends, strict=True)] == [
        (dt.datetime(2026, 6, 30, 17), dt.datetime(2026, 6, 30, 18)),
        (dt.datetime(2026, 7, 1, 8), dt.datetime(2026, 7, 1, 10, 45)),
    ]


def test_unknown_holiday_lists_the_closest_names() -> None:
    spec = {**OFFICE, "holidays": {"country": "FR", "worked": ["Lundi de Pentecote"]}}
    with pytest.raises(EngineError) as caught:
        Calendar.from_spec(spec, years=(2026, 2026))
    error = caught.value
    assert error.code == "engine.calendar.unknown_holiday"
    assert error.params["suggestions"].startswith("« Lundi de Pentecôte »")
    assert "Lundi de Pentecote" in error.message("en")
    assert "n’est pas un jour férié" in error.message("fr")


@pytest.mark.parametrize(
    ("hours", "code"),
    [
        ({"mon": ["18:00-08:00"]}, "engine.calendar.bad_range"),
        ({"mon": ["08:00-08:00"]}, "engine.calendar.bad_range"),
        ({"mon": ["25:00-26:00"]}, "engine.calendar.bad_range"),
        ({"mon": ["24:00-24:00"]}, "engine.calendar.bad_range"),
        ({"mon": ["8h-12h"]}, "engine.calendar.bad_range"),
        ({"mon": ["08:00-12:00", "11:00-14:00"]}, "engine.calendar.overlap"),
        ({"mon-fri": ["08:00-12:00"], "fri": ["14:00-16:00"]}, "engine.calendar.duplicate_day"),
        ({"lun": ["08:00-12:00"]}, "engine.calendar.bad_day"),
        ({"fri-mon": ["08:00-12:00"]}, "engine.calendar.bad_day"),
        ("9to5", "engine.calendar.bad_hours"),
    ],
)
def test_bad_hours_are_rejected(hours: object, code: str) -> None:
    with pytest.raises(EngineError) as caught:
        Calendar.from_spec({"timezone": "Europe/Paris", "hours": hours}, years=(2026, 2026))
    assert caught.value.code == code


def test_range_ending_at_midnight_and_adjacent_ranges() -> None:
    calendar = Calendar.from_spec(
        {"timezone": "Europe/Paris", "hours": {"fri": ["12:00-18:00", "18:00-24:00"]}},
        years=(2026, 2026),
    )
    friday = (paris(2026, 3, 13), paris(2026, 3, 14))
    assert between(calendar, *friday) == 12 * HOUR
    assert calendar.open_intervals(*friday)[0].size == 1


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        ({"hours": "24x7"}, "engine.calendar.no_timezone"),
        ({"timezone": "Europe/Pariss", "hours": "24x7"}, "engine.calendar.bad_timezone"),
        ({**OFFICE, "holidays": {"country": "XX"}}, "engine.calendar.unknown_country"),
        ({**OFFICE, "closed": ["2026-12-24 18:00/2026-12-24 14:00"]}, "engine.calendar.bad_period"),
        ({**OFFICE, "open": ["24/12/2026"]}, "engine.calendar.bad_period"),
        (
            {**OFFICE, "holidays": {"country": "FR", "extra": ["2026-02-30"]}},
            "engine.calendar.bad_date",
        ),
    ],
)
def test_bad_specs_are_rejected(spec: dict[str, Any], code: str) -> None:
    with pytest.raises(EngineError) as caught:
        Calendar.from_spec(spec, years=(2026, 2026))
    assert caught.value.code == code


def test_default_timezone_and_extra_holiday() -> None:
    spec = {
        "hours": {"mon-fri": ["08:00-18:00"]},
        "holidays": {"country": "FR", "extra": ["2026-03-13"]},
    }
    calendar = Calendar.from_spec(spec, default_timezone="Europe/Paris", years=(2026, 2026))
    assert calendar.timezone == PARIS
    assert between(calendar, paris(2026, 3, 13), paris(2026, 3, 14)) == 0
    assert dt.date(2026, 3, 13) in calendar.holidays_in(2026)


def test_queries_outside_the_span_are_errors(business: Calendar) -> None:
    with pytest.raises(EngineError) as caught:
        business.cumulative(np.array([paris(2031, 1, 1, 12)]))
    assert caught.value.code == "engine.calendar.out_of_span"
    with pytest.raises(EngineError):
        business.instant_at(np.array([-1]))
    with pytest.raises(EngineError):
        business.end_of_open_day(np.array([paris(2030, 12, 31, 9)]), 1)
    with pytest.raises(EngineError) as caught:
        business.end_of_open_day(np.array([paris(2026, 7, 1, 9)]), -1)
    assert caught.value.code == "engine.calendar.bad_open_days"


def test_end_before_start_is_zero(business: Calendar) -> None:
    assert between(business, paris(2026, 7, 1, 12), paris(2026, 7, 1, 9)) == 0


def test_engine_imports_no_io_library() -> None:
    code = (
        "import sys, pilotage.engine\n"
        "bad = {'django', 'sqlite3', 'requests', 'urllib3', 'http.client', 'pandas',"
        " 'openpyxl', 'weasyprint', 'ruamel', 'jinja2'}\n"
        "print(sorted(bad & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_boundaries_at_odd_minutes_over_the_default_span() -> None:
    spec = {
        "timezone": "America/New_York",
        "hours": {"mon-fri": ["08:07-12:00", "13:01-17:53"]},
        "closed": ["2031-03-07 09:13/2031-03-07 10:00"],
    }
    calendar = Calendar.from_spec(spec)
    zone = ZoneInfo("America/New_York")

    def local(*args: int) -> int:
        return int(dt.datetime(*args, tzinfo=zone).timestamp())  # type: ignore[misc]

    friday = (local(2031, 3, 7), local(2031, 3, 8))
    assert between(calendar, *friday) == (233 + 292 - 47) * 60
    # 08:07:30-12:00 less the closed 09:13-10:00.
    morning = (local(2031, 3, 7, 8, 7, 30), local(2031, 3, 7, 12, 0, 1))
    assert between(calendar, *morning) == 13950 - 47 * 60
    # Every second of one week, against the open intervals.
    week = np.arange(local(2031, 3, 3), local(2031, 3, 10), dtype=np.int64)
    starts, ends = calendar.open_intervals(int(week[0]), int(week[-1]) + 1)
    opened = np.zeros(week.size, dtype=np.int64)
    for start, end in zip(starts, ends, strict=True):
        opened[start - week[0] : end - week[0]] = 1
    expected = np.concatenate([[0], np.cumsum(opened)[:-1]])
    assert np.array_equal(calendar.cumulative(week) - calendar.cumulative(week[:1]), expected)


def test_identical_specs_share_one_immutable_calendar(business: Calendar) -> None:
    again = Calendar.from_spec(dict(REFERENCE_BUSINESS), years=(2020, 2030))
    assert again is business
    assert Calendar.from_spec(REFERENCE_BUSINESS, years=(2021, 2030)) is not business
    starts, _ = business.open_intervals(*business.span)
    starts[0] = 0  # the result is the caller's own copy
    assert business.open_intervals(*business.span)[0][0] != 0


def test_holiday_worked_by_date() -> None:
    spec = {**OFFICE, "holidays": {"country": "FR", "worked": ["2026-05-08"]}}
    calendar = Calendar.from_spec(spec, years=(2026, 2027))
    assert between(calendar, paris(2026, 5, 8), paris(2026, 5, 9)) == 10 * HOUR
    assert dt.date(2027, 5, 8) in calendar.holidays_in(2027)
    not_a_holiday = {**OFFICE, "holidays": {"country": "FR", "worked": ["2026-05-07"]}}
    with pytest.raises(EngineError) as caught:
        Calendar.from_spec(not_a_holiday, years=(2026, 2026))
    assert caught.value.code == "engine.calendar.unknown_holiday"


def test_scalar_broadcast_and_large_inputs(business: Calendar) -> None:
    start, end = paris(2026, 6, 30, 17), paris(2026, 7, 1, 10, 45)
    assert business_seconds(business, np.int64(start), np.int64(end)).shape == ()
    grid = business_seconds(business, np.array([start]), np.array([[end], [start + 600]]))
    assert grid.tolist() == [[3 * HOUR + 45 * 60], [600]]
    # Many chunks: against a binary search on the open windows.
    rng = np.random.default_rng(5)
    starts = rng.integers(paris(2024, 1, 1), paris(2027, 1, 1), 100_003)
    ends = starts + rng.integers(-DAY_SECONDS, 40 * DAY_SECONDS, starts.size)
    opens, closes = business.open_intervals(*business.span)
    before = np.concatenate([[0], np.cumsum(closes - opens)])

    def f(t: np.ndarray) -> np.ndarray:
        index = np.searchsorted(opens, t, side="right") - 1
        return before[index] + np.minimum(t - opens[index], closes[index] - opens[index])

    expected = np.maximum(f(ends) - f(starts), 0)
    assert np.array_equal(business_seconds(business, starts, ends), expected)
    assert np.array_equal(business.cumulative(starts), f(starts))
