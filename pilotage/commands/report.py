"""``pilotage report``: the monthly report from a contract and the month's exports."""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from pilotage import i18n
from pilotage.errors import Location, PilotageError
from pilotage.ingest.sources import source_names
from pilotage.ingest.sources.provider import JSON_SOURCES
from pilotage.reports import FORMATS, render_html, render_json, render_pdf, render_xlsx
from pilotage.reports.build import build_monthly_report, last_full_month
from pilotage.reports.evidence import evidence_bytes
from pilotage.reports.model import MonthlyReport
from pilotage.run import Run, RunInputs, execute
from pilotage.timeutil import FORMATS as FORMATS_OF_DATES

__all__ = [
    "StepPrinter",
    "add_input_arguments",
    "inputs_from",
    "print_warnings",
    "progress_printer",
    "register",
    "run_report",
]

i18n.register(
    {
        "report.cli.help": {
            "en": "compute the service levels and write the monthly report",
            "fr": "calculer les niveaux de service et écrire le rapport mensuel",
        },
        "report.cli.written": {"en": "Written: {path}", "fr": "Écrit : {path}"},
        "report.cli.bad_period": {
            "en": 'not a month: "{value}" (expected YYYY-MM, e.g. 2026-10)',
            "fr": "mois invalide : « {value} » (AAAA-MM attendu, par exemple 2026-10)",
        },
        "report.cli.summary": {
            "en": "{period}: {met} of {total} service levels met; penalties due {amount}.",
            "fr": "{period} : {met} niveaux de service respectés sur {total} ; "
            "pénalités dues {amount}.",
        },
        "report.cli.done": {"en": "Done in {seconds} s.", "fr": "Terminé en {seconds} s."},
        "report.cli.restated": {
            "en": "Restated since the previous report: {windows}.",
            "fr": "Modifié depuis le rapport précédent : {windows}.",
        },
        "report.cli.previous_unreadable": {
            "en": "cannot read the previous report: {reason}",
            "fr": "impossible de lire le rapport précédent : {reason}",
        },
        "report.cli.building": {
            "en": "Building and rendering the report",
            "fr": "Construction et mise en forme du rapport",
        },
        "report.cli.writing": {"en": "Writing the files", "fr": "Écriture des fichiers"},
        "report.cli.rendering": {"en": "Rendering {format}", "fr": "Mise en forme {format}"},
        "report.cli.unverifiable": {
            "en": "{count} ticket(s) have no status history: their pause time is the provider's "
            "own total and cannot be verified. Ask the provider for the status history of its "
            "tickets (every status change with its date, e.g. GLPI's ticket history or "
            "ServiceNow's audit), or an export in Pilotage's events.csv format.",
            "fr": "{count} ticket(s) n’ont pas d’historique des statuts : leur temps de suspension "
            "est le total déclaré par le prestataire et n’est pas vérifiable. Demandez au "
            "prestataire l’historique des statuts de ses tickets (chaque changement de statut "
            "avec sa date, par exemple l’historique des tickets GLPI ou l’audit ServiceNow), ou "
            "un export au format events.csv de Pilotage.",
        },
    }
)


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """The inputs of a run, shared by ``report`` and ``explain``."""
    parser.add_argument("--contract", type=Path, required=True, help="the contract file (YAML)")
    parser.add_argument(
        "--tickets",
        type=Path,
        required=True,
        help="the tickets: canonical tickets.csv, or a provider export read with --source",
    )
    parser.add_argument(
        "--source",
        default="canonical",
        choices=[*source_names(), *JSON_SOURCES],
        help="the tool the tickets were exported from (default: canonical)",
    )
    parser.add_argument(
        "--mapping", type=Path, help="a mapping file (YAML/JSON) for the export; overrides --source"
    )
    parser.add_argument(
        "--history",
        type=Path,
        nargs="+",
        default=[],
        help="ticket histories saved from the source's API (Zammad), giving the status history",
    )
    parser.add_argument(
        "--sla",
        type=Path,
        nargs="+",
        default=[],
        help="SLA answers saved from the source's API (Jira Service Management): its verdicts",
    )
    parser.add_argument(
        "--date-format",
        choices=FORMATS_OF_DATES,
        help="how the export writes its dates, overriding the preset's: iso (2026-10-01 08:22), "
        "dmy (01/10/2026 08:22), dmy_dash (01-10-2026 08:22), ymd_slash (2026/10/01 08:22:00)",
    )
    parser.add_argument("--events", type=Path, help="status history (canonical events CSV)")
    parser.add_argument("--claims", type=Path, help="the provider's claimed figures (CSV)")
    parser.add_argument(
        "--monitoring",
        type=Path,
        nargs="+",
        default=[],
        help="outages (service,start,end,kind,announced_at) or probe samples (service,at,up) "
        "as CSV or CSV.GZ, an Uptime Kuma database, Prometheus query_range or Zabbix "
        "history.get/event.get answers (JSON)",
    )
    parser.add_argument(
        "--backups", type=Path, help="backup job runs (service,scheduled_at,status)"
    )
    parser.add_argument("--restore-tests", type=Path, help="restore tests performed (CSV)")
    parser.add_argument("--adjustments", type=Path, help="waivers agreed in committee (CSV)")
    parser.add_argument(
        "--timezone",
        help="timezone of naive times in the inputs, e.g. Europe/Paris (none is assumed)",
    )
    parser.add_argument(
        "--as-of",
        help="evaluation instant, e.g. 2026-11-10T09:00 in the contract's timezone (default: now)",
    )
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=argparse.SUPPRESS,
        help="language of messages and documents (also accepted before the command)",
    )


