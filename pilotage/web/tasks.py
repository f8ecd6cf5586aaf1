"""Background work on huey: SQLite queue by default, Redis or PostgreSQL to scale out.

Run the worker with ``python -m pilotage.web run_huey``.  Tasks take row ids,
never objects, and keep their progress on the row (``Run.status``,
``Run.progress``), so any application server can show it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from pilotage.errors import PilotageError
from pilotage.web.choices import RunStatus
from pilotage.web.live import fetch_source, queue_fetch
from pilotage.web.models import Contract, ImportSnapshot, LiveSource, Run, User
from pilotage.web.reporting import send_scheduled_reports
from pilotage.web.services import compute_run, prepare_run, requeue_abandoned_runs

__all__ = [
    "compute_run_task",
    "enqueue_close_month",
    "enqueue_fetch",
    "fetch_active_sources_task",
    "fetch_source_task",
    "requeue_abandoned_runs_task",
    "send_scheduled_reports_task",
]

ABANDONED_AFTER = dt.timedelta(hours=1)
"""A month closes in seconds; a run still computing after this lost its worker."""


@db_task(retries=1, retry_delay=30)  # type: ignore[untyped-decorator]
def compute_run_task(run_id: int) -> None:
    """Compute the pending run ``run_id`` (a run already claimed or done is left alone)."""
    run = Run.objects.filter(pk=run_id).first()
    if run is not None:
        compute_run(run)


def enqueue_close_month(
    contract: Contract,
    snapshots: Sequence[ImportSnapshot],
    as_of: dt.datetime,
    period: str,
    user: User | None,
) -> Run:
    """Queue the month's closing; return the run row whose status the page can poll."""
    run = prepare_run(contract, snapshots, as_of, period, user)
    if run.status == RunStatus.PENDING:
        run_id = run.pk
        transaction.on_commit(lambda: compute_run_task(run_id))
    return run


@db_periodic_task(crontab(minute="*/10"))  # type: ignore[untyped-decorator]
def requeue_abandoned_runs_task() -> None:
    """Queue again the runs whose worker died while computing them."""
    for run_id in requeue_abandoned_runs(ABANDONED_AFTER):
        compute_run_task(run_id)


@db_periodic_task(crontab(hour="6", minute="0"))  # type: ignore[untyped-decorator]
def send_scheduled_reports_task() -> None:
    """Every morning: email the monthly reports whose reporting day has come."""
    send_scheduled_reports(timezone.localdate())


@db_task()  # type: ignore[untyped-decorator]
def fetch_source_task(source_id: int, user_id: int | None = None) -> None:
    """Fetch the live source ``source_id`` (the outcome is kept on its row)."""
    source = LiveSource.objects.select_related("contract").filter(pk=source_id).first()
    if source is None:
        return
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    with contextlib.suppress(PilotageError):  # kept on the row and in the audit log
        fetch_source(source, user)


def enqueue_fetch(source: LiveSource, user: User | None) -> None:
    """Queue a fetch of ``source``; its row shows the progress."""
    queue_fetch(source)
    source_id, user_id = source.pk, user.pk if user is not None else None
    transaction.on_commit(lambda: fetch_source_task(source_id, user_id))


@db_periodic_task(crontab(hour="5", minute="0"))  # type: ignore[untyped-decorator]
def fetch_active_sources_task() -> None:
    """Every morning: fetch each active live source linked to a contract."""
    for source in LiveSource.objects.filter(active=True, contract__isnull=False):
        enqueue_fetch(source, None)
