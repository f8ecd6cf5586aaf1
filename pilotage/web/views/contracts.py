"""Contracts: creation from a template or a file, the guided editor, amendments, versions,
the deadlines calendar (with its .ics file) and the signed documents."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pilotage import i18n
from pilotage.contract.dates import Deadline, contract_deadlines
from pilotage.contract.document_scan import scan_document
from pilotage.contract.ics import deadline_events, render_ics
from pilotage.contract.lint import Finding, LintReport
from pilotage.contract.loader import (
    ContractErrors,
    dump_contract,
    load_contract,
    read_document,
)
from pilotage.errors import ContractError
from pilotage.web import forms_contract as forms
from pilotage.web import services
from pilotage.web.auth import client_ip
from pilotage.web.models import AuditLog, Contract, ContractVersion, SignedDocument
from pilotage.web.queries_portfolio import readiness
from pilotage.web.rendering import render_page
from pilotage.web.scoping import OrgRequest, requires

__all__ = [
    "contract_amend",
    "contract_calendar",
    "contract_document",
    "contract_document_upload",
    "contract_documents",
    "contract_download",
    "contract_edit",
    "contract_ics",
    "contract_new",
    "contract_terms",
    "contract_upload",
    "contract_versions",
]

DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _lang(request: OrgRequest) -> str:
    return str(getattr(request, "lang", "en"))


@dataclass
class Current:
    """The contract's newest file: its text, plain document and load errors."""

    version: ContractVersion | None
    text: str
    document: dict[str, Any] | None
    errors: list[ContractError]


@lru_cache(maxsize=64)
def _parse(text: str) -> tuple[dict[str, Any] | None, tuple[ContractError, ...]]:
    """A contract text as plain data and its load errors (cached: parsing takes a while)."""
    try:
        document = read_document(text, source_name="contract.yaml")
    except ContractErrors as error:
        return None, error.errors
    try:
        load_contract(text, source_name="contract.yaml")
    except ContractErrors as error:
        return document, error.errors
    return document, ()


def _current(contract: Contract) -> Current:
    version = contract.current_version()
    if version is None:
        return Current(None, "", None, [])
    document, errors = _parse(version.text)
    return Current(version, version.text, copy.deepcopy(document), list(errors))


def finding_view(finding: Finding, lang: str) -> dict[str, Any]:
    """A lint finding as the templates show it (message, recommended clause, why)."""
    catalog = i18n.all_messages()
    clause = f"lint.{finding.rule}.clause"
    why = f"lint.{finding.rule}.why"
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message(lang),
        "clause": i18n.t(clause, lang) if clause in catalog else "",
        "why": i18n.t(why, lang) if why in catalog else "",
        "line": finding.location.line if finding.location else None,
        "path": finding.path,
        "effective": finding.version,
    }


def _error_view(error: ContractError, lang: str) -> dict[str, Any]:
    return {"message": error.message(lang), "line": error.location.line if error.location else None}


def _section(name: str) -> forms.Section:
    section = forms.SECTIONS.get(name)
    if section is None:
        raise Http404
    return section


def _choices(kind: str, f: forms.Field, document: Mapping[str, Any], lang: str) -> list[Any]:
    if kind == "bool":
        values: Sequence[str] = ("true", "false")
    elif kind == "calendar":
        return [("", i18n.t("editor.not_set", lang))] + [
            (name, name) for name in document.get("calendars") or {}
        ]
    else:
        values = f.choices
    return [("", i18n.t("editor.not_set", lang))] + [
        (v, i18n.t(f"editor.choice.{v}", lang)) for v in values
    ]


def _with_value(choices: list[Any], value: str) -> list[Any]:
    """The choices, plus the current value when it is not one of them (kept as written)."""
    if value and value not in {c[0] for c in choices}:
        return [*choices, (value, value)]
    return choices


