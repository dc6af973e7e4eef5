"""Reads of screening, scoped, and the safe views of its rows that pages and the API show.

Pages and the API never receive a Question, AssessmentItem or Submission model instance: they get the
dicts built here, which leave out `hidden_key`, `hidden_data` and upload bytes by construction (the
answer key, hidden labels and hidden tests cannot reach a template by accident). Hiring managers see only
sittings and assessments of their assigned clients (NotFound otherwise); the question bank is readable
by every signed-in user because nothing hidden is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cadre.core.exceptions import NotFound
from cadre.core.models import User
from cadre.core.selectors import is_client_scoped
from cadre.core.services import require_user
from cadre.pipeline.models import Application
from cadre.pipeline.selectors import applications_visible_to
from cadre.screening import frameworks, grading, scoring, sitting_rules
from cadre.screening.grading_services import latest_submissions
from cadre.screening.models import Assessment, AssessmentItem, Competency, Question, Sitting, Submission

COMPETENCY_NAMES = dict(Competency.choices)
KIND_NAMES = dict(Question.Kind.choices)
AUTO_GRADED = (Question.Kind.MULTIPLE_CHOICE, Question.Kind.ML_TASK, Question.Kind.CODING_TASK)
# Columns read for lists: never the hidden fields or file bytes.
QUESTION_LIST_FIELDS = (
    "id",
    "slug",
    "version",
    "kind",
    "competency",
    "difficulty",
    "title",
    "prompt",
    "role_families",
    "spec",
    "public_filename",
    "status",
    "created_at",
    "created_by",
)


# -------------------------------------------------------------------------------------------- questions


def _latest_ids() -> QuerySet[Question]:
    newest = Question.objects.filter(slug=OuterRef("slug")).order_by("-version").values("pk")[:1]
    return Question.objects.filter(pk=Subquery(newest))


def list_questions(
    user: Any,
    *,
    competency: str = "",
    kind: str = "",
    difficulty: int | None = None,
    status: str = "",
    q: str = "",
) -> list[dict[str, Any]]:
    """The latest version of each question in the bank, as safe dicts, by competency then slug."""
    require_user(user)
    qs = _latest_ids().only(*QUESTION_LIST_FIELDS).select_related("created_by")
    if competency:
        qs = qs.filter(competency=competency)
    if kind:
        qs = qs.filter(kind=kind)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(slug__icontains=q) | Q(prompt__icontains=q))
    counts = dict(Question.objects.values("slug").annotate(n=Count("id")).values_list("slug", "n"))
    rows = []
    for question in qs.order_by("competency", "kind", "difficulty", "slug"):
        row = public_question(question)
        row["versions"] = counts.get(question.slug, 1)
        rows.append(row)
    return rows


def count_questions(user: Any, *, status: str = Question.Status.ACTIVE) -> int:
    """How many questions (latest versions) have this status."""
    require_user(user)
    return _latest_ids().filter(status=status).count()


def get_question(user: Any, pk: int) -> Question:
    """A question row for services (edits, assessment items). Faces show `public_question(...)`."""
    require_user(user)
    question = Question.objects.filter(pk=pk).first()
    if question is None:
        raise NotFound(f"question {pk} not found")
    return question


def get_question_by_ref(user: Any, ref: str) -> Question:
    """A question by id, or the latest version of a slug."""
    require_user(user)
    ref = str(ref).strip()
    question = (
        Question.objects.filter(pk=int(ref)).first()
        if ref.isdigit()
        else Question.objects.filter(slug=ref).order_by("-version").first()
    )
    if question is None:
        raise NotFound(f"question {ref!r} not found")
    return question


def question_versions(question: Question) -> list[dict[str, Any]]:
    rows = (
        Question.objects.filter(slug=question.slug).only(*QUESTION_LIST_FIELDS).select_related("created_by")
    )
    return [
        {
            "id": r.pk,
            "version": r.version,
            "title": r.title,
            "status": r.status,
            "created_at": r.created_at,
            "created_by": _name(r.created_by),
        }
        for r in rows.order_by("-version")
    ]


def _name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)


def _metric(spec: dict[str, Any], *, for_candidate: bool = False) -> dict[str, Any]:
    config = spec.get("grading", {})
    info = grading.METRICS.get(config.get("metric", ""))
    scoring_spec = spec.get("scoring", {})
    return {
        "name": config.get("metric", ""),
        "title": info.title if info else config.get("metric", ""),
        "direction": f"{info.direction} is better" if info else "",
        "definition": info.definition if info else "",
        "id_column": config.get("id_column", "id"),
        "prediction_columns": list(config.get("prediction_columns", [])),
        "prediction_type": config.get("prediction_type", ""),
        "floor": scoring_spec.get("floor"),
        # The target (what the true data-generating process scores) says how noisy the hidden labels
        # are: staff only.
        "target": None if for_candidate else scoring_spec.get("target"),
        "points_rule": (
            CANDIDATE_POINTS_RULE
            if for_candidate
            else _points_rule(scoring_spec, info.direction if info else "")
        ),
        "rows": spec.get("rows", {}),
    }


CANDIDATE_POINTS_RULE = (
    "0 points at the know-nothing score, full points at the level of the true data-generating process "
    "(not shown), in proportion in between"
)


def _points_rule(scoring_spec: dict[str, Any], direction: str) -> str:
    """How the task's metric becomes points, from the anchors it declares (empty when they are bad)."""
    try:
        floor, target = scoring.task_anchors(scoring_spec, direction)
    except ValueError:
        return ""
    return scoring.points_rule(floor, target)


