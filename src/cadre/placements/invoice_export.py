"""An invoice as CSV (one row per line, every row carrying the invoice's header fields so the file stands
on its own in a spreadsheet or an accounting import) and as a PDF (reportlab).

CSV cells that a spreadsheet would run as a formula (text starting with =, +, -, @, or a tab or carriage
return) are prefixed with an apostrophe (OWASP's CSV-injection advice): descriptions carry people's and
requisitions' names, which are user input. Amounts are written as plain decimals and never escaped.
"""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cadre.placements.models import Invoice, InvoiceLine

CENT = Decimal("0.01")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
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


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells; numbers and dates pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def _qty(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


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
            "unit_price": f"{Decimal(line.unit_price).normalize():f}",
            "amount": _money(line.amount),
        }
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    writer.writerow(
        {k: safe_cell(v) for k, v in head.items()}
        | {"kind": "total", "description": "Total", "amount": _money(invoice.total)}
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
                p(f"{Decimal(line.unit_price).quantize(CENT, rounding=ROUND_HALF_UP):,}", right),
                p(f"{Decimal(line.amount):,.2f}", right),
            ]
        )
    rows.append(["", p("Subtotal", right), "", "", p(f"{Decimal(invoice.subtotal):,.2f}", right)])
    rows.append(
        [
            "",
            Paragraph("<b>Total</b>", right),
            "",
            "",
            Paragraph(f"<b>{Decimal(invoice.total):,.2f} {escape(invoice.currency)}</b>", right),
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
