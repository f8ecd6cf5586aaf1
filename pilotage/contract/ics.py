"""The contract's dates as an iCalendar file (RFC 5545), written without a library.

Every event is an all-day ``VEVENT`` (``DTSTART;VALUE=DATE``) with a stable
``UID`` and a fixed ``DTSTAMP`` (the same inputs give the same bytes), a
``SUMMARY`` and ``DESCRIPTION`` in the user's language and ``VALARM``
reminders.  Lines end with CRLF and are folded at 75 octets without cutting a
UTF-8 character; text values are escaped (backslash, semicolon, comma, newline).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pilotage import i18n
from pilotage.contract.dates import Deadline

__all__ = ["IcsEvent", "deadline_events", "fold", "render_ics"]

PRODID: Final = "-//Pilotage//Contract calendar//EN"
KEY_REMINDERS: Final = (30, 7)
"""Days before a notice, tender, renewal or revision date that a reminder fires."""
ROUTINE_REMINDERS: Final = (2,)
"""Days before a report or committee that a reminder fires."""


@dataclass(frozen=True)
class IcsEvent:
    """One all-day event."""

    uid: str
    day: dt.date
    summary: str
    description: str
    reminders: tuple[int, ...] = ()
    """Days before the event that a display alarm fires."""


def escape(text: str) -> str:
    """A TEXT value escaped as RFC 5545 §3.3.11 requires (other control characters dropped)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(c for c in text if c in "\n\t" or not unicodedata.category(c).startswith("C"))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str, limit: int = 75) -> str:
    """A content line folded into CRLF-joined pieces of at most ``limit`` octets (§3.1)."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        budget = limit if not pieces else limit - 1  # continuation lines start with a space
        if size + width > budget:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def render_ics(events: Sequence[IcsEvent], *, name: str, dtstamp: dt.datetime, lang: str) -> str:
    """The VCALENDAR text (CRLF line ends, folded lines)."""
    stamp = dtstamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY;LANGUAGE={lang}:{escape(event.summary)}",
            f"DESCRIPTION;LANGUAGE={lang}:{escape(event.description)}",
            "TRANSP:TRANSPARENT",
        ]
        for days in event.reminders:
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"TRIGGER:-P{days}D",
                f"DESCRIPTION:{escape(event.summary)}",
                "END:VALARM",
            ]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


_TEXTS: dict[str, dict[str, str]] = {
    "contract.ics.name": {"en": "{title}: dates", "fr": "{title} : échéances"},
    "contract.ics.renewal.summary": {
        "en": "{contract}: tacit renewal",
        "fr": "{contract} : reconduction tacite",
    },
    "contract.ics.renewal.description": {
        "en": "Unless notice was given, the contract renews today for {renewal_term}.",
        "fr": "Sauf préavis donné, le contrat est reconduit ce jour pour {renewal_term}.",
    },
    "contract.ics.term_end.summary": {
        "en": "{contract}: end of the contract",
        "fr": "{contract} : fin du contrat",
    },
    "contract.ics.term_end.description": {
        "en": "The contract ends today; it does not renew by itself.",
        "fr": "Le contrat prend fin ce jour ; il n’est pas reconduit tacitement.",
    },
    "contract.ics.notice_customer.summary": {
        "en": "{contract}: last day for the customer to give notice",
        "fr": "{contract} : dernier jour de préavis du client",
    },
    "contract.ics.notice_customer.description": {
        "en": "With {notice} notice, the customer can end the contract at its term "
        "({term_end}) only if notice is given today at the latest.",
        "fr": "Avec un préavis de {notice}, le client ne peut mettre fin au contrat à son terme "
        "({term_end}) que s’il le donne au plus tard aujourd’hui.",
    },
    "contract.ics.notice_provider.summary": {
        "en": "{contract}: last day for the provider to give notice",
        "fr": "{contract} : dernier jour de préavis du prestataire",
    },
    "contract.ics.notice_provider.description": {
        "en": "After today the provider can no longer end the contract at its term "
        "({term_end}); its notice is {notice}.",
        "fr": "Après ce jour, le prestataire ne peut plus mettre fin au contrat à son terme "
        "({term_end}) ; son préavis est de {notice}.",
    },
    "contract.ics.tender.summary": {
        "en": "{contract}: last day to launch a tender",
        "fr": "{contract} : dernier jour pour lancer un appel d’offres",
    },
    "contract.ics.tender.description": {
        "en": "To choose a successor ({tender_months} months) and run the exit transition "
        "({transition_months} months) before the customer's notice deadline ({notice_by}), "
        "the tender starts today at the latest.",
        "fr": "Pour choisir un successeur ({tender_months} mois) et dérouler la transition de "
        "sortie ({transition_months} mois) avant la date limite de préavis du client "
        "({notice_by}), l’appel d’offres démarre au plus tard aujourd’hui.",
    },
    "contract.ics.indexation.summary": {
        "en": "{contract}: price revision",
        "fr": "{contract} : révision des prix",
    },
    "contract.ics.indexation.description": {
        "en": "Prices may be revised today with the {index} index (base month {base}); check "
        "the provider's computation.",
        "fr": "Les prix peuvent être révisés ce jour selon l’indice {index} (mois de base "
        "{base}) ; vérifiez le calcul du prestataire.",
    },
    "contract.ics.report.summary": {
        "en": "{contract}: monthly report due",
        "fr": "{contract} : rapport du prestataire attendu",
    },
    "contract.ics.report.description": {
        "en": "The provider's report for the period ending {period_end} is due today.",
        "fr": "Le rapport du prestataire pour la période close le {period_end} est dû ce jour.",
    },
    "contract.ics.committee.summary": {
        "en": "{contract}: {name}",
        "fr": "{contract} : {name}",
    },
    "contract.ics.committee.description": {
        "en": "{name} for the period ending {period_end}, held once the provider's report "
        "is in; minutes within {minutes_within}.",
        "fr": "{name} pour la période close le {period_end}, une fois le rapport du "
        "prestataire reçu ; compte rendu sous {minutes_within}.",
    },
}
i18n.register(_TEXTS)

_ROUTINE = ("report", "committee")


def _params(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    return {k: i18n.fmt_date(v, lang) if isinstance(v, dt.date) else v for k, v in params.items()}


def deadline_events(
    deadlines: Iterable[Deadline], *, contract_id: str, lang: str
) -> list[IcsEvent]:
    """Events for the deadlines, in ``lang``; UIDs are stable for a contract and a date."""
    events: list[IcsEvent] = []
    seen: dict[str, int] = {}
    for deadline in deadlines:
        params = _params(deadline.params, lang)
        base = f"{contract_id}-{deadline.kind}-{deadline.day:%Y%m%d}"
        seen[base] = seen.get(base, 0) + 1
        uid = f"{base}-{seen[base]}@pilotage"
        events.append(
            IcsEvent(
                uid=uid,
                day=deadline.day,
                summary=i18n.t(
                    f"contract.ics.{deadline.kind}.summary", lang, contract=contract_id, **params
                ),
                description=i18n.t(f"contract.ics.{deadline.kind}.description", lang, **params),
                reminders=ROUTINE_REMINDERS if deadline.kind in _ROUTINE else KEY_REMINDERS,
            )
        )
    return events
