"""What changed between two extractions of the same tool.

Successive exports overlap: :func:`~pilotage.ingest.canonical.merge_extractions`
keeps the latest row of a ticket.  :func:`diff_extractions` says what that
replaces: tickets whose creation instant moved, whose priority, kind,
category or service changed, that were reopened (or changed state
otherwise), tickets that vanished from the new extraction, new ones, and the
numbers missing from a numbered sequence (tickets deleted at the source, or
never exported).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Final

from pilotage import i18n
from pilotage.tables import MISSING, Tickets
from pilotage.timeutil import check_timezone

__all__ = [
    "COMPARED",
    "ChangeLog",
    "FieldChange",
    "Gap",
    "TicketEdit",
    "changelog_json",
    "diff_extractions",
    "render_changelog",
]

COMPARED: Final = (
    "created_at",
    "priority",
    "kind",
    "category",
    "service",
    "state",
    "resolved_at",
    "closed_at",
)
"""The fields compared, in the order edits list them."""
_CLOSED: Final = frozenset({"resolved", "closed"})
_NUMBERED = re.compile(r"(\D*?)(\d+)")


@dataclass(frozen=True)
class FieldChange:
    """One field of a ticket: its value before and after (instants as UTC
    epoch seconds, MISSING when unknown; texts as read)."""

    field: str
    before: str | int
    after: str | int

    @property
    def reopened(self) -> bool:
        """A resolved or closed ticket open again."""
        return self.field == "state" and self.before in _CLOSED and self.after == "open"


@dataclass(frozen=True)
class TicketEdit:
    """A ticket present in both extractions whose compared fields differ."""

    ticket_id: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Gap:
    """Consecutive ticket numbers found in neither extraction."""

    prefix: str
    first: int
    last: int
    width: int = 0
    """Digits of the numbers when the ids are zero-padded (``R-000123``: 6)."""

    def label(self, number: int) -> str:
        """A missing number written as the ids are."""
        return f"{self.prefix}{number:0{self.width}d}"

    @property
    def count(self) -> int:
        """How many numbers are missing."""
        return self.last - self.first + 1


@dataclass(frozen=True)
class ChangeLog:
    """Everything :func:`diff_extractions` found, ids in ticket order."""

    edited: list[TicketEdit] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.edited or self.vanished or self.new or self.gaps)


def _order(ticket_id: str) -> tuple[str, int, str]:
    match = _NUMBERED.fullmatch(ticket_id)
    return (match.group(1), int(match.group(2)), "") if match else (ticket_id, -1, ticket_id)


def _gaps(ids: set[str]) -> list[Gap]:
    """Missing numbers of each prefix's sequence (``123``, ``R-000123``)."""
    numbers: dict[str, set[int]] = {}
    widths: dict[str, set[int]] = {}
    for ticket_id in ids:
        match = _NUMBERED.fullmatch(ticket_id)
        if match:
            digits = match.group(2)
            numbers.setdefault(match.group(1), set()).add(int(digits))
            widths.setdefault(match.group(1), set()).add(len(digits) if digits[0] == "0" else 0)
    gaps: list[Gap] = []
    for prefix, found in sorted(numbers.items()):
        ordered = sorted(found)
        width = max(widths[prefix])
        for low, high in itertools.pairwise(ordered):
            if high > low + 1:
                gaps.append(Gap(prefix, low + 1, high - 1, width))
    return gaps


def _value(tickets: Tickets, name: str, row: int) -> str | int:
    value = getattr(tickets, name)[row]
    return int(value) if name.endswith("_at") else str(value)


def diff_extractions(previous: Tickets, current: Tickets) -> ChangeLog:
    """The field-level change log from ``previous`` to ``current``."""
    before = {tid: i for i, tid in enumerate(previous.id.tolist())}
    after = {tid: i for i, tid in enumerate(current.id.tolist())}
    edited: list[TicketEdit] = []
    for tid in sorted(before.keys() & after.keys(), key=_order):
        changes = []
        for name in COMPARED:
            old = _value(previous, name, before[tid])
            new = _value(current, name, after[tid])
            if old != new:
                changes.append(FieldChange(name, old, new))
        if changes:
            edited.append(TicketEdit(tid, tuple(changes)))
    return ChangeLog(
        edited=edited,
        vanished=sorted(before.keys() - after.keys(), key=_order),
        new=sorted(after.keys() - before.keys(), key=_order),
        gaps=_gaps(before.keys() | after.keys()),
    )


