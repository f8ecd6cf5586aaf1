"""Readers that turn provider exports and monitoring data into the canonical tables.

Tickets side: :mod:`~pilotage.ingest.canonical` (the canonical ``tickets.csv`` and
``events.csv``), :mod:`~pilotage.ingest.mapping` (saved mappings and the presets
in ``presets/``), :mod:`~pilotage.ingest.sources` (one reader per export layout:
one row per ticket, or an event log), :mod:`~pilotage.ingest.summary` (what an
import read), on top of :mod:`~pilotage.ingest.csvio` (CSV/XLSX reading and the
all-or-nothing error collector).  Monitoring, backups, claims and adjustments
have their own modules.
"""
