"""Timesheet reads and writes: one sheet per placement per week (Monday start), entries per day, and the
flow draft → submitted → approved (by the client contact) or rejected with a reason → editable again.
Approved sheets are locked.

Who does what:
* recruiters and admins create sheets, enter hours and submit, and may record the approval or rejection
  of the named client contact (the placement's timesheet approver by default);
* a hiring manager assigned to the placement's client approves or rejects in the app;
* the contractor, with no account, enters and submits their own week through a signed link
  (django.core.signing, expiring) that opens only that placement's week.

Every write is audited and runs in a transaction; the validation rules are in placements.timesheets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from cadre.clients.models import Contact
from cadre.core import audit, roles
from cadre.core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog, User
from cadre.core.selectors import is_client_scoped
from cadre.core.services import require_editor, require_user
from cadre.placements import selectors, timesheets
from cadre.placements.models import PayBasis, Placement, Timesheet, TimesheetEntry

Status = Timesheet.Status

LINK_SALT = "cadre.placements.timesheet-link"
DEFAULT_LINK_DAYS = 14
VIA_LINK = "contractor-link"
MIN_REJECT_REASON = 5
MAX_TEXT = 2000
EDITABLE = frozenset({Status.DRAFT, Status.REJECTED})
# Placements that take timesheets: hourly work that has not been cancelled.
TIMESHEET_PLACEMENT_STATUSES = frozenset(
    {
        Placement.Status.PENDING_START,
        Placement.Status.ACTIVE,
        Placement.Status.ENDED,
        Placement.Status.CONVERTED,
    }
)


def link_max_age() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "CADRE_TIMESHEET_LINK_DAYS", DEFAULT_LINK_DAYS)))


def _raise(exc: timesheets.TimesheetError) -> None:
    raise ValidationFailed("; ".join(exc.problems), field=exc.field) from exc


# ---------------------------------------------------------------------------------------------- reads


def visible_placement(user: Any, pk: int) -> Placement:
    """The placement, if the user may see it (placements.selectors scoping; NotFound otherwise)."""
    require_user(user)
    return selectors.get_placement(user, pk)


def timesheets_visible_to(user: Any) -> QuerySet[Timesheet]:
    require_user(user)
    qs = Timesheet.objects.select_related(
        "placement__client",
        "placement__application__person",
        "placement__application__requisition",
        "approved_by_contact",
        "approved_by_user",
        "entered_by",
    ).annotate(
        regular_total=Sum("entries__regular_hours"),
        overtime_total=Sum("entries__overtime_hours"),
        double_total=Sum("entries__double_hours"),
    )
    if is_client_scoped(user):
        qs = qs.filter(placement__client__hiring_managers=user)
    return qs


def get_timesheet(user: Any, pk: int) -> Timesheet:
    sheet = timesheets_visible_to(user).filter(pk=pk).first()
    if sheet is None:
        raise NotFound(f"timesheet {pk} not found")
    return sheet


def awaiting_approval(user: Any) -> QuerySet[Timesheet]:
    """Submitted sheets the user can act on (for a hiring manager: their clients')."""
    return timesheets_visible_to(user).filter(status=Status.SUBMITTED).order_by("week_start", "id")


def entries_by_day(sheet: Timesheet) -> dict[dt.date, TimesheetEntry]:
    return {e.work_date: e for e in sheet.entries.all()}


def is_invoiced(sheet: Timesheet) -> bool:
    return sheet.invoice_lines.exclude(invoice__status="void").exists()


# ---------------------------------------------------------------------------------------------- checks


def can_enter(user: Any) -> bool:
    return roles.can_edit_records(getattr(user, "role", ""))


def is_clients_hiring_manager(user: Any, placement: Placement) -> bool:
    return (
        getattr(user, "role", "") == roles.Role.HIRING_MANAGER
        and placement.client.hiring_managers.filter(pk=user.pk).exists()
    )


def can_approve(user: Any, sheet: Timesheet) -> bool:
    return can_enter(user) or is_clients_hiring_manager(user, sheet.placement)


def _check_not_future(entries: Iterable[Any], what: str) -> None:
    """Hours dated after today cannot be submitted or approved (they have not been worked)."""
    today = timezone.localdate()
    future = timesheets.future_days(entries, today)
    if future:
        days = ", ".join(d.strftime("%a %Y-%m-%d") for d in future)
        raise ValidationFailed(
            f"this timesheet cannot be {what}: it has hours on {days}, after today ({today.isoformat()}); "
            "remove them or wait until the days are worked",
            field="entries",
        )


def _check_placement(placement: Placement) -> None:
    if placement.pay_basis == PayBasis.SALARY:
        raise ValidationFailed("salaried (direct-hire) placements have no timesheets", field="placement")
    if placement.status not in TIMESHEET_PLACEMENT_STATUSES:
        raise Conflict(f"a {placement.get_status_display().lower()} placement takes no timesheets")


# ---------------------------------------------------------------------------------------------- writes


def _bump(sheet: Timesheet, before: dict[str, Any], actor: Any, via: str | None = None) -> None:
    sheet.version += 1
    sheet.save()
    audit.record(
        AuditLog.Action.UPDATE, sheet, before=before, after=audit.snapshot(sheet), actor=actor, via=via
    )


def _locked(sheet: Timesheet) -> Timesheet:
    return (
        # Lock only the sheet: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join.
        Timesheet.objects.select_for_update(of=("self",))
        .select_related("placement__client", "placement__timesheet_approver")
        .get(pk=sheet.pk)
    )


@transaction.atomic
def create_timesheet(actor: Any, placement: Placement, week_start: dt.date) -> Timesheet:
    """Open the placement's sheet for the week starting `week_start` (a Monday inside the placement's
    dates). Creating a week that already exists is a Conflict naming it."""
    user = require_editor(actor)
    _check_placement(placement)
    try:
        timesheets.check_week_start(week_start)
    except timesheets.TimesheetError as exc:
        _raise(exc)
    today = timezone.localdate()
    if week_start > today:
        raise ValidationFailed(
            f"the week of {week_start.isoformat()} has not started yet (today is {today.isoformat()})",
            field="week_start",
        )
    if not timesheets.week_overlaps(week_start, placement.start_date, placement.end_date):
        end = placement.end_date.isoformat() if placement.end_date else "open-ended"
        raise ValidationFailed(
            f"the week of {week_start.isoformat()} is outside the placement "
            f"({placement.start_date.isoformat()} to {end})",
            field="week_start",
        )
    Placement.objects.select_for_update().filter(pk=placement.pk).first()
    existing = Timesheet.objects.filter(placement=placement, week_start=week_start).first()
    if existing is not None:
        raise Conflict(f"the week of {week_start.isoformat()} already has a timesheet (#{existing.pk})")
    sheet = Timesheet(placement=placement, week_start=week_start, entered_by=user)
    sheet.save(force_insert=True)
    audit.record(AuditLog.Action.CREATE, sheet, after=audit.snapshot(sheet), actor=user)
    return sheet


def _write_entries(
    sheet: Timesheet,
    rows: Iterable[Mapping[str, Any]],
    *,
    note: str | None,
    actor: Any,
    via: str | None,
    expected_version: int | None,
) -> Timesheet:
    rows = list(rows)
    if note is not None and len(note) > MAX_TEXT:
        raise ValidationFailed(f"the note is limited to {MAX_TEXT:,} characters", field="note")
    placement = sheet.placement
    try:
        days = timesheets.check_entries(
            sheet.week_start,
            rows,
            placement_start=placement.start_date,
            placement_end=placement.end_date,
            today=timezone.localdate(),
        )
    except timesheets.TimesheetError as exc:
        _raise(exc)
    with transaction.atomic():
        locked = _locked(sheet)
        if expected_version is not None and expected_version != locked.version:
            raise Conflict(
                f"this timesheet was changed by someone else (you edited version {expected_version}, it is "
                f"now version {locked.version}); reload and try again"
            )
        if locked.status not in EDITABLE:
            raise Conflict(
                f"a {locked.get_status_display().lower()} timesheet cannot be edited"
                + (" (approved sheets are locked)" if locked.status == Status.APPROVED else "")
            )
        before = audit.snapshot(locked)
        before["entries"] = [audit.snapshot(e) for e in locked.entries.all()]
        locked.entries.all().delete()
        TimesheetEntry.objects.bulk_create(
            [
                TimesheetEntry(
                    timesheet=locked,
                    work_date=d.work_date,
                    regular_hours=d.regular_hours,
                    overtime_hours=d.overtime_hours,
                    double_hours=d.double_hours,
                    note=d.note,
                )
                for d in days
            ]
        )
        if note is not None:
            locked.note = note.strip()
        if locked.status == Status.REJECTED:
            locked.status = Status.DRAFT  # edited after rejection: a draft again (the reason stays shown)
        if actor is not None:
            locked.entered_by = actor
        locked.version += 1
        locked.save()
        after = audit.snapshot(locked)
        after["entries"] = [audit.snapshot(e) for e in locked.entries.all()]
        audit.record(AuditLog.Action.UPDATE, locked, before=before, after=after, actor=actor, via=via)
    return locked


def save_entries(
    actor: Any,
    sheet: Timesheet,
    rows: Iterable[Mapping[str, Any]],
    *,
    note: str | None = None,
    expected_version: int | None = None,
) -> Timesheet:
    """Replace the week's entries (rows: work_date, regular_hours, overtime_hours, double_hours, note).
    Draft and rejected sheets only; every problem is reported and nothing is saved when one is found."""
    user = require_editor(actor)
    return _write_entries(sheet, rows, note=note, actor=user, via=None, expected_version=expected_version)


def _submit(sheet: Timesheet, actor: Any, via: str | None) -> Timesheet:
    with transaction.atomic():
        locked = _locked(sheet)
        if locked.status not in EDITABLE:
            raise Conflict(f"a {locked.get_status_display().lower()} timesheet cannot be submitted")
        entries = list(locked.entries.all())
        hours = timesheets.totals(entries)
        if hours.total <= 0:
            raise ValidationFailed("enter the week's hours before submitting", field="entries")
        _check_not_future(entries, "submitted")
        before = audit.snapshot(locked)
        locked.status = Status.SUBMITTED
        locked.submitted_at = timezone.now()
        _bump(locked, before, actor, via)
    return locked


def submit_timesheet(actor: Any, sheet: Timesheet) -> Timesheet:
    return _submit(sheet, require_editor(actor), None)


def _decider(actor: Any, sheet: Timesheet, contact: Contact | None) -> tuple[User, Contact | None]:
    """Who approves: the client's hiring manager in person, or a recruiter/admin recording the named
    contact's decision (the placement's timesheet approver when none is given)."""
    user = require_user(actor)
    placement = sheet.placement
    if is_clients_hiring_manager(user, placement):
        if contact is not None and contact.client_id != placement.client_id:
            raise ValidationFailed("the contact is not at this placement's client", field="contact")
        return user, contact
    if not can_enter(user):
        raise Forbidden(f"a {user.role_label.lower()} may not approve or reject timesheets")
    contact = contact or placement.timesheet_approver
    if contact is None:
        raise ValidationFailed(
            "name the client contact whose decision you are recording (this placement has no timesheet "
            "approver)",
            field="contact",
        )
    if contact.client_id != placement.client_id:
        raise ValidationFailed("the contact is not at this placement's client", field="contact")
    return user, contact


def approve_timesheet(actor: Any, sheet: Timesheet, *, contact: Contact | None = None) -> Timesheet:
    """Approve a submitted sheet; it is locked from then on (and can be invoiced)."""
    with transaction.atomic():
        locked = _locked(sheet)
        user, contact = _decider(actor, locked, contact)
        if locked.status != Status.SUBMITTED:
            raise Conflict(f"only submitted timesheets can be approved (this one is {locked.status})")
        _check_not_future(locked.entries.all(), "approved")
        before = audit.snapshot(locked)
        locked.status = Status.APPROVED
        locked.approved_by_user = user
        locked.approved_by_contact = contact
        locked.approved_at = timezone.now()
        locked.rejection_reason = ""
        _bump(locked, before, user)
    return locked


def reject_timesheet(
    actor: Any, sheet: Timesheet, reason: str, *, contact: Contact | None = None
) -> Timesheet:
    """Send a submitted sheet back with a reason; it becomes editable again."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REJECT_REASON:
        raise ValidationFailed("say why the timesheet is rejected", field="reason")
    if len(reason) > MAX_TEXT:
        raise ValidationFailed(f"the reason is limited to {MAX_TEXT:,} characters", field="reason")
    with transaction.atomic():
        locked = _locked(sheet)
        user, contact = _decider(actor, locked, contact)
        if locked.status != Status.SUBMITTED:
            raise Conflict(f"only submitted timesheets can be rejected (this one is {locked.status})")
        before = audit.snapshot(locked)
        locked.status = Status.REJECTED
        locked.rejection_reason = reason
        locked.approved_by_user = None
        locked.approved_by_contact = contact
        locked.approved_at = None
        _bump(locked, before, user)
    return locked


def recall_timesheet(actor: Any, sheet: Timesheet) -> Timesheet:
    """A recruiter takes a submitted (not yet decided) sheet back to draft to correct it."""
    user = require_editor(actor)
    with transaction.atomic():
        locked = _locked(sheet)
        if locked.status != Status.SUBMITTED:
            raise Conflict(f"only submitted timesheets can be recalled (this one is {locked.status})")
        before = audit.snapshot(locked)
        locked.status = Status.DRAFT
        locked.submitted_at = None
        _bump(locked, before, user)
    return locked


# ------------------------------------------------------------------------------------ contractor links


def issue_contractor_link(actor: Any, sheet: Timesheet) -> str:
    """A signed token opening this one week for the contractor (no account), valid for
    CADRE_TIMESHEET_LINK_DAYS days (14 by default). Issuing is audited."""
    user = require_editor(actor)
    if sheet.status not in EDITABLE:
        raise Conflict(f"a {sheet.get_status_display().lower()} timesheet cannot be edited by the contractor")
    token = signing.dumps(
        {"t": sheet.pk, "p": sheet.placement_id, "w": sheet.week_start.isoformat()}, salt=LINK_SALT
    )
    audit.record(
        AuditLog.Action.UPDATE,
        sheet,
        before=None,
        after={"contractor_link_issued": timezone.now().isoformat(), "valid_days": link_max_age().days},
        actor=user,
    )
    return token


def timesheet_from_link(token: str) -> Timesheet:
    """The sheet a contractor link opens. An expired link is Forbidden (with how to get a new one); a
    tampered or unknown one is NotFound."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=link_max_age())
    except signing.SignatureExpired as exc:
        raise Forbidden("this timesheet link has expired; ask your recruiter for a new one") from exc
    except signing.BadSignature as exc:
        raise NotFound("timesheet link not recognised") from exc
    if not isinstance(data, dict) or not isinstance(data.get("t"), int) or not isinstance(data.get("p"), int):
        raise NotFound("timesheet link not recognised")
    sheet = (
        Timesheet.objects.select_related("placement__client", "placement__application__person")
        .filter(pk=data["t"], placement_id=data["p"])
        .first()
    )
    if sheet is None or sheet.week_start.isoformat() != data.get("w"):
        raise NotFound("timesheet link not recognised")
    return sheet


def contractor_save(token: str, rows: Iterable[Mapping[str, Any]], *, note: str | None = None) -> Timesheet:
    sheet = timesheet_from_link(token)
    return _write_entries(sheet, rows, note=note, actor=None, via=VIA_LINK, expected_version=None)


def contractor_submit(token: str) -> Timesheet:
    return _submit(timesheet_from_link(token), None, VIA_LINK)


# ---------------------------------------------------------------------------------------------- summaries


def placement_weeks(placement: Placement, *, today: dt.date | None = None) -> list[dt.date]:
    """Mondays of the placement's weeks up to this week (or its end), newest first, for the week picker."""
    today = today or timezone.localdate()
    first = timesheets.week_start_of(placement.start_date)
    last = timesheets.week_start_of(min(placement.end_date or today, today))
    weeks: list[dt.date] = []
    day = last
    while day >= first and len(weeks) < 520:
        weeks.append(day)
        day -= dt.timedelta(days=7)
    return weeks


def missing_weeks(placement: Placement, *, today: dt.date | None = None) -> list[dt.date]:
    have = set(Timesheet.objects.filter(placement=placement).values_list("week_start", flat=True))
    return [w for w in placement_weeks(placement, today=today) if w not in have]
