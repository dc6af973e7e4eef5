"""REST endpoints for screening. No schema here has a field for an answer key, hidden labels or hidden
tests: every question goes out through `selectors.public_question`.

Recruiters (bearer token or session):
GET    /api/screening/questions                          the bank (latest versions; filters)
POST   /api/screening/questions                          a new multiple-choice / short-answer / take-home
GET    /api/screening/questions/{id}                     one version, with its version list
POST   /api/screening/questions/{id}/versions            edit: writes the next version
POST   /api/screening/questions/{id}/status              retire or reactivate
GET    /api/screening/assessments                        list (scoped)
POST   /api/screening/assessments                        assemble a draft from a requisition's job profile
GET    /api/screening/assessments/{id}                   with competencies and items
PATCH  /api/screening/assessments/{id}                   draft settings
POST   /api/screening/assessments/{id}/items             add a question to a draft
DELETE /api/screening/assessments/{id}/items/{item_id}   remove one
POST   /api/screening/assessments/{id}/publish|versions|archive
GET    /api/applications/{id}/sittings                   the application's sittings
POST   /api/applications/{id}/sittings                   invite: returns the candidate's signed link
GET    /api/screening/sittings/{id}                      results per item and competency
POST   /api/screening/sittings/{id}/submissions/{sid}/grade   a rubric grade (level 1-4, note)
POST   /api/screening/sittings/{id}/decision             the recruiter's decision (moves the application)
POST   /api/screening/sittings/{id}/cancel|extend|regrade

Candidates (no authentication: the signed token is the credential):
GET    /api/screening/portal/{token}                     what is assessed, the questions, saved answers
POST   /api/screening/portal/{token}/start
POST   /api/screening/portal/{token}/answers             typed answers by item id
POST   /api/screening/portal/{token}/items/{item_id}/upload   multipart field "file" (size-capped)
GET    /api/screening/portal/{token}/items/{item_id}/file     the item's public file
POST   /api/screening/portal/{token}/submit
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from cadre.api.schemas import ERRORS, ErrorOut, StrictIn
from cadre.core.exceptions import Conflict, NotFound
from cadre.core.services import require_editor
from cadre.pipeline.selectors import get_application
from cadre.requisitions.selectors import get_requisition
from cadre.screening import interview_api, portal, selectors, services
from cadre.screening.grading_services import grade_sitting
from cadre.screening.models import Assessment, AssessmentItem, Sitting

router = Router(tags=["screening"])
# Structured interviews keep their own module; their paths do not overlap these.
router.add_router("", interview_api.router)

KindIn = Literal["multiple_choice", "short_answer", "take_home"]
CompetencyIn = Literal[
    "coding",
    "statistical_reasoning",
    "model_evaluation",
    "ml_system_design",
    "data_engineering",
    "mlops",
    "responsible_ai",
]
PORTAL_ERRORS: dict[int, type[Schema]] = {**ERRORS, 410: ErrorOut, 422: ErrorOut}


class ChoiceOut(Schema):
    id: str
    text: str


class RubricLevelOut(Schema):
    level: int
    text: str


class QuestionOut(Schema):
    id: int
    slug: str
    version: int
    kind: str
    competency: str
    difficulty: int
    title: str
    prompt: str
    minutes: int | None = None
    choices: list[ChoiceOut] = []
    rubric: list[RubricLevelOut] = []
    max_chars: int | None = None
    accepts: list[str] = []
    public_filename: str = ""
    auto_graded: bool
    metric: dict[str, Any] | None = Field(None, description="ML tasks: metric, columns, score anchors")
    checks: list[dict[str, str]] | None = Field(None, description="Coding tasks: what the hidden tests check")
    limits: dict[str, Any] | None = Field(None, description="Coding tasks: sandbox limits")
    status: str | None = None
    role_families: list[str] | None = None
    versions: int | None = None


class QuestionVersionOut(Schema):
    id: int
    version: int
    title: str
    status: str
    created_at: dt.datetime


class QuestionDetailOut(Schema):
    question: QuestionOut
    versions: list[QuestionVersionOut]


class QuestionIn(StrictIn):
    kind: KindIn
    slug: str = Field("", max_length=80, description="Default: from the title")
    competency: CompetencyIn
    difficulty: int = Field(2, ge=1, le=4)
    title: str = Field(..., min_length=1, max_length=200)
    prompt: str = Field(..., min_length=1, max_length=20_000)
    role_families: list[str] = []
    choices: list[str] | None = Field(None, description="Multiple choice: 2-8 texts, lettered a, b, c...")
    correct: str | None = Field(None, description="Multiple choice: the correct letter (kept hidden)")
    rubric: dict[str, str] | None = Field(None, description='Rubric questions: {"1": ..., "4": ...}')
    max_chars: int | None = Field(None, ge=100, le=100_000)


class QuestionEditIn(StrictIn):
    version: int = Field(..., ge=1, description="The version you edited; another is a 409")
    title: str | None = Field(None, max_length=200)
    prompt: str | None = Field(None, max_length=20_000)
    competency: CompetencyIn | None = None
    difficulty: int | None = Field(None, ge=1, le=4)
    role_families: list[str] | None = None
    choices: list[str] | None = None
    correct: str | None = None
    rubric: dict[str, str] | None = None
    max_chars: int | None = Field(None, ge=100, le=100_000)


class QuestionStatusIn(StrictIn):
    status: Literal["active", "retired"]


class CompetencyOut(Schema):
    competency: str
    name: str
    weight: float
    share: float


class ItemOut(Schema):
    id: int
    position: int
    weight: Decimal
    question: QuestionOut


class AssessmentOut(Schema):
    id: int
    title: str
    version: int
    status: str
    requisition_id: int | None
    role_family: str
    framework_version: str
    time_limit_minutes: int | None
    pass_threshold: Decimal | None
    created_at: dt.datetime
    published_at: dt.datetime | None
    competencies: list[CompetencyOut]
    items: list[ItemOut]
    estimated_minutes: int


class AssessmentSummaryOut(Schema):
    id: int
    title: str
    version: int
    status: str
    requisition_id: int | None
    pass_threshold: Decimal | None
    created_at: dt.datetime


class AssembleIn(StrictIn):
    requisition_id: int
    title: str = Field("", max_length=200)


class AssessmentPatch(StrictIn):
    title: str | None = Field(None, max_length=200)
    time_limit_minutes: int | None = Field(None, description="Minutes from the start; null: untimed")
    pass_threshold: Decimal | None = Field(None, ge=0, le=1, description="Share of the weighted score")
    weights: dict[str, float] | None = Field(None, description="Competency slug -> weight")


class AddItemIn(StrictIn):
    question_id: int
    weight: Decimal | None = Field(None, gt=0, le=100)


class CandidateSubmissionOut(Schema):
    """What the candidate may see of an answer: what was received and any problems, never a grade."""

    id: int
    attempt: int
    status: str
    answer: dict[str, Any]
    upload_name: str
    upload_size: int | None
    upload_sha256: str
    errors: list[str]
    created_at: dt.datetime


class SubmissionOut(CandidateSubmissionOut):
    score: Decimal | None = None
    level: int | None = None
    result: dict[str, Any] | None = None
    grader_version: str | None = None
    graded_by: str | None = None
    graded_at: dt.datetime | None = None


class SittingItemOut(Schema):
    id: int
    position: int
    weight: Decimal
    question: QuestionOut
    submission: SubmissionOut | None
    attempts: int


class SittingSummaryOut(Schema):
    id: int
    application_id: int
    assessment_id: int
    status: str
    invited_at: dt.datetime
    expires_at: dt.datetime
    submitted_at: dt.datetime | None
    graded_at: dt.datetime | None
    score: Decimal | None
    outcome: str | None = None

    @staticmethod
    def resolve_outcome(obj: Sitting) -> str | None:
        return obj.result.get("outcome") if obj.result else None


class SittingOut(Schema):
    id: int
    application_id: int
    person_id: int
    status: str
    assessment: dict[str, Any]
    competencies: list[CompetencyOut]
    invited_at: dt.datetime
    expires_at: dt.datetime
    started_at: dt.datetime | None
    submitted_at: dt.datetime | None
    graded_at: dt.datetime | None
    score: Decimal | None
    outcome: str | None
    by_competency: list[dict[str, Any]]
    pending: int | None
    decision: dict[str, Any] | None
    items: list[SittingItemOut]


class InviteIn(StrictIn):
    assessment_id: int
    valid_days: int = Field(services.DEFAULT_VALID_DAYS, ge=1, le=services.MAX_VALID_DAYS)


class InviteOut(Schema):
    sitting: SittingSummaryOut
    url: str = Field(..., description="The candidate's signed link (send it; it needs no account)")


class GradeIn(StrictIn):
    level: int = Field(..., ge=1, le=4)
    note: str = Field("", max_length=4000)


class DecisionIn(StrictIn):
    to_stage: Literal["submitted", "rejected"]
    reason: str = Field("", max_length=2000)


class ExtendIn(StrictIn):
    days: int = Field(..., ge=1, le=services.MAX_VALID_DAYS)


class PortalItemOut(Schema):
    id: int
    position: int
    question: QuestionOut
    submission: CandidateSubmissionOut | None


class PortalOut(Schema):
    status: str
    open: bool
    assessment: dict[str, Any]
    candidate: str
    requisition: str
    client: str
    competencies: list[CompetencyOut]
    invited_at: dt.datetime
    expires_at: dt.datetime
    started_at: dt.datetime | None
    submitted_at: dt.datetime | None
    deadline: dt.datetime
    max_upload_bytes: int
    items: list[PortalItemOut]


class AnswersIn(StrictIn):
    answers: dict[str, str] = Field(..., description="Item id -> choice letter (multiple choice) or text")


class AnswersOut(Schema):
    saved: list[int]


class AnswersErrorOut(Schema):
    detail: str
    field: str | None = None
    errors: dict[str, str] = {}


class QuestionFilters(Schema):
    competency: str = ""
    kind: str = ""
    difficulty: int | None = None
    status: str = "active"
    q: str = ""


# ------------------------------------------------------------------------------------------- questions


@router.get("/screening/questions", response={200: list[QuestionOut], **ERRORS})
def question_list(request: HttpRequest, filters: Query[QuestionFilters]) -> Any:
    """The latest version of every question (status "all" for retired ones too)."""
    data = filters.dict()
    if data["status"] == "all":
        data["status"] = ""
    return selectors.list_questions(request.user, **data)


@router.post("/screening/questions", response={201: QuestionOut, 422: ErrorOut, **ERRORS})
def question_create(request: HttpRequest, payload: QuestionIn) -> Any:
    fields = payload.dict(exclude_none=True)
    kind, slug = fields.pop("kind"), fields.pop("slug", "")
    question = services.create_question(request.user, kind=kind, slug=slug, **fields)
    return Status(201, selectors.public_question(question))


@router.get("/screening/questions/{question_id}", response={200: QuestionDetailOut, **ERRORS})
def question_detail(request: HttpRequest, question_id: int) -> Any:
    question = selectors.get_question(request.user, question_id)
    return {
        "question": selectors.public_question(question),
        "versions": selectors.question_versions(question),
    }


@router.post(
    "/screening/questions/{question_id}/versions", response={201: QuestionOut, 422: ErrorOut, **ERRORS}
)
def question_edit(request: HttpRequest, question_id: int, payload: QuestionEditIn) -> Any:
    """Write the next version. Send `version` = the one you read; editing an older one is a 409."""
    question = selectors.get_question(request.user, question_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    new = services.edit_question(request.user, question, changes=changes, expected_version=version)
    return Status(201, selectors.public_question(new))


@router.post(
    "/screening/questions/{question_id}/status", response={200: QuestionOut, 422: ErrorOut, **ERRORS}
)
def question_status(request: HttpRequest, question_id: int, payload: QuestionStatusIn) -> Any:
    question = selectors.get_question(request.user, question_id)
    return selectors.public_question(
        services.set_question_status(request.user, question, status=payload.status)
    )


# ------------------------------------------------------------------------------------------ assessments


@router.get("/screening/assessments", response={200: list[AssessmentSummaryOut], **ERRORS})
def assessment_list(request: HttpRequest, requisition_id: int | None = None, status: str = "") -> Any:
    return list(selectors.list_assessments(request.user, requisition_id=requisition_id, status=status))


@router.post("/screening/assessments", response={201: AssessmentOut, 422: ErrorOut, **ERRORS})
def assessment_assemble(request: HttpRequest, payload: AssembleIn) -> Any:
    """A draft assembled from the requisition's job profile (competencies, framework weights, seniority)."""
    requisition = get_requisition(request.user, payload.requisition_id)
    assessment = services.assemble_assessment(request.user, requisition, title=payload.title)
    return Status(201, selectors.assessment_view(assessment))


