"""Client invoices: generate from approved, not-yet-invoiced timesheets and fees due in a period; issue,
void, mark paid. Hiring managers read their clients' invoices only; recruiters and admins write.

Numbering is INV-YYYY-NNNNN, one sequence per calendar year, without gaps: the next number is taken
(max + 1) inside the same transaction that writes the invoice, under a lock (an advisory transaction lock
on PostgreSQL; SQLite runs write transactions one at a time — IMMEDIATE mode), so two concurrent
generations never share a number and a rolled-back one leaves no hole. Voided invoices keep their
number (an audit trail needs the hole explained, not hidden).

A timesheet is invoiced at most once: its rows are locked and the ones already on a non-void invoice
are skipped. Voiding an invoice releases its timesheets and fees to be invoiced again.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Length
from django.utils import timezone

from cadre.clients.models import Client
from cadre.core import audit
from cadre.core.exceptions import Conflict, NotFound, ValidationFailed
from cadre.core.models import AuditLog
from cadre.core.selectors import is_client_scoped
from cadre.core.services import require_editor, require_user
from cadre.placements import invoicing
from cadre.placements.models import (
    Fee,
    Invoice,
    InvoiceLine,
    Placement,
    RateCard,
    Timesheet,
    TimesheetEntry,
)

Status = Invoice.Status
MAX_NOTE = 2000
MIN_VOID_REASON = 5
NUMBER_LOCK_KEY = zlib.crc32(b"cadre.placements.invoice-number")


# ---------------------------------------------------------------------------------------------- reads


# What a client's hiring manager sees: the agency's drafts are work in progress, not yet sent to the client.
CLIENT_VISIBLE_STATUSES = (Status.ISSUED, Status.PAID, Status.VOID)


def invoices_visible_to(user: Any) -> QuerySet[Invoice]:
    """Every invoice for the agency; for a hiring manager, their clients' issued, paid and void invoices
    (drafts stay internal until issued: a draft is NotFound to them)."""
    require_user(user)
    qs = Invoice.objects.select_related("client", "created_by")
    if is_client_scoped(user):
        qs = qs.filter(client__hiring_managers=user, status__in=CLIENT_VISIBLE_STATUSES)
    return qs


def get_invoice(user: Any, pk: int) -> Invoice:
    invoice = (
        invoices_visible_to(user)
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=InvoiceLine.objects.select_related(
                    "placement__application__person", "timesheet", "fee", "rate_card"
                ).order_by("id"),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if invoice is None:
        raise NotFound(f"invoice {pk} not found")
    return invoice


def invoiced_timesheet_ids(timesheet_ids: list[int]) -> set[int]:
    return set(
        InvoiceLine.objects.filter(timesheet_id__in=timesheet_ids)
        .exclude(invoice__status=Status.VOID)
        .values_list("timesheet_id", flat=True)
    )


def _candidate_sheets(client: Client, period_start: dt.date, period_end: dt.date, currency: str) -> Any:
    earliest = period_start - dt.timedelta(days=6)
    return Timesheet.objects.filter(
        placement__client=client,
        placement__currency=currency,
        week_start__gte=earliest,
        week_start__lte=period_end,
    )


@dataclass
class Preview:
    """What an invoice for the period would hold, without writing: the lines, and what was left out."""

    client: Client
    period_start: dt.date
    period_end: dt.date
    currency: str
    draft: invoicing.InvoiceDraft
    timesheets: list[Timesheet] = field(default_factory=list)
    fees: list[Fee] = field(default_factory=list)
    not_approved: list[Timesheet] = field(default_factory=list)
    already_invoiced: int = 0

    @property
    def empty(self) -> bool:
        return not self.draft.lines

    @property
    def warnings(self) -> list[str]:
        out = []
        if self.not_approved:
            weeks = ", ".join(
                f"{t.placement.application.person.full_name} week of {t.week_start.isoformat()} "
                f"({t.get_status_display().lower()})"
                for t in self.not_approved[:8]
            )
            more = f" and {len(self.not_approved) - 8} more" if len(self.not_approved) > 8 else ""
            out.append(f"{len(self.not_approved)} timesheet(s) in the period are not approved: {weeks}{more}")
        return out


def _label(placement: Placement) -> str:
    return f"{placement.application.person.full_name} ({placement.application.requisition.title})"


def _rates(cards: list[RateCard]) -> list[invoicing.RateIn]:
    return [
        invoicing.RateIn(
            id=c.pk,
            effective_from=c.effective_from,
            bill_regular=c.bill_regular,
            bill_overtime=c.bill_overtime,
            bill_double=c.bill_double,
            currency=c.currency,
        )
        for c in cards
    ]


def build_preview(
    client: Client, period_start: dt.date, period_end: dt.date, *, currency: str = "USD", lock: bool = False
) -> Preview:
    """The lines an invoice for the client and period would carry: approved timesheets whose week ends in
    the period and are on no other (non-void) invoice, and pending fees due in the period."""
    try:
        invoicing.check_period(period_start, period_end)
    except invoicing.InvoicingError as exc:
        raise ValidationFailed(str(exc), field="period_end") from exc
    sheets_qs = _candidate_sheets(client, period_start, period_end, currency).select_related(
        "placement__application__person", "placement__application__requisition"
    )
    if lock:
        sheets_qs = sheets_qs.select_for_update(of=("self",))
    in_period = [
        s
        for s in sheets_qs.order_by("placement_id", "week_start")
        if invoicing.week_in_period(s.week_start, period_start, period_end)
    ]
    approved = [s for s in in_period if s.status == Timesheet.Status.APPROVED]
    not_approved = [s for s in in_period if s.status != Timesheet.Status.APPROVED]
    taken = invoiced_timesheet_ids([s.pk for s in approved])
    sheets = [s for s in approved if s.pk not in taken]

    fees_qs = Fee.objects.filter(
        placement__client=client,
        currency=currency,
        status=Fee.Status.PENDING,
        due_on__gte=period_start,
        due_on__lte=period_end,
    ).select_related("placement__application__person", "placement__application__requisition")
    if lock:
        fees_qs = fees_qs.select_for_update(of=("self",))
    fees = list(fees_qs.order_by("due_on", "id"))

    cards_by_placement: dict[int, list[RateCard]] = defaultdict(list)
    for card in RateCard.objects.filter(placement_id__in={s.placement_id for s in sheets}):
        cards_by_placement[card.placement_id].append(card)

    entries_by_sheet: dict[int, list[TimesheetEntry]] = defaultdict(list)
    for e in TimesheetEntry.objects.filter(timesheet__in=sheets).order_by("work_date"):
        entries_by_sheet[e.timesheet_id].append(e)

    draft = invoicing.InvoiceDraft(currency=currency)
    try:
        for sheet in sheets:
            entries = [
                invoicing.EntryIn(
                    timesheet_id=sheet.pk,
                    placement_id=sheet.placement_id,
                    work_date=e.work_date,
                    regular_hours=e.regular_hours,
                    overtime_hours=e.overtime_hours,
                    double_hours=e.double_hours,
                )
                for e in entries_by_sheet[sheet.pk]
            ]
            draft.lines.extend(
                invoicing.hour_lines(
                    entries,
                    _rates(cards_by_placement[sheet.placement_id]),
                    currency=currency,
                    label=_label(sheet.placement),
                    week_of=sheet.week_start,
                )
            )
        for fee in fees:
            draft.lines.append(
                invoicing.fee_line(
                    invoicing.FeeIn(
                        fee.pk, fee.placement_id, fee.label, fee.amount, fee.due_on, fee.currency
                    ),
                    currency=currency,
                    label=_label(fee.placement),
                )
            )
    except invoicing.InvoicingError as exc:
        raise ValidationFailed(str(exc)) from exc
    return Preview(
        client=client,
        period_start=period_start,
        period_end=period_end,
        currency=currency,
        draft=draft,
        timesheets=sheets,
        fees=fees,
        not_approved=not_approved,
        already_invoiced=len(taken),
    )


# ---------------------------------------------------------------------------------------------- numbering


def _required(value: int | None) -> int:
    if value is None:
        raise AssertionError("invoice lines always name their placement")
    return value


def _lock_numbering() -> None:
    """Serialise invoice numbering for the rest of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NUMBER_LOCK_KEY])
    # SQLite: write transactions are IMMEDIATE (settings), so they already run one at a time.


