"""Placement fees (pure): golden cases from the research note §4, installments to the cent, splits."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from cadre.placements.burden import InputError
from cadre.placements.fees import (
    FEES_VERSION,
    contingency_fee,
    conversion_fee,
    retained_fee,
    split_commission,
)

D = Decimal


# --------------------------------------------------------------------------------------------- contingency


def test_contingency_is_percent_of_base_with_a_guarantee():
    q = contingency_fee(base_salary=D(180000), percent=D(22), placed_on=date(2026, 3, 2))
    assert q.amount == D("39600.00")  # 180,000 × 22 %
    assert q.percent == D(22) and q.basis == D(180000)
    assert q.guarantee_days == 90 and q.guarantee_ends_on == date(2026, 5, 31)
    assert [(i.amount, i.due_on) for i in q.installments] == [(D("39600.00"), date(2026, 3, 2))]
    d = json.loads(json.dumps(q.to_dict()))
    assert d["amount"] == "39600.00" and d["percent"] == "22.0000" and d["version"] == FEES_VERSION
    assert d["formula"] == "base salary × percent = 180000 × 22% = 39600.00"


def test_contingency_rounds_half_up_to_the_cent_and_notes_unusual_percents():
    q = contingency_fee(base_salary=D("123456.78"), percent=D(12), guarantee_days=60)
    assert q.amount == D("14814.81")  # 14,814.8136
    assert q.inputs["exact_amount"] == "14814.8136"
    assert any("outside the usual 15–30%" in n for n in q.notes)
    assert q.guarantee_ends_on is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"base_salary": D(0), "percent": D(20)}, "base_salary"),
        ({"base_salary": D(-1), "percent": D(20)}, "base_salary"),
        ({"base_salary": D(100000), "percent": D(101)}, "percent"),
        ({"base_salary": D(100000), "percent": D(-5)}, "percent"),
        ({"base_salary": D(100000), "percent": D(20), "guarantee_days": -1}, "guarantee_days"),
        ({"base_salary": D(100000), "percent": D(20), "currency": "ZZZ"}, "currency"),
    ],
)
def test_contingency_bad_input(kwargs, field):
    with pytest.raises(InputError) as info:
        contingency_fee(**kwargs)
    assert info.value.field == field


# ------------------------------------------------------------------------------------------------ retained


def test_retained_third_of_first_year_cash_in_three_installments():
    q = retained_fee(first_year_cash=D(400000), engaged_on=date(2026, 1, 5))
    assert q.amount == D("133333.20")  # 400,000 × 33.3333 %
    assert [i.amount for i in q.installments] == [D("44444.40")] * 3
    assert [i.label for i in q.installments] == [
        "Retainer 1 of 3: engagement",
        "Retainer 2 of 3: shortlist",
        "Retainer 3 of 3: offer acceptance",
    ]
    assert [i.due_on for i in q.installments] == [date(2026, 1, 5), date(2026, 2, 4), None]


def test_retained_installments_add_up_to_the_total_to_the_cent():
    # 100,000 × 33.3334 % = 33,333.40 = 3,333,340 cents = 1,111,113 × 3 + 1: the odd cent goes first.
    q = retained_fee(first_year_cash=D(100000), percent=D("33.3334"))
    assert [i.amount for i in q.installments] == [D("11111.14"), D("11111.13"), D("11111.13")]
    for cash in ("250000", "333333.33", "199999.99", "1000000.01"):
        for pct in ("25", "30", "33.3333", "35"):
            r = retained_fee(first_year_cash=D(cash), percent=D(pct))
            assert sum(i.amount for i in r.installments) == r.amount
            assert max(i.amount for i in r.installments) - min(i.amount for i in r.installments) <= D("0.01")


def test_retained_dates_given_and_out_of_order():
    q = retained_fee(
        first_year_cash=D(300000),
        percent=D(30),
        engaged_on=date(2026, 1, 5),
        shortlist_on=date(2026, 2, 20),
        accepted_on=date(2026, 4, 1),
    )
    assert [i.due_on for i in q.installments] == [date(2026, 1, 5), date(2026, 2, 20), date(2026, 4, 1)]
    with pytest.raises(InputError, match="shortlist date cannot be before the engagement date"):
        retained_fee(first_year_cash=D(1), engaged_on=date(2026, 2, 1), shortlist_on=date(2026, 1, 1))
    with pytest.raises(InputError, match="first-year cash must be greater than zero"):
        retained_fee(first_year_cash=D(0))


# ---------------------------------------------------------------------------------------------- conversion


def test_conversion_prorated_25_percent_after_2_of_12_months_is_20_83_percent():
    q = conversion_fee(salary=D(160000), percent=D(25), method="prorate", months_worked=D(2))
    assert q.percent == D(25) * 10 / 12  # 20.8333…
    assert q.to_dict()["percent"] == "20.8333"
    assert q.amount == D("33333.33")  # 160,000 × 20.8333… %


@pytest.mark.parametrize(
    ("months", "expected_percent"),
    [(D(0), D(25)), (D("1.5"), D("21.875")), (D(12), D(0)), (D(14), D(0))],
)
def test_conversion_prorate_is_floored_at_zero(months, expected_percent):
    q = conversion_fee(salary=D(100000), percent=D(25), method="prorate", months_worked=months)
    assert q.percent == expected_percent
    assert q.amount == (D(100000) * expected_percent / 100).quantize(D("0.01"))
    assert (q.installments == ()) == (q.amount == 0)


def test_conversion_credit_for_fees_already_paid():
    # Research note: 20 % of 100k less 10 % of 15k fees paid = 18,500.
    q = conversion_fee(
        salary=D(100000), percent=D(20), method="credit", fees_paid=D(15000), credit_rate=D(10)
    )
    assert q.amount == D("18500.00") and q.percent == D("18.5")
    full_credit = conversion_fee(salary=D(100000), percent=D(20), method="credit", fees_paid=D(15000))
    assert full_credit.amount == D("5000.00")  # all fees paid credited
    free = conversion_fee(salary=D(100000), percent=D(20), method="credit", fees_paid=D(25000))
    assert free.amount == 0 and any("credit exceeds the fee" in n for n in free.notes)


def test_conversion_free_after_hours():
    kwargs = {
        "salary": D(120000),
        "percent": D(20),
        "method": "free_after_hours",
        "free_after_hours": D(1040),
    }
    assert conversion_fee(**kwargs, hours_worked=D(1040)).amount == 0
    assert conversion_fee(**kwargs, hours_worked=D(1200)).amount == 0
    before = conversion_fee(**kwargs, hours_worked=D(1039))
    assert before.amount == D("24000.00") and before.percent == 20
    assert "Free after 1 more hours." in before.notes


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"method": "prorate"}, "months_worked", "months worked is required"),
        ({"method": "prorate", "months_worked": D(-1)}, "months_worked", "must not be negative"),
        ({"method": "prorate", "months_worked": D(1), "schedule_months": 0}, "schedule_months", "above zero"),
        ({"method": "credit"}, "fees_paid", "fees paid is required"),
        ({"method": "credit", "fees_paid": D(1), "credit_rate": D(150)}, "credit_rate", "between 0 and 100"),
        (
            {"method": "free_after_hours", "hours_worked": D(5)},
            "free_after_hours",
            "free-after hours is required",
        ),
        (
            {"method": "free_after_hours", "free_after_hours": D(5)},
            "hours_worked",
            "hours worked is required",
        ),
        ({"method": "barter"}, "method", "unknown conversion method 'barter'"),
    ],
)
def test_conversion_bad_input(kwargs, field, message):
    with pytest.raises(InputError, match=message) as info:
        conversion_fee(salary=D(100000), percent=D(20), **kwargs)
    assert info.value.field == field


# ----------------------------------------------------------------------------------------- commission split


def test_split_distributes_cents_by_largest_remainder():
    parts = split_commission(
        D("1000.00"), [("ana", D("33.3333")), ("ben", D("33.3333")), ("cy", D("33.3334"))]
    )
    assert parts == [("ana", D("333.33")), ("ben", D("333.33")), ("cy", D("333.34"))]
    # 0.10 in thirds: 3.333… cents each; the one leftover cent goes to the first (ties keep the order).
    assert split_commission(D("0.10"), [("a", D(100) / 3), ("b", D(100) / 3), ("c", D(100) / 3)]) == [
        ("a", D("0.04")),
        ("b", D("0.03")),
        ("c", D("0.03")),
    ]


def test_split_parts_always_add_up_exactly():
    shares = [("a", D(45)), ("b", D("35.5")), ("c", D("19.5"))]
    for amount in ("39600.00", "0.01", "1234.57", "99999.99", "7"):
        parts = split_commission(D(amount), shares)
        assert sum(v for _, v in parts) == D(amount)
        assert all(v == v.quantize(D("0.01")) for _, v in parts)


def test_split_under_100_percent_leaves_the_rest():
    assert split_commission(D(100), [("a", D(50)), ("b", D(25))]) == [("a", D("50.00")), ("b", D("25.00"))]


@pytest.mark.parametrize(
    ("amount", "shares", "message"),
    [
        (D(100), [("a", D(60)), ("b", D(50))], "more than 100%"),
        (D(100), [("a", D(50)), ("a", D(10))], "only once"),
        (D(100), [("a", D(0))], "greater than 0"),
        (D(100), [], "at least one share"),
        (D(-1), [("a", D(100))], "must not be negative"),
    ],
)
def test_split_bad_input(amount, shares, message):
    with pytest.raises(ValueError, match=message):
        split_commission(amount, shares)
