"""Settings for the test suite: fast hashing, tasks run immediately, mail kept in memory."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault(
    "PILOTAGE_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789"
)
os.environ.setdefault("PILOTAGE_DATA_DIR", tempfile.mkdtemp(prefix="pilotage-test-"))
os.environ["PILOTAGE_QUEUE"] = "immediate"

from pilotage.web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
FIELD_KEYS = ["Cx8mU_-NuD_8wbs9dclNIE_GestwpSGYPPmoEWmPIeU="]
LOGGING = {"version": 1, "disable_existing_loggers": False}
