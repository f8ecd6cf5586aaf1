"""The contract linter: every rule fires on a defective contract and is silent on a sound one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pilotage.cli import main
from pilotage.contract import read_document
from pilotage.contract.lint import (
    AREAS,
    PROFILES,
    RULES,
    lint_document,
    lint_file,
    severity_of,
)

from .conftest import FIXTURES, REFERENCE

LINT = FIXTURES / "lint"
SOUND = LINT / "sound.yaml"

FIRES_ON: dict[str, str] = {
    "SLA-001": "unmeasurable_levels",
    "SLA-002": "unmeasurable_levels",
    "SLA-003": "unmeasurable_levels",
    "SLA-004": "unmeasurable_levels",
    "SLA-005": "old_syntec_index",
    "SLA-006": "old_syntec_index",
    "SLA-007": "unmeasurable_levels",
    "SLA-008": "old_syntec_index",
    "SLA-009": "no_governance",
    "SLA-010": "no_governance",
    "SLA-011": "unmeasurable_levels",
    "SLA-012": "penalty_cap_2_percent",
    "SLA-013": "penalty_cap_2_percent",
    "SLA-015": "old_syntec_index",
    "SLA-017": "old_syntec_index",
    "SLA-018": "penalty_cap_2_percent",
    "SLA-019": "no_reversibility",
    "GOV-001": "no_governance",
    "GOV-002": "no_governance",
    "GOV-004": "no_governance",
    "GOV-005": "breach_96h",
    "GOV-006": "no_governance",
    "GOV-008": "no_governance",
    "SEC-001": "breach_96h",
    "SEC-003": "breach_96h",
    "SEC-004": "breach_96h",
    "GDPR-001": "provider_terms",
    "GDPR-002": "breach_96h",
    "GDPR-003": "breach_96h",
    "GDPR-004": "breach_96h",
    "GDPR-005": "breach_96h",
    "GDPR-006": "breach_96h",
    "GDPR-007": "breach_96h",
    "GDPR-008": "breach_96h",
    "GDPR-009": "breach_96h",
    "GDPR-010": "breach_96h",
    "GDPR-011": "no_reversibility",
    "GDPR-012": "no_governance",
    "REV-001": "no_reversibility",
    "REV-002": "weak_reversibility",
    "REV-003": "weak_reversibility",
    "REV-004": "weak_reversibility",
    "REV-005": "weak_reversibility",
    "REV-006": "weak_reversibility",
    "REV-007": "weak_reversibility",
    "REV-008": "weak_reversibility",
    "REV-009": "weak_reversibility",
    "TRN-001": "weak_reversibility",
    "TRM-001": "provider_terms",
    "TRM-002": "tacit_renewal_6_months",
    "TRM-003": "tacit_renewal_6_months",
    "TRM-004": "tacit_renewal_6_months",
    "TRM-005": "tacit_renewal_6_months",
    "TRM-006": "weak_reversibility",
    "TRM-007": "tacit_renewal_6_months",
    "LIA-001": "penalty_cap_2_percent",
    "LIA-002": "penalty_cap_2_percent",
    "LIA-003": "penalty_cap_2_percent",
    "LIA-004": "penalty_cap_2_percent",
    "LIA-005": "penalty_cap_2_percent",
    "AMD-001": "no_governance",
    "AMD-002": "old_syntec_index",
    "SUB-001": "old_syntec_index",
    "SUB-002": "breach_96h",
    "PRC-001": "old_syntec_index",
    "PRC-002": "old_syntec_index",
    "PRC-004": "old_syntec_index",
}


def _rules(path: Path, profile: str = "sme") -> set[str]:
    return {f.rule for f in lint_file(path, profile=profile).findings}


def test_every_rule_has_a_defective_fixture() -> None:
    assert set(FIRES_ON) == set(RULES)


@pytest.mark.parametrize("rule_id", sorted(FIRES_ON))
def test_rule_fires_on_defective_contract(rule_id: str) -> None:
    assert rule_id in _rules(LINT / f"{FIRES_ON[rule_id]}.yaml")


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_every_rule_is_silent_on_the_sound_contract(profile: str) -> None:
    report = lint_file(SOUND, profile=profile)
    assert report.findings == []
    assert all(score.score == 100 for score in report.scores)
    assert {score.area for score in report.scores} == set(AREAS)


def test_reference_has_no_error_under_the_default_profile() -> None:
    report = lint_file(REFERENCE)
    assert report.errors == 0
    assert {f.rule for f in report.findings} == {"SLA-011", "SLA-017", "SLA-019", "PRC-004"}


def test_dora_weighs_more_than_sme() -> None:
    sme, dora = lint_file(REFERENCE, profile="sme"), lint_file(REFERENCE, profile="dora")
    restore = [f for f in dora.findings if f.path == "service_levels.restore-tests"]
    assert [f.severity for f in restore] == ["error"]
    assert [f.severity for f in sme.findings if f.path == "service_levels.restore-tests"] == [
        "warning"
    ]
    assert severity_of("sme", "GOV-006") == ("info", "info")
    assert severity_of("dora", "GOV-006") == ("error", "error")
    assert severity_of("public", "SLA-019") is None


def test_low_volume_penalty_always_hits_its_cap() -> None:
    (finding,) = [f for f in lint_file(REFERENCE).findings if f.rule == "SLA-019"]
    assert finding.path == "service_levels.p1-resolution.penalty"
    # 2 breaches out of 20 tickets: 90 % against 95 %, 5 points x 1 % = the 5 % cap
    assert finding.params == {"level": "p1-resolution", "count": 20, "cap": "5%"}
    assert finding.severity == "info"
    assert finding.location is not None and finding.location.line == 107


def test_breach_notification_thresholds() -> None:
    document = read_document(SOUND)
    for value, expected in (("24h", None), ("60h", "warning"), ("72h", "error"), ("3d", "error")):
        document["data_protection"]["breach_notification"] = value
        found = [f for f in lint_document(document).findings if f.rule == "GDPR-010"]
        assert [f.severity for f in found] == ([] if expected is None else [expected]), value


def test_vague_target_and_loader_errors_together() -> None:
    report = lint_file(LINT / "unmeasurable_levels.yaml")
    load = [f for f in report.findings if f.rule == "LOAD"]
    assert load and all(f.location and f.location.line for f in load)
    assert any(f.code == "contract.bad_duration" for f in load)
    vague = [f for f in report.findings if f.code == "lint.SLA-002.vague_target"]
    assert vague[0].params["term"] == "dans les meilleurs délais"
    assert vague[0].severity == "error"
    assert vague[0].message("fr").startswith("niveau de service p1-resolution : la cible")
    window = [f for f in report.findings if f.rule == "SLA-004"]
    assert [f.path for f in window] == ["service_levels.p2-resolution"]
    assert window[0].location is not None and window[0].location.line > 1


def test_tacit_renewal_with_long_notice_is_flagged_at_the_notice() -> None:
    report = lint_file(LINT / "tacit_renewal_6_months.yaml")
    codes = {f.code: f for f in report.findings if f.rule == "TRM-002"}
    assert set(codes) == {"lint.TRM-002.long_notice", "lint.TRM-002.long_renewal"}
    assert codes["lint.TRM-002.long_notice"].path == "contract.term.notice.customer"
    assert codes["lint.TRM-002.long_notice"].message("en") == (
        "tacit renewal with a customer notice of 6mo, more than 3 months"
    )


def test_finding_brought_by_an_amendment_names_its_version(tmp_path: Path) -> None:
    text = SOUND.read_text(encoding="utf-8").replace(
        "contract.price.monthly_fee: 5100",
        "contract.price.monthly_fee: 5100\n      penalties.sole_remedy: true",
    )
    assert "penalties.sole_remedy" in text
    path = tmp_path / "amended.yaml"
    path.write_text(text, encoding="utf-8")
    (finding,) = lint_file(path).findings
    assert finding.rule == "SLA-013" and finding.version == dt.date(2026, 7, 1)


def test_unknown_profile() -> None:
    with pytest.raises(ValueError, match="unknown profile"):
        lint_document(read_document(SOUND), profile="bank")


def test_cli_exit_status_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "lint", str(REFERENCE)]) == 0
    out = capsys.readouterr().out
    assert "profile sme (small or mid-size company (GDPR)): 0 error(s), 3 warning(s)" in out
    assert "recommended clause: " in out and "Overall: " in out
    assert main(["lint", str(LINT / "breach_96h.yaml"), "--lang", "fr"]) == 1
    out = capsys.readouterr().out
    assert ":260:3 : erreur GDPR-010 : les violations de données sont notifiées sous 96h" in out
    assert "clause recommandée : Le prestataire notifie au client toute violation" in out
    assert "Protection des données : " in out


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    path = LINT / "no_reversibility.yaml"
    assert main(["lint", str(path), "--format", "json", "--profile", "nis2", "--lang", "en"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["profile"] == "nis2"
    (rev,) = [f for f in data["findings"] if f["rule"] == "REV-001"]
    assert rev["severity"] == "error" and rev["line"] is None
    assert rev["clause"]["fr"].startswith("À l’échéance ou à la résiliation du contrat")
    assert rev["source"].startswith("ANSSI")
    assert data["scores"]["reversibility"] < 100 and data["scores"]["governance"] == 100
    assert data["counts"]["error"] == sum(1 for f in data["findings"] if f["severity"] == "error")


def test_docs_rules_reference_is_current() -> None:
    from pilotage.contract.lint.reference import BEGIN, END, rules_markdown

    text = (Path(__file__).resolve().parents[2] / "docs" / "linter.md").read_text("utf-8")
    generated = text[text.index(BEGIN) : text.index(END) + len(END)] + "\n"
    assert generated == rules_markdown()
    for rule_id in RULES:
        assert f"#### {rule_id}: " in generated


def test_keywords_in_messages_are_translated() -> None:
    report = lint_file(LINT / "provider_terms.yaml")
    messages = {f.message("fr") for f in report.findings}
    assert "aucun préavis pour le prestataire" in messages
    assert "aucune assurance responsabilité civile professionnelle n’est exigée" in messages
    assert "no referent is named for the customer" in {f.message("en") for f in report.findings}
    (restore,) = [f for f in lint_file(REFERENCE).findings if f.rule == "SLA-017"]
    assert restore.message("fr") == (
        "le service « messagerie » (criticité élevée) n’a pas de test de restauration périodique"
    )


def test_a_file_that_is_not_yaml_cannot_be_linted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(FIXTURES / "yaml_syntax.yaml"), "--lang", "en"]) == 2
    assert "this is not valid YAML" in capsys.readouterr().err


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"contract": "x", "service_levels": "x", "governance": {"committees": "x"}},
        {
            "service_levels": [1, {"metric": 5, "target": [], "objective": {}, "penalty": "x"}],
            "data_protection": {"dpa": "x", "subprocessors": ["x"]},
            "reversibility": {"clause": True, "data_export": "x", "cost": "x"},
            "priorities": {"levels": "x"},
            "services": {"a": "x", "b": {"criticality": "critical", "domain": ["x"]}},
            "amendments": "x",
            "penalties": {"persistent_breach": "x", "monthly_cap": 5},
        },
    ],
)
def test_any_shape_of_document_is_linted(document: dict[str, object]) -> None:
    report = lint_document(document)
    assert report.errors > 0
    assert {"TRM-001", "REV-001", "SLA-005"} <= {f.rule for f in report.findings}
