"""Business calendars and business time.

A :class:`Calendar` is built once from its contract spec for a span of years
(:data:`DEFAULT_YEARS` unless told).  Building turns the weekly hours, public
holidays and extra open or closed periods into sorted, disjoint open windows in
UTC epoch seconds; business time is then the difference of the monotone
function ``F(t)`` (open seconds from the span start to ``t``), evaluated by a
uniform bucket table (one gather per instant, in cache-sized chunks), with a
binary search on the windows for the few buckets that a boundary at an odd
minute cuts.  Built calendars are immutable and shared between identical
requests.  See docs/performance.md.

Wall-clock boundaries become instants as ``zoneinfo`` does with ``fold=0``: a
time that does not exist (spring gap) moves forward by the gap, an ambiguous
one (autumn) takes its first occurrence.  A range whose two ends map to
instants in the wrong order (``02:30-03:15`` on the spring change day in Paris)
is empty.  Where an extra open and an extra closed period overlap, closed wins.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json
import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import numpy as np
from numpy.typing import NDArray

from pilotage import i18n
from pilotage.errors import EngineError

__all__ = ["DEFAULT_YEARS", "Calendar", "business_seconds"]

I64 = NDArray[np.int64]

DEFAULT_YEARS: Final = (2000, 2045)
"""Years a calendar covers unless told otherwise (build time about 20 ms)."""

DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_SECONDS: Final = 86_400
_SAMPLE: Final = 4 * 86_400
_EPOCH_ORDINAL: Final = dt.date(1970, 1, 1).toordinal()
_MAX_BUCKETS: Final = 1 << 21
"""Largest bucket table (entries, 16 bytes each)."""
_CHUNK: Final = 16_384
"""Instants evaluated at a time, so that the temporaries stay in the processor's cache."""
_STEPS: Final = (900, 1800, 3600, 7200, 14_400, 28_800, 86_400)
"""Bucket widths tried, smallest first, when the boundaries' own step is too fine."""

_TIME = re.compile(r"^(\d{2}):(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PERIOD = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})/(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})$")

