"""Property tests: calendars against a brute-force oracle that walks time minute by minute.

The oracle classifies each UTC minute from its local date: a minute is open when
a range of its local date (or of a neighbouring date, for ranges that a time
change pushes across midnight) contains it, that date is not a closing holiday,
and the extra open and closed periods say so.  Range ends are read as the
specification says (``zoneinfo`` wall time with ``fold=0``), so a range that
starts in the spring gap starts one gap later and the repeated autumn hour
belongs to the range that contains its first occurrence.  Every offset of the
zones used is a whole number of minutes, so each minute is wholly open or
wholly closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from pilotage.engine import Calendar, business_seconds
from pilotage.errors import EngineError

ZONES = ("Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata")
YEARS = (2024, 2025, 2026)
DAY = 86_400
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@cache
def offset_changes(zone_name: str) -> tuple[int, ...]:
    """UTC instants (to the hour) around which the zone's offset changes in YEARS."""
    zone = ZoneInfo(zone_name)
    start = int(dt.datetime(YEARS[0], 1, 1, tzinfo=dt.UTC).timestamp())
    end = int(dt.datetime(YEARS[-1], 12, 31, tzinfo=dt.UTC).timestamp())
    changes = []
    previous = dt.datetime.fromtimestamp(start, zone).utcoffset()
    for instant in range(start, end, 3600):
        current = dt.datetime.fromtimestamp(instant, zone).utcoffset()
        if current != previous:
            changes.append(instant)
        previous = current
    return tuple(changes)


@cache
def french_holidays() -> tuple[dt.date, ...]:
    table = holidays.country_holidays("FR", subdiv="57", years=YEARS, language="fr")
    return tuple(sorted(table))


@cache
def french_names(subdiv: str | None) -> tuple[str, ...]:
    table = holidays.country_holidays("FR", subdiv=subdiv, years=YEARS, language="fr")
    return tuple(sorted({part.strip() for name in table.values() for part in name.split(";")}))


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def day_ranges(draw: st.DrawFn) -> list[str]:
    count = draw(st.sampled_from([0, 1, 1, 2, 2, 3]))
    if count == 0:
        return []
    grid = draw(st.sampled_from([30, 30, 60, 15, 1]))
    cuts = draw(
        st.lists(
            st.integers(0, 1440 // grid).map(lambda k: k * grid),
            min_size=2 * count,
            max_size=2 * count,
            unique=True,
        )
    )
    cuts.sort()
    return [f"{hhmm(a)}-{hhmm(b)}" for a, b in zip(cuts[::2], cuts[1::2], strict=True)]


@dataclass(frozen=True)
class Case:
    spec: dict[str, Any]
    zone: ZoneInfo
    focus: int
    margin: int
    """Years the calendar spans on each side of the focus (a long span with
    boundaries at odd minutes exercises the table's mixed buckets)."""


@st.composite
def periods(draw: st.DrawFn, zone: ZoneInfo, focus: int) -> list[str]:
    items = []
    for _ in range(draw(st.integers(0, 2))):
        start = dt.datetime.fromtimestamp(focus + draw(st.integers(-2 * DAY, 3 * DAY)), zone)
        if draw(st.booleans()):
            items.append(start.date().isoformat())
            continue
        start = start.replace(second=0, minute=start.minute // 15 * 15, tzinfo=None)
        end = start + dt.timedelta(minutes=draw(st.integers(1, 2 * 24 * 4)) * 15)
        items.append(f"{start:%Y-%m-%d %H:%M}/{end:%Y-%m-%d %H:%M}")
    return items


@st.composite
def cases(draw: st.DrawFn) -> Case:
    zone_name = draw(st.sampled_from(ZONES))
    zone = ZoneInfo(zone_name)
    changes = offset_changes(zone_name)
    if changes and draw(st.booleans()):
        focus = draw(st.sampled_from(changes))
    else:
        day = draw(st.sampled_from(french_holidays()))
        focus = int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=zone).timestamp())
    spec: dict[str, Any] = {"timezone": zone_name}
    if draw(st.integers(0, 9)) == 0:
        spec["hours"] = "24x7"
    else:
        week = [draw(day_ranges()) for _ in DAYS]
        if draw(st.booleans()):
            spec["hours"] = {"mon-fri": week[0], "sat": week[5], "sun": week[6]}
        else:
            spec["hours"] = {day: ranges for day, ranges in zip(DAYS, week, strict=True) if ranges}
    if draw(st.booleans()):
        holiday_spec: dict[str, Any] = {"country": "FR"}
        if draw(st.booleans()):
            holiday_spec["subdiv"] = "57"
        names = french_names(holiday_spec.get("subdiv"))
        worked = draw(st.lists(st.sampled_from(names), max_size=3, unique=True))
        if worked:
            holiday_spec["worked"] = worked
        spec["holidays"] = holiday_spec
    spec["closed"] = draw(periods(zone, focus))
    spec["open"] = draw(periods(zone, focus))
    return Case(spec, zone, focus, draw(st.sampled_from([1, 1, 12])))


