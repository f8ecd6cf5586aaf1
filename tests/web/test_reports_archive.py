"""Reports: downloads rendered from stored runs, the archive, any month, the scheduled email."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pypdf
from django.core import mail
from django.test import Client
from django.urls import reverse

from pilotage.reports import render_json
from pilotage.web.choices import Role
from pilotage.web.models import ArchivedReport, AuditLog, ReportSchedule, User
from pilotage.web.reporting import (
    due_period,
    rebuild_report,
    save_schedule,
    send_scheduled_reports,
)
from tests.web.builders import World, close_demo_month, demo_contract_text
from tests.web.helpers import query_budget


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(world: World, name: str, *extra: object) -> str:
    return reverse(f"web:{name}", args=[world.org.slug, world.contract.pk, *extra])


def test_downloads_open_and_are_archived_once(world: World) -> None:
    run = close_demo_month(world.contract)
    client = _client(world.users[Role.AUDITOR])
    pdf = client.get(_url(world, "report-download", "2026-10", "pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert 'filename="martin-nordinfo-2026-10.pdf"' in pdf["Content-Disposition"]
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "octobre 2026" in text.lower()
    xlsx = client.get(_url(world, "report-download", "2026-10", "xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames
    # The JSON is the run's stored report, byte for byte.
    assert client.get(_url(world, "report-download", "2026-10", "json")).content == (
        run.report_json.encode("utf-8")
    )
    html = client.get(_url(world, "report-download", "2026-10", "html")).content.decode()
    assert "<html" in html
    # Each rendering is archived once, then served from the archive without computing.
    assert ArchivedReport.objects.filter(run=run).count() == 4
    with query_budget(12):
        again = client.get(_url(world, "report-download", "2026-10", "pdf"))
    assert again.content == pdf.content
    assert ArchivedReport.objects.filter(run=run).count() == 4
    assert AuditLog.objects.filter(action="report.archived").count() == 4
    page = client.get(_url(world, "reports")).content.decode()
    assert "Octobre 2026" in page and page.count("<code>") >= 4


def test_any_month_covered_by_the_latest_run(world: World) -> None:
    close_demo_month(world.contract)
    client = _client(world.users[Role.REFERENT])
    response = client.get(
        _url(world, "report-download", "2026-10", "pdf") + "?period=2026-09&format=json"
    )
    assert response.status_code == 200
    assert b'"period": "2026-09"' in response.content
    assert not ArchivedReport.objects.filter(period="2026-09").exists()
    # A month after the latest run's instant cannot be reported.
    late = client.get(_url(world, "report-download", "2026-12", "pdf"))
    assert late["Location"] == _url(world, "reports")
    page = client.get(late["Location"]).content.decode()
    assert "Aucune clôture ne couvre 2026-12" in page
    bad = client.get(_url(world, "report-download", "2026-13", "doc"))
    assert bad.status_code == 302


def test_reporting_day_from_the_contract() -> None:
    text = demo_contract_text()
    assert due_period(text, dt.date(2026, 11, 5)) == "2026-09"
    assert due_period(text, dt.date(2026, 11, 6)) == "2026-10"  # fifth business day


def test_scheduled_report_is_sent_once_with_the_pdf(world: World) -> None:
    run = close_demo_month(world.contract)
    save_schedule(world.contract, ["dg@example.test", "daf@example.test"], "en", True, None)
    assert send_scheduled_reports(dt.date(2026, 11, 5)) == []  # September: not closed
    assert mail.outbox == []
    sent = send_scheduled_reports(dt.date(2026, 11, 6))
    assert [a.run_id for a in sent] == [run.pk]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["daf@example.test", "dg@example.test"]
    assert "monthly report, October 2026" in message.subject
    name, content, mimetype = message.attachments[0]
    assert name == "martin-nordinfo-2026-10.pdf" and mimetype == "application/pdf"
    assert pypdf.PdfReader(io.BytesIO(content)).pages
    assert ArchivedReport.objects.filter(run=run, format="pdf", language="en").exists()
    assert send_scheduled_reports(dt.date(2026, 11, 9)) == []
    assert len(mail.outbox) == 1
    assert ReportSchedule.objects.get(contract=world.contract).last_sent_period == "2026-10"


def test_schedule_form(world: World) -> None:
    client = _client(world.users[Role.REFERENT])
    url = _url(world, "report-schedule")
    bad = client.post(url, {"recipients": "dg@example.test\nnot-an-address", "language": "fr"})
    assert bad.status_code == 400
    assert "not-an-address" in bad.content.decode()
    good = client.post(
        url, {"recipients": "dg@example.test, daf@example.test", "language": "en", "enabled": "on"}
    )
    assert good["Location"] == _url(world, "reports")
    schedule = ReportSchedule.objects.get(contract=world.contract)
    assert schedule.recipients == ["daf@example.test", "dg@example.test"]
    assert schedule.language == "en" and schedule.enabled
    entry = AuditLog.objects.get(action="report.schedule_saved")
    assert entry.after == {
        "recipients": ["daf@example.test", "dg@example.test"],
        "language": "en",
        "enabled": True,
    }
    assert _client(world.users[Role.EXECUTIVE]).get(url).status_code == 403


def test_rebuilt_report_equals_the_stored_one(world: World) -> None:
    run = close_demo_month(world.contract)
    assert render_json(rebuild_report(run)).decode("utf-8") == run.report_json


def test_reports_page_query_budget(world: World) -> None:
    run = close_demo_month(world.contract)
    client = _client(world.users[Role.EXECUTIVE])
    client.get(_url(world, "report-download", "2026-10", "json"))
    with query_budget(10):
        page = client.get(_url(world, "reports")).content.decode()
    assert reverse("web:run-dashboard", args=[world.org.slug, world.contract.pk, run.pk]) in page
    assert "JSON" in page and "Pas d’envoi automatique" in page
    # Executives read the schedule but may not change it.
    assert reverse("web:report-schedule", args=[world.org.slug, world.contract.pk]) not in page
