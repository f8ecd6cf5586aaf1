"""A run: one contract, one set of inputs, one evaluation instant, every result.

This is the only place that wires the core together: it reads the inputs
(:mod:`pilotage.ingest`), loads the contract (:mod:`pilotage.contract`), calls
the engine and records the provenance.  The command line and, later, the web
application call :func:`execute`; neither holds a business rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pilotage import i18n
from pilotage.contract.loader import load_contract
from pilotage.contract.model import Contract
from pilotage.engine.availability import evaluate_availability
from pilotage.engine.backups import evaluate_backups, evaluate_restore_tests
from pilotage.engine.evaluate import TicketEvaluation, evaluate_tickets
from pilotage.engine.penalties import (
    PenaltyStatement,
    PersistentBreach,
    compute_penalties,
    persistent_breaches,
)
from pilotage.engine.reconcile import Reconciliation, reconcile
from pilotage.engine.results import WindowResult
from pilotage.engine.windows import window_grid
from pilotage.errors import ImportDataError
from pilotage.ingest.adjustments import read_adjustments
from pilotage.ingest.backups import read_backups, read_restore_tests
from pilotage.ingest.canonical import read_events_csv, read_tickets_csv
from pilotage.ingest.claims import read_claims
from pilotage.ingest.monitoring import read_outages, read_probes
from pilotage.provenance import InputFile, Provenance, software_versions
from pilotage.tables import (
    Adjustments,
    Backups,
    Claims,
    Events,
    Outages,
    Probes,
    RestoreTests,
    Tickets,
    object_array,
)

__all__ = ["Run", "RunInputs", "execute", "parse_as_of", "term_start"]

MESSAGES = {
    "run.step.contract": {"en": "Reading the contract", "fr": "Lecture du contrat"},
    "run.step.tickets": {"en": "Reading the tickets", "fr": "Lecture des tickets"},
    "run.step.evaluate": {
        "en": "Computing the service levels",
        "fr": "Calcul des niveaux de service",
    },
    "run.step.monitoring": {
        "en": "Reading the monitoring data",
        "fr": "Lecture des données de supervision",
    },
    "run.step.reconcile": {
        "en": "Reconciling with the provider's figures",
        "fr": "Rapprochement avec les chiffres du prestataire",
    },
    "run.step.penalties": {"en": "Computing the penalties", "fr": "Calcul des pénalités"},
    "run.unknown_monitoring": {
        "en": "cannot tell what this monitoring file holds: expected columns "
        "service,start,end (outages) or service,at,up (probe samples)",
        "fr": "impossible de savoir ce que contient ce fichier de supervision : colonnes "
        "attendues service,start,end (interruptions) ou service,at,up (sondes)",
    },
    "run.bad_as_of": {
        "en": "expected an instant such as 2026-11-10T09:00 or 2026-11-10",
        "fr": "un instant du type 2026-11-10T09:00 ou 2026-11-10 était attendu",
    },
}
i18n.register(MESSAGES)

Progress = Callable[[str], None]

_NO_BACKUPS = Backups(
    service=object_array([]), scheduled_at=np.empty(0, np.int64), status=object_array([])
)
_NO_TESTS = RestoreTests(
    service=object_array([]),
    performed_at=np.empty(0, np.int64),
    duration_seconds=np.empty(0, np.int64),
    success=np.empty(0, np.int8),
)


@dataclass(frozen=True)
class RunInputs:
    """Where a run's inputs are.  Naive times in them are read in ``timezone``
    (default: the contract's)."""

    contract: Path
    tickets: Path
    events: Path | None = None
    claims: Path | None = None
    monitoring: Sequence[Path] = ()
    backups: Path | None = None
    restore_tests: Path | None = None
    adjustments: Path | None = None
    timezone: str | None = None


@dataclass(frozen=True, eq=False)
class Run:
    """Every result of one evaluation, with what it was computed from."""

    contract: Contract
    tickets: Tickets
    events: Events
    as_of: int
    evaluation: TicketEvaluation
    other_results: tuple[WindowResult, ...]
    """Availability, backup and restore-test windows."""
    penalties: PenaltyStatement
    persistent: tuple[PersistentBreach, ...]
    reconciliation: Reconciliation
    provenance: Provenance
    outages: Outages | None = None
    probes: Probes | None = None
    adjustments: Adjustments | None = None
    claims: Claims | None = None
    input_names: dict[str, str] = field(default_factory=dict)

    @property
    def results(self) -> tuple[WindowResult, ...]:
        """Every window result, ticket levels first."""
        return (*self.evaluation.window_results, *self.other_results)


def parse_as_of(text: str, timezone: str) -> int:
    """An instant from ``2026-11-10``, ``2026-11-10T09:00`` or with an offset.

    Without an offset the instant is read in ``timezone`` (the contract's).
    """
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ImportDataError("run.bad_as_of", {}) from None
    if value.tzinfo is None:
        from zoneinfo import ZoneInfo

        value = value.replace(tzinfo=ZoneInfo(timezone))
    return int(value.timestamp())


def _monitoring_kind(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.readline().decode("utf-8-sig", errors="replace").lower()
    columns = {c.strip().strip('"') for c in head.replace(";", ",").split(",")}
    if {"service", "start", "end"} <= columns:
        return "outages"
    if {"service", "at", "up"} <= columns:
        return "probes"
    raise ImportDataError("run.unknown_monitoring", {})


def _concat_outages(parts: list[Outages]) -> Outages | None:
    if not parts:
        return None
    return Outages(
        service=np.concatenate([p.service for p in parts]),
        start=np.concatenate([p.start for p in parts]),
        end=np.concatenate([p.end for p in parts]),
        kind=np.concatenate([p.kind for p in parts]),
        announced_at=np.concatenate([p.announced_at for p in parts]),
    )


def _concat_probes(parts: list[Probes]) -> Probes | None:
    if not parts:
        return None
    service = np.concatenate([p.service for p in parts])
    at = np.concatenate([p.at for p in parts])
    up = np.concatenate([p.up for p in parts])
    order = np.lexsort((at, service.astype(str)))
    return Probes(service=service[order], at=at[order], up=up[order])


def execute(
    inputs: RunInputs,
    *,
    as_of: int | None = None,
    as_of_text: str | None = None,
    progress: Progress | None = None,
    lang: str = "en",
) -> Run:
    """Read the inputs, evaluate every service level at ``as_of`` and reconcile.

    ``as_of`` is a UTC epoch instant; ``as_of_text`` is parsed in the
    contract's timezone instead.  ``progress`` receives each step's message.
    """

    def step(code: str) -> None:
        if progress is not None:
            progress(i18n.t(code, lang))

    step("run.step.contract")
    contract = load_contract(inputs.contract)
    tz = inputs.timezone or contract.versions[0].terms.timezone
    if as_of is None:
        if as_of_text is None:
            raise ValueError("as_of or as_of_text is required")
        as_of = parse_as_of(as_of_text, contract.versions[0].terms.timezone)
    files = [InputFile.of("contract", inputs.contract)]

    step("run.step.tickets")
    tickets = read_tickets_csv(inputs.tickets, timezone=tz)
    files.append(InputFile.of("tickets", inputs.tickets))
    events = Events.empty()
    if inputs.events is not None:
        events = read_events_csv(inputs.events, tickets, timezone=tz)
        files.append(InputFile.of("events", inputs.events))
    adjustments = None
    if inputs.adjustments is not None:
        adjustments = read_adjustments(inputs.adjustments)
        files.append(InputFile.of("adjustments", inputs.adjustments))
    claims = None
    if inputs.claims is not None:
        claims = read_claims(inputs.claims)
        files.append(InputFile.of("claims", inputs.claims))

    step("run.step.evaluate")
    first = term_start(contract)
    evaluation = evaluate_tickets(
        contract, tickets, events, as_of=as_of, adjustments=adjustments, windows_from=first
    )

    step("run.step.monitoring")
    outage_parts: list[Outages] = []
    probe_parts: list[Probes] = []
    for path in inputs.monitoring:
        kind = _monitoring_kind(path)
        if kind == "outages":
            outage_parts.append(read_outages(path, tz=tz))
        else:
            probe_parts.append(read_probes(path, tz=tz))
        files.append(InputFile.of(kind, path))
    outages, probes = _concat_outages(outage_parts), _concat_probes(probe_parts)
    other = _availability(contract, as_of, outages, probes)
    backups = restore_tests = None
    if inputs.backups is not None:
        backups = read_backups(inputs.backups, tz=tz)
        files.append(InputFile.of("backups", inputs.backups))
    if inputs.restore_tests is not None:
        restore_tests = read_restore_tests(inputs.restore_tests, tz=tz)
        files.append(InputFile.of("restore_tests", inputs.restore_tests))
    other += _backups(contract, as_of, backups, restore_tests)

    step("run.step.reconcile")
    reconciliation = reconcile(
        contract,
        tickets,
        events,
        evaluation,
        claims=claims,
        extra_results=other,
        adjustments=adjustments,
    )

    step("run.step.penalties")
    results = [*evaluation.window_results, *other]
    statement = compute_penalties(contract, results)
    persistent = tuple(persistent_breaches(contract, results))

    provenance = Provenance(
        contract_id=contract.id,
        contract_versions=[
            {"effective": v.effective.isoformat(), "hash": v.hash} for v in contract.versions
        ],
        inputs=files,
        as_of=dt.datetime.fromtimestamp(as_of, dt.UTC).isoformat().replace("+00:00", "Z"),
        versions=software_versions(),
    )
    return Run(
        contract=contract,
        tickets=tickets,
        events=events,
        as_of=as_of,
        evaluation=evaluation,
        other_results=tuple(other),
        penalties=statement,
        persistent=persistent,
        reconciliation=reconciliation,
        provenance=provenance,
        outages=outages,
        probes=probes,
        adjustments=adjustments,
        claims=claims,
    )


def term_start(contract: Contract) -> int:
    """The contract's start (``term.start``, midnight in its timezone): the first window."""
    start = contract.versions[0].terms.term_start
    return int(dt.datetime.combine(start, dt.time(), tzinfo=contract.timezone).timestamp())


def _availability(
    contract: Contract, as_of: int, outages: Outages | None, probes: Probes | None
) -> list[WindowResult]:
    first = term_start(contract)
    out: list[WindowResult] = []
    for level in contract.versions[-1].terms.service_levels:
        if level.metric != "availability":
            continue
        grid = window_grid(level.window, contract.versions[0].terms.timezone, first, as_of)
        out.extend(
            evaluate_availability(
                contract, level.id, grid, as_of=as_of, outages=outages, probes=probes
            )
        )
    return out


def _backups(
    contract: Contract, as_of: int, backups: Backups | None, tests: RestoreTests | None
) -> list[WindowResult]:
    """Backup-success windows and restore-test periods.

    Without a backup report every expected job counts as missing, and without
    restore-test records every period is unproven: absence of evidence is not
    evidence of service.
    """
    first = term_start(contract)
    tz = contract.versions[0].terms.timezone
    out: list[WindowResult] = []
    for level in contract.versions[-1].terms.service_levels:
        if level.metric == "backup_success":
            grid = window_grid(level.window, tz, first, as_of)
            out.extend(
                evaluate_backups(
                    contract, level.id, grid, as_of=as_of, backups=backups or _NO_BACKUPS
                )
            )
        elif level.metric == "restore_test":
            out.extend(
                evaluate_restore_tests(contract, level.id, as_of=as_of, tests=tests or _NO_TESTS)
            )
    return out
