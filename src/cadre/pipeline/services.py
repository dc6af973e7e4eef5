"""Writes on the pipeline: add a person to a requisition, move between stages, add notes.

Every stage move writes an append-only StageEvent, a timeline Activity and an audit row in one
transaction. Higher apps (compliance) may register stage guards, e.g. gates before "placed".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cadre.core import audit, roles
from cadre.core.exceptions import Conflict, Forbidden, ValidationFailed
from cadre.core.models import AuditLog
from cadre.core.services import delete_audited, require_editor, require_user
from cadre.people.models import Person
from cadre.pipeline.models import Activity, Application, StageEvent
from cadre.pipeline.stages import Stage
from cadre.requisitions.models import Requisition
from cadre.requisitions.selectors import ready_for_sourcing

# A guard inspects a proposed move and raises CadreError to block it (with its reason).
StageGuard = Callable[[Application, Stage, Any], None]
_stage_guards: list[StageGuard] = []


def register_stage_guard(guard: StageGuard) -> None:
    if guard not in _stage_guards:
        _stage_guards.append(guard)


@transaction.atomic
def create_application(
    actor: Any,
    *,
    person: Person,
    requisition: Requisition,
    stage: str = Stage.SOURCED,
    source: str = "",
) -> Application:
    user = require_editor(actor)
    stage = _parse_stage(stage)
    if not ready_for_sourcing(requisition):
        raise Conflict("the job profile needs its technical lead's approval before sourcing starts")
    if person.merged_into_id is not None:
        raise ValidationFailed(
            f"person {person.pk} was merged into {person.merged_into_id}", field="person_id"
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                person=person,
                requisition=requisition,
                stage=stage,
                stage_changed_at=now,
                source=source,
                created_by=user,
            )
    except IntegrityError as exc:
        raise Conflict(f"{person} is already in the pipeline of requisition {requisition.pk}") from exc
    StageEvent.objects.create(application=application, from_stage="", to_stage=stage, actor=user, at=now)
    Activity.objects.create(
        person=person,
        application=application,
        kind=Activity.Kind.STAGE_CHANGE,
        actor=user,
        at=now,
        body=f"Added to {requisition.title} ({requisition.client.name}) at {Stage(stage).label}",
    )
    audit.record(AuditLog.Action.CREATE, application, after=audit.snapshot(application), actor=user)
    return application


def delete_application(actor: Any, application: Application) -> None:
    """Only an application added by mistake (no stage history beyond its first event) may go."""
    require_editor(actor)
    if application.events.count() > 1:
        raise Conflict("this application has a stage history; move it to withdrawn or rejected instead")
    delete_audited(application, actor=actor)


def _parse_stage(value: str) -> Stage:
    try:
        return Stage(value)
    except ValueError as exc:
        raise ValidationFailed(
            f"unknown stage {value!r}; expected one of {', '.join(s.value for s in Stage)}",
            field="to_stage",
        ) from exc


def move_application(
    actor: Any,
    application: Application,
    *,
    to_stage: str,
    reason: str = "",
    expected_version: int | None = None,
) -> StageEvent:
    """Move a card to another stage. Hiring managers may only decide on submitted candidates."""
    user = require_user(actor)
    target = _parse_stage(to_stage)
    if target == application.stage:
        raise ValidationFailed(f"already at {target.label}", field="to_stage")
    if not roles.can_move_to_stage(user.role, application.stage, target):
        raise Forbidden(
            f"a {user.role_label.lower()} may not move a candidate from {application.stage} to {target}"
        )
    for guard in _stage_guards:
        guard(application, target, user)
    with transaction.atomic():
        before = audit.snapshot(application)
        from_stage = application.stage
        now = timezone.now()
        lookup: dict[str, Any] = {"pk": application.pk, "stage": from_stage}
        if expected_version is not None:
            lookup["version"] = expected_version
        rows = Application.objects.filter(**lookup).update(
            stage=target, stage_changed_at=now, updated_at=now, version=F("version") + 1
        )
        if rows == 0:
            raise Conflict("this application was moved by someone else; reload the board and try again")
        application.refresh_from_db()
        event = StageEvent.objects.create(
            application=application,
            from_stage=from_stage,
            to_stage=target,
            actor=user,
            at=now,
            reason=reason.strip(),
        )
        body = f"{Stage(from_stage).label} → {target.label} on {application.requisition.title}"
        Activity.objects.create(
            person_id=application.person_id,
            application=application,
            kind=Activity.Kind.STAGE_CHANGE,
            actor=user,
            at=now,
            body=body + (f": {reason.strip()}" if reason.strip() else ""),
        )
        audit.record(
            AuditLog.Action.STAGE_MOVE,
            application,
            before=before,
            after=audit.snapshot(application),
            actor=user,
        )
    return event


def add_note(
    actor: Any,
    person: Person,
    *,
    body: str,
    application: Application | None = None,
    kind: str = Activity.Kind.NOTE,
) -> Activity:
    user = require_user(actor)
    if not roles.can_add_notes(user.role):
        raise Forbidden("you may not add notes")
    body = body.strip()
    if not body:
        raise ValidationFailed("a note cannot be empty", field="body")
    if len(body) > 20_000:
        raise ValidationFailed("a note is limited to 20,000 characters", field="body")
    if kind not in Activity.Kind.values or kind in {
        Activity.Kind.STAGE_CHANGE,
        Activity.Kind.SYSTEM,
    }:
        raise ValidationFailed(f"unknown note kind {kind!r}", field="kind")
    with transaction.atomic():
        activity = Activity.objects.create(
            person=person,
            application=application,
            kind=kind,
            body=body,
            actor=user,
            at=timezone.now(),
        )
        audit.record(AuditLog.Action.CREATE, activity, after=audit.snapshot(activity), actor=user)
    return activity
