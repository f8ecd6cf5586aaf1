"""The organization's append-only audit log: who, when, what, before and after."""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse

from pilotage import i18n
from pilotage.web.models import AuditLog, Contract, Membership
from pilotage.web.rendering import render_page
from pilotage.web.scoping import OrgRequest, requires

__all__ = ["PAGE_SIZE", "audit_log", "changes"]

PAGE_SIZE = 50
SHOWN_CHARS = 200
"""Longer values are cut in the table (the entry keeps them whole)."""


def _show(value: Any) -> str:
    if value is None:
        return ""
    text = (
        value
        if isinstance(value, str)
        else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    )
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def changes(before: Any, after: Any) -> list[dict[str, str]]:
    """Key by key, what an entry's ``before`` and ``after`` say (changed keys only)."""
    old = before if isinstance(before, dict) else ({} if before is None else {"": before})
    new = after if isinstance(after, dict) else ({} if after is None else {"": after})
    return [
        {"key": key, "before": _show(old.get(key)), "after": _show(new.get(key))}
        for key in list(old) + [k for k in new if k not in old]
        if old.get(key) != new.get(key)
    ]


@requires("audit.view")
def audit_log(request: OrgRequest, org_slug: str) -> HttpResponse:
    """Entries of the organization, newest first, filtered by contract, user and action."""
    lang = str(getattr(request, "lang", "en"))
    entries = AuditLog.objects.for_org(request.org).select_related("actor")
    contract = request.GET.get("contract", "")
    actor = request.GET.get("user", "")
    action = request.GET.get("action", "")
    if contract.isdigit():
        entries = entries.filter(object_type="Contract", object_id=contract) | entries.filter(
            after__contract=int(contract)
        )
    if actor.isdigit():
        entries = entries.filter(actor_id=int(actor))
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries.order_by("-at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    catalog = i18n.all_messages()
    rows = [
        {
            "entry": entry,
            "action": i18n.t(f"audit.action.{entry.action}", lang)
            if f"audit.action.{entry.action}" in catalog
            else entry.action,
            "changes": changes(entry.before, entry.after),
        }
        for entry in page
    ]
    actions = (
        AuditLog.objects.for_org(request.org).values_list("action", flat=True).distinct().order_by()
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rows": rows,
        "page": page,
        "query": query.urlencode(),
        "contracts": Contract.objects.for_org(request.org).only("pk", "title"),
        "users": Membership.objects.for_org(request.org).select_related("user"),
        "actions": sorted(set(actions)),
        "selected": {"contract": contract, "user": actor, "action": action},
    }
    return render_page(request, "web/audit.html", context, fragment="web/_audit_rows.html")
