"""Vectorized conversion of source date-times to UTC epoch seconds.

:func:`local_to_utc` turns naive wall-clock times of an IANA zone into UTC
instants with the same rule as ``datetime(..., tzinfo=ZoneInfo(tz)).timestamp()``
(``fold=0``): a wall time inside a spring-forward gap moves forward by the gap,
an ambiguous one takes its first occurrence.  It reads the zone's transitions
from the same TZif file :mod:`zoneinfo` uses (explicit transitions), then
extends them past the last explicit one by probing :mod:`zoneinfo` itself
(the POSIX rule of the file's footer), so it is exact for any zone and costs
one binary search per value.

:func:`parse_instants` parses a column of strings in one of the export
formats met in practice (:data:`FORMATS`) and reports the rows it could not
read instead of raising.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import os
import re
import struct
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from pilotage.tables import MISSING

__all__ = [
    "FORMATS",
    "Instants",
    "check_timezone",
    "detect_format",
    "local_to_utc",
    "parse_instants",
    "utc_to_local",
]

I64 = npt.NDArray[np.int64]

FORMATS: Final = ("iso", "dmy", "dmy_dash", "ymd_slash")
"""Accepted ``fmt`` values of :func:`parse_instants`:

- ``iso``: ``2026-03-29 02:30[:00[.000]]``, ``T`` or space, with an optional
  ``Z`` or ``+hh:mm`` / ``+hhmm`` offset (an explicit offset wins over ``tz``);
- ``dmy``: ``dd/mm/yyyy HH:MM[:SS]``, zero padding optional, time optional;
- ``dmy_dash``: ``d-m-yyyy H:M[:S]`` (``30-8-2012 7:00``);
- ``ymd_slash``: ``yyyy/mm/dd HH:MM:SS[.fff]`` (``2012/10/09 14:50:17.000``).

Every format also accepts ``yyyy-mm-ddTHH:MM:SS`` and ``yyyy-mm-dd``, which
cannot be mistaken for another form (spreadsheet date cells are read so).
"""

_DAY: Final = 86_400


def check_timezone(tz: str) -> zoneinfo.ZoneInfo:
    """The zone named ``tz``; raises ``ValueError`` when it is not an IANA name."""
    try:
        return zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone: {tz!r}") from exc


def _tzif_bytes(key: str) -> bytes:
    """The TZif file :mod:`zoneinfo` would load for ``key`` (TZPATH, then tzdata)."""
    for root in zoneinfo.TZPATH:
        path = os.path.join(root, key)
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                return handle.read()
    resource = importlib.resources.files("tzdata").joinpath("zoneinfo", *key.split("/"))
    return resource.read_bytes()


def _parse_tzif(data: bytes) -> tuple[list[int], list[int], list[int], list[bool]]:
    """Transition times (UTC), their type index, and the types' offsets and DST flags."""
    if data[:4] != b"TZif":
        raise ValueError("not a TZif file")
    version = data[4]
    header = struct.Struct(">6l")

    def counts(offset: int) -> tuple[int, int, int, int, int, int]:
        isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt = header.unpack_from(data, offset)
        return isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt

    isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt = counts(20)
    time_size = 4
    start = 44
    if version >= ord("2"):
        # Skip the 32-bit block and read the 64-bit one.
        start += timecnt * 5 + typecnt * 6 + charcnt + leapcnt * 8 + isstdcnt + isutcnt
        isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt = counts(start + 20)
        start += 44
        time_size = 8
    fmt = f">{timecnt}{'q' if time_size == 8 else 'l'}"
    times = list(struct.unpack_from(fmt, data, start))
    start += timecnt * time_size
    indices = list(data[start : start + timecnt])
    start += timecnt
    offsets: list[int] = []
    dst: list[bool] = []
    for i in range(typecnt):
        utoff, isdst, _ = struct.unpack_from(">lBB", data, start + 6 * i)
        offsets.append(utoff)
        dst.append(bool(isdst))
    return times, indices, offsets, dst


