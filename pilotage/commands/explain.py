"""``pilotage explain``: one ticket's clock, step by step, in plain language."""

from __future__ import annotations

import argparse
import time

import numpy as np

from pilotage import i18n
from pilotage.commands.report import (
    add_input_arguments,
    inputs_from,
    print_warnings,
    progress_printer,
)
from pilotage.contract.model import ServiceLevel
from pilotage.engine.evaluate import TICKET_METRICS
from pilotage.engine.trace import TicketTrace, trace_tickets
from pilotage.errors import EngineError
from pilotage.reports.messages import fmt_duration, fmt_instant
from pilotage.run import execute

__all__ = ["explain_lines", "register"]

i18n.register(
    {
        "explain.cli.help": {
            "en": "explain one ticket's clock, step by step, for each service level",
            "fr": "expliquer pas à pas l’horloge d’un ticket, pour chaque niveau de service",
        },
        "explain.ticket": {
            "en": 'Ticket {id} "{title}" ({kind}, {priority}), created {created}',
            "fr": "Ticket {id} « {title} » ({kind}, {priority}), créé le {created}",
        },
        "explain.level": {
            "en": "Level {level} ({name}): target {target} on calendar {calendar}",
            "fr": "Niveau {level} ({name}) : cible {target} sur le calendrier {calendar}",
        },
        "explain.excluded": {
            "en": "  not counted for this level: {reason}",
            "fr": "  non compté pour ce niveau : {reason}",
        },
        "explain.segment": {
            "en": "  {start} → {end}  {why}; counted {counted}",
            "fr": "  {start} → {end}  {why} ; décompté {counted}",
        },
        "explain.until_now": {"en": "now", "fr": "maintenant"},
        "explain.verdict.met": {
            "en": "  Result: {elapsed} counted against a target of {target}: met. "
            "It counts in window {window}.",
            "fr": "  Résultat : {elapsed} décomptés pour une cible de {target} : respecté. "
            "Compté dans la fenêtre {window}.",
        },
        "explain.verdict.breached": {
            "en": "  Result: {elapsed} counted against a target of {target}: breached "
            "(deadline {deadline}). It counts in window {window}.",
            "fr": "  Résultat : {elapsed} décomptés pour une cible de {target} : non respecté "
            "(échéance {deadline}). Compté dans la fenêtre {window}.",
        },
        "explain.verdict.pending": {
            "en": "  Result: {elapsed} counted so far against a target of {target}; "
            "still running (deadline {deadline}).",
            "fr": "  Résultat : {elapsed} décomptés à ce jour pour une cible de {target} ; "
            "en cours (échéance {deadline}).",
        },
        "explain.unverifiable": {
            "en": "  The pause time comes from the provider's own total, not from a status "
            "history: it cannot be verified.",
            "fr": "  Le temps de pause provient du total fourni par le prestataire, pas d’un "
            "historique des statuts : il n’est pas vérifiable.",
        },
        "explain.waived": {
            "en": "  Adjustment agreed in committee: {decision}.",
            "fr": "  Ajustement convenu en comité : {decision}.",
        },
        "explain.reason.not_eligible": {
            "en": "the level does not apply to this ticket",
            "fr": "le niveau ne s’applique pas à ce ticket",
        },
        "explain.reason.cancelled": {"en": "cancelled ticket", "fr": "ticket annulé"},
        "explain.reason.merged": {"en": "merged ticket", "fr": "ticket fusionné"},
        "explain.reason.child_of_major": {
            "en": "child of a major incident, which counts once",
            "fr": "ticket enfant d’un incident majeur, compté une seule fois",
        },
        "explain.reason.out_of_scope": {
            "en": "its domain is outside the contract's scope",
            "fr": "son domaine est hors du périmètre du contrat",
        },
        "explain.reason.response_unknown": {
            "en": "no first-response time and no status history: the response cannot be measured",
            "fr": "ni date de première réponse ni historique des statuts : la prise en charge "
            "ne peut pas être mesurée",
        },
        "explain.reason.resolution_unknown": {
            "en": "resolved or closed with neither a resolution time nor a status history",
            "fr": "résolu ou clos sans date de résolution ni historique des statuts",
        },
        "explain.reason.no_matching_level": {
            "en": "no ticket service level applies to it",
            "fr": "aucun niveau de service ticket ne s’y applique",
        },
    }
)


