"""Run status polling (htmx fragments) and API bearer tokens going through the same scoping."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from pilotage.web.api.tokens import issue_token
from pilotage.web.choices import Role, RunStatus
from pilotage.web.models import ApiToken, AuditLog, Run
from tests.web.builders import World, pending_run


def test_a_run_in_progress_polls_its_status_until_done(world: World) -> None:
    run = pending_run(world.contract)
    client = Client()
    client.force_login(world.users[Role.EXECUTIVE])
    url = reverse("web:run-status", args=[world.org.slug, world.contract.pk, run.pk])
    page = client.get(url).content.decode()
    assert "<html" in page and f'hx-get="{url}"' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'hx-trigger="every 2s"' in fragment
    Run.objects.filter(pk=run.pk).update(status=RunStatus.DONE)
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in done and "Terminé" in done


def test_a_run_of_another_contract_is_not_found_under_this_one(world: World) -> None:
    run = pending_run(world.hidden_contract)
    client = Client()
    client.force_login(world.users[Role.REFERENT])
    url = reverse("web:run-status", args=[world.org.slug, world.contract.pk, run.pk])
    assert client.get(url).status_code == 404


def test_bearer_tokens_open_the_api_only_never_the_pages(world: World) -> None:
    _, secret = issue_token(world.users[Role.REFERENT], world.org, "automation")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})
    api = reverse("api:contract-list", kwargs={"org_slug": world.org.slug})
    assert client.get(api).status_code == 200
    page = reverse("web:contract-home", args=[world.org.slug, world.contract.pk])
    assert client.get(page).status_code == 302  # to the sign-in page: a token signs no one in
    invite = reverse("web:invite", args=[world.org.slug])
    assert client.post(invite, {"email": "a@example.test", "role": "auditor"}).status_code == 403
    assert not AuditLog.objects.filter(action="member.invited").exists()


def test_unknown_or_revoked_tokens_are_refused(world: World) -> None:
    token, secret = ApiToken.issue(world.users[Role.REFERENT], "old")
    url = reverse("api:contract-list", kwargs={"org_slug": world.org.slug})
    refused = Client(headers={"Authorization": "Bearer plt_nope"}).get(url)
    assert refused.status_code == 401
    assert refused.json()["code"] == "api.invalid_token"
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.created_at)
    assert Client(headers={"Authorization": f"Bearer {secret}"}).get(url).status_code == 401
    assert ApiToken.objects.filter(token_hash__contains=secret).count() == 0


def test_sign_in_is_audited(world: World) -> None:
    Client().post(
        reverse("web:login"), {"username": "auditor", "password": "correct-horse-battery-staple"}
    )
    entry = AuditLog.objects.get(action="user.signed_in")
    assert entry.actor == world.users[Role.AUDITOR] and entry.ip == "127.0.0.1"
