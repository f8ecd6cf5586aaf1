"""JSON over HTTP for the live readers: retries on 429 and 5xx (``Retry-After``
honoured, bounded exponential backoff, injectable sleep), API errors turned
into :class:`~pilotage.errors.ImportDataError` that never show a secret."""

from __future__ import annotations

import email.utils
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pilotage import i18n
from pilotage.errors import ImportDataError, Location
from pilotage.ingest.sources_monitoring._common import RETRY_STATUSES, RetryPolicy

__all__ = ["Answer", "HttpJson", "RetryPolicy", "excerpt"]

i18n.register(
    {
        "live.unreachable": {
            "en": "{service} cannot be reached after {attempts} attempt(s): {reason}",
            "fr": "{service} est injoignable après {attempts} tentative(s) : {reason}",
        },
        "live.http_error": {
            "en": "{service} answered HTTP {status} after {attempts} attempt(s): {detail}",
            "fr": "{service} a répondu HTTP {status} après {attempts} tentative(s) : {detail}",
        },
        "live.unauthorized": {
            "en": "{service} refused the credentials ({detail}): check the account, its "
            "tokens and its rights",
            "fr": "{service} a refusé les identifiants ({detail}) : vérifiez le compte, ses "
            "jetons et ses droits",
        },
        "live.not_json": {
            "en": "the answer of {service} is not JSON (is the address that of its API?): {body}",
            "fr": "la réponse de {service} n’est pas du JSON (l’adresse est-elle celle de son "
            "API ?) : {body}",
        },
        "live.unexpected": {
            "en": "unexpected answer from {service}: expected {expected}",
            "fr": "réponse inattendue de {service} : attendu {expected}",
        },
    }
)


def excerpt(body: bytes | str) -> str:
    """The start of an answer, for an error message."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())
    return text[:200] + ("…" if len(text) > 200 else "")


def _retry_after(value: str | None, now: Callable[[], float]) -> str | None:
    """``Retry-After`` as whole seconds (it may be an HTTP date)."""
    if value is None or value.strip().isdigit():
        return value
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return str(max(0, int(when.timestamp() - now() + 0.999)))


@dataclass(frozen=True)
class Answer:
    """A decoded answer: HTTP status, headers (lower-case names) and JSON body."""

    status: int
    headers: Mapping[str, str]
    body: Any


class HttpJson:
    """Sends requests to one API and decodes its JSON answers.

    ``service`` names the API in messages; URLs shown in errors are the
    caller's ``shown`` text, so that tokens (headers, form fields) never
    appear.  Error statuses other than 429/5xx are returned to the caller,
    which knows how its API words its errors.
    """

    def __init__(
        self,
        service: str,
        *,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.service = service
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.now = now

    def send(
        self,
        method: str,
        url: str,
        shown: str,
        headers: Mapping[str, str],
        data: bytes | None = None,
    ) -> Answer:
        """One request, retried on connection failures, 429 and 5xx."""
        where = Location(file=shown)
        attempts = max(self.retry.attempts, 1)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            request = urllib.request.Request(url, data=data, headers=dict(headers), method=method)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    status, got, body = response.status, response.headers, response.read()
            except urllib.error.HTTPError as exc:
                status, got, body = exc.code, exc.headers, exc.read()
                if status in RETRY_STATUSES:
                    if not last:
                        wait = _retry_after(got.get("Retry-After"), self.now)
                        self.sleep(self.retry.wait(attempt, wait))
                        continue
                    params = {
                        "service": self.service,
                        "status": status,
                        "attempts": attempt + 1,
                        "detail": excerpt(body),
                    }
                    raise ImportDataError("live.http_error", params, where) from exc
            except (urllib.error.URLError, OSError) as exc:
                if not last:
                    self.sleep(self.retry.wait(attempt, None))
                    continue
                reason = getattr(exc, "reason", None) or exc
                params = {"service": self.service, "attempts": attempt + 1, "reason": str(reason)}
                raise ImportDataError("live.unreachable", params, where) from exc
            names = {k.lower(): v for k, v in got.items()}
            try:
                decoded = json.loads(body) if body.strip() else None
            except ValueError as exc:
                params = {"service": self.service, "body": excerpt(body)}
                raise ImportDataError("live.not_json", params, where) from exc
            return Answer(status, names, decoded)
        raise AssertionError("unreachable")  # pragma: no cover

    def unauthorized(self, detail: str, shown: str) -> ImportDataError:
        """The error for refused credentials."""
        params = {"service": self.service, "detail": detail}
        return ImportDataError("live.unauthorized", params, Location(file=shown))

    def failed(self, answer: Answer, detail: str, shown: str) -> ImportDataError:
        """The error for any other refused request."""
        params = {"service": self.service, "status": answer.status, "attempts": 1}
        params["detail"] = detail
        return ImportDataError("live.http_error", params, Location(file=shown))

    def unexpected(self, expected: str, shown: str, value: Any = None) -> ImportDataError:
        """The error for an answer of the wrong shape."""
        params = {"service": self.service, "expected": expected}
        shown_value = None if value is None else excerpt(json.dumps(value, default=str))
        return ImportDataError("live.unexpected", params, Location(file=shown, value=shown_value))
