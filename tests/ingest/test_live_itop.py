"""The iTop live reader against a local server answering as
``webservices/rest.php`` does: form or basic authentication, ``core/get``
with OQL, ``limit``/``page``, error codes, the status history."""

from __future__ import annotations

import base64
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pilotage.errors import ImportDataError
from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.live import ItopClient, RetryPolicy
from pilotage.tables import EVENT_STATUSES

USER, PASSWORD = "pilotage-ro", "s3cret-pwd"
FIELDS = {
    "ref",
    "title",
    "description",
    "status",
    "request_type",
    "priority",
    "service_name",
    "servicesubcategory_name",
    "caller_id_friendlyname",
    "start_date",
    "assignment_date",
    "resolution_date",
    "close_date",
    "last_update",
    "cumulatedpending",
    "sla_tto_passed",
    "sla_ttr_passed",
}


def _request(key: int, last_update: str, **extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "ref": f"R-{key:06d}",
        "title": f"Demande {key}",
        "description": "<p>confidential</p>",
        "status": "assigned",
        "request_type": "incident",
        "priority": "2",
        "service_name": "Messagerie",
        "servicesubcategory_name": "Boîte aux lettres",
        "caller_id_friendlyname": "Claire Martin",
        "start_date": "2026-03-02 08:30:00",
        "assignment_date": "2026-03-02 08:45:00",
        "resolution_date": "",
        "close_date": "",
        "last_update": last_update,
        "cumulatedpending": 0,
        "sla_tto_passed": "no",
        "sla_ttr_passed": "no",
    }
    fields.update(extra)
    return fields


class FakeItop:
    def __init__(self) -> None:
        self.requests = {
            42: _request(
                42,
                "2026-03-03 10:00:00",
                status="closed",
                resolution_date="2026-03-02 15:00:00",
                close_date="2026-03-03 10:00:00",
                cumulatedpending=1800,
                sla_ttr_passed="yes",
            ),
            43: _request(
                43, "2026-03-04 09:00:00", status="pending", request_type="service_request"
            ),
            45: _request(45, "2026-03-01 09:00:00", priority="4", sla_tto_passed=""),
        }
        self.changes = [
            (42, "new", "assigned", "2026-03-02 08:45:00"),
            (42, "assigned", "pending", "2026-03-02 10:00:00"),
            (42, "pending", "assigned", "2026-03-02 10:30:00"),
            (42, "assigned", "resolved", "2026-03-02 15:00:00"),
            (42, "resolved", "closed", "2026-03-03 10:00:00"),
            (43, "assigned", "pending", "2026-03-04 09:00:00"),
        ]
        self.fields = set(FIELDS)
        self.calls: list[dict[str, Any]] = []
        self.fail_next: list[tuple[int, str]] = []


def _answer(objects: dict[str, Any] | None, code: int = 0, message: str = "") -> dict[str, Any]:
    return {"objects": objects, "code": code, "message": message}


def _handler(state: FakeItop, auth: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any) -> None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if state.fail_next:
                status, body = state.fail_next.pop(0)
                self._send(status, body)
                return
            if auth == "form":
                ok = (form.get("auth_user"), form.get("auth_pwd")) == (USER, PASSWORD)
            else:
                pair = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
                ok = self.headers.get("Authorization") == f"Basic {pair}"
            if form.get("version") != "1.4" or "json_data" not in form:
                self._send(200, _answer(None, 2, "Missing parameter: version"))
                return
            if not ok:
                self._send(200, _answer(None, 1, "Error: Invalid login"))
                return
            query = json.loads(form["json_data"])
            state.calls.append(query)
            wanted = query["output_fields"].split(",")
            if query["class"] == "UserRequest":
                bad = [f for f in wanted if f not in state.fields]
                if bad:
                    message = f"output_fields: invalid attribute code '{bad[0]}'"
                    self._send(200, _answer(None, 100, message))
                    return
                since = re.search(r"last_update >= '([^']+)'", query["key"])
                found = {
                    f"UserRequest::{k}": {
                        "code": 0,
                        "message": "",
                        "class": "UserRequest",
                        "key": str(k),
                        "fields": {f: v[f] for f in wanted},
                    }
                    for k, v in sorted(state.requests.items())
                    if since is None or v["last_update"] >= since.group(1)
                }
            else:
                keys = re.search(r"objkey IN \(([\d,]+)\)", query["key"])
                assert keys is not None and "attcode = 'status'" in query["key"]
                wanted_keys = {int(k) for k in keys.group(1).split(",")}
                found = {
                    f"CMDBChangeOpSetAttributeScalar::{i}": {
                        "code": 0,
                        "message": "",
                        "class": "CMDBChangeOpSetAttributeScalar",
                        "key": str(i),
                        "fields": {"objkey": str(k), "oldvalue": o, "newvalue": n, "date": d},
                    }
                    for i, (k, o, n, d) in enumerate(state.changes, start=100)
                    if k in wanted_keys
                }
            limit, page = query.get("limit", 0), query.get("page", 1)
            items = list(found.items())
            if limit:
                items = items[(page - 1) * limit : page * limit]
            self._send(200, _answer(dict(items) or None, 0, f"Found: {len(items)}"))

    return Handler


def _serve(auth: str) -> Iterator[tuple[FakeItop, str]]:
    state = FakeItop()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state, auth))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{httpd.server_address[1]}/itop/webservices/rest.php"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def server() -> Iterator[tuple[FakeItop, str]]:
    yield from _serve("form")


@pytest.fixture
def basic_server() -> Iterator[tuple[FakeItop, str]]:
    yield from _serve("basic")


