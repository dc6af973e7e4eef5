"""/api/requisitions/{id}/matches, /api/people/{id}/matches, /api/matches/text, saved searches, pools."""

from __future__ import annotations

import datetime as dt

import pytest

from cadre.core.models import DecisionRecord
from cadre.matching.loader import forget_index
from cadre.people.models import SkillEvidence, WorkPreferences
from cadre.people.services import create_person
from cadre.taxonomy.models import Skill


@pytest.fixture(autouse=True)
def _fresh_index():
    forget_index()
    yield
    forget_index()


@pytest.fixture
def candidate(recruiter):
    p = create_person(recruiter, full_name="Grace Hopper", headline="Senior ML engineer")
    WorkPreferences.objects.create(person=p, authorized_countries=["US"])
    SkillEvidence.objects.create(
        person=p,
        skill=Skill.objects.get(slug="pytorch"),
        kind="merged_pr",
        detail="pytorch/pytorch#123",
        observed_on=dt.date.today() - dt.timedelta(days=100),
    )
    return p


def test_requisition_matches(api_as, recruiter, tenant_a, candidate):
    api = api_as(recruiter)
    res = api.get(f"/api/requisitions/{tenant_a.requisition.pk}/matches", top=5)
    assert res.status_code == 200, res.content
    body = res.json()
    assert body["version"].startswith("match-")
    ids = [r["person_id"] for r in body["results"]]
    assert ids == [candidate.pk]  # tenant_a's own applicant is already in the pipeline
    first = body["results"][0]
    matched = first["explanation"]["must_have"]["matched"][0]
    assert matched["skill"] == "pytorch" and matched["evidence"]["detail"] == "pytorch/pytorch#123"
    assert first["explanation"]["nice_to_have"]["missing"][0]["skill"] == "kubernetes"
    assert "Grace" not in res.content.decode()  # names are not part of a ranking
    assert DecisionRecord.objects.filter(kind="match_ranking", person_id=candidate.pk).count() == 1


def test_bad_input(api_as, recruiter, tenant_a, candidate):
    api = api_as(recruiter)
    assert api.get("/api/requisitions/999999/matches").status_code == 404
    assert api.get("/api/people/999999/matches").status_code == 404
    res = api.get(f"/api/requisitions/{tenant_a.requisition.pk}/matches", relax="bogus")
    assert res.status_code == 422 and "unknown filter" in res.json()["detail"]
    res = api.get(f"/api/requisitions/{tenant_a.requisition.pk}/matches", top=1000000)
    assert res.status_code == 200 and len(res.json()["results"]) == 1
    res = api.post("/api/matches/text", {"text": "the of and"})
    assert res.status_code == 200 and res.json()["results"] == [] and "stop-words" in res.json()["reason"]
    assert api.post("/api/matches/text", {"text": ""}).status_code == 422


def test_hiring_manager_cannot_search_the_pool(api_as, tenant_a, candidate):
    res = api_as(tenant_a.hiring_manager).get(f"/api/requisitions/{tenant_a.requisition.pk}/matches")
    assert res.status_code == 403


def test_person_matches_and_text(api_as, recruiter, tenant_a, candidate):
    api = api_as(recruiter)
    res = api.get(f"/api/people/{candidate.pk}/matches")
    assert res.status_code == 200
    assert [r["requisition_id"] for r in res.json()["results"]] == [tenant_a.requisition.pk]
    res = api.post("/api/matches/text", {"text": "Looking for a PyTorch engineer", "top": 3})
    assert [r["person_id"] for r in res.json()["results"]] == [candidate.pk]


def test_saved_searches_and_pools(api_as, recruiter, tenant_a, candidate):
    api = api_as(recruiter)
    res = api.post(
        "/api/saved-searches",
        {"name": "PyTorch", "requisition_id": tenant_a.requisition.pk, "relax": ["clearance"]},
    )
    assert res.status_code == 201, res.content
    sid = res.json()["id"]
    run = api.post(f"/api/saved-searches/{sid}/run")
    assert run.status_code == 200 and run.json()["relaxed"] == ["clearance"]
    assert [s["id"] for s in api.get("/api/saved-searches").json()] == [sid]
    assert api.post("/api/saved-searches", {"name": "nothing"}).status_code == 422
    assert api.delete(f"/api/saved-searches/{sid}").status_code == 204

    pool = api.post("/api/talent-pools", {"name": "Serving bench"})
    assert pool.status_code == 201
    pid = pool.json()["id"]
    assert api.post(f"/api/talent-pools/{pid}/members", {"person_id": candidate.pk}).status_code == 201
    assert api.post(f"/api/talent-pools/{pid}/members", {"person_id": candidate.pk}).status_code == 409
    detail = api.get(f"/api/talent-pools/{pid}").json()
    assert detail["size"] == 1 and detail["members"][0]["person_id"] == candidate.pk
    assert api.delete(f"/api/talent-pools/{pid}/members/{candidate.pk}").status_code == 204
    assert api.post("/api/talent-pools", {"name": "serving BENCH"}).status_code == 409
