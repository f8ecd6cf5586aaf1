"""The Arrow fast path of the canonical readers: same tables as the precise
reader on valid files, the precise reader's errors on invalid ones."""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import fields
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.ingest import fastcsv
from pilotage.ingest.canonical import (
    EVENT_COLUMNS,
    REQUIRED_EVENT_COLUMNS,
    REQUIRED_TICKET_COLUMNS,
    TICKET_COLUMNS,
    _fast_columns,
    _fast_events,
    _fast_tickets,
    load_tickets_csv,
    read_events_csv,
    read_tickets_csv,
)
from pilotage.ingest.csvio import ImportErrors, Problems, open_table, require_columns
from pilotage.tables import Events, Tickets
from pilotage.timeutil import parse_instants

DEMO = Path(__file__).resolve().parents[2] / "pilotage" / "demo" / "data"


def _same_table(fast: Tickets | Events, precise: Tickets | Events) -> None:
    for f in fields(precise):
        a, b = getattr(fast, f.name), getattr(precise, f.name)
        assert a.dtype == b.dtype, f.name
        assert a.shape == b.shape, f.name
        assert a.tolist() == b.tolist(), f.name
        if a.dtype != object:
            assert a.tobytes() == b.tobytes(), f.name


def _fast_only(
    tickets_path: Path, events_path: Path | None, timezone: str | None = None
) -> tuple[Tickets | None, Events | None]:
    """What the fast path alone makes of the files (None: it declines)."""
    problems = Problems()
    reader = open_table(tickets_path, problems)
    positions = require_columns(reader, REQUIRED_TICKET_COLUMNS, problems)
    wanted = {name: positions[name] for name in TICKET_COLUMNS if name in positions}
    read = _fast_columns(reader, wanted)
    tickets = None if read is None else _fast_tickets(*read, timezone=timezone)
    if events_path is None or tickets is None:
        return tickets, None
    reader = open_table(events_path, problems)
    positions = require_columns(reader, REQUIRED_EVENT_COLUMNS, problems)
    wanted = {name: positions[name] for name in EVENT_COLUMNS if name in positions}
    read = _fast_columns(reader, wanted)
    return tickets, None if read is None else _fast_events(*read, tickets, timezone=timezone)


def _outcome(
    tickets_path: Path, events_path: Path, timezone: str | None, fast: bool
) -> tuple[Tickets, Events] | str:
    try:
        tickets = read_tickets_csv(tickets_path, timezone=timezone, fast=fast)
        return tickets, read_events_csv(events_path, tickets, timezone=timezone, fast=fast)
    except ImportErrors as exc:
        return exc.message("fr") + "\n" + exc.message("en")


def _assert_same_outcome(
    tickets_path: Path, events_path: Path, timezone: str | None = None
) -> bool:
    """Both readers give the same tables or the same errors; True when valid."""
    fast = _outcome(tickets_path, events_path, timezone, True)
    precise = _outcome(tickets_path, events_path, timezone, False)
    if isinstance(precise, str):
        assert fast == precise
        return False
    assert not isinstance(fast, str), fast
    _same_table(fast[0], precise[0])
    _same_table(fast[1], precise[1])
    return True


def test_demo_data_identical_and_read_fast() -> None:
    tickets_path, events_path = DEMO / "tickets.csv", DEMO / "events.csv"
    assert _assert_same_outcome(tickets_path, events_path)
    tickets, events = _fast_only(tickets_path, events_path)
    assert tickets is not None and events is not None
    _same_table(tickets, read_tickets_csv(tickets_path, fast=False))
    _same_table(events, read_events_csv(events_path, tickets, fast=False))
    assert len(events) > 10_000


def _iso(ts: int, style: int) -> str:
    moment = dt.datetime.fromtimestamp(ts, dt.UTC)
    if style == 0:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == 1:
        return moment.astimezone(dt.timezone(dt.timedelta(hours=1))).isoformat()
    if style == 2:
        return moment.astimezone(dt.timezone(dt.timedelta(hours=-5, minutes=-30))).strftime(
            "%Y-%m-%d %H:%M:%S.%f%z"
        )
    return moment.strftime("%Y-%m-%dT%H:%M:%S.123z")


