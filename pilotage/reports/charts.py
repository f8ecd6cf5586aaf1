"""Trend charts as inline SVG, drawn with matplotlib's Agg/SVG backend.

The output is deterministic: fixed hash salt per chart, no date metadata,
text kept as text (the document's fonts), no XML prologue.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pilotage.reports.messages import fmt_month
from pilotage.reports.model import HistoryPoint

__all__ = ["trend_svg"]

COLORS = {"met": "#2e7d4f", "breached": "#c0392b", "no_data": "#b8bec6"}
INK = "#3a4250"
GRID = "#dfe3e8"


def _style(level_id: str) -> None:
    """Deterministic SVG (fixed hash salt), text as text, the report's colours."""
    rc = plt.rcParams
    rc["svg.hashsalt"] = f"pilotage-{level_id}"
    rc["svg.fonttype"] = "none"
    rc["font.family"] = "DejaVu Sans"
    rc["font.size"] = 7
    rc["axes.edgecolor"] = GRID
    rc["axes.linewidth"] = 0.6
    rc["xtick.color"] = INK
    rc["ytick.color"] = INK


def _bounds(values: Sequence[float], objectives: Sequence[float]) -> tuple[float, float]:
    """Y range that shows the gap to the objective instead of flattening it."""
    if not objectives:
        return 0.0, 1.04
    span = max(1.0 - min(objectives), 0.005)
    low = min([*values, min(objectives) - span, 0.99])
    low = max(0.0, low - (1.0 - low) * 0.15)
    return low, 1.0 + (1.0 - low) * 0.04


def trend_svg(level_id: str, history: Sequence[HistoryPoint], lang: str) -> str:
    """Bars of the result per window, coloured by status, and the objective as a line."""
    windows = [h.window for h in history]
    values = [float(h.value) if h.value is not None else 0.0 for h in history]
    objectives = [float(h.objective) for h in history if h.objective is not None]
    low, high = _bounds([float(h.value) for h in history if h.value is not None], objectives)
    with plt.rc_context():
        _style(level_id)
        fig, ax = plt.subplots(figsize=(6.6, 1.3))
        try:
            xs = list(range(len(history)))
            heights = [
                v - low if h.value is not None else 0.0
                for v, h in zip(values, history, strict=True)
            ]
            ax.bar(
                xs,
                heights,
                bottom=low,
                width=0.62,
                color=[COLORS[h.status] for h in history],
                zorder=2,
            )
            for x, h in zip(xs, history, strict=True):
                if h.value is None:
                    ax.text(x, low, "–", ha="center", va="bottom", color=COLORS["no_data"])
            obj = [float(h.objective) if h.objective is not None else None for h in history]
            if any(o is not None for o in obj):
                ax.step(
                    [x for x, o in zip(xs, obj, strict=True) if o is not None],
                    [o for o in obj if o is not None],
                    where="mid",
                    color=INK,
                    linewidth=1.1,
                    linestyle=(0, (4, 2)),
                    zorder=3,
                )
            ax.set_ylim(low, high)
            ax.set_xlim(-0.6, len(history) - 0.4)
            ax.set_xticks(xs, [fmt_month(w, lang, short=True) for w in windows])
            decimals = 1 if high - low < 0.05 else 0
            ax.yaxis.set_major_formatter(
                FuncFormatter(lambda y, _: _percent(y, decimals, lang)),
            )
            ax.yaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 2.5, 5, 10]))
            ax.grid(axis="y", color=GRID, linewidth=0.5, zorder=0)
            ax.tick_params(length=0, pad=3)
            for side in ("top", "right", "left"):
                ax.spines[side].set_visible(False)
            fig.subplots_adjust(left=0.08, right=0.995, top=0.96, bottom=0.19)
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        finally:
            plt.close(fig)
    return _inline(buffer.getvalue())


def _percent(y: float, decimals: int, lang: str) -> str:
    text = f"{y * 100:.{decimals}f}"
    if lang == "fr":
        return text.replace(".", ",") + "\u202f%"
    return text + "%"


_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)


def _inline(svg: str) -> str:
    """Drop the XML prologue, DOCTYPE and metadata so the SVG can sit inside HTML."""
    svg = _PROLOGUE.sub("", svg, count=1)
    svg = _METADATA.sub("", svg)
    return svg.strip()
