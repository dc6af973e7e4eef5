"""REST endpoints for compliance: worker classification.

GET  /api/compliance/classification/questions   the questionnaire
GET  /api/compliance/classification/rule-sets   the rule sets (version, status, effective dates, citation)
POST /api/compliance/classify                    classify; saved as a draft assessment when an application
                                                 or requisition is given
GET  /api/compliance/classifications/{id}       a saved assessment
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from cadre.api.schemas import ERRORS, StrictIn
from cadre.compliance.classification import questionnaire, rule_set_registry
from cadre.compliance.classification_services import (
    AnswersInvalid,
    get_assessment,
    run_classification,
)
from cadre.compliance.models import ClassificationAssessment
from cadre.core.services import require_user
from cadre.pipeline.selectors import get_application
from cadre.requisitions.selectors import get_requisition

router = Router(tags=["compliance"])


class ClassifyIn(StrictIn):
    answers: dict[str, Any] = Field(
        ..., description="Question id -> answer (see GET /api/compliance/classification/questions)"
    )
    as_of: dt.date | None = Field(None, description="Apply the law as of this date (default: today)")
    application_id: int | None = Field(None, description="Save the result as this application's assessment")
    requisition_id: int | None = Field(
        None, description="Save it for this requisition (default: the application's)"
    )


class ClassifyOut(Schema):
    result: dict[str, Any]
    assessment_id: int | None


class AnswersErrorOut(Schema):
    detail: str
    field: str | None = None
    errors: list[str] = []


class AssessmentOut(Schema):
    id: int
    status: str
    application_id: int | None
    requisition_id: int | None
    person_id: int | None
    engine_version: str
    inputs_digest: str
    risk_level: str
    vehicle: str
    answers: dict[str, Any]
    result: dict[str, Any]
    created_by: str | None
    created_at: dt.datetime
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    review_note: str


def _assessment_out(a: ClassificationAssessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "status": a.status,
        "application_id": a.application_id,
        "requisition_id": a.requisition_id,
        "person_id": a.application.person_id if a.application_id and a.application else None,
        "engine_version": a.engine_version,
        "inputs_digest": a.inputs_digest,
        "risk_level": a.risk_level,
        "vehicle": a.vehicle,
        "answers": a.answers,
        "result": a.result,
        "created_by": a.created_by.username if a.created_by else None,
        "created_at": a.created_at,
        "reviewed_by": a.reviewed_by.username if a.reviewed_by else None,
        "reviewed_at": a.reviewed_at,
        "review_note": a.review_note,
    }


@router.get("/compliance/classification/questions", response={200: list[dict[str, Any]], **ERRORS})
def questions(request: HttpRequest) -> Any:
    """The questionnaire: id, text, type (bool, choice, number, text), section, help, choices, required,
    bounds, and which rule sets or engine parts read each answer."""
    require_user(request.user)
    return questionnaire()


@router.get("/compliance/classification/rule-sets", response={200: list[dict[str, Any]], **ERRORS})
def rule_sets(request: HttpRequest) -> Any:
    """Every rule set with its version, status and note, effective dates, jurisdiction and citation."""
    require_user(request.user)
    return rule_set_registry()


@router.post("/compliance/classify", response={200: ClassifyOut, 422: AnswersErrorOut, **ERRORS})
def classify(request: HttpRequest, payload: ClassifyIn) -> Any:
    """Classify one engagement: per regime each factor's direction with the facts relied on and the
    citation, the overall risk, the recommended vehicle, what would change the answer, re-evaluation
    triggers and exposure estimates. With an application_id or requisition_id the result is stored as a
    draft assessment (for compliance review) and a decision record. Invalid answers: 422 listing every
    problem in `errors`."""
    application = get_application(request.user, payload.application_id) if payload.application_id else None
    requisition = get_requisition(request.user, payload.requisition_id) if payload.requisition_id else None
    try:
        result, assessment = run_classification(
            request.user,
            payload.answers,
            application=application,
            requisition=requisition,
            as_of=payload.as_of,
        )
    except AnswersInvalid as exc:
        return Status(422, {"detail": exc.message, "field": exc.field, "errors": exc.errors})
    return {"result": result, "assessment_id": assessment.pk if assessment is not None else None}


@router.get("/compliance/classifications/{int:pk}", response={200: AssessmentOut, **ERRORS})
def classification(request: HttpRequest, pk: int) -> Any:
    """A saved assessment: the answers, the full result, its status and review."""
    return _assessment_out(get_assessment(request.user, pk))
