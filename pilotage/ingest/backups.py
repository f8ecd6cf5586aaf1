"""Backup job runs and restore tests, from generic CSV files or Veeam job session exports.

``backups.csv``: ``service,scheduled_at,status`` with ``status`` success,
warning or failed (also Success/Warning/Failed, Succès/Avertissement/Échec,
OK/KO).  ``restore_tests.csv``: ``service,performed_at,duration,success``
where ``duration`` (optional) carries its unit (``45min``, ``1h30``,
``01:30:00``) and ``success`` is yes/no in any usual spelling (empty when
the outcome was not reported).

Veeam Backup & Replication job session reports (the session list exported to
CSV) have the columns ``Job Name``, ``Session Start`` (or ``Creation Time``),
``End Time`` and ``Result`` (Success, Warning, Failed; ``None`` while the
session still runs).  PowerShell's ``Get-VBRBackupSession | Export-Csv`` names
(``JobName``, ``CreationTime``, ``EndTime``, ``Result``) are accepted too.
Dates are read day first (``05/10/2026 22:00:04``) or ISO, as a French
Windows writes them.  Each job is mapped to a contract service.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from pilotage import i18n
from pilotage.ingest._tabular import (
    Problems,
    cell,
    choice,
    parse_bool,
    parse_duration,
    parse_instant,
    read_table,
    required_text,
    zone,
)
from pilotage.tables import Backups, RestoreTests, object_array

__all__ = ["BACKUP_STATUSES", "read_backups", "read_restore_tests", "read_veeam_sessions"]

MESSAGES = {
    "import.veeam_unmapped_job": {
        "en": "this backup job is mapped to no service: map it to one or list it among "
        "the jobs to ignore",
        "fr": "ce travail de sauvegarde n’est rattaché à aucun service : rattachez-le à un "
        "service ou ajoutez-le aux travaux à ignorer",
    },
    "import.job_mapped_twice": {
        "en": 'the job "{job}" is mapped to two services: {services}',
        "fr": "le travail « {job} » est rattaché à deux services : {services}",
    },
}
i18n.register(MESSAGES)

BACKUP_STATUSES = {
    "success": "success",
    "succeeded": "success",
    "successful": "success",
    "ok": "success",
    "succès": "success",
    "succes": "success",
    "réussi": "success",
    "réussie": "success",
    "reussi": "success",
    "warning": "warning",
    "avertissement": "warning",
    "alerte": "warning",
    "failed": "failed",
    "failure": "failed",
    "error": "failed",
    "ko": "failed",
    "échec": "failed",
    "echec": "failed",
    "échoué": "failed",
    "erreur": "failed",
}
_SHOWN = "success, warning, failed (Succès, Avertissement, Échec)"


def _backups(service: list[str], scheduled: list[int], status: list[str]) -> Backups:
    times = np.array(scheduled, dtype=np.int64)
    services = object_array(service)
    order = np.lexsort((times, services.astype(str))) if service else np.empty(0, int)
    return Backups(services[order], times[order], object_array(status)[order])


def read_backups(path: Path | str, *, tz: str | None) -> Backups:
    """Read ``service,scheduled_at,status``; naive times are in ``tz``.

    Sorted by service then scheduled time (stable).
    """
    problems = Problems()
    zi = zone(tz, problems, Path(path).name)
    table = read_table(path, ("service", "scheduled_at", "status"), problems=problems)
    service: list[str] = []
    scheduled: list[int] = []
    status: list[str] = []
    for row in table.rows:
        values = (
            cell(table, row, "service", required_text, problems),
            cell(table, row, "scheduled_at", parse_instant, problems, zi),
            cell(table, row, "status", choice, problems, BACKUP_STATUSES, _SHOWN),
        )
        if any(v is None for v in values):
            continue
        service.append(values[0])
        scheduled.append(values[1])
        status.append(values[2])
    problems.raise_if_any()
    return _backups(service, scheduled, status)


def _optional_bool(text: str) -> int:
    return parse_bool(text, optional=True)


def _optional_duration(text: str) -> int:
    return parse_duration(text, optional=True)


def read_restore_tests(path: Path | str, *, tz: str | None) -> RestoreTests:
    """Read ``service,performed_at,success[,duration]``; naive times are in ``tz``.

    ``duration`` is stored in whole seconds (MISSING when empty), ``success``
    as 1, 0 or -1 when empty (outcome not reported).  Sorted by service then
    time.
    """
    problems = Problems()
    zi = zone(tz, problems, Path(path).name)
    table = read_table(
        path, ("service", "performed_at", "success"), ("duration",), problems=problems
    )
    service: list[str] = []
    performed: list[int] = []
    duration: list[int] = []
    success: list[int] = []
    for row in table.rows:
        values = (
            cell(table, row, "service", required_text, problems),
            cell(table, row, "performed_at", parse_instant, problems, zi),
            cell(table, row, "duration", _optional_duration, problems),
            cell(table, row, "success", _optional_bool, problems),
        )
        if any(v is None for v in values):
            continue
        service.append(values[0])
        performed.append(values[1])
        duration.append(values[2])
        success.append(values[3])
    problems.raise_if_any()
    times = np.array(performed, dtype=np.int64)
    services = object_array(service)
    order = np.lexsort((times, services.astype(str))) if service else np.empty(0, int)
    return RestoreTests(
        service=services[order],
        performed_at=times[order],
        duration_seconds=np.array(duration, dtype=np.int64)[order],
        success=np.array(success, dtype=np.int8)[order],
    )


_VEEAM_RESULTS = {**BACKUP_STATUSES, "none": "", "": ""}


def read_veeam_sessions(
    path: Path | str,
    jobs: Mapping[str, Sequence[str]],
    *,
    tz: str | None,
    ignore: Sequence[str] = (),
) -> Backups:
    """Read a Veeam job session export into :class:`Backups`.

    ``jobs`` maps each service to its Veeam job names (compared
    case-insensitively); a job in neither ``jobs`` nor ``ignore`` is an error.
    The session's start (``Session Start`` or ``Creation Time``) is taken as
    the scheduled time; sessions whose result is ``None`` or empty are still
    running and are left out.
    """
    problems = Problems()
    file = Path(path).name
    zi: ZoneInfo | None = zone(tz, problems, file)
    owner: dict[str, str] = {}
    for target, names in jobs.items():
        for name in names:
            key = name.strip().lower()
            if key in owner and owner[key] != target:
                problems.add(
                    "import.job_mapped_twice",
                    job=name,
                    services=", ".join(sorted((owner[key], target))),
                )
            owner[key] = target
    ignored = {name.strip().lower() for name in ignore}
    table = read_table(
        path,
        ("Job Name", "Session Start", "Result"),
        ("End Time",),
        aliases={
            "Job Name": ("JobName", "Job"),
            "Session Start": ("Creation Time", "CreationTime", "Start Time"),
            "End Time": ("EndTime",),
        },
        problems=problems,
    )
    service: list[str] = []
    scheduled: list[int] = []
    status: list[str] = []
    for row in table.rows:
        job = cell(table, row, "Job Name", required_text, problems)
        start = cell(table, row, "Session Start", parse_instant, problems, zi)
        result = cell(table, row, "Result", choice, problems, _VEEAM_RESULTS, _SHOWN)
        if job is None or job.lower() in ignored:
            continue
        if job.lower() not in owner:
            problems.add(
                "import.veeam_unmapped_job",
                file=file,
                row=row.number,
                column=table.headers["Job Name"],
                value=job,
            )
            continue
        if start is None or not result:
            continue
        service.append(owner[job.lower()])
        scheduled.append(start)
        status.append(result)
    problems.raise_if_any()
    return _backups(service, scheduled, status)
