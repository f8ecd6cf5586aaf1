"""Loading the reference contract into typed terms, and the YAML 1.2 reading rules."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pilotage.contract import (
    ContractErrors,
    canonical_json,
    document_hash,
    load_contract,
    read_document,
)
from pilotage.contract.model import Band, Cap, Duration
from pilotage.errors import ContractError

from .conftest import FIXTURES, REFERENCE

SHARED_REFERENCE = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "examples" / "contract-example.yaml"
)


def test_shipped_reference_is_the_published_one() -> None:
    if not SHARED_REFERENCE.exists():
        pytest.skip("the shared reference contract is not beside the repository")
    assert REFERENCE.read_bytes() == SHARED_REFERENCE.read_bytes()


def test_reference_has_two_versions() -> None:
    contract = load_contract(REFERENCE)
    assert contract.id == "martin-nordinfo"
    assert contract.source == str(REFERENCE)
    original, amended = contract.versions
    assert original.effective == dt.date(2025, 12, 15)  # signed before term.start
    assert original.amendment_id is None and original.signed_on == dt.date(2025, 12, 15)
    assert amended.effective == dt.date(2026, 7, 1)
    assert amended.amendment_id == "avenant-1"
    assert amended.signed_on == dt.date(2026, 6, 20)
    assert amended.summary.startswith("Rétablissement P1")


def test_reference_terms_change_with_the_amendment() -> None:
    original, amended = (v.terms for v in load_contract(REFERENCE).versions)
    assert original.monthly_fee == Decimal(4800) and amended.monthly_fee == Decimal(5100)
    assert original.level("p1-resolution").target == Duration(Decimal(4), "h")
    assert amended.level("p1-resolution").target == Duration(Decimal(3), "h")
    assert original.level("p1-response").target == amended.level("p1-response").target
    assert original.document["contract"]["price"]["monthly_fee"] == 4800
    assert "amendments" not in original.document


def test_reference_terms_are_typed() -> None:
    terms = load_contract(REFERENCE).versions[0].terms
    assert terms.timezone == "Europe/Paris" and terms.currency == "EUR"
    assert terms.term_start == dt.date(2026, 1, 1)
    assert terms.scope["user_support"] is True and terms.scope["business_applications"] is False
    assert terms.priority_basis == "final"
    assert terms.priority_levels == ("P1", "P2", "P3", "P4")
    assert terms.services["sauvegarde"].rto == Duration(Decimal(8), "h")
    assert terms.services["messagerie"].monitors == ("uptime-kuma:12",)
    assert terms.measurement.unknown_pause_reason == "counts"

    p1 = terms.level("p1-response")
    assert p1.objective == Decimal("0.95") and isinstance(p1.objective, Decimal)
    assert (p1.clock_start, p1.clock_stop) == ("created", "first_response")
    assert p1.applies_to.kind == ("incident",) and p1.applies_to.priority == ("P1",)
    assert p1.response_means == "qualified_human" and p1.assign_to == "creation"
    assert p1.penalty is not None
    assert p1.penalty.per_breach == Decimal(150) and p1.penalty.cap == Cap(amount=Decimal(1500))

    p1r = terms.level("p1-resolution")
    assert p1r.allowed_breaches == 1 and p1r.pause_when == ("waiting_customer",)
    assert p1r.penalty is not None and p1r.penalty.per_point_below == Decimal("0.01")
    assert p1r.penalty.cap == Cap(fraction_of_fee=Decimal("0.05"))
    p2 = terms.level("p2-resolution")
    assert p2.penalty is not None and p2.penalty.per_point_below == Decimal("0.005")
    assert terms.level("requests").target == Duration(Decimal(3), "d")

    mail = terms.level("mail-availability")
    assert mail.objective == Decimal("0.995")
    assert mail.penalty is not None and mail.penalty.bands == (
        Band(below=Decimal("0.995"), penalty=Decimal("0.03")),
        Band(below=Decimal("0.99"), penalty=Decimal("0.08")),
    )
    assert mail.outage is not None and mail.outage.failed_samples == 2
    assert mail.maintenance is not None and mail.maintenance.notice == Duration(Decimal(48), "h")
    assert mail.maintenance.only_outside == "business"
    assert mail.maintenance.out_of_measured_time is False

    assert terms.level("backups").warning_counts_as == "success"
    assert terms.level("backups").schedule is None
    restore = terms.level("restore-tests")
    assert restore.every == Duration(Decimal(6), "mo") and restore.within_rto is True

    assert terms.penalties.monthly_cap == Decimal("0.15") and terms.penalties.grace_months == 2
    assert terms.penalties.claim_within == Duration(Decimal(2), "mo")
    assert terms.penalties.persistent_consecutive_months == 3


def test_calendars_get_the_contract_timezone() -> None:
    terms = load_contract(FIXTURES / "minimal.yaml").versions[0].terms
    assert terms.calendars["business"] == {
        "timezone": "Europe/Paris",
        "hours": {"mon-fri": ["09:00-17:00"]},
    }


def _plain_types(value: Any) -> set[type]:
    if isinstance(value, dict):
        return {dict}.union(*(_plain_types(v) for v in value.values()), *map(_plain_types, value))
    if isinstance(value, list):
        return {list}.union(*(_plain_types(v) for v in value))
    return {type(value)}


def test_document_is_plain_data_and_hashed_canonically() -> None:
    version = load_contract(REFERENCE).versions[1]
    assert _plain_types(version.terms.document) <= {
        dict,
        list,
        str,
        int,
        bool,
        Decimal,
        dt.date,
        type(None),
    }
    text = canonical_json(version.terms.document)
    assert '"monthly_fee":5100' in text and '"signed_on":"2025-12-15"' in text
    assert '"per_point_below":"0.5%"' in text
    assert version.hash == hashlib.sha256(text.encode()).hexdigest()
    assert version.hash == document_hash(version.terms.document)
    assert canonical_json({"b": Decimal("85.50"), "a": 1}) == '{"a":1,"b":"85.50"}'


def test_hash_ignores_formatting_and_later_amendments() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    original = load_contract(REFERENCE).versions[0].hash
    reformatted = text.replace("# tacit | express | none", "").replace(
        "monthly_fee: 4800", "monthly_fee:   4800"
    )
    assert load_contract(reformatted).versions[0].hash == original
    more = text + (
        "  - id: avenant-2\n    effective: 2027-01-01\n    set:\n      penalties.grace_months: 0\n"
    )
    contract = load_contract(more)
    assert [v.hash for v in contract.versions][:2] == [
        v.hash for v in load_contract(REFERENCE).versions
    ]
    assert contract.versions[2].terms.penalties.grace_months == 0


MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


def test_yaml_1_2_traps() -> None:
    text = MINIMAL.replace(
        "  price: {currency: EUR, monthly_fee: 1000}",
        "  price: {currency: EUR, monthly_fee: 1000, indexation: {base_month: 2025-09}}\n"
        "  dispute_resolution: {governing_law: NO}\n  customer: {name: yes}",
    ).replace('["09:00-17:00"]', "[08:30-17:00]")
    document = read_document(text)
    assert document["contract"]["dispute_resolution"]["governing_law"] == "NO"
    assert document["contract"]["customer"]["name"] == "yes"
    assert document["contract"]["price"]["indexation"]["base_month"] == "2025-09"
    assert document["contract"]["term"]["start"] == dt.date(2026, 1, 1)
    assert document["calendars"]["business"]["hours"]["mon-fri"] == ["08:30-17:00"]
    terms = load_contract(text).versions[0].terms
    assert terms.calendars["business"]["hours"] == {"mon-fri": ["08:30-17:00"]}


def test_decimal_amounts_keep_their_value() -> None:
    text = MINIMAL.replace("monthly_fee: 1000", "monthly_fee: 1234.56")
    assert load_contract(text).versions[0].terms.monthly_fee == Decimal("1234.56")


def test_extensions_are_free_anywhere() -> None:
    text = (
        MINIMAL.replace("pilotage: 1", "pilotage: 1\nx-owner: {team: it}")
        .replace("    window: month", "    window: month\n    x-comment: [free, data]")
        .replace("  business: {hours:", "  x-draft: {anything: true}\n  business: {hours:")
        .replace('{mon-fri: ["09:00-17:00"]}', '{mon-fri: ["09:00-17:00"], x-why: lunch kept}')
    )
    terms = load_contract(text).versions[0].terms
    assert list(terms.calendars) == ["business"]
    assert terms.calendars["business"]["hours"] == {"mon-fri": ["09:00-17:00"]}
    assert terms.document["calendars"]["business"]["hours"]["x-why"] == "lunch kept"
    assert terms.document["x-owner"] == {"team": "it"}


def test_text_is_read_as_text_and_named() -> None:
    contract = load_contract(MINIMAL, source_name="mini.yaml")
    assert contract.source == "mini.yaml"
    with pytest.raises(ContractErrors) as caught:
        load_contract(MINIMAL.replace("objective: 95%", "objective: 95"), source_name="mini.yaml")
    assert caught.value.errors[0].location is not None
    assert caught.value.errors[0].location.file == "mini.yaml"


def test_missing_file_is_a_contract_error(tmp_path: Path) -> None:
    with pytest.raises(ContractError) as caught:
        load_contract(tmp_path / "nowhere.yaml")
    assert isinstance(caught.value, ContractErrors)
    assert caught.value.errors[0].code == "contract.unreadable"


def test_backup_schedule_and_maintenance_out_of_measured_time() -> None:
    text = MINIMAL.replace(
        "service_levels:\n",
        "service_levels:\n"
        "  - id: backups\n    name: Backups\n    metric: backup_success\n"
        "    objective: 98%\n    window: month\n"
        '    schedule: {weekdays: mon-fri, at: ["22:00", "02:00"]}\n'
        "  - id: up\n    name: Up\n    metric: availability\n    calendar: business\n"
        "    objective: 99%\n    window: month\n"
        "    exclusions: {maintenance: {notice: 2bd, out_of_measured_time: true}}\n",
    )
    terms = load_contract(text).versions[0].terms
    schedule = terms.level("backups").schedule
    assert schedule is not None
    assert schedule.weekdays == (1, 2, 3, 4, 5) and schedule.times == ("22:00", "02:00")
    maintenance = terms.level("up").maintenance
    assert maintenance is not None and maintenance.out_of_measured_time is True
    assert maintenance.notice == Duration(Decimal(2), "bd")


def test_merge_keys_and_special_floats() -> None:
    text = MINIMAL.replace(
        "calendars:", "x-base: &base {hours: 24x7}\ncalendars:\n  night: {<<: *base, timezone: UTC}"
    )
    assert load_contract(text).versions[0].terms.calendars["night"] == {
        "timezone": "UTC",
        "hours": "24x7",
    }
    with pytest.raises(ContractErrors) as caught:
        load_contract(MINIMAL.replace("monthly_fee: 1000", "monthly_fee: .nan"))
    assert [e.code for e in caught.value.errors] == ["contract.bad_amount"]
