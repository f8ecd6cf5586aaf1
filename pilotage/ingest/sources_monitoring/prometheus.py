"""Prometheus: probe samples from ``/api/v1/query_range`` answers.

An answer is ``{"status": "success", "data": {"resultType": "matrix",
"result": [{"metric": {labels}, "values": [[<unix ts>, "<value>"], …]}]}}``;
values are strings, ``"1"`` (up) or ``"0"`` (down) for ``probe_success``
(blackbox exporter) or ``up``.  A missing point is a missing sample, not a
failure.  Timestamps are truncated to whole seconds.

A series belongs to a service when its labels include every label of one of
the service's references, written as a PromQL selector:
``prometheus:{instance="https://mail.example.fr",job="blackbox"}``.  Series
that match no reference are left out.

The server refuses a query of more than 11,000 points per series;
:func:`plan_query_range` splits a range into requests that respect it and
:class:`PrometheusClient` sends them, retrying on 429 and 5xx.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pilotage import i18n
from pilotage.errors import ImportDataError
from pilotage.ingest._tabular import Problems, build_probes
from pilotage.ingest.sources_monitoring._common import RetryPolicy, monitors_of, request_json
from pilotage.tables import Probes

__all__ = [
    "MAX_POINTS",
    "PrometheusClient",
    "plan_query_range",
    "probes_from_prometheus",
    "read_prometheus_files",
]

MAX_POINTS = 11_000
"""Prometheus's limit of points per series in one range query."""

MESSAGES = {
    "import.prom_bad_ref": {
        "en": 'Prometheus reference "{ref}" of service {service}: expected a selector '
        'such as prometheus:{{instance="https://mail.example.fr",job="blackbox"}}',
        "fr": "référence Prometheus « {ref} » du service {service} : attendu un sélecteur "
        'comme prometheus:{{instance="https://mail.example.fr",job="blackbox"}}',
    },
    "import.prom_error": {
        "en": "Prometheus answered an error ({kind}): {error}",
        "fr": "Prometheus a répondu par une erreur ({kind}) : {error}",
    },
    "import.prom_not_matrix": {
        "en": "not a Prometheus range-query answer: expected "
        '{{"status": "success", "data": {{"resultType": "matrix", "result": [...]}}}}',
        "fr": "ce n’est pas une réponse de requête Prometheus sur une période : attendu "
        '{{"status": "success", "data": {{"resultType": "matrix", "result": [...]}}}}',
    },
    "import.prom_bad_point": {
        "en": 'expected a point [<unix time>, "1" or "0"] (1 up, 0 down)',
        "fr": "attendu un point [<heure unix>, « 1 » ou « 0 »] (1 disponible, 0 en panne)",
    },
    "import.prom_bad_json": {
        "en": "the file is not valid JSON ({reason})",
        "fr": "le fichier n’est pas du JSON valide ({reason})",
    },
    "import.prom_bad_range": {
        "en": "invalid query range: start {start}, end {end}, step {step} "
        "(expected start <= end and a step of at least one second)",
        "fr": "période de requête invalide : début {start}, fin {end}, pas {step} "
        "(attendu début <= fin et un pas d’au moins une seconde)",
    },
}
i18n.register(MESSAGES)

_LABEL = re.compile(r'\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)')


def _selector(ref: str) -> dict[str, str] | None:
    text = ref.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    body = text[1:-1].strip()
    labels: dict[str, str] = {}
    pos = 0
    while pos < len(body):
        match = _LABEL.match(body, pos)
        if match is None:
            return None
        labels[match.group(1)] = match.group(2).replace('\\"', '"').replace("\\\\", "\\")
        pos = match.end()
    return labels or None


def plan_query_range(
    start: int, end: int, step: int, max_points: int = MAX_POINTS
) -> list[tuple[int, int, int]]:
    """Split ``[start, end]`` (unix seconds) at ``step`` seconds into
    ``(start, end, step)`` requests of at most ``max_points`` points each.

    The requests follow one another on the same grid (``start + k * step``),
    without overlap or gap; the last one ends at the last grid point <= end.
    """
    if step < 1 or end < start or max_points < 1:
        raise ImportDataError("import.prom_bad_range", {"start": start, "end": end, "step": step})
    last = start + (end - start) // step * step
    span = (max_points - 1) * step
    plan: list[tuple[int, int, int]] = []
    begin = start
    while begin <= last:
        stop = min(begin + span, last)
        plan.append((begin, stop, step))
        begin = stop + step
    return plan


def _matchers(
    monitors: Mapping[str, Sequence[str]], problems: Problems, file: str | None
) -> list[tuple[dict[str, str], list[str]]]:
    out: list[tuple[dict[str, str], list[str]]] = []
    for ref, services in monitors_of(monitors, "prometheus").items():
        labels = _selector(ref)
        if labels is None:
            problems.add("import.prom_bad_ref", file=file, ref=ref, service=services[0])
            continue
        out.append((labels, services))
    return out


