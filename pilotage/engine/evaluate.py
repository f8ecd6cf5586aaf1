"""Service-level evaluation of response and resolution times over windows.

:func:`evaluate_tickets` measures every ticket service level
(``response_time``, ``resolution_time``) of a contract on the canonical
tickets and events as seen at ``as_of``, and aggregates verdicts per window.
The rules are those of DESIGN.md ("SLA semantics"); the choices it leaves
open are made here:

* **Population.** Tickets created after ``as_of`` do not exist yet; events and
  resolution/closure/response instants after ``as_of`` are ignored.  Cancelled
  and merged tickets never count; with ``major_incident_counts_once``, a child
  ticket (``parent_id``) whose parent is in the table never counts, and among
  children of a parent absent from the table only the earliest created counts;
  tickets of a service whose domain is out of scope never count (the service
  may come from the category via the catalogue's ``categories``; a service
  outside the catalogue is in scope).  A ticket whose state says resolved or
  closed but that has neither a resolution nor a closure time nor any status
  history cannot be measured (``resolution_unknown``): counting it as running
  would turn it into a breach.  Each excluded ticket is listed under its first
  reason in that order, then ``no_matching_level`` for the rest that no ticket
  level applies to.
* **Terms.** Per-ticket terms (eligibility, clock, target, calendar,
  ``pause_when``, priority basis, scope, measurement) come from the version in
  force at the ticket's clock start (the clock's ``start`` point and its
  ``stop`` point are read from the version in force at creation); per-window
  terms (objective, ``allowed_breaches``, terms hash) from the version in
  force at the window's first instant, or, if the level is absent from it,
  the latest version that defines it.  The window kind is the latest
  version's.
* **Priorities.** A priority cell on an event gives the ticket's priority from
  that row on; the first cell also gives the priority at creation, and a
  ticket without cells keeps ``Tickets.priority``.  ``highest`` is the most
  urgent value ever held (``priority_levels`` order, first most urgent; a
  value outside the levels is the least urgent).
* **Pauses.** A paused row's reason is *known* when some level of some version
  lists it in ``pause_when`` or it is one of :data:`STANDARD_PAUSE_REASONS`;
  a known reason stops a level's clock exactly when the level lists it.  Any
  other reason (or none) is *unknown*: it is reported, and stops the clock of
  a level that pauses at all (non-empty ``pause_when``) when
  ``measurement.unknown_pause_reason`` is ``does_not_count``.  A level without
  ``pause_when`` measures straight time.
* **Clocks.** The response clock stops at ``first_response_at``, or, for a
  ticket with a status history but no response time, at its first resolution;
  a ticket with neither cannot be measured on response: it is left out of the
  response levels and listed in ``unmeasured`` (a report note says what to
  ask the provider for).  A reopening never resumes the response clock.  The
  resolution clock stops at the final resolution; with
  ``measurement.reopen: restarts`` it counts only from the last reopening.
* **Source pause totals.** For a ticket without status history whose export
  gives ``waiting_seconds``, a level that pauses subtracts
  ``min(waiting_seconds, elapsed)`` from the counted business seconds (a real
  time total taken as business time: it may favour the provider when the
  pause spanned closed hours, which is why the ticket is flagged
  ``pause_not_verifiable``); its deadline moves by the same amount.
* **Targets.** ``min``/``h``/``s``: business seconds; ``d``: N regular open
  days of the calendar; ``bd``: the business seconds from the clock start to
  the end of the N-th open day after it (J+N ouvrés), so pauses push it back.
  A level that names no calendar counts around the clock (contract timezone).
* **Windows.** A met ticket counts in the window of its creation or of its
  clock stop (``assign_to``).  A breached ticket counts in the window that
  contains its deadline, resolved or not: an evaluation at an earlier
  ``as_of`` counted it there while it was open, so its resolution never moves
  it.  A running ticket not past its target is pending and counts nowhere.
* **Adjustments.** ``exclude`` removes the ticket from the level, ``met`` and
  ``breach`` set its verdict; the ticket stays in the window its own verdict
  gives, and the window's ``waived`` counts the adjusted tickets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from pilotage import i18n
from pilotage.contract.model import Contract, Service, ServiceLevel, Terms
from pilotage.engine.clocks import (
    SLOT_DONE,
    SLOT_PAUSED,
    CalendarLike,
    ClockResult,
    Timeline,
    build_timeline,
    codes,
    run_clock,
)
from pilotage.engine.results import WindowResult
from pilotage.engine.windows import WindowGrid, window_grid
from pilotage.errors import EngineError
from pilotage.tables import MISSING, Adjustments, Events, Tickets, object_array

__all__ = [
    "EXCLUSION_REASONS",
    "STANDARD_PAUSE_REASONS",
    "TICKET_METRICS",
    "VERDICTS",
    "LevelMeasurements",
    "PriorityChanges",
    "TicketEvaluation",
    "evaluate_tickets",
]

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
Bool = npt.NDArray[np.bool_]
Obj = npt.NDArray[np.object_]

TICKET_METRICS = ("response_time", "resolution_time")
"""Metrics measured on tickets by this module."""

VERDICTS = ("pending", "met", "breached")
"""Values indexed by :attr:`LevelMeasurements.verdict`."""
PENDING, MET, BREACHED = 0, 1, 2

EXCLUSION_REASONS = (
    "cancelled",
    "merged",
    "child_of_major",
    "out_of_scope",
    "resolution_unknown",
    "no_matching_level",
)
"""Why a ticket counts in no level, in order of precedence."""

STANDARD_PAUSE_REASONS = ("scheduled", "waiting_customer", "waiting_third_party", "waiting_vendor")
"""Pause reasons the importers map source statuses to; known even if no level lists them."""

MESSAGES = {
    "engine.clock.unknown_point": {
        "en": 'Service level "{level}": clock point "{value}" is not supported '
        "(expected created, first_response or resolved).",
        "fr": "Niveau de service « {level} » : le point d’horloge « {value} » n’est pas pris "
        "en charge (attendu created, first_response ou resolved).",
    },
    "engine.clock.bad_target": {
        "en": 'Service level "{level}": target "{value}" cannot be measured on a calendar '
        "(expected min, h, d or bd).",
        "fr": "Niveau de service « {level} » : la cible « {value} » ne peut pas être mesurée "
        "sur un calendrier (attendu min, h, d ou bd).",
    },
    "engine.clock.no_calendar": {
        "en": 'Service level "{level}": calendar "{value}" is not defined in the contract.',
        "fr": "Niveau de service « {level} » : le calendrier « {value} » n’est pas défini "
        "dans le contrat.",
    },
}
i18n.register(MESSAGES)


@dataclass(frozen=True, eq=False)
class LevelMeasurements:
    """Per-ticket measurements of one level, aligned arrays sorted by ticket row.

    ``elapsed`` is the counted business time (net of a ``waiting_seconds``
    fallback) at the stop or at ``as_of``; ``target`` in business seconds;
    ``verdict`` indexes :data:`VERDICTS` after adjustments; ``window`` is the
    label of the window the ticket counts in (``""``: none, e.g. pending or
    before the first window); ``waived`` the adjustment decision (``""``: none).
    """

    level_id: str
    metric: str
    ticket: I64
    version: I64
    start: I64
    stop: I64
    elapsed: I64
    target: I64
    verdict: I8
    window: Obj
    deadline: I64
    pause_not_verifiable: Bool
    waived: Obj

    def __len__(self) -> int:
        return len(self.ticket)


@dataclass(frozen=True, eq=False)
class PriorityChanges:
    """Every priority change at or before ``as_of``: downgrades first, then by ticket and time."""

    ticket: I64
    at: I64
    before: Obj
    after: Obj
    downgrade: Bool

    def __len__(self) -> int:
        return len(self.ticket)


@dataclass(frozen=True, eq=False)
class TicketEvaluation:
    """Everything :func:`evaluate_tickets` found."""

    as_of: int
    window_results: tuple[WindowResult, ...]
    """Sorted by level id, then window start."""
    levels: Mapping[str, LevelMeasurements]
    excluded: Mapping[str, I64]
    """Ticket rows per reason of :data:`EXCLUSION_REASONS` (every reason present)."""
    priority_changes: PriorityChanges
    unknown_pause_reasons: Mapping[str, int]
    """Paused rows per unknown reason (``""``: no reason given)."""
    adjustments_unmatched: tuple[int, ...] = field(default=())
    unmeasured: Mapping[str, I64] = field(default_factory=dict)
    """Per level, ticket rows it applies to but cannot measure for lack of data: for a
    response level, no first-response time and no status history."""
    """Rows of the adjustments table naming an unknown ticket, a level that is not a
    ticket level, a ticket the level does not measure, or an unknown decision."""


# ---------------------------------------------------------------- preparation


def _member(values: I64, wanted: Sequence[int], size: int) -> Bool:
    """Whether each code (-1 for unknown) is among ``wanted`` (a table lookup)."""
    table = np.zeros(size + 1, dtype=bool)
    table[list(wanted)] = True
    return table[values]


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _ticket_levels(terms: Terms) -> dict[str, ServiceLevel]:
    return {lv.id: lv for lv in terms.service_levels if lv.metric in TICKET_METRICS}


_ROUND_THE_CLOCK: Mapping[str, Any] = {"hours": "24x7"}
"""The calendar of a level that names none: every second counts (contract timezone)."""


@dataclass
class _Context:
    """What every level's measurement shares."""

    contract: Contract
    tickets: Tickets
    as_of: int
    timeline: Timeline
    alive: Bool
    version_created: I64
    kind: I64
    kinds: tuple[str, ...]
    service: I64
    services: tuple[str, ...]
    category: I64
    categories: tuple[str, ...]
    priorities: tuple[str, ...]
    priority: dict[str, I64]
    exclusion: I8
    calendars: Mapping[str, CalendarLike] | None
    _built: dict[tuple[str, int], CalendarLike] = field(default_factory=dict)

    def calendar(self, level: ServiceLevel, version: int) -> CalendarLike:
        """The level's calendar under one contract version (built once per distinct spec)."""
        name = level.calendar or ""
        if self.calendars is not None and name in self.calendars:
            return self.calendars[name]
        terms = self.contract.versions[version].terms
        if name and name not in terms.calendars:
            raise EngineError("engine.clock.no_calendar", {"level": level.id, "value": name})
        spec = terms.calendars[name] if name else _ROUND_THE_CLOCK
        for (other, v), cal in self._built.items():
            if other == name and self.contract.versions[v].terms.calendars.get(name, spec) == spec:
                self._built[(name, version)] = cal
                return cal
        from pilotage.engine.calendar import Calendar

        cal = Calendar.from_spec(spec, default_timezone=terms.timezone)
        self._built[(name, version)] = cal
        return cal

    def rows_of_ids(self, wanted: Sequence[str]) -> dict[str, int]:
        """Row of each wanted ticket id present in the table (first occurrence)."""
        want = set(wanted)
        ids = self.tickets.id
        hits = np.fromiter(map(want.__contains__, ids.tolist()), dtype=bool, count=len(ids))
        found: dict[str, int] = {}
        for row in np.flatnonzero(hits).tolist():
            found.setdefault(ids[row], row)
        return found


