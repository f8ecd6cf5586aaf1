"""Centreon: the host availability report exported from Reporting > Dashboard.

The open-source dashboard's host CSV export is ``;``-separated and made of
sections separated by blank lines: first ``Host;Begin date; End date;
Duration`` and its one row (dates ``d/m/Y H:i:s`` in the server's timezone,
the duration in seconds with an ``s`` suffix); then ``Status;Duration;Total
Time;Mean Time; Alert`` with one row per state (``DOWN``, ``UP``,
``UNREACHABLE``, ``SCHEDULED DOWNTIME``, ``UNDETERMINED``), then per-service
and per-day sections, which are not needed here.

The report is Centreon's own figure, read as one :class:`~pilotage.tables.Claims`
row: availability as Centreon MBI defines it for a host, UP / (UP + DOWN),
with unreachable, scheduled-downtime and undetermined time left out.  The
report's period must be one calendar month.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import numpy as np

from pilotage import i18n
from pilotage.ingest._tabular import CellError, Problems, parse_instant, read_text, zone
from pilotage.ingest.sources_monitoring._common import calendar_month
from pilotage.tables import MISSING, Claims, object_array

__all__ = ["read_centreon_host_report"]

MESSAGES = {
    "import.centreon_layout": {
        "en": "not a Centreon host report: expected a first section "
        '"Host;Begin date;End date;Duration" and a status section with DOWN and UP rows',
        "fr": "ce n’est pas un rapport d’hôte Centreon : attendu une première section "
        "« Host;Begin date;End date;Duration » et une section d’états avec les lignes "
        "DOWN et UP",
    },
    "import.centreon_bad_duration": {
        "en": "expected a duration in seconds such as 3600s",
        "fr": "attendu une durée en secondes comme 3600s",
    },
    "import.centreon_not_month": {
        "en": "the report covers {start} – {end}, not one calendar month",
        "fr": "le rapport couvre la période {start} – {end}, qui n’est pas un mois civil",
    },
}
i18n.register(MESSAGES)

_STATES = {
    "up": "up",
    "disponible": "up",
    "down": "down",
    "indisponible": "down",
}


def _seconds(text: str) -> int:
    value = text.strip().removesuffix("s").strip()
    if not value.isdigit():
        raise CellError("import.centreon_bad_duration")
    return int(value)


def read_centreon_host_report(path: Path | str, level: str, *, tz: str) -> Claims:
    """One claim row for service level ``level`` from a Centreon host report.

    ``tz`` is the Centreon server's timezone (the report's dates are naive).
    ``compliance`` is None when the host was neither up nor down.
    """
    path = Path(path)
    file = path.name
    problems = Problems()
    zi = zone(tz, problems, file)
    text = read_text(path, problems)
    if text is None:
        problems.fail()
    rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=";")]
    times: dict[str, int] = {}
    period: list[int] = []
    if len(rows) > 1 and len(rows[1]) >= 3:
        for column, index in (("Begin date", 1), ("End date", 2)):
            try:
                period.append(parse_instant(rows[1][index], zi))
            except CellError as exc:
                problems.add(
                    exc.code, file=file, row=2, column=column, value=rows[1][index], **exc.params
                )
    for number, row in enumerate(rows, start=1):
        state = _STATES.get(row[0].lower()) if len(row) > 1 and row[0] else None
        if state is None or state in times:
            continue
        try:
            times[state] = _seconds(row[1])
        except CellError as exc:
            problems.add(exc.code, file=file, row=number, column="Duration", value=row[1])
            times[state] = 0
    if len(times) < 2 or len(rows) < 2 or len(rows[1]) < 3:
        problems.add("import.centreon_layout", file=file)
    problems.raise_if_any()
    assert zi is not None
    window = calendar_month(period[0], period[1], zi)
    if window is None:
        problems.add(
            "import.centreon_not_month",
            file=file,
            row=2,
            start=rows[1][1],
            end=rows[1][2],
        )
        problems.raise_if_any()
    measured = times["up"] + times["down"]
    compliance = Decimal(times["up"]) / Decimal(measured) if measured else None
    return Claims(
        service_level=object_array([level]),
        window=object_array([window]),
        eligible=np.array([MISSING], dtype=np.int64),
        met=np.array([MISSING], dtype=np.int64),
        compliance=object_array([compliance]),
    )
