"""REST endpoints for structured interviews (mount with `api.add_router("", router)`).

GET  /api/applications/{id}/interviews            the application's interviews (kit, interviewers, status)
POST /api/applications/{id}/interviews            create one at a stage, with its interviewers
GET  /api/interviews/{id}                         one interview with its kit
POST /api/interviews/{id}/interviewers            assign ({"add": [...]}) and unassign ({"remove": [...]})
GET  /api/interviews/{id}/scorecards              the scorecards you may read: yours, and the others'
                                                  submitted ones once yours is submitted (blind rule)
POST /api/interviews/{id}/scorecards              save your own draft (created the first time)
GET  /api/scorecards/{id}                         one scorecard (403 for someone else's draft, or while blind)
POST /api/scorecards/{id}/submit                  submit (and lock) your own scorecard
POST /api/scorecards/{id}/corrections             an admin's correction of a submitted one, with a reason
GET  /api/applications/{id}/scorecard-decision    the latest decision-rule outcome (null when none)
POST /api/applications/{id}/scorecard-decision    apply the active decision rules; never moves the stage
GET  /api/screening/decision-rules                the active rules (?requisition=) and earlier versions
POST /api/screening/decision-rules                a new version of a requisition's (or the default) rules
GET  /api/screening/calibration                   alpha per competency and rater severity
                                                  (?requisition= or ?client=, &period=month|quarter)

A scorecard that cannot be saved or submitted is a 422 listing every problem in `errors`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from cadre.api.schemas import ERRORS, ErrorOut, StrictIn
from cadre.core.exceptions import Forbidden, NotFound
from cadre.core.models import DecisionRecord
from cadre.core.roles import Role
from cadre.core.services import require_user
from cadre.pipeline.selectors import get_application
from cadre.requisitions.selectors import get_requisition
from cadre.screening import interview_selectors, interview_services
from cadre.screening.interview_selectors import display_name
from cadre.screening.interview_services import ScorecardInvalid
from cadre.screening.models import DecisionRuleSet, Interview, Scorecard

router = Router(tags=["interviews"])


# ------------------------------------------------------------------------------------------ schemas


class InterviewerOut(Schema):
    id: int
    username: str
    name: str
    scorecard_status: str = Field(..., description="pending, draft or submitted")


class InterviewOut(Schema):
    id: int
    application_id: int
    stage: str
    stage_label: str
    framework_version: str
    scheduled_at: dt.datetime | None
    created_at: dt.datetime
    interviewers: list[InterviewerOut]
    competencies: list[str] = Field(..., description="Competency slugs the kit scores, in order")
    kit: dict[str, Any] = Field(..., description="The kit snapshot: questions, strong answers, rubric")


class InterviewIn(StrictIn):
    stage: Literal["technical_screen", "system_design", "final"]
    interviewer_ids: list[int] = Field(default_factory=list)
    scheduled_at: dt.datetime | None = None


class InterviewersIn(StrictIn):
    add: list[int] = Field(default_factory=list)
    remove: list[int] = Field(default_factory=list)


class RatingIn(StrictIn):
    competency: str
    level: int | None = Field(None, description="Rubric level 1-4; null leaves it unrated in a draft")
    evidence: str = Field("", description="What the candidate said or did (required to submit)")


class ScorecardIn(StrictIn):
    ratings: list[RatingIn] | None = Field(
        None, description="The whole set of ratings (replaces the draft's); omit to keep them"
    )
    recommendation: Literal["strong_no", "no", "yes", "strong_yes", ""] | None = None
    summary: str | None = None


class CorrectionIn(StrictIn):
    reason: str = Field(..., description="Why the submitted scorecard is corrected (kept in the audit log)")
    ratings: list[RatingIn] = Field(default_factory=list, description="Only the ratings that change")
    recommendation: Literal["strong_no", "no", "yes", "strong_yes"] | None = None


class RatingOut(Schema):
    competency: str
    level: int
    evidence: str


class ScorecardOut(Schema):
    id: int
    interview_id: int
    interviewer_id: int
    interviewer: str
    status: str
    recommendation: str
    summary: str
    submitted_at: dt.datetime | None
    updated_at: dt.datetime
    ratings: list[RatingOut]
    missing: list[str] = Field(..., description="For your own draft: what stops it from being submitted")


class ScorecardErrorOut(Schema):
    detail: str
    field: str | None = None
    errors: list[str] = []


class DecisionOut(Schema):
    id: int
    kind: str
    version: str
    at: dt.datetime
    application_id: int
    inputs_digest: str
    outcome: str
    decided_by: str | None
    insufficient: bool
    explanation: str
    reasons: list[dict[str, Any]]
    rule_set: dict[str, Any]
    scorecard_ids: list[int]
    actor: str | None
    current: bool = Field(..., description="False when scorecards or rules changed since")
    note: str


class RuleSetIn(StrictIn):
    rules: list[dict[str, Any]] = Field(..., description="A decisions.py rule list")
    requisition_id: int | None = Field(None, description="Omit for the default rules")
    name: str = ""


class RuleSetOut(Schema):
    id: int | None
    name: str
    version: int | None
    scope: str
    requisition_id: int | None
    active: bool
    digest: str | None = None
    rules: list[dict[str, Any]]
    created_at: dt.datetime | None = None


class RulesOut(Schema):
    active: RuleSetOut
    history: list[RuleSetOut]


class CalibrationQuery(Schema):
    requisition: int | None = None
    client: int | None = None
    period: Literal["month", "quarter"] = "month"
    competency: str | None = None


# ------------------------------------------------------------------------------------------ outputs


def _interview_out(interview: Interview) -> dict[str, Any]:
    statuses = dict(interview.scorecards.values_list("interviewer_id", "status"))
    return {
        "id": interview.pk,
        "application_id": interview.application_id,
        "stage": interview.stage,
        "stage_label": interview.get_stage_display(),
        "framework_version": interview.framework_version,
        "scheduled_at": interview.scheduled_at,
        "created_at": interview.created_at,
        "interviewers": [
            {
                "id": u.pk,
                "username": u.username,
                "name": display_name(u),
                "scorecard_status": statuses.get(u.pk, "pending"),
            }
            for u in interview.interviewers.order_by("username")
        ],
        "competencies": interview_services.kit_slugs(interview),
        "kit": interview.kit,
    }


def _scorecard_out(card: Scorecard, viewer: Any) -> dict[str, Any]:
    own_draft = card.interviewer_id == viewer.pk and card.status == Scorecard.Status.DRAFT
    return {
        "id": card.pk,
        "interview_id": card.interview_id,
        "interviewer_id": card.interviewer_id,
        "interviewer": display_name(card.interviewer),
        "status": card.status,
        "recommendation": card.recommendation,
        "summary": card.summary,
        "submitted_at": card.submitted_at,
        "updated_at": card.updated_at,
        "ratings": [
            {"competency": r.competency, "level": r.level, "evidence": r.evidence}
            for r in card.ratings.order_by("competency")
        ],
        "missing": interview_services.completeness_errors(card) if own_draft else [],
    }


def _decision_out(record: DecisionRecord, current: bool) -> dict[str, Any]:
    data = record.explanation or {}
    return {
        "id": record.pk,
        "kind": record.kind,
        "version": record.version,
        "at": record.at,
        "application_id": int(record.subject_id),
        "inputs_digest": record.inputs_digest,
        "outcome": data.get("outcome", ""),
        "decided_by": data.get("decided_by"),
        "insufficient": bool(data.get("insufficient")),
        "explanation": data.get("explanation", ""),
        "reasons": data.get("reasons", []),
        "rule_set": data.get("rule_set", {}),
        "scorecard_ids": data.get("scorecard_ids", []),
        "actor": record.actor.username if record.actor_id and record.actor else None,
        "current": current,
        "note": data.get("note", interview_services.ADVISORY_NOTE),
    }


def _rule_set_out(rule_set: DecisionRuleSet) -> dict[str, Any]:
    return {
        "id": rule_set.pk,
        "name": rule_set.name,
        "version": rule_set.version,
        "scope": "requisition" if rule_set.requisition_id else "default",
        "requisition_id": rule_set.requisition_id,
        "active": rule_set.active,
        "rules": rule_set.rules,
        "created_at": rule_set.created_at,
    }


def _invalid(exc: ScorecardInvalid) -> Status:
    return Status(422, {"detail": exc.message, "field": exc.field, "errors": exc.errors})


def _ratings(items: list[RatingIn] | None) -> list[dict[str, Any]] | None:
    return None if items is None else [item.dict() for item in items]


# ------------------------------------------------------------------------------------------ interviews


@router.get("/applications/{int:pk}/interviews", response={200: list[InterviewOut], **ERRORS})
def application_interviews(request: HttpRequest, pk: int) -> Any:
    """The application's interviews in the order they were created."""
    application = get_application(request.user, pk)
    return [_interview_out(i) for i in interview_selectors.interviews_of(application)]


