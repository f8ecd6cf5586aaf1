"""Zabbix: item history as probe samples, and SLA figures (``sla.getsli``) as claims.

Answers of the JSON-RPC API (``api_jsonrpc.php``), saved to files or fetched
by :class:`ZabbixClient` (API token in ``Authorization: Bearer``, Zabbix 6.2+):

- ``history.get`` gives ``[{"itemid", "clock", "ns", "value"}, …]``; an item
  such as ``icmpping`` or ``net.tcp.service`` is ``"1"`` when up and ``"0"``
  when down.  Items are named in services' monitors as ``zabbix:item:<itemid>``.
- ``event.get`` of trigger events (``source`` 0, ``object`` 0) gives
  ``[{"eventid", "objectid", "clock", "ns", "value"}, …]``, ``value`` 1 for a
  PROBLEM and 0 for OK: a trigger named ``zabbix:trigger:<triggerid>`` is
  down from a problem to the next OK event (:class:`~pilotage.tables.Outages`).
- ``sla.getsli`` gives ``{"periods": [{"period_from", "period_to"}],
  "serviceids": […], "sli": [[{"uptime", "downtime", "sli", …}]]}`` (``sli`` in
  percent).  For a monthly SLA each period becomes a claim row for the
  contract's service level mapped to the Zabbix service: this is Zabbix's own
  figure, to reconcile with the recomputed one.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np

from pilotage import i18n
from pilotage.errors import ImportDataError, Location
from pilotage.ingest._tabular import Problems, build_probes, zone
from pilotage.ingest.monitoring import outages_from_rows
from pilotage.ingest.sources_monitoring._common import (
    RetryPolicy,
    calendar_month,
    monitors_of,
    request_json,
)
from pilotage.tables import MISSING, Claims, Outages, Probes, object_array

__all__ = [
    "ZabbixClient",
    "claims_from_zabbix_sli",
    "outages_from_zabbix_events",
    "probes_from_zabbix_history",
    "read_zabbix_event_files",
    "read_zabbix_history_files",
    "read_zabbix_sli_file",
]

MESSAGES = {
    "import.zabbix_error": {
        "en": "Zabbix answered an error {number}: {error}",
        "fr": "Zabbix a répondu par une erreur {number} : {error}",
    },
    "import.zabbix_bad_ref": {
        "en": 'Zabbix reference "zabbix:{ref}" of service {service}: '
        "expected zabbix:item:<itemid>, for example zabbix:item:23296",
        "fr": "référence Zabbix « zabbix:{ref} » du service {service} : "
        "attendu zabbix:item:<itemid>, par exemple zabbix:item:23296",
    },
    "import.zabbix_not_history": {
        "en": 'not a history.get answer: expected a list of {{"itemid", "clock", "value"}}',
        "fr": 'ce n’est pas une réponse history.get : attendu une liste de {{"itemid", "clock", '
        '"value"}}',
    },
    "import.zabbix_bad_value": {
        "en": 'expected "1" (up) or "0" (down) and a unix time in clock',
        "fr": "attendu « 1 » (disponible) ou « 0 » (en panne) et une heure unix dans clock",
    },
    "import.zabbix_not_events": {
        "en": "not an event.get answer of trigger events: expected a list of "
        '{{"eventid", "objectid", "clock", "value"}} with value 1 (problem) or 0 (OK)',
        "fr": "ce n’est pas une réponse event.get d’évènements de déclencheur : attendu une "
        'liste de {{"eventid", "objectid", "clock", "value"}} avec value 1 (problème) ou 0 (OK)',
    },
    "import.zabbix_not_sli": {
        "en": 'not an sla.getsli answer: expected {{"periods", "serviceids", "sli"}}',
        "fr": 'ce n’est pas une réponse sla.getsli : attendu {{"periods", "serviceids", "sli"}}',
    },
    "import.zabbix_not_month": {
        "en": "the period {start} – {end} is not a calendar month in {tz}: "
        "only monthly SLAs can be compared with the contract's windows",
        "fr": "la période {start} – {end} n’est pas un mois civil dans le fuseau {tz} : "
        "seuls les SLA mensuels se comparent aux périodes du contrat",
    },
    "import.zabbix_bad_sli": {
        "en": "expected an SLI percentage between 0 and 100",
        "fr": "attendu un SLI en pourcentage entre 0 et 100",
    },
    "import.zabbix_bad_json": {
        "en": "the file is not valid JSON ({reason})",
        "fr": "le fichier n’est pas du JSON valide ({reason})",
    },
}
i18n.register(MESSAGES)


_UP_DOWN = {"1": 1, "0": 0, "1.0000": 1, "0.0000": 0}
"""Item values read as up / down (unsigned items, or float items as Zabbix writes them)."""


def _result(answer: Any, source: str, problems: Problems) -> Any:
    """The ``result`` of a JSON-RPC envelope (or the bare value), None on error."""
    if isinstance(answer, dict) and "error" in answer:
        error = answer["error"] if isinstance(answer["error"], dict) else {}
        text = " ".join(str(error.get(k, "")) for k in ("message", "data")).strip()
        problems.add("import.zabbix_error", file=source, number=error.get("code", "?"), error=text)
        return None
    if isinstance(answer, dict) and "result" in answer:
        return answer["result"]
    return answer


def _refs(
    monitors: Mapping[str, Sequence[str]], kind: str, problems: Problems
) -> dict[str, list[str]]:
    """Zabbix object id -> services, for the ``zabbix:<kind>:<id>`` references."""
    out: dict[str, list[str]] = {}
    for ref, services in monitors_of(monitors, "zabbix").items():
        head, _, objectid = ref.partition(":")
        head = head.strip().lower()
        if head not in ("item", "trigger") or not objectid.strip().isdigit():
            problems.add("import.zabbix_bad_ref", ref=ref, service=services[0])
            continue
        if head == kind:
            out[objectid.strip()] = services
    return out


def probes_from_zabbix_history(
    answers: Iterable[tuple[str, Any]], monitors: Mapping[str, Sequence[str]]
) -> Probes:
    """Probe samples from decoded ``history.get`` answers (``(source, answer)``
    pairs); items mapped to no service are left out."""
    problems = Problems()
    items = _refs(monitors, "item", problems)
    service: list[str] = []
    at: list[int] = []
    up: list[int] = []
    for source, answer in answers:
        rows = _result(answer, source, problems)
        if rows is None:
            continue
        if not isinstance(rows, list):
            problems.add("import.zabbix_not_history", file=source)
            continue
        for index, row in enumerate(rows):
            if not isinstance(row, dict) or "itemid" not in row:
                problems.add("import.zabbix_not_history", file=source, row=index)
                continue
            owners = items.get(str(row["itemid"]))
            if not owners:
                continue
            value = _UP_DOWN.get(str(row.get("value", "")).strip())
            clock = str(row.get("clock", ""))
            if value is None or not clock.isdigit():
                shown = json.dumps({"clock": row.get("clock"), "value": row.get("value")})
                problems.add(
                    "import.zabbix_bad_value", file=source, row=index, column="value", value=shown
                )
                continue
            for owner in owners:
                service.append(owner)
                at.append(int(clock))
                up.append(value)
    problems.raise_if_any()
    return build_probes(service, at, up)


def outages_from_zabbix_events(
    answers: Iterable[tuple[str, Any]],
    monitors: Mapping[str, Sequence[str]],
    *,
    time_from: int,
    time_till: int,
) -> Outages:
    """Down intervals from decoded ``event.get`` answers of trigger events.

    A trigger is down from a PROBLEM event (``value`` 1) to the next OK event
    (``value`` 0).  ``[time_from, time_till]`` is the range the events were
    asked for: an OK event with no PROBLEM before it in the range ends a
    problem that began before ``time_from``, and a problem still open at the
    end lasts until ``time_till``.  Triggers mapped to no service are left out.
    """
    problems = Problems()
    triggers = _refs(monitors, "trigger", problems)
    events: dict[str, list[tuple[int, int, int, int]]] = {}
    for source, answer in answers:
        rows = _result(answer, source, problems)
        if rows is None:
            continue
        if not isinstance(rows, list):
            problems.add("import.zabbix_not_events", file=source)
            continue
        for index, row in enumerate(rows):
            try:
                objectid = str(row["objectid"])
                event = (int(row["clock"]), int(row.get("ns", 0)), int(row["eventid"]))
                value = int(row["value"])
                if value not in (0, 1):
                    raise ValueError(value)
            except (KeyError, TypeError, ValueError):
                shown = json.dumps(row)[:200]
                problems.add("import.zabbix_not_events", file=source, row=index, value=shown)
                continue
            if objectid in triggers:
                events.setdefault(objectid, []).append((*event, value))
    problems.raise_if_any()
    spans: set[tuple[str, int, int]] = set()
    for trigger, rows in events.items():
        start: int | None = None
        first = True
        for clock, _ns, _eventid, value in sorted(set(rows)):
            if value == 1 and start is None:
                start = clock
            elif value == 0 and (start is not None or first):
                begin = time_from if start is None else start
                spans.update((s, begin, clock) for s in triggers[trigger])
                start = None
            first = False
        if start is not None:
            spans.update((s, start, max(start, time_till)) for s in triggers[trigger])
    ordered = sorted(spans)
    return outages_from_rows(
        [o[0] for o in ordered],
        [o[1] for o in ordered],
        [o[2] for o in ordered],
        ["down"] * len(ordered),
        [int(MISSING)] * len(ordered),
    )


def read_zabbix_event_files(
    paths: Iterable[Path | str],
    monitors: Mapping[str, Sequence[str]],
    *,
    time_from: int,
    time_till: int,
) -> Outages:
    """Down intervals from ``event.get`` answers saved as JSON files."""
    problems = Problems()
    answers = _load(paths, problems)
    problems.raise_if_any()
    return outages_from_zabbix_events(answers, monitors, time_from=time_from, time_till=time_till)


def _load(paths: Iterable[Path | str], problems: Problems) -> list[tuple[str, Any]]:
    answers = []
    for path in map(Path, paths):
        try:
            answers.append((path.name, json.loads(path.read_bytes())))
        except (OSError, ValueError) as exc:
            problems.add("import.zabbix_bad_json", file=path.name, reason=str(exc))
    return answers


def read_zabbix_history_files(
    paths: Iterable[Path | str], monitors: Mapping[str, Sequence[str]]
) -> Probes:
    """Probe samples from ``history.get`` answers saved as JSON files."""
    problems = Problems()
    answers = _load(paths, problems)
    problems.raise_if_any()
    return probes_from_zabbix_history(answers, monitors)


def claims_from_zabbix_sli(
    answer: Any, levels: Mapping[str, str], *, tz: str, source: str = "sla.getsli"
) -> Claims:
    """Claim rows from a decoded ``sla.getsli`` answer of a monthly SLA.

    ``levels`` maps a Zabbix service id to the contract's service level id
    (services not listed are left out); ``tz`` is the SLA's timezone, in which
    each period must be a calendar month.  Eligible and met stay unknown.
    """
    problems = Problems()
    zi = zone(tz, problems, source)
    result = _result(answer, source, problems)
    problems.raise_if_any()
    try:
        periods = [(int(p["period_from"]), int(p["period_to"])) for p in result["periods"]]
        serviceids = [str(s) for s in result["serviceids"]]
        sli = result["sli"]
        if len(sli) != len(periods) or any(len(row) != len(serviceids) for row in sli):
            raise ValueError("shape")
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportDataError("import.zabbix_not_sli", {}, Location(source)) from exc
    assert zi is not None
    level: list[str] = []
    window: list[str] = []
    compliance: list[Decimal] = []
    for p, (start, end) in enumerate(periods):
        month = calendar_month(start, end, zi)
        if month is None:
            shown = [dt.datetime.fromtimestamp(t, zi).isoformat() for t in (start, end)]
            problems.add(
                "import.zabbix_not_month",
                file=source,
                column=f"periods[{p}]",
                start=shown[0],
                end=shown[1],
                tz=tz,
            )
            continue
        for s, serviceid in enumerate(serviceids):
            if serviceid not in levels:
                continue
            figure = sli[p][s].get("sli") if isinstance(sli[p][s], dict) else None
            try:
                value = Decimal(str(figure))
                if not 0 <= value <= 100:
                    raise InvalidOperation
            except InvalidOperation:
                problems.add(
                    "import.zabbix_bad_sli",
                    file=source,
                    column=f"sli[{p}][{s}].sli",
                    value=str(figure),
                )
                continue
            level.append(levels[serviceid])
            window.append(month)
            compliance.append((value / 100).normalize() if value else Decimal(0))
    problems.raise_if_any()
    unknown = np.full(len(level), MISSING, dtype=np.int64)
    return Claims(
        service_level=object_array(level),
        window=object_array(window),
        eligible=unknown,
        met=unknown.copy(),
        compliance=object_array(compliance),
    )


def read_zabbix_sli_file(path: Path | str, levels: Mapping[str, str], *, tz: str) -> Claims:
    """Claim rows from an ``sla.getsli`` answer saved as a JSON file."""
    problems = Problems()
    answers = _load([path], problems)
    problems.raise_if_any()
    source, answer = answers[0]
    return claims_from_zabbix_sli(answer, levels, tz=tz, source=source)


class ZabbixClient:
    """A small JSON-RPC client of the Zabbix API, authenticated by API token."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url
        self.token = token
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self._id = 0

    def call(self, method: str, params: Mapping[str, Any]) -> Any:
        """Call ``method`` and return its ``result`` (an API error raises)."""
        self._id += 1
        body = {"jsonrpc": "2.0", "method": method, "params": dict(params), "id": self._id}
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/json-rpc",
                "Authorization": f"Bearer {self.token}",
            },
            method="POST",
        )
        answer = request_json(
            request, shown_url=self.url, timeout=self.timeout, retry=self.retry, sleep=self.sleep
        )
        problems = Problems()
        result = _result(answer, f"{self.url} {method}", problems)
        problems.raise_if_any()
        return result

    def _paged(self, method: str, params: Mapping[str, Any], page: int) -> list[Any]:
        """Every row of ``method`` over ``params["time_from"]``..``time_till``,
        asked in pages of ``page`` rows ordered by clock (rows met twice at a
        page boundary are kept once)."""
        rows: dict[str, Any] = {}
        start = int(params["time_from"])
        while True:
            batch = self.call(method, {**params, "time_from": start, "limit": page})
            for row in batch:
                rows.setdefault(json.dumps(row, sort_keys=True), row)
            if len(batch) < page:
                break
            last = int(batch[-1]["clock"])
            start = last if last > start else last + 1
        return list(rows.values())

    def history(
        self,
        itemids: Sequence[str],
        time_from: int,
        time_till: int,
        *,
        value_type: int = 3,
        page: int = 10_000,
    ) -> list[dict[str, Any]]:
        """Every ``history.get`` row of ``itemids`` in ``[time_from, time_till]``,
        ordered by clock."""
        params = {
            "output": "extend",
            "history": value_type,
            "itemids": list(itemids),
            "time_from": time_from,
            "time_till": time_till,
            "sortfield": "clock",
            "sortorder": "ASC",
        }
        rows = self._paged("history.get", params, page)
        return sorted(rows, key=lambda r: (int(r["clock"]), int(r.get("ns", 0))))

    def trigger_events(
        self, triggerids: Sequence[str], time_from: int, time_till: int, *, page: int = 10_000
    ) -> list[dict[str, Any]]:
        """Every PROBLEM and OK event of ``triggerids`` in ``[time_from, time_till]``."""
        params = {
            "output": ["eventid", "objectid", "clock", "ns", "value"],
            "source": 0,
            "object": 0,
            "objectids": list(triggerids),
            "time_from": time_from,
            "time_till": time_till,
            "sortfield": ["clock", "eventid"],
            "sortorder": "ASC",
        }
        rows = self._paged("event.get", params, page)
        return sorted(rows, key=lambda r: (int(r["clock"]), int(r.get("ns", 0))))

    def fetch_outages(
        self, monitors: Mapping[str, Sequence[str]], time_from: int, time_till: int
    ) -> Outages:
        """Down intervals of every ``zabbix:trigger:<id>`` monitor over the range."""
        problems = Problems()
        triggerids = sorted(_refs(monitors, "trigger", problems), key=int)
        problems.raise_if_any()
        rows = self.trigger_events(triggerids, time_from, time_till)
        return outages_from_zabbix_events(
            [(f"{self.url} event.get", rows)],
            monitors,
            time_from=time_from,
            time_till=time_till,
        )

    def fetch_probes(
        self,
        monitors: Mapping[str, Sequence[str]],
        time_from: int,
        time_till: int,
        *,
        value_type: int = 3,
    ) -> Probes:
        """Probe samples of every ``zabbix:item:<id>`` monitor over the range."""
        problems = Problems()
        itemids = sorted(_refs(monitors, "item", problems), key=int)
        problems.raise_if_any()
        rows = self.history(itemids, time_from, time_till, value_type=value_type)
        return probes_from_zabbix_history([(f"{self.url} history.get", rows)], monitors)

    def sli(self, slaid: str, serviceids: Sequence[str], period_from: int, period_to: int) -> Any:
        """The raw ``sla.getsli`` result for ``serviceids`` over the periods
        that start within ``[period_from, period_to)``."""
        return self.call(
            "sla.getsli",
            {
                "slaid": slaid,
                "serviceids": list(serviceids),
                "period_from": period_from,
                "period_to": period_to,
            },
        )