def _utcoffset(zone: zoneinfo.ZoneInfo, ts: int) -> int:
    offset = dt.datetime.fromtimestamp(ts, tz=zone).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


def _year_start(year: int) -> int:
    return int((dt.datetime(year, 1, 1) - dt.datetime(1970, 1, 1)).total_seconds())


@functools.lru_cache(maxsize=64)
def _zone_table(tz: str, until_year: int) -> tuple[I64, I64, I64]:
    """``(wall, utc, offsets)``: local wall time of each transition (fold=0 side),
    its UTC instant, and the offset in force before the first (``offsets[0]``) and
    after each transition."""
    zone = check_timezone(tz)
    times, indices, type_offsets, type_dst = _parse_tzif(_tzif_bytes(tz))
    before = next((o for o, d in zip(type_offsets, type_dst, strict=True) if not d), None)
    if before is None:
        before = type_offsets[indices[0]] if indices else type_offsets[0]
    utc = list(times)
    after = [type_offsets[i] for i in indices]
    # Past the explicit transitions zoneinfo follows the footer's rule: find its
    # transitions by probing daily and bisecting to the second.
    probe = times[-1] if times else _year_start(1900)
    end = _year_start(until_year + 1)
    current = _utcoffset(zone, probe)
    while probe < end:
        nxt = probe + _DAY
        offset = _utcoffset(zone, nxt)
        if offset != current:
            lo, hi = probe, nxt
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _utcoffset(zone, mid) == current:
                    lo = mid
                else:
                    hi = mid
            utc.append(hi)
            after.append(offset)
            current = offset
        probe = nxt
    wall: list[int] = []
    for i, t in enumerate(utc):
        # zoneinfo compares wall times with the first transition's edge taken
        # against the file's first type, then against the previous offset.
        previous = (type_offsets[0] if times else before) if i == 0 else after[i - 1]
        wall.append(t + max(previous, after[i]))
    return (
        np.array(wall, dtype=np.int64),
        np.array(utc, dtype=np.int64),
        np.array([before, *after], dtype=np.int64),
    )


def local_to_utc(naive: I64, tz: str) -> I64:
    """UTC epoch seconds of wall-clock times ``naive`` (seconds as if UTC) in zone ``tz``.

    MISSING stays MISSING.  Same result as ``datetime.timestamp()`` with
    ``tzinfo=ZoneInfo(tz)`` and ``fold=0``.
    """
    values = np.asarray(naive, dtype=np.int64)
    present = values != MISSING
    if not present.any():
        return values.copy()
    latest = int(values[present].max())
    until_year = int(str(np.datetime64(latest, "s").astype("datetime64[Y]"))) + 1
    wall, _, offsets = _zone_table(tz, until_year)
    index = np.searchsorted(wall, values, side="right")
    return np.where(present, values - offsets[index], MISSING)


def utc_to_local(seconds: I64, tz: str) -> I64:
    """Wall-clock times (seconds as if UTC) in zone ``tz`` of UTC instants; MISSING stays."""
    values = np.asarray(seconds, dtype=np.int64)
    present = values != MISSING
    if not present.any():
        return values.copy()
    latest = int(values[present].max())
    until_year = int(str(np.datetime64(latest, "s").astype("datetime64[Y]"))) + 1
    _, utc, offsets = _zone_table(tz, until_year)
    index = np.searchsorted(utc, values, side="right")
    return np.where(present, values + offsets[index], MISSING)


def detect_format(values: Sequence[str], sample: int = 1000) -> str | None:
    """The first of :data:`FORMATS` that reads every non-empty value of a sample
    of ``values`` (formats cannot be confused: none is month first); None if
    none does."""
    present = [v for v in values[: sample * 4] if v.strip()][:sample]
    if not present:
        return None
    for fmt in FORMATS:
        if parse_instants(present, fmt, "UTC").invalid.size == 0:
            return fmt
    return None


@dataclass(frozen=True)
class Instants:
    """Parsed column: ``seconds`` (UTC epoch, MISSING when empty or invalid),
    positions of ``invalid`` values, and of ``naive`` ones left unresolved
    because no timezone was given."""

    seconds: I64
    invalid: I64
    naive: I64


