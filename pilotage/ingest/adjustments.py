"""Waivers agreed in committee (``adjustments.csv``).

Columns ``ticket_id,service_level,decision,reason,agreed_on``: ``decision`` is
``exclude`` (the ticket leaves the level's population), ``met`` or ``breach``
(its verdict is set); French spellings are accepted (exclure/exclu,
respecté, manqué/non respecté).  ``agreed_on`` is the committee's date
(``dd/mm/yyyy`` or ISO) and ``reason`` free text; both are required, since a
waiver nobody can trace back to a decision should not change a verdict.
"""

from __future__ import annotations

from pathlib import Path

from pilotage import i18n
from pilotage.ingest._tabular import (
    Problems,
    cell,
    choice,
    parse_local_date,
    read_table,
    required_text,
)
from pilotage.tables import Adjustments, object_array

__all__ = ["DECISIONS", "read_adjustments"]

MESSAGES = {
    "import.conflicting_adjustment": {
        "en": "ticket {ticket} already has a different decision for this level on row {first}",
        "fr": "le ticket {ticket} a déjà une autre décision pour ce niveau ligne {first}",
    },
}
i18n.register(MESSAGES)

DECISIONS = {
    "exclude": "exclude",
    "excluded": "exclude",
    "exclure": "exclude",
    "exclu": "exclude",
    "exclusion": "exclude",
    "met": "met",
    "respecté": "met",
    "respecte": "met",
    "tenu": "met",
    "breach": "breach",
    "breached": "breach",
    "manqué": "breach",
    "manque": "breach",
    "non respecté": "breach",
    "non respecte": "breach",
}
_SHOWN = "exclude, met, breach (exclure, respecté, manqué)"


def read_adjustments(path: Path | str) -> Adjustments:
    """Read the committee's adjustments; rows keep the file's order.

    The same (ticket, level) may appear twice only with the same decision
    (the later row is then dropped); ``agreed_on`` is stored as ISO.
    """
    problems = Problems()
    table = read_table(
        path,
        ("ticket_id", "service_level", "decision", "reason", "agreed_on"),
        problems=problems,
    )
    columns: dict[str, list[str]] = {
        name: [] for name in ("ticket_id", "service_level", "decision", "reason", "agreed_on")
    }
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    for row in table.rows:
        values = {
            "ticket_id": cell(table, row, "ticket_id", required_text, problems),
            "service_level": cell(table, row, "service_level", required_text, problems),
            "decision": cell(table, row, "decision", choice, problems, DECISIONS, _SHOWN),
            "reason": cell(table, row, "reason", required_text, problems),
            "agreed_on": cell(table, row, "agreed_on", parse_local_date, problems),
        }
        if any(v is None for v in values.values()):
            continue
        key = (values["ticket_id"], values["service_level"])
        if key in seen:
            first, decision = seen[key]
            if decision != values["decision"]:
                problems.add(
                    "import.conflicting_adjustment",
                    file=table.file,
                    row=row.number,
                    column=table.headers["decision"],
                    value=row.cells["decision"],
                    ticket=key[0],
                    first=first,
                )
            continue
        seen[key] = (row.number, values["decision"])
        for name, value in values.items():
            columns[name].append(value)
    problems.raise_if_any()
    return Adjustments(**{name: object_array(v) for name, v in columns.items()})
