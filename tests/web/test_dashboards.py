"""Dashboards: what a closed month shows, from the stored run only, in bounded queries."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotage.web.choices import Role
from pilotage.web.models import Run, User
from pilotage.web.queries_dashboard import (
    find_breach,
    headroom,
    history_months,
    month_dashboard,
    month_label,
    previous_months,
)
from pilotage.web.views.dashboards import cache_key, duration
from tests.web.builders import World, close_demo_month, pending_run
from tests.web.helpers import query_budget


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(world: World, name: str, *extra: object) -> str:
    return reverse(f"web:{name}", args=[world.org.slug, world.contract.pk, *extra])


def _report(run: Run) -> dict[str, object]:
    data: dict[str, object] = json.loads(run.report_json)
    return data


def test_headroom_from_objective_and_tolerance() -> None:
    level = {"id": "p1", "name": "P1", "eligible": 40, "breached": 1, "objective": "0.95"}
    # 40 tickets at 95 %: 2 breaches tolerated, 1 used.
    assert headroom({**level, "allowed_breaches": None}).remaining == 1
    assert headroom({**level, "allowed_breaches": None}).state == "tight"
    assert headroom({**level, "breached": 2, "allowed_breaches": None}).state == "last"
    assert headroom({**level, "breached": 3, "allowed_breaches": None}).state == "lost"
    # A tolerance of 4 breaches whatever the ratio wins over the ratio.
    assert headroom({**level, "eligible": 5, "allowed_breaches": 4}).remaining == 3
    assert headroom({**level, "objective": None, "allowed_breaches": None}).remaining is None


def test_months_and_labels() -> None:
    assert previous_months("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]
    assert month_label("2026-10", "fr") == "octobre 2026"
    assert month_label("2026-10", "en") == "October 2026"
    assert duration(3 * 3600 + 5 * 60) == "3 h 05 min"
    assert duration(-45 * 60) == "-45 min"


def test_the_history_starts_at_the_term_start() -> None:
    windows = ["2026-01", "2026-02", "2026-03"]
    assert history_months("2026-03", windows) == windows
    assert history_months("2026-03", ["2026-02", "2026-03"]) == ["2026-02", "2026-03"]
    # A contract older than a year shows twelve months; so does a run without rows.
    older = previous_months("2026-10", 14)
    assert history_months("2026-10", older) == previous_months("2026-10")
    assert history_months("2026-10", []) == previous_months("2026-10")


def test_month_dashboard_reads_the_stored_run(world: World) -> None:
    run = close_demo_month(world.contract)
    with query_budget(2):
        board = month_dashboard(run)
    report = _report(run)
    levels = report["service_levels"]
    assert isinstance(levels, list)
    assert [r.level_id for r in board.rows] == [level["id"] for level in levels]
    # At most twelve months, none before the term start (2026-01-01): no empty bars for
    # November and December 2025.
    assert board.months == [f"2026-{m:02d}" for m in range(1, 11)]
    p1 = next(t for t in board.trends if t.level_id == "p1-resolution")
    assert [p.window for p in p1.points] == board.months
    # Headroom of the ticket levels only; p1-resolution tolerates one breach and has two.
    by_id = {h.level_id: h for h in board.headroom}
    assert set(by_id) == {"p1-response", "p1-resolution", "p2-resolution", "requests"}
    assert by_id["p1-resolution"].allowed_breaches == 1
    assert by_id["p1-resolution"].state == "lost"
    # The year's penalties per month add up to the report's year to date.
    summary = report["summary"]
    assert isinstance(summary, dict)
    assert board.penalties_year_to_date == Decimal(summary["due_year_to_date"])
    assert board.periods == [("2026-10", run.pk)]


def test_dashboard_page_content_and_query_budget(world: World) -> None:
    run = close_demo_month(world.contract)
    client = _client(world.users[Role.EXECUTIVE])
    client.get(_url(world, "dashboard"))  # sessions and caches warmed
    with query_budget(12):
        response = client.get(_url(world, "dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Octobre 2026" in page
    assert "5 / 6" in page  # levels met
    assert "255,00" in page  # due this month
    assert "073,42" in page  # due since January (1 073,42 €)
    assert "Perdu pour ce mois" in page  # p1-resolution
    assert page.count('<svg class="trend"') == 6
    assert "<title>2026-01" in page and "2025-12" not in page  # no bar before the term
    # Breaches with a link to their trace, availability, the statement, the provider's figures.
    report = _report(run)
    breaches = report["breaches"]
    assert isinstance(breaches, list) and breaches
    first = breaches[0]
    assert first["ticket_id"] in page
    assert "Disponibilité" in page and "Maintenance" in page
    assert "par point sous l’objectif" in page
    assert "Le prestataire annonce" in page and "Pilotage calcule" in page
    assert "À réclamer au plus tard le 31/12/2026" in page
    # Closing a month is offered to the steering roles only; providers may upload an export.
    start = reverse("web:closing-start", args=[world.org.slug, world.contract.pk])
    assert start not in page
    provider_page = _client(world.users[Role.PROVIDER]).get(_url(world, "dashboard"))
    assert start in provider_page.content.decode()
    assert "Déposer un export" in provider_page.content.decode()


def test_dashboard_of_a_month_in_progress_or_absent(world: World) -> None:
    client = _client(world.users[Role.REFERENT])
    page = client.get(_url(world, "dashboard")).content.decode()
    assert "Aucun mois n’a encore été clôturé" in page
    run = pending_run(world.contract)
    page = client.get(_url(world, "run-dashboard", run.pk)).content.decode()
    assert "n’est pas terminé" in page and 'hx-trigger="every 2s"' in page


def test_trace_drill_down(world: World) -> None:
    run = close_demo_month(world.contract)
    breach = _report(run)["breaches"][0]  # type: ignore[index]
    client = _client(world.users[Role.PROVIDER])
    query = urlencode({"ticket": breach["ticket_id"], "level": breach["level_id"]})
    with query_budget(10):
        response = client.get(_url(world, "ticket-trace", run.pk) + "?" + query)
    page = response.content.decode()
    assert response.status_code == 200
    assert breach["ticket_id"] in page
    assert page.count('<tr class="seg-row') == len(breach["segments"])
    assert duration(breach["elapsed_seconds"]) in page
    assert duration(breach["target_seconds"]) in page
    missing = client.get(_url(world, "ticket-trace", run.pk) + "?ticket=nope&level=p1-response")
    assert "ne figure pas parmi les dépassements" in missing.content.decode()


def _timeline_widths(page: str) -> list[float]:
    timeline = page[page.index('<div class="timeline"') :]
    timeline = timeline[: timeline.index("</div>")]
    return [float(w) for w in re.findall(r'style="width: ([0-9.]+)%"', timeline)]


def test_a_ticket_still_open_is_drawn_up_to_the_as_of(world: World) -> None:
    run = close_demo_month(world.contract)
    client = _client(world.users[Role.REFERENT])  # French: widths keep a decimal point
    url = _url(world, "ticket-trace", run.pk) + "?ticket=16406&level=requests"
    breach = find_breach(_report(run), "16406", "requests")
    assert breach is not None and breach["stopped_at"] is None
    widths = _timeline_widths(client.get(url).content.decode())
    assert len(widths) == len(breach["segments"]) == 2
    assert widths[-1] > 99 and abs(sum(widths) - 100) < 0.05
    # A segment stored without an end runs up to the run's as-of.
    report = _report(run)
    for item in report["breaches"]:  # type: ignore[attr-defined]
        if item["ticket_id"] == "16406" and item["level_id"] == "requests":
            item["segments"][-1]["end"] = None
    Run.objects.filter(pk=run.pk).update(report_json=json.dumps(report))
    assert _timeline_widths(client.get(url).content.decode()) == widths


def test_another_organizations_run_is_not_found(world: World) -> None:
    other_run = close_demo_month(world.other_contract)
    client = _client(world.users[Role.REFERENT])
    assert client.get(_url(world, "run-dashboard", other_run.pk)).status_code == 404
    assert client.get(_url(world, "ticket-trace", other_run.pk)).status_code == 404


def _get(client: Client, url: str) -> tuple[str, int]:
    """A page's text and the SQL queries it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured.captured_queries)


