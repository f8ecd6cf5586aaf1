"""Vague wording that makes a commitment unmeasurable, in French and English."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["VAGUE_TERMS", "find_vague"]

VAGUE_TERMS: Final[tuple[str, ...]] = (
    "meilleurs délais",
    "plus brefs délais",
    "dans les meilleurs délais",
    "dans les plus brefs délais",
    "délai raisonnable",
    "raisonnable",
    "raisonnablement",
    "best effort",
    "best efforts",
    "reasonable",
    "reasonably",
    "as soon as possible",
    "asap",
    "sous réserve de",
    "dans la mesure du possible",
    "obligation de moyens",
    "si possible",
    "autant que possible",
    "à bref délai",
    "promptly",
    "where possible",
    "commercially reasonable",
    "en fonction des disponibilités",
)
"""Each term is matched on word boundaries, ignoring case and accents."""


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_PATTERN = re.compile(
    r"\b("
    + "|".join(re.escape(_fold(t)) for t in sorted(VAGUE_TERMS, key=len, reverse=True))
    + r")\b"
)


def find_vague(text: str) -> list[tuple[int, int, str]]:
    """(start, end, term) of every vague term in ``text``, longest match first.

    Folding keeps one character per character of ``text`` for the accented
    letters of French, so offsets point into the original text.
    """
    folded = _fold(text)
    if len(folded) != len(text):  # a character that folds to several: search char by char
        folded = "".join((_fold(c)[:1] or " ") for c in text)
    return [(m.start(), m.end(), m.group(1)) for m in _PATTERN.finditer(folded)]
