"""Centreon host availability report (Reporting > Dashboard CSV export)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.sources_monitoring.centreon import read_centreon_host_report
from pilotage.tables import MISSING

FIXTURES = Path(__file__).parent / "fixtures" / "monitoring" / "centreon"


def test_host_report_gives_one_claim_up_over_up_and_down() -> None:
    claims = read_centreon_host_report(
        FIXTURES / "host_srv-mail01.csv", "availability-messagerie", tz="Europe/Paris"
    )
    assert list(claims.service_level) == ["availability-messagerie"]
    assert list(claims.window) == ["2026-10"]
    assert claims.compliance[0] == Decimal(2674800) / Decimal(2678400)
    assert (claims.eligible[0], claims.met[0]) == (MISSING, MISSING)
    again = read_centreon_host_report(
        FIXTURES / "host_srv-mail01.csv", "availability-messagerie", tz="Europe/Paris"
    )
    assert again.compliance[0] == claims.compliance[0]


def test_bad_duration_and_period_that_is_not_a_month(tmp_path: Path) -> None:
    with pytest.raises(ImportErrors) as info:
        read_centreon_host_report(FIXTURES / "host_week.csv", "dispo", tz="Europe/Paris")
    found = [(e.code, e.location.row, e.location.value) for e in info.value.problems if e.location]
    assert found == [("import.centreon_bad_duration", 6, "une heure")]
    assert "3600s" in info.value.message("fr")
    week = tmp_path / "week.csv"
    week.write_text((FIXTURES / "host_week.csv").read_text().replace("une heure", "3600s"))
    with pytest.raises(ImportErrors) as info:
        read_centreon_host_report(week, "dispo", tz="Europe/Paris")
    (error,) = info.value.problems
    assert error.code == "import.centreon_not_month"
    assert "01/10/2026 00:00:00 – 08/10/2026 00:00:00" in error.message("en")


def test_not_a_centreon_report(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("service;start;end\nmessagerie;2026-10-01;2026-10-02\n")
    with pytest.raises(ImportErrors) as info:
        read_centreon_host_report(path, "dispo", tz="Europe/Paris")
    assert [e.code for e in info.value.problems] == ["import.centreon_layout"]
