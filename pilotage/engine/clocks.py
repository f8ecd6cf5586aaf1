"""Ticket clocks: status segments and the business time they count.

A ticket's history is a run of *segments*: the first, from ``created_at``, is
``open``; then each status event at or before ``as_of`` opens a segment that
lasts until the ticket's next event.  Rows at the same instant keep the file's
order (zero-length segments); an event dated before the ticket's creation is
taken at the creation instant.

The resolution instant of the tickets table (``resolved_at``, else
``closed_at``: a ticket closed without a resolution time is resolved at
closure) ends the last segment, as a *synthetic resolution*, when the ticket
has no status history, or when its history ends open or paused before that
instant: the export's columns then know more than its history.

A clock counts, between its start and its stop, the business time of the
segments that run it: ``open`` segments, and ``paused`` ones whose reason the
level does not exclude.  ``resolved`` and ``closed`` segments never count, so
a reopened ticket resumes its resolution clock and the time it spent resolved
is not counted.  Business time is a difference of the calendar's ``F``
(cumulative open seconds), so the work is a few vectorized passes over the
events of the tickets measured, whatever the length of their segments.  The
events table is used in place (no merged copy): the creation segment and the
synthetic resolution are handled per ticket.

The *deadline* is the earliest instant at which the counted time reaches the
target: found on the segment where the running total crosses it, as
``instant_at(F(segment start) + remaining)``.  A running ticket on a counting
segment keeps counting past ``as_of`` for this purpose only.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from pilotage.tables import MISSING, Events, Tickets

__all__ = [
    "CLOSED",
    "INF_F",
    "OPEN",
    "PAUSED",
    "RESOLVED",
    "SLOT_DONE",
    "SLOT_OPEN",
    "SLOT_PAUSED",
    "CalendarLike",
    "ClockResult",
    "Timeline",
    "build_timeline",
    "codes",
    "run_clock",
]

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
Bool = npt.NDArray[np.bool_]

OPEN, PAUSED, RESOLVED, CLOSED = 0, 1, 2, 3
"""Indexes of :data:`pilotage.tables.EVENT_STATUSES`."""

INF_F = 1 << 52
"""Stands for ``F`` at the end of a segment that never ends."""

SLOT_OPEN, SLOT_DONE, SLOT_PAUSED = 0, 1, 2
"""Count-table slots: open, resolved or closed, then paused with reason ``r`` at ``2 + r``."""


class CalendarLike(Protocol):
    """What clocks need from a business calendar (:class:`pilotage.engine.calendar.Calendar`)."""

    def cumulative(self, t: I64) -> I64:
        """``F(t)``: cumulative open seconds at each instant."""
        ...

    def instant_at(self, f: I64) -> I64:
        """The earliest instant with ``F(t) == f``."""
        ...

    def end_of_open_day(self, t: I64, n: int | I64) -> I64:
        """End of the N-th open day after each instant's local date (J+N ouvrés)."""
        ...

    def regular_day_seconds(self) -> int:
        """Opening time of one regular open day."""
        ...


def codes(values: npt.NDArray[np.object_], vocabulary: Sequence[str]) -> I64:
    """Index of each value in ``vocabulary``, -1 when absent."""
    if len(vocabulary) <= 3:
        out = np.full(len(values), -1, dtype=np.int64)
        for i, word in enumerate(vocabulary):
            out[values == word] = i
        return out
    lookup = {word: i for i, word in enumerate(vocabulary)}
    return np.fromiter(
        map(lookup.get, values.tolist(), itertools.repeat(-1)), dtype=np.int64, count=len(values)
    )


