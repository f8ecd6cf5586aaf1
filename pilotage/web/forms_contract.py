"""The guided contract editor: sections of fields mapped to paths of the contract document.

A :class:`Section` lists :class:`Field` values (one input each, addressed by a
dotted path in the document) and :class:`Rows` (a table of repeated items: a
mapping keyed by id, or a list).  Service levels and calendars are edited one
item at a time (``Section.items``).  :func:`apply_form` writes the posted
values into a copy of the document, changing only what the user changed, so
untouched clauses keep their exact values; :func:`check_document` dumps it
with :func:`~pilotage.contract.loader.dump_contract`, loads it back and maps
each loader error to the field on its line; :func:`field_findings` puts each
lint finding beside the field its path names.  Nobody writes YAML.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pilotage.contract.amendments import Pos
from pilotage.contract.lint import Finding, LintReport, lint_file
from pilotage.contract.loader import ContractErrors, dump_contract, load_contract, read_located
from pilotage.errors import ContractError

__all__ = [
    "DAYS",
    "DELETABLE",
    "GROUPS",
    "NEW_ITEM",
    "SECTIONS",
    "TEMPLATES",
    "UNITS",
    "UNIT_SUFFIX",
    "Check",
    "Field",
    "FormRow",
    "Rows",
    "Section",
    "amended_fields",
    "amendment_changes",
    "apply_form",
    "check_document",
    "deletable_ids",
    "delete_item",
    "field_findings",
    "form_values",
    "group_of",
    "item_ids",
    "lint_text",
    "merge_amendment",
    "posted",
    "references",
    "resolved_document",
    "row_values",
    "split_duration",
    "template_document",
    "text_diff",
]

DocPath = tuple[str | int, ...]
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NEW_ITEM = "__new__"
"""The ``item`` of a service level or calendar being added."""
TEMPLATES = ("sme", "minimal")
"""Contract templates offered when creating a contract (``templates/contracts/<name>.yaml``)."""

_YES_NO = ("true", "false")


@dataclass(frozen=True)
class Field:
    """One input: ``key`` is its dotted path from the section's base (also its label code)."""

    key: str
    kind: str = "text"
    """``text``, ``textarea``, ``date``, ``month``, ``duration``, ``percent``, ``amount``,
    ``amount_or_percent``, ``int``, ``bool``, ``choice``, ``list``, ``calendar``, ``hours``."""
    choices: tuple[str, ...] = ()

    @property
    def path(self) -> tuple[str, ...]:
        """The path from the section's base."""
        return tuple(self.key.split("."))


@dataclass(frozen=True)
class Rows:
    """Repeated items under ``key``: a mapping keyed by the ``id`` column, or a list."""

    key: str
    fields: tuple[Field, ...]
    keyed: bool = True
    scalar: bool = False
    """A mapping of id to one value (the single non-id field)."""
    blank: int = 2

    @property
    def path(self) -> tuple[str, ...]:
        """The container's path from the section's base."""
        return tuple(self.key.split("."))


@dataclass(frozen=True)
class Section:
    """A page of the editor."""

    name: str
    prefixes: tuple[str, ...]
    """Dotted document paths whose lint findings belong here."""
    fields: tuple[Field, ...] = ()
    rows: tuple[Rows, ...] = ()
    items: str | None = None
    """``service_levels`` (a list of items with ids) or ``calendars`` (a mapping): edited one
    item at a time."""
    excludes: tuple[str, ...] = ()


def _f(key: str, kind: str = "text", *choices: str) -> Field:
    return Field(key, kind, tuple(choices))


_LEVEL_FIELDS = (
    _f("id"),
    _f("name"),
    _f("ref"),
    _f(
        "metric",
        "choice",
        "response_time",
        "resolution_time",
        "availability",
        "backup_success",
        "restore_test",
    ),
    _f("applies_to.kind", "list"),
    _f("applies_to.priority", "list"),
    _f("applies_to.service", "list"),
    _f("applies_to.category", "list"),
    _f("clock.start", "choice", "created"),
    _f("clock.stop", "choice", "first_response", "resolved"),
    _f("response_means", "choice", "qualified_human", "any"),
    _f("target", "duration"),
    _f("pause_when", "list"),
    _f("calendar", "calendar"),
    _f("objective", "percent"),
    _f("allowed_breaches", "int"),
    _f("window", "choice", "month", "quarter", "year"),
    _f("assign_to", "choice", "creation", "resolution"),
    _f("penalty.per_breach", "amount"),
    _f("penalty.per_point_below", "percent"),
    _f("penalty.cap", "amount_or_percent"),
    _f("outage.failed_samples", "int"),
    _f("outage.missing_samples", "choice", "excluded", "down", "up"),
    _f("exclusions.maintenance.notice", "duration"),
    _f("exclusions.maintenance.max_per_month", "duration"),
    _f("exclusions.maintenance.only_outside", "calendar"),
    _f("warning_counts_as", "choice", "success", "failed"),
    _f("every", "duration"),
    _f("within_rto", "bool"),
)