# ---------------------------------------------------------------- the oracle


def weekly(spec: dict[str, Any]) -> list[list[tuple[int, int]]]:
    hours = spec["hours"]
    if hours == "24x7":
        return [[(0, 1440)] for _ in DAYS]
    week: list[list[tuple[int, int]]] = [[] for _ in DAYS]
    for key, ranges in hours.items():
        first, _, last = key.partition("-")
        for day in range(DAYS.index(first), DAYS.index(last or first) + 1):
            for text in ranges:
                a, b = text.split("-")
                week[day].append((int(a[:2]) * 60 + int(a[3:]), int(b[:2]) * 60 + int(b[3:])))
    return week


def wall(zone: ZoneInfo, day: dt.date, minutes: int) -> int:
    """The UTC instant of a wall-clock time (fold=0), 24:00 being the next midnight."""
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=zone)
    return int((midnight + dt.timedelta(minutes=minutes)).timestamp())


def period_bounds(zone: ZoneInfo, text: str) -> tuple[int, int]:
    if "/" not in text:
        day = dt.date.fromisoformat(text)
        return wall(zone, day, 0), wall(zone, day, 1440)
    bounds = []
    for part in text.split("/"):
        day_text, time_text = part.split(" ")
        minutes = int(time_text[:2]) * 60 + int(time_text[3:])
        bounds.append(wall(zone, dt.date.fromisoformat(day_text), minutes))
    return bounds[0], bounds[1]


def closing_days(spec: dict[str, Any]) -> set[dt.date]:
    if "holidays" not in spec:
        return set()
    hs = spec["holidays"]
    table = holidays.country_holidays(
        hs["country"], subdiv=hs.get("subdiv"), years=YEARS, language="fr"
    )
    worked = set(hs.get("worked", []))
    return {
        day
        for day, name in table.items()
        if any(part.strip() not in worked for part in name.split(";"))
    }


@dataclass
class Oracle:
    """Open minutes of ``[first_minute, first_minute + open.size)`` (UTC minutes)."""

    first_minute: int
    open: NDArray[np.bool_]
    local_day: list[dt.date]

    def seconds_to(self, t: int) -> int:
        """Open seconds from the oracle's first minute to ``t``."""
        index, rest = divmod(t - self.first_minute * 60, 60)
        assert 0 <= index < self.open.size
        return 60 * int(self.open[:index].sum()) + (rest if self.open[index] else 0)


def oracle(case: Case, first: int, last: int) -> Oracle:
    zone, spec = case.zone, case.spec
    week = weekly(spec)
    closed_days = closing_days(spec)
    extra_open = [period_bounds(zone, text) for text in spec["open"]]
    extra_closed = [period_bounds(zone, text) for text in spec["closed"]]
    windows: dict[dt.date, list[tuple[int, int]]] = {}

    def day_windows(day: dt.date) -> list[tuple[int, int]]:
        if day not in windows:
            ranges = [] if day in closed_days else week[day.weekday()]
            windows[day] = [(wall(zone, day, a), wall(zone, day, b)) for a, b in ranges]
        return windows[day]

    around: dict[dt.date, list[tuple[int, int]]] = {}
    first_minute, last_minute = first // 60, last // 60 + 1
    flags = np.zeros(last_minute - first_minute, dtype=bool)
    local_days = []
    for index, minute in enumerate(range(first_minute, last_minute)):
        u = minute * 60
        local = dt.datetime.fromtimestamp(u, zone).date()
        local_days.append(local)
        if local not in around:
            around[local] = [
                window
                for shift in (-1, 0, 1)
                for window in day_windows(local + dt.timedelta(days=shift))
            ] + extra_open
        is_open = False
        for a, b in around[local]:
            if a <= u < b:
                is_open = True
                break
        for a, b in extra_closed:
            if a <= u < b:
                is_open = False
        flags[index] = is_open
    return Oracle(first_minute, flags, local_days)


