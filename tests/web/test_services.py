"""Closing a month: the core's results stored once, idempotently, with the audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from pilotage.reports import render_json
from pilotage.reports.build import build_monthly_report
from pilotage.run import RunInputs, execute
from pilotage.web import services
from pilotage.web.choices import RunStatus, SnapshotRole
from pilotage.web.models import AuditLog, Contract, ImportSnapshot, Run, WindowResultRow
from pilotage.web.tasks import enqueue_close_month
from tests.web.builders import DEMO_AS_OF, DEMO_DATA, World, demo_snapshots
from tests.web.helpers import query_budget

AS_OF = DEMO_AS_OF


def _snapshots(contract: Contract) -> list[ImportSnapshot]:
    return demo_snapshots(contract)


def test_close_month_stores_the_core_report_byte_for_byte(world: World) -> None:
    user = world.users["referent"]
    run = services.close_month(world.contract, _snapshots(world.contract), AS_OF, "2026-10", user)
    assert run.status == RunStatus.DONE, run.error
    core = execute(
        RunInputs(
            contract=DEMO_DATA / "contract.yaml",
            tickets=DEMO_DATA / "tickets.csv",
            events=DEMO_DATA / "events.csv",
            claims=DEMO_DATA / "claims.csv",
            monitoring=[DEMO_DATA / "outages.csv"],
            backups=DEMO_DATA / "backups.csv",
            restore_tests=DEMO_DATA / "restore_tests.csv",
            adjustments=DEMO_DATA / "adjustments.csv",
        ),
        as_of=int(AS_OF.timestamp()),
    )
    assert run.report_json == render_json(build_monthly_report(core, "2026-10")).decode()
    assert run.run_key == core.provenance.run_key()
    rows = WindowResultRow.objects.filter(run=run)
    assert rows.count() == len(core.results)
    due = sum(line.amount for line in core.penalties.lines)
    assert sum(r.penalty for r in rows) == due
    world.contract.refresh_from_db()
    assert world.contract.latest_run_id == run.pk
    entry = AuditLog.objects.get(action="run.closed")
    assert entry.actor == user and entry.organization == world.org
    assert entry.after is not None and entry.after["run_key"] == run.run_key


def test_close_month_is_idempotent(world: World) -> None:
    snapshots = _snapshots(world.contract)
    first = services.close_month(world.contract, snapshots, AS_OF, "2026-10", None)
    rows = WindowResultRow.objects.count()
    with query_budget(8):
        again = services.close_month(world.contract, snapshots[::-1], AS_OF, "2026-10", None)
    assert again.pk == first.pk
    assert WindowResultRow.objects.count() == rows
    assert Run.objects.count() == 1


def test_a_restatement_is_a_new_run_pointing_at_the_previous_one(world: World) -> None:
    snapshots = _snapshots(world.contract)
    first = services.close_month(world.contract, snapshots, AS_OF, "2026-10", None)
    adjustments = (DEMO_DATA / "adjustments.csv").read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[0]
    changed = services.store_snapshot(
        world.contract, SnapshotRole.ADJUSTMENTS, "adjustments.csv", adjustments + b"\n", None
    )
    inputs = [s for s in snapshots if s.role != SnapshotRole.ADJUSTMENTS] + [changed]
    second = services.close_month(world.contract, inputs, AS_OF, "2026-10", None)
    assert second.pk != first.pk and second.status == RunStatus.DONE
    assert second.restates == first
    assert Run.objects.get(pk=first.pk).report_json == first.report_json


def test_a_bad_file_fails_the_run_with_the_file_named(world: World) -> None:
    bad = services.store_snapshot(
        world.contract, SnapshotRole.TICKETS, "export.csv", b"nothing,useful\n1,2\n", None
    )
    run = services.close_month(world.contract, [bad], AS_OF, "2026-10", world.users["referent"])
    assert run.status == RunStatus.FAILED
    assert "export.csv" in run.error
    assert AuditLog.objects.filter(action="run.failed").count() == 1
    assert not WindowResultRow.objects.filter(run=run).exists()


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda s: [x for x in s if x.role != SnapshotRole.TICKETS], "web.run.missing_tickets"),
        (lambda s: [*s, s[0]], "web.run.one_per_role"),
    ],
)
def test_impossible_requests_are_refused(
    world: World, make: Callable[[list[ImportSnapshot]], list[ImportSnapshot]], code: str
) -> None:
    with pytest.raises(services.RunRequestError) as caught:
        services.prepare_run(
            world.contract, make(_snapshots(world.contract)), AS_OF, "2026-10", None
        )
    assert caught.value.code == code


def test_a_bad_period_is_refused(world: World) -> None:
    with pytest.raises(services.RunRequestError) as caught:
        services.prepare_run(world.contract, _snapshots(world.contract), AS_OF, "2026-13", None)
    assert caught.value.message("fr") == "Un mois du type 2026-10 était attendu, reçu « 2026-13 »."


def test_the_background_task_computes_the_queued_run(
    world: World, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        run = enqueue_close_month(
            world.contract, _snapshots(world.contract), AS_OF, "2026-10", None
        )
        assert run.status == RunStatus.PENDING
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.window_rows.exists()


def test_runs_abandoned_by_a_dead_worker_are_queued_again(world: World) -> None:
    from django.utils import timezone

    from tests.web.builders import pending_run

    stuck, recent = pending_run(world.contract, "2026-09"), pending_run(world.contract)
    long_ago = timezone.now() - dt.timedelta(hours=3)
    Run.objects.filter(pk=stuck.pk).update(status=RunStatus.RUNNING, started_at=long_ago)
    Run.objects.filter(pk=recent.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    assert services.requeue_abandoned_runs(dt.timedelta(hours=1)) == [stuck.pk]
    assert Run.objects.get(pk=stuck.pk).status == RunStatus.PENDING
    assert Run.objects.get(pk=recent.pk).status == RunStatus.RUNNING


def test_an_unexpected_failure_is_logged_and_never_shown_as_a_traceback(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "build_monthly_report", explode)
    run = services.close_month(world.contract, _snapshots(world.contract), AS_OF, "2026-10", None)
    assert run.status == RunStatus.FAILED
    assert "Traceback" not in run.error and "boom" not in run.error
    assert "internal error" in run.error
