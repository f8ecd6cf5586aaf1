"""The monthly report end to end, from CSV files to the rendered document.

(a) A million tickets with about five million status events (the engine
benchmark's seeded generator, reference contract), written untimed as
canonical ``tickets.csv`` and ``events.csv``; then timed in a fresh process:
read both files, evaluate, reconcile, penalties (:func:`pilotage.run.execute`,
stage by stage), build the June report and render its JSON.  Each stage's wall
time and the peak resident memory after it are printed.  The reading stage is
compared, on the same files and in another fresh process, with
``pandas.read_csv`` (the text only, no date parsing or checks).

(b) The PDF of a typical SME month: 2,000 tickets in March 2026 (about 12,000
over the half-year) on the bundled example contract, from CSV to PDF, compared
with the same report rendered as HTML.

``python -m benchmarks report`` or ``python -m benchmarks.report [TICKETS]``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["run"]

_ROOT = Path(__file__).resolve().parents[1]
_REFERENCE = _ROOT / "pilotage" / "contract" / "examples" / "reference.yaml"
_DEMO_CONTRACT = _ROOT / "pilotage" / "demo" / "data" / "contract.yaml"

_WRITE = """
import sys
from benchmarks.engine_eval import generate
from pilotage.ingest.canonical import write_events_csv, write_tickets_csv
tickets, events = generate(int(sys.argv[1]))
write_tickets_csv(tickets, sys.argv[2])
write_events_csv(events, tickets, sys.argv[3])
print(len(tickets), len(events))
"""

_REPORT = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
stages = []
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
def mark(name):
    stages.append((name, time.perf_counter(), peak(), time.process_time()))
mark("imports")
from pilotage.reports import render_html, render_json, render_pdf
from pilotage.reports.build import build_monthly_report
from pilotage.run import RunInputs, execute
mark("start")
contract, tickets, events, as_of, period, fmt = sys.argv[1:7]
run = execute(
    RunInputs(contract=Path(contract), tickets=Path(tickets), events=Path(events)),
    as_of_text=as_of,
    progress=mark,
)
mark("build")
report = build_monthly_report(run, period)
mark("render")
if fmt == "pdf":
    data = render_pdf(report, "fr")
elif fmt == "html":
    data = render_html(report, "fr").encode()
else:
    data = render_json(report)
mark("end")
out = []
for (name, t0, _, c0), (_, t1, rss, c1) in zip(stages, stages[1:]):
    out.append({"stage": name, "seconds": t1 - t0, "cpu_seconds": c1 - c0, "peak_bytes": rss})
total = stages[-1][1] - stages[1][1]
cpu = stages[-1][3] - stages[1][3]
print(json.dumps({"stages": out, "total": total, "cpu": cpu, "bytes": len(data),
                  "breaches": len(report.breaches),
                  "tickets": len(run.tickets), "events": len(run.events)}))
"""

_PANDAS = """
import json, resource, sys, time
import pandas as pd
start = time.perf_counter()
tickets = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
events = pd.read_csv(sys.argv[2], dtype=str, keep_default_na=False)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak_bytes": peak, "rows": len(tickets) + len(events)}))
"""

# execute()'s progress messages, in English, name the stage that starts.
_STAGE_NAMES = {
    "Reading the contract": "load the contract",
    "Reading the tickets": "read tickets.csv",
    "Reading the status history": "read events.csv",
    "Computing the service levels": "evaluate",
    "Reading the monitoring data": "availability, backups",
    "Reconciling with the provider's figures": "reconcile",
    "Computing the penalties": "penalties",
    "build": "build the report",
    "render": "render",
}


