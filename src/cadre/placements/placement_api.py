"""REST endpoints for offers and placements (mounted at /api/).

Offers (versioned: a revision never changes its terms; revising writes the next one)
GET    /api/applications/{id}/offers               every revision, newest first
POST   /api/applications/{id}/offers               a draft offer                          201
GET    /api/offers/{id}                            one revision (+ warnings, e.g. negative margin)
DELETE /api/offers/{id}                            a first draft only                     204
GET    /api/offers/{id}/history                    every revision with its diff to the one before
POST   /api/offers/{id}/revise                     the changed terms → revision n+1       201
POST   /api/offers/{id}/extend                     {"expires_on"}; moves the application to "offer"
POST   /api/offers/{id}/accept                     fee terms, recruiter, approver, overtime → placement 201
POST   /api/offers/{id}/decline | /withdraw        {"reason"}

Placements
GET    /api/placements                             ?status=&engagement_type=&client_id= (paginated)
GET    /api/placements/{id}                        terms, rate cards, fees, commission splits
POST   /api/placements/{id}/start                  moves the application to "placed" (compliance gates: 409)
POST   /api/placements/{id}/end                    {"reason", "end_date"}
POST   /api/placements/{id}/convert                {"salary", "converted_on", "bonus", "fees_paid"}
GET|POST /api/placements/{id}/rate-cards           effective-dated rates (POST 201, with warnings)
GET|POST /api/placements/{id}/fees                 (POST 201) and POST .../fees/{fee_id}/status
GET|PUT  /api/placements/{id}/splits               commission splits (shares ≤ 100 %)
GET    /api/placements/{id}/economics              the economics panel: contract_economics at the rate card
                                                   in force over the engagement, fees, commission amounts

Errors: 404 for what the user may not see (hiring managers: other clients), 403 for a role that may not
act, 409 for a state conflict (accepting twice, gates not cleared), 422 with the field for bad input.
"""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from cadre.api.schemas import ERRORS, StrictIn
from cadre.clients.models import Contact
from cadre.core.exceptions import ValidationFailed
from cadre.core.models import User
from cadre.pipeline.selectors import get_application
from cadre.placements import economics, offer_terms, selectors, services
from cadre.placements.models import CommissionSplit, Fee, Offer, Placement, RateCard

router = Router(tags=["placements"])

EngagementIn = Literal["contract", "contract_to_hire", "direct_hire"]
VehicleIn = Literal["w2", "1099", "c2c"]
Amount = Decimal | None


# ------------------------------------------------------------------------------------------------ schemas


class OfferTermsIn(StrictIn):
    engagement_type: EngagementIn
    vehicle: VehicleIn = "w2"
    pay_basis: Literal["hourly", "salary"] | None = Field(None, description="Default: salary for direct hire")
    currency: str = Field("USD", max_length=3)
    pay_rate: Amount = Field(None, description="Hourly pay (contract, contract-to-hire)")
    bill_rate: Amount = Field(None, description="Hourly bill; below pay is allowed and flagged")
    salary: Amount = Field(None, description="Annual base (direct hire; or the salary on conversion)")
    bonus: Amount = None
    hours_per_week: Amount = Field(None, description="Default 40")
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    work_state: str = Field("", max_length=40, description="Two-letter US state or DC")
    terms: str = Field("", max_length=offer_terms.MAX_TERMS)
    expires_on: dt.date | None = None


class OfferRevisionIn(StrictIn):
    """Only the terms that change; the others are carried over from the revision being revised."""

    engagement_type: EngagementIn | None = None
    vehicle: VehicleIn | None = None
    pay_basis: Literal["hourly", "salary"] | None = None
    currency: str | None = Field(None, max_length=3)
    pay_rate: Amount = None
    bill_rate: Amount = None
    salary: Amount = None
    bonus: Amount = None
    hours_per_week: Amount = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    work_state: str | None = Field(None, max_length=40)
    terms: str | None = Field(None, max_length=offer_terms.MAX_TERMS)
    expires_on: dt.date | None = None


