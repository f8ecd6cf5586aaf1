"""The service-level annex ("Annexe niveaux de service") of a contract version.

:func:`build_annex` turns the version in force at a date into a document
model in French or English (definitions, calendars, priorities, targets,
measurement rules, penalties, caps, grace, signatures); :func:`render_docx`
writes it with python-docx and :func:`render_pdf` lays it out with
WeasyPrint from the HTML template ``templates/annex.html``.  Both render the
same model, so the two files say the same thing.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from jinja2 import Environment, FileSystemLoader, select_autoescape

from pilotage import i18n
from pilotage.contract.model import Contract, ContractVersion, PenaltyTerms, ServiceLevel
from pilotage.reports.messages import fmt_target

__all__ = [
    "Annex",
    "Section",
    "Table",
    "build_annex",
    "render_docx",
    "render_html",
    "render_pdf",
    "write_annex",
]

TEMPLATES: Final = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Table:
    """A table: headers, rows of cells (text), relative column widths."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...] = ()


@dataclass
class Section:
    """A numbered section: its title and blocks (paragraphs, bullet lists, tables) in order."""

    title: str
    blocks: list[str | Table | tuple[str, ...]] = field(default_factory=list)
    """A ``str`` is a paragraph, a tuple of ``str`` a bullet list."""


@dataclass
class Annex:
    """The annex as a document model, in one language."""

    lang: str
    title: str
    subtitle: str
    reference: str
    parties: tuple[tuple[str, str], ...]
    """(role, name) of each party."""
    version_line: str
    sections: list[Section]
    signature_roles: tuple[str, str]
    signature_fields: tuple[str, ...]
    footer: str


