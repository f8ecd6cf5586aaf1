"""The Zammad preset (XLSX report) and its ticket histories."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pilotage.cli import main
from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.sources import read_source
from pilotage.ingest.sources.zammad import apply_zammad_diffs, read_zammad_history
from pilotage.tables import EVENT_STATUSES

FIXTURES = Path(__file__).parent / "fixtures" / "tickets"
REPORT = FIXTURES / "zammad_report.xlsx"
HISTORY = FIXTURES / "zammad_history.json"


def test_report_reads_states_priorities_and_pseudonyms() -> None:
    result = read_source("zammad", [REPORT], timezone="Europe/Paris", requester_key=b"key")
    t = result.tickets
    assert t.id.tolist() == ["67001", "67002", "67004", "67005"]
    assert t.state.tolist() == ["closed", "open", "open", "merged"]
    assert t.priority.tolist() == ["P1", "P2", "P3", "P2"]
    assert t.kind.tolist() == ["incident"] * 4
    assert t.category.tolist()[1] == "Postes de travail"
    # 09:05 in Paris in February is 08:05 UTC.
    assert t.created_at[0] == 1770019500
    assert t.requester[0] == t.requester[2] and t.requester[0].startswith("p-")
    assert "Close Diff In Min" in result.report.ignored_columns


def test_history_gives_pauses_and_ignores_other_objects() -> None:
    tickets = read_source("zammad", [REPORT], timezone="Europe/Paris").tickets
    events = read_zammad_history([HISTORY], tickets)
    first = events.ticket == 0
    assert [EVENT_STATUSES[s] for s in events.status[first].tolist()] == [
        "open",
        "paused",
        "open",
        "closed",
    ]
    assert events.at[first][1] == 1770026400  # 2026-02-02T10:00Z
    assert events.source_status[first].tolist()[1] == "pending reminder"
    assert [EVENT_STATUSES[s] for s in events.status[events.ticket == 1].tolist()] == [
        "open",
        "paused",
    ]
    # Tickets without a history keep their opening event only.
    assert (events.ticket == 2).sum() == 1
    again = read_zammad_history([HISTORY], tickets)
    assert np.array_equal(events.at, again.at) and np.array_equal(events.status, again.status)


def test_history_file_named_after_the_ticket(tmp_path: Path) -> None:
    tickets = read_source("zammad", [REPORT], timezone="Europe/Paris").tickets
    one = json.loads(HISTORY.read_text("utf-8"))["67002"]
    path = tmp_path / "67002.json"
    path.write_text(json.dumps(one), "utf-8")
    events = read_zammad_history([path], tickets)
    assert (events.ticket == 1).sum() == 2


def test_unknown_state_and_unknown_ticket_are_reported(tmp_path: Path) -> None:
    tickets = read_source("zammad", [REPORT], timezone="Europe/Paris").tickets
    data = json.loads(HISTORY.read_text("utf-8"))
    data["67002"]["history"][1]["value_to"] = "waiting for parts"
    path = tmp_path / "h.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ImportErrors) as info:
        read_zammad_history([path], tickets)
    text = info.value.message("en")
    assert 'column value_to, value "waiting for parts"' in text
    assert "h.json#67002, row 2" in text
    data["99999"] = data.pop("67002")
    data["99999"]["history"][1]["value_to"] = "closed"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ImportErrors) as info:
        read_zammad_history([path], tickets)
    assert '"99999": no ticket has this id' in info.value.message("en")


def test_not_json_is_reported(tmp_path: Path) -> None:
    tickets = read_source("zammad", [REPORT], timezone="Europe/Paris").tickets
    path = tmp_path / "h.json"
    path.write_text("<html>", "utf-8")
    with pytest.raises(ImportErrors) as info:
        read_zammad_history([path], tickets)
    assert "n’est pas du JSON valide" in info.value.message("fr")


def test_report_diff_columns_are_the_provider_verdicts() -> None:
    tickets = read_source("zammad", [REPORT], timezone="Europe/Paris").tickets
    judged = apply_zammad_diffs(tickets, [REPORT])
    # 67001: first response 45 min early (met), close 155 min late (missed).
    assert judged.provider_response_met.tolist() == [1, 1, -1, -1]
    assert judged.provider_resolution_met.tolist() == [0, -1, -1, -1]


def test_inspect_zammad_with_history(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--lang", "en", "tickets", "inspect", str(REPORT), "--source", "zammad"]
    args += ["--timezone", "Europe/Paris", "--history", str(HISTORY)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "4 ticket(s) and 8 status event(s)" in out
    assert "Provider verdict provider_resolution_met: met 0, missed 1, unknown 3." in out