def _child(code: str, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=_ROOT, capture_output=True, text=True, check=True
    )
    figures: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _show(title: str, figures: dict[str, object], fmt: str) -> float:
    print(title)
    print(f"  {'stage':<32} {'wall':>9}  (processor time: the machine may be shared)")
    stages = figures["stages"]
    assert isinstance(stages, list)
    for stage in stages:
        name = str(stage["stage"])
        if name in ("imports", "start"):
            continue
        label = _STAGE_NAMES.get(name.split(" (")[0], name)
        if name == "render":
            label = f"render {fmt.upper()}"
        mib = stage["peak_bytes"] / 2**20
        print(
            f"  {label:<32} {stage['seconds']:7.2f} s  (processor {stage['cpu_seconds']:6.2f} s)"
            f"   peak {mib:7,.0f} MiB"
        )
    total = float(str(figures["total"]))
    cpu = float(str(figures["cpu"]))
    print(
        f"  ({int(str(figures['breaches'])):,} breaches traced in the report; "
        f"{int(str(figures['bytes'])):,} bytes written)"
    )
    print(f"  {'total (imports excluded)':<32} {total:7.2f} s  (processor {cpu:6.2f} s)")
    return total


def _stage(figures: dict[str, object], name: str) -> float:
    stages = figures["stages"]
    assert isinstance(stages, list)
    return float(sum(s["seconds"] for s in stages if s["stage"].split(" (")[0] == name))


def run(tickets: int = 1_000_000, sme_tickets: int = 12_000) -> dict[str, float]:
    """Time (a) the JSON report of ``tickets`` tickets and (b) an SME month's PDF."""
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="pilotage-bench-") as folder:
        base = Path(folder)
        t_csv, e_csv = base / "tickets.csv", base / "events.csv"
        start = time.perf_counter()
        written = subprocess.run(
            [sys.executable, "-c", _WRITE, str(tickets), str(t_csv), str(e_csv)],
            cwd=_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        print(
            f"generated {int(written[0]):,} tickets and {int(written[1]):,} events as CSV "
            f"({(t_csv.stat().st_size + e_csv.stat().st_size) / 2**20:,.0f} MiB) in "
            f"{time.perf_counter() - start:.0f} s (untimed)"
        )
        big = _child(
            _REPORT, str(_REFERENCE), str(t_csv), str(e_csv), "2026-07-01", "2026-06", "json"
        )
        total = _show("(a) JSON report from CSV, one process:", big, "json")
        reading = _stage(big, "Reading the tickets") + _stage(big, "Reading the status history")
        pandas = _child(_PANDAS, str(t_csv), str(e_csv))
        pandas_seconds = float(str(pandas["seconds"]))
        print(
            f"  alternative: pandas.read_csv(dtype=str) of both files, text only: "
            f"{pandas_seconds:.2f} s, peak {float(str(pandas['peak_bytes'])) / 2**20:,.0f} MiB; "
            f"Pilotage's reading takes {reading / pandas_seconds:.2f}x its time"
        )
        print(f"  target < 10 s: {'met' if total < 10 else 'NOT met'} ({total:.1f} s)")
        results.update(big_total=total, big_reading=reading, pandas_reading=pandas_seconds)

        s_csv, s_events = base / "sme-tickets.csv", base / "sme-events.csv"
        subprocess.run(
            [sys.executable, "-c", _WRITE, str(sme_tickets), str(s_csv), str(s_events)],
            cwd=_ROOT,
            capture_output=True,
            check=True,
        )
        args = (str(_DEMO_CONTRACT), str(s_csv), str(s_events), "2026-07-01", "2026-03")
        pdf = _child(_REPORT, *args, "pdf")
        html = _child(_REPORT, *args, "html")
        pdf_total = _show(
            f"(b) SME month: PDF of March 2026 ({sme_tickets:,} tickets over the half-year, "
            "about 2,000 in the month), bundled contract:",
            pdf,
            "pdf",
        )
        html_render = _stage(html, "render")
        pdf_render = _stage(pdf, "render")
        print(
            f"  alternative: the same report as HTML renders in {html_render:.2f} s; "
            f"the PDF takes {pdf_render / html_render:.1f}x that (layout by WeasyPrint)"
        )
        print(f"  target < 5 s: {'met' if pdf_total < 5 else 'NOT met'} ({pdf_total:.1f} s)")
        results.update(pdf_total=pdf_total, pdf_render=pdf_render, html_render=html_render)
    return results


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
