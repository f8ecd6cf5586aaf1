"""Reading saved API answers (JSON files) for the source readers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pilotage import i18n
from pilotage.ingest.csvio import Problems

__all__ = ["load_json"]

i18n.register(
    {
        "ingest.bad_json": {
            "en": "the file is not valid JSON ({reason}): expected {expected}",
            "fr": "le fichier n’est pas du JSON valide ({reason}) : attendu {expected}",
        },
        "ingest.json_shape": {
            "en": "unexpected JSON content: expected {expected}",
            "fr": "contenu JSON inattendu : attendu {expected}",
        },
    }
)


def load_json(path: Path, expected: str, problems: Problems) -> Any:
    """The decoded file (UTF-8 with or without BOM); None with the problem
    recorded when it cannot be read or decoded."""
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        problems.add("ingest.bad_json", str(path), expected=expected, reason=reason)
        return None