_T: dict[str, dict[str, str]] = {
    "annex.title": {"en": "Service level annex", "fr": "Annexe niveaux de service"},
    "annex.customer": {"en": "Customer", "fr": "Client"},
    "annex.provider": {"en": "Provider", "fr": "Prestataire"},
    "annex.version_original": {
        "en": "Version in force on {date}: original contract, effective {effective}.",
        "fr": "Version en vigueur le {date} : contrat d’origine, applicable à partir du "
        "{effective}.",
    },
    "annex.version_amended": {
        "en": "Version in force on {date}: as amended by {amendment}, effective {effective}.",
        "fr": "Version en vigueur le {date} : telle que modifiée par {amendment}, applicable "
        "à partir du {effective}.",
    },
    "annex.footer": {
        "en": "{title}: {contract} (version of {effective})",
        "fr": "{title} : {contract} (version du {effective})",
    },
    "annex.s1": {"en": "Purpose", "fr": "Objet"},
    "annex.s1.p1": {
        "en": "This annex sets the service levels the provider commits to under the contract "
        "“{title}” ({reference}), how they are measured, and the penalties due when they are "
        "not met. "
        "Service levels are obligations of {obligation}.",
        "fr": "La présente annexe fixe les niveaux de service auxquels le prestataire s’engage "
        "au titre du contrat « {title} » ({reference}), leur mode de mesure et les pénalités "
        "dues lorsqu’ils ne sont pas tenus. Les niveaux de service sont des obligations de "
        "{obligation}.",
    },
    "annex.obligation.result": {"en": "result", "fr": "résultat"},
    "annex.obligation.means": {"en": "means", "fr": "moyens"},
    "annex.s1.p2": {
        "en": "Amounts are in {currency} excluding VAT. The reference monthly fee is {fee}.",
        "fr": "Les montants sont exprimés en {currency} hors taxes. La redevance mensuelle de "
        "référence est de {fee} HT.",
    },
    "annex.s2": {"en": "Definitions and priorities", "fr": "Définitions et priorités"},
    "annex.s2.response": {
        "en": "Taking charge: the start of diagnosis by a qualified technician; an automatic "
        "acknowledgement is not a taking charge.",
        "fr": "Prise en charge : le début du diagnostic par un technicien qualifié ; un accusé "
        "de réception automatique ne vaut pas prise en charge.",
    },
    "annex.s2.resolution": {
        "en": "Restoration: the service is available again to the user, possibly through a "
        "workaround; the ticket is set to resolved.",
        "fr": "Rétablissement : le service est de nouveau disponible pour l’utilisateur, le cas "
        "échéant par un contournement ; le ticket passe à l’état résolu.",
    },
    "annex.s2.units": {
        "en": "Targets are counted on the level's calendar: hours and minutes are business "
        "time; “open days” are the opening time of regular open days; “by end of open day N” "
        "means before the end of the N-th open day after the ticket was opened.",
        "fr": "Les cibles se comptent sur le calendrier du niveau : heures et minutes sont du "
        "temps ouvré ; les « jours ouvrés » sont la durée d’ouverture de jours ouvrés "
        "ordinaires ; « J+N ouvrés » signifie avant la fin du Nᵉ jour ouvré suivant "
        "l’ouverture du ticket.",
    },
    "annex.s2.qualified": {
        "en": "The priority of a ticket is set by the {who}. The {basis} priority of the ticket "
        "decides which service level applies; every change of priority is reported.",
        "fr": "La priorité d’un ticket est fixée par {who}. La priorité {basis} du ticket "
        "décide du niveau de service applicable ; tout changement de priorité est signalé.",
    },
    "annex.who.customer": {"en": "customer", "fr": "le client"},
    "annex.who.provider": {"en": "provider", "fr": "le prestataire"},
    "annex.who.joint": {
        "en": "customer and provider jointly",
        "fr": "le client et le prestataire conjointement",
    },
    "annex.basis.initial": {"en": "initial", "fr": "initiale"},
    "annex.basis.highest": {"en": "highest", "fr": "la plus haute"},
    "annex.basis.final": {"en": "final", "fr": "finale"},
    "annex.h.priority": {"en": "Priority", "fr": "Priorité"},
    "annex.h.label": {"en": "Label", "fr": "Libellé"},
    "annex.h.definition": {"en": "Definition", "fr": "Définition"},
    "annex.s3": {"en": "Service calendars", "fr": "Calendriers de service"},
    "annex.h.calendar": {"en": "Calendar", "fr": "Calendrier"},
    "annex.h.hours": {"en": "Opening hours", "fr": "Horaires"},
    "annex.h.holidays": {"en": "Public holidays", "fr": "Jours fériés"},
    "annex.h.exceptions": {"en": "Exceptions", "fr": "Exceptions"},
    "annex.always": {"en": "24 hours a day, 7 days a week", "fr": "24 h sur 24, 7 jours sur 7"},
    "annex.holidays": {
        "en": "closed on public holidays of {country}{subdiv}",
        "fr": "fermé les jours fériés ({country}{subdiv})",
    },
    "annex.holidays_worked": {"en": "worked: {names}", "fr": "travaillés : {names}"},
    "annex.no_holidays": {"en": "none", "fr": "aucun"},
    "annex.closed": {"en": "closed: {periods}", "fr": "fermé : {periods}"},
    "annex.open": {"en": "open: {periods}", "fr": "ouvert : {periods}"},
    "annex.timezone": {"en": "times in {timezone}", "fr": "heures de {timezone}"},
    "annex.s4": {"en": "Service levels", "fr": "Niveaux de service"},
    "annex.h.ref": {"en": "Ref.", "fr": "Réf."},
    "annex.h.level": {"en": "Service level", "fr": "Niveau de service"},
    "annex.h.scope": {"en": "Applies to", "fr": "Périmètre"},
    "annex.h.target": {"en": "Target", "fr": "Cible"},
    "annex.h.objective": {"en": "Objective", "fr": "Objectif"},
    "annex.h.window": {"en": "Period", "fr": "Période"},
    "annex.window.month": {"en": "calendar month", "fr": "mois civil"},
    "annex.window.quarter": {"en": "calendar quarter", "fr": "trimestre civil"},
    "annex.window.year": {"en": "calendar year", "fr": "année civile"},
    "annex.metric.response_time": {
        "en": "taking charge within {target}",
        "fr": "prise en charge en {target}",
    },
    "annex.metric.resolution_time": {
        "en": "restored within {target}",
        "fr": "rétablissement en {target}",
    },
    "annex.metric.availability": {"en": "availability", "fr": "disponibilité"},
    "annex.metric.backup_success": {"en": "successful backups", "fr": "sauvegardes réussies"},
    "annex.metric.restore_test": {
        "en": "restore test every {every}",
        "fr": "test de restauration tous les {every}",
    },
    "annex.on_calendar": {"en": "{target} ({calendar})", "fr": "{target} ({calendar})"},
    "annex.scope.kind": {"en": "{values}", "fr": "{values}"},
    "annex.scope.priority": {"en": "priority {values}", "fr": "priorité {values}"},
    "annex.scope.service": {"en": "service {values}", "fr": "service {values}"},
    "annex.scope.category": {"en": "category {values}", "fr": "catégorie {values}"},
    "annex.scope.any": {"en": "all tickets", "fr": "tous les tickets"},
    "annex.kind.incident": {"en": "incidents", "fr": "incidents"},
    "annex.kind.request": {"en": "requests", "fr": "demandes"},
    "annex.allowed": {
        "en": "{objective}, or at most {n} late ticket(s)",
        "fr": "{objective}, ou au plus {n} ticket(s) hors délai",
    },
    "annex.every_test": {"en": "each test within the RTO", "fr": "chaque test dans le RTO"},
    "annex.s5": {"en": "Measurement rules", "fr": "Règles de mesure"},
    "annex.s5.source": {
        "en": "Figures are computed from: {source}.",
        "fr": "Les chiffres sont calculés à partir de : {source}.",
    },
    "annex.s5.access": {
        "en": "The customer has read access to the measuring tools.",
        "fr": "Le client dispose d’un accès en lecture aux outils de mesure.",
    },
    "annex.s5.reopen.resumes": {
        "en": "A reopened ticket resumes its restoration clock; the time it spent resolved does "
        "not count.",
        "fr": "Un ticket rouvert reprend son horloge de rétablissement ; le temps passé à l’état "
        "résolu ne compte pas.",
    },
    "annex.s5.reopen.restarts": {
        "en": "A reopened ticket restarts its restoration clock from zero.",
        "fr": "Un ticket rouvert redémarre son horloge de rétablissement à zéro.",
    },
    "annex.s5.major": {
        "en": "Tickets grouped under a major incident count once.",
        "fr": "Les tickets rattachés à un incident majeur comptent une seule fois.",
    },
    "annex.s5.unknown.counts": {
        "en": "A pause without a reason listed below does not stop the clock.",
        "fr": "Une suspension sans motif listé ci-dessous n’arrête pas l’horloge.",
    },
    "annex.s5.unknown.does_not_count": {
        "en": "A pause without a known reason stops the clock.",
        "fr": "Une suspension sans motif connu arrête l’horloge.",
    },
    "annex.s5.level": {"en": "{ref} {name}: {rules}", "fr": "{ref} {name} : {rules}"},
    "annex.rule.clock": {
        "en": "the clock runs from ticket creation to {stop}",
        "fr": "l’horloge court de la création du ticket {stop}",
    },
    "annex.stop.first_response": {"en": "taking charge", "fr": "à la prise en charge"},
    "annex.stop.resolved": {"en": "restoration", "fr": "au rétablissement"},
    "annex.rule.pause": {
        "en": "it is suspended while waiting for {reasons}",
        "fr": "elle est suspendue en attente {reasons}",
    },
    "annex.reason.waiting_customer": {"en": "the customer", "fr": "du client"},
    "annex.reason.waiting_vendor": {"en": "a third-party vendor", "fr": "d’un éditeur tiers"},
    "annex.rule.assign.creation": {
        "en": "a ticket counts in the period it was opened",
        "fr": "un ticket compte dans la période de son ouverture",
    },
    "annex.rule.assign.resolution": {
        "en": "a ticket counts in the period it was restored",
        "fr": "un ticket compte dans la période de son rétablissement",
    },
    "annex.rule.availability": {
        "en": "availability = 1 − downtime / measured time over the “{calendar}” calendar",
        "fr": "disponibilité = 1 − indisponibilité / temps mesuré sur le calendrier "
        "«\u00a0{calendar}\u00a0»",
    },
    "annex.rule.outage": {
        "en": "an outage starts at the first of {n} consecutive failed probes",
        "fr": "une indisponibilité commence à la première de {n} sondes consécutives en échec",
    },
    "annex.rule.missing.excluded": {
        "en": "missing probe samples are left out",
        "fr": "les mesures manquantes sont écartées",
    },
    "annex.rule.missing.down": {
        "en": "missing probe samples count as down",
        "fr": "les mesures manquantes comptent comme indisponibles",
    },
    "annex.rule.missing.up": {
        "en": "missing probe samples count as up",
        "fr": "les mesures manquantes comptent comme disponibles",
    },
    "annex.rule.maintenance": {
        "en": "planned maintenance is excused only when announced {notice} in advance, within "
        "{max} a month{outside}",
        "fr": "la maintenance programmée n’est excusée que si elle est annoncée {notice} à "
        "l’avance, dans la limite de {max} par mois{outside}",
    },
    "annex.rule.outside": {
        "en": " and outside the hours of the “{calendar}” calendar",
        "fr": " et hors des horaires du calendrier «\u00a0{calendar}\u00a0»",
    },
    "annex.rule.warning.success": {
        "en": "a backup ending with a warning counts as a success",
        "fr": "une sauvegarde terminée en avertissement compte comme réussie",
    },
    "annex.rule.warning.failed": {
        "en": "a backup ending with a warning counts as failed",
        "fr": "une sauvegarde terminée en avertissement compte comme échouée",
    },
    "annex.rule.expected": {
        "en": "an expected backup without a report counts as failed",
        "fr": "une sauvegarde attendue sans compte rendu compte comme échouée",
    },
    "annex.rule.restore": {
        "en": "a restore test is due every {every}{rto}",
        "fr": "un test de restauration est dû tous les {every}{rto}",
    },
    "annex.rule.rto": {
        "en": " and must meet the service's recovery time objective",
        "fr": " et doit respecter la durée maximale d’interruption du service",
    },
    "annex.s6": {"en": "Penalties and caps", "fr": "Pénalités et plafonds"},
    "annex.s6.basis": {
        "en": "Penalties are due only for a period in which the level is not met. Percentages "
        "apply to the monthly fee in force over the period.",
        "fr": "Les pénalités ne sont dues que pour une période où le niveau n’est pas tenu. Les "
        "pourcentages s’appliquent à la redevance mensuelle en vigueur sur la période.",
    },
    "annex.h.penalty": {"en": "Penalty", "fr": "Pénalité"},
    "annex.h.cap": {"en": "Level cap", "fr": "Plafond du niveau"},
    "annex.penalty.per_breach": {
        "en": "{amount} per late ticket",
        "fr": "{amount} par ticket hors délai",
    },
    "annex.penalty.per_point": {
        "en": "{rate} of the fee per point below the objective (pro rata)",
        "fr": "{rate} de la redevance par point sous l’objectif (au prorata)",
    },
    "annex.penalty.band": {
        "en": "below {below}: {penalty} of the fee",
        "fr": "sous {below} : {penalty} de la redevance",
    },
    "annex.penalty.bands_rule": {
        "en": "only the lowest band reached applies",
        "fr": "seule la tranche la plus basse atteinte s’applique",
    },
    "annex.penalty.none": {"en": "none", "fr": "aucune"},
    "annex.cap.fee": {"en": "{rate} of the fee", "fr": "{rate} de la redevance"},
    "annex.cap.none": {"en": "—", "fr": "—"},
    "annex.s6.monthly_cap": {
        "en": "All penalties of a month together are capped at {rate} of the monthly fee; "
        "beyond it, each level's penalty is reduced pro rata.",
        "fr": "L’ensemble des pénalités d’un mois est plafonné à {rate} de la redevance "
        "mensuelle ; au-delà, la pénalité de chaque niveau est réduite au prorata.",
    },
    "annex.s6.grace": {
        "en": "No penalty is due for the first {n} month(s) of the contract (transition-in), "
        "that is until {until}.",
        "fr": "Aucune pénalité n’est due pendant les {n} premier(s) mois du contrat (phase de "
        "reprise), soit jusqu’au {until}.",
    },
    "annex.s6.claim": {
        "en": "Penalties are claimed within {delay} after the end of the period.",
        "fr": "Les pénalités sont réclamées dans un délai de {delay} après la fin de la période.",
    },
    "annex.s6.persistent": {
        "en": "If the same level is not met {n} consecutive months, the customer may terminate "
        "the contract for breach.",
        "fr": "Si un même niveau n’est pas tenu {n} mois consécutifs, le client peut résilier le "
        "contrat pour faute.",
    },
    "annex.s6.persistent_any": {
        "en": "If service levels are not met {n} consecutive months, the customer may terminate "
        "the contract for breach.",
        "fr": "Si des niveaux de service ne sont pas tenus {n} mois consécutifs, le client peut "
        "résilier le contrat pour faute.",
    },
    "annex.s6.not_sole": {
        "en": "Penalties are lump-sum compensation for the service shortfall only; they do not "
        "deprive the customer of damages for other losses nor of its right to terminate.",
        "fr": "Les pénalités indemnisent forfaitairement le seul défaut de service ; elles ne "
        "privent le client ni de dommages et intérêts pour d’autres préjudices, ni de son "
        "droit de résiliation.",
    },
    "annex.s6.sole": {
        "en": "Penalties are the customer's sole remedy for missed service levels.",
        "fr": "Les pénalités sont le seul recours du client en cas de niveaux de service non "
        "tenus.",
    },
    "annex.s7": {"en": "Signatures", "fr": "Signatures"},
    "annex.for_customer": {"en": "For the customer", "fr": "Pour le client"},
    "annex.for_provider": {"en": "For the provider", "fr": "Pour le prestataire"},
    "annex.field.name": {"en": "Name and title", "fr": "Nom et qualité"},
    "annex.field.date": {"en": "Date", "fr": "Date"},
    "annex.field.signature": {"en": "Signature", "fr": "Signature"},
}
i18n.register(_T)