def _write(
    folder: Path,
    rows: int = 300,
    *,
    seed: int = 3,
    delimiter: str = ",",
    encoding: str = "utf-8",
    quoting: int = csv.QUOTE_MINIMAL,
    newline: str = "\n",
    naive: bool = False,
    shuffle_events: bool = False,
) -> tuple[Path, Path]:
    """Generated canonical files with pauses, priority changes, empty cells,
    quoted text, several offset styles."""
    rng = random.Random(seed)
    start = int(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp())
    ticket_rows, event_rows = [], []

    def when(ts: int) -> str:
        if naive:
            return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        return _iso(ts, rng.randrange(4))

    for i in range(rows):
        created = start + rng.randrange(0, 180 * 86_400)
        resolved = created + rng.randrange(600, 5 * 86_400)
        done = rng.random() < 0.8
        ticket_rows.append(
            [
                f"INC-{i:05d}" if i % 7 else str(10_000 + i),
                rng.choice(["incident", "request"]),
                rng.choice(["P1", "P2", "P3", "P4", " P3 "]),
                rng.choice(["", "messagerie", "réseau"]),
                rng.choice(["", "Poste de travail", 'Imprimante "laser"']),
                rng.choice(["", "Lille", "Saint-Étienne"]),
                rng.choice(["Écran noir, poste 12", "", "  espace devant", "Ligne 1\nligne 2"]),
                rng.choice(["", "Océane Lebrun", "p-1f"]),
                when(created),
                when(created + 600) if rng.random() < 0.7 else "",
                when(resolved) if done else "",
                when(resolved + 3600) if done and rng.random() < 0.5 else "",
                rng.choice(["", "closed", "cancelled"]) if done else rng.choice(["", "open"]),
                f"INC-{i - 1:05d}" if i % 11 == 5 else "",
                rng.choice(["", "0", "3600", "12"]),
                rng.choice(["", "true", "false", "1", " TRUE"]),
                rng.choice(["", "true", "false"]),
                rng.choice(["", "0", "false"]),
            ]
        )
        at = created
        tid = ticket_rows[-1][0]
        event_rows.append([tid, when(at), "open", "", ticket_rows[-1][2].strip(), "Nouveau"])
        for _ in range(rng.randrange(0, 4)):
            at += rng.randrange(0, 40_000)
            if rng.random() < 0.5:
                event_rows.append([tid, when(at), "paused", "waiting_customer", "", "En attente"])
                at += rng.randrange(60, 9_000)
                event_rows.append([tid, when(at), "open", "", rng.choice(["", "P1"]), "En cours"])
            else:
                event_rows.append([tid, when(at), "open", "", "P2", ""])
        if done:
            event_rows.append([tid, when(resolved), " resolved", "", "", "Résolu"])
    if shuffle_events:
        rng.shuffle(event_rows)
    paths = folder / "tickets.csv", folder / "events.csv"
    for path, header, body in (
        (paths[0], TICKET_COLUMNS, ticket_rows),
        (paths[1], EVENT_COLUMNS, event_rows),
    ):
        with path.open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(
                handle, delimiter=delimiter, quoting=quoting, lineterminator=newline
            )
            writer.writerow(header)
            writer.writerows(body)
    return paths


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"delimiter": ";"},
        {"encoding": "utf-8-sig"},
        {"encoding": "cp1252", "delimiter": ";"},
        {"quoting": csv.QUOTE_ALL, "newline": "\r\n"},
        {"shuffle_events": True, "seed": 11},
    ],
    ids=["comma", "semicolon", "bom", "cp1252", "quoted-crlf", "unordered"],
)
def test_generated_files_identical_and_read_fast(
    tmp_path: Path, options: dict[str, object]
) -> None:
    tickets_path, events_path = _write(tmp_path, **options)  # type: ignore[arg-type]
    assert _assert_same_outcome(tickets_path, events_path)
    tickets, events = _fast_only(tickets_path, events_path)
    assert tickets is not None and events is not None
    assert (tickets.waiting_seconds >= 0).any()
    assert (events.pause_reason == "waiting_customer").any()


