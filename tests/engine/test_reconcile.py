"""Reconciliation names why the provider's verdicts and claims differ from Pilotage's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from pilotage.contract.loader import load_contract
from pilotage.contract.model import Contract
from pilotage.engine.evaluate import evaluate_tickets
from pilotage.engine.reconcile import Reconciliation, reconcile
from pilotage.tables import Claims, Events, Tickets, object_array

PARIS = ZoneInfo("Europe/Paris")
REFERENCE = Path(__file__).resolve().parents[2] / "pilotage/contract/examples/reference.yaml"
AS_OF = int(dt.datetime(2026, 12, 10, tzinfo=PARIS).timestamp())


def at(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=PARIS).timestamp())  # type: ignore[misc]


@pytest.fixture(scope="module")
def contract() -> Contract:
    return load_contract(REFERENCE)


def _reconcile(
    contract: Contract,
    rows: list[dict[str, Any]],
    events: list[dict[str, Any]] | None = None,
    claims: Claims | None = None,
) -> Reconciliation:
    tickets = Tickets.from_rows(rows)
    table = Events.from_rows(tickets, events) if events else Events.empty()
    evaluation = evaluate_tickets(contract, tickets, table, as_of=AS_OF)
    return reconcile(contract, tickets, table, evaluation, claims=claims)


def _p1(ticket_id: str, created: int, resolved: int, provider_met: bool) -> dict[str, Any]:
    return {
        "id": ticket_id,
        "kind": "incident",
        "priority": "P1",
        "created_at": created,
        "first_response_at": created + 600,
        "resolved_at": resolved,
        "state": "closed",
        "provider_resolution_met": provider_met,
        "provider_response_met": True,
    }


def test_it_blames_the_calendar_when_the_provider_counts_nights_and_weekends(
    contract: Contract,
) -> None:
    # Friday 17:30 to Monday 10:00: 2 h 30 of business time (met), 64 h 30 of wall clock.
    rec = _reconcile(contract, [_p1("T1", at(2026, 10, 2, 17, 30), at(2026, 10, 5, 10), False)])
    (gap,) = rec.verdicts
    assert (gap.ticket_id, gap.pilotage, gap.provider, gap.cause) == (
        "T1",
        "met",
        "breached",
        "calendar",
    )
    assert gap.elapsed == 9000 and gap.target == 3 * 3600


def test_it_blames_the_holiday_before_the_calendar(contract: Contract) -> None:
    # 11 November is a public holiday: Tue 17:00 to Thu 09:30 is 2 h 30 of business time.
    rec = _reconcile(contract, [_p1("T2", at(2026, 11, 10, 17), at(2026, 11, 12, 9, 30), False)])
    assert [g.cause for g in rec.verdicts] == ["holiday"]


def test_it_blames_the_pause_when_the_provider_counts_waiting_for_the_customer(
    contract: Contract,
) -> None:
    row = {
        "id": "T3",
        "kind": "incident",
        "priority": "P2",
        "created_at": at(2026, 10, 5, 9),
        "resolved_at": at(2026, 10, 6, 17, 30),
        "state": "closed",
        "provider_resolution_met": False,
    }
    events = [
        {"ticket_id": "T3", "at": at(2026, 10, 5, 9), "status": "open"},
        {
            "ticket_id": "T3",
            "at": at(2026, 10, 5, 10),
            "status": "paused",
            "pause_reason": "waiting_customer",
        },
        {"ticket_id": "T3", "at": at(2026, 10, 6, 17), "status": "open"},
        {"ticket_id": "T3", "at": at(2026, 10, 6, 17, 30), "status": "resolved"},
    ]
    rec = _reconcile(contract, [row], events)
    (gap,) = rec.verdicts
    assert (gap.level_id, gap.pilotage, gap.cause) == ("p2-resolution", "met", "pause")


def test_it_names_a_priority_change_when_no_clock_variant_explains(contract: Contract) -> None:
    row = _p1("T4", at(2026, 10, 5, 9), at(2026, 10, 5, 15), True)
    events = [
        {"ticket_id": "T4", "at": at(2026, 10, 5, 9), "status": "open", "priority": "P2"},
        {"ticket_id": "T4", "at": at(2026, 10, 5, 10), "status": "open", "priority": "P1"},
        {"ticket_id": "T4", "at": at(2026, 10, 5, 15), "status": "resolved"},
    ]
    rec = _reconcile(contract, [row], events)
    resolution = [g for g in rec.verdicts if g.level_id == "p1-resolution"]
    assert [(g.pilotage, g.provider, g.cause) for g in resolution] == [
        ("breached", "met", "priority")
    ]


def test_agreeing_verdicts_are_not_listed(contract: Contract) -> None:
    rec = _reconcile(contract, [_p1("T5", at(2026, 10, 5, 9), at(2026, 10, 5, 10), True)])
    assert rec.verdicts == ()


def test_a_cancelled_ticket_the_provider_judged_is_a_population_gap(contract: Contract) -> None:
    cancelled = _p1("T6", at(2026, 10, 5, 9), at(2026, 10, 5, 10), True) | {"state": "cancelled"}
    counted = _p1("T7", at(2026, 10, 6, 9), at(2026, 10, 6, 10), True)
    rec = _reconcile(contract, [cancelled, counted])
    sides = {(g.ticket_id, g.side, g.reason) for g in rec.population}
    assert ("T6", "provider_only", "cancelled") in sides
    assert not any(g.ticket_id == "T7" for g in rec.population)


def test_claims_are_compared_per_window_with_the_gap_in_points(contract: Contract) -> None:
    rows = [
        _p1("A", at(2026, 10, 5, 9), at(2026, 10, 5, 10), True),
        _p1("B", at(2026, 10, 6, 9), at(2026, 10, 6, 17), True),  # 7 h: breached
    ]
    claims = Claims(
        service_level=object_array(["p1-resolution", "p1-response"]),
        window=object_array(["2026-10", "2026-10"]),
        eligible=np.array([2, 2], dtype=np.int64),
        met=np.array([2, 2], dtype=np.int64),
        compliance=object_array([Decimal(1), None]),
    )
    rec = _reconcile(contract, rows, claims=claims)
    by_key = {(c.level_id, c.window): c for c in rec.claims}
    resolution = by_key[("p1-resolution", "2026-10")]
    assert resolution.status == "disagrees"
    assert resolution.compliance == Decimal("0.5")
    assert resolution.gap_points == Decimal("50.00")
    assert resolution.causes == {"unexplained": 1}
    response = by_key[("p1-response", "2026-10")]
    assert response.status == "agrees"
    assert response.claimed_compliance == Decimal(1)
