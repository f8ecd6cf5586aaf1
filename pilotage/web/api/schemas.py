"""Request and response bodies of the API (pydantic, published in the OpenAPI document).

Amounts and ratios are decimal strings (``"0.950000000000"``, ``"1250.00"``), never
floats; instants are ISO 8601 with their UTC offset.
"""

from __future__ import annotations

import datetime as dt

from ninja import Schema

__all__ = [
    "ContractOut",
    "ErrorOut",
    "RunCreated",
    "RunIn",
    "RunOut",
    "RunSummary",
    "SnapshotOut",
    "VersionOut",
    "WindowOut",
]


class ErrorOut(Schema):
    """Every error: a stable code and a message in the caller's language."""

    code: str
    message: str


class VersionOut(Schema):
    """One version of a contract file."""

    number: int
    sha256: str
    source: str
    comment: str
    created_at: dt.datetime


class ContractOut(Schema):
    """A contract, its current version and its latest finished run."""

    id: int
    title: str
    reference: str
    created_at: dt.datetime
    current_version: VersionOut | None
    latest_run_id: int | None


class SnapshotOut(Schema):
    """An imported file, addressed by its SHA-256."""

    id: int
    role: str
    name: str
    sha256: str
    size: int
    created_at: dt.datetime


class RunIn(Schema):
    """Close ``period`` at ``as_of`` on the snapshots named by their SHA-256."""

    period: str
    """The month reported, ``2026-10``."""
    as_of: dt.datetime
    """The instant the figures are taken at, with its UTC offset."""
    snapshots: list[str]
    """SHA-256 of snapshots of this contract (one ``tickets`` snapshot at least)."""


class RunCreated(Schema):
    """A queued (or already computed) run and where to follow it."""

    id: int
    status: str
    status_url: str


class RunSummary(Schema):
    """A run in a list."""

    id: int
    period: str
    as_of: dt.datetime
    status: str
    contract_version: int
    created_at: dt.datetime
    finished_at: dt.datetime | None


class WindowOut(Schema):
    """One service level over one window."""

    level_id: str
    metric: str
    window: str
    window_start: dt.datetime
    window_end: dt.datetime
    eligible: int
    met: int
    breached: int
    waived: int
    value: str | None
    objective: str | None
    status: str
    finality: str
    penalty: str


class RunOut(RunSummary):
    """A run: its status and progress, its inputs and, once done, its window results."""

    progress: str
    error: str
    contract_sha256: str
    inputs: list[dict[str, str]]
    run_key: str
    restates: int | None
    report_url: str | None
    windows: list[WindowOut]