def _sep(lang: str) -> str:
    """The separator of a list of clauses: French puts a space before the semicolon."""
    return " ; " if lang == "fr" else "; "


def _t(code: str, lang: str, **params: Any) -> str:
    return i18n.t(code, lang, **params)


def _pct(value: Decimal, lang: str) -> str:
    return i18n.fmt_percent(value, lang, 3)


def _m(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _maybe(code: str, value: str, lang: str) -> str:
    key = f"{code}.{value}"
    return _t(key, lang) if key in i18n.all_messages() else value


_DAY_NAMES: Final = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
}


def _days(text: str, lang: str) -> str:
    """``mon-fri`` -> ``lun.-ven.`` / ``Mon-Fri``."""
    from pilotage.contract.units import DAYS

    names = _DAY_NAMES.get(lang, _DAY_NAMES["en"])
    return re.sub(
        r"[a-z]{3}",
        lambda m: names[DAYS.index(m.group())] if m.group() in DAYS else m.group(),
        text,
    )


def _calendar_rows(calendars: Mapping[str, Any], timezone: str, lang: str) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for name, spec in calendars.items():
        if name.startswith("x-") or not isinstance(spec, dict):
            continue
        hours = spec.get("hours")
        if hours == "24x7":
            hours_text = _t("annex.always", lang)
        else:
            hours_text = _sep(lang).join(
                f"{_days(str(days), lang)} {', '.join(str(r) for r in ranges)}"
                for days, ranges in _m(hours).items()
            )
        zone = _t("annex.timezone", lang, timezone=spec.get("timezone", timezone))
        holidays = _m(spec.get("holidays"))
        if holidays:
            subdiv = f"-{holidays['subdiv']}" if holidays.get("subdiv") else ""
            holiday_text = _t(
                "annex.holidays", lang, country=holidays.get("country"), subdiv=subdiv
            )
            if holidays.get("worked"):
                worked = ", ".join(str(w) for w in holidays["worked"])
                holiday_text += _sep(lang) + _t("annex.holidays_worked", lang, names=worked)
        else:
            holiday_text = _t("annex.no_holidays", lang)
        exceptions = []
        for key in ("closed", "open"):
            if spec.get(key):
                periods = ", ".join(str(p) for p in spec[key])
                exceptions.append(_t(f"annex.{key}", lang, periods=periods))
        rows.append(
            (name, f"{hours_text} ({zone})", holiday_text, _sep(lang).join(exceptions) or "—")
        )
    return rows


