"""``pilotage contract``: check a contract file, show a version, compare two dates."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from decimal import Decimal
from typing import Any

from pilotage import i18n
from pilotage.contract.amendments import show_value
from pilotage.contract.loader import ContractErrors, dump_contract, load_contract
from pilotage.contract.model import Contract, ContractVersion

__all__ = ["MISSING", "changes", "register", "version_on"]

MISSING: Any = object()
"""Stands for a side of a change where the path does not exist."""

i18n.register(
    {
        "contract.cli.help": {
            "en": "check a contract file, show the version in force, compare two dates",
            "fr": "vérifier un fichier de contrat, afficher la version en vigueur, "
            "comparer deux dates",
        },
        "contract.cli.bad_date": {
            "en": 'not a date: "{value}" (expected YYYY-MM-DD)',
            "fr": "date invalide : « {value} » (AAAA-MM-JJ attendu)",
        },
        "contract.cli.valid": {
            "en": "{file}: valid contract {id}, {count} version(s)",
            "fr": "{file} : contrat {id} valide, {count} version(s)",
        },
        "contract.cli.version": {
            "en": "from {effective}: {origin} (sha256 {hash})",
            "fr": "à partir du {effective} : {origin} (sha256 {hash})",
        },
        "contract.cli.original": {"en": "original contract", "fr": "contrat d’origine"},
        "contract.cli.amended": {
            "en": "amendment {id} {summary}",
            "fr": "avenant {id} {summary}",
        },
        "contract.cli.in_force": {
            "en": "{id}: version in force on {date}, effective from {effective}, {origin}",
            "fr": "{id} : version en vigueur le {date}, applicable à partir du {effective}, "
            "{origin}",
        },
        "contract.cli.diff_header": {
            "en": "{id}: changes between {from_date} (version of {from_effective}) "
            "and {to_date} (version of {to_effective})",
            "fr": "{id} : changements entre le {from_date} (version du {from_effective}) "
            "et le {to_date} (version du {to_effective})",
        },
        "contract.cli.diff_none": {
            "en": "no change: the same version is in force on both dates",
            "fr": "aucun changement : la même version est en vigueur aux deux dates",
        },
        "contract.cli.changed": {
            "en": "{path}: changed from {before} to {after}",
            "fr": "{path} : passe de {before} à {after}",
        },
        "contract.cli.added": {
            "en": "{path}: added, {after}",
            "fr": "{path} : ajouté, {after}",
        },
        "contract.cli.removed": {
            "en": "{path}: removed (was {before})",
            "fr": "{path} : supprimé (valait {before})",
        },
    }
)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        message = i18n.t("contract.cli.bad_date", "en", value=text)
        raise argparse.ArgumentTypeError(message) from None


def register(subparsers: Any) -> None:
    """Add ``contract check|show|diff`` to the command line."""
    parser = subparsers.add_parser("contract", help=i18n.t("contract.cli.help", "en"))
    sub = parser.add_subparsers(dest="contract_command", required=True, metavar="ACTION")
    check = sub.add_parser("check", help="load the file and report every error (exit 0 or 2)")
    check.add_argument("file")
    check.set_defaults(func=_check)
    show = sub.add_parser("show", help="print the version in force on a date")
    show.add_argument("file")
    show.add_argument("--at", type=_date, required=True, metavar="DATE")
    show.add_argument("--format", choices=("yaml", "json"), default="yaml")
    show.set_defaults(func=_show)
    diff = sub.add_parser("diff", help="what changed between the versions in force on two dates")
    diff.add_argument("file")
    diff.add_argument("--from", dest="from_date", type=_date, required=True, metavar="DATE")
    diff.add_argument("--to", dest="to_date", type=_date, required=True, metavar="DATE")
    diff.set_defaults(func=_diff)
    _register_calendar(sub)
    _register_revise_price(sub)
    _register_annex(sub)


def version_on(contract: Contract, day: dt.date) -> ContractVersion:
    """The version in force on ``day`` (the first one before the contract starts)."""
    current = contract.versions[0]
    for version in contract.versions:
        if version.effective <= day:
            current = version
    return current


def _origin(version: ContractVersion, lang: str) -> str:
    if version.amendment_id is None:
        return i18n.t("contract.cli.original", lang)
    summary = f"({version.summary})" if version.summary else ""
    return i18n.t("contract.cli.amended", lang, id=version.amendment_id, summary=summary).strip()


def _check(args: argparse.Namespace) -> int:
    try:
        contract = load_contract(args.file)
    except ContractErrors as errors:
        print(errors.message(args.lang), file=sys.stderr)
        return 2
    lang = args.lang
    print(
        i18n.t(
            "contract.cli.valid", lang, file=args.file, id=contract.id, count=len(contract.versions)
        )
    )
    for version in contract.versions:
        line = i18n.t(
            "contract.cli.version",
            lang,
            effective=i18n.fmt_date(version.effective, lang),
            origin=_origin(version, lang),
            hash=version.hash[:12],
        )
        print(f"  {line}")
    return 0


def _json_default(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _show(args: argparse.Namespace) -> int:
    contract = load_contract(args.file)
    version = version_on(contract, args.at)
    document = dict(version.terms.document)
    if args.format == "json":
        print(json.dumps(document, indent=2, ensure_ascii=False, default=_json_default))
        return 0
    lang = args.lang
    header = i18n.t(
        "contract.cli.in_force",
        lang,
        id=contract.id,
        date=i18n.fmt_date(args.at, lang),
        effective=i18n.fmt_date(version.effective, lang),
        origin=_origin(version, lang),
    )
    print(f"# {header}\n# sha256 {version.hash}")
    print(dump_contract(document), end="")
    return 0


def _keyed(value: Any) -> dict[str, Any] | None:
    """A mapping as is, a list of items with ids by id; None for anything else."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list) and value and all(isinstance(v, dict) and "id" in v for v in value):
        return {str(v["id"]): v for v in value}
    return None


