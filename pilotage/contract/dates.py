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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from pilotage.contract.units import parse_duration

__all__ = ["Deadline", "TermDates", "add_months", "contract_deadlines", "term_dates"]


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


@dataclass(frozen=True)
class Deadline:
    """A date that matters, of a ``kind`` with the parameters its message needs.

    Kinds: ``term_end`` (the contract ends), ``renewal`` (it renews unless
    notice is given), ``notice_customer`` and ``notice_provider`` (last day to
    give notice), ``tender`` (last day to launch a tender for the successor),
    ``indexation`` (price revision), ``committee`` and ``report`` (due dates).
    """

    day: dt.date
    kind: str
    params: Mapping[str, Any]


_CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


def _months(text: Any) -> int:
    """Whole months of a duration (``3mo`` -> 3, ``90d`` -> 3); 0 when absent."""
    if not text:
        return 0
    duration = parse_duration(str(text))
    if duration.unit == "mo":
        return int(duration.amount)
    if duration.unit == "d":
        return int(duration.amount) // 30
    raise ValueError(f"a period is counted in days or months, not {text}")


def _business_days(
    document: Mapping[str, Any], first: dt.date, last: dt.date
) -> Callable[[dt.date, int], dt.date]:
    """A function ``(day, n) -> date``: the n-th open day after ``day`` on ``business``."""
    from pilotage.engine.calendar import Calendar

    calendars = document.get("calendars") or {}
    spec = calendars.get("business") or {"hours": {"mon-fri": ["00:00-24:00"]}}
    timezone = document.get("contract", {}).get("timezone") or "UTC"
    spec = {k: v for k, v in spec.items() if not str(k).startswith("x-")}
    calendar = Calendar.from_spec(
        spec, default_timezone=timezone, years=(first.year, last.year + 1)
    )
    zone = calendar.timezone

    def after(day: dt.date, n: int) -> dt.date:
        noon = int(dt.datetime.combine(day, dt.time(12), tzinfo=zone).timestamp())
        end = int(calendar.end_of_open_day(np.array([noon], dtype=np.int64), n)[0])
        return dt.datetime.fromtimestamp(end - 1, zone).date()

    return after


def _period_ends(first: dt.date, last: dt.date, every: int) -> list[dt.date]:
    """Last days of the periods of ``every`` months (aligned on the year) ending in range."""
    ends = []
    month = dt.date(first.year, 1, 1)
    while month <= last:
        month = add_months(month, every)
        end = month - dt.timedelta(days=1)
        if first <= end <= last:
            ends.append(end)
    return ends


def contract_deadlines(
    document: Mapping[str, Any],
    today: dt.date,
    *,
    tender_months: int = 4,
    until: dt.date | None = None,
) -> list[Deadline]:
    """Every date that matters from ``today`` to ``until`` (default: the current term's end).

    - the term's end or renewal, and each party's last day to give notice;
    - the last day to launch a tender: the customer's notice deadline minus
      ``tender_months`` minus the exit transition (``reversibility.transition``);
    - price revisions every ``indexation.every`` from the term's start;
    - reports due ``reporting.due`` business days after each period, and each
      committee on the first open day after its period's report is due (the
      fifth open day after the period without reporting).

    Dates are sorted by day then kind; dates before ``today`` are left out.
    """
    term = term_dates(document, today)
    if term is None:
        return []
    last = until or term.term_end
    contract = document.get("contract", {})
    term_spec = contract.get("term", {})
    found = [
        Deadline(
            term.term_end,
            "renewal" if term.renews else "term_end",
            {"renewal_term": str(term_spec.get("renewal_term", ""))},
        )
    ]
    notice = term_spec.get("notice") or {}
    for party, day in (
        ("customer", term.customer_notice_by),
        ("provider", term.provider_notice_by),
    ):
        if day is not None:
            params = {"notice": str(notice.get(party)), "term_end": term.term_end}
            found.append(Deadline(day, f"notice_{party}", params))
    if term.customer_notice_by is not None:
        transition = _months((document.get("reversibility") or {}).get("transition"))
        params = {
            "tender_months": tender_months,
            "transition_months": transition,
            "notice_by": term.customer_notice_by,
        }
        tender = add_months(term.customer_notice_by, -(tender_months + transition))
        found.append(Deadline(tender, "tender", params))
    indexation = (contract.get("price") or {}).get("indexation") or {}
    start, every = term_spec.get("start"), _months(indexation.get("every"))
    if every and isinstance(start, dt.date):
        step = 1
        while (day := add_months(start, every * step)) <= last:
            params = {
                "index": str(indexation.get("index", "")),
                "base": str(indexation.get("base_month", "")),
            }
            found.append(Deadline(day, "indexation", params))
            step += 1
    found += _governance_deadlines(document, today, last)
    return sorted((d for d in found if today <= d.day), key=lambda d: (d.day, d.kind))


def _governance_deadlines(
    document: Mapping[str, Any], today: dt.date, last: dt.date
) -> list[Deadline]:
    governance = document.get("governance") or {}
    reporting = governance.get("reporting") or {}
    committees = [c for c in governance.get("committees") or [] if isinstance(c, dict)]
    if not reporting and not committees:
        return []
    first = add_months(today, -12)
    after = _business_days(document, first, add_months(last, 2))
    due = parse_duration(str(reporting["due"])) if reporting.get("due") else None
    report_days = int(due.amount) if due is not None and due.unit == "bd" else 5
    found: list[Deadline] = []
    frequency = _CADENCE_MONTHS.get(str(reporting.get("frequency")))
    if frequency:
        for end in _period_ends(first, last, frequency):
            found.append(Deadline(after(end, report_days), "report", {"period_end": end}))
    for committee in committees:
        months = _CADENCE_MONTHS.get(str(committee.get("cadence")))
        if not months:
            continue
        for end in _period_ends(first, last, months):
            day = after(after(end, report_days), 1) if frequency else after(end, 5)
            params = {
                "name": str(committee.get("name")),
                "period_end": end,
                "minutes_within": str(committee.get("minutes_within", "")),
            }
            found.append(Deadline(day, "committee", params))
    return [d for d in found if d.day <= last]
