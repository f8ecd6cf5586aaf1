"""Shared helpers for the contract tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotage.contract import ContractErrors, load_contract

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "pilotage" / "contract" / "examples" / "reference.yaml"


def errors_of(path_or_text: str | Path) -> list[tuple[str, int | None, object, str | None]]:
    """(code, line, column, value) of every error the loader reports."""
    with pytest.raises(ContractErrors) as caught:
        load_contract(path_or_text)
    return [
        (e.code, e.location.line, e.location.column, e.location.value)
        for e in caught.value.errors
        if e.location is not None
    ]
