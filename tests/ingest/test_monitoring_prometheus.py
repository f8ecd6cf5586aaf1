"""Prometheus: saved query_range answers, the query planner and the HTTP client."""

from __future__ import annotations

import itertools
import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pilotage.errors import ImportDataError
from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.sources_monitoring._common import RetryPolicy
from pilotage.ingest.sources_monitoring.prometheus import (
    MAX_POINTS,
    PrometheusClient,
    plan_query_range,
    read_prometheus_files,
)

FIXTURES = Path(__file__).parent / "fixtures" / "monitoring" / "prometheus"
START = 1791203100  # 2026-10-05T12:25:00Z
MONITORS = {
    "messagerie": ['prometheus:{instance="https://outlook.office365.com",job="blackbox"}'],
    "erp": ['prometheus:{instance="https://erp.example.fr"}', "uptime-kuma:13"],
}


def test_saved_answers_give_probes_for_mapped_series_only() -> None:
    probes = read_prometheus_files(
        [FIXTURES / "probe_success_part1.json", FIXTURES / "probe_success_part2.json"], MONITORS
    )
    assert list(probes.service) == ["erp"] * 6 + ["messagerie"] * 6
    mail = probes.service == "messagerie"
    assert list(probes.at[mail] - START) == [0, 60, 120, 180, 300, 360]
    assert list(probes.up[mail]) == [1, 1, 0, 0, 1, 0]
    again = read_prometheus_files(
        [FIXTURES / "probe_success_part2.json", FIXTURES / "probe_success_part1.json"], MONITORS
    )
    assert np.array_equal(probes.at, again.at) and np.array_equal(probes.up, again.up)


def test_error_answer_bad_points_and_bad_reference() -> None:
    with pytest.raises(ImportErrors) as info:
        read_prometheus_files([FIXTURES / "error.json", FIXTURES / "bad_values.json"], MONITORS)
    found = [
        (e.code, e.location.file, e.location.column, e.location.value)
        for e in info.value.problems
        if e.location
    ]
    assert found == [
        ("import.prom_error", "error.json", None, None),
        ("import.prom_bad_point", "bad_values.json", "result[0].values[1]", '[1791203160, "0.5"]'),
        ("import.prom_bad_point", "bad_values.json", "result[0].values[2]", '[1791203220, "NaN"]'),
    ]
    assert "exceeded maximum resolution" in info.value.message("en")
    with pytest.raises(ImportErrors) as info:
        read_prometheus_files([FIXTURES / "error.json"], {"erp": ["prometheus:erp.example.fr"]})
    assert info.value.problems[0].code == "import.prom_bad_ref"


def test_plan_splits_a_month_at_ten_seconds() -> None:
    month = 31 * 86400
    plan = plan_query_range(START, START + month, 10)
    assert len(plan) == 25  # 267,841 points, 11,000 per request
    assert plan[0] == (START, START + 10999 * 10, 10)
    assert plan[-1][1] == START + month
    assert all(b[0] == a[1] + 10 for a, b in itertools.pairwise(plan))


@settings(deadline=None, max_examples=200)
@given(
    start=st.integers(0, 2_000_000_000),
    length=st.integers(0, 5_000_000),
    step=st.integers(1, 3600),
    max_points=st.integers(1, 20_000),
)
def test_plan_covers_the_grid_exactly_within_the_limit(
    start: int, length: int, step: int, max_points: int
) -> None:
    end = start + length
    assume(length // step // max_points < 1000)
    plan = plan_query_range(start, end, step, max_points)
    covered = sum((b - a) // s + 1 for a, b, s in plan)
    assert covered == length // step + 1
    assert all((b - a) // s + 1 <= max_points and (a - start) % step == 0 for a, b, s in plan)
    assert plan[0][0] == start and end - step < plan[-1][1] <= end


def test_plan_rejects_an_empty_step() -> None:
    with pytest.raises(ImportDataError) as info:
        plan_query_range(START, START - 1, 0)
    assert "pas d’au moins une seconde" in info.value.message("fr")


class FakePrometheus(BaseHTTPRequestHandler):
    """Answers /api/v1/query_range as Prometheus does, with scripted failures first."""

    failures: ClassVar[list[tuple[int, dict[str, str]]]] = []
    requests: ClassVar[list[dict[str, str]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        self.requests.append({**form, "auth": self.headers.get("Authorization", "")})
        if self.failures:
            status, headers = self.failures.pop(0)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(b"<html>overloaded</html>")
            return
        start, end = int(form["start"]), int(form["end"])
        step = int(form["step"].rstrip("s"))
        if (end - start) / step > MAX_POINTS:
            self._answer(
                400,
                {
                    "status": "error",
                    "errorType": "bad_data",
                    "error": "exceeded maximum resolution of 11,000 points per timeseries",
                },
            )
            return
        values = [
            [t, "0" if 3600 <= t - START < 3900 else "1"] for t in range(start, end + 1, step)
        ]
        metric = {"__name__": "probe_success", "instance": "https://erp.example.fr"}
        result = [{"metric": metric, "values": values}]
        self._answer(200, {"status": "success", "data": {"resultType": "matrix", "result": result}})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    FakePrometheus.failures = []
    FakePrometheus.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakePrometheus)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_client_splits_retries_and_builds_probes(server: str) -> None:
    FakePrometheus.failures = [(503, {}), (429, {"Retry-After": "7"})]
    waits: list[float] = []
    client = PrometheusClient(
        server, headers={"Authorization": "Bearer s3cret"}, sleep=waits.append
    )
    two_days = 2 * 86400
    probes = client.fetch_probes("probe_success", START, START + two_days, 10, MONITORS)
    assert waits == [1.0, 7.0]
    served = FakePrometheus.requests
    assert len(served) == 2 + 2  # two failures, then 17,281 points in two requests
    assert {r["auth"] for r in served} == {"Bearer s3cret"}
    assert len(probes) == two_days // 10 + 1
    assert set(probes.service) == {"erp"}
    assert int((probes.up == 0).sum()) == 30
    assert probes.at[0] == START and probes.at[-1] == START + two_days


def test_client_without_planning_gets_the_server_limit_error(server: str) -> None:
    client = PrometheusClient(server, sleep=lambda s: None, max_points=20_000)
    with pytest.raises(ImportErrors) as info:
        client.fetch_probes("probe_success", START, START + 2 * 86400, 10, MONITORS)
    assert "bad_data" in info.value.message("en")


def test_client_gives_up_after_the_retries(server: str) -> None:
    FakePrometheus.failures = [(502, {})] * 3
    waits: list[float] = []
    client = PrometheusClient(server, retry=RetryPolicy(attempts=3), sleep=waits.append)
    with pytest.raises(ImportDataError) as info:
        client.query_range("up", START, START + 60, 60)
    assert info.value.code == "import.http_status"
    assert waits == [1.0, 2.0]
    message = info.value.message("fr")
    assert "HTTP 502 après 3 tentative(s)" in message and "s3cret" not in message


def test_client_reports_an_unreachable_server() -> None:
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = PrometheusClient(
        f"http://127.0.0.1:{port}", retry=RetryPolicy(attempts=2), sleep=lambda s: None, timeout=5
    )
    with pytest.raises(ImportDataError) as info:
        client.query_range("up", START, START + 60, 60)
    assert info.value.code == "import.http_unreachable"