@router.get("/screening/assessments/{assessment_id}", response={200: AssessmentOut, **ERRORS})
def assessment_detail(request: HttpRequest, assessment_id: int) -> Any:
    return selectors.assessment_view(selectors.get_assessment(request.user, assessment_id))


@router.patch(
    "/screening/assessments/{assessment_id}", response={200: AssessmentOut, 422: ErrorOut, **ERRORS}
)
def assessment_update(request: HttpRequest, assessment_id: int, payload: AssessmentPatch) -> Any:
    assessment = selectors.get_assessment(request.user, assessment_id)
    given = payload.model_fields_set
    services.update_assessment(
        request.user,
        assessment,
        title=payload.title,
        time_limit_minutes=payload.time_limit_minutes if "time_limit_minutes" in given else "",
        pass_threshold=payload.pass_threshold,
        weights=payload.weights,
    )
    return selectors.assessment_view(assessment)


@router.post(
    "/screening/assessments/{assessment_id}/items", response={201: AssessmentOut, 422: ErrorOut, **ERRORS}
)
def assessment_add_item(request: HttpRequest, assessment_id: int, payload: AddItemIn) -> Any:
    assessment = selectors.get_assessment(request.user, assessment_id)
    question = selectors.get_question(request.user, payload.question_id)
    services.add_item(request.user, assessment, question, weight=payload.weight)
    return Status(201, selectors.assessment_view(assessment))


