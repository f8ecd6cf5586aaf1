"""Ticket evaluation speed: every ticket level of the reference contract at once.

Generates (seeded) a million tickets and about five million status events
over the first half of 2026, then times :func:`evaluate_tickets` in a fresh
interpreter (so that its peak memory is its own: the peak resident size is
reset after the data is built) and a straightforward per-ticket, per-segment
pure-Python clock on a sample of the same tickets, whose results must agree.
``python -m benchmarks.engine_eval [TICKETS]``.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import numpy as np

from pilotage.contract.model import Contract
from pilotage.tables import EVENT_STATUSES, MISSING, Events, Tickets, object_array

__all__ = ["generate", "python_business_seconds", "run"]

PARIS = ZoneInfo("Europe/Paris")
_EXAMPLE = Path(__file__).resolve().parents[1] / "pilotage" / "contract" / "examples"


def reference_contract() -> Contract:
    """The reference contract, loaded from the package's example copy."""
    from pilotage.contract.loader import load_contract

    return load_contract(_EXAMPLE / "reference.yaml")


def generate(n: int, seed: int = 11) -> tuple[Tickets, Events]:
    """``n`` tickets and about ``5 n`` status events (vectorized, seeded)."""
    rng = np.random.default_rng(seed)
    t0 = int(dt.datetime(2026, 1, 1, tzinfo=PARIS).timestamp())
    span = 181 * 86_400
    created = np.sort(t0 + rng.integers(0, span, n)).astype(np.int64)
    kind = np.where(rng.random(n) < 0.6, "incident", "request")
    priority = np.array(["P1", "P2", "P3", "P4"])[rng.choice(4, n, p=[0.05, 0.15, 0.4, 0.4])]
    service = np.array(["messagerie", "postes", "erp", "sauvegarde", ""])[
        rng.choice(5, n, p=[0.3, 0.3, 0.05, 0.05, 0.3])
    ]
    category = np.array(["Messagerie", "Poste de travail", "Imprimante", "ERP", "Réseau"])[
        rng.integers(0, 5, n)
    ]
    k = rng.integers(3, 8, n)  # events per ticket: 3 to 7, 5 on average
    m = int(k.sum())
    ticket = np.repeat(np.arange(n, dtype=np.int64), k)
    first = np.zeros(n, dtype=np.int64)
    np.cumsum(k[:-1], out=first[1:])
    rank = np.arange(m) - first[ticket]
    gaps = rng.exponential(4 * 3600, m).astype(np.int64) + 60
    at = created[ticket] + np.cumsum(gaps) - (np.cumsum(gaps)[first] - gaps[first])[ticket]
    running = rng.random(n) < 0.08
    last = rank == k[ticket] - 1
    before_last = rank == k[ticket] - 2
    status = np.where(rank % 2 == 0, 1, 0).astype(np.int8)  # paused, open, paused...
    status[last & ~running[ticket]] = EVENT_STATUSES.index("closed")
    status[before_last & ~running[ticket]] = EVENT_STATUSES.index("resolved")
    reasons = np.array(["waiting_customer", "waiting_vendor", "on_hold", ""])
    reason = np.where(status == 1, reasons[rng.choice(4, m, p=[0.7, 0.2, 0.05, 0.05])], "")
    prio_cell = np.where(
        rng.random(m) < 0.05, np.array(["P1", "P2", "P3"])[rng.integers(0, 3, m)], ""
    )
    resolved_at = np.full(n, MISSING, dtype=np.int64)
    closed_at = np.full(n, MISSING, dtype=np.int64)
    done = ~running
    resolved_at[done] = at[(first + k - 2)[done]]
    closed_at[done] = at[(first + k - 1)[done]]
    response = np.where(rng.random(n) < 0.9, created + rng.integers(60, 7200, n), MISSING)
    state = np.where(running, "open", "closed").astype(object)
    odd = rng.random(n)
    state[odd < 0.01] = "cancelled"
    state[(odd >= 0.01) & (odd < 0.015)] = "merged"
    parent = np.full(n, "", dtype=object)
    children = np.flatnonzero(rng.random(n) < 0.005)
    parent[children] = object_array(f"T{max(int(c) - 1, 0)}" for c in children)
    empty = object_array([""] * n)
    tickets = Tickets(
        id=object_array(f"T{i}" for i in range(n)),
        kind=kind.astype(object),
        priority=priority.astype(object),
        service=service.astype(object),
        category=category.astype(object),
        site=empty,
        title=empty,
        requester=empty,
        created_at=created,
        first_response_at=response.astype(np.int64),
        resolved_at=resolved_at,
        closed_at=closed_at,
        state=state,
        parent_id=parent,
        waiting_seconds=np.full(n, MISSING, dtype=np.int64),
        provider_sla_met=np.full(n, -1, dtype=np.int8),
        provider_response_met=np.full(n, -1, dtype=np.int8),
        provider_resolution_met=np.full(n, -1, dtype=np.int8),
    )
    events = Events(
        ticket=ticket,
        at=at.astype(np.int64),
        status=status,
        pause_reason=reason.astype(object),
        priority=prio_cell.astype(object),
        source_status=object_array([""] * m),
    )
    return tickets, events


# ------------------------------------------------------------ the pure-Python baseline

_FR = holidays.country_holidays("FR", years=range(2025, 2028), language="fr")
_CLOSED_DAYS = {d for d, name in _FR.items() if name != "Lundi de Pentecôte"}
_RANGES = ((8, 0, 12, 30), (13, 30, 18, 0))


