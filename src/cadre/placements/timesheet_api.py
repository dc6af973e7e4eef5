"""Placements REST endpoints: weekly timesheets.

GET  /api/placements/{id}/timesheets          the placement's weeks
POST /api/placements/{id}/timesheets          {"week_start": "2026-03-02"} (a Monday)
GET  /api/timesheets/{id}                     one week with its entries
PUT  /api/timesheets/{id}/entries             {"entries": [{"work_date", "regular_hours", ...}], "version"}
POST /api/timesheets/{id}/submit | recall
POST /api/timesheets/{id}/approve             {"contact_id": 5} (recruiters record the contact's approval)
POST /api/timesheets/{id}/reject              {"reason": "...", "contact_id": 5}

Overtime and double time are what the contractor enters; nothing is reclassified.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from cadre.api.schemas import ERRORS, StrictIn
from cadre.clients.models import Contact
from cadre.core.exceptions import ValidationFailed
from cadre.placements import timesheet_services as svc
from cadre.placements import timesheets
from cadre.placements.models import Timesheet

router = Router(tags=["placements"])

Hours = Decimal


class EntryIn(StrictIn):
    work_date: dt.date
    regular_hours: Hours = Field(Decimal(0), ge=0, le=24, decimal_places=2)
    overtime_hours: Hours = Field(Decimal(0), ge=0, le=24, decimal_places=2)
    double_hours: Hours = Field(Decimal(0), ge=0, le=24, decimal_places=2)
    note: str = Field("", max_length=200)


class EntryOut(Schema):
    work_date: dt.date
    regular_hours: Decimal
    overtime_hours: Decimal
    double_hours: Decimal
    note: str


class TimesheetOut(Schema):
    id: int
    placement_id: int
    week_start: dt.date
    status: str
    version: int
    regular_hours: Decimal
    overtime_hours: Decimal
    double_hours: Decimal
    total_hours: Decimal
    note: str
    rejection_reason: str
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    approved_by_user: str | None
    approved_by_contact: str | None
    invoiced: bool
    entries: list[EntryOut]


class CreateIn(StrictIn):
    week_start: dt.date


class EntriesIn(StrictIn):
    entries: list[EntryIn] = Field(..., max_length=7)
    note: str | None = Field(None, max_length=2000)
    version: int | None = Field(None, ge=1, description="The version you read (409 if it changed)")


class DecisionIn(StrictIn):
    contact_id: int | None = None


class RejectIn(StrictIn):
    reason: str = Field(..., max_length=2000)
    contact_id: int | None = None


def _out(sheet: Timesheet) -> dict[str, Any]:
    entries = list(sheet.entries.all())
    totals = timesheets.totals(entries)
    return {
        "id": sheet.pk,
        "placement_id": sheet.placement_id,
        "week_start": sheet.week_start,
        "status": sheet.status,
        "version": sheet.version,
        "regular_hours": totals.regular,
        "overtime_hours": totals.overtime,
        "double_hours": totals.double,
        "total_hours": totals.total,
        "note": sheet.note,
        "rejection_reason": sheet.rejection_reason,
        "submitted_at": sheet.submitted_at,
        "approved_at": sheet.approved_at,
        "approved_by_user": sheet.approved_by_user.username if sheet.approved_by_user else None,
        "approved_by_contact": sheet.approved_by_contact.name if sheet.approved_by_contact else None,
        "invoiced": svc.is_invoiced(sheet),
        "entries": [
            {
                "work_date": e.work_date,
                "regular_hours": e.regular_hours,
                "overtime_hours": e.overtime_hours,
                "double_hours": e.double_hours,
                "note": e.note,
            }
            for e in entries
        ],
    }


def _contact(sheet: Timesheet, contact_id: int | None) -> Contact | None:
    if contact_id is None:
        return None
    contact = Contact.objects.filter(pk=contact_id, client_id=sheet.placement.client_id).first()
    if contact is None:
        raise ValidationFailed("that contact is not at this placement's client", field="contact_id")
    return contact


def _fresh(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _out(svc.get_timesheet(request.user, pk))


@router.get("placements/{placement_id}/timesheets", response={200: list[TimesheetOut], **ERRORS})
def list_timesheets(request: HttpRequest, placement_id: int) -> list[dict[str, Any]]:
    placement = svc.visible_placement(request.user, placement_id)
    sheets = svc.timesheets_visible_to(request.user).filter(placement=placement).order_by("-week_start")
    return [_out(s) for s in sheets.prefetch_related("entries")]


@router.post("placements/{placement_id}/timesheets", response={201: TimesheetOut, **ERRORS})
def create_timesheet(request: HttpRequest, placement_id: int, payload: CreateIn) -> Status:
    placement = svc.visible_placement(request.user, placement_id)
    sheet = svc.create_timesheet(request.user, placement, payload.week_start)
    return Status(201, _fresh(request, sheet.pk))


@router.get("timesheets/{timesheet_id}", response={200: TimesheetOut, **ERRORS})
def get_timesheet(request: HttpRequest, timesheet_id: int) -> dict[str, Any]:
    return _fresh(request, timesheet_id)


@router.put("timesheets/{timesheet_id}/entries", response={200: TimesheetOut, **ERRORS})
def put_entries(request: HttpRequest, timesheet_id: int, payload: EntriesIn) -> dict[str, Any]:
    """Replace the week's entries; every problem is reported (422) and nothing is saved if one is found."""
    sheet = svc.get_timesheet(request.user, timesheet_id)
    rows = [e.model_dump() for e in payload.entries]
    svc.save_entries(request.user, sheet, rows, note=payload.note, expected_version=payload.version)
    return _fresh(request, timesheet_id)


@router.post("timesheets/{timesheet_id}/submit", response={200: TimesheetOut, **ERRORS})
def submit(request: HttpRequest, timesheet_id: int) -> dict[str, Any]:
    svc.submit_timesheet(request.user, svc.get_timesheet(request.user, timesheet_id))
    return _fresh(request, timesheet_id)


@router.post("timesheets/{timesheet_id}/recall", response={200: TimesheetOut, **ERRORS})
def recall(request: HttpRequest, timesheet_id: int) -> dict[str, Any]:
    svc.recall_timesheet(request.user, svc.get_timesheet(request.user, timesheet_id))
    return _fresh(request, timesheet_id)


@router.post("timesheets/{timesheet_id}/approve", response={200: TimesheetOut, **ERRORS})
def approve(request: HttpRequest, timesheet_id: int, payload: DecisionIn) -> dict[str, Any]:
    sheet = svc.get_timesheet(request.user, timesheet_id)
    svc.approve_timesheet(request.user, sheet, contact=_contact(sheet, payload.contact_id))
    return _fresh(request, timesheet_id)


@router.post("timesheets/{timesheet_id}/reject", response={200: TimesheetOut, **ERRORS})
def reject(request: HttpRequest, timesheet_id: int, payload: RejectIn) -> dict[str, Any]:
    sheet = svc.get_timesheet(request.user, timesheet_id)
    svc.reject_timesheet(request.user, sheet, payload.reason, contact=_contact(sheet, payload.contact_id))
    return _fresh(request, timesheet_id)
