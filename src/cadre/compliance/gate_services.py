"""Placement gates: create the gates an application needs, record what was checked, override with a
written reason, review classification assessments, and block moves to "placed" until every gate holds.

The rules live in compliance.gates (pure); this module reads and writes PlacementGate rows, audits every
change with before/after, and registers `placement_guard` as a pipeline stage guard (apps.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cadre.compliance import gates
from cadre.compliance.models import ClassificationAssessment, PlacementGate
from cadre.core import audit, roles
from cadre.core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog, User
from cadre.core.selectors import is_client_scoped
from cadre.core.services import require_user
from cadre.pipeline.models import Application
from cadre.pipeline.selectors import applications_visible_to
from cadre.pipeline.stages import Stage
from cadre.requisitions.selectors import requisitions_visible_to

Status = PlacementGate.Status

MIN_OVERRIDE_REASON = 10
MAX_REASON = 2000
MAX_DETAILS_CHARS = 20_000
# Who may record gate details: the editors who run placements, and compliance.
GATE_RECORDER_ROLES = frozenset({*roles.EDITOR_ROLES, roles.Role.COMPLIANCE_OFFICER})
# Statuses that let a placement through.
CLEARED = frozenset({Status.PASSED, Status.OVERRIDDEN, Status.NOT_REQUIRED})


# ---------------------------------------------------------------------------------------------- checks


def can_record_gates(user: Any) -> bool:
    return getattr(user, "role", "") in GATE_RECORDER_ROLES


def can_override_gates(user: Any) -> bool:
    return getattr(user, "role", "") == roles.Role.COMPLIANCE_OFFICER


def _require_recorder(actor: Any) -> User:
    user = require_user(actor)
    if not can_record_gates(user):
        raise Forbidden(f"a {user.role_label.lower()} may not record placement gates")
    return user


def _require_compliance_officer(actor: Any, action: str) -> User:
    user = require_user(actor)
    if not can_override_gates(user):
        raise Forbidden(f"only a compliance officer may {action}")
    return user


def _parse_kind(kind: str) -> str:
    if kind not in gates.KINDS:
        raise ValidationFailed(
            f"unknown gate {kind!r}; expected one of {', '.join(gates.KINDS)}", field="kind"
        )
    return kind


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------- reads


def latest_assessment(application: Application) -> ClassificationAssessment | None:
    return (
        ClassificationAssessment.objects.filter(application=application)
        .select_related("reviewed_by")
        .order_by("-created_at", "-id")
        .first()
    )


def classification_details(application: Application) -> dict[str, Any]:
    """The classification gate's details: the application's latest assessment, as the DB has it now."""
    assessment = latest_assessment(application)
    if assessment is None:
        return {"assessment_id": None}
    return {
        "assessment_id": assessment.pk,
        "status": assessment.status,
        "risk_level": assessment.risk_level,
        "vehicle": assessment.vehicle,
        "engine_version": assessment.engine_version,
        "reviewed_by": assessment.reviewed_by.username if assessment.reviewed_by else None,
        "reviewed_on": assessment.reviewed_at.date().isoformat() if assessment.reviewed_at else None,
    }


def get_assessment(user: Any, pk: int) -> ClassificationAssessment:
    """An assessment the user may see: its application's (or requisition's) client is visible to them."""
    visible = Q(application__in=applications_visible_to(user)) | Q(
        application__isnull=True, requisition__in=requisitions_visible_to(user)
    )
    if not is_client_scoped(user):
        visible = Q()
    assessment = ClassificationAssessment.objects.filter(visible, pk=pk).first()
    if assessment is None:
        raise NotFound(f"classification assessment {pk} not found")
    return assessment


@dataclass
class GateState:
    """One gate as it stands now: the stored row (unsaved if never created) and its status re-checked
    at `as_of` (a passed gate whose clearance has since expired is failed here)."""

    gate: PlacementGate
    required: bool
    status: str
    reason: str
    notes: tuple[str, ...] = ()
    result: gates.GateResult | None = None

    @property
    def kind(self) -> str:
        return self.gate.kind

    @property
    def label(self) -> str:
        return gates.KIND_LABELS[self.gate.kind]

    @property
    def cleared(self) -> bool:
        return self.status in CLEARED

    @property
    def rechecked(self) -> bool:
        """True when the re-check disagrees with what is stored (e.g. expired since recorded)."""
        return self.gate.status in {Status.PASSED, Status.FAILED} and self.status != self.gate.status

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def _state(
    gate: PlacementGate,
    *,
    required: bool,
    facts: gates.RequisitionFacts,
    as_of: dt.date,
    classification: dict[str, Any] | None,
) -> GateState:
    stored = gate.status
    if not required:
        # Kept as recorded (a passed check stays visible) but never blocks.
        kept = stored if stored in {Status.PASSED, Status.OVERRIDDEN} else Status.NOT_REQUIRED
        return GateState(gate, False, kept, gate.reason if kept == Status.OVERRIDDEN else "")
    if stored == Status.OVERRIDDEN:
        return GateState(gate, required, stored, gate.reason)
    if gate.kind == gates.CLASSIFICATION:
        details = classification if classification is not None else gate.details
        result = gates.evaluate(gate.kind, details, facts, as_of=as_of)
    elif stored in {Status.PENDING, Status.NOT_REQUIRED}:
        return GateState(gate, required, Status.PENDING, "not recorded")
    else:
        result = gates.evaluate(gate.kind, gate.details, facts, as_of=as_of)
    return GateState(gate, required, result.status, result.reason, result.notes, result)


def gate_states(application: Application, *, as_of: dt.date | None = None) -> list[GateState]:
    """Every gate of the application re-checked at `as_of` (today by default). Read-only: gates not yet
    created appear as unsaved rows."""
    as_of = as_of or _today()
    facts = gates.facts_of(application.requisition)
    required = set(gates.required_kinds(facts))
    stored = {
        g.kind: g for g in PlacementGate.objects.filter(application=application).select_related("verified_by")
    }
    classification = classification_details(application)
    states = []
    for kind in gates.KINDS:
        gate = stored.get(kind) or PlacementGate(
            application=application,
            kind=kind,
            status=Status.PENDING if kind in required else Status.NOT_REQUIRED,
        )
        states.append(
            _state(gate, required=kind in required, facts=facts, as_of=as_of, classification=classification)
        )
    return states


def blocking_gates(states: list[GateState]) -> list[GateState]:
    return [s for s in states if not s.cleared]


# ---------------------------------------------------------------------------------------------- writes


def _save(gate: PlacementGate, before: dict[str, Any] | None, actor: Any) -> None:
    gate.save()
    audit.record(
        AuditLog.Action.UPDATE if before is not None else AuditLog.Action.CREATE,
        gate,
        before=before,
        after=audit.snapshot(gate),
        actor=actor,
    )


@transaction.atomic
def ensure_gates(application: Application, *, actor: Any = None) -> list[PlacementGate]:
    """Create the application's gate rows: the requisition's required gates pending, the others
    not_required. Existing rows follow requirement changes (a newly required gate becomes pending; a
    pending or failed gate no longer required becomes not_required); recorded results are kept."""
    required = set(gates.required_kinds(gates.facts_of(application.requisition)))
    rows = []
    for kind in gates.KINDS:
        wanted = Status.PENDING if kind in required else Status.NOT_REQUIRED
        gate, created = PlacementGate.objects.select_for_update().get_or_create(
            application=application, kind=kind, defaults={"status": wanted}
        )
        if created:
            audit.record(AuditLog.Action.CREATE, gate, after=audit.snapshot(gate), actor=actor)
        elif kind in required and gate.status == Status.NOT_REQUIRED:
            before = audit.snapshot(gate)
            gate.status, gate.reason = Status.PENDING, ""
            _save(gate, before, actor)
        elif kind not in required and gate.status in {Status.PENDING, Status.FAILED}:
            before = audit.snapshot(gate)
            gate.status, gate.reason = Status.NOT_REQUIRED, ""
            _save(gate, before, actor)
        rows.append(gate)
    return rows


def _locked_gate(application: Application, kind: str, actor: Any) -> PlacementGate:
    ensure_gates(application, actor=actor)
    return PlacementGate.objects.select_for_update().get(application=application, kind=kind)


def record_gate(
    actor: Any,
    application: Application,
    kind: str,
    details: Mapping[str, Any] | None,
    *,
    as_of: dt.date | None = None,
) -> PlacementGate:
    """Record what was checked for one gate and evaluate it: passed, or failed with every reason.

    The classification gate's details always come from the application's latest assessment (the
    `details` given are ignored): recording it re-checks the review."""
    user = _require_recorder(actor)
    kind = _parse_kind(kind)
    if kind == gates.CLASSIFICATION:
        data = classification_details(application)
    else:
        if not isinstance(details, Mapping):
            raise ValidationFailed("gate details must be an object", field="details")
        data = _jsonable({k: v for k, v in details.items() if k != "evaluation"})
    if len(json.dumps(data)) > MAX_DETAILS_CHARS:
        raise ValidationFailed(
            f"gate details are limited to {MAX_DETAILS_CHARS:,} characters", field="details"
        )
    as_of = as_of or _today()
    result = gates.evaluate(kind, data, gates.facts_of(application.requisition), as_of=as_of)
    with transaction.atomic():
        gate = _locked_gate(application, kind, user)
        if gate.status == Status.NOT_REQUIRED:
            raise Conflict(f"{gates.KIND_LABELS[kind]} is not required for this requisition")
        before = audit.snapshot(gate)
        gate.details = {
            **data,
            "evaluation": {
                "version": result.version,
                "as_of": as_of.isoformat(),
                "notes": list(result.notes),
            },
        }
        gate.status = result.status
        gate.reason = result.reason
        gate.expires_on = result.expires_on
        gate.verified_by = user
        gate.verified_at = timezone.now()
        _save(gate, before, user)
    return gate


def override_gate(actor: Any, application: Application, kind: str, reason: str) -> PlacementGate:
    """Let a placement through a gate that has not passed: compliance officers only, with a written
    reason (kept on the gate and in the audit log)."""
    user = _require_compliance_officer(actor, "override a placement gate")
    kind = _parse_kind(kind)
    reason = (reason or "").strip()
    if len(reason) < MIN_OVERRIDE_REASON:
        raise ValidationFailed(
            f"an override needs a written reason of at least {MIN_OVERRIDE_REASON} characters",
            field="reason",
        )
    if len(reason) > MAX_REASON:
        raise ValidationFailed(f"the reason is limited to {MAX_REASON:,} characters", field="reason")
    with transaction.atomic():
        gate = _locked_gate(application, kind, user)
        if gate.status == Status.NOT_REQUIRED:
            raise Conflict(f"{gates.KIND_LABELS[kind]} is not required for this requisition")
        if gate.status == Status.PASSED:
            raise Conflict(f"{gates.KIND_LABELS[kind]} has passed; there is nothing to override")
        before = audit.snapshot(gate)
        gate.status = Status.OVERRIDDEN
        gate.reason = reason
        gate.verified_by = user
        gate.verified_at = timezone.now()
        _save(gate, before, user)
    return gate


def _refresh_classification_gate(application: Application, actor: Any) -> None:
    gate = _locked_gate(application, gates.CLASSIFICATION, actor)
    if gate.status in {Status.NOT_REQUIRED, Status.OVERRIDDEN}:
        return
    data = classification_details(application)
    result = gates.evaluate(
        gates.CLASSIFICATION, data, gates.facts_of(application.requisition), as_of=_today()
    )
    before = audit.snapshot(gate)
    gate.details = {
        **data,
        "evaluation": {"version": result.version, "as_of": _today().isoformat(), "notes": []},
    }
    gate.status, gate.reason = result.status, result.reason
    gate.verified_by, gate.verified_at = actor, timezone.now()
    _save(gate, before, actor)


def review_classification(
    actor: Any, assessment: ClassificationAssessment, note: str = ""
) -> ClassificationAssessment:
    """Compliance review of a classification assessment (what the classification gate waits for)."""
    user = _require_compliance_officer(actor, "review a classification assessment")
    note = (note or "").strip()
    if len(note) > MAX_REASON:
        raise ValidationFailed(f"the note is limited to {MAX_REASON:,} characters", field="note")
    with transaction.atomic():
        locked = ClassificationAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.status == ClassificationAssessment.Status.REVIEWED:
            raise Conflict(f"classification assessment #{locked.pk} was already reviewed")
        before = audit.snapshot(locked)
        locked.status = ClassificationAssessment.Status.REVIEWED
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        locked.review_note = note
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        audit.record(AuditLog.Action.UPDATE, locked, before=before, after=audit.snapshot(locked), actor=user)
        application = locked.application
        if application is not None:
            _refresh_classification_gate(application, user)
    return locked


def placement_guard(application: Application, to_stage: Stage, actor: Any) -> None:
    """Pipeline stage guard: a move to "placed" needs every required gate passed or overridden.

    Gates are re-checked at move time (expiries, the latest classification review, requirement
    changes); a gate whose stored status no longer holds is updated (and audited) before the move is
    refused with every reason."""
    if to_stage != Stage.PLACED:
        return
    with transaction.atomic():
        ensure_gates(application, actor=actor)
        states = gate_states(application)
        for state in states:
            gate = state.gate
            changed = state.status != gate.status and state.status in {Status.PASSED, Status.FAILED}
            if changed or (state.status == Status.FAILED and state.reason != gate.reason):
                before = audit.snapshot(gate)
                gate.status, gate.reason = state.status, state.reason
                if state.result is not None and gate.kind != gates.CLASSIFICATION:
                    gate.expires_on = state.result.expires_on
                _save(gate, before, actor)
    blocking = blocking_gates(states)
    if blocking:
        raise Conflict(gates.blocking_message([(s.kind, s.reason) for s in blocking]))