_CALENDAR_FIELDS = (
    _f("name"),
    _f("timezone"),
    _f("always", "bool"),
    *(_f(f"hours.{day}", "hours") for day in DAYS),
    _f("holidays.country"),
    _f("holidays.subdiv"),
    _f("holidays.worked", "list"),
    _f("holidays.extra", "list"),
    _f("closed", "list"),
    _f("open", "list"),
)

GROUPS: dict[str, tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]] = {
    "levels": (
        ("general", (), ("id", "name", "ref", "metric")),
        ("scope", (), ("applies_to.",)),
        (
            "time",
            ("response_time", "resolution_time"),
            ("clock.", "response_means", "target", "pause_when"),
        ),
        ("objective", (), ("calendar", "objective", "allowed_breaches", "window", "assign_to")),
        ("penalty", (), ("penalty.",)),
        ("availability", ("availability",), ("outage.", "exclusions.")),
        ("backups", ("backup_success",), ("warning_counts_as",)),
        ("restore", ("restore_test",), ("every", "within_rto")),
    ),
    "parties": (
        (
            "identity",
            (),
            (
                "contract.id",
                "contract.title",
                "contract.ref",
                "contract.signed_on",
                "contract.timezone",
            ),
        ),
        ("customer", (), ("contract.customer.",)),
        ("provider", (), ("contract.provider.",)),
        ("term", (), ("contract.term.", "contract.obligation", "contract.data_ownership")),
    ),
    "calendars": (
        ("calendar", (), ("name", "timezone", "always")),
        ("hours", (), ("hours.",)),
        ("holidays", (), ("holidays.", "closed", "open")),
    ),
}
"""Fieldsets of the longer sections: (name, metrics it applies to (empty: all), key prefixes)."""


def group_of(section: str, key: str) -> tuple[str, tuple[str, ...]] | None:
    """The fieldset of a field (its name and the metrics it applies to)."""
    for name, metrics, prefixes in GROUPS.get(section, ()):
        if any(key == p or (p.endswith(".") and key.startswith(p)) for p in prefixes):
            return name, metrics
    return None


