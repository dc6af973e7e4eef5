"""POST /api/economics, POST /api/fees/{kind}, GET/PUT /api/burden-settings/{year}/{state}."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.api.conftest import ApiClient

from cadre.core.models import AuditLog
from cadre.core.roles import Role
from cadre.core.services import create_api_token
from cadre.placements.models import BurdenSetting

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as():
    def _as(user) -> ApiClient:
        return ApiClient(create_api_token(user) if user else None)

    return _as


@pytest.fixture
def api(api_as, recruiter) -> ApiClient:
    return api_as(recruiter)


EXAMPLE = {"pay": "60", "bill": "95", "hours_per_week": "40", "weeks": "26", "state": "CA", "year": 2026}


def test_economics_returns_the_full_document(api):
    res = api.post("/api/economics", EXAMPLE)
    assert res.status_code == 200, res.content
    body = res.json()
    assert body["totals"]["engagement"]["burden"] == "5314.60"
    assert body["totals"]["engagement"]["gross_profit"] == "31085.40"
    assert body["markup"] == "0.583333" and body["spread"] == "0.368421"
    assert body["inputs"]["state"] == "CA" and body["inputs"]["year"] == 2026
    assert any(n.startswith("Unverified") for n in body["notes"])


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.COMPLIANCE_OFFICER, Role.ADMIN])
def test_any_logged_in_role_may_use_the_calculators(api_as, make_user, role):
    client = api_as(make_user(f"user-{role}", role))
    assert client.post("/api/economics", EXAMPLE).status_code == 200
    assert client.post("/api/fees/contingency", {"base_salary": "100000", "percent": "20"}).status_code == 200


def test_calculators_need_a_login(api_as):
    assert api_as(None).post("/api/economics", EXAMPLE).status_code == 401
    assert api_as(None).post("/api/fees/contingency", {"base_salary": "1", "percent": "1"}).status_code == 401


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"pay": "-60"}, "pay", "pay rate must not be negative"),
        ({"weeks": "0"}, "weeks", "weeks must be greater than zero"),
        ({"hours_per_week": "-1"}, "hours_per_week", "hours per week must be greater than zero"),
        ({"state": "ZZ"}, "state", "unknown state 'ZZ'"),
        ({"year": 2019}, "year", "no burden tables for 2019"),
        ({"suta_rate_percent": "45"}, "suta_rate_percent", "SUTA rate"),
    ],
)
def test_economics_bad_input_is_422_with_the_field(api, changes, field, message):
    res = api.post("/api/economics", {**EXAMPLE, **changes})
    assert res.status_code == 422, res.content
    body = res.json()
    assert body["field"] == field and message in body["detail"]


def test_economics_schema_errors_are_422_too(api):
    res = api.post("/api/economics", {**EXAMPLE, "pay": "sixty"})
    assert res.status_code == 422 and res.json()["detail"][0]["field"] == "pay"
    res = api.post("/api/economics", {**EXAMPLE, "payy": "60"})  # unknown field: a typo is not ignored
    assert res.status_code == 422
    res = api.post("/api/economics", {**EXAMPLE, "vehicle": "w4"})
    assert res.status_code == 422 and res.json()["detail"][0]["field"] == "vehicle"


def test_bill_below_pay_is_200_with_a_warning(api):
    body = api.post("/api/economics", {**EXAMPLE, "bill": "55"}).json()
    assert body["warnings"][0].startswith("negative margin")


def test_fee_kinds(api):
    c = api.post("/api/fees/contingency", {"base_salary": "180000", "percent": "22", "guarantee_days": 90})
    assert c.status_code == 200 and c.json()["amount"] == "39600.00"
    r = api.post("/api/fees/retained", {"first_year_cash": "400000", "engaged_on": "2026-01-05"}).json()
    assert [i["amount"] for i in r["installments"]] == ["44444.40"] * 3
    assert r["installments"][1]["due_on"] == "2026-02-04"
    v = api.post(
        "/api/fees/conversion",
        {"salary": "160000", "percent": "25", "method": "prorate", "months_worked": "2"},
    ).json()
    assert v["percent"] == "20.8333" and v["amount"] == "33333.33"
    k = api.post(
        "/api/fees/conversion",
        {"salary": "100000", "percent": "20", "method": "credit", "fees_paid": "15000", "credit_rate": "10"},
    ).json()
    assert k["amount"] == "18500.00"
    s = api.post(
        "/api/fees/split",
        {
            "amount": "1000",
            "shares": [{"name": "ana", "percent": "33.3333"}, {"name": "ben", "percent": "66.6667"}],
        },
    ).json()
    assert [p["amount"] for p in s["parts"]] == ["333.33", "666.67"] and s["total"] == "1000.00"


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("contingency", {"base_salary": "100000", "percent": "120"}, "percent"),
        ("contingency", {"percent": "20"}, "base_salary"),
        ("retained", {"first_year_cash": "100", "bogus": 1}, "bogus"),
        ("conversion", {"salary": "100000", "percent": "25", "method": "prorate"}, "months_worked"),
        ("conversion", {"salary": "100000", "percent": "25", "method": "swap"}, "method"),
        (
            "split",
            {"amount": "100", "shares": [{"name": "a", "percent": "70"}, {"name": "b", "percent": "40"}]},
            "shares",
        ),
    ],
)
def test_fee_bad_input_is_422_with_the_field(api, kind, body, field):
    res = api.post(f"/api/fees/{kind}", body)
    assert res.status_code == 422, res.content
    detail = res.json()
    # Domain errors: {"detail": message, "field": f}; schema errors: {"detail": [{"field": f, ...}]}.
    fields = [detail["field"]] if "field" in detail else [d["field"] for d in detail["detail"]]
    assert field in fields


def test_unknown_fee_kind_is_not_found(api):
    assert api.post("/api/fees/lottery", {}).status_code == 404


def test_burden_settings_get_and_put(api, recruiter):
    got = api.get("/api/burden-settings/2026/ca")
    assert got.status_code == 200 and got.json()["setting"] is None
    assert got.json()["effective"]["suta_rate"] == "0.034"
    put = api._send("put", "/api/burden-settings/2026/CA", {"suta_rate": "2.5", "note": "EDD 2026 notice"})
    assert put.status_code == 200, put.content
    assert put.json()["effective"]["suta_rate"] == "0.025"
    assert put.json()["setting"]["note"] == "EDD 2026 notice"
    row = BurdenSetting.objects.get()
    assert row.suta_rate == Decimal("2.5") and row.updated_by == recruiter
    assert AuditLog.objects.filter(object_type="placements.burdensetting", via="api").count() == 1
    listing = api.get("/api/burden-settings").json()
    assert [(x["year"], x["state"], x["suta_rate"]) for x in listing] == [(2026, "CA", "2.5000")]
    # The calculator now uses the firm's figure.
    body = api.post("/api/economics", EXAMPLE).json()
    assert next(x for x in body["burden"] if x["component"] == "suta")["amount"] == "175.00"  # 7,000 × 2.5 %


def test_burden_settings_put_is_for_admins_and_recruiters(api_as, make_user):
    hm = api_as(make_user("hm", Role.HIRING_MANAGER))
    assert hm.get("/api/burden-settings/2026/CA").status_code == 200
    res = hm._send("put", "/api/burden-settings/2026/CA", {"suta_rate": "2.5"})
    assert res.status_code == 403
    assert not BurdenSetting.objects.exists()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/burden-settings/2026/CA", {"suta_rate": "35"}, "suta_rate"),
        ("/api/burden-settings/2026/CA", {"workers_comp_per_100": "-1"}, "workers_comp_per_100"),
        ("/api/burden-settings/2026/QQ", {"suta_rate": "2"}, "state"),
        ("/api/burden-settings/1999/CA", {"suta_rate": "2"}, "year"),
    ],
)
def test_burden_settings_put_validates(api, path, body, field):
    res = api._send("put", path, body)
    assert res.status_code == 422, res.content
    assert res.json()["field"] == field
    assert not BurdenSetting.objects.exists()