def build(case: Case) -> Calendar:
    year = dt.datetime.fromtimestamp(case.focus, case.zone).year
    return Calendar.from_spec(case.spec, years=(year - case.margin, year + case.margin))


PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(case=cases(), data=st.data())
def test_business_seconds_match_the_minute_walk(case: Case, data: st.DataObject) -> None:
    calendar = build(case)
    first, last = case.focus - 3 * DAY, case.focus + 5 * DAY
    truth = oracle(case, first, last)
    instants = st.integers(first, last)
    pairs = data.draw(st.lists(st.tuples(instants, instants), min_size=1, max_size=30))
    starts = np.array([a for a, _ in pairs], dtype=np.int64)
    ends = np.array([b for _, b in pairs], dtype=np.int64)
    got = business_seconds(calendar, starts, ends)
    expected = [max(truth.seconds_to(b) - truth.seconds_to(a), 0) for a, b in pairs]
    assert got.tolist() == expected
    minutes = np.arange(truth.first_minute, truth.first_minute + truth.open.size) * 60
    assert calendar.is_open(minutes).tolist() == truth.open.tolist()
    # The open windows are the runs of open minutes.
    edges = np.diff(np.concatenate([[0], truth.open.astype(np.int8), [0]]))
    run_starts = minutes[0] + 60 * np.flatnonzero(edges == 1)
    run_ends = minutes[0] + 60 * np.flatnonzero(edges == -1)
    got_starts, got_ends = calendar.open_intervals(int(minutes[0]), int(minutes[-1]) + 60)
    assert got_starts.tolist() == run_starts.tolist()
    assert got_ends.tolist() == run_ends.tolist()


@PROPERTY
@given(case=cases(), data=st.data())
def test_instant_at_inverts_cumulative(case: Case, data: st.DataObject) -> None:
    calendar = build(case)
    instants = np.array(
        data.draw(st.lists(st.integers(case.focus - 3 * DAY, case.focus + 5 * DAY), min_size=1)),
        dtype=np.int64,
    )
    f = calendar.cumulative(instants)
    back = calendar.instant_at(f)
    assert np.all(back <= instants)
    assert np.array_equal(calendar.cumulative(back), f)
    # Earliest: one second before, less open time had elapsed (or it is the span start).
    start = calendar.span[0]
    before = calendar.cumulative(np.maximum(back - 1, start))
    assert np.all((before < f) | (back == start))
    targets = np.array(data.draw(st.lists(st.integers(1, 5 * DAY), min_size=1)), dtype=np.int64)
    f0 = calendar.cumulative(instants[:1])
    reachable = f0 + targets <= calendar.cumulative(np.array([calendar.span[1]]))
    if not reachable.all():
        with pytest.raises(EngineError):
            calendar.instant_at(f0 + targets)
    targets = targets[reachable]
    deadlines = calendar.instant_at(f0 + targets)
    assert np.all(deadlines > instants[0])
    assert np.array_equal(
        business_seconds(calendar, np.repeat(instants[:1], targets.size), deadlines), targets
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(), data=st.data())
def test_end_of_open_day_matches_the_minute_walk(case: Case, data: st.DataObject) -> None:
    calendar = build(case)
    first, last = case.focus - 2 * DAY, case.focus + 16 * DAY
    truth = oracle(case, first, last)
    t = data.draw(st.integers(first + DAY, case.focus + 2 * DAY))
    n = data.draw(st.integers(0, 2))
    # Per local date seen by the walk: the end of its last open minute.
    last_end: dict[dt.date, int] = {}
    for index, is_open in enumerate(truth.open):
        if is_open:
            last_end[truth.local_day[index]] = (truth.first_minute + index + 1) * 60
    today = dt.datetime.fromtimestamp(t, case.zone).date()
    later = sorted(day for day in last_end if day > today)
    candidates = ([today] if today in last_end and n == 0 else []) + later
    rank = max(n, 1) - 1 if not (n == 0 and today in last_end) else 0
    # Only dates whose whole day the walk covered are reliable.
    reliable = [day for day in candidates if day < truth.local_day[-1]]
    assume(rank < len(reliable))
    got = int(calendar.end_of_open_day(np.array([t]), n)[0])
    assert got == last_end[reliable[rank]]