@router.delete(
    "/screening/assessments/{assessment_id}/items/{item_id}", response={200: AssessmentOut, **ERRORS}
)
def assessment_remove_item(request: HttpRequest, assessment_id: int, item_id: int) -> Any:
    assessment = selectors.get_assessment(request.user, assessment_id)
    item = AssessmentItem.objects.filter(pk=item_id, assessment=assessment).first()
    if item is None:
        raise NotFound(f"item {item_id} not found")
    services.remove_item(request.user, item)
    return selectors.assessment_view(assessment)


def _assessment_action(request: HttpRequest, assessment_id: int, action: str) -> Assessment:
    assessment = selectors.get_assessment(request.user, assessment_id)
    if action == "publish":
        return services.publish_assessment(request.user, assessment)
    if action == "versions":
        return services.new_assessment_version(request.user, assessment)
    return services.archive_assessment(request.user, assessment)


@router.post(
    "/screening/assessments/{assessment_id}/publish", response={200: AssessmentOut, 422: ErrorOut, **ERRORS}
)
def assessment_publish(request: HttpRequest, assessment_id: int) -> Any:
    """Freeze a draft so candidates can be invited to it."""
    return selectors.assessment_view(_assessment_action(request, assessment_id, "publish"))


@router.post("/screening/assessments/{assessment_id}/versions", response={201: AssessmentOut, **ERRORS})
def assessment_new_version(request: HttpRequest, assessment_id: int) -> Any:
    """A draft copy with the next version number."""
    return Status(201, selectors.assessment_view(_assessment_action(request, assessment_id, "versions")))


