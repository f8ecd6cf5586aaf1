"""What the source readers share: the import result, value mapping with
located errors, text durations, and requester pseudonymization."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from pilotage import i18n
from pilotage.ingest.csvio import Problems, Report, TableReader
from pilotage.ingest.mapping import Mapping, StatusRule, normalize
from pilotage.tables import Events, Tickets

__all__ = [
    "ImportResult",
    "ValueMaps",
    "parse_duration",
    "pseudonymize",
    "resolve_columns",
]

PSEUDONYM_PREFIX: Final = "p-"

i18n.register(
    {
        "ingest.unknown_value": {
            "en": "value not in the mapping ({count} row(s), first shown): expected one of "
            "{expected}; add it to the mapping's {key}",
            "fr": "valeur absente de la correspondance ({count} ligne(s), la première est "
            "indiquée) : valeurs connues {expected} ; ajoutez-la à la rubrique {key}",
        },
        "ingest.missing_mapped_column": {
            "en": "no column for {field}: expected one of {candidates} (columns found: {found})",
            "fr": "aucune colonne pour {field} : attendu l’une de {candidates} "
            "(colonnes trouvées : {found})",
        },
        "ingest.bad_duration": {
            "en": "not a duration: expected seconds or a text like “2 hours 15 minutes”",
            "fr": "durée illisible : attendu des secondes ou un texte comme "
            "« 2 heures 15 minutes »",
        },
        "ingest.bad_verdict": {
            "en": "unexpected verdict: expected one of {expected} or an empty cell",
            "fr": "verdict inattendu : valeurs possibles {expected} ou une cellule vide",
        },
        "ingest.requester_dropped": {
            "en": "Requester names were dropped: no pseudonymization key was given.",
            "fr": "Les noms des demandeurs ont été écartés : aucune clé de pseudonymisation "
            "n’a été fournie.",
        },
        "ingest.requester_pseudonymized": {
            "en": "Requester names were pseudonymized (keyed hash).",
            "fr": "Les noms des demandeurs ont été pseudonymisés (empreinte à clé).",
        },
    }
)


@dataclass(frozen=True)
class ImportResult:
    """Tickets, their status history (possibly empty) and what was read."""

    tickets: Tickets
    events: Events
    report: Report

    def tickets_with_history(self) -> int:
        """How many tickets have at least one status event."""
        return int(np.unique(self.events.ticket).size)


def pseudonymize(values: Sequence[str], key: bytes) -> list[str]:
    """Stable keyed pseudonyms: ``p-`` + the first 16 hex digits of
    HMAC-SHA256(key, name case-folded with blanks collapsed); empty stays empty."""
    cache: dict[str, str] = {"": ""}
    out: list[str] = []
    for value in values:
        pseudonym = cache.get(value)
        if pseudonym is None:
            norm = normalize(value)
            digest = hmac.new(key, norm.encode("utf-8"), hashlib.sha256).hexdigest()
            pseudonym = cache[value] = PSEUDONYM_PREFIX + digest[:16] if norm else ""
        out.append(pseudonym)
    return out


_DURATION_PART = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(jours?|j|days?|d|heures?|hours?|hrs?|h|minutes?|mins?|mn|m|"
    r"secondes?|seconds?|secs?|s)\b",
    re.IGNORECASE,
)
_DURATION_GLUE = re.compile(r"[\s,]*(?:(?:et|and|&)[\s,]*)?", re.IGNORECASE)
_UNIT_SECONDS: Final = {"j": 86_400, "d": 86_400, "h": 3600, "m": 60, "s": 1}


def parse_duration(text: str, unit: str = "text") -> int | None:
    """Seconds in ``text``: a number in ``unit`` (seconds, minutes, hours) or, for
    ``text``, a display string such as ``2 heures 15 minutes`` or ``1 day 3 hours``
    (a bare number is seconds).  None when it cannot be read."""
    value = text.strip().replace("\u00a0", " ")
    try:
        number = float(value.replace(",", ".").replace(" ", ""))
    except ValueError:
        number = None
    if number is not None:
        if number < 0 or number != number:
            return None
        scale = {"minutes": 60, "hours": 3600}.get(unit, 1)
        return int(number * scale + 0.5)
    if unit != "text":
        return None
    total = 0.0
    end = 0
    for match in _DURATION_PART.finditer(value):
        if not _DURATION_GLUE.fullmatch(value[end : match.start()]):
            return None
        word = match.group(2).lower()
        first = "m" if word.startswith("m") else word[0]
        total += float(match.group(1).replace(",", ".")) * _UNIT_SECONDS[first]
        end = match.end()
    if end == 0 or value[end:].strip():
        return None
    return int(total + 0.5)


def resolve_columns(
    reader: TableReader, mapping: Mapping, problems: Problems, required: Sequence[str]
) -> dict[str, tuple[int, str]]:
    """Field -> (position, header) for each mapped field whose column is present;
    records a problem for each ``required`` field that has none."""
    positions: dict[str, int] = {}
    for i, name in enumerate(reader.header):
        positions.setdefault(normalize(name), i)
    out: dict[str, tuple[int, str]] = {}
    for field_name, candidates in mapping.columns.items():
        for candidate in candidates:
            position = positions.get(normalize(candidate))
            if position is not None:
                out[field_name] = (position, reader.header[position])
                break
    for field_name in required:
        if field_name not in out and field_name not in mapping.defaults:
            problems.add(
                "ingest.missing_mapped_column",
                reader.name,
                1,
                None,
                None,
                field=field_name,
                candidates=", ".join(mapping.columns.get(field_name, ("-",))),
                found=", ".join(h for h in reader.header if h) or "-",
            )
    return out


class ValueMaps:
    """Applies a mapping's value maps, statuses and verdicts to columns, and
    reports unknown values once per distinct value (first row, count)."""

    def __init__(self, mapping: Mapping, file: str, problems: Problems, report: Report) -> None:
        self.mapping = mapping
        self.file = file
        self.problems = problems
        self.report = report
        self._unknown: dict[tuple[str, str], list[int | str]] = {}

    def blank_missing(self, values: Sequence[str]) -> list[str]:
        """Cells meaning "unknown" (``?``...) become empty."""
        missing = self.mapping.missing
        if missing == {""}:
            return list(values)
        return ["" if v.strip() in missing else v for v in values]

    def _flag(self, key: str, column: str, value: str, row: int, expected: str) -> None:
        entry = self._unknown.get((column, value))
        if entry is None:
            self._unknown[(column, value)] = [row, 1, key, expected]
        else:
            entry[1] = int(entry[1]) + 1

    def values(
        self, field: str, column: str, values: Sequence[str], rows: Sequence[int]
    ) -> list[str]:
        """Map ``values`` through ``values.<field>``; unmapped values are kept
        (and counted) unless the field is strict."""
        table = self.mapping.values.get(field)
        if table is None:
            return list(values)
        out: list[str] = []
        cache: dict[str, str | None] = {}
        for value, row in zip(values, rows, strict=True):
            if value not in cache:
                cache[value] = table.get(normalize(value)) if value.strip() else ""
            mapped = cache[value]
            if mapped is None:
                if field in self.mapping.strict:
                    self._flag(f"values.{field}", column, value, row, ", ".join(table))
                else:
                    key = f"{field}: {value}"
                    self.report.ignored_values[key] = self.report.ignored_values.get(key, 0) + 1
                mapped = value.strip()
            out.append(mapped)
        return out

    def services(self, categories: Sequence[str]) -> list[str]:
        """Services from categories through ``values.service``; an unmapped
        category gives no service (counted in the report)."""
        table = self.mapping.values.get("service", {})
        out: list[str] = []
        for category in categories:
            service = table.get(normalize(category), "") if category else ""
            if category and not service:
                key = f"service: {category}"
                self.report.ignored_values[key] = self.report.ignored_values.get(key, 0) + 1
            out.append(service)
        return out

    def status(self, column: str, value: str, row: int) -> StatusRule | None:
        """The rule of a status; None (and a recorded problem) when unknown,
        None without problem when ignored or empty."""
        key = normalize(value)
        rule = self.mapping.statuses.get(key)
        if rule is None and key and key not in self.mapping.ignore_statuses:
            known = sorted(set(self.mapping.statuses) | set(self.mapping.ignore_statuses))
            self._flag("statuses", column, value, row, ", ".join(known))
        return rule

    def verdicts(
        self, field: str, column: str, values: Sequence[str], rows: Sequence[int]
    ) -> list[str]:
        """``true``/``false``/empty from the provider's own verdict cells."""
        rule = self.mapping.verdicts.get(field)
        out: list[str] = []
        for value, row in zip(values, rows, strict=True):
            key = normalize(value)
            if not key:
                out.append("")
            elif rule is None:
                out.append(key)
            elif key in rule.true:
                out.append("true")
            elif key in rule.false:
                out.append("false")
            else:
                expected = ", ".join(sorted(rule.true | rule.false))
                self.problems.add(
                    "ingest.bad_verdict", self.file, row, column, value, expected=expected
                )
                out.append("")
        return out

    def durations(
        self, field: str, column: str, values: Sequence[str], rows: Sequence[int]
    ) -> list[str]:
        """Seconds (as text) from durations in the mapping's unit for ``field``."""
        unit = self.mapping.durations.get(field, "seconds")
        out: list[str] = []
        for value, row in zip(values, rows, strict=True):
            if not value.strip():
                out.append("")
                continue
            seconds = parse_duration(value, unit)
            if seconds is None:
                self.problems.add("ingest.bad_duration", self.file, row, column, value)
                out.append("")
            else:
                out.append(str(seconds))
        return out

    def requesters(self, values: Sequence[str], key: bytes | None) -> list[str]:
        """Pseudonyms with ``key``, or nothing at all without one."""
        note = "ingest.requester_pseudonymized" if key else "ingest.requester_dropped"
        if (note, {}) not in self.report.notes:
            self.report.notes.append((note, {}))
        if key is None:
            return [""] * len(values)
        return pseudonymize(values, key)

    def flush(self) -> None:
        """Record the unknown values met (one problem per distinct value)."""
        for (column, value), (row, count, key, expected) in self._unknown.items():
            shown = str(expected)
            if len(shown) > 300:
                shown = shown[:297] + "..."
            self.problems.add(
                "ingest.unknown_value",
                self.file,
                int(row),
                column,
                value,
                count=count,
                expected=shown,
                key=key,
            )
        self._unknown.clear()
