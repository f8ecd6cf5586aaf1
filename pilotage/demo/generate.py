"""The bundled example year: a seeded, deterministic generator.

Boulangeries Martin SAS (six bakeries and a headquarters, about sixty users)
outsources its IT to NordInfo Services under the reference contract.  This
module writes, for 2026-01-01 to 2026-11-20, the files a customer holds at the
end of that period: the canonical tickets and status history, the provider's
GLPI export of October, the provider's claimed monthly figures, the mail
monitoring (outages and October probe samples), backups, restore tests and the
waivers agreed in committee.  ``docs/demo-data.md`` tells the story.

The generator depends only on its seed: ``random.Random(seed)``, zoneinfo and
the ``holidays`` package; never on the current date, the locale or a global
state.  The same seed gives byte-identical files (gzip members are written with
a zero timestamp).  The SLA outcomes are planned (which tickets breach which
level each month) and the timelines are laid out in business time so that the
plan holds exactly; the provider's verdicts are then recomputed the way GLPI
computes them (every pending status pauses, no public holidays).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import math
import random
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "AS_OF",
    "DEFAULT_SEED",
    "EVENT_COLUMNS",
    "EXTRACTED_AT",
    "FILES",
    "GLPI_COLUMNS",
    "GLPI_EXPORTED_AT",
    "PARIS",
    "TICKET_COLUMNS",
    "Calendar",
    "DemoYear",
    "build",
    "contract_calendar",
    "generate",
    "glpi_calendar",
]


def _words(text: str) -> list[str]:
    return text.split()


PARIS = ZoneInfo("Europe/Paris")
DEFAULT_SEED = 2026
FIRST_DAY = dt.date(2026, 1, 1)
LAST_DAY = dt.date(2026, 11, 20)
EXTRACTED_AT = dt.datetime(2026, 11, 20, 23, 59, tzinfo=PARIS)
"""When the customer extracted the data: later events do not exist yet."""
GLPI_EXPORTED_AT = dt.datetime(2026, 11, 5, 17, 45, tzinfo=PARIS)
"""When the provider exported the October GLPI list it sent with its report."""
AS_OF = dt.datetime(2026, 11, 10, 9, 0, tzinfo=PARIS)
"""The evaluation instant of the demo's October report."""

TICKET_COLUMNS = _words(
    "id kind priority service category site title requester created_at first_response_at "
    "resolved_at closed_at state parent_id waiting_seconds provider_sla_met "
    "provider_response_met provider_resolution_met"
)
EVENT_COLUMNS = ["ticket_id", "at", "status", "pause_reason", "priority", "source_status"]
CLAIM_COLUMNS = ["service_level", "window", "eligible", "met", "compliance"]
OUTAGE_COLUMNS = ["service", "start", "end", "kind", "announced_at"]
PROBE_COLUMNS = ["service", "at", "up"]
BACKUP_COLUMNS = ["service", "scheduled_at", "status"]
RESTORE_COLUMNS = ["service", "performed_at", "duration", "success"]
ADJUSTMENT_COLUMNS = ["ticket_id", "service_level", "decision", "reason", "agreed_on"]
GLPI_COLUMNS = [
    "ID",
    "Titre",
    "Statut",
    "Date d'ouverture",
    "Dernière modification",
    "Priorité",
    "Type",
    "Catégorie",
    "Lieu",
    "Demandeur - Demandeur",
    "Date de résolution",
    "Date de clôture",
    "Délai d'attente",
    "Délai de prise en compte",
    "Délai de résolution",
    "Temps de prise en charge",
    "Temps de résolution",
    "Temps de prise en charge dépassé",
    "Temps de résolution dépassé",
]

FILES = (
    "contract.yaml",
    "tickets.csv",
    "events.csv",
    "glpi-2026-10.csv",
    "claims.csv",
    "outages.csv",
    "probes-2026-10.csv.gz",
    "backups.csv",
    "restore_tests.csv",
    "adjustments.csv",
)
"""The files :func:`generate` writes, in that order."""

CONTRACT_FILE = Path(__file__).resolve().parent / "data" / "contract.yaml"

SITES = ("Lille", "Roubaix", "Tourcoing", "Villeneuve-d'Ascq", "Lens", "Arras", "Siège")
MINUTE = 60
HOUR = 3600

# Monthly plan (month number -> value).  Ticket volumes, P1 incidents and the
# breaches each level must show, counted on the contract's rules.
VOLUME = {1: 334, 2: 301, 3: 312, 4: 286, 5: 262, 6: 291, 7: 258, 8: 252, 9: 323, 10: 306}
VOLUME_NOVEMBER = 205  # 1 to 20 November
P1_COUNT = {1: 4, 2: 3, 3: 5, 4: 3, 5: 4, 6: 3, 7: 3, 8: 3, 9: 3, 10: 5, 11: 2}
P1_RESOLUTION_BREACHES = {1: 1, 3: 3, 9: 2, 10: 3}
P2_BREACHES = {1: 3, 2: 1, 4: 1, 5: 1, 7: 1, 8: 1, 10: 1}
REQUEST_BREACH_RATE = {1: 0.07, 8: 0.16}
REQUEST_BREACH_RATE_DEFAULT = 0.03


# --------------------------------------------------------------------------- calendars


def _epoch(day: dt.date, hour: int, minute: int = 0) -> int:
    return int(dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS).timestamp())


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


