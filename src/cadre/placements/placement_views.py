"""Offer and placement pages.

/placements/                        list (filters: status, engagement type, client) with totals
/placements/<pk>/                   terms, compliance gates before the start, the economics panel, rate-card
                                    history, fees, commission splits; start / end / convert (editors)
/applications/<pk>/offers/          the application's latest offer (or the new-offer form)
/applications/<pk>/offers/new/      new offer (draft)
/offers/<pk>/                       one revision, its history with diffs, extend / accept / decline / withdraw
/offers/<pk>/revise/                write the next revision

Views are thin: forms carry the typed text, services validate and write, and a refused form comes back
with the error on its field and the input kept (422 / 409). Hiring managers read their clients' offers and
placements (others are a 404) and may withdraw their client's offer; compliance officers read.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadre.clients.selectors import clients_visible_to
from cadre.compliance import gate_services
from cadre.core.exceptions import CadreError, Conflict, ValidationFailed
from cadre.pipeline.selectors import get_application
from cadre.pipeline.stages import CLOSED_STAGES
from cadre.placements import economics, offer_terms, placement_charts, selectors, services
from cadre.placements.models import Fee, Offer, PayBasis, Placement
from cadre.placements.placement_forms import (
    AcceptForm,
    ConvertForm,
    EndForm,
    FeeForm,
    OfferForm,
    RateCardForm,
    ReasonForm,
    SplitsForm,
    apply_error,
)
from cadre.requisitions.models import EngagementType
from cadre.web.http import can_edit, editor_required, fetch, paginate

ENGAGEMENT_LABELS = dict(EngagementType.choices)


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def _pct(value: Any) -> str | None:
    """A fraction as a percent with one decimal ("0.583333" → "58.3%")."""
    if value is None:
        return None
    return f"{Decimal(str(value)) * 100:.1f}%"


def _markup(pay: Decimal | None, bill: Decimal | None) -> str | None:
    return _pct(economics.markup_of(pay, bill))


def _money(value: Any) -> str:
    return f"{Decimal(str(value)):,.2f}"


def present_economics(panel: selectors.EconomicsPanel, currency: str) -> dict[str, Any] | None:
    """ContractEconomics.to_dict() as the panel shows it: ratios as percents, money with separators,
    gross profit and margin per hour, week, year and over the engagement."""
    result = panel.result
    if result is None:
        return None
    per_hour = result["per_hour"]
    rows = [
        {
            "label": "Per hour",
            "basis": "engagement totals ÷ hours worked",
            "revenue": _money(per_hour["bill"]),
            "pay": _money(per_hour["pay"]),
            "burden": _money(per_hour["burden"]),
            "gross_profit": _money(per_hour["gross_profit"]),
            "gross_margin": _pct(result["gross_margin"]),
            "negative": Decimal(per_hour["gross_profit"]) < 0,
        }
    ]
    for key, label in (("week", "Per week"), ("year", "Per year"), ("engagement", "Engagement")):
        t = result["totals"][key]
        rows.append(
            {
                "label": label,
                "basis": t["basis"],
                "revenue": _money(t["revenue"]),
                "pay": _money(t["pay"]),
                "burden": _money(t["burden"]),
                "gross_profit": _money(t["gross_profit"]),
                "gross_margin": _pct(t["gross_margin"]),
                "negative": Decimal(t["gross_profit"]) < 0,
            }
        )
    ratios = {r["name"]: r for r in result["ratios"]}
    inputs = result["inputs"]
    return {
        "currency": currency,
        "inputs": inputs,
        "markup": _pct(result["markup"]),
        "spread": _pct(result["spread"]),
        "gross_margin": _pct(result["gross_margin"]),
        "burden_rate": _pct(result["burden_rate"]),
        "formulas": {name: r["formula"] for name, r in ratios.items()},
        "rows": rows,
        "burden": [
            {
                "label": line["label"],
                "rate": f"{(Decimal(line['rate']) * 100).quantize(Decimal('0.001')).normalize():f}%",
                "wage_base": _money(line["wage_base"]) if line["wage_base"] else "no cap",
                "taxable": _money(line["taxable_wages"]),
                "amount": _money(line["amount"]),
                "formula": line["formula"],
            }
            for line in result["burden"]
        ],
        "has_burden": any(Decimal(line["amount"]) for line in result["burden"]),
        "negative": any(row["negative"] for row in rows),
        "version": result["version"],
    }


# ------------------------------------------------------------------------------------------------- list


@login_required
@require_GET
def placement_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    engagement_type = request.GET.get("engagement_type", "")
    client_id = _int(request.GET.get("client"))
    status = status if status in Placement.Status.values else ""
    engagement_type = engagement_type if engagement_type in EngagementType.values else ""
    placements = selectors.list_placements(
        request.user, status=status, engagement_type=engagement_type, client_id=client_id
    )
    totals = selectors.placement_totals(placements)
    sees_economics = selectors.can_see_economics(request.user)
    page = paginate(request, placements)
    for placement in page.object_list:
        pay, bill = getattr(placement, "pay_now", None), getattr(placement, "bill_now", None)
        if not sees_economics:  # a client's hiring manager: bill rates only
            placement.pay_now = pay = None  # type: ignore[attr-defined]
        placement.markup_pct = _markup(pay, bill)  # type: ignore[attr-defined]
        placement.negative = economics.is_negative_margin(pay, bill)  # type: ignore[attr-defined]
    mix = placement_charts.mix_chart(
        [(label, totals.by_engagement.get(value, 0)) for value, label in EngagementType.choices]
    )
    context = {
        "page_obj": page,
        "totals": totals,
        "sees_economics": sees_economics,
        "status_counts": [
            (label, totals.by_status.get(value, 0)) for value, label in Placement.Status.choices
        ],
        "mix": mix,
        "filters": {"status": status, "engagement_type": engagement_type, "client_id": client_id},
        "statuses": Placement.Status.choices,
        "engagement_types": EngagementType.choices,
        "clients": clients_visible_to(request.user).order_by("name").only("id", "name"),
        "open_offers": list(selectors.offers_needing_attention(request.user)[:10]),
        "today": timezone.localdate(),
    }
    return render(request, "placements/placement_list.html", context)


# ----------------------------------------------------------------------------------------------- detail


def _gate_context(placement: Placement) -> dict[str, Any]:
    """Before the start: each compliance gate re-checked today; the blocking ones with their reasons."""
    if placement.status != Placement.Status.PENDING_START:
        return {}
    states = gate_services.gate_states(placement.application)
    return {"gates": states, "blocking": gate_services.blocking_gates(states)}


def _conversion_preview(placement: Placement) -> Any:
    if (
        placement.engagement_type != EngagementType.CONTRACT_TO_HIRE
        or placement.status != Placement.Status.ACTIVE
        or not placement.salary
    ):
        return None
    today = timezone.localdate()
    if today <= placement.start_date:
        return None
    try:
        return services.conversion_quote(placement, salary=placement.salary, converted_on=today)
    except ValidationFailed:
        return None


def _detail(request: HttpRequest, placement: Placement, *, status: int = 200, **extra: Any) -> HttpResponse:
    today = timezone.localdate()
    sees_economics = selectors.can_see_economics(request.user)
    # A client's hiring manager gets no economics panel, pay columns, markup, splits or fee workings.
    panel = selectors.placement_economics(placement, as_of=today) if sees_economics else None
    hour = None
    if panel is not None and panel.result is not None:
        per_hour = panel.result["per_hour"]
        hour = placement_charts.hour_chart(
            Decimal(per_hour["bill"]), Decimal(per_hour["pay"]), Decimal(per_hour["burden"])
        )
    current = selectors.rate_card_on(placement, today)
    cards = [
        {
            "card": card,
            "current": current is not None and card.pk == current.pk,
            "markup": _markup(card.pay_regular, card.bill_regular) if sees_economics else None,
            "warnings": [
                *offer_terms.margin_warnings(card.pay_regular, card.bill_regular),
                *offer_terms.rate_card_warnings(card, placement.vehicle),
            ]
            if sees_economics
            else [],
        }
        for card in selectors.rate_cards_of(placement)
    ]
    running = placement.status in services.RUNNING
    fees = selectors.fees_of(placement)
    labels = dict(Fee.Status.choices)
    for fee in fees:
        allowed = services.FEE_TRANSITIONS.get(fee.status, frozenset())
        fee.next_statuses = [(v, labels[v]) for v in Fee.Status.values if v in allowed]  # type: ignore[attr-defined]
    editable = can_edit(request)
    context = {
        "placement": placement,
        "application": placement.application,
        "can_edit": editable,
        "sees_economics": sees_economics,
        "panel": panel,
        "economics": present_economics(panel, placement.currency) if panel is not None else None,
        "hour": hour,
        "cards": cards,
        "fees": fees,
        "splits": selectors.splits_of(placement) if sees_economics else [],
        "fee_terms_text": offer_terms.describe_fee_terms(placement.fee_terms or {}),
        "conversion": _conversion_preview(placement),
        "running": running,
        "hourly": placement.pay_basis == PayBasis.HOURLY,
        "end_form": EndForm(initial={"end_date": placement.end_date or today}),
        "convert_form": ConvertForm(initial={"salary": placement.salary, "converted_on": today}),
        "rate_form": RateCardForm(),
        "fee_form": FeeForm(initial={"kind": "contingency", "basis": placement.salary}),
        "splits_form": SplitsForm(initial=SplitsForm.initial_for(placement)),
        **_gate_context(placement),
        **extra,
    }
    return render(request, "placements/placement_detail.html", context, status=status)


@login_required
@require_GET
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, fetch(selectors.get_placement, request.user, pk))


def _placement_for_edit(request: HttpRequest, pk: int) -> Placement:
    placement = fetch(selectors.get_placement, request.user, pk)  # 404 across clients first
    if not can_edit(request):
        raise PermissionDenied("only recruiters and admins change placements")
    return placement


@require_POST
@login_required
def placement_start(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement_for_edit(request, pk)
    try:
        services.start_placement(request.user, placement, reason=request.POST.get("reason", "")[:2000])
    except CadreError as exc:
        return _detail(request, placement, status=exc.status_code, start_error=exc.message)
    messages.success(request, f"{placement.application.person.full_name} started: the application is Placed.")
    return redirect("placement-detail", pk=pk)


@require_POST
@login_required
def placement_end(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement_for_edit(request, pk)
    form = EndForm(request.POST)
    form.is_valid()
    try:
        services.end_placement(
            request.user,
            placement,
            reason=form.cleaned_data.get("reason", ""),
            end_date=form.cleaned_data.get("end_date") or None,
        )
    except CadreError as exc:
        apply_error(form, exc)
        return _detail(request, placement, status=exc.status_code, end_form=form, open_form="end")
    messages.success(request, "Placement ended." if placement.status == "active" else "Placement cancelled.")
    return redirect("placement-detail", pk=pk)


@require_POST
@login_required
def placement_convert(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement_for_edit(request, pk)
    form = ConvertForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.convert_placement(
            request.user,
            placement,
            salary=data.get("salary"),
            bonus=data.get("bonus") or None,
            converted_on=data.get("converted_on"),
            fees_paid=data.get("fees_paid") or None,
        )
    except CadreError as exc:
        apply_error(form, exc)
        return _detail(request, placement, status=exc.status_code, convert_form=form, open_form="convert")
    messages.success(request, "Converted to permanent; the conversion fee is recorded.")
    return redirect("placement-detail", pk=pk)


@require_POST
@login_required
def placement_rate_card(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement_for_edit(request, pk)
    form = RateCardForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        card = services.add_rate_card(
            request.user,
            placement,
            effective_from=data.get("effective_from"),
            pay_regular=data.get("pay_regular"),
            bill_regular=data.get("bill_regular"),
            pay_overtime=data.get("pay_overtime") or None,
            bill_overtime=data.get("bill_overtime") or None,
            pay_double=data.get("pay_double") or None,
            bill_double=data.get("bill_double") or None,
            reason=data.get("reason", ""),
        )
    except CadreError as exc:
        apply_error(form, exc)
        return _detail(request, placement, status=exc.status_code, rate_form=form, open_form="rates")
    warnings = [
        *offer_terms.margin_warnings(card.pay_regular, card.bill_regular),
        *offer_terms.rate_card_warnings(card, placement.vehicle),
    ]
    messages.success(request, f"Rates from {card.effective_from:%b %-d, %Y} added.")
    for warning in warnings:
        messages.warning(request, warning.capitalize())
    return redirect("placement-detail", pk=pk)


@require_POST
@login_required
def placement_fee(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement_for_edit(request, pk)
    form = FeeForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        guarantee = data.get("guarantee_days") or ""
        services.record_fee(
            request.user,
            placement,
            kind=data.get("kind", ""),
            label=data.get("label", ""),
            basis=data.get("basis"),
            percent=data.get("percent"),
            amount=data.get("amount"),
            due_on=data.get("due_on") or None,
            guarantee_days=_guarantee(guarantee),
            note=data.get("note", ""),
        )
    except CadreError as exc:
        apply_error(form, exc)
        return _detail(request, placement, status=exc.status_code, fee_form=form, open_form="fee")
    messages.success(request, "Fee recorded.")
    return redirect("placement-detail", pk=pk)


def _guarantee(raw: str) -> int | None:
    if not raw.strip():
        return None
    if not raw.strip().isdigit():
        raise ValidationFailed("guarantee days must be a whole number", field="guarantee_days")
    return int(raw)


@require_POST
@login_required
def fee_status(request: HttpRequest, pk: int) -> HttpResponse:
    fee = fetch(selectors.get_fee, request.user, pk)
    placement = _placement_for_edit(request, fee.placement_id)
    try:
        services.set_fee_status(request.user, fee, request.POST.get("status", ""))
    except CadreError as exc:
        return _detail(request, placement, status=exc.status_code, fee_error=exc.message)
    messages.success(request, f"{fee.label}: {request.POST.get('status')}.")
    return redirect("placement-detail", pk=placement.pk)


@require_POST
@login_required
def placement_splits(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement_for_edit(request, pk)
    form = SplitsForm(request.POST)
    form.is_valid()
    splits = form.splits()
    try:
        if form.errors:
            raise ValidationFailed("check the highlighted rows")
        services.set_commission_splits(request.user, placement, splits)
    except CadreError as exc:
        field = exc.field or ""
        if field.startswith("splits."):  # splits.<row>.<user_id|role|share_percent>
            _, row, name = field.split(".")
            name = {"user_id": "user", "share_percent": "share"}.get(name, name)
            form.add_error(f"{name}_{row}", exc.message)
        elif exc.message != "check the highlighted rows":
            form.add_error(None, exc.message)
        return _detail(request, placement, status=exc.status_code, splits_form=form, open_form="splits")
    messages.success(request, "Commission splits saved.")
    return redirect("placement-detail", pk=pk)


# ------------------------------------------------------------------------------------------------ offers


@login_required
@require_GET
def application_offers(request: HttpRequest, pk: int) -> HttpResponse:
    """The board's "Offer" link: the placement if there is one, else the latest offer revision, else the
    new-offer form (editors, open applications)."""
    application = fetch(get_application, request.user, pk)
    placement = selectors.visible_placement_for_application(request.user, application)
    if placement is not None:
        return redirect("placement-detail", pk=placement.pk)
    latest = selectors.offers_of(application)[:1]
    if latest:
        return redirect("offer-detail", pk=latest[0].pk)
    if not can_edit(request) or application.stage in CLOSED_STAGES:
        messages.info(request, "No offer is recorded on this application.")
        return redirect("requisition-detail", pk=application.requisition_id)
    return redirect("offer-create", pk=application.pk)


def _offer_form_page(
    request: HttpRequest, form: OfferForm, *, application: Any, revising: Offer | None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "application": application, "revising": revising}
    return render(request, "placements/offer_form.html", context, status=status)


@editor_required
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = fetch(get_application, request.user, pk)
    if request.method == "POST":
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                offer = services.create_offer(request.user, application, **form.service_arguments())
            except CadreError as exc:
                apply_error(form, exc)
                return _offer_form_page(
                    request, form, application=application, revising=None, status=exc.status_code
                )
            messages.success(request, f"Offer revision {offer.revision} saved as a draft.")
            return redirect("offer-detail", pk=offer.pk)
        return _offer_form_page(request, form, application=application, revising=None, status=422)
    previous = selectors.offers_of(application)[:1]
    initial = (
        OfferForm.initial_from_offer(previous[0])
        if previous
        else OfferForm.initial_from_requisition(application.requisition)
    )
    initial.pop("expires_on", None)
    return _offer_form_page(request, OfferForm(initial=initial), application=application, revising=None)


@editor_required
@require_http_methods(["GET", "POST"])
def offer_revise(request: HttpRequest, pk: int) -> HttpResponse:
    offer = fetch(selectors.get_offer, request.user, pk)
    if request.method == "POST":
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                revised = services.revise_offer(request.user, offer, **form.service_arguments())
            except CadreError as exc:
                apply_error(form, exc)
                return _offer_form_page(
                    request, form, application=offer.application, revising=offer, status=exc.status_code
                )
            messages.success(
                request, f"Revision {revised.revision} written; revision {offer.revision} is kept."
            )
            return redirect("offer-detail", pk=revised.pk)
        return _offer_form_page(request, form, application=offer.application, revising=offer, status=422)
    form = OfferForm(initial=OfferForm.initial_from_offer(offer))
    return _offer_form_page(request, form, application=offer.application, revising=offer)


def _offer_detail(request: HttpRequest, offer: Offer, *, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "offer": offer,
        "application": offer.application,
        "history": selectors.offer_history(offer, user=request.user),
        "warnings": selectors.offer_warnings_for(request.user, offer, services.offer_warnings(offer)),
        "sees_economics": selectors.can_see_economics(request.user),
        "fee_terms_default": offer_terms.describe_fee_terms(
            offer_terms.DEFAULT_FEE_TERMS.get(offer.engagement_type, {})
        ),
        "placement": selectors.placement_of(offer.application)
        if offer.status == Offer.Status.ACCEPTED
        else None,
        "can_edit": can_edit(request),
        "can_withdraw": services.can_withdraw(request.user, offer),
        "accept_form": AcceptForm(offer=offer),
        "decline_form": ReasonForm(prefix="decline"),
        "withdraw_form": ReasonForm(prefix="withdraw"),
        "today": timezone.localdate(),
        **extra,
    }
    return render(request, "placements/offer_detail.html", context, status=status)


def _field_or_page_error(form: Any, exc: CadreError, aliases: dict[str, str] | None = None) -> dict[str, Any]:
    """An error about a form field goes on the field; any other (a conflict with the offer's state) goes
    at the top of the page, where it shows even when the form is no longer offered."""
    field = (aliases or {}).get(exc.field or "", exc.field)
    if field and field in form.fields:
        form.add_error(field, exc.message)
        return {}
    return {"action_error": exc.message}


@login_required
@require_GET
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _offer_detail(request, fetch(selectors.get_offer, request.user, pk))


@require_POST
@editor_required
def offer_extend(request: HttpRequest, pk: int) -> HttpResponse:
    offer = fetch(selectors.get_offer, request.user, pk)
    try:
        services.extend_offer(request.user, offer, expires_on=request.POST.get("expires_on") or None)
    except CadreError as exc:
        return _offer_detail(request, offer, status=exc.status_code, action_error=exc.message)
    messages.success(request, "Offer extended; the application is at the Offer stage.")
    return redirect("offer-detail", pk=pk)


@require_POST
@editor_required
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    offer = fetch(selectors.get_offer, request.user, pk)
    form = AcceptForm(request.POST, offer=offer)
    if not form.is_valid():
        return _offer_detail(request, offer, status=422, accept_form=form, open_form="accept")
    try:
        placement = services.accept_offer(
            request.user,
            offer,
            fee_terms=form.fee_terms(),
            recruiter=form.cleaned_data.get("recruiter"),
            timesheet_approver=form.cleaned_data.get("timesheet_approver"),
            **form.overtime(),
        )
    except CadreError as exc:
        return _offer_detail(
            request,
            offer,
            status=exc.status_code,
            accept_form=form,
            open_form="accept",
            **_field_or_page_error(form, exc, AcceptForm.ALIASES),
        )
    messages.success(
        request, "Offer accepted: the placement, its rates, fees and onboarding checklist are set up."
    )
    return redirect("placement-detail", pk=placement.pk)


def _respond(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    offer = fetch(selectors.get_offer, request.user, pk)
    form = ReasonForm(request.POST, prefix=action)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        if action == "decline":
            services.decline_offer(request.user, offer, reason)
        else:
            services.withdraw_offer(request.user, offer, reason)
    except CadreError as exc:
        return _offer_detail(
            request,
            offer,
            status=exc.status_code,
            open_form=action,
            **{f"{action}_form": form},
            **_field_or_page_error(form, exc),
        )
    messages.success(request, "Offer declined." if action == "decline" else "Offer withdrawn.")
    return redirect("offer-detail", pk=pk)


@require_POST
@login_required
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(request, pk, "decline")


@require_POST
@login_required
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(request, pk, "withdraw")


@require_POST
@editor_required
def offer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    offer = fetch(selectors.get_offer, request.user, pk)
    application = offer.application
    try:
        services.delete_offer(request.user, offer)
    except (Conflict, ValidationFailed) as exc:
        return _offer_detail(request, offer, status=exc.status_code, action_error=exc.message)
    messages.success(request, "Draft offer deleted.")
    return redirect("requisition-detail", pk=application.requisition_id)


urlpatterns: list[URLPattern] = [
    path("placements/", placement_list, name="placement-list"),
    path("placements/<int:pk>/", placement_detail, name="placement-detail"),
    path("placements/<int:pk>/start/", placement_start, name="placement-start"),
    path("placements/<int:pk>/end/", placement_end, name="placement-end"),
    path("placements/<int:pk>/convert/", placement_convert, name="placement-convert"),
    path("placements/<int:pk>/rate-cards/", placement_rate_card, name="placement-rate-card-add"),
    path("placements/<int:pk>/fees/", placement_fee, name="placement-fee-add"),
    path("placements/fees/<int:pk>/status/", fee_status, name="placement-fee-status"),
    path("placements/<int:pk>/splits/", placement_splits, name="placement-splits"),
    path("applications/<int:pk>/offers/", application_offers, name="application-offers"),
    path("applications/<int:pk>/offers/new/", offer_create, name="offer-create"),
    path("offers/<int:pk>/", offer_detail, name="offer-detail"),
    path("offers/<int:pk>/revise/", offer_revise, name="offer-revise"),
    path("offers/<int:pk>/extend/", offer_extend, name="offer-extend"),
    path("offers/<int:pk>/accept/", offer_accept, name="offer-accept"),
    path("offers/<int:pk>/decline/", offer_decline, name="offer-decline"),
    path("offers/<int:pk>/withdraw/", offer_withdraw, name="offer-withdraw"),
    path("offers/<int:pk>/delete/", offer_delete, name="offer-delete"),
]
