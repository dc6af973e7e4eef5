"""Saving job profiles, the technical-review gate before sourcing, and what a profile hands downstream."""

import pytest
from tests.requisitions.test_profiling import ISSUE_EXAMPLE

from cadre.clients.models import Contact
from cadre.core.exceptions import Conflict, Forbidden, ValidationFailed
from cadre.core.models import AuditLog
from cadre.people.services import create_person
from cadre.pipeline.services import create_application
from cadre.requisitions.profile_api import draft_fields, draft_skills
from cadre.requisitions.selectors import (
    draft_profile_from_text,
    get_requisition,
    ready_for_sourcing,
    screening_competencies,
    sourcing_query,
)
from cadre.requisitions.services import request_profile_review, review_profile, save_profile, start_sourcing


def _save(recruiter, requisition, text=ISSUE_EXAMPLE, **extra):
    draft = draft_profile_from_text(text)
    return save_profile(
        recruiter, requisition, skills=draft_skills(draft), **{**draft_fields(draft), **extra}
    )


def test_saved_profile_mirrors_onto_the_requisition(recruiter, tenant_a):
    profile = _save(recruiter, tenant_a.requisition)
    requisition = get_requisition(recruiter, tenant_a.requisition.pk)
    assert requisition.role_family.slug == "genai-engineer"
    assert requisition.duration_months == 6
    wanted = {(r.skill.slug, r.importance) for r in requisition.skill_requirements.all()}
    assert {("pytorch", "must"), ("kubernetes", "must"), ("langchain", "nice")} <= wanted
    assert profile.review_required and profile.platform.slug == "aws-bedrock"
    assert AuditLog.objects.filter(object_type="requisitions.jobprofile", object_id=str(profile.pk)).exists()


def test_cannot_source_before_approval_and_reviews_are_recorded_and_audited(recruiter, tenant_a, make_user):
    lead = make_user("tess")  # an internal technical lead
    _save(recruiter, tenant_a.requisition)
    requisition = get_requisition(recruiter, tenant_a.requisition.pk)
    assert not ready_for_sourcing(requisition)
    with pytest.raises(Conflict):
        start_sourcing(recruiter, requisition)
    person = create_person(recruiter, full_name="Cora Lin", identities=[("email", "cora@example.org")])
    with pytest.raises(Conflict, match="approval"):
        create_application(recruiter, person=person, requisition=requisition)

    with pytest.raises(ValidationFailed):
        request_profile_review(recruiter, requisition)  # nobody named
    request_profile_review(recruiter, requisition, technical_lead_user=lead)
    with pytest.raises(Forbidden):
        review_profile(recruiter, requisition, decision="approved")  # not the named lead
    with pytest.raises(ValidationFailed):
        review_profile(lead, requisition, decision="changes_requested", comment="")
    review_profile(lead, requisition, decision="changes_requested", comment="Add vLLM serving experience")
    assert not ready_for_sourcing(get_requisition(recruiter, requisition.pk))
    review_profile(lead, requisition, decision="approved", comment="Good to go")

    requisition = get_requisition(recruiter, requisition.pk)
    assert ready_for_sourcing(requisition)
    assert start_sourcing(recruiter, requisition).sourcing_started_at is not None
    create_application(recruiter, person=person, requisition=requisition)
    comments = [r.comment for r in requisition.profile.reviews.all()]
    assert comments == ["Good to go", "Add vLLM serving experience"]
    audited = AuditLog.objects.filter(object_type="requisitions.profilereview", actor=lead)
    assert audited.count() == 2


def test_editing_an_approved_profile_needs_a_new_approval(recruiter, tenant_a):
    contact = Contact.objects.create(client=tenant_a.client, name="Dana Okoro", title="CTO")
    _save(recruiter, tenant_a.requisition, technical_lead_contact=contact)
    requisition = get_requisition(recruiter, tenant_a.requisition.pk)
    request_profile_review(recruiter, requisition)
    review = review_profile(recruiter, requisition, decision="approved", comment="per call with Dana")
    assert (review.reviewer_contact, review.recorded_by) == (contact, recruiter)
    assert ready_for_sourcing(get_requisition(recruiter, requisition.pk))
    _save(recruiter, requisition, seniority="senior")
    assert not ready_for_sourcing(get_requisition(recruiter, requisition.pk))


def test_review_cannot_be_switched_off_by_editing(recruiter, tenant_a):
    profile = _save(recruiter, tenant_a.requisition)
    profile = save_profile(recruiter, tenant_a.requisition, source_text=ISSUE_EXAMPLE)
    assert profile.review_required and profile.revision == 2


def test_technical_lead_must_see_the_requisition(recruiter, tenant_a, tenant_b):
    with pytest.raises(ValidationFailed):
        _save(recruiter, tenant_a.requisition, technical_lead_user=tenant_b.hiring_manager)
    other = Contact.objects.create(client=tenant_b.client, name="Elsewhere")
    with pytest.raises(ValidationFailed):
        _save(recruiter, tenant_a.requisition, technical_lead_contact=other)


def test_hiring_manager_cannot_save_profiles(tenant_a):
    with pytest.raises(Forbidden):
        save_profile(tenant_a.hiring_manager, tenant_a.requisition, source_text="x")


def test_requisitions_without_a_profile_or_review_source_freely(recruiter, tenant_a):
    assert ready_for_sourcing(tenant_a.requisition)
    _save(recruiter, tenant_a.requisition, text="Data engineer: Airflow and dbt pipelines on Snowflake")
    assert ready_for_sourcing(get_requisition(recruiter, tenant_a.requisition.pk))


def test_sourcing_query_and_screening_competencies(recruiter, tenant_a):
    _save(recruiter, tenant_a.requisition)
    requisition = get_requisition(recruiter, tenant_a.requisition.pk)
    query = sourcing_query(requisition)
    assert {"pytorch", "kubernetes"} <= set(query["must_skills"])
    assert query["platform"] == "aws-bedrock"
    assert "PyTorch" in query["boolean"] and "AWS Bedrock" in query["summary"]
    competencies = screening_competencies(requisition)
    assert competencies and all(c["name"] for c in competencies)
