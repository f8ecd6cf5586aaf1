"""A contract's dashboards: the month so far, twelve months per level, breaches and their
traces, availability, penalties and the provider's figures.

Every figure comes from a stored run (:mod:`pilotage.web.queries_dashboard`);
charts are inline SVG drawn here, with no script.

A finished run never changes, so the HTML of its dashboard's sections (the KPIs,
levels, charts, breaches, availability, penalties and the provider's figures) is
rendered once and kept in Django's cache (``PILOTAGE_CACHE``), keyed by the run, a
digest of its report, the language and the role; only the header's month picker
(closed months change as months are closed) is rendered on every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pilotage import i18n
from pilotage.web.choices import RunStatus
from pilotage.web.models import Run
from pilotage.web.queries_dashboard import (
    LevelTrend,
    MonthDashboard,
    closed_periods,
    find_breach,
    month_dashboard,
    month_label,
    parse_instant,
)
from pilotage.web.rendering import render_page
from pilotage.web.scoping import OrgRequest, requires

__all__ = [
    "cache_key",
    "dashboard",
    "duration",
    "run_dashboard",
    "ticket_trace",
    "trend_svg",
]

CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 360, 120, 4


def duration(seconds: int) -> str:
    """Business time as ``3 h 05 min`` (``45 min``, ``0 min``)."""
    sign = "-" if seconds < 0 else ""
    minutes = abs(seconds) // 60
    hours, minutes = divmod(minutes, 60)
    return f"{sign}{hours} h {minutes:02d} min" if hours else f"{sign}{minutes} min"


def trend_svg(trend: LevelTrend, months: list[str], lang: str) -> SafeString:
    """Twelve monthly bars (met, breached, no data) with the objective as a dashed line.

    The axis spans from the lowest value shown (or the objective) to 100 %, so
    that 99.5 % and 99.9 % look different.
    """
    points = {p.window: p for p in trend.points}
    values = [p.value for p in trend.points if p.value is not None]
    objectives = [p.objective for p in trend.points if p.objective is not None]
    low = min([*values, *objectives], default=Decimal(0))
    floor = max(Decimal(0), (low - (Decimal(1) - low) * Decimal("0.5")).quantize(Decimal("0.01")))
    if floor >= Decimal("0.99"):
        floor = Decimal("0.98")
    span = Decimal(1) - floor
    bar = (CHART_WIDTH - BAR_GAP * (len(months) - 1)) / len(months)

    def y(value: Decimal) -> float:
        ratio = float((min(max(value, floor), Decimal(1)) - floor) / span)
        return round(CHART_HEIGHT - ratio * CHART_HEIGHT, 1)

    parts = [
        f'<svg class="trend" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT + 18}" role="img" '
        f'aria-label="{escape(trend.name)}">'
    ]
    for index, month in enumerate(months):
        x = round(index * (bar + BAR_GAP), 1)
        point = points.get(month)
        label = month_label(month, lang)[:3]
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{CHART_HEIGHT + 14}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
        if point is None or point.value is None:
            status = point.status if point is not None else "none"
            parts.append(
                f'<rect class="bar {status}" x="{x}" y="{CHART_HEIGHT - 3}" width="{bar:.1f}" '
                f'height="3"><title>{escape(month)}</title></rect>'
            )
            continue
        top = y(point.value)
        title = f"{month}: {i18n.fmt_percent(point.value, lang, 2)}"
        parts.append(
            f'<rect class="bar {point.status}" x="{x}" y="{top}" width="{bar:.1f}" '
            f'height="{max(CHART_HEIGHT - top, 2):.1f}"><title>{escape(title)}</title></rect>'
        )
    if objectives:
        line = y(objectives[-1])
        parts.append(f'<line class="objective" x1="0" x2="{CHART_WIDTH}" y1="{line}" y2="{line}"/>')
    parts.append(
        f'<text class="axis" x="{CHART_WIDTH}" y="10" text-anchor="end">100 %</text>'
        f'<text class="axis" x="{CHART_WIDTH}" y="{CHART_HEIGHT - 2}" text-anchor="end">'
        f"{escape(i18n.fmt_percent(floor, lang, 0))}</text></svg>"
    )
    return mark_safe("".join(parts))  # every text above is escaped


def _penalty_bars(board: MonthDashboard) -> list[dict[str, Any]]:
    top = max((amount for _, amount in board.penalties_by_month), default=Decimal(0))
    return [
        {
            "month": month,
            "amount": amount,
            "height": int(amount / top * 100) if top else 0,
        }
        for month, amount in board.penalties_by_month
    ]


def _short(value: Any, lang: str) -> str:
    """A formula input for reading: decimals to at most four places."""
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except ArithmeticError:
            return value
        return i18n.fmt_number(number, lang, 4 if number != number.to_integral() else 0)
    return str(value)


def _lang(request: OrgRequest) -> str:
    return str(getattr(request, "lang", "en"))


def cache_key(run: Run, lang: str, role: str) -> str:
    """The cache key of a finished run's dashboard: the run, a digest of its report (a
    reused id never serves another run's figures), the language and the role."""
    digest = hashlib.blake2b((run.report_json or "").encode(), digest_size=12).hexdigest()
    return f"pilotage:dashboard:v2:{run.pk}:{digest}:{lang}:{role}"


def _render(request: OrgRequest, run: Run | None) -> HttpResponse:
    lang = _lang(request)
    if run is None or run.status != RunStatus.DONE:
        return render_page(request, "web/dashboard_empty.html", {"run": run})
    key = cache_key(run, lang, str(getattr(request, "role", "")))
    shown: dict[str, Any] | None = cache.get(key)
    if shown is None:
        shown = _rendered(request, run, lang)
        cache.set(key, shown)
    periods = closed_periods(run.contract_id)
    context = {
        **shown,
        "body": mark_safe(shown["body"]),  # rendered by the template engine, escaped there
        "run": run,
        "periods": [(p, pk, month_label(p, lang)) for p, pk in periods],
    }
    return render_page(request, "web/dashboard.html", context)


