"""Job-profile pages: draft the requisition form from text (htmx), save the profile with the form, and the
technical-review panel (request review, approve or request changes, start sourcing)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cadre.clients.models import Contact
from cadre.core.exceptions import CadreError
from cadre.core.models import User
from cadre.core.roles import UNSCOPED_ROLES, can_edit_records
from cadre.requisitions import selectors, services
from cadre.requisitions.forms import RequisitionForm
from cadre.requisitions.models import Requisition
from cadre.requisitions.profile_api import draft_fields
from cadre.requisitions.profiling import ProfileDraft
from cadre.taxonomy.models import Skill
from cadre.web.http import editor_required, fetch, fragment

# Form fields the draft does not touch: kept as the recruiter typed them.
# Fields the drafter does not fill: kept as the user typed them when the form is redrawn.
_KEPT = (
    "client",
    "status",
    "openings",
    "location",
    "remote_policy",
    "currency",
    "rate_unit",
    "description",
    "work_country",
    "sponsorship_available",
    "clearance_required",
    "time_zone",
    "max_tz_difference_hours",
    "start_date",
)


def _initial_from_draft(request: HttpRequest, draft: ProfileDraft) -> dict[str, Any]:
    initial: dict[str, Any] = {k: request.POST.get(k) for k in _KEPT if request.POST.get(k)}
    fields = draft_fields(draft)
    hint = draft.engagement_hint or ""
    initial.update(
        title=request.POST.get("title") or draft.title,
        role_family=fields["role_family"],
        seniority=draft.seniority,
        duration_months=draft.duration_months,
        platform=fields["platform"],
        engagement_hint=hint,
        engagement_type=services.ENGAGEMENT_FOR_HINT.get(hint, hint) or request.POST.get("engagement_type"),
        profile_text=draft.source_text,
    )
    found = {s.slug: s for s in Skill.objects.filter(slug__in=draft.must_skills + draft.nice_skills)}
    initial["must_skills"] = [found[s] for s in draft.must_skills if s in found]
    initial["nice_skills"] = [
        found[s] for s in draft.nice_skills if s in found and s not in draft.must_skills
    ]
    if not initial.get("description"):
        initial["description"] = draft.source_text
    return initial


@editor_required
@require_POST
def profile_draft(request: HttpRequest) -> HttpResponse:
    """htmx: turn the 'describe the role' text (or a chosen template) into the form's initial values."""
    text = request.POST.get("profile_text", "").strip()
    template_slug = request.POST.get("template", "")
    if template_slug and not text:
        text = fetch(selectors.get_profile_template, template_slug)["text"]
    draft = selectors.draft_profile_from_text(text)
    form = RequisitionForm(user=request.user, initial=_initial_from_draft(request, draft))
    context = {"form": form, "draft": draft, "templates": selectors.profile_templates()}
    return fragment(render(request, "requisitions/_form_body.html", context))


def save_profile_from_form(request: HttpRequest, requisition: Requisition, form: RequisitionForm) -> None:
    """Save the profile edited on the form: the draft's evidence and codes, the recruiter's values."""
    extra = form.profile_arguments()
    text = (extra["profile_text"] or "").strip()
    if not text and selectors.profile_of(requisition) is None:
        return  # no description, no profile: a plain job order, as before
    fields = draft_fields(selectors.draft_profile_from_text(text)) if text else {}
    fields.update(
        role_family=form.cleaned_data.get("role_family"),
        seniority=form.cleaned_data["seniority"],
        duration_months=form.cleaned_data.get("duration_months"),
        platform=extra["platform"],
        engagement_hint=extra["engagement_hint"] or form.cleaned_data["engagement_type"],
        source_text=text,
    )
    family = fields["role_family"]
    fields["soc_code"], fields["onet_code"] = (family.soc_code, family.onet_code) if family else ("", "")
    services.save_profile(request.user, requisition, **fields)


def review_context(request: HttpRequest, requisition: Requisition) -> dict[str, Any]:
    """What the detail page shows of the profile: evidence, sourcing query, competencies, review panel."""
    profile = selectors.profile_of(requisition)
    if profile is None:
        return {"profile": None}
    user = request.user
    lead_is_user = profile.technical_lead_user_id is not None
    can_review = (lead_is_user and user.pk == profile.technical_lead_user_id) or (
        getattr(user, "role", "") == "admin" or (not lead_is_user and _editor(user))
    )
    context: dict[str, Any] = {
        "profile": profile,
        "review_status": selectors.review_status(profile),
        "ready_for_sourcing": selectors.ready_for_sourcing(requisition),
        "sourcing_query": selectors.sourcing_query(requisition),
        "competencies": selectors.screening_competencies(requisition),
        "can_review": can_review and profile.technical_lead is not None,
    }
    if profile.review_required and _editor(user):
        context["lead_users"] = (
            User.objects.filter(is_active=True)
            .filter(Q(role__in=UNSCOPED_ROLES) | Q(assigned_clients=requisition.client_id))
            .order_by("username")
            .distinct()
        )
        context["lead_contacts"] = Contact.objects.filter(client_id=requisition.client_id)
    return context


def _editor(user: Any) -> bool:
    return can_edit_records(getattr(user, "role", ""))


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    requisition = fetch(selectors.get_requisition, request.user, pk)
    try:
        action(requisition)
    except CadreError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("requisition-detail", pk=pk)


@login_required
@require_POST
def profile_request_review(request: HttpRequest, pk: int) -> HttpResponse:
    lead = request.POST.get("technical_lead", "")  # "user:ID" or "contact:ID"
    kind, _, raw_id = lead.partition(":")
    user = User.objects.filter(pk=raw_id).first() if kind == "user" and raw_id.isdigit() else None
    contact = Contact.objects.filter(pk=raw_id).first() if kind == "contact" and raw_id.isdigit() else None
    return _act(
        request,
        pk,
        lambda r: services.request_profile_review(
            request.user, r, technical_lead_user=user, technical_lead_contact=contact
        ),
        "Review requested.",
    )


@login_required
@require_POST
def profile_review(request: HttpRequest, pk: int) -> HttpResponse:
    decision = request.POST.get("decision", "")
    comment = request.POST.get("comment", "")
    return _act(
        request,
        pk,
        lambda r: services.review_profile(request.user, r, decision=decision, comment=comment),
        "Review recorded.",
    )


@login_required
@require_POST
def profile_start_sourcing(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda r: services.start_sourcing(request.user, r), "Sourcing started.")


__all__ = ["profile_draft", "review_context", "save_profile_from_form"]
