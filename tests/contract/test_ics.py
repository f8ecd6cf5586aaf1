"""The contract calendar: dates that matter, written as RFC 5545 and parsed back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.cli import main
from pilotage.contract import load_contract, read_document
from pilotage.contract.dates import contract_deadlines, term_dates
from pilotage.contract.ics import IcsEvent, deadline_events, escape, fold, render_ics

from .conftest import REFERENCE

AT = dt.date(2026, 9, 1)


def _document() -> dict[str, object]:
    return dict(load_contract(REFERENCE).versions[-1].terms.document)


def test_key_deadlines_of_the_reference() -> None:
    found = {
        (d.day, d.kind)
        for d in contract_deadlines(_document(), AT)
        if d.kind not in ("report", "committee")
    }
    assert found == {
        (dt.date(2027, 1, 1), "indexation"),
        (dt.date(2028, 1, 1), "indexation"),
        (dt.date(2029, 1, 1), "indexation"),
        # notice by 30/09/2028, minus 4 months of tender and 3 of exit transition
        (dt.date(2028, 2, 29), "tender"),
        (dt.date(2028, 6, 30), "notice_provider"),
        (dt.date(2028, 9, 30), "notice_customer"),
        (dt.date(2029, 1, 1), "renewal"),
    }
    six = [d for d in contract_deadlines(_document(), AT, tender_months=6) if d.kind == "tender"]
    assert [d.day for d in six] == [dt.date(2027, 12, 30)]


def test_after_the_notice_date_the_next_term_counts() -> None:
    later = contract_deadlines(_document(), dt.date(2028, 10, 1), until=dt.date(2029, 1, 31))
    notice = [d.day for d in later if d.kind == "notice_customer"]
    assert notice == []  # past: the customer can no longer end the current term
    renewed = contract_deadlines(_document(), dt.date(2029, 1, 2))
    assert [d.day for d in renewed if d.kind == "notice_customer"] == [dt.date(2029, 9, 30)]
    assert term_dates(_document(), AT) is not None  # the existing function still answers


def test_reports_and_committees_follow_business_days() -> None:
    deadlines = contract_deadlines(_document(), AT, until=dt.date(2027, 1, 31))
    reports = [d.day for d in deadlines if d.kind == "report"]
    # 5 business days after each month: Nov 1 is a holiday, Jan 1 too
    assert reports[:5] == [
        dt.date(2026, 9, 7),
        dt.date(2026, 10, 7),
        dt.date(2026, 11, 6),
        dt.date(2026, 12, 7),
        dt.date(2027, 1, 8),
    ]
    steering = [d.day for d in deadlines if d.params.get("name") == "Comité de pilotage"]
    assert steering == [dt.date(2026, 10, 8), dt.date(2027, 1, 11)]


def test_document_without_dates() -> None:
    document = read_document(REFERENCE)
    del document["contract"]["term"]["initial"]
    assert contract_deadlines(document, AT) == []


def test_fold_and_escape() -> None:
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_render_is_rfc5545(tmp_path: Path) -> None:
    event = IcsEvent("x-1@pilotage", dt.date(2026, 3, 2), "Préavis; client", "a,b\nc", (30, 7))
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    text = render_ics([event], name="Test", dtstamp=stamp, lang="fr")
    assert text.endswith("END:VCALENDAR\r\n") and "\n" not in text.replace("\r\n", "")
    parsed = icalendar.Calendar.from_ical(text)
    (vevent,) = parsed.walk("VEVENT")
    assert vevent["SUMMARY"] == "Préavis; client" and vevent["DESCRIPTION"] == "a,b\nc"
    assert vevent.decoded("DTSTART") == dt.date(2026, 3, 2)
    triggers = [a.decoded("TRIGGER") for a in vevent.walk("VALARM")]
    assert triggers == [dt.timedelta(days=-30), dt.timedelta(days=-7)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_cli_calendar(tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "contract.ics"
    args = ["--lang", lang, "contract", "calendar", str(REFERENCE), "--ics", str(out)]
    assert main([*args, "--at", "2026-09-01"]) == 0
    printed = capsys.readouterr().out
    raw = out.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    assert len(events) == 72
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert {e.decoded("DTSTAMP") for e in events} == {dt.datetime(2026, 9, 1, tzinfo=dt.UTC)}
    tender = [e for e in events if "-tender-" in str(e["UID"])]
    assert [e.decoded("DTSTART") for e in tender] == [dt.date(2028, 2, 29)]
    assert [a.decoded("TRIGGER").days for a in tender[0].walk("VALARM")] == [-30, -7]
    summary = str(tender[0]["SUMMARY"])
    if lang == "fr":
        assert summary == "martin-nordinfo : dernier jour pour lancer un appel d’offres"
        assert "29/02/2028  martin-nordinfo : dernier jour pour lancer" in printed
    else:
        assert summary == "martin-nordinfo: last day to launch a tender"
    assert main([*args, "--at", "2026-09-01"]) == 0
    assert out.read_bytes() == raw  # reproducible


def test_contract_that_does_not_renew() -> None:
    document = read_document(REFERENCE)
    document["contract"]["term"]["renewal"] = "none"
    del document["reversibility"]
    found = {
        d.kind: d for d in contract_deadlines(document, AT) if d.kind not in ("report", "committee")
    }
    assert found["term_end"].day == dt.date(2029, 1, 1) and "renewal" not in found
    # without an exit transition the tender only has to fit before the notice deadline
    assert found["tender"].day == dt.date(2028, 5, 30)
    (event,) = deadline_events([found["term_end"]], contract_id="c", lang="fr")
    assert event.summary == "c : fin du contrat" and event.reminders == (30, 7)


@given(st.text(min_size=0, max_size=300))
def test_folding_keeps_every_character(text: str) -> None:
    line = "DESCRIPTION:" + escape(text)
    pieces = fold(line).split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert pieces[0] + "".join(piece[1:] for piece in pieces[1:]) == line
    assert not any(c in line for c in "\r\n\x00\x1b")
