"""The REST API: a month closed end to end, uploads, idempotence, errors, token scoping."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from pilotage.web import services
from pilotage.web.api.tokens import TokenError, issue_token
from pilotage.web.choices import Role, SnapshotRole
from pilotage.web.models import (
    ApiToken,
    ArchivedReport,
    AuditLog,
    ImportSnapshot,
    Membership,
    Run,
)
from tests.web.builders import (
    DEMO_AS_OF,
    DEMO_DATA,
    DEMO_FILES,
    World,
    close_demo_month,
    demo_contract_text,
)
from tests.web.helpers import query_budget

CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], None]]]]


def _client(world: World, role: str = Role.REFERENT, token_role: str = "") -> Client:
    secret = issue_token(world.users[role], world.org, "tests", token_role)[1]
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _url(name: str, world: World, **kwargs: Any) -> str:
    params: dict[str, Any] = {"org_slug": world.org.slug}
    if name != "contract-list":
        params["contract_pk"] = kwargs.pop("contract_pk", world.contract.pk)
    params.update(kwargs)
    return reverse(f"api:{name}", kwargs=params)


def _upload(client: Client, world: World, role: str, name: str, data: bytes) -> Any:
    return client.post(
        _url("snapshot-upload", world), {"role": role, "file": SimpleUploadedFile(name, data)}
    )


def test_a_month_is_closed_through_the_api(
    world: World, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    client = _client(world)
    hashes = []
    for name, role in DEMO_FILES.items():
        data = (DEMO_DATA / name).read_bytes()
        response = _upload(client, world, role, name, data)
        assert response.status_code == 201, response.content
        assert response.json()["sha256"] == hashlib.sha256(data).hexdigest()
        hashes.append(response.json()["sha256"])
    body = {"period": "2026-10", "as_of": "2026-11-10T09:00:00+01:00", "snapshots": hashes}
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(_url("run-list", world), body, content_type="application/json")
    assert created.status_code == 202, created.content
    status_url = created.json()["status_url"]
    run = client.get(status_url).json()
    assert run["status"] == "done" and run["as_of"].startswith("2026-11-10T08:00:00")
    p1 = [
        w for w in run["windows"] if w["level_id"] == "p1-resolution" and w["window"] == "2026-10"
    ]
    assert p1 and p1[0]["status"] == "breached"
    report = client.get(_url("run-report-json", world, run_pk=run["id"]))
    assert report["Content-Type"] == "application/json"
    stored = Run.objects.get(pk=run["id"])
    assert report.content == stored.report_json.encode()
    levels = {level["id"]: level for level in json.loads(report.content)["service_levels"]}
    assert levels["p1-resolution"]["status"] == "breached"
    again = client.post(_url("run-list", world), body, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == run["id"]
    listed = client.get(_url("run-list", world)).json()
    assert [r["id"] for r in listed] == [run["id"]]


def test_report_files_and_evidence_are_rebuilt_from_the_run(world: World) -> None:
    run = close_demo_month(world.contract)
    client = _client(world, Role.AUDITOR)
    pdf = client.get(_url("run-report-pdf", world, run_pk=run.pk) + "?lang=en")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "report-martin-nordinfo-2026-10.pdf" in pdf["Content-Disposition"]
    archived = ArchivedReport.objects.get(run=run, format="pdf", language="en")
    assert bytes(archived.content) == pdf.content, "the pages' archived rendering"
    xlsx = client.get(_url("run-report-xlsx", world, run_pk=run.pk))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    evidence = client.get(_url("run-evidence", world, run_pk=run.pk))
    assert evidence.status_code == 200
    with zipfile.ZipFile(io.BytesIO(evidence.content)) as archive:
        assert archive.read("report.json") == run.report_json.encode()
        assert "measurements/p1-resolution.csv" in archive.namelist()


def test_contracts_versions_and_the_current_file(world: World) -> None:
    client = _client(world, Role.CONSULTANT)
    with query_budget(8):
        contracts = client.get(_url("contract-list", world)).json()
    assert {c["id"] for c in contracts} == {world.contract.pk, world.hidden_contract.pk}
    current = client.get(_url("contract-get", world)).json()["current_version"]
    assert current["number"] == 1
    text = demo_contract_text()
    same = client.post(
        _url("contract-version-upload", world),
        {"file": SimpleUploadedFile("contract.yaml", text.encode())},
    )
    assert same.status_code == 200 and same.json()["number"] == 1
    edited = text.replace("title:", "title: Révisé —", 1)
    new = client.post(
        _url("contract-version-upload", world),
        {"file": SimpleUploadedFile("c.yaml", edited.encode()), "comment": "title"},
    )
    assert new.status_code == 201, new.content
    assert new.json()["number"] == 2 and new.json()["comment"] == "title"
    versions = client.get(_url("contract-versions", world)).json()
    assert [v["number"] for v in versions] == [2, 1]
    file = client.get(_url("contract-file", world))
    assert file.content.decode() == edited
    assert file["ETag"] == f'"{hashlib.sha256(edited.encode()).hexdigest()}"'
    assert AuditLog.objects.filter(action="contract.version_added").count() == 1


def test_an_invalid_contract_file_is_refused_with_its_errors(world: World) -> None:
    world.users[Role.REFERENT].language = "fr"
    world.users[Role.REFERENT].save()
    client = _client(world)
    response = client.post(
        _url("contract-version-upload", world),
        {"file": SimpleUploadedFile("c.yaml", b"contract: [unclosed\n")},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "contract.invalid"
    assert "contract.yaml" in response.json()["message"]
    latin1 = client.post(
        _url("contract-version-upload", world),
        {"file": SimpleUploadedFile("c.yaml", "période: é".encode("latin-1"))},
    )
    assert latin1.json() == {
        "code": "api.not_utf8",
        "message": "Le fichier de contrat c.yaml n’est pas un texte UTF-8.",
    }


def test_snapshot_upload_is_idempotent(world: World) -> None:
    client = _client(world, Role.PROVIDER)
    data = (DEMO_DATA / "tickets.csv").read_bytes()
    first = _upload(client, world, SnapshotRole.TICKETS, "tickets.csv", data)
    second = _upload(client, world, SnapshotRole.TICKETS, "renamed.csv", data)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert ImportSnapshot.objects.filter(contract=world.contract).count() == 1
    assert AuditLog.objects.filter(action="snapshot.imported").count() == 1
    as_events = _upload(client, world, SnapshotRole.EVENTS, "tickets.csv", data)
    assert as_events.status_code == 201 and as_events.json()["id"] != first.json()["id"]
    listed = client.get(_url("snapshot-list", world)).json()
    assert [s["role"] for s in listed] == ["events", "tickets"]


@override_settings(MAX_UPLOAD_MB=1)
def test_uploads_over_the_limit_are_refused_naming_the_file(world: World) -> None:
    world.users[Role.REFERENT].language = "en"
    world.users[Role.REFERENT].save()
    client = _client(world)
    over = _upload(client, world, SnapshotRole.TICKETS, "big.csv", b"x" * (3 * 2**20 // 2))
    assert over.status_code == 413
    assert over.json()["code"] == "web.upload.too_large"
    assert "big.csv" in over.json()["message"] and "1" in over.json()["message"]
    far_over = _upload(client, world, SnapshotRole.TICKETS, "huge.csv", b"x" * (3 * 2**20))
    assert far_over.status_code == 413
    assert far_over.json() == {
        "code": "api.too_large",
        "message": "The request body (3 MB) exceeds the 1 MB limit.",
    }
    contract = client.post(
        _url("contract-version-upload", world),
        {"file": SimpleUploadedFile("c.yaml", b"#" * (3 * 2**20 // 2))},
    )
    assert contract.status_code == 413 and "c.yaml" in contract.json()["message"]
    assert not ImportSnapshot.objects.exists()


def test_run_requests_are_checked(world: World) -> None:
    client = _client(world)
    url = _url("run-list", world)
    sha = "0" * 64
    unknown = client.post(
        url,
        {"period": "2026-10", "as_of": "2026-11-10T09:00:00+01:00", "snapshots": [sha]},
        content_type="application/json",
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "api.unknown_snapshot"
    data = (DEMO_DATA / "tickets.csv").read_bytes()
    tickets = _upload(client, world, SnapshotRole.TICKETS, "tickets.csv", data).json()["sha256"]
    naive = client.post(
        url,
        {"period": "2026-10", "as_of": "2026-11-10T09:00:00", "snapshots": [tickets]},
        content_type="application/json",
    )
    assert naive.status_code == 422 and naive.json()["code"] == "api.naive_as_of"
    bad_period = client.post(
        url,
        {"period": "2026-13", "as_of": "2026-11-10T09:00:00Z", "snapshots": [tickets]},
        content_type="application/json",
    )
    assert bad_period.status_code == 422 and bad_period.json()["code"] == "web.run.bad_period"
    missing = client.post(url, {"period": "2026-10"}, content_type="application/json")
    assert missing.status_code == 422 and missing.json()["code"] == "api.invalid_request"
    assert "snapshots" in missing.json()["message"]


def test_errors_are_json_in_the_token_users_language(world: World) -> None:
    user = world.users[Role.EXECUTIVE]
    user.language = "fr"
    user.save()
    client = _client(world, Role.EXECUTIVE)
    missing_run = client.get(_url("run-get", world, run_pk=999999))
    assert missing_run.status_code == 404
    assert missing_run.json() == {
        "code": "api.not_found",
        "message": "Introuvable, ou invisible avec ces identifiants.",
    }
    hidden = client.get(_url("contract-get", world, contract_pk=world.other_contract.pk))
    assert hidden.status_code == 404 and hidden.json()["code"] == "api.not_found"
    refused = client.get(_url("run-evidence", world, run_pk=1))
    assert refused.status_code == 403
    assert refused.json()["code"] == "api.forbidden"
    assert refused.json()["message"] == (
        "L’action evidence.export n’est pas permise au rôle Direction."
    )
    anonymous = Client().get(_url("contract-list", world))
    assert anonymous.status_code == 401


def test_a_token_reaches_only_its_organization(world: World) -> None:
    user = world.users[Role.REFERENT]
    Membership.objects.create(user=user, organization=world.other_org, role=Role.REFERENT)
    secret = issue_token(user, world.other_org, "other only")[1]
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get(_url("contract-list", world)).status_code == 404
    other = reverse("api:contract-list", kwargs={"org_slug": world.other_org.slug})
    assert [c["id"] for c in client.get(other).json()] == [world.other_contract.pk]
    unscoped = ApiToken.issue(user, "legacy")[1]
    legacy = Client(headers={"Authorization": f"Bearer {unscoped}"})
    response = legacy.get(_url("contract-list", world))
    assert response.status_code == 403 and response.json()["code"] == "api.token_unscoped"


def test_a_token_never_exceeds_its_members_role(world: World) -> None:
    executive = world.users[Role.EXECUTIVE]
    with pytest.raises(TokenError) as refused:
        issue_token(executive, world.org, "more", Role.REFERENT)
    assert refused.value.code == "api.token_exceeds_role"
    with pytest.raises(TokenError):
        issue_token(world.outsider, world.org, "stranger")
    token, secret = issue_token(world.users[Role.CONSULTANT], world.org, "read", Role.AUDITOR)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    data = (DEMO_DATA / "tickets.csv").read_bytes()
    assert _upload(client, world, SnapshotRole.TICKETS, "t.csv", data).status_code == 403
    Membership.objects.filter(user=world.users[Role.CONSULTANT]).update(role=Role.EXECUTIVE)
    evidence = client.get(_url("run-evidence", world, run_pk=1))
    assert evidence.status_code == 403, "the member's current role bounds the token"
    assert AuditLog.objects.filter(action="api_token.issued", object_id=str(token.pk)).exists()


def test_session_writes_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[Role.REFERENT])
    assert client.get(_url("contract-list", world)).status_code == 200
    data = (DEMO_DATA / "tickets.csv").read_bytes()
    response = _upload(client, world, SnapshotRole.TICKETS, "t.csv", data)
    assert response.status_code == 403 and response.json()["code"] == "api.csrf"


def test_the_openapi_document_is_public_and_lists_every_operation(world: World) -> None:
    from pilotage.web.api.gate import DECLARED

    document = Client().get(reverse("api:openapi-json")).json()
    assert document["info"]["title"] == "Pilotage API"
    operations = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert operations == {name.replace("-", "_") for name in DECLARED}
    assert document["components"]["securitySchemes"]


def test_issue_api_token_command_prints_the_secret_once(world: World) -> None:
    out = io.StringIO()
    call_command("issue_api_token", "auditor", "acme", "ci", "--role", "auditor", stdout=out)
    secret = out.getvalue().splitlines()[-1]
    assert ApiToken.find(secret) is not None
    with pytest.raises(CommandError, match="n’est pas membre"):
        call_command("issue_api_token", "outsider", "acme", "x", "--lang", "fr", stdout=out)


def test_run_status_of_a_queued_run(world: World) -> None:
    client = _client(world, Role.PROVIDER)
    data = (DEMO_DATA / "tickets.csv").read_bytes()
    snapshot = services.store_snapshot(world.contract, SnapshotRole.TICKETS, "t.csv", data, None)
    run = services.prepare_run(
        world.contract,
        [snapshot],
        DEMO_AS_OF,
        "2026-10",
        None,
    )
    status = client.get(_url("run-get", world, run_pk=run.pk)).json()
    assert status["status"] == "pending" and status["windows"] == []
    assert status["report_url"] is None
    report = client.get(_url("run-report-json", world, run_pk=run.pk))
    assert report.status_code == 409 and report.json()["code"] == "api.run_not_done"


def test_reads_run_a_bounded_number_of_queries(world: World) -> None:
    client = _client(world)
    with query_budget(8) as few:
        assert len(client.get(_url("contract-list", world)).json()) == 2
    for _ in range(5):
        contract = services.create_contract(world.org, demo_contract_text(), None)
        services.add_contract_version(contract, demo_contract_text() + "# v2\n", None)
    with query_budget(len(few.captured_queries)):
        assert len(client.get(_url("contract-list", world)).json()) == 7
    run = close_demo_month(world.contract)
    with query_budget(8):
        windows = client.get(_url("run-get", world, run_pk=run.pk)).json()["windows"]
    assert len(windows) == run.window_rows.count() > 50
    with query_budget(5):
        assert len(client.get(_url("run-list", world)).json()) == 1
    with query_budget(5):
        assert len(client.get(_url("snapshot-list", world)).json()) == 7
