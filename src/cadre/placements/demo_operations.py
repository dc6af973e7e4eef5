"""Demo data for the operations side of placements: weekly timesheets and client invoices for the demo's
placements, written through the services (so they are validated and audited like real ones).

`seed_operations(rng, placements)` is called by `cadre demo` after the placements exist. Deterministic for
a seeded `rng` and a given "today": hours vary a little around the schedule, now and then with overtime;
weeks before last are approved, last week is submitted, this week is a draft; each client gets one
invoice per past month with approved hours, the older ones issued and paid.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cadre.clients.models import Contact
from cadre.core.exceptions import CadreError
from cadre.core.models import User
from cadre.placements import invoice_services, timesheet_services, timesheets
from cadre.placements.models import Invoice, PayBasis, Placement, Timesheet

MAX_WEEKS = 12
HOURS_CHOICES = ("8", "8", "8", "8", "7.5", "8.5", "9")


@dataclass
class OperationsSummary:
    timesheets: int = 0
    approved: int = 0
    invoices: int = 0
    invoiced_total: Decimal = Decimal(0)
    skipped: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "timesheets": self.timesheets,
            "approved": self.approved,
            "invoices": self.invoices,
            "invoiced_total": str(self.invoiced_total),
            "skipped": self.skipped,
        }


def _editor(placement: Placement) -> User | None:
    if placement.recruiter is not None and placement.recruiter.role in ("admin", "recruiter"):
        return placement.recruiter
    return User.objects.filter(role__in=("admin", "recruiter"), is_active=True).order_by("pk").first()


def _approver(placement: Placement, editor: User) -> tuple[User, Contact | None]:
    manager = placement.client.hiring_managers.filter(is_active=True).order_by("pk").first()
    if manager is not None:
        return manager, None
    contact = (
        placement.timesheet_approver or Contact.objects.filter(client=placement.client).order_by("pk").first()
    )
    return editor, contact


def _week_rows(
    rng: random.Random, sheet: Timesheet, placement: Placement, today: dt.date
) -> list[dict[str, str]]:
    rows = []
    for day in timesheets.week_days(sheet.week_start)[:5]:
        if day < placement.start_date or (placement.end_date and day > placement.end_date) or day > today:
            continue
        if rng.random() < 0.04:  # a day off now and then
            continue
        overtime = rng.choice(("0", "0", "0", "0", "1", "2")) if rng.random() < 0.25 else "0"
        rows.append(
            {
                "work_date": day.isoformat(),
                "regular_hours": rng.choice(HOURS_CHOICES),
                "overtime_hours": overtime,
            }
        )
    return rows


def _seed_timesheets(
    rng: random.Random, placement: Placement, today: dt.date, summary: OperationsSummary
) -> None:
    editor = _editor(placement)
    if editor is None:
        summary.skipped.append(f"placement #{placement.pk}: no recruiter to enter hours")
        return
    this_week = timesheets.week_start_of(today)
    weeks = [w for w in timesheet_services.placement_weeks(placement, today=today)][:MAX_WEEKS]
    for week in sorted(weeks):
        if Timesheet.objects.filter(placement=placement, week_start=week).exists():
            continue
        try:
            sheet = timesheet_services.create_timesheet(editor, placement, week)
            rows = _week_rows(rng, sheet, placement, today)
            if not rows:
                continue
            sheet = timesheet_services.save_entries(editor, sheet, rows)
            summary.timesheets += 1
            if week == this_week:
                continue  # this week: still a draft
            sheet = timesheet_services.submit_timesheet(editor, sheet)
            if week == this_week - dt.timedelta(days=7):
                continue  # last week: waiting for the client
            approver, contact = _approver(placement, editor)
            if approver is editor and contact is None:
                continue  # nobody at the client to approve
            timesheet_services.approve_timesheet(approver, sheet, contact=contact)
            summary.approved += 1
        except CadreError as exc:
            summary.skipped.append(f"placement #{placement.pk} week of {week.isoformat()}: {exc.message}")


def _months_before(today: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    months = []
    end = today.replace(day=1) - dt.timedelta(days=1)
    for _ in range(count):
        start = end.replace(day=1)
        months.append((start, end))
        end = start - dt.timedelta(days=1)
    return list(reversed(months))


def _seed_invoices(
    rng: random.Random, placements: list[Placement], today: dt.date, summary: OperationsSummary
) -> None:
    by_client: dict[int, list[Placement]] = defaultdict(list)
    for p in placements:
        by_client[p.client_id].append(p)
    months = _months_before(today, 4)
    for client_placements in by_client.values():
        client = client_placements[0].client
        editor = next((e for e in (_editor(p) for p in client_placements) if e is not None), None)
        if editor is None:
            continue
        for index, (start, end) in enumerate(months):
            try:
                invoice, _warnings = invoice_services.generate_invoice(editor, client, start, end)
            except CadreError:
                continue  # nothing approved in that month
            summary.invoices += 1
            summary.invoiced_total += invoice.total
            issued_on = min(end + dt.timedelta(days=rng.randint(1, 5)), today)
            if index < len(months) - 1 or rng.random() < 0.5:
                invoice = invoice_services.issue_invoice(editor, invoice, issued_on=issued_on)
                paid_on = issued_on + dt.timedelta(days=rng.randint(14, 40))
                if invoice.status == Invoice.Status.ISSUED and paid_on <= today and index < len(months) - 2:
                    invoice_services.mark_paid(editor, invoice, paid_on=paid_on)


def seed_operations(
    rng: random.Random, placements: Iterable[Placement], *, today: dt.date | None = None
) -> OperationsSummary:
    """Timesheets (up to the last 12 weeks of each hourly placement that has started) and monthly invoices
    for the given placements. Safe to run twice: weeks that exist are left alone, and invoiced
    timesheets are never invoiced again."""
    today = today or timezone.localdate()
    summary = OperationsSummary()
    hourly = [
        p
        for p in placements
        if p.pay_basis == PayBasis.HOURLY
        and p.start_date <= today
        and p.status in timesheet_services.TIMESHEET_PLACEMENT_STATUSES
    ]
    hourly.sort(key=lambda p: p.pk)
    for placement in hourly:
        _seed_timesheets(rng, placement, today, summary)
    _seed_invoices(rng, hourly, today, summary)
    return summary
