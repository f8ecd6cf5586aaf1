"""Mappings: how a provider's export becomes canonical tickets and events.

A mapping is a small YAML (or JSON) file, saved once per provider and reused
every month.  The presets shipped in ``pilotage/ingest/presets/`` are mappings
too; a user's mapping may start from one with ``extends: <preset>`` and
override any key.  Keys (all optional except ``layout`` and the columns a
layout needs)::

    layout: tickets          # one row per ticket, or "activities": one row per
                             # activity or status change of a ticket (event log)
    date_format: iso         # iso | dmy | dmy_dash | ymd_slash, or auto: the first
                             # that reads every sampled value
    timezone: Europe/Paris   # the source's timezone for naive times
    offsets: honour          # or "ignore": the stamps' offsets are wrong, read
                             # their wall time in ``timezone``
    encoding: auto           # or utf-8, cp1252...
    delimiter: auto          # or ";", ","...
    missing: ["", "?"]       # cells meaning "unknown"
    columns:                 # canonical field -> source column (or candidates,
      id: [ID, Référence]    # the first present wins)
    statuses:                # source status -> canonical status
      "En attente": {status: paused, pause_reason: waiting_customer}
      Clos: closed           # short form
      Annulé: {status: closed, state: cancelled}
    ignore_statuses: [...]   # activities that do not change the status
    first_response: [...]    # activities (or statuses) that are a first response
    values:                  # value maps per field; ``category`` values may
      priority: {Haute: P2}  # also give the ``service`` (values.service)
    strict: [priority, kind] # fields whose unmapped values are errors
    defaults: {kind: incident}
    durations: {waiting_seconds: text}   # seconds | hours | minutes | text
    verdicts:                # provider_* columns: which cells mean met / not met
      provider_resolution_met: {true: [Non, "No"], false: [Oui, "Yes"]}

Status and value keys match without regard to case, accents kept, and
repeated blanks.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import json
import re
from collections.abc import Mapping as AbcMapping
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from pilotage import i18n
from pilotage.errors import ImportDataError, Location
from pilotage.tables import EVENT_STATUSES, STATES
from pilotage.timeutil import FORMATS, check_timezone, detect_format

__all__ = [
    "LAYOUTS",
    "Mapping",
    "StatusRule",
    "VerdictRule",
    "load_mapping",
    "normalize",
    "preset_names",
]

LAYOUTS: Final = ("tickets", "activities")
FIELDS: Final = (
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
    "status",
    "parent_id",
    "waiting_seconds",
    "provider_sla_met",
    "provider_response_met",
    "provider_resolution_met",
    "activity",
    "at",
)
_KEYS: Final = {
    "name",
    "description",
    "extends",
    "layout",
    "date_format",
    "timezone",
    "offsets",
    "encoding",
    "delimiter",
    "missing",
    "columns",
    "statuses",
    "ignore_statuses",
    "first_response",
    "values",
    "strict",
    "defaults",
    "durations",
    "verdicts",
}
DURATION_UNITS: Final = ("seconds", "minutes", "hours", "text")

i18n.register(
    {
        "ingest.mapping_invalid": {
            "en": "invalid mapping: {reason}",
            "fr": "correspondance invalide : {reason}",
        },
        "ingest.mapping_unknown": {
            "en": "no preset or mapping file named {name} (presets: {presets})",
            "fr": "aucun préréglage ni fichier de correspondance nommé {name} "
            "(préréglages : {presets})",
        },
    }
)

_SPACES = re.compile(r"\s+")


def normalize(value: str) -> str:
    """The key a value is matched by: case-folded, blanks collapsed."""
    return _SPACES.sub(" ", value.strip()).casefold()


@dataclass(frozen=True)
class StatusRule:
    """What a source status (or activity) means."""

    status: str
    pause_reason: str = ""
    state: str = ""


@dataclass(frozen=True)
class VerdictRule:
    """Source cells meaning the provider's target was met / missed."""

    true: frozenset[str]
    false: frozenset[str]


