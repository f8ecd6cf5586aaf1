"""local_to_utc agrees with zoneinfo everywhere; parse_instants reads every export format."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.tables import MISSING
from pilotage.timeutil import local_to_utc, parse_instants, utc_to_local

ZONES = [
    "Europe/Paris",
    "America/New_York",
    "Australia/Lord_Howe",  # 30-minute DST shift
    "Pacific/Chatham",
    "America/Sao_Paulo",  # DST abolished in 2019
    "Asia/Kolkata",
    "Africa/Casablanca",  # Ramadan transitions, negative DST
    "Pacific/Apia",  # skipped a whole day in 2011
    "UTC",
]
EPOCH = dt.datetime(1970, 1, 1)


def _reference(naive: int, tz: str) -> int:
    wall = EPOCH + dt.timedelta(seconds=naive)
    return int(wall.replace(tzinfo=zoneinfo.ZoneInfo(tz)).timestamp())


def _transition_walls(tz: str, years: range) -> list[int]:
    """Wall times (as if UTC) just around each offset change of ``tz`` in ``years``."""
    zone = zoneinfo.ZoneInfo(tz)
    out: list[int] = []
    start = int(dt.datetime(years.start, 1, 1, tzinfo=dt.UTC).timestamp())
    end = int(dt.datetime(years.stop, 1, 1, tzinfo=dt.UTC).timestamp())
    previous = dt.datetime.fromtimestamp(start, zone).utcoffset()
    for ts in range(start, end, 3600):
        offset = dt.datetime.fromtimestamp(ts, zone).utcoffset()
        if offset != previous:
            assert offset is not None and previous is not None
            for edge in (previous, offset):
                wall = ts + int(edge.total_seconds())
                out.extend(wall + d for d in (-3601, -1800, -1, 0, 1, 900, 1800, 3599, 3600))
            previous = offset
    return out


@pytest.mark.parametrize("tz", ZONES)
def test_dst_edges_match_zoneinfo(tz: str) -> None:
    walls = _transition_walls(tz, range(2008, 2013)) + _transition_walls(tz, range(2035, 2037))
    if tz not in ("UTC", "Asia/Kolkata"):
        assert walls
    got = local_to_utc(np.array(walls, dtype=np.int64), tz)
    assert got.tolist() == [_reference(w, tz) for w in walls]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.lists(st.integers(-2_000_000_000, 4_200_000_000), min_size=1, max_size=40),
)
def test_random_instants_match_zoneinfo(tz: str, walls: list[int]) -> None:
    got = local_to_utc(np.array(walls, dtype=np.int64), tz)
    assert got.tolist() == [_reference(w, tz) for w in walls]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.lists(st.integers(-2_000_000_000, 4_200_000_000), min_size=1, max_size=40),
)
def test_utc_to_local_matches_zoneinfo(tz: str, instants: list[int]) -> None:
    zone = zoneinfo.ZoneInfo(tz)
    expected = [
        int(dt.datetime.fromtimestamp(t, zone).replace(tzinfo=dt.UTC).timestamp()) for t in instants
    ]
    assert utc_to_local(np.array(instants, dtype=np.int64), tz).tolist() == expected


def test_gap_moves_forward_and_fold_takes_first() -> None:
    paris = "Europe/Paris"
    gap = int(dt.datetime(2026, 3, 29, 2, 30, tzinfo=dt.UTC).timestamp())
    fold = int(dt.datetime(2026, 10, 25, 2, 30, tzinfo=dt.UTC).timestamp())
    got = local_to_utc(np.array([gap, fold, MISSING], dtype=np.int64), paris)
    assert got[0] == int(dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC).timestamp())  # 03:30 CEST
    assert got[1] == int(dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC).timestamp())  # CEST
    assert got[2] == MISSING


def _utc(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=dt.UTC).timestamp())


def test_iso_with_and_without_offset() -> None:
    r = parse_instants(
        [
            "2026-01-15 10:00:00",
            "2026-01-15T10:00:00Z",
            "2010-03-31T15:59:42+01:00",
            "2026-07-01T08:00:00-0230",
            "2026-01-15T10:00:00.750",
            "",
            "2026-02-30 10:00:00",
            "today",
            "15/01/2026",
        ],
        "iso",
        "Europe/Paris",
    )
    assert r.seconds[:6].tolist() == [
        _utc(2026, 1, 15, 9),
        _utc(2026, 1, 15, 10),
        _utc(2010, 3, 31, 14, 59, 42),
        _utc(2026, 7, 1, 10, 30),
        _utc(2026, 1, 15, 9),
        MISSING,
    ]
    assert r.invalid.tolist() == [6, 7, 8]
    assert r.naive.size == 0


def test_naive_without_timezone_is_reported_not_guessed() -> None:
    r = parse_instants(["2026-01-15 10:00:00", "2026-01-15T10:00:00Z"], "iso", None)
    assert r.naive.tolist() == [0]
    assert r.seconds.tolist() == [MISSING, _utc(2026, 1, 15, 10)]


def test_day_first_with_and_without_padding() -> None:
    r = parse_instants(
        ["05/02/2012 13:32:57", "5/2/2012 3:02", "31/12/2013", "32/01/2012 10:00", "2012/01/01"],
        "dmy",
        "UTC",
    )
    assert r.seconds[:3].tolist() == [
        _utc(2012, 2, 5, 13, 32, 57),
        _utc(2012, 2, 5, 3, 2),
        _utc(2013, 12, 31),
    ]
    assert r.invalid.tolist() == [3, 4]


def test_unambiguous_iso_is_accepted_in_every_format() -> None:
    for fmt in ("dmy", "dmy_dash", "ymd_slash"):
        r = parse_instants(["2012-02-05T13:32:57", "2012-02-05", "2012-02-05 13:32"], fmt, "UTC")
        assert r.seconds[:2].tolist() == [_utc(2012, 2, 5, 13, 32, 57), _utc(2012, 2, 5)], fmt
        assert r.invalid.tolist() == [2], fmt


def test_dash_and_slash_formats() -> None:
    r = parse_instants(["30-8-2012 7:00", "1-6-2012 0:00", "2012/10/09"], "dmy_dash", "UTC")
    assert r.seconds[:2].tolist() == [_utc(2012, 8, 30, 7), _utc(2012, 6, 1)]
    assert r.invalid.tolist() == [2]
    r = parse_instants(["2012/10/09 14:50:17.000", "2012/10/09 14:50"], "ymd_slash", "UTC")
    assert r.seconds.tolist() == [_utc(2012, 10, 9, 14, 50, 17), _utc(2012, 10, 9, 14, 50)]


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown date format"):
        parse_instants(["x"], "mdy", "UTC")


def test_detect_format() -> None:
    from pilotage.timeutil import detect_format

    assert detect_format(["", "2026-01-05 08:12"]) == "iso"
    assert detect_format(["5/1/2026 8:12", "13/01/2026 08:12:00"]) == "dmy"
    assert detect_format(["05-01-2026 08:12"]) == "dmy_dash"
    assert detect_format(["2012/10/09 14:50:17.000"]) == "ymd_slash"
    assert detect_format(["", " "]) is None
    assert detect_format(["01/13/2026"]) is None  # month first is not a supported form
