"""Worker classification, the database side: who may run it, what a run stores (assessment, decision
record, audit row), invalid answers, scoping of saved assessments, and pre-filling from a requisition."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.compliance.test_classification import EMBEDDED_DATA_SCIENTIST, SAME_PERSON_CA_CORE

from cadre.compliance.classification import ENGINE_VERSION, validate_answers
from cadre.compliance.classification_services import (
    DECISION_KIND,
    AnswersInvalid,
    get_assessment,
    prefill_from_requisition,
    run_classification,
    state_of_location,
)
from cadre.compliance.models import ClassificationAssessment
from cadre.core.exceptions import Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog, DecisionRecord
from cadre.requisitions.models import Requisition

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 26)


def test_run_with_an_application_stores_assessment_decision_record_and_audit(recruiter, tenant_a):
    app = tenant_a.application
    result, assessment = run_classification(recruiter, SAME_PERSON_CA_CORE, application=app, as_of=AS_OF)

    assert result["risk"]["level"] == "high" and result["vehicle"]["recommended"] == "w2_agency"
    assert assessment is not None
    assessment.refresh_from_db()
    assert assessment.application == app
    assert assessment.requisition_id == app.requisition_id  # defaults to the application's
    assert assessment.status == ClassificationAssessment.Status.DRAFT
    assert assessment.engine_version == ENGINE_VERSION
    assert assessment.inputs_digest == result["inputs_digest"]
    assert (assessment.risk_level, assessment.vehicle) == ("high", "w2_agency")
    assert assessment.answers["work_state"] == "CA"
    assert assessment.result == result
    assert assessment.created_by == recruiter

    record = DecisionRecord.objects.get(kind=DECISION_KIND)
    assert record.version == ENGINE_VERSION
    assert (record.subject_type, record.subject_id) == ("pipeline.application", str(app.pk))
    assert record.person_id == app.person_id
    assert record.inputs_digest == result["inputs_digest"]
    assert record.score is None
    assert record.actor == recruiter
    ex = record.explanation
    assert ex["assessment_id"] == assessment.pk
    assert ex["risk"]["level"] == "high" and ex["risk"]["reasons"]
    assert ex["vehicle"]["recommended"] == "w2_agency"
    assert set(ex["leanings"]) == {"flsa_2024", "flsa_core_factors", "irs_common_law", "abc_california"}
    assert ex["leanings"]["abc_california"]["leaning"] == "employee"
    assert set(ex["leanings"]["flsa_2024"]["counts"]) == {"employee", "contractor", "neutral"}

    entry = AuditLog.objects.get(object_type="compliance.classificationassessment")
    assert entry.action == AuditLog.Action.CREATE
    assert entry.object_id == str(assessment.pk)
    assert entry.actor == recruiter
    assert entry.after["risk_level"] == "high" and entry.after["inputs_digest"] == result["inputs_digest"]
    assert entry.after["as_of"] == "2026-11-26"


def test_run_with_a_requisition_only_records_it_as_the_subject(compliance_officer, tenant_a):
    req = tenant_a.requisition
    _result, assessment = run_classification(compliance_officer, EMBEDDED_DATA_SCIENTIST, requisition=req)
    assert assessment is not None and assessment.application is None and assessment.requisition == req
    record = DecisionRecord.objects.get(kind=DECISION_KIND)
    assert (record.subject_type, record.subject_id) == ("requisitions.requisition", str(req.pk))
    assert record.person_id is None


def test_without_a_subject_or_with_save_false_nothing_is_stored(admin_user, tenant_a):
    result, assessment = run_classification(admin_user, EMBEDDED_DATA_SCIENTIST, as_of=AS_OF)
    assert assessment is None and result["as_of"] == "2026-11-26"
    _result, assessment = run_classification(
        admin_user, EMBEDDED_DATA_SCIENTIST, application=tenant_a.application, save=False
    )
    assert assessment is None
    assert not ClassificationAssessment.objects.exists()
    assert not DecisionRecord.objects.filter(kind=DECISION_KIND).exists()


def test_as_of_defaults_to_today(recruiter):
    result, _ = run_classification(recruiter, EMBEDDED_DATA_SCIENTIST)
    assert result["as_of"] == dt.date.today().isoformat()


def test_hiring_managers_may_not_classify(tenant_a):
    with pytest.raises(Forbidden):
        run_classification(tenant_a.hiring_manager, EMBEDDED_DATA_SCIENTIST, application=tenant_a.application)
    assert not ClassificationAssessment.objects.exists()


def test_invalid_answers_list_every_problem_and_store_nothing(recruiter, tenant_a):
    answers = {"work_state": "ZZ", "hours_per_week": "forty", "set_hourz": True}
    expected = validate_answers(answers)
    assert len(expected) >= 4  # bad state, missing duration, bad hours, unknown id
    with pytest.raises(AnswersInvalid) as caught:
        run_classification(recruiter, answers, application=tenant_a.application)
    exc = caught.value
    assert isinstance(exc, ValidationFailed) and exc.status_code == 422
    assert exc.field == "answers"
    assert exc.errors == expected
    for problem in expected:
        assert problem in exc.message
    assert "did you mean 'set_hours'" in exc.message
    assert not ClassificationAssessment.objects.exists()
    assert not AuditLog.objects.filter(object_type="compliance.classificationassessment").exists()


def test_an_application_of_another_requisition_is_rejected(recruiter, tenant_a, tenant_b):
    with pytest.raises(ValidationFailed) as caught:
        run_classification(
            recruiter,
            EMBEDDED_DATA_SCIENTIST,
            application=tenant_a.application,
            requisition=tenant_b.requisition,
        )
    assert caught.value.field == "requisition"


def test_saved_assessments_are_scoped_to_the_hiring_managers_clients(recruiter, tenant_a, tenant_b):
    _r, assessment = run_classification(recruiter, EMBEDDED_DATA_SCIENTIST, application=tenant_a.application)
    assert assessment is not None
    assert get_assessment(recruiter, assessment.pk) == assessment
    with pytest.raises(NotFound):
        get_assessment(tenant_b.hiring_manager, assessment.pk)  # another client's: not even its existence
    with pytest.raises(Forbidden):
        get_assessment(tenant_a.hiring_manager, assessment.pk)  # their client's, but not their role
    with pytest.raises(NotFound):
        get_assessment(recruiter, assessment.pk + 1000)


@pytest.mark.parametrize(
    ("location", "state"),
    [
        ("San Jose, CA", "CA"),
        ("Boston, ma", "MA"),
        ("Newark,NJ ", "NJ"),
        ("Remote", None),
        ("", None),
        ("Toronto, ON", None),
        ("Paris", None),
    ],
)
def test_state_of_location(location, state):
    assert state_of_location(location) == state


def test_prefill_from_a_requisition_in_san_jose(tenant_a):
    Requisition.objects.filter(pk=tenant_a.requisition.pk).update(location="San Jose, CA", duration_months=18)
    tenant_a.requisition.refresh_from_db()
    prefill = prefill_from_requisition(tenant_a.requisition)
    assert prefill == {
        "work_state": "CA",
        "duration_months": 18,
        "hours_per_week": 40,
        "contracting_party": "agency",
    }
    assert validate_answers(prefill) == []  # enough to classify as it stands


def test_prefill_leaves_out_what_the_requisition_does_not_say(tenant_a):
    Requisition.objects.filter(pk=tenant_a.requisition.pk).update(location="Remote", duration_months=None)
    tenant_a.requisition.refresh_from_db()
    assert prefill_from_requisition(tenant_a.requisition) == {
        "hours_per_week": 40,
        "contracting_party": "agency",
    }
    # A non-US requisition never gets a US state, even if the suffix looks like one.
    Requisition.objects.filter(pk=tenant_a.requisition.pk).update(location="Perth, WA", work_country="AU")
    tenant_a.requisition.refresh_from_db()
    assert "work_state" not in prefill_from_requisition(tenant_a.requisition)