SECTIONS: dict[str, Section] = {
    s.name: s
    for s in (
        Section(
            "parties",
            ("contract",),
            (
                _f("contract.id"),
                _f("contract.title"),
                _f("contract.ref"),
                _f("contract.signed_on", "date"),
                _f("contract.timezone"),
                _f("contract.customer.name"),
                _f("contract.customer.referent.name"),
                _f("contract.customer.referent.email"),
                _f("contract.customer.referent.deputy"),
                _f("contract.provider.name"),
                _f("contract.provider.referent.name"),
                _f("contract.provider.referent.email"),
                _f("contract.provider.referent.deputy"),
                _f("contract.term.start", "date"),
                _f("contract.term.initial", "duration"),
                _f("contract.term.renewal", "choice", "tacit", "express", "none"),
                _f("contract.term.renewal_term", "duration"),
                _f("contract.term.notice.customer", "duration"),
                _f("contract.term.notice.provider", "duration"),
                _f("contract.term.termination_for_cause", "list"),
                _f("contract.term.termination_for_convenience.allowed", "bool"),
                _f("contract.term.termination_for_convenience.fee", "amount_or_percent"),
                _f("contract.obligation", "choice", "result", "means"),
                _f("contract.data_ownership", "choice", "customer", "provider", "shared"),
            ),
            excludes=("contract.price",),
        ),
        Section(
            "price",
            ("contract.price",),
            (
                _f("contract.price.currency"),
                _f("contract.price.amounts", "choice", "excl_vat", "incl_vat"),
                _f("contract.price.monthly_fee", "amount"),
                _f("contract.price.indexation.index"),
                _f("contract.price.indexation.base_month", "month"),
                _f("contract.price.indexation.fixed_share", "percent"),
                _f("contract.price.indexation.every", "duration"),
                _f("contract.price.indexation.cap", "percent"),
            ),
            (Rows("contract.price.rate_card", (_f("id"), _f("amount", "amount")), scalar=True),),
        ),
        Section(
            "scope",
            ("scope",),
            rows=(
                Rows(
                    "scope",
                    (
                        _f("id"),
                        _f("included", "bool"),
                        _f("levels", "list"),
                        _f("on_site", "bool"),
                        _f("note"),
                    ),
                ),
            ),
        ),
        Section(
            "services",
            ("services",),
            rows=(
                Rows(
                    "services",
                    (
                        _f("id"),
                        _f("name"),
                        _f("domain"),
                        _f("criticality", "choice", "critical", "high", "standard", "low"),
                        _f("rto", "duration"),
                        _f("rpo", "duration"),
                        _f("monitors", "list"),
                        _f("categories", "list"),
                        _f("restore_test_every", "duration"),
                    ),
                ),
            ),
        ),
        Section("calendars", ("calendars",), _CALENDAR_FIELDS, items="calendars"),
        Section(
            "priorities",
            ("priorities",),
            (
                _f("priorities.basis", "choice", "initial", "highest", "final"),
                _f("priorities.qualified_by", "choice", "customer", "provider", "joint"),
            ),
            (
                Rows(
                    "priorities.levels",
                    (_f("id"), _f("label"), _f("definition")),
                ),
            ),
        ),
        Section(
            "levels",
            ("service_levels",),
            _LEVEL_FIELDS,
            (
                Rows(
                    "penalty.bands",
                    (_f("below", "percent"), _f("penalty", "amount_or_percent")),
                    keyed=False,
                ),
            ),
            items="service_levels",
        ),
        Section(
            "penalties",
            ("penalties",),
            (
                _f("penalties.basis", "choice", "monthly_fee"),
                _f("penalties.monthly_cap", "percent"),
                _f("penalties.grace_months", "int"),
                _f("penalties.claim_within", "duration"),
                _f("penalties.persistent_breach.consecutive_months", "int"),
                _f("penalties.persistent_breach.same_level", "bool"),
                _f("penalties.persistent_breach.gives", "choice", "termination_right"),
                _f("penalties.sole_remedy", "bool"),
            ),
        ),
        Section(
            "governance",
            ("governance",),
            (
                _f("governance.reporting.frequency", "choice", "monthly", "quarterly"),
                _f("governance.reporting.due", "duration"),
                _f("governance.reporting.contents", "list"),
                _f("governance.change_approval", "choice", "customer", "provider", "joint"),
                _f("governance.material_change_notice", "duration"),
                _f("governance.incident_assistance", "choice", "included", "billed", "none"),
            ),
            (
                Rows(
                    "governance.committees",
                    (
                        _f("name"),
                        _f(
                            "cadence",
                            "choice",
                            "weekly",
                            "monthly",
                            "quarterly",
                            "half_yearly",
                            "yearly",
                        ),
                        _f("minutes_within", "duration"),
                    ),
                    keyed=False,
                ),
            ),
        ),
        Section(
            "security",
            ("security",),
            (
                _f("security.security_plan", "bool"),
                _f("security.incident_notification.security", "duration"),
                _f("security.incident_notification.P1", "duration"),
                _f("security.incident_notification.channel", "list"),
                _f("security.audit.right", "bool"),
                _f("security.audit.every", "duration"),
                _f("security.audit.notice", "duration"),
                _f("security.audit.by", "list"),
                _f("security.patching.critical", "duration"),
                _f("security.insurance.professional_liability", "bool"),
                _f("security.insurance.cyber", "bool"),
                _f("security.liability.cap", "text"),
                _f("security.liability.carve_outs", "list"),
                _f("security.force_majeure_excludes_cyberattacks", "bool"),
            ),
        ),
        Section(
            "data_protection",
            ("data_protection", "subcontracting"),
            (
                _f("data_protection.dpa.present", "bool"),
                _f("data_protection.dpa.description", "textarea"),
                _f("data_protection.dpa.clauses", "list"),
                _f("data_protection.breach_notification", "duration"),
                _f("data_protection.data_location", "list"),
                _f("data_protection.transfers_outside_eu", "bool"),
                _f("subcontracting.allowed", "bool"),
                _f("subcontracting.prior_written_approval", "bool"),
                _f("subcontracting.provider_remains_liable", "bool"),
            ),
            (
                Rows(
                    "data_protection.subprocessors",
                    (_f("name"), _f("role"), _f("location")),
                    keyed=False,
                ),
            ),
        ),
        Section(
            "reversibility",
            ("reversibility", "transition_in"),
            (
                _f("reversibility.clause", "bool"),
                _f("reversibility.applies_on", "list"),
                _f("reversibility.plan_due", "duration"),
                _f("reversibility.plan_review", "duration"),
                _f("reversibility.transition", "duration"),
                _f(
                    "reversibility.service_levels_during_transition",
                    "choice",
                    "unchanged",
                    "relaxed",
                ),
                _f("reversibility.assistance", "list"),
                _f("reversibility.data_export.format", "choice", "open", "proprietary"),
                _f("reversibility.data_export.scope", "list"),
                _f("reversibility.data_export.retrieval", "duration"),
                _f("reversibility.cost.fixed", "amount"),
                _f("reversibility.deletion_certificate", "bool"),
                _f(
                    "reversibility.ownership_of_scripts_and_configurations",
                    "choice",
                    "customer",
                    "provider",
                    "shared",
                ),
                _f("transition_in.duration", "duration"),
                _f("transition_in.acceptance", "textarea"),
                _f("transition_in.relaxed_until", "date"),
            ),
        ),
    )
}
"""The editor's sections, in the order of the contract."""


