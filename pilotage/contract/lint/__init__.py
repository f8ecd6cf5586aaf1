"""The contract linter: rules with ids, severities, sources and recommended clauses.

``lint_file(path, profile="sme")`` reports the loader's errors and every rule's
findings on a contract file; ``lint_document(data)`` lints plain data.  Rules
live in the ``rules_*`` modules and are listed in :data:`RULES`; profiles in
:mod:`pilotage.contract.lint.profiles` decide which apply and how much they weigh.
"""

from __future__ import annotations

from pilotage.contract.lint.engine import (
    LOAD_RULE,
    AreaScore,
    Finding,
    LintReport,
    lint_document,
    lint_file,
)
from pilotage.contract.lint.profiles import DEFAULT_PROFILE, PROFILES, severity_of
from pilotage.contract.lint.registry import AREAS, RULES, Rule, Severity

__all__ = [
    "AREAS",
    "DEFAULT_PROFILE",
    "LOAD_RULE",
    "PROFILES",
    "RULES",
    "AreaScore",
    "Finding",
    "LintReport",
    "Rule",
    "Severity",
    "lint_document",
    "lint_file",
    "severity_of",
]
