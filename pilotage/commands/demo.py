"""``pilotage demo``: the monthly report of the bundled example year."""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

from pilotage import i18n
from pilotage.commands.report import run_report

__all__ = ["DEMO_AS_OF", "DEMO_PERIOD", "demo_arguments", "register"]

DEMO_PERIOD = "2026-10"
DEMO_AS_OF = "2026-11-10T09:00"
"""The demo is evaluated as the referent would close October: on 10 November."""

i18n.register(
    {
        "demo.cli.help": {
            "en": "write the monthly report of the bundled example year (October 2026)",
            "fr": "écrire le rapport mensuel de l’année d’exemple fournie (octobre 2026)",
        },
        "demo.cli.intro": {
            "en": "Example: Boulangeries Martin SAS and its provider NordInfo Services "
            "(fictitious data), October 2026 closed on 10 November.",
            "fr": "Exemple : Boulangeries Martin SAS et son prestataire NordInfo Services "
            "(données fictives), clôture d’octobre 2026 le 10 novembre.",
        },
    }
)


def demo_arguments(out: Path, lang: str, formats: str = "pdf,html,xlsx,json") -> argparse.Namespace:
    """The arguments of ``pilotage report`` on the bundled data."""
    data = Path(str(resources.files("pilotage.demo") / "data"))
    return argparse.Namespace(
        lang=lang,
        contract=data / "contract.yaml",
        tickets=data / "tickets.csv",
        events=data / "events.csv",
        claims=data / "claims.csv",
        monitoring=[data / "outages.csv"],
        backups=data / "backups.csv",
        restore_tests=data / "restore_tests.csv",
        adjustments=data / "adjustments.csv",
        timezone=None,
        source="canonical",
        mapping=None,
        previous=None,
        as_of=DEMO_AS_OF,
        period=DEMO_PERIOD,
        format=formats,
        out=out / f"rapport-{DEMO_PERIOD}" if lang == "fr" else out / f"report-{DEMO_PERIOD}",
        evidence=out / f"evidence-{DEMO_PERIOD}.zip",
    )


def _run(args: argparse.Namespace) -> int:
    print(i18n.t("demo.cli.intro", args.lang))
    return run_report(demo_arguments(args.out, args.lang, args.format))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pilotage demo``."""
    parser = sub.add_parser("demo", help=i18n.t("demo.cli.help"))
    parser.add_argument("--out", type=Path, default=Path("out"), help="output folder")
    parser.add_argument("--format", default="pdf,html,xlsx,json", help="formats to write")
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=argparse.SUPPRESS,
        help="language of messages and documents (also accepted before the command)",
    )
    parser.set_defaults(func=_run)
