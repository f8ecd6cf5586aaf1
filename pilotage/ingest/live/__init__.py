"""Live readers: tickets and status history straight from a tool's API, with
retries and incremental reads (a cursor returned with every result)."""

from __future__ import annotations

from pilotage.ingest.live._build import LiveResult, id_order
from pilotage.ingest.live._http import RetryPolicy
from pilotage.ingest.live.glpi import GlpiClient
from pilotage.ingest.live.itop import ItopClient

__all__ = ["GlpiClient", "ItopClient", "LiveResult", "RetryPolicy", "id_order"]
