"""Voluntary self-identification: who may read and record it, validation, the audit log never holding the
values, CSV import, and matching never reading the table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.compliance import demographics
from cadre.compliance.models import SelfIdentification
from cadre.core.exceptions import Forbidden, ValidationFailed
from cadre.core.models import AuditLog, User
from cadre.core.roles import Role
from cadre.people.models import Person

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "cadre"


def _audit_rows() -> list[AuditLog]:
    return list(AuditLog.objects.filter(object_type="compliance.selfidentification").order_by("id"))


def test_who_may_read(recruiter, compliance_officer, admin_user, tenant_a, make_user):
    assert demographics.can_read_demographics(compliance_officer)
    assert demographics.can_read_demographics(admin_user)
    assert not demographics.can_read_demographics(recruiter)
    assert not demographics.can_read_demographics(tenant_a.hiring_manager)
    assert not demographics.can_read_demographics(None)
    disabled = make_user("gone", Role.COMPLIANCE_OFFICER, is_active=False)
    assert not demographics.can_read_demographics(disabled)
    # The permission on its own grants reading (not recording).
    granted = make_user("auditor", Role.RECRUITER)
    granted.user_permissions.add(Permission.objects.get(codename="view_demographics"))
    granted = User.objects.get(pk=granted.pk)  # fresh permission cache
    assert demographics.can_read_demographics(granted)
    assert not demographics.can_record_demographics(granted)


def test_recruiters_and_hiring_managers_may_neither_record_nor_read(recruiter, tenant_a):
    person = tenant_a.person
    for user in (recruiter, tenant_a.hiring_manager):
        with pytest.raises(Forbidden):
            demographics.record_self_identification(
                user, person, sex="Female", race_ethnicity="Asian", collected_via="form", form_version="v1"
            )
        with pytest.raises(Forbidden):
            demographics.demographics_for(user, [person.pk])
        with pytest.raises(Forbidden):
            demographics.categories_for(user, [person.pk])
    assert not SelfIdentification.objects.exists()


def test_compliance_officer_records_and_reads(compliance_officer, admin_user, tenant_a):
    person = tenant_a.person
    saved = demographics.record_self_identification(
        compliance_officer,
        person,
        sex="Female",
        race_ethnicity="Hispanic or Latino",
        collected_via="form",
        form_version="eeo-2026",
    )
    assert saved.recorded_by == compliance_officer
    data = demographics.demographics_for(admin_user, [person.pk, 999_999])
    assert set(data) == {person.pk}
    assert data[person.pk]["sex"] == "Female"
    assert data[person.pk]["race_ethnicity"] == "Hispanic or Latino"
    assert data[person.pk]["form_version"] == "eeo-2026"
    # Upsert: a second answer replaces the first, one row per person.
    demographics.record_self_identification(
        admin_user, person, sex="", race_ethnicity="Asian", collected_via="survey", form_version="eeo-2026"
    )
    assert SelfIdentification.objects.count() == 1
    assert demographics.categories_for(compliance_officer, [person.pk]) == {person.pk: ("", "Asian")}


def test_audit_log_says_recorded_or_changed_never_the_values(compliance_officer, tenant_a):
    person = tenant_a.person
    demographics.record_self_identification(
        compliance_officer, person, sex="Female", race_ethnicity="Black or African American"
    )
    demographics.record_self_identification(
        compliance_officer, person, sex="Male", race_ethnicity="Black or African American"
    )
    rows = _audit_rows()
    assert [r.action for r in rows] == ["create", "update"]
    for row in rows:
        text = json.dumps([row.before, row.after, row.object_repr]).lower()
        for value in ("female", "male", "black", "african"):
            assert value not in text, (value, text)
    assert rows[0].after["sex"] == "recorded"
    assert rows[0].after["race_ethnicity"] == "recorded"
    assert rows[1].after["sex"] == "changed"
    assert rows[1].after["race_ethnicity"] == "unchanged"
    assert rows[0].actor == compliance_officer


def test_invalid_category_is_refused_and_nothing_is_saved(compliance_officer, tenant_a):
    with pytest.raises(ValidationFailed) as exc:
        demographics.record_self_identification(
            compliance_officer, tenant_a.person, sex="Other", race_ethnicity="White"
        )
    assert exc.value.field == "sex"
    with pytest.raises(ValidationFailed) as exc:
        demographics.record_self_identification(
            compliance_officer, tenant_a.person, sex="Male", race_ethnicity="Martian"
        )
    assert exc.value.field == "race_ethnicity"
    assert not SelfIdentification.objects.exists()
    assert not _audit_rows()


def test_blank_is_declined_and_eeo1_spellings_are_accepted(compliance_officer, tenant_a):
    demographics.record_self_identification(
        compliance_officer, tenant_a.person, sex=None, race_ethnicity="white (not hispanic or latino)"
    )
    row = SelfIdentification.objects.get()
    assert (row.sex, row.race_ethnicity) == ("", "White")
    demographics.record_self_identification(
        compliance_officer, tenant_a.person, sex=" female ", race_ethnicity="American Indian or Alaska Native"
    )
    row.refresh_from_db()
    assert (row.sex, row.race_ethnicity) == ("Female", "Native American or Alaska Native")


def test_csv_import_saves_every_row(compliance_officer, tenant_a, tenant_b):
    a, b = tenant_a.person, tenant_b.person
    demographics.record_self_identification(compliance_officer, b, sex="Male", race_ethnicity="")
    text = f"person_id,sex,race_ethnicity\n{a.pk},Female,Asian\n\n{b.pk},,Two or More Races\n"
    result = demographics.import_self_identification(compliance_officer, text)
    assert result.ok
    assert (result.rows, result.created, result.updated) == (2, 1, 1)
    assert demographics.categories_for(compliance_officer, [a.pk, b.pk]) == {
        a.pk: ("Female", "Asian"),
        b.pk: ("", "Two or More Races"),
    }
    assert SelfIdentification.objects.get(person=a).collected_via == "import"


def test_csv_import_with_a_bad_row_reports_it_and_saves_nothing(compliance_officer, tenant_a, tenant_b):
    a, b = tenant_a.person, tenant_b.person
    text = (
        "person_id,sex,race_ethnicity\n"
        f"{a.pk},Female,Asian\n"
        f"{b.pk},Unsure,White\n"  # line 3: bad sex
        "999999,Male,White\n"  # line 4: no such person
        f"{a.pk},Male,White\n"  # line 5: duplicate of line 2
    )
    result = demographics.import_self_identification(compliance_officer, text)
    assert not result.ok
    assert [e["row"] for e in result.errors] == [3, 4, 5]
    assert "'Unsure'" in result.errors[0]["errors"][0]
    assert "not found" in result.errors[1]["errors"][0]
    assert "line 2" in result.errors[2]["errors"][0]
    assert not SelfIdentification.objects.exists()
    assert not _audit_rows()


def test_csv_import_needs_the_columns_and_the_role(compliance_officer, recruiter):
    with pytest.raises(ValidationFailed, match="race_ethnicity"):
        demographics.import_self_identification(compliance_officer, "person_id,sex\n1,Male\n")
    with pytest.raises(Forbidden):
        demographics.import_self_identification(recruiter, "person_id,sex,race_ethnicity\n")


def test_matching_index_build_never_reads_self_identification(compliance_officer, tenant_a, tenant_b):
    from cadre.matching.loader import build_index

    demographics.record_self_identification(
        compliance_officer, tenant_a.person, sex="Female", race_ethnicity=""
    )
    assert Person.objects.count() >= 2
    with CaptureQueriesContext(connection) as ctx:
        build_index()
    assert ctx.captured_queries
    assert not [q for q in ctx.captured_queries if "compliance_selfidentification" in q["sql"].lower()]


def test_matching_and_screening_code_never_mention_self_identification():
    """Nothing outside compliance reads the table (a static check on top of the query capture)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if "compliance" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "SelfIdentification" in text or "self_identification" in text:
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []
