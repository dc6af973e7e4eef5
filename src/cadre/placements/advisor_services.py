"""The engagement advisor, the database side: advisor inputs from a requisition (its job order, its job
profile's hints and the latest worker classification of its applications), the advice for a user, and
recording an advice as a DecisionRecord about the requisition.

Reads: anyone logged in may get advice; a requisition of a client a hiring manager is not assigned to is
NotFound. The classification risk is read only for roles that may read classifications (recruiters,
admins, compliance officers); for others it stays "unknown" and the page says why. Recording an advice
(a write) is for admins and recruiters. Nothing here writes on a read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cadre.compliance.classification_services import (
    assessments_visible_to,
    can_classify,
    state_of_location,
)
from cadre.compliance.models import ClassificationAssessment
from cadre.core.exceptions import ValidationFailed
from cadre.core.models import DecisionRecord
from cadre.core.services import require_editor, require_user
from cadre.placements import burden
from cadre.placements.advisor import (
    ADVISOR_VERSION,
    FIELD_NAMES,
    LABELS,
    Advice,
    AdvisorInputError,
    AdvisorInputs,
    advise,
    inputs_from_mapping,
)
from cadre.placements.burden import BurdenRates
from cadre.placements.burden_settings import rates_for
from cadre.placements.selectors import require_economics
from cadre.requisitions.models import JobProfile, RateUnit, Requisition

DECISION_KIND = "engagement_advice"
HOURS_PER_YEAR = Decimal(2080)  # 40 hours × 52 weeks: pay rate → salary estimate
URGENT_START_DAYS = 21
RISK_ORDER = {"low": 0, "medium": 1, "high": 2, "very high": 3}
RISK_INPUT = {"low": "low", "medium": "medium", "high": "high", "very high": "high"}
EXECUTIVE_FAMILIES = ("chief-ai-officer",)
# Profile hints (requisitions.profiling) -> advisor levels.
SLA_HINTS = {"production_system": "a production system", "safety_relevant": "safety-relevant"}
HIGH_REGULATORY_HINTS = {
    "health_hipaa": "health data (HIPAA)",
    "financial_model_risk": "financial model risk",
    "employment_decisions": "employment decisions",
    "public_sector": "public sector",
    "children": "children's data",
}
MEDIUM_REGULATORY_HINTS = {"eu_ai_act_gdpr": "EU AI Act / GDPR", "nist_ai_rmf": "NIST AI RMF"}


class AdviceInputsInvalid(ValidationFailed):
    """The advisor inputs are invalid; `errors` lists every problem (the message joins them)."""

    def __init__(self, errors: list[str]) -> None:
        count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} with the inputs"
        super().__init__(f"{count}: " + "; ".join(errors), field="inputs")
        self.errors = list(errors)


@dataclass(frozen=True)
class ClassificationInput:
    """The classification risk the advisor uses for a requisition, and where it came from."""

    risk: str  # low | medium | high | unknown (the advisor's scale)
    level: str | None  # the engine's level ("very high" included), None when there is none
    source: str
    assessment: ClassificationAssessment | None = None
    considered: int = 0

    def as_dict(self) -> dict[str, Any]:
        a = self.assessment
        return {
            "risk": self.risk,
            "level": self.level,
            "source": self.source,
            "assessment_id": a.pk if a is not None else None,
            "application_id": a.application_id if a is not None else None,
            "status": a.status if a is not None else None,
            "vehicle": a.vehicle if a is not None else None,
            "considered": self.considered,
        }


@dataclass(frozen=True)
class Prefill:
    """Advisor inputs taken from a requisition (strings, as a form shows them) and their sources."""

    values: dict[str, str]
    sources: dict[str, str]
    classification: ClassificationInput
    estimated: tuple[str, ...] = ()  # inputs that are estimates (e.g. salary from the pay band)
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "values": dict(self.values),
            "sources": dict(self.sources),
            "classification": self.classification.as_dict(),
            "estimated": list(self.estimated),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class RequisitionAdvice:
    requisition: Requisition
    advice: Advice
    prefill: Prefill
    values: dict[str, str]  # the prefill with the overrides applied: what the form shows
    overridden: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "requisition_id": self.requisition.pk,
            "requisition": str(self.requisition.title),
            "values": dict(self.values),
            "overridden": list(self.overridden),
            "prefill": self.prefill.as_dict(),
            "advice": self.advice.as_dict(),
        }


# ---------------------------------------------------------------------------------------------- reads


def classification_risk_for(user: Any, requisition: Requisition) -> ClassificationInput:
    """The worker-classification risk for the requisition's engagement: the highest risk among the latest
    assessment of each subject (the requisition's own questionnaire and each of its applications); the
    most recent one on a tie. Unknown when there is none or the user may not read classifications."""
    require_user(user)
    if not can_classify(user):
        return ClassificationInput(
            "unknown", None, "Worker classifications are not shown to your role, so the risk is unknown."
        )
    rows = (
        assessments_visible_to(user)
        .filter(Q(requisition=requisition) | Q(application__requisition=requisition))
        .select_related("application__person")
        .order_by("-created_at", "-id")[:500]
    )
    latest: dict[int, ClassificationAssessment] = {}
    for row in rows:
        latest.setdefault(row.application_id or 0, row)
    if not latest:
        return ClassificationInput(
            "unknown",
            None,
            "No worker classification has been run for this requisition or its applications yet.",
        )
    ordered = sorted(latest.values(), key=lambda a: (a.created_at, a.pk), reverse=True)
    top = max(ordered, key=lambda a: RISK_ORDER.get(a.risk_level, -1))
    subject = (
        f"application #{top.application_id} ({top.application.person})"
        if top.application_id and top.application is not None
        else "the requisition's own questionnaire"
    )
    status = "reviewed" if top.status == ClassificationAssessment.Status.REVIEWED else "awaiting review"
    risk = RISK_INPUT.get(top.risk_level, "unknown")
    source = (
        f"Classification #{top.pk} of {subject}, {top.created_at:%b %-d, %Y} ({status}): risk "
        f"{top.risk_level}"
    )
    if len(latest) > 1:
        source += f"; the highest of the latest {len(latest)} assessments"
    return ClassificationInput(risk, top.risk_level, source + ".", top, len(latest))


def _midpoint(low: Decimal | None, high: Decimal | None) -> Decimal | None:
    if low is not None and high is not None:
        return (Decimal(low) + Decimal(high)) / 2
    return Decimal(low) if low is not None else (Decimal(high) if high is not None else None)


def _text(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP).normalize():f}"


def _profile(requisition: Requisition) -> JobProfile | None:
    try:
        return requisition.profile
    except JobProfile.DoesNotExist:
        return None


def burden_year(today: dt.date | None = None) -> int:
    """This year if burden tables are shipped for it, else the latest year that has them."""
    years = burden.available_years()
    year = (today or timezone.localdate()).year
    if year in years:
        return year
    earlier = [y for y in years if y <= year]
    return max(earlier) if earlier else min(years)


def prefill_from_requisition(user: Any, requisition: Requisition, *, today: dt.date | None = None) -> Prefill:
    """The advisor inputs a requisition already gives, each with the reason it was chosen."""
    today = today or timezone.localdate()
    profile = _profile(requisition)
    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    estimated: list[str] = []
    notes: list[str] = []
    criticality_hints = list(profile.criticality or []) if profile else []
    regulatory_hints = list(profile.regulatory_exposure or []) if profile else []
    hint = profile.engagement_hint if profile and profile.engagement_hint else ""

    # Duration: the job order's, else the profile's; none means permanent unless it is a contract.
    duration = requisition.duration_months or (profile.duration_months if profile else None)
    if duration:
        values["duration_months"] = str(duration)
        where = "job order" if requisition.duration_months else "job profile"
        sources["duration_months"] = f"The {where} says {duration} months."
    elif requisition.engagement_type == "contract" and hint in ("", "contract"):
        values["duration_months"] = "12"
        sources["duration_months"] = "A contract with no duration on the job order: 12 months assumed."
        estimated.append("duration_months")
    else:
        values["duration_months"] = "permanent"
        sources["duration_months"] = (
            f"A {requisition.get_engagement_type_display().lower()} with no end date: a permanent need."
        )

    # Executive search.
    family = requisition.role_family.slug if requisition.role_family_id and requisition.role_family else ""
    seniority = profile.seniority if profile and profile.seniority else requisition.seniority
    executive_why = ""
    if seniority == "executive" or requisition.seniority == "executive":
        executive_why = "Executive seniority."
    elif family in EXECUTIVE_FAMILIES:
        executive_why = f"Role family {requisition.role_family.name if requisition.role_family else family}."
    elif hint == "retained_search":
        executive_why = "The job profile suggests a retained search."
    values["executive"] = "yes" if executive_why else "no"
    sources["executive"] = executive_why or f"{requisition.get_seniority_display()} seniority: not executive."

    # Criticality, from the profile's hints.
    sla = [SLA_HINTS[h] for h in criticality_hints if h in SLA_HINTS]
    values["criticality"] = "production_sla" if sla else "standard"
    sources["criticality"] = (
        f"Profile hints: {', '.join(sla)}." if sla else "No production or safety hint in the profile."
    )

    # Regulatory exposure, from the profile's hints and the clearance requirement.
    high = [HIGH_REGULATORY_HINTS[h] for h in regulatory_hints if h in HIGH_REGULATORY_HINTS]
    if requisition.clearance_required and requisition.clearance_required != "none":
        high.append(f"{requisition.get_clearance_required_display()} clearance required")
    medium = [MEDIUM_REGULATORY_HINTS[h] for h in regulatory_hints if h in MEDIUM_REGULATORY_HINTS]
    if high:
        values["regulatory"], sources["regulatory"] = "high", f"Exposure: {', '.join(high)}."
    elif medium:
        values["regulatory"], sources["regulatory"] = "medium", f"Exposure: {', '.join(medium)}."
    else:
        values["regulatory"], sources["regulatory"] = "low", "No regulatory hint in the profile."

    # IP sensitivity: training models on the client's data makes the weights and data the client's IP.
    trains = profile is not None and "model_training" in (profile.review_reasons or [])
    values["ip_sensitivity"] = "medium" if trains else "low"
    sources["ip_sensitivity"] = (
        "The role trains models: weights and training data are the client's IP."
        if trains
        else "No IP hint on the requisition; raise it for core IP work."
    )

    # Urgency: an "urgent" hint, or a start date within three weeks.
    urgent = "urgent" in criticality_hints
    soon = requisition.start_date is not None and (requisition.start_date - today).days <= URGENT_START_DAYS
    if urgent or soon:
        values["urgency"] = "high"
        sources["urgency"] = (
            "The profile says it is urgent."
            if urgent
            else f"Starts {requisition.start_date:%b %-d, %Y}, within {URGENT_START_DAYS} days."  # type: ignore[union-attr]
        )
    else:
        values["urgency"] = "normal"
        sources["urgency"] = "No urgency hint or near start date."

    # What the requisition asks for.
    values["preference"] = hint or requisition.engagement_type
    sources["preference"] = (
        "The job profile's engagement hint." if hint else "The job order's engagement type."
    )

    # Rates: band midpoints.
    pay = _midpoint(requisition.pay_min, requisition.pay_max)
    bill = _midpoint(requisition.bill_min, requisition.bill_max)
    currency = requisition.currency or "USD"
    values["currency"] = currency
    if requisition.rate_unit == RateUnit.YEAR:
        if pay is not None:
            values["salary"] = _text(pay)
            sources["salary"] = "Midpoint of the annual pay band."
        notes.append("The bands are annual: enter hourly pay and bill rates to price the contract options.")
    else:
        if pay is not None:
            values["pay"] = _text(pay)
            sources["pay"] = "Midpoint of the hourly pay band."
            values["salary"] = _text(pay * HOURS_PER_YEAR)
            sources["salary"] = "Estimate: the pay-band midpoint × 2,080 hours. Enter the real salary."
            estimated.append("salary")
        if bill is not None:
            values["bill"] = _text(bill)
            sources["bill"] = "Midpoint of the hourly bill band."

    # Work state (US only) and the burden year.
    state = state_of_location(requisition.location) if (requisition.work_country or "US") == "US" else None
    if state:
        values["state"] = state
        sources["state"] = f"From the location {requisition.location!r}."
    else:
        sources["state"] = "No US state in the location: employer burden is left out."
    values["year"] = str(burden_year(today))
    sources["year"] = "Burden tables of this year (or the latest shipped)."

    classification = classification_risk_for(user, requisition)
    values["classification_risk"] = classification.risk
    sources["classification_risk"] = classification.source
    values["vehicle"] = "w2"
    sources["vehicle"] = "Contractors through the agency on W-2 unless you choose otherwise."
    return Prefill(values, sources, classification, tuple(estimated), tuple(notes))


def _rates(inputs: AdvisorInputs) -> BurdenRates | None:
    if inputs.state is None:
        return None
    year = inputs.year if inputs.year is not None else burden_year()
    return rates_for(year, inputs.state)


def run_advice(inputs: AdvisorInputs) -> Advice:
    """advise() with the firm's burden settings for the inputs' state and year."""
    try:
        return advise(inputs, rates=_rates(inputs))
    except AdvisorInputError as exc:
        raise AdviceInputsInvalid(exc.errors) from exc
    except ValueError as exc:  # the economics or fee modules refusing a figure
        raise AdviceInputsInvalid([str(exc)]) from exc


def parse_inputs(data: Mapping[str, Any]) -> AdvisorInputs:
    try:
        return inputs_from_mapping(data)
    except AdvisorInputError as exc:
        raise AdviceInputsInvalid(exc.errors) from exc


def advise_inputs(user: Any, data: Mapping[str, Any]) -> Advice:
    """Advice from raw inputs (any logged-in user). AdviceInputsInvalid lists every problem."""
    require_user(user)
    inputs = parse_inputs(data)
    if inputs.year is None:
        inputs = parse_inputs({**data, "year": burden_year()})
    return run_advice(inputs)


def _clean_overrides(overrides: Mapping[str, Any] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (overrides or {}).items():
        if key not in FIELD_NAMES or value is None:
            continue
        out[key] = (
            value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
        )
    return out


def advise_requisition(
    user: Any, requisition: Requisition, overrides: Mapping[str, Any] | None = None
) -> RequisitionAdvice:
    """The advice for a requisition the user can see (the caller fetched it through
    requisitions.selectors.get_requisition, which scopes hiring managers). `overrides` (input name ->
    value, e.g. query parameters) replace the prefilled values; a blank override clears the value.
    The advice costs the requisition at pay rates, burden and margins: agency staff only."""
    require_user(user)
    require_economics(user)
    prefill = prefill_from_requisition(user, requisition)
    changes = _clean_overrides(overrides)
    values = {**prefill.values, **changes}
    overridden = tuple(k for k, v in changes.items() if prefill.values.get(k, "") != v)
    inputs = parse_inputs({k: v for k, v in values.items() if v != ""})
    return RequisitionAdvice(requisition, run_advice(inputs), prefill, values, overridden)


# ---------------------------------------------------------------------------------------------- writes


def _explanation(result: RequisitionAdvice) -> dict[str, Any]:
    advice = result.advice
    return {
        "requisition_id": result.requisition.pk,
        "recommended": advice.recommended,
        "recommended_label": LABELS[advice.recommended],
        "summary": advice.summary,
        "horizon_months": advice.horizon_months,
        "ranking": [
            {
                "model": o.model,
                "score": o.score,
                "cost": str(o.cost.total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
                if o.cost
                else None,
                "reasons": [r.as_dict() for r in o.reasons],
            }
            for o in advice.options
        ],
        "vehicle": advice.vehicle.as_dict(),
        "warnings": list(advice.warnings),
        "what_would_change": [c.as_dict() for c in advice.changes],
        "inputs": advice.inputs.as_dict(),
        "sources": {k: v for k, v in result.prefill.sources.items() if k not in result.overridden},
        "overridden": list(result.overridden),
        "classification_assessment_id": (
            result.prefill.classification.assessment.pk if result.prefill.classification.assessment else None
        ),
    }


def record_advice(
    actor: Any, requisition: Requisition, overrides: Mapping[str, Any] | None = None
) -> tuple[DecisionRecord, bool]:
    """Keep the advice (as shown for these overrides) as a DecisionRecord about the requisition, so what
    was advised to the client stays reproducible: version, inputs digest, ranking and reasons. Admins and
    recruiters. Returns (record, created): recording the same advice twice in a row keeps one record."""
    user = require_editor(actor)
    result = advise_requisition(user, requisition, overrides)
    advice = result.advice
    with transaction.atomic():
        last = latest_recorded_advice(user, requisition)
        if last is not None and last.inputs_digest == advice.inputs_digest and last.version == advice.version:
            return last, False
        record = DecisionRecord.objects.create(
            kind=DECISION_KIND,
            version=ADVISOR_VERSION,
            subject_type=requisition._meta.label_lower,
            subject_id=str(requisition.pk),
            person_id=None,
            inputs_digest=advice.inputs_digest,
            score=None,
            explanation=_explanation(result),
            actor=user,
        )
    return record, True


def latest_recorded_advice(user: Any, requisition: Requisition) -> DecisionRecord | None:
    require_user(user)
    return (
        DecisionRecord.objects.filter(
            kind=DECISION_KIND, subject_type=requisition._meta.label_lower, subject_id=str(requisition.pk)
        )
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