@router.post("/applications/{int:pk}/interviews", response={201: InterviewOut, 422: ErrorOut, **ERRORS})
def create_interview(request: HttpRequest, pk: int, payload: InterviewIn) -> Any:
    """A structured interview at a stage, with the kit generated from the requisition's competency
    framework (snapshot on the interview with the framework version). Admins and recruiters."""
    application = get_application(request.user, pk)
    interview = interview_services.create_interview(
        request.user,
        application,
        stage=payload.stage,
        interviewers=payload.interviewer_ids,
        scheduled_at=payload.scheduled_at,
    )
    return Status(201, _interview_out(interview))


@router.get("/interviews/{int:pk}", response={200: InterviewOut, **ERRORS})
def interview(request: HttpRequest, pk: int) -> Any:
    return _interview_out(interview_selectors.get_interview(request.user, pk))


@router.post("/interviews/{int:pk}/interviewers", response={200: InterviewOut, **ERRORS})
def interviewers(request: HttpRequest, pk: int, payload: InterviewersIn) -> Any:
    """Assign (`add`) and unassign (`remove`) interviewers by user id. Admins and recruiters."""
    found = interview_selectors.get_interview(request.user, pk)
    updated = interview_services.update_interviewers(
        request.user, found, add=payload.add, remove=payload.remove
    )
    return _interview_out(updated)