@dataclass(frozen=True)
class Mapping:
    """A parsed, checked mapping (see the module docstring for the format)."""

    name: str
    layout: str
    columns: dict[str, tuple[str, ...]]
    date_format: str = "iso"
    timezone: str | None = None
    offsets: str = "honour"
    encoding: str | None = None
    delimiter: str | None = None
    missing: frozenset[str] = frozenset({""})
    statuses: dict[str, StatusRule] = field(default_factory=dict)
    ignore_statuses: frozenset[str] = frozenset()
    first_response: frozenset[str] = frozenset()
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    strict: frozenset[str] = frozenset()
    defaults: dict[str, str] = field(default_factory=dict)
    durations: dict[str, str] = field(default_factory=dict)
    verdicts: dict[str, VerdictRule] = field(default_factory=dict)

    def resolve_format(self, values: Sequence[str]) -> str:
        """The date format to read ``values`` with (``auto`` decided on a sample;
        ISO when nothing fits, so that the errors show the expected form)."""
        if self.date_format != "auto":
            return self.date_format
        return detect_format(values) or "iso"

    def with_timezone(self, timezone: str | None) -> Mapping:
        """A copy reading naive times in ``timezone`` (when given)."""
        return self if timezone is None else dataclasses.replace(self, timezone=timezone)


def _invalid(reason: str, source: str, key: str | None = None) -> ImportDataError:
    return ImportDataError(
        "ingest.mapping_invalid", {"reason": reason}, Location(file=source, column=key)
    )


def _strings(value: Any, source: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Sequence) and all(isinstance(v, str | int) for v in value):
        return tuple(str(v) for v in value)
    raise _invalid("expected a text or a list of texts", source, key)


def _status_rule(value: Any, source: str, key: str) -> StatusRule:
    if isinstance(value, str):
        value = {"status": value}
    if not isinstance(value, AbcMapping) or set(value) - {"status", "pause_reason", "state"}:
        raise _invalid("expected a status or {status, pause_reason, state}", source, key)
    rule = StatusRule(
        str(value.get("status", "")),
        str(value.get("pause_reason") or ""),
        str(value.get("state") or ""),
    )
    if rule.status not in EVENT_STATUSES:
        raise _invalid(f"status must be one of {', '.join(EVENT_STATUSES)}", source, key)
    if rule.state and rule.state not in STATES:
        raise _invalid(f"state must be one of {', '.join(STATES)}", source, key)
    if rule.pause_reason and rule.status != "paused":
        raise _invalid("a pause_reason needs status: paused", source, key)
    return rule


