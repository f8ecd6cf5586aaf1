"""Sign-in: Argon2, throttling, two-step verification, OpenID Connect button, invitations."""

from __future__ import annotations

import importlib
import time

import pyotp
import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import clear_url_caches, reverse

from pilotage.web import auth
from pilotage.web import settings as production_settings
from pilotage.web.choices import Role
from pilotage.web.models import AuditLog, FailedLogin, Invitation, Membership, User
from tests.web.builders import PASSWORD, World


def _login(client: Client, username: str, password: str = PASSWORD) -> int:
    url = reverse("web:login")
    return client.post(url, {"username": username, "password": password}).status_code


def test_passwords_are_hashed_with_argon2_in_production() -> None:
    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sign_in_and_wrong_password(world: World) -> None:
    client = Client()
    assert _login(client, "referent", "wrong") == 401
    assert _login(client, "referent") == 302
    assert client.get(reverse("web:org-home", args=[world.org.slug])).status_code == 200


@override_settings(LOGIN_MAX_FAILURES=3)
def test_repeated_failures_lock_the_user_out_from_that_address(world: World) -> None:
    client = Client()
    for _ in range(3):
        assert _login(client, "referent", "wrong") == 401
    response = client.post(reverse("web:login"), {"username": "referent", "password": PASSWORD})
    assert response.status_code == 429
    assert "15 minutes" in response.content.decode()
    other_address = Client(REMOTE_ADDR="192.0.2.7")
    assert _login(other_address, "referent") == 302


def test_two_step_verification(world: World) -> None:
    client = Client()
    client.force_login(world.users["executive"])
    page = client.get(reverse("web:totp-setup")).content.decode()
    user = User.objects.get(username="executive")
    assert user.totp_secret and user.totp_secret in page
    assert "otpauth://totp/Pilotage:executive?secret=" in page
    totp = pyotp.TOTP(user.totp_secret)
    assert client.post(reverse("web:totp-setup"), {"code": "000000"}).status_code == 200
    assert client.post(reverse("web:totp-setup"), {"code": totp.now()}).status_code == 302
    assert User.objects.get(username="executive").totp_enabled

    fresh = Client()
    response = fresh.post(reverse("web:login"), {"username": "executive", "password": PASSWORD})
    assert response["Location"] == reverse("web:login-totp")
    assert fresh.get(reverse("web:org-home", args=[world.org.slug])).status_code == 302
    assert fresh.post(reverse("web:login-totp"), {"code": "000000"}).status_code == 200
    # The code that turned verification on was used; the next step's code is fresh.
    next_code = totp.at(time.time() + totp.interval)
    assert fresh.post(reverse("web:login-totp"), {"code": next_code}).status_code == 302
    assert fresh.get(reverse("web:org-home", args=[world.org.slug])).status_code == 200


def _with_totp(username: str) -> pyotp.TOTP:
    user = User.objects.get(username=username)
    user.totp_secret = auth.new_totp_secret()
    user.totp_enabled = True
    user.save(update_fields=["totp_secret", "totp_enabled"])
    return pyotp.TOTP(user.totp_secret)


def _second_step(client: Client, username: str, code: str) -> str:
    assert _login(client, username) == 302
    response = client.post(reverse("web:login-totp"), {"code": code})
    return response["Location"] if response.status_code == 302 else response.content.decode()


def test_a_totp_code_is_refused_when_presented_again(world: World) -> None:
    totp = _with_totp("executive")
    code = totp.now()
    assert _second_step(Client(), "executive", code) == "/"
    replay = _second_step(Client(), "executive", code)
    assert "Ce code n’est pas valide" in replay or "This code is not valid" in replay
    assert FailedLogin.objects.filter(username="executive").count() == 1
    earlier = totp.at(time.time() - totp.interval)
    assert _second_step(Client(), "executive", earlier) != "/"


def test_two_requests_with_the_same_code_cannot_both_be_accepted(world: World) -> None:
    totp = _with_totp("executive")
    first, second = User.objects.get(username="executive"), User.objects.get(username="executive")
    code = totp.now()
    assert auth.accept_totp(first, code)
    assert not auth.accept_totp(second, code)
    assert auth.accept_totp(second, totp.at(time.time() + totp.interval))
    assert not auth.accept_totp(first, code)


@override_settings(LOGIN_MAX_FAILURES=2)
def test_wrong_totp_codes_count_toward_the_lockout(world: World) -> None:
    totp = _with_totp("executive")
    client = Client()
    assert _login(client, "executive") == 302
    for _ in range(2):
        assert client.post(reverse("web:login-totp"), {"code": "000000"}).status_code == 200
    locked = client.post(reverse("web:login-totp"), {"code": totp.now()})
    assert locked.status_code == 200
    assert "15 minutes" in locked.content.decode()
    assert User.objects.get(username="executive").totp_last_step is None


def test_the_login_page_shows_single_sign_on_only_when_configured(db: None) -> None:
    assert 'id="oidc-login"' not in Client().get(reverse("web:login")).content.decode()
    oidc = {
        "OIDC_ENABLED": True,
        "OIDC_BUTTON_LABEL": "Entra ID",
        "OIDC_RP_CLIENT_ID": "pilotage",
        "OIDC_RP_CLIENT_SECRET": "secret",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.test/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.test/token",
        "OIDC_OP_USER_ENDPOINT": "https://idp.example.test/userinfo",
        "OIDC_RP_SIGN_ALGO": "HS256",
    }
    import pilotage.web.urls

    try:
        with override_settings(**oidc):
            importlib.reload(pilotage.web.urls)
            clear_url_caches()
            page = Client().get(reverse("web:login")).content.decode()
            assert 'id="oidc-login"' in page
            assert "Se connecter avec Entra ID" in page or "Sign in with Entra ID" in page
            start = Client().get(reverse("oidc_authentication_init"))
            assert start.status_code == 302
            assert start["Location"].startswith("https://idp.example.test/authorize?")
    finally:
        importlib.reload(pilotage.web.urls)
        clear_url_caches()


def test_invitation_by_email_creates_the_account_and_membership(world: World) -> None:
    client = Client()
    client.force_login(world.users["referent"])
    response = client.post(
        reverse("web:invite", args=[world.org.slug]),
        {"email": "newcomer@example.test", "role": Role.AUDITOR},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(word for word in body.split() if "/invitations/" in word)
    path = link[link.index("/invitations/") :]
    guest = Client()
    assert guest.get(path).status_code == 200
    weak = guest.post(path, {"username": "newcomer", "password": "short"})
    assert weak.status_code == 200 and not User.objects.filter(username="newcomer").exists()
    response = guest.post(path, {"username": "newcomer", "password": "a-long-enough-passphrase"})
    assert response["Location"] == reverse("web:org-home", args=[world.org.slug])
    membership = Membership.objects.get(user__username="newcomer")
    assert membership.organization == world.org and membership.role == Role.AUDITOR
    assert Client().get(path).status_code == 404
    assert AuditLog.objects.filter(action="member.invited").count() == 1
    assert AuditLog.objects.filter(action="member.joined").count() == 1


@pytest.mark.parametrize("email", ["not-an-address", ""])
def test_invitations_need_an_email_address(world: World, email: str) -> None:
    client = Client()
    client.force_login(world.users["referent"])
    client.post(reverse("web:invite", args=[world.org.slug]), {"email": email, "role": "auditor"})
    assert not Invitation.objects.exists()
    assert not mail.outbox
