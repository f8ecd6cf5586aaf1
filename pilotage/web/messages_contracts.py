"""Messages of the contract pages: the editor, versions, amendments, calendar, signed
documents, the portfolio, live sources and the audit log (:mod:`pilotage.i18n`)."""

from __future__ import annotations

from pilotage import i18n

_SECTIONS = {
    "parties": ("Parties and term", "Parties et durée"),
    "price": ("Price", "Prix"),
    "scope": ("Scope", "Périmètre"),
    "services": ("Services catalogue", "Catalogue de services"),
    "calendars": ("Calendars", "Calendriers"),
    "priorities": ("Priorities", "Priorités"),
    "levels": ("Service levels", "Niveaux de service"),
    "penalties": ("Penalties", "Pénalités"),
    "governance": ("Governance", "Gouvernance"),
    "security": ("Security", "Sécurité"),
    "data_protection": ("Data protection", "Protection des données"),
    "reversibility": ("Reversibility", "Réversibilité"),
}

_FIELDS = {
    "parties": {
        "contract.id": ("Contract identifier", "Identifiant du contrat"),
        "contract.title": ("Title", "Intitulé"),
        "contract.ref": ("Reference of the signed document", "Référence du document signé"),
        "contract.signed_on": ("Signed on", "Date de signature"),
        "contract.timezone": ("Time zone", "Fuseau horaire"),
        "contract.customer.name": ("Customer", "Client"),
        "contract.customer.referent.name": ("Customer's referent", "Référent du client"),
        "contract.customer.referent.email": ("Referent's email", "Courriel du référent"),
        "contract.customer.referent.deputy": ("Deputy", "Suppléant"),
        "contract.provider.name": ("Provider", "Prestataire"),
        "contract.provider.referent.name": ("Provider's referent", "Référent du prestataire"),
        "contract.provider.referent.email": ("Referent's email", "Courriel du référent"),
        "contract.provider.referent.deputy": ("Deputy", "Suppléant"),
        "contract.term.start": ("Start", "Début"),
        "contract.term.initial": ("Initial term", "Durée initiale"),
        "contract.term.renewal": ("Renewal", "Reconduction"),
        "contract.term.renewal_term": ("Renewal term", "Durée de reconduction"),
        "contract.term.notice.customer": ("Customer's notice", "Préavis du client"),
        "contract.term.notice.provider": ("Provider's notice", "Préavis du prestataire"),
        "contract.term.termination_for_cause": (
            "Termination for cause",
            "Résiliation pour faute",
        ),
        "contract.term.termination_for_convenience.allowed": (
            "Termination for convenience",
            "Résiliation pour convenance",
        ),
        "contract.term.termination_for_convenience.fee": (
            "Termination fee",
            "Indemnité de résiliation",
        ),
        "contract.obligation": ("Obligation", "Obligation"),
        "contract.data_ownership": ("Data ownership", "Propriété des données"),
    },
    "price": {
        "contract.price.currency": ("Currency", "Devise"),
        "contract.price.amounts": ("Amounts", "Montants"),
        "contract.price.monthly_fee": ("Monthly fee", "Redevance mensuelle"),
        "contract.price.indexation.index": ("Indexation index", "Indice de révision"),
        "contract.price.indexation.base_month": ("Base month", "Mois de base"),
        "contract.price.indexation.fixed_share": ("Fixed share", "Part fixe"),
        "contract.price.indexation.every": ("Revised every", "Révision tous les"),
        "contract.price.indexation.cap": ("Revision cap", "Plafond de révision"),
        "contract.price.rate_card": ("Rate card", "Grille tarifaire"),
        "contract.price.rate_card.id": ("Item", "Prestation"),
        "contract.price.rate_card.amount": ("Amount", "Montant"),
    },
    "scope": {
        "scope": ("Domains", "Domaines"),
        "scope.id": ("Domain", "Domaine"),
        "scope.included": ("Included", "Inclus"),
        "scope.levels": ("Support levels", "Niveaux de support"),
        "scope.on_site": ("On site", "Sur site"),
        "scope.note": ("Note", "Remarque"),
    },
    "services": {
        "services": ("Services", "Services"),
        "services.id": ("Identifier", "Identifiant"),
        "services.name": ("Name", "Nom"),
        "services.domain": ("Domain", "Domaine"),
        "services.criticality": ("Criticality", "Criticité"),
        "services.rto": ("RTO", "DMIA (RTO)"),
        "services.rpo": ("RPO", "PDMA (RPO)"),
        "services.monitors": ("Monitors", "Sondes"),
        "services.categories": ("Ticket categories", "Catégories de tickets"),
        "services.restore_test_every": ("Restore test every", "Test de restauration tous les"),
    },
    "calendars": {
        "name": ("Calendar name", "Nom du calendrier"),
        "timezone": ("Time zone", "Fuseau horaire"),
        "always": ("Open 24 hours a day, 7 days a week", "Ouvert 24 h sur 24, 7 jours sur 7"),
        "hours.mon": ("Monday", "Lundi"),
        "hours.tue": ("Tuesday", "Mardi"),
        "hours.wed": ("Wednesday", "Mercredi"),
        "hours.thu": ("Thursday", "Jeudi"),
        "hours.fri": ("Friday", "Vendredi"),
        "hours.sat": ("Saturday", "Samedi"),
        "hours.sun": ("Sunday", "Dimanche"),
        "holidays.country": ("Holidays of country", "Jours fériés du pays"),
        "holidays.subdiv": ("Subdivision", "Subdivision"),
        "holidays.worked": ("Holidays worked anyway", "Jours fériés travaillés"),
        "holidays.extra": ("Extra closed dates", "Jours de fermeture en plus"),
        "closed": ("Closed periods", "Périodes de fermeture"),
        "open": ("Extra open periods", "Ouvertures exceptionnelles"),
    },
    "priorities": {
        "priorities.basis": ("Priority that decides", "Priorité retenue"),
        "priorities.qualified_by": ("Qualified by", "Qualifiée par"),
        "priorities.levels": ("Priority levels", "Niveaux de priorité"),
        "priorities.levels.id": ("Priority", "Priorité"),
        "priorities.levels.label": ("Label", "Libellé"),
        "priorities.levels.definition": ("Definition", "Définition"),
    },
    "levels": {
        "id": ("Identifier", "Identifiant"),
        "name": ("Name", "Nom"),
        "ref": ("Clause", "Article"),
        "metric": ("Metric", "Indicateur"),
        "applies_to.kind": ("Ticket kinds", "Types de tickets"),
        "applies_to.priority": ("Priorities", "Priorités"),
        "applies_to.service": ("Services", "Services"),
        "applies_to.category": ("Categories", "Catégories"),
        "clock.start": ("Clock starts at", "Le délai court depuis"),
        "clock.stop": ("Clock stops at", "Le délai s’arrête à"),
        "response_means": ("A response is", "Une prise en charge est"),
        "target": ("Target per ticket", "Délai cible par ticket"),
        "calendar": ("Calendar", "Calendrier"),
        "pause_when": ("Pause reasons", "Motifs de suspension"),
        "objective": ("Objective", "Objectif"),
        "allowed_breaches": ("Allowed breaches", "Manquements tolérés"),
        "window": ("Measured over", "Mesuré sur"),
        "assign_to": ("A ticket counts at", "Un ticket compte à sa"),
        "penalty.per_breach": ("Penalty per breach", "Pénalité par manquement"),
        "penalty.per_point_below": ("Penalty per point below", "Pénalité par point manquant"),
        "penalty.cap": ("Penalty cap", "Plafond de pénalité"),
        "penalty.bands": ("Penalty bands", "Paliers de pénalité"),
        "penalty.bands.below": ("Below", "En dessous de"),
        "penalty.bands.penalty": ("Penalty", "Pénalité"),
        "outage.failed_samples": ("Failed samples for an outage", "Sondes en échec pour une panne"),
        "outage.missing_samples": ("Missing samples", "Sondes manquantes"),
        "exclusions.maintenance.notice": ("Maintenance notice", "Préavis de maintenance"),
        "exclusions.maintenance.max_per_month": (
            "Maintenance per month at most",
            "Maintenance mensuelle maximale",
        ),
        "exclusions.maintenance.only_outside": (
            "Maintenance only outside",
            "Maintenance uniquement hors de",
        ),
        "warning_counts_as": ("A backup warning counts as", "Un avertissement de sauvegarde vaut"),
        "every": ("Every", "Tous les"),
        "within_rto": ("Within the service's RTO", "Dans la DMIA du service"),
    },
    "penalties": {
        "penalties.basis": ("Basis", "Assiette"),
        "penalties.monthly_cap": ("Monthly cap", "Plafond mensuel"),
        "penalties.grace_months": ("Grace months", "Mois de franchise"),
        "penalties.claim_within": ("Claim within", "À réclamer sous"),
        "penalties.persistent_breach.consecutive_months": (
            "Persistent breach after (months in a row)",
            "Manquement persistant après (mois consécutifs)",
        ),
        "penalties.persistent_breach.same_level": ("On the same level", "Sur le même niveau"),
        "penalties.persistent_breach.gives": ("Gives", "Ouvre droit à"),
        "penalties.sole_remedy": ("Penalties are the sole remedy", "Pénalités libératoires"),
    },
    "governance": {
        "governance.reporting.frequency": ("Reporting", "Rapport d’activité"),
        "governance.reporting.due": ("Report due", "Rapport dû sous"),
        "governance.reporting.contents": ("Report contents", "Contenu du rapport"),
        "governance.change_approval": ("Changes approved by", "Changements validés par"),
        "governance.material_change_notice": (
            "Notice of material changes",
            "Préavis des changements majeurs",
        ),
        "governance.incident_assistance": ("Incident assistance", "Assistance en cas d’incident"),
        "governance.committees": ("Committees", "Comités"),
        "governance.committees.name": ("Committee", "Comité"),
        "governance.committees.cadence": ("Cadence", "Fréquence"),
        "governance.committees.minutes_within": ("Minutes within", "Compte rendu sous"),
    },
    "security": {
        "security.security_plan": ("Security assurance plan", "Plan d’assurance sécurité"),
        "security.incident_notification.security": (
            "Security incident notified within",
            "Incident de sécurité notifié sous",
        ),
        "security.incident_notification.P1": (
            "P1 incident notified within",
            "Incident P1 notifié sous",
        ),
        "security.incident_notification.channel": (
            "Notification channels",
            "Canaux de notification",
        ),
        "security.audit.right": ("Audit right", "Droit d’audit"),
        "security.audit.every": ("Audit every", "Audit tous les"),
        "security.audit.notice": ("Audit notice", "Préavis d’audit"),
        "security.audit.by": ("Audited by", "Audit par"),
        "security.patching.critical": ("Critical patches within", "Correctifs critiques sous"),
        "security.insurance.professional_liability": (
            "Professional liability insurance",
            "Assurance responsabilité civile professionnelle",
        ),
        "security.insurance.cyber": ("Cyber insurance", "Assurance cyber"),
        "security.liability.cap": ("Liability cap", "Plafond de responsabilité"),
        "security.liability.carve_outs": ("Carve-outs", "Exclusions du plafond"),
        "security.force_majeure_excludes_cyberattacks": (
            "Force majeure excludes cyberattacks",
            "La force majeure exclut les cyberattaques",
        ),
    },
    "data_protection": {
        "data_protection.dpa.present": (
            "Data processing agreement",
            "Accord de sous-traitance (DPA)",
        ),
        "data_protection.dpa.description": ("Processing described", "Traitement décrit"),
        "data_protection.dpa.clauses": ("DPA clauses", "Clauses du DPA"),
        "data_protection.breach_notification": (
            "Personal data breach notified within",
            "Violation de données notifiée sous",
        ),
        "data_protection.data_location": ("Data location", "Localisation des données"),
        "data_protection.transfers_outside_eu": ("Transfers outside the EU", "Transferts hors UE"),
        "data_protection.subprocessors": ("Subprocessors", "Sous-traitants ultérieurs"),
        "data_protection.subprocessors.name": ("Name", "Nom"),
        "data_protection.subprocessors.role": ("Role", "Rôle"),
        "data_protection.subprocessors.location": ("Location", "Localisation"),
        "subcontracting.allowed": ("Subcontracting allowed", "Sous-traitance autorisée"),
        "subcontracting.prior_written_approval": (
            "Prior written approval",
            "Accord écrit préalable",
        ),
        "subcontracting.provider_remains_liable": (
            "Provider remains liable",
            "Le prestataire reste responsable",
        ),
    },
    "reversibility": {
        "reversibility.clause": ("Reversibility clause", "Clause de réversibilité"),
        "reversibility.applies_on": ("Applies on", "S’applique en cas de"),
        "reversibility.plan_due": ("Plan due within", "Plan remis sous"),
        "reversibility.plan_review": ("Plan reviewed every", "Plan révisé tous les"),
        "reversibility.transition": ("Exit transition", "Transition de sortie"),
        "reversibility.service_levels_during_transition": (
            "Service levels during the transition",
            "Niveaux de service pendant la transition",
        ),
        "reversibility.assistance": ("Assistance", "Assistance"),
        "reversibility.data_export.format": ("Export format", "Format d’export"),
        "reversibility.data_export.scope": ("Exported", "Exporté"),
        "reversibility.data_export.retrieval": ("Retrieval within", "Restitution sous"),
        "reversibility.cost.fixed": ("Fixed cost", "Coût forfaitaire"),
        "reversibility.deletion_certificate": ("Deletion certificate", "Certificat de suppression"),
        "reversibility.ownership_of_scripts_and_configurations": (
            "Scripts and configurations belong to",
            "Scripts et configurations appartiennent au",
        ),
        "transition_in.duration": ("Transition-in", "Reprise (transition)"),
        "transition_in.acceptance": ("Acceptance of the transition", "Recette de la reprise"),
        "transition_in.relaxed_until": ("Relaxed until", "Allègement jusqu’au"),
    },
}

