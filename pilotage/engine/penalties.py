"""Penalties of breached windows, caps, grace, persistent breach and claim deadlines.

How a statement is computed (DESIGN.md, "SLA semantics"):

1. Only windows whose status is ``breached`` owe anything.  Their terms come
   from the contract version in force at the window's first instant.
2. Each formula of the level gives one line: ``per_breach`` x the window's
   breached count; ``per_point_below`` x basis x points below the objective
   (``(objective - value) x 100``, fractions count pro rata); or the lowest
   band crossed (``value < below``, strictly) x basis.  The basis is the
   monthly fee in force over the window, averaged by days when an amendment
   changed it inside the window (a monthly amount, also for quarter windows).
3. Grace: the share of the window's days that falls in the contract's first
   ``grace_months`` months (from ``term.start``) owes nothing.
4. The level's cap (an amount, a fraction of the basis, or the smaller of the
   two), shared back over the level's lines pro rata.
5. Windows are grouped by statement month (the month of the window's last
   instant, contract timezone).  The monthly cap (``monthly_cap`` x the fee
   in force over that month) is shared back over the month's lines pro rata.
6. Everything so far is exact Decimal (each formula's amount is snapped to
   1e-12 of the currency unit to drop the residue of ratios such as 2/3, see
   :func:`~pilotage.engine.money.snap`).  Each month's total is rounded to the
   cent, half up, once; it is then shared over the month's level windows and
   each window's share over its lines with the largest-remainder method, so
   the lines add up to the total and never exceed a cap.  Caps are themselves
   whole cents (a fraction of the fee is rounded half up to the cent).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from typing import Any
from zoneinfo import ZoneInfo

from pilotage import i18n
from pilotage.contract.model import Cap, Contract, Duration, PenaltyTerms, ServiceLevel
from pilotage.engine.money import round_cents, share_largest_remainder, snap
from pilotage.engine.results import PenaltyLine, WindowResult
from pilotage.errors import EngineError

__all__ = [
    "ClaimDeadline",
    "MonthTotal",
    "PenaltyStatement",
    "PersistentBreach",
    "StatementNote",
    "claim_deadlines",
    "compute_penalties",
    "persistent_breaches",
]

MESSAGES = {
    "penalty.per_breach": {
        "en": "{count} breached tickets x {unit}",
        "fr": "{count} tickets hors délai × {unit}",
    },
    "penalty.per_point_below": {
        "en": "{fee} x {rate} per point x {points} points below the objective of {objective}",
        "fr": "{fee} × {rate} par point × {points} points sous l’objectif de {objective}",
    },
    "penalty.band": {
        "en": "{value} is below {below}: {rate} of {fee}",
        "fr": "{value} est inférieur à {below} : {rate} de {fee}",
    },
    "penalty.note.grace": {
        "en": "{level}, {window}: no penalty during the first {months} months of the contract",
        "fr": "{level}, {window} : pas de pénalité pendant les {months} premiers mois du contrat",
    },
    "penalty.note.level_cap": {
        "en": "{level}, {window}: penalty capped at {cap}",
        "fr": "{level}, {window} : pénalité plafonnée à {cap}",
    },
    "penalty.note.monthly_cap": {
        "en": "{month}: monthly cap of {cap} reached, shared across service levels pro rata",
        "fr": "{month} : plafond mensuel de {cap} atteint, réparti entre les niveaux "
        "de service au prorata",
    },
    "penalty.note.no_band": {
        "en": "{level}, {window}: {value} crosses no penalty band",
        "fr": "{level}, {window} : {value} ne franchit aucune tranche de pénalité",
    },
    "penalty.note.no_clause": {
        "en": "{level}, {window}: breached, but the contract sets no penalty for this level",
        "fr": "{level}, {window} : non tenu, mais le contrat ne prévoit pas de pénalité "
        "pour ce niveau",
    },
    "penalty.note.provisional": {
        "en": "{level}, {window}: the window is not closed yet, the amount is provisional",
        "fr": "{level}, {window} : la période n’est pas close, le montant est provisoire",
    },
    "penalty.note.unknown_level": {
        "en": "{level}, {window}: no such service level in the version in force",
        "fr": "{level}, {window} : ce niveau de service n’existe pas dans la version en vigueur",
    },
    "penalty.persistent.reached": {
        "en": "{level}: {streak} consecutive breached months ({first} to {last}), "
        "{required} give a termination right",
        "fr": "{level} : {streak} mois consécutifs non tenus ({first} à {last}), "
        "{required} ouvrent un droit de résiliation",
    },
    "penalty.persistent.streak": {
        "en": "{level}: {streak} breached months out of the {required} consecutive ones "
        "that give a termination right",
        "fr": "{level} : {streak} mois non tenus sur les {required} consécutifs "
        "qui ouvrent un droit de résiliation",
    },
    "penalty.persistent.any_level": {
        "en": "any service level",
        "fr": "tout niveau de service",
    },
    "penalty.claim_deadline": {
        "en": "Penalties of {month} ({amount}) to be claimed by {date}",
        "fr": "Pénalités de {month} ({amount}) à réclamer au plus tard le {date}",
    },
    "engine.penalty.unsupported_duration": {
        "en": "the duration {duration} cannot be used here: write it in days (d) or "
        "whole months (mo)",
        "fr": "la durée {duration} ne peut pas être utilisée ici : écrivez-la en jours (d) "
        "ou en mois entiers (mo)",
    },
}
i18n.register(MESSAGES)

_MONTH_LABEL = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True)
class StatementNote:
    """Something the reader of a statement must know: a message code and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MonthTotal:
    """The penalties of one statement month (``2026-10``)."""

    month: str
    before_cap: Decimal
    """Sum after the levels' caps, before the monthly cap (exact, not rounded)."""
    cap: Decimal | None
    """The monthly cap in whole cents, None when the contract sets none."""
    capped: bool
    total: Decimal
    """Rounded once, half up; the month's line amounts add up to it."""


