"""Placement gates in the database: creating, recording, overriding, reviewing, and blocking "placed"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.compliance import gate_services
from cadre.compliance.gate_services import (
    ensure_gates,
    override_gate,
    placement_guard,
    record_gate,
    review_classification,
)
from cadre.compliance.models import ClassificationAssessment, PlacementGate
from cadre.core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog
from cadre.pipeline.models import Application, StageEvent
from cadre.pipeline.services import _stage_guards, move_application
from cadre.requisitions.models import Requisition

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = (TODAY - timedelta(days=30)).isoformat()
FUTURE = (TODAY + timedelta(days=700)).isoformat()

IP = {
    "signed_on": PAST,
    "signatory": "Ana Lima",
    "prior_inventions": [],
    "carve_outs": {"open_source": True, "open_source_note": "Own-time OSS", "publication": False},
    "work_state": "NY",
    "statutory_notice_included": True,
}
WORK = {"country": "US", "document_type": "US passport", "citizen": True, "verified_on": PAST}
CLEARANCE = {"level": "secret", "agency": "DCSA", "expires_on": FUTURE, "verified_on": PAST}
BACKGROUND = {"completed_on": PAST, "result": "clear"}


def assessment_for(application, user=None, status="draft"):
    return ClassificationAssessment.objects.create(
        application=application,
        requisition=application.requisition,
        answers={},
        result={},
        engine_version="test",
        inputs_digest="0" * 64,
        risk_level="low",
        vehicle="w2_agency",
        status=status,
        created_by=user,
    )


def needs_clearance(tenant, level="secret", background=True):
    Requisition.objects.filter(pk=tenant.requisition.pk).update(
        clearance_required=level, background_check_required=background
    )
    tenant.application = Application.objects.select_related("requisition").get(pk=tenant.application.pk)
    return tenant.application


def fresh(application):
    return Application.objects.select_related("requisition").get(pk=application.pk)


def gate(application, kind):
    return PlacementGate.objects.get(application=application, kind=kind)


def clear_basic_gates(tenant, recruiter, compliance_officer):
    app = tenant.application
    review_classification(
        compliance_officer, assessment_for(app, recruiter), "W-2 through the agency; low risk"
    )
    record_gate(recruiter, app, "ip_assignment", IP)
    record_gate(recruiter, app, "work_authorization", WORK)


def test_guard_is_registered():
    assert placement_guard in _stage_guards


def test_ensure_gates_marks_unrequired_gates_not_required(tenant_a):
    rows = {g.kind: g.status for g in ensure_gates(tenant_a.application)}
    assert rows == {
        "classification": "pending",
        "ip_assignment": "pending",
        "clearance": "not_required",
        "work_authorization": "pending",
        "background_check": "not_required",
    }
    ensure_gates(tenant_a.application)
    assert PlacementGate.objects.filter(application=tenant_a.application).count() == 5


def test_ensure_gates_follows_requirement_changes(tenant_a):
    ensure_gates(tenant_a.application)
    app = needs_clearance(tenant_a)
    ensure_gates(app)
    assert gate(app, "clearance").status == "pending"
    assert gate(app, "background_check").status == "pending"


def test_moving_to_placed_is_blocked_with_every_reason(tenant_a, recruiter):
    app = needs_clearance(tenant_a)
    record_gate(recruiter, app, "clearance", {**CLEARANCE, "level": "confidential"})
    with pytest.raises(Conflict) as exc:
        move_application(recruiter, app, to_stage="placed")
    message = exc.value.message
    assert message.startswith("Cannot place: ")
    assert "Classification reviewed — no worker-classification assessment" in message
    assert "IP assignment signed — not recorded" in message
    assert "Security clearance verified — Secret required, person holds Confidential" in message
    assert "Work authorization confirmed — not recorded" in message
    assert "Background check — not recorded" in message
    assert fresh(app).stage == "sourced"
    assert not StageEvent.objects.filter(application=app, to_stage="placed").exists()


def test_other_moves_are_not_gated(tenant_a, recruiter):
    move_application(recruiter, tenant_a.application, to_stage="offer")
    assert fresh(tenant_a.application).stage == "offer"


def test_recording_every_gate_then_placing_succeeds(tenant_a, recruiter, compliance_officer):
    app = needs_clearance(tenant_a)
    clear_basic_gates(tenant_a, recruiter, compliance_officer)
    record_gate(recruiter, app, "clearance", CLEARANCE)
    record_gate(compliance_officer, app, "background_check", BACKGROUND)
    assert {g.status for g in PlacementGate.objects.filter(application=app)} == {"passed"}
    event = move_application(recruiter, fresh(app), to_stage="placed", reason="start Monday")
    assert (event.from_stage, event.to_stage, event.actor) == ("sourced", "placed", recruiter)
    assert StageEvent.objects.filter(application=app, to_stage="placed").count() == 1
    assert fresh(app).stage == "placed"


def test_not_required_gates_do_not_block_a_requisition_without_clearance(
    tenant_a, recruiter, compliance_officer
):
    clear_basic_gates(tenant_a, recruiter, compliance_officer)
    app = fresh(tenant_a.application)
    assert gate(app, "clearance").status == "not_required"
    assert gate(app, "background_check").status == "not_required"
    move_application(recruiter, app, to_stage="placed")
    assert fresh(app).stage == "placed"


def test_recording_stores_result_and_audits_before_and_after(tenant_a, recruiter):
    app = tenant_a.application
    row = record_gate(
        recruiter, app, "ip_assignment", {**IP, "work_state": "CA", "statutory_notice_included": False}
    )
    assert row.status == "failed" and "Cal. Lab. Code" in row.reason
    assert row.verified_by == recruiter and row.verified_at is not None
    assert row.details["evaluation"]["version"] == gate_services.gates.GATE_VERSION
    entry = AuditLog.objects.filter(object_type="compliance.placementgate", object_id=str(row.pk)).latest(
        "id"
    )
    assert entry.action == "update" and entry.actor == recruiter
    assert entry.before["status"] == "pending" and entry.after["status"] == "failed"


def test_recording_needs_an_editor_or_compliance(tenant_a, make_user):
    with pytest.raises(Forbidden):
        record_gate(tenant_a.hiring_manager, tenant_a.application, "ip_assignment", IP)
    with pytest.raises(ValidationFailed):
        record_gate(make_user("r2"), tenant_a.application, "drug_test", {})


def test_recording_a_gate_the_requisition_does_not_need_is_a_conflict(tenant_a, recruiter):
    with pytest.raises(Conflict, match="not required"):
        record_gate(recruiter, tenant_a.application, "clearance", CLEARANCE)


def test_override_by_a_recruiter_is_forbidden(tenant_a, recruiter):
    with pytest.raises(Forbidden):
        override_gate(recruiter, tenant_a.application, "ip_assignment", "Signed on paper, scan pending")


@pytest.mark.parametrize("reason", ["", "   ", "too short"])
def test_override_without_a_real_reason_fails(tenant_a, compliance_officer, reason):
    with pytest.raises(ValidationFailed) as exc:
        override_gate(compliance_officer, tenant_a.application, "ip_assignment", reason)
    assert exc.value.field == "reason"


def test_override_with_a_reason_passes_and_is_audited(tenant_a, recruiter, compliance_officer):
    app = tenant_a.application
    review_classification(compliance_officer, assessment_for(app), "")
    record_gate(recruiter, app, "work_authorization", WORK)
    reason = "Signed on paper at the client's office; scan follows"
    row = override_gate(compliance_officer, app, "ip_assignment", f"  {reason} ")
    assert row.status == "overridden" and row.reason == reason and row.verified_by == compliance_officer
    entry = AuditLog.objects.filter(object_type="compliance.placementgate", object_id=str(row.pk)).latest(
        "id"
    )
    assert entry.actor == compliance_officer
    assert entry.before["status"] == "pending"
    assert entry.after["status"] == "overridden" and entry.after["reason"] == reason
    move_application(recruiter, fresh(app), to_stage="placed")
    assert fresh(app).stage == "placed"


def test_a_passed_gate_cannot_be_overridden(tenant_a, recruiter, compliance_officer):
    record_gate(recruiter, tenant_a.application, "work_authorization", WORK)
    with pytest.raises(Conflict):
        override_gate(compliance_officer, tenant_a.application, "work_authorization", "belt and braces here")


def test_expiry_is_rechecked_at_move_time(tenant_a, recruiter, compliance_officer):
    app = needs_clearance(tenant_a, background=False)
    clear_basic_gates(tenant_a, recruiter, compliance_officer)
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    row = record_gate(
        recruiter, app, "clearance", {**CLEARANCE, "expires_on": yesterday}, as_of=TODAY - timedelta(days=20)
    )
    assert row.status == "passed"
    with pytest.raises(Conflict) as exc:
        move_application(recruiter, fresh(app), to_stage="placed")
    assert f"Security clearance verified — clearance expired on {yesterday}" in exc.value.message
    row.refresh_from_db()
    assert row.status == "failed" and "expired" in row.reason
    assert fresh(app).stage == "sourced"


def test_classification_gate_follows_the_latest_assessment(tenant_a, recruiter, compliance_officer):
    app = tenant_a.application
    record_gate(recruiter, app, "ip_assignment", IP)
    record_gate(recruiter, app, "work_authorization", WORK)
    first = assessment_for(app)
    review_classification(compliance_officer, first, "fine")
    assert gate(app, "classification").status == "passed"
    assessment_for(app)  # re-run after the facts changed: awaits review again
    with pytest.raises(Conflict, match="awaits compliance review"):
        move_application(recruiter, fresh(app), to_stage="placed")


def test_review_classification_is_for_compliance_officers(tenant_a, recruiter, compliance_officer):
    assessment = assessment_for(tenant_a.application)
    with pytest.raises(Forbidden):
        review_classification(recruiter, assessment, "looks fine")
    reviewed = review_classification(compliance_officer, assessment, "  W-2, low risk ")
    assert (reviewed.status, reviewed.reviewed_by, reviewed.review_note) == (
        "reviewed",
        compliance_officer,
        "W-2, low risk",
    )
    assert reviewed.reviewed_at is not None
    entry = AuditLog.objects.filter(
        object_type="compliance.classificationassessment", object_id=str(assessment.pk)
    ).get()
    assert entry.before["status"] == "draft" and entry.after["status"] == "reviewed"
    with pytest.raises(Conflict):
        review_classification(compliance_officer, assessment, "again")


def test_assessments_are_scoped_like_their_applications(tenant_a, tenant_b, compliance_officer):
    assessment = assessment_for(tenant_b.application)
    with pytest.raises(NotFound):
        gate_services.get_assessment(tenant_a.hiring_manager, assessment.pk)
    assert gate_services.get_assessment(compliance_officer, assessment.pk) == assessment


def test_gate_states_are_read_only_and_show_expiry(tenant_a, recruiter):
    states = gate_services.gate_states(tenant_a.application)
    assert [s.kind for s in states][:2] == ["classification", "ip_assignment"]
    assert not PlacementGate.objects.filter(application=tenant_a.application).exists()
    assert {s.kind for s in gate_services.blocking_gates(states)} == {
        "classification",
        "ip_assignment",
        "work_authorization",
    }
