"""Fast conversion of well-formed canonical CSV files, with Arrow.

The canonical readers (:mod:`pilotage.ingest.canonical`) first try these
helpers: the file is tokenized by ``pyarrow.csv`` into columns of strings and
each column is converted with vectorized kernels.  The helpers only accept
what the precise reader would read to the very same values; on anything else
(a value that does not convert, a blank required cell, an unknown status or
ticket, a duplicate id, a ragged row, a value with surrounding blanks...) they
return None and the caller reads the file again with the precise reader, which
locates every problem.  So the fast path never reports an error itself.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped]

from pilotage.tables import MISSING, object_array
from pilotage.timeutil import local_to_utc

__all__ = [
    "codes",
    "event_order",
    "instants",
    "read_string_columns",
    "release_memory",
    "row_indices",
    "seconds",
    "strict_text",
    "text",
]

I64 = npt.NDArray[np.int64]
Obj = npt.NDArray[np.object_]
T = TypeVar("T")

_BLOCK: Final = 1 << 22

# Forms on which Arrow's parser and :func:`pilotage.timeutil.parse_instants`
# agree (ISO date-time with seconds, optional fraction and offset); ranges are
# checked here, days of the month by Arrow's cast.
_ISO: Final = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9]"
    r":[0-5][0-9](\.[0-9]{1,6})?(Z|z|[+-][0-9]{2}:?[0-9]{2})?$"
)
_SUFFIX: Final = re.compile(r"(?:\.[0-9]{1,6})?(?:([Zz])|([+-])([0-9]{2}):?([0-9]{2}))?")
_EPOCH_TEXT: Final = {20: "1970-01-01T00:00:00Z", 25: "1970-01-01T00:00:00+00:00"}
# Layouts of ``2026-01-15T09:00:00Z`` and ``2026-01-15T09:00:00+01:00`` (length:
# position -> allowed bytes).  When every value of a column has one of them, the
# other characters are the digits Arrow's strict parser requires, and what it
# reads is what :func:`~pilotage.timeutil.parse_instants` reads.
_LAYOUTS: Final = {
    20: {4: b"-", 7: b"-", 10: b"T ", 13: b":", 16: b":", 19: b"Z"},
    25: {4: b"-", 7: b"-", 10: b"T ", 13: b":", 16: b":", 19: b"+-", 22: b":"},
}
_INTEGER: Final = r"^[0-9]{1,15}$"


def _has_quote(path: Path) -> bool:
    with path.open("rb") as handle:
        if path.stat().st_size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
            return view.find(b'"') >= 0


def read_string_columns(
    path: Path, encoding: str, delimiter: str, width: int, wanted: Mapping[str, int]
) -> tuple[dict[str, Any], int] | None:
    """The data rows of a CSV file (its first record is a header of ``width``
    cells) as Arrow string arrays, for the columns at the ``wanted`` positions,
    and the number of rows; None when Arrow cannot read the file as records of
    exactly ``width`` cells (the precise reader then decides)."""
    read_options = pa_csv.ReadOptions(
        encoding="utf8" if encoding in ("utf-8", "utf-8-sig") else encoding,
        skip_rows=1,
        column_names=[f"f{position}" for position in range(width)],
        block_size=_BLOCK,
        use_threads=False,
    )
    parse_options = pa_csv.ParseOptions(
        delimiter=delimiter, newlines_in_values=_has_quote(path), ignore_empty_lines=False
    )
    names = {position: f"f{position}" for position in wanted.values()}
    convert_options = pa_csv.ConvertOptions(
        column_types={name: pa.string() for name in names.values()},
        include_columns=list(names.values()),
        strings_can_be_null=False,
    )
    try:
        table = pa_csv.read_csv(
            path,
            read_options=read_options,
            parse_options=parse_options,
            convert_options=convert_options,
        )
    except (pa.ArrowException, UnicodeError, LookupError):
        return None
    columns = {field: table.column(names[p]) for field, p in wanted.items()}
    return columns, table.num_rows


def release_memory() -> None:
    """Hand the memory Arrow's allocator keeps for reuse back to the system, once
    the string columns are dropped (what follows allocates with ``malloc``)."""
    pa.default_memory_pool().release_unused()


def _dictionary(column: Any) -> tuple[list[str], npt.NDArray[np.intp]]:
    """Distinct values of a (chunked) string column and each row's index into them."""
    if not isinstance(column, pa.ChunkedArray):
        column = pa.chunked_array([column])
    encoded = pc.dictionary_encode(column).unify_dictionaries()
    if encoded.num_chunks == 0:
        return [], np.empty(0, dtype=np.intp)
    indices = np.concatenate(
        [chunk.indices.to_numpy(zero_copy_only=False) for chunk in encoded.chunks]
    ).astype(np.intp, copy=False)
    return encoded.chunk(0).dictionary.to_pylist(), indices


