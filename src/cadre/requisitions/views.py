"""Requisition pages: the filtered list, the job order with its pipeline board, create and edit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cadre.clients.selectors import clients_visible_to
from cadre.core.exceptions import Conflict, ValidationFailed
from cadre.pipeline.selectors import with_active_counts
from cadre.pipeline.views import board_context
from cadre.requisitions import selectors, services
from cadre.requisitions.forms import RequisitionEditForm, RequisitionForm
from cadre.requisitions.models import EngagementType, Requisition
from cadre.requisitions.profile_views import review_context, save_profile_from_form
from cadre.taxonomy.selectors import role_families
from cadre.web.http import can_edit, editor_required, fetch, paginate


def _client_filter(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


@login_required
def requisition_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    status = request.GET.get("status", "")
    client_id = _client_filter(request.GET.get("client", ""))
    role_family = request.GET.get("role_family", "")
    engagement_type = request.GET.get("engagement_type", "")
    requisitions = selectors.list_requisitions(
        request.user,
        q=q,
        status=status,
        client_id=client_id,
        role_family=role_family,
        engagement_type=engagement_type,
    )
    filters = {
        "q": q,
        "status": status,
        "client_id": client_id,
        "role_family": role_family,
        "engagement_type": engagement_type,
    }
    context = {
        "page_obj": paginate(request, with_active_counts(requisitions)),
        "filters": filters,
        "statuses": Requisition.Status.choices,
        "clients": clients_visible_to(request.user).order_by("name").only("id", "name"),
        "role_families": role_families().only("slug", "name"),
        "engagement_types": EngagementType.choices,
        "can_edit": can_edit(request),
    }
    return render(request, "requisitions/list.html", context)


@login_required
def requisition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = fetch(selectors.get_requisition, request.user, pk)
    requirements = list(requisition.skill_requirements.all())
    context = board_context(
        request,
        requisition,
        must_skills=[r for r in requirements if r.importance == "must"],
        nice_skills=[r for r in requirements if r.importance == "nice"],
        **review_context(request, requisition),
    )
    return render(request, "requisitions/detail.html", context)


def _apply_error(form: RequisitionForm, exc: ValidationFailed | Conflict) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@editor_required
def requisition_create(request: HttpRequest) -> HttpResponse:
    form = RequisitionForm(request.POST or None, user=request.user, initial=_initial_from_query(request))
    if request.method == "POST" and form.is_valid():
        fields, wanted = form.service_arguments()
        try:
            with transaction.atomic():
                requisition = services.create_requisition(request.user, skills=wanted, **fields)
                save_profile_from_form(request, requisition, form)
        except (ValidationFailed, Conflict) as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, f"Requisition “{requisition.title}” created.")
            return redirect("requisition-detail", pk=requisition.pk)
    context = {"form": form, "requisition": None, "templates": selectors.profile_templates()}
    return render(request, "requisitions/form.html", context)


def _initial_from_query(request: HttpRequest) -> dict[str, Any]:
    """Pre-select the client when arriving from a client page (?client=ID)."""
    client_id = _client_filter(request.GET.get("client", ""))
    return {"client": client_id} if client_id else {}


@login_required
def requisition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Look up first so a hiring manager outside the client gets 404, not a hint that it exists.
    requisition = fetch(selectors.get_requisition, request.user, pk)
    if not can_edit(request):
        raise PermissionDenied("only recruiters and admins edit requisitions")
    if request.method == "POST":
        form = RequisitionEditForm(request.POST, user=request.user)
        if form.is_valid():
            fields, wanted = form.service_arguments()
            try:
                with transaction.atomic():
                    services.update_requisition(
                        request.user,
                        requisition,
                        expected_version=form.cleaned_data["version"],
                        skills=wanted,
                        **fields,
                    )
                    save_profile_from_form(request, requisition, form)
            except Conflict as exc:
                form.add_error(None, exc.message)
                return render(
                    request,
                    "requisitions/form.html",
                    {"form": form, "requisition": requisition, "conflict": True},
                    status=409,
                )
            except ValidationFailed as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "Requisition saved.")
                return redirect("requisition-detail", pk=requisition.pk)
    else:
        form = RequisitionEditForm(user=request.user, initial=RequisitionEditForm.initial_for(requisition))
    return render(request, "requisitions/form.html", {"form": form, "requisition": requisition})
