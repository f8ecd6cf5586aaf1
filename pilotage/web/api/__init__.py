"""The REST API (django-ninja): ``/api/v1/``, its OpenAPI document at ``/api/v1/openapi.json``.

:data:`api` holds the operations of :mod:`pilotage.web.api.views`; :func:`url_patterns`
gives the URLconf their routes, each marked with the action the organization
middleware checks first (the most permissive action of the operations sharing the
path; each operation's own action is then checked by its gate).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, URLPattern, resolve, reverse
from django.views import defaults
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from pilotage import i18n
from pilotage.errors import PilotageError
from pilotage.web import messages_api  # noqa: F401  (the API's messages)
from pilotage.web.api.gate import DECLARED, ApiError, error_response, request_lang, role_label
from pilotage.web.api.views import router
from pilotage.web.models import UploadTooLarge
from pilotage.web.permissions import MATRIX, PUBLIC
from pilotage.web.scoping import API_PREFIX, requires, view_action

__all__ = ["api", "forbidden", "not_found", "url_patterns"]

API_VERSION = "1"


class PilotageAPI(NinjaAPI):
    """The API without its root page: operation paths are relative to ``/api/v1/``."""

    def get_root_path(self, path_params: dict[str, Any]) -> str:
        """Where the API is mounted (from its OpenAPI document's URL)."""
        return reverse("api:openapi-json").removesuffix("openapi.json")


api = PilotageAPI(
    title="Pilotage API",
    version=API_VERSION,
    description="Contracts, imported files, month closings and reports of an organization. "
    "Authenticate with `Authorization: Bearer <token>` (a token scoped to one organization).",
    urls_namespace="api",
    docs_url=None,
)
api.add_router("", router)


def _answer(request: HttpRequest, status: int, code: str, params: dict[str, Any]) -> HttpResponse:
    return error_response(request, status, code, i18n.t(code, request_lang(request), **params))


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
    return _answer(request, error.status, error.code, error.params)


@api.exception_handler(PilotageError)
def _pilotage_error(request: HttpRequest, error: PilotageError) -> HttpResponse:
    status = 413 if isinstance(error, UploadTooLarge) else 422
    return error_response(request, status, error.code, error.message(request_lang(request)))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    details = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in error.errors
    )
    return _answer(request, 422, "api.invalid_request", {"details": details})


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _answer(request, 404, "api.not_found", {})


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _answer(request, 404, "api.not_found", {})


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: JSON under ``/api/``, the page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return _answer(request, 404, "api.not_found", {})
    return defaults.page_not_found(request, exception)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler403``: JSON under ``/api/`` (the role lacks the action), the page elsewhere."""
    if request.path.startswith(API_PREFIX):
        try:
            action = view_action(resolve(request.path_info).func) or ""
        except Resolver404:
            action = ""
        role = role_label(str(getattr(request, "role", "")), request)
        return _answer(request, 403, "api.forbidden", {"action": action, "role": role})
    return defaults.permission_denied(request, exception)


def _gate_action(actions: list[str]) -> str:
    """The action the middleware checks for a path: one whose roles include every other's."""
    for action in actions:
        if all(MATRIX[other] <= MATRIX[action] for other in actions):
            return action
    return "org.view"


def url_patterns() -> list[URLPattern]:
    """The API's routes (``api:<operation name>``, ``api:openapi-json``), marked for the
    organization middleware."""
    patterns: list[URLPattern] = [p for p in api.urls[0] if isinstance(p, URLPattern)]
    by_route: dict[str, list[str]] = {}
    for pattern in patterns:
        declared = DECLARED.get(pattern.name or "")
        if declared is not None:
            by_route.setdefault(str(pattern.pattern), []).append(declared.action)
    kept = []
    for pattern in patterns:
        if pattern.name == "openapi-json":
            requires(PUBLIC)(pattern.callback)
        elif pattern.name in DECLARED:
            requires(_gate_action(by_route[str(pattern.pattern)]))(pattern.callback)
        else:
            continue
        kept.append(pattern)
    return kept
