"""One ticket's clock for one level, step by step, to explain a verdict.

:func:`trace_ticket` evaluates the data exactly as
:func:`~pilotage.engine.evaluate.evaluate_tickets` does, then returns the
ticket's segments (what status, from when to when, whether the clock ran and
why, the business seconds it added) with the verdict.  The ``why`` and
``verdict`` values are message codes under ``engine.trace.`` that the shells
render in the user's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from pilotage import i18n
from pilotage.contract.model import Contract
from pilotage.engine.clocks import (
    OPEN,
    PAUSED,
    RESOLVED,
    SLOT_DONE,
    SLOT_OPEN,
    SLOT_PAUSED,
    CalendarLike,
    Timeline,
)
from pilotage.engine.evaluate import (
    EXCLUSION_REASONS,
    VERDICTS,
    TicketEvaluation,
    _Context,
    _evaluate,
    _level_ids,
    _LevelPlan,
    _plan,
    _prepare,
    _run,
)
from pilotage.errors import EngineError
from pilotage.tables import EVENT_STATUSES, MISSING, Adjustments, Events, Tickets

__all__ = ["WHY", "TicketTrace", "TraceSegment", "trace_ticket", "trace_tickets"]

WHY = (
    "open",
    "paused_counted",
    "paused_excluded",
    "unknown_reason_counted",
    "unknown_reason_excluded",
    "resolved",
    "closed",
    "straight_clock",
    "outside_clock",
    "not_measured",
)
"""Why a segment runs the clock or not (message codes ``engine.trace.why.<value>``)."""

MESSAGES = {
    "engine.trace.why.open": {
        "en": "open: the clock runs",
        "fr": "ouvert : l’horloge tourne",
    },
    "engine.trace.why.paused_counted": {
        "en": 'paused ("{reason}"), a reason this level does not exclude: the clock runs',
        "fr": "en pause (« {reason} »), motif que ce niveau n’exclut pas : l’horloge tourne",
    },
    "engine.trace.why.paused_excluded": {
        "en": 'paused ("{reason}"), a reason this level excludes: the clock stops',
        "fr": "en pause (« {reason} »), motif exclu par ce niveau : l’horloge s’arrête",
    },
    "engine.trace.why.unknown_reason_counted": {
        "en": 'paused with an unknown reason ("{reason}"): counted, as the contract says',
        "fr": "en pause pour un motif inconnu (« {reason} ») : décompté, comme le prévoit "
        "le contrat",
    },
    "engine.trace.why.unknown_reason_excluded": {
        "en": 'paused with an unknown reason ("{reason}"): not counted, as the contract says',
        "fr": "en pause pour un motif inconnu (« {reason} ») : non décompté, comme le prévoit "
        "le contrat",
    },
    "engine.trace.why.resolved": {
        "en": "resolved: the clock stops (it resumes if the ticket is reopened)",
        "fr": "résolu : l’horloge s’arrête (elle reprend si le ticket est rouvert)",
    },
    "engine.trace.why.closed": {
        "en": "closed: the clock stops",
        "fr": "clos : l’horloge s’arrête",
    },
    "engine.trace.why.straight_clock": {
        "en": "the clock runs whatever the ticket's status (the level has no pause)",
        "fr": "l’horloge tourne quel que soit le statut du ticket (le niveau ne prévoit pas "
        "de pause)",
    },
    "engine.trace.why.outside_clock": {
        "en": "outside the clock (before its start or after its stop)",
        "fr": "hors de l’horloge (avant son départ ou après son arrêt)",
    },
    "engine.trace.why.not_measured": {
        "en": "not measured: the level does not apply to this ticket",
        "fr": "non mesuré : le niveau ne s’applique pas à ce ticket",
    },
    "engine.trace.verdict.pending": {
        "en": "pending: the clock runs and the target is not yet exceeded",
        "fr": "en cours : l’horloge tourne et la cible n’est pas encore dépassée",
    },
    "engine.trace.verdict.met": {
        "en": "met: {elapsed} s counted for a target of {target} s",
        "fr": "respecté : {elapsed} s décomptées pour une cible de {target} s",
    },
    "engine.trace.verdict.breached": {
        "en": "breached: {elapsed} s counted for a target of {target} s",
        "fr": "dépassé : {elapsed} s décomptées pour une cible de {target} s",
    },
    "engine.trace.unknown_ticket": {
        "en": 'No ticket has the id "{value}".',
        "fr": "Aucun ticket n’a l’identifiant « {value} ».",
    },
    "engine.trace.unknown_level": {
        "en": 'The contract has no response or resolution level "{value}".',
        "fr": "Le contrat n’a pas de niveau de délai de prise en charge ou de résolution "
        "« {value} ».",
    },
}
i18n.register(MESSAGES)


@dataclass(frozen=True)
class TraceSegment:
    """A stretch of the ticket's history under one status.

    ``end`` is None for the last segment (it lasts beyond ``as_of``);
    ``business_seconds`` is what it added to the clock.
    """

    start: int
    end: int | None
    status: str
    reason: str
    counted: bool
    why: str
    business_seconds: int


@dataclass(frozen=True)
class TicketTrace:
    """One ticket's clock for one level and its verdict.

    ``excluded`` names why the ticket counts nowhere (an
    :data:`~pilotage.engine.evaluate.EXCLUSION_REASONS` value) or
    ``not_eligible`` when the level does not apply to it; the clock fields are
    then None.  ``stop`` and ``deadline`` are None when not reached.
    """

    ticket_id: str
    level_id: str
    as_of: int
    row: int
    excluded: str | None
    version_hash: str | None
    start: int | None
    stop: int | None
    target: int | None
    elapsed: int | None
    deadline: int | None
    verdict: str | None
    window: str | None
    pause_not_verifiable: bool
    waived: str
    segments: tuple[TraceSegment, ...]


def _opt(value: int) -> int | None:
    return None if value == MISSING else int(value)


def trace_ticket(
    contract: Contract,
    tickets: Tickets,
    events: Events,
    ticket_id: str,
    level_id: str,
    *,
    as_of: int,
    adjustments: Adjustments | None = None,
    calendars: Mapping[str, CalendarLike] | None = None,
    windows_from: int | None = None,
) -> TicketTrace:
    """Trace ``ticket_id`` on level ``level_id`` as :func:`evaluate_tickets` judges it."""
    (trace,) = trace_tickets(
        contract,
        tickets,
        events,
        [(ticket_id, level_id)],
        as_of=as_of,
        adjustments=adjustments,
        calendars=calendars,
        windows_from=windows_from,
    )
    return trace


def trace_tickets(
    contract: Contract,
    tickets: Tickets,
    events: Events,
    pairs: Sequence[tuple[str, str]],
    *,
    as_of: int,
    adjustments: Adjustments | None = None,
    calendars: Mapping[str, CalendarLike] | None = None,
    windows_from: int | None = None,
) -> list[TicketTrace]:
    """Trace each ``(ticket_id, level_id)`` pair, evaluating the tickets only once.

    A report that explains hundreds of breaches calls this instead of
    :func:`trace_ticket` in a loop.
    """
    ids = tickets.id.astype(str)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    ctx, changes = _prepare(contract, tickets, events, as_of, calendars)
    known_levels = _level_ids(contract)
    evaluation = _evaluate(ctx, changes, adjustments, windows_from)
    plans: dict[str, _LevelPlan] = {}
    traces = []
    for ticket_id, level_id in pairs:
        k = int(np.searchsorted(sorted_ids, ticket_id))
        if k >= len(sorted_ids) or sorted_ids[k] != ticket_id:
            raise EngineError("engine.trace.unknown_ticket", {"value": ticket_id})
        if level_id not in known_levels:
            raise EngineError("engine.trace.unknown_level", {"value": level_id})
        if level_id not in plans:
            plans[level_id] = _plan(ctx, level_id)
        traces.append(
            _trace_one(
                contract,
                ctx,
                evaluation,
                plans[level_id],
                int(order[k]),
                ticket_id,
                level_id,
                as_of,
            )
        )
    return traces


def _trace_one(
    contract: Contract,
    ctx: _Context,
    evaluation: TicketEvaluation,
    plan: _LevelPlan,
    row: int,
    ticket_id: str,
    level_id: str,
    as_of: int,
) -> TicketTrace:
    """The trace of one ticket on one level, from a shared evaluation."""
    tl = ctx.timeline
    raw = _raw_segments(tl, row)

    pos = np.flatnonzero(plan.ticket == row)
    if pos.size == 0:
        code = int(ctx.exclusion[row])
        reason = EXCLUSION_REASONS[code - 1] if code else "not_eligible"
        if not code and row in set(plan.unmeasured.tolist()):
            reason = "response_unknown"
        segments = tuple(
            TraceSegment(
                start, end, EVENT_STATUSES[status], _reason(tl, slot), False, "not_measured", 0
            )
            for start, end, status, slot in raw
        )
        return TicketTrace(
            ticket_id,
            level_id,
            as_of,
            row,
            reason,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            False,
            "",
            segments,
        )

    p = int(pos[0])
    cal = next(c for c, members in plan.groups if p in members)
    straight = not plan.walk
    if straight:  # the clock runs whatever the status: walk it with every slot counting
        plan = replace(plan, count_table=np.ones_like(plan.count_table))
    result = _run(ctx, plan, cal, pos, walk=True, keep_rows=True)
    assert result.counts is not None and result.counted is not None
    assert result.first_counted is not None
    seconds = [int(result.first_counted[0]), *result.counted.tolist()]
    runs_flags = [True, *result.counts.tolist()]
    measured = evaluation.levels[level_id]
    version = int(plan.version[p])
    table = plan.count_table[version]
    segments_list = []
    for i, (start, end, status, slot) in enumerate(raw):
        added = seconds[i] if i < len(seconds) else 0
        runs = runs_flags[i] if i < len(runs_flags) else False
        if straight:
            why = "straight_clock"
        elif status == OPEN:
            why = "open"
        elif status == PAUSED:
            known = slot - SLOT_PAUSED < tl.n_known
            why = ("paused_" if known else "unknown_reason_") + (
                "counted" if table[slot] else "excluded"
            )
        else:
            why = EVENT_STATUSES[status]
        before_start = end is not None and end <= plan.start[p]
        after_stop = plan.stop[p] != MISSING and start >= plan.stop[p]
        if runs and added == 0 and (before_start or after_stop):
            why, runs = "outside_clock", False
        segments_list.append(
            TraceSegment(start, end, EVENT_STATUSES[status], _reason(tl, slot), runs, why, added)
        )
    return TicketTrace(
        ticket_id=ticket_id,
        level_id=level_id,
        as_of=as_of,
        row=row,
        excluded=None,
        version_hash=contract.versions[version].hash,
        start=int(plan.start[p]),
        stop=_opt(int(plan.stop[p])),
        target=int(plan.target[p]),
        elapsed=int(measured.elapsed[p]),
        deadline=_opt(int(measured.deadline[p])),
        verdict=VERDICTS[int(measured.verdict[p])],
        window=str(measured.window[p]) or None,
        pause_not_verifiable=bool(measured.pause_not_verifiable[p]),
        waived=str(measured.waived[p]),
        segments=tuple(segments_list),
    )


def _reason(tl: Timeline, slot: int) -> str:
    return tl.reasons[slot - SLOT_PAUSED] if slot >= SLOT_PAUSED else ""


def _raw_segments(tl: Timeline, row: int) -> list[tuple[int, int | None, int, int]]:
    """``(start, end, status, slot)`` of one ticket's segments, synthetic resolution included."""
    created = int(tl.created[row])
    first = int(tl.begin[row])
    rows = range(first, first + int(tl.count[row]))
    starts = [created] + [max(int(tl.at[r]), created) for r in rows]
    statuses = [OPEN] + [int(tl.status[r]) for r in rows]
    slots = [SLOT_OPEN] + [int(tl.slot[r]) for r in rows]
    end_at = int(tl.end_at[row])
    if end_at != MISSING:
        starts.append(end_at)
        statuses.append(RESOLVED)
        slots.append(SLOT_DONE)
    ends: list[int | None] = [*starts[1:], None]
    return list(zip(starts, ends, statuses, slots, strict=True))