_CHOICES = {
    "response_time": ("Response time", "Délai de prise en charge"),
    "resolution_time": ("Resolution time", "Délai de rétablissement"),
    "availability": ("Availability", "Disponibilité"),
    "backup_success": ("Backup success", "Réussite des sauvegardes"),
    "restore_test": ("Restore test", "Test de restauration"),
    "created": ("creation", "la création"),
    "first_response": ("first response", "la première réponse"),
    "resolved": ("resolution", "la résolution"),
    "qualified_human": ("a qualified person", "une personne qualifiée"),
    "any": ("any answer", "toute réponse"),
    "month": ("month", "mois"),
    "quarter": ("quarter", "trimestre"),
    "year": ("year", "année"),
    "creation": ("creation", "création"),
    "resolution": ("resolution", "résolution"),
    "excluded": ("excluded", "exclues"),
    "down": ("down", "en panne"),
    "up": ("up", "disponibles"),
    "success": ("success", "réussite"),
    "failed": ("failure", "échec"),
    "tacit": ("tacit", "tacite"),
    "express": ("express", "expresse"),
    "none": ("none", "aucune"),
    "result": ("of result", "de résultat"),
    "means": ("of means", "de moyens"),
    "customer": ("customer", "client"),
    "provider": ("provider", "prestataire"),
    "shared": ("shared", "partagée"),
    "joint": ("jointly", "conjointement"),
    "excl_vat": ("excluding VAT", "hors taxes"),
    "incl_vat": ("including VAT", "toutes taxes comprises"),
    "initial": ("initial", "initiale"),
    "highest": ("highest", "la plus haute"),
    "final": ("final", "finale"),
    "monthly_fee": ("monthly fee", "redevance mensuelle"),
    "termination_right": ("a termination right", "un droit de résiliation"),
    "weekly": ("weekly", "hebdomadaire"),
    "monthly": ("monthly", "mensuel"),
    "quarterly": ("quarterly", "trimestriel"),
    "half_yearly": ("half-yearly", "semestriel"),
    "yearly": ("yearly", "annuel"),
    "included": ("included", "incluse"),
    "billed": ("billed", "facturée"),
    "open": ("open", "ouvert"),
    "proprietary": ("proprietary", "propriétaire"),
    "unchanged": ("unchanged", "inchangés"),
    "relaxed": ("relaxed", "allégés"),
    "true": ("Yes", "Oui"),
    "false": ("No", "Non"),
    "critical": ("critical", "critique"),
    "high": ("high", "haute"),
    "standard": ("standard", "standard"),
    "low": ("low", "basse"),
}

