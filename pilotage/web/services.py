"""Workflows across objects: the only code that calls the core and writes results.

Views and tasks call these functions; each writes its audit entry.  The
engine is never run inside a database transaction (a long write lock would
block every other user on SQLite): inputs are read, the core computes, then
the results, the report and the audit entry are written in one
``transaction.atomic()``.

- :func:`create_contract`, :func:`add_contract_version`: contract files, validated by the loader.
- :func:`store_snapshot`, :func:`store_upload`: an imported file, size-bounded and
  content-addressed.
- :func:`prepare_run` + :func:`compute_run`, or :func:`close_month` for both:
  a month closed on a set of snapshots, idempotent on its inputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from pilotage import i18n
from pilotage.contract.loader import load_contract
from pilotage.errors import PilotageError
from pilotage.provenance import software_versions
from pilotage.reports import render_json
from pilotage.reports.build import build_monthly_report
from pilotage.run import RunInputs, execute
from pilotage.web.choices import RunStatus, SnapshotRole
from pilotage.web.models import (
    AuditLog,
    Contract,
    ContractVersion,
    ImportSnapshot,
    Organization,
    Run,
    UploadTooLarge,
    User,
    WindowResultRow,
)

__all__ = [
    "RunRequestError",
    "add_contract_version",
    "close_month",
    "compute_run",
    "create_contract",
    "materialize_inputs",
    "prepare_run",
    "requeue_abandoned_runs",
    "store_snapshot",
    "store_upload",
]

log = logging.getLogger(__name__)

_SINGLE_ROLES = tuple(r for r in SnapshotRole.values if r != SnapshotRole.MONITORING)


class RunRequestError(PilotageError):
    """A run asked on inputs that cannot make one (no tickets, two ticket files...)."""


def _lang(user: User | None) -> str:
    return user.language if user is not None else "en"


def create_contract(
    organization: Organization, text: str, user: User | None, source: str = "upload"
) -> Contract:
    """A new contract from its YAML text (checked by the loader; errors raise
    :class:`pilotage.contract.loader.ContractErrors`)."""
    parsed = load_contract(text, source_name="contract.yaml")
    document = parsed.versions[0].terms.document
    title = str((document.get("contract") or {}).get("title") or parsed.id)
    with transaction.atomic():
        contract = Contract.objects.create(
            organization=organization, title=title[:300], reference=parsed.id[:100]
        )
        version = contract.add_version(text, user, source=source)
        AuditLog.record(
            "contract.created",
            actor=user,
            organization=organization,
            obj=contract,
            after={"title": contract.title, "version": version.number, "sha256": version.sha256},
        )
    return contract


def add_contract_version(
    contract: Contract, text: str, user: User | None, source: str = "upload", comment: str = ""
) -> ContractVersion:
    """Store a new version of the contract file (checked first; never overwrites)."""
    load_contract(text, source_name="contract.yaml")
    with transaction.atomic():
        before = contract.current_version()
        version = contract.add_version(text, user, source=source, comment=comment)
        if before is None or version.pk != before.pk:
            AuditLog.record(
                "contract.version_added",
                actor=user,
                organization=contract.organization,
                obj=contract,
                before={"version": before.number, "sha256": before.sha256} if before else None,
                after={"version": version.number, "sha256": version.sha256, "source": source},
            )
    return version


def store_snapshot(
    contract: Contract, role: str, name: str, data: bytes, user: User | None
) -> ImportSnapshot:
    """Keep an imported file (raises ``UploadTooLarge`` over the limit); the same
    bytes for the same contract and role return the existing snapshot."""
    with transaction.atomic():
        count = ImportSnapshot.objects.filter(contract=contract).count()
        snapshot = ImportSnapshot.store(contract, role, name, data, user)
        if ImportSnapshot.objects.filter(contract=contract).count() > count:
            AuditLog.record(
                "snapshot.imported",
                actor=user,
                organization=contract.organization,
                obj=snapshot,
                after={"role": role, "name": snapshot.original_name, "sha256": snapshot.sha256},
            )
    return snapshot


def store_upload(
    contract: Contract, role: str, upload: UploadedFile, user: User | None
) -> ImportSnapshot:
    """:func:`store_snapshot` for a file posted to a view: the size is checked before
    the file is read, so an oversized upload never fills the memory."""
    name = upload.name or "upload"
    limit = settings.MAX_UPLOAD_MB
    if upload.size is not None and upload.size > limit * 1024 * 1024:
        raise UploadTooLarge(
            "web.upload.too_large", {"name": name, "size": upload.size // 2**20, "limit": limit}
        )
    return store_snapshot(contract, role, name, upload.read(), user)


def _inputs_key(
    version: ContractVersion, hashes: list[dict[str, str]], as_of: str, period: str
) -> str:
    payload = {
        "contract": version.sha256,
        "inputs": sorted((h["role"], h["sha256"]) for h in hashes),
        "as_of": as_of,
        "period": period,
        "versions": software_versions(),
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _check_inputs(contract: Contract, snapshots: Sequence[ImportSnapshot], period: str) -> None:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        raise RunRequestError("web.run.bad_period", {"value": period})
    counts: dict[str, int] = defaultdict(int)
    for snapshot in snapshots:
        if snapshot.contract_id != contract.pk:
            raise RunRequestError("web.run.other_contract", {"name": snapshot.original_name})
        counts[snapshot.role] += 1
    if not counts[SnapshotRole.TICKETS]:
        raise RunRequestError("web.run.missing_tickets", {})
    for role in _SINGLE_ROLES:
        if counts[role] > 1:
            raise RunRequestError("web.run.one_per_role", {"role": role, "count": counts[role]})


def prepare_run(
    contract: Contract,
    snapshots: Sequence[ImportSnapshot],
    as_of: dt.datetime,
    period: str,
    user: User | None,
) -> Run:
    """The run row for this request: the existing one for the same inputs (unless it
    failed, then it is queued again), or a new ``pending`` row."""
    _check_inputs(contract, snapshots, period)
    version = contract.current_version()
    if version is None:
        raise RunRequestError("web.run.no_version", {})
    as_of = as_of.astimezone(dt.UTC).replace(microsecond=0)
    hashes = sorted(
        ({"role": s.role, "name": s.original_name, "sha256": s.sha256} for s in snapshots),
        key=lambda h: (h["role"], h["sha256"], h["name"]),
    )
    key = _inputs_key(version, hashes, as_of.isoformat(), period)
    with transaction.atomic():
        run = Run.objects.filter(contract=contract, inputs_key=key).first()
        if run is not None:
            if run.status == RunStatus.FAILED:
                run.status, run.error, run.progress = RunStatus.PENDING, "", ""
                run.save(update_fields=["status", "error", "progress"])
            return run
        created: Run = Run.objects.create(
            organization_id=contract.organization_id,
            contract=contract,
            contract_version=version,
            contract_sha256=version.sha256,
            input_hashes=hashes,
            period=period,
            as_of=as_of,
            inputs_key=key,
            software_versions=software_versions(),
            created_by=user,
        )
        created.snapshots.set(snapshots)
    return created


def materialize_inputs(run: Run, folder: Path) -> RunInputs:
    """Write the contract version and the snapshots under ``folder``, named as uploaded."""
    contract_path = folder / "contract" / "contract.yaml"
    contract_path.parent.mkdir()
    contract_path.write_text(run.contract_version.text, encoding="utf-8")
    paths: dict[str, list[Path]] = defaultdict(list)
    for index, snapshot in enumerate(run.snapshots.order_by("role", "sha256")):
        path = folder / f"{index:03d}-{snapshot.role}" / snapshot.original_name
        path.parent.mkdir()
        path.write_bytes(snapshot.read_bytes())
        paths[snapshot.role].append(path)

    def one(role: str) -> Path | None:
        return paths[role][0] if paths[role] else None

    tickets = one(SnapshotRole.TICKETS)
    assert tickets is not None
    return RunInputs(
        contract=contract_path,
        tickets=tickets,
        events=one(SnapshotRole.EVENTS),
        claims=one(SnapshotRole.CLAIMS),
        monitoring=tuple(paths[SnapshotRole.MONITORING]),
        backups=one(SnapshotRole.BACKUPS),
        restore_tests=one(SnapshotRole.RESTORE_TESTS),
        adjustments=one(SnapshotRole.ADJUSTMENTS),
    )


def _utc(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def compute_run(run: Run) -> Run:
    """Compute a pending run and store everything it produced, or its error.

    The run is claimed first (``pending`` → ``running`` by one conditional
    update), so two workers never compute the same run.  Progress messages are
    saved on the row as the core reports its steps.
    """
    claimed = Run.objects.filter(pk=run.pk, status=RunStatus.PENDING).update(
        status=RunStatus.RUNNING, progress="", started_at=timezone.now()
    )
    if not claimed:
        run.refresh_from_db()
        return run
    lang = _lang(run.created_by)

    def progress(message: str) -> None:
        Run.objects.filter(pk=run.pk).update(progress=message[:200])

    try:
        with tempfile.TemporaryDirectory(prefix="pilotage-run-") as tmp:
            inputs = materialize_inputs(run, Path(tmp))
            result = execute(inputs, as_of=int(run.as_of.timestamp()), progress=progress, lang=lang)
            report = build_monthly_report(result, run.period)
    except PilotageError as error:
        return _fail(run, error.message(lang))
    except Exception:
        log.exception("run %s failed", run.pk)  # the traceback goes to the log only
        return _fail(run, i18n.t("web.close.failed_internal", lang))
    penalties: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in result.penalties.lines:
        penalties[(line.level_id, line.window)] += line.amount
    rows = [
        WindowResultRow(
            organization_id=run.organization_id,
            contract_id=run.contract_id,
            run=run,
            level_id=r.level_id,
            metric=r.metric,
            window=r.window,
            window_start=_utc(r.start),
            window_end=_utc(r.end),
            eligible=r.eligible,
            met=r.met,
            breached=r.breached,
            waived=r.waived,
            value=r.value,
            objective=r.objective,
            status=r.status,
            finality=r.finality,
            penalty=penalties.get((r.level_id, r.window), Decimal("0.00")),
        )
        for r in result.results
    ]
    with transaction.atomic():
        run.refresh_from_db()
        previous = (
            Run.objects.filter(
                contract_id=run.contract_id, period=run.period, status=RunStatus.DONE
            )
            .exclude(pk=run.pk)
            .order_by("-as_of", "-created_at")
            .first()
        )
        run.run_key = result.provenance.run_key()
        run.report_json = render_json(report).decode("utf-8")
        run.status = RunStatus.DONE
        run.progress = ""
        run.finished_at = timezone.now()
        run.restates = previous
        run.save()
        WindowResultRow.objects.bulk_create(rows, batch_size=500)
        contract = Contract.objects.select_related("latest_run").get(pk=run.contract_id)
        if contract.latest_run is None or contract.latest_run.as_of <= run.as_of:
            contract.latest_run = run
            contract.save(update_fields=["latest_run"])
        AuditLog.record(
            "run.closed",
            actor=run.created_by,
            organization=contract.organization,
            obj=run,
            after={
                "period": run.period,
                "as_of": run.as_of.isoformat(),
                "run_key": run.run_key,
                "contract_sha256": run.contract_sha256,
                "inputs": run.input_hashes,
                "restates": previous.pk if previous else None,
            },
        )
    return run


def _fail(run: Run, message: str) -> Run:
    with transaction.atomic():
        Run.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=message, progress="", finished_at=timezone.now()
        )
        run.refresh_from_db()
        AuditLog.record(
            "run.failed",
            actor=run.created_by,
            organization=run.organization,
            obj=run,
            after={"period": run.period, "error": message[:1000]},
        )
    return run


def close_month(
    contract: Contract,
    snapshots: Sequence[ImportSnapshot],
    as_of: dt.datetime,
    period: str,
    user: User | None,
) -> Run:
    """Close ``period`` at ``as_of`` on ``snapshots``, now, in this process.

    Idempotent: the same contract version, files, instant and period return the
    stored run without computing again.  A failed run is retried.
    """
    run = prepare_run(contract, snapshots, as_of, period, user)
    if run.status == RunStatus.PENDING:
        run = compute_run(run)
    return run


def requeue_abandoned_runs(older_than: dt.timedelta) -> list[int]:
    """Put back to ``pending`` the runs claimed more than ``older_than`` ago and still
    ``running`` (their worker died); return their ids for the caller to queue again."""
    cutoff = timezone.now() - older_than
    stale = list(
        Run.objects.filter(status=RunStatus.RUNNING, started_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    requeued = []
    for pk in stale:
        if Run.objects.filter(pk=pk, status=RunStatus.RUNNING, started_at__lt=cutoff).update(
            status=RunStatus.PENDING, progress=""
        ):
            requeued.append(pk)
    return requeued
