"""Fetching a live source: an incremental read of its API merged into the
source's previous extraction, kept as the contract's tickets and events snapshots.

The first fetch (no cursor, or no previous extraction) reads every ticket;
later ones read the tickets modified since the stored cursor.  The latest
extraction of a ticket wins; the merged tables are written as canonical CSV
(UTC instants), so the same content gives the same snapshots.  Progress and
the outcome are kept on the source row; a failure keeps its message in every
language, never a traceback, and leaves the cursor where it was.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from django.utils import timezone

from pilotage.contract.loader import load_contract
from pilotage.errors import PilotageError
from pilotage.i18n import LANGUAGES, t
from pilotage.ingest.canonical import (
    TICKET_COLUMNS,
    merge_extractions,
    read_events_csv,
    read_tickets_csv,
    write_events_csv,
    write_tickets_csv,
)
from pilotage.ingest.live import GlpiClient, ItopClient, LiveResult, RetryPolicy, id_order
from pilotage.tables import Events, Tickets
from pilotage.web import services
from pilotage.web.choices import SnapshotRole, SourceKind
from pilotage.web.models import AuditLog, LiveSource, User

__all__ = ["FETCH_RETRY", "FETCH_TIMEOUT", "FetchStatus", "fetch_source", "queue_fetch"]

logger = logging.getLogger(__name__)

FETCH_TIMEOUT = 60.0
"""Seconds each API request of a fetch waits for the server."""
FETCH_RETRY = RetryPolicy()
"""How often a request failing on the network or a busy server is tried again."""


class FetchStatus:
    """Values of ``LiveSource.fetch_status``."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def _progress(source: LiveSource, status: str, step: str) -> None:
    source.fetch_status, source.fetch_progress = status, step
    LiveSource.objects.filter(pk=source.pk).update(fetch_status=status, fetch_progress=step)


def queue_fetch(source: LiveSource) -> None:
    """Mark ``source`` as waiting for the worker."""
    _progress(source, FetchStatus.QUEUED, "sources.step_queued")


def _read(source: LiveSource, since: str | None, tz: str) -> LiveResult:
    if source.kind == SourceKind.GLPI:
        glpi = GlpiClient(
            source.url,
            app_token=source.app_token,
            user_token=source.user_token,
            timeout=FETCH_TIMEOUT,
            retry=FETCH_RETRY,
        )
        return glpi.fetch(since=since, timezone=tz)
    itop = ItopClient(
        source.url,
        user=source.app_token,
        password=source.user_token,
        timeout=FETCH_TIMEOUT,
        retry=FETCH_RETRY,
    )
    return itop.fetch(since=since, timezone=tz)


def _previous(source: LiveSource, folder: Path) -> tuple[Tickets, Events] | None:
    """The source's last stored extraction, read back from its snapshots."""
    tickets_snapshot, events_snapshot = source.tickets_snapshot, source.events_snapshot
    if tickets_snapshot is None or events_snapshot is None:
        return None
    tickets_path, events_path = folder / "previous-tickets.csv", folder / "previous-events.csv"
    tickets_path.write_bytes(tickets_snapshot.read_bytes())
    events_path.write_bytes(events_snapshot.read_bytes())
    tickets = read_tickets_csv(tickets_path)
    return tickets, read_events_csv(events_path, tickets)


def _by_id(tickets: Tickets, events: Events) -> tuple[Tickets, Events]:
    """The tables in ticket id order (events by ticket then instant), so that the
    same content always writes the same bytes."""
    ids = tickets.id.tolist()
    order = np.array(sorted(range(len(ids)), key=lambda i: id_order(ids[i])), dtype=np.int64)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order] = np.arange(len(ids), dtype=np.int64)
    sorted_tickets = Tickets(**{name: getattr(tickets, name)[order] for name in TICKET_COLUMNS})
    ticket = rank[events.ticket]
    o = np.lexsort((events.at, ticket))
    sorted_events = Events(
        ticket=ticket[o],
        at=events.at[o],
        status=events.status[o],
        pause_reason=events.pause_reason[o],
        priority=events.priority[o],
        source_status=events.source_status[o],
    )
    return sorted_tickets, sorted_events


def _signatures(tickets: Tickets, events: Events) -> dict[str, tuple[Any, ...]]:
    """Each ticket's row and events, to tell a changed ticket from an unchanged one."""
    history: dict[int, list[tuple[Any, ...]]] = {}
    columns = (events.at, events.status, events.pause_reason, events.priority)
    for ticket, *event in zip(events.ticket.tolist(), *(c.tolist() for c in columns), strict=True):
        history.setdefault(ticket, []).append(tuple(event))
    rows = zip(*(getattr(tickets, name).tolist() for name in TICKET_COLUMNS), strict=True)
    return {str(row[0]): (row, tuple(history.get(i, ()))) for i, row in enumerate(rows)}


