"""``python -m pilotage.web load_demo``: create the demo organizations once and print the logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pilotage.web.demo import load_demo


class Command(BaseCommand):
    """Load the demo (idempotent)."""

    help = "Create the demo organizations, users, contract and monthly runs (once)."

    def add_arguments(self, parser: Any) -> None:
        """``--lang``: language of the demo users and messages."""
        parser.add_argument("--lang", choices=("fr", "en"), default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        """Load and print the accounts."""
        for login in load_demo(lang=options["lang"], out=self.stdout.write):
            self.stdout.write(f"{login.username:12} {login.password:24} {login.role}")
