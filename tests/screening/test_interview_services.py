"""Structured interviews, the services: kits snapshot from the framework, interviewers, scorecards from
draft to locked, admin corrections, versioned decision rule sets and the recorded scorecard decision."""

from __future__ import annotations

import pytest
from tests.screening.interview_helpers import (
    EVIDENCE,
    applicant,
    interviewer,
    new_interview,
    ratings_for,
    submit,
)

from cadre.core.exceptions import Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog, DecisionRecord
from cadre.pipeline.models import StageEvent
from cadre.requisitions.models import JobProfile
from cadre.screening import decisions, frameworks, interview_services
from cadre.screening.interview_services import ScorecardInvalid
from cadre.screening.models import CompetencyRating, DecisionRuleSet, Interview, Scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def ivan(make_user):
    return interviewer(make_user, "ivan")


@pytest.fixture
def jade(make_user):
    return interviewer(make_user, "jade")


def audit_rows(obj, action=None):
    """The object's audit entries, oldest first."""
    qs = AuditLog.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
        "at", "id"
    )
    return list(qs.filter(action=action) if action else qs)


# ------------------------------------------------------------------------------------------ kits


def test_interview_snapshots_the_kit_of_the_requisitions_framework(recruiter, tenant_a, ivan):
    interview = new_interview(recruiter, tenant_a.application, [ivan])
    framework = frameworks.framework_for("ml-engineer", "senior")
    expected = frameworks.interview_kit(
        framework, "technical_screen", seed=f"requisition-{tenant_a.requisition.pk}"
    )
    assert interview.framework_version == frameworks.FRAMEWORK_VERSION
    assert interview.kit["digest"] == expected.digest
    assert {k: v for k, v in interview.kit.items() if k != "digest"} == expected.as_dict()
    assert interview_services.kit_slugs(interview) == [c.slug for c in expected.competencies]
    assert [q["id"] for q in interview.kit["questions"]] == [q.id for q in expected.questions]
    assert list(interview.interviewers.all()) == [ivan]
    (created,) = audit_rows(interview, AuditLog.Action.CREATE)
    assert created.actor == recruiter
    assert created.after["kit_digest"] == expected.digest and created.after["interviewer_ids"] == [ivan.pk]
    assert "kit" not in created.after  # the row keeps the kit; the log keeps its digest


def test_every_candidate_on_a_requisition_gets_the_same_questions(recruiter, tenant_a, ivan):
    other = applicant(recruiter, tenant_a.requisition, "Cleo Marsh", "cleo")
    first = new_interview(recruiter, tenant_a.application, [ivan])
    second = new_interview(recruiter, other, [ivan])
    assert first.kit == second.kit


def test_the_job_profiles_competencies_limit_the_kit(recruiter, tenant_a, ivan):
    JobProfile.objects.update_or_create(
        requisition=tenant_a.requisition,
        defaults={
            "role_family": tenant_a.requisition.role_family,
            "seniority": "senior",
            "competencies": ["coding", "model-evaluation", "deep-learning"],
        },
    )
    interview = new_interview(recruiter, tenant_a.application, [ivan])
    assert interview_services.kit_slugs(interview) == ["coding", "model_evaluation"]
    assert any("job profile screens on" in note for note in interview.kit["notes"])


def test_stage_and_interviewer_problems_are_clear(recruiter, tenant_a, tenant_b, compliance_officer, ivan):
    with pytest.raises(ValidationFailed, match="unknown interview stage 'onsite'"):
        new_interview(recruiter, tenant_a.application, [], stage="onsite")
    with pytest.raises(ValidationFailed) as exc:
        new_interview(recruiter, tenant_a.application, [tenant_b.hiring_manager, compliance_officer, 999999])
    assert exc.value.field == "interviewers"
    assert "hugo is not a hiring manager of Northwind Robotics" in exc.value.message
    assert "colm is a compliance officer and cannot interview" in exc.value.message
    assert "user 999999 does not exist" in exc.value.message
    new_interview(recruiter, tenant_a.application, [ivan, tenant_a.hiring_manager])
    with pytest.raises(ValidationFailed, match="already has a technical screen interview"):
        new_interview(recruiter, tenant_a.application, [])


