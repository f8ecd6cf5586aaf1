"""Committee adjustments (waivers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotage.ingest.adjustments import read_adjustments
from pilotage.ingest.csvio import ImportErrors

FIXTURES = Path(__file__).parent / "fixtures" / "monitoring"


def test_french_decisions_and_dates() -> None:
    adjustments = read_adjustments(FIXTURES / "adjustments.csv")
    assert list(adjustments.ticket_id) == ["INC-1042", "INC-1077", "INC-1090"]
    assert list(adjustments.decision) == ["exclude", "met", "breach"]
    assert list(adjustments.agreed_on) == ["2026-11-12"] * 3
    assert adjustments.reason[0] == "Coupure électrique du site client (force majeure)"
    assert "l’outil" in adjustments.reason[1]


def test_bad_adjustments_are_all_reported() -> None:
    with pytest.raises(ImportErrors) as info:
        read_adjustments(FIXTURES / "adjustments_bad.csv")
    found = [
        (e.code, e.location.row, e.location.column, e.location.value)
        for e in info.value.problems
        if e.location
    ]
    assert found == [
        ("import.bad_choice", 2, "decision", "annulé"),
        ("import.required", 3, "reason", ""),
        ("import.bad_date", 4, "agreed_on", "31/11/2026"),
        ("import.conflicting_adjustment", 6, "decision", "breach"),
    ]
    assert "exclure, respecté, manqué" in info.value.message("fr")


def test_reading_twice_gives_identical_tables() -> None:
    a = read_adjustments(FIXTURES / "adjustments.csv")
    b = read_adjustments(FIXTURES / "adjustments.csv")
    for name in ("ticket_id", "service_level", "decision", "reason", "agreed_on"):
        assert list(getattr(a, name)) == list(getattr(b, name))
