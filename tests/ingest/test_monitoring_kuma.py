"""Uptime Kuma: a database built with Kuma's own table layout (db/knex_init_db.js)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from pilotage.errors import ImportDataError
from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.sources_monitoring.kuma import read_uptime_kuma
from pilotage.tables import MISSING

SCHEMA = """
CREATE TABLE user (id INTEGER PRIMARY KEY AUTOINCREMENT, username VARCHAR(255) NOT NULL UNIQUE,
    password VARCHAR(255), active BOOLEAN NOT NULL DEFAULT 1, timezone VARCHAR(150),
    twofa_secret VARCHAR(64), twofa_status BOOLEAN NOT NULL DEFAULT 0,
    twofa_last_token VARCHAR(6));
CREATE TABLE monitor (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(150),
    active BOOLEAN NOT NULL DEFAULT 1, user_id INTEGER REFERENCES user(id),
    interval INTEGER NOT NULL DEFAULT 20, url TEXT, type VARCHAR(20), weight INTEGER DEFAULT 2000,
    hostname VARCHAR(255), port INTEGER, created_date DATETIME NOT NULL DEFAULT (DATETIME('now')),
    keyword VARCHAR(255), maxretries INTEGER NOT NULL DEFAULT 0,
    ignore_tls BOOLEAN NOT NULL DEFAULT 0, upside_down BOOLEAN NOT NULL DEFAULT 0,
    maxredirects INTEGER NOT NULL DEFAULT 10,
    accepted_statuscodes_json TEXT NOT NULL DEFAULT '["200-299"]',
    retry_interval INTEGER NOT NULL DEFAULT 0, push_token VARCHAR(20) DEFAULT NULL,
    method TEXT NOT NULL DEFAULT 'GET', parent INTEGER REFERENCES monitor(id),
    description TEXT DEFAULT NULL);
CREATE TABLE heartbeat (id INTEGER PRIMARY KEY AUTOINCREMENT,
    important BOOLEAN NOT NULL DEFAULT 0,
    monitor_id INTEGER NOT NULL REFERENCES monitor(id) ON DELETE CASCADE ON UPDATE CASCADE,
    status SMALLINT NOT NULL, msg TEXT, time DATETIME NOT NULL, ping INTEGER,
    duration INTEGER NOT NULL DEFAULT 0, down_count INTEGER NOT NULL DEFAULT 0,
    retries INTEGER NOT NULL DEFAULT 0, end_time DATETIME, response TEXT);
CREATE INDEX monitor_time_index ON heartbeat (monitor_id, time);
CREATE INDEX monitor_important_time_index ON heartbeat (monitor_id, important, time);
CREATE TABLE maintenance (id INTEGER PRIMARY KEY AUTOINCREMENT, title VARCHAR(150) NOT NULL,
    description TEXT NOT NULL, user_id INTEGER REFERENCES user(id),
    active BOOLEAN NOT NULL DEFAULT 1, strategy VARCHAR(50) NOT NULL DEFAULT 'single',
    start_date DATETIME, end_date DATETIME, start_time TIME, end_time TIME,
    weekdays VARCHAR(250) DEFAULT '[]', days_of_month TEXT DEFAULT '[]', interval_day INTEGER,
    cron TEXT, timezone VARCHAR(255), duration INTEGER, last_start_date DATETIME);
CREATE TABLE monitor_maintenance (id INTEGER PRIMARY KEY AUTOINCREMENT,
    monitor_id INTEGER NOT NULL REFERENCES monitor(id) ON DELETE CASCADE,
    maintenance_id INTEGER NOT NULL REFERENCES maintenance(id) ON DELETE CASCADE);
"""

TIMESLOTS = """
CREATE TABLE maintenance_timeslot (id INTEGER PRIMARY KEY AUTOINCREMENT,
    maintenance_id INTEGER NOT NULL REFERENCES maintenance(id) ON DELETE CASCADE,
    start_date DATETIME NOT NULL, end_date DATETIME, generated_next BOOLEAN DEFAULT 0);