def test_an_interview_needs_at_least_one_interviewer(recruiter, tenant_a, ivan, jade):
    with pytest.raises(ValidationFailed, match="choose at least one interviewer") as exc:
        new_interview(recruiter, tenant_a.application, [])
    assert exc.value.field == "interviewers"
    assert not Interview.objects.filter(application=tenant_a.application).exists()  # nothing half-made
    interview = new_interview(recruiter, tenant_a.application, [ivan])
    with pytest.raises(ValidationFailed, match="keeps at least one interviewer") as removing:
        interview_services.update_interviewers(recruiter, interview, remove=[ivan.pk])
    assert removing.value.field == "remove"
    assert list(interview.interviewers.all()) == [ivan]
    # Swapping the last interviewer for another in one change is fine.
    interview_services.update_interviewers(recruiter, interview, add=[jade.pk], remove=[ivan.pk])
    assert list(interview.interviewers.all()) == [jade]


def test_only_editors_create_interviews_and_scoping_hides_other_clients(tenant_a, tenant_b):
    with pytest.raises(Forbidden):
        new_interview(tenant_a.hiring_manager, tenant_a.application, [])
    with pytest.raises(Forbidden):
        new_interview(tenant_b.hiring_manager, tenant_a.application, [])


def test_interviewers_added_and_removed_but_not_once_they_started(recruiter, tenant_a, ivan, jade):
    interview = new_interview(recruiter, tenant_a.application, [ivan])
    interview_services.update_interviewers(recruiter, interview, add=[jade.pk, tenant_a.hiring_manager.pk])
    assert set(interview.interviewers.all()) == {ivan, jade, tenant_a.hiring_manager}
    interview_services.start_scorecard(ivan, interview)
    with pytest.raises(ValidationFailed, match="ivan already started a scorecard"):
        interview_services.update_interviewers(recruiter, interview, remove=[ivan.pk])
    interview_services.update_interviewers(recruiter, interview, remove=[jade.pk])
    assert set(interview.interviewers.all()) == {ivan, tenant_a.hiring_manager}
    added, removed = audit_rows(interview, AuditLog.Action.UPDATE)
    assert jade.pk not in added.before["interviewer_ids"] and jade.pk in added.after["interviewer_ids"]
    update = removed
    assert jade.pk in update.before["interviewer_ids"] and jade.pk not in update.after["interviewer_ids"]


# ------------------------------------------------------------------------------------------ scorecards


@pytest.fixture
def interview(recruiter, tenant_a, ivan, jade):
    return new_interview(recruiter, tenant_a.application, [ivan, jade, tenant_a.hiring_manager])


def test_only_assigned_interviewers_fill_scorecards(interview, recruiter, tenant_b):
    with pytest.raises(Forbidden, match="only the interviewers assigned"):
        interview_services.start_scorecard(recruiter, interview)
    with pytest.raises(NotFound):
        interview_services.start_scorecard(tenant_b.hiring_manager, interview)


def test_a_hiring_manager_of_the_client_fills_their_own_scorecard(interview, tenant_a):
    card = submit(tenant_a.hiring_manager, interview, 3, "yes")
    assert card.status == Scorecard.Status.SUBMITTED and card.interviewer == tenant_a.hiring_manager