def _scope(level: ServiceLevel, services: Mapping[str, Any], lang: str) -> str:
    applies = level.applies_to
    parts = []
    if applies.kind:
        kinds = ", ".join(_maybe("annex.kind", k, lang) for k in applies.kind)
        parts.append(_t("annex.scope.kind", lang, values=kinds))
    for key in ("priority", "service", "category"):
        values = getattr(applies, key)
        if key == "service":
            values = tuple(services[v].name if v in services else v for v in values)
        if values:
            parts.append(_t(f"annex.scope.{key}", lang, values=", ".join(values)))
    return ", ".join(parts) or _t("annex.scope.any", lang)


def _target(level: ServiceLevel, lang: str) -> str:
    if level.metric in ("response_time", "resolution_time") and level.target is not None:
        target = _t(
            "annex.on_calendar",
            lang,
            target=fmt_target(str(level.target), lang),
            calendar=level.calendar,
        )
        return _t(f"annex.metric.{level.metric}", lang, target=target)
    if level.metric == "restore_test":
        every = fmt_target(str(level.every), lang) if level.every else "—"
        return _t("annex.metric.restore_test", lang, every=every)
    return _t(f"annex.metric.{level.metric}", lang)


def _objective(level: ServiceLevel, lang: str) -> str:
    if level.metric == "restore_test":
        return _t("annex.every_test", lang) if level.within_rto else "—"
    if level.objective is None:
        return "—"
    objective = _pct(level.objective, lang)
    if level.allowed_breaches:
        return _t("annex.allowed", lang, objective=objective, n=level.allowed_breaches)
    return objective


