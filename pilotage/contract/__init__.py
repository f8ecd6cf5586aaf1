"""The contract as code: format version 1, its loader, amendments and versions.

``load_contract(path_or_text)`` validates a contract file against the
published schema (``schema.json``) and the rules the schema cannot express,
applies its amendments and returns a :class:`~pilotage.contract.model.Contract`
with one version per effective date.  Every problem of a file is raised at
once as :class:`ContractErrors`.

The loader is imported on first use, so that importing the typed terms
(:mod:`pilotage.contract.model`) does not load the YAML and schema libraries.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilotage.contract.loader import (
        ContractErrors,
        build_terms,
        canonical_json,
        document_hash,
        dump_contract,
        load_contract,
        read_document,
        schema,
    )

__all__ = [
    "ContractErrors",
    "build_terms",
    "canonical_json",
    "document_hash",
    "dump_contract",
    "load_contract",
    "read_document",
    "schema",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("pilotage.contract.loader"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
