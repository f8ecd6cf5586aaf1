"""Rules on reversibility, transition-in, term, liability, amendments, subcontracting and
price (contract-rules.md A4, A5)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pilotage.contract.lint.registry import Context, Hit, months_of, percent, rule


def _m(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _reversibility(ctx: Context) -> dict[str, Any] | None:
    """The reversibility section when the clause exists (REV-001 reports its absence)."""
    section = ctx.section("reversibility")
    return section if section.get("clause") is True else None


_REV_CASES = (
    "expiry",
    "termination_for_cause",
    "termination_for_convenience",
    "provider_insolvency",
)


@rule(
    "REV-001",
    "reversibility",
    "E",
    "ANSSI infogérance [S]; ANSSI guide d'hygiène mesure 3 [V]; DORA 30(2)(d); ISO 5.23",
    title=("A reversibility clause covers every end", "Une réversibilité pour toute fin"),
    why=(
        "the customer must be able to take its IT back “at any time and without particular "
        "difficulty”, whatever the reason the contract ends, including the provider's "
        "insolvency",
        "le client doit pouvoir reprendre son informatique « à tout moment et sans difficulté "
        "particulière », quelle que soit la cause de la fin du contrat, y compris la défaillance "
        "du prestataire",
    ),
    clause=(
        "On expiry or termination of the contract for any reason, including the provider's "
        "insolvency, the provider ensures the reversibility of the services to the customer "
        "or a successor it designates, under the reversibility plan of Annex 7.",
        "À l’échéance ou à la résiliation du contrat pour quelque cause que ce soit, y compris "
        "la défaillance du prestataire, le prestataire assure la réversibilité des prestations "
        "au profit du client ou du successeur qu’il désigne, selon le plan de réversibilité de "
        "l’annexe 7.",
    ),
    messages={
        "missing": (
            "the contract has no reversibility clause",
            "le contrat n’a pas de clause de réversibilité",
        ),
        "cases": (
            "reversibility does not apply on: {missing}",
            "la réversibilité ne s’applique pas en cas de : {missing}",
        ),
    },
)
def rev_001(ctx: Context) -> Iterator[Hit]:
    section = _reversibility(ctx)
    if section is None:
        yield Hit("missing", ("reversibility",) if ctx.get("reversibility") else ())
        return
    missing = [c for c in _REV_CASES if c not in _list(section.get("applies_on"))]
    if missing:
        yield Hit("cases", ("reversibility",), {"missing": ", ".join(missing)})


@rule(
    "REV-002",
    "reversibility",
    "W",
    "Lexing [S]; EBA/GL/2019/02 §108 [S]; RTS 2024/1773 art. 10 [V]",
    title=(
        "A reversibility plan, early and kept current",
        "Un plan de réversibilité tôt et à jour",
    ),
    why=(
        "a plan written at the end is written by a provider that is leaving; it must be "
        "drafted in the first months and reviewed every year",
        "un plan écrit à la fin l’est par un prestataire qui s’en va ; il doit être rédigé dans "
        "les premiers mois et revu chaque année",
    ),
    clause=(
        "The provider delivers a reversibility plan within 6 months of the start (inventory, "
        "steps, deliverables, timetable, success criteria) and updates it every year.",
        "Le prestataire remet un plan de réversibilité dans les 6 mois suivant le démarrage "
        "(inventaire, étapes, livrables, calendrier, critères de réussite) et le met à jour "
        "chaque année.",
    ),
    messages={
        "no_plan": (
            "no deadline for the reversibility plan",
            "aucune échéance pour le plan de réversibilité",
        ),
        "late_plan": (
            "the reversibility plan is due only after {value}",
            "le plan de réversibilité n’est dû qu’après {value}",
        ),
        "no_review": (
            "the reversibility plan is not reviewed at least yearly",
            "le plan de réversibilité n’est pas revu au moins chaque année",
        ),
    },
)
def rev_002(ctx: Context) -> Iterator[Hit]:
    section = _reversibility(ctx)
    if section is None:
        return
    due = months_of(section.get("plan_due"))
    if due is None:
        yield Hit("no_plan", ("reversibility",))
    elif due > 6:
        yield Hit("late_plan", ("reversibility", "plan_due"), {"value": str(section["plan_due"])})
    review = months_of(section.get("plan_review"))
    if review is None or review > 12:
        yield Hit("no_review", ("reversibility",))


@rule(
    "REV-003",
    "reversibility",
    "W/E",
    "DORA 30(3)(f); EBA/GL/2019/02 §99(b) [S]; Data Act 25(2)(a) [S]",
    title=("A transition period at unchanged service", "Une transition à service inchangé"),
    why=(
        "while the successor takes over, the outgoing provider must keep delivering at the "
        "same service levels and price, or the customer is held hostage",
        "pendant la reprise par le successeur, le prestataire sortant doit continuer à servir "
        "aux mêmes niveaux et au même prix, sinon le client est pris en otage",
    ),
    clause=(
        "During a transition period of up to 3 months after the end of the contract, the "
        "provider keeps delivering the services at the same service levels and prices.",
        "Pendant une période de transition de 3 mois au plus après la fin du contrat, le "
        "prestataire continue d’assurer les prestations aux mêmes niveaux de service et aux "
        "mêmes prix.",
    ),
    messages={
        "no_transition": (
            "no transition period is stated",
            "aucune période de transition n’est prévue",
        ),
        "relaxed": (
            "service levels are relaxed during the transition",
            "les niveaux de service sont assouplis pendant la transition",
        ),
    },
)
def rev_003(ctx: Context) -> Iterator[Hit]:
    section = _reversibility(ctx)
    if section is None:
        return
    critical = bool(ctx.critical_services())
    if not section.get("transition"):
        yield Hit("no_transition", ("reversibility",), escalated=critical)
    if section.get("service_levels_during_transition") != "unchanged":
        yield Hit("relaxed", ("reversibility",), escalated=critical)


_ASSISTANCE = ("knowledge_transfer", "documentation", "credentials_handover")


@rule(
    "REV-004",
    "reversibility",
    "E",
    "AQ CCTP §8 [V]; EBA/GL/2019/02 §99(a)(c) [S]; ANSSI guide d'hygiène mesure 26 [V]",
    title=("Exit assistance is listed", "L’assistance à la sortie est détaillée"),
    why=(
        "without knowledge transfer, current documentation and the hand-over of admin "
        "accounts, the successor starts blind and the customer may be locked out",
        "sans transfert de connaissances, documentation à jour ni remise des comptes "
        "d’administration, le successeur démarre à l’aveugle et le client peut se retrouver "
        "sans accès",
    ),
    clause=(
        "Reversibility includes knowledge-transfer sessions, up-to-date documentation, the "
        "hand-over of all administrator accounts and credentials, configuration exports and "
        "support to the successor.",
        "La réversibilité comprend des sessions de transfert de connaissances, une "
        "documentation à jour, la remise de tous les comptes et secrets d’administration, "
        "l’export des configurations et l’assistance au successeur.",
    ),
    messages={
        "missing": (
            "exit assistance does not include: {missing}",
            "l’assistance à la sortie ne comprend pas : {missing}",
        ),
    },
)
def rev_004(ctx: Context) -> Iterator[Hit]:
    section = _reversibility(ctx)
    if section is None:
        return
    missing = [a for a in _ASSISTANCE if a not in _list(section.get("assistance"))]
    if missing:
        yield Hit("missing", ("reversibility",), {"missing": ", ".join(missing)})


_EXPORT_SCOPE = ("data", "configurations", "logs", "backups")


@rule(
    "REV-005",
    "reversibility",
    "E",
    "ANSSI guide d'hygiène mesure 3 [V]; SecNumCloud 19.1.h-i [V]; DORA 30(2)(d); "
    "Data Act 25(2)(e) [S]",
    title=("Data returned in an open format", "Données restituées en format ouvert"),
    why=(
        "data returned in a proprietary format, or without configurations and logs, cannot "
        "be taken over by anyone else",
        "des données rendues dans un format propriétaire, ou sans configurations ni journaux, "
        "ne peuvent être reprises par personne d’autre",
    ),
    clause=(
        "The provider returns the data, configurations, logs and backups in open, documented, "
        "machine-readable formats.",
        "Le prestataire restitue les données, configurations, journaux et sauvegardes dans des "
        "formats ouverts, documentés et lisibles par machine.",
    ),
    messages={
        "no_format": ("the export format is not open", "le format de restitution n’est pas ouvert"),
        "scope": (
            "the export does not cover: {missing}",
            "la restitution ne couvre pas : {missing}",
        ),
    },
)
def rev_005(ctx: Context) -> Iterator[Hit]:
    section = _reversibility(ctx)
    if section is None:
        return
    export = _m(section.get("data_export"))
    if export.get("format") != "open":
        yield Hit("no_format", ("reversibility", "data_export") if export else ("reversibility",))
    missing = [s for s in _EXPORT_SCOPE if s not in _list(export.get("scope"))]
    if missing:
        yield Hit("scope", ("reversibility",), {"missing": ", ".join(missing)})


@rule(
    "REV-006",
    "reversibility",
    "W",
    "Solvoxia [S]; Data Act art. 29 [S]",
    title=("The cost of exit is fixed in advance", "Le coût de sortie est fixé d’avance"),
    why=(
        "an exit priced at the time of leaving is priced by a provider with nothing to lose",
        "une sortie chiffrée au moment de partir l’est par un prestataire qui n’a plus rien à "
        "perdre",
    ),
    clause=(
        "Reversibility is invoiced as a lump sum of 6,000 euros excluding VAT; any extra work "
        "follows the rate card of Annex 4.",
        "La réversibilité est facturée forfaitairement 6 000 euros HT ; tout travail "
        "supplémentaire suit le bordereau de prix de l’annexe 4.",
    ),
    messages={
        "missing": (
            "the cost of reversibility is not fixed",
            "le coût de la réversibilité n’est pas fixé",
        )
    },
)
def rev_006(ctx: Context) -> Iterator[Hit]:
    section = _reversibility(ctx)
    if section is None:
        return
    cost = _m(section.get("cost"))
    if cost.get("fixed") is None and cost.get("rate_card") is not True:
        yield Hit("missing", ("reversibility",))


@rule(
    "REV-007",
    "reversibility",
    "W",
    "GDPR 28(3)(g) [V]; SecNumCloud 19.4.a-b [V]; CNIL fiche 14.2 [V]; NIS2-IR §5.1.4(h)",
    title=("Deletion is certified", "La suppression est certifiée"),
    why=(
        "after the exit the customer must be able to prove its data, backups included, no "
        "longer sits with the former provider",
        "après la sortie, le client doit pouvoir prouver que ses données, sauvegardes "
        "comprises, ne sont plus chez l’ancien prestataire",
    ),
    clause=(
        "Once the customer has confirmed the returned data is complete, the provider deletes "
        "all copies, backups included, and delivers a deletion certificate within 30 days.",
        "Après confirmation par le client de la complétude des données restituées, le "
        "prestataire en détruit toutes les copies, sauvegardes comprises, et remet un "
        "certificat de destruction sous 30 jours.",
    ),
    messages={
        "missing": (
            "no deletion certificate is required",
            "aucun certificat de destruction n’est exigé",
        )
    },
)
def rev_007(ctx: Context) -> Iterator[Hit]:
    section = _reversibility(ctx)
    if section is not None and section.get("deletion_certificate") is not True:
        yield Hit("missing", ("reversibility",))


@rule(
    "REV-008",
    "reversibility",
    "W",
    "Solvoxia [S]; CCAG-TIC 2009 ch. 7",
    title=(
        "Scripts and configurations belong to the customer",
        "Scripts et configurations au client",
    ),
    why=(
        "scripts, configurations and documentation written for the customer's systems are "
        "what a successor needs; if the provider owns them it can withhold them",
        "les scripts, configurations et documents écrits pour les systèmes du client sont ce "
        "dont le successeur a besoin ; si le prestataire en est propriétaire, il peut les "
        "retenir",
    ),
    clause=(
        "Scripts, configurations and documentation produced for the customer belong to it; "
        "the provider hands them over at any time on request.",
        "Les scripts, configurations et documentations produits pour le client lui "
        "appartiennent ; le prestataire les remet à tout moment sur demande.",
    ),
    messages={
        "missing": (
            "the customer does not own the scripts and configurations",
            "le client n’est pas propriétaire des scripts et configurations",
        )
    },
)
def rev_008(ctx: Context) -> Iterator[Hit]:
    section = _reversibility(ctx)
    owner = None if section is None else section.get("ownership_of_scripts_and_configurations")
    if section is not None and owner not in ("customer", "shared"):
        yield Hit("missing", ("reversibility",))


@rule(
    "REV-009",
    "reversibility",
    "W",
    "Data Act 25(2)(g) [S]",
    title=("Data can be retrieved for 30 days", "Données récupérables pendant 30 jours"),
    why=(
        "the customer needs time after the end to check and retrieve its data before it is deleted",
        "le client a besoin de temps après la fin pour vérifier et récupérer ses données "
        "avant leur destruction",
    ),
    clause=(
        "The customer may retrieve its data for 30 days after the end of the services.",
        "Le client peut récupérer ses données pendant 30 jours après la fin des prestations.",
    ),
    messages={
        "short": (
            "the retrieval window after the end is {value}, less than 30 days",
            "la fenêtre de récupération après la fin est de {value}, moins de 30 jours",
        ),
        "missing": (
            "no retrieval window after the end",
            "aucune fenêtre de récupération après la fin",
        ),
    },
)
def rev_009(ctx: Context) -> Iterator[Hit]:
    section = _reversibility(ctx)
    if section is None:
        return
    value = _m(section.get("data_export")).get("retrieval")
    months = months_of(value)
    if months is None:
        yield Hit("missing", ("reversibility",))
    elif months * Decimal("30.4375") < 30:
        yield Hit("short", ("reversibility", "data_export", "retrieval"), {"value": str(value)})


@rule(
    "TRN-001",
    "transition_in",
    "W",
    "AQ CCTP (initialisation ≤ 4 months) [V]; contract-rules.md part C.9",
    title=("Transition-in with acceptance", "Reprise avec recette"),
    why=(
        "the first months decide what the provider really took over: without a planned "
        "transition and an acceptance, gaps in inventory, access and monitoring stay hidden",
        "les premiers mois décident de ce que le prestataire a vraiment repris : sans phase de "
        "reprise planifiée ni recette, les manques d’inventaire, d’accès et de supervision "
        "restent cachés",
    ),
    clause=(
        "The provider takes over the services within 3 months; the transition ends with an "
        "acceptance by the customer of the inventory, accesses, documentation and monitoring.",
        "Le prestataire reprend les prestations en 3 mois ; la reprise se termine par une "
        "recette par le client de l’inventaire, des accès, de la documentation et de la "
        "supervision.",
    ),
    messages={
        "missing": ("no transition-in is planned", "aucune phase de reprise n’est prévue"),
        "no_acceptance": (
            "the transition-in ends without acceptance",
            "la reprise se termine sans recette",
        ),
        "long": (
            "the transition-in lasts {value}, more than 4 months",
            "la reprise dure {value}, plus de 4 mois",
        ),
    },
)
def trn_001(ctx: Context) -> Iterator[Hit]:
    section = ctx.section("transition_in")
    duration = months_of(section.get("duration"))
    if duration is None:
        yield Hit("missing", ("transition_in",) if section else ())
        return
    if duration > 4:
        yield Hit("long", ("transition_in", "duration"), {"value": str(section["duration"])})
    if not section.get("acceptance"):
        yield Hit("no_acceptance", ("transition_in",))


@rule(
    "TRM-001",
    "term",
    "E",
    "EBA/GL/2019/02 §75(b) [S]; ITS B_02.02.0070/0080 [V]",
    title=("Start and term are stated", "Début et durée sont fixés"),
    why=(
        "every deadline that matters (notice, renewal, tender) is counted from the start "
        "and the term",
        "toutes les échéances utiles (préavis, renouvellement, appel d’offres) se comptent à "
        "partir du début et de la durée",
    ),
    clause=(
        "The contract takes effect on 1 January 2026 for an initial term of 36 months.",
        "Le contrat prend effet le 1er janvier 2026 pour une durée initiale de 36 mois.",
    ),
    messages={
        "no_start": ("the contract has no start date", "le contrat n’a pas de date de début"),
        "no_term": (
            "the contract has neither an initial term nor an end date",
            "le contrat n’a ni durée initiale ni date de fin",
        ),
    },
)
def trm_001(ctx: Context) -> Iterator[Hit]:
    term = ctx.section("contract.term")
    if not term.get("start"):
        yield Hit("no_start", ("contract", "term") if term else ("contract",))
    if not term.get("initial") and not term.get("end"):
        yield Hit("no_term", ("contract", "term") if term else ("contract",))


@rule(
    "TRM-002",
    "term",
    "W",
    "AQ (tacit, 3 months) [V]; infogerance-paris-75 [S]",
    title=("Renewal without a calendar trap", "Renouvellement sans piège de calendrier"),
    why=(
        "with tacit renewal and a long notice, a missed date locks the customer in for "
        "another term",
        "avec une reconduction tacite et un long préavis, une date manquée engage le client "
        "pour une nouvelle période",
    ),
    clause=(
        "The contract renews tacitly for 12 months unless either party gives notice by "
        "registered letter at least 3 months before the end of the current term.",
        "Le contrat est reconduit tacitement par périodes de 12 mois, sauf dénonciation par "
        "l’une des parties par lettre recommandée au moins 3 mois avant la fin de la période "
        "en cours.",
    ),
    messages={
        "no_mode": (
            "the renewal mode is not stated",
            "le mode de renouvellement n’est pas précisé",
        ),
        "no_notice": (
            "tacit renewal without a customer notice period",
            "reconduction tacite sans préavis de non-reconduction pour le client",
        ),
        "long_notice": (
            "tacit renewal with a customer notice of {value}, more than 3 months",
            "reconduction tacite avec un préavis client de {value}, plus de 3 mois",
        ),
        "long_renewal": (
            "each renewal ({renewal}) is longer than the initial term ({initial})",
            "chaque reconduction ({renewal}) est plus longue que la durée initiale ({initial})",
        ),
    },
)
def trm_002(ctx: Context) -> Iterator[Hit]:
    term = ctx.section("contract.term")
    path = ("contract", "term")
    renewal = term.get("renewal")
    if renewal is None:
        yield Hit("no_mode", path if term else ("contract",))
        return
    if renewal != "tacit":
        return
    notice = _m(term.get("notice")).get("customer")
    months = months_of(notice)
    if months is None:
        yield Hit("no_notice", path)
    elif months > 3:
        yield Hit("long_notice", (*path, "notice", "customer"), {"value": str(notice)})
    renewal_months, initial = months_of(term.get("renewal_term")), months_of(term.get("initial"))
    if renewal_months is not None and initial is not None and renewal_months > initial:
        params = {"renewal": str(term["renewal_term"]), "initial": str(term["initial"])}
        yield Hit("long_renewal", (*path, "renewal_term"), params)


@rule(
    "TRM-003",
    "term",
    "E",
    "DORA 30(2)(h); ITS B_02.02.0100/0110 [V]",
    title=("Notice periods for both parties", "Préavis pour les deux parties"),
    why=(
        "without the provider's notice period, it could leave at short notice and the "
        "customer would have no time to replace it",
        "sans préavis du prestataire, il pourrait partir à bref délai sans laisser au client "
        "le temps de le remplacer",
    ),
    clause=(
        "The customer may terminate with 3 months' notice and the provider with 6 months' "
        "notice before the end of the current term.",
        "Le client peut résilier moyennant un préavis de 3 mois et le prestataire moyennant "
        "un préavis de 6 mois avant la fin de la période en cours.",
    ),
    messages={
        "missing": ("no notice period for {party}", "aucun préavis pour {party}"),
    },
)
def trm_003(ctx: Context) -> Iterator[Hit]:
    notice = ctx.section("contract.term.notice")
    for party in ("customer", "provider"):
        if not notice.get(party):
            yield Hit("missing", ("contract", "term"), {"party": party})


_CAUSES = ("serious_breach", "persistent_breach", "security_weakness")


@rule(
    "TRM-004",
    "term",
    "W",
    "DORA 28(7); SecNumCloud 19.1.g [V]; ITS termination reasons [V]",
    title=("Termination for cause is listed", "Les causes de résiliation sont listées"),
    why=(
        "the customer must be able to leave without fee after a serious breach, persistent "
        "poor service or a security weakness",
        "le client doit pouvoir partir sans indemnité après un manquement grave, un mauvais "
        "service persistant ou une faiblesse de sécurité",
    ),
    clause=(
        "The customer may terminate for cause, without notice or fee, in case of serious "
        "breach, persistent breach of service levels, proven security weakness or loss of a "
        "certification the contract relies on.",
        "Le client peut résilier pour faute, sans préavis ni indemnité, en cas de manquement "
        "grave, de manquement persistant aux niveaux de service, de faiblesse de sécurité "
        "avérée ou de perte d’une certification sur laquelle repose le contrat.",
    ),
    messages={
        "missing": (
            "termination for cause does not cover: {missing}",
            "la résiliation pour faute ne couvre pas : {missing}",
        ),
    },
)
def trm_004(ctx: Context) -> Iterator[Hit]:
    causes = _list(ctx.get("contract.term.termination_for_cause"))
    missing = [c for c in _CAUSES if c not in causes]
    if missing:
        yield Hit("missing", ("contract", "term"), {"missing": ", ".join(missing)})


@rule(
    "TRM-005",
    "term",
    "W",
    "infogerance-paris-75 [S]",
    title=("Termination for convenience at a fair fee", "Résiliation sans motif à un coût juste"),
    why=(
        "a termination fee equal to all remaining months locks the customer in however "
        "poor the service",
        "une indemnité égale à toutes les mensualités restantes enferme le client quel que "
        "soit le service",
    ),
    clause=(
        "The customer may terminate for convenience with 3 months' notice against a fee "
        "equal to 3 months of the fee.",
        "Le client peut résilier sans motif moyennant un préavis de 3 mois et une indemnité "
        "égale à 3 mois de redevance.",
    ),
    messages={
        "not_allowed": (
            "the customer cannot terminate for convenience",
            "le client ne peut pas résilier sans motif",
        ),
        "heavy_fee": (
            "the termination-for-convenience fee ({value}) amounts to the whole initial term",
            "l’indemnité de résiliation sans motif ({value}) équivaut à toute la durée initiale",
        ),
    },
)
def trm_005(ctx: Context) -> Iterator[Hit]:
    convenience = ctx.section("contract.term.termination_for_convenience")
    if convenience.get("allowed") is not True:
        yield Hit("not_allowed", ("contract", "term"))
        return
    fee = convenience.get("fee")
    initial = months_of(ctx.get("contract.term.initial"))
    months = months_of(fee)
    monthly = ctx.monthly_fee()
    if months is None and isinstance(fee, int | Decimal) and not isinstance(fee, bool) and monthly:
        months = Decimal(fee) / monthly
    if months is not None and initial is not None and months >= initial:
        path = ("contract", "term", "termination_for_convenience", "fee")
        yield Hit("heavy_fee", path, {"value": str(fee)})


@rule(
    "TRM-006",
    "term",
    "W",
    "DORA 30(3)(f) [U reasoning]",
    title=(
        "The provider's notice covers a handover",
        "Le préavis du prestataire couvre une reprise",
    ),
    why=(
        "if the provider may leave with less notice than a successor needs to take over, "
        "the customer faces a gap in service",
        "si le prestataire peut partir avec un préavis plus court que le temps de reprise "
        "d’un successeur, le client subit une rupture de service",
    ),
    clause=(
        "The provider's notice is at least 6 months, so that a successor can be chosen and "
        "take over during the transition period.",
        "Le préavis du prestataire est d’au moins 6 mois, afin qu’un successeur puisse être "
        "choisi et reprendre les prestations pendant la période de transition.",
    ),
    messages={
        "short": (
            "the provider's notice ({notice}) is shorter than the exit transition plus a "
            "takeover ({needed} months)",
            "le préavis du prestataire ({notice}) est plus court que la transition de sortie "
            "plus une reprise ({needed} mois)",
        ),
    },
)
def trm_006(ctx: Context) -> Iterator[Hit]:
    notice = ctx.get("contract.term.notice.provider")
    months = months_of(notice)
    transition = months_of(ctx.get("reversibility.transition")) or Decimal(0)
    takeover = months_of(ctx.get("transition_in.duration")) or Decimal(0)
    needed = transition + takeover
    if months is not None and needed and months < needed:
        params = {"notice": str(notice), "needed": f"{needed:g}"}
        yield Hit("short", ("contract", "term", "notice", "provider"), params)


@rule(
    "TRM-007",
    "term",
    "I",
    "EBA/GL/2019/02 §75(c) [S]; SecNumCloud 19.1.c [V]; ITS B_02.02.0120 [V]",
    title=(
        "Governing law, jurisdiction and mediation",
        "Droit applicable, juridiction et médiation",
    ),
    why=(
        "a dispute is cheaper when the law, the court and a first mediation step are known "
        "in advance",
        "un litige coûte moins cher quand le droit, le tribunal et une première étape de "
        "médiation sont connus d’avance",
    ),
    clause=(
        "The contract is governed by French law. Before any action, the parties refer their "
        "dispute to the Médiateur des entreprises; failing agreement within 2 months, the "
        "Tribunal de commerce de Lille has sole jurisdiction.",
        "Le contrat est soumis au droit français. Avant toute action, les parties soumettent "
        "leur différend au Médiateur des entreprises ; à défaut d’accord sous 2 mois, le "
        "Tribunal de commerce de Lille est seul compétent.",
    ),
    messages={
        "missing": (
            "dispute resolution does not state: {missing}",
            "le règlement des litiges ne précise pas : {missing}",
        ),
    },
)
def trm_007(ctx: Context) -> Iterator[Hit]:
    disputes = ctx.section("contract.dispute_resolution")
    missing = [k for k in ("governing_law", "jurisdiction", "mediation") if not disputes.get(k)]
    if missing:
        yield Hit("missing", ("contract",), {"missing": ", ".join(missing)})


@rule(
    "LIA-001",
    "liability",
    "W",
    "dsih.fr [S]; Syntec definition via promosoft.fr [S]",
    title=(
        "Service levels are obligations of result",
        "Les niveaux de service sont des obligations de résultat",
    ),
    why=(
        "under an obligation of means the provider escapes penalties by showing it tried; "
        "quantified levels must be obligations of result",
        "avec une obligation de moyens, le prestataire échappe aux pénalités en montrant ses "
        "efforts ; des niveaux chiffrés doivent être des obligations de résultat",
    ),
    clause=(
        "The service levels of Annex 2 are obligations of result.",
        "Les niveaux de service de l’annexe 2 constituent des obligations de résultat.",
    ),
    messages={
        "means": (
            "service levels are an obligation of means",
            "les niveaux de service sont une obligation de moyens",
        ),
        "missing": (
            "the contract does not say whether service levels are an obligation of result",
            "le contrat ne dit pas si les niveaux de service sont une obligation de résultat",
        ),
    },
)
def lia_001(ctx: Context) -> Iterator[Hit]:
    obligation = ctx.get("contract.obligation")
    if obligation == "means":
        yield Hit("means", ("contract", "obligation"))
    elif obligation != "result":
        yield Hit("missing", ("contract",))


@rule(
    "LIA-002",
    "liability",
    "W",
    "Code civil art. 1170 (Chronopost; Faurecia 2010) [S]; 12-month threshold [U]",
    title=("Liability cap with carve-outs", "Plafond de responsabilité avec exclusions"),
    why=(
        "a low liability cap, or one that also covers data loss and gross negligence, "
        "leaves the customer to bear the cost of the provider's worst failures",
        "un plafond de responsabilité bas, ou qui couvre aussi la perte de données et la faute "
        "lourde, laisse au client le coût des pires défaillances du prestataire",
    ),
    clause=(
        "The provider's liability is capped at 12 months of fees, except for gross negligence "
        "or wilful misconduct, breach of confidentiality, loss of data and breaches of "
        "personal data protection, which are not capped.",
        "La responsabilité du prestataire est plafonnée à 12 mois de redevance, sauf faute "
        "lourde ou dolosive, manquement à la confidentialité, perte de données et atteinte aux "
        "données personnelles, qui ne sont pas plafonnés.",
    ),
    messages={
        "no_cap": (
            "the liability cap is not stated",
            "le plafond de responsabilité n’est pas précisé",
        ),
        "low_cap": (
            "the liability cap ({value}) is below 12 months of fees",
            "le plafond de responsabilité ({value}) est inférieur à 12 mois de redevance",
        ),
        "carve_outs": (
            "the liability cap also covers: {missing}",
            "le plafond de responsabilité couvre aussi : {missing}",
        ),
    },
)
def lia_002(ctx: Context) -> Iterator[Hit]:
    liability = ctx.section("security.liability")
    cap = liability.get("cap")
    path = ("security", "liability")
    if cap is None:
        yield Hit("no_cap", ("security",) if ctx.get("security") else ())
        return
    months = months_of(cap)
    fee = ctx.monthly_fee()
    share = percent(cap)
    if months is None and isinstance(cap, int | Decimal) and not isinstance(cap, bool) and fee:
        months = Decimal(cap) / fee
    if months is None and share is not None:
        months = share  # a percentage of the fee: well under a year of fees
    if months is not None and months < 12:
        yield Hit("low_cap", (*path, "cap"), {"value": str(cap)})
    wanted = ("gross_negligence", "data_loss", "confidentiality", "personal_data")
    missing = [c for c in wanted if c not in _list(liability.get("carve_outs"))]
    if missing:
        yield Hit("carve_outs", path, {"missing": ", ".join(missing)})


@rule(
    "LIA-003",
    "liability",
    "W",
    "CCAG-TIC 2009 art. 9 [V]; EBA/GL/2019/02 §75(k) [S]",
    title=("Insurance, including cyber", "Assurances, cyber comprise"),
    why=(
        "a liability the provider cannot pay is worth nothing: professional and cyber "
        "insurance make it real",
        "une responsabilité que le prestataire ne peut pas payer ne vaut rien : les "
        "assurances responsabilité civile professionnelle et cyber la rendent réelle",
    ),
    clause=(
        "The provider holds professional liability and cyber insurance for the whole term "
        "and sends the certificates within 15 days of any request.",
        "Le prestataire est assuré en responsabilité civile professionnelle et en risque cyber "
        "pendant toute la durée du contrat et remet les attestations sous 15 jours sur "
        "simple demande.",
    ),
    messages={
        "missing": ("no {kind} insurance is required", "aucune assurance {kind} n’est exigée")
    },
)
def lia_003(ctx: Context) -> Iterator[Hit]:
    insurance = ctx.section("security.insurance")
    for kind in ("professional_liability", "cyber"):
        if not insurance.get(kind):
            yield Hit("missing", ("security",), {"kind": kind})


@rule(
    "LIA-004",
    "liability",
    "W",
    "MonAideCyber niveau 2 [V]",
    title=(
        "Cyberattacks are not force majeure",
        "La cyberattaque n’est pas un cas de force majeure",
    ),
    why=(
        "if a cyberattack counts as force majeure, the provider answers for nothing in the "
        "one event the customer fears most",
        "si la cyberattaque vaut force majeure, le prestataire ne répond de rien dans "
        "l’événement que le client craint le plus",
    ),
    clause=(
        "Cyberattacks and failures of systems under the provider's control are not force majeure.",
        "Les cyberattaques et les défaillances des systèmes sous le contrôle du prestataire ne "
        "constituent pas des cas de force majeure.",
    ),
    messages={
        "missing": (
            "cyberattacks are not excluded from force majeure",
            "les cyberattaques ne sont pas exclues de la force majeure",
        )
    },
)
def lia_004(ctx: Context) -> Iterator[Hit]:
    if ctx.get("security.force_majeure_excludes_cyberattacks") is not True:
        yield Hit("missing", ("security",) if ctx.get("security") else ())


@rule(
    "LIA-005",
    "liability",
    "W",
    "DORA 30(2)(c)-(d); ANSSI guide d'hygiène mesure 3 [V]",
    title=("The customer owns its data", "Le client est propriétaire de ses données"),
    why=(
        "data the provider owns, or shares, cannot be demanded back at the end of the contract",
        "des données dont le prestataire est propriétaire, ou copropriétaire, ne peuvent pas "
        "être exigées en fin de contrat",
    ),
    clause=(
        "The customer remains the sole owner of its data, whatever their medium and place "
        "of storage.",
        "Le client reste seul propriétaire de ses données, quels qu’en soient le support et "
        "le lieu de stockage.",
    ),
    messages={
        "missing": (
            "the contract does not state that the customer owns its data",
            "le contrat ne précise pas que le client est propriétaire de ses données",
        ),
        "not_customer": ("data ownership is {value}", "la propriété des données est : {value}"),
    },
)
def lia_005(ctx: Context) -> Iterator[Hit]:
    owner = ctx.get("contract.data_ownership")
    if owner is None:
        yield Hit("missing", ("contract",))
    elif owner != "customer":
        yield Hit("not_customer", ("contract", "data_ownership"), {"value": str(owner)})


@rule(
    "AMD-001",
    "amendments",
    "E",
    "RTS 2024/1773 art. 8.4 [V]; SecNumCloud 19.1.a [V]",
    title=("Changes are signed amendments", "Les changements sont des avenants signés"),
    why=(
        "a change not written, dated and signed by both parties can be disputed; a provider "
        "able to change the service alone can lower it",
        "un changement non écrit, daté et signé par les deux parties est contestable ; un "
        "prestataire qui peut changer seul le service peut le dégrader",
    ),
    clause=(
        "Any change to the services, service levels or prices is made by a written amendment, "
        "dated and signed by both parties; the provider cannot change them unilaterally.",
        "Toute modification des prestations, niveaux de service ou prix fait l’objet d’un "
        "avenant écrit, daté et signé par les deux parties ; le prestataire ne peut les "
        "modifier unilatéralement.",
    ),
    messages={
        "unsigned": (
            "amendment {id} has no signature date",
            "l’avenant {id} n’a pas de date de signature",
        ),
        "unilateral": (
            "the provider approves changes alone",
            "le prestataire approuve seul les changements",
        ),
    },
)
def amd_001(ctx: Context) -> Iterator[Hit]:
    for index, item in enumerate(_list(ctx.get("amendments"))):
        if isinstance(item, dict) and not item.get("signed_on"):
            key: str | int = item["id"] if isinstance(item.get("id"), str) else index
            yield Hit("unsigned", ("amendments", key), {"id": str(key)})
    if ctx.get("governance.change_approval") == "provider":
        yield Hit("unilateral", ("governance", "change_approval"))


@rule(
    "AMD-002",
    "amendments",
    "I",
    "CLUSIF II.13 [S]; CCAG-TIC 2009 art. 5.2.2 [V]",
    title=("A change-request process", "Une procédure de demande de changement"),
    why=(
        "changes with an impact on price or service levels must go through a known "
        "process that the customer validates",
        "les changements qui touchent le prix ou les niveaux de service doivent suivre une "
        "procédure connue, validée par le client",
    ),
    clause=(
        "Every change is requested in writing with its impact on price and service levels "
        "and performed only after the customer's approval.",
        "Tout changement fait l’objet d’une demande écrite précisant son impact sur le prix et "
        "les niveaux de service, et n’est réalisé qu’après accord du client.",
    ),
    messages={
        "missing": ("no change-approval process", "aucune procédure de validation des changements")
    },
)
def amd_002(ctx: Context) -> Iterator[Hit]:
    if not ctx.get("governance.change_approval"):
        yield Hit("missing", ("governance",) if ctx.get("governance") else ())


@rule(
    "SUB-001",
    "subcontracting",
    "E",
    "DORA 30(2)(a); GDPR 28(2)(4) [V]; SecNumCloud 15.1.a-b [V]; NIS2-IR §5.1.4(g); CCAG-TIC 3.6",
    title=("Subcontracting under control", "Sous-traitance encadrée"),
    why=(
        "the customer must know and approve who actually works on its systems, and the "
        "provider must stay liable for them",
        "le client doit connaître et approuver qui intervient réellement sur ses systèmes, et "
        "le prestataire doit en rester responsable",
    ),
    clause=(
        "The provider may subcontract only with the customer's prior written approval; it "
        "remains fully liable for its subcontractors, bound by the same obligations.",
        "Le prestataire ne peut sous-traiter qu’avec l’accord écrit préalable du client ; il "
        "reste pleinement responsable de ses sous-traitants, tenus aux mêmes obligations.",
    ),
    messages={
        "missing": ("subcontracting is not addressed", "la sous-traitance n’est pas encadrée"),
        "no_approval": (
            "subcontracting needs no prior written approval",
            "la sous-traitance ne requiert pas d’accord écrit préalable",
        ),
        "not_liable": (
            "the provider is not stated to remain liable for its subcontractors",
            "il n’est pas précisé que le prestataire reste responsable de ses sous-traitants",
        ),
    },
)
def sub_001(ctx: Context) -> Iterator[Hit]:
    section = ctx.section("subcontracting")
    if "allowed" not in section:
        yield Hit("missing", ("subcontracting",) if section else ())
        return
    if section["allowed"] is not True:
        return
    if section.get("prior_written_approval") is not True:
        yield Hit("no_approval", ("subcontracting",))
    if section.get("provider_remains_liable") is not True:
        yield Hit("not_liable", ("subcontracting",))


@rule(
    "SUB-002",
    "subcontracting",
    "W",
    "ITS B_05.02 [V]; DORA 30(2)(b)",
    title=("Subcontractors' locations are disclosed", "Les lieux des sous-traitants sont connus"),
    why=(
        "a subcontractor abroad moves the customer's data abroad",
        "un sous-traitant à l’étranger emmène les données du client à l’étranger",
    ),
    clause=(
        "Annex 8 lists the subcontractors, their role and the country where they work; it is "
        "updated before any change.",
        "L’annexe 8 liste les sous-traitants, leur rôle et le pays où ils interviennent ; elle "
        "est mise à jour avant tout changement.",
    ),
    messages={
        "no_location": (
            'subcontractor "{name}" has no stated location',
            "le sous-traitant « {name} » n’a pas de lieu indiqué",
        )
    },
)
def sub_002(ctx: Context) -> Iterator[Hit]:
    for index, item in enumerate(_list(ctx.get("data_protection.subprocessors"))):
        if isinstance(item, dict) and not item.get("location"):
            yield Hit(
                "no_location",
                ("data_protection", "subprocessors", index),
                {"name": str(item.get("name", index))},
            )


@rule(
    "PRC-001",
    "price",
    "E",
    "EBA/GL/2019/02 §75(d) [S]",
    title=("Price structure and rate card", "Structure de prix et bordereau"),
    why=(
        "without a stated fee, scope and rate card for extra work, the customer cannot tell "
        "what is included from what will be billed",
        "sans redevance, périmètre et bordereau de prix pour les travaux en plus, le client ne "
        "peut distinguer ce qui est inclus de ce qui sera facturé",
    ),
    clause=(
        "The monthly fee covers the services of the scope in Annex 1; work outside it is "
        "billed at the rates of Annex 4 after a quote accepted by the customer.",
        "La redevance mensuelle couvre les prestations du périmètre de l’annexe 1 ; les "
        "travaux hors périmètre sont facturés aux tarifs de l’annexe 4 après devis accepté "
        "par le client.",
    ),
    messages={
        "no_fee": ("no monthly fee is stated", "aucune redevance mensuelle n’est indiquée"),
        "no_rate_card": (
            "no rate card for work outside the fee",
            "aucun bordereau de prix pour les travaux hors forfait",
        ),
        "no_scope": (
            "the scope (domains in and out) is not stated",
            "le périmètre (domaines inclus et exclus) n’est pas précisé",
        ),
    },
)
def prc_001(ctx: Context) -> Iterator[Hit]:
    price = ctx.section("contract.price")
    path = ("contract", "price") if price else ("contract",)
    if ctx.monthly_fee() is None:
        yield Hit("no_fee", path)
    if not price.get("rate_card"):
        yield Hit("no_rate_card", path)
    if not ctx.section("scope"):
        yield Hit("no_scope", ())


@rule(
    "PRC-002",
    "price",
    "W",
    "AQ CCAP 14 [V]; elfath-avocat (Syntec) [S]; CCAG-TIC 2009 art. 10.2.3 [V]",
    title=("Indexation fully specified", "Révision de prix entièrement définie"),
    why=(
        "an incomplete revision formula is settled by the provider's invoice; the former "
        "Syntec index is no longer published since September 2022",
        "une formule de révision incomplète se règle par la facture du prestataire ; l’ancien "
        "indice Syntec n’est plus publié depuis septembre 2022",
    ),
    clause=(
        "Prices are revised every 12 months by P = P0 × (0.15 + 0.85 × S / S0), where S0 is "
        "the revised Syntec index of September 2025 and S the last index published at the "
        "revision date; the result is rounded to the cent.",
        "Les prix sont révisés tous les 12 mois selon P = P0 × (0,15 + 0,85 × S / S0), où S0 "
        "est l’indice Syntec révisé de septembre 2025 et S le dernier indice publié à la date "
        "de révision ; le résultat est arrondi au centime.",
    ),
    messages={
        "missing": (
            "indexation does not state: {missing}",
            "la révision de prix ne précise pas : {missing}",
        ),
        "old_index": (
            'the index "{value}" is the former Syntec index: use the revised index and the '
            "link coefficient",
            "l’indice « {value} » est l’ancien indice Syntec : utilisez l’indice révisé et le "
            "coefficient de raccordement",
        ),
    },
)
def prc_002(ctx: Context) -> Iterator[Hit]:
    indexation = ctx.section("contract.price.indexation")
    if not indexation:
        return  # a fixed price is a choice; PRC-004 covers the price's protections
    path = ("contract", "price", "indexation")
    missing = [k for k in ("index", "base_month", "fixed_share", "every") if not indexation.get(k)]
    if missing:
        yield Hit("missing", path, {"missing": ", ".join(missing)})
    index = indexation.get("index")
    if isinstance(index, str) and index.lower() in ("syntec", "syntec_old", "syntec_former"):
        yield Hit("old_index", (*path, "index"), {"value": index})


@rule(
    "PRC-004",
    "price",
    "I",
    "AQ (reject > 3%) [V]; elfath-avocat (Syntec) [S]; CLUSIF II.17 [S]",
    title=("A cap on price increases", "Un plafond de hausse des prix"),
    why=(
        "an uncapped index can raise the fee faster than the customer's budget; a cap, or "
        "an exit right beyond it, keeps the price negotiable",
        "un indice sans plafond peut augmenter la redevance plus vite que le budget du client ; "
        "un plafond, ou un droit de sortie au-delà, garde le prix négociable",
    ),
    clause=(
        "A revision may not raise prices by more than 3% a year; beyond that the customer "
        "may terminate without fee.",
        "Une révision ne peut augmenter les prix de plus de 3 % par an ; au-delà, le client "
        "peut résilier sans indemnité.",
    ),
    messages={"missing": ("price revision has no cap", "la révision de prix n’a pas de plafond")},
)
def prc_004(ctx: Context) -> Iterator[Hit]:
    indexation = ctx.section("contract.price.indexation")
    if indexation and not indexation.get("cap"):
        yield Hit("missing", ("contract", "price", "indexation"))