def _known_reasons(contract: Contract) -> tuple[str, ...]:
    listed = [r for v in contract.versions for lv in v.terms.service_levels for r in lv.pause_when]
    return tuple(sorted(set(listed) | set(STANDARD_PAUSE_REASONS)))


def _priorities(
    contract: Contract, tickets: Tickets, events: Events, as_of: int
) -> tuple[tuple[str, ...], dict[str, I64], PriorityChanges]:
    """Priority codes per basis and the priority changes."""
    words: list[str] = list(contract.versions[-1].terms.priority_levels)
    for v in contract.versions:
        words += v.terms.priority_levels
        for lv in v.terms.service_levels:
            words += lv.applies_to.priority
    vocab = _unique(words)
    least = len(vocab)
    own = codes(tickets.priority, vocab)
    cells = np.flatnonzero((events.priority != "") & (events.at <= as_of))
    c_ticket = events.ticket[cells]
    c_text = events.priority[cells]
    c_code = codes(c_text, vocab)
    c_rank = np.where(c_code < 0, least, c_code)
    initial, highest, final = own.copy(), own.copy(), own.copy()
    if cells.size:
        first = np.flatnonzero(np.r_[True, c_ticket[1:] != c_ticket[:-1]])
        last = np.r_[first[1:] - 1, cells.size - 1]
        initial[c_ticket[first]] = c_code[first]
        final[c_ticket[last]] = c_code[last]
        top = np.minimum.reduceat(c_rank, first)
        highest[c_ticket[first]] = np.where(top >= least, -1, top)
    changed = np.flatnonzero((c_ticket[1:] == c_ticket[:-1]) & (c_text[1:] != c_text[:-1])) + 1
    downgrade = c_rank[changed] > c_rank[changed - 1]
    order = np.lexsort((events.at[cells][changed], c_ticket[changed], ~downgrade))
    changes = PriorityChanges(
        ticket=c_ticket[changed][order],
        at=events.at[cells][changed][order],
        before=object_array(c_text[changed - 1][order]),
        after=object_array(c_text[changed][order]),
        downgrade=downgrade[order],
    )
    return vocab, {"initial": initial, "highest": highest, "final": final}, changes


