"""Writes on requisitions and their job profiles: editors only (a profile's review by its technical
lead), validated, audited, optimistic concurrency on requisition updates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.clients.models import Contact
from cadre.core import audit
from cadre.core.exceptions import Conflict, Forbidden, ValidationFailed
from cadre.core.models import AuditLog
from cadre.core.roles import Role, can_edit_records
from cadre.core.services import (
    create_audited,
    delete_audited,
    full_clean,
    require_editor,
    require_user,
    versioned_update,
)
from cadre.requisitions.models import EngagementType, JobProfile, ProfileReview, Requisition, RequisitionSkill
from cadre.requisitions.profiling import review_reasons_for
from cadre.requisitions.selectors import ready_for_sourcing, requisitions_visible_to
from cadre.taxonomy.models import Skill

SkillWanted = tuple[Skill, str]  # (skill, "must" | "nice")


def _set_skills(requisition: Requisition, skills: Iterable[SkillWanted]) -> list[str]:
    skills = list(skills)
    slugs = [skill.slug for skill, _ in skills]
    if duplicated := sorted({s for s in slugs if slugs.count(s) > 1}):
        raise ValidationFailed(f"skill listed more than once: {', '.join(duplicated)}", field="skills")
    if bad := sorted({imp for _, imp in skills} - set(RequisitionSkill.Importance.values)):
        raise ValidationFailed(f"importance must be 'must' or 'nice', not {', '.join(bad)}", field="skills")
    requisition.skill_requirements.all().delete()
    rows = [RequisitionSkill(requisition=requisition, skill=s, importance=imp) for s, imp in skills]
    RequisitionSkill.objects.bulk_create(rows)
    return [f"{r.skill.slug}:{r.importance}" for r in rows]


@transaction.atomic
def create_requisition(actor: Any, *, skills: Iterable[SkillWanted] = (), **fields: Any) -> Requisition:
    require_editor(actor)
    fields.setdefault("owner", actor if getattr(actor, "pk", None) else None)
    requisition = create_audited(Requisition(**fields), actor=actor)
    if skills:
        wanted = _set_skills(requisition, skills)
        audit.record(AuditLog.Action.UPDATE, requisition, after={"skills": wanted}, actor=actor)
    return requisition


def update_requisition(
    actor: Any,
    requisition: Requisition,
    *,
    expected_version: int | None,
    skills: Iterable[SkillWanted] | None = None,
    **changes: Any,
) -> Requisition:
    """Update fields (and optionally replace the skills wanted). `expected_version` is the version
    the editor loaded; None skips the check (only for system jobs)."""
    require_editor(actor)
    with transaction.atomic():
        requisition = versioned_update(
            requisition, expected_version=expected_version, changes=changes, actor=actor
        )
        if skills is not None:
            before = [
                f"{r.skill.slug}:{r.importance}"
                for r in requisition.skill_requirements.select_related("skill")
            ]
            after = _set_skills(requisition, skills)
            audit.record(
                AuditLog.Action.UPDATE,
                requisition,
                before={"skills": before},
                after={"skills": after},
                actor=actor,
            )
    return requisition


def delete_requisition(actor: Any, requisition: Requisition) -> None:
    require_editor(actor)
    if n := requisition.applications.count():
        raise Conflict(f"requisition has {n} application(s); close or cancel it instead of deleting")
    delete_audited(requisition, actor=actor)


# --- Job profiles and their technical review -------------------------------------------------------

PROFILE_FIELDS = (
    "role_family",
    "soc_code",
    "onet_code",
    "seniority",
    "platform",
    "duration_months",
    "engagement_hint",
    "criticality",
    "regulatory_exposure",
    "competencies",
    "source_text",
    "evidence",
    "ontology_version",
    "parser_version",
)
# How an engagement hint lands on the requisition: a retained search fills a permanent role.
ENGAGEMENT_FOR_HINT = {"retained_search": EngagementType.DIRECT_HIRE}


def _check_technical_lead(requisition: Requisition, user: Any, contact: Contact | None) -> None:
    if user is not None and contact is not None:
        raise ValidationFailed("name one technical lead: a user or a client contact", field="technical_lead")
    if contact is not None and contact.client_id != requisition.client_id:
        raise ValidationFailed("the contact works for another client", field="technical_lead_contact")
    if user is not None and (
        not user.is_active or not requisitions_visible_to(user).filter(pk=requisition.pk).exists()
    ):
        raise ValidationFailed(
            f"{user.username} cannot see this requisition, so cannot review it", field="technical_lead_user"
        )


@transaction.atomic
def save_profile(
    actor: Any,
    requisition: Requisition,
    *,
    skills: Iterable[SkillWanted] | None = None,
    technical_lead_user: Any = None,
    technical_lead_contact: Contact | None = None,
    **fields: Any,
) -> JobProfile:
    """Create or revise the requisition's job profile (audited; each save is a new revision).

    The requisition's role family, seniority, duration, engagement and skills follow the profile so
    lists, filters and matching keep reading one place. Whether a technical lead must review is
    recomputed here from the saved text and skills, so an edit cannot switch the review off.
    """
    require_editor(actor)
    if unknown := set(fields) - set(PROFILE_FIELDS):
        raise ValidationFailed(f"unknown profile field(s): {', '.join(sorted(unknown))}")
    _check_technical_lead(requisition, technical_lead_user, technical_lead_contact)
    if fields.get("role_family") is not None:
        fields.setdefault("soc_code", fields["role_family"].soc_code)
        fields.setdefault("onet_code", fields["role_family"].onet_code)
    profile = JobProfile.objects.select_for_update().filter(requisition=requisition).first()
    creating = profile is None
    if profile is None:
        profile = JobProfile(requisition=requisition)
    before = None if creating else audit.snapshot(profile)
    for name, value in fields.items():
        setattr(profile, name, value)
    if technical_lead_user is not None or technical_lead_contact is not None:
        profile.technical_lead_user, profile.technical_lead_contact = (
            technical_lead_user,
            technical_lead_contact,
        )
    if skills is not None:
        skills = list(skills)
        wanted_slugs = [s.slug for s, _ in skills]
    else:
        wanted_slugs = [r.skill.slug for r in requisition.skill_requirements.select_related("skill")]
    reasons = review_reasons_for(
        profile.source_text, wanted_slugs, profile.role_family.slug if profile.role_family else None
    )
    profile.review_required, profile.review_reasons = bool(reasons), reasons
    if creating:
        create_audited(profile, actor=actor)
    else:
        profile.revision += 1
        full_clean(profile)
        profile.save()
        audit.record(
            AuditLog.Action.UPDATE, profile, before=before, after=audit.snapshot(profile), actor=actor
        )
    mirrored = {
        "role_family": profile.role_family,
        "seniority": profile.seniority,
        "duration_months": profile.duration_months,
    }
    if profile.engagement_hint:
        mirrored["engagement_type"] = ENGAGEMENT_FOR_HINT.get(
            profile.engagement_hint, profile.engagement_hint
        )
    changed = {k: v for k, v in mirrored.items() if getattr(requisition, k) != v}
    if changed or skills is not None:
        update_requisition(actor, requisition, expected_version=None, skills=skills, **changed)
    return profile


def _profile_of(requisition: Requisition) -> JobProfile:
    profile = JobProfile.objects.select_for_update().filter(requisition=requisition).first()
    if profile is None:
        raise ValidationFailed("this requisition has no job profile yet", field="profile")
    return profile


@transaction.atomic
def request_profile_review(
    actor: Any,
    requisition: Requisition,
    *,
    technical_lead_user: Any = None,
    technical_lead_contact: Contact | None = None,
) -> JobProfile:
    """Name the technical lead who reviews the current revision (an internal user or a client contact)."""
    require_editor(actor)
    profile = _profile_of(requisition)
    if technical_lead_user is None and technical_lead_contact is None:
        technical_lead_user, technical_lead_contact = (
            profile.technical_lead_user,
            profile.technical_lead_contact,
        )
    if technical_lead_user is None and technical_lead_contact is None:
        raise ValidationFailed("name a technical lead to review the profile", field="technical_lead")
    _check_technical_lead(requisition, technical_lead_user, technical_lead_contact)
    before = audit.snapshot(profile)
    profile.technical_lead_user, profile.technical_lead_contact = technical_lead_user, technical_lead_contact
    profile.review_requested_at = timezone.now()
    profile.save(update_fields=["technical_lead_user", "technical_lead_contact", "review_requested_at"])
    audit.record(AuditLog.Action.UPDATE, profile, before=before, after=audit.snapshot(profile), actor=actor)
    return profile


@transaction.atomic
def review_profile(
    actor: Any, requisition: Requisition, *, decision: str, comment: str = ""
) -> ProfileReview:
    """Record the technical lead's decision on the current revision, with a comment.

    An internal lead records their own decision (an admin may too); for a client-contact lead a
    recruiter enters it on the contact's behalf, and `recorded_by` says who typed it.
    """
    user = require_user(actor)
    profile = _profile_of(requisition)
    if decision not in ProfileReview.Decision.values:
        raise ValidationFailed(f"decision must be one of {', '.join(ProfileReview.Decision.values)}")
    comment = comment.strip()
    if decision == ProfileReview.Decision.CHANGES_REQUESTED and not comment:
        raise ValidationFailed("say which changes are needed", field="comment")
    if profile.technical_lead_user_id is None and profile.technical_lead_contact_id is None:
        raise Conflict("request a review from a technical lead first")
    if profile.technical_lead_user_id is not None:
        if user.pk != profile.technical_lead_user_id and user.role != Role.ADMIN:
            raise Forbidden("only the named technical lead (or an admin) records this review")
    elif not can_edit_records(user.role):
        raise Forbidden("a recruiter records a client contact's review")
    review = ProfileReview(
        profile=profile,
        revision=profile.revision,
        reviewer_user=profile.technical_lead_user,
        reviewer_contact=profile.technical_lead_contact,
        recorded_by=user,
        decision=decision,
        comment=comment,
    )
    return create_audited(review, actor=user)


@transaction.atomic
def start_sourcing(actor: Any, requisition: Requisition) -> JobProfile:
    """Mark the profile as released to sourcing; refused until a required review approved this revision."""
    require_editor(actor)
    profile = _profile_of(requisition)
    if not ready_for_sourcing(requisition):
        raise Conflict("the job profile needs its technical lead's approval before sourcing starts")
    if profile.sourcing_started_at is None:
        profile.sourcing_started_at = timezone.now()
        profile.save(update_fields=["sourcing_started_at"])
        audit.record(
            AuditLog.Action.UPDATE,
            profile,
            before={"sourcing_started_at": None},
            after={
                "sourcing_started_at": profile.sourcing_started_at.isoformat(),
                "revision": profile.revision,
            },
            actor=actor,
        )
    return profile