def _summary(
    fetched: LiveResult, previous: tuple[Tickets, Events] | None, merged: Tickets
) -> dict[str, int]:
    tickets, events = fetched.result.tickets, fetched.result.events
    before = _signatures(*previous) if previous is not None else {}
    now = _signatures(tickets, events)
    new = sum(1 for tid in now if tid not in before)
    changed = sum(1 for tid, sig in now.items() if tid in before and before[tid] != sig)
    return {
        "read": len(tickets),
        "new": new,
        "changed": changed,
        "with_history": int(np.unique(events.ticket).size),
        "total": len(merged),
    }


def fetch_source(source: LiveSource, user: User | None = None) -> dict[str, Any]:
    """Fetch ``source`` now and store the merged extraction as snapshots of its
    contract; return the summary (``read``, ``new``, ``changed``,
    ``with_history``, ``total``, ``stored``).  Failures are kept on the row
    and in the audit log, and raised again as :class:`PilotageError`."""
    try:
        summary = _fetch(source, user)
    except PilotageError as error:
        _failed(source, user, {lang: error.message(lang) for lang in LANGUAGES})
        raise
    except Exception:
        logger.exception("fetch of live source %s failed", source.pk)
        _failed(source, user, {lang: t("sources.fetch_crashed", lang) for lang in LANGUAGES})
        raise
    return summary


def _fetch(source: LiveSource, user: User | None) -> dict[str, Any]:
    contract = source.contract
    if contract is None:
        raise PilotageError("sources.no_contract", {"name": source.name})
    if not (source.app_token and source.user_token):
        raise PilotageError("sources.fetch_tokens_required", {})
    version = contract.current_version()
    if version is None:
        raise PilotageError("sources.no_contract", {"name": source.name})
    tz = str(load_contract(version.text, source_name="contract.yaml").timezone)
    _progress(source, FetchStatus.RUNNING, "sources.step_reading")
    has_previous = source.tickets_snapshot_id is not None and source.events_snapshot_id is not None
    since = source.cursor or None if has_previous else None
    fetched = _read(source, since, tz)
    _progress(source, FetchStatus.RUNNING, "sources.step_storing")
    with tempfile.TemporaryDirectory(prefix="pilotage-live-") as name:
        folder = Path(name)
        previous = _previous(source, folder)
        parts = [(fetched.result.tickets, fetched.result.events)]
        tickets, events = _by_id(*merge_extractions([previous, *parts] if previous else parts))
        tickets_path, events_path = folder / "tickets.csv", folder / "events.csv"
        write_tickets_csv(tickets, tickets_path)
        write_events_csv(events, tickets, events_path)
        stem = f"{source.kind}-{source.pk}"
        tickets_snapshot = services.store_snapshot(
            contract, SnapshotRole.TICKETS, f"{stem}-tickets.csv", tickets_path.read_bytes(), user
        )
        events_snapshot = services.store_snapshot(
            contract, SnapshotRole.EVENTS, f"{stem}-events.csv", events_path.read_bytes(), user
        )
    summary: dict[str, Any] = _summary(fetched, previous, tickets)
    summary["stored"] = (tickets_snapshot.pk, events_snapshot.pk) != (
        source.tickets_snapshot_id,
        source.events_snapshot_id,
    )
    source.cursor = fetched.cursor or source.cursor
    source.tickets_snapshot, source.events_snapshot = tickets_snapshot, events_snapshot
    source.fetch_status, source.fetch_progress = FetchStatus.DONE, ""
    source.fetch_summary, source.fetch_error = summary, {}
    source.fetched_at = timezone.now()
    source.save(
        update_fields=[
            "cursor",
            "tickets_snapshot",
            "events_snapshot",
            "fetch_status",
            "fetch_progress",
            "fetch_summary",
            "fetch_error",
            "fetched_at",
        ]
    )
    AuditLog.record(
        "source.fetched",
        actor=user,
        organization=source.organization,
        obj=source,
        after={
            **summary,
            "since": since or "",
            "cursor": source.cursor,
            "tickets": tickets_snapshot.sha256,
            "events": events_snapshot.sha256,
        },
    )
    return summary


def _failed(source: LiveSource, user: User | None, error: dict[str, str]) -> None:
    source.fetch_status, source.fetch_progress, source.fetch_error = FetchStatus.FAILED, "", error
    source.fetched_at = timezone.now()
    source.save(update_fields=["fetch_status", "fetch_progress", "fetch_error", "fetched_at"])
    AuditLog.record(
        "source.fetch_failed",
        actor=user,
        organization=source.organization,
        obj=source,
        after={"error": error["en"]},
    )
