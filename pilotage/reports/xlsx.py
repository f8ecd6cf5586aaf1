"""The report as an XLSX workbook with typed cells, one sheet per section.

Amounts, ratios, dates and durations are numbers with a number format (never
text), so that the reader can sort and sum them.  No formula is ever taken
from data: a text that starts with ``=``, ``+``, ``-`` or ``@`` is written as
a string cell.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_symbol
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pilotage.reports.html import template_helpers
from pilotage.reports.messages import local_datetime
from pilotage.reports.model import MonthlyReport

__all__ = ["render_xlsx"]

PERCENT = "0.00%"
PERCENT_FINE = "0.000%"
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"
DURATION = "[h]:mm"
INTEGER = "#,##0"
_FORMULA_START = ("=", "+", "-", "@")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
_TITLE_FONT = Font(bold=True, size=14, color="1F3A5F")


class Duration(int):
    """Seconds to be written as an Excel duration (``[h]:mm``)."""


class Percent(Decimal):
    """A ratio to be written with a percentage format."""


class Instant(int):
    """UTC epoch seconds to be written as a local date-time."""


class _Sheet:
    """Appends typed rows to a worksheet."""

    def __init__(self, book: Workbook, title: str, report: MonthlyReport, money: str) -> None:
        self.ws = book.create_sheet(title[:31])
        self.tz = report.contract.timezone
        self.money = money
        self.widths: dict[int, int] = {}
        self.next_row = 1

    def title(self, text: str) -> None:
        self.row([text])
        self.ws.cell(self.next_row - 1, 1).font = _TITLE_FONT

    def header(self, names: Sequence[str]) -> None:
        self.row(names)
        row = self.next_row - 1
        for col in range(1, len(names) + 1):
            cell = self.ws.cell(row, col)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")

    def blank(self) -> None:
        self.next_row += 1

    def row(self, values: Sequence[Any]) -> None:
        for col, value in enumerate(values, start=1):
            self._put(self.next_row, col, value)
        self.next_row += 1

    def _put(self, row: int, col: int, value: Any) -> None:
        if value is None:
            return
        cell = self.ws.cell(row, col)
        width = 10
        if isinstance(value, bool):
            cell.value = value
        elif isinstance(value, Duration):
            cell.value = dt.timedelta(seconds=int(value))
            cell.number_format = DURATION
        elif isinstance(value, Instant):
            cell.value = local_datetime(int(value), self.tz).replace(tzinfo=None)
            cell.number_format = DATETIME
            width = 16
        elif isinstance(value, Percent):
            cell.value = Decimal(value)
            cell.number_format = PERCENT_FINE if abs(value) < Decimal("0.01") else PERCENT
        elif isinstance(value, Decimal):
            cell.value = value
            cell.number_format = self.money
            width = 13
        elif isinstance(value, int):
            cell.value = value
            cell.number_format = INTEGER
        elif isinstance(value, dt.date):
            cell.value = value
            cell.number_format = DATE
            width = 12
        else:
            text = str(value)
            cell.value = text
            if text.startswith(_FORMULA_START):
                cell.data_type = "s"
            width = min(max(len(text) + 2, 8), 60)
        self.widths[col] = max(self.widths.get(col, 8), width)

    def finish(self, freeze: str | None = None, autofilter: bool = False) -> None:
        """Set column widths, frozen panes and a filter over a one-table sheet."""
        for col, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(col)].width = width
        if freeze:
            self.ws.freeze_panes = freeze
        if autofilter and self.ws.max_row > 1:
            self.ws.auto_filter.ref = self.ws.dimensions


def _pct(value: Decimal | None) -> Percent | None:
    return None if value is None else Percent(value)


def render_xlsx(report: MonthlyReport, lang: str) -> bytes:
    """XLSX bytes of the report in ``lang``."""
    h = template_helpers(report, lang)
    L = h["L"]
    symbol = get_currency_symbol(report.contract.currency, "fr_FR" if lang == "fr" else "en_GB")
    money = f'#,##0.00 "{symbol}"' if lang == "fr" else f'"{symbol}"#,##0.00'
    book = Workbook()
    book.remove(book.active)
    as_of = dt.datetime.fromtimestamp(report.as_of, tz=dt.UTC).replace(tzinfo=None)
    book.properties.created = as_of
    book.properties.modified = as_of
    book.properties.title = f"{L('title')} — {h['month'](report.period)}"
    book.properties.creator = "Pilotage"

    def sheet(code: str) -> _Sheet:
        return _Sheet(book, L(f"sheet.{code}"), report, money)

    c, s = report.contract, report.summary
    ws = sheet("summary")
    ws.title(f"{L('title')} — {h['month'](report.period)}")
    ws.row([L("contract"), c.ref or c.id])
    ws.row([L("customer"), c.customer])
    ws.row([L("provider"), c.provider])
    ws.row([L("col.window"), report.period])
    ws.row([L("app.as_of"), Instant(report.as_of)])
    ws.row([L("col.status"), L(f"finality.{report.finality}")])
    for n in report.notes:
        ws.row([h["note"](n)])
    ws.blank()
    ws.row([L("kpi.due_month"), s.due_this_month])
    ws.row([L("kpi.due_ytd"), s.due_year_to_date])
    credited = s.credited_year_to_date
    ws.row([L("kpi.credited_ytd"), L("kpi.not_tracked") if credited is None else credited])
    met = sum(1 for row in report.levels if row.result.status == "met")
    ws.row([L("kpi.levels_met"), met, len(report.levels)])
    ws.blank()
    ws.header([L("deadlines"), L("col.at"), L("col.item")])
    for d in sorted(s.deadlines, key=lambda d: d.date):
        ws.row([L(f"deadline.{d.kind}"), d.date, h["subject"](d.subject)])
    ws.blank()
    ws.header([L("persistent"), L("col.breached"), L("col.window"), L("col.status")])
    for p in s.persistent:
        ws.row(
            [
                h["level_name"](p.level_id),
                p.breached,
                p.out_of,
                L("persistent.line", months=p.breached, out_of=p.out_of, consecutive=p.consecutive),
            ]
        )
    ws.finish()

    ws = sheet("levels")
    ws.header(
        [
            L("col.id"),
            L("col.level"),
            L("col.ref"),
            L("col.target"),
            L("col.calendar"),
            L("col.window"),
            L("col.eligible"),
            L("col.met"),
            L("col.breached"),
            L("col.waived"),
            L("col.result"),
            L("col.objective"),
            L("col.allowed"),
            L("col.status"),
            L("col.rag"),
            L("col.penalty"),
        ]
    )
    for row in report.levels:
        r = row.result
        ws.row(
            [
                r.level_id,
                row.name,
                row.ref,
                h["target"](row.target),
                row.calendar,
                r.window,
                r.eligible,
                r.met,
                r.breached,
                r.waived,
                _pct(r.value),
                _pct(r.objective),
                r.allowed_breaches,
                L(f"status.{r.status}"),
                L(f"rag.{row.rag}"),
                row.penalty,
            ]
        )
    ws.finish("C2", autofilter=True)

    ws = sheet("history")
    ws.header([L("col.id"), L("col.window"), L("col.result"), L("col.objective"), L("col.status")])
    for row in report.levels:
        for hp in row.history:
            ws.row(
                [row.id, hp.window, _pct(hp.value), _pct(hp.objective), L(f"status.{hp.status}")]
            )
    ws.finish("A2", autofilter=True)

    ws = sheet("reconciliation")
    ws.header(
        [
            L("col.id"),
            L("col.window"),
            f"{L('rec.provider')} — {L('col.eligible')}",
            f"{L('rec.provider')} — {L('col.met')}",
            f"{L('rec.provider')} — {L('col.result')}",
            f"{L('rec.pilotage')} — {L('col.eligible')}",
            f"{L('rec.pilotage')} — {L('col.met')}",
            f"{L('rec.pilotage')} — {L('col.result')}",
            L("rec.gap"),
            L("rec.cause"),
        ]
    )
    for rec in report.reconciliation.rows:
        ws.row(
            [
                rec.level_id,
                rec.window,
                rec.provider_eligible,
                rec.provider_met,
                _pct(rec.provider_value),
                rec.eligible,
                rec.met,
                _pct(rec.value),
                _pct(rec.gap),
                "; ".join(L(f"cause.{cause}") for cause in rec.causes),
            ]
        )
    ws.blank()
    ws.header([L("rec.population"), L("col.count"), L("col.ticket")])
    for pop in report.reconciliation.population:
        ws.row([L(f"cause.{pop.cause}"), pop.count, ", ".join(pop.ticket_ids)])
    ws.blank()
    ws.header(
        [
            L("col.ticket"),
            L("col.id"),
            L("col.provider_verdict"),
            L("col.pilotage_verdict"),
            L("rec.cause"),
        ]
    )
    for v in report.reconciliation.verdicts:
        verdict = {True: L("verdict.met"), False: L("verdict.breached")}
        ws.row(
            [
                v.ticket_id,
                v.level_id,
                verdict[v.provider_met],
                verdict[v.met],
                L(f"cause.{v.cause}"),
            ]
        )
    ws.finish("A2")

    ws = sheet("breaches")
    ws.header(
        [
            L("col.ticket"),
            L("col.id"),
            L("col.title"),
            L("col.kind"),
            L("vol.priority"),
            L("breach.created"),
            L("breach.stopped"),
            L("col.target"),
            L("breach.counted"),
            L("breach.paused"),
            L("breach.unverifiable"),
            L("breach.waived"),
        ]
    )
    for b in report.breaches:
        ws.row(
            [
                b.ticket_id,
                b.level_id,
                b.title,
                h["kind"](b.kind),
                b.priority,
                Instant(b.created_at),
                None if b.stopped_at is None else Instant(b.stopped_at),
                Duration(b.target_seconds),
                Duration(b.elapsed_seconds),
                Duration(b.paused_seconds),
                not b.pause_verifiable,
                b.waived,
            ]
        )
    ws.blank()
    ws.row([L("unverifiable"), report.unverifiable.count, Duration(report.unverifiable.seconds)])
    ws.finish("B2")

    ws = sheet("trace")
    ws.header(
        [
            L("col.ticket"),
            L("col.id"),
            L("trace.from"),
            L("trace.to"),
            L("trace.state"),
            L("trace.counted"),
        ]
    )
    for b in report.breaches:
        for seg in b.segments:
            ws.row(
                [
                    b.ticket_id,
                    b.level_id,
                    Instant(seg.start),
                    Instant(seg.end),
                    h["segment"](seg),
                    Duration(seg.counted_seconds),
                ]
            )
    ws.finish("A2", autofilter=True)

    ws = sheet("changes")
    ws.header(
        [
            L("col.ticket"),
            L("col.title"),
            L("col.at"),
            L("col.field"),
            L("col.before"),
            L("col.after"),
            L("col.direction"),
            L("col.levels"),
        ]
    )
    for pc in sorted(report.priority_changes, key=lambda pc: pc.direction):
        ws.row(
            [
                pc.ticket_id,
                pc.title,
                Instant(pc.at),
                L("field.priority"),
                pc.before,
                pc.after,
                L(f"direction.{pc.direction}"),
                ", ".join(pc.levels),
            ]
        )
    for rc in report.reclassifications:
        ws.row([rc.ticket_id, rc.title, None, h["field"](rc.field), rc.before, rc.after])
    ws.finish("A2", autofilter=True)

    ws = sheet("availability")
    ws.header(
        [
            L("col.id"),
            L("col.service"),
            L("av.measured"),
            L("av.downtime"),
            L("av.excused"),
            L("col.result"),
            L("col.objective"),
        ]
    )
    for a in report.availability:
        ws.row(
            [
                a.level_id,
                a.service,
                Duration(a.measured_seconds),
                Duration(a.downtime_seconds),
                Duration(a.excused_seconds),
                _pct(a.value),
                _pct(a.objective),
            ]
        )
    ws.blank()
    ws.header(
        [
            L("col.service"),
            L("col.kind"),
            L("col.start"),
            L("col.end"),
            L("col.duration"),
            L("col.counted"),
            L("col.announced"),
            L("col.excused"),
            L("col.reason"),
        ]
    )
    for a in report.availability:
        for o in a.outages:
            ws.row(
                [
                    o.service,
                    L(f"outage.{o.kind}"),
                    Instant(o.start),
                    Instant(o.end),
                    Duration(o.end - o.start),
                    Duration(o.counted_seconds),
                    None if o.announced_at is None else Instant(o.announced_at),
                    o.excused if o.kind == "maintenance" else None,
                    L(f"reason.{o.reason}") if o.reason else None,
                ]
            )
    ws.finish()

    ws = sheet("backups")
    ws.header(
        [
            L("col.id"),
            L("col.service"),
            L("bk.expected"),
            L("bk.succeeded"),
            L("bk.warnings"),
            L("bk.failed"),
            L("bk.missing"),
            L("col.result"),
            L("col.objective"),
        ]
    )
    for bk in report.backups:
        ws.row(
            [
                bk.level_id,
                bk.service,
                bk.expected,
                bk.succeeded,
                bk.warnings,
                bk.failed,
                bk.missing,
                _pct(bk.value),
                _pct(bk.objective),
            ]
        )
    ws.blank()
    ws.header([L("col.service"), L("bk.scheduled"), L("col.status")])
    for bk in report.backups:
        for f in bk.failures:
            ws.row([f.service, Instant(f.scheduled_at), L(f"bk.status.{f.status}")])
    ws.blank()
    ws.header(
        [
            L("col.service"),
            L("rt.performed"),
            L("rt.result"),
            L("col.duration"),
            L("rt.within_rto"),
            L("rt.next_due"),
            L("rt.overdue"),
        ]
    )
    for rt in report.restore_tests:
        ws.row(
            [
                rt.service,
                rt.performed_on,
                L(f"rt.result.{rt.result}"),
                None if rt.duration_seconds is None else Duration(rt.duration_seconds),
                rt.within_rto,
                rt.next_due,
                rt.overdue,
            ]
        )
    ws.finish()

    ws = sheet("volumes")
    ws.header(
        [L("vol.kind"), L("vol.priority"), L("vol.opened"), L("vol.resolved"), L("vol.backlog")]
    )
    for vr in report.volumes.rows:
        ws.row([h["kind"](vr.kind), vr.priority, vr.opened, vr.resolved, vr.backlog])
    ws.blank()
    ws.header([L("vol.ageing"), L("col.count")])
    for bucket in report.volumes.ageing:
        ws.row([h["bucket"](bucket), bucket.count])
    ws.blank()
    ws.row([L("cause.cancelled"), report.volumes.cancelled])
    ws.row([L("cause.merged"), report.volumes.merged])
    ws.row([L("vol.out_of_scope"), report.volumes.out_of_scope])
    ws.finish()

    ws = sheet("penalties")
    pen = report.penalties
    ws.row([L("pen.basis", fee=h["money"](pen.basis)), pen.basis])
    if pen.monthly_cap is not None:
        ws.row([L("pen.cap", cap=h["money"](pen.monthly_cap)), pen.monthly_cap])
    ws.blank()
    ws.header(
        [
            L("col.id"),
            L("col.window"),
            L("pen.formula"),
            L("pen.inputs"),
            L("pen.gross"),
            L("pen.level_cap"),
            L("pen.monthly_cap"),
            L("pen.amount"),
        ]
    )
    for line in pen.lines:
        ws.row(
            [
                line.level_id,
                line.window,
                h["formula"](line.formula),
                h["inputs"](line.inputs),
                line.gross,
                line.after_level_cap,
                line.after_monthly_cap,
                line.amount,
            ]
        )
    ws.row([L("pen.total"), None, None, None, pen.total, None, None, pen.capped_total])
    if pen.claim_by is not None:
        ws.blank()
        ws.row([L("deadline.claim"), pen.claim_by])
    ws.finish()

    ws = sheet("committee")
    ws.header(["#", L("col.point")])
    for number, point in enumerate(report.committee, start=1):
        ws.row([number, h["point"](point)])
    ws.finish()

    ws = sheet("appendix")
    ws.header([L("app.formulas")])
    for code in report.appendix.formulas:
        ws.row([h["formula"](code)])
    ws.blank()
    ws.header([L("app.version"), L("col.value")])
    ws.row([L("app.effective"), c.effective])
    ws.row([L("app.hash"), c.version])
    ws.row([L("app.amendments"), ", ".join(c.amendments)])
    for key, value in report.appendix.options:
        ws.row([key, value])
    ws.blank()
    ws.header([L("app.role"), L("app.file"), "SHA-256"])
    for item in sorted(report.provenance.inputs, key=lambda i: (i.role, i.name)):
        ws.row([item.role, item.name, item.sha256])
    ws.blank()
    for name, version in sorted(report.provenance.versions.items()):
        ws.row([name, version])
    ws.row([L("app.run_key"), report.provenance.run_key()])
    ws.finish()

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
