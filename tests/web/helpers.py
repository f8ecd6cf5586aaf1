"""Test helpers: query budgets and the list of every URL pattern."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver


@contextmanager
def query_budget(limit: int) -> Iterator[CaptureQueriesContext]:
    """Fail when the block runs more than ``limit`` SQL queries (listing them)."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    count = len(captured.captured_queries)
    if count > limit:
        listing = "\n".join(q["sql"] for q in captured.captured_queries)
        raise AssertionError(f"{count} queries, budget {limit}:\n{listing}")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its namespaced name, the view and its path parameters."""

    name: str
    view: Callable[..., Any]
    params: tuple[str, ...]


def all_routes() -> list[Route]:
    """Every named pattern of the URLconf, resolvers walked recursively."""
    routes: list[Route] = []

    def walk(patterns: list[Any], namespace: str, params: tuple[str, ...]) -> None:
        for entry in patterns:
            converters = tuple(getattr(entry.pattern, "converters", {}))
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, ns, params + converters)
            elif isinstance(entry, URLPattern):
                if entry.name is None:
                    raise AssertionError(f"unnamed URL pattern {entry.pattern}")
                routes.append(Route(namespace + entry.name, entry.callback, params + converters))

    walk(get_resolver().url_patterns, "", ())
    return routes