# --------------------------------------------------------------------------- values


def display(value: Any) -> str:
    """A document value as the form shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(display(v) for v in value)
    if isinstance(value, dict):
        return ""
    return str(value)


_INT = re.compile(r"-?\d+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
UNITS = ("min", "h", "d", "bd", "mo")
"""Units offered beside a duration's number (``s`` stays possible as written)."""
UNIT_SUFFIX = "__unit"
"""A duration's unit is posted as ``<field>__unit``."""


def split_duration(text: str) -> tuple[str, str]:
    """``"30min"`` → ``("30", "min")``; text that is not number-then-unit stays whole."""
    for unit in sorted(UNITS, key=len, reverse=True):
        number = text[: -len(unit)]
        if text.endswith(unit) and _NUMBER.fullmatch(number):
            return number, unit
    return text, ""


def posted(post: Any, name: str) -> str:
    """The posted text of a field, a duration's number joined to its unit."""
    raw = str(post.get(name, ""))
    unit = str(post.get(name + UNIT_SUFFIX, ""))
    if unit and _NUMBER.fullmatch(raw.strip()):
        return raw.strip().replace(",", ".") + unit
    return raw


def _number(text: str) -> Any:
    if _INT.fullmatch(text):
        return int(text)
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return text


def convert(kind: str, raw: str) -> Any:
    """The document value of a posted string (``None``: the key is removed).

    Text that does not convert is kept as written: the loader then reports it
    with what it expected.
    """
    text = raw.strip()
    if not text:
        return None
    if kind in ("list", "hours"):
        return [part.strip() for part in text.split(",") if part.strip()]
    if kind == "bool":
        return {"true": True, "false": False}.get(text, text)
    if kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if kind in ("amount", "int"):
        return _number(text)
    if kind == "amount_or_percent":
        return text if text.endswith("%") or text[-2:] in ("mo", "d") else _number(text)
    if kind == "textarea":
        return text.replace("\r\n", "\n")
    return text


def _get(doc: Any, path: Sequence[str | int]) -> Any:
    for segment in path:
        if isinstance(doc, dict) and isinstance(segment, str):
            doc = doc.get(segment)
        elif isinstance(doc, list) and isinstance(segment, int) and 0 <= segment < len(doc):
            doc = doc[segment]
        else:
            return None
    return doc


def _set(doc: dict[str, Any], path: Sequence[str], value: Any) -> None:
    """Set (or, with ``None``, remove) a key, creating or pruning the mappings on the way."""
    parents: list[tuple[dict[str, Any], str]] = []
    node = doc
    for segment in path[:-1]:
        child = node.get(segment)
        if not isinstance(child, dict):
            if value is None:
                return
            child = node[segment] = {}
        parents.append((node, segment))
        node = child
    if value is None:
        node.pop(path[-1], None)
        for parent, key in reversed(parents):
            if parent[key]:
                break
            del parent[key]
    else:
        node[path[-1]] = value


# --------------------------------------------------------------------------- hours


def _day_keys(key: str) -> list[int]:
    days: list[int] = []
    for part in key.split(","):
        first, _, last = part.strip().partition("-")
        if first not in DAYS or (last and last not in DAYS):
            return []
        lo = DAYS.index(first)
        hi = DAYS.index(last) if last else lo
        days.extend(range(lo, hi + 1))
    return days


def _expand_hours(hours: Any) -> dict[str, str]:
    if not isinstance(hours, dict):
        return {}
    per_day: dict[str, str] = {}
    for key, ranges in hours.items():
        for day in _day_keys(str(key)):
            per_day[DAYS[day]] = display(ranges)
    return per_day


