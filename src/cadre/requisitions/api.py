"""REST endpoints for requisitions (job orders): /api/requisitions."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from cadre.api.schemas import ERRORS, Amount, NonEmpty, StrictIn, VersionedPatch
from cadre.clients.selectors import get_client
from cadre.core.exceptions import ValidationFailed
from cadre.core.money import CURRENCIES
from cadre.requisitions import profile_api, selectors, services
from cadre.requisitions.models import Requisition
from cadre.requisitions.profile_api import ProfileIn, ProfileOut
from cadre.taxonomy.models import RoleFamily, Skill

router = Router(tags=["requisitions"])

SeniorityIn = Literal["intern", "junior", "mid", "senior", "staff", "principal", "director", "executive"]
EngagementIn = Literal["contract", "contract_to_hire", "direct_hire"]
RemoteIn = Literal["onsite", "hybrid", "remote"]
StatusIn = Literal["draft", "open", "on_hold", "filled", "closed", "cancelled"]
ClearanceIn = Literal["none", "public_trust", "confidential", "secret", "top_secret", "ts_sci"]
CurrencyIn = Literal[CURRENCIES]  # type: ignore[valid-type]


class SkillWantedSchema(Schema):
    skill: str = Field(..., description="Skill slug from the taxonomy, e.g. 'pytorch'")
    importance: Literal["must", "nice"] = "must"


class RequisitionOut(Schema):
    id: int
    client_id: int
    client_name: str = Field(..., alias="client.name")
    title: str
    role_family: str | None = Field(None, description="Role family slug")
    seniority: str
    description: str
    location: str
    remote_policy: str
    engagement_type: str
    duration_months: int | None
    openings: int
    currency: str
    rate_unit: str
    pay_min: Decimal | None
    pay_max: Decimal | None
    bill_min: Decimal | None
    bill_max: Decimal | None
    status: str
    work_country: str
    sponsorship_available: bool
    clearance_required: str
    time_zone: str
    max_tz_difference_hours: int | None
    start_date: dt.date | None
    owner: str | None = None
    skills: list[SkillWantedSchema]
    profile: ProfileOut | None = Field(None, description="The job profile, with its evidence and review")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_profile(obj: Requisition) -> dict | None:
        return profile_api.profile_out(obj)

    @staticmethod
    def resolve_role_family(obj: Requisition) -> str | None:
        return obj.role_family.slug if obj.role_family else None

    @staticmethod
    def resolve_owner(obj: Requisition) -> str | None:
        return obj.owner.username if obj.owner else None

    @staticmethod
    def resolve_skills(obj: Requisition) -> list[dict[str, str]]:
        return [{"skill": r.skill.slug, "importance": r.importance} for r in obj.skill_requirements.all()]


class RequisitionFields(StrictIn):
    description: str | None = None
    location: str | None = Field(None, max_length=120)
    remote_policy: RemoteIn | None = None
    engagement_type: EngagementIn | None = None
    seniority: SeniorityIn | None = None
    role_family: str | None = Field(None, description="Role family slug")
    duration_months: int | None = Field(None, ge=1, le=120)
    openings: int | None = Field(None, ge=1, le=1000)
    currency: CurrencyIn | None = None
    rate_unit: Literal["hour", "year"] | None = None
    pay_min: Amount | None = None
    pay_max: Amount | None = None
    bill_min: Amount | None = None
    bill_max: Amount | None = None
    status: StatusIn | None = None
    work_country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2")
    sponsorship_available: bool | None = None
    clearance_required: ClearanceIn | None = None
    time_zone: str | None = Field(None, max_length=64, description="IANA zone, e.g. America/New_York")
    max_tz_difference_hours: int | None = Field(None, ge=0, le=12)
    start_date: dt.date | None = None
    skills: list[SkillWantedSchema] | None = None
    profile: ProfileIn | None = None


class RequisitionIn(RequisitionFields):
    client_id: int
    title: NonEmpty


class RequisitionPatch(RequisitionFields, VersionedPatch):
    title: NonEmpty | None = None


class RequisitionFilters(Schema):
    q: str = Field("", description="Title or client name contains")
    status: str = ""
    client_id: int | None = None
    role_family: str = Field("", description="Role family slug")
    engagement_type: str = ""


def _resolve_references(data: dict) -> tuple[dict, list[tuple[Skill, str]] | None]:
    """Turn slugs into rows; unknown slugs are a 422 naming the field."""
    if "role_family" in data:
        slug = data.pop("role_family")
        family = RoleFamily.objects.filter(slug=slug).first() if slug else None
        if slug and family is None:
            raise ValidationFailed(f"unknown role family {slug!r}", field="role_family")
        data["role_family"] = family
    skills = None
    if (wanted := data.pop("skills", None)) is not None:
        slugs = [w["skill"] for w in wanted]
        found = {s.slug: s for s in Skill.objects.filter(slug__in=slugs)}
        if unknown := sorted(set(slugs) - set(found)):
            raise ValidationFailed(f"unknown skill(s): {', '.join(unknown)}", field="skills")
        if len(set(slugs)) != len(slugs):
            raise ValidationFailed("a skill is listed twice", field="skills")
        skills = [(found[w["skill"]], w["importance"]) for w in wanted]
    return data, skills


def _load(request: HttpRequest, requisition_id: int) -> Requisition:
    return selectors.get_requisition(request.user, requisition_id)


def _save_profile(
    request: HttpRequest, requisition: Requisition, profile: dict | None, skills_given: bool
) -> None:
    if profile is None:
        return
    fields, skills = profile_api.profile_arguments(requisition, profile, skills_given)
    services.save_profile(request.user, requisition, skills=skills, **fields)


profile_api.register(router, _load, RequisitionOut)


@router.get("", response=list[RequisitionOut])
@paginate(PageNumberPagination)
def list_requisitions(request: HttpRequest, filters: Query[RequisitionFilters]):  # type: ignore[no-untyped-def]
    return (
        selectors.list_requisitions(request.user, **filters.model_dump())
        .select_related(
            "profile__platform",
            "profile__role_family",
            "profile__technical_lead_user",
            "profile__technical_lead_contact",
        )
        .prefetch_related(
            "skill_requirements__skill",
            "profile__reviews__reviewer_user",
            "profile__reviews__reviewer_contact",
            "profile__reviews__recorded_by",
        )
    )


@router.post("", response={201: RequisitionOut, **ERRORS})
def create_requisition(request: HttpRequest, payload: RequisitionIn) -> Status[Requisition]:
    data = {k: v for k, v in payload.model_dump().items() if v is not None}
    data["client"] = get_client(request.user, data.pop("client_id"))
    profile = data.pop("profile", None)
    data, skills = _resolve_references(data)
    with transaction.atomic():
        requisition = services.create_requisition(request.user, skills=skills or (), **data)
        _save_profile(request, requisition, profile, skills_given=skills is not None)
    return Status(201, _load(request, requisition.pk))


@router.get("/{requisition_id}", response={200: RequisitionOut, **ERRORS})
def get_requisition(request: HttpRequest, requisition_id: int) -> Requisition:
    return _load(request, requisition_id)


@router.patch("/{requisition_id}", response={200: RequisitionOut, **ERRORS})
def update_requisition(request: HttpRequest, requisition_id: int, payload: RequisitionPatch) -> Requisition:
    requisition = _load(request, requisition_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    profile = changes.pop("profile", None)
    changes, skills = _resolve_references(changes)
    with transaction.atomic():
        services.update_requisition(
            request.user, requisition, expected_version=version, skills=skills, **changes
        )
        _save_profile(request, requisition, profile, skills_given=skills is not None)
    return _load(request, requisition_id)


@router.delete("/{requisition_id}", response={204: None, **ERRORS})
def delete_requisition(request: HttpRequest, requisition_id: int) -> Status[None]:
    services.delete_requisition(request.user, _load(request, requisition_id))
    return Status(204, None)
