"""Load a contract file (format version 1) into typed, versioned terms.

The file is YAML 1.2 (``NO`` is a string, ``2026-01-01`` a date, times of day
are strings).  It is checked against the published schema
(``schema.json``), then by the rules the schema cannot express (references
between sections, unique ids, calendars that build, amendment paths).  Every
problem of the file is collected, each with its line, column and value, and
raised at once as one :class:`ContractErrors` (a :class:`ContractError` whose
``errors`` lists them, in file order).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import itertools
import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema
from jsonschema.exceptions import ValidationError, best_match
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from pilotage import i18n
from pilotage.contract.amendments import (
    Amendment,
    Pos,
    apply_amendment,
    error_at,
    locate,
    show_value,
    suggest,
)
from pilotage.contract.model import (
    Applicability,
    BackupSchedule,
    Band,
    Cap,
    Contract,
    ContractVersion,
    Duration,
    MaintenanceExclusion,
    Measurement,
    OutageRule,
    PenaltyRules,
    PenaltyTerms,
    Service,
    ServiceLevel,
    Terms,
)
from pilotage.contract.units import parse_amount, parse_days, parse_duration, parse_percent
from pilotage.engine.calendar import Calendar
from pilotage.errors import ContractError, EngineError, Location

__all__ = [
    "ContractErrors",
    "build_terms",
    "canonical_json",
    "document_hash",
    "dump_contract",
    "load_contract",
    "read_document",
    "read_located",
    "schema",
]

_TYPES = {
    "string": ("a text", "un texte"),
    "number": ("a number", "un nombre"),
    "integer": ("a whole number", "un nombre entier"),
    "boolean": ("true or false", "true ou false"),
    "array": ("a list", "une liste"),
    "object": ("a mapping of keys", "une table de clés"),
}
_FORMATS: dict[str, tuple[str, str, str]] = {
    # schema title: (code, English expectation, French expectation)
    "percent": (
        "bad_percent",
        "a percentage such as 95% or 0.5%",
        "un pourcentage comme 95% ou 0.5%",
    ),
    "duration": (
        "bad_duration",
        "a duration with its unit (30min, 4h, 3d, 5bd or 3mo)",
        "une durée avec son unité (30min, 4h, 3d, 5bd ou 3mo)",
    ),
    "amount": (
        "bad_amount",
        "an amount as a plain number, such as 4800 or 85.50",
        "un montant écrit comme un nombre, par exemple 4800 ou 85.50",
    ),
    "amount_or_percent": (
        "bad_amount_or_percent",
        "an amount (1500) or a percentage (5%)",
        "un montant (1500) ou un pourcentage (5%)",
    ),
    "date": ("bad_date", "a date written YYYY-MM-DD", "une date écrite AAAA-MM-JJ"),
    "month": ("bad_month", "a month written YYYY-MM", "un mois écrit AAAA-MM"),
    "id": (
        "bad_id",
        "an identifier made of letters, digits, '-' and '_'",
        "un identifiant fait de lettres, chiffres, « - » et « _ »",
    ),
    "time": (
        "bad_time",
        'a quoted time of day such as "22:00"',
        "une heure entre guillemets comme « 22:00 »",
    ),
    "time_range": (
        "bad_time_range",
        'quoted opening hours such as "08:00-12:30"',
        "des horaires entre guillemets comme « 08:00-12:30 »",
    ),
    "days": (
        "bad_days",
        "days such as mon, mon-fri or sat,sun",
        "des jours comme mon, mon-fri ou sat,sun",
    ),
    "period": (
        "bad_period",
        'a day (2026-12-24) or a period ("2026-12-24 14:00/2026-12-24 18:00")',
        "un jour (2026-12-24) ou une période (« 2026-12-24 14:00/2026-12-24 18:00 »)",
    ),
    "hours": (
        "bad_hours",
        '"24x7" or days (mon-fri) with their opening hours',
        "« 24x7 » ou des jours (mon-fri) avec leurs horaires",
    ),
    "path": (
        "bad_path",
        "a dotted path such as service_levels.p1-resolution.target",
        "un chemin pointé comme service_levels.p1-resolution.target",
    ),
}

_MESSAGES: dict[str, dict[str, str]] = {
    "contract.invalid": {
        "en": "{file}: {count} error(s) in the contract",
        "fr": "{file} : {count} erreur(s) dans le contrat",
    },
    "contract.unreadable": {
        "en": "cannot read the contract file: {reason}",
        "fr": "impossible de lire le fichier du contrat : {reason}",
    },
    "contract.yaml_syntax": {
        "en": "this is not valid YAML: {problem}",
        "fr": "ce n’est pas du YAML valide : {problem}",
    },
    "contract.duplicate_key": {
        "en": 'the key "{key}" appears twice in the same mapping',
        "fr": "la clé « {key} » apparaît deux fois dans la même table",
    },
    "contract.not_a_mapping": {
        "en": "the contract must be a mapping of keys (pilotage: 1, contract: ...)",
        "fr": "le contrat doit être une table de clés (pilotage: 1, contract: ...)",
    },
    "contract.key_not_text": {
        "en": "a key must be a text; quote it",
        "fr": "une clé doit être un texte ; mettez-la entre guillemets",
    },
    "contract.unknown_key": {
        "en": 'unknown key "{key}" in {parent}; expected one of its keys or an extension '
        'starting with "x-"',
        "fr": "clé « {key} » inconnue dans {parent} ; une de ses clés ou une extension "
        "commençant par « x- » est attendue",
    },
    "contract.unknown_key_suggest": {
        "en": 'unknown key "{key}" in {parent}; did you mean "{suggestion}"?',
        "fr": "clé « {key} » inconnue dans {parent} ; vouliez-vous dire « {suggestion} » ?",
    },
    "contract.unknown_top_key": {
        "en": 'unknown top-level key "{key}"; expected a section of the format or an '
        'extension starting with "x-"',
        "fr": "clé de premier niveau « {key} » inconnue ; une section du format ou une "
        "extension commençant par « x- » est attendue",
    },
    "contract.unknown_top_key_suggest": {
        "en": 'unknown top-level key "{key}"; did you mean "{suggestion}"?',
        "fr": "clé de premier niveau « {key} » inconnue ; vouliez-vous dire « {suggestion} » ?",
    },
    "contract.bad_day": {
        "en": 'unknown day "{key}": expected mon, tue, wed, thu, fri, sat, sun or a range '
        "such as mon-fri",
        "fr": "jour « {key} » inconnu : mon, tue, wed, thu, fri, sat, sun ou une plage "
        "comme mon-fri est attendu",
    },
    "contract.missing_key": {
        "en": 'the key "{key}" is missing in {parent}',
        "fr": "la clé « {key} » manque dans {parent}",
    },
    "contract.metric_requires": {
        "en": 'a {metric} service level needs "{key}"; it is never given a default',
        "fr": "un niveau de service {metric} exige « {key} » ; aucune valeur par défaut "
        "n’est prise",
    },
    "contract.bad_choice": {
        "en": "expected one of: {choices}",
        "fr": "une de ces valeurs est attendue : {choices}",
    },
    "contract.bad_version": {
        "en": "unsupported format version; expected pilotage: 1",
        "fr": "version de format non prise en charge ; pilotage: 1 est attendu",
    },
    "contract.too_small": {
        "en": "expected at least {minimum}",
        "fr": "une valeur d’au moins {minimum} est attendue",
    },
    "contract.empty_list": {
        "en": "expected at least {minimum} item(s)",
        "fr": "au moins {minimum} élément(s) attendu(s)",
    },
    "contract.bad_value": {
        "en": "invalid value ({detail})",
        "fr": "valeur invalide ({detail})",
    },
    "contract.duplicate_id": {
        "en": 'the id "{id}" is already used line {first_line}',
        "fr": "l’identifiant « {id} » est déjà utilisé ligne {first_line}",
    },
    "contract.unknown_calendar": {
        "en": 'unknown calendar "{name}"; defined: {choices}',
        "fr": "calendrier « {name} » inconnu ; définis : {choices}",
    },
    "contract.unknown_calendar_suggest": {
        "en": 'unknown calendar "{name}"; did you mean "{suggestion}"?',
        "fr": "calendrier « {name} » inconnu ; vouliez-vous dire « {suggestion} » ?",
    },
    "contract.unknown_service": {
        "en": 'unknown service "{name}"; defined in services: {choices}',
        "fr": "service « {name} » inconnu ; définis dans services : {choices}",
    },
    "contract.unknown_service_suggest": {
        "en": 'unknown service "{name}"; did you mean "{suggestion}"?',
        "fr": "service « {name} » inconnu ; vouliez-vous dire « {suggestion} » ?",
    },
    "contract.unknown_priority": {
        "en": 'unknown priority "{name}"; defined in priorities.levels: {choices}',
        "fr": "priorité « {name} » inconnue ; définies dans priorities.levels : {choices}",
    },
    "contract.unknown_priority_suggest": {
        "en": 'unknown priority "{name}"; did you mean "{suggestion}"?',
        "fr": "priorité « {name} » inconnue ; vouliez-vous dire « {suggestion} » ?",
    },
    "contract.bad_timezone": {
        "en": 'unknown timezone "{timezone}"; expected an IANA name such as Europe/Paris',
        "fr": "fuseau horaire « {timezone} » inconnu ; un nom IANA comme Europe/Paris est attendu",
    },
    "contract.bad_calendar": {
        "en": 'calendar "{name}" cannot be built: {reason}',
        "fr": "le calendrier « {name} » ne peut pas être construit : {reason}",
    },
    "contract.amendment_before_start": {
        "en": "amendment {id} takes effect on {effective}, before the contract itself ({start})",
        "fr": "l’avenant {id} prend effet le {effective}, avant le contrat lui-même ({start})",
    },
}
for _type, (_en, _fr) in _TYPES.items():
    _MESSAGES[f"contract.bad_type_{_type}"] = {"en": f"expected {_en}", "fr": f"{_fr} est attendu"}
_MESSAGES["contract.bad_type_array"]["fr"] = "une liste est attendue"
_MESSAGES["contract.bad_type_object"]["fr"] = "une table de clés est attendue"
for _title, (_code, _en, _fr) in _FORMATS.items():
    _MESSAGES[f"contract.{_code}"] = {"en": f"expected {_en}", "fr": f"valeur attendue : {_fr}"}
i18n.register(_MESSAGES)


class ContractErrors(ContractError):
    """Every problem found in one contract file; ``errors`` lists them in file order.

    Its own message is the count; :meth:`message` adds one line per error.
    """

    def __init__(self, errors: Sequence[ContractError], file: str) -> None:
        super().__init__("contract.invalid", {"file": file, "count": len(errors)}, None)
        self.errors: tuple[ContractError, ...] = tuple(errors)

    def message(self, lang: str = "en") -> str:
        """The count, then each error on its own line."""
        lines = [super().message(lang)]
        lines.extend(f"  {error.message(lang)}" for error in self.errors)
        return "\n".join(lines)


# --------------------------------------------------------------------------- reading


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    yaml.Constructor = _Constructor
    return yaml


def _source(path_or_text: str | os.PathLike[str], source_name: str | None) -> tuple[str, str]:
    """The text and the name to show in errors.

    A path-like object is a file; a ``str`` is the text itself when it holds a
    line break, else the path of a file.
    """
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return path_or_text, source_name or "<contract>"
    path = Path(path_or_text)
    name = source_name or str(path_or_text)
    try:
        return path.read_text(encoding="utf-8"), name
    except (OSError, UnicodeDecodeError) as error:
        raise ContractErrors(
            [ContractError("contract.unreadable", {"reason": str(error)}, Location(file=name))],
            name,
        ) from error


def _plain_scalar(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        number = float(value)
        return Decimal(repr(number)) if math.isfinite(number) else repr(number)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    return str(value)


def _convert(node: Any, pos: Pos, file: str, errors: list[ContractError]) -> tuple[Any, Pos]:
    """Plain data from ruamel's round-trip nodes, with the positions of everything."""
    if isinstance(node, CommentedMap):
        data: dict[str, Any] = {}
        items: dict[str, Pos] = {}
        for key, value in node.items():
            # keys brought by a merge (<<: *anchor) have no position of their own
            kline, kcol, vline, vcol = node.lc.data.get(key, [pos.line - 1, pos.column - 1] * 2)
            child = Pos(vline + 1, vcol + 1, kline + 1, kcol + 1)
            if not isinstance(key, str):
                errors.append(
                    error_at("contract.key_not_text", file, child, value=key, on_key=True)
                )
            data[str(key)], items[str(key)] = _convert(value, child, file, errors)
        pos.items = items
        return data, pos
    if isinstance(node, CommentedSeq):
        seq: list[Any] = []
        seq_pos: list[Pos] = []
        for index, value in enumerate(node):
            line, col = node.lc.data[index]
            plain, child = _convert(value, Pos(line + 1, col + 1), file, errors)
            seq.append(plain)
            seq_pos.append(child)
        pos.items = seq_pos
        return seq, pos
    return _plain_scalar(node), pos


