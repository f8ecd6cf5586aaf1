"""``pilotage tickets inspect`` end to end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from pilotage.cli import main
from pilotage.ingest.canonical import read_events_csv, read_tickets_csv
from pilotage.ingest.sources import read_source
from pilotage.ingest.summary import check_timezone_fit

FIXTURES = Path(__file__).parent / "fixtures" / "tickets"


def test_inspect_glpi_in_french_and_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_csv = tmp_path / "tickets.csv"
    status = main(
        [
            "--lang", "fr", "tickets", "inspect", str(FIXTURES / "glpi_fr.csv"),
            "--source", "glpi", "--timezone", "Europe/Paris", "--export", str(out_csv),
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0
    assert "5 ticket(s)" in out and "Par priorité : P1 1, P2 1, P3 1, P4 2" in out
    assert "2 avec seulement le total d’attente de la source (pause non vérifiable)" in out
    assert "respecté 3, non respecté 1, inconnu 1" in out
    assert "Contrôle du fuseau : 100 %" in out and "plausible" in out
    assert "Colonnes ignorées" in out and "Description" in out
    assert "Les noms des demandeurs ont été écartés" in out
    assert read_tickets_csv(out_csv).id.tolist() == ["1042", "1043", "1044", "1045", "1046"]


def test_inspect_event_log_writes_both_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t, e = tmp_path / "t.csv", tmp_path / "e.csv"
    status = main(
        [
            "--lang", "en", "tickets", "inspect", str(FIXTURES / "bpic2014_activity.csv"),
            "--source", "bpic2014", "--timezone", "Europe/Amsterdam",
            "--export", str(t), "--events-export", str(e),
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0
    assert "3 ticket(s) with a status history" in out
    assert "activity (no status change): Assignment (2)" in out
    original = read_source(
        "bpic2014", [FIXTURES / "bpic2014_activity.csv"], timezone="Europe/Amsterdam"
    )
    tickets = read_tickets_csv(t)
    events = read_events_csv(e, tickets)
    assert tickets.created_at.tolist() == original.tickets.created_at.tolist()
    assert events.status.tolist() == original.events.status.tolist()


def test_inspect_reports_errors_in_the_users_language(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        ["--lang", "fr", "tickets", "inspect", str(FIXTURES / "glpi_en.csv"), "--source", "glpi"]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert "glpi_en.csv, ligne 2, colonne Opening date" in err and "fuseau" in err


def test_shifted_times_are_flagged() -> None:
    # Office-hour creations, but stamped 10 hours late (an exporter in another zone).
    base = int(dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC).timestamp())
    created = np.array(
        [base + d * 86_400 + h * 3600 + 10 * 3600 for d in range(5) for h in range(9)],
        dtype=np.int64,
    )
    check = check_timezone_fit(created, "UTC")
    assert check is not None and check.looks_shifted and check.best_shift_hours in range(-12, -5)
    fine = check_timezone_fit(created - 10 * 3600, "UTC")
    assert fine is not None and not fine.looks_shifted and fine.share == 1.0


def test_inspect_warns_when_creations_look_shifted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Creations at 09:00-17:00 Paris time (UTC+1 in early March), stamped 10 hours late.
    first = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC) + dt.timedelta(hours=10)
    stamps = [first + dt.timedelta(days=d, hours=h) for d in range(5) for h in range(9)]
    rows = [f"T{i},incident,P3,,,,,,{s:%Y-%m-%dT%H:%M:%SZ},,,,,,,,," for i, s in enumerate(stamps)]
    path = tmp_path / "tickets.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert (
        main(["--lang", "fr", "tickets", "inspect", str(path), "--timezone", "Europe/Paris"]) == 0
    )
    out = capsys.readouterr().out
    assert "ATTENTION" in out and "décalées de -10 h" in out


HEADER = (
    "id,kind,priority,service,category,site,title,requester,created_at,first_response_at,"
    "resolved_at,closed_at,state,parent_id,waiting_seconds,provider_sla_met,"
    "provider_response_met,provider_resolution_met"
)


def test_pseudonym_key_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PILOTAGE_PSEUDONYM_KEY", "installation secret")
    out_csv = tmp_path / "tickets.csv"
    args = ["tickets", "inspect", str(FIXTURES / "glpi_fr.csv"), "--source", "glpi"]
    assert main([*args, "--timezone", "Europe/Paris", "--export", str(out_csv)]) == 0
    assert "pseudonymized" in capsys.readouterr().out
    requesters = read_tickets_csv(out_csv).requester.tolist()
    assert requesters[0].startswith("p-") and requesters[0] == requesters[2]
    assert "Martin" not in out_csv.read_text(encoding="utf-8")


def test_a_tool_export_read_as_canonical_suggests_its_preset(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--lang", "en", "tickets", "inspect", str(FIXTURES / "helpdesk.csv")]) == 2
    err = capsys.readouterr().err
    assert "helpdesk.csv" in err and "try --source helpdesk" in err
