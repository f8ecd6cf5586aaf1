"""Price revision with the revised Syntec index, the link coefficient and amendments."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from pilotage.cli import main
from pilotage.contract import load_contract
from pilotage.contract.indexation import (
    LINK_COEFFICIENT,
    parse_index_entry,
    price_revision,
    published_month,
    read_index_csv,
    revision_lines,
)
from pilotage.errors import ContractError, ImportDataError

from .conftest import REFERENCE

SERIES = {
    "2025-09": Decimal("282.4"),
    "2026-05": Decimal("285.1"),
    "2026-11": Decimal("290.3"),
    "2027-11": Decimal("296.0"),
}


def _expected(p0: str, s: str, s0: Decimal, fixed: str = "0.15") -> Decimal:
    share = Decimal(fixed)
    value = Decimal(p0) * (share + (1 - share) * Decimal(s) / s0)
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _plain(text: str) -> str:
    """French number formatting uses (narrow) no-break spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_published_month_lags_by_two() -> None:
    assert published_month(dt.date(2027, 1, 1)) == "2026-11"
    assert published_month(dt.date(2026, 7, 15)) == "2026-05"


def test_before_any_revision_the_price_is_p0() -> None:
    revision = price_revision(load_contract(REFERENCE), SERIES, dt.date(2026, 3, 1))
    assert revision.steps == () and revision.price == Decimal(4800)
    assert revision.s0_month == "2025-09" and not revision.reset


def test_amendment_resets_the_base() -> None:
    revision = price_revision(load_contract(REFERENCE), SERIES, dt.date(2027, 3, 1))
    assert revision.reset and revision.p0 == Decimal(5100)
    assert revision.s0_month == "2026-05"  # last index published on 01/07/2026
    (step,) = revision.steps
    assert step.day == dt.date(2027, 1, 1) and step.month == "2026-11"
    assert revision.price == _expected("5100", "290.3", Decimal("285.1")) == Decimal("5179.07")


def test_keeping_the_original_base() -> None:
    contract = load_contract(REFERENCE)
    revision = price_revision(contract, SERIES, dt.date(2028, 3, 1), reset_on_amendment=False)
    assert revision.s0_month == "2025-09" and not revision.reset
    assert [s.month for s in revision.steps] == ["2026-11", "2027-11"]
    # each revision starts again from P0 with the latest index: no compounding
    assert revision.price == _expected("5100", "296.0", Decimal("282.4")) == Decimal("5308.77")


def _variant(tmp_path: Path, indexation: str) -> Path:
    text = REFERENCE.read_text(encoding="utf-8").replace(
        "indexation: {index: syntec_revised, base_month: 2025-09, fixed_share: 15%, every: 12mo}",
        indexation,
    )
    path = tmp_path / "contract.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_former_index_uses_the_link_coefficient(tmp_path: Path) -> None:
    path = _variant(
        tmp_path, "indexation: {index: syntec, base_month: 2021-09, fixed_share: 15%, every: 12mo}"
    )
    series = {"2021-09": Decimal("276.8"), **SERIES}
    revision = price_revision(
        load_contract(path), series, dt.date(2027, 3, 1), reset_on_amendment=False
    )
    assert revision.link == LINK_COEFFICIENT == Decimal("0.97975")
    assert revision.s0 == Decimal("276.8") * Decimal("0.97975")
    assert revision.price == _expected("5100", "290.3", Decimal("276.8") * Decimal("0.97975"))
    other = price_revision(
        load_contract(path),
        series,
        dt.date(2027, 3, 1),
        reset_on_amendment=False,
        link_coefficient=Decimal("0.98"),
    )
    assert other.s0 == Decimal("276.8") * Decimal("0.98")
    revised = _variant(
        tmp_path,
        "indexation: {index: syntec_revised, base_month: 2021-09, fixed_share: 15%, every: 12mo}",
    )
    back = price_revision(
        load_contract(revised), series, dt.date(2027, 3, 1), reset_on_amendment=False
    )
    assert back.link is None and back.s0 == Decimal("276.8")  # back-calculated revised value


def test_cap_bounds_each_revision(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "indexation: {index: syntec_revised, base_month: 2025-09, fixed_share: 15%, every: 12mo, "
        "cap: 1%}",
    )
    revision = price_revision(load_contract(path), SERIES, dt.date(2027, 3, 1))
    (step,) = revision.steps
    assert step.capped and step.computed == Decimal("5179.07") and step.price == Decimal("5151.00")
    lines = [_plain(line) for line in revision_lines(revision, "martin-nordinfo", "fr")]
    assert "  plafonné à +1 % du prix précédent 5 100,00 € : P = 5 151,00 €" in lines


def test_missing_index_month_is_named() -> None:
    series = {k: v for k, v in SERIES.items() if k != "2026-11"}
    with pytest.raises(ImportDataError) as caught:
        price_revision(load_contract(REFERENCE), series, dt.date(2027, 3, 1), lang="fr")
    assert caught.value.message("fr") == (
        "aucune valeur d’indice pour 2026-11, nécessaire pour la révision du 01/01/2027"
    )


def test_contract_without_indexation(tmp_path: Path) -> None:
    path = _variant(tmp_path, "indexation: {index: syntec_revised}")
    with pytest.raises(ContractError) as caught:
        price_revision(load_contract(path), SERIES, dt.date(2027, 3, 1))
    assert caught.value.code == "indexation.no_clause"


def test_read_csv(tmp_path: Path) -> None:
    path = tmp_path / "syntec.csv"
    path.write_bytes(
        "Mois;Indice Syntec révisé\r\n09/2025;282,4\r\n2026-11;290.3\r\n".encode("cp1252")
    )
    assert read_index_csv(path) == {"2025-09": Decimal("282.4"), "2026-11": Decimal("290.3")}
    path.write_text("month,value\n2025-09,282.4\n2025-13,1\n", encoding="utf-8")
    with pytest.raises(ImportDataError) as caught:
        read_index_csv(path)
    assert caught.value.message("en") == (
        f'{path}, row 3, column 1, value "2025-13": expected a month written YYYY-MM or MM/YYYY'
    )
    path.write_text("2025-09;abc\n", encoding="utf-8")
    with pytest.raises(ImportDataError, match="positive index value"):
        read_index_csv(path)
    path.write_text("2025-09;1\n2025-09;2\n", encoding="utf-8")
    with pytest.raises(ImportDataError, match="appears twice"):
        read_index_csv(path)
    assert parse_index_entry("2026-05=285,1") == ("2026-05", Decimal("285.1"))
    with pytest.raises(ImportDataError):
        parse_index_entry("285.1")


def test_cli_prints_the_computation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "syntec.csv"
    csv.write_text("2025-09;282,4\n2026-05;285,1\n", encoding="utf-8")
    args = ["contract", "revise-price", str(REFERENCE), "--index", str(csv), "--at", "2027-03-01"]
    assert main(["--lang", "fr", *args, "--value", "2026-11=290,3"]) == 0
    lines = [_plain(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[:3] == [
        "Révision de prix de martin-nordinfo au 01/03/2027",
        "Formule : P = P0 × (0,15 + 0,85 × S / S0), indice syntec_revised",
        "Prix de base P0 : 5 100,00 € HT (redevance fixée par l’avenant avenant-1, "
        "applicable au 01/07/2026)",
    ]
    assert "  S / S0 = 290,3 / 285,1 = 1,018239" in lines
    assert "Prix en vigueur au 01/03/2027 : 5 179,07 € HT" in lines
    assert main(["--lang", "en", *args]) == 2
    assert "no index value for 2026-11" in capsys.readouterr().err
