"""Placements pages: client invoices.

/placements/invoices/                 the list (a hiring manager: their clients' only), totals by status
/placements/invoices/new/             preview an invoice for a client and period, then create the draft
/placements/invoices/<pk>/            one invoice: lines, totals, issue / void / paid, downloads
/placements/invoices/<pk>/csv|pdf     exports
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cadre.clients.models import Client
from cadre.core.exceptions import CadreError
from cadre.core.money import CURRENCIES
from cadre.placements import invoice_export, invoice_services, invoicing
from cadre.placements.models import Invoice
from cadre.web.http import can_edit, editor_required, fetch, paginate


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


@require_GET
@login_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    qs = fetch(invoice_services.invoices_visible_to, request.user)
    status = request.GET.get("status", "")
    client_id = request.GET.get("client", "")
    if status in Invoice.Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    if client_id.isdigit():
        qs = qs.filter(client_id=int(client_id))
    summary = {
        row["status"]: row
        for row in fetch(invoice_services.invoices_visible_to, request.user)
        .order_by()
        .values("status")
        .annotate(n=Count("id"), amount=Sum("total"))
    }
    clients = Client.objects.filter(invoices__in=fetch(invoice_services.invoices_visible_to, request.user))
    start, end = _last_month(timezone.localdate())
    return render(
        request,
        "placements/invoice_list.html",
        {
            "page": paginate(request, qs.order_by("-created_at", "-id")),
            "status": status,
            "client_id": int(client_id) if client_id.isdigit() else None,
            "statuses": Invoice.Status.choices,
            "summary": [
                (
                    label,
                    summary.get(value, {}).get("n", 0),
                    summary.get(value, {}).get("amount") or Decimal(0),
                )
                for value, label in Invoice.Status.choices
            ],
            "clients": clients.distinct().order_by("name"),
            "can_generate": can_edit(request),
            "all_clients": Client.objects.order_by("name") if can_edit(request) else [],
            "default_start": start,
            "default_end": end,
            "currencies": CURRENCIES,
        },
    )


@editor_required
def invoice_new(request: HttpRequest) -> HttpResponse:
    """GET: preview (nothing written). POST: create the draft invoice and go to it."""
    source = request.POST if request.method == "POST" else request.GET
    client = Client.objects.filter(
        pk=int(source["client"]) if source.get("client", "").isdigit() else 0
    ).first()
    start, end = _date(source.get("period_start")), _date(source.get("period_end"))
    currency = (source.get("currency") or "USD").upper()
    if client is None or start is None or end is None:
        messages.error(request, "Choose a client and a period (two dates).")
        return redirect("invoice-list")
    if request.method == "POST":
        try:
            invoice, warnings = invoice_services.generate_invoice(
                request.user, client, start, end, currency=currency, note=source.get("note", "")
            )
        except CadreError as exc:
            messages.error(request, exc.message)
            return redirect("invoice-list")
        messages.success(
            request, f"Draft invoice {invoice.number} created: {invoice.total:,.2f} {invoice.currency}."
        )
        for warning in warnings:
            messages.warning(request, warning)
        return redirect("invoice-detail", pk=invoice.pk)
    try:
        preview = invoice_services.build_preview(client, start, end, currency=currency)
    except CadreError as exc:
        messages.error(request, exc.message)
        return redirect("invoice-list")
    return render(
        request,
        "placements/invoice_new.html",
        {"preview": preview, "client": client, "start": start, "end": end, "currency": currency},
    )


@require_GET
@login_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = fetch(invoice_services.get_invoice, request.user, pk)
    lines = list(invoice.lines.all())
    today = timezone.localdate()
    hours = sum((ln.quantity for ln in lines if ln.kind != "fee"), Decimal(0))
    by_kind: dict[str, Decimal] = {}
    for ln in lines:
        by_kind[ln.kind] = by_kind.get(ln.kind, Decimal(0)) + ln.amount
    return render(
        request,
        "placements/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": lines,
            "hours": hours,
            "by_kind": [(invoicing.KIND_LABELS[k], v) for k, v in by_kind.items()],
            "can_edit": can_edit(request),
            "overdue": invoice.status == Invoice.Status.ISSUED
            and invoice.due_on is not None
            and invoice.due_on < today,
            "today": today,
            "terms_days": invoicing.DEFAULT_TERMS_DAYS,
        },
    )


@require_POST
@login_required
def invoice_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    invoice = fetch(invoice_services.get_invoice, request.user, pk)
    try:
        if action == "issue":
            terms = request.POST.get("terms_days", "")
            invoice_services.issue_invoice(
                request.user,
                invoice,
                issued_on=_date(request.POST.get("issued_on")),
                terms_days=int(terms) if terms.isdigit() else invoicing.DEFAULT_TERMS_DAYS,
            )
            notice = f"{invoice.number} issued."
        elif action == "void":
            invoice_services.void_invoice(request.user, invoice, request.POST.get("reason", ""))
            notice = f"{invoice.number} voided; its timesheets and fees can be invoiced again."
        elif action == "paid":
            invoice_services.mark_paid(request.user, invoice, paid_on=_date(request.POST.get("paid_on")))
            notice = f"{invoice.number} marked paid."
        else:
            raise Http404("unknown action")
    except CadreError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, notice)
    return redirect("invoice-detail", pk=invoice.pk)


@require_GET
@login_required
def invoice_csv(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = fetch(invoice_services.get_invoice, request.user, pk)
    response = HttpResponse(invoice_export.invoice_csv(invoice), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.csv"'
    return response


@require_GET
@login_required
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = fetch(invoice_services.get_invoice, request.user, pk)
    response = HttpResponse(invoice_export.invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


urlpatterns: list[URLPattern] = [
    path("placements/invoices/", invoice_list, name="invoice-list"),
    path("placements/invoices/new/", invoice_new, name="invoice-new"),
    path("placements/invoices/<int:pk>/", invoice_detail, name="invoice-detail"),
    path("placements/invoices/<int:pk>/csv/", invoice_csv, name="invoice-csv"),
    path("placements/invoices/<int:pk>/pdf/", invoice_pdf, name="invoice-pdf"),
    path("placements/invoices/<int:pk>/<str:action>/", invoice_action, name="invoice-action"),
]
