"""Live sources: tokens encrypted and never shown back, edits that keep them, the test call."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from pilotage.web.choices import Role
from pilotage.web.models import AuditLog, LiveSource
from tests.web.builders import World

APP_TOKEN = "app-7f3c9d0e1b2a"
USER_TOKEN = "user-5a6b7c8d9e0f"


class _Glpi(BaseHTTPRequestHandler):
    """A GLPI REST endpoint that opens a session for the right tokens only."""

    def do_GET(self) -> None:
        ok = self.headers.get("App-Token") == APP_TOKEN
        if self.path.endswith("/initSession"):
            ok = ok and self.headers.get("Authorization") == f"user_token {USER_TOKEN}"
            body: object = {"session_token": "s-1"} if ok else ["ERROR_GLPI_LOGIN", "bad"]
            status = 200 if ok else 401
        else:
            body, status = {}, 200
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def glpi() -> Iterator[str]:
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