def test_naive_instants_need_a_timezone(tmp_path: Path) -> None:
    tickets_path, events_path = _write(tmp_path, naive=True)
    assert not _assert_same_outcome(tickets_path, events_path)  # the precise errors
    assert _fast_only(tickets_path, events_path)[0] is None
    assert _assert_same_outcome(tickets_path, events_path, "Europe/Paris")
    tickets, events = _fast_only(tickets_path, events_path, "Europe/Paris")
    assert tickets is not None and events is not None


_TICKETS_HEAD = ",".join((*TICKET_COLUMNS[:4], "state", "waiting_seconds", "provider_sla_met"))


@pytest.mark.parametrize(
    ("tickets_body", "events_body"),
    [
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-02-30T08:00:00Z,,,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T23:59:60Z,,,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00+01,,,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00+01,,,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05,,,\n", "a,2026-01-05 08:00,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00.1234567Z,,,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,0000-01-01T00:00:00Z,,,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,done,,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,-5,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ('a,incident,P1,2026-01-05T08:00:00Z,,"1,5",\n', "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,yes\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,,2026-01-05T08:00:00Z,,,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,,,,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\na,request,P2,2026-01-05T08:00:00Z,,,\n", ""),
        (" a ,incident,P1,2026-01-05T08:00:00Z,,,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,,x\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,,\n", "a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", "a,2026-01-05T08:00:00Z,open,,x\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", "a,2026-01-05T08:00:00Z,open,,\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", "b,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", ",2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", " a,2026-01-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", "a,2026-01-05T08:00:00Z,shut\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", "a,,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", "a,2026-01-05T08:00:00,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", "a,2026-01-05T08:00:00Z,open,vendor\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", "a,2026-01-05T08:00:00Z,paused,vendor\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", "a,2026-01-05T08:00:00+0100,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", "a,2026-13-05T08:00:00Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", "a,2026-01-05T08:00:00 Z,open\n"),
        ("a,incident,P1,2026-01-05T08:00:00Z,,,\n", "a,2026-01-05t08:00:00Z,open\n"),
    ],
)
def test_edge_cases_give_the_precise_outcome(
    tmp_path: Path, tickets_body: str, events_body: str
) -> None:
    tickets_path, events_path = tmp_path / "tickets.csv", tmp_path / "events.csv"
    tickets_path.write_text(_TICKETS_HEAD + "\n" + tickets_body, encoding="utf-8")
    events_path.write_text(
        "ticket_id,at,status,pause_reason\n"
        + "\n".join(line + "," * (3 - line.count(",")) for line in events_body.splitlines())
        + "\n",
        encoding="utf-8",
    )
    _assert_same_outcome(tickets_path, events_path)


def test_report_counts_rows_on_the_fast_path(tmp_path: Path) -> None:
    tickets_path, _ = _write(tmp_path, rows=50)
    fast_tickets, fast_report = load_tickets_csv(tickets_path)
    tickets, report = load_tickets_csv(tickets_path, fast=False)
    assert fast_report == report
    assert fast_report.rows_read == 50
    _same_table(fast_tickets, tickets)


_PIECES = st.sampled_from(
    [
        "2026",
        "0000",
        "9999",
        "-",
        "01",
        "02",
        "1",
        "12",
        "13",
        "29",
        "30",
        "31",
        "00",
        "T",
        " ",
        "t",
        ":",
        "23",
        "24",
        "59",
        "60",
        ".",
        "5",
        "123456",
        "1234567",
        "Z",
        "z",
        "+",
        "+01:00",
        "-0530",
        "+01",
        "\u00e9",
        "",
    ]
)
_VALUES = st.one_of(
    st.lists(_PIECES, max_size=14).map("".join),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 30)).flatmap(
        lambda moment: st.sampled_from(
            [
                moment.strftime("%Y-%m-%dT%H:%M:%S"),
                moment.strftime("%Y-%m-%d %H:%M:%SZ"),
                moment.strftime("%Y-%m-%dT%H:%M:%S.%f+02:00"),
                moment.strftime("%Y-%m-%dT%H:%M:%S-1130"),
            ]
        )
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_VALUES, min_size=1, max_size=8), st.sampled_from([None, "Europe/Paris"]))
def test_instants_agree_with_parse_instants_when_accepted(
    values: list[str], timezone: str | None
) -> None:
    fast = fastcsv.instants(pa.chunked_array([pa.array(values)]), timezone, required=False)
    precise = parse_instants(values, "iso", timezone)
    if fast is not None:
        assert precise.invalid.size == 0 and precise.naive.size == 0
        assert fast.tolist() == precise.seconds.tolist()


