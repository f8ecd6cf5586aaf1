"""The canonical ``tickets.csv`` and ``events.csv`` (DESIGN.md, "Canonical tables").

Reading goes through :class:`TicketColumns` and :class:`EventColumns`, which
turn columns of strings already named after the canonical fields into the
tables; the canonical reader feeds them the file as it is, the source presets
(:mod:`pilotage.ingest.mapping`) feed them mapped values.  Every problem is
collected; one :class:`~pilotage.ingest.csvio.ImportErrors` is raised at the
end and nothing is returned.  A canonical CSV file is first tried by the Arrow
fast path (:mod:`pilotage.ingest.fastcsv`), which builds the same tables and
declines on any doubt; the precise reader then reads the file.

Canonical files carry UTC offsets (``2026-01-15T09:00:00Z`` or ``+01:00``);
a naive instant is read in the ``timezone`` the caller states, and is an
error without one.  Written files use ``Z``.
"""

from __future__ import annotations

import contextlib
import csv
import gc
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from pilotage import i18n
from pilotage.ingest.csvio import (
    Problems,
    Report,
    TableReader,
    intern_all,
    open_table,
    require_columns,
    stripped,
)
from pilotage.tables import EVENT_STATUSES, MISSING, STATES, Events, Tickets, object_array
from pilotage.timeutil import parse_instants

__all__ = [
    "EVENT_COLUMNS",
    "TICKET_COLUMNS",
    "EventColumns",
    "TicketColumns",
    "bulk_allocation",
    "format_instants",
    "load_tickets_csv",
    "merge_extractions",
    "read_events_csv",
    "read_tickets_csv",
    "write_events_csv",
    "write_tickets_csv",
]

TICKET_COLUMNS: Final = (
    "id",
    "kind",
    "priority",
    "service",
    "category",
    "site",
    "title",
    "requester",
    "created_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "state",
    "parent_id",
    "waiting_seconds",
    "provider_sla_met",
    "provider_response_met",
    "provider_resolution_met",
)
REQUIRED_TICKET_COLUMNS: Final = ("id", "kind", "priority", "created_at")
INSTANT_FIELDS: Final = ("created_at", "first_response_at", "resolved_at", "closed_at")
FLAG_FIELDS: Final = ("provider_sla_met", "provider_response_met", "provider_resolution_met")
TEXT_FIELDS: Final = tuple(
    c for c in TICKET_COLUMNS if c not in INSTANT_FIELDS + FLAG_FIELDS + ("waiting_seconds",)
)
EVENT_COLUMNS: Final = ("ticket_id", "at", "status", "pause_reason", "priority", "source_status")
REQUIRED_EVENT_COLUMNS: Final = ("ticket_id", "at", "status")

_FLAGS: Final = {"true": 1, "false": 0, "": -1, "1": 1, "0": 0}
_EXAMPLE = {
    "iso": "2026-01-15T09:30:00+01:00",
    "dmy": "15/01/2026 09:30",
    "dmy_dash": "15-1-2026 9:30",
    "ymd_slash": "2026/01/15 09:30:00.000",
}

