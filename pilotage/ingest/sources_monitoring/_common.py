"""What the monitoring-tool readers share: monitor references, the result
type, and a small JSON-over-HTTP helper with retries."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pilotage import i18n
from pilotage.errors import ImportDataError, Location
from pilotage.tables import Outages, Probes

__all__ = [
    "RETRY_STATUSES",
    "Availability",
    "RetryPolicy",
    "calendar_month",
    "monitors_of",
    "request_json",
]

MESSAGES = {
    "import.http_unreachable": {
        "en": "the server cannot be reached after {attempts} attempt(s): {reason}",
        "fr": "le serveur est injoignable après {attempts} tentative(s) : {reason}",
    },
    "import.http_status": {
        "en": "the server answered HTTP {status} after {attempts} attempt(s): {body}",
        "fr": "le serveur a répondu HTTP {status} après {attempts} tentative(s) : {body}",
    },
    "import.http_not_json": {
        "en": "the server's answer is not JSON: {body}",
        "fr": "la réponse du serveur n’est pas du JSON : {body}",
    },
}
i18n.register(MESSAGES)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""HTTP statuses worth another attempt (rate limit, overload, gateway)."""


@dataclass(frozen=True)
class Availability:
    """What a monitoring source gives: probe samples and maintenance windows."""

    probes: Probes
    outages: Outages


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` tries in all; waits ``backoff`` seconds, doubling each time,
    or what the server's ``Retry-After`` asks, never more than ``max_wait``."""

    attempts: int = 4
    backoff: float = 1.0
    max_wait: float = 60.0

    def wait(self, attempt: int, retry_after: str | None) -> float:
        """Seconds to wait before attempt number ``attempt + 1`` (0-based)."""
        if retry_after is not None and retry_after.strip().isdigit():
            return min(float(retry_after.strip()), self.max_wait)
        return min(self.backoff * float(2**attempt), self.max_wait)


def monitors_of(monitors: Mapping[str, Sequence[str]], prefix: str) -> dict[str, list[str]]:
    """Invert service -> monitor refs into ref -> services, keeping refs that
    start with ``prefix:`` (the prefix is removed).  Services keep their order."""
    out: dict[str, list[str]] = {}
    for service, refs in monitors.items():
        for ref in refs:
            head, sep, tail = ref.partition(":")
            if sep and head.strip().lower() == prefix:
                services = out.setdefault(tail.strip(), [])
                if service not in services:
                    services.append(service)
    return out


def calendar_month(start: int, end: int, tz: dt.tzinfo) -> str | None:
    """``yyyy-mm`` when ``[start, end]`` is one calendar month in ``tz`` (``end``
    being the next month's first instant or the second before it), else None."""
    first = dt.datetime.fromtimestamp(start, tz)
    if (first.day, first.hour, first.minute, first.second) != (1, 0, 0, 0):
        return None
    year, month = (first.year + 1, 1) if first.month == 12 else (first.year, first.month + 1)
    following = int(dt.datetime(year, month, 1, tzinfo=tz).timestamp())
    return f"{first.year:04d}-{first.month:02d}" if end in (following, following - 1) else None


def _excerpt(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    return text[:300] + ("…" if len(text) > 300 else "")


def request_json(
    request: urllib.request.Request,
    *,
    shown_url: str,
    timeout: float,
    retry: RetryPolicy,
    sleep: Callable[[float], None] = time.sleep,
) -> Any:
    """Send ``request`` and decode its JSON answer, retrying on connection
    failures and on :data:`RETRY_STATUSES`.

    An error status whose body is a JSON object is returned as such, so that
    the caller can report the API's own error; anything else raises
    :class:`ImportDataError` located at ``shown_url`` (never holding secrets).
    """
    where = Location(file=shown_url)
    attempts = max(retry.attempts, 1)
    for attempt in range(attempts):
        last = attempt == attempts - 1
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read()
            if exc.code in RETRY_STATUSES and not last:
                sleep(retry.wait(attempt, exc.headers.get("Retry-After")))
                continue
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = None
            if isinstance(parsed, dict):
                return parsed
            params = {"status": exc.code, "attempts": attempt + 1, "body": _excerpt(body)}
            raise ImportDataError("import.http_status", params, where) from exc
        except (urllib.error.URLError, OSError) as exc:
            if not last:
                sleep(retry.wait(attempt, None))
                continue
            reason = getattr(exc, "reason", None) or exc
            params = {"attempts": attempt + 1, "reason": str(reason)}
            raise ImportDataError("import.http_unreachable", params, where) from exc
        try:
            return json.loads(body)
        except ValueError as exc:
            raise ImportDataError("import.http_not_json", {"body": _excerpt(body)}, where) from exc
    raise AssertionError("unreachable")  # pragma: no cover
