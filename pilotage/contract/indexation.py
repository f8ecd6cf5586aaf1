"""Price revision with the Syntec index: P = P0 × (fixed + (1 − fixed) × S / S0).

- P0 is the monthly fee of the version in force; when an amendment changed
  the fee, that fee is a new base and, unless told otherwise, so is its index:
  the amendment's own ``indexation.base_month`` when it sets one, else the
  last index published at its effective date (the base is *reset*).
  Without reset, the amended fee is revised against the original base month.
- Revisions fall every ``indexation.every`` from the term's start; each uses
  the last index published on its date: the index of month M is published at
  the end of M + 1, so a revision on 1 January 2027 uses November 2026.
- A contract based on the former Syntec index (``index: syntec``, or a base
  month before December 2019, where the revised index has no value) has its
  S0 converted to the revised index with the link coefficient ("coefficient
  de raccord"): the revised index of August 2022 over the last value of the
  former one, 280.6 / 286.4 = 0.97975 (Fédération Syntec, as reported by Le
  Moniteur and juristique.org); another value can be passed.
- ``indexation.cap`` bounds each revision: the price rises by at most the cap
  over the price before it.
- Decimal throughout; ratios are not rounded; each revised price is rounded
  to the cent, half up, once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

from pilotage import i18n
from pilotage.contract.dates import add_months
from pilotage.contract.model import Contract, ContractVersion
from pilotage.contract.units import parse_duration, parse_percent
from pilotage.errors import ContractError, ImportDataError, Location

__all__ = [
    "FORMER_INDEX_NAMES",
    "LINK_COEFFICIENT",
    "PriceRevision",
    "RevisionStep",
    "parse_index_entry",
    "price_revision",
    "published_month",
    "read_index_csv",
    "revision_lines",
]

LINK_COEFFICIENT: Final = Decimal("0.97975")
"""Former Syntec index to revised index: 280.6 (revised, August 2022) / 286.4 (former)."""
REVISED_FROM: Final = "2019-12"
"""First month of the revised Syntec index (values before August 2022 are back-calculated)."""
FORMER_INDEX_NAMES: Final = ("syntec", "syntec_old", "syntec_former")
CENT: Final = Decimal("0.01")

i18n.register(
    {
        "indexation.no_clause": {
            "en": "the contract has no complete indexation clause (index, base_month, "
            "fixed_share and every are needed)",
            "fr": "le contrat n’a pas de clause de révision complète (index, base_month, "
            "fixed_share et every sont nécessaires)",
        },
        "indexation.missing_month": {
            "en": "no index value for {month}, needed for {purpose}",
            "fr": "aucune valeur d’indice pour {month}, nécessaire pour {purpose}",
        },
        "indexation.purpose_base": {"en": "the base index S0", "fr": "l’indice de base S0"},
        "indexation.purpose_revision": {
            "en": "the revision of {date}",
            "fr": "la révision du {date}",
        },
        "indexation.bad_month": {
            "en": "expected a month written YYYY-MM or MM/YYYY",
            "fr": "un mois écrit AAAA-MM ou MM/AAAA est attendu",
        },
        "indexation.bad_value": {
            "en": "expected a positive index value such as 282.4 or 282,4",
            "fr": "une valeur d’indice positive comme 282,4 ou 282.4 est attendue",
        },
        "indexation.duplicate_month": {
            "en": "the month {month} appears twice",
            "fr": "le mois {month} apparaît deux fois",
        },
        "indexation.bad_entry": {
            "en": "expected MONTH=VALUE, such as 2025-09=282.4",
            "fr": "MOIS=VALEUR attendu, par exemple 2025-09=282.4",
        },
        "indexation.unreadable": {
            "en": "cannot read the index file: {reason}",
            "fr": "impossible de lire le fichier d’indices : {reason}",
        },
    }
)


@dataclass(frozen=True)
class RevisionStep:
    """One revision: the index used and the price it gives."""

    day: dt.date
    month: str
    index: Decimal
    ratio: Decimal
    coefficient: Decimal
    computed: Decimal
    """P0 × coefficient, rounded to the cent."""
    price: Decimal
    """The revised price: ``computed``, or the cap when it binds."""
    capped: bool


@dataclass(frozen=True)
class PriceRevision:
    """The computation of the price in force at a date."""

    at: dt.date
    currency: str
    index_name: str
    fixed_share: Decimal
    p0: Decimal
    base_version: ContractVersion
    reset: bool
    """Whether the base (P0 and S0) comes from an amendment that changed the fee."""
    s0_month: str
    s0_written: Decimal
    link: Decimal | None
    """The link coefficient applied to S0, when the base is in the former index."""
    s0: Decimal
    cap: Decimal | None
    steps: tuple[RevisionStep, ...]

    @property
    def price(self) -> Decimal:
        """The price in force at ``at``."""
        return self.steps[-1].price if self.steps else self.p0


def published_month(day: dt.date) -> str:
    """The last index month published on ``day`` (month M is out at the end of M + 1)."""
    month = add_months(dt.date(day.year, day.month, 1), -2)
    return f"{month:%Y-%m}"


def _month_key(text: str) -> str | None:
    text = text.strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text) or re.fullmatch(r"(\d{1,2})/(\d{4})", text)
    if match is None:
        return None
    first, second = match.groups()
    year, month = (first, second) if len(first) == 4 else (second, first)
    return f"{int(year):04d}-{int(month):02d}" if 1 <= int(month) <= 12 else None


def _value(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace("\u202f", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


def parse_index_entry(text: str) -> tuple[str, Decimal]:
    """``"2025-09=282.4"`` -> ``("2025-09", Decimal("282.4"))`` (ImportDataError otherwise)."""
    month, sep, value = text.partition("=")
    key, number = _month_key(month), _value(value)
    if not sep or key is None or number is None:
        raise ImportDataError("indexation.bad_entry", {}, Location(value=text))
    return key, number


def read_index_csv(path: str | os.PathLike[str]) -> dict[str, Decimal]:
    """An index series from a ``month;value`` CSV (``,`` also accepted as delimiter).

    A first row that is not a month is a header.  UTF-8 (with or without BOM),
    else cp1252.  Every bad row is an ImportDataError naming row, column and value.
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ImportDataError(
            "indexation.unreadable", {"reason": str(error)}, Location(file=name)
        ) from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    delimiter = ";" if ";" in text.split("\n", 1)[0] else ","
    series: dict[str, Decimal] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if not row or not "".join(row).strip():
            continue
        month = _month_key(row[0])
        if month is None:
            if number == 1:
                continue
            raise ImportDataError(
                "indexation.bad_month", {}, Location(file=name, row=number, column=1, value=row[0])
            )
        shown = row[1] if len(row) > 1 else ""
        value = _value(shown)
        if value is None:
            location = Location(file=name, row=number, column=2, value=shown)
            raise ImportDataError("indexation.bad_value", {}, location)
        if month in series:
            location = Location(file=name, row=number, column=1, value=row[0])
            raise ImportDataError("indexation.duplicate_month", {"month": month}, location)
        series[month] = value
    return series


