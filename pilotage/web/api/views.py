"""The API's operations, under ``/api/v1/o/<org_slug>/``: contracts, snapshots, runs, reports.

Each operation is declared with :func:`~pilotage.web.api.gate.operation` (its action
from the permission matrix) and reads only the organization the middleware
resolved (``request.org``) and the contract it let through (``request.contract``).
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from pilotage.web import services, tasks
from pilotage.web.api.artifacts import FILE_TYPES, report_file
from pilotage.web.api.gate import ApiError, operation, request_lang
from pilotage.web.api.schemas import (
    ContractOut,
    ErrorOut,
    RunCreated,
    RunIn,
    RunOut,
    RunSummary,
    SnapshotOut,
    VersionOut,
    WindowOut,
)
from pilotage.web.choices import RunStatus, SnapshotRole
from pilotage.web.models import (
    Contract,
    ContractVersion,
    ImportSnapshot,
    Run,
    WindowResultRow,
)
from pilotage.web.scoping import OrgRequest

__all__ = ["router"]

router = Router(tags=["organization"])

ORG = "/o/{slug:org_slug}"
CONTRACT = ORG + "/contracts/{int:contract_pk}"
RUN = CONTRACT + "/runs/{int:run_pk}"

ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
}


def _scope(request: HttpRequest) -> OrgRequest:
    return cast(OrgRequest, request)


def _version(version: ContractVersion | None) -> VersionOut | None:
    if version is None:
        return None
    return VersionOut(
        number=version.number,
        sha256=version.sha256,
        source=version.source,
        comment=version.comment,
        created_at=version.created_at,
    )


def _contract(contract: Contract, versions: list[ContractVersion]) -> ContractOut:
    return ContractOut(
        id=contract.pk,
        title=contract.title,
        reference=contract.reference,
        created_at=contract.created_at,
        current_version=_version(versions[0] if versions else None),
        latest_run_id=contract.latest_run_id,
    )


def _snapshot(snapshot: ImportSnapshot) -> SnapshotOut:
    return SnapshotOut(
        id=snapshot.pk,
        role=snapshot.role,
        name=snapshot.original_name,
        sha256=snapshot.sha256,
        size=snapshot.size,
        created_at=snapshot.created_at,
    )


def _decimal(value: object) -> str | None:
    return None if value is None else str(value)


def _window(row: WindowResultRow) -> WindowOut:
    return WindowOut(
        level_id=row.level_id,
        metric=row.metric,
        window=row.window,
        window_start=row.window_start,
        window_end=row.window_end,
        eligible=row.eligible,
        met=row.met,
        breached=row.breached,
        waived=row.waived,
        value=_decimal(row.value),
        objective=_decimal(row.objective),
        status=row.status,
        finality=row.finality,
        penalty=str(row.penalty),
    )


def _run_url(name: str, request: OrgRequest, run: Run) -> str:
    return reverse(
        f"api:{name}",
        kwargs={"org_slug": request.org.slug, "contract_pk": run.contract_id, "run_pk": run.pk},
    )


def _summary_fields(run: Run) -> dict[str, object]:
    return {
        "id": run.pk,
        "period": run.period,
        "as_of": run.as_of,
        "status": run.status,
        "contract_version": run.contract_version.number,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }


def _run(request: OrgRequest, run_pk: int) -> Run:
    run = (
        Run.objects.for_org(request.org)
        .filter(contract=request.contract, pk=run_pk)
        .select_related("contract_version")
        .first()
    )
    if run is None:
        raise ApiError(404, "api.not_found")
    return run


def _done(run: Run) -> Run:
    if run.status != RunStatus.DONE:
        raise ApiError(409, "api.run_not_done", {"run": run.pk, "status": run.status})
    return run


# Contracts -----------------------------------------------------------------------------------


@operation(
    router,
    "GET",
    ORG + "/contracts",
    "contract.view",
    name="contract-list",
    response={200: list[ContractOut], **ERRORS},
    summary="The contracts the caller sees (a provider: those it is attached to)",
)
def contract_list(request: HttpRequest, org_slug: str) -> list[ContractOut]:
    """Contracts of the organization visible to the member."""
    scoped = _scope(request)
    contracts = Contract.objects.visible_to(scoped.membership).prefetch_related(
        Prefetch("versions", queryset=ContractVersion.objects.order_by("-number"))
    )
    return [_contract(c, list(c.versions.all()[:1])) for c in contracts]


@operation(
    router,
    "GET",
    CONTRACT,
    "contract.view",
    name="contract-get",
    response={200: ContractOut, **ERRORS},
    summary="A contract with its current version",
)
def contract_get(request: HttpRequest, org_slug: str, contract_pk: int) -> ContractOut:
    """One contract."""
    contract = _scope(request).contract
    return _contract(contract, list(contract.versions.order_by("-number")[:1]))


@operation(
    router,
    "GET",
    CONTRACT + "/versions",
    "contract.view",
    name="contract-versions",
    response={200: list[VersionOut], **ERRORS},
    summary="Every version of the contract file, newest first",
)
def contract_versions(request: HttpRequest, org_slug: str, contract_pk: int) -> list[VersionOut]:
    """The versions, newest first (text not included: see the ``file`` operation)."""
    versions = _scope(request).contract.versions.order_by("-number").defer("text")
    return [v for v in (_version(x) for x in versions) if v is not None]


@operation(
    router,
    "POST",
    CONTRACT + "/versions",
    "contract.edit",
    name="contract-version-upload",
    response={200: VersionOut, 201: VersionOut, **ERRORS},
    summary="Upload a new version of the contract file (YAML); the same text is not stored twice",
    upload=True,
)
def contract_version_upload(
    request: HttpRequest,
    org_slug: str,
    contract_pk: int,
    file: File[UploadedFile],
    comment: Form[str] = "",
) -> Status[VersionOut]:
    """Check the file with the contract loader and store it as the newest version."""
    scoped = _scope(request)
    name = file.name or "contract.yaml"
    if file.size is not None and file.size > settings.MAX_UPLOAD_MB * 2**20:
        raise ApiError(
            413,
            "web.upload.too_large",
            {"name": name, "size": file.size // 2**20, "limit": settings.MAX_UPLOAD_MB},
        )
    try:
        text = file.read().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(422, "api.not_utf8", {"name": name}) from error
    before = scoped.contract.current_version()
    version = services.add_contract_version(
        scoped.contract, text, scoped.user, source="upload", comment=comment[:300]
    )
    created = before is None or before.pk != version.pk
    out = _version(version)
    assert out is not None
    return Status(201 if created else 200, out)


@operation(
    router,
    "GET",
    CONTRACT + "/file",
    "contract.view",
    name="contract-file",
    response={200: None, **ERRORS},
    summary="The current contract file (YAML text)",
)
def contract_file(request: HttpRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """The newest version's text, with its SHA-256 as ETag."""
    version = _scope(request).contract.current_version()
    if version is None:
        raise ApiError(404, "api.not_found")
    response = HttpResponse(version.text, content_type="application/yaml; charset=utf-8")
    response["ETag"] = f'"{version.sha256}"'
    response["Content-Disposition"] = f'inline; filename="contract-v{version.number}.yaml"'
    return response


