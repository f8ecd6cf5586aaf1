"""The referent's month in a browser: close October from the GLPI export through the wizard,
read the dashboard, open a breach's trace, download the PDF, edit a service level."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from pilotage.contract.loader import load_contract
from pilotage.web.choices import Role, RunStatus
from pilotage.web.models import Run
from tests.browser.support import Shots, sign_in
from tests.web.builders import DEMO_DATA, World, close_demo_month

GLPI = DEMO_DATA / "glpi-2026-10.csv"
EXTRAS = {
    "monitoring": "outages.csv",
    "backups": "backups.csv",
    "restore_tests": "restore_tests.csv",
    "adjustments": "adjustments.csv",
}


def _contract_url(world: World, tail: str = "") -> str:
    return f"/o/{world.org.slug}/contracts/{world.contract.pk}/{tail}"


def test_closing_october_from_the_glpi_export_updates_the_dashboard(
    page: Page, world: World, shots: Shots, tmp_path: Path
) -> None:
    close_demo_month(world.contract, "2026-09")
    sign_in(page, Role.REFERENT)
    page.goto(_contract_url(world, "dashboard/"))
    expect(page.locator("main")).to_contain_text("septembre 2026")
    shots("dashboard-september")

    page.get_by_role("link", name="Clôturer un mois").first.click()
    expect(page).to_have_url(re.compile(r"/close/$"))
    page.fill("input[name=period]", "2026-10")
    page.select_option("select[name=source]", "glpi")
    page.set_input_files("input[name=file_tickets]", str(GLPI))
    for role, name in EXTRAS.items():
        page.set_input_files(f"input[name=file_{role}]", str(DEMO_DATA / name))
    shots("upload")
    page.locator("form.wizard button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/close/preview/$"))
    expect(page.locator("input[name=timezone]")).to_have_value("Europe/Paris")
    expect(page.locator("main")).to_contain_text("303")
    shots("preview")
    page.locator("button[name=action][value=confirm]").click()

    expect(page).to_have_url(re.compile(r"/close/claims/$"))
    shots("claims")
    page.locator("button[name=action][value=skip]").click()

    expect(page).to_have_url(re.compile(r"/close/review/$"))
    shots("review")
    page.locator("form[action$='/close/launch/'] button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/runs/\d+/dashboard/$"), timeout=60_000)
    run = Run.objects.get(contract=world.contract, period="2026-10")
    assert run.status == RunStatus.DONE
    expect(page.locator("main")).to_contain_text("octobre 2026")
    shots("dashboard-october")

    trace = page.get_by_role("link", name="Trace").first
    expect(trace).to_be_visible()
    href = trace.get_attribute("href") or ""
    ticket = re.search(r"ticket=([^&]+)", href)
    assert ticket is not None, href
    trace.click()
    expect(page).to_have_url(re.compile(r"/trace/\?ticket="))
    expect(page.locator("h1")).to_contain_text(ticket.group(1))
    shots("trace")
    page.go_back()

    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name="PDF", exact=True).first.click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.suffix == ".pdf" and target.read_bytes().startswith(b"%PDF")


def test_a_service_level_is_edited_in_the_guided_editor(
    page: Page, world: World, shots: Shots
) -> None:
    sign_in(page, Role.REFERENT)
    page.goto(_contract_url(world, "edit/levels/?item=p1-resolution"))
    target = page.locator("form.editor-form input[name=target]")
    unit = page.locator("form.editor-form span.duration:has(input[name=target]) select")
    expect(target).to_have_value("4")
    expect(unit).to_have_value("h")
    shots("editor")
    target.fill("5")
    page.locator("form.editor-form button.primary[type=submit]").last.click()
    expect(page.locator("body")).to_contain_text("Version 2 enregistrée")
    shots("saved")
    version = world.contract.current_version()
    assert version is not None and version.number == 2 and version.source == "edit"
    terms = load_contract(version.text).versions[0].terms
    level = next(lv for lv in terms.service_levels if lv.id == "p1-resolution")
    assert level.target.seconds() == 5 * 3600
