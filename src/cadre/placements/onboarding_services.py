"""Onboarding writes: create a placement's checklist (idempotent), complete tasks — tasks tied to a
compliance gate record that gate through compliance.gate_services.record_gate — waive with a reason,
reassign. Every write is audited and runs in a transaction.

The rules (which tasks, owners, due dates, detail checks) live in placements.onboarding (pure).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cadre.compliance import gate_services
from cadre.compliance.models import PlacementGate
from cadre.core import audit, roles
from cadre.core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog, User
from cadre.core.selectors import is_client_scoped
from cadre.core.services import require_user
from cadre.placements import onboarding
from cadre.placements.burden import UnknownState
from cadre.placements.models import OnboardingTask, Placement

MIN_WAIVE_REASON = 10
MAX_NOTE = 2000
MAX_DETAILS_CHARS = 20_000
# Who may create checklists and record tasks: the editors who run placements, and compliance.
ONBOARDING_ROLES = frozenset({*roles.EDITOR_ROLES, roles.Role.COMPLIANCE_OFFICER})


def _today() -> dt.date:
    return timezone.localdate()


def can_manage_onboarding(user: Any) -> bool:
    return getattr(user, "role", "") in ONBOARDING_ROLES


def _require_manager(actor: Any, action: str) -> User:
    user = require_user(actor)
    if not can_manage_onboarding(user):
        raise Forbidden(f"a {user.role_label.lower()} may not {action}")
    return user


def _is_clients_hiring_manager(user: User, placement: Placement) -> bool:
    return (
        user.role == roles.Role.HIRING_MANAGER
        and placement.client.hiring_managers.filter(pk=user.pk).exists()
    )


def can_complete(user: Any, task: OnboardingTask) -> bool:
    """Editors and compliance complete any task; a hiring manager of the placement's client completes the
    client's own tasks that feed no gate (equipment, platform access, first-week plan)."""
    if can_manage_onboarding(user):
        return True
    return (
        task.owner == OnboardingTask.Owner.CLIENT
        and not task.gate_kind
        and _is_clients_hiring_manager(user, task.placement)
    )


# ---------------------------------------------------------------------------------------------- reads


def facts_for(placement: Placement) -> onboarding.ChecklistFacts:
    requisition = placement.application.requisition
    platforms = tuple(p.name for p in placement.client.platforms.all().order_by("provider", "name"))
    return onboarding.ChecklistFacts(
        engagement_type=placement.engagement_type,
        vehicle=placement.vehicle,
        client_name=placement.client.name,
        platforms=platforms,
        clearance_required=requisition.clearance_required or "none",
        background_check_required=bool(requisition.background_check_required),
    )


def tasks_of(placement: Placement) -> QuerySet[OnboardingTask]:
    return placement.onboarding_tasks.select_related("owner_user", "completed_by").order_by(
        "position", "due_on", "id"
    )


def visible_task(user: Any, pk: int) -> OnboardingTask:
    """A task the user may see (hiring managers: their clients' placements only; 404 otherwise)."""
    require_user(user)
    qs = OnboardingTask.objects.select_related("placement__client", "placement__application__requisition")
    if is_client_scoped(user):
        qs = qs.filter(placement__client__hiring_managers=user)
    task = qs.filter(pk=pk).first()
    if task is None:
        raise NotFound(f"onboarding task {pk} not found")
    return task


# ---------------------------------------------------------------------------------------------- writes


def _owner_user(placement: Placement, owner: str) -> User | None:
    return placement.recruiter if owner == onboarding.RECRUITER else None


@transaction.atomic
def create_checklist(placement: Placement, actor: Any) -> list[OnboardingTask]:
    """Create the placement's onboarding tasks from its engagement type, vehicle and requisition, and the
    compliance gate rows they feed. Idempotent: tasks already there (same kind and title) are kept as they
    are (status, details, reassignment); tasks newly needed (e.g. the requisition now requires a background
    check) are added. Returns every task of the placement, in order."""
    user = _require_manager(actor, "create onboarding checklists")
    if placement.pk is None:
        raise ValidationFailed("the placement must be saved before its checklist is created")
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    templates = onboarding.checklist(facts_for(locked))
    existing = {(t.kind, t.title) for t in OnboardingTask.objects.filter(placement=locked)}
    for template in templates:
        if (template.kind, template.title) in existing:
            continue
        task = OnboardingTask(
            placement=locked,
            kind=template.kind,
            title=template.title,
            owner=template.owner,
            owner_user=_owner_user(locked, template.owner),
            due_on=onboarding.due_on(locked.start_date, template.due_offset),
            gate_kind=template.gate_kind,
            note=template.note,
            position=template.position,
        )
        task.save(force_insert=True)
        audit.record(AuditLog.Action.CREATE, task, after=audit.snapshot(task), actor=user)
    gate_services.ensure_gates(locked.application, actor=user)
    return list(tasks_of(locked))


@dataclass
class Completion:
    """What completing a task did: the task (done, or still open when its gate failed) and the gate it
    recorded, if any, with that gate's result."""

    task: OnboardingTask
    gate: PlacementGate | None = None

    @property
    def done(self) -> bool:
        return self.task.status == OnboardingTask.Status.DONE

    @property
    def message(self) -> str:
        if self.gate is None:
            return f"{self.task.title}: done"
        if self.gate.status == PlacementGate.Status.PASSED:
            return f"{self.task.title}: done — {self.gate.get_kind_display()} passed"
        return (
            f"{self.task.title}: still open — {self.gate.get_kind_display()} {self.gate.status}: "
            f"{self.gate.reason}"
        )


