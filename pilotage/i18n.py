"""User-facing messages in French and English.

The core never formats a sentence for the user itself: it raises or returns a
*code* with parameters, and the shells render it with :func:`t` in the user's
language.  Each module declares its messages in a ``MESSAGES`` mapping
``{code: {"en": ..., "fr": ...}}`` and registers it with :func:`register`; the
test suite checks that every code exists in both languages with the same
placeholders.  Numbers and dates are formatted with Babel for the locale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

__all__ = [
    "LANGUAGES",
    "all_messages",
    "fmt_date",
    "fmt_datetime",
    "fmt_money",
    "fmt_number",
    "fmt_percent",
    "register",
    "t",
]

LANGUAGES: Final = ("fr", "en")
_LOCALES: Final = {"fr": "fr_FR", "en": "en_GB"}
_CATALOG: dict[str, Mapping[str, str]] = {}


def register(messages: Mapping[str, Mapping[str, str]]) -> None:
    """Add a module's messages to the catalog (codes must be unique)."""
    for code, texts in messages.items():
        if code in _CATALOG and _CATALOG[code] != texts:
            raise ValueError(f"message code registered twice: {code}")
        _CATALOG[code] = texts


def all_messages() -> Mapping[str, Mapping[str, str]]:
    """Every registered message (for tests and translators)."""
    return dict(_CATALOG)


def t(code: str, lang: str = "en", /, **params: Any) -> str:
    """Render message ``code`` in ``lang`` with ``params`` (``str.format``)."""
    texts = _CATALOG.get(code)
    if texts is None:
        raise KeyError(f"unknown message code: {code}")
    text = texts.get(lang) or texts["en"]
    return text.format(**params)


def _locale(lang: str) -> str:
    return _LOCALES.get(lang, "en_GB")


def fmt_number(value: Decimal | int | float, lang: str, digits: int = 2) -> str:
    """A number with the locale's separators and at most ``digits`` decimals."""
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return str(format_decimal(value, format=pattern, locale=_locale(lang)))


def fmt_money(value: Decimal, lang: str, currency: str = "EUR") -> str:
    """An amount with two decimals and the currency symbol, e.g. ``1 234,50 €``."""
    from babel.numbers import format_currency

    return str(format_currency(value, currency, locale=_locale(lang)))


def fmt_percent(value: Decimal | float, lang: str, digits: int = 2) -> str:
    """A ratio (0.953) as a percentage (``95,3 %``)."""
    pattern = "#,##0." + "#" * digits + " %" if digits else "#,##0 %"
    if lang == "en":
        pattern = pattern.replace(" %", "%")
    return str(format_percent(value, format=pattern, locale=_locale(lang)))


def fmt_date(value: dt.date, lang: str) -> str:
    """A date as the locale writes it (``15/12/2025`` in French)."""
    return str(
        format_date(value, format="short" if lang == "fr" else "dd/MM/yyyy", locale=_locale(lang))
    )


def fmt_datetime(value: dt.datetime, lang: str) -> str:
    """An aware date-time in its own timezone, e.g. ``30/06/2026 17:00``."""
    fmt = "dd/MM/yyyy HH:mm"
    return str(format_datetime(value, format=fmt, tzinfo=value.tzinfo, locale=_locale(lang)))