def _parse(text: str, file: str) -> tuple[Any, Pos, list[ContractError]]:
    try:
        node = _yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        if type(error).__name__ == "DuplicateKeyError":
            key = re.search(r'found duplicate key "(.*?)"', str(error))
            code, params = "contract.duplicate_key", {"key": key.group(1) if key else "?"}
        else:
            code, params = "contract.yaml_syntax", {"problem": error.problem or str(error)}
        raise ContractErrors(
            [ContractError(code, params, Location(file=file, line=line, column=column))], file
        ) from error
    errors: list[ContractError] = []
    data, pos = _convert(node, Pos(1, 1), file, errors)
    return data, pos, errors


def read_located(
    path_or_text: str | os.PathLike[str], *, source_name: str | None = None
) -> tuple[dict[str, Any], Pos]:
    """The file as plain data with the position of every value (amendments not
    applied, not validated)."""
    text, name = _source(path_or_text, source_name)
    data, pos, errors = _parse(text, name)
    if errors:
        raise ContractErrors(errors, name)
    if not isinstance(data, dict):
        raise ContractErrors(
            [ContractError("contract.not_a_mapping", {}, Location(file=name, line=1, column=1))],
            name,
        )
    return data, pos


def read_document(
    path_or_text: str | os.PathLike[str], *, source_name: str | None = None
) -> dict[str, Any]:
    """The file as plain data (amendments not applied), without validating it."""
    return read_located(path_or_text, source_name=source_name)[0]


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that keeps an impossible date (2026-02-30) as text.

    The loader then reports it with its position instead of failing the whole file.
    """

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)

_FLOW_WIDTH = 72
_QUOTE = re.compile(r"""[:,;'"#{}\[\]]|^[-?!&*|>%@`\s]|\s$|^[0-9]{4}-[0-9]{2}$|\s.{30}""")
"""Text written quoted: times, YAML indicators, edge spaces, months and long prose."""


def _to_yaml_node(value: Any) -> Any:
    """ruamel nodes for plain data: flow style for mappings and lists of scalars only."""
    if isinstance(value, Mapping):
        node: CommentedMap | CommentedSeq = CommentedMap(
            (_to_yaml_node(str(k)), _to_yaml_node(v)) for k, v in value.items()
        )
        children: Any = value.values()
    elif isinstance(value, list | tuple):
        node = CommentedSeq(_to_yaml_node(v) for v in value)
        children = value
    elif isinstance(value, str) and _QUOTE.search(value):
        return DoubleQuotedScalarString(value)
    else:
        return value
    scalars = [v for v in children if not isinstance(v, Mapping | list | tuple)]
    text = sum(len(str(v)) + 4 for v in scalars) + sum(len(str(k)) + 2 for k in node)
    if len(scalars) == len(node) and text <= _FLOW_WIDTH:
        node.fa.set_flow_style()
    return node


def _represent_decimal(representer: Any, value: Decimal) -> Any:
    text = str(value)
    if "." not in text and "E" not in text:
        text += ".0"
    return representer.represent_scalar("tag:yaml.org,2002:float", text)


def dump_contract(document: Mapping[str, Any]) -> str:
    """A contract document (plain data) as YAML 1.2 text that loads back to the same data."""
    yaml = _yaml()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Decimal, _represent_decimal)
    out = io.StringIO()
    yaml.dump(_to_yaml_node(document), out)
    return out.getvalue()


