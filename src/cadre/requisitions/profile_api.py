"""Job-profile schemas and endpoints: drafting from text, templates, review, sourcing query.

Mounted by requisitions.api (under /api/requisitions) and api.routes (/api/profile-templates).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from cadre.api.schemas import ERRORS, StrictIn
from cadre.clients.models import Contact
from cadre.core.exceptions import ValidationFailed
from cadre.core.models import User
from cadre.requisitions import selectors, services
from cadre.requisitions.models import JobProfile, Requisition
from cadre.requisitions.profiling import MAX_CHARS, ProfileDraft
from cadre.taxonomy.models import Platform, RoleFamily, Skill

templates_router = Router(tags=["requisitions"])

EngagementHintIn = Literal["contract", "contract_to_hire", "direct_hire", "retained_search"]
SeniorityIn = Literal["intern", "junior", "mid", "senior", "staff", "principal", "director", "executive"]


class DraftIn(StrictIn):
    text: str = Field(..., max_length=MAX_CHARS, description="Requirement text, e.g. a hiring manager's note")


class EvidenceOut(Schema):
    quote: str
    start: int
    end: int
    rule: str


class DraftOut(Schema):
    title: str
    role_family: str | None
    soc_code: str
    onet_code: str
    seniority: str
    must_skills: list[str]
    nice_skills: list[str]
    platform: str | None
    duration_months: int | None
    engagement_hint: str | None
    criticality: list[str]
    regulatory_exposure: list[str]
    competencies: list[str]
    review_required: bool
    review_reasons: list[str]
    evidence: dict[str, list[EvidenceOut]]
    source_text: str
    ontology_version: str
    parser_version: str


class TemplateOut(Schema):
    slug: str
    name: str
    summary: str
    expected_role_family: str
    text: str


class ProfileIn(StrictIn):
    """A profile to save with a requisition. Give `text` to draft it; any field given overrides the draft."""

    text: str | None = Field(None, max_length=MAX_CHARS)
    role_family: str | None = None
    seniority: SeniorityIn | None = None
    platform: str | None = Field(None, description="Platform slug, e.g. 'aws-bedrock'")
    duration_months: int | None = Field(None, ge=1, le=120)
    engagement_hint: EngagementHintIn | None = None
    criticality: list[str] | None = None
    regulatory_exposure: list[str] | None = None
    competencies: list[str] | None = None
    technical_lead_user: str | None = Field(None, description="Username of an internal technical lead")
    technical_lead_contact_id: int | None = Field(None, description="Or a contact of the client")


class ReviewOut(Schema):
    revision: int
    decision: str
    comment: str
    reviewer: str
    recorded_by: str | None
    at: dt.datetime


class ProfileOut(Schema):
    revision: int
    role_family: str | None
    soc_code: str
    onet_code: str
    seniority: str
    platform: str | None
    duration_months: int | None
    engagement_hint: str
    criticality: list[str]
    regulatory_exposure: list[str]
    competencies: list[str]
    review_required: bool
    review_reasons: list[str]
    review_status: str
    technical_lead: str | None
    ready_for_sourcing: bool
    reviews: list[ReviewOut]
    evidence: dict[str, Any]
    source_text: str
    ontology_version: str
    parser_version: str


def profile_out(requisition: Requisition) -> dict[str, Any] | None:
    profile = selectors.profile_of(requisition)
    if profile is None:
        return None
    lead = profile.technical_lead
    return {
        **{f: getattr(profile, f) for f in services.PROFILE_FIELDS if f not in {"role_family", "platform"}},
        "revision": profile.revision,
        "role_family": profile.role_family.slug if profile.role_family else None,
        "platform": profile.platform.slug if profile.platform else None,
        "review_required": profile.review_required,
        "review_reasons": profile.review_reasons,
        "review_status": selectors.review_status(profile),
        "technical_lead": getattr(lead, "username", None) or getattr(lead, "name", None),
        "ready_for_sourcing": selectors.ready_for_sourcing(requisition),
        "reviews": [
            {
                "revision": r.revision,
                "decision": r.decision,
                "comment": r.comment,
                "reviewer": r.reviewer_name,
                "recorded_by": r.recorded_by.username if r.recorded_by else None,
                "at": r.at,
            }
            for r in profile.reviews.all()
        ],
    }


def _by_slug(model: Any, slug: str | None, field: str) -> Any:
    if not slug:
        return None
    row = model.objects.filter(slug=slug).first()
    if row is None:
        raise ValidationFailed(f"unknown {field.replace('_', ' ')} {slug!r}", field=f"profile.{field}")
    return row


def profile_arguments(
    requisition: Requisition, data: dict[str, Any], skills_given: bool
) -> tuple[dict[str, Any], list[tuple[Skill, str]] | None]:
    """ProfileIn -> save_profile keyword arguments (and the drafted skills when none were given)."""
    text = data.pop("text", None)
    draft = selectors.draft_profile_from_text(text) if text else None
    fields: dict[str, Any] = {}
    skills = None
    if draft is not None:
        fields.update(draft_fields(draft))
        if not skills_given:
            skills = draft_skills(draft)
    for key in ("seniority", "duration_months", "engagement_hint", "criticality", "regulatory_exposure"):
        if data.get(key) is not None:
            fields[key] = data[key]
    if data.get("competencies") is not None:
        fields["competencies"] = data["competencies"]
    if data.get("role_family"):
        fields["role_family"] = _by_slug(RoleFamily, data["role_family"], "role_family")
        fields.pop("soc_code", None)
        fields.pop("onet_code", None)
    if data.get("platform"):
        fields["platform"] = _by_slug(Platform, data["platform"], "platform")
    if username := data.get("technical_lead_user"):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise ValidationFailed(f"no user {username!r}", field="profile.technical_lead_user")
        fields["technical_lead_user"] = user
    if contact_id := data.get("technical_lead_contact_id"):
        contact = Contact.objects.filter(pk=contact_id, client_id=requisition.client_id).first()
        if contact is None:
            raise ValidationFailed(
                "no such contact at this client", field="profile.technical_lead_contact_id"
            )
        fields["technical_lead_contact"] = contact
    return fields, skills


def draft_fields(draft: ProfileDraft) -> dict[str, Any]:
    """The model fields of a draft (role family and platform as rows)."""
    d = draft.as_dict()
    fields = {k: d[k] for k in services.PROFILE_FIELDS if k not in {"role_family", "platform"}}
    fields["engagement_hint"] = fields["engagement_hint"] or ""
    fields["role_family"] = (
        RoleFamily.objects.filter(slug=draft.role_family).first() if draft.role_family else None
    )
    fields["platform"] = Platform.objects.filter(slug=draft.platform).first() if draft.platform else None
    return fields


def draft_skills(draft: ProfileDraft) -> list[tuple[Skill, str]]:
    found = {s.slug: s for s in Skill.objects.filter(slug__in=draft.must_skills + draft.nice_skills)}
    wanted = [(found[s], "must") for s in draft.must_skills if s in found]
    return wanted + [
        (found[s], "nice") for s in draft.nice_skills if s in found and s not in draft.must_skills
    ]


@templates_router.get("", response=list[TemplateOut])
def list_profile_templates(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.profile_templates()


# --- endpoints under /api/requisitions (registered by requisitions.api) -----------------------------


class ReviewRequestIn(StrictIn):
    technical_lead_user: str | None = None
    technical_lead_contact_id: int | None = None


class ReviewIn(StrictIn):
    decision: Literal["approved", "changes_requested"]
    comment: str = Field("", max_length=5000)


class SourcingQueryOut(Schema):
    role_family: str | None
    seniority: str
    must_skills: list[str]
    nice_skills: list[str]
    platform: str | None
    platform_skills: list[str]
    summary: str
    boolean: str


class CompetencyOut(Schema):
    slug: str
    name: str
    description: str
    seniority_anchor: str


def register(router: Router, load: Any, out_schema: Any) -> None:
    """Add the profile endpoints to the requisitions router (`load` fetches a visible requisition)."""

    @router.post("/profile", response={200: DraftOut, **ERRORS})
    def draft(request: HttpRequest, payload: DraftIn) -> dict[str, Any]:
        return selectors.draft_profile_from_text(payload.text).as_dict()

    @router.post("/{requisition_id}/profile/review-request", response={200: out_schema, **ERRORS})
    def request_review(request: HttpRequest, requisition_id: int, payload: ReviewRequestIn) -> Requisition:
        requisition = load(request, requisition_id)
        fields, _ = profile_arguments(requisition, payload.model_dump(), skills_given=True)
        services.request_profile_review(
            request.user,
            requisition,
            technical_lead_user=fields.get("technical_lead_user"),
            technical_lead_contact=fields.get("technical_lead_contact"),
        )
        return load(request, requisition_id)

    @router.post("/{requisition_id}/profile/reviews", response={200: out_schema, **ERRORS})
    def review(request: HttpRequest, requisition_id: int, payload: ReviewIn) -> Requisition:
        requisition = load(request, requisition_id)
        services.review_profile(request.user, requisition, decision=payload.decision, comment=payload.comment)
        return load(request, requisition_id)

    @router.post("/{requisition_id}/profile/start-sourcing", response={200: out_schema, **ERRORS})
    def start_sourcing(request: HttpRequest, requisition_id: int) -> Requisition:
        services.start_sourcing(request.user, load(request, requisition_id))
        return load(request, requisition_id)

    @router.get("/{requisition_id}/sourcing-query", response={200: SourcingQueryOut, **ERRORS})
    def sourcing_query(request: HttpRequest, requisition_id: int) -> dict[str, Any]:
        return selectors.sourcing_query(load(request, requisition_id))

    @router.get("/{requisition_id}/competencies", response={200: list[CompetencyOut], **ERRORS})
    def competencies(request: HttpRequest, requisition_id: int) -> list[dict[str, str]]:
        return selectors.screening_competencies(load(request, requisition_id))


__all__ = ["JobProfile", "ProfileIn", "ProfileOut", "profile_arguments", "profile_out", "register"]