@dataclass(frozen=True, eq=False)
class Timeline:
    """The segments of every ticket at ``as_of``, over the events table in place.

    Ticket ``i``'s events at or before ``as_of`` are the rows
    ``begin[i]:begin[i] + count[i]`` of the events table; ``slot`` gives each
    event row's count-table slot (see :data:`SLOT_PAUSED`).
    """

    created: I64
    at: I64
    """Event instants (the events table's ``at``, not clamped)."""
    status: I8
    slot: npt.NDArray[np.int16]
    begin: I64
    count: I64
    end_at: I64
    """Per ticket: the synthetic resolution instant, MISSING if none."""
    resolution: I64
    """Per ticket: the final resolution (resolution clock's stop), MISSING if running."""
    reasons: tuple[str, ...]
    """Known pause reasons first, then the others seen (sorted); ``""`` is no reason."""
    n_known: int

    @property
    def history(self) -> Bool:
        """Per ticket: whether it has status events at or before ``as_of``."""
        return self.count > 0

    def rows(self, tickets: I64) -> tuple[I64, I64, I64]:
        """Event rows of ``tickets``, each row's position in ``tickets``, and group starts."""
        lens = self.count[tickets]
        group_start = np.zeros(len(tickets), dtype=np.int64)
        np.cumsum(lens[:-1], out=group_start[1:])
        total = int(lens.sum()) if len(tickets) else 0
        local = np.repeat(np.arange(len(tickets), dtype=np.int64), lens)
        rows = np.arange(total, dtype=np.int64)
        rows += np.repeat(self.begin[tickets] - group_start, lens)
        return rows, local, group_start

    def at_clamped(self, rows: I64, tickets: I64) -> I64:
        """Instants of event rows, moved to the ticket's creation when earlier."""
        return np.maximum(self.at[rows], self.created[tickets])

    def first_resolution(self, tickets: I64) -> I64:
        """Per ticket: its first resolved or closed instant (synthetic included), else MISSING."""
        rows, local, _ = self.rows(tickets)
        out = np.where(self.end_at[tickets] != MISSING, self.end_at[tickets], MISSING)
        done = np.flatnonzero(self.status[rows] >= RESOLVED)
        if done.size:
            first = done[np.r_[True, local[done][1:] != local[done][:-1]]]
            who = local[first]
            out[who] = self.at_clamped(rows[first], tickets[who])
        return out

    def last_reopen(self, tickets: I64) -> I64:
        """Per ticket: the last instant it went from resolved/closed back to open/paused."""
        rows, local, _ = self.rows(tickets)
        out = np.full(len(tickets), MISSING, dtype=np.int64)
        if rows.size < 2:
            return out
        status = self.status[rows]
        back = np.flatnonzero(
            (status[1:] <= PAUSED) & (status[:-1] >= RESOLVED) & (local[1:] == local[:-1])
        )
        back += 1
        who = local[back]
        out[who] = self.at_clamped(rows[back], tickets[who])  # later rows overwrite earlier
        return out

    def unknown_reason_counts(self, tickets: I64 | None = None) -> dict[str, int]:
        """Paused rows per reason outside the known ones, over ``tickets`` (default all)."""
        if tickets is None:
            slots = self.slot[self.slot >= SLOT_PAUSED + self.n_known]
        else:
            rows, _, _ = self.rows(tickets)
            slots = self.slot[rows]
            slots = slots[slots >= SLOT_PAUSED + self.n_known]
        extra = len(self.reasons) - self.n_known
        counts = np.bincount(slots.astype(np.int64) - SLOT_PAUSED - self.n_known, minlength=extra)
        return {self.reasons[self.n_known + i]: int(c) for i, c in enumerate(counts) if c}


def _slots(events: Events, known: Sequence[str]) -> tuple[npt.NDArray[np.int16], tuple[str, ...]]:
    paused = np.flatnonzero(events.status == PAUSED)
    slot = np.where(events.status >= RESOLVED, SLOT_DONE, SLOT_OPEN).astype(np.int16)
    reasons = events.pause_reason[paused]
    code = codes(reasons, known)
    names = tuple(known)
    other = np.flatnonzero(code < 0)
    if other.size:
        extra = tuple(sorted(set(reasons[other].tolist())))
        code[other] = len(known) + codes(reasons[other], extra)
        names += extra
    slot[paused] = SLOT_PAUSED + code
    return slot, names