def python_business_seconds(a: int, b: int) -> int:
    """Open seconds of the reference business calendar in ``[a, b)``, day by day."""
    if b <= a:
        return 0
    day = dt.datetime.fromtimestamp(a, PARIS).date()
    end_day = dt.datetime.fromtimestamp(b, PARIS).date()
    total = 0
    while day <= end_day:
        if day.weekday() < 5 and day not in _CLOSED_DAYS:
            for h0, m0, h1, m1 in _RANGES:
                lo = int(
                    dt.datetime(day.year, day.month, day.day, h0, m0, tzinfo=PARIS).timestamp()
                )
                hi = int(
                    dt.datetime(day.year, day.month, day.day, h1, m1, tzinfo=PARIS).timestamp()
                )
                if day == dt.date(2026, 12, 24):
                    hi = min(hi, int(dt.datetime(2026, 12, 24, 14, tzinfo=PARIS).timestamp()))
                total += max(0, min(hi, b) - max(lo, a))
        day += dt.timedelta(days=1)
    return total


def _python_resolution(
    created: int, rows: list[tuple[int, int, str]], excluded: set[str], known: set[str], as_of: int
) -> int:
    """Counted resolution time of one ticket, segment by segment."""
    segments = [(created, 0, "")] + [(max(t, created), s, r) for t, s, r in rows if t <= as_of]
    active = [i for i, (_, s, _) in enumerate(segments) if s <= 1]
    running = active[-1] == len(segments) - 1
    stop = as_of if running else segments[active[-1] + 1][0]
    total = 0
    for i, (start, status, reason) in enumerate(segments):
        end = segments[i + 1][0] if i + 1 < len(segments) else as_of
        end = min(end, stop)
        if status == 0 or (status == 1 and reason not in excluded):
            total += python_business_seconds(start, end)
    return total


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


_CHILD = """
import json, sys, time
from benchmarks.engine_eval import generate, reference_contract
from pilotage.engine.evaluate import evaluate_tickets
n = int(sys.argv[1])
tickets, events = generate(n)
contract = reference_contract()
as_of = 1_782_856_800  # 2026-07-01 00:00 Paris
def rss(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024
    return 0
base = rss("VmRSS:")
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
start, cpu = time.perf_counter(), time.process_time()
result = evaluate_tickets(contract, tickets, events, as_of=as_of)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = rss("VmHWM:")
measured = sum(len(m) for m in result.levels.values())
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_bytes": peak, "base_bytes": base,
                  "events": len(events), "measured": measured}))
"""


def run(tickets: int = 1_000_000, sample: int = 2_000) -> dict[str, float]:
    """Time the evaluation of ``tickets`` tickets and the Python baseline on a sample."""
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tickets)],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    seconds = figures["seconds"]
    print(
        f"engine evaluation: {tickets:,} tickets, {figures['events']:,} events, "
        f"{figures['measured']:,} ticket-level measurements"
    )
    print(
        f"  evaluate_tickets  {seconds:7.2f} s  {tickets / seconds:>12,.0f} tickets/s"
        f"  {figures['events'] / seconds:>12,.0f} events/s"
        f"  peak {figures['peak_bytes'] / 2**20:,.0f} MiB"
        f" (data {figures['base_bytes'] / 2**20:,.0f} MiB)"
    )
    print(f"  processor time    {figures['cpu_seconds']:7.2f} s (the machine may be shared)")

    # The baseline and the cross-check, on a sample of the requests level.
    from pilotage.engine.evaluate import evaluate_tickets

    small, small_events = generate(sample)
    contract = reference_contract()
    as_of = 1_782_856_800
    ours = evaluate_tickets(contract, small, small_events, as_of=as_of).levels["requests"]
    rows_by_ticket: dict[int, list[tuple[int, int, str]]] = {}
    for t, a, s, r in zip(
        small_events.ticket.tolist(),
        small_events.at.tolist(),
        small_events.status.tolist(),
        small_events.pause_reason.tolist(),
        strict=True,
    ):
        rows_by_ticket.setdefault(t, []).append((a, s, r))
    known = {"waiting_customer", "waiting_vendor", "waiting_third_party", "scheduled"}
    baseline: list[int] = []

    def python_clock() -> None:
        for t in ours.ticket.tolist():
            baseline.append(
                _python_resolution(
                    int(small.created_at[t]),
                    rows_by_ticket.get(t, []),
                    {"waiting_customer"},
                    known,
                    as_of,
                )
            )

    python_seconds = _time(python_clock)
    agree = int(np.sum(np.array(baseline) == ours.elapsed))
    per_ticket_python = python_seconds / max(len(baseline), 1)
    per_ticket_ours = seconds / max(figures["measured"], 1)
    ratio = per_ticket_python / per_ticket_ours
    print(
        f"  per-ticket Python {per_ticket_python * 1e6:9.1f} µs per measurement on "
        f"{len(baseline):,} requests ({agree:,} agree)"
    )
    print(f"  evaluate_tickets is {ratio:,.0f}x the per-ticket Python clock's speed")
    return {
        "tickets": tickets,
        "events": figures["events"],
        "seconds": seconds,
        "cpu_seconds": figures["cpu_seconds"],
        "peak_bytes": figures["peak_bytes"],
        "python_seconds_per_measurement": per_ticket_python,
        "speed_ratio": ratio,
        "sample_agreement": agree / max(len(baseline), 1),
    }


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
