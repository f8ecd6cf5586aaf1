"""The units of the contract format: percentages, durations and amounts.

``95%`` and ``0.5%`` are percentages (read as Decimal fractions), ``30min``,
``4h``, ``3d``, ``5bd`` and ``3mo`` are durations, amounts are plain numbers.
The regular expressions here are the ones the published schema uses.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Final, cast

from pilotage.contract.model import Duration, DurationUnit

__all__ = [
    "DAYS",
    "DURATION_PATTERN",
    "DURATION_UNITS",
    "PERCENT_PATTERN",
    "parse_amount",
    "parse_days",
    "parse_duration",
    "parse_percent",
]

DURATION_UNITS: Final = ("s", "min", "h", "d", "bd", "mo")
PERCENT_PATTERN: Final = r"^[0-9]+(\.[0-9]+)?%$"
DURATION_PATTERN: Final = r"^[0-9]+(\.[0-9]+)?(s|min|h|d|bd|mo)$"

_PERCENT = re.compile(PERCENT_PATTERN)
_DURATION = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(s|min|h|d|bd|mo)$")


def parse_percent(text: str) -> Decimal:
    """``"95%"`` -> ``Decimal("0.95")`` (``ValueError`` when not a percentage)."""
    if not isinstance(text, str) or not _PERCENT.match(text):
        raise ValueError(f"not a percentage: {text!r}")
    return Decimal(text[:-1]) / 100


def parse_duration(text: str) -> Duration:
    """``"30min"`` -> ``Duration(Decimal(30), "min")`` (``ValueError`` otherwise)."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not a duration: {text!r}")
    return Duration(Decimal(match.group(1)), cast(DurationUnit, match.group(2)))


def parse_amount(value: object) -> Decimal:
    """A plain number as a Decimal (``ValueError`` for booleans, strings, NaN)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise ValueError(f"not an amount: {value!r}")
    try:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {value!r}") from error
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return amount


DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_days(text: str) -> tuple[int, ...]:
    """``"mon-fri"`` -> ``(1, 2, 3, 4, 5)``: ISO weekdays of a list of days and ranges.

    A range may wrap around the week (``fri-mon``).  ``ValueError`` when malformed.
    """
    result: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(f"not a list of days: {text!r}")
        start = DAYS.index(first)
        end = DAYS.index(last) if last else start
        span = (end - start) % 7
        result.update((start + offset) % 7 + 1 for offset in range(span + 1))
    return tuple(sorted(result))
