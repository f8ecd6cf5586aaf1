"""Formatting shared by the report's renderings."""

from __future__ import annotations

from decimal import Decimal

from pilotage.reports.messages import (
    fmt_duration,
    fmt_instant,
    fmt_month,
    fmt_points,
    fmt_target,
)


def test_durations_stay_in_hours() -> None:
    assert fmt_duration(97200, "fr") == "27 h"
    assert fmt_duration(3 * 3600 + 5 * 60, "en") == "3 h 05 min"
    assert fmt_duration(2682000, "fr") == "745 h"
    assert fmt_duration(45, "fr") == "45 s"
    assert fmt_duration(-600, "fr") == "−10 min"


def test_targets_in_words() -> None:
    assert fmt_target("30min", "fr") == "30 min"
    assert fmt_target("3d", "fr") == "3 jours ouvrés"
    assert fmt_target("5bd", "en") == "by end of open day 5"
    assert fmt_target("1.5h", "fr") == "1,5 h"
    assert fmt_target("", "fr") == ""


def test_months_and_instants() -> None:
    assert fmt_month("2026-10", "fr") == "Octobre 2026"
    assert fmt_month("2026-10", "fr", title=False) == "octobre 2026"
    assert fmt_month("2026-02", "en") == "February 2026"
    assert fmt_month("2026-Q4", "fr") == "2026-Q4"
    assert fmt_month("2026", "en", short=True) == "2026"
    # 2026-10-25 01:30 UTC is 02:30 in Paris, after the change back to winter time (03:30 before).
    assert fmt_instant(1792891800, "Europe/Paris", "fr") == "25/10/2026 02:30"
    assert fmt_instant(None, "Europe/Paris", "fr") == "—"


def test_points() -> None:
    assert fmt_points(Decimal("-0.1666666"), "fr") == "−16,67\u00a0pts"
    assert fmt_points(Decimal("0.005"), "en") == "+0.5\u00a0pts"
    assert fmt_points(Decimal("0"), "en") == "0\u00a0pts"
