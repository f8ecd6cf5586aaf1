"""The consultant's portfolio: breaches, notices, committees, scores, in bounded queries."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pilotage.contract.dates import add_months
from pilotage.contract.loader import dump_contract
from pilotage.web import forms_contract, services
from pilotage.web.choices import Role
from pilotage.web.models import Membership, WindowResultRow
from pilotage.web.queries_portfolio import READINESS_CHECKS, portfolio, readiness
from pilotage.web.views.portfolio import row_cache_key
from tests.web.builders import DEMO_AS_OF, World, close_demo_month
from tests.web.helpers import query_budget


def _ending_soon(world: World, title: str) -> None:
    """A contract of the other organization whose notice is due next month."""
    document = forms_contract.template_document("minimal")
    today = timezone.localdate()
    document["contract"]["title"] = title
    document["contract"]["term"].update(
        {"start": add_months(today, -10), "initial": "12mo", "notice": {"customer": "1mo"}}
    )
    document["governance"] = {"committees": [{"name": "Comité mensuel", "cadence": "monthly"}]}
    services.create_contract(world.other_org, dump_contract(document), world.outsider)


def test_the_portfolio_shows_breaches_notices_committees_and_scores(world: World) -> None:
    consultant = world.users[Role.CONSULTANT]
    Membership.objects.create(user=consultant, organization=world.other_org, role=Role.CONSULTANT)
    run = close_demo_month(world.contract)
    breached = set(
        WindowResultRow.objects.filter(run=run, window=run.period, status="breached").values_list(
            "level_id", flat=True
        )
    )
    assert breached
    _ending_soon(world, "Contrat qui se termine")
    client = Client()
    client.force_login(consultant)
    page = client.get(reverse("web:portfolio")).content.decode()
    for level in breached:
        assert f'<span class="chip breached">{level}</span>' in page
    assert "Contrat qui se termine" in page
    for org in (world.org, world.other_org):
        assert reverse("web:audit", args=[org.slug]) in page
        assert reverse("web:contract-new", args=[org.slug]) in page
    memberships, rows = portfolio(consultant, timezone.localdate())
    assert {m.organization_id for m in memberships} == {world.org.pk, world.other_org.pk}
    ending = next(r for r in rows if r.contract.title == "Contrat qui se termine")
    assert [d.kind for d in ending.notices] == ["notice_customer"]
    assert ending.committees and all(d.kind == "committee" for d in ending.committees)
    reference = next(r for r in rows if r.contract.pk == world.contract.pk)
    assert reference.period == "2026-10" and set(reference.breached) == breached
    assert reference.figures is not None and reference.figures.readiness == 100
    assert reference.figures.lint_score == 96
    # The latest runs are read without their report JSON, which the portfolio never shows.
    assert reference.contract.latest_run is not None
    assert "report_json" in reference.contract.latest_run.get_deferred_fields()


def test_the_portfolio_runs_a_bounded_number_of_queries(world: World) -> None:
    consultant = world.users[Role.CONSULTANT]
    Membership.objects.create(user=consultant, organization=world.other_org, role=Role.CONSULTANT)
    client = Client()
    client.force_login(consultant)
    client.get(reverse("web:portfolio"))
    with query_budget(8) as few:
        client.get(reverse("web:portfolio"))
    for number in range(5):
        _ending_soon(world, f"Contrat {number}")
    with query_budget(len(few.captured_queries)):
        page = client.get(reverse("web:portfolio")).content.decode()
    assert "Contrat 4" in page


def test_readiness_counts_the_exit_checklist() -> None:
    document = forms_contract.template_document("sme")
    assert readiness(document) == 100
    document["reversibility"]["data_export"]["format"] = "proprietary"
    document["reversibility"].pop("cost")
    assert readiness(document) == 100 - 2 * 100 // len(READINESS_CHECKS)
    assert readiness(forms_contract.template_document("minimal")) == 0


def test_each_row_is_cached_until_a_new_run_or_version_arrives(world: World) -> None:
    close_demo_month(world.contract)
    consultant = world.users[Role.CONSULTANT]
    client = Client()
    client.force_login(consultant)
    today = timezone.localdate()

    def row_key(lang: str = "fr") -> str:
        rows = portfolio(consultant, today)[1]
        return row_cache_key(
            next(r for r in rows if r.contract.pk == world.contract.pk), lang, today
        )

    def page() -> str:
        return client.get(reverse("web:portfolio")).content.decode()

    home = f'href="{reverse("web:contract-home", args=[world.org.slug, world.contract.pk])}"'
    cache.clear()
    first = page()
    assert "<tr>" in cache.get(row_key()) and home in cache.get(row_key())
    assert cache.get(row_key("en")) is None  # each language gets its own
    cache.set(row_key(), "<tr><td>marqueur de ligne</td></tr>")
    assert "marqueur de ligne" in page() and home not in page()
    # A new run of the contract (a later as-of): its row is rendered again.
    close_demo_month(world.contract, as_of=DEMO_AS_OF + dt.timedelta(hours=1))
    assert "marqueur de ligne" not in page() and home in page()
    cache.set(row_key(), "<tr><td>marqueur de ligne</td></tr>")
    assert "marqueur de ligne" in page()
    # A new version of its file: rendered again.
    text = world.contract.current_version().text
    services.add_contract_version(world.contract, text + "\n# revised\n", consultant)
    assert "marqueur de ligne" not in page()
    assert home in page() and page().count("<tr>") == first.count("<tr>")