def _penalty(penalty: PenaltyTerms | None, currency: str, lang: str) -> tuple[str, str]:
    if penalty is None:
        return _t("annex.penalty.none", lang), _t("annex.cap.none", lang)
    parts = []
    if penalty.per_breach is not None:
        amount = i18n.fmt_money(penalty.per_breach, lang, currency)
        parts.append(_t("annex.penalty.per_breach", lang, amount=amount))
    if penalty.per_point_below is not None:
        parts.append(_t("annex.penalty.per_point", lang, rate=_pct(penalty.per_point_below, lang)))
    if penalty.bands:
        bands = _sep(lang).join(
            _t("annex.penalty.band", lang, below=_pct(b.below, lang), penalty=_pct(b.penalty, lang))
            for b in penalty.bands
        )
        parts.append(f"{bands} ({_t('annex.penalty.bands_rule', lang)})")
    cap = _t("annex.cap.none", lang)
    if penalty.cap is not None and penalty.cap.amount is not None:
        cap = i18n.fmt_money(penalty.cap.amount, lang, currency)
    elif penalty.cap is not None and penalty.cap.fraction_of_fee is not None:
        cap = _t("annex.cap.fee", lang, rate=_pct(penalty.cap.fraction_of_fee, lang))
    return _sep(lang).join(parts) or _t("annex.penalty.none", lang), cap


