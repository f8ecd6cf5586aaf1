"""Issuing API tokens: one organization, a role never above the member's."""

from __future__ import annotations

from pilotage.errors import PilotageError
from pilotage.web.models import ApiToken, AuditLog, Membership, Organization, User
from pilotage.web.scoping import allowed_actions

__all__ = ["TokenError", "issue_token"]


class TokenError(PilotageError):
    """A token that cannot be issued (not a member, a role above the member's)."""


def issue_token(user: User, org: Organization, name: str, role: str = "") -> tuple[ApiToken, str]:
    """A token for ``user`` in ``org`` acting as ``role`` (blank: the member's role).

    The role must not allow anything the member's role does not; the secret is
    returned once, only its SHA-256 is stored.
    """
    membership = Membership.objects.filter(user=user, organization=org).first()
    if membership is None:
        raise TokenError("api.not_member", {"user": user.username, "org": org.slug})
    if role and not allowed_actions(role) <= allowed_actions(membership.role):
        raise TokenError("api.token_exceeds_role", {"role": role, "member_role": membership.role})
    token, secret = ApiToken.issue(user, name, org, role)
    AuditLog.record(
        "api_token.issued",
        actor=user,
        organization=org,
        obj=token,
        after={"name": name, "role": role or membership.role, "hint": token.hint},
    )
    return token, secret
