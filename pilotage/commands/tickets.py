"""``pilotage tickets``: ``inspect`` reads a provider's ticket export, shows
what was read and left aside (and, with ``--columns``, how each column was
understood), checks the timezone and writes the canonical CSV files; ``diff``
lists what changed between two extractions; ``request`` writes the page
telling the provider which data to send."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from pilotage import i18n
from pilotage.errors import ImportDataError, Location
from pilotage.ingest.canonical import write_events_csv, write_tickets_csv
from pilotage.ingest.changes import changelog_json, diff_extractions, render_changelog
from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.live import GlpiClient, ItopClient, LiveResult
from pilotage.ingest.mapping import Mapping, load_mapping
from pilotage.ingest.sources import (
    ImportResult,
    read_source,
    source_names,
    suggest_presets,
)
from pilotage.ingest.sources.columns import (
    canonical_mapping,
    columns_json,
    describe_columns,
    render_columns,
)
from pilotage.ingest.sources.provider import (
    JSON_SOURCES,
    read_json_source,
    read_provider_export,
)
from pilotage.ingest.sources.request import RequestOptions, write_request_page
from pilotage.ingest.summary import OPENING_HOURS, Summary, summarize
from pilotage.tables import MISSING
from pilotage.timeutil import check_timezone

__all__ = ["register"]

KEY_ENV = "PILOTAGE_PSEUDONYM_KEY"
CREDENTIALS = {
    "glpi": ("PILOTAGE_GLPI_APP_TOKEN", "PILOTAGE_GLPI_USER_TOKEN"),
    "itop": ("PILOTAGE_ITOP_USER", "PILOTAGE_ITOP_PASSWORD"),
}
"""Environment variables holding the live APIs' credentials (never options:
command lines are visible to other users of the machine)."""

i18n.register(
    {
        "tickets.read": {
            "en": "Read {tickets} ticket(s) and {events} status event(s) from {rows} row(s) "
            "(source: {source}; files: {files}).",
            "fr": "{tickets} ticket(s) et {events} événement(s) de statut lus sur {rows} "
            "ligne(s) (source : {source} ; fichiers : {files}).",
        },
        "tickets.range": {
            "en": "Created from {first} to {last} ({timezone}).",
            "fr": "Créés du {first} au {last} ({timezone}).",
        },
        "tickets.by_kind": {"en": "By kind: {counts}", "fr": "Par type : {counts}"},
        "tickets.by_priority": {"en": "By priority: {counts}", "fr": "Par priorité : {counts}"},
        "tickets.by_state": {"en": "By state: {counts}", "fr": "Par état : {counts}"},
        "tickets.pauses": {
            "en": "Pauses: {history} ticket(s) with a status history; {waiting} with only the "
            "source's pause total (pause not verifiable); {neither} with neither.",
            "fr": "Pauses : {history} ticket(s) avec un historique des statuts ; {waiting} avec "
            "seulement le total d’attente de la source (pause non vérifiable) ; {neither} sans "
            "l’un ni l’autre.",
        },
        "tickets.verdict": {
            "en": "Provider verdict {name}: met {met}, missed {missed}, unknown {unknown}.",
            "fr": "Verdict du prestataire {name} : respecté {met}, non respecté {missed}, "
            "inconnu {unknown}.",
        },
        "tickets.ignored_columns": {
            "en": "Columns ignored (not used by the mapping): {names}",
            "fr": "Colonnes ignorées (non utilisées par la correspondance) : {names}",
        },
        "tickets.ignored_rows": {
            "en": "Rows left aside: {items}",
            "fr": "Lignes écartées : {items}",
        },
        "tickets.ignored_values": {
            "en": "Values left aside: {items}",
            "fr": "Valeurs écartées : {items}",
        },
        "tickets.tz_ok": {
            "en": "Timezone check: {share} of creations fall Monday to Friday between "
            "{start}:00 and {end}:00 in {timezone}: plausible.",
            "fr": "Contrôle du fuseau : {share} des créations ont lieu du lundi au vendredi "
            "entre {start} h et {end} h ({timezone}) : plausible.",
        },
        "tickets.tz_shifted": {
            "en": "WARNING: only {share} of creations fall Monday to Friday between {start}:00 "
            "and {end}:00 in {timezone}; shifted by {shift} h they would be {best}. The times "
            "look shifted: check the source's timezone (--timezone).",
            "fr": "ATTENTION : seulement {share} des créations ont lieu du lundi au vendredi "
            "entre {start} h et {end} h ({timezone}) ; décalées de {shift} h, elles seraient "
            "{best}. Les heures semblent décalées : vérifiez le fuseau de la source "
            "(--timezone).",
        },
        "tickets.tz_unknown": {
            "en": "Timezone check skipped: state the timezone of the provider's opening hours "
            "with --timezone.",
            "fr": "Contrôle du fuseau non effectué : indiquez le fuseau des heures d’ouverture "
            "avec --timezone.",
        },
        "tickets.wrote": {"en": "Wrote {path}.", "fr": "Fichier écrit : {path}."},
        "tickets.no_events_source": {
            "en": "--events is only for --source canonical",
            "fr": "--events ne s’utilise qu’avec --source canonical",
        },
        "tickets.looks_like": {
            "en": "this is not a canonical tickets.csv but looks like an export that a preset "
            "reads: try --source {presets}",
            "fr": "ce n’est pas un tickets.csv canonique, mais un export qu’un préréglage sait "
            "lire : essayez --source {presets}",
        },
        "tickets.no_extra_source": {
            "en": "this option needs an export read through a preset or a mapping (not {source})",
            "fr": "cette option demande un export lu par un préréglage ou une correspondance "
            "(pas {source})",
        },
        "tickets.no_credentials": {
            "en": "set the environment variables {names} to read the {api} API",
            "fr": "définissez les variables d’environnement {names} pour lire l’API {api}",
        },
        "tickets.cursor": {
            "en": "Next incremental read from {cursor} (saved in {path}).",
            "fr": "Prochaine lecture incrémentale à partir de {cursor} (enregistré dans {path}).",
        },
        "tickets.bad_timezone": {
            "en": "unknown timezone {timezone}: expected an IANA name such as Europe/Paris",
            "fr": "fuseau horaire inconnu {timezone} : un nom IANA comme Europe/Paris est attendu",
        },
    }
)


def register(subparsers: Any) -> None:
    """Add ``tickets inspect``."""
    parser = subparsers.add_parser("tickets", help="read and check ticket exports")
    sub = parser.add_subparsers(dest="tickets_command", required=True, metavar="ACTION")
    inspect = sub.add_parser(
        "inspect",
        help="read an export, show what was read and ignored, write canonical CSV files",
    )
    inspect.add_argument("files", nargs="+", type=Path, metavar="FILE")
    inspect.add_argument(
        "--source",
        default="canonical",
        choices=_sources(),
        metavar="SOURCE",
        help=f"canonical (default) or a preset: {', '.join(_sources()[1:])}",
    )
    inspect.add_argument(
        "--mapping", metavar="FILE", help="a mapping file (YAML/JSON); overrides --source"
    )
    inspect.add_argument(
        "--timezone", metavar="TZ", help="the source's timezone for naive times, e.g. Europe/Paris"
    )
    inspect.add_argument(
        "--events", type=Path, metavar="FILE", help="events.csv (with --source canonical)"
    )
    inspect.add_argument(
        "--export", type=Path, metavar="FILE", help="write the canonical tickets.csv here"
    )
    inspect.add_argument(
        "--events-export", type=Path, metavar="FILE", help="write the canonical events.csv here"
    )
    inspect.add_argument(
        "--pseudonym-key-file",
        type=Path,
        metavar="FILE",
        help=f"key of the requester pseudonyms (default: ${KEY_ENV}; none: names are dropped)",
    )
    inspect.add_argument(
        "--history",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="ticket histories saved from the API (Zammad ticket_history JSON)",
    )
    inspect.add_argument(
        "--sla",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="SLA answers saved from the API (Jira Service Management request/{key}/sla JSON)",
    )
    inspect.add_argument(
        "--columns",
        action="store_true",
        help="also show how each column was understood (field, samples, unknown values)",
    )
    inspect.add_argument("--format", choices=("text", "json"), default="text")
    inspect.set_defaults(func=run_inspect)

    diff = sub.add_parser("diff", help="what changed between two extractions of the same tool")
    diff.add_argument("old", type=Path, metavar="OLD")
    diff.add_argument("new", type=Path, metavar="NEW")
    diff.add_argument(
        "--source", default="canonical", choices=_sources(), metavar="SOURCE", help="as inspect"
    )
    diff.add_argument("--mapping", metavar="FILE", help="a mapping file; overrides --source")
    diff.add_argument("--timezone", metavar="TZ", help="the source's timezone for naive times")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.set_defaults(func=run_diff, pseudonym_key_file=None)

    fetch = sub.add_parser("fetch", help="read tickets and status history from a GLPI or iTop API")
    fetch.add_argument("--api", required=True, choices=tuple(CREDENTIALS))
    fetch.add_argument(
        "--url", required=True, help="address of apirest.php (GLPI) or rest.php (iTop)"
    )
    fetch.add_argument("--timezone", metavar="TZ", help="the server's timezone, e.g. Europe/Paris")
    fetch.add_argument(
        "--cursor-file",
        type=Path,
        metavar="FILE",
        help="read only what changed since the cursor saved here, then save the new one",
    )
    fetch.add_argument("--no-history", action="store_true", help="skip the status histories")
    fetch.add_argument("--export", type=Path, metavar="FILE", help="write tickets.csv here")
    fetch.add_argument("--events-export", type=Path, metavar="FILE", help="write events.csv here")
    fetch.add_argument("--pseudonym-key-file", type=Path, metavar="FILE")
    fetch.set_defaults(func=run_fetch)

    request = sub.add_parser(
        "request", help="write the page telling the provider which data to send (HTML or PDF)"
    )
    request.add_argument("--source", required=True, choices=source_names()[1:], metavar="SOURCE")
    request.add_argument("--out", type=Path, required=True, metavar="FILE.html|FILE.pdf")
    request.add_argument(
        "--delivery-day",
        type=int,
        default=5,
        metavar="N",
        help="business day of the month by which the files are due (default 5)",
    )
    request.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=argparse.SUPPRESS,
        help="language of the page (also accepted before the command)",
    )
    request.set_defaults(func=run_request)


def _sources() -> list[str]:
    return [*source_names(), *JSON_SOURCES]


def _key(args: argparse.Namespace) -> bytes | None:
    if args.pseudonym_key_file is not None:
        return bytes(args.pseudonym_key_file.read_bytes().strip())
    value = os.environ.get(KEY_ENV)
    return value.encode("utf-8") if value else None


def _when(seconds: int, timezone: str | None, lang: str) -> str:
    moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    if timezone is not None:
        moment = moment.astimezone(check_timezone(timezone))
    return i18n.fmt_datetime(moment, lang)


def _counts(values: dict[str, int], lang: str) -> str:
    empty = "(vide)" if lang == "fr" else "(empty)"
    return ", ".join(f"{k or empty} {i18n.fmt_number(v, lang)}" for k, v in values.items())


def render(summary: Summary, report_lines: list[str], lang: str, timezone: str | None) -> str:
    """The summary as text lines in ``lang``."""
    lines = list(report_lines)
    if summary.first_created != MISSING:
        lines.append(
            i18n.t(
                "tickets.range",
                lang,
                first=_when(summary.first_created, timezone, lang),
                last=_when(summary.last_created, timezone, lang),
                timezone=timezone or "UTC",
            )
        )
    lines.append(i18n.t("tickets.by_kind", lang, counts=_counts(summary.by_kind, lang)))
    lines.append(i18n.t("tickets.by_priority", lang, counts=_counts(summary.by_priority, lang)))
    lines.append(i18n.t("tickets.by_state", lang, counts=_counts(summary.by_state, lang)))
    lines.append(
        i18n.t(
            "tickets.pauses",
            lang,
            history=i18n.fmt_number(summary.with_history, lang),
            waiting=i18n.fmt_number(summary.with_waiting_total, lang),
            neither=i18n.fmt_number(summary.with_neither, lang),
        )
    )
    for name, counts in summary.verdicts.items():
        numbers = {k: i18n.fmt_number(v, lang) for k, v in counts.items()}
        lines.append(i18n.t("tickets.verdict", lang, name=name, **numbers))
    check = summary.timezone_check
    if check is None:
        lines.append(i18n.t("tickets.tz_unknown", lang))
    else:
        params = {
            "share": i18n.fmt_percent(check.share, lang, 0),
            "start": f"{OPENING_HOURS[0]:02d}",
            "end": f"{OPENING_HOURS[1]:02d}",
            "timezone": check.timezone,
            "shift": f"{check.best_shift_hours:+d}",
            "best": i18n.fmt_percent(check.best_share, lang, 0),
        }
        code = "tickets.tz_shifted" if check.looks_shifted else "tickets.tz_ok"
        lines.append(i18n.t(code, lang, **params))
    return "\n".join(lines)


def _read(
    args: argparse.Namespace, files: list[Path], *, events: Path | None = None
) -> tuple[ImportResult, str | None, Mapping | None]:
    """Read ``files`` as the options say: the result, the timezone of the
    source, and the mapping used (None for canonical files and saved API
    answers)."""
    if args.timezone is not None:
        try:
            check_timezone(args.timezone)
        except ValueError as exc:
            raise ImportDataError("tickets.bad_timezone", {"timezone": args.timezone}) from exc
    key = _key(args)
    history = getattr(args, "history", None)
    sla = getattr(args, "sla", None)
    mapped = args.mapping is not None or args.source not in ("canonical", *JSON_SOURCES)
    if (history or sla) and not mapped:
        raise ImportDataError("tickets.no_extra_source", {"source": args.source})
    if getattr(args, "columns", False) and args.source in JSON_SOURCES and not mapped:
        raise ImportDataError("tickets.no_extra_source", {"source": args.source})
    if mapped:
        if events is not None:
            raise ImportDataError("tickets.no_events_source", {})
        mapping = load_mapping(args.mapping or args.source).with_timezone(args.timezone)
        result = read_provider_export(
            files, mapping, requester_key=key, history=history or (), sla=sla or ()
        )
        return result, mapping.timezone, mapping
    if events is not None and args.source != "canonical":
        raise ImportDataError("tickets.no_events_source", {})
    if args.source in JSON_SOURCES:
        return read_json_source(args.source, files, requester_key=key), args.timezone, None
    try:
        result = read_source("canonical", files, timezone=args.timezone, events_path=events)
    except ImportErrors as error:
        presets = suggest_presets(files[0])
        if presets and any(p.code == "ingest.missing_column" for p in error.problems):
            raise ImportDataError(
                "tickets.looks_like",
                {"presets": " | ".join(presets)},
                Location(file=str(files[0])),
            ) from error
        raise
    return result, args.timezone, None


def run_inspect(args: argparse.Namespace) -> int:
    """Read, summarize, optionally write the canonical files."""
    lang = args.lang
    result, timezone, mapping = _read(args, args.files, events=args.events)
    views = None
    if args.columns:
        views = describe_columns(args.files, mapping or canonical_mapping())
    report = result.report
    lines = [
        i18n.t(
            "tickets.read",
            lang,
            tickets=i18n.fmt_number(len(result.tickets), lang),
            events=i18n.fmt_number(len(result.events), lang),
            rows=i18n.fmt_number(report.rows_read, lang),
            source=report.source,
            files=", ".join(Path(f).name for f in report.files),
        )
    ]
    summary = summarize(result, timezone)
    extra: list[str] = []
    if report.ignored_columns:
        code = (
            "ingest.unknown_columns" if report.source == "canonical" else "tickets.ignored_columns"
        )
        extra.append(i18n.t(code, lang, names=", ".join(report.ignored_columns)))
    if report.ignored_rows:
        items = "; ".join(
            f"{i18n.t(k, lang)} ({i18n.fmt_number(v, lang)})"
            for k, v in report.ignored_rows.items()
        )
        extra.append(i18n.t("tickets.ignored_rows", lang, items=items))
    if report.ignored_values:
        items = "; ".join(
            f"{k} ({i18n.fmt_number(v, lang)})" for k, v in sorted(report.ignored_values.items())
        )
        extra.append(i18n.t("tickets.ignored_values", lang, items=items))
    for code, params in report.notes:
        extra.append(i18n.t(code, lang, **params))
    if args.format == "json":
        document: dict[str, Any] = {
            "source": report.source,
            "files": report.files,
            "rows_read": report.rows_read,
            "summary": dataclasses.asdict(summary),
            "ignored_columns": report.ignored_columns,
            "ignored_rows": report.ignored_rows,
            "ignored_values": report.ignored_values,
            "notes": [i18n.t(code, lang, **params) for code, params in report.notes],
        }
        if views is not None:
            document.update(columns_json(*views))
        print(json.dumps(document, ensure_ascii=False, indent=1))
    else:
        print(render(summary, lines, lang, timezone))
        if extra:
            print("\n".join(extra))
        if views is not None:
            print(render_columns(*views, mapping or canonical_mapping(), lang))
    if args.export is not None:
        write_tickets_csv(result.tickets, args.export)
        print(i18n.t("tickets.wrote", lang, path=args.export))
    if args.events_export is not None:
        write_events_csv(result.events, result.tickets, args.events_export)
        print(i18n.t("tickets.wrote", lang, path=args.events_export))
    return 0


def _fetch(args: argparse.Namespace, since: str | None) -> LiveResult:
    names = CREDENTIALS[args.api]
    values = [os.environ.get(name, "") for name in names]
    if not all(values):
        raise ImportDataError(
            "tickets.no_credentials", {"names": ", ".join(names), "api": args.api}
        )
    if args.timezone is not None:
        try:
            check_timezone(args.timezone)
        except ValueError as exc:
            raise ImportDataError("tickets.bad_timezone", {"timezone": args.timezone}) from exc
    options = {
        "since": since,
        "timezone": args.timezone,
        "with_history": not args.no_history,
        "requester_key": _key(args),
    }
    if args.api == "glpi":
        glpi = GlpiClient(args.url, app_token=values[0], user_token=values[1])
        return glpi.fetch(**options)
    itop = ItopClient(args.url, user=values[0], password=values[1])
    return itop.fetch(**options)


def run_fetch(args: argparse.Namespace) -> int:
    """Read a live API, summarize, write the canonical files and the cursor."""
    lang = args.lang
    cursor_file: Path | None = args.cursor_file
    since = None
    if cursor_file is not None and cursor_file.is_file():
        since = cursor_file.read_text("utf-8").strip() or None
    live = _fetch(args, since)
    result = live.result
    lines = [
        i18n.t(
            "tickets.read",
            lang,
            tickets=i18n.fmt_number(len(result.tickets), lang),
            events=i18n.fmt_number(len(result.events), lang),
            rows=i18n.fmt_number(result.report.rows_read, lang),
            source=result.report.source,
            files=", ".join(result.report.files),
        )
    ]
    print(render(summarize(result, args.timezone), lines, lang, args.timezone))
    if args.export is not None:
        write_tickets_csv(result.tickets, args.export)
        print(i18n.t("tickets.wrote", lang, path=args.export))
    if args.events_export is not None:
        write_events_csv(result.events, result.tickets, args.events_export)
        print(i18n.t("tickets.wrote", lang, path=args.events_export))
    if cursor_file is not None and live.cursor is not None:
        cursor_file.write_text(live.cursor + "\n", "utf-8")
        print(i18n.t("tickets.cursor", lang, cursor=live.cursor, path=cursor_file))
    return 0


def run_diff(args: argparse.Namespace) -> int:
    """Read both extractions the same way and print what changed."""
    old, timezone, _ = _read(args, [args.old])
    new, _, _ = _read(args, [args.new])
    log = diff_extractions(old.tickets, new.tickets)
    if args.format == "json":
        print(json.dumps(changelog_json(log), ensure_ascii=False, indent=1))
    else:
        print(render_changelog(log, args.lang, timezone))
    return 0


def run_request(args: argparse.Namespace) -> int:
    """Write the data request page of a source."""
    options = RequestOptions(delivery_day=args.delivery_day)
    path = write_request_page(args.source, args.lang, args.out, options)
    print(i18n.t("tickets.wrote", args.lang, path=path))
    return 0