def _exclusions(ctx: _Context) -> I8:
    """First exclusion reason per ticket (index in EXCLUSION_REASONS plus one; 0: none)."""
    tickets, contract = ctx.tickets, ctx.contract
    n = len(tickets)
    reason = np.zeros(n, dtype=np.int8)
    state = codes(tickets.state, ("cancelled", "merged"))
    reason[state == 0] = 1
    reason[state == 1] = 2

    counts_once = np.array(
        [v.terms.measurement.major_incident_counts_once for v in contract.versions], dtype=bool
    )
    child = np.flatnonzero((tickets.parent_id != "") & counts_once[ctx.version_created])
    if child.size:
        parents = tickets.parent_id[child].tolist()
        ids = ctx.rows_of_ids(parents)
        present = np.fromiter(map(ids.__contains__, parents), dtype=bool, count=len(parents))
        orphan = child[~present]
        drop = np.ones(child.size, dtype=bool)
        if orphan.size:
            _, inverse = np.unique(tickets.parent_id[orphan].astype(str), return_inverse=True)
            order = np.lexsort((tickets.created_at[orphan], inverse))
            head = order[np.r_[True, inverse[order][1:] != inverse[order][:-1]]]
            keep_rows = orphan[head]
            drop &= ~np.isin(child, keep_rows)
        mark = child[drop]
        reason[mark[reason[mark] == 0]] = 3

    for v_index, version in enumerate(contract.versions):
        terms = version.terms
        out = [
            i
            for i, s in enumerate(ctx.services)
            if s in terms.services and terms.scope.get(terms.services[s].domain or "") is False
        ]
        if out:
            hit = _member(ctx.service, out, len(ctx.services))
            hit &= (ctx.version_created == v_index) & (reason == 0)
            reason[hit] = 4

    tl = ctx.timeline
    done = codes(tickets.state, ("resolved", "closed")) >= 0
    done &= (tickets.resolved_at == MISSING) & (tickets.closed_at == MISSING) & (reason == 0)
    if done.any():
        history = np.diff(np.append(tl.begin, len(tl.at))) > 0
        reason[done & ~history] = 5
    return reason


