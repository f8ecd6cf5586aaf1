"""Provenance: what a result was computed from, so that it can be reproduced.

A run is keyed by the contract version hashes, the SHA-256 of every input,
the adjustments, the evaluation instant ``as_of`` and the versions of the
engine, tzdata and holidays.  The same key always gives the same results.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pilotage import __version__

__all__ = ["InputFile", "Provenance", "file_sha256", "software_versions"]


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def software_versions() -> dict[str, str]:
    """Versions that can change a result: engine, tzdata, holidays, numpy."""
    return {
        "pilotage": __version__,
        "tzdata": _version("tzdata"),
        "holidays": _version("holidays"),
        "numpy": _version("numpy"),
    }


@dataclass(frozen=True)
class InputFile:
    """One input of a run: its role (tickets, events...), name and SHA-256."""

    role: str
    name: str
    sha256: str

    @classmethod
    def of(cls, role: str, path: Path) -> InputFile:
        """Describe the file at ``path`` (only its name is kept, not its folder)."""
        return cls(role=role, name=path.name, sha256=file_sha256(path))


@dataclass(frozen=True)
class Provenance:
    """Everything a run's results depend on."""

    contract_id: str
    contract_versions: Sequence[Mapping[str, str]]
    """``{"effective": ISO date, "hash": SHA-256}`` for each version used."""
    inputs: Sequence[InputFile]
    as_of: str
    """ISO 8601 instant in UTC."""
    versions: Mapping[str, str]

    def as_dict(self) -> dict[str, Any]:
        """Plain data, ready for canonical JSON."""
        return {
            "contract_id": self.contract_id,
            "contract_versions": [dict(v) for v in self.contract_versions],
            "inputs": [
                {"role": i.role, "name": i.name, "sha256": i.sha256}
                for i in sorted(self.inputs, key=lambda i: (i.role, i.name))
            ],
            "as_of": self.as_of,
            "versions": dict(self.versions),
            "run_key": self.run_key(),
        }

    def run_key(self) -> str:
        """SHA-256 identifying the run: same key, same results."""
        payload = {
            "contract_versions": [dict(v) for v in self.contract_versions],
            "inputs": sorted((i.role, i.sha256) for i in self.inputs),
            "as_of": self.as_of,
            "versions": dict(self.versions),
        }
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()
