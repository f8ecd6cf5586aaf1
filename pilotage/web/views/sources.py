"""Live sources: GLPI and iTop servers read through their API (tokens encrypted at rest)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from pilotage import i18n
from pilotage.errors import PilotageError
from pilotage.ingest.live import GlpiClient, ItopClient, RetryPolicy
from pilotage.web.auth import client_ip
from pilotage.web.choices import SourceKind
from pilotage.web.live import FetchStatus
from pilotage.web.models import AuditLog, Contract, LiveSource
from pilotage.web.rendering import render_page
from pilotage.web.scoping import OrgRequest, requires
from pilotage.web.tasks import enqueue_fetch

__all__ = ["source_edit", "source_fetch", "source_test", "sources", "test_connection"]

TEST_TIMEOUT = 15.0
"""Seconds a connection test waits for the server."""


def _public(source: LiveSource) -> dict[str, Any]:
    """What the audit log keeps of a source: never the tokens, only whether they are set."""
    return {
        "name": source.name,
        "kind": source.kind,
        "url": source.url,
        "contract": source.contract_id,
        "active": source.active,
        "app_token": "set" if source.app_token else "",
        "user_token": "set" if source.user_token else "",
    }


def _save(request: OrgRequest, source: LiveSource) -> list[str]:
    """Write the posted fields into ``source`` (tokens only when typed); return the errors."""
    lang = str(getattr(request, "lang", "en"))
    errors = []
    name = request.POST.get("name", "").strip()
    kind = request.POST.get("kind", "")
    url = request.POST.get("url", "").strip()
    if not name:
        errors.append(i18n.t("sources.name_required", lang))
    if kind not in SourceKind.values:
        expected = ", ".join(SourceKind.values)
        errors.append(i18n.t("sources.bad_kind", lang, value=kind, expected=expected))
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        errors.append(i18n.t("sources.bad_url", lang, value=url))
    contract_pk = request.POST.get("contract", "")
    contract = (
        Contract.objects.for_org(request.org).filter(pk=int(contract_pk)).first()
        if contract_pk.isdigit()
        else None
    )
    if errors:
        return errors
    before = None if source._state.adding else _public(source)
    source.name, source.kind, source.url, source.contract = name[:200], kind, url, contract
    source.active = request.POST.get("active") == "on"
    for token in ("app_token", "user_token"):
        typed = request.POST.get(token, "")
        if typed.strip():
            setattr(source, token, typed.strip())
    if source._state.adding:
        source.organization = request.org
        source.created_by = request.user
    source.save()
    AuditLog.record(
        "source.saved",
        actor=request.user,
        organization=request.org,
        obj=source,
        before=before,
        after=_public(source),
        ip=client_ip(request),
    )
    messages.success(request, i18n.t("sources.saved", lang, name=source.name))
    return []


def _status(source: LiveSource, lang: str) -> dict[str, Any]:
    """What the page shows of the source's last or running fetch."""
    summary = source.fetch_summary if isinstance(source.fetch_summary, dict) else {}
    error = source.fetch_error if isinstance(source.fetch_error, dict) else {}
    shown: dict[str, Any] = {"state": source.fetch_status, "at": source.fetched_at}
    if source.fetch_status in (FetchStatus.QUEUED, FetchStatus.RUNNING):
        shown["progress"] = i18n.t(source.fetch_progress or "sources.step_queued", lang)
    elif source.fetch_status == FetchStatus.DONE and summary:
        counts = {k: summary.get(k, 0) for k in ("read", "new", "changed", "with_history", "total")}
        shown["summary"] = i18n.t("sources.fetch_done", lang, **counts)
        stored = "sources.fetch_stored" if summary.get("stored") else "sources.fetch_unchanged"
        shown["stored"] = i18n.t(stored, lang)
    elif source.fetch_status == FetchStatus.FAILED:
        message = str(error.get(lang) or error.get("en") or "")
        shown["error"] = i18n.t("sources.fetch_failed", lang, error=message)
    return shown