@router.post("/screening/assessments/{assessment_id}/archive", response={200: AssessmentOut, **ERRORS})
def assessment_archive(request: HttpRequest, assessment_id: int) -> Any:
    return selectors.assessment_view(_assessment_action(request, assessment_id, "archive"))


# --------------------------------------------------------------------------------------------- sittings


@router.get("/applications/{application_id}/sittings", response={200: list[SittingSummaryOut], **ERRORS})
def application_sittings(request: HttpRequest, application_id: int) -> Any:
    application = get_application(request.user, application_id)
    return list(selectors.list_sittings(request.user, application_id=application.pk))


@router.post("/applications/{application_id}/sittings", response={201: InviteOut, 422: ErrorOut, **ERRORS})
def application_invite(request: HttpRequest, application_id: int, payload: InviteIn) -> Any:
    """Invite the candidate to a published assessment; the response carries their signed link."""
    application = get_application(request.user, application_id)
    assessment = selectors.get_assessment(request.user, payload.assessment_id)
    sitting, path = services.invite(request.user, application, assessment, valid_days=payload.valid_days)
    return Status(201, {"sitting": sitting, "url": request.build_absolute_uri(path)})


def _sitting_out(sitting: Sitting) -> dict[str, Any]:
    return selectors.sitting_view(selectors.get_sitting_unscoped(sitting.pk))


