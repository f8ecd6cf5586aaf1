"""Sign-in helpers: failed-login throttling, TOTP and the client's address.

Failures are counted per user name and address in the database (shared by
every application server); after ``PILOTAGE_LOGIN_MAX_FAILURES`` within
``PILOTAGE_LOGIN_LOCKOUT_MINUTES`` that pair is locked out until the oldest
failure of the window ages out.

A TOTP code is accepted once: the user's last accepted time step is stored
and only a later step is accepted, by a conditional update so that two
concurrent requests cannot both use the same code.

:class:`OIDCBackend` signs in through OpenID Connect only people the
identity provider vouches for (verified e-mail) and the site knows (a member
of an organization, or invited).
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

import pyotp
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from pilotage.web.models import AuditLog, FailedLogin, Invitation, Membership, User

__all__ = [
    "OIDCBackend",
    "accept_totp",
    "clear_failures",
    "client_ip",
    "is_locked_out",
    "new_totp_secret",
    "record_failure",
    "totp_uri",
]


def client_ip(request: HttpRequest) -> str | None:
    """The client's address (the proxy's ``X-Forwarded-For`` when behind one)."""
    if settings.BEHIND_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        if forwarded:
            return forwarded.split(",")[0].strip()
    address = str(request.META.get("REMOTE_ADDR", ""))
    return address or None


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked_out(username: str, ip: str | None) -> bool:
    """Whether this user name is locked out from this address."""
    recent = FailedLogin.objects.filter(
        username=username.lower(), ip=ip, at__gte=_window_start()
    ).count()
    return recent >= settings.LOGIN_MAX_FAILURES


def record_failure(username: str, ip: str | None) -> None:
    """Count one failed attempt."""
    FailedLogin.objects.create(username=username.lower(), ip=ip)


def clear_failures(username: str, ip: str | None) -> None:
    """Forget the failures after a successful sign-in (and old ones of everybody)."""
    FailedLogin.objects.filter(username=username.lower(), ip=ip).delete()
    FailedLogin.objects.filter(at__lt=_window_start()).delete()


def new_totp_secret() -> str:
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` URI authenticator apps read."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name="Pilotage")


def _matching_step(secret: str, code: str) -> int | None:
    """The time step ``code`` belongs to (now, or one step either way), if any."""
    code = code.strip().replace(" ", "")
    if not secret or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(timezone.now())
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def accept_totp(user: User, code: str) -> bool:
    """Whether ``code`` is valid for ``user`` and was not accepted before; if so, record its step.

    The step is stored only if it is later than the last accepted one, in a single
    conditional update: of two requests presenting the same code, one succeeds.
    """
    step = _matching_step(user.totp_secret, code)
    if step is None:
        return False
    fresh = Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step)
    accepted = User.objects.filter(fresh, pk=user.pk).update(totp_last_step=step) == 1
    if accepted:
        user.totp_last_step = step
    return accepted


def _open_invitations(email: str) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, expires_at__gt=timezone.now()
    )


class OIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """OpenID Connect sign-in restricted to verified e-mails of members or invited people.

    The ID token must name this site's client in ``aud``. The userinfo claims must
    carry ``email`` with ``email_verified`` true. The e-mail (case-insensitive)
    matches one active user who is a member of an organization or has an open
    invitation to that address; with ``OIDC_CREATE_USER``, an unknown address with
    an open invitation gets a new account (user name: the e-mail), which then
    accepts the invitation through its link. Anyone else is refused. A sign-in is
    audited as ``user.signed_in`` like one with a password.
    """

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        """The code flow of the base class; the accepted user is audited."""
        user = super().authenticate(request, **kwargs)
        if not isinstance(user, User) or not user.is_active:
            return None
        assert request is not None
        AuditLog.record("user.signed_in", actor=user, organization=None, ip=client_ip(request))
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The signature and nonce checks, plus the audience."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is not meant for this client.")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """A non-empty e-mail the provider says it verified.

        Some providers manage their users' addresses themselves and send no
        ``email_verified`` claim (Microsoft Entra ID): with
        ``OIDC_TRUST_PROVIDER_EMAILS`` the claim may be absent, never false.
        """
        email = claims.get("email")
        if not isinstance(email, str) or not email:
            return False
        verified = claims.get("email_verified")
        if verified is None and getattr(settings, "OIDC_TRUST_PROVIDER_EMAILS", False):
            return True
        return verified is True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        """Active users with this e-mail who are members or invited to it."""
        email = str(claims.get("email", ""))
        member = Membership.objects.filter(user=OuterRef("pk"))
        return User.objects.filter(email__iexact=email, is_active=True).filter(
            Q(Exists(member)) | Q(Exists(_open_invitations(email)))
        )

    def create_user(self, claims: dict[str, Any]) -> User:
        """A new account for an invited address (refused otherwise)."""
        email = str(claims["email"]).lower()
        if not _open_invitations(email).exists():
            raise SuspiciousOperation("No open invitation for this e-mail.")
        if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
            raise SuspiciousOperation("An inactive or non-member account has this e-mail.")
        return User.objects.create_user(email, email=email)