def _compress_hours(per_day: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Consecutive days with the same ranges as one key (``mon-fri``)."""
    hours: dict[str, list[str]] = {}
    index = 0
    while index < len(DAYS):
        ranges = per_day.get(DAYS[index])
        if not ranges:
            index += 1
            continue
        end = index
        while end + 1 < len(DAYS) and per_day.get(DAYS[end + 1]) == ranges:
            end += 1
        key = DAYS[index] if end == index else f"{DAYS[index]}-{DAYS[end]}"
        hours[key] = list(ranges)
        index = end + 1
    return hours


# --------------------------------------------------------------------------- items


def item_ids(document: Mapping[str, Any], section: Section) -> list[str]:
    """The ids of the items of an item section, in document order."""
    if section.items == "service_levels":
        levels = document.get("service_levels") or []
        return [str(item.get("id")) for item in levels if isinstance(item, dict)]
    if section.items == "calendars":
        return [str(name) for name in document.get("calendars") or {}]
    return []


def _item(document: Mapping[str, Any], section: Section, item: str | None) -> dict[str, Any]:
    """The plain values of the item being edited (``name``/``always`` for calendars)."""
    if section.items == "service_levels":
        for level in document.get("service_levels") or []:
            if isinstance(level, dict) and str(level.get("id")) == item:
                return level
        return {}
    if section.items == "calendars":
        calendars = document.get("calendars") or {}
        if item in calendars and isinstance(calendars[item], dict):
            calendar = dict(calendars[item])
            hours = calendar.get("hours")
            calendar["name"] = item
            calendar["always"] = hours == "24x7"
            calendar["hours"] = _expand_hours(hours)
            return calendar
        return {}
    return dict(document)


def _base_path(document: Mapping[str, Any], section: Section, item: str | None) -> DocPath:
    """The document path of the item (by position for lists) or ``()``."""
    if section.items == "service_levels":
        ids = item_ids(document, section)
        return ("service_levels", ids.index(item)) if item in ids else ("service_levels",)
    if section.items == "calendars":
        return ("calendars", item) if item else ("calendars",)
    return ()


def _id_path(section: Section, item: str | None) -> tuple[str, ...]:
    """The base path as lint findings name it (list items by id)."""
    if section.items and item and item != NEW_ITEM:
        return (section.items, item)
    return ()


@dataclass
class FormRow:
    """One row of a :class:`Rows` table as the template shows it."""

    index: int
    origin: str
    values: dict[str, str]


def form_values(
    document: Mapping[str, Any], section: Section, item: str | None = None
) -> dict[str, str]:
    """The initial value of each field, by field key."""
    base = _item(document, section, item)
    return {f.key: display(_get(base, f.path)) for f in section.fields}


def row_values(
    document: Mapping[str, Any], section: Section, rows: Rows, item: str | None = None
) -> list[FormRow]:
    """The rows of a table, then ``rows.blank`` empty ones."""
    container = _get(_item(document, section, item), rows.path)
    found: list[FormRow] = []
    if rows.keyed and isinstance(container, dict):
        for key, value in container.items():
            values = {"id": str(key)}
            for f in rows.fields[1:]:
                values[f.key] = display(value if rows.scalar else _get(value, f.path))
            found.append(FormRow(len(found), str(key), values))
    elif not rows.keyed and isinstance(container, list):
        for position, value in enumerate(container):
            values = {f.key: display(_get(value, f.path)) for f in rows.fields}
            found.append(FormRow(len(found), str(position), values))
    for _ in range(rows.blank):
        found.append(FormRow(len(found), "", {f.key: "" for f in rows.fields}))
    return found


def _apply_fields(
    target: dict[str, Any],
    current: Mapping[str, Any],
    fields: Sequence[Field],
    post: Any,
    prefix: str,
) -> None:
    """Write each field whose posted text differs from what the form showed."""
    for f in fields:
        name = prefix + f.key
        if name not in post:
            continue
        raw = posted(post, name)
        if raw.strip() == display(_get(current, f.path)):
            continue
        _set(target, f.path, convert(f.kind, raw))


def _apply_rows(target: dict[str, Any], rows: Rows, post: Any, prefix: str) -> None:
    count_name = f"{prefix}{rows.key}-count"
    if count_name not in post:
        return
    count = int(post.get(count_name) or 0)
    old = _get(target, rows.path)
    new_map: dict[str, Any] = {}
    new_list: list[Any] = []
    for index in range(count):
        row = f"{prefix}{rows.key}-{index}-"
        if post.get(row + "_delete"):
            continue
        origin = str(post.get(row + "_origin", ""))
        if rows.keyed:
            key = str(post.get(row + "id", "")).strip()
            if not key:
                continue
            if rows.scalar:
                value_field = rows.fields[1]
                raw = posted(post, row + value_field.key)
                before = old.get(origin) if isinstance(old, dict) else None
                new_map[key] = (
                    before if raw.strip() == display(before) else convert(value_field.kind, raw)
                )
                continue
            before_item = old.get(origin) if isinstance(old, dict) else None
            item = copy.deepcopy(before_item) if isinstance(before_item, dict) else {}
            _apply_fields(item, item.copy(), rows.fields[1:], post, row)
            new_map[key] = item
        else:
            position = int(origin) if origin.isdigit() else -1
            before_item = old[position] if isinstance(old, list) and position < len(old) else None
            if position < 0:
                before_item = None
            if before_item is None and not any(
                str(post.get(row + f.key, "")).strip() for f in rows.fields
            ):
                continue
            item = copy.deepcopy(before_item) if isinstance(before_item, dict) else {}
            _apply_fields(item, copy.deepcopy(item), rows.fields, post, row)
            new_list.append(item)
    value: Any = new_map if rows.keyed else new_list
    if value == old or (not value and old is None):
        return
    _set(target, rows.path, value or None)


def apply_form(
    document: Mapping[str, Any], section: Section, post: Any, item: str | None = None
) -> tuple[dict[str, Any], str | None]:
    """A copy of ``document`` with the posted section (or item) written in.

    Returns the new document and the item's id after the change (it may be
    renamed or new).
    """
    doc = copy.deepcopy(dict(document))
    if section.items is None:
        _apply_fields(doc, document, section.fields, post, "")
        for rows in section.rows:
            _apply_rows(doc, rows, post, "")
        return doc, None
    current = _item(document, section, item)
    edited = copy.deepcopy(current)
    _apply_fields(edited, current, section.fields, post, "")
    for rows in section.rows:
        _apply_rows(edited, rows, post, "")
    if section.items == "service_levels":
        new_id = display(edited.get("id")) or None
        levels = doc.setdefault("service_levels", [])
        ids = item_ids(doc, section)
        if item in ids:
            levels[ids.index(item)] = edited
        else:
            levels.append(edited)
        return doc, new_id
    name = display(edited.pop("name", None)) or None
    always = edited.pop("always", None)
    raw_days = edited.pop("hours", None) or {}
    per_day = {
        day: convert("hours", value) if isinstance(value, str) else value
        for day, value in raw_days.items()
    }
    per_day = {day: value for day, value in per_day.items() if value}
    hours: Any = "24x7" if always is True else _compress_hours(per_day) if per_day else None
    if hours is not None:
        edited["hours"] = hours
    calendars: dict[str, Any] = {}
    for key, value in (doc.get("calendars") or {}).items():
        if key != item:
            calendars[key] = value
        elif name:
            calendars[name] = _ordered(value, edited)
    if name and name not in calendars:
        calendars[name] = _ordered({"timezone": None, "hours": None}, edited)
    doc["calendars"] = calendars
    return doc, name


def _ordered(before: Any, after: dict[str, Any]) -> dict[str, Any]:
    """``after`` with the keys it shares with ``before`` in their former order."""
    if not isinstance(before, dict):
        return after
    ordered = {k: after[k] for k in before if k in after}
    ordered.update({k: v for k, v in after.items() if k not in ordered})
    return ordered


# --------------------------------------------------------------------------- deleting

DELETABLE = {"levels": "service_levels", "calendars": "calendars", "services": "services"}
"""The editor sections whose whole items can be deleted, and the document key holding them."""


def deletable_ids(document: Mapping[str, Any], kind: str) -> list[str]:
    """The ids of the items under ``kind`` (``service_levels``, ``calendars``, ``services``)."""
    container = document.get(kind)
    if isinstance(container, list):
        return [str(i.get("id")) for i in container if isinstance(i, dict) and "id" in i]
    if isinstance(container, dict):
        return [str(key) for key in container]
    return []


def _level_references(level: Mapping[str, Any], kind: str, ident: str, at: str) -> list[str]:
    """The paths of one level's values that name the calendar or service ``ident``."""
    found: list[str] = []
    if kind == "calendars":
        if level.get("calendar") == ident:
            found.append(f"{at}.calendar")
        maintenance = _get(level, ("exclusions", "maintenance"))
        if isinstance(maintenance, dict) and maintenance.get("only_outside") == ident:
            found.append(f"{at}.exclusions.maintenance.only_outside")
    elif kind == "services":
        named = _get(level, ("applies_to", "service"))
        if named == ident or (isinstance(named, list) and ident in named):
            found.append(f"{at}.applies_to.service")
    return found


