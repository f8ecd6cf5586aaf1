"""iTop's REST/JSON API (``webservices/rest.php``): user requests and their
status history.

Every call is ``POST rest.php?version=1.4`` with a form field ``json_data``:
``{"operation": "core/get", "class": "UserRequest", "key": "<OQL>",
"output_fields": "...", "limit": n, "page": p}``, authenticated by the form
fields ``auth_user``/``auth_pwd`` or HTTP basic authentication.  The answer
is ``{"code": 0, "message": "...", "objects": {"UserRequest::42": {"key":
"42", "fields": {...}}}}``; a non-zero ``code`` is an error (1 = refused
credentials).  Pages follow one another until one comes back short.

The history of statuses is ``core/get`` on ``CMDBChangeOpSetAttributeScalar``
(``objclass='UserRequest' AND attcode='status'``: ``objkey, oldvalue,
newvalue, date``).  An incremental read asks for ``last_update >= cursor``.
Values are read through the ``itop`` preset (raw codes such as ``pending``
or the French and English labels); ``cumulatedpending`` is iTop's own pause
total and ``sla_tto_passed``/``sla_ttr_passed`` are the provider's verdicts
(passed = missed).  Datetimes are ``YYYY-MM-DD HH:MM:SS`` in the server's
timezone, which the caller states.  Descriptions are not requested; callers
are pseudonymized or dropped.
"""

from __future__ import annotations

import base64
import json
import re
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final

from pilotage import i18n
from pilotage.errors import ImportDataError, Location
from pilotage.ingest.csvio import Problems, Report
from pilotage.ingest.live._build import LiveResult, Records, StatusChange, build_result, text
from pilotage.ingest.live._http import HttpJson, RetryPolicy
from pilotage.ingest.mapping import Mapping, load_mapping, normalize

__all__ = ["OUTPUT_FIELDS", "ItopClient"]

OUTPUT_FIELDS: Final = (
    "ref",
    "title",
    "status",
    "request_type",
    "priority",
    "service_name",
    "servicesubcategory_name",
    "caller_id_friendlyname",
    "start_date",
    "assignment_date",
    "resolution_date",
    "close_date",
    "last_update",
    "cumulatedpending",
    "sla_tto_passed",
    "sla_ttr_passed",
)
"""The ``UserRequest`` fields read (no description)."""
_FIELD_OF: Final = {
    "ref": "id",
    "title": "title",
    "status": "state",
    "request_type": "kind",
    "priority": "priority",
    "service_name": "service",
    "servicesubcategory_name": "category",
    "caller_id_friendlyname": "requester",
    "start_date": "created_at",
    "assignment_date": "first_response_at",
    "resolution_date": "resolved_at",
    "close_date": "closed_at",
    "cumulatedpending": "waiting_seconds",
    "sla_tto_passed": "provider_response_met",
    "sla_ttr_passed": "provider_resolution_met",
}
_STATE_OF_STATUS: Final = {
    "open": "open",
    "paused": "open",
    "resolved": "resolved",
    "closed": "closed",
}
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?")
HISTORY_BATCH: Final = 100

i18n.register(
    {
        "live.itop_error": {
            "en": "iTop refused the request (code {code}): {detail}",
            "fr": "iTop a refusé la requête (code {code}) : {detail}",
        },
        "live.itop_value": {
            "en": "value not understood: expected one of {expected}",
            "fr": "valeur non comprise : valeurs possibles {expected}",
        },
        "live.bad_cursor": {
            "en": "the cursor of the last import is not a date-time YYYY-MM-DD HH:MM:SS",
            "fr": "le curseur du dernier import n’est pas une date-heure AAAA-MM-JJ HH:MM:SS",
        },
    }
)