def parse_mapping(data: AbcMapping[str, Any], source: str) -> Mapping:
    """Check a mapping's content (already merged with what it extends)."""
    unknown = set(data) - _KEYS
    if unknown:
        raise _invalid(f"unknown key(s) {', '.join(sorted(unknown))}", source)
    layout = data.get("layout")
    if layout not in LAYOUTS:
        raise _invalid(f"layout must be one of {', '.join(LAYOUTS)}", source, "layout")
    columns: dict[str, tuple[str, ...]] = {}
    for key, value in dict(data.get("columns") or {}).items():
        if key not in FIELDS:
            raise _invalid(f"unknown field {key}", source, f"columns.{key}")
        columns[key] = _strings(value, source, f"columns.{key}")
    needed = ("id", "created_at") if layout == "tickets" else ("id", "activity", "at")
    for key in needed:
        if key not in columns:
            raise _invalid(f"columns.{key} is required", source, "columns")
    date_format = str(data.get("date_format", "iso"))
    if date_format not in (*FORMATS, "auto"):
        raise _invalid(
            f"date_format must be auto or one of {', '.join(FORMATS)}", source, "date_format"
        )
    timezone = data.get("timezone")
    if timezone is not None:
        try:
            check_timezone(str(timezone))
        except ValueError as exc:
            raise _invalid(str(exc), source, "timezone") from exc
    offsets = str(data.get("offsets", "honour"))
    if offsets not in ("honour", "ignore"):
        raise _invalid("offsets must be honour or ignore", source, "offsets")
    statuses = {
        normalize(str(k)): _status_rule(v, source, f"statuses.{k}")
        for k, v in dict(data.get("statuses") or {}).items()
    }
    values: dict[str, dict[str, str]] = {}
    for key, table in dict(data.get("values") or {}).items():
        if key not in FIELDS or not isinstance(table, AbcMapping):
            raise _invalid("expected field: {source value: value}", source, f"values.{key}")
        values[key] = {normalize(str(k)): str(v) for k, v in table.items()}
    durations = {str(k): str(v) for k, v in dict(data.get("durations") or {}).items()}
    for key, unit in durations.items():
        if unit not in DURATION_UNITS:
            raise _invalid(
                f"unit must be one of {', '.join(DURATION_UNITS)}", source, f"durations.{key}"
            )
    verdicts: dict[str, VerdictRule] = {}
    for key, rule in dict(data.get("verdicts") or {}).items():
        if not key.startswith("provider_") or not isinstance(rule, AbcMapping):
            raise _invalid("expected provider_*: {true: [...], false: [...]}", source, key)
        verdicts[key] = VerdictRule(
            frozenset(
                normalize(v) for v in _strings(rule.get(True, rule.get("true", [])), source, key)
            ),
            frozenset(
                normalize(v) for v in _strings(rule.get(False, rule.get("false", [])), source, key)
            ),
        )
    encoding = data.get("encoding")
    delimiter = data.get("delimiter")
    return Mapping(
        name=str(data.get("name", source)),
        layout=str(layout),
        columns=columns,
        date_format=date_format,
        timezone=None if timezone is None else str(timezone),
        offsets=offsets,
        encoding=None if encoding in (None, "auto") else str(encoding),
        delimiter=None if delimiter in (None, "auto") else str(delimiter),
        missing=frozenset(_strings(data.get("missing", [""]), source, "missing")) | {""},
        statuses=statuses,
        ignore_statuses=frozenset(
            normalize(s) for s in _strings(data.get("ignore_statuses", []), source, "ignore")
        ),
        first_response=frozenset(
            normalize(s) for s in _strings(data.get("first_response", []), source, "first")
        ),
        values=values,
        strict=frozenset(_strings(data.get("strict", []), source, "strict")),
        defaults={str(k): str(v) for k, v in dict(data.get("defaults") or {}).items()},
        durations=durations,
        verdicts=verdicts,
    )


def preset_names() -> list[str]:
    """Names of the presets shipped with Pilotage."""
    folder = importlib.resources.files("pilotage.ingest.presets")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _read_document(text: str, source: str) -> dict[str, Any]:
    try:
        if source.endswith(".json"):
            data = json.loads(text)
        else:
            data = YAML(typ="safe", pure=True).load(text)
    except (YAMLError, json.JSONDecodeError) as exc:
        raise _invalid(str(exc).splitlines()[0], source) from exc
    if not isinstance(data, dict):
        raise _invalid("expected a mapping at the top level", source)
    return data


def _merge(base: dict[str, Any], override: AbcMapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, AbcMapping) and isinstance(out.get(key), AbcMapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def _raw(name_or_path: str, depth: int = 0) -> tuple[dict[str, Any], str]:
    if depth > 5:
        raise _invalid("extends nests too deeply", name_or_path, "extends")
    path = Path(name_or_path)
    if name_or_path in preset_names():
        resource = importlib.resources.files("pilotage.ingest.presets").joinpath(
            f"{name_or_path}.yaml"
        )
        source = f"{name_or_path}.yaml"
        data = _read_document(resource.read_text(encoding="utf-8"), source)
    elif path.is_file():
        source = str(path)
        data = _read_document(path.read_text(encoding="utf-8-sig"), source)
    else:
        raise ImportDataError(
            "ingest.mapping_unknown",
            {"name": name_or_path, "presets": ", ".join(preset_names())},
        )
    parent = data.pop("extends", None)
    if parent is not None:
        base, _ = _raw(str(parent), depth + 1)
        base.pop("name", None)
        data = _merge(base, data)
    data.setdefault("name", Path(source).stem)
    return data, source


def load_mapping(name_or_path: str) -> Mapping:
    """A preset by name (``glpi``, ``bpic2014``...) or a mapping file (YAML/JSON)."""
    data, source = _raw(name_or_path)
    return parse_mapping(data, source)
