"""Closing a month: upload the exports, check how they were read, enter the provider's
figures, launch the run and watch it.

The wizard keeps its choices in the session (one closing per contract and
user).  A provider's export is read with the chosen preset (or a saved mapping
file) and, once its timezone is settled, stored as Pilotage's canonical
``tickets.csv``/``events.csv`` (instants in UTC): the run reads those, so the
same export, preset and timezone always give the same snapshots and the same
run.  Naive times are never read in a silent default: the contract's timezone
is proposed and the user confirms it or picks another.  Providers may upload
and check their exports; only the steering roles launch the month.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from pilotage import i18n
from pilotage.contract.loader import load_contract
from pilotage.errors import PilotageError
from pilotage.ingest.canonical import write_events_csv, write_tickets_csv
from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.mapping import Mapping, load_mapping, normalize
from pilotage.ingest.sources import ImportResult, read_canonical, read_mapped, source_names
from pilotage.ingest.sources.columns import ColumnView, canonical_mapping, describe_columns
from pilotage.ingest.summary import OPENING_HOURS, Summary, summarize
from pilotage.tables import MISSING
from pilotage.timeutil import check_timezone
from pilotage.web import services, tasks
from pilotage.web.auth import client_ip
from pilotage.web.choices import SnapshotRole
from pilotage.web.models import AuditLog, ImportSnapshot, Run, UploadTooLarge
from pilotage.web.queries_dashboard import month_label, previous_months
from pilotage.web.rendering import render_page
from pilotage.web.scoping import OrgRequest, requires

__all__ = [
    "closing_claims",
    "closing_launch",
    "closing_preview",
    "closing_progress",
    "closing_review",
    "closing_start",
]

OPTIONAL_ROLES = (
    SnapshotRole.EVENTS,
    SnapshotRole.CLAIMS,
    SnapshotRole.MONITORING,
    SnapshotRole.BACKUPS,
    SnapshotRole.RESTORE_TESTS,
    SnapshotRole.ADJUSTMENTS,
)
NAIVE_CODES = frozenset({"import.naive_without_timezone", "ingest.naive_instants"})
"""Problems meaning "these times have no UTC offset and no timezone was stated"."""
MAPPING_MAX_BYTES = 256 * 1024
STEPS = ("upload", "preview", "claims", "launch")


def _key(request: OrgRequest) -> str:
    return f"closing:{request.contract.pk}"


def _state(request: OrgRequest) -> dict[str, Any]:
    state: dict[str, Any] = dict(request.session.get(_key(request)) or {})
    return state


def _save(request: OrgRequest, state: dict[str, Any]) -> None:
    request.session[_key(request)] = state


def _lang(request: OrgRequest) -> str:
    return str(getattr(request, "lang", "en"))


def _contract_zone(request: OrgRequest) -> str:
    version = request.contract.current_version()
    if version is None:
        return "UTC"
    return load_contract(version.text).versions[-1].terms.timezone


def _default_period(zone: str) -> str:
    today = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()
    return previous_months(f"{today.year:04d}-{today.month:02d}", 2)[0]


def _snapshots(request: OrgRequest, ids: Sequence[int]) -> dict[int, ImportSnapshot]:
    found = (
        ImportSnapshot.objects.for_org(request.org)
        .filter(contract=request.contract, pk__in=list(ids))
        .defer("content")
    )
    return {s.pk: s for s in found}


def _context(request: OrgRequest, step: str, **extra: Any) -> dict[str, Any]:
    return {"step": step, "steps": STEPS, "state": _state(request), **extra}


# Step 1: the files.


@requires("snapshot.upload")
def closing_start(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """Choose the month, the source tool (or a saved mapping) and the files."""
    lang = _lang(request)
    zone = _contract_zone(request)
    state = _state(request)
    errors: list[str] = []
    if request.method == "POST":
        period = request.POST.get("period", "").strip()
        source = request.POST.get("source", "canonical")
        if source not in source_names():
            errors.append(i18n.t("web.close.bad_source", lang, value=source))
        try:
            previous_months(period, 1)
        except ValueError:
            errors.append(i18n.t("web.run.bad_period", lang, value=period))
        mapping_text = state.get("mapping_text", "") if source == state.get("source") else ""
        upload = request.FILES.get("mapping")
        if upload is not None:
            data = upload.read(MAPPING_MAX_BYTES + 1)
            mapping_text, problem = _read_mapping(data, upload.name or "mapping.yaml", lang)
            if problem:
                errors.append(problem)
        files: dict[str, int] = {}
        for role in (SnapshotRole.TICKETS, *OPTIONAL_ROLES):
            posted = request.FILES.get(f"file_{role}")
            if posted is not None:
                try:
                    files[role] = services.store_upload(
                        request.contract, role, posted, request.user
                    ).pk
                except UploadTooLarge as error:
                    errors.append(error.message(lang))
            elif request.POST.get(f"existing_{role}", "").isdigit():
                files[role] = int(request.POST[f"existing_{role}"])
        known = _snapshots(request, list(files.values()))
        files = {r: pk for r, pk in files.items() if pk in known and known[pk].role == r}
        if SnapshotRole.TICKETS not in files:
            errors.append(i18n.t("web.close.tickets_required", lang))
        if not errors:
            _save(
                request,
                {
                    "period": period,
                    "source": source,
                    "mapping_text": mapping_text,
                    "files": files,
                    "timezone": "",
                    "confirmed": False,
                },
            )
            return redirect("web:closing-preview", org_slug, contract_pk)
        state = {**state, "period": period, "source": source}
    existing: dict[str, list[ImportSnapshot]] = {}
    recent = (
        ImportSnapshot.objects.for_org(request.org)
        .filter(contract=request.contract)
        .defer("content")
        .select_related("created_by")
        .order_by("-created_at")[:60]
    )
    for snapshot in recent:
        existing.setdefault(snapshot.role, []).append(snapshot)
    roles = [
        {"role": r, "existing": existing.get(r, [])[:6], "chosen": state.get("files", {}).get(r)}
        for r in (SnapshotRole.TICKETS, *OPTIONAL_ROLES)
    ]
    return render_page(
        request,
        "web/closing_upload.html",
        _context(
            request,
            "upload",
            errors=errors,
            roles=roles,
            sources=source_names(),
            period=state.get("period") or _default_period(zone),
            source=state.get("source", "canonical"),
            has_mapping=bool(state.get("mapping_text")),
        ),
        status=400 if errors else 200,
    )


def _read_mapping(data: bytes, name: str, lang: str) -> tuple[str, str]:
    """The text of an uploaded mapping file, or the problem that stops it."""
    if len(data) > MAPPING_MAX_BYTES:
        return "", i18n.t("web.close.mapping_too_large", lang, limit=MAPPING_MAX_BYTES // 1024)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "", i18n.t("web.close.mapping_not_text", lang)
    with tempfile.TemporaryDirectory(prefix="pilotage-mapping-") as tmp:
        path = Path(tmp) / "mapping.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_mapping(str(path))
        except PilotageError as error:
            return "", error.message(lang).replace(str(path), Path(name).name)
    return text, ""


# Step 2: how the export was read.


@dataclass
class Preview:
    """What the import read, or why it could not."""

    errors: list[str] = field(default_factory=list)
    naive: bool = False
    """The export has times without offset: a timezone must be confirmed."""
    timezone: str | None = None
    """The timezone the figures below were read in."""
    proposed: str = ""
    summary: Summary | None = None
    columns: list[ColumnView] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    result: ImportResult | None = None
    notes: list[str] = field(default_factory=list)
    rows: list[tuple[ColumnView, list[tuple[str, str]]]] = field(default_factory=list)
    """Each column with its values and what the mapping makes of them."""


def _mapping(state: dict[str, Any], folder: Path) -> Mapping | None:
    if state.get("mapping_text"):
        path = folder / "mapping.yaml"
        path.write_text(state["mapping_text"], encoding="utf-8")
        return load_mapping(str(path))
    if state["source"] == "canonical":
        return None
    return load_mapping(state["source"])


def _read(
    state: dict[str, Any], raw: dict[str, ImportSnapshot], folder: Path, timezone: str | None
) -> tuple[ImportResult, Mapping | None, list[Path]]:
    tickets = raw[SnapshotRole.TICKETS]
    path = folder / "t" / tickets.original_name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(tickets.read_bytes())
    mapping = _mapping(state, folder)
    if mapping is not None:
        return read_mapped([path], mapping.with_timezone(timezone)), mapping, [path]
    events = raw.get(SnapshotRole.EVENTS)
    events_path = None
    if events is not None:
        events_path = folder / "e" / events.original_name
        events_path.parent.mkdir(exist_ok=True)
        events_path.write_bytes(events.read_bytes())
    return read_canonical([path], events_path, timezone=timezone), None, [path]


def _naive(error: ImportErrors) -> bool:
    return error.code in NAIVE_CODES or any(p.code in NAIVE_CODES for p in error.problems)


def _preview(
    state: dict[str, Any], raw: dict[str, ImportSnapshot], zone: str, lang: str
) -> Preview:
    preview = Preview(proposed=zone)
    chosen = state.get("timezone") or None
    with tempfile.TemporaryDirectory(prefix="pilotage-preview-") as tmp:
        folder = Path(tmp)
        try:
            try:
                result, mapping, _ = _read(state, raw, folder, chosen)
                timezone = chosen or (mapping.timezone if mapping is not None else None)
            except ImportErrors as error:
                if chosen is not None or not _naive(error):
                    raise
                preview.naive = True
                result, mapping, _ = _read(state, raw, folder, zone)
                timezone = zone
            preview.naive = preview.naive or bool(chosen)
            preview.result = result
            preview.timezone = timezone
            # Creation hours are checked against the contract's timezone: times read
            # in the wrong zone fall outside its opening hours.
            preview.summary = summarize(result, zone)
            report = result.report
            preview.notes = [i18n.t(code, lang, **params) for code, params in report.notes]
            for reason, count in report.ignored_rows.items():
                preview.notes.append(
                    i18n.t(
                        "web.close.rows_left_aside",
                        lang,
                        reason=i18n.t(reason, lang),
                        count=i18n.fmt_number(count, lang),
                    )
                )
        except PilotageError as error:
            text = error.message(lang)
            for sub in ("t", "e"):
                text = text.replace(f"{folder / sub}/", "")
            preview.errors = [line.strip(" -") for line in text.splitlines()]
        tickets = folder / "t" / raw[SnapshotRole.TICKETS].original_name
        if tickets.exists():
            shown = _mapping(state, folder) or canonical_mapping()
            preview.columns, preview.missing = describe_columns([tickets], shown, samples=12)
            preview.rows = [(c, _understood(c, shown)) for c in preview.columns]
    return preview


def _understood(column: ColumnView, mapping: Mapping) -> list[tuple[str, str]]:
    """How the mapping translates the column's values (``Moyenne`` → ``P3``)."""
    pairs: list[tuple[str, str]] = []
    for value in column.samples:
        key = normalize(value)
        if column.field in ("status", "state") and key in mapping.statuses:
            rule = mapping.statuses[key]
            meaning = rule.state or rule.status
            pairs.append(
                (value, f"{meaning} ({rule.pause_reason})" if rule.pause_reason else meaning)
            )
        elif column.field in mapping.values and key in mapping.values[column.field]:
            pairs.append((value, mapping.values[column.field][key]))
    return pairs


