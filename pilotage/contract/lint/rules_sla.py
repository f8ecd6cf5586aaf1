"""Rules on the service levels: measurability, penalties, caps (contract-rules.md A1)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pilotage.contract.lint.registry import Context, Hit, pct, percent, rule
from pilotage.contract.lint.vague import find_vague
from pilotage.contract.units import parse_duration

METRICS = ("response_time", "resolution_time", "availability", "backup_success", "restore_test")
TICKET_METRICS = ("response_time", "resolution_time")
CAP_MINIMUM = Decimal("0.10")
"""SLA-012: a monthly cap below 10 % of the fee is flagged (threshold unverified, [U])."""
LOW_VOLUME_THRESHOLD = 10
"""SLA-019: reported when every window of up to this many tickets hits the cap."""


def _m(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _lid(key: str | int) -> str:
    return str(key)


@rule(
    "SLA-001",
    "service_levels",
    "E",
    "DORA 30(2)(e); ITIL 4 SLM [S]",
    title=("Each service level has a known metric", "Chaque niveau de service a une mesure connue"),
    why=(
        "a level whose metric is unknown cannot be monitored: the provider's reports "
        "cannot be checked against it",
        "un niveau dont la mesure est inconnue ne peut pas être suivi : les rapports du "
        "prestataire ne peuvent pas être vérifiés",
    ),
    clause=(
        "Each service level states its indicator: taking-charge time, restoration time, "
        "availability, backup success rate or restore test, as defined in Annex 2.",
        "Chaque niveau de service précise son indicateur : délai de prise en charge, délai de "
        "rétablissement, disponibilité, taux de sauvegardes réussies ou test de restauration, "
        "tels que définis en annexe 2.",
    ),
    messages={
        "missing": (
            "service level {level} states no metric",
            "le niveau de service {level} n’indique aucune mesure",
        ),
        "unknown": (
            'service level {level}: metric "{value}" is not one of {choices}',
            "niveau de service {level} : la mesure « {value} » ne fait pas partie de {choices}",
        ),
    },
)
def sla_001(ctx: Context) -> Iterator[Hit]:
    for key, level in ctx.levels:
        metric = level.get("metric")
        if metric is None:
            yield Hit("missing", ("service_levels", key), {"level": _lid(key)})
        elif metric not in METRICS:
            params = {"level": _lid(key), "value": metric, "choices": ", ".join(METRICS)}
            yield Hit("unknown", ("service_levels", key, "metric"), params)


@rule(
    "SLA-002",
    "service_levels",
    "W/E",
    "DORA 30(3)(a); EBA/GL/2019/02 §75(i) [S]; RTS 2024/1773 art. 9.1",
    title=("Targets are figures", "Les cibles sont chiffrées"),
    why=(
        "a target without a figure (or with wording such as “best effort”) cannot be "
        "breached, so no penalty can ever be claimed",
        "une cible sans chiffre (ou formulée « dans les meilleurs délais ») ne peut jamais "
        "être manquée : aucune pénalité ne peut être réclamée",
    ),
    clause=(
        "Incidents of priority P1 are restored within 4 business hours, measured on the "
        "business calendar of Annex 2; 95% of the incidents of a calendar month meet this "
        "target.",
        "Les incidents de priorité P1 sont rétablis en 4 heures ouvrées au plus, mesurées sur "
        "le calendrier ouvré de l’annexe 2 ; 95 % des incidents d’un mois civil respectent ce "
        "délai.",
    ),
    messages={
        "no_target": (
            "service level {level} has no target: a {metric} level needs a duration such as 4h",
            "le niveau de service {level} n’a pas de cible : un niveau {metric} exige une "
            "durée comme 4h",
        ),
        "vague_target": (
            'service level {level}: the target "{value}" is wording ("{term}"), not a figure',
            "niveau de service {level} : la cible « {value} » est une formule (« {term} »), "
            "pas un chiffre",
        ),
        "bad_target": (
            'service level {level}: the target "{value}" is not a duration with a unit',
            "niveau de service {level} : la cible « {value} » n’est pas une durée avec unité",
        ),
        "no_objective": (
            "service level {level} has no objective (the share that must meet the target)",
            "le niveau de service {level} n’a pas d’objectif (la part qui doit tenir la cible)",
        ),
        "bad_objective": (
            'service level {level}: the objective "{value}" is not a percentage',
            "niveau de service {level} : l’objectif « {value} » n’est pas un pourcentage",
        ),
        "full_objective": (
            "service level {level}: an objective of 100% turns one late ticket into a "
            "breached window; a figure such as 95% with allowed breaches is enforceable",
            "niveau de service {level} : un objectif de 100 % fait d’un seul ticket en retard "
            "une fenêtre manquée ; un chiffre comme 95 % avec des manquements admis est "
            "applicable",
        ),
    },
)
def sla_002(ctx: Context) -> Iterator[Hit]:
    for key, level in ctx.levels:
        metric = level.get("metric")
        lid = _lid(key)
        base = ("service_levels", key)
        target = level.get("target")
        if metric in TICKET_METRICS:
            if target is None:
                yield Hit("no_target", base, {"level": lid, "metric": metric}, escalated=True)
            # a bare number (4) is a figure without unit: SLA-003 reports it, not this rule
            elif not isinstance(target, int | Decimal) or isinstance(target, bool):
                yield from _target_hits(lid, (*base, "target"), target)
        if metric in (*TICKET_METRICS, "availability", "backup_success"):
            objective = level.get("objective")
            if objective is None:
                yield Hit("no_objective", base, {"level": lid}, escalated=True)
            elif (value := percent(objective)) is None:
                vague = find_vague(str(objective))
                what = "vague_target" if vague else "bad_objective"
                params = {"level": lid, "value": str(objective)}
                if vague:
                    params["term"] = str(objective)[vague[0][0] : vague[0][1]]
                yield Hit(what, (*base, "objective"), params, escalated=True)
            elif value >= 1 and metric in TICKET_METRICS and not level.get("allowed_breaches"):
                yield Hit("full_objective", (*base, "objective"), {"level": lid})


def _target_hits(lid: str, path: tuple[str | int, ...], target: Any) -> Iterator[Hit]:
    text = str(target)
    vague = find_vague(text)
    if vague:
        params = {"level": lid, "value": text, "term": text[vague[0][0] : vague[0][1]]}
        yield Hit("vague_target", path, params, escalated=True)
        return
    try:
        parse_duration(target if isinstance(target, str) else "")
    except ValueError:
        yield Hit("bad_target", path, {"level": lid, "value": text}, escalated=True)


@rule(
    "SLA-003",
    "service_levels",
    "E",
    "CCAG-TIC 2009 art. 3.2 [V]",
    title=("Targets state their unit and clock", "Les cibles précisent unité et horloge"),
    why=(
        "“4 hours” means twice as much in business hours as in calendar hours: without a "
        "unit and a calendar the commitment is whatever the provider reads",
        "« 4 heures » ouvrées ou calendaires n’engagent pas la même chose : sans unité ni "
        "calendrier, l’engagement est ce que le prestataire veut lire",
    ),
    clause=(
        "Durations are counted in business hours on the calendar of Annex 2 (Monday to "
        "Friday, 08:00-12:30 and 13:30-18:00, French public holidays excepted), unless "
        "stated as calendar hours.",
        "Les délais se comptent en heures ouvrées sur le calendrier de l’annexe 2 (du lundi au "
        "vendredi, 08:00-12:30 et 13:30-18:00, hors jours fériés en France), sauf mention "
        "d’heures calendaires.",
    ),
    messages={
        "no_unit": (
            'service level {level}: the target "{value}" has no unit (min, h, d, bd)',
            "niveau de service {level} : la cible « {value} » n’a pas d’unité (min, h, d, bd)",
        ),
        "no_calendar": (
            "service level {level} names no calendar: business or calendar time is unknown",
            "le niveau de service {level} ne nomme aucun calendrier : temps ouvré ou "
            "calendaire inconnu",
        ),
    },
)
def sla_003(ctx: Context) -> Iterator[Hit]:
    for key, level in ctx.levels:
        base = ("service_levels", key)
        target = level.get("target")
        if isinstance(target, int | Decimal) and not isinstance(target, bool):
            yield Hit("no_unit", (*base, "target"), {"level": _lid(key), "value": str(target)})
        if level.get("metric") in (*TICKET_METRICS, "availability") and not level.get("calendar"):
            yield Hit("no_calendar", base, {"level": _lid(key)})


@rule(
    "SLA-004",
    "service_levels",
    "E",
    "OpenSLO timeWindow [V]; CUL “per calendar month” [V]",
    title=("Each level has a measurement window", "Chaque niveau a une période de mesure"),
    why=(
        "a percentage without a period cannot be tested: 95% over a year hides months of "
        "poor service",
        "un pourcentage sans période ne se vérifie pas : 95 % sur un an masque des mois de "
        "mauvais service",
    ),
    clause=(
        "Service levels are measured per calendar month; the month of a ticket is the month "
        "of its resolution.",
        "Les niveaux de service sont mesurés par mois civil ; un ticket compte dans le mois de "
        "sa résolution.",
    ),
    messages={
        "missing": (
            "service level {level} has no measurement window (month, quarter or year)",
            "le niveau de service {level} n’a pas de période de mesure (mois, trimestre ou année)",
        ),
    },
)
def sla_004(ctx: Context) -> Iterator[Hit]:
    for key, level in ctx.levels:
        measured = level.get("metric") in (*TICKET_METRICS, "availability", "backup_success")
        if measured and not level.get("window"):
            yield Hit("missing", ("service_levels", key), {"level": _lid(key)})


@rule(
    "SLA-005",
    "service_levels",
    "E",
    "CCAG-TIC 2009 art. 14.2.2-14.2.4 [V]; CUL [V]",
    title=("Measurement source, clock and relapse rule", "Source de mesure, horloge et rechute"),
    why=(
        "without an agreed data source the customer cannot check the provider's figures; "
        "without clock events and a rule for reopened tickets, each side counts its own way",
        "sans source de données convenue, le client ne peut pas vérifier les chiffres du "
        "prestataire ; sans événements d’horloge ni règle pour les tickets rouverts, chacun "
        "compte à sa façon",
    ),
    clause=(
        "Service levels are computed from the provider's ticketing tool, including the "
        "status history, to which the customer has read access. The clock starts when the "
        "ticket is created and stops at resolution; a reopened ticket resumes its clock.",
        "Les niveaux de service sont calculés à partir de l’outil de tickets du prestataire, "
        "historique des statuts compris, auquel le client a accès en lecture. L’horloge part "
        "à la création du ticket et s’arrête à sa résolution ; un ticket rouvert reprend son "
        "horloge.",
    ),
    messages={
        "no_source": (
            "measurement.source does not say where the figures come from",
            "measurement.source ne dit pas d’où viennent les chiffres",
        ),
        "no_read_access": (
            "the customer has no stated read access to the measuring tool",
            "aucun accès en lecture du client à l’outil de mesure n’est prévu",
        ),
        "no_reopen": (
            "nothing says whether a reopened ticket resumes or restarts its clock",
            "rien ne dit si un ticket rouvert reprend ou redémarre son horloge",
        ),
        "no_clock": (
            "service level {level} has no clock (start and stop events)",
            "le niveau de service {level} n’a pas d’horloge (événements de départ et d’arrêt)",
        ),
    },
)
def sla_005(ctx: Context) -> Iterator[Hit]:
    measurement = ctx.section("measurement")
    if not measurement.get("source"):
        yield Hit("no_source", ("measurement",))
    if measurement.get("customer_read_access") is not True:
        yield Hit("no_read_access", ("measurement",))
    if "reopen" not in measurement:
        yield Hit("no_reopen", ("measurement",))
    for key, level in ctx.levels:
        clock = _m(level.get("clock"))
        if level.get("metric") in TICKET_METRICS and not (clock.get("start") and clock.get("stop")):
            yield Hit("no_clock", ("service_levels", key), {"level": _lid(key)})


@rule(
    "SLA-006",
    "service_levels",
    "E",
    "RAM [V]; ANE [V]; CCAG-TIC 2009 art. 3.2.5 [V]",
    title=("Business calendars are defined", "Les calendriers ouvrés sont définis"),
    why=(
        "“4 business hours” is undefined without the days, hours, timezone and public "
        "holidays that make up business time",
        "« 4 heures ouvrées » n’a pas de sens sans les jours, horaires, fuseau et jours "
        "fériés qui définissent le temps ouvré",
    ),
    clause=(
        "Business time: Monday to Friday, 08:00-12:30 and 13:30-18:00 (Europe/Paris), "
        "excluding French public holidays.",
        "Temps ouvré : du lundi au vendredi, 08:00-12:30 et 13:30-18:00 (Europe/Paris), hors "
        "jours fériés en France.",
    ),
    messages={
        "undefined": (
            'service level {level} uses calendar "{calendar}", which is not defined',
            "le niveau de service {level} utilise le calendrier « {calendar} », qui n’est pas "
            "défini",
        ),
        "no_hours": (
            'calendar "{calendar}" states no opening hours',
            "le calendrier « {calendar} » n’indique pas d’horaires",
        ),
        "no_holidays": (
            'calendar "{calendar}" has business hours but no public-holiday set',
            "le calendrier « {calendar} » a des horaires ouvrés mais pas de jours fériés",
        ),
        "no_timezone": (
            'calendar "{calendar}" has no timezone, and neither has the contract',
            "le calendrier « {calendar} » n’a pas de fuseau horaire, le contrat non plus",
        ),
    },
)
def sla_006(ctx: Context) -> Iterator[Hit]:
    calendars = ctx.section("calendars")
    used: dict[str, str | int] = {}
    for key, level in ctx.levels:
        name = level.get("calendar")
        if isinstance(name, str):
            if name not in calendars:
                yield Hit(
                    "undefined",
                    ("service_levels", key, "calendar"),
                    {"level": _lid(key), "calendar": name},
                )
            else:
                used.setdefault(name, key)
    for name in used:
        spec = _m(calendars[name])
        path = ("calendars", name)
        hours = spec.get("hours")
        if not hours:
            yield Hit("no_hours", path, {"calendar": name})
        elif hours != "24x7" and not spec.get("holidays"):
            yield Hit("no_holidays", path, {"calendar": name})
        if not spec.get("timezone") and not ctx.get("contract.timezone"):
            yield Hit("no_timezone", path, {"calendar": name})


@rule(
    "SLA-007",
    "service_levels",
    "W",
    "RDEM [S]",
    title=("A response is qualified work", "Une prise en charge est un travail qualifié"),
    why=(
        "a 15-minute taking-charge time is worthless when an automatic e-mail receipt "
        "counts as the response",
        "un délai de prise en charge de 15 minutes ne vaut rien si un accusé de réception "
        "automatique compte comme prise en charge",
    ),
    clause=(
        "Taking charge means the start of diagnosis by a qualified technician who contacts "
        "the requester; an automatic acknowledgement is not a taking charge.",
        "La prise en charge est le début du diagnostic par un technicien qualifié qui contacte "
        "le demandeur ; un accusé de réception automatique ne vaut pas prise en charge.",
    ),
    messages={
        "not_human": (
            "service level {level}: a response is not defined as work by a qualified human",
            "niveau de service {level} : la prise en charge n’est pas définie comme le travail "
            "d’un humain qualifié",
        ),
    },
)
def sla_007(ctx: Context) -> Iterator[Hit]:
    for key, level in ctx.levels:
        if level.get("metric") == "response_time" and level.get("response_means") != (
            "qualified_human"
        ):
            yield Hit("not_human", ("service_levels", key), {"level": _lid(key)})


@rule(
    "SLA-008",
    "service_levels",
    "W/E",
    "CUL [V]",
    title=("Maintenance exclusions are bounded", "Les exclusions de maintenance sont bornées"),
    why=(
        "an exclusion without notice, monthly maximum and window lets the provider call any "
        "outage maintenance and empty the availability commitment",
        "une exclusion sans préavis, maximum mensuel ni créneau permet au prestataire de "
        "qualifier toute panne de maintenance et de vider l’engagement de disponibilité",
    ),
    clause=(
        "Planned maintenance is excluded from downtime only when announced at least 48 hours "
        "in advance, performed outside business hours, and within 4 hours per month.",
        "La maintenance programmée n’est exclue de l’indisponibilité que si elle est annoncée "
        "au moins 48 heures à l’avance, réalisée hors heures ouvrées et dans la limite de "
        "4 heures par mois.",
    ),
    messages={
        "open_ended": (
            "service level {level}: planned maintenance is excluded without {missing}",
            "niveau de service {level} : la maintenance programmée est exclue sans {missing}",
        ),
        "no_window": (
            "service level {level}: excluded maintenance may happen during business hours",
            "niveau de service {level} : la maintenance exclue peut avoir lieu en heures ouvrées",
        ),
    },
)
def sla_008(ctx: Context) -> Iterator[Hit]:
    for key, level in ctx.levels:
        exclusions = level.get("exclusions")
        if not isinstance(exclusions, dict) or "maintenance" not in exclusions:
            continue
        maintenance = _m(exclusions["maintenance"])
        path = ("service_levels", key, "exclusions", "maintenance")
        missing = [k for k in ("notice", "max_per_month") if not maintenance.get(k)]
        if missing:
            params = {"level": _lid(key), "missing": " + ".join(missing)}
            yield Hit("open_ended", path, params, escalated=True)
        if not maintenance.get("only_outside"):
            yield Hit("no_window", path, {"level": _lid(key)})


@rule(
    "SLA-009",
    "service_levels",
    "E",
    "SNEC [V]; ANE [V]",
    title=("Priorities are defined objectively", "Les priorités sont définies objectivement"),
    why=(
        "targets hang on the priority: if the provider can qualify a blocking incident as "
        "P3 without objective criteria, the P1 commitments never apply",
        "les cibles dépendent de la priorité : si le prestataire peut classer un incident "
        "bloquant en P3 sans critère objectif, les engagements P1 ne s’appliquent jamais",
    ),
    clause=(
        "P1: production stopped or a whole site without IT, no workaround; P2: a critical "
        "service degraded or several users blocked; P3: one user blocked or a workaround "
        "exists; P4: request or minor inconvenience. The customer sets the priority.",
        "P1 : production à l’arrêt ou site entier sans informatique, sans contournement ; "
        "P2 : service critique dégradé ou plusieurs utilisateurs bloqués ; P3 : un "
        "utilisateur bloqué ou contournement possible ; P4 : demande ou gêne mineure. Le "
        "client fixe la priorité.",
    ),
    messages={
        "missing": (
            "no priority levels are defined",
            "aucun niveau de priorité n’est défini",
        ),
        "no_definition": (
            "priority {priority} has no definition (impact, users affected, workaround)",
            "la priorité {priority} n’a pas de définition (impact, utilisateurs touchés, "
            "contournement)",
        ),
        "no_qualifier": (
            "nothing says who sets a ticket's priority",
            "rien ne dit qui fixe la priorité d’un ticket",
        ),
    },
)
def sla_009(ctx: Context) -> Iterator[Hit]:
    levels = {k: v for k, v in ctx.section("priorities.levels").items() if not k.startswith("x-")}
    if not levels:
        yield Hit("missing", ("priorities",))
        return
    for name, spec in levels.items():
        if not _m(spec).get("definition"):
            yield Hit("no_definition", ("priorities", "levels", name), {"priority": name})
    if not ctx.get("priorities.qualified_by"):
        yield Hit("no_qualifier", ("priorities",))


_REPORT_CONTENTS = ("service_levels", "incidents", "security", "backups")


@rule(
    "SLA-010",
    "service_levels",
    "W",
    "RTS 2024/1773 art. 9.2(a) [V]; NIS2-IR 5.1.7(a); ISO/IEC 27001 A.5.22",
    title=("Monthly reporting with stated contents", "Rapport mensuel au contenu défini"),
    why=(
        "without a monthly report on service levels, incidents, security and backups the "
        "customer learns about problems at renewal time",
        "sans rapport mensuel sur les niveaux de service, incidents, sécurité et sauvegardes, "
        "le client découvre les problèmes au renouvellement",
    ),
    clause=(
        "The provider sends a monthly report within 5 business days of month end, covering "
        "service levels, incidents, changes, security and backups (including restore tests).",
        "Le prestataire remet un rapport mensuel dans les 5 jours ouvrés suivant la fin du "
        "mois, couvrant niveaux de service, incidents, changements, sécurité et sauvegardes "
        "(tests de restauration compris).",
    ),
    messages={
        "missing": ("no reporting is stated", "aucun rapport n’est prévu"),
        "infrequent": (
            "reporting is {frequency}, less often than monthly",
            "le rapport est {frequency}, moins fréquent que mensuel",
        ),
        "contents": (
            "the report does not cover: {missing}",
            "le rapport ne couvre pas : {missing}",
        ),
    },
)
def sla_010(ctx: Context) -> Iterator[Hit]:
    reporting = ctx.section("governance.reporting")
    path = ("governance", "reporting")
    if not reporting:
        yield Hit("missing", ("governance",))
        return
    frequency = reporting.get("frequency")
    if frequency not in ("weekly", "monthly"):
        yield Hit("infrequent", path, {"frequency": str(frequency)})
    contents = reporting.get("contents")
    if not isinstance(contents, list):
        contents = []
    missing = [c for c in _REPORT_CONTENTS if c not in contents]
    if missing:
        yield Hit("contents", path, {"missing": ", ".join(missing)})


@rule(
    "SLA-011",
    "service_levels",
    "W/E",
    "RTS 2024/1773 art. 9.1 [V]; MonAideCyber niveau 2 [V]; CCAG-TIC 2009 art. 14 [V]",
    title=("Each level carries a penalty", "Chaque niveau porte une pénalité"),
    why=(
        "a service level without a penalty is a wish: missing it costs the provider nothing",
        "un niveau de service sans pénalité est un vœu : le manquer ne coûte rien au prestataire",
    ),
    clause=(
        "For each calendar month in which the level is not met, the provider owes a penalty "
        "of 1% of the monthly fee per point below the objective, capped at 5% of the fee.",
        "Pour chaque mois civil où le niveau n’est pas tenu, le prestataire doit une pénalité "
        "de 1 % de la redevance mensuelle par point sous l’objectif, plafonnée à 5 % de la "
        "redevance.",
    ),
    messages={
        "missing": (
            "service level {level} has no penalty",
            "le niveau de service {level} n’a pas de pénalité",
        ),
        "missing_critical": (
            "service level {level} covers a critical service or the most urgent priority "
            "and has no penalty",
            "le niveau de service {level} couvre un service critique ou la priorité la plus "
            "urgente et n’a pas de pénalité",
        ),
    },
)
def sla_011(ctx: Context) -> Iterator[Hit]:
    for key, level in ctx.levels:
        penalty = _m(level.get("penalty"))
        if penalty.get("per_breach") or penalty.get("per_point_below") or penalty.get("bands"):
            continue
        if ctx.level_is_critical(level):
            params = {"level": _lid(key)}
            yield Hit("missing_critical", ("service_levels", key), params, escalated=True)
        else:
            yield Hit("missing", ("service_levels", key), {"level": _lid(key)})


@rule(
    "SLA-012",
    "service_levels",
    "W",
    "Code civil art. 1231-5 [S]; threshold 10% unverified [U]",
    title=("Penalty caps are stated and meaningful", "Les plafonds sont fixés et significatifs"),
    why=(
        "a judge may moderate penalties that are excessive or derisory; a monthly cap of a "
        "few percent of the fee makes persistent poor service cheaper than good service",
        "le juge peut modérer une pénalité excessive ou dérisoire ; un plafond mensuel de "
        "quelques pour cent de la redevance rend le mauvais service durable moins cher que "
        "le bon",
    ),
    clause=(
        "Penalties of a calendar month are capped at 15% of the monthly fee, all service "
        "levels together.",
        "Les pénalités d’un mois civil sont plafonnées à 15 % de la redevance mensuelle, "
        "tous niveaux de service confondus.",
    ),
    messages={
        "no_monthly_cap": (
            "penalties have no monthly cap",
            "les pénalités n’ont pas de plafond mensuel",
        ),
        "low_monthly_cap": (
            "the monthly penalty cap is {cap} of the fee, below {minimum}",
            "le plafond mensuel des pénalités est de {cap} de la redevance, moins de {minimum}",
        ),
        "no_cap": (
            "service level {level}: the penalty has no cap",
            "niveau de service {level} : la pénalité n’a pas de plafond",
        ),
    },
)
def sla_012(ctx: Context) -> Iterator[Hit]:
    has_penalty = False
    for key, level in ctx.levels:
        penalty = level.get("penalty")
        if not isinstance(penalty, dict) or not penalty:
            continue
        has_penalty = True
        if "cap" not in penalty and not penalty.get("bands"):
            yield Hit("no_cap", ("service_levels", key, "penalty"), {"level": _lid(key)})
    if not has_penalty:
        return
    cap = percent(ctx.get("penalties.monthly_cap"))
    if cap is None:
        yield Hit("no_monthly_cap", ("penalties",))
    elif cap < CAP_MINIMUM:
        params = {"cap": pct(cap), "minimum": pct(CAP_MINIMUM)}
        yield Hit("low_monthly_cap", ("penalties", "monthly_cap"), params)


@rule(
    "SLA-013",
    "service_levels",
    "W",
    "sole-remedy wording, e.g. cloud.google.com/dataproc-metastore/sla [V]",
    title=("Penalties are not the sole remedy", "Les pénalités ne sont pas le seul recours"),
    why=(
        "when service credits are the “sole and exclusive remedy”, the customer cannot "
        "claim damages beyond them, however large the loss",
        "quand les pénalités sont le « seul et unique recours », le client ne peut obtenir "
        "aucune réparation au-delà, quel que soit le préjudice",
    ),
    clause=(
        "Penalties are lump-sum compensation for the delay or unavailability only; they do "
        "not deprive the customer of damages for other losses nor of its right to terminate.",
        "Les pénalités indemnisent forfaitairement le seul retard ou la seule indisponibilité ; "
        "elles ne privent le client ni de dommages et intérêts pour d’autres préjudices, ni "
        "de son droit de résiliation.",
    ),
    messages={
        "sole": (
            "penalties are declared the sole remedy",
            "les pénalités sont déclarées seul recours",
        ),
    },
)
def sla_013(ctx: Context) -> Iterator[Hit]:
    if ctx.get("penalties.sole_remedy") is True:
        yield Hit("sole", ("penalties", "sole_remedy"))


@rule(
    "SLA-015",
    "service_levels",
    "I",
    "DORA 30(2)(e); ITIL 4 SLM [S]",
    title=(
        "Each important service has a user-facing level",
        "Chaque service important a un niveau vu par l’utilisateur",
    ),
    why=(
        "component levels can all be green while users cannot work (the “watermelon” "
        "effect); an important service needs a level users feel",
        "des niveaux techniques peuvent être tous au vert pendant que les utilisateurs ne "
        "peuvent pas travailler (effet « pastèque ») ; un service important a besoin d’un "
        "niveau ressenti par l’utilisateur",
    ),
    clause=(
        "The availability of each business service listed in Annex 1 as critical or high is "
        "a service level measured end to end from the users' side.",
        "La disponibilité de chaque service métier classé critique ou élevé en annexe 1 est un "
        "niveau de service mesuré de bout en bout, côté utilisateurs.",
    ),
    messages={
        "uncovered": (
            'service "{service}" ({criticality} criticality) has no service level of its own',
            "le service « {service} » (criticité {criticality}) n’a pas de niveau de service "
            "propre",
        ),
    },
)
def sla_015(ctx: Context) -> Iterator[Hit]:
    covered: set[str] = set()
    categories: set[str] = set()
    for _, level in ctx.levels:
        applies = _m(level.get("applies_to"))
        for name in applies.get("service") or []:
            covered.add(str(name))
        for name in applies.get("category") or []:
            categories.add(str(name))
    for name, service in ctx.services().items():
        criticality = service.get("criticality")
        if criticality not in ("critical", "high") or name in covered:
            continue
        if categories & {str(c) for c in service.get("categories") or []}:
            continue
        params = {"service": name, "criticality": criticality}
        yield Hit("uncovered", ("services", name), params)


@rule(
    "SLA-017",
    "service_levels",
    "W/E",
    "GDPR 32(1)(c)(d) [V]; ITS 2024/2956 B_06.01 [V]; MonAideCyber [V]",
    title=(
        "Critical services have RTO, RPO and restore tests",
        "RTO, RPO et tests pour le critique",
    ),
    why=(
        "being able to restore is a legal security duty; without RTO, RPO and tested "
        "restores nobody knows how much data and time a failure costs",
        "pouvoir restaurer est une obligation légale de sécurité ; sans RTO, RPO ni test de "
        "restauration, personne ne sait combien de données et de temps une panne coûte",
    ),
    clause=(
        "For each critical service the provider guarantees a recovery time objective (RTO) "
        "of 8 hours and a recovery point objective (RPO) of 24 hours, and performs a restore "
        "test every 6 months, whose report is sent to the customer.",
        "Pour chaque service critique, le prestataire garantit une durée maximale "
        "d’interruption (RTO) de 8 heures et une perte de données maximale (RPO) de "
        "24 heures, et réalise tous les 6 mois un test de restauration dont il remet le "
        "compte rendu au client.",
    ),
    messages={
        "missing": (
            'critical service "{service}" has no {missing}',
            "le service critique « {service} » n’a pas de {missing}",
        ),
        "missing_other": (
            'service "{service}" ({criticality} criticality) has no {missing}',
            "le service « {service} » (criticité {criticality}) n’a pas de {missing}",
        ),
        "no_restore_test": (
            'service "{service}" ({criticality} criticality) has no periodic restore test',
            "le service « {service} » (criticité {criticality}) n’a pas de test de restauration "
            "périodique",
        ),
    },
)
def sla_017(ctx: Context) -> Iterator[Hit]:
    tested = {
        str(s)
        for _, level in ctx.levels
        if level.get("metric") == "restore_test"
        for s in _m(level.get("applies_to")).get("service") or []
    }
    for name, service in ctx.services().items():
        criticality = service.get("criticality")
        if criticality not in ("critical", "high"):
            continue
        path = ("services", name)
        missing = [k.upper() for k in ("rto", "rpo") if not service.get(k)]
        critical = criticality == "critical"
        if missing and critical:
            yield Hit("missing", path, {"service": name, "missing": ", ".join(missing)}, True)
        elif missing:
            params = {"service": name, "criticality": criticality, "missing": ", ".join(missing)}
            yield Hit("missing_other", path, params)
        if not service.get("restore_test_every") and name not in tested:
            params = {"service": name, "criticality": criticality}
            yield Hit("no_restore_test", path, params, escalated=critical)


@rule(
    "SLA-018",
    "service_levels",
    "W",
    "DORA 28(7)(b); EBA/GL/2019/02 §108(e) [S]",
    title=("Persistent breach gives a way out", "Un manquement persistant ouvre la sortie"),
    why=(
        "penalties alone let a provider pay for poor service indefinitely; repeated "
        "breaches must give the customer the right to terminate",
        "avec des pénalités seules, un prestataire peut payer indéfiniment pour un mauvais "
        "service ; des manquements répétés doivent ouvrir au client un droit de résiliation",
    ),
    clause=(
        "If the same service level is missed three consecutive months, the customer may "
        "terminate the contract for breach without notice or fee, penalties remaining due.",
        "Si un même niveau de service est manqué trois mois consécutifs, le client peut "
        "résilier le contrat pour faute sans préavis ni indemnité, les pénalités restant dues.",
    ),
    messages={
        "missing": (
            "no persistent-breach threshold gives a termination right",
            "aucun seuil de manquement persistant ne donne de droit de résiliation",
        ),
    },
)
def sla_018(ctx: Context) -> Iterator[Hit]:
    persistent = ctx.section("penalties.persistent_breach")
    if not persistent.get("consecutive_months") or persistent.get("gives") != "termination_right":
        yield Hit("missing", ("penalties",))


def _always_capped(
    objective: Decimal, per_point: Decimal, cap: Decimal, allowed: int
) -> int | None:
    """The largest ticket count up to which any breached window costs the whole cap.

    With ``n`` tickets, the mildest breached window has the fewest breaches
    that both exceed ``allowed`` and bring compliance below the objective.
    """
    largest: int | None = None
    for n in range(1, 1001):
        breaches = max(allowed + 1, int((n * (1 - objective)).to_integral_value("ROUND_FLOOR")) + 1)
        if breaches > n:
            continue
        points = (objective - Decimal(n - breaches) / n) * 100
        if points * per_point >= cap:
            largest = n
        elif largest is not None:
            break
    return largest


@rule(
    "SLA-019",
    "service_levels",
    "I",
    "Pilotage arithmetic on the level's own terms",
    title=(
        "Per-point penalties on low volumes are all-or-nothing",
        "Pénalités au point sur faibles volumes : tout ou rien",
    ),
    why=(
        "with few tickets a single late one moves compliance by many points, so the "
        "per-point formula always reaches the cap: it acts as a fixed penalty, which both "
        "sides should know when they negotiate it",
        "avec peu de tickets, un seul retard fait perdre de nombreux points : la formule au "
        "point atteint toujours le plafond et agit comme une pénalité forfaitaire, ce que les "
        "deux parties doivent savoir en la négociant",
    ),
    clause=(
        "For levels with fewer than 20 tickets a month, each ticket beyond the target incurs "
        "a penalty of 150 euros excluding VAT, capped at 1,500 euros a month.",
        "Pour les niveaux de moins de 20 tickets par mois, chaque ticket hors délai donne lieu "
        "à une pénalité de 150 euros HT, plafonnée à 1 500 euros HT par mois.",
    ),
    messages={
        "capped": (
            "service level {level}: with {count} eligible tickets or fewer in a window, any "
            "breached window costs the whole cap ({cap} of the fee)",
            "niveau de service {level} : avec {count} tickets éligibles ou moins dans une "
            "période, toute période manquée coûte le plafond entier ({cap} de la redevance)",
        ),
    },
)
def sla_019(ctx: Context) -> Iterator[Hit]:
    fee = ctx.monthly_fee()
    for key, level in ctx.levels:
        penalty = _m(level.get("penalty"))
        if level.get("metric") not in TICKET_METRICS:
            continue
        objective = percent(level.get("objective"))
        per_point = percent(penalty.get("per_point_below"))
        cap_value = penalty.get("cap")
        cap = percent(cap_value)
        if cap is None and isinstance(cap_value, int | Decimal) and fee:
            cap = Decimal(cap_value) / fee
        if objective is None or per_point is None or cap is None or per_point <= 0:
            continue
        allowed = level.get("allowed_breaches")
        count = _always_capped(
            objective, per_point, cap, allowed if isinstance(allowed, int) else 0
        )
        if count is not None and count >= LOW_VOLUME_THRESHOLD:
            params = {"level": _lid(key), "count": count, "cap": pct(cap)}
            yield Hit("capped", ("service_levels", key, "penalty"), params)
