"""Placements after acceptance: start (through the compliance gates), end, convert, rate cards, fees,
commission splits, and the selectors (scoping, the rate card on a day, totals, the economics panel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cadre.core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog
from cadre.pipeline.models import Application, StageEvent
from cadre.placements import selectors, services
from cadre.placements.models import (
    CommissionSplit,
    Fee,
    Invoice,
    InvoiceLine,
    Offer,
    Placement,
    RateCard,
    Timesheet,
    TimesheetEntry,
)

from .conftest import (
    CONTRACT_TERMS,
    CONTRACT_TO_HIRE_TERMS,
    DIRECT_HIRE_TERMS,
    START,
    TODAY,
    clear_placement_gates,
    make_extended_offer,
    start_on_its_day,
)

pytestmark = pytest.mark.django_db


def worked(placement: Placement, monday: dt.date, hours: str = "8", days: int = 5, status: str = "approved"):
    """A timesheet for the week of `monday` with `hours` regular hours on each of `days` days."""
    sheet = Timesheet.objects.create(placement=placement, week_start=monday, status=status)
    for i in range(days):
        TimesheetEntry.objects.create(
            timesheet=sheet, work_date=monday + dt.timedelta(days=i), regular_hours=Decimal(hours)
        )
    return sheet


def invoiced(placement: Placement, sheet: Timesheet, status: str = "issued") -> Invoice:
    invoice = Invoice.objects.create(
        client=placement.client,
        number=f"INV-{sheet.pk}",
        period_start=sheet.week_start,
        period_end=sheet.week_start + dt.timedelta(days=6),
        status=status,
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        kind="regular",
        placement=placement,
        timesheet=sheet,
        description="Regular hours",
        quantity=Decimal(40),
        unit_price=Decimal(95),
        amount=Decimal(3800),
    )
    return invoice


def started_contract_to_hire(
    tenant, recruiter, compliance_officer, *, start: dt.date, fee_terms=None
) -> Placement:
    terms = {**CONTRACT_TO_HIRE_TERMS, "start_date": start}
    offer = make_extended_offer(recruiter, tenant, terms)
    placement = services.accept_offer(recruiter, offer, fee_terms=fee_terms)
    clear_placement_gates(tenant, recruiter, compliance_officer)
    return start_on_its_day(recruiter, placement)


# --- start ------------------------------------------------------------------------------------------------


def test_start_is_blocked_by_the_compliance_gates_with_every_reason(accepted_contract_placement, recruiter):
    with pytest.raises(Conflict) as err:
        start_on_its_day(recruiter, accepted_contract_placement)
    for gate in ("Classification reviewed", "IP assignment signed", "Work authorization confirmed"):
        assert gate in err.value.message
    assert Placement.objects.get(pk=accepted_contract_placement.pk).status == "pending_start"
    assert Application.objects.get(pk=accepted_contract_placement.application_id).stage == "offer"


def test_start_moves_the_application_to_placed_once_gates_pass(
    accepted_contract_placement, application_at_offer, recruiter, compliance_officer
):
    clear_placement_gates(application_at_offer, recruiter, compliance_officer)
    started = start_on_its_day(recruiter, accepted_contract_placement)
    assert (started.status, started.version) == ("active", 2)
    application = Application.objects.get(pk=started.application_id)
    assert application.stage == "placed"
    event = StageEvent.objects.filter(application=application).latest("id")
    assert (event.from_stage, event.to_stage) == ("offer", "placed")
    assert list(
        AuditLog.objects.filter(object_type="placements.placement", object_id=str(started.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["create", "update"]
    with pytest.raises(Conflict, match="cannot start"):
        services.start_placement(recruiter, started)


def test_start_refuses_an_application_moved_away_from_offer(accepted_contract_placement, recruiter):
    from cadre.pipeline.services import move_application

    move_application(
        recruiter, accepted_contract_placement.application, to_stage="withdrawn", reason="Relocated"
    )
    with pytest.raises(Conflict, match="Withdrawn"):
        start_on_its_day(recruiter, accepted_contract_placement)


def test_only_editors_start_placements(accepted_contract_placement, compliance_officer, application_at_offer):
    for user in (compliance_officer, application_at_offer.hiring_manager):
        with pytest.raises(Forbidden):
            services.start_placement(user, accepted_contract_placement)


# --- end ----------------------------------------------------------------------------------------------------


def test_ending_a_pending_placement_cancels_it(accepted_contract_placement, recruiter):
    with pytest.raises(ValidationFailed) as err:
        services.end_placement(recruiter, accepted_contract_placement, reason="")
    assert err.value.field == "reason"
    cancelled = services.end_placement(recruiter, accepted_contract_placement, reason="Candidate relocated")
    assert (cancelled.status, cancelled.ended_reason) == ("cancelled", "Candidate relocated")
    with pytest.raises(Conflict, match="already cancelled"):
        services.end_placement(recruiter, cancelled, reason="Again")


def test_ending_an_active_placement(
    accepted_contract_placement, application_at_offer, recruiter, compliance_officer
):
    clear_placement_gates(application_at_offer, recruiter, compliance_officer)
    placement = start_on_its_day(recruiter, accepted_contract_placement)
    with pytest.raises(ValidationFailed) as err:
        services.end_placement(
            recruiter, placement, reason="Project cut", end_date=START - dt.timedelta(days=1)
        )
    assert err.value.field == "end_date"
    monday = START - dt.timedelta(days=START.weekday()) + dt.timedelta(days=7)
    worked(placement, monday)
    with pytest.raises(Conflict, match="hours are recorded"):
        services.end_placement(
            recruiter, placement, reason="Project cut", end_date=monday + dt.timedelta(days=1)
        )
    ended = services.end_placement(
        recruiter, placement, reason="Project cut", end_date=monday + dt.timedelta(days=4)
    )
    assert (ended.status, ended.end_date, ended.ended_reason) == (
        "ended",
        monday + dt.timedelta(days=4),
        "Project cut",
    )


# --- convert ------------------------------------------------------------------------------------------------


def test_conversion_fee_is_prorated_by_months_worked(tenant_a, recruiter, compliance_officer):
    start = dt.date(2026, 9, 1)
    placement = started_contract_to_hire(
        tenant_a,
        recruiter,
        compliance_officer,
        start=start,
        fee_terms={"kind": "conversion", "percent": "25", "method": "prorate", "schedule_months": 12},
    )
    converted = services.convert_placement(
        recruiter, placement, salary="165000", converted_on=dt.date(2026, 11, 1)
    )
    assert (converted.status, converted.converted_on) == ("converted", dt.date(2026, 11, 1))
    assert converted.end_date == dt.date(2026, 10, 31) and converted.salary == Decimal(165000)
    fee = Fee.objects.get(placement=converted)
    # 25 % pro-rated after 2 of 12 months = 25 × 10/12 = 20.8333 %; × 165,000 = 34,375.00.
    assert (fee.kind, fee.percent, fee.amount, fee.status) == (
        "conversion",
        Decimal("20.8333"),
        Decimal("34375.00"),
        "pending",
    )
    assert fee.calculation["inputs"]["months_worked"] == "2"


def test_conversion_is_free_after_the_agreed_hours(tenant_a, recruiter, compliance_officer):
    start = dt.date(2026, 8, 3)  # a Monday
    placement = started_contract_to_hire(
        tenant_a,
        recruiter,
        compliance_officer,
        start=start,
        fee_terms={
            "kind": "conversion",
            "percent": "20",
            "method": "free_after_hours",
            "free_after_hours": "80",
        },
    )
    worked(placement, start)  # 40 approved hours
    worked(placement, start + dt.timedelta(days=7), status="submitted")  # not approved: not counted
    quote = services.conversion_quote(placement, salary=Decimal(150000), converted_on=dt.date(2026, 9, 1))
    assert quote.amount == Decimal("30000.00") and quote.inputs["hours_worked"] == "40"
    worked(placement, start + dt.timedelta(days=14))  # 80 approved hours
    converted = services.convert_placement(
        recruiter, placement, salary="150000", converted_on=dt.date(2026, 9, 1)
    )
    fee = Fee.objects.get(placement=converted)
    assert (fee.amount, fee.status) == (Decimal("0.00"), "waived")


def test_conversion_credit_for_fees_paid(tenant_a, recruiter, compliance_officer):
    placement = started_contract_to_hire(
        tenant_a,
        recruiter,
        compliance_officer,
        start=dt.date(2026, 6, 1),
        fee_terms={"kind": "conversion", "percent": "20", "method": "credit", "credit_rate": "10"},
    )
    # 20 % of 100,000 less 10 % of 15,000 fees already paid = 18,500 (research note §4).
    converted = services.convert_placement(
        recruiter, placement, salary="100000", converted_on=dt.date(2026, 10, 1), fees_paid="15000"
    )
    assert Fee.objects.get(placement=converted).amount == Decimal("18500.00")


def test_conversion_needs_an_active_contract_to_hire_and_a_later_date(
    accepted_contract_placement, tenant_a, recruiter, compliance_officer
):
    with pytest.raises(Conflict, match="contract-to-hire"):
        services.convert_placement(
            recruiter, accepted_contract_placement, salary="150000", converted_on=START
        )
    with pytest.raises(ValidationFailed) as err:
        services.convert_placement(recruiter, accepted_contract_placement, salary="-1", converted_on=START)
    assert err.value.field == "salary"
    Placement.objects.all().delete()
    placement = started_contract_to_hire(tenant_a, recruiter, compliance_officer, start=dt.date(2026, 9, 1))
    with pytest.raises(ValidationFailed) as err:
        services.convert_placement(recruiter, placement, salary="150000", converted_on=dt.date(2026, 9, 1))
    assert err.value.field == "converted_on"
    assert not Fee.objects.exists()


# --- rate cards ---------------------------------------------------------------------------------------------


def test_rate_cards_are_effective_dated(accepted_contract_placement, recruiter):
    raise_on = START + dt.timedelta(days=30)
    card = services.add_rate_card(
        recruiter,
        accepted_contract_placement,
        effective_from=raise_on,
        pay_regular="65",
        bill_regular="100",
        reason="Annual raise",
    )
    assert (card.pay_overtime, card.bill_double) == (Decimal("97.5"), Decimal(200))
    assert selectors.rate_card_on(accepted_contract_placement, START - dt.timedelta(days=1)) is None
    assert selectors.rate_card_on(accepted_contract_placement, START).pay_regular == Decimal(60)
    assert selectors.rate_card_on(
        accepted_contract_placement, raise_on - dt.timedelta(days=1)
    ).pay_regular == Decimal(60)
    assert selectors.rate_card_on(accepted_contract_placement, raise_on).pk == card.pk
    assert selectors.rate_card_on(accepted_contract_placement, raise_on + dt.timedelta(days=90)).pk == card.pk
    with pytest.raises(Conflict, match="already starts"):
        services.add_rate_card(
            recruiter,
            accepted_contract_placement,
            effective_from=raise_on,
            pay_regular="66",
            bill_regular="100",
        )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"effective_from": START - dt.timedelta(days=1)}, "effective_from"),
        ({"effective_from": START + dt.timedelta(days=400)}, "effective_from"),
        ({"pay_regular": "-1"}, "pay_regular"),
        ({"bill_overtime": "-1"}, "bill_overtime"),
        ({"effective_from": "next week"}, "effective_from"),
    ],
)
def test_bad_rate_cards_are_refused(accepted_contract_placement, recruiter, kwargs, field):
    args = {
        "effective_from": START + dt.timedelta(days=7),
        "pay_regular": "65",
        "bill_regular": "100",
        **kwargs,
    }
    with pytest.raises(ValidationFailed) as err:
        services.add_rate_card(recruiter, accepted_contract_placement, **args)
    assert err.value.field == field
    assert RateCard.objects.count() == 1


def test_bill_below_pay_rate_card_is_allowed(accepted_contract_placement, recruiter):
    card = services.add_rate_card(
        recruiter,
        accepted_contract_placement,
        effective_from=START + dt.timedelta(days=7),
        pay_regular="100",
        bill_regular="90",
    )
    assert card.pk is not None


def test_a_new_card_cannot_start_on_or_before_an_invoiced_day(
    accepted_contract_placement, application_at_offer, recruiter, compliance_officer
):
    clear_placement_gates(application_at_offer, recruiter, compliance_officer)
    placement = start_on_its_day(recruiter, accepted_contract_placement)
    monday = START - dt.timedelta(days=START.weekday()) + dt.timedelta(days=7)
    sheet = worked(placement, monday)
    invoice = invoiced(placement, sheet)
    last_day = monday + dt.timedelta(days=4)
    with pytest.raises(Conflict, match=f"hours up to {last_day} are invoiced"):
        services.add_rate_card(
            recruiter, placement, effective_from=last_day, pay_regular="65", bill_regular="100"
        )
    assert services.add_rate_card(
        recruiter,
        placement,
        effective_from=last_day + dt.timedelta(days=1),
        pay_regular="65",
        bill_regular="100",
    )
    Invoice.objects.filter(pk=invoice.pk).update(status="void")  # a void invoice settles nothing
    assert services.add_rate_card(
        recruiter, placement, effective_from=monday, pay_regular="62", bill_regular="98"
    )


def test_finished_placements_take_no_rate_cards(accepted_contract_placement, recruiter):
    cancelled = services.end_placement(recruiter, accepted_contract_placement, reason="Cancelled by client")
    with pytest.raises(Conflict, match="rates are final"):
        services.add_rate_card(recruiter, cancelled, effective_from=START, pay_regular="1", bill_regular="2")


def test_direct_hire_has_no_rate_cards(extended_direct_hire_offer, recruiter):
    placement = services.accept_offer(recruiter, extended_direct_hire_offer)
    with pytest.raises(Conflict, match="salaried"):
        services.add_rate_card(
            recruiter, placement, effective_from=START, pay_regular="60", bill_regular="95"
        )


# --- fees and splits ----------------------------------------------------------------------------------


def test_record_fee_and_its_status(accepted_contract_placement, recruiter):
    fee = services.record_fee(
        recruiter,
        accepted_contract_placement,
        kind="contingency",
        label="Replacement search (flat)",
        basis="0",
        percent="0",
        amount="5000",
        due_on=str(START),
        note="Agreed by e-mail",
    )
    assert (fee.amount, fee.status, fee.due_on) == (Decimal(5000), "pending", START)
    assert fee.calculation == {"recorded_manually": True, "note": "Agreed by e-mail"}
    with pytest.raises(ValidationFailed) as err:
        services.record_fee(
            recruiter, accepted_contract_placement, kind="bonus", label="x", basis=0, percent=0, amount=1
        )
    assert err.value.field == "kind"
    with pytest.raises(ValidationFailed) as err:
        services.record_fee(
            recruiter,
            accepted_contract_placement,
            kind="contingency",
            label="x",
            basis=0,
            percent=0,
            amount="-1",
        )
    assert err.value.field == "amount"
    assert services.set_fee_status(recruiter, fee, "invoiced").status == "invoiced"
    assert services.set_fee_status(recruiter, fee, "paid").status == "paid"
    with pytest.raises(Conflict):
        services.set_fee_status(recruiter, fee, "waived")
    assert Fee.objects.count() == 1


def test_commission_splits(accepted_contract_placement, recruiter, make_user, application_at_offer):
    sam = make_user("sam")
    rows = services.set_commission_splits(
        recruiter, accepted_contract_placement, [(recruiter, "recruiter", "60"), (sam, "sourcer", "40")]
    )
    assert [(r.user, r.share_percent) for r in rows] == [(recruiter, Decimal(60)), (sam, Decimal(40))]
    assert CommissionSplit.objects.filter(placement=accepted_contract_placement).count() == 2
    bad = [
        ([(recruiter, "recruiter", "70"), (sam, "sourcer", "40")], "splits"),
        ([(recruiter, "recruiter", "0")], "splits.0.share_percent"),
        ([(recruiter, "recruiter", "50"), (recruiter, "recruiter", "10")], "splits.1.user_id"),
        ([(application_at_offer.hiring_manager, "recruiter", "50")], "splits.0.user_id"),
        ([(sam, "closer", "50")], "splits.0.role"),
    ]
    for splits, field in bad:
        with pytest.raises(ValidationFailed) as err:
            services.set_commission_splits(recruiter, accepted_contract_placement, splits)
        assert err.value.field == field
    assert CommissionSplit.objects.filter(placement=accepted_contract_placement).count() == 2
    assert AuditLog.objects.filter(object_type="placements.commissionsplit", action="delete").count() == 1


# --- selectors --------------------------------------------------------------------------------------------


def test_hiring_managers_see_only_their_clients_placements(
    accepted_contract_placement, tenant_b, compliance_officer
):
    hana = accepted_contract_placement.client.hiring_managers.get()
    assert list(selectors.placements_visible_to(hana)) == [accepted_contract_placement]
    assert list(selectors.placements_visible_to(tenant_b.hiring_manager)) == []
    with pytest.raises(NotFound):
        selectors.get_placement(tenant_b.hiring_manager, accepted_contract_placement.pk)
    assert (
        selectors.get_placement(compliance_officer, accepted_contract_placement.pk).pk
        == accepted_contract_placement.pk
    )


def test_totals_over_the_list(
    accepted_contract_placement, application_at_offer, recruiter, compliance_officer, tenant_b
):
    clear_placement_gates(application_at_offer, recruiter, compliance_officer)
    start_on_its_day(recruiter, accepted_contract_placement)
    if START > TODAY:  # the rates in force today: the card starts at the placement's start
        RateCard.objects.filter(placement=accepted_contract_placement).update(effective_from=TODAY)
    offer = make_extended_offer(recruiter, tenant_b, {**DIRECT_HIRE_TERMS, "salary": "100000"})
    services.accept_offer(recruiter, offer, fee_terms={"kind": "contingency", "percent": "25"})
    totals = selectors.placement_totals(selectors.list_placements(recruiter))
    assert totals.count == 2
    assert totals.by_status == {"active": 1, "pending_start": 1}
    assert totals.by_engagement == {"contract": 1, "direct_hire": 1}
    usd = totals.in_currency("USD")
    assert [t.currency for t in totals.by_currency] == ["USD"]
    assert usd.fees == Decimal("25000.00")
    assert (usd.weekly_revenue, usd.weekly_spread) == (Decimal("3800.00"), Decimal("1400.00"))  # 95×40, 35×40
    contract_only = selectors.placement_totals(
        selectors.list_placements(recruiter, engagement_type="contract")
    )
    assert contract_only.count == 1 and contract_only.in_currency("USD").fees == 0


def test_totals_never_add_across_currencies(
    accepted_contract_placement, application_at_offer, recruiter, compliance_officer, tenant_b
):
    clear_placement_gates(application_at_offer, recruiter, compliance_officer)
    start_on_its_day(recruiter, accepted_contract_placement)
    if START > TODAY:
        RateCard.objects.filter(placement=accepted_contract_placement).update(effective_from=TODAY)
    offer = make_extended_offer(
        recruiter, tenant_b, {**DIRECT_HIRE_TERMS, "salary": "100000", "currency": "EUR"}
    )
    services.accept_offer(recruiter, offer, fee_terms={"kind": "contingency", "percent": "20"})
    totals = selectors.placement_totals(selectors.list_placements(recruiter))
    assert [t.currency for t in totals.by_currency] == ["EUR", "USD"]
    eur, usd = totals.by_currency
    assert (eur.fees, eur.weekly_revenue) == (Decimal("20000.00"), 0)  # 20% of 100,000 EUR
    assert (usd.fees, usd.weekly_revenue, usd.weekly_spread) == (0, Decimal("3800.00"), Decimal("1400.00"))


def test_economics_panel_of_a_w2_contract(accepted_contract_placement):
    panel = selectors.placement_economics(accepted_contract_placement, as_of=START)
    assert panel.kind == "contract" and panel.card.pay_regular == Decimal(60)
    assert panel.weeks == Decimal("26.00")
    result = panel.result
    # markup (95-60)/60, spread (95-60)/95
    assert result["markup"] == "0.583333" and result["spread"] == "0.368421"
    components = {line["component"]: line for line in result["burden"]}
    assert set(components) >= {"social_security", "medicare", "futa", "suta", "workers_comp"}
    assert Decimal(components["medicare"]["amount"]) == Decimal("904.80")  # 60 × 40 × 26 × 1.45 %
    assert Decimal(result["totals"]["engagement"]["revenue"]) == Decimal("98800.00")
    assert panel.commission and panel.commission[0][2] == Decimal(100)
    assert panel.commission[0][3] == Decimal(result["totals"]["engagement"]["gross_profit"])


def test_economics_panel_flags_negative_margin_and_skips_burden_for_1099(application_at_offer, recruiter):
    terms = {**CONTRACT_TERMS, "vehicle": "1099", "pay_rate": "100", "bill_rate": "90"}
    placement = services.accept_offer(recruiter, make_extended_offer(recruiter, application_at_offer, terms))
    panel = selectors.placement_economics(placement, as_of=START)
    assert any("negative margin" in w for w in panel.warnings)
    assert all(Decimal(line["amount"]) == 0 for line in panel.result["burden"])
    assert panel.commission[0][3] == Decimal(0)  # no commission on a loss


def test_economics_panel_of_a_direct_hire_shows_fees(extended_direct_hire_offer, recruiter):
    placement = services.accept_offer(recruiter, extended_direct_hire_offer)
    panel = selectors.placement_economics(placement)
    assert panel.kind == "salary" and panel.fee_total == Decimal("36000.00")  # 20 % default of 180,000
    assert panel.commission[0][3] == Decimal("36000.00")


# --- demo ---------------------------------------------------------------------------------------------------


def test_demo_seeds_offers_and_placements_consistently(settings, tmp_path):
    from cadre.web.demo import load_demo

    settings.CADRE_HOME = tmp_path
    load_demo(people=60, seed=2026)
    placements = list(Placement.objects.all())
    assert len({p.engagement_type for p in placements}) >= 2  # all three at the default 300 people
    assert {"active", "pending_start"} <= {p.status for p in placements}
    for p in placements:
        assert p.offer is not None and p.offer.status == "accepted"
        assert p.commission_splits.exists()
        assert p.onboarding_tasks.exists()
        if p.pay_basis == "hourly":
            assert selectors.rate_card_on(p, p.start_date) is not None
        if p.engagement_type == "direct_hire":
            assert p.fees.exists() and p.salary
        if p.status in {"active", "ended", "converted"}:
            assert p.application.stage == "placed"
    assert {"extended", "superseded", "accepted"} <= set(Offer.objects.values_list("status", flat=True))
    # Seeding wrote no stage move: each application's last event is still its stage.
    for app in Application.objects.filter(stage__in=["offer", "placed"]):
        assert StageEvent.objects.filter(application=app).latest("at").to_stage == app.stage
