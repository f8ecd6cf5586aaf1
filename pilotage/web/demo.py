"""The demo organizations: the reference contract, its year of data, a run per month.

``load_demo()`` is idempotent: it creates the demo once and afterwards only
returns who can sign in.  The passwords are fixed and printed: the demo is for
a laptop, never for a server open to others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from django.db import transaction

from pilotage import i18n
from pilotage.contract.loader import load_contract
from pilotage.run import parse_as_of
from pilotage.web import services
from pilotage.web.choices import Role, SnapshotRole
from pilotage.web.models import Contract, Membership, Organization, ProviderAccess, User

__all__ = ["DEMO_MONTHS", "DEMO_USERS", "DemoLogin", "load_demo"]

DEMO_MONTHS = tuple(f"2026-{m:02d}" for m in range(1, 11))
"""The months closed in the demo (January to October 2026)."""

MAIN_ORG = ("Boulangeries Martin SAS", "boulangeries-martin")
SECOND_ORG = ("Transports Durand SARL", "transports-durand")

DEMO_USERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("referent", Role.REFERENT, (MAIN_ORG[1],)),
    ("executive", Role.EXECUTIVE, (MAIN_ORG[1],)),
    ("consultant", Role.CONSULTANT, (MAIN_ORG[1], SECOND_ORG[1])),
    ("auditor", Role.AUDITOR, (MAIN_ORG[1],)),
    ("provider", Role.PROVIDER, (MAIN_ORG[1],)),
    ("durand", Role.REFERENT, (SECOND_ORG[1],)),
)
"""``(user name, role, organization slugs)``; the password is ``<user name>-demo-2026``."""

_FILES = (
    ("tickets.csv", SnapshotRole.TICKETS),
    ("events.csv", SnapshotRole.EVENTS),
    ("claims.csv", SnapshotRole.CLAIMS),
    ("outages.csv", SnapshotRole.MONITORING),
    ("backups.csv", SnapshotRole.BACKUPS),
    ("restore_tests.csv", SnapshotRole.RESTORE_TESTS),
    ("adjustments.csv", SnapshotRole.ADJUSTMENTS),
)

i18n.register(
    {
        "web.demo.creating": {
            "en": "Creating the demo organizations (once)…",
            "fr": "Création des organisations de démonstration (une seule fois)…",
        },
        "web.demo.month": {
            "en": "  {org}: closing {period}",
            "fr": "  {org} : clôture de {period}",
        },
        "web.demo.failed": {
            "en": "  {org}: {period} failed: {error}",
            "fr": "  {org} : échec de {period} : {error}",
        },
    }
)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account."""

    username: str
    password: str
    role: str
    organizations: tuple[str, ...]


def _password(username: str) -> str:
    return f"{username}-demo-2026"


def demo_data_folder() -> Path:
    """The bundled demo files."""
    return Path(str(resources.files("pilotage.demo") / "data"))


def _as_of(period: str, timezone: str) -> dt.datetime:
    """The 10th of the following month at 09:00, when the referent closes ``period``."""
    year, month = (int(x) for x in period.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    epoch = parse_as_of(f"{year:04d}-{month:02d}-10T09:00", timezone)
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def _logins() -> list[DemoLogin]:
    return [DemoLogin(u, _password(u), r, orgs) for u, r, orgs in DEMO_USERS]


def _close_months(
    contract: Contract,
    months: Sequence[str],
    user: User,
    lang: str,
    out: Callable[[str], None],
) -> None:
    folder = demo_data_folder()
    snapshots = [
        services.store_snapshot(contract, role, name, (folder / name).read_bytes(), user)
        for name, role in _FILES
    ]
    version = contract.current_version()
    assert version is not None
    tz = load_contract(version.text).versions[0].terms.timezone
    org = contract.organization.name
    for period in months:
        out(i18n.t("web.demo.month", lang, org=org, period=period))
        run = services.close_month(contract, snapshots, _as_of(period, tz), period, user)
        if run.error:
            out(i18n.t("web.demo.failed", lang, org=org, period=period, error=run.error))


def load_demo(
    months: Sequence[str] = DEMO_MONTHS,
    *,
    lang: str = "en",
    out: Callable[[str], None] = print,
) -> list[DemoLogin]:
    """Create the demo once (organizations, users, contract, snapshots, runs); return the logins.

    The second organization gets the same contract with its last month only: it
    exists to show that organizations do not see each other.
    """
    logins = _logins()
    if Organization.objects.filter(slug=MAIN_ORG[1]).exists():
        return logins
    out(i18n.t("web.demo.creating", lang))
    text = (demo_data_folder() / "contract.yaml").read_text(encoding="utf-8")
    with transaction.atomic():
        orgs = {
            slug: Organization.objects.create(name=name, slug=slug)
            for name, slug in (MAIN_ORG, SECOND_ORG)
        }
        users: dict[str, User] = {}
        for login in logins:
            user = User(username=login.username, email=f"{login.username}@example.test")
            user.language = lang
            user.set_password(login.password)
            user.save()
            users[login.username] = user
            for slug in login.organizations:
                Membership.objects.create(user=user, organization=orgs[slug], role=login.role)
        main = services.create_contract(orgs[MAIN_ORG[1]], text, users["referent"], "demo")
        second = services.create_contract(orgs[SECOND_ORG[1]], text, users["durand"], "demo")
        ProviderAccess.objects.create(contract=main, user=users["provider"])
    _close_months(main, months, users["referent"], lang, out)
    _close_months(second, months[-1:], users["durand"], lang, out)
    return logins
