"""Uptime Kuma: heartbeats and maintenance windows read from its SQLite database.

The database (``kuma.db``) is opened read-only.  Tables used:

- ``monitor(id, name, …)``;
- ``heartbeat(id, monitor_id, status, time, …)``: ``status`` 0 DOWN, 1 UP,
  2 PENDING (a failed check still being retried), 3 MAINTENANCE; ``time`` is
  UTC text ``YYYY-MM-DD HH:MM:SS[.mmm]``;
- ``maintenance(id, title, …)``, ``monitor_maintenance(monitor_id,
  maintenance_id)`` and, in Kuma 1.x, ``maintenance_timeslot(maintenance_id,
  start_date, end_date)`` (UTC).

Heartbeats become :class:`~pilotage.tables.Probes` (UP 1, DOWN 0, PENDING as
the caller says: Kuma itself counts it as down, the contract may not).
Maintenance windows become :class:`~pilotage.tables.Outages` of kind
``maintenance`` with an unknown announcement time: from the timeslots when
the database has them, otherwise (Kuma 2.x computes slots on the fly) from
each run of MAINTENANCE heartbeats, up to the next heartbeat that is not.
Timeslots without an end (ongoing manual maintenance) are left out.

Monitors are named in the contract's services as ``uptime-kuma:<id>``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from pilotage import i18n
from pilotage.errors import ImportDataError, Location
from pilotage.ingest._tabular import Problems, build_probes
from pilotage.ingest.monitoring import outages_from_rows
from pilotage.ingest.sources_monitoring._common import Availability, monitors_of
from pilotage.tables import MISSING

__all__ = ["read_uptime_kuma"]

MESSAGES = {
    "import.kuma_open": {
        "en": "the Uptime Kuma database cannot be opened read-only: {reason}",
        "fr": "la base Uptime Kuma ne peut pas être ouverte en lecture seule : {reason}",
    },
    "import.kuma_not_kuma": {
        "en": "not an Uptime Kuma database: table {table} is missing",
        "fr": "ce n’est pas une base Uptime Kuma : la table {table} est absente",
    },
    "import.kuma_bad_ref": {
        "en": 'monitor reference "uptime-kuma:{ref}" of service {service}: '
        "expected uptime-kuma:<monitor id>, for example uptime-kuma:12",
        "fr": "référence de sonde « uptime-kuma:{ref} » du service {service} : "
        "attendu uptime-kuma:<numéro de sonde>, par exemple uptime-kuma:12",
    },
    "import.kuma_no_monitor": {
        "en": "monitor {monitor} (service {service}) is not in the database; "
        "its monitors are: {known}",
        "fr": "la sonde {monitor} (service {service}) n’est pas dans la base ; "
        "ses sondes sont : {known}",
    },
    "import.kuma_bad_status": {
        "en": "unknown heartbeat status: expected 0 (down), 1 (up), 2 (pending) or 3 (maintenance)",
        "fr": "état de pulsation inconnu : attendu 0 (panne), 1 (disponible), "
        "2 (en attente) ou 3 (maintenance)",
    },
    "import.kuma_bad_time": {
        "en": "not a UTC date and time YYYY-MM-DD HH:MM:SS",
        "fr": "date et heure UTC illisibles (attendu AAAA-MM-JJ HH:MM:SS)",
    },
}
i18n.register(MESSAGES)

Pending = Literal["down", "up", "ignore"]
_DOWN, _UP, _PENDING, _MAINTENANCE = 0, 1, 2, 3


def _utc(text: object) -> int:
    if not isinstance(text, str):
        raise ValueError(text)
    value = dt.datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return int(value.timestamp())


def _tables(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def read_uptime_kuma(
    path: Path | str,
    monitors: Mapping[str, Sequence[str]],
    *,
    pending: Pending,
    since: int | None = None,
    until: int | None = None,
) -> Availability:
    """Read the heartbeats and maintenance windows of the mapped monitors.

    ``monitors`` maps each service to its monitor references (refs of other
    tools are ignored).  ``pending`` says what a PENDING heartbeat is:
    ``"down"`` (as Kuma counts it), ``"up"`` or ``"ignore"``.  ``since`` and
    ``until`` (UTC epoch seconds, inclusive / exclusive) bound the heartbeats
    read, for incremental imports.
    """
    path = Path(path)
    file = path.name
    problems = Problems()
    by_monitor: dict[int, list[str]] = {}
    for ref, services in monitors_of(monitors, "uptime-kuma").items():
        if not ref.isdigit():
            problems.add("import.kuma_bad_ref", file=file, ref=ref, service=services[0])
            continue
        by_monitor[int(ref)] = services
    problems.raise_if_any()
    try:
        if not path.is_file():
            raise sqlite3.OperationalError("no such file")
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ImportDataError("import.kuma_open", {"reason": str(exc)}, Location(file)) from exc
    try:
        return _read(db, file, by_monitor, pending, since, until, problems)
    except sqlite3.DatabaseError as exc:
        raise ImportDataError("import.kuma_open", {"reason": str(exc)}, Location(file)) from exc
    finally:
        db.close()


def _read(
    db: sqlite3.Connection,
    file: str,
    by_monitor: dict[int, list[str]],
    pending: Pending,
    since: int | None,
    until: int | None,
    problems: Problems,
) -> Availability:
    tables = _tables(db)
    for table in ("monitor", "heartbeat"):
        if table not in tables:
            raise ImportDataError("import.kuma_not_kuma", {"table": table}, Location(file))
    known = dict(db.execute("SELECT id, name FROM monitor ORDER BY id").fetchall())
    for monitor, services in by_monitor.items():
        if monitor not in known:
            listing = ", ".join(f"{i} {n}" for i, n in known.items()) or "-"
            problems.add(
                "import.kuma_no_monitor",
                file=file,
                monitor=monitor,
                service=services[0],
                known=listing,
            )
    problems.raise_if_any()

    bounds = ""
    args: list[object] = []
    if since is not None:
        bounds += " AND time >= ?"
        args.append(dt.datetime.fromtimestamp(since, dt.UTC).strftime("%Y-%m-%d %H:%M:%S"))
    if until is not None:
        bounds += " AND time < ?"
        args.append(dt.datetime.fromtimestamp(until, dt.UTC).strftime("%Y-%m-%d %H:%M:%S"))
    service: list[str] = []
    at: list[int] = []
    up: list[int] = []
    maint: list[tuple[str, int, int]] = []
    use_heartbeats = "maintenance_timeslot" not in tables
    for monitor in sorted(by_monitor):
        rows = db.execute(
            "SELECT id, status, time FROM heartbeat"
            f" WHERE monitor_id = ?{bounds} ORDER BY time, id",
            [monitor, *args],
        ).fetchall()
        run_start: int | None = None
        last = 0
        for beat_id, status, time_text in rows:
            where = {"file": file, "row": beat_id, "value": str(time_text)}
            try:
                instant = _utc(time_text)
            except ValueError:
                problems.add("import.kuma_bad_time", column="heartbeat.time", **where)
                continue
            if status not in (_DOWN, _UP, _PENDING, _MAINTENANCE):
                where["value"] = str(status)
                problems.add("import.kuma_bad_status", column="heartbeat.status", **where)
                continue
            last = instant
            if status == _MAINTENANCE:
                if run_start is None:
                    run_start = instant
                continue
            if run_start is not None:
                if use_heartbeats:
                    maint += [(s, run_start, instant) for s in by_monitor[monitor]]
                run_start = None
            if status == _PENDING:
                if pending == "ignore":
                    continue
                value = 1 if pending == "up" else 0
            else:
                value = status
            for s in by_monitor[monitor]:
                service.append(s)
                at.append(instant)
                up.append(value)
        if run_start is not None and use_heartbeats:
            maint += [(s, run_start, last) for s in by_monitor[monitor]]
    if not use_heartbeats and by_monitor:
        maint += _timeslots(db, file, by_monitor, problems)
    problems.raise_if_any()
    unique = sorted(set(maint))
    outages = outages_from_rows(
        [m[0] for m in unique],
        [m[1] for m in unique],
        [m[2] for m in unique],
        ["maintenance"] * len(unique),
        [int(MISSING)] * len(unique),
    )
    return Availability(probes=build_probes(service, np.array(at), np.array(up)), outages=outages)


def _timeslots(
    db: sqlite3.Connection, file: str, by_monitor: dict[int, list[str]], problems: Problems
) -> list[tuple[str, int, int]]:
    marks = ",".join("?" * len(by_monitor))
    rows = db.execute(
        "SELECT mm.monitor_id, ts.id, ts.start_date, ts.end_date"
        " FROM maintenance_timeslot ts"
        " JOIN monitor_maintenance mm ON mm.maintenance_id = ts.maintenance_id"
        f" WHERE mm.monitor_id IN ({marks}) AND ts.end_date IS NOT NULL"
        " ORDER BY ts.start_date, ts.id",
        sorted(by_monitor),
    ).fetchall()
    out: list[tuple[str, int, int]] = []
    for monitor, slot_id, start_text, end_text in rows:
        bounds: list[int] = []
        for column, text in (("start_date", start_text), ("end_date", end_text)):
            try:
                bounds.append(_utc(text))
            except ValueError:
                problems.add(
                    "import.kuma_bad_time",
                    file=file,
                    row=slot_id,
                    column=f"maintenance_timeslot.{column}",
                    value=str(text),
                )
        if len(bounds) == 2:
            out += [(s, bounds[0], bounds[1]) for s in by_monitor[monitor]]
    return out
