"""Exports saved from a tool's API feed a run: Jira SLA answers, Zammad histories, Freshservice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pilotage.run import Run, RunInputs, execute

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests/ingest/fixtures/tickets"
CONTRACT = ROOT / "pilotage/demo/data/contract.yaml"


def _run(**kwargs: Any) -> Run:
    inputs = RunInputs(contract=CONTRACT, timezone="Europe/Paris", **kwargs)
    return execute(inputs, as_of_text="2026-11-10")


def test_jira_sla_answers_give_the_provider_verdicts() -> None:
    without = _run(tickets=FIXTURES / "jira_sm.csv", source="jira-sm")
    with_sla = _run(
        tickets=FIXTURES / "jira_sm.csv", source="jira-sm", sla=(FIXTURES / "jsm_sla.json",)
    )
    assert (with_sla.tickets.provider_resolution_met >= 0).sum() > (
        without.tickets.provider_resolution_met >= 0
    ).sum()
    roles = {i.role for i in with_sla.provenance.inputs}
    assert "sla" in roles


def test_zammad_histories_give_the_status_history() -> None:
    run = _run(
        tickets=FIXTURES / "zammad_report.xlsx",
        source="zammad",
        history=(FIXTURES / "zammad_history.json",),
    )
    assert len(run.events) > 0


def test_freshservice_api_answers_are_read() -> None:
    run = _run(tickets=FIXTURES / "freshservice_tickets.json", source="freshservice")
    assert len(run.tickets) > 0