@dataclass(frozen=True)
class PenaltyStatement:
    """Every penalty line of a contract's results, with monthly totals."""

    contract_id: str
    currency: str
    lines: tuple[PenaltyLine, ...]
    months: tuple[MonthTotal, ...]
    uncapped_total: Decimal
    """The lines' gross amounts (after grace) added up, rounded to the cent."""
    total: Decimal
    """After every cap: the sum of the months' totals and of the lines' amounts."""
    notes: tuple[StatementNote, ...] = ()


@dataclass(frozen=True)
class PersistentBreach:
    """A streak of consecutive breached months, and the right it gives once long enough.

    ``level_id`` is None when the contract counts breached months of any level.
    """

    level_id: str | None
    months: tuple[str, ...]
    streak: int
    required: int
    reached: bool
    current: bool
    """The streak runs up to the latest month evaluated (it may still grow)."""
    gives: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ClaimDeadline:
    """The last day to claim one month's penalties."""

    month: str
    amount: Decimal
    last_day: dt.date
    code: str = "penalty.claim_deadline"


@dataclass
class _Group:
    """The lines of one breached level window while the statement is computed."""

    result: WindowResult
    month: str
    lines: list[PenaltyLine]


def _local_date(instant: int, zone: ZoneInfo) -> dt.date:
    return dt.datetime.fromtimestamp(instant, zone).date()


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first_next = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return dt.date(year, month + 1, min(day.day, (first_next - dt.timedelta(days=1)).day))


def _window_days(result: WindowResult, zone: ZoneInfo) -> tuple[dt.date, dt.date]:
    """The window's local dates, ``[first, end)``; a window shorter than a day counts one day."""
    first = _local_date(result.start, zone)
    end = _local_date(result.end - 1, zone) + dt.timedelta(days=1)
    return first, end


