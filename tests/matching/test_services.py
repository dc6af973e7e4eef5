"""Matching against the database: requisition -> people, person -> requisitions, text, decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.matching.helpers import TODAY, evidence, person

from cadre.core.exceptions import Conflict, Forbidden, ValidationFailed
from cadre.core.models import DecisionRecord
from cadre.matching import services
from cadre.matching.loader import forget_index
from cadre.matching.models import SearchDocument
from cadre.people.models import Person, WorkPreferences
from cadre.people.services import create_person
from cadre.requisitions.models import Requisition
from cadre.requisitions.services import create_requisition
from cadre.taxonomy.models import Skill


def test_strong_recent_evidence_outranks_an_old_resume_keyword(recruiter, req):
    strong = person(recruiter, "Strong")
    evidence(strong, "pytorch", "merged_pr", 0.5)
    evidence(strong, "kubernetes", "employment", 1)
    weak = person(recruiter, "Weak")
    evidence(weak, "pytorch", "resume", 11)
    evidence(weak, "kubernetes", "resume", 11)
    outcome = services.match_people(recruiter, req)
    ids = [r["person_id"] for r in outcome.results]
    assert ids.index(strong.pk) < ids.index(weak.pk)
    top = outcome.results[0]["explanation"]
    matched = {m["skill"]: m for m in top["must_have"]["matched"]}
    assert matched["pytorch"]["evidence"]["kind"] == "merged_pr"
    assert matched["pytorch"]["evidence"]["detail"] == "pytorch via merged_pr"
    assert top["must_have"]["missing"] == []
    assert {m["skill"] for m in top["nice_to_have"]["missing"]} == {"mlflow"}
    weak_row = next(r for r in outcome.results if r["person_id"] == weak.pk)
    assert any("probe depth" in note for note in weak_row["explanation"]["validate_in_interview"])


def test_missing_must_have_is_explained_and_costs_score(recruiter, req):
    both = person(recruiter, "Both")
    evidence(both, "pytorch", "employment")
    evidence(both, "kubernetes", "employment")
    half = person(recruiter, "Half")
    evidence(half, "pytorch", "employment")
    outcome = services.match_people(recruiter, req)
    by_id = {r["person_id"]: r for r in outcome.results}
    assert by_id[both.pk]["score"] > by_id[half.pk]["score"]
    missing = [m["skill"] for m in by_id[half.pk]["explanation"]["must_have"]["missing"]]
    assert missing == ["kubernetes"]
    assert "No evidence of Kubernetes" in " ".join(by_id[half.pk]["explanation"]["validate_in_interview"])


def test_a_more_specific_skill_counts_with_less_weight(recruiter, tenant_a):
    child = Skill.objects.filter(parent__slug="aws").order_by("slug").first()
    assert child is not None, "the ontology has AWS services under AWS"
    r = create_requisition(
        recruiter, client=tenant_a.client, title="Cloud ML", skills=[(Skill.objects.get(slug="aws"), "must")]
    )
    exact = person(recruiter, "Exact")
    evidence(exact, "aws", "employment")
    specific = person(recruiter, "Specific")
    evidence(specific, child.slug, "employment")
    outcome = services.match_people(recruiter, r)
    by_id = {x["person_id"]: x for x in outcome.results}
    assert by_id[exact.pk]["score"] > by_id[specific.pk]["score"] > 0
    via = by_id[specific.pk]["explanation"]["must_have"]["matched"][0]
    assert via["via"] == "more specific" and via["via_skill"] == child.slug


def test_hard_filters_exclude_and_can_be_relaxed(recruiter, req):
    req.clearance_required = "secret"
    req.save()
    cleared = person(recruiter, "Cleared", clearance_level="top_secret", authorized_countries=["US"])
    evidence(cleared, "pytorch", "employment")
    expired = person(
        recruiter,
        "Expired",
        clearance_level="secret",
        clearance_expires=TODAY - dt.timedelta(days=3),
        authorized_countries=["US"],
    )
    evidence(expired, "pytorch", "employment")
    none = person(recruiter, "None", authorized_countries=["US"])
    evidence(none, "pytorch", "employment")
    outcome = services.match_people(recruiter, req)
    assert [r["person_id"] for r in outcome.results] == [cleared.pk]
    assert outcome.excluded_by["Security clearance"] == 2
    relaxed = services.match_people(recruiter, req, relaxed=frozenset({"clearance"}))
    assert {r["person_id"] for r in relaxed.results} == {cleared.pk, expired.pk, none.pk}


def test_work_authorization_unless_sponsorship(recruiter, req):
    citizen = person(recruiter, "Citizen", authorized_countries=["US"])
    needs_visa = person(recruiter, "Visa", authorized_countries=["IN"])
    unknown = person(recruiter, "Unknown")
    for p in (citizen, needs_visa, unknown):
        evidence(p, "pytorch", "employment")
    outcome = services.match_people(recruiter, req)
    assert {r["person_id"] for r in outcome.results} == {citizen.pk, unknown.pk}
    unknown_row = next(r for r in outcome.results if r["person_id"] == unknown.pk)
    assert "Work authorization for US unknown" in " ".join(
        unknown_row["explanation"]["validate_in_interview"]
    )
    req.sponsorship_available = True
    req.save()
    ids = {r["person_id"] for r in services.match_people(recruiter, req).results}
    assert ids == {citizen.pk, needs_visa.pk, unknown.pk}


def test_pay_availability_engagement_and_time_zone_filters(recruiter, req):
    req.sponsorship_available = True
    req.pay_max = 100
    req.rate_unit = "hour"
    req.start_date = TODAY + dt.timedelta(days=30)
    req.engagement_type = "contract"
    req.time_zone = "America/New_York"
    req.max_tz_difference_hours = 3
    req.save()
    ok = person(recruiter, "Fits", min_rate=90, available_from=TODAY, engagement_types=["contract"])
    pricey = person(recruiter, "Pricey", min_rate=250_000, rate_unit="year")  # 120/h
    late = person(recruiter, "Late", available_from=TODAY + dt.timedelta(days=90))
    perm = person(recruiter, "Perm only", engagement_types=["direct_hire"])
    far = create_person(recruiter, full_name="Far", headline="ML engineer", time_zone="Asia/Tokyo")
    for p in (ok, pricey, late, perm, far):
        evidence(p, "pytorch", "employment")
    outcome = services.match_people(recruiter, req)
    assert [r["person_id"] for r in outcome.results] == [ok.pk]
    assert {k: v for k, v in outcome.excluded_by.items() if v} == {
        "Time zone": 1,
        "Availability date": 1,
        "Pay band": 1,
        "Engagement type": 1,
    }


def test_nobody_has_the_must_haves_gives_a_reason(recruiter, tenant_a):
    r = create_requisition(
        recruiter, client=tenant_a.client, title="Quantum", skills=[(Skill.objects.get(slug="jax"), "must")]
    )
    outcome = services.match_people(recruiter, r)
    assert outcome.results == []
    assert "Nobody in the talent pool has evidence for any of: JAX" in outcome.reason
    assert not DecisionRecord.objects.filter(kind="match_ranking").exists()


def test_empty_requisition_gives_a_reason(recruiter, tenant_a):
    r = Requisition.objects.create(client=tenant_a.client, title="-")
    outcome = services.match_people(recruiter, r)
    assert outcome.results == [] and "no skills" in outcome.reason


def test_people_already_in_the_pipeline_are_left_out_unless_asked(recruiter, tenant_a):
    evidence(tenant_a.person, "pytorch", "employment")
    other = person(recruiter, "Other", authorized_countries=["US"])
    evidence(other, "pytorch", "employment")
    WorkPreferences.objects.create(person=tenant_a.person, authorized_countries=["US"])
    ids = [r["person_id"] for r in services.match_people(recruiter, tenant_a.requisition).results]
    assert ids == [other.pk]
    ids = {
        r["person_id"]
        for r in services.match_people(recruiter, tenant_a.requisition, include_in_pipeline=True).results
    }
    assert ids == {other.pk, tenant_a.person.pk}


def test_rankings_write_decision_records(recruiter, req):
    a = person(recruiter, "A", authorized_countries=["US"])
    evidence(a, "pytorch", "merged_pr")
    outcome = services.match_people(recruiter, req)
    record = DecisionRecord.objects.get(kind="match_ranking", person_id=a.pk)
    assert record.subject_type == "requisitions.requisition" and record.subject_id == str(req.pk)
    assert record.version == outcome.version and record.inputs_digest == outcome.inputs_digest
    assert float(record.score) == pytest.approx(outcome.results[0]["score"], abs=1e-6)
    assert record.explanation["must_have"]["matched"][0]["skill"] == "pytorch"
    assert record.actor == recruiter


def test_same_inputs_same_ranking_and_names_are_not_inputs(recruiter, req):
    people = []
    for i in range(6):
        p = person(recruiter, f"Person {i}", authorized_countries=["US"])
        evidence(p, "pytorch", ["resume", "employment", "merged_pr"][i % 3], i)
        people.append(p)
    first = services.match_people(recruiter, req, record=False)
    Person.objects.filter(pk=people[0].pk).update(full_name="Completely Different Name")
    forget_index()
    second = services.match_people(recruiter, req, record=False)
    assert [(r["person_id"], r["score"]) for r in first.results] == [
        (r["person_id"], r["score"]) for r in second.results
    ]
    assert first.inputs_digest == second.inputs_digest


def test_requisitions_for_a_person_use_the_same_scores(recruiter, req, tenant_a):
    p = person(recruiter, "Both ways", authorized_countries=["US"])
    evidence(p, "pytorch", "merged_pr")
    evidence(p, "kubernetes", "employment")
    forward = {r["person_id"]: r["score"] for r in services.match_people(recruiter, req).results}
    outcome = services.match_requisitions(recruiter, p)
    by_req = {r["requisition_id"]: r["score"] for r in outcome.results}
    assert by_req[req.pk] == pytest.approx(forward[p.pk], abs=1e-6)
    # tenant_a's requisition asks for PyTorch too; it is listed.
    assert tenant_a.requisition.pk in by_req


def test_match_text_and_stop_words(recruiter):
    p = person(recruiter, "Text")
    evidence(p, "pytorch", "employment")
    outcome = services.match_text(recruiter, "We need a senior engineer. Must have PyTorch.")
    assert [r["person_id"] for r in outcome.results] == [p.pk]
    empty = services.match_text(recruiter, "the and of to with")
    assert empty.results == [] and "stop-words" in empty.reason
    with pytest.raises(ValidationFailed):
        services.match_text(recruiter, "   ")


def test_text_only_search_uses_full_text(recruiter):
    p = person(recruiter, "Quant", headline="Quantitative researcher, market microstructure")
    evidence(p, "python", "employment")
    outcome = services.match_text(recruiter, "microstructure researcher")
    assert [r["person_id"] for r in outcome.results] == [p.pk]
    assert outcome.results[0]["explanation"]["text_relevance"] > 0
    assert SearchDocument.objects.filter(person_id=p.pk).exists()


def test_top_is_capped(recruiter, req):
    for i in range(3):
        evidence(person(recruiter, f"P{i}", authorized_countries=["US"]), "pytorch")
    assert len(services.match_people(recruiter, req, top=0).results) == 1
    assert len(services.match_people(recruiter, req, top=10**9).results) == 3


def test_hiring_managers_cannot_search_the_whole_pool(tenant_a):
    with pytest.raises(Forbidden):
        services.match_people(tenant_a.hiring_manager, tenant_a.requisition)


def test_merged_people_are_not_ranked(recruiter, req):
    a = person(recruiter, "A", authorized_countries=["US"])
    b = person(recruiter, "B", authorized_countries=["US"])
    evidence(a, "pytorch")
    evidence(b, "pytorch")
    Person.objects.filter(pk=b.pk).update(merged_into=a)
    ids = [r["person_id"] for r in services.match_people(recruiter, req).results]
    assert ids == [a.pk]


def test_talent_pools_and_saved_searches(recruiter, req):
    p = person(recruiter, "Pooled")
    pool = services.create_pool(recruiter, name="LLM bench")
    services.add_to_pool(recruiter, pool, p, note="great at serving")
    with pytest.raises(Conflict):
        services.add_to_pool(recruiter, pool, p)
    with pytest.raises(Conflict):
        services.create_pool(recruiter, name="llm BENCH")
    services.remove_from_pool(recruiter, pool, p)
    assert not pool.memberships.exists()
    search = services.save_search(
        recruiter, name="Serving", requisition=req, relaxed=frozenset({"clearance"})
    )
    outcome = services.run_saved_search(recruiter, search)
    assert outcome.relaxed == ["clearance"]
    search.refresh_from_db()
    assert search.last_run_at is not None


def test_the_index_is_trusted_for_a_few_seconds(recruiter, monkeypatch, django_assert_num_queries):
    from cadre.matching import loader

    monkeypatch.setattr(loader, "SIGNATURE_TTL_S", 60.0)
    first = loader.current_index()
    with django_assert_num_queries(0):
        assert loader.current_index() is first
    monkeypatch.setattr(loader, "SIGNATURE_TTL_S", 0.0)
    evidence(person(recruiter, "New"), "pytorch")
    assert loader.current_index() is not first  # data changed: rebuilt
