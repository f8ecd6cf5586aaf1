"""``pilotage report`` on real provider exports, every monitoring source, restatements,
bad inputs, and ``pilotage explain``."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pilotage.cli import main

DATA = Path(__file__).resolve().parents[2] / "pilotage" / "demo" / "data"
GLPI = DATA / "glpi-2026-10.csv"
AS_OF = "2026-11-10T09:00"
# The bundled GLPI export writes dates as 01-10-2026 08:22: the glpi preset with dmy_dash.
GLPI_MAPPING = "extends: glpi\ndate_format: dmy_dash\n"


def report(
    out: Path, *extra: str, tickets: Path = DATA / "tickets.csv", lang: str = "en"
) -> list[str]:
    """The arguments of ``pilotage report`` on the bundled contract, as of 10 November."""
    return [
        "report",
        "--lang",
        lang,
        "--contract",
        str(DATA / "contract.yaml"),
        "--tickets",
        str(tickets),
        "--as-of",
        AS_OF,
        "--period",
        "2026-10",
        "--format",
        "json",
        "--out",
        str(out / "r"),
        *extra,
    ]


def load(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "r.json").read_text("utf-8"))
    return data


def level(data: dict[str, Any], level_id: str) -> dict[str, Any]:
    return next(row for row in data["service_levels"] if row["id"] == level_id)


# ------------------------------------------------------------------ a GLPI export


@pytest.fixture(scope="module")
def mapping(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mapping") / "glpi-nordinfo.yaml"
    path.write_text(GLPI_MAPPING, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def glpi(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str, str]:
    out = tmp_path_factory.mktemp("glpi")
    capture = pytest.MonkeyPatch()
    stdout, stderr = io.StringIO(), io.StringIO()
    capture.setattr(sys, "stdout", stdout)
    capture.setattr(sys, "stderr", stderr)
    try:
        # The glpi preset; this export writes its dates as GLPI's "dd-mm-yyyy" display.
        args = report(
            out,
            *("--source", "glpi", "--date-format", "dmy_dash", "--timezone", "Europe/Paris"),
            tickets=GLPI,
        )
        status = main([*args, "--evidence", str(out / "e.zip")])
    finally:
        capture.undo()
    assert status == 0, stderr.getvalue()
    return load(out), stdout.getvalue(), stderr.getvalue()


def waiting_totals() -> dict[str, str]:
    with GLPI.open(encoding="utf-8-sig", newline="") as handle:
        return {row["ID"]: row["Délai d'attente"] for row in csv.DictReader(handle, delimiter=";")}


def test_a_glpi_export_gives_a_report_whose_pauses_are_marked_unverifiable(
    glpi: tuple[dict[str, Any], str, str],
) -> None:
    data, stdout, _ = glpi
    unverifiable = data["unverifiable_pauses"]
    ids = unverifiable["ticket_ids"]
    assert unverifiable["count"] == len(ids) > 0
    totals = waiting_totals()
    # Exactly the tickets whose pause time is GLPI's own total, no other.
    assert all(totals[i] for i in ids)
    assert unverifiable["seconds"] > 0
    points = {p["code"]: p for p in data["committee"]}
    assert points["unverifiable_pauses"]["count"] == len(ids)
    assert f"{len(ids)} ticket(s) have no status history" in stdout
    assert "Ask the provider for the status history" in stdout
    assert {row["id"] for row in data["service_levels"]} >= {"p1-resolution", "requests"}
    assert level(data, "requests")["eligible"] > 0


def test_the_glpi_report_records_the_export_and_its_mapping_source(
    glpi: tuple[dict[str, Any], str, str],
) -> None:
    data, _, stderr = glpi
    roles = {i["role"]: i["name"] for i in data["provenance"]["inputs"]}
    assert roles["tickets"] == "glpi-2026-10.csv"
    assert "Requester names were dropped" in stderr
    # The export has no first-response date: the five P1 tickets cannot be measured on response.
    assert "5 ticket(s) covered by a response level (p1-response) have neither" in stderr
    assert level(data, "p1-response")["status"] == "no_data"


def test_a_naive_export_without_timezone_is_refused_and_the_contracts_is_proposed(
    tmp_path: Path, mapping: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(report(tmp_path, "--mapping", str(mapping), tickets=GLPI, lang="fr"))
    err = capsys.readouterr().err
    assert status == 2
    assert "glpi-2026-10.csv, ligne 2, colonne Date d'ouverture" in err
    assert "« 01-10-2026 08:22 »" in err
    assert "Le fuseau du contrat est Europe/Paris" in err
    assert "--timezone Europe/Paris" in err
    assert not list(tmp_path.iterdir())


def test_a_timezone_that_shifts_creations_out_of_opening_hours_is_warned_about(
    tmp_path: Path, mapping: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = report(
        tmp_path, "--mapping", str(mapping), "--timezone", "America/New_York", tickets=GLPI
    )
    assert main([*args[:2], "fr", *args[3:]]) == 0
    err = capsys.readouterr().err
    assert "Attention : lus dans le fuseau America/New_York" in err
    assert "Les heures semblent décalées" in err


def test_a_plausible_timezone_gives_no_warning(glpi: tuple[dict[str, Any], str, str]) -> None:
    assert "shifted" not in glpi[2]


# ------------------------------------------------------------------ monitoring sources

KUMA_SCHEMA = """
CREATE TABLE monitor (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(150));
CREATE TABLE heartbeat (id INTEGER PRIMARY KEY AUTOINCREMENT, monitor_id INTEGER NOT NULL,
    status SMALLINT NOT NULL, msg TEXT, time DATETIME NOT NULL);