def _fee_over(contract: Contract, first: dt.date, end: dt.date) -> Decimal:
    """The monthly fee in force over the days ``[first, end)``, averaged by days."""
    versions = contract.versions
    total = Decimal(0)
    days = (end - first).days
    for i, version in enumerate(versions):
        lo = first if i == 0 else max(first, version.effective)
        hi = end if i + 1 == len(versions) else min(end, versions[i + 1].effective)
        if hi > lo:
            total += version.terms.monthly_fee * (hi - lo).days
    with localcontext() as ctx:
        ctx.prec = 50
        return total / days


def _cap_value(cap: Cap | None, basis: Decimal) -> Decimal | None:
    if cap is None:
        return None
    values = []
    if cap.amount is not None:
        values.append(round_cents(cap.amount))
    if cap.fraction_of_fee is not None:
        values.append(round_cents(cap.fraction_of_fee * basis))
    return min(values) if values else None


def _formula_lines(
    level: ServiceLevel, terms: PenaltyTerms, result: WindowResult, basis: Decimal
) -> tuple[list[tuple[str, dict[str, Any], Decimal]], list[StatementNote]]:
    """The raw (formula, inputs, amount) of each formula of the level."""
    lines: list[tuple[str, dict[str, Any], Decimal]] = []
    notes: list[StatementNote] = []
    value, objective = result.value, result.objective
    if objective is None:
        objective = level.objective
    if terms.per_breach is not None:
        count = result.breached
        lines.append(
            (
                "penalty.per_breach",
                {"count": count, "unit": terms.per_breach},
                terms.per_breach * count,
            )
        )
    if terms.per_point_below is not None and value is not None and objective is not None:
        points = max(Decimal(0), (objective - value) * 100)
        lines.append(
            (
                "penalty.per_point_below",
                {
                    "fee": basis,
                    "rate": terms.per_point_below,
                    "points": points,
                    "objective": objective,
                    "value": value,
                },
                basis * terms.per_point_below * points,
            )
        )
    if terms.bands and value is not None:
        crossed = [band for band in terms.bands if value < band.below]
        if crossed:
            band = min(crossed, key=lambda b: b.below)
            lines.append(
                (
                    "penalty.band",
                    {"fee": basis, "below": band.below, "rate": band.penalty, "value": value},
                    basis * band.penalty,
                )
            )
        else:
            notes.append(
                StatementNote(
                    "penalty.note.no_band",
                    {"level": level.id, "window": result.window, "value": value},
                )
            )
    return lines, notes


def _level_window(
    contract: Contract, result: WindowResult, notes: list[StatementNote]
) -> _Group | None:
    """The level window's lines after grace and the level cap (exact amounts)."""
    zone = contract.timezone
    terms = contract.at(result.start).terms
    where = {"level": result.level_id, "window": result.window}
    try:
        level = terms.level(result.level_id)
    except KeyError:
        notes.append(StatementNote("penalty.note.unknown_level", where))
        return None
    if level.penalty is None:
        notes.append(StatementNote("penalty.note.no_clause", where))
        return None
    first, end = _window_days(result, zone)
    basis = _fee_over(contract, first, end)
    raw, formula_notes = _formula_lines(level, level.penalty, result, basis)
    notes.extend(formula_notes)
    if not raw:
        return None
    line_notes: list[str] = []
    if result.finality == "provisional":
        line_notes.append("penalty.note.provisional")
        notes.append(StatementNote("penalty.note.provisional", where))
    grace_months = contract.versions[0].terms.penalties.grace_months
    grace_end = _add_months(contract.versions[0].terms.term_start, grace_months)
    grace_days = max(0, (min(end, grace_end) - first).days)
    payable = Decimal((end - first).days - grace_days) / Decimal((end - first).days)
    if grace_days:
        line_notes.append("penalty.note.grace")
        notes.append(StatementNote("penalty.note.grace", {**where, "months": grace_months}))
    gross = [snap(amount * payable) for _, _, amount in raw]
    cap = _cap_value(level.penalty.cap, basis)
    level_sum = sum(gross, Decimal(0))
    after_cap = gross
    cap_notes: tuple[str, ...] = ()
    if cap is not None and level_sum > cap:
        with localcontext() as ctx:
            ctx.prec = 50
            after_cap = [g * cap / level_sum for g in gross]
        cap_notes = ("penalty.note.level_cap",)
        notes.append(StatementNote("penalty.note.level_cap", {**where, "cap": cap}))
    lines = []
    for (formula, inputs, _), g, a in zip(raw, gross, after_cap, strict=True):
        full_inputs = {**inputs, "basis": basis, "payable_share": payable, "level_cap": cap}
        lines.append(
            PenaltyLine(
                level_id=result.level_id,
                window=result.window,
                formula=formula,
                inputs=full_inputs,
                gross=g,
                after_level_cap=a,
                after_monthly_cap=a,
                amount=Decimal("0.00"),
                notes=(*line_notes, *cap_notes),
            )
        )
    month_day = _local_date(result.end - 1, zone)
    return _Group(result, f"{month_day:%Y-%m}", lines)


