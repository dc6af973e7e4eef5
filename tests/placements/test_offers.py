"""Offers: terms validation, versioned revisions, extend / accept / decline / withdraw, permissions, and the
all-or-nothing acceptance that creates the placement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cadre.core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog
from cadre.pipeline.models import Application, StageEvent
from cadre.pipeline.services import move_application
from cadre.placements import offer_terms, onboarding_services, selectors, services
from cadre.placements.models import (
    CommissionSplit,
    Fee,
    Offer,
    OnboardingTask,
    PayBasis,
    Placement,
    RateCard,
    Vehicle,
)
from cadre.requisitions.models import EngagementType

from .conftest import (
    CONTRACT_TERMS,
    CONTRACT_TO_HIRE_TERMS,
    DIRECT_HIRE_TERMS,
    START,
    TODAY,
    make_extended_offer,
)

pytestmark = pytest.mark.django_db


def audit_actions(obj) -> list[str]:
    return list(
        AuditLog.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- pure rules ---------------------------------------------------------------------------------------


def test_choice_mirrors_match_the_models():
    assert set(offer_terms.ENGAGEMENT_TYPES) == set(EngagementType.values)
    assert set(offer_terms.VEHICLES) == set(Vehicle.values)
    assert set(offer_terms.PAY_BASES) == set(PayBasis.values)
    assert set(offer_terms.FEE_KINDS) == set(Fee.Kind.values)


def test_rate_set_defaults_overtime_to_one_and_a_half_and_double_to_two():
    rates = offer_terms.rate_set("60.10", "95")
    assert (rates.pay_overtime, rates.pay_double) == (Decimal("90.1500"), Decimal("120.2000"))
    assert (rates.bill_overtime, rates.bill_double) == (Decimal("142.5000"), Decimal("190.0000"))
    given = offer_terms.rate_set("60", "95", pay_overtime="80", bill_double="200")
    assert (given.pay_overtime, given.pay_double, given.bill_double) == (
        Decimal(80),
        Decimal(120),
        Decimal(200),
    )


def test_months_between_counts_whole_calendar_months():
    start = dt.date(2026, 1, 15)
    assert offer_terms.months_between(start, dt.date(2026, 3, 14)) == 1
    assert offer_terms.months_between(start, dt.date(2026, 3, 15)) == 2
    assert offer_terms.months_between(start, dt.date(2025, 12, 1)) == 0


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"pay_rate": "-5"}, "pay_rate", "cannot be negative"),
        ({"bill_rate": "abc"}, "bill_rate", "must be a number"),
        ({"end_date": START - dt.timedelta(days=1)}, "end_date", "before the start date"),
        ({"work_state": "ZZ"}, "work_state", "unknown state"),
        ({"work_state": "California"}, "work_state", "unknown state"),
        ({"pay_rate": None}, "pay_rate", "required"),
        ({"salary": "150000"}, "salary", "no salary"),
        ({"hours_per_week": "0"}, "hours_per_week", "above 0"),
        ({"engagement_type": "gig"}, "engagement_type", "unknown engagement"),
        ({"pay_rate": "95000"}, "pay_rate", "annual figure"),
        ({"currency": "XYZ"}, "currency", "unsupported currency"),
    ],
)
def test_contract_terms_are_refused_with_the_field_and_nothing_is_saved(
    application_at_offer, recruiter, changes, field, words
):
    with pytest.raises(ValidationFailed) as err:
        services.create_offer(recruiter, application_at_offer.application, **{**CONTRACT_TERMS, **changes})
    assert err.value.field == field
    assert words in err.value.message
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"salary": None}, "salary"),
        ({"vehicle": "1099"}, "vehicle"),
        ({"pay_basis": "hourly"}, "pay_basis"),
        ({"end_date": START + dt.timedelta(days=300)}, "end_date"),
        ({"salary": "-1"}, "salary"),
    ],
)
def test_direct_hire_terms_are_refused(application_at_offer, recruiter, changes, field):
    with pytest.raises(ValidationFailed) as err:
        services.create_offer(recruiter, application_at_offer.application, **{**DIRECT_HIRE_TERMS, **changes})
    assert err.value.field == field
    assert not Offer.objects.exists()


def test_create_offer_writes_an_audited_draft(application_at_offer, recruiter):
    offer = services.create_offer(recruiter, application_at_offer.application, **CONTRACT_TERMS)
    assert (offer.revision, offer.status, offer.work_state) == (1, "draft", "CA")
    assert (offer.pay_rate, offer.bill_rate) == (Decimal("60"), Decimal("95"))
    assert offer.created_by == recruiter
    assert audit_actions(offer) == ["create"]
    assert services.offer_warnings(offer) == []


def test_state_code_is_normalised(application_at_offer, recruiter):
    offer = services.create_offer(
        recruiter, application_at_offer.application, **{**CONTRACT_TERMS, "work_state": " ny "}
    )
    assert offer.work_state == "NY"


def test_bill_below_pay_is_allowed_but_flagged(application_at_offer, recruiter):
    offer = services.create_offer(
        recruiter,
        application_at_offer.application,
        **{**CONTRACT_TERMS, "pay_rate": "100", "bill_rate": "90"},
    )
    assert offer.pk is not None
    assert services.offer_warnings(offer) == [
        "negative margin: the bill rate 90.00 is below the pay rate 100.00"
    ]


def test_offer_on_a_closed_application_is_refused(tenant_a, recruiter):
    move_application(recruiter, tenant_a.application, to_stage="rejected", reason="Not a fit")
    tenant_a.application.refresh_from_db()
    with pytest.raises(Conflict, match="rejected"):
        services.create_offer(recruiter, tenant_a.application, **CONTRACT_TERMS)
    assert not Offer.objects.exists()


def test_only_one_open_offer_per_application(application_at_offer, recruiter):
    services.create_offer(recruiter, application_at_offer.application, **CONTRACT_TERMS)
    with pytest.raises(Conflict, match="revise it"):
        services.create_offer(recruiter, application_at_offer.application, **CONTRACT_TERMS)
    assert Offer.objects.count() == 1


def test_only_editors_create_offers(application_at_offer, compliance_officer):
    with pytest.raises(Forbidden):
        services.create_offer(compliance_officer, application_at_offer.application, **CONTRACT_TERMS)
    with pytest.raises(Forbidden):
        services.create_offer(
            application_at_offer.hiring_manager, application_at_offer.application, **CONTRACT_TERMS
        )


# --- extend ------------------------------------------------------------------------------------------------


def test_extend_moves_the_application_to_offer_through_the_pipeline(tenant_a, recruiter):
    assert tenant_a.application.stage == "sourced"
    offer = services.create_offer(recruiter, tenant_a.application, **CONTRACT_TERMS)
    extended = services.extend_offer(recruiter, offer)
    assert extended.status == "extended" and extended.extended_at is not None
    application = Application.objects.get(pk=tenant_a.application.pk)
    assert application.stage == "offer"
    event = StageEvent.objects.filter(application=application).latest("id")
    assert (event.from_stage, event.to_stage, event.reason) == ("sourced", "offer", "Offer r1 extended")
    assert audit_actions(offer) == ["create", "update"]


def test_extend_needs_a_start_date_and_a_future_expiry(application_at_offer, recruiter):
    offer = services.create_offer(
        recruiter,
        application_at_offer.application,
        **{**CONTRACT_TERMS, "start_date": None, "end_date": None},
    )
    with pytest.raises(ValidationFailed) as err:
        services.extend_offer(recruiter, offer)
    assert err.value.field == "start_date"
    Offer.objects.filter(pk=offer.pk).update(start_date=START)
    with pytest.raises(ValidationFailed, match="in the past"):
        services.extend_offer(recruiter, offer, expires_on=TODAY - dt.timedelta(days=1))
    assert Offer.objects.get(pk=offer.pk).status == "draft"


def test_extending_twice_is_a_conflict(extended_contract_offer, recruiter):
    with pytest.raises(Conflict, match="only a draft"):
        services.extend_offer(recruiter, extended_contract_offer)


# --- revise -----------------------------------------------------------------------------------------------


def test_revise_writes_the_next_revision_and_keeps_the_old_one_readable(extended_contract_offer, recruiter):
    revised = services.revise_offer(
        recruiter, extended_contract_offer, bill_rate="100", terms="Remote, 4-day week"
    )
    old = Offer.objects.get(pk=extended_contract_offer.pk)
    assert old.status == "superseded" and old.bill_rate == Decimal("95")
    assert (revised.revision, revised.status, revised.supersedes_id) == (2, "extended", old.pk)
    assert revised.bill_rate == Decimal("100") and revised.pay_rate == Decimal("60")
    history = selectors.offer_history(revised)
    assert [r.offer.revision for r in history] == [2, 1]
    assert history[0].compared_to == 1
    assert {(c.field, c.before, c.after) for c in history[0].changes} == {
        ("bill_rate", "95", "100"),
        ("terms", "Remote, laptop provided", "Remote, 4-day week"),
    }
    assert history[1].changes == []
    assert audit_actions(old) == ["create", "update", "update"]
    assert audit_actions(revised) == ["create"]


def test_revising_a_draft_keeps_it_a_draft(application_at_offer, recruiter):
    draft = services.create_offer(recruiter, application_at_offer.application, **CONTRACT_TERMS)
    revised = services.revise_offer(recruiter, draft, pay_rate="62.50")
    assert (revised.revision, revised.status, revised.extended_at) == (2, "draft", None)


def test_revise_refuses_bad_terms_and_superseded_revisions_without_writing(
    extended_contract_offer, recruiter
):
    with pytest.raises(ValidationFailed) as err:
        services.revise_offer(recruiter, extended_contract_offer, end_date=START - dt.timedelta(days=3))
    assert err.value.field == "end_date"
    with pytest.raises(ValidationFailed, match="nothing changed"):
        services.revise_offer(recruiter, extended_contract_offer, bill_rate="95.00")
    with pytest.raises(ValidationFailed, match="unknown offer term"):
        services.revise_offer(recruiter, extended_contract_offer, bil_rate="99")
    assert Offer.objects.count() == 1
    services.revise_offer(recruiter, extended_contract_offer, bill_rate="99")
    with pytest.raises(Conflict, match="superseded"):
        services.revise_offer(recruiter, extended_contract_offer, bill_rate="101")
    assert Offer.objects.count() == 2


# --- accept -------------------------------------------------------------------------------------------------


def test_accept_creates_the_placement_rate_card_split_and_checklist(extended_contract_offer, recruiter):
    placement = services.accept_offer(recruiter, extended_contract_offer)
    offer = Offer.objects.get(pk=extended_contract_offer.pk)
    assert offer.status == "accepted" and offer.responded_at is not None
    assert placement.offer_id == offer.pk and placement.application_id == offer.application_id
    assert placement.client_id == offer.application.requisition.client_id
    assert (placement.engagement_type, placement.vehicle, placement.pay_basis) == ("contract", "w2", "hourly")
    assert (placement.start_date, placement.end_date) == (
        CONTRACT_TERMS["start_date"],
        CONTRACT_TERMS["end_date"],
    )
    assert (placement.status, placement.work_state, placement.recruiter) == ("pending_start", "CA", recruiter)
    assert placement.fee_terms == {}
    card = RateCard.objects.get(placement=placement)
    assert card.effective_from == placement.start_date
    assert [card.pay_regular, card.pay_overtime, card.pay_double] == [Decimal(60), Decimal(90), Decimal(120)]
    assert [card.bill_regular, card.bill_overtime, card.bill_double] == [
        Decimal(95),
        Decimal("142.5"),
        Decimal(190),
    ]
    split = CommissionSplit.objects.get(placement=placement)
    assert (split.user, split.role, split.share_percent) == (recruiter, "recruiter", Decimal(100))
    assert not Fee.objects.filter(placement=placement).exists()  # contract: the margin is on hours
    assert OnboardingTask.objects.filter(placement=placement).count() > 0
    assert Application.objects.get(pk=offer.application_id).stage == "offer"  # placed only when it starts
    assert audit_actions(placement) == ["create"]
    assert audit_actions(card) == ["create"]


def test_accept_with_explicit_overtime_rates(extended_contract_offer, recruiter):
    placement = services.accept_offer(
        recruiter, extended_contract_offer, pay_overtime="95", bill_double="180"
    )
    card = placement.rate_cards.get()
    assert (card.pay_overtime, card.pay_double, card.bill_double) == (Decimal(95), Decimal(120), Decimal(180))


def test_direct_hire_acceptance_records_the_contingency_fee(extended_direct_hire_offer, recruiter):
    placement = services.accept_offer(
        recruiter,
        extended_direct_hire_offer,
        fee_terms={"kind": "contingency", "percent": "22", "guarantee_days": 60},
    )
    assert (placement.pay_basis, placement.salary, placement.bonus) == (
        "salary",
        Decimal(180000),
        Decimal(20000),
    )
    assert not placement.rate_cards.exists()
    fee = Fee.objects.get(placement=placement)
    # 22 % of the 180,000 first-year base (the bonus is not base).
    assert (fee.kind, fee.basis, fee.percent, fee.amount) == (
        "contingency",
        Decimal(180000),
        Decimal(22),
        Decimal("39600.00"),
    )
    assert fee.guarantee_days == 60 and fee.due_on == START
    assert fee.calculation["version"].startswith("fees-")


def test_retained_search_bills_in_thirds_that_add_up(extended_direct_hire_offer, recruiter):
    placement = services.accept_offer(
        recruiter,
        extended_direct_hire_offer,
        fee_terms={
            "kind": "retained",
            "percent": "33.3333",
            "engaged_on": str(TODAY - dt.timedelta(days=90)),
        },
    )
    rows = list(Fee.objects.filter(placement=placement).order_by("id"))
    assert [f.label for f in rows] == [
        "Retainer 1 of 3: engagement",
        "Retainer 2 of 3: shortlist",
        "Retainer 3 of 3: offer acceptance",
    ]
    # 33.3333 % of first-year total cash (180,000 base + 20,000 bonus) = 66,666.60.
    assert sum(f.amount for f in rows) == Decimal("66666.60")
    assert {f.basis for f in rows} == {Decimal(200000)}
    assert rows[2].due_on == TODAY


def test_fee_terms_must_fit_the_engagement(extended_direct_hire_offer, recruiter):
    with pytest.raises(ValidationFailed, match="cannot carry a conversion fee"):
        services.accept_offer(
            recruiter, extended_direct_hire_offer, fee_terms={"kind": "conversion", "percent": "20"}
        )
    with pytest.raises(ValidationFailed) as err:
        services.accept_offer(
            recruiter, extended_direct_hire_offer, fee_terms={"kind": "contingency", "percent": "120"}
        )
    assert err.value.field == "percent"
    assert not Placement.objects.exists()


def test_accepting_twice_is_a_conflict(extended_contract_offer, recruiter):
    placement = services.accept_offer(recruiter, extended_contract_offer)
    with pytest.raises(Conflict, match=f"already accepted \\(placement #{placement.pk}\\)"):
        services.accept_offer(recruiter, extended_contract_offer)
    assert Placement.objects.count() == 1


def test_only_the_latest_extended_revision_can_be_accepted(application_at_offer, recruiter):
    draft = services.create_offer(recruiter, application_at_offer.application, **CONTRACT_TERMS)
    with pytest.raises(Conflict, match="only an extended offer"):
        services.accept_offer(recruiter, draft)
    services.extend_offer(recruiter, draft)
    latest = services.revise_offer(recruiter, draft, bill_rate="97")
    with pytest.raises(Conflict, match="superseded"):
        services.accept_offer(recruiter, draft)
    assert services.accept_offer(recruiter, latest).offer_id == latest.pk


def test_an_expired_offer_cannot_be_accepted(extended_contract_offer, recruiter):
    Offer.objects.filter(pk=extended_contract_offer.pk).update(expires_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(Conflict, match="expired"):
        services.accept_offer(recruiter, extended_contract_offer)


def test_a_failure_late_in_acceptance_leaves_nothing_written(extended_contract_offer, recruiter, monkeypatch):
    audit_rows = AuditLog.objects.count()

    def broken_checklist(placement, actor):
        assert Placement.objects.filter(pk=placement.pk).exists()  # the placement was written...
        assert RateCard.objects.filter(placement=placement).exists()
        raise RuntimeError("onboarding service down")

    monkeypatch.setattr(onboarding_services, "create_checklist", broken_checklist)
    with pytest.raises(RuntimeError):
        services.accept_offer(recruiter, extended_contract_offer)
    # ...and rolled back with everything else.
    assert not Placement.objects.exists()
    assert not RateCard.objects.exists() and not CommissionSplit.objects.exists() and not Fee.objects.exists()
    assert Offer.objects.get(pk=extended_contract_offer.pk).status == "extended"
    assert AuditLog.objects.count() == audit_rows


def test_the_recruiter_must_be_an_editor(extended_contract_offer, recruiter, application_at_offer):
    with pytest.raises(ValidationFailed) as err:
        services.accept_offer(
            recruiter, extended_contract_offer, recruiter=application_at_offer.hiring_manager
        )
    assert err.value.field == "recruiter_id"


def test_the_timesheet_approver_must_be_the_clients_contact(extended_contract_offer, recruiter, tenant_b):
    from cadre.clients.services import add_contact

    other = add_contact(recruiter, tenant_b.client, name="Someone Else", email="se@example.org")
    with pytest.raises(ValidationFailed) as err:
        services.accept_offer(recruiter, extended_contract_offer, timesheet_approver=other)
    assert err.value.field == "timesheet_approver_id"


# --- decline / withdraw / permissions -----------------------------------------------------------------


def test_decline_needs_a_reason_and_an_extended_offer(application_at_offer, recruiter):
    draft = services.create_offer(recruiter, application_at_offer.application, **CONTRACT_TERMS)
    with pytest.raises(Conflict):
        services.decline_offer(recruiter, draft, "Took another job")
    offer = services.extend_offer(recruiter, draft)
    with pytest.raises(ValidationFailed) as err:
        services.decline_offer(recruiter, offer, "  ")
    assert err.value.field == "reason"
    declined = services.decline_offer(recruiter, offer, "Took a counter-offer")
    assert (declined.status, declined.response_reason) == ("declined", "Took a counter-offer")
    # A fresh offer may follow a declined one, with the next revision number.
    again = services.create_offer(
        recruiter, application_at_offer.application, **{**CONTRACT_TERMS, "bill_rate": "99"}
    )
    assert again.revision == 2 and again.supersedes_id is None
    assert [c.field for c in selectors.offer_history(again)[0].changes] == ["bill_rate"]


def test_withdraw_needs_a_reason(extended_contract_offer, recruiter):
    with pytest.raises(ValidationFailed):
        services.withdraw_offer(recruiter, extended_contract_offer, "")
    withdrawn = services.withdraw_offer(recruiter, extended_contract_offer, "Client froze the headcount")
    assert withdrawn.status == "withdrawn"
    with pytest.raises(Conflict):
        services.accept_offer(recruiter, withdrawn)


def test_hiring_manager_reads_and_withdraws_their_clients_offer_only(
    extended_contract_offer, tenant_b, compliance_officer
):
    hana = extended_contract_offer.application.requisition.client.hiring_managers.get()
    assert selectors.get_offer(hana, extended_contract_offer.pk).pk == extended_contract_offer.pk
    with pytest.raises(NotFound):
        selectors.get_offer(tenant_b.hiring_manager, extended_contract_offer.pk)
    with pytest.raises(Forbidden):
        services.withdraw_offer(tenant_b.hiring_manager, extended_contract_offer, "Not mine to withdraw")
    with pytest.raises(Forbidden):
        services.accept_offer(hana, extended_contract_offer)
    with pytest.raises(Forbidden):
        services.decline_offer(hana, extended_contract_offer, "The candidate said no")
    with pytest.raises(Forbidden):
        services.withdraw_offer(compliance_officer, extended_contract_offer, "Compliance cannot withdraw")
    assert (
        selectors.get_offer(compliance_officer, extended_contract_offer.pk).pk == extended_contract_offer.pk
    )
    withdrawn = services.withdraw_offer(hana, extended_contract_offer, "Budget moved to next year")
    assert withdrawn.status == "withdrawn"
    assert AuditLog.objects.filter(
        object_id=str(withdrawn.pk), object_type="placements.offer", actor=hana
    ).exists()


def test_only_a_first_draft_can_be_deleted(application_at_offer, recruiter):
    draft = services.create_offer(recruiter, application_at_offer.application, **CONTRACT_TERMS)
    revised = services.revise_offer(recruiter, draft, bill_rate="99")
    with pytest.raises(Conflict):
        services.delete_offer(recruiter, revised)
    with pytest.raises(Conflict):
        services.delete_offer(recruiter, draft)  # superseded
    services.withdraw_offer(recruiter, revised, "Started again")
    fresh = services.create_offer(recruiter, application_at_offer.application, **CONTRACT_TERMS)
    assert fresh.supersedes_id is None
    services.delete_offer(recruiter, fresh)
    assert not Offer.objects.filter(pk=fresh.pk).exists()
    assert AuditLog.objects.filter(object_id=str(fresh.pk), action="delete").exists()


def test_contract_to_hire_offer_keeps_the_salary_on_conversion(application_at_offer, recruiter):
    offer = make_extended_offer(recruiter, application_at_offer, CONTRACT_TO_HIRE_TERMS)
    placement = services.accept_offer(recruiter, offer)
    assert placement.salary == Decimal(165000) and placement.pay_basis == "hourly"
    assert placement.fee_terms == {
        "kind": "conversion",
        "percent": "20",
        "method": "prorate",
        "schedule_months": 12,
    }
    assert not placement.fees.exists()  # the conversion fee waits for the conversion
