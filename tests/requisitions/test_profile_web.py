"""Profile drafting and review through the API and the UI; scoping and fixed query counts."""

import json

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from tests.requisitions.test_profiling import ISSUE_EXAMPLE
from tests.web.helpers import login

from cadre.core.services import create_api_token
from cadre.requisitions.models import JobProfile, Requisition

pytestmark = pytest.mark.django_db


def _api(user):
    http = HttpClient()
    headers = {"Authorization": f"Bearer {create_api_token(user)}"}

    def call(method, path, body=None):
        kwargs = {"headers": headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(http, method)(path, **kwargs)

    return call


def test_api_drafts_a_profile_and_lists_templates(recruiter):
    api = _api(recruiter)
    response = api("post", "/api/requisitions/profile", {"text": ISSUE_EXAMPLE})
    assert response.status_code == 200, response.content
    draft = response.json()
    assert (draft["role_family"], draft["platform"], draft["duration_months"]) == (
        "genai-engineer",
        "aws-bedrock",
        6,
    )
    assert draft["evidence"]["nice_skills"][0]["quote"] == "LangChain"
    templates = api("get", "/api/profile-templates").json()
    assert len(templates) == 7 and {"slug", "name", "text", "expected_role_family"} <= set(templates[0])


def test_api_create_and_update_accept_and_return_the_profile(recruiter, tenant_a, make_user):
    api = _api(recruiter)
    lead = make_user("tess")
    body = {"client_id": tenant_a.client.pk, "title": "RAG engineer", "profile": {"text": ISSUE_EXAMPLE}}
    created = api("post", "/api/requisitions", body)
    assert created.status_code == 201, created.content
    out = created.json()
    assert out["profile"]["role_family"] == "genai-engineer"
    assert out["profile"]["review_status"] == "not_requested"
    assert not out["profile"]["ready_for_sourcing"]
    assert {"skill": "langchain", "importance": "nice"} in out["skills"]
    rid = out["id"]

    patched = api(
        "patch",
        f"/api/requisitions/{rid}",
        {"version": out["version"], "profile": {"platform": "gcp-vertex"}},
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["profile"]["platform"] == "gcp-vertex"
    assert patched.json()["profile"]["revision"] == 2

    assert api("post", f"/api/requisitions/{rid}/profile/start-sourcing").status_code == 409
    requested = api(
        "post", f"/api/requisitions/{rid}/profile/review-request", {"technical_lead_user": "tess"}
    )
    assert requested.json()["profile"]["review_status"] == "pending"
    approved = _api(lead)(
        "post", f"/api/requisitions/{rid}/profile/reviews", {"decision": "approved", "comment": "ok"}
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["profile"]["ready_for_sourcing"]
    assert api("post", f"/api/requisitions/{rid}/profile/start-sourcing").status_code == 200
    query = api("get", f"/api/requisitions/{rid}/sourcing-query").json()
    assert query["platform"] == "gcp-vertex" and "pytorch" in query["must_skills"]
    assert api("get", f"/api/requisitions/{rid}/competencies").json()


def test_api_rejects_unknown_platform(recruiter, tenant_a):
    body = {"client_id": tenant_a.client.pk, "title": "x", "profile": {"text": "ML", "platform": "mainframe"}}
    response = _api(recruiter)("post", "/api/requisitions", body)
    assert response.status_code == 422
    assert not Requisition.objects.filter(title="x").exists()  # nothing half-done


def test_other_clients_profile_endpoints_are_404(recruiter, tenant_a, tenant_b):
    api = _api(tenant_b.hiring_manager)
    rid = tenant_a.requisition.pk
    assert api("get", f"/api/requisitions/{rid}/sourcing-query").status_code == 404
    assert (
        api("post", f"/api/requisitions/{rid}/profile/reviews", {"decision": "approved"}).status_code == 404
    )


def test_ui_drafts_the_form_from_text_with_htmx(recruiter, tenant_a):
    client = login(recruiter)
    page = client.get("/requisitions/new/")
    assert b"Describe the role" in page.content and b"deploy-rag-service" in page.content
    response = client.post(
        "/requisitions/profile/draft/",
        {"profile_text": ISSUE_EXAMPLE, "client": tenant_a.client.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="profile-evidence"' in html and "LangChain" in html
    assert 'value="contract" selected' in html
    template = client.post("/requisitions/profile/draft/", {"template": "chief-ai-officer"}).content.decode()
    assert "Chief AI Officer" in template


def test_ui_creates_requisition_with_profile_and_review_panel(recruiter, tenant_a, make_user):
    lead = make_user("tess")
    client = login(recruiter)
    from cadre.taxonomy.models import RoleFamily, Skill

    form = {
        "client": tenant_a.client.pk,
        "title": "RAG engineer",
        "role_family": RoleFamily.objects.get(slug="genai-engineer").pk,
        "seniority": "senior",
        "status": "open",
        "engagement_type": "contract",
        "duration_months": 6,
        "openings": 1,
        "remote_policy": "remote",
        "currency": "USD",
        "rate_unit": "hour",
        "must_skills": [Skill.objects.get(slug="pytorch").pk],
        "platform": "",
        "engagement_hint": "contract",
        "profile_text": ISSUE_EXAMPLE,
    }
    response = client.post("/requisitions/new/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    requisition = Requisition.objects.get(title="RAG engineer")
    profile = JobProfile.objects.get(requisition=requisition)
    assert profile.seniority == "senior" and profile.review_required  # the recruiter's edit wins
    detail = client.get(f"/requisitions/{requisition.pk}/").content.decode()
    assert 'data-testid="job-profile"' in detail and "Request review" in detail
    assert "Start sourcing" in detail and "disabled" in detail

    client.post(
        f"/requisitions/{requisition.pk}/profile/review-request/", {"technical_lead": f"user:{lead.pk}"}
    )
    lead_client = login(lead)
    assert "Approve" in lead_client.get(f"/requisitions/{requisition.pk}/").content.decode()
    lead_client.post(
        f"/requisitions/{requisition.pk}/profile/review/",
        {"decision": "changes_requested", "comment": "Add vLLM"},
    )
    assert profile.reviews.get().comment == "Add vLLM"


def test_ui_profile_pages_are_404_for_other_clients(recruiter, tenant_a, tenant_b):
    client = login(tenant_b.hiring_manager)
    url = f"/requisitions/{tenant_a.requisition.pk}/profile/review/"
    assert client.post(url, {"decision": "approved"}).status_code == 404
    assert client.post("/requisitions/profile/draft/", {"profile_text": "x"}).status_code == 403


def test_detail_page_with_profile_has_a_fixed_query_count(recruiter, tenant_a, make_user):
    from cadre.requisitions.services import request_profile_review, review_profile, save_profile

    lead = make_user("tess")
    save_profile(recruiter, tenant_a.requisition, source_text=ISSUE_EXAMPLE, technical_lead_user=lead)
    request_profile_review(recruiter, tenant_a.requisition)
    review_profile(lead, tenant_a.requisition, decision="changes_requested", comment="first")
    client = login(recruiter)
    url = f"/requisitions/{tenant_a.requisition.pk}/"
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(5):
        review_profile(lead, tenant_a.requisition, decision="changes_requested", comment=f"round {i}")
    assert count() == few