CREATE TABLE maintenance (id INTEGER PRIMARY KEY AUTOINCREMENT, title VARCHAR(150) NOT NULL);
CREATE TABLE monitor_maintenance (id INTEGER PRIMARY KEY AUTOINCREMENT,
    monitor_id INTEGER NOT NULL, maintenance_id INTEGER NOT NULL);
"""


@pytest.fixture(scope="module")
def kuma(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Monitor 12 (``uptime-kuma:12``, the mail in the contract) checked every minute
    from 12:00 to 14:00 UTC on 5 October 2026, down from 12:30 to 12:45."""
    path = tmp_path_factory.mktemp("kuma") / "kuma.db"
    db = sqlite3.connect(path)
    db.executescript(KUMA_SCHEMA)
    db.execute("INSERT INTO monitor (id, name) VALUES (12, 'Messagerie'), (13, 'Intranet')")
    beats = [
        (
            12,
            0 if 30 <= minute < 45 else 1,
            f"2026-10-05 {12 + minute // 60:02d}:{minute % 60:02d}:00",
        )
        for minute in range(120)
    ]
    beats.append((13, 0, "2026-10-05 12:10:00"))
    db.executemany("INSERT INTO heartbeat (monitor_id, status, time) VALUES (?, ?, ?)", beats)
    db.commit()
    db.close()
    return path


def test_an_uptime_kuma_database_is_read_through_the_contracts_monitor_refs(
    tmp_path: Path, kuma: Path
) -> None:
    assert main(report(tmp_path, "--monitoring", str(kuma))) == 0
    data = load(tmp_path)
    mail = level(data, "mail-availability")
    assert mail["details"]["downtime_seconds"] == 15 * 60
    # Only the two hours sampled are measured (the contract excludes missing samples).
    assert mail["details"]["measured_seconds"] <= 2 * 3600
    assert mail["status"] == "breached"
    outages = next(a for a in data["availability"] if a["level_id"] == "mail-availability")
    assert [o["start"] for o in outages["outages"] if o["kind"] == "down"] == [
        "2026-10-05T12:30:00Z"
    ]
    assert {i["role"] for i in data["provenance"]["inputs"]} >= {"kuma"}


