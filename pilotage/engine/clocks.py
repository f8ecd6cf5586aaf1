"""Ticket clocks: status segments and the business time they count.

Every ticket becomes a run of *segments*, one per row of a :class:`Timeline`:
the first opens at ``created_at`` with status ``open``, then each status event
(at or before ``as_of``) opens a segment that lasts until the ticket's next
row; the last segment of a ticket has no end.  Rows at the same instant keep
the file's order (zero-length segments).  An event dated before the ticket's
creation is moved to the creation instant.

The resolution instant of the tickets table (``resolved_at``, else
``closed_at``: a ticket closed without a resolution time is resolved at
closure) becomes a synthetic ``resolved`` row when the ticket has no status
history, or when its history ends open or paused before that instant: the
export's columns then know more than its history.

A clock counts, between its start and its stop, the business time of the
segments that run it: ``open`` segments, and ``paused`` ones whose reason the
level does not exclude.  ``resolved`` and ``closed`` segments never count, so
a reopened ticket resumes its resolution clock and the time it spent resolved
is not counted.  All business time is a difference of the calendar's ``F``
(cumulative open seconds): each row needs ``F`` at its start only, and the
work is a few vectorized passes over the rows of the tickets measured.

The *deadline* is the earliest instant at which the counted time reaches the
target: found on the row where the running total crosses it, as
``instant_at(F(row start) + remaining)``.  A ticket still running on a
counting segment keeps counting past ``as_of`` for this purpose only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from pilotage.tables import MISSING, Events, Tickets

__all__ = [
    "CLOSED",
    "OPEN",
    "PAUSED",
    "RESOLVED",
    "CalendarLike",
    "ClockResult",
    "Timeline",
    "build_timeline",
    "run_clock",
]

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
Bool = npt.NDArray[np.bool_]

OPEN, PAUSED, RESOLVED, CLOSED = 0, 1, 2, 3
"""Indexes of :data:`pilotage.tables.EVENT_STATUSES`."""

_INF_F = np.int64(1) << np.int64(52)
"""Stands for ``F`` at the end of a ticket's last segment (never reached)."""


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


@dataclass(frozen=True, eq=False)
class Timeline:
    """All tickets' segments, one row each, sorted by ticket row then time.

    Rows of ticket ``i`` are ``offsets[i]:offsets[i + 1]`` (at least one: the
    creation row).  ``reason`` indexes :attr:`reasons` on paused rows and is -1
    elsewhere; ``event`` is the :class:`~pilotage.tables.Events` row a segment
    comes from, -1 for the creation row and for synthetic resolution rows.
    """

    ticket: I64
    start: I64
    status: I8
    reason: I64
    event: I64
    offsets: I64
    reasons: tuple[str, ...]
    """Known pause reasons first (``known_reasons`` of :func:`build_timeline`), then
    the other reasons seen, sorted."""
    n_known: int
    history: Bool
    """Per ticket: whether it has status events at or before ``as_of``."""
    resolution: I64
    """Per ticket: start of the final run of resolved/closed rows, MISSING if running."""
    first_resolution: I64
    """Per ticket: start of its first resolved/closed row, MISSING if none."""
    last_reopen: I64
    """Per ticket: start of the last open/paused row following a resolved/closed one."""

    def __len__(self) -> int:
        return len(self.ticket)

    def unknown_reason_counts(self) -> dict[str, int]:
        """Paused rows per pause reason outside the known ones (``""``: none given)."""
        codes = self.reason[self.reason >= self.n_known]
        counts = np.bincount(codes - self.n_known, minlength=len(self.reasons) - self.n_known)
        return {self.reasons[self.n_known + i]: int(c) for i, c in enumerate(counts) if c}


def _first_per_group(mask: Bool, group: I64) -> I64:
    """Indexes of the first True of ``mask`` in each run of equal, sorted ``group`` values."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return idx.astype(np.int64)
    g = group[idx]
    keep = np.empty(idx.size, dtype=bool)
    keep[0] = True
    np.not_equal(g[1:], g[:-1], out=keep[1:])
    return idx[keep].astype(np.int64)


def _reason_codes(
    reasons: npt.NDArray[np.object_], paused: Bool, known: Sequence[str]
) -> tuple[I64, tuple[str, ...]]:
    """Codes of the paused rows' reasons: known ones by position, others after them."""
    code = np.full(len(reasons), -1, dtype=np.int64)
    sub = reasons[paused]
    sub_code = np.full(len(sub), -1, dtype=np.int64)
    for i, name in enumerate(known):
        sub_code[sub == name] = i
    other = sub_code < 0
    names = tuple(known)
    if other.any():
        extra, inverse = np.unique(sub[other].astype(str), return_inverse=True)
        sub_code[other] = len(known) + inverse.reshape(-1)
        names += tuple(str(x) for x in extra)
    code[paused] = sub_code
    return code, names


