"""Fixtures of the web tests."""

from __future__ import annotations

import pytest

from tests.web.builders import World, build_world


@pytest.fixture
def world(db: None) -> World:
    """Two organizations, one user per role, an outsider and contracts."""
    return build_world()
