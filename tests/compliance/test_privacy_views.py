"""Privacy, notice and retention pages and their REST endpoints, with the roles each allows."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from tests.api.conftest import ApiClient
from tests.web.helpers import login

from cadre.compliance.models import CandidateNotice, RetentionPolicy
from cadre.compliance.notices import send_notice
from cadre.core.models import AuditLog, DecisionRecord
from cadre.core.services import create_api_token
from cadre.people.models import Identity, Person
from cadre.pipeline.models import StageEvent

pytestmark = pytest.mark.django_db

MON = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)


def api_for(user) -> ApiClient:
    return ApiClient(create_api_token(user))


# --- pages -------------------------------------------------------------------------------------------------


def test_person_page_links_by_role(recruiter, compliance_officer, tenant_a):
    url = f"/people/{tenant_a.person.pk}/"
    export = f"/compliance/people/{tenant_a.person.pk}/export.json"
    erase = f"/compliance/people/{tenant_a.person.pk}/erase/"
    as_recruiter = login(recruiter).get(url).content.decode()
    assert export in as_recruiter and erase not in as_recruiter
    as_compliance = login(compliance_officer).get(url).content.decode()
    assert export in as_compliance and erase in as_compliance
    as_manager = login(tenant_a.hiring_manager).get(url).content.decode()
    assert export not in as_manager and erase not in as_manager


def test_export_download(recruiter, tenant_a):
    response = login(recruiter).get(f"/compliance/people/{tenant_a.person.pk}/export.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert 'attachment; filename="cadre-person-' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person"]["full_name"] == "Ana Lima" and len(data["applications"]) == 1
    assert AuditLog.objects.filter(action="export", object_id=str(tenant_a.person.pk), via="web").exists()


def test_export_and_erase_pages_refuse_other_roles(recruiter, tenant_a):
    pk = tenant_a.person.pk
    manager = login(tenant_a.hiring_manager)
    assert manager.get(f"/compliance/people/{pk}/export.json").status_code == 403
    assert manager.get(f"/compliance/people/{pk}/erase/").status_code == 403
    assert login(recruiter).get(f"/compliance/people/{pk}/erase/").status_code == 403
    assert (
        login(recruiter).post(f"/compliance/people/{pk}/erase/", {"reason": "x", "confirm": "on"}).status_code
        == 403
    )
    assert login(recruiter).get("/compliance/people/999999/export.json").status_code == 404


def test_erase_flow(compliance_officer, tenant_a):
    pk = tenant_a.person.pk
    client = login(compliance_officer)
    page = client.get(f"/compliance/people/{pk}/erase/").content.decode()
    assert "Ana Lima" in page and 'name="reason"' in page and "cannot be undone" in page
    missing = client.post(f"/compliance/people/{pk}/erase/", {"reason": "Request 12"})
    assert missing.status_code == 200 and "This field is required" in missing.content.decode()
    assert Person.objects.get(pk=pk).full_name == "Ana Lima"
    events = StageEvent.objects.filter(application__person_id=pk).count()
    done = client.post(f"/compliance/people/{pk}/erase/", {"reason": "Request 12", "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == f"/people/{pk}/"
    assert Person.objects.get(pk=pk).full_name == f"Erased person #{pk}"
    assert not Identity.objects.filter(person_id=pk).exists()
    assert StageEvent.objects.filter(application__person_id=pk).count() == events
    page = client.get(f"/people/{pk}/").content.decode()
    assert f"Erased person #{pk}" in page and "erased." in page


def test_erase_page_for_a_merged_person_points_at_the_survivor(admin_user, recruiter, tenant_a):
    from cadre.people.services import create_person
    from cadre.resolution.merging import merge_people

    twin = create_person(recruiter, full_name="Ana L.")
    merge_people(recruiter, survivor_id=tenant_a.person.pk, merged_id=twin.pk)
    client = login(admin_user)
    page = client.get(f"/compliance/people/{twin.pk}/erase/").content.decode()
    assert f"Erase person #{tenant_a.person.pk} instead" in page and 'name="reason"' not in page
    refused = client.post(f"/compliance/people/{twin.pk}/erase/", {"reason": "r", "confirm": "on"})
    assert refused.status_code == 409 and Person.objects.get(pk=twin.pk).full_name == "Ana L."


def test_notices_page_lists_templates_and_sends(recruiter, compliance_officer, tenant_a):
    client = login(recruiter)
    page = client.get("/compliance/notices/").content.decode()
    assert "Notice of an automated employment decision tool" in page and "20-871" in page
    assert "SB 26-189" in page and "Record notice" in page
    response = client.post(
        "/compliance/notices/",
        {
            "person_id": tenant_a.person.pk,
            "jurisdiction": "NYC",
            "tool": "Cadre matching",
            "channel": "email",
        },
    )
    assert response.status_code == 302
    notice = CandidateNotice.objects.get(person=tenant_a.person)
    assert notice.template.jurisdiction == "NYC"
    listing = client.get(response["Location"]).content.decode()
    assert "0 of 10 business days" in listing and "may be used from" in listing
    bad = client.post(
        "/compliance/notices/",
        {"person_id": 999999, "jurisdiction": "NYC", "tool": "Cadre matching", "channel": "email"},
    )
    assert bad.status_code == 404 and "person 999999 not found" in bad.content.decode()
    # Compliance officers read the page but do not give notices; they record alternative requests.
    officer = login(compliance_officer)
    officer_page = officer.get("/compliance/notices/").content.decode()
    assert "Record notice" not in officer_page and "Record request" in officer_page
    assert (
        officer.post(
            "/compliance/notices/", {"person_id": tenant_a.person.pk, "jurisdiction": "NYC"}
        ).status_code
        == 403
    )
    assert officer.post(f"/compliance/notices/{notice.pk}/alternative/").status_code == 302
    notice.refresh_from_db()
    assert notice.alternative_requested_at is not None


def test_notices_page_shows_a_persons_status(recruiter, tenant_a):
    from cadre.people.services import set_work_preferences

    set_work_preferences(recruiter, tenant_a.person, city="New York", country="US")
    page = login(recruiter).get(f"/compliance/notices/?person={tenant_a.person.pk}").content.decode()
    assert "NYC not yet" in page and "no New York City notice" in page


def test_retention_page_and_dry_run(recruiter, compliance_officer, tenant_a):
    page = login(recruiter).get("/compliance/retention/").content.decode()
    assert "Automated decision records" in page and "1826" in page and "Run now (dry run)" not in page
    assert login(recruiter).post("/compliance/retention/").status_code == 403
    assert login(tenant_a.hiring_manager).get("/compliance/retention/").status_code == 403
    assert login(tenant_a.hiring_manager).get("/compliance/notices/").status_code == 403
    officer = login(compliance_officer)
    assert "Run now (dry run)" in officer.get("/compliance/retention/").content.decode()
    ran = officer.post("/compliance/retention/")
    assert ran.status_code == 200 and "would delete 0" in ran.content.decode()
    assert not RetentionPolicy.objects.filter(last_run_at__isnull=False).exists()


# --- API ---------------------------------------------------------------------------------------------------


def test_api_export_and_erase(recruiter, admin_user, tenant_a):
    pk = tenant_a.person.pk
    exported = api_for(recruiter).get(f"/api/people/{pk}/export")
    assert exported.status_code == 200 and exported.json()["person"]["full_name"] == "Ana Lima"
    assert api_for(tenant_a.hiring_manager).get(f"/api/people/{pk}/export").status_code == 403
    assert api_for(recruiter).post(f"/api/people/{pk}/erase", {"reason": "r"}).status_code == 403
    assert api_for(admin_user).post(f"/api/people/{pk}/erase", {}).status_code == 422
    assert api_for(admin_user).post(f"/api/people/{pk}/erase", {"reason": ""}).status_code == 422
    decisions = DecisionRecord.objects.count()
    erased = api_for(admin_user).post(f"/api/people/{pk}/erase", {"reason": "DSAR 7"})
    assert erased.status_code == 200 and erased.json()["erased"] is True
    assert erased.json()["identities_deleted"] == 2 and DecisionRecord.objects.count() == decisions
    again = api_for(recruiter).get(f"/api/people/{pk}/export").json()
    assert again["erased"] is True and again["identities"] == []
    assert api_for(admin_user).post("/api/people/999999/erase", {"reason": "r"}).status_code == 404


def test_api_notices(recruiter, compliance_officer, tenant_a):
    pk = tenant_a.person.pk
    api = api_for(recruiter)
    created = api.post(
        "/api/compliance/notices",
        {
            "person_id": pk,
            "jurisdiction": "NYC",
            "tool": "Cadre matching",
            "requisition_id": tenant_a.requisition.pk,
            "channel": "email",
            "sent_at": MON.isoformat(),
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["jurisdiction"] == "NYC" and body["template_version"] == "2026.11.1"
    assert body["requisition_id"] == tenant_a.requisition.pk
    nine = api.get("/api/compliance/notices/status", person_id=pk, jurisdiction="NYC", on="2026-11-13")
    assert nine.status_code == 200 and nine.json()["ok"] is False
    assert nine.json()["earliest_use"] == "2026-11-16"
    ten = api.get("/api/compliance/notices/status", person_id=pk, jurisdiction="NYC", on="2026-11-16").json()
    assert ten["ok"] is True and ten["notice_id"] == body["id"]
    assert api.get("/api/compliance/notices/status", person_id=pk, jurisdiction="XX").status_code == 422
    assert (
        api_for(compliance_officer)
        .post("/api/compliance/notices", {"person_id": pk, "jurisdiction": "NYC"})
        .status_code
        == 403
    )
    assert (
        api.post("/api/compliance/notices", {"person_id": pk, "jurisdiction": "NYC", "typo": 1}).status_code
        == 422
    )
    alt = api_for(compliance_officer).post(f"/api/compliance/notices/{body['id']}/alternative")
    assert alt.status_code == 200 and alt.json()["alternative_requested_at"]
    assert api.post(f"/api/compliance/notices/{body['id']}/alternative").status_code == 409
    templates = api.get("/api/compliance/notices/templates").json()
    assert {t["jurisdiction"] for t in templates} == {"NYC", "IL", "CO", "EU"}


def test_api_notice_status_is_scoped_for_hiring_managers(recruiter, tenant_a, tenant_b):
    send_notice(recruiter, tenant_b.person, "NYC", sent_at=MON)
    manager = api_for(tenant_a.hiring_manager)
    own = manager.get("/api/compliance/notices/status", person_id=tenant_a.person.pk, jurisdiction="NYC")
    assert own.status_code == 200
    other = manager.get("/api/compliance/notices/status", person_id=tenant_b.person.pk, jurisdiction="NYC")
    assert other.status_code == 404


def test_api_retention_run(recruiter, compliance_officer):
    assert api_for(recruiter).post("/api/compliance/retention/run", {"dry_run": True}).status_code == 403
    dry = api_for(compliance_officer).post("/api/compliance/retention/run", {})
    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert set(dry.json()["policies"]) == {"decision_records", "audit_log", "inactive_people"}
    real = api_for(compliance_officer).post("/api/compliance/retention/run", {"dry_run": False})
    assert real.status_code == 200 and real.json()["dry_run"] is False
    assert RetentionPolicy.objects.filter(last_run_at__isnull=False).count() == 3
