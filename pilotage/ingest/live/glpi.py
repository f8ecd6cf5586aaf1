"""GLPI's REST API (``apirest.php``): tickets and their status history.

A read opens a session (``GET initSession`` with the ``App-Token`` header and
``Authorization: user_token <token>``), sends ``Session-Token`` afterwards and
closes it (``GET killSession``) even when the read fails.  Tickets come from
``GET Ticket?expand_dropdowns=true&sort=19&order=DESC&range=a-b`` (search
option 19 = ``date_mod``), page after page as the ``Content-Range`` header
counts them; an incremental read stops at the first ticket modified before
the cursor.  Each ticket's history is ``GET Ticket/:id/Log``, whose rows with
``id_search_option`` 12 are its status changes.

Raw values (docs: GLPI ``CommonITILObject``): status 1 New, 2 Processing
(assigned), 3 Processing (planned), 4 Pending, 5 Solved, 6 Closed; type 1
Incident, 2 Request; priority 1 Very low … 5 Very high, 6 Major.  Datetimes are
``YYYY-MM-DD HH:MM:SS`` in the server's timezone, which the caller states.
The provider's verdicts are GLPI's own "late" rules: taken into account by
``time_to_own``, solved by ``time_to_resolve``.  Ticket descriptions are not
kept.  The requester is not part of a ``Ticket`` row: with a pseudonym key,
it is read from ``Ticket/:id/Ticket_User`` (actor type 1) and pseudonymized;
without one, it is not requested at all.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from collections.abc import Callable
from typing import Any, Final

from pilotage import i18n
from pilotage.ingest.csvio import Problems, Report
from pilotage.ingest.live._build import LiveResult, Records, StatusChange, build_result, text
from pilotage.ingest.live._http import Answer, HttpJson, RetryPolicy
from pilotage.ingest.mapping import StatusRule, load_mapping, normalize

__all__ = ["PAGE_SIZE", "STATUS_OPTION", "GlpiClient"]

PAGE_SIZE: Final = 50
"""Tickets per request (GLPI's default range is 0-49)."""
STATUS_OPTION: Final = 12
"""Search option id of ``status`` (history rows with this id are status changes)."""
DATE_MOD_OPTION: Final = 19
"""Search option id of ``date_mod``, the sort key of incremental reads."""

STATUSES: Final = {
    "1": StatusRule("open"),
    "2": StatusRule("open"),
    "3": StatusRule("open"),
    "4": StatusRule("paused", "waiting"),
    "5": StatusRule("resolved"),
    "6": StatusRule("closed"),
}
_STATE: Final = {"1": "open", "2": "open", "3": "open", "4": "open", "5": "resolved", "6": "closed"}
KINDS: Final = {"1": "incident", "2": "request"}
PRIORITIES: Final = {"1": "P4", "2": "P4", "3": "P3", "4": "P2", "5": "P1", "6": "P1"}
REQUIRED: Final = ("id", "date", "status", "type", "priority", "date_mod")

i18n.register(
    {
        "live.glpi_code": {
            "en": "unexpected {field} code: expected one of {expected}",
            "fr": "code {field} inattendu : valeurs possibles {expected}",
        },
        "live.glpi_missing_field": {
            "en": "the ticket has no field {field}: the API account must see every ticket "
            "field (fields found: {found})",
            "fr": "le ticket n’a pas de champ {field} : le compte d’API doit voir tous les "
            "champs des tickets (champs trouvés : {found})",
        },
        "live.glpi_status_value": {
            "en": "status change not understood: expected a GLPI status code (1 to 6) or "
            "its label ({expected})",
            "fr": "changement de statut non compris : attendu un code de statut GLPI (1 à 6) "
            "ou son libellé ({expected})",
        },
    }
)

_RANGE = re.compile(r"\s*(\d+)-(-?\d+)/(\d+)\s*")
_WITH_ID = re.compile(r"(.*?)\s*\((\d+)\)")


def _labels() -> dict[str, StatusRule]:
    """Status labels (French and English) from the ``glpi`` preset."""
    return dict(load_mapping("glpi").statuses)


class GlpiClient:
    """Reads tickets and status history from one GLPI server.

    ``base_url`` ends with ``apirest.php``; ``app_token`` is the API client's
    token and ``user_token`` the read-only account's (Administration > Users >
    Remote access keys).  Tokens travel in headers only and never appear in
    messages.  ``sleep`` is called between retries (tests pass a recorder).
    """

    def __init__(
        self,
        base_url: str,
        *,
        app_token: str,
        user_token: str,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._app_token = app_token
        self._user_token = user_token
        self.http = HttpJson("GLPI", timeout=timeout, retry=retry, sleep=sleep)
        self.page_size = page_size
        self._session: str | None = None

    def _headers(self) -> dict[str, str]:
        headers = {"App-Token": self._app_token, "Accept": "application/json"}
        if self._session is None:
            headers["Authorization"] = f"user_token {self._user_token}"
        else:
            headers["Session-Token"] = self._session
        return headers

    def _get(self, path: str, query: dict[str, str] | None = None) -> Answer:
        shown = f"{self.base_url}/{path}"
        url = shown + ("?" + urllib.parse.urlencode(query) if query else "")
        answer = self.http.send("GET", url, shown, self._headers())
        if answer.status >= 400:
            code, detail = _error(answer.body)
            if (
                answer.status == 401
                or code in ("ERROR_SESSION_TOKEN_INVALID",)
                or (
                    code.startswith("ERROR_GLPI_LOGIN") or code == "ERROR_WRONG_APP_TOKEN_PARAMETER"
                )
            ):
                raise self.http.unauthorized(f"{code}: {detail}" if code else detail, shown)
            if code == "ERROR_RANGE_EXCEED_TOTAL":
                return Answer(200, {"content-range": "0--1/0"}, [])
            raise self.http.failed(answer, f"{code}: {detail}" if code else detail, shown)
        return answer

    def open(self) -> None:
        """``initSession``: exchange the tokens for a session token."""
        answer = self._get("initSession")
        token = answer.body.get("session_token") if isinstance(answer.body, dict) else None
        if not isinstance(token, str) or not token:
            raise self.http.unexpected(
                '{"session_token": "..."}', f"{self.base_url}/initSession", answer.body
            )
        self._session = token

    def close(self) -> None:
        """``killSession`` (nothing when no session is open)."""
        if self._session is not None:
            try:
                self._get("killSession")
            finally:
                self._session = None

    def _pages(self, path: str, query: dict[str, str]) -> Any:
        """Rows of every page of a list, as ``Content-Range`` counts them;
        yields ``(path, rows)`` page by page."""
        start = 0
        while True:
            answer = self._get(path, {**query, "range": f"{start}-{start + self.page_size - 1}"})
            rows = answer.body
            if not isinstance(rows, list):
                raise self.http.unexpected("a JSON list", f"{self.base_url}/{path}", rows)
            yield rows
            match = _RANGE.fullmatch(answer.headers.get("content-range", ""))
            total = int(match.group(3)) if match else start + len(rows)
            start += len(rows)
            if not rows or start >= total:
                return

    def fetch(
        self,
        *,
        since: str | None = None,
        timezone: str | None,
        with_history: bool = True,
        requester_key: bytes | None = None,
    ) -> LiveResult:
        """Tickets modified at or after ``since`` (every ticket without it),
        with their status history; ``timezone`` is the server's.  The session
        is opened and closed here.  Raises every problem at once."""
        self.open()
        try:
            return self._fetch(since, timezone, with_history, requester_key)
        finally:
            self.close()

    def _fetch(
        self, since: str | None, timezone: str | None, with_history: bool, key: bytes | None
    ) -> LiveResult:
        where = f"{self.base_url}/Ticket"
        problems = Problems()
        report = Report(source="glpi-api", files=[where])
        records = Records()
        cursor = since
        seen: set[str] = set()
        query = {
            "expand_dropdowns": "true",
            "sort": str(DATE_MOD_OPTION),
            "order": "DESC",
        }
        done = False
        for rows in self._pages("Ticket", query):
            for row in rows:
                if not isinstance(row, dict):
                    raise self.http.unexpected("ticket objects", where, row)
                modified = text(row.get("date_mod"))
                if since is not None and modified and modified < since:
                    done = True
                    break
                record = self._record(row, len(records.tickets) + 1, where, problems)
                if record["id"] in seen:  # moved to another page while reading
                    continue
                seen.add(record["id"])
                records.tickets.append(record)
                if modified and (cursor is None or modified > cursor):
                    cursor = modified
            if done:
                break
        problems.raise_if_any()
        if with_history:
            labels = _labels()
            for record in records.tickets:
                records.changes.extend(self._history(record["id"], labels, problems))
        if key is not None:
            for record in records.tickets:
                record["requester"] = self._requester(record["id"])
        problems.raise_if_any()
        result = build_result(
            "glpi-api",
            where,
            records,
            timezone=timezone,
            requester_key=key,
            report=report,
            problems=problems,
        )
        return LiveResult(result, cursor)

    def _record(
        self, row: dict[str, Any], number: int, where: str, problems: Problems
    ) -> dict[str, str]:
        missing = [name for name in REQUIRED if name not in row]
        for name in missing:
            found = ", ".join(sorted(row)) or "-"
            problems.add("live.glpi_missing_field", where, number, name, field=name, found=found)
        cells = {name: text(row.get(name)) for name in row if not isinstance(row[name], dict)}

        def code(name: str, table: dict[str, str]) -> str:
            value = cells.get(name, "")
            if value and value not in table:
                problems.add(
                    "live.glpi_code",
                    where,
                    number,
                    name,
                    value,
                    field=name,
                    expected=", ".join(table),
                )
            return table.get(value, "")

        category = cells.get("itilcategories_id", "")
        return {
            "id": cells.get("id", ""),
            "kind": code("type", KINDS),
            "priority": code("priority", PRIORITIES),
            "category": "" if category in ("0", "") else category,
            "title": cells.get("name", ""),
            "requester": "",
            "created_at": cells.get("date", ""),
            "first_response_at": cells.get("takeintoaccountdate", ""),
            "resolved_at": cells.get("solvedate", ""),
            "closed_at": cells.get("closedate", ""),
            "state": code("status", _STATE),
            "waiting_seconds": cells.get("waiting_duration", ""),
            "provider_response_met": _within(
                cells.get("takeintoaccountdate", ""), cells.get("time_to_own", "")
            ),
            "provider_resolution_met": _within(
                cells.get("solvedate", ""), cells.get("time_to_resolve", "")
            ),
        }

    def _requester(self, ticket_id: str) -> str:
        """The first requester (actor type 1) of ``Ticket/:id/Ticket_User``:
        the user's name, or the e-mail of a requester without an account."""
        for rows in self._pages(f"Ticket/{ticket_id}/Ticket_User", {"expand_dropdowns": "true"}):
            for row in rows:
                if isinstance(row, dict) and text(row.get("type")) == "1":
                    user = text(row.get("users_id"))
                    return user if user not in ("", "0") else text(row.get("alternative_email"))
        return ""

    def _history(
        self, ticket_id: str, labels: dict[str, StatusRule], problems: Problems
    ) -> list[StatusChange]:
        path = f"Ticket/{ticket_id}/Log"
        where = f"{self.base_url}/{path}"
        changes: list[StatusChange] = []
        number = 0
        for rows in self._pages(path, {}):
            for row in rows:
                number += 1
                if not isinstance(row, dict):
                    raise self.http.unexpected("history objects", where, row)
                if text(row.get("id_search_option")) != str(STATUS_OPTION):
                    continue
                value = text(row.get("new_value"))
                rule = _status(value, labels)
                if rule is None:
                    problems.add(
                        "live.glpi_status_value",
                        where,
                        number,
                        "new_value",
                        value,
                        expected=", ".join(sorted(labels)),
                    )
                    continue
                changes.append(StatusChange(ticket_id, text(row.get("date_mod")), rule, value))
        return changes


def _status(value: str, labels: dict[str, StatusRule]) -> StatusRule | None:
    """A history value: a code, a label, or a label followed by its code."""
    match = _WITH_ID.fullmatch(value)
    if match and match.group(2) in STATUSES:
        return STATUSES[match.group(2)]
    return STATUSES.get(value) or labels.get(normalize(value))


def _within(done: str, deadline: str) -> str:
    """``true`` when ``done`` is at or before ``deadline`` (both known)."""
    if not done or not deadline:
        return ""
    return "true" if done <= deadline else "false"


def _error(body: Any) -> tuple[str, str]:
    """GLPI's ``["ERROR_CODE", "message"]`` error body as (code, message)."""
    if isinstance(body, list) and body and isinstance(body[0], str):
        return body[0], " ".join(str(b) for b in body[1:])
    return "", json.dumps(body, default=str)[:200]
