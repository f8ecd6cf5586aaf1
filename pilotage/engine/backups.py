"""Backup success per window, and restore tests per period.

Backups.  With a ``schedule`` (local times on ISO weekdays, in the contract's
timezone) the expected jobs are known: each reported job belongs to the
nearest expected slot of its service when it is within the *tolerance* of it
(half the shortest gap between two slots of the schedule, at most 6 hours),
and a slot takes the best status of its jobs (a failed job retried
successfully within the tolerance is a success).  A slot without any job is
missing and counts as failed; jobs matching no slot are listed as
unscheduled and not counted.  Slots are counted once their tolerance has
passed at ``as_of``.  Without a schedule only the reported jobs count, and
the result says completeness is unverified.  A ``warning`` counts as the
level's ``warning_counts_as``.  Success rate = succeeded / expected.

Restore tests.  Periods of ``every`` (the level's, else the service's
``restore_test_every``) run from the contract's start; a period is met when a
successful test of each of the level's services was performed inside it and,
with ``within_rto``, lasted no longer than the service's RTO (a test of
unknown duration does not prove it).  A period that ended without such a test
is breached; one still running without it has no data yet.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from pilotage import i18n
from pilotage.contract.model import BackupSchedule, Contract, Duration, ServiceLevel, Terms
from pilotage.engine.results import WindowResult
from pilotage.engine.windows import WindowGrid
from pilotage.errors import EngineError
from pilotage.tables import MISSING, Backups, RestoreTests

__all__ = [
    "MAX_TOLERANCE",
    "evaluate_backups",
    "evaluate_restore_tests",
    "expected_jobs",
    "schedule_tolerance",
]

I64 = npt.NDArray[np.int64]
Status = Literal["met", "breached", "no_data"]

MAX_TOLERANCE = 6 * 3600
"""The largest distance in seconds between a reported job and its expected slot."""

_RANK = {"failed": 0, "warning": 1, "success": 2}

MESSAGES = {
    "backup.completeness_unverified": {
        "en": "No backup schedule in the contract: only the jobs reported are counted, "
        "missing jobs cannot be detected",
        "fr": "Le contrat ne fixe pas de planning de sauvegarde : seules les sauvegardes "
        "déclarées sont comptées, les sauvegardes manquantes ne peuvent pas être détectées",
    },
    "backup.missing_job": {
        "en": "Expected backup of {service} at {at} has no report: counted as failed",
        "fr": "La sauvegarde de {service} prévue le {at} n’a pas de compte rendu : "
        "comptée en échec",
    },
    "restore.met": {
        "en": "Restore test performed on {date}",
        "fr": "Test de restauration réalisé le {date}",
    },
    "restore.overdue": {
        "en": "No successful restore test of {service} before {due}",
        "fr": "Aucun test de restauration réussi de {service} avant le {due}",
    },
    "restore.over_rto": {
        "en": "The restore test of {service} took longer than its RTO of {rto}",
        "fr": "Le test de restauration de {service} a dépassé son RTO de {rto}",
    },
    "restore.duration_unknown": {
        "en": "The duration of the restore test of {service} is unknown: the RTO is not proven",
        "fr": "La durée du test de restauration de {service} est inconnue : le respect du RTO "
        "n’est pas prouvé",
    },
    "restore.not_yet_due": {
        "en": "Restore test of {service} due by {due}",
        "fr": "Test de restauration de {service} attendu avant le {due}",
    },
    "engine.restore.no_frequency": {
        "en": "Service level {level}: no restore test frequency (every, or the service's "
        "restore_test_every)",
        "fr": "Niveau de service {level} : aucune fréquence de test de restauration (every, "
        "ou restore_test_every du service)",
    },
}
i18n.register(MESSAGES)


def _local_epoch(zone: ZoneInfo, day: dt.date, minutes: int = 0) -> int:
    moment = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=zone)
    return int(moment.timestamp())


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def schedule_tolerance(schedule: BackupSchedule) -> int:
    """Half the shortest gap between two consecutive slots of a week, at most 6 hours."""
    week = sorted(
        (day - 1) * 1440 + _minutes(time)
        for day in set(schedule.weekdays)
        for time in schedule.times
    )
    if not week:
        return MAX_TOLERANCE
    gaps = [b - a for a, b in itertools.pairwise(week)] + [week[0] + 7 * 1440 - week[-1]]
    return min(MAX_TOLERANCE, min(gaps) * 60 // 2)


def expected_jobs(schedule: BackupSchedule, timezone: str, start: int, end: int) -> I64:
    """The scheduled instants in ``[start, end)``, sorted (local times read with fold 0)."""
    zone = ZoneInfo(timezone)
    day = dt.datetime.fromtimestamp(start, zone).date()
    last = dt.datetime.fromtimestamp(end, zone).date()
    minutes = sorted({_minutes(t) for t in schedule.times})
    slots: list[int] = []
    while day <= last:
        if day.isoweekday() in schedule.weekdays:
            slots.extend(_local_epoch(zone, day, m) for m in minutes)
        day += dt.timedelta(days=1)
    out = np.array(sorted(set(slots)), dtype=np.int64)
    return out[(out >= start) & (out < end)]


def _level(terms: Terms, level_id: str) -> ServiceLevel | None:
    try:
        return terms.level(level_id)
    except KeyError:
        return None


def _status(value: Decimal | None, objective: Decimal | None) -> Status:
    if value is None:
        return "no_data"
    return "met" if objective is None or value >= objective else "breached"


def _counts_as_success(status: str, level: ServiceLevel) -> bool:
    return status == "success" or (status == "warning" and level.warning_counts_as == "success")


def _window_backups(
    level: ServiceLevel,
    timezone: str,
    backups: Backups,
    services: Sequence[str],
    start: int,
    stop: int,
    as_of: int,
) -> dict[str, Any]:
    """Expected, succeeded, failed, missing... of one window's jobs."""
    expected = succeeded = warnings = unscheduled = 0
    missing: list[dict[str, Any]] = []
    failed_jobs: list[dict[str, Any]] = []
    tolerance = schedule_tolerance(level.schedule) if level.schedule else None
    for service in services:
        rows = backups.service == service if service else np.ones(len(backups), dtype=bool)
        times, statuses = backups.scheduled_at[rows], backups.status[rows]
        if level.schedule is None or tolerance is None:
            inside = (times >= start) & (times < stop)
            for t, status in zip(times[inside], statuses[inside], strict=True):
                expected += 1
                warnings += status == "warning"
                if _counts_as_success(str(status), level):
                    succeeded += 1
                else:
                    failed_jobs.append({"service": service, "at": int(t), "status": str(status)})
            continue
        slots = expected_jobs(level.schedule, timezone, start, min(stop, as_of - tolerance + 1))
        best = np.full(len(slots), -1, dtype=np.int64)
        near = (times >= start - tolerance) & (times < stop + tolerance)
        for t, status in zip(times[near], statuses[near], strict=True):
            if not len(slots):
                unscheduled += 1
                continue
            i = int(np.searchsorted(slots, t))
            candidates = [j for j in (i - 1, i) if 0 <= j < len(slots)]
            j = min(candidates, key=lambda c: abs(int(slots[c]) - int(t)))
            if abs(int(slots[j]) - int(t)) <= tolerance:
                best[j] = max(best[j], _RANK.get(str(status), 0))
            elif start <= t < stop:
                unscheduled += 1
        for slot, rank in zip(slots, best, strict=True):
            expected += 1
            status = {-1: "missing", 0: "failed", 1: "warning", 2: "success"}[int(rank)]
            warnings += status == "warning"
            if status == "missing":
                missing.append({"service": service, "at": int(slot)})
            elif _counts_as_success(status, level):
                succeeded += 1
            else:
                failed_jobs.append({"service": service, "at": int(slot), "status": status})
    return {
        "expected": expected,
        "succeeded": succeeded,
        "failed": expected - succeeded,
        "missing": missing,
        "failed_jobs": failed_jobs,
        "warnings": warnings,
        "warning_counts_as": level.warning_counts_as,
        "unscheduled": unscheduled,
        "tolerance_seconds": tolerance,
        "completeness": "verified" if level.schedule is not None else "unverified",
    }


