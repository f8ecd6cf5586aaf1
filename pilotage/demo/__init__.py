"""The bundled example year (fictitious): Boulangeries Martin SAS and NordInfo Services.

:data:`DATA_DIR` holds the committed files that :func:`pilotage.demo.generate.generate`
writes; the demo report is for :data:`REPORT_MONTH`, evaluated at :data:`AS_OF`.
See ``docs/demo-data.md``.
"""

from __future__ import annotations

from pathlib import Path

from pilotage.demo.generate import AS_OF, FILES

__all__ = ["AS_OF", "DATA_DIR", "FILES", "REPORT_MONTH"]

DATA_DIR = Path(__file__).resolve().parent / "data"
"""The example year's files (``contract.yaml``, ``tickets.csv``, ``events.csv``...)."""

REPORT_MONTH = "2026-10"
"""The month the demo's monthly report covers."""
