"""Pilotage's stored objects.

Everything that belongs to a customer hangs off an :class:`Organization`, and
every such query goes through ``Model.objects.for_org(org)``.  Contract files,
import snapshots, runs and the audit log are append-only: a change is a new
row, never an update.  Dashboards read :class:`WindowResultRow`, written once
per run, and never recompute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from pilotage.errors import PilotageError
from pilotage.web.choices import Language, Role, RunStatus, SnapshotRole, SourceKind
from pilotage.web.fields import EncryptedTextField

__all__ = [
    "ApiToken",
    "ArchivedReport",
    "AuditLog",
    "Contract",
    "ContractVersion",
    "FailedLogin",
    "ImmutableError",
    "ImportSnapshot",
    "Invitation",
    "LiveSource",
    "Membership",
    "Organization",
    "ProviderAccess",
    "ReportSchedule",
    "Run",
    "SignedDocument",
    "UploadTooLarge",
    "User",
    "WindowResultRow",
]


class ImmutableError(Exception):
    """Raised when code tries to change or delete an append-only row."""


class User(AbstractUser):
    """A person; roles are per organization (:class:`Membership`)."""

    language = models.CharField(max_length=2, choices=Language.choices, default=Language.FR)
    totp_secret = EncryptedTextField(blank=True, default="")
    """Base32 TOTP secret, encrypted; set while setting up, kept when enabled."""
    totp_enabled = models.BooleanField(default=False)
    totp_last_step = models.BigIntegerField(null=True, blank=True)
    """Time step of the last accepted TOTP code: that code and earlier ones are refused."""

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ("username",)


class Organization(models.Model):
    """A customer company whose contracts are steered (a tenant)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


_M = TypeVar("_M", bound=models.Model)


class OrgQuerySet(models.QuerySet[_M]):
    """Rows of one organization only."""

    def for_org(self, org: Organization) -> Self:
        """Filter to ``org``: the only way views should reach tenant data."""
        return self.filter(organization=org)


