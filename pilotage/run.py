"""A run: one contract, one set of inputs, one evaluation instant, every result.

This is the only place that wires the core together: it reads the inputs
(:mod:`pilotage.ingest`), loads the contract (:mod:`pilotage.contract`), calls
the engine and records the provenance.  The command line and, later, the web
application call :func:`execute`; neither holds a business rule.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gzip
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from pilotage.errors import ImportDataError, Location
from pilotage.ingest.adjustments import read_adjustments
from pilotage.ingest.backups import read_backups, read_restore_tests
from pilotage.ingest.canonical import read_events_csv, read_tickets_csv
from pilotage.ingest.claims import read_claims
from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.mapping import load_mapping
from pilotage.ingest.monitoring import read_outages, read_probes
from pilotage.ingest.sources.provider import JSON_SOURCES, read_json_source, read_provider_export
from pilotage.ingest.sources_monitoring.kuma import read_uptime_kuma
from pilotage.ingest.sources_monitoring.prometheus import read_prometheus_files
from pilotage.ingest.sources_monitoring.zabbix import (
    read_zabbix_event_files,
    read_zabbix_history_files,
)
from pilotage.ingest.summary import OPENING_HOURS, check_timezone_fit
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

__all__ = [
    "NaiveTimesError",
    "Run",
    "RunInputs",
    "Warning",
    "execute",
    "parse_as_of",
    "term_start",
]

MESSAGES = {
    "run.step.contract": {"en": "Reading the contract", "fr": "Lecture du contrat"},
    "run.step.tickets": {
        "en": "Reading the tickets ({file}, {megabytes} MB)",
        "fr": "Lecture des tickets ({file}, {megabytes} Mo)",
    },
    "run.step.events": {
        "en": "Reading the status history ({file}, {megabytes} MB)",
        "fr": "Lecture de l’historique des statuts ({file}, {megabytes} Mo)",
    },
    "run.step.evaluate": {
        "en": "Computing the service levels ({tickets} tickets, {events} status events)",
        "fr": "Calcul des niveaux de service ({tickets} tickets, {events} événements de statut)",
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
        "en": "cannot tell what this monitoring file holds: expected a CSV with columns "
        "service,start,end (outages) or service,at,up (probe samples), optionally "
        "gzip-compressed (.gz), an Uptime Kuma database (SQLite), a Prometheus query_range "
        "answer or a Zabbix history.get / event.get answer (JSON)",
        "fr": "impossible de savoir ce que contient ce fichier de supervision : attendu un CSV "
        "de colonnes service,start,end (interruptions) ou service,at,up (sondes), "
        "éventuellement compressé (.gz), une base Uptime Kuma (SQLite), une réponse "
        "query_range de Prometheus ou une réponse history.get / event.get de Zabbix (JSON)",
    },
    "run.bad_gzip": {
        "en": "this file ends in .gz but cannot be decompressed: {reason}",
        "fr": "ce fichier se termine par .gz mais ne peut pas être décompressé : {reason}",
    },
    "run.propose_timezone": {
        "en": "The times of {file} have no UTC offset and no timezone was stated. The "
        "contract's timezone is {timezone}: if the file is written in it, add "
        "--timezone {timezone}.",
        "fr": "Les heures de {file} n’ont pas de décalage UTC et aucun fuseau n’a été indiqué. "
        "Le fuseau du contrat est {timezone} : si le fichier est écrit dans ce fuseau, "
        "ajoutez --timezone {timezone}.",
    },
    "run.tz_shifted": {
        "en": "Warning: read in {stated}, only {share} of the tickets of {file} were created "
        "Monday to Friday between {start}:00 and {end}:00 in {timezone}; shifted by {shift} h "
        "they would be {best}. The times look shifted: check the source's timezone "
        "(--timezone).",
        "fr": "Attention : lus dans le fuseau {stated}, seulement {share} des tickets de {file} "
        "ont été créés du lundi au vendredi entre {start} h et {end} h ({timezone}) ; décalés "
        "de {shift} h, ils seraient {best}. Les heures semblent décalées : vérifiez le fuseau "
        "de la source (--timezone).",
    },
    "run.response_unknown": {
        "en": "{count} ticket(s) covered by a response level ({levels}) have neither a "
        "first-response time nor a status history in {file}: their response cannot be "
        "measured, so they are left out of that level. Map the export's first-response column "
        "or ask the provider for it.",
        "fr": "{count} ticket(s) relevant d’un niveau de prise en charge ({levels}) n’ont ni "
        "date de première réponse ni historique des statuts dans {file} : leur prise en charge "
        "ne peut pas être mesurée, ils sont donc écartés de ce niveau. Faites correspondre la "
        "colonne de première réponse de l’export ou demandez-la au prestataire.",
    },
    "run.date_format_canonical": {
        "en": "canonical files write their dates as ISO 8601 (2026-10-01T08:22:00+02:00): "
        "--date-format is for provider exports read with --source or --mapping",
        "fr": "les fichiers canoniques écrivent leurs dates en ISO 8601 "
        "(2026-10-01T08:22:00+02:00) : --date-format s’utilise avec un export lu par "
        "--source ou --mapping",
    },
    "run.events_and_log": {
        "en": "this source already holds the status history (one row per activity): "
        "--events is only for sources with one row per ticket",
        "fr": "cette source contient déjà l’historique des statuts (une ligne par activité) : "
        "--events ne s’utilise qu’avec une source d’une ligne par ticket",
    },
    "run.bad_as_of": {
        "en": "expected an instant such as 2026-11-10T09:00 or 2026-11-10",
        "fr": "un instant du type 2026-11-10T09:00 ou 2026-11-10 était attendu",
    },
}
i18n.register(MESSAGES)

Progress = Callable[[str], None]

Warning = tuple[str, dict[str, Any]]
"""A message code and its parameters, rendered in the user's language by the shell."""

