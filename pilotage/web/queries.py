"""Read models for pages: a bounded number of queries whatever the number of contracts.

Dashboards read the stored :class:`~pilotage.web.models.WindowResultRow` of
each contract's latest run; nothing here calls the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from pilotage.web.choices import Role
from pilotage.web.models import Contract, Membership, Run, User, WindowResultRow

__all__ = ["ContractSummary", "portfolio_contracts", "summarize_contracts"]


@dataclass
class ContractSummary:
    """A contract with the figures of its latest run's month."""

    contract: Contract
    run: Run | None
    counts: dict[str, int] = field(default_factory=dict)
    """``{"met": n, "breached": n, "no_data": n}`` over the month's windows."""
    penalty: Decimal = Decimal("0.00")


def summarize_contracts(contracts: Iterable[Contract]) -> list[ContractSummary]:
    """Each contract's latest run summarized, in two queries (contracts, then their rows).

    The contracts should be fetched with ``select_related("latest_run")``.
    """
    summaries = [ContractSummary(c, c.latest_run) for c in contracts]
    run_ids = [s.run.pk for s in summaries if s.run is not None]
    if not run_ids:
        return summaries
    rows = (
        WindowResultRow.objects.filter(run_id__in=run_ids, window=F("run__period"))
        .values("run_id", "status")
        .annotate(n=Count("id"), penalty=Sum("penalty"))
        .order_by()
    )
    by_run: dict[int, ContractSummary] = {s.run.pk: s for s in summaries if s.run is not None}
    for row in rows:
        summary = by_run[row["run_id"]]
        summary.counts[row["status"]] = row["n"]
        summary.penalty += row["penalty"] or Decimal(0)
    return summaries


def portfolio_contracts(user: User) -> tuple[Sequence[Membership], list[ContractSummary]]:
    """The user's memberships and every contract they may see across them, in three queries."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
    )
    full = [m.organization_id for m in memberships if m.role != Role.PROVIDER]
    narrow = [m.organization_id for m in memberships if m.role == Role.PROVIDER]
    contracts = (
        Contract.objects.filter(
            Q(organization_id__in=full)
            | Q(organization_id__in=narrow, provider_accesses__user=user)
        )
        .select_related("organization", "latest_run")
        .order_by("organization__name", "title")
        .distinct()
    )
    return memberships, summarize_contracts(contracts)
