"""The consultant's portfolio across the organizations the user belongs to."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pilotage.web.models import User
from pilotage.web.permissions import SIGNED_IN, allowed
from pilotage.web.queries_portfolio import COMMITTEE_MONTHS, NOTICE_MONTHS
from pilotage.web.queries_portfolio import portfolio as rows_of
from pilotage.web.rendering import render_page
from pilotage.web.scoping import requires

__all__ = ["portfolio"]


@requires(SIGNED_IN)
def portfolio(request: HttpRequest) -> HttpResponse:
    """Breached levels of the last closed month, notices due within six months, committees
    due, lint score and exit readiness of every contract the user may see."""
    user = request.user
    assert isinstance(user, User)
    today = timezone.localdate()
    memberships, rows = rows_of(user, today)
    notices = sorted(((d, row) for row in rows for d in row.notices), key=lambda pair: pair[0].day)
    committees = sorted(
        ((d, row) for row in rows for d in row.committees), key=lambda pair: pair[0].day
    )
    organizations = [
        {
            "membership": m,
            "edit": allowed(m.role, "contract.edit"),
            "sources": allowed(m.role, "source.manage"),
            "audit": allowed(m.role, "audit.view"),
        }
        for m in memberships
    ]
    context = {
        "memberships": memberships,
        "organizations": organizations,
        "rows": rows,
        "notices": [{"deadline": d, "row": r, "days": (d.day - today).days} for d, r in notices],
        "committees": [
            {"deadline": d, "row": r, "days": (d.day - today).days} for d, r in committees
        ],
        "breached_total": sum(len(r.breached) for r in rows),
        "notice_months": NOTICE_MONTHS,
        "committee_months": COMMITTEE_MONTHS,
    }
    return render_page(request, "web/portfolio.html", context)
