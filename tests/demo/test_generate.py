"""The bundled example year: reproducible, canonical, consistent, and telling its story."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import itertools
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from pilotage.cli import main
from pilotage.commands.demo import demo_arguments
from pilotage.commands.report import run_report
from pilotage.demo.generate import (
    AS_OF,
    EVENT_COLUMNS,
    FILES,
    GLPI_COLUMNS,
    PARIS,
    TICKET_COLUMNS,
    DemoYear,
    build,
)
from tests.demo.story import availability, backups, epoch, evaluate, month_of, read_csv

DATA = Path(__file__).resolve().parents[2] / "pilotage" / "demo" / "data"
REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "examples"


@pytest.fixture(scope="module")
def year() -> DemoYear:
    return build()


def _content(name: str, data: bytes) -> bytes:
    return gzip.decompress(data) if name.endswith(".gz") else data


def test_committed_files_are_what_the_generator_writes(year: DemoYear) -> None:
    assert sorted(p.name for p in DATA.iterdir()) == sorted(FILES)
    for name in FILES:
        assert _content(name, (DATA / name).read_bytes()) == _content(name, year.files[name]), name


def test_command_regenerates_identical_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "demo-data", "--out", str(tmp_path / "demo")]) == 0
    assert "10 files written" in capsys.readouterr().out
    for name in FILES:
        written = (tmp_path / "demo" / name).read_bytes()
        assert _content(name, written) == _content(name, (DATA / name).read_bytes()), name


def test_another_seed_gives_other_data(year: DemoYear) -> None:
    other = build(7)
    assert other.files["tickets.csv"] != year.files["tickets.csv"]
    assert other.files["contract.yaml"] == year.files["contract.yaml"]


def test_contract_is_the_reference_contract() -> None:
    reference = REFERENCE / "contract-example.yaml"
    if not reference.is_file():
        pytest.skip("reference contract folder absent")
    assert (DATA / "contract.yaml").read_bytes() == reference.read_bytes()


def test_columns_are_canonical(year: DemoYear) -> None:
    def header(name: str) -> list[str]:
        text = _content(name, year.files[name]).decode("utf-8")
        return next(csv.reader(io.StringIO(text)))

    assert header("tickets.csv") == TICKET_COLUMNS
    assert header("events.csv") == EVENT_COLUMNS
    assert header("claims.csv") == ["service_level", "window", "eligible", "met", "compliance"]
    assert header("outages.csv") == ["service", "start", "end", "kind", "announced_at"]
    assert header("probes-2026-10.csv.gz") == ["service", "at", "up"]
    assert header("backups.csv") == ["service", "scheduled_at", "status"]
    assert header("restore_tests.csv") == ["service", "performed_at", "duration", "success"]
    assert header("adjustments.csv") == [
        "ticket_id",
        "service_level",
        "decision",
        "reason",
        "agreed_on",
    ]


ISO = re.compile(r"^2026-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$")


def test_tickets_and_events_are_consistent(year: DemoYear) -> None:
    tickets = read_csv(year.files["tickets.csv"])
    events: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_csv(year.files["events.csv"]):
        events[row["ticket_id"]].append(row)
    ids = {t["id"] for t in tickets}
    assert len(ids) == len(tickets)
    assert set(events) == ids
    for t in tickets:
        rows = events[t["id"]]
        ats = [epoch(r["at"]) for r in rows]
        assert all(ISO.match(r["at"]) for r in rows)
        assert ats == sorted(ats), t["id"]
        assert rows[0]["at"] == t["created_at"] and rows[0]["status"] == "open"
        assert rows[0]["source_status"] == "Nouveau" and rows[0]["priority"]
        assert [r["priority"] for r in rows if r["priority"]][-1] == t["priority"]
        for r in rows:
            assert r["status"] in ("open", "paused", "resolved", "closed")
            assert bool(r["pause_reason"]) == (r["status"] == "paused")
        statuses = [r["status"] for r in rows]
        last = statuses[-1]
        if t["state"] in ("cancelled", "merged"):
            assert statuses == ["open", "closed"] and not t["resolved_at"]
        elif t["state"] == "closed":
            assert last == "closed" and statuses[-2] == "resolved"
        elif t["state"] == "resolved":
            assert last == "resolved" and not t["closed_at"]
        else:
            assert t["state"] == "open" and last in ("open", "paused") and not t["resolved_at"]
        resolved = [r["at"] for r in rows if r["status"] == "resolved"]
        if t["resolved_at"]:
            assert t["resolved_at"] == resolved[-1]
        closed = [r["at"] for r in rows if r["status"] == "closed"]
        assert t["closed_at"] == (closed[-1] if closed else "")
        responses = [r["at"] for r in rows if r["source_status"] == "En cours (attribué)"]
        if t["first_response_at"]:
            assert t["first_response_at"] == responses[0]
        if t["parent_id"]:
            assert t["parent_id"] in ids


def test_monthly_volumes_and_creation_hours(year: DemoYear) -> None:
    tickets = read_csv(year.files["tickets.csv"])
    per_month = Counter(t["created_at"][:7] for t in tickets)
    for month in range(1, 11):
        assert 240 <= per_month[f"2026-{month:02d}"] <= 360
    assert 150 <= per_month["2026-11"] <= 260
    assert max(t["created_at"] for t in tickets) < "2026-11-21"
    local = [dt.datetime.fromisoformat(t["created_at"]).astimezone(PARIS) for t in tickets]
    office = [d for d in local if d.weekday() < 5 and 8 <= d.hour < 18]
    assert 0.8 < len(office) / len(local) < 0.97
    kinds = Counter((t["kind"], t["priority"]) for t in tickets)
    assert kinds[("incident", "P1")] >= 40 and kinds[("incident", "P2")] >= 150
    assert 0.3 < sum(v for (k, _), v in kinds.items() if k == "request") / len(tickets) < 0.5
    assert {t["service"] for t in tickets} == {"messagerie", "postes", "erp", "sauvegarde", ""}
    assert {t["site"] for t in tickets} == {
        "Lille",
        "Roubaix",
        "Tourcoing",
        "Villeneuve-d'Ascq",
        "Lens",
        "Arras",
        "Siège",
    }


def test_lifecycle_features_are_present(year: DemoYear) -> None:
    tickets = read_csv(year.files["tickets.csv"])
    events: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_csv(year.files["events.csv"]):
        events[row["ticket_id"]].append(row)
    states = Counter(t["state"] for t in tickets)
    assert states["cancelled"] >= 30 and states["merged"] >= 20
    reopened = [
        i for i, rows in events.items() if [r["status"] for r in rows].count("resolved") > 1
    ]
    assert 0.01 < len(reopened) / len(tickets) < 0.06
    order = {"P1": 1, "P2": 2, "P3": 3, "P4": 4}
    changes = Counter()
    for rows in events.values():
        marks = [order[r["priority"]] for r in rows if r["priority"]]
        for before, after in itertools.pairwise(marks):
            changes["upgrade" if after < before else "downgrade"] += 1
    assert changes["upgrade"] >= 20 and changes["downgrade"] >= 20
    reasons = Counter(r["pause_reason"] for rows in events.values() for r in rows)
    assert reasons["waiting_customer"] > 300 and reasons["waiting_vendor"] > 50
    unknown = {
        i for i, rows in events.items() for r in rows if r["pause_reason"] == "en_attente_livraison"
    }
    assert unknown
    by_id = {t["id"]: t for t in tickets}
    for ticket_id in unknown:  # never on a ticket a service level measures
        assert by_id[ticket_id]["kind"] == "incident" and by_id[ticket_id]["priority"] in (
            "P3",
            "P4",
        )
    children = Counter(t["parent_id"] for t in tickets if t["parent_id"])
    assert len(children) == 1 and 15 <= next(iter(children.values())) <= 40
    (parent,) = children
    assert by_id[parent]["priority"] == "P1" and by_id[parent]["created_at"].startswith("2026-06")
    cutoff = int(AS_OF.timestamp())
    open_at_as_of = [
        t
        for t in tickets
        if epoch(t["created_at"]) <= cutoff
        and t["state"] not in ("cancelled", "merged")
        and not (t["resolved_at"] and epoch(t["resolved_at"]) <= cutoff)
    ]
    assert 3 <= len(open_at_as_of) <= 40
    assert any(t["created_at"] < "2026-10-27" for t in open_at_as_of)  # the overdue request


def test_service_level_story(year: DemoYear) -> None:
    figures = evaluate(year.files, AS_OF)
    breached = defaultdict(set)
    for (level, month), figure in figures.items():
        if month < "2026-11" and figure.status(level) == "breached":
            breached[level].add(month)
    assert breached["p1-resolution"] == {"2026-03", "2026-09", "2026-10"}
    assert breached["p1-response"] == {"2026-05"}
    assert breached["p2-resolution"] == {"2026-01"}
    assert breached["requests"] == {"2026-08"}
    october = figures[("p1-resolution", "2026-10")]
    assert (october.eligible, october.met) == (6, 4)  # one P1 of 30 September, one waiver
    mail = availability(year.files)
    assert 0.990 <= mail["2026-06"] < 0.995
    assert all(v >= 0.995 for k, v in mail.items() if k != "2026-06")
    jobs = backups(year.files)
    assert {m for m, (expected, ok) in jobs.items() if ok / expected < 0.98} == {
        "2026-02",
        "2026-05",
        "2026-08",
    }


def test_another_seed_tells_the_same_story() -> None:
    figures = evaluate(build(11).files, AS_OF)
    breached = {
        (level, month)
        for (level, month), figure in figures.items()
        if month < "2026-11" and figure.status(level) == "breached"
    }
    assert breached == {
        ("p1-resolution", "2026-03"),
        ("p1-resolution", "2026-09"),
        ("p1-resolution", "2026-10"),
        ("p1-response", "2026-05"),
        ("p2-resolution", "2026-01"),
        ("requests", "2026-08"),
    }


def test_claims_are_rosier_where_disputed(year: DemoYear) -> None:
    claims = {(r["service_level"], r["window"]): r for r in read_csv(year.files["claims.csv"])}
    assert {w for _, w in claims} == {f"2026-{m:02d}" for m in range(1, 11)}
    assert claims[("p1-resolution", "2026-10")]["compliance"] == "1.0000"
    assert float(claims[("requests", "2026-08")]["compliance"]) >= 0.90
    assert float(claims[("mail-availability", "2026-06")]["compliance"]) >= 0.995
    truth = evaluate(year.files, AS_OF)
    assert truth[("requests", "2026-08")].status("requests") == "breached"
    for row in claims.values():
        if row["eligible"]:
            assert int(row["met"]) <= int(row["eligible"])
            assert f"{int(row['met']) / int(row['eligible']):.4f}" == row["compliance"]


def test_provider_verdicts_disagree_on_a_few_tickets(year: DemoYear) -> None:
    tickets = [t for t in year.tickets if t.level and t.provider_resolution is not None]
    disagreements = [t for t in tickets if (t.outcome == "met") != t.provider_resolution]
    assert 5 <= len(disagreements) <= 0.05 * len(tickets)
    assert any(t.vendor_pause for t in disagreements)  # GLPI pauses on waiting_vendor
    assert any(not t.vendor_pause for t in disagreements)  # GLPI ignores public holidays


GLPI_STATUSES = {"Nouveau", "En cours (attribué)", "En attente", "Résolu", "Clos"}
GLPI_DATE = re.compile(r"^(\d\d-\d\d-2026 \d\d:\d\d)?$")
GLPI_DURATION = re.compile(r"^((\d+ jours? )?(\d+ heures? )?\d+ minutes?)?$")


def test_glpi_export_looks_like_glpi(year: DemoYear) -> None:
    raw = year.files["glpi-2026-10.csv"]
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == GLPI_COLUMNS
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    tickets = {t["id"]: t for t in read_csv(year.files["tickets.csv"])}
    october = {
        i
        for i, t in tickets.items()
        if month_of(epoch(t["created_at"])) == "2026-10" and t["state"] != "merged"
    }
    assert {r["ID"] for r in body} == october
    for r in body:
        assert r["Statut"] in GLPI_STATUSES
        assert r["Priorité"] in {"Très haute", "Haute", "Moyenne", "Basse"}
        assert r["Type"] in {"Incident", "Demande"}
        for column in ("Date d'ouverture", "Dernière modification", "Date de résolution"):
            assert GLPI_DATE.match(r[column]), r[column]
        for column in ("Délai d'attente", "Délai de prise en compte", "Délai de résolution"):
            assert GLPI_DURATION.match(r[column]), r[column]
        assert r["Temps de résolution dépassé"] in {"", "Oui", "Non"}
        opened = dt.datetime.fromisoformat(tickets[r["ID"]]["created_at"]).astimezone(PARIS)
        assert r["Date d'ouverture"] == opened.strftime("%d-%m-%Y %H:%M")
    assert any(r["Délai d'attente"] for r in body)


def test_adjustments_name_tickets_of_the_data(year: DemoYear) -> None:
    ids = {t["id"] for t in read_csv(year.files["tickets.csv"])}
    rows = read_csv(year.files["adjustments.csv"])
    assert len(rows) == 2 and all(r["ticket_id"] in ids for r in rows)
    assert {r["decision"] for r in rows} == {"exclude", "met"}


def test_probes_cover_october_every_minute(year: DemoYear) -> None:
    rows = read_csv(gzip.decompress(year.files["probes-2026-10.csv.gz"]))
    assert rows[0]["at"] == "2026-10-01T00:00:00+02:00"
    assert rows[-1]["at"] == "2026-10-31T23:59:00+01:00"
    assert 44_600 < len(rows) < 44_700  # 745 hours, a few samples missing
    assert {r["up"] for r in rows} == {"0", "1"}


def test_documentation_names_the_generated_tickets(year: DemoYear) -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "demo-data.md").read_text("utf-8")
    for key in (
        "waived-march",
        "waived-october",
        "ascension",
        "late-response-may",
        "overdue",
        "major",
    ):
        assert year.special[key].id in text, key


def test_demo_report_tells_the_story(year: DemoYear, tmp_path: Path) -> None:
    """The README's main command on these files: the engine agrees with the story."""
    assert run_report(demo_arguments(tmp_path, "en", "json")) == 0
    (report_file,) = tmp_path.glob("report-2026-10*.json")
    report = json.loads(report_file.read_text("utf-8"))
    breached = {
        level["id"]: {h["window"] for h in level["history"] if h["status"] == "breached"}
        for level in report["service_levels"]
    }
    assert breached["p1-resolution"] == {"2026-03", "2026-09", "2026-10"}
    assert breached["p1-response"] == {"2026-05"}
    assert breached["p2-resolution"] == {"2026-01"}
    assert breached["requests"] == {"2026-08"}
    assert breached["mail-availability"] == {"2026-06"}
    figures = evaluate(year.files, AS_OF)
    mail = availability(year.files)
    for level in report["service_levels"]:
        if level["id"] in ("p1-resolution", "p2-resolution", "requests", "p1-response"):
            mine = figures[(level["id"], "2026-10")]
            assert (level["eligible"], level["met"]) == (mine.eligible, mine.met), level["id"]
            for window in level["history"]:
                mine = figures[(level["id"], window["window"])]
                expected = mine.met / mine.eligible
                assert float(window["compliance"]) == pytest.approx(expected), window
        if level["id"] == "mail-availability":
            for window in level["history"]:
                assert float(window["compliance"]) == pytest.approx(mail[window["window"]])