def _services(
    contract: Contract, tickets: Tickets
) -> tuple[tuple[str, ...], I64, I64, tuple[str, ...]]:
    """Service codes (the category gives the service when the ticket names none)."""
    words: list[str] = []
    cats: list[str] = []
    catalogue: dict[str, Service] = {}
    for v in contract.versions:
        words += list(v.terms.services)
        for lv in v.terms.service_levels:
            words += lv.applies_to.service
            cats += lv.applies_to.category
        catalogue.update(v.terms.services)
    for s in catalogue.values():
        cats += s.categories
    vocab, cat_vocab = _unique(words), _unique(cats)
    service = codes(tickets.service, vocab)
    category = codes(tickets.category, cat_vocab)
    unnamed = tickets.service == ""
    for name, s in catalogue.items():
        if s.categories:
            wanted = [cat_vocab.index(c) for c in s.categories]
            hit = unnamed & (service < 0) & _member(category, wanted, len(cat_vocab))
            service[hit] = vocab.index(name)
    return vocab, service, category, cat_vocab


def _prepare(
    contract: Contract,
    tickets: Tickets,
    events: Events,
    as_of: int,
    calendars: Mapping[str, CalendarLike] | None,
) -> tuple[_Context, PriorityChanges]:
    timeline = build_timeline(tickets, events, as_of=as_of, known_reasons=_known_reasons(contract))
    kinds = _unique(
        [k for v in contract.versions for lv in v.terms.service_levels for k in lv.applies_to.kind]
    )
    services, service, category, categories = _services(contract, tickets)
    priorities, priority, changes = _priorities(contract, tickets, events, as_of)
    ctx = _Context(
        contract=contract,
        tickets=tickets,
        as_of=as_of,
        timeline=timeline,
        alive=(tickets.created_at <= as_of) & (tickets.created_at != MISSING),
        version_created=contract.version_index(tickets.created_at),
        kind=codes(tickets.kind, kinds),
        kinds=kinds,
        service=service,
        services=services,
        category=category,
        categories=categories,
        priorities=priorities,
        priority=priority,
        exclusion=np.zeros(0, dtype=np.int8),
        calendars=calendars,
    )
    ctx.exclusion = _exclusions(ctx)
    return ctx, changes


