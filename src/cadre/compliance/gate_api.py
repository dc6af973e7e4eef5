"""REST endpoints for compliance: placement gates and classification reviews.

GET  /api/applications/{id}/gates                   every gate, re-checked today
PUT  /api/applications/{id}/gates/{kind}            record details (the JSON body) and evaluate
POST /api/applications/{id}/gates/{kind}/override   {"reason": "..."} (compliance officers)
POST /api/compliance/classifications/{id}/review    {"note": "..."} (compliance officers)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Body, Field, Router, Schema

from cadre.api.schemas import ERRORS, StrictIn
from cadre.compliance import gate_services, gates
from cadre.compliance.models import PlacementGate
from cadre.pipeline.models import Application
from cadre.pipeline.selectors import get_application

router = Router(tags=["compliance"])


class GateOut(Schema):
    kind: str
    label: str
    required: bool
    status: str = Field(..., description="Status re-checked today (what a move to placed would see)")
    recorded_status: str = Field(..., description="Status as stored when last recorded")
    reason: str
    notes: list[str]
    details: dict[str, Any]
    expires_on: dt.date | None
    verified_by: str | None
    verified_at: dt.datetime | None


class GatesOut(Schema):
    application_id: int
    stage: str
    ready_to_place: bool
    gate_version: str
    gates: list[GateOut]


class OverrideIn(StrictIn):
    reason: str = Field(..., max_length=2000)


class ReviewIn(StrictIn):
    note: str = Field("", max_length=2000)


class ClassificationOut(Schema):
    id: int
    application_id: int | None
    status: str
    risk_level: str
    vehicle: str
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    review_note: str


def _gate_out(state: gate_services.GateState) -> dict[str, Any]:
    gate = state.gate
    return {
        "kind": state.kind,
        "label": state.label,
        "required": state.required,
        "status": state.status,
        "recorded_status": gate.status,
        "reason": state.reason,
        "notes": list(state.notes),
        "details": gate.details or {},
        "expires_on": gate.expires_on,
        "verified_by": gate.verified_by.username if gate.verified_by else None,
        "verified_at": gate.verified_at,
    }


def _gates_out(application: Application) -> dict[str, Any]:
    states = gate_services.gate_states(application)
    return {
        "application_id": application.pk,
        "stage": application.stage,
        "ready_to_place": not gate_services.blocking_gates(states),
        "gate_version": gates.GATE_VERSION,
        "gates": [_gate_out(s) for s in states],
    }


def _one_gate(application: Application, gate: PlacementGate) -> dict[str, Any]:
    state = next(s for s in gate_services.gate_states(application) if s.kind == gate.kind)
    return _gate_out(state)


@router.get("applications/{application_id}/gates", response={200: GatesOut, **ERRORS})
def list_gates(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return _gates_out(get_application(request.user, application_id))


@router.put("applications/{application_id}/gates/{kind}", response={200: GateOut, **ERRORS})
def record_gate(
    request: HttpRequest, application_id: int, kind: str, details: Body[dict[str, Any]]
) -> dict[str, Any]:
    """Record what was checked for one gate (the body is the details object) and evaluate it."""
    application = get_application(request.user, application_id)
    gate = gate_services.record_gate(request.user, application, kind, details)
    return _one_gate(application, gate)


@router.post("applications/{application_id}/gates/{kind}/override", response={200: GateOut, **ERRORS})
def override_gate(
    request: HttpRequest, application_id: int, kind: str, payload: OverrideIn
) -> dict[str, Any]:
    application = get_application(request.user, application_id)
    gate = gate_services.override_gate(request.user, application, kind, payload.reason)
    return _one_gate(application, gate)


@router.post("compliance/classifications/{assessment_id}/review", response={200: ClassificationOut, **ERRORS})
def review_classification(request: HttpRequest, assessment_id: int, payload: ReviewIn) -> dict[str, Any]:
    assessment = gate_services.get_assessment(request.user, assessment_id)
    reviewed = gate_services.review_classification(request.user, assessment, payload.note)
    return {
        "id": reviewed.pk,
        "application_id": reviewed.application_id,
        "status": reviewed.status,
        "risk_level": reviewed.risk_level,
        "vehicle": reviewed.vehicle,
        "reviewed_by": reviewed.reviewed_by.username if reviewed.reviewed_by else None,
        "reviewed_at": reviewed.reviewed_at,
        "review_note": reviewed.review_note,
    }
