"""Structured-interview pages: the kit, an interviewer's scorecard form (errors keep what was typed), the
blind rule on the summary, the decision-rule outcome, the rules page, roles and client scoping."""

from __future__ import annotations

import html
import re

import pytest
from tests.screening.interview_helpers import (  # noqa: F401 (interview_urls is a fixture)
    EVIDENCE,
    interview_urls,
    interviewer,
    new_interview,
    submit,
)
from tests.web.helpers import login

from cadre.core.models import DecisionRecord
from cadre.screening import interview_services
from cadre.screening.models import DecisionRuleSet, Interview, Scorecard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("interview_urls")]


def text_of(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<style.*?</style>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture
def ivan(make_user):
    return interviewer(make_user, "ivan")


@pytest.fixture
def jade(make_user):
    return interviewer(make_user, "jade")


@pytest.fixture
def interview(recruiter, tenant_a, ivan, jade) -> Interview:
    return new_interview(recruiter, tenant_a.application, [ivan, jade])


def summary_url(application) -> str:
    return f"/screening/applications/{application.pk}/interviews/"


def form_for(interview: Interview, level: int | str, evidence: str, recommendation: str, action: str) -> dict:
    data = {"action": action, "recommendation": recommendation, "summary": ""}
    for slug in interview_services.kit_slugs(interview):
        data[f"level_{slug}"] = str(level)
        data[f"evidence_{slug}"] = evidence
    return data


# ------------------------------------------------------------------------------------------ kit


def test_kit_page_shows_questions_strong_answers_and_the_anchored_rubric(interview, recruiter, tenant_a):
    response = login(recruiter).get(f"/screening/interviews/{interview.pk}/")
    assert response.status_code == 200
    page = text_of(response)
    for q in interview.kit["questions"]:
        assert q["prompt"] in page
        for point in q["strong_answer"]:
            assert point in page
    for comp in interview.kit["competencies"]:
        assert f"bar for this role: level {comp['expected_level']}" in page
        for level in comp["levels"]:
            assert f"{level['level']} · {level['label']}" in page
            assert level["anchor"] in page
    assert interview.framework_version in page
    # The hiring manager of the client reads it too; another client's is a 404.
    assert login(tenant_a.hiring_manager).get(f"/screening/interviews/{interview.pk}/").status_code == 200


def test_other_clients_interviews_are_not_found(interview, tenant_b):
    client = login(tenant_b.hiring_manager)
    application = interview.application
    assert client.get(f"/screening/interviews/{interview.pk}/").status_code == 404
    assert client.get(f"/screening/interviews/{interview.pk}/scorecard/").status_code == 404
    assert client.get(summary_url(application)).status_code == 404
    assert client.post(f"/screening/applications/{application.pk}/scorecard-decision/").status_code == 404


# ------------------------------------------------------------------------------------------ scorecard


def test_scorecard_form_is_for_assigned_interviewers_only(interview, recruiter, ivan):
    assert login(recruiter).get(f"/screening/interviews/{interview.pk}/scorecard/").status_code == 403
    response = login(ivan).get(f"/screening/interviews/{interview.pk}/scorecard/")
    assert response.status_code == 200
    page = response.content.decode()
    for slug in interview_services.kit_slugs(interview):
        for level in (1, 2, 3, 4):
            assert f'name="level_{slug}" value="{level}"' in page
        assert f'name="evidence_{slug}"' in page
    assert 'name="recommendation" value="strong_no"' in page


def test_a_failed_submit_lists_the_problems_and_keeps_what_was_typed(interview, ivan):
    client = login(ivan)
    url = f"/screening/interviews/{interview.pk}/scorecard/"
    data = form_for(interview, 3, "Too short", "yes", "submit")
    first = interview_services.kit_slugs(interview)[0]
    data[f"level_{first}"] = "7"
    response = client.post(url, data)
    assert response.status_code == 422
    page = text_of(response)
    names = [c["name"] for c in interview.kit["competencies"]]
    assert f"{names[0]}: level must be a whole number from 1 to 4, not '7'" in page
    assert "Too short" in response.content.decode()  # the typed evidence is still in the form
    assert not Scorecard.objects.filter(interview=interview, status=Scorecard.Status.SUBMITTED).exists()
    # Levels fixed but the evidence still too short: one message per competency.
    data[f"level_{first}"] = "3"
    response = client.post(url, data)
    assert response.status_code == 422
    for name in names:
        assert f"{name}: evidence is required" in text_of(response)


def test_save_a_draft_then_submit(interview, ivan):
    client = login(ivan)
    url = f"/screening/interviews/{interview.pk}/scorecard/"
    response = client.post(url, form_for(interview, 2, EVIDENCE, "", "save"))
    assert response.status_code == 302
    card = Scorecard.objects.get(interview=interview, interviewer=ivan)
    assert card.status == Scorecard.Status.DRAFT and card.ratings.count() == len(
        interview.kit["competencies"]
    )
    page = client.get(url).content.decode()
    assert EVIDENCE in page and "Draft" in page
    response = client.post(url, form_for(interview, 4, EVIDENCE, "strong_yes", "submit"), follow=True)
    assert response.status_code == 200
    card.refresh_from_db()
    assert card.status == Scorecard.Status.SUBMITTED and card.recommendation == "strong_yes"
    assert "Submitted scorecards are locked" in text_of(response)
    again = client.post(url, form_for(interview, 1, EVIDENCE, "strong_no", "submit"))
    assert again.status_code == 422 and "already submitted" in text_of(again)
    card.refresh_from_db()
    assert card.recommendation == "strong_yes"


# ------------------------------------------------------------------------------------------ blind rule


def test_scorecards_stay_blind_until_the_interviewer_submits(interview, recruiter, ivan, jade):
    secret = "Derived the gradient of the loss on the whiteboard without notes."
    card = interview_services.start_scorecard(ivan, interview)
    interview_services.submit_scorecard(
        ivan,
        card,
        ratings=[
            {"competency": slug, "level": 1, "evidence": secret}
            for slug in interview_services.kit_slugs(interview)
        ],
        recommendation="strong_no",
    )
    interview_services.decide_application(recruiter, interview.application)
    url = summary_url(interview.application)

    blind = text_of(login(jade).get(url))
    assert secret not in blind and "Strong no" not in blind
    assert "Blind until you submit" in blind and "hidden until you submit yours" in blind
    assert "Any strong no rejects" not in blind  # the decision is hidden too

    organiser = text_of(login(recruiter).get(url))  # not an interviewer: sees what is submitted
    assert secret in organiser and "Strong no" in organiser

    submit(jade, interview, 3, "yes")
    after = text_of(login(jade).get(url))
    assert secret in after and "Blind until you submit" not in after
    own_page = text_of(login(jade).get(f"/screening/interviews/{interview.pk}/scorecard/"))
    assert secret in own_page


# ------------------------------------------------------------------------------------------ decisions


def test_applying_the_rules_shows_the_outcome_and_leaves_the_stage(
    interview, recruiter, ivan, jade, tenant_a
):
    submit(ivan, interview, 4, "strong_yes")
    submit(jade, interview, 3, "strong_no")
    client = login(recruiter)
    page = text_of(client.get(summary_url(tenant_a.application)))
    assert "Not applied yet" in page and "Apply the decision rules" in page
    response = client.post(
        f"/screening/applications/{tenant_a.application.pk}/scorecard-decision/", follow=True
    )
    page = text_of(response)
    assert "Decision rules: Reject" in page
    assert "Any strong no rejects" in page and "1 strong no (>= 1)" in page
    assert "never moves the application" in page
    record = DecisionRecord.objects.get(kind="scorecard_decision")
    assert record.inputs_digest[:12] in page
    stage = tenant_a.application.stage
    tenant_a.application.refresh_from_db()
    assert tenant_a.application.stage == stage
    # A later scorecard makes the recorded decision out of date.
    interview_services.update_interviewers(recruiter, interview, add=[tenant_a.hiring_manager])
    submit(tenant_a.hiring_manager, interview, 2, "no")
    assert "Scorecards or rules changed since this decision" in text_of(
        client.get(summary_url(tenant_a.application))
    )


def test_recruiters_create_interviews_from_the_summary(recruiter, tenant_a, ivan):
    client = login(recruiter)
    response = client.post(
        summary_url(tenant_a.application),
        {"stage": "system_design", "interviewers": [str(ivan.pk), str(tenant_a.hiring_manager.pk)]},
        follow=True,
    )
    interview = Interview.objects.get(application=tenant_a.application)
    assert interview.stage == "system_design"
    assert set(interview.interviewers.all()) == {ivan, tenant_a.hiring_manager}
    assert "System design interview created" in text_of(response)
    again = client.post(summary_url(tenant_a.application), {"stage": "system_design"}, follow=True)
    assert "already has a system design interview" in text_of(again)
    hm = login(tenant_a.hiring_manager).post(
        summary_url(tenant_a.application), {"stage": "final"}, follow=True
    )
    assert "may not edit records" in text_of(hm)
    assert Interview.objects.count() == 1


# ------------------------------------------------------------------------------------------ rules page


def test_rules_page_validates_and_versions(recruiter, tenant_a):
    client = login(recruiter)
    url = f"/screening/requisitions/{tenant_a.requisition.pk}/decision-rules/"
    page = text_of(client.get(url))
    assert "cadre-default" in page and "Any strong no rejects" in page
    bad = client.post(url, {"rules": '[{"id": "a", "outcome": "advance", "when": [}]'})
    assert bad.status_code == 422 and "not valid JSON" in text_of(bad)
    assert '{"id": "a", "outcome": "advance", "when": [}]' in html.unescape(bad.content.decode())
    wrong = client.post(url, {"rules": '[{"id": "a", "outcome": "advance", "when": [{"metric": "vibes"}]}]'})
    assert wrong.status_code == 422 and "rules[0].when[0]: metric must be one of" in text_of(wrong)
    rules = '[{"id": "all-in", "description": "Everyone advances", "outcome": "advance", "when": []}]'
    ok = client.post(url, {"rules": rules}, follow=True)
    assert "saved as requisition-" in text_of(ok) and "Everyone advances" in text_of(ok)
    assert DecisionRuleSet.objects.get(requisition=tenant_a.requisition).active
    assert login(tenant_a.hiring_manager).post(url, {"rules": rules}).status_code == 403