def explain_lines(trace: TicketTrace, level: ServiceLevel, timezone: str, lang: str) -> list[str]:
    """The explanation of one ticket on one level, line by line."""
    lines = [
        i18n.t(
            "explain.level",
            lang,
            level=level.id,
            name=level.name,
            target=fmt_duration(trace.target, lang) if trace.target else str(level.target or "-"),
            calendar=level.calendar or "-",
        )
    ]
    if trace.excluded is not None:
        reason = i18n.t(f"explain.reason.{trace.excluded}", lang)
        return [*lines, i18n.t("explain.excluded", lang, reason=reason)]
    for seg in trace.segments:
        if seg.end == seg.start:
            continue
        end = (
            fmt_instant(seg.end, timezone, lang)
            if seg.end is not None
            else i18n.t("explain.until_now", lang)
        )
        lines.append(
            i18n.t(
                "explain.segment",
                lang,
                start=fmt_instant(seg.start, timezone, lang),
                end=end,
                why=i18n.t(f"engine.trace.why.{seg.why}", lang, reason=seg.reason),
                counted=fmt_duration(seg.business_seconds, lang),
            )
        )
    verdict = trace.verdict or "pending"
    lines.append(
        i18n.t(
            f"explain.verdict.{verdict}",
            lang,
            elapsed=fmt_duration(trace.elapsed or 0, lang),
            target=fmt_duration(trace.target or 0, lang),
            deadline=fmt_instant(trace.deadline, timezone, lang) if trace.deadline else "-",
            window=trace.window or "-",
        )
    )
    if trace.pause_not_verifiable:
        lines.append(i18n.t("explain.unverifiable", lang))
    if trace.waived:
        lines.append(i18n.t("explain.waived", lang, decision=trace.waived))
    return lines


def _run(args: argparse.Namespace) -> int:
    lang = args.lang
    progress = progress_printer(lang)
    try:
        run = execute(
            inputs_from(args),
            as_of_text=args.as_of,
            as_of=None if args.as_of else int(time.time()),
            progress=progress,
            lang=lang,
        )
    finally:
        progress.close()
    print_warnings(run, lang)
    timezone = run.contract.versions[0].terms.timezone
    t = run.tickets
    plan: list[tuple[str, int, list[ServiceLevel]]] = []
    for ticket_id in args.ticket_ids:
        found = np.flatnonzero(t.id == ticket_id)
        if found.size == 0:
            raise EngineError("engine.trace.unknown_ticket", {"value": ticket_id})
        row = int(found[0])
        terms = run.contract.at(int(t.created_at[row])).terms
        levels = [
            lv
            for lv in terms.service_levels
            if lv.metric in TICKET_METRICS and (not args.level or lv.id == args.level)
        ]
        plan.append((ticket_id, row, levels))
    # One evaluation for every ticket and level asked.
    traces = iter(
        trace_tickets(
            run.contract,
            t,
            run.events,
            [(ticket_id, lv.id) for ticket_id, _, levels in plan for lv in levels],
            as_of=run.as_of,
            adjustments=run.adjustments,
        )
    )
    for ticket_id, row, levels in plan:
        print(
            i18n.t(
                "explain.ticket",
                lang,
                id=ticket_id,
                title=t.title[row],
                kind=t.kind[row],
                priority=t.priority[row],
                created=fmt_instant(int(t.created_at[row]), timezone, lang),
            )
        )
        for level in levels:
            trace = next(traces)
            if trace.excluded == "not_eligible" and not args.level:
                continue
            print("\n".join(explain_lines(trace, level, timezone, lang)))
        print()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pilotage explain``."""
    parser = sub.add_parser("explain", help=i18n.t("explain.cli.help"))
    parser.add_argument("ticket_ids", nargs="+", metavar="TICKET_ID")
    add_input_arguments(parser)
    parser.add_argument("--level", help="only this service level")
    parser.set_defaults(func=_run)
