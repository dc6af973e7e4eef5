"""Worker classification, the database side: run the engine (compliance.classification) for an actor, keep
the result as a ClassificationAssessment with a DecisionRecord when it is about an application or a
requisition, and read saved assessments back with the caller's client scoping.

Who may classify: recruiters, admins and compliance officers. Hiring managers may not (Forbidden); an
application or requisition of a client they are not assigned to is NotFound before that, so nothing leaks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cadre.compliance.classification import US_STATES, ClassificationInputError, classify
from cadre.compliance.models import ClassificationAssessment
from cadre.core import audit, roles
from cadre.core.exceptions import Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog, DecisionRecord, User
from cadre.core.selectors import is_client_scoped
from cadre.core.services import require_user
from cadre.pipeline.models import Application
from cadre.requisitions.models import Requisition

DECISION_KIND = "worker_classification"
CLASSIFIER_ROLES = frozenset({roles.Role.ADMIN, roles.Role.RECRUITER, roles.Role.COMPLIANCE_OFFICER})
DEFAULT_HOURS_PER_WEEK = 40
# "San Jose, CA" or "Austin, tx" -> the state code after the last comma.
_STATE_SUFFIX = re.compile(r",\s*([A-Za-z]{2})\s*$")


class AnswersInvalid(ValidationFailed):
    """The answers cannot be classified; `errors` lists every problem (the message joins them)."""

    def __init__(self, errors: list[str]) -> None:
        count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} with the answers"
        super().__init__(f"{count}: " + "; ".join(errors), field="answers")
        self.errors = list(errors)


def can_classify(user: Any) -> bool:
    return getattr(user, "role", "") in CLASSIFIER_ROLES


def require_classifier(actor: Any) -> User:
    user = require_user(actor)
    if not can_classify(user):
        raise Forbidden(f"a {user.role_label.lower()} may not run or read worker classifications")
    return user


# ---------------------------------------------------------------------------------------------- prefill


def state_of_location(location: str) -> str | None:
    """The US state code a location like "San Jose, CA" ends with, or None."""
    match = _STATE_SUFFIX.search(location or "")
    if match is None:
        return None
    code = match.group(1).upper()
    return code if code in US_STATES else None


def prefill_from_requisition(requisition: Requisition) -> dict[str, Any]:
    """The answers a requisition already gives: duration, the work state (a US location ending in ", XX"),
    a 40-hour week and the agency as the contracting party. Everything else is for the recruiter."""
    answers: dict[str, Any] = {}
    if (requisition.work_country or "US").upper() == "US":
        state = state_of_location(requisition.location)
        if state:
            answers["work_state"] = state
    if requisition.duration_months is not None:
        answers["duration_months"] = requisition.duration_months
    answers["hours_per_week"] = DEFAULT_HOURS_PER_WEEK
    answers["contracting_party"] = "agency"
    return answers


# ---------------------------------------------------------------------------------------------- run


def _decision_explanation(result: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "as_of": result["as_of"],
        "work_state": result.get("work_state"),
        "risk": {"level": result["risk"]["level"], "reasons": list(result["risk"]["reasons"])},
        "vehicle": {"recommended": result["vehicle"]["recommended"], "label": result["vehicle"]["label"]},
        "leanings": {
            r["rule_set"]["id"]: {
                "version": r["rule_set"]["version"],
                "leaning": r["leaning"],
                "counts": dict(r["counts"]),
                "leaning_text": r["leaning_text"],
            }
            for r in result["regimes"]
        },
    }


def _audit_view(assessment: ClassificationAssessment) -> dict[str, Any]:
    """The assessment as the audit log keeps it: every column but the full result, which the answers,
    the as-of date and the engine version reproduce (and the DecisionRecord summarises)."""
    data = audit.snapshot(assessment)
    data.pop("result", None)
    data["as_of"] = assessment.result.get("as_of")
    return data


def run_classification(
    actor: Any,
    answers: Any,
    *,
    application: Application | None = None,
    requisition: Requisition | None = None,
    as_of: dt.date | None = None,
    save: bool = True,
) -> tuple[dict[str, Any], ClassificationAssessment | None]:
    """Classify one engagement for `actor`. Returns the engine's result as a dict and, when it is about an
    application or a requisition (and `save`), the stored draft assessment; a DecisionRecord and an audit
    row are written with it. Raises Forbidden for roles that may not classify and AnswersInvalid (a
    ValidationFailed, field "answers") listing every problem with the answers."""
    user = require_classifier(actor)
    if application is not None:
        if requisition is None:
            requisition = application.requisition
        elif requisition.pk != application.requisition_id:
            raise ValidationFailed(
                f"application #{application.pk} is for requisition #{application.requisition_id}, "
                f"not #{requisition.pk}",
                field="requisition",
            )
    as_of = as_of or timezone.localdate()
    try:
        result = classify(answers, as_of=as_of)
    except ClassificationInputError as exc:
        raise AnswersInvalid(exc.errors) from exc
    data = result.as_dict()
    if not save or (application is None and requisition is None):
        return data, None
    subject: Application | Requisition
    if application is not None:
        subject = application
    else:
        assert requisition is not None
        subject = requisition
    with transaction.atomic():
        assessment = ClassificationAssessment.objects.create(
            application=application,
            requisition=requisition,
            answers=data["answers"],
            result=data,
            engine_version=result.engine_version,
            inputs_digest=result.inputs_digest,
            risk_level=result.risk.level,
            vehicle=result.vehicle.recommended,
            status=ClassificationAssessment.Status.DRAFT,
            created_by=user,
        )
        DecisionRecord.objects.create(
            kind=DECISION_KIND,
            version=result.engine_version,
            subject_type=subject._meta.label_lower,
            subject_id=str(subject.pk),
            person_id=application.person_id if application is not None else None,
            inputs_digest=result.inputs_digest,
            score=None,
            explanation={"assessment_id": assessment.pk, **_decision_explanation(data)},
            actor=user,
        )
        audit.record(AuditLog.Action.CREATE, assessment, after=_audit_view(assessment), actor=user)
    return data, assessment


# ---------------------------------------------------------------------------------------------- reads


def assessments_visible_to(user: Any) -> Any:
    """Assessments whose application or requisition the user can see (hiring managers: their clients)."""
    qs = ClassificationAssessment.objects.all()
    if is_client_scoped(user):
        qs = qs.filter(
            Q(requisition__client__hiring_managers=user)
            | Q(application__requisition__client__hiring_managers=user)
        ).distinct()
    return qs


def get_assessment(user: Any, pk: int) -> ClassificationAssessment:
    """One saved assessment: NotFound unless its client is visible to the user, then Forbidden unless the
    user may read classifications."""
    assessment = (
        assessments_visible_to(user)
        .select_related(
            "application__person",
            "application__requisition__client",
            "requisition__client",
            "created_by",
            "reviewed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise NotFound(f"classification assessment {pk} not found")
    require_classifier(user)
    return assessment
