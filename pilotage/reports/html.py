"""The report as one self-contained HTML page (CSS inlined, charts as inline SVG).

The same page, with its print rules, is what :mod:`pilotage.reports.pdf`
lays out, so the two never drift apart.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from pilotage import i18n
from pilotage.reports import messages
from pilotage.reports.messages import (
    fmt_duration,
    fmt_instant,
    fmt_month,
    fmt_points,
    fmt_target,
    label,
)
from pilotage.reports.model import (
    AgeingBucket,
    Breach,
    CommitteePoint,
    LevelRow,
    MonthlyReport,
    Note,
    TraceSegment,
)

__all__ = ["render_html", "template_helpers"]

TEMPLATES = Path(__file__).parent / "templates"
_RATIO_INPUTS = frozenset({"objective", "value", "rate_per_point", "rate", "band"})
_MONEY_INPUTS = frozenset({"per_breach", "level_cap", "monthly_cap", "fee", "amount"})


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def _css() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def _css_string(text: str) -> Markup:
    """Text safe inside a double-quoted CSS string in a ``<style>`` element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return Markup(escaped.replace("<", "\\3c "))


def template_helpers(
    report: MonthlyReport, lang: str, inline_svg: bool = True
) -> dict[str, Callable[..., Any]]:
    """Formatting functions in ``lang`` for the report's templates and sheets.

    With ``inline_svg=False`` charts are ``<img>`` elements holding the SVG as a
    data URI (still self-contained): WeasyPrint lays those out much faster.
    """
    tz = report.contract.timezone
    currency = report.contract.currency
    names = {row.id: row.name for row in report.levels}

    def money(value: Decimal | None) -> str:
        return "—" if value is None else i18n.fmt_money(value, lang, currency)

    def money_raw(value: Decimal) -> str:
        """An unrounded amount shown to the cent (the statement rounds once, at the end)."""
        return money(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

    def pct(value: Decimal | None, digits: int = 2) -> str:
        return "—" if value is None else i18n.fmt_percent(value, lang, digits)

    def num(value: int | Decimal | None, digits: int = 2) -> str:
        return "—" if value is None else i18n.fmt_number(value, lang, digits)

    def date(value: dt.date | None) -> str:
        return "—" if value is None else i18n.fmt_date(value, lang)

    def instant(value: int | None) -> str:
        return fmt_instant(value, tz, lang)

    def dur(seconds: int) -> str:
        return fmt_duration(seconds, lang)

    def points(value: Decimal | None) -> str:
        return "—" if value is None else fmt_points(value, lang)

    def level_name(level_id: str) -> str:
        return names.get(level_id, level_id)

    def subject(text: str) -> str:
        if text in names:
            return names[text]
        if len(text) == 7 and text[4] == "-" and text.replace("-", "").isdigit():
            return fmt_month(text, lang, title=False)
        try:
            return date(dt.date.fromisoformat(text))
        except ValueError:
            return text

    def result(row: LevelRow) -> str:
        r = row.result
        if r.metric in ("restore_test",) or (r.metric == "backup_success" and r.value is None):
            return f"{r.met} / {r.eligible}"
        return pct(r.value, 3 if r.metric == "availability" else 2)

    def claim(met: int | None, eligible: int | None, value: Decimal | None) -> str:
        if value is None:
            return label("rec.no_claim", lang)
        if met is None or eligible is None or eligible == 0:
            return pct(value, 3)
        return label("rec.figures", lang, met=num(met), eligible=num(eligible), value=pct(value))

    def segment(s: TraceSegment) -> str:
        if s.status == "paused":
            reason = s.pause_reason or "unknown"
            return label(
                "segment.paused", lang, reason=_optional(f"report.pause.{reason}", lang, reason)
            )
        return label(f"segment.{s.status}", lang)

    def trace(b: Breach) -> str:
        """The ticket's segments as one plain line (inline markup is costly in the PDF)."""
        parts = []
        for seg in b.segments:
            start, end = instant(seg.start), instant(seg.end)
            if end[:10] == start[:10]:
                end = end[11:]
            text = f"{start} → {end} {segment(seg)} {dur(seg.counted_seconds)}"
            parts.append(text.replace(" ", "\u00a0"))
        return (
            f"{label('trace', lang)} : " + " · ".join(parts)
            if lang == "fr"
            else (f"{label('trace', lang)}: " + " · ".join(parts))
        )

    def flags(b: Breach) -> str:
        marks = []
        if b.waived:
            marks.append(label("breach.waived", lang))
        if not b.pause_verifiable:
            marks.append(label("breach.unverifiable", lang))
        return f" ({', '.join(marks)})" if marks else ""

    def kind(code: str) -> str:
        return _optional(f"report.kind.{code}", lang, code)

    def field(code: str) -> str:
        return _optional(f"report.field.{code}", lang, code)

    def bucket(a: AgeingBucket) -> str:
        if a.max_days is None:
            return label("vol.bucket_open", lang, min=a.min_days)
        return label("vol.bucket", lang, min=a.min_days, max=a.max_days)

    def inputs(values: Mapping[str, Any]) -> str:
        parts = []
        for key, value in values.items():
            if isinstance(value, Decimal) and key in _RATIO_INPUTS:
                text = pct(value, 3)
            elif isinstance(value, Decimal) and key in _MONEY_INPUTS:
                text = money(value)
            elif isinstance(value, int | Decimal) and not isinstance(value, bool):
                text = num(value, 3)
            else:
                text = str(value)
            parts.append(f"{_optional(f'report.input.{key}', lang, key)} {text}")
        return " · ".join(parts)

    def point(p: CommitteePoint) -> str:
        amount = ""
        if p.amount is not None:
            amount = points(p.amount) if p.code == "reconciliation_gap" else money(p.amount)
        return label(
            f"point.{p.code}",
            lang,
            subject=subject(p.subject),
            count=p.count if p.count is not None else "",
            amount=amount,
            date=date(p.date),
            text=p.text,
        )

    def formula(code: str) -> str:
        return messages.formula_text(code, lang)

    def chart(row: LevelRow) -> Markup:
        # matplotlib loads only when a chart is drawn, not with the package.
        from pilotage.reports.charts import trend_svg

        svg = trend_svg(row.id, row.history, lang)
        if inline_svg:
            return Markup(svg)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return Markup(f'<img class="chart-img" alt="" src="data:image/svg+xml;base64,{data}">')

    def month(window: str) -> str:
        return fmt_month(window, lang)

    def lab(code: str, **params: Any) -> str:
        return label(code, lang, **params)

    def note(n: Note) -> str:
        shown = {k: pct(v, 0) if isinstance(v, Decimal) else v for k, v in n.params.items()}
        return i18n.t(n.code, lang, **shown)

    return {
        "L": lab,
        "note": note,
        "money": money,
        "money_raw": money_raw,
        "pct": pct,
        "num": num,
        "date": date,
        "instant": instant,
        "dur": dur,
        "points": points,
        "level_name": level_name,
        "subject": subject,
        "result": result,
        "claim": claim,
        "segment": segment,
        "kind": kind,
        "trace": trace,
        "flags": flags,
        "field": field,
        "bucket": bucket,
        "inputs": inputs,
        "point": point,
        "formula": formula,
        "chart": chart,
        "month": month,
        "css_string": _css_string,
        "target": lambda text: fmt_target(text, lang),
    }


def _optional(code: str, lang: str, fallback: str) -> str:
    return i18n.t(code, lang) if code in i18n.all_messages() else fallback


def render_html(report: MonthlyReport, lang: str, *, inline_svg: bool = True) -> str:
    """The whole report as a single HTML document with no external resource."""
    template = _environment().get_template("report.html")
    return template.render(
        r=report,
        lang=lang,
        css=Markup(_css()),
        levels_met=sum(1 for row in report.levels if row.result.status == "met"),
        **template_helpers(report, lang, inline_svg),
    )