MESSAGES: Final = {
    "engine.calendar.bad_range": {
        "en": 'Opening range "{value}" is not valid: expected "HH:MM-HH:MM" with the end '
        "after the start (24:00 allowed as an end).",
        "fr": "La plage horaire « {value} » n’est pas valide : format attendu « HH:MM-HH:MM » "
        "avec une fin postérieure au début (24:00 admis comme fin).",
    },
    "engine.calendar.overlap": {
        "en": 'Opening ranges "{first}" and "{second}" overlap on {day}.',
        "fr": "Les plages horaires « {first} » et « {second} » se chevauchent le {day}.",
    },
    "engine.calendar.bad_day": {
        "en": 'Day key "{value}" is not valid: expected one of {expected}, or a range such as '
        '"mon-fri".',
        "fr": "Le jour « {value} » n’est pas valide : attendu l’un de {expected}, ou une plage "
        "comme « mon-fri ».",
    },
    "engine.calendar.duplicate_day": {
        "en": "Day {day} is given twice in the opening hours.",
        "fr": "Le jour {day} figure deux fois dans les horaires d’ouverture.",
    },
    "engine.calendar.bad_hours": {
        "en": 'Opening hours must be "24x7" or a mapping of days to lists of ranges; '
        'got "{value}".',
        "fr": "Les horaires d’ouverture doivent être « 24x7 » ou une correspondance entre jours "
        "et listes de plages ; reçu « {value} ».",
    },
    "engine.calendar.bad_timezone": {
        "en": 'Time zone "{value}" is not a known IANA time zone (e.g. "Europe/Paris").',
        "fr": "Le fuseau horaire « {value} » n’est pas un fuseau IANA connu "
        "(par exemple « Europe/Paris »).",
    },
    "engine.calendar.no_timezone": {
        "en": "The calendar has no time zone and no default time zone was given.",
        "fr": "Le calendrier n’a pas de fuseau horaire et aucun fuseau par défaut n’est fourni.",
    },
    "engine.calendar.unknown_country": {
        "en": 'No public holidays are known for country "{country}" with subdivision "{subdiv}".',
        "fr": "Aucun jour férié n’est connu pour le pays « {country} » avec la subdivision "
        "« {subdiv} ».",
    },
    "engine.calendar.unknown_holiday": {
        "en": 'Holiday "{value}" is not a public holiday of {country}; closest names: '
        "{suggestions}.",
        "fr": "« {value} » n’est pas un jour férié de {country} ; noms les plus proches : "
        "{suggestions}.",
    },
    "engine.calendar.bad_date": {
        "en": 'Date "{value}" is not valid: expected "YYYY-MM-DD".',
        "fr": "La date « {value} » n’est pas valide : format attendu « AAAA-MM-JJ ».",
    },
    "engine.calendar.bad_period": {
        "en": 'Period "{value}" is not valid: expected "YYYY-MM-DD" or '
        '"YYYY-MM-DD HH:MM/YYYY-MM-DD HH:MM" with the end after the start.',
        "fr": "La période « {value} » n’est pas valide : format attendu « AAAA-MM-JJ » ou "
        "« AAAA-MM-JJ HH:MM/AAAA-MM-JJ HH:MM » avec une fin postérieure au début.",
    },
    "engine.calendar.bad_years": {
        "en": "The calendar span {first}-{last} is not valid: expected first <= last, "
        "within 1971-2100.",
        "fr": "La période du calendrier {first}-{last} n’est pas valide : attendu début <= fin, "
        "entre 1971 et 2100.",
    },
    "engine.calendar.bad_open_days": {
        "en": "A number of open days must be 0 or more; got {value}.",
        "fr": "Un nombre de jours ouvrés doit être positif ou nul ; reçu {value}.",
    },
    "engine.calendar.out_of_span": {
        "en": "Instant {value} is outside the calendar's span ({first}-{last}).",
        "fr": "L’instant {value} est hors de la période couverte par le calendrier "
        "({first}-{last}).",
    },
}
i18n.register(MESSAGES)


def _fail(code: str, **params: Any) -> EngineError:
    return EngineError(code, params)


# ---------------------------------------------------------------- parsing


def _minutes(text: str, *, end: bool, whole: str) -> int:
    match = _TIME.match(text.strip())
    if match is None:
        raise _fail("engine.calendar.bad_range", value=whole)
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not end)):
        raise _fail("engine.calendar.bad_range", value=whole)
    return hours * 60 + minutes


def _parse_range(text: object) -> tuple[int, int]:
    whole = str(text)
    if not isinstance(text, str) or text.count("-") != 1:
        raise _fail("engine.calendar.bad_range", value=whole)
    first, last = text.split("-")
    start = _minutes(first, end=False, whole=whole)
    stop = _minutes(last, end=True, whole=whole)
    if stop <= start:
        raise _fail("engine.calendar.bad_range", value=whole)
    return start, stop


def _parse_days(key: object) -> list[int]:
    text = str(key).strip().lower()
    expected = ", ".join(DAYS)
    parts = text.split("-")
    if len(parts) > 2 or any(part not in DAYS for part in parts):
        raise _fail("engine.calendar.bad_day", value=str(key), expected=expected)
    first, last = DAYS.index(parts[0]), DAYS.index(parts[-1])
    if last < first:
        raise _fail("engine.calendar.bad_day", value=str(key), expected=expected)
    return list(range(first, last + 1))