class Calendar:
    """Business hours Mon-Fri 08:00-12:30 and 13:30-18:00 (Paris), minus ``closed_days``.

    ``position(t)`` is the business seconds elapsed since the calendar's origin
    (a monotone function); ``instant(p)`` is the earliest instant at position
    ``p``.  Used to lay timelines out and to compute verdicts.
    """

    def __init__(self, closed_days: set[dt.date]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.before: list[int] = []  # open seconds before each interval
        total = 0
        for day in _days(dt.date(2025, 12, 1), dt.date(2027, 1, 31)):
            if day.weekday() >= 5 or day in closed_days:
                continue
            for h1, m1, h2, m2 in ((8, 0, 12, 30), (13, 30, 18, 0)):
                start, end = _epoch(day, h1, m1), _epoch(day, h2, m2)
                self.starts.append(start)
                self.ends.append(end)
                self.before.append(total)
                total += end - start
        self.after = [
            b + e - s for b, s, e in zip(self.before, self.starts, self.ends, strict=True)
        ]

    def position(self, t: int) -> int:
        """Business seconds from the origin to ``t``."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        return self.before[i] + min(t, self.ends[i]) - self.starts[i]

    def instant(self, p: int) -> int:
        """The earliest instant whose position is ``p``."""
        i = bisect_left(self.after, p)
        return self.starts[i] + p - self.before[i]

    def elapsed(self, a: int, b: int) -> int:
        """Business seconds between ``a`` and ``b``."""
        return self.position(b) - self.position(a)


def contract_calendar() -> Calendar:
    """The contract's ``business`` calendar: French holidays, Whit Monday worked."""
    names = holidays.country_holidays("FR", years=[2025, 2026, 2027], language="fr")
    closed = {day for day, name in names.items() if name != "Lundi de Pentecôte"}
    return Calendar(closed)


def glpi_calendar() -> Calendar:
    """The provider's GLPI calendar: the same hours, but no holiday was entered."""
    return Calendar(set())


# --------------------------------------------------------------------------- people


_FIRST = _words(
    "Julie Camille Léa Manon Chloé Sarah Inès Emma Laura Pauline Lucie Marie Océane Clara "
    "Élodie Amandine Nathalie Sandrine Isabelle Céline Thomas Nicolas Julien Kevin Maxime "
    "Antoine Romain Alexandre Mathieu Hugo Lucas Quentin Baptiste Florian Jérémy Olivier "
    "Stéphane Christophe Sébastien Yannick Karim Mehdi Sofiane Rachid Fatima Amina Yasmine"
)
_LAST = _words(
    "Lefebvre Lemaire Delattre Dubois Leroy Duhamel Vandenberghe Deldalle Lecomte Bouchez "
    "Caron Delannoy Wattiez Lambin Dhalluin Vasseur Lebrun Carpentier Delcroix Hennebelle "
    "Masquelier Verbeke Dewulf Mouton Flament Decottignies Benali Haddouche Cordier Lagache "
    "Prévost Sénéchal Boulanger Descamps Ryckebusch Laurent Mercier Fontaine Marchand Roussel"
)


@dataclass(frozen=True)
class Person:
    """A fictitious employee of the customer."""

    name: str
    site: str
    manager: bool


def _people(rng: random.Random) -> list[Person]:
    staff = {"Siège": 18, "Lille": 8, "Roubaix": 7, "Tourcoing": 7}
    staff.update({"Villeneuve-d'Ascq": 7, "Lens": 7, "Arras": 6})
    used: set[str] = {"Claire Dubois", "Hugo Petit"}
    people = [Person("Claire Dubois", "Siège", True), Person("Hugo Petit", "Siège", False)]
    for site in SITES:
        count = staff[site] - (2 if site == "Siège" else 0)
        for i in range(count):
            while True:
                name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
                if name not in used:
                    break
            used.add(name)
            people.append(Person(name, site, i == 0))
    return people


# --------------------------------------------------------------------------- titles

# (service, category, kind) -> templates; {site} is the requester's site,
# {person} the requester's name.
_TITLES: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("messagerie", "Messagerie", "incident"): (
        "Outlook ne s'ouvre plus sur le poste du bureau de {site}",
        "Messages bloqués dans la boîte d'envoi ({site})",
        "Boîte aux lettres pleine : {person}",
        "Impossible d'envoyer des pièces jointes depuis {site}",
        "Calendrier partagé des livraisons ne se synchronise plus",
        "Courriels des fournisseurs classés en indésirables",
        "Messagerie très lente au {site_de}",
        "Outlook demande le mot de passe en boucle ({person})",
        "Teams et Outlook déconnectés au {site_de}",
        "Les mails de commandes@ n'arrivent plus au {site_de}",
        "Message d'erreur « boîte aux lettres introuvable » pour {person}",
        "Outlook sur smartphone ne synchronise plus ({person})",
    ),
    ("messagerie", "Messagerie", "request"): (
        "Création d'une boîte mail pour un nouvel arrivant ({site})",
        "Accès à la boîte partagée commandes@ pour {person}",
        "Création d'une liste de diffusion « responsables magasins »",
        "Message d'absence à configurer pour {person}",
        "Transfert de la boîte de {person} avant son départ",
        "Ajout d'une signature commune pour le {site_de}",
        "Configuration de la messagerie sur le smartphone de {person}",
        "Augmentation de la taille de la boîte de {person}",
    ),
    ("postes", "Imprimante", "incident"): (
        "Imprimante du {site_de} hors service",
        "Imprimante d'étiquettes du fournil de {site} en erreur",
        "Bourrage papier à répétition sur l'imprimante de {site}",
        "Impression des bons de commande impossible à {site}",
        "L'imprimante de {site} imprime des pages blanches",
        "Scanner de l'imprimante de {site} n'envoie plus par mail",
        "Imprimante de {site} hors ligne après une coupure de courant",
    ),
    ("postes", "Imprimante", "request"): (
        "Remplacement du toner de l'imprimante de {site}",
        "Installation de l'imprimante du bureau sur le poste de {person}",
        "Commande de rouleaux d'étiquettes pour le fournil de {site}",
    ),
    ("postes", "Poste de travail", "incident"): (
        "Le poste de caisse de {site} ne démarre plus",
        "Écran noir sur le PC du bureau de {site}",
        "PC portable de {person} très lent",
        "Clavier et souris sans fil ne répondent plus ({site})",
        "Lecteur de codes-barres non reconnu à {site}",
        "Mise à jour Windows bloquée sur le poste de {site}",
        "Tablette de prise de commande de {site} ne se connecte plus",
        "Session Windows verrouillée pour {person}",
        "Écran tactile de la caisse de {site} ne répond plus",
        "Excel se ferme à l'ouverture des fichiers pour {person}",
        "Le PC de {person} redémarre sans arrêt",
        "Balance connectée du magasin de {site} ne communique plus avec la caisse",
    ),
    ("postes", "Poste de travail", "request"): (
        "Installation d'un poste pour un nouvel arrivant ({site})",
        "Remplacement de la souris de {person}",
        "Installation d'Adobe Acrobat Reader pour {person}",
        "Demande d'un second écran pour {person}",
        "Déplacement d'un poste dans le bureau de {site}",
        "Compte Windows pour un saisonnier ({site})",
        "Réinitialisation du mot de passe de {person}",
        "Préparation d'un PC portable pour {person}",
        "Remplacement de la batterie du portable de {person}",
        "Installation de Teams sur la tablette du magasin de {site}",
    ),
    ("erp", "ERP", "incident"): (
        "Sage X3 : erreur à la validation des commandes ({site})",
        "ERP inaccessible depuis le {site_de}",
        "Écart de stock de farine entre l'ERP et l'inventaire de {site}",
        "Sage X3 très lent en fin de mois",
    ),
    ("erp", "Sage", "incident"): (
        "Édition des factures fournisseurs en échec dans Sage",
        "Sage : les ventes de {site} ne remontent plus",
        "Sage : erreur d'arrondi sur les avoirs clients",
    ),
    ("erp", "ERP", "request"): (
        "Création d'un utilisateur Sage X3 pour {person}",
        "Ajout d'un article « pain de campagne 800 g » dans l'ERP",
        "Export des ventes du mois depuis Sage X3",
        "Nouveau tarif des viennoiseries à saisir dans l'ERP",
    ),
    ("sauvegarde", "Sauvegarde", "incident"): (
        "Alerte d'espace disque sur le dépôt de sauvegarde",
        "Job de sauvegarde du serveur de fichiers en avertissement",
    ),
    ("sauvegarde", "Sauvegarde", "request"): (
        "Restauration d'un fichier supprimé sur le partage Compta",
        "Restauration du dossier « Recettes » du siège",
        "Restauration d'un classeur écrasé pour {person}",
        "Restauration d'un mail supprimé par erreur ({person})",
    ),
    ("", "Réseau", "incident"): (
        "Box internet du {site_de} en panne",
        "Terminal de paiement sans connexion réseau ({site})",
        "VPN inaccessible pour {person} en télétravail",
        "Téléphone IP de {site} sans tonalité",
        "Wi-Fi du {site_de} coupé",
        "Connexion internet très lente au {site_de}",
        "Lecteur réseau « Commun » inaccessible pour {person}",
    ),
    ("", "Réseau", "request"): (
        "Ouverture d'un accès VPN pour {person}",
        "Ajout d'une prise réseau au fournil de {site}",
        "Accès Wi-Fi invité pour le salon de thé de {site}",
    ),
    ("", "Comptes et accès", "request"): (
        "Création des accès pour un nouvel arrivant ({site})",
        "Désactivation des comptes de {person} (départ)",
        "Accès au dossier partagé RH pour {person}",
        "Droits de validation des bons de commande pour {person}",
    ),
}
_STORE_ONLY = ("fournil", "caisse", "Terminal de paiement", "codes-barres", "Tablette", "tablette")
"""Words of titles that only make sense in a bakery, not at the headquarters."""
_SERVICE_WEIGHT = {
    "request": {"messagerie": 3.0, "postes": 5.0, "erp": 1.0, "sauvegarde": 0.5, "": 2.0},
    "incident": {"messagerie": 3.0, "postes": 6.0, "erp": 1.0, "sauvegarde": 0.3, "": 2.0},
}
_P1_TITLES: tuple[tuple[str, str, str], ...] = (
    ("", "Réseau", "{site_De} sans informatique : caisses et réseau à l'arrêt"),
    ("", "Réseau", "Lien internet coupé au {site_de}, encaissement impossible"),
    ("postes", "Poste de travail", "Toutes les caisses du {site_de} bloquées"),
    ("messagerie", "Messagerie", "Messagerie indisponible pour tout le siège"),
    ("", "Réseau", "Serveur de fichiers du siège inaccessible"),
    ("postes", "Imprimante", "Serveur d'impression à l'arrêt : plus d'étiquettes au {site_de}"),
)
_P2_TITLES: tuple[tuple[str, str, str], ...] = (
    ("postes", "Poste de travail", "Plusieurs caisses bloquées au {site_de}"),
    ("postes", "Imprimante", "Impression impossible dans tout le {site_de}"),
    ("messagerie", "Messagerie", "Messagerie inaccessible pour l'équipe comptable"),
    ("", "Réseau", "Wi-Fi du fournil de {site} instable, tablettes déconnectées"),
    ("", "Réseau", "Terminal de paiement et caisse 2 hors service ({site})"),
    ("messagerie", "Messagerie", "Réception des commandes clients par mail bloquée"),
    ("postes", "Poste de travail", "Logiciel de caisse en erreur sur tous les postes de {site}"),
    ("", "Réseau", "Téléphonie du {site_de} hors service"),
    (
        "postes",
        "Poste de travail",
        "Les commandes des tablettes n'arrivent plus au fournil de {site}",
    ),
    ("", "Réseau", "VPN du siège en panne pour tous les télétravailleurs"),
    ("messagerie", "Messagerie", "Boîte partagée commandes@ inaccessible"),
    ("postes", "Imprimante", "Plus aucune étiquette de traçabilité au fournil de {site}"),
)


