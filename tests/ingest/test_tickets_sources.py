"""Source presets and mappings on fixtures written in each tool's real format."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pilotage.errors import ImportDataError
from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.mapping import load_mapping, preset_names
from pilotage.ingest.sources import ImportResult, read_mapped, read_source
from pilotage.ingest.sources.common import parse_duration, pseudonymize
from pilotage.tables import EVENT_STATUSES, MISSING

FIXTURES = Path(__file__).parent / "fixtures" / "tickets"
KEY = b"installation-key"


def _utc(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=dt.UTC).timestamp())


def _events(result: ImportResult, ticket_id: str) -> list[tuple[int, str, str, str, str]]:
    row = result.tickets.id.tolist().index(ticket_id)
    e = result.events
    return [
        (
            int(e.at[i]),
            EVENT_STATUSES[e.status[i]],
            str(e.pause_reason[i]),
            str(e.priority[i]),
            str(e.source_status[i]),
        )
        for i in range(len(e))
        if e.ticket[i] == row
    ]


def test_presets_all_load() -> None:
    names = preset_names()
    assert {"glpi", "bpic2014", "bpic2013", "helpdesk"} <= set(names)
    for name in names:
        assert load_mapping(name).name == name


@pytest.mark.parametrize("name", ["glpi_fr.csv", "glpi_fr.xlsx"])
def test_glpi_french_export(name: str) -> None:
    r = read_source("glpi", [FIXTURES / name], timezone="Europe/Paris", requester_key=KEY)
    t = r.tickets
    assert t.id.tolist() == ["1042", "1043", "1044", "1045", "1046"]
    assert t.state.tolist() == ["closed", "resolved", "open", "open", "open"]
    assert t.priority.tolist() == ["P1", "P2", "P3", "P4", "P4"]
    assert t.kind.tolist() == ["incident", "incident", "request", "incident", "request"]
    assert t.created_at[0] == _utc(2026, 1, 5, 7, 12)
    assert t.waiting_seconds.tolist() == [MISSING, 8100, 97200, MISSING, MISSING]
    # "exceeded" columns are inverted into "met" verdicts
    assert t.provider_response_met.tolist() == [1, 1, 0, 1, -1]
    assert t.provider_resolution_met.tolist() == [1, 0, -1, -1, -1]
    assert len(r.events) == 0
    # the same person written twice differently gets one pseudonym; no name is kept
    assert t.requester[0] == t.requester[2] != t.requester[1]
    assert all(v == "" or v.startswith("p-") for v in t.requester.tolist())
    assert "Description" in r.report.ignored_columns
    assert ("ingest.requester_pseudonymized", {}) in r.report.notes


def test_glpi_english_export() -> None:
    r = read_source("glpi", [FIXTURES / "glpi_en.csv"], timezone="Europe/Paris")
    t = r.tickets
    assert t.state.tolist() == ["closed", "open", "resolved"]
    assert t.waiting_seconds.tolist() == [MISSING, 12600, 2700]
    assert t.provider_response_met.tolist() == [1, 0, 1]
    assert t.requester.tolist() == ["", "", ""]  # no key: names are dropped
    assert ("ingest.requester_dropped", {}) in r.report.notes


def test_glpi_cp1252_export(tmp_path: Path) -> None:
    text = (FIXTURES / "glpi_fr.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("cp1252"))
    r = read_source("glpi", [path], timezone="Europe/Paris")
    assert r.tickets.state.tolist()[1] == "resolved"


def test_unknown_status_names_file_row_column_and_value(tmp_path: Path) -> None:
    text = (FIXTURES / "glpi_fr.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "export.csv"
    path.write_text(text.replace('"En attente"', '"Suspendu"'), encoding="utf-8")
    with pytest.raises(ImportErrors) as info:
        read_source("glpi", [path], timezone="Europe/Paris")
    message = info.value.message("en")
    assert "export.csv, row 4, column Statut" in message and '"Suspendu"' in message
    assert "en attente" in message
    assert "« Suspendu »" in info.value.message("fr")


def test_missing_required_column(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text('"ID";"Titre";"Statut"\n"1";"x";"Clos"\n', encoding="utf-8")
    with pytest.raises(ImportErrors) as info:
        read_source("glpi", [path], timezone="Europe/Paris")
    message = info.value.message("en")
    assert "export.csv, row 1" in message and "created_at" in message
    assert "Date d'ouverture" in message


def test_naive_times_without_timezone_are_refused() -> None:
    with pytest.raises(ImportErrors) as info:
        read_source("glpi", [FIXTURES / "glpi_en.csv"])
    message = info.value.message("en")
    assert "glpi_en.csv, row 2, column Opening date" in message
    assert '"2026-02-02 08:05"' in message and "timezone" in message


def test_duplicate_id_within_one_export(tmp_path: Path) -> None:
    lines = (FIXTURES / "glpi_en.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "export.csv"
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(ImportErrors) as info:
        read_source("glpi", [path], timezone="UTC")
    assert 'row 5, column ID, value "2001"' in info.value.message("en")


def test_later_extraction_wins(tmp_path: Path) -> None:
    lines = (FIXTURES / "glpi_en.csv").read_text(encoding="utf-8").splitlines()
    later = tmp_path / "later.csv"
    later.write_text(lines[0] + "\n" + lines[2].replace('"Pending"', '"Solved"') + "\n")
    r = read_source("glpi", [FIXTURES / "glpi_en.csv", later], timezone="UTC")
    assert r.tickets.id.tolist() == ["2001", "2003", "2002"]
    assert r.tickets.state.tolist()[2] == "resolved"


def test_bpic2014_activity_log() -> None:
    r = read_source("bpic2014", [FIXTURES / "bpic2014_activity.csv"], timezone="Europe/Amsterdam")
    t = r.tickets
    assert t.id.tolist() == ["IM0000101", "IM0000102", "IM0000103"]
    assert t.state.tolist() == ["closed", "closed", "open"]
    assert t.priority.tolist() == ["P3", "P4", "P5"]
    assert t.kind.tolist() == ["incident", "request", "incident"]
    assert t.created_at[0] == _utc(2013, 10, 4, 9, 6, 41)  # CEST
    assert t.resolved_at[1] == MISSING  # closed without resolution
    assert [e[1:3] for e in _events(r, "IM0000101")] == [
        ("open", ""), ("paused", "waiting_vendor"), ("open", ""), ("resolved", ""),
        ("closed", ""),
    ]  # fmt: skip
    assert [e[1] for e in _events(r, "IM0000102")] == ["open", "closed", "open", "closed"]
    assert r.tickets_with_history() == 3
    assert r.report.ignored_values["activity (no status change): Assignment"] == 2


def test_bpic2013_fixed_offset_is_replaced_by_the_stated_timezone() -> None:
    r = read_source("bpic2013", [FIXTURES / "bpic2013_vinst.csv"], timezone="Europe/Brussels")
    t = r.tickets
    # "2012-06-11T09:00:00+01:00" is 09:00 Brussels summer time, i.e. 07:00 UTC
    assert t.created_at[0] == _utc(2012, 6, 11, 7)
    assert t.state.tolist() == ["closed", "cancelled"]
    assert t.priority.tolist() == ["P2", "P3"]
    assert ("paused", "waiting_customer") in [e[1:3] for e in _events(r, "1-364285768")]
    with pytest.raises(ImportErrors, match="timezone"):
        read_source("bpic2013", [FIXTURES / "bpic2013_vinst.csv"])


def test_helpdesk_log_with_priority_change() -> None:
    r = read_source("helpdesk", [FIXTURES / "helpdesk.csv"], timezone="Europe/Rome")
    assert r.tickets.state.tolist() == ["closed", "merged"]
    events = _events(r, "Case 1")
    assert [e[3] for e in events] == ["Value 1", "", "Value 2", "", ""]
    assert events[1][1:3] == ("paused", "waiting")
    assert r.tickets.first_response_at[0] == _utc(2012, 10, 9, 12, 51, 1)


def test_unknown_activity_is_an_error(tmp_path: Path) -> None:
    text = (FIXTURES / "helpdesk.csv").read_text()
    path = tmp_path / "log.csv"
    path.write_text(text.replace("Case 1,Wait,", "Case 1,Coffee break,"))
    with pytest.raises(ImportErrors) as info:
        read_source("helpdesk", [path], timezone="Europe/Rome")
    message = info.value.message("en")
    assert "log.csv, row 4, column Activity" in message and '"Coffee break"' in message


def test_user_mapping_extends_a_preset(tmp_path: Path) -> None:
    mapping = tmp_path / "mine.json"
    mapping.write_text(
        json.dumps(
            {
                "extends": "glpi",
                "timezone": "Europe/Paris",
                "values": {"service": {"Messagerie": "messagerie", "Imprimante": "postes"}},
            }
        )
    )
    m = load_mapping(str(mapping))
    assert m.timezone == "Europe/Paris" and "en attente" in m.statuses
    r = read_mapped([FIXTURES / "glpi_fr.csv"], m)
    assert r.tickets.service.tolist() == ["messagerie", "", "", "postes", ""]
    assert r.report.ignored_values["service: Poste de travail > Écran"] == 1


def test_invalid_mapping_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "layout: tickets\ncolumns: {id: ID, created_at: Date}\nstatuses: {X: waiting}\n"
    )
    with pytest.raises(ImportDataError, match="status must be one of"):
        load_mapping(str(path))
    with pytest.raises(ImportDataError, match="no preset or mapping file"):
        load_mapping("no-such-tool")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2 heures 15 minutes", 8100),
        ("1 jour 3 heures", 97200),
        ("45 minutes", 2700),
        ("3 hours 30 minutes", 12600),
        ("1 day 2 hours 5 minutes 10 seconds", 93910),
        ("0 seconde", 0),
        ("3600", 3600),
        ("1,5 heure", 5400),
        ("2 heures et 15 minutes", 8100),
        ("1 day, 2 hours", 93600),
    ],
)
def test_text_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text", ["bientôt", "2 heures et demie", "-5", "12 parsecs", "2 heures tat 5 minutes"]
)
def test_bad_durations(text: str) -> None:
    assert parse_duration(text) is None


def test_pseudonyms_are_stable_keyed_and_normalized() -> None:
    a = pseudonymize(["Martin Sophie", "martin  sophie", "", "Bernard Luc"], KEY)
    assert a[0] == a[1] and a[2] == "" and a[3] != a[0]
    assert len(a[0]) == 18 and a[0].startswith("p-")
    assert pseudonymize(["Martin Sophie"], b"other-key")[0] != a[0]
    assert pseudonymize(["Martin Sophie"], KEY)[0] == a[0]


def test_servicenow_list_export() -> None:
    r = read_source("servicenow", [FIXTURES / "servicenow_incidents.csv"], timezone="Europe/Paris")
    t = r.tickets
    assert t.state.tolist() == ["closed", "open", "resolved", "cancelled"]
    assert t.priority.tolist() == ["P1", "P3", "P2", "P4"]
    # "5/1/2026 08:12:00" and "05/01/2026 10:45:00": day first, padding optional
    assert t.created_at[0] == _utc(2026, 1, 5, 7, 12)
    assert t.resolved_at[0] == _utc(2026, 1, 5, 9, 45)
    assert t.provider_sla_met.tolist() == [1, -1, 0, -1]  # "?" is unknown
    assert t.title[2] == 'VPN drops, "urgent"'


def test_servicenow_audit_export_gives_history() -> None:
    r = read_source("servicenow-audit", [FIXTURES / "servicenow_audit.csv"], timezone="UTC")
    t = r.tickets
    assert t.state.tolist() == ["closed", "open"]
    assert t.created_at[0] == _utc(2016, 2, 29, 1, 16)  # opened_at, before the first update
    assert t.resolved_at[1] == MISSING  # "?" is unknown
    assert [e[1:3] for e in _events(r, "INC0000045")] == [
        ("open", ""), ("paused", "waiting_customer"), ("open", ""), ("resolved", ""),
        ("closed", ""),
    ]  # fmt: skip
    assert _events(r, "INC0000045")[0][0] == _utc(2016, 2, 29, 1, 16)
    assert [e[3] for e in _events(r, "INC0000047")] == ["P3", "P2"]
    assert t.priority.tolist() == ["P3", "P2"]


def test_itop_export_in_cp1252() -> None:
    r = read_source("itop", [FIXTURES / "itop_requests.csv"], timezone="Europe/Paris")
    t = r.tickets
    assert t.kind.tolist() == ["incident", "request", "incident"]
    assert t.state.tolist() == ["closed", "open", "resolved"]
    assert t.waiting_seconds.tolist() == [0, 5400, MISSING]
    assert t.provider_response_met.tolist() == [1, 1, 0]  # "passed" = missed
    assert t.category[0] == "Boîte aux lettres"
    assert t.first_response_at[0] == _utc(2026, 1, 5, 7, 20)


def test_spreadsheet_date_cells_whatever_the_date_format(tmp_path: Path) -> None:
    import csv

    import openpyxl

    text = (FIXTURES / "servicenow_incidents.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for row in rows[1:]:
        text = row[1] if row[1].count(":") == 2 else row[1] + ":00"
        cells: list[object] = [*row]
        cells[1] = dt.datetime.strptime(text, "%d/%m/%Y %H:%M:%S")
        sheet.append(cells)
    path = tmp_path / "incidents.xlsx"
    book.save(path)
    r = read_source("servicenow", [path], timezone="Europe/Paris")
    assert r.tickets.created_at.tolist()[:2] == [_utc(2026, 1, 5, 7, 12), _utc(2026, 1, 5, 13, 3)]
    assert r.tickets.resolved_at[0] == _utc(2026, 1, 5, 9, 45)  # text cell, d/m/yyyy


def test_itop_localized_export() -> None:
    r = read_source("itop", [FIXTURES / "itop_requests_fr.csv"], timezone="Europe/Paris")
    t = r.tickets
    assert t.state.tolist() == ["resolved", "open"]
    assert t.kind.tolist() == ["incident", "request"]
    assert t.priority.tolist() == ["P2", "P4"]
    assert t.created_at[0] == _utc(2026, 2, 2, 8)


def test_event_log_attributes_are_the_last_known_ones(tmp_path: Path) -> None:
    lines = (FIXTURES / "servicenow_audit.csv").read_text(encoding="utf-8").splitlines()
    closing = (
        lines[1]
        .replace(",New,", ",Closed,")
        .replace("29/2/2016 01:23,Phone", "9/3/2016 10:00,Phone")
    )
    closing = closing.replace("3 - Moderate", "?")
    path = tmp_path / "audit.csv"
    path.write_text("\n".join([*lines, closing]) + "\n", encoding="utf-8")
    r = read_source("servicenow-audit", [path], timezone="UTC")
    assert r.tickets.priority.tolist() == ["P3", "P2"]  # not emptied by the last "?"


def test_glpi_day_first_display_preference_is_detected(tmp_path: Path) -> None:
    import re

    text = (FIXTURES / "glpi_fr.csv").read_text(encoding="utf-8-sig")
    day_first = re.sub(r"(\d{4})-(\d{2})-(\d{2}) ", r"\3-\2-\1 ", text)
    assert "05-01-2026 08:12" in day_first
    path = tmp_path / "export.csv"
    path.write_text(day_first, encoding="utf-8")
    r = read_source("glpi", [path], timezone="Europe/Paris")
    expected = read_source("glpi", [FIXTURES / "glpi_fr.csv"], timezone="Europe/Paris")
    assert r.tickets.created_at.tolist() == expected.tickets.created_at.tolist()
    assert r.tickets.resolved_at.tolist() == expected.tickets.resolved_at.tolist()