_NAIVE_CODES = frozenset({"ingest.naive_instants", "import.naive_without_timezone"})
_SQLITE_MAGIC = b"SQLite format 3\x00"

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
    """Where a run's inputs are.

    ``source`` is ``canonical`` (Pilotage's own ``tickets.csv``) or a preset of
    :mod:`pilotage.ingest` (``glpi``, ``servicenow``...); ``mapping`` (a mapping
    file) overrides it.  Naive times are read in ``timezone``, else in the
    mapping's; when neither is stated a naive time is an error that proposes the
    contract's timezone (there is no silent default).
    """

    contract: Path
    tickets: Path
    events: Path | None = None
    claims: Path | None = None
    monitoring: Sequence[Path] = ()
    backups: Path | None = None
    restore_tests: Path | None = None
    adjustments: Path | None = None
    timezone: str | None = None
    source: str = "canonical"
    mapping: Path | None = None
    date_format: str | None = None
    """Overrides the preset's or mapping's ``date_format`` (``dmy_dash``...)."""
    history: Sequence[Path] = ()
    """Ticket histories saved from the source's API (Zammad), giving the events."""
    sla: Sequence[Path] = ()
    """SLA answers saved from the source's API (Jira Service Management), giving verdicts."""


class NaiveTimesError(ImportDataError):
    """Naive times with no stated timezone: the located problems, then the
    contract's timezone proposed."""

    def __init__(self, cause: ImportErrors, file: str, timezone: str) -> None:
        super().__init__(cause.code, cause.params, cause.location)
        self.cause = cause
        self.file = file
        self.timezone = timezone

    def message(self, lang: str = "en") -> str:
        """The reader's located problems, then the proposal."""
        proposal = i18n.t("run.propose_timezone", lang, file=self.file, timezone=self.timezone)
        return f"{self.cause.message(lang)}\n{proposal}"


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
    warnings: tuple[Warning, ...] = ()
    """What the user should know about the inputs (timezone doubts, pauses taken on trust)."""

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
        raise ImportDataError("run.bad_as_of", {}, Location(value=text)) from None
    if value.tzinfo is None:
        from zoneinfo import ZoneInfo

        value = value.replace(tzinfo=ZoneInfo(timezone))
    return int(value.timestamp())


@contextlib.contextmanager
def _stated_timezone(stated: str | None, path: Path, contract_tz: str) -> Iterator[None]:
    """Turn "naive time, no timezone" problems into an error proposing the contract's."""
    try:
        yield
    except ImportErrors as error:
        if stated is None and any(p.code in _NAIVE_CODES for p in error.problems):
            raise NaiveTimesError(error, path.name, contract_tz) from error
        raise


def _response_unknown(evaluation: TicketEvaluation, file: str) -> list[Warning]:
    """Tickets left out of response levels for lack of a response time and a history."""
    if not evaluation.unmeasured:
        return []
    rows = np.unique(np.concatenate(list(evaluation.unmeasured.values())))
    levels = ", ".join(sorted(evaluation.unmeasured))
    return [("run.response_unknown", {"count": len(rows), "levels": levels, "file": file})]


