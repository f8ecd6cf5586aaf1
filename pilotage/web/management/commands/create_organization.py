"""``python -m pilotage.web create_organization NAME SLUG EMAIL``: a new organization and the
invitation of its first referent (the link is printed and emailed)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from pilotage.web.choices import Role
from pilotage.web.models import AuditLog, Invitation, Organization


class Command(BaseCommand):
    """Create an organization and invite its referent."""

    help = "Create an organization and print the invitation link of its first referent."

    def add_arguments(self, parser: Any) -> None:
        """Name, slug (used in URLs) and the referent's email address."""
        parser.add_argument("name")
        parser.add_argument("slug")
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        """Create, invite, print the link."""
        if Organization.objects.filter(slug=options["slug"]).exists():
            raise CommandError(f"an organization already uses the slug {options['slug']!r}")
        with transaction.atomic():
            org = Organization.objects.create(name=options["name"], slug=options["slug"])
            invitation, token = Invitation.issue(org, options["email"], Role.REFERENT, None)
            AuditLog.record(
                "organization.created",
                actor=None,
                organization=org,
                obj=org,
                after={"name": org.name, "slug": org.slug, "referent": options["email"]},
            )
        link = settings.SITE_URL.rstrip("/") + reverse("web:invitation", args=[token])
        self.stdout.write(f"{org.name}: invitation of {invitation.email} as referent:\n{link}")
