"""Builders for web tests: the personas of one organization and an outsider.

``build_world()`` creates organization *Acme* with one user per role, a
contract the provider is attached to and one it is not, and organization
*Other* with its own referent (the outsider) and contract.  Every password is
:data:`PASSWORD`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pilotage.web import services
from pilotage.web.choices import Role, SnapshotRole
from pilotage.web.models import (
    Contract,
    ImportSnapshot,
    Membership,
    Organization,
    ProviderAccess,
    Run,
    User,
)

PASSWORD = "correct-horse-battery-staple"
DEMO_DATA = Path(str(resources.files("pilotage.demo") / "data"))
DEMO_AS_OF = dt.datetime(2026, 11, 10, 8, 0, tzinfo=dt.UTC)
"""10 November 2026, 09:00 in Paris: when the referent closes October."""
DEMO_FILES = {
    "tickets.csv": SnapshotRole.TICKETS,
    "events.csv": SnapshotRole.EVENTS,
    "claims.csv": SnapshotRole.CLAIMS,
    "outages.csv": SnapshotRole.MONITORING,
    "backups.csv": SnapshotRole.BACKUPS,
    "restore_tests.csv": SnapshotRole.RESTORE_TESTS,
    "adjustments.csv": SnapshotRole.ADJUSTMENTS,
}


def demo_contract_text() -> str:
    """The bundled reference contract's YAML text."""
    return (DEMO_DATA / "contract.yaml").read_text(encoding="utf-8")


def create_user(username: str, **fields: object) -> User:
    """A user with :data:`PASSWORD`."""
    user = User(username=username, email=f"{username}@example.test", **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def create_member(org: Organization, username: str, role: str) -> User:
    """A user with ``role`` in ``org``."""
    user = create_user(username)
    Membership.objects.create(user=user, organization=org, role=role)
    return user


@dataclass
class World:
    """Two organizations and their people."""

    org: Organization
    other_org: Organization
    users: dict[str, User]
    """One per role in ``org``."""
    outsider: User
    """Referent of ``other_org``, member of nothing in ``org``."""
    contract: Contract
    """In ``org``; the provider is attached to it."""
    hidden_contract: Contract
    """In ``org``; the provider is not attached to it."""
    other_contract: Contract


def build_world() -> World:
    """Create the personas, organizations and contracts."""
    org = Organization.objects.create(name="Acme", slug="acme")
    other = Organization.objects.create(name="Other", slug="other")
    users = {role: create_member(org, role, role) for role in Role.values}
    outsider = create_member(other, "outsider", Role.REFERENT)
    text = demo_contract_text()
    contract = services.create_contract(org, text, users[Role.REFERENT])
    hidden = services.create_contract(org, text, users[Role.REFERENT])
    hidden.title = "Hidden from the provider"
    hidden.save(update_fields=["title"])
    ProviderAccess.objects.create(contract=contract, user=users[Role.PROVIDER])
    other_contract = services.create_contract(other, text, outsider)
    return World(org, other, users, outsider, contract, hidden, other_contract)


def pending_run(contract: Contract, period: str = "2026-10") -> Run:
    """A queued run row (nothing computed), for pages that show a run."""
    version = contract.current_version()
    assert version is not None
    return Run.objects.create(
        organization=contract.organization,
        contract=contract,
        contract_version=version,
        contract_sha256=version.sha256,
        period=period,
        as_of=dt.datetime(2026, 11, 10, 8, tzinfo=dt.UTC),
        inputs_key=f"pending-{period}-{Run.objects.count()}",
    )


def demo_snapshots(contract: Contract) -> list[ImportSnapshot]:
    """The bundled year of data imported as snapshots of ``contract``."""
    return [
        services.store_snapshot(contract, role, name, (DEMO_DATA / name).read_bytes(), None)
        for name, role in DEMO_FILES.items()
    ]


def close_demo_month(
    contract: Contract, period: str = "2026-10", as_of: dt.datetime = DEMO_AS_OF
) -> Run:
    """A finished run of ``contract`` on the bundled data (about a second)."""
    return services.close_month(contract, demo_snapshots(contract), as_of, period, None)
