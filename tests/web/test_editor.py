"""The guided editor: the reference contract from the SME template, edits, errors, findings."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse

from pilotage.contract.loader import load_contract, read_document
from pilotage.contract.units import parse_duration
from pilotage.web import forms_contract as forms
from pilotage.web.choices import Role
from pilotage.web.models import AuditLog, Contract, ContractVersion
from tests.web.builders import World

REFERENCE = Path(__file__).resolve().parents[2] / "pilotage" / "contract" / "examples"


class _Form(HTMLParser):
    """The fields of the page's ``form.editor-form`` as a browser would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "editor-form" in a.get("class", ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") != "checkbox":
            self.data[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
            self.data.setdefault(a["name"], "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data[a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data


def page_form(client: Client, url: str) -> dict[str, str]:
    """GET ``url`` and return its editor form's values."""
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    parser = _Form()
    parser.feed(response.content.decode())
    assert parser.data, "no editor form on the page"
    return parser.data


def _client(world: World, role: str = Role.REFERENT) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _edit_url(contract: Contract, section: str, item: str | None = None) -> str:
    url = reverse("web:contract-edit", args=[contract.organization.slug, contract.pk, section])
    return f"{url}?item={item}" if item else url


def _amend_url(contract: Contract, section: str, query: str = "") -> str:
    url = reverse("web:contract-amend", args=[contract.organization.slug, contract.pk, section])
    return f"{url}?{query}" if query else url


def _current(contract: Contract) -> dict[str, Any]:
    version = contract.current_version()
    assert version is not None
    return read_document(version.text)


def _create_from_sme(world: World) -> tuple[Client, Contract]:
    client = _client(world)
    response = client.post(
        reverse("web:contract-new", args=[world.org.slug]),
        {
            "template": "sme",
            "id": "martin-nordinfo",
            "title": "Infogérance du système d'information",
        },
    )
    assert response.status_code == 302
    contract = Contract.objects.filter(organization=world.org).latest("pk")
    assert contract.reference == "martin-nordinfo"
    assert response["Location"] == _edit_url(contract, "parties")
    return client, contract


def test_the_reference_contract_is_made_from_the_sme_template_and_the_forms(world: World) -> None:
    client, contract = _create_from_sme(world)
    reference = read_document(REFERENCE / "reference.yaml")
    without_amendments = {k: v for k, v in reference.items() if k != "amendments"}
    assert _current(contract) == without_amendments

    header = {
        "amendment_id": "avenant-1",
        "amendment_signed_on": "2026-06-20",
        "amendment_effective": "2026-07-01",
        "amendment_summary": reference["amendments"][0]["summary"],
    }
    data = page_form(client, _amend_url(contract, "price"))
    data.update(header, **{"contract.price.monthly_fee": "5100", "action": "preview"})
    preview = client.post(_amend_url(contract, "price"), data)
    assert preview.status_code == 200
    assert "5100" in preview.content.decode() and "d-add" in preview.content.decode()
    assert contract.versions.count() == 1  # a preview saves nothing
    data["action"] = "save"
    assert client.post(_amend_url(contract, "price"), data).status_code == 302

    url = _amend_url(contract, "levels", "item=p1-resolution&amendment=avenant-1")
    data = page_form(client, url)
    assert data["amendment_id"] == "avenant-1"
    assert data["amendment_effective"] == "2026-07-01"
    data.update({"target": "3h", "action": "save"})
    assert client.post(url, data).status_code == 302

    assert _current(contract) == reference
    assert contract.versions.count() == 3
    assert set(contract.versions.values_list("source", flat=True)) == {"edit", "amendment"}
    page = client.get(_edit_url(contract, "levels", "p1-resolution")).content.decode()
    target = _field_block(page, "target")
    assert 'class="amended"' in target and "avenant-1" in target and "3h" in target


def test_changing_a_level_target_saves_a_new_version(world: World) -> None:
    client, contract = _create_from_sme(world)
    url = _edit_url(contract, "levels", "p1-response")
    data = page_form(client, url)
    assert (data["target"], data["target__unit"]) == ("30", "min")
    before = contract.current_version()
    assert before is not None
    data["target"] = "45"
    response = client.post(url, data)
    assert response.status_code == 302
    after = contract.current_version()
    assert after is not None and after.number == before.number + 1
    assert after.source == "edit"
    assert ContractVersion.objects.filter(pk=before.pk, text=before.text).exists()
    loaded = load_contract(after.text)
    level = next(lv for lv in loaded.versions[0].terms.service_levels if lv.id == "p1-response")
    assert level.target == parse_duration("45min")
    untouched = {k: v for k, v in read_document(before.text).items() if k != "service_levels"}
    assert {k: v for k, v in read_document(after.text).items() if k != "service_levels"} == (
        untouched
    )


def test_every_section_saves_unchanged_when_nothing_is_changed(world: World) -> None:
    client, contract = _create_from_sme(world)
    for name, section in forms.SECTIONS.items():
        items = forms.item_ids(_current(contract), section) if section.items else [None]
        for item in items:
            url = _edit_url(contract, name, item)
            response = client.post(url, page_form(client, url))
            assert response.status_code == 302, (name, item, response.content[:2000])
    assert contract.versions.count() == 1


def _field_block(html: str, name: str) -> str:
    start = html.index(f'id="f-{name}"')
    end = html.find('<div class="field', start)
    return html[start : end if end > 0 else None]


def test_loader_errors_are_shown_beside_their_field(world: World) -> None:
    client, contract = _create_from_sme(world)
    url = _edit_url(contract, "levels", "p1-response")
    data = page_form(client, url)
    data.update({"target": "quatre heures", "calendar": "", "objective": "95%"})
    world.users[Role.REFERENT].language = "fr"
    world.users[Role.REFERENT].save()
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    target = _field_block(html, "target")
    assert "field-error" in target and "quatre heures" in target
    assert "field-error" not in _field_block(html, "objective")
    assert "Le contrat ne se charge pas" in html
    assert contract.versions.count() == 1


def test_lint_findings_and_recommended_clauses_are_shown_beside_fields(world: World) -> None:
    client, contract = _create_from_sme(world)
    html = client.get(_edit_url(contract, "levels", "requests")).content.decode()
    assert "SLA-011" in html
    assert "finding warning" in html
    assert re.search(r'class="clause"', html)
    services = client.get(_edit_url(contract, "services")).content.decode()
    assert "SLA-017" in services
    terms = client.get(reverse("web:contract-terms", args=[world.org.slug, contract.pk]))
    assert "SLA-011" in terms.content.decode() and "PRC-004" in terms.content.decode()


def test_a_new_service_level_and_a_calendar_are_added_through_the_forms(world: World) -> None:
    client, contract = _create_from_sme(world)
    url = _edit_url(contract, "calendars", forms.NEW_ITEM)
    data = page_form(client, url)
    data.update(
        {
            "name": "extended",
            "timezone": "Europe/Paris",
            "hours.mon": "07:00-12:00, 13:00-20:00",
            "hours.tue": "07:00-12:00, 13:00-20:00",
            "hours.sat": "08:00-12:00",
            "holidays.country": "FR",
            "holidays.subdiv": "57",
        }
    )
    assert client.post(url, data).status_code == 302
    calendar = _current(contract)["calendars"]["extended"]
    assert calendar["hours"] == {
        "mon-tue": ["07:00-12:00", "13:00-20:00"],
        "sat": ["08:00-12:00"],
    }
    url = _edit_url(contract, "levels", forms.NEW_ITEM)
    data = page_form(client, url)
    data.update(
        {
            "id": "p3-resolution",
            "name": "Rétablissement P3",
            "metric": "resolution_time",
            "applies_to.kind": "incident",
            "applies_to.priority": "P3",
            "clock.start": "created",
            "clock.stop": "resolved",
            "target": "2d",
            "calendar": "extended",
            "objective": "90%",
            "window": "month",
            "penalty.bands-count": "2",
            "penalty.bands-0-below": "90%",
            "penalty.bands-0-penalty": "2%",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:3000]
    level = _current(contract)["service_levels"][-1]
    assert level["id"] == "p3-resolution" and level["calendar"] == "extended"
    assert level["penalty"] == {"bands": [{"below": "90%", "penalty": "2%"}]}


def test_providers_and_auditors_cannot_edit(world: World) -> None:
    for role in (Role.PROVIDER, Role.AUDITOR, Role.EXECUTIVE):
        client = _client(world, role)
        url = _edit_url(world.contract, "levels", "p1-response")
        assert client.get(url).status_code == 403
        assert client.post(url, {"target": "8h"}).status_code == 403
        amend = _amend_url(world.contract, "price")
        assert client.post(amend, {"amendment_id": "x"}).status_code == 403
    assert world.contract.versions.count() == 1


def test_an_amendment_adds_a_service_level_and_needs_its_dates(world: World) -> None:
    client, contract = _create_from_sme(world)
    url = _amend_url(contract, "levels", f"item={forms.NEW_ITEM}")
    data = page_form(client, url)
    data.update(
        {
            "id": "p2-response",
            "name": "Prise en charge P2",
            "metric": "response_time",
            "applies_to.priority": "P2",
            "clock.start": "created",
            "clock.stop": "first_response",
            "target": "2",
            "target__unit": "h",
            "calendar": "business",
            "objective": "90%",
            "window": "month",
            "action": "save",
        }
    )
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "identifiant et une date" in refused.content.decode()
    data.update({"amendment_id": "avenant-2", "amendment_effective": "2027-01-01"})
    assert client.post(url, data).status_code == 302
    amendment = _current(contract)["amendments"][-1]
    assert amendment["id"] == "avenant-2" and "set" not in amendment
    (added,) = amendment["add"]["service_levels"]
    assert added["id"] == "p2-response" and added["target"] == "2h"
    versions = load_contract(_current_text(contract)).versions
    assert [lv.id for lv in versions[-1].terms.service_levels][-1] == "p2-response"


def _current_text(contract: Contract) -> str:
    version = contract.current_version()
    assert version is not None
    return version.text


def _epoch(day: str) -> int:
    return int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp())


def test_a_level_a_calendar_and_a_service_are_deleted_unless_referred_to(world: World) -> None:
    client, contract = _create_from_sme(world)
    versions = contract.versions.count()
    refused = client.post(_edit_url(contract, "calendars"), {"delete": "always"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "ne peut pas être supprimé" in page
    assert "service_levels.mail-availability.calendar" in page
    refused = client.post(_edit_url(contract, "services"), {"delete": "messagerie"})
    assert refused.status_code == 400
    assert "service_levels.mail-availability.applies_to.service" in refused.content.decode()
    asked = client.post(_edit_url(contract, "levels"), {"delete": "mail-availability"})
    assert asked.status_code == 200 and 'name="confirm"' in asked.content.decode()
    assert contract.versions.count() == versions
    audited = AuditLog.objects.filter(action="contract.version_added").count()
    for section, ident in (
        ("levels", "mail-availability"),
        ("services", "messagerie"),
        ("calendars", "always"),
    ):
        response = client.post(_edit_url(contract, section), {"delete": ident, "confirm": "1"})
        assert response.status_code == 302, response.content[:500]
    assert contract.versions.count() == versions + 3
    assert AuditLog.objects.filter(action="contract.version_added").count() == audited + 3
    terms = load_contract(_current_text(contract)).versions[-1].terms
    assert "mail-availability" not in [level.id for level in terms.service_levels]
    document = _current(contract)
    assert "messagerie" not in document["services"] and "always" not in document["calendars"]
    assert client.post(_edit_url(contract, "levels"), {"delete": "nope"}).status_code == 404


def test_an_amendment_removes_a_service_level_from_its_effective_date(world: World) -> None:
    client, contract = _create_from_sme(world)
    url = _amend_url(contract, "levels", "item=requests")
    data = page_form(client, url)
    data.update(
        {"delete": "requests", "amendment_id": "avenant-2", "amendment_effective": "2027-01-01"}
    )
    preview = client.post(url, data)
    assert preview.status_code == 200, preview.content[:800]
    page = preview.content.decode()
    assert "retire « requests »" in page and "id: requests" in page
    data["action"] = "save"
    assert client.post(url, data).status_code == 302
    amendment = _current(contract)["amendments"][-1]
    assert amendment["remove"] == {"service_levels": ["requests"]} and "set" not in amendment
    loaded = load_contract(_current_text(contract))
    before = [lv.id for lv in loaded.at(_epoch("2026-12-30")).terms.service_levels]
    after = [lv.id for lv in loaded.at(_epoch("2027-01-02")).terms.service_levels]
    assert "requests" in before and "requests" not in after
    assert set(before) - set(after) == {"requests"}
