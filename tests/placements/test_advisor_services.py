"""The advisor's database side: inputs prefilled from a requisition and its profile, the classification
risk read through Compliance (scoped, role-checked), overrides, the firm's burden settings, and recording
an advice as a DecisionRecord (editors only, deduplicated, nothing written on a read)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from tests.compliance.test_classification import CLEAR_CONTRACTOR, EMBEDDED_DATA_SCIENTIST

from cadre.compliance.classification_services import run_classification
from cadre.core.exceptions import Forbidden
from cadre.core.models import AuditLog, DecisionRecord
from cadre.people.services import create_person
from cadre.pipeline.services import create_application
from cadre.placements.advisor import ADVISOR_VERSION, CONTRACT, DIRECT_HIRE, RETAINED
from cadre.placements.advisor_services import (
    DECISION_KIND,
    AdviceInputsInvalid,
    advise_inputs,
    advise_requisition,
    burden_year,
    classification_risk_for,
    latest_recorded_advice,
    prefill_from_requisition,
    record_advice,
)
from cadre.placements.burden_settings import save_setting
from cadre.requisitions.models import JobProfile

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


def _profile(requisition, **fields) -> JobProfile:
    return JobProfile.objects.create(requisition=requisition, **fields)


# -- prefill --------------------------------------------------------------------------------------------


def test_prefill_from_the_job_order_band_midpoints(recruiter, tenant_a):
    prefill = prefill_from_requisition(recruiter, tenant_a.requisition, today=TODAY)
    v = prefill.values
    # Pay band 80-110 and bill band 120-160 per hour: midpoints 95 and 140; salary estimated at 95 × 2,080.
    assert (v["pay"], v["bill"], v["salary"]) == ("95", "140", "197600")
    assert "salary" in prefill.estimated and "2,080" in prefill.sources["salary"]
    # A contract with no duration on the job order: 12 months assumed (and flagged).
    assert v["duration_months"] == "12" and "duration_months" in prefill.estimated
    assert (v["executive"], v["criticality"], v["regulatory"], v["urgency"]) == (
        "no",
        "standard",
        "low",
        "normal",
    )
    assert v["preference"] == "contract"
    assert v["classification_risk"] == "unknown"
    assert "No worker classification" in prefill.sources["classification_risk"]
    assert v["year"] == "2026"
    assert "state" not in v  # no US state in the location


def test_prefill_reads_profile_hints_location_and_start_date(recruiter, tenant_a):
    requisition = tenant_a.requisition
    requisition.location = "San Jose, CA"
    requisition.duration_months = 6
    requisition.start_date = TODAY + dt.timedelta(days=10)
    requisition.save()
    _profile(
        requisition,
        criticality=["production_system", "customer_facing"],
        regulatory_exposure=["health_hipaa", "eu_ai_act_gdpr"],
        review_reasons=["llm_deployment", "model_training"],
        engagement_hint="contract",
    )
    prefill = prefill_from_requisition(recruiter, requisition, today=TODAY)
    v, s = prefill.values, prefill.sources
    assert v["duration_months"] == "6" and "job order says 6 months" in s["duration_months"]
    assert v["criticality"] == "production_sla" and "a production system" in s["criticality"]
    assert v["regulatory"] == "high" and "HIPAA" in s["regulatory"]
    assert v["ip_sensitivity"] == "medium"
    assert v["urgency"] == "high" and "within 21 days" in s["urgency"]
    assert v["state"] == "CA"


def test_executive_permanent_requisition_on_an_annual_band(recruiter, tenant_a):
    requisition = tenant_a.requisition
    requisition.seniority = "executive"
    requisition.engagement_type = "direct_hire"
    requisition.rate_unit = "year"
    requisition.pay_min, requisition.pay_max = Decimal(300000), Decimal(400000)
    requisition.bill_min = requisition.bill_max = None
    requisition.save()
    _profile(requisition, engagement_hint="retained_search", seniority="executive")
    result = advise_requisition(recruiter, requisition)
    assert result.values["duration_months"] == "permanent"
    assert result.values["executive"] == "yes"
    assert result.values["salary"] == "350000" and "pay" not in result.values
    assert result.advice.recommended == RETAINED
    assert result.advice.option(RETAINED).time_to_start_days == (60, 120)
    assert any("annual" in n for n in result.prefill.notes)


# -- classification risk through Compliance -------------------------------------------------------------


def test_classification_risk_is_the_highest_of_the_latest_assessments(recruiter, tenant_a):
    requisition = tenant_a.requisition
    assert classification_risk_for(recruiter, requisition).risk == "unknown"
    low, _ = run_classification(recruiter, CLEAR_CONTRACTOR, requisition=requisition, as_of=TODAY)
    assert low["risk"]["level"] == "low"
    assert classification_risk_for(recruiter, requisition).risk == "low"
    embedded, assessment = run_classification(
        recruiter, EMBEDDED_DATA_SCIENTIST, application=tenant_a.application, as_of=TODAY
    )
    assert embedded["risk"]["level"] in ("high", "very high")
    found = classification_risk_for(recruiter, requisition)
    assert found.risk == "high" and found.level == embedded["risk"]["level"]
    assert found.assessment is not None and found.assessment.pk == assessment.pk
    assert found.considered == 2
    assert f"Classification #{assessment.pk}" in found.source and "application" in found.source
    # A newer low-risk assessment of the same application replaces its earlier one.
    run_classification(recruiter, CLEAR_CONTRACTOR, application=tenant_a.application, as_of=TODAY)
    assert classification_risk_for(recruiter, requisition).risk == "low"


def test_other_requisitions_assessments_do_not_count(recruiter, tenant_a, tenant_b):
    run_classification(recruiter, EMBEDDED_DATA_SCIENTIST, application=tenant_b.application, as_of=TODAY)
    assert classification_risk_for(recruiter, tenant_a.requisition).risk == "unknown"


def test_hiring_managers_do_not_read_classifications(recruiter, tenant_a, compliance_officer):
    run_classification(recruiter, EMBEDDED_DATA_SCIENTIST, application=tenant_a.application, as_of=TODAY)
    found = classification_risk_for(tenant_a.hiring_manager, tenant_a.requisition)
    assert found.risk == "unknown" and found.assessment is None
    assert "not shown to your role" in found.source
    # Compliance officers do.
    assert classification_risk_for(compliance_officer, tenant_a.requisition).risk == "high"


def test_high_classification_risk_steers_the_requisitions_contract_to_w2(recruiter, tenant_a):
    run_classification(recruiter, EMBEDDED_DATA_SCIENTIST, application=tenant_a.application, as_of=TODAY)
    result = advise_requisition(recruiter, tenant_a.requisition, {"vehicle": "1099", "duration_months": "6"})
    assert result.advice.recommended == CONTRACT
    assert result.advice.vehicle.recommended == "w2"
    assert any("W-2 through the agency" in w for w in result.advice.warnings)


# -- overrides ------------------------------------------------------------------------------------------


def test_overrides_replace_the_prefill_and_are_listed(recruiter, tenant_a):
    result = advise_requisition(
        recruiter,
        tenant_a.requisition,
        {"duration_months": "permanent", "criticality": "production_sla", "bill": "140", "colour": "red"},
    )
    assert result.advice.recommended == DIRECT_HIRE
    assert set(result.overridden) == {"duration_months", "criticality"}  # bill is unchanged; colour ignored
    assert result.values["criticality"] == "production_sla"
    assert result.as_dict()["advice"]["recommended"] == DIRECT_HIRE


def test_invalid_overrides_list_every_problem(recruiter, tenant_a):
    with pytest.raises(AdviceInputsInvalid) as info:
        advise_requisition(recruiter, tenant_a.requisition, {"duration_months": "0", "pay": "-3"})
    assert info.value.status_code == 422
    assert len(info.value.errors) == 2
    assert "duration_months: 0 is out of range" in info.value.message


def test_firm_burden_settings_are_applied(recruiter, tenant_a):
    overrides = {"state": "CA", "year": "2026"}
    before = advise_requisition(recruiter, tenant_a.requisition, overrides).advice
    save_setting(recruiter, year=2026, state="CA", suta_rate="5")
    after = advise_requisition(recruiter, tenant_a.requisition, overrides).advice
    assert after.rates is not None and after.rates.suta_rate == Decimal("0.05")
    assert after.inputs_digest != before.inputs_digest
    assert after.option(DIRECT_HIRE).cost.total > before.option(DIRECT_HIRE).cost.total


def test_raw_inputs_fill_the_burden_year(recruiter):
    advice = advise_inputs(recruiter, {"duration_months": 6, "bill": "120", "state": "TX"})
    assert advice.inputs.year == burden_year()
    with pytest.raises(AdviceInputsInvalid, match="criticality"):
        advise_inputs(recruiter, {"duration_months": 6, "criticality": "urgent"})
    with pytest.raises(Forbidden):
        advise_inputs(None, {"duration_months": 6})


def test_burden_year_falls_back_to_shipped_tables():
    assert burden_year(dt.date(2026, 3, 1)) == 2026
    assert burden_year(dt.date(2031, 3, 1)) == 2026
    assert burden_year(dt.date(2019, 3, 1)) == 2025


# -- recording ------------------------------------------------------------------------------------------


def test_reads_write_nothing(recruiter, tenant_a):
    decisions, audits = DecisionRecord.objects.count(), AuditLog.objects.count()
    advise_requisition(recruiter, tenant_a.requisition)
    advise_requisition(recruiter, tenant_a.requisition, {"urgency": "high"})
    assert (DecisionRecord.objects.count(), AuditLog.objects.count()) == (decisions, audits)


def test_hiring_managers_get_no_advice_it_prices_the_agencys_margin(tenant_a):
    with pytest.raises(Forbidden):
        advise_requisition(tenant_a.hiring_manager, tenant_a.requisition)


def test_record_advice_keeps_a_reproducible_decision_record(recruiter, tenant_a):
    requisition = tenant_a.requisition
    record, created = record_advice(recruiter, requisition, {"urgency": "high"})
    assert created
    assert record.kind == DECISION_KIND and record.version == ADVISOR_VERSION
    assert (record.subject_type, record.subject_id) == ("requisitions.requisition", str(requisition.pk))
    assert record.person_id is None and record.actor == recruiter
    shown = advise_requisition(recruiter, requisition, {"urgency": "high"}).advice
    assert record.inputs_digest == shown.inputs_digest
    assert record.explanation["recommended"] == shown.recommended
    assert [r["model"] for r in record.explanation["ranking"]] == shown.ranking
    assert record.explanation["overridden"] == ["urgency"]
    # The same advice again keeps one record; different inputs make a new one.
    again, created_again = record_advice(recruiter, requisition, {"urgency": "high"})
    assert (again.pk, created_again) == (record.pk, False)
    other, created_other = record_advice(recruiter, requisition)
    assert created_other and other.pk != record.pk
    assert latest_recorded_advice(recruiter, requisition).pk == other.pk


def test_only_editors_record_advice(recruiter, tenant_a, compliance_officer):
    for user in (tenant_a.hiring_manager, compliance_officer):
        with pytest.raises(Forbidden):
            record_advice(user, tenant_a.requisition)
    assert not DecisionRecord.objects.filter(kind=DECISION_KIND).exists()


def test_more_applications_more_assessments(recruiter, tenant_a):
    other = create_person(recruiter, full_name="Cy Ode", identities=[("email", "cy@example.org")])
    application = create_application(recruiter, person=other, requisition=tenant_a.requisition)
    run_classification(recruiter, CLEAR_CONTRACTOR, application=tenant_a.application, as_of=TODAY)
    run_classification(recruiter, EMBEDDED_DATA_SCIENTIST, application=application, as_of=TODAY)
    found = classification_risk_for(recruiter, tenant_a.requisition)
    assert found.risk == "high" and found.considered == 2
    assert found.assessment is not None and found.assessment.application_id == application.pk