def test_draft_save_reports_every_problem_and_writes_nothing(interview, ivan):
    card = interview_services.start_scorecard(ivan, interview)
    slugs = interview_services.kit_slugs(interview)
    bad = [
        {"competency": slugs[0], "level": 5, "evidence": EVIDENCE},
        {"competency": slugs[1], "level": "three", "evidence": EVIDENCE},
        {"competency": "mlops", "level": 3, "evidence": EVIDENCE},
        {"competency": slugs[2], "level": None, "evidence": "Said something useful"},
        {"competency": slugs[3], "level": 2, "evidence": EVIDENCE},
    ]
    with pytest.raises(ScorecardInvalid) as exc:
        interview_services.save_scorecard(ivan, card, ratings=bad, recommendation="maybe")
    errors = exc.value.errors
    names = {c["slug"]: c["name"] for c in interview.kit["competencies"]}
    assert f"{names[slugs[0]]}: level must be a whole number from 1 to 4, not '5'" in errors
    assert f"{names[slugs[1]]}: level must be a whole number from 1 to 4, not 'three'" in errors
    assert any(e.startswith("'mlops' is not a competency of this interview's kit") for e in errors)
    assert f"{names[slugs[2]]}: choose a level (1-4) to keep its evidence" in errors
    assert any(e.startswith("recommendation must be one of strong_no, no, yes, strong_yes") for e in errors)
    assert len(errors) == 5
    assert not CompetencyRating.objects.filter(scorecard=card).exists()  # the valid one was not kept either


def test_draft_saves_partial_ratings_replacing_the_set(interview, ivan):
    card = interview_services.start_scorecard(ivan, interview)
    first, second = interview_services.kit_slugs(interview)[:2]
    interview_services.save_scorecard(
        ivan, card, ratings=[{"competency": first, "level": "3", "evidence": "short"}], recommendation="yes"
    )
    interview_services.save_scorecard(
        ivan, card, ratings=[{"competency": second, "level": 2, "evidence": ""}]
    )
    assert {r.competency: r.level for r in card.ratings.all()} == {second: 2}
    card.refresh_from_db()
    assert card.status == Scorecard.Status.DRAFT and card.recommendation == "yes"
    assert len(audit_rows(card, AuditLog.Action.UPDATE)) == 2


def test_submitting_needs_every_competency_with_evidence_and_a_recommendation(interview, ivan):
    card = interview_services.start_scorecard(ivan, interview)
    slugs = interview_services.kit_slugs(interview)
    names = {c["slug"]: c["name"] for c in interview.kit["competencies"]}
    partial = ratings_for(interview, 3)[:-1]
    partial[0]["evidence"] = "Good."
    with pytest.raises(ScorecardInvalid) as exc:
        interview_services.submit_scorecard(ivan, card, ratings=partial)
    assert exc.value.errors == [
        f"{names[slugs[0]]}: evidence is required (at least {interview_services.MIN_EVIDENCE_CHARS} "
        "characters on what the candidate said or did)",
        f"{names[slugs[-1]]}: choose a level from 1 to 4 and write the evidence for it",
        "choose an overall recommendation (strong no, no, yes or strong yes)",
    ]
    card.refresh_from_db()
    assert card.status == Scorecard.Status.DRAFT
    assert not card.ratings.exists()  # a failed submit leaves the draft as it was


def test_submitted_scorecards_are_locked(interview, ivan):
    card = submit(ivan, interview, 3, "yes")
    assert card.submitted_at is not None
    submitted = audit_rows(card, AuditLog.Action.UPDATE)[-1]
    assert submitted.before["status"] == "draft" and submitted.after["status"] == "submitted"
    assert set(submitted.after["ratings"]) == set(interview_services.kit_slugs(interview))
    with pytest.raises(ValidationFailed, match="already submitted .* and is locked"):
        interview_services.submit_scorecard(ivan, card)
    with pytest.raises(ValidationFailed, match="already submitted"):
        interview_services.save_scorecard(ivan, card, recommendation="strong_yes")
    card.refresh_from_db()
    assert card.recommendation == "yes"


def test_someone_elses_scorecard_is_forbidden(interview, ivan, jade, tenant_a):
    card = interview_services.start_scorecard(ivan, interview)
    with pytest.raises(Forbidden, match="only by its own interviewer"):
        interview_services.save_scorecard(jade, card, recommendation="strong_no")
    with pytest.raises(Forbidden):
        interview_services.submit_scorecard(
            tenant_a.hiring_manager, card, ratings=ratings_for(interview, 1), recommendation="no"
        )


