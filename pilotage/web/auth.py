"""Sign-in helpers: failed-login throttling, TOTP and the client's address.

Failures are counted per user name and address in the database (shared by
every application server); after ``PILOTAGE_LOGIN_MAX_FAILURES`` within
``PILOTAGE_LOGIN_LOCKOUT_MINUTES`` that pair is locked out until the oldest
failure of the window ages out.
"""

from __future__ import annotations

import datetime as dt

import pyotp
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from pilotage.web.models import FailedLogin, User

__all__ = [
    "clear_failures",
    "client_ip",
    "is_locked_out",
    "new_totp_secret",
    "record_failure",
    "totp_uri",
    "verify_totp",
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


def verify_totp(secret: str, code: str) -> bool:
    """Whether ``code`` is valid now (one step of clock drift either way)."""
    code = code.strip().replace(" ", "")
    return bool(secret) and code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)
