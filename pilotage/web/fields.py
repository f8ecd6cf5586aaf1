"""Model fields: secrets encrypted at rest with Fernet.

The keys come from ``PILOTAGE_FIELD_KEY`` (comma-separated, newest first, so
that an old key can still decrypt while rows are re-encrypted); without it one
key is derived from ``PILOTAGE_SECRET_KEY``.  The column only ever holds the
Fernet token.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models

__all__ = ["EncryptedTextField", "field_cipher"]


@cache
def _cipher(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(b"pilotage-field-key:" + secret_key.encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def field_cipher() -> MultiFernet:
    """The cipher for encrypted fields, from the current settings."""
    return _cipher(tuple(settings.FIELD_KEYS), settings.SECRET_KEY)


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text value stored as a Fernet token; the empty string stays empty."""

    def get_prep_value(self, value: Any) -> Any:
        """Encrypt before writing."""
        value = super().get_prep_value(value)
        if not value:
            return ""
        return field_cipher().encrypt(str(value).encode()).decode()

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        """Decrypt after reading."""
        if not value:
            return ""
        return field_cipher().decrypt(value.encode()).decode()
