"""Offer and placement pages: forms keep the input and show errors inline, scoping (404 across clients),
roles, the start blocked by compliance gates, the economics panel, and the links from the pipeline board."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from tests.web.helpers import login

from cadre.pipeline.models import Application
from cadre.placements import services
from cadre.placements.models import CommissionSplit, Offer, Placement, RateCard

from .conftest import CONTRACT_TERMS, START, TODAY, clear_placement_gates, on_day

pytestmark = pytest.mark.django_db


def form_data(terms: dict) -> dict:
    return {k: ("" if v is None else str(v)) for k, v in terms.items()}


# --- offers -------------------------------------------------------------------------------------------------


def test_new_offer_form_starts_from_the_job_order(application_at_offer, recruiter):
    response = login(recruiter).get(reverse("offer-create", args=[application_at_offer.application.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="pay_rate"' in page and 'value="110"' in page and 'value="160"' in page  # top of the bands
    assert "Save draft" in page


def test_a_refused_offer_keeps_the_input_and_shows_the_error_on_its_field(application_at_offer, recruiter):
    url = reverse("offer-create", args=[application_at_offer.application.pk])
    data = form_data({**CONTRACT_TERMS, "pay_rate": "-5", "terms": "Remote; equipment provided"})
    response = login(recruiter).post(url, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "pay rate cannot be negative (-5)" in page
    assert 'value="-5"' in page and "Remote; equipment provided" in page and 'value="95"' in page
    assert not Offer.objects.exists()
    data = form_data({**CONTRACT_TERMS, "end_date": str(START - dt.timedelta(days=1))})
    page = login(recruiter).post(url, data).content.decode()
    assert "is before the start date" in page


def test_create_extend_revise_and_see_the_diff(tenant_a, recruiter):
    client = login(recruiter)
    response = client.post(reverse("offer-create", args=[tenant_a.application.pk]), form_data(CONTRACT_TERMS))
    offer = Offer.objects.get()
    assert response.status_code == 302 and response.url == reverse("offer-detail", args=[offer.pk])
    response = client.post(
        reverse("offer-extend", args=[offer.pk]), {"expires_on": str(TODAY + dt.timedelta(days=5))}
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=tenant_a.application.pk).stage == "offer"
    revise_url = reverse("offer-revise", args=[offer.pk])
    page = client.get(revise_url).content.decode()
    assert 'value="60"' in page and "r1 → r2" in page
    response = client.post(revise_url, form_data({**CONTRACT_TERMS, "bill_rate": "99.5"}))
    revised = Offer.objects.get(revision=2)
    assert response.url == reverse("offer-detail", args=[revised.pk])
    page = client.get(response.url).content.decode()
    assert "Changed since r1" in page and "<del>95</del>" in page and "<ins>99.5</ins>" in page
    old_page = client.get(reverse("offer-detail", args=[offer.pk])).content.decode()
    assert "This revision was superseded" in old_page and "Revision 2" in old_page


def test_bill_below_pay_is_flagged_on_the_offer_page(application_at_offer, recruiter):
    offer = services.create_offer(
        recruiter,
        application_at_offer.application,
        **{**CONTRACT_TERMS, "pay_rate": "100", "bill_rate": "90"},
    )
    page = login(recruiter).get(reverse("offer-detail", args=[offer.pk])).content.decode()
    assert "Negative margin: the bill rate 90.00 is below the pay rate 100.00" in page


def test_accept_from_the_offer_page(extended_contract_offer, recruiter):
    client = login(recruiter)
    url = reverse("offer-accept", args=[extended_contract_offer.pk])
    response = client.post(url, {"bill_overtime": "-3"})
    assert response.status_code == 422
    assert "overtime bill rate cannot be negative (-3)" in response.content.decode()
    assert 'value="-3"' in response.content.decode()
    assert not Placement.objects.exists()
    response = client.post(url, {"pay_overtime": "85"})  # W-2: below 1.5x the regular pay of 60
    assert response.status_code == 422 and "FLSA time-and-a-half" in response.content.decode()
    assert not Placement.objects.exists()
    response = client.post(url, {"pay_overtime": "95"})
    placement = Placement.objects.get()
    assert response.url == reverse("placement-detail", args=[placement.pk])
    assert RateCard.objects.get(placement=placement).pay_overtime == Decimal(95)
    again = client.post(url, {})
    assert again.status_code == 409 and "already accepted" in again.content.decode()


def test_decline_without_a_reason_is_refused_inline(extended_contract_offer, recruiter):
    client = login(recruiter)
    response = client.post(
        reverse("offer-decline", args=[extended_contract_offer.pk]), {"decline-reason": ""}
    )
    assert response.status_code == 422 and "declining an offer needs a reason" in response.content.decode()
    response = client.post(
        reverse("offer-decline", args=[extended_contract_offer.pk]),
        {"decline-reason": "Took a counter-offer"},
    )
    assert response.status_code == 302
    assert Offer.objects.get().status == "declined"


def test_hiring_managers_read_their_clients_offers_and_may_withdraw(extended_contract_offer, tenant_b):
    hana = extended_contract_offer.application.requisition.client.hiring_managers.get()
    own = login(hana)
    page = own.get(reverse("offer-detail", args=[extended_contract_offer.pk])).content.decode()
    assert "Withdraw the offer" in page and "Record acceptance" not in page
    assert own.post(reverse("offer-accept", args=[extended_contract_offer.pk]), {}).status_code == 403
    assert (
        login(tenant_b.hiring_manager)
        .get(reverse("offer-detail", args=[extended_contract_offer.pk]))
        .status_code
        == 404
    )
    response = own.post(
        reverse("offer-withdraw", args=[extended_contract_offer.pk]), {"withdraw-reason": "Budget frozen"}
    )
    assert response.status_code == 302 and Offer.objects.get().status == "withdrawn"


def test_board_links_offer_stage_candidates_to_their_offer(application_at_offer, recruiter):
    page = login(recruiter).get(reverse("requisition-detail", args=[application_at_offer.requisition.pk]))
    url = reverse("application-offers", args=[application_at_offer.application.pk])
    assert url in page.content.decode()
    response = login(recruiter).get(url)
    assert response.url == reverse("offer-create", args=[application_at_offer.application.pk])
    offer = services.create_offer(recruiter, application_at_offer.application, **CONTRACT_TERMS)
    assert login(recruiter).get(url).url == reverse("offer-detail", args=[offer.pk])
    placement = services.accept_offer(recruiter, services.extend_offer(recruiter, offer))
    assert login(recruiter).get(url).url == reverse("placement-detail", args=[placement.pk])


# --- placements -------------------------------------------------------------------------------------------


def test_list_with_filters_totals_and_scoping(
    accepted_contract_placement, recruiter, tenant_b, compliance_officer
):
    page = login(recruiter).get(reverse("placement-list")).content.decode()
    assert "Ana Lima" in page and "Placements" in page and "Pending start" in page
    assert reverse("placement-detail", args=[accepted_contract_placement.pk]) in page
    filtered = (
        login(recruiter).get(reverse("placement-list"), {"engagement_type": "direct_hire"}).content.decode()
    )
    assert "Ana Lima" not in filtered and "No placements match" in filtered
    assert "Ana Lima" not in login(tenant_b.hiring_manager).get(reverse("placement-list")).content.decode()
    assert "Ana Lima" in login(compliance_officer).get(reverse("placement-list")).content.decode()
    assert 'href="/placements/"' in page  # the nav link


def test_detail_shows_terms_rates_economics_and_blocking_gates(accepted_contract_placement, recruiter):
    url = reverse("placement-detail", args=[accepted_contract_placement.pk])
    response = login(recruiter).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not ready to place" in page
    gates_url = reverse("application-gates", args=[accepted_contract_placement.application_id])
    assert f"{gates_url}#gate-ip_assignment" in page
    assert "58.3%" in page and "36.8%" in page  # markup and spread of 60 / 95
    assert "Where each billed hour goes" in page and "Social Security (employer)" in page
    assert "142.50" in page and "190.00" in page  # overtime and double-time bill
    assert reverse("placement-onboarding", args=[accepted_contract_placement.pk]) in page


def test_detail_is_404_across_clients(accepted_contract_placement, tenant_b):
    hana = accepted_contract_placement.client.hiring_managers.get()
    url = reverse("placement-detail", args=[accepted_contract_placement.pk])
    assert login(hana).get(url).status_code == 200
    assert login(tenant_b.hiring_manager).get(url).status_code == 404
    start = reverse("placement-start", args=[accepted_contract_placement.pk])
    assert login(tenant_b.hiring_manager).post(start).status_code == 404
    assert login(hana).post(start).status_code == 403


def test_start_blocked_then_allowed(
    accepted_contract_placement, application_at_offer, recruiter, compliance_officer
):
    client = login(recruiter)
    url = reverse("placement-start", args=[accepted_contract_placement.pk])
    early = client.post(url)
    assert early.status_code == 409 and "starts on" in early.content.decode()
    with on_day(accepted_contract_placement.start_date):
        response = client.post(url)
        assert response.status_code == 409
        page = response.content.decode()
        assert "Not started." in page and "IP assignment signed" in page
        clear_placement_gates(application_at_offer, recruiter, compliance_officer)
        assert client.post(url).status_code == 302
    assert Placement.objects.get().status == "active"
    assert Application.objects.get(pk=application_at_offer.application.pk).stage == "placed"


def test_rate_card_form_errors_inline_and_negative_margin_warning(accepted_contract_placement, recruiter):
    client = login(recruiter)
    url = reverse("placement-rate-card-add", args=[accepted_contract_placement.pk])
    data = {"effective_from": str(START - dt.timedelta(days=3)), "pay_regular": "65", "bill_regular": "99"}
    response = client.post(url, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "rates cannot start before the placement" in page and 'value="99"' in page
    response = client.post(
        url, {**data, "effective_from": str(START + dt.timedelta(days=30)), "bill_regular": "60"}, follow=True
    )
    assert "Negative margin: the bill rate 60.00 is below the pay rate 65.00" in response.content.decode()
    assert RateCard.objects.count() == 2


def test_splits_form(accepted_contract_placement, recruiter, make_user):
    sam = make_user("sam")
    client = login(recruiter)
    url = reverse("placement-splits", args=[accepted_contract_placement.pk])
    bad = {
        "user_0": recruiter.pk,
        "role_0": "recruiter",
        "share_0": "70",
        "user_1": sam.pk,
        "role_1": "sourcer",
        "share_1": "40",
    }
    response = client.post(url, bad)
    assert response.status_code == 422 and "above 100%" in response.content.decode()
    assert client.post(url, {**bad, "share_0": "60"}).status_code == 302
    assert sorted(CommissionSplit.objects.values_list("share_percent", flat=True)) == [
        Decimal(40),
        Decimal(60),
    ]


def test_end_form_needs_a_reason(accepted_contract_placement, recruiter):
    client = login(recruiter)
    url = reverse("placement-end", args=[accepted_contract_placement.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 422 and "ending a placement needs a reason" in response.content.decode()
    assert client.post(url, {"reason": "Client cancelled the project"}).status_code == 302
    assert Placement.objects.get().status == "cancelled"


def test_direct_hire_detail_shows_fees_and_status_changes(extended_direct_hire_offer, recruiter):
    placement = services.accept_offer(recruiter, extended_direct_hire_offer)
    client = login(recruiter)
    page = client.get(reverse("placement-detail", args=[placement.pk])).content.decode()
    assert "36,000.00" in page and "Placement fee (due on placement)" in page
    fee = placement.fees.get()
    assert (
        client.post(reverse("placement-fee-status", args=[fee.pk]), {"status": "refunded"}).status_code == 409
    )
    assert (
        client.post(reverse("placement-fee-status", args=[fee.pk]), {"status": "invoiced"}).status_code == 302
    )
    fee.refresh_from_db()
    assert fee.status == "invoiced"


def test_compliance_officer_reads_but_cannot_change(
    accepted_contract_placement, compliance_officer, recruiter
):
    client = login(compliance_officer)
    page = client.get(reverse("placement-detail", args=[accepted_contract_placement.pk])).content.decode()
    assert "Start placement" not in page and "New rates from a date" not in page
    url = reverse("placement-rate-card-add", args=[accepted_contract_placement.pk])
    assert (
        client.post(url, {"effective_from": str(START), "pay_regular": "1", "bill_regular": "2"}).status_code
        == 403
    )
    assert (
        client.get(reverse("offer-create", args=[accepted_contract_placement.application_id])).status_code
        == 403
    )


def test_admin_lists_offers_and_placements_read_mostly(accepted_contract_placement, admin_user):
    client = login(admin_user)
    for name in ("offer", "placement", "fee", "burdensetting", "timesheet", "invoice"):
        assert client.get(reverse(f"admin:placements_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:placements_placement_change", args=[accepted_contract_placement.pk]))
    assert page.status_code == 200 and "95.0000" in page.content.decode()  # the rate card inline
    assert client.get(reverse("admin:placements_placement_add")).status_code == 403


def test_direct_hire_fee_terms_error_shows_on_the_fee_field(extended_direct_hire_offer, recruiter):
    client = login(recruiter)
    url = reverse("offer-accept", args=[extended_direct_hire_offer.pk])
    page = client.get(reverse("offer-detail", args=[extended_direct_hire_offer.pk])).content.decode()
    assert 'name="fee_percent"' in page and 'name="pay_overtime"' not in page  # salaried: no overtime
    response = client.post(url, {"fee_kind": "retained", "fee_percent": "140"})
    assert response.status_code == 422
    assert "percent is a percent between 0 and 100, not 140" in response.content.decode()
    assert not Placement.objects.exists()
    assert client.post(url, {"fee_kind": "retained", "fee_percent": "30"}).status_code == 302
    assert sum(f.amount for f in Placement.objects.get().fees.all()) == Decimal("60000.00")  # 30% of 200k