def test_a_second_request_is_served_from_the_cache(world: World) -> None:
    run = close_demo_month(world.contract)
    client = _client(world.users[Role.EXECUTIVE])
    client.get(_url(world, "dashboard"))  # sessions warmed
    cache.clear()
    key = cache_key(run, "fr", Role.EXECUTIVE)
    assert cache.get(key) is None
    first, missed = _get(client, _url(world, "dashboard"))
    shown = cache.get(key)
    assert shown is not None and shown["period_label"] == "octobre 2026"
    assert '<svg class="trend"' in shown["body"]  # the sections' HTML, rendered once
    second, hit = _get(client, _url(world, "dashboard"))
    assert hit < missed  # the run's rows are not read again
    assert "Octobre 2026" in second and "5 / 6" in second and "073,42" in second
    assert second.count('<svg class="trend"') == first.count('<svg class="trend"') == 6
    # The sections come from the cached HTML; the header and its month picker are live.
    cache.set(key, {**shown, "body": "<p>marqueur du fragment</p>"})
    page = client.get(_url(world, "dashboard")).content.decode()
    assert "<p>marqueur du fragment</p>" in page and '<svg class="trend"' not in page
    assert 'id="month"' in page and "Octobre 2026" in page


def test_a_new_run_is_not_served_stale(world: World) -> None:
    old = close_demo_month(world.contract)
    client = _client(world.users[Role.REFERENT])
    client.get(_url(world, "dashboard"))
    key = cache_key(old, "fr", Role.REFERENT)
    cache.set(key, {**cache.get(key), "body": "<p>ancien fragment</p>"})
    assert "ancien fragment" in client.get(_url(world, "dashboard")).content.decode()
    new = close_demo_month(world.contract, "2026-09")
    world.contract.refresh_from_db()
    assert new.pk != old.pk
    page = client.get(_url(world, "run-dashboard", new.pk)).content.decode()
    assert "ancien fragment" not in page and "Septembre 2026" in page
    assert page.count('<svg class="trend"') == 6
    assert cache.get(cache_key(new, "fr", Role.REFERENT)) is not None
    # The month picker is read on every request: the old month's page lists the new month.
    page = client.get(_url(world, "run-dashboard", old.pk)).content.decode()
    assert _url(world, "run-dashboard", new.pk) in page


