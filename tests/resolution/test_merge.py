"""Merging moves every kind of row and keeps them all; unmerge restores the exact prior state."""

from __future__ import annotations

import pytest
from tests.resolution.helpers import rich_person, snapshot

from cadre.core.exceptions import Conflict, Forbidden
from cadre.core.models import AuditLog
from cadre.people.models import Person
from cadre.pipeline.models import Activity, Application
from cadre.resolution.merging import merge_people, person_relations, unmerge
from cadre.resolution.models import MatchCandidate

pytestmark = pytest.mark.django_db


def _owned(person: Person) -> dict[str, int]:
    return {
        m._meta.label_lower: m._default_manager.filter(**{f.attname: person.pk}).count()
        for m, f in person_relations()
    }


def test_relations_cover_every_kind_of_row():
    labels = {m._meta.label_lower for m, _ in person_relations()}
    assert {
        "people.identity",
        "people.sourcerecord",
        "people.skillevidence",
        "people.fact",
        "people.attachment",
        "pipeline.activity",
        "pipeline.application",
    } <= labels


def test_merge_moves_everything_and_unmerge_restores_exactly(recruiter, tenant_a):
    a = rich_person(recruiter, name="Mei Chen", email="mei@a.org", requisitions=[tenant_a.requisition])
    b = rich_person(recruiter, name="M. Chen", email="mei@b.org")
    Person.objects.filter(pk=b.pk).update(location="Berlin")  # fills the survivor's blank location
    before = snapshot()
    owned_a, owned_b = _owned(a), _owned(b)
    record = merge_people(recruiter, survivor_id=a.pk, merged_id=b.pk)
    after_merge = _owned(a)
    for label, n in owned_b.items():
        assert after_merge[label] == owned_a[label] + n, label
    assert all(n == 0 for n in _owned(b).values())
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.merged_into_id == a.pk and a.location == "Berlin" and record.kept_back == {}
    assert sum(len(ids) for f in record.moved.values() for ids in f.values()) == sum(owned_b.values())
    assert AuditLog.objects.filter(action="merge", object_type="people.person", object_id=str(b.pk)).exists()
    assert Person.objects.count() == 3  # nothing deleted (tenant's person + two)

    unmerge(recruiter, record.pk)
    assert snapshot() == before
    record.refresh_from_db()
    assert record.unmerged_at is not None
    cand = MatchCandidate.objects.get(left=a, right=b)
    assert cand.status == MatchCandidate.Status.REJECTED  # runs will not merge them again
    with pytest.raises(Conflict):
        unmerge(recruiter, record.pk)


def test_both_applied_to_one_requisition(recruiter, tenant_a, tenant_b):
    """Application is unique per (person, requisition). An automatic merge refuses; a reviewer's
    merge keeps the merged person's application (and its activities) on the merged person."""
    a = rich_person(recruiter, name="Ola Berg", email="ola@a.org", requisitions=[tenant_a.requisition])
    b = rich_person(
        recruiter,
        name="Ola Berg",
        email="ola@b.org",
        requisitions=[tenant_a.requisition, tenant_b.requisition],
    )
    with pytest.raises(Conflict, match="pipeline.application"):
        merge_people(None, survivor_id=a.pk, merged_id=b.pk, automatic=True)
    assert Person.objects.get(pk=b.pk).merged_into_id is None
    before = snapshot()
    record = merge_people(recruiter, survivor_id=a.pk, merged_id=b.pk)
    clash = Application.objects.get(person=b, requisition=tenant_a.requisition)
    assert record.kept_back["pipeline.application"] == {"person": [clash.pk]}
    assert record.kept_back["pipeline.activity"] == {
        "person": list(Activity.objects.filter(application=clash).order_by("pk").values_list("pk", flat=True))
    }
    assert Application.objects.get(requisition=tenant_b.requisition, person__in=[a, b]).person_id == a.pk
    assert Activity.objects.filter(application=clash, person=b).exists()
    unmerge(recruiter, record.pk)
    assert snapshot() == before


def test_merge_rules(recruiter, tenant_a, tenant_b, compliance_officer):
    a, b, c = tenant_a.person, tenant_b.person, rich_person(recruiter, name="X Y", email="x@y.org")
    with pytest.raises(Forbidden):
        merge_people(tenant_a.hiring_manager, survivor_id=a.pk, merged_id=b.pk)
    with pytest.raises(Forbidden):
        merge_people(compliance_officer, survivor_id=a.pk, merged_id=b.pk)
    first = merge_people(recruiter, survivor_id=a.pk, merged_id=b.pk)
    with pytest.raises(Conflict, match="already merged"):
        merge_people(recruiter, survivor_id=c.pk, merged_id=b.pk)
    later = merge_people(recruiter, survivor_id=c.pk, merged_id=a.pk)
    with pytest.raises(Conflict, match=f"undo merge {later.pk} first"):
        unmerge(recruiter, first.pk)
    unmerge(recruiter, later.pk)
    unmerge(recruiter, first.pk)
    assert not Person.objects.filter(merged_into__isnull=False).exists()