@router.get("/screening/sittings/{sitting_id}", response={200: SittingOut, **ERRORS})
def sitting_detail(request: HttpRequest, sitting_id: int) -> Any:
    return selectors.sitting_view(selectors.get_sitting(request.user, sitting_id))


@router.post(
    "/screening/sittings/{sitting_id}/submissions/{submission_id}/grade",
    response={200: SittingOut, 422: ErrorOut, **ERRORS},
)
def sitting_grade(request: HttpRequest, sitting_id: int, submission_id: int, payload: GradeIn) -> Any:
    """A rubric grade for a short answer, take-home (or a coding task the sandbox could not run)."""
    sitting = selectors.get_sitting(request.user, sitting_id)
    submission = services.get_submission_for_grading(request.user, sitting, submission_id)
    services.grade_rubric(request.user, submission, level=payload.level, note=payload.note)
    return _sitting_out(sitting)


@router.post("/screening/sittings/{sitting_id}/decision", response={200: SittingOut, 422: ErrorOut, **ERRORS})
def sitting_decision(request: HttpRequest, sitting_id: int, payload: DecisionIn) -> Any:
    """Move the application out of screening (submitted or rejected); against the outcome needs a reason."""
    sitting = selectors.get_sitting(request.user, sitting_id)
    services.decide_sitting(request.user, sitting, to_stage=payload.to_stage, reason=payload.reason)
    return _sitting_out(sitting)


@router.post("/screening/sittings/{sitting_id}/cancel", response={200: SittingOut, **ERRORS})
def sitting_cancel(request: HttpRequest, sitting_id: int) -> Any:
    sitting = selectors.get_sitting(request.user, sitting_id)
    services.cancel_sitting(request.user, sitting)
    return _sitting_out(sitting)


@router.post("/screening/sittings/{sitting_id}/extend", response={200: SittingOut, 422: ErrorOut, **ERRORS})
def sitting_extend(request: HttpRequest, sitting_id: int, payload: ExtendIn) -> Any:
    sitting = selectors.get_sitting(request.user, sitting_id)
    services.extend_sitting(request.user, sitting, days=payload.days)
    return _sitting_out(sitting)


