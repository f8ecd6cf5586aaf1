"""Live sources: tokens encrypted and never shown back, edits that keep them, the test call."""

from __future__ import annotations

import html
import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from pilotage import i18n
from pilotage.ingest.live import RetryPolicy
from pilotage.web import live
from pilotage.web.choices import Role
from pilotage.web.models import AuditLog, ImportSnapshot, LiveSource
from pilotage.web.tasks import fetch_active_sources_task
from tests.web.builders import World

CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], None]]]]
APP_TOKEN = "app-7f3c9d0e1b2a"
USER_TOKEN = "user-5a6b7c8d9e0f"


TICKETS: dict[int, dict[str, object]] = {}
"""The stand-in server's tickets, as GLPI's ``Ticket`` endpoint returns them."""
LOGS: dict[int, list[dict[str, object]]] = {}
"""Each ticket's history rows, as ``Ticket/:id/Log`` returns them."""


def _ticket(number: int, created: str, modified: str, status: int = 1) -> dict[str, object]:
    return {
        "id": number,
        "name": f"Ticket {number}",
        "date": created,
        "date_mod": modified,
        "status": status,
        "type": 1,
        "priority": 3,
        "itilcategories_id": "Réseau",
        "takeintoaccountdate": None,
        "solvedate": modified if status == 5 else None,
        "closedate": None,
        "time_to_own": None,
        "time_to_resolve": None,
        "waiting_duration": 0,
        "content": "never kept",
    }


def _seed(count: int) -> None:
    """``count`` tickets created on 2026-10-01, modified one minute apart."""
    TICKETS.clear()
    LOGS.clear()
    for n in range(1, count + 1):
        created = f"2026-10-01 08:{n % 60:02d}:00"
        TICKETS[n] = _ticket(n, created, f"2026-10-02 {8 + n // 60:02d}:{n % 60:02d}:00")
        LOGS[n] = []


