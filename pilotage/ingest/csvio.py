"""Reading delimited and spreadsheet exports as columns of strings, and the
error collector every importer uses.

An import is all or nothing: readers record every problem they meet in a
:class:`Problems` collector (file, row, column, value, what was expected) and
raise one :class:`ImportErrors` at the end, which lists the first
:data:`MAX_LISTED` problems and counts the rest.

Row numbers are those a spreadsheet shows: the header is row 1, the first data
row is row 2.
"""

from __future__ import annotations

import abc
import codecs
import csv
import datetime as dt
import itertools
import json
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, NoReturn

import numpy as np

from pilotage import i18n
from pilotage.errors import ImportDataError, Location

__all__ = [
    "MAX_LISTED",
    "ImportErrors",
    "Problems",
    "Report",
    "TableReader",
    "detect_encoding",
    "intern_all",
    "open_table",
    "require_columns",
    "sniff_delimiter",
    "stripped",
]

MAX_LISTED: Final = 50
"""How many problems an :class:`ImportErrors` lists before counting the rest."""

CHUNK_ROWS: Final = 100_000

i18n.register(
    {
        "ingest.errors": {
            "en": "{count} problem(s) found; nothing was imported:",
            "fr": "{count} problème(s) trouvé(s) ; rien n’a été importé :",
        },
        "ingest.more_errors": {
            "en": "... and {count} more problem(s).",
            "fr": "... et {count} autre(s) problème(s).",
        },
        "ingest.file_unreadable": {
            "en": "the file cannot be read ({reason})",
            "fr": "le fichier ne peut pas être lu ({reason})",
        },
        "ingest.empty_file": {
            "en": "the file is empty: a header row is expected",
            "fr": "le fichier est vide : une ligne d’en-tête est attendue",
        },
        "ingest.missing_column": {
            "en": "required column {name} is missing (columns found: {found})",
            "fr": "la colonne obligatoire {name} est absente (colonnes trouvées : {found})",
        },
        "ingest.blank_rows": {
            "en": "blank rows",
            "fr": "lignes vides",
        },
        "ingest.extra_cells": {
            "en": "the row has more cells than the header ({count} instead of {expected})",
            "fr": "la ligne a plus de cellules que l’en-tête ({count} au lieu de {expected})",
        },
    }
)


