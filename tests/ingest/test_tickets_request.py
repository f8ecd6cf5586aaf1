"""``pilotage tickets request``: the "data we need from you" page, from a preset."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from pilotage.cli import main
from pilotage.errors import ImportDataError
from pilotage.ingest.sources.request import RequestOptions, request_page, write_request_page


def _pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_glpi_pdf_in_french_names_history_api_columns_and_delivery(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "page.pdf"
    args = ["tickets", "request", "--source", "glpi", "--lang", "fr", "--out", str(out)]
    assert main([*args, "--delivery-day", "3"]) == 0
    assert "Fichier écrit" in capsys.readouterr().out
    text = _pdf_text(out)
    assert "Données à nous transmettre chaque mois (GLPI)" in text
    assert "Ticket/:id/Log" in text and "user_token" in text and "App-Token" in text
    assert "lecture seule" in text
    assert "Date d'ouverture" in text and "Délai d'attente" in text
    assert "en attente" in text and "très haute" in text
    assert "3e jour ouvré" in text
    assert "fuseau horaire" in text and "Europe/Paris" in text
    assert "descriptions ne sont jamais lues" in text


def test_itop_html_in_english_is_specific() -> None:
    html = request_page("itop", "en", RequestOptions(delivery_day=1))
    assert "Data we need from you every month (iTop)" in html
    assert "REST Services User" in html and "CMDBChangeOpSetAttributeScalar" in html
    assert "cumulatedpending" in html and "no_localize=1" in html
    assert "1st business day" in html


def test_generic_source_and_jira(tmp_path: Path) -> None:
    html = request_page("bpic2014", "fr")
    assert "une ligne par changement de statut" in html
    jira = write_request_page("jira-sm", "en", tmp_path / "jira.html").read_text("utf-8")
    assert "servicedeskapi/request/{key}/sla" in jira and "Issue key" in jira


def test_output_must_be_html_or_pdf(tmp_path: Path) -> None:
    with pytest.raises(ImportDataError) as info:
        write_request_page("glpi", "fr", tmp_path / "page.docx")
    assert "doit finir par .html ou .pdf" in info.value.message("fr")
