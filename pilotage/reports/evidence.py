"""The evidence bundle: everything an auditor needs to check a report.

A ZIP holding the report's JSON, the provenance (every input's SHA-256, the
software versions, ``as_of``), one CSV of per-ticket measurements per level,
the adjustments applied and the contract version in force.  Entries carry a
fixed date and are written in a fixed order, so that the same run gives the
same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import numpy as np

from pilotage.contract.loader import dump_contract
from pilotage.engine.evaluate import VERDICTS
from pilotage.ingest.canonical import format_instants
from pilotage.reports.json_render import render_json
from pilotage.reports.model import MonthlyReport
from pilotage.run import Run

__all__ = ["evidence_bytes", "write_evidence"]

_FIXED_DATE = (2000, 1, 1, 0, 0, 0)
_MEASUREMENT_COLUMNS = (
    "ticket_id",
    "window",
    "clock_start",
    "clock_stop",
    "deadline",
    "elapsed_business_seconds",
    "target_business_seconds",
    "verdict",
    "pause_not_verifiable",
    "adjustment",
    "contract_version",
)


def _measurements_csv(run: Run, level_id: str) -> bytes:
    """One row per measurement, every column converted at once (no per-row call)."""
    meas = run.evaluation.levels[level_id]
    hashes = np.array([v.hash for v in run.contract.versions], dtype=object)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_MEASUREMENT_COLUMNS)
    writer.writerows(
        zip(
            run.tickets.id[meas.ticket].tolist(),
            meas.window.tolist(),
            format_instants(meas.start),
            format_instants(meas.stop),
            format_instants(meas.deadline),
            meas.elapsed.tolist(),
            meas.target.tolist(),
            np.array(VERDICTS, dtype=object)[meas.verdict].tolist(),
            np.where(meas.pause_not_verifiable, "true", "false").tolist(),
            meas.waived.tolist(),
            hashes[meas.version].tolist(),
            strict=True,
        )
    )
    return out.getvalue().encode("utf-8")


def _adjustments_csv(run: Run) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("ticket_id", "service_level", "decision", "reason", "agreed_on"))
    adj = run.adjustments
    if adj is not None:
        for i in range(len(adj)):
            writer.writerow(
                (
                    adj.ticket_id[i],
                    adj.service_level[i],
                    adj.decision[i],
                    adj.reason[i],
                    adj.agreed_on[i],
                )
            )
    return out.getvalue().encode("utf-8")


def evidence_bytes(run: Run, report: MonthlyReport) -> bytes:
    """The evidence ZIP of ``report`` (computed by ``run``), byte for byte reproducible."""
    version = next(v for v in run.contract.versions if v.hash == report.contract.version)
    entries: dict[str, bytes] = {
        "report.json": render_json(report),
        "provenance.json": json.dumps(
            run.provenance.as_dict(), sort_keys=True, indent=2, ensure_ascii=False
        ).encode("utf-8")
        + b"\n",
        "contract-version.yaml": dump_contract(version.terms.document).encode("utf-8"),
        "adjustments.csv": _adjustments_csv(run),
    }
    for level_id in sorted(run.evaluation.levels):
        entries[f"measurements/{level_id}.csv"] = _measurements_csv(run, level_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def write_evidence(run: Run, report: MonthlyReport, path: Path) -> Path:
    """Write the evidence ZIP of ``report`` (computed by ``run``) at ``path``."""
    data = evidence_bytes(run, report)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