_HINTS = {
    "duration": ("a number and its unit", "un nombre et son unité"),
    "percent": ("e.g. 95%", "ex. 95%"),
    "amount": ("e.g. 4800", "ex. 4800"),
    "amount_or_percent": ("amount (1500) or percentage (5%)", "montant (1500) ou pourcentage (5%)"),
    "date": ("YYYY-MM-DD", "AAAA-MM-JJ"),
    "month": ("YYYY-MM", "AAAA-MM"),
    "list": ("separated by commas", "séparés par des virgules"),
    "hours": ("e.g. 08:00-12:30, 13:30-18:00", "ex. 08:00-12:30, 13:30-18:00"),
    "int": ("a whole number", "un nombre entier"),
}

MESSAGES: dict[str, dict[str, str]] = {}
for _name, (_en, _fr) in _SECTIONS.items():
    MESSAGES[f"editor.section.{_name}"] = {"en": _en, "fr": _fr}
for _section, _labels in _FIELDS.items():
    for _key, (_en, _fr) in _labels.items():
        MESSAGES[f"editor.{_section}.{_key}"] = {"en": _en, "fr": _fr}
for _value, (_en, _fr) in _CHOICES.items():
    MESSAGES[f"editor.choice.{_value}"] = {"en": _en, "fr": _fr}