def _rules(level: ServiceLevel, lang: str) -> list[str]:
    rules = []
    if level.metric in ("response_time", "resolution_time"):
        rules.append(_t("annex.rule.clock", lang, stop=_t(f"annex.stop.{level.clock_stop}", lang)))
        if level.pause_when:
            reasons = ", ".join(_maybe("annex.reason", r, lang) for r in level.pause_when)
            rules.append(_t("annex.rule.pause", lang, reasons=reasons))
        rules.append(_t(f"annex.rule.assign.{level.assign_to}", lang))
    elif level.metric == "availability":
        rules.append(_t("annex.rule.availability", lang, calendar=level.calendar))
        if level.outage is not None:
            rules.append(_t("annex.rule.outage", lang, n=level.outage.failed_samples))
            rules.append(_t(f"annex.rule.missing.{level.outage.missing_samples}", lang))
        maintenance = level.maintenance
        if maintenance is not None:
            outside = (
                _t("annex.rule.outside", lang, calendar=maintenance.only_outside)
                if maintenance.only_outside
                else ""
            )
            notice = fmt_target(str(maintenance.notice), lang) if maintenance.notice else "—"
            limit = (
                fmt_target(str(maintenance.max_per_month), lang)
                if maintenance.max_per_month
                else "—"
            )
            rules.append(
                _t("annex.rule.maintenance", lang, notice=notice, max=limit, outside=outside)
            )
    elif level.metric == "backup_success":
        rules.append(_t(f"annex.rule.warning.{level.warning_counts_as}", lang))
        rules.append(_t("annex.rule.expected", lang))
    elif level.metric == "restore_test":
        rto = _t("annex.rule.rto", lang) if level.within_rto else ""
        every = fmt_target(str(level.every), lang) if level.every else "—"
        rules.append(_t("annex.rule.restore", lang, every=every, rto=rto))
    return rules


def _add_months(day: dt.date, months: int) -> dt.date:
    from pilotage.contract.dates import add_months

    return add_months(day, months)


