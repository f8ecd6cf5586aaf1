"""The permission matrix: which roles may do each action, in one table.

Views declare their action with :func:`pilotage.web.scoping.requires`; the
organization middleware checks it against :data:`MATRIX` before the view runs.
Two pseudo-actions need no organization: :data:`PUBLIC` (anyone, signed in or
not) and :data:`SIGNED_IN` (any signed-in user).  A new screen adds its action
here (and to docs/web.md); the authorization tests walk every URL against it.
"""

from __future__ import annotations

from typing import Final

from pilotage.web.choices import Role

__all__ = ["ALL_ROLES", "MATRIX", "PUBLIC", "SIGNED_IN", "allowed"]

PUBLIC: Final = "public"
SIGNED_IN: Final = "signed_in"

REFERENT, EXECUTIVE, CONSULTANT, AUDITOR, PROVIDER = (
    Role.REFERENT.value,
    Role.EXECUTIVE.value,
    Role.CONSULTANT.value,
    Role.AUDITOR.value,
    Role.PROVIDER.value,
)
ALL_ROLES: Final = frozenset({REFERENT, EXECUTIVE, CONSULTANT, AUDITOR, PROVIDER})
_STEERING: Final = frozenset({REFERENT, CONSULTANT})

MATRIX: Final[dict[str, frozenset[str]]] = {
    # Reading: everyone in the organization (providers only on their contracts).
    "org.view": ALL_ROLES,
    "contract.view": ALL_ROLES,
    "run.view": ALL_ROLES,
    "report.download": ALL_ROLES,
    # Steering: the referent and the consultants who serve the organization.
    "contract.edit": _STEERING,
    "run.close_month": _STEERING,
    "source.manage": _STEERING,
    "member.view": _STEERING | {AUDITOR},
    "member.invite": _STEERING,
    "change.validate": frozenset({REFERENT}),
    # Evidence and history: auditors too.
    "evidence.export": _STEERING | {AUDITOR},
    "audit.view": _STEERING | {AUDITOR},
    # The provider's narrow rights.
    "snapshot.upload": _STEERING | {PROVIDER},
    "action.answer": _STEERING | {PROVIDER},
    "dispute.answer": _STEERING | {PROVIDER},
    "change.submit": _STEERING | {PROVIDER},
}
"""``{action: roles allowed}``."""


def allowed(role: str, action: str) -> bool:
    """Whether ``role`` may do ``action`` (an unknown action is a programming error)."""
    return role in MATRIX[action]
