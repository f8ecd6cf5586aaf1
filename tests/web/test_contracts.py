"""Contracts: upload, versions with diffs, deadlines and their .ics file, signed documents."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from pilotage.contract.dates import contract_deadlines
from pilotage.contract.loader import read_document
from pilotage.web.choices import Role
from pilotage.web.models import AuditLog, Contract, SignedDocument
from tests.web.builders import World, demo_contract_text


def _client(world: World, role: str = Role.REFERENT) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _url(name: str, contract: Contract, *args: object) -> str:
    return reverse(name, args=[contract.organization.slug, contract.pk, *args])


def test_an_existing_file_is_uploaded_as_a_new_contract(world: World) -> None:
    client = _client(world)
    upload = SimpleUploadedFile("contract.yaml", demo_contract_text().encode())
    response = client.post(reverse("web:contract-new", args=[world.org.slug]), {"file": upload})
    assert response.status_code == 302
    contract = Contract.objects.filter(organization=world.org).latest("pk")
    version = contract.current_version()
    assert version is not None and version.source == "upload"
    assert version.text == demo_contract_text()


def test_an_invalid_upload_lists_the_loader_errors_with_their_lines(world: World) -> None:
    client = _client(world)
    text = demo_contract_text().replace("objective: 95%", "objective: 195 pour cent", 1)
    upload = SimpleUploadedFile("broken.yaml", text.encode())
    response = client.post(_url("web:contract-upload", world.contract), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "broken.yaml" in page and "195 pour cent" in page
    line = text.splitlines().index(next(x for x in text.splitlines() if "195 pour cent" in x)) + 1
    assert f"contract.yaml:{line}:" in page
    assert world.contract.versions.count() == 1


def test_a_new_version_from_a_file_and_its_diff(world: World) -> None:
    client = _client(world)
    text = demo_contract_text().replace("monthly_fee: 4800", "monthly_fee: 4950")
    upload = SimpleUploadedFile("v2.yaml", text.encode())
    assert (
        client.post(_url("web:contract-upload", world.contract), {"file": upload}).status_code
        == 302
    )
    assert world.contract.versions.count() == 2
    page = client.get(_url("web:contract-versions", world.contract) + "?diff=2").content.decode()
    assert '<span class="d-del">-    monthly_fee: 4800</span>' in page
    assert '<span class="d-add">+    monthly_fee: 4950</span>' in page
    assert "avenant-1" in page  # the amendments in force, with the terms they change
    assert AuditLog.objects.filter(action="contract.version_added").count() == 1


def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.split("\r\n"):
        if raw.startswith(" ") and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def test_the_deadlines_page_and_its_ics_file(world: World) -> None:
    client = _client(world, Role.EXECUTIVE)
    page = client.get(_url("web:contract-calendar", world.contract))
    assert page.status_code == 200
    response = client.get(_url("web:contract-ics", world.contract))
    assert response["Content-Type"].startswith("text/calendar")
    lines = _unfold(response.content.decode("utf-8"))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert all(len(raw.encode()) <= 75 for raw in response.content.decode().split("\r\n"))
    starts = sorted(x.split(":", 1)[1] for x in lines if x.startswith("DTSTART"))
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == len(starts) > 0
    document = read_document(demo_contract_text())
    document.pop("amendments")
    from django.utils import timezone

    expected = contract_deadlines(document, timezone.localdate())
    assert starts == sorted(d.day.strftime("%Y%m%d") for d in expected)
    notice = next(d for d in expected if d.kind == "notice_customer")
    assert notice.day == dt.date(2028, 9, 30)
    assert "20280930" in starts


def _docx(pages: list[str]) -> bytes:
    docx = pytest.importorskip("docx")
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for number, text in enumerate(pages):
        paragraph = document.add_paragraph(text)
        if number < len(pages) - 1:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_signed_document_is_attached_and_scanned(world: World) -> None:
    client = _client(world, Role.CONSULTANT)
    data = _docx(
        [
            "Contrat d'infogérance. Le prestataire assure la réversibilité et les pénalités.",
            "Article 7. Le prestataire rétablit le service dans les meilleurs délais.",
        ]
    )
    upload = SimpleUploadedFile("contrat-signe.docx", data)
    response = client.post(_url("web:contract-document-upload", world.contract), {"file": upload})
    assert response.status_code == 302
    document = SignedDocument.objects.get(contract=world.contract)
    assert document.size == len(data) and bytes(document.content) == data
    vague = [f for f in document.findings if f["code"] == "lint.DOC.vague"]
    assert vague and vague[0]["page"] == 2 and "meilleurs délais" in vague[0]["excerpt"]
    missing = {f["code"] for f in document.findings if f["code"].startswith("lint.DOC.missing_")}
    assert "lint.DOC.missing_audit" in missing
    assert "lint.DOC.missing_reversibility" not in missing
    page = _client(world, Role.PROVIDER).get(_url("web:contract-documents", world.contract))
    html = page.content.decode()
    assert "contrat-signe.docx" in html and "meilleurs délais" in html
    download = client.get(_url("web:contract-document", world.contract, document.pk))
    assert download.content == data
    assert AuditLog.objects.filter(action="document.attached").exists()


@override_settings(MAX_UPLOAD_MB=1)
def test_documents_are_refused_over_the_size_limit_or_of_another_type(world: World) -> None:
    client = _client(world)
    url = _url("web:contract-document-upload", world.contract)
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (1024 * 1024 + 10))
    client.post(url, {"file": big})
    text = SimpleUploadedFile("notes.txt", b"hello")
    client.post(url, {"file": text})
    assert not SignedDocument.objects.exists()
    page = client.get(_url("web:contract-documents", world.contract)).content.decode()
    assert "notes.txt" in page


def test_providers_cannot_upload_contract_files_or_documents(world: World) -> None:
    client = _client(world, Role.PROVIDER)
    upload = SimpleUploadedFile("v2.yaml", demo_contract_text().encode())
    assert (
        client.post(_url("web:contract-upload", world.contract), {"file": upload}).status_code
        == 403
    )
    doc = SimpleUploadedFile("c.docx", b"x")
    url = _url("web:contract-document-upload", world.contract)
    assert client.post(url, {"file": doc}).status_code == 403
    new = client.post(reverse("web:contract-new", args=[world.org.slug]), {"template": "sme"})
    assert new.status_code == 403
