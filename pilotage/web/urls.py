"""URLs.  Everything of an organization lives under ``/o/<org_slug>/``; a contract's
pages under ``/o/<org_slug>/contracts/<contract_pk>/`` (the middleware resolves both).

Screens add their patterns here; the authorization tests walk every pattern.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

from pilotage.web import api
from pilotage.web.views import (
    accounts,
    audit,
    closing,
    contracts,
    dashboards,
    orgs,
    portfolio,
    reports,
    runs,
    sources,
)

ORG = "o/<slug:org_slug>/"
CONTRACT = ORG + "contracts/<int:contract_pk>/"

web_patterns: list[URLPattern | URLResolver] = [
    path("", orgs.home, name="home"),
    path("login/", accounts.login_view, name="login"),
    path("login/totp/", accounts.login_totp, name="login-totp"),
    path("logout/", accounts.logout_view, name="logout"),
    path("account/totp/", accounts.totp_setup, name="totp-setup"),
    path("account/language/", accounts.set_language, name="set-language"),
    path("invitations/<str:token>/", accounts.accept_invitation, name="invitation"),
    path("portfolio/", portfolio.portfolio, name="portfolio"),
    path(ORG, orgs.org_home, name="org-home"),
    path(ORG + "members/", orgs.members, name="members"),
    path(ORG + "members/invite/", orgs.invite, name="invite"),
    path(CONTRACT, orgs.contract_home, name="contract-home"),
    path(CONTRACT + "runs/<int:run_pk>/status/", runs.run_status, name="run-status"),
    path(ORG + "contracts/new/", contracts.contract_new, name="contract-new"),
    path(CONTRACT + "terms/", contracts.contract_terms, name="contract-terms"),
    path(CONTRACT + "contract.yaml", contracts.contract_download, name="contract-download"),
    path(CONTRACT + "upload/", contracts.contract_upload, name="contract-upload"),
    path(CONTRACT + "edit/<slug:section>/", contracts.contract_edit, name="contract-edit"),
    path(CONTRACT + "amend/<slug:section>/", contracts.contract_amend, name="contract-amend"),
    path(CONTRACT + "versions/", contracts.contract_versions, name="contract-versions"),
    path(CONTRACT + "calendar/", contracts.contract_calendar, name="contract-calendar"),
    path(CONTRACT + "calendar.ics", contracts.contract_ics, name="contract-ics"),
    path(CONTRACT + "documents/", contracts.contract_documents, name="contract-documents"),
    path(
        CONTRACT + "documents/upload/",
        contracts.contract_document_upload,
        name="contract-document-upload",
    ),
    path(
        CONTRACT + "documents/<int:document_pk>/",
        contracts.contract_document,
        name="contract-document",
    ),
    path(ORG + "sources/", sources.sources, name="sources"),
    path(ORG + "sources/<int:source_pk>/", sources.source_edit, name="source-edit"),
    path(ORG + "sources/<int:source_pk>/test/", sources.source_test, name="source-test"),
    path(ORG + "sources/<int:source_pk>/fetch/", sources.source_fetch, name="source-fetch"),
    path(ORG + "audit/", audit.audit_log, name="audit"),
    path(CONTRACT + "close/", closing.closing_start, name="closing-start"),
    path(CONTRACT + "close/preview/", closing.closing_preview, name="closing-preview"),
    path(CONTRACT + "close/claims/", closing.closing_claims, name="closing-claims"),
    path(CONTRACT + "close/review/", closing.closing_review, name="closing-review"),
    path(CONTRACT + "close/launch/", closing.closing_launch, name="closing-launch"),
    path(CONTRACT + "close/runs/<int:run_pk>/", closing.closing_progress, name="closing-progress"),
    path(CONTRACT + "dashboard/", dashboards.dashboard, name="dashboard"),
    path(CONTRACT + "runs/<int:run_pk>/dashboard/", dashboards.run_dashboard, name="run-dashboard"),
    path(CONTRACT + "runs/<int:run_pk>/trace/", dashboards.ticket_trace, name="ticket-trace"),
    path(CONTRACT + "reports/", reports.reports, name="reports"),
    path(CONTRACT + "reports/schedule/", reports.report_schedule, name="report-schedule"),
    path(
        CONTRACT + "reports/<str:period>/<str:fmt>/",
        reports.report_download,
        name="report-download",
    ),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include((web_patterns, "web"))),
    path("api/v1/", include((api.url_patterns(), "api"))),
]
handler403 = api.forbidden  # JSON under /api/, the 403 page elsewhere
handler404 = api.not_found  # JSON under /api/, the 404 page elsewhere
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