i18n.register(
    {
        "ingest.required_empty": {
            "en": "a value is required in this column",
            "fr": "une valeur est obligatoire dans cette colonne",
        },
        "ingest.bad_instant": {
            "en": "not a date-time: expected the form {example}",
            "fr": "date-heure illisible : la forme attendue est {example}",
        },
        "ingest.naive_instants": {
            "en": "{count} date-time(s) of this column have no UTC offset and no timezone "
            "was stated: give the source's timezone (e.g. --timezone Europe/Paris); "
            "none is assumed",
            "fr": "{count} date(s)-heure(s) de cette colonne n’ont pas de décalage UTC et "
            "aucun fuseau horaire n’a été indiqué : précisez le fuseau de la source "
            "(par exemple --timezone Europe/Paris) ; aucun n’est supposé",
        },
        "ingest.bad_choice": {
            "en": "unexpected value: expected one of {expected}",
            "fr": "valeur inattendue : valeurs possibles {expected}",
        },
        "ingest.bad_flag": {
            "en": "expected true, false or an empty cell",
            "fr": "valeur attendue : true, false ou une cellule vide",
        },
        "ingest.bad_seconds": {
            "en": "expected a number of seconds, zero or more",
            "fr": "un nombre de secondes positif ou nul est attendu",
        },
        "ingest.duplicate_id": {
            "en": "ticket id already used on row {first}: an id must be unique within a file",
            "fr": "identifiant de ticket déjà présent ligne {first} : un identifiant doit "
            "être unique dans un fichier",
        },
        "ingest.unknown_ticket": {
            "en": "no ticket has this id in the tickets read",
            "fr": "aucun ticket lu n’a cet identifiant",
        },
        "ingest.reason_not_paused": {
            "en": "a pause reason is only allowed on a paused row (status is {status})",
            "fr": "un motif de pause n’est permis que sur une ligne en pause (statut {status})",
        },
        "ingest.unknown_columns": {
            "en": "columns ignored (not canonical): {names}",
            "fr": "colonnes ignorées (non canoniques) : {names}",
        },
    }
)


def parse_seconds(values: Sequence[str]) -> tuple[npt.NDArray[np.int64], list[int]]:
    """Whole seconds from numbers written with a decimal point or comma (rounded
    half up); empty gives MISSING; returns the positions of invalid values."""
    n = len(values)
    if n == 0 or not any(values):
        return np.full(n, MISSING, dtype=np.int64), []
    text = np.strings.replace(np.strings.strip(np.asarray(values, dtype=str)), ",", ".")
    blank = text == ""
    try:
        numbers = np.where(blank, "0", text).astype(np.float64)
        bad_mask = ~np.isfinite(numbers) | (numbers < 0)
    except ValueError:
        numbers = np.zeros(n, dtype=np.float64)
        bad_mask = np.zeros(n, dtype=bool)
        for i, item in enumerate(text.tolist()):
            try:
                numbers[i] = 0.0 if not item else float(item.replace("\u00a0", ""))
            except ValueError:
                bad_mask[i] = True
        bad_mask |= ~np.isfinite(numbers) | (numbers < 0)
    out = np.floor(np.where(bad_mask, 0, numbers) + 0.5).astype(np.int64)
    out[blank | bad_mask] = MISSING
    return out, np.flatnonzero(bad_mask).tolist()