def test_each_language_and_role_gets_its_own_rendering(world: World) -> None:
    run = close_demo_month(world.contract)
    cache.clear()
    executive = world.users[Role.EXECUTIVE]
    french = _client(executive).get(_url(world, "dashboard")).content.decode()
    executive.language = "en"
    executive.save(update_fields=["language"])
    english = _client(executive).get(_url(world, "dashboard")).content.decode()
    assert "Octobre 2026" in french and "October 2026" in english
    assert "Octobre 2026" not in english
    # The cached sections are in each language too.
    assert "<h2>Disponibilité</h2>" in french and "<h2>Availability</h2>" in english
    assert "<h2>Disponibilité</h2>" not in english
    assert cache.get(cache_key(run, "fr", Role.EXECUTIVE)) is not None
    assert cache.get(cache_key(run, "en", Role.EXECUTIVE)) is not None
    assert cache.get(cache_key(run, "fr", Role.PROVIDER)) is None
    cache.set(
        cache_key(run, "fr", Role.EXECUTIVE),
        {**cache.get(cache_key(run, "fr", Role.EXECUTIVE)), "body": "<p>fragment direction</p>"},
    )
    provider = _client(world.users[Role.PROVIDER]).get(_url(world, "dashboard"))
    assert "Déposer un export" in provider.content.decode()
    assert "fragment direction" not in provider.content.decode()
    assert cache.get(cache_key(run, "fr", Role.PROVIDER)) is not None
    assert len({cache_key(run, lang, role) for lang in ("fr", "en") for role in Role}) == 2 * len(
        Role
    )