def _parse_hours(hours: object) -> list[list[tuple[int, int]]]:
    """Per weekday (Monday first), the sorted opening ranges in minutes of the day."""
    if isinstance(hours, str) and hours.strip().lower() == "24x7":
        return [[(0, 1440)] for _ in DAYS]
    if not isinstance(hours, Mapping):
        raise _fail("engine.calendar.bad_hours", value=str(hours))
    week: list[list[tuple[int, int]] | None] = [None] * 7
    for key, ranges in hours.items():
        items = [ranges] if isinstance(ranges, str) else ranges
        if not isinstance(items, Sequence):
            raise _fail("engine.calendar.bad_hours", value=str(ranges))
        parsed = sorted((_parse_range(item), str(item)) for item in items)
        for (prev, prev_text), (cur, cur_text) in itertools.pairwise(parsed):
            if cur[0] < prev[1]:
                raise _fail(
                    "engine.calendar.overlap", first=prev_text, second=cur_text, day=str(key)
                )
        for day in _parse_days(key):
            if week[day] is not None:
                raise _fail("engine.calendar.duplicate_day", day=DAYS[day])
            week[day] = [span for span, _ in parsed]
    return [day or [] for day in week]


def _parse_date(text: object) -> dt.date:
    value = str(text).strip()
    if isinstance(text, dt.date) and not isinstance(text, dt.datetime):
        return text
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail("engine.calendar.bad_date", value=value) from None


def _local_seconds(day: dt.date, minutes: int = 0) -> int:
    """Naive wall-clock epoch seconds of ``day`` at ``minutes`` past midnight."""
    return (day.toordinal() - _EPOCH_ORDINAL) * _DAY_SECONDS + minutes * 60


def _parse_period(text: object) -> tuple[int, int]:
    """A local period as naive wall-clock epoch seconds ``[start, end)``."""
    value = str(text).strip()
    if isinstance(text, dt.date) or _DATE.match(value):
        try:
            day = _parse_date(text)
        except EngineError:
            raise _fail("engine.calendar.bad_period", value=value) from None
        return _local_seconds(day), _local_seconds(day) + _DAY_SECONDS
    match = _PERIOD.match(value)
    if match is None:
        raise _fail("engine.calendar.bad_period", value=value)
    try:
        bounds = []
        for day_text, time_text in ((match[1], match[2]), (match[3], match[4])):
            day = dt.date.fromisoformat(day_text)
            bounds.append(_local_seconds(day, _minutes(time_text, end=True, whole=value)))
    except (ValueError, EngineError):
        raise _fail("engine.calendar.bad_period", value=value) from None
    if bounds[1] <= bounds[0]:
        raise _fail("engine.calendar.bad_period", value=value)
    return bounds[0], bounds[1]


def _zone(spec: Mapping[str, Any], default_timezone: str | None) -> ZoneInfo:
    name = spec.get("timezone") or default_timezone
    if not name:
        raise _fail("engine.calendar.no_timezone")
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail("engine.calendar.bad_timezone", value=str(name)) from None


def _holiday_dates(spec: object, years: range) -> tuple[dict[dt.date, str], set[dt.date]]:
    """The public holidays that close the calendar, by date, with their French names.

    Returns (closing holidays, extra closed dates).  A date keeps closing while
    any of its holidays is not declared worked.
    """
    if spec is None:
        return {}, set()
    if not isinstance(spec, Mapping):
        raise _fail("engine.calendar.unknown_country", country=str(spec), subdiv="")
    country = str(spec.get("country", "")).upper()
    subdiv = spec.get("subdiv")
    subdiv_text = None if subdiv is None else str(subdiv)
    try:
        table = holidays.country_holidays(country, subdiv=subdiv_text, years=years, language="fr")
    except NotImplementedError:
        raise _fail(
            "engine.calendar.unknown_country", country=country, subdiv=subdiv_text or ""
        ) from None
    by_date: dict[dt.date, list[str]] = {
        day: [part.strip() for part in str(name).split(";")] for day, name in table.items()
    }
    names = sorted({name for parts in by_date.values() for name in parts})
    worked_names: set[str] = set()
    worked_dates: set[dt.date] = set()
    for item in spec.get("worked") or []:
        text = str(item).strip()
        if isinstance(item, dt.date) or _DATE.match(text):
            day = _parse_date(item)
            if day not in by_date and years.start <= day.year < years.stop:
                raise _unknown_holiday(text, country, names)
            worked_dates.add(day)
        elif text in names:
            worked_names.add(text)
        else:
            raise _unknown_holiday(text, country, names)
    closing: dict[dt.date, str] = {}
    for day, parts in by_date.items():
        left = [part for part in parts if part not in worked_names]
        if left and day not in worked_dates:
            closing[day] = "; ".join(left)
    extra = {_parse_date(item) for item in spec.get("extra") or []}
    return closing, extra