def test_a_gzipped_csv_reads_as_the_plain_file(tmp_path: Path) -> None:
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    gz = tmp_path / "outages.csv.gz"
    with (DATA / "outages.csv").open("rb") as source, gzip.open(gz, "wb") as sink:
        shutil.copyfileobj(source, sink)
    assert main(report(plain, "--monitoring", str(DATA / "outages.csv"))) == 0
    assert main(report(packed, "--monitoring", str(gz))) == 0
    a, b = load(plain), load(packed)
    assert level(a, "mail-availability") == level(b, "mail-availability")
    assert a["availability"] == b["availability"]
    assert [i["name"] for i in b["provenance"]["inputs"] if i["role"] == "outages"] == [
        "outages.csv.gz"
    ]


def test_gzipped_tickets_and_events_read_as_the_plain_files(tmp_path: Path) -> None:
    packed = {}
    for name in ("tickets.csv", "events.csv"):
        packed[name] = tmp_path / f"{name}.gz"
        with (DATA / name).open("rb") as source, gzip.open(packed[name], "wb") as sink:
            shutil.copyfileobj(source, sink)
    plain_out, packed_out = tmp_path / "plain", tmp_path / "packed"
    assert main(report(plain_out, "--events", str(DATA / "events.csv"))) == 0
    args = report(packed_out, "--events", str(packed["events.csv"]), tickets=packed["tickets.csv"])
    assert main(args) == 0
    a, b = load(plain_out), load(packed_out)
    for key in ("service_levels", "breaches", "volumes", "penalties"):
        assert a[key] == b[key]


def test_the_bundled_gzipped_probe_samples_measure_the_mail(tmp_path: Path) -> None:
    probes = DATA / "probes-2026-10.csv.gz"
    assert main(report(tmp_path, "--monitoring", str(probes))) == 0
    mail = level(load(tmp_path), "mail-availability")
    assert mail["details"]["measured_seconds"] > 25 * 86_400


def test_a_corrupt_gzip_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "probes.csv.gz"
    bad.write_bytes(b"not gzip at all")
    out = tmp_path / "out"
    assert main(report(out, "--monitoring", str(bad))) == 2
    assert "probes.csv.gz" in capsys.readouterr().err
    assert not out.exists()


# ------------------------------------------------------------------ restatement


@pytest.fixture(scope="module")
def before_waivers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """October's report computed before the committee's waivers were recorded."""
    out = tmp_path_factory.mktemp("previous")
    assert main(report(out, "--events", str(DATA / "events.csv"))) == 0
    return out / "r.json"


