"""The monthly report: one model (:mod:`pilotage.reports.model`) in four formats.

``write_report`` writes any of JSON (canonical, for machines and audits),
HTML (self-contained), PDF (print) and XLSX (typed cells) next to each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from pilotage import i18n
from pilotage.errors import PilotageError
from pilotage.reports.html import render_html
from pilotage.reports.json_render import render_json
from pilotage.reports.model import MonthlyReport
from pilotage.reports.pdf import render_pdf
from pilotage.reports.xlsx import render_xlsx

__all__ = ["FORMATS", "render_html", "render_json", "render_pdf", "render_xlsx", "write_report"]

FORMATS = ("json", "html", "pdf", "xlsx")


def _renderers(lang: str) -> dict[str, Callable[[MonthlyReport], bytes]]:
    return {
        "json": render_json,
        "html": lambda r: render_html(r, lang).encode("utf-8"),
        "pdf": lambda r: render_pdf(r, lang),
        "xlsx": lambda r: render_xlsx(r, lang),
    }


def write_report(
    report: MonthlyReport, formats: Iterable[str], lang: str, out_path_stem: Path | str
) -> list[Path]:
    """Write the report as ``<stem>.<format>`` for each format; return the paths written.

    The folder of ``out_path_stem`` is created if needed.  Formats are checked
    and every format rendered before anything is written.
    """
    wanted = list(dict.fromkeys(formats))
    for fmt in wanted:
        if fmt not in FORMATS:
            raise PilotageError(
                "report.unknown_format", {"format": fmt, "expected": ", ".join(FORMATS)}
            )
    if lang not in i18n.LANGUAGES:
        raise PilotageError(
            "report.unknown_language", {"lang": lang, "expected": ", ".join(i18n.LANGUAGES)}
        )
    stem = Path(out_path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    renderers = _renderers(lang)
    rendered = {fmt: renderers[fmt](report) for fmt in wanted}  # all or nothing
    written = []
    for fmt, data in rendered.items():
        path = stem.with_name(f"{stem.name}.{fmt}")
        path.write_bytes(data)
        written.append(path)
    return written
