"""Business time: this engine against ``businesstime``, pandas and a brute-force walk.

Problem: the seconds of ``[open, close)`` whose Europe/Paris local time is
Monday to Friday, 08:00-18:00, and not a French public holiday.  Opens are
random UTC instants over 2024-2025 (four DST changes), durations log-uniform
from 1 s to 45 days (seeded).  Every method gets the same pairs; timings
include the conversions each one needs from UTC epoch seconds.

- ``pilotage``: :func:`pilotage.engine.business_seconds` (best of 3);
- ``searchsorted``: the plain NumPy method on the same open windows, F(t) by
  ``numpy.searchsorted`` (best of 3);
- ``businesstime``: ``BusinessTime.businesstimedelta`` on naive Paris wall
  clock datetimes;
- ``pandas_cbh``: ``CustomBusinessHour.rollforward`` of both ends on aware
  timestamps, then ``numpy.busday_count`` between their dates (exact for a
  single daily range clear of the DST change hours);
- ``brute_force``: a walk minute by minute with ``zoneinfo``;
- ``pilotage 08:07``: this engine on the same calendar with hours 08:07-17:53,
  whose boundaries at odd minutes exercise the table's fallback, checked
  against ``searchsorted``.

``python -m benchmarks business_time`` or ``python -m benchmarks.business_time [MAX_PAIRS]``.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

import holidays
import numpy as np
from numpy.typing import NDArray

from pilotage.engine import Calendar, business_seconds
from pilotage.engine.calendar import DEFAULT_YEARS

__all__ = ["run"]

PARIS = ZoneInfo("Europe/Paris")
OPEN_HOUR, CLOSE_HOUR = 8, 18
SPEC = {
    "timezone": "Europe/Paris",
    "hours": {"mon-fri": [f"{OPEN_HOUR:02d}:00-{CLOSE_HOUR:02d}:00"]},
    "holidays": {"country": "FR"},
}
FIRST = int(dt.datetime(2024, 1, 1, tzinfo=dt.UTC).timestamp())
LAST = int(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp())
MAX_DURATION = 45 * 86_400
I64 = NDArray[np.int64]


def generate(n: int, seed: int = 2024) -> tuple[I64, I64]:
    """``n`` random (open, close) pairs in UTC epoch seconds."""
    rng = np.random.default_rng(seed)
    opens = rng.integers(FIRST, LAST, n, dtype=np.int64)
    durations = np.exp(rng.uniform(0.0, np.log(MAX_DURATION), n)).astype(np.int64)
    return opens, opens + durations


def french_holidays() -> set[dt.date]:
    return set(holidays.country_holidays("FR", years=range(2023, 2027), language="fr"))


def with_pilotage(calendar: Calendar) -> Callable[[I64, I64], I64]:
    def compute(opens: I64, closes: I64) -> I64:
        return business_seconds(calendar, opens, closes)

    return compute


def with_searchsorted(calendar: Calendar) -> Callable[[I64, I64], I64]:
    """The plain method: F(t) by binary search on the calendar's open windows."""
    starts, ends = calendar.open_intervals(*calendar.span)
    before = np.concatenate([[0], np.cumsum(ends - starts)[:-1]])

    def f(t: I64) -> I64:
        index = np.maximum(np.searchsorted(starts, t, side="right") - 1, 0)
        return np.asarray(
            before[index] + np.clip(t - starts[index], 0, ends[index] - starts[index]),
            dtype=np.int64,
        )

    def compute(opens: I64, closes: I64) -> I64:
        return np.maximum(f(closes) - f(opens), 0)

    return compute


def with_businesstime(opens: I64, closes: I64) -> I64:
    from businesstime import BusinessTime

    engine = BusinessTime(
        business_hours=(dt.time(OPEN_HOUR), dt.time(CLOSE_HOUR)), holidays=french_holidays()
    )
    span = (CLOSE_HOUR - OPEN_HOUR) * 3600
    out = np.empty(opens.size, dtype=np.int64)
    for i, (a, b) in enumerate(zip(opens.tolist(), closes.tolist(), strict=True)):
        start = dt.datetime.fromtimestamp(a, PARIS).replace(tzinfo=None)
        end = dt.datetime.fromtimestamp(b, PARIS).replace(tzinfo=None)
        delta = engine.businesstimedelta(start, end)  # whole business days count as 1 day
        out[i] = delta.days * span + delta.seconds
    return out


def with_pandas(opens: I64, closes: I64) -> I64:
    import pandas as pd

    days = sorted(french_holidays())
    hour = pd.offsets.CustomBusinessHour(
        start=f"{OPEN_HOUR:02d}:00", end=f"{CLOSE_HOUR:02d}:00", holidays=days
    )
    holiday_days = np.array(days, dtype="datetime64[D]")
    anchor = np.datetime64("2023-01-02", "D")
    span = (CLOSE_HOUR - OPEN_HOUR) * 3600

    def position(instant: int) -> int:
        moved = hour.rollforward(pd.Timestamp(instant, unit="s", tz="UTC").tz_convert(PARIS))
        day = np.datetime64(moved.date(), "D")
        index = int(np.busday_count(anchor, day, holidays=holiday_days))
        into = moved.hour * 3600 + moved.minute * 60 + moved.second - OPEN_HOUR * 3600
        return index * span + into

    out = np.empty(opens.size, dtype=np.int64)
    for i, (a, b) in enumerate(zip(opens.tolist(), closes.tolist(), strict=True)):
        out[i] = max(position(b) - position(a), 0)
    return out