def _clean_details(details: Any) -> dict[str, Any]:
    if details is None:
        return {}
    if not isinstance(details, Mapping):
        raise ValidationFailed("task details must be an object", field="details")
    cleaned = {str(k): v for k, v in details.items()}
    if len(json.dumps(cleaned, default=str)) > MAX_DETAILS_CHARS:
        raise ValidationFailed(
            f"task details are limited to {MAX_DETAILS_CHARS:,} characters", field="details"
        )
    return json.loads(json.dumps(cleaned, default=str))  # type: ignore[no-any-return]


def _locked_task(task: OnboardingTask) -> OnboardingTask:
    return (
        OnboardingTask.objects.select_for_update()
        .select_related("placement__client", "placement__application__requisition")
        .get(pk=task.pk)
    )


def complete_task(
    actor: Any, task: OnboardingTask, details: Mapping[str, Any] | None = None, *, note: str = ""
) -> Completion:
    """Mark a task done with what was collected.

    A task feeding a compliance gate records that gate with the details (compliance.gate_services.
    record_gate): when the gate passes the task is done; when it fails the task stays open, its details
    kept, and the gate's reasons are returned (and shown). Other tasks check their own details
    (placements.onboarding.check_details) and refuse with every problem."""
    user = require_user(actor)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed(f"the note is limited to {MAX_NOTE:,} characters", field="note")
    data = _clean_details(details)
    with transaction.atomic():
        locked = _locked_task(task)
        try:
            data = onboarding.check_work_state(locked.kind, data)
        except UnknownState as exc:
            raise ValidationFailed(f"{locked.title}: {exc}", field="details") from exc
        if not can_complete(user, locked):
            raise Forbidden(f"a {user.role_label.lower()} may not complete this onboarding task")
        if locked.status != OnboardingTask.Status.OPEN:
            raise Conflict(f"{locked.title} is already {locked.get_status_display().lower()}")
        before = audit.snapshot(locked)
        gate: PlacementGate | None = None
        if locked.gate_kind:
            gate = gate_services.record_gate(user, locked.placement.application, locked.gate_kind, data)
            passed = gate.status == PlacementGate.Status.PASSED
        else:
            check = onboarding.check_details(
                locked.kind, data, today=_today(), start=locked.placement.start_date
            )
            if not check.ok:
                raise ValidationFailed(f"{locked.title}: " + "; ".join(check.problems), field="details")
            passed = True
        locked.details = data
        if note:
            locked.note = note
        if passed:
            locked.status = OnboardingTask.Status.DONE
            locked.completed_by = user
            locked.completed_at = timezone.now()
        locked.save()
        audit.record(AuditLog.Action.UPDATE, locked, before=before, after=audit.snapshot(locked), actor=user)
    return Completion(locked, gate)


def waive_task(actor: Any, task: OnboardingTask, reason: str) -> OnboardingTask:
    """Mark a task not needed, with a written reason. A task whose compliance gate is required and not
    cleared cannot be waived here: the gate would still block the start (a compliance officer overrides
    the gate itself, with its own reason)."""
    user = _require_manager(actor, "waive onboarding tasks")
    reason = (reason or "").strip()
    if len(reason) < MIN_WAIVE_REASON:
        raise ValidationFailed(
            f"waiving a task needs a reason of at least {MIN_WAIVE_REASON} characters", field="reason"
        )
    if len(reason) > MAX_NOTE:
        raise ValidationFailed(f"the reason is limited to {MAX_NOTE:,} characters", field="reason")
    with transaction.atomic():
        locked = _locked_task(task)
        if locked.status != OnboardingTask.Status.OPEN:
            raise Conflict(f"{locked.title} is already {locked.get_status_display().lower()}")
        if locked.gate_kind:
            state = next(
                (
                    s
                    for s in gate_services.gate_states(locked.placement.application)
                    if s.kind == locked.gate_kind
                ),
                None,
            )
            if state is not None and state.required and not state.cleared:
                raise Conflict(
                    f"{locked.title} feeds the required gate '{state.label}', which would still block the "
                    "start; record it, or ask a compliance officer to override the gate"
                )
        before = audit.snapshot(locked)
        locked.status = OnboardingTask.Status.WAIVED
        locked.note = reason
        locked.completed_by = user
        locked.completed_at = timezone.now()
        locked.save()
        audit.record(AuditLog.Action.UPDATE, locked, before=before, after=audit.snapshot(locked), actor=user)
    return locked


def reassign_task(
    actor: Any,
    task: OnboardingTask,
    *,
    owner: str | None = None,
    owner_user: User | None = None,
    due_on: dt.date | None = None,
) -> OnboardingTask:
    """Change who owns a task (role, and optionally a named user) and/or its due date."""
    user = _require_manager(actor, "reassign onboarding tasks")
    if owner is not None and owner not in OnboardingTask.Owner.values:
        raise ValidationFailed(
            f"unknown owner {owner!r}; expected one of {', '.join(OnboardingTask.Owner.values)}",
            field="owner",
        )
    if owner_user is not None and not owner_user.is_active:
        raise ValidationFailed("the assignee's account is disabled", field="owner_user")
    with transaction.atomic():
        locked = _locked_task(task)
        if locked.status != OnboardingTask.Status.OPEN:
            raise Conflict(f"{locked.title} is {locked.get_status_display().lower()}; reopen it first")
        before = audit.snapshot(locked)
        if owner is not None:
            locked.owner = owner
            if owner_user is None and owner != onboarding.RECRUITER:
                locked.owner_user = None
        if owner_user is not None:
            locked.owner_user = owner_user
        if due_on is not None:
            locked.due_on = due_on
        if audit.snapshot(locked) == before:
            return locked
        locked.save()
        audit.record(AuditLog.Action.UPDATE, locked, before=before, after=audit.snapshot(locked), actor=user)
    return locked
