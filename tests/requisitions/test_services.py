import pytest

from cadre.core.exceptions import Conflict, Forbidden, ValidationFailed
from cadre.requisitions.models import Requisition
from cadre.requisitions.services import create_requisition, update_requisition
from cadre.taxonomy.models import Skill


def test_two_recruiters_editing_one_requisition_do_not_lose_an_update(tenant_a, make_user):
    first, second = make_user("r1"), make_user("r2")
    # Both open the edit form: each holds its own copy at version 1.
    copy_one = Requisition.objects.get(pk=tenant_a.requisition.pk)
    copy_two = Requisition.objects.get(pk=tenant_a.requisition.pk)
    update_requisition(first, copy_one, expected_version=copy_one.version, openings=3)
    with pytest.raises(Conflict):
        update_requisition(second, copy_two, expected_version=copy_two.version, location="Austin, TX")
    saved = Requisition.objects.get(pk=tenant_a.requisition.pk)
    assert (saved.openings, saved.location, saved.version) == (3, "", 2)


def test_pay_band_must_be_ordered(tenant_a, recruiter):
    with pytest.raises(ValidationFailed, match="pay band"):
        create_requisition(
            recruiter, client=tenant_a.client, title="Data scientist", pay_min="90", pay_max="60"
        )


def test_skills_are_replaced_and_versioned(tenant_a, recruiter):
    jax = Skill.objects.get(slug="jax")
    updated = update_requisition(recruiter, tenant_a.requisition, expected_version=1, skills=[(jax, "must")])
    assert [r.skill.slug for r in updated.skill_requirements.all()] == ["jax"]
    assert updated.version == 2


def test_hiring_manager_cannot_create(tenant_a):
    with pytest.raises(Forbidden):
        create_requisition(tenant_a.hiring_manager, client=tenant_a.client, title="x")


def test_a_skill_listed_twice_is_a_validation_error(tenant_a, recruiter):
    pytorch = Skill.objects.get(slug="pytorch")
    with pytest.raises(ValidationFailed, match="more than once"):
        update_requisition(
            recruiter, tenant_a.requisition, expected_version=1, skills=[(pytorch, "must"), (pytorch, "nice")]
        )
    assert [r.skill.slug for r in tenant_a.requisition.skill_requirements.all()] == ["pytorch", "kubernetes"]