# Snapshots -----------------------------------------------------------------------------------


@operation(
    router,
    "GET",
    CONTRACT + "/snapshots",
    "contract.view",
    name="snapshot-list",
    response={200: list[SnapshotOut], **ERRORS},
    summary="The files imported for the contract, newest first",
)
def snapshot_list(request: HttpRequest, org_slug: str, contract_pk: int) -> list[SnapshotOut]:
    """Imported files (without their bytes)."""
    scoped = _scope(request)
    snapshots = (
        ImportSnapshot.objects.for_org(scoped.org)
        .filter(contract=scoped.contract)
        .defer("content")
        .order_by("-created_at", "-id")
    )
    return [_snapshot(s) for s in snapshots]


@operation(
    router,
    "POST",
    CONTRACT + "/snapshots",
    "snapshot.upload",
    name="snapshot-upload",
    response={200: SnapshotOut, 201: SnapshotOut, **ERRORS},
    summary="Upload an export (201); the same bytes for the same role return the stored one (200)",
    upload=True,
)
def snapshot_upload(
    request: HttpRequest,
    org_slug: str,
    contract_pk: int,
    role: Form[SnapshotRole],
    file: File[UploadedFile],
) -> Status[SnapshotOut]:
    """Store the file as an immutable snapshot addressed by its SHA-256."""
    scoped = _scope(request)
    known = set(
        ImportSnapshot.objects.filter(contract=scoped.contract, role=role).values_list(
            "sha256", flat=True
        )
    )
    snapshot = services.store_upload(scoped.contract, role, file, scoped.user)
    return Status(200 if snapshot.sha256 in known else 201, _snapshot(snapshot))


# Runs ----------------------------------------------------------------------------------------


@operation(
    router,
    "GET",
    CONTRACT + "/runs",
    "run.view",
    name="run-list",
    response={200: list[RunSummary], **ERRORS},
    summary="The contract's runs, newest as_of first",
)
def run_list(request: HttpRequest, org_slug: str, contract_pk: int) -> list[RunSummary]:
    """Runs of the contract."""
    scoped = _scope(request)
    runs = (
        Run.objects.for_org(scoped.org)
        .filter(contract=scoped.contract)
        .select_related("contract_version")
        .defer("report_json", "contract_version__text")
    )
    return [RunSummary(**_summary_fields(r)) for r in runs]  # type: ignore[arg-type]


