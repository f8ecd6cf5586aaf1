"""What the engine returns: plain, immutable values that reports render.

Every ratio and amount is a Decimal; instants are UTC epoch seconds.  A
result says how it was computed (its inputs and terms), never how to show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

__all__ = ["PenaltyLine", "WindowResult"]

Status = Literal["met", "breached", "no_data"]
Finality = Literal["provisional", "final"]


@dataclass(frozen=True)
class WindowResult:
    """One service level over one measurement window.

    ``value`` is the measured ratio (compliance for ticket levels, availability
    or backup success for the others) and ``objective`` the ratio it is
    compared with.  ``details`` holds metric-specific figures (for
    availability: ``measured_seconds``, ``downtime_seconds``, ``outages``...).
    """

    level_id: str
    window: str
    """Label: ``2026-10`` (month), ``2026-Q4`` (quarter) or ``2026`` (year)."""
    start: int
    end: int
    """End of the window, exclusive (UTC epoch seconds)."""
    metric: str
    eligible: int
    met: int
    breached: int
    value: Decimal | None
    objective: Decimal | None
    allowed_breaches: int | None
    status: Status
    finality: Finality
    terms_hash: str
    """Hash of the contract version whose per-window terms apply."""
    waived: int = 0
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PenaltyLine:
    """One amount of a penalty statement, with how it was computed.

    ``formula`` is a code (rendered by the report in the user's language) and
    ``inputs`` the numbers that went into it, as Decimal or int.
    """

    level_id: str
    window: str
    formula: str
    inputs: Mapping[str, Any]
    gross: Decimal
    """Before caps, not rounded."""
    after_level_cap: Decimal
    after_monthly_cap: Decimal
    amount: Decimal
    """Rounded to the cent, half up, once, after the caps."""
    notes: tuple[str, ...] = ()
    month: str = ""
    """The statement month the amount is due in (``2026-10``): the window's own
    month, or for a quarter or a year the month of its last day."""