def _unknown_holiday(value: str, country: str, names: list[str]) -> EngineError:
    closest = difflib.get_close_matches(value, names, n=len(names), cutoff=0.0)
    return _fail(
        "engine.calendar.unknown_holiday",
        value=value,
        country=country,
        suggestions=", ".join(f"« {name} »" for name in closest),
    )


# ---------------------------------------------------------------- time zone


def _transitions(zone: ZoneInfo, lo: int, hi: int) -> tuple[I64, I64]:
    """UTC offset changes of ``zone`` in ``[lo, hi]``: (instants, offsets).

    ``offsets[i]`` is the offset in force before ``instants[i]``, the last one
    after the last change.  Offsets are sampled every 4 days and changes
    located to the second by bisection (no zone changes twice within 4 days).
    """

    def offset(ts: int) -> int:
        delta = dt.datetime.fromtimestamp(ts, zone).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    samples = range(lo - _SAMPLE, hi + 2 * _SAMPLE, _SAMPLE)
    values = [offset(ts) for ts in samples]
    instants: list[int] = []
    offsets = [values[0]]
    for i in range(1, len(values)):
        if values[i] != values[i - 1]:
            low, high = samples[i - 1], samples[i]
            while high - low > 1:
                mid = (low + high) // 2
                if offset(mid) == values[i - 1]:
                    low = mid
                else:
                    high = mid
            instants.append(high)
            offsets.append(values[i])
    return np.array(instants, dtype=np.int64), np.array(offsets, dtype=np.int64)


class _Clock:
    """Vectorized conversion of naive wall-clock seconds to UTC instants."""

    def __init__(self, zone: ZoneInfo, lo: int, hi: int) -> None:
        self.instants, self.offsets = _transitions(zone, lo, hi)
        # fold=0: the offset before a change applies up to the later of the two
        # wall-clock readings of the change instant (gap and repeated hour alike).
        self.wall_limits = self.instants + np.maximum(self.offsets[:-1], self.offsets[1:])

    def to_utc(self, local: I64) -> I64:
        index = np.searchsorted(self.wall_limits, local, side="right")
        return np.asarray(local - self.offsets[index], dtype=np.int64)


# ---------------------------------------------------------------- interval sets


def _merge(starts: I64, ends: I64) -> tuple[I64, I64]:
    """Union of intervals ``[start, end)`` as sorted, disjoint, non-adjacent intervals."""
    keep = ends > starts
    starts, ends = starts[keep], ends[keep]
    if starts.size == 0:
        return starts, ends
    order = np.argsort(starts, kind="stable")
    starts, ends = starts[order], np.maximum.accumulate(ends[order])
    new = np.empty(starts.size, dtype=bool)
    new[0] = True
    np.greater(starts[1:], ends[:-1], out=new[1:])
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, starts.size - 1)
    return starts[first], ends[last]


def _inside(starts: I64, ends: I64, points: I64) -> NDArray[np.bool_]:
    if starts.size == 0:
        return np.zeros(points.shape, dtype=np.bool_)
    index = np.searchsorted(starts, points, side="right") - 1
    clipped = np.maximum(index, 0)
    return np.asarray((index >= 0) & (points < ends[clipped]), dtype=np.bool_)