def evaluate_backups(
    contract: Contract, level_id: str, grid: WindowGrid, *, as_of: int, backups: Backups
) -> list[WindowResult]:
    """One backup-success result per window of ``grid`` that started before ``as_of``."""
    results: list[WindowResult] = []
    timezone = contract.versions[0].terms.timezone
    for index, label in enumerate(grid.labels):
        start, end = int(grid.edges[index]), int(grid.edges[index + 1])
        if start >= as_of:
            break
        version = contract.at(start)
        level = _level(version.terms, level_id)
        if level is None:
            continue
        services = level.applies_to.service or ("",)
        details = _window_backups(level, timezone, backups, services, start, min(end, as_of), as_of)
        if level.schedule is None:
            details["notes"] = ["backup.completeness_unverified"]
        expected = details["expected"]
        value = Decimal(details["succeeded"]) / Decimal(expected) if expected else None
        results.append(
            WindowResult(
                level_id=level_id,
                window=label,
                start=start,
                end=end,
                metric="backup_success",
                eligible=expected,
                met=details["succeeded"],
                breached=details["failed"],
                value=value,
                objective=level.objective,
                allowed_breaches=level.allowed_breaches,
                status=_status(value, level.objective),
                finality="final" if end <= as_of else "provisional",
                terms_hash=version.hash,
                details=details,
            )
        )
    return results


