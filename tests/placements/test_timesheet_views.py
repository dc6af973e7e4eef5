"""Timesheet pages (recruiter, hiring manager, contractor link) and the timesheet API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from tests.api.conftest import ApiClient
from tests.placements.operations_helpers import MONDAY, make_placement

from cadre.core.services import create_api_token
from cadre.placements import timesheet_services as svc
from cadre.placements.models import Timesheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(tenant_a, recruiter):
    return make_placement(tenant_a, recruiter, end=dt.date(2026, 6, 30))


@pytest.fixture
def sheet(placement, recruiter):
    return svc.create_timesheet(recruiter, placement, MONDAY)


def grid(week=MONDAY, hours=("8", "8", "8", "8", "8"), **extra):
    data = {}
    for i, h in enumerate(hours):
        data[f"reg_{(week + dt.timedelta(days=i)).isoformat()}"] = h
    data.update(extra)
    return data


def test_placement_page_lists_weeks_with_chart_and_opens_a_week(client, recruiter, placement, sheet):
    svc.save_entries(
        recruiter, sheet, [{"work_date": "2026-03-02", "regular_hours": "8", "overtime_hours": "2"}]
    )
    client.force_login(recruiter)
    html = client.get(reverse("placement-timesheets", args=[placement.pk])).content.decode()
    assert "Week of 2 March" not in html  # dates are formatted "Mon Mar 2, 2026"
    assert "Mon Mar 2, 2026" in html and "<svg" in html and "40 h scheduled" in html
    assert "does not" in html or "Cadre does not reclassify" in html
    response = client.post(
        reverse("placement-timesheet-create", args=[placement.pk]), {"week_start": "2026-03-09"}
    )
    new = Timesheet.objects.get(placement=placement, week_start=dt.date(2026, 3, 9))
    assert response.status_code == 302 and response["Location"] == reverse("timesheet-detail", args=[new.pk])
    bad = client.post(
        reverse("placement-timesheet-create", args=[placement.pk]), {"week_start": "2026-03-11"}, follow=True
    )
    assert "is a Wednesday" in bad.content.decode()


def test_grid_save_and_submit_and_errors_keep_what_was_typed(client, recruiter, sheet):
    client.force_login(recruiter)
    url = reverse("timesheet-save", args=[sheet.pk])
    bad = client.post(url, grid(hours=("8", "30")))
    assert bad.status_code == 422
    html = bad.content.decode()
    assert "Nothing was saved" in html and "at most 24" in html and 'value="30"' in html
    ok = client.post(url, grid(then="submit", version=str(sheet.version)), follow=True)
    assert "Submitted for the client" in ok.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == "submitted"


def test_hiring_manager_approves_from_the_queue(client, recruiter, sheet, tenant_a, tenant_b):
    svc.save_entries(recruiter, sheet, [{"work_date": "2026-03-02", "regular_hours": "8"}])
    svc.submit_timesheet(recruiter, sheet)
    client.force_login(tenant_b.hiring_manager)
    assert "Ana Lima" not in client.get(reverse("timesheet-list")).content.decode()
    assert client.get(reverse("timesheet-detail", args=[sheet.pk])).status_code == 404
    client.force_login(tenant_a.hiring_manager)
    queue = client.get(reverse("timesheet-list")).content.decode()
    assert "Ana Lima" in queue
    detail = client.get(reverse("timesheet-detail", args=[sheet.pk])).content.decode()
    assert "You approve as the client" in detail and 'name="reg_' not in detail  # no editing for clients
    client.post(reverse("timesheet-action", args=[sheet.pk, "approve"]))
    sheet.refresh_from_db()
    assert sheet.status == "approved" and sheet.approved_by_user == tenant_a.hiring_manager


def test_contractor_link_page_needs_no_account_and_shows_only_that_week(client, recruiter, sheet):
    client.force_login(recruiter)
    response = client.post(reverse("timesheet-action", args=[sheet.pk, "link"]))
    html = response.content.decode()
    assert "/timesheets/c/" in html
    token = html.split("/timesheets/c/")[1].split("/")[0]
    client.logout()
    url = reverse("timesheet-contractor", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    body = page.content.decode()
    assert "Hello Ana" in body and "Northwind Robotics" in body
    assert "Log out" not in body and "Requisitions" not in body  # no app navigation
    saved = client.post(url, grid(then="submit"))
    assert "submitted for approval" in saved.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == "submitted"
    assert client.get(reverse("timesheet-contractor", args=["nonsense"])).status_code == 404


def test_timesheet_api_round_trip(recruiter, placement, tenant_a):
    api = ApiClient(create_api_token(recruiter))
    created = api.post(f"/api/placements/{placement.pk}/timesheets", {"week_start": "2026-03-02"})
    assert created.status_code == 201
    sheet_id = created.json()["id"]
    put = api._send(
        "put",
        f"/api/timesheets/{sheet_id}/entries",
        {
            "entries": [{"work_date": "2026-03-02", "regular_hours": "8", "overtime_hours": "1.5"}],
            "version": 1,
        },
    )
    assert put.status_code == 200 and put.json()["total_hours"] == "9.50"
    bad = api._send(
        "put",
        f"/api/timesheets/{sheet_id}/entries",
        {"entries": [{"work_date": "2026-03-20", "regular_hours": "8"}]},
    )
    assert bad.status_code == 422 and "outside the week" in json.loads(bad.content)["detail"]
    assert api.post(f"/api/timesheets/{sheet_id}/submit").json()["status"] == "submitted"
    hm = ApiClient(create_api_token(tenant_a.hiring_manager))
    assert (
        hm.post(f"/api/timesheets/{sheet_id}/reject", {"reason": "Wrong project code"}).json()["status"]
        == "rejected"
    )