def build_timeline(
    tickets: Tickets, events: Events, *, as_of: int, known_reasons: Sequence[str]
) -> Timeline:
    """The segments of every ticket as seen at ``as_of`` (see the module docstring)."""
    n = len(tickets)
    counts_all = np.bincount(events.ticket, minlength=n).astype(np.int64)
    begin = np.zeros(n, dtype=np.int64)
    np.cumsum(counts_all[:-1], out=begin[1:])
    # Events are sorted by time within a ticket: those after as_of end its rows.
    late = events.at > as_of
    count = counts_all - np.bincount(events.ticket[late], minlength=n) if late.any() else counts_all
    slot, names = _slots(events, known_reasons)

    created = tickets.created_at
    resolved_at = np.where(tickets.resolved_at <= as_of, tickets.resolved_at, MISSING)
    closed_at = np.where(tickets.closed_at <= as_of, tickets.closed_at, MISSING)
    source_end = np.where(resolved_at != MISSING, resolved_at, closed_at)
    known_end = source_end != MISSING
    source_end = np.where(known_end, np.maximum(source_end, created), MISSING)
    has = count > 0
    last = np.where(has, begin + count - 1, 0)
    last_status = np.where(has, events.status[last] if len(events) else 0, OPEN)
    last_at = np.where(has, np.maximum(events.at[last] if len(events) else 0, created), MISSING)
    synth = known_end & (~has | ((last_status <= PAUSED) & (source_end >= last_at)))
    end_at = np.where(synth, source_end, MISSING)

    # Final resolution: the start of the trailing run of resolved/closed rows.
    resolution = end_at.copy()
    pending = np.flatnonzero(has & ~synth & (last_status >= RESOLVED))
    pos = last[pending]
    while pending.size:
        prev = pos - 1
        inside = prev >= begin[pending]
        more = inside & (events.status[np.maximum(prev, 0)] >= RESOLVED)
        stop = ~more
        resolution[pending[stop]] = np.maximum(events.at[pos[stop]], created[pending[stop]])
        pending, pos = pending[more], prev[more]

    return Timeline(
        created=created,
        at=events.at,
        status=events.status,
        slot=slot,
        begin=begin,
        count=count,
        end_at=end_at,
        resolution=resolution,
        reasons=names,
        n_known=len(known_reasons),
    )


@dataclass(frozen=True, eq=False)
class ClockResult:
    """One clock measured on a sorted subset of tickets (arrays aligned with ``ticket``).

    ``elapsed`` is the counted business time up to the stop, or up to ``as_of``
    for a running clock; ``deadline`` the instant at which it reaches the
    target (MISSING when it never does: met, or running on a pause).  With
    ``keep_rows``: ``first_counted`` is what each ticket's creation segment
    added, ``rows`` the event rows walked, ``counts`` whether each runs the
    clock and ``counted`` the business seconds it added.
    """

    ticket: I64
    elapsed: I64
    deadline: I64
    first_counted: I64 | None = None
    rows: I64 | None = None
    counts: Bool | None = None
    counted: I64 | None = None


