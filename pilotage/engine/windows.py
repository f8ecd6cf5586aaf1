"""Measurement windows: months, quarters and years in the contract's timezone.

A window is a half-open interval ``[start, end)`` of UTC epoch seconds whose
bounds are local midnights on the first day of a month, quarter or year.
Windows are few (a handful per year), so they are built with a plain loop;
assigning instants to them is a vectorized search.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from pilotage.tables import MISSING

__all__ = ["WindowGrid", "window_grid", "window_label"]

I64 = npt.NDArray[np.int64]

_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def _first_month(kind: str, year: int, month: int) -> tuple[int, int]:
    step = _MONTHS[kind]
    return year, month - (month - 1) % step


def _label(kind: str, year: int, month: int) -> str:
    if kind == "month":
        return f"{year:04d}-{month:02d}"
    if kind == "quarter":
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    return f"{year:04d}"


def _epoch(tz: ZoneInfo, year: int, month: int) -> int:
    return int(dt.datetime(year, month, 1, tzinfo=tz).timestamp())


def window_label(kind: str, timezone: str, instant: int) -> str:
    """Label of the window of ``kind`` containing one UTC instant."""
    local = dt.datetime.fromtimestamp(instant, ZoneInfo(timezone))
    year, month = _first_month(kind, local.year, local.month)
    return _label(kind, year, month)


@dataclass(frozen=True, eq=False)
class WindowGrid:
    """Consecutive windows of one kind: window ``i`` is ``[edges[i], edges[i+1])``."""

    kind: str
    labels: tuple[str, ...]
    edges: I64

    def __len__(self) -> int:
        return len(self.labels)

    def index(self, instants: I64) -> I64:
        """Window index of each instant; -1 outside the grid or for MISSING."""
        idx = np.searchsorted(self.edges, instants, side="right") - 1
        outside = (idx < 0) | (idx >= len(self.labels)) | (instants == MISSING)
        return np.where(outside, -1, idx).astype(np.int64)


def window_grid(kind: str, timezone: str, first: int, last: int) -> WindowGrid:
    """The windows of ``kind`` from the one containing ``first`` to the one containing ``last``."""
    if kind not in _MONTHS:
        raise ValueError(f"unknown window kind {kind!r}")
    tz = ZoneInfo(timezone)
    a = dt.datetime.fromtimestamp(first, tz)
    b = dt.datetime.fromtimestamp(max(first, last), tz)
    year, month = _first_month(kind, a.year, a.month)
    labels: list[str] = []
    edges: list[int] = []
    step = _MONTHS[kind]
    while (year, month) <= (b.year, b.month):
        labels.append(_label(kind, year, month))
        edges.append(_epoch(tz, year, month))
        month += step
        if month > 12:
            year, month = year + 1, month - 12
    edges.append(_epoch(tz, year, month))
    return WindowGrid(kind, tuple(labels), np.array(edges, dtype=np.int64))
