"""The report's words in French and English, and the formatting they share.

Every renderer (HTML, PDF, XLSX) takes its labels from here, so that the
document reads the same in every format.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date

from pilotage import i18n

__all__ = [
    "MESSAGES",
    "fmt_duration",
    "fmt_instant",
    "fmt_month",
    "fmt_points",
    "fmt_target",
    "formula_text",
    "label",
    "local_datetime",
]

MESSAGES: dict[str, dict[str, str]] = {
    # Document
    "report.unknown_format": {
        "en": "Unknown report format {format!r}: expected one of {expected}.",
        "fr": "Format de rapport inconnu {format!r} : formats possibles {expected}.",
    },
    "report.unknown_language": {
        "en": "Unknown report language {lang!r}: expected one of {expected}.",
        "fr": "Langue de rapport inconnue {lang!r} : langues possibles {expected}.",
    },
    "report.title": {"en": "Monthly service report", "fr": "Rapport mensuel de service"},
    "report.period": {"en": "Period: {period}", "fr": "Période : {period}"},
    "report.parties": {
        "en": "{customer} — provider {provider}",
        "fr": "{customer} — prestataire {provider}",
    },
    "report.customer": {"en": "Customer", "fr": "Client"},
    "report.provider": {"en": "Provider", "fr": "Prestataire"},
    "report.contract": {"en": "Contract", "fr": "Contrat"},
    "report.as_of": {"en": "Computed as of {instant}", "fr": "Calculé au {instant}"},
    "report.finality.provisional": {"en": "Provisional", "fr": "Provisoire"},
    "report.provisional_note": {
        "en": "The period was not closed at the evaluation instant: these figures may still"
        " change.",
        "fr": "La période n'était pas close à l'instant du calcul : ces chiffres peuvent encore"
        " évoluer.",
    },
    "report.finality.final": {"en": "Final", "fr": "Définitif"},
    "report.restated": {
        "en": "This run restates windows already reported: {windows}",
        "fr": "Ce calcul modifie des périodes déjà publiées : {windows}",
    },
    "report.footer": {"en": "{ref} — {period}", "fr": "{ref} — {period}"},
    "report.page": {"en": "Page", "fr": "Page"},
    "report.of": {"en": "of", "fr": "sur"},
    "report.none": {"en": "None.", "fr": "Aucun."},
    "report.yes": {"en": "yes", "fr": "oui"},
    "report.no": {"en": "no", "fr": "non"},
    "report.dash": {"en": "—", "fr": "—"},
    # Summary
    "report.section.summary": {"en": "Summary", "fr": "Synthèse"},
    "report.headline": {
        "en": "{met} of {total} service levels met this month.",
        "fr": "{met} niveaux de service sur {total} respectés ce mois-ci.",
    },
    "report.headline.due": {
        "en": "Penalties due: {amount} excl. VAT.",
        "fr": "Pénalités dues : {amount} HT.",
    },
    "report.kpi.due_month": {"en": "Penalties due this month", "fr": "Pénalités dues ce mois"},
    "report.kpi.due_ytd": {"en": "Due year to date", "fr": "Dues depuis le 1er janvier"},
    "report.kpi.credited_ytd": {"en": "Credited year to date", "fr": "Avoirs reçus dans l'année"},
    "report.kpi.not_tracked": {"en": "not tracked", "fr": "non suivi"},
    "report.kpi.levels_met": {"en": "Levels met", "fr": "Niveaux respectés"},
    "report.kpi.breaches": {"en": "Tickets out of target", "fr": "Tickets hors délai"},
    "report.grace": {
        "en": "Grace period until {date}: no penalty is due.",
        "fr": "Période de grâce jusqu'au {date} : aucune pénalité n'est due.",
    },
    "report.deadlines": {"en": "Next deadlines", "fr": "Prochaines échéances"},
    "report.deadline.claim": {"en": "Claim penalties", "fr": "Réclamer les pénalités"},
    "report.deadline.notice": {"en": "Notice of non-renewal", "fr": "Préavis de non-reconduction"},
    "report.deadline.committee": {"en": "Next committee", "fr": "Prochain comité"},
    "report.deadline.report": {
        "en": "Provider's report due",
        "fr": "Rapport du prestataire attendu",
    },
    "report.deadline.restore_test": {
        "en": "Next restore test due",
        "fr": "Prochain test de restauration",
    },
    "report.deadline.renewal": {"en": "Renewal", "fr": "Reconduction"},
    "report.persistent": {"en": "Persistent breaches", "fr": "Manquements répétés"},
    "report.persistent.line": {
        "en": "{months} months out of {out_of} breached, {consecutive} in a row",
        "fr": "{months} mois sur {out_of} en défaut, dont {consecutive} consécutifs",
    },
    "report.persistent.reached": {
        "en": "The persistent-breach rule is met: the contract gives a termination right.",
        "fr": "La règle de manquement répété est atteinte : le contrat ouvre un droit"
        " de résiliation.",
    },
    "report.persistent.none": {
        "en": "No level breached twice in the last months.",
        "fr": "Aucun niveau en défaut deux fois sur les derniers mois.",
    },
    # Status
    "report.status.met": {"en": "Met", "fr": "Respecté"},
    "report.status.breached": {"en": "Breached", "fr": "Non respecté"},
    "report.status.no_data": {"en": "No data", "fr": "Sans données"},
    "report.rag.green": {"en": "Green", "fr": "Vert"},
    "report.rag.amber": {"en": "Amber", "fr": "Orange"},
    "report.rag.red": {"en": "Red", "fr": "Rouge"},
    "report.rag.grey": {"en": "No data", "fr": "Sans données"},
    "report.rag.legend": {
        "en": "Green: met with margin. Amber: met, but more than half the margin is used"
        " or met thanks to the allowed breaches. Red: breached.",
        "fr": "Vert : respecté avec marge. Orange : respecté, mais plus de la moitié de la"
        " marge est consommée, ou grâce aux dépassements tolérés. Rouge : non respecté.",
    },
    # Level columns
    "report.col.level": {"en": "Service level", "fr": "Niveau de service"},
    "report.col.target": {"en": "Target", "fr": "Délai cible"},
    "report.col.objective": {"en": "Objective", "fr": "Objectif"},
    "report.col.eligible": {"en": "Eligible", "fr": "Éligibles"},
    "report.col.met": {"en": "Met", "fr": "Dans les délais"},
    "report.col.breached": {"en": "Breached", "fr": "Hors délai"},
    "report.col.result": {"en": "Result", "fr": "Résultat"},
    "report.col.status": {"en": "Status", "fr": "Statut"},
    "report.col.penalty": {"en": "Penalty", "fr": "Pénalité"},
    "report.col.calendar": {"en": "Calendar", "fr": "Calendrier"},
    "report.col.ref": {"en": "Clause", "fr": "Clause"},
    "report.col.window": {"en": "Window", "fr": "Période"},
    "report.col.waived": {"en": "Waived", "fr": "Exonérés"},
    "report.allowed_short": {"en": "or ≤ {n} late", "fr": "ou ≤ {n} hors délai"},
    "report.col.allowed": {"en": "Allowed breaches", "fr": "Dépassements tolérés"},
    "report.section.levels": {"en": "Service levels", "fr": "Niveaux de service"},
    "report.trend": {
        "en": "Last 12 months: result (bars) and objective (line)",
        "fr": "12 derniers mois : résultat (barres) et objectif (trait)",
    },
    # Reconciliation
    "report.section.reconciliation": {
        "en": "The provider's report and ours",
        "fr": "Le rapport du prestataire et le nôtre",
    },
    "report.rec.provider": {"en": "The provider states", "fr": "Le prestataire déclare"},
    "report.rec.pilotage": {"en": "Pilotage computes", "fr": "Pilotage calcule"},
    "report.rec.gap": {"en": "Gap", "fr": "Écart"},
    "report.rec.cause": {"en": "Cause", "fr": "Cause"},
    "report.rec.figures": {
        "en": "{met} / {eligible} = {value}",
        "fr": "{met} / {eligible} = {value}",
    },
    "report.rec.population": {
        "en": "Tickets counted differently",
        "fr": "Tickets comptés différemment",
    },
    "report.rec.verdicts": {
        "en": "Tickets judged differently",
        "fr": "Tickets jugés différemment",
    },
    "report.rec.none": {
        "en": "The provider's figures match ours.",
        "fr": "Les chiffres du prestataire concordent avec les nôtres.",
    },
    "report.rec.no_claim": {"en": "not stated", "fr": "non déclaré"},
    "report.col.ticket": {"en": "Ticket", "fr": "Ticket"},
    "report.col.count": {"en": "Tickets", "fr": "Tickets"},
    "report.col.provider_verdict": {"en": "Provider", "fr": "Prestataire"},
    "report.col.pilotage_verdict": {"en": "Pilotage", "fr": "Pilotage"},
    "report.verdict.met": {"en": "in time", "fr": "dans les délais"},
    "report.verdict.breached": {"en": "late", "fr": "hors délai"},
    "report.cause.calendar": {
        "en": "Calendar: opening hours counted differently",
        "fr": "Calendrier : heures d'ouverture comptées différemment",
    },
    "report.cause.holiday": {
        "en": "Public holiday counted differently",
        "fr": "Jour férié compté différemment",
    },
    "report.cause.pause": {
        "en": "Pause not allowed by the contract deducted",
        "fr": "Suspension non prévue au contrat déduite",
    },
    "report.cause.priority": {
        "en": "Priority changed during the ticket's life",
        "fr": "Priorité modifiée en cours de vie du ticket",
    },
    "report.cause.clock_start": {
        "en": "Clock started later than creation",
        "fr": "Décompte démarré après la création",
    },
    "report.cause.reclassified": {
        "en": "Ticket reclassified (kind or service)",
        "fr": "Ticket reclassé (type ou service)",
    },
    "report.cause.missing_provider": {
        "en": "Missing from the provider's report",
        "fr": "Absent du rapport du prestataire",
    },
    "report.cause.missing_pilotage": {
        "en": "Missing from the exported data",
        "fr": "Absent des données exportées",
    },
    "report.cause.merged": {"en": "Merged ticket", "fr": "Ticket fusionné"},
    "report.cause.cancelled": {"en": "Cancelled ticket", "fr": "Ticket annulé"},
    "report.cause.waiver": {
        "en": "Waiver agreed in committee",
        "fr": "Exonération accordée en comité",
    },
    "report.cause.unexplained": {"en": "Not explained", "fr": "Non expliqué"},
    # Breaches
    "report.section.breaches": {"en": "Tickets out of target", "fr": "Tickets hors délai"},
    "report.breach.created": {"en": "Created", "fr": "Créé le"},
    "report.breach.stopped": {"en": "Clock stopped", "fr": "Décompte arrêté le"},
    "report.breach.still_open": {"en": "still open", "fr": "toujours ouvert"},
    "report.breach.counted": {"en": "Business time counted", "fr": "Temps ouvré décompté"},
    "report.breach.paused": {"en": "Paused (excluded)", "fr": "Suspendu (déduit)"},
    "report.breach.over": {"en": "Over target by", "fr": "Dépassement"},
    "report.breach.waived": {"en": "waived", "fr": "exonéré"},
    "report.breach.unverifiable": {
        "en": "pause not verifiable",
        "fr": "suspension non vérifiable",
    },
    "report.trace": {"en": "Trace", "fr": "Historique"},
    "report.trace.from": {"en": "From", "fr": "Du"},
    "report.trace.to": {"en": "To", "fr": "Au"},
    "report.trace.state": {"en": "State", "fr": "État"},
    "report.trace.counted": {"en": "Counted", "fr": "Décompté"},
    "report.segment.open": {"en": "open", "fr": "ouvert"},
    "report.segment.paused": {"en": "paused: {reason}", "fr": "suspendu : {reason}"},
    "report.pause.waiting_customer": {"en": "waiting for the customer", "fr": "attente client"},
    "report.pause.waiting_vendor": {"en": "waiting for a vendor", "fr": "attente fournisseur"},
    "report.pause.waiting_provider": {
        "en": "waiting for the provider",
        "fr": "attente prestataire",
    },
    "report.pause.unknown": {"en": "unknown reason", "fr": "motif inconnu"},
    "report.segment.resolved": {"en": "resolved", "fr": "résolu"},
    "report.breaches.none": {
        "en": "No ticket missed its target.",
        "fr": "Aucun ticket n'a dépassé son délai.",
    },
    "report.unverifiable": {
        "en": "Pauses that could not be verified",
        "fr": "Suspensions non vérifiables",
    },
    "report.unverifiable.text": {
        "en": "{count} tickets have no status history: their pause time ({duration}) is the"
        " provider's own total, taken on trust.",
        "fr": "{count} tickets n'ont pas d'historique de statuts : leur temps de suspension"
        " ({duration}) est le total déclaré par le prestataire, non vérifié.",
    },
    "report.unverifiable.zero": {
        "en": "Every pause was checked against the status history.",
        "fr": "Chaque suspension a été vérifiée dans l'historique des statuts.",
    },
    "report.priority_changes": {
        "en": "Priority changes and reclassifications",
        "fr": "Changements de priorité et reclassements",
    },
    "report.col.at": {"en": "On", "fr": "Le"},
    "report.col.before": {"en": "Before", "fr": "Avant"},
    "report.col.after": {"en": "After", "fr": "Après"},
    "report.col.direction": {"en": "Change", "fr": "Sens"},
    "report.col.field": {"en": "Field", "fr": "Champ"},
    "report.col.title": {"en": "Title", "fr": "Intitulé"},
    "report.col.levels": {"en": "Levels affected", "fr": "Niveaux concernés"},
    "report.direction.down": {"en": "downgrade", "fr": "abaissement"},
    "report.direction.up": {"en": "upgrade", "fr": "relèvement"},
    "report.field.kind": {"en": "kind", "fr": "type"},
    "report.field.service": {"en": "service", "fr": "service"},
    "report.field.category": {"en": "category", "fr": "catégorie"},
    "report.field.priority": {"en": "priority", "fr": "priorité"},
    # Availability
    "report.section.availability": {"en": "Availability", "fr": "Disponibilité"},
    "report.av.measured": {"en": "Measured time", "fr": "Temps mesuré"},
    "report.av.downtime": {"en": "Downtime counted", "fr": "Indisponibilité retenue"},
    "report.av.excused": {"en": "Excused maintenance", "fr": "Maintenance excusée"},
    "report.av.outages": {"en": "Outages and maintenance", "fr": "Interruptions et maintenances"},
    "report.col.start": {"en": "Start", "fr": "Début"},
    "report.col.end": {"en": "End", "fr": "Fin"},
    "report.col.duration": {"en": "Duration", "fr": "Durée"},
    "report.col.kind": {"en": "Kind", "fr": "Type"},
    "report.col.counted": {"en": "Counted", "fr": "Retenu"},
    "report.col.announced": {"en": "Announced", "fr": "Annoncée le"},
    "report.col.excused": {"en": "Excused", "fr": "Excusée"},
    "report.col.reason": {"en": "Reason", "fr": "Motif"},
    "report.col.service": {"en": "Service", "fr": "Service"},
    "report.outage.down": {"en": "outage", "fr": "panne"},
    "report.outage.maintenance": {"en": "maintenance", "fr": "maintenance"},
    "report.reason.late_notice": {
        "en": "announced too late",
        "fr": "annoncée trop tard",
    },
    "report.reason.over_allowance": {
        "en": "beyond the monthly allowance",
        "fr": "au-delà du forfait mensuel",
    },
    "report.reason.business_hours": {
        "en": "during business hours",
        "fr": "pendant les heures ouvrées",
    },
    "report.reason.not_announced": {"en": "not announced", "fr": "non annoncée"},
    "report.outages.none": {"en": "No outage this month.", "fr": "Aucune interruption ce mois-ci."},
    # Backups
    "report.section.backups": {
        "en": "Backups and restore tests",
        "fr": "Sauvegardes et tests de restauration",
    },
    "report.bk.expected": {"en": "Expected", "fr": "Attendues"},
    "report.bk.succeeded": {"en": "Succeeded", "fr": "Réussies"},
    "report.bk.warnings": {"en": "Warnings", "fr": "Avertissements"},
    "report.bk.failed": {"en": "Failed", "fr": "Échouées"},
    "report.bk.missing": {"en": "Missing", "fr": "Absentes"},
    "report.bk.failures": {"en": "Failed or missing jobs", "fr": "Travaux échoués ou absents"},
    "report.bk.scheduled": {"en": "Scheduled", "fr": "Prévue le"},
    "report.bk.status.failed": {"en": "failed", "fr": "échouée"},
    "report.bk.status.missing": {"en": "missing", "fr": "absente"},
    "report.bk.status.warning": {"en": "warning", "fr": "avertissement"},
    "report.rt.title": {"en": "Restore tests", "fr": "Tests de restauration"},
    "report.rt.performed": {"en": "Last test", "fr": "Dernier test"},
    "report.rt.result": {"en": "Result", "fr": "Résultat"},
    "report.rt.within_rto": {"en": "Within RTO", "fr": "Dans le RTO"},
    "report.rt.next_due": {"en": "Next due", "fr": "Prochain au plus tard"},
    "report.rt.overdue": {"en": "overdue", "fr": "en retard"},
    "report.rt.result.success": {"en": "success", "fr": "réussi"},
    "report.rt.result.failed": {"en": "failed", "fr": "échoué"},
    "report.rt.result.none": {"en": "no test", "fr": "aucun test"},
    # Volumes
    "report.section.volumes": {"en": "Volumes and backlog", "fr": "Volumes et stock"},
    "report.vol.kind": {"en": "Kind", "fr": "Type"},
    "report.vol.priority": {"en": "Priority", "fr": "Priorité"},
    "report.vol.opened": {"en": "Opened", "fr": "Ouverts"},
    "report.vol.resolved": {"en": "Resolved", "fr": "Résolus"},
    "report.vol.backlog": {"en": "Open at month end", "fr": "En stock fin de mois"},
    "report.vol.total": {"en": "Total", "fr": "Total"},
    "report.vol.ageing": {"en": "Age of the backlog", "fr": "Ancienneté du stock"},
    "report.vol.bucket": {"en": "{min}–{max} days", "fr": "{min} à {max} jours"},
    "report.vol.bucket_open": {"en": "{min} days and more", "fr": "{min} jours et plus"},
    "report.vol.set_aside": {
        "en": "Not counted: {cancelled} cancelled, {merged} merged, {out_of_scope} out of scope.",
        "fr": "Non comptés : {cancelled} annulés, {merged} fusionnés,"
        " {out_of_scope} hors périmètre.",
    },
    "report.kind.incident": {"en": "Incident", "fr": "Incident"},
    "report.kind.request": {"en": "Request", "fr": "Demande"},
    "report.kind.change": {"en": "Change", "fr": "Changement"},
    "report.kind.problem": {"en": "Problem", "fr": "Problème"},
    # Penalties
    "report.section.penalties": {"en": "Penalty statement", "fr": "Relevé des pénalités"},
    "report.pen.formula": {"en": "Formula", "fr": "Formule"},
    "report.pen.inputs": {"en": "Figures", "fr": "Données"},
    "report.pen.gross": {"en": "Before caps", "fr": "Avant plafonds"},
    "report.pen.level_cap": {"en": "After level cap", "fr": "Après plafond du niveau"},
    "report.pen.monthly_cap": {"en": "After monthly cap", "fr": "Après plafond mensuel"},
    "report.pen.amount": {"en": "Due", "fr": "Dû"},
    "report.pen.total": {"en": "Total", "fr": "Total"},
    "report.pen.basis": {
        "en": "Basis: monthly fee of {fee} excl. VAT",
        "fr": "Assiette : redevance mensuelle de {fee} HT",
    },
    "report.pen.cap": {
        "en": "Monthly cap: {cap}",
        "fr": "Plafond mensuel : {cap}",
    },
    "report.pen.claim_by": {
        "en": "To be claimed by {date}.",
        "fr": "À réclamer au plus tard le {date}.",
    },
    "report.pen.none": {
        "en": "No penalty is due this month.",
        "fr": "Aucune pénalité n'est due ce mois-ci.",
    },
    "report.pen.rounding": {
        "en": "Amounts excl. VAT, rounded to the cent (half up) once, after the caps.",
        "fr": "Montants HT, arrondis au centime (au plus proche) une seule fois, après plafonds.",
    },
    "report.formula.per_breach": {
        "en": "Fixed amount per ticket out of target",
        "fr": "Montant forfaitaire par ticket hors délai",
    },
    "report.formula.per_point_below": {
        "en": "Share of the fee per point below the objective (pro rata)",
        "fr": "Part de la redevance par point sous l'objectif (au prorata)",
    },
    "report.formula.bands": {
        "en": "Share of the fee set by the lowest band crossed",
        "fr": "Part de la redevance fixée par la tranche la plus basse franchie",
    },
    "report.formula.compliance": {
        "en": "Compliance = tickets in time / eligible tickets",
        "fr": "Taux de respect = tickets dans les délais / tickets éligibles",
    },
    "report.formula.availability": {
        "en": "Availability = 1 − (downtime − excused maintenance) / measured time",
        "fr": "Disponibilité = 1 − (indisponibilité − maintenance excusée) / temps mesuré",
    },
    "report.formula.backup_success": {
        "en": "Backup success = successful jobs / expected jobs (a missing job is failed)",
        "fr": "Taux de sauvegarde = travaux réussis / travaux attendus (un travail absent"
        " est échoué)",
    },
    "report.formula.business_time": {
        "en": "Business time = time within the calendar's opening hours, minus the pauses"
        " the contract allows",
        "fr": "Temps ouvré = temps passé dans les heures d'ouverture du calendrier, moins les"
        " suspensions prévues au contrat",
    },
    "report.formula.caps": {
        "en": "Each level's cap applies first, then the monthly cap, shared across levels pro rata",
        "fr": "Le plafond de chaque niveau s'applique d'abord, puis le plafond mensuel,"
        " réparti entre niveaux au prorata",
    },
    "report.formula.grace": {
        "en": "No penalty during the contract's grace months",
        "fr": "Aucune pénalité pendant les mois de grâce du contrat",
    },
    # Committee
    "report.section.committee": {
        "en": "Proposed points for the next committee",
        "fr": "Points proposés pour le prochain comité",
    },
    "report.point.penalty_due": {
        "en": "{subject}: level breached, {amount} due; confirm the credit note.",
        "fr": "{subject} : niveau non respecté, {amount} dus ; confirmer l'avoir.",
    },
    "report.point.level_breached": {
        "en": "{subject}: level breached; ask for the causes and an action plan.",
        "fr": "{subject} : niveau non respecté ; demander les causes et un plan d'action.",
    },
    "report.point.persistent_breach": {
        "en": "{subject}: breached in {count} recent months; discuss the persistent-breach clause.",
        "fr": "{subject} : en défaut sur {count} des derniers mois ; évoquer la clause de"
        " manquement répété.",
    },
    "report.point.reconciliation_gap": {
        "en": "{subject}: the provider's figure differs from ours by {amount}; agree on the count.",
        "fr": "{subject} : le chiffre du prestataire diffère du nôtre de {amount} ; s'accorder"
        " sur le décompte.",
    },
    "report.point.unverifiable_pauses": {
        "en": "Tickets whose pauses cannot be verified ({count}): ask for the status history.",
        "fr": "Tickets aux suspensions invérifiables ({count}) : demander l'historique des"
        " statuts.",
    },
    "report.point.priority_downgrades": {
        "en": "Priorities lowered ({count}): review who changed them and why.",
        "fr": "Priorités abaissées ({count}) : revoir qui les a modifiées et pourquoi.",
    },
    "report.point.maintenance_not_excused": {
        "en": "{subject}: maintenance not excused ({count}); recall the notice rules.",
        "fr": "{subject} : maintenance non excusée ({count}) ; rappeler les règles de préavis.",
    },
    "report.point.backup_failures": {
        "en": "{subject}: backup jobs failed or missing ({count}); ask for the corrective actions.",
        "fr": "{subject} : sauvegardes en échec ou absentes ({count}) ; demander les actions"
        " correctives.",
    },
    "report.point.restore_test_overdue": {
        "en": "{subject}: restore test overdue since {date}; schedule it.",
        "fr": "{subject} : test de restauration en retard depuis le {date} ; le planifier.",
    },
    "report.point.claim_deadline": {
        "en": "Claim the penalties of {subject} before {date}.",
        "fr": "Réclamer les pénalités de {subject} avant le {date}.",
    },
    "report.point.notice_deadline": {
        "en": "Decide on renewal: notice to give by {date}.",
        "fr": "Décider de la reconduction : préavis à donner avant le {date}.",
    },
    "report.point.note": {"en": "{text}", "fr": "{text}"},
    "report.committee.none": {
        "en": "Nothing to raise this month.",
        "fr": "Rien à signaler ce mois-ci.",
    },
    # Appendix
    "report.section.appendix": {
        "en": "Appendix: formulas and provenance",
        "fr": "Annexe : formules et provenance",
    },
    "report.app.formulas": {"en": "Formulas", "fr": "Formules"},
    "report.app.version": {
        "en": "Contract version in force",
        "fr": "Version du contrat en vigueur",
    },
    "report.app.effective": {"en": "Effective from", "fr": "En vigueur depuis le"},
    "report.app.hash": {"en": "Version fingerprint (SHA-256)", "fr": "Empreinte (SHA-256)"},
    "report.app.amendments": {"en": "Amendments applied", "fr": "Avenants appliqués"},
    "report.app.options": {"en": "Measurement options", "fr": "Options de mesure"},
    "report.app.provenance": {"en": "Provenance", "fr": "Provenance"},
    "report.app.file": {"en": "File", "fr": "Fichier"},
    "report.app.role": {"en": "Content", "fr": "Contenu"},
    "report.app.software": {"en": "Software", "fr": "Logiciels"},
    "report.app.run_key": {"en": "Run key", "fr": "Clé de calcul"},
    "report.app.as_of": {"en": "Evaluated at", "fr": "Évalué au"},
    "report.app.reproduce": {
        "en": "The same files, contract version and evaluation instant give the same figures.",
        "fr": "Les mêmes fichiers, la même version du contrat et le même instant d'évaluation"
        " donnent les mêmes chiffres.",
    },
    # Sheets (XLSX)
    "report.sheet.summary": {"en": "Summary", "fr": "Synthèse"},
    "report.sheet.levels": {"en": "Service levels", "fr": "Niveaux de service"},
    "report.sheet.history": {"en": "History", "fr": "Historique"},
    "report.sheet.reconciliation": {"en": "Reconciliation", "fr": "Rapprochement"},
    "report.sheet.breaches": {"en": "Breaches", "fr": "Hors délai"},
    "report.sheet.trace": {"en": "Trace", "fr": "Traces"},
    "report.sheet.changes": {"en": "Changes", "fr": "Changements"},
    "report.sheet.availability": {"en": "Availability", "fr": "Disponibilité"},
    "report.sheet.backups": {"en": "Backups", "fr": "Sauvegardes"},
    "report.sheet.volumes": {"en": "Volumes", "fr": "Volumes"},
    "report.sheet.penalties": {"en": "Penalties", "fr": "Pénalités"},
    "report.sheet.committee": {"en": "Committee", "fr": "Comité"},
    "report.sheet.appendix": {"en": "Appendix", "fr": "Annexe"},
    "report.input.breaches": {"en": "breaches", "fr": "tickets hors délai"},
    "report.input.per_breach": {"en": "per breach", "fr": "par ticket"},
    "report.input.level_cap": {"en": "level cap", "fr": "plafond du niveau"},
    "report.input.monthly_cap": {"en": "monthly cap", "fr": "plafond mensuel"},
    "report.input.objective": {"en": "objective", "fr": "objectif"},
    "report.input.value": {"en": "result", "fr": "résultat"},
    "report.input.points_below": {"en": "points below", "fr": "points sous l'objectif"},
    "report.input.rate_per_point": {"en": "per point", "fr": "par point"},
    "report.input.fee": {"en": "fee", "fr": "redevance"},
    "report.input.band": {"en": "band", "fr": "tranche"},
    "report.input.rate": {"en": "rate", "fr": "taux"},
    "report.unit.s": {"en": "{n} s", "fr": "{n} s"},
    "report.unit.min": {"en": "{n} min", "fr": "{n} min"},
    "report.unit.h": {"en": "{n} h", "fr": "{n} h"},
    "report.unit.d": {"en": "{n} open days", "fr": "{n} jours ouvrés"},
    "report.unit.bd": {"en": "by end of open day {n}", "fr": "J+{n} ouvrés"},
    "report.unit.mo": {"en": "{n} months", "fr": "{n} mois"},
    "report.col.id": {"en": "Id", "fr": "Identifiant"},
    "report.col.rag": {"en": "RAG", "fr": "Feu"},
    "report.vol.out_of_scope": {"en": "Out of scope", "fr": "Hors périmètre"},
    "report.col.value": {"en": "Value", "fr": "Valeur"},
    "report.col.item": {"en": "Item", "fr": "Rubrique"},
    "report.col.point": {"en": "Point", "fr": "Point"},
    "report.col.seconds": {"en": "Seconds", "fr": "Secondes"},
}
i18n.register(MESSAGES)

_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def label(code: str, lang: str, **params: object) -> str:
    """The message ``report.<code>`` in ``lang``."""
    return i18n.t(f"report.{code}", lang, **params)


def formula_text(code: str, lang: str) -> str:
    """The description of a formula code, or the code itself if none is registered."""
    key = f"report.formula.{code}"
    return i18n.t(key, lang) if key in i18n.all_messages() else code


def local_datetime(instant: int, timezone: str) -> dt.datetime:
    """A UTC epoch instant as an aware date-time in ``timezone``."""
    return dt.datetime.fromtimestamp(instant, tz=ZoneInfo(timezone))


def fmt_instant(instant: int | None, timezone: str, lang: str) -> str:
    """An instant in the contract's timezone, ``30/06/2026 17:00``; a dash if unknown."""
    if instant is None:
        return "—"
    return i18n.fmt_datetime(local_datetime(instant, timezone), lang)


