"""Every API operation, for every role, an outsider and an anonymous caller, with bearer tokens.

:data:`REQUESTS` holds a valid request for each operation; an operation added to
the API without an entry here fails :func:`test_every_api_operation_is_walked`.
A caller whose role lacks the operation's action gets 403, a member of another
organization 404, an anonymous caller 401; the others pass the gate (409: the
queued run's report is not ready, which the gate let through).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pilotage.web import services
from pilotage.web.api.gate import DECLARED
from pilotage.web.api.tokens import issue_token
from pilotage.web.choices import Role, SnapshotRole
from pilotage.web.models import User
from pilotage.web.permissions import MATRIX
from tests.web.builders import DEMO_DATA, World, demo_contract_text, pending_run
from tests.web.helpers import all_routes


@dataclass
class ApiRequest:
    """How to call one operation with valid input."""

    params: tuple[str, ...]
    body: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    passed: frozenset[int] = frozenset({200})


def _contract_upload(world: World) -> dict[str, Any]:
    data = demo_contract_text().encode()
    return {"data": {"file": SimpleUploadedFile("contract.yaml", data), "comment": "same"}}


def _snapshot_upload(world: World) -> dict[str, Any]:
    data = b"id,priority\n1,P1\n"
    return {"data": {"role": "tickets", "file": SimpleUploadedFile("tickets.csv", data)}}


def _run_request(world: World) -> dict[str, Any]:
    tickets = (DEMO_DATA / "tickets.csv").read_bytes()
    snapshot = services.store_snapshot(
        world.contract, SnapshotRole.TICKETS, "tickets.csv", tickets, None
    )
    body = {
        "period": "2026-10",
        "as_of": "2026-11-10T09:00:00+01:00",
        "snapshots": [snapshot.sha256],
    }
    return {"data": body, "content_type": "application/json"}


CONTRACT = ("org_slug", "contract_pk")
RUN = (*CONTRACT, "run_pk")
NOT_READY = frozenset({409})

REQUESTS: dict[str, ApiRequest] = {
    "contract-list": ApiRequest(("org_slug",)),
    "contract-get": ApiRequest(CONTRACT),
    "contract-versions": ApiRequest(CONTRACT),
    "contract-version-upload": ApiRequest(CONTRACT, _contract_upload, frozenset({200, 201})),
    "contract-file": ApiRequest(CONTRACT),
    "snapshot-list": ApiRequest(CONTRACT),
    "snapshot-upload": ApiRequest(CONTRACT, _snapshot_upload, frozenset({200, 201})),
    "run-list": ApiRequest(CONTRACT),
    "run-create": ApiRequest(CONTRACT, _run_request, frozenset({202})),
    "run-get": ApiRequest(RUN),
    "run-report-json": ApiRequest(RUN, passed=NOT_READY),
    "run-report-pdf": ApiRequest(RUN, passed=NOT_READY),
    "run-report-xlsx": ApiRequest(RUN, passed=NOT_READY),
    "run-evidence": ApiRequest(RUN, passed=NOT_READY),
}
"""A valid request for each API operation (path parameters, body, statuses that pass)."""


def test_every_api_operation_is_walked() -> None:
    routes = {r.name.removeprefix("api:") for r in all_routes() if r.name.startswith("api:")}
    assert routes - {"openapi-json"} == set(DECLARED), "declare each operation with operation()"
    assert set(REQUESTS) == set(DECLARED), "give each API operation a request in REQUESTS"
    for name, request in REQUESTS.items():
        route = next(r for r in all_routes() if r.name == f"api:{name}")
        assert route.params == request.params, name


def _bearer(user: User, world: World, org_role: str = "") -> Client:
    org = world.other_org if user == world.outsider else world.org
    secret = issue_token(user, org, "walker", org_role)[1]
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_every_api_operation_follows_the_matrix(world: World, name: str) -> None:
    declared = DECLARED[name]
    request = REQUESTS[name]
    run = pending_run(world.contract)
    values = {"org_slug": world.org.slug, "contract_pk": world.contract.pk, "run_pk": run.pk}
    url = reverse(f"api:{name}", kwargs={p: values[p] for p in request.params})
    callers: dict[str, Client] = {role: _bearer(u, world) for role, u in world.users.items()}
    callers["outsider"] = _bearer(world.outsider, world)
    callers["anonymous"] = Client(enforce_csrf_checks=True)
    for persona, client in callers.items():
        response = _send(client, declared.method, url, request.body(world))
        where = f"{declared.method} {url} as {persona}: {response.status_code} {response.content!r}"
        if persona == "anonymous":
            assert response.status_code == 401, where
        elif persona == "outsider":
            assert response.status_code == 404, where
        elif persona not in MATRIX[declared.action]:
            assert response.status_code == 403, where
            assert response.json()["code"] == "api.forbidden", where
        else:
            assert response.status_code in request.passed, where


def _send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    if method == "GET":
        return client.get(url)
    return client.post(url, **body)


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_a_token_narrowed_to_a_role_acts_with_that_role_only(world: World, name: str) -> None:
    declared = DECLARED[name]
    request = REQUESTS[name]
    run = pending_run(world.contract)
    values = {"org_slug": world.org.slug, "contract_pk": world.contract.pk, "run_pk": run.pk}
    url = reverse(f"api:{name}", kwargs={p: values[p] for p in request.params})
    client = _bearer(world.users[Role.REFERENT], world, Role.EXECUTIVE)
    response = _send(client, declared.method, url, request.body(world))
    if Role.EXECUTIVE in MATRIX[declared.action]:
        assert response.status_code in request.passed, response.content
    else:
        assert response.status_code == 403, response.content