def _all(mask: Any) -> bool:
    return bool(pc.all(mask).as_py() is not False)


def _numpy(column: Any) -> Any:
    return (
        column.to_numpy()
        if isinstance(column, pa.ChunkedArray)
        else column.to_numpy(zero_copy_only=False)
    )


def text(column: Any) -> Obj:
    """Stripped values of a low-cardinality column (one strip per distinct value)."""
    uniques, indices = _dictionary(column)
    return object_array(value.strip() for value in uniques)[indices]


def codes(column: Any, lookup: Callable[[str], T | None], dtype: type[np.generic]) -> Any:
    """``lookup`` of each distinct value mapped onto the rows; None when
    ``lookup`` gives None for any value present."""
    uniques, indices = _dictionary(column)
    mapped = [lookup(value) for value in uniques]
    if any(m is None for m in mapped):
        return None
    return np.array(mapped, dtype=dtype)[indices]


def strict_text(column: Any, *, unique: bool = False) -> Obj | None:
    """The values as an object array of ``str``; None when one has leading or
    trailing blanks (whatever stripping rule applies, the others read unchanged),
    or, when ``unique``, when one is empty or repeated."""
    ends = [
        pc.unique(pc.utf8_slice_codeunits(column, start, stop)).to_pylist()
        for start, stop in ((0, 1), (-1, 2**31 - 1))
    ]
    if any(char.isspace() for char in ends[0] + ends[1]):
        return None
    if unique and (
        len(pc.unique(column)) != len(column) or not _all(pc.not_equal(pc.binary_length(column), 0))
    ):
        return None
    values: Obj = np.asarray(_numpy(column), dtype=object)
    return values


def row_indices(column: Any, ids: Obj) -> I64 | None:
    """The position in ``ids`` of each value; None when a value is not one of
    ``ids``, or ``ids`` has repeated values or values with surrounding blanks."""
    known = pa.array(ids, type=pa.string())
    if strict_text(known, unique=True) is None:
        return None
    found = pc.index_in(column, value_set=known)
    if found.null_count:
        return None
    indices: I64 = _numpy(found).astype(np.int64)
    return indices


def _offset(suffix: str) -> tuple[int, bool] | None:
    """``(seconds east of UTC, aware)`` of what follows ``YYYY-MM-DDTHH:MM:SS``."""
    match = _SUFFIX.fullmatch(suffix)
    if match is None:
        return None
    zulu, sign, hours, minutes = match.groups()
    if zulu:
        return 0, True
    if sign is None:
        return 0, False
    value = int(hours) * 3600 + int(minutes) * 60
    return (-value if sign == "-" else value), True


def _one_layout(column: Any) -> bool:
    """Whether every value has the length and punctuation of one of
    :data:`_LAYOUTS` (checked on Arrow's buffers, a chunk at a time)."""
    layout = None
    for chunk in column.chunks:
        n = len(chunk)
        if n == 0:
            continue
        _, offset_buffer, data_buffer = chunk.buffers()
        offsets = np.frombuffer(offset_buffer, dtype=np.int32)[chunk.offset : chunk.offset + n + 1]
        width = int(offsets[1] - offsets[0])
        if width not in _LAYOUTS or layout not in (None, width):
            return False
        layout = width
        if not (np.diff(offsets) == width).all():
            return False
        data = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0] : offsets[-1]]
        cells = data.reshape(n, width)
        for position, allowed in _LAYOUTS[width].items():
            ok = cells[:, position] == allowed[0]
            for byte in allowed[1:]:
                ok |= cells[:, position] == byte
            if not ok.all():
                return False
    return layout is not None


