"""The closing wizard end to end: files, reading preview, timezone, provider's figures, run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pilotage.web.choices import Role, RunStatus, SnapshotRole
from pilotage.web.models import AuditLog, ImportSnapshot, Run, User
from pilotage.web.views.closing import closing_as_of
from tests.web.builders import DEMO_DATA, DEMO_FILES, World

GLPI = DEMO_DATA / "glpi-2026-10.csv"
DEMO_FILES_BY_ROLE = {role: name for name, role in DEMO_FILES.items()}
CANONICAL_EXTRAS = {
    SnapshotRole.MONITORING: "outages.csv",
    SnapshotRole.BACKUPS: "backups.csv",
    SnapshotRole.RESTORE_TESTS: "restore_tests.csv",
    SnapshotRole.ADJUSTMENTS: "adjustments.csv",
}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(world: World, name: str, *extra: object) -> str:
    return reverse(f"web:{name}", args=[world.org.slug, world.contract.pk, *extra])


def _upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def _start(client: Client, world: World, *, extras: bool = True, source: str = "glpi") -> None:
    data: dict[str, object] = {
        "period": "2026-10",
        "source": source,
        f"file_{SnapshotRole.TICKETS}": _upload(GLPI),
    }
    if extras:
        for role, name in CANONICAL_EXTRAS.items():
            data[f"file_{role}"] = _upload(DEMO_DATA / name)
    response = client.post(_url(world, "closing-start"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == _url(world, "closing-preview")


def _confirm(client: Client, world: World, timezone: str = "Europe/Paris") -> None:
    response = client.post(
        _url(world, "closing-preview"), {"timezone": timezone, "action": "confirm"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == _url(world, "closing-claims")


def _claims(client: Client, world: World) -> None:
    response = client.post(
        _url(world, "closing-claims"),
        {"eligible_p1-response": "5", "met_p1-response": "5", "compliance_p1-response": "100 %"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == _url(world, "closing-review")


def _close(world: World, client: Client, capture: Callable[..., Any]) -> Run:
    _start(client, world)
    _confirm(client, world)
    _claims(client, world)
    with capture(execute=True):  # the queued task runs when the request's transaction commits
        response = client.post(_url(world, "closing-launch"))
    assert response.status_code == 302
    run = Run.objects.get(contract=world.contract)
    assert response["Location"] == _url(world, "closing-progress", run.pk)
    return run


def test_preview_shows_how_the_glpi_export_was_read(world: World) -> None:
    client = _client(world.users[Role.REFERENT])
    _start(client, world, extras=False)
    page = client.get(_url(world, "closing-preview")).content.decode()
    # The question: naive times, the contract's timezone proposed.
    assert "n’ont pas de décalage UTC" in page
    assert 'value="Europe/Paris"' in page
    # Counts per kind and priority, the date range, pauses known only as a total.
    assert "303" in page and "183" in page and "120" in page
    assert "P1" in page and "P4" in page
    assert "01/10/2026 08:22" in page
    assert "84" in page and "seulement le total d’attente" in page
    # Each column and the field it feeds; unused columns marked.
    assert "Date d&#x27;ouverture" in page or "Date d'ouverture" in page
    assert "<code>created_at</code>" in page
    assert "non utilisée" in page
    # And how its values were understood.
    assert "Moyenne → <strong>P3</strong>" in page
    assert "Incident → <strong>incident</strong>" in page
    # Nothing stored for the run yet: only the raw export.
    assert list(ImportSnapshot.objects.values_list("role", "original_name")) == [
        (SnapshotRole.TICKETS, GLPI.name)
    ]


def test_unmapped_values_are_highlighted(world: World) -> None:
    text = GLPI.read_text(encoding="utf-8-sig").replace(";Basse;", ";Urgentissime;", 1)
    client = _client(world.users[Role.REFERENT])
    upload = SimpleUploadedFile("glpi-edited.csv", text.encode("utf-8"))
    client.post(
        _url(world, "closing-start"),
        {"period": "2026-10", "source": "glpi", f"file_{SnapshotRole.TICKETS}": upload},
    )
    page = client.get(_url(world, "closing-preview")).content.decode()
    assert "<mark>Urgentissime ×1</mark>" in page


def test_timezone_must_be_confirmed(world: World) -> None:
    client = _client(world.users[Role.REFERENT])
    _start(client, world, extras=False)
    response = client.post(_url(world, "closing-preview"), {"timezone": "", "action": "confirm"})
    assert response.status_code == 400
    assert "confirmez leur fuseau (proposé : Europe/Paris)" in response.content.decode()
    response = client.post(
        _url(world, "closing-preview"), {"timezone": "Mars/Olympus", "action": "confirm"}
    )
    assert response.status_code == 400
    assert "Fuseau horaire inconnu « Mars/Olympus »" in response.content.decode()
    assert client.get(_url(world, "closing-claims"))["Location"] == _url(world, "closing-preview")
    # Another timezone re-reads the export and shows the plausibility check.
    page = client.post(
        _url(world, "closing-preview"), {"timezone": "America/New_York", "action": "reread"}
    ).content.decode()
    assert "Seulement" in page and "America/New_York" in page
    _confirm(client, world)
    entry = AuditLog.objects.get(action="closing.timezone_confirmed")
    assert entry.after is not None
    assert entry.after["timezone"] == "Europe/Paris"


def test_importer_errors_name_file_row_column_value(world: World) -> None:
    client = _client(world.users[Role.REFERENT])
    text = GLPI.read_text(encoding="utf-8-sig").replace("01-10-2026 08:22", "32-10-2026 08:22", 1)
    upload = SimpleUploadedFile("broken.csv", text.encode("utf-8"))
    client.post(
        _url(world, "closing-start"),
        {"period": "2026-10", "source": "glpi", f"file_{SnapshotRole.TICKETS}": upload},
    )
    page = client.post(
        _url(world, "closing-preview"), {"timezone": "Europe/Paris", "action": "reread"}
    ).content.decode()
    assert "broken.csv, ligne 2, colonne Date d’ouverture" in page or "broken.csv, ligne 2" in page
    assert "32-10-2026 08:22" in page and "/tmp/" not in page
    assert "Traceback" not in page


def test_wizard_end_to_end_lands_on_the_dashboard(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = _client(world.users[Role.REFERENT])
    run = _close(world, client, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.period == "2026-10"
    assert run.as_of == closing_as_of("Europe/Paris")
    roles = sorted(run.snapshots.values_list("role", flat=True))
    assert roles == sorted([SnapshotRole.TICKETS, SnapshotRole.CLAIMS, *CANONICAL_EXTRAS])
    tickets = run.snapshots.get(role=SnapshotRole.TICKETS)
    assert tickets.original_name == "glpi-2026-10.tickets.csv"
    assert tickets.read_bytes().startswith(b"id,")
    progress = client.get(_url(world, "closing-progress", run.pk))
    assert progress["Location"] == _url(world, "run-dashboard", run.pk)
    htmx = client.get(_url(world, "closing-progress", run.pk), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == _url(world, "run-dashboard", run.pk)
    page = client.get(progress["Location"]).content.decode()
    assert "Octobre 2026" in page
    # The typed figures of the provider reach the reconciliation.
    claims = run.snapshots.get(role=SnapshotRole.CLAIMS).read_bytes().decode()
    assert claims == (
        "service_level,window,eligible,met,compliance\np1-response,2026-10,5,5,1.0000\n"
    )


def test_same_files_again_give_the_same_snapshots_and_run(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = _client(world.users[Role.REFERENT])
    first = _close(world, client, django_capture_on_commit_callbacks)
    snapshots = ImportSnapshot.objects.count()
    _start(client, world)
    _confirm(client, world)
    _claims(client, world)
    second_response = client.post(_url(world, "closing-launch"))
    assert second_response["Location"] == _url(world, "closing-progress", first.pk)
    assert ImportSnapshot.objects.count() == snapshots
    assert Run.objects.count() == 1


def test_provider_uploads_and_checks_but_cannot_close(world: World) -> None:
    client = _client(world.users[Role.PROVIDER])
    _start(client, world, extras=False)
    _confirm(client, world)
    response = client.post(_url(world, "closing-claims"), {"action": "skip"})
    assert response["Location"] == _url(world, "closing-review")
    page = client.get(_url(world, "closing-review")).content.decode()
    assert "Le référent IT du client clôturera le mois" in page
    assert reverse("web:closing-launch", args=[world.org.slug, world.contract.pk]) not in page
    assert client.post(_url(world, "closing-launch")).status_code == 403
    assert not Run.objects.exists()
    # The referent finds the provider's upload among the earlier ones.
    referent = _client(world.users[Role.REFERENT])
    form = referent.get(_url(world, "closing-start")).content.decode()
    raw = ImportSnapshot.objects.get(original_name=GLPI.name)
    assert f'<option value="{raw.pk}"' in form


def test_claims_form_errors_are_in_the_users_language(world: World) -> None:
    user = world.users[Role.REFERENT]
    user.language = "en"
    user.save()
    client = _client(user)
    _start(client, world, extras=False)
    _confirm(client, world)
    response = client.post(
        _url(world, "closing-claims"),
        {"eligible_p1-response": "4", "met_p1-response": "6", "compliance_p2-resolution": "120"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "6 met out of 4 eligible is impossible" in page
    assert "“120” is not a percentage between 0 and 100" in page


def test_upload_over_the_limit_is_refused(world: World, settings: pytest.FixtureRequest) -> None:
    settings.MAX_UPLOAD_MB = 0  # type: ignore[attr-defined]
    client = _client(world.users[Role.REFERENT])
    response = client.post(
        _url(world, "closing-start"),
        {"period": "2026-10", "source": "glpi", f"file_{SnapshotRole.TICKETS}": _upload(GLPI)},
    )
    assert response.status_code == 400
    assert GLPI.name in response.content.decode()
    assert not ImportSnapshot.objects.exists()


def test_closing_instant_is_midnight_in_the_contract_timezone() -> None:
    now = dt.datetime(2026, 11, 26, 0, 30, tzinfo=dt.UTC)  # 01:30 in Paris
    assert closing_as_of("Europe/Paris", now) == dt.datetime(2026, 11, 25, 23, tzinfo=dt.UTC)


def test_saved_mapping_file(world: World) -> None:
    client = _client(world.users[Role.REFERENT])
    mapping = b"extends: glpi\ntimezone: Europe/Paris\nvalues:\n  priority:\n    urgentissime: P1\n"
    text = GLPI.read_text(encoding="utf-8-sig").replace(";Basse;", ";Urgentissime;", 1)
    response = client.post(
        _url(world, "closing-start"),
        {
            "period": "2026-10",
            "source": "glpi",
            "mapping": SimpleUploadedFile("nordinfo.yaml", mapping),
            f"file_{SnapshotRole.TICKETS}": SimpleUploadedFile("glpi.csv", text.encode()),
        },
    )
    assert response.status_code == 302
    page = client.get(_url(world, "closing-preview")).content.decode()
    # The mapping states the timezone: no question; its own value is understood.
    assert "n’ont pas de décalage UTC" not in page
    assert "Urgentissime → <strong>P1</strong>" in page
    broken = client.post(
        _url(world, "closing-start"),
        {
            "period": "2026-10",
            "source": "glpi",
            "mapping": SimpleUploadedFile("bad.yaml", b"extends: nowhere\n"),
            f"file_{SnapshotRole.TICKETS}": _upload(GLPI),
        },
    )
    assert broken.status_code == 400
    assert "nowhere" in broken.content.decode() and "/tmp" not in broken.content.decode()


def test_canonical_demo_files_end_to_end(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = _client(world.users[Role.CONSULTANT])
    data: dict[str, object] = {"period": "2026-10", "source": "canonical"}
    for role, name in {**DEMO_FILES_BY_ROLE}.items():
        data[f"file_{role}"] = _upload(DEMO_DATA / name)
    assert client.post(_url(world, "closing-start"), data).status_code == 302
    page = client.get(_url(world, "closing-preview")).content.decode()
    assert "portent leur décalage UTC" in page  # nothing to ask
    response = client.post(_url(world, "closing-preview"), {"timezone": "", "action": "confirm"})
    assert response["Location"] == _url(world, "closing-claims")
    client.post(_url(world, "closing-claims"), {"action": "skip"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(world, "closing-launch"))
    run = Run.objects.get(contract=world.contract)
    assert run.status == RunStatus.DONE, run.error
    # The uploads are the run's inputs as they are, the provider's figures file included.
    assert sorted(run.snapshots.values_list("original_name", flat=True)) == sorted(
        DEMO_FILES_BY_ROLE.values()
    )
