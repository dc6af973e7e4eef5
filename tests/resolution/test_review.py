"""The review queue through the UI (htmx, CSRF) and the API, with role permissions."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.resolution.helpers import rich_person
from tests.web.helpers import login

from cadre.core.services import create_api_token
from cadre.people.models import Person
from cadre.resolution.models import MatchCandidate, MergeRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(recruiter):
    a = rich_person(recruiter, name="Sam Okoro", email="sam@a.org")
    b = rich_person(recruiter, name="Samuel Okoro", email="sam@b.org")
    return MatchCandidate.objects.create(
        left=a,
        right=b,
        probability=0.93,
        explanation=[{"comparison": "last_name", "level": "Exact match", "weight": 8.1}],
    )


def test_queue_page_shows_evidence_and_merges_with_htmx(recruiter, pair):
    client = login(recruiter)
    page = client.get("/dedup/").content.decode()
    assert "Sam Okoro" in page and "Samuel Okoro" in page and "sam@b.org" in page and "0.930" in page
    assert f'hx-post="/dedup/candidates/{pair.pk}/merge/"' in page and 'href="/dedup/"' in page
    response = client.post(f"/dedup/candidates/{pair.pk}/merge/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Merged" in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == "merged" and pair.reviewer == recruiter and pair.merge is not None
    assert Person.objects.get(pk=pair.right_id).merged_into_id == pair.left_id
    again = client.post(f"/dedup/candidates/{pair.pk}/merge/", HTTP_HX_REQUEST="true")
    assert again.status_code == 409
    page = client.get("/dedup/").content.decode()
    assert f'action="/dedup/merges/{pair.merge_id}/unmerge/"' in page
    assert client.post(f"/dedup/merges/{pair.merge_id}/unmerge/").status_code == 302
    assert Person.objects.get(pk=pair.right_id).merged_into_id is None


def test_reject_and_csrf(recruiter, pair):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(recruiter)
    assert strict.post(f"/dedup/candidates/{pair.pk}/reject/").status_code == 403
    response = login(recruiter).post(f"/dedup/candidates/{pair.pk}/reject/")
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == "rejected"


def test_roles(pair, tenant_a, compliance_officer):
    hm = login(tenant_a.hiring_manager)
    assert hm.get("/dedup/").status_code == 403
    assert hm.post(f"/dedup/candidates/{pair.pk}/merge/").status_code == 403
    officer = login(compliance_officer)
    page = officer.get("/dedup/")
    assert page.status_code == 200 and "Samuel Okoro" in page.content.decode()
    assert "hx-post" not in page.content.decode()  # may look, may not decide
    assert officer.post(f"/dedup/candidates/{pair.pk}/merge/").status_code == 403
    assert officer.post(f"/dedup/candidates/{pair.pk}/reject/").status_code == 403
    pair.refresh_from_db()
    assert pair.status == "pending"


def test_api_flow_and_permissions(recruiter, pair, tenant_a, compliance_officer):
    def api(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user)}"}

    c = Client()
    listed = c.get("/api/dedup/candidates", **api(recruiter)).json()
    assert listed["count"] == 1 and listed["items"][0]["right"]["full_name"] == "Samuel Okoro"
    assert c.get("/api/dedup/candidates", **api(tenant_a.hiring_manager)).status_code == 403
    for user in (tenant_a.hiring_manager, compliance_officer):
        assert c.post(f"/api/dedup/candidates/{pair.pk}/merge", **api(user)).status_code == 403
    merged = c.post(f"/api/dedup/candidates/{pair.pk}/merge", **api(recruiter))
    assert merged.status_code == 200 and merged.json()["merged_id"] == pair.right_id
    assert "people.identity" in merged.json()["moved"]
    merge_id = merged.json()["id"]
    assert c.post(f"/api/dedup/merges/{merge_id}/unmerge", **api(compliance_officer)).status_code == 403
    undone = c.post(f"/api/dedup/merges/{merge_id}/unmerge", **api(recruiter))
    assert undone.status_code == 200 and undone.json()["unmerged_at"]
    assert c.post(f"/api/dedup/merges/{merge_id}/unmerge", **api(recruiter)).status_code == 409
    assert MergeRecord.objects.get().unmerged_at is not None
    assert c.post("/api/dedup/candidates/999/reject", **api(recruiter)).status_code == 404