# ------------------------------------------------------------------------------------------ scorecards


@router.get("/interviews/{int:pk}/scorecards", response={200: list[ScorecardOut], **ERRORS})
def scorecards(request: HttpRequest, pk: int) -> Any:
    """Your own scorecard first, then the other interviewers' submitted ones, which stay hidden while
    you are an interviewer on the application without a submitted scorecard."""
    found = interview_selectors.get_interview(request.user, pk)
    return [
        _scorecard_out(c, request.user) for c in interview_selectors.visible_scorecards(request.user, found)
    ]


@router.post(
    "/interviews/{int:pk}/scorecards", response={200: ScorecardOut, 422: ScorecardErrorOut, **ERRORS}
)
def save_my_scorecard(request: HttpRequest, pk: int, payload: ScorecardIn) -> Any:
    """Save your own draft (created the first time). `missing` says what submitting still needs."""
    found = interview_selectors.get_interview(request.user, pk)
    try:
        card = interview_services.start_scorecard(request.user, found)
        card = interview_services.save_scorecard(
            request.user,
            card,
            ratings=_ratings(payload.ratings),
            recommendation=payload.recommendation,
            summary=payload.summary,
        )
    except ScorecardInvalid as exc:
        return _invalid(exc)
    return _scorecard_out(card, request.user)


@router.get("/scorecards/{int:pk}", response={200: ScorecardOut, **ERRORS})
def scorecard(request: HttpRequest, pk: int) -> Any:
    return _scorecard_out(interview_selectors.get_scorecard(request.user, pk), request.user)


def _own_scorecard(request: HttpRequest, pk: int) -> Scorecard:
    """A scorecard to write: NotFound outside your clients, Forbidden when it is someone else's."""
    user = require_user(request.user)
    card = (
        Scorecard.objects.select_related("interview__application", "interviewer")
        .filter(pk=pk, interview__in=interview_selectors.interviews_visible_to(user))
        .first()
    )
    if card is None:
        raise NotFound(f"scorecard {pk} not found")
    if card.interviewer_id != user.pk and user.role != Role.ADMIN:
        raise Forbidden("a scorecard is filled only by its own interviewer")
    return card


