"""The consultant's portfolio across the organizations the user belongs to.

Each contract's row is rendered once and kept in Django's cache (``PILOTAGE_CACHE``),
keyed by the contract, its latest run, its current version, the day (deadlines and the
version in force move with it), the language, the role and the names it shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache.utils import make_template_fragment_key
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pilotage.web.models import User
from pilotage.web.permissions import SIGNED_IN, allowed
from pilotage.web.queries_portfolio import COMMITTEE_MONTHS, NOTICE_MONTHS, PortfolioRow
from pilotage.web.queries_portfolio import portfolio as rows_of
from pilotage.web.rendering import render_page
from pilotage.web.scoping import requires

__all__ = ["portfolio", "row_cache_key", "row_vary"]

ROW_FRAGMENT = "portfolio_row"
"""The fragment name of a row in portfolio.html's ``{% cache %}`` tag."""


def row_vary(row: PortfolioRow, lang: str, today: dt.date) -> str:
    """What a portfolio row's cached HTML depends on: the contract, its latest run, its
    current version, the day, the language, the role and the names shown."""
    contract = row.contract
    names = f"{contract.organization.slug}\n{contract.organization.name}\n{contract.title}"
    digest = hashlib.blake2b(names.encode(), digest_size=8).hexdigest()
    return (
        f"{contract.pk}:{contract.latest_run_id}:{row.version_id}:{today.isoformat()}:"
        f"{lang}:{row.role}:{digest}"
    )


def row_cache_key(row: PortfolioRow, lang: str, today: dt.date) -> str:
    """The cache key of a portfolio row's HTML."""
    return make_template_fragment_key(ROW_FRAGMENT, [row_vary(row, lang, today)])


@requires(SIGNED_IN)
def portfolio(request: HttpRequest) -> HttpResponse:
    """Breached levels of the last closed month, notices due within six months, committees
    due, lint score and exit readiness of every contract the user may see."""
    user = request.user
    assert isinstance(user, User)
    today = timezone.localdate()
    lang = str(getattr(request, "lang", "en"))
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
        "row_items": [(r, row_vary(r, lang, today)) for r in rows],
        "row_seconds": settings.CACHES["default"].get("TIMEOUT", 300),
        "notices": [{"deadline": d, "row": r, "days": (d.day - today).days} for d, r in notices],
        "committees": [
            {"deadline": d, "row": r, "days": (d.day - today).days} for d, r in committees
        ],
        "breached_total": sum(len(r.breached) for r in rows),
        "notice_months": NOTICE_MONTHS,
        "committee_months": COMMITTEE_MONTHS,
    }
    return render_page(request, "web/portfolio.html", context)