# ---------------------------------------------------------------- restore tests


def _add(day: dt.date, every: Duration, times: int) -> dt.date:
    amount = every.amount * times
    if amount <= 0 or amount != amount.to_integral_value() or every.unit not in ("mo", "d"):
        raise EngineError("engine.penalty.unsupported_duration", {"duration": str(every)})
    if every.unit == "d":
        return day + dt.timedelta(days=int(amount))
    index = day.year * 12 + day.month - 1 + int(amount)
    year, month = divmod(index, 12)
    following = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return dt.date(year, month + 1, min(day.day, (following - dt.timedelta(days=1)).day))


def _frequency(terms: Terms, level: ServiceLevel) -> Duration:
    if level.every is not None:
        return level.every
    for service in level.applies_to.service:
        every = terms.services[service].restore_test_every if service in terms.services else None
        if every is not None:
            return every
    raise EngineError("engine.restore.no_frequency", {"level": level.id})


def _service_period(
    terms: Terms,
    level: ServiceLevel,
    service: str,
    tests: RestoreTests,
    start: int,
    end: int,
) -> dict[str, Any]:
    """What one service's tests inside ``[start, end)`` prove."""
    known = service in terms.services
    rto = terms.services[service].rto if known else None
    rto_seconds = rto.seconds() if rto is not None and rto.unit in ("s", "min", "h") else None
    in_period = (tests.performed_at >= start) & (tests.performed_at < end)
    rows = in_period & (tests.service == service) if service else in_period
    listed: list[dict[str, Any]] = []
    proven = False
    reason = "overdue"
    for performed, duration, success in sorted(
        zip(
            tests.performed_at[rows].tolist(),
            tests.duration_seconds[rows].tolist(),
            tests.success[rows].tolist(),
            strict=True,
        )
    ):
        over = None
        if duration != MISSING and rto_seconds is not None:
            over = duration > rto_seconds
        listed.append(
            {
                "performed_at": performed,
                "duration_seconds": None if duration == MISSING else duration,
                "success": success == 1,
                "over_rto": over,
            }
        )
        if success != 1:
            continue
        if not level.within_rto or rto_seconds is None or over is False:
            proven = True
        elif over:
            reason = "over_rto" if reason == "overdue" else reason
        else:
            reason = "duration_unknown"
    return {
        "service": service,
        "met": proven,
        "reason": "met" if proven else reason,
        "rto_seconds": rto_seconds,
        "rto_verified": not level.within_rto or rto_seconds is not None,
        "tests": listed,
    }


def evaluate_restore_tests(
    contract: Contract, level_id: str, *, as_of: int, tests: RestoreTests
) -> list[WindowResult]:
    """One result per restore-test period from the contract's start, up to ``as_of``."""
    zone = contract.timezone
    day = contract.versions[0].terms.term_start
    effective = [v.effective for v in contract.versions]
    results: list[WindowResult] = []
    while (start := _local_epoch(zone, day)) < as_of:
        version = contract.at(start)
        level = _level(version.terms, level_id)
        if level is None:
            later = [e for e in effective if e > day]
            if not later:
                break
            day = later[0]
            continue
        every = _frequency(version.terms, level)
        next_day = _add(day, every, 1)
        end = _local_epoch(zone, next_day)
        last_day = next_day - dt.timedelta(days=1)
        services = [
            _service_period(version.terms, level, service, tests, start, min(end, as_of))
            for service in level.applies_to.service or ("",)
        ]
        status: Status
        if all(s["met"] for s in services):
            status, value = "met", Decimal(1)
        elif end <= as_of:
            status, value = "breached", Decimal(0)
        else:
            status, value = "no_data", None
            for s in services:
                if not s["met"]:
                    s["reason"] = "not_yet_due"
        results.append(
            WindowResult(
                level_id=level_id,
                window=f"{day:%Y-%m}/{last_day:%Y-%m}",
                start=start,
                end=end,
                metric="restore_test",
                eligible=len(services),
                met=sum(1 for s in services if s["met"]),
                breached=sum(1 for s in services if not s["met"]) if status == "breached" else 0,
                value=value,
                objective=Decimal(1),
                allowed_breaches=None,
                status=status,
                finality="final" if end <= as_of else "provisional",
                terms_hash=version.hash,
                details={
                    "due": end,
                    "due_date": last_day.isoformat(),
                    "every": str(every),
                    "services": services,
                },
            )
        )
        day = next_day
    return results
