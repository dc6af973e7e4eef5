"""Placement reports (pure): hand-derived margin figures with the burden from economics (wage-base caps
crossed mid-period, reset on 1 January), commission splits, time-to-fill percentiles, fill rate, mix, and
the chart geometry."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from cadre.placements import reports as r
from cadre.placements.burden import BurdenRates

D = Decimal
MONDAY = dt.date(2026, 3, 2)

# Simple, hand-checkable rates: 6.2 % SS (base 184,500), 1.45 % Medicare, FUTA 6.0 − 5.4 = 0.6 % and
# SUTA 3.4 % on the first 7,000; no workers' comp or benefits. Uncapped: 7.65 %; all: 11.65 %.
RATES = BurdenRates(
    year=2026,
    state="CA",
    social_security_rate=D("0.062"),
    social_security_wage_base=D("184500"),
    medicare_rate=D("0.0145"),
    futa_rate=D("0.060"),
    futa_max_credit=D("0.054"),
    futa_credit_reduction=D("0"),
    futa_wage_base=D("7000"),
    suta_rate=D("0.034"),
    suta_wage_base=D("7000"),
    workers_comp_per_100=D("0"),
    benefits_rate=D("0"),
)


def rates_for(year, state):
    return dataclasses.replace(RATES, year=year) if state == "CA" else None


def placement(pid=1, vehicle="w2", state="CA", client="Northwind", recruiter="Carol", splits=()):
    return r.PlacementFacts(pid, pid * 10, client, recruiter, vehicle, "contract", state, "USD", splits)


def week(pid, monday, hours="8", pay="50", bill="80", days=5, rate_key=1):
    return [
        r.HoursFacts(
            pid,
            monday,
            monday + dt.timedelta(days=i),
            rate_key,
            D(hours),
            D(0),
            D(0),
            D(pay),
            D(pay) * D("1.5"),
            D(pay) * 2,
            D(bill),
            D(bill) * D("1.5"),
            D(bill) * 2,
        )
        for i in range(days)
    ]


def figures(places, hours, fees=(), start=MONDAY, end=dt.date(2026, 12, 31)):
    return r.placement_figures(places, hours, fees, start=start, end=end, rates_for=rates_for)


def test_one_w2_week_below_every_cap():
    result = figures([placement()], week(1, MONDAY))
    f = result.by_placement[1]
    # 40 h × 50 = 2,000 pay; × 80 = 3,200 revenue; burden 2,000 × 11.65 % = 233; GP 967; margin 30.22 %
    assert (f.hours, f.pay, f.revenue) == (D(40), D(2000), D(3200))
    assert f.burden == D("233.0000")
    assert f.gross_profit == D("967.0000")
    assert r.ratio(f.gross_margin) == "0.3022"
    assert result.warnings == []


def test_futa_and_suta_stop_at_their_wage_base_within_the_period_and_before_it():
    hours = [h for i in range(4) for h in week(1, MONDAY + dt.timedelta(weeks=i))]
    whole = figures([placement()], hours).by_placement[1]
    # 8,000 pay: 7.65 % of 8,000 = 612; FUTA + SUTA 4 % of the first 7,000 = 280; burden 892
    assert whole.burden == D("892.0000")
    # Reporting only the fourth week: the first three weeks' 6,000 count toward the caps
    last = figures([placement()], hours, start=MONDAY + dt.timedelta(weeks=3)).by_placement[1]
    # 2,000 × 7.65 % = 153, and 4 % of the 1,000 left under the 7,000 base = 40
    assert (last.pay, last.burden) == (D(2000), D("193.0000"))


def test_caps_restart_on_the_first_of_january():
    december = [h for i in range(4) for h in week(1, dt.date(2025, 11, 24) + dt.timedelta(weeks=i))]  # 8,000
    january = week(1, dt.date(2026, 1, 5))
    f = figures([placement()], december + january, start=dt.date(2026, 1, 1)).by_placement[1]
    assert f.burden == D("233.0000")  # full FUTA and SUTA again on 2026's first wages


def test_1099_and_c2c_carry_no_burden_and_a_missing_state_is_a_warning():
    result = figures(
        [placement(1, "1099"), placement(2, "c2c"), placement(3, "w2", state="")],
        week(1, MONDAY) + week(2, MONDAY) + week(3, MONDAY),
    )
    assert [result.by_placement[i].burden for i in (1, 2, 3)] == [D(0), D(0), D(0)]
    assert result.warnings == [
        "placement #3 (Northwind): no burden rates for no work state in 2026; its employer burden is left out"
    ]


def test_a_rate_change_mid_week_prices_each_day_at_its_card():
    hours = week(1, MONDAY, days=2) + [
        dataclasses.replace(h, rate_key=2, pay_regular=D(60), bill_regular=D(100))
        for h in week(1, MONDAY, days=5)[2:]
    ]
    f = figures([placement()], hours).by_placement[1]
    assert f.pay == D(16 * 50 + 24 * 60) and f.revenue == D(16 * 80 + 24 * 100)
    assert f.burden == (D(2240) * D("0.1165")).quantize(D("0.0001"))


def test_fees_add_to_income_and_profit():
    result = figures([placement()], week(1, MONDAY), [r.FeeFacts(1, D("5000"), dt.date(2026, 3, 15))])
    f = result.by_placement[1]
    assert f.income == D(8200) and f.gross_profit == D("5967.0000")
    outside = figures([placement()], [], [r.FeeFacts(1, D("5000"), dt.date(2025, 12, 15))])
    assert outside.by_placement == {}


def test_margin_by_client_and_by_recruiter_with_splits():
    places = [
        placement(1, splits=(("Alice", D(60)), ("Bob", D(30)))),  # 10 % left to Carol
        placement(2, client="Helix", recruiter=""),  # no splits and no recruiter
    ]
    result = figures(places, week(1, MONDAY) + week(2, MONDAY))
    clients = r.margin_by_client(places, result.by_placement)
    assert [(c.label, c.figures.gross_profit) for c in clients] == [
        ("Helix", D("967.0000")),
        ("Northwind", D("967.0000")),
    ]
    recruiters = {
        row.label: row.figures.gross_profit for row in r.margin_by_recruiter(places, result.by_placement)
    }
    assert recruiters == {
        "Alice": D("580.2"),
        "Bob": D("290.1"),
        "Carol": D("96.7"),
        r.UNASSIGNED: D("967.0000"),
    }
    assert sum(recruiters.values()) == D(2 * 967)


def test_percentiles_and_time_to_fill():
    assert r.percentile([10, 20, 30, 40, 100], 50) == 30
    assert r.percentile([10, 20, 30, 40, 100], 90) == pytest.approx(76.0)  # 40 + 0.6 × 60
    assert r.percentile([], 50) is None
    opened = dt.date(2026, 1, 1)
    fills = [r.FillFacts("A", 1, opened, opened + dt.timedelta(days=d)) for d in (10, 20, 30, 40, 100)]
    fills.append(r.FillFacts("B", 2, opened, opened + dt.timedelta(days=5)))
    rows, overall = r.time_to_fill(fills)
    assert [(row.label, row.count, row.median) for row in rows] == [("A", 5, 30.0), ("B", 1, 5.0)]
    assert overall.count == 6 and overall.median == 25.0
    assert overall.to_dict()["p90_days"] == 70.0  # 6 values: position 4.5 → 40 + 0.5 × 60


def test_fill_rate_does_not_let_overfilled_hide_unfilled():
    fill = r.fill_rate(
        [r.OpeningFacts(1, "ML eng", "A", "open", 2, 1), r.OpeningFacts(2, "MLOps", "A", "filled", 1, 3)]
    )
    assert (fill.openings, fill.filled, fill.placements) == (3, 2, 4)
    assert r.ratio(fill.rate) == "0.6667"
    assert [req.requisition_id for req in fill.requisitions] == [1, 2]  # lowest rate first


def test_mix_counts_direct_hires_as_client_payroll():
    rows = r.placement_mix(
        [
            ("contract", "w2"),
            ("contract", "w2"),
            ("contract", "c2c"),
            ("direct_hire", "w2"),
            ("contract_to_hire", "1099"),
        ]
    )
    assert [(row.label, row.total, row.by_vehicle) for row in rows] == [
        ("Contract", 3, (("w2", "W-2", 2), ("c2c", "Corp-to-corp", 1))),
        ("Contract-to-hire", 1, (("1099", "1099", 1),)),
        ("Direct hire", 1, (("client", "Client payroll", 1),)),
    ]


def test_bar_chart_puts_negative_values_left_of_zero():
    chart = r.bar_chart([("Up", D(300), "300"), ("Down", D(-100), "-100")], width=400)
    assert chart is not None
    up, down = chart["bars"]
    assert chart["zero_x"] == chart["label_x"] + 10 + 100.0  # a quarter of 400 px for the negative side
    assert (up["x"], up["w"], up["kind"]) == (chart["zero_x"], 300.0, "positive")
    assert (down["x"] + down["w"], down["kind"]) == (chart["zero_x"], "negative")
    assert r.bar_chart([]) is None