"""

# (monitor, status, UTC time): messagerie (12) has a pending retry then a 2-minute outage,
# then a maintenance; ERP (13) is up; the intranet (14) is not mapped to any service.
BEATS = [
    (12, 1, "2026-10-05 12:25:00.114"),
    (12, 1, "2026-10-05 12:26:00.098"),
    (12, 2, "2026-10-05 12:27:00.203"),
    (12, 0, "2026-10-05 12:28:00.087"),
    (12, 0, "2026-10-05 12:29:00.120"),
    (12, 1, "2026-10-05 12:30:00.101"),
    (13, 1, "2026-10-05 12:25:30.000"),
    (14, 0, "2026-10-05 12:25:30.000"),
    (12, 3, "2026-10-10 20:00:00.010"),
    (12, 3, "2026-10-10 20:01:00.012"),
    (12, 1, "2026-10-10 20:02:00.009"),
]

MONITORS = {"messagerie": ["uptime-kuma:12"], "erp": ["uptime-kuma:13", 'prometheus:{job="x"}']}


def utc(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp())


def make_kuma_db(path: Path, *, timeslots: bool) -> Path:
    db = sqlite3.connect(path)
    db.executescript(SCHEMA + (TIMESLOTS if timeslots else ""))
    db.execute("INSERT INTO user (id, username) VALUES (1, 'admin')")
    db.executemany(
        "INSERT INTO monitor (id, name, user_id, interval, url, type, maxretries, retry_interval)"
        " VALUES (?, ?, 1, 60, ?, ?, 1, 60)",
        [
            (12, "Messagerie M365", "https://outlook.office365.com", "http"),
            (13, "ERP Sage X3", "https://erp.example.fr", "keyword"),
            (14, "Intranet", "https://intranet.example.fr", "http"),
        ],
    )
    db.executemany(
        "INSERT INTO heartbeat (monitor_id, status, time, msg, ping, duration, important)"
        " VALUES (?, ?, ?, '', 42, 60, 0)",
        BEATS,
    )
    db.execute(
        "INSERT INTO maintenance (id, title, description, user_id, strategy, start_date, end_date,"
        " timezone) VALUES (1, 'Mise à jour Exchange', 'Correctifs mensuels', 1, 'single',"
        " '2026-10-10 22:00:00', '2026-10-11 01:00:00', 'Europe/Paris')"
    )
    db.execute("INSERT INTO monitor_maintenance (monitor_id, maintenance_id) VALUES (12, 1)")
    if timeslots:
        db.execute(
            "INSERT INTO maintenance_timeslot (maintenance_id, start_date, end_date)"
            " VALUES (1, '2026-10-10 20:00:00', '2026-10-10 23:00:00'),"
            " (1, '2026-11-14 21:00:00', NULL)"
        )
    db.commit()
    db.close()
    return path


@pytest.fixture
def kuma1(tmp_path: Path) -> Path:
    return make_kuma_db(tmp_path / "kuma.db", timeslots=True)


@pytest.fixture
def kuma2(tmp_path: Path) -> Path:
    return make_kuma_db(tmp_path / "kuma2.db", timeslots=False)


def test_heartbeats_become_probes_pending_counted_down(kuma1: Path) -> None:
    data = read_uptime_kuma(kuma1, MONITORS, pending="down")
    probes = data.probes
    assert list(probes.service) == ["erp"] + ["messagerie"] * 7
    assert list(probes.up) == [1, 1, 1, 0, 0, 0, 1, 1]
    assert probes.at[1] == utc("2026-10-05 12:25:00")
    assert probes.at[-1] == utc("2026-10-10 20:02:00")  # maintenance beats are not samples


def test_pending_as_up_or_ignored(kuma1: Path) -> None:
    as_up = read_uptime_kuma(kuma1, MONITORS, pending="up").probes
    ignored = read_uptime_kuma(kuma1, MONITORS, pending="ignore").probes
    assert list(as_up.up[1:]) == [1, 1, 1, 0, 0, 1, 1]
    assert list(ignored.up[1:]) == [1, 1, 0, 0, 1, 1]


def test_kuma1_maintenance_comes_from_timeslots(kuma1: Path) -> None:
    outages = read_uptime_kuma(kuma1, MONITORS, pending="down").outages
    assert list(outages.service) == ["messagerie"]
    assert list(outages.kind) == ["maintenance"]
    assert (outages.start[0], outages.end[0]) == (
        utc("2026-10-10 20:00:00"),
        utc("2026-10-10 23:00:00"),
    )
    assert outages.announced_at[0] == MISSING


def test_kuma2_maintenance_comes_from_maintenance_heartbeats(kuma2: Path) -> None:
    outages = read_uptime_kuma(kuma2, MONITORS, pending="down").outages
    assert list(outages.service) == ["messagerie"]
    assert (outages.start[0], outages.end[0]) == (
        utc("2026-10-10 20:00:00"),
        utc("2026-10-10 20:02:00"),
    )


def test_since_until_bound_the_heartbeats(kuma1: Path) -> None:
    probes = read_uptime_kuma(
        kuma1,
        MONITORS,
        pending="down",
        since=utc("2026-10-05 12:28:00"),
        until=utc("2026-10-05 12:30:00"),
    ).probes
    assert list(probes.up) == [0, 0]


def test_database_is_opened_read_only_and_reads_are_identical(kuma1: Path) -> None:
    before = kuma1.read_bytes()
    a = read_uptime_kuma(kuma1, MONITORS, pending="down")
    b = read_uptime_kuma(kuma1, MONITORS, pending="down")
    assert kuma1.read_bytes() == before
    assert np.array_equal(a.probes.at, b.probes.at) and np.array_equal(a.probes.up, b.probes.up)
    assert list(a.probes.service) == list(b.probes.service)
    assert np.array_equal(a.outages.start, b.outages.start)


def test_unknown_monitor_and_bad_reference(kuma1: Path) -> None:
    with pytest.raises(ImportErrors) as info:
        read_uptime_kuma(kuma1, {"messagerie": ["uptime-kuma:99"]}, pending="down")
    (error,) = info.value.problems
    assert error.code == "import.kuma_no_monitor"
    assert "12 Messagerie M365, 13 ERP Sage X3, 14 Intranet" in error.message("en")
    with pytest.raises(ImportErrors) as info:
        read_uptime_kuma(kuma1, {"messagerie": ["uptime-kuma:mail"]}, pending="down")
    assert "uptime-kuma:<numéro de sonde>" in info.value.message("fr")


def test_bad_heartbeat_names_its_row(kuma1: Path) -> None:
    db = sqlite3.connect(kuma1)
    db.execute("UPDATE heartbeat SET status = 7 WHERE id = 4")
    db.execute("UPDATE heartbeat SET time = 'hier' WHERE id = 5")
    db.commit()
    db.close()
    with pytest.raises(ImportErrors) as info:
        read_uptime_kuma(kuma1, MONITORS, pending="down")
    found = [
        (e.code, e.location.file, e.location.row, e.location.column, e.location.value)
        for e in info.value.problems
        if e.location
    ]
    assert found == [
        ("import.kuma_bad_status", "kuma.db", 4, "heartbeat.status", "7"),
        ("import.kuma_bad_time", "kuma.db", 5, "heartbeat.time", "hier"),
    ]


def test_not_a_kuma_database_or_no_file(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE monitor (id INTEGER, name TEXT)")
    db.close()
    with pytest.raises(ImportDataError) as info:
        read_uptime_kuma(other, MONITORS, pending="down")
    assert info.value.code == "import.kuma_not_kuma"
    assert "heartbeat" in info.value.message("fr")
    with pytest.raises(ImportDataError) as info:
        read_uptime_kuma(tmp_path / "absent.db", MONITORS, pending="down")
    assert info.value.code == "import.kuma_open"
    assert not (tmp_path / "absent.db").exists()


def test_kuma2_maintenance_still_running_ends_at_its_last_heartbeat(kuma2: Path) -> None:
    data = read_uptime_kuma(
        kuma2,
        MONITORS,
        pending="down",
        since=utc("2026-10-10 00:00:00"),
        until=utc("2026-10-10 20:02:00"),
    )
    assert len(data.probes) == 0
    assert (data.outages.start[0], data.outages.end[0]) == (
        utc("2026-10-10 20:00:00"),
        utc("2026-10-10 20:01:00"),
    )
