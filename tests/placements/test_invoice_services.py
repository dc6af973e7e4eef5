"""Invoices in the database: generation from approved, uninvoiced timesheets and fees due, numbering,
issue / void / paid, scoping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from tests.placements.operations_helpers import MONDAY, add_rates, make_fee, make_placement, make_timesheet

from cadre.core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog
from cadre.placements import invoice_services as svc
from cadre.placements.models import Fee, Invoice, Timesheet

pytestmark = pytest.mark.django_db
D = Decimal
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
APPROVED = Timesheet.Status.APPROVED
YEAR = timezone.localdate().year


@pytest.fixture
def placement(tenant_a, recruiter):
    return make_placement(tenant_a, recruiter)  # 60 / 95, from Monday 2 March


def week(placement, offset_weeks, hours=None, status=APPROVED):
    start = MONDAY + dt.timedelta(weeks=offset_weeks)
    return make_timesheet(placement, start, hours or {i: ("8", "0", "0") for i in range(5)}, status=status)


def test_generate_bills_approved_hours_and_due_fees_only(placement, recruiter, tenant_a):
    week(placement, 0, {0: ("8", "2", "0"), 1: ("8", "0", "0")})
    week(placement, 1)
    week(placement, 2, status=Timesheet.Status.SUBMITTED)
    make_fee(placement, "20000.00", dt.date(2026, 3, 15))
    make_fee(placement, "999.00", dt.date(2026, 4, 15))  # due next month
    invoice, warnings = svc.generate_invoice(recruiter, tenant_a.client, *MARCH)
    lines = list(invoice.lines.order_by("id"))
    assert [(ln.kind, ln.quantity, ln.amount) for ln in lines] == [
        ("regular", D(16), D("1520.00")),
        ("overtime", D(2), D("285.00")),
        ("regular", D(40), D("3800.00")),
        ("fee", D(1), D("20000.00")),
    ]
    assert invoice.subtotal == invoice.total == D("25605.00")
    assert invoice.number == f"INV-{YEAR}-00001" and invoice.status == "draft"
    assert len(warnings) == 1 and "not approved" in warnings[0]
    assert Fee.objects.get(amount=D("20000.00")).status == "invoiced"
    assert Fee.objects.get(amount=D("999.00")).status == "pending"
    assert AuditLog.objects.filter(object_type="placements.invoice", action="create").count() == 1


def test_a_timesheet_is_invoiced_at_most_once_and_numbers_have_no_gaps(placement, recruiter, tenant_a):
    week(placement, 0)
    first, _ = svc.generate_invoice(recruiter, tenant_a.client, *MARCH)
    with pytest.raises(ValidationFailed, match="nothing to invoice"):
        svc.generate_invoice(recruiter, tenant_a.client, *MARCH)
    week(placement, 1)
    second, _ = svc.generate_invoice(recruiter, tenant_a.client, *MARCH)
    assert [ln.timesheet.week_start for ln in second.lines.all()] == [dt.date(2026, 3, 9)]
    assert (first.number, second.number) == (f"INV-{YEAR}-00001", f"INV-{YEAR}-00002")
    # voiding releases the timesheet; the new invoice takes the next number, the void keeps its own
    svc.void_invoice(recruiter, second, "Wrong purchase order")
    third, _ = svc.generate_invoice(recruiter, tenant_a.client, *MARCH)
    assert third.number == f"INV-{YEAR}-00003"
    assert [ln.timesheet.week_start for ln in third.lines.all()] == [dt.date(2026, 3, 9)]
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"INV-{YEAR}-0000{i}" for i in (1, 2, 3)]


def test_a_failed_generation_does_not_use_up_a_number(placement, recruiter, tenant_a):
    week(placement, 0)
    placement.rate_cards.all().delete()  # no rate in force: generation fails
    with pytest.raises(ValidationFailed, match="no rate card in force on 2026-03-02"):
        svc.generate_invoice(recruiter, tenant_a.client, *MARCH)
    assert not Invoice.objects.exists()
    add_rates(placement, dt.date(2026, 1, 1), "60", "95")
    invoice, _ = svc.generate_invoice(recruiter, tenant_a.client, *MARCH)
    assert invoice.number == f"INV-{YEAR}-00001"


def test_a_rate_change_mid_week_splits_the_invoice_lines(placement, recruiter, tenant_a):
    add_rates(placement, dt.date(2026, 3, 4), "62", "100")
    week(placement, 0)
    invoice, _ = svc.generate_invoice(recruiter, tenant_a.client, *MARCH)
    assert [(ln.unit_price, ln.quantity, ln.amount) for ln in invoice.lines.order_by("id")] == [
        (D(95), D(16), D("1520.00")),
        (D(100), D(24), D("2400.00")),
    ]
    assert invoice.total == D("3920.00")


def test_issue_pay_and_void_rules(placement, recruiter, tenant_a):
    week(placement, 0)
    fee = make_fee(placement, "5000.00", dt.date(2026, 3, 20))
    invoice, _ = svc.generate_invoice(recruiter, tenant_a.client, *MARCH)
    with pytest.raises(Conflict, match="only an issued invoice"):
        svc.mark_paid(recruiter, invoice)
    issued = svc.issue_invoice(recruiter, invoice, issued_on=dt.date(2026, 4, 1))
    assert (issued.status, issued.due_on) == ("issued", dt.date(2026, 5, 1))
    paid = svc.mark_paid(recruiter, issued, paid_on=dt.date(2026, 4, 20))
    assert paid.status == "paid" and "Paid 2026-04-20" in paid.note
    fee.refresh_from_db()
    assert fee.status == "paid"
    with pytest.raises(Conflict, match="cannot be voided"):
        svc.void_invoice(recruiter, paid, "Client disputes")


def test_void_returns_fees_to_pending(placement, recruiter, tenant_a):
    fee = make_fee(placement, "5000.00", dt.date(2026, 3, 20))
    invoice, _ = svc.generate_invoice(recruiter, tenant_a.client, *MARCH)
    with pytest.raises(ValidationFailed, match="say why"):
        svc.void_invoice(recruiter, invoice, "")
    svc.void_invoice(recruiter, invoice, "Fee agreed to be deferred")
    fee.refresh_from_db()
    assert fee.status == "pending"


def test_scoping_and_permissions(placement, recruiter, tenant_a, tenant_b):
    week(placement, 0)
    invoice, _ = svc.generate_invoice(recruiter, tenant_a.client, *MARCH)
    with pytest.raises(Forbidden):
        svc.issue_invoice(tenant_a.hiring_manager, invoice)
    with pytest.raises(Forbidden):
        svc.generate_invoice(tenant_a.hiring_manager, tenant_a.client, *MARCH)
    with pytest.raises(NotFound):  # a draft is the agency's until issued
        svc.get_invoice(tenant_a.hiring_manager, invoice.pk)
    svc.issue_invoice(recruiter, invoice)
    assert svc.get_invoice(tenant_a.hiring_manager, invoice.pk).number == invoice.number
    with pytest.raises(NotFound):
        svc.get_invoice(tenant_b.hiring_manager, invoice.pk)
    assert not svc.invoices_visible_to(tenant_b.hiring_manager).exists()


def test_bad_period_and_currency(placement, recruiter, tenant_a):
    with pytest.raises(ValidationFailed, match="ends"):
        svc.generate_invoice(recruiter, tenant_a.client, dt.date(2026, 3, 31), dt.date(2026, 3, 1))
    with pytest.raises(ValidationFailed, match="three-letter"):
        svc.generate_invoice(recruiter, tenant_a.client, *MARCH, currency="dollars")


def test_next_number_orders_numerically_past_five_digits(tenant_a):
    for number in ("INV-2030-99999", "INV-2030-100000", "INV-2031-00001"):
        Invoice.objects.create(client=tenant_a.client, number=number, period_start=MONDAY, period_end=MONDAY)
    assert svc.next_number(2030) == "INV-2030-100001"
    assert svc.next_number(2032) == "INV-2032-00001"
