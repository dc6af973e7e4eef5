"""Placements REST endpoints: client invoices.

GET  /api/invoices                       invoices you may see (?status=, ?client_id=)
POST /api/invoices                       {"client_id", "period_start", "period_end", "currency", "note"}
GET  /api/invoices/{id}                  one invoice with its lines
GET  /api/invoices/{id}/csv | pdf        exports
POST /api/invoices/{id}/issue            {"issued_on", "terms_days"}
POST /api/invoices/{id}/void             {"reason"}
POST /api/invoices/{id}/paid             {"paid_on"}
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import Status

from cadre.api.schemas import ERRORS, StrictIn
from cadre.clients.models import Client
from cadre.core.exceptions import NotFound
from cadre.core.services import require_editor
from cadre.placements import invoice_export, invoice_services, invoicing
from cadre.placements.models import Invoice

router = Router(tags=["placements"])


class LineOut(Schema):
    kind: str
    placement_id: int
    timesheet_id: int | None
    fee_id: int | None
    rate_card_id: int | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


class InvoiceOut(Schema):
    id: int
    number: str
    client_id: int
    client: str
    currency: str
    period_start: dt.date
    period_end: dt.date
    status: str
    issued_on: dt.date | None
    due_on: dt.date | None
    subtotal: Decimal
    total: Decimal
    note: str
    lines: list[LineOut] | None = None
    warnings: list[str] = []


class GenerateIn(StrictIn):
    client_id: int
    period_start: dt.date
    period_end: dt.date
    currency: str = Field("USD", min_length=3, max_length=3)
    note: str = Field("", max_length=2000)


class IssueIn(StrictIn):
    issued_on: dt.date | None = None
    terms_days: int = Field(invoicing.DEFAULT_TERMS_DAYS, ge=0, le=180)


class VoidIn(StrictIn):
    reason: str = Field(..., max_length=2000)


class PaidIn(StrictIn):
    paid_on: dt.date | None = None


def _out(invoice: Invoice, *, lines: bool = True, warnings: list[str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": invoice.pk,
        "number": invoice.number,
        "client_id": invoice.client_id,
        "client": invoice.client.name,
        "currency": invoice.currency,
        "period_start": invoice.period_start,
        "period_end": invoice.period_end,
        "status": invoice.status,
        "issued_on": invoice.issued_on,
        "due_on": invoice.due_on,
        "subtotal": invoice.subtotal,
        "total": invoice.total,
        "note": invoice.note,
        "warnings": warnings or [],
    }
    if lines:
        data["lines"] = [
            {
                "kind": ln.kind,
                "placement_id": ln.placement_id,
                "timesheet_id": ln.timesheet_id,
                "fee_id": ln.fee_id,
                "rate_card_id": ln.rate_card_id,
                "description": ln.description,
                "quantity": ln.quantity,
                "unit_price": ln.unit_price,
                "amount": ln.amount,
            }
            for ln in invoice.lines.all()
        ]
    return data


@router.get("invoices", response={200: list[InvoiceOut], **ERRORS})
def list_invoices(
    request: HttpRequest, status: str = "", client_id: int | None = None, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    qs = invoice_services.invoices_visible_to(request.user).order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if client_id:
        qs = qs.filter(client_id=client_id)
    limit = max(1, min(limit, 500))
    return [_out(i, lines=False) for i in qs[offset : offset + limit]]


@router.post("invoices", response={201: InvoiceOut, **ERRORS})
def generate(request: HttpRequest, payload: GenerateIn) -> Status:
    """Create a draft invoice from approved, not-yet-invoiced timesheets whose week ends in the period
    and pending fees due in it; `warnings` lists weeks left out because they are not approved."""
    require_editor(request.user)
    client = Client.objects.filter(pk=payload.client_id).first()
    if client is None:
        raise NotFound(f"client {payload.client_id} not found")
    invoice, warnings = invoice_services.generate_invoice(
        request.user,
        client,
        payload.period_start,
        payload.period_end,
        currency=payload.currency,
        note=payload.note,
    )
    return Status(201, _out(invoice_services.get_invoice(request.user, invoice.pk), warnings=warnings))


@router.get("invoices/{invoice_id}", response={200: InvoiceOut, **ERRORS})
def get_invoice(request: HttpRequest, invoice_id: int) -> dict[str, Any]:
    return _out(invoice_services.get_invoice(request.user, invoice_id))


@router.get("invoices/{invoice_id}/csv", response={200: None, **ERRORS})
def invoice_csv(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = invoice_services.get_invoice(request.user, invoice_id)
    response = HttpResponse(invoice_export.invoice_csv(invoice), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.csv"'
    return response


@router.get("invoices/{invoice_id}/pdf", response={200: None, **ERRORS})
def invoice_pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = invoice_services.get_invoice(request.user, invoice_id)
    response = HttpResponse(invoice_export.invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


@router.post("invoices/{invoice_id}/issue", response={200: InvoiceOut, **ERRORS})
def issue(request: HttpRequest, invoice_id: int, payload: IssueIn) -> dict[str, Any]:
    invoice = invoice_services.get_invoice(request.user, invoice_id)
    invoice_services.issue_invoice(
        request.user, invoice, issued_on=payload.issued_on, terms_days=payload.terms_days
    )
    return _out(invoice_services.get_invoice(request.user, invoice_id))


@router.post("invoices/{invoice_id}/void", response={200: InvoiceOut, **ERRORS})
def void(request: HttpRequest, invoice_id: int, payload: VoidIn) -> dict[str, Any]:
    invoice = invoice_services.get_invoice(request.user, invoice_id)
    invoice_services.void_invoice(request.user, invoice, payload.reason)
    return _out(invoice_services.get_invoice(request.user, invoice_id))


@router.post("invoices/{invoice_id}/paid", response={200: InvoiceOut, **ERRORS})
def paid(request: HttpRequest, invoice_id: int, payload: PaidIn) -> dict[str, Any]:
    invoice = invoice_services.get_invoice(request.user, invoice_id)
    invoice_services.mark_paid(request.user, invoice, paid_on=payload.paid_on)
    return _out(invoice_services.get_invoice(request.user, invoice_id))