# ---------------------------------------------------------------- one level


def _point(ctx: _Context, point: str, level: ServiceLevel) -> I64:
    """Instants of a clock point per ticket (MISSING: not reached at as_of)."""
    tickets, tl = ctx.tickets, ctx.timeline
    if point == "created":
        return tickets.created_at
    if point == "resolved":
        return tl.resolution
    if point == "first_response":
        known = (tickets.first_response_at != MISSING) & (tickets.first_response_at <= ctx.as_of)
        out = tickets.first_response_at.copy()
        missing = np.flatnonzero(~known)
        out[missing] = tl.first_resolution(missing)
        return out
    raise EngineError("engine.clock.unknown_point", {"level": level.id, "value": point})


def _eligible(ctx: _Context, level: ServiceLevel, terms: Terms, among: Bool) -> Bool:
    rule = level.applies_to
    mask = among.copy()
    if rule.kind:
        mask &= _member(ctx.kind, [ctx.kinds.index(k) for k in rule.kind], len(ctx.kinds))
    if rule.priority:
        wanted = [ctx.priorities.index(p) for p in rule.priority]
        mask &= _member(ctx.priority[terms.priority_basis], wanted, len(ctx.priorities))
    if rule.service:
        wanted = [ctx.services.index(s) for s in rule.service]
        mask &= _member(ctx.service, wanted, len(ctx.services))
    if rule.category:
        wanted = [ctx.categories.index(c) for c in rule.category]
        mask &= _member(ctx.category, wanted, len(ctx.categories))
    return mask


def _targets(level: ServiceLevel, cal: CalendarLike, start: I64) -> I64:
    target = level.target
    if target is None:
        raise EngineError("engine.clock.bad_target", {"level": level.id, "value": "-"})
    if target.unit in ("s", "min", "h"):
        return np.full(len(start), target.seconds(), dtype=np.int64)
    if target.unit == "d":
        seconds = int(target.amount * cal.regular_day_seconds())
        return np.full(len(start), seconds, dtype=np.int64)
    if target.unit == "bd":
        due = cal.end_of_open_day(start, int(target.amount))
        return np.asarray(cal.cumulative(due) - cal.cumulative(start), dtype=np.int64)
    raise EngineError("engine.clock.bad_target", {"level": level.id, "value": str(target)})


@dataclass
class _LevelPlan:
    """Inputs of one level's clock for the tickets it applies to (sorted by row)."""

    level_id: str
    metric: str
    ticket: I64
    version: I64
    start: I64
    stop: I64
    target: I64
    deduct: I64
    walk: bool
    count_table: Bool
    """Per version and segment slot: whether the segment runs the clock."""
    restart: I64 | None
    groups: list[tuple[CalendarLike, I64]]
    """Calendar and the positions (into ``ticket``) it measures."""
    unmeasured: I64
    """Rows the level applies to but cannot measure: no response time, no history."""