def with_brute_force(opens: I64, closes: I64) -> I64:
    closed = french_holidays()
    out = np.zeros(opens.size, dtype=np.int64)
    for i, (a, b) in enumerate(zip(opens.tolist(), closes.tolist(), strict=True)):
        total = 0
        for minute in range(a - a % 60, b, 60):
            local = dt.datetime.fromtimestamp(minute, PARIS)
            if (
                local.weekday() < 5
                and OPEN_HOUR <= local.hour < CLOSE_HOUR
                and local.date() not in closed
            ):
                total += min(b, minute + 60) - max(a, minute)
        out[i] = total
    return out


def timed(
    compute: Callable[[I64, I64], I64], opens: I64, closes: I64, repeat: int
) -> tuple[float, float, I64]:
    """Best wall time of ``repeat`` runs, that run's processor time, and the result."""
    best, cpu, result = float("inf"), 0.0, np.zeros(0, dtype=np.int64)
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = compute(opens, closes)
        elapsed = time.perf_counter() - began
        if elapsed < best:
            best, cpu = elapsed, time.process_time() - began_cpu
    return best, cpu, result


def run(max_pairs: int = 10_000_000) -> dict[str, float]:
    """Time every method at its sizes, check agreement and print the figures."""
    # The first build also loads the holiday definitions; built calendars are
    # shared, so the second one is timed on another span of the same length.
    builds = []
    for years in (DEFAULT_YEARS, (DEFAULT_YEARS[0] + 1, DEFAULT_YEARS[1] + 1)):
        began = time.perf_counter()
        Calendar.from_spec(SPEC, years=years)
        builds.append(time.perf_counter() - began)
    build = builds[-1]
    calendar = Calendar.from_spec(SPEC)
    opens, closes = generate(max_pairs)
    sizes = {
        "pilotage": [n for n in (10**3, 10**4, 10**5, 10**6, 10**7) if n <= max_pairs],
        "searchsorted": [n for n in (10**5, 10**6, 10**7) if n <= max_pairs],
        "businesstime": [n for n in (10**3, 10**4, 10**5) if n <= max_pairs],
        "pandas_cbh": [n for n in (10**3, 10**4) if n <= max_pairs],
        "brute_force": [min(300, max_pairs)],
    }
    methods: dict[str, Callable[[I64, I64], I64]] = {
        "pilotage": with_pilotage(calendar),
        "searchsorted": with_searchsorted(calendar),
        "businesstime": with_businesstime,
        "pandas_cbh": with_pandas,
        "brute_force": with_brute_force,
    }
    first, last = calendar.years
    print(
        f"calendar {first}-{last} built in {build * 1000:.0f} ms "
        f"(first build in the process: {builds[0] * 1000:.0f} ms)"
    )
    ours: dict[int, float] = {}
    figures: dict[str, float] = {"build_seconds": build}
    reference = business_seconds(calendar, opens, closes)
    header = (
        f"{'method':<14}{'N':>12}{'wall s':>9}{'cpu s':>9}{'pairs/s':>14}"
        f"{'ours/theirs':>13}{'disagree':>10}"
    )
    print(header)
    for name, compute in methods.items():
        for n in sizes[name]:
            repeat = 3 if name in ("pilotage", "searchsorted") else 1
            seconds, cpu, result = timed(compute, opens[:n], closes[:n], repeat)
            rate = n / seconds
            wrong = int(np.count_nonzero(result != reference[:n]))
            if name == "pilotage":
                ours[n] = rate
            ratio = ours.get(n, ours[max(ours)]) / rate
            figures[f"{name}_{n}_pairs_per_second"] = rate
            figures[f"{name}_{n}_disagreements"] = wrong
            print(
                f"{name:<14}{n:>12,}{seconds:>9.3f}{cpu:>9.3f}{rate:>14,.0f}"
                f"{ratio:>12,.0f}x{wrong:>10,}"
            )
    # Boundaries at odd minutes: the table's mixed buckets fall back to binary search.
    odd = Calendar.from_spec({**SPEC, "hours": {"mon-fri": ["08:07-17:53"]}})
    seconds, cpu, result = timed(with_pilotage(odd), opens, closes, 3)
    wrong = int(np.count_nonzero(result != with_searchsorted(odd)(opens, closes)))
    rate = opens.size / seconds
    figures["pilotage_odd_minutes_pairs_per_second"] = rate
    print(
        f"{'pilotage 08:07':<14}{opens.size:>12,}{seconds:>9.3f}{cpu:>9.3f}{rate:>14,.0f}"
        f"{ours[max(ours)] / rate:>12,.1f}x{wrong:>10,}  (08:07-17:53, against searchsorted)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["peak_rss_mib"] = peak
    load = os.getloadavg()[0]
    print(f"peak RSS {peak:,.0f} MiB; load average (1 min) at the end {load:.1f}")
    return figures


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000)