def _rendered(request: OrgRequest, run: Run, lang: str) -> dict[str, Any]:
    """What the cache keeps of a finished run's dashboard: the HTML of its run-dependent
    sections and the few figures of its header (the month picker is read live)."""
    shown = _shown(run, lang)
    body = render_to_string("web/_dash_body.html", {**shown, "run": run}, request=request)
    report = shown["report"]
    return {
        "period_label": shown["period_label"],
        "report": {
            "finality": report.get("finality"),
            "contract": {"provider": report["contract"].get("provider")},
        },
        "body": str(body),
    }


def _shown(run: Run, lang: str) -> dict[str, Any]:
    """What the sections of a finished run's dashboard show."""
    board = month_dashboard(run, periods=False)
    report = board.report
    zone = report["contract"]["timezone"]
    levels = {level["id"]: level for level in report.get("service_levels") or []}
    return {
        "board": board,
        "report": report,
        "currency": report["contract"]["currency"],
        "period_label": month_label(run.period, lang),
        "charts": [(t, trend_svg(t, board.months, lang)) for t in board.trends],
        "penalty_bars": _penalty_bars(board),
        "claim_by": _date((report.get("penalties") or {}).get("claim_by")),
        "penalty_lines": [
            {**line, "shown_inputs": [(k, _short(v, lang)) for k, v in line["inputs"].items()]}
            for line in board.penalty_lines
        ],
        "breaches": [
            {
                **b,
                "created": _local(b["created_at"], zone),
                "over": duration(b["elapsed_seconds"] - b["target_seconds"]),
                "target": duration(b["target_seconds"]),
                "elapsed": duration(b["elapsed_seconds"]),
            }
            for b in board.breaches
        ],
        "availability": [
            {
                **a,
                "downtime": duration(a["downtime_seconds"]),
                "excused": duration(a["excused_seconds"]),
                "outages": [
                    {
                        **o,
                        "start_local": _local(o["start"], zone),
                        "end_local": _local(o["end"], zone),
                        "counted": duration(o["counted_seconds"]),
                    }
                    for o in a["outages"]
                ],
            }
            for a in report.get("availability") or []
        ],
        "level_rows": [(r, levels.get(r.level_id, {})) for r in board.rows],
    }


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _local(text: str | None, zone: str) -> dt.datetime | None:
    moment = parse_instant(text)
    return moment.astimezone(zoneinfo.ZoneInfo(zone)) if moment is not None else None


@requires("run.view")
def dashboard(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """The dashboard of the contract's latest run."""
    run = request.contract.latest_run
    return _render(request, run)


@requires("run.view")
def run_dashboard(
    request: OrgRequest, org_slug: str, contract_pk: int, run_pk: int
) -> HttpResponse:
    """The dashboard of one run (a closed month)."""
    runs = Run.objects.for_org(request.org).filter(contract=request.contract)
    return _render(request, get_object_or_404(runs, pk=run_pk))


@requires("run.view")
def ticket_trace(request: OrgRequest, org_slug: str, contract_pk: int, run_pk: int) -> HttpResponse:
    """One breached ticket's trace: segments, pauses and the business time counted."""
    runs = Run.objects.for_org(request.org).filter(contract=request.contract)
    run = get_object_or_404(runs, pk=run_pk)
    ticket_id = request.GET.get("ticket", "")
    level_id = request.GET.get("level", "")
    report: dict[str, Any] = {}
    breach = None
    if run.report_json:
        report = json.loads(run.report_json)
        breach = find_breach(report, ticket_id, level_id)
    context: dict[str, Any] = {"run": run, "ticket_id": ticket_id, "breach": breach}
    if breach is not None:
        zone = report["contract"]["timezone"]
        # The timeline spans the clock's life: segments after it stopped are listed, not drawn;
        # a segment still running at the run's as-of is drawn up to it.
        stop = breach["stopped_at"]
        drawn = [s for s in breach["segments"] if stop is None or s["start"] < stop]
        total = sum(_seconds(s, run.as_of) for s in drawn)
        context.update(
            zone=zone,
            level=next((lv for lv in report["service_levels"] if lv["id"] == level_id), None),
            segments=[
                {
                    **s,
                    "start_local": _local(s["start"], zone),
                    "end_local": _local(s["end"], zone),
                    "counted": duration(s["counted_seconds"]),
                    "width": _width(s, total, run.as_of) if s in drawn else 0.0,
                }
                for s in breach["segments"]
            ],
            created=_local(breach["created_at"], zone),
            stopped=_local(breach["stopped_at"], zone),
            target=duration(breach["target_seconds"]),
            elapsed=duration(breach["elapsed_seconds"]),
            paused=duration(breach["paused_seconds"]),
            over=duration(breach["elapsed_seconds"] - breach["target_seconds"]),
            period_label=month_label(run.period, _lang(request)),
        )
    return render_page(request, "web/ticket_trace.html", context)


def _seconds(segment: dict[str, Any], as_of: dt.datetime) -> int:
    """A segment's wall-clock length; one without an end runs up to ``as_of``."""
    start, end = parse_instant(segment["start"]), parse_instant(segment["end"]) or as_of
    if start is None:
        return 0
    return max(int((end - start).total_seconds()), 0)


def _width(segment: dict[str, Any], total: int, as_of: dt.datetime) -> float:
    return round(_seconds(segment, as_of) / total * 100, 2) if total > 0 else 0.0