class OfferOut(Schema):
    id: int
    application_id: int
    person_id: int
    revision: int
    supersedes_id: int | None
    status: str
    engagement_type: str
    vehicle: str
    pay_basis: str
    currency: str
    pay_rate: Decimal | None
    bill_rate: Decimal | None
    salary: Decimal | None
    bonus: Decimal | None
    hours_per_week: Decimal
    start_date: dt.date | None
    end_date: dt.date | None
    work_state: str
    terms: str
    expires_on: dt.date | None
    extended_at: dt.datetime | None
    responded_at: dt.datetime | None
    response_reason: str
    created_by: str | None
    created_at: dt.datetime
    warnings: list[str]
    negative_margin: bool


class ChangeOut(Schema):
    field: str
    label: str
    before: str
    after: str


class RevisionOut(Schema):
    offer: OfferOut
    compared_to: int | None
    changes: list[ChangeOut]


class ExtendIn(StrictIn):
    expires_on: dt.date | None = None


class ReasonIn(StrictIn):
    reason: str = Field(..., max_length=2000)


class AcceptIn(StrictIn):
    fee_terms: dict[str, Any] | None = Field(
        None,
        description="kind (contingency | retained | conversion), percent, guarantee_days, engaged_on, "
        "shortlist_on, method (prorate | credit | free_after_hours), schedule_months, free_after_hours, "
        "credit_rate. Omitted: the default for the engagement type; {} for no fee.",
    )
    recruiter_id: int | None = Field(None, description="Default: the requisition's owner")
    timesheet_approver_id: int | None = Field(None, description="A contact of the client")
    pay_overtime: Amount = Field(None, description="Default 1.5 × pay")
    bill_overtime: Amount = Field(None, description="Default 1.5 × bill")
    pay_double: Amount = Field(None, description="Default 2 × pay")
    bill_double: Amount = Field(None, description="Default 2 × bill")


class RateCardOut(Schema):
    """Pay rates and the margin warnings are null / empty for a client's hiring manager (bill rates only)."""

    id: int
    effective_from: dt.date
    currency: str
    pay_regular: Decimal | None
    pay_overtime: Decimal | None
    pay_double: Decimal | None
    bill_regular: Decimal
    bill_overtime: Decimal
    bill_double: Decimal
    reason: str
    created_at: dt.datetime
    warnings: list[str]


class RateCardIn(StrictIn):
    effective_from: dt.date
    pay_regular: Decimal
    bill_regular: Decimal
    pay_overtime: Amount = None
    bill_overtime: Amount = None
    pay_double: Amount = None
    bill_double: Amount = None
    reason: str = Field("", max_length=200)


class FeeOut(Schema):
    id: int
    kind: str
    label: str
    currency: str
    basis: Decimal
    percent: Decimal
    amount: Decimal
    due_on: dt.date | None
    guarantee_days: int | None
    status: str
    calculation: dict[str, Any] = Field(..., description="How the fee was worked out; empty for a client")


class FeeIn(StrictIn):
    kind: Literal["contingency", "retained", "conversion"]
    label: str = Field(..., max_length=120)
    basis: Decimal
    percent: Decimal
    amount: Decimal
    due_on: dt.date | None = None
    guarantee_days: int | None = None
    note: str = Field("", max_length=2000)


class FeeStatusIn(StrictIn):
    status: Literal["pending", "invoiced", "paid", "refunded", "waived"]


class SplitOut(Schema):
    user_id: int
    username: str
    role: str
    share_percent: Decimal


class SplitIn(StrictIn):
    user_id: int
    role: Literal["sourcer", "recruiter", "account_manager"] = "recruiter"
    share_percent: Decimal


class SplitsIn(StrictIn):
    splits: list[SplitIn] = Field(..., max_length=20)