def _series_points(
    answer: Any, source: str, problems: Problems
) -> Iterable[tuple[Mapping[str, str], list[Any], int]]:
    if isinstance(answer, dict) and answer.get("status") == "error":
        problems.add(
            "import.prom_error",
            file=source,
            kind=str(answer.get("errorType", "?")),
            error=str(answer.get("error", "")),
        )
        return []
    data = answer.get("data") if isinstance(answer, dict) else None
    result = data.get("result") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("resultType") != "matrix"
        or not isinstance(result, list)
    ):
        problems.add("import.prom_not_matrix", file=source)
        return []
    out = []
    for index, series in enumerate(result):
        labels = series.get("metric", {}) if isinstance(series, dict) else None
        values = series.get("values", []) if isinstance(series, dict) else None
        if not isinstance(labels, dict) or not isinstance(values, list):
            problems.add("import.prom_not_matrix", file=source, column=f"result[{index}]")
            continue
        out.append((labels, values, index))
    return out


def _point(point: Any) -> tuple[int, int]:
    if not (isinstance(point, list) and len(point) == 2 and isinstance(point[1], str)):
        raise ValueError(point)
    value = float(point[1])
    if value not in (0.0, 1.0) or isinstance(point[0], bool):
        raise ValueError(point)
    return int(float(point[0]) // 1), int(value)


def probes_from_prometheus(
    answers: Iterable[tuple[str, Any]], monitors: Mapping[str, Sequence[str]]
) -> Probes:
    """Probe samples from decoded ``query_range`` answers.

    ``answers`` yields ``(source, answer)`` pairs, ``source`` naming the file
    or request in error messages.  Samples of a service at the same second
    (overlapping answers, several series) collapse to one, down if any is.
    """
    problems = Problems()
    matchers = _matchers(monitors, problems, None)
    service: list[str] = []
    at: list[int] = []
    up: list[int] = []
    for source, answer in answers:
        for labels, values, index in _series_points(answer, source, problems):
            owners = [
                s
                for wanted, services in matchers
                if all(labels.get(k) == v for k, v in wanted.items())
                for s in services
            ]
            if not owners:
                continue
            for j, point in enumerate(values):
                try:
                    instant, value = _point(point)
                except (ValueError, TypeError, OverflowError):
                    problems.add(
                        "import.prom_bad_point",
                        file=source,
                        column=f"result[{index}].values[{j}]",
                        value=json.dumps(point),
                    )
                    continue
                for owner in dict.fromkeys(owners):
                    service.append(owner)
                    at.append(instant)
                    up.append(value)
    problems.raise_if_any()
    return build_probes(service, at, up)


def read_prometheus_files(
    paths: Iterable[Path | str], monitors: Mapping[str, Sequence[str]]
) -> Probes:
    """Probe samples from ``query_range`` answers saved as JSON files."""
    problems = Problems()
    answers: list[tuple[str, Any]] = []
    for path in map(Path, paths):
        try:
            answers.append((path.name, json.loads(path.read_bytes())))
        except (OSError, ValueError) as exc:
            problems.add("import.prom_bad_json", file=path.name, reason=str(exc))
    problems.raise_if_any()
    return probes_from_prometheus(answers, monitors)


class PrometheusClient:
    """A small client of the Prometheus HTTP API (``urllib``, no dependency).

    ``headers`` may carry an ``Authorization`` header; it is never shown in
    errors.  ``sleep`` is called between retries (tests pass a recorder).
    """

    def __init__(
        self,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_points: int = MAX_POINTS,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers or {})
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.max_points = max_points

    def query_range(self, query: str, start: int, end: int, step: int) -> Any:
        """One ``POST /api/v1/query_range`` request; returns the decoded answer."""
        form = {"query": query, "start": str(start), "end": str(end), "step": f"{step}s"}
        request = urllib.request.Request(
            f"{self.base_url}/api/v1/query_range",
            data=urllib.parse.urlencode(form).encode(),
            headers={**self.headers, "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        return request_json(
            request,
            shown_url=f"{self.base_url}/api/v1/query_range",
            timeout=self.timeout,
            retry=self.retry,
            sleep=self.sleep,
        )

    def fetch_probes(
        self,
        query: str,
        start: int,
        end: int,
        step: int,
        monitors: Mapping[str, Sequence[str]],
    ) -> Probes:
        """Run ``query`` over ``[start, end]`` in as many requests as the
        point limit needs and turn the answers into probe samples."""
        answers = []
        for begin, stop, every in plan_query_range(start, end, step, self.max_points):
            source = f"{self.base_url}/api/v1/query_range [{begin}, {stop}]"
            answers.append((source, self.query_range(query, begin, stop, every)))
        return probes_from_prometheus(answers, monitors)
