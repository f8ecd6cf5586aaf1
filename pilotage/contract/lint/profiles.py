"""Profiles: which rules apply, and at which severity, for a kind of customer.

``sme`` (default) is a small or mid-size company under GDPR only: rules that
rest on DORA alone weigh as infos, and the "critical function" escalations of
DORA do not apply.  ``nis2`` adds the supply-chain duties of NIS2 and its
implementing regulation; ``dora`` applies DORA in full (financial entities);
``public`` follows a French public buyer (CCAG-TIC, Code de la commande
publique).  A profile changes the (normal, escalated) severity of a rule, or
turns it off with None.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from pilotage import i18n
from pilotage.contract.lint.registry import RULES, Severity

__all__ = ["DEFAULT_PROFILE", "PROFILES", "severity_of"]

E: Final = "error"
W: Final = "warning"
I_: Final = "info"

DEFAULT_PROFILE: Final = "sme"

PROFILES: Final[Mapping[str, Mapping[str, tuple[Severity, Severity] | None]]] = {
    "sme": {
        "SLA-011": (W, W),
        "REV-003": (W, W),
        "GOV-005": (W, W),
        "GOV-006": (I_, I_),
        "SEC-001": (W, W),
        "TRM-006": (I_, I_),
        "PRC-001": (W, W),
    },
    "nis2": {
        "SLA-011": (W, W),
        "REV-003": (W, W),
        "GOV-006": (I_, I_),
        "SEC-003": (E, E),
        "REV-007": (E, E),
        "SUB-002": (E, E),
        "TRM-006": (I_, I_),
    },
    "dora": {
        "SLA-010": (E, E),
        "SLA-015": (W, W),
        "SLA-018": (E, E),
        "GOV-004": (E, E),
        "GOV-006": (E, E),
        "REV-002": (E, E),
        "REV-003": (W, E),
        "TRM-004": (E, E),
        "TRM-006": (W, W),
        "SUB-002": (E, E),
        "LIA-003": (E, E),
    },
    "public": {
        "SLA-011": (W, E),
        "REV-003": (W, W),
        "GOV-006": (I_, I_),
        "PRC-002": (E, E),
        "LIA-003": (E, E),
        "TRM-006": (I_, I_),
        "TRM-007": (W, W),
        "SLA-019": None,
    },
}

i18n.register(
    {
        "lint.profile.sme": {
            "en": "small or mid-size company (GDPR)",
            "fr": "PME ou ETI (RGPD)",
        },
        "lint.profile.nis2": {
            "en": "essential or important entity under NIS2",
            "fr": "entité essentielle ou importante au sens de NIS2",
        },
        "lint.profile.dora": {
            "en": "financial entity under DORA",
            "fr": "entité financière soumise à DORA",
        },
        "lint.profile.public": {
            "en": "French public buyer (CCAG-TIC)",
            "fr": "acheteur public français (CCAG-TIC)",
        },
    }
)


def severity_of(profile: str, rule_id: str) -> tuple[Severity, Severity] | None:
    """The (normal, escalated) severity of a rule under a profile; None when it is off."""
    overrides = PROFILES[profile]
    if rule_id in overrides:
        return overrides[rule_id]
    return RULES[rule_id].severity
