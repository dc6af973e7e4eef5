"""Automated grading of a submitted sitting and its score, each grade logged as a DecisionRecord.

- multiple choice: against the question's hidden key (`CHOICE_GRADER_VERSION`);
- ML task: the latest valid predictions file (`latest_submissions`) against the hidden labels with
  `grading` (`GRADING_VERSION`);
- coding task: the latest source file against the hidden tests in the `sandbox` (`SANDBOX_VERSION`),
  run outside any database transaction (it may take the task's wall-time limit); resource use recorded;
- short answers and take-homes wait for a person's rubric grade (`services.grade_rubric`).

Each automated grade writes one DecisionRecord (kind "assessment_grade", subject the submission,
version = the grader's, inputs digest, score = the item's points, an explanation with nothing hidden)
and an audit entry. When every item has points, `finalize_sitting` stores the sitting score
(`scoring.sitting_score`) and writes a DecisionRecord of kind "assessment_score" whose subject is the
requisition, one per person and requisition, which the LL144 audit of screening reads. Grading is
idempotent: items already graded are skipped, so `grade_sitting` can be re-run after an interruption.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.core import audit
from cadre.core.models import AuditLog, DecisionRecord
from cadre.screening import grading, sandbox, scoring
from cadre.screening.models import AssessmentItem, Question, Sitting, Submission
from cadre.screening.services import sitting_audit_view, submission_audit_view
from cadre.screening.sitting_rules import graded_attempt

ITEM_DECISION_KIND = "assessment_grade"
# The one definition of the sitting-score decision kind. compliance.monitoring.ASSESSMENT_KIND repeats it
# as a plain string because compliance may not import screening; tests/screening/test_grading_safety.py
# checks that the two agree.
SITTING_DECISION_KIND = "assessment_score"
SITTING_SUBJECT = "requisitions.requisition"
CHOICE_GRADER_VERSION = "choice-1.0"
UNANSWERED = "not_answered"

logger = logging.getLogger(__name__)


def _sha(obj: Any) -> str:
    if isinstance(obj, bytes | bytearray | memoryview):
        return hashlib.sha256(bytes(obj)).hexdigest()
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def latest_submissions(sitting: Sitting) -> dict[int, Submission]:
    """The attempt of each item that is graded (`sitting_rules.graded_attempt`): the latest one without
    problems, so that a later upload with problems never replaces an earlier good file; the latest one
    when every attempt had problems."""
    by_item: dict[int, list[Submission]] = {}
    for sub in Submission.objects.filter(sitting=sitting).defer("upload").order_by("item_id", "-attempt"):
        by_item.setdefault(sub.item_id, []).append(sub)
    chosen = {item_id: graded_attempt(subs) for item_id, subs in by_item.items()}
    return {item_id: sub for item_id, sub in chosen.items() if sub is not None}


def _items(sitting: Sitting) -> list[AssessmentItem]:
    return list(
        AssessmentItem.objects.filter(assessment_id=sitting.assessment_id)
        .select_related("question")
        .order_by("position")
    )


def _record(
    sitting: Sitting, submission: Submission, question: Question, *, version: str, digest: str, points: float,
    explanation: dict[str, Any],
) -> None:  # fmt: skip
    DecisionRecord.objects.create(
        kind=ITEM_DECISION_KIND,
        version=version[:64],
        subject_type=submission._meta.label_lower,
        subject_id=str(submission.pk),
        person_id=sitting.application.person_id,
        inputs_digest=digest,
        score=scoring.quantize(points),
        explanation={
            "sitting_id": sitting.pk,
            "application_id": sitting.application_id,
            "item_id": submission.item_id,
            "question": f"{question.slug}@v{question.version}",
            "competency": question.competency,
            "kind": question.kind,
            "points": points,
            **explanation,
        },
    )


def _save_grade(sitting: Sitting, submission: Submission, *, status: str, before: dict[str, Any]) -> None:
    submission.status = status
    submission.graded_at = timezone.now() if status == Submission.Status.GRADED else None
    submission.save()
    audit.record(AuditLog.Action.UPDATE, submission, before=before, after=submission_audit_view(submission))


def _grade_choice(sitting: Sitting, submission: Submission, question: Question) -> None:
    chosen = [str(c) for c in submission.answer.get("choices", [])]
    points = scoring.choice_points(chosen, question.hidden_key.get("correct", []))
    before = submission_audit_view(submission)
    submission.score = scoring.quantize(points)
    submission.grader_version = CHOICE_GRADER_VERSION
    submission.result = {"points": points, "correct": points == 1.0}
    with transaction.atomic():
        _save_grade(sitting, submission, status=Submission.Status.GRADED, before=before)
        _record(
            sitting,
            submission,
            question,
            version=CHOICE_GRADER_VERSION,
            digest=_sha({"question": question.pk, "chosen": chosen}),
            points=points,
            explanation={"chosen": chosen, "correct": points == 1.0},
        )


def _grade_predictions(sitting: Sitting, submission: Submission, question: Question) -> None:
    spec = question.spec
    before = submission_audit_view(submission)
    task = grading.TaskSpec.from_config(spec["grading"])
    floor, target = scoring.task_anchors(spec.get("scoring"), task.metric_info.direction)
    data = bytes(Submission.objects.values_list("upload", flat=True).get(pk=submission.pk) or b"")
    problems: list[str] = list(submission.errors)
    outcome: grading.GradeResult | None = None
    if submission.status != Submission.Status.INVALID:
        labels = grading.parse_labels(bytes(question.hidden_data or b""), task)
        try:
            outcome = grading.grade_submission(data, labels, task, declared_size=len(data))
        except grading.InvalidPredictionsError as exc:
            problems = [str(p) for p in exc.problems]
        except grading.GradingError as exc:
            problems = [str(exc)]
    submission.grader_version = grading.GRADING_VERSION
    if outcome is None:
        points = 0.0
        submission.score = scoring.quantize(points)
        submission.errors = problems
        submission.result = {"points": 0.0, "valid": False, "problems": len(problems)}
        digest = _sha(data)
        explanation: dict[str, Any] = {"valid": False, "problems": problems[:5]}
    else:
        points = scoring.task_points(outcome.score, floor, target)
        view = outcome.candidate_view()
        # The score column holds points (0..1) for every kind; the raw metric, however extreme, is JSON.
        submission.score = scoring.quantize(points)
        submission.result = {
            "points": points,
            "valid": True,
            "metric": outcome.metric,
            "value": scoring.json_number(outcome.score),
            "direction": outcome.direction,
            "n": outcome.n,
            "floor": floor,
            "target": target,
            "grading_version": outcome.version,
            "predictions_digest": view["predictions_digest"],
            "explanation": view["explanation"],
        }
        digest = outcome.inputs_digest
        explanation = {
            "metric": outcome.metric,
            "value": scoring.json_number(outcome.score),
            "n": outcome.n,
            "floor": floor,
            "target": target,
            "computed_with": view["explanation"].get("computed_with", ""),
        }
    with transaction.atomic():
        _save_grade(sitting, submission, status=Submission.Status.GRADED, before=before)
        _record(
            sitting, submission, question, version=grading.GRADING_VERSION, digest=digest, points=points,
            explanation=explanation,
        )  # fmt: skip


def _limits(spec: dict[str, Any]) -> sandbox.Limits:
    fields = set(sandbox.Limits.__dataclass_fields__)
    return sandbox.Limits(**{k: v for k, v in spec.get("limits", {}).items() if k in fields})


def _grade_code(sitting: Sitting, submission: Submission, question: Question) -> None:
    """Runs the sandbox (outside any transaction), then records the grade."""
    before = submission_audit_view(submission)
    data = bytes(Submission.objects.values_list("upload", flat=True).get(pk=submission.pk) or b"")
    limits = _limits(question.spec)
    tests = bytes(question.hidden_data or b"").decode("utf-8")
    # Only the cases format is trustworthy (the host judges the results); unittest results are advisory.
    advisory = not sandbox.is_cases_document(tests)
    if submission.status == Submission.Status.INVALID:
        result: sandbox.SandboxResult | None = None
    else:
        try:
            run = sandbox.run_tests if advisory else sandbox.run_cases
            result = run(data.decode("utf-8"), tests, limits=limits)
        except (sandbox.SandboxInputError, UnicodeDecodeError) as exc:
            submission.errors = [str(exc)]
            submission.status = Submission.Status.INVALID
            result = None
    if result is not None and result.status == sandbox.Status.SANDBOX_UNAVAILABLE:
        submission.errors = ["the sandbox is not available on this server: grade this answer by its rubric"]
        submission.result = {"sandbox": "unavailable", "reason": result.reason}
        _save_grade(sitting, submission, status=Submission.Status.NEEDS_REVIEW, before=before)
        return
    if result is not None and advisory:
        # The candidate's code shares a process with unittest and can forge its outcome: a suggestion for
        # the person who grades this answer by its rubric, never an automatic score.
        submission.grader_version = sandbox.SANDBOX_VERSION
        submission.errors = [
            "unittest-format hidden tests can be forged by the code under test: grade this answer by its "
            "rubric (the sandbox figures are advisory)"
        ]
        submission.result = {
            "advisory": True,
            "status": result.status,
            "reason": result.reason,
            "tests_passed": result.tests_passed,
            "tests_total": result.tests_total,
            "tests": [{"name": t.name, "outcome": t.outcome} for t in result.tests],
            "sandbox_version": result.sandbox_version,
        }
        _save_grade(sitting, submission, status=Submission.Status.NEEDS_REVIEW, before=before)
        return
    submission.grader_version = sandbox.SANDBOX_VERSION
    if result is None:
        points = 0.0
        submission.score = scoring.quantize(0.0)
        submission.result = {"points": 0.0, "status": "not_run", "reason": "; ".join(submission.errors)}
        digest = _sha(data)
        explanation: dict[str, Any] = {"status": "not_run", "problems": submission.errors[:5]}
    else:
        points = scoring.passed_points(result.tests_passed, result.tests_total)
        submission.score = scoring.quantize(points)
        resources = {
            "cpu_seconds": round(result.cpu_seconds, 3),
            "wall_seconds": round(result.wall_seconds, 3),
            "max_rss_kb": result.max_rss_kb,
            "peak_processes": result.peak_processes,
        }
        submission.result = {
            "points": points,
            "status": result.status,
            "reason": result.reason,
            "tests_passed": result.tests_passed,
            "tests_total": result.tests_total,
            "tests": [{"name": t.name, "outcome": t.outcome} for t in result.tests],
            "resources": resources,
            "limits": asdict(result.limits),
            "sandbox_version": result.sandbox_version,
        }
        digest = _sha(
            {
                "code": _sha(data),
                "tests": _sha(tests.encode()),
                "limits": asdict(limits),
                "v": sandbox.SANDBOX_VERSION,
            }
        )
        explanation = {
            "status": result.status,
            "tests_passed": result.tests_passed,
            "tests_total": result.tests_total,
            "resources": resources,
        }
    with transaction.atomic():
        _save_grade(sitting, submission, status=Submission.Status.GRADED, before=before)
        _record(
            sitting, submission, question, version=sandbox.SANDBOX_VERSION, digest=digest, points=points,
            explanation=explanation,
        )  # fmt: skip


def _grade_item(sitting: Sitting, submission: Submission, question: Question) -> None:
    if question.kind == Question.Kind.MULTIPLE_CHOICE:
        _grade_choice(sitting, submission, question)
    elif question.kind == Question.Kind.ML_TASK:
        _grade_predictions(sitting, submission, question)
    elif question.kind == Question.Kind.CODING_TASK:
        _grade_code(sitting, submission, question)
    else:
        _save_grade(
            sitting,
            submission,
            status=Submission.Status.NEEDS_REVIEW,
            before=submission_audit_view(submission),
        )


def _record_error(submission: Submission, exc: BaseException) -> None:
    """An item whose grader failed keeps its status (received or invalid: not graded, so the sitting
    stays submitted and "Run automatic grading" retries it) and gets the reason in `result` for staff
    (`result` is never shown to the candidate). The failure is logged with its traceback."""
    logger.exception("grading submission #%s failed", submission.pk)
    fresh = Submission.objects.defer("upload").get(pk=submission.pk)
    before = submission_audit_view(fresh)
    reason = f"{type(exc).__name__}: {exc}"[:500]
    fresh.result = {"grading_error": reason, "grading_error_at": timezone.now().isoformat()}
    fresh.save(update_fields=["result"])
    audit.record(AuditLog.Action.UPDATE, fresh, before=before, after=submission_audit_view(fresh))


def grading_errors(sitting: Sitting) -> dict[int, str]:
    """item id -> why automatic grading of its latest submission failed (empty when none did)."""
    return {
        item_id: str(sub.result["grading_error"])
        for item_id, sub in latest_submissions(sitting).items()
        if sub.status != Submission.Status.GRADED and sub.result.get("grading_error")
    }


def grade_sitting(sitting: Sitting) -> Sitting:
    """Grade every automated item of a submitted sitting not graded yet, then `finalize_sitting`.

    Each item is graded on its own: a grader that raises leaves that item ungraded with the reason
    (`grading_errors`) and the others are still graded; the sitting then stays submitted until a
    re-run (or a person) grades the item."""
    sitting = Sitting.objects.select_related("application", "assessment").get(pk=sitting.pk)
    if sitting.status not in (Sitting.Status.SUBMITTED, Sitting.Status.GRADED):
        raise ValueError("only a submitted sitting is graded")
    latest = latest_submissions(sitting)
    for item in _items(sitting):
        submission = latest.get(item.pk)
        if submission is None or submission.status in (
            Submission.Status.GRADED,
            Submission.Status.NEEDS_REVIEW,
        ):
            continue
        try:
            _grade_item(sitting, submission, item.question)
        except Exception as exc:  # one item's failure must not stop the others (see _record_error)
            _record_error(submission, exc)
    with transaction.atomic():
        locked = (
            Sitting.objects.select_for_update().select_related("application", "assessment").get(pk=sitting.pk)
        )
        finalize_sitting(locked)
    return locked


def finalize_sitting(sitting: Sitting, *, reviewer: Any = None) -> bool:
    """Recompute the sitting's result from the latest submissions; when every item has points, store the
    score, mark it graded and log the assessment_score DecisionRecord. Returns True when complete."""
    assessment = sitting.assessment
    latest = latest_submissions(sitting)
    rows: list[dict[str, Any]] = []
    points: list[scoring.ItemPoints] = []
    for item in _items(sitting):
        question = item.question
        submission = latest.get(item.pk)
        value: float | None
        if submission is None:
            value, status = 0.0, UNANSWERED
        elif submission.status == Submission.Status.GRADED:
            value, status = float(submission.result.get("points", 0.0)), submission.status
        else:
            value, status = None, submission.status
        points.append(scoring.ItemPoints(question.competency, float(item.weight), value))
        rows.append(
            {
                "item_id": item.pk,
                "position": item.position,
                "question": question.slug,
                "question_version": question.version,
                "title": question.title,
                "kind": question.kind,
                "competency": question.competency,
                "weight": float(item.weight),
                "status": status,
                "points": value,
                "submission_id": submission.pk if submission else None,
            }
        )
    weights = {c["competency"]: float(c["weight"]) for c in assessment.competencies}
    summary = scoring.sitting_score(points, weights)
    before = sitting_audit_view(sitting)
    decision = sitting.result.get("decision")
    sitting.result = {
        "scoring_version": scoring.SCORING_VERSION,
        "complete": summary.complete,
        "pending": sum(1 for p in points if p.points is None),
        "score": summary.score,
        "by_competency": summary.by_competency,
        "pass_threshold": str(assessment.pass_threshold) if assessment.pass_threshold is not None else None,
        "outcome": scoring.outcome(summary.score, assessment.pass_threshold),
        "items": rows,
    }
    if decision:
        sitting.result["decision"] = decision
    if summary.complete and summary.score is not None:
        sitting.score = scoring.quantize(summary.score)
        sitting.status = Sitting.Status.GRADED
        sitting.graded_at = timezone.now()
    else:
        sitting.score = None
        sitting.status = Sitting.Status.SUBMITTED
        sitting.graded_at = None
    sitting.save(update_fields=["score", "status", "graded_at", "result"])
    audit.record(AuditLog.Action.UPDATE, sitting, before=before, after=sitting_audit_view(sitting))
    if sitting.status == Sitting.Status.GRADED:
        requisition_id = sitting.application.requisition_id
        DecisionRecord.objects.create(
            kind=SITTING_DECISION_KIND,
            version=f"{scoring.SCORING_VERSION}+assessment-{assessment.pk}v{assessment.version}"[:64],
            subject_type=SITTING_SUBJECT,
            subject_id=str(requisition_id),
            person_id=sitting.application.person_id,
            inputs_digest=_sha(
                {
                    "items": [(r["question"], r["question_version"], r["points"]) for r in rows],
                    "weights": weights,
                    "v": scoring.SCORING_VERSION,
                }
            ),  # fmt: skip
            score=sitting.score,
            explanation={
                "sitting_id": sitting.pk,
                "application_id": sitting.application_id,
                "assessment_id": assessment.pk,
                "assessment_version": assessment.version,
                "framework_version": assessment.framework_version,
                "by_competency": summary.by_competency,
                "pass_threshold": sitting.result["pass_threshold"],
                "outcome": sitting.result["outcome"],
                "human_graded_items": sum(1 for s in latest.values() if s.graded_by_id),
            },
            reviewer=reviewer if getattr(reviewer, "pk", None) else None,
        )
    return sitting.status == Sitting.Status.GRADED
