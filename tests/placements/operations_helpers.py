"""Builders for the operations tests (onboarding, timesheets, invoices, reports): placements, rate cards,
fees and timesheets made directly with the ORM, so these tests do not depend on the offer flow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from cadre.placements.models import Fee, Placement, RateCard, Timesheet, TimesheetEntry

MONDAY = dt.date(2026, 3, 2)  # a Monday
assert MONDAY.weekday() == 0


def make_placement(
    tenant: Any,
    recruiter: Any,
    *,
    engagement_type: str = "contract",
    vehicle: str = "w2",
    start: dt.date = MONDAY,
    end: dt.date | None = None,
    pay: str | None = "60",
    bill: str | None = "95",
    status: str = Placement.Status.ACTIVE,
    work_state: str = "CA",
    **extra: Any,
) -> Placement:
    placement = Placement.objects.create(
        application=tenant.application,
        client=tenant.client,
        engagement_type=engagement_type,
        vehicle=vehicle,
        start_date=start,
        end_date=end,
        status=status,
        work_state=work_state,
        recruiter=recruiter,
        pay_basis="hourly" if pay is not None else "salary",
        **extra,
    )
    if pay is not None and bill is not None:
        add_rates(placement, start, pay, bill)
    return placement


def add_rates(placement: Placement, effective_from: dt.date, pay: str, bill: str) -> RateCard:
    p, b = Decimal(pay), Decimal(bill)
    return RateCard.objects.create(
        placement=placement,
        effective_from=effective_from,
        pay_regular=p,
        pay_overtime=p * Decimal("1.5"),
        pay_double=p * 2,
        bill_regular=b,
        bill_overtime=b * Decimal("1.5"),
        bill_double=b * 2,
    )


def make_timesheet(
    placement: Placement,
    week_start: dt.date,
    hours: dict[int, tuple[str, str, str]] | None = None,
    *,
    status: str = Timesheet.Status.DRAFT,
) -> Timesheet:
    """hours: weekday index (0 = Monday) → (regular, overtime, double)."""
    sheet = Timesheet.objects.create(placement=placement, week_start=week_start, status=status)
    for day, (reg, ot, dbl) in (hours or {}).items():
        TimesheetEntry.objects.create(
            timesheet=sheet,
            work_date=week_start + dt.timedelta(days=day),
            regular_hours=Decimal(reg),
            overtime_hours=Decimal(ot),
            double_hours=Decimal(dbl),
        )
    return sheet


def make_fee(placement: Placement, amount: str, due_on: dt.date, **extra: Any) -> Fee:
    defaults: dict[str, Any] = {
        "kind": Fee.Kind.CONTINGENCY,
        "label": "Placement fee",
        "basis": Decimal("200000"),
        "percent": Decimal("20"),
    }
    defaults.update(extra)
    return Fee.objects.create(placement=placement, amount=Decimal(amount), due_on=due_on, **defaults)


PAST = "2026-01-15"
IP_DETAILS = {
    "signed_on": PAST,
    "signatory": "Ana Lima",
    "prior_inventions": [],
    "carve_outs": {"open_source": False, "publication": False},
    "work_state": "CA",
    "statutory_notice_included": True,
}
WORK_DETAILS = {"country": "US", "document_type": "US passport", "citizen": True, "verified_on": PAST}
