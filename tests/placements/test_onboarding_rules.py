"""Onboarding checklist rules (pure): which tasks, owners, business-day due dates, gate mapping."""

from __future__ import annotations

import datetime as dt

import pytest

from cadre.placements import onboarding as ob
from cadre.placements.onboarding import ChecklistFacts, checklist

START = dt.date(2026, 3, 2)  # Monday


def kinds(facts: ChecklistFacts) -> list[str]:
    return [t.kind for t in checklist(facts)]


def by_kind(facts: ChecklistFacts) -> dict[str, ob.TaskTemplate]:
    return {t.kind: t for t in checklist(facts)}


def test_w2_contract_gets_w4_and_i9_not_w9_or_msa():
    tasks = by_kind(ChecklistFacts("contract", "w2", "Acme"))
    assert {"w4", "i9", "ip_assignment", "equipment", "platform_access", "first_week_plan"} <= set(tasks)
    assert "w9" not in tasks and "msa" not in tasks
    assert tasks["i9"].title == "Form I-9 (employment eligibility)"
    assert tasks["i9"].gate_kind == "work_authorization"
    assert tasks["ip_assignment"].gate_kind == "ip_assignment"
    assert tasks["w4"].owner == ob.CANDIDATE and tasks["w4"].gate_kind == ""


def test_1099_gets_w9_and_a_work_authorization_task_that_is_not_an_i9():
    tasks = by_kind(ChecklistFacts("contract", "1099", "Acme"))
    assert "w9" in tasks and "w4" not in tasks and "msa" not in tasks
    auth = tasks["i9"]
    assert auth.gate_kind == "work_authorization"
    assert "no Form I-9" in auth.title
    assert "Form I-9 is for employees" in auth.note


def test_c2c_gets_w9_from_the_corporation_msa_and_insurance():
    tasks = by_kind(ChecklistFacts("contract", "c2c", "Acme"))
    assert tasks["w9"].title == "Form W-9 from the candidate's corporation"
    assert tasks["msa"].owner == ob.RECRUITER
    assert "certificate of insurance" in tasks["msa"].title
    assert "own corporation" in tasks["i9"].note
    assert "corporation signs" in tasks["ip_assignment"].note


def test_direct_hire_paperwork_is_the_clients():
    tasks = by_kind(ChecklistFacts("direct_hire", "w2", "Acme"))
    assert tasks["w4"].owner == ob.CLIENT
    assert "client completes Form I-9" in tasks["i9"].title
    assert tasks["i9"].gate_kind == "work_authorization"
    assert tasks["equipment"].owner == ob.CLIENT


def test_background_check_and_clearance_only_when_the_requisition_requires_them():
    plain = kinds(ChecklistFacts("contract", "w2"))
    assert "background_check" not in plain and "clearance" not in plain
    tasks = by_kind(
        ChecklistFacts("contract", "w2", clearance_required="top_secret", background_check_required=True)
    )
    assert tasks["background_check"].gate_kind == "background_check"
    assert tasks["clearance"].gate_kind == "clearance"
    assert "top secret" in tasks["clearance"].note


def test_every_platform_of_the_client_gets_its_own_access_task():
    tasks = checklist(
        ChecklistFacts(
            "contract", "w2", "Northwind", platforms=("AWS SageMaker", "Databricks", "AWS SageMaker")
        )
    )
    access = [t.title for t in tasks if t.kind == "platform_access"]
    assert access == ["Access to Northwind's AWS SageMaker", "Access to Northwind's Databricks"]
    no_platforms = [
        t.title
        for t in checklist(ChecklistFacts("contract", "w2", "Northwind"))
        if t.kind == "platform_access"
    ]
    assert no_platforms == ["Access to Northwind's systems"]


def test_positions_are_sequential_and_titles_unique():
    tasks = checklist(ChecklistFacts("contract_to_hire", "c2c", "X", platforms=("A", "B")))
    assert [t.position for t in tasks] == list(range(1, len(tasks) + 1))
    assert len({(t.kind, t.title) for t in tasks}) == len(tasks)


def test_every_gate_task_maps_to_the_documented_gate():
    assert ob.GATE_KINDS == {
        "i9": "work_authorization",
        "ip_assignment": "ip_assignment",
        "background_check": "background_check",
        "clearance": "clearance",
    }


def test_unknown_engagement_or_vehicle_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown vehicle 'h1b'"):
        ChecklistFacts("contract", "h1b")
    with pytest.raises(ValueError, match="unknown engagement type"):
        ChecklistFacts("temp", "w2")


@pytest.mark.parametrize(
    ("day", "offset", "expected"),
    [
        (START, -1, dt.date(2026, 2, 27)),  # Monday - 1 business day = Friday
        (START, -3, dt.date(2026, 2, 25)),  # Wednesday before
        (START, -5, dt.date(2026, 2, 23)),  # a week before
        (START, 3, dt.date(2026, 3, 5)),  # Thursday
        (dt.date(2026, 3, 6), 1, dt.date(2026, 3, 9)),  # Friday + 1 = Monday
        (dt.date(2026, 3, 7), 0, dt.date(2026, 3, 9)),  # Saturday start rolls to Monday
        (dt.date(2026, 3, 8), -1, dt.date(2026, 3, 6)),  # Sunday - 1 = Friday
    ],
)
def test_business_day_offsets(day, offset, expected):
    assert ob.add_business_days(day, offset) == expected


def test_overdue_only_when_open_and_past_due():
    today = dt.date(2026, 3, 3)
    assert ob.is_overdue(dt.date(2026, 3, 2), "open", today)
    assert not ob.is_overdue(dt.date(2026, 3, 3), "open", today)
    assert not ob.is_overdue(dt.date(2026, 3, 2), "done", today)


class TestDetails:
    today = dt.date(2026, 3, 1)

    def check(self, kind, details):
        return ob.check_details(kind, details, today=self.today, start=START).problems

    def test_w4_needs_a_past_received_date(self):
        assert self.check("w4", {}) == ["date received not given"]
        assert self.check("w4", {"received_on": "2026-03-05"}) == [
            "date received 2026-03-05 is in the future"
        ]
        assert self.check("w4", {"received_on": "2026-02-20"}) == []

    def test_w9_needs_tin_type_and_refuses_the_number(self):
        assert self.check("w9", {"received_on": "2026-02-20", "tin_type": "ein"}) == []
        problems = self.check("w9", {"received_on": "2026-02-20", "tin_type": "passport"})
        assert problems == ["TIN type must be one of ssn, ein, itin"]
        problems = self.check("w9", {"received_on": "2026-02-20", "tin_type": "ssn", "note": "123-45-6789"})
        assert problems == ["do not record the taxpayer identification number itself"]

    def test_msa_needs_insurance_valid_past_the_start(self):
        good = {"msa_signed_on": "2026-02-10", "insurer": "Hiscox", "coi_expires_on": "2027-01-31"}
        assert self.check("msa", good) == []
        lapsed = self.check("msa", {**good, "coi_expires_on": "2026-03-02"})
        assert lapsed == ["certificate of insurance expires 2026-03-02, before the engagement starts"]
        assert self.check("msa", {}) == [
            "agreement signature date not given",
            "insurer on the certificate of insurance not given",
            "certificate of insurance expiry not given",
        ]

    def test_tasks_without_rules_accept_anything(self):
        assert self.check("equipment", {}) == []
        assert self.check("first_week_plan", {"note": "see doc"}) == []
