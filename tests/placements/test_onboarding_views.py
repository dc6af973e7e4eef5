"""The onboarding page and its forms, and the onboarding API."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.api.conftest import ApiClient
from tests.placements.operations_helpers import make_placement

from cadre.compliance.models import PlacementGate
from cadre.core.services import create_api_token
from cadre.placements import onboarding_services as svc
from cadre.placements.models import OnboardingTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(tenant_a, recruiter):
    p = make_placement(tenant_a, recruiter)
    svc.create_checklist(p, recruiter)
    return p


def page(client, placement):
    return client.get(reverse("placement-onboarding", args=[placement.pk]))


def test_page_groups_tasks_by_owner_and_shows_gates_and_overdue(client, recruiter, placement):
    client.force_login(recruiter)
    response = page(client, placement)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("Candidate", "Compliance", "Client", "Recruiter"):
        assert f"<h2>{heading}</h2>" in html
    assert "Form I-9 (employment eligibility)" in html
    assert "Work authorization confirmed" in html  # the gate panel
    assert "Not ready to start" in html
    assert "Overdue" in html  # the test placement started in March 2026, due dates are past
    assert 'name="document_type"' in html  # the I-9 task asks what the gate checks


def test_completing_the_i9_task_from_the_form_passes_the_gate(client, recruiter, placement):
    client.force_login(recruiter)
    task = OnboardingTask.objects.get(placement=placement, kind="i9")
    response = client.post(
        reverse("onboarding-task-complete", args=[task.pk]),
        {"country": "US", "document_type": "US passport", "citizen": "on", "verified_on": "2026-02-20"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Work authorization confirmed passed" in response.content.decode()
    assert (
        PlacementGate.objects.get(application=placement.application, kind="work_authorization").status
        == "passed"
    )
    task.refresh_from_db()
    assert task.status == "done"


def test_a_failed_gate_shows_its_reason(client, recruiter, placement):
    client.force_login(recruiter)
    task = OnboardingTask.objects.get(placement=placement, kind="i9")
    response = client.post(
        reverse("onboarding-task-complete", args=[task.pk]), {"country": "US"}, follow=True
    )
    html = response.content.decode()
    assert "still open" in html and "document type not given" in html


def test_waive_and_reassign_from_the_page(client, recruiter, placement):
    client.force_login(recruiter)
    task = OnboardingTask.objects.get(placement=placement, kind="equipment")
    client.post(reverse("onboarding-task-waive", args=[task.pk]), {"reason": "Brings own hardware"})
    task.refresh_from_db()
    assert task.status == "waived"
    plan = OnboardingTask.objects.get(placement=placement, kind="first_week_plan")
    response = client.post(
        reverse("onboarding-task-reassign", args=[plan.pk]),
        {"owner": "recruiter", "due_on": "not a date"},
        follow=True,
    )
    assert "not a date" in response.content.decode()
    client.post(
        reverse("onboarding-task-reassign", args=[plan.pk]), {"owner": "recruiter", "due_on": "2026-02-26"}
    )
    plan.refresh_from_db()
    assert plan.owner == "recruiter" and str(plan.due_on) == "2026-02-26"


def test_other_clients_hiring_manager_gets_404_and_own_sees_no_manage_forms(
    client, placement, tenant_a, tenant_b
):
    client.force_login(tenant_b.hiring_manager)
    assert page(client, placement).status_code == 404
    client.force_login(tenant_a.hiring_manager)
    html = page(client, placement).content.decode()
    assert "Waive or reassign" not in html
    assert "Mark done" in html  # client-owned tasks


def test_api_lists_completes_and_reports_the_gate(recruiter, placement):
    api = ApiClient(create_api_token(recruiter))
    data = api.get(f"/api/placements/{placement.pk}/onboarding").json()
    assert data["ready_to_start"] is False
    ip = next(t for t in data["tasks"] if t["kind"] == "ip_assignment")
    result = api.post(
        f"/api/placements/onboarding-tasks/{ip['id']}/complete", {"details": {"signed_on": "2026-02-01"}}
    )
    assert result.status_code == 200
    body = result.json()
    assert body["done"] is False and body["gate"]["status"] == "failed"
    assert "signatory not given" in body["gate"]["reason"]
    waive = api.post(f"/api/placements/onboarding-tasks/{ip['id']}/waive", {"reason": "short"})
    assert waive.status_code == 422