def test_an_admin_corrects_a_submitted_scorecard_with_a_reason(interview, ivan, admin_user, recruiter):
    card = submit(ivan, interview, 3, "yes")
    slug = interview_services.kit_slugs(interview)[0]
    fix = [{"competency": slug, "level": 2, "evidence": EVIDENCE + " (entered against the wrong row)"}]
    with pytest.raises(Forbidden, match="only an admin"):
        interview_services.correct_scorecard(recruiter, card, reason="typo in the level", ratings=fix)
    with pytest.raises(ValidationFailed, match="say why"):
        interview_services.correct_scorecard(admin_user, card, reason="oops", ratings=fix)
    interview_services.correct_scorecard(admin_user, card, reason="Level typed in the wrong row", ratings=fix)
    assert card.ratings.get(competency=slug).level == 2
    correction = audit_rows(card, AuditLog.Action.UPDATE)[-1]
    assert correction.actor == admin_user
    assert correction.after["correction_reason"] == "Level typed in the wrong row"
    assert (
        correction.before["ratings"][slug]["level"] == 3 and correction.after["ratings"][slug]["level"] == 2
    )


# ------------------------------------------------------------------------------------------ rule sets

STRONG_NO_ELSE_ADVANCE = [
    {
        "id": "veto",
        "description": "Any strong no rejects",
        "outcome": "reject",
        "when": [{"metric": "recommendations", "of": ["strong_no"], "op": ">=", "value": 1}],
    },
    {"id": "otherwise", "description": "Otherwise advance", "outcome": "advance", "when": []},
]


def test_rule_sets_are_validated_and_versioned(recruiter, tenant_a, tenant_b):
    bad = [{"id": "x", "outcome": "promote", "when": []}]
    with pytest.raises(ValidationFailed, match=r"rules\[0\]\.outcome: outcome must be one of") as exc:
        interview_services.create_rule_set(recruiter, rules=bad, requisition=tenant_a.requisition)
    assert exc.value.field == "rules"
    with pytest.raises(Forbidden):
        interview_services.create_rule_set(tenant_a.hiring_manager, rules=STRONG_NO_ELSE_ADVANCE)

    assert interview_services.active_rules(tenant_a.requisition).scope == "builtin"
    default = interview_services.create_rule_set(recruiter, rules=decisions.DEFAULT_RULES)
    assert interview_services.active_rules(tenant_a.requisition).rule_set == default
    v1 = interview_services.create_rule_set(
        recruiter, rules=STRONG_NO_ELSE_ADVANCE, requisition=tenant_a.requisition
    )
    v2 = interview_services.create_rule_set(
        recruiter, rules=STRONG_NO_ELSE_ADVANCE, requisition=tenant_a.requisition
    )
    v1.refresh_from_db()
    assert (v1.name, v1.version, v1.active) == (f"requisition-{tenant_a.requisition.pk}", 1, False)
    assert (v2.version, v2.active) == (2, True)
    assert v2.rules == decisions.parse_rules(STRONG_NO_ELSE_ADVANCE).as_data()
    assert interview_services.active_rules(tenant_a.requisition).rule_set == v2
    assert interview_services.active_rules(tenant_b.requisition).rule_set == default
    assert audit_rows(v1, AuditLog.Action.UPDATE)[0].after["active"] is False
    with pytest.raises(ValidationFailed, match="already used by requisition"):
        interview_services.create_rule_set(recruiter, rules=STRONG_NO_ELSE_ADVANCE, name=v2.name)


# ------------------------------------------------------------------------------------------ decisions


