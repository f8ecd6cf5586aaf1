"""Helpers of the browser tests: screenshots and signing in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

from tests.web.builders import PASSWORD

__all__ = ["Shots", "sign_in"]


class Shots:
    """Numbered screenshots of one test: ``<test>-01-<step>.png``."""

    def __init__(self, page: Page, folder: Path, test: str) -> None:
        self.page, self.folder, self.test, self.count = page, folder, test, 0

    def __call__(self, step: str) -> Path:
        """Save the whole page now."""
        self.count += 1
        path = self.folder / f"{self.test}-{self.count:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login page."""
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
