"""Amendments ("avenants") applied to a located contract document.

A contract document is plain data (dicts, lists, str, int, Decimal, bool,
date, None) with a parallel tree of :class:`Pos` giving the line and column
of every mapping key and value and every list item, so that an error found in
any version names where the user wrote the value, including values brought
by an amendment.

An amendment holds ``set:`` (dotted path -> value), ``add:`` (path of a list ->
new items) and ``remove:`` (path of a list -> ids, or of a mapping keyed by name such as
``services`` -> names).  A path's segments are
mapping keys; in a list, a segment is the ``id`` of an item or, failing that,
its position (0 is the first).  ``set`` may create the last key of an existing
mapping and ``add`` the list itself; every other segment must exist.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pilotage import i18n
from pilotage.errors import ContractError, Location

__all__ = [
    "Amendment",
    "Pos",
    "apply_amendment",
    "error_at",
    "locate",
    "show_value",
    "suggest",
]

i18n.register(
    {
        "contract.amendment_bad_path": {
            "en": 'amendment {amendment}: path "{path}" does not exist ("{segment}" not found)',
            "fr": "avenant {amendment} : le chemin « {path} » n’existe pas "
            "(« {segment} » introuvable)",
        },
        "contract.amendment_bad_path_suggest": {
            "en": 'amendment {amendment}: path "{path}" does not exist ("{segment}" not found); '
            'did you mean "{suggestion}"?',
            "fr": "avenant {amendment} : le chemin « {path} » n’existe pas "
            "(« {segment} » introuvable) ; vouliez-vous dire « {suggestion} » ?",
        },
        "contract.amendment_not_a_list": {
            "en": 'amendment {amendment}: "{path}" is not a list; add and remove apply to lists',
            "fr": "avenant {amendment} : « {path} » n’est pas une liste ; add et remove "
            "s’appliquent à des listes",
        },
        "contract.amendment_unknown_id": {
            "en": 'amendment {amendment}: no item with id "{id}" in "{path}"',
            "fr": "avenant {amendment} : aucun élément d’identifiant « {id} » dans « {path} »",
        },
        "contract.amendment_duplicate_id": {
            "en": 'amendment {amendment}: an item with id "{id}" already exists in "{path}"',
            "fr": "avenant {amendment} : un élément d’identifiant « {id} » existe déjà "
            "dans « {path} »",
        },
    }
)


@dataclass
class Pos:
    """Where a value is in the file (1-based), and where its key is for a mapping entry."""

    line: int
    column: int
    key_line: int | None = None
    key_column: int | None = None
    items: dict[str, Pos] | list[Pos] | None = None

    def child(self, segment: str | int) -> Pos | None:
        """The position of a key's value or of a list item, if known."""
        if isinstance(self.items, dict) and isinstance(segment, str):
            return self.items.get(segment)
        if isinstance(self.items, list) and isinstance(segment, int):
            return self.items[segment] if 0 <= segment < len(self.items) else None
        return None


def locate(pos: Pos, path: Sequence[str | int]) -> Pos:
    """The position of ``path``, or of its deepest part that has one."""
    for segment in path:
        child = pos.child(segment)
        if child is None:
            break
        pos = child
    return pos


def show_value(value: Any) -> str | None:
    """A value as the user wrote it, for error messages (None for containers)."""
    if isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "null" if value is None else str(value)


def suggest(word: str, choices: Sequence[str]) -> str | None:
    """The closest of ``choices`` to a misspelt ``word``, if any is close."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


_NO_VALUE: Any = object()


def error_at(
    code: str, file: str, pos: Pos, *, value: Any = _NO_VALUE, on_key: bool = False, **params: Any
) -> ContractError:
    """A ContractError at a position (the key's when ``on_key`` and known), with the value."""
    line, column = pos.line, pos.column
    if on_key and pos.key_line is not None and pos.key_column is not None:
        line, column = pos.key_line, pos.key_column
    return ContractError(
        code,
        params,
        Location(
            file=file,
            line=line,
            column=column,
            value=None if value is _NO_VALUE else show_value(value),
        ),
    )


@dataclass(frozen=True)
class Amendment:
    """One item of ``amendments:`` (plain data and positions)."""

    id: str
    effective: dt.date
    signed_on: dt.date | None
    summary: str
    data: Mapping[str, Any]
    pos: Pos


def _item_id(item: Any) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("id"), str | int):
        return str(item["id"])
    return None


def _step(container: Any, segment: str) -> tuple[str | int | None, list[str]]:
    """The key or index of ``segment`` in ``container`` (None if absent), and the choices."""
    if isinstance(container, dict):
        keys = [str(k) for k in container]
        return (segment if segment in container else None), keys
    if isinstance(container, list):
        ids = [i for i in (_item_id(item) for item in container) if i is not None]
        for index, item in enumerate(container):
            if _item_id(item) == segment:
                return index, ids
        if segment.isdigit() and int(segment) < len(container):
            return int(segment), ids
        return None, ids
    return None, []


