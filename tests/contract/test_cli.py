"""``pilotage contract check|show|diff``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilotage.cli import main
from pilotage.commands.contract import MISSING, changes

from .conftest import FIXTURES, REFERENCE


def test_check_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "contract", "check", str(REFERENCE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{REFERENCE}: valid contract martin-nordinfo, 2 version(s)"
    assert out[1].startswith("  from 15/12/2025: original contract (sha256 ")
    assert out[2].startswith("  from 01/07/2026: amendment avenant-1 (Rétablissement P1")


def test_check_invalid_lists_every_error(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "unknown_keys.yaml"
    assert main(["--lang", "fr", "contract", "check", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0] == f"{path} : 4 erreur(s) dans le contrat"
    assert lines[2] == (
        f"  {path}:20:5, valeur « objectve » : clé « objectve » inconnue dans "
        "service_levels.p1 ; vouliez-vous dire « objective » ?"
    )


def test_show_yaml_at_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "contract", "show", str(REFERENCE), "--at", "2026-03-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "# martin-nordinfo: version in force on 01/03/2026, effective from "
        "15/12/2025, original contract\n# sha256 "
    )
    assert "monthly_fee: 4800\n" in out and "amendments" not in out
    assert main(["--lang", "fr", "contract", "show", str(REFERENCE), "--at", "2026-07-01"]) == 0
    out = capsys.readouterr().out
    assert "applicable à partir du 01/07/2026, avenant avenant-1" in out
    assert "monthly_fee: 5100\n" in out and "target: 3h\n" in out


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["contract", "show", str(REFERENCE), "--at", "2027-01-01", "--format", "json"]
    assert main(args) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["contract"]["price"]["monthly_fee"] == 5100
    assert document["contract"]["term"]["start"] == "2026-01-01"


def test_diff_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["contract", "diff", str(REFERENCE), "--from", "2026-03-01", "--to", "2026-08-01"]
    assert main(["--lang", "en", *args]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "martin-nordinfo: changes between 01/03/2026 (version of 15/12/2025) and 01/08/2026 "
        "(version of 01/07/2026)",
        "  contract.price.monthly_fee: changed from 4800 to 5100",
        "  service_levels.p1-resolution.target: changed from 4h to 3h",
    ]
    assert main(["--lang", "fr", *args]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "  contract.price.monthly_fee : passe de 4800 à 5100"
    same = ["contract", "diff", str(REFERENCE), "--from", "2026-03-01", "--to", "2026-04-01"]
    assert main(["--lang", "fr", *same]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "  aucun changement : la même version est en vigueur aux deux dates"
    )


def test_diff_added_and_removed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8") + (
        "amendments:\n  - id: av\n    effective: 2026-05-01\n"
        "    set: {service_levels.p1.allowed_breaches: 1}\n"
    )
    path = tmp_path / "contract.yaml"
    path.write_text(text, encoding="utf-8")
    args = ["--lang", "en", "contract", "diff", str(path), "--from", "2026-01-01"]
    assert main([*args, "--to", "2026-06-01"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "  service_levels.p1.allowed_breaches: added, 1"
    ]
    args[-1] = "2026-06-01"
    assert main([*args, "--to", "2026-01-01"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "  service_levels.p1.allowed_breaches: removed (was 1)"
    ]


def test_errors_of_show_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "bad_units.yaml"
    assert main(["--lang", "en", "contract", "show", str(path), "--at", "2026-01-01"]) == 2
    assert "8 error(s) in the contract" in capsys.readouterr().err


def test_a_whole_level_is_one_change() -> None:
    before = {"service_levels": [{"id": "a", "target": "4h"}, {"id": "b", "target": "1h"}]}
    after = {"service_levels": [{"id": "b", "target": "2h"}, {"id": "c", "x": [1, 2]}]}
    assert changes(before, after) == [
        ("service_levels.a", {"id": "a", "target": "4h"}, MISSING),
        ("service_levels.b.target", "1h", "2h"),
        ("service_levels.c", MISSING, {"id": "c", "x": [1, 2]}),
    ]
    assert changes({"k": [1, 2]}, {"k": [1, 3]}) == [("k", [1, 2], [1, 3])]
    assert changes(before, before) == []
