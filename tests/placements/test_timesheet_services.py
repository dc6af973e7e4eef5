"""Timesheets in the database: the draft → submitted → approved/rejected flow, who may do what, contractor
links, locking and the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import signing
from django.test import override_settings
from tests.placements.operations_helpers import MONDAY, make_placement

from cadre.clients.models import Contact
from cadre.core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog
from cadre.placements import timesheet_services as svc
from cadre.placements.models import Timesheet, TimesheetEntry

pytestmark = pytest.mark.django_db


def rows(*hours, start=MONDAY):
    return [
        {"work_date": (start + dt.timedelta(days=i)).isoformat(), "regular_hours": h}
        for i, h in enumerate(hours)
    ]


@pytest.fixture
def placement(tenant_a, recruiter):
    return make_placement(tenant_a, recruiter, end=dt.date(2026, 6, 30))


@pytest.fixture
def contact(tenant_a):
    return Contact.objects.create(client=tenant_a.client, name="Dana Ortiz", email="dana@example.org")


@pytest.fixture
def sheet(placement, recruiter):
    return svc.create_timesheet(recruiter, placement, MONDAY)


def test_create_validates_monday_and_placement_dates_and_one_per_week(placement, recruiter):
    with pytest.raises(ValidationFailed, match="is a Tuesday"):
        svc.create_timesheet(recruiter, placement, MONDAY + dt.timedelta(days=1))
    with pytest.raises(ValidationFailed, match="outside the placement"):
        svc.create_timesheet(recruiter, placement, dt.date(2026, 2, 23))
    sheet = svc.create_timesheet(recruiter, placement, MONDAY)
    assert sheet.status == "draft" and sheet.entered_by == recruiter
    with pytest.raises(Conflict, match="already has a timesheet"):
        svc.create_timesheet(recruiter, placement, MONDAY)


def test_salaried_placements_take_no_timesheets(tenant_a, recruiter):
    direct = make_placement(tenant_a, recruiter, engagement_type="direct_hire", pay=None, bill=None)
    with pytest.raises(ValidationFailed, match="no timesheets"):
        svc.create_timesheet(recruiter, direct, MONDAY)


def test_hiring_manager_cannot_enter_hours(placement, tenant_a):
    with pytest.raises(Forbidden):
        svc.create_timesheet(tenant_a.hiring_manager, placement, MONDAY)


def test_save_replaces_entries_and_bad_input_saves_nothing(sheet, recruiter):
    saved = svc.save_entries(recruiter, sheet, rows("8", "8", "9.5"), note="Sprint week")
    assert saved.version == 2 and saved.note == "Sprint week"
    assert sorted(TimesheetEntry.objects.filter(timesheet=sheet).values_list("regular_hours", flat=True)) == [
        Decimal("8"),
        Decimal("8"),
        Decimal("9.5"),
    ]
    with pytest.raises(ValidationFailed, match="at most 24"):
        svc.save_entries(recruiter, saved, [*rows("8"), {"work_date": "2026-03-03", "regular_hours": "25"}])
    assert TimesheetEntry.objects.filter(timesheet=sheet).count() == 3  # untouched
    with pytest.raises(Conflict, match="changed by someone else"):
        svc.save_entries(recruiter, saved, rows("8"), expected_version=1)


def test_full_flow_with_hiring_manager_approval_locks_the_sheet(sheet, recruiter, tenant_a):
    with pytest.raises(ValidationFailed, match="enter the week's hours"):
        svc.submit_timesheet(recruiter, sheet)
    svc.save_entries(recruiter, sheet, rows("8", "8", "8", "8", "8"))
    submitted = svc.submit_timesheet(recruiter, sheet)
    assert submitted.status == "submitted" and submitted.submitted_at is not None
    with pytest.raises(Conflict, match="cannot be edited"):
        svc.save_entries(recruiter, submitted, rows("1"))
    approved = svc.approve_timesheet(tenant_a.hiring_manager, submitted)
    assert approved.status == "approved" and approved.approved_by_user == tenant_a.hiring_manager
    with pytest.raises(Conflict, match="approved sheets are locked"):
        svc.save_entries(recruiter, approved, rows("1"))
    with pytest.raises(Conflict):
        svc.reject_timesheet(tenant_a.hiring_manager, approved, "Too late")
    actions = AuditLog.objects.filter(object_type="placements.timesheet", object_id=str(sheet.pk))
    assert actions.count() >= 4
    assert actions.latest("id").after["status"] == "approved"


def test_rejection_needs_a_reason_and_makes_the_sheet_editable_again(sheet, recruiter, tenant_a):
    svc.save_entries(recruiter, sheet, rows("8", "8"))
    svc.submit_timesheet(recruiter, sheet)
    with pytest.raises(ValidationFailed, match="say why"):
        svc.reject_timesheet(tenant_a.hiring_manager, sheet, "")
    rejected = svc.reject_timesheet(tenant_a.hiring_manager, sheet, "Tuesday was a holiday")
    assert rejected.status == "rejected" and rejected.rejection_reason == "Tuesday was a holiday"
    edited = svc.save_entries(recruiter, rejected, rows("8"))
    assert edited.status == "draft"
    assert svc.submit_timesheet(recruiter, edited).status == "submitted"


def test_other_clients_hiring_manager_cannot_see_or_approve(sheet, recruiter, tenant_b):
    svc.save_entries(recruiter, sheet, rows("8"))
    svc.submit_timesheet(recruiter, sheet)
    with pytest.raises(NotFound):
        svc.get_timesheet(tenant_b.hiring_manager, sheet.pk)
    with pytest.raises(Forbidden):
        svc.approve_timesheet(tenant_b.hiring_manager, sheet)


def test_recruiter_records_the_named_contacts_approval(sheet, recruiter, contact, placement, tenant_b):
    svc.save_entries(recruiter, sheet, rows("8"))
    svc.submit_timesheet(recruiter, sheet)
    with pytest.raises(ValidationFailed, match="name the client contact"):
        svc.approve_timesheet(recruiter, sheet)
    stranger = Contact.objects.create(client=tenant_b.client, name="Someone Else")
    with pytest.raises(ValidationFailed, match="not at this placement's client"):
        svc.approve_timesheet(recruiter, sheet, contact=stranger)
    placement.timesheet_approver = contact
    placement.save()
    approved = svc.approve_timesheet(recruiter, Timesheet.objects.get(pk=sheet.pk))
    assert approved.approved_by_contact == contact and approved.approved_by_user == recruiter


def test_compliance_officer_may_not_approve(sheet, recruiter, compliance_officer, contact):
    svc.save_entries(recruiter, sheet, rows("8"))
    svc.submit_timesheet(recruiter, sheet)
    with pytest.raises(Forbidden):
        svc.approve_timesheet(compliance_officer, sheet, contact=contact)


def test_contractor_link_opens_only_its_week_and_writes_are_audited(sheet, recruiter, placement):
    other = svc.create_timesheet(recruiter, placement, MONDAY + dt.timedelta(days=7))
    token = svc.issue_contractor_link(recruiter, sheet)
    assert svc.timesheet_from_link(token).pk == sheet.pk
    saved = svc.contractor_save(token, rows("7.5", "8"), note="From the contractor")
    assert saved.entered_by == recruiter  # unchanged: the contractor has no account
    entry = AuditLog.objects.filter(object_type="placements.timesheet", object_id=str(sheet.pk)).latest("id")
    assert entry.via == svc.VIA_LINK and entry.actor is None
    with pytest.raises(ValidationFailed, match="outside the week"):
        svc.contractor_save(token, rows("8", start=other.week_start))
    assert svc.contractor_submit(token).status == "submitted"
    with pytest.raises(Conflict):
        svc.contractor_save(token, rows("8"))


def test_tampered_and_expired_links_are_refused(sheet, recruiter):
    token = svc.issue_contractor_link(recruiter, sheet)
    with pytest.raises(NotFound):
        svc.timesheet_from_link(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    forged = signing.dumps({"t": sheet.pk, "p": sheet.placement_id, "w": "2026-03-09"}, salt=svc.LINK_SALT)
    with pytest.raises(NotFound):
        svc.timesheet_from_link(forged)
    with override_settings(CADRE_TIMESHEET_LINK_DAYS=-1), pytest.raises(Forbidden, match="expired"):
        svc.timesheet_from_link(token)


def test_recall_takes_a_submitted_sheet_back(sheet, recruiter):
    svc.save_entries(recruiter, sheet, rows("8"))
    svc.submit_timesheet(recruiter, sheet)
    assert svc.recall_timesheet(recruiter, sheet).status == "draft"


def test_missing_weeks_lists_mondays_without_a_sheet(placement, recruiter, sheet):
    missing = svc.missing_weeks(placement, today=dt.date(2026, 3, 25))
    assert missing == [dt.date(2026, 3, 23), dt.date(2026, 3, 16), dt.date(2026, 3, 9)]