def apply_amendment(
    doc: dict[str, Any], pos: Pos, amendment: Amendment, file: str
) -> list[ContractError]:
    """Apply one amendment in place to ``doc`` and its positions; return the errors."""
    errors: list[ContractError] = []
    for op in ("set", "add", "remove"):
        entries = amendment.data.get(op)
        entries_pos = amendment.pos.child(op)
        if not isinstance(entries, dict) or entries_pos is None:
            continue
        for path, value in entries.items():
            entry_pos = entries_pos.child(path) or entries_pos
            error = _apply_one(doc, pos, op, path, value, entry_pos, amendment.id, file)
            errors.extend(error)
    return errors


def _apply_one(
    doc: dict[str, Any],
    pos: Pos,
    op: str,
    path: str,
    value: Any,
    entry_pos: Pos,
    amendment: str,
    file: str,
) -> list[ContractError]:
    segments = path.split(".")
    container: Any = doc
    container_pos: Pos | None = pos
    for depth, segment in enumerate(segments):
        last = depth == len(segments) - 1
        key, choices = _step(container, segment)
        if key is None and last and isinstance(container, dict) and op in ("set", "add"):
            key = segment
            container[key] = [] if op == "add" else None
        if key is None:
            hint = suggest(segment, choices)
            code = "contract.amendment_bad_path" + ("_suggest" if hint else "")
            extra = {"suggestion": hint} if hint else {}
            return [
                error_at(
                    code,
                    file,
                    entry_pos,
                    value=path,
                    on_key=True,
                    amendment=amendment,
                    path=path,
                    segment=segment,
                    **extra,
                )
            ]
        if last:
            return _apply_at(
                container, container_pos, key, op, path, value, entry_pos, amendment, file
            )
        container = container[key]
        container_pos = container_pos.child(key) if container_pos is not None else None
    return []


def _apply_at(
    container: Any,
    container_pos: Pos | None,
    key: str | int,
    op: str,
    path: str,
    value: Any,
    entry_pos: Pos,
    amendment: str,
    file: str,
) -> list[ContractError]:
    if op == "set":
        container[key] = value
        if container_pos is not None and container_pos.items is not None:
            new_pos = Pos(
                entry_pos.line,
                entry_pos.column,
                entry_pos.key_line,
                entry_pos.key_column,
                entry_pos.items,
            )
            items = container_pos.items
            if isinstance(items, dict):
                items[str(key)] = new_pos
            elif isinstance(key, int):
                items[key] = new_pos
        return []
    target = container[key]
    target_pos = container_pos.child(key) if container_pos is not None else None
    if op == "remove" and isinstance(target, dict):
        return _remove_keys(target, target_pos, value, entry_pos, file, amendment, path)
    if not isinstance(target, list):
        return [
            error_at(
                "contract.amendment_not_a_list",
                file,
                entry_pos,
                value=path,
                on_key=True,
                amendment=amendment,
                path=path,
            )
        ]
    if target_pos is None or not isinstance(target_pos.items, list):
        target_pos = Pos(entry_pos.line, entry_pos.column, items=[])
        if container_pos is not None and isinstance(container_pos.items, dict):
            container_pos.items[str(key)] = target_pos
    assert isinstance(target_pos.items, list)
    errors: list[ContractError] = []
    values = value if isinstance(value, list) else []
    for index, item in enumerate(values):
        item_pos = entry_pos.child(index) or entry_pos
        item_id = item if op == "remove" else _item_id(item)
        existing = [_item_id(x) for x in target]
        if op == "add":
            if item_id is not None and item_id in existing:
                errors.append(
                    error_at(
                        "contract.amendment_duplicate_id",
                        file,
                        item_pos,
                        value=item_id,
                        amendment=amendment,
                        path=path,
                        id=item_id,
                    )
                )
                continue
            target.append(item)
            target_pos.items.append(item_pos)
        elif str(item_id) in existing:
            where = existing.index(str(item_id))
            del target[where]
            del target_pos.items[where]
        else:
            errors.append(
                error_at(
                    "contract.amendment_unknown_id",
                    file,
                    item_pos,
                    value=item_id,
                    amendment=amendment,
                    path=path,
                    id=item_id,
                )
            )
    return errors


def _remove_keys(
    target: dict[str, Any],
    target_pos: Pos | None,
    value: Any,
    entry_pos: Pos,
    file: str,
    amendment: str,
    path: str,
) -> list[ContractError]:
    """``remove:`` on a mapping keyed by name (``services``, ``calendars``): drop the keys."""
    errors: list[ContractError] = []
    for index, name in enumerate(value if isinstance(value, list) else []):
        if str(name) in target:
            del target[str(name)]
            if target_pos is not None and isinstance(target_pos.items, dict):
                target_pos.items.pop(str(name), None)
            continue
        errors.append(
            error_at(
                "contract.amendment_unknown_id",
                file,
                entry_pos.child(index) or entry_pos,
                value=name,
                amendment=amendment,
                path=path,
                id=name,
            )
        )
    return errors