class _Glpi(BaseHTTPRequestHandler):
    """A GLPI REST endpoint: sessions opened for the right tokens only, then tickets sorted by
    modification and their history, page by page with ``Content-Range`` as the real API does."""

    def _send(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _page(self, rows: list[dict[str, object]], query: dict[str, list[str]]) -> None:
        first, last = (int(x) for x in query.get("range", ["0-49"])[0].split("-"))
        total = len(rows)
        if first >= total:
            self._send(400, ["ERROR_RANGE_EXCEED_TOTAL", "range exceeds total"])
            return
        end = min(last, total - 1)
        self._send(
            206 if end < total - 1 else 200,
            rows[first : end + 1],
            {"Content-Range": f"{first}-{end}/{total}", "Accept-Range": f"Ticket {total}"},
        )

    def do_GET(self) -> None:
        ok = self.headers.get("App-Token") == APP_TOKEN
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path.endswith("/initSession"):
            ok = ok and self.headers.get("Authorization") == f"user_token {USER_TOKEN}"
            body: object = {"session_token": "s-1"} if ok else ["ERROR_GLPI_LOGIN", "bad"]
            self._send(200 if ok else 401, body)
            return
        parts = url.path.split("/apirest.php/", 1)[-1].split("/")
        if parts[0] == "Ticket" and self.headers.get("Session-Token") != "s-1":
            self._send(401, ["ERROR_SESSION_TOKEN_INVALID", "session"])
        elif parts == ["Ticket"]:
            assert query.get("sort") == ["19"] and query.get("order") == ["DESC"]
            rows = sorted(TICKETS.values(), key=lambda r: str(r["date_mod"]), reverse=True)
            self._page(rows, query)
        elif len(parts) == 3 and parts[0] == "Ticket" and parts[2] == "Log":
            self._page(list(reversed(LOGS.get(int(parts[1]), []))), query)
        else:
            self._send(200, {})

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def glpi() -> Iterator[str]:
    _seed(60)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Glpi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/apirest.php"
    server.shutdown()
    server.server_close()


def _client(world: World, role: str = Role.REFERENT) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _add(client: Client, world: World, url: str, **extra: str) -> LiveSource:
    data = {
        "name": "GLPI NordInfo",
        "kind": "glpi",
        "url": url,
        "contract": str(world.contract.pk),
        "app_token": APP_TOKEN,
        "user_token": USER_TOKEN,
        **extra,
    }
    response = client.post(reverse("web:sources", args=[world.org.slug]), data)
    assert response.status_code == 302
    return LiveSource.objects.get(organization=world.org)


def test_tokens_are_encrypted_and_never_shown_back(world: World, glpi: str) -> None:
    client = _client(world)
    source = _add(client, world, glpi)
    assert source.app_token == APP_TOKEN and source.user_token == USER_TOKEN
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_token, user_token FROM web_livesource")
        stored = cursor.fetchone()
    assert APP_TOKEN not in str(stored) and USER_TOKEN not in str(stored)
    for url in (
        reverse("web:sources", args=[world.org.slug]),
        reverse("web:source-edit", args=[world.org.slug, source.pk]),
    ):
        page = client.get(url).content.decode()
        assert APP_TOKEN not in page and USER_TOKEN not in page
    entry = AuditLog.objects.get(action="source.saved")
    assert isinstance(entry.after, dict) and entry.after["app_token"] == "set"
    assert APP_TOKEN not in json.dumps(entry.after)


def test_an_edit_keeps_the_tokens_left_empty(world: World, glpi: str) -> None:
    client = _client(world, Role.CONSULTANT)
    source = _add(client, world, glpi)
    edit = reverse("web:source-edit", args=[world.org.slug, source.pk])
    data = {"name": "GLPI", "kind": "glpi", "url": glpi, "app_token": "", "user_token": "new"}
    assert client.post(edit, data).status_code == 302
    source.refresh_from_db()
    assert source.name == "GLPI" and source.app_token == APP_TOKEN and source.user_token == "new"
    bad = client.post(edit, {"name": "GLPI", "kind": "otrs", "url": "ftp://x"})
    assert bad.status_code == 400
    assert "otrs" in bad.content.decode() and "ftp://x" in bad.content.decode()


def test_the_connection_test_calls_the_server(world: World, glpi: str) -> None:
    client = _client(world)
    source = _add(client, world, glpi)
    test = reverse("web:source-test", args=[world.org.slug, source.pk])
    page = client.post(test, follow=True).content.decode()
    assert "Connexion à GLPI NordInfo réussie" in page
    source.user_token = "wrong"
    source.save()
    page = client.post(test, follow=True).content.decode()
    assert "Échec du test de GLPI NordInfo" in page and "wrong" not in page


def test_providers_and_auditors_cannot_manage_sources(world: World) -> None:
    for role in (Role.PROVIDER, Role.AUDITOR, Role.EXECUTIVE):
        response = _client(world, role).post(
            reverse("web:sources", args=[world.org.slug]),
            {"name": "x", "kind": "glpi", "url": "https://x.example.test"},
        )
        assert response.status_code == 403
    assert not LiveSource.objects.exists()


def _fetch(client: Client, world: World, source: LiveSource, capture: CaptureOnCommit) -> str:
    """Post "Fetch now", run the queued task, and return the sources page."""
    with capture(execute=True):
        response = client.post(reverse("web:source-fetch", args=[world.org.slug, source.pk]))
    assert response.status_code == 302
    source.refresh_from_db()
    return client.get(reverse("web:sources", args=[world.org.slug])).content.decode()


def _live_snapshots(world: World) -> list[ImportSnapshot]:
    return list(
        ImportSnapshot.objects.filter(contract=world.contract, original_name__startswith="glpi-")
    )


def test_fetch_stores_the_merged_extraction_once(
    world: World, glpi: str, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    client = _client(world)
    source = _add(client, world, glpi, active="on")
    page = _fetch(client, world, source, django_capture_on_commit_callbacks)
    assert source.fetch_status == "done" and source.cursor == "2026-10-02 09:00:00"
    assert source.fetch_summary == {
        "read": 60,
        "new": 60,
        "changed": 0,
        "with_history": 60,
        "total": 60,
        "stored": True,
    }
    assert "60 tickets lus : 60 nouveaux, 0 modifiés" in page
    assert "Nouveaux instantanés enregistrés" in page
    first = _live_snapshots(world)
    assert sorted(s.role for s in first) == ["events", "tickets"]
    assert source.tickets_snapshot is not None and source.events_snapshot is not None
    rows = source.tickets_snapshot.read_bytes().decode().splitlines()
    assert len(rows) == 61 and rows[1].startswith("1,incident,P3,,Réseau,,Ticket 1,,")
    assert "2026-10-01T06:01:00Z" in rows[1]  # the server's Paris time, in UTC

    page = _fetch(client, world, source, django_capture_on_commit_callbacks)
    assert source.fetch_summary["read"] == 1 and source.fetch_summary["new"] == 0
    assert source.fetch_summary["changed"] == 0 and source.fetch_summary["stored"] is False
    assert "Rien de nouveau" in page
    assert _live_snapshots(world) == first

    TICKETS[7] = _ticket(7, "2026-10-01 08:07:00", "2026-10-03 10:00:00", status=5)
    LOGS[7] = [
        {
            "id": 1,
            "id_search_option": 12,
            "date_mod": "2026-10-03 10:00:00",
            "old_value": "Nouveau (1)",
            "new_value": "Résolu (5)",
        }
    ]
    TICKETS[61] = _ticket(61, "2026-10-03 09:00:00", "2026-10-03 09:00:00")
    _fetch(client, world, source, django_capture_on_commit_callbacks)
    assert source.fetch_summary == {
        "read": 3,  # with ticket 60, modified at the cursor, read again but unchanged
        "new": 1,
        "changed": 1,
        "with_history": 3,
        "total": 61,
        "stored": True,
    }
    assert source.cursor == "2026-10-03 10:00:00"
    assert len(_live_snapshots(world)) == 4
    tickets = source.tickets_snapshot.read_bytes().decode().splitlines()
    assert [r.split(",")[0] for r in tickets[1:]] == [str(n) for n in range(1, 62)]
    assert "2026-10-03T08:00:00Z" in tickets[7]
    events = source.events_snapshot.read_bytes().decode().splitlines()
    assert "7,2026-10-03T08:00:00Z,resolved,,,Résolu (5)" in events
    fetched = AuditLog.objects.filter(action="source.fetched").order_by("pk")
    assert [e.after["new"] for e in fetched if isinstance(e.after, dict)] == [60, 0, 1]
    assert APP_TOKEN not in json.dumps([e.after for e in fetched])

    wizard = client.get(reverse("web:closing-start", args=[world.org.slug, world.contract.pk]))
    listed = wizard.content.decode()
    assert f'value="{source.tickets_snapshot.pk}"' in listed
    assert f'value="{source.events_snapshot.pk}"' in listed


def test_fetch_failures_are_shown_in_the_users_language(
    world: World,
    glpi: str,
    django_capture_on_commit_callbacks: CaptureOnCommit,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = _client(world)
    source = _add(client, world, glpi, user_token="wrong-token-123")
    page = _fetch(client, world, source, django_capture_on_commit_callbacks)
    assert source.fetch_status == "failed" and source.cursor == ""
    assert "Échec de l’import" in page and "GLPI" in page
    assert "wrong-token-123" not in page and "Traceback" not in page
    assert not _live_snapshots(world)

    monkeypatch.setattr(live, "FETCH_RETRY", RetryPolicy(attempts=1))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/apirest.php"
    source.url, source.user_token = closed, USER_TOKEN
    source.save()
    page = _fetch(client, world, source, django_capture_on_commit_callbacks)
    assert source.fetch_status == "failed"
    assert i18n.t("sources.fetch_failed", "fr", error="")[:10] in page
    assert source.fetch_error["fr"] != source.fetch_error["en"]
    assert source.fetch_error["fr"] in html.unescape(page)
    failures = AuditLog.objects.filter(action="source.fetch_failed")
    assert failures.count() == 2


def test_fetch_needs_a_contract_and_the_daily_task_fetches_active_sources(
    world: World, glpi: str, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    client = _client(world)
    source = _add(client, world, glpi, contract="", active="on")
    page = _fetch(client, world, source, django_capture_on_commit_callbacks)
    assert source.fetch_status == "" and "n’est liée à aucun contrat" in page
    inactive = LiveSource.objects.create(
        organization=world.org,
        contract=world.contract,
        kind="glpi",
        name="Off",
        url=glpi,
        app_token=APP_TOKEN,
        user_token=USER_TOKEN,
        active=False,
    )
    source.contract = world.contract
    source.save()
    queued = client.post(reverse("web:source-fetch", args=[world.org.slug, source.pk]))
    assert queued.status_code == 302  # the task waits for the commit: the page shows the step
    waiting = client.get(reverse("web:sources", args=[world.org.slug])).content.decode()
    assert "en attente du traitement" in waiting and 'http-equiv="refresh"' in waiting
    with django_capture_on_commit_callbacks(execute=True):
        fetch_active_sources_task()
    source.refresh_from_db()
    inactive.refresh_from_db()
    assert source.fetch_status == "done" and source.fetch_summary["total"] == 60
    assert inactive.fetch_status == ""
    entry = AuditLog.objects.get(action="source.fetched")
    assert entry.actor is None
