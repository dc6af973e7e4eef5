"""S2: a client's hiring manager sees what the client is charged (bill rates, hours, fee amounts) and never
the agency's side: pay rates, burden, gross profit and margin, markup, commission splits, fee workings.
Every surface is checked as the hiring manager and, so the check can fail, as a recruiter."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from tests.web.helpers import login

from cadre.core.roles import Role
from cadre.placements import selectors, services

from .conftest import api_client

pytestmark = pytest.mark.django_db

AGENCY_ONLY = ("Gross profit", "Commission splits", "Markup", "Burden")


@pytest.fixture
def placement(accepted_contract_placement, recruiter):
    services.record_fee(
        recruiter,
        accepted_contract_placement,
        kind="contingency",
        label="Sourcing fee",
        basis=Decimal("100000"),
        percent=Decimal("10"),
        amount=Decimal("10000"),
        note="agreed by phone",
    )
    return accepted_contract_placement


def hiring_manager(placement):
    return placement.client.hiring_managers.get()


def test_the_rule(make_user):
    assert selectors.can_see_economics(make_user("ad", Role.ADMIN))
    assert selectors.can_see_economics(make_user("re", Role.RECRUITER))
    assert selectors.can_see_economics(make_user("co", Role.COMPLIANCE_OFFICER))  # classification needs pay
    assert not selectors.can_see_economics(make_user("hm", Role.HIRING_MANAGER))


def test_placement_page(placement, recruiter):
    url = reverse("placement-detail", args=[placement.pk])
    mine = login(recruiter).get(url).content.decode()
    assert all(word in mine for word in AGENCY_ONLY) and ">60.00<" in mine and "agreed by phone" in mine
    response = login(hiring_manager(placement)).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert not [word for word in AGENCY_ONLY if word in page]
    assert "95.00" in page and "142.50" in page  # bill regular and overtime
    assert ">60.00<" not in page and ">90.00<" not in page and ">120.00<" not in page  # the pay rates
    assert "Sourcing fee" in page and "10,000.00" in page and "agreed by phone" not in page


def test_placement_list(placement, recruiter):
    url = reverse("placement-list")
    assert "Weekly spread" in login(recruiter).get(url).content.decode()
    page = login(hiring_manager(placement)).get(url).content.decode()
    assert "Weekly spread" not in page and "Markup" not in page and "Pay / bill" not in page
    assert "Bill today" in page


def test_offer_page(placement, recruiter):
    url = reverse("offer-detail", args=[placement.offer_id])
    assert "Pay / bill" in login(recruiter).get(url).content.decode()
    page = login(hiring_manager(placement)).get(url).content.decode()
    assert "Pay / bill" not in page and "60.00" not in page
    assert "Bill rate" in page and "95.00" in page


def test_offer_page_hides_the_margin_warning_and_pay_diffs(tenant_a, recruiter):
    from .conftest import CONTRACT_TERMS

    offer = services.create_offer(recruiter, tenant_a.application, **{**CONTRACT_TERMS, "bill_rate": "55"})
    revised = services.revise_offer(
        recruiter, offer, **{**CONTRACT_TERMS, "bill_rate": "50", "pay_rate": "58"}
    )
    url = reverse("offer-detail", args=[revised.pk])
    assert "negative margin" in login(recruiter).get(url).content.decode().lower()
    page = login(tenant_a.hiring_manager).get(url).content.decode()
    assert "negative margin" not in page.lower() and "Pay rate" not in page
    assert "Bill rate" in page  # the bill-rate change is shown


def test_api(placement, recruiter):
    hm = api_client(hiring_manager(placement))
    base = f"/api/placements/{placement.pk}"
    detail = hm.get(base).json()
    card = detail["rate_cards"][0]
    assert card["pay_regular"] is None and card["pay_overtime"] is None and card["pay_double"] is None
    assert Decimal(card["bill_regular"]) == 95 and card["warnings"] == []
    assert detail["splits"] == []
    assert [f["calculation"] for f in detail["fees"]] == [{}]
    assert Decimal(detail["fees"][0]["amount"]) == 10000
    assert hm.get(base + "/economics").status_code == 403
    assert hm.get(base + "/splits").status_code == 403
    assert hm.get(base + "/rate-cards").json()[0]["pay_regular"] is None
    assert hm.get(base + "/fees").json()[0]["calculation"] == {}
    offer = hm.get(f"/api/offers/{placement.offer_id}").json()
    assert offer["pay_rate"] is None and Decimal(offer["bill_rate"]) == 95
    history = hm.get(f"/api/offers/{placement.offer_id}/history").json()
    assert all(h["offer"]["pay_rate"] is None for h in history)
    # the agency sees it all
    mine = api_client(recruiter)
    assert Decimal(mine.get(base).json()["rate_cards"][0]["pay_regular"]) == 60
    assert mine.get(base + "/economics").status_code == 200
    assert len(mine.get(base + "/splits").json()) == 1
    assert mine.get(f"/api/offers/{placement.offer_id}").json()["pay_rate"] is not None


def test_another_clients_hiring_manager_still_gets_a_404(placement, tenant_b):
    other = api_client(tenant_b.hiring_manager)
    assert other.get(f"/api/placements/{placement.pk}/economics").status_code == 404