def run_clock(
    timeline: Timeline,
    calendar: CalendarLike,
    tickets: I64,
    *,
    start: I64,
    stop: I64,
    target: I64,
    as_of: int,
    count_table: Bool | None = None,
    version: I64 | None = None,
    restart: I64 | None = None,
    keep_rows: bool = False,
) -> ClockResult:
    """Measure one clock for ``tickets`` (sorted ticket rows).

    ``start``, ``stop`` (MISSING: still running at ``as_of``) and ``target``
    (business seconds) are aligned with ``tickets``.  Without ``count_table``
    the clock counts straight business time from start to stop.  Otherwise the
    segments are walked: ``count_table[version, slot]`` says whether a segment
    in that slot runs the clock for a ticket under that contract version.
    ``restart`` holds per ticket an instant before which nothing counts
    (MISSING: none).
    """
    m = len(tickets)
    f_start = calendar.cumulative(start)
    running = stop == MISSING
    f_as_of = int(calendar.cumulative(np.array([as_of], dtype=np.int64))[0])
    f_cap = np.full(m, f_as_of, dtype=np.int64)
    if (~running).any():
        f_cap[~running] = calendar.cumulative(stop[~running])
    np.maximum(f_cap, f_start, out=f_cap)
    deadline = np.full(m, MISSING, dtype=np.int64)
    positive = target > 0
    deadline[~positive] = start[~positive]

    if count_table is None:
        elapsed = f_cap - f_start
        reach = positive & (running | (elapsed > target))
        if reach.any():
            deadline[reach] = calendar.instant_at(f_start[reach] + target[reach])
        return ClockResult(tickets, elapsed, deadline)
    assert version is not None

    lo_floor = np.maximum(f_start, calendar.cumulative(timeline.created[tickets]))
    if restart is not None:
        has = restart != MISSING
        if has.any():
            lo_floor[has] = np.maximum(lo_floor[has], calendar.cumulative(restart[has]))
    # F at the end of each ticket's last segment: its synthetic resolution, or never.
    end_at = timeline.end_at[tickets]
    f_end = np.full(m, INF_F, dtype=np.int64)
    synth = end_at != MISSING
    if synth.any():
        f_end[synth] = calendar.cumulative(end_at[synth])

    rows, local, group_start = timeline.rows(tickets)
    fa = calendar.cumulative(timeline.at_clamped(rows, tickets[local]))
    nonempty = np.flatnonzero(timeline.count[tickets] > 0)
    f_first = f_end.copy()
    f_first[nonempty] = fa[group_start[nonempty]]
    # Each row's segment ends at the next row of its ticket, or at the ticket's end.
    fb = np.empty_like(fa)
    fb[:-1] = fa[1:]
    if rows.size:
        fb[group_start[nonempty][1:] - 1] = f_end[nonempty][:-1]
        fb[-1] = f_end[nonempty][-1]
    lo = fa
    np.maximum(lo, lo_floor[local], out=lo)

    slots = timeline.slot[rows]
    if m and (count_table[version.min() : version.max() + 1] == count_table[version[0]]).all():
        counts = count_table[version[0]][slots]
    else:
        counts = count_table[version[local], slots]

    first_counted = np.maximum(np.minimum(f_first, f_cap) - lo_floor, 0)
    counted = np.minimum(fb, f_cap[local])
    counted -= lo
    np.maximum(counted, 0, out=counted)
    counted[~counts] = 0
    elapsed = first_counted.copy()
    if nonempty.size:
        elapsed[nonempty] += np.add.reduceat(counted, group_start[nonempty])

    # Deadlines, only for the tickets that reach their target (running ones may later).
    need = np.flatnonzero(positive & (running | (elapsed > target)))
    if need.size:
        cap_far = np.where(running[need], INF_F, f_cap[need])
        tg = target[need]
        first_far = np.maximum(np.minimum(f_first[need], cap_far) - lo_floor[need], 0)
        in_first = first_far >= tg
        deadline[need[in_first]] = calendar.instant_at(lo_floor[need[in_first]] + tg[in_first])
        later = np.flatnonzero(~in_first)
        if later.size:
            who = need[later]
            sub_rows, sub_local, sub_start = _subset_rows(group_start, timeline.count[tickets], who)
            toward = np.minimum(fb[sub_rows], cap_far[later][sub_local])
            toward -= lo[sub_rows]
            np.maximum(toward, 0, out=toward)
            toward[~counts[sub_rows]] = 0
            np.minimum(toward, tg[later][sub_local] + 1, out=toward)
            cum = np.cumsum(toward)
            after = cum - (cum[sub_start] - toward[sub_start])[sub_local]
            after += first_far[later][sub_local]
            before = after - toward
            goal = tg[later][sub_local]
            hit = np.flatnonzero((before < goal) & (after >= goal) & (toward > 0))
            if hit.size:
                f_deadline = lo[sub_rows[hit]] + goal[hit] - before[hit]
                deadline[who[sub_local[hit]]] = calendar.instant_at(f_deadline)
    if keep_rows:
        return ClockResult(tickets, elapsed, deadline, first_counted, rows, counts, counted)
    return ClockResult(tickets, elapsed, deadline)


def _subset_rows(group_start: I64, lens: I64, who: I64) -> tuple[I64, I64, I64]:
    """Positions (in a walked row array) of the rows of tickets ``who``; see Timeline.rows."""
    sizes = lens[who]
    sub_start = np.zeros(len(who), dtype=np.int64)
    np.cumsum(sizes[:-1], out=sub_start[1:])
    total = int(sizes.sum())
    sub_local = np.repeat(np.arange(len(who), dtype=np.int64), sizes)
    sub_rows = np.arange(total, dtype=np.int64)
    sub_rows += np.repeat(group_start[who] - sub_start, sizes)
    return sub_rows, sub_local, sub_start
