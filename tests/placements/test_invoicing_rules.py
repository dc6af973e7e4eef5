"""Invoice arithmetic (pure): hours × the rate in force each day, split lines on a rate change, rounding
to cents per line, fees, numbering."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cadre.placements import invoicing as inv

MONDAY = dt.date(2026, 3, 2)
D = Decimal


def card(pk, day, reg, ot=None, dbl=None, currency="USD"):
    reg = D(reg)
    return inv.RateIn(pk, day, reg, D(ot) if ot else reg * D("1.5"), D(dbl) if dbl else reg * 2, currency)


def entry(offset, reg="8", ot="0", dbl="0"):
    return inv.EntryIn(7, 3, MONDAY + dt.timedelta(days=offset), D(reg), D(ot), D(dbl))


def test_one_rate_all_week_gives_one_line_per_kind():
    lines = inv.hour_lines(
        [entry(i) for i in range(5)] + [entry(5, "0", "4", "2")], [card(1, MONDAY, "95")], week_of=MONDAY
    )
    assert [(ln.kind, ln.quantity, ln.unit_price, ln.amount) for ln in lines] == [
        ("regular", D(40), D(95), D("3800.00")),
        ("overtime", D(4), D("142.5"), D("570.00")),
        ("double", D(2), D(190), D("380.00")),
    ]
    assert all(ln.timesheet_id == 7 and ln.placement_id == 3 and ln.rate_card_id == 1 for ln in lines)
    assert "week of 2026-03-02" in lines[0].description


def test_a_rate_change_mid_week_splits_the_lines_at_each_rate():
    cards = [card(1, dt.date(2026, 1, 1), "95"), card(2, dt.date(2026, 3, 4), "100")]
    lines = inv.hour_lines([entry(i) for i in range(5)], cards)
    assert [(ln.rate_card_id, ln.quantity, ln.amount) for ln in lines] == [
        (1, D(16), D("1520.00")),  # Mon, Tue at 95
        (2, D(24), D("2400.00")),  # Wed-Fri at 100
    ]
    assert "Mon Mar 2–Tue Mar 3 (rate from 2026-01-01)" in lines[0].description
    assert "Wed Mar 4–Fri Mar 6 (rate from 2026-03-04)" in lines[1].description


def test_rounding_is_half_up_to_cents_per_line_and_the_subtotal_adds_the_rounded_lines():
    # 7.25 h × 33.3333 = 241.666425 → 241.67; 0.15 h × 33.3333 × 1.5 = 7.4999925 → 7.50
    lines = inv.hour_lines([entry(0, "7.25", "0.15")], [card(1, MONDAY, "33.3333")])
    assert [ln.amount for ln in lines] == [D("241.67"), D("7.50")]
    draft = inv.InvoiceDraft("USD", lines)
    assert draft.subtotal == D("249.17") and draft.total == D("249.17")
    # exactly half a cent rounds up
    assert inv.hour_lines([entry(0, "0.5")], [card(1, MONDAY, "0.01")])[0].amount == D("0.01")


def test_a_day_before_the_first_card_is_an_error_naming_the_day():
    with pytest.raises(inv.InvoicingError, match="no rate card in force on 2026-03-02 for Ana"):
        inv.hour_lines([entry(0)], [card(1, dt.date(2026, 3, 3), "95")], label="Ana")


def test_currency_must_match():
    with pytest.raises(inv.InvoicingError, match="is in EUR, the invoice in USD"):
        inv.hour_lines([entry(0)], [card(1, MONDAY, "95", currency="EUR")])
    fee = inv.FeeIn(1, 3, "Placement fee", D("100"), MONDAY, "GBP")
    with pytest.raises(inv.InvoicingError, match="GBP"):
        inv.fee_line(fee)


def test_fee_line_and_due_dates():
    fee = inv.FeeIn(9, 3, "Retainer 1 of 3: engagement", D("16666.67"), MONDAY)
    line = inv.fee_line(fee, label="Ana Lima (VP ML)")
    assert (line.kind, line.quantity, line.amount, line.fee_id) == ("fee", D(1), D("16666.67"), 9)
    assert line.description == "Ana Lima (VP ML) · Retainer 1 of 3: engagement"
    assert inv.fee_due(fee, MONDAY, MONDAY)
    assert not inv.fee_due(fee, MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=30))


def test_week_belongs_to_the_period_its_sunday_falls_in():
    assert inv.week_in_period(dt.date(2026, 3, 30), dt.date(2026, 4, 1), dt.date(2026, 4, 30))  # ends Apr 5
    assert not inv.week_in_period(dt.date(2026, 4, 27), dt.date(2026, 4, 1), dt.date(2026, 4, 30))  # May 3


def test_numbers():
    assert inv.format_number(2026, 7) == "INV-2026-00007"
    assert inv.format_number(2026, 123456) == "INV-2026-123456"
    assert inv.parse_number("INV-2026-00042") == (2026, 42)
    assert inv.parse_number("2026-42") is None
    with pytest.raises(inv.InvoicingError):
        inv.check_period(MONDAY, MONDAY - dt.timedelta(days=1))
