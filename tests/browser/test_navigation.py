"""Signing in and finding one's way: the organization, its contracts, the scoping."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from pilotage.web.choices import Role
from tests.browser.support import Shots, sign_in
from tests.web.builders import World


def test_signing_in_shows_the_organization_and_its_contracts(
    page: Page, world: World, shots: Shots
) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
    shots("login")
    sign_in(page, Role.REFERENT)
    expect(page).to_have_url(re.compile(rf"/o/{world.org.slug}/$"))
    expect(page.locator("h1")).to_contain_text("Acme")
    expect(page.get_by_text("Hidden from the provider")).to_be_visible()
    shots("organization")
    page.get_by_role("link", name=world.contract.title).first.click()
    expect(page).to_have_url(re.compile(rf"/contracts/{world.contract.pk}/"))
    shots("contract")


def test_a_wrong_password_is_refused(page: Page, world: World, shots: Shots) -> None:
    sign_in(page, Role.REFERENT, "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("incorrect")
    expect(page).to_have_url(re.compile(r"/login/"))
    shots("refused")


def test_a_provider_sees_only_the_contracts_it_is_attached_to(
    page: Page, world: World, shots: Shots
) -> None:
    sign_in(page, Role.PROVIDER)
    expect(page.locator("h1")).to_contain_text("Acme")
    expect(page.get_by_text("Hidden from the provider")).to_have_count(0)
    shots("provider")
    response = page.goto(f"/o/{world.org.slug}/contracts/{world.hidden_contract.pk}/")
    assert response is not None and response.status == 404
    response = page.goto(f"/o/{world.other_org.slug}/")
    assert response is not None and response.status == 404
