"""Sign-in, two-step verification, language and invitations."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pilotage import i18n
from pilotage.web import auth
from pilotage.web.choices import Language
from pilotage.web.models import AuditLog, Invitation, Membership, User
from pilotage.web.permissions import PUBLIC, SIGNED_IN
from pilotage.web.scoping import request_language, requires

__all__ = [
    "accept_invitation",
    "login_totp",
    "login_view",
    "logout_view",
    "set_language",
    "totp_setup",
]

_PENDING = "pilotage_pending_user"
_NEXT = "pilotage_next"
_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def _oidc_label(lang: str) -> str:
    return settings.OIDC_BUTTON_LABEL or i18n.t("web.login.oidc_default", lang)


def _sign_in(request: HttpRequest, user: User) -> None:
    login(request, user, backend=_BACKEND)
    AuditLog.record("user.signed_in", actor=user, organization=None, ip=auth.client_ip(request))


@requires(PUBLIC)
def login_view(request: HttpRequest) -> HttpResponse:
    """User name and password; then the TOTP code when the user turned it on."""
    lang = request_language(request)
    error = ""
    username = ""
    status = 200
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        password = request.POST.get("password", "")
        ip = auth.client_ip(request)
        if auth.is_locked_out(username, ip):
            error = i18n.t("web.login.locked", lang, minutes=settings.LOGIN_LOCKOUT_MINUTES)
            status = 429
        else:
            user = authenticate(request, username=username, password=password)
            if not isinstance(user, User):
                auth.record_failure(username, ip)
                error = i18n.t("web.login.invalid", lang)
                status = 401
            else:
                auth.clear_failures(username, ip)
                target = _safe_next(request, request.POST.get("next"))
                if user.totp_enabled:
                    request.session[_PENDING] = user.pk
                    request.session[_NEXT] = target
                    return redirect("web:login-totp")
                _sign_in(request, user)
                return redirect(target)
    context = {
        "error": error,
        "username": username,
        "next": request.GET.get("next", request.POST.get("next", "")),
        "oidc_label": _oidc_label(lang),
    }
    return render(request, "web/login.html", context, status=status)


@requires(PUBLIC)
def login_totp(request: HttpRequest) -> HttpResponse:
    """The second step: the code of the authenticator app."""
    lang = request_language(request)
    user_pk = request.session.get(_PENDING)
    user = User.objects.filter(pk=user_pk, is_active=True).first() if user_pk else None
    if user is None:
        messages.error(request, i18n.t("web.totp.expired", lang))
        return redirect("web:login")
    error = ""
    if request.method == "POST":
        ip = auth.client_ip(request)
        if auth.is_locked_out(user.username, ip):
            error = i18n.t("web.login.locked", lang, minutes=settings.LOGIN_LOCKOUT_MINUTES)
        elif auth.accept_totp(user, request.POST.get("code", "")):
            target = request.session.get(_NEXT) or settings.LOGIN_REDIRECT_URL
            _sign_in(request, user)
            return redirect(target)
        else:
            auth.record_failure(user.username, ip)
            error = i18n.t("web.totp.invalid", lang)
    return render(request, "web/login_totp.html", {"error": error})


@require_POST
@requires(SIGNED_IN)
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out and return to the login page."""
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@requires(SIGNED_IN)
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Show the secret and otpauth link; turn verification on with a valid code, or off."""
    user = request.user
    assert isinstance(user, User)
    lang = request_language(request)
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "disable":
            user.totp_enabled = False
            user.totp_secret = ""
            user.totp_last_step = None
            user.save(update_fields=["totp_enabled", "totp_secret", "totp_last_step"])
            AuditLog.record("user.totp_disabled", actor=user, organization=None, obj=user)
            messages.success(request, i18n.t("web.totp.disabled", lang))
            return redirect("web:totp-setup")
        if auth.accept_totp(user, request.POST.get("code", "")):
            user.totp_enabled = True
            user.save(update_fields=["totp_enabled"])
            AuditLog.record("user.totp_enabled", actor=user, organization=None, obj=user)
            messages.success(request, i18n.t("web.totp.enabled", lang))
            return redirect("web:totp-setup")
        error = i18n.t("web.totp.invalid", lang)
    if not user.totp_enabled and not user.totp_secret:
        user.totp_secret = auth.new_totp_secret()
        user.save(update_fields=["totp_secret"])
    context = {
        "error": error,
        "secret": "" if user.totp_enabled else user.totp_secret,
        "uri": "" if user.totp_enabled else auth.totp_uri(user, user.totp_secret),
    }
    return render(request, "web/totp_setup.html", context)


@require_POST
@requires(PUBLIC)
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language (stored on the user, or in a cookie before sign-in)."""
    lang = request.POST.get("language", "")
    if lang not in Language.values:
        lang = request_language(request)
    user = request.user
    if isinstance(user, User) and user.is_authenticated and user.language != lang:
        before = user.language
        user.language = lang
        user.save(update_fields=["language"])
        AuditLog.record(
            "user.language_changed",
            actor=user,
            organization=None,
            obj=user,
            before={"language": before},
            after={"language": lang},
        )
    response = redirect(_safe_next(request, request.POST.get("next")))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, samesite="Lax")
    return response


@requires(PUBLIC)
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Join an organization through an emailed link, creating the account if needed."""
    lang = request_language(request)
    invitation = Invitation.find(token)
    if invitation is None:
        return render(
            request,
            "web/message.html",
            {"message": i18n.t("web.invite.invalid", lang)},
            status=404,
        )
    errors: list[str] = []
    username = ""
    if request.method == "POST":
        user = request.user if isinstance(request.user, User) else None
        if user is None:
            username = request.POST.get("username", "").strip()
            password = request.POST.get("password", "")
            candidate = User(username=username, email=invitation.email, language=lang)
            if not username or User.objects.filter(username__iexact=username).exists():
                errors.append(i18n.t("web.invite.username_taken", lang, value=username))
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                errors.extend(
                    i18n.t("web.invite.password_rejected", lang, reason=m) for m in error.messages
                )
            if not errors:
                candidate.set_password(password)
                user = candidate
        if user is not None and not errors:
            with transaction.atomic():
                if user._state.adding:
                    user.save()
                Membership.objects.update_or_create(
                    user=user,
                    organization=invitation.organization,
                    defaults={"role": invitation.role},
                )
                invitation.accepted_at = timezone.now()
                invitation.accepted_by = user
                invitation.save(update_fields=["accepted_at", "accepted_by"])
                AuditLog.record(
                    "member.joined",
                    actor=user,
                    organization=invitation.organization,
                    obj=invitation,
                    after={"user": user.username, "role": invitation.role},
                    ip=auth.client_ip(request),
                )
            if not request.user.is_authenticated:
                login(request, user, backend=_BACKEND)
            return redirect("web:org-home", org_slug=invitation.organization.slug)
    context = {"invitation": invitation, "errors": errors, "username": username}
    return render(request, "web/invitation.html", context)
