"""Properties of availability on random outage tables (checked against brute force)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.contract.model import Duration, MaintenanceExclusion
from pilotage.engine.availability import _intersect, _merge, _subtract, evaluate_availability
from pilotage.engine.windows import window_grid
from pilotage.tables import Outages, object_array
from tests.engine.builders_penalties import MAIL, at, make_contract, make_terms, with_level

T0 = at(2026, 10, 10)
HOUR = 3600

intervals = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 40)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=8,
)


def _points(items: list[tuple[int, int]]) -> set[int]:
    return {x for s, e in items for x in range(s, e)}


@given(intervals, intervals)
def test_interval_operations_match_sets(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> None:
    ma, mb = _merge(a), _merge(b)
    assert _points(ma) == _points(a)
    assert all(e1 < s2 for (_, e1), (s2, _) in itertools.pairwise(ma))
    assert _points(_intersect(ma, mb)) == _points(a) & _points(b)
    assert _points(_subtract(ma, mb)) == _points(a) - _points(b)


rows = st.lists(
    st.tuples(
        st.integers(0, 20 * 24),  # start hour from T0
        st.integers(1, 12),  # length in hours
        st.sampled_from(["down", "maintenance"]),
        st.integers(0, 96),  # notice in hours
    ),
    max_size=10,
)


@settings(max_examples=80, deadline=None)
@given(rows, st.booleans())
def test_downtime_bounds_and_allowance(
    data: list[tuple[int, int, str, int]], out_of_measured_time: bool
) -> None:
    exclusion = MaintenanceExclusion(
        notice=Duration(Decimal(48), "h"),
        max_per_month=Duration(Decimal(4), "h"),
        out_of_measured_time=out_of_measured_time,
    )
    contract = make_contract(with_level(make_terms(), replace(MAIL, maintenance=exclusion)))
    starts = [T0 + h * HOUR for h, _, _, _ in data]
    table = Outages(
        service=object_array("messagerie" for _ in data),
        start=np.array(starts, dtype=np.int64),
        end=np.array([s + n * HOUR for s, (_, n, _, _) in zip(starts, data, strict=True)]),
        kind=object_array(k for _, _, k, _ in data),
        announced_at=np.array(
            [s - notice * HOUR for s, (_, _, _, notice) in zip(starts, data, strict=True)],
            dtype=np.int64,
        ),
    )
    grid = window_grid("month", "Europe/Paris", at(2026, 10, 1), at(2026, 11, 1))
    results = evaluate_availability(
        contract, "mail-availability", grid, as_of=at(2026, 12, 1), outages=table
    )
    everything = _merge([(int(s), int(e)) for s, e in zip(table.start, table.end, strict=True)])
    down_rows = _merge(
        [
            (int(s), int(e))
            for s, e, k in zip(table.start, table.end, table.kind, strict=True)
            if k == "down"
        ]
    )
    for res in results:
        d = res.details
        window = [(res.start, res.end)]
        assert 0 <= d["downtime_seconds"] <= d["measured_seconds"]
        assert res.value is not None and 0 <= res.value <= 1
        assert d["excused_maintenance_seconds"] <= 4 * HOUR
        in_window = sum(e - s for s, e in _intersect(everything, window))
        unrelated = sum(e - s for s, e in _intersect(down_rows, window))
        assert unrelated <= d["downtime_seconds"]
        assert d["downtime_seconds"] + d["excused_maintenance_seconds"] == in_window
