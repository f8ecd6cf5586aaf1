"""The demo loader, the ``serve`` command's arguments and the settings readers."""

from __future__ import annotations

import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.urls import reverse

from pilotage.cli import build_parser
from pilotage.web.choices import Role, RunStatus
from pilotage.web.demo import load_demo
from pilotage.web.models import Contract, Membership, Organization, Run
from pilotage.web.settings import env_bool, env_int


@pytest.mark.django_db
def test_the_demo_is_loaded_once_with_every_role_and_two_organizations() -> None:
    printed: list[str] = []
    logins = load_demo(months=("2026-09", "2026-10"), out=printed.append)
    assert {login.role for login in logins} == set(Role.values)
    assert Organization.objects.count() == 2
    consultant = next(login for login in logins if login.role == Role.CONSULTANT)
    assert Membership.objects.filter(user__username=consultant.username).count() == 2
    main = Contract.objects.get(organization__slug="boulangeries-martin")
    runs = Run.objects.filter(contract=main)
    assert sorted(runs.values_list("period", flat=True)) == ["2026-09", "2026-10"]
    assert all(run.status == RunStatus.DONE for run in runs)
    assert main.latest_run is not None and main.latest_run.period == "2026-10"
    assert load_demo(out=printed.append) == logins
    assert Run.objects.count() == 3  # nothing recomputed the second time

    client = Client()
    provider = next(login for login in logins if login.role == Role.PROVIDER)
    response = client.post(
        reverse("web:login"), {"username": provider.username, "password": provider.password}
    )
    assert response.status_code == 302
    second = reverse("web:org-home", args=["transports-durand"])
    assert client.get(second).status_code == 404


def test_serve_arguments() -> None:
    args = build_parser().parse_args(["serve", "--demo", "--port", "8123"])
    assert args.demo and args.port == 8123 and args.host == "127.0.0.1"


@pytest.mark.django_db
def test_the_database_is_the_one_the_environment_names() -> None:
    expected = "postgresql" if os.environ.get("PILOTAGE_DB") == "postgres" else "sqlite"
    assert connection.vendor == expected


def test_settings_readers_are_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PILOTAGE_X", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("PILOTAGE_X", False)
    monkeypatch.setenv("PILOTAGE_X", "12mb")
    with pytest.raises(ImproperlyConfigured):
        env_int("PILOTAGE_X", 1)
    monkeypatch.setenv("PILOTAGE_X", "off")
    assert env_bool("PILOTAGE_X", True) is False


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(
    db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from pilotage.web.settings import _databases

    monkeypatch.setenv("PILOTAGE_DB", "sqlite")
    monkeypatch.setenv("PILOTAGE_SQLITE_PATH", f"{tmp_path}/wal.sqlite3")
    settings = _databases()["default"]
    assert settings["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    wrapper = DatabaseWrapper(
        {
            **settings,
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        }
    )
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20000
    finally:
        wrapper.close()


@pytest.mark.django_db
def test_create_organization_invites_its_referent() -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("create_organization", "Acme SA", "acme-sa", "it@acme.test", stdout=out)
    link = out.getvalue().strip().splitlines()[-1]
    assert "/invitations/" in link
    org = Organization.objects.get(slug="acme-sa")
    assert org.invitations.get().role == Role.REFERENT
    with pytest.raises(CommandError):
        call_command("create_organization", "Other", "acme-sa", "x@acme.test", stdout=out)
