"""The presets on the public ITSM logs in ../shared/data (skipped when absent)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from pilotage.ingest.canonical import (
    read_events_csv,
    read_tickets_csv,
    write_events_csv,
    write_tickets_csv,
)
from pilotage.ingest.sources import read_source
from pilotage.ingest.summary import check_timezone_fit
from pilotage.tables import EVENT_STATUSES, MISSING

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not DATA.is_dir(), reason=f"real ITSM logs not found in {DATA}"),
]


def _head(source: Path, target: Path, lines: int) -> Path:
    with source.open("rb") as src, target.open("wb") as dst:
        dst.writelines(itertools.islice(src, lines))
    return target


def test_helpdesk_log() -> None:
    r = read_source("helpdesk", [DATA / "helpdesk" / "helpdesk.csv"], timezone="Europe/Rome")
    assert len(r.tickets) == 4580
    assert r.tickets_with_history() == 4580
    assert (np.asarray(EVENT_STATUSES)[r.events.status] == "paused").sum() > 0
    assert set(r.tickets.state.tolist()) <= {"open", "resolved", "closed", "cancelled", "merged"}
    ordered = np.lexsort((r.events.at, r.events.ticket))
    assert np.array_equal(ordered, np.arange(len(r.events)))
    check = check_timezone_fit(r.tickets.created_at, "Europe/Rome")
    assert check is not None and not check.looks_shifted


def test_bpic2013_log_needs_and_uses_the_stated_timezone(tmp_path: Path) -> None:
    path = _head(DATA / "bpic2013" / "vinst_incidents.csv", tmp_path / "vinst.csv", 20_000)
    r = read_source("bpic2013", [path], timezone="Europe/Brussels")
    assert len(r.tickets) > 1000
    reasons = set(r.events.pause_reason.tolist())
    assert {"waiting_customer", "waiting"} <= reasons
    # Every row is stamped +01:00; read in Brussels time, summer rows move one hour.
    (tmp_path / "honour.yaml").write_text("extends: bpic2013\noffsets: honour\n")
    honoured = read_source(str(tmp_path / "honour.yaml"), [path])
    delta = honoured.tickets.created_at - r.tickets.created_at
    assert set(np.unique(delta).tolist()) <= {0, 3600}
    assert (delta == 3600).any() and (delta == 0).any()


def test_bpic2014_activity_log_subset(tmp_path: Path) -> None:
    path = _head(
        DATA / "bpic2014" / "incident_activity_joined.csv", tmp_path / "activity.csv", 40_000
    )
    r = read_source("bpic2014", [path], timezone="Europe/Amsterdam")
    assert len(r.tickets) > 2000
    assert "waiting_vendor" in set(r.events.pause_reason.tolist())
    assert (r.tickets.created_at != MISSING).all()
    closed = r.tickets.state == "closed"
    assert (r.tickets.closed_at[closed] != MISSING).all()
    assert (r.tickets.closed_at[closed] >= r.tickets.created_at[closed]).all()
    # round trip through the canonical files
    write_tickets_csv(r.tickets, tmp_path / "t.csv")
    write_events_csv(r.events, r.tickets, tmp_path / "e.csv")
    t = read_tickets_csv(tmp_path / "t.csv")
    e = read_events_csv(tmp_path / "e.csv", t)
    assert t.id.tolist() == r.tickets.id.tolist()
    assert e.at.tolist() == r.events.at.tolist() and e.status.tolist() == r.events.status.tolist()


def test_reading_twice_is_identical() -> None:
    a = read_source("helpdesk", [DATA / "helpdesk" / "helpdesk.csv"], timezone="Europe/Rome")
    b = read_source("helpdesk", [DATA / "helpdesk" / "helpdesk.csv"], timezone="Europe/Rome")
    for name in ("id", "created_at", "resolved_at", "closed_at", "state", "priority"):
        assert getattr(a.tickets, name).tolist() == getattr(b.tickets, name).tolist()
    assert a.events.at.tolist() == b.events.at.tolist()
