"""Placements pages: a placement's onboarding checklist.

/placements/<pk>/onboarding/ shows the tasks grouped by owner (recruiter, candidate, client, compliance)
with due dates (overdue ones highlighted), a form per task — tasks that feed a compliance gate ask for
exactly what that gate checks and show its result — waive (with a reason) and reassign forms, and the
placement's gate states. Hiring managers see their clients' placements and complete the client's own
tasks; everything else is for recruiters, admins and compliance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cadre.compliance import gate_services
from cadre.compliance.gate_views import FORM_FIELDS as GATE_FORM_FIELDS
from cadre.compliance.gate_views import details_from_post as gate_details_from_post
from cadre.core.exceptions import CadreError
from cadre.core.models import User
from cadre.placements import onboarding, onboarding_services
from cadre.placements.models import OnboardingTask, Placement
from cadre.placements.timesheet_services import visible_placement
from cadre.web.http import fetch

# Fields of the tasks that feed no gate: (name, label, type, options/help).
TASK_FORM_FIELDS: dict[str, list[tuple[str, str, str, Any]]] = {
    onboarding.W4: [("received_on", "Received on", "date", None)],
    onboarding.W9: [
        ("received_on", "Received on", "date", None),
        (
            "tin_type",
            "TIN type",
            "select",
            [("", "—"), ("ein", "EIN"), ("ssn", "SSN"), ("itin", "ITIN")],
        ),
    ],
    onboarding.MSA: [
        ("msa_signed_on", "Agreement signed on", "date", None),
        ("insurer", "Insurer (certificate of insurance)", "text", None),
        ("coi_expires_on", "Certificate expires on", "date", None),
    ],
    onboarding.EQUIPMENT: [
        (
            "provided_by",
            "Provided by",
            "select",
            [("", "—"), ("agency", "Agency"), ("client", "Client"), ("contractor", "Contractor's own")],
        ),
        ("tracking", "Shipping / asset reference", "text", None),
    ],
    onboarding.PLATFORM_ACCESS: [("account", "Account or role granted", "text", None)],
    onboarding.FIRST_WEEK_PLAN: [("plan_link", "Where the plan lives (link or doc name)", "text", None)],
}


def _gate_fields(gate_kind: str, details: Mapping[str, Any], prefix: str) -> list[dict[str, Any]]:
    fields = []
    for name, label, kind, extra in GATE_FORM_FIELDS.get(gate_kind, []):
        value: Any = details
        for part in name.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if name == "prior_inventions_none":
            value = details.get("prior_inventions") == []
        elif kind == "lines":
            value = "\n".join(
                str(v.get("title", "")) if isinstance(v, Mapping) else str(v) for v in (value or [])
            )
        elif name in {"carve_outs.open_source", "carve_outs.publication"}:
            value = "" if value is None else ("true" if value else "false")
        fields.append(_field(prefix, name, label, kind, extra, value))
    return fields


def _field(prefix: str, name: str, label: str, kind: str, extra: Any, value: Any) -> dict[str, Any]:
    return {
        "name": name,
        "id": f"{prefix}-{name.replace('.', '-')}",
        "label": label,
        "type": kind,
        "value": "" if value is None else value,
        "options": extra if kind == "select" else None,
        "help": extra if isinstance(extra, str) else "",
    }


def _task_fields(task: OnboardingTask) -> list[dict[str, Any]]:
    prefix = f"task-{task.pk}"
    details = task.details or {}
    if task.gate_kind:
        return _gate_fields(task.gate_kind, details, prefix)
    return [
        _field(prefix, name, label, kind, extra, details.get(name))
        for name, label, kind, extra in TASK_FORM_FIELDS.get(task.kind, [])
    ]


def details_from_post(task: OnboardingTask, post: QueryDict) -> dict[str, Any]:
    """The task form as the details JSON: gate tasks the way compliance's gate form builds it; others
    their own fields (blank ones left out)."""
    if task.gate_kind:
        return gate_details_from_post(task.gate_kind, post)
    details: dict[str, Any] = {}
    for name, _label, _kind, _extra in TASK_FORM_FIELDS.get(task.kind, []):
        raw = post.get(name, "").strip()
        if raw:
            details[name] = raw[:2000]
    return details


def _show(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return "; ".join(_show(v) for v in value) if value else "none declared"
    if isinstance(value, Mapping):
        return ", ".join(f"{k.replace('_', ' ')}: {_show(v)}" for k, v in value.items())
    return "—" if value is None else str(value)


def onboarding_context(request: HttpRequest, placement: Placement) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    tasks = list(onboarding_services.tasks_of(placement))
    states = {s.kind: s for s in gate_services.gate_states(placement.application)}
    can_manage = onboarding_services.can_manage_onboarding(user)
    groups: dict[str, list[dict[str, Any]]] = {owner: [] for owner in onboarding.OWNERS}
    counts = {"open": 0, "done": 0, "waived": 0, "overdue": 0}
    for task in tasks:
        overdue = onboarding.is_overdue(task.due_on, task.status, today)
        counts[task.status] = counts.get(task.status, 0) + 1
        counts["overdue"] += overdue
        state = states.get(task.gate_kind) if task.gate_kind else None
        can_complete = task.status == OnboardingTask.Status.OPEN and onboarding_services.can_complete(
            user, task
        )
        groups.setdefault(task.owner, []).append(
            {
                "task": task,
                "overdue": overdue,
                "days_left": (task.due_on - today).days,
                "gate": state,
                "details": [
                    (k.replace("_", " "), _show(v))
                    for k, v in (task.details or {}).items()
                    if k != "evaluation"
                ],
                "fields": _task_fields(task) if can_complete else [],
                "can_complete": can_complete,
                "can_manage": can_manage and task.status == OnboardingTask.Status.OPEN,
            }
        )
    owner_groups = [
        {"owner": owner, "label": onboarding.OWNER_LABELS.get(owner, owner), "rows": rows}
        for owner, rows in groups.items()
        if rows
    ]
    gate_rows = [s for s in states.values() if s.required or s.status in {"passed", "overridden"}]
    total = len(tasks)
    return {
        "placement": placement,
        "groups": owner_groups,
        "counts": counts,
        "total": total,
        "progress": round(100 * (counts["done"] + counts["waived"]) / total) if total else 0,
        "gates": gate_rows,
        "blocking": gate_services.blocking_gates(list(states.values())),
        "can_manage": can_manage,
        "owners": onboarding.OWNER_LABELS.items(),
        "assignees": User.objects.filter(
            is_active=True, role__in=list(onboarding_services.ONBOARDING_ROLES)
        ).order_by("first_name", "username")
        if can_manage
        else [],
        "today": today,
        "version": onboarding.ONBOARDING_VERSION,
    }


def _back(placement_pk: int) -> HttpResponse:
    return redirect("placement-onboarding", pk=placement_pk)


@require_GET
@login_required
def placement_onboarding(request: HttpRequest, pk: int) -> HttpResponse:
    placement = fetch(visible_placement, request.user, pk)
    return render(request, "placements/onboarding.html", onboarding_context(request, placement))


@require_POST
@login_required
def onboarding_create(request: HttpRequest, pk: int) -> HttpResponse:
    placement = fetch(visible_placement, request.user, pk)
    try:
        tasks = onboarding_services.create_checklist(placement, request.user)
    except CadreError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Checklist ready: {len(tasks)} tasks.")
    return _back(placement.pk)


@require_POST
@login_required
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = fetch(onboarding_services.visible_task, request.user, pk)
    try:
        result = onboarding_services.complete_task(
            request.user, task, details_from_post(task, request.POST), note=request.POST.get("note", "")
        )
    except CadreError as exc:
        messages.error(request, exc.message)
    else:
        (messages.success if result.done else messages.warning)(request, result.message)
    return _back(task.placement_id)


@require_POST
@login_required
def task_waive(request: HttpRequest, pk: int) -> HttpResponse:
    task = fetch(onboarding_services.visible_task, request.user, pk)
    try:
        onboarding_services.waive_task(request.user, task, request.POST.get("reason", ""))
    except CadreError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{task.title}: marked not needed.")
    return _back(task.placement_id)


@require_POST
@login_required
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = fetch(onboarding_services.visible_task, request.user, pk)
    owner_user = None
    raw_user = request.POST.get("owner_user", "").strip()
    raw_due = request.POST.get("due_on", "").strip()
    try:
        if raw_user:
            owner_user = User.objects.filter(pk=int(raw_user) if raw_user.isdigit() else 0).first()
            if owner_user is None:
                raise CadreError("unknown assignee")
        due = dt.date.fromisoformat(raw_due) if raw_due else None
        onboarding_services.reassign_task(
            request.user, task, owner=request.POST.get("owner") or None, owner_user=owner_user, due_on=due
        )
    except ValueError:
        messages.error(request, "the due date is not a date (YYYY-MM-DD)")
    except CadreError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{task.title}: reassigned.")
    return _back(task.placement_id)


urlpatterns: list[URLPattern] = [
    path("placements/<int:pk>/onboarding/", placement_onboarding, name="placement-onboarding"),
    path("placements/<int:pk>/onboarding/create/", onboarding_create, name="placement-onboarding-create"),
    path("placements/onboarding/tasks/<int:pk>/complete/", task_complete, name="onboarding-task-complete"),
    path("placements/onboarding/tasks/<int:pk>/waive/", task_waive, name="onboarding-task-waive"),
    path("placements/onboarding/tasks/<int:pk>/reassign/", task_reassign, name="onboarding-task-reassign"),
]