def _instant(seconds: int, zone: str, lang: str) -> str:
    moment = dt.datetime.fromtimestamp(seconds, dt.UTC).astimezone(zoneinfo.ZoneInfo(zone))
    return i18n.fmt_datetime(moment, lang)


def _raw(request: OrgRequest, state: dict[str, Any]) -> dict[str, ImportSnapshot]:
    files: dict[str, int] = state.get("files") or {}
    known = _snapshots(request, list(files.values()))
    return {role: known[pk] for role, pk in files.items() if pk in known}


@requires("snapshot.upload")
def closing_preview(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """How each column and value was understood, the counts, and the timezone question."""
    lang = _lang(request)
    state = _state(request)
    raw = _raw(request, state)
    if SnapshotRole.TICKETS not in raw:
        return redirect("web:closing-start", org_slug, contract_pk)
    zone = _contract_zone(request)
    problems: list[str] = []
    if request.method == "POST":
        chosen = request.POST.get("timezone", "").strip()
        if chosen:
            try:
                check_timezone(chosen)
            except ValueError:
                problems.append(i18n.t("web.close.bad_timezone", lang, timezone=chosen))
                chosen = ""
        if not problems:
            state["timezone"] = chosen
            state["confirmed"] = False
            _save(request, state)
        if not problems and request.POST.get("action") == "confirm":
            preview = _preview(state, raw, zone, lang)
            if preview.errors:
                problems.extend(preview.errors)
            elif preview.naive and not chosen:
                problems.append(i18n.t("web.close.timezone_required", lang, timezone=zone))
            else:
                return _confirm(request, state, raw, preview)
    preview = _preview(state, raw, zone, lang)
    summary = preview.summary
    shown_zone = preview.timezone or zone
    context = _context(
        request,
        "preview",
        preview=preview,
        problems=problems,
        raw=raw,
        zone=zone,
        shown_zone=shown_zone,
        zones=sorted(zoneinfo.available_timezones()),
        first=_instant(summary.first_created, shown_zone, lang)
        if summary and summary.first_created != MISSING
        else "",
        last=_instant(summary.last_created, shown_zone, lang)
        if summary and summary.last_created != MISSING
        else "",
        opening=f"{OPENING_HOURS[0]:02d}",
        closing=f"{OPENING_HOURS[1]:02d}",
        period_label=month_label(state["period"], lang),
    )
    return render_page(
        request, "web/closing_preview.html", context, status=400 if problems else 200
    )


def _confirm(
    request: OrgRequest, state: dict[str, Any], raw: dict[str, ImportSnapshot], preview: Preview
) -> HttpResponse:
    """Store what the run will read: the canonical files (UTC), or the canonical upload as is."""
    result = preview.result
    assert result is not None
    inputs: dict[str, int] = {}
    canonical_as_is = state["source"] == "canonical" and not preview.naive
    if canonical_as_is:
        inputs[SnapshotRole.TICKETS] = raw[SnapshotRole.TICKETS].pk
        if SnapshotRole.EVENTS in raw:
            inputs[SnapshotRole.EVENTS] = raw[SnapshotRole.EVENTS].pk
    else:
        stem = Path(raw[SnapshotRole.TICKETS].original_name).stem
        with tempfile.TemporaryDirectory(prefix="pilotage-canonical-") as tmp:
            tickets_path = Path(tmp) / f"{stem}.tickets.csv"
            write_tickets_csv(result.tickets, tickets_path)
            inputs[SnapshotRole.TICKETS] = services.store_snapshot(
                request.contract,
                SnapshotRole.TICKETS,
                tickets_path.name,
                tickets_path.read_bytes(),
                request.user,
            ).pk
            if len(result.events):
                events_path = Path(tmp) / f"{stem}.events.csv"
                write_events_csv(result.events, result.tickets, events_path)
                inputs[SnapshotRole.EVENTS] = services.store_snapshot(
                    request.contract,
                    SnapshotRole.EVENTS,
                    events_path.name,
                    events_path.read_bytes(),
                    request.user,
                ).pk
    state["inputs"] = inputs
    state["confirmed"] = True
    _save(request, state)
    if preview.naive:
        AuditLog.record(
            "closing.timezone_confirmed",
            actor=request.user,
            organization=request.org,
            obj=request.contract,
            after={
                "file": raw[SnapshotRole.TICKETS].original_name,
                "sha256": raw[SnapshotRole.TICKETS].sha256,
                "timezone": state["timezone"],
            },
            ip=client_ip(request),
        )
    return redirect("web:closing-claims", request.org.slug, request.contract.pk)


# Step 3: the provider's own figures.


def _levels(request: OrgRequest) -> list[dict[str, str]]:
    version = request.contract.current_version()
    if version is None:
        return []
    terms = load_contract(version.text).versions[-1].terms
    return [{"id": s.id, "name": s.name, "metric": s.metric} for s in terms.service_levels]


def _percent(text: str) -> Decimal | None:
    cleaned = text.replace("%", "").replace(",", ".").strip()
    if not cleaned:
        return None
    try:
        return Decimal(cleaned) / 100
    except InvalidOperation:
        return None


def _claims_rows(
    post: Any, levels: list[dict[str, str]], period: str, lang: str
) -> tuple[list[list[str]], list[str]]:
    """The claims CSV rows of the form, and its problems."""
    rows: list[list[str]] = []
    problems: list[str] = []
    for level in levels:
        values = {
            k: post.get(f"{k}_{level['id']}", "").strip() for k in ("eligible", "met", "compliance")
        }
        if not any(values.values()):
            continue
        counts: dict[str, int | None] = {}
        for name in ("eligible", "met"):
            text = values[name]
            counts[name] = int(text) if text.isdigit() else None
            if text and counts[name] is None:
                problems.append(
                    i18n.t("web.close.claims_bad_count", lang, level=level["name"], value=text)
                )
        ratio = _percent(values["compliance"])
        if values["compliance"] and (ratio is None or not 0 <= ratio <= 1):
            problems.append(
                i18n.t(
                    "web.close.claims_bad_ratio",
                    lang,
                    level=level["name"],
                    value=values["compliance"],
                )
            )
            continue
        eligible, met = counts["eligible"], counts["met"]
        if eligible is not None and met is not None and met > eligible:
            problems.append(
                i18n.t(
                    "web.close.claims_met_over",
                    lang,
                    level=level["name"],
                    met=met,
                    eligible=eligible,
                )
            )
            continue
        if ratio is None and eligible and met is not None:
            ratio = Decimal(met) / Decimal(eligible)
        rows.append(
            [
                level["id"],
                period,
                "" if eligible is None else str(eligible),
                "" if met is None else str(met),
                "" if ratio is None else f"{ratio:.4f}",
            ]
        )
    return rows, problems


@requires("snapshot.upload")
def closing_claims(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """The provider's claimed figures per service level, typed or uploaded (optional)."""
    lang = _lang(request)
    state = _state(request)
    if not state.get("confirmed"):
        return redirect("web:closing-preview", org_slug, contract_pk)
    levels = _levels(request)
    problems: list[str] = []
    if request.method == "POST":
        claims: int | None = None
        upload = request.FILES.get("claims_file")
        try:
            if upload is not None:
                claims = services.store_upload(
                    request.contract, SnapshotRole.CLAIMS, upload, request.user
                ).pk
            elif request.POST.get("action") != "skip":
                rows, problems = _claims_rows(request.POST, levels, state["period"], lang)
                if rows and not problems:
                    buffer = io.StringIO()
                    writer = csv.writer(buffer, lineterminator="\n")
                    writer.writerow(["service_level", "window", "eligible", "met", "compliance"])
                    writer.writerows(rows)
                    claims = services.store_snapshot(
                        request.contract,
                        SnapshotRole.CLAIMS,
                        f"claims-{state['period']}.csv",
                        buffer.getvalue().encode("utf-8"),
                        request.user,
                    ).pk
        except UploadTooLarge as error:
            problems.append(error.message(lang))
        if not problems:
            state["claims"] = claims
            state["claims_done"] = True
            _save(request, state)
            return redirect("web:closing-review", org_slug, contract_pk)
    for level in levels:
        for name in ("eligible", "met", "compliance"):
            level[name] = request.POST.get(f"{name}_{level['id']}", "")
    return render_page(
        request,
        "web/closing_claims.html",
        _context(
            request,
            "claims",
            levels=levels,
            problems=problems,
            period_label=month_label(state["period"], lang),
        ),
        status=400 if problems else 200,
    )


# Step 4: launch and watch.


def _run_snapshots(request: OrgRequest, state: dict[str, Any]) -> list[ImportSnapshot]:
    ids: dict[str, int] = dict(state.get("inputs") or {})
    files: dict[str, int] = state.get("files") or {}
    for role in (
        SnapshotRole.MONITORING,
        SnapshotRole.BACKUPS,
        SnapshotRole.RESTORE_TESTS,
        SnapshotRole.ADJUSTMENTS,
    ):
        if role in files:
            ids[role] = files[role]
    claims = state.get("claims") or files.get(SnapshotRole.CLAIMS)
    if claims:
        ids[SnapshotRole.CLAIMS] = claims
    known = _snapshots(request, list(ids.values()))
    return [known[pk] for pk in ids.values() if pk in known]


def closing_as_of(zone: str, now: dt.datetime | None = None) -> dt.datetime:
    """The instant a month is closed at: the start of the current day in the contract's
    timezone (closing again the same day on the same files returns the same run)."""
    local = (now or dt.datetime.now(dt.UTC)).astimezone(zoneinfo.ZoneInfo(zone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)


@requires("snapshot.upload")
def closing_review(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """What will be computed; the steering roles launch it from here."""
    lang = _lang(request)
    state = _state(request)
    if not state.get("confirmed"):
        return redirect("web:closing-preview", org_slug, contract_pk)
    zone = _contract_zone(request)
    return render_page(
        request,
        "web/closing_review.html",
        _context(
            request,
            "launch",
            snapshots=sorted(_run_snapshots(request, state), key=lambda s: s.role),
            as_of=closing_as_of(zone),
            zone=zone,
            period_label=month_label(state["period"], lang),
        ),
    )


@require_POST
@requires("run.close_month")
def closing_launch(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """Queue the month's run and go watch it."""
    lang = _lang(request)
    state = _state(request)
    if not state.get("confirmed"):
        messages.error(request, i18n.t("web.close.not_ready", lang))
        return redirect("web:closing-preview", org_slug, contract_pk)
    zone = _contract_zone(request)
    try:
        run = tasks.enqueue_close_month(
            request.contract,
            _run_snapshots(request, state),
            closing_as_of(zone),
            state["period"],
            request.user,
        )
    except PilotageError as error:
        messages.error(request, error.message(lang))
        return redirect("web:closing-review", org_slug, contract_pk)
    request.session.pop(_key(request), None)
    return redirect("web:closing-progress", org_slug, contract_pk, run.pk)


@requires("run.view")
def closing_progress(
    request: OrgRequest, org_slug: str, contract_pk: int, run_pk: int
) -> HttpResponse:
    """The run's progress, polled every two seconds; a finished run opens its dashboard."""
    runs = Run.objects.for_org(request.org).filter(contract=request.contract)
    run = get_object_or_404(runs, pk=run_pk)
    target = reverse("web:run-dashboard", args=[org_slug, contract_pk, run.pk])
    htmx = getattr(request, "htmx", None)
    if run.status == "done":
        if htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
    return render_page(
        request,
        "web/closing_progress.html",
        {
            "run": run,
            "step": "launch",
            "steps": STEPS,
            "period_label": month_label(run.period, _lang(request)),
        },
        fragment="web/_closing_progress.html",
    )
