"""Requisition list filters and pagination, create/edit forms, optimistic concurrency."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.web.helpers import login

from cadre.core.models import AuditLog
from cadre.requisitions.models import Requisition
from cadre.requisitions.services import create_requisition
from cadre.taxonomy.models import RoleFamily, Skill

pytestmark = pytest.mark.django_db


def _form_data(tenant, **overrides) -> dict:
    data = {
        "client": tenant.client.pk,
        "title": "NLP engineer, retrieval",
        "role_family": RoleFamily.objects.get(slug="ml-engineer").pk,
        "seniority": "senior",
        "status": "open",
        "engagement_type": "contract_to_hire",
        "duration_months": "6",
        "openings": "2",
        "location": "Boston, MA",
        "remote_policy": "hybrid",
        "currency": "USD",
        "rate_unit": "hour",
        "pay_min": "90.00",
        "pay_max": "120.50",
        "bill_min": "140",
        "bill_max": "180",
        "must_skills": [Skill.objects.get(slug="pytorch").pk],
        "nice_skills": [Skill.objects.get(slug="kubernetes").pk],
        "description": "Own retrieval quality.",
    }
    data.update(overrides)
    return data


def test_list_filters_and_preserves_them_in_pagination(recruiter, tenant_a, tenant_b):
    for i in range(30):
        create_requisition(recruiter, client=tenant_a.client, title=f"Data engineer {i:02d}")
    client = login(recruiter)
    page = client.get("/requisitions/", {"client": tenant_a.client.pk, "q": "Data engineer"}).content.decode()
    assert "Data engineer 29" in page and tenant_b.requisition.title not in page
    assert "Page 1 of 2" in page
    assert f"?client={tenant_a.client.pk}&amp;q=Data+engineer&amp;page=2" in page
    second = client.get("/requisitions/", {"client": tenant_a.client.pk, "q": "Data engineer", "page": 2})
    assert "Data engineer 00" in second.content.decode()
    assert "Showing 26–30 of 30" in second.content.decode()


def test_list_filters_by_status_role_family_and_engagement(recruiter, tenant_a, tenant_b):
    create_requisition(recruiter, client=tenant_b.client, title="Paused role", status="on_hold")
    client = login(recruiter)
    on_hold = client.get("/requisitions/", {"status": "on_hold"}).content.decode()
    assert "Paused role" in on_hold and tenant_a.requisition.title not in on_hold
    by_family = client.get("/requisitions/", {"role_family": "ml-engineer"}).content.decode()
    assert tenant_a.requisition.title in by_family and "Paused role" not in by_family
    direct = client.get("/requisitions/", {"engagement_type": "direct_hire"}).content.decode()
    assert tenant_a.requisition.title not in direct
    assert client.get("/requisitions/", {"client": "not-a-number"}).status_code == 200


def test_detail_shows_the_job_order(recruiter, tenant_a):
    page = login(recruiter).get(f"/requisitions/{tenant_a.requisition.pk}/").content.decode()
    for text in (
        "Northwind Robotics",
        "Senior",
        "80.00 – 110.00 USD per hour",
        "120.00 – 160.00 USD",
        "PyTorch",
        "Kubernetes",
        "Contract",
        "Ana Lima",
        "Sourced",
    ):
        assert text in page, text


def test_create_requisition(recruiter, tenant_a):
    response = login(recruiter).post("/requisitions/new/", _form_data(tenant_a))
    requisition = Requisition.objects.get(title="NLP engineer, retrieval")
    assert response.status_code == 302 and response["Location"] == f"/requisitions/{requisition.pk}/"
    assert requisition.pay_max == Decimal("120.50") and requisition.openings == 2
    assert requisition.owner == recruiter
    wanted = {(r.skill.slug, r.importance) for r in requisition.skill_requirements.select_related("skill")}
    assert wanted == {("pytorch", "must"), ("kubernetes", "nice")}
    assert AuditLog.objects.filter(
        object_type="requisitions.requisition", object_id=str(requisition.pk)
    ).exists()


def test_create_validates(recruiter, tenant_a):
    client = login(recruiter)
    response = client.post("/requisitions/new/", _form_data(tenant_a, title="", pay_min="200", openings="0"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required" in page
    assert "The pay band ends below where it starts" in page
    assert "greater than or equal to 1" in page
    same = _form_data(tenant_a, nice_skills=[Skill.objects.get(slug="pytorch").pk])
    assert "both must-have and nice-to-have" in client.post("/requisitions/new/", same).content.decode()
    assert not Requisition.objects.filter(title="NLP engineer, retrieval").exists()


def test_edit_requisition(recruiter, tenant_a):
    url = f"/requisitions/{tenant_a.requisition.pk}/edit/"
    client = login(recruiter)
    form = client.get(url).content.decode()
    assert 'name="version" value="1"' in form and "Senior ML engineer" in form
    response = client.post(url, _form_data(tenant_a, title="Staff ML engineer", version="1"))
    assert response.status_code == 302
    requisition = Requisition.objects.get(pk=tenant_a.requisition.pk)
    assert requisition.title == "Staff ML engineer" and requisition.version == 2


def test_concurrent_edits_do_not_silently_overwrite(recruiter, make_user, tenant_a):
    """Two recruiters load version 1; the first save wins, the second sees a conflict."""
    url = f"/requisitions/{tenant_a.requisition.pk}/edit/"
    first, second = login(recruiter), login(make_user("rob"))
    assert 'name="version" value="1"' in first.get(url).content.decode()
    assert 'name="version" value="1"' in second.get(url).content.decode()
    assert first.post(url, _form_data(tenant_a, title="Title from Rita", version="1")).status_code == 302
    response = second.post(url, _form_data(tenant_a, title="Title from Rob", version="1"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed by someone else" in page and "Reload the latest version" in page
    assert 'value="Title from Rob"' in page  # the loser's input is kept on screen
    requisition = Requisition.objects.get(pk=tenant_a.requisition.pk)
    assert requisition.title == "Title from Rita" and requisition.version == 2