# --------------------------------------------------------------------------- schema


@cache
def schema() -> dict[str, Any]:
    """The published JSON Schema of format version 1."""
    text = resources.files("pilotage.contract").joinpath("schema.json").read_text("utf-8")
    return cast(dict[str, Any], json.loads(text))


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def _json_view(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_view(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_view(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _display_path(doc: Any, path: Sequence[str | int]) -> str:
    """A dotted path naming list items by their id: ``service_levels.p1-response``."""
    parts: list[str] = []
    node = doc
    for segment in path:
        if isinstance(segment, int) and isinstance(node, list) and segment < len(node):
            item = node[segment]
            has_id = isinstance(item, dict) and isinstance(item.get("id"), str)
            parts.append(item["id"] if has_id else str(segment))
            node = item
        else:
            parts.append(str(segment))
            node = node.get(segment) if isinstance(node, dict) else None
    return ".".join(parts) if parts else "(root)"


_SHAPE_MISMATCH = ("type", "const", "enum", "pattern")
"""Errors of an anyOf branch meaning "not this kind of value" rather than "wrong in it"."""


def _schema_error(error: ValidationError, doc: Any, pos: Pos, file: str) -> list[ContractError]:
    path = list(error.absolute_path)
    here = locate(pos, path)
    sub = error.schema if isinstance(error.schema, dict) else {}
    title = sub.get("title")
    validator = error.validator
    if "propertyNames" in error.relative_schema_path:
        key = str(error.instance)
        code = _FORMATS.get(str(title), ("bad_id", "", ""))[0]
        return [
            error_at(f"contract.{code}", file, locate(pos, [*path, key]), value=key, on_key=True)
        ]
    if validator in ("anyOf", "oneOf") and error.context:
        deeper = [e for e in error.context if len(e.absolute_path) > len(path)]
        shaped = [e for e in error.context if e.validator not in _SHAPE_MISMATCH]
        if deeper or shaped or title not in _FORMATS:
            return _schema_error(best_match(deeper or shaped or error.context), doc, pos, file)
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        known = list(sub.get("properties", {}))
        patterns = list(sub.get("patternProperties", {}))
        found: list[ContractError] = []
        for key in error.instance:
            if key in known or any(re.search(p, key) for p in patterns):
                continue
            key_pos = locate(pos, [*path, key])
            if title == "weekly_hours":
                found.append(
                    error_at("contract.bad_day", file, key_pos, value=key, on_key=True, key=key)
                )
                continue
            hint = suggest(key, known)
            extra = {"suggestion": hint} if hint else {}
            code = "contract.unknown_key" if path else "contract.unknown_top_key"
            found.append(
                error_at(
                    code + ("_suggest" if hint else ""),
                    file,
                    key_pos,
                    value=key,
                    on_key=True,
                    key=key,
                    parent=_display_path(doc, path),
                    **extra,
                )
            )
        return found
    if validator == "required" and isinstance(error.instance, dict):
        missing = [k for k in cast(list[str], error.validator_value) if k not in error.instance]
        if "then" in error.absolute_schema_path:
            metric = str(error.instance.get("metric"))
            return [
                error_at("contract.metric_requires", file, here, on_key=True, key=k, metric=metric)
                for k in missing
            ]
        return [
            error_at(
                "contract.missing_key",
                file,
                here,
                on_key=True,
                key=k,
                parent=_display_path(doc, path),
            )
            for k in missing
        ]
    value = error.instance
    if title in _FORMATS:
        return [error_at(f"contract.{_FORMATS[str(title)][0]}", file, here, value=value)]
    if validator == "enum":
        choices = ", ".join(str(c) for c in cast(list[Any], error.validator_value))
        return [error_at("contract.bad_choice", file, here, value=value, choices=choices)]
    if validator == "const":
        if path == ["pilotage"]:
            return [error_at("contract.bad_version", file, here, value=value)]
        return [
            error_at(
                "contract.bad_choice", file, here, value=value, choices=str(error.validator_value)
            )
        ]
    if validator == "type":
        kind = error.validator_value
        kind = kind[0] if isinstance(kind, list) else kind
        return [error_at(f"contract.bad_type_{kind}", file, here, value=value)]
    if validator == "minimum":
        return [
            error_at("contract.too_small", file, here, value=value, minimum=error.validator_value)
        ]
    if validator == "minItems":
        return [error_at("contract.empty_list", file, here, minimum=error.validator_value)]
    return [error_at("contract.bad_value", file, here, value=value, detail=error.message)]


def _schema_errors(
    doc: Any, pos: Pos, file: str, invalid: set[tuple[Any, ...]]
) -> list[ContractError]:
    """Schema errors; the paths of the invalid values are added to ``invalid``."""
    errors: list[ContractError] = []
    for error in _validator().iter_errors(_json_view(doc)):
        errors.extend(_schema_error(error, doc, pos, file))
        invalid.add(tuple(error.absolute_path))
    return errors


def _is_valid(invalid: set[tuple[Any, ...]], *prefix: Any) -> bool:
    """Whether no schema error was found at or under ``prefix``."""
    return not any(path[: len(prefix)] == prefix for path in invalid)


# --------------------------------------------------------------------------- semantics


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _names(value: Any) -> list[str]:
    return [k for k in _mapping(value) if not k.startswith("x-")]


_DATE_TEXT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _impossible_dates(value: Any, pos: Pos, file: str) -> list[ContractError]:
    """Dates written YYYY-MM-DD that do not exist (2026-02-30), wherever they are."""
    if isinstance(value, dict | list):
        keys = value.keys() if isinstance(value, dict) else range(len(value))
        found: list[ContractError] = []
        for key in keys:
            child = pos.child(key)
            if child is not None:
                found += _impossible_dates(value[key], child, file)
        return found
    if isinstance(value, str) and _DATE_TEXT.match(value) and _as_date(value) is None:
        return [error_at("contract.bad_date", file, pos, value=value)]
    return []


def _check_ref(
    kind: str, name: Any, choices: list[str], file: str, where: Pos
) -> list[ContractError]:
    if not isinstance(name, str) or name in choices:
        return []
    hint = suggest(name, choices)
    code = f"contract.unknown_{kind}" + ("_suggest" if hint else "")
    extra: dict[str, Any] = {"suggestion": hint} if hint else {"choices": ", ".join(choices) or "-"}
    return [error_at(code, file, where, value=name, name=name, **extra)]


def _check_timezone(value: Any, file: str, where: Pos) -> list[ContractError]:
    if not isinstance(value, str):
        return []
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return [error_at("contract.bad_timezone", file, where, value=value, timezone=value)]
    return []


def _semantic_errors(
    doc: dict[str, Any],
    pos: Pos,
    file: str,
    invalid: set[tuple[Any, ...]],
    built: set[str],
) -> list[ContractError]:
    """Rules the schema cannot express; written to run on any document shape.

    ``built`` holds the calendars (canonical JSON with their default timezone)
    already built without error for this file, so that versions sharing a
    calendar build it once.
    """
    errors: list[ContractError] = []
    contract = _mapping(doc.get("contract"))
    timezone = contract.get("timezone")
    errors += _check_timezone(timezone, file, locate(pos, ["contract", "timezone"]))
    errors += _impossible_dates(doc, pos, file)
    calendars = _mapping(doc.get("calendars"))
    calendar_names = _names(calendars)
    for name in calendar_names:
        spec = calendars[name]
        where = locate(pos, ["calendars", name])
        if not isinstance(spec, dict):
            continue
        tz_errors = _check_timezone(
            spec.get("timezone"), file, locate(pos, ["calendars", name, "timezone"])
        )
        errors += tz_errors
        if (
            tz_errors
            or not _is_valid(invalid, "calendars", name)
            or (spec.get("timezone") is None and not isinstance(timezone, str))
        ):
            continue
        key = canonical_json([spec, timezone])
        if key not in built:
            found = _calendar_errors(name, spec, timezone, file, where)
            errors += found
            if not found:
                built.add(key)
    services = _names(doc.get("services"))
    priorities = _names(_mapping(doc.get("priorities")).get("levels"))
    levels = doc.get("service_levels")
    seen: dict[str, int] = {}
    for index, level in enumerate(levels if isinstance(levels, list) else []):
        if not isinstance(level, dict):
            continue
        base: list[str | int] = ["service_levels", index]
        level_id = level.get("id")
        if isinstance(level_id, str):
            id_pos = locate(pos, [*base, "id"])
            if level_id in seen:
                errors.append(
                    error_at(
                        "contract.duplicate_id",
                        file,
                        id_pos,
                        value=level_id,
                        id=level_id,
                        first_line=seen[level_id],
                    )
                )
            else:
                seen[level_id] = id_pos.line
        errors += _check_ref(
            "calendar",
            level.get("calendar"),
            calendar_names,
            file,
            locate(pos, [*base, "calendar"]),
        )
        maintenance = _mapping(_mapping(level.get("exclusions")).get("maintenance"))
        errors += _check_ref(
            "calendar",
            maintenance.get("only_outside"),
            calendar_names,
            file,
            locate(pos, [*base, "exclusions", "maintenance", "only_outside"]),
        )
        applies = _mapping(level.get("applies_to"))
        for key, kind, choices in (
            ("service", "service", services),
            ("priority", "priority", priorities),
        ):
            names = applies.get(key)
            for i, name in enumerate(names if isinstance(names, list) else []):
                errors += _check_ref(
                    kind, name, choices, file, locate(pos, [*base, "applies_to", key, i])
                )
    return errors


def _without_extensions(value: Any) -> Any:
    """A copy of plain data without its ``x-`` keys (the engine never sees them)."""
    if isinstance(value, dict):
        return {
            k: _without_extensions(v)
            for k, v in value.items()
            if not (isinstance(k, str) and k.startswith("x-"))
        }
    if isinstance(value, list):
        return [_without_extensions(v) for v in value]
    return value


def _calendar_errors(
    name: str, spec: dict[str, Any], timezone: Any, file: str, where: Pos
) -> list[ContractError]:
    """Build the calendar with the engine; its error is placed on the value it names."""
    try:
        Calendar.from_spec(_without_extensions(spec), default_timezone=timezone)
    except EngineError as error:
        value = error.params.get("value", error.params.get("second"))
        found = _find_scalar(spec, where, value) if value is not None else None
        at = found or where
        shown = None if value is None else show_value(value)
        location = Location(file=file, line=at.line, column=at.column, value=shown)
        return [ContractError(error.code, dict(error.params), location)]
    except (ValueError, KeyError, TypeError) as error:
        return [error_at("contract.bad_calendar", file, where, name=name, reason=str(error))]
    return []


def _find_scalar(data: Any, pos: Pos, value: Any) -> Pos | None:
    """The position of the first scalar (or mapping key) equal to ``value`` under ``data``."""
    wanted = str(value)
    if isinstance(data, dict):
        for key, child in data.items():
            child_pos = pos.child(key)
            if child_pos is None:
                continue
            if key == wanted:
                return Pos(
                    child_pos.key_line or child_pos.line, child_pos.key_column or child_pos.column
                )
            found = _find_scalar(child, child_pos, value)
            if found is not None:
                return found
        return None
    if isinstance(data, list):
        for index, child in enumerate(data):
            child_pos = pos.child(index)
            found = _find_scalar(child, child_pos, value) if child_pos is not None else None
            if found is not None:
                return found
        return None
    return pos if show_value(data) == wanted else None


# --------------------------------------------------------------------------- versions


def canonical_json(document: Any) -> str:
    """Sorted keys, no spaces, dates ISO, Decimal as strings."""

    def default(value: Any) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        raise TypeError(f"not serializable: {type(value).__name__}")

    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=default
    )


def document_hash(document: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of a resolved document."""
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _amendments(doc: dict[str, Any], pos: Pos) -> list[Amendment]:
    items = doc.get("amendments")
    found: list[Amendment] = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        effective = _as_date(item.get("effective"))
        if effective is None:
            continue
        found.append(
            Amendment(
                id=str(item.get("id")),
                effective=effective,
                signed_on=_as_date(item.get("signed_on")),
                summary=str(item.get("summary", "")),
                data=item,
                pos=locate(pos, ["amendments", index]),
            )
        )
    return sorted(found, key=lambda a: a.effective)  # stable: listing order within a date


def _dedupe(errors: list[ContractError]) -> list[ContractError]:
    unique: dict[tuple[Any, ...], ContractError] = {}
    for error in errors:
        loc = error.location or Location()
        key = (error.code, loc.line, loc.column, tuple(sorted(map(str, error.params.items()))))
        unique.setdefault(key, error)
    return sorted(
        unique.values(),
        key=lambda e: (
            (e.location or Location()).line or 0,
            int((e.location or Location()).column or 0),
        ),
    )


def _amended_snapshots(
    doc: dict[str, Any],
    pos: Pos,
    base: dict[str, Any],
    original: dt.date,
    file: str,
    built: set[str],
    snapshots: list[tuple[dt.date, list[Amendment], dict[str, Any]]],
) -> list[ContractError]:
    """Apply the amendments date by date, validating each resulting version.

    Amendments of the same effective date are applied together (in listing
    order) before their version is validated; one snapshot per date is
    appended to ``snapshots``.  Returns the errors.
    """
    errors: list[ContractError] = []
    current, current_pos = copy.deepcopy(base), copy.deepcopy(pos)
    for effective, group in itertools.groupby(_amendments(doc, pos), key=lambda a: a.effective):
        applied: list[Amendment] = []
        for amendment in group:
            if effective < original:
                where = amendment.pos.child("effective") or amendment.pos
                errors.append(
                    error_at(
                        "contract.amendment_before_start",
                        file,
                        where,
                        value=effective,
                        id=amendment.id,
                        effective=effective.isoformat(),
                        start=original.isoformat(),
                    )
                )
                continue
            errors += apply_amendment(current, current_pos, amendment, file)
            applied.append(amendment)
        if not applied:
            continue
        invalid: set[tuple[Any, ...]] = set()
        errors += _schema_errors(current, current_pos, file, invalid)
        errors += _semantic_errors(current, current_pos, file, invalid, built)
        if snapshots[-1][0] == effective:  # amendments effective on the original's first day
            applied = [*snapshots[-1][1], *applied]
            snapshots.pop()
        snapshots.append((effective, applied, copy.deepcopy(current)))
    return errors


def load_contract(
    path_or_text: str | os.PathLike[str], *, source_name: str | None = None
) -> Contract:
    """Load, validate and resolve a contract file into its versions.

    ``path_or_text`` is a path, or the YAML text itself when it is a ``str``
    holding a line break.  Raises :class:`ContractErrors` listing every problem.
    """
    text, name = _source(path_or_text, source_name)
    doc, pos, errors = _parse(text, name)
    if not isinstance(doc, dict):
        raise ContractErrors(
            [ContractError("contract.not_a_mapping", {}, Location(file=name, line=1, column=1))],
            name,
        )
    invalid: set[tuple[Any, ...]] = set()
    errors += _schema_errors(doc, pos, name, invalid)
    amendments_ok = _is_valid(invalid, "amendments")
    base = {k: v for k, v in doc.items() if k != "amendments"}
    built: set[str] = set()
    errors += _semantic_errors(base, pos, name, invalid, built)
    errors += _impossible_dates({"amendments": doc.get("amendments")}, pos, name)
    contract = _mapping(doc.get("contract"))
    term_start = _as_date(_mapping(contract.get("term")).get("start"))
    signed = _as_date(contract.get("signed_on"))
    original = min(d for d in (term_start, signed) if d is not None) if term_start else None
    snapshots: list[tuple[dt.date, list[Amendment], dict[str, Any]]] = []
    if original is not None:
        snapshots.append((original, [], copy.deepcopy(base)))
    if amendments_ok and original is not None:
        errors += _amended_snapshots(doc, pos, base, original, name, built, snapshots)
    if errors:
        raise ContractErrors(_dedupe(errors), name)
    versions = []
    for effective, applied_amendments, document in snapshots:
        signed_dates = [a.signed_on for a in applied_amendments if a.signed_on is not None]
        versions.append(
            ContractVersion(
                effective=effective,
                terms=build_terms(document),
                hash=document_hash(document),
                amendment_id=", ".join(a.id for a in applied_amendments) or None,
                signed_on=max(signed_dates)
                if signed_dates
                else (None if applied_amendments else signed),
                summary=" ; ".join(a.summary for a in applied_amendments if a.summary),
            )
        )
    return Contract(versions=tuple(versions), source=name)


# --------------------------------------------------------------------------- terms


def _dur(value: Any) -> Duration | None:
    return parse_duration(value) if isinstance(value, str) else None


def _pct(value: Any) -> Decimal | None:
    return parse_percent(value) if isinstance(value, str) else None


def _amount(value: Any) -> Decimal | None:
    return None if value is None else parse_amount(value)


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _cap(value: Any) -> Cap | None:
    if value is None:
        return None
    if isinstance(value, str):
        return Cap(fraction_of_fee=parse_percent(value))
    return Cap(amount=parse_amount(value))


def _penalty(value: Any) -> PenaltyTerms | None:
    if not isinstance(value, dict):
        return None
    bands = tuple(
        Band(below=parse_percent(b["below"]), penalty=parse_percent(b["penalty"]))
        for b in value.get("bands", [])
    )
    return PenaltyTerms(
        per_breach=_amount(value.get("per_breach")),
        per_point_below=_pct(value.get("per_point_below")),
        bands=bands,
        cap=_cap(value.get("cap")),
    )


def _level(data: Mapping[str, Any]) -> ServiceLevel:
    applies = _mapping(data.get("applies_to"))
    clock = _mapping(data.get("clock"))
    outage = data.get("outage")
    maintenance = _mapping(data.get("exclusions")).get("maintenance")
    schedule = data.get("schedule")
    optional: dict[str, Any] = {}
    for key in ("window", "assign_to", "warning_counts_as"):
        if key in data:
            optional[key] = data[key]
    return ServiceLevel(
        id=data["id"],
        name=data["name"],
        metric=data["metric"],
        ref=data.get("ref", ""),
        applies_to=Applicability(
            kind=_strs(applies.get("kind")),
            priority=_strs(applies.get("priority")),
            service=_strs(applies.get("service")),
            category=_strs(applies.get("category")),
        ),
        clock_start=clock.get("start", "created"),
        clock_stop=clock.get("stop", "resolved"),
        response_means=data.get("response_means"),
        target=_dur(data.get("target")),
        calendar=data.get("calendar"),
        pause_when=_strs(data.get("pause_when")),
        objective=_pct(data.get("objective")),
        allowed_breaches=data.get("allowed_breaches"),
        penalty=_penalty(data.get("penalty")),
        outage=None
        if not isinstance(outage, dict)
        else OutageRule(
            failed_samples=outage.get("failed_samples", 1),
            missing_samples=outage.get("missing_samples", "excluded"),
        ),
        maintenance=None
        if not isinstance(maintenance, dict)
        else MaintenanceExclusion(
            notice=_dur(maintenance.get("notice")),
            max_per_month=_dur(maintenance.get("max_per_month")),
            only_outside=maintenance.get("only_outside"),
            out_of_measured_time=bool(maintenance.get("out_of_measured_time", False)),
        ),
        schedule=None
        if not isinstance(schedule, dict)
        else BackupSchedule(
            weekdays=parse_days(schedule.get("weekdays", "mon-sun")),
            times=_strs(schedule.get("at")),
        ),
        every=_dur(data.get("every")),
        within_rto=bool(data.get("within_rto", False)),
        **optional,
    )


def build_terms(document: Mapping[str, Any]) -> Terms:
    """Typed terms from a resolved, validated document."""
    contract = document["contract"]
    timezone = contract["timezone"]
    priorities = _mapping(document.get("priorities"))
    measurement = _mapping(document.get("measurement"))
    penalties = _mapping(document.get("penalties"))
    persistent = _mapping(penalties.get("persistent_breach"))
    services = _mapping(document.get("services"))
    calendars = _mapping(document.get("calendars"))
    return Terms(
        contract_id=contract["id"],
        title=contract["title"],
        timezone=timezone,
        currency=contract["price"]["currency"],
        monthly_fee=parse_amount(contract["price"]["monthly_fee"]),
        term_start=cast(dt.date, _as_date(contract["term"]["start"])),
        scope={
            k: bool(v["included"])
            for k, v in _mapping(document.get("scope")).items()
            if not k.startswith("x-")
        },
        services={
            k: Service(
                id=k,
                name=v["name"],
                domain=v.get("domain"),
                criticality=v.get("criticality"),
                rto=_dur(v.get("rto")),
                rpo=_dur(v.get("rpo")),
                monitors=_strs(v.get("monitors")),
                categories=_strs(v.get("categories")),
                restore_test_every=_dur(v.get("restore_test_every")),
            )
            for k, v in services.items()
            if not k.startswith("x-")
        },
        calendars={
            k: {"timezone": timezone, **_without_extensions(v)}
            for k, v in calendars.items()
            if not k.startswith("x-")
        },
        priority_basis=cast(
            Literal["initial", "highest", "final"], priorities.get("basis", "final")
        ),
        priority_levels=tuple(_names(priorities.get("levels"))),
        measurement=Measurement(
            **{
                k: measurement[k]
                for k in ("unknown_pause_reason", "reopen", "major_incident_counts_once")
                if k in measurement
            }
        ),
        service_levels=tuple(_level(level) for level in document.get("service_levels", [])),
        penalties=PenaltyRules(
            basis=penalties.get("basis", "monthly_fee"),
            monthly_cap=_pct(penalties.get("monthly_cap")),
            grace_months=penalties.get("grace_months", 0),
            claim_within=_dur(penalties.get("claim_within")),
            persistent_consecutive_months=persistent.get("consecutive_months"),
            persistent_same_level=bool(persistent.get("same_level", True)),
            sole_remedy=bool(penalties.get("sole_remedy", False)),
        ),
        document=copy.deepcopy(dict(document)),
    )
