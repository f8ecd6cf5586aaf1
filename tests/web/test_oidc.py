"""OpenID Connect end to end against a local identity provider (code flow, RS256, JWKS)."""

from __future__ import annotations

import importlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, override_settings
from django.urls import clear_url_caches, reverse
from jwt.algorithms import RSAAlgorithm

import pilotage.web.urls
from pilotage.web.choices import Role
from pilotage.web.models import AuditLog, Invitation, Organization, User
from tests.web.builders import create_member, create_user

CLIENT_ID = "pilotage"
CLIENT_SECRET = "s3cret-for-tests"
CALLBACK = "http://testserver/oidc/callback/"


class FakeProvider:
    """Token, JWKS and userinfo endpoints of an identity provider, on 127.0.0.1."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        """Published in the JWKS."""
        self.signing_key = self.key
        """Signs the ID tokens."""
        self.kid = "test-key"
        self.codes: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {}
        self.userinfo: dict[str, dict[str, Any]] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def authorize(
        self, nonce: str, claims: dict[str, Any], id_token_claims: dict[str, Any] | None = None
    ) -> str:
        """What the provider does when the user signs in: a one-time code for these claims."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = (nonce, claims, id_token_claims or {})
        return code

    def _id_token(self, nonce: str, sub: str, extra: dict[str, Any]) -> str:
        now = int(time.time())
        claims = {
            "iss": self.base,
            "sub": sub,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
        }
        claims.update(extra)
        return jwt.encode(claims, self.signing_key, algorithm="RS256", headers={"kid": self.kid})

    def token(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """The token endpoint: a code for an ID token and an access token."""
        if path != "/token":
            return 404, {"error": "not_found"}
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or form.get("redirect_uri") != CALLBACK
        ):
            return 400, {"error": "invalid_grant"}
        nonce, claims, extra = grant
        access_token = secrets.token_urlsafe(16)
        self.userinfo[access_token] = claims
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self._id_token(nonce, str(claims.get("sub", "")), extra),
        }

    def get(self, path: str, authorization: str) -> tuple[int, dict[str, Any]]:
        """The JWKS and userinfo endpoints."""
        if path == "/jwks":
            public = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
            return 200, {"keys": [public | {"kid": self.kid, "alg": "RS256", "use": "sig"}]}
        if path == "/userinfo":
            scheme, _, token = authorization.partition(" ")
            claims = self.userinfo.get(token) if scheme == "Bearer" else None
            if claims is None:
                return 401, {"error": "invalid_token"}
            return 200, claims
        return 404, {"error": "not_found"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                self._reply(*provider.token(self.path, form))

            def do_GET(self) -> None:
                self._reply(*provider.get(self.path, self.headers.get("Authorization", "")))

        return Handler


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeProvider]:
    idp = FakeProvider()
    idp.thread.start()
    yield idp
    idp.server.shutdown()
    idp.server.server_close()
    idp.thread.join()


def _settings(idp: FakeProvider, create_user: bool) -> dict[str, Any]:
    return {
        "OIDC_ENABLED": True,
        "AUTHENTICATION_BACKENDS": [
            "django.contrib.auth.backends.ModelBackend",
            "pilotage.web.auth.OIDCBackend",
        ],
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": "openid email profile",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{idp.base}/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{idp.base}/token",
        "OIDC_OP_USER_ENDPOINT": f"{idp.base}/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": f"{idp.base}/jwks",
        "OIDC_CREATE_USER": create_user,
        "OIDC_TIMEOUT": 10,
        "OIDC_PROXY": {"http": None},  # the provider is on loopback, never behind a proxy
    }


@pytest.fixture
def oidc(provider: FakeProvider, db: None) -> Iterator[FakeProvider]:
    """OpenID Connect on (unknown users not created), with its URLs."""
    try:
        with override_settings(**_settings(provider, create_user=False)):
            importlib.reload(pilotage.web.urls)
            clear_url_caches()
            yield provider
    finally:
        importlib.reload(pilotage.web.urls)
        clear_url_caches()


@pytest.fixture
def org(db: None) -> Organization:
    return Organization.objects.create(name="Acme", slug="acme")


def _claims(email: str, verified: object = True) -> dict[str, Any]:
    return {"sub": f"idp-{email}", "email": email, "email_verified": verified, "name": "Ann"}


