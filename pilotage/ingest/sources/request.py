"""The printable "data we need from you" page: what a provider must export
every month, generated from the source's preset so that it names the
tool's own columns, statuses and values.

:func:`request_page` returns the page as HTML; :func:`write_request_page`
writes it as ``.html`` or, through WeasyPrint, ``.pdf``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import jinja2

from pilotage import i18n
from pilotage.errors import ImportDataError
from pilotage.ingest.mapping import Mapping, load_mapping

__all__ = ["FIELD_ORDER", "TOOLS", "RequestOptions", "request_page", "write_request_page"]

FIELD_ORDER: Final = (
    "id",
    "kind",
    "priority",
    "status",
    "created_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "category",
    "service",
    "site",
    "title",
    "requester",
    "parent_id",
    "waiting_seconds",
    "provider_sla_met",
    "provider_response_met",
    "provider_resolution_met",
    "activity",
    "at",
)
TOOLS: Final = {
    "glpi": "GLPI",
    "itop": "iTop",
    "zammad": "Zammad",
    "jira-sm": "Jira Service Management",
    "servicenow": "ServiceNow",
    "servicenow-audit": "ServiceNow",
}
"""Display names of the tools the presets read."""
_REQUIRED: Final = {"tickets": ("id", "kind", "priority", "created_at"), "activities": ()}
_DATE_EXAMPLE: Final = {
    "iso": "2026-01-15 09:30:00",
    "dmy": "15/01/2026 09:30",
    "dmy_dash": "15-01-2026 09:30",
    "ymd_slash": "2026/01/15 09:30:00.000",
    "auto": "2026-01-15 09:30:00 / 15-01-2026 09:30",
}
_SPECIFIC: Final = {
    "glpi": ("request.glpi.export", "request.glpi.history", "request.glpi.api"),
    "itop": ("request.itop.export", "request.itop.history", "request.itop.api"),
    "zammad": ("request.zammad.export", "request.zammad.history"),
    "jira-sm": ("request.jira.export", "request.jira.sla"),
    "servicenow": ("request.servicenow.export", "request.servicenow.history"),
}

i18n.register(
    {
        "request.title": {
            "en": "Data we need from you every month ({source})",
            "fr": "Données à nous transmettre chaque mois ({source})",
        },
        "request.intro": {
            "en": "To follow the service levels of our contract, we recompute them from your "
            "tool's own records. Please send the exports below every month; they are read "
            "automatically, so their form matters.",
            "fr": "Pour suivre les niveaux de service de notre contrat, nous les recalculons à "
            "partir des données de votre outil. Merci de nous transmettre chaque mois les "
            "exports ci-dessous ; ils sont lus automatiquement, leur forme compte donc.",
        },
        "request.what": {"en": "1. The export", "fr": "1. L’export"},
        "request.columns": {"en": "2. The columns", "fr": "2. Les colonnes"},
        "request.columns_intro": {
            "en": "Keep the column headers as your tool writes them; extra columns are ignored. "
            "Do not include ticket descriptions.",
            "fr": "Gardez les en-têtes de colonnes tels que votre outil les écrit ; les colonnes "
            "en plus sont ignorées. N’incluez pas la description des tickets.",
        },
        "request.col_field": {"en": "Used for", "fr": "Sert à"},
        "request.col_column": {"en": "Column (any of)", "fr": "Colonne (l’une de)"},
        "request.col_required": {"en": "Required", "fr": "Obligatoire"},
        "request.yes": {"en": "yes", "fr": "oui"},
        "request.values": {"en": "3. The values we read", "fr": "3. Les valeurs lues"},
        "request.values_intro": {
            "en": "A value not listed here stops the import until we add it: tell us when you "
            "rename or add a status, priority or type.",
            "fr": "Une valeur absente de cette liste bloque l’import jusqu’à ce que nous "
            "l’ajoutions : prévenez-nous quand vous renommez ou ajoutez un statut, une "
            "priorité ou un type.",
        },
        "request.statuses": {"en": "Statuses", "fr": "Statuts"},
        "request.values_of": {"en": "Values of {field}", "fr": "Valeurs de {field}"},
        "request.dates": {"en": "4. Dates and timezone", "fr": "4. Dates et fuseau horaire"},
        "request.dates_text": {
            "en": "Write dates as {example}. State once, in writing, the timezone in which "
            "they are written (for example Europe/Paris, with daylight saving time) and tell "
            "us if it changes: we never guess it.",
            "fr": "Écrivez les dates sous la forme {example}. Indiquez une fois par écrit le "
            "fuseau horaire dans lequel elles sont écrites (par exemple Europe/Paris, avec "
            "l’heure d’été) et prévenez-nous s’il change : nous ne le devinons jamais.",
        },
        "request.timezone_known": {
            "en": "Timezone stated so far: {timezone}.",
            "fr": "Fuseau indiqué à ce jour : {timezone}.",
        },
        "request.delivery": {"en": "5. Delivery", "fr": "5. Livraison"},
        "request.delivery_text": {
            "en": "Send the files for the previous month by the {day} business day of each "
            "month. Each export covers every ticket created or modified during the month "
            "(overlapping exports are fine: the latest extraction of a ticket wins).",
            "fr": "Envoyez les fichiers du mois précédent au plus tard le {day} jour ouvré de "
            "chaque mois. Chaque export couvre tous les tickets créés ou modifiés dans le "
            "mois (des exports qui se chevauchent conviennent : la dernière extraction d’un "
            "ticket l’emporte).",
        },
        "request.privacy": {
            "en": "Requester names, if present, are replaced by keyed pseudonyms on receipt; "
            "descriptions are never read.",
            "fr": "Les noms des demandeurs, s’ils figurent, sont remplacés dès réception par "
            "des pseudonymes à clé ; les descriptions ne sont jamais lues.",
        },
        "request.history_heading": {
            "en": "The status history",
            "fr": "L’historique des statuts",
        },
        "request.api_heading": {
            "en": "A read-only API account",
            "fr": "Un compte d’API en lecture seule",
        },
        "request.generic.export": {
            "en": "An export with {layout_text}, as CSV (UTF-8 or Windows-1252, ';' or ',') "
            "or XLSX.",
            "fr": "Un export avec {layout_text}, en CSV (UTF-8 ou Windows-1252, « ; » ou "
            "« , ») ou XLSX.",
        },
        "request.layout.tickets": {"en": "one row per ticket", "fr": "une ligne par ticket"},
        "request.layout.activities": {
            "en": "one row per status change or activity of a ticket",
            "fr": "une ligne par changement de statut ou activité d’un ticket",
        },
        "request.glpi.export": {
            "en": "The ticket list of GLPI (Assistance > Tickets, all tickets of the month, "
            "export CSV or XLSX) with the columns below displayed.",
            "fr": "La liste des tickets de GLPI (Assistance > Tickets, tous les tickets du "
            "mois, export CSV ou XLSX) avec les colonnes ci-dessous affichées.",
        },
        "request.glpi.history": {
            "en": "The list export has no status history: pauses can only be checked with "
            "the history of each ticket (Historical tab; through the API: Ticket/:id/Log, "
            "rows whose search option is 12, the status). Without it, GLPI's own waiting "
            "time is used and marked \u201cpause not verifiable\u201d.",
            "fr": "L’export de liste n’a pas l’historique des statuts : les pauses ne se "
            "vérifient qu’avec l’historique de chaque ticket (onglet Historique ; par l’API : "
            "Ticket/:id/Log, lignes d’option de recherche 12, le statut). Sans lui, le délai "
            "d’attente calculé par GLPI est utilisé et marqué « pause non vérifiable ».",
        },
        "request.glpi.api": {
            "en": "Preferred: a GLPI user for us with a read-only profile on tickets (see "
            "all tickets of the entities of the contract, read the ticket history), its "
            "remote-access key (user_token) and an API client with its App-Token (Setup > "
            "General > API), allowed from our address. We call initSession, Ticket "
            "(paginated, sorted by last update) and Ticket/:id/Log, then killSession.",
            "fr": "De préférence : un utilisateur GLPI pour nous, avec un profil en lecture "
            "seule sur les tickets (voir tous les tickets des entités du contrat, lire "
            "l’historique des tickets), sa clé d’accès distant (user_token) et un client "
            "d’API avec son App-Token (Configuration > Générale > API), autorisé depuis "
            "notre adresse. Nous appelons initSession, Ticket (paginé, trié par dernière "
            "modification) et Ticket/:id/Log, puis killSession.",
        },
        "request.itop.export": {
            "en": "The UserRequest export of iTop as CSV with attribute codes and raw values "
            "(no_localize=1), with the columns below.",
            "fr": "L’export des UserRequest d’iTop en CSV avec les codes d’attributs et les "
            "valeurs brutes (no_localize=1), avec les colonnes ci-dessous.",
        },
        "request.itop.history": {
            "en": "The status history is in CMDBChangeOpSetAttributeScalar (attcode status): "
            "without it, iTop's cumulated pending time is used and marked \u201cpause not "
            "verifiable\u201d.",
            "fr": "L’historique des statuts est dans CMDBChangeOpSetAttributeScalar (attcode "
            "status) : sans lui, le temps d’attente cumulé d’iTop est utilisé et marqué "
            "« pause non vérifiable ».",
        },
        "request.itop.api": {
            "en": "Preferred: an iTop account with the \u201cREST Services User\u201d profile "
            "and read-only rights on UserRequest and its history, for webservices/rest.php "
            "(core/get only).",
            "fr": "De préférence : un compte iTop avec le profil « REST Services User » et des "
            "droits en lecture seule sur UserRequest et son historique, pour "
            "webservices/rest.php (core/get uniquement).",
        },
        "request.zammad.export": {
            "en": "The ticket report of Zammad (Reporting, XLSX) for the month.",
            "fr": "Le rapport des tickets de Zammad (Reporting, XLSX) pour le mois.",
        },
        "request.zammad.history": {
            "en": "The history of each ticket of the month (API: ticket_history/:id), as JSON "
            "files named after the ticket number.",
            "fr": "L’historique de chaque ticket du mois (API : ticket_history/:id), en "
            "fichiers JSON nommés d’après le numéro du ticket.",
        },
        "request.jira.export": {
            "en": "The issues of the service project as CSV (all fields), with dates written "
            "as shown below.",
            "fr": "Les tickets du projet de service en CSV (tous les champs), avec les dates "
            "écrites comme indiqué plus bas.",
        },
        "request.jira.sla": {
            "en": "The SLA of each issue (REST API: servicedeskapi/request/{{key}}/sla) as JSON, "
            "so that your own verdicts can be compared with ours.",
            "fr": "Les SLA de chaque ticket (API REST : servicedeskapi/request/{{key}}/sla) en "
            "JSON, pour comparer vos propres verdicts aux nôtres.",
        },
        "request.servicenow.export": {
            "en": "The incident list as CSV with the columns below.",
            "fr": "La liste des incidents en CSV avec les colonnes ci-dessous.",
        },
        "request.servicenow.history": {
            "en": "The incident audit export (one row per update of incident_state) gives "
            "the pauses; see the servicenow-audit form.",
            "fr": "L’export d’audit des incidents (une ligne par mise à jour de "
            "incident_state) donne les pauses ; voir la forme servicenow-audit.",
        },
        "request.field.id": {"en": "ticket number", "fr": "numéro du ticket"},
        "request.field.kind": {"en": "type (incident, request)", "fr": "type (incident, demande)"},
        "request.field.priority": {"en": "priority", "fr": "priorité"},
        "request.field.status": {"en": "status", "fr": "statut"},
        "request.field.created_at": {"en": "opening date", "fr": "date d’ouverture"},
        "request.field.first_response_at": {
            "en": "first response / take into account",
            "fr": "première réponse / prise en compte",
        },
        "request.field.resolved_at": {"en": "resolution date", "fr": "date de résolution"},
        "request.field.closed_at": {"en": "closing date", "fr": "date de clôture"},
        "request.field.category": {"en": "category", "fr": "catégorie"},
        "request.field.service": {"en": "service", "fr": "service"},
        "request.field.site": {"en": "site", "fr": "site"},
        "request.field.title": {"en": "title", "fr": "titre"},
        "request.field.requester": {
            "en": "requester (pseudonymized)",
            "fr": "demandeur (pseudonymisé)",
        },
        "request.field.parent_id": {"en": "parent ticket", "fr": "ticket parent"},
        "request.field.waiting_seconds": {
            "en": "your total waiting time",
            "fr": "votre temps d’attente total",
        },
        "request.field.provider_sla_met": {"en": "your SLA verdict", "fr": "votre verdict SLA"},
        "request.field.provider_response_met": {
            "en": "your response-time verdict",
            "fr": "votre verdict de délai de prise en charge",
        },
        "request.field.provider_resolution_met": {
            "en": "your resolution-time verdict",
            "fr": "votre verdict de délai de résolution",
        },
        "request.field.activity": {"en": "activity or status", "fr": "activité ou statut"},
        "request.field.at": {"en": "date of the activity", "fr": "date de l’activité"},
        "request.bad_output": {
            "en": "the output must end in .html or .pdf",
            "fr": "le fichier de sortie doit finir par .html ou .pdf",
        },
    }
)

_TEMPLATE = jinja2.Environment(autoescape=True).from_string(
    """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; color: #1d2733; }
