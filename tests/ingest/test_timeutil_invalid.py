"""Impossible dates are reported, never handed to NumPy's datetime cast.

NumPy 2.4 crashes the process when a byte-string array cast to datetime64
meets an impossible date after a few hundred valid ones; the parser checks
shapes and ranges first.
"""

from __future__ import annotations

import numpy as np
import pytest

from pilotage.timeutil import parse_instants

GOOD = "2026-01-01T10:00:00"


@pytest.mark.parametrize(
    "bad",
    [
        "2026-02-31T10:00:00",
        "2023-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-01-01T24:00",
        "2026-01-01T10:60",
        "2026-01-01T10:00:61",
        "2026-01-01T10:00:00.",
        "2026-01-01X10:00",
        "2026-1-01",
    ],
)
def test_an_impossible_date_after_many_valid_ones_is_reported(bad: str) -> None:
    values = [GOOD] * 2000 + [bad] + [GOOD]
    result = parse_instants(values, "iso", "Europe/Paris")
    assert result.invalid.tolist() == [2000]
    assert (result.seconds[:2000] == result.seconds[0]).all()
    assert result.seconds[2001] == result.seconds[0]


def test_valid_variants_are_accepted() -> None:
    values = ["2024-02-29", "2024-02-29 23:59", "2024-02-29T23:59:59", "2024-02-29T23:59:59.125"]
    result = parse_instants(values * 300, "iso", "UTC")
    assert result.invalid.size == 0
    assert np.diff(result.seconds[:4]).tolist() == [86340, 59, 0]