class ItopClient:
    """Reads user requests and status history from one iTop server.

    ``base_url`` is the address of ``webservices/rest.php``; ``user`` and
    ``password`` are those of a read-only account with the "REST Services
    User" profile.  They are sent as form fields (``auth="form"``) or as HTTP
    basic authentication (``auth="basic"``), never shown in messages.
    """

    def __init__(
        self,
        base_url: str,
        *,
        user: str,
        password: str,
        auth: str = "form",
        version: str = "1.4",
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        page_size: int = 100,
    ) -> None:
        if auth not in ("form", "basic"):
            raise ValueError("auth must be form or basic")
        self.base_url = base_url.rstrip("/")
        self._user = user
        self._password = password
        self.auth = auth
        self.version = version
        self.http = HttpJson("iTop", timeout=timeout, retry=retry, sleep=sleep)
        self.page_size = page_size

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        """One operation; returns the answer whose ``code`` is 0."""
        shown = self.base_url
        form = {"version": self.version, "json_data": json.dumps(request)}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.auth == "form":
            form.update(auth_user=self._user, auth_pwd=self._password)
        else:
            pair = f"{self._user}:{self._password}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        data = urllib.parse.urlencode(form).encode()
        answer = self.http.send("POST", self.base_url, shown, headers, data)
        body = answer.body
        message = text(body.get("message")) if isinstance(body, dict) else ""
        if answer.status == 401 or (isinstance(body, dict) and body.get("code") == 1):
            raise self.http.unauthorized(message or f"HTTP {answer.status}", shown)
        if not isinstance(body, dict) or "code" not in body:
            if answer.status >= 400:
                raise self.http.failed(answer, json.dumps(body, default=str)[:200], shown)
            raise self.http.unexpected('{"code": 0, "objects": {...}}', shown, body)
        if body["code"] != 0:
            params = {"code": body["code"], "detail": message}
            raise ImportDataError("live.itop_error", params, Location(file=shown))
        return body

    def objects(
        self, cls: str, oql: str, fields: Sequence[str]
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(key, fields)`` of every object the OQL query selects, page by page."""
        page = 1
        while True:
            body = self.call(
                {
                    "operation": "core/get",
                    "class": cls,
                    "key": oql,
                    "output_fields": ",".join(fields),
                    "limit": self.page_size,
                    "page": page,
                }
            )
            found = body.get("objects") or {}
            if not isinstance(found, dict):
                raise self.http.unexpected('"objects": {...}', self.base_url, found)
            for name, item in found.items():
                if not isinstance(item, dict) or not isinstance(item.get("fields"), dict):
                    raise self.http.unexpected('{"key": ..., "fields": {...}}', self.base_url, item)
                yield text(item.get("key")) or name.rpartition("::")[2], item["fields"]
            if len(found) < self.page_size:
                return
            page += 1

    def fetch(
        self,
        *,
        since: str | None = None,
        timezone: str | None,
        with_history: bool = True,
        requester_key: bytes | None = None,
    ) -> LiveResult:
        """User requests updated at or after ``since`` (all without it), with
        their status history; ``timezone`` is the server's.  Raises every
        problem at once."""
        where = f"{self.base_url} UserRequest"
        if since is not None and not _INSTANT.fullmatch(since):
            raise ImportDataError("live.bad_cursor", {}, Location(file=where, value=since))
        oql = "SELECT UserRequest" + (f" WHERE last_update >= '{since}'" if since else "")
        mapping = load_mapping("itop")
        problems = Problems()
        report = Report(source="itop-api", files=[where])
        records = Records()
        ref_of: dict[str, str] = {}
        cursor = since
        for key, fields in self.objects("UserRequest", oql, OUTPUT_FIELDS):
            number = len(records.tickets) + 1
            record = self._record(fields, mapping, where, number, problems)
            records.tickets.append(record)
            ref_of[key] = record["id"]
            modified = text(fields.get("last_update"))
            if modified and (cursor is None or modified > cursor):
                cursor = modified
        problems.raise_if_any()
        if with_history and ref_of:
            records.changes = self._history(ref_of, mapping, problems)
        problems.raise_if_any()
        result = build_result(
            "itop-api",
            where,
            records,
            timezone=timezone,
            requester_key=requester_key,
            report=report,
            problems=problems,
        )
        return LiveResult(result, cursor)

    def _record(
        self,
        fields: dict[str, Any],
        mapping: Mapping,
        where: str,
        number: int,
        problems: Problems,
    ) -> dict[str, str]:
        record: dict[str, str] = {}
        for source, name in _FIELD_OF.items():
            value = text(fields.get(source))
            if name == "state":
                rule = mapping.statuses.get(normalize(value)) if value else None
                if value and rule is None:
                    _unknown(problems, where, number, source, value, mapping.statuses)
                value = "" if rule is None else rule.state or _STATE_OF_STATUS[rule.status]
            elif name in ("kind", "priority"):
                table = mapping.values[name]
                mapped = table.get(normalize(value)) if value else ""
                if mapped is None:
                    _unknown(problems, where, number, source, value, table)
                value = mapped or ""
            elif name.startswith("provider_") and value:
                verdict = mapping.verdicts[name]
                key = normalize(value)
                if key in verdict.true or key in verdict.false:
                    value = "true" if key in verdict.true else "false"
                else:
                    _unknown(problems, where, number, source, value, verdict.true | verdict.false)
                    value = ""
            elif name.endswith("_at") and value.startswith("0000-00-00"):
                value = ""
            record[name] = value
        return record

    def _history(
        self, ref_of: dict[str, str], mapping: Mapping, problems: Problems
    ) -> list[StatusChange]:
        where = f"{self.base_url} CMDBChangeOpSetAttributeScalar"
        keys = sorted(ref_of, key=lambda k: (len(k), k))
        changes: list[StatusChange] = []
        number = 0
        for start in range(0, len(keys), HISTORY_BATCH):
            batch = [k for k in keys[start : start + HISTORY_BATCH] if k.isdigit()]
            if not batch:
                continue
            oql = (
                "SELECT CMDBChangeOpSetAttributeScalar WHERE objclass = 'UserRequest' "
                f"AND attcode = 'status' AND objkey IN ({','.join(batch)})"
            )
            fields = ("objkey", "oldvalue", "newvalue", "date")
            for _, item in self.objects("CMDBChangeOpSetAttributeScalar", oql, fields):
                number += 1
                value = text(item.get("newvalue"))
                rule = mapping.statuses.get(normalize(value))
                if rule is None:
                    _unknown(problems, where, number, "newvalue", value, mapping.statuses)
                    continue
                ref = ref_of.get(text(item.get("objkey")))
                if ref is not None:
                    changes.append(StatusChange(ref, text(item.get("date")), rule, value))
        return changes


def _unknown(
    problems: Problems, where: str, number: int, column: str, value: str, known: Any
) -> None:
    shown = ", ".join(sorted(known))
    problems.add("live.itop_value", where, number, column, value, expected=shown)
