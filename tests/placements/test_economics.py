"""Contract economics (pure): hand-derived golden cases, wage-base caps per calendar year, vehicles,
overtime, warnings, validation and presentation rounding."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from cadre.placements.burden import InputError, load_rates
from cadre.placements.economics import (
    ECONOMICS_VERSION,
    contract_economics,
    simple_margin,
    wages_by_year,
    week_periods,
)

D = Decimal


def line(result, component):
    return next(x for x in result.burden if x.component == component)


# ------------------------------------------------------------------------------------------ golden cases


def test_issue_golden_case_pay_20_bill_30_burden_20_percent():
    m = simple_margin(D(20), D(30), D("0.20"))
    assert m.markup == D("0.5")  # (30 − 20) / 20
    assert m.spread == D(10) / D(30)  # 33.3 %
    assert m.to_dict()["spread"] == "0.333333"
    assert m.burden == D(4) and m.cost == D(24)
    assert m.gross_profit == D(6)  # 30 − 20 − 4
    assert m.gross_margin == D("0.2")  # 6 / 30
    # spread = markup / (1 + markup)
    assert m.spread == m.markup / (1 + m.markup)


def test_issue_cli_example_pay_60_bill_95_40h_26_weeks_ca_2026_worked_by_hand():
    rates = load_rates(2026, "CA")
    # The inputs this hand calculation relies on (if the tables change, redo the arithmetic):
    assert rates.social_security_rate == D("0.062") and rates.social_security_wage_base == 184500
    assert rates.medicare_rate == D("0.0145")
    assert rates.futa_effective_rate == D("0.021")  # 6.0 − 5.4 + CA 2026 credit reduction 1.5
    assert (rates.suta_rate, rates.suta_wage_base) == (D("0.034"), D(7000))
    assert rates.workers_comp_per_100 == D("0.25") and rates.benefits_rate == 0

    e = contract_economics(
        pay=D(60), bill=D(95), hours_per_week=D(40), weeks=D(26), rates=rates, start_date=None
    )
    # Wages 60 × 40 × 26 = 62,400 (all in 2026, under the 184,500 Social Security base).
    # Revenue 95 × 40 × 26 = 98,800.
    assert e.engagement.pay == D(62400) and e.engagement.revenue == D(98800)
    assert e.engagement.hours == 1040
    ss, med, futa, suta = (line(e, c) for c in ("social_security", "medicare", "futa", "suta"))
    assert (ss.taxable_wages, ss.amount) == (D(62400), D("3868.80"))  # 62,400 × 6.2 %
    assert (med.taxable_wages, med.amount) == (D(62400), D("904.80"))  # 62,400 × 1.45 %
    assert (futa.taxable_wages, futa.amount) == (D(7000), D("147.00"))  # capped at 7,000 × 2.1 %
    assert (suta.taxable_wages, suta.amount) == (D(7000), D("238.00"))  # CA base 7,000 × 3.4 %
    assert line(e, "workers_comp").amount == D("156.00")  # 62,400 / 100 × 0.25
    assert line(e, "benefits").amount == 0
    # Burden 3,868.80 + 904.80 + 147 + 238 + 156 = 5,314.60
    assert e.total_burden == D("5314.60")
    # Gross profit 98,800 − 62,400 − 5,314.60 = 31,085.40; margin 31,085.40 / 98,800 = 31.46 %
    assert e.gross_profit == D("31085.40")
    assert e.to_dict()["gross_margin"] == "0.314630"
    assert e.markup == D(35) / D(60) and e.spread == D(35) / D(95)
    # Per hour: burden 5,314.60 / 1,040 h = 5.11; per week 5,314.60 / 26 = 204.41
    d = e.to_dict()
    assert d["per_hour"] == {
        "pay": "60.00",
        "bill": "95.00",
        "burden": "5.11",
        "cost": "65.11",
        "gross_profit": "29.89",
    }
    assert d["totals"]["week"]["burden"] == "204.41"
    # A full year: 124,800 wages: SS 7,737.60 + Medicare 1,809.60 + FUTA 147 + SUTA 238 + WC 312
    assert e.year.pay == D(124800)
    assert e.year.burden == D("7737.60") + D("1809.60") + D(147) + D(238) + D(312)
    assert e.start_date == date(2026, 1, 1) and e.end_date == date(2026, 7, 1)
    assert e.warnings == ()


# -------------------------------------------------------------------------------- wage-base cap crossing


def test_high_paid_contractor_crosses_the_social_security_base_mid_year():
    rates = load_rates(2026, "CA")
    # 250/h × 40 h = 10,000 a week from Wed 1 July 2026 for 26 weeks: last week ends Tue 29 Dec 2026.
    e = contract_economics(
        pay=D(250), bill=D(320), hours_per_week=D(40), weeks=D(26), rates=rates, start_date=date(2026, 7, 1)
    )
    assert e.wages_by_year == ((2026, D(260000)),)
    ss = line(e, "social_security")
    assert ss.taxable_wages == D(184500)  # stops accruing at the wage base
    assert ss.amount == D("11439.00")  # the 2026 maximum (research note)
    assert line(e, "medicare").amount == D(3770)  # uncapped: 260,000 × 1.45 %
    assert line(e, "futa").taxable_wages == 7000


def test_prior_wages_this_year_use_up_the_caps():
    rates = load_rates(2026, "CA")
    # 150/h × 40 = 6,000 a week × 26 = 156,000; 60,000 already paid this year.
    e = contract_economics(
        pay=D(150),
        bill=D(200),
        hours_per_week=D(40),
        weeks=D(26),
        rates=rates,
        start_date=date(2026, 7, 1),
        prior_wages=D(60000),
    )
    ss = line(e, "social_security")
    assert ss.taxable_wages == D(124500)  # 184,500 − 60,000
    assert ss.amount == D("7719.000")
    assert line(e, "futa").amount == 0 and line(e, "suta").amount == 0  # bases used up by prior wages
    assert "min(wages 156000.00, wage base 184500.00 less 60000.00 already paid)" in ss.formula
    no_prior = contract_economics(
        pay=D(150), bill=D(200), hours_per_week=D(40), weeks=D(26), rates=rates, start_date=date(2026, 7, 1)
    )
    assert line(no_prior, "social_security").amount == D("9672.000")  # 156,000 × 6.2 %


def test_prior_wages_past_the_base_leave_nothing_taxable():
    e = contract_economics(
        pay=D(100),
        bill=D(150),
        hours_per_week=D(40),
        weeks=D(4),
        rates=load_rates(2025, "NY"),
        start_date=date(2025, 11, 3),
        prior_wages=D(200000),
    )
    assert line(e, "social_security").amount == 0
    assert line(e, "medicare").amount == D(16000) * D("0.0145")


def test_engagement_crossing_1_january_resets_the_caps():
    rates = load_rates(2026, "CA")
    # 250/h from 1 July 2026 for 52 weeks: 26 weeks end in 2026 (last on 29 Dec), 26 in 2027.
    e = contract_economics(
        pay=D(250), bill=D(320), hours_per_week=D(40), weeks=D(52), rates=rates, start_date=date(2026, 7, 1)
    )
    assert e.wages_by_year == ((2026, D(260000)), (2027, D(260000)))
    ss = line(e, "social_security")
    assert [s.taxable_wages for s in ss.by_year] == [D(184500), D(184500)]
    assert ss.amount == 2 * D("11439.00")
    assert line(e, "futa").amount == 2 * D(147)  # 7,000 × 2.1 % in each year
    assert line(e, "suta").amount == 2 * D(238)
    assert e.end_date == date(2027, 6, 29)
    assert "No 2027 tables: the 2026 figures for CA were applied to 2027 wages." in e.notes
    assert any("crosses 1 January" in n for n in e.notes)
    # Prior wages only count in the first year.
    with_prior = contract_economics(
        pay=D(250),
        bill=D(320),
        hours_per_week=D(40),
        weeks=D(52),
        rates=rates,
        start_date=date(2026, 7, 1),
        prior_wages=D(184500),
    )
    assert [s.taxable_wages for s in line(with_prior, "social_security").by_year] == [0, D(184500)]


def test_crossing_from_2025_into_2026_uses_each_years_tables():
    r25, r26 = load_rates(2025, "CA"), load_rates(2026, "CA")
    # 6,000 a week from Mon 1 Dec 2025 for 8 weeks: weeks end 7, 14, 21, 28 Dec 2025 and 4 ... 25 Jan 2026.
    e = contract_economics(
        pay=D(150),
        bill=D(190),
        hours_per_week=D(40),
        weeks=D(8),
        rates=r25,
        start_date=date(2025, 12, 1),
        later_rates={2026: r26},
    )
    assert e.wages_by_year == ((2025, D(24000)), (2026, D(24000)))
    futa = line(e, "futa")
    assert [s.rate for s in futa.by_year] == [D("0.018"), D("0.021")]
    assert futa.amount == D(7000) * D("0.018") + D(7000) * D("0.021")
    assert not any("No 2026 tables" in n for n in e.notes)


def test_weeks_count_in_the_year_of_their_last_day():
    # Fri 26 Dec 2025 + 6 days = Thu 1 Jan 2026: that week's wages are 2026 wages.
    assert week_periods(date(2025, 12, 26), D(1)) == [(date(2026, 1, 1), D(1))]
    assert wages_by_year(date(2025, 12, 25), D(2), D(100)) == {2025: D(100), 2026: D(100)}
    # A half week lasts ceil(3.5) = 4 days.
    assert week_periods(date(2026, 3, 2), D("1.5")) == [
        (date(2026, 3, 8), D(1)),
        (date(2026, 3, 12), D("0.5")),
    ]


# --------------------------------------------------------------------------------------- vehicles, overtime


@pytest.mark.parametrize(("vehicle", "word"), [("1099", "1099 contractor"), ("c2c", "Corp-to-corp")])
def test_1099_and_c2c_carry_no_employer_burden_with_a_note(vehicle, word):
    e = contract_economics(
        pay=D(80),
        bill=D(110),
        hours_per_week=D(40),
        weeks=D(10),
        rates=load_rates(2026, "NY"),
        vehicle=vehicle,
    )
    assert e.total_burden == 0 and all(x.amount == 0 for x in e.burden)
    assert e.gross_profit == D(30 * 400)
    assert e.gross_margin == e.spread
    assert any(word in n for n in e.notes)
    assert e.rates is None and e.to_dict()["inputs"]["state"] == "NY"


def test_no_rates_means_no_burden_with_a_note():
    e = contract_economics(pay=D(50), bill=D(70), hours_per_week=D(40), weeks=D(4), rates=None)
    assert e.total_burden == 0
    assert any("No burden rates were given" in n for n in e.notes)


def test_overtime_hours_at_default_and_given_rates():
    rates = load_rates(2026, "TX")
    e = contract_economics(
        pay=D(50), bill=D(80), hours_per_week=D(40), weeks=D(2), rates=rates, overtime_hours_per_week=D(5)
    )
    # Weekly pay 50 × 40 + 75 × 5 = 2,375; revenue 80 × 40 + 120 × 5 = 3,800.
    assert e.week.pay == D(2375) and e.week.revenue == D(3800) and e.week.hours == 45
    assert e.engagement.pay == D(4750)
    assert line(e, "medicare").taxable_wages == D(4750)  # overtime pay is wages
    assert any("Overtime pay defaults to 1.5 × pay (75)" in n for n in e.notes)
    low = contract_economics(
        pay=D(50),
        bill=D(80),
        hours_per_week=D(40),
        weeks=D(2),
        rates=rates,
        overtime_hours_per_week=D(5),
        pay_overtime=D(75),
        bill_overtime=D(70),
    )
    assert low.week.revenue == D(3200 + 350)
    assert any("negative margin on overtime" in w for w in low.warnings)


# ------------------------------------------------------------------------------------------ warnings, errors


def test_bill_below_pay_is_allowed_but_flagged_negative_margin():
    e = contract_economics(
        pay=D(60), bill=D(55), hours_per_week=D(40), weeks=D(4), rates=load_rates(2026, "CA")
    )
    assert e.markup < 0 and e.gross_profit < 0 and e.negative_margin
    assert e.warnings[0].startswith("negative margin: the bill rate (55) is below the pay rate (60)")
    assert e.to_dict()["warnings"] == list(e.warnings)


def test_thin_spread_eaten_by_burden_is_flagged():
    e = contract_economics(
        pay=D(60), bill=D(62), hours_per_week=D(40), weeks=D(4), rates=load_rates(2026, "CA")
    )
    assert e.bill > e.pay and e.gross_profit < 0
    assert any(w.startswith("negative margin: burden") for w in e.warnings)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"pay": D(-1)}, "pay", "pay rate must not be negative"),
        ({"pay": D(0)}, "pay", "pay rate must be greater than zero"),
        ({"bill": D(-5)}, "bill", "bill rate must not be negative"),
        ({"pay": "sixty"}, "pay", "pay rate is not a number"),
        ({"hours_per_week": D(0)}, "hours_per_week", "hours per week must be greater than zero"),
        ({"hours_per_week": D(-40)}, "hours_per_week", "hours per week must be greater than zero"),
        ({"hours_per_week": D(160), "overtime_hours_per_week": D(10)}, "hours_per_week", "cannot exceed 168"),
        ({"overtime_hours_per_week": D(-1)}, "overtime_hours_per_week", "must not be negative"),
        ({"weeks": D(0)}, "weeks", "weeks must be greater than zero"),
        ({"weeks": D(-3)}, "weeks", "weeks must be greater than zero"),
        ({"weeks": D(600)}, "weeks", "at most 520"),
        ({"vehicle": "w4"}, "vehicle", "unknown vehicle 'w4'"),
        ({"currency": "XYZ"}, "currency", "unsupported currency 'XYZ'"),
        ({"prior_wages": D(-10)}, "prior_wages", "prior wages must not be negative"),
        ({"pay_overtime": D(-1), "overtime_hours_per_week": D(1)}, "pay_overtime", "must not be negative"),
    ],
)
def test_bad_input_is_a_clear_value_error_naming_the_field(changes, field, message):
    kwargs = {"pay": D(60), "bill": D(95), "hours_per_week": D(40), "weeks": D(26), "rates": None, **changes}
    with pytest.raises(ValueError, match=message) as info:
        contract_economics(**kwargs)
    assert isinstance(info.value, InputError) and info.value.field == field


# ------------------------------------------------------------------------------------- presentation, rounding


def test_full_precision_inside_cents_only_in_to_dict():
    # 10.005 × 1 h × 1 week: the figure stays exact; the output rounds half up.
    e = contract_economics(pay=D("10.005"), bill=D("15.125"), hours_per_week=D(1), weeks=D(1), rates=None)
    assert e.engagement.pay == D("10.005")
    d = e.to_dict()
    assert d["totals"]["engagement"]["pay"] == "10.01"
    assert d["totals"]["engagement"]["revenue"] == "15.13"
    assert d["inputs"]["pay"] == "10.005"
    assert "rounded half-up to cents" in d["rounding"]


def test_to_dict_is_json_with_every_figure_and_its_inputs():
    e = contract_economics(
        pay=D(60),
        bill=D(95),
        hours_per_week=D(40),
        weeks=D("26.5"),
        rates=load_rates(2026, "CA"),
        start_date=date(2026, 2, 2),
    )
    d = json.loads(json.dumps(e.to_dict()))
    assert d["version"] == ECONOMICS_VERSION
    assert d["inputs"]["weeks"] == "26.5" and d["totals"]["engagement"]["hours"] == "1060"
    assert {x["component"] for x in d["burden"]} == {
        "social_security",
        "medicare",
        "futa",
        "suta",
        "workers_comp",
        "benefits",
    }
    for x in d["burden"]:
        assert x["formula"] and x["by_year"][0]["year"] == 2026
    assert set(d["totals"]) == {"week", "year", "engagement"}
    assert {r["name"] for r in d["ratios"]} == {"markup", "spread", "gross_margin", "burden_rate"}
    assert d["ratios"][0]["percent"] == "58.33"
    assert any(s.startswith("Social Security wage base 2026") for s in d["sources"])
    assert any(n.startswith("Unverified CA SUTA rate 2026") for n in d["notes"])
    assert d["rates"]["unverified"]