@operation(
    router,
    "POST",
    CONTRACT + "/runs",
    "run.close_month",
    name="run-create",
    response={200: RunCreated, 202: RunCreated, **ERRORS},
    summary="Close a month: queue a run (202), or return the same request's finished run (200)",
)
def run_create(
    request: HttpRequest, org_slug: str, contract_pk: int, payload: RunIn
) -> Status[RunCreated]:
    """Queue the month's closing on the named snapshots at ``as_of``."""
    scoped = _scope(request)
    if payload.as_of.utcoffset() is None:
        raise ApiError(422, "api.naive_as_of", {"value": payload.as_of.isoformat()})
    wanted = list(dict.fromkeys(payload.snapshots))
    snapshots = list(
        ImportSnapshot.objects.for_org(scoped.org)
        .filter(contract=scoped.contract, sha256__in=wanted)
        .defer("content")
    )
    found = {s.sha256 for s in snapshots}
    for sha256 in wanted:
        if sha256 not in found:
            raise ApiError(422, "api.unknown_snapshot", {"sha256": sha256})
    run = tasks.enqueue_close_month(
        scoped.contract, snapshots, payload.as_of.astimezone(dt.UTC), payload.period, scoped.user
    )
    status = 200 if run.status == RunStatus.DONE else 202
    created = RunCreated(id=run.pk, status=run.status, status_url=_run_url("run-get", scoped, run))
    return Status(status, created)


@operation(
    router,
    "GET",
    RUN,
    "run.view",
    name="run-get",
    response={200: RunOut, **ERRORS},
    summary="A run: status, progress, inputs and, once done, its window results",
)
def run_get(request: HttpRequest, org_slug: str, contract_pk: int, run_pk: int) -> RunOut:
    """The run and its window rows."""
    scoped = _scope(request)
    run = _run(scoped, run_pk)
    rows = WindowResultRow.objects.filter(run=run).order_by("level_id", "window_start")
    done = run.status == RunStatus.DONE
    return RunOut(
        **_summary_fields(run),  # type: ignore[arg-type]
        progress=run.progress,
        error=run.error,
        contract_sha256=run.contract_sha256,
        inputs=run.input_hashes,
        run_key=run.run_key,
        restates=run.restates_id,
        report_url=_run_url("run-report-json", scoped, run) if done else None,
        windows=[_window(r) for r in rows] if done else [],
    )


@operation(
    router,
    "GET",
    RUN + "/report.json",
    "report.download",
    name="run-report-json",
    response={200: None, **ERRORS},
    summary="The monthly report, canonical JSON (byte-identical to the command line's)",
)
def run_report_json(
    request: HttpRequest, org_slug: str, contract_pk: int, run_pk: int
) -> HttpResponse:
    """The stored report JSON."""
    run = _done(_run(_scope(request), run_pk))
    return HttpResponse(run.report_json.encode("utf-8"), content_type="application/json")


def _file(request: HttpRequest, run_pk: int, kind: str, stem: str) -> HttpResponse:
    scoped = _scope(request)
    run = _done(_run(scoped, run_pk))
    lang = request.GET.get("lang") or request_lang(request)
    if lang not in ("en", "fr"):
        lang = request_lang(request)
    data = report_file(run, kind, lang, scoped.user)
    response = HttpResponse(data, content_type=FILE_TYPES[kind])
    filename = f"{stem}-{scoped.contract.reference or scoped.contract.pk}-{run.period}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@operation(
    router,
    "GET",
    RUN + "/report.pdf",
    "report.download",
    name="run-report-pdf",
    response={200: None, **ERRORS},
    summary="The monthly report as PDF (?lang=fr|en, default the caller's language)",
)
def run_report_pdf(
    request: HttpRequest, org_slug: str, contract_pk: int, run_pk: int
) -> HttpResponse:
    """The report rendered as PDF."""
    return _file(request, run_pk, "pdf", "report")


@operation(
    router,
    "GET",
    RUN + "/report.xlsx",
    "report.download",
    name="run-report-xlsx",
    response={200: None, **ERRORS},
    summary="The monthly report as XLSX (?lang=fr|en, default the caller's language)",
)
def run_report_xlsx(
    request: HttpRequest, org_slug: str, contract_pk: int, run_pk: int
) -> HttpResponse:
    """The report as a workbook with typed cells."""
    return _file(request, run_pk, "xlsx", "report")


@operation(
    router,
    "GET",
    RUN + "/evidence.zip",
    "evidence.export",
    name="run-evidence",
    response={200: None, **ERRORS},
    summary="The evidence archive: report, provenance, contract version, per-ticket measurements",
)
def run_evidence(
    request: HttpRequest, org_slug: str, contract_pk: int, run_pk: int
) -> HttpResponse:
    """The reproducible evidence ZIP."""
    return _file(request, run_pk, "zip", "evidence")
