"""QA round 2 fixes: no hours on days not yet worked (M2), no start before the start date and no conversion
dated ahead (M3), overtime rates below the FLSA floor for W-2 (M4), drafts hidden from hiring managers and
the IP-assignment task's work state checked against the real state list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.test import Client
from tests.placements.operations_helpers import IP_DETAILS, MONDAY, make_placement, make_timesheet

from cadre.core.exceptions import Conflict, NotFound, ValidationFailed
from cadre.placements import invoice_services, offer_terms, onboarding, services, timesheets
from cadre.placements import onboarding_services as onboarding_svc
from cadre.placements import timesheet_services as ts_svc
from cadre.placements.burden import UnknownState
from cadre.placements.models import Invoice, OnboardingTask, Placement, Timesheet, TimesheetEntry

from .conftest import START, TODAY, clear_placement_gates

WEDNESDAY = MONDAY + dt.timedelta(days=2)


def hours(*values: str) -> list[dict[str, str]]:
    return [
        {"work_date": (MONDAY + dt.timedelta(days=i)).isoformat(), "regular_hours": h}
        for i, h in enumerate(values)
    ]


def as_of(day: dt.date):
    """The timesheet services see `day` as today."""
    return mock.patch.object(ts_svc.timezone, "localdate", return_value=day)


# --- M2: hours on days not yet worked -------------------------------------------------------------------


def test_rules_refuse_hours_after_today_naming_each_day():
    with pytest.raises(timesheets.TimesheetError) as err:
        timesheets.check_entries(
            MONDAY,
            hours("8", "8", "8", "8", "8"),
            placement_start=MONDAY,
            placement_end=None,
            today=WEDNESDAY,
        )
    assert len(err.value.problems) == 2
    assert "Thu 2026-03-05 is in the future" in err.value.problems[0]
    assert "Fri 2026-03-06 is in the future" in err.value.problems[1]
    # up to today is fine; a note alone on a later day is not hours
    days = timesheets.check_entries(
        MONDAY,
        [*hours("8", "8", "8"), {"work_date": "2026-03-06", "note": "holiday"}],
        placement_start=MONDAY,
        placement_end=None,
        today=WEDNESDAY,
    )
    assert [d.work_date.day for d in days] == [2, 3, 4, 6]


@pytest.mark.django_db
def test_future_hours_are_refused_and_nothing_is_saved(tenant_a, recruiter):
    placement = make_placement(tenant_a, recruiter)
    sheet = ts_svc.create_timesheet(recruiter, placement, MONDAY)
    with as_of(WEDNESDAY), pytest.raises(ValidationFailed, match="Thu 2026-03-05 is in the future") as err:
        ts_svc.save_entries(recruiter, sheet, hours("8", "8", "8", "8"))
    assert err.value.field == "entries"
    assert not TimesheetEntry.objects.filter(timesheet=sheet).exists()
    with as_of(WEDNESDAY):
        saved = ts_svc.save_entries(recruiter, sheet, hours("8", "8", "8"))
    assert saved.entries.count() == 3


@pytest.mark.django_db
def test_a_week_that_has_not_started_cannot_be_opened(tenant_a, recruiter):
    placement = make_placement(tenant_a, recruiter)
    next_week = MONDAY + dt.timedelta(days=7)
    with as_of(WEDNESDAY), pytest.raises(ValidationFailed, match="has not started yet") as err:
        ts_svc.create_timesheet(recruiter, placement, next_week)
    assert err.value.field == "week_start"
    assert not Timesheet.objects.filter(placement=placement, week_start=next_week).exists()


@pytest.mark.django_db
def test_a_sheet_with_future_hours_cannot_be_submitted_or_approved(tenant_a, recruiter):
    placement = make_placement(tenant_a, recruiter)
    week = {day: ("8", "0", "0") for day in range(5)}
    draft = make_timesheet(placement, MONDAY, week, status="draft")  # rows written before the rule existed
    with as_of(WEDNESDAY), pytest.raises(ValidationFailed, match="cannot be submitted: it has hours on Thu"):
        ts_svc.submit_timesheet(recruiter, draft)
    draft.refresh_from_db()
    assert draft.status == "draft"
    submitted = make_timesheet(placement, MONDAY - dt.timedelta(days=7), week, status="submitted")
    hm = tenant_a.hiring_manager
    with as_of(MONDAY - dt.timedelta(days=5)), pytest.raises(ValidationFailed, match="cannot be approved"):
        ts_svc.approve_timesheet(hm, submitted)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    with as_of(WEDNESDAY):  # every day with hours has been worked
        assert ts_svc.approve_timesheet(hm, submitted).status == "approved"
        earlier = make_timesheet(placement, MONDAY - dt.timedelta(days=14), week)
        assert ts_svc.submit_timesheet(recruiter, earlier).status == "submitted"


# --- M3: start and conversion dates -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_placement_cannot_start_before_its_start_date(
    accepted_contract_placement, application_at_offer, recruiter, compliance_officer
):
    assert START > TODAY
    clear_placement_gates(application_at_offer, recruiter, compliance_officer)
    with pytest.raises(Conflict, match=f"starts on {START.isoformat()}"):
        services.start_placement(recruiter, accepted_contract_placement)
    assert Placement.objects.get(pk=accepted_contract_placement.pk).status == "pending_start"
    with mock.patch.object(services, "_today", return_value=START):
        assert services.start_placement(recruiter, accepted_contract_placement).status == "active"


@pytest.mark.django_db
def test_a_conversion_dated_in_the_future_is_refused(tenant_a, recruiter):
    placement = make_placement(
        tenant_a,
        recruiter,
        engagement_type="contract_to_hire",
        start=TODAY - dt.timedelta(days=60),
        fee_terms={"kind": "conversion", "percent": "20", "method": "prorate", "schedule_months": 12},
    )
    tomorrow = TODAY + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed, match="must be today") as err:
        services.convert_placement(recruiter, placement, salary="150000", converted_on=tomorrow)
    assert err.value.field == "converted_on"
    assert Placement.objects.get(pk=placement.pk).status == "active"
    converted = services.convert_placement(recruiter, placement, salary="150000", converted_on=TODAY)
    assert (converted.status, converted.converted_on) == ("converted", TODAY)


# --- M4: overtime rates -----------------------------------------------------------------------------------


def test_w2_overtime_pay_below_time_and_a_half_is_refused():
    with pytest.raises(offer_terms.TermsInvalid, match="FLSA") as err:
        offer_terms.rate_set("72", "100", pay_overtime="50", vehicle="w2")
    assert err.value.field == "pay_overtime" and "at least 108.00" in err.value.message
    with pytest.raises(offer_terms.TermsInvalid, match="overtime bill 90.00 is below the regular bill"):
        offer_terms.rate_set("72", "100", bill_overtime="90", vehicle="w2")
    with pytest.raises(offer_terms.TermsInvalid, match="double-time pay 100.00 is below the overtime pay"):
        offer_terms.rate_set("72", "150", pay_double="100", vehicle="w2")
    ok = offer_terms.rate_set("72", "100", vehicle="w2")  # the defaults are at the floor
    assert (ok.pay_overtime, ok.pay_double) == (Decimal("108.0000"), Decimal("144.0000"))


def test_contractors_may_have_lower_overtime_with_a_warning():
    rates = offer_terms.rate_set("72", "100", pay_overtime="50", bill_overtime="45", vehicle="1099")
    warnings = offer_terms.rate_card_warnings(rates, "1099")
    assert any("overtime pay 50.00 is below 1.5x" in w for w in warnings)
    assert any("overtime bill 45.00 is below the regular bill" in w for w in warnings)
    assert "negative overtime margin: bill 45.00 is below pay 50.00" in warnings
    assert offer_terms.rate_card_warnings(offer_terms.rate_set("72", "100"), "w2") == []


@pytest.mark.django_db
def test_services_refuse_a_w2_card_below_the_floor(extended_contract_offer, recruiter, tenant_a):
    with pytest.raises(ValidationFailed, match="FLSA") as err:
        services.accept_offer(recruiter, extended_contract_offer, pay_overtime="50")
    assert err.value.field == "pay_overtime"
    assert not Placement.objects.exists()
    placement = make_placement(tenant_a, recruiter, vehicle="w2")
    with pytest.raises(ValidationFailed, match="FLSA"):
        services.add_rate_card(
            recruiter,
            placement,
            effective_from=MONDAY + dt.timedelta(days=7),
            pay_regular="60",
            bill_regular="95",
            pay_overtime="60",
        )
    contractor = Placement.objects.filter(pk=placement.pk)
    contractor.update(vehicle="c2c")
    card = services.add_rate_card(
        recruiter,
        contractor.get(),
        effective_from=MONDAY + dt.timedelta(days=7),
        pay_regular="60",
        bill_regular="95",
        pay_overtime="60",
    )
    assert card.pay_overtime == Decimal("60")
    # The contractor's below-floor overtime is shown as a warning on the page and in the API.
    page = Client()
    page.force_login(recruiter)
    text = page.get(f"/placements/{placement.pk}/").content.decode()
    assert "overtime pay 60.00 is below 1.5x" in text
    api = page.get(f"/api/placements/{placement.pk}/rate-cards")
    assert api.status_code == 200
    assert any("below 1.5x" in w for c in api.json() for w in c["warnings"])


# --- minors -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_hiring_managers_see_issued_paid_and_void_invoices_only(tenant_a, recruiter):
    hm = tenant_a.hiring_manager
    made = {
        status: Invoice.objects.create(
            client=tenant_a.client,
            number=f"INV-T-{status}",
            period_start=MONDAY,
            period_end=MONDAY + dt.timedelta(days=6),
            status=status,
        )
        for status in ("draft", "issued", "paid", "void")
    }
    assert set(invoice_services.invoices_visible_to(hm).values_list("status", flat=True)) == {
        "issued",
        "paid",
        "void",
    }
    with pytest.raises(NotFound):
        invoice_services.get_invoice(hm, made["draft"].pk)
    assert invoice_services.invoices_visible_to(recruiter).count() == 4


def test_ip_task_work_state_must_be_a_us_state():
    with pytest.raises(UnknownState, match="'ZZ'") as err:
        onboarding.check_work_state(onboarding.IP_ASSIGNMENT, {"work_state": "ZZ"})
    assert err.value.field == "work_state"
    assert onboarding.check_work_state(onboarding.IP_ASSIGNMENT, {"work_state": " ca "})["work_state"] == "CA"
    assert onboarding.check_work_state(onboarding.IP_ASSIGNMENT, {"work_state": ""}) == {"work_state": ""}
    assert onboarding.check_work_state(onboarding.W4, {"work_state": "ZZ"}) == {"work_state": "ZZ"}


@pytest.mark.django_db
def test_completing_the_ip_task_with_state_zz_is_refused(tenant_a, recruiter):
    placement = make_placement(tenant_a, recruiter)
    onboarding_svc.create_checklist(placement, recruiter)
    task = OnboardingTask.objects.get(placement=placement, kind="ip_assignment")
    with pytest.raises(ValidationFailed, match="unknown state 'ZZ'"):
        onboarding_svc.complete_task(recruiter, task, {**IP_DETAILS, "work_state": "ZZ"})
    task.refresh_from_db()
    assert task.status == "open" and task.details == {}
    done = onboarding_svc.complete_task(recruiter, task, {**IP_DETAILS, "work_state": "ca"})
    assert done.done and done.task.details["work_state"] == "CA"
