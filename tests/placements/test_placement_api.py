"""The offers and placements REST API: the whole flow, clear 4xx errors, scoping and the economics."""

from __future__ import annotations

import datetime as dt

import pytest

from cadre.pipeline.models import Application
from cadre.placements.models import Offer, Placement

from .conftest import START, TODAY, api_client, clear_placement_gates, on_day

pytestmark = pytest.mark.django_db

TERMS = {
    "engagement_type": "contract",
    "pay_rate": "60",
    "bill_rate": 95,
    "hours_per_week": 40,
    "start_date": START.isoformat(),
    "end_date": (START + dt.timedelta(weeks=26) - dt.timedelta(days=1)).isoformat(),
    "work_state": "CA",
    "expires_on": (TODAY + dt.timedelta(days=7)).isoformat(),
}


def offers_url(application) -> str:
    return f"/api/applications/{application.pk}/offers"


def test_offer_flow_to_an_active_placement(tenant_a, recruiter, compliance_officer):
    api = api_client(recruiter)
    response = api.post(offers_url(tenant_a.application), TERMS)
    assert response.status_code == 201, response.content
    offer = response.json()
    assert (offer["revision"], offer["status"], offer["pay_rate"], offer["warnings"]) == (
        1,
        "draft",
        "60.0000",
        [],
    )
    response = api.post(f"/api/offers/{offer['id']}/extend", {})
    assert response.status_code == 200 and response.json()["status"] == "extended"
    assert Application.objects.get(pk=tenant_a.application.pk).stage == "offer"

    revised = api.post(f"/api/offers/{offer['id']}/revise", {"bill_rate": "98"})
    assert revised.status_code == 201
    second = revised.json()
    assert (second["revision"], second["status"], second["supersedes_id"]) == (2, "extended", offer["id"])
    assert api.get(f"/api/offers/{offer['id']}").json()["status"] == "superseded"
    history = api.get(f"/api/offers/{second['id']}/history").json()
    assert [h["offer"]["revision"] for h in history] == [2, 1]
    assert history[0]["changes"] == [
        {"field": "bill_rate", "label": "Bill rate", "before": "95", "after": "98"}
    ]
    assert [o["revision"] for o in api.get(offers_url(tenant_a.application)).json()] == [2, 1]

    accepted = api.post(f"/api/offers/{second['id']}/accept", {"pay_overtime": "98"})
    assert accepted.status_code == 201, accepted.content
    placement = accepted.json()
    assert placement["status"] == "pending_start" and placement["person_name"] == "Ana Lima"
    assert placement["rate_cards"][0]["pay_overtime"] == "98.0000"
    assert placement["rate_cards"][0]["bill_double"] == "196.0000"
    assert placement["splits"] == [
        {"user_id": recruiter.pk, "username": "rita", "role": "recruiter", "share_percent": "100.0000"}
    ]
    twice = api.post(f"/api/offers/{second['id']}/accept", {})
    assert twice.status_code == 409 and "already accepted" in twice.json()["detail"]

    early = api.post(f"/api/placements/{placement['id']}/start", {})
    assert early.status_code == 409 and f"starts on {START.isoformat()}" in early.json()["detail"]
    with on_day(START):
        blocked = api.post(f"/api/placements/{placement['id']}/start", {})
        assert blocked.status_code == 409 and "Work authorization confirmed" in blocked.json()["detail"]
        clear_placement_gates(tenant_a, recruiter, compliance_officer)
        started = api.post(f"/api/placements/{placement['id']}/start", {"reason": "Day one"})
    assert started.status_code == 200 and started.json()["status"] == "active"
    assert Application.objects.get(pk=tenant_a.application.pk).stage == "placed"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pay_rate": "-1"}, "pay_rate"),
        ({"end_date": (START - dt.timedelta(days=1)).isoformat()}, "end_date"),
        ({"work_state": "XX"}, "work_state"),
        ({"bill_rate": None}, "bill_rate"),
    ],
)
def test_bad_offers_are_422_with_the_field(tenant_a, recruiter, changes, field):
    response = api_client(recruiter).post(offers_url(tenant_a.application), {**TERMS, **changes})
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert not Offer.objects.exists()


def test_unknown_fields_and_types_are_422(tenant_a, recruiter):
    api = api_client(recruiter)
    assert api.post(offers_url(tenant_a.application), {**TERMS, "pay": "60"}).status_code == 422
    assert api.post(offers_url(tenant_a.application), {**TERMS, "engagement_type": "gig"}).status_code == 422


def test_bill_below_pay_is_saved_and_flagged(tenant_a, recruiter):
    response = api_client(recruiter).post(offers_url(tenant_a.application), {**TERMS, "bill_rate": "55"})
    assert response.status_code == 201
    body = response.json()
    assert body["negative_margin"] is True
    assert body["warnings"] == ["negative margin: the bill rate 55.00 is below the pay rate 60.00"]


def test_decline_and_withdraw_need_a_reason(extended_contract_offer, recruiter):
    api = api_client(recruiter)
    response = api.post(f"/api/offers/{extended_contract_offer.pk}/decline", {"reason": ""})
    assert response.status_code == 422 and response.json()["field"] == "reason"
    response = api.post(f"/api/offers/{extended_contract_offer.pk}/withdraw", {"reason": "Role cancelled"})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert response.json()["response_reason"] == "Role cancelled"