class Membership(models.Model):
    """A user's single role in an organization."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgQuerySet.as_manager()

    class Meta:
        ordering = ("organization__name", "user__username")
        constraints = (
            models.UniqueConstraint(fields=("user", "organization"), name="one_role_per_org"),
        )

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organization_id}:{self.role}"


class Invitation(models.Model):
    """An emailed link that makes its recipient a member with ``role``.

    Only the token's SHA-256 is stored; the token itself is in the link.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)

    @staticmethod
    def hash_token(token: str) -> str:
        """The stored form of a token."""
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(
        cls, organization: Organization, email: str, role: str, invited_by: User | None
    ) -> tuple[Invitation, str]:
        """Create an invitation; return it with the token to put in the link."""
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            organization=organization,
            email=email,
            role=role,
            token_hash=cls.hash_token(token),
            invited_by=invited_by,
            expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS),
        )
        return invitation, token

    @classmethod
    def find(cls, token: str) -> Invitation | None:
        """The open (not accepted, not expired) invitation of ``token``."""
        return (
            cls.objects.select_related("organization")
            .filter(
                token_hash=cls.hash_token(token),
                accepted_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .first()
        )


class ContractQuerySet(OrgQuerySet["Contract"]):
    """Contracts, filtered by organization and by what a member may see."""

    def visible_to(self, membership: Membership) -> Self:
        """The member's organization's contracts; a provider sees only those it is attached to."""
        qs = self.filter(organization_id=membership.organization_id)
        if membership.role == Role.PROVIDER:
            qs = qs.filter(provider_accesses__user_id=membership.user_id)
        return qs


class Contract(models.Model):
    """One outsourcing contract of an organization; its text lives in versions."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contracts"
    )
    title = models.CharField(max_length=300)
    reference = models.CharField(max_length=100, blank=True)
    """The contract's ``id`` in its YAML document."""
    created_at = models.DateTimeField(default=timezone.now)
    latest_run = models.ForeignKey(
        "Run", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    """The most recent finished run (by ``as_of``), kept for dashboards."""

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title

    def current_version(self) -> ContractVersion | None:
        """The newest version of the contract file."""
        return self.versions.order_by("-number").first()

    def add_version(
        self, text: str, user: User | None, source: str = "upload", comment: str = ""
    ) -> ContractVersion:
        """Store ``text`` as a new version, unless it equals the newest one."""
        digest = hashlib.sha256(text.encode()).hexdigest()
        current = self.current_version()
        if current is not None and current.sha256 == digest:
            return current
        return ContractVersion.objects.create(
            contract=self,
            number=(current.number + 1) if current else 1,
            text=text,
            sha256=digest,
            source=source,
            comment=comment,
            created_by=user,
        )


class AppendOnlyModel(models.Model):
    """A row that is written once: ``save`` of an existing row and ``delete`` fail."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only."""
        if not self._state.adding:
            raise ImmutableError(f"{type(self).__name__} rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refused."""
        raise ImmutableError(f"{type(self).__name__} rows are never deleted")


class ContractVersion(AppendOnlyModel):
    """One version of a contract's YAML text, with its SHA-256; never overwritten."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    source = models.CharField(max_length=20, default="upload")
    """``upload``, ``edit`` (through the forms) or ``demo``."""
    comment = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("contract", "-number")
        constraints = (
            models.UniqueConstraint(fields=("contract", "number"), name="one_version_number"),
        )


class ProviderAccess(models.Model):
    """A provider user attached to a contract: the only contracts that user sees."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="provider_accesses"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="provider_accesses")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("contract", "user")
        constraints = (
            models.UniqueConstraint(fields=("contract", "user"), name="one_access_per_user"),
        )


class UploadTooLarge(PilotageError):
    """An uploaded file over ``PILOTAGE_MAX_UPLOAD_MB``."""


class ImportSnapshot(AppendOnlyModel):
    """An imported file, immutable and addressed by its SHA-256.

    The bytes are kept in the database or, with ``PILOTAGE_BLOB_STORE=files``,
    in ``MEDIA_ROOT/blobs/<2 hex>/<sha256>`` (shared by equal files).
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="snapshots"
    )
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="snapshots")
    role = models.CharField(max_length=20, choices=SnapshotRole.choices)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content = models.BinaryField(null=True, blank=True)
    """The bytes when stored in the database; ``None`` in the file store."""
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("contract", "role", "sha256"), name="one_snapshot_per_content"
            ),
        )

    @staticmethod
    def blob_path(sha256: str) -> Path:
        """Where the file store keeps the bytes of ``sha256``."""
        return Path(settings.MEDIA_ROOT) / "blobs" / sha256[:2] / sha256

    @classmethod
    def store(
        cls, contract: Contract, role: str, name: str, data: bytes, user: User | None
    ) -> ImportSnapshot:
        """Keep ``data`` (at most ``PILOTAGE_MAX_UPLOAD_MB``); the same bytes return
        the existing snapshot."""
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024
        if len(data) > limit:
            raise UploadTooLarge(
                "web.upload.too_large",
                {"name": name, "size": len(data) // (1024 * 1024), "limit": settings.MAX_UPLOAD_MB},
            )
        digest = hashlib.sha256(data).hexdigest()
        existing = cls.objects.filter(contract=contract, role=role, sha256=digest).first()
        if existing is not None:
            return existing
        in_files = settings.BLOB_STORE == "files"
        if in_files:
            path = cls.blob_path(digest)
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(".partial")
                partial.write_bytes(data)
                partial.replace(path)
        snapshot: ImportSnapshot = cls.objects.create(
            organization_id=contract.organization_id,
            contract=contract,
            role=role,
            original_name=Path(name).name[:255],
            sha256=digest,
            size=len(data),
            content=None if in_files else data,
            created_by=user,
        )
        return snapshot

    def read_bytes(self) -> bytes:
        """The file's bytes, wherever they are stored."""
        if self.content is not None:
            return bytes(self.content)
        return self.blob_path(self.sha256).read_bytes()


class Run(models.Model):
    """One evaluation of a contract version on snapshots at ``as_of``, reported for ``period``.

    ``inputs_key`` identifies the request (same contract text, same files, same
    instant, same period, same software): asking again returns this row.
    ``run_key`` is :meth:`pilotage.provenance.Provenance.run_key`.  A
    restatement is a new run; ``restates`` points at the one it replaces.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="runs")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="runs")
    contract_version = models.ForeignKey(
        ContractVersion, on_delete=models.PROTECT, related_name="runs"
    )
    contract_sha256 = models.CharField(max_length=64)
    snapshots = models.ManyToManyField(ImportSnapshot, related_name="runs")
    input_hashes = models.JSONField(default=list)
    """``[{"role", "name", "sha256"}]`` of the snapshots, sorted."""
    period = models.CharField(max_length=7)
    """The reported month, ``2026-10``."""
    as_of = models.DateTimeField()
    inputs_key = models.CharField(max_length=64)
    run_key = models.CharField(max_length=64, blank=True)
    software_versions = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    progress = models.CharField(max_length=200, blank=True)
    """The current step's message code while computing."""
    error = models.TextField(blank=True)
    report_json = models.TextField(blank=True)
    """The monthly report, canonical JSON (:func:`pilotage.reports.render_json`)."""
    restates = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="restated_by"
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    """When a worker claimed it (a run still ``running`` long after was abandoned)."""
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        ordering = ("-as_of", "-created_at")
        constraints = (
            models.UniqueConstraint(fields=("contract", "inputs_key"), name="one_run_per_request"),
        )
        indexes = (models.Index(fields=("contract", "period", "-as_of"), name="run_period"),)

    def __str__(self) -> str:
        return f"{self.contract_id}:{self.period}@{self.as_of:%Y-%m-%d}"

    @property
    def in_progress(self) -> bool:
        """Queued or computing: pages keep polling its status."""
        return self.status in (RunStatus.PENDING, RunStatus.RUNNING)


class WindowResultRow(models.Model):
    """One service level over one window in one run, flattened for dashboards."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="window_rows")
    level_id = models.CharField(max_length=100)
    metric = models.CharField(max_length=40)
    window = models.CharField(max_length=40)
    """``2026-10``, ``2026-Q4``, ``2026`` or a range such as ``2026-01/2026-06``."""
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    eligible = models.IntegerField()
    met = models.IntegerField()
    breached = models.IntegerField()
    waived = models.IntegerField(default=0)
    value = models.DecimalField(max_digits=20, decimal_places=12, null=True)
    objective = models.DecimalField(max_digits=20, decimal_places=12, null=True)
    status = models.CharField(max_length=10)
    """``met``, ``breached`` or ``no_data``."""
    finality = models.CharField(max_length=12)
    penalty = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    """The penalty amount due for this level and window (after caps)."""

    objects = OrgQuerySet.as_manager()

    class Meta:
        ordering = ("level_id", "window_start")
        indexes = (
            models.Index(fields=("run", "level_id", "window_start"), name="wr_run_level"),
            models.Index(fields=("contract", "window_start"), name="wr_contract_window"),
            models.Index(fields=("organization", "status"), name="wr_org_status"),
        )


class LiveSource(models.Model):
    """A GLPI or iTop instance read through its API; tokens are encrypted at rest."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="live_sources"
    )
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.CASCADE, related_name="live_sources"
    )
    kind = models.CharField(max_length=10, choices=SourceKind.choices)
    name = models.CharField(max_length=200)
    url = models.URLField()
    app_token = EncryptedTextField(blank=True, default="")
    user_token = EncryptedTextField(blank=True, default="")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)
    """Fetched every day by the periodic task."""
    cursor = models.CharField(max_length=40, blank=True, default="")
    """Latest modification instant read, as the API writes it (empty: next fetch is full)."""
    fetch_status = models.CharField(max_length=10, blank=True, default="")
    """``""`` (never fetched), ``queued``, ``running``, ``done`` or ``failed``."""
    fetch_progress = models.CharField(max_length=40, blank=True, default="")
    """Message code of the running fetch's current step."""
    fetch_summary = models.JSONField(default=dict, blank=True)
    fetch_error = models.JSONField(default=dict, blank=True)
    """The last failure's message per language (``{"en": ..., "fr": ...}``)."""
    fetched_at = models.DateTimeField(null=True, blank=True)
    tickets_snapshot = models.ForeignKey(
        ImportSnapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    events_snapshot = models.ForeignKey(
        ImportSnapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        ordering = ("name",)


class SignedDocument(AppendOnlyModel):
    """A signed contract document (PDF or DOCX) attached to a contract, with its scan.

    ``findings`` holds the document scan's findings as plain data (rule,
    severity, message code and parameters, page, excerpt), rendered in the
    reader's language.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="signed_documents"
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="signed_documents"
    )
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content = models.BinaryField()
    findings = models.JSONField(default=list)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.name


class AuditQuerySet(OrgQuerySet["AuditLog"]):
    """The audit log refuses bulk changes too."""

    def update(self, **kwargs: Any) -> int:
        """Refused."""
        raise ImmutableError("audit log rows are never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        """Refused."""
        raise ImmutableError("audit log rows are never deleted")


class AuditLog(AppendOnlyModel):
    """Who did what, when, in which organization, to which object, before and after."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=("organization", "-at"), name="audit_org_at"),)

    @classmethod
    def record(
        cls,
        action: str,
        *,
        actor: User | None,
        organization: Organization | None,
        obj: models.Model | None = None,
        before: Any = None,
        after: Any = None,
        ip: str | None = None,
    ) -> AuditLog:
        """Append one entry."""
        return cls.objects.create(
            action=action,
            actor=actor if actor is not None and actor.pk else None,
            organization=organization,
            object_type=type(obj).__name__ if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:300] if obj is not None else "",
            before=before,
            after=after,
            ip=ip,
        )


class FailedLogin(models.Model):
    """A failed sign-in, counted per user name and address to lock out guessing."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-at",)
        indexes = (models.Index(fields=("username", "ip", "at"), name="failed_login_lookup"),)


class ApiToken(models.Model):
    """A bearer token for the API, acting as its user; only its SHA-256 is stored.

    A token is scoped to one ``organization`` and may narrow the user's ``role`` there
    (blank: the member's role).  The API lets an action through only when both the
    member's role and the token's role allow it, so a token never exceeds its user.
    """

    PREFIX = "plt_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="api_tokens"
    )
    """The only organization the token reaches through the API (``None``: none)."""
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    """The role the token acts with (never more than the member's); blank: the member's."""
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    """The token's first characters, to recognize it in a list."""
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    @classmethod
    def issue(
        cls,
        user: User,
        name: str,
        organization: Organization | None = None,
        role: str = "",
    ) -> tuple[ApiToken, str]:
        """Create a token; return it with the secret, shown to the user once."""
        secret = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            organization=organization,
            role=role,
            name=name,
            token_hash=hashlib.sha256(secret.encode()).hexdigest(),
            hint=secret[:12],
        )
        return token, secret

    @classmethod
    def find(cls, secret: str) -> ApiToken | None:
        """The valid, unrevoked token of ``secret`` whose user is active."""
        return (
            cls.objects.select_related("user")
            .filter(
                token_hash=hashlib.sha256(secret.encode()).hexdigest(),
                revoked_at__isnull=True,
                user__is_active=True,
            )
            .first()
        )

    @classmethod
    def authenticate(cls, secret: str) -> User | None:
        """The active user of a valid, unrevoked token."""
        token = cls.find(secret)
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user


class ReportSchedule(models.Model):
    """Who receives a contract's monthly report on its reporting day (``governance.reporting``)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, related_name="report_schedule"
    )
    recipients = models.JSONField(default=list)
    """Email addresses, sorted."""
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.FR)
    enabled = models.BooleanField(default=True)
    last_sent_period = models.CharField(max_length=7, blank=True)
    """The last month whose report was sent (the daily job sends each month once)."""
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OrgQuerySet.as_manager()


class ArchivedReport(AppendOnlyModel):
    """A monthly report rendered from a finished run, in one format and language, kept."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reports")
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(max_length=7)
    format = models.CharField(max_length=4)
    language = models.CharField(max_length=2, choices=Language.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgQuerySet.as_manager()

    class Meta:
        ordering = ("-period", "format", "language")
        constraints = (
            models.UniqueConstraint(
                fields=("run", "format", "language"), name="one_report_per_rendering"
            ),
        )
        indexes = (models.Index(fields=("contract", "-period"), name="report_contract_period"),)
