"""The canonical tables: what every importer produces and the engine reads.

All instants are UTC epoch seconds (int64); :data:`MISSING` marks an unknown
instant or number.  Text columns are NumPy object arrays of ``str`` (``""``
when unknown).  Tables are plain containers: they hold no business rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "EVENT_STATUSES",
    "MISSING",
    "STATES",
    "Adjustments",
    "Backups",
    "Claims",
    "Events",
    "Outages",
    "Probes",
    "RestoreTests",
    "Tickets",
    "object_array",
    "select_tickets",
]

MISSING = np.iinfo(np.int64).min
"""Sentinel for an unknown instant or integer."""

STATES = ("open", "resolved", "closed", "cancelled", "merged")
"""Values of ``Tickets.state``."""

EVENT_STATUSES = ("open", "paused", "resolved", "closed")
"""Values of ``Events.status``; ``Events.status`` holds their index (int8)."""

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
Obj = npt.NDArray[np.object_]


def object_array(values: Iterable[Any]) -> Obj:
    """A one-dimensional object array (``np.array`` would make a 'U' array)."""
    items = list(values)
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _check_lengths(table: object) -> None:
    lengths = {f.name: len(getattr(table, f.name)) for f in fields(table)}  # type: ignore[arg-type]
    if len(set(lengths.values())) > 1:
        raise ValueError(f"columns of unequal length: {lengths}")


@dataclass(frozen=True, eq=False)
class Tickets:
    """One row per ticket (``tickets.csv`` in DESIGN.md).

    ``provider_*`` columns are int8: 1 true, 0 false, -1 unknown.
    ``waiting_seconds`` is the source's own pause total or MISSING.
    """

    id: Obj
    kind: Obj
    priority: Obj
    service: Obj
    category: Obj
    site: Obj
    title: Obj
    requester: Obj
    created_at: I64
    first_response_at: I64
    resolved_at: I64
    closed_at: I64
    state: Obj
    parent_id: Obj
    waiting_seconds: I64
    provider_sla_met: I8
    provider_response_met: I8
    provider_resolution_met: I8

    def __post_init__(self) -> None:
        _check_lengths(self)

    def __len__(self) -> int:
        return len(self.id)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> Tickets:
        """Build from dicts keyed by column name (tests, small imports).

        Missing keys take the unknown value: ``""``, MISSING or -1.
        """
        rows = list(rows)
        columns: dict[str, Any] = {}
        for f in fields(cls):
            values = [r.get(f.name) for r in rows]
            if f.name.endswith("_at") or f.name == "waiting_seconds":
                columns[f.name] = np.array(
                    [MISSING if v is None else int(v) for v in values], dtype=np.int64
                )
            elif f.name.startswith("provider_"):
                columns[f.name] = np.array(
                    [-1 if v is None else int(bool(v)) for v in values], dtype=np.int8
                )
            else:
                default = "open" if f.name == "state" else ""
                columns[f.name] = object_array(default if v is None else str(v) for v in values)
        return cls(**columns)


@dataclass(frozen=True, eq=False)
class Events:
    """Status history (``events.csv``), sorted by ticket row then time.

    ``ticket`` is the row index into :class:`Tickets`; ``status`` indexes
    :data:`EVENT_STATUSES`; ``pause_reason`` is set on paused rows and
    ``priority`` on rows where the priority changed (else ``""``).  Rows at the
    same instant keep their file order.
    """

    ticket: I64
    at: I64
    status: I8
    pause_reason: Obj
    priority: Obj
    source_status: Obj

    def __post_init__(self) -> None:
        _check_lengths(self)

    def __len__(self) -> int:
        return len(self.ticket)

    @classmethod
    def empty(cls) -> Events:
        """A table with no row."""
        return cls(
            ticket=np.empty(0, np.int64),
            at=np.empty(0, np.int64),
            status=np.empty(0, np.int8),
            pause_reason=object_array([]),
            priority=object_array([]),
            source_status=object_array([]),
        )

    @classmethod
    def from_rows(cls, tickets: Tickets, rows: Iterable[Mapping[str, Any]]) -> Events:
        """Build from dicts with ``ticket_id``, ``at``, ``status`` and optional
        ``pause_reason``, ``priority``, ``source_status``; sorts stably."""
        index = {tid: i for i, tid in enumerate(tickets.id)}
        rows = list(rows)
        ticket = np.array([index[r["ticket_id"]] for r in rows], dtype=np.int64)
        at = np.array([int(r["at"]) for r in rows], dtype=np.int64)
        order = np.lexsort((at, ticket))
        return cls(
            ticket=ticket[order],
            at=at[order],
            status=np.array([EVENT_STATUSES.index(r["status"]) for r in rows], np.int8)[order],
            pause_reason=object_array(r.get("pause_reason") or "" for r in rows)[order],
            priority=object_array(r.get("priority") or "" for r in rows)[order],
            source_status=object_array(r.get("source_status") or "" for r in rows)[order],
        )


@dataclass(frozen=True, eq=False)
class Outages:
    """Given outage intervals: ``kind`` is "down" or "maintenance";
    ``announced_at`` is MISSING when unknown."""

    service: Obj
    start: I64
    end: I64
    kind: Obj
    announced_at: I64

    def __post_init__(self) -> None:
        _check_lengths(self)

    def __len__(self) -> int:
        return len(self.service)


@dataclass(frozen=True, eq=False)
class Probes:
    """Probe samples: ``up`` is 1 (up) or 0 (down), sorted by service then time."""

    service: Obj
    at: I64
    up: I8

    def __post_init__(self) -> None:
        _check_lengths(self)

    def __len__(self) -> int:
        return len(self.service)


@dataclass(frozen=True, eq=False)
class Backups:
    """Backup job runs: ``status`` is "success", "warning" or "failed"."""

    service: Obj
    scheduled_at: I64
    status: Obj

    def __post_init__(self) -> None:
        _check_lengths(self)

    def __len__(self) -> int:
        return len(self.service)


@dataclass(frozen=True, eq=False)
class RestoreTests:
    """Restore tests performed: ``duration_seconds`` is MISSING when unknown;
    ``success`` is 1, 0 or -1 (unknown)."""

    service: Obj
    performed_at: I64
    duration_seconds: I64
    success: I8

    def __post_init__(self) -> None:
        _check_lengths(self)

    def __len__(self) -> int:
        return len(self.service)


@dataclass(frozen=True, eq=False)
class Adjustments:
    """Waivers agreed in committee (``adjustments.csv``).

    ``decision`` is "exclude" (the ticket leaves the level's population),
    "met" or "breach" (its verdict is set); ``agreed_on`` is an ISO date.
    """

    ticket_id: Obj
    service_level: Obj
    decision: Obj
    reason: Obj
    agreed_on: Obj

    def __post_init__(self) -> None:
        _check_lengths(self)

    def __len__(self) -> int:
        return len(self.ticket_id)


@dataclass(frozen=True, eq=False)
class Claims:
    """The provider's own figures per service level and window
    (``provider_claims.csv``): ``compliance`` is a Decimal fraction or None."""

    service_level: Obj
    window: Obj
    eligible: I64
    met: I64
    compliance: Obj

    def __post_init__(self) -> None:
        _check_lengths(self)

    def __len__(self) -> int:
        return len(self.service_level)


def select_tickets(tickets: Tickets, events: Events, rows: I64) -> tuple[Tickets, Events]:
    """The tickets at ``rows`` (sorted, unique) and their events, renumbered 0..n-1.

    A ticket's clock depends only on its own rows, so the engine can measure such a
    subset (the disputed or breached tickets) without the rest of the table.
    """
    picked = Tickets(**{f.name: getattr(tickets, f.name)[rows] for f in fields(Tickets)})
    keep = np.isin(events.ticket, rows)
    kept = {f.name: getattr(events, f.name)[keep] for f in fields(Events)}
    kept["ticket"] = np.searchsorted(rows, kept["ticket"]).astype(np.int64)
    return picked, Events(**kept)
