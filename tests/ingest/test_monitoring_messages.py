"""The importers' messages (codes ``import.*``) exist in both languages and render."""

from __future__ import annotations

import importlib
import string

import pytest

from pilotage import i18n

MODULES = (
    "pilotage.ingest._tabular",
    "pilotage.ingest.monitoring",
    "pilotage.ingest.backups",
    "pilotage.ingest.claims",
    "pilotage.ingest.adjustments",
    "pilotage.ingest.sources_monitoring._common",
    "pilotage.ingest.sources_monitoring.kuma",
    "pilotage.ingest.sources_monitoring.prometheus",
    "pilotage.ingest.sources_monitoring.zabbix",
    "pilotage.ingest.sources_monitoring.centreon",
)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _codes() -> list[str]:
    for module in MODULES:
        importlib.import_module(module)
    return sorted(c for c in i18n.all_messages() if c.startswith("import."))


@pytest.mark.parametrize("code", _codes())
def test_message_renders_in_both_languages(code: str) -> None:
    texts = i18n.all_messages()[code]
    assert set(texts) == {"en", "fr"}
    assert _fields(texts["en"]) == _fields(texts["fr"])
    params = {name: "x" for name in _fields(texts["en"])}
    for lang in ("en", "fr"):
        assert i18n.t(code, lang, **params).strip()
    assert "«" not in texts["en"]
