"""The Jira Service Management preset (CSV) and its SLA answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilotage.cli import main
from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.sources import read_source
from pilotage.ingest.sources.jsm import apply_jsm_sla, cycle_verdict

FIXTURES = Path(__file__).parent / "fixtures" / "tickets"
CSV = FIXTURES / "jira_sm.csv"
SLA = FIXTURES / "jsm_sla.json"


def test_csv_reads_issues() -> None:
    result = read_source("jira-sm", [CSV], timezone="Europe/Paris", requester_key=b"k")
    t = result.tickets
    assert t.id.tolist() == ["SD-101", "SD-102", "SD-104"]
    assert t.kind.tolist() == ["incident", "request", "incident"]
    assert t.priority.tolist() == ["P1", "P3", "P2"]
    assert t.state.tolist() == ["closed", "open", "open"]
    assert t.category.tolist()[1] == "Demander du matériel"
    assert "Description" in result.report.ignored_columns
    assert all(r.startswith("p-") for r in t.requester.tolist())


def test_unknown_workflow_status_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "jira.csv"
    path.write_text(CSV.read_text("utf-8").replace("In progress", "Triage"), "utf-8")
    with pytest.raises(ImportErrors) as info:
        read_source("jira-sm", [path], timezone="Europe/Paris")
    assert 'row 4, column Status, value "Triage"' in info.value.message("en")


def test_sla_cycles_give_the_provider_verdicts() -> None:
    tickets = read_source("jira-sm", [CSV], timezone="Europe/Paris").tickets
    judged = apply_jsm_sla(tickets, [SLA])
    # SD-101: response met; resolution breached in its second cycle (everBreached).
    # SD-102: response breached while running; resolution running (unknown).
    assert judged.provider_response_met.tolist() == [1, 0, -1]
    assert judged.provider_resolution_met.tolist() == [0, -1, -1]
    assert tickets.provider_response_met.tolist() == [-1, -1, -1]


def test_cycle_verdict_cases() -> None:
    assert cycle_verdict({"completedCycles": [{"breached": False}]}) == 1
    assert cycle_verdict({"completedCycles": []}) == -1
    assert cycle_verdict({"completedCycles": [], "ongoingCycle": {"breached": True}}) == 0
    assert cycle_verdict({"completedCycles": [{"breached": False}], "ongoingCycle": {}}) == -1
    late = {"goalDuration": {"millis": 3_600_000}, "elapsedTime": {"millis": 3_600_001}}
    assert cycle_verdict({"completedCycles": [late]}) == 0
    late["elapsedTime"] = {"millis": 3_600_000}
    assert cycle_verdict({"completedCycles": [late]}) == 1


def test_sla_answer_named_after_the_issue(tmp_path: Path) -> None:
    tickets = read_source("jira-sm", [CSV], timezone="Europe/Paris").tickets
    path = tmp_path / "SD-102.json"
    path.write_text(json.dumps(json.loads(SLA.read_text("utf-8"))["SD-102"]), "utf-8")
    assert apply_jsm_sla(tickets, [path]).provider_response_met.tolist() == [-1, 0, -1]


def test_sla_of_the_wrong_shape(tmp_path: Path) -> None:
    tickets = read_source("jira-sm", [CSV], timezone="Europe/Paris").tickets
    path = tmp_path / "sla.json"
    path.write_text('{"SD-101": {"errorMessages": ["Issue does not exist"]}}', "utf-8")
    with pytest.raises(ImportErrors) as info:
        apply_jsm_sla(tickets, [path])
    assert "column SD-101" in info.value.message("en")


def test_inspect_with_sla_answers(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--lang", "fr", "tickets", "inspect", str(CSV), "--source", "jira-sm"]
    args += ["--timezone", "Europe/Paris", "--sla", str(SLA)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "jira_sm.csv, jsm_sla.json" in out
    assert "provider_response_met : respecté 1, non respecté 1, inconnu 1" in out
    assert main(["--lang", "en", "tickets", "inspect", str(CSV), "--sla", str(SLA)]) == 2
    assert "needs an export read through a preset" in capsys.readouterr().err
