"""A finished run's report as PDF or XLSX, and its evidence ZIP.

The PDF and XLSX are the archived renderings of :mod:`pilotage.web.reporting` (the
same bytes as the pages' downloads, rendered once per run, format and language).
The evidence archive needs the core's measurements, so the run's contract version
and snapshots are evaluated again at the same ``as_of``; the core is deterministic
and the rebuilt run must have the stored run key, which is checked.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from pilotage.errors import EngineError
from pilotage.reports.build import build_monthly_report
from pilotage.reports.evidence import evidence_bytes
from pilotage.reports.model import MonthlyReport
from pilotage.run import Run as CoreRun
from pilotage.run import execute
from pilotage.web import reporting, services
from pilotage.web.models import Run, User

__all__ = ["FILE_TYPES", "rebuild", "report_file"]

FILE_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


def rebuild(run: Run, lang: str) -> tuple[CoreRun, MonthlyReport]:
    """Evaluate ``run`` again on its stored inputs; fail if the result differs."""
    with tempfile.TemporaryDirectory(prefix="pilotage-rebuild-") as tmp:
        inputs = services.materialize_inputs(run, Path(tmp))
        result = execute(inputs, as_of=int(run.as_of.timestamp()), lang=lang)
    if run.run_key and result.provenance.run_key() != run.run_key:
        raise EngineError("api.rebuild_differs", {"run": run.pk})
    return result, build_monthly_report(result, run.period)


def report_file(run: Run, kind: str, lang: str, user: User | None) -> bytes:
    """The PDF (``pdf``), XLSX (``xlsx``) or evidence ZIP (``zip``) of a finished run."""
    if kind in ("pdf", "xlsx"):
        return bytes(reporting.render_report(run, kind, lang, user).content)
    result, report = rebuild(run, lang)
    return evidence_bytes(result, report)