def _file_size(path: Path) -> dict[str, Any]:
    return {"file": path.name, "megabytes": path.stat().st_size / 1e6}


def _read_tickets(
    inputs: RunInputs, contract_tz: str, warnings: list[Warning], step: Callable[..., None]
) -> tuple[Tickets, Events, str | None]:
    """Tickets and events as the source says; the timezone naive times were read in."""
    tz = inputs.timezone
    if inputs.mapping is None and inputs.source == "canonical":
        if inputs.date_format not in (None, "iso"):
            raise ImportDataError("run.date_format_canonical", {}, Location(inputs.tickets.name))
        with (
            _decompressed(inputs.tickets) as path,
            _stated_timezone(tz, inputs.tickets, contract_tz),
        ):
            tickets = read_tickets_csv(path, timezone=tz)
        events = Events.empty()
    else:
        if inputs.source in JSON_SOURCES and inputs.mapping is None:
            with _decompressed(inputs.tickets) as path:
                result = read_json_source(inputs.source, [path])
        else:
            mapping = load_mapping(str(inputs.mapping or inputs.source)).with_timezone(tz)
            if inputs.date_format is not None:
                mapping = dataclasses.replace(mapping, date_format=inputs.date_format)
            tz = mapping.timezone
            with (
                _decompressed(inputs.tickets) as path,
                _stated_timezone(tz, inputs.tickets, contract_tz),
            ):
                result = read_provider_export(
                    [path], mapping, history=inputs.history, sla=inputs.sla
                )
        tickets, events = result.tickets, result.events
        warnings.extend((code, dict(params)) for code, params in result.report.notes)
        if inputs.events is not None and len(events):
            raise ImportDataError("run.events_and_log", {}, Location(inputs.events.name))
    if inputs.events is not None:
        step("run.step.events", **_file_size(inputs.events))
        with _decompressed(inputs.events) as path, _stated_timezone(tz, inputs.events, contract_tz):
            events = read_events_csv(path, tickets, timezone=tz)
    if tz is not None:
        # Naive times were read in a stated timezone: do the creations fall in
        # opening hours where the contract's calendars are (its timezone)?
        check = check_timezone_fit(tickets.created_at, contract_tz)
        if check is not None and check.looks_shifted:
            warnings.append(
                (
                    "run.tz_shifted",
                    {
                        "file": inputs.tickets.name,
                        "share": check.share,
                        "start": f"{OPENING_HOURS[0]:02d}",
                        "end": f"{OPENING_HOURS[1]:02d}",
                        "timezone": contract_tz,
                        "stated": tz,
                        "shift": f"{check.best_shift_hours:+d}",
                        "best": check.best_share,
                    },
                )
            )
    return tickets, events, tz


@contextlib.contextmanager
def _decompressed(path: Path) -> Iterator[Path]:
    """``path`` itself, or for ``x.csv.gz`` a temporary ``x.csv`` with its content."""
    if path.suffix.lower() != ".gz":
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="pilotage-") as folder:
        target = Path(folder) / path.name[: -len(path.suffix)]
        try:
            with gzip.open(path, "rb") as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)
        except (OSError, EOFError) as exc:
            raise ImportDataError(
                "run.bad_gzip", {"reason": str(exc)}, Location(path.name)
            ) from exc
        yield target


def _monitoring_kind(path: Path) -> str:
    """``outages``, ``probes`` (CSV), ``kuma`` (SQLite), ``prometheus`` or
    ``zabbix`` (JSON answers) from the file's first bytes."""
    with path.open("rb") as handle:
        head = handle.read(1 << 12)
    if head.startswith(_SQLITE_MAGIC):
        return "kuma"
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text[:1] in ("{", "["):
        return "prometheus" if '"resultType"' in text or '"data"' in text[:200] else "zabbix"
    first = text.split("\n", 1)[0].lower()
    columns = {c.strip().strip('"') for c in first.replace(";", ",").split(",")}
    if {"service", "start", "end"} <= columns:
        return "outages"
    if {"service", "at", "up"} <= columns:
        return "probes"
    raise ImportDataError("run.unknown_monitoring", {}, Location(path.name))


def _monitor_refs(contract: Contract) -> dict[str, tuple[str, ...]]:
    """Each service's monitor references, over every contract version."""
    refs: dict[str, tuple[str, ...]] = {}
    for version in contract.versions:
        for service in version.terms.services.values():
            refs[service.id] = tuple(dict.fromkeys((*refs.get(service.id, ()), *service.monitors)))
    return refs


