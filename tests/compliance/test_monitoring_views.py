"""Compliance monitoring pages and API: they render for a compliance officer, recruiters and hiring managers
get 403, the LL144 report downloads as CSV and PDF, and self-identification is recorded through the form
and the API."""

from __future__ import annotations

import contextlib
import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import NoReverseMatch, reverse
from tests.compliance.test_monitoring import add_match_records, build_pipeline
from tests.web.helpers import login

from cadre.compliance.models import SelfIdentification
from cadre.core.models import AuditLog
from cadre.core.services import create_api_token

pytestmark = pytest.mark.django_db

PAGES = ("/compliance/", "/compliance/adverse-impact/", "/compliance/ll144/matching/")


@pytest.fixture
def pipeline(tenant_a, tenant_b, compliance_officer):
    p = build_pipeline(tenant_a, tenant_b, compliance_officer)
    add_match_records(p)
    return p


def _api(user):
    client = HttpClient()
    headers = {"Authorization": f"Bearer {create_api_token(user)}"}

    def call(method: str, path: str, body=None, **params):
        if method == "get":
            return client.get(path, params, headers=headers)
        return getattr(client, method)(
            path, data=json.dumps(body), content_type="application/json", headers=headers
        )

    return call


def test_pages_render_for_a_compliance_officer(pipeline, compliance_officer, tenant_a):
    client = login(compliance_officer)
    home = client.get("/compliance/")
    assert home.status_code == 200
    body = home.content.decode()
    assert "Adverse impact by pipeline stage" in body
    assert 'href="/compliance/adverse-impact/"' in body
    assert 'href="/compliance/ll144/matching/"' in body
    for name in ("compliance-classify", "compliance-notices", "compliance-retention"):
        with contextlib.suppress(NoReverseMatch):  # pages other areas provide are linked if they exist
            assert f'href="{reverse(name)}"' in body

    page = client.get("/compliance/adverse-impact/", {"requisition": tenant_a.requisition.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sourced → Screening" in body
    assert "<svg" in body and ">0.8<" in body
    assert "below 0.8" in body  # Female 2/3 at screening
    assert 'title="2/3"' in body  # the exact ratio behind the rounded one
    assert "Unknown (not in rates)" in body
    assert tenant_a.requisition.title in body

    for params in ({}, {"client": tenant_a.client.pk}, {"dimension": "intersectional"}):
        assert client.get("/compliance/adverse-impact/", params).status_code == 200
    assert (
        "Asian / Female"
        in client.get("/compliance/adverse-impact/", {"dimension": "intersectional"}).content.decode()
    )
    assert client.get("/compliance/adverse-impact/", {"requisition": 999_999}).status_code == 404

    ll144 = client.get("/compliance/ll144/matching/")
    assert ll144.status_code == 200
    body = ll144.content.decode()
    assert "Bias audit: Cadre matching" in body
    assert "Cadre DecisionRecords (historical data)" in body
    assert "format=csv" in body and "format=pdf" in body


def test_ll144_downloads(pipeline, compliance_officer, tenant_a):
    client = login(compliance_officer)
    response = client.get("/compliance/ll144/matching/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["tool"] for r in rows} == {"Cadre matching"}
    assert {r["data_source"] for r in rows} == {"Cadre DecisionRecords (historical data)"}
    male = next(r for r in rows if r["table"] == "sex" and r["category"] == "Male")
    assert (male["n"], male["selected_or_above"], male["impact_ratio"]) == ("3", "1", "0.5")
    unknown = next(r for r in rows if r["table"] == "sex" and r["category"] == "Unknown")
    assert unknown["n"] == "2"
    assert rows[0]["distribution_date"] and rows[0]["audit_date"]

    per_req = client.get(
        "/compliance/ll144/matching/", {"format": "csv", "requisition": tenant_a.requisition.pk}
    )
    assert {r["sample_size"] for r in csv.DictReader(io.StringIO(per_req.content.decode()))} == {"6"}

    pdf = client.get("/compliance/ll144/matching/", {"format": "pdf"})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_ll144_page_without_records_says_so(compliance_officer, tenant_a):
    client = login(compliance_officer)
    page = client.get("/compliance/ll144/matching/")
    assert page.status_code == 200
    assert "No matching scores to audit" in page.content.decode()
    assert client.get("/compliance/ll144/matching/", {"format": "csv"}).status_code == 404


def test_recruiters_and_hiring_managers_get_403(pipeline, recruiter, tenant_a):
    for user in (recruiter, tenant_a.hiring_manager):
        client = login(user)
        for url in (*PAGES, f"/compliance/people/{tenant_a.person.pk}/self-id/"):
            assert client.get(url).status_code == 403, (user, url)
        assert client.get("/compliance/ll144/matching/", {"format": "csv"}).status_code == 403
        response = client.post(
            f"/compliance/people/{tenant_a.person.pk}/self-id/", {"sex": "Male", "collected_via": "form"}
        )
        assert response.status_code == 403


def test_anonymous_users_are_sent_to_login():
    for url in PAGES:
        response = HttpClient().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_nav_shows_compliance_to_compliance_officers_and_admins_only(
    compliance_officer, admin_user, recruiter, tenant_a
):
    link = 'href="/compliance/"'
    assert link in login(compliance_officer).get("/").content.decode()
    assert link in login(admin_user).get("/").content.decode()
    assert link not in login(recruiter).get("/").content.decode()
    assert link not in login(tenant_a.hiring_manager).get("/").content.decode()


def test_self_id_form_records_the_answers(compliance_officer, tenant_a):
    client = login(compliance_officer)
    url = f"/compliance/people/{tenant_a.person.pk}/self-id/"
    page = client.get(url)
    assert page.status_code == 200
    assert "No self-identification recorded" in page.content.decode()
    response = client.post(
        url, {"sex": "Female", "race_ethnicity": "Asian", "collected_via": "form", "form_version": "v2"}
    )
    assert response.status_code == 302
    row = SelfIdentification.objects.get(person=tenant_a.person)
    assert (row.sex, row.race_ethnicity, row.form_version) == ("Female", "Asian", "v2")
    page = client.get(url).content.decode()
    assert "saved" in page and "v2" in page

    bad = client.post(url, {"sex": "Other", "race_ethnicity": "", "collected_via": "form"})
    assert bad.status_code == 422
    row.refresh_from_db()
    assert row.sex == "Female"

    assert client.get("/compliance/self-id/", {"person": tenant_a.person.pk})["Location"] == url
    assert client.get("/compliance/people/999999/self-id/").status_code == 404


def test_self_id_csv_upload(compliance_officer, tenant_a, tenant_b):
    client = login(compliance_officer)
    good = f"person_id,sex,race_ethnicity\n{tenant_a.person.pk},Male,White\n{tenant_b.person.pk},,\n"
    response = client.post(
        "/compliance/self-id/import/",
        {"file": SimpleUploadedFile("selfid.csv", good.encode(), content_type="text/csv")},
        follow=True,
    )
    assert "Imported 2 new" in response.content.decode()
    assert SelfIdentification.objects.count() == 2
    bad = f"person_id,sex,race_ethnicity\n{tenant_a.person.pk},Mal,White\n"
    response = client.post(
        "/compliance/self-id/import/",
        {"file": SimpleUploadedFile("selfid.csv", bad.encode(), content_type="text/csv")},
        follow=True,
    )
    assert "line 2" in response.content.decode()
    assert SelfIdentification.objects.get(person=tenant_a.person).sex == "Male"


def test_api_adverse_impact_and_ll144(pipeline, compliance_officer, recruiter, tenant_a):
    api = _api(compliance_officer)
    response = api("get", "/api/compliance/adverse-impact", requisition_id=tenant_a.requisition.pk)
    assert response.status_code == 200
    data = response.json()
    sex = data["stages"][0]["dimensions"]["sex"]
    female = next(g for g in sex["groups"] if g["group"] == "Female")
    assert female["impact_ratio_exact"] == "2/3" and female["below_four_fifths"] is True
    assert api("get", "/api/compliance/adverse-impact", client_id=tenant_a.client.pk).status_code == 200
    assert api("get", "/api/compliance/adverse-impact", requisition_id=999_999).status_code == 404

    report = api("get", "/api/compliance/ll144/matching").json()
    assert report["median"] == pytest.approx(0.55)
    assert report["config"]["audit"]["tool"] == "Cadre matching"
    as_csv = api("get", "/api/compliance/ll144/matching", format="csv")
    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    assert as_csv.content.decode().startswith("audit_date,tool,")
    assert api("get", "/api/compliance/ll144/matching", format="xml").status_code == 422

    denied = _api(recruiter)
    assert denied("get", "/api/compliance/adverse-impact").status_code == 403
    assert denied("get", "/api/compliance/ll144/matching").status_code == 403


def test_api_self_identification(compliance_officer, admin_user, recruiter, tenant_a):
    url = f"/api/people/{tenant_a.person.pk}/self-identification"
    officer = _api(compliance_officer)
    assert officer("get", url).json() == {
        "person_id": tenant_a.person.pk,
        "recorded": False,
        "sex": None,
        "race_ethnicity": None,
        "collected_at": None,
        "collected_via": None,
        "form_version": None,
    }
    response = officer(
        "put", url, {"sex": "Female", "race_ethnicity": "Two or More Races", "form_version": "v1"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["recorded"] is True
    assert response.json()["race_ethnicity"] == "Two or More Races"
    assert _api(admin_user)("get", url).json()["sex"] == "Female"

    invalid = officer("put", url, {"sex": "F?", "race_ethnicity": ""})
    assert invalid.status_code == 422
    assert invalid.json()["field"] == "sex"
    assert officer("put", url, {"sex": "Male", "colour": "x"}).status_code == 422  # unknown field
    assert officer("get", "/api/people/999999/self-identification").status_code == 404

    for user in (recruiter, tenant_a.hiring_manager):
        other = _api(user)
        assert other("get", url).status_code == 403
        assert other("put", url, {"sex": "Male"}).status_code == 403
    assert SelfIdentification.objects.get(person=tenant_a.person).sex == "Female"
    entries = AuditLog.objects.filter(object_type="compliance.selfidentification")
    assert entries.count() == 1
    assert "Female" not in json.dumps([entries[0].before, entries[0].after])
