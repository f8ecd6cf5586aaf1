"""A run's status, polled by htmx while the background worker computes it."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from pilotage.web.models import Run
from pilotage.web.rendering import render_page
from pilotage.web.scoping import OrgRequest, requires

__all__ = ["run_status"]


@requires("run.view")
def run_status(request: OrgRequest, org_slug: str, contract_pk: int, run_pk: int) -> HttpResponse:
    """The run's status and progress; the fragment polls itself while the run is in progress."""
    runs = Run.objects.for_org(request.org).filter(contract=request.contract)
    run = get_object_or_404(runs, pk=run_pk)
    return render_page(
        request, "web/run_status.html", {"run": run}, fragment="web/_run_status.html"
    )
