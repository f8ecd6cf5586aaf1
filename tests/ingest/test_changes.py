"""Field-level change log between two extractions, and ``pilotage tickets diff``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilotage.cli import main
from pilotage.ingest.changes import Gap, diff_extractions, render_changelog
from pilotage.tables import MISSING, Tickets

FIXTURES = Path(__file__).parent / "fixtures" / "tickets"
HOUR = 3600


def _tickets(*rows: dict[str, object]) -> Tickets:
    base = {"kind": "incident", "priority": "P3", "created_at": 1_767_600_000}
    return Tickets.from_rows([{**base, **row} for row in rows])


def test_edits_vanished_new_and_gaps() -> None:
    old = _tickets(
        {"id": "1001", "state": "resolved", "resolved_at": 1_767_610_000},
        {"id": "1002", "priority": "P2"},
        {"id": "1003"},
        {"id": "1005", "category": "Messagerie"},
    )
    new = _tickets(
        {"id": "1001", "state": "open"},
        {"id": "1002", "priority": "P3", "created_at": 1_767_600_000 + HOUR},
        {"id": "1005", "category": "Réseau", "kind": "request"},
        {"id": "1009"},
    )
    log = diff_extractions(old, new)
    assert [e.ticket_id for e in log.edited] == ["1001", "1002", "1005"]
    first = {c.field: c for c in log.edited[0].changes}
    assert first["state"].reopened
    assert (first["resolved_at"].before, first["resolved_at"].after) == (1_767_610_000, MISSING)
    assert [c.field for c in log.edited[1].changes] == ["created_at", "priority"]
    assert [(c.field, c.before, c.after) for c in log.edited[2].changes] == [
        ("kind", "incident", "request"),
        ("category", "Messagerie", "Réseau"),
    ]
    assert log.vanished == ["1003"] and log.new == ["1009"]
    assert log.gaps == [Gap("", 1004, 1004), Gap("", 1006, 1008)]
    assert sum(g.count for g in log.gaps) == 4


def test_identical_extractions_and_prefixed_numbers() -> None:
    same = _tickets({"id": "R-000009"}, {"id": "R-000010"}, {"id": "R-000012"}, {"id": "X"})
    log = diff_extractions(same, same)
    assert not log.edited and not log.vanished and not log.new
    assert log.gaps == [Gap("R-", 11, 11, 6)]
    assert log.gaps[0].label(11) == "R-000011"
    assert not diff_extractions(_tickets({"id": "7"}), _tickets({"id": "7"}))
    assert render_changelog(diff_extractions(_tickets(), _tickets()), "fr") == (
        "Aucun changement entre les deux extractions."
    )


def test_render_in_french_with_local_times() -> None:
    old = _tickets({"id": "1", "state": "closed"}, {"id": "2", "priority": "P2"})
    new = _tickets({"id": "1", "state": "open", "created_at": 1_767_600_000 + HOUR})
    text = render_changelog(diff_extractions(old, new), "fr", "Europe/Paris")
    assert "1 ticket(s) modifié(s), 1 disparu(s), 0 nouveau(x)" in text
    assert "création déplacée : 05/01/2026 09:00 -> 05/01/2026 10:00" in text
    assert "état : closed -> open (rouvert)" in text
    assert "Disparus de la nouvelle extraction : 2" in text
    gaps = diff_extractions(_tickets({"id": "98"}), _tickets({"id": "101"}))
    assert "Numéros de ticket absents des deux extractions : 99 … 100" in render_changelog(
        gaps, "fr"
    )


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def test_diff_command_on_glpi_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (FIXTURES / "glpi_fr.csv").read_text("utf-8-sig")
    old = _write(tmp_path / "old.csv", text)
    lines = text.splitlines()
    lines[1] = lines[1].replace("Très haute", "Haute", 1)
    new = _write(tmp_path / "new.csv", "\n".join(lines[:-1]) + "\n")
    args = ["tickets", "diff", str(old), str(new), "--source", "glpi", "--timezone", "Europe/Paris"]
    assert main(["--lang", "fr", *args]) == 0
    out = capsys.readouterr().out
    assert "priorité : P1 -> P2" in out
    assert "Disparus de la nouvelle extraction : 1046" in out
    assert main(["--lang", "en", *args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["vanished"] == ["1046"]
    assert data["edited"][0]["changes"][0] == {
        "field": "priority",
        "before": "P1",
        "after": "P2",
        "reopened": False,
    }