for _kind, (_en, _fr) in _HINTS.items():
    MESSAGES[f"editor.hint.{_kind}"] = {"en": _en, "fr": _fr}

MESSAGES.update(
    {
        # Contract navigation and overview.
        "contracts.nav.results": {"en": "Results", "fr": "Résultats"},
        "contracts.nav.terms": {"en": "Contract", "fr": "Contrat"},
        "contracts.nav.edit": {"en": "Editor", "fr": "Éditeur"},
        "contracts.nav.versions": {"en": "Versions", "fr": "Versions"},
        "contracts.nav.calendar": {"en": "Deadlines", "fr": "Échéances"},
        "contracts.nav.documents": {"en": "Signed documents", "fr": "Documents signés"},
        "contracts.nav.sources": {"en": "Live sources", "fr": "Sources en direct"},
        "contracts.nav.audit": {"en": "Audit log", "fr": "Journal d’audit"},
        "contracts.overview.title": {"en": "Contract terms", "fr": "Termes du contrat"},
        "contracts.overview.version": {
            "en": "Version {number}, saved {date} by {user}",
            "fr": "Version {number}, enregistrée le {date} par {user}",
        },
        "contracts.overview.sections": {"en": "Sections", "fr": "Rubriques"},
        "contracts.overview.lint": {"en": "Contract review", "fr": "Revue du contrat"},
        "contracts.overview.lint_score": {"en": "Overall score", "fr": "Note globale"},
        "contracts.overview.findings": {
            "en": "{errors} errors, {warnings} warnings, {infos} notes",
            "fr": "{errors} erreurs, {warnings} avertissements, {infos} remarques",
        },
        "contracts.overview.no_findings": {
            "en": "No finding in this section.",
            "fr": "Aucune remarque sur cette rubrique.",
        },
        "contracts.overview.download": {"en": "Download the file", "fr": "Télécharger le fichier"},
        "contracts.overview.upload": {
            "en": "Replace with a file",
            "fr": "Remplacer par un fichier",
        },
        "contracts.overview.readiness": {"en": "Exit readiness", "fr": "Préparation à la sortie"},
        "contracts.overview.amend": {"en": "New amendment", "fr": "Nouvel avenant"},
        "contracts.overview.invalid": {
            "en": (
                "The current version does not load: {count} errors. Fix them in the editor or "
                "upload a corrected file."
            ),
            "fr": (
                "La version actuelle ne se charge pas : {count} erreurs. Corrigez-les dans "
                "l’éditeur ou déposez un fichier corrigé."
            ),
        },
        "contracts.finding.rule": {"en": "Rule {rule}", "fr": "Règle {rule}"},
        "contracts.finding.clause": {"en": "Recommended clause", "fr": "Clause recommandée"},
        "contracts.finding.why": {"en": "Why it matters", "fr": "Pourquoi c’est important"},
        "contracts.finding.at_line": {"en": "line {line}", "fr": "ligne {line}"},
        # Creating a contract.
        "contracts.new.title": {"en": "New contract", "fr": "Nouveau contrat"},
        "contracts.new.link": {"en": "New contract", "fr": "Nouveau contrat"},
        "contracts.new.from_template": {
            "en": "Start from a template",
            "fr": "Partir d’un modèle",
        },
        "contracts.new.from_file": {
            "en": "Or upload an existing contract file",
            "fr": "Ou déposer un fichier de contrat existant",
        },
        "contracts.new.template": {"en": "Template", "fr": "Modèle"},
        "contracts.new.template.sme": {
            "en": "SME managed services (the reference contract)",
            "fr": "Infogérance de PME (le contrat de référence)",
        },
        "contracts.new.template.minimal": {
            "en": "Minimal contract (one service level)",
            "fr": "Contrat minimal (un niveau de service)",
        },
        "contracts.new.id": {"en": "Identifier", "fr": "Identifiant"},
        "contracts.new.id_hint": {
            "en": "letters, digits, - and _, e.g. martin-nordinfo",
            "fr": "lettres, chiffres, - et _, ex. martin-nordinfo",
        },
        "contracts.new.contract_title": {"en": "Title", "fr": "Intitulé"},
        "contracts.new.create": {
            "en": "Create and open the editor",
            "fr": "Créer et ouvrir l’éditeur",
        },
        "contracts.new.file": {"en": "Contract file (YAML)", "fr": "Fichier du contrat (YAML)"},
        "contracts.new.upload": {"en": "Upload", "fr": "Déposer"},
        "contracts.new.unknown_template": {
            "en": "Unknown template “{value}”; expected one of: {expected}.",
            "fr": "Modèle « {value} » inconnu ; valeurs possibles : {expected}.",
        },
        "contracts.created": {
            "en": "Contract “{title}” created.",
            "fr": "Contrat « {title} » créé.",
        },
        "contracts.upload.saved": {
            "en": "Version {number} saved from {name}.",
            "fr": "Version {number} enregistrée depuis {name}.",
        },
        "contracts.upload.unchanged": {
            "en": "{name} is identical to the current version: nothing saved.",
            "fr": "{name} est identique à la version actuelle : rien n’a été enregistré.",
        },
        "contracts.upload.missing": {"en": "Choose a file.", "fr": "Choisissez un fichier."},
        "contracts.upload.not_text": {
            "en": "{name} is not a UTF-8 text file.",
            "fr": "{name} n’est pas un fichier texte UTF-8.",
        },
        "contracts.errors.title": {
            "en": "The contract does not load ({count} errors): nothing was saved.",
            "fr": "Le contrat ne se charge pas ({count} erreurs) : rien n’a été enregistré.",
        },
        # Editor.
        "editor.title": {"en": "Edit: {section}", "fr": "Modifier : {section}"},
        "editor.save": {"en": "Save a new version", "fr": "Enregistrer une nouvelle version"},
        "editor.saved": {
            "en": "Version {number} saved.",
            "fr": "Version {number} enregistrée.",
        },
        "editor.unchanged": {"en": "Nothing changed.", "fr": "Aucune modification."},
        "editor.comment": {"en": "Comment (optional)", "fr": "Commentaire (facultatif)"},
        "editor.delete_row": {"en": "Remove", "fr": "Retirer"},
        "editor.delete": {"en": "Delete", "fr": "Supprimer"},
        "editor.delete_confirm": {
            "en": "Delete “{id}”? A new version of the file is saved without it.",
            "fr": "Supprimer « {id} » ? Une nouvelle version du fichier est enregistrée sans lui.",
        },
        "editor.delete_yes": {"en": "Yes, delete “{id}”", "fr": "Oui, supprimer « {id} »"},
        "editor.delete_cancel": {"en": "Cancel", "fr": "Annuler"},
        "editor.delete_refused": {
            "en": "“{id}” cannot be deleted: it is referred to by {count} entries of the contract;"
            " change them first.",
            "fr": "« {id} » ne peut pas être supprimé : {count} éléments du contrat y font"
            " référence ; modifiez-les d’abord.",
        },
        "editor.deleted": {
            "en": "“{id}” deleted; version {number} saved.",
            "fr": "« {id} » supprimé ; version {number} enregistrée.",
        },
        "editor.delete_services": {"en": "Delete a service", "fr": "Supprimer un service"},
        "amend.remove_item": {
            "en": "Remove “{id}” from the effective date",
            "fr": "Retirer « {id} » à compter de la date d’effet",
        },
        "amend.removing": {
            "en": "This amendment removes “{id}” from its effective date.",
            "fr": "Cet avenant retire « {id} » à compter de sa date d’effet.",
        },
        "editor.items.levels": {
            "en": "Service levels of the contract",
            "fr": "Niveaux de service du contrat",
        },
        "editor.items.calendars": {
            "en": "Calendars of the contract",
            "fr": "Calendriers du contrat",
        },
        "editor.items.add": {"en": "Add", "fr": "Ajouter"},
        "editor.items.edit": {"en": "Edit", "fr": "Modifier"},
        "editor.items.back": {"en": "Back to the list", "fr": "Retour à la liste"},
        "editor.unknown_item": {
            "en": "“{value}” is not in this contract.",
            "fr": "« {value} » ne figure pas dans ce contrat.",
        },
        "editor.findings": {"en": "Review of this section", "fr": "Revue de cette rubrique"},
        "editor.unplaced": {"en": "Other problems", "fr": "Autres problèmes"},
        "editor.no_version": {
            "en": "This contract has no file yet: create it from a template or upload it.",
            "fr": (
                "Ce contrat n’a pas encore de fichier : créez-le à partir d’un modèle ou "
                "déposez-le."
            ),
        },
        "editor.invalid_current": {
            "en": "The current version does not load; fix it by uploading a corrected file.",
            "fr": (
                "La version actuelle ne se charge pas ; corrigez-la en déposant un fichier corrigé."
            ),
        },
        "editor.hours_help": {
            "en": (
                "Opening hours per day, several ranges separated by commas; leave empty when "
                "closed."
            ),
            "fr": (
                "Horaires d’ouverture par jour, plusieurs plages séparées par des virgules ; vide "
                "si fermé."
            ),
        },
        "editor.amended": {
            "en": "Amendment {id} sets it to {value} from {date}.",
            "fr": "L’avenant {id} fixe la valeur à {value} à partir du {date}.",
        },
        "editor.unit.min": {"en": "minutes", "fr": "minutes"},
        "editor.unit.h": {"en": "hours", "fr": "heures"},
        "editor.unit.d": {"en": "days", "fr": "jours"},
        "editor.unit.bd": {"en": "business days", "fr": "jours ouvrés"},
        "editor.unit.mo": {"en": "months", "fr": "mois"},
        "editor.unit.as_written": {"en": "(as written)", "fr": "(tel quel)"},
        "editor.not_set": {"en": "(not set)", "fr": "(non renseigné)"},
        "editor.group.general": {"en": "General", "fr": "Généralités"},
        "editor.group.scope": {"en": "Tickets concerned", "fr": "Tickets concernés"},
        "editor.group.time": {"en": "Clock and target", "fr": "Délai et cible"},
        "editor.group.objective": {"en": "Objective and window", "fr": "Objectif et fenêtre"},
        "editor.group.penalty": {"en": "Penalty", "fr": "Pénalité"},
        "editor.group.availability": {"en": "Availability", "fr": "Disponibilité"},
        "editor.group.backups": {"en": "Backups", "fr": "Sauvegardes"},
        "editor.group.restore": {"en": "Restore tests", "fr": "Tests de restauration"},
        "editor.group.identity": {"en": "Contract", "fr": "Contrat"},
        "editor.group.customer": {"en": "Customer", "fr": "Client"},
        "editor.group.provider": {"en": "Provider", "fr": "Prestataire"},
        "editor.group.term": {"en": "Term and termination", "fr": "Durée et résiliation"},
        "editor.group.calendar": {"en": "Calendar", "fr": "Calendrier"},
        "editor.group.hours": {"en": "Opening hours", "fr": "Horaires d’ouverture"},
        "editor.group.holidays": {
            "en": "Holidays and closures",
            "fr": "Jours fériés et fermetures",
        },
        # Amendments.
        "amend.title": {"en": "Amendment", "fr": "Avenant"},
        "amend.intro": {
            "en": (
                "Change the clauses as the amendment does; the changes are recorded as an "
                "amendment effective on its date, the original terms stay as signed."
            ),
            "fr": (
                "Modifiez les clauses comme le fait l’avenant ; les changements sont enregistrés "
                "comme un avenant applicable à sa date, les termes d’origine restent tels que "
                "signés."
            ),
        },
        "amend.id": {"en": "Amendment identifier", "fr": "Identifiant de l’avenant"},
        "amend.signed_on": {"en": "Signed on", "fr": "Signé le"},
        "amend.effective": {"en": "Effective on", "fr": "Applicable le"},
        "amend.summary": {"en": "Summary", "fr": "Résumé"},
        "amend.section": {"en": "Clauses changed", "fr": "Clauses modifiées"},
        "amend.preview": {"en": "Preview the changes", "fr": "Prévisualiser les changements"},
        "amend.save": {"en": "Save the amendment", "fr": "Enregistrer l’avenant"},
        "amend.saved": {
            "en": "Amendment {id} saved in version {number}.",
            "fr": "Avenant {id} enregistré dans la version {number}.",
        },
        "amend.no_change": {
            "en": "The amendment changes nothing in this section.",
            "fr": "L’avenant ne change rien dans cette rubrique.",
        },
        "amend.cannot_remove": {
            "en": "An amendment cannot remove “{path}”: set another value instead.",
            "fr": "Un avenant ne peut pas supprimer « {path} » : indiquez plutôt une autre valeur.",
        },
        "amend.id_required": {
            "en": "Give the amendment an identifier and an effective date.",
            "fr": "Donnez à l’avenant un identifiant et une date d’application.",
        },
        "amend.diff": {"en": "Terms before and after", "fr": "Termes avant et après"},
        "amend.extends": {
            "en": "Amendment {id} exists: these changes are added to it.",
            "fr": "L’avenant {id} existe : ces changements lui sont ajoutés.",
        },
        # Versions.
        "versions.title": {"en": "Versions and amendments", "fr": "Versions et avenants"},
        "versions.number": {"en": "Version", "fr": "Version"},
        "versions.saved": {"en": "Saved", "fr": "Enregistrée"},
        "versions.by": {"en": "By", "fr": "Par"},
        "versions.source": {"en": "Origin", "fr": "Origine"},
        "versions.source.upload": {"en": "file", "fr": "fichier"},
        "versions.source.edit": {"en": "editor", "fr": "éditeur"},
        "versions.source.amendment": {"en": "amendment", "fr": "avenant"},
        "versions.source.demo": {"en": "demo", "fr": "démo"},
        "versions.source.template": {"en": "template", "fr": "modèle"},
        "versions.diff": {"en": "Changes", "fr": "Modifications"},
        "versions.diff_of": {
            "en": "Version {after} compared with version {before}",
            "fr": "Version {after} comparée à la version {before}",
        },
        "versions.first": {"en": "first version", "fr": "première version"},
        "versions.amendments": {"en": "Amendments in force", "fr": "Avenants"},
        "versions.amendment_effective": {"en": "Effective", "fr": "Applicable le"},
        "versions.amendment_signed": {"en": "Signed", "fr": "Signé le"},
        "versions.no_amendment": {"en": "No amendment.", "fr": "Aucun avenant."},
        "versions.terms_diff": {
            "en": "Terms in force from {date}, compared with the previous ones",
            "fr": "Termes en vigueur à partir du {date}, comparés aux précédents",
        },
        "versions.sha": {"en": "SHA-256", "fr": "SHA-256"},
        # Calendar.
        "calendar.title": {
            "en": "Renewal, notice and tender deadlines",
            "fr": "Échéances : reconduction, préavis et appel d’offres",
        },
        "calendar.intro": {
            "en": (
                "Dates computed from the terms in force; add them to your calendar with the .ics "
                "file (reminders included)."
            ),
            "fr": (
                "Dates calculées à partir des termes en vigueur ; ajoutez-les à votre agenda avec "
                "le fichier .ics (rappels inclus)."
            ),
        },
        "calendar.download": {"en": "Download the .ics file", "fr": "Télécharger le fichier .ics"},
        "calendar.routine": {
            "en": "Reports and committees ({count} dates)",
            "fr": "Rapports et comités ({count} dates)",
        },
        "calendar.date": {"en": "Date", "fr": "Date"},
        "calendar.event": {"en": "Deadline", "fr": "Échéance"},
        "calendar.detail": {"en": "Detail", "fr": "Détail"},
        "calendar.empty": {
            "en": "No deadline: the term has no start or no initial duration.",
            "fr": "Aucune échéance : la durée n’a pas de début ou pas de durée initiale.",
        },
        # Signed documents.
        "documents.title": {"en": "Signed documents", "fr": "Documents signés"},
        "documents.intro": {
            "en": (
                "Attach the signed contract and its annexes (PDF or DOCX, {limit} MB at most): "
                "each is scanned for vague wording and missing clauses."
            ),
            "fr": (
                "Joignez le contrat signé et ses annexes (PDF ou DOCX, {limit} Mo au plus) : "
                "chacun est analysé pour repérer les formulations vagues et les clauses absentes."
            ),
        },
        "documents.file": {"en": "Document", "fr": "Document"},
        "documents.upload": {"en": "Attach and scan", "fr": "Joindre et analyser"},
        "documents.saved": {
            "en": "{name} attached: {count} findings.",
            "fr": "{name} joint : {count} constats.",
        },
        "documents.bad_type": {
            "en": "{name}: expected a .pdf or .docx file.",
            "fr": "{name} : un fichier .pdf ou .docx est attendu.",
        },
        "documents.empty": {"en": "No document attached yet.", "fr": "Aucun document joint."},
        "documents.size": {"en": "Size", "fr": "Taille"},
        "documents.added": {"en": "Attached", "fr": "Joint le"},
        "documents.findings": {"en": "Findings", "fr": "Constats"},
        "documents.page": {"en": "Page", "fr": "Page"},
        "documents.excerpt": {"en": "Excerpt", "fr": "Extrait"},
        "documents.no_findings": {
            "en": "No vague wording and no missing clause found.",
            "fr": "Aucune formulation vague ni clause absente.",
        },
        "documents.download": {"en": "Download", "fr": "Télécharger"},
        "documents.kb": {"en": "{size} KB", "fr": "{size} Ko"},
        # Portfolio.
        "portfolio.title": {"en": "Portfolio", "fr": "Portefeuille"},
        "portfolio.intro": {
            "en": (
                "Every contract of the organizations you serve: last closed month, upcoming "
                "deadlines, review and exit readiness."
            ),
            "fr": (
                "Tous les contrats des organisations que vous accompagnez : dernier mois clos, "
                "échéances à venir, revue et préparation à la sortie."
            ),
        },
        "portfolio.organizations": {"en": "Your organizations", "fr": "Vos organisations"},
        "portfolio.contracts": {"en": "Contracts", "fr": "Contrats"},
        "portfolio.organization": {"en": "Organization", "fr": "Organisation"},
        "portfolio.contract": {"en": "Contract", "fr": "Contrat"},
        "portfolio.month": {"en": "Last closed month", "fr": "Dernier mois clos"},
        "portfolio.breached": {"en": "Breached levels", "fr": "Niveaux non respectés"},
        "portfolio.lint": {"en": "Review score", "fr": "Note de revue"},
        "portfolio.readiness": {"en": "Exit readiness", "fr": "Préparation à la sortie"},
        "portfolio.no_run": {"en": "not closed yet", "fr": "aucun mois clos"},
        "portfolio.none": {"en": "none", "fr": "aucun"},
        "portfolio.notices": {
            "en": "Notice deadlines in the next six months",
            "fr": "Préavis à donner dans les six prochains mois",
        },
        "portfolio.committees": {"en": "Committees due", "fr": "Comités à tenir"},
        "portfolio.no_notice": {
            "en": "No notice deadline in the next six months.",
            "fr": "Aucun préavis à donner dans les six prochains mois.",
        },
        "portfolio.no_committee": {
            "en": "No committee due in the next two months.",
            "fr": "Aucun comité à tenir dans les deux prochains mois.",
        },
        "portfolio.empty": {
            "en": "No contract yet in your organizations.",
            "fr": "Aucun contrat dans vos organisations pour l’instant.",
        },
        "portfolio.days_left": {"en": "in {days} days", "fr": "dans {days} jours"},
        "portfolio.unreadable": {"en": "file does not load", "fr": "fichier invalide"},
        "portfolio.kpi.contracts": {"en": "contracts", "fr": "contrats"},
        "portfolio.kpi.breached": {
            "en": "breached levels last month",
            "fr": "niveaux non respectés le mois dernier",
        },
        "portfolio.kpi.notices": {"en": "notices within 6 months", "fr": "préavis sous 6 mois"},
        "portfolio.kpi.committees": {
            "en": "committees within 2 months",
            "fr": "comités sous 2 mois",
        },
        "deadline.notice_customer": {"en": "Customer's notice", "fr": "Préavis du client"},
        "deadline.notice_provider": {"en": "Provider's notice", "fr": "Préavis du prestataire"},
        "deadline.tender": {"en": "Launch the tender", "fr": "Lancer l’appel d’offres"},
        "deadline.renewal": {"en": "Renewal", "fr": "Reconduction"},
        "deadline.term_end": {"en": "End of term", "fr": "Fin du contrat"},
        "deadline.indexation": {"en": "Price revision", "fr": "Révision du prix"},
        "deadline.committee": {"en": "Committee", "fr": "Comité"},
        "deadline.report": {"en": "Activity report due", "fr": "Rapport d’activité attendu"},
        # Live sources.
        "sources.title": {"en": "Live sources", "fr": "Sources en direct"},
        "sources.intro": {
            "en": (
                "GLPI or iTop servers read through their API. Tokens are encrypted and never "
                "shown again."
            ),
            "fr": (
                "Serveurs GLPI ou iTop lus par leur API. Les jetons sont chiffrés et ne sont plus "
                "jamais affichés."
            ),
        },
        "sources.name": {"en": "Name", "fr": "Nom"},
        "sources.kind": {"en": "Tool", "fr": "Outil"},
        "sources.url": {"en": "API address", "fr": "Adresse de l’API"},
        "sources.url_hint": {
            "en": "GLPI: …/apirest.php; iTop: …/webservices/rest.php",
            "fr": "GLPI : …/apirest.php ; iTop : …/webservices/rest.php",
        },
        "sources.contract": {"en": "Contract", "fr": "Contrat"},
        "sources.any_contract": {"en": "(all contracts)", "fr": "(tous les contrats)"},
        "sources.app_token": {
            "en": "App token (GLPI) or user (iTop)",
            "fr": "Jeton d’application (GLPI) ou utilisateur (iTop)",
        },
        "sources.user_token": {
            "en": "User token (GLPI) or password (iTop)",
            "fr": "Jeton utilisateur (GLPI) ou mot de passe (iTop)",
        },
        "sources.token_set": {
            "en": "set: leave empty to keep, type to replace",
            "fr": "renseigné : laissez vide pour le garder, saisissez pour le remplacer",
        },
        "sources.token_unset": {"en": "not set", "fr": "non renseigné"},
        "sources.add": {"en": "Add a source", "fr": "Ajouter une source"},
        "sources.save": {"en": "Save", "fr": "Enregistrer"},
        "sources.edit": {"en": "Edit", "fr": "Modifier"},
        "sources.test": {"en": "Test the connection", "fr": "Tester la connexion"},
        "sources.saved": {"en": "Source “{name}” saved.", "fr": "Source « {name} » enregistrée."},
        "sources.test_ok": {
            "en": "Connected to {name}: the server accepted the credentials.",
            "fr": "Connexion à {name} réussie : le serveur a accepté les identifiants.",
        },
        "sources.test_failed": {
            "en": "Test of {name} failed: {error}",
            "fr": "Échec du test de {name} : {error}",
        },
        "sources.empty": {"en": "No live source yet.", "fr": "Aucune source en direct."},
        "sources.bad_url": {
            "en": "“{value}” is not an http(s) address.",
            "fr": "« {value} » n’est pas une adresse http(s).",
        },
        "sources.bad_kind": {
            "en": "Unknown tool “{value}”; expected: {expected}.",
            "fr": "Outil « {value} » inconnu ; valeurs possibles : {expected}.",
        },
        "sources.name_required": {
            "en": "Give the source a name.",
            "fr": "Donnez un nom à la source.",
        },
        "sources.tokens_required": {
            "en": "Both credentials are needed to test the connection.",
            "fr": "Les deux identifiants sont nécessaires pour tester la connexion.",
        },
        "sources.fetch": {"en": "Fetch now", "fr": "Importer maintenant"},
        "sources.fetch_queued": {
            "en": "Fetch of {name} queued: this page shows its progress.",
            "fr": "Import de {name} mis en file : cette page en suit l’avancement.",
        },
        "sources.fetch_tokens_required": {
            "en": "Both credentials are needed to fetch from the server.",
            "fr": "Les deux identifiants sont nécessaires pour importer depuis le serveur.",
        },
        "sources.no_contract": {
            "en": "Source {name} is linked to no contract with a text: choose its contract "
            "before fetching.",
            "fr": "La source {name} n’est liée à aucun contrat rédigé : choisissez son contrat "
            "avant d’importer.",
        },
        "sources.fetch_crashed": {
            "en": "The fetch stopped on an internal error; it is logged for the administrator.",
            "fr": "L’import s’est arrêté sur une erreur interne, consignée pour l’administrateur.",
        },
        "sources.last_fetch": {"en": "Last fetch", "fr": "Dernier import"},
        "sources.never_fetched": {"en": "never fetched", "fr": "jamais importée"},
        "sources.step_queued": {"en": "waiting for the worker…", "fr": "en attente du traitement…"},
        "sources.step_reading": {
            "en": "reading tickets and history from the API…",
            "fr": "lecture des tickets et de l’historique par l’API…",
        },
        "sources.step_storing": {
            "en": "merging and storing the extraction…",
            "fr": "fusion et enregistrement de l’extraction…",
        },
        "sources.fetch_done": {
            "en": "{read} tickets read: {new} new, {changed} changed, {with_history} with "
            "history; {total} tickets in the extraction.",
            "fr": "{read} tickets lus : {new} nouveaux, {changed} modifiés, {with_history} avec "
            "historique ; {total} tickets dans l’extraction.",
        },
        "sources.fetch_stored": {
            "en": "New snapshots stored, ready for closing a month.",
            "fr": "Nouveaux instantanés enregistrés, prêts pour la clôture d’un mois.",
        },
        "sources.fetch_unchanged": {
            "en": "Nothing new: the snapshots are unchanged.",
            "fr": "Rien de nouveau : les instantanés sont inchangés.",
        },
        "sources.fetch_failed": {
            "en": "Fetch failed: {error}",
            "fr": "Échec de l’import : {error}",
        },
        "sources.active": {"en": "Fetch every day", "fr": "Importer chaque jour"},
        # Audit log.
        "audit.title": {"en": "Audit log", "fr": "Journal d’audit"},
        "audit.intro": {
            "en": "Every change made in the organization, append-only.",
            "fr": "Toutes les modifications faites dans l’organisation, sans effacement possible.",
        },
        "audit.at": {"en": "When", "fr": "Quand"},
        "audit.actor": {"en": "Who", "fr": "Qui"},
        "audit.action": {"en": "Action", "fr": "Action"},
        "audit.object": {"en": "Object", "fr": "Objet"},
        "audit.changes": {"en": "Before → after", "fr": "Avant → après"},
        "audit.contract": {"en": "Contract", "fr": "Contrat"},
        "audit.all": {"en": "All", "fr": "Tous"},
        "audit.filter": {"en": "Filter", "fr": "Filtrer"},
        "audit.empty": {"en": "No entry.", "fr": "Aucune entrée."},
        "audit.system": {"en": "system", "fr": "système"},
        "audit.page": {"en": "Page {page} of {pages}", "fr": "Page {page} sur {pages}"},
        "audit.previous": {"en": "Previous", "fr": "Précédente"},
        "audit.next": {"en": "Next", "fr": "Suivante"},
        "audit.action.contract.created": {"en": "contract created", "fr": "contrat créé"},
        "audit.action.contract.version_added": {
            "en": "contract version added",
            "fr": "version du contrat ajoutée",
        },
        "audit.action.document.attached": {
            "en": "signed document attached",
            "fr": "document signé joint",
        },
        "audit.action.source.saved": {
            "en": "live source saved",
            "fr": "source en direct enregistrée",
        },
        "audit.action.snapshot.imported": {"en": "file imported", "fr": "fichier importé"},
        "audit.action.run.closed": {"en": "month closed", "fr": "mois clos"},
        "audit.action.run.failed": {"en": "run failed", "fr": "calcul en échec"},
        "audit.action.member.invited": {"en": "member invited", "fr": "membre invité"},
        "audit.action.member.joined": {"en": "member joined", "fr": "membre arrivé"},
        "audit.action.user.signed_in": {"en": "signed in", "fr": "connexion"},
        "audit.action.user.language_changed": {"en": "language changed", "fr": "langue changée"},
        "audit.count": {"en": "{count} entries", "fr": "{count} entrées"},
    }
)
i18n.register(MESSAGES)
