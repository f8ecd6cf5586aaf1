"""Every URL, for every role, an outsider and an anonymous user, against the permission matrix.

Path parameters are filled from :data:`PARAMS`; a URL whose view declares no
action, or with a parameter not listed there, fails this test: declare the
view's action with ``@requires`` (and in ``permissions.MATRIX``) and give the
parameter a value here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from pilotage.web.choices import Role
from pilotage.web.models import Invitation, LiveSource, SignedDocument, User
from pilotage.web.permissions import MATRIX, PUBLIC, SIGNED_IN
from pilotage.web.scoping import API_PREFIX, view_action
from tests.web.builders import World, pending_run
from tests.web.helpers import all_routes

PARAMS: dict[str, Callable[[World], Any]] = {
    "org_slug": lambda w: w.org.slug,
    "contract_pk": lambda w: w.contract.pk,
    "token": lambda w: Invitation.issue(w.org, "new@example.test", Role.EXECUTIVE, None)[1],
    "run_pk": lambda w: pending_run(w.contract).pk,
    "period": lambda w: "2026-10",
    "fmt": lambda w: "pdf",
    "section": lambda w: "levels",
    "document_pk": lambda w: (
        SignedDocument.objects.create(
            organization=w.org,
            contract=w.contract,
            name="signed.pdf",
            sha256="0" * 64,
            size=1,
            content=b"%PDF",
        ).pk
    ),
    "source_pk": lambda w: (
        LiveSource.objects.create(
            organization=w.org,
            kind="glpi",
            name="GLPI",
            url="https://glpi.example.test/apirest.php",
        ).pk
    ),
}
"""A value for each path parameter, from the world."""

PASSED = {200, 302, 405, 409}
"""The permission gate let the request through (405: a POST-only view reached by GET; 409: an
API resource not ready yet, such as a queued run's report).  API operations are also walked
per method and token by ``test_api_authorization.py``."""


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _expected(action: str, persona: str) -> str:
    if action == PUBLIC:
        return "pass"
    if persona == "anonymous":
        return "login"
    if action == SIGNED_IN:
        return "pass"
    if persona == "outsider":
        return "not_found"
    return "pass" if persona in MATRIX[action] else "forbidden"


def test_every_view_declares_a_known_action() -> None:
    for route in all_routes():
        action = view_action(route.view)
        assert action is not None, f"{route.name}: decorate the view with @requires(...)"
        assert action in MATRIX or action in (PUBLIC, SIGNED_IN), route.name
        assert set(route.params) <= set(PARAMS), f"{route.name}: add {route.params} to PARAMS"
        if action not in (PUBLIC, SIGNED_IN):
            assert "org_slug" in route.params, f"{route.name}: {action} needs /o/<org_slug>/"


@pytest.mark.parametrize("route", all_routes(), ids=lambda r: r.name)
def test_every_url_follows_the_matrix(world: World, route: Any) -> None:
    action = view_action(route.view)
    assert action is not None
    url = reverse(route.name, kwargs={p: PARAMS[p](world) for p in route.params})
    personas: dict[str, User | None] = {**world.users, "outsider": world.outsider}
    personas["anonymous"] = None
    for persona, user in personas.items():
        response = _client(user).get(url)
        expected = _expected(action, persona)
        where = f"{route.name} ({url}) as {persona}: {response.status_code}"
        if expected == "pass":
            assert response.status_code in PASSED, where
            if response.status_code == 302 and user is not None and action != PUBLIC:
                assert not response["Location"].startswith(reverse(settings.LOGIN_URL)), where
        elif expected == "login" and url.startswith(API_PREFIX):
            assert response.status_code == 401, where
        elif expected == "login":
            assert response.status_code == 302, where
            assert response["Location"].startswith(reverse(settings.LOGIN_URL)), where
        elif expected == "forbidden":
            assert response.status_code == 403, where
        else:
            assert response.status_code == 404, where


def test_provider_does_not_see_contracts_it_is_not_attached_to(world: World) -> None:
    client = _client(world.users[Role.PROVIDER])
    seen = client.get(reverse("web:contract-home", args=[world.org.slug, world.contract.pk]))
    hidden = client.get(
        reverse("web:contract-home", args=[world.org.slug, world.hidden_contract.pk])
    )
    assert seen.status_code == 200
    assert hidden.status_code == 404
    home = client.get(reverse("web:org-home", args=[world.org.slug])).content.decode()
    assert reverse("web:contract-home", args=[world.org.slug, world.contract.pk]) in home
    assert "Hidden from the provider" not in home


def test_a_contract_of_another_organization_is_not_found(world: World) -> None:
    client = _client(world.users[Role.REFERENT])
    url = reverse("web:contract-home", args=[world.org.slug, world.other_contract.pk])
    assert client.get(url).status_code == 404


def test_a_view_without_a_declared_action_is_refused(world: World) -> None:
    from django.core.exceptions import ImproperlyConfigured
    from django.test import override_settings

    client = _client(world.users[Role.REFERENT])
    with (
        override_settings(ROOT_URLCONF="tests.web.undeclared_urls"),
        pytest.raises(ImproperlyConfigured, match="declares no action"),
    ):
        client.get(f"/o/{world.org.slug}/undeclared/")


def test_an_unknown_action_is_refused_at_declaration() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from pilotage.web.scoping import requires

    with pytest.raises(ImproperlyConfigured, match=r"add it to permissions\.MATRIX"):
        requires("contract.delete_everything")
