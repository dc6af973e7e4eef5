"""Retention: old decision records and audit rows go, never before the 4-year floor; dry runs change
nothing; inactive people are erased by the system; the `cadre retention` command."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.compliance.models import RetentionPolicy
from cadre.compliance.retention import effective_keep_days, inactive_people, run_retention
from cadre.core.models import AuditLog, DecisionRecord
from cadre.people.models import Person
from cadre.people.services import create_person

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


def _decision(days_old: int) -> DecisionRecord:
    record = DecisionRecord.objects.create(
        kind="match_ranking",
        version="v1",
        subject_type="requisitions.requisition",
        subject_id="1",
        inputs_digest="0" * 64,
        explanation={"rank": 1},
    )
    DecisionRecord.objects.filter(pk=record.pk).update(at=NOW - dt.timedelta(days=days_old))
    return record


def _age_person(person: Person, days_old: int) -> None:
    """Backdate the person and everything that counts as activity."""
    then = NOW - dt.timedelta(days=days_old)
    Person.objects.filter(pk=person.pk).update(created_at=then, updated_at=then)
    person.source_records.update(fetched_at=then, created_at=then)
    person.activities.update(at=then)
    person.applications.update(created_at=then, updated_at=then, stage_changed_at=then)


def test_policies_from_the_migration():
    policies = {p.record: p for p in RetentionPolicy.objects.all()}
    assert (policies["decision_records"].keep_days, policies["decision_records"].minimum_days) == (1826, 1461)
    assert "California" in policies["decision_records"].citation
    assert policies["audit_log"].keep_days == 2555 and policies["inactive_people"].keep_days == 1095


def test_old_decision_records_go_and_young_ones_stay():
    old, young = _decision(1900), _decision(1500)
    result = run_retention(now=NOW)
    out = result["policies"]["decision_records"]
    assert out["deleted"] == 1 and out["keep_days"] == 1826
    assert not DecisionRecord.objects.filter(pk=old.pk).exists()
    assert DecisionRecord.objects.filter(pk=young.pk).exists()
    policy = RetentionPolicy.objects.get(record="decision_records")
    assert policy.last_run_at == NOW and policy.last_run_result["deleted"] == 1
    assert AuditLog.objects.filter(
        object_type="compliance.retentionpolicy", object_id=str(policy.pk)
    ).exists()


def test_database_refuses_keep_days_below_minimum():
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionPolicy.objects.filter(record="decision_records").update(keep_days=30)


def test_four_year_floor_holds_even_if_the_policy_row_is_lowered():
    # Lower both numbers together, which the database constraint allows: the code's floor still holds.
    RetentionPolicy.objects.filter(record="decision_records").update(keep_days=30, minimum_days=0)
    policy = RetentionPolicy.objects.get(record="decision_records")
    assert effective_keep_days(policy) == 1461
    two_years, five_years = _decision(730), _decision(1500)
    out = run_retention(now=NOW)["policies"]["decision_records"]
    assert out["keep_days"] == 1461 and out["deleted"] == 1
    assert DecisionRecord.objects.filter(pk=two_years.pk).exists()
    assert not DecisionRecord.objects.filter(pk=five_years.pk).exists()


def test_old_audit_rows_go(recruiter):
    person = create_person(recruiter, full_name="Audit Subject")
    old = AuditLog.objects.filter(object_type="people.person", object_id=str(person.pk)).get()
    AuditLog.objects.filter(pk=old.pk).update(at=NOW - dt.timedelta(days=2600))
    out = run_retention(now=NOW)["policies"]["audit_log"]
    assert out["deleted"] == 1 and not AuditLog.objects.filter(pk=old.pk).exists()


def test_dry_run_changes_nothing(recruiter, tenant_a):
    _decision(1900)
    _age_person(tenant_a.person, 1200)
    before = (
        DecisionRecord.objects.count(),
        AuditLog.objects.count(),
        Person.objects.get(pk=tenant_a.person.pk).full_name,
    )
    result = run_retention(now=NOW, dry_run=True)
    assert result["dry_run"] is True
    assert result["policies"]["decision_records"]["matched"] == 1
    assert result["policies"]["decision_records"]["deleted"] == 0
    assert result["policies"]["inactive_people"]["matched"] == 1
    assert result["policies"]["inactive_people"]["erased"] == 0
    after = (
        DecisionRecord.objects.count(),
        AuditLog.objects.count(),
        Person.objects.get(pk=tenant_a.person.pk).full_name,
    )
    assert after == before
    assert not RetentionPolicy.objects.filter(last_run_at__isnull=False).exists()


def test_inactive_person_is_erased_by_the_system(recruiter, tenant_a, tenant_b):
    idle, busy = tenant_a.person, tenant_b.person
    _age_person(idle, 1200)
    _age_person(busy, 1200)
    busy.activities.update(at=NOW - dt.timedelta(days=10))  # a recent note keeps Ben
    assert list(inactive_people(NOW - dt.timedelta(days=1095))) == [idle]
    out = run_retention(now=NOW)["policies"]["inactive_people"]
    assert out["erased"] == 1 and out["errors"] == []
    idle.refresh_from_db()
    busy.refresh_from_db()
    assert idle.full_name == f"Erased person #{idle.pk}" and busy.full_name == "Ben Okafor"
    entry = AuditLog.objects.filter(
        object_type="people.person", object_id=str(idle.pk), action="delete"
    ).get()
    assert entry.actor is None and entry.after["reason"] == "retention policy"
    # Erased people are never picked again, however long they stay idle.
    later = NOW + dt.timedelta(days=3000)
    assert list(inactive_people(later - dt.timedelta(days=1095))) == [busy]


def test_command_dry_run_json_and_text():
    _decision(1900)
    out = StringIO()
    call_command("retention", "run", "--dry-run", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["dry_run"] is True and result["policies"]["decision_records"]["matched"] == 1
    assert DecisionRecord.objects.count() == 1
    text = StringIO()
    call_command("retention", "run", stdout=text)
    assert "decision_records" in text.getvalue() and "deleted 1" in text.getvalue()
    assert DecisionRecord.objects.count() == 0
    assert RetentionPolicy.objects.get(record="decision_records").last_run_at <= timezone.now()
