"""``tickets inspect --columns``: how each column was understood."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilotage.cli import main
from pilotage.ingest.mapping import load_mapping
from pilotage.ingest.sources.columns import canonical_mapping, describe_columns, render_columns

FIXTURES = Path(__file__).parent / "fixtures" / "tickets"


def _glpi_with_unknowns(tmp_path: Path) -> Path:
    text = (FIXTURES / "glpi_fr.csv").read_text("utf-8-sig")
    text = text.replace("En attente", "Suspendu").replace("Basse", "Bas")
    path = tmp_path / "glpi.csv"
    path.write_text(text, "utf-8")
    return path


def test_views_name_fields_samples_and_unknown_values(tmp_path: Path) -> None:
    views, missing = describe_columns([_glpi_with_unknowns(tmp_path)], load_mapping("glpi"))
    by_column = {v.column: v for v in views}
    status = by_column["Statut"]
    assert status.field == "status" and status.unmapped == {"Suspendu": 1}
    assert status.effect == "error"
    assert by_column["Priorité"].unmapped == {"Bas": 1}
    assert by_column["Date d'ouverture"].field == "created_at"
    assert by_column["Date d'ouverture"].unmapped == {}
    # Unused columns and requesters are counted, never shown.
    assert by_column["Description"].field == "" and by_column["Description"].samples == []
    assert by_column["Demandeur - Demandeur"].samples == []
    assert by_column["Demandeur - Demandeur"].filled == 4
    assert missing == []


def test_canonical_states_are_checked(tmp_path: Path) -> None:
    text = (FIXTURES / "canonical_tickets.csv").read_text("utf-8").replace(",open,", ",opened,")
    path = tmp_path / "tickets.csv"
    path.write_text(text, "utf-8")
    views, _ = describe_columns([path], canonical_mapping())
    state = next(v for v in views if v.column == "state")
    assert state.field == "state" and state.unmapped == {"opened": 1}


def test_inspect_columns_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "glpi_fr.csv"
    args = ["tickets", "inspect", str(path), "--source", "glpi", "--timezone", "Europe/Paris"]
    assert main(["--lang", "fr", *args, "--columns"]) == 0
    out = capsys.readouterr().out
    assert "Comment chaque colonne a été comprise" in out
    assert "  Statut -> status : 5 remplie(s), 5 distincte(s)" in out
    assert "Description -> (non utilisée)" in out
    assert main(["--lang", "en", *args, "--columns", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["tickets"] == 5
    assert {c["column"]: c["field"] for c in data["columns"]}["Type"] == "kind"
    assert data["missing_fields"] == []


def test_unknown_values_are_highlighted_before_the_import_stops(tmp_path: Path) -> None:
    views, _ = describe_columns([_glpi_with_unknowns(tmp_path)], load_mapping("glpi"))
    text = render_columns(views, [], load_mapping("glpi"), "fr")
    assert "! Statut -> status" in text
    assert "valeurs non comprises (l’import s’arrête) : “Suspendu” ×1" in text
