"""Monthly reports of the web application: rendered from stored runs, archived, sent.

The reports package has no loader from the report JSON back to a
:class:`~pilotage.reports.model.MonthlyReport`, so the PDF, HTML and XLSX
renderings re-run the core on the run's own stored inputs (its contract
version, its snapshots, its ``as_of``): the same inputs give the same report
(``run_key``), and the rendering is kept in :class:`ArchivedReport` so it is
computed once per run, format and language.  The JSON download is the run's
stored report JSON itself, byte for byte.

A month with no run of its own is reported on demand from the latest run when
that run's ``as_of`` is after the month: the core runs on the same inputs for
that period, and the rendering is returned without being archived.

:func:`send_scheduled_reports` is called every day by the worker: on a
contract's reporting day (``governance.reporting.due`` business days after the
month) it renders the last month's PDF, archives it and emails it to the
schedule's recipients.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from pilotage import i18n
from pilotage.contract.dates import contract_deadlines
from pilotage.contract.loader import load_contract
from pilotage.reports import render_html, render_json, render_pdf, render_xlsx
from pilotage.reports.build import build_monthly_report
from pilotage.reports.model import MonthlyReport
from pilotage.run import execute
from pilotage.web.choices import RunStatus
from pilotage.web.models import (
    ArchivedReport,
    AuditLog,
    Contract,
    ReportSchedule,
    Run,
    User,
)
from pilotage.web.queries_dashboard import month_label
from pilotage.web.services import materialize_inputs

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "due_period",
    "period_run",
    "rebuild_report",
    "render_report",
    "report_bytes",
    "report_filename",
    "save_schedule",
    "send_scheduled_reports",
]

log = logging.getLogger(__name__)

FORMATS = ("pdf", "html", "xlsx", "json")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def period_bounds(period: str, zone: str) -> tuple[dt.datetime, dt.datetime]:
    """First instant of ``period`` and of the month after, in the contract's timezone."""
    year, month = (int(p) for p in period.split("-"))
    start = dt.datetime(year, month, 1, tzinfo=ZoneInfo(zone))
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=ZoneInfo(zone))
    return start, end


def period_run(contract: Contract, period: str) -> Run | None:
    """The latest finished run of ``period``."""
    return (
        Run.objects.filter(contract=contract, period=period, status=RunStatus.DONE)
        .select_related("contract_version")
        .order_by("-as_of", "-created_at")
        .first()
    )


def rebuild_report(run: Run, period: str | None = None) -> MonthlyReport:
    """The monthly report of ``period`` (default: the run's) computed again from the run's
    stored inputs (the core is deterministic on them)."""
    with tempfile.TemporaryDirectory(prefix="pilotage-report-") as tmp:
        inputs = materialize_inputs(run, Path(tmp))
        result = execute(inputs, as_of=int(run.as_of.timestamp()), lang="en")
        return build_monthly_report(result, period or run.period)