def references(document: Mapping[str, Any], kind: str, ident: str) -> list[str]:
    """The dotted paths that refer to the item ``ident`` of ``kind``: the levels using a
    calendar or naming a service, and the amendments changing, adding or removing it."""
    found: list[str] = []
    for level in document.get("service_levels") or []:
        if isinstance(level, dict) and level.get("id") != ident:
            at = f"service_levels.{level.get('id')}"
            found += _level_references(level, kind, ident, at)
    prefix = f"{kind}.{ident}"
    for amendment in document.get("amendments") or []:
        if not isinstance(amendment, dict):
            continue
        at = f"amendments.{amendment.get('id')}"
        for path, value in (amendment.get("set") or {}).items():
            path = str(path)
            if _under(path, prefix) or (
                kind == "calendars"
                and value == ident
                and path.endswith((".calendar", ".only_outside"))
            ):
                found.append(f"{at}.set.{path}")
        for path, items in (amendment.get("add") or {}).items():
            for index, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict) and str(path) == "service_levels":
                    found += _level_references(item, kind, ident, f"{at}.add.{path}.{index}")
            if _under(str(path), prefix):
                found.append(f"{at}.add.{path}")
        for path, ids in (amendment.get("remove") or {}).items():
            if str(path) == kind and isinstance(ids, list) and ident in ids:
                found.append(f"{at}.remove.{path}")
    return found


