"""Builders for clock and evaluation tests: the reference contract's ticket terms.

:func:`reference_contract` mirrors ``contract-example.yaml`` (the ticket levels,
calendars, scope, services, priorities and measurement, plus the 1 July 2026
amendment that brings the P1 resolution target from 4 h to 3 h); keyword
overrides change what a test varies.  :func:`ticket` and :func:`event` build
table rows from Paris wall-clock times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pilotage.contract.model import (
    Applicability,
    Contract,
    ContractVersion,
    Duration,
    Measurement,
    PenaltyRules,
    Service,
    ServiceLevel,
    Terms,
)
from pilotage.tables import Adjustments, Events, Tickets, object_array

PARIS = ZoneInfo("Europe/Paris")
D = Decimal


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """A Paris wall-clock time as UTC epoch seconds."""
    return int(dt.datetime(year, month, day, hour, minute, tzinfo=PARIS).timestamp())


def dur(text: str) -> Duration:
    """``"4h"`` -> Duration(4, "h")."""
    for unit in ("min", "bd", "mo", "h", "d", "s"):
        if text.endswith(unit):
            return Duration(D(text[: -len(unit)]), unit)  # type: ignore[arg-type]
    raise ValueError(text)


BUSINESS: Mapping[str, Any] = {
    "timezone": "Europe/Paris",
    "hours": {"mon-fri": ["08:00-12:30", "13:30-18:00"]},
    "holidays": {"country": "FR", "worked": ["Lundi de Pentecôte"]},
    "closed": ["2026-12-24 14:00/2026-12-24 18:00"],
}
ALWAYS: Mapping[str, Any] = {"timezone": "Europe/Paris", "hours": "24x7"}

P1_RESPONSE = ServiceLevel(
    id="p1-response",
    name="Prise en charge des incidents critiques",
    metric="response_time",
    applies_to=Applicability(kind=("incident",), priority=("P1",)),
    clock_start="created",
    clock_stop="first_response",
    response_means="qualified_human",
    target=dur("30min"),
    calendar="business",
    objective=D("0.95"),
    window="month",
    assign_to="creation",
)
P1_RESOLUTION = ServiceLevel(
    id="p1-resolution",
    name="Rétablissement des incidents critiques",
    metric="resolution_time",
    applies_to=Applicability(kind=("incident",), priority=("P1",)),
    target=dur("4h"),
    calendar="business",
    pause_when=("waiting_customer",),
    objective=D("0.95"),
    allowed_breaches=1,
    window="month",
    assign_to="resolution",
)
P2_RESOLUTION = replace(
    P1_RESOLUTION,
    id="p2-resolution",
    name="Rétablissement des incidents majeurs",
    applies_to=Applicability(kind=("incident",), priority=("P2",)),
    target=dur("8h"),
    objective=D("0.90"),
    allowed_breaches=None,
)
REQUESTS = ServiceLevel(
    id="requests",
    name="Traitement des demandes",
    metric="resolution_time",
    applies_to=Applicability(kind=("request",)),
    target=dur("3d"),
    calendar="business",
    pause_when=("waiting_customer",),
    objective=D("0.90"),
    window="month",
    assign_to="resolution",
)
MAIL = ServiceLevel(
    id="mail-availability",
    name="Disponibilité de la messagerie",
    metric="availability",
    applies_to=Applicability(service=("messagerie",)),
    calendar="always",
    objective=D("0.995"),
)
LEVELS = (P1_RESPONSE, P1_RESOLUTION, P2_RESOLUTION, REQUESTS, MAIL)

SERVICES = {
    "messagerie": Service(
        "messagerie", "Messagerie Microsoft 365", "user_support", categories=("Messagerie",)
    ),
    "sauvegarde": Service("sauvegarde", "Sauvegardes Veeam", "backups"),
    "erp": Service("erp", "ERP Sage X3", "business_applications", categories=("ERP", "Sage")),
    "postes": Service(
        "postes", "Postes de travail", "workstations", categories=("Poste de travail", "Imprimante")
    ),
}
SCOPE = {
    "user_support": True,
    "workstations": True,
    "servers": True,
    "network": True,
    "backups": True,
    "security_monitoring": True,
    "business_applications": False,
}


def terms(**overrides: Any) -> Terms:
    """The original terms of the reference contract, with overrides."""
    base = Terms(
        contract_id="martin-nordinfo",
        title="Infogérance du système d'information",
        timezone="Europe/Paris",
        currency="EUR",
        monthly_fee=D("4800"),
        term_start=dt.date(2026, 1, 1),
        scope=SCOPE,
        services=SERVICES,
        calendars={"business": BUSINESS, "always": ALWAYS},
        priority_basis="final",
        priority_levels=("P1", "P2", "P3", "P4"),
        measurement=Measurement(),
        service_levels=LEVELS,
        penalties=PenaltyRules(monthly_cap=D("0.15"), grace_months=2),
        document={},
    )
    return replace(base, **overrides)


def with_level(t: Terms, level: ServiceLevel) -> Terms:
    """Terms with one level replaced (by id)."""
    return replace(
        t, service_levels=tuple(level if lv.id == level.id else lv for lv in t.service_levels)
    )


def contract(
    *,
    amended: bool = True,
    versions: Sequence[tuple[dt.date, Terms]] | None = None,
    **overrides: Any,
) -> Contract:
    """The reference contract: original terms from 2026-01-01, and (``amended``)
    avenant-1 from 2026-07-01 with a 3 h P1 resolution target."""
    original = terms(**overrides)
    if versions is None:
        versions = [(dt.date(2026, 1, 1), original)]
        if amended:
            p1 = replace(original.level("p1-resolution"), target=dur("3h"))
            versions.append(
                (dt.date(2026, 7, 1), replace(with_level(original, p1), monthly_fee=D("5100")))
            )
    return Contract(
        tuple(
            ContractVersion(
                effective=effective,
                terms=t,
                hash=f"v{i}",
                amendment_id=None if i == 0 else f"avenant-{i}",
            )
            for i, (effective, t) in enumerate(versions)
        )
    )


def tickets(*rows: Mapping[str, Any]) -> Tickets:
    """Tickets from rows; ``id`` defaults to T1, T2..., ``kind`` to incident."""
    full = []
    for i, row in enumerate(rows):
        item = {"id": f"T{i + 1}", "kind": "incident", "priority": "P1", "state": "resolved"}
        item.update(row)
        full.append(item)
    return Tickets.from_rows(full)


def events(table: Tickets, *rows: tuple[Any, ...]) -> Events:
    """Events from ``(ticket_id, at, status[, pause_reason[, priority]])`` tuples."""
    keys = ("ticket_id", "at", "status", "pause_reason", "priority")
    return Events.from_rows(table, [dict(zip(keys, row, strict=False)) for row in rows])


def adjustments(*rows: tuple[str, str, str]) -> Adjustments:
    """Adjustments from ``(ticket_id, service_level, decision)`` tuples."""
    return Adjustments(
        ticket_id=object_array(r[0] for r in rows),
        service_level=object_array(r[1] for r in rows),
        decision=object_array(r[2] for r in rows),
        reason=object_array("agreed in committee" for _ in rows),
        agreed_on=object_array("2026-07-10" for _ in rows),
    )
