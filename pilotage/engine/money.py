"""Decimal money helpers: one rounding rule, and shares that add up.

Amounts are :class:`~decimal.Decimal` in the contract's currency, never float.
A penalty is computed exactly, then rounded to the cent *half up*, once, at
the end.  When a total is shared back across lines (a monthly cap spread over
service levels, a statement split per line) the shares are rounded with the
largest-remainder method so that the rounded lines add up to the rounded total.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

__all__ = ["CENT", "RESIDUE", "round_cents", "share_largest_remainder", "snap", "to_decimal"]

CENT = Decimal("0.01")
_PRECISION = 50
"""Digits kept by intermediate products and quotients (well beyond any amount)."""

RESIDUE = Decimal("1e-12")
"""Amounts are kept exact to this fraction of the currency unit (see :func:`snap`)."""


def to_decimal(value: Decimal | int | str) -> Decimal:
    """An exact Decimal from an int, a Decimal or a decimal string (floats are refused)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"money must be Decimal, int or str, not {type(value).__name__}")
    return Decimal(value)


def snap(amount: Decimal) -> Decimal:
    """``amount`` to the nearest :data:`RESIDUE` (half up).

    Ratios such as 2/3 reach the engine as Decimal quotients rounded at 28
    digits, so an amount whose exact value is a half cent can come out as
    ``...4999999999999999`` and then round down.  Amounts computed from
    contract terms and counts are exact far above 1e-12, so snapping there
    removes only that residue and keeps a half cent a half cent.
    """
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return amount.quantize(RESIDUE, rounding=ROUND_HALF_UP)


def round_cents(amount: Decimal) -> Decimal:
    """``amount`` rounded to the cent, half up (away from zero on a tie)."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def share_largest_remainder(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` (a whole number of cents) pro rata to ``weights``.

    Each share is first rounded down to the cent; the cents left over go one
    by one to the shares with the largest remainders (the earliest on a tie),
    so the shares always add up to ``total`` exactly.  A share whose exact
    value is a whole number of cents never receives an extra cent.  Weights
    must be non-negative; if they are all zero, ``total`` must be zero.
    """
    if total != total.quantize(CENT):
        raise ValueError(f"total is not a whole number of cents: {total}")
    if any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative")
    if total < 0:
        raise ValueError("total must be non-negative")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        weight_sum = sum(weights, Decimal(0))
        if weight_sum == 0:
            if total != 0:
                raise ValueError("cannot share a non-zero total over zero weights")
            return [Decimal("0.00") for _ in weights]
        exact = [total * w / weight_sum for w in weights]
        floors = [e.quantize(CENT, rounding=ROUND_FLOOR) for e in exact]
        left = int((total - sum(floors, Decimal(0))) / CENT)
        order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
        for i in order[:left]:
            floors[i] += CENT
        return floors
