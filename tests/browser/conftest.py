"""Browser tests: Playwright driving Debian's Chromium against a live server.

The browser is the system's ``/usr/bin/chromium`` (package ``chromium``), never a
downloaded one; without it (or without the ``playwright`` package) every test
here is skipped with the reason.  The server is pytest-django's ``live_server``
(a thread of this process on the test database), so each test builds its own
world.  Screenshots go to ``$PILOTAGE_SCREENSHOTS`` (default: a ``pilotage-browser``
folder in the system's temporary directory), one file per test step.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import Shots
from tests.web.builders import World, build_world

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None

MISSING = (
    "playwright is not installed (pip install -e '.[dev]')"
    if sync_playwright is None
    else f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if not CHROMIUM.exists()
    else None
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip every browser test, saying why, when the browser cannot run."""
    if MISSING is None:
        return
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {MISSING}"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """A headless Chromium for the whole session.

    Playwright's synchronous API keeps an event loop in the test's thread, which makes
    Django refuse database access from that thread while the browser runs; the tests
    only build and read their data there, so the check is lifted meanwhile.
    """
    assert sync_playwright is not None
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where the screenshots of this run go (a test replaces its own earlier ones)."""
    folder = Path(
        os.environ.get("PILOTAGE_SCREENSHOTS") or Path(tempfile.gettempdir()) / "pilotage-browser"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A fresh browser context on the live server (French, Paris time)."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def world(transactional_db: None) -> World:
    """The personas and contracts of the web tests, committed for the live server."""
    return build_world()


@pytest.fixture
def shots(page: Page, screenshot_dir: Path, request: pytest.FixtureRequest) -> Shots:
    """Take numbered screenshots of the current test."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", request.node.name)
    for old in screenshot_dir.glob(f"{name}-*.png"):
        old.unlink()
    return Shots(page, screenshot_dir, name)
