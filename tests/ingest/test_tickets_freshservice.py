"""Freshservice tickets from saved API answers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pilotage.ingest.csvio import ImportErrors
from pilotage.ingest.sources.freshservice import read_freshservice_json
from pilotage.tables import MISSING

FIXTURE = Path(__file__).parent / "fixtures" / "tickets" / "freshservice_tickets.json"


def test_reads_tickets_stats_and_escalation_verdicts() -> None:
    result = read_freshservice_json([FIXTURE], requester_key=b"k")
    t = result.tickets
    assert t.id.tolist() == ["501", "502", "503"]
    assert t.kind.tolist() == ["incident", "request", "incident"]
    assert t.priority.tolist() == ["P2", "P3", "P1"]
    assert t.state.tolist() == ["closed", "open", "open"]
    assert t.resolved_at[0] == 1775044800  # 2026-04-01T12:00Z
    assert t.resolved_at[1] == MISSING
    assert t.provider_response_met.tolist() == [1, 1, 0]
    assert t.provider_resolution_met.tolist() == [1, 0, 1]
    assert t.requester[0] == t.requester[2] != t.requester[1]
    assert "texte privé" not in repr(t.title)
    again = read_freshservice_json([FIXTURE], requester_key=b"k").tickets
    assert np.array_equal(t.requester, again.requester)


def test_later_answer_wins_and_codes_are_checked(tmp_path: Path) -> None:
    data = json.loads(FIXTURE.read_text("utf-8"))
    later = {"ticket": dict(data["tickets"][1], status=4, priority=9)}
    path = tmp_path / "later.json"
    path.write_text(json.dumps(later), "utf-8")
    with pytest.raises(ImportErrors) as info:
        read_freshservice_json([FIXTURE, path])
    assert 'later.json, row 1, column priority, value "9"' in info.value.message("en")
    later["ticket"]["priority"] = 1
    path.write_text(json.dumps(later), "utf-8")
    t = read_freshservice_json([FIXTURE, path]).tickets
    assert t.id.tolist() == ["501", "502", "503"]
    assert t.state.tolist()[1] == "resolved"
