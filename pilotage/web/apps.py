"""The Django application that holds every Pilotage model."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    """Pilotage's models, views and templates (label ``web``)."""

    name = "pilotage.web"
    label = "web"
    verbose_name = "Pilotage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the web messages in the catalog."""
        import pilotage.web.messages  # noqa: F401