def build_annex(contract: Contract, at: dt.date, lang: str) -> Annex:
    """The annex of the version in force on ``at`` (the first version before the start)."""
    version: ContractVersion = contract.versions[0]
    for candidate in contract.versions:
        if candidate.effective <= at:
            version = candidate
    terms = version.terms
    document = terms.document
    info = _m(document.get("contract"))
    reference = str(info.get("ref") or terms.title)
    effective = i18n.fmt_date(version.effective, lang)
    date = i18n.fmt_date(at, lang)
    if version.amendment_id is None:
        version_line = _t("annex.version_original", lang, date=date, effective=effective)
    else:
        version_line = _t(
            "annex.version_amended",
            lang,
            date=date,
            effective=effective,
            amendment=version.amendment_id,
        )
    obligation = _t(f"annex.obligation.{info.get('obligation', 'result')}", lang)
    fee = i18n.fmt_money(terms.monthly_fee, lang, terms.currency)
    purpose = Section(
        _t("annex.s1", lang),
        [
            _t("annex.s1.p1", lang, title=terms.title, reference=reference, obligation=obligation),
            _t("annex.s1.p2", lang, currency=terms.currency, fee=fee),
        ],
    )
    priorities = _m(document.get("priorities"))
    levels = _m(priorities.get("levels"))
    definitions = Section(_t("annex.s2", lang))
    definitions.blocks.append(
        Table(
            (
                _t("annex.h.priority", lang),
                _t("annex.h.label", lang),
                _t("annex.h.definition", lang),
            ),
            tuple(
                (name, str(_m(spec).get("label", "")), str(_m(spec).get("definition", "—")))
                for name, spec in levels.items()
                if not name.startswith("x-")
            ),
            (12, 18, 70),
        )
    )
    who = _t(f"annex.who.{priorities.get('qualified_by', 'customer')}", lang)
    basis = _t(f"annex.basis.{terms.priority_basis}", lang)
    definitions.blocks.append(_t("annex.s2.qualified", lang, who=who, basis=basis))
    definitions.blocks.append(
        (
            _t("annex.s2.response", lang),
            _t("annex.s2.resolution", lang),
            _t("annex.s2.units", lang),
        )
    )
    calendars = Section(
        _t("annex.s3", lang),
        [
            Table(
                (
                    _t("annex.h.calendar", lang),
                    _t("annex.h.hours", lang),
                    _t("annex.h.holidays", lang),
                    _t("annex.h.exceptions", lang),
                ),
                tuple(_calendar_rows(_m(document.get("calendars")), terms.timezone, lang)),
                (14, 38, 28, 20),
            )
        ],
    )
    service_levels = Section(
        _t("annex.s4", lang),
        [
            Table(
                (
                    _t("annex.h.ref", lang),
                    _t("annex.h.level", lang),
                    _t("annex.h.scope", lang),
                    _t("annex.h.target", lang),
                    _t("annex.h.objective", lang),
                    _t("annex.h.window", lang),
                ),
                tuple(
                    (
                        level.ref or level.id,
                        level.name,
                        _scope(level, terms.services, lang),
                        _target(level, lang),
                        _objective(level, lang),
                        _t(f"annex.window.{level.window}", lang)
                        if level.metric != "restore_test"
                        else "—",
                    )
                    for level in terms.service_levels
                ),
                (13, 22, 18, 21, 15, 11),
            )
        ],
    )
    measurement = _m(document.get("measurement"))
    rules = Section(_t("annex.s5", lang))
    if measurement.get("source"):
        rules.blocks.append(_t("annex.s5.source", lang, source=measurement["source"]))
    general = []
    if measurement.get("customer_read_access"):
        general.append(_t("annex.s5.access", lang))
    general.append(_t(f"annex.s5.unknown.{terms.measurement.unknown_pause_reason}", lang))
    general.append(_t(f"annex.s5.reopen.{terms.measurement.reopen}", lang))
    if terms.measurement.major_incident_counts_once:
        general.append(_t("annex.s5.major", lang))
    rules.blocks.append(tuple(general))
    rules.blocks.append(
        tuple(
            _t(
                "annex.s5.level",
                lang,
                ref=level.ref or level.id,
                name=level.name,
                rules=_sep(lang).join(_rules(level, lang)),
            )
            for level in terms.service_levels
        )
    )
    penalties = Section(_t("annex.s6", lang), [_t("annex.s6.basis", lang)])
    penalty_rows = []
    for level in terms.service_levels:
        text, cap = _penalty(level.penalty, terms.currency, lang)
        penalty_rows.append((level.ref or level.id, level.name, text, cap))
    penalties.blocks.append(
        Table(
            (
                _t("annex.h.ref", lang),
                _t("annex.h.level", lang),
                _t("annex.h.penalty", lang),
                _t("annex.h.cap", lang),
            ),
            tuple(penalty_rows),
            (14, 28, 42, 16),
        )
    )
    rules_text = []
    if terms.penalties.monthly_cap is not None:
        rules_text.append(
            _t("annex.s6.monthly_cap", lang, rate=_pct(terms.penalties.monthly_cap, lang))
        )
    if terms.penalties.grace_months:
        until = _add_months(terms.term_start, terms.penalties.grace_months) - dt.timedelta(days=1)
        rules_text.append(
            _t(
                "annex.s6.grace",
                lang,
                n=terms.penalties.grace_months,
                until=i18n.fmt_date(until, lang),
            )
        )
    if terms.penalties.claim_within is not None:
        rules_text.append(
            _t("annex.s6.claim", lang, delay=fmt_target(str(terms.penalties.claim_within), lang))
        )
    if terms.penalties.persistent_consecutive_months:
        code = (
            "annex.s6.persistent"
            if terms.penalties.persistent_same_level
            else "annex.s6.persistent_any"
        )
        rules_text.append(_t(code, lang, n=terms.penalties.persistent_consecutive_months))
    rules_text.append(
        _t("annex.s6.sole" if terms.penalties.sole_remedy else "annex.s6.not_sole", lang)
    )
    penalties.blocks.append(tuple(rules_text))
    signatures = Section(_t("annex.s7", lang))
    parties = (
        (_t("annex.customer", lang), str(_m(info.get("customer")).get("name", ""))),
        (_t("annex.provider", lang), str(_m(info.get("provider")).get("name", ""))),
    )
    title = _t("annex.title", lang)
    return Annex(
        lang=lang,
        title=title,
        subtitle=terms.title,
        reference=reference,
        parties=parties,
        version_line=version_line,
        sections=[purpose, definitions, calendars, service_levels, rules, penalties, signatures],
        signature_roles=(
            f"{_t('annex.for_customer', lang)} — {parties[0][1]}",
            f"{_t('annex.for_provider', lang)} — {parties[1][1]}",
        ),
        signature_fields=(
            _t("annex.field.name", lang),
            _t("annex.field.date", lang),
            _t("annex.field.signature", lang),
        ),
        footer=_t("annex.footer", lang, title=title, contract=reference, effective=effective),
    )


