"""Small CSV helpers shared by the monitoring, backup, claim and adjustment readers.

French spreadsheets export CSV in several ways, all accepted here: UTF-8 with
or without BOM, or cp1252 ("ANSI"); ``;``, ``,``, tab or ``|`` as delimiter;
decimal comma; dates ``dd/mm/yyyy`` or ISO 8601.  A naive time is read in the
timezone the caller states; without one it is an error, never a silent default.

Readers collect every problem in a :class:`Problems` (the collector of
:mod:`pilotage.ingest.csvio`) and raise them together as one
:class:`~pilotage.ingest.csvio.ImportErrors` once the whole file has been read,
so that a file is either fully read or not at all.  Rows are numbered as a
spreadsheet shows them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

from pilotage import i18n
from pilotage.ingest import csvio
from pilotage.ingest.csvio import Problems
from pilotage.tables import MISSING, Probes, object_array

__all__ = [
    "CellError",
    "Problems",
    "Row",
    "Table",
    "build_probes",
    "cell",
    "choice",
    "decode",
    "parse_bool",
    "parse_duration",
    "parse_fraction",
    "parse_instant",
    "parse_int",
    "parse_local_date",
    "read_table",
    "read_text",
    "required_text",
    "zone",
]

MESSAGES = {
    "import.file_unreadable": {
        "en": "the file cannot be read ({reason})",
        "fr": "le fichier ne peut pas être lu ({reason})",
    },
    "import.encoding": {
        "en": "the file is neither UTF-8 nor Windows-1252 (cp1252) text",
        "fr": "le fichier n’est ni du texte UTF-8 ni du Windows-1252 (cp1252)",
    },
    "import.empty_file": {
        "en": "the file is empty: a header row with the columns {expected} was expected",
        "fr": "le fichier est vide : une ligne d’en-tête avec les colonnes {expected} "
        "était attendue",
    },
    "import.missing_column": {
        "en": "required column missing (columns found: {found})",
        "fr": "colonne obligatoire absente (colonnes trouvées : {found})",
    },
    "import.duplicate_column": {
        "en": "the column appears twice in the header",
        "fr": "la colonne figure deux fois dans l’en-tête",
    },
    "import.row_length": {
        "en": "the row has {found} cells but the header has {expected}",
        "fr": "la ligne a {found} cellules alors que l’en-tête en a {expected}",
    },
    "import.csv_syntax": {
        "en": "the CSV syntax is broken ({reason})",
        "fr": "la syntaxe CSV est incorrecte ({reason})",
    },
    "import.required": {
        "en": "a value is required here",
        "fr": "une valeur est obligatoire ici",
    },
    "import.bad_instant": {
        "en": "not a date and time: expected dd/mm/yyyy hh:mm[:ss] or ISO 8601 "
        "(2026-10-05T14:30:00, optionally with an offset such as +02:00 or Z)",
        "fr": "date et heure illisibles : attendu jj/mm/aaaa hh:mm[:ss] ou ISO 8601 "
        "(2026-10-05T14:30:00, éventuellement avec un décalage comme +02:00 ou Z)",
    },
    "import.bad_date": {
        "en": "not a date: expected dd/mm/yyyy or yyyy-mm-dd",
        "fr": "date illisible : attendu jj/mm/aaaa ou aaaa-mm-jj",
    },
    "import.naive_without_timezone": {
        "en": "this time has no UTC offset and no timezone was given for the import: "
        "state the timezone the file is written in (for example Europe/Paris)",
        "fr": "cette heure n’a pas de décalage UTC et aucun fuseau horaire n’a été indiqué "
        "pour l’import : précisez le fuseau dans lequel le fichier est écrit "
        "(par exemple Europe/Paris)",
    },
    "import.unknown_timezone": {
        "en": 'unknown timezone "{tz}": expected an IANA name such as Europe/Paris',
        "fr": "fuseau horaire inconnu « {tz} » : attendu un nom IANA comme Europe/Paris",
    },
    "import.bad_bool": {
        "en": "expected one of {expected}",
        "fr": "attendu l’une des valeurs {expected}",
    },
    "import.bad_choice": {
        "en": "expected one of {expected}",
        "fr": "attendu l’une des valeurs {expected}",
    },
    "import.bad_int": {
        "en": "expected a whole number of zero or more",
        "fr": "attendu un nombre entier positif ou nul",
    },
    "import.bad_fraction": {
        "en": "expected a percentage (96.5%, 96,5 %) or a fraction between 0 and 1 (0.965)",
        "fr": "attendu un pourcentage (96,5 %, 96.5%) ou une fraction entre 0 et 1 (0,965)",
    },
    "import.bad_duration": {
        "en": "expected a duration with a unit (90s, 45min, 1,5h, 2h30) or hh:mm:ss",
        "fr": "attendu une durée avec une unité (90s, 45min, 1,5h, 2h30) ou hh:mm:ss",
    },
    "import.end_before_start": {
        "en": "the end is before the start ({start})",
        "fr": "la fin précède le début ({start})",
    },
}
i18n.register(MESSAGES)


class CellError(ValueError):
    """A cell cannot be parsed: carries the message code and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Row:
    """One data row: its spreadsheet row number and its cells by column name."""

    number: int
    cells: Mapping[str, str]


