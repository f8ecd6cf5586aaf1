"""Zabbix: history.get and sla.getsli answers, from files and from a JSON-RPC server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from pilotage.errors import ImportDataError
from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.sources_monitoring.zabbix import (
    ZabbixClient,
    claims_from_zabbix_sli,
    read_zabbix_event_files,
    read_zabbix_history_files,
    read_zabbix_sli_file,
)
from pilotage.tables import MISSING

FIXTURES = Path(__file__).parent / "fixtures" / "monitoring" / "zabbix"
START = 1791203100  # 2026-10-05T12:25:00Z
MONITORS = {"messagerie": ["zabbix:item:23296"], "erp": ["zabbix:item:23310", "uptime-kuma:13"]}
LEVELS = {"4": "availability-messagerie", "9": "availability-erp"}
T0 = 1790805600  # 2026-10-01T00:00:00+02:00
TRIGGERS = {"messagerie": ["zabbix:trigger:17001", "zabbix:item:23296"]}


def test_history_answers_give_probes() -> None:
    probes = read_zabbix_history_files([FIXTURES / "history_icmpping.json"], MONITORS)
    assert list(probes.service) == ["erp"] * 3 + ["messagerie"] * 6
    assert list(probes.up) == [1, 1, 1, 1, 1, 0, 0, 1, 1]
    assert probes.at[3] == START
    again = read_zabbix_history_files([FIXTURES / "history_icmpping.json"], MONITORS)
    assert np.array_equal(probes.at, again.at) and np.array_equal(probes.up, again.up)


def test_history_errors_are_located(tmp_path: Path) -> None:
    bad = tmp_path / "history.json"
    bad.write_text(
        json.dumps(
            {"result": [{"itemid": "23296", "clock": "1791203100", "value": "97.5", "ns": "0"}]}
        )
    )
    with pytest.raises(ImportErrors) as info:
        read_zabbix_history_files([FIXTURES / "error_not_authorized.json", bad], MONITORS)
    found = [(e.code, e.location.file, e.location.row) for e in info.value.problems if e.location]
    assert found == [
        ("import.zabbix_error", "error_not_authorized.json", None),
        ("import.zabbix_bad_value", "history.json", 0),
    ]
    assert "Not authorized." in info.value.message("en")
    with pytest.raises(ImportErrors) as info:
        read_zabbix_history_files([bad], {"erp": ["zabbix:icmpping"]})
    assert "zabbix:item:<itemid>" in info.value.message("fr")


def test_trigger_events_become_down_intervals() -> None:
    outages = read_zabbix_event_files(
        [FIXTURES / "events_triggers.json"], TRIGGERS, time_from=T0, time_till=T0 + 86400
    )
    assert list(outages.service) == ["messagerie"] * 4
    assert [
        (int(a) - T0, int(b) - T0) for a, b in zip(outages.start, outages.end, strict=True)
    ] == [
        (0, 600),  # the problem began before the range
        (3600, 4200),
        (7200, 7500),  # a second PROBLEM event while down changes nothing
        (9000, 86400),  # still open at the end of the range
    ]
    assert set(outages.kind) == {"down"} and set(outages.announced_at) == {MISSING}
    again = read_zabbix_event_files(
        [FIXTURES / "events_triggers.json"], TRIGGERS, time_from=T0, time_till=T0 + 86400
    )
    assert np.array_equal(outages.start, again.start) and np.array_equal(outages.end, again.end)


def test_bad_trigger_event_is_located(tmp_path: Path) -> None:
    bad = tmp_path / "events.json"
    event = {"eventid": "1", "objectid": "17001", "clock": str(T0), "ns": "0", "value": "2"}
    bad.write_text(json.dumps({"jsonrpc": "2.0", "result": [event], "id": 1}))
    with pytest.raises(ImportErrors) as info:
        read_zabbix_event_files([bad], TRIGGERS, time_from=T0, time_till=T0 + 60)
    (error,) = info.value.problems
    assert error.location is not None
    assert (error.code, error.location.file, error.location.row) == (
        "import.zabbix_not_events",
        "events.json",
        0,
    )
    assert "value 1 (problème) ou 0 (OK)" in error.message("fr")


def test_monthly_sli_becomes_claims() -> None:
    claims = read_zabbix_sli_file(FIXTURES / "sla_getsli.json", LEVELS, tz="Europe/Paris")
    assert list(claims.window) == ["2026-09", "2026-09", "2026-10", "2026-10"]
    assert list(claims.service_level) == [
        "availability-messagerie",
        "availability-erp",
        "availability-messagerie",
        "availability-erp",
    ]
    assert list(claims.compliance) == [
        Decimal("0.9997685185185185"),
        Decimal(1),
        Decimal("0.9986552"),
        Decimal(1),
    ]
    assert list(claims.eligible) == [MISSING] * 4 and list(claims.met) == [MISSING] * 4
    again = read_zabbix_sli_file(FIXTURES / "sla_getsli.json", LEVELS, tz="Europe/Paris")
    assert list(again.compliance) == list(claims.compliance)
    assert list(again.window) == list(claims.window)


def test_weekly_sla_and_wrong_timezone_are_refused() -> None:
    with pytest.raises(ImportErrors) as info:
        read_zabbix_sli_file(FIXTURES / "sla_getsli_weekly.json", LEVELS, tz="Europe/Paris")
    (error,) = info.value.problems
    assert error.code == "import.zabbix_not_month"
    assert "2026-10-04T00:00:00+02:00" in error.message("en")
    with pytest.raises(ImportErrors) as info:
        read_zabbix_sli_file(FIXTURES / "sla_getsli.json", LEVELS, tz="UTC")
    assert len(info.value.problems) == 2


def test_malformed_sli_answer() -> None:
    with pytest.raises(ImportErrors) as info:
        claims_from_zabbix_sli(
            {"result": {"periods": [], "serviceids": [], "sli": []}}, LEVELS, tz="Mars/Olympus"
        )
    assert info.value.problems[0].code == "import.unknown_timezone"
    with pytest.raises(ImportDataError) as raised:
        claims_from_zabbix_sli({"result": {"periods": [{}]}}, LEVELS, tz="Europe/Paris")
    assert raised.value.code == "import.zabbix_not_sli"


class FakeZabbix(BaseHTTPRequestHandler):
    """A JSON-RPC endpoint answering history.get (paged) and sla.getsli as Zabbix 7 does."""

    history: ClassVar[list[dict[str, str]]] = []
    calls: ClassVar[list[dict[str, Any]]] = []
    overloaded: ClassVar[int] = 0

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.calls.append(body)
        if FakeZabbix.overloaded:
            FakeZabbix.overloaded -= 1
            self.send_response(503)
            self.end_headers()
            return
        if self.headers.get("Authorization") != "Bearer tok3n":
            answer: dict[str, Any] = {
                "error": {"code": -32602, "message": "Invalid params.", "data": "Not authorized."}
            }
        elif body["method"] == "event.get":
            p = body["params"]
            events = json.loads((FIXTURES / "events_triggers.json").read_text())["result"]
            rows = [
                e
                for e in events
                if e["objectid"] in p["objectids"]
                and p["time_from"] <= int(e["clock"]) <= p["time_till"]
            ]
            answer = {"result": rows[: p["limit"]]}
        elif body["method"] == "history.get":
            p = body["params"]
            rows = [
                r
                for r in self.history
                if r["itemid"] in p["itemids"]
                and p["time_from"] <= int(r["clock"]) <= p["time_till"]
            ]
            answer = {"result": sorted(rows, key=lambda r: int(r["clock"]))[: p["limit"]]}
        else:
            answer = json.loads((FIXTURES / "sla_getsli.json").read_text())
        data = json.dumps({"jsonrpc": "2.0", **answer, "id": body["id"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    FakeZabbix.history = [
        {"itemid": "23296", "clock": str(START + 60 * i), "value": "0" if i % 7 == 3 else "1"}
        for i in range(250)
    ]
    FakeZabbix.calls = []
    FakeZabbix.overloaded = 1
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeZabbix)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/zabbix/api_jsonrpc.php"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_client_pages_history_with_a_bearer_token(server: str) -> None:
    waits: list[float] = []
    client = ZabbixClient(server, "tok3n", sleep=waits.append)
    rows = client.history(["23296"], START, START + 86400, page=100)
    assert len(rows) == 250 and waits == [1.0]
    pages = [c for c in FakeZabbix.calls if c["method"] == "history.get"]
    assert len(pages) == 1 + 3  # the 503, then 100 + 100 + 52 (two overlapping at page edges)
    assert all("auth" not in c for c in FakeZabbix.calls)
    probes = client.fetch_probes(MONITORS, START, START + 86400)
    assert len(probes) == 250 and int((probes.up == 0).sum()) == 36
    sli = client.sli("3", ["4", "9"], START - 86400 * 40, START)
    assert claims_from_zabbix_sli(sli, LEVELS, tz="Europe/Paris").window[0] == "2026-09"


def test_client_pages_trigger_events_into_outages(server: str) -> None:
    client = ZabbixClient(server, "tok3n", sleep=lambda s: None)
    events = client.trigger_events(["17001"], T0, T0 + 86400, page=3)
    assert [e["eventid"] for e in events] == [
        "90001",
        "90010",
        "90012",
        "90020",
        "90021",
        "90022",
        "90030",
    ]
    outages = client.fetch_outages(TRIGGERS, T0, T0 + 86400)
    assert len(outages) == 4 and outages.end[-1] == T0 + 86400


def test_client_reports_an_authorization_error(server: str) -> None:
    client = ZabbixClient(server, "wrong", sleep=lambda s: None)
    with pytest.raises(ImportErrors) as info:
        client.call("sla.getsli", {"slaid": "3"})
    assert "-32602" in info.value.message("en") and "wrong" not in info.value.message("en")


def test_float_items_as_zabbix_writes_them(tmp_path: Path) -> None:
    path = tmp_path / "history_float.json"
    rows = [
        {"itemid": "23296", "clock": str(START + 60 * i), "value": v, "ns": "0"}
        for i, v in enumerate(["1.0000", "0.0000", "1"])
    ]
    path.write_text(json.dumps({"jsonrpc": "2.0", "result": rows, "id": 1}))
    probes = read_zabbix_history_files([path], MONITORS)
    assert list(probes.up) == [1, 0, 1]
