"""Pages: language per user, locale formats, home and portfolio within query budgets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pilotage import i18n
from pilotage.web import services
from pilotage.web.choices import Role
from pilotage.web.models import AuditLog, Membership, User, WindowResultRow
from tests.web.builders import World, close_demo_month, demo_contract_text
from tests.web.helpers import query_budget


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_template_tag_and_filters_follow_the_active_language() -> None:
    template = Template(
        '{% t "web.login.title" %}|{{ code|t }}|{{ role|t:"role" }}|{{ amount|money }}|'
        "{{ ratio|percent }}|{{ day|day }}"
    )
    context = Context(
        {
            "code": "web.nav.portfolio",
            "role": "provider",
            "amount": Decimal("1234.5"),
            "ratio": Decimal("0.953"),
            "day": dt.date(2026, 10, 31),
        }
    )
    for lang, texts in (
        ("fr", "Connexion|Portefeuille|Prestataire"),
        ("en", "Sign in|Portfolio|Provider"),
    ):
        formats = (
            i18n.fmt_money(Decimal("1234.5"), lang),
            i18n.fmt_percent(Decimal("0.953"), lang),
            i18n.fmt_date(dt.date(2026, 10, 31), lang),
        )
        with translation.override(lang):
            assert template.render(context) == "|".join((texts, *formats))


def test_pages_are_in_the_user_language(world: World) -> None:
    user = world.users[Role.EXECUTIVE]
    url = reverse("web:org-home", args=[world.org.slug])
    assert "Contrats" in _client(user).get(url).content.decode()
    user.language = "en"
    user.save()
    page = _client(user).get(url)
    assert page["Content-Language"] == "en"
    assert "Contracts" in page.content.decode()


def test_the_language_switch_is_kept_on_the_user(world: World) -> None:
    user = world.users[Role.AUDITOR]
    client = _client(user)
    client.post(reverse("web:set-language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    entry = AuditLog.objects.get(action="user.language_changed")
    assert entry.before == {"language": "fr"} and entry.after == {"language": "en"}


def test_org_home_shows_the_latest_run_within_a_fixed_query_budget(world: World) -> None:
    run = close_demo_month(world.contract)
    client = _client(world.users[Role.REFERENT])
    url = reverse("web:org-home", args=[world.org.slug])
    client.get(url)
    with query_budget(8):
        page = client.get(url).content.decode()
    month = WindowResultRow.objects.filter(run=run, window="2026-10")
    breached = month.filter(status="breached").count()
    assert f'<span class="pill breached">{breached}</span>' in page
    for _ in range(5):
        services.create_contract(world.org, demo_contract_text(), None)
    with query_budget(8):
        client.get(url)


def test_contract_page_lists_the_latest_windows(world: World) -> None:
    close_demo_month(world.contract)
    client = _client(world.users[Role.AUDITOR])
    url = reverse("web:contract-home", args=[world.org.slug, world.contract.pk])
    with query_budget(10):
        page = client.get(url).content.decode()
    assert "2026-10" in page and "définitif" in page


def test_portfolio_spans_the_consultant_organizations(world: World) -> None:
    consultant = world.users[Role.CONSULTANT]
    Membership.objects.create(user=consultant, organization=world.other_org, role=Role.CONSULTANT)
    client = _client(consultant)
    with query_budget(10):
        page = client.get(reverse("web:portfolio")).content.decode()
    for contract in (world.contract, world.hidden_contract, world.other_contract):
        assert reverse("web:contract-home", args=[contract.organization.slug, contract.pk]) in page
    provider_page = _client(world.users[Role.PROVIDER]).get(reverse("web:portfolio"))
    text = provider_page.content.decode()
    assert reverse("web:contract-home", args=[world.org.slug, world.contract.pk]) in text
    assert reverse("web:contract-home", args=[world.org.slug, world.hidden_contract.pk]) not in text


def test_home_sends_a_single_organization_member_to_it(world: World) -> None:
    response = _client(world.users[Role.EXECUTIVE]).get(reverse("web:home"))
    assert response["Location"] == reverse("web:org-home", args=[world.org.slug])