def public_question(question: Question, *, for_candidate: bool = False) -> dict[str, Any]:
    """What may be shown about a question: its text, choices, rubric, metric, limits and checks.
    `for_candidate` leaves out bank bookkeeping (who wrote it, role families, status)."""
    spec = question.spec or {}
    row: dict[str, Any] = {
        "id": question.pk,
        "slug": question.slug,
        "version": question.version,
        "kind": question.kind,
        "kind_label": KIND_NAMES.get(question.kind, question.kind),
        "competency": question.competency,
        "competency_label": COMPETENCY_NAMES.get(question.competency, question.competency),
        "difficulty": question.difficulty,
        "title": question.title,
        "prompt": question.prompt,
        "minutes": spec.get("minutes"),
        "choices": [{"id": c["id"], "text": c["text"]} for c in spec.get("choices", [])],
        "rubric": [{"level": int(k), "text": v} for k, v in sorted(spec.get("rubric", {}).items())],
        "max_chars": spec.get("max_chars"),
        "accepts": list(spec.get("accepts", [])),
        "public_filename": question.public_filename,
        "has_public_data": bool(question.public_filename),
        "auto_graded": question.kind in AUTO_GRADED,
    }
    if question.kind == Question.Kind.ML_TASK:
        row["metric"] = _metric(spec, for_candidate=for_candidate)
        row["files"] = list(spec.get("files", []))
    if question.kind == Question.Kind.CODING_TASK:
        row["checks"] = [dict(c) for c in spec.get("checks", [])]
        row["limits"] = dict(spec.get("limits", {}))
        row["language"] = spec.get("language", "python")
        row["filename"] = spec.get("filename", "solution.py")
    if not for_candidate:
        row["status"] = question.status
        row["role_families"] = list(question.role_families or [])
        row["created_at"] = question.created_at
        row["created_by"] = _name(question.created_by) if question.created_by_id else ""
    return row


def public_file(question: Question) -> tuple[str, bytes]:
    """The question's public file (training data or starter code), never the hidden one."""
    data = Question.objects.filter(pk=question.pk).values_list("public_data", flat=True).first()
    if not question.public_filename or data is None:
        raise NotFound("this question has no file to download")
    return question.public_filename, bytes(data)


# ------------------------------------------------------------------------------------------ assessments


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    qs = Assessment.objects.all()
    if is_client_scoped(user):
        qs = qs.filter(requisition__client__hiring_managers=user)
    return qs


def list_assessments(
    user: Any, *, requisition_id: int | None = None, status: str = ""
) -> QuerySet[Assessment]:
    qs = assessments_visible_to(user).select_related("requisition__client", "created_by")
    if requisition_id:
        qs = qs.filter(requisition_id=requisition_id)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        n_items=Count("items", distinct=True), n_sittings=Count("sittings", distinct=True)
    ).order_by("-created_at", "-id")


def get_assessment(user: Any, pk: int) -> Assessment:
    assessment = (
        assessments_visible_to(user).select_related("requisition__client", "created_by").filter(pk=pk).first()
    )
    if assessment is None:
        raise NotFound(f"assessment {pk} not found")
    return assessment


def assessment_items(assessment: Assessment, *, for_candidate: bool = False) -> list[dict[str, Any]]:
    items = AssessmentItem.objects.filter(assessment=assessment).select_related("question__created_by")
    items = items.defer("question__hidden_key", "question__hidden_data", "question__public_data")
    return [
        {
            "id": item.pk,
            "position": item.position,
            "weight": item.weight,
            "question": public_question(item.question, for_candidate=for_candidate),
        }
        for item in items.order_by("position")
    ]


