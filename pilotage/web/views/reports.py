"""Monthly reports: the archive, any month on demand, and who receives them by email."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpResponse
from django.shortcuts import redirect

from pilotage import i18n
from pilotage.web.choices import Language
from pilotage.web.models import ArchivedReport, ReportSchedule
from pilotage.web.queries_dashboard import closed_periods, month_label, previous_months
from pilotage.web.rendering import render_page
from pilotage.web.reporting import (
    CONTENT_TYPES,
    FORMATS,
    report_bytes,
    report_filename,
    save_schedule,
)
from pilotage.web.scoping import OrgRequest, requires

__all__ = ["report_download", "report_schedule", "reports"]


def _lang(request: OrgRequest) -> str:
    return str(getattr(request, "lang", "en"))


@requires("report.download")
def reports(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """Closed months with their downloads, the archive, and a form for any month."""
    lang = _lang(request)
    archived = (
        ArchivedReport.objects.for_org(request.org)
        .filter(contract=request.contract)
        .defer("content")
        .select_related("created_by")
        .order_by("-period", "format", "language", "-created_at")
    )
    periods = [(p, pk, month_label(p, lang)) for p, pk in closed_periods(request.contract.pk)]
    schedule = ReportSchedule.objects.filter(contract=request.contract).first()
    context = {
        "periods": periods,
        "archived": archived,
        "formats": FORMATS,
        "schedule": schedule,
        "default_period": periods[0][0] if periods else "",
    }
    return render_page(request, "web/reports.html", context)


@requires("report.download")
def report_download(
    request: OrgRequest, org_slug: str, contract_pk: int, period: str, fmt: str
) -> HttpResponse:
    """The report of ``period`` in ``fmt`` (pdf, html, xlsx, json), in the user's language."""
    lang = _lang(request)
    period = request.GET.get("period", period)
    fmt = request.GET.get("format", fmt)
    try:
        previous_months(period, 1)
        valid = fmt in FORMATS
    except ValueError:
        valid = False
    data = report_bytes(request.contract, period, fmt, lang, request.user) if valid else None
    if data is None:
        messages.error(
            request,
            i18n.t("web.report.not_available", lang, period=period, format=fmt.upper()),
        )
        return redirect("web:reports", org_slug, contract_pk)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt in ("pdf", "html") and request.GET.get("view") else "attachment"
    filename = report_filename(request.contract, period, fmt)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@requires("contract.edit")
def report_schedule(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """Who receives the monthly report on the contract's reporting day."""
    lang = _lang(request)
    schedule = ReportSchedule.objects.filter(contract=request.contract).first()
    problems: list[str] = []
    recipients_text = "\n".join(schedule.recipients) if schedule else ""
    if request.method == "POST":
        recipients_text = request.POST.get("recipients", "")
        addresses = [
            a.strip() for a in recipients_text.replace(",", "\n").splitlines() if a.strip()
        ]
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                problems.append(i18n.t("web.invite.bad_email", lang, value=address))
        language = request.POST.get("language", lang)
        if language not in Language.values:
            language = lang
        if not problems:
            save_schedule(
                request.contract,
                addresses,
                language,
                request.POST.get("enabled") == "on",
                request.user,
            )
            messages.success(
                request, i18n.t("web.report.schedule_saved", lang, count=len(addresses))
            )
            return redirect("web:reports", org_slug, contract_pk)
    context = {
        "schedule": schedule,
        "recipients_text": recipients_text,
        "problems": problems,
        "languages": Language.choices,
        "language": schedule.language if schedule else lang,
        "enabled": schedule.enabled if schedule else True,
    }
    return render_page(
        request, "web/report_schedule.html", context, status=400 if problems else 200
    )
