"""The GLPI live reader against a local server answering as ``apirest.php``
does: tokens, session, ``Content-Range`` pagination, errors, rate limits."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pilotage.cli import main
from pilotage.errors import ImportDataError
from pilotage.ingest.canonical import read_tickets_csv
from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.live import GlpiClient, RetryPolicy
from pilotage.tables import EVENT_STATUSES, MISSING

APP = "app-token-123"
USER = "user-token-secret-456"
SESSION = "session-789"


def _ticket(n: int, date_mod: str, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": n,
        "entities_id": "Root entity",
        "name": f"Ticket {n}",
        "content": "secret description",
        "date": "2026-01-05 09:00:00",
        "closedate": None,
        "solvedate": None,
        "takeintoaccountdate": "2026-01-05 09:20:00",
        "date_mod": date_mod,
        "status": 2,
        "urgency": 3,
        "impact": 3,
        "priority": 4,
        "type": 1,
        "itilcategories_id": "Messagerie",
        "time_to_own": "2026-01-05 09:30:00",
        "time_to_resolve": "2026-01-05 17:00:00",
        "waiting_duration": 0,
    }
    row.update(extra)
    return row


class FakeGlpi:
    """Tickets, logs and the failures to inject."""

    def __init__(self) -> None:
        self.tickets = [
            _ticket(
                1,
                "2026-01-06 10:00:00",
                status=6,
                solvedate="2026-01-05 16:00:00",
                closedate="2026-01-06 10:00:00",
                waiting_duration=3600,
            ),
            _ticket(2, "2026-01-07 08:00:00", status=4, type=2, priority=6),
            _ticket(3, "2026-01-04 12:00:00", itilcategories_id=0, takeintoaccountdate=None),
        ]
        self.logs: dict[int, list[dict[str, Any]]] = {
            1: [
                _log(10, 12, "2026-01-05 09:20:00", "Nouveau", "En cours (attribué)"),
                _log(11, 12, "2026-01-05 11:00:00", "En cours (attribué)", "En attente"),
                _log(12, 3, "2026-01-05 11:30:00", "Moyenne", "Haute"),
                _log(13, 12, "2026-01-05 12:00:00", "En attente", "En cours (attribué)"),
                _log(14, 12, "2026-01-05 16:00:00", "En cours (attribué)", "5"),
                _log(15, 12, "2026-01-06 10:00:00", "5", "Clos (6)"),
            ],
            2: [_log(20, 12, "2026-01-06 08:00:00", "2", "4")],
        }
        self.actors: dict[int, list[dict[str, Any]]] = {
            1: [
                {"id": 1, "tickets_id": 1, "users_id": "Dupont Éric", "type": 2},
                {"id": 2, "tickets_id": 1, "users_id": "Martin Claire", "type": 1},
            ],
            2: [
                {"id": 3, "tickets_id": 2, "users_id": 0, "type": 1, "alternative_email": "a@b.fr"}
            ],
        }
        self.fail_next: list[tuple[int, dict[str, str], str]] = []
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.killed = 0


def _log(i: int, option: int, at: str, old: str, new: str) -> dict[str, Any]:
    return {
        "id": i,
        "itemtype": "Ticket",
        "items_id": 0,
        "user_name": "tech (2)",
        "date_mod": at,
        "id_search_option": option,
        "old_value": old,
        "new_value": new,
    }


def _handler(state: FakeGlpi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            path = url.path.removeprefix("/glpi/apirest.php/")
            state.requests.append((path, url.query, dict(self.headers)))
            if state.fail_next:
                status, headers, body = state.fail_next.pop(0)
                self._send(status, body, headers)
                return
            if self.headers.get("App-Token") != APP:
                self._send(
                    400, ["ERROR_WRONG_APP_TOKEN_PARAMETER", "parameter app_token seems wrong"]
                )
                return
            if path == "initSession":
                if self.headers.get("Authorization") != f"user_token {USER}":
                    self._send(
                        401, ["ERROR_GLPI_LOGIN_USER_TOKEN", "parameter user_token seems invalid"]
                    )
                    return
                self._send(200, {"session_token": SESSION})
                return
            if self.headers.get("Session-Token") != SESSION:
                self._send(401, ["ERROR_SESSION_TOKEN_INVALID", "session_token seems invalid"])
                return
            if path == "killSession":
                state.killed += 1
                self._send(200, True)
                return
            if path == "Ticket":
                assert query.get("expand_dropdowns") == "true"
                assert (query.get("sort"), query.get("order")) == ("19", "DESC")
                rows = sorted(state.tickets, key=lambda t: str(t["date_mod"]), reverse=True)
            elif path.startswith("Ticket/") and path.endswith("/Log"):
                rows = state.logs.get(int(path.split("/")[1]), [])
            elif path.startswith("Ticket/") and path.endswith("/Ticket_User"):
                rows = state.actors.get(int(path.split("/")[1]), [])
            else:
                self._send(400, ["ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM", "not found"])
                return
            start, end = (int(x) for x in query.get("range", "0-49").split("-"))
            if rows and start >= len(rows):
                self._send(400, ["ERROR_RANGE_EXCEED_TOTAL", "Provided range exceed total"])
                return
            page = rows[start : end + 1]
            last = start + len(page) - 1
            status = 200 if len(page) == len(rows) else 206
            headers = {"Content-Range": f"{start}-{last}/{len(rows)}", "Accept-Range": "Ticket 990"}
            self._send(status, page, headers)

    return Handler


@pytest.fixture
def server() -> Iterator[tuple[FakeGlpi, str]]:
    state = FakeGlpi()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{httpd.server_address[1]}/glpi/apirest.php"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _client(url: str, sleeps: list[float] | None = None, **kw: Any) -> GlpiClient:
    return GlpiClient(
        url,
        app_token=APP,
        user_token=kw.pop("user_token", USER),
        page_size=kw.pop("page_size", 2),
        sleep=(sleeps if sleeps is not None else []).append,
        retry=RetryPolicy(attempts=3, backoff=0.5, max_wait=5.0),
        **kw,
    )


def test_reads_tickets_pages_and_status_history(server: tuple[FakeGlpi, str]) -> None:
    state, url = server
    live = _client(url).fetch(timezone="Europe/Paris")
    t = live.result.tickets
    assert t.id.tolist() == ["1", "2", "3"]
    assert t.kind.tolist() == ["incident", "request", "incident"]
    assert t.priority.tolist() == ["P2", "P1", "P2"]
    assert t.state.tolist() == ["closed", "open", "open"]
    assert t.category.tolist() == ["Messagerie", "Messagerie", ""]
    # 09:00 Paris in January is 08:00 UTC.
    assert t.created_at[0] == 1767600000
    assert t.waiting_seconds[0] == 3600
    assert t.first_response_at[2] == MISSING
    assert t.provider_response_met.tolist() == [1, 1, -1]
    assert t.provider_resolution_met.tolist() == [1, -1, -1]
    e = live.result.events
    first = e.ticket == 0
    statuses = [EVENT_STATUSES[s] for s in e.status[first].tolist()]
    assert statuses == ["open", "paused", "open", "resolved", "closed"]
    assert e.pause_reason[first].tolist() == ["", "waiting", "", "", ""]
    assert e.source_status[first].tolist()[-1] == "Clos (6)"
    assert [EVENT_STATUSES[s] for s in e.status[e.ticket == 1].tolist()] == ["open", "paused"]
    assert live.cursor == "2026-01-07 08:00:00"
    # Two tickets per page: three pages (Content-Range counted), a session opened and closed.
    ranges = [q for p, q, _ in state.requests if p == "Ticket"]
    assert ranges == [
        "expand_dropdowns=true&sort=19&order=DESC&range=0-1",
        "expand_dropdowns=true&sort=19&order=DESC&range=2-3",
    ]
    assert state.killed == 1
    assert all(h.get("Session-Token") == SESSION for p, _, h in state.requests[1:])
    assert "Authorization" not in state.requests[1][2]


def test_reading_twice_gives_identical_tables(server: tuple[FakeGlpi, str]) -> None:
    _, url = server
    one = _client(url).fetch(timezone="Europe/Paris").result
    two = _client(url).fetch(timezone="Europe/Paris").result
    for name in ("id", "kind", "priority", "created_at", "state", "provider_resolution_met"):
        assert np.array_equal(getattr(one.tickets, name), getattr(two.tickets, name))
    assert np.array_equal(one.events.at, two.events.at)
    assert "secret description" not in repr(one.tickets)


def test_incremental_read_stops_at_the_cursor(server: tuple[FakeGlpi, str]) -> None:
    state, url = server
    live = _client(url, page_size=1).fetch(since="2026-01-06 10:00:00", timezone="UTC")
    assert live.result.tickets.id.tolist() == ["1", "2"]
    assert live.cursor == "2026-01-07 08:00:00"
    assert len([p for p, _, _ in state.requests if p == "Ticket"]) == 3
    again = _client(url).fetch(since=live.cursor, timezone="UTC")
    assert again.result.tickets.id.tolist() == ["2"]
    assert again.cursor == live.cursor


def test_nothing_modified_keeps_the_cursor(server: tuple[FakeGlpi, str]) -> None:
    _, url = server
    live = _client(url).fetch(since="2026-02-01 00:00:00", timezone="UTC")
    assert len(live.result.tickets) == 0
    assert live.cursor == "2026-02-01 00:00:00"


def test_retries_429_and_503_honouring_retry_after(server: tuple[FakeGlpi, str]) -> None:
    state, url = server
    state.fail_next = [
        (429, {"Retry-After": "3"}, '["ERROR", "Too many requests"]'),
        (503, {}, "<html>busy</html>"),
    ]
    sleeps: list[float] = []
    live = _client(url, sleeps).fetch(timezone="UTC")
    assert len(live.result.tickets) == 3
    assert sleeps == [3.0, 1.0]


def test_retry_after_is_bounded_and_attempts_are_counted(server: tuple[FakeGlpi, str]) -> None:
    state, url = server
    state.fail_next = [(503, {"Retry-After": "3600"}, "down")] * 3
    sleeps: list[float] = []
    with pytest.raises(ImportDataError) as info:
        _client(url, sleeps).fetch(timezone="UTC")
    assert sleeps == [5.0, 5.0]
    assert info.value.code == "live.http_error"
    assert "HTTP 503 après 3 tentative(s)" in info.value.message("fr")


def test_wrong_user_token_is_refused_without_showing_it(server: tuple[FakeGlpi, str]) -> None:
    _, url = server
    with pytest.raises(ImportDataError) as info:
        _client(url, user_token="wrong-token-000").fetch(timezone="UTC")
    assert info.value.code == "live.unauthorized"
    for lang in ("en", "fr"):
        text = info.value.message(lang)
        assert "ERROR_GLPI_LOGIN_USER_TOKEN" in text
        assert "wrong-token-000" not in text and APP not in text
    assert "a refusé les identifiants" in info.value.message("fr")


def test_non_json_answer_is_a_clear_error(server: tuple[FakeGlpi, str]) -> None:
    state, url = server
    state.fail_next = [(200, {}, "<html><body>Login page</body></html>")]
    with pytest.raises(ImportDataError) as info:
        _client(url).fetch(timezone="UTC")
    assert info.value.code == "live.not_json"
    assert "Login page" in info.value.message("en")
    assert "n’est pas du JSON" in info.value.message("fr")


def test_unknown_codes_and_missing_fields_are_all_reported(server: tuple[FakeGlpi, str]) -> None:
    state, url = server
    state.tickets[0]["type"] = 7
    del state.tickets[1]["priority"]
    with pytest.raises(ImportErrors) as info:
        _client(url).fetch(timezone="UTC")
    text = info.value.message("en")
    assert info.value.total == 2
    assert "column type" in text and '"7"' in text
    assert "has no field priority" in text
    assert state.killed == 1


def test_naive_times_need_the_server_timezone(server: tuple[FakeGlpi, str]) -> None:
    _, url = server
    with pytest.raises(ImportErrors) as info:
        _client(url).fetch(timezone=None)
    assert "no UTC offset" in info.value.message("en")


def test_unknown_status_in_history_is_located(server: tuple[FakeGlpi, str]) -> None:
    state, url = server
    state.logs[2].append(_log(21, 12, "2026-01-06 09:00:00", "4", "Suspendu"))
    with pytest.raises(ImportErrors) as info:
        _client(url).fetch(timezone="UTC")
    text = info.value.message("fr")
    assert "Ticket/2/Log" in text and "Suspendu" in text and "new_value" in text


def test_fetch_command_saves_the_cursor_and_reads_incrementally(
    server: tuple[FakeGlpi, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, url = server
    cursor = tmp_path / "glpi.cursor"
    out = tmp_path / "tickets.csv"
    args = ["--lang", "fr", "tickets", "fetch", "--api", "glpi", "--url", url]
    args += ["--timezone", "Europe/Paris", "--cursor-file", str(cursor), "--export", str(out)]
    monkeypatch.delenv("PILOTAGE_GLPI_USER_TOKEN", raising=False)
    monkeypatch.setenv("PILOTAGE_GLPI_APP_TOKEN", APP)
    assert main(args) == 2
    assert "PILOTAGE_GLPI_USER_TOKEN" in capsys.readouterr().err
    monkeypatch.setenv("PILOTAGE_GLPI_USER_TOKEN", USER)
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "3 ticket(s)" in text and "2026-01-07 08:00:00" in text
    assert USER not in text and APP not in text
    assert cursor.read_text("utf-8").strip() == "2026-01-07 08:00:00"
    assert read_tickets_csv(out).id.tolist() == ["1", "2", "3"]
    assert main(args) == 0
    assert read_tickets_csv(out).id.tolist() == ["2"]


def test_requesters_are_read_only_with_a_key_and_pseudonymized(
    server: tuple[FakeGlpi, str],
) -> None:
    state, url = server
    plain = _client(url).fetch(timezone="UTC").result
    assert plain.tickets.requester.tolist() == ["", "", ""]
    assert ("ingest.requester_dropped", {}) in plain.report.notes
    assert not any(p.endswith("Ticket_User") for p, _, _ in state.requests)
    keyed = _client(url).fetch(timezone="UTC", requester_key=b"key").result
    requesters = keyed.tickets.requester.tolist()
    assert requesters[0].startswith("p-") and requesters[1].startswith("p-")
    assert requesters[0] != requesters[1] and requesters[2] == ""
    assert "Martin" not in repr(keyed.tickets.requester)
    assert ("ingest.requester_pseudonymized", {}) in keyed.report.notes