def _duration(kind: str, value: str, lang: str) -> dict[str, Any]:
    """A duration shown as its number and a unit to choose."""
    if kind != "duration":
        return {}
    number, unit = forms.split_duration(value)
    units = [(u, i18n.t(f"editor.unit.{u}", lang)) for u in forms.UNITS]
    if not unit:
        units.insert(0, ("", i18n.t("editor.unit.as_written", lang)))
    return {"number": number, "unit": unit, "units": units, "unit_name": forms.UNIT_SUFFIX}


def _hint(kind: str, lang: str) -> str:
    code = f"editor.hint.{kind}"
    return i18n.t(code, lang) if code in i18n.all_messages() else ""


def _field_views(
    section: forms.Section,
    values: Mapping[str, str],
    document: Mapping[str, Any],
    errors: Mapping[str, list[ContractError]],
    findings: Mapping[str, list[Finding]],
    lang: str,
    amended: Mapping[str, list[dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    views = []
    for f in section.fields:
        views.append(
            {
                "name": f.key,
                "label": i18n.t(f"editor.{section.name}.{f.key}", lang),
                "kind": f.kind,
                "value": values.get(f.key, ""),
                "choices": _with_value(_choices(f.kind, f, document, lang), values.get(f.key, ""))
                if f.kind in ("choice", "bool", "calendar")
                else [],
                "hint": _hint(f.kind, lang),
                **_duration(f.kind, values.get(f.key, ""), lang),
                "errors": [_error_view(e, lang) for e in errors.get(f.key, [])],
                "findings": [finding_view(x, lang) for x in findings.get(f.key, [])],
                "amended": (amended or {}).get(f.key, []),
            }
        )
    return views


def _posted_rows(rows: forms.Rows, post: Any) -> list[forms.FormRow]:
    count = int(post.get(f"{rows.key}-count") or 0)
    found: list[forms.FormRow] = []
    for index in range(count):
        prefix = f"{rows.key}-{index}-"
        if post.get(prefix + "_delete"):
            continue
        values = {f.key: forms.posted(post, prefix + f.key) for f in rows.fields}
        found.append(forms.FormRow(len(found), str(post.get(prefix + "_origin", "")), values))
    return found


def _row_tables(
    section: forms.Section,
    document: Mapping[str, Any],
    item: str | None,
    post: Any,
    errors: Mapping[str, list[ContractError]],
    findings: Mapping[str, list[Finding]],
    lang: str,
) -> list[dict[str, Any]]:
    tables = []
    for rows in section.rows:
        found = (
            _posted_rows(rows, post)
            if post is not None
            else forms.row_values(document, section, rows, item)
        )
        table_findings = findings.get(f"{rows.key}-0-{rows.fields[0].key}", [])
        lines = []
        for row in found:
            cells = []
            for f in rows.fields:
                name = f"{rows.key}-{row.index}-{f.key}"
                cells.append(
                    {
                        "name": name,
                        "kind": f.kind,
                        "value": row.values.get(f.key, ""),
                        "label": i18n.t(f"editor.{section.name}.{rows.key}.{f.key}", lang),
                        "choices": _with_value(
                            _choices(f.kind, f, document, lang), row.values.get(f.key, "")
                        )
                        if f.kind in ("choice", "bool", "calendar")
                        else [],
                        "errors": [_error_view(e, lang) for e in errors.get(name, [])],
                        **_duration(f.kind, row.values.get(f.key, ""), lang),
                    }
                )
            lines.append({"index": row.index, "origin": row.origin, "cells": cells})
        tables.append(
            {
                "key": rows.key,
                "label": i18n.t(f"editor.{section.name}.{rows.key}", lang),
                "columns": [
                    {
                        "label": i18n.t(f"editor.{section.name}.{rows.key}.{f.key}", lang),
                        "hint": _hint(f.kind, lang),
                    }
                    for f in rows.fields
                ],
                "rows": lines,
                "count": len(found),
                "findings": [finding_view(x, lang) for x in table_findings],
            }
        )
    return tables


def _groups(section: str, fields: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The fields in their fieldsets (one unnamed fieldset for short sections)."""
    groups: list[dict[str, Any]] = []
    for view in fields:
        found = forms.group_of(section, view["name"])
        name, metrics = found if found else ("", ())
        if not groups or groups[-1]["name"] != name:
            groups.append(
                {
                    "name": name,
                    "label": i18n.t(f"editor.group.{name}", lang) if name else "",
                    "metrics": " ".join(metrics),
                    "fields": [],
                }
            )
        groups[-1]["fields"].append(view)
    return groups


def _sections_nav(lang: str) -> list[tuple[str, str]]:
    return [(name, i18n.t(f"editor.section.{name}", lang)) for name in forms.SECTIONS]


# --------------------------------------------------------------------------- creating


@requires("contract.edit")
def contract_new(request: OrgRequest, org_slug: str) -> HttpResponse:
    """Create a contract from a template (then open the editor) or from an uploaded file."""
    lang = _lang(request)
    errors: list[dict[str, Any]] = []
    values = {"template": "sme", "id": "", "title": ""}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                text = _upload_text(upload, lang)
                contract = services.create_contract(request.org, text, request.user)
            else:
                values = {k: request.POST.get(k, "").strip() for k in values}
                contract = _create_from_template(request, values, lang)
        except ContractErrors as error:
            errors = [_error_view(e, lang) for e in error.errors]
        except _Refused as refused:
            errors = [{"message": str(refused), "line": None}]
        else:
            messages.success(request, i18n.t("contracts.created", lang, title=contract.title))
            return redirect("web:contract-edit", org_slug, contract.pk, "parties")
    templates = [(name, i18n.t(f"contracts.new.template.{name}", lang)) for name in forms.TEMPLATES]
    context = {"templates": templates, "values": values, "errors": errors}
    return render_page(request, "web/contract_new.html", context, status=400 if errors else 200)


class _Refused(Exception):
    """A request refused with a message in the user's language."""


def _create_from_template(request: OrgRequest, values: dict[str, str], lang: str) -> Contract:
    name = values["template"]
    if name not in forms.TEMPLATES:
        raise _Refused(
            i18n.t(
                "contracts.new.unknown_template",
                lang,
                value=name,
                expected=", ".join(forms.TEMPLATES),
            )
        )
    document = forms.template_document(name)
    if values["id"]:
        document["contract"]["id"] = values["id"]
    if values["title"]:
        document["contract"]["title"] = values["title"]
    return services.create_contract(request.org, dump_contract(document), request.user, "edit")


def _upload_text(upload: Any, lang: str) -> str:
    name = upload.name or "contract.yaml"
    limit = settings.MAX_UPLOAD_MB
    if upload.size is not None and upload.size > limit * 1024 * 1024:
        raise _Refused(
            i18n.t("web.upload.too_large", lang, name=name, size=upload.size // 2**20, limit=limit)
        )
    try:
        return str(upload.read().decode("utf-8"))
    except UnicodeDecodeError as error:
        raise _Refused(i18n.t("contracts.upload.not_text", lang, name=name)) from error


@require_POST
@requires("contract.edit")
def contract_upload(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """A new version of the contract from an uploaded YAML file."""
    lang = _lang(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, i18n.t("contracts.upload.missing", lang))
        return redirect("web:contract-terms", org_slug, contract_pk)
    before = request.contract.current_version()
    try:
        text = _upload_text(upload, lang)
        version = services.add_contract_version(request.contract, text, request.user, "upload")
    except ContractErrors as error:
        context = _terms_context(request, lang)
        context["upload_errors"] = [_error_view(e, lang) for e in error.errors]
        context["upload_name"] = upload.name
        return render_page(request, "web/contract_terms.html", context, status=400)
    except _Refused as refused:
        messages.error(request, str(refused))
        return redirect("web:contract-terms", org_slug, contract_pk)
    if before is not None and before.pk == version.pk:
        messages.info(request, i18n.t("contracts.upload.unchanged", lang, name=upload.name))
    else:
        messages.success(
            request,
            i18n.t("contracts.upload.saved", lang, number=version.number, name=upload.name),
        )
    return redirect("web:contract-terms", org_slug, contract_pk)


# --------------------------------------------------------------------------- overview


def _terms_context(request: OrgRequest, lang: str) -> dict[str, Any]:
    current = _current(request.contract)
    report: LintReport | None = forms.lint_text(current.text) if current.document else None
    by_section: dict[str, list[dict[str, Any]]] = {name: [] for name in forms.SECTIONS}
    general: list[dict[str, Any]] = []
    if report is not None:
        for finding in report.findings:
            if finding.rule == "LOAD":
                continue
            section = forms.section_of(finding)
            (by_section[section] if section else general).append(finding_view(finding, lang))
    amendments: list[dict[str, Any]] = []
    if current.document:
        for amendment in current.document.get("amendments") or []:
            if isinstance(amendment, dict):
                amendments.append(amendment)
    return {
        "current": current,
        "load_errors": [_error_view(e, lang) for e in current.errors],
        "report": report,
        "scores": [
            {"area": i18n.t(f"lint.area.{s.area}", lang), "score": s.score}
            for s in (report.scores if report else [])
        ],
        "sections": [
            {"name": name, "label": label, "findings": by_section[name]}
            for name, label in _sections_nav(lang)
        ],
        "general": general,
        "amendments": amendments,
        "readiness": readiness(current.document) if current.document else None,
        "counts": {
            severity: report.count(severity) if report else 0
            for severity in ("error", "warning", "info")
        },
    }


@requires("contract.view")
def contract_terms(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """The contract's terms: sections with the linter's findings, scores and amendments."""
    return render_page(request, "web/contract_terms.html", _terms_context(request, _lang(request)))


@requires("contract.view")
def contract_download(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """The current version's YAML file."""
    version = request.contract.current_version()
    if version is None:
        raise Http404
    response = HttpResponse(version.text, content_type="application/yaml; charset=utf-8")
    name = f"{request.contract.reference or 'contract'}-v{version.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --------------------------------------------------------------------------- editor


def _item_param(
    request: OrgRequest, section: forms.Section, document: Mapping[str, Any]
) -> str | None:
    item = request.GET.get("item") or None
    if section.items is None or item is None:
        return None
    if item != forms.NEW_ITEM and item not in forms.item_ids(document, section):
        raise Http404
    return item


def _edit_context(
    request: OrgRequest,
    section: forms.Section,
    item: str | None,
    document: Mapping[str, Any],
    text: str,
    values: Mapping[str, str],
    post: Any,
    check: forms.Check | None,
    lang: str,
) -> dict[str, Any]:
    report = forms.lint_text(text)
    by_field, general = forms.field_findings(report.findings, section, item)
    errors = check.by_field if check else {}
    items = []
    if section.items and item is None:
        items = forms.item_ids(document, section)
    amended = forms.amended_fields(document, section, item) if "amendments" in document else {}
    fields = (
        _field_views(section, values, document, errors, by_field, lang, amended)
        if not (section.items and item is None)
        else []
    )
    return {
        "section": section.name,
        "section_label": i18n.t(f"editor.section.{section.name}", lang),
        "sections": _sections_nav(lang),
        "item": item,
        "items": items,
        "new_item": forms.NEW_ITEM,
        "fields": fields,
        "groups": _groups(section.name, fields, lang),
        "tables": _row_tables(section, document, item, post, errors, by_field, lang)
        if not (section.items and item is None)
        else [],
        "general": [finding_view(f, lang) for f in general],
        "unplaced": [_error_view(e, lang) for e in (check.unplaced if check else [])],
        "error_count": len(check.errors) if check else 0,
        "deletable": forms.deletable_ids(document, "services")
        if section.name == "services"
        else [],
    }


@requires("contract.edit")
def contract_edit(
    request: OrgRequest, org_slug: str, contract_pk: int, section: str
) -> HttpResponse:
    """One section of the guided editor; a valid save is a new version of the file."""
    lang = _lang(request)
    spec = _section(section)
    current = _current(request.contract)
    if current.document is None:
        return render_page(
            request,
            "web/editor.html",
            {
                "blocked": "editor.no_version"
                if current.version is None
                else "editor.invalid_current",
                "sections": _sections_nav(lang),
                "section": section,
            },
        )
    document = current.document
    item = _item_param(request, spec, document)
    if request.method != "POST":
        values = forms.form_values(document, spec, item)
        context = _edit_context(
            request, spec, item, document, current.text, values, None, None, lang
        )
        return render_page(request, "web/editor.html", context)
    if "delete" in request.POST:
        return _delete(request, spec, current, section, lang)
    edited, new_item = forms.apply_form(document, spec, request.POST, item)
    if edited == document:
        messages.info(request, i18n.t("editor.unchanged", lang))
        return _to_editor(org_slug, contract_pk, section, item)
    check = forms.check_document(edited, spec, new_item if spec.items else None)
    if not check.ok:
        values = {f.key: forms.posted(request.POST, f.key) for f in spec.fields}
        context = _edit_context(
            request,
            spec,
            item or forms.NEW_ITEM if spec.items else None,
            document,
            current.text,
            values,
            request.POST,
            check,
            lang,
        )
        return render_page(request, "web/editor.html", context, status=400)
    comment = i18n.t(f"editor.section.{section}", "en") + (f": {new_item}" if new_item else "")
    version = services.add_contract_version(
        request.contract, check.text, request.user, "edit", comment=comment[:300]
    )
    messages.success(request, i18n.t("editor.saved", lang, number=version.number))
    return _to_editor(org_slug, contract_pk, section, new_item)


def _deletion(spec: forms.Section, document: Mapping[str, Any], post: Any) -> tuple[str, str]:
    """The kind and id of the item a post asks to delete (404 when there is none such)."""
    kind = forms.DELETABLE.get(spec.name)
    ident = str(post.get("delete", ""))
    if kind is None or ident not in forms.deletable_ids(document, kind):
        raise Http404
    return kind, ident


def _delete(
    request: OrgRequest, spec: forms.Section, current: Current, section: str, lang: str
) -> HttpResponse:
    """Delete a whole level, calendar or service: refused while something refers to it,
    confirmed by a second post, then saved as a new version."""
    document = current.document or {}
    kind, ident = _deletion(spec, document, request.POST)
    refs = forms.references(document, kind, ident)
    check: forms.Check | None = None
    extra: dict[str, Any] = {"delete_confirm": ident}
    if refs:
        extra = {"delete_refused": ident, "delete_refs": refs}
    elif request.POST.get("confirm") == "1":
        check = forms.check_document(forms.delete_item(document, kind, ident))
        if check.ok:
            comment = f"{i18n.t(f'editor.section.{section}', 'en')}: delete {ident}"
            version = services.add_contract_version(
                request.contract, check.text, request.user, "edit", comment=comment[:300]
            )
            messages.success(
                request, i18n.t("editor.deleted", lang, id=ident, number=version.number)
            )
            return _to_editor(request.org.slug, request.contract.pk, section, None)
        extra = {}
    values = forms.form_values(document, spec, None)
    context = _edit_context(request, spec, None, document, current.text, values, None, check, lang)
    context.update(extra)
    status = 400 if refs or check is not None else 200
    return render_page(request, "web/editor.html", context, status=status)


def _to_editor(org_slug: str, contract_pk: int, section: str, item: str | None) -> HttpResponse:
    url = reverse("web:contract-edit", args=[org_slug, contract_pk, section])
    return redirect(f"{url}?item={item}" if item else url)


# --------------------------------------------------------------------------- amendments


HEADER = ("id", "signed_on", "effective", "summary")
"""The amendment's own fields, posted as ``amendment_<name>``."""


def _header(post: Any, existing: Mapping[str, Any] | None) -> dict[str, Any]:
    if post is not None:
        source = {key: post.get(f"amendment_{key}", "") for key in HEADER}
    else:
        source = dict(existing or {})
    return {
        "id": str(source.get("id", "") or "").strip(),
        "signed_on": forms.convert("date", forms.display(source.get("signed_on"))),
        "effective": forms.convert("date", forms.display(source.get("effective"))),
        "summary": str(source.get("summary", "") or "").strip(),
    }


@requires("contract.edit")
def contract_amend(
    request: OrgRequest, org_slug: str, contract_pk: int, section: str
) -> HttpResponse:
    """Record an amendment by editing a section of the terms in force: the changes become
    the amendment's ``set``/``add``/``remove``; preview shows the terms before and after."""
    lang = _lang(request)
    spec = _section(section)
    current = _current(request.contract)
    if current.document is None or current.errors:
        return redirect("web:contract-terms", org_slug, contract_pk)
    resolved = forms.resolved_document(current.text)
    item = _item_param(request, spec, resolved)
    amendments = [a for a in current.document.get("amendments") or [] if isinstance(a, dict)]
    wanted = request.GET.get("amendment") or request.POST.get("amendment_id")
    existing = next((a for a in amendments if a.get("id") == wanted), None)
    post = request.POST if request.method == "POST" else None
    header = _header(post, existing)
    problems: list[dict[str, Any]] = []
    diff: list[tuple[str, str]] = []
    check: forms.Check | None = None
    deleting: str | None = None
    if post is not None:
        if "delete" in post:
            kind, deleting = _deletion(spec, resolved, post)
            edited = forms.delete_item(resolved, kind, deleting)
            for ref in forms.references(resolved, kind, deleting):
                problems.append({"message": ref, "line": None})
            if problems:
                problems.insert(
                    0,
                    {
                        "message": i18n.t(
                            "editor.delete_refused", lang, id=deleting, count=len(problems)
                        ),
                        "line": None,
                    },
                )
        else:
            edited, _ = forms.apply_form(resolved, spec, post, item)
        sets, adds, removes, dropped = forms.amendment_changes(resolved, edited)
        if (
            not header["id"]
            or not isinstance(header["effective"], dt.date | str)
            or not header["effective"]
        ):
            problems.append({"message": i18n.t("amend.id_required", lang), "line": None})
        for path in dropped:
            problems.append(
                {"message": i18n.t("amend.cannot_remove", lang, path=path), "line": None}
            )
        if not (sets or adds or removes):
            problems.append({"message": i18n.t("amend.no_change", lang), "line": None})
        if not problems:
            merged = forms.merge_amendment(current.document, header, (sets, adds, removes))
            check = forms.check_document(merged)
            problems = [_error_view(e, lang) for e in check.errors]
            if check.ok:
                after = forms.resolved_document(check.text)
                diff = forms.text_diff(
                    dump_contract(resolved), dump_contract(after), "before", "after"
                )
                if post.get("action") == "save":
                    version = services.add_contract_version(
                        request.contract,
                        check.text,
                        request.user,
                        "amendment",
                        comment=f"amendment {header['id']}"[:300],
                    )
                    messages.success(
                        request,
                        i18n.t("amend.saved", lang, id=header["id"], number=version.number),
                    )
                    return redirect("web:contract-versions", org_slug, contract_pk)
        values = {f.key: forms.posted(post, f.key) for f in spec.fields}
    else:
        values = forms.form_values(resolved, spec, item)
    context = _edit_context(request, spec, item, resolved, current.text, values, post, None, lang)
    context.update(
        {
            "amend": True,
            "header": {k: forms.display(v) for k, v in header.items()},
            "existing": existing is not None,
            "problems": problems,
            "diff": diff,
            "can_save": bool(diff) and not problems,
            "deleting": deleting,
        }
    )
    return render_page(request, "web/editor.html", context, status=400 if problems else 200)


# --------------------------------------------------------------------------- versions


def _normalized(text: str) -> str:
    """The file as the editor writes it (comments and layout aside), for diffs that show
    what changed rather than how it was written; the text itself when it does not parse."""
    try:
        return dump_contract(read_document(text, source_name="contract.yaml"))
    except ContractErrors:
        return text


@requires("contract.view")
def contract_versions(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """Every stored version, the diff of one with the previous, and the amendments."""
    lang = _lang(request)
    versions = list(request.contract.versions.select_related("created_by").order_by("-number"))
    by_number = {v.number: v for v in versions}
    chosen = request.GET.get("diff", "")
    diff: list[tuple[str, str]] = []
    shown: ContractVersion | None = None
    if chosen.isdigit() and int(chosen) in by_number:
        shown = by_number[int(chosen)]
        previous = by_number.get(shown.number - 1)
        diff = forms.text_diff(
            _normalized(previous.text) if previous else "",
            _normalized(shown.text),
            f"v{previous.number}" if previous else "-",
            f"v{shown.number}",
        )
    amendments: list[dict[str, Any]] = []
    if versions:
        try:
            loaded = load_contract(versions[0].text, source_name="contract.yaml")
        except ContractErrors:
            loaded = None
        if loaded is not None:
            for before, after in zip(loaded.versions, loaded.versions[1:], strict=False):
                amendments.append(
                    {
                        "effective": after.effective,
                        "ids": after.amendment_id,
                        "signed_on": after.signed_on,
                        "summary": after.summary,
                        "diff": forms.text_diff(
                            dump_contract(before.terms.document),
                            dump_contract(after.terms.document),
                            "before",
                            "after",
                        ),
                    }
                )
    context = {
        "versions": versions,
        "shown": shown,
        "diff": diff,
        "amendments": amendments,
        "sections": _sections_nav(lang),
    }
    return render_page(request, "web/contract_versions.html", context)


# --------------------------------------------------------------------------- calendar


def _deadlines(contract: Contract, today: dt.date) -> list[Deadline]:
    version = contract.current_version()
    if version is None:
        return []
    try:
        loaded = load_contract(version.text, source_name="contract.yaml")
    except ContractErrors:
        return []
    in_force = [v for v in loaded.versions if v.effective <= today] or [loaded.versions[0]]
    document = copy.deepcopy(dict(in_force[-1].terms.document))
    return contract_deadlines(document, today)


@requires("contract.view")
def contract_calendar(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """Renewal, notice, tender, revision, report and committee dates."""
    lang = _lang(request)
    deadlines = _deadlines(request.contract, timezone.localdate())
    events = deadline_events(
        deadlines, contract_id=request.contract.reference or str(request.contract.pk), lang=lang
    )
    rows = [
        {
            "day": d.day,
            "kind": d.kind,
            "label": i18n.t(f"deadline.{d.kind}", lang),
            "detail": e.description,
            "key": d.kind
            in ("notice_customer", "notice_provider", "tender", "renewal", "term_end"),
        }
        for d, e in zip(deadlines, events, strict=True)
    ]
    context = {
        "key_rows": [r for r in rows if r["kind"] not in ("report", "committee")],
        "routine_rows": [r for r in rows if r["kind"] in ("report", "committee")],
    }
    return render_page(request, "web/contract_calendar.html", context)


@requires("contract.view")
def contract_ics(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """The deadlines as an iCalendar file with reminders."""
    lang = _lang(request)
    contract = request.contract
    deadlines = _deadlines(contract, timezone.localdate())
    events = deadline_events(
        deadlines, contract_id=contract.reference or str(contract.pk), lang=lang
    )
    text = render_ics(events, name=contract.title, dtstamp=timezone.now(), lang=lang)
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    name = f"{contract.reference or 'contract'}-deadlines.ics"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --------------------------------------------------------------------------- signed documents


def _document_rows(documents: Sequence[SignedDocument], lang: str) -> list[dict[str, Any]]:
    rows = []
    for document in documents:
        findings = []
        for item in document.findings:
            params = item.get("params") or {}
            findings.append(
                {
                    "severity": item.get("severity", "info"),
                    "rule": item.get("rule", ""),
                    "message": i18n.t(item["code"], lang, **params),
                    "page": item.get("page"),
                    "excerpt": item.get("excerpt") or "",
                    "clause": i18n.t(f"lint.{item['rule']}.clause", lang)
                    if f"lint.{item.get('rule')}.clause" in i18n.all_messages()
                    else "",
                }
            )
        rows.append(
            {"document": document, "findings": findings, "kb": max(1, document.size // 1024)}
        )
    return rows


@requires("contract.view")
def contract_documents(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """The signed documents attached to the contract and what their scan found."""
    lang = _lang(request)
    documents = list(
        SignedDocument.objects.for_org(request.org)
        .filter(contract=request.contract)
        .defer("content")
        .select_related("created_by")
    )
    context = {"rows": _document_rows(documents, lang), "limit": settings.MAX_UPLOAD_MB}
    return render_page(request, "web/contract_documents.html", context)


def _scan(name: str, data: bytes) -> list[dict[str, Any]]:
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="pilotage-doc-") as folder:
        path = Path(folder) / f"document{suffix}"
        path.write_bytes(data)
        report = scan_document(path, profile="sme")
    return [
        {
            "rule": f.rule,
            "severity": f.severity,
            "code": f.code,
            "params": {k: str(v) for k, v in f.params.items()},
            "page": f.location.row if f.location else None,
            "excerpt": f.location.value if f.location and f.location.value else "",
        }
        for f in report.findings
    ]


@require_POST
@requires("contract.edit")
def contract_document_upload(request: OrgRequest, org_slug: str, contract_pk: int) -> HttpResponse:
    """Attach a signed document (PDF or DOCX, bounded size) and scan it."""
    lang = _lang(request)
    upload = request.FILES.get("file")
    back = redirect("web:contract-documents", org_slug, contract_pk)
    if upload is None:
        messages.error(request, i18n.t("contracts.upload.missing", lang))
        return back
    name = Path(upload.name or "document").name[:255]
    limit = settings.MAX_UPLOAD_MB
    if Path(name).suffix.lower() not in DOCUMENT_TYPES:
        messages.error(request, i18n.t("documents.bad_type", lang, name=name))
        return back
    if upload.size is not None and upload.size > limit * 1024 * 1024:
        size = upload.size // 2**20
        messages.error(
            request, i18n.t("web.upload.too_large", lang, name=name, size=size, limit=limit)
        )
        return back
    data = upload.read()
    try:
        findings = _scan(name, data)
    except ContractError as error:
        messages.error(request, f"{name}: {error.message(lang)}")
        return back
    document = SignedDocument.objects.create(
        organization=request.org,
        contract=request.contract,
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
        findings=findings,
        created_by=request.user,
    )
    AuditLog.record(
        "document.attached",
        actor=request.user,
        organization=request.org,
        obj=document,
        after={
            "contract": request.contract.pk,
            "name": name,
            "sha256": document.sha256,
            "findings": len(findings),
        },
        ip=client_ip(request),
    )
    messages.success(request, i18n.t("documents.saved", lang, name=name, count=len(findings)))
    return back


@requires("contract.view")
def contract_document(
    request: OrgRequest, org_slug: str, contract_pk: int, document_pk: int
) -> HttpResponse:
    """Download an attached document."""
    document = get_object_or_404(
        SignedDocument.objects.for_org(request.org).filter(contract=request.contract),
        pk=document_pk,
    )
    suffix = Path(document.name).suffix.lower()
    response = HttpResponse(
        bytes(document.content), content_type=DOCUMENT_TYPES.get(suffix, "application/octet-stream")
    )
    response["Content-Disposition"] = f'attachment; filename="{document.name}"'
    return response
