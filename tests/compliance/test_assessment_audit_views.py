"""The LL144 bias audit of screening assessments on the compliance pages and API: the same presentation as
the audit of matching (report, impact-ratio chart, CSV and PDF downloads, filters), read from the
assessment_score DecisionRecords only, for compliance officers and admins only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from tests.compliance.test_monitoring import Pipeline, build_pipeline
from tests.web.helpers import login

from cadre.core.models import DecisionRecord
from cadre.core.services import create_api_token
from cadre.requisitions.models import Requisition
from cadre.screening import scoring

pytestmark = pytest.mark.django_db

PAGE = "/compliance/ll144/assessments/"
API = "/api/compliance/ll144/assessments"
TOOL = "Cadre screening assessments"


def add_assessment_records(p: Pipeline) -> None:
    """Sitting scores as grading writes them (kind assessment_score, subject the requisition): on
    requisition A M1 .85, M2 .70, M3 .30, F1 .90, F2 .40, U1 .50; on B F5 .65 and M5 .20, 40 days ago.
    Plus a match score and an item grade, which this audit must not read."""
    now = timezone.now()
    assert p.req_a is not None and p.req_b is not None

    def rec(name: str, req: Requisition, score: str, at: dt.datetime, **extra: Any) -> None:
        values = {
            "kind": "assessment_score",
            "version": f"{scoring.SCORING_VERSION}+assessment-7v1",
            "subject_type": "requisitions.requisition",
            "subject_id": str(req.pk),
            "person_id": p.people[name].pk,
            "inputs_digest": "a" * 64,
            "score": Decimal(score),
        } | extra
        row = DecisionRecord.objects.create(**values)
        DecisionRecord.objects.filter(pk=row.pk).update(at=at)

    for name, score in (
        ("M1", ".85"),
        ("M2", ".70"),
        ("M3", ".30"),
        ("F1", ".90"),
        ("F2", ".40"),
        ("U1", ".5"),
    ):
        rec(name, p.req_a, score, now - dt.timedelta(days=2))
    rec("F5", p.req_b, ".65", now - dt.timedelta(days=40))
    rec("M5", p.req_b, ".20", now - dt.timedelta(days=40))
    rec("M4", p.req_a, ".99", now, kind="match_ranking", version="match-2026.11.1+x")
    rec("F3", p.req_a, ".99", now, kind="assessment_grade", subject_type="screening.submission")


@pytest.fixture
def pipeline(tenant_a, tenant_b, compliance_officer) -> Pipeline:
    p = build_pipeline(tenant_a, tenant_b, compliance_officer)
    add_assessment_records(p)
    return p


def _api(user):
    client = HttpClient()
    headers = {"Authorization": f"Bearer {create_api_token(user)}"}
    return lambda path, **params: client.get(path, params, headers=headers)


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_the_audit_page_shows_the_report_with_its_chart(pipeline, compliance_officer):
    client = login(compliance_officer)
    page = client.get(PAGE)
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Bias audit: {TOOL} {scoring.SCORING_VERSION}" in body
    assert "latest graded sitting of each person for each requisition" in body
    assert "<svg" in body and ">0.8<" in body  # the impact-ratio chart with the four-fifths line
    # 8 scores, median .575; above it M1, M2 of 4 men and F1, F5 of 3 women: Male 0.5 / (2/3) = 0.75.
    assert '<td class="num ratio">0.7500</td>' in body and "below 0.8" in body
    assert "format=csv" in body and "format=pdf" in body
    assert f'href="{PAGE}" aria-current="page"' in body
    assert 'href="/compliance/ll144/matching/"' in body  # the other audit stays one tab away
    assert "8 assessments of 8 people on 2 requisitions" in body


def test_the_dashboard_links_both_audits(pipeline, compliance_officer):
    body = login(compliance_officer).get("/compliance/").content.decode()
    assert f'href="{PAGE}"' in body and 'href="/compliance/ll144/matching/"' in body
    assert f"NYC Local Law 144 bias audit: {TOOL}" in body
    assert "Assessment score records" in body and "Matching decision records" in body
    adverse = login(compliance_officer).get("/compliance/adverse-impact/").content.decode()
    assert f'href="{PAGE}"' in adverse


def test_csv_and_pdf_downloads(pipeline, compliance_officer):
    client = login(compliance_officer)
    response = client.get(PAGE, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="cadre-assessments-ll144-' in response["Content-Disposition"]
    rows = _rows(response.content)
    assert {r["tool"] for r in rows} == {TOOL}
    male = next(r for r in rows if r["table"] == "sex" and r["category"] == "Male")
    female = next(r for r in rows if r["table"] == "sex" and r["category"] == "Female")
    assert (male["n"], male["selected_or_above"], male["impact_ratio"]) == ("4", "2", "0.75")
    assert (female["n"], female["selected_or_above"], female["impact_ratio"]) == ("3", "2", "1.0")
    assert next(r for r in rows if r["table"] == "sex" and r["category"] == "Unknown")["n"] == "1"  # U1

    # Requisition A only: .3 .4 .5 .7 .85 .9, median .6; the match score of M4 is never read.
    per_req = client.get(PAGE, {"format": "csv", "requisition": pipeline.req_a.pk})
    assert {r["sample_size"] for r in _rows(per_req.content)} == {"6"}
    since = client.get(PAGE, {"format": "csv", "since": (timezone.localdate() - dt.timedelta(days=30))})
    assert {r["sample_size"] for r in _rows(since.content)} == {"6"}  # B's scores are 40 days old

    pdf = client.get(PAGE, {"format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="cadre-assessments-ll144-' in pdf["Content-Disposition"]
    assert client.get(PAGE, {"requisition": 999_999}).status_code == 404


def test_without_assessment_scores_the_page_says_so(tenant_a, tenant_b, compliance_officer):
    p = build_pipeline(tenant_a, tenant_b, compliance_officer)
    DecisionRecord.objects.create(  # a match score is not an assessment score
        kind="match_ranking",
        version="match-1",
        subject_type="requisitions.requisition",
        subject_id=str(tenant_a.requisition.pk),
        person_id=p.people["M1"].pk,
        inputs_digest="m" * 64,
        score=Decimal("0.9"),
    )
    client = login(compliance_officer)
    page = client.get(PAGE)
    assert page.status_code == 200
    body = page.content.decode()
    assert "No assessment scores to audit" in body
    assert "fully graded" in body
    assert client.get(PAGE, {"format": "csv"}).status_code == 404
    assert client.get("/compliance/ll144/matching/", {"format": "csv"}).status_code == 200
    assert _api(compliance_officer)(API).status_code == 422


def test_only_compliance_officers_and_admins(pipeline, recruiter, tenant_a, admin_user):
    for user in (recruiter, tenant_a.hiring_manager):
        client = login(user)
        assert client.get(PAGE).status_code == 403
        assert client.get(PAGE, {"format": "csv"}).status_code == 403
        assert _api(user)(API).status_code == 403
    assert login(admin_user).get(PAGE).status_code == 200
    assert HttpClient().get(PAGE).status_code == 302  # to the login page


def test_api_json_and_csv(pipeline, compliance_officer):
    api = _api(compliance_officer)
    report = api(API).json()
    assert report["config"]["audit"]["tool"] == TOOL
    assert report["config"]["sample_size"] == 8
    assert report["median"] == pytest.approx(0.575)
    assert "assessment_score" in report["scope"]["unit"]
    assert api(API, requisition_id=pipeline.req_a.pk).json()["config"]["sample_size"] == 6
    as_csv = api(API, format="csv")
    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    assert {r["tool"] for r in _rows(as_csv.content)} == {TOOL}
    assert api(API, format="xml").status_code == 422
    json.dumps(report)  # plain JSON
