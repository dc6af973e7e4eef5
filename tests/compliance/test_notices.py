"""Candidate notices: business-day arithmetic, jurisdictions, templates by effective date, NYC's 10
business days, recording notices and requests for an alternative process."""

from __future__ import annotations

import datetime as dt

import pytest

from cadre.compliance import notices
from cadre.compliance.models import CandidateNotice, NoticeTemplate
from cadre.compliance.notices import (
    add_business_days,
    business_days_between,
    jurisdictions_for,
    notice_status,
    request_alternative,
    send_notice,
    template_for,
)
from cadre.core.exceptions import Conflict, Forbidden, ValidationFailed
from cadre.core.models import AuditLog
from cadre.people.services import set_work_preferences
from cadre.pipeline.models import Activity

MON = dt.date(2026, 11, 2)  # a Monday


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


# --- business days ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (dt.date(2026, 1, 2), dt.date(2026, 1, 5), 1),  # Friday -> Monday: the weekend does not count
        (MON, MON, 0),
        (MON, MON + dt.timedelta(days=7), 5),
        (MON, dt.date(2026, 11, 16), 10),  # two weekends crossed
        (dt.date(2026, 11, 7), dt.date(2026, 11, 8), 0),  # Saturday -> Sunday
        (dt.date(2026, 11, 6), dt.date(2026, 11, 8), 0),  # Friday -> Sunday
        (dt.date(2026, 11, 7), dt.date(2026, 11, 9), 1),  # Saturday -> Monday
        (dt.date(2026, 11, 16), MON, -10),
        (dt.date(2026, 12, 31), dt.date(2027, 1, 4), 2),  # across the new year (holidays not skipped)
    ],
)
def test_business_days_between(start, end, expected):
    assert business_days_between(start, end) == expected


def test_add_business_days_skips_weekends_and_inverts_the_count():
    assert add_business_days(dt.date(2026, 11, 6), 1) == dt.date(2026, 11, 9)  # Friday + 1 -> Monday
    assert add_business_days(dt.date(2026, 11, 7), 1) == dt.date(2026, 11, 9)  # Saturday + 1 -> Monday
    assert add_business_days(MON, 10) == dt.date(2026, 11, 16)
    assert add_business_days(MON, 0) == MON
    start = dt.date(2026, 1, 1)
    for offset in range(14):
        day = start + dt.timedelta(days=offset)
        for n in range(0, 25):
            assert business_days_between(day, add_business_days(day, n)) == n


@pytest.mark.parametrize(
    ("country", "city", "state", "expected"),
    [
        ("US", "New York", "", ["NYC"]),
        ("us", "  new   YORK ", "", ["NYC"]),
        ("US", "Brooklyn", "NY", ["NYC"]),
        ("US", "New York City", "", ["NYC"]),
        ("CA", "New York", "", []),
        ("US", "Chicago", "IL", ["IL"]),
        ("US", "Denver", "Colorado", ["CO"]),
        ("US", "Austin", "TX", []),
        ("DE", "Berlin", "", ["EU"]),
        ("GB", "London", "", []),
        ("", "", "", []),
    ],
)
def test_jurisdictions_for(country, city, state, expected):
    assert jurisdictions_for(country, city, state) == expected


# --- templates --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_migration_templates_cite_their_rules():
    nyc = template_for("NYC", "Cadre matching", dt.date(2026, 11, 26))
    assert nyc is not None and nyc.version == "2026.11.1" and nyc.min_business_days_before_use == 10
    assert "20-871" in nyc.citation and "alternative selection process" in nyc.body
    assert "data collected" in nyc.body and "retention" in nyc.body
    for code in ("IL", "CO", "EU"):
        template = NoticeTemplate.objects.get(jurisdiction=code, tool="Cadre matching", version="2026.11.1")
        assert template.citation and template.min_business_days_before_use == 0
    assert "26(7)" in NoticeTemplate.objects.get(jurisdiction="EU").citation


@pytest.mark.django_db
def test_template_selection_by_effective_date():
    assert template_for("CO", "Cadre matching", dt.date(2026, 12, 31)) is None
    colorado = template_for("CO", "Cadre matching", dt.date(2027, 1, 1))
    assert colorado is not None and colorado.effective_from == dt.date(2027, 1, 1)
    assert "SB 26-189" in colorado.citation
    assert template_for("IL", "Cadre matching", dt.date(2025, 12, 31)) is None
    assert template_for("IL", "Cadre matching", dt.date(2026, 1, 1)) is not None
    assert template_for("NYC", "Another tool", dt.date(2026, 11, 26)) is None
    newer = NoticeTemplate.objects.create(
        jurisdiction="NYC",
        tool="Cadre matching",
        title="NYC notice, revised",
        body="...",
        min_business_days_before_use=10,
        effective_from=dt.date(2027, 3, 1),
        version="2027.3.1",
    )
    assert template_for("NYC", "Cadre matching", dt.date(2027, 2, 28)).version == "2026.11.1"
    assert template_for("NYC", "Cadre matching", dt.date(2027, 3, 1)) == newer
    assert template_for("nyc", "Cadre matching", dt.date(2027, 6, 1)) == newer