def fmt_month(window: str, lang: str, short: bool = False, title: bool = True) -> str:
    """A month label ``2026-10`` as ``Octobre 2026`` / ``October 2026`` (or ``oct.``).

    ``title=False`` keeps the French lower case a month takes inside a sentence.
    """
    match = re.fullmatch(r"(\d{4})-(\d{2})", window)
    if match is None:
        return window  # a quarter (2026-Q4) or a year (2026) reads as it is
    year, month = int(match.group(1)), int(match.group(2))
    fmt = "MMM" if short else "MMMM yyyy"
    text = str(format_date(dt.date(year, month, 1), format=fmt, locale=_LOCALES.get(lang, "en_GB")))
    return text if short or not title else text[:1].upper() + text[1:]


def fmt_duration(seconds: int, lang: str) -> str:
    """A duration in hours and minutes, ``27 h 05 min`` (``45 s`` under a minute).

    Never in days: a day of business time is not a day of the calendar.
    """
    sign = "−" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        whole = i18n.fmt_number(hours, lang, 0)
        return f"{sign}{whole} h {minutes:02d} min" if minutes else f"{sign}{whole} h"
    if minutes:
        return f"{sign}{minutes} min"
    return f"{sign}{secs} s"


def fmt_target(target: str, lang: str) -> str:
    """A contract duration (``30min``, ``4h``, ``3d``, ``5bd``, ``6mo``) in words."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(s|min|h|d|bd|mo)", target.strip())
    if match is None:
        return target
    amount = i18n.fmt_number(Decimal(match.group(1)), lang, 2)
    return i18n.t(f"report.unit.{match.group(2)}", lang, n=amount)


def fmt_points(value: Decimal, lang: str) -> str:
    """A difference of ratios in percentage points, signed: ``−2,5 pts``."""
    points = value * 100
    text = i18n.fmt_number(abs(points), lang, 2)
    sign = "+" if points > 0 else "−" if points < 0 else ""
    unit = "pt" if abs(points) <= 1 and lang == "fr" else "pts"
    if lang == "en":
        unit = "pt" if abs(points) == 1 else "pts"
    return f"{sign}{text}\u00a0{unit}"
