"""``python -m pilotage.web <command>``: Django's ``manage.py`` for Pilotage."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a Django management command with Pilotage's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilotage.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