def _plan(ctx: _Context, level_id: str) -> _LevelPlan:
    contract, tickets, tl = ctx.contract, ctx.tickets, ctx.timeline
    versions = contract.versions
    defined = [_ticket_levels(v.terms).get(level_id) for v in versions]
    latest = next(lv for lv in reversed(defined) if lv is not None)
    n = len(tickets)
    start_all = np.full(n, MISSING, dtype=np.int64)
    stop_all = np.full(n, MISSING, dtype=np.int64)
    points: dict[str, I64] = {}
    for v, lv in enumerate(defined):
        if lv is None:
            continue
        rows = ctx.version_created == v
        for name in (lv.clock_start, lv.clock_stop):
            if name not in points:
                points[name] = _point(ctx, name, lv)
        start_all[rows] = points[lv.clock_start][rows]
        stop_all[rows] = points[lv.clock_stop][rows]
    started = start_all != MISSING
    version = np.where(started, contract.version_index(np.where(started, start_all, 0)), -1)
    candidates = ctx.alive & started & (ctx.exclusion == 0)
    eligible = np.zeros(n, dtype=bool)
    blind = (tickets.first_response_at == MISSING) & ~tl.history
    unmeasured = np.zeros(n, dtype=bool)
    for v, lv in enumerate(defined):
        if lv is not None:
            applies = _eligible(ctx, lv, versions[v].terms, candidates & (version == v))
            if lv.clock_stop == "first_response":
                unmeasured |= applies & blind
                applies &= ~blind
            eligible |= applies
    ticket = np.flatnonzero(eligible).astype(np.int64)
    version = version[ticket]
    start = start_all[ticket]
    stop = np.where(stop_all[ticket] != MISSING, np.maximum(stop_all[ticket], start), MISSING)

    table = np.ones((len(versions), SLOT_PAUSED + len(tl.reasons)), dtype=bool)
    table[:, SLOT_DONE] = False
    pauses = np.zeros(len(versions), dtype=bool)
    for v, lv in enumerate(defined):
        if lv is None or not lv.pause_when:
            continue
        pauses[v] = True
        for r in lv.pause_when:
            table[v, SLOT_PAUSED + tl.reasons.index(r)] = False
        if versions[v].terms.measurement.unknown_pause_reason == "does_not_count":
            table[v, SLOT_PAUSED + tl.n_known :] = False
    walk = latest.metric == "resolution_time" or bool(pauses.any())
    restart = None
    restarts = np.array([v.terms.measurement.reopen == "restarts" for v in versions], dtype=bool)
    if latest.metric == "resolution_time" and restarts.any():
        restart = np.where(restarts[version], tl.last_reopen(ticket), MISSING)

    waiting = tickets.waiting_seconds[ticket]
    pnv = (tl.count[ticket] == 0) & (waiting != MISSING) & (waiting > 0) & pauses[version]
    deduct = np.where(pnv, waiting, 0).astype(np.int64)

    target = np.zeros(len(ticket), dtype=np.int64)
    groups: list[tuple[CalendarLike, I64]] = []
    for v, lv in enumerate(defined):
        if lv is None:
            continue
        pos = np.flatnonzero(version == v)
        if pos.size == 0:
            continue
        cal = ctx.calendar(lv, v)
        target[pos] = _targets(lv, cal, start[pos])
        for i, (other, other_pos) in enumerate(groups):
            if other is cal:
                groups[i] = (cal, np.union1d(other_pos, pos))
                break
        else:
            groups.append((cal, pos))
    return _LevelPlan(
        level_id,
        latest.metric,
        ticket,
        version,
        start,
        stop,
        target,
        deduct,
        walk,
        table,
        restart,
        groups,
        np.flatnonzero(unmeasured).astype(np.int64),
    )


def _run(
    ctx: _Context,
    plan: _LevelPlan,
    cal: CalendarLike,
    pos: I64,
    *,
    walk: bool | None = None,
    keep_rows: bool = False,
) -> ClockResult:
    """Run the plan's clock for the tickets at ``pos`` (walking the rows if ``walk``)."""
    walk = plan.walk if walk is None else walk
    return run_clock(
        ctx.timeline,
        cal,
        plan.ticket[pos],
        start=plan.start[pos],
        stop=plan.stop[pos],
        target=plan.target[pos] + plan.deduct[pos],
        as_of=ctx.as_of,
        count_table=plan.count_table if walk else None,
        version=plan.version[pos],
        restart=None if plan.restart is None else plan.restart[pos],
        keep_rows=keep_rows,
    )


@dataclass
class _Measured:
    elapsed: I64
    deadline: I64
    verdict: I8


def _measure(ctx: _Context, plan: _LevelPlan) -> _Measured:
    m = len(plan.ticket)
    elapsed = np.zeros(m, dtype=np.int64)
    deadline = np.full(m, MISSING, dtype=np.int64)
    for cal, pos in plan.groups:
        result = _run(ctx, plan, cal, pos)
        elapsed[pos] = result.elapsed
        deadline[pos] = result.deadline
    elapsed = np.maximum(elapsed - plan.deduct, 0)
    stopped = plan.stop != MISSING
    breached = elapsed > plan.target
    verdict = np.where(breached, BREACHED, np.where(stopped, MET, PENDING)).astype(np.int8)
    return _Measured(elapsed, deadline, verdict)


