"""What an import read, for the user to check before anything is computed:
counts, date range, how pauses are known, the provider's verdicts, and a
timezone plausibility check on the creation hours."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from pilotage.ingest.sources.common import ImportResult
from pilotage.tables import MISSING
from pilotage.timeutil import utc_to_local

__all__ = ["OPENING_HOURS", "Summary", "TimezoneCheck", "summarize"]

OPENING_HOURS: Final = (7, 20)
"""Typical opening hours (local, Monday to Friday) used by the timezone check."""
MIDDAY: Final = 13.0
"""Hour around which creations gather on a working day (used to pick a likely shift)."""
PLAUSIBLE_SHARE: Final = 0.5
"""Below this share of creations inside typical opening hours, the times look shifted."""


@dataclass(frozen=True)
class TimezoneCheck:
    """Share of creations inside typical opening hours, and the whole-hour shift
    that would put the most creations there."""

    timezone: str
    share: float
    best_shift_hours: int
    best_share: float

    @property
    def looks_shifted(self) -> bool:
        """True when few creations fall in opening hours and a shift fixes it."""
        return self.share < PLAUSIBLE_SHARE or (
            self.best_shift_hours != 0 and self.best_share - self.share >= 0.25
        )


@dataclass(frozen=True)
class Summary:
    """Counts and checks of an :class:`ImportResult`."""

    tickets: int
    events: int
    by_kind: dict[str, int]
    by_priority: dict[str, int]
    by_state: dict[str, int]
    first_created: int
    last_created: int
    with_history: int
    with_waiting_total: int
    with_neither: int
    verdicts: dict[str, dict[str, int]] = field(default_factory=dict)
    timezone_check: TimezoneCheck | None = None


def _share_in_hours(local: np.typing.NDArray[np.int64]) -> float:
    days = np.floor_divide(local, 86_400)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    hour = np.floor_divide(local % 86_400, 3600)
    inside = (weekday < 5) & (hour >= OPENING_HOURS[0]) & (hour < OPENING_HOURS[1])
    return float(inside.mean()) if local.size else 0.0


def check_timezone_fit(created: np.typing.NDArray[np.int64], timezone: str) -> TimezoneCheck | None:
    """The opening-hours check of creation instants read in ``timezone``."""
    known = created[created != MISSING]
    if known.size == 0:
        return None
    local = utc_to_local(known, timezone)
    share = _share_in_hours(local)
    # Among the shifts that put the most creations in opening hours, prefer the
    # one that brings the (circular) mean creation hour closest to midday.
    angle = (local % 86_400) / 86_400 * 2 * np.pi
    mean_hour = float(np.arctan2(np.sin(angle).mean(), np.cos(angle).mean()) / (2 * np.pi) * 24)

    def rank(shift: int) -> tuple[float, float, int]:
        distance = abs((mean_hour + shift - MIDDAY + 12) % 24 - 12)
        return round(_share_in_hours(local + shift * 3600), 9), -distance, -abs(shift)

    best_shift = max(range(-12, 13), key=rank)
    return TimezoneCheck(timezone, share, best_shift, _share_in_hours(local + best_shift * 3600))


def summarize(result: ImportResult, timezone: str | None) -> Summary:
    """Counts per kind, priority and state, date range, pause knowledge,
    verdicts, and the timezone check when ``timezone`` is known."""
    t = result.tickets
    has_events = np.zeros(len(t), dtype=bool)
    has_events[np.unique(result.events.ticket)] = True
    has_waiting = (t.waiting_seconds != MISSING) & ~has_events
    created = t.created_at[t.created_at != MISSING]
    verdicts: dict[str, dict[str, int]] = {}
    for name in ("provider_sla_met", "provider_response_met", "provider_resolution_met"):
        values = getattr(t, name)
        if (values >= 0).any():
            verdicts[name] = {
                "met": int((values == 1).sum()),
                "missed": int((values == 0).sum()),
                "unknown": int((values < 0).sum()),
            }
    return Summary(
        tickets=len(t),
        events=len(result.events),
        by_kind=dict(Counter(t.kind.tolist()).most_common()),
        by_priority=dict(sorted(Counter(t.priority.tolist()).items())),
        by_state=dict(Counter(t.state.tolist()).most_common()),
        first_created=int(created.min()) if created.size else MISSING,
        last_created=int(created.max()) if created.size else MISSING,
        with_history=int(has_events.sum()),
        with_waiting_total=int(has_waiting.sum()),
        with_neither=int((~has_events & ~has_waiting).sum()),
        verdicts=verdicts,
        timezone_check=None if timezone is None else check_timezone_fit(t.created_at, timezone),
    )
