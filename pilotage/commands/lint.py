"""``pilotage lint``: check a contract file's clauses, or scan the signed document's text."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from pilotage import i18n
from pilotage.contract.lint import PROFILES, RULES, Finding, LintReport, lint_file

__all__ = ["register", "render_json", "render_text"]

i18n.register(
    {
        "lint.cli.help": {
            "en": "lint a contract: missing or weak clauses, with recommended wording",
            "fr": "analyser un contrat : clauses manquantes ou faibles, avec la rédaction "
            "recommandée",
        },
        "lint.cli.header": {
            "en": "{file}: profile {profile} ({profile_label}): {errors} error(s), "
            "{warnings} warning(s), {infos} info(s)",
            "fr": "{file} : profil {profile} ({profile_label}) : {errors} erreur(s), "
            "{warnings} avertissement(s), {infos} info(s)",
        },
        "lint.cli.why": {"en": "why: {text}", "fr": "pourquoi : {text}"},
        "lint.cli.source": {"en": "source: {text}", "fr": "source : {text}"},
        "lint.cli.clause": {
            "en": "recommended clause: {text}",
            "fr": "clause recommandée : {text}",
        },
        "lint.cli.version": {
            "en": "in the version effective from {date}",
            "fr": "dans la version applicable à partir du {date}",
        },
        "lint.cli.scores": {"en": "Scores per area:", "fr": "Score par domaine :"},
        "lint.cli.score_line": {
            "en": "{area}: {score}/100",
            "fr": "{area} : {score}/100",
        },
        "lint.cli.overall": {"en": "Overall: {score}/100", "fr": "Ensemble : {score}/100"},
        "lint.cli.excerpt": {"en": "excerpt: {text}", "fr": "extrait : {text}"},
    }
)


def register(subparsers: Any) -> None:
    """Add ``lint`` to the command line."""
    parser = subparsers.add_parser("lint", help=i18n.t("lint.cli.help", "en"))
    parser.add_argument("file", nargs="?", help="contract file (YAML)")
    parser.add_argument(
        "--document", metavar="FILE", help="scan the signed contract's text (.pdf or .docx)"
    )
    parser.add_argument("--profile", choices=tuple(PROFILES), default="sme")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS, help="language of messages"
    )
    parser.set_defaults(func=_run)


def _where(finding: Finding, lang: str) -> str:
    loc = finding.location
    if loc is None:
        return ""
    if loc.line is not None:
        return f"{loc.file}:{loc.line}:{loc.column}" if loc.column else f"{loc.file}:{loc.line}"
    parts = [loc.file or ""]
    if loc.row is not None:
        parts.append(f"page {loc.row}")
    return ", ".join(p for p in parts if p)


def render_text(report: LintReport, lang: str, *, excerpts: bool = False) -> str:
    """The report as text: header, one block per finding, scores."""
    lines = [
        i18n.t(
            "lint.cli.header",
            lang,
            file=report.file,
            profile=report.profile,
            profile_label=i18n.t(f"lint.profile.{report.profile}", lang),
            errors=report.count("error"),
            warnings=report.count("warning"),
            infos=report.count("info"),
        )
    ]
    for finding in report.findings:
        where = _where(finding, lang)
        severity = i18n.t(f"lint.severity.{finding.severity}", lang)
        head = f"{where}{' ' if lang == 'fr' else ''}: " if where else ""
        colon = " :" if lang == "fr" else ":"
        lines.append(f"{head}{severity} {finding.rule}{colon} {finding.message(lang)}")
        if finding.version is not None:
            date = i18n.fmt_date(finding.version, lang)
            lines.append("    " + i18n.t("lint.cli.version", lang, date=date))
        if excerpts and finding.location is not None and finding.location.value:
            lines.append("    " + i18n.t("lint.cli.excerpt", lang, text=finding.location.value))
        if finding.rule in RULES:
            rule = RULES[finding.rule]
            why = i18n.t(f"lint.{rule.id}.why", lang)
            lines.append("    " + i18n.t("lint.cli.why", lang, text=why))
            lines.append("    " + i18n.t("lint.cli.source", lang, text=rule.sources))
            clause = i18n.t(f"lint.{rule.id}.clause", lang)
            lines.append("    " + i18n.t("lint.cli.clause", lang, text=clause))
    if report.scores:
        lines.append(i18n.t("lint.cli.scores", lang))
        for score in report.scores:
            area = i18n.t(f"lint.area.{score.area}", lang)
            lines.append("  " + i18n.t("lint.cli.score_line", lang, area=area, score=score.score))
        lines.append(i18n.t("lint.cli.overall", lang, score=report.overall()))
    return "\n".join(lines)


def render_json(report: LintReport, lang: str) -> str:
    """The report as JSON (sorted keys): findings with why, source and clause; scores."""
    findings = []
    for f in report.findings:
        loc = f.location
        item: dict[str, Any] = {
            "rule": f.rule,
            "severity": f.severity,
            "area": f.area,
            "code": f.code,
            "message": f.message(lang),
            "path": f.path,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "page": loc.row if loc else None,
            "excerpt": loc.value if loc else None,
            "version": f.version.isoformat() if f.version else None,
        }
        if f.rule in RULES:
            item["why"] = i18n.t(f"lint.{f.rule}.why", lang)
            item["source"] = RULES[f.rule].sources
            item["clause"] = {
                "en": i18n.t(f"lint.{f.rule}.clause", "en"),
                "fr": i18n.t(f"lint.{f.rule}.clause", "fr"),
            }
        findings.append(item)
    data = {
        "file": report.file,
        "profile": report.profile,
        "counts": {s: report.count(s) for s in ("error", "warning", "info")},
        "findings": findings,
        "scores": {s.area: s.score for s in report.scores},
        "overall": report.overall() if report.scores else None,
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def _run(args: argparse.Namespace) -> int:
    lang = args.lang
    if args.document:
        from pilotage.contract.document_scan import scan_document

        report = scan_document(args.document, profile=args.profile)
        excerpts = True
    elif args.file:
        report = lint_file(args.file, profile=args.profile)
        excerpts = False
    else:
        print(i18n.t("lint.cli.help", lang), file=sys.stderr)
        return 2
    if args.format == "json":
        print(render_json(report, lang))
    else:
        print(render_text(report, lang, excerpts=excerpts))
    return 1 if report.errors else 0