def _fee(version: ContractVersion) -> Decimal:
    return version.terms.monthly_fee


def _indexation(version: ContractVersion) -> Mapping[str, Any]:
    price = version.terms.document.get("contract", {}).get("price", {})
    return price.get("indexation") or {}


def _need(series: Mapping[str, Decimal], month: str, purpose: str) -> Decimal:
    if month not in series:
        raise ImportDataError("indexation.missing_month", {"month": month, "purpose": purpose})
    return series[month]


def price_revision(
    contract: Contract,
    series: Mapping[str, Decimal],
    at: dt.date,
    *,
    link_coefficient: Decimal = LINK_COEFFICIENT,
    reset_on_amendment: bool = True,
    lang: str = "en",
) -> PriceRevision:
    """The price in force at ``at`` and every revision that led to it."""
    current = contract.versions[0]
    base = current
    for version in contract.versions[1:]:
        if version.effective > at:
            break
        if _fee(version) != _fee(current):
            base = version
        current = version
    indexation = _indexation(current)
    if not all(indexation.get(k) for k in ("index", "base_month", "fixed_share", "every")):
        raise ContractError("indexation.no_clause", {}, Location(file=contract.source))
    original = _indexation(contract.versions[0])
    reset = reset_on_amendment and base is not contract.versions[0]
    if not reset:
        s0_month = str(original.get("base_month", indexation["base_month"]))
    elif _indexation(base).get("base_month") != original.get("base_month"):
        s0_month = str(_indexation(base)["base_month"])
    else:
        s0_month = published_month(base.effective)
    s0_written = _need(series, s0_month, i18n.t("indexation.purpose_base", lang))
    index_name = str(indexation["index"])
    former = index_name.lower() in FORMER_INDEX_NAMES or s0_month < REVISED_FROM
    link = link_coefficient if former else None
    s0 = s0_written * link if link is not None else s0_written
    fixed = parse_percent(str(indexation["fixed_share"]))
    cap = parse_percent(str(indexation["cap"])) if indexation.get("cap") else None
    every = parse_duration(str(indexation["every"]))
    months = int(every.amount) if every.unit == "mo" else int(every.amount) // 30
    start = current.terms.term_start
    p0 = _fee(base)
    steps: list[RevisionStep] = []
    previous = p0
    k = 1
    while months > 0 and (day := add_months(start, months * k)) <= at:
        k += 1
        if day < base.effective:
            continue  # the amended fee already includes the revisions before it
        month = published_month(day)
        purpose = i18n.t("indexation.purpose_revision", lang, date=i18n.fmt_date(day, lang))
        index = _need(series, month, purpose)
        ratio = index / s0
        coefficient = fixed + (1 - fixed) * ratio
        computed = (p0 * coefficient).quantize(CENT, ROUND_HALF_UP)
        ceiling = (previous * (1 + cap)).quantize(CENT, ROUND_HALF_UP) if cap else None
        capped = ceiling is not None and computed > ceiling
        price = ceiling if capped and ceiling is not None else computed
        steps.append(RevisionStep(day, month, index, ratio, coefficient, computed, price, capped))
        previous = price
    return PriceRevision(
        at=at,
        currency=current.terms.currency,
        index_name=index_name,
        fixed_share=fixed,
        p0=p0,
        base_version=base,
        reset=reset,
        s0_month=s0_month,
        s0_written=s0_written,
        link=link,
        s0=s0,
        cap=cap,
        steps=tuple(steps),
    )


