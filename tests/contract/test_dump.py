"""Writing a contract document back as YAML 1.2."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.contract import dump_contract, load_contract, read_document

from .conftest import REFERENCE


def test_reference_round_trips() -> None:
    document = read_document(REFERENCE)
    text = dump_contract(document)
    assert text.startswith("%YAML 1.2\n---\n")
    assert read_document(text) == document
    assert [v.hash for v in load_contract(text).versions] == [
        v.hash for v in load_contract(REFERENCE).versions
    ]


def test_resolved_version_round_trips() -> None:
    document = dict(load_contract(REFERENCE).versions[1].terms.document)
    assert read_document(dump_contract(document)) == document


def test_values_keep_their_yaml_types() -> None:
    document = {
        "country": "NO",
        "flag": True,
        "hours": ["08:00-12:30"],
        "day": dt.date(2026, 1, 1),
        "month": "2025-09",
        "fee": Decimal("85.50"),
        "round": Decimal("12"),
        "count": 3,
        "nothing": None,
        "text": "Contrat n° 12: annexe 2",
    }
    text = dump_contract(document)
    assert '"08:00-12:30"' in text and 'month: "2025-09"' in text
    back = read_document(text)
    assert back == {**document, "fee": Decimal("85.5"), "round": Decimal("12.0")}
    assert isinstance(back["fee"], Decimal) and back["country"] == "NO"


text = st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40)
scalars = st.one_of(
    text,
    st.sampled_from(["NO", "true", "null", "~", "1e3", "0x1F", "08:00", "2026-01-01", "- a", "%x"]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1971, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9
    ).map(lambda d: Decimal(repr(float(d)))),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(text.filter(bool), inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(text.filter(bool), documents, min_size=1, max_size=5))
def test_any_plain_document_round_trips(document: dict[str, object]) -> None:
    assert read_document(dump_contract(document)) == document