def changes(before: Any, after: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """(path, before, after) of every difference; a side is ``MISSING`` when absent.

    Mappings are compared key by key and lists of items with an ``id`` item by
    item, so that a whole level added or removed is one change.
    """
    old, new = _keyed(before), _keyed(after)
    if old is None or new is None:
        return [] if before == after else [(path, before, after)]
    found: list[tuple[str, Any, Any]] = []
    for key in [*old, *(k for k in new if k not in old)]:
        where = f"{path}.{key}" if path else str(key)
        found += changes(old.get(key, MISSING), new.get(key, MISSING), where)
    return found


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) + "}"
    return show_value(value) or ""


def _diff(args: argparse.Namespace) -> int:
    lang = args.lang
    contract = load_contract(args.file)
    before, after = version_on(contract, args.from_date), version_on(contract, args.to_date)
    print(
        i18n.t(
            "contract.cli.diff_header",
            lang,
            id=contract.id,
            from_date=i18n.fmt_date(args.from_date, lang),
            from_effective=i18n.fmt_date(before.effective, lang),
            to_date=i18n.fmt_date(args.to_date, lang),
            to_effective=i18n.fmt_date(after.effective, lang),
        )
    )
    lines: list[str] = []
    for path, old, new in changes(dict(before.terms.document), dict(after.terms.document)):
        if new is MISSING:
            lines.append(i18n.t("contract.cli.removed", lang, path=path, before=_text(old)))
        elif old is MISSING:
            lines.append(i18n.t("contract.cli.added", lang, path=path, after=_text(new)))
        else:
            text = {"before": _text(old), "after": _text(new)}
            lines.append(i18n.t("contract.cli.changed", lang, path=path, **text))
    for line in lines or [i18n.t("contract.cli.diff_none", lang)]:
        print(f"  {line}")
    return 0


# --------------------------------------------------------------------------- calendar

i18n.register(
    {
        "contract.cli.calendar_written": {
            "en": "{file}: {count} event(s) from {at}",
            "fr": "{file} : {count} événement(s) à partir du {at}",
        },
        "contract.cli.calendar_line": {"en": "{date}  {summary}", "fr": "{date}  {summary}"},
    }
)


def _register_calendar(sub: Any) -> None:
    calendar = sub.add_parser(
        "calendar", help="write the contract's dates (notice, tender, revisions...) as iCalendar"
    )
    calendar.add_argument("file")
    calendar.add_argument("--ics", required=True, metavar="OUT", help="the .ics file to write")
    calendar.add_argument(
        "--tender-months", type=int, default=4, metavar="N", help="tender duration (default 4)"
    )
    calendar.add_argument("--at", type=_date, default=None, metavar="DATE", help="default: today")
    calendar.add_argument("--until", type=_date, default=None, metavar="DATE")
    calendar.set_defaults(func=_calendar)