i18n.register(
    {
        "indexation.line.title": {
            "en": "Price revision of {contract} on {date}",
            "fr": "Révision de prix de {contract} au {date}",
        },
        "indexation.line.formula": {
            "en": "Formula: P = P0 × ({fixed} + {variable} × S / S0), index {index}",
            "fr": "Formule : P = P0 × ({fixed} + {variable} × S / S0), indice {index}",
        },
        "indexation.line.p0_original": {
            "en": "Base price P0: {p0} excl. VAT (monthly fee of the original contract)",
            "fr": "Prix de base P0 : {p0} HT (redevance du contrat d’origine)",
        },
        "indexation.line.p0_amendment": {
            "en": "Base price P0: {p0} excl. VAT (fee set by amendment {amendment}, "
            "effective {effective})",
            "fr": "Prix de base P0 : {p0} HT (redevance fixée par l’avenant {amendment}, "
            "applicable au {effective})",
        },
        "indexation.line.s0": {
            "en": "Base index S0: {month} = {value}",
            "fr": "Indice de base S0 : {month} = {value}",
        },
        "indexation.line.s0_reset": {
            "en": "Base index S0: {month} = {value} (base reset by the amendment: last index "
            "published on {effective})",
            "fr": "Indice de base S0 : {month} = {value} (base remise à jour par l’avenant : "
            "dernier indice publié au {effective})",
        },
        "indexation.line.s0_kept": {
            "en": "The amendment does not reset the base: S0 stays the original base month",
            "fr": "L’avenant ne remet pas la base à jour : S0 reste le mois de base d’origine",
        },
        "indexation.line.link": {
            "en": "Former Syntec index: S0 = {written} × {link} (link coefficient) = {s0}",
            "fr": "Ancien indice Syntec : S0 = {written} × {link} (coefficient de raccordement) "
            "= {s0}",
        },
        "indexation.line.none": {
            "en": "No revision date between {start} and {date}: the price is P0",
            "fr": "Aucune date de révision entre le {start} et le {date} : le prix est P0",
        },
        "indexation.line.revision": {
            "en": "Revision of {date}: S = index of {month} (last published) = {value}",
            "fr": "Révision du {date} : S = indice de {month} (dernier publié) = {value}",
        },
        "indexation.line.ratio": {
            "en": "S / S0 = {s} / {s0} = {ratio}",
            "fr": "S / S0 = {s} / {s0} = {ratio}",
        },
        "indexation.line.coefficient": {
            "en": "coefficient = {fixed} + {variable} × {ratio} = {coefficient}",
            "fr": "coefficient = {fixed} + {variable} × {ratio} = {coefficient}",
        },
        "indexation.line.price": {
            "en": "P = {p0} × {coefficient} = {price}",
            "fr": "P = {p0} × {coefficient} = {price}",
        },
        "indexation.line.capped": {
            "en": "capped at +{cap} over the previous price {previous}: P = {price}",
            "fr": "plafonné à +{cap} du prix précédent {previous} : P = {price}",
        },
        "indexation.line.result": {
            "en": "Price in force on {date}: {price} excl. VAT",
            "fr": "Prix en vigueur au {date} : {price} HT",
        },
        "indexation.line.rounding": {
            "en": "Computed in decimal arithmetic; ratios shown to 6 decimals but not rounded; "
            "each price rounded to the cent, half up, once.",
            "fr": "Calcul en arithmétique décimale ; rapports affichés à 6 décimales mais non "
            "arrondis ; chaque prix arrondi au centime le plus proche (demi au-dessus), une "
            "seule fois.",
        },
    }
)


