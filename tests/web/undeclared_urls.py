"""A URLconf with a view that declares no action (for the scoping tests)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from pilotage.web.urls import web_patterns


def undeclared(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Forgot ``@requires``."""
    return HttpResponse("leak")


urlpatterns = [
    path("", include((web_patterns, "web"))),
    path("o/<slug:org_slug>/undeclared/", undeclared, name="undeclared"),
]
