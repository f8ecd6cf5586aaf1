"""Canonical tickets.csv / events.csv: reading, errors, round trip, merge."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from pilotage.ingest.canonical import (
    TICKET_COLUMNS,
    merge_extractions,
    read_events_csv,
    read_tickets_csv,
    write_events_csv,
    write_tickets_csv,
)
from pilotage.ingest.csvio import MAX_LISTED, ImportErrors
from pilotage.tables import EVENT_STATUSES, MISSING, Events, Tickets

FIXTURES = Path(__file__).parent / "fixtures" / "tickets"
TICKETS = FIXTURES / "canonical_tickets.csv"
EVENTS = FIXTURES / "canonical_events.csv"
HEADER = ",".join(TICKET_COLUMNS)


def _utc(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=dt.UTC).timestamp())


def _equal_tickets(a: Tickets, b: Tickets) -> None:
    for name in TICKET_COLUMNS:
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name


def _equal_events(a: Events, b: Events) -> None:
    for name in ("ticket", "at", "status", "pause_reason", "priority", "source_status"):
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name


def test_reads_the_fixture() -> None:
    t = read_tickets_csv(TICKETS)
    assert t.id.tolist() == ["INC-1001", "INC-1002", "INC-1003", "REQ-2001"]
    assert t.created_at[0] == _utc(2026, 1, 5, 7, 12)  # +01:00 offset honoured
    assert t.state.tolist() == ["closed", "resolved", "open", "open"]  # empty state inferred
    assert t.waiting_seconds.tolist() == [MISSING, 3601, MISSING, MISSING]  # decimal comma
    assert t.provider_sla_met.tolist() == [1, 0, -1, -1]
    assert t.provider_response_met.tolist() == [1, -1, -1, -1]
    assert t.parent_id.tolist() == ["", "", "INC-1001", ""]
    assert t.title[1] == "Écran noir, poste 12"
    assert t.first_response_at[1] == MISSING


def test_reads_events_sorted_with_file_order_at_equal_times() -> None:
    t = read_tickets_csv(TICKETS)
    e = read_events_csv(EVENTS, t)
    assert e.ticket.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert [EVENT_STATUSES[s] for s in e.status] == [
        "open", "open", "resolved", "closed", "open", "paused", "open", "resolved",
    ]  # fmt: skip
    assert e.pause_reason[5] == "waiting_customer"
    assert e.priority.tolist()[:2] == ["P2", "P1"]


def test_reading_twice_gives_identical_tables() -> None:
    _equal_tickets(read_tickets_csv(TICKETS), read_tickets_csv(TICKETS))
    t = read_tickets_csv(TICKETS)
    _equal_events(read_events_csv(EVENTS, t), read_events_csv(EVENTS, t))


def test_round_trip(tmp_path: Path) -> None:
    t = read_tickets_csv(TICKETS)
    e = read_events_csv(EVENTS, t)
    write_tickets_csv(t, tmp_path / "t.csv")
    write_events_csv(e, t, tmp_path / "e.csv")
    t2 = read_tickets_csv(tmp_path / "t.csv")
    _equal_tickets(t, t2)
    _equal_events(e, read_events_csv(tmp_path / "e.csv", t2))
    write_tickets_csv(t2, tmp_path / "t2.csv")
    assert (tmp_path / "t.csv").read_bytes() == (tmp_path / "t2.csv").read_bytes()


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", "\t")]
)
def test_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    text = TICKETS.read_text(encoding="utf-8")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "t.csv"
    path.write_bytes(out.getvalue().encode(encoding))
    _equal_tickets(read_tickets_csv(path), read_tickets_csv(TICKETS))


def test_naive_times_need_a_timezone(tmp_path: Path) -> None:
    path = tmp_path / "naive.csv"
    path.write_text(f"{HEADER}\nA,incident,P1,,,,,,2026-01-15 10:00:00,,,,,,,,,\n")
    with pytest.raises(ImportErrors) as info:
        read_tickets_csv(path)
    message = info.value.message("en")
    assert "naive.csv" in message and "row 2" in message and "created_at" in message
    assert "2026-01-15 10:00:00" in message and "timezone" in message
    assert "fuseau" in info.value.message("fr")
    t = read_tickets_csv(path, timezone="Europe/Paris")
    assert t.created_at.tolist() == [_utc(2026, 1, 15, 9)]


def _bad(tmp_path: Path, body: str) -> str:
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ImportErrors) as info:
        read_tickets_csv(path, timezone="UTC")
    return info.value.message("en")


def test_bad_date_names_file_row_column_and_value(tmp_path: Path) -> None:
    message = _bad(
        tmp_path,
        f"{HEADER}\nA,incident,P1,,,,,,2026-01-15T10:00:00Z,,,,,,,,,\n"
        "B,incident,P1,,,,,,2026-02-30T10:00:00Z,,,,,,,,,\n",
    )
    assert "bad.csv, row 3, column created_at" in message
    assert '"2026-02-30T10:00:00Z"' in message and "date-time" in message


def test_unknown_state_and_flag(tmp_path: Path) -> None:
    message = _bad(
        tmp_path,
        f"{HEADER}\nA,incident,P1,,,,,,2026-01-15T10:00:00Z,,,,pending,,,maybe,,\n",
    )
    assert "row 2, column state" in message and '"pending"' in message
    assert "open, resolved, closed, cancelled, merged" in message
    assert "column provider_sla_met" in message and '"maybe"' in message
    assert "2 problem(s)" in message


def test_headers_match_ignoring_case(tmp_path: Path) -> None:
    path = _write(tmp_path, "ID,Kind,Priority,Created_At\nA,incident,P1,2026-01-15T10:00:00Z\n")
    assert read_tickets_csv(path).created_at.tolist() == [_utc(2026, 1, 15, 10)]


def test_missing_required_column(tmp_path: Path) -> None:
    message = _bad(tmp_path, "id,kind,created_at\nA,incident,2026-01-15T10:00:00Z\n")
    assert "bad.csv, row 1, column priority" in message and "missing" in message


def test_required_value_empty(tmp_path: Path) -> None:
    message = _bad(tmp_path, f"{HEADER}\nA,,P1,,,,,,,,,,,,,,,\n")
    assert "row 2, column kind" in message and "row 2, column created_at" in message


def test_duplicate_id_within_a_file(tmp_path: Path) -> None:
    message = _bad(
        tmp_path,
        f"{HEADER}\nA,incident,P1,,,,,,2026-01-15T10:00:00Z,,,,,,,,,\n"
        "A,incident,P2,,,,,,2026-01-16T10:00:00Z,,,,,,,,,\n",
    )
    assert "row 3, column id" in message and '"A"' in message and "row 2" in message


def test_errors_are_capped_but_counted(tmp_path: Path) -> None:
    rows = "".join(f"T{i},incident,P1,,,,,,bad,,,,,,,,,\n" for i in range(80))
    with pytest.raises(ImportErrors) as info:
        read_tickets_csv(_write(tmp_path, HEADER + "\n" + rows), timezone="UTC")
    assert info.value.total == 80
    assert len(info.value.problems) == MAX_LISTED
    assert "30 more" in info.value.message("en")


def _write(tmp_path: Path, text: str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_events_of_unknown_ticket_and_bad_status(tmp_path: Path) -> None:
    t = read_tickets_csv(TICKETS)
    path = _write(
        tmp_path,
        "ticket_id,at,status,pause_reason\n"
        "NOPE,2026-01-05T08:12:00Z,open,\n"
        "INC-1001,2026-01-05T08:12:00Z,waiting,\n"
        "INC-1001,2026-01-05T08:13:00Z,open,waiting_customer\n",
        "events.csv",
    )
    with pytest.raises(ImportErrors) as info:
        read_events_csv(path, t)
    message = info.value.message("en")
    assert "events.csv, row 2, column ticket_id" in message and '"NOPE"' in message
    assert "row 3, column status" in message and "open, paused, resolved, closed" in message
    assert "row 4, column pause_reason" in message


def test_blank_lines_and_multiline_cells_keep_row_numbers(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        f'{HEADER}\nA,incident,P1,,,,"two\nlines",,2026-01-15T10:00:00Z,,,,,,,,,\n\n'
        "B,incident,P1,,,,,,yesterday,,,,,,,,,\n",
    )
    with pytest.raises(ImportErrors) as info:
        read_tickets_csv(path)
    assert "row 4, column created_at" in info.value.message("en")


def test_last_extraction_wins_across_files() -> None:
    first = Tickets.from_rows(
        [{"id": "A", "kind": "incident", "priority": "P2", "created_at": 10},
         {"id": "B", "kind": "incident", "priority": "P3", "created_at": 20}]
    )  # fmt: skip
    second = Tickets.from_rows(
        [{"id": "A", "kind": "incident", "priority": "P1", "created_at": 10}]
    )
    e1 = Events.from_rows(first, [{"ticket_id": "A", "at": 10, "status": "open"},
                                  {"ticket_id": "B", "at": 20, "status": "open"}])  # fmt: skip
    e2 = Events.from_rows(second, [{"ticket_id": "A", "at": 12, "status": "resolved"}])
    merged, events = merge_extractions([(first, e1), (second, e2)])
    assert merged.id.tolist() == ["B", "A"]
    assert merged.priority.tolist() == ["P3", "P1"]
    assert events.ticket.tolist() == [0, 1] and events.at.tolist() == [20, 12]
    assert np.array_equal(events.status, np.array([0, 2], dtype=np.int8))


@pytest.mark.parametrize("size", [1, 2, 3, 1000])  # blocks of about 200 characters per row
def test_blocks_of_any_size_give_the_csv_module_cells(tmp_path: Path, size: int) -> None:
    import csv

    from pilotage.ingest.csvio import Problems, open_table

    plain = "".join(f"{i};value number {i};w\r\n" for i in range(10, 40))  # ~700 characters
    text = (
        f'a;b;c\r\n1;x;2026-01-01\r\n2;y;\r\n{plain}3;"q;uote";z\r\n4;long value;w\r\n\r\n'
        '5;"multi\r\nline";v\r\n6;last;u'
    )
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8", newline="")
    problems = Problems()
    reader = open_table(path, problems)
    got_rows: list[int] = []
    got: list[list[str]] = [[], [], []]
    for rows, columns in reader.chunks(problems, size=size):
        got_rows.extend(rows)
        for j, column in enumerate(columns):
            got[j].extend(column)
    expected = [r for r in csv.reader(text.splitlines(keepends=True), delimiter=";")][1:]
    non_blank = [r for r in expected if r]
    assert got == [list(col) for col in zip(*non_blank, strict=True)]
    assert got_rows == [*range(2, 36), 37, 38]
    assert not problems


def test_blank_rows_and_unknown_columns_are_reported(tmp_path: Path) -> None:
    from pilotage.ingest.canonical import load_tickets_csv

    path = _write(
        tmp_path,
        f"{HEADER},note\nA,incident,P1,,,,,,2026-01-15T10:00:00Z,,,,,,,,,,x\n" + "," * 18 + "\n\n",
    )
    tickets, report = load_tickets_csv(path)
    assert tickets.id.tolist() == ["A"]
    assert report.ignored_rows == {"ingest.blank_rows": 2}
    assert report.ignored_columns == ["note"]
