"""The web application under load: dashboard pages for concurrent users on a large history.

Seeds a fresh database (SQLite, or PostgreSQL when ``PILOTAGE_DB=postgres``, e.g. under
``scripts/with-postgres``) with ``--contracts`` contracts over ``--years`` years of
monthly closings: one real run of the bundled example month (the engine, once) gives
the template of a run's window rows and report JSON; every other contract and month
gets a generated run with its rows (every month of its contract year so far, six
service levels, about 8 % of windows breached) and the report JSON, as the engine
would store them.  50 contracts over 3 years stand for about 2 million tickets
(1,100 a month per contract).

The application is then served by waitress (``pilotage serve --no-worker``) in a
subprocess and ``--users`` threads, each signed in as its own user with a keep-alive
``http.client`` connection, request the pages in turn for ``--seconds``.  Printed per
page: requests, p50/p95/p99/max latency, errors (any status but 200) and the SQL
queries the page runs (counted once, in the seeding process, with Django's test
client).  The goal is a p95 under 300 ms with no error.

``python -m benchmarks web`` or ``python -m benchmarks.web [--contracts N] [--years N]
[--users N] [--seconds S]``; ``scripts/with-postgres .venv/bin/python -m benchmarks.web``
for PostgreSQL.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

__all__ = ["main", "run"]

_ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 300.0


def run() -> None:
    """Entry point of ``python -m benchmarks``."""
    main([])


# Seeding (in a child process with Django set up on the benchmark's database) ----------------


def _month_bounds(year: int, month: int) -> tuple[Any, Any]:
    import datetime as dt

    start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=dt.UTC)
    return start, end


def seed(contracts: int, years: int, users: int) -> dict[str, Any]:
    """Create the organizations, contracts, runs, rows, users and sessions; return the plan."""
    import datetime as dt

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from pilotage.web import services
    from pilotage.web.choices import Role, RunStatus
    from pilotage.web.models import Contract, Membership, Organization, Run, User, WindowResultRow

    call_command("migrate", interactive=False, verbosity=0)
    data = _ROOT / "pilotage" / "demo" / "data"
    text = (data / "contract.yaml").read_text(encoding="utf-8")
    orgs = [
        Organization.objects.create(name=f"Client {i:02d}", slug=f"client-{i:02d}")
        for i in range(max(1, contracts // 10))
    ]
    all_contracts = [
        services.create_contract(orgs[i % len(orgs)], text, None) for i in range(contracts)
    ]
    files = {
        "tickets.csv": "tickets",
        "events.csv": "events",
        "claims.csv": "claims",
        "outages.csv": "monitoring",
        "backups.csv": "backups",
        "restore_tests.csv": "restore_tests",
        "adjustments.csv": "adjustments",
    }
    first = all_contracts[0]
    snapshots = [
        services.store_snapshot(first, role, name, (data / name).read_bytes(), None)
        for name, role in files.items()
    ]
    as_of = dt.datetime(2026, 11, 10, 8, tzinfo=dt.UTC)
    template = services.close_month(first, snapshots, as_of, "2026-10", None)
    monthly = {
        r.level_id: r
        for r in WindowResultRow.objects.filter(run=template, window="2026-10").order_by("level_id")
    }
    report_json = template.report_json
    rng = random.Random(20261110)
    months = [(2026 - years + (m + 10) // 12, (m + 10) % 12 + 1) for m in range(12 * years)]
    # months: November (2026 - years) ... October 2026
    total_rows = 0
    for contract in all_contracts:
        version = contract.current_version()
        assert version is not None
        runs = []
        for year, month in months:
            if contract.pk == first.pk and (year, month) == (2026, 10):
                continue
            start, end = _month_bounds(year, month)
            runs.append(
                Run(
                    organization_id=contract.organization_id,
                    contract=contract,
                    contract_version=version,
                    contract_sha256=version.sha256,
                    period=f"{year}-{month:02d}",
                    as_of=end + dt.timedelta(days=9, hours=8),
                    inputs_key=f"bench-{contract.pk}-{year}-{month:02d}",
                    status=RunStatus.DONE,
                    report_json=report_json,
                    finished_at=end + dt.timedelta(days=9, hours=8, seconds=2),
                )
            )
        Run.objects.bulk_create(runs, batch_size=200)
        rows = []
        for run in Run.objects.filter(contract=contract, inputs_key__startswith="bench-"):
            year, month = (int(x) for x in run.period.split("-"))
            for m in range(1, month + 1):
                start, end = _month_bounds(year, m)
                for level_id, t in monthly.items():
                    breached = rng.random() < 0.08
                    rows.append(
                        WindowResultRow(
                            organization_id=contract.organization_id,
                            contract=contract,
                            run=run,
                            level_id=level_id,
                            metric=t.metric,
                            window=f"{year}-{m:02d}",
                            window_start=start,
                            window_end=end,
                            eligible=t.eligible,
                            met=t.eligible - (1 if breached else 0),
                            breached=1 if breached else 0,
                            waived=0,
                            value=t.value,
                            objective=t.objective,
                            status="breached" if breached else "met",
                            finality="final" if m < month else "provisional",
                            penalty=t.penalty if breached else 0,
                        )
                    )
        WindowResultRow.objects.bulk_create(rows, batch_size=1000)
        total_rows += len(rows)
        latest = Run.objects.filter(contract=contract).order_by("-as_of").first()
        Contract.objects.filter(pk=contract.pk).update(latest_run=latest)

    plan_users: list[dict[str, Any]] = []
    roles = [Role.CONSULTANT, Role.REFERENT, Role.EXECUTIVE, Role.AUDITOR]
    for i in range(users):
        user = User.objects.create_user(f"user{i:02d}", f"user{i:02d}@example.test", "bench-pw")
        role = roles[i % len(roles)]
        member_of = orgs if role == Role.CONSULTANT else [orgs[i % len(orgs)]]
        for org in member_of:
            Membership.objects.create(user=user, organization=org, role=role)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        pages: dict[str, list[str]] = defaultdict(list)
        pages["portfolio"].append(reverse("web:portfolio"))
        for org in member_of:
            pages["organization"].append(reverse("web:org-home", args=[org.slug]))
            for contract in (c for c in all_contracts if c.organization_id == org.pk):
                args = [org.slug, contract.pk]
                pages["contract"].append(reverse("web:contract-home", args=args))
                for label, name in (("dashboard", "web:dashboard"), ("reports", "web:reports")):
                    with contextlib.suppress(NoReverseMatch):
                        pages[label].append(reverse(name, args=args))
                latest_pk = Contract.objects.get(pk=contract.pk).latest_run_id
                pages["api run"].append(
                    reverse(
                        "api:run-get",
                        kwargs={
                            "org_slug": org.slug,
                            "contract_pk": contract.pk,
                            "run_pk": latest_pk,
                        },
                    )
                )
        plan_users.append(
            {"cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}", "pages": pages}
        )

    queries: dict[str, int] = {}
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username="user00"))
    for label, urls in plan_users[0]["pages"].items():
        client.get(urls[0])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(urls[0])
        queries[label] = len(captured.captured_queries)
        if response.status_code != 200:
            raise SystemExit(f"{label} {urls[0]}: HTTP {response.status_code}")
    return {
        "database": connection.vendor,
        "contracts": contracts,
        "runs": Run.objects.count(),
        "rows": WindowResultRow.objects.count(),
        "report_json_bytes": len(report_json),
        "users": plan_users,
        "queries": queries,
    }


# Load ----------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, server: subprocess.Popen[bytes], limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def _user_load(
    port: int,
    user: dict[str, Any],
    stop: float,
    out: dict[str, list[float]],
    errors: list[str],
    think: float = 0.0,
) -> None:
    rng = random.Random(user["cookie"])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    labels = sorted(user["pages"])
    headers = {"Cookie": user["cookie"], "Host": "127.0.0.1"}
    while time.monotonic() < stop:
        for label in labels:
            url = rng.choice(user["pages"][label])
            started = time.perf_counter()
            try:
                conn.request("GET", url, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, detail = 0, str(error)
            else:
                detail = f"HTTP {status}"
            out[label].append((time.perf_counter() - started) * 1000)
            if status != 200:
                errors.append(f"{label} {url}: {detail}")
            if think:
                time.sleep(rng.uniform(0, 2 * think))
    conn.close()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    """Seed, serve, load, print the figures; exit 1 when the goal is missed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.web", description=__doc__)
    parser.add_argument("--contracts", type=int, default=50)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--threads", type=int, default=8, help="waitress request threads")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause of a user between two pages, seconds (0: back to back)",
    )
    parser.add_argument(
        "--processes",
        type=lambda text: [int(x) for x in text.split(",")],
        default=[1, 2],
        help="server processes to compare, comma separated (default 1,2: side by side)",
    )
    parser.add_argument("--seed-only", metavar="PLAN", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed_only:
        plan = seed(args.contracts, args.years, args.users)
        Path(args.seed_only).write_text(json.dumps(plan), encoding="utf-8")
        return 0
    with tempfile.TemporaryDirectory(prefix="pilotage-bench-web-") as tmp:
        env = dict(os.environ)
        env.update(
            PILOTAGE_DATA_DIR=tmp,
            PILOTAGE_SECRET_KEY="benchmark-only-secret-key-0123456789-abcdefghijklmnop",
            PILOTAGE_QUEUE="immediate",
            PILOTAGE_ALLOWED_HOSTS="127.0.0.1,localhost",
            PILOTAGE_LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="pilotage.web.settings",
            PYTHONPATH=str(_ROOT),
        )
        plan_path = Path(tmp) / "plan.json"
        started = time.perf_counter()
        subprocess.run(
            [
                *(sys.executable, "-m", "benchmarks.web", "--seed-only", str(plan_path)),
                *("--contracts", str(args.contracts), "--years", str(args.years)),
                *("--users", str(args.users)),
            ],
            env=env,
            check=True,
            cwd=_ROOT,
        )
        plan = json.loads(plan_path.read_text(encoding="utf-8"))
        print(
            f"{plan['database']}: {plan['contracts']} contracts, {plan['runs']} runs, "
            f"{plan['rows']} window rows, report JSON {plan['report_json_bytes'] // 1024} KB "
            f"per run (seeded in {time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        results = [
            (processes, _measure(env, tmp, plan, args, processes)) for processes in args.processes
        ]
    ok = True
    for processes, (times, alone, errors, server_log) in results:
        ok = _report(args, plan, processes, times, alone, errors, server_log) and ok
    if len(results) > 1:
        base = results[0]
        for processes, measured in results[1:]:
            print(
                f"{processes} processes / {base[0]}: throughput x"
                f"{_total(measured[0]) / max(_total(base[1][0]), 1):.2f}, p95 x"
                f"{_p95(measured[0]) / _p95(base[1][0]):.2f}"
            )
    return 0 if ok else 1


def _total(times: dict[str, list[float]]) -> int:
    return sum(len(v) for v in times.values())


def _p95(times: dict[str, list[float]]) -> float:
    return _percentile([v for values in times.values() for v in values], 0.95)


def _measure(
    env: dict[str, str], tmp: str, plan: dict[str, Any], args: argparse.Namespace, processes: int
) -> tuple[dict[str, list[float]], dict[str, list[float]], list[str], list[str]]:
    """Serve with ``processes`` processes, measure one user alone then every user at once."""
    port = _free_port()
    command = [sys.executable, "-m", "pilotage.cli", "serve", "--no-worker"]
    command += ["--port", str(port), "--threads", str(args.threads)]
    command += ["--processes", str(processes)]
    log_path = Path(tmp) / f"server-{processes}.log"
    log = log_path.open("wb")
    server = subprocess.Popen(command, env=env, cwd=tmp, stdout=log, stderr=log)
    try:
        _wait(port, server)
        alone: dict[str, list[float]] = defaultdict(list)
        _user_load(port, plan["users"][0], time.monotonic() + 2, defaultdict(list), [])
        _user_load(port, plan["users"][0], time.monotonic() + args.seconds / 4, alone, [])
        times: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        stop = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=_user_load, args=(port, user, stop, times, errors, args.think))
            for user in plan["users"]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    return times, alone, errors, log_path.read_text(errors="replace").splitlines()


