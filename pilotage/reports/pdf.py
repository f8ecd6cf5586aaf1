"""The report as PDF: the HTML page laid out by WeasyPrint (A4, page numbers)."""

from __future__ import annotations

import logging

from weasyprint import HTML

from pilotage.reports.html import render_html
from pilotage.reports.model import MonthlyReport

__all__ = ["render_pdf"]

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def render_pdf(report: MonthlyReport, lang: str) -> bytes:
    """PDF bytes of the report in ``lang``."""
    document = HTML(string=render_html(report, lang), base_url=None)
    pdf: bytes = document.write_pdf()
    return pdf
