"""The audit log page: filters, pagination, before/after, who may read it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from pilotage.web.choices import Role
from pilotage.web.models import AuditLog
from pilotage.web.views.audit import PAGE_SIZE, changes
from tests.web.builders import World


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def test_the_audit_log_filters_by_contract_user_and_action(world: World) -> None:
    consultant = world.users[Role.CONSULTANT]
    AuditLog.record(
        "source.saved",
        actor=consultant,
        organization=world.org,
        obj=world.contract,
        before={"url": "https://old.example.test"},
        after={"url": "https://new.example.test"},
    )
    AuditLog.record("member.invited", actor=consultant, organization=world.other_org)
    client = _client(world, Role.AUDITOR)
    url = reverse("web:audit", args=[world.org.slug])
    page = client.get(url).content.decode()
    assert "https://old.example.test" in page and "https://new.example.test" in page
    assert page.count('<td class="nowrap">') == AuditLog.objects.for_org(world.org).count() == 3
    by_user = client.get(url, {"user": consultant.pk}).content.decode()
    assert "https://new.example.test" in by_user and "contrat créé" not in by_user
    by_action = client.get(url, {"action": "contract.created"}).content.decode()
    assert "https://new.example.test" not in by_action
    by_contract = client.get(url, {"contract": world.hidden_contract.pk}).content.decode()
    assert by_contract.count('<td class="nowrap">') == 1 and "https://new" not in by_contract
    assert "https://new" in client.get(url, {"contract": world.contract.pk}).content.decode()
    fragment = client.get(url, {"action": "source.saved"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b"new.example.test" in fragment.content


def test_the_audit_log_is_paginated(world: World) -> None:
    for number in range(PAGE_SIZE + 5):
        AuditLog.record("source.saved", actor=None, organization=world.org, after={"n": number})
    client = _client(world, Role.REFERENT)
    url = reverse("web:audit", args=[world.org.slug])
    first = client.get(url, {"action": "source.saved"}).content.decode()
    assert first.count('"n"') == 0 and "page=2" in first
    second = client.get(url, {"action": "source.saved", "page": "2"}).content.decode()
    rows = second.count('<td class="after">')
    assert rows == 5


def test_only_roles_with_audit_view_read_the_log(world: World) -> None:
    url = reverse("web:audit", args=[world.org.slug])
    for role, status in (
        (Role.AUDITOR, 200),
        (Role.CONSULTANT, 200),
        (Role.EXECUTIVE, 403),
        (Role.PROVIDER, 403),
    ):
        assert _client(world, role).get(url).status_code == status


def test_changes_lists_changed_keys_only() -> None:
    assert changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": [1]}) == [
        {"key": "b", "before": "2", "after": "3"},
        {"key": "c", "before": "", "after": "[1]"},
    ]
    assert changes(None, None) == []
