"""A hiring manager sees only their assigned clients; everything else is a 404, never the data."""

import pytest


@pytest.fixture
def hm_a(api_as, tenant_a, tenant_b):
    return api_as(tenant_a.hiring_manager)


def test_hiring_manager_gets_404_on_other_clients_objects(hm_a, tenant_b):
    for url in (
        f"/api/clients/{tenant_b.client.pk}",
        f"/api/requisitions/{tenant_b.requisition.pk}",
        f"/api/people/{tenant_b.person.pk}",
        f"/api/applications/{tenant_b.application.pk}",
        f"/api/applications/{tenant_b.application.pk}/events",
    ):
        response = hm_a.get(url)
        assert response.status_code == 404, url
        assert "Helix" not in response.content.decode() and "Okafor" not in response.content.decode()
    move = hm_a.post(f"/api/applications/{tenant_b.application.pk}/move", {"to_stage": "rejected"})
    assert move.status_code == 404


def test_hiring_manager_lists_only_own_client(hm_a, tenant_a):
    assert [c["name"] for c in hm_a.get("/api/clients").json()["items"]] == ["Northwind Robotics"]
    assert [r["id"] for r in hm_a.get("/api/requisitions").json()["items"]] == [tenant_a.requisition.pk]
    assert [p["full_name"] for p in hm_a.get("/api/people").json()["items"]] == ["Ana Lima"]
    assert [a["id"] for a in hm_a.get("/api/applications").json()["items"]] == [tenant_a.application.pk]


def test_hiring_manager_and_compliance_cannot_edit(hm_a, api_as, compliance_officer, tenant_a):
    url = f"/api/requisitions/{tenant_a.requisition.pk}"
    assert hm_a.patch(url, {"version": 1, "title": "x"}).status_code == 403
    officer = api_as(compliance_officer)
    assert officer.get(url).status_code == 200
    assert officer.patch(url, {"version": 1, "title": "x"}).status_code == 403
    assert officer.post("/api/clients", {"name": "Initech"}).status_code == 403


def test_unknown_ids_are_404(api, db):
    for url in (
        "/api/clients/424242",
        "/api/requisitions/424242",
        "/api/people/424242",
        "/api/applications/424242",
    ):
        assert api.get(url).status_code == 404