# ---------------------------------------------------------------- windows


def _adjust(
    ctx: _Context, level_ids: Sequence[str], adjustments: Adjustments | None
) -> tuple[dict[str, dict[int, tuple[str, int]]], list[int]]:
    """Decision (and adjustments row) per level per ticket row; rows that match nothing."""
    out: dict[str, dict[int, tuple[str, int]]] = {lv: {} for lv in level_ids}
    unmatched: list[int] = []
    if adjustments is None or len(adjustments) == 0:
        return out, unmatched
    ids = ctx.rows_of_ids(adjustments.ticket_id.tolist())
    for i, (tid, level, decision) in enumerate(
        zip(
            adjustments.ticket_id.tolist(),
            adjustments.service_level.tolist(),
            adjustments.decision.tolist(),
            strict=True,
        )
    ):
        row = ids.get(tid)
        if row is None or level not in out or decision not in ("exclude", "met", "breach"):
            unmatched.append(i)
        else:
            out[level][row] = (decision, i)
    return out, unmatched


def _grid(ctx: _Context, kind: str, windows_from: int) -> WindowGrid:
    return window_grid(kind, ctx.contract.versions[0].terms.timezone, windows_from, ctx.as_of - 1)


def _window_terms(ctx: _Context, level_id: str, starts: I64) -> list[tuple[ServiceLevel, str]]:
    versions = ctx.contract.versions
    latest = next(
        (v for v in reversed(versions) if level_id in _ticket_levels(v.terms)), versions[-1]
    )
    out = []
    for v in ctx.contract.version_index(starts).tolist():
        version = versions[v] if level_id in _ticket_levels(versions[v].terms) else latest
        out.append((version.terms.level(level_id), version.hash))
    return out


_RATIO = Context(prec=28, rounding=ROUND_HALF_EVEN)
"""Compliance ratios do not depend on the caller's decimal context."""


def _status(
    eligible: int, met: int, objective: Decimal | None, allowed: int | None
) -> tuple[Decimal | None, str]:
    if eligible == 0:
        return None, "no_data"
    value = _RATIO.divide(Decimal(met), Decimal(eligible))
    ok = (objective is not None and value >= objective) or (
        allowed is not None and eligible - met <= allowed
    )
    return value, "met" if ok else "breached"


def _window_results(
    ctx: _Context,
    level_id: str,
    grid: WindowGrid,
    index: I64,
    verdict: I8,
    decision: Obj,
) -> list[WindowResult]:
    k = len(grid)
    counted = (index >= 0) & (verdict != PENDING) & (decision != "exclude")
    met = np.bincount(index[counted & (verdict == MET)], minlength=k)
    breached = np.bincount(index[counted & (verdict == BREACHED)], minlength=k)
    waived = np.bincount(index[(index >= 0) & (decision != "")], minlength=k)
    excluded = np.bincount(index[(index >= 0) & (decision == "exclude")], minlength=k)
    results = []
    for w, (level, terms_hash) in enumerate(_window_terms(ctx, level_id, grid.edges[:-1])):
        eligible = int(met[w] + breached[w])
        value, status = _status(eligible, int(met[w]), level.objective, level.allowed_breaches)
        results.append(
            WindowResult(
                level_id=level_id,
                window=grid.labels[w],
                start=int(grid.edges[w]),
                end=int(grid.edges[w + 1]),
                metric=level.metric,
                eligible=eligible,
                met=int(met[w]),
                breached=int(breached[w]),
                value=value,
                objective=level.objective,
                allowed_breaches=level.allowed_breaches,
                status=status,  # type: ignore[arg-type]
                finality="final" if int(grid.edges[w + 1]) <= ctx.as_of else "provisional",
                terms_hash=terms_hash,
                waived=int(waived[w]),
                details={"excluded_by_adjustment": int(excluded[w])},
            )
        )
    return results


# ---------------------------------------------------------------- entry point


def _term_start(contract: Contract) -> int:
    """The contract's first day (``term.start``) at local midnight, as UTC epoch seconds."""
    day = contract.versions[0].terms.term_start
    return int(dt.datetime.combine(day, dt.time(), tzinfo=contract.timezone).timestamp())


def _level_ids(contract: Contract) -> list[str]:
    return list(_unique([lv for v in contract.versions for lv in _ticket_levels(v.terms)]))


