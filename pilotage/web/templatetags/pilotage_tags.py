"""Template tags (built in, no ``{% load %}`` needed): messages and locale formats.

- ``{% t "web.login.title" %}`` or ``{% t "web.nav.signed_in_as" name=user.username %}``
- ``{{ code|t }}`` for a code held in a variable (``{{ run.status|t:"run.status" }}``
  renders ``run.status.<value>``)
- ``{{ amount|money:"EUR" }}``, ``{{ ratio|percent }}``, ``{{ n|number }}``,
  ``{{ day|day }}``, ``{{ instant|instant }}`` in the active language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone, translation

import pilotage.web.messages  # noqa: F401  (registers the codes)
from pilotage import i18n

register = template.Library()


def _lang() -> str:
    lang = (translation.get_language() or "en")[:2]
    return lang if lang in i18n.LANGUAGES else "en"


@register.simple_tag(name="t")
def t_tag(code: str, **params: Any) -> str:
    """The message ``code`` in the active language."""
    return i18n.t(code, _lang(), **params)


@register.filter(name="t")
def t_filter(code: str, prefix: str = "") -> str:
    """``code`` (or ``prefix.code``) rendered in the active language."""
    return i18n.t(f"{prefix}.{code}" if prefix else str(code), _lang())


@register.filter
def money(value: Decimal | None, currency: str = "EUR") -> str:
    """An amount with its currency, e.g. ``1 234,50 €``."""
    return "" if value is None else i18n.fmt_money(Decimal(value), _lang(), currency)


@register.filter
def percent(value: Decimal | None, digits: int = 2) -> str:
    """A ratio as a percentage."""
    return "" if value is None else i18n.fmt_percent(Decimal(value), _lang(), digits)


@register.filter
def number(value: Decimal | int | None, digits: int = 2) -> str:
    """A number with the locale's separators."""
    return "" if value is None else i18n.fmt_number(value, _lang(), digits)


@register.filter
def day(value: dt.date | None) -> str:
    """A date as the locale writes it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return i18n.fmt_date(value, _lang())


@register.filter
def instant(value: dt.datetime | None) -> str:
    """An aware date-time in the server's timezone."""
    return "" if value is None else i18n.fmt_datetime(timezone.localtime(value), _lang())
