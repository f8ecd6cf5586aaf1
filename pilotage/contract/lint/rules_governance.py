"""Rules on governance, security and data protection (contract-rules.md A2, A3)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pilotage.contract.lint.registry import Context, Hit, hours_of, rule


def _m(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@rule(
    "GOV-001",
    "governance",
    "W",
    "CLUSIF II.9-II.10 [S]; 01net [S]; AQ CCAP 6.2 [V]",
    title=("Steering and operational committees", "Comités de pilotage et de suivi"),
    why=(
        "without a regular steering committee with minutes, breaches, actions and "
        "decisions are never escalated nor written down",
        "sans comité de pilotage régulier avec compte rendu, manquements, actions et "
        "décisions ne sont ni remontés ni tracés",
    ),
    clause=(
        "A monthly follow-up committee and a quarterly steering committee meet; the provider "
        "sends the minutes within 5 business days, approved by the customer.",
        "Un comité de suivi mensuel et un comité de pilotage trimestriel se réunissent ; le "
        "prestataire en adresse le compte rendu sous 5 jours ouvrés, validé par le client.",
    ),
    messages={
        "missing": ("no committee is stated", "aucun comité n’est prévu"),
        "no_steering": (
            "no steering committee (quarterly or half-yearly)",
            "pas de comité de pilotage (trimestriel ou semestriel)",
        ),
        "no_operational": (
            "no operational committee (monthly or more often)",
            "pas de comité de suivi opérationnel (mensuel ou plus fréquent)",
        ),
        "no_minutes": (
            'committee "{name}" has no deadline for its minutes',
            "le comité « {name} » n’a pas de délai pour son compte rendu",
        ),
    },
)
def gov_001(ctx: Context) -> Iterator[Hit]:
    committees = [c for c in _list(ctx.get("governance.committees")) if isinstance(c, dict)]
    if not committees:
        yield Hit("missing", ("governance",))
        return
    cadences = {c.get("cadence") for c in committees}
    if not cadences & {"quarterly", "half_yearly"}:
        yield Hit("no_steering", ("governance", "committees"))
    if not cadences & {"weekly", "monthly"}:
        yield Hit("no_operational", ("governance", "committees"))
    for index, committee in enumerate(committees):
        if not committee.get("minutes_within"):
            name = str(committee.get("name", index))
            yield Hit("no_minutes", ("governance", "committees", index), {"name": name})


@rule(
    "GOV-002",
    "governance",
    "W",
    "CCAG-TIC 2009 art. 3.3-3.4 [V]; AQ CCAP 6.1 [V]",
    title=("Named referents and deputies", "Référents nommés et suppléants"),
    why=(
        "someone on each side must be accountable, with a deputy, so that an absence does "
        "not stop escalation",
        "chaque partie doit avoir un responsable, avec un suppléant, pour qu’une absence "
        "n’arrête pas l’escalade",
    ),
    clause=(
        "Each party names a referent and a deputy; the provider replaces its referent only "
        "with a person of equal skills, after informing the customer in writing.",
        "Chaque partie désigne un référent et un suppléant ; le prestataire ne remplace son "
        "référent que par une personne de compétence équivalente, après en avoir informé le "
        "client par écrit.",
    ),
    messages={
        "no_referent": (
            "no referent is named for {party}",
            "aucun référent n’est désigné pour {party}",
        ),
        "no_deputy": (
            "the referent named for {party} has no deputy",
            "le référent désigné pour {party} n’a pas de suppléant",
        ),
    },
)
def gov_002(ctx: Context) -> Iterator[Hit]:
    for party in ("customer", "provider"):
        referent = _m(ctx.section(f"contract.{party}").get("referent"))
        path = ("contract", party)
        if not referent.get("name"):
            yield Hit("no_referent", path, {"party": party})
        elif not referent.get("deputy"):
            yield Hit("no_deputy", (*path, "referent"), {"party": party})


@rule(
    "GOV-004",
    "governance",
    "W",
    "DORA 30(3)(b); SecNumCloud 19.6.f [V]; CCAG-TIC 2009 art. 3.4.2",
    title=("Material changes are notified in advance", "Changements majeurs notifiés à l’avance"),
    why=(
        "a change of owner, site, subcontractor or certification can change the risk the "
        "customer bought; it must hear of it before, not after",
        "un changement d’actionnaire, de site, de sous-traitant ou de certification peut "
        "changer le risque acheté ; le client doit l’apprendre avant, pas après",
    ),
    clause=(
        "The provider notifies the customer in writing at least one month in advance of any "
        "change of control, data location, subcontractor or loss of certification.",
        "Le prestataire informe le client par écrit au moins un mois à l’avance de tout "
        "changement de contrôle, de localisation des données, de sous-traitant ou de toute "
        "perte de certification.",
    ),
    messages={
        "missing": (
            "no notice period for material changes",
            "aucun préavis pour les changements majeurs",
        ),
    },
)
def gov_004(ctx: Context) -> Iterator[Hit]:
    if not ctx.get("governance.material_change_notice"):
        yield Hit("missing", ("governance",))


@rule(
    "GOV-005",
    "governance",
    "E",
    "NIS2-IR 2024/2690 §5.1.4(d) [V]; SecNumCloud 16.1.a, 16.2.c [V]",
    title=("Security incidents are notified fast", "Incidents de sécurité notifiés vite"),
    why=(
        "the customer answers for its own systems and data: it must hear of a security "
        "incident within hours, through a stated channel",
        "le client répond de ses systèmes et de ses données : il doit apprendre un incident "
        "de sécurité en quelques heures, par un canal convenu",
    ),
    clause=(
        "The provider notifies any security incident to the customer's referent within "
        "4 hours of detection, by phone confirmed by e-mail.",
        "Le prestataire notifie tout incident de sécurité au référent du client dans les "
        "4 heures suivant sa détection, par téléphone confirmé par courriel.",
    ),
    messages={
        "missing": (
            "no delay for notifying security incidents",
            "aucun délai de notification des incidents de sécurité",
        ),
        "no_channel": (
            "the channel for notifying incidents is not stated",
            "le canal de notification des incidents n’est pas précisé",
        ),
    },
)
def gov_005(ctx: Context) -> Iterator[Hit]:
    notification = ctx.section("security.incident_notification")
    if not notification.get("security"):
        yield Hit("missing", ("security",))
    elif not notification.get("channel"):
        yield Hit("no_channel", ("security", "incident_notification"))


@rule(
    "GOV-006",
    "governance",
    "W",
    "DORA 30(2)(f)",
    title=("Incident assistance is priced", "L’assistance en cas d’incident est chiffrée"),
    why=(
        "during a major incident the customer must not discover that help is billed at an "
        "unknown rate",
        "pendant un incident majeur, le client ne doit pas découvrir que l’aide est facturée "
        "à un tarif inconnu",
    ),
    clause=(
        "The provider assists the customer in any ICT incident affecting the services at "
        "no extra cost.",
        "Le prestataire assiste le client, sans surcoût, lors de tout incident informatique "
        "affectant les services.",
    ),
    messages={
        "missing": (
            "incident assistance is neither included nor priced",
            "l’assistance en cas d’incident n’est ni incluse ni chiffrée",
        ),
    },
)
def gov_006(ctx: Context) -> Iterator[Hit]:
    if ctx.get("governance.incident_assistance") not in ("included", "billed"):
        yield Hit("missing", ("governance",))


@rule(
    "GOV-008",
    "governance",
    "I",
    "RTS 2024/1773 art. 3.3 [V]",
    title=("An internal owner steers the contract", "Un responsable interne pilote le contrat"),
    why=(
        "a contract nobody steers on the customer's side drifts: the skills to check the "
        "provider must stay in-house",
        "un contrat que personne ne pilote côté client dérive : la compétence pour contrôler "
        "le prestataire doit rester en interne",
    ),
    clause=(
        "The customer names an internal referent responsible for steering the contract, "
        "who chairs the committees and validates the provider's changes.",
        "Le client désigne un référent interne chargé du pilotage du contrat, qui préside "
        "les comités et valide les changements du prestataire.",
    ),
    messages={
        "missing": (
            "no internal referent owns the contract",
            "aucun référent interne ne porte le contrat",
        ),
    },
)
def gov_008(ctx: Context) -> Iterator[Hit]:
    if not _m(ctx.section("contract.customer").get("referent")).get("name"):
        yield Hit("missing", ("contract", "customer"))


@rule(
    "SEC-001",
    "security",
    "E",
    "ANSSI guide d'hygiène mesure 3 [V]; ANSSI infogérance [S]; MonAideCyber [V]; ISO 5.20",
    title=("A security assurance plan is annexed", "Un plan d’assurance sécurité est annexé"),
    why=(
        "the security assurance plan (PAS) is where the provider's security commitments "
        "become binding; without it they are sales promises",
        "le plan d’assurance sécurité (PAS) rend contraignants les engagements de sécurité "
        "du prestataire ; sans lui, ce sont des promesses commerciales",
    ),
    clause=(
        "The provider's security assurance plan (PAS) is annexed to the contract and binding; "
        "it is updated at least once a year and after any major change, with the customer's "
        "approval.",
        "Le plan d’assurance sécurité (PAS) du prestataire est annexé au contrat et a valeur "
        "contractuelle ; il est mis à jour au moins une fois par an et après tout changement "
        "majeur, avec l’accord du client.",
    ),
    messages={
        "missing": (
            "no security assurance plan (PAS) is annexed",
            "aucun plan d’assurance sécurité (PAS) n’est annexé",
        ),
    },
)
def sec_001(ctx: Context) -> Iterator[Hit]:
    if ctx.get("security.security_plan") is not True:
        yield Hit("missing", ("security",))


@rule(
    "SEC-003",
    "security",
    "W",
    "ANSSI guide d'hygiène mesure 35 [V]; NIS2-IR §5.1.4(f); MonAideCyber niveau 1 [V]",
    title=("Critical patches within a week", "Correctifs critiques sous une semaine"),
    why=(
        "unpatched critical vulnerabilities are the most common way in; ANSSI's baseline "
        "for providers is a week",
        "les vulnérabilités critiques non corrigées sont la première porte d’entrée ; le "
        "socle de l’ANSSI pour les prestataires est d’une semaine",
    ),
    clause=(
        "The provider applies critical security patches within 7 days of their publication "
        "and manages the obsolescence of the systems in its care.",
        "Le prestataire applique les correctifs de sécurité critiques dans les 7 jours suivant "
        "leur publication et gère l’obsolescence des systèmes dont il a la charge.",
    ),
    messages={
        "missing": (
            "no delay for critical security patches",
            "aucun délai pour les correctifs de sécurité critiques",
        ),
        "slow": (
            "critical patches within {value}, more than 7 days",
            "correctifs critiques sous {value}, plus de 7 jours",
        ),
    },
)
def sec_003(ctx: Context) -> Iterator[Hit]:
    critical = ctx.section("security.patching").get("critical")
    hours = hours_of(critical)
    if hours is None:
        yield Hit("missing", ("security",))
    elif hours > 7 * 24:
        yield Hit("slow", ("security", "patching", "critical"), {"value": str(critical)})


@rule(
    "SEC-004",
    "security",
    "E",
    "GDPR 28(3)(h) [V]; DORA 30(3)(e); NIS2-IR §5.1.4(e); SecNumCloud 19.1.q-r [V]",
    title=("The customer may audit", "Le client peut auditer"),
    why=(
        "without an audit right the customer can only trust the provider's word, which "
        "GDPR does not allow for personal data",
        "sans droit d’audit, le client ne peut que croire le prestataire sur parole, ce que "
        "le RGPD n’admet pas pour des données personnelles",
    ),
    clause=(
        "The customer, or an auditor it appoints (PASSI-qualified for security audits), may "
        "audit the provider once a year with 15 days' notice, on site and on documents.",
        "Le client, ou un auditeur qu’il désigne (qualifié PASSI pour les audits de "
        "sécurité), peut auditer le prestataire une fois par an moyennant un préavis de "
        "15 jours, sur site et sur pièces.",
    ),
    messages={
        "missing": ("no audit right", "aucun droit d’audit"),
        "incomplete": (
            "the audit right does not state {missing}",
            "le droit d’audit ne précise pas {missing}",
        ),
    },
)
def sec_004(ctx: Context) -> Iterator[Hit]:
    audit = ctx.section("security.audit")
    if audit.get("right") is not True:
        yield Hit("missing", ("security",))
        return
    missing = [k for k in ("every", "notice", "by") if not audit.get(k)]
    if missing:
        yield Hit("incomplete", ("security", "audit"), {"missing": ", ".join(missing)})


@rule(
    "GDPR-001",
    "data_protection",
    "E",
    "GDPR 28(3) [V]",
    title=(
        "A data processing agreement describes the processing",
        "Un accord de traitement décrit le traitement",
    ),
    why=(
        "the provider handles personal data for the customer: GDPR requires a contract "
        "stating the subject-matter, duration, nature, purpose, data and data subjects",
        "le prestataire traite des données personnelles pour le client : le RGPD exige un "
        "contrat précisant l’objet, la durée, la nature, la finalité, les données et les "
        "personnes concernées",
    ),
    clause=(
        "The data processing agreement in Annex 5 describes the processing: workstation, "
        "e-mail and backup management; employees' identity, contact and log data; for the "
        "term of the contract.",
        "L’accord de sous-traitance de l’annexe 5 décrit le traitement : gestion du poste de "
        "travail, de la messagerie et des sauvegardes ; données d’identité, de contact et "
        "journaux des salariés ; pour la durée du contrat.",
    ),
    messages={
        "missing": (
            "no data processing agreement (GDPR art. 28)",
            "aucun accord de sous-traitance de données (RGPD art. 28)",
        ),
        "no_description": (
            "the data processing agreement does not describe the processing",
            "l’accord de sous-traitance ne décrit pas le traitement",
        ),
    },
)
def gdpr_001(ctx: Context) -> Iterator[Hit]:
    dpa = ctx.section("data_protection.dpa")
    if dpa.get("present") is not True:
        yield Hit("missing", ("data_protection",))
    elif not dpa.get("description"):
        yield Hit("no_description", ("data_protection", "dpa"))


_GDPR_CLAUSES = (
    (
        "GDPR-002",
        "documented_instructions",
        "28(3)(a)",
        ("Processing on documented instructions", "Traitement sur instruction documentée"),
        "The provider processes personal data only on the customer's documented instructions.",
        "Le prestataire ne traite les données personnelles que sur instruction documentée du "
        "client.",
    ),
    (
        "GDPR-003",
        "confidentiality",
        "28(3)(b)",
        ("Staff bound to confidentiality", "Personnel tenu à la confidentialité"),
        "Persons authorised to process the data are bound to confidentiality.",
        "Les personnes autorisées à traiter les données sont tenues à la confidentialité.",
    ),
    (
        "GDPR-004",
        "security_measures",
        "28(3)(c)",
        ("Security measures of Art. 32", "Mesures de sécurité de l’art. 32"),
        "The provider implements the technical and organisational measures of Annex 6 "
        "(Art. 32 GDPR).",
        "Le prestataire met en œuvre les mesures techniques et organisationnelles de "
        "l’annexe 6 (art. 32 du RGPD).",
    ),
    (
        "GDPR-005",
        "subprocessors",
        "28(3)(d)",
        ("Sub-processors authorised in writing", "Sous-traitants ultérieurs autorisés par écrit"),
        "The provider engages a sub-processor only with the customer's prior written "
        "authorisation, under the same obligations, and remains liable for it.",
        "Le prestataire ne recourt à un sous-traitant ultérieur qu’avec l’autorisation écrite "
        "préalable du client, aux mêmes obligations, et en reste responsable.",
    ),
    (
        "GDPR-006",
        "data_subject_rights",
        "28(3)(e)",
        ("Help with data subjects' rights", "Aide aux droits des personnes"),
        "The provider helps the customer answer data subjects' requests to exercise their rights.",
        "Le prestataire aide le client à répondre aux demandes d’exercice des droits des "
        "personnes concernées.",
    ),
    (
        "GDPR-007",
        "assistance",
        "28(3)(f)",
        (
            "Help with security, breaches and impact assessments",
            "Aide sécurité, violations et AIPD",
        ),
        "The provider assists the customer with security, breach notification, impact "
        "assessments and prior consultation (Art. 32 to 36 GDPR).",
        "Le prestataire aide le client pour la sécurité, la notification des violations, les "
        "analyses d’impact et la consultation préalable (art. 32 à 36 du RGPD).",
    ),
    (
        "GDPR-008",
        "deletion_or_return",
        "28(3)(g)",
        ("Deletion or return at the end", "Suppression ou restitution en fin de contrat"),
        "At the end of the services the provider returns all personal data to the customer "
        "and then deletes every copy, backups included.",
        "Au terme des prestations, le prestataire restitue au client toutes les données "
        "personnelles puis en détruit toute copie, sauvegardes comprises.",
    ),
    (
        "GDPR-009",
        "audits",
        "28(3)(h)",
        ("Information and audits", "Information et audits"),
        "The provider makes available all information needed to demonstrate compliance and "
        "allows audits by the customer or its auditor.",
        "Le prestataire met à disposition toute information nécessaire pour démontrer sa "
        "conformité et permet les audits du client ou de son auditeur.",
    ),
)


def _gdpr_clause(rule_id: str, clause_key: str) -> Any:
    def check(ctx: Context) -> Iterator[Hit]:
        dpa = ctx.section("data_protection.dpa")
        if dpa.get("present") is not True:
            return  # GDPR-001 reports the missing agreement itself
        if clause_key not in _list(dpa.get("clauses")):
            yield Hit("missing", ("data_protection", "dpa"), {"clause": clause_key})

    check.__name__ = rule_id.lower().replace("-", "_")
    return check


for _id, _key, _article, _title, _clause_en, _clause_fr in _GDPR_CLAUSES:
    rule(
        _id,
        "data_protection",
        "E",
        f"GDPR {_article} [V]; CNIL guide du sous-traitant [S]",
        title=_title,
        why=(
            f"GDPR art. {_article} makes this clause mandatory in every processing contract",
            f"l’article {_article} du RGPD rend cette clause obligatoire dans tout contrat "
            "de sous-traitance",
        ),
        clause=(_clause_en, _clause_fr),
        messages={
            "missing": (
                'the data processing agreement lacks the clause "{clause}"',
                "l’accord de sous-traitance ne contient pas la clause « {clause} »",
            )
        },
    )(_gdpr_clause(_id, _key))


@rule(
    "GDPR-010",
    "data_protection",
    "W/E",
    "GDPR 33(1)-(3) [V]; market DPAs 24-48 h [S]",
    title=(
        "Personal data breaches notified within 48 h",
        "Violations de données notifiées sous 48 h",
    ),
    why=(
        "the customer has 72 hours end to end to notify the CNIL: a provider taking 72 hours "
        "or more leaves it no time at all",
        "le client dispose de 72 heures au total pour notifier la CNIL : un prestataire qui "
        "prend 72 heures ou plus ne lui laisse aucun délai",
    ),
    clause=(
        "The provider notifies the customer of any personal data breach within 24 hours of "
        "becoming aware of it, with the information of Art. 33(3) GDPR.",
        "Le prestataire notifie au client toute violation de données personnelles dans les "
        "24 heures après en avoir pris connaissance, avec les informations de l’article 33(3) "
        "du RGPD.",
    ),
    messages={
        "missing": (
            "no delay for notifying personal data breaches",
            "aucun délai de notification des violations de données personnelles",
        ),
        "slow": (
            "personal data breaches are notified within {value}, more than 48 h",
            "les violations de données sont notifiées sous {value}, plus de 48 h",
        ),
        "too_slow": (
            "personal data breaches are notified within {value}: 72 h or more leaves the "
            "customer no time to notify the authority",
            "les violations de données sont notifiées sous {value} : 72 h ou plus ne laissent "
            "au client aucun délai pour notifier l’autorité",
        ),
    },
)
def gdpr_010(ctx: Context) -> Iterator[Hit]:
    value = ctx.get("data_protection.breach_notification")
    hours = hours_of(value)
    path = ("data_protection", "breach_notification")
    if hours is None:
        yield Hit("missing", ("data_protection",))
    elif hours >= 72:
        yield Hit("too_slow", path, {"value": str(value)}, escalated=True)
    elif hours > 48:
        yield Hit("slow", path, {"value": str(value)})


@rule(
    "GDPR-011",
    "data_protection",
    "W/E",
    "DORA 30(2)(b); SecNumCloud 19.2 [V]; ITS B_02.02.0150/0160 [V]; GDPR 44-46",
    title=("Data locations are stated", "Les lieux de données sont précisés"),
    why=(
        "where data is stored, processed, backed up and administered decides which law can "
        "reach it; transfers outside the EU need a legal mechanism",
        "le lieu de stockage, de traitement, de sauvegarde et d’administration des données "
        "décide du droit qui peut les atteindre ; un transfert hors UE exige un fondement "
        "juridique",
    ),
    clause=(
        "Customer data, including backups and administration access, are stored and "
        "processed only in France; no transfer outside the European Union takes place "
        "without the customer's prior written consent and the safeguards of Art. 46 GDPR.",
        "Les données du client, sauvegardes et accès d’administration compris, sont stockées "
        "et traitées exclusivement en France ; aucun transfert hors de l’Union européenne n’a "
        "lieu sans accord écrit préalable du client et sans les garanties de l’article 46 du "
        "RGPD.",
    ),
    messages={
        "missing": (
            "data locations are not stated",
            "les lieux de stockage et de traitement ne sont pas précisés",
        ),
        "transfers_unstated": (
            "nothing says whether data leaves the EU",
            "rien ne dit si des données sortent de l’UE",
        ),
        "transfers": (
            "data is transferred outside the EU: the contract must name the transfer "
            "mechanism (Art. 46 GDPR)",
            "des données sont transférées hors UE : le contrat doit nommer le fondement du "
            "transfert (art. 46 du RGPD)",
        ),
    },
)
def gdpr_011(ctx: Context) -> Iterator[Hit]:
    protection = ctx.section("data_protection")
    if not protection.get("data_location"):
        yield Hit("missing", ("data_protection",), escalated=True)
    if "transfers_outside_eu" not in protection:
        yield Hit("transfers_unstated", ("data_protection",))
    elif protection["transfers_outside_eu"] is True:
        yield Hit("transfers", ("data_protection", "transfers_outside_eu"))


@rule(
    "GDPR-012",
    "data_protection",
    "W",
    "DORA 30(2)(b)",
    title=("Location changes are announced", "Les changements de lieu sont annoncés"),
    why=(
        "a data location promise is worth little if the provider can move the data "
        "without telling the customer first",
        "une promesse de localisation ne vaut guère si le prestataire peut déplacer les "
        "données sans prévenir le client",
    ),
    clause=(
        "Any change of data location is notified to the customer at least one month in "
        "advance and requires its written consent.",
        "Tout changement de localisation des données est notifié au client au moins un mois à "
        "l’avance et requiert son accord écrit.",
    ),
    messages={
        "missing": (
            "data locations are stated but no notice protects against moving them",
            "les lieux de données sont précisés mais aucun préavis n’encadre leur changement",
        ),
    },
)
def gdpr_012(ctx: Context) -> Iterator[Hit]:
    if ctx.get("data_protection.data_location") and not ctx.get(
        "governance.material_change_notice"
    ):
        yield Hit("missing", ("data_protection", "data_location"))
