"""Property tests: the vectorized clocks against a brute-force oracle walking minutes.

The oracle knows the reference business calendar on its own (weekdays
08:00-12:30 and 13:30-18:00 in Paris, French holidays except Whit Monday) and
replays each ticket's status minute by minute.  Instants are whole minutes, so
minute granularity is exact.  The range covers May 2026: 1, 8 and 14 May are
holidays, 25 May (Whit Monday) is worked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cache

import holidays
import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pilotage.engine.evaluate import VERDICTS, evaluate_tickets
from pilotage.tables import EVENT_STATUSES, MISSING
from tests.engine.builders import PARIS, at, contract, dur, events, terms, tickets, with_level

BASE = at(2026, 4, 29)
DAYS = 40
STATUSES = ("open", "paused", "resolved", "closed")
REASONS = ("waiting_customer", "waiting_vendor", "on_hold", "")


@cache
def open_minutes() -> np.ndarray:
    """Whether each minute from BASE is open on the reference business calendar."""
    closed_days = {
        d
        for d, name in holidays.country_holidays("FR", years=2026, language="fr").items()
        if name != "Lundi de Pentecôte"
    }
    out = np.zeros(DAYS * 1440, dtype=bool)
    for i in range(out.size):
        local = dt.datetime.fromtimestamp(BASE + 60 * i, PARIS)
        minute = local.hour * 60 + local.minute
        out[i] = (
            local.weekday() < 5
            and local.date() not in closed_days
            and (8 * 60 <= minute < 12 * 60 + 30 or 13 * 60 + 30 <= minute < 18 * 60)
        )
    return out


def oracle(
    created: int,
    rows: list[tuple[int, str, str]],
    resolved: int | None,
    as_of: int,
    target: int,
    unknown_counts: bool,
) -> tuple[int, str, int]:
    """Elapsed seconds, verdict and deadline of the p2-resolution clock of one ticket."""
    segments = [(created, "open", "")]
    segments += [(max(t, created), s, r) for t, s, r in rows if t <= as_of]
    if resolved is not None and resolved <= as_of:
        last_status = segments[-1][1] if len(segments) > 1 else None
        if last_status is None or (
            last_status in ("open", "paused") and resolved >= segments[-1][0]
        ):
            segments.append((max(resolved, created), "resolved", ""))
    active = [i for i, seg in enumerate(segments) if seg[1] in ("open", "paused")]
    stop = None if active[-1] == len(segments) - 1 else segments[active[-1] + 1][0]

    def runs(status: str, reason: str) -> bool:
        if status == "open":
            return True
        if status != "paused":
            return False
        if reason == "waiting_customer":
            return False
        if reason == "waiting_vendor":
            return True
        return unknown_counts

    is_open = open_minutes()
    elapsed = 0
    reached = MISSING
    counted = 0
    horizon = stop if stop is not None else min(as_of + 10 * 86_400, BASE + DAYS * 86_400)
    m = created
    seg = 0
    while m < horizon:
        while seg + 1 < len(segments) and segments[seg + 1][0] <= m:
            seg += 1
        status, reason = segments[seg][1], segments[seg][2]
        if runs(status, reason) and is_open[(m - BASE) // 60]:
            counted += 60
            if m < as_of:
                elapsed += 60
            if counted == target and reached == MISSING:
                reached = m + 60
        if m >= as_of and reached != MISSING:
            break
        m += 60
    if stop is not None:
        verdict = "met" if elapsed <= target else "breached"
    else:
        verdict = "breached" if elapsed > target else "pending"
    deadline = reached if (stop is None or elapsed > target) else MISSING
    if target == 0:
        deadline = created
    return elapsed, verdict, deadline


minute = st.integers(min_value=0, max_value=3 * 1440).map(lambda k: 60 * k)
event_rows = st.lists(
    st.tuples(
        st.integers(min_value=-120, max_value=1800).map(lambda k: 60 * k),
        st.sampled_from(STATUSES),
        st.sampled_from(REASONS),
    ),
    max_size=6,
)
ticket_spec = st.tuples(
    st.integers(min_value=0, max_value=10 * 1440).map(lambda k: BASE + 60 * k),
    event_rows,
    st.one_of(st.none(), minute),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    specs=st.lists(ticket_spec, min_size=1, max_size=4),
    as_of_days=st.integers(min_value=1, max_value=12),
    target_minutes=st.sampled_from([0, 30, 60, 240, 480]),
    unknown_counts=st.booleans(),
)
def test_clocks_match_a_minute_walking_oracle(
    specs: list[tuple[int, list[tuple[int, str, str]], int | None]],
    as_of_days: int,
    target_minutes: int,
    unknown_counts: bool,
) -> None:
    base_terms = terms()
    level = replace(base_terms.level("p2-resolution"), target=dur(f"{target_minutes}min"))
    measurement = replace(
        base_terms.measurement,
        unknown_pause_reason="counts" if unknown_counts else "does_not_count",
    )
    version = replace(with_level(base_terms, level), measurement=measurement)
    c = contract(versions=[(dt.date(2026, 1, 1), version)])
    as_of = BASE + as_of_days * 86_400 + 7 * 3600

    rows = []
    history = []
    expected = []
    for i, (created, spec_rows, resolved_gap) in enumerate(specs):
        tid = f"T{i + 1}"
        t = created
        ev_rows = []
        for gap, status, reason in spec_rows:
            t = max(t + gap, created - 7200)
            ev_rows.append((t, status, reason if status == "paused" else ""))
        ev_rows.sort(key=lambda row: row[0])  # stable: same-instant rows keep their order
        resolved = None if resolved_gap is None else created + resolved_gap
        state = "open" if resolved is None else "resolved"
        rows.append(
            {"priority": "P2", "created_at": created, "resolved_at": resolved, "state": state}
        )
        history += [(tid, t, s, r) for t, s, r in ev_rows]
        if created <= as_of:
            expected.append(
                (i, oracle(created, ev_rows, resolved, as_of, 60 * target_minutes, unknown_counts))
            )
    table = tickets(*rows)
    result = evaluate_tickets(c, table, events(table, *history), as_of=as_of)
    m = result.levels["p2-resolution"]
    assert m.ticket.tolist() == [i for i, _ in expected]
    for p, (_, (elapsed, verdict, deadline)) in enumerate(expected):
        assert int(m.elapsed[p]) == elapsed
        assert VERDICTS[int(m.verdict[p])] == verdict
        assert int(m.deadline[p]) == deadline
        event(f"verdict {verdict}, deadline {'known' if deadline != MISSING else 'none'}")
    assert EVENT_STATUSES == STATUSES