@router.post("/scorecards/{int:pk}/submit", response={200: ScorecardOut, 422: ScorecardErrorOut, **ERRORS})
def submit(request: HttpRequest, pk: int, payload: ScorecardIn | None = None) -> Any:
    """Submit your own scorecard, optionally with last changes: every kit competency needs a level and
    evidence, and the scorecard a recommendation. Submitted scorecards are locked (422 on a second try)."""
    card = _own_scorecard(request, pk)
    payload = payload or ScorecardIn(ratings=None, recommendation=None, summary=None)
    try:
        card = interview_services.submit_scorecard(
            request.user,
            card,
            ratings=_ratings(payload.ratings),
            recommendation=payload.recommendation,
            summary=payload.summary,
        )
    except ScorecardInvalid as exc:
        return _invalid(exc)
    return _scorecard_out(card, request.user)


@router.post(
    "/scorecards/{int:pk}/corrections", response={200: ScorecardOut, 422: ScorecardErrorOut, **ERRORS}
)
def correct(request: HttpRequest, pk: int, payload: CorrectionIn) -> Any:
    """An admin's correction of a submitted scorecard; the reason and before/after are audited."""
    card = _own_scorecard(request, pk)
    try:
        card = interview_services.correct_scorecard(
            request.user,
            card,
            reason=payload.reason,
            ratings=[r.dict() for r in payload.ratings],
            recommendation=payload.recommendation,
        )
    except ScorecardInvalid as exc:
        return _invalid(exc)
    return _scorecard_out(card, request.user)


# ------------------------------------------------------------------------------------------ decisions


@router.get("/applications/{int:pk}/scorecard-decision", response={200: DecisionOut | None, **ERRORS})
def latest_decision(request: HttpRequest, pk: int) -> Any:
    """The latest recorded outcome of the decision rules (null when none yet, or while you are blind)."""
    application = get_application(request.user, pk)
    if interview_selectors.is_blind(request.user, application):
        raise Forbidden("submit your own scorecard first: the decision stays hidden until you have")
    record = interview_selectors.latest_decision(application)
    if record is None:
        return None
    return _decision_out(record, interview_selectors.decision_is_current(record, application))


@router.post("/applications/{int:pk}/scorecard-decision", response={201: DecisionOut, **ERRORS})
def decide(request: HttpRequest, pk: int) -> Any:
    """Apply the active decision rules to the submitted scorecards and record the outcome (advance,
    reject or hold) as a DecisionRecord. Advice only: the application's stage does not change."""
    application = get_application(request.user, pk)
    record = interview_services.decide_application(request.user, application)
    return Status(201, _decision_out(record, True))


@router.get("/screening/decision-rules", response={200: RulesOut, **ERRORS})
def decision_rules(request: HttpRequest, requisition: int | None = None) -> Any:
    """The rules that apply to a requisition (its own, else the default, else the shipped ones)."""
    require_user(request.user)
    req = get_requisition(request.user, requisition) if requisition else None
    active = interview_services.active_rules(req)
    info = active.as_dict()
    history = DecisionRuleSet.objects.filter(requisition=req).order_by("-created_at", "-id")[:50]
    return {
        "active": {
            "id": info["id"],
            "name": info["name"],
            "version": info["version"],
            "scope": info["scope"],
            "requisition_id": info["requisition_id"],
            "active": True,
            "digest": info["digest"],
            "rules": active.rules,
            "created_at": active.rule_set.created_at if active.rule_set else None,
        },
        "history": [_rule_set_out(r) for r in history],
    }


@router.post("/screening/decision-rules", response={201: RuleSetOut, **ERRORS})
def create_decision_rules(request: HttpRequest, payload: RuleSetIn) -> Any:
    """A new version of a requisition's (or the default) decision rules, validated and made active."""
    req = get_requisition(request.user, payload.requisition_id) if payload.requisition_id else None
    rule_set = interview_services.create_rule_set(
        request.user, rules=payload.rules, requisition=req, name=payload.name
    )
    return Status(201, _rule_set_out(rule_set))


# ------------------------------------------------------------------------------------------ calibration


@router.get("/screening/calibration", response={200: dict[str, Any], **ERRORS})
def calibration(request: HttpRequest, filters: Query[CalibrationQuery]) -> Any:
    """Krippendorff's alpha (ordinal) per competency with its interpretation (reliable >= 0.800,
    tentative >= 0.667, else unreliable), each rater's mean deviation from their co-raters with its
    standard error and flag, and the deviation per period. Hiring managers: their clients only."""
    cal = interview_selectors.calibration(
        request.user,
        requisition_id=filters.requisition,
        client_id=filters.client,
        period=filters.period,
        competency=filters.competency or None,
    )
    return cal.as_dict()