class PlacementOut(Schema):
    id: int
    application_id: int
    person_id: int = Field(..., alias="application.person_id")
    person_name: str = Field(..., alias="application.person.full_name")
    requisition_id: int = Field(..., alias="application.requisition_id")
    client_id: int
    offer_id: int | None
    engagement_type: str
    vehicle: str
    pay_basis: str
    status: str
    currency: str
    salary: Decimal | None
    bonus: Decimal | None
    hours_per_week: Decimal
    start_date: dt.date
    end_date: dt.date | None
    work_state: str
    recruiter: str | None
    timesheet_approver_id: int | None
    fee_terms: dict[str, Any]
    ended_reason: str
    converted_on: dt.date | None
    version: int
    created_at: dt.datetime

    @staticmethod
    def resolve_recruiter(obj: Placement) -> str | None:
        return obj.recruiter.username if obj.recruiter else None


class PlacementDetailOut(PlacementOut):
    rate_cards: list[RateCardOut]
    fees: list[FeeOut]
    splits: list[SplitOut]

    @staticmethod
    def resolve_rate_cards(obj: Placement, context: dict[str, Any]) -> list[dict[str, Any]]:
        user = _viewer(context)
        return [_card_out(c, user) for c in selectors.rate_cards_of(obj)]

    @staticmethod
    def resolve_fees(obj: Placement, context: dict[str, Any]) -> list[dict[str, Any]]:
        user = _viewer(context)
        return [_fee_out(f, user) for f in selectors.fees_of(obj)]

    @staticmethod
    def resolve_splits(obj: Placement, context: dict[str, Any]) -> list[dict[str, Any]]:
        if not selectors.can_see_economics(_viewer(context)):
            return []  # commission is the agency's business
        return [_split_out(s) for s in selectors.splits_of(obj)]


class StartIn(StrictIn):
    reason: str = Field("", max_length=2000)


class EndIn(StrictIn):
    reason: str = Field(..., max_length=2000)
    end_date: dt.date | None = None


class ConvertIn(StrictIn):
    salary: Decimal
    converted_on: dt.date
    bonus: Amount = None
    fees_paid: Amount = Field(None, description="Credit method: default, the hours invoiced so far")


class PlacementFilters(Schema):
    status: Literal["", "pending_start", "active", "ended", "converted", "cancelled"] = ""
    engagement_type: Literal["", "contract", "contract_to_hire", "direct_hire"] = ""
    client_id: int | None = None


# ----------------------------------------------------------------------------------------------- mappers


def _viewer(context: dict[str, Any] | None) -> Any:
    request = (context or {}).get("request")
    return getattr(request, "user", None)


def _offer_out(offer: Offer, user: Any) -> dict[str, Any]:
    """The offer as OfferOut; a client's hiring manager gets no pay rate and no margin warnings."""
    sees = selectors.can_see_economics(user)
    warnings = services.offer_warnings(offer)
    return {
        **{f: getattr(offer, f) for f in offer_terms.FIELDS},
        "id": offer.pk,
        "application_id": offer.application_id,
        "person_id": offer.application.person_id,
        "revision": offer.revision,
        "supersedes_id": offer.supersedes_id,
        "status": offer.status,
        "pay_basis": offer.pay_basis,
        "extended_at": offer.extended_at,
        "responded_at": offer.responded_at,
        "response_reason": offer.response_reason,
        "created_by": offer.created_by.username if offer.created_by else None,
        "created_at": offer.created_at,
        **(
            {
                "warnings": warnings,
                "negative_margin": economics.is_negative_margin(offer.pay_rate, offer.bill_rate),
            }
            if sees
            else {
                "pay_rate": None,
                "warnings": selectors.client_safe_warnings(offer.pay_rate, offer.bill_rate, warnings),
                "negative_margin": False,
            }
        ),
    }


def _card_out(card: RateCard, user: Any) -> dict[str, Any]:
    fields = ("id", "effective_from", "currency", "reason", "created_at")
    bill = ("bill_regular", "bill_overtime", "bill_double")
    pay = ("pay_regular", "pay_overtime", "pay_double")
    if not selectors.can_see_economics(user):
        return {**{f: getattr(card, f) for f in (*fields, *bill)}, **dict.fromkeys(pay), "warnings": []}
    return {
        **{f: getattr(card, f) for f in (*fields, *pay, *bill)},
        "warnings": [
            *offer_terms.margin_warnings(card.pay_regular, card.bill_regular),
            *offer_terms.rate_card_warnings(card, card.placement.vehicle),
        ],
    }