@dataclass
class ImportErrors(ImportDataError):
    """Every problem of an import, raised once (``problems`` holds the first ones)."""

    problems: list[ImportDataError] = field(default_factory=list)
    total: int = 0

    def message(self, lang: str = "en") -> str:
        """A header line then one line per listed problem."""
        lines = [i18n.t("ingest.errors", lang, count=self.total)]
        lines.extend(f"  - {p.message(lang)}" for p in self.problems)
        if self.total > len(self.problems):
            lines.append(
                "  " + i18n.t("ingest.more_errors", lang, count=self.total - len(self.problems))
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message("en")


def _clip(value: str | None) -> str | None:
    if value is None:
        return None
    return value if len(value) <= 80 else value[:77] + "..."


class Problems:
    """Collects problems; :meth:`raise_if_any` raises them all at once."""

    def __init__(self) -> None:
        self.listed: list[ImportDataError] = []
        self.total = 0

    def add(
        self,
        code: str,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        **params: Any,
    ) -> None:
        """Record one problem (message ``code`` with ``params``) at a cell."""
        self.total += 1
        if len(self.listed) < MAX_LISTED:
            location = Location(file=file, row=row, column=column, value=_clip(value))
            self.listed.append(ImportDataError(code, params, location))

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        """Raise :class:`ImportErrors` when a problem was recorded."""
        if self.total:
            raise ImportErrors(
                "ingest.errors", {"count": self.total}, None, list(self.listed), self.total
            )

    def fail(self) -> NoReturn:
        """Raise the collected problems, for a reader that cannot go on (at
        least one problem has been recorded)."""
        self.raise_if_any()
        raise AssertionError("fail() called with no problem recorded")


@dataclass
class Report:
    """What an import read and left aside, for the user to check.

    ``ignored_columns`` are source columns no field was taken from;
    ``ignored_rows`` counts rows left aside per reason code; ``notes`` are
    message codes with their parameters (e.g. requester names dropped).
    """

    source: str = ""
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    ignored_rows: dict[str, int] = field(default_factory=dict)
    ignored_values: dict[str, int] = field(default_factory=dict)
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def ignore_rows(self, reason: str, count: int = 1) -> None:
        """Count ``count`` rows left aside for ``reason`` (a message code)."""
        if count:
            self.ignored_rows[reason] = self.ignored_rows.get(reason, 0) + count


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` (BOM), ``utf-8`` when the whole file decodes, else ``cp1252``."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := handle.read(1 << 22):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def sniff_delimiter(header: str) -> str:
    """The most frequent of ``;``, ``,``, tab and ``|`` outside quotes in ``header``."""
    counts = dict.fromkeys(";,\t|", 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


class TableReader(abc.ABC):
    """A table export read as strings: the header, then chunks of columns."""

    def __init__(self, path: Path, name: str, header: list[str]) -> None:
        self.path = path
        self.name = name
        self.header = header
        self.blank_rows = 0
        """Blank records skipped so far."""

    @abc.abstractmethod
    def records(self) -> Iterator[list[str]]:
        """The cells of every record after the header, blank ones included."""

    def chunks(
        self, problems: Problems, size: int = CHUNK_ROWS
    ) -> Iterator[tuple[list[int], list[Sequence[str]]]]:
        """``(row numbers, columns)`` for successive blocks of records, one
        sequence per header column; blank records are skipped, short ones
        padded, and non-empty cells past the header reported."""
        return self._blocks(self.records(), 2, problems, size)

    def _blocks(
        self, records: Iterator[list[str]], start: int, problems: Problems, size: int
    ) -> Iterator[tuple[list[int], list[Sequence[str]]]]:
        width = len(self.header)
        while True:
            block = list(itertools.islice(records, size))
            if not block:
                return
            numbers = list(range(start, start + len(block)))
            start += len(block)
            if set(map(len, block)) != {width}:
                fixed: list[list[str]] = []
                for number, row in zip(numbers, block, strict=True):
                    if len(row) > width and any(c.strip() for c in row[width:]):
                        problems.add(
                            "ingest.extra_cells", self.name, number, count=len(row), expected=width
                        )
                    fixed.append((row + [""] * width)[:width])
                block = fixed
            columns: list[Sequence[str]] = list(zip(*block, strict=True))
            blank = [
                i
                for i, v in enumerate(columns[0])
                if not v.strip() and not any(c[i].strip() for c in columns)
            ]
            if blank:
                self.blank_rows += len(blank)
                keep = sorted(set(range(len(numbers))) - set(blank))
                numbers = [numbers[i] for i in keep]
                columns = [[c[i] for i in keep] for c in columns]
                if not numbers:
                    continue
            yield numbers, columns


class _CsvReader(TableReader):
    def __init__(self, path: Path, name: str, encoding: str, delimiter: str) -> None:
        self.encoding = encoding
        self.delimiter = delimiter
        with path.open(encoding=encoding, newline="") as handle:
            first = next(csv.reader(handle, delimiter=delimiter), [])
        super().__init__(path, name, [h.strip() for h in first])

    def records(self) -> Iterator[list[str]]:
        with self.path.open(encoding=self.encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            next(reader, None)
            yield from reader

    def chunks(
        self, problems: Problems, size: int = CHUNK_ROWS
    ) -> Iterator[tuple[list[int], list[Sequence[str]]]]:
        """As :meth:`TableReader.chunks`; blocks of one-line records are split
        with plain string splits when they hold no quote, else by NumPy's C
        tokenizer; anything else (blank lines, cells spanning lines, ragged
        rows) by the csv module from there on."""
        width = len(self.header)
        with self.path.open(encoding=self.encoding, newline="") as handle:
            next(csv.reader(handle, delimiter=self.delimiter), None)
            start = 2
            carry = ""
            while True:
                text = handle.read(size * 200)
                if not text:
                    if not carry:
                        return
                    block, carry = carry, ""
                else:
                    cut = text.rfind("\n") + 1
                    block, carry = carry + text[:cut], text[cut:]
                    if not block:
                        continue
                lines, columns = self._tokenize(block, width)
                if columns is None:
                    rest: Iterator[str] = handle
                    if carry:
                        rest = itertools.chain([carry + handle.readline()], handle)
                    records = csv.reader(itertools.chain(lines, rest), delimiter=self.delimiter)
                    yield from self._blocks(records, start, problems, size)
                    return
                yield list(range(start, start + len(lines))), columns
                start += len(lines)

    def _tokenize(self, block: str, width: int) -> tuple[list[str], list[Sequence[str]] | None]:
        """The lines of ``block`` and, when each line is one full record of
        ``width`` cells, its columns (None for blank lines, cells spanning
        lines, ragged rows)."""
        delimiter = self.delimiter
        if '"' not in block:
            # No quoting at all: plain splits at C speed.
            body = block.replace("\r\n", "\n") if "\r" in block else block
            rows = body.removesuffix("\n").split("\n")
            if set(map(str.count, rows, itertools.repeat(delimiter))) == {width - 1}:
                flat = body.removesuffix("\n").replace("\n", delimiter).split(delimiter)
                return rows, [flat[j::width] for j in range(width)]
            return _lines(block), None
        lines = _lines(block)
        if min(map(len, lines)) <= 2 and not all(line.strip() for line in lines):
            return lines, None
        try:
            table = np.loadtxt(
                lines,
                dtype=object,
                delimiter=delimiter,
                quotechar='"',
                comments=None,
                ndmin=2,
                encoding=None,
            )
        except ValueError:
            return lines, None
        if table.shape != (len(lines), width):
            return lines, None
        return lines, [column.tolist() for column in table.T]


def _lines(block: str) -> list[str]:
    """``block`` cut after each ``\\n`` (only there, unlike ``str.splitlines``)."""
    parts = block.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _XlsxReader(TableReader):
    """The first sheet of a workbook, read whole (exports of this kind are small)."""

    def __init__(self, path: Path, name: str) -> None:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            rows = [
                [_cell_text(v) for v in row]
                for row in book.worksheets[0].iter_rows(values_only=True)
            ]
        finally:
            book.close()
        super().__init__(path, name, [v.strip() for v in rows[0]] if rows else [])
        self._rows = rows[1:]

    def records(self) -> Iterator[list[str]]:
        return iter(self._rows)


class _JsonReader(TableReader):
    """A JSON export of records: a list of objects, or an object holding one
    under ``records`` (ServiceNow's list export), ``result`` (its Table API) or
    ``tickets``.  Columns are the records' keys in order of appearance; a value
    given as ``{"display_value", "value"}`` (ServiceNow) is read as displayed."""

    _KEYS = ("records", "result", "tickets")

    def __init__(self, path: Path, name: str) -> None:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
        if isinstance(data, dict):
            data = next((data[k] for k in self._KEYS if isinstance(data.get(k), list)), None)
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ValueError("expected a list of records, or an object holding one")
        header = list(dict.fromkeys(key for record in data for key in record))
        super().__init__(path, name, header)
        self._rows = [[_json_cell(record.get(key)) for key in header] for record in data]

    def records(self) -> Iterator[list[str]]:
        return iter(self._rows)


def _json_cell(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("display_value", value.get("value"))
    if isinstance(value, bool):
        return "true" if value else "false"
    return _cell_text(value)


def open_table(
    path: str | Path,
    problems: Problems,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> TableReader:
    """Open a CSV (encoding and delimiter detected unless given), XLSX or JSON export.

    When the file cannot be read or has no header, the problem is recorded
    and every problem collected so far is raised.
    """
    path = Path(path)
    name = str(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            reader: TableReader = _XlsxReader(path, name)
        elif path.suffix.lower() == ".json":
            reader = _JsonReader(path, name)
        else:
            encoding = encoding or detect_encoding(path)
            if delimiter is None:
                with path.open(encoding=encoding, newline="") as handle:
                    delimiter = sniff_delimiter(handle.readline())
            reader = _CsvReader(path, name, encoding, delimiter)
    except (
        OSError,
        UnicodeDecodeError,
        csv.Error,
        ValueError,
        KeyError,
        zipfile.BadZipFile,
    ) as exc:
        problems.add("ingest.file_unreadable", name, reason=str(exc))
        problems.raise_if_any()
        raise
    if not any(reader.header):
        problems.add("ingest.empty_file", name)
        problems.raise_if_any()
    return reader


def require_columns(
    reader: TableReader, required: Sequence[str], problems: Problems
) -> dict[str, int]:
    """Positions of header names, keyed in lower case (headers match ignoring
    case); records a problem per missing ``required`` one."""
    positions: dict[str, int] = {}
    for i, name in enumerate(reader.header):
        positions.setdefault(name.lower(), i)
    for name in required:
        if name not in positions:
            problems.add(
                "ingest.missing_column",
                reader.name,
                1,
                name,
                name=name,
                found=", ".join(h for h in reader.header if h) or "-",
            )
    return positions


def intern_all(values: Sequence[str]) -> list[str]:
    """``values`` stripped, sharing one string object per distinct value (for
    columns with few distinct values: saves memory, one strip per value)."""
    lookup = {v: v.strip() for v in set(values)}
    return list(map(lookup.__getitem__, values))


_BLANKS: Final = (" ", "\t", "\r", "\n", "\u00a0")


def stripped(values: Sequence[str]) -> Sequence[str]:
    """``values`` without leading or trailing blanks (unchanged when none has any blank)."""
    joined = "\x1f".join(values)
    if not any(b in joined for b in _BLANKS):
        return values
    return [v.strip() for v in values]
