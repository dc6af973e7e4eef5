"""Onboarding in the database: checklists from placements, completing tasks through the compliance gates,
waiving, reassigning, permissions and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.placements.operations_helpers import IP_DETAILS, WORK_DETAILS, make_placement

from cadre.compliance.models import PlacementGate
from cadre.core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog
from cadre.placements import onboarding_services as svc
from cadre.placements.models import OnboardingTask
from cadre.requisitions.models import Requisition
from cadre.taxonomy.models import Platform

pytestmark = pytest.mark.django_db


def task(placement, kind) -> OnboardingTask:
    return OnboardingTask.objects.get(placement=placement, kind=kind)


@pytest.fixture
def placement(tenant_a, recruiter):
    return make_placement(tenant_a, recruiter)


def test_checklist_for_a_w2_contract_with_due_dates_owners_and_gates(placement, recruiter):
    tasks = svc.create_checklist(placement, recruiter)
    rows = {t.kind: t for t in tasks}
    assert set(rows) == {"w4", "i9", "ip_assignment", "equipment", "platform_access", "first_week_plan"}
    assert rows["w4"].due_on == dt.date(2026, 2, 25)  # 3 business days before Monday 2 March
    assert rows["i9"].due_on == dt.date(2026, 2, 27)
    assert rows["i9"].gate_kind == "work_authorization"
    assert rows["equipment"].owner_user == recruiter  # recruiter-owned tasks go to the placement's recruiter
    assert rows["first_week_plan"].owner == "client" and rows["first_week_plan"].owner_user is None
    # the gates those tasks feed exist
    kinds = set(
        PlacementGate.objects.filter(application=placement.application).values_list("kind", flat=True)
    )
    assert {"work_authorization", "ip_assignment"} <= kinds
    assert AuditLog.objects.filter(object_type="placements.onboardingtask", action="create").count() == 6


def test_checklist_is_idempotent_and_adds_newly_required_tasks(placement, recruiter, tenant_a):
    first = svc.create_checklist(placement, recruiter)
    again = svc.create_checklist(placement, recruiter)
    assert [t.pk for t in again] == [t.pk for t in first]
    Requisition.objects.filter(pk=tenant_a.requisition.pk).update(background_check_required=True)
    placement.refresh_from_db()
    third = svc.create_checklist(placement, recruiter)
    assert len(third) == len(first) + 1
    assert task(placement, "background_check").gate_kind == "background_check"


def test_checklist_names_the_clients_platforms(placement, recruiter, tenant_a):
    tenant_a.client.platforms.add(
        Platform.objects.create(slug="x-sagemaker", name="SageMaker X", provider="AWS"),
        Platform.objects.create(slug="x-vertex", name="Vertex X", provider="Google Cloud"),
    )
    titles = [t.title for t in svc.create_checklist(placement, recruiter) if t.kind == "platform_access"]
    assert titles == ["Access to Northwind Robotics's SageMaker X", "Access to Northwind Robotics's Vertex X"]


def test_hiring_manager_cannot_create_a_checklist(placement, tenant_a):
    with pytest.raises(Forbidden):
        svc.create_checklist(placement, tenant_a.hiring_manager)


def test_completing_a_gate_task_records_the_gate_and_closes_the_task(placement, recruiter):
    svc.create_checklist(placement, recruiter)
    done = svc.complete_task(recruiter, task(placement, "i9"), WORK_DETAILS)
    assert done.done and done.gate is not None
    assert done.gate.status == PlacementGate.Status.PASSED
    gate = PlacementGate.objects.get(application=placement.application, kind="work_authorization")
    assert gate.status == "passed" and gate.details["document_type"] == "US passport"
    t = task(placement, "i9")
    assert t.status == "done" and t.completed_by == recruiter and t.details["country"] == "US"
    assert "passed" in done.message


def test_a_failing_gate_keeps_the_task_open_with_the_reasons(placement, recruiter):
    svc.create_checklist(placement, recruiter)
    result = svc.complete_task(recruiter, task(placement, "ip_assignment"), {**IP_DETAILS, "signatory": ""})
    assert not result.done
    assert result.gate is not None and result.gate.status == "failed"
    assert "signatory not given" in result.message
    t = task(placement, "ip_assignment")
    assert t.status == "open" and t.details["work_state"] == "CA"
    # corrected, it passes and closes
    assert svc.complete_task(recruiter, t, IP_DETAILS).done


def test_non_gate_task_details_are_checked_and_nothing_saved_on_error(placement, recruiter):
    svc.create_checklist(placement, recruiter)
    with pytest.raises(ValidationFailed, match="date received not given"):
        svc.complete_task(recruiter, task(placement, "w4"), {})
    assert task(placement, "w4").status == "open"
    svc.complete_task(recruiter, task(placement, "w4"), {"received_on": "2026-02-20"}, note="Payroll has it")
    t = task(placement, "w4")
    assert t.status == "done" and t.note == "Payroll has it"
    with pytest.raises(Conflict, match="already done"):
        svc.complete_task(recruiter, t, {"received_on": "2026-02-20"})


def test_hiring_manager_completes_only_own_clients_non_gate_client_tasks(
    placement, recruiter, tenant_a, tenant_b
):
    svc.create_checklist(placement, recruiter)
    hm = tenant_a.hiring_manager
    assert svc.complete_task(hm, task(placement, "first_week_plan"), {}).done
    with pytest.raises(Forbidden):
        svc.complete_task(hm, task(placement, "i9"), WORK_DETAILS)
    with pytest.raises(Forbidden):
        svc.complete_task(tenant_b.hiring_manager, task(placement, "platform_access"), {})
    with pytest.raises(NotFound):
        svc.visible_task(tenant_b.hiring_manager, task(placement, "platform_access").pk)
    assert svc.visible_task(hm, task(placement, "platform_access").pk).kind == "platform_access"


def test_waive_needs_a_reason_and_refuses_a_required_gate(placement, recruiter):
    svc.create_checklist(placement, recruiter)
    with pytest.raises(ValidationFailed, match="at least 10 characters"):
        svc.waive_task(recruiter, task(placement, "equipment"), "no")
    waived = svc.waive_task(recruiter, task(placement, "equipment"), "Contractor uses own laptop")
    assert waived.status == "waived" and waived.note == "Contractor uses own laptop"
    with pytest.raises(Conflict, match="required gate"):
        svc.waive_task(recruiter, task(placement, "i9"), "Checked verbally, trust me")
    assert task(placement, "i9").status == "open"


def test_reassign_changes_owner_and_due_date_and_is_audited(placement, recruiter, compliance_officer):
    svc.create_checklist(placement, recruiter)
    t = svc.reassign_task(
        recruiter,
        task(placement, "equipment"),
        owner="compliance",
        owner_user=compliance_officer,
        due_on=dt.date(2026, 2, 20),
    )
    assert (t.owner, t.owner_user, t.due_on) == ("compliance", compliance_officer, dt.date(2026, 2, 20))
    entry = AuditLog.objects.filter(object_type="placements.onboardingtask", object_id=str(t.pk)).latest("id")
    assert entry.before["owner"] == "recruiter" and entry.after["owner"] == "compliance"
    with pytest.raises(ValidationFailed, match="unknown owner"):
        svc.reassign_task(recruiter, t, owner="intern")


def test_accepting_an_offer_creates_the_checklist(accepted_contract_placement):
    placement = accepted_contract_placement
    kinds = set(OnboardingTask.objects.filter(placement=placement).values_list("kind", flat=True))
    assert {"w4", "i9", "ip_assignment", "equipment", "platform_access", "first_week_plan"} <= kinds
    i9 = OnboardingTask.objects.get(placement=placement, kind="i9")
    assert i9.due_on < placement.start_date and i9.gate_kind == "work_authorization"