def delete_item(document: Mapping[str, Any], kind: str, ident: str) -> dict[str, Any]:
    """A copy of ``document`` without the item ``ident`` of ``kind`` (an empty optional
    container goes too)."""
    doc = copy.deepcopy(dict(document))
    container = doc.get(kind)
    if isinstance(container, list):
        doc[kind] = [i for i in container if not (isinstance(i, dict) and i.get("id") == ident)]
    elif isinstance(container, dict):
        container.pop(ident, None)
        if not container and kind != "service_levels":
            del doc[kind]
    return doc


# --------------------------------------------------------------------------- checking


@dataclass
class Check:
    """The result of checking an edited document: its text and the errors by field."""

    text: str
    errors: list[ContractError] = field(default_factory=list)
    by_field: dict[str, list[ContractError]] = field(default_factory=dict)
    unplaced: list[ContractError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """The text loads as a contract."""
        return not self.errors


def _field_lines(
    positions: Pos, base: DocPath, section: Section, document: Mapping[str, Any]
) -> Iterator[tuple[int, str]]:
    """(line, input name) of every field whose value is in the text."""

    def line_of(path: DocPath) -> list[int]:
        pos: Pos | None = positions
        for segment in path:
            pos = pos.child(segment) if pos is not None else None
        if pos is None:
            return []
        return [line for line in (pos.line, pos.key_line) if line is not None]

    for f in section.fields:
        path: DocPath = base + f.path
        if section.items == "calendars" and f.path[0] in ("name", "always"):
            path = base
        for line in line_of(path):
            yield line, f.key
    for rows in section.rows:
        container = _get(document, base + rows.path)
        keys: list[str | int] = (
            list(container)
            if isinstance(container, dict)
            else list(range(len(container)))
            if isinstance(container, list)
            else []
        )
        for index, key in enumerate(keys):
            for f in rows.fields:
                sub: DocPath = (
                    (key,)
                    if rows.keyed and (f.key == "id" or rows.scalar)
                    else (
                        key,
                        *f.path,
                    )
                )
                for line in line_of(base + rows.path + sub):
                    yield line, f"{rows.key}-{index}-{f.key}"


def check_document(
    document: Mapping[str, Any], section: Section | None = None, item: str | None = None
) -> Check:
    """Dump the document, load it back, and place each loader error beside its field."""
    text = dump_contract(document)
    check = Check(text)
    try:
        load_contract(text, source_name="contract.yaml")
    except ContractErrors as failure:
        check.errors = list(failure.errors)
    if not check.errors or section is None:
        check.unplaced = list(check.errors)
        return check
    _, positions = read_located(text, source_name="contract.yaml")
    base = _base_path(document, section, item)
    lines: dict[int, str] = {}
    for line, name in _field_lines(positions, base, section, document):
        lines.setdefault(line, name)
    for problem in check.errors:
        at = problem.location.line if problem.location else None
        placed = lines.get(at) if at is not None else None
        if placed is None:
            check.unplaced.append(problem)
        else:
            check.by_field.setdefault(placed, []).append(problem)
    return check


# --------------------------------------------------------------------------- lint


@lru_cache(maxsize=128)
def lint_text(text: str, profile: str = "sme") -> LintReport:
    """The linter's report on a contract text (cached by text)."""
    with tempfile.TemporaryDirectory(prefix="pilotage-lint-") as folder:
        path = Path(folder) / "contract.yaml"
        path.write_text(text, encoding="utf-8")
        report = lint_file(path, profile=profile)
    report.file = "contract.yaml"
    return report


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + ".")


def section_of(finding: Finding) -> str | None:
    """The editor section a finding belongs to (``None``: the whole contract)."""
    best: tuple[int, str] | None = None
    for section in SECTIONS.values():
        if any(_under(finding.path, e) for e in section.excludes):
            continue
        for prefix in section.prefixes:
            if _under(finding.path, prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), section.name)
    return best[1] if best else None


def _field_paths(section: Section, item: str | None) -> list[tuple[str, str]]:
    """(dotted document path with list items by id, input name) of each field and table."""
    base = ".".join(_id_path(section, item))
    names: list[tuple[str, str]] = []
    for f in section.fields:
        names.append((".".join(p for p in (base, f.key) if p), f.key))
    for rows in section.rows:
        names.append(
            (".".join(p for p in (base, rows.key) if p), f"{rows.key}-0-{rows.fields[0].key}")
        )
    return names