def test_a_later_run_that_changes_final_windows_marks_them_restated(
    tmp_path: Path, before_waivers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = report(
        tmp_path,
        "--events",
        str(DATA / "events.csv"),
        "--adjustments",
        str(DATA / "adjustments.csv"),
        "--previous",
        str(before_waivers),
    )
    assert main([*args[:-2], "--format", "json,html", *args[-2:]]) == 0
    data = load(tmp_path)
    # P1 13570 (created in March) excluded and P1 16153 (October) set met by the committee.
    assert data["restated"] == ["2026-03 p1-resolution", "2026-10 p1-resolution"]
    assert "restates windows already reported" in (tmp_path / "r.html").read_text("utf-8")
    assert (
        "Restated since the previous report: 2026-03 p1-resolution, 2026-10"
        in capsys.readouterr().out
    )


def test_the_same_inputs_restate_nothing(tmp_path: Path, before_waivers: Path) -> None:
    args = report(tmp_path, "--events", str(DATA / "events.csv"), "--previous", str(before_waivers))
    assert main(args) == 0
    assert load(tmp_path)["restated"] == []


def test_a_previous_report_of_another_contract_is_refused(
    tmp_path: Path, before_waivers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = json.loads(before_waivers.read_text("utf-8"))
    other["contract"]["id"] = "someone-else"
    path = tmp_path / "other.json"
    path.write_text(json.dumps(other), "utf-8")
    out = tmp_path / "out"
    assert main(report(out, "--previous", str(path))) == 2
    assert "contract someone-else, not martin-nordinfo" in capsys.readouterr().err
    assert not out.exists()


# ------------------------------------------------------------------ bad inputs


def test_a_bad_cell_names_file_row_column_value_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (DATA / "tickets.csv").read_text("utf-8").splitlines(keepends=True)
    header = lines[0].split(",")
    row = lines[2].split(",")
    row[header.index("created_at")] = "31/02/2026 10:00"
    bad = tmp_path / "tickets.csv"
    bad.write_text("".join([lines[0], lines[1], ",".join(row), *lines[3:]]), "utf-8")
    out = tmp_path / "out"
    args = report(out, "--evidence", str(out / "e.zip"), tickets=bad)
    assert main([*args[:-4], "--format", "json,html,pdf", *args[-4:]]) == 2
    err = capsys.readouterr().err
    assert 'tickets.csv, row 3, column created_at, value "31/02/2026 10:00"' in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--format", "json,docx"], "docx"),
        (["--period", "2026-13"], "2026-13"),
        (["--as-of", "10 Nov"], "10 Nov"),
        (["--source", "glpi"], "Date d'ouverture"),
        (["--date-format", "dmy"], "--date-format is for provider exports"),
    ],
)
def test_bad_arguments_exit_with_status_2_and_write_nothing(
    tmp_path: Path, extra: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    tickets = GLPI if extra[0] == "--source" else DATA / "tickets.csv"
    assert main([*report(out, tickets=tickets), *extra]) == 2
    assert expected in capsys.readouterr().err
    assert not out.exists()


def test_an_unreadable_previous_report_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "previous.json"
    bad.write_text("{not json", "utf-8")
    out = tmp_path / "out"
    assert main(report(out, "--previous", str(bad))) == 2
    assert "previous.json" in capsys.readouterr().err
    assert not out.exists()


def test_the_evidence_of_a_provider_export_is_reproducible(
    tmp_path: Path, mapping: Path, glpi: tuple[dict[str, Any], str, str]
) -> None:
    zips = []
    for name in ("first", "second"):
        out = tmp_path / name
        args = report(out, "--mapping", str(mapping), "--timezone", "Europe/Paris", tickets=GLPI)
        assert main([*args, "--evidence", str(out / "e.zip")]) == 0
        data = load(out)
        # The same figures as with the preset and --date-format; the mapping is an input.
        for key in ("service_levels", "unverifiable_pauses", "breaches", "penalties"):
            assert data[key] == glpi[0][key]
        roles = {i["role"]: i["name"] for i in data["provenance"]["inputs"]}
        assert roles["mapping"] == mapping.name
        zips.append((out / "e.zip").read_bytes())
    assert zips[0] == zips[1]


# ------------------------------------------------------------------ explain


def explain(ticket: str, *extra: str) -> list[str]:
    return [
        "explain",
        ticket,
        "--contract",
        str(DATA / "contract.yaml"),
        "--tickets",
        str(DATA / "tickets.csv"),
        "--events",
        str(DATA / "events.csv"),
        "--as-of",
        AS_OF,
        *extra,
    ]


def test_explain_a_reopened_ticket_resumes_its_resolution_clock(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 12550 (P2): resolved on 12 January at 09:05, reopened on 13 January at 11:15.
    assert main(["--lang", "en", *explain("12550")]) == 0
    out = capsys.readouterr().out
    assert "Level p2-resolution" in out
    assert "12/01/2026 09:05 → 13/01/2026 11:15  resolved: the clock stops" in out
    assert "13/01/2026 11:15 → 13/01/2026 13:43  open: the clock runs; counted 1 h 27 min" in out
    assert "Result: 2 h 33 min counted against a target of 8 h: met" in out


def test_explain_an_excluded_ticket_says_why_in_french(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 12517: a cancelled request.
    assert main(explain("12517", "--level", "requests", "--lang", "fr")) == 0
    out = capsys.readouterr().out
    assert "Niveau requests (Traitement des demandes)" in out
    assert "non compté pour ce niveau : ticket annulé" in out


MONITORING = Path(__file__).resolve().parents[1] / "ingest" / "fixtures" / "monitoring"


@pytest.fixture(scope="module")
def tool_contract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled contract whose mail is also watched by Prometheus and Zabbix."""
    text = (DATA / "contract.yaml").read_text("utf-8")
    refs = (
        '["uptime-kuma:12", "zabbix:item:23296", "zabbix:trigger:17001", '
        '\'prometheus:{instance="https://outlook.office365.com",job="blackbox"}\']'
    )
    assert text.count('monitors: ["uptime-kuma:12"]') == 1
    path = tmp_path_factory.mktemp("contract") / "contract.yaml"
    path.write_text(text.replace('monitors: ["uptime-kuma:12"]', f"monitors: {refs}"), "utf-8")
    return path


@pytest.mark.parametrize(
    ("files", "role"),
    [
        (
            ["prometheus/probe_success_part1.json", "prometheus/probe_success_part2.json"],
            "prometheus",
        ),
        (["zabbix/history_icmpping.json"], "zabbix"),
        (["zabbix/events_triggers.json"], "zabbix"),
    ],
)
def test_prometheus_and_zabbix_answers_measure_the_mail(
    tmp_path: Path, tool_contract: Path, files: list[str], role: str
) -> None:
    args = report(tmp_path, "--monitoring", *(str(MONITORING / f) for f in files))
    args[args.index("--contract") + 1] = str(tool_contract)
    assert main(args) == 0
    data = load(tmp_path)
    mail = level(data, "mail-availability")
    assert mail["details"]["measured_seconds"] > 0
    assert mail["details"]["downtime_seconds"] > 0
    assert {i["role"] for i in data["provenance"]["inputs"]} >= {role}


# ------------------------------------------------------------------ the summary


def full_inputs(out: Path, period: str) -> list[str]:
    args = report(
        out,
        "--events",
        str(DATA / "events.csv"),
        "--adjustments",
        str(DATA / "adjustments.csv"),
        "--monitoring",
        str(DATA / "outages.csv"),
        "--backups",
        str(DATA / "backups.csv"),
    )
    args[args.index("--period") + 1] = period
    return args


def test_the_summary_counts_up_to_the_period_reported(tmp_path: Path) -> None:
    september, october = tmp_path / "09", tmp_path / "10"
    assert main(full_inputs(september, "2026-09")) == 0
    assert main(full_inputs(october, "2026-10")) == 0
    sep, oct_ = load(september)["summary"], load(october)["summary"]
    # Year to date: September's total plus October's due.
    assert Decimal(oct_["due_year_to_date"]) == Decimal(sep["due_year_to_date"]) + Decimal(
        oct_["due_this_month"]
    )
    # p1-resolution breached in September and October: the streak ends with the period.
    streak = {p["level_id"]: p["consecutive"] for p in sep["persistent_breaches"]}
    assert streak.get("p1-resolution") == 1
    streak = {p["level_id"]: p["consecutive"] for p in oct_["persistent_breaches"]}
    assert streak["p1-resolution"] == 2
    # Claims still open on 10 November for every month with penalties, up to the period.
    claims = [d["subject"] for d in oct_["deadlines"] if d["kind"] == "claim"]
    assert (
        claims == sorted(claims)
        and "2026-10" in claims
        and "2026-10" not in [d["subject"] for d in sep["deadlines"] if d["kind"] == "claim"]
    )
    assert any(d["kind"] == "notice" for d in oct_["deadlines"])
