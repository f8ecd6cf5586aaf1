"""Generic availability CSV readers: outages and probe samples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.monitoring import read_outages, read_probes
from pilotage.tables import MISSING

FIXTURES = Path(__file__).parent / "fixtures" / "monitoring"


def utc(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=dt.UTC).timestamp())


def test_french_excel_export_and_iso_utc_give_the_same_outages() -> None:
    french = read_outages(FIXTURES / "outages_excel_fr.csv", tz="Europe/Paris")
    iso = read_outages(FIXTURES / "outages_iso_utc.csv", tz=None)
    for name in ("service", "start", "end", "kind", "announced_at"):
        assert list(getattr(french, name)) == list(getattr(iso, name)), name
    assert list(french.service) == ["erp", "messagerie", "messagerie"]
    assert list(french.kind) == ["down", "down", "maintenance"]
    # 25/10/2026 02:30 in Paris is ambiguous (clocks go back at 03:00): first occurrence, CEST.
    assert french.start[0] == utc(2026, 10, 25, 0, 30)
    assert french.start[1] == utc(2026, 10, 5, 12, 30)
    assert french.announced_at[1] == MISSING
    assert french.announced_at[2] == utc(2026, 10, 1, 7, 15)


def test_naive_times_without_timezone_are_refused() -> None:
    with pytest.raises(ImportErrors) as info:
        read_outages(FIXTURES / "outages_excel_fr.csv", tz=None)
    errors = info.value.problems
    assert {e.code for e in errors} == {"import.naive_without_timezone"}
    first = errors[0].location
    assert first is not None
    assert (first.file, first.row, first.column, first.value) == (
        "outages_excel_fr.csv",
        2,
        "start",
        "05/10/2026 14:30",
    )


def test_bad_outage_rows_are_all_reported_and_nothing_is_returned() -> None:
    with pytest.raises(ImportErrors) as info:
        read_outages(FIXTURES / "outages_bad.csv", tz="Europe/Paris")
    found = [
        (e.code, e.location.row, e.location.column, e.location.value)
        for e in info.value.problems
        if e.location
    ]
    assert found == [
        ("import.bad_instant", 3, "start", "31/02/2026 10:00"),
        ("import.end_before_start", 4, "end", "05/10/2026 15:00"),
        ("import.bad_choice", 5, "kind", "coupure"),
    ]
    english = info.value.message("en")
    assert 'outages_bad.csv, row 5, column kind, value "coupure"' in english
    assert "expected one of down, maintenance" in english
    french = info.value.message("fr")
    assert "3 problème(s) trouvé(s)" in french
    assert "outages_bad.csv, ligne 3, colonne start, valeur « 31/02/2026 10:00 »" in french


def test_missing_column_and_unknown_timezone(tmp_path: Path) -> None:
    path = tmp_path / "outages.csv"
    path.write_text("service;begin;end;kind\nmessagerie;2026-10-01;2026-10-02;down\n")
    with pytest.raises(ImportErrors) as info:
        read_outages(path, tz="Europe/Pariss")
    codes = [(e.code, e.location.column if e.location else None) for e in info.value.problems]
    assert codes == [("import.unknown_timezone", None), ("import.missing_column", "start")]


def test_probes_accept_every_spelling_sort_and_collapse_duplicates() -> None:
    probes = read_probes(FIXTURES / "probes.csv", tz="Europe/Paris")
    assert list(probes.service) == ["erp", "erp"] + ["messagerie"] * 5
    assert list(probes.up) == [1, 0, 1, 1, 0, 0, 1]
    assert probes.at[0] == utc(2026, 10, 5, 12, 30)
    assert probes.at.dtype == np.int64 and probes.up.dtype == np.int8


def test_bad_probe_value_names_file_row_column_and_value(tmp_path: Path) -> None:
    path = tmp_path / "probes.csv"
    path.write_text("service,at,up\nerp,2026-10-05T10:00:00Z,1\nerp,2026-10-05T10:01:00Z,maybe\n")
    with pytest.raises(ImportErrors) as info:
        read_probes(path, tz=None)
    (error,) = info.value.problems
    assert error.location is not None
    assert (error.location.row, error.location.column, error.location.value) == (3, "up", "maybe")
    assert "oui/non" in error.message("fr")


def test_reading_twice_gives_identical_tables() -> None:
    a = read_outages(FIXTURES / "outages_excel_fr.csv", tz="Europe/Paris")
    b = read_outages(FIXTURES / "outages_excel_fr.csv", tz="Europe/Paris")
    for name in ("service", "start", "end", "kind", "announced_at"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    p = read_probes(FIXTURES / "probes.csv", tz="Europe/Paris")
    q = read_probes(FIXTURES / "probes.csv", tz="Europe/Paris")
    assert np.array_equal(p.at, q.at) and np.array_equal(p.up, q.up)
    assert list(p.service) == list(q.service)


def test_rows_may_stop_before_optional_columns_only(tmp_path: Path) -> None:
    path = tmp_path / "outages.csv"
    path.write_text(
        "service;start;end;kind;announced_at\n"
        "erp;2026-10-05 10:00;2026-10-05 11:00;down\n"
        "erp;2026-10-06 10:00;2026-10-06 11:00\n"
        "erp,2026-10-07 10:00,2026-10-07 11:00,down,\n"
    )
    with pytest.raises(ImportErrors) as info:
        read_outages(path, tz="Europe/Paris")
    found = [(e.code, e.location.row) for e in info.value.problems if e.location]
    assert found == [("import.row_length", 3), ("import.row_length", 4)]
    assert "la ligne a 3 cellules alors que l’en-tête en a 5" in info.value.message("fr")
    path.write_text(
        "service;start;end;kind;announced_at\nerp;2026-10-05 10:00;2026-10-05 11:00;down\n"
    )
    assert list(read_outages(path, tz="Europe/Paris").announced_at) == [MISSING]


def test_unreadable_empty_and_undecodable_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\r\n")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"service;at;up\r\nerp;\x81\x8d;1\r\n")
    for path, code in (
        (tmp_path / "absent.csv", "import.file_unreadable"),
        (empty, "import.empty_file"),
        (binary, "import.encoding"),
    ):
        with pytest.raises(ImportErrors) as info:
            read_probes(path, tz="Europe/Paris")
        (error,) = info.value.problems
        assert error.code == code
        assert error.location is not None and error.location.file == path.name