def _fee_out(fee: Fee, user: Any) -> dict[str, Any]:
    fields = ("id", "kind", "label", "currency", "basis", "percent", "amount", "due_on", "guarantee_days")
    calculation = fee.calculation if selectors.can_see_economics(user) else {}
    return {**{f: getattr(fee, f) for f in fields}, "status": fee.status, "calculation": calculation}


def _split_out(split: CommissionSplit) -> dict[str, Any]:
    return {
        "user_id": split.user_id,
        "username": split.user.username,
        "role": split.role,
        "share_percent": split.share_percent,
    }


def _placement_detail(user: Any, pk: int) -> Placement:
    """The placement as PlacementDetailOut reads it (its rate cards, fees and splits are resolved)."""
    return selectors.get_placement(user, pk)


def _user(pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise ValidationFailed(f"user {pk} not found", field=field)
    return user


# -------------------------------------------------------------------------------------------------- offers


@router.get("/applications/{int:application_id}/offers", response={200: list[OfferOut], **ERRORS})
def list_offers(request: HttpRequest, application_id: int) -> Any:
    application = get_application(request.user, application_id)
    return [_offer_out(o, request.user) for o in selectors.offers_of(application)]


@router.post("/applications/{int:application_id}/offers", response={201: OfferOut, **ERRORS})
def create_offer(request: HttpRequest, application_id: int, payload: OfferTermsIn) -> Any:
    """A draft offer. Contract and contract-to-hire: pay and bill rates; direct hire: salary."""
    application = get_application(request.user, application_id)
    offer = services.create_offer(request.user, application, **payload.model_dump())
    return Status(201, _offer_out(selectors.get_offer(request.user, offer.pk), request.user))


@router.get("/offers/{int:offer_id}", response={200: OfferOut, **ERRORS})
def get_offer(request: HttpRequest, offer_id: int) -> Any:
    return _offer_out(selectors.get_offer(request.user, offer_id), request.user)


@router.delete("/offers/{int:offer_id}", response={204: None, **ERRORS})
def delete_offer(request: HttpRequest, offer_id: int) -> Any:
    services.delete_offer(request.user, selectors.get_offer(request.user, offer_id))
    return Status(204, None)


@router.get("/offers/{int:offer_id}/history", response={200: list[RevisionOut], **ERRORS})
def offer_history(request: HttpRequest, offer_id: int) -> Any:
    history = selectors.offer_history(selectors.get_offer(request.user, offer_id), user=request.user)
    return [
        {
            "offer": _offer_out(r.offer, request.user),
            "compared_to": r.compared_to,
            "changes": [vars(c) for c in r.changes],
        }
        for r in history
    ]


@router.post("/offers/{int:offer_id}/revise", response={201: OfferOut, **ERRORS})
def revise_offer(request: HttpRequest, offer_id: int, payload: OfferRevisionIn) -> Any:
    """Revision n+1 with the given changes; revision n is kept, marked superseded."""
    offer = selectors.get_offer(request.user, offer_id)
    revised = services.revise_offer(request.user, offer, **payload.model_dump(exclude_unset=True))
    return Status(201, _offer_out(selectors.get_offer(request.user, revised.pk), request.user))


@router.post("/offers/{int:offer_id}/extend", response={200: OfferOut, **ERRORS})
def extend_offer(request: HttpRequest, offer_id: int, payload: ExtendIn) -> Any:
    offer = services.extend_offer(
        request.user, selectors.get_offer(request.user, offer_id), expires_on=payload.expires_on
    )
    return _offer_out(selectors.get_offer(request.user, offer.pk), request.user)


@router.post("/offers/{int:offer_id}/accept", response={201: PlacementDetailOut, **ERRORS})
def accept_offer(request: HttpRequest, offer_id: int, payload: AcceptIn) -> Any:
    """The candidate accepted: the placement, its first rate card, fees, commission split and onboarding
    checklist, in one transaction."""
    offer = selectors.get_offer(request.user, offer_id)
    approver = None
    if payload.timesheet_approver_id is not None:
        approver = Contact.objects.filter(pk=payload.timesheet_approver_id).first()
        if approver is None:
            raise ValidationFailed("contact not found", field="timesheet_approver_id")
    placement = services.accept_offer(
        request.user,
        offer,
        fee_terms=payload.fee_terms,
        recruiter=_user(payload.recruiter_id, "recruiter_id"),
        timesheet_approver=approver,
        pay_overtime=payload.pay_overtime,
        bill_overtime=payload.bill_overtime,
        pay_double=payload.pay_double,
        bill_double=payload.bill_double,
    )
    return Status(201, _placement_detail(request.user, placement.pk))


@router.post("/offers/{int:offer_id}/decline", response={200: OfferOut, **ERRORS})
def decline_offer(request: HttpRequest, offer_id: int, payload: ReasonIn) -> Any:
    offer = services.decline_offer(request.user, selectors.get_offer(request.user, offer_id), payload.reason)
    return _offer_out(selectors.get_offer(request.user, offer.pk), request.user)


@router.post("/offers/{int:offer_id}/withdraw", response={200: OfferOut, **ERRORS})
def withdraw_offer(request: HttpRequest, offer_id: int, payload: ReasonIn) -> Any:
    offer = services.withdraw_offer(request.user, selectors.get_offer(request.user, offer_id), payload.reason)
    return _offer_out(selectors.get_offer(request.user, offer.pk), request.user)


# ---------------------------------------------------------------------------------------------- placements


@router.get("/placements", response=list[PlacementOut])
@paginate(PageNumberPagination)
def list_placements(request: HttpRequest, filters: Query[PlacementFilters]) -> Any:
    return selectors.list_placements(request.user, **filters.model_dump())


@router.get("/placements/{int:placement_id}", response={200: PlacementDetailOut, **ERRORS})
def get_placement(request: HttpRequest, placement_id: int) -> Any:
    return _placement_detail(request.user, placement_id)


@router.post("/placements/{int:placement_id}/start", response={200: PlacementDetailOut, **ERRORS})
def start_placement(request: HttpRequest, placement_id: int, payload: StartIn) -> Any:
    """Moves the application to "placed"; 409 naming every compliance gate that has not cleared."""
    placement = selectors.get_placement(request.user, placement_id)
    services.start_placement(request.user, placement, reason=payload.reason)
    return _placement_detail(request.user, placement_id)


@router.post("/placements/{int:placement_id}/end", response={200: PlacementDetailOut, **ERRORS})
def end_placement(request: HttpRequest, placement_id: int, payload: EndIn) -> Any:
    placement = selectors.get_placement(request.user, placement_id)
    services.end_placement(request.user, placement, reason=payload.reason, end_date=payload.end_date)
    return _placement_detail(request.user, placement_id)


@router.post("/placements/{int:placement_id}/convert", response={200: PlacementDetailOut, **ERRORS})
def convert_placement(request: HttpRequest, placement_id: int, payload: ConvertIn) -> Any:
    """Contract-to-hire → permanent; records the conversion fee from the fee terms."""
    placement = selectors.get_placement(request.user, placement_id)
    services.convert_placement(
        request.user,
        placement,
        salary=payload.salary,
        converted_on=payload.converted_on,
        bonus=payload.bonus,
        fees_paid=payload.fees_paid,
    )
    return _placement_detail(request.user, placement_id)


@router.get("/placements/{int:placement_id}/rate-cards", response={200: list[RateCardOut], **ERRORS})
def list_rate_cards(request: HttpRequest, placement_id: int) -> Any:
    placement = selectors.get_placement(request.user, placement_id)
    return [_card_out(c, request.user) for c in selectors.rate_cards_of(placement)]


@router.post("/placements/{int:placement_id}/rate-cards", response={201: RateCardOut, **ERRORS})
def add_rate_card(request: HttpRequest, placement_id: int, payload: RateCardIn) -> Any:
    """New rates from a day on (overtime 1.5x and double time 2x unless given). Bill below pay is saved
    and flagged in `warnings`."""
    placement = selectors.get_placement(request.user, placement_id)
    card = services.add_rate_card(request.user, placement, **payload.model_dump())
    return Status(201, _card_out(card, request.user))


@router.get("/placements/{int:placement_id}/fees", response={200: list[FeeOut], **ERRORS})
def list_fees(request: HttpRequest, placement_id: int) -> Any:
    placement = selectors.get_placement(request.user, placement_id)
    return [_fee_out(f, request.user) for f in selectors.fees_of(placement)]


@router.post("/placements/{int:placement_id}/fees", response={201: FeeOut, **ERRORS})
def record_fee(request: HttpRequest, placement_id: int, payload: FeeIn) -> Any:
    placement = selectors.get_placement(request.user, placement_id)
    return Status(
        201, _fee_out(services.record_fee(request.user, placement, **payload.model_dump()), request.user)
    )


@router.post("/placements/{int:placement_id}/fees/{int:fee_id}/status", response={200: FeeOut, **ERRORS})
def set_fee_status(request: HttpRequest, placement_id: int, fee_id: int, payload: FeeStatusIn) -> Any:
    fee = selectors.get_fee(request.user, fee_id)
    if fee.placement_id != placement_id:
        raise ValidationFailed(f"fee {fee_id} belongs to another placement", field="fee_id")
    return _fee_out(services.set_fee_status(request.user, fee, payload.status), request.user)


@router.get("/placements/{int:placement_id}/splits", response={200: list[SplitOut], **ERRORS})
def list_splits(request: HttpRequest, placement_id: int) -> Any:
    placement = selectors.get_placement(request.user, placement_id)  # 404 across clients first
    selectors.require_economics(request.user)  # commission splits: 403 for a client's hiring manager
    return [_split_out(s) for s in selectors.splits_of(placement)]


@router.put("/placements/{int:placement_id}/splits", response={200: list[SplitOut], **ERRORS})
def set_splits(request: HttpRequest, placement_id: int, payload: SplitsIn) -> Any:
    """Replace the commission splits (each share > 0, the total ≤ 100 %, recruiters and admins only)."""
    placement = selectors.get_placement(request.user, placement_id)
    users = {u.pk: u for u in User.objects.filter(pk__in=[s.user_id for s in payload.splits])}
    splits = []
    for i, s in enumerate(payload.splits):
        if s.user_id not in users:
            raise ValidationFailed(f"user {s.user_id} not found", field=f"splits.{i}.user_id")
        splits.append((users[s.user_id], s.role, s.share_percent))
    services.set_commission_splits(request.user, placement, splits)
    return [_split_out(s) for s in selectors.splits_of(placement)]


@router.get("/placements/{int:placement_id}/economics", response={200: dict[str, Any], **ERRORS})
def placement_economics(request: HttpRequest, placement_id: int, as_of: dt.date | None = None) -> Any:
    """Markup, spread, burden by component, gross profit and margin per hour / week / year / engagement
    (contract_economics at the rate card in force on `as_of`, default today), fees and commission."""
    placement = selectors.get_placement(request.user, placement_id)  # 404 across clients first
    selectors.require_economics(request.user)  # 403 for a client's hiring manager
    panel = selectors.placement_economics(placement, as_of=as_of)
    card = panel.card
    return {
        "placement_id": placement.pk,
        "kind": panel.kind,
        "currency": placement.currency,
        "rate_card": _card_out(card, request.user) if card is not None else None,
        "weeks": str(panel.weeks) if panel.weeks is not None else None,
        "weeks_basis": panel.weeks_basis,
        "economics": panel.result,
        "fee_total": str(panel.fee_total),
        "commission_basis": panel.commission_basis,
        "commission": [
            {"name": name, "role": role, "share_percent": str(share), "amount": str(amount)}
            for name, role, share, amount in panel.commission
        ],
        "warnings": panel.warnings,
        "notes": panel.notes,
    }