@dataclass
class Table:
    """A CSV file read into rows; cells are stripped strings (``""`` when absent)."""

    file: str
    headers: Mapping[str, str]
    """Canonical column name -> the header as written in the file."""
    rows: list[Row] = field(default_factory=list)


def zone(tz: str | None, problems: Problems, file: str) -> ZoneInfo | None:
    """The ``ZoneInfo`` for ``tz`` (None stays None); an unknown name is a problem."""
    if tz is None:
        return None
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        problems.add("import.unknown_timezone", file=file, tz=tz)
        return None


def decode(data: bytes) -> str:
    """UTF-8 (BOM stripped) first, then cp1252; ``CellError`` when neither fits."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise CellError("import.encoding") from exc


def read_text(path: Path, problems: Problems) -> str | None:
    """The decoded text of ``path``; None (with the problem recorded) when the
    file cannot be read or decoded."""
    try:
        return decode(path.read_bytes())
    except OSError as exc:
        problems.add("import.file_unreadable", file=path.name, reason=exc.strerror or str(exc))
    except CellError as exc:
        problems.add(exc.code, file=path.name)
    return None


def _normalize(name: str) -> str:
    return " ".join(name.strip().lower().split())


def read_table(
    path: Path | str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    aliases: Mapping[str, Sequence[str]] | None = None,
    problems: Problems,
) -> Table:
    """Read a delimited text file whose header names ``required`` columns.

    Column names are matched case-insensitively, ignoring surrounding spaces;
    ``aliases`` gives other accepted names per canonical column.  Unknown
    columns are ignored; blank rows are skipped; a row may stop before
    optional trailing columns.  When the file itself is
    unusable the problems are recorded and the table has no row.
    """
    path = Path(path)
    file = path.name
    unusable = Table(file, {})
    text = read_text(path, problems)
    if text is None:
        return unusable
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    if not first_line.strip():
        problems.add("import.empty_file", file=file, expected=", ".join(required))
        return unusable
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csvio.sniff_delimiter(first_line))
    try:
        records = [(reader.line_num, record) for record in reader]
    except csv.Error as exc:
        problems.add("import.csv_syntax", file=file, row=reader.line_num + 1, reason=str(exc))
        return unusable
    records = [(n, r) for n, r in records if any(c.strip() for c in r)]
    header = [_normalize(c) for c in records[0][1]]
    names = {_normalize(c): c for c in (*required, *optional)}
    for target, others in (aliases or {}).items():
        for other in others:
            names[_normalize(other)] = target
    position: dict[str, int] = {}
    for i, name in enumerate(header):
        canonical = names.get(name)
        if canonical is None:
            continue
        if canonical in position:
            problems.add("import.duplicate_column", file=file, row=1, column=records[0][1][i])
        position[canonical] = i
    missing = [c for c in required if c not in position]
    for column in missing:
        found = ", ".join(c.strip() for c in records[0][1])
        problems.add("import.missing_column", file=file, row=1, column=column, found=found)
    if missing:
        return unusable
    table = Table(file, {c: records[0][1][i].strip() for c, i in position.items()})
    width = len(header)
    # A row may stop early (some writers drop trailing empty cells) only
    # where no required column is left out.
    shortest = max(position[c] for c in required) + 1 if required else 0
    for number, record in records[1:]:
        extra = record[width:]
        if len(record) < shortest or any(c.strip() for c in extra):
            problems.add(
                "import.row_length", file=file, row=number, found=len(record), expected=width
            )
            continue
        cells = {c: record[i].strip() if i < len(record) else "" for c, i in position.items()}
        table.rows.append(Row(number, cells))
    return table


def cell(table: Table, row: Row, column: str, parse: Any, problems: Problems, *args: Any) -> Any:
    """``parse(text, *args)`` on a cell; a failure is recorded and gives None."""
    text = row.cells.get(column, "")
    try:
        return parse(text, *args)
    except CellError as exc:
        shown = table.headers.get(column, column)
        problems.add(
            exc.code, file=table.file, row=row.number, column=shown, value=text, **exc.params
        )
        return None


def required_text(text: str) -> str:
    """A non-empty cell."""
    if not text:
        raise CellError("import.required")
    return text


_FR_DATETIME = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2})[:h](\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
)


def _to_datetime(text: str) -> dt.datetime:
    match = _FR_DATETIME.fullmatch(text)
    try:
        if match:
            day, month, year, hour, minute, second, _ = match.groups()
            return dt.datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
        value = dt.datetime.fromisoformat(text.replace(",", "."))
    except ValueError as exc:
        raise CellError("import.bad_instant") from exc
    return value.replace(microsecond=0)


def parse_instant(text: str, tz: ZoneInfo | None, *, optional: bool = False) -> int:
    """UTC epoch seconds of a date-time cell (fractions of a second dropped).

    A value with an offset (``Z``, ``+02:00``) is exact; a naive one is read in
    ``tz`` (fold 0: a time in the spring-forward gap moves forward by the gap,
    an ambiguous one takes its first occurrence) and is an error without ``tz``.
    A date alone means midnight.  An empty cell is MISSING when ``optional``.
    """
    if not text:
        if optional:
            return int(MISSING)
        raise CellError("import.required")
    value = _to_datetime(text)
    if value.tzinfo is None:
        if tz is None:
            raise CellError("import.naive_without_timezone")
        value = value.replace(tzinfo=tz, fold=0)
    return int(value.timestamp())


def parse_local_date(text: str, *, optional: bool = False) -> str:
    """A calendar date cell as ISO ``yyyy-mm-dd`` (``""`` when empty and ``optional``)."""
    if not text:
        if optional:
            return ""
        raise CellError("import.required")
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day).isoformat()
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise CellError("import.bad_date") from exc


_TRUE = {"1", "true", "vrai", "yes", "oui", "up", "y", "o"}
_FALSE = {"0", "false", "faux", "no", "non", "down", "n"}


def parse_bool(text: str, *, optional: bool = False) -> int:
    """1 or 0 from 1/0, true/false, vrai/faux, yes/no, oui/non, up/down; -1 when
    empty and ``optional``."""
    key = text.strip().lower()
    if key in _TRUE:
        return 1
    if key in _FALSE:
        return 0
    if not key and optional:
        return -1
    raise CellError("import.bad_bool", expected="1/0, true/false, oui/non, up/down")


def parse_int(text: str, *, optional: bool = False) -> int:
    """A whole number >= 0 (spaces as thousands separators allowed); MISSING
    when empty and ``optional``."""
    compact = re.sub(r"[\s\u00a0\u202f]", "", text)
    if not compact:
        if optional:
            return int(MISSING)
        raise CellError("import.required")
    if not compact.isdigit():
        raise CellError("import.bad_int")
    return int(compact)


def _decimal(text: str) -> Decimal:
    compact = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", compact):
        raise InvalidOperation(text)
    return Decimal(compact)


def parse_fraction(text: str, *, optional: bool = False) -> Decimal | None:
    """A ratio as a Decimal fraction: ``96.5%``, ``96,5 %`` or ``0.965`` give
    ``Decimal("0.965")``; None when empty and ``optional``."""
    stripped = text.strip()
    if not stripped:
        if optional:
            return None
        raise CellError("import.required")
    try:
        percent = stripped.endswith("%")
        value = _decimal(stripped[:-1]) / 100 if percent else _decimal(stripped)
    except InvalidOperation as exc:
        raise CellError("import.bad_fraction") from exc
    if not 0 <= value <= 1:
        raise CellError("import.bad_fraction")
    return value.normalize() if value else Decimal(0)


_UNITS = {"s": 1, "sec": 1, "min": 60, "mn": 60, "m": 60, "h": 3600}
_DURATION = re.compile(r"(\d+(?:[.,]\d+)?)\s*(s|sec|min|mn|m|h)")


def parse_duration(text: str, *, optional: bool = False) -> int:
    """Whole seconds of ``90s``, ``45min``, ``1,5h``, ``2h30``, ``1h 30min`` or
    ``hh:mm[:ss]``; MISSING when empty and ``optional``.  A bare number is an
    error: its unit would be a guess."""
    key = text.strip().lower()
    if not key:
        if optional:
            return int(MISSING)
        raise CellError("import.required")
    clock = re.fullmatch(r"(\d+):(\d{2})(?::(\d{2}))?", key)
    if clock:
        hours, minutes, seconds = clock.groups()
        return int(hours) * 3600 + int(minutes) * 60 + int(seconds or 0)
    short = re.fullmatch(r"(\d+)h(\d{2})", key)
    if short:
        return int(short.group(1)) * 3600 + int(short.group(2)) * 60
    parts = _DURATION.findall(key)
    if not parts or _DURATION.sub("", key).strip():
        raise CellError("import.bad_duration")
    total = sum(Decimal(n.replace(",", ".")) * _UNITS[u] for n, u in parts)
    return int(total)


def choice(text: str, spellings: Mapping[str, str], shown: str) -> str:
    """The canonical value of ``text`` (case-insensitive) among ``spellings``."""
    value = spellings.get(text.strip().lower())
    if value is None:
        raise CellError("import.bad_choice", expected=shown)
    return value


def build_probes(
    service: Sequence[str] | npt.NDArray[np.object_], at: npt.ArrayLike, up: npt.ArrayLike
) -> Probes:
    """Probes sorted by service then time; samples of one service at the same
    instant collapse to one, down when any of them is down."""
    services = object_array(service)
    at_arr = np.asarray(at, dtype=np.int64)
    up_arr = np.asarray(up, dtype=np.int8)
    if not len(services):
        return Probes(object_array([]), np.empty(0, np.int64), np.empty(0, np.int8))
    names, codes = np.unique(services.astype(str), return_inverse=True)
    order = np.lexsort((up_arr, at_arr, codes))
    codes, at_arr, up_arr = codes[order], at_arr[order], up_arr[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (codes[1:] != codes[:-1]) | (at_arr[1:] != at_arr[:-1])
    return Probes(
        service=names.astype(object)[codes[first]],
        at=at_arr[first],
        up=up_arr[first],
    )
