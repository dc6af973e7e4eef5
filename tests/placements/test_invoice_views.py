"""Invoice pages, exports (CSV with formula-injection escaping, PDF) and the invoice API."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader
from tests.api.conftest import ApiClient
from tests.placements.operations_helpers import MONDAY, make_fee, make_placement, make_timesheet

from cadre.core.services import create_api_token
from cadre.people.models import Person
from cadre.placements import invoice_export
from cadre.placements import invoice_services as svc
from cadre.placements.models import Invoice, Timesheet

pytestmark = pytest.mark.django_db
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture
def placement(tenant_a, recruiter):
    p = make_placement(tenant_a, recruiter)
    make_timesheet(p, MONDAY, {i: ("8", "0", "0") for i in range(5)}, status=Timesheet.Status.APPROVED)
    return p


@pytest.fixture
def invoice(placement, recruiter, tenant_a) -> Invoice:
    return svc.generate_invoice(recruiter, tenant_a.client, *MARCH)[0]


def test_preview_writes_nothing_then_create_makes_the_draft(client, recruiter, placement, tenant_a):
    client.force_login(recruiter)
    params = {"client": tenant_a.client.pk, "period_start": "2026-03-01", "period_end": "2026-03-31"}
    preview = client.get(reverse("invoice-new"), params)
    html = preview.content.decode()
    assert preview.status_code == 200 and "3,800.00" in html and "Create draft invoice" in html
    assert not Invoice.objects.exists()
    created = client.post(reverse("invoice-new"), {**params, "note": "PO 4471"}, follow=True)
    invoice = Invoice.objects.get()
    assert created.redirect_chain[-1][0] == reverse("invoice-detail", args=[invoice.pk])
    assert invoice.note == "PO 4471" and invoice.total == Decimal("3800.00")


def test_detail_issue_and_pay(client, recruiter, invoice):
    client.force_login(recruiter)
    html = client.get(reverse("invoice-detail", args=[invoice.pk])).content.decode()
    assert invoice.number in html and "Issue" in html
    client.post(
        reverse("invoice-action", args=[invoice.pk, "issue"]), {"issued_on": "2026-04-01", "terms_days": "15"}
    )
    invoice.refresh_from_db()
    assert invoice.status == "issued" and invoice.due_on == dt.date(2026, 4, 16)
    client.post(reverse("invoice-action", args=[invoice.pk, "paid"]), {"paid_on": "2026-04-10"})
    invoice.refresh_from_db()
    assert invoice.status == "paid"


def test_hiring_managers_see_their_clients_invoices_only(client, invoice, recruiter, tenant_a, tenant_b):
    client.force_login(tenant_a.hiring_manager)  # a draft is the agency's until issued
    assert invoice.number not in client.get(reverse("invoice-list")).content.decode()
    assert client.get(reverse("invoice-detail", args=[invoice.pk])).status_code == 404
    svc.issue_invoice(recruiter, invoice)
    client.force_login(tenant_b.hiring_manager)
    assert invoice.number not in client.get(reverse("invoice-list")).content.decode()
    assert client.get(reverse("invoice-detail", args=[invoice.pk])).status_code == 404
    assert client.get(reverse("invoice-csv", args=[invoice.pk])).status_code == 404
    client.force_login(tenant_a.hiring_manager)
    html = client.get(reverse("invoice-list")).content.decode()
    assert invoice.number in html and "New invoice" not in html
    assert (
        client.post(reverse("invoice-action", args=[invoice.pk, "void"]), {"reason": "nope nope"}).status_code
        == 302
    )
    invoice.refresh_from_db()
    assert invoice.status == "issued"  # refused (403 message), nothing changed


def test_csv_escapes_formula_cells_and_totals(client, recruiter, placement, tenant_a):
    Person.objects.filter(pk=placement.application.person_id).update(full_name='=HYPERLINK("x")')
    make_fee(placement, "1500.00", dt.date(2026, 3, 10), label="@SUM(A1:A9) fee")
    invoice = svc.generate_invoice(recruiter, tenant_a.client, *MARCH)[0]
    client.force_login(recruiter)
    response = client.get(reverse("invoice-csv", args=[invoice.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["kind"] for r in rows] == ["regular", "fee", "total"]
    assert rows[0]["worker"] == '\'=HYPERLINK("x")'
    assert rows[0]["description"].startswith("'=HYPERLINK")
    assert rows[1]["amount"] == "1500.00" and rows[-1]["amount"] == "5300.00"
    assert all(not r[k].startswith(("=", "+", "-", "@")) for r in rows for k in r)


def test_negative_amounts_stay_numbers_in_the_csv(invoice):
    """A credit line (negative amount) is written as -1234.50, not escaped into text."""
    lines = list(invoice.lines.all())
    lines[0].amount = Decimal("-1234.5")  # in memory only: as a credit note would carry it
    lines[0].description = "=SUM(A1:A9)"
    rows = list(csv.DictReader(io.StringIO(invoice_export.invoice_csv(invoice, lines))))
    assert rows[0]["amount"] == "-1234.50"
    assert rows[0]["description"] == "'=SUM(A1:A9)"  # text is still escaped


def test_pdf_has_the_number_lines_and_void_banner(client, recruiter, invoice):
    client.force_login(recruiter)
    response = client.get(reverse("invoice-pdf", args=[invoice.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert invoice.number in text and "3,800.00" in text and "Northwind Robotics" in text
    svc.void_invoice(recruiter, invoice, "Issued to the wrong entity")
    invoice.refresh_from_db()
    voided = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(invoice_export.invoice_pdf(invoice))).pages
    )
    assert "VOID" in voided


def test_invoice_api(recruiter, placement, tenant_a, tenant_b):
    api = ApiClient(create_api_token(recruiter))
    body = {"client_id": tenant_a.client.pk, "period_start": "2026-03-01", "period_end": "2026-03-31"}
    created = api.post("/api/invoices", body)
    assert created.status_code == 201
    data = created.json()
    assert data["total"] == "3800.00" and len(data["lines"]) == 1
    assert api.post("/api/invoices", body).status_code == 422  # nothing left to invoice
    assert (
        api.post(f"/api/invoices/{data['id']}/issue", {"issued_on": "2026-04-01"}).json()["due_on"]
        == "2026-05-01"
    )
    other = ApiClient(create_api_token(tenant_b.hiring_manager))
    assert other.get(f"/api/invoices/{data['id']}").status_code == 404
    assert other.get("/api/invoices").json() == []
    assert api.get(f"/api/invoices/{data['id']}/csv").status_code == 200