# --------------------------------------------------------------------------- DOCX


def render_docx(annex: Annex) -> bytes:
    """The annex as a DOCX document (python-docx), A4, numbered sections and tables."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    navy = RGBColor(0x1F, 0x3A, 0x5F)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.8)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    for name, size in (("Title", 22), ("Heading 1", 13)):
        style = document.styles[name]
        style.font.color.rgb = navy
        style.font.size = Pt(size)
    core = document.core_properties
    core.title, core.subject, core.language = annex.title, annex.reference, annex.lang

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run(f"{annex.footer} — ")
    run.font.size = Pt(8)
    page = footer.add_run()
    page.font.size = Pt(8)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is None:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            page._r.append(instruction)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            page._r.append(char)

    document.add_paragraph(annex.title, style="Title")
    subtitle = document.add_paragraph()
    subtitle.add_run(annex.subtitle).bold = True
    subtitle.add_run(f"\n{annex.reference}")
    parties = document.add_paragraph()
    for role, name in annex.parties:
        parties.add_run(f"{role} : " if annex.lang == "fr" else f"{role}: ").bold = True
        parties.add_run(f"{name}\n")
    document.add_paragraph(annex.version_line).runs[0].italic = True

    def table(spec: Table) -> None:
        grid = document.add_table(rows=1, cols=len(spec.headers))
        grid.style = "Light Grid Accent 1"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(grid.rows[0].cells, spec.headers, strict=True):
            cell.text = header
            cell.paragraphs[0].runs[0].bold = True
        for values in spec.rows:
            cells = grid.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
        total = sum(spec.widths) or 1
        for index, width in enumerate(spec.widths):
            for row in grid.rows:
                row.cells[index].width = Cm(17 * width / total)
        for row in grid.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for text_run in paragraph.runs:
                        text_run.font.size = Pt(8.5)
        document.add_paragraph()

    for number, part in enumerate(annex.sections, start=1):
        document.add_heading(f"{number}. {part.title}", level=1)
        for block in part.blocks:
            if isinstance(block, Table):
                table(block)
            elif isinstance(block, tuple):
                for item in block:
                    document.add_paragraph(item, style="List Bullet")
            else:
                document.add_paragraph(block)
    signatures = document.add_table(rows=1 + len(annex.signature_fields), cols=2)
    signatures.style = "Table Grid"
    for column, role in enumerate(annex.signature_roles):
        signatures.rows[0].cells[column].text = role
        signatures.rows[0].cells[column].paragraphs[0].runs[0].bold = True
        for row, label in enumerate(annex.signature_fields, start=1):
            cell = signatures.rows[row].cells[column]
            cell.text = f"{label} :" if annex.lang == "fr" else f"{label}:"
            if row == len(annex.signature_fields):
                cell.add_paragraph("\n\n")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- HTML / PDF


def render_html(annex: Annex) -> str:
    """The annex as an HTML page (the PDF's source), styles inlined."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    css = (TEMPLATES / "annex.css").read_text(encoding="utf-8")
    return environment.get_template("annex.html").render(annex=annex, css=css, Table=Table)


def render_pdf(annex: Annex) -> bytes:
    """The annex as PDF bytes (WeasyPrint, A4, page numbers)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="weasyprint.*")
        from weasyprint import HTML

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    pdf: bytes = HTML(string=render_html(annex), base_url=str(TEMPLATES)).write_pdf()
    return pdf


def write_annex(annex: Annex, path: str | Path) -> None:
    """Write the annex as ``.docx`` or ``.pdf`` according to the path's suffix."""
    target = Path(path)
    data = render_pdf(annex) if target.suffix.lower() == ".pdf" else render_docx(annex)
    target.write_bytes(data)
