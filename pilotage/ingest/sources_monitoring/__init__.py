"""Readers for monitoring tools: Uptime Kuma, Prometheus, Zabbix, Centreon.

Each turns the tool's own data into the canonical availability tables
(:class:`~pilotage.tables.Probes`, :class:`~pilotage.tables.Outages`) or the
provider's claimed figures (:class:`~pilotage.tables.Claims`).  Monitors are
tied to contract services by the references listed in each service's
``monitors`` (``uptime-kuma:12``, ``prometheus:{instance="…"}``,
``zabbix:item:23296``, ``zabbix:trigger:17001``).
"""
