"""Backup runs, restore tests and Veeam job session exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from pilotage.ingest.backups import read_backups, read_restore_tests, read_veeam_sessions
from pilotage.ingest.csvio import ImportErrors
from pilotage.tables import MISSING, Backups

FIXTURES = Path(__file__).parent / "fixtures" / "monitoring"
JOBS = {"sauvegarde": ["Backup Serveurs Fichiers", "backup sql"]}


def utc(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=dt.UTC).timestamp())


def located(error: ImportErrors) -> list[tuple[str, int | None, object, object]]:
    return [
        (e.code, e.location.row, e.location.column, e.location.value)
        for e in error.problems
        if e.location
    ]


def test_french_statuses_cp1252_and_sorting() -> None:
    backups = read_backups(FIXTURES / "backups_fr.csv", tz="Europe/Paris")
    assert list(backups.service) == ["messagerie"] + ["sauvegarde"] * 4
    assert list(backups.status) == ["failed", "success", "warning", "failed", "success"]
    assert backups.scheduled_at[1] == utc(2026, 10, 1, 20, 0)


def test_bad_backup_rows() -> None:
    with pytest.raises(ImportErrors) as info:
        read_backups(FIXTURES / "backups_bad.csv", tz="Europe/Paris")
    assert located(info.value) == [
        ("import.bad_choice", 3, "status", "Partiel"),
        ("import.required", 4, "service", ""),
    ]
    assert "Succès, Avertissement, Échec" in info.value.message("fr")


def test_restore_tests_durations_and_verdicts() -> None:
    tests = read_restore_tests(FIXTURES / "restore_tests.csv", tz="Europe/Paris")
    assert list(tests.service) == ["messagerie", "messagerie", "sauvegarde", "sauvegarde"]
    assert list(tests.duration_seconds) == [45 * 60, MISSING, 9000, 6300]
    assert list(tests.success) == [1, -1, 1, 0]
    assert tests.performed_at[2] == utc(2026, 4, 15, 8, 0)


def test_restore_duration_without_unit_is_refused() -> None:
    with pytest.raises(ImportErrors) as info:
        read_restore_tests(FIXTURES / "restore_tests_bad.csv", tz="Europe/Paris")
    assert located(info.value) == [("import.bad_duration", 2, "duration", "150")]
    assert "45min" in info.value.message("en")


def _same(a: Backups, b: Backups) -> bool:
    return (
        list(a.service) == list(b.service)
        and np.array_equal(a.scheduled_at, b.scheduled_at)
        and list(a.status) == list(b.status)
    )


def test_veeam_console_and_powershell_exports_agree() -> None:
    console = read_veeam_sessions(
        FIXTURES / "veeam_sessions.csv", JOBS, tz="Europe/Paris", ignore=["Backup Copy Offsite"]
    )
    shell = read_veeam_sessions(
        FIXTURES / "veeam_powershell.csv", JOBS, tz="Europe/Paris", ignore=["Backup Copy Offsite"]
    )
    assert _same(console, shell)
    # The running session (Result "None") is left out.
    assert list(console.status) == ["success", "warning", "failed", "success"]
    assert console.scheduled_at[0] == utc(2026, 10, 1, 20, 0, 4)
    assert set(console.service) == {"sauvegarde"}


def test_veeam_unmapped_job_is_an_error_naming_the_cell() -> None:
    with pytest.raises(ImportErrors) as info:
        read_veeam_sessions(FIXTURES / "veeam_sessions.csv", JOBS, tz="Europe/Paris")
    assert located(info.value) == [
        ("import.veeam_unmapped_job", 6, "Job Name", "Backup Copy Offsite")
    ]


def test_veeam_bad_result_and_date_keep_the_header_as_written(tmp_path: Path) -> None:
    path = tmp_path / "sessions.csv"
    path.write_text(
        "JobName,CreationTime,EndTime,Result\n"
        "Backup SQL,2026-10-03 23:30:00,2026-10-04 00:12:09,Partial\n"
        "Backup SQL,10/3/2026 11:30:00 PM,,Success\n"
    )
    with pytest.raises(ImportErrors) as info:
        read_veeam_sessions(path, JOBS, tz="Europe/Paris")
    assert located(info.value) == [
        ("import.bad_choice", 2, "Result", "Partial"),
        ("import.bad_instant", 3, "CreationTime", "10/3/2026 11:30:00 PM"),
    ]


def test_reading_twice_gives_identical_tables() -> None:
    first = read_backups(FIXTURES / "backups_fr.csv", tz="Europe/Paris")
    again = read_backups(FIXTURES / "backups_fr.csv", tz="Europe/Paris")
    assert _same(first, again)
    a = read_restore_tests(FIXTURES / "restore_tests.csv", tz="Europe/Paris")
    b = read_restore_tests(FIXTURES / "restore_tests.csv", tz="Europe/Paris")
    assert np.array_equal(a.performed_at, b.performed_at)
    assert np.array_equal(a.duration_seconds, b.duration_seconds)
    jobs = {"sauvegarde": ["Backup SQL", "Backup Serveurs Fichiers", "Backup Copy Offsite"]}
    v1 = read_veeam_sessions(FIXTURES / "veeam_sessions.csv", jobs, tz="Europe/Paris")
    v2 = read_veeam_sessions(FIXTURES / "veeam_sessions.csv", jobs, tz="Europe/Paris")
    assert _same(v1, v2) and len(v1) == 5