@router.post("/screening/sittings/{sitting_id}/regrade", response={200: SittingOut, **ERRORS})
def sitting_regrade(request: HttpRequest, sitting_id: int) -> Any:
    """Run automatic grading for items not graded yet (after an interruption); graded items stay."""
    sitting = selectors.get_sitting(request.user, sitting_id)
    require_editor(request.user)
    if sitting.status not in (Sitting.Status.SUBMITTED, Sitting.Status.GRADED):
        raise Conflict("the sitting has not been submitted")
    grade_sitting(sitting)
    return _sitting_out(sitting)


# ----------------------------------------------------------------------------------------------- portal


def _portal_out(sitting: Sitting) -> dict[str, Any]:
    return selectors.candidate_view(selectors.get_sitting_unscoped(sitting.pk))


@router.get("/screening/portal/{token}", auth=None, response={200: PortalOut, **PORTAL_ERRORS})
def portal_view(request: HttpRequest, token: str) -> Any:
    """What is assessed and how it is scored, the questions and the answers saved so far. 403 for an
    altered link, 410 for an expired or withdrawn one."""
    sitting = portal.resolve(token)
    portal.check_not_expired(sitting)
    return selectors.candidate_view(sitting)


@router.post("/screening/portal/{token}/start", auth=None, response={200: PortalOut, **PORTAL_ERRORS})
def portal_start(request: HttpRequest, token: str) -> Any:
    sitting = portal.start(portal.resolve(token))
    return _portal_out(sitting)


@router.post(
    "/screening/portal/{token}/answers",
    auth=None,
    response={200: AnswersOut, **{**PORTAL_ERRORS, 422: AnswersErrorOut}},
)
def portal_answers(request: HttpRequest, token: str, payload: AnswersIn) -> Any:
    """Save typed answers (drafts until submission). Valid ones are saved even if others are not: a 422
    then lists the others in `errors` by item id."""
    sitting = portal.resolve(token)
    try:
        saved = portal.save_answers(sitting, dict(payload.answers))
    except portal.AnswersInvalid as exc:
        return Status(
            422,
            {"detail": exc.message, "field": "answers", "errors": {str(k): v for k, v in exc.errors.items()}},
        )
    return {"saved": [s.item_id for s in saved]}


@router.post(
    "/screening/portal/{token}/items/{item_id}/upload",
    auth=None,
    response={201: CandidateSubmissionOut, **PORTAL_ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            },
        }
    },
)
def portal_upload(request: HttpRequest, token: str, item_id: int) -> Any:
    """Upload the file for an ML task (predictions CSV), coding task (solution.py) or take-home, as
    multipart field "file". The declared size is checked before the body is read (413 over the limit);
    a file with problems is kept and returned with `errors` (fix and upload again)."""
    sitting = portal.resolve(token)
    portal.prepare_upload(request)
    name, data = portal.read_upload(request)
    submission = portal.upload(sitting, item_id, name=name, data=data)
    view = selectors.candidate_submission(submission)
    return Status(201, view)


@router.get(
    "/screening/portal/{token}/items/{item_id}/file", auth=None, response={200: None, **PORTAL_ERRORS}
)
def portal_file(request: HttpRequest, token: str, item_id: int) -> Any:
    """The item's public file: training data (zip) or starter code."""
    sitting = portal.resolve(token)
    portal.check_not_expired(sitting)
    item = AssessmentItem.objects.filter(pk=item_id, assessment_id=sitting.assessment_id).first()
    if item is None:
        raise NotFound(f"item {item_id} not found")
    name, data = selectors.public_file(item.question)
    response = HttpResponse(data, content_type="application/zip" if name.endswith(".zip") else "text/plain")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post(
    "/screening/portal/{token}/submit", auth=None, response={200: PortalOut, 409: ErrorOut, **PORTAL_ERRORS}
)
def portal_submit(request: HttpRequest, token: str) -> Any:
    """Final submission: automated items are graded now, written ones by a person later; no scores are
    returned to the candidate."""
    sitting = portal.submit(portal.resolve(token))
    return _portal_out(sitting)
