"""Organization scoping and permissions, enforced in one place.

Every view declares what it does with ``@requires(action)``.  Before any view
runs, :class:`OrganizationMiddleware`:

- refuses a view that declares nothing (a programming error, never a silent pass);
- lets :data:`~pilotage.web.permissions.PUBLIC` views through;
- sends anonymous users to the login page (``/api/`` URLs: 401 JSON);
- for URLs carrying ``org_slug`` (``/o/<org_slug>/...``) loads the user's
  membership, answering 404 to non-members (existence is never revealed),
  sets ``request.org``, ``request.membership`` and ``request.role``, and
  answers 403 when the role lacks the action in the permission matrix;
- for URLs carrying ``contract_pk`` loads the contract among those the member
  may see (a provider only those it is attached to), else 404, and sets
  ``request.contract``.

Views then read ``request.org`` and filter every query with ``.for_org()``.

API clients authenticate with ``Authorization: Bearer <token>``
(:class:`ApiTokenMiddleware`, before any view logic), so API views go through
the same scoping.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

from pilotage import i18n
from pilotage.web.models import ApiToken, Contract, Membership, Organization, User
from pilotage.web.permissions import MATRIX, PUBLIC, SIGNED_IN

__all__ = [
    "API_PREFIX",
    "ApiTokenMiddleware",
    "OrgRequest",
    "OrganizationMiddleware",
    "UserLanguageMiddleware",
    "allowed_actions",
    "context",
    "request_language",
    "requires",
]

View = TypeVar("View", bound=Callable[..., Any])

API_PREFIX = "/api/"
"""URLs under this prefix answer 401 JSON instead of redirecting to the login page."""

EXEMPT_MODULES = ("django.", "mozilla_django_oidc.")
"""Views of these packages are not Pilotage's and declare no action."""


class OrgRequest(HttpRequest):
    """The request as views under ``/o/<org_slug>/`` receive it."""

    user: User
    org: Organization
    membership: Membership
    role: str
    contract: Contract


def requires(action: str) -> Callable[[View], View]:
    """Declare the action a view (function or class-based view) performs; the middleware
    enforces it."""
    if action not in MATRIX and action not in (PUBLIC, SIGNED_IN):
        raise ImproperlyConfigured(f"unknown action {action!r}: add it to permissions.MATRIX")

    def decorate(view: View) -> View:
        view.pilotage_action = action  # type: ignore[attr-defined]
        return view

    return decorate


def view_action(view: Callable[..., Any]) -> str | None:
    """The action ``view`` declared, if any."""
    action = getattr(view, "pilotage_action", None)
    if action is None and hasattr(view, "view_class"):
        action = getattr(view.view_class, "pilotage_action", None)
    return action


class OrganizationMiddleware:
    """Load the organization and membership of ``/o/<org_slug>/`` URLs and check the action."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        """Refuse, redirect or let through, and attach the scope to the request."""
        action = view_action(view_func)
        if action is None:
            if view_func.__module__.startswith(EXEMPT_MODULES):
                return None
            raise ImproperlyConfigured(
                f"{view_func.__module__}.{view_func.__name__} declares no action: "
                "decorate it with @requires(...)"
            )
        if action == PUBLIC:
            return None
        if not request.user.is_authenticated:
            if request.path.startswith(API_PREFIX):
                return _unauthorized(request, "api.authentication_required")
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        slug = view_kwargs.get("org_slug")
        if slug is None:
            if action != SIGNED_IN:
                raise ImproperlyConfigured(f"action {action!r} needs an /o/<org_slug>/ URL")
            return None
        membership = (
            Membership.objects.select_related("organization")
            .filter(user_id=request.user.pk, organization__slug=slug)
            .first()
        )
        if membership is None:
            raise Http404
        request.org = membership.organization  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        request.role = membership.role  # type: ignore[attr-defined]
        if action != SIGNED_IN and membership.role not in MATRIX[action]:
            raise PermissionDenied
        contract_pk = view_kwargs.get("contract_pk")
        if contract_pk is not None:
            contract = Contract.objects.visible_to(membership).filter(pk=contract_pk).first()
            if contract is None:
                raise Http404
            request.contract = contract  # type: ignore[attr-defined]
        return None


def _unauthorized(request: HttpRequest, code: str) -> JsonResponse:
    lang = request_language(request)
    return JsonResponse({"code": code, "message": i18n.t(code, lang)}, status=401)


class ApiTokenMiddleware:
    """Authenticate ``Authorization: Bearer <token>`` requests to the API as the token's user.

    Only paths under ``/api/`` accept a token: there the API's gate applies the
    token's organization and role.  Pages ignore the header (a token never
    signs a browser in), so a narrowed token cannot act beyond its scope.
    Token requests carry no session cookie, so they are exempt from CSRF
    checks.  An unknown or revoked token is answered 401 at once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer ") and request.path.startswith(API_PREFIX):
            user = ApiToken.authenticate(header.removeprefix("Bearer ").strip())
            if user is None:
                return _unauthorized(request, "api.invalid_token")
            request.user = user
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)


def request_language(request: HttpRequest) -> str:
    """The language of the response: the user's, else the one negotiated by Django."""
    lang = translation.get_language() or settings.LANGUAGE_CODE
    return lang[:2] if lang[:2] in i18n.LANGUAGES else "en"


class UserLanguageMiddleware:
    """Activate the signed-in user's language (anonymous users: browser or cookie)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and isinstance(user, User) and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        request.lang = request_language(request)  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.lang)  # type: ignore[attr-defined]
        return response


def allowed_actions(role: str | None) -> frozenset[str]:
    """The actions of the matrix ``role`` may do (empty outside an organization)."""
    if role is None:
        return frozenset()
    return frozenset(action for action, roles in MATRIX.items() if role in roles)


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context: the scope, the allowed actions (``{% if "run.close_month" in
    allowed_actions %}``), the user's organizations (switcher) and the language."""
    data: dict[str, Any] = {
        "lang": getattr(request, "lang", "en"),
        "org": getattr(request, "org", None),
        "role": getattr(request, "role", None),
        "allowed_actions": allowed_actions(getattr(request, "role", None)),
        "oidc_enabled": settings.OIDC_ENABLED,
    }
    if request.user.is_authenticated:
        data["my_memberships"] = Membership.objects.filter(user_id=request.user.pk).select_related(
            "organization"
        )
    return data
