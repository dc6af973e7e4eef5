"""Structured-interview API: interviews and kits, your own scorecard from draft to submitted, the blind
rule, corrections, decision rules and the scorecard decision, roles and client scoping."""

from __future__ import annotations

import pytest
from tests.api.conftest import ApiClient
from tests.screening.interview_helpers import (  # noqa: F401 (interview_urls is a fixture)
    EVIDENCE,
    interview_urls,
    interviewer,
    new_interview,
    ratings_for,
    submit,
)

from cadre.core.services import create_api_token
from cadre.screening import frameworks, interview_services
from cadre.screening.models import Interview, Scorecard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("interview_urls")]


def api_as(user) -> ApiClient:
    return ApiClient(create_api_token(user))


@pytest.fixture
def ivan(make_user):
    return interviewer(make_user, "ivan")


@pytest.fixture
def jade(make_user):
    return interviewer(make_user, "jade")


@pytest.fixture
def interview(recruiter, tenant_a, ivan, jade) -> Interview:
    return new_interview(recruiter, tenant_a.application, [ivan, jade])


def test_create_list_and_read_interviews(recruiter, tenant_a, tenant_b, ivan):
    api = api_as(recruiter)
    url = f"/api/applications/{tenant_a.application.pk}/interviews"
    created = api.post(url, {"stage": "final", "interviewer_ids": [ivan.pk, tenant_a.hiring_manager.pk]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["stage"] == "final" and body["framework_version"] == frameworks.FRAMEWORK_VERSION
    assert {i["username"]: i["scorecard_status"] for i in body["interviewers"]} == {
        "hana": "pending",
        "ivan": "pending",
    }
    interview = Interview.objects.get(pk=body["id"])
    assert body["competencies"] == interview_services.kit_slugs(interview)
    assert body["kit"]["questions"][0]["strong_answer"] == interview.kit["questions"][0]["strong_answer"]
    assert [i["id"] for i in api.get(url).json()] == [interview.pk]
    assert api.get(f"/api/interviews/{interview.pk}").json()["kit"]["digest"] == interview.kit["digest"]

    bad = api.post(url, {"stage": "final"})
    assert bad.status_code == 422 and "already has a final interview" in bad.json()["detail"]
    wrong = api.post(url, {"stage": "system_design", "interviewer_ids": [tenant_b.hiring_manager.pk]})
    assert wrong.status_code == 422 and wrong.json()["field"] == "interviewers"
    assert api.post(url, {"stage": "lunch"}).status_code == 422  # not a stage

    other = api_as(tenant_b.hiring_manager)
    assert other.get(url).status_code == 404
    assert other.get(f"/api/interviews/{interview.pk}").status_code == 404
    hm = api_as(tenant_a.hiring_manager)
    assert hm.get(f"/api/interviews/{interview.pk}").status_code == 200
    assert hm.post(url, {"stage": "technical_screen"}).status_code == 403


def test_assign_and_unassign_interviewers(interview, recruiter, ivan, jade, tenant_a):
    api = api_as(recruiter)
    url = f"/api/interviews/{interview.pk}/interviewers"
    body = api.post(url, {"add": [tenant_a.hiring_manager.pk], "remove": [jade.pk]}).json()
    assert sorted(i["username"] for i in body["interviewers"]) == ["hana", "ivan"]
    assert api_as(tenant_a.hiring_manager).post(url, {"add": [jade.pk]}).status_code == 403


def test_your_draft_then_submit_then_locked(interview, ivan):
    api = api_as(ivan)
    url = f"/api/interviews/{interview.pk}/scorecards"
    slugs = interview_services.kit_slugs(interview)
    saved = api.post(url, {"ratings": [{"competency": slugs[0], "level": 3, "evidence": EVIDENCE}]})
    assert saved.status_code == 200, saved.content
    card = saved.json()
    assert card["status"] == "draft" and card["ratings"] == [
        {"competency": slugs[0], "level": 3, "evidence": EVIDENCE}
    ]
    assert len(card["missing"]) == len(slugs)  # the other competencies and the recommendation

    invalid = api.post(url, {"ratings": [{"competency": slugs[0], "level": 9, "evidence": EVIDENCE}]})
    assert invalid.status_code == 422
    assert any("level must be a whole number from 1 to 4, not '9'" in e for e in invalid.json()["errors"])
    stranger = api.post(url, {"ratings": [{"competency": "astrology", "level": 2, "evidence": EVIDENCE}]})
    assert stranger.status_code == 422 and "'astrology' is not a competency" in stranger.json()["errors"][0]
    assert api.post(url, {"ratings": [], "mood": "great"}).status_code == 422  # unknown field

    incomplete = api.post(f"/api/scorecards/{card['id']}/submit", {"recommendation": "yes"})
    assert incomplete.status_code == 422 and len(incomplete.json()["errors"]) == len(slugs) - 1
    done = api.post(
        f"/api/scorecards/{card['id']}/submit",
        {"ratings": ratings_for(interview, 3), "recommendation": "yes", "summary": "Solid."},
    )
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    twice = api.post(f"/api/scorecards/{card['id']}/submit", raw="")  # no body at all
    assert twice.status_code == 422 and "already submitted" in twice.json()["detail"]
    assert api.post(url, {"recommendation": "no"}).status_code == 422


def test_someone_elses_scorecard(interview, ivan, jade, tenant_b):
    card = interview_services.start_scorecard(ivan, interview)
    assert api_as(jade).post(f"/api/scorecards/{card.pk}/submit", {"recommendation": "no"}).status_code == 403
    assert api_as(jade).get(f"/api/scorecards/{card.pk}").status_code == 403  # a draft is its owner's
    assert api_as(tenant_b.hiring_manager).get(f"/api/scorecards/{card.pk}").status_code == 404


def test_the_blind_rule(interview, recruiter, ivan, jade):
    mine = submit(ivan, interview, 2, "no")
    interview_services.start_scorecard(jade, interview)  # a draft of one's own does not lift the blind
    jade_api = api_as(jade)
    assert [c["interviewer"] for c in jade_api.get(f"/api/interviews/{interview.pk}/scorecards").json()] == [
        "Jade Okoro"
    ]
    hidden = jade_api.get(f"/api/scorecards/{mine.pk}")
    assert hidden.status_code == 403 and "submit your own scorecard first" in hidden.json()["detail"]
    assert jade_api.get(f"/api/applications/{interview.application_id}/scorecard-decision").status_code == 403
    assert [c["id"] for c in api_as(recruiter).get(f"/api/interviews/{interview.pk}/scorecards").json()] == [
        mine.pk
    ]
    own = submit(jade, interview, 3, "yes")
    listed = jade_api.get(f"/api/interviews/{interview.pk}/scorecards").json()
    assert [c["id"] for c in listed] == [own.pk, mine.pk]  # yours first
    assert jade_api.get(f"/api/scorecards/{mine.pk}").json()["recommendation"] == "no"


def test_admin_corrections(interview, ivan, admin_user, recruiter):
    card = submit(ivan, interview, 3, "yes")
    slug = interview_services.kit_slugs(interview)[0]
    body = {
        "reason": "Levels of two rows were swapped",
        "ratings": [{"competency": slug, "level": 1, "evidence": EVIDENCE}],
        "recommendation": "no",
    }
    assert api_as(recruiter).post(f"/api/scorecards/{card.pk}/corrections", body).status_code == 403
    fixed = api_as(admin_user).post(f"/api/scorecards/{card.pk}/corrections", body)
    assert fixed.status_code == 200, fixed.content
    assert fixed.json()["recommendation"] == "no"
    assert {r["competency"]: r["level"] for r in fixed.json()["ratings"]}[slug] == 1


def test_any_strong_no_rejects_through_the_api(interview, recruiter, ivan, jade, tenant_a, tenant_b):
    url = f"/api/applications/{tenant_a.application.pk}/scorecard-decision"
    api = api_as(recruiter)
    assert api.get(url).json() is None
    assert api.post(url).status_code == 422  # nothing submitted yet
    submit(ivan, interview, 4, "strong_yes")
    submit(jade, interview, 4, "strong_no")
    decided = api.post(url)
    assert decided.status_code == 201, decided.content
    body = decided.json()
    assert (body["outcome"], body["decided_by"], body["kind"]) == (
        "reject",
        "strong-no-veto",
        "scorecard_decision",
    )
    assert body["reasons"][0]["fired"] is True and body["current"] is True
    assert api.get(url).json()["id"] == body["id"]
    assert api_as(tenant_b.hiring_manager).post(url).status_code == 404
    stage = tenant_a.application.stage
    tenant_a.application.refresh_from_db()
    assert tenant_a.application.stage == stage


def test_decision_rules_through_the_api(recruiter, tenant_a, tenant_b):
    api = api_as(recruiter)
    assert api.get("/api/screening/decision-rules").json()["active"]["scope"] == "builtin"
    bad = api.post(
        "/api/screening/decision-rules",
        {
            "requisition_id": tenant_a.requisition.pk,
            "rules": [{"id": "x", "outcome": "advance", "when": "always"}],
        },
    )
    assert bad.status_code == 422 and bad.json()["field"] == "rules"
    assert "rules[0].when" in bad.json()["detail"]
    rules = [{"id": "all", "outcome": "hold", "when": []}]
    made = api.post(
        "/api/screening/decision-rules", {"requisition_id": tenant_a.requisition.pk, "rules": rules}
    )
    assert made.status_code == 201 and made.json()["version"] == 1
    got = api.get("/api/screening/decision-rules", requisition=tenant_a.requisition.pk).json()
    assert got["active"]["id"] == made.json()["id"] and [h["version"] for h in got["history"]] == [1]
    hm_b = api_as(tenant_b.hiring_manager)
    assert hm_b.get("/api/screening/decision-rules", requisition=tenant_a.requisition.pk).status_code == 404
    assert (
        hm_b.post(
            "/api/screening/decision-rules", {"requisition_id": tenant_a.requisition.pk, "rules": rules}
        ).status_code
        == 404
    )
    assert Scorecard.objects.count() == 0
