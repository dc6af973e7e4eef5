"""An invoice as CSV (one row per line, every row carrying the invoice's header fields so the file stands
on its own in a spreadsheet or an accounting import) and as a PDF (reportlab).

Text cells that a spreadsheet would run as a formula are prefixed with an apostrophe (core.csvsafe, OWASP's
CSV-injection advice): descriptions carry people's and requisitions' names, which are user input. Quantities
and amounts are written as Decimals, which core.csvsafe never escapes (a credit of -1234.50 stays a number).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cadre.core.csvsafe import safe_cell
from cadre.core.money import to_cents
from cadre.placements.models import Invoice, InvoiceLine

CSV_FIELDS = (
    "invoice_number",
    "status",
    "client",
    "currency",
    "period_start",
    "period_end",
    "issued_on",
    "due_on",
    "line",
    "kind",
    "placement_id",
    "worker",
    "timesheet_week",
    "description",
    "quantity",
    "unit_price",
    "amount",
)
INDIGO, GREY, RED = (colors.HexColor(c) for c in ("#4450d6", "#98a2b3", "#c0362c"))
AGENCY_NAME = "Cadre staffing"


def _money(value: Decimal, currency: str) -> Decimal:
    return to_cents(value, currency)


def _qty(value: Decimal) -> Decimal:
    """Exact, without trailing zeros (8.50 → 8.5), and never in exponent form (100, not 1E+2)."""
    return Decimal(f"{Decimal(value).normalize():f}")


def _worker(line: InvoiceLine) -> str:
    return line.placement.application.person.full_name


def invoice_csv(invoice: Invoice, lines: list[InvoiceLine] | None = None) -> str:
    lines = lines if lines is not None else list(invoice.lines.all())
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    head = {
        "invoice_number": invoice.number,
        "status": invoice.status,
        "client": invoice.client.name,
        "currency": invoice.currency,
        "period_start": invoice.period_start.isoformat(),
        "period_end": invoice.period_end.isoformat(),
        "issued_on": invoice.issued_on.isoformat() if invoice.issued_on else "",
        "due_on": invoice.due_on.isoformat() if invoice.due_on else "",
    }
    for number, line in enumerate(lines, start=1):
        row = {
            **head,
            "line": number,
            "kind": line.kind,
            "placement_id": line.placement_id,
            "worker": _worker(line),
            "timesheet_week": line.timesheet.week_start.isoformat() if line.timesheet else "",
            "description": line.description,
            "quantity": _qty(line.quantity),
            "unit_price": _qty(line.unit_price),
            "amount": _money(line.amount, invoice.currency),
        }
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    writer.writerow(
        {k: safe_cell(v) for k, v in head.items()}
        | {"kind": "total", "description": "Total", "amount": _money(invoice.total, invoice.currency)}
    )
    return out.getvalue()


def invoice_pdf(invoice: Invoice, lines: list[InvoiceLine] | None = None) -> bytes:
    """A one-document invoice: agency and client, number, dates, period, the lines, the total; a VOID
    banner on voided invoices."""
    lines = lines if lines is not None else list(invoice.lines.all())
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5)
    right = ParagraphStyle("right", parent=cell, alignment=2)
    title = ParagraphStyle("title", parent=styles["Title"], alignment=0, textColor=INDIGO)

    def p(text: Any, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape("" if text is None else str(text)), style)

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Invoice {invoice.number}",
        author=AGENCY_NAME,
    )
    story: list[Any] = [Paragraph(f"Invoice {escape(invoice.number)}", title)]
    if invoice.status == Invoice.Status.VOID:
        story.append(
            Paragraph(
                "VOID — this invoice was cancelled and is not payable",
                ParagraphStyle("void", parent=body, textColor=RED, fontSize=13, leading=16),
            )
        )
    meta = [
        ("From", AGENCY_NAME),
        ("Bill to", invoice.client.name),
        ("Status", invoice.get_status_display()),
        ("Period", f"{invoice.period_start.isoformat()} to {invoice.period_end.isoformat()}"),
        ("Issued", invoice.issued_on.isoformat() if invoice.issued_on else "not yet issued"),
        ("Due", invoice.due_on.isoformat() if invoice.due_on else "—"),
        ("Currency", invoice.currency),
    ]
    meta_table = Table([[p(k), p(v)] for k, v in meta], colWidths=[28 * mm, 120 * mm], hAlign="LEFT")
    meta_table.setStyle(
        TableStyle([("TEXTCOLOR", (0, 0), (0, -1), GREY), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story += [meta_table, Spacer(1, 6 * mm)]

    rows: list[list[Any]] = [
        [p("#"), p("Description"), p("Qty", right), p("Rate", right), p("Amount", right)]
    ]
    for number, line in enumerate(lines, start=1):
        rows.append(
            [
                p(number),
                p(line.description),
                p(_qty(line.quantity), right),
                p(f"{to_cents(line.unit_price, invoice.currency):,}", right),
                p(f"{to_cents(line.amount, invoice.currency):,}", right),
            ]
        )
    rows.append(
        ["", p("Subtotal", right), "", "", p(f"{to_cents(invoice.subtotal, invoice.currency):,}", right)]
    )
    rows.append(
        [
            "",
            Paragraph("<b>Total</b>", right),
            "",
            "",
            Paragraph(
                f"<b>{to_cents(invoice.total, invoice.currency):,} {escape(invoice.currency)}</b>", right
            ),
        ]
    )
    table = Table(rows, colWidths=[8 * mm, 100 * mm, 16 * mm, 22 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INDIGO),
                ("LINEABOVE", (0, -2), (-1, -2), 0.5, GREY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -3), [colors.white, colors.HexColor("#f5f6f8")]),
            ]
        )
    )
    story.append(table)
    if invoice.note:
        story += [Spacer(1, 5 * mm), p(invoice.note, body)]
    story += [
        Spacer(1, 5 * mm),
        p(
            "Hours are the client-approved timesheet hours at the bill rate in force on each day; "
            "each line is rounded to the cent.",
            ParagraphStyle("foot", parent=cell, textColor=GREY),
        ),
    ]
    doc.build(story)
    return buffer.getvalue()