def test_any_strong_no_rejects_and_is_recorded_without_moving_the_stage(
    interview, recruiter, ivan, jade, tenant_a
):
    stage_before, events_before = tenant_a.application.stage, StageEvent.objects.count()
    submit(ivan, interview, 4, "strong_yes")
    submit(jade, interview, 3, "strong_no")
    record = interview_services.decide_application(recruiter, tenant_a.application)

    data = record.explanation
    assert (data["outcome"], data["decided_by"]) == ("reject", "strong-no-veto")
    assert data["rule_set"]["scope"] == "builtin"
    assert record.kind == "scorecard_decision" and record.version == decisions.DECISIONS_VERSION
    assert record.person_id == tenant_a.person.pk and record.subject_id == str(tenant_a.application.pk)
    # The digest is the decision module's on the same inputs, computed here independently.
    kit = interview.kit["competencies"]
    cards = [
        decisions.Scorecard(u.pk, rec, {c["slug"]: level for c in kit}, "technical_screen")
        for u, rec, level in ((ivan, "strong_yes", 4), (jade, "strong_no", 3))
    ]
    expected = decisions.decide(
        cards,
        decisions.DEFAULT_RULES,
        required=[c["slug"] for c in kit],
        must_have=[c["slug"] for c in kit if c["must_have"]],
        weights={c["slug"]: c["weight"] for c in kit},
    )
    assert record.inputs_digest == expected.inputs_digest and data["reasons"] == expected.as_dict()["reasons"]
    assert audit_rows(record, AuditLog.Action.CREATE)[0].after["outcome"] == "reject"
    tenant_a.application.refresh_from_db()
    assert tenant_a.application.stage == stage_before and StageEvent.objects.count() == events_before
    again = interview_services.decide_application(recruiter, tenant_a.application)
    assert again.inputs_digest == record.inputs_digest  # deterministic


def test_consensus_advances_and_a_lone_scorecard_holds(interview, recruiter, ivan, jade, tenant_a):
    submit(ivan, interview, 3, "yes")
    held = interview_services.decide_application(recruiter, tenant_a.application).explanation
    assert (held["outcome"], held["insufficient"]) == ("hold", True)
    interview_services.start_scorecard(tenant_a.hiring_manager, interview)  # a draft counts for nothing
    submit(jade, interview, 4, "strong_yes")
    advanced = interview_services.decide_application(recruiter, tenant_a.application).explanation
    assert (advanced["outcome"], advanced["decided_by"]) == ("advance", "consensus-advance")
    assert advanced["n_scorecards"] == 2
    submit(tenant_a.hiring_manager, interview, 3, "yes")  # the hiring manager, once submitted, decides too
    by_hm = interview_services.decide_application(tenant_a.hiring_manager, tenant_a.application)
    assert by_hm.actor == tenant_a.hiring_manager and by_hm.explanation["n_scorecards"] == 3


def test_the_requisitions_own_rules_decide(interview, recruiter, ivan, tenant_a):
    rule_set = interview_services.create_rule_set(
        recruiter, rules=STRONG_NO_ELSE_ADVANCE, requisition=tenant_a.requisition
    )
    submit(ivan, interview, 2, "no")
    record = interview_services.decide_application(recruiter, tenant_a.application)
    assert record.explanation["outcome"] == "advance" and record.explanation["decided_by"] == "otherwise"
    assert record.explanation["rule_set"]["id"] == rule_set.pk
    assert record.explanation["rule_set"]["version"] == 1


def test_deciding_needs_scorecards_a_deciding_role_and_scope(
    interview, recruiter, ivan, jade, tenant_b, compliance_officer
):
    application = interview.application
    with pytest.raises(ValidationFailed, match="no submitted scorecards"):
        interview_services.decide_application(recruiter, application)
    submit(ivan, interview, 3, "yes")
    with pytest.raises(NotFound):
        interview_services.decide_application(tenant_b.hiring_manager, application)
    with pytest.raises(Forbidden):
        interview_services.decide_application(compliance_officer, application)
    with pytest.raises(Forbidden, match="submit your own scorecard first"):  # jade has not: blind
        interview_services.decide_application(jade, application)
    assert not DecisionRecord.objects.filter(kind="scorecard_decision").exists()


def test_decision_inputs_use_the_kit_snapshot_not_todays_framework(interview, ivan, tenant_a):
    submit(ivan, interview, 3, "yes")
    kit = interview.kit
    kit["competencies"][0]["must_have"] = not kit["competencies"][0]["must_have"]
    type(interview).objects.filter(pk=interview.pk).update(kit=kit)
    inputs = interview_services.decision_inputs(tenant_a.application)
    slug = kit["competencies"][0]["slug"]
    assert (slug in inputs.must_have) == kit["competencies"][0]["must_have"]
    assert DecisionRuleSet.objects.count() == 0
