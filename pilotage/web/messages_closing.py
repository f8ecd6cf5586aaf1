"""Messages of the monthly closing wizard, the dashboards and the reports pages."""

from __future__ import annotations

from pilotage import i18n

MESSAGES = {
    # Closing wizard.
    "web.close.title": {"en": "Close a month", "fr": "Clôturer un mois"},
    "web.close.steps": {"en": "Steps", "fr": "Étapes"},
    "web.close.step.upload": {"en": "Files", "fr": "Fichiers"},
    "web.close.step.preview": {"en": "Check the reading", "fr": "Vérifier la lecture"},
    "web.close.step.claims": {"en": "Provider's figures", "fr": "Chiffres du prestataire"},
    "web.close.step.launch": {"en": "Compute", "fr": "Calcul"},
    "web.close.problems": {"en": "Please check:", "fr": "À vérifier :"},
    "web.close.period": {"en": "Month", "fr": "Mois"},
    "web.close.period_help": {
        "en": "The month being closed, usually the last one.",
        "fr": "Le mois à clôturer, en général le mois écoulé.",
    },
    "web.close.source": {"en": "Source tool", "fr": "Outil source"},
    "web.close.source_canonical": {
        "en": "Pilotage format (tickets.csv)",
        "fr": "Format Pilotage (tickets.csv)",
    },
    "web.close.source_help": {
        "en": "The ticketing tool the export comes from: its columns and values are read with "
        "that tool's preset.",
        "fr": "L’outil de tickets dont vient l’export : ses colonnes et ses valeurs sont lues "
        "avec le préréglage de cet outil.",
    },
    "web.close.bad_source": {
        "en": "Unknown source tool “{value}”.",
        "fr": "Outil source inconnu « {value} ».",
    },
    "web.close.mapping": {
        "en": "Saved mapping (optional)",
        "fr": "Correspondance enregistrée (facultatif)",
    },
    "web.close.mapping_help": {
        "en": "A mapping file (YAML or JSON) adapted to your provider's export; it replaces the "
        "preset.",
        "fr": "Un fichier de correspondance (YAML ou JSON) adapté à l’export de votre "
        "prestataire ; il remplace le préréglage.",
    },
    "web.close.mapping_kept": {
        "en": "The mapping uploaded earlier is kept; upload another one to replace it.",
        "fr": "La correspondance déposée précédemment est conservée ; déposez-en une autre pour "
        "la remplacer.",
    },
    "web.close.mapping_too_large": {
        "en": "The mapping file is larger than {limit} KB.",
        "fr": "Le fichier de correspondance dépasse {limit} Ko.",
    },
    "web.close.mapping_not_text": {
        "en": "The mapping file is not UTF-8 text.",
        "fr": "Le fichier de correspondance n’est pas un texte UTF-8.",
    },
    "web.close.files": {"en": "Files", "fr": "Fichiers"},
    "web.close.file_kind": {"en": "Content", "fr": "Contenu"},
    "web.close.file_new": {"en": "Upload a file", "fr": "Déposer un fichier"},
    "web.close.file_existing": {"en": "or reuse an upload", "fr": "ou reprendre un dépôt"},
    "web.close.file_name": {"en": "File", "fr": "Fichier"},
    "web.close.file_size": {"en": "Size", "fr": "Taille"},
    "web.close.required": {"en": "required", "fr": "obligatoire"},
    "web.close.optional": {"en": "optional", "fr": "facultatif"},
    "web.close.none_yet": {"en": "none yet", "fr": "aucun pour l’instant"},
    "web.close.upload_next": {"en": "Upload and check", "fr": "Déposer et vérifier"},
    "web.close.tickets_required": {
        "en": "The tickets export is required: upload it or choose an earlier upload.",
        "fr": "L’export des tickets est obligatoire : déposez-le ou choisissez un dépôt précédent.",
    },
    "web.close.preview_title": {"en": "How the export was read", "fr": "Lecture de l’export"},
    "web.close.preview_file": {
        "en": "File {name}, read as {source}.",
        "fr": "Fichier {name}, lu comme {source}.",
    },
    "web.close.read_failed": {
        "en": "{name} could not be read:",
        "fr": "{name} n’a pas pu être lu :",
    },
    "web.close.read_failed_help": {
        "en": "Check the source tool chosen, or ask the provider for a corrected export.",
        "fr": "Vérifiez l’outil source choisi, ou demandez au prestataire un export corrigé.",
    },
    "web.close.back": {"en": "Back", "fr": "Retour"},
    "web.close.back_files": {"en": "Back to the files", "fr": "Revenir aux fichiers"},
    "web.close.tz_title": {"en": "Timezone of the times", "fr": "Fuseau horaire des heures"},
    "web.close.tz_question": {
        "en": "The times in {name} have no UTC offset. The contract's timezone is {timezone}: "
        "were they written in {timezone}? Confirm, or pick the right timezone.",
        "fr": "Les heures de {name} n’ont pas de décalage UTC. Le fuseau du contrat est "
        "{timezone} : ont-elles été écrites dans ce fuseau ? Confirmez, ou choisissez le bon "
        "fuseau.",
    },
    "web.close.tz_chosen": {
        "en": "Times read in {timezone}.",
        "fr": "Heures lues dans le fuseau {timezone}.",
    },
    "web.close.tz_offsets": {
        "en": "The times carry their UTC offset: no timezone needs to be chosen.",
        "fr": "Les heures portent leur décalage UTC : aucun fuseau n’est à choisir.",
    },
    "web.close.tz_plausible": {
        "en": "{share} of the tickets were created Monday to Friday between {start}:00 and "
        "{end}:00 in {timezone}: plausible.",
        "fr": "{share} des tickets ont été créés du lundi au vendredi entre {start} h et {end} h "
        "({timezone}) : plausible.",
    },
    "web.close.tz_shifted": {
        "en": "Only {share} of the tickets were created Monday to Friday between {start}:00 and "
        "{end}:00 in {timezone}; shifted by {shift} h they would be {best}. Is the export really "
        "in {timezone}?",
        "fr": "Seulement {share} des tickets ont été créés du lundi au vendredi entre {start} h "
        "et {end} h ({timezone}) ; décalés de {shift} h, ils seraient {best}. L’export est-il "
        "vraiment dans le fuseau {timezone} ?",
    },
    "web.close.tz_label": {"en": "Timezone of the export", "fr": "Fuseau de l’export"},
    "web.close.tz_reread": {"en": "Read again", "fr": "Relire"},
    "web.close.tz_confirm": {
        "en": "Confirm this timezone and continue",
        "fr": "Confirmer ce fuseau et continuer",
    },
    "web.close.bad_timezone": {
        "en": "Unknown timezone “{timezone}”: expected an IANA name such as Europe/Paris.",
        "fr": "Fuseau horaire inconnu « {timezone} » : un nom IANA comme Europe/Paris est attendu.",
    },
    "web.close.timezone_required": {
        "en": "The times have no UTC offset: confirm their timezone (proposed: {timezone}) "
        "before going on.",
        "fr": "Les heures n’ont pas de décalage UTC : confirmez leur fuseau (proposé : "
        "{timezone}) avant de continuer.",
    },
    "web.close.preview_next": {
        "en": "The reading is right: continue",
        "fr": "La lecture est juste : continuer",
    },
    "web.close.tickets": {"en": "tickets", "fr": "tickets"},
    "web.close.events": {"en": "status events", "fr": "événements de statut"},
    "web.close.created_range": {
        "en": "first and last creation ({timezone})",
        "fr": "première et dernière création ({timezone})",
    },
    "web.close.by_kind": {"en": "By kind", "fr": "Par type"},
    "web.close.by_priority": {"en": "By priority", "fr": "Par priorité"},
    "web.close.by_state": {"en": "By state", "fr": "Par état"},
    "web.close.pauses": {"en": "How pauses are known", "fr": "Connaissance des pauses"},
    "web.close.with_history": {
        "en": "with a status history (pauses checked)",
        "fr": "avec un historique des statuts (pauses vérifiées)",
    },
    "web.close.with_total": {
        "en": "with only the tool's pause total (not verifiable)",
        "fr": "avec seulement le total d’attente de l’outil (non vérifiable)",
    },
    "web.close.with_neither": {"en": "with neither", "fr": "sans l’un ni l’autre"},
    "web.close.verdict": {
        "en": "Provider's verdict {name}: met {met}, missed {missed}, unknown {unknown}.",
        "fr": "Verdict du prestataire {name} : respecté {met}, non respecté {missed}, inconnu "
        "{unknown}.",
    },
    "web.close.notes": {"en": "Remarks on the reading", "fr": "Remarques sur la lecture"},
    "web.close.rows_left_aside": {
        "en": "Rows left aside: {reason} ({count}).",
        "fr": "Lignes écartées : {reason} ({count}).",
    },
    "web.close.columns": {
        "en": "How each column was understood",
        "fr": "Compréhension de chaque colonne",
    },
    "web.close.missing_fields": {
        "en": "No column feeds: {names}.",
        "fr": "Aucune colonne ne fournit : {names}.",
    },
    "web.close.column": {"en": "Column", "fr": "Colonne"},
    "web.close.field": {"en": "Read as", "fr": "Lue comme"},
    "web.close.filled": {"en": "Filled", "fr": "Remplies"},
    "web.close.distinct": {"en": "Distinct", "fr": "Distinctes"},
    "web.close.samples": {
        "en": "Examples and values not understood",
        "fr": "Exemples et valeurs non comprises",
    },
    "web.close.not_used": {"en": "not used", "fr": "non utilisée"},
    "web.close.effect.error": {
        "en": "Not understood (the import stops):",
        "fr": "Non comprises (l’import s’arrête) :",
    },
    "web.close.effect.kept": {"en": "Kept as written:", "fr": "Conservées telles quelles :"},
    "web.close.effect.ignored": {"en": "Ignored:", "fr": "Ignorées :"},
    "web.close.effect.no_service": {
        "en": "No service matches (tickets without a service):",
        "fr": "Aucun service ne correspond (tickets sans service) :",
    },
    "web.close.effect.unreadable": {"en": "Unreadable:", "fr": "Illisibles :"},
    "web.close.claims_title": {"en": "The provider's figures", "fr": "Les chiffres du prestataire"},
    "web.close.claims_help": {
        "en": "Type the figures of the provider's own monthly report, per service level (leave a "
        "row empty when it states nothing), or upload them. Pilotage will explain every gap.",
        "fr": "Saisissez les chiffres du rapport mensuel du prestataire, par niveau de service "
        "(laissez vide une ligne qu’il n’indique pas), ou déposez-les. Pilotage expliquera "
        "chaque écart.",
    },
    "web.close.claims_eligible": {"en": "Eligible", "fr": "Éligibles"},
    "web.close.claims_met": {"en": "Met", "fr": "Respectés"},
    "web.close.claims_compliance": {"en": "Compliance (%)", "fr": "Conformité (%)"},
    "web.close.claims_file": {"en": "Upload the figures", "fr": "Déposer les chiffres"},
    "web.close.claims_file_help": {
        "en": "CSV with columns service_level, window, eligible, met, compliance.",
        "fr": "CSV avec les colonnes service_level, window, eligible, met, compliance.",
    },
    "web.close.or": {"en": "or", "fr": "ou"},
    "web.close.claims_skip": {
        "en": "No figures from the provider",
        "fr": "Pas de chiffres du prestataire",
    },
    "web.close.claims_next": {"en": "Save and continue", "fr": "Enregistrer et continuer"},
    "web.close.claims_bad_count": {
        "en": "{level}: “{value}” is not a whole number.",
        "fr": "{level} : « {value} » n’est pas un nombre entier.",
    },
    "web.close.claims_bad_ratio": {
        "en": "{level}: “{value}” is not a percentage between 0 and 100.",
        "fr": "{level} : « {value} » n’est pas un pourcentage entre 0 et 100.",
    },
    "web.close.claims_met_over": {
        "en": "{level}: {met} met out of {eligible} eligible is impossible.",
        "fr": "{level} : {met} respectés sur {eligible} éligibles est impossible.",
    },
    "web.close.review_title": {"en": "Compute the month", "fr": "Calculer le mois"},
    "web.close.as_of": {"en": "Figures as of", "fr": "Chiffres arrêtés au"},
    "web.close.launch": {"en": "Close {period}", "fr": "Clôturer {period}"},
    "web.close.launch_help": {
        "en": "Closing again the same day with the same files returns the same results.",
        "fr": "Clôturer de nouveau le même jour avec les mêmes fichiers donne les mêmes résultats.",
    },
    "web.close.provider_done": {
        "en": "Your files are stored and checked. The customer's IT referent will close the month.",
        "fr": "Vos fichiers sont enregistrés et vérifiés. Le référent IT du client clôturera le "
        "mois.",
    },
    "web.close.not_ready": {
        "en": "Check the reading of the export first.",
        "fr": "Vérifiez d’abord la lecture de l’export.",
    },
    "web.close.progress_title": {"en": "Computing the month", "fr": "Calcul du mois"},
    "web.close.waiting": {"en": "Waiting for the worker…", "fr": "En attente du calcul…"},
    "web.close.progress_help": {
        "en": "This usually takes a few seconds; the dashboard opens when it is done.",
        "fr": "Cela prend en général quelques secondes ; le tableau de bord s’ouvre à la fin.",
    },
    "web.close.failed": {
        "en": "The month could not be computed:",
        "fr": "Le mois n’a pas pu être calculé :",
    },
    "web.close.failed_internal": {
        "en": "An internal error stopped the computation; it was logged for the administrator.",
        "fr": "Une erreur interne a arrêté le calcul ; elle a été journalisée pour "
        "l’administrateur.",
    },
    # Dashboards.
    "web.dash.title": {"en": "Dashboard", "fr": "Tableau de bord"},
    "web.dash.open": {"en": "Open the dashboard", "fr": "Ouvrir le tableau de bord"},
    "web.dash.no_run": {
        "en": "No month has been closed for this contract yet.",
        "fr": "Aucun mois n’a encore été clôturé pour ce contrat.",
    },
    "web.dash.run_not_done": {
        "en": "This month's computation is not finished.",
        "fr": "Le calcul de ce mois n’est pas terminé.",
    },
    "web.dash.close_month": {"en": "Close a month", "fr": "Clôturer un mois"},
    "web.dash.upload_export": {"en": "Upload an export", "fr": "Déposer un export"},
    "web.dash.contract": {"en": "contract", "fr": "contrat"},
    "web.dash.month": {"en": "Month", "fr": "Mois"},
    "web.dash.reports": {"en": "Reports", "fr": "Rapports"},
    "web.dash.levels_met": {"en": "Service levels met", "fr": "Niveaux de service respectés"},
    "web.dash.due_month": {"en": "Penalties due this month", "fr": "Pénalités dues ce mois"},
    "web.dash.due_ytd": {"en": "Due since January", "fr": "Dues depuis janvier"},
    "web.dash.breaches": {"en": "Tickets out of target", "fr": "Tickets hors délai"},
    "web.dash.headroom_title": {
        "en": "How many more breaches the month can take",
        "fr": "Combien de dépassements le mois peut encore absorber",
    },
    "web.dash.headroom_help": {
        "en": "At the volume so far; each new ticket on time adds margin.",
        "fr": "Au volume constaté à ce jour ; chaque nouveau ticket dans les délais ajoute de la "
        "marge.",
    },
    "web.dash.hr_lost": {
        "en": "Lost for this month ({breached} breaches)",
        "fr": "Perdu pour ce mois ({breached} dépassements)",
    },
    "web.dash.hr_last": {
        "en": "One more breach and the month is lost",
        "fr": "Un dépassement de plus et le mois est perdu",
    },
    "web.dash.hr_more": {
        "en": "{count} more breach(es) can be absorbed",
        "fr": "{count} dépassement(s) encore possible(s)",
    },
    "web.dash.hr_none": {"en": "No objective", "fr": "Pas d’objectif"},
    "web.dash.hr_base": {
        "en": "{breached} out of {eligible} so far",
        "fr": "{breached} sur {eligible} à ce jour",
    },
    "web.dash.hr_objective": {"en": "objective {objective}", "fr": "objectif {objective}"},
    "web.dash.hr_allowed": {"en": "{count} tolerated", "fr": "{count} toléré(s)"},
    "web.dash.levels_title": {
        "en": "Service levels this month",
        "fr": "Niveaux de service du mois",
    },
    "web.dash.target": {"en": "Target", "fr": "Délai"},
    "web.dash.eligible": {"en": "Eligible", "fr": "Éligibles"},
    "web.dash.breached": {"en": "Out of target", "fr": "Hors délai"},
    "web.dash.trends_title": {"en": "The last twelve months", "fr": "Les douze derniers mois"},
    "web.dash.breaches_title": {"en": "Tickets out of target", "fr": "Tickets hors délai"},
    "web.dash.ticket": {"en": "Ticket", "fr": "Ticket"},
    "web.dash.created": {"en": "Created", "fr": "Créé le"},
    "web.dash.elapsed": {"en": "Counted", "fr": "Décompté"},
    "web.dash.over": {"en": "Over target", "fr": "Dépassement"},
    "web.dash.trace": {"en": "Trace", "fr": "Trace"},
    "web.dash.pause_unverifiable": {
        "en": "Pauses taken from the tool's total: not verifiable",
        "fr": "Pauses reprises du total de l’outil : non vérifiables",
    },
    "web.dash.waived": {"en": "waived", "fr": "exonéré"},
    "web.dash.no_breach": {
        "en": "No ticket out of target this month.",
        "fr": "Aucun ticket hors délai ce mois-ci.",
    },
    "web.dash.availability_title": {"en": "Availability", "fr": "Disponibilité"},
    "web.dash.objective_is": {"en": "objective {objective}", "fr": "objectif {objective}"},
    "web.dash.downtime": {
        "en": "Downtime counted {downtime}; maintenance excused {excused}.",
        "fr": "Indisponibilité décomptée {downtime} ; maintenance excusée {excused}.",
    },
    "web.dash.outage_kind": {"en": "Kind", "fr": "Nature"},
    "web.dash.outage.down": {"en": "Outage", "fr": "Panne"},
    "web.dash.outage.maintenance": {"en": "Maintenance", "fr": "Maintenance"},
    "web.dash.start": {"en": "Start", "fr": "Début"},
    "web.dash.end": {"en": "End", "fr": "Fin"},
    "web.dash.counted": {"en": "Counted", "fr": "Décompté"},
    "web.dash.excused_q": {"en": "Excused", "fr": "Excusée"},
    "web.dash.yes": {"en": "yes", "fr": "oui"},
    "web.dash.no": {"en": "no", "fr": "non"},
    "web.dash.reason.late_notice": {"en": "announced too late", "fr": "annoncée trop tard"},
    "web.dash.reason.over_allowance": {"en": "over the allowance", "fr": "au-delà du forfait"},
    "web.dash.reason.business_hours": {
        "en": "during business hours",
        "fr": "pendant les heures ouvrées",
    },
    "web.dash.reason.not_announced": {"en": "not announced", "fr": "non annoncée"},
    "web.dash.penalties_title": {"en": "Penalties", "fr": "Pénalités"},
    "web.dash.statement": {"en": "Statement for {period}", "fr": "Décompte de {period}"},
    "web.dash.grace": {
        "en": "Grace period: nothing is due this month.",
        "fr": "Période de grâce : rien n’est dû ce mois-ci.",
    },
    "web.dash.formula": {"en": "Formula", "fr": "Formule"},
    "web.dash.formula.per_breach": {"en": "per breach", "fr": "par dépassement"},
    "web.dash.formula.per_point_below": {
        "en": "per point below",
        "fr": "par point sous l’objectif",
    },
    "web.dash.formula.bands": {"en": "bands", "fr": "paliers"},
    "web.dash.formula.band": {"en": "bands", "fr": "paliers"},
    "web.dash.gross": {"en": "Before caps", "fr": "Avant plafonds"},
    "web.dash.amount": {"en": "Due", "fr": "Dû"},
    "web.dash.capped_total": {"en": "Total due", "fr": "Total dû"},
    "web.dash.monthly_cap": {"en": "(monthly cap {cap})", "fr": "(plafond mensuel {cap})"},
    "web.dash.no_penalty": {"en": "No penalty this month.", "fr": "Aucune pénalité ce mois-ci."},
    "web.dash.claim_by": {
        "en": "To be claimed by {date}.",
        "fr": "À réclamer au plus tard le {date}.",
    },
    "web.dash.ytd_title": {"en": "Year to date", "fr": "Depuis le début de l’année"},
    "web.dash.ytd_total": {"en": "due since January", "fr": "dus depuis janvier"},
    "web.dash.credited": {"en": "{amount} already credited", "fr": "{amount} déjà crédités"},
    "web.dash.reconciliation_title": {
        "en": "The provider's figures against Pilotage's",
        "fr": "Les chiffres du prestataire face à ceux de Pilotage",
    },
    "web.dash.provider_states": {"en": "Provider states", "fr": "Le prestataire annonce"},
    "web.dash.pilotage_computes": {"en": "Pilotage computes", "fr": "Pilotage calcule"},
    "web.dash.gap": {"en": "Gap", "fr": "Écart"},
    "web.dash.cause": {"en": "Cause", "fr": "Cause"},
    "web.dash.not_stated": {"en": "not stated", "fr": "non indiqué"},
    "web.dash.cause.calendar": {"en": "calendar", "fr": "calendrier"},
    "web.dash.cause.holiday": {"en": "public holiday", "fr": "jour férié"},
    "web.dash.cause.pause": {"en": "pauses", "fr": "pauses"},
    "web.dash.cause.priority": {"en": "priority", "fr": "priorité"},
    "web.dash.cause.clock_start": {"en": "clock start", "fr": "début du décompte"},
    "web.dash.cause.reclassified": {"en": "reclassified", "fr": "reclassement"},
    "web.dash.cause.missing_provider": {
        "en": "missing from the provider's count",
        "fr": "absents du décompte du prestataire",
    },
    "web.dash.cause.missing_pilotage": {
        "en": "missing from the export",
        "fr": "absents de l’export",
    },
    "web.dash.cause.merged": {"en": "merged tickets", "fr": "tickets fusionnés"},
    "web.dash.cause.cancelled": {"en": "cancelled tickets", "fr": "tickets annulés"},
    "web.dash.cause.waiver": {"en": "waiver", "fr": "exonération"},
    "web.dash.cause.unexplained": {"en": "unexplained", "fr": "inexpliqué"},
    # Ticket trace.
    "web.trace.title": {"en": "Trace of {ticket}", "fr": "Trace de {ticket}"},
    "web.trace.zone": {"en": "times in {timezone}", "fr": "heures en {timezone}"},
    "web.trace.counted": {"en": "Business time counted", "fr": "Temps ouvré décompté"},
    "web.trace.paused": {"en": "Paused", "fr": "En pause"},
    "web.trace.unverifiable": {
        "en": "The pauses of this ticket come from the tool's total, not from a status history: "
        "they cannot be checked.",
        "fr": "Les pauses de ce ticket viennent du total de l’outil, pas d’un historique des "
        "statuts : elles ne peuvent pas être vérifiées.",
    },
    "web.trace.waived": {
        "en": "This breach was waived in committee.",
        "fr": "Ce dépassement a été exonéré en comité.",
    },
    "web.trace.timeline": {"en": "Timeline", "fr": "Chronologie"},
    "web.trace.status.open": {"en": "Clock running", "fr": "Décompte en cours"},
    "web.trace.status.paused": {"en": "Paused", "fr": "En pause"},
    "web.trace.status.resolved": {"en": "Resolved", "fr": "Résolu"},
    "web.trace.created": {"en": "Created {when}", "fr": "Créé le {when}"},
    "web.trace.stopped": {"en": "clock stopped {when}", "fr": "décompte arrêté le {when}"},
    "web.trace.still_open": {"en": "still open", "fr": "toujours ouvert"},
    "web.trace.state": {"en": "State", "fr": "État"},
    "web.trace.reason": {"en": "Pause reason", "fr": "Motif de pause"},
    "web.trace.business_time": {"en": "Business time counted", "fr": "Temps ouvré décompté"},
    "web.trace.total": {"en": "Total counted", "fr": "Total décompté"},
    "web.trace.not_found": {
        "en": "This ticket is not among the month's breaches.",
        "fr": "Ce ticket ne figure pas parmi les dépassements du mois.",
    },
    # Reports.
    "web.report.title": {"en": "Monthly reports", "fr": "Rapports mensuels"},
    "web.report.any_month": {"en": "Any month", "fr": "N’importe quel mois"},
    "web.report.any_month_help": {
        "en": "A month without its own closing is reported from the latest closing.",
        "fr": "Un mois sans clôture propre est rapporté à partir de la dernière clôture.",
    },
    "web.report.format": {"en": "Format", "fr": "Format"},
    "web.report.download": {"en": "Download", "fr": "Télécharger"},
    "web.report.downloads": {"en": "Downloads", "fr": "Téléchargements"},
    "web.report.closed_months": {"en": "Closed months", "fr": "Mois clôturés"},
    "web.report.archive": {"en": "Archive", "fr": "Archive"},
    "web.report.archive_empty": {
        "en": "No report has been produced yet.",
        "fr": "Aucun rapport n’a encore été produit.",
    },
    "web.report.made": {"en": "Produced", "fr": "Produit le"},
    "web.report.not_available": {
        "en": "No closing covers {period}: no {format} report can be produced for it.",
        "fr": "Aucune clôture ne couvre {period} : aucun rapport {format} ne peut être produit.",
    },
    "web.report.schedule_title": {"en": "Sending the report", "fr": "Envoi du rapport"},
    "web.report.schedule_help": {
        "en": "On the contract's reporting day, the last month's report (PDF) is archived and "
        "emailed to these addresses.",
        "fr": "Le jour de remise prévu au contrat, le rapport du mois écoulé (PDF) est archivé "
        "et envoyé à ces adresses.",
    },
    "web.report.schedule_on": {
        "en": "Sent on the reporting day to {count} recipient(s).",
        "fr": "Envoyé le jour de remise à {count} destinataire(s).",
    },
    "web.report.schedule_off": {"en": "Not sent automatically.", "fr": "Pas d’envoi automatique."},
    "web.report.schedule_edit": {"en": "Choose the recipients", "fr": "Choisir les destinataires"},
    "web.report.recipients": {"en": "Recipients", "fr": "Destinataires"},
    "web.report.recipients_help": {
        "en": "One address per line.",
        "fr": "Une adresse par ligne.",
    },
    "web.report.language": {"en": "Language of the report", "fr": "Langue du rapport"},
    "web.report.enabled": {"en": "Send automatically", "fr": "Envoyer automatiquement"},
    "web.report.schedule_saved": {
        "en": "Saved: {count} recipient(s).",
        "fr": "Enregistré : {count} destinataire(s).",
    },
    "web.report.email_subject": {
        "en": "{contract}: monthly report, {period}",
        "fr": "{contract} : rapport mensuel, {period}",
    },
    "web.report.email_body": {
        "en": "Hello,\n\nThe monthly report of {contract} for {period} is attached.\n"
        "Dashboard: {link}\n\nPilotage",
        "fr": "Bonjour,\n\nVous trouverez ci-joint le rapport mensuel de {contract} pour "
        "{period}.\nTableau de bord : {link}\n\nPilotage",
    },
}
i18n.register(MESSAGES)
