"""Client list and client page: stack, contacts, hiring managers, requisitions."""

from __future__ import annotations

import pytest
from tests.web.helpers import login

from cadre.clients.services import add_contact
from cadre.taxonomy.models import Platform

pytestmark = pytest.mark.django_db


def test_client_list(recruiter, tenant_a, tenant_b):
    page = login(recruiter).get("/clients/").content.decode()
    assert "Northwind Robotics" in page and "Helix Health" in page
    assert "Helix Health" not in login(recruiter).get("/clients/", {"q": "north"}).content.decode()


def test_client_page(recruiter, tenant_a):
    tenant_a.client.platforms.add(Platform.objects.order_by("id").first())
    add_contact(
        recruiter, tenant_a.client, name="Jordan Blake", title="VP Engineering", email="jb@example.com"
    )
    page = login(recruiter).get(f"/clients/{tenant_a.client.pk}/").content.decode()
    assert "Jordan Blake" in page and "VP Engineering" in page
    assert Platform.objects.order_by("id").first().name in page
    assert "hana" in page  # the assigned hiring manager
    assert tenant_a.requisition.title in page


def test_hiring_manager_sees_only_their_client(tenant_a, tenant_b):
    client = login(tenant_a.hiring_manager)
    assert client.get(f"/clients/{tenant_a.client.pk}/").status_code == 200
    assert client.get(f"/clients/{tenant_b.client.pk}/").status_code == 404