def evaluate_tickets(
    contract: Contract,
    tickets: Tickets,
    events: Events,
    *,
    as_of: int,
    adjustments: Adjustments | None = None,
    calendars: Mapping[str, CalendarLike] | None = None,
    windows_from: int | None = None,
) -> TicketEvaluation:
    """Measure every ticket level of ``contract`` at ``as_of`` (see the module docstring).

    ``calendars`` overrides the contract's calendars by name; ``windows_from``
    (default: the start of the contract's term) is the first instant whose
    window is reported; windows run up to the one containing ``as_of``.
    """
    ctx, changes = _prepare(contract, tickets, events, as_of, calendars)
    return _evaluate(ctx, changes, adjustments, windows_from)


def _evaluate(
    ctx: _Context,
    changes: PriorityChanges,
    adjustments: Adjustments | None,
    windows_from: int | None,
) -> TicketEvaluation:
    contract, tickets, as_of = ctx.contract, ctx.tickets, ctx.as_of
    first = _term_start(contract) if windows_from is None else windows_from
    level_ids = _level_ids(contract)
    decisions, unmatched = _adjust(ctx, level_ids, adjustments)
    levels: dict[str, LevelMeasurements] = {}
    results: list[WindowResult] = []
    matched = np.zeros(len(tickets), dtype=bool)
    unmeasured: dict[str, I64] = {}
    for level_id in level_ids:
        plan = _plan(ctx, level_id)
        matched[plan.ticket] = True
        matched[plan.unmeasured] = True
        if len(plan.unmeasured):
            unmeasured[level_id] = plan.unmeasured
        measured = _measure(ctx, plan)
        latest = next(
            v.terms.level(level_id)
            for v in reversed(contract.versions)
            if level_id in _ticket_levels(v.terms)
        )
        grid = _grid(ctx, latest.window, first)
        assigned = (
            ctx.tickets.created_at[plan.ticket] if latest.assign_to == "creation" else plan.stop
        )
        instant = np.where(measured.verdict == BREACHED, measured.deadline, assigned)
        instant = np.where(measured.verdict == PENDING, MISSING, instant)
        index = grid.index(instant)
        decision = np.full(len(plan.ticket), "", dtype=object)
        verdict = measured.verdict.copy()
        chosen = decisions[level_id]
        if chosen:
            rows = np.fromiter(chosen.keys(), dtype=np.int64, count=len(chosen))
            values = object_array(d for d, _ in chosen.values())
            pos = np.searchsorted(plan.ticket, rows)
            pos = np.minimum(pos, max(len(plan.ticket) - 1, 0))
            found = (plan.ticket[pos] == rows) if len(plan.ticket) else np.zeros(rows.size, bool)
            decision[pos[found]] = values[found]
            sources = [i for _, i in chosen.values()]
            unmatched += [sources[k] for k in np.flatnonzero(~found).tolist()]
            verdict[decision == "met"] = MET
            verdict[decision == "breach"] = BREACHED
        labels = object_array([*grid.labels, ""])
        levels[level_id] = LevelMeasurements(
            level_id=level_id,
            metric=plan.metric,
            ticket=plan.ticket,
            version=plan.version,
            start=plan.start,
            stop=plan.stop,
            elapsed=measured.elapsed,
            target=plan.target,
            verdict=verdict,
            window=labels[index],
            deadline=measured.deadline,
            pause_not_verifiable=plan.deduct > 0,
            waived=decision,
        )
        results += _window_results(ctx, level_id, grid, index, verdict, decision)
    reasons = ctx.exclusion.copy()
    reasons[(reasons == 0) & ~matched & ctx.alive] = len(EXCLUSION_REASONS)
    excluded = {
        name: np.flatnonzero(reasons == i + 1).astype(np.int64)
        for i, name in enumerate(EXCLUSION_REASONS)
    }
    for name in excluded:
        excluded[name] = excluded[name][ctx.alive[excluded[name]]]
    results.sort(key=lambda r: (r.level_id, r.start))
    return TicketEvaluation(
        as_of=as_of,
        window_results=tuple(results),
        levels=levels,
        excluded=excluded,
        priority_changes=changes,
        unknown_pause_reasons=ctx.timeline.unknown_reason_counts(),
        adjustments_unmatched=tuple(sorted(unmatched)),
        unmeasured=unmeasured,
    )