def instants(column: Any, timezone: str | None, *, required: bool) -> I64 | None:
    """UTC epoch seconds of ISO date-times (``2026-01-15T09:00:00Z``, ``+01:00``,
    ``+0100``, a fraction, or naive ones read in ``timezone``); empty cells give
    MISSING.  None when a value is not of these forms, when a cell is empty and
    ``required``, or when a value is naive and no timezone is given."""
    if not isinstance(column, pa.ChunkedArray):
        column = pa.chunked_array([column])
    blanks = 0
    filled = column
    if not required:
        empty = pc.equal(column, "")
        blanks = int(pc.sum(empty).as_py() or 0)
        if blanks == len(column):
            return np.full(len(column), MISSING, dtype=np.int64)
        if blanks:
            first = column[pc.index(empty, False).as_py()].as_py()
            filled = pc.if_else(empty, _EPOCH_TEXT.get(len(first), _EPOCH_TEXT[20]), column)
    if _one_layout(filled):
        try:
            utc = pc.cast(filled, pa.timestamp("s", tz="UTC"))
        except pa.ArrowInvalid:
            pass
        else:
            exact: I64 = _numpy(utc.cast(pa.int64())).astype(np.int64)
            if blanks:
                exact[_numpy(empty).astype(bool)] = MISSING
            return exact
    if not _all(pc.match_substring_regex(filled, _ISO)):
        return None
    try:
        naive = pc.cast(pc.utf8_slice_codeunits(filled, 0, 19), pa.timestamp("s"))
    except pa.ArrowInvalid:
        return None
    wall: I64 = _numpy(naive.cast(pa.int64())).astype(np.int64, copy=False)
    suffixes, indices = _dictionary(pc.utf8_slice_codeunits(filled, 19, 64))
    parsed = [_offset(suffix) for suffix in suffixes]
    if any(p is None for p in parsed):
        return None
    offsets = np.array([p[0] for p in parsed if p is not None], dtype=np.int64)[indices]
    aware = np.array([p[1] for p in parsed if p is not None], dtype=bool)[indices]
    out = wall - offsets
    local = ~aware
    if blanks:
        missing = _numpy(empty).astype(bool)
        local &= ~missing
        out[missing] = MISSING
    if local.any():
        if timezone is None:
            return None
        out[local] = local_to_utc(wall[local], timezone)
    return out


def seconds(column: Any) -> I64 | None:
    """Whole numbers of seconds written as digits (empty gives MISSING); None
    for anything else (the precise reader's parser then reads the column)."""
    empty = pc.equal(column, "")
    filled = pc.if_else(empty, "0", column)
    if not _all(pc.match_substring_regex(filled, _INTEGER)):
        return None
    out: I64 = _numpy(pc.cast(filled, pa.int64())).astype(np.int64)
    out[_numpy(empty).astype(bool)] = MISSING
    return out


def event_order(ticket: I64, at: I64) -> npt.NDArray[np.intp] | None:
    """The stable order by ticket then time (``np.lexsort((at, ticket))``), or
    None when the rows are in that order already (files are usually written so)."""
    if len(ticket) < 2:
        return None
    step = np.diff(ticket)
    if (step >= 0).all() and ((step > 0) | (np.diff(at) >= 0)).all():
        return None
    low, high = int(at.min()), int(at.max())
    span = high - low + 1
    if int(ticket.min()) >= 0 and (int(ticket.max()) + 1) * span < 2**63:
        key = ticket * span + (at - low)
        order: npt.NDArray[np.intp] = np.argsort(key, kind="stable")
        return order
    return np.lexsort((at, ticket))