def revision_lines(revision: PriceRevision, contract_id: str, lang: str) -> list[str]:
    """The computation, line by line, in ``lang``."""

    def money(value: Decimal) -> str:
        return i18n.fmt_money(value, lang, revision.currency)

    def num(value: Decimal, digits: int = 6) -> str:
        return i18n.fmt_number(value, lang, digits)

    fixed, variable = num(revision.fixed_share), num(1 - revision.fixed_share)
    lines = [
        i18n.t(
            "indexation.line.title",
            lang,
            contract=contract_id,
            date=i18n.fmt_date(revision.at, lang),
        ),
        i18n.t(
            "indexation.line.formula",
            lang,
            fixed=fixed,
            variable=variable,
            index=revision.index_name,
        ),
    ]
    base = revision.base_version
    if base.amendment_id is None:
        lines.append(i18n.t("indexation.line.p0_original", lang, p0=money(revision.p0)))
    else:
        effective = i18n.fmt_date(base.effective, lang)
        lines.append(
            i18n.t(
                "indexation.line.p0_amendment",
                lang,
                p0=money(revision.p0),
                amendment=base.amendment_id,
                effective=effective,
            )
        )
    s0_params = {"month": revision.s0_month, "value": num(revision.s0_written)}
    if revision.reset:
        effective = i18n.fmt_date(base.effective, lang)
        lines.append(i18n.t("indexation.line.s0_reset", lang, effective=effective, **s0_params))
    else:
        lines.append(i18n.t("indexation.line.s0", lang, **s0_params))
        if base.amendment_id is not None:
            lines.append(i18n.t("indexation.line.s0_kept", lang))
    if revision.link is not None:
        lines.append(
            i18n.t(
                "indexation.line.link",
                lang,
                written=num(revision.s0_written),
                link=num(revision.link),
                s0=num(revision.s0),
            )
        )
    if not revision.steps:
        start = i18n.fmt_date(base.effective, lang)
        lines.append(
            i18n.t("indexation.line.none", lang, start=start, date=i18n.fmt_date(revision.at, lang))
        )
    previous = revision.p0
    for step in revision.steps:
        date = i18n.fmt_date(step.day, lang)
        lines.append(
            i18n.t(
                "indexation.line.revision", lang, date=date, month=step.month, value=num(step.index)
            )
        )
        ratio = num(step.ratio)
        lines.append(
            "  "
            + i18n.t(
                "indexation.line.ratio", lang, s=num(step.index), s0=num(revision.s0), ratio=ratio
            )
        )
        coefficient = num(step.coefficient)
        lines.append(
            "  "
            + i18n.t(
                "indexation.line.coefficient",
                lang,
                fixed=fixed,
                variable=variable,
                ratio=ratio,
                coefficient=coefficient,
            )
        )
        lines.append(
            "  "
            + i18n.t(
                "indexation.line.price",
                lang,
                p0=money(revision.p0),
                coefficient=coefficient,
                price=money(step.computed),
            )
        )
        if step.capped and revision.cap is not None:
            cap = i18n.fmt_percent(revision.cap, lang)
            lines.append(
                "  "
                + i18n.t(
                    "indexation.line.capped",
                    lang,
                    cap=cap,
                    previous=money(previous),
                    price=money(step.price),
                )
            )
        previous = step.price
    lines.append(
        i18n.t(
            "indexation.line.result",
            lang,
            date=i18n.fmt_date(revision.at, lang),
            price=money(revision.price),
        )
    )
    lines.append(i18n.t("indexation.line.rounding", lang))
    return lines