i18n.register(
    {
        "changes.none": {
            "en": "No change between the two extractions.",
            "fr": "Aucun changement entre les deux extractions.",
        },
        "changes.summary": {
            "en": "{edited} ticket(s) edited, {vanished} vanished, {new} new, "
            "{missing} ticket number(s) missing.",
            "fr": "{edited} ticket(s) modifié(s), {vanished} disparu(s), {new} nouveau(x), "
            "{missing} numéro(s) de ticket manquant(s).",
        },
        "changes.edited": {"en": "Edited tickets:", "fr": "Tickets modifiés :"},
        "changes.change": {
            "en": "{field}: {before} -> {after}",
            "fr": "{field} : {before} -> {after}",
        },
        "changes.reopened": {"en": "reopened", "fr": "rouvert"},
        "changes.vanished": {
            "en": "Vanished from the new extraction: {ids}",
            "fr": "Disparus de la nouvelle extraction : {ids}",
        },
        "changes.new": {"en": "New tickets: {ids}", "fr": "Nouveaux tickets : {ids}"},
        "changes.gaps": {
            "en": "Ticket numbers found in neither extraction: {ranges}",
            "fr": "Numéros de ticket absents des deux extractions : {ranges}",
        },
        "changes.field.created_at": {"en": "creation moved", "fr": "création déplacée"},
        "changes.field.priority": {"en": "priority", "fr": "priorité"},
        "changes.field.kind": {"en": "kind", "fr": "type"},
        "changes.field.category": {"en": "category", "fr": "catégorie"},
        "changes.field.service": {"en": "service", "fr": "service"},
        "changes.field.state": {"en": "state", "fr": "état"},
        "changes.field.resolved_at": {"en": "resolution moved", "fr": "résolution déplacée"},
        "changes.field.closed_at": {"en": "closing moved", "fr": "clôture déplacée"},
        "changes.empty": {"en": "(empty)", "fr": "(vide)"},
    }
)


def _shown(value: str | int, timezone: str | None, lang: str) -> str:
    if isinstance(value, int):
        if value == MISSING:
            return i18n.t("changes.empty", lang)
        moment = dt.datetime.fromtimestamp(value, dt.UTC)
        if timezone is not None:
            moment = moment.astimezone(check_timezone(timezone))
        return i18n.fmt_datetime(moment, lang)
    return value or i18n.t("changes.empty", lang)


def _ids(ids: list[str], limit: int) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" (+{len(ids) - limit})" if len(ids) > limit else "")


def render_changelog(
    log: ChangeLog, lang: str, timezone: str | None = None, limit: int = 200
) -> str:
    """The change log as text in ``lang`` (instants in ``timezone``, else UTC);
    at most ``limit`` tickets or ids per list."""
    if not log:
        return i18n.t("changes.none", lang)
    lines = [
        i18n.t(
            "changes.summary",
            lang,
            edited=i18n.fmt_number(len(log.edited), lang),
            vanished=i18n.fmt_number(len(log.vanished), lang),
            new=i18n.fmt_number(len(log.new), lang),
            missing=i18n.fmt_number(sum(g.count for g in log.gaps), lang),
        )
    ]
    if log.edited:
        lines.append(i18n.t("changes.edited", lang))
        for edit in log.edited[:limit]:
            parts = []
            for change in edit.changes:
                text = i18n.t(
                    "changes.change",
                    lang,
                    field=i18n.t(f"changes.field.{change.field}", lang),
                    before=_shown(change.before, timezone, lang),
                    after=_shown(change.after, timezone, lang),
                )
                if change.reopened:
                    text += f" ({i18n.t('changes.reopened', lang)})"
                parts.append(text)
            lines.append(f"  {edit.ticket_id}: " + "; ".join(parts))
        if len(log.edited) > limit:
            lines.append(f"  (+{len(log.edited) - limit})")
    if log.vanished:
        lines.append(i18n.t("changes.vanished", lang, ids=_ids(log.vanished, limit)))
    if log.new:
        lines.append(i18n.t("changes.new", lang, ids=_ids(log.new, limit)))
    if log.gaps:
        ranges = [
            g.label(g.first) if g.count == 1 else f"{g.label(g.first)} … {g.label(g.last)}"
            for g in log.gaps
        ]
        lines.append(i18n.t("changes.gaps", lang, ranges=_ids(ranges, limit)))
    return "\n".join(lines)


def changelog_json(log: ChangeLog) -> dict[str, Any]:
    """The change log as plain data (instants as UTC epoch seconds or None)."""

    def value(v: str | int) -> str | int | None:
        return None if v == MISSING else v

    return {
        "edited": [
            {
                "ticket_id": e.ticket_id,
                "changes": [
                    {
                        "field": c.field,
                        "before": value(c.before),
                        "after": value(c.after),
                        "reopened": c.reopened,
                    }
                    for c in e.changes
                ],
            }
            for e in log.edited
        ],
        "vanished": log.vanished,
        "new": log.new,
        "gaps": [{"prefix": g.prefix, "first": g.first, "last": g.last} for g in log.gaps],
    }
