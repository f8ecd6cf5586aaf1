"""Backup success against the schedule, and restore tests per period."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import numpy as np
import pytest

from pilotage.contract.model import BackupSchedule, Duration
from pilotage.engine.backups import (
    evaluate_backups,
    evaluate_restore_tests,
    expected_jobs,
    schedule_tolerance,
)
from pilotage.engine.results import WindowResult
from pilotage.engine.windows import window_grid
from pilotage.errors import EngineError
from pilotage.tables import MISSING, Backups, RestoreTests, object_array
from tests.engine.builders_penalties import (
    BACKUPS,
    RESTORE,
    at,
    make_contract,
    make_terms,
    with_level,
)

D = Decimal
OCTOBER = window_grid("month", "Europe/Paris", at(2026, 10, 1), at(2026, 10, 1))
NIGHTLY = replace(BACKUPS, schedule=BackupSchedule(times=("22:00",)))


def jobs(*rows: tuple[int, str]) -> Backups:
    return Backups(
        service=object_array("sauvegarde" for _ in rows),
        scheduled_at=np.array([t for t, _ in rows], dtype=np.int64),
        status=object_array(s for _, s in rows),
    )


def nightly(status: dict[int, str] | None = None, skip: tuple[int, ...] = ()) -> Backups:
    """One job per October night at 22:05, successful unless told."""
    status = status or {}
    return jobs(
        *((at(2026, 10, d, 22, 5), status.get(d, "success")) for d in range(1, 32) if d not in skip)
    )


def evaluate(level: object, data: Backups, as_of: int = at(2026, 11, 2)) -> WindowResult:
    contract = make_contract(with_level(make_terms(), level))  # type: ignore[arg-type]
    (res,) = evaluate_backups(contract, "backups", OCTOBER, as_of=as_of, backups=data)
    return res


def test_expected_job_without_report_counts_as_failed() -> None:
    res = evaluate(NIGHTLY, nightly(skip=(12,)))
    assert (res.eligible, res.met, res.breached) == (31, 30, 1)
    assert res.details["missing"] == [{"service": "sauvegarde", "at": at(2026, 10, 12, 22)}]
    assert res.details["completeness"] == "verified"
    assert res.value == D(30) / D(31)
    assert res.status == "breached"


def test_warning_counts_as_success() -> None:
    res = evaluate(NIGHTLY, nightly({3: "warning"}))
    assert res.met == 31 and res.details["warnings"] == 1
    assert res.status == "met"


def test_warning_counts_as_failure() -> None:
    level = replace(NIGHTLY, warning_counts_as="failed")
    res = evaluate(level, nightly({3: "warning"}))
    assert res.met == 30 and res.breached == 1
    assert res.details["failed_jobs"] == [
        {"service": "sauvegarde", "at": at(2026, 10, 3, 22), "status": "warning"}
    ]


def test_a_successful_retry_within_the_tolerance_saves_the_slot() -> None:
    base = nightly({5: "failed"})
    rows = [(int(t), str(s)) for t, s in zip(base.scheduled_at, base.status, strict=True)]
    data = jobs(*rows, (at(2026, 10, 5, 23, 30), "success"))
    res = evaluate(NIGHTLY, data)
    assert res.met == 31 and res.details["unscheduled"] == 0


def test_a_job_far_from_any_slot_is_unscheduled() -> None:
    rows = [(int(t), "success") for t in nightly().scheduled_at]
    res = evaluate(NIGHTLY, jobs(*rows, (at(2026, 10, 9, 10), "success")))
    assert res.details["unscheduled"] == 1
    assert res.eligible == 31


def test_without_schedule_completeness_is_unverified() -> None:
    res = evaluate(BACKUPS, nightly({7: "failed"}, skip=(12,)))
    assert (res.eligible, res.met, res.breached) == (30, 29, 1)
    assert res.details["completeness"] == "unverified"
    assert res.details["notes"] == ["backup.completeness_unverified"]


def test_slots_are_counted_once_their_tolerance_has_passed() -> None:
    # At 23:00 on the 10th, the 22:00 job of the 10th may still be reported (tolerance 6 h).
    res = evaluate(NIGHTLY, nightly(skip=(10, 11)), as_of=at(2026, 10, 10, 23))
    assert res.finality == "provisional"
    assert res.eligible == 9 and res.met == 9


def test_schedule_in_the_spring_gap_moves_forward() -> None:
    schedule = BackupSchedule(weekdays=(7,), times=("02:30",))
    slots = expected_jobs(schedule, "Europe/Paris", at(2026, 3, 29), at(2026, 3, 30))
    assert slots.tolist() == [at(2026, 3, 29, 3, 30)]


def test_tolerance_is_half_the_shortest_gap_at_most_6_hours() -> None:
    assert schedule_tolerance(BackupSchedule(times=("22:00",))) == 6 * 3600
    assert schedule_tolerance(BackupSchedule(times=("12:00", "14:00"))) == 3600


def restore_tests(*rows: tuple[int, int, int]) -> RestoreTests:
    return RestoreTests(
        service=object_array("sauvegarde" for _ in rows),
        performed_at=np.array([r[0] for r in rows], dtype=np.int64),
        duration_seconds=np.array([r[1] for r in rows], dtype=np.int64),
        success=np.array([r[2] for r in rows], dtype=np.int8),
    )


def test_restore_test_overdue() -> None:
    first, second = evaluate_restore_tests(
        make_contract(), "restore-tests", as_of=at(2026, 8, 1), tests=restore_tests()
    )
    assert first.window == "2026-01/2026-06" and first.status == "breached"
    assert first.finality == "final"
    assert first.details["due_date"] == "2026-06-30"
    assert first.details["services"][0]["reason"] == "overdue"
    assert second.window == "2026-07/2026-12" and second.status == "no_data"
    assert second.finality == "provisional"
    assert second.details["services"][0]["reason"] == "not_yet_due"


def test_restore_test_over_rto() -> None:
    tests = restore_tests((at(2026, 3, 10, 9), 9 * 3600, 1))  # RTO of the backups: 8 h
    (first,) = evaluate_restore_tests(
        make_contract(), "restore-tests", as_of=at(2026, 7, 1), tests=tests
    )
    assert first.status == "breached"
    assert first.details["services"][0]["reason"] == "over_rto"
    assert first.details["services"][0]["tests"][0]["over_rto"] is True


def test_restore_test_within_rto_meets_the_period() -> None:
    tests = restore_tests(
        (at(2026, 2, 10, 9), 3 * 3600, 0),  # failed
        (at(2026, 3, 10, 9), 3 * 3600, 1),
    )
    (first,) = evaluate_restore_tests(
        make_contract(), "restore-tests", as_of=at(2026, 7, 1), tests=tests
    )
    assert first.status == "met" and first.value == 1


def test_restore_test_of_unknown_duration_does_not_prove_the_rto() -> None:
    tests = restore_tests((at(2026, 3, 10, 9), MISSING, 1))
    (first,) = evaluate_restore_tests(
        make_contract(), "restore-tests", as_of=at(2026, 7, 1), tests=tests
    )
    assert first.status == "breached"
    assert first.details["services"][0]["reason"] == "duration_unknown"


def test_restore_test_frequency_must_be_whole_positive_months_or_days() -> None:
    level = replace(RESTORE, every=Duration(D(0), "mo"))
    contract = make_contract(with_level(make_terms(), level))
    with pytest.raises(EngineError):
        evaluate_restore_tests(
            contract, "restore-tests", as_of=at(2026, 7, 1), tests=restore_tests()
        )