def build_timeline(
    tickets: Tickets, events: Events, *, as_of: int, known_reasons: Sequence[str]
) -> Timeline:
    """The segments of every ticket as seen at ``as_of`` (see the module docstring)."""
    n = len(tickets)
    keep = events.at <= as_of
    ev_rows = np.flatnonzero(keep).astype(np.int64)
    ev_ticket = events.ticket[keep]
    counts = np.bincount(ev_ticket, minlength=n).astype(np.int64)
    ev_off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=ev_off[1:])
    history = counts > 0
    status_ev = events.status[keep]
    at_ev = np.maximum(events.at[keep], tickets.created_at[ev_ticket])

    resolved_at = np.where(tickets.resolved_at <= as_of, tickets.resolved_at, MISSING)
    closed_at = np.where(tickets.closed_at <= as_of, tickets.closed_at, MISSING)
    source_end = np.where(resolved_at != MISSING, resolved_at, closed_at)
    source_end = np.where(
        source_end != MISSING, np.maximum(source_end, tickets.created_at), MISSING
    )
    last = np.maximum(ev_off[1:] - 1, 0)
    if len(ev_rows):
        last_active = history & (status_ev[last] <= PAUSED)
        last_at = np.where(history, at_ev[last], MISSING)
    else:
        last_active = np.zeros(n, dtype=bool)
        last_at = np.full(n, MISSING, dtype=np.int64)
    synth = (source_end != MISSING) & (~history | (last_active & (source_end >= last_at)))

    per_ticket = 1 + counts + synth
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(per_ticket, out=offsets[1:])
    total = int(offsets[-1])
    ticket = np.repeat(np.arange(n, dtype=np.int64), per_ticket)
    start = np.empty(total, dtype=np.int64)
    status = np.empty(total, dtype=np.int8)
    event = np.full(total, -1, dtype=np.int64)

    created_pos = offsets[:-1]
    start[created_pos] = tickets.created_at
    status[created_pos] = OPEN
    ev_pos = created_pos[ev_ticket] + 1 + (np.arange(len(ev_rows)) - ev_off[ev_ticket])
    start[ev_pos] = at_ev
    status[ev_pos] = status_ev
    event[ev_pos] = ev_rows
    synth_pos = (offsets[1:] - 1)[synth]
    start[synth_pos] = source_end[synth]
    status[synth_pos] = RESOLVED

    paused = status == PAUSED
    reason = np.full(total, -1, dtype=np.int64)
    pr = events.pause_reason[ev_rows]
    ev_code, names = _reason_codes(pr, status_ev == PAUSED, known_reasons)
    reason[ev_pos] = ev_code
    reason[~paused] = -1

    active = status <= PAUSED
    idx = np.arange(total, dtype=np.int64)
    last_row = offsets[1:] - 1
    last_active_row = np.maximum.reduceat(np.where(active, idx, -1), offsets[:-1])
    running = last_active_row == last_row
    resolution = np.where(
        running, MISSING, start[np.minimum(last_active_row + 1, total - 1)]
    ).astype(np.int64)
    first_res = np.full(n, MISSING, dtype=np.int64)
    rows = _first_per_group(~active, ticket)
    first_res[ticket[rows]] = start[rows]
    reopen_mask = np.zeros(total, dtype=bool)
    reopen_mask[1:] = active[1:] & ~active[:-1] & (ticket[1:] == ticket[:-1])
    last_reopen = np.full(n, MISSING, dtype=np.int64)
    reopen_rows = np.flatnonzero(reopen_mask)
    last_reopen[ticket[reopen_rows]] = start[reopen_rows]  # later rows overwrite earlier ones

    return Timeline(
        ticket=ticket,
        start=start,
        status=status,
        reason=reason,
        event=event,
        offsets=offsets,
        reasons=names,
        n_known=len(known_reasons),
        history=history,
        resolution=resolution,
        first_resolution=first_res,
        last_reopen=last_reopen,
    )


@dataclass(frozen=True, eq=False)
class ClockResult:
    """One clock measured on a sorted subset of tickets (arrays aligned with ``ticket``).

    ``elapsed`` is the counted business time up to the stop, or up to ``as_of``
    for a running clock; ``deadline`` the instant at which it reaches the
    target (MISSING when it never does: met, or running on a pause).  When
    rows were walked, ``rows`` are the timeline rows of these tickets and
    ``counts``/``counted`` whether each runs the clock and the business seconds
    it adds (clamped to the clock's start and stop, or ``as_of``).
    """

    ticket: I64
    elapsed: I64
    deadline: I64
    rows: I64 | None = None
    counts: Bool | None = None
    counted: I64 | None = None


