"""Import speed: a canonical ``tickets.csv`` of a million rows into :class:`Tickets`.

Compares, in the same run and on the same generated file, Pilotage's reader
with the usual pandas approach (``read_csv`` then ``datetime.fromisoformat``
per date cell).  Each reader runs in a fresh interpreter so that its peak
resident memory is its own; CPU time is shown beside wall time because the
machine may be shared.  ``python -m benchmarks.ingest [ROWS]``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pilotage.ingest.canonical import TICKET_COLUMNS

__all__ = ["generate", "run"]

_PILOTAGE = """
from pilotage.ingest.canonical import read_tickets_csv
tickets = read_tickets_csv(PATH)
count = len(tickets)
"""

_PANDAS = """
import datetime as dt
import pandas as pd
frame = pd.read_csv(PATH, dtype=str, keep_default_na=False)
columns = {}
for name in ("created_at", "first_response_at", "resolved_at", "closed_at"):
    columns[name] = [
        int(dt.datetime.fromisoformat(v).timestamp()) if v else None for v in frame[name]
    ]
count = len(frame)
"""

_HARNESS = """
import json, resource, sys, time
PATH = sys.argv[1]
start, cpu = time.perf_counter(), time.process_time()
exec(sys.argv[2])
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "peak_bytes": peak, "rows": count}))
"""


def generate(path: Path, rows: int, seed: int = 7) -> int:
    """Write a realistic canonical tickets file of ``rows`` rows; return its size."""
    rng = random.Random(seed)
    start = int(dt.datetime(2024, 1, 1, tzinfo=dt.UTC).timestamp())
    services = ["messagerie", "postes", "erp", "reseau", "sauvegarde", ""]
    categories = ["Messagerie", "Poste de travail", "Imprimante", "ERP", "Réseau", "VPN"]
    sites = ["Lille", "Arras", "Lens", "Douai"]
    titles = ["Messagerie indisponible", "Écran noir", "Imprimante bloquée", "Accès VPN"]

    def iso(ts: int) -> str:
        return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(TICKET_COLUMNS)
        for i in range(rows):
            created = start + rng.randrange(0, 2 * 365 * 86_400)
            response = created + rng.randrange(60, 8 * 3600)
            resolved = response + rng.randrange(600, 10 * 86_400)
            closed = resolved + rng.randrange(3600, 5 * 86_400)
            done = rng.random() < 0.9
            writer.writerow(
                [
                    f"INC{i:08d}",
                    "incident" if rng.random() < 0.7 else "request",
                    f"P{rng.randrange(1, 5)}",
                    rng.choice(services),
                    rng.choice(categories),
                    rng.choice(sites),
                    rng.choice(titles) + f" #{i % 997}",
                    f"p-{rng.getrandbits(64):016x}",
                    iso(created),
                    iso(response),
                    iso(resolved) if done else "",
                    iso(closed) if done else "",
                    "closed" if done else "open",
                    "",
                    str(rng.randrange(0, 20_000)) if rng.random() < 0.3 else "",
                    rng.choice(["true", "false", ""]),
                    rng.choice(["true", "false", ""]),
                    rng.choice(["true", "false", ""]),
                ]
            )
    return path.stat().st_size


def _measure(code: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _HARNESS, str(path), code],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run(rows: int = 1_000_000) -> dict[str, float]:
    """Generate the file, time both readers, print rows/s, memory and ratios."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tickets.csv"
        t0 = time.perf_counter()
        size = generate(path, rows)
        print(
            f"import: generated {rows:,} tickets ({size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        ours = _measure(_PILOTAGE, path)
        theirs = _measure(_PANDAS, path)
    for label, r in (("pilotage read_tickets_csv", ours), ("pandas + fromisoformat", theirs)):
        print(
            f"  {label:<28} {r['seconds']:7.2f} s ({r['cpu_seconds']:.2f} s CPU)"
            f"  {r['rows'] / r['seconds']:>10,.0f} rows/s  peak {r['peak_bytes'] / 2**20:,.0f} MiB"
        )
    ratio = theirs["seconds"] / ours["seconds"]
    print(f"  pilotage is {ratio:.1f}x the pandas baseline's speed")
    return {
        "rows": rows,
        "bytes": size,
        "pilotage_seconds": ours["seconds"],
        "pilotage_cpu_seconds": ours["cpu_seconds"],
        "pilotage_peak_bytes": ours["peak_bytes"],
        "pandas_seconds": theirs["seconds"],
        "pandas_cpu_seconds": theirs["cpu_seconds"],
        "pandas_peak_bytes": theirs["peak_bytes"],
        "speed_ratio": ratio,
    }


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