_ELISION = re.compile(r"\bde ([AEIOUÉ])")


def _title(template: str, person: Person) -> str:
    """Fill a title template in correct French (« au siège », « d'Arras »)."""
    if person.site == "Siège":
        template = template.replace("de {site}", "du siège").replace("à {site}", "au siège")
        template = template.replace("{site}", "siège")
    store = person.site != "Siège"
    text = template.format(
        site=person.site,
        person=person.name,
        site_de=f"magasin de {person.site}" if store else "siège",
        site_De=f"Magasin de {person.site}" if store else "Siège",
    )
    return _ELISION.sub(r"d'\1", text)


# --------------------------------------------------------------------------- tickets


@dataclass
class Event:
    """One status row of a ticket."""

    at: int
    status: str
    source_status: str
    pause_reason: str = ""
    priority: str = ""


@dataclass
class Ticket:
    """A ticket as the generator plans and lays it out (instants are epoch seconds)."""

    kind: str
    priority: str
    service: str
    category: str
    site: str
    title: str
    requester: str
    created: int
    id: str = ""
    initial_priority: str = ""
    parent: Ticket | None = None
    outcome: str = ""  # "met" or "breach" on the level the ticket belongs to; "" otherwise
    response_outcome: str = ""  # P1 taking charge: "met", "breach", "holiday" (late for GLPI only)
    fate: str = "normal"  # normal | cancelled | merged | open
    vendor_pause: bool = False
    events: list[Event] = field(default_factory=list)
    first_response: int | None = None
    resolved: int | None = None
    closed: int | None = None
    state: str = "open"
    waiting: int | None = None
    provider_response: bool | None = None
    provider_resolution: bool | None = None

    @property
    def level(self) -> str:
        """The resolution level the ticket is eligible to ("" when none)."""
        if self.service == "erp" or self.fate in ("cancelled", "merged"):
            return ""
        if self.kind == "request":
            return "requests"
        return {"P1": "p1-resolution", "P2": "p2-resolution"}.get(self.priority, "")


def _p1_target(created: int) -> int:
    """P1 resolution target: 4 h, 3 h for clocks started from July (amendment 1)."""
    return 3 * HOUR if created >= _epoch(dt.date(2026, 7, 1), 0) else 4 * HOUR


def _target(ticket: Ticket) -> int:
    if ticket.kind == "request":
        return 27 * HOUR
    return {"P1": _p1_target(ticket.created), "P2": 8 * HOUR}.get(ticket.priority, 0)


def _early(tickets: Sequence[Ticket]) -> list[Ticket]:
    """The tickets created by the 22nd: a planned breach's deadline stays in its month."""
    return [t for t in tickets if dt.datetime.fromtimestamp(t.created, PARIS).day <= 22]


def _loguniform(rng: random.Random, low: float, high: float) -> int:
    return int(math.exp(rng.uniform(math.log(low), math.log(high))))


