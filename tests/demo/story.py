"""A small, independent reading of the demo data on the reference contract's rules.

It recomputes the monthly figures the story in docs/demo-data.md tells, so the
tests can check that the generated year says what the documentation says.  It
is deliberately plain (loops over rows); the engine is the real implementation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass

from pilotage.demo.generate import PARIS, contract_calendar

HOUR = 3600
OBJECTIVES = {
    "p1-response": (0.95, None),
    "p1-resolution": (0.95, 1),
    "p2-resolution": (0.90, None),
    "requests": (0.90, None),
}


def read_csv(data: bytes) -> list[dict[str, str]]:
    """Rows of a CSV file as dicts."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def epoch(text: str) -> int:
    """An ISO 8601 instant with offset as epoch seconds."""
    return int(dt.datetime.fromisoformat(text).timestamp())


def month_of(t: int) -> str:
    """The Paris month (``2026-10``) that contains ``t``."""
    return dt.datetime.fromtimestamp(t, PARIS).strftime("%Y-%m")


@dataclass
class Figure:
    """One level's window: eligible tickets, met tickets and breached ids."""

    eligible: int = 0
    met: int = 0

    def status(self, level: str) -> str:
        objective, allowed = OBJECTIVES[level]
        if not self.eligible:
            return "no_data"
        if self.met / self.eligible >= objective:
            return "met"
        if allowed is not None and self.eligible - self.met <= allowed:
            return "met"
        return "breached"


def evaluate(files: dict[str, bytes], as_of: dt.datetime) -> dict[tuple[str, str], Figure]:
    """Per (level, month) figures at ``as_of`` with the committee's waivers applied."""
    cal = contract_calendar()
    cutoff = int(as_of.timestamp())
    amended = int(dt.datetime(2026, 7, 1, tzinfo=PARIS).timestamp())
    events: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_csv(files["events.csv"]):
        if epoch(row["at"]) <= cutoff:
            events[row["ticket_id"]].append(row)
    waivers = {
        (r["ticket_id"], r["service_level"]): r["decision"]
        for r in read_csv(files["adjustments.csv"])
    }
    figures: dict[tuple[str, str], Figure] = defaultdict(Figure)

    def count(level: str, ticket_id: str, month: str, met: bool) -> None:
        decision = waivers.get((ticket_id, level))
        if decision == "exclude":
            return
        figure = figures[(level, month)]
        figure.eligible += 1
        figure.met += bool(met or decision == "met")

    for t in read_csv(files["tickets.csv"]):
        created = epoch(t["created_at"])
        if created > cutoff or t["state"] in ("cancelled", "merged") or t["service"] == "erp":
            continue
        if t["parent_id"]:
            continue
        history = events[t["id"]]
        if t["kind"] == "request":
            level, target = "requests", 27 * HOUR
        elif t["priority"] == "P1":
            level, target = "p1-resolution", 3 * HOUR if created >= amended else 4 * HOUR
        elif t["priority"] == "P2":
            level, target = "p2-resolution", 8 * HOUR
        else:
            continue
        if level == "p1-resolution" and t["first_response_at"]:
            response = epoch(t["first_response_at"])
            if response <= cutoff:
                met = cal.elapsed(created, response) <= 30 * 60
                count("p1-response", t["id"], month_of(created), met)
        excluded = 0
        since: int | None = None
        resolved: int | None = None
        for row in history:
            at = epoch(row["at"])
            status = row["status"]
            if (
                status == "paused" and row["pause_reason"] == "waiting_customer"
            ) or status == "resolved":
                if since is None:
                    since = at
                if status == "resolved":
                    resolved = at
            elif status == "open":
                if since is not None:
                    excluded += cal.elapsed(since, at)
                since = None
                resolved = None
        if resolved is not None:
            met = cal.elapsed(created, resolved) - excluded <= target
            if met:
                count(level, t["id"], month_of(resolved), met)
            else:  # a breach counts where its deadline fell, as if it were seen open then
                deadline = cal.instant(cal.position(created) + excluded + target)
                count(level, t["id"], month_of(deadline), met)
        else:
            open_since = since if since is not None else cutoff
            used = cal.elapsed(created, open_since) - excluded
            if used > target:
                deadline = cal.instant(cal.position(created) + excluded + target)
                count(level, t["id"], month_of(deadline), False)
    return dict(figures)


def availability(files: dict[str, bytes]) -> dict[str, float]:
    """Mail availability per month: 24x7, maintenance excused with 48 h notice,
    outside business hours and within 4 h a month (in chronological order)."""
    cal = contract_calendar()
    downtime: dict[str, int] = defaultdict(int)
    allowance: dict[str, int] = defaultdict(int)
    for row in read_csv(files["outages.csv"]):
        start, end = epoch(row["start"]), epoch(row["end"])
        month = month_of(start)
        if row["kind"] == "maintenance":
            announced = epoch(row["announced_at"]) if row["announced_at"] else None
            excused = (
                announced is not None
                and start - announced >= 48 * HOUR
                and cal.elapsed(start, end) == 0
                and allowance[month] + end - start <= 4 * HOUR
            )
            if excused:
                allowance[month] += end - start
                continue
        downtime[month] += end - start
    result = {}
    for month in range(1, 12):
        first = dt.datetime(2026, month, 1, tzinfo=PARIS)
        following = dt.datetime(2026 + month // 12, month % 12 + 1, 1, tzinfo=PARIS)
        key = first.strftime("%Y-%m")
        seconds = following.timestamp() - first.timestamp()
        result[key] = 1 - downtime[key] / seconds
    return result


def backups(files: dict[str, bytes]) -> dict[str, tuple[int, int]]:
    """(expected nightly jobs, successful ones) per month; a missing night failed."""
    reported = {row["scheduled_at"][:10]: row["status"] for row in read_csv(files["backups.csv"])}
    result: dict[str, tuple[int, int]] = {}
    day = dt.date(2026, 1, 1)
    while day <= dt.date(2026, 10, 31):
        key = day.strftime("%Y-%m")
        expected, ok = result.get(key, (0, 0))
        result[key] = (expected + 1, ok + (reported.get(day.isoformat(), "failed") != "failed"))
        day += dt.timedelta(days=1)
    return result
