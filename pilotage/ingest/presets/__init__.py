"""Mappings shipped with Pilotage (one YAML file per source tool)."""