def inputs_from(args: argparse.Namespace) -> RunInputs:
    """The run inputs named on the command line."""
    return RunInputs(
        contract=args.contract,
        tickets=args.tickets,
        events=args.events,
        claims=args.claims,
        monitoring=tuple(args.monitoring),
        backups=args.backups,
        restore_tests=args.restore_tests,
        adjustments=args.adjustments,
        timezone=args.timezone,
        source=getattr(args, "source", "canonical"),
        mapping=getattr(args, "mapping", None),
        date_format=getattr(args, "date_format", None),
        history=tuple(getattr(args, "history", ())),
        sla=tuple(getattr(args, "sla", ())),
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pilotage report``."""
    parser = sub.add_parser("report", help=i18n.t("report.cli.help"))
    add_input_arguments(parser)
    parser.add_argument("--period", help="month to report, YYYY-MM (default: the last full month)")
    parser.add_argument(
        "--format",
        default="pdf,html,xlsx,json",
        help=f"comma-separated formats among {','.join(FORMATS)}",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("report"), help="output path without extension"
    )
    parser.add_argument("--evidence", type=Path, help="also write the evidence bundle (ZIP)")
    parser.add_argument(
        "--previous",
        type=Path,
        help="a previous report of the same contract (JSON): final windows whose figures "
        "changed are marked restated",
    )
    parser.set_defaults(func=run_report)


class StepPrinter:
    """Prints each step of a long run on standard error with the time elapsed.

    On a terminal the current step's line keeps counting the seconds until the
    next step starts (a small thread redraws it); elsewhere each step is one
    plain line.
    """

    def __init__(
        self, lang: str = "en", stream: TextIO | None = None, interval: float = 0.25
    ) -> None:
        self.lang = lang
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()
        self.live = self.stream.isatty()
        self.interval = interval
        self.message: str | None = None
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def _line(self) -> str:
        elapsed = i18n.fmt_number(time.perf_counter() - self.start, self.lang, 1)
        if "," not in elapsed and "." not in elapsed:
            elapsed += ",0" if self.lang == "fr" else ".0"
        return f"[{elapsed:>5} s] {self.message}…"

    def __call__(self, message: str) -> None:
        with self.lock:
            if self.live and self.message is not None:
                self.stream.write("\r" + self._line() + "\n")
            self.message = message
            self.stream.write(
                ("\r" if self.live else "") + self._line() + ("" if self.live else "\n")
            )
            self.stream.flush()
        if self.live and self.thread is None:
            self.thread = threading.Thread(target=self._tick, daemon=True)
            self.thread.start()

    def _tick(self) -> None:
        while not self.stop.wait(self.interval):
            with self.lock:
                self.stream.write("\r" + self._line())
                self.stream.flush()

    def close(self) -> None:
        """Stop redrawing and end the current line."""
        self.stop.set()
        if self.thread is not None:
            self.thread.join()
        with self.lock:
            if self.live and self.message is not None:
                self.stream.write("\r" + self._line() + "\n")
                self.stream.flush()
            self.message = None


def progress_printer(lang: str = "en") -> StepPrinter:
    """A :class:`StepPrinter` on standard error, numbers written for ``lang``."""
    return StepPrinter(lang)


def print_warnings(run: Run, lang: str) -> None:
    """What the user should know about the inputs, in their language (ratios as
    percentages)."""
    for code, params in run.warnings:
        shown = {
            k: i18n.fmt_percent(v, lang, 0) if isinstance(v, float) else v
            for k, v in params.items()
        }
        print(i18n.t(code, lang, **shown), file=sys.stderr)


def _load_previous(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise PilotageError(
            "report.cli.previous_unreadable", {"reason": str(exc)}, Location(path.name)
        ) from exc
    if not isinstance(data, dict):
        raise PilotageError(
            "report.cli.previous_unreadable", {"reason": "not a JSON object"}, Location(path.name)
        )
    return data


def _formats(text: str) -> list[str]:
    formats = list(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
    for fmt in formats:
        if fmt not in FORMATS:
            raise PilotageError(
                "report.unknown_format", {"format": fmt, "expected": ", ".join(FORMATS)}
            )
    return formats


def _render(report: MonthlyReport, fmt: str, lang: str) -> bytes:
    if fmt == "json":
        return render_json(report)
    if fmt == "html":
        return render_html(report, lang).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(report, lang)
    return render_xlsx(report, lang)


def run_report(args: argparse.Namespace) -> int:
    """Compute the run, build the report, write it in every format asked.

    Every argument and input is checked, and every document rendered, before the
    first file is written: an error leaves nothing behind.
    """
    lang = args.lang
    start = time.perf_counter()
    formats = _formats(args.format)
    if args.period is not None and not _is_month(args.period):
        raise PilotageError("report.cli.bad_period", {"value": args.period})
    previous_path = getattr(args, "previous", None)
    previous = _load_previous(previous_path) if previous_path is not None else None
    progress = progress_printer(lang)
    try:
        run = execute(
            inputs_from(args),
            as_of=int(time.time()) if args.as_of is None else None,
            as_of_text=args.as_of,
            progress=progress,
            lang=lang,
        )
        timezone = run.contract.versions[0].terms.timezone
        period = args.period or last_full_month(run.as_of, timezone)
        progress(i18n.t("report.cli.building", lang))
        report = build_monthly_report(run, period, previous)
        documents: dict[Path, bytes] = {}
        for fmt in formats:
            progress(i18n.t("report.cli.rendering", lang, format=fmt.upper()))
            documents[args.out.with_name(f"{args.out.name}.{fmt}")] = _render(report, fmt, lang)
        if args.evidence is not None:
            documents[args.evidence] = evidence_bytes(run, report)
        progress(i18n.t("report.cli.writing", lang))
        for path, data in documents.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    finally:
        progress.close()
    print_warnings(run, lang)
    for path in documents:
        print(i18n.t("report.cli.written", lang, path=path))
    if report.restated:
        print(i18n.t("report.cli.restated", lang, windows=", ".join(report.restated)))
    if report.unverifiable.count:
        print(
            i18n.t(
                "report.cli.unverifiable",
                lang,
                count=i18n.fmt_number(report.unverifiable.count, lang),
            )
        )
    met = sum(1 for row in report.levels if row.result.status == "met")
    print(
        i18n.t(
            "report.cli.summary",
            lang,
            period=period,
            met=met,
            total=len(report.levels),
            amount=i18n.fmt_money(report.summary.due_this_month, lang, report.contract.currency),
        )
    )
    print(
        i18n.t(
            "report.cli.done", lang, seconds=i18n.fmt_number(time.perf_counter() - start, lang, 1)
        ),
        file=sys.stderr,
    )
    return 0


def _is_month(text: str) -> bool:
    parts = text.split("-")
    return (
        len(parts) == 2
        and len(parts[0]) == 4
        and parts[0].isdigit()
        and parts[1].isdigit()
        and 1 <= int(parts[1]) <= 12
    )