def _report(
    args: argparse.Namespace,
    plan: dict[str, Any],
    processes: int,
    times: dict[str, list[float]],
    alone: dict[str, list[float]],
    errors: list[str],
    server_log: list[str],
) -> bool:
    """Print one configuration's table; whether it met the goal."""
    pause = f"think time {args.think:g} s on average" if args.think else "back to back"
    print(
        f"{args.users} users for {args.seconds:.0f} s ({pause}), waitress {processes} "
        f"process(es) x {args.threads} threads; 'alone': median of one user back to back, "
        "before the load"
    )
    print(
        f"{'page':<14}{'alone ms':>9}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'errors':>8}{'queries':>9}"
    )
    worst = 0.0
    total = 0
    for label in sorted(times):
        values = times[label]
        failed = sum(1 for e in errors if e.startswith(label + " "))
        p95 = _percentile(values, 0.95)
        worst = max(worst, p95)
        total += len(values)
        print(
            f"{label:<14}{statistics.median(alone[label]):>9.0f}{len(values):>9}"
            f"{statistics.median(values):>9.0f}{p95:>9.0f}"
            f"{_percentile(values, 0.99):>9.0f}{max(values):>9.0f}{failed:>8}"
            f"{plan['queries'].get(label, 0):>9}"
        )
    everything = [v for values in times.values() for v in values]
    print(
        f"{'all':<14}{'':>9}{total:>9}{statistics.median(everything):>9.0f}"
        f"{_percentile(everything, 0.95):>9.0f}{_percentile(everything, 0.99):>9.0f}"
        f"{max(everything):>9.0f}{len(errors):>8}"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"throughput {total / args.seconds:.0f} requests/s; load average after: {load}")
    for error in errors[:5]:
        print("  error:", error)
    if errors:
        print("  server log:", *server_log[-10:], sep="\n    ")
    ok = worst < GOAL_MS and not errors
    print(f"goal p95 < {GOAL_MS:.0f} ms on every page, no error: {'met' if ok else 'MISSED'}")
    return ok


if __name__ == "__main__":
    sys.exit(main())
