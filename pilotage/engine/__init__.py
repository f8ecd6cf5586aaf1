"""The SLA engine: arrays and plain data in, results out (no I/O, no framework)."""

from __future__ import annotations

from pilotage.engine.calendar import Calendar, business_seconds

__all__ = ["Calendar", "business_seconds"]
