"""Measurement windows in the contract's timezone."""

from __future__ import annotations

import numpy as np
import pytest

from pilotage.engine.windows import window_grid, window_label
from pilotage.tables import MISSING
from tests.engine.builders import at

PARIS = "Europe/Paris"


def test_months_start_at_local_midnight_across_daylight_saving() -> None:
    grid = window_grid("month", PARIS, at(2026, 2, 15), at(2026, 4, 2))
    assert grid.labels == ("2026-02", "2026-03", "2026-04")
    assert grid.edges.tolist() == [
        at(2026, 2, 1),
        at(2026, 3, 1),
        at(2026, 4, 1),
        at(2026, 5, 1),
    ]
    # March 2026 is one hour short: summer time starts on the 29th.
    assert grid.edges[2] - grid.edges[1] == 31 * 86_400 - 3600


def test_quarters_and_years() -> None:
    quarters = window_grid("quarter", PARIS, at(2026, 2, 1), at(2026, 10, 1))
    assert quarters.labels == ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
    assert quarters.edges[-1] == at(2027, 1, 1)
    years = window_grid("year", PARIS, at(2025, 6, 1), at(2026, 6, 1))
    assert years.labels == ("2025", "2026")


def test_index_of_instants() -> None:
    grid = window_grid("month", PARIS, at(2026, 1, 1), at(2026, 2, 1) - 1)
    instants = np.array(
        [at(2026, 1, 1), at(2026, 1, 31, 23, 59), at(2026, 2, 1), at(2025, 12, 31), MISSING]
    )
    assert grid.index(instants).tolist() == [0, 0, -1, -1, -1]


def test_new_year_midnight_in_paris_is_still_december_in_utc() -> None:
    instant = at(2026, 1, 1, 0, 30)
    assert window_label("month", PARIS, instant) == "2026-01"
    assert window_label("month", "UTC", instant) == "2025-12"
    assert window_label("quarter", PARIS, at(2026, 8, 10)) == "2026-Q3"


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        window_grid("week", PARIS, 0, 1)
