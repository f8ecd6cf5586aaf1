"""The Pilotage web application: a Django shell over the core.

It stores contracts, import snapshots and runs, and renders them; every rule
of measurement stays in :mod:`pilotage.engine` and :mod:`pilotage.run`.  See
``docs/web.md`` for the architecture, the settings and the permission matrix.
"""
