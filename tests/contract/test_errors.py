"""Every kind of loader error, with its file, line, column, value and suggestion."""

from __future__ import annotations

import pytest

from pilotage.contract import ContractErrors, load_contract

from .conftest import FIXTURES, errors_of


def test_unknown_keys_with_suggestions() -> None:
    assert errors_of(FIXTURES / "unknown_keys.yaml") == [
        ("contract.bad_day", 9, 48, "monday"),
        ("contract.unknown_key_suggest", 20, 5, "objectve"),
        ("contract.unknown_top_key_suggest", 22, 1, "penaltys"),
        ("contract.unknown_top_key", 23, 1, "zzz"),
    ]


def test_suggestion_is_in_the_message_in_both_languages() -> None:
    with pytest.raises(ContractErrors) as caught:
        load_contract(FIXTURES / "unknown_keys.yaml", source_name="c.yaml")
    objective = caught.value.errors[1]
    assert objective.params["suggestion"] == "objective"
    assert objective.message("en") == (
        'c.yaml:20:5, value "objectve": unknown key "objectve" in service_levels.p1; '
        'did you mean "objective"?'
    )
    assert objective.message("fr") == (
        "c.yaml:20:5, valeur « objectve » : clé « objectve » inconnue dans service_levels.p1 ; "
        "vouliez-vous dire « objective » ?"
    )
    whole = caught.value.message("fr").splitlines()
    assert whole[0] == "c.yaml : 4 erreur(s) dans le contrat"
    assert len(whole) == 5


def test_bad_units() -> None:
    assert errors_of(FIXTURES / "bad_units.yaml") == [
        ("contract.bad_duration", 6, 38, "36 months"),
        ("contract.bad_amount", 7, 39, "1 000 €"),
        ("contract.bad_time_range", 9, 32, "9:00-17:00"),
        ("contract.bad_duration", 17, 13, "4"),
        ("contract.bad_percent", 19, 16, "0.95"),
        ("contract.bad_choice", 20, 13, "monthly"),
        ("contract.bad_percent", 21, 32, "1 %"),
        ("contract.bad_amount_or_percent", 21, 42, "lots"),
    ]


def test_missing_keys_are_errors_never_defaults() -> None:
    assert errors_of(FIXTURES / "missing_keys.yaml") == [
        ("contract.bad_version", 1, 11, "2"),
        ("contract.missing_key", 2, 1, None),
        ("contract.metric_requires", 10, 5, None),
        ("contract.metric_requires", 10, 5, None),
        ("contract.metric_requires", 16, 5, None),
    ]
    with pytest.raises(ContractErrors) as caught:
        load_contract(FIXTURES / "missing_keys.yaml")
    required = [(e.params.get("metric"), e.params["key"]) for e in caught.value.errors[1:]]
    assert required == [
        (None, "title"),
        ("response_time", "target"),
        ("response_time", "clock"),
        ("backup_success", "window"),
    ]


def test_bad_references() -> None:
    assert errors_of(FIXTURES / "bad_references.yaml") == [
        ("contract.bad_timezone", 5, 13, "Europe/Pariss"),
        ("contract.unknown_priority", 18, 33, "P3"),
        ("contract.unknown_calendar_suggest", 21, 15, "busines"),
        ("contract.duplicate_id", 24, 9, "p1"),
        ("contract.unknown_service_suggest", 27, 28, "mial"),
        ("contract.unknown_calendar", 32, 48, "nights"),
    ]


def test_calendars_are_built_with_the_engine() -> None:
    codes = errors_of(FIXTURES / "bad_calendars.yaml")
    assert codes == [
        ("engine.calendar.overlap", 10, 38, "12:00-17:00"),
        ("engine.calendar.unknown_holiday", 13, 38, "Lundi de Pentecote"),
        ("contract.bad_timezone", 15, 15, "Mars/Olympus"),
        ("contract.bad_period", 19, 14, "2026-12-24 14:00-18:00"),
    ]


def test_yaml_errors() -> None:
    assert errors_of(FIXTURES / "yaml_syntax.yaml") == [("contract.yaml_syntax", 4, 9, None)]
    assert errors_of(FIXTURES / "duplicate_key.yaml") == [("contract.duplicate_key", 4, 3, None)]
    assert errors_of(FIXTURES / "not_a_mapping.yaml") == [("contract.not_a_mapping", 1, 1, None)]


def test_wrong_types_and_values() -> None:
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    broken = (
        text.replace("term: {start: 2026-01-01}", "term: {start: 2026-02-30}")
        .replace("name: P1", "name: [P1]")
        .replace("    window: month", "    window: month\n    allowed_breaches: -1")
        .replace("    objective: 95%", "    objective: 95%\n    pause_when: waiting")
    )
    assert errors_of(broken) == [
        ("contract.bad_date", 7, 17, "2026-02-30"),
        ("contract.bad_type_string", 15, 11, None),
        ("contract.bad_type_array", 22, 17, "waiting"),
        ("contract.too_small", 24, 23, "-1"),
    ]
    text_key = text.replace("levels: {P1:", "levels: {1:")
    assert ("contract.key_not_text", 12, 12, "1") in errors_of(text_key)