class TicketColumns:
    """Builds :class:`Tickets` from blocks of canonical string columns.

    ``add`` takes the spreadsheet row numbers of a block and a dict of
    canonical field -> list of strings (absent fields are unknown);
    ``finish`` checks ids and returns the table, or raises every problem.
    """

    def __init__(
        self,
        file: str,
        problems: Problems,
        *,
        timezone: str | None,
        date_format: str = "iso",
        ignore_offsets: bool = False,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self.file = file
        self.problems = problems
        self.timezone = timezone
        self.date_format = date_format
        self.ignore_offsets = ignore_offsets
        self.labels = dict(labels or {})
        self._parts: dict[str, list[npt.NDArray[np.generic]]] = {c: [] for c in TICKET_COLUMNS}
        self._rows: list[npt.NDArray[np.int64]] = []
        self._naive: dict[str, tuple[int, int, str]] = {}

    def _label(self, name: str) -> str:
        return self.labels.get(name, name)

    def add(self, rows: Sequence[int], columns: Mapping[str, Sequence[str]]) -> None:
        """Convert and check one block."""
        n = len(rows)
        p = self.problems
        empty = [""] * n
        text: dict[str, Sequence[str]] = {}
        for name in TEXT_FIELDS:
            values = columns.get(name, empty)
            if name in ("id", "parent_id"):
                values = stripped(values)
            elif name not in ("title", "requester"):
                values = intern_all(values)
            if name in REQUIRED_TICKET_COLUMNS and not all(values):
                for i, v in enumerate(values):
                    if not v:
                        p.add("ingest.required_empty", self.file, rows[i], self._label(name), v)
            text[name] = values
            if name != "state":
                self._parts[name].append(np.fromiter(values, dtype=object, count=n))
        instants: dict[str, npt.NDArray[np.int64]] = {}
        for name in INSTANT_FIELDS:
            values = columns.get(name, empty)
            parsed = parse_instants(
                values, self.date_format, self.timezone, ignore_offsets=self.ignore_offsets
            )
            for i in parsed.invalid.tolist():
                p.add(
                    "ingest.bad_instant",
                    self.file,
                    rows[i],
                    self._label(name),
                    values[i],
                    example=_EXAMPLE[self.date_format],
                )
            if parsed.naive.size:
                first = int(parsed.naive[0])
                count, row, value = self._naive.get(name, (0, rows[first], values[first]))
                self._naive[name] = (count + int(parsed.naive.size), row, value)
            if name == "created_at":
                blank = (
                    (parsed.seconds == MISSING)
                    & ~np.isin(np.arange(n), parsed.invalid)
                    & ~np.isin(np.arange(n), parsed.naive)
                )
                for i in np.flatnonzero(blank).tolist():
                    p.add("ingest.required_empty", self.file, rows[i], self._label(name), values[i])
            instants[name] = parsed.seconds
            self._parts[name].append(parsed.seconds)
        states = np.fromiter(text["state"], dtype=object, count=n)
        for value in sorted(set(text["state"]) - set(STATES) - {""}):
            for i in np.flatnonzero(states == value).tolist():
                p.add(
                    "ingest.bad_choice",
                    self.file,
                    rows[i],
                    self._label("state"),
                    value,
                    expected=", ".join(STATES),
                )
        unset = states == ""
        if unset.any():
            inferred = np.where(
                instants["closed_at"] != MISSING,
                "closed",
                np.where(instants["resolved_at"] != MISSING, "resolved", "open"),
            ).astype(object)
            states[unset] = inferred[unset]
        self._parts["state"].append(states)
        waiting = columns.get("waiting_seconds", empty)
        seconds, bad = parse_seconds(waiting)
        for i in bad:
            p.add(
                "ingest.bad_seconds", self.file, rows[i], self._label("waiting_seconds"), waiting[i]
            )
        self._parts["waiting_seconds"].append(seconds)
        for name in FLAG_FIELDS:
            values = columns.get(name, empty)
            try:
                flags = np.fromiter(map(_FLAGS.__getitem__, values), dtype=np.int8, count=n)
            except KeyError:
                codes = [_FLAGS.get(v.strip().lower()) for v in values]
                for i, code in enumerate(codes):
                    if code is None:
                        p.add("ingest.bad_flag", self.file, rows[i], self._label(name), values[i])
                flags = np.array([-1 if c is None else c for c in codes], dtype=np.int8)
            self._parts[name].append(flags)
        self._rows.append(np.asarray(rows, dtype=np.int64))

    def finish(self) -> Tickets:
        """The table; raises when any problem was recorded (by this or earlier steps)."""
        for name, (count, row, value) in self._naive.items():
            self.problems.add(
                "ingest.naive_instants", self.file, row, self._label(name), value, count=count
            )
        data: dict[str, Any] = {
            name: (
                np.concatenate(parts)
                if parts
                else (object_array([]) if name in TEXT_FIELDS else np.empty(0, np.int64))
            )
            for name, parts in self._parts.items()
        }
        for name in FLAG_FIELDS:
            data[name] = data[name].astype(np.int8)
        rows = np.concatenate(self._rows) if self._rows else np.empty(0, np.int64)
        ids = data["id"]
        if len(set(ids.tolist())) != len(ids):
            first: dict[str, int] = {}
            for i, value in enumerate(ids.tolist()):
                if value in first:
                    self.problems.add(
                        "ingest.duplicate_id",
                        self.file,
                        int(rows[i]),
                        self._label("id"),
                        value,
                        first=first[value],
                    )
                else:
                    first[value] = int(rows[i])
        self.problems.raise_if_any()
        return Tickets(**data)


class EventColumns:
    """Builds :class:`Events` from blocks of canonical string columns, against
    the tickets they belong to (an unknown ticket id is an error)."""

    def __init__(
        self,
        file: str,
        tickets: Tickets,
        problems: Problems,
        *,
        timezone: str | None,
        date_format: str = "iso",
    ) -> None:
        self.file = file
        self.problems = problems
        self.timezone = timezone
        self.date_format = date_format
        self._index = {tid: i for i, tid in enumerate(tickets.id.tolist())}
        self._parts: dict[str, list[npt.NDArray[np.generic]]] = {
            c: [] for c in ("ticket", "at", "status", "pause_reason", "priority", "source_status")
        }
        self._naive: tuple[int, int, str] | None = None

    def add(self, rows: Sequence[int], columns: Mapping[str, Sequence[str]]) -> None:
        """Convert and check one block."""
        n = len(rows)
        p = self.problems
        empty = [""] * n
        ids = stripped(columns.get("ticket_id", empty))
        try:
            ticket = np.fromiter(map(self._index.__getitem__, ids), dtype=np.int64, count=n)
        except KeyError:
            ticket = np.full(n, -1, dtype=np.int64)
            for i, tid in enumerate(ids):
                position = self._index.get(tid)
                if position is None:
                    code = "ingest.unknown_ticket" if tid else "ingest.required_empty"
                    p.add(code, self.file, rows[i], "ticket_id", tid)
                else:
                    ticket[i] = position
        at_text = columns.get("at", empty)
        parsed = parse_instants(at_text, self.date_format, self.timezone)
        for i in parsed.invalid.tolist():
            p.add(
                "ingest.bad_instant",
                self.file,
                rows[i],
                "at",
                at_text[i],
                example=_EXAMPLE[self.date_format],
            )
        for i in np.flatnonzero(
            (parsed.seconds == MISSING) & (np.strings.str_len(np.asarray(at_text)) == 0)
        ).tolist():
            p.add("ingest.required_empty", self.file, rows[i], "at", "")
        if parsed.naive.size:
            first = int(parsed.naive[0])
            count = parsed.naive.size + (self._naive[0] if self._naive else 0)
            row, value = self._naive[1:] if self._naive else (rows[first], at_text[first])
            self._naive = (int(count), row, value)
        status_text = intern_all(columns.get("status", empty))
        reasons = intern_all(columns.get("pause_reason", empty))
        codes = {name: i for i, name in enumerate(EVENT_STATUSES)}
        try:
            status = np.fromiter(map(codes.__getitem__, status_text), dtype=np.int8, count=n)
        except KeyError:
            status = np.zeros(n, dtype=np.int8)
            for i, key in enumerate(status_text):
                if key in codes:
                    status[i] = codes[key]
                else:
                    p.add(
                        "ingest.bad_choice",
                        self.file,
                        rows[i],
                        "status",
                        key,
                        expected=", ".join(EVENT_STATUSES),
                    )
        reason_array = np.fromiter(reasons, dtype=object, count=n)
        misplaced = (reason_array != "") & (status != EVENT_STATUSES.index("paused"))
        for i in np.flatnonzero(misplaced).tolist():
            p.add(
                "ingest.reason_not_paused",
                self.file,
                rows[i],
                "pause_reason",
                reasons[i],
                status=status_text[i],
            )
        self._parts["ticket"].append(ticket)
        self._parts["at"].append(parsed.seconds)
        self._parts["status"].append(status)
        self._parts["pause_reason"].append(reason_array)
        for name in ("priority", "source_status"):
            values = intern_all(columns.get(name, empty))
            self._parts[name].append(np.fromiter(values, dtype=object, count=n))

    def finish(self) -> Events:
        """The table sorted by ticket then time (file order kept at equal times)."""
        if self._naive:
            count, row, value = self._naive
            self.problems.add("ingest.naive_instants", self.file, row, "at", value, count=count)
        self.problems.raise_if_any()
        if not self._parts["ticket"]:
            return Events.empty()
        data = {name: np.concatenate(parts) for name, parts in self._parts.items()}
        order = np.lexsort((data["at"], data["ticket"]))
        return Events(
            ticket=data["ticket"][order].astype(np.int64),
            at=data["at"][order].astype(np.int64),
            status=data["status"][order].astype(np.int8),
            pause_reason=data["pause_reason"][order],
            priority=data["priority"][order],
            source_status=data["source_status"][order],
        )


@contextlib.contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of cells are created
    (they hold no reference cycle; the collector would rescan them all)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@bulk_allocation()
def load_tickets_csv(
    path: str | Path, *, timezone: str | None = None, fast: bool = True
) -> tuple[Tickets, Report]:
    """Read a canonical ``tickets.csv``; also say what was left aside.

    A well-formed CSV file is converted by Arrow (:mod:`pilotage.ingest.fastcsv`);
    any doubt, and ``fast=False``, reads it with the precise reader, which gives
    the same table and locates every problem."""
    problems = Problems()
    report = Report(source="canonical", files=[str(path)])
    reader = open_table(path, problems)
    positions = require_columns(reader, REQUIRED_TICKET_COLUMNS, problems)
    problems.raise_if_any()
    report.ignored_columns = [h for h in reader.header if h and h.lower() not in TICKET_COLUMNS]
    wanted: dict[str, int] = {name: positions[name] for name in TICKET_COLUMNS if name in positions}
    arrow = _fast_columns(reader, wanted) if fast else None
    if arrow is not None:
        tickets = _fast_tickets(*arrow, timezone=timezone)
        del arrow
        _release_arrow_memory()
        if tickets is not None:
            report.rows_read = len(tickets)
            return tickets, report
    builder = TicketColumns(reader.name, problems, timezone=timezone)
    for rows, columns in reader.chunks(problems):
        report.rows_read += len(rows)
        builder.add(rows, {name: columns[i] for name, i in wanted.items()})
    report.ignore_rows("ingest.blank_rows", reader.blank_rows)
    return builder.finish(), report


def read_tickets_csv(
    path: str | Path, *, timezone: str | None = None, fast: bool = True
) -> Tickets:
    """Read a canonical ``tickets.csv`` (UTF-8 with or without BOM or cp1252,
    ``;`` or ``,``); raises :class:`~pilotage.ingest.csvio.ImportErrors`."""
    return load_tickets_csv(path, timezone=timezone, fast=fast)[0]


@bulk_allocation()
def read_events_csv(
    path: str | Path, tickets: Tickets, *, timezone: str | None = None, fast: bool = True
) -> Events:
    """Read a canonical ``events.csv`` whose ticket ids are all in ``tickets``
    (fast path and ``fast`` as in :func:`load_tickets_csv`)."""
    problems = Problems()
    reader = open_table(path, problems)
    positions = require_columns(reader, REQUIRED_EVENT_COLUMNS, problems)
    problems.raise_if_any()
    wanted: dict[str, int] = {name: positions[name] for name in EVENT_COLUMNS if name in positions}
    arrow = _fast_columns(reader, wanted) if fast else None
    if arrow is not None:
        events = _fast_events(*arrow, tickets, timezone=timezone)
        del arrow
        _release_arrow_memory()
        if events is not None:
            return events
    builder = EventColumns(reader.name, tickets, problems, timezone=timezone)
    for rows, columns in reader.chunks(problems):
        builder.add(rows, {name: columns[i] for name, i in wanted.items()})
    return builder.finish()


def _fast_columns(
    reader: TableReader, wanted: Mapping[str, int]
) -> tuple[dict[str, Any], int] | None:
    """The ``wanted`` columns of a CSV file read by Arrow (see
    :mod:`pilotage.ingest.fastcsv`), or None to read it precisely."""
    from pilotage.ingest import fastcsv  # Arrow is loaded only when a CSV file is read

    encoding = getattr(reader, "encoding", None)
    delimiter = getattr(reader, "delimiter", None)
    if not isinstance(encoding, str) or not isinstance(delimiter, str):
        return None
    if any("\n" in h or "\r" in h for h in reader.header):
        return None
    read = fastcsv.read_string_columns(reader.path, encoding, delimiter, len(reader.header), wanted)
    if read is None or read[1] == 0:
        return None
    return read


def _release_arrow_memory() -> None:
    from pilotage.ingest import fastcsv

    fastcsv.release_memory()


_STATE_CODES: Final = {"": -1, **{state: i for i, state in enumerate(STATES)}}
_STATUS_CODES: Final = {status: i for i, status in enumerate(EVENT_STATUSES)}


def _fast_tickets(columns: dict[str, Any], n: int, *, timezone: str | None) -> Tickets | None:
    """The table :class:`TicketColumns` would build from these columns, when the
    fast conversions accept every value; else None (the file is then read
    precisely, which reports the problems)."""
    from pilotage.ingest import fastcsv

    data: dict[str, Any] = {}
    ids = fastcsv.strict_text(columns["id"], unique=True)
    if ids is None:
        return None
    data["id"] = ids
    for name in TEXT_FIELDS:
        column = columns.get(name)
        if name in ("id", "state"):
            continue
        if column is None:
            data[name] = np.full(n, "", dtype=object)
        elif name == "parent_id":
            parents = fastcsv.strict_text(column)
            if parents is None:
                return None
            data[name] = parents
        elif name in ("title", "requester"):
            data[name] = np.asarray(column.to_numpy(), dtype=object)
        else:
            data[name] = fastcsv.text(column)
            if name in REQUIRED_TICKET_COLUMNS and (data[name] == "").any():
                return None
    for name in INSTANT_FIELDS:
        column = columns.get(name)
        if column is None:
            data[name] = np.full(n, MISSING, dtype=np.int64)
            continue
        parsed = fastcsv.instants(column, timezone, required=name == "created_at")
        if parsed is None:
            return None
        data[name] = parsed
    state = columns.get("state")
    codes = (
        np.full(n, -1, dtype=np.int8)
        if state is None
        else fastcsv.codes(state, lambda v: _STATE_CODES.get(v.strip()), np.int8)
    )
    if codes is None:
        return None
    inferred = np.where(
        data["closed_at"] != MISSING,
        STATES.index("closed"),
        np.where(data["resolved_at"] != MISSING, STATES.index("resolved"), STATES.index("open")),
    )
    data["state"] = object_array(STATES)[np.where(codes < 0, inferred, codes)]
    waiting = columns.get("waiting_seconds")
    if waiting is None:
        data["waiting_seconds"] = np.full(n, MISSING, dtype=np.int64)
    else:
        seconds = fastcsv.seconds(waiting)
        if seconds is None:
            seconds, bad = parse_seconds(waiting.to_pylist())
            if bad:
                return None
        data["waiting_seconds"] = seconds
    for name in FLAG_FIELDS:
        column = columns.get(name)
        if column is None:
            data[name] = np.full(n, -1, dtype=np.int8)
            continue
        flags = fastcsv.codes(column, lambda v: _FLAGS.get(v.strip().lower()), np.int8)
        if flags is None:
            return None
        data[name] = flags
    return Tickets(**data)


def _fast_events(
    columns: dict[str, Any], n: int, tickets: Tickets, *, timezone: str | None
) -> Events | None:
    """The table :class:`EventColumns` would build from these columns, or None."""
    from pilotage.ingest import fastcsv

    ticket = fastcsv.row_indices(columns["ticket_id"], tickets.id)
    if ticket is None:
        return None
    at = fastcsv.instants(columns["at"], timezone, required=True)
    if at is None:
        return None
    status = fastcsv.codes(columns["status"], lambda v: _STATUS_CODES.get(v.strip()), np.int8)
    if status is None:
        return None
    text: dict[str, Any] = {}
    for name in ("pause_reason", "priority", "source_status"):
        column = columns.get(name)
        text[name] = np.full(n, "", dtype=object) if column is None else fastcsv.text(column)
    paused = EVENT_STATUSES.index("paused")
    if ((text["pause_reason"] != "") & (status != paused)).any():
        return None
    order = fastcsv.event_order(ticket, at)
    if order is None:
        return Events(ticket=ticket, at=at, status=status, **text)
    return Events(
        ticket=ticket[order],
        at=at[order],
        status=status[order],
        pause_reason=text["pause_reason"][order],
        priority=text["priority"][order],
        source_status=text["source_status"][order],
    )


def format_instants(seconds: npt.NDArray[np.int64]) -> list[str]:
    """ISO 8601 UTC text (``2026-01-15T09:00:00Z``); MISSING gives ``""``."""
    missing = seconds == MISSING
    text = np.datetime_as_string(np.where(missing, 0, seconds).astype("datetime64[s]"), unit="s")
    out: list[str] = np.where(missing, "", np.strings.add(text, "Z")).tolist()
    return out


def _flags(values: npt.NDArray[np.int8]) -> list[str]:
    return np.array(["", "false", "true"], dtype=object)[values.astype(np.int64) + 1].tolist()  # type: ignore[no-any-return]


def write_tickets_csv(tickets: Tickets, path: str | Path) -> None:
    """Write ``tickets.csv`` (UTF-8, comma, instants in UTC with ``Z``)."""
    columns: list[list[str]] = []
    for name in TICKET_COLUMNS:
        values = getattr(tickets, name)
        if name in INSTANT_FIELDS:
            columns.append(format_instants(values))
        elif name in FLAG_FIELDS:
            columns.append(_flags(values))
        elif name == "waiting_seconds":
            columns.append(np.where(values == MISSING, "", values.astype(str)).tolist())
        else:
            columns.append(values.tolist())
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(TICKET_COLUMNS)
        writer.writerows(zip(*columns, strict=True))


def write_events_csv(events: Events, tickets: Tickets, path: str | Path) -> None:
    """Write ``events.csv`` with the ticket ids of ``tickets``."""
    columns = [
        tickets.id[events.ticket].tolist(),
        format_instants(events.at),
        np.array(EVENT_STATUSES, dtype=object)[events.status.astype(np.int64)].tolist(),
        events.pause_reason.tolist(),
        events.priority.tolist(),
        events.source_status.tolist(),
    ]
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(EVENT_COLUMNS)
        writer.writerows(zip(*columns, strict=True))


def merge_extractions(parts: Sequence[tuple[Tickets, Events]]) -> tuple[Tickets, Events]:
    """Combine successive extractions: for an id present in several, the last
    extraction's row and events win (within one file ids are unique)."""
    owner: dict[str, tuple[int, int]] = {}
    for p, (tickets, _) in enumerate(parts):
        for i, tid in enumerate(tickets.id.tolist()):
            owner.pop(tid, None)
            owner[tid] = (p, i)
    order = sorted(owner.values())
    new_row = {key: n for n, key in enumerate(order)}
    merged: dict[str, Any] = {}
    for name in TICKET_COLUMNS:
        chunks = []
        for p, (tickets, _) in enumerate(parts):
            keep = np.array([i for q, i in order if q == p], dtype=np.int64)
            chunks.append(getattr(tickets, name)[keep])
        merged[name] = np.concatenate(chunks) if chunks else object_array([])
    event_parts: list[Events] = []
    for p, (_, events) in enumerate(parts):
        mapped = np.array(
            [new_row.get((p, int(t)), -1) for t in events.ticket.tolist()], dtype=np.int64
        )
        kept = mapped >= 0
        event_parts.append(
            Events(
                ticket=mapped[kept],
                at=events.at[kept],
                status=events.status[kept],
                pause_reason=events.pause_reason[kept],
                priority=events.priority[kept],
                source_status=events.source_status[kept],
            )
        )
    if not event_parts:
        return Tickets(**merged), Events.empty()
    ticket = np.concatenate([e.ticket for e in event_parts])
    at = np.concatenate([e.at for e in event_parts])
    o = np.lexsort((at, ticket))
    events = Events(
        ticket=ticket[o],
        at=at[o],
        status=np.concatenate([e.status for e in event_parts])[o],
        pause_reason=np.concatenate([e.pause_reason for e in event_parts])[o],
        priority=np.concatenate([e.priority for e in event_parts])[o],
        source_status=np.concatenate([e.source_status for e in event_parts])[o],
    )
    return Tickets(**merged), events