class _Builder:
    """Plans the year's tickets and lays their timelines out."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.cal = contract_calendar()
        self.glpi = glpi_calendar()
        self.holidays = {
            d
            for d, n in holidays.country_holidays("FR", years=[2026], language="fr").items()
            if n != "Lundi de Pentecôte"
        }
        self.people = _people(self.rng)
        self.tickets: list[Ticket] = []
        self.special: dict[str, Ticket] = {}

    # ---- creation instants

    def _day(self, month: int, first: int = 1, last: int = 31) -> dt.date:
        if month == 11:
            month_end = LAST_DAY.day
        else:
            month_end = (dt.date(2026, month + 1, 1) - dt.timedelta(days=1)).day
        days = [dt.date(2026, month, d) for d in range(first, min(last, month_end) + 1)]
        weights = []
        for day in days:
            w = 1.0 if day.weekday() < 5 else (0.25 if day.weekday() == 5 else 0.1)
            if day in self.holidays:
                w = 0.1
            if month == 8 and 3 <= day.day <= 21:
                w *= 0.8
            weights.append(w)
        return self.rng.choices(days, weights)[0]

    def _instant(self, day: dt.date, business: bool) -> int:
        rng = self.rng
        if business and day.weekday() < 5 and day not in self.holidays:
            while True:
                minute = rng.randint(8 * 60, 18 * 60 - 1)
                if not (12 * 60 + 30 <= minute < 13 * 60 + 30) or rng.random() < 0.25:
                    break
        elif day.weekday() >= 5 or day in self.holidays:
            minute = rng.randint(6 * 60, 14 * 60)
        else:
            minute = rng.choice((rng.randint(6 * 60, 8 * 60 - 1), rng.randint(18 * 60, 21 * 60)))
        return _epoch(day, minute // 60, minute % 60) + rng.randint(0, 59)

    def _created(self, month: int) -> int:
        day = self._day(month)
        return self._instant(day, self.rng.random() < 0.9)

    def _person(
        self, site: str | None = None, manager: bool = False, store: bool = False
    ) -> Person:
        pool = [
            p for p in self.people if site in (None, p.site) and not (store and p.site == "Siège")
        ]
        if manager:
            pool = [p for p in pool if p.manager] or pool
        return self.rng.choice(pool)

    # ---- planning

    def plan(self) -> None:
        for month in range(1, 12):
            self._plan_month(month)
        self._plan_specials()
        self.tickets.sort(key=lambda t: t.created)
        number = 12407
        for ticket in self.tickets:
            number += 1 if self.rng.random() < 0.8 else self.rng.randint(2, 4)
            ticket.id = str(number)

    def _ordinary(self, month: int, kind: str, priority: str) -> Ticket:
        rng = self.rng
        choices = [(k, tpl) for k, tpls in _TITLES.items() if k[2] == kind for tpl in tpls]
        per_service = Counter(k[0] for k, _ in choices)
        weights = [_SERVICE_WEIGHT[kind][k[0]] / per_service[k[0]] for k, _ in choices]
        (service, category, _), template = rng.choices(choices, weights)[0]
        if service == "sauvegarde" and kind == "incident":
            person = self._person("Siège")
        else:
            person = self._person(store=any(w in template for w in _STORE_ONLY))
        created = self._created(month)
        title = _title(template, person)
        return Ticket(kind, priority, service, category, person.site, title, person.name, created)

    def _p1(self, month: int, day_range: tuple[int, int] = (2, 22)) -> Ticket:
        rng = self.rng
        service, category, template = rng.choice(_P1_TITLES)
        site = "Siège" if "siège" in template else rng.choice(SITES[:6])
        person = self._person(site, manager=True)
        while True:
            day = self._day(month, *day_range)
            if day.weekday() < 5 and day not in self.holidays:
                break
        minute = rng.randint(8 * 60 + 10, 16 * 60 + 30)
        created = _epoch(day, minute // 60, minute % 60) + rng.randint(0, 59)
        title = _title(template, person)
        return Ticket("incident", "P1", service, category, site, title, person.name, created)

    def _p2(self, month: int) -> Ticket:
        service, category, template = self.rng.choice(_P2_TITLES)
        person = self._person(store=any(w in template for w in _STORE_ONLY))
        created = self._created(month)
        title = _title(template, person)
        return Ticket("incident", "P2", service, category, person.site, title, person.name, created)

    def _plan_month(self, month: int) -> None:
        rng = self.rng
        volume = VOLUME.get(month, VOLUME_NOVEMBER)
        p1 = [self._p1(month, (2, 20) if month == 11 else (2, 22)) for _ in range(P1_COUNT[month])]
        p2 = [self._p2(month) for _ in range(rng.randint(14, 21) if month != 11 else 11)]
        rest = volume - len(p1) - len(p2)
        requests = [self._ordinary(month, "request", "P4") for _ in range(int(rest * 0.43))]
        incidents = [
            self._ordinary(month, "incident", "P3" if rng.random() < 0.7 else "P4")
            for _ in range(rest - len(requests))
        ]
        month_tickets = p1 + p2 + requests + incidents
        # priorities of requests: mostly P4, some P3
        for ticket in requests:
            if rng.random() < 0.3:
                ticket.priority = "P3"
        # planned outcomes (ERP tickets are out of scope: no plan)
        for group, breaches in (
            ([t for t in p1 if t.service != "erp"], P1_RESOLUTION_BREACHES.get(month, 0)),
            ([t for t in p2 if t.service != "erp"], P2_BREACHES.get(month, 0)),
        ):
            chosen = set(map(id, rng.sample(_early(group), breaches)))
            for ticket in group:
                ticket.outcome = "breach" if id(ticket) in chosen else "met"
        in_scope = [t for t in requests if t.service != "erp"]
        rate = REQUEST_BREACH_RATE.get(month, REQUEST_BREACH_RATE_DEFAULT)
        chosen = set(map(id, rng.sample(_early(in_scope), round(rate * len(in_scope)))))
        for ticket in in_scope:
            ticket.outcome = "breach" if id(ticket) in chosen else "met"
        for ticket in p1:
            ticket.response_outcome = "met"
        # cancelled and merged tickets, among P3/P4 incidents and requests
        for ticket in rng.sample(incidents + requests, 5):
            ticket.fate = "cancelled"
        for ticket in rng.sample([t for t in incidents if t.fate == "normal"], 3):
            ticket.fate = "merged"
        # priority changes
        for ticket in rng.sample([t for t in incidents if t.fate == "normal"], 6):
            ticket.initial_priority = {"P3": "P2", "P4": "P3"}[ticket.priority]
        for ticket in rng.sample([t for t in incidents if t.fate == "normal"], 4):
            ticket.initial_priority = "P4" if ticket.priority == "P3" else "P3"
        for ticket in rng.sample(p2, 2):
            ticket.initial_priority = "P3"
        # waiting_vendor pauses on some breached requests: GLPI sees them met
        for ticket in in_scope:
            if ticket.outcome == "breach" and rng.random() < 0.2:
                ticket.vendor_pause = True
        self.tickets.extend(month_tickets)
        if month == 3:
            self._plan_march(p1)
        if month == 5:
            self._plan_may(p1)
        if month == 9:
            self._plan_september(p1)
        if month == 10:
            self._plan_october(p1, p2, requests)

    def _plan_march(self, p1: list[Ticket]) -> None:
        breaches = [t for t in p1 if t.outcome == "breach"]
        waived = breaches[0]
        person = self._person("Arras", manager=True)
        waived.site, waived.requester, waived.service, waived.category = (
            "Arras",
            person.name,
            "",
            "Réseau",
        )
        waived.title = "Magasin d'Arras sans informatique après une coupure de courant"
        self.special["waived-march"] = waived
        breaches[1].vendor_pause = True

    def _plan_may(self, p1: list[Ticket]) -> None:
        rng = self.rng
        # a P1 raised on Ascension Day: the contract's clock starts the next
        # morning, GLPI (no holiday) counts the hours of the holiday
        site = rng.choice(SITES[:6])
        person = self._person(site, manager=True)
        created = _epoch(dt.date(2026, 5, 14), 9, 48) + 31
        ticket = Ticket(
            "incident",
            "P1",
            "postes",
            "Poste de travail",
            site,
            f"Toutes les caisses du magasin de {site} bloquées",
            person.name,
            created,
            outcome="met",
            response_outcome="holiday",
        )
        self.tickets.append(ticket)
        self.special["ascension"] = ticket
        late = next(t for t in p1 if t.outcome == "met")
        late.response_outcome = "breach"
        self.special["late-response-may"] = late

    def _plan_september(self, p1: list[Ticket]) -> None:
        next(t for t in p1 if t.outcome == "breach").vendor_pause = True
        # a P1 raised on the evening of 30 September, restored on 1 October
        person = self._person("Tourcoing", manager=True)
        ticket = Ticket(
            "incident",
            "P1",
            "",
            "Réseau",
            "Tourcoing",
            "Lien internet coupé au magasin de Tourcoing, encaissement impossible",
            person.name,
            _epoch(dt.date(2026, 9, 30), 17, 4) + 12,
            outcome="met",
            response_outcome="met",
        )
        self.tickets.append(ticket)
        self.special["spill-october"] = ticket

    def _plan_october(self, p1: list[Ticket], p2: list[Ticket], requests: list[Ticket]) -> None:
        breaches = [t for t in p1 if t.outcome == "breach"]
        breaches[0].vendor_pause = True
        breaches[1].vendor_pause = True
        waived = breaches[2]
        person = self._person("Roubaix", manager=True)
        waived.site, waived.requester = "Roubaix", person.name
        waived.service, waived.category = "postes", "Poste de travail"
        waived.title = "Toutes les caisses du magasin de Roubaix bloquées"
        self.special["waived-october"] = waived
        # a P1 downgraded to P2 after diagnosis
        downgraded = next(t for t in p2 if t.outcome == "met" and t.initial_priority == "")
        downgraded.initial_priority = "P1"
        # a request still open, long overdue
        overdue = next(t for t in requests if t.service == "postes" and t.fate == "normal")
        person = self._person("Lens")
        overdue.site, overdue.requester = "Lens", person.name
        overdue.title = "Installation d'un poste pour le nouveau responsable du magasin de Lens"
        overdue.created = _epoch(dt.date(2026, 10, 26), 10, 12) + 40
        overdue.fate, overdue.outcome = "open", "breach"
        self.special["overdue"] = overdue

    def _plan_specials(self) -> None:
        rng = self.rng
        # June: the mail major incident (the outage of outages.csv) and its children
        person = self._person("Siège", manager=True)
        parent = Ticket(
            "incident",
            "P1",
            "messagerie",
            "Messagerie",
            "Siège",
            "Messagerie indisponible sur tous les sites",
            person.name,
            _epoch(dt.date(2026, 6, 16), 9, 52) + 14,
            outcome="breach",
            response_outcome="met",
        )
        self.tickets.append(parent)
        self.special["major"] = parent
        for _ in range(27):
            person = self._person()
            created = parent.created - 7 * MINUTE + rng.randint(0, 150 * MINUTE)
            title = rng.choice(
                (
                    "Outlook déconnecté, impossible d'envoyer des mails",
                    "Plus de réception de mails depuis ce matin",
                    "Messagerie en panne au {site_de}",
                    "Erreur de connexion à Outlook",
                    "Mails bloqués dans la boîte d'envoi",
                )
            )
            child = Ticket(
                "incident",
                "P3",
                "messagerie",
                "Messagerie",
                person.site,
                _title(title, person),
                person.name,
                created,
                parent=parent,
            )
            self.tickets.append(child)
        # the backup failures and missing nights of backups.csv, raised the next morning
        referent = next(p for p in self.people if p.name == "Claire Dubois")
        for night in sorted(_BACKUP_FAILED | _BACKUP_MISSING):
            failed = night in _BACKUP_FAILED
            morning = night + dt.timedelta(days=1)
            while morning.weekday() >= 5 or morning in self.holidays:
                morning += dt.timedelta(days=1)
            ticket = Ticket(
                "incident",
                "P2" if failed else "P3",
                "sauvegarde",
                "Sauvegarde",
                "Siège",
                f"Sauvegarde Veeam de la nuit du {night:%d/%m} en échec"
                if failed
                else f"Pas de rapport de sauvegarde pour la nuit du {night:%d/%m}",
                referent.name,
                _epoch(morning, 8, rng.randint(20, 55)) + rng.randint(0, 59),
                outcome="met" if failed else "",
            )
            self.tickets.append(ticket)
        # tickets still open when the data were extracted
        for day, kind, priority, template in (
            (
                dt.date(2026, 11, 2),
                "incident",
                "P3",
                "Lecteur de codes-barres non reconnu à {site}",
            ),
            (dt.date(2026, 11, 4), "request", "P4", "Demande d'un second écran pour {person}"),
        ):
            person = self._person(store=any(w in template for w in _STORE_ONLY))
            ticket = Ticket(
                kind,
                priority,
                "postes",
                "Poste de travail",
                person.site,
                _title(template, person),
                person.name,
                self._instant(day, True),
                fate="open",
            )
            self.tickets.append(ticket)
            self.special[f"open-{day.isoformat()}"] = ticket

    # ---- timelines

    def layout(self) -> None:
        for ticket in self.tickets:
            self._layout(ticket)
            self._verdicts(ticket)

    def _durations(self, ticket: Ticket) -> tuple[int, int]:
        """(response delay, counted resolution time) in contract business seconds."""
        rng = self.rng
        target = _target(ticket)
        if ticket.priority == "P1" and ticket.kind == "incident":
            late, on_time = (
                rng.randint(38 * MINUTE, 70 * MINUTE),
                rng.randint(4 * MINUTE, 24 * MINUTE),
            )
            response = late if ticket.response_outcome == "breach" else on_time
        elif ticket.priority == "P2":
            response = rng.randint(8 * MINUTE, 55 * MINUTE)
        else:
            response = _loguniform(rng, 10 * MINUTE, 4 * HOUR)
        if ticket.outcome == "met" and target and ticket.kind == "request":
            counted = _loguniform(rng, HOUR, target * 0.85)
        elif ticket.outcome == "met" and ticket.priority == "P2":
            counted = _loguniform(rng, 1.5 * HOUR, target * 0.9)
        elif ticket.outcome == "met" and target:
            counted = int(target * rng.uniform(0.25, 0.9))
        elif ticket.outcome == "breach" and target:
            counted = int(target * rng.uniform(1.12, 2.3))
        elif ticket.service == "erp":
            counted = _loguniform(rng, 2 * HOUR, 120 * HOUR)
        elif ticket.kind == "request":
            counted = _loguniform(rng, HOUR, 20 * HOUR)
        elif ticket.priority == "P3":
            counted = _loguniform(rng, HOUR, 36 * HOUR)
        else:
            counted = _loguniform(rng, 2 * HOUR, 60 * HOUR)
        counted = max(counted, response + 20 * MINUTE)
        return response, counted

    def _pauses(self, ticket: Ticket, counted: int) -> list[tuple[str, int]]:
        rng = self.rng
        pauses: list[tuple[str, int]] = []
        level = ticket.level
        customer_p = {"requests": 0.25, "p2-resolution": 0.1, "p1-resolution": 0.05}.get(level, 0.2)
        if ticket.parent is None and rng.random() < customer_p:
            pauses.append(("waiting_customer", _loguniform(rng, 30 * MINUTE, 18 * HOUR)))
        if ticket.vendor_pause:
            # most of the overrun is spent waiting for a third party
            share = (counted - _target(ticket)) / counted
            pauses.append(
                ("waiting_vendor", int(counted * min(0.8, share + rng.uniform(0.1, 0.3))))
            )
        elif not level and ticket.parent is None and ticket.fate == "normal":
            draw = rng.random()
            if draw < 0.06:
                pauses.append(("waiting_vendor", int(counted * rng.uniform(0.2, 0.6))))
            elif draw < 0.09 and ticket.category in ("Poste de travail", "Imprimante"):
                pauses.append(("en_attente_livraison", int(counted * rng.uniform(0.3, 0.7))))
        rng.shuffle(pauses)
        return pauses

    def _layout(self, ticket: Ticket) -> None:
        rng = self.rng
        cal = self.cal
        initial = ticket.initial_priority or ticket.priority
        events = [Event(ticket.created, "open", "Nouveau", priority=initial)]
        ticket.events = events
        if ticket.fate in ("cancelled", "merged"):
            delay = _loguniform(rng, 5 * MINUTE, 20 * HOUR if ticket.fate == "cancelled" else HOUR)
            events.append(Event(ticket.created + delay, "closed", "Clos"))
            return
        start = cal.position(ticket.created)
        response, counted = self._durations(ticket)
        if ticket.parent is not None:
            counted = cal.position(ticket.parent.created) - start + 4 * HOUR + 48 * MINUTE
            counted += rng.randint(5 * MINUTE, 40 * MINUTE)
            response = rng.randint(10 * MINUTE, 35 * MINUTE)
        if ticket is self.special.get("major"):
            response, counted = 9 * MINUTE + 20, 4 * HOUR + 48 * MINUTE
        if ticket is self.special.get("spill-october"):
            response, counted = 11 * MINUTE, 2 * HOUR + 21 * MINUTE
        if ticket is self.special.get("ascension"):
            response = 1 * MINUTE
        pauses = self._pauses(ticket, counted)
        reopen = ticket.parent is None and ticket.fate == "normal" and rng.random() < 0.03
        chunks = len(pauses) + 1 + int(reopen)
        work = counted - sum(d for reason, d in pauses if reason != "waiting_customer")
        if work < response + 120 * chunks:  # shorten the counted pauses to leave room
            room = counted - response - 120 * chunks
            counted_pauses = sum(d for reason, d in pauses if reason != "waiting_customer")
            pauses = [
                (reason, d if reason == "waiting_customer" else d * room // counted_pauses)
                for reason, d in pauses
            ]
            work = counted - sum(d for reason, d in pauses if reason != "waiting_customer")
        spare = max(work - response - 60 * chunks, 0)
        weights = [rng.random() + 0.2 for _ in range(chunks)]
        parts = [60 + int(spare * w / sum(weights)) for w in weights]
        parts[0] += response
        parts[-1] += work - sum(parts)  # exact total
        position = start + parts[0]
        first_response = cal.instant(start + response)
        if ticket is self.special.get("ascension"):
            first_response = ticket.created + 71 * MINUTE
        events.append(Event(first_response, "open", "En cours (attribué)"))
        if ticket.initial_priority:
            change = cal.instant(start + response + (parts[0] - response) // 2)
            events.append(Event(change, "open", "En cours (attribué)", priority=ticket.priority))
        if ticket.fate == "open":
            if ticket is self.special.get("open-2026-11-02"):
                at = cal.instant(start + parts[0] + HOUR)
                events.append(Event(at, "paused", "En attente", "waiting_customer"))
            return
        steps: list[tuple[str, int]] = [*pauses]
        if reopen:
            steps.insert(rng.randint(0, len(steps)), ("reopen", _loguniform(rng, HOUR, 16 * HOUR)))
        for (kind, duration), part in zip(steps, parts[1:], strict=True):
            at = cal.instant(position)
            if kind == "reopen":
                events.append(Event(at, "resolved", "Résolu"))
                position += duration
                events.append(Event(cal.instant(position), "open", "En cours (attribué)"))
            else:
                events.append(Event(at, "paused", "En attente", pause_reason=kind))
                position += duration
                events.append(Event(cal.instant(position), "open", "En cours (attribué)"))
            position += part
        resolved = cal.instant(position)
        events.append(Event(resolved, "resolved", "Résolu"))
        if rng.random() < 0.6:
            closed = resolved + 7 * 86400
        else:
            closed = resolved + _loguniform(rng, 10 * MINUTE, 40 * HOUR)
        events.append(Event(closed, "closed", "Clos"))

    # ---- provider's verdicts and the ticket row

    def _verdicts(self, ticket: Ticket) -> None:
        cutoff = int(EXTRACTED_AT.timestamp())
        ticket.events = [e for e in ticket.events if e.at <= cutoff]
        events = ticket.events
        ticket.priority = [e.priority for e in events if e.priority][-1]
        firsts = [e.at for e in events[1:] if e.source_status == "En cours (attribué)"]
        ticket.first_response = firsts[0] if firsts else None
        resolved = [e.at for e in events if e.status == "resolved"]
        closed = [e.at for e in events if e.status == "closed"]
        last = events[-1].status
        ticket.closed = closed[-1] if closed else None
        if ticket.fate in ("cancelled", "merged"):
            ticket.state = ticket.fate
        else:
            ticket.state = "open" if last == "paused" else last
        if ticket.state in ("resolved", "closed"):
            ticket.resolved = resolved[-1]
        ticket.waiting = self._glpi_waiting(events) if ticket.fate != "merged" else None
        # GLPI holds SLAs on P1 (TTO and TTR), P2 and requests (TTR), ERP excluded
        level = ticket.level
        if level:
            target = _target(ticket)
            if ticket.resolved is not None:
                solve = self.glpi.elapsed(ticket.created, ticket.resolved) - (ticket.waiting or 0)
                ticket.provider_resolution = solve <= target
            elif last != "paused":
                deadline = self.glpi.instant(
                    self.glpi.position(ticket.created) + target + (ticket.waiting or 0)
                )
                ticket.provider_resolution = False if deadline < cutoff else None
        if level == "p1-resolution" and ticket.first_response is not None:
            own = self.glpi.elapsed(ticket.created, ticket.first_response)
            ticket.provider_response = own <= 30 * MINUTE

    def _glpi_waiting(self, events: Sequence[Event]) -> int:
        """GLPI's waiting_duration: business time spent pending or solved (then left)."""
        total = 0
        since: int | None = None
        for event in events:
            if event.status in ("paused", "resolved"):
                if since is None:
                    since = event.at
            elif since is not None:
                if event.status == "open":
                    total += self.glpi.elapsed(since, event.at)
                since = None
        return total


