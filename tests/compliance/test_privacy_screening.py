"""Privacy and screening: the data export carries the person's sittings, submissions, scorecards and
screening decisions without hidden material, uploaded bytes or link nonces; erasure removes what the
candidate wrote and uploaded and what interviewers and graders wrote about them, revokes the assessment
links, and keeps the structure (statuses, scores, levels, recommendations, decision records) that sitting
scores, the LL144 audit, calibration and the scorecard decisions rest on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from tests.screening.screening_helpers import (
    CHURN,
    assert_no_leak,
    item_of,
    key_of,
    make_assessment,
    predictions,
    token_of,
)

from cadre.compliance import demographics, monitoring, privacy
from cadre.core.models import AuditLog, DecisionRecord
from cadre.pipeline.models import Application
from cadre.pipeline.services import move_application
from cadre.screening import interview_selectors, interview_services, portal, services
from cadre.screening.models import CompetencyRating, Scorecard, Sitting, Submission

pytestmark = pytest.mark.django_db

MC_A = "coding-mutable-default-argument"
MC_B = "coding-membership-complexity"
SHORT = "stats-is-the-improvement-real"
ANSWER = "At Lima Analytics I would first check the variance of the metric across seeds before trusting it."
NOTE = "Ana named the seed variance but not the multiple comparisons across the twelve variants."
REASON = "Client asked for deeper experimentation background than Ana showed here."
EVIDENCE = {
    "rita": "Ana traced the duplicate-row bug in her own churn pipeline and fixed the join unprompted.",
    "hana": "Ana explained how she validated the lift on a holdout split at her previous employer.",
}
SUMMARY = "Ana Lima is strong on data work; I would like a second look at her evaluation depth."


@dataclass
class Screened:
    application: Application
    sitting: Sitting
    open_sitting: Sitting
    tokens: list[str]
    upload: bytes
    scorecards: list[Scorecard]


@pytest.fixture
def screened(recruiter, tenant_a, compliance_officer) -> Screened:
    """Ana Lima (tenant_a's applicant): a graded, decided sitting (a multiple-choice answer, a written
    answer graded by rubric, an uploaded predictions file), a second sitting still open, and a technical
    screen with two submitted scorecards and the scorecard decision."""
    application = tenant_a.application
    demographics.record_self_identification(
        compliance_officer, tenant_a.person, sex="Female", race_ethnicity="Hispanic or Latino"
    )
    move_application(recruiter, application, to_stage="screening")
    assessment = make_assessment(recruiter, tenant_a.requisition, [MC_A, SHORT, CHURN])
    sitting, path = services.invite(recruiter, application, assessment)
    mc, short, task = item_of(assessment, MC_A), item_of(assessment, SHORT), item_of(assessment, CHURN)
    upload = predictions(task.question, perfect=False)
    portal.start(sitting)
    portal.save_answers(sitting, {mc.pk: key_of(mc.question), short.pk: ANSWER})
    portal.upload(sitting, task.pk, name="ana-lima-churn.csv", data=upload)
    portal.submit(sitting)
    written = Submission.objects.get(sitting=sitting, item=short)
    services.grade_rubric(recruiter, written, level=2, note=NOTE)
    sitting.refresh_from_db()
    assert sitting.status == Sitting.Status.GRADED
    services.decide_sitting(recruiter, sitting, to_stage="rejected", reason=REASON)
    sitting.refresh_from_db()

    other = make_assessment(recruiter, tenant_a.requisition, [MC_B])
    open_sitting, open_path = services.invite(recruiter, application, other)

    interview = interview_services.create_interview(
        recruiter, application, stage="technical_screen", interviewers=[recruiter, tenant_a.hiring_manager]
    )
    cards = []
    for user, level in ((recruiter, 3), (tenant_a.hiring_manager, 2)):
        card = interview_services.start_scorecard(user, interview)
        ratings = [
            {"competency": slug, "level": level, "evidence": EVIDENCE[user.username]}
            for slug in interview_services.kit_slugs(interview)
        ]
        cards.append(
            interview_services.submit_scorecard(
                user, card, ratings=ratings, recommendation="yes" if level == 3 else "no", summary=SUMMARY
            )
        )
    interview_services.decide_application(recruiter, application)
    return Screened(application, sitting, open_sitting, [token_of(path), token_of(open_path)], upload, cards)


# What erasure removes. The recruiter's reason for the decision on the sitting stays, as the stage event
# that moved the application (append-only, kept by erasure) keeps it.
PERSONAL = (ANSWER, NOTE, SUMMARY, *EVIDENCE.values(), "ana-lima-churn.csv")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def test_the_export_carries_the_screening_data(screened, recruiter, tenant_a):
    data = privacy.export_person(recruiter, tenant_a.person)
    text = _dump(data)
    (app,) = data["applications"]
    assert not any(label.startswith("screening.") for label in app.get("related", {}))
    sittings = {s["id"]: s for s in app["screening"]["sittings"]}
    assert set(sittings) == {screened.sitting.pk, screened.open_sitting.pk}
    graded = sittings[screened.sitting.pk]
    assert graded["status"] == "graded" and graded["score"] == str(screened.sitting.score)
    assert graded["result"]["decision"]["reason"] == REASON
    by_slug = {s["question"]["slug"]: s for s in graded["submissions"]}
    assert set(by_slug) == {MC_A, SHORT, CHURN}
    assert by_slug[SHORT]["answer"] == {"text": ANSWER}
    assert by_slug[SHORT]["level"] == 2 and by_slug[SHORT]["result"]["note"] == NOTE
    stored = Submission.objects.get(pk=by_slug[CHURN]["id"])
    assert by_slug[CHURN]["upload"] == {
        "name": "ana-lima-churn.csv",
        "size": len(screened.upload),
        "sha256": stored.upload_sha256,
    }
    assert by_slug[CHURN]["result"]["metric"] and by_slug[CHURN]["status"] == "graded"
    # Never the bytes, the link's nonce, or the questions' hidden keys, labels and tests.
    assert screened.upload.decode().splitlines()[1] not in text
    for sitting in Sitting.objects.filter(application=screened.application):
        assert sitting.nonce not in text
    assert_no_leak(text)

    (interview,) = app["screening"]["interviews"]
    assert interview["stage"] == "technical_screen" and interview["competencies"]
    assert interview["interviewers"] == sorted(["rita", "hana"])
    cards = {c["interviewer"]: c for c in interview["scorecards"]}
    assert cards["rita"]["recommendation"] == "yes" and cards["rita"]["summary"] == SUMMARY
    assert {r["evidence"] for r in cards["hana"]["ratings"]} == {EVIDENCE["hana"]}
    assert [r["competency"] for r in cards["hana"]["ratings"]] == sorted(
        interview_services.kit_slugs(Scorecard.objects.get(pk=screened.scorecards[1].pk).interview)
    )

    kinds = {d["kind"] for d in data["decision_records"]}
    assert {"assessment_grade", "assessment_score", "scorecard_decision"} <= kinds
    audited = {e["object_type"] for e in data["audit_log"]}
    assert {
        "screening.sitting",
        "screening.submission",
        "screening.interview",
        "screening.scorecard",
        "core.decisionrecord",
    } <= audited


def test_erasure_removes_what_is_personal_and_keeps_the_structure(
    screened, recruiter, compliance_officer, tenant_a
):
    person = tenant_a.person
    preview = privacy.erasure_preview(person)
    assert (preview["sittings"], preview["submissions"], preview["uploads"], preview["scorecards"]) == (
        2,
        3,
        1,
        2,
    )
    levels_before = sorted(
        CompetencyRating.objects.filter(scorecard__in=screened.scorecards).values_list("competency", "level")
    )
    decision_before = interview_services.evaluate(interview_services.decision_inputs(screened.application))
    scores_before = sorted(
        Submission.objects.filter(sitting=screened.sitting).values_list("pk", "status", "score", "level")
    )
    audit_before = monitoring.assessment_ll144_audit(compliance_officer)

    result = privacy.erase_person(compliance_officer, person, reason="Erasure request of 3 March")
    assert result["screening_uploads_deleted"] == 1
    assert result["screening_answers_erased"] == 3
    assert result["scorecard_evidence_erased"] == len(levels_before)
    assert result["scorecard_summaries_erased"] == 2
    assert result["assessment_links_revoked"] == 2

    # The rows: no bytes, answers, file names, notes, evidence or reasons; the numbers are unchanged.
    for sub in Submission.objects.filter(sitting__application=screened.application):
        assert sub.upload is None and sub.upload_name == ""
        assert sub.answer in ({}, privacy.ERASED)
        assert "note" not in sub.result and "explanation" not in sub.result
    churn = Submission.objects.get(sitting=screened.sitting, item__question__slug=CHURN)
    assert churn.upload_size == len(screened.upload) and len(churn.upload_sha256) == 64
    assert churn.result["points"] is not None and churn.result["erased"] is True
    assert (
        sorted(
            Submission.objects.filter(sitting=screened.sitting).values_list("pk", "status", "score", "level")
        )
        == scores_before
    )
    sitting = Sitting.objects.get(pk=screened.sitting.pk)
    assert sitting.score == screened.sitting.score and sitting.status == Sitting.Status.GRADED
    assert sitting.result["decision"] == screened.sitting.result["decision"]
    assert {c.summary for c in Scorecard.objects.filter(pk__in=[c.pk for c in screened.scorecards])} == {
        privacy.ERASED_TEXT
    }
    assert set(
        CompetencyRating.objects.filter(scorecard__in=screened.scorecards).values_list("evidence", flat=True)
    ) == {privacy.ERASED_TEXT}
    assert (
        sorted(
            CompetencyRating.objects.filter(scorecard__in=screened.scorecards).values_list(
                "competency", "level"
            )
        )
        == levels_before
    )
    recommendations = Scorecard.objects.filter(pk__in=[c.pk for c in screened.scorecards])
    assert sorted(recommendations.values_list("recommendation", flat=True)) == ["no", "yes"]

    # The links open nothing, and the open sitting can no longer be taken.
    for token in screened.tokens:
        with pytest.raises(portal.LinkError) as err:
            portal.resolve(token)
        assert err.value.status_code == 410
    assert Sitting.objects.get(pk=screened.open_sitting.pk).status == Sitting.Status.EXPIRED

    # Nothing personal is left in the audit log or the decision records.
    everything = _dump(list(AuditLog.objects.values("object_repr", "before", "after")))
    everything += _dump(list(DecisionRecord.objects.values("explanation")))
    for text in PERSONAL:
        assert text not in everything, text[:30]

    # What the audits and decisions rest on still adds up.
    assert interview_services.evaluate(interview_services.decision_inputs(screened.application)).outcome == (
        decision_before.outcome
    )
    ratings = interview_selectors.calibration_ratings(recruiter)
    assert sorted((r.competency, r.score) for r in ratings) == levels_before
    audit_after = monitoring.assessment_ll144_audit(compliance_officer)
    assert audit_after["config"]["sample_size"] == audit_before["config"]["sample_size"] == 1
    # The score still counts; with the self-identification erased too, the person is now unknown.
    assert audit_before["unknown"]["sex"] == 0 and audit_after["unknown"]["sex"] == 1
    assert DecisionRecord.objects.filter(person_id=person.pk, kind="scorecard_decision").count() == 1


def test_the_export_after_erasure_holds_nothing_personal(screened, recruiter, compliance_officer, tenant_a):
    privacy.erase_person(compliance_officer, tenant_a.person, reason="Erasure request")
    again = privacy.erase_person(compliance_officer, tenant_a.person, reason="Erasure request, second run")
    assert again["screening_answers_erased"] == 0 and again["scorecard_evidence_erased"] == 0
    data = privacy.export_person(recruiter, tenant_a.person)
    text = _dump(data)
    for personal in PERSONAL:
        assert personal not in text, personal[:30]
    (app,) = data["applications"]
    graded = next(s for s in app["screening"]["sittings"] if s["id"] == screened.sitting.pk)
    churn = next(s for s in graded["submissions"] if s["question"]["slug"] == CHURN)
    assert churn["upload"]["name"] == "" and churn["upload"]["size"] == len(screened.upload)
    (interview,) = app["screening"]["interviews"]
    assert {r["evidence"] for c in interview["scorecards"] for r in c["ratings"]} == {privacy.ERASED_TEXT}