def test_scoping_and_roles(extended_contract_offer, tenant_b, compliance_officer, recruiter):
    hana = api_client(extended_contract_offer.application.requisition.client.hiring_managers.get())
    hugo = api_client(tenant_b.hiring_manager)
    assert hugo.get(f"/api/offers/{extended_contract_offer.pk}").status_code == 404
    assert hugo.get(offers_url(extended_contract_offer.application)).status_code == 404
    assert hana.get(f"/api/offers/{extended_contract_offer.pk}").status_code == 200
    assert hana.post(f"/api/offers/{extended_contract_offer.pk}/accept", {}).status_code == 403
    assert api_client(compliance_officer).post(offers_url(tenant_b.application), TERMS).status_code == 403
    placement = api_client(recruiter).post(f"/api/offers/{extended_contract_offer.pk}/accept", {}).json()
    assert hugo.get(f"/api/placements/{placement['id']}").status_code == 404
    assert hugo.get(f"/api/placements/{placement['id']}/economics").status_code == 404
    assert hugo.get("/api/placements").json()["count"] == 0
    assert hana.get("/api/placements").json()["count"] == 1
    assert hana.post(f"/api/placements/{placement['id']}/end", {"reason": "x" * 10}).status_code == 403


def test_list_filters(accepted_contract_placement, recruiter):
    api = api_client(recruiter)
    assert api.get("/api/placements", status="pending_start").json()["count"] == 1
    assert api.get("/api/placements", engagement_type="direct_hire").json()["count"] == 0
    assert api.get("/api/placements", status="bogus").status_code == 422
    items = api.get("/api/placements", client_id=accepted_contract_placement.client_id).json()["items"]
    assert [p["id"] for p in items] == [accepted_contract_placement.pk]


def test_rate_cards_fees_and_splits(accepted_contract_placement, recruiter, make_user):
    api = api_client(recruiter)
    base = f"/api/placements/{accepted_contract_placement.pk}"
    later = (START + dt.timedelta(days=60)).isoformat()
    card = api.post(
        f"{base}/rate-cards", {"effective_from": later, "pay_regular": "70", "bill_regular": "65"}
    )
    assert card.status_code == 201
    assert card.json()["warnings"] == [
        "negative margin: the bill rate 65.00 is below the pay rate 70.00",
        "negative overtime margin: bill 97.50 is below pay 105.00",
        "negative double-time margin: bill 130.00 is below pay 140.00",
    ]
    early = api.post(
        f"{base}/rate-cards", {"effective_from": "2000-01-01", "pay_regular": "70", "bill_regular": "99"}
    )
    assert early.status_code == 422 and early.json()["field"] == "effective_from"
    assert [c["effective_from"] for c in api.get(f"{base}/rate-cards").json()] == [later, START.isoformat()]

    fee = api.post(
        f"{base}/fees",
        {"kind": "contingency", "label": "Replacement fee", "basis": "0", "percent": "0", "amount": "2500"},
    )
    assert fee.status_code == 201 and fee.json()["amount"] == "2500.00"
    status = api.post(f"{base}/fees/{fee.json()['id']}/status", {"status": "paid"})
    assert status.status_code == 200 and status.json()["status"] == "paid"
    assert api.post(f"{base}/fees/{fee.json()['id']}/status", {"status": "waived"}).status_code == 409

    sam = make_user("sam")
    splits = api._send(
        "put",
        f"{base}/splits",
        {
            "splits": [
                {"user_id": recruiter.pk, "share_percent": "75"},
                {"user_id": sam.pk, "role": "sourcer", "share_percent": "25"},
            ]
        },
    )
    assert splits.status_code == 200
    assert [(s["username"], s["share_percent"]) for s in splits.json()] == [
        ("rita", "75.0000"),
        ("sam", "25.0000"),
    ]
    too_much = api._send("put", f"{base}/splits", {"splits": [{"user_id": sam.pk, "share_percent": "101"}]})
    assert too_much.status_code == 422


def test_economics_endpoint(accepted_contract_placement, recruiter):
    body = (
        api_client(recruiter)
        .get(f"/api/placements/{accepted_contract_placement.pk}/economics", as_of=START.isoformat())
        .json()
    )
    assert body["kind"] == "contract" and body["weeks"] == "26.00"
    economics = body["economics"]
    assert economics["markup"] == "0.583333" and economics["spread"] == "0.368421"
    assert economics["inputs"]["state"] == "CA"
    assert {"week", "year", "engagement"} <= set(economics["totals"])
    assert body["commission"][0]["share_percent"] == "100.0000"


def test_end_and_convert(accepted_contract_placement, recruiter):
    api = api_client(recruiter)
    base = f"/api/placements/{accepted_contract_placement.pk}"
    response = api.post(f"{base}/convert", {"salary": "150000", "converted_on": START.isoformat()})
    assert response.status_code == 409 and "contract-to-hire" in response.json()["detail"]
    response = api.post(f"{base}/end", {"reason": "Client cancelled"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Placement.objects.get().ended_reason == "Client cancelled"