def competency_rows(assessment: Assessment) -> list[dict[str, Any]]:
    """The assessment's competencies with weights (as shares of 100%) and their rubric level summaries."""
    total = sum(float(c["weight"]) for c in assessment.competencies) or 1.0
    rows = []
    for c in assessment.competencies:
        try:
            definition = frameworks.competency(c["competency"])
            levels = [
                {"level": lv.level, "label": lv.label, "summary": lv.summary} for lv in definition.levels
            ]
            description = definition.description
        except (frameworks.FrameworkError, KeyError):
            levels, description = [], ""
        rows.append(
            {
                "competency": c["competency"],
                "name": c.get("name") or COMPETENCY_NAMES.get(c["competency"], c["competency"]),
                "weight": float(c["weight"]),
                "share": float(c["weight"]) / total,
                "description": description,
                "levels": levels,
            }
        )
    return rows


def assessment_view(assessment: Assessment) -> dict[str, Any]:
    items = assessment_items(assessment)
    minutes = sum(int(i["question"]["minutes"] or 0) for i in items)
    return {
        "id": assessment.pk,
        "title": assessment.title,
        "version": assessment.version,
        "status": assessment.status,
        "status_label": assessment.get_status_display(),
        "requisition_id": assessment.requisition_id,
        "requisition": str(assessment.requisition.title) if assessment.requisition else "",
        "client": assessment.requisition.client.name if assessment.requisition else "",
        "role_family": assessment.role_family,
        "framework_version": assessment.framework_version,
        "time_limit_minutes": assessment.time_limit_minutes,
        "pass_threshold": assessment.pass_threshold,
        "created_at": assessment.created_at,
        "created_by": _name(assessment.created_by) if assessment.created_by_id else "",
        "published_at": assessment.published_at,
        "competencies": competency_rows(assessment),
        "items": items,
        "estimated_minutes": minutes,
    }


def published_assessments_for(user: Any, application: Application) -> QuerySet[Assessment]:
    return assessments_visible_to(user).filter(
        Q(requisition_id=application.requisition_id) | Q(requisition__isnull=True),
        status=Assessment.Status.PUBLISHED,
    )


# --------------------------------------------------------------------------------------------- sittings


def sittings_visible_to(user: Any) -> QuerySet[Sitting]:
    return Sitting.objects.filter(application__in=applications_visible_to(user))


