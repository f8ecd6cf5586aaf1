"""The published schema and the units it describes."""

from __future__ import annotations

import json
from decimal import Decimal

import jsonschema
import pytest

from pilotage.contract import read_document, schema
from pilotage.contract.model import Duration
from pilotage.contract.units import (
    DURATION_PATTERN,
    PERCENT_PATTERN,
    parse_amount,
    parse_days,
    parse_duration,
    parse_percent,
)

from .conftest import REFERENCE, ROOT


def test_schema_is_valid_draft_2020_12() -> None:
    published = schema()
    assert published["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(published)
    assert published["$defs"]["percent"]["pattern"] == PERCENT_PATTERN
    assert published["$defs"]["duration"]["pattern"] == DURATION_PATTERN


def _json(value: object) -> object:
    return json.loads(json.dumps(value, default=str))


def test_reference_is_an_instance_and_every_key_is_declared() -> None:
    document = _json(read_document(REFERENCE))
    jsonschema.Draft202012Validator(schema()).validate(document)
    text = (ROOT / "pilotage" / "contract" / "schema.json").read_text(encoding="utf-8")
    for section in document:  # type: ignore[union-attr]
        assert f'"{section}"' in text


@pytest.mark.parametrize(
    ("text", "value"),
    [("95%", Decimal("0.95")), ("0.5%", Decimal("0.005")), ("99.95%", Decimal("0.9995"))],
)
def test_percent(text: str, value: Decimal) -> None:
    assert parse_percent(text) == value


@pytest.mark.parametrize("text", ["95", "95 %", "%", "-1%", "1,5%"])
def test_bad_percent(text: str) -> None:
    with pytest.raises(ValueError):
        parse_percent(text)


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("30min", 30, "min"),
        ("4h", 4, "h"),
        ("3d", 3, "d"),
        ("5bd", 5, "bd"),
        ("3mo", 3, "mo"),
        ("1.5h", Decimal("1.5"), "h"),
        ("90s", 90, "s"),
    ],
)
def test_duration(text: str, amount: Decimal, unit: str) -> None:
    assert parse_duration(text) == Duration(Decimal(amount), unit)  # type: ignore[arg-type]
    assert str(parse_duration(text)) == text


@pytest.mark.parametrize("text", ["4", "4 h", "4hours", "h", "3w", "-1h"])
def test_bad_duration(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_amounts_and_days() -> None:
    assert parse_amount(4800) == Decimal(4800)
    assert parse_amount(Decimal("85.50")) == Decimal("85.50")
    for bad in (True, "4800", float("nan")):
        with pytest.raises(ValueError):
            parse_amount(bad)
    assert parse_days("mon-fri") == (1, 2, 3, 4, 5)
    assert parse_days("sat,sun,mon") == (1, 6, 7)
    assert parse_days("fri-mon") == (1, 5, 6, 7)
    assert parse_days("mon-sun") == tuple(range(1, 8))
    with pytest.raises(ValueError):
        parse_days("monday")