def _layout(draw: st.DrawFn) -> str:
    """A value with the punctuation of ``2026-01-15T09:00:00Z`` or ``+01:00`` and
    anything likely to trouble a parser in the digit places."""
    chars = list(draw(st.sampled_from(["2026-01-15T09:00:00Z", "1999-12-31 23:59:59-05:30"])))
    for position in range(len(chars)):
        if chars[position].isdigit() and draw(st.integers(0, 5)) == 0:
            chars[position] = draw(st.sampled_from("0123456789 +a\u0661"))
    return "".join(chars)


_LAYOUT_VALUES = st.composite(_layout)()


@settings(max_examples=400, deadline=None)
@given(st.lists(_LAYOUT_VALUES, min_size=1, max_size=4), st.booleans())
def test_fixed_layout_instants_agree_with_parse_instants(
    values: list[str], with_blank: bool
) -> None:
    values = [*values, ""] if with_blank else values
    fast = fastcsv.instants(pa.chunked_array([pa.array(values)]), None, required=False)
    precise = parse_instants(values, "iso", None)
    if fast is not None:
        assert precise.invalid.size == 0 and precise.naive.size == 0
        assert fast.tolist() == precise.seconds.tolist()


def test_event_order_is_lexsort() -> None:
    rng = np.random.default_rng(5)
    ticket = rng.integers(0, 50, 2_000)
    at = rng.integers(-(2**40), 2**40, 2_000)
    at[::3] = at[0]
    order = fastcsv.event_order(ticket, at)
    assert order is not None
    assert order.tolist() == np.lexsort((at, ticket)).tolist()
    wide = fastcsv.event_order(ticket, np.where(ticket % 2 == 0, -(2**62), 2**62))
    assert wide is not None and wide.tolist() == np.lexsort((at * 0, ticket)).tolist()
    ordered = np.lexsort((at, ticket))
    assert fastcsv.event_order(ticket[ordered], at[ordered]) is None


@pytest.mark.parametrize(
    "cell",
    [
        ' "x"',
        'a"b',
        '"a""b"',
        '"ab"c',
        '"a\r\nb"',
        '"a\rb"',
        '"x" ',
        '""',
        '"a,b"',
        "x\ty",
        "a\rb",
        "a\r",
        "x\x0cy",
        "x\x00y",
        "a\u2028b",
        "a\x85b",
        "é",
    ],
)
def test_text_cells_read_as_the_precise_reader_does(tmp_path: Path, cell: str) -> None:
    tickets_path, events_path = tmp_path / "tickets.csv", tmp_path / "events.csv"
    tickets_path.write_text(
        "id,kind,priority,created_at,title\n"
        f"a,incident,P1,2026-01-05T08:00:00Z,{cell}\nb,incident,P1,2026-01-05T08:00:00Z,q\n",
        encoding="utf-8",
        newline="",
    )
    events_path.write_text("ticket_id,at,status\nb,2026-01-05T08:00:00Z,open\n")
    _assert_same_outcome(tickets_path, events_path)


def test_files_of_several_arrow_blocks(tmp_path: Path) -> None:
    tickets_path, events_path = _write(
        tmp_path, 30_000, delimiter=";", encoding="cp1252", quoting=csv.QUOTE_ALL, newline="\r\n"
    )
    assert tickets_path.stat().st_size > 1 << 22  # the block Arrow reads at a time
    assert _assert_same_outcome(tickets_path, events_path)
    tickets, events = _fast_only(tickets_path, events_path)
    assert tickets is not None and events is not None
