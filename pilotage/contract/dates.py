"""Dates that matter in a contract: term ends, renewals and notice deadlines.

Conventions: a term of ``36mo`` from 2026-01-01 ends at the start of
2029-01-01 (its last day is 2028-12-31).  The last day a party can give
notice is the day before ``end - notice``: with 3 months' notice, notice
given on 2028-09-30 at the latest.  With tacit renewal the contract renews
for ``renewal_term`` at each end unless notice was given.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pilotage.contract.units import parse_duration

__all__ = ["TermDates", "add_months", "term_dates"]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _shift(day: dt.date, text: Any, sign: int) -> dt.date:
    duration = parse_duration(str(text))
    amount = int(duration.amount)
    if duration.unit == "mo":
        return add_months(day, sign * amount)
    if duration.unit == "d":
        return day + dt.timedelta(days=sign * amount)
    raise ValueError(f"a term is counted in days or months, not {text}")


@dataclass(frozen=True)
class TermDates:
    """The current term's end and the last days to give notice, at a given date."""

    term_end: dt.date
    """First day after the current term (exclusive end)."""
    renews: bool
    """The contract renews at ``term_end`` unless notice is given."""
    customer_notice_by: dt.date | None
    provider_notice_by: dt.date | None


def term_dates(document: Mapping[str, Any], today: dt.date) -> TermDates | None:
    """The term in progress at ``today`` (or the first one), from a resolved document."""
    term = document.get("contract", {}).get("term") or {}
    start, initial = term.get("start"), term.get("initial")
    if start is None or initial is None:
        return None
    start = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
    end = _shift(start, initial, 1)
    renewal = term.get("renewal", "none")
    renewal_term = term.get("renewal_term")
    while renewal == "tacit" and renewal_term and end <= today:
        end = _shift(end, renewal_term, 1)
    notice = term.get("notice") or {}

    def notice_by(party: str) -> dt.date | None:
        if party not in notice:
            return None
        return _shift(end, notice[party], -1) - dt.timedelta(days=1)

    return TermDates(
        term_end=end,
        renews=renewal == "tacit",
        customer_notice_by=notice_by("customer"),
        provider_notice_by=notice_by("provider"),
    )
