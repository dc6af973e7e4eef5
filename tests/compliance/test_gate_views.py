"""The placement-gates page (htmx forms) and the gates REST API."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.web.helpers import login

from cadre.compliance.gate_services import record_gate
from cadre.compliance.models import ClassificationAssessment, PlacementGate
from cadre.core.models import AuditLog
from cadre.core.services import create_api_token

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
PAST = (timezone.localdate() - timedelta(days=10)).isoformat()
FUTURE = (timezone.localdate() + timedelta(days=400)).isoformat()
WORK = {"country": "US", "document_type": "US passport", "citizen": True, "verified_on": PAST}


def page_url(tenant) -> str:
    return reverse("application-gates", args=[tenant.application.pk])


def record_url(tenant, kind) -> str:
    return reverse("application-gate-record", args=[tenant.application.pk, kind])


def override_url(tenant, kind) -> str:
    return reverse("application-gate-override", args=[tenant.application.pk, kind])


def assessment_for(application):
    return ClassificationAssessment.objects.create(
        application=application,
        requisition=application.requisition,
        engine_version="test",
        inputs_digest="0" * 64,
        risk_level="medium",
        vehicle="w2_agency",
    )


class Api:
    def __init__(self, user) -> None:
        self.http = Client()
        self.headers = {"Authorization": f"Bearer {create_api_token(user)}"}

    def get(self, path):
        return self.http.get(path, headers=self.headers)

    def send(self, method, path, body):
        return getattr(self.http, method)(
            path, data=json.dumps(body), content_type="application/json", headers=self.headers
        )


# --- page -------------------------------------------------------------------------------------------


def test_page_lists_every_gate_with_its_status(recruiter, tenant_a):
    response = login(recruiter).get(page_url(tenant_a))
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("Classification reviewed", "IP assignment signed", "Work authorization confirmed"):
        assert label in page
    assert "Not ready to place" in page and "Not required for this requisition" in page
    assert f"/compliance/classify/?application={tenant_a.application.pk}" in page
    assert record_url(tenant_a, "ip_assignment") in page
    assert override_url(tenant_a, "ip_assignment") not in page
    assert not PlacementGate.objects.exists()  # a GET writes nothing


def test_person_page_links_to_the_gates(recruiter, tenant_a):
    page = login(recruiter).get(reverse("person-detail", args=[tenant_a.person.pk])).content.decode()
    assert page_url(tenant_a) in page and "Placement gates" in page


def test_record_via_htmx_post(recruiter, tenant_a):
    form = {
        "signed_on": PAST,
        "signatory": "Ana Lima",
        "work_state": "CA",
        "prior_inventions": "",
        "prior_inventions_none": "on",
        "carve_outs.open_source": "true",
        "carve_outs.open_source_note": "Apache-2.0 contributions on own time",
        "carve_outs.publication": "false",
    }
    response = login(recruiter).post(record_url(tenant_a, "ip_assignment"), form, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="gates"' in page and "IP assignment signed recorded — failed" in page and "2870" in page
    row = PlacementGate.objects.get(application=tenant_a.application, kind="ip_assignment")
    assert row.status == "failed" and row.details["prior_inventions"] == []
    assert row.details["carve_outs"] == {
        "open_source": True,
        "open_source_note": "Apache-2.0 contributions on own time",
        "publication": False,
    }
    login(recruiter).post(
        record_url(tenant_a, "ip_assignment"), {**form, "statutory_notice_included": "on"}, **HTMX
    )
    row.refresh_from_db()
    assert row.status == "passed"


def test_plain_post_redirects_with_a_message(recruiter, tenant_a):
    response = login(recruiter).post(
        record_url(tenant_a, "work_authorization"),
        {"country": "US", "document_type": "US passport", "citizen": "on", "verified_on": PAST},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page_url(tenant_a)
    assert "Work authorization confirmed recorded — passed" in response.content.decode()


def test_override_form_only_for_compliance_officers(recruiter, compliance_officer, tenant_a):
    assert (
        override_url(tenant_a, "ip_assignment")
        not in login(recruiter).get(page_url(tenant_a)).content.decode()
    )
    page = login(compliance_officer).get(page_url(tenant_a)).content.decode()
    assert override_url(tenant_a, "ip_assignment") in page and 'name="reason"' in page


def test_recruiter_override_post_is_forbidden(recruiter, tenant_a):
    response = login(recruiter).post(override_url(tenant_a, "ip_assignment"), {"reason": "x" * 20}, **HTMX)
    assert response.status_code == 403 and response["X-Cadre-Fragment"] == "1"
    assert "only a compliance officer" in response.content.decode()


def test_compliance_override_via_post(compliance_officer, tenant_a):
    client = login(compliance_officer)
    short = client.post(override_url(tenant_a, "ip_assignment"), {"reason": "ok"}, **HTMX)
    assert short.status_code == 422 and "at least 10 characters" in short.content.decode()
    response = client.post(
        override_url(tenant_a, "ip_assignment"), {"reason": "Paper original on file with legal"}, **HTMX
    )
    assert response.status_code == 200 and "Override reason:" in response.content.decode()
    row = PlacementGate.objects.get(application=tenant_a.application, kind="ip_assignment")
    assert row.status == "overridden"
    entry = AuditLog.objects.filter(object_type="compliance.placementgate", object_id=str(row.pk)).latest(
        "id"
    )
    assert entry.via == "web" and entry.after["reason"] == "Paper original on file with legal"


def test_review_button_for_compliance_officers(recruiter, compliance_officer, tenant_a):
    assessment = assessment_for(tenant_a.application)
    review_url = reverse("application-classification-review", args=[tenant_a.application.pk, assessment.pk])
    assert review_url not in login(recruiter).get(page_url(tenant_a)).content.decode()
    client = login(compliance_officer)
    assert review_url in client.get(page_url(tenant_a)).content.decode()
    response = client.post(review_url, {"note": "W-2 via agency"}, **HTMX)
    assert response.status_code == 200 and "reviewed" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "reviewed" and assessment.review_note == "W-2 via agency"
    assert (
        PlacementGate.objects.get(application=tenant_a.application, kind="classification").status == "passed"
    )


def test_hiring_manager_reads_own_clients_gates_only(tenant_a, tenant_b):
    client = login(tenant_a.hiring_manager)
    page = client.get(page_url(tenant_a)).content.decode()
    assert "IP assignment signed" in page and record_url(tenant_a, "ip_assignment") not in page
    assert client.get(page_url(tenant_b)).status_code == 404
    response = client.post(record_url(tenant_a, "work_authorization"), {"country": "US"}, **HTMX)
    assert response.status_code == 403
    assert client.post(record_url(tenant_b, "work_authorization"), {"country": "US"}).status_code == 404


def test_gates_page_needs_login(tenant_a):
    assert Client().get(page_url(tenant_a)).status_code == 302


# --- API --------------------------------------------------------------------------------------------


def api_path(tenant, suffix="") -> str:
    return f"/api/applications/{tenant.application.pk}/gates{suffix}"


def test_api_lists_gates(recruiter, tenant_a):
    record_gate(recruiter, tenant_a.application, "work_authorization", WORK)
    response = Api(recruiter).get(api_path(tenant_a))
    assert response.status_code == 200
    body = response.json()
    assert body["application_id"] == tenant_a.application.pk and body["ready_to_place"] is False
    by_kind = {g["kind"]: g for g in body["gates"]}
    assert by_kind["work_authorization"]["status"] == "passed"
    assert by_kind["work_authorization"]["verified_by"] == recruiter.username
    assert by_kind["ip_assignment"] == {
        **by_kind["ip_assignment"],
        "status": "pending",
        "reason": "not recorded",
    }
    assert by_kind["clearance"]["status"] == "not_required" and by_kind["clearance"]["required"] is False


def test_api_put_records_details(recruiter, tenant_a):
    details = {"level": "secret", "agency": "DCSA", "expires_on": FUTURE, "verified_on": PAST}
    response = Api(recruiter).send("put", api_path(tenant_a, "/clearance"), details)
    assert response.status_code == 409  # no clearance on this requisition
    response = Api(recruiter).send(
        "put", api_path(tenant_a, "/work_authorization"), {**WORK, "country": "DE"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "failed" and body["reason"] == "authorized for DE, the work is in US"
    assert body["details"]["country"] == "DE"
    assert Api(recruiter).send("put", api_path(tenant_a, "/nope"), {}).status_code == 422


def test_api_override(recruiter, compliance_officer, tenant_a):
    path = api_path(tenant_a, "/ip_assignment/override")
    assert Api(recruiter).send("post", path, {"reason": "Paper original on file"}).status_code == 403
    assert Api(compliance_officer).send("post", path, {"reason": "  "}).status_code == 422
    response = Api(compliance_officer).send("post", path, {"reason": "Paper original on file"})
    assert response.status_code == 200
    assert response.json()["status"] == "overridden" and response.json()["reason"] == "Paper original on file"


def test_api_review_classification(recruiter, compliance_officer, tenant_a, tenant_b):
    assessment = assessment_for(tenant_a.application)
    path = f"/api/compliance/classifications/{assessment.pk}/review"
    assert Api(recruiter).send("post", path, {"note": "fine"}).status_code == 403
    assert Api(tenant_b.hiring_manager).send("post", path, {"note": "fine"}).status_code == 404
    response = Api(compliance_officer).send("post", path, {"note": "Low risk"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "reviewed" and body["reviewed_by"] == compliance_officer.username
    assert Api(compliance_officer).send("post", path, {"note": "again"}).status_code == 409


def test_api_hiring_manager_scope(tenant_a, tenant_b):
    api = Api(tenant_a.hiring_manager)
    assert api.get(api_path(tenant_a)).status_code == 200
    assert api.get(api_path(tenant_b)).status_code == 404
    assert api.send("put", api_path(tenant_a, "/work_authorization"), WORK).status_code == 403


def test_api_move_to_placed_reports_the_gates(recruiter, tenant_a):
    response = Api(recruiter).send(
        "post", f"/api/applications/{tenant_a.application.pk}/move", {"to_stage": "placed"}
    )
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Cannot place: Classification reviewed")
