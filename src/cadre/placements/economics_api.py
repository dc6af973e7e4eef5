"""REST endpoints for the staffing-economics calculators and the firm's burden settings.

POST /api/economics                        contract economics (the `cadre economics --json` document)
POST /api/fees/(contingency|retained|conversion|split)   fee quotes and commission splits
GET  /api/burden-settings                  every saved setting
GET  /api/burden-settings/{year}/{state}   saved setting, shipped defaults and effective rates
PUT  /api/burden-settings/{year}/{state}   save the firm's figures (admins and recruiters; audited)

Any logged-in role may use the calculators (nothing is saved). Bad input: 422 with `field`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from cadre.api.schemas import ERRORS, ErrorOut, StrictIn
from cadre.core.exceptions import ValidationFailed
from cadre.core.services import require_user
from cadre.placements.burden import InputError
from cadre.placements.burden_settings import (
    economics_with_settings,
    get_setting,
    list_settings,
    save_setting,
)
from cadre.placements.fees import (
    FEES_VERSION,
    contingency_fee,
    conversion_fee,
    retained_fee,
    split_commission,
)

router = Router(tags=["placements"])

RESPONSES: dict[int, Any] = {200: dict[str, Any], 422: ErrorOut, **ERRORS}


class EconomicsIn(StrictIn):
    pay: Decimal = Field(..., description="Hourly pay rate")
    bill: Decimal = Field(..., description="Hourly bill rate (below pay is allowed and flagged)")
    hours_per_week: Decimal = Field(Decimal(40), description="Regular hours per week")
    weeks: Decimal = Field(..., description="Length of the engagement in weeks")
    state: str | None = Field(None, description="US state worked in (two letters); required for W-2")
    year: int | None = Field(None, description="Year of the burden tables (default: the start year)")
    start_date: dt.date | None = Field(None, description="First day (default: 1 January of the year)")
    vehicle: Literal["w2", "1099", "c2c"] = "w2"
    overtime_hours_per_week: Decimal = Decimal(0)
    pay_overtime: Decimal | None = Field(None, description="Default 1.5 × pay")
    bill_overtime: Decimal | None = Field(None, description="Default 1.5 × bill")
    prior_wages: Decimal = Field(Decimal(0), description="Wages already paid this calendar year")
    suta_rate_percent: Decimal | None = Field(None, description="SUTA rate in percent (overrides)")
    suta_wage_base: Decimal | None = None
    workers_comp_per_100: Decimal | None = Field(None, description="Dollars per 100 of payroll")
    benefits_percent: Decimal | None = Field(None, description="Benefits, percent of pay")
    currency: str = "USD"
    use_settings: bool = Field(True, description="Apply the firm's saved burden settings")


class ContingencyIn(StrictIn):
    base_salary: Decimal
    percent: Decimal
    guarantee_days: int = 90
    placed_on: dt.date | None = None
    currency: str = "USD"


class RetainedIn(StrictIn):
    first_year_cash: Decimal
    percent: Decimal = Decimal("33.3333")
    engaged_on: dt.date | None = None
    shortlist_on: dt.date | None = None
    accepted_on: dt.date | None = None
    currency: str = "USD"


class ConversionIn(StrictIn):
    salary: Decimal
    percent: Decimal
    method: Literal["prorate", "credit", "free_after_hours"]
    months_worked: Decimal | None = None
    schedule_months: int = 12
    hours_worked: Decimal | None = None
    free_after_hours: Decimal | None = None
    fees_paid: Decimal | None = None
    credit_rate: Decimal | None = Field(None, description="Percent of fees paid credited (default 100)")
    currency: str = "USD"


class ShareIn(StrictIn):
    name: str = Field(..., min_length=1, max_length=120)
    percent: Decimal


class SplitIn(StrictIn):
    amount: Decimal
    shares: list[ShareIn] = Field(..., min_length=1, max_length=20)
    currency: str = "USD"


class BurdenSettingIn(StrictIn):
    suta_rate: Decimal | None = Field(None, description="Percent of wages (3.4 = 3.4 %); null = default")
    suta_wage_base: Decimal | None = None
    workers_comp_per_100: Decimal | None = Field(None, description="Dollars per 100 of payroll")
    benefits_percent: Decimal | None = Field(None, description="Percent of pay")
    note: str = Field("", max_length=300)


class BurdenSettingRow(Schema):
    year: int
    state: str
    suta_rate: Decimal | None
    suta_wage_base: Decimal | None
    workers_comp_per_100: Decimal | None
    benefits_percent: Decimal | None
    note: str
    updated_by: str | None
    updated_at: dt.datetime | None


def _invalid(exc: InputError) -> ValidationFailed:
    return ValidationFailed(str(exc), field=exc.field)


@router.post("/economics", response=RESPONSES)
def economics(request: HttpRequest, payload: EconomicsIn) -> Any:
    """Markup, spread, each employer-burden item with its formula inputs (wage-base caps per calendar
    year), gross profit and margin per hour, week, year and over the engagement, with warnings, notes and
    the source of every figure (unverified ones are named). Nothing is saved."""
    require_user(request.user)
    try:
        result = economics_with_settings(**payload.dict())
    except InputError as exc:
        raise _invalid(exc) from exc
    return result.to_dict()


@router.post("/fees/contingency", response=RESPONSES)
def contingency(request: HttpRequest, payload: ContingencyIn) -> Any:
    """Contingency fee: percent of first-year base salary, due on placement, with a guarantee period."""
    require_user(request.user)
    try:
        return contingency_fee(**payload.dict()).to_dict()
    except InputError as exc:
        raise _invalid(exc) from exc


@router.post("/fees/retained", response=RESPONSES)
def retained(request: HttpRequest, payload: RetainedIn) -> Any:
    """Retained search fee: percent of first-year total cash in three installments (engagement, shortlist,
    acceptance) that add up to the total to the cent."""
    require_user(request.user)
    try:
        return retained_fee(**payload.dict()).to_dict()
    except InputError as exc:
        raise _invalid(exc) from exc


@router.post("/fees/conversion", response=RESPONSES)
def conversion(request: HttpRequest, payload: ConversionIn) -> Any:
    """Contract-to-hire conversion fee: prorate (by months worked), credit (for fees already paid; credit_rate
    in percent) or free_after_hours."""
    require_user(request.user)
    try:
        return conversion_fee(**payload.dict()).to_dict()
    except InputError as exc:
        raise _invalid(exc) from exc


@router.post("/fees/split", response=RESPONSES)
def split(request: HttpRequest, payload: SplitIn) -> Any:
    """Commission split: percent shares (at most 100 in all) of an amount, in cents that add up exactly."""
    require_user(request.user)
    shares = [(s.name, s.percent) for s in payload.shares]
    try:
        parts = split_commission(payload.amount, shares)
    except InputError as exc:
        raise _invalid(exc) from exc
    return {
        "kind": "split",
        "currency": payload.currency.upper(),
        "amount": str(payload.amount),
        "share_total": str(sum((p for _, p in shares), Decimal(0))),
        "parts": [
            {"name": name, "share_percent": str(pct), "amount": str(value)}
            for (name, pct), (_, value) in zip(shares, parts, strict=True)
        ],
        "total": str(sum((v for _, v in parts), Decimal(0))),
        "method": "each part rounded down to the cent; leftover cents to the largest remainders",
        "version": FEES_VERSION,
    }


def _row(s: Any) -> dict[str, Any]:
    return {
        "year": s.year,
        "state": s.state,
        "suta_rate": s.suta_rate,
        "suta_wage_base": s.suta_wage_base,
        "workers_comp_per_100": s.workers_comp_per_100,
        "benefits_percent": s.benefits_percent,
        "note": s.note,
        "updated_by": s.updated_by.username if s.updated_by else None,
        "updated_at": s.updated_at,
    }


@router.get("/burden-settings", response={200: list[BurdenSettingRow], **ERRORS})
def burden_settings(request: HttpRequest) -> Any:
    """Every saved burden setting (the firm's SUTA, workers' comp and benefits figures per state and
    year)."""
    return [_row(s) for s in list_settings(request.user)]


@router.get("/burden-settings/{year}/{state}", response=RESPONSES)
def burden_setting(request: HttpRequest, year: int, state: str) -> Any:
    """The saved setting (or null), the shipped defaults and the effective rates for a state and year."""
    return get_setting(request.user, year, state).to_dict()


@router.put("/burden-settings/{year}/{state}", response=RESPONSES)
def put_burden_setting(request: HttpRequest, year: int, state: str, payload: BurdenSettingIn) -> Any:
    """Save the firm's figures for a state and year (admins and recruiters; audited). A null figure keeps
    the shipped default. Returns the same document as GET."""
    setting = save_setting(request.user, year=year, state=state, **payload.dict())
    return get_setting(request.user, setting.year, setting.state).to_dict()
