"""The contract's terms as typed, immutable values.

The loader (:mod:`pilotage.contract.loader`) turns a validated contract file
into these objects; the engine reads only these.  Percentages are Decimal
fractions (``95%`` is ``Decimal("0.95")``), amounts are Decimal in the
contract's currency excluding VAT, durations keep their unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

__all__ = [
    "Applicability",
    "BackupSchedule",
    "Band",
    "Cap",
    "Contract",
    "ContractVersion",
    "Duration",
    "MaintenanceExclusion",
    "Measurement",
    "OutageRule",
    "PenaltyRules",
    "PenaltyTerms",
    "Service",
    "ServiceLevel",
    "Terms",
]

DurationUnit = Literal["s", "min", "h", "d", "bd", "mo"]
Metric = Literal[
    "response_time", "resolution_time", "availability", "backup_success", "restore_test"
]
Window = Literal["month", "quarter", "year"]

_UNIT_SECONDS = {"s": 1, "min": 60, "h": 3600}


@dataclass(frozen=True)
class Duration:
    """A duration as written in the contract: ``30min``, ``4h``, ``3d``, ``5bd``, ``3mo``.

    What ``d`` and ``bd`` mean depends on where the duration is used (see
    DESIGN.md): in a service level's target they are measured on its calendar.
    """

    amount: Decimal
    unit: DurationUnit

    def seconds(self) -> int:
        """Length in seconds for ``s``, ``min`` and ``h`` (``ValueError`` otherwise)."""
        if self.unit not in _UNIT_SECONDS:
            raise ValueError(f"{self} has no fixed length in seconds")
        return int(self.amount * _UNIT_SECONDS[self.unit])

    def __str__(self) -> str:
        return f"{self.amount.normalize():f}{self.unit}"


@dataclass(frozen=True)
class Cap:
    """A cap: a fixed amount, or a fraction of the penalty basis (the fee)."""

    amount: Decimal | None = None
    fraction_of_fee: Decimal | None = None


@dataclass(frozen=True)
class Band:
    """A penalty band: when the result is strictly ``below``, ``penalty`` of the fee."""

    below: Decimal
    penalty: Decimal


@dataclass(frozen=True)
class PenaltyTerms:
    """How a breached window of one service level is penalised."""

    per_breach: Decimal | None = None
    per_point_below: Decimal | None = None
    bands: tuple[Band, ...] = ()
    cap: Cap | None = None


@dataclass(frozen=True)
class Applicability:
    """Which tickets or services a level applies to; an empty tuple means any."""

    kind: tuple[str, ...] = ()
    priority: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    category: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutageRule:
    """How probe samples become outages."""

    failed_samples: int = 1
    missing_samples: Literal["excluded", "down", "up"] = "excluded"


@dataclass(frozen=True)
class MaintenanceExclusion:
    """When planned maintenance is excused from downtime."""

    notice: Duration | None = None
    max_per_month: Duration | None = None
    only_outside: str | None = None
    out_of_measured_time: bool = False


@dataclass(frozen=True)
class BackupSchedule:
    """When backup jobs are expected: local times on ISO weekdays (1 = Monday)."""

    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
    times: tuple[str, ...] = ("22:00",)


@dataclass(frozen=True)
class ServiceLevel:
    """One service level (an item of ``service_levels:``)."""

    id: str
    name: str
    metric: Metric
    ref: str = ""
    applies_to: Applicability = field(default_factory=Applicability)
    clock_start: str = "created"
    clock_stop: str = "resolved"
    response_means: str | None = None
    target: Duration | None = None
    calendar: str | None = None
    pause_when: tuple[str, ...] = ()
    objective: Decimal | None = None
    allowed_breaches: int | None = None
    window: Window = "month"
    assign_to: Literal["creation", "resolution"] = "creation"
    penalty: PenaltyTerms | None = None
    outage: OutageRule | None = None
    maintenance: MaintenanceExclusion | None = None
    warning_counts_as: Literal["success", "failed"] = "success"
    schedule: BackupSchedule | None = None
    """Expected backup jobs (``backup_success``); None: only the jobs reported."""
    every: Duration | None = None
    within_rto: bool = False


@dataclass(frozen=True)
class Service:
    """An item of the service catalogue (``services:``)."""

    id: str
    name: str
    domain: str | None = None
    criticality: str | None = None
    rto: Duration | None = None
    rpo: Duration | None = None
    monitors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    restore_test_every: Duration | None = None


@dataclass(frozen=True)
class Measurement:
    """How the provider's data is measured (``measurement:``)."""

    unknown_pause_reason: Literal["counts", "does_not_count"] = "counts"
    reopen: Literal["resumes", "restarts"] = "resumes"
    major_incident_counts_once: bool = True


@dataclass(frozen=True)
class PenaltyRules:
    """Contract-wide penalty rules (``penalties:``)."""

    basis: str = "monthly_fee"
    monthly_cap: Decimal | None = None
    grace_months: int = 0
    claim_within: Duration | None = None
    persistent_consecutive_months: int | None = None
    persistent_same_level: bool = True
    sole_remedy: bool = False


@dataclass(frozen=True)
class Terms:
    """The whole contract as in force over one period (one version)."""

    contract_id: str
    title: str
    timezone: str
    currency: str
    monthly_fee: Decimal
    term_start: dt.date
    scope: Mapping[str, bool]
    services: Mapping[str, Service]
    calendars: Mapping[str, Mapping[str, Any]]
    priority_basis: Literal["initial", "highest", "final"]
    priority_levels: tuple[str, ...]
    measurement: Measurement
    service_levels: tuple[ServiceLevel, ...]
    penalties: PenaltyRules
    document: Mapping[str, Any]
    """The resolved document (plain data, after amendments) this version was built from."""

    def level(self, level_id: str) -> ServiceLevel:
        """The service level with this id (``KeyError`` if none)."""
        for level in self.service_levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)


@dataclass(frozen=True)
class ContractVersion:
    """Terms in force from ``effective`` (a date in the contract's timezone)."""

    effective: dt.date
    terms: Terms
    hash: str
    """SHA-256 of the resolved document's canonical JSON."""
    amendment_id: str | None = None
    signed_on: dt.date | None = None
    summary: str = ""


@dataclass(frozen=True)
class Contract:
    """A contract and its versions, oldest first (the first is the original)."""

    versions: tuple[ContractVersion, ...]
    source: str = ""

    @property
    def id(self) -> str:
        """The contract's id."""
        return self.versions[0].terms.contract_id

    @property
    def timezone(self) -> ZoneInfo:
        """The contract's timezone."""
        return ZoneInfo(self.versions[0].terms.timezone)

    def effective_epochs(self) -> npt.NDArray[np.int64]:
        """Each version's start as UTC epoch seconds (midnight, contract timezone)."""
        tz = self.timezone
        return np.array(
            [
                int(dt.datetime.combine(v.effective, dt.time(), tzinfo=tz).timestamp())
                for v in self.versions
            ],
            dtype=np.int64,
        )

    def version_index(self, instants: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Index of the version in force at each UTC instant (vectorized).

        Instants before the first version take the first version.
        """
        idx = np.searchsorted(self.effective_epochs(), instants, side="right") - 1
        return np.maximum(idx, 0).astype(np.int64)

    def at(self, instant: int) -> ContractVersion:
        """The version in force at one UTC epoch instant."""
        return self.versions[int(self.version_index(np.array([instant], np.int64))[0])]
