"""Canonical JSON: documented keys, decimal strings, byte-identical re-render."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from pilotage.reports.json_render import SCHEMA, render_json
from pilotage.reports.model import LevelRow
from tests.reports.sample import sample_report


def _walk(value: object) -> list[object]:
    if isinstance(value, dict):
        return [v for item in value.values() for v in _walk(item)]
    if isinstance(value, list):
        return [v for item in value for v in _walk(item)]
    return [value]


def test_schema_keys() -> None:
    data = json.loads(render_json(sample_report()))
    assert data["schema"] == SCHEMA
    assert {
        "contract",
        "period",
        "as_of",
        "service_levels",
        "penalties",
        "reconciliation",
        "provenance",
    } <= set(data)
    assert data["contract"]["id"] == "martin-nordinfo"
    assert len(data["contract"]["version"]) == 64
    assert data["period"] == "2026-10"
    assert data["as_of"] == "2026-11-05T08:00:00Z"
    assert len(data["service_levels"]) == 7
    for level in data["service_levels"]:
        assert {
            "id",
            "window",
            "eligible",
            "met",
            "breached",
            "compliance",
            "objective",
            "status",
            "penalty",
        } <= set(level)
    p1 = data["service_levels"][0]
    assert p1["id"] == "p1-response"
    assert (p1["eligible"], p1["met"], p1["breached"]) == (6, 5, 1)
    assert p1["objective"] == "0.95"
    assert p1["penalty"] == "150.00"
    assert p1["status"] == "breached"
    assert len(p1["history"]) == 12
    assert data["penalties"]["total"] == "351.26"
    assert data["penalties"]["capped_total"] == "334.26"
    assert data["reconciliation"]["rows"][0]["provider"]["compliance"] == "1"
    assert data["provenance"]["run_key"]
    assert {i["role"] for i in data["provenance"]["inputs"]} >= {"tickets", "events"}


def test_no_float_anywhere() -> None:
    data = json.loads(render_json(sample_report()))
    assert not [v for v in _walk(data) if isinstance(v, float)]


def test_byte_identical() -> None:
    first = render_json(sample_report())
    assert render_json(sample_report()) == first
    assert first.endswith(b"\n")
    text = first.decode("utf-8")
    assert json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False, indent=2) + "\n" == text


def test_decimal_strings_are_normalized() -> None:
    report = sample_report()
    row = report.levels[0]
    padded = replace(row.result, objective=Decimal("0.9500"))
    changed = replace(
        report,
        levels=(
            LevelRow(
                padded,
                row.name,
                row.ref,
                row.target,
                row.calendar,
                row.rag,
                Decimal("150"),
                row.history,
            ),
            *report.levels[1:],
        ),
    )
    assert render_json(changed) == render_json(report)


def test_float_in_details_is_refused() -> None:
    report = sample_report()
    row = report.levels[0]
    bad = replace(row.result, details={"ratio": 0.5})
    changed = replace(report, levels=(replace(row, result=bad), *report.levels[1:]))
    with pytest.raises(TypeError):
        render_json(changed)


def test_documented_keys() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "report-json.md").read_text("utf-8")
    data = json.loads(render_json(sample_report()))
    sections = [
        data,
        data["contract"],
        data["summary"],
        data["service_levels"][0],
        data["penalties"],
        data["penalties"]["lines"][0],
        data["breaches"][0],
    ]
    for section in sections:
        for key in section:
            assert re.search(rf"[`{{ ]{re.escape(key)}[`,}} \[]", doc), key
