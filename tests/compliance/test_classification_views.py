"""Worker classification pages and API: the questionnaire (pre-filled from a requisition), the result on
the same page, errors with the answers kept, saved assessments, the rule-set registry, roles and scoping."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from tests.api.conftest import ApiClient
from tests.compliance.test_classification import EMBEDDED_DATA_SCIENTIST, SAME_PERSON_CA_CORE
from tests.web.helpers import login

from cadre.compliance.classification import QUESTIONS, rule_set_registry
from cadre.compliance.classification_services import DECISION_KIND, run_classification
from cadre.compliance.models import ClassificationAssessment
from cadre.core.models import AuditLog, DecisionRecord
from cadre.core.services import create_api_token
from cadre.requisitions.models import Requisition

pytestmark = pytest.mark.django_db

URL = "/compliance/classify/"
# California, on the client's core product, 50 hours a week at $60: every part of the result shows.
CA_OVERTIME = {**SAME_PERSON_CA_CORE, "hours_per_week": 50, "hourly_rate": 60, "weeks_worked": 30}


def form_data(answers: dict[str, Any], **extra: Any) -> dict[str, str]:
    data = {}
    for key, value in answers.items():
        data[key] = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    data.update({k: str(v) for k, v in extra.items()})
    return data


def text_of(response: Any) -> str:
    """The page's (or an HTML string's) text with tags dropped, entities decoded, whitespace collapsed."""
    body = response if isinstance(response, str) else response.content.decode()
    body = re.sub(r"<style.*?</style>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def api_as(user) -> ApiClient:
    return ApiClient(create_api_token(user))


# -- the questionnaire --------------------------------------------------------------------------------


def test_questionnaire_by_section_with_yes_no_unknown_selects_and_help(recruiter):
    response = login(recruiter).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for section in ("Engagement", "Control", "Money", "The worker&#x27;s business", "Relationship"):
        assert f"<legend>{section}</legend>" in page
    # A yes/no question: three radios, "unknown" checked when nothing is known.
    assert 'name="set_hours" value="yes"' in page and 'name="set_hours" value="no"' in page
    assert re.search(r'name="set_hours" value="unknown"\s+checked', page)
    # A choice: a select with a blank "not answered" first.
    assert re.search(
        r'<select id="q-controls_how" name="controls_how"[^>]*>\s*<option value="">— not answered —', page
    )
    assert 'inputmode="decimal" id="q-hours_per_week"' in page and "A number from 0 to 168." in page
    # Help text under the question.
    assert "Over 12 months is a re-evaluation trigger." in page
    ranged = sum(1 for q in QUESTIONS if q.minimum is not None and q.maximum is not None)
    assert page.count('class="q-help"') == sum(1 for q in QUESTIONS if q.help) + ranged
    assert 'href="/compliance/rule-sets/"' in page


def test_requisition_in_san_jose_prefills_the_questionnaire(recruiter, tenant_a):
    Requisition.objects.filter(pk=tenant_a.requisition.pk).update(location="San Jose, CA", duration_months=18)
    page = login(recruiter).get(URL, {"requisition": tenant_a.requisition.pk}).content.decode()
    assert '<option value="CA" selected>' in page
    assert re.search(r'id="q-duration_months" name="duration_months" value="18"', page)
    assert re.search(r'id="q-hours_per_week" name="hours_per_week" value="40"', page)
    assert '<option value="agency" selected>' in page
    assert f'name="requisition" value="{tenant_a.requisition.pk}"' in page
    assert tenant_a.requisition.title in page


def test_application_prefills_from_its_requisition_and_links_the_gates(recruiter, tenant_a):
    Requisition.objects.filter(pk=tenant_a.requisition.pk).update(location="Boston, MA")
    app = tenant_a.application
    page = login(recruiter).get(URL, {"application": app.pk}).content.decode()
    assert '<option value="MA" selected>' in page
    assert f'name="application" value="{app.pk}"' in page
    assert f'href="/compliance/applications/{app.pk}/gates/"' in page
    assert "Ana Lima" in page


# -- the result ---------------------------------------------------------------------------------------


def test_post_renders_the_result_and_saves_the_assessment(recruiter, tenant_a):
    app = tenant_a.application
    client = login(recruiter)
    response = client.post(URL, form_data(CA_OVERTIME, application=app.pk, as_of="2026-11-26"))
    assert response.status_code == 200
    assessment = ClassificationAssessment.objects.get()
    assert assessment.application == app and assessment.status == "draft"
    assert DecisionRecord.objects.filter(kind=DECISION_KIND, person_id=app.person_id).count() == 1
    assert AuditLog.objects.filter(object_type="compliance.classificationassessment").count() == 1

    page = response.content.decode()
    text = text_of(response)
    # Risk banner with level and reasons; the vehicle with reasons and conditions.
    assert 'class="risk-banner risk-high"' in page
    assert "Overall risk High" in text
    assert "prong B fails — all three prongs must be met" in text
    assert "Recommended engagement vehicle" in text
    assert "W-2 through the agency (agency is employer of record)" in text
    assert "The agency is employer of record: it withholds" in text
    # A card per regime with rule-set name, version, status, effective date and citation.
    for regime in assessment.result["regimes"]:
        rs = regime["rule_set"]
        assert f'id="regime-{rs["id"]}"' in page
        assert rs["name"] in text
        assert f"{rs['id']} version {rs['version']}" in text
        assert rs["citation"] in text
        assert html.unescape(regime["leaning_text"]) in text
    assert "Economic-reality test, totality of the circumstances" in text
    # Factor directions, facts relied on and citations.
    assert '<span class="dir dir-employee">employee</span>' in page
    assert '<span class="dir dir-contractor">contractor</span>' in page
    assert "Cal. Lab. Code §2775(b)(1)(B)" in text
    assert "29 CFR 795.110(b)(4)" in text
    assert "the work is central to the client's business (e.g. its core product)" in text
    assert "1 employee" in text or "employee, " in text
    # What would change, triggers, exposure estimates, disclaimer.
    assert "What would change the answer" in text
    assert "would move toward contractor" in text
    assert "Re-evaluation triggers" in text and "Re-evaluate now" in text
    assert "The work is within the client's usual course of business" in text
    assert page.count("Estimate — not legal advice") >= 4  # the section and every exposure block
    assert "FLSA back wages and liquidated damages Estimate — not legal advice" in text
    # 10 overtime hours x $30 half-time premium x 30 weeks = $9,000 back wages, doubled by liquidated damages.
    assert "$9,000.00" in text and "$18,000.00" in text
    assert "California Labor Code §226.8 civil penalties Estimate — not legal advice" in text
    assert "$5,000.00 – $15,000.00 per violation" in text
    assert "not legal advice" in assessment.result["disclaimer"]
    assert html.unescape(assessment.result["disclaimer"]) in text
    # Linked to the saved assessment; the answers stay in the form below.
    assert f'href="/compliance/classifications/{assessment.pk}/"' in page
    assert '<option value="CA" selected>' in page


def test_post_without_a_subject_is_not_saved(compliance_officer):
    response = login(compliance_officer).post(URL, form_data(EMBEDDED_DATA_SCIENTIST))
    assert response.status_code == 200
    assert "Not saved" in text_of(response)
    assert "No state ABC test is modelled for NY" in text_of(response)
    assert not ClassificationAssessment.objects.exists()


def test_invalid_answers_show_every_error_above_the_form_and_keep_the_answers(recruiter, tenant_a):
    data = form_data(
        {"work_state": "ZZ", "hours_per_week": "forty", "controls_how": "client", "set_hours": True},
        application=tenant_a.application.pk,
        engagement_notes="Builds the ranking model",
    )
    response = login(recruiter).post(URL, data)
    assert response.status_code == 422
    page = response.content.decode()
    text = text_of(response)
    errors = text_of(page[page.index('id="classify-errors"') : page.index('<form class="form"')])
    assert "3 problems with the answers — nothing was classified" in errors
    assert "work_state: 'ZZ' is not one of" in errors
    assert "missing required answer 'duration_months'" in errors
    assert "hours_per_week: expected a number, got 'forty'" in errors
    assert "Overall risk" not in text
    # The answers are kept, and each problem shows under its question too.
    assert 'value="forty"' in page
    assert '<option value="ZZ" selected>ZZ (not a valid choice)</option>' in page
    assert '<option value="client" selected>' in page
    assert re.search(r'name="set_hours" value="yes"\s+checked', page)
    assert "Builds the ranking model</textarea>" in page
    assert page.count('class="field has-error') == 3
    assert not ClassificationAssessment.objects.exists()


def test_invalid_as_of_date_is_an_error(recruiter):
    response = login(recruiter).post(URL, form_data(EMBEDDED_DATA_SCIENTIST, as_of="26/11/2026"))
    assert response.status_code == 422
    assert "is not a date" in text_of(response)


# -- roles and scoping --------------------------------------------------------------------------------


def test_hiring_manager_gets_403_and_another_clients_requisition_404(tenant_a, tenant_b):
    client = login(tenant_a.hiring_manager)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(EMBEDDED_DATA_SCIENTIST)).status_code == 403
    assert client.get(URL, {"requisition": tenant_a.requisition.pk}).status_code == 403
    assert client.get(URL, {"requisition": tenant_b.requisition.pk}).status_code == 404
    assert client.get(URL, {"application": tenant_b.application.pk}).status_code == 404
    assert (
        client.post(URL, form_data(EMBEDDED_DATA_SCIENTIST, requisition=tenant_b.requisition.pk)).status_code
        == 404
    )
    assert not ClassificationAssessment.objects.exists()


def test_anonymous_is_sent_to_login():
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


# -- saved assessments --------------------------------------------------------------------------------


def test_saved_assessment_page_shows_result_status_and_gates_link(recruiter, tenant_a, tenant_b):
    app = tenant_a.application
    _r, assessment = run_classification(recruiter, CA_OVERTIME, application=app)
    assert assessment is not None
    url = f"/compliance/classifications/{assessment.pk}/"
    response = login(recruiter).get(url)
    assert response.status_code == 200
    page, text = response.content.decode(), text_of(response)
    assert f"Classification assessment #{assessment.pk}" in text
    assert "Awaiting review" in text
    assert f'href="/compliance/applications/{app.pk}/gates/"' in page
    assert 'class="risk-banner risk-high"' in page
    assert "Cal. Lab. Code §2775(b)(1)(B)" in text
    assert "Estimate — not legal advice" in text
    assert f"?application={app.pk}" in page  # classify again
    assert "Answers as entered" in text and "In which US state is the work performed?" in text

    # Reviewed: who and when.
    from django.utils import timezone

    ClassificationAssessment.objects.filter(pk=assessment.pk).update(
        status="reviewed", reviewed_by=recruiter, reviewed_at=timezone.now(), review_note="Keep W-2."
    )
    text = text_of(login(recruiter).get(url))
    assert "Reviewed" in text and "by rita" in text and "Keep W-2." in text

    assert login(tenant_b.hiring_manager).get(url).status_code == 404
    assert login(tenant_a.hiring_manager).get(url).status_code == 403
    assert login(recruiter).get(f"/compliance/classifications/{assessment.pk + 99}/").status_code == 404


def test_rule_sets_page_lists_every_rule_set_with_status(tenant_a):
    response = login(tenant_a.hiring_manager).get("/compliance/rule-sets/")  # reference material: any role
    assert response.status_code == 200
    page, text = response.content.decode(), text_of(response)
    listing = rule_set_registry()
    assert len(listing) == 7
    for rs in listing:
        row = page[page.index(f'id="row-{rs["id"]}"') :]
        row = row[: row.index("</tr>")]
        assert rs["name"] in html.unescape(row)
        assert f">{rs['status']}</span>" in row
        assert rs["version"] in row and rs["jurisdiction"] in row
        assert html.unescape(rs["citation"]) in html.unescape(row)
        assert rs["status_note"] in text or not rs["status_note"]


# -- API -----------------------------------------------------------------------------------------------


def test_api_questions_and_rule_sets(recruiter):
    api = api_as(recruiter)
    questions = api.get("/api/compliance/classification/questions").json()
    assert [q["id"] for q in questions] == [q.id for q in QUESTIONS]
    assert questions[0]["required"] is True and questions[0]["section"] == "Engagement"
    rule_sets = api.get("/api/compliance/classification/rule-sets").json()
    assert [r["id"] for r in rule_sets] == [r["id"] for r in rule_set_registry()]
    assert all({"version", "status", "effective_from", "citation"} <= set(r) for r in rule_sets)


def test_api_classify_with_an_application_saves_and_reads_back(recruiter, tenant_a):
    api = api_as(recruiter)
    app = tenant_a.application
    response = api.post(
        "/api/compliance/classify",
        {"answers": CA_OVERTIME, "as_of": "2026-11-26", "application_id": app.pk},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    result = body["result"]
    assert result["as_of"] == "2026-11-26" and result["risk"]["level"] == "high"
    factor = result["regimes"][0]["factors"][0]
    assert {"direction", "facts_relied_on", "citation", "explanation"} <= set(factor)
    assert result["exposure"]["label"] == "estimate, not legal advice"
    assessment = ClassificationAssessment.objects.get(pk=body["assessment_id"])
    assert assessment.application == app
    assert DecisionRecord.objects.filter(kind=DECISION_KIND, subject_id=str(app.pk)).exists()

    saved = api.get(f"/api/compliance/classifications/{assessment.pk}").json()
    assert saved["id"] == assessment.pk and saved["status"] == "draft"
    assert saved["application_id"] == app.pk and saved["requisition_id"] == app.requisition_id
    assert saved["person_id"] == app.person_id
    assert saved["result"]["inputs_digest"] == result["inputs_digest"]
    assert saved["created_by"] == "rita" and saved["reviewed_by"] is None


def test_api_classify_without_a_subject_is_not_saved(compliance_officer):
    body = (
        api_as(compliance_officer)
        .post("/api/compliance/classify", {"answers": EMBEDDED_DATA_SCIENTIST})
        .json()
    )
    assert body["assessment_id"] is None and body["result"]["work_state"] == "NY"
    assert not ClassificationAssessment.objects.exists()


def test_api_invalid_answers_are_a_422_with_every_problem(recruiter, tenant_a):
    answers = {"work_state": "ZZ", "hours_per_week": -1, "supervised": "yes", "set_hourz": True}
    response = api_as(recruiter).post(
        "/api/compliance/classify", {"answers": answers, "application_id": tenant_a.application.pk}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "answers"
    assert len(body["errors"]) == 5
    joined = " | ".join(body["errors"])
    for needle in (
        "work_state",
        "duration_months",
        "hours_per_week: must be at least 0",
        "supervised",
        "set_hourz",
    ):
        assert needle in joined
    for error in body["errors"]:
        assert error in body["detail"]
    assert not ClassificationAssessment.objects.exists()
    # Not a JSON object, or an unknown field: the schema's own 422.
    assert api_as(recruiter).post("/api/compliance/classify", {"answers": [1]}).status_code == 422
    assert api_as(recruiter).post("/api/compliance/classify", {"answers": {}, "oops": 1}).status_code == 422


def test_api_roles_and_scoping(recruiter, tenant_a, tenant_b):
    _r, assessment = run_classification(recruiter, EMBEDDED_DATA_SCIENTIST, application=tenant_a.application)
    assert assessment is not None
    hm = api_as(tenant_a.hiring_manager)
    response = hm.post("/api/compliance/classify", {"answers": EMBEDDED_DATA_SCIENTIST})
    assert response.status_code == 403 and "may not" in response.json()["detail"]
    own = hm.post(
        "/api/compliance/classify",
        {"answers": EMBEDDED_DATA_SCIENTIST, "requisition_id": tenant_a.requisition.pk},
    )
    assert own.status_code == 403
    other = hm.post(
        "/api/compliance/classify",
        {"answers": EMBEDDED_DATA_SCIENTIST, "requisition_id": tenant_b.requisition.pk},
    )
    assert other.status_code == 404
    assert hm.get(f"/api/compliance/classifications/{assessment.pk}").status_code == 403
    assert (
        api_as(tenant_b.hiring_manager).get(f"/api/compliance/classifications/{assessment.pk}").status_code
        == 404
    )
    assert ClassificationAssessment.objects.count() == 1
    # Reference material is readable by every role; anonymous callers are refused.
    assert hm.get("/api/compliance/classification/questions").status_code == 200
    assert ApiClient(None).get("/api/compliance/classification/rule-sets").status_code == 401
