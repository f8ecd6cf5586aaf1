"""Reconciliation: where the provider's own figures disagree with ours, and why.

Three levels, in the order DESIGN.md gives:

1. **Populations.** For each ticket level, tickets the provider judged (it
   gave a verdict) that Pilotage does not count, with Pilotage's reason
   (cancelled, merged, child of a major incident, out of scope...), and
   tickets Pilotage counts that the provider gave no verdict for.
2. **Verdicts.** Tickets both sides judged, with different verdicts.  The
   cause is named by counterfactual re-evaluation, most specific first: the
   verdict Pilotage would give on its calendars without public holidays and
   closures (``holiday``), with no pause excluded or with every pause
   excluded as some tools count pending time (``pause``), on round-the-clock
   calendars (``calendar``); else a priority change (``priority``), a pause
   total that could not be verified (``pause_not_verifiable``), or
   ``unexplained``.
3. **Windows.** The provider's claimed eligible, met and compliance per level
   and window against Pilotage's, with the gap in points and the causes of the
   tickets behind it.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from pilotage.contract.model import Contract, ContractVersion, ServiceLevel
from pilotage.engine.calendar import Calendar
from pilotage.engine.evaluate import (
    BREACHED,
    EXCLUSION_REASONS,
    MET,
    TicketEvaluation,
    evaluate_tickets,
)
from pilotage.engine.results import WindowResult
from pilotage.tables import Adjustments, Claims, Events, Tickets, select_tickets

__all__ = [
    "CAUSES",
    "ClaimComparison",
    "PopulationGap",
    "Reconciliation",
    "VerdictGap",
    "reconcile",
]

CAUSES = ("holiday", "pause", "calendar", "priority", "pause_not_verifiable", "unexplained")
"""Causes of a verdict disagreement, in the order they are tried."""

_PROVIDER_COLUMN = {
    "response_time": "provider_response_met",
    "resolution_time": "provider_resolution_met",
}


@dataclass(frozen=True)
class PopulationGap:
    """A ticket one side judges for a level and the other does not.

    ``side`` is ``provider_only`` (with Pilotage's exclusion ``reason``) or
    ``pilotage_only`` (the provider gave no verdict).
    """

    level_id: str
    ticket_id: str
    side: str
    reason: str


@dataclass(frozen=True)
class VerdictGap:
    """A ticket both sides judged differently."""

    level_id: str
    ticket_id: str
    window: str
    pilotage: str
    """``met`` or ``breached``."""
    provider: str
    cause: str
    elapsed: int
    target: int


@dataclass(frozen=True)
class ClaimComparison:
    """The provider's claimed figures for one level and window against Pilotage's.

    ``gap_points`` is claimed minus computed compliance, in percentage points.
    ``status`` is ``agrees``, ``disagrees``, ``not_claimed`` (Pilotage computed a
    window the provider did not report) or ``not_computed``.
    """

    level_id: str
    window: str
    claimed_eligible: int | None
    claimed_met: int | None
    claimed_compliance: Decimal | None
    eligible: int | None
    met: int | None
    compliance: Decimal | None
    gap_points: Decimal | None
    status: str
    causes: Mapping[str, int]


@dataclass(frozen=True)
class Reconciliation:
    """The three comparisons, each sorted for stable output."""

    population: tuple[PopulationGap, ...]
    verdicts: tuple[VerdictGap, ...]
    claims: tuple[ClaimComparison, ...]

    def causes(self, level_id: str, window: str) -> Mapping[str, int]:
        """Verdict disagreements of one level and window, counted per cause."""
        return dict(
            Counter(v.cause for v in self.verdicts if v.level_id == level_id and v.window == window)
        )


def _without_holidays(spec: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if k not in ("holidays", "closed")}


def _round_the_clock(spec: Mapping[str, Any]) -> dict[str, Any]:
    return {"timezone": spec.get("timezone"), "hours": "24x7"}


def _calendar_variant(contract: Contract, variant: Any) -> dict[str, Calendar]:
    """Every calendar of the latest version, rebuilt through ``variant``."""
    terms = contract.versions[-1].terms
    return {
        name: Calendar.from_spec(variant(spec), default_timezone=terms.timezone)
        for name, spec in terms.calendars.items()
    }


def _without_pauses(contract: Contract) -> Contract:
    def strip(version: ContractVersion) -> ContractVersion:
        levels = tuple(
            dataclasses.replace(lv, pause_when=()) for lv in version.terms.service_levels
        )
        terms = dataclasses.replace(version.terms, service_levels=levels)
        return dataclasses.replace(version, terms=terms)

    return dataclasses.replace(contract, versions=tuple(strip(v) for v in contract.versions))


def _all_pauses_stop(contract: Contract, reasons: Sequence[str]) -> Contract:
    """Every pause stops every level's clock, as tools such as GLPI count pending time."""

    def widen(version: ContractVersion) -> ContractVersion:
        levels = tuple(
            dataclasses.replace(lv, pause_when=tuple(sorted({*lv.pause_when, *reasons})))
            for lv in version.terms.service_levels
        )
        measurement = dataclasses.replace(
            version.terms.measurement, unknown_pause_reason="does_not_count"
        )
        terms = dataclasses.replace(version.terms, service_levels=levels, measurement=measurement)
        return dataclasses.replace(version, terms=terms)

    return dataclasses.replace(contract, versions=tuple(widen(v) for v in contract.versions))


def _verdict_by_ticket(evaluation: TicketEvaluation, level_id: str) -> dict[int, int]:
    m = evaluation.levels[level_id]
    return {int(t): int(v) for t, v in zip(m.ticket, m.verdict, strict=True)}


def _ticket_levels(contract: Contract) -> list[ServiceLevel]:
    seen: dict[str, ServiceLevel] = {}
    for version in contract.versions:
        for level in version.terms.service_levels:
            if level.metric in _PROVIDER_COLUMN:
                seen.setdefault(level.id, level)
    return list(seen.values())


def _provider_verdicts(tickets: Tickets, metric: str) -> np.ndarray[Any, np.dtype[np.int8]]:
    own: np.ndarray[Any, np.dtype[np.int8]] = getattr(tickets, _PROVIDER_COLUMN[metric])
    fallback = tickets.provider_sla_met
    return np.where(own >= 0, own, fallback).astype(np.int8)


def reconcile(
    contract: Contract,
    tickets: Tickets,
    events: Events,
    evaluation: TicketEvaluation,
    *,
    claims: Claims | None = None,
    extra_results: Sequence[WindowResult] = (),
    adjustments: Adjustments | None = None,
) -> Reconciliation:
    """Compare the provider's verdicts and claims with ``evaluation``.

    ``extra_results`` are non-ticket window results (availability, backups)
    whose windows the claims may also state.
    """
    levels = [lv for lv in _ticket_levels(contract) if lv.id in evaluation.levels]
    excluded_reason: dict[int, str] = {}
    for reason in EXCLUSION_REASONS:
        for row in evaluation.excluded.get(reason, ()):
            excluded_reason.setdefault(int(row), reason)
    changed = {int(t) for t in evaluation.priority_changes.ticket}

    population: list[PopulationGap] = []
    disagreements: list[tuple[str, int]] = []
    for level in levels:
        m = evaluation.levels[level.id]
        provider = _provider_verdicts(tickets, level.metric)
        provider_gives_verdicts = bool((provider >= 0).any())
        counted = m.verdict != 0
        ours = dict(zip(m.ticket[counted].tolist(), m.verdict[counted].tolist(), strict=True))
        if provider_gives_verdicts:
            applies = _applies(tickets, level)
            for row in np.flatnonzero(applies & (provider >= 0)).tolist():
                if row not in ours and row in excluded_reason:
                    population.append(
                        PopulationGap(
                            level.id, str(tickets.id[row]), "provider_only", excluded_reason[row]
                        )
                    )
            for row in ours:
                if provider[row] < 0:
                    population.append(
                        PopulationGap(level.id, str(tickets.id[row]), "pilotage_only", "no_verdict")
                    )
        for row, verdict in ours.items():
            if provider[row] >= 0 and (verdict == MET) != bool(provider[row]):
                disagreements.append((level.id, row))

    verdicts = _explain(contract, tickets, events, evaluation, disagreements, changed, adjustments)
    reconciliation = Reconciliation(
        population=tuple(sorted(population, key=lambda g: (g.level_id, g.side, g.ticket_id))),
        verdicts=tuple(verdicts),
        claims=(),
    )
    comparisons = _compare_claims(
        [*evaluation.window_results, *extra_results], claims, reconciliation
    )
    return dataclasses.replace(reconciliation, claims=tuple(comparisons))


def _applies(tickets: Tickets, level: ServiceLevel) -> np.ndarray[Any, np.dtype[np.bool_]]:
    mask = np.ones(len(tickets), dtype=bool)
    if level.applies_to.kind:
        mask &= np.isin(tickets.kind, list(level.applies_to.kind))
    if level.applies_to.priority:
        mask &= np.isin(tickets.priority, list(level.applies_to.priority))
    return mask


def _explain(
    contract: Contract,
    tickets: Tickets,
    events: Events,
    evaluation: TicketEvaluation,
    disagreements: list[tuple[str, int]],
    changed: set[int],
    adjustments: Adjustments | None,
) -> list[VerdictGap]:
    if not disagreements:
        return []
    as_of = evaluation.as_of
    # Counterfactuals only need the disputed tickets: re-evaluate that subset.
    rows = np.array(sorted({row for _, row in disagreements}), dtype=np.int64)
    sub_tickets, sub_events = select_tickets(tickets, events, rows)
    position = {int(row): k for k, row in enumerate(rows.tolist())}

    def rerun(**kwargs: Any) -> TicketEvaluation:
        target = kwargs.pop("contract", contract)
        return evaluate_tickets(
            target, sub_tickets, sub_events, as_of=as_of, adjustments=adjustments, **kwargs
        )

    reasons = sorted({str(r) for r in events.pause_reason if r} | {"waiting_customer"})
    counterfactuals = [
        ("holiday", rerun(calendars=_calendar_variant(contract, _without_holidays))),
        ("pause", rerun(contract=_without_pauses(contract))),
        ("pause", rerun(contract=_all_pauses_stop(contract, reasons))),
        ("calendar", rerun(calendars=_calendar_variant(contract, _round_the_clock))),
    ]
    by_level: dict[tuple[int, str], dict[int, int]] = {}
    gaps: list[VerdictGap] = []
    for level_id, row in disagreements:
        m = evaluation.levels[level_id]
        i = int(np.searchsorted(m.ticket, row))
        ours = int(m.verdict[i])
        provider_met = ours != MET
        cause = "unexplained"
        for k, (name, alternative) in enumerate(counterfactuals):
            if (k, level_id) not in by_level:
                by_level[(k, level_id)] = _verdict_by_ticket(alternative, level_id)
            other = by_level[(k, level_id)].get(position[row])
            if other in (MET, BREACHED) and (other == MET) == provider_met:
                cause = name
                break
        else:
            if row in changed:
                cause = "priority"
            elif bool(m.pause_not_verifiable[i]):
                cause = "pause_not_verifiable"
        gaps.append(
            VerdictGap(
                level_id=level_id,
                ticket_id=str(tickets.id[row]),
                window=str(m.window[i]),
                pilotage="met" if ours == MET else "breached",
                provider="met" if provider_met else "breached",
                cause=cause,
                elapsed=int(m.elapsed[i]),
                target=int(m.target[i]),
            )
        )
    gaps.sort(key=lambda g: (g.level_id, g.window, g.ticket_id))
    return gaps


def _compare_claims(
    results: Sequence[WindowResult], claims: Claims | None, reconciliation: Reconciliation
) -> list[ClaimComparison]:
    computed = {(r.level_id, r.window): r for r in results}
    claimed: dict[tuple[str, str], tuple[int | None, int | None, Decimal | None]] = {}
    if claims is not None:
        for i in range(len(claims)):
            eligible = int(claims.eligible[i])
            met = int(claims.met[i])
            compliance = claims.compliance[i]
            claimed[(str(claims.service_level[i]), str(claims.window[i]))] = (
                eligible if eligible >= 0 else None,
                met if met >= 0 else None,
                compliance if isinstance(compliance, Decimal) else None,
            )
    out: list[ClaimComparison] = []
    for key in sorted(set(computed) | set(claimed)):
        level_id, window = key
        result = computed.get(key)
        c_eligible, c_met, c_compliance = claimed.get(key, (None, None, None))
        if c_compliance is None and c_eligible and c_met is not None:
            c_compliance = Decimal(c_met) / Decimal(c_eligible)
        value = result.value if result is not None else None
        gap = None
        if c_compliance is not None and value is not None:
            gap = ((c_compliance - value) * 100).quantize(Decimal("0.01"))
        if result is None:
            status = "not_computed"
        elif key not in claimed:
            status = "not_claimed"
        elif gap == 0 and (c_eligible is None or c_eligible == result.eligible):
            status = "agrees"
        else:
            status = "disagrees"
        out.append(
            ClaimComparison(
                level_id=level_id,
                window=window,
                claimed_eligible=c_eligible,
                claimed_met=c_met,
                claimed_compliance=c_compliance,
                eligible=result.eligible if result is not None else None,
                met=result.met if result is not None else None,
                compliance=value,
                gap_points=gap,
                status=status,
                causes=reconciliation.causes(level_id, window),
            )
        )
    return out
