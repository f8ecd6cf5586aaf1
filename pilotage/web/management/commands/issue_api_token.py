"""``python -m pilotage.web issue_api_token USER ORG_SLUG NAME [--role ROLE]``: an API token
for one organization, printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pilotage import i18n
from pilotage.web.api.tokens import TokenError, issue_token
from pilotage.web.choices import Role
from pilotage.web.models import Organization, User


class Command(BaseCommand):
    """Issue a bearer token for the API."""

    help = "Issue an API token for a member of an organization (printed once)."

    def add_arguments(self, parser: Any) -> None:
        """User name, organization slug, token name, optional narrower role."""
        parser.add_argument("username")
        parser.add_argument("org_slug")
        parser.add_argument("name")
        parser.add_argument("--role", choices=Role.values, default="")
        parser.add_argument("--lang", choices=i18n.LANGUAGES, default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        """Check the membership and the role, issue, print the secret."""
        lang = options["lang"]
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(i18n.t("api.unknown_user", lang, user=options["username"]))
        org = Organization.objects.filter(slug=options["org_slug"]).first()
        if org is None:
            raise CommandError(i18n.t("api.unknown_org", lang, org=options["org_slug"]))
        try:
            token, secret = issue_token(user, org, options["name"], options["role"])
        except TokenError as error:
            raise CommandError(error.message(lang)) from error
        role = token.role or "member"
        self.stdout.write(
            i18n.t("api.token_issued", lang, name=token.name, org=org.slug, role=role)
        )
        self.stdout.write(secret)
