"""REST endpoints for the engagement advisor.

GET  /api/requisitions/{id}/advice   the advice for a requisition, prefilled from it; query parameters
                                     override any input (same names as POST /api/advice)
POST /api/advice                     the advice for raw inputs

Both answer the full advice: the recommended model, every option ranked with its reasons, trade-offs and
cost over the horizon, the contractor vehicle, warnings, what would change the answer, the contract
economics, and the versions and inputs digest. Invalid inputs: 422 with every problem in `errors`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from cadre.api.schemas import ERRORS, StrictIn
from cadre.placements.advisor_services import AdviceInputsInvalid, advise_inputs, advise_requisition
from cadre.requisitions.selectors import get_requisition

router = Router(tags=["placements"])


class InputsErrorOut(Schema):
    detail: str
    field: str | None = None
    errors: list[str] = []


class AdviceIn(StrictIn):
    duration_months: int | Literal["permanent"] | None = Field(
        ..., description="Months the need lasts (1-120), or 'permanent' / null for an open-ended need"
    )
    criticality: str | None = Field(None, description="low | standard (default) | production_sla")
    regulatory: str | None = Field(None, description="low (default) | medium | high")
    ip_sensitivity: str | None = Field(None, description="low (default) | medium | high")
    classification_risk: str | None = Field(
        None, description="low | medium | high | unknown (default): the worker-classification risk"
    )
    vehicle: str | None = Field(None, description="How a contractor is engaged: w2 (default) | 1099 | c2c")
    urgency: str | None = Field(None, description="low | normal (default) | high")
    executive: bool | None = Field(None, description="An executive search (default false)")
    budget: Decimal | None = Field(None, description="The client's budget for the role")
    budget_basis: str | None = Field(
        None, description="horizon (default: budget for the whole horizon) | annual"
    )
    horizon_months: int | None = Field(
        None, description="Months to compare costs over (default: the duration, at least 12; 24 if permanent)"
    )
    pay: Decimal | None = Field(None, description="Hourly pay rate of a contractor")
    bill: Decimal | None = Field(None, description="Hourly bill rate")
    salary: Decimal | None = Field(None, description="Annual base salary of a permanent hire")
    bonus: Decimal | None = Field(None, description="Annual target bonus (counts toward first-year cash)")
    hours_per_week: Decimal | None = Field(None, description="Default 40")
    contingency_percent: Decimal | None = Field(None, description="Percent of first-year base (default 20)")
    retained_percent: Decimal | None = Field(None, description="Percent of first-year cash (default 33.3333)")
    conversion_percent: Decimal | None = Field(None, description="Percent of salary, pro-rated (default 20)")
    conversion_months: int | None = Field(
        None, description="Months on contract before converting (default 6)"
    )
    state: str | None = Field(None, description="US work state (employer burden); none leaves burden out")
    year: int | None = Field(
        None, description="Burden-table year (default: this year, or the latest shipped)"
    )
    currency: str | None = Field(None, description="Default USD")
    preference: str | None = Field(
        None,
        description="What the client asks for: contract | contract_to_hire | direct_hire | retained_search",
    )


class AdviceQuery(Schema):
    """Overrides of the requisition's prefilled inputs (strings, as in a query string)."""

    duration_months: str | None = None
    criticality: str | None = None
    regulatory: str | None = None
    ip_sensitivity: str | None = None
    classification_risk: str | None = None
    vehicle: str | None = None
    urgency: str | None = None
    executive: str | None = None
    budget: str | None = None
    budget_basis: str | None = None
    horizon_months: str | None = None
    pay: str | None = None
    bill: str | None = None
    salary: str | None = None
    bonus: str | None = None
    hours_per_week: str | None = None
    contingency_percent: str | None = None
    retained_percent: str | None = None
    conversion_percent: str | None = None
    conversion_months: str | None = None
    state: str | None = None
    year: str | None = None
    currency: str | None = None
    preference: str | None = None


def _invalid(exc: AdviceInputsInvalid) -> Status:
    return Status(422, {"detail": exc.message, "field": exc.field, "errors": exc.errors})


@router.get(
    "/requisitions/{int:pk}/advice",
    response={200: dict[str, Any], 422: InputsErrorOut, **ERRORS},
)
def requisition_advice(request: HttpRequest, pk: int, overrides: Query[AdviceQuery]) -> Any:
    """The engagement advice for a requisition: inputs prefilled from the job order, its profile's hints
    and the latest classification of its applications (`values`, with `prefill.sources` saying where each
    came from); query parameters override them (`overridden`). Hiring managers: their clients only."""
    requisition = get_requisition(request.user, pk)
    given = {k: v for k, v in overrides.model_dump().items() if v is not None}
    try:
        return advise_requisition(request.user, requisition, given).as_dict()
    except AdviceInputsInvalid as exc:
        return _invalid(exc)


@router.post("/advice", response={200: dict[str, Any], 422: InputsErrorOut, **ERRORS})
def advice(request: HttpRequest, payload: AdviceIn) -> Any:
    """The engagement advice for raw inputs (see the schema; only duration_months is required)."""
    data = {
        k: v
        for k, v in payload.model_dump(exclude_unset=True).items()
        if v is not None or k == "duration_months"
    }
    try:
        return advise_inputs(request.user, data).as_dict()
    except AdviceInputsInvalid as exc:
        return _invalid(exc)
