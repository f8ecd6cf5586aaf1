"""Rendering helpers shared by views: a page, or only its fragment for htmx."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

__all__ = ["render_page"]


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``template``, or ``fragment`` (a partial it includes) when htmx asks for it.

    htmx requests carry ``HX-Request``; django-htmx exposes it as ``request.htmx``.
    A boosted navigation (``hx-boost``) still gets the whole page.
    """
    htmx = getattr(request, "htmx", None)
    if fragment is not None and htmx and not htmx.boosted:
        template = fragment
    return render(request, template, context, status=status)
