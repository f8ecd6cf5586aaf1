"""Amendments: set, add and remove, their order, and their errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pilotage.contract import load_contract
from pilotage.contract.model import Duration

from .conftest import FIXTURES, errors_of

MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


def _with(amendments: str) -> str:
    return MINIMAL + "amendments:\n" + amendments


def test_set_add_remove() -> None:
    contract = load_contract(
        _with(
            "  - id: av-1\n    effective: 2026-04-01\n"
            "    set:\n      service_levels.p1.objective: 98%\n"
            "      service_levels.p1.allowed_breaches: 2\n"
            "    add:\n      service_levels:\n"
            "        - {id: req, name: Requests, metric: resolution_time, target: 3d,\n"
            "           calendar: business, objective: 90%, window: month,\n"
            "           clock: {start: created, stop: resolved}}\n"
            "      priorities.levels.P1.x-tags: [urgent]\n"
            "  - id: av-2\n    effective: 2026-09-01\n"
            "    remove:\n      service_levels: [p1]\n"
        )
    )
    first, second, third = (v.terms for v in contract.versions)
    assert [v.effective for v in contract.versions] == [
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 1),
        dt.date(2026, 9, 1),
    ]
    assert (
        first.level("p1").objective == Decimal("0.95")
        and first.level("p1").allowed_breaches is None
    )
    assert (
        second.level("p1").objective == Decimal("0.98") and second.level("p1").allowed_breaches == 2
    )
    assert second.level("req").target == Duration(Decimal(3), "d")
    assert second.document["priorities"]["levels"]["P1"]["x-tags"] == ["urgent"]
    assert [level.id for level in third.service_levels] == ["req"]
    assert len({v.hash for v in contract.versions}) == 3


def test_order_is_effective_date_then_listing() -> None:
    contract = load_contract(
        _with(
            "  - id: later\n    effective: 2026-09-01\n"
            "    set: {contract.price.monthly_fee: 1200}\n"
            "  - id: first\n    effective: 2026-03-01\n"
            "    set: {contract.price.monthly_fee: 1100}\n"
            "  - id: same-day\n    effective: 2026-03-01\n    summary: fee again\n"
            "    set: {contract.price.monthly_fee: 1150}\n"
        )
    )
    fees = [(v.effective, v.terms.monthly_fee, v.amendment_id) for v in contract.versions]
    assert fees == [
        (dt.date(2026, 1, 1), Decimal(1000), None),
        (dt.date(2026, 3, 1), Decimal(1150), "first, same-day"),
        (dt.date(2026, 9, 1), Decimal(1200), "later"),
    ]
    assert contract.versions[1].summary == "fee again"


def test_list_items_by_position_and_whole_values() -> None:
    text = _with(
        "  - id: av\n    effective: 2026-02-01\n    set:\n"
        "      service_levels.0.name: First\n"
        '      calendars.business.hours: {mon-sat: ["08:00-18:00"]}\n'
    )
    terms = load_contract(text).versions[1].terms
    assert terms.service_levels[0].name == "First"
    assert terms.calendars["business"]["hours"] == {"mon-sat": ["08:00-18:00"]}


def test_amendment_errors_are_located() -> None:
    assert errors_of(FIXTURES / "bad_amendments.yaml") == [
        ("contract.amendment_bad_path", 26, 7, "service_levels.p2.target"),
        ("contract.bad_duration", 27, 33, "3 hours"),
        ("contract.unknown_key_suggest", 28, 7, "monthly_fees"),
        ("contract.amendment_not_a_list", 30, 7, "contract.price.currency"),
        ("contract.amendment_duplicate_id", 31, 24, "p1"),
        ("contract.amendment_unknown_id", 33, 24, "p9"),
        ("contract.amendment_before_start", 35, 16, "2025-06-01"),
    ]


def test_amended_version_is_validated_like_the_original() -> None:
    text = _with(
        "  - id: av\n    effective: 2026-02-01\n    set:\n"
        "      service_levels.p1.calendar: nights\n"
        "    remove:\n      service_levels: [p1]\n"
        "  - id: av2\n    effective: 2026-03-01\n    add:\n"
        "      service_levels: [{id: x, name: X, metric: response_time}]\n"
    )
    codes = errors_of(text)
    assert ("contract.unknown_calendar", 27, 35, "nights") not in codes  # removed by then
    assert codes == [
        ("contract.metric_requires", 33, 24, None),
        ("contract.metric_requires", 33, 24, None),
        ("contract.metric_requires", 33, 24, None),
        ("contract.metric_requires", 33, 24, None),
        ("contract.metric_requires", 33, 24, None),
    ]


def test_bad_path_suggestion() -> None:
    text = _with(
        "  - id: av\n    effective: 2026-02-01\n    set:\n      service_level.p1.target: 2h\n"
    )
    assert errors_of(text) == [
        ("contract.amendment_bad_path_suggest", 27, 7, "service_level.p1.target")
    ]


def test_amendments_of_one_date_are_validated_together() -> None:
    contract = load_contract(
        _with(
            "  - id: uses\n    effective: 2026-05-01\n"
            "    set: {service_levels.p1.calendar: nights}\n"
            "  - id: defines\n    effective: 2026-05-01\n"
            "    set: {calendars.nights: {hours: 24x7}}\n"
        )
    )
    assert [v.amendment_id for v in contract.versions] == [None, "uses, defines"]
    assert contract.versions[1].terms.level("p1").calendar == "nights"


def test_amendment_on_the_first_day_makes_the_first_version() -> None:
    contract = load_contract(
        _with("  - id: day-one\n    effective: 2026-01-01\n    set: {contract.title: Mini v2}\n")
    )
    assert len(contract.versions) == 1
    assert contract.versions[0].amendment_id == "day-one"
    assert contract.versions[0].terms.title == "Mini v2"


def test_remove_drops_a_named_service_from_its_effective_date() -> None:
    from pathlib import Path

    from pilotage.contract.loader import load_contract

    text = (
        Path(__file__).resolve().parents[2] / "pilotage/contract/examples/reference.yaml"
    ).read_text(encoding="utf-8")
    text += (
        "  - id: avenant-2\n"
        "    signed_on: 2026-09-01\n"
        "    effective: 2026-10-01\n"
        '    summary: "Les postes de travail sortent du catalogue"\n'
        "    remove:\n"
        "      services: [postes]\n"
    )
    contract = load_contract(text, source_name="contract.yaml")
    assert "postes" in contract.versions[-2].terms.services
    assert "postes" not in contract.versions[-1].terms.services


def test_removing_an_unknown_service_names_it() -> None:
    from pathlib import Path

    import pytest

    from pilotage.contract.loader import ContractErrors, load_contract

    text = (
        Path(__file__).resolve().parents[2] / "pilotage/contract/examples/reference.yaml"
    ).read_text(encoding="utf-8")
    text += (
        "  - id: avenant-2\n"
        "    signed_on: 2026-09-01\n"
        "    effective: 2026-10-01\n"
        "    remove:\n"
        "      services: [imprimantes]\n"
    )
    with pytest.raises(ContractErrors) as caught:
        load_contract(text, source_name="contract.yaml")
    assert "imprimantes" in caught.value.message("en")