def list_sittings(
    user: Any, *, application_id: int | None = None, assessment_id: int | None = None, status: str = ""
) -> QuerySet[Sitting]:
    qs = sittings_visible_to(user).select_related(
        "assessment", "application__person", "application__requisition__client", "invited_by"
    )
    if application_id:
        qs = qs.filter(application_id=application_id)
    if assessment_id:
        qs = qs.filter(assessment_id=assessment_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-invited_at", "-id")


def awaiting_review(user: Any) -> QuerySet[Sitting]:
    """Submitted sittings with answers waiting for a rubric grade."""
    waiting = Submission.objects.filter(sitting=OuterRef("pk"), status=Submission.Status.NEEDS_REVIEW)
    return list_sittings(user, status=Sitting.Status.SUBMITTED).filter(Q(pk__in=waiting.values("sitting_id")))


def get_sitting(user: Any, pk: int) -> Sitting:
    sitting = (
        sittings_visible_to(user)
        .select_related("assessment", "application__person", "application__requisition__client", "invited_by")
        .filter(pk=pk)
        .first()
    )
    if sitting is None:
        raise NotFound(f"sitting {pk} not found")
    return sitting


def get_sitting_unscoped(pk: int) -> Sitting:
    """A sitting for a face that already resolved access (the candidate's link, a scoped read)."""
    return Sitting.objects.select_related(
        "assessment", "application__person", "application__requisition__client", "invited_by"
    ).get(pk=pk)


def candidate_submission(sub: Submission) -> dict[str, Any]:
    """One submission as its candidate may see it: what was received and any problems, no grade."""
    view = _submission_view(sub, staff=False)
    assert view is not None
    return view


def _submission_view(sub: Submission | None, *, staff: bool) -> dict[str, Any] | None:
    if sub is None:
        return None
    row: dict[str, Any] = {
        "id": sub.pk,
        "attempt": sub.attempt,
        "status": sub.status,
        "status_label": sub.get_status_display(),
        "answer": dict(sub.answer),
        "upload_name": sub.upload_name,
        "upload_size": sub.upload_size,
        "upload_sha256": sub.upload_sha256,
        "errors": list(sub.errors),
        "created_at": sub.created_at,
    }
    if staff:
        row.update(
            {
                "score": sub.score,
                "level": sub.level,
                "result": dict(sub.result),
                "grader_version": sub.grader_version,
                "graded_by": _name(sub.graded_by) if sub.graded_by_id else "",
                "graded_at": sub.graded_at,
            }
        )
    return row


def sitting_link(sitting: Sitting) -> str:
    return sitting_rules.portal_path(sitting)


def sitting_view(sitting: Sitting, *, staff: bool = True) -> dict[str, Any]:
    """The sitting with each item, its latest submission and (for staff) grades and the per-competency
    result. `staff=False` is the candidate's receipt: what was received, never a score or a key."""
    latest = latest_submissions(sitting)
    if staff:
        graders = {s.graded_by_id for s in latest.values() if s.graded_by_id}
        names = {u.pk: u for u in User.objects.filter(pk__in=graders)} if graders else {}
        for sub in latest.values():
            if sub.graded_by_id:
                sub.graded_by = names.get(sub.graded_by_id)
    attempts = dict(
        Submission.objects.filter(sitting=sitting)
        .values("item_id")
        .annotate(n=Count("id"))
        .values_list("item_id", "n")
    )
    items = []
    for item in assessment_items(sitting.assessment, for_candidate=not staff):
        items.append(
            {
                **item,
                "submission": _submission_view(latest.get(item["id"]), staff=staff),
                "attempts": attempts.get(item["id"], 0),
            }
        )
    view: dict[str, Any] = {
        "id": sitting.pk,
        "status": sitting.status,
        "status_label": sitting.get_status_display(),
        "assessment": {
            "id": sitting.assessment_id,
            "title": sitting.assessment.title,
            "version": sitting.assessment.version,
            "time_limit_minutes": sitting.assessment.time_limit_minutes,
            "pass_threshold": sitting.assessment.pass_threshold,
        },
        "competencies": competency_rows(sitting.assessment),
        "candidate": sitting.application.person.full_name,
        "requisition": sitting.application.requisition.title,
        "client": sitting.application.requisition.client.name,
        "invited_at": sitting.invited_at,
        "expires_at": sitting.expires_at,
        "started_at": sitting.started_at,
        "submitted_at": sitting.submitted_at,
        "deadline": sitting_rules.deadline(sitting),
        "items": items,
        "answered": sum(1 for i in items if i["submission"]),
    }
    if staff:
        result = dict(sitting.result)
        view.update(
            {
                "application_id": sitting.application_id,
                "application_stage": sitting.application.stage,
                "person_id": sitting.application.person_id,
                "invited_by": _name(sitting.invited_by) if sitting.invited_by_id else "",
                "graded_at": sitting.graded_at,
                "score": sitting.score,
                "outcome": scoring.outcome(sitting.score, sitting.assessment.pass_threshold),
                "by_competency": _by_competency(result.get("by_competency", {}), view["competencies"]),
                "pending": result.get("pending"),
                "decision": result.get("decision"),
                "needs_review": [i for i in items if _status(i) == Submission.Status.NEEDS_REVIEW],
                "ungraded": [
                    i for i in items if _status(i) in (Submission.Status.RECEIVED, Submission.Status.INVALID)
                ],
                # Why automatic grading failed: for the whole run, and per item (staff only; a re-run
                # of automatic grading retries these items).
                "grading_error": result.get("grading_error", ""),
                "grading_errors": [
                    {"position": i["position"], "title": i["question"]["title"], "reason": reason}
                    for i in items
                    if i["submission"]
                    and _status(i) != Submission.Status.GRADED
                    and (reason := i["submission"]["result"].get("grading_error"))
                ],
            }
        )
    return view


def _status(item: dict[str, Any]) -> str:
    return str(item["submission"]["status"]) if item["submission"] else ""


def _by_competency(raw: dict[str, Any], competencies: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for c in competencies:
        entry = raw.get(c["competency"], {})
        rows.append(
            {
                "competency": c["competency"],
                "name": c["name"],
                "share": c["share"],
                "score": entry.get("score"),
                "items": entry.get("items", 0),
                "pending": entry.get("pending", 0),
            }
        )
    return rows


def candidate_view(sitting: Sitting) -> dict[str, Any]:
    """Everything the candidate's page shows (no scores, no keys, no grader notes)."""
    view = sitting_view(sitting, staff=False)
    view["open"] = sitting_rules.is_open(sitting, timezone.now())
    view["max_upload_bytes"] = sitting_rules.max_upload_bytes()
    view["pass_rule"] = (
        f"{Decimal(sitting.assessment.pass_threshold) * 100:.0f}%"
        if sitting.assessment.pass_threshold is not None
        else ""
    )
    return view
