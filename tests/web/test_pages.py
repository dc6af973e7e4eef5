"""Every page renders for a recruiter, anonymous users are sent to the login page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.helpers import PASSWORD, login

pytestmark = pytest.mark.django_db


def _pages(t) -> dict[str, str]:
    return {
        "/": "Pipeline funnel",
        "/requisitions/": t.requisition.title,
        "/requisitions/new/": "New requisition",
        f"/requisitions/{t.requisition.pk}/": "Pipeline",
        f"/requisitions/{t.requisition.pk}/edit/": "Edit requisition",
        "/people/": t.person.full_name,
        "/people/new/": "New person",
        f"/people/{t.person.pk}/": "analima@example.org",
        "/clients/": t.client.name,
        f"/clients/{t.client.pk}/": t.requisition.title,
        "/search/?q=Lima": t.person.full_name,
    }


def test_every_page_renders_for_a_recruiter(recruiter, tenant_a):
    client = login(recruiter)
    for url, expected in _pages(tenant_a).items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url


def test_anonymous_users_are_redirected_to_login(tenant_a, client):
    for url in _pages(tenant_a):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url
    move = client.post(reverse("application-move", args=[tenant_a.application.pk]), {"to_stage": "screening"})
    assert move.status_code == 302 and move["Location"].startswith("/login/")


def test_login_form_logs_in_and_logout_logs_out(recruiter, client):
    page = client.get("/login/")
    assert page.status_code == 200 and b"Log in" in page.content
    response = client.post("/login/", {"username": "rita", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_shows_an_error(recruiter, client):
    response = client.post("/login/", {"username": "rita", "password": "nope"})
    assert response.status_code == 200
    assert b"alert-error" in response.content


def test_nav_shows_user_role_and_admin_link_only_for_admins(recruiter, admin_user):
    page = login(recruiter).get("/").content.decode()
    assert "Recruiter" in page and 'href="/admin/"' not in page
    assert 'href="/admin/"' in login(admin_user).get("/").content.decode()


def test_dashboard_shows_open_requisitions_and_funnel(recruiter, tenant_a, tenant_b):
    page = login(recruiter).get("/").content.decode()
    assert tenant_a.requisition.title in page and tenant_b.requisition.title in page
    assert "Sourced" in page and "Client interview" in page


def test_search_finds_people_by_identity_and_requisitions_by_client(recruiter, tenant_a, tenant_b):
    client = login(recruiter)
    page = client.get("/search/", {"q": "https://github.com/benokafor"}).content.decode()
    assert "Ben Okafor" in page and "Ana Lima" not in page
    page = client.get("/search/", {"q": "Northwind"}).content.decode()
    assert tenant_a.requisition.title in page and tenant_b.requisition.title not in page


def test_compliance_officer_reads_but_may_not_edit(compliance_officer, tenant_a):
    client = login(compliance_officer)
    assert client.get(f"/requisitions/{tenant_a.requisition.pk}/").status_code == 200
    assert client.get("/requisitions/new/").status_code == 403
    assert client.get("/people/new/").status_code == 403
    assert client.get(f"/requisitions/{tenant_a.requisition.pk}/edit/").status_code == 403
