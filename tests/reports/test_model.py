"""The report model: RAG status, committee points, penalty totals."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from pilotage.reports.model import rag_status
from tests.reports.sample import sample_report


def test_rag_follows_status_and_margin() -> None:
    report = sample_report()
    rags = {row.id: row.rag for row in report.levels}
    assert rags == {
        "p1-response": "red",
        "p1-resolution": "amber",  # met only thanks to the allowed breach
        "p2-resolution": "red",
        "requests": "amber",  # 92.25 % against 90 %: more than half the 10-point margin used
        "mail-availability": "green",
        "backups": "red",
        "restore-tests": "green",
    }
    result = report.level("requests").result
    assert rag_status(replace(result, value=Decimal("0.96"))) == "green"
    assert rag_status(replace(result, status="no_data", value=None)) == "grey"


def test_penalty_totals_add_up() -> None:
    penalties = sample_report().penalties
    assert penalties.capped_total == Decimal("334.26")
    assert penalties.total == Decimal("351.26")  # 150 + 170 + 31.26 before the level cap
    assert penalties.capped_total == sum(line.amount for line in penalties.lines)


def test_committee_points_come_from_the_facts() -> None:
    report = sample_report()
    codes = [(p.code, p.subject) for p in report.committee]
    assert ("persistent_breach", "p1-response") in codes
    assert ("penalty_due", "p2-resolution") in codes
    assert ("maintenance_not_excused", "mail-availability") in codes
    assert ("backup_failures", "backups") in codes
    assert ("claim_deadline", "2026-10") in codes
    # A gap under one point is not worth a committee's time.
    assert ("reconciliation_gap", "mail-availability") not in codes
    assert ("reconciliation_gap", "requests") in codes