def _sign_in(
    idp: FakeProvider,
    claims: dict[str, Any],
    id_token_claims: dict[str, Any] | None = None,
) -> tuple[Client, int]:
    """Go through the code flow; return the browser and the callback's status."""
    client = Client()
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    location = urlparse(start["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{idp.base}/authorize"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["client_id"] == CLIENT_ID and query["redirect_uri"] == CALLBACK
    assert query["response_type"] == "code" and "openid" in query["scope"].split()
    code = idp.authorize(query["nonce"], claims, id_token_claims)
    callback = client.get(
        reverse("oidc_authentication_callback"), {"code": code, "state": query["state"]}
    )
    return client, callback.status_code


def _signed_in_as(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_a_member_with_a_verified_email_is_signed_in(oidc: FakeProvider, org: Organization) -> None:
    member = create_member(org, "ann", Role.REFERENT)
    client, status = _sign_in(oidc, _claims("Ann@Example.test"))
    assert status == 302
    assert _signed_in_as(client) == member
    assert client.get(reverse("web:org-home", args=[org.slug])).status_code == 200
    assert AuditLog.objects.filter(action="user.signed_in", actor=member).count() == 1


@pytest.mark.parametrize("verified", [False, "true", None])
def test_an_unverified_email_is_refused(
    oidc: FakeProvider, org: Organization, verified: object
) -> None:
    create_member(org, "ann", Role.REFERENT)
    claims = _claims("ann@example.test", verified)
    if verified is None:
        del claims["email_verified"]
    client, status = _sign_in(oidc, claims)
    assert status == 302
    assert _signed_in_as(client) is None


def test_a_provider_trusted_for_its_emails_may_omit_the_claim_never_deny_it(
    oidc: FakeProvider, org: Organization
) -> None:
    create_member(org, "ann", Role.REFERENT)
    claims = _claims("ann@example.test")
    del claims["email_verified"]
    with override_settings(OIDC_TRUST_PROVIDER_EMAILS=True):
        client, _ = _sign_in(oidc, claims)
        assert _signed_in_as(client) is not None
        refused, _ = _sign_in(oidc, _claims("ann@example.test", False))
        assert _signed_in_as(refused) is None


def test_an_unknown_user_is_refused_and_not_created(oidc: FakeProvider, org: Organization) -> None:
    create_member(org, "ann", Role.REFERENT)
    with override_settings(OIDC_CREATE_USER=True):
        client, _ = _sign_in(oidc, _claims("stranger@example.test"))
    assert _signed_in_as(client) is None
    assert not User.objects.filter(email__iexact="stranger@example.test").exists()


def test_an_account_without_membership_or_invitation_is_refused(
    oidc: FakeProvider, org: Organization
) -> None:
    lone = create_user("lone")
    client, _ = _sign_in(oidc, _claims("lone@example.test"))
    assert _signed_in_as(client) is None
    Invitation.issue(org, "LONE@example.test", Role.EXECUTIVE, invited_by=None)
    client, _ = _sign_in(oidc, _claims("lone@example.test"))
    assert _signed_in_as(client) == lone


def test_a_deactivated_member_is_refused(oidc: FakeProvider, org: Organization) -> None:
    member = create_member(org, "ann", Role.REFERENT)
    member.is_active = False
    member.save(update_fields=["is_active"])
    client, _ = _sign_in(oidc, _claims("ann@example.test"))
    assert _signed_in_as(client) is None


def test_an_invited_address_gets_an_account_only_when_creation_is_on(
    oidc: FakeProvider, org: Organization
) -> None:
    Invitation.issue(org, "newcomer@example.test", Role.EXECUTIVE, invited_by=None)
    client, _ = _sign_in(oidc, _claims("newcomer@example.test"))
    assert _signed_in_as(client) is None
    assert not User.objects.filter(email="newcomer@example.test").exists()
    with override_settings(OIDC_CREATE_USER=True):
        client, _ = _sign_in(oidc, _claims("Newcomer@example.test"))
    created = _signed_in_as(client)
    assert created is not None
    assert (created.username, created.email) == ("newcomer@example.test", "newcomer@example.test")
    assert not created.has_usable_password()
    assert not created.memberships.exists()


def test_an_id_token_for_another_client_is_refused(oidc: FakeProvider, org: Organization) -> None:
    create_member(org, "ann", Role.REFERENT)
    client, status = _sign_in(oidc, _claims("ann@example.test"), {"aud": "another-client"})
    assert status == 400
    assert _signed_in_as(client) is None
    assert not AuditLog.objects.filter(action="user.signed_in").exists()


def test_an_id_token_signed_with_another_key_is_refused(
    oidc: FakeProvider, org: Organization
) -> None:
    create_member(org, "ann", Role.REFERENT)
    oidc.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    try:
        client, status = _sign_in(oidc, _claims("ann@example.test"))
    finally:
        oidc.signing_key = oidc.key
    assert status == 400
    assert _signed_in_as(client) is None