def amended_fields(
    document: Mapping[str, Any], section: Section, item: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """By input name, the amendments that set the field's value later: ``{"id", "effective",
    "value"}`` (the editor edits the original terms; amendments change them from a date)."""
    names = _field_paths(section, item)
    found: dict[str, list[dict[str, Any]]] = {}
    for amendment in document.get("amendments") or []:
        if not isinstance(amendment, dict):
            continue
        for path, value in (amendment.get("set") or {}).items():
            for field_path, name in names:
                if str(path) == field_path:
                    found.setdefault(name, []).append(
                        {
                            "id": amendment.get("id"),
                            "effective": amendment.get("effective"),
                            "value": display(value),
                        }
                    )
    return found


def field_findings(
    findings: Sequence[Finding], section: Section, item: str | None = None
) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """The section's findings beside their field (by input name), and the others of the
    section (shown at its top)."""
    base = ".".join(_id_path(section, item))
    names = _field_paths(section, item)
    by_field: dict[str, list[Finding]] = {}
    general: list[Finding] = []
    for finding in findings:
        if section_of(finding) != section.name:
            continue
        if section.items and item and base and not _under(finding.path, base):
            continue
        if section.items and not item:
            general.append(finding)
            continue
        exact = [n for path, n in names if path == finding.path]
        inner = [n for path, n in names if _under(finding.path, path)]
        outer = [n for path, n in names if _under(path, finding.path)]
        target = (exact or inner[-1:] or outer)[:1]
        if target:
            by_field.setdefault(target[0], []).append(finding)
        else:
            general.append(finding)
    return by_field, general


# --------------------------------------------------------------------------- amendments


def resolved_document(text: str) -> dict[str, Any]:
    """The latest version's document (every amendment applied)."""
    contract = load_contract(text, source_name="contract.yaml")
    return copy.deepcopy(dict(contract.versions[-1].terms.document))


def _ids(items: list[Any]) -> list[str] | None:
    ids = [item.get("id") for item in items if isinstance(item, dict)]
    if len(ids) != len(items) or any(not isinstance(i, str) for i in ids):
        return None
    return [str(i) for i in ids]


def amendment_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], prefix: str = ""
) -> tuple[dict[str, Any], dict[str, list[Any]], dict[str, list[str]], list[str]]:
    """What turns ``before`` into ``after``: ``set``, ``add``, ``remove`` and the paths of
    removed keys (which an amendment cannot express)."""
    sets: dict[str, Any] = {}
    adds: dict[str, list[Any]] = {}
    removes: dict[str, list[str]] = {}
    dropped: list[str] = []
    for key in list(before) + [k for k in after if k not in before]:
        path = f"{prefix}{key}"
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key not in after:
            dropped.append(path)
        elif isinstance(old, dict) and isinstance(new, dict):
            s, a, r, d = amendment_changes(old, new, path + ".")
            sets.update(s)
            adds.update(a)
            removes.update(r)
            dropped += d
        elif isinstance(old, list) and isinstance(new, list) and _ids(old) and _ids(new):
            old_ids, new_ids = _ids(old) or [], _ids(new) or []
            by_id = {str(i["id"]): i for i in old}
            for item in new:
                if item["id"] not in by_id:
                    adds.setdefault(path, []).append(item)
                else:
                    s, a, r, d = amendment_changes(by_id[item["id"]], item, f"{path}.{item['id']}.")
                    sets.update(s)
                    adds.update(a)
                    removes.update(r)
                    dropped += d
            gone = [i for i in old_ids if i not in new_ids]
            if gone:
                removes[path] = gone
        else:
            sets[path] = new
    return sets, adds, removes, dropped


def merge_amendment(
    document: dict[str, Any], header: Mapping[str, Any], changes: tuple[Any, ...]
) -> dict[str, Any]:
    """``document`` with the amendment ``header["id"]`` created or extended by ``changes``."""
    sets, adds, removes = changes[0], changes[1], changes[2]
    doc = copy.deepcopy(document)
    amendments = doc.setdefault("amendments", [])
    existing = next((a for a in amendments if a.get("id") == header["id"]), None)
    if existing is None:
        existing = {}
        amendments.append(existing)
    for key in ("id", "signed_on", "effective", "summary"):
        if header.get(key) not in (None, ""):
            existing[key] = header[key]
        elif key in existing and key != "id":
            del existing[key]
    for op, values in (("set", sets), ("add", adds), ("remove", removes)):
        if values:
            merged = dict(existing.get(op) or {})
            for path, value in values.items():
                if op == "set":
                    merged[path] = value
                else:
                    merged[path] = list(merged.get(path) or []) + list(value)
            existing[op] = merged
    return doc


def text_diff(before: str, after: str, before_name: str, after_name: str) -> list[tuple[str, str]]:
    """A unified diff as ``(kind, line)`` pairs, kind ``add``, ``del``, ``hunk`` or ``same``."""
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), before_name, after_name, lineterm="", n=2
    )
    out: list[tuple[str, str]] = []
    for line in lines:
        if line.startswith(("+++", "---")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        out.append((kind, line))
    return out


# --------------------------------------------------------------------------- templates


def template_document(name: str) -> dict[str, Any]:
    """A contract template's document (``templates/contracts/<name>.yaml``)."""
    if name not in TEMPLATES:
        raise KeyError(name)
    text = (
        resources.files("pilotage.web")
        .joinpath("templates", "contracts", f"{name}.yaml")
        .read_text(encoding="utf-8")
    )
    return read_located(text, source_name=f"{name}.yaml")[0]
