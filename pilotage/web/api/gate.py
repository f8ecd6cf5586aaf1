"""The API's permission gate, its error answers and the registry of declared operations.

Every operation is declared with :func:`operation` (method, path, action, name): it
carries ``@requires(action)`` like a page, and a :class:`ActionGate` that runs
before the request is parsed.  The organization middleware has already loaded
the membership (404 to non-members, 401 to anonymous callers); the gate then

- limits a bearer token to its organization (another one: 404) and to the
  actions both its role and the member's role allow (else 403);
- checks the CSRF token of writes made with a session cookie;
- refuses a body larger than the operation allows (413) before it is read.

Errors are JSON ``{"code": ..., "message": ...}`` in the caller's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from pilotage import i18n
from pilotage.web.models import ApiToken
from pilotage.web.permissions import MATRIX
from pilotage.web.scoping import OrgRequest, requires

__all__ = [
    "DECLARED",
    "ActionGate",
    "ApiError",
    "Declared",
    "bearer_token",
    "error_response",
    "operation",
    "request_lang",
    "role_label",
]

F = TypeVar("F", bound=Callable[..., Any])

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiError(Exception):
    """An error answered as ``{"code", "message"}`` with an HTTP status."""

    def __init__(self, status: int, code: str, params: Mapping[str, object] | None = None):
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = dict(params or {})


def request_lang(request: HttpRequest) -> str:
    """The caller's language (the token user's, set by the language middleware)."""
    lang = getattr(request, "lang", "en")
    return lang if lang in i18n.LANGUAGES else "en"


def role_label(role: str, request: HttpRequest) -> str:
    """A role's name in the caller's language (``Direction``, ``Auditeur``...)."""
    code = f"role.{role}"
    return i18n.t(code, request_lang(request)) if code in i18n.all_messages() else role


def error_response(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """The JSON error answer."""
    return JsonResponse({"code": code, "message": message}, status=status)


def bearer_token(request: HttpRequest) -> ApiToken | None:
    """The token of an ``Authorization: Bearer`` request (already checked by the middleware)."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return ApiToken.find(header.removeprefix("Bearer ").strip())


class ActionGate(AuthBase):
    """Per-operation check of the action, the token's scope, CSRF and the body size."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __init__(self, action: str, upload: bool = False) -> None:
        self.action = action
        self.upload = upload
        super().__init__()

    def __call__(self, request: HttpRequest) -> str:
        scoped: OrgRequest = request  # type: ignore[assignment]
        role = scoped.role
        token = bearer_token(request)
        if token is not None:
            if token.organization_id is None:
                raise ApiError(403, "api.token_unscoped")
            if token.organization_id != scoped.org.pk:
                raise ApiError(404, "api.not_found")
            if token.role and token.role not in MATRIX[self.action]:
                raise ApiError(
                    403,
                    "api.forbidden",
                    {"action": self.action, "role": role_label(token.role, request)},
                )
        if role not in MATRIX[self.action]:
            raise ApiError(
                403, "api.forbidden", {"action": self.action, "role": role_label(role, request)}
            )
        if token is None and request.method not in SAFE_METHODS and check_csrf(request):
            raise ApiError(403, "api.csrf")
        if self.upload:
            limit = int(settings.MAX_UPLOAD_MB)
            size = int(request.META.get("CONTENT_LENGTH") or 0)
            # Multipart framing adds a few hundred bytes: allow one extra megabyte.
            if size > (limit + 1) * 1024 * 1024:
                raise ApiError(413, "api.too_large", {"size": size // 2**20, "limit": limit})
        return token.role if token is not None and token.role else role


@dataclass(frozen=True)
class Declared:
    """One API operation: HTTP method, path and action."""

    method: str
    path: str
    action: str


DECLARED: dict[str, Declared] = {}
"""``{url name: operation}`` of every operation, for the URLconf and the authorization tests."""


def operation(
    router: Router,
    method: str,
    path: str,
    action: str,
    *,
    name: str,
    response: Any,
    summary: str,
    upload: bool = False,
) -> Callable[[F], F]:
    """Declare an API operation: its action (``@requires``), its gate and its route."""

    def decorate(func: F) -> F:
        requires(action)(func)
        if name in DECLARED:
            raise ValueError(f"API operation {name} declared twice")
        DECLARED[name] = Declared(method, path, action)
        gate = ActionGate(action, upload)
        router.api_operation(
            [method],
            path,
            url_name=name,
            response=response,
            summary=summary,
            auth=gate,
            operation_id=name.replace("-", "_"),
        )(func)
        return func

    return decorate
