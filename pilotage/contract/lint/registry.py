"""The rule registry: each rule's id, area, severities, sources, texts and check.

A rule is a function decorated with :func:`rule`; it reads a :class:`Context`
(the contract as plain data) and yields :class:`Hit` values (what is wrong,
where).  The rule's title, the reason it matters to the customer and the
recommended clause (French and English) are registered as i18n messages
``lint.<ID>.title``, ``lint.<ID>.why``, ``lint.<ID>.clause``; each hit names a
message ``lint.<ID>.<what>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final, Literal

from pilotage import i18n
from pilotage.contract.model import Duration
from pilotage.contract.units import parse_duration, parse_percent

__all__ = [
    "AREAS",
    "RULES",
    "SEVERITIES",
    "Context",
    "Hit",
    "Rule",
    "Severity",
    "hours_of",
    "months_of",
    "pct",
    "percent",
    "rule",
]

Severity = Literal["error", "warning", "info"]
SEVERITIES: Final[tuple[Severity, ...]] = ("error", "warning", "info")
_SHORT: Final[dict[str, Severity]] = {"E": "error", "W": "warning", "I": "info"}

AREAS: Final = (
    "service_levels",
    "governance",
    "security",
    "data_protection",
    "reversibility",
    "transition_in",
    "term",
    "liability",
    "amendments",
    "subcontracting",
    "price",
)
"""Areas scored separately, in report order."""

i18n.register(
    {
        "lint.area.service_levels": {"en": "Service levels", "fr": "Niveaux de service"},
        "lint.area.governance": {"en": "Governance", "fr": "Gouvernance"},
        "lint.area.security": {"en": "Security", "fr": "Sécurité"},
        "lint.area.data_protection": {
            "en": "Data protection",
            "fr": "Protection des données",
        },
        "lint.area.reversibility": {"en": "Reversibility", "fr": "Réversibilité"},
        "lint.area.transition_in": {"en": "Transition-in", "fr": "Reprise (transition)"},
        "lint.area.term": {"en": "Term and notice", "fr": "Durée et préavis"},
        "lint.area.liability": {
            "en": "Liability and data ownership",
            "fr": "Responsabilité et propriété des données",
        },
        "lint.area.amendments": {"en": "Amendments", "fr": "Avenants"},
        "lint.area.subcontracting": {"en": "Subcontracting", "fr": "Sous-traitance"},
        "lint.area.price": {"en": "Price and indexation", "fr": "Prix et révision"},
        "lint.severity.error": {"en": "error", "fr": "erreur"},
        "lint.severity.warning": {"en": "warning", "fr": "avertissement"},
        "lint.severity.info": {"en": "info", "fr": "info"},
    }
)

Path = tuple[str | int, ...]
"""Where a hit is: mapping keys, list items by id (or position when they have none)."""


@dataclass(frozen=True)
class Hit:
    """One problem a rule found: message ``lint.<rule>.<what>`` with ``params`` at ``path``.

    ``escalated`` marks the graver case of a W/E rule (a critical service, an
    open-ended exclusion, 72 h or more...); the profile says what it weighs.
    """

    what: str
    path: Path = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    escalated: bool = False


@dataclass(frozen=True)
class Rule:
    """A lint rule as registered."""

    id: str
    area: str
    severity: tuple[Severity, Severity]
    """(normal, escalated) severity before any profile."""
    sources: str
    check: Callable[[Context], Iterator[Hit]]
    whats: tuple[str, ...]


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    area: str,
    severity: str,
    sources: str,
    *,
    title: tuple[str, str],
    why: tuple[str, str],
    clause: tuple[str, str],
    messages: Mapping[str, tuple[str, str]],
) -> Callable[[Callable[[Context], Iterator[Hit]]], Callable[[Context], Iterator[Hit]]]:
    """Register a rule; ``severity`` is ``"E"``, ``"W"``, ``"I"`` or ``"W/E"`` (normal/escalated).

    Texts are (English, French) pairs; ``messages`` maps each ``what`` a hit
    may name to its texts.
    """
    assert area in AREAS, area
    normal, _, escalated = severity.partition("/")
    sev = (_SHORT[normal], _SHORT[escalated or normal])
    texts: dict[str, dict[str, str]] = {
        f"lint.{rule_id}.title": {"en": title[0], "fr": title[1]},
        f"lint.{rule_id}.why": {"en": why[0], "fr": why[1]},
        f"lint.{rule_id}.clause": {"en": clause[0], "fr": clause[1]},
    }
    for what, (en, fr) in messages.items():
        texts[f"lint.{rule_id}.{what}"] = {"en": en, "fr": fr}
    i18n.register(texts)

    def decorate(check: Callable[[Context], Iterator[Hit]]) -> Callable[[Context], Iterator[Hit]]:
        RULES[rule_id] = Rule(rule_id, area, sev, sources, check, tuple(messages))
        return check

    return decorate


# --------------------------------------------------------------------------- reading helpers


def _duration(value: Any) -> Duration | None:
    try:
        return parse_duration(value) if isinstance(value, str) else None
    except ValueError:
        return None


def months_of(value: Any) -> Decimal | None:
    """A duration in months (days count 1/30.4375 of a month); None when not a duration."""
    duration = _duration(value)
    if duration is None:
        return None
    if duration.unit == "mo":
        return duration.amount
    if duration.unit in ("d", "bd"):
        return duration.amount / Decimal("30.4375")
    return Decimal(duration.seconds()) / Decimal(86400 * 30.4375)


def hours_of(value: Any) -> Decimal | None:
    """A duration in hours (a day is 24 h, a month 30 days); None when not a duration."""
    duration = _duration(value)
    if duration is None:
        return None
    if duration.unit in ("d", "bd"):
        return duration.amount * 24
    if duration.unit == "mo":
        return duration.amount * 720
    return Decimal(duration.seconds()) / 3600


def _m(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class Context:
    """The contract being linted, as plain data (validated or not)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.doc: dict[str, Any] = dict(document)

    def get(self, dotted: str) -> Any:
        """The value at a dotted path of mapping keys (None when absent)."""
        node: Any = self.doc
        for key in dotted.split("."):
            if not isinstance(node, dict):
                return None
            node = node.get(key)
        return node

    def section(self, dotted: str) -> dict[str, Any]:
        """The mapping at a dotted path ({} when absent or not a mapping)."""
        return _m(self.get(dotted))

    @property
    def levels(self) -> list[tuple[str | int, dict[str, Any]]]:
        """Service levels as (id or position, item)."""
        items = self.get("service_levels")
        found: list[tuple[str | int, dict[str, Any]]] = []
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                key = item.get("id")
                found.append((key if isinstance(key, str) else index, item))
        return found

    def in_scope(self, domain: Any) -> bool:
        """Whether a service domain is in scope (unknown domains are)."""
        scope = self.section("scope")
        if not isinstance(domain, str) or domain not in scope:
            return True
        return bool(_m(scope[domain]).get("included", True))

    def services(self) -> dict[str, dict[str, Any]]:
        """In-scope services of the catalogue."""
        return {
            k: _m(v)
            for k, v in self.section("services").items()
            if not k.startswith("x-") and self.in_scope(_m(v).get("domain"))
        }

    def critical_services(self) -> list[str]:
        """In-scope services whose criticality is ``critical``."""
        return [k for k, v in self.services().items() if v.get("criticality") == "critical"]

    def top_priority(self) -> str | None:
        """The first priority level (the most urgent by convention)."""
        levels = [k for k in self.section("priorities.levels") if not k.startswith("x-")]
        return levels[0] if levels else None

    def level_is_critical(self, level: Mapping[str, Any]) -> bool:
        """The level covers a critical service or the most urgent priority."""
        applies = _m(level.get("applies_to"))
        services = applies.get("service")
        if not isinstance(services, list):
            services = []
        if any(s in self.critical_services() for s in services):
            return True
        priorities = applies.get("priority")
        top = self.top_priority()
        return isinstance(priorities, list) and top is not None and priorities == [top]

    def monthly_fee(self) -> Decimal | None:
        """The monthly fee as a Decimal when it is a number."""
        fee = self.get("contract.price.monthly_fee")
        if isinstance(fee, bool) or not isinstance(fee, int | Decimal):
            return None
        return Decimal(fee)

    def start(self) -> dt.date | None:
        """The term's start date."""
        start = self.get("contract.term.start")
        return start if isinstance(start, dt.date) else None


def percent(value: Any) -> Decimal | None:
    """A percentage as a fraction, None when the text is not one."""
    try:
        return parse_percent(value) if isinstance(value, str) else None
    except ValueError:
        return None


def pct(fraction: Decimal) -> str:
    """A fraction as the contract writes it: ``Decimal("0.05")`` -> ``"5%"``."""
    return f"{(fraction * 100).normalize():f}%"
