"""The exception tree shared by the core.

::

    PilotageError            a problem the user can act on; carries a message
    ├── ContractError        code, parameters and where it is (file, line,
    ├── ImportDataError      column / row, value): rendered by pilotage.i18n
    └── EngineError

Every error is raised with a message *code* (see :mod:`pilotage.i18n`) so that
the shells can show it in the user's language; ``str(error)`` gives English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pilotage import i18n

__all__ = ["ContractError", "EngineError", "ImportDataError", "Location", "PilotageError"]


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file and a line/column (YAML) or row/column (CSV)."""

    file: str | None = None
    line: int | None = None
    row: int | None = None
    column: str | int | None = None
    value: str | None = None


@dataclass
class PilotageError(Exception):
    """A problem the user can act on (never shown as a traceback)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    location: Location | None = None

    def message(self, lang: str = "en") -> str:
        """The message in ``lang``, prefixed by where the problem is when known.

        ``contract.yaml:12:5: ...`` for a file position, ``tickets.csv, row 8,
        column created_at (value "31/02/2026"): ...`` for a table cell.
        """
        text = i18n.t(self.code, lang, **self.params)
        loc = self.location
        if loc is None:
            return text
        fr = lang == "fr"
        parts: list[str] = []
        if loc.line is not None:
            position = f"{loc.file or ''}:{loc.line}"
            if loc.column is not None:
                position += f":{loc.column}"
            parts.append(position)
        else:
            if loc.file:
                parts.append(loc.file)
            if loc.row is not None:
                parts.append(f"{'ligne' if fr else 'row'} {loc.row}")
            if loc.column is not None:
                parts.append(f"{'colonne' if fr else 'column'} {loc.column}")
        if loc.value is not None:
            parts.append(
                f"{'valeur' if fr else 'value'} « {loc.value} »" if fr else f'value "{loc.value}"'
            )
        prefix = ", ".join(parts)
        return f"{prefix}{' ' if fr else ''}: {text}" if prefix else text

    def __str__(self) -> str:
        return self.message("en")


class ContractError(PilotageError):
    """The contract file is invalid or cannot be read."""


class ImportDataError(PilotageError):
    """An export cannot be imported as it is."""


class EngineError(PilotageError):
    """The engine cannot compute with the data and terms it was given."""
