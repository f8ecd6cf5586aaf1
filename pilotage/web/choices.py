"""Enumerations shared by models, permissions and forms (labels are message codes)."""

from __future__ import annotations

from django.db import models

__all__ = ["Language", "Role", "RunStatus", "SnapshotRole", "SourceKind"]


class Role(models.TextChoices):
    """A user's role in one organization."""

    REFERENT = "referent", "role.referent"
    EXECUTIVE = "executive", "role.executive"
    CONSULTANT = "consultant", "role.consultant"
    AUDITOR = "auditor", "role.auditor"
    PROVIDER = "provider", "role.provider"


class Language(models.TextChoices):
    """The languages of the interface."""

    FR = "fr", "Français"
    EN = "en", "English"


class SnapshotRole(models.TextChoices):
    """What an imported file holds: the :class:`pilotage.run.RunInputs` it feeds."""

    TICKETS = "tickets", "snapshot.role.tickets"
    EVENTS = "events", "snapshot.role.events"
    CLAIMS = "claims", "snapshot.role.claims"
    MONITORING = "monitoring", "snapshot.role.monitoring"
    BACKUPS = "backups", "snapshot.role.backups"
    RESTORE_TESTS = "restore_tests", "snapshot.role.restore_tests"
    ADJUSTMENTS = "adjustments", "snapshot.role.adjustments"


class RunStatus(models.TextChoices):
    """Where a run is: queued, computing, stored, or failed with a message."""

    PENDING = "pending", "run.status.pending"
    RUNNING = "running", "run.status.running"
    DONE = "done", "run.status.done"
    FAILED = "failed", "run.status.failed"


class SourceKind(models.TextChoices):
    """ITSM tools read live through their API."""

    GLPI = "glpi", "GLPI"
    ITOP = "itop", "iTop"