# --------------------------------------------------------------------------- outputs


def _iso(t: int) -> str:
    return dt.datetime.fromtimestamp(t, PARIS).isoformat()


def _glpi_date(t: int | None) -> str:
    if t is None:
        return ""
    return dt.datetime.fromtimestamp(t, PARIS).strftime("%d-%m-%Y %H:%M")


def _glpi_duration(seconds: int) -> str:
    """A duration as GLPI displays it in French (days, hours, minutes)."""
    if seconds <= 0:
        return ""
    minutes_total = seconds // 60
    days, rest = divmod(minutes_total, 24 * 60)
    hours, minutes = divmod(rest, 60)

    def unit(n: int, word: str) -> str:
        return f"{n} {word}{'s' if n > 1 else ''}"

    parts = []
    if days:
        parts.append(unit(days, "jour"))
    if days or hours:
        parts.append(unit(hours, "heure"))
    parts.append(unit(minutes, "minute"))
    return " ".join(parts)


def _bool(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@dataclass
class DemoYear:
    """The generated year: every file's bytes by name, and the planned facts."""

    files: dict[str, bytes]
    tickets: list[Ticket]
    special: dict[str, Ticket]


def _ticket_rows(tickets: Sequence[Ticket]) -> list[list[object]]:
    rows: list[list[object]] = []
    for t in tickets:
        sla = None
        verdicts = [v for v in (t.provider_response, t.provider_resolution) if v is not None]
        if verdicts:
            sla = all(verdicts)
        rows.append(
            [
                t.id,
                t.kind,
                t.priority,
                t.service,
                t.category,
                t.site,
                t.title,
                t.requester,
                _iso(t.created),
                "" if t.first_response is None else _iso(t.first_response),
                "" if t.resolved is None else _iso(t.resolved),
                "" if t.closed is None else _iso(t.closed),
                t.state,
                "" if t.parent is None else t.parent.id,
                "" if t.waiting is None else t.waiting,
                _bool(sla),
                _bool(t.provider_response),
                _bool(t.provider_resolution),
            ]
        )
    return rows


def _event_rows(tickets: Sequence[Ticket]) -> list[list[object]]:
    rows: list[list[object]] = []
    for t in tickets:
        for e in t.events:
            rows.append([t.id, _iso(e.at), e.status, e.pause_reason, e.priority, e.source_status])
    return rows


_GLPI_PRIORITY = {"P1": "Très haute", "P2": "Haute", "P3": "Moyenne", "P4": "Basse"}


def _glpi_export(builder: _Builder) -> bytes:
    """The October tickets as GLPI's French list export shows them on 5 November."""
    glpi = builder.glpi
    cutoff = int(GLPI_EXPORTED_AT.timestamp())
    first = _epoch(dt.date(2026, 10, 1), 0)
    last = _epoch(dt.date(2026, 11, 1), 0)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(GLPI_COLUMNS)
    for t in builder.tickets:
        if not first <= t.created < last or t.fate == "merged":
            continue  # GLPI deletes a ticket merged into another
        events = [e for e in t.events if e.at <= cutoff]
        status = events[-1].source_status
        resolved = [e.at for e in events if e.status == "resolved"]
        closed = [e.at for e in events if e.status == "closed"]
        solve = resolved[-1] if resolved and status in ("Résolu", "Clos") else None
        close = closed[-1] if closed else None
        if t.fate == "cancelled":
            solve = close
        waiting = builder._glpi_waiting(events)
        responses = [e.at for e in events[1:] if e.source_status == "En cours (attribué)"]
        take = glpi.elapsed(t.created, responses[0]) if responses else 0
        level = t.level if t.fate != "cancelled" else ""
        tto = ttr = tto_late = ttr_late = ""
        solve_delay = ""
        if solve is not None:
            solve_delay = _glpi_duration(max(0, glpi.elapsed(t.created, solve) - waiting))
        if level:
            deadline = glpi.instant(glpi.position(t.created) + _target(t) + waiting)
            ttr = _glpi_date(deadline)
            late = (solve is not None and solve > deadline) or (
                solve is None and status != "En attente" and deadline < cutoff
            )
            ttr_late = "Oui" if late else "Non"
        if level == "p1-resolution":
            own = glpi.instant(glpi.position(t.created) + 30 * MINUTE)
            tto = _glpi_date(own)
            tto_late = "Oui" if (responses and responses[0] > own) else "Non"
        surname_first = " ".join(reversed(t.requester.split(" ", 1)))
        writer.writerow(
            [
                t.id,
                t.title,
                status,
                _glpi_date(t.created),
                _glpi_date(events[-1].at),
                _GLPI_PRIORITY[t.priority],
                "Incident" if t.kind == "incident" else "Demande",
                t.category,
                t.site,
                surname_first,
                _glpi_date(solve),
                _glpi_date(close),
                _glpi_duration(waiting),
                _glpi_duration(max(take, 1)) if responses else "",
                solve_delay,
                tto,
                ttr,
                tto_late,
                ttr_late,
            ]
        )
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _month_bounds(month: int) -> tuple[int, int]:
    start = _epoch(dt.date(2026, month, 1), 0)
    end = _epoch(dt.date(2026 + month // 12, month % 12 + 1, 1), 0)
    return start, end


# ---- monitoring


@dataclass(frozen=True)
class _Outage:
    start: int
    end: int
    kind: str
    announced: int | None = None


def _outages(rng: random.Random) -> list[_Outage]:
    outages: list[_Outage] = []
    for month in range(1, 12):
        # monthly patching, first Saturday night, announced the Monday before
        day = dt.date(2026, month, 1)
        while day.weekday() != 5:
            day += dt.timedelta(days=1)
        if month == 10:
            day = dt.date(2026, 10, 3)
        start = _epoch(day, 22, 0)
        length = rng.choice((60, 90, 90, 120)) * MINUTE
        announced = _epoch(day - dt.timedelta(days=5), 9, rng.randint(0, 59))
        outages.append(_Outage(start, start + length, "maintenance", announced))
        # short probe failures: 0 to 2 a month, 3 to 14 minutes
        last_day = (
            20 if month == 11 else (_month_bounds(month)[1] - _month_bounds(month)[0]) // 86400
        )
        for _ in range(rng.randint(1, 2) if month != 11 else 1):
            d = dt.date(2026, month, rng.randint(1, int(last_day)))
            at = _epoch(d, rng.randint(0, 23), rng.randint(0, 59))
            outages.append(_Outage(at, at + rng.randint(3, 14) * MINUTE, "down"))
    # June: the real outage behind the major incident (mail relay certificate)
    outages.append(
        _Outage(_epoch(dt.date(2026, 6, 16), 9, 40), _epoch(dt.date(2026, 6, 16), 15, 25), "down")
    )
    # October: a maintenance announced 36 hours ahead instead of 48
    outages.append(
        _Outage(
            _epoch(dt.date(2026, 10, 17), 22, 0),
            _epoch(dt.date(2026, 10, 18), 1, 0),
            "maintenance",
            _epoch(dt.date(2026, 10, 16), 10, 0),
        )
    )
    outages.sort(key=lambda o: o.start)
    return outages


def _probes(outages: Sequence[_Outage], rng: random.Random) -> bytes:
    """October samples every 60 s: down inside outages, a few isolated failures, a gap."""
    start, end = _month_bounds(10)
    gap = (_epoch(dt.date(2026, 10, 21), 3, 10), _epoch(dt.date(2026, 10, 21), 3, 14))
    blips = {start + 60 * rng.randint(0, (end - start) // 60 - 1) for _ in range(3)}
    inside = [(o.start, o.end) for o in outages if o.end > start and o.start < end]
    rows = []
    for t in range(start, end, 60):
        if gap[0] <= t < gap[1]:
            continue
        down = t in blips or any(a <= t < b for a, b in inside)
        rows.append(("messagerie", _iso(t), 0 if down else 1))
    return gzip.compress(_csv(PROBE_COLUMNS, rows), mtime=0)


# ---- backups and restore tests


_BACKUP_FAILED = {dt.date(2026, 2, 10), dt.date(2026, 5, 19)}
_BACKUP_MISSING = {dt.date(2026, 2, 22), dt.date(2026, 8, 13)}


def _backups(rng: random.Random) -> list[tuple[dt.date, str]]:
    rows = []
    for day in _days(FIRST_DAY, LAST_DAY):
        if day in _BACKUP_MISSING:
            continue
        status = "failed" if day in _BACKUP_FAILED else "success"
        if status == "success" and rng.random() < 0.04:
            status = "warning"
        rows.append((day, status))
    return rows


# ---- claims


def _claims(
    builder: _Builder, outages: Sequence[_Outage], backups: Sequence[tuple[dt.date, str]]
) -> bytes:
    """The provider's monthly figures: its GLPI verdicts by creation month, rounded up
    where it disputes (October P1 restoration, August requests, June mail)."""
    rows: list[list[object]] = []
    for month in range(1, 11):
        window = f"2026-{month:02d}"
        lo, hi = _month_bounds(month)
        in_month = [t for t in builder.tickets if lo <= t.created < hi and t.fate != "merged"]
        figures: dict[str, tuple[int, int]] = {}
        p1 = [t for t in in_month if t.level == "p1-resolution" and t.provider_response is not None]
        figures["p1-response"] = (len(p1), sum(bool(t.provider_response) for t in p1))
        for level in ("p1-resolution", "p2-resolution", "requests"):
            group = [t for t in in_month if t.level == level and t.provider_resolution is not None]
            figures[level] = (len(group), sum(bool(t.provider_resolution) for t in group))
        if month == 10:
            eligible, _ = figures["p1-resolution"]
            figures["p1-resolution"] = (eligible, eligible)
        if month == 8:
            eligible, met = figures["requests"]
            figures["requests"] = (eligible, max(met, math.ceil(eligible * 0.905)))
        for level, (eligible, met) in figures.items():
            rows.append([level, window, eligible, met, f"{met / eligible:.4f}" if eligible else ""])
        # availability as the provider's own monitoring states it: every
        # maintenance excused, and in June only the part it blames on itself
        downtime = 0
        for o in outages:
            if o.kind != "down" or o.end <= lo or o.start >= hi:
                continue
            length = min(o.end, hi) - max(o.start, lo)
            if length > 3 * HOUR:
                length = 2 * HOUR + 5 * MINUTE
            downtime += length
        rows.append(["mail-availability", window, "", "", f"{1 - downtime / (hi - lo):.4f}"])
        jobs = [s for d, s in backups if d.month == month]
        ok = sum(s != "failed" for s in jobs)
        rows.append(["backups", window, len(jobs), ok, f"{ok / len(jobs):.4f}"])
    return _csv(CLAIM_COLUMNS, rows)


def _adjustments(special: dict[str, Ticket]) -> bytes:
    rows = [
        [
            special["waived-march"].id,
            "p1-resolution",
            "exclude",
            "Coupure d'électricité Enedis sur le secteur d'Arras : rétablissement impossible "
            "avant le retour du courant",
            "2026-04-14",
        ],
        [
            special["waived-october"].id,
            "p1-resolution",
            "met",
            "Intervention reportée à la demande du magasin de Roubaix (inventaire) ; "
            "le ticket aurait dû passer en attente client",
            "2026-11-05",
        ],
    ]
    return _csv(ADJUSTMENT_COLUMNS, rows)


def build(seed: int = DEFAULT_SEED) -> DemoYear:
    """Generate the example year in memory."""
    builder = _Builder(seed)
    builder.plan()
    builder.layout()
    tickets = builder.tickets
    outages = _outages(builder.rng)
    backups = _backups(builder.rng)
    files: dict[str, bytes] = {}
    files["contract.yaml"] = CONTRACT_FILE.read_bytes()
    files["tickets.csv"] = _csv(TICKET_COLUMNS, _ticket_rows(tickets))
    files["events.csv"] = _csv(EVENT_COLUMNS, _event_rows(tickets))
    files["glpi-2026-10.csv"] = _glpi_export(builder)
    files["claims.csv"] = _claims(builder, outages, backups)
    files["outages.csv"] = _csv(
        OUTAGE_COLUMNS,
        [
            [
                "messagerie",
                _iso(o.start),
                _iso(o.end),
                o.kind,
                "" if o.announced is None else _iso(o.announced),
            ]
            for o in outages
        ],
    )
    files["probes-2026-10.csv.gz"] = _probes(outages, builder.rng)
    files["backups.csv"] = _csv(
        BACKUP_COLUMNS, [["sauvegarde", _iso(_epoch(d, 22)), s] for d, s in backups]
    )
    files["restore_tests.csv"] = _csv(
        RESTORE_COLUMNS,
        [
            ["sauvegarde", _iso(_epoch(dt.date(2026, 3, 18), 9, 30)), "05:10:00", "true"],
            ["sauvegarde", _iso(_epoch(dt.date(2026, 9, 23), 8, 45)), "09:40:00", "true"],
        ],
    )
    files["adjustments.csv"] = _adjustments(builder.special)
    return DemoYear(files, tickets, builder.special)


def generate(out: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the example year's files into ``out`` (created if needed); return their paths."""
    year = build(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in FILES:
        path = out / name
        if not path.is_file() or path.read_bytes() != year.files[name]:
            path.write_bytes(year.files[name])
        paths.append(path)
    return paths