def _context(request: OrgRequest, editing: LiveSource | None, errors: list[str]) -> dict[str, Any]:
    lang = str(getattr(request, "lang", "en"))
    rows = LiveSource.objects.for_org(request.org).select_related("contract")
    return {
        "sources": [(source, _status(source, lang)) for source in rows],
        "fetching": any(
            source.fetch_status in (FetchStatus.QUEUED, FetchStatus.RUNNING) for source in rows
        ),
        "editing": editing,
        "errors": errors,
        "kinds": SourceKind.choices,
        "contracts": Contract.objects.for_org(request.org).only("pk", "title"),
        "posted": request.POST if request.method == "POST" else {},
    }


@requires("source.manage")
def sources(request: OrgRequest, org_slug: str) -> HttpResponse:
    """The organization's live sources, and the form to add one."""
    errors: list[str] = []
    if request.method == "POST":
        errors = _save(request, LiveSource())
        if not errors:
            return redirect("web:sources", org_slug)
    return render_page(
        request, "web/sources.html", _context(request, None, errors), status=400 if errors else 200
    )


@requires("source.manage")
def source_edit(request: OrgRequest, org_slug: str, source_pk: int) -> HttpResponse:
    """Edit a source; a token left empty keeps its stored value."""
    source = get_object_or_404(LiveSource.objects.for_org(request.org), pk=source_pk)
    errors: list[str] = []
    if request.method == "POST":
        errors = _save(request, source)
        if not errors:
            return redirect("web:sources", org_slug)
    return render_page(
        request,
        "web/source_edit.html",
        _context(request, source, errors),
        status=400 if errors else 200,
    )


def test_connection(source: LiveSource) -> None:
    """Open and close a session with the server (raises ``PilotageError`` on failure)."""
    retry = RetryPolicy(attempts=1)
    if source.kind == SourceKind.GLPI:
        client = GlpiClient(
            source.url,
            app_token=source.app_token,
            user_token=source.user_token,
            timeout=TEST_TIMEOUT,
            retry=retry,
        )
        client.open()
        client.close()
    else:
        itop = ItopClient(
            source.url,
            user=source.app_token,
            password=source.user_token,
            timeout=TEST_TIMEOUT,
            retry=retry,
        )
        itop.call({"operation": "list_operations"})


@require_POST
@requires("source.manage")
def source_test(request: OrgRequest, org_slug: str, source_pk: int) -> HttpResponse:
    """Call the server with the stored credentials and say whether it answered."""
    lang = str(getattr(request, "lang", "en"))
    source = get_object_or_404(LiveSource.objects.for_org(request.org), pk=source_pk)
    if not (source.app_token and source.user_token):
        messages.error(request, i18n.t("sources.tokens_required", lang))
        return redirect("web:source-edit", org_slug, source.pk)
    try:
        test_connection(source)
    except PilotageError as error:
        messages.error(
            request,
            i18n.t("sources.test_failed", lang, name=source.name, error=error.message(lang)),
        )
    else:
        messages.success(request, i18n.t("sources.test_ok", lang, name=source.name))
    return redirect("web:source-edit", org_slug, source.pk)


@require_POST
@requires("source.manage")
def source_fetch(request: OrgRequest, org_slug: str, source_pk: int) -> HttpResponse:
    """Queue a fetch of the source; the sources page follows its progress."""
    lang = str(getattr(request, "lang", "en"))
    source = get_object_or_404(LiveSource.objects.for_org(request.org), pk=source_pk)
    if source.contract_id is None:
        messages.error(request, i18n.t("sources.no_contract", lang, name=source.name))
    elif not (source.app_token and source.user_token):
        messages.error(request, i18n.t("sources.fetch_tokens_required", lang))
    else:
        enqueue_fetch(source, request.user)
        messages.success(request, i18n.t("sources.fetch_queued", lang, name=source.name))
    return redirect("web:sources", org_slug)
