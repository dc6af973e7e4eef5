"""Moving cards, adding people to a pipeline and adding notes through the UI."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.helpers import PASSWORD, login

from cadre.core.models import AuditLog
from cadre.pipeline.models import Activity, Application, StageEvent

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _move_url(tenant) -> str:
    return reverse("application-move", args=[tenant.application.pk])


def test_htmx_move_returns_the_board_and_writes_event_activity_and_audit(recruiter, tenant_a):
    client = login(recruiter)
    response = client.post(_move_url(tenant_a), {"to_stage": "screening", "reason": "strong CV"}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="board"' in page and "moved to Screening" in page
    application = Application.objects.get(pk=tenant_a.application.pk)
    assert application.stage == "screening"
    event = StageEvent.objects.filter(application=application).latest("id")
    assert (event.from_stage, event.to_stage, event.actor, event.reason) == (
        "sourced",
        "screening",
        recruiter,
        "strong CV",
    )
    audit = AuditLog.objects.filter(action="stage_move", object_id=str(application.pk)).get()
    assert audit.before["stage"] == "sourced" and audit.after["stage"] == "screening"
    assert audit.actor == recruiter and audit.via == "web"
    assert Activity.objects.filter(application=application, kind="stage_change").count() == 2


def test_card_lands_in_its_new_column(recruiter, tenant_a):
    client = login(recruiter)
    page = client.post(_move_url(tenant_a), {"to_stage": "offer"}, **HTMX).content.decode()
    offer_column = page.split('data-stage="offer"', 1)[1].split('class="board-column ', 1)[0]
    assert f'id="application-{tenant_a.application.pk}"' in offer_column


def test_plain_form_post_redirects_with_a_message(recruiter, tenant_a):
    client = login(recruiter)
    response = client.post(_move_url(tenant_a), {"to_stage": "screening"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/requisitions/{tenant_a.requisition.pk}/"
    assert "moved to Screening" in response.content.decode()


def test_move_is_post_only(recruiter, tenant_a):
    assert login(recruiter).get(_move_url(tenant_a)).status_code == 405


def test_hiring_manager_may_not_move_from_sourced(tenant_a):
    client = login(tenant_a.hiring_manager)
    response = client.post(_move_url(tenant_a), {"to_stage": "offer"}, **HTMX)
    assert response.status_code == 403
    assert response["X-Cadre-Fragment"] == "1"
    assert "may not move a candidate" in response.content.decode()
    assert Application.objects.get(pk=tenant_a.application.pk).stage == "sourced"


def test_hiring_manager_decides_on_submitted_candidates(recruiter, tenant_a):
    login(recruiter).post(_move_url(tenant_a), {"to_stage": "submitted"}, **HTMX)
    response = login(tenant_a.hiring_manager).post(
        _move_url(tenant_a), {"to_stage": "client_interview"}, **HTMX
    )
    assert response.status_code == 200
    assert Application.objects.get(pk=tenant_a.application.pk).stage == "client_interview"


def test_stale_version_is_a_conflict_shown_on_the_board(recruiter, tenant_a):
    client = login(recruiter)
    version = tenant_a.application.version
    assert (
        client.post(_move_url(tenant_a), {"to_stage": "screening", "version": version}, **HTMX).status_code
        == 200
    )
    response = client.post(_move_url(tenant_a), {"to_stage": "offer", "version": version}, **HTMX)
    assert response.status_code == 409
    assert "moved by someone else" in response.content.decode()
    assert Application.objects.get(pk=tenant_a.application.pk).stage == "screening"


def test_unknown_stage_is_422(recruiter, tenant_a):
    response = login(recruiter).post(_move_url(tenant_a), {"to_stage": "hired!"}, **HTMX)
    assert response.status_code == 422
    assert "unknown stage" in response.content.decode().lower()


def test_csrf_is_enforced_on_moves(recruiter, tenant_a):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=recruiter.username, password=PASSWORD)
    response = client.post(_move_url(tenant_a), {"to_stage": "screening"}, **HTMX)
    assert response.status_code == 403
    assert Application.objects.get(pk=tenant_a.application.pk).stage == "sourced"
    assert StageEvent.objects.filter(application=tenant_a.application).count() == 1

    page = client.get(f"/requisitions/{tenant_a.requisition.pk}/")
    token = page.context["csrf_token"]
    response = client.post(
        _move_url(tenant_a), {"to_stage": "screening"}, HTTP_X_CSRFTOKEN=str(token), **HTMX
    )
    assert response.status_code == 200
    assert Application.objects.get(pk=tenant_a.application.pk).stage == "screening"


def test_board_shows_counts_and_truncates_long_columns(recruiter, tenant_a, monkeypatch):
    from cadre.people.services import create_person
    from cadre.pipeline import views
    from cadre.pipeline.services import create_application

    monkeypatch.setattr(views, "BOARD_CARDS_PER_STAGE", 2)
    for i in range(3):
        person = create_person(recruiter, full_name=f"Extra {i}")
        create_application(recruiter, person=person, requisition=tenant_a.requisition)
    page = login(recruiter).get(f"/requisitions/{tenant_a.requisition.pk}/").content.decode()
    assert "+2 more" in page
    assert 'class="board-card"' in page and page.count('class="board-card"') == 2


def test_add_person_to_pipeline(recruiter, tenant_a, tenant_b):
    client = login(recruiter)
    results = client.get(reverse("application-candidates", args=[tenant_a.requisition.pk]), {"q": "Okafor"})
    assert "Ben Okafor" in results.content.decode()
    url = reverse("application-create", args=[tenant_a.requisition.pk])
    response = client.post(url, {"person_id": tenant_b.person.pk, "stage": "screening"}, **HTMX)
    assert response.status_code == 200 and "added to the pipeline at Screening" in response.content.decode()
    application = Application.objects.get(person=tenant_b.person, requisition=tenant_a.requisition)
    assert application.stage == "screening"
    assert StageEvent.objects.filter(application=application, to_stage="screening").exists()
    again = client.post(url, {"person_id": tenant_b.person.pk}, **HTMX)
    assert again.status_code == 409 and "already in the pipeline" in again.content.decode()


def test_add_note_renders_the_timeline(recruiter, tenant_a):
    client = login(recruiter)
    url = reverse("person-note", args=[tenant_a.person.pk])
    response = client.post(url, {"body": "Prefers remote, available in May"}, **HTMX)
    assert response.status_code == 200
    assert 'id="timeline"' in response.content.decode() and "available in May" in response.content.decode()
    assert Activity.objects.filter(person=tenant_a.person, kind="note").count() == 1
    empty = client.post(url, {"body": "  "}, **HTMX)
    assert empty.status_code == 422 and "cannot be empty" in empty.content.decode()
