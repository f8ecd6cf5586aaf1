"""Background work on huey: SQLite queue by default, Redis or PostgreSQL to scale out.

Run the worker with ``python -m pilotage.web run_huey``.  Tasks take row ids,
never objects, and keep their progress on the row (``Run.status``,
``Run.progress``), so any application server can show it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from pilotage.web.choices import RunStatus
from pilotage.web.models import Contract, ImportSnapshot, Run, User
from pilotage.web.reporting import send_scheduled_reports
from pilotage.web.services import compute_run, prepare_run, requeue_abandoned_runs

__all__ = [
    "compute_run_task",
    "enqueue_close_month",
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
