"""The provider's own figures per service level and window (``provider_claims.csv``).

Columns ``service_level,window,eligible,met,compliance`` as the provider's
report states them.  ``window`` is labelled as the engine labels windows: a
month ``2026-10`` (``10/2026`` is accepted), a quarter ``2026-Q4`` (``T4 2026``
is accepted) or a year ``2026``.  ``eligible`` and ``met`` are whole numbers
and ``compliance`` a ratio written ``96.5%``, ``96,5 %`` or ``0.965``; each may
be empty when the report does not give it (availability levels have no ticket
counts).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from pilotage import i18n
from pilotage.ingest._tabular import (
    CellError,
    Problems,
    cell,
    parse_fraction,
    parse_int,
    read_table,
    required_text,
)
from pilotage.tables import Claims, object_array

__all__ = ["parse_window", "read_claims"]

MESSAGES = {
    "import.bad_window": {
        "en": "expected a month (2026-10 or 10/2026), a quarter (2026-Q4 or Q4 2026) "
        "or a year (2026)",
        "fr": "attendu un mois (2026-10 ou 10/2026), un trimestre (2026-T4, T4 2026 ou "
        "2026-Q4) ou une année (2026)",
    },
    "import.met_above_eligible": {
        "en": "more tickets met ({met}) than eligible ({eligible})",
        "fr": "plus de tickets respectés ({met}) que d’éligibles ({eligible})",
    },
    "import.duplicate_claim": {
        "en": "the same service level and window already appear on row {first}",
        "fr": "le même niveau de service et la même période figurent déjà ligne {first}",
    },
}
i18n.register(MESSAGES)


def parse_window(text: str) -> str:
    """A window label as the engine writes it: a month ``2026-10`` (from
    ``2026-10``, ``2026/10`` or ``10/2026``), a quarter ``2026-Q4`` (from
    ``2026-Q4``, ``Q4 2026`` or the French ``T4 2026``) or a year ``2026``."""
    key = " ".join(text.strip().upper().split())
    if not key:
        raise CellError("import.required")
    month_first = re.fullmatch(r"(\d{4})[-/](\d{1,2})", key)
    month_last = re.fullmatch(r"(\d{1,2})[-/](\d{4})", key)
    quarter_first = re.fullmatch(r"(\d{4})[- ]?[QT]([1-4])", key)
    quarter_last = re.fullmatch(r"[QT]([1-4])[- /]?(\d{4})", key)
    if quarter_first:
        return f"{quarter_first.group(1)}-Q{quarter_first.group(2)}"
    if quarter_last:
        return f"{quarter_last.group(2)}-Q{quarter_last.group(1)}"
    if re.fullmatch(r"\d{4}", key):
        return key
    if month_first:
        year, month = int(month_first.group(1)), int(month_first.group(2))
    elif month_last:
        year, month = int(month_last.group(2)), int(month_last.group(1))
    else:
        raise CellError("import.bad_window")
    if not 1 <= month <= 12:
        raise CellError("import.bad_window")
    return f"{year:04d}-{month:02d}"


def _optional_int(text: str) -> int:
    return parse_int(text, optional=True)


def _optional_fraction(text: str) -> object:
    return parse_fraction(text, optional=True)


def read_claims(path: Path | str) -> Claims:
    """Read the provider's claims; rows keep the file's order.

    ``eligible``/``met`` are MISSING and ``compliance`` None when empty.  A
    level and window given twice, or more met than eligible, is an error.
    """
    problems = Problems()
    table = read_table(
        path, ("service_level", "window"), ("eligible", "met", "compliance"), problems=problems
    )
    level: list[str] = []
    window: list[str] = []
    eligible: list[int] = []
    met: list[int] = []
    compliance: list[object] = []
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        values = (
            cell(table, row, "service_level", required_text, problems),
            cell(table, row, "window", parse_window, problems),
            cell(table, row, "eligible", _optional_int, problems),
            cell(table, row, "met", _optional_int, problems),
        )
        ratio = cell(table, row, "compliance", _optional_fraction, problems)
        if any(v is None for v in values) or (ratio is None and row.cells.get("compliance")):
            continue
        key = (values[0], values[1])
        if key in seen:
            problems.add(
                "import.duplicate_claim",
                file=table.file,
                row=row.number,
                column=table.headers["window"],
                value=row.cells["window"],
                first=seen[key],
            )
            continue
        seen[key] = row.number
        if values[2] >= 0 and values[3] > values[2]:
            problems.add(
                "import.met_above_eligible",
                file=table.file,
                row=row.number,
                column=table.headers["met"],
                value=row.cells["met"],
                met=values[3],
                eligible=values[2],
            )
            continue
        level.append(values[0])
        window.append(values[1])
        eligible.append(values[2])
        met.append(values[3])
        compliance.append(ratio)
    problems.raise_if_any()
    return Claims(
        service_level=object_array(level),
        window=object_array(window),
        eligible=np.array(eligible, dtype=np.int64),
        met=np.array(met, dtype=np.int64),
        compliance=object_array(compliance),
    )
