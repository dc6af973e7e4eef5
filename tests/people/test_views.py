"""People list, the person page (identities, applications, timeline, sources) and creating people."""

from __future__ import annotations

import pytest
from tests.web.helpers import login

from cadre.people.models import Identity, Person, SourceRecord
from cadre.people.services import create_person

pytestmark = pytest.mark.django_db


def test_list_searches_and_paginates(recruiter, tenant_a, tenant_b):
    for i in range(26):
        create_person(recruiter, full_name=f"Zed Person {i:02d}")
    client = login(recruiter)
    page = client.get("/people/").content.decode()
    assert "Ana Lima" in page and "Page 1 of 2" in page
    found = client.get("/people/", {"q": "okafor"}).content.decode()
    assert "Ben Okafor" in found and "Ana Lima" not in found
    by_email = client.get("/people/", {"q": "AnaLima@Example.org"}).content.decode()
    assert "Ana Lima" in by_email


def test_person_page(recruiter, tenant_a):
    page = login(recruiter).get(f"/people/{tenant_a.person.pk}/").content.decode()
    assert "Ana Lima" in page and "ML engineer" in page
    assert 'href="https://github.com/analima"' in page and 'href="mailto:analima@example.org"' in page
    assert tenant_a.requisition.title in page and "Northwind Robotics" in page
    assert "badge stage-sourced" in page
    assert "Added to" in page  # timeline line written by create_application
    assert "Entered by a user" in page  # the source record (provenance)
    assert 'hx-post="/people/' in page


def test_create_person_with_identities(recruiter):
    response = login(recruiter).post(
        "/people/new/",
        {
            "full_name": "Priya Nair",
            "headline": "MLOps engineer",
            "location": "Toronto",
            "email": "Priya@Example.org",
            "github": "https://github.com/priyanair",
            "linkedin": "linkedin.com/in/priya-nair/",
        },
    )
    person = Person.objects.get(full_name="Priya Nair")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    kinds = dict(Identity.objects.filter(person=person).values_list("kind", "value"))
    assert kinds == {"email": "priya@example.org", "github": "priyanair", "linkedin": "/in/priya-nair"}
    assert SourceRecord.objects.filter(person=person, source="manual").exists()


def test_duplicate_identity_is_a_clear_error_and_writes_nothing(recruiter, tenant_a):
    response = login(recruiter).post("/people/new/", {"full_name": "Ana Again", "github": "AnaLima"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "already belongs to person" in page and "has-error" in page
    assert not Person.objects.filter(full_name="Ana Again").exists()


def test_invalid_identity_is_reported_on_its_field(recruiter):
    response = login(recruiter).post(
        "/people/new/", {"full_name": "X", "email": "not-an-email", "orcid": "123"}
    )
    page = response.content.decode()
    assert "not an e-mail address" in page and "not a valid ORCID" in page
    assert not Person.objects.filter(full_name="X").exists()


def test_person_page_shows_skill_evidence_and_facts_with_fixed_queries(recruiter, tenant_a):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cadre.people.models import Fact, SkillEvidence, SourceRecord
    from cadre.taxonomy.models import Skill

    record = SourceRecord.objects.filter(person=tenant_a.person).first()
    client = Client()
    client.force_login(recruiter)
    url = f"/people/{tenant_a.person.pk}/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.get(url)
    before = queries()
    for slug in ("pytorch", "jax", "cuda", "kubernetes"):
        SkillEvidence.objects.create(
            person=tenant_a.person, skill=Skill.objects.get(slug=slug), kind="merged_pr", source_record=record
        )
    Fact.objects.create(
        person=tenant_a.person, kind="employment", title="ML engineer", organisation="Acme AI"
    )
    assert queries() == before
    page = client.get(url).content.decode()
    assert "Skills and evidence" in page and "CUDA" in page and "Merged pull request" in page
    assert "Acme AI" in page
