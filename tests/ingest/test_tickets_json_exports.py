"""JSON exports read through the same mappings as CSV: ServiceNow's list export
(``{"records": [...]}``) and its Table API (``{"result": [...]}``, values given
as ``{"display_value", "value"}``)."""

from __future__ import annotations

import csv
import json
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from pilotage.errors import ImportDataError
from pilotage.ingest.sources import read_source
from pilotage.tables import Tickets

FIXTURES = Path(__file__).parent / "fixtures" / "tickets"


def _rows() -> list[dict[str, str]]:
    with (FIXTURES / "servicenow_incidents.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _same(a: Tickets, b: Tickets) -> None:
    for f in fields(Tickets):
        assert np.array_equal(getattr(a, f.name), getattr(b, f.name)), f.name


def _read(path: Path) -> Tickets:
    return read_source("servicenow", [path], timezone="Europe/Paris").tickets


def test_the_list_export_in_json_reads_as_the_csv(tmp_path: Path) -> None:
    path = tmp_path / "incident.json"
    path.write_text(json.dumps({"records": _rows()}), encoding="utf-8")
    _same(_read(path), _read(FIXTURES / "servicenow_incidents.csv"))


def test_the_table_api_answer_reads_its_display_values(tmp_path: Path) -> None:
    records = [
        {k: {"display_value": v, "value": f"raw-{v}"} for k, v in row.items()} for row in _rows()
    ]
    path = tmp_path / "incident-api.json"
    path.write_text(json.dumps({"result": records}), encoding="utf-8")
    _same(_read(path), _read(FIXTURES / "servicenow_incidents.csv"))


def test_a_json_file_that_holds_no_records_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "incident.json"
    path.write_text(json.dumps({"count": 3}), encoding="utf-8")
    with pytest.raises(ImportDataError) as caught:
        _read(path)
    assert "incident.json" in caught.value.message("en")
    assert "list of records" in caught.value.message("en")
