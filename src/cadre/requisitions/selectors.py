"""Reads of requisitions and job profiles, scoped: hiring managers see only their assigned clients'."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet

from cadre.core.exceptions import NotFound
from cadre.core.selectors import is_client_scoped
from cadre.requisitions.models import JobProfile, ProfileReview, Requisition
from cadre.requisitions.profiling import ProfileDraft, draft_profile
from cadre.taxonomy.ontology import load_ontology

TEMPLATES_PATH = Path(__file__).resolve().parent / "data" / "profile_templates.json"


def requisitions_visible_to(user: Any) -> QuerySet[Requisition]:
    qs = Requisition.objects.all()
    if is_client_scoped(user):
        qs = qs.filter(client__hiring_managers=user)
    return qs


def list_requisitions(
    user: Any,
    *,
    q: str = "",
    status: str = "",
    client_id: int | None = None,
    role_family: str = "",
    engagement_type: str = "",
) -> QuerySet[Requisition]:
    """Requisitions for list pages, with client, role family and owner joined."""
    qs = requisitions_visible_to(user).select_related("client", "role_family", "owner")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(client__name__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if client_id:
        qs = qs.filter(client_id=client_id)
    if role_family:
        qs = qs.filter(role_family__slug=role_family)
    if engagement_type:
        qs = qs.filter(engagement_type=engagement_type)
    return qs.order_by("-created_at", "-id")


def get_requisition(user: Any, pk: int) -> Requisition:
    requisition = (
        requisitions_visible_to(user)
        .select_related(
            "client",
            "role_family",
            "owner",
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
        .filter(pk=pk)
        .first()
    )
    if requisition is None:
        raise NotFound(f"requisition {pk} not found")
    return requisition


# --- Job profiles ---------------------------------------------------------------------------------


def draft_profile_from_text(text: str) -> ProfileDraft:
    """The shipped ontology's draft of a requirement text (no database read)."""
    return draft_profile(text, load_ontology())


@lru_cache(maxsize=1)
def _templates() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(TEMPLATES_PATH.read_text(encoding="utf-8"))["templates"])


def profile_templates() -> list[dict[str, Any]]:
    return [dict(t) for t in _templates()]


def get_profile_template(slug: str) -> dict[str, Any]:
    for template in _templates():
        if template["slug"] == slug:
            return dict(template)
    raise NotFound(f"profile template {slug!r} not found")


def profile_of(requisition: Requisition) -> JobProfile | None:
    try:
        return requisition.profile
    except JobProfile.DoesNotExist:
        return None


def current_review(profile: JobProfile) -> ProfileReview | None:
    """The latest decision on the profile's current revision (reviews of older revisions do not count)."""
    reviews = [r for r in profile.reviews.all() if r.revision == profile.revision]
    return max(reviews, key=lambda r: (r.at, r.pk), default=None)


def ready_for_sourcing(requisition: Requisition) -> bool:
    """True unless the profile needs a technical lead's review and its current revision is not approved."""
    profile = profile_of(requisition)
    if profile is None or not profile.review_required:
        return True
    review = current_review(profile)
    return review is not None and review.decision == ProfileReview.Decision.APPROVED


def review_status(profile: JobProfile) -> str:
    """not_required, not_requested, pending, approved or changes_requested (for the UI and API)."""
    if not profile.review_required:
        return "not_required"
    review = current_review(profile)
    if review is not None:
        return str(review.decision)
    return "pending" if profile.review_requested_at else "not_requested"


def _skill_terms(slug: str) -> str:
    ontology = load_ontology()
    entry = ontology.skills.get(slug)
    if entry is None:
        return f'"{slug}"'
    names = [entry.name, *[a for a in entry.aliases if len(a) > 2][:3]]
    quoted = " OR ".join(f'"{n}"' for n in dict.fromkeys(names))
    return f"({quoted})" if len(names) > 1 else quoted


def sourcing_query(requisition: Requisition) -> dict[str, Any]:
    """What sourcing searches for: skills and platform as data, a one-line summary and a Boolean string
    (names and common aliases) a recruiter can paste into a search engine."""
    profile = profile_of(requisition)
    requirements = list(requisition.skill_requirements.all())
    must = [r.skill for r in requirements if r.importance == "must"]
    nice = [r.skill for r in requirements if r.importance == "nice"]
    platform = profile.platform if profile else None
    family = requisition.role_family
    query = {
        "role_family": family.slug if family else None,
        "seniority": requisition.seniority,
        "must_skills": [s.slug for s in must],
        "nice_skills": [s.slug for s in nice],
        "platform": platform.slug if platform else None,
        "platform_skills": list(load_ontology().platforms[platform.slug].skills)
        if platform and platform.slug in load_ontology().platforms
        else [],
    }
    parts = [f"{requisition.get_seniority_display()} {family.name if family else requisition.title}"]
    if must:
        parts.append("must: " + ", ".join(s.name for s in must))
    if nice:
        parts.append("nice: " + ", ".join(s.name for s in nice))
    if platform:
        parts.append(f"platform: {platform.name}")
    boolean = " AND ".join(_skill_terms(s.slug) for s in must)
    if platform:
        boolean = f'{boolean} AND "{platform.name}"' if boolean else f'"{platform.name}"'
    query["summary"] = " · ".join(parts)
    query["boolean"] = boolean
    return query


def screening_competencies(requisition: Requisition) -> list[dict[str, str]]:
    """The competencies the scorecard screens on, each with the anchor for the profile's seniority."""
    profile = profile_of(requisition)
    if profile is None:
        return []
    ontology = load_ontology()
    family = ontology.role_families.get(profile.role_family.slug) if profile.role_family else None
    anchor = ""
    if family:
        anchor = next((s.description for s in family.seniority_levels if s.level == profile.seniority), "")
    out = []
    for slug in profile.competencies:
        competency = ontology.competencies.get(slug)
        out.append(
            {
                "slug": slug,
                "name": competency.name if competency else slug.replace("-", " ").capitalize(),
                "description": competency.description if competency else "",
                "seniority_anchor": anchor,
            }
        )
    return out
