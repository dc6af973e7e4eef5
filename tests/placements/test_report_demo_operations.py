"""The demo's operations seed: timesheets through the real flow and invoices from approved weeks."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from tests.placements.operations_helpers import make_placement

from cadre.placements.demo_operations import seed_operations
from cadre.placements.models import Invoice, InvoiceLine, Timesheet

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 20)  # a Wednesday


def test_seed_writes_weeks_in_each_state_and_invoices_each_month(tenant_a, recruiter):
    placement = make_placement(tenant_a, recruiter, start=dt.date(2026, 3, 2))
    summary = seed_operations(random.Random(7), [placement], today=TODAY)
    sheets = {s.week_start: s.status for s in Timesheet.objects.filter(placement=placement)}
    assert min(sheets) >= dt.date(2026, 3, 2) and len(sheets) == summary.timesheets
    assert sheets[dt.date(2026, 5, 18)] == "draft"  # this week
    assert sheets[dt.date(2026, 5, 11)] == "submitted"  # last week
    assert sheets[dt.date(2026, 5, 4)] == "approved"
    assert summary.approved == sum(1 for s in sheets.values() if s == "approved")
    periods = list(Invoice.objects.order_by("period_start").values_list("period_start", flat=True))
    assert periods == [dt.date(2026, 3, 1), dt.date(2026, 4, 1)]  # Jan and Feb had no work
    # every approved week whose Sunday is before May is invoiced exactly once
    pairs = set(
        InvoiceLine.objects.exclude(timesheet=None).values_list("timesheet__week_start", "invoice_id")
    )
    invoiced = [week for week, _invoice in pairs]
    assert len(invoiced) == len(set(invoiced))  # one invoice per timesheet
    assert sorted(invoiced) == [
        w
        for w, s in sorted(sheets.items())
        if s == "approved" and w + dt.timedelta(days=6) < dt.date(2026, 5, 1)
    ]
    assert summary.skipped == []
    # idempotent
    again = seed_operations(random.Random(7), [placement], today=TODAY)
    assert again.timesheets == 0 and again.invoices == 0


def test_same_seed_same_hours(tenant_a, tenant_b, recruiter):
    first = make_placement(tenant_a, recruiter, start=dt.date(2026, 4, 6))
    second = make_placement(tenant_b, recruiter, start=dt.date(2026, 4, 6))
    seed_operations(random.Random(11), [first], today=TODAY)
    seed_operations(random.Random(11), [second], today=TODAY)

    def hours(p):
        return [
            (s.week_start, e.work_date, e.regular_hours, e.overtime_hours)
            for s in Timesheet.objects.filter(placement=p).order_by("week_start")
            for e in s.entries.order_by("work_date")
        ]

    assert hours(first) == hours(second) and hours(first)