def next_number(year: int) -> str:
    """The next number of the year's sequence. Call inside the transaction that inserts the invoice,
    after `_lock_numbering()`."""
    prefix = f"INV-{year:04d}-"
    last = (
        Invoice.objects.filter(number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    parsed = invoicing.parse_number(last) if last else None
    return invoicing.format_number(year, (parsed[1] if parsed else 0) + 1)


# ---------------------------------------------------------------------------------------------- writes


def _today() -> dt.date:
    return timezone.localdate()


def generate_invoice(
    actor: Any,
    client: Client,
    period_start: dt.date,
    period_end: dt.date,
    *,
    currency: str = "USD",
    note: str = "",
) -> tuple[Invoice, list[str]]:
    """Write a draft invoice for the client and period (see `build_preview`), numbered in the same
    transaction; fees on it become invoiced. Returns the invoice and warnings (e.g. weeks not approved).
    Nothing to invoice is a ValidationFailed; nothing is written then."""
    user = require_editor(actor)
    currency = (currency or "USD").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationFailed("currency must be a three-letter code", field="currency")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed(f"the note is limited to {MAX_NOTE:,} characters", field="note")
    for attempt in range(3):
        try:
            with transaction.atomic():
                _lock_numbering()
                preview = build_preview(client, period_start, period_end, currency=currency, lock=True)
                if preview.empty:
                    detail = "; ".join(preview.warnings)
                    raise ValidationFailed(
                        f"nothing to invoice for {client.name} from {period_start.isoformat()} to "
                        f"{period_end.isoformat()}: no approved, uninvoiced timesheets and no fees due"
                        + (f" ({detail})" if detail else "")
                    )
                invoice = Invoice(
                    client=client,
                    number=next_number(_today().year),
                    currency=currency,
                    period_start=period_start,
                    period_end=period_end,
                    subtotal=preview.draft.subtotal,
                    total=preview.draft.total,
                    note=note,
                    created_by=user,
                )
                invoice.save(force_insert=True)
                lines = [
                    InvoiceLine(
                        invoice=invoice,
                        kind=line.kind,
                        placement_id=_required(line.placement_id),
                        timesheet_id=line.timesheet_id,
                        fee_id=line.fee_id,
                        rate_card_id=line.rate_card_id,
                        description=line.description,
                        quantity=line.quantity,
                        unit_price=line.unit_price,
                        amount=line.amount,
                    )
                    for line in preview.draft.lines
                ]
                InvoiceLine.objects.bulk_create(lines)
                after = audit.snapshot(invoice)
                after["lines"] = [line.to_dict() for line in preview.draft.lines]
                after["version"] = invoicing.INVOICING_VERSION
                audit.record(AuditLog.Action.CREATE, invoice, after=after, actor=user)
                for fee in preview.fees:
                    before = audit.snapshot(fee)
                    fee.status = Fee.Status.INVOICED
                    fee.save(update_fields=["status"])
                    audit.record(
                        AuditLog.Action.UPDATE, fee, before=before, after=audit.snapshot(fee), actor=user
                    )
                return invoice, preview.warnings
        except IntegrityError:
            # Another writer took the number first (a database without the lock): try the next one.
            if attempt == 2:
                raise Conflict("could not number the invoice; try again") from None
    raise AssertionError("unreachable")


def _locked(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().select_related("client").get(pk=invoice.pk)


def _save(invoice: Invoice, before: dict[str, Any], actor: Any) -> None:
    invoice.save()
    audit.record(AuditLog.Action.UPDATE, invoice, before=before, after=audit.snapshot(invoice), actor=actor)


def issue_invoice(
    actor: Any,
    invoice: Invoice,
    *,
    issued_on: dt.date | None = None,
    terms_days: int = invoicing.DEFAULT_TERMS_DAYS,
) -> Invoice:
    """Draft → issued; due `terms_days` after the issue date (net 30 by default)."""
    user = require_editor(actor)
    if not 0 <= terms_days <= 180:
        raise ValidationFailed("payment terms are 0 to 180 days", field="terms_days")
    with transaction.atomic():
        locked = _locked(invoice)
        if locked.status != Status.DRAFT:
            raise Conflict(f"only a draft invoice can be issued ({locked.number} is {locked.status})")
        issued_on = issued_on or _today()
        if issued_on < locked.period_start:
            raise ValidationFailed("an invoice cannot be issued before its period starts", field="issued_on")
        before = audit.snapshot(locked)
        locked.status = Status.ISSUED
        locked.issued_on = issued_on
        locked.due_on = issued_on + dt.timedelta(days=terms_days)
        _save(locked, before, user)
    return locked


def void_invoice(actor: Any, invoice: Invoice, reason: str) -> Invoice:
    """Draft or issued → void, with a reason. Its timesheets can be invoiced again; its fees go back to
    pending. A paid invoice cannot be voided (issue a credit instead)."""
    user = require_editor(actor)
    reason = (reason or "").strip()
    if len(reason) < MIN_VOID_REASON:
        raise ValidationFailed("say why the invoice is voided", field="reason")
    if len(reason) > MAX_NOTE:
        raise ValidationFailed(f"the reason is limited to {MAX_NOTE:,} characters", field="reason")
    with transaction.atomic():
        locked = _locked(invoice)
        if locked.status not in {Status.DRAFT, Status.ISSUED}:
            raise Conflict(f"a {locked.get_status_display().lower()} invoice cannot be voided")
        before = audit.snapshot(locked)
        locked.status = Status.VOID
        stamp = f"Voided {_today().isoformat()}: {reason}"
        locked.note = f"{locked.note}\n{stamp}".strip()[: MAX_NOTE * 2]
        _save(locked, before, user)
        for fee in Fee.objects.select_for_update().filter(
            invoice_lines__invoice=locked, status=Fee.Status.INVOICED
        ):
            fee_before = audit.snapshot(fee)
            fee.status = Fee.Status.PENDING
            fee.save(update_fields=["status"])
            audit.record(
                AuditLog.Action.UPDATE, fee, before=fee_before, after=audit.snapshot(fee), actor=user
            )
    return locked


def mark_paid(actor: Any, invoice: Invoice, *, paid_on: dt.date | None = None) -> Invoice:
    """Issued → paid; its fees become paid. The payment date is noted on the invoice and in the audit."""
    user = require_editor(actor)
    with transaction.atomic():
        locked = _locked(invoice)
        if locked.status != Status.ISSUED:
            raise Conflict(f"only an issued invoice can be marked paid ({locked.number} is {locked.status})")
        paid_on = paid_on or _today()
        if locked.issued_on and paid_on < locked.issued_on:
            raise ValidationFailed("payment cannot predate the issue date", field="paid_on")
        before = audit.snapshot(locked)
        locked.status = Status.PAID
        locked.note = f"{locked.note}\nPaid {paid_on.isoformat()}".strip()
        _save(locked, before, user)
        for fee in Fee.objects.select_for_update().filter(
            invoice_lines__invoice=locked, status=Fee.Status.INVOICED
        ):
            fee_before = audit.snapshot(fee)
            fee.status = Fee.Status.PAID
            fee.save(update_fields=["status"])
            audit.record(
                AuditLog.Action.UPDATE, fee, before=fee_before, after=audit.snapshot(fee), actor=user
            )
    return locked


def clients_to_invoice(user: Any) -> QuerySet[Client]:
    """Clients with at least one hourly or fee-bearing placement (for the generate form)."""
    require_editor(user)
    return Client.objects.filter(placements__isnull=False).distinct().order_by("name")
