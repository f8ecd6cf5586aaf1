"""Stored objects: encryption at rest, append-only rows, content-addressed snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from pilotage.web.choices import SnapshotRole, SourceKind
from pilotage.web.models import (
    AuditLog,
    ContractVersion,
    ImmutableError,
    ImportSnapshot,
    LiveSource,
    UploadTooLarge,
)
from tests.web.builders import World


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def test_api_tokens_are_stored_encrypted(world: World) -> None:
    source = LiveSource.objects.create(
        organization=world.org,
        kind=SourceKind.GLPI,
        name="GLPI",
        url="https://glpi.example.test/apirest.php",
        app_token="app-token-in-clear",
        user_token="user-token-in-clear",
    )
    stored = _raw("web_livesource", "app_token", source.pk)
    assert "app-token-in-clear" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert LiveSource.objects.get(pk=source.pk).app_token == "app-token-in-clear"
    assert LiveSource.objects.get(pk=source.pk).user_token == "user-token-in-clear"


def test_totp_secret_is_stored_encrypted(world: World) -> None:
    user = world.users["referent"]
    user.totp_secret = "JBSWY3DPEHPK3PXP"
    user.save()
    assert "JBSWY3DPEHPK3PXP" not in _raw("web_user", "totp_secret", user.pk)


def test_audit_log_refuses_changes_and_deletions(world: World) -> None:
    entry = AuditLog.record("test.action", actor=world.users["referent"], organization=world.org)
    entry.action = "changed"
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    with pytest.raises(ImmutableError):
        AuditLog.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(ImmutableError):
        AuditLog.objects.filter(pk=entry.pk).delete()
    assert AuditLog.objects.get(pk=entry.pk).action == "test.action"


def test_contract_versions_are_new_rows_never_overwritten(world: World) -> None:
    contract = world.contract
    first = contract.current_version()
    assert first is not None and first.number == 1
    same = contract.add_version(first.text, None)
    assert same.pk == first.pk
    edited = contract.add_version(first.text + "\n# edited\n", None, source="edit")
    assert edited.number == 2 and edited.sha256 != first.sha256
    assert ContractVersion.objects.get(pk=first.pk).text == first.text
    first.text = "overwritten"
    with pytest.raises(ImmutableError):
        first.save()


def test_snapshots_are_content_addressed(world: World) -> None:
    data = b"id,created_at\n1,2026-01-05T10:00\n"
    one = ImportSnapshot.store(world.contract, SnapshotRole.TICKETS, "a.csv", data, None)
    two = ImportSnapshot.store(world.contract, SnapshotRole.TICKETS, "b.csv", data, None)
    assert one.pk == two.pk
    assert one.read_bytes() == data
    assert one.size == len(data) and len(one.sha256) == 64
    with pytest.raises(ImmutableError):
        one.save()


def test_snapshots_can_live_in_the_file_store(world: World, tmp_path: Path) -> None:
    data = b"service,start,end\n"
    with override_settings(BLOB_STORE="files", MEDIA_ROOT=str(tmp_path)):
        snap = ImportSnapshot.store(world.contract, SnapshotRole.MONITORING, "o.csv", data, None)
        assert snap.content is None
        assert ImportSnapshot.blob_path(snap.sha256).read_bytes() == data
        assert ImportSnapshot.objects.get(pk=snap.pk).read_bytes() == data


@override_settings(MAX_UPLOAD_MB=1)
def test_uploads_over_the_limit_are_refused_with_a_clear_message(world: World) -> None:
    data = b"x" * (2 * 1024 * 1024)
    with pytest.raises(UploadTooLarge) as caught:
        ImportSnapshot.store(world.contract, SnapshotRole.TICKETS, "huge.csv", data, None)
    assert caught.value.message("en") == (
        "huge.csv: file of 2 MB, over the 1 MB limit; split the export by period or compress it."
    )
    assert "limite de 1 Mo" in caught.value.message("fr")
    assert not ImportSnapshot.objects.filter(original_name="huge.csv").exists()


def test_for_org_keeps_other_organizations_out(world: World) -> None:
    from pilotage.web.models import Contract

    mine = set(Contract.objects.for_org(world.org).values_list("pk", flat=True))
    assert mine == {world.contract.pk, world.hidden_contract.pk}


@override_settings(MAX_UPLOAD_MB=1)
def test_oversized_uploads_are_refused_before_being_read(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pilotage.web import services

    big = SimpleUploadedFile("big.csv", b"x" * (1024 * 1024 + 1))
    with pytest.raises(UploadTooLarge):
        services.store_upload(world.contract, SnapshotRole.TICKETS, big, None)
    assert big.tell() == 0
    small = SimpleUploadedFile("small.csv", b"id\n1\n")
    snapshot = services.store_upload(world.contract, SnapshotRole.TICKETS, small, None)
    assert snapshot.original_name == "small.csv" and snapshot.read_bytes() == b"id\n1\n"
