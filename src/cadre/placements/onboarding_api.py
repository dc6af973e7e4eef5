"""Placements REST endpoints: onboarding checklists.

GET  /api/placements/{id}/onboarding                     tasks (with overdue flags) and gate states
POST /api/placements/{id}/onboarding                     create the checklist (idempotent)
POST /api/placements/onboarding-tasks/{id}/complete      {"details": {...}, "note": ""}
POST /api/placements/onboarding-tasks/{id}/waive         {"reason": "..."}
POST /api/placements/onboarding-tasks/{id}/reassign     {"owner": "...", "owner_user_id": 3, "due_on": "..."}
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from cadre.api.schemas import ERRORS, StrictIn
from cadre.compliance import gate_services
from cadre.core.exceptions import ValidationFailed
from cadre.core.models import User
from cadre.placements import onboarding, onboarding_services
from cadre.placements.models import OnboardingTask, Placement
from cadre.placements.timesheet_services import visible_placement

router = Router(tags=["placements"])


class TaskOut(Schema):
    id: int
    kind: str
    title: str
    owner: str
    owner_user: str | None
    due_on: dt.date
    overdue: bool
    gate_kind: str
    status: str
    details: dict[str, Any]
    note: str
    completed_by: str | None
    completed_at: dt.datetime | None


class GateStateOut(Schema):
    kind: str
    label: str
    required: bool
    status: str
    reason: str


class ChecklistOut(Schema):
    placement_id: int
    version: str
    ready_to_start: bool
    tasks: list[TaskOut]
    gates: list[GateStateOut]


class CompletionOut(Schema):
    task: TaskOut
    done: bool
    message: str
    gate: GateStateOut | None


class CompleteIn(StrictIn):
    details: dict[str, Any] = Field(default_factory=dict)
    note: str = Field("", max_length=2000)


class WaiveIn(StrictIn):
    reason: str = Field(..., max_length=2000)


class ReassignIn(StrictIn):
    owner: str | None = None
    owner_user_id: int | None = None
    due_on: dt.date | None = None


def _task_out(task: OnboardingTask) -> dict[str, Any]:
    return {
        "id": task.pk,
        "kind": task.kind,
        "title": task.title,
        "owner": task.owner,
        "owner_user": task.owner_user.username if task.owner_user else None,
        "due_on": task.due_on,
        "overdue": onboarding.is_overdue(task.due_on, task.status, timezone.localdate()),
        "gate_kind": task.gate_kind,
        "status": task.status,
        "details": task.details or {},
        "note": task.note,
        "completed_by": task.completed_by.username if task.completed_by else None,
        "completed_at": task.completed_at,
    }


def _gate_out(state: gate_services.GateState) -> dict[str, Any]:
    return {
        "kind": state.kind,
        "label": state.label,
        "required": state.required,
        "status": state.status,
        "reason": state.reason,
    }


def _checklist(placement: Placement) -> dict[str, Any]:
    states = gate_services.gate_states(placement.application)
    return {
        "placement_id": placement.pk,
        "version": onboarding.ONBOARDING_VERSION,
        "ready_to_start": not gate_services.blocking_gates(states),
        "tasks": [_task_out(t) for t in onboarding_services.tasks_of(placement)],
        "gates": [_gate_out(s) for s in states],
    }


@router.get("placements/{placement_id}/onboarding", response={200: ChecklistOut, **ERRORS})
def get_checklist(request: HttpRequest, placement_id: int) -> dict[str, Any]:
    return _checklist(visible_placement(request.user, placement_id))


@router.post("placements/{placement_id}/onboarding", response={200: ChecklistOut, **ERRORS})
def create_checklist(request: HttpRequest, placement_id: int) -> dict[str, Any]:
    placement = visible_placement(request.user, placement_id)
    onboarding_services.create_checklist(placement, request.user)
    return _checklist(placement)


@router.post("placements/onboarding-tasks/{task_id}/complete", response={200: CompletionOut, **ERRORS})
def complete_task(request: HttpRequest, task_id: int, payload: CompleteIn) -> dict[str, Any]:
    """Complete a task with what was collected. A task feeding a compliance gate records the gate; when
    the gate fails the task stays open and `done` is false, with the gate's reasons."""
    task = onboarding_services.visible_task(request.user, task_id)
    result = onboarding_services.complete_task(request.user, task, payload.details, note=payload.note)
    gate = None
    if result.gate is not None:
        gate = next(
            (s for s in gate_services.gate_states(task.placement.application) if s.kind == result.gate.kind),
            None,
        )
    return {
        "task": _task_out(result.task),
        "done": result.done,
        "message": result.message,
        "gate": _gate_out(gate) if gate else None,
    }


@router.post("placements/onboarding-tasks/{task_id}/waive", response={200: TaskOut, **ERRORS})
def waive_task(request: HttpRequest, task_id: int, payload: WaiveIn) -> dict[str, Any]:
    task = onboarding_services.visible_task(request.user, task_id)
    return _task_out(onboarding_services.waive_task(request.user, task, payload.reason))


@router.post("placements/onboarding-tasks/{task_id}/reassign", response={200: TaskOut, **ERRORS})
def reassign_task(request: HttpRequest, task_id: int, payload: ReassignIn) -> dict[str, Any]:
    task = onboarding_services.visible_task(request.user, task_id)
    owner_user = None
    if payload.owner_user_id is not None:
        owner_user = User.objects.filter(pk=payload.owner_user_id).first()
        if owner_user is None:
            raise ValidationFailed(f"user {payload.owner_user_id} not found", field="owner_user_id")
    return _task_out(
        onboarding_services.reassign_task(
            request.user, task, owner=payload.owner, owner_user=owner_user, due_on=payload.due_on
        )
    )
