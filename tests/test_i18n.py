"""Every user-facing message exists in French and English with the same placeholders."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import string

import pilotage
from pilotage import i18n


def _import_all() -> None:
    """Import every core module; the web application's modules need Django settings,
    so only its message catalog is imported here (its own tests cover the rest)."""
    for module in pkgutil.walk_packages(pilotage.__path__, "pilotage."):
        if module.name.startswith("pilotage.web.") or module.name == "pilotage.web":
            continue
        importlib.import_module(module.name)
    if importlib.util.find_spec("pilotage.web.messages") is not None:
        importlib.import_module("pilotage.web.messages")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_is_in_both_languages() -> None:
    _import_all()
    messages = i18n.all_messages()
    assert messages, "no message registered"
    for code, texts in messages.items():
        assert set(texts) == {"en", "fr"}, code
        assert texts["en"].strip() and texts["fr"].strip(), code
        assert _fields(texts["en"]) == _fields(texts["fr"]), code


def test_unknown_code_is_an_error() -> None:
    import pytest

    with pytest.raises(KeyError):
        i18n.t("no.such.code", "fr")
