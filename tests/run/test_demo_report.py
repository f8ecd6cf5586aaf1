"""The README's main job: the monthly report of the bundled example year, end to end."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from pilotage.cli import main


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    assert main(["--lang", "fr", "demo", "--out", str(out)]) == 0
    return out


def test_it_writes_every_format_and_the_evidence(demo: Path) -> None:
    names = sorted(p.name for p in demo.iterdir())
    assert names == [
        "evidence-2026-10.zip",
        "rapport-2026-10.html",
        "rapport-2026-10.json",
        "rapport-2026-10.pdf",
        "rapport-2026-10.xlsx",
    ]


def test_the_json_report_follows_the_documented_schema(demo: Path) -> None:
    data = json.loads((demo / "rapport-2026-10.json").read_text("utf-8"))
    assert data["contract"]["id"] == "martin-nordinfo"
    assert data["period"] == "2026-10"
    assert data["as_of"] == "2026-11-10T08:00:00Z"
    levels = {row["id"]: row for row in data["service_levels"]}
    assert {"p1-response", "p1-resolution", "requests", "mail-availability", "backups"} <= set(
        levels
    )
    for row in levels.values():
        assert {
            "window",
            "eligible",
            "met",
            "breached",
            "compliance",
            "objective",
            "status",
            "penalty",
        } <= set(row)
        assert row["window"] == "2026-10"
    assert {"total", "capped_total"} <= set(data["penalties"])
    assert "reconciliation" in data
    assert data["provenance"]["run_key"]


def test_the_same_inputs_give_byte_identical_json_and_evidence(demo: Path, tmp_path: Path) -> None:
    assert main(["--lang", "fr", "demo", "--out", str(tmp_path), "--format", "json"]) == 0
    assert (tmp_path / "rapport-2026-10.json").read_bytes() == (
        demo / "rapport-2026-10.json"
    ).read_bytes()
    assert (tmp_path / "evidence-2026-10.zip").read_bytes() == (
        demo / "evidence-2026-10.zip"
    ).read_bytes()


def test_the_evidence_holds_inputs_hashes_traces_and_the_contract_version(demo: Path) -> None:
    with zipfile.ZipFile(demo / "evidence-2026-10.zip") as archive:
        names = set(archive.namelist())
        assert {
            "report.json",
            "provenance.json",
            "contract-version.yaml",
            "adjustments.csv",
        } <= names
        assert "measurements/p1-resolution.csv" in names
        provenance = json.loads(archive.read("provenance.json"))
        roles = {i["role"] for i in provenance["inputs"]}
        assert {"contract", "tickets", "events", "claims", "outages", "backups"} <= roles
        assert all(len(i["sha256"]) == 64 for i in provenance["inputs"])
        header = archive.read("measurements/p1-resolution.csv").decode().splitlines()[0]
        assert header.startswith("ticket_id,window,clock_start,clock_stop,deadline")
        assert b"monthly_fee: 5100" in archive.read("contract-version.yaml")


def test_the_pdf_opens_and_starts_with_the_summary(demo: Path) -> None:
    reader = PdfReader(io.BytesIO((demo / "rapport-2026-10.pdf").read_bytes()))
    assert len(reader.pages) >= 5
    first = reader.pages[0].extract_text()
    assert "Rapport mensuel" in first
    assert "Boulangeries Martin SAS" in first


def test_the_xlsx_opens_with_typed_cells(demo: Path) -> None:
    book = openpyxl.load_workbook(demo / "rapport-2026-10.xlsx")
    assert len(book.sheetnames) >= 3
    numbers = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "n" and cell.value is not None
    ]
    assert any("%" in cell.number_format for cell in numbers)


def test_a_bad_period_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pilotage.commands.demo import demo_arguments

    data = demo_arguments(tmp_path, "en")
    status = main(
        [
            "--lang",
            "en",
            "report",
            "--contract",
            str(data.contract),
            "--tickets",
            str(data.tickets),
            "--as-of",
            "2026-11-10",
            "--period",
            "2026-13",
            "--out",
            str(tmp_path / "r"),
            "--format",
            "json",
        ]
    )
    assert status == 2
    assert 'not a month: "2026-13"' in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()