def _calendar(args: argparse.Namespace) -> int:
    from pilotage.contract.dates import contract_deadlines
    from pilotage.contract.ics import ROUTINE_REMINDERS, deadline_events, render_ics

    lang = args.lang
    at = args.at or dt.date.today()
    contract = load_contract(args.file)
    document = version_on(contract, at).terms.document
    deadlines = contract_deadlines(document, at, tender_months=args.tender_months, until=args.until)
    events = deadline_events(deadlines, contract_id=contract.id, lang=lang)
    name = i18n.t("contract.ics.name", lang, title=contract.versions[0].terms.title)
    stamp = dt.datetime.combine(at, dt.time(), tzinfo=dt.UTC)
    text = render_ics(events, name=name, dtstamp=stamp, lang=lang)
    with open(args.ics, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    print(
        i18n.t(
            "contract.cli.calendar_written",
            lang,
            file=args.ics,
            count=len(events),
            at=i18n.fmt_date(at, lang),
        )
    )
    for event in events:
        if event.reminders != ROUTINE_REMINDERS:
            date = i18n.fmt_date(event.day, lang)
            print(
                "  " + i18n.t("contract.cli.calendar_line", lang, date=date, summary=event.summary)
            )
    return 0


# --------------------------------------------------------------------------- price revision


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except ArithmeticError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_finite() or value <= 0:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return value


def _register_revise_price(sub: Any) -> None:
    revise = sub.add_parser(
        "revise-price", help="revise the fee with the Syntec index, computation line by line"
    )
    revise.add_argument("file")
    revise.add_argument("--index", metavar="CSV", help="index series: month;value per row")
    revise.add_argument(
        "--value",
        action="append",
        default=[],
        metavar="MONTH=VALUE",
        help="an index value entered by hand (repeatable; overrides the CSV)",
    )
    revise.add_argument("--at", type=_date, default=None, metavar="DATE", help="default: today")
    revise.add_argument(
        "--link-coefficient",
        type=_decimal,
        default=None,
        metavar="X",
        help="former to revised Syntec index (default 0.97975)",
    )
    revise.add_argument(
        "--keep-base",
        action="store_true",
        help="an amendment that changed the fee does not reset the base index",
    )
    revise.set_defaults(func=_revise_price)


def _revise_price(args: argparse.Namespace) -> int:
    from pilotage.contract.indexation import (
        LINK_COEFFICIENT,
        parse_index_entry,
        price_revision,
        read_index_csv,
        revision_lines,
    )

    contract = load_contract(args.file)
    series = read_index_csv(args.index) if args.index else {}
    series.update(parse_index_entry(entry) for entry in args.value)
    revision = price_revision(
        contract,
        series,
        args.at or dt.date.today(),
        link_coefficient=args.link_coefficient or LINK_COEFFICIENT,
        reset_on_amendment=not args.keep_base,
        lang=args.lang,
    )
    for line in revision_lines(revision, contract.id, args.lang):
        print(line)
    return 0


# --------------------------------------------------------------------------- annex

i18n.register(
    {
        "contract.cli.annex_written": {
            "en": "{file}: service level annex of the version in force on {date}",
            "fr": "{file} : annexe niveaux de service de la version en vigueur le {date}",
        },
        "contract.cli.annex_suffix": {
            "en": "the annex is written as .docx or .pdf, not {suffix}",
            "fr": "l’annexe s’écrit en .docx ou .pdf, pas en {suffix}",
        },
    }
)


def _register_annex(sub: Any) -> None:
    annex = sub.add_parser(
        "annex", help="write the service level annex of the version in force (DOCX or PDF)"
    )
    annex.add_argument("file")
    annex.add_argument("--out", required=True, metavar="FILE", help="annex.docx or annex.pdf")
    annex.add_argument("--at", type=_date, default=None, metavar="DATE", help="default: today")
    annex.add_argument(
        "--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS, help="document language"
    )
    annex.set_defaults(func=_annex)


def _annex(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pilotage.contract.annex import build_annex, write_annex

    lang = args.lang
    suffix = Path(args.out).suffix.lower()
    if suffix not in (".docx", ".pdf"):
        print(i18n.t("contract.cli.annex_suffix", lang, suffix=suffix or "?"), file=sys.stderr)
        return 2
    at = args.at or dt.date.today()
    write_annex(build_annex(load_contract(args.file), at, lang), args.out)
    print(i18n.t("contract.cli.annex_written", lang, file=args.out, date=i18n.fmt_date(at, lang)))
    return 0