def _zabbix_answer_is_events(path: Path) -> bool:
    try:
        data: Any = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    rows = data.get("result") if isinstance(data, dict) else data
    return (
        isinstance(rows, list)
        and bool(rows)
        and isinstance(rows[0], dict)
        and ("eventid" in rows[0])
    )


def _read_monitoring(
    paths: Sequence[Path],
    contract: Contract,
    tz: str | None,
    window: tuple[int, int],
    files: list[InputFile],
) -> tuple[list[Outages], list[Probes]]:
    """Every monitoring file, whatever its tool, as outages and probe samples."""
    outage_parts: list[Outages] = []
    probe_parts: list[Probes] = []
    monitors: Mapping[str, Sequence[str]] = _monitor_refs(contract)
    contract_tz = contract.versions[0].terms.timezone
    for original in paths:
        with _decompressed(original) as path:
            kind = _monitoring_kind(path)
            with _stated_timezone(tz, original, contract_tz):
                if kind == "outages":
                    outage_parts.append(read_outages(path, tz=tz))
                elif kind == "probes":
                    probe_parts.append(read_probes(path, tz=tz))
                elif kind == "kuma":
                    # A PENDING beat is a failed check being retried: the contract's
                    # consecutive-failures rule decides whether it opens an outage.
                    found = read_uptime_kuma(
                        path, monitors, pending="down", since=window[0], until=window[1]
                    )
                    probe_parts.append(found.probes)
                    outage_parts.append(found.outages)
                elif kind == "prometheus":
                    probe_parts.append(read_prometheus_files([path], monitors))
                elif _zabbix_answer_is_events(path):
                    outage_parts.append(
                        read_zabbix_event_files(
                            [path], monitors, time_from=window[0], time_till=window[1]
                        )
                    )
                else:
                    probe_parts.append(read_zabbix_history_files([path], monitors))
        files.append(InputFile.of(kind, original))
    return outage_parts, probe_parts


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

    def step(code: str, **params: Any) -> None:
        if progress is not None:
            shown = {
                k: i18n.fmt_number(v, lang, 1 if isinstance(v, float) else 0)
                if isinstance(v, int | float)
                else v
                for k, v in params.items()
            }
            progress(i18n.t(code, lang, **shown))

    step("run.step.contract")
    contract = load_contract(inputs.contract)
    contract_tz = contract.versions[0].terms.timezone
    if as_of is None:
        if as_of_text is None:
            raise ValueError("as_of or as_of_text is required")
        as_of = parse_as_of(as_of_text, contract_tz)
    files = [InputFile.of("contract", inputs.contract)]
    warnings: list[Warning] = []

    step("run.step.tickets", **_file_size(inputs.tickets))
    tickets, events, tz = _read_tickets(inputs, contract_tz, warnings, step)
    files.append(InputFile.of("tickets", inputs.tickets))
    if inputs.mapping is not None:
        files.append(InputFile.of("mapping", inputs.mapping))
    files.extend(InputFile.of("history", path) for path in inputs.history)
    files.extend(InputFile.of("sla", path) for path in inputs.sla)
    if inputs.events is not None:
        files.append(InputFile.of("events", inputs.events))
    adjustments = None
    if inputs.adjustments is not None:
        adjustments = read_adjustments(inputs.adjustments)
        files.append(InputFile.of("adjustments", inputs.adjustments))
    claims = None
    if inputs.claims is not None:
        claims = read_claims(inputs.claims)
        files.append(InputFile.of("claims", inputs.claims))

    step("run.step.evaluate", tickets=len(tickets), events=len(events))
    first = term_start(contract)
    evaluation = evaluate_tickets(
        contract, tickets, events, as_of=as_of, adjustments=adjustments, windows_from=first
    )

    warnings.extend(_response_unknown(evaluation, inputs.tickets.name))

    step("run.step.monitoring")
    outage_parts, probe_parts = _read_monitoring(
        inputs.monitoring, contract, tz, (first, as_of), files
    )
    outages, probes = _concat_outages(outage_parts), _concat_probes(probe_parts)
    other = _availability(contract, as_of, outages, probes)
    backups = restore_tests = None
    if inputs.backups is not None:
        with _stated_timezone(tz, inputs.backups, contract_tz):
            backups = read_backups(inputs.backups, tz=tz)
        files.append(InputFile.of("backups", inputs.backups))
    if inputs.restore_tests is not None:
        with _stated_timezone(tz, inputs.restore_tests, contract_tz):
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
        warnings=tuple(warnings),
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