def compute_penalties(contract: Contract, results: Sequence[WindowResult]) -> PenaltyStatement:
    """The penalty statement of ``results`` (every level and window) under ``contract``."""
    zone = contract.timezone
    notes: list[StatementNote] = []
    groups: list[_Group] = []
    for result in sorted(results, key=lambda r: (r.start, r.end, r.level_id)):
        if result.status != "breached":
            continue
        group = _level_window(contract, result, notes)
        if group is not None:
            groups.append(group)

    by_month: dict[str, list[_Group]] = defaultdict(list)
    for group in groups:
        by_month[group.month].append(group)
    months: list[MonthTotal] = []
    lines: list[PenaltyLine] = []
    for month in sorted(by_month):
        month_groups = by_month[month]
        first = dt.date(int(month[:4]), int(month[5:]), 1)
        month_start = int(dt.datetime.combine(first, dt.time(), tzinfo=zone).timestamp())
        rules = contract.at(month_start).terms.penalties
        cap = None
        if rules.monthly_cap is not None:
            cap = round_cents(rules.monthly_cap * _fee_over(contract, first, _add_months(first, 1)))
        before = sum((line.after_level_cap for g in month_groups for line in g.lines), Decimal(0))
        capped = False
        if cap is not None and before > cap:
            capped = True
            notes.append(StatementNote("penalty.note.monthly_cap", {"month": month, "cap": cap}))
            with localcontext() as ctx:
                ctx.prec = 50
                for g in month_groups:
                    g.lines = [
                        replace(
                            line,
                            after_monthly_cap=line.after_level_cap * cap / before,
                            notes=(*line.notes, "penalty.note.monthly_cap"),
                        )
                        for line in g.lines
                    ]
        exact = [
            sum((line.after_monthly_cap for line in g.lines), Decimal(0)) for g in month_groups
        ]
        total = round_cents(sum(exact, Decimal(0)))
        for g, share in zip(month_groups, share_largest_remainder(total, exact), strict=True):
            amounts = share_largest_remainder(share, [line.after_monthly_cap for line in g.lines])
            lines.extend(
                replace(line, amount=amount, month=month)
                for line, amount in zip(g.lines, amounts, strict=True)
            )
        months.append(MonthTotal(month, before, cap, capped, total))
    terms = contract.versions[0].terms
    return PenaltyStatement(
        contract_id=contract.id,
        currency=terms.currency,
        lines=tuple(lines),
        months=tuple(months),
        uncapped_total=round_cents(sum((line.gross for line in lines), Decimal(0))),
        total=sum((m.total for m in months), Decimal("0.00")),
        notes=tuple(notes),
    )