h1 { font-size: 16pt; color: #123c69; margin-bottom: 4pt; }
h2 { font-size: 12pt; color: #123c69; border-bottom: 1px solid #c9d3df; margin-top: 14pt; }
h3 { font-size: 10.5pt; margin: 8pt 0 2pt; }
table { border-collapse: collapse; width: 100%; margin-top: 4pt; }
th, td { border: 1px solid #c9d3df; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eef2f7; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; }
.note { color: #4a5868; }
</style></head><body>
<h1>{{ title }}</h1>
<p>{{ intro }}</p>
<h2>{{ t.what }}</h2>
{% for paragraph in export %}<p>{{ paragraph }}</p>{% endfor %}
{% if history %}<h3>{{ t.history_heading }}</h3><p>{{ history }}</p>{% endif %}
{% if api %}<h3>{{ t.api_heading }}</h3><p>{{ api }}</p>{% endif %}
<h2>{{ t.columns }}</h2>
<p>{{ t.columns_intro }}</p>
<table><tr><th>{{ t.col_field }}</th><th>{{ t.col_column }}</th><th>{{ t.col_required }}</th></tr>
{% for row in columns %}<tr><td>{{ row.label }}</td>
<td>{{ row.columns }}</td><td>{{ row.required }}</td></tr>
{% endfor %}</table>
{% if values %}<h2>{{ t['values'] }}</h2><p>{{ t.values_intro }}</p>
{% for group in values %}<h3>{{ group.label }}</h3><p>{{ group.entries }}</p>
{% endfor %}{% endif %}
<h2>{{ t.dates }}</h2><p>{{ dates }}</p>{% if timezone %}<p>{{ timezone }}</p>{% endif %}
<h2>{{ t.delivery }}</h2><p>{{ delivery }}</p>
<p class="note">{{ t.privacy }}</p>
</body></html>
"""
)


@dataclass(frozen=True)
class RequestOptions:
    """What the page states beyond the preset: the delivery day (business
    day of the month) and a display name for the tool."""

    delivery_day: int = 5
    tool: str | None = None


def _ordinal(day: int, lang: str) -> str:
    if lang == "fr":
        return "1er" if day == 1 else f"{day}e"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(day % 10 if day % 100 not in (11, 12, 13) else 0)
    return f"{day}{suffix or 'th'}"


def request_page(source: str, lang: str, options: RequestOptions | None = None) -> str:
    """The page for ``source`` (a preset name or mapping file) in ``lang``, as HTML."""
    options = options or RequestOptions()
    mapping: Mapping = load_mapping(source)
    key = mapping.name
    texts = {
        name: i18n.t(f"request.{name}", lang)
        for name in (
            "what",
            "columns",
            "columns_intro",
            "col_field",
            "col_column",
            "col_required",
            "values",
            "values_intro",
            "dates",
            "delivery",
            "privacy",
            "history_heading",
            "api_heading",
        )
    }
    specific = _SPECIFIC.get(key, ())
    layout_text = i18n.t(f"request.layout.{mapping.layout}", lang)
    export = [
        i18n.t(specific[0], lang)
        if specific
        else i18n.t("request.generic.export", lang, layout_text=layout_text)
    ]
    required = set(_REQUIRED[mapping.layout]) | (
        {"id", "activity", "at"} if mapping.layout == "activities" else set()
    )
    yes = i18n.t("request.yes", lang)
    columns = [
        {
            "label": i18n.t(f"request.field.{name}", lang),
            "columns": " | ".join(mapping.columns[name]),
            "required": yes if name in required and name not in mapping.defaults else "",
        }
        for name in FIELD_ORDER
        if name in mapping.columns
    ]
    values = []
    if mapping.statuses:
        values.append(
            {"label": i18n.t("request.statuses", lang), "entries": _known(mapping, "statuses")}
        )
    for name in ("kind", "priority"):
        if name in mapping.values:
            label = i18n.t("request.values_of", lang, field=i18n.t(f"request.field.{name}", lang))
            values.append({"label": label, "entries": _known(mapping, name)})
    return _TEMPLATE.render(
        lang=lang,
        title=i18n.t("request.title", lang, source=options.tool or TOOLS.get(key, key)),
        intro=i18n.t("request.intro", lang),
        t=texts,
        export=export,
        history=i18n.t(specific[1], lang) if len(specific) > 1 else "",
        api=i18n.t(specific[2], lang) if len(specific) > 2 else "",
        columns=columns,
        values=values,
        dates=i18n.t(
            "request.dates_text", lang, example=_DATE_EXAMPLE.get(mapping.date_format, "")
        ),
        timezone=(
            i18n.t("request.timezone_known", lang, timezone=mapping.timezone)
            if mapping.timezone
            else ""
        ),
        delivery=i18n.t("request.delivery_text", lang, day=_ordinal(options.delivery_day, lang)),
    )


def _known(mapping: Mapping, what: str) -> str:
    """The source values a mapping knows (matched ignoring case)."""
    keys = mapping.statuses if what == "statuses" else mapping.values[what]
    return " | ".join(sorted(keys))


def write_request_page(
    source: str, lang: str, out: str | Path, options: RequestOptions | None = None
) -> Path:
    """Write the page as ``.html`` or ``.pdf`` (WeasyPrint)."""
    path = Path(out)
    html = request_page(source, lang, options)
    suffix = path.suffix.lower()
    if suffix == ".html":
        path.write_text(html, encoding="utf-8")
    elif suffix == ".pdf":
        import weasyprint

        weasyprint.HTML(string=html).write_pdf(path)
    else:
        raise ImportDataError("request.bad_output", {}, None)
    return path
