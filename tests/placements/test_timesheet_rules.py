"""Timesheet rules (pure): Monday weeks, hours per day, dates inside the week and the placement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cadre.placements import timesheets as ts

MONDAY = dt.date(2026, 3, 2)


def day(offset: int, reg="8", ot="0", dbl="0", note=""):
    return {
        "work_date": (MONDAY + dt.timedelta(days=offset)).isoformat(),
        "regular_hours": reg,
        "overtime_hours": ot,
        "double_hours": dbl,
        "note": note,
    }


def check(rows, start=MONDAY, end=None):
    return ts.check_entries(MONDAY, rows, placement_start=start, placement_end=end)


def test_week_start_must_be_a_monday():
    ts.check_week_start(MONDAY)
    with pytest.raises(ts.TimesheetError, match=r"2026-03-04 is a Wednesday \(use 2026-03-02\)"):
        ts.check_week_start(dt.date(2026, 3, 4))
    assert ts.week_start_of(dt.date(2026, 3, 8)) == MONDAY


def test_valid_week_keeps_days_with_hours_in_order_and_drops_empty_ones():
    days = check([day(2, "8", "2"), day(0), day(1, "0")])
    assert [d.work_date.weekday() for d in days] == [0, 2]
    totals = ts.totals(days)
    assert (totals.regular, totals.overtime, totals.total) == (Decimal(16), Decimal(2), Decimal(18))


def test_every_problem_is_reported_together():
    with pytest.raises(ts.TimesheetError) as err:
        check([day(0, "-1"), day(1, "20", "5"), day(9), day(2, "abc"), day(3, "7.555")])
    problems = err.value.problems
    assert "Mon 2026-03-02 regular: hours cannot be negative (-1)" in problems
    assert "Tue 2026-03-03: 25 hours in one day (at most 24)" in problems
    assert "Wed 2026-03-11 is outside the week of 2026-03-02" in problems
    assert "Wed 2026-03-04 regular: 'abc' is not a number of hours" in problems
    assert "Thu 2026-03-05 regular: hours have at most two decimals (7.555)" in problems


def test_exactly_24_hours_is_allowed():
    assert check([day(0, "16", "4", "4")])[0].total == Decimal(24)


def test_days_outside_the_placement_are_refused():
    with pytest.raises(ts.TimesheetError) as err:
        check([day(0), day(4)], start=dt.date(2026, 3, 3), end=dt.date(2026, 3, 5))
    assert err.value.problems == [
        "Mon 2026-03-02 is before the placement starts (2026-03-03)",
        "Fri 2026-03-06 is after the placement ends (2026-03-05)",
    ]


def test_a_day_entered_twice_is_refused():
    with pytest.raises(ts.TimesheetError, match="entered twice"):
        check([day(0), day(0, "4")])


def test_week_overlap():
    assert ts.week_overlaps(MONDAY, dt.date(2026, 3, 8), None)  # starts on the Sunday
    assert not ts.week_overlaps(MONDAY, dt.date(2026, 3, 9), None)
    assert not ts.week_overlaps(MONDAY, dt.date(2026, 1, 1), dt.date(2026, 3, 1))
