"""Rounding half up to the cent, once, and shares that add up to their total."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.engine.money import round_cents, share_largest_remainder, to_decimal

D = Decimal


def test_half_up_differs_from_float_rounding() -> None:
    # As a float 2.675 is 2.67499999..., so round() gives 2.67; the contract's rule gives 2.68.
    assert round(2.675, 2) == 2.67
    assert round_cents(D("2.675")) == D("2.68")
    assert round_cents(D("2.665")) == D("2.67")  # half up, not half even
    assert round_cents(D("2.6749")) == D("2.67")


def test_floats_are_refused_as_money() -> None:
    with pytest.raises(TypeError):
        to_decimal(2.675)  # type: ignore[arg-type]
    assert to_decimal("2.675") == D("2.675")


def test_shares_add_up_with_the_largest_remainder() -> None:
    shares = share_largest_remainder(D("100.00"), [D(1), D(1), D(1)])
    assert shares == [D("33.34"), D("33.33"), D("33.33")]
    assert sum(shares) == D("100.00")


def test_a_share_worth_whole_cents_gets_no_extra_cent() -> None:
    shares = share_largest_remainder(D("0.03"), [D("0.015"), D("0.005"), D("0.01")])
    assert shares == [D("0.02"), D("0.00"), D("0.01")]  # tie: the earliest line
    assert share_largest_remainder(D("10.01"), [D("10.00"), D("0.006")]) == [
        D("10.00"),
        D("0.01"),
    ]


def test_a_total_that_is_not_whole_cents_is_refused() -> None:
    with pytest.raises(ValueError):
        share_largest_remainder(D("1.005"), [D(1)])


@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12),
)
def test_shares_always_add_up(total_cents: int, weights: list[int]) -> None:
    if sum(weights) == 0:
        weights = [*weights[:-1], 1]
    total = D(total_cents) / 100
    shares = share_largest_remainder(total, [D(w) / 1000 for w in weights])
    assert sum(shares) == total
    assert all(s >= 0 and s == s.quantize(D("0.01")) for s in shares)
    exact = [total * w / sum(weights) for w in weights]
    assert all(abs(s - e) < D("0.01") for s, e in zip(shares, exact, strict=True))