# --- notices and NYC status ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_nyc_needs_ten_business_days(recruiter, tenant_a):
    person = tenant_a.person
    missing = notice_status(person, "NYC", "Cadre matching", dt.date(2026, 11, 20))
    assert missing["ok"] is False and "no New York City notice" in missing["reason"]

    notice = send_notice(recruiter, person, "NYC", sent_at=at(MON))
    nine = notice_status(person, "NYC", "Cadre matching", add_business_days(MON, 9))
    assert nine["ok"] is False
    assert nine["business_days_before"] == 9 and nine["earliest_use"] == dt.date(2026, 11, 16)
    assert "9 business days" in nine["reason"] and "at least 10" in nine["reason"]
    ten = notice_status(person, "NYC", "Cadre matching", add_business_days(MON, 10))
    assert ten["ok"] is True and ten["sent_at"] == notice.sent_at and ten["notice_id"] == notice.pk
    assert ten["earliest_use"] == dt.date(2026, 11, 16)
    # A notice given after the day of use does not count for that day.
    assert notice_status(person, "NYC", "Cadre matching", MON - dt.timedelta(days=1))["ok"] is False


@pytest.mark.django_db
def test_other_jurisdictions_need_a_notice_but_no_lead_time(recruiter, tenant_a):
    person = tenant_a.person
    assert notice_status(person, "IL", on=dt.date(2026, 3, 2))["ok"] is False
    send_notice(recruiter, person, "IL", sent_at=at(dt.date(2026, 3, 2)))
    assert notice_status(person, "IL", on=dt.date(2026, 3, 2))["ok"] is True
    before_colorado = notice_status(person, "CO", on=dt.date(2026, 12, 1))
    assert before_colorado["ok"] is True and "no Colorado notice" in before_colorado["reason"]
    assert notice_status(person, "CO", on=dt.date(2027, 1, 4))["ok"] is False


@pytest.mark.django_db
def test_send_notice_records_audits_and_adds_to_the_timeline(recruiter, tenant_a):
    notice = send_notice(
        recruiter, tenant_a.person, "nyc", requisition=tenant_a.requisition, channel="job_posting"
    )
    assert notice.template.jurisdiction == "NYC" and notice.channel == "job_posting"
    assert notice.sent_by == recruiter and notice.requisition == tenant_a.requisition
    assert AuditLog.objects.filter(
        object_type="compliance.candidatenotice", object_id=str(notice.pk), action="create"
    ).exists()
    assert Activity.objects.filter(person=tenant_a.person, body__contains="New York City notice").exists()


@pytest.mark.django_db
def test_send_notice_refusals(recruiter, compliance_officer, tenant_a):
    person = tenant_a.person
    with pytest.raises(Forbidden):
        send_notice(compliance_officer, person, "NYC")
    with pytest.raises(Forbidden):
        send_notice(tenant_a.hiring_manager, person, "NYC")
    with pytest.raises(ValidationFailed, match="unknown jurisdiction"):
        send_notice(recruiter, person, "TX")
    with pytest.raises(ValidationFailed, match="unknown channel"):
        send_notice(recruiter, person, "NYC", channel="pigeon")
    with pytest.raises(ValidationFailed, match="future"):
        send_notice(recruiter, person, "NYC", sent_at=at(dt.date(2099, 1, 1)))
    with pytest.raises(ValidationFailed, match="no CO notice template"):
        send_notice(recruiter, person, "CO", sent_at=at(dt.date(2026, 6, 1)))
    assert not CandidateNotice.objects.exists()


@pytest.mark.django_db
def test_request_alternative(recruiter, compliance_officer, tenant_a):
    notice = send_notice(recruiter, tenant_a.person, "NYC", sent_at=at(MON))
    with pytest.raises(Forbidden):
        request_alternative(tenant_a.hiring_manager, notice)
    request_alternative(compliance_officer, notice)
    notice.refresh_from_db()
    assert notice.alternative_requested_at is not None
    with pytest.raises(Conflict):
        request_alternative(recruiter, notice)
    status = notice_status(tenant_a.person, "NYC", on=dt.date(2026, 11, 30))
    assert status["ok"] is True and "alternative" in status["reason"]
    assert status["alternative_requested_at"] == notice.alternative_requested_at


@pytest.mark.django_db
def test_person_jurisdictions_from_work_preferences(recruiter, tenant_a):
    assert notices.person_jurisdictions(tenant_a.person) == []
    set_work_preferences(recruiter, tenant_a.person, city="New York", country="US")
    assert notices.person_jurisdictions(tenant_a.person) == ["NYC"]
