"""The SLA engine: arrays and plain data in, results out (no I/O, no framework)."""

from __future__ import annotations

from pilotage.engine.availability import (
    OpenTime,
    ProbeSeries,
    evaluate_availability,
    probe_outages,
)
from pilotage.engine.backups import (
    evaluate_backups,
    evaluate_restore_tests,
    expected_jobs,
    schedule_tolerance,
)
from pilotage.engine.calendar import Calendar, business_seconds
from pilotage.engine.evaluate import (
    LevelMeasurements,
    PriorityChanges,
    TicketEvaluation,
    evaluate_tickets,
)
from pilotage.engine.money import round_cents, share_largest_remainder
from pilotage.engine.penalties import (
    ClaimDeadline,
    MonthTotal,
    PenaltyStatement,
    PersistentBreach,
    StatementNote,
    claim_deadlines,
    compute_penalties,
    persistent_breaches,
)
from pilotage.engine.reconcile import Reconciliation, reconcile
from pilotage.engine.results import PenaltyLine, WindowResult
from pilotage.engine.trace import TicketTrace, TraceSegment, trace_ticket, trace_tickets

__all__ = [
    "Calendar",
    "ClaimDeadline",
    "LevelMeasurements",
    "MonthTotal",
    "OpenTime",
    "PenaltyLine",
    "PenaltyStatement",
    "PersistentBreach",
    "PriorityChanges",
    "ProbeSeries",
    "Reconciliation",
    "StatementNote",
    "TicketEvaluation",
    "TicketTrace",
    "TraceSegment",
    "WindowResult",
    "business_seconds",
    "claim_deadlines",
    "compute_penalties",
    "evaluate_availability",
    "evaluate_backups",
    "evaluate_restore_tests",
    "evaluate_tickets",
    "expected_jobs",
    "persistent_breaches",
    "probe_outages",
    "reconcile",
    "round_cents",
    "schedule_tolerance",
    "share_largest_remainder",
    "trace_ticket",
    "trace_tickets",
]