def _rows_of(offsets: I64, tickets: I64) -> tuple[I64, I64, I64]:
    """Timeline rows of the given tickets, the local index of each row's ticket, group starts."""
    lens = offsets[tickets + 1] - offsets[tickets]
    group_start = np.zeros(len(tickets), dtype=np.int64)
    np.cumsum(lens[:-1], out=group_start[1:])
    total = int(lens.sum())
    local = np.repeat(np.arange(len(tickets), dtype=np.int64), lens)
    rows = np.arange(total, dtype=np.int64) + np.repeat(offsets[tickets] - group_start, lens)
    return rows, local, group_start


def run_clock(
    timeline: Timeline,
    f_rows: I64 | None,
    calendar: CalendarLike,
    tickets: I64,
    *,
    start: I64,
    stop: I64,
    target: I64,
    as_of: int,
    excluded: Bool | None = None,
    version: I64 | None = None,
    restart: I64 | None = None,
    keep_rows: bool = False,
) -> ClockResult:
    """Measure one clock for ``tickets`` (sorted timeline ticket rows).

    ``start``, ``stop`` (MISSING: still running at ``as_of``) and ``target``
    (business seconds) are aligned with ``tickets``.  Without ``excluded``, the
    clock counts straight business time from start to stop.  Otherwise rows
    are walked: ``excluded[version, reason]`` says whether a paused row of a
    ticket under that contract version stops the clock, and ``f_rows`` holds
    ``F`` at every timeline row's start.  ``restart``, when given, holds per
    ticket an instant before which nothing counts (MISSING: none).
    """
    f_start = calendar.cumulative(start)
    running = stop == MISSING
    f_as_of = calendar.cumulative(np.array([as_of], dtype=np.int64))[0]
    f_stop = np.full(len(tickets), f_as_of, dtype=np.int64)
    if (~running).any():
        f_stop[~running] = calendar.cumulative(stop[~running])
    f_stop = np.maximum(f_stop, f_start)
    deadline = np.full(len(tickets), MISSING, dtype=np.int64)

    if excluded is None:
        elapsed = f_stop - f_start
        reach = (target > 0) & (running | (elapsed > target))
        if reach.any():
            deadline[reach] = calendar.instant_at(f_start[reach] + target[reach])
        zero = target <= 0
        deadline[zero] = start[zero]
        return ClockResult(tickets, elapsed, deadline)

    assert f_rows is not None and version is not None
    rows, local, group_start = _rows_of(timeline.offsets, tickets)
    n_rows = len(rows)
    fa = f_rows[rows]
    fb = np.empty(n_rows, dtype=np.int64)
    if n_rows:
        nxt = np.minimum(rows + 1, len(f_rows) - 1)
        fb[:] = f_rows[nxt]
        is_last = np.zeros(n_rows, dtype=bool)
        is_last[np.append(group_start[1:], n_rows) - 1] = True
        fb[is_last] = _INF_F
    lo = np.maximum(fa, f_start[local])
    if restart is not None:
        has = restart != MISSING
        f_restart = np.zeros(len(tickets), dtype=np.int64)
        if has.any():
            f_restart[has] = calendar.cumulative(restart[has])
        lo = np.maximum(lo, f_restart[local])

    status = timeline.status[rows]
    reason = timeline.reason[rows]
    counts = status == OPEN
    paused = status == PAUSED
    counts |= paused & ~excluded[version[local], np.maximum(reason, 0)]

    hi = np.minimum(fb, f_stop[local])
    counted = np.where(counts, np.maximum(hi - lo, 0), 0)
    elapsed = (
        np.add.reduceat(counted, group_start) if n_rows else np.zeros(0, dtype=np.int64)
    ).astype(np.int64)

    # Counting towards the target: a running clock keeps counting past as_of.
    hi_far = np.where(running[local], fb, hi)
    tg = target[local]
    toward = np.where(counts, np.minimum(np.maximum(hi_far - lo, 0), tg + 1), 0)
    cum = np.cumsum(toward)
    base = cum[group_start] - toward[group_start] if n_rows else cum
    after = cum - base[local]
    before = after - toward
    hit = np.flatnonzero((before < tg) & (after >= tg) & (toward > 0))
    f_deadline = lo[hit] + tg[hit] - before[hit]
    if hit.size:
        deadline[local[hit]] = calendar.instant_at(f_deadline)
    zero = target <= 0
    deadline[zero] = start[zero]
    if keep_rows:
        return ClockResult(tickets, elapsed, deadline, rows, counts, counted)
    return ClockResult(tickets, elapsed, deadline)