def _client(url: str, **kw: Any) -> ItopClient:
    return ItopClient(
        url,
        user=USER,
        password=kw.pop("password", PASSWORD),
        page_size=kw.pop("page_size", 2),
        sleep=kw.pop("sleep", lambda _: None),
        retry=RetryPolicy(attempts=3, backoff=1.0, max_wait=10.0),
        **kw,
    )


def test_reads_requests_history_and_verdicts(server: tuple[FakeItop, str]) -> None:
    state, url = server
    live = _client(url).fetch(timezone="Europe/Paris", requester_key=b"k")
    t = live.result.tickets
    assert t.id.tolist() == ["R-000042", "R-000043", "R-000045"]
    assert t.kind.tolist() == ["incident", "request", "incident"]
    assert t.priority.tolist() == ["P2", "P2", "P4"]
    assert t.state.tolist() == ["closed", "open", "open"]
    assert t.service.tolist()[0] == "Messagerie"
    assert t.waiting_seconds.tolist()[0] == 1800
    assert t.provider_response_met.tolist() == [1, 1, -1]
    assert t.provider_resolution_met.tolist() == [0, 1, 1]
    assert t.requester[0].startswith("p-") and "Martin" not in t.requester[0]
    assert "confidential" not in repr(t.title)
    e = live.result.events
    assert [EVENT_STATUSES[s] for s in e.status[e.ticket == 0].tolist()] == [
        "open",
        "paused",
        "open",
        "resolved",
        "closed",
    ]
    assert [EVENT_STATUSES[s] for s in e.status[e.ticket == 1].tolist()] == ["open", "paused"]
    assert live.cursor == "2026-03-04 09:00:00"
    # Pages of two: two calls for the three requests, one for the history.
    pages = [c["page"] for c in state.calls if c["class"] == "UserRequest"]
    assert pages == [1, 2]
    assert "description" not in state.calls[0]["output_fields"]


def test_incremental_read_asks_for_later_updates(server: tuple[FakeItop, str]) -> None:
    state, url = server
    live = _client(url).fetch(since="2026-03-03 10:00:00", timezone="UTC")
    assert live.result.tickets.id.tolist() == ["R-000042", "R-000043"]
    assert "WHERE last_update >= '2026-03-03 10:00:00'" in state.calls[0]["key"]
    with pytest.raises(ImportDataError) as info:
        _client(url).fetch(since="2026-03-03' OR 1=1", timezone="UTC")
    assert info.value.code == "live.bad_cursor"


def test_basic_authentication(basic_server: tuple[FakeItop, str]) -> None:
    _, url = basic_server
    live = _client(url, auth="basic").fetch(timezone="UTC", with_history=False)
    assert len(live.result.tickets) == 3 and len(live.result.events) == 3


def test_refused_login_never_shows_the_password(server: tuple[FakeItop, str]) -> None:
    _, url = server
    with pytest.raises(ImportDataError) as info:
        _client(url, password="wrong-pass-999").fetch(timezone="UTC")
    assert info.value.code == "live.unauthorized"
    for lang in ("en", "fr"):
        assert "Invalid login" in info.value.message(lang)
        assert "wrong-pass-999" not in info.value.message(lang)


def test_unknown_field_is_the_api_message(server: tuple[FakeItop, str]) -> None:
    state, url = server
    state.fields.discard("sla_tto_passed")
    with pytest.raises(ImportDataError) as info:
        _client(url).fetch(timezone="UTC")
    assert info.value.code == "live.itop_error"
    assert "invalid attribute code 'sla_tto_passed'" in info.value.message("en")
    assert "iTop a refusé la requête (code 100)" in info.value.message("fr")


def test_retries_then_reports_non_json(server: tuple[FakeItop, str]) -> None:
    state, url = server
    sleeps: list[float] = []
    state.fail_next = [(502, "bad gateway"), (200, "<html>maintenance</html>")]
    with pytest.raises(ImportDataError) as info:
        _client(url, sleep=sleeps.append).fetch(timezone="UTC")
    assert sleeps == [1.0]
    assert info.value.code == "live.not_json"
    assert "maintenance" in info.value.message("fr")


def test_unknown_values_are_all_reported(server: tuple[FakeItop, str]) -> None:
    state, url = server
    state.requests[43]["status"] = "frozen"
    state.requests[45]["priority"] = "9"
    with pytest.raises(ImportErrors) as info:
        _client(url).fetch(timezone="UTC")
    text = info.value.message("en")
    assert info.value.total == 2
    assert 'column status, value "frozen"' in text and 'column priority, value "9"' in text


def test_retry_after_as_an_http_date() -> None:
    from pilotage.ingest.live._http import _retry_after

    moment = 1_445_412_480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT", lambda: moment - 5) == "5"
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT", lambda: moment + 60) == "0"
    assert _retry_after("7", lambda: moment) == "7"
    assert _retry_after("soon", lambda: moment) is None


def test_reading_twice_gives_identical_tables(server: tuple[FakeItop, str]) -> None:
    _, url = server
    one = _client(url).fetch(timezone="Europe/Paris", requester_key=b"k").result
    two = _client(url, page_size=1).fetch(timezone="Europe/Paris", requester_key=b"k").result
    for name in ("id", "requester", "created_at", "state", "waiting_seconds"):
        assert getattr(one.tickets, name).tolist() == getattr(two.tickets, name).tolist()
    assert one.events.at.tolist() == two.events.at.tolist()
    assert one.events.status.tolist() == two.events.status.tolist()
