"""The provider's claimed figures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from pilotage.ingest._tabular import CellError
from pilotage.ingest.claims import parse_window, read_claims
from pilotage.ingest.csvio import ImportErrors
from pilotage.tables import MISSING

FIXTURES = Path(__file__).parent / "fixtures" / "monitoring"


def test_claims_in_french_excel_format() -> None:
    claims = read_claims(FIXTURES / "claims.csv")
    assert list(claims.service_level) == [
        "p1-response",
        "p1-resolution",
        "availability-messagerie",
        "backups",
    ]
    assert list(claims.window) == ["2026-10"] * 4
    assert list(claims.eligible) == [12, 12, MISSING, 31]
    assert list(claims.met) == [12, 11, MISSING, 30]
    assert list(claims.compliance) == [
        Decimal(1),
        Decimal("0.917"),
        Decimal("0.9995"),
        Decimal("0.968"),
    ]
    assert all(isinstance(c, Decimal) for c in claims.compliance)


def test_bad_claims_are_all_reported() -> None:
    with pytest.raises(ImportErrors) as info:
        read_claims(FIXTURES / "claims_bad.csv")
    found = [
        (e.code, e.location.row, e.location.column, e.location.value)
        for e in info.value.problems
        if e.location
    ]
    assert found == [
        ("import.bad_window", 2, "window", "2026-13"),
        ("import.bad_fraction", 3, "compliance", "108,3%"),
        ("import.bad_fraction", 4, "compliance", "95"),
        ("import.duplicate_claim", 6, "window", "2026-10"),
    ]
    assert "ligne 5" in info.value.problems[-1].message("fr")


def test_met_above_eligible(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("service_level,window,eligible,met,compliance\np1,2026-10,3,4,\n")
    with pytest.raises(ImportErrors) as info:
        read_claims(path)
    (error,) = info.value.problems
    assert error.code == "import.met_above_eligible"
    assert "more tickets met (4) than eligible (3)" in error.message("en")


def test_reading_twice_gives_identical_tables() -> None:
    a, b = read_claims(FIXTURES / "claims.csv"), read_claims(FIXTURES / "claims.csv")
    assert np.array_equal(a.eligible, b.eligible) and np.array_equal(a.met, b.met)
    assert list(a.compliance) == list(b.compliance) and list(a.window) == list(b.window)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2026-10", "2026-10"),
        ("10/2026", "2026-10"),
        ("2026/3", "2026-03"),
        ("2026-Q4", "2026-Q4"),
        ("T4 2026", "2026-Q4"),
        ("q1-2027", "2027-Q1"),
        ("2026", "2026"),
    ],
)
def test_window_labels_follow_the_engine(text: str, label: str) -> None:
    assert parse_window(text) == label


@pytest.mark.parametrize("text", ["2026-13", "Q5 2026", "octobre 2026", "26-10"])
def test_bad_window_labels(text: str) -> None:
    with pytest.raises(CellError):
        parse_window(text)
