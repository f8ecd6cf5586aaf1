"""HTML, PDF and XLSX renderings of the sample report."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from markupsafe import escape
from pypdf import PdfReader

from pilotage.errors import PilotageError
from pilotage.reports import render_html, render_json, render_pdf, render_xlsx, write_report
from pilotage.reports.charts import trend_svg
from pilotage.reports.messages import label
from pilotage.reports.model import MonthlyReport, Reconciliation, UnverifiablePauses
from tests.reports.sample import sample_report

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
CSS_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.I)


@pytest.fixture(scope="module")
def report() -> MonthlyReport:
    return sample_report()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_html_is_self_contained(report: MonthlyReport, lang: str) -> None:
    html = render_html(report, lang)
    assert not EXTERNAL.search(html)
    assert not CSS_URL.search(html)
    assert "<link" not in html
    assert "<script>" not in html  # a title holding a script tag is escaped
    assert "&lt;script&gt;" in html
    assert html.count("<svg") == len(report.levels)
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    for row in report.levels:
        assert row.name in html


def test_html_speaks_the_language(report: MonthlyReport) -> None:
    fr = render_html(report, "fr")
    en = render_html(report, "en")
    assert "Rapport mensuel de service" in fr and "Non respecté" in fr and "Octobre 2026" in fr
    assert "Monthly service report" in en and "Breached" in en and "October 2026" in en
    assert "334,26\xa0€" in fr and "€334.26" in en
    assert "31/12/2026" in fr and "31/12/2026" in en
    assert "1\u202f187,40\xa0€" in fr  # French thousands separator
    assert "Rouge" in fr and "Orange" in fr and "Red" in en and "Amber" in en


def test_charts_are_deterministic(report: MonthlyReport) -> None:
    row = report.level("p2-resolution")
    svg = trend_svg(row.id, row.history, "fr")
    assert svg == trend_svg(row.id, row.history, "fr")
    assert svg.startswith("<svg") and "<metadata" not in svg
    assert "oct." in svg and "janv." in svg


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pdf(report: MonthlyReport, lang: str) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(report, lang)))
    assert 6 <= len(reader.pages) <= 20
    first = reader.pages[0].extract_text()
    title = "Rapport mensuel de service" if lang == "fr" else "Monthly service report"
    assert title in first
    assert "Boulangeries Martin SAS" in first
    assert "334,26" in first if lang == "fr" else "334.26" in first
    assert ("Page 1 sur" if lang == "fr" else "Page 1 of") in first
    assert "NI-2025-118" in first  # contract reference in the footer
    text = "".join(page.extract_text() for page in reader.pages)
    assert "GLPI-48238" in text  # every breach is listed


def test_xlsx_cells_are_typed(report: MonthlyReport) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, "fr")))
    levels = book["Niveaux de service"]
    header = [c.value for c in levels[1]]
    first = {name: cell for name, cell in zip(header, levels[2], strict=False)}
    assert first["Identifiant"].value == "p1-response"
    assert first["Résultat"].number_format == "0.00%"
    assert Decimal(str(first["Résultat"].value)).quantize(Decimal("0.0001")) == Decimal("0.8333")
    assert first["Pénalité"].data_type == "n" and "€" in first["Pénalité"].number_format
    assert first["Éligibles"].value == 6

    breaches = book["Hors délai"]
    rows = list(breaches.iter_rows(min_row=2, values_only=False))
    created = rows[0][5]
    assert created.is_date and created.number_format == "dd/mm/yyyy hh:mm"
    titles = {row[2].value: row[2] for row in rows if row[2].value}
    for risky in (
        "=cmd|' /C calc'!A0",
        "+33 6 12 34 56 78 ne reçoit plus les appels",
        "-Droits d'accès ERP à retirer",
        "@Commande de toner pour le magasin de Tourcoing",
    ):
        assert titles[risky].data_type == "s", risky
    assert not [c for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]

    backups = book["Sauvegardes"]
    restore_dates = [c for row in backups.iter_rows() for c in row if c.is_date]
    assert restore_dates


def test_xlsx_english_sheet_names(report: MonthlyReport) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, "en")))
    assert book.sheetnames[:3] == ["Summary", "Service levels", "History"]


def test_write_report(report: MonthlyReport, tmp_path: Path) -> None:
    written = write_report(report, ["json", "html", "xlsx"], "fr", tmp_path / "out" / "2026-10")
    assert [p.name for p in written] == ["2026-10.json", "2026-10.html", "2026-10.xlsx"]
    assert all(p.stat().st_size > 1000 for p in written)
    with pytest.raises(PilotageError) as error:
        write_report(report, ["json", "docx"], "fr", tmp_path / "x")
    assert "docx" in error.value.message("fr")
    assert not (tmp_path / "x.json").exists()
    with pytest.raises(PilotageError):
        write_report(report, ["json"], "de", tmp_path / "x")


def _quiet_month(report: MonthlyReport) -> MonthlyReport:
    """A provisional month in the grace period with nothing to show."""
    return replace(
        report,
        finality="provisional",
        breaches=(),
        priority_changes=(),
        reclassifications=(),
        availability=(),
        backups=(),
        restore_tests=(),
        committee=(),
        reconciliation=Reconciliation(),
        unverifiable=UnverifiablePauses(0, 0),
        penalties=replace(report.penalties, lines=(), grace=True),
        summary=replace(report.summary, deadlines=(), persistent=()),
        levels=tuple(replace(row, history=()) for row in report.levels),
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_quiet_month_renders_everywhere(report: MonthlyReport, lang: str) -> None:
    quiet = _quiet_month(report)
    html = render_html(quiet, lang)
    for text in (
        label("finality.provisional", lang),
        label("breaches.none", lang),
        label("pen.none", lang),
        label("grace", lang, date="28/02/2026"),
    ):
        assert str(escape(text)) in html
    assert "<svg" not in html
    assert json.loads(render_json(quiet))["penalties"]["capped_total"] == "0.00"
    assert openpyxl.load_workbook(io.BytesIO(render_xlsx(quiet, lang)))
    first = PdfReader(io.BytesIO(render_pdf(quiet, lang))).pages[0].extract_text()
    assert label("finality.provisional", lang).upper() in first
    assert label("provisional_note", lang)[:30] in first