def _render(report: MonthlyReport, fmt: str, lang: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(report, lang)
    if fmt == "xlsx":
        return render_xlsx(report, lang)
    if fmt == "html":
        return render_html(report, lang).encode("utf-8")
    raise ValueError(fmt)


def render_report(run: Run, fmt: str, lang: str, user: User | None) -> ArchivedReport:
    """The archived rendering of a finished run, made (and audited) the first time."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    found = ArchivedReport.objects.filter(run=run, format=fmt, language=lang).first()
    if found is not None:
        return found
    if fmt == "json":
        data = run.report_json.encode("utf-8")
    else:
        data = _render(rebuild_report(run), fmt, lang)
    try:
        with transaction.atomic():
            archived: ArchivedReport = ArchivedReport.objects.create(
                organization_id=run.organization_id,
                contract_id=run.contract_id,
                run=run,
                period=run.period,
                format=fmt,
                language=lang,
                content=data,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                created_by=user,
            )
            AuditLog.record(
                "report.archived",
                actor=user,
                organization=run.organization,
                obj=archived,
                after={"run": run.pk, "period": run.period, "format": fmt, "lang": lang},
            )
    except IntegrityError:  # rendered at the same time by another request
        return ArchivedReport.objects.get(run=run, format=fmt, language=lang)
    return archived


def report_bytes(
    contract: Contract, period: str, fmt: str, lang: str, user: User | None
) -> bytes | None:
    """The report of any month: archived from the month's run, or computed from the latest
    run when the month has none (``None`` when no run covers the month)."""
    run = period_run(contract, period)
    if run is not None:
        return bytes(render_report(run, fmt, lang, user).content)
    latest = (
        Run.objects.filter(contract=contract, status=RunStatus.DONE)
        .select_related("contract_version")
        .order_by("-as_of", "-created_at")
        .first()
    )
    if latest is None:
        return None
    report_zone = load_contract(latest.contract_version.text).versions[0].terms.timezone
    if period_bounds(period, report_zone)[1] > latest.as_of:
        return None
    report = rebuild_report(latest, period)
    if fmt == "json":
        return render_json(report)
    return _render(report, fmt, lang)


def report_filename(contract: Contract, period: str, fmt: str) -> str:
    """``<contract reference>-<period>.<format>``."""
    stem = (contract.reference or f"contract-{contract.pk}").replace("/", "-")
    return f"{stem}-{period}.{fmt}"


def save_schedule(
    contract: Contract, recipients: list[str], language: str, enabled: bool, user: User | None
) -> ReportSchedule:
    """Store who receives the contract's report (audited with before and after)."""
    with transaction.atomic():
        schedule, _ = ReportSchedule.objects.get_or_create(
            contract=contract, defaults={"organization_id": contract.organization_id}
        )
        before = {
            "recipients": schedule.recipients,
            "language": schedule.language,
            "enabled": schedule.enabled,
        }
        schedule.recipients = sorted(set(recipients))
        schedule.language = language
        schedule.enabled = enabled
        schedule.updated_by = user
        schedule.updated_at = timezone.now()
        schedule.save()
        AuditLog.record(
            "report.schedule_saved",
            actor=user,
            organization=contract.organization,
            obj=contract,
            before=before,
            after={"recipients": schedule.recipients, "language": language, "enabled": enabled},
        )
    return schedule


def due_period(contract_text: str, today: dt.date) -> str | None:
    """The month whose report fell due most recently, in the 31 days up to ``today``
    (``governance.reporting``): a month closed late is still sent."""
    parsed = load_contract(contract_text)
    document = parsed.versions[-1].terms.document
    deadlines = contract_deadlines(document, today - dt.timedelta(days=31), until=today)
    due = [d for d in deadlines if d.kind == "report" and d.day <= today]
    if not due:
        return None
    end: dt.date = due[-1].params["period_end"]
    return f"{end.year:04d}-{end.month:02d}"


def _send(schedule: ReportSchedule, run: Run, archived: ArchivedReport) -> None:
    lang = schedule.language
    contract = schedule.contract
    month = month_label(run.period, lang)
    path = reverse("web:dashboard", args=[contract.organization.slug, contract.pk])
    link = settings.SITE_URL.rstrip("/") + path
    message = EmailMessage(
        subject=i18n.t("web.report.email_subject", lang, contract=contract.title, period=month),
        body=i18n.t(
            "web.report.email_body", lang, contract=contract.title, period=month, link=link
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(schedule.recipients),
    )
    message.attach(
        report_filename(contract, run.period, "pdf"), bytes(archived.content), CONTENT_TYPES["pdf"]
    )
    message.send()


def send_scheduled_reports(today: dt.date) -> list[ArchivedReport]:
    """Send the reports due ``today``; each month is sent once per schedule.  A month not
    closed yet is left for a later day (logged)."""
    sent: list[ArchivedReport] = []
    schedules = ReportSchedule.objects.filter(enabled=True).select_related("contract__organization")
    for schedule in schedules:
        if not schedule.recipients:
            continue
        version = schedule.contract.current_version()
        if version is None:
            continue
        period = due_period(version.text, today)
        if period is None or schedule.last_sent_period >= period:
            continue
        run = period_run(schedule.contract, period)
        if run is None:
            log.warning(
                "report %s of contract %s is due: month not closed", period, schedule.contract_id
            )
            continue
        archived = render_report(run, "pdf", schedule.language, None)
        _send(schedule, run, archived)
        ReportSchedule.objects.filter(pk=schedule.pk).update(last_sent_period=period)
        AuditLog.record(
            "report.sent",
            actor=None,
            organization=schedule.contract.organization,
            obj=archived,
            after={"period": period, "recipients": schedule.recipients},
        )
        sent.append(archived)
    return sent
