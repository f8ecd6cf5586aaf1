"""The service-level annex: real DOCX and PDF files opened and read back."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from pilotage.cli import main
from pilotage.contract import load_contract
from pilotage.contract.annex import Table, build_annex, render_docx, render_html, render_pdf

from .conftest import REFERENCE


def _plain(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    parts.extend(p.text for p in document.sections[0].footer.paragraphs)
    return _plain("\n".join(parts))


def _pdf_text(data: bytes) -> str:
    return _plain("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_model_follows_the_version_in_force() -> None:
    contract = load_contract(REFERENCE)
    before = build_annex(contract, dt.date(2026, 3, 1), "en")
    after = build_annex(contract, dt.date(2026, 9, 1), "en")
    (levels,) = before.sections[3].blocks
    assert isinstance(levels, Table) and levels.headers[3] == "Target"
    assert levels.rows[1][:2] == ("Annexe 2, art. 3.2", "Rétablissement des incidents critiques")
    assert levels.rows[1][3] == "restored within 4 h (business)"
    assert "restored within 3 h (business)" in render_html(after)
    assert "€4,800.00" in render_html(before) and "€5,100.00" in render_html(after)
    assert after.version_line == (
        "Version in force on 01/09/2026: as amended by avenant-1, effective 01/07/2026."
    )


def test_docx_in_french() -> None:
    annex = build_annex(load_contract(REFERENCE), dt.date(2026, 9, 1), "fr")
    text = _docx_text(render_docx(annex))
    for expected in (
        "Annexe niveaux de service",
        "Contrat n° NI-2025-118 du 15/12/2025",
        "1. Objet",
        "Production à l'arrêt ou site entier sans informatique, pas de contournement",
        "lun.-ven. 08:00-12:30, 13:30-18:00",
        "travaillés : Lundi de Pentecôte",
        "rétablissement en 3 h (business)",
        "99,5 %",
        "95 %, ou au plus 1 ticket(s) hors délai",
        "150,00 € par ticket hors délai",
        "sous 99,5 % : 3 % de la redevance",
        "plafonné à 15 % de la redevance mensuelle",
        "soit jusqu’au 28/02/2026",
        "Pour le client — Boulangeries Martin SAS",
        "Pour le prestataire — NordInfo Services",
        "Nom et qualité :",
    ):
        assert expected in text, expected
    document = Document(io.BytesIO(render_docx(annex)))
    assert document.core_properties.title == "Annexe niveaux de service"
    assert len(document.tables) == 5  # priorities, calendars, levels, penalties, signatures
    assert "PAGE" in document.sections[0].footer._element.xml


def test_pdf_in_english() -> None:
    annex = build_annex(load_contract(REFERENCE), dt.date(2026, 9, 1), "en")
    data = render_pdf(annex)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert 2 <= len(reader.pages) <= 4
    text = _pdf_text(data)
    for expected in (
        "Service level annex",
        "Definitions and priorities",
        "taking charge within 30 min (business)",
        "availability",
        "99.5%",
        "€150.00 per late ticket",
        "All penalties of a month together are capped at 15% of the monthly fee",
        "For the customer — Boulangeries Martin SAS",
        "1 / 3",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(("suffix", "lang"), [(".docx", "fr"), (".pdf", "en")])
def test_cli_annex(tmp_path: Path, suffix: str, lang: str) -> None:
    out = tmp_path / f"annex{suffix}"
    args = ["contract", "annex", str(REFERENCE), "--out", str(out), "--at", "2026-03-01"]
    assert main([*args, "--lang", lang]) == 0
    data = out.read_bytes()
    text = _docx_text(data) if suffix == ".docx" else _pdf_text(data)
    assert ("4 800,00 €" if lang == "fr" else "€4,800.00") in text
    assert ("rétablissement en 4 h" if lang == "fr" else "restored within 4 h") in text


def test_cli_annex_rejects_other_formats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "annex.odt"
    args = ["contract", "annex", str(REFERENCE), "--out", str(out), "--lang", "en"]
    assert main(args) == 2
    assert "written as .docx or .pdf, not .odt" in capsys.readouterr().err
    assert not out.exists()