def _subtract(a: tuple[I64, I64], b: tuple[I64, I64]) -> tuple[I64, I64]:
    """``a`` minus ``b`` (both merged)."""
    if b[0].size == 0 or a[0].size == 0:
        return a
    points = np.unique(np.concatenate([a[0], a[1], b[0], b[1]]))
    lefts, rights = points[:-1], points[1:]
    keep = _inside(*a, lefts) & ~_inside(*b, lefts)
    return _merge(lefts[keep], rights[keep])


# ---------------------------------------------------------------- calendar


class Calendar:
    """Open windows of a business calendar over a span of years, and ``F(t)``."""

    def __init__(
        self,
        zone: ZoneInfo,
        years: tuple[int, int],
        clock: _Clock,
        starts: I64,
        ends: I64,
        closing_holidays: Mapping[dt.date, str],
        weekly_seconds: Sequence[int],
    ) -> None:
        self._zone = zone
        self._years = years
        first_day = dt.date(years[0], 1, 1)
        day_count = dt.date(years[1] + 1, 1, 1).toordinal() - first_day.toordinal()
        local_midnights = _local_seconds(first_day) + _DAY_SECONDS * np.arange(
            day_count + 1, dtype=np.int64
        )
        self._midnights = clock.to_utc(local_midnights)
        self._t0 = int(self._midnights[0])
        self._t1 = int(self._midnights[-1])
        self._starts, self._ends = starts, ends
        lengths = ends - starts
        self._before = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        self._total = int(self._before[-1])
        # Sentinel empty window at the span start: every t >= t0 finds a window.
        self._s = np.concatenate([[self._t0], starts]).astype(np.int64)
        self._len = np.concatenate([[0], lengths]).astype(np.int64)
        self._c = np.concatenate([[0], self._before[:-1]]).astype(np.int64)
        self._holidays = dict(closing_holidays)
        self._weekly_seconds = tuple(weekly_seconds)
        self._build_days()
        self._build_table()

    # ------------------------------------------------------------ construction

    @classmethod
    def from_spec(
        cls,
        spec: Mapping[str, Any],
        *,
        default_timezone: str | None = None,
        years: tuple[int, int] | None = None,
    ) -> Calendar:
        """Build a calendar from its contract spec (the mapping under ``calendars:``).

        Calendars are immutable: the last few built are kept and shared by
        identical requests (same spec, default time zone and years).
        """
        key = json.dumps([_plain(spec), default_timezone, years], sort_keys=True, default=str)
        return _build_cached(key)

    @classmethod
    def _build(cls, spec: Mapping[str, Any], default_timezone: str | None, years: Any) -> Calendar:
        first, last = years or DEFAULT_YEARS
        if not 1971 <= first <= last <= 2100:
            raise _fail("engine.calendar.bad_years", first=first, last=last)
        zone = _zone(spec, default_timezone)
        week = _parse_hours(spec.get("hours"))
        span = range(first, last + 1)
        closing, extra = _holiday_dates(spec.get("holidays"), span)
        closed_days = set(closing) | extra
        for day in extra:
            closing.setdefault(day, day.isoformat())
        closing = {day: name for day, name in closing.items() if first <= day.year <= last}
        opened = [_parse_period(item) for item in spec.get("open") or []]
        closed = [_parse_period(item) for item in spec.get("closed") or []]

        lo_day, hi_day = dt.date(first, 1, 1), dt.date(last + 1, 1, 1)
        clock = _Clock(
            zone,
            _local_seconds(lo_day) - 2 * _DAY_SECONDS,
            _local_seconds(hi_day) + 2 * _DAY_SECONDS,
        )
        day_count = hi_day.toordinal() - lo_day.toordinal()
        local_days = _local_seconds(lo_day) + _DAY_SECONDS * np.arange(day_count, dtype=np.int64)
        weekdays = (np.arange(day_count) + lo_day.weekday()) % 7
        working = np.ones(day_count, dtype=bool)
        for day in closed_days:
            index = day.toordinal() - lo_day.toordinal()
            if 0 <= index < day_count:
                working[index] = False
        local_starts: list[I64] = []
        local_ends: list[I64] = []
        for weekday, ranges in enumerate(week):
            days = local_days[(weekdays == weekday) & working]
            for start, stop in ranges:
                local_starts.append(days + start * 60)
                local_ends.append(days + stop * 60)
        windows = _merge(*cls._to_utc(clock, local_starts, local_ends))
        if opened:
            extra_open = cls._to_utc(
                clock, [np.array([p[0] for p in opened])], [np.array([p[1] for p in opened])]
            )
            windows = _merge(
                np.concatenate([windows[0], extra_open[0]]),
                np.concatenate([windows[1], extra_open[1]]),
            )
        if closed:
            windows = _subtract(
                windows,
                _merge(
                    *cls._to_utc(
                        clock,
                        [np.array([p[0] for p in closed])],
                        [np.array([p[1] for p in closed])],
                    )
                ),
            )
        t0 = int(clock.to_utc(np.array([_local_seconds(lo_day)], dtype=np.int64))[0])
        t1 = int(clock.to_utc(np.array([_local_seconds(hi_day)], dtype=np.int64))[0])
        starts = np.clip(windows[0], t0, t1)
        ends = np.clip(windows[1], t0, t1)
        keep = ends > starts
        weekly = [sum(stop - start for start, stop in ranges) * 60 for ranges in week]
        return cls(zone, (first, last), clock, starts[keep], ends[keep], closing, weekly)

    @staticmethod
    def _to_utc(clock: _Clock, starts: list[I64], ends: list[I64]) -> tuple[I64, I64]:
        if not starts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        return (
            clock.to_utc(np.concatenate(starts).astype(np.int64)),
            clock.to_utc(np.concatenate(ends).astype(np.int64)),
        )

    def _build_days(self) -> None:
        """Per local day: whether it is open, and the end of its last open interval."""
        f = self._f_search(self._midnights)
        self._day_open = f[1:] > f[:-1]
        nexts = self._midnights[1:]
        last = np.searchsorted(self._s, nexts, side="left") - 1
        self._day_last_end = np.minimum(self._s[last] + self._len[last], nexts)
        self._open_days = np.flatnonzero(self._day_open).astype(np.int64)
        self._open_rank = np.cumsum(self._day_open, dtype=np.int64)

    def _build_table(self) -> None:
        """The bucket table: ``F(t) = base[k] + slope[k] * t`` with ``k = (t - t0) // step``.

        Stored packed as ``2 * base + slope`` (8 bytes a bucket, one gather).

        The step is the greatest common divisor of the window boundaries'
        offsets from the span start, so that each bucket is wholly open or
        wholly closed.  When that would make the table too large (boundaries
        at odd minutes), the step is the smallest of :data:`_STEPS` that fits
        and the few buckets that a boundary cuts are marked *mixed*: instants
        that fall in them are evaluated by binary search.
        """
        span = self._t1 - self._t0
        bounds = np.concatenate([self._starts, self._ends]) - self._t0
        step = math.gcd(int(np.gcd.reduce(bounds)) if bounds.size else 0, span) or span
        self._mixed: NDArray[np.bool_] | None = None
        if span // step > _MAX_BUCKETS:
            step = next(size for size in _STEPS if span // size <= _MAX_BUCKETS)
            cut = bounds[bounds % step != 0] // step
            self._mixed = np.zeros(span // step + 1, dtype=np.bool_)
            self._mixed[cut] = True
        self._step = step
        count = span // step + 1
        bucket_starts = self._t0 + step * np.arange(count, dtype=np.int64)
        if self._mixed is None:
            # Boundaries fall on bucket starts: slopes by a difference array,
            # F at bucket starts by a prefix sum.
            changes = np.zeros(count + 1, dtype=np.int64)
            np.add.at(changes, bounds[: self._starts.size] // step, 1)
            np.add.at(changes, bounds[self._starts.size :] // step, -1)
            slope = np.cumsum(changes[:count])
            at_starts = np.concatenate([[0], np.cumsum(slope[:-1]) * step])
        else:
            slope = _inside(self._starts, self._ends, bucket_starts).astype(np.int64)
            slope[self._mixed] = 0
            at_starts = self._f_search(bucket_starts)
        # One gather per instant: slope in the low bit, the intercept above it.
        self._table = (at_starts - slope * bucket_starts) * 2 + slope

    # ------------------------------------------------------------ queries

    @property
    def timezone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return self._zone

    @property
    def years(self) -> tuple[int, int]:
        """First and last year covered."""
        return self._years

    @property
    def span(self) -> tuple[int, int]:
        """The instants covered, ``[start, end]`` (UTC epoch seconds)."""
        return self._t0, self._t1

    def _check(self, t: I64) -> None:
        if t.size and (int(t.min()) < self._t0 or int(t.max()) > self._t1):
            bad = t[(t < self._t0) | (t > self._t1)][0]
            when = dt.datetime.fromtimestamp(int(bad), dt.UTC).isoformat()
            raise _fail(
                "engine.calendar.out_of_span",
                value=when,
                first=self._years[0],
                last=self._years[1],
            )

    def _f_search(self, t: I64) -> I64:
        index = np.searchsorted(self._s, t, side="right")
        index -= 1
        result = np.subtract(t, self._s[index])
        np.minimum(result, self._len[index], out=result)
        result += self._c[index]
        return result

    def cumulative(self, t: I64) -> I64:
        """``F(t)``: open seconds from the span start to each instant of ``t``."""
        t = np.asarray(t, dtype=np.int64)
        flat = t.ravel()
        result = np.empty(flat.size, dtype=np.int64)
        scratch = np.empty(min(flat.size, _CHUNK), dtype=np.int64)
        for first in range(0, flat.size, _CHUNK):
            last = min(first + _CHUNK, flat.size)
            self._f_into(flat[first:last], result[first:last], scratch[: last - first])
        return result.reshape(t.shape)

    def _f_into(self, t: I64, out: I64, scratch: I64) -> None:
        """``F(t)`` into ``out`` (1-D, ``scratch`` of the same length is overwritten)."""
        np.subtract(t, self._t0, out=scratch)
        # One pass checks both ends of the span: negative offsets wrap to huge ones.
        if int(scratch.view(np.uint64).max()) > self._t1 - self._t0:
            self._check(t)
        scratch //= self._step
        np.take(self._table, scratch, out=out, mode="clip")
        mixed = None
        if self._mixed is not None:
            mixed = np.flatnonzero(self._mixed.take(scratch, mode="clip"))
        np.bitwise_and(out, 1, out=scratch)
        scratch *= t
        out >>= 1
        out += scratch
        if mixed is not None and mixed.size:
            out[mixed] = self._f_search(t[mixed])

    def instant_at(self, f: I64) -> I64:
        """The earliest instant ``t`` with ``F(t) == f``, for each ``f``.

        For a deadline, ``instant_at(cumulative(start) + target)`` with a
        positive target; a zero target is due at the start itself.
        """
        f = np.asarray(f, dtype=np.int64)
        if f.size and (int(f.min()) < 0 or int(f.max()) > self._total):
            bad = int(f[(f < 0) | (f > self._total)][0])
            raise _fail(
                "engine.calendar.out_of_span",
                value=f"F={bad}",
                first=self._years[0],
                last=self._years[1],
            )
        if self._starts.size == 0:
            return np.full(f.shape, self._t0, dtype=np.int64)
        index = np.searchsorted(self._before[1:], f, side="left")
        index = np.minimum(index, self._starts.size - 1)
        result = self._starts[index] + (f - self._before[index])
        return np.asarray(np.where(f == 0, self._t0, result), dtype=np.int64)

    def is_open(self, t: I64) -> NDArray[np.bool_]:
        """Whether each instant is inside an open window."""
        t = np.asarray(t, dtype=np.int64)
        self._check(t)
        return _inside(self._starts, self._ends, t)

    def open_intervals(self, start: int, end: int) -> tuple[I64, I64]:
        """The open windows clipped to ``[start, end)``."""
        self._check(np.array([start, end], dtype=np.int64))
        first = int(np.searchsorted(self._ends, start, side="right"))
        last = int(np.searchsorted(self._starts, end, side="left"))
        starts = np.maximum(self._starts[first:last], start)
        ends = np.minimum(self._ends[first:last], end)
        keep = ends > starts
        return starts[keep], ends[keep]

    def local_day_index(self, t: I64) -> I64:
        """Index of each instant's local date from the span's first day."""
        t = np.asarray(t, dtype=np.int64)
        self._check(t)
        index = np.searchsorted(self._midnights, t, side="right") - 1
        return np.asarray(np.minimum(index, self._day_open.size - 1), dtype=np.int64)

    def end_of_open_day(self, t: I64, n: int | I64) -> I64:
        """End of the last open interval of the ``n``-th open day after ``t``'s local date.

        "J+N ouvrés": with ``n >= 1`` the N-th open day strictly after the local
        date of ``t``; with ``n == 0`` that date itself when it is an open day,
        else the next open day.
        """
        day = self.local_day_index(t)
        count = np.asarray(n, dtype=np.int64)
        if count.size and int(count.min()) < 0:
            raise _fail("engine.calendar.bad_open_days", value=int(count.min()))
        rank = self._open_rank[day] + count + ((count == 0) & ~self._day_open[day])
        if rank.size and int(rank.max()) > self._open_days.size:
            raise _fail(
                "engine.calendar.out_of_span",
                value=f"+{int(count.max())}",
                first=self._years[0],
                last=self._years[1],
            )
        return np.asarray(self._day_last_end[self._open_days[rank - 1]], dtype=np.int64)

    def regular_day_seconds(self) -> int:
        """One regular open day's opening time, from the weekly hours.

        The most common total among weekdays that open at all (ties: the larger).
        """
        totals = [seconds for seconds in self._weekly_seconds if seconds > 0]
        if not totals:
            return 0
        return max(totals, key=lambda seconds: (totals.count(seconds), seconds))

    def holidays_in(self, year: int) -> dict[dt.date, str]:
        """The public holidays (and extra closed dates) that close the calendar in ``year``."""
        return {day: name for day, name in sorted(self._holidays.items()) if day.year == year}


def _plain(value: object) -> object:
    """A spec as JSON-ready data (mappings, lists, scalars; dates as ISO text)."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@lru_cache(maxsize=16)
def _build_cached(key: str) -> Calendar:
    spec, default_timezone, years = json.loads(key)
    calendar = Calendar._build(spec, default_timezone, tuple(years) if years else None)
    for value in vars(calendar).values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return calendar


def business_seconds(calendar: Calendar, starts: I64, ends: I64) -> I64:
    """Open seconds between each start and end: ``F(end) - F(start)``, 0 where end <= start."""
    starts, ends = np.broadcast_arrays(
        np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    )
    flat_starts, flat_ends = starts.ravel(), ends.ravel()
    result = np.empty(flat_starts.size, dtype=np.int64)
    size = min(flat_starts.size, _CHUNK)
    before, scratch = np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int64)
    for first in range(0, flat_starts.size, _CHUNK):
        last = min(first + _CHUNK, flat_starts.size)
        out, count = result[first:last], last - first
        calendar._f_into(flat_ends[first:last], out, scratch[:count])
        calendar._f_into(flat_starts[first:last], before[:count], scratch[:count])
        out -= before[:count]
        np.maximum(out, 0, out=out)
    return result.reshape(starts.shape)
