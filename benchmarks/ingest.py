"""Import speed: a canonical ``tickets.csv`` of a million rows into :class:`Tickets`,
and its ``events.csv`` of five million status rows into :class:`Events`.

Compares, in the same run and on the same generated files, Pilotage's reader
(its Arrow fast path, and the precise reader it falls back on) with the usual
pandas approach (``read_csv`` then ``datetime.fromisoformat`` per date cell).
Each reader runs in a fresh interpreter so that its peak resident memory (the
process's own high-water mark where Linux gives it) is its own; for events it
includes the tickets, read untimed first.  CPU time is shown beside wall time
because the machine may be shared.
``python -m benchmarks.ingest [ROWS]``.
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

import numpy as np

from pilotage.ingest.canonical import EVENT_COLUMNS, TICKET_COLUMNS

__all__ = ["generate", "generate_events", "run"]

_SETUP_EVENTS = """
from pilotage.ingest.canonical import read_tickets_csv
tickets = read_tickets_csv(TICKETS)
"""

_PILOTAGE = """
from pilotage.ingest.canonical import read_tickets_csv
count = len(read_tickets_csv(PATH))
"""

_PRECISE = """
from pilotage.ingest.canonical import read_tickets_csv
count = len(read_tickets_csv(PATH, fast=False))
"""

_PILOTAGE_EVENTS = """
from pilotage.ingest.canonical import read_events_csv
count = len(read_events_csv(PATH, tickets))
"""

_PRECISE_EVENTS = """
from pilotage.ingest.canonical import read_events_csv
count = len(read_events_csv(PATH, tickets, fast=False))
"""

_PANDAS = """
import datetime as dt
import pandas as pd
frame = pd.read_csv(PATH, dtype=str, keep_default_na=False)
columns = {}
for name in ("created_at", "first_response_at", "resolved_at", "closed_at", "at"):
    if name in frame:
        columns[name] = [
            int(dt.datetime.fromisoformat(v).timestamp()) if v else None for v in frame[name]
        ]
count = len(frame)
"""

_HARNESS = """
import json, resource, sys, time
PATH, TICKETS = sys.argv[1], sys.argv[2]
exec(sys.argv[3])
start, cpu = time.perf_counter(), time.process_time()
exec(sys.argv[4])
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
with open('/proc/self/status') as status:
    for line in status:
        if line.startswith('VmHWM:'):
            peak = int(line.split()[1]) * 1024
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


def generate_events(path: Path, rows: int, seed: int = 7) -> int:
    """Write five status rows per ticket of :func:`generate`'s file (ids
    ``INC00000000``...): opened, paused waiting for the customer, reopened with
    a priority change on one in five, resolved, closed; return the file's size."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00:00", "s").astype(np.int64)
    created = start + rng.integers(0, 2 * 365 * 86_400, rows)
    steps = rng.integers(60, 3 * 86_400, (rows, 5))
    steps[:, 0] = 0
    at = (created[:, None] + np.cumsum(steps, axis=1)).ravel()
    text = np.strings.add(np.datetime_as_string(at.astype("datetime64[s]"), unit="s"), "Z")
    ids = np.repeat(np.strings.add("INC", np.strings.zfill(np.arange(rows).astype(str), 8)), 5)
    status = np.tile(np.array(["open", "paused", "open", "resolved", "closed"]), rows)
    reason = np.tile(np.array(["", "waiting_customer", "", "", ""]), rows)
    priority = np.where((np.arange(rows * 5) % 5 == 2) & (rng.random(rows * 5) < 0.2), "P1", "")
    source = np.tile(np.array(["Nouveau", "En attente", "En cours", "Résolu", "Clos"]), rows)
    lines = ids
    for column in (text, status, reason, priority, source):
        lines = np.strings.add(np.strings.add(lines, ","), column)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(EVENT_COLUMNS) + "\n")
        for lo in range(0, len(lines), 1_000_000):
            handle.write("\n".join(lines[lo : lo + 1_000_000].tolist()) + "\n")
    return path.stat().st_size


def _measure(code: str, path: Path, tickets: Path | None = None) -> dict[str, float]:
    setup = _SETUP_EVENTS if tickets else ""
    out = subprocess.run(
        [sys.executable, "-c", _HARNESS, str(path), str(tickets or ""), setup, code],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _show(label: str, r: dict[str, float]) -> None:
    print(
        f"  {label:<34} {r['seconds']:7.2f} s ({r['cpu_seconds']:.2f} s CPU)"
        f"  {r['rows'] / r['seconds']:>10,.0f} rows/s  peak {r['peak_bytes'] / 2**20:,.0f} MiB"
    )


def run(rows: int = 1_000_000) -> dict[str, float]:
    """Generate the files, time the readers, print rows/s, memory and ratios."""
    results: dict[str, float] = {"rows": rows, "event_rows": rows * 5}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tickets.csv"
        events = Path(folder) / "events.csv"
        t0 = time.perf_counter()
        size = generate(path, rows)
        events_size = generate_events(events, rows)
        print(
            f"import: generated {rows:,} tickets ({size / 1e6:.0f} MB) and {rows * 5:,} "
            f"status rows ({events_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s"
        )
        for title, target, tickets, readers in (
            ("tickets.csv", path, None, (_PILOTAGE, _PRECISE, _PANDAS)),
            ("events.csv", events, path, (_PILOTAGE_EVENTS, _PRECISE_EVENTS, _PANDAS)),
        ):
            name = "events" if tickets else "tickets"
            ours, precise, theirs = (_measure(code, target, tickets) for code in readers)
            print(f" {title}:")
            _show(f"read_{name}_csv", ours)
            _show(f"read_{name}_csv(fast=False)", precise)
            _show("pandas + fromisoformat", theirs)
            ratio = theirs["seconds"] / ours["seconds"]
            print(
                f"  pilotage is {ratio:.1f}x the pandas baseline's speed, "
                f"{precise['seconds'] / ours['seconds']:.1f}x the precise reader's"
            )
            for key, figures in (("pilotage", ours), ("precise", precise), ("pandas", theirs)):
                results[f"{name}_{key}_seconds"] = figures["seconds"]
                results[f"{name}_{key}_cpu_seconds"] = figures["cpu_seconds"]
                results[f"{name}_{key}_peak_bytes"] = figures["peak_bytes"]
            results[f"{name}_speed_ratio"] = ratio
    return results


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
