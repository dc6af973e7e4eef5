"""Recruiter pages: every page renders without hidden material (nor a Question/Submission row in its
context), forms do what they say, hiring managers see only their clients' sittings."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from tests.conftest import PASSWORD
from tests.screening.screening_helpers import (
    CHURN,
    LATENCY,
    PRECISION,
    assert_no_leak,
    item_of,
    key_of,
    latest,
    make_assessment,
    predictions,
)

from cadre.pipeline.services import move_application
from cadre.screening import portal, services
from cadre.screening.bank import load_bank
from cadre.screening.models import Assessment, AssessmentItem, Question, Sitting, Submission

pytestmark = pytest.mark.django_db

SHORT = "rai-before-deploying-screening-model"
MC = "rai-four-fifths-rule"
HIDDEN_ROWS = (Question, AssessmentItem, Submission)


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _walk(value: Any, seen: set[int], depth: int = 0) -> None:
    if id(value) in seen or depth > 8:
        return
    seen.add(id(value))
    assert not isinstance(value, HIDDEN_ROWS), f"a {type(value).__name__} row reached a template"
    if isinstance(value, dict):
        for v in value.values():
            _walk(v, seen, depth + 1)
    elif isinstance(value, list | tuple | set):
        for v in value:
            _walk(v, seen, depth + 1)
    elif isinstance(value, Model):
        return


def assert_safe(response) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert_no_leak(html)
    for context in response.context or []:
        for layer in context.dicts:
            _walk(dict(layer), set())
    return html


@pytest.fixture
def graded(recruiter, tenant_a):
    """A submitted sitting with automated grades and a short answer waiting for a rubric grade."""
    assessment = make_assessment(recruiter, tenant_a.requisition, [MC, SHORT, CHURN])
    sitting, path = services.invite(recruiter, tenant_a.application, assessment)
    mc, short, churn = item_of(assessment, MC), item_of(assessment, SHORT), item_of(assessment, CHURN)
    portal.save_answers(sitting, {mc.pk: key_of(mc.question), short.pk: "A bias audit with impact ratios."})
    portal.upload(sitting, churn.pk, name="predictions.csv", data=predictions(churn.question))
    return assessment, portal.submit(sitting)


def test_every_recruiter_page_renders_without_hidden_material(recruiter, tenant_a, graded):
    assessment, sitting = graded
    client = login(recruiter)
    pages = [
        "/screening/",
        "/screening/questions/",
        "/screening/questions/?status=all&kind=ml_task",
        "/screening/questions/new/",
        "/screening/assessments/",
        f"/screening/assessments/{assessment.pk}/",
        f"/applications/{tenant_a.application.pk}/sittings/",
        f"/screening/sittings/{sitting.pk}/",
    ]
    for slug in (MC, SHORT, CHURN, LATENCY, PRECISION):
        pages += [f"/screening/questions/{latest(slug).pk}/", f"/screening/questions/{latest(slug).pk}/edit/"]
    for url in pages:
        assert_safe(client.get(url))
    detail = client.get(f"/screening/sittings/{sitting.pk}/").content.decode()
    assert "Grade with the rubric" in detail and "ROC AUC" in detail
    assert "awaiting review" in detail  # the chart shows the competency still waiting for a grade
    assert 'href="/screening/"' in client.get("/").content.decode()  # the nav link


def test_public_files_download_but_hidden_ones_do_not_exist_as_urls(recruiter):
    load_bank()
    client = login(recruiter)
    archive = client.get(f"/screening/questions/{latest(CHURN).pk}/file/")
    assert archive.status_code == 200 and archive.content == bytes(latest(CHURN).public_data)
    assert client.get(f"/screening/questions/{latest(MC).pk}/file/").status_code == 404


def test_editing_a_question_through_the_form_makes_a_new_version(recruiter):
    load_bank()
    client = login(recruiter)
    v1 = latest(MC)
    form = client.get(f"/screening/questions/{v1.pk}/edit/").content.decode()
    assert 'name="correct" maxlength="1" value=""' in form  # the key is never pre-filled
    choices = "\n".join(c["text"] for c in v1.spec["choices"])
    response = client.post(
        f"/screening/questions/{v1.pk}/edit/",
        {
            "version": "1",
            "title": "The four-fifths rule, applied",
            "prompt": v1.prompt,
            "competency": v1.competency,
            "difficulty": "2",
            "choices": choices,
            "correct": "",
            "role_families_present": "1",
        },
    )
    v2 = latest(MC)
    assert response.status_code == 302 and response["Location"] == f"/screening/questions/{v2.pk}/"
    assert (v2.version, v2.title, v2.hidden_key) == (2, "The four-fifths rule, applied", v1.hidden_key)
    stale = client.post(f"/screening/questions/{v1.pk}/edit/", {"version": "1", "title": "Again"})
    assert stale.status_code == 409 and "version 2" in stale.content.decode()


def test_creating_a_question_with_errors_keeps_what_was_typed(recruiter):
    client = login(recruiter)
    response = client.post(
        "/screening/questions/new/",
        {
            "kind": "multiple_choice",
            "title": "Which split for time series?",
            "prompt": "Pick the split.",
            "competency": "model_evaluation",
            "difficulty": "2",
            "choices": "random\nforward-chaining",
            "correct": "",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "say which choice is correct" in html and "Which split for time series?" in html
    response = client.post(
        "/screening/questions/new/",
        {
            "kind": "multiple_choice",
            "title": "Which split for time series?",
            "prompt": "Pick the split.",
            "competency": "model_evaluation",
            "difficulty": "2",
            "choices": "random\nforward-chaining",
            "correct": "b",
        },
    )
    assert response.status_code == 302
    assert Question.objects.get(slug="which-split-for-time-series").hidden_key == {"correct": ["b"]}


def test_assemble_publish_invite_grade_and_decide_through_the_pages(recruiter, tenant_a):
    load_bank()
    client = login(recruiter)
    response = client.post("/screening/assessments/", {"requisition": tenant_a.requisition.pk})
    assessment = Assessment.objects.get()
    assert response["Location"] == f"/screening/assessments/{assessment.pk}/"
    page = assert_safe(client.get(response["Location"]))
    assert "Publish" in page and "Remove" in page
    client.post(response["Location"], {"action": "settings", "pass_percent": "55", "title": assessment.title})
    client.post(response["Location"], {"action": "publish"})
    assessment.refresh_from_db()
    assert assessment.status == "published" and str(assessment.pass_threshold) == "0.5500"
    assert "Remove" not in client.get(response["Location"]).content.decode()

    invited = client.post(
        f"/applications/{tenant_a.application.pk}/sittings/", {"assessment": assessment.pk, "valid_days": "5"}
    )
    sitting = Sitting.objects.get()
    assert invited["Location"] == f"/screening/sittings/{sitting.pk}/"
    detail = client.get(invited["Location"]).content.decode()
    assert "http://testserver/take/" in detail  # the link to send

    # The candidate answers the short answers; everything else is left blank (0 points).
    shorts = AssessmentItem.objects.filter(assessment=assessment, question__kind="short_answer")
    portal.save_answers(sitting, {i.pk: "A careful answer." for i in shorts})
    portal.submit(sitting)
    for submission in Submission.objects.filter(sitting=sitting, status="needs_review"):
        client.post(
            f"/screening/sittings/{sitting.pk}/",
            {"action": "grade", "submission": submission.pk, "level": "4", "note": "Excellent"},
        )
    sitting.refresh_from_db()
    assert sitting.status == "graded" and sitting.result["outcome"] == "fail"
    page = assert_safe(client.get(f"/screening/sittings/{sitting.pk}/"))
    assert 'class="screening-chart"' in page and "Record decision" not in page  # not at Screening yet
    move_application(recruiter, tenant_a.application, to_stage="screening")
    assert "Record decision" in client.get(f"/screening/sittings/{sitting.pk}/").content.decode()
    no_reason = client.post(
        f"/screening/sittings/{sitting.pk}/", {"action": "decide", "to_stage": "submitted"}
    )
    assert no_reason.status_code == 302
    sitting.refresh_from_db()
    assert "decision" not in sitting.result
    client.post(f"/screening/sittings/{sitting.pk}/", {"action": "decide", "to_stage": "rejected"})
    sitting.refresh_from_db()
    assert sitting.result["decision"]["to_stage"] == "rejected"
    assert (
        "moved to <strong>Rejected</strong>"
        in client.get(f"/screening/sittings/{sitting.pk}/").content.decode()
    )


def test_hiring_managers_see_only_their_clients(recruiter, tenant_a, tenant_b, graded):
    _assessment, sitting = graded
    other = make_assessment(recruiter, tenant_b.requisition, [MC])
    other_sitting, _ = services.invite(recruiter, tenant_b.application, other)
    hm = login(tenant_a.hiring_manager)
    assert_safe(hm.get(f"/screening/sittings/{sitting.pk}/"))
    assert hm.get(f"/screening/sittings/{other_sitting.pk}/").status_code == 404
    assert hm.get(f"/applications/{tenant_b.application.pk}/sittings/").status_code == 404
    assert hm.get(f"/screening/assessments/{other.pk}/").status_code == 404
    listing = hm.get("/screening/").content.decode()
    assert tenant_a.person.full_name in listing and tenant_b.person.full_name not in listing
    # A hiring manager may grade their client's written answers, not invite or decide.
    waiting = Submission.objects.get(sitting=sitting, status="needs_review")
    hm.post(f"/screening/sittings/{sitting.pk}/", {"action": "grade", "submission": waiting.pk, "level": "2"})
    waiting.refresh_from_db()
    assert waiting.level == 2 and waiting.graded_by == tenant_a.hiring_manager
    hm.post(f"/applications/{tenant_a.application.pk}/sittings/", {"assessment": other.pk})
    assert Sitting.objects.count() == 2
    assert hm.get("/screening/questions/new/").status_code == 403


def test_compliance_officers_read_but_do_not_grade(compliance_officer, graded):
    _assessment, sitting = graded
    client = login(compliance_officer)
    page = assert_safe(client.get(f"/screening/sittings/{sitting.pk}/"))
    assert "Grade with the rubric" not in page
    waiting = Submission.objects.get(sitting=sitting, status="needs_review")
    client.post(
        f"/screening/sittings/{sitting.pk}/", {"action": "grade", "submission": waiting.pk, "level": "4"}
    )
    waiting.refresh_from_db()
    assert waiting.level is None
