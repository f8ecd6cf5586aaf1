"""How each column of an export is understood, before anything is stored:
the canonical field it feeds, sample values, and the values the mapping
does not know (with their counts), for ``tickets inspect --columns`` and the
web application's preview."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

from pilotage import i18n
from pilotage.ingest.canonical import TICKET_COLUMNS
from pilotage.ingest.csvio import Problems, open_table
from pilotage.ingest.mapping import Mapping, StatusRule, normalize
from pilotage.ingest.sources.common import parse_duration, resolve_columns
from pilotage.timeutil import parse_instants

__all__ = [
    "ColumnView",
    "canonical_mapping",
    "columns_json",
    "describe_columns",
    "render_columns",
]

SAMPLES: Final = 3
_INSTANTS: Final = ("created_at", "first_response_at", "resolved_at", "closed_at", "at")
_HIDDEN: Final = ("requester",)
"""Fields whose values are never shown (personal data)."""

i18n.register(
    {
        "columns.heading": {
            "en": "How each column was understood:",
            "fr": "Comment chaque colonne a été comprise :",
        },
        "columns.line": {
            "en": "{column} -> {field}: {filled} filled, {distinct} distinct; e.g. {samples}",
            "fr": "{column} -> {field} : {filled} remplie(s), {distinct} distincte(s) ; "
            "ex. {samples}",
        },
        "columns.unused": {"en": "(not used)", "fr": "(non utilisée)"},
        "columns.unmapped": {
            "en": "    values not understood ({effect}): {values}",
            "fr": "    valeurs non comprises ({effect}) : {values}",
        },
        "columns.effect.error": {"en": "the import stops", "fr": "l’import s’arrête"},
        "columns.effect.kept": {"en": "kept as they are", "fr": "gardées telles quelles"},
        "columns.effect.ignored": {"en": "no effect", "fr": "sans effet"},
        "columns.effect.no_service": {"en": "no service", "fr": "sans service"},
        "columns.effect.unreadable": {"en": "unreadable", "fr": "illisibles"},
        "columns.missing": {
            "en": "{field}: no column found (expected one of {candidates})",
            "fr": "{field} : aucune colonne trouvée (attendu l’une de {candidates})",
        },
    }
)


@dataclass(frozen=True)
class ColumnView:
    """One source column: the field it feeds (``""`` when unused), counts,
    the first distinct values, and the values not understood with their
    counts and what happens to them (``error``, ``kept``, ``ignored``,
    ``no_service``, ``unreadable``)."""

    column: str
    field: str
    filled: int
    distinct: int
    samples: list[str]
    unmapped: dict[str, int] = dataclasses.field(default_factory=dict)
    effect: str = ""


def canonical_mapping() -> Mapping:
    """The canonical ``tickets.csv`` seen as a mapping (each field its own column)."""
    columns: dict[str, tuple[str, ...]] = {n: (n,) for n in TICKET_COLUMNS if n != "state"}
    columns["status"] = ("state",)
    statuses = {
        "open": StatusRule("open"),
        "resolved": StatusRule("resolved"),
        "closed": StatusRule("closed"),
        "cancelled": StatusRule("closed", state="cancelled"),
        "merged": StatusRule("closed", state="merged"),
    }
    return Mapping(name="canonical", layout="tickets", columns=columns, statuses=statuses)


def _unmapped(
    name: str, counts: Counter[str], mapping: Mapping, values: Sequence[str]
) -> tuple[dict[str, int], str]:
    """Values of a field the mapping does not understand, and their effect."""
    known: set[str] | None = None
    effect = "kept"
    if name in ("status", "activity") and mapping.statuses:
        known = set(mapping.statuses) | set(mapping.ignore_statuses)
        effect = "error"
    elif name in mapping.values:
        known = set(mapping.values[name])
        effect = "error" if name in mapping.strict else "kept"
    elif name == "category" and "service" in mapping.values and "service" not in mapping.columns:
        known = set(mapping.values["service"])
        effect = "no_service"
    elif name in mapping.verdicts:
        rule = mapping.verdicts[name]
        known = set(rule.true | rule.false)
        effect = "error"
    if known is not None:
        bad = {v: c for v, c in counts.items() if normalize(v) not in known}
        return bad, effect if bad else ""
    if name in _INSTANTS:
        fmt = mapping.resolve_format(values)
        parsed = parse_instants(list(counts), fmt, "UTC", ignore_offsets=True)
        bad = {list(counts)[i]: counts[list(counts)[i]] for i in parsed.invalid.tolist()}
        return bad, "unreadable" if bad else ""
    if name == "waiting_seconds":
        unit = mapping.durations.get(name, "seconds")
        bad = {v: c for v, c in counts.items() if parse_duration(v, unit) is None}
        return bad, "unreadable" if bad else ""
    return {}, ""


def describe_columns(
    paths: Sequence[str | Path], mapping: Mapping, samples: int = SAMPLES
) -> tuple[list[ColumnView], list[str]]:
    """Every column of the exports (first file's order, then new ones), and
    the required fields that no column feeds.  Values of unused columns
    (descriptions...) and requesters are counted, never shown."""
    counts: dict[str, Counter[str]] = {}
    fields: dict[str, str] = {}
    missing: list[str] = []
    required = ("id", "created_at") if mapping.layout == "tickets" else ("id", "activity", "at")
    for path in paths:
        problems = Problems()
        reader = open_table(path, problems, encoding=mapping.encoding, delimiter=mapping.delimiter)
        trial = Problems()
        resolved = resolve_columns(reader, mapping, trial, (*required, "kind", "priority"))
        missing.extend(p.params["field"] for p in trial.listed if p.params["field"] not in missing)
        for name, (_, header) in resolved.items():
            fields.setdefault(header, name)
        for header in reader.header:
            if header:
                counts.setdefault(header, Counter())
        for _, columns in reader.chunks(problems):
            for header, values in zip(reader.header, columns, strict=True):
                if header:
                    counts[header].update(
                        v.strip() for v in values if v.strip() and v.strip() not in mapping.missing
                    )
    views = []
    for header, counter in counts.items():
        name = fields.get(header, "")
        shown = bool(name) and name not in _HIDDEN
        bad, effect = _unmapped(name, counter, mapping, list(counter)) if name else ({}, "")
        if mapping.name == "canonical" and name == "status":
            name = "state"
        views.append(
            ColumnView(
                column=header,
                field=name,
                filled=sum(counter.values()),
                distinct=len(counter),
                samples=[v for v, _ in counter.most_common(samples)] if shown else [],
                unmapped=dict(sorted(bad.items(), key=lambda item: (-item[1], item[0]))),
                effect=effect,
            )
        )
    return views, [m for m in missing if m not in fields.values()]


def columns_json(views: list[ColumnView], missing: list[str]) -> dict[str, Any]:
    """The views as plain data."""
    return {"columns": [asdict(v) for v in views], "missing_fields": missing}


def render_columns(views: list[ColumnView], missing: list[str], mapping: Mapping, lang: str) -> str:
    """The views as text in ``lang``; values not understood are marked ``!``."""
    lines = [i18n.t("columns.heading", lang)]
    for view in views:
        shown = ", ".join(f"\u201c{v}\u201d" for v in view.samples) or "-"
        line = i18n.t(
            "columns.line",
            lang,
            column=view.column,
            field=view.field or i18n.t("columns.unused", lang),
            filled=i18n.fmt_number(view.filled, lang),
            distinct=i18n.fmt_number(view.distinct, lang),
            samples=shown,
        )
        lines.append(("! " if view.unmapped else "  ") + line)
        if view.unmapped:
            values = ", ".join(
                f"\u201c{v}\u201d \u00d7{i18n.fmt_number(c, lang)}"
                for v, c in list(view.unmapped.items())[:20]
            )
            effect = i18n.t(f"columns.effect.{view.effect}", lang)
            lines.append(i18n.t("columns.unmapped", lang, effect=effect, values=values))
    for name in missing:
        candidates = ", ".join(mapping.columns.get(name, ("-",)))
        lines.append("! " + i18n.t("columns.missing", lang, field=name, candidates=candidates))
    return "\n".join(lines)
