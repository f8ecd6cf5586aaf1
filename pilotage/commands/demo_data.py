"""``pilotage demo-data``: regenerate the bundled example year's files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pilotage import i18n
from pilotage.demo.generate import DEFAULT_SEED, generate

i18n.register(
    {
        "demo_data.help": {
            "en": "write the example year's data files (fictitious company)",
            "fr": "écrire les fichiers de l'année d'exemple (entreprise fictive)",
        },
        "demo_data.written": {
            "en": "{count} files written to {out} (seed {seed}).",
            "fr": "{count} fichiers écrits dans {out} (graine {seed}).",
        },
    }
)


def register(subparsers: Any) -> None:
    """Add the ``demo-data`` sub-command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo-data",
        help=i18n.t("demo_data.help"),
        description="Write the bundled example year (Boulangeries Martin SAS and its "
        "provider NordInfo Services, fictitious) into a folder. The files are the same, "
        "byte for byte, for the same seed.",
    )
    parser.add_argument("--out", required=True, type=Path, help="folder to write into")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Generate the files and say where they are."""
    paths = generate(args.out, args.seed)
    print(i18n.t("demo_data.written", args.lang, count=len(paths), out=args.out, seed=args.seed))
    return 0