_PAD = re.compile(r"(?<![0-9])([0-9])(?![0-9])")
_MARK = "\x01"
_REWRITES: Final[dict[str, list[tuple[re.Pattern[str], str]]]] = {
    "dmy": [
        (
            re.compile(
                r"^([0-9]{2})/([0-9]{2})/([0-9]{4})[ T]([0-9]{2}):([0-9]{2}):([0-9]{2})$", re.M
            ),
            _MARK + r"\3-\2-\1T\4:\5:\6",
        ),
        (
            re.compile(r"^([0-9]{2})/([0-9]{2})/([0-9]{4})[ T]([0-9]{2}):([0-9]{2})$", re.M),
            _MARK + r"\3-\2-\1T\4:\5:00",
        ),
        (re.compile(r"^([0-9]{2})/([0-9]{2})/([0-9]{4})$", re.M), _MARK + r"\3-\2-\1T00:00:00"),
    ],
    "dmy_dash": [
        (
            re.compile(
                r"^([0-9]{2})-([0-9]{2})-([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2})$", re.M
            ),
            _MARK + r"\3-\2-\1T\4:\5:\6",
        ),
        (
            re.compile(r"^([0-9]{2})-([0-9]{2})-([0-9]{4}) ([0-9]{2}):([0-9]{2})$", re.M),
            _MARK + r"\3-\2-\1T\4:\5:00",
        ),
        (re.compile(r"^([0-9]{2})-([0-9]{2})-([0-9]{4})$", re.M), _MARK + r"\3-\2-\1T00:00:00"),
    ],
    "ymd_slash": [
        (
            re.compile(
                r"^([0-9]{4})/([0-9]{2})/([0-9]{2})[ T]([0-9]{2}):([0-9]{2}):([0-9]{2})"
                r"(?:\.[0-9]+)?$",
                re.M,
            ),
            _MARK + r"\1-\2-\3T\4:\5:\6",
        ),
        (
            re.compile(r"^([0-9]{4})/([0-9]{2})/([0-9]{2})[ T]([0-9]{2}):([0-9]{2})$", re.M),
            _MARK + r"\1-\2-\3T\4:\5:00",
        ),
    ],
}


def _ascii(values: Sequence[str] | npt.NDArray[np.object_]) -> npt.NDArray[np.bytes_]:
    """Stripped ASCII bytes of each value (non-ASCII characters become ``?``)."""
    if len(values) == 0:
        return np.array([], dtype="S1")
    try:
        raw = np.array(values, dtype="S")
    except UnicodeEncodeError:
        raw = np.strings.encode(np.asarray(values, dtype=str), "ascii", "replace")
    return np.strings.strip(raw)


# Unambiguous ISO 8601 values (as spreadsheet date cells are given) are accepted
# in every format.
_ISO_ALSO: Final = [
    (
        re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2}:[0-9]{2})$", re.M),
        _MARK + r"\1T\2",
    ),
    (re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})$", re.M), _MARK + r"\1T00:00:00"),
]


def _to_iso(raw: npt.NDArray[np.bytes_], fmt: str) -> npt.NDArray[np.bytes_]:
    """Rewrite a non-ISO column into naive ISO; values that do not match become ``?``."""
    items = raw.astype(str).tolist()
    joined = "\n".join(items)
    if joined.count("\n") != len(items) - 1:
        joined = "\n".join(item.replace("\n", " ") for item in items)
    if fmt != "ymd_slash":
        joined = _PAD.sub(r"0\1", joined)
    for pattern, template in [*_REWRITES[fmt], *_ISO_ALSO]:
        joined = pattern.sub(template, joined)
    rewritten = np.array(joined.split("\n"), dtype="S")
    matched = np.strings.startswith(rewritten, _MARK.encode()) | (rewritten == b"")
    return np.where(matched, np.strings.lstrip(rewritten, _MARK.encode()), b"?")


def _matrix(raw: npt.NDArray[np.bytes_]) -> npt.NDArray[np.uint8]:
    width = raw.dtype.itemsize
    return raw.view(np.uint8).reshape(len(raw), width)


