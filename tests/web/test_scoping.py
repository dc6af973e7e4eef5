"""A hiring manager sees only their own clients' data: everything else is a 404 or absent."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.helpers import login

from cadre.pipeline.models import Application, StageEvent

pytestmark = pytest.mark.django_db


def test_other_clients_objects_are_404(tenant_a, tenant_b):
    client = login(tenant_a.hiring_manager)
    assert client.get(f"/requisitions/{tenant_a.requisition.pk}/").status_code == 200
    assert client.get(f"/people/{tenant_a.person.pk}/").status_code == 200
    assert client.get(f"/clients/{tenant_a.client.pk}/").status_code == 200
    for url in (
        f"/requisitions/{tenant_b.requisition.pk}/",
        f"/requisitions/{tenant_b.requisition.pk}/edit/",
        f"/people/{tenant_b.person.pk}/",
        f"/clients/{tenant_b.client.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/people/{tenant_b.person.pk}/notes/", {"body": "hi"}).status_code == 404


def test_moving_another_clients_application_is_404_and_changes_nothing(tenant_a, tenant_b):
    client = login(tenant_a.hiring_manager)
    url = reverse("application-move", args=[tenant_b.application.pk])
    response = client.post(url, {"to_stage": "rejected"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 404
    assert Application.objects.get(pk=tenant_b.application.pk).stage == "sourced"
    assert StageEvent.objects.filter(application=tenant_b.application).count() == 1


def test_lists_and_search_hide_other_clients(tenant_a, tenant_b):
    client = login(tenant_a.hiring_manager)
    pages = {
        "/": tenant_b.requisition.title,
        "/requisitions/": tenant_b.requisition.title,
        "/people/": tenant_b.person.full_name,
        "/clients/": tenant_b.client.name,
        "/search/?q=Okafor": tenant_b.person.full_name,
        "/search/?q=Helix": tenant_b.requisition.title,
    }
    for url, hidden in pages.items():
        page = client.get(url).content.decode()
        assert hidden not in page, url
    assert tenant_a.person.full_name in client.get("/people/").content.decode()
    assert tenant_a.requisition.title in client.get("/search/?q=Northwind").content.decode()


def test_hiring_manager_may_not_create_records(tenant_a):
    client = login(tenant_a.hiring_manager)
    assert client.get("/requisitions/new/").status_code == 403
    assert client.get("/people/new/").status_code == 403
    assert client.get(f"/requisitions/{tenant_a.requisition.pk}/edit/").status_code == 403
    url = reverse("application-create", args=[tenant_a.requisition.pk])
    assert client.post(url, {"person_id": tenant_a.person.pk}).status_code == 403
