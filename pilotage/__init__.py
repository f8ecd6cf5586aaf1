"""Pilotage: steer an outsourced IT contract from the customer's side.

The package is a framework-free core (``contract``, ``engine``, ``ingest``,
``reports``) with thin shells around it (the ``pilotage`` command line).
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
