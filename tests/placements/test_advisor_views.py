"""The requisition's "Economics & advice" tab and the advisor API: prefilled advice, GET tweaks (no
writes), errors with the typed values kept, the cost chart, the contract economics, recording, roles and
client scoping."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from tests.api.conftest import ApiClient
from tests.compliance.test_classification import EMBEDDED_DATA_SCIENTIST
from tests.web.helpers import login

from cadre.compliance.classification_services import run_classification
from cadre.core.models import AuditLog, DecisionRecord
from cadre.core.services import create_api_token
from cadre.placements.advisor import AdvisorInputs, advise
from cadre.placements.advisor_services import DECISION_KIND
from cadre.placements.advisor_views import cost_chart, tradeoff_matrix

pytestmark = pytest.mark.django_db


def url(requisition) -> str:
    return f"/requisitions/{requisition.pk}/economics/"


def text_of(response: Any) -> str:
    body = response.content.decode()
    body = re.sub(r"<style.*?</style>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def api_as(user) -> ApiClient:
    return ApiClient(create_api_token(user))


# -- the page -------------------------------------------------------------------------------------------


def test_page_shows_the_prefilled_advice_chart_and_contract_economics(recruiter, tenant_a):
    response = login(recruiter).get(url(tenant_a.requisition))
    assert response.status_code == 200
    page = response.content.decode()
    text = text_of(response)
    # The tab is current; the Requisitions nav entry is highlighted.
    assert re.search(r'href="/requisitions/\d+/economics/" aria-current="page">Economics &amp; advice', page)
    # A 12-month contract (assumed) at the band midpoints: contract recommended.
    assert "Recommended engagement Contract" in text
    assert "Every option, ranked" in text and "Contingency executive search" in text
    # Inputs prefilled from the requisition, with where each came from.
    assert 'name="bill" type="text" inputmode="decimal" value="140"' in page
    assert "Midpoint of the hourly bill band." in text
    # The inline SVG cost chart: one bar group per priced option, the recommended one starred.
    svg = re.search(r'<svg class="adv-chart".*?</svg>', page, flags=re.S)
    assert svg is not None
    assert svg.group(0).count('class="seg-contract') >= 3  # contract, long-term, contract-to-hire
    assert "★ Contract" in svg.group(0)
    # Contract economics at the midpoints (pay 95, bill 140): markup 47.4%, spread 32.1%.
    assert "Contract economics at the band midpoints" in text
    assert "47.4% Markup" in text and "32.1% Spread" in text
    assert "Per hour" in text and "Per year (52 weeks)" in text and "Engagement" in text
    # Trade-offs and what would change the answer.
    assert "Speed to start" in text and "Classification exposure" in text
    assert "If the need were permanent (now 12 months)" in text


def test_get_parameters_tweak_the_advice_without_writing(recruiter, tenant_a):
    decisions, audits = DecisionRecord.objects.count(), AuditLog.objects.count()
    response = login(recruiter).get(
        url(tenant_a.requisition),
        {"duration_months": "permanent", "criticality": "production_sla", "state": "CA", "budget": "300000"},
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "Recommended engagement Direct hire" in text
    assert "changed" in text and "Reset to the requisition" in text
    assert "Budget $300k" in response.content.decode()  # the budget line on the chart
    assert "Employer burden, component by component" in text  # a state gives burden
    assert (DecisionRecord.objects.count(), AuditLog.objects.count()) == (decisions, audits)


def test_bad_inputs_show_errors_keep_the_typed_values_and_fall_back(recruiter, tenant_a):
    response = login(recruiter).get(url(tenant_a.requisition), {"duration_months": "0", "pay": "abc"})
    assert response.status_code == 422
    text = text_of(response)
    assert "2 problems with the inputs." in text
    assert "duration_months: 0 is out of range" in text and "pay: 'abc' is not a number" in text
    page = response.content.decode()
    assert 'name="duration_months" type="text" inputmode="text" value="0"' in page
    assert 'name="pay" type="text" inputmode="decimal" value="abc"' in page
    assert "uses the requisition's own figures" in text
    assert "Recommended engagement Contract" in text


def test_high_classification_risk_and_1099_shows_the_steer(recruiter, tenant_a):
    run_classification(recruiter, EMBEDDED_DATA_SCIENTIST, application=tenant_a.application)
    response = login(recruiter).get(url(tenant_a.requisition), {"vehicle": "1099"})
    text = text_of(response)
    assert "not 1099" in text
    assert "engage the contractor as W-2 through the agency" in text
    assert "Open the assessment" in text


def test_hiring_managers_are_refused_the_agency_economics(tenant_a, tenant_b):
    hm = login(tenant_a.hiring_manager)
    response = hm.get(url(tenant_a.requisition))
    assert response.status_code == 403  # pay rates, burden and margins are the agency's
    assert "Record this advice" not in response.content.decode()
    assert hm.post(url(tenant_a.requisition) + "record/").status_code == 403
    assert hm.get(url(tenant_b.requisition)).status_code == 404  # another client's stays invisible
    assert hm.post(url(tenant_b.requisition) + "record/").status_code == 404


def test_other_roles_and_anonymous(compliance_officer, admin_user, tenant_a, client):
    assert login(compliance_officer).get(url(tenant_a.requisition)).status_code == 200
    assert login(admin_user).get(url(tenant_a.requisition)).status_code == 200
    response = client.get(url(tenant_a.requisition))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_tab_links_from_the_job_order_and_matches(recruiter, tenant_a):
    browser = login(recruiter)
    target = f'href="{url(tenant_a.requisition)}"'
    assert target in browser.get(f"/requisitions/{tenant_a.requisition.pk}/").content.decode()
    assert target in browser.get(f"/requisitions/{tenant_a.requisition.pk}/matches/").content.decode()


def test_recording_the_advice(recruiter, tenant_a, compliance_officer):
    browser = login(recruiter)
    response = browser.post(url(tenant_a.requisition) + "record/", {"urgency": "high"})
    assert response.status_code == 302
    assert response["Location"] == url(tenant_a.requisition) + "?urgency=high"
    record = DecisionRecord.objects.get(kind=DECISION_KIND)
    assert record.explanation["inputs"]["urgency"] == "high"
    page = browser.get(response["Location"])
    text = text_of(page)
    assert f"Recorded the advice (Contract) as decision #{record.pk}." in text
    assert "matches these inputs" in text
    # The recorded advice no longer matches once the inputs change.
    assert "different inputs" in text_of(browser.get(url(tenant_a.requisition)))
    # Compliance officers read but do not record.
    assert login(compliance_officer).post(url(tenant_a.requisition) + "record/").status_code == 403
    assert DecisionRecord.objects.filter(kind=DECISION_KIND).count() == 1


def test_recording_with_bad_inputs_records_nothing(recruiter, tenant_a):
    response = login(recruiter).post(url(tenant_a.requisition) + "record/", {"pay": "-1"}, follow=True)
    assert "Nothing was recorded" in text_of(response)
    assert not DecisionRecord.objects.filter(kind=DECISION_KIND).exists()


def test_cost_chart_geometry_is_proportional_with_the_budget_line():
    from decimal import Decimal

    advice = advise(AdvisorInputs(duration_months=None, bill=Decimal(100), salary=Decimal(150000)))
    chart = cost_chart(advice, Decimal(350000))
    assert chart is not None
    # Costs over 24 months: contract 416,000 (100 × 40 × 104 weeks), direct hire 330,000 (fee 30,000 +
    # salary 300,000, no state so no burden); the axis runs to 500,000 (the next round number).
    assert chart["ticks"][-1]["label"] == "$500k"
    rows = {r["model"]: r for r in chart["rows"]}
    assert [r["model"] for r in chart["rows"]] == [o.model for o in advice.options]
    assert rows["direct_hire"]["recommended"] and not rows["contract"]["recommended"]
    x0, width = chart["x0"], 460

    def right_edge(row):
        last = row["parts"][-1]
        return last["x"] + last["width"]

    assert right_edge(rows["contract"]) == pytest.approx(x0 + width * 416000 / 500000, abs=0.2)
    assert right_edge(rows["direct_hire"]) == pytest.approx(x0 + width * 330000 / 500000, abs=0.2)
    assert [p["segment"] for p in rows["direct_hire"]["parts"]] == ["fee", "salary"]
    assert chart["budget"]["x"] == pytest.approx(x0 + width * 350000 / 500000, abs=0.1)
    assert rows["contract"]["over_budget"] is False  # the chart reflects the advice's own budget (none)
    matrix = tradeoff_matrix(advice)
    assert [c["model"] for c in matrix["columns"]] == [o.model for o in advice.options]
    speed = next(r for r in matrix["rows"] if r["dimension"] == "speed")
    assert sum(speed["cells"][[c["model"] for c in matrix["columns"]].index("contract")]["pips"]) == 5


# -- the API --------------------------------------------------------------------------------------------


def test_api_requisition_advice_with_overrides(recruiter, tenant_a):
    api = api_as(recruiter)
    path = f"/api/requisitions/{tenant_a.requisition.pk}/advice"
    response = api.get(path)
    assert response.status_code == 200
    body = response.json()
    assert body["advice"]["recommended"] == "contract"
    assert body["values"]["bill"] == "140"
    assert body["prefill"]["sources"]["bill"] == "Midpoint of the hourly bill band."
    assert len(body["advice"]["options"]) == 6
    response = api.get(path, duration_months="permanent", criticality="production_sla")
    assert response.json()["advice"]["recommended"] == "direct_hire"
    assert sorted(response.json()["overridden"]) == ["criticality", "duration_months"]
    bad = api.get(path, duration_months="0", regulatory="extreme")
    assert bad.status_code == 422
    assert len(bad.json()["errors"]) == 2


def test_api_requisition_advice_is_scoped(tenant_a, tenant_b):
    api = api_as(tenant_a.hiring_manager)
    assert api.get(f"/api/requisitions/{tenant_a.requisition.pk}/advice").status_code == 403
    assert api.get(f"/api/requisitions/{tenant_b.requisition.pk}/advice").status_code == 404
    assert ApiClient(None).get(f"/api/requisitions/{tenant_a.requisition.pk}/advice").status_code == 401


def test_api_raw_advice(recruiter):
    api = api_as(recruiter)
    response = api.post(
        "/api/advice",
        {"duration_months": None, "criticality": "standard", "regulatory": "medium", "executive": True,
         "salary": "320000", "bonus": 80000, "state": "NY"},
    )  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["recommended"] == "retained_executive_search"
    retained = body["options"][0]
    assert retained["time_to_start_days"]["min"] == 60 and retained["time_to_start_days"]["max"] == 120
    assert body["burden_rates"]["state"] == "NY"
    assert body["versions"]["advisor"] == body["version"]
    risky = api.post("/api/advice", {"duration_months": 6, "classification_risk": "high", "vehicle": "1099"})
    assert risky.json()["vehicle"]["recommended"] == "w2" and risky.json()["vehicle"]["steered"] is True


def test_api_raw_advice_errors(recruiter):
    api = api_as(recruiter)
    bad = api.post("/api/advice", {"duration_months": 6, "criticality": "urgent", "pay": "-4"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        "criticality: 'urgent' is not one of low, standard, production_sla",
        "pay: must not be negative (got -4)",
    ]
    assert api.post("/api/advice", {"duration_months": 6, "colour": "red"}).status_code == 422
    assert api.post("/api/advice", {"criticality": "low"}).status_code == 422  # duration is required