_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int16)
_ISO_BLOCK = 1 << 18


def _well_formed_iso(
    mat: npt.NDArray[np.uint8], length: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Rows holding a valid ``YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]]`` date-time.

    NumPy's cast of a byte string array to datetime64 crashes the process
    (NumPy 2.4) instead of raising when a value such as ``2026-02-31`` follows
    enough valid ones, so every value is checked here, shape and ranges,
    before the cast sees it.  Works on blocks of rows to bound memory.
    """
    n, width = mat.shape
    ok = np.zeros(n, dtype=bool)
    if width < 10:
        return ok
    padded = mat if width >= 20 else np.pad(mat, ((0, 0), (0, 20 - width)))
    for lo in range(0, n, _ISO_BLOCK):
        hi = min(lo + _ISO_BLOCK, n)
        ok[lo:hi] = _well_formed_block(padded[lo:hi], length[lo:hi])
    return ok


def _well_formed_block(
    mat: npt.NDArray[np.uint8], length: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    v = mat[:, :19].astype(np.int16) - ord("0")  # digits become 0..9
    d = (v >= 0) & (v <= 9)

    def num(a: int, b: int) -> npt.NDArray[np.int16]:
        return v[:, a] * 10 + v[:, b]

    year = num(0, 1) * 100 + num(2, 3)
    month, day = num(5, 6), num(8, 9)
    sep = mat[:, 10]
    ok = d[:, [0, 1, 2, 3, 5, 6, 8, 9]].all(axis=1) & (mat[:, 4] == 45) & (mat[:, 7] == 45)
    ok &= (month >= 1) & (month <= 12) & (day >= 1)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    ok &= day <= _DAYS_IN_MONTH[np.clip(month, 0, 12)] + ((month == 2) & leap)
    time_ok = (
        (length >= 16)
        & ((sep == ord("T")) | (sep == ord(" ")))
        & d[:, [11, 12, 14, 15]].all(axis=1)
        & (mat[:, 13] == ord(":"))
        & (num(11, 12) <= 23)
        & (num(14, 15) <= 59)
    )
    seconds_ok = (length >= 19) & (mat[:, 16] == ord(":")) & d[:, [17, 18]].all(axis=1)
    seconds_ok &= num(17, 18) <= 59
    time_ok &= (length <= 16) | seconds_ok
    if mat.shape[1] > 19:
        fraction_ok = (length > 20) & (mat[:, 19] == ord("."))
        tail = mat[:, 20:]
        positions = np.arange(20, mat.shape[1])
        tail_ok = ((tail >= ord("0")) & (tail <= ord("9"))) | (positions >= length[:, None])
        fraction_ok &= tail_ok.all(axis=1)
        time_ok &= (length <= 19) | fraction_ok
    else:
        time_ok &= length <= 19
    ok &= (length == 10) | ((length > 10) & time_ok)
    return np.asarray(ok, dtype=bool)


def _parse_naive_iso(raw: npt.NDArray[np.bytes_]) -> tuple[I64, npt.NDArray[np.bool_]]:
    """Parse ISO text without offset into seconds-as-if-UTC; flag the failures."""
    length = np.strings.str_len(raw).astype(np.int64)
    shaped = _well_formed_iso(_matrix(raw), length)
    candidate = np.where(shaped, raw, b"")
    parsed = candidate.astype("datetime64[us]")
    bad = np.isnat(parsed) & (length > 0)
    # Floor to the second (a cast would truncate pre-1970 fractions toward zero).
    seconds = np.floor_divide(parsed.astype(np.int64), 1_000_000)
    seconds[np.isnat(parsed)] = MISSING
    return seconds, bad


def _split_offsets(
    raw: npt.NDArray[np.bytes_],
) -> tuple[npt.NDArray[np.bytes_], I64, npt.NDArray[np.bool_]]:
    """Split ``Z``, ``+hh:mm`` or ``+hhmm`` suffixes off ISO values: ``(body, offset, aware)``."""
    n = len(raw)
    mat = _matrix(raw).copy()
    width = mat.shape[1]
    length = np.strings.str_len(raw).astype(np.int64)
    rows = np.arange(n)
    last = mat[rows, np.clip(length - 1, 0, width - 1)]
    zulu = (length > 0) & ((last == ord("Z")) | (last == ord("z")))
    offset = np.zeros(n, dtype=np.int64)
    cut = length - zulu
    # Numeric offsets, looked for only where there is no Z.
    other = np.flatnonzero(~zulu & (length > 16))
    colon = np.zeros(n, dtype=bool)
    compact = np.zeros(n, dtype=bool)
    if other.size:
        sub = mat[other]
        sub_len = length[other]
        sub_rows = np.arange(other.size)

        def char(k: int) -> npt.NDArray[np.int64]:
            return sub[sub_rows, sub_len - k].astype(np.int64)

        def digit(k: int) -> npt.NDArray[np.bool_]:
            c = char(k)
            return (c >= ord("0")) & (c <= ord("9"))

        def value(k: int) -> I64:
            return char(k) - ord("0")

        sign6, sign5 = char(6), char(5)
        has_colon = (
            ((sign6 == ord("+")) | (sign6 == ord("-")))
            & (char(3) == ord(":"))
            & digit(5)
            & digit(4)
            & digit(2)
            & digit(1)
        )
        has_compact = (
            ~has_colon
            & ((sign5 == ord("+")) | (sign5 == ord("-")))
            & digit(4)
            & digit(3)
            & digit(2)
            & digit(1)
        )
        minutes = (value(2) * 10 + value(1)) * 60
        colon_value = (value(5) * 10 + value(4)) * 3600 + minutes
        compact_value = (value(4) * 10 + value(3)) * 3600 + minutes
        sub_offset = np.where(
            has_colon,
            np.where(sign6 == ord("-"), -colon_value, colon_value),
            np.where(has_compact, np.where(sign5 == ord("-"), -compact_value, compact_value), 0),
        )
        offset[other] = sub_offset
        colon[other] = has_colon
        compact[other] = has_compact
        cut[other] = sub_len - np.where(has_colon, 6, np.where(has_compact, 5, 0))
    mat[np.arange(width)[None, :] >= cut[:, None]] = 0
    body = mat.view(raw.dtype).reshape(n)
    return body, offset, zulu | colon | compact


def parse_instants(
    values: Sequence[str] | npt.NDArray[np.object_],
    fmt: str,
    tz: str | None,
    *,
    ignore_offsets: bool = False,
) -> Instants:
    """Parse date-time strings in format ``fmt`` (one of :data:`FORMATS`).

    Empty values give MISSING.  Naive values are read in ``tz``; when ``tz``
    is None they are reported in ``Instants.naive`` (never guessed).  An
    explicit offset (ISO only) wins over ``tz``, unless ``ignore_offsets``:
    then the wall time is read in ``tz`` (for sources that stamp a wrong,
    fixed offset).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown date format {fmt!r}; expected one of {', '.join(FORMATS)}")
    raw = _ascii(values)
    n = len(raw)
    if fmt == "iso":
        body, offset, aware = _split_offsets(raw)
        if ignore_offsets:
            aware = np.zeros(n, dtype=bool)
    else:
        body, offset, aware = _to_iso(raw, fmt), np.zeros(n, np.int64), np.zeros(n, bool)
    naive_seconds, bad = _parse_naive_iso(body)
    present = (naive_seconds != MISSING) & ~bad
    seconds = np.full(n, MISSING, dtype=np.int64)
    explicit = present & aware
    seconds[explicit] = naive_seconds[explicit] - offset[explicit]
    local = present & ~aware
    if tz is not None:
        seconds[local] = local_to_utc(naive_seconds[local], tz)
        unresolved = np.zeros(n, dtype=bool)
    else:
        unresolved = local
    return Instants(
        seconds=seconds,
        invalid=np.flatnonzero(bad).astype(np.int64),
        naive=np.flatnonzero(unresolved).astype(np.int64),
    )
