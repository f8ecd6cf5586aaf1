"""The report as PDF: the HTML page laid out by WeasyPrint (A4, page numbers)."""

from __future__ import annotations

import logging
import warnings

from pilotage.reports.html import render_html
from pilotage.reports.model import MonthlyReport

__all__ = ["render_pdf"]


def render_pdf(report: MonthlyReport, lang: str) -> bytes:
    """PDF bytes of the report in ``lang``.

    WeasyPrint is imported here, not with the package: it loads native
    libraries and warns when an optional one (HarfBuzz subset) is missing.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="weasyprint.*")
        from weasyprint import HTML

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    pdf: bytes = HTML(string=render_html(report, lang, inline_svg=False), base_url=None).write_pdf()
    return pdf
