"""Home, an organization's contracts and members, a contract's latest results."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pilotage import i18n
from pilotage.web.auth import client_ip
from pilotage.web.choices import Role
from pilotage.web.models import AuditLog, Contract, Invitation, Membership, User
from pilotage.web.permissions import SIGNED_IN
from pilotage.web.queries import summarize_contracts
from pilotage.web.scoping import OrgRequest, requires

__all__ = ["contract_home", "home", "invite", "members", "org_home"]


@requires(SIGNED_IN)
def home(request: HttpRequest) -> HttpResponse:
    """The single organization's page, or the list of the user's organizations."""
    user = request.user
    assert isinstance(user, User)
    memberships = list(Membership.objects.filter(user=user).select_related("organization"))
    if len(memberships) == 1:
        return redirect("web:org-home", org_slug=memberships[0].organization.slug)
    return render(request, "web/home.html", {"memberships": memberships})


@requires("org.view")
def org_home(request: OrgRequest, org_slug: str) -> HttpResponse:
    """The organization's contracts with their latest run's status."""
    contracts = (
        Contract.objects.visible_to(request.membership)
        .select_related("organization", "latest_run")
        .defer("latest_run__report_json")  # the page shows counts, not the report
    )
    return render(request, "web/org_home.html", {"summaries": summarize_contracts(contracts)})


@requires("contract.view")
def contract_home(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """The latest run's windows for the contract (the full dashboard comes later)."""
    run = request.contract.latest_run
    rows = run.window_rows.all() if run is not None else []
    return render(request, "web/contract_home.html", {"run": run, "rows": rows})


@requires("member.view")
def members(request: OrgRequest, org_slug: str) -> HttpResponse:
    """Members and open invitations."""
    context = {
        "members": Membership.objects.for_org(request.org).select_related("user"),
        "invitations": Invitation.objects.for_org(request.org).filter(
            accepted_at__isnull=True, expires_at__gt=timezone.now()
        ),
        "roles": Role.values,
    }
    return render(request, "web/members.html", context)


@require_POST
@requires("member.invite")
def invite(request: OrgRequest, org_slug: str) -> HttpResponse:
    """Invite someone by email with a role; the link holds a one-time token."""
    lang = request.lang  # type: ignore[attr-defined]
    email = request.POST.get("email", "").strip()
    role = request.POST.get("role", "")
    try:
        validate_email(email)
    except ValidationError:
        messages.error(request, i18n.t("web.invite.bad_email", lang, value=email))
        return redirect("web:members", org_slug=org_slug)
    if role not in Role.values:
        expected = ", ".join(Role.values)
        messages.error(request, i18n.t("web.invite.bad_role", lang, value=role, expected=expected))
        return redirect("web:members", org_slug=org_slug)
    invitation, token = Invitation.issue(request.org, email, role, request.user)
    link = settings.SITE_URL.rstrip("/") + reverse("web:invitation", args=[token])
    send_mail(
        i18n.t("web.invite.email_subject", lang, org=request.org.name),
        i18n.t(
            "web.invite.email_body",
            lang,
            inviter=request.user.get_full_name() or request.user.username,
            org=request.org.name,
            role=i18n.t(f"role.{role}", lang),
            days=settings.INVITATION_DAYS,
            link=link,
        ),
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )
    AuditLog.record(
        "member.invited",
        actor=request.user,
        organization=request.org,
        obj=invitation,
        after={"email": email, "role": role},
        ip=client_ip(request),
    )
    messages.success(request, i18n.t("web.invite.sent", lang, email=email))
    return redirect("web:members", org_slug=org_slug)
