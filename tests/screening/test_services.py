"""Screening services: question versions, assembly, publishing, invitations, grading with DecisionRecords,
rubric grades, the recruiter's decision, and the LL144 audit of assessment scores."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from tests.screening.screening_helpers import (
    CHURN,
    PRECISION,
    PRECISION_SOLUTION,
    item_of,
    key_of,
    latest,
    make_assessment,
    predictions,
    token_of,
    wrong_choice,
)

from cadre.compliance import demographics, monitoring
from cadre.core.exceptions import Conflict, Forbidden, ValidationFailed
from cadre.core.models import AuditLog, DecisionRecord
from cadre.people.services import create_person
from cadre.pipeline.models import Application
from cadre.pipeline.services import create_application, move_application
from cadre.screening import grading_services, portal, sandbox, scoring, services
from cadre.screening.bank import load_bank
from cadre.screening.models import Assessment, Question, Sitting, Submission

pytestmark = pytest.mark.django_db

MC_A, MC_B = "coding-mutable-default-argument", "coding-membership-complexity"
SHORT = "stats-is-the-improvement-real"


# -------------------------------------------------------------------------------------------- questions


def test_editing_writes_a_new_version_and_assessments_keep_theirs(recruiter, tenant_a):
    assessment = make_assessment(recruiter, tenant_a.requisition, [MC_A])
    v1 = latest(MC_A)
    v2 = services.edit_question(
        recruiter, v1, changes={"title": "Default arguments", "difficulty": 2}, expected_version=1
    )
    assert (v2.slug, v2.version, v2.title, v2.difficulty) == (MC_A, 2, "Default arguments", 2)
    assert v2.hidden_key == v1.hidden_key and v2.spec["choices"] == v1.spec["choices"]
    v1.refresh_from_db()
    assert v1.title == "Mutable default arguments"
    assert item_of(assessment, MC_A).question_id == v1.pk  # the published assessment still pins v1
    with pytest.raises(Conflict, match="version 2"):
        services.edit_question(recruiter, v1, changes={"title": "Stale"}, expected_version=1)
    with pytest.raises(ValidationFailed, match="nothing changed"):
        services.edit_question(recruiter, v2, changes={"title": "Default arguments"})
    entry = AuditLog.objects.filter(object_type="screening.question", object_id=str(v2.pk)).get()
    assert (
        entry.before["title"] == "Mutable default arguments" and entry.after["title"] == "Default arguments"
    )
    assert "hidden_key" not in entry.after and entry.after["hidden_key_sha256"]


def test_changing_choices_needs_the_answer_key(recruiter):
    load_bank()
    question = latest(MC_B)
    with pytest.raises(ValidationFailed, match="which choice is correct") as err:
        services.edit_question(recruiter, question, changes={"choices": ["one", "two", "three"]})
    assert err.value.field == "correct"
    new = services.edit_question(
        recruiter, question, changes={"choices": ["one", "two", "three"], "correct": "c"}
    )
    assert new.spec["choices"] == [
        {"id": "a", "text": "one"},
        {"id": "b", "text": "two"},
        {"id": "c", "text": "three"},
    ]
    assert new.hidden_key == {"correct": ["c"]}
    with pytest.raises(ValidationFailed):
        services.edit_question(recruiter, new, changes={"rubric": {"1": "x", "2": "y", "3": "z", "4": "w"}})


def test_only_editors_write_the_bank(tenant_a, compliance_officer):
    load_bank()
    for user in (tenant_a.hiring_manager, compliance_officer):
        with pytest.raises(Forbidden):
            services.edit_question(user, latest(MC_A), changes={"title": "x"})
        with pytest.raises(Forbidden):
            services.create_question(user, kind="short_answer", title="x", prompt="y", competency="mlops")


def test_create_question_validates_by_kind(recruiter):
    question = services.create_question(
        recruiter,
        kind="short_answer",
        title="Explain data leakage",
        prompt="Give two examples of leakage you have seen.",
        competency="model_evaluation",
        difficulty=3,
        rubric={"1": "none", "2": "one vague", "3": "two concrete", "4": "two concrete and prevention"},
    )
    assert (question.slug, question.version, question.spec["max_chars"]) == ("explain-data-leakage", 1, 4000)
    with pytest.raises(Conflict):
        services.create_question(
            recruiter, kind="short_answer", title="Explain data leakage", prompt="p", competency="mlops",
            rubric={"1": "a", "2": "b", "3": "c", "4": "d"},
        )  # fmt: skip
    with pytest.raises(ValidationFailed, match="rubric"):
        services.create_question(
            recruiter,
            kind="short_answer",
            title="Half a rubric",
            prompt="p",
            competency="mlops",
            rubric={"1": "a"},
        )
    with pytest.raises(ValidationFailed, match="ML and coding|only multiple-choice"):
        services.create_question(recruiter, kind="ml_task", title="t", prompt="p", competency="mlops")


# ------------------------------------------------------------------------------------------ assessments


def test_assembly_is_deterministic_and_follows_the_framework(recruiter, tenant_a):
    load_bank()
    first = services.assemble_assessment(recruiter, tenant_a.requisition)
    second = services.assemble_assessment(recruiter, tenant_a.requisition)
    items = lambda a: list(a.items.order_by("position").values_list("question_id", "weight"))  # noqa: E731
    assert items(first) == items(second) and items(first)
    assert (first.version, second.version) == (1, 2)
    assert first.status == Assessment.Status.DRAFT and first.pass_threshold == Decimal("0.6")
    # Senior ML engineer: the framework's weights, heaviest first, and difficulty-3 questions preferred.
    weights = [c["weight"] for c in first.competencies]
    assert weights == sorted(weights, reverse=True) and first.competencies[0]["competency"] == "coding"
    kinds = list(first.items.values_list("question__kind", flat=True))
    assert kinds.count("take_home") == 1 and kinds.count("coding_task") == 1 and kinds.count("ml_task") == 1
    mc = first.items.filter(question__kind="multiple_choice").values_list("question__difficulty", flat=True)
    assert set(mc) <= {2, 3, 4} and 3 in set(mc)


def test_retired_questions_are_not_picked(recruiter, tenant_a):
    load_bank()
    services.set_question_status(recruiter, latest(PRECISION), status="retired")
    services.set_question_status(recruiter, latest("code-streaming-mean-variance"), status="retired")
    assessment = services.assemble_assessment(recruiter, tenant_a.requisition)
    assert not assessment.items.filter(question__kind="coding_task").exists()


def test_assembly_needs_a_role_family_and_a_bank(recruiter, tenant_a):
    with pytest.raises(ValidationFailed, match="load it first"):
        services.assemble_assessment(recruiter, tenant_a.requisition)
    load_bank()
    tenant_a.requisition.role_family = None
    tenant_a.requisition.save()
    with pytest.raises(ValidationFailed, match="role family"):
        services.assemble_assessment(recruiter, tenant_a.requisition)
    with pytest.raises(Forbidden):
        services.assemble_assessment(tenant_a.hiring_manager, tenant_a.requisition)


def test_published_assessments_are_frozen(recruiter, tenant_a):
    assessment = make_assessment(recruiter, tenant_a.requisition, [MC_A, SHORT], publish=False)
    services.update_assessment(recruiter, assessment, pass_threshold="0.7", time_limit_minutes=90)
    services.publish_assessment(recruiter, assessment)
    assert assessment.published_at is not None
    with pytest.raises(Conflict, match="frozen"):
        services.update_assessment(recruiter, assessment, title="Changed")
    with pytest.raises(Conflict):
        services.add_item(recruiter, assessment, latest(MC_B))
    copy = services.new_assessment_version(recruiter, assessment)
    assert (copy.status, copy.version, copy.pass_threshold, copy.time_limit_minutes) == (
        "draft",
        2,
        Decimal("0.7"),
        90,
    )
    assert list(copy.items.values_list("question_id", flat=True)) == list(
        assessment.items.values_list("question_id", flat=True)
    )
    services.add_item(recruiter, copy, latest(MC_B))
    assert copy.items.count() == 3
    for bad in ("1.5", "-0.1", "abc", "NaN"):
        with pytest.raises(ValidationFailed):
            services.update_assessment(recruiter, copy, pass_threshold=bad)


# --------------------------------------------------------------------------------------------- sittings


def test_invitations(recruiter, tenant_a, tenant_b):
    draft = make_assessment(recruiter, tenant_a.requisition, [MC_A], publish=False)
    with pytest.raises(Conflict, match="published"):
        services.invite(recruiter, tenant_a.application, draft)
    services.publish_assessment(recruiter, draft)
    with pytest.raises(ValidationFailed, match="requisition"):
        services.invite(recruiter, tenant_b.application, draft)
    with pytest.raises(Forbidden):
        services.invite(tenant_a.hiring_manager, tenant_a.application, draft)
    with pytest.raises(ValidationFailed):
        services.invite(recruiter, tenant_a.application, draft, valid_days=0)
    sitting, path = services.invite(recruiter, tenant_a.application, draft, valid_days=3)
    assert path.startswith("/take/") and portal.resolve(token_of(path)).pk == sitting.pk
    assert sitting.expires_at - sitting.invited_at == dt.timedelta(days=3)
    with pytest.raises(Conflict, match="live sitting"):
        services.invite(recruiter, tenant_a.application, draft)
    services.cancel_sitting(recruiter, sitting)
    again, _ = services.invite(recruiter, tenant_a.application, draft)  # a cancelled one does not block
    assert again.pk != sitting.pk
    entry = AuditLog.objects.filter(object_type="screening.sitting", object_id=str(sitting.pk)).first()
    assert entry is not None and "nonce" not in entry.after  # half of the link is not in the audit log


def test_links_tampered_expired_cancelled(recruiter, tenant_a):
    assessment = make_assessment(recruiter, tenant_a.requisition, [MC_A])
    sitting, path = services.invite(recruiter, tenant_a.application, assessment)
    token = token_of(path)
    with pytest.raises(portal.LinkError) as err:
        portal.resolve(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert err.value.status_code == 403
    with pytest.raises(portal.LinkError) as err:
        portal.resolve("not-a-token")
    assert err.value.status_code == 403
    Sitting.objects.filter(pk=sitting.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    expired = portal.resolve(token)
    with pytest.raises(portal.LinkError) as err:
        portal.check_not_expired(expired)
    assert err.value.status_code == 410
    assert Sitting.objects.get(pk=sitting.pk).status == Sitting.Status.EXPIRED
    services.extend_sitting(recruiter, Sitting.objects.get(pk=sitting.pk), days=2)
    portal.check_not_expired(portal.resolve(token))  # works again, same link
    services.cancel_sitting(recruiter, Sitting.objects.get(pk=sitting.pk))
    with pytest.raises(portal.LinkError) as err:
        portal.resolve(token)
    assert err.value.status_code == 410


def _submit_mixed(recruiter, tenant_a):
    """MC right + MC wrong (coding), a short answer (statistics), perfect churn predictions (evaluation)."""
    assessment = make_assessment(
        recruiter,
        tenant_a.requisition,
        [MC_A, MC_B, SHORT, CHURN],
        weights={"coding": 0.5, "statistical_reasoning": 0.3, "model_evaluation": 0.2},
    )
    move_application(recruiter, tenant_a.application, to_stage="screening")
    sitting, _ = services.invite(recruiter, tenant_a.application, assessment)
    a, b = item_of(assessment, MC_A), item_of(assessment, MC_B)
    short, churn = item_of(assessment, SHORT), item_of(assessment, CHURN)
    portal.save_answers(
        sitting,
        {
            a.pk: key_of(a.question),
            b.pk: wrong_choice(b.question),
            short.pk: "McNemar on the 2x2 disagreements.",
        },
    )
    portal.upload(sitting, churn.pk, name="predictions.csv", data=predictions(churn.question))
    return assessment, portal.submit(sitting), (a, b, short, churn)


def test_grading_writes_decision_records_and_waits_for_the_rubric(recruiter, tenant_a):
    assessment, sitting, (a, b, short, churn) = _submit_mixed(recruiter, tenant_a)
    assert sitting.status == Sitting.Status.SUBMITTED and sitting.score is None
    assert sitting.result["pending"] == 1 and sitting.result["complete"] is False
    subs = {s.item_id: s for s in Submission.objects.filter(sitting=sitting)}
    assert subs[a.pk].result["points"] == 1.0 and subs[b.pk].result["points"] == 0.0
    assert subs[short.pk].status == Submission.Status.NEEDS_REVIEW
    ml = subs[churn.pk]
    assert ml.result["metric"] == "roc_auc" and ml.score == Decimal("1.000000") and ml.result["points"] == 1.0
    grades = DecisionRecord.objects.filter(kind="assessment_grade").order_by("id")
    assert grades.count() == 3  # two MC and the ML task; the short answer is not automated
    assert {g.subject_id for g in grades} == {str(subs[i].pk) for i in (a.pk, b.pk, churn.pk)}
    assert all(g.person_id == tenant_a.person.pk for g in grades)
    assert {g.version for g in grades} == {grading_services.CHOICE_GRADER_VERSION, "1.0.0"}
    text = json.dumps(list(grades.values_list("explanation", flat=True)))
    assert '"correct": [' not in text and "churned" not in text  # no key, no label file
    assert not DecisionRecord.objects.filter(kind="assessment_score").exists()

    graded = services.grade_rubric(recruiter, subs[short.pk], level=3, note="Paired test, right reading.")
    assert (
        graded.level == 3
        and graded.graded_by == recruiter
        and graded.result["points"] == pytest.approx(2 / 3)
    )
    sitting.refresh_from_db()
    # coding (0.5): (1*1 + 1*0) / 2 = 0.5; statistics (0.3): 2/3; evaluation (0.2): 1.0
    expected = (0.5 * 0.5 + 0.3 * (2 / 3) + 0.2 * 1.0) / 1.0
    assert sitting.status == Sitting.Status.GRADED
    assert sitting.score == scoring.quantize(expected)
    assert sitting.result["outcome"] == "pass"  # 0.65 >= 0.6
    record = DecisionRecord.objects.get(kind="assessment_score")
    assert (record.subject_type, record.subject_id) == (
        "requisitions.requisition",
        str(tenant_a.requisition.pk),
    )
    assert record.score == sitting.score and record.reviewer == recruiter
    assert record.explanation["sitting_id"] == sitting.pk and record.explanation["outcome"] == "pass"
    # Grading never moves the application.
    assert Application.objects.get(pk=tenant_a.application.pk).stage == "screening"


def test_the_recruiter_decides_and_is_recorded(recruiter, tenant_a, make_user):
    _assessment, sitting, (_a, _b, short, _c) = _submit_mixed(recruiter, tenant_a)
    with pytest.raises(Conflict, match="not fully graded"):
        services.decide_sitting(recruiter, sitting, to_stage="submitted")
    services.grade_rubric(
        tenant_a.hiring_manager, Submission.objects.get(sitting=sitting, item=short), level=1
    )
    sitting.refresh_from_db()
    assert sitting.result["outcome"] == "fail"  # (0.25 + 0 + 0.2) = 0.45 < 0.6
    with pytest.raises(Forbidden):
        services.decide_sitting(tenant_a.hiring_manager, sitting, to_stage="rejected")
    with pytest.raises(ValidationFailed, match="give a reason"):
        services.decide_sitting(recruiter, sitting, to_stage="submitted")
    with pytest.raises(ValidationFailed):
        services.decide_sitting(recruiter, sitting, to_stage="placed")
    decided = services.decide_sitting(
        recruiter, sitting, to_stage="submitted", reason="Strong take-home elsewhere"
    )
    assert decided.result["decision"]["by"] == recruiter.username
    assert decided.result["decision"]["against_outcome"] is True
    application = Application.objects.get(pk=tenant_a.application.pk)
    assert application.stage == "submitted"
    event = application.events.order_by("-at", "-id").first()
    assert event.actor == recruiter and "45.0%" in event.reason and "Strong take-home" in event.reason
    with pytest.raises(Conflict, match="already"):
        services.decide_sitting(recruiter, decided, to_stage="rejected")
    with pytest.raises(Conflict, match="final"):
        services.grade_rubric(recruiter, Submission.objects.get(sitting=sitting, item=short), level=4)


def test_invalid_predictions_are_kept_and_graded_zero(recruiter, tenant_a):
    assessment = make_assessment(recruiter, tenant_a.requisition, [CHURN])
    sitting, _ = services.invite(recruiter, tenant_a.application, assessment)
    churn = item_of(assessment, CHURN)
    good = predictions(churn.question)
    broken = good.replace(b"\nC11502,", b"\nC11501,", 1)  # a duplicated id, and one missing
    submission = portal.upload(sitting, churn.pk, name="p.csv", data=broken)
    assert submission.status == Submission.Status.INVALID
    assert any("more than once" in e for e in submission.errors) and any(
        "no row" in e for e in submission.errors
    )
    assert bytes(Submission.objects.get(pk=submission.pk).upload) == broken
    assert submission.upload_size == len(broken) and len(submission.upload_sha256) == 64
    injected = good.replace(b"C11503,", b"=HYPERLINK(1),", 1)
    bad = portal.upload(sitting, churn.pk, name="p.csv", data=injected)
    assert any("formula" in e for e in bad.errors) and "HYPERLINK" not in " ".join(bad.errors)
    done = portal.submit(sitting)
    assert done.status == Sitting.Status.GRADED and done.score == Decimal("0")
    final = Submission.objects.filter(sitting=sitting).order_by("-attempt").first()
    assert final.attempt == 2 and final.result["valid"] is False and final.result["points"] == 0.0
    with pytest.raises(Conflict, match="already submitted"):
        portal.upload(sitting, churn.pk, name="late.csv", data=good)


def test_coding_task_runs_in_the_sandbox_or_waits_for_a_person(recruiter, tenant_a):
    assessment = make_assessment(recruiter, tenant_a.requisition, [PRECISION])
    sitting, _ = services.invite(recruiter, tenant_a.application, assessment)
    item = item_of(assessment, PRECISION)
    syntax = portal.upload(sitting, item.pk, name="solution.py", data=b"def precision_at_k(:\n")
    assert syntax.status == Submission.Status.INVALID and "syntax error" in syntax.errors[0]
    portal.upload(sitting, item.pk, name="solution.py", data=PRECISION_SOLUTION.encode())
    done = portal.submit(sitting)
    submission = Submission.objects.filter(sitting=sitting).order_by("-attempt").first()
    if sandbox.sandbox_available()[0]:
        assert submission.status == Submission.Status.GRADED
        assert submission.result["tests_passed"] == submission.result["tests_total"] == 12
        assert submission.result["resources"]["wall_seconds"] > 0
        assert all(set(t) == {"name", "outcome"} for t in submission.result["tests"])  # no tracebacks
        assert done.score == Decimal("1")
        record = DecisionRecord.objects.get(kind="assessment_grade")
        assert record.version == sandbox.SANDBOX_VERSION and record.explanation["tests_passed"] == 12
    else:
        assert submission.status == Submission.Status.NEEDS_REVIEW
        assert "sandbox is not available" in submission.errors[0]
        services.grade_rubric(recruiter, submission, level=4)
        done.refresh_from_db()
        assert done.score == Decimal("1")


def test_typed_answers_are_validated_and_time_limited(recruiter, tenant_a):
    assessment = make_assessment(recruiter, tenant_a.requisition, [MC_A, SHORT, CHURN])
    assessment.time_limit_minutes = 30
    assessment.save()
    sitting, _ = services.invite(recruiter, tenant_a.application, assessment)
    a, short, churn = item_of(assessment, MC_A), item_of(assessment, SHORT), item_of(assessment, CHURN)
    with pytest.raises(portal.AnswersInvalid) as err:
        portal.save_answers(sitting, {a.pk: "z", short.pk: "x" * 10_000, churn.pk: "text", 999_999: "a"})
    assert set(err.value.errors) == {a.pk, short.pk, churn.pk, 999_999}
    portal.save_answers(sitting, {a.pk: "a", short.pk: "first"})
    portal.save_answers(sitting, {short.pk: "second"})  # a draft: replaced in place, audited
    answer = Submission.objects.get(sitting=sitting, item=short)
    assert answer.answer == {"text": "second"} and answer.attempt == 1
    assert AuditLog.objects.filter(object_type="screening.submission", object_id=str(answer.pk)).count() == 2
    Sitting.objects.filter(pk=sitting.pk).update(started_at=timezone.now() - dt.timedelta(minutes=31))
    late = Sitting.objects.get(pk=sitting.pk)
    with pytest.raises(Conflict, match="time limit"):
        portal.save_answers(late, {a.pk: "b"})
    assert portal.submit(late).status == Sitting.Status.SUBMITTED  # saved answers still get graded


# ------------------------------------------------------------------------------------------ LL144 audit


def test_assessment_scores_feed_the_ll144_audit(recruiter, tenant_a, compliance_officer):
    with pytest.raises(ValidationFailed, match="no assessment scores"):
        monitoring.assessment_ll144_audit(compliance_officer)
    assessment = make_assessment(recruiter, tenant_a.requisition, [MC_A, MC_B])
    a, b = item_of(assessment, MC_A), item_of(assessment, MC_B)
    people = [("Male", "White", 2), ("Male", "White", 1), ("Female", "Asian", 2), ("Female", "Asian", 0)]
    scores = []
    for i, (sex, race, right) in enumerate(people):
        person = create_person(recruiter, full_name=f"Candidate {i}")
        application = create_application(recruiter, person=person, requisition=tenant_a.requisition)
        demographics.record_self_identification(compliance_officer, person, sex=sex, race_ethnicity=race)
        sitting, _ = services.invite(recruiter, application, assessment)
        answers = {a.pk: key_of(a.question) if right >= 1 else wrong_choice(a.question)}
        answers[b.pk] = key_of(b.question) if right == 2 else wrong_choice(b.question)
        portal.save_answers(sitting, answers)
        scores.append(portal.submit(sitting).score)
    assert scores == [Decimal("1"), Decimal("0.5"), Decimal("1"), Decimal("0")]
    report = monitoring.assessment_ll144_audit(compliance_officer, requisition=tenant_a.requisition)
    assert report["config"]["sample_size"] == 4
    assert report["median"] == pytest.approx(0.75)  # 0, .5, 1, 1
    sex = {r["category"]: r for r in report["tables"]["sex"]}
    assert (sex["Male"]["n"], sex["Male"]["selected_or_above"]) == (2, 1)
    assert (sex["Female"]["n"], sex["Female"]["selected_or_above"]) == (2, 1)
    assert report["config"]["audit"]["tool"] == "Cadre screening assessments"
    assert report["config"]["audit"]["tool_version"] == scoring.SCORING_VERSION
    assert "assessment_score" in report["scope"]["unit"]
    with pytest.raises(Forbidden):
        monitoring.assessment_ll144_audit(recruiter)
    # Matching's audit is unaffected by assessment scores.
    with pytest.raises(ValidationFailed, match="no matching scores"):
        monitoring.matching_ll144_audit(compliance_officer)


def test_question_rows_never_reach_the_audit_log_with_hidden_bytes(recruiter, tenant_a):
    assessment = make_assessment(recruiter, tenant_a.requisition, [CHURN])
    sitting, _ = services.invite(recruiter, tenant_a.application, assessment)
    churn = item_of(assessment, CHURN)
    portal.upload(sitting, churn.pk, name="p.csv", data=predictions(churn.question))
    portal.submit(sitting)
    text = json.dumps(list(AuditLog.objects.values_list("before", "after")))
    assert bytes(churn.question.hidden_data).decode().splitlines()[1] not in text
    assert 'upload"' not in text  # upload bytes are named by size and sha256 only
    assert Question.objects.filter(slug=CHURN).count() == 1


def test_take_home_uploads_are_checked_and_not_replaced_by_an_empty_text_box(recruiter, tenant_a):
    take_home = "design-take-home-matching-service"
    assessment = make_assessment(recruiter, tenant_a.requisition, [take_home])
    sitting, _ = services.invite(recruiter, tenant_a.application, assessment)
    item = item_of(assessment, take_home)
    exe = portal.upload(sitting, item.pk, name="design.exe", data=b"MZ\x90\x00")
    assert exe.status == Submission.Status.INVALID and ".md, .txt, .pdf" in exe.errors[0]
    fake_pdf = portal.upload(sitting, item.pk, name="design.pdf", data=b"not a pdf")
    assert fake_pdf.errors == ["the file is named .pdf but is not a PDF"]
    doc = portal.upload(
        sitting, item.pk, name="C:\\Users\\me\\design.md", data=b"# Design\n\nRetrieval, then ranking."
    )
    assert doc.status == Submission.Status.RECEIVED and doc.upload_name == "design.md"
    portal.save_answers(sitting, {item.pk: ""})  # the text box left empty when saving other answers
    latest_attempt = Submission.objects.filter(sitting=sitting, item=item).order_by("-attempt").first()
    assert latest_attempt.pk == doc.pk
    done = portal.submit(sitting)
    assert done.status == Sitting.Status.SUBMITTED
    assert Submission.objects.get(pk=doc.pk).status == Submission.Status.NEEDS_REVIEW
