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
import numpy.typing as npt

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
    service: list[npt.NDArray[np.object_]] = []
    at: list[npt.NDArray[np.int64]] = []
    up: list[npt.NDArray[np.int64]] = []
    maint: list[tuple[str, int, int]] = []
    use_heartbeats = "maintenance_timeslot" not in tables
    for monitor in sorted(by_monitor):
        # SQLite parses the UTC text itself: fractions of a second are dropped,
        # an unreadable time gives MISSING, a status that is not an integer -1.
        beats = np.array(
            db.execute(
                "SELECT id, CASE WHEN typeof(status) = 'integer' THEN status ELSE -1 END,"
                f" COALESCE(CAST(strftime('%s', time) AS INTEGER), {int(MISSING)})"
                f" FROM heartbeat WHERE monitor_id = ?{bounds} ORDER BY time, id",
                [monitor, *args],
            ).fetchall(),
            dtype=np.int64,
        ).reshape(-1, 3)
        ids, status, instant = beats[:, 0], beats[:, 1], beats[:, 2]
        bad_time = instant == MISSING
        bad_status = ~bad_time & ~np.isin(status, (_DOWN, _UP, _PENDING, _MAINTENANCE))
        if bad_time.any() or bad_status.any():
            _report_beats(db, file, ids[bad_time], ids[bad_status], problems)
            good = ~(bad_time | bad_status)
            ids, status, instant = ids[good], status[good], instant[good]
        in_maintenance = status == _MAINTENANCE
        if use_heartbeats and in_maintenance.any():
            before = np.r_[False, in_maintenance[:-1]]
            after = np.r_[in_maintenance[1:], False]
            firsts = np.flatnonzero(in_maintenance & ~before)
            lasts = np.flatnonzero(in_maintenance & ~after)
            ends = instant[np.minimum(lasts + 1, len(instant) - 1)]
            for first, end in zip(instant[firsts].tolist(), ends.tolist(), strict=True):
                maint += [(s, first, end) for s in by_monitor[monitor]]
        value = status.copy()
        value[status == _PENDING] = 1 if pending == "up" else 0
        keep = ~in_maintenance & ((status != _PENDING) | (pending != "ignore"))
        for s in by_monitor[monitor]:
            service.append(np.full(int(keep.sum()), s, dtype=object))
            at.append(instant[keep])
            up.append(value[keep])
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
    if not service:
        return Availability(probes=build_probes([], [], []), outages=outages)
    probes = build_probes(np.concatenate(service), np.concatenate(at), np.concatenate(up))
    return Availability(probes=probes, outages=outages)


def _report_beats(
    db: sqlite3.Connection,
    file: str,
    bad_time: npt.NDArray[np.int64],
    bad_status: npt.NDArray[np.int64],
    problems: Problems,
) -> None:
    """Record the heartbeats whose time or status cannot be read, with their raw value."""
    wanted = sorted({*bad_time.tolist(), *bad_status.tolist()})
    raw: dict[int, tuple[object, object]] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        marks = ",".join("?" * len(chunk))
        query = f"SELECT id, status, time FROM heartbeat WHERE id IN ({marks})"
        raw.update({r[0]: (r[1], r[2]) for r in db.execute(query, chunk)})
    times = set(bad_time.tolist())
    for beat in wanted:
        status, time_text = raw[beat]
        if beat in times:
            problems.add(
                "import.kuma_bad_time",
                file=file,
                row=beat,
                column="heartbeat.time",
                value=str(time_text),
            )
        else:
            problems.add(
                "import.kuma_bad_status",
                file=file,
                row=beat,
                column="heartbeat.status",
                value=str(status),
            )


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
