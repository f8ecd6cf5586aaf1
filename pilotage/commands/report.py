"""``pilotage report``: the monthly report from a contract and the month's exports."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pilotage import i18n
from pilotage.errors import PilotageError
from pilotage.reports import FORMATS, write_report
from pilotage.reports.build import build_monthly_report, last_full_month
from pilotage.reports.evidence import write_evidence
from pilotage.run import RunInputs, execute

__all__ = ["add_input_arguments", "inputs_from", "progress_printer", "register", "run_report"]

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
    }
)


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """The inputs of a run, shared by ``report`` and ``explain``."""
    parser.add_argument("--contract", type=Path, required=True, help="the contract file (YAML)")
    parser.add_argument("--tickets", type=Path, required=True, help="tickets (canonical CSV)")
    parser.add_argument("--events", type=Path, help="status history (canonical events CSV)")
    parser.add_argument("--claims", type=Path, help="the provider's claimed figures (CSV)")
    parser.add_argument(
        "--monitoring",
        type=Path,
        nargs="+",
        default=[],
        help="outages (service,start,end,kind,announced_at) or probe samples (service,at,up)",
    )
    parser.add_argument(
        "--backups", type=Path, help="backup job runs (service,scheduled_at,status)"
    )
    parser.add_argument("--restore-tests", type=Path, help="restore tests performed (CSV)")
    parser.add_argument("--adjustments", type=Path, help="waivers agreed in committee (CSV)")
    parser.add_argument(
        "--timezone",
        help="timezone of naive times in the inputs (default: the contract's)",
    )
    parser.add_argument(
        "--as-of",
        help="evaluation instant, e.g. 2026-11-10T09:00 in the contract's timezone (default: now)",
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
    parser.set_defaults(func=run_report)


def progress_printer() -> Callable[[str], None]:
    """Print each step of a long run on standard error, with the time elapsed."""
    start = time.perf_counter()

    def show(message: str) -> None:
        print(f"[{time.perf_counter() - start:5.1f} s] {message}…", file=sys.stderr)

    return show


def run_report(args: argparse.Namespace) -> int:
    """Compute the run, build the report, write it in every format asked."""
    lang = args.lang
    start = time.perf_counter()
    run = execute(
        inputs_from(args),
        as_of=int(time.time()) if args.as_of is None else None,
        as_of_text=args.as_of,
        progress=progress_printer(),
        lang=lang,
    )
    timezone = run.contract.versions[0].terms.timezone
    period = args.period or last_full_month(run.as_of, timezone)
    if not _is_month(period):
        raise PilotageError("report.cli.bad_period", {"value": period})
    report = build_monthly_report(run, period)
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    for path in write_report(report, formats, lang, args.out):
        print(i18n.t("report.cli.written", lang, path=path))
    if args.evidence is not None:
        print(i18n.t("report.cli.written", lang, path=write_evidence(run, report, args.evidence)))
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