def persistent_breaches(
    contract: Contract, results: Sequence[WindowResult]
) -> list[PersistentBreach]:
    """Streaks of consecutive breached months under the contract's persistent-breach rule.

    Only monthly windows count.  Every streak that reached the required length
    is returned (``reached``), and so is the streak still running at the latest
    month when it is shorter (the "2 months out of 3" counter).  With
    ``same_level: false`` a month is breached when any level is breached in it.
    """
    monthly = [r for r in results if _MONTH_LABEL.match(r.window)]
    if not monthly:
        return []
    latest = max(monthly, key=lambda r: r.start)
    version = contract.at(latest.start)
    rules = version.terms.penalties
    required = rules.persistent_consecutive_months
    if required is None:
        return []
    rule_doc = version.terms.document.get("penalties", {}).get("persistent_breach", {})
    gives = str(rule_doc.get("gives", "termination_right"))

    series: dict[str | None, dict[str, tuple[int, int, bool]]] = defaultdict(dict)
    for r in monthly:
        key = r.level_id if rules.persistent_same_level else None
        old = series[key].get(r.window)
        breached = r.status == "breached" or (old is not None and old[2])
        series[key][r.window] = (r.start, r.end, breached)

    found: list[PersistentBreach] = []
    for key in sorted(series, key=lambda k: k or ""):
        windows = sorted(series[key].items(), key=lambda item: item[1][0])
        streaks: list[list[str]] = []
        current: list[str] = []
        previous_end: int | None = None
        for label, (start, end, breached) in windows:
            if not breached or (previous_end is not None and start != previous_end):
                if current:
                    streaks.append(current)
                current = []
            if breached:
                current.append(label)
            previous_end = end
        last_label = windows[-1][0]
        if current:
            streaks.append(current)
        for streak in streaks:
            is_current = streak[-1] == last_label
            reached = len(streak) >= required
            if not reached and not is_current:
                continue
            code = "penalty.persistent.reached" if reached else "penalty.persistent.streak"
            found.append(
                PersistentBreach(
                    level_id=key,
                    months=tuple(streak),
                    streak=len(streak),
                    required=required,
                    reached=reached,
                    current=is_current,
                    gives=gives,
                    code=code,
                    params={
                        "level": key if key is not None else "",
                        "streak": len(streak),
                        "required": required,
                        "first": streak[0],
                        "last": streak[-1],
                    },
                )
            )
    return found


def _claim_last_day(month_first: dt.date, within: Duration) -> dt.date:
    month_end = _add_months(month_first, 1) - dt.timedelta(days=1)
    if within.unit == "d" and within.amount == within.amount.to_integral_value():
        return month_end + dt.timedelta(days=int(within.amount))
    if within.unit == "mo" and within.amount == within.amount.to_integral_value():
        return _add_months(month_first, 1 + int(within.amount)) - dt.timedelta(days=1)
    raise EngineError("engine.penalty.unsupported_duration", {"duration": str(within)})


def claim_deadlines(contract: Contract, statement: PenaltyStatement) -> list[ClaimDeadline]:
    """The last day to claim each month's penalties: ``claim_within`` after the month's end.

    A delay in months ends on the last day of the month that many months after
    (January's penalties with ``2mo``: 31 March); in days, that many days after
    the month's last day.  Months with nothing owed, or a contract without
    ``claim_within``, give no deadline.
    """
    zone = contract.timezone
    deadlines = []
    for month in statement.months:
        if month.total <= 0:
            continue
        first = dt.date(int(month.month[:4]), int(month.month[5:]), 1)
        start = int(dt.datetime.combine(first, dt.time(), tzinfo=zone).timestamp())
        within = contract.at(start).terms.penalties.claim_within
        if within is None:
            continue
        deadlines.append(ClaimDeadline(month.month, month.total, _claim_last_day(first, within)))
    return deadlines
