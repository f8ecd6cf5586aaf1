"""The ``pilotage`` command line: a thin shell over the core.

Each sub-command lives in :mod:`pilotage.commands` as a module with
``register(subparsers)``; it parses arguments, calls the core and prints.
Errors the user can act on are printed in the user's language, never as a
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from pilotage import __version__, i18n
from pilotage.errors import PilotageError

__all__ = ["main"]

COMMANDS: tuple[str, ...] = (
    "contract",
    "demo",
    "demo_data",
    "explain",
    "lint",
    "report",
    "serve",
    "tickets",
)
"""Modules of :mod:`pilotage.commands`, in the order ``--help`` lists them."""

i18n.register(
    {
        "cli.interrupted": {"en": "Interrupted.", "fr": "Interrompu."},
        "cli.error": {"en": "Error: {message}", "fr": "Erreur : {message}"},
    }
)


def default_language() -> str:
    """French when the environment's locale is French, else English."""
    for var in ("PILOTAGE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def build_parser() -> argparse.ArgumentParser:
    """The parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="pilotage",
        description="Steer an outsourced IT contract: recompute its service levels "
        "from the provider's own exports.",
    )
    parser.add_argument("--version", action="version", version=f"pilotage {__version__}")
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=default_language(),
        help="language of messages and documents (default: from the environment)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"pilotage.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except PilotageError as error:
        print(i18n.t("cli.error", args.lang, message=error.message(args.lang)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(i18n.t("cli.interrupted", args.lang), file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
