"""Scanning the signed contract's text: real DOCX and PDF files made in the test."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from docx import Document

from pilotage.cli import main
from pilotage.contract.document_scan import read_pages, scan_document, scan_pages
from pilotage.errors import ContractError

WEAK_PAGES = (
    [
        "Article 3 – Niveaux de service",
        "Le prestataire intervient dans les meilleurs délais après l’appel du client.",
        "Il s’agit d’une obligation de moyens.",
    ],
    [
        "Article 7 – Pénalités",
        "Des pénalités sont dues sous réserve de la disponibilité des équipes.",
        "Article 9 – Durée",
        "Le contrat est conclu pour 36 mois ; préavis de 6 mois.",
    ],
)

SOUND_PAGES = (
    [
        "Article 3 – Service levels. P1 incidents are restored within 4 business hours.",
        "Article 5 – Penalties of 1% of the monthly fee per point below the objective.",
        "Article 6 – Data is stored and processed only in France. Any personal data breach "
        "is notified within 24 hours.",
    ],
    [
        "Article 8 – The customer may audit the provider once a year. The security "
        "assurance plan is annexed.",
        "Article 9 – Notice period: 3 months. Subcontracting requires prior approval.",
        "Article 10 – Reversibility applies on any termination. The provider uses best "
        "effort to answer questions.",
    ],
)


def _docx(path: Path, pages: tuple[list[str], ...]) -> Path:
    document = Document()
    for number, paragraphs in enumerate(pages):
        if number:
            document.add_page_break()
        for text in paragraphs:
            document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Signature"
    table.rows[0].cells[1].text = "Le client"
    document.save(str(path))
    return path


def _pdf(path: Path, pages: tuple[list[str], ...]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from weasyprint import HTML

    body = "".join(
        f'<section style="page-break-before: {"always" if i else "auto"}">'
        + "".join(f"<p>{text}</p>" for text in paragraphs)
        + "</section>"
        for i, paragraphs in enumerate(pages)
    )
    HTML(string=f"<html><body>{body}</body></html>").write_pdf(str(path))
    return path


def test_docx_pages_follow_page_breaks(tmp_path: Path) -> None:
    pages = read_pages(_docx(tmp_path / "contrat.docx", WEAK_PAGES))
    assert len(pages) == 2
    assert "dans les meilleurs délais" in pages[0] and "Pénalités" in pages[1]
    assert "Signature | Le client" in pages[1]


def test_vague_wording_with_page_and_excerpt(tmp_path: Path) -> None:
    report = scan_document(_docx(tmp_path / "contrat.docx", WEAK_PAGES))
    vague = [
        (f.location.row, f.params["term"], f.rule)
        for f in report.findings
        if f.location and f.code == "lint.DOC.vague"
    ]
    assert vague == [
        (1, "dans les meilleurs délais", "SLA-002"),
        (1, "obligation de moyens", "LIA-001"),
        (2, "sous réserve de", "SLA-002"),
    ]
    first = next(f for f in report.findings if f.code == "lint.DOC.vague")
    assert first.location is not None and first.location.value is not None
    assert "intervient dans les meilleurs délais après" in first.location.value
    assert first.message("fr") == (
        "formulation vague « dans les meilleurs délais » : un engagement écrit ainsi ne peut "
        "être ni mesuré ni manqué"
    )


def test_missing_clauses_are_reported_once(tmp_path: Path) -> None:
    report = scan_document(_docx(tmp_path / "contrat.docx", WEAK_PAGES))
    missing = {f.path: f for f in report.findings if f.code.startswith("lint.DOC.missing_")}
    assert set(missing) == {
        "reversibility",
        "data_location",
        "breach_notification",
        "audit",
        "security_plan",
        "subcontracting",
    }
    assert missing["reversibility"].severity == "error"
    assert missing["reversibility"].message("fr") == "le texte ne mentionne jamais la réversibilité"
    assert missing["data_location"].severity == "error"  # GDPR-011, escalated


def test_pdf_with_every_clause(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "contract.pdf", SOUND_PAGES)
    pages = read_pages(path)
    assert len(pages) == 2
    report = scan_document(path)
    assert [(f.code, f.location.row if f.location else None) for f in report.findings] == [
        ("lint.DOC.vague", 2)
    ]
    assert report.errors == 0


def test_profile_changes_severity() -> None:
    pages = ["Penalties apply. Reversibility, audit, notice, subcontracting, data breach."]
    sme = scan_pages(pages, profile="sme")
    nis2 = scan_pages(pages, profile="nis2")
    plan = lambda r: [f.severity for f in r.findings if f.path == "security_plan"]  # noqa: E731
    assert plan(sme) == ["warning"] and plan(nis2) == ["error"]


def test_cli_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    weak = _docx(tmp_path / "contrat.docx", WEAK_PAGES)
    assert main(["lint", "--document", str(weak), "--lang", "fr"]) == 1
    out = capsys.readouterr().out
    assert f"{weak}, page 1 : avertissement SLA-002 : formulation vague" in out
    assert "extrait : Article 3 – Niveaux de service Le prestataire intervient dans" in out
    sound = _pdf(tmp_path / "contract.pdf", SOUND_PAGES)
    assert main(["lint", "--document", str(sound), "--lang", "en"]) == 0


def test_unsupported_and_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "contract.txt"
    text.write_text("x", encoding="utf-8")
    with pytest.raises(ContractError) as caught:
        read_pages(text)
    assert caught.value.code == "lint.DOC.unsupported"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf")
    assert main(["lint", "--document", str(broken), "--lang", "en"]) == 2
    assert "cannot read the document" in capsys.readouterr().err
