"""Penalty statements: formulas, caps, grace, fee changes, rounding, persistent breach."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage import i18n
from pilotage.contract.model import Band, Cap, Duration, PenaltyRules, PenaltyTerms
from pilotage.engine.penalties import claim_deadlines, compute_penalties, persistent_breaches
from pilotage.engine.results import WindowResult
from tests.engine.builders_penalties import (
    MAIL,
    P1_RESOLUTION,
    P1_RESPONSE,
    make_contract,
    make_terms,
    month_window,
    quarter_window,
    result,
    with_level,
)

D = Decimal
MAY = month_window(2026, 5)
NO_GRACE = PenaltyRules(monthly_cap=D("0.15"), grace_months=0, persistent_consecutive_months=3)


def test_per_breach_is_capped_at_1500() -> None:
    contract = make_contract(make_terms(penalties=replace(NO_GRACE, monthly_cap=None)))
    statement = compute_penalties(
        contract, [result("p1-response", month_window(2026, 5), breached=11)]
    )
    (line,) = statement.lines
    assert line.formula == "penalty.per_breach"
    assert line.inputs["count"] == 11 and line.inputs["unit"] == D(150)
    assert line.gross == D(1650)
    assert line.after_level_cap == D(1500)
    assert line.amount == D("1500.00")
    assert "penalty.note.level_cap" in line.notes
    assert statement.total == D("1500.00")


def test_per_point_below_counts_fractions_of_a_point() -> None:
    contract = make_contract(make_terms(penalties=NO_GRACE))
    statement = compute_penalties(
        contract,
        [result("p1-resolution", month_window(2026, 5), value=D("0.925"), objective=D("0.95"))],
    )
    (line,) = statement.lines
    assert line.formula == "penalty.per_point_below"
    assert line.inputs["points"] == D("2.5")
    assert line.amount == D("120.00")  # 4800 x 1% x 2.5


def test_per_point_below_is_capped_at_5_percent_of_the_fee() -> None:
    contract = make_contract(make_terms(penalties=NO_GRACE))
    statement = compute_penalties(
        contract,
        [result("p1-resolution", month_window(2026, 5), value=D("0.80"), objective=D("0.95"))],
    )
    (line,) = statement.lines
    assert line.gross == D(720)
    assert line.amount == D("240.00")


def test_only_the_lowest_band_crossed_applies() -> None:
    contract = make_contract(make_terms(penalties=NO_GRACE))
    window = month_window(2026, 5)
    statement = compute_penalties(
        contract, [result("mail-availability", window, value=D("0.985"), objective=D("0.995"))]
    )
    (line,) = statement.lines
    assert line.formula == "penalty.band"
    assert line.inputs["rate"] == D("0.08")
    assert line.amount == D("384.00")


def test_band_below_is_strict_at_exactly_99_0() -> None:
    contract = make_contract(make_terms(penalties=NO_GRACE))
    statement = compute_penalties(
        contract,
        [
            result(
                "mail-availability", month_window(2026, 5), value=D("0.990"), objective=D("0.995")
            )
        ],
    )
    (line,) = statement.lines
    assert line.inputs["rate"] == D("0.03")
    assert line.amount == D("144.00")


def test_band_below_is_strict_at_exactly_99_5() -> None:
    # A stricter objective makes the window breached at exactly 99.5 %, which crosses no band.
    level = replace(MAIL, objective=D("0.999"))
    contract = make_contract(with_level(make_terms(penalties=NO_GRACE), level))
    statement = compute_penalties(
        contract,
        [
            result(
                "mail-availability", month_window(2026, 5), value=D("0.995"), objective=D("0.999")
            )
        ],
    )
    assert statement.lines == ()
    assert statement.total == D("0.00")
    assert [n.code for n in statement.notes] == ["penalty.note.no_band"]


def test_met_and_no_data_windows_owe_nothing() -> None:
    contract = make_contract(make_terms(penalties=NO_GRACE))
    window = month_window(2026, 5)
    statement = compute_penalties(
        contract,
        [
            result("p1-response", window, breached=1, status="met"),
            result("p1-resolution", window, status="no_data"),
        ],
    )
    assert statement.lines == () and statement.total == D("0.00")


def test_monthly_cap_is_shared_pro_rata_and_lines_add_up() -> None:
    # Three levels breached in May: 1500 + 240 + 384 = 2124 > 15 % of 4800 = 720.
    bands = PenaltyTerms(bands=(Band(D("0.995"), D("0.03")), Band(D("0.990"), D("0.08"))))
    terms = with_level(make_terms(penalties=NO_GRACE), replace(MAIL, penalty=bands))
    contract = make_contract(terms)
    window = month_window(2026, 5)
    statement = compute_penalties(
        contract,
        [
            result("p1-response", window, breached=11),
            result("p1-resolution", window, value=D("0.80"), objective=D("0.95")),
            result("mail-availability", window, value=D("0.985"), objective=D("0.995")),
        ],
    )
    (month,) = statement.months
    assert month.before_cap == D(2124) and month.cap == D("720.00") and month.capped
    assert month.total == D("720.00") == statement.total
    amounts = {line.level_id: line.amount for line in statement.lines}
    # 720 x 1500/2124 = 508.474..., 720 x 240/2124 = 81.355..., 720 x 384/2124 = 130.169...
    assert amounts == {
        "p1-response": D("508.47"),
        "p1-resolution": D("81.36"),
        "mail-availability": D("130.17"),
    }
    assert sum(amounts.values()) == statement.total
    assert any(n.code == "penalty.note.monthly_cap" for n in statement.notes)


def test_no_penalty_during_the_grace_months() -> None:
    contract = make_contract()  # grace_months: 2 from 2026-01-01
    statement = compute_penalties(
        contract,
        [
            result("p1-response", month_window(2026, 2), breached=2),
            result("p1-response", month_window(2026, 3), breached=2),
        ],
    )
    feb, mar = statement.lines
    assert feb.window == "2026-02" and feb.gross == 0 and feb.amount == D("0.00")
    assert "penalty.note.grace" in feb.notes
    assert feb.inputs["payable_share"] == 0
    assert mar.amount == D("300.00")
    assert statement.total == D("300.00")
    assert [n.code for n in statement.notes] == ["penalty.note.grace"]


def test_fee_change_inside_a_quarter_is_pro_rata_temporis() -> None:
    level = replace(P1_RESOLUTION, window="quarter")
    original = with_level(make_terms(penalties=replace(NO_GRACE, monthly_cap=None)), level)
    amended = replace(original, monthly_fee=D(5100))
    contract = make_contract(original, [(dt.date(2026, 8, 1), amended)])
    statement = compute_penalties(
        contract,
        [result("p1-resolution", quarter_window(2026, 3), value=D("0.90"), objective=D("0.95"))],
    )
    (line,) = statement.lines
    basis = (31 * D(4800) + 61 * D(5100)) / 92  # July at 4800, August and September at 5100
    assert abs(line.inputs["basis"] - basis) < D("1e-20")
    assert line.amount == D("249.95")  # 4998.913... x 1 % x 5 points = 249.9456...


def test_per_window_terms_come_from_the_version_at_the_window_start() -> None:
    original = make_terms(penalties=NO_GRACE)
    stricter = replace(P1_RESPONSE, penalty=PenaltyTerms(per_breach=D(200), cap=Cap(D(1500))))
    amended = with_level(replace(original, monthly_fee=D(5100)), stricter)
    contract = make_contract(original, [(dt.date(2026, 7, 1), amended)])
    statement = compute_penalties(
        contract,
        [
            result("p1-response", month_window(2026, 6), breached=2),
            result("p1-response", month_window(2026, 7), breached=2),
        ],
    )
    assert [line.amount for line in statement.lines] == [D("300.00"), D("400.00")]


def test_amounts_round_half_up_once_after_the_caps() -> None:
    # 0.5 % of 5350 per point x 0.1 point = 2.675 exactly: float rounding would give 2.67.
    terms = make_terms(penalties=NO_GRACE, monthly_fee=D(5350))
    contract = make_contract(terms)
    value = D("0.979")
    statement = compute_penalties(
        contract, [result("backups", month_window(2026, 5), value=value, objective=D("0.98"))]
    )
    (line,) = statement.lines
    assert line.gross == D("2.675")
    assert line.amount == D("2.68")
    assert round(float(line.gross), 2) == 2.67


def test_provisional_windows_are_marked() -> None:
    contract = make_contract(make_terms(penalties=NO_GRACE))
    statement = compute_penalties(
        contract, [result("p1-response", month_window(2026, 5), breached=1, finality="provisional")]
    )
    assert "penalty.note.provisional" in statement.lines[0].notes


def test_levels_without_penalty_clause_are_noted() -> None:
    contract = make_contract(make_terms(penalties=NO_GRACE))
    statement = compute_penalties(contract, [result("restore-tests", month_window(2026, 5))])
    assert statement.lines == ()
    assert [n.code for n in statement.notes] == ["penalty.note.no_clause"]


def test_claim_deadline_is_two_months_after_the_month_end() -> None:
    contract = make_contract(
        make_terms(penalties=replace(NO_GRACE, claim_within=Duration(D(2), "mo")))
    )
    statement = compute_penalties(
        contract,
        [
            result("p1-response", month_window(2026, 1), breached=1),
            result("p1-response", month_window(2026, 12), breached=1),
        ],
    )
    deadlines = claim_deadlines(contract, statement)
    assert [(d.month, d.last_day, d.amount) for d in deadlines] == [
        ("2026-01", dt.date(2026, 3, 31), D("150.00")),
        ("2026-12", dt.date(2027, 2, 28), D("150.00")),
    ]


def _months(statuses: str, level: str = "p1-response") -> list[WindowResult]:
    return [
        result(level, month_window(2026, m), breached=1, status="breached" if s == "B" else "met")
        for m, s in enumerate(statuses, start=1)
    ]


def test_persistent_breach_after_3_consecutive_months() -> None:
    contract = make_contract()
    found = persistent_breaches(contract, _months("MBBBM"))
    (streak,) = found
    assert streak.reached and not streak.current
    assert streak.months == ("2026-02", "2026-03", "2026-04")
    assert streak.gives == "termination_right"
    assert streak.code == "penalty.persistent.reached"


def test_persistent_breach_counter_of_the_current_streak() -> None:
    contract = make_contract()
    (streak,) = persistent_breaches(contract, _months("BBMBB"))
    assert (streak.streak, streak.required, streak.reached, streak.current) == (2, 3, False, True)
    text = i18n.t(streak.code, "en", **streak.params)
    assert "2 breached months out of the 3" in text


def test_persistent_breach_counts_each_level_apart() -> None:
    contract = make_contract()
    mixed = [*_months("BMB"), *_months("MBM", level="p1-resolution")]
    found = persistent_breaches(contract, mixed)
    assert all(not f.reached for f in found)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["p1-response", "p1-resolution", "mail-availability", "backups"]),
            st.integers(min_value=3, max_value=8),
            st.integers(min_value=0, max_value=20),
            st.integers(min_value=0, max_value=999_999),
        ),
        min_size=1,
        max_size=12,
        unique_by=lambda t: (t[0], t[1]),
    ),
    st.integers(min_value=100_000, max_value=999_999),
)
def test_lines_add_up_and_never_exceed_caps(
    rows: list[tuple[str, int, int, int]], fee_cents: int
) -> None:
    terms = make_terms(penalties=NO_GRACE, monthly_fee=D(fee_cents) / 100)
    contract = make_contract(terms)
    results = [
        result(level, month_window(2026, m), breached=n, value=D(v) / 10**6, objective=D("0.995"))
        for level, m, n, v in rows
    ]
    statement = compute_penalties(contract, results)
    assert sum(line.amount for line in statement.lines) == statement.total
    assert sum(m.total for m in statement.months) == statement.total
    for month in statement.months:
        month_lines = [line for line in statement.lines if line.window == month.month]
        assert sum(line.amount for line in month_lines) == month.total
        assert month.cap is not None and month.total <= month.cap
    for line in statement.lines:
        cap = line.inputs["level_cap"]
        if cap is not None:
            level_total = sum(
                x.amount
                for x in statement.lines
                if x.level_id == line.level_id and x.window == line.window
            )
            assert level_total <= cap
        assert line.amount >= 0 and line.amount == line.amount.quantize(D("0.01"))


def test_grace_is_pro_rata_for_a_quarter_window_that_straddles_it() -> None:
    level = replace(P1_RESPONSE, window="quarter")
    contract = make_contract(with_level(make_terms(), level))  # grace: January and February
    statement = compute_penalties(
        contract, [result("p1-response", quarter_window(2026, 1), breached=3)]
    )
    (line,) = statement.lines
    assert line.inputs["payable_share"] == D(31) / D(90)  # only March's days owe
    assert line.amount == D("155.00")  # 450 x 31 / 90
    assert "penalty.note.grace" in line.notes


def test_claim_deadline_in_days() -> None:
    rules = replace(NO_GRACE, claim_within=Duration(D(30), "d"))
    contract = make_contract(make_terms(penalties=rules))
    statement = compute_penalties(contract, [result("p1-response", MAY, breached=1)])
    (deadline,) = claim_deadlines(contract, statement)
    assert deadline.last_day == dt.date(2026, 6, 30)


def test_a_half_cent_from_a_repeating_ratio_still_rounds_up() -> None:
    # 7 met of 9: (95 % - 7/9) x 100 = 17.22... points; 4801.50 x 1 % x 17.22... = 826.925
    # exactly, but 7/9 as a 28-digit Decimal makes the product 826.92499999...
    terms = make_terms(penalties=replace(NO_GRACE, monthly_cap=None), monthly_fee=D("4801.50"))
    level = replace(P1_RESOLUTION, penalty=PenaltyTerms(per_point_below=D("0.01")))
    contract = make_contract(with_level(terms, level))
    value = D(7) / D(9)
    statement = compute_penalties(
        contract, [result("p1-resolution", MAY, value=value, objective=D("0.95"))]
    )
    (line,) = statement.lines
    assert D("4801.50") * D("0.01") * ((D("0.95") - value) * 100) < D("826.925")
    assert line.gross == D("826.925")
    assert line.amount == D("826.93")


def test_persistent_breach_across_levels_when_the_rule_allows_it() -> None:
    rules = replace(make_terms().penalties, persistent_same_level=False)
    contract = make_contract(make_terms(penalties=rules))
    mixed = [*_months("BMB"), *_months("MBM", level="p1-resolution")]
    (streak,) = persistent_breaches(contract, mixed)
    assert streak.level_id is None and streak.reached
    assert streak.months == ("2026-01", "2026-02", "2026-03")


def test_every_line_names_the_statement_month_it_is_due_in() -> None:
    from pathlib import Path

    from pilotage.commands.demo import demo_arguments
    from pilotage.commands.report import inputs_from
    from pilotage.run import execute

    run = execute(inputs_from(demo_arguments(Path("unused"), "en")), as_of_text="2026-11-10T09:00")
    months = {m.month for m in run.penalties.months}
    assert run.penalties.lines
    for line in run.penalties.lines:
        assert line.month in months
        assert line.month == line.window  # the reference contract's windows are months
