"""Offers and placements: reads, scoped like the rest of Cadre (a hiring manager sees only the clients
assigned to them; anything else is a 404), plus the economics panel of a placement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from cadre.core import roles
from cadre.core.exceptions import Forbidden, NotFound
from cadre.core.money import to_cents
from cadre.core.selectors import is_client_scoped
from cadre.pipeline.models import Application
from cadre.placements import burden, burden_settings, economics, fees, offer_terms
from cadre.placements.models import CommissionSplit, Fee, Offer, PayBasis, Placement, RateCard

# Weeks shown for an open-ended contract (no end date): a year, said so in the panel.
OPEN_ENDED_WEEKS = Decimal(52)
LIVE_FEES = (Fee.Status.PENDING, Fee.Status.INVOICED, Fee.Status.PAID)


# ------------------------------------------------------------------------------------ who sees the money
# The agency's confidential figures: pay rates, employer burden, gross profit and margin, markup and spread,
# commission splits and how a fee was calculated. Admins and recruiters run the desk; compliance officers
# read them because worker classification and pay-transparency checks need the pay rate. A client's hiring
# manager sees what the client is charged — bill rates, hours, timesheets, invoices and fee amounts — and
# nothing of the spread. This is the one rule; views, API and exports all ask it.
ECONOMICS_ROLES = frozenset({roles.Role.ADMIN, roles.Role.RECRUITER, roles.Role.COMPLIANCE_OFFICER})


def can_see_economics(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", "") in ECONOMICS_ROLES


def require_economics(user: Any) -> None:
    if not can_see_economics(user):
        raise Forbidden("pay rates, burden, margins and commission are the agency's: not shown to clients")


def placements_visible_to(user: Any) -> QuerySet[Placement]:
    qs = Placement.objects.all()
    if is_client_scoped(user):
        qs = qs.filter(client__hiring_managers=user)
    return qs


def offers_visible_to(user: Any) -> QuerySet[Offer]:
    qs = Offer.objects.all()
    if is_client_scoped(user):
        qs = qs.filter(application__requisition__client__hiring_managers=user)
    return qs


def _current_rate(column: str, day: dt.date) -> Subquery:
    cards = RateCard.objects.filter(placement=OuterRef("pk"), effective_from__lte=day).order_by(
        "-effective_from"
    )
    return Subquery(cards.values(column)[:1])


def list_placements(
    user: Any, *, status: str = "", engagement_type: str = "", client_id: int | None = None
) -> QuerySet[Placement]:
    """Placements for the list page, newest start first, with the rates in force today."""
    today = timezone.localdate()
    qs = placements_visible_to(user).select_related(
        "application__person", "application__requisition", "client", "recruiter"
    )
    if status:
        qs = qs.filter(status=status)
    if engagement_type:
        qs = qs.filter(engagement_type=engagement_type)
    if client_id:
        qs = qs.filter(client_id=client_id)
    return qs.annotate(
        pay_now=_current_rate("pay_regular", today), bill_now=_current_rate("bill_regular", today)
    ).order_by("-start_date", "-id")


@dataclass
class CurrencyTotals:
    """Money totals in one currency (never added across currencies)."""

    currency: str
    fees: Decimal = Decimal(0)
    weekly_revenue: Decimal = Decimal(0)
    weekly_spread: Decimal = Decimal(0)


@dataclass
class PlacementTotals:
    count: int
    by_status: dict[str, int]
    by_engagement: dict[str, int]
    by_currency: list[CurrencyTotals]  # one per currency present, in currency-code order

    def in_currency(self, currency: str) -> CurrencyTotals:
        found = [t for t in self.by_currency if t.currency == currency]
        return found[0] if found else CurrencyTotals(currency)


def placement_totals(placements: QuerySet[Placement]) -> PlacementTotals:
    """Totals over a (filtered) list: counts, live fees, and the weekly bill and spread of the active
    hourly placements at today's rates — money grouped by currency. Four queries whatever the list size."""
    base = placements.order_by()
    by_status = dict(base.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    by_engagement = dict(
        base.values_list("engagement_type").annotate(n=Count("id")).values_list("engagement_type", "n")
    )
    money: dict[str, CurrencyTotals] = {}

    def of(currency: str) -> CurrencyTotals:
        return money.setdefault(currency, CurrencyTotals(currency))

    fee_rows = (
        Fee.objects.filter(placement__in=base.values("pk"), status__in=LIVE_FEES)
        .order_by()
        .values("currency")
        .annotate(total=Sum("amount"))
    )
    for row in fee_rows:
        of(row["currency"]).fees = to_cents(row["total"] or 0, row["currency"])
    today = timezone.localdate()
    amount: DecimalField[Decimal, Decimal] = DecimalField(max_digits=20, decimal_places=4)
    weekly = (
        base.filter(status=Placement.Status.ACTIVE, pay_basis=PayBasis.HOURLY)
        .annotate(pay_now=_current_rate("pay_regular", today), bill_now=_current_rate("bill_regular", today))
        .values("currency")
        .annotate(
            revenue=Sum(ExpressionWrapper(F("bill_now") * F("hours_per_week"), output_field=amount)),
            spread=Sum(
                ExpressionWrapper((F("bill_now") - F("pay_now")) * F("hours_per_week"), output_field=amount)
            ),
        )
    )
    for row in weekly:
        if row["revenue"] is None and row["spread"] is None:
            continue  # active placements whose first rate card starts later
        totals = of(row["currency"])
        totals.weekly_revenue = to_cents(row["revenue"] or 0, row["currency"])
        totals.weekly_spread = to_cents(row["spread"] or 0, row["currency"])
    return PlacementTotals(
        count=sum(by_status.values()),
        by_status=by_status,
        by_engagement=by_engagement,
        by_currency=[money[c] for c in sorted(money)],
    )


def get_placement(user: Any, pk: int) -> Placement:
    placement = (
        placements_visible_to(user)
        .select_related(
            "application__person",
            "application__requisition__client",
            "client",
            "recruiter",
            "timesheet_approver",
            "offer",
            "created_by",
        )
        .filter(pk=pk)
        .first()
    )
    if placement is None:
        raise NotFound(f"placement {pk} not found")
    return placement


def rate_card_on(placement: Placement, day: dt.date) -> RateCard | None:
    """The card in force on `day`: the latest one starting on or before it (None before the first)."""
    return placement.rate_cards.filter(effective_from__lte=day).order_by("-effective_from").first()


def rate_cards_of(placement: Placement) -> list[RateCard]:
    return list(placement.rate_cards.select_related("created_by").order_by("-effective_from"))


def fees_of(placement: Placement) -> list[Fee]:
    return list(placement.fees.order_by("due_on", "id"))


def splits_of(placement: Placement) -> list[CommissionSplit]:
    return list(placement.commission_splits.select_related("user").order_by("-share_percent", "id"))


def get_offer(user: Any, pk: int) -> Offer:
    offer = (
        offers_visible_to(user)
        .select_related("application__person", "application__requisition__client", "created_by", "supersedes")
        .filter(pk=pk)
        .first()
    )
    if offer is None:
        raise NotFound(f"offer {pk} not found")
    return offer


def offers_of(application: Application) -> list[Offer]:
    """Every revision on the application, newest first."""
    return list(application.offers.select_related("created_by").order_by("-revision"))


def placement_of(application: Application) -> Placement | None:
    return Placement.objects.filter(application=application).first()


@dataclass
class Revision:
    offer: Offer
    compared_to: int | None  # the revision the changes are against (the superseded one, else the previous)
    changes: list[offer_terms.TermChange]
    warnings: list[str]


# Offer fields that are the agency's side of the deal (hidden from a client's hiring manager).
CONFIDENTIAL_OFFER_FIELDS = frozenset({"pay_rate"})


def client_safe_warnings(pay: Decimal | None, bill: Decimal | None, warnings: list[str]) -> list[str]:
    """The warnings without the margin rule's (which reveal the pay rate), for a client's viewer."""
    margin = {w.text for w in economics.rate_warnings(pay, bill)}
    return [w for w in warnings if w not in margin]


def offer_warnings_for(user: Any, offer: Offer, warnings: list[str]) -> list[str]:
    if can_see_economics(user):
        return warnings
    return client_safe_warnings(offer.pay_rate, offer.bill_rate, warnings)


def offer_history(offer: Offer, *, user: Any = None) -> list[Revision]:
    """Every revision of the offer's application, newest first, each with its diff to the revision it
    superseded (or, for a fresh offer after a declined or withdrawn one, to the previous revision).
    For a viewer who may not see economics (`user` given), pay-rate changes and margin warnings are
    left out."""
    history = _offer_history(offer)
    if user is None or can_see_economics(user):
        return history
    for revision in history:
        revision.changes = [c for c in revision.changes if c.field not in CONFIDENTIAL_OFFER_FIELDS]
        revision.warnings = []
    return history


def _offer_history(offer: Offer) -> list[Revision]:
    revisions = sorted(offers_of(offer.application), key=lambda o: o.revision)
    by_pk = {o.pk: o for o in revisions}
    out = []
    previous: Offer | None = None
    for item in revisions:
        base = by_pk.get(item.supersedes_id) if item.supersedes_id else previous
        changes = []
        if base is not None:
            changes = offer_terms.diff_terms(
                {f: getattr(base, f) for f in offer_terms.FIELDS},
                {f: getattr(item, f) for f in offer_terms.FIELDS},
            )
        warnings = offer_terms.margin_warnings(item.pay_rate, item.bill_rate)
        out.append(Revision(item, base.revision if base is not None else None, changes, warnings))
        previous = item
    return list(reversed(out))


# ----------------------------------------------------------------------------------------------- economics


@dataclass
class EconomicsPanel:
    """What the placement's economics panel shows."""

    kind: str  # "contract" (rates) or "salary"
    card: RateCard | None = None
    result: dict[str, Any] | None = None  # ContractEconomics.to_dict()
    weeks: Decimal | None = None
    weeks_basis: str = ""
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fee_total: Decimal = Decimal(0)
    commission: list[tuple[str, str, Decimal, Decimal]] = field(default_factory=list)
    commission_basis: str = ""


def _weeks(placement: Placement, card: RateCard) -> tuple[Decimal, str, dt.date]:
    """Weeks at the card's rates: from when it takes effect to the placement's end (or a year if open)."""
    start = max(placement.start_date, card.effective_from)
    if placement.end_date is None:
        return OPEN_ENDED_WEEKS, "open-ended: one year shown", start
    days = (placement.end_date - start).days + 1
    weeks = (Decimal(days) / 7).quantize(Decimal("0.01"))
    return max(weeks, Decimal("0.01")), f"{days} days from {start} to {placement.end_date}", start


def _burden_rates(
    placement: Placement, start: dt.date, weeks: Decimal, warnings: list[str]
) -> tuple[Any, Any]:
    """This firm's burden rates for the work state in the start year (the nearest shipped year if that
    one has no tables), and the later years' rates when the engagement crosses 1 January."""
    if placement.vehicle != "w2":
        return None, None
    if not placement.work_state:
        warnings.append("no work state: employer burden (SUTA, FUTA credit reduction) is left out")
        return None, None
    years = burden.available_years()
    year = start.year if start.year in years else min(years, key=lambda y: abs(y - start.year))
    last_year = (start + dt.timedelta(days=int(weeks * 7))).year
    try:
        rates = burden_settings.rates_for(year, placement.work_state)
        later = burden_settings.later_rates_for(placement.work_state, year, last_year)
    except ValueError as exc:
        warnings.append(f"burden not computed: {exc}")
        return None, None
    return rates, later


def placement_economics(placement: Placement, *, as_of: dt.date | None = None) -> EconomicsPanel:
    """The economics of the placement at the rate card in force today (or its first card before the
    start, its last after the end) over the engagement: markup, spread, burden by component, gross profit
    and margin per hour, week, year and engagement; and the fees and commission split."""
    day = as_of or timezone.localdate()
    fee_rows = [f for f in placement.fees.all() if f.status in LIVE_FEES]
    fee_total = sum((f.amount for f in fee_rows), Decimal(0))
    if placement.pay_basis != PayBasis.HOURLY:
        panel = EconomicsPanel(kind="salary", fee_total=fee_total)
        _commission(panel, placement, fee_total, "placement fees")
        return panel
    card = rate_card_on(placement, day) or placement.rate_cards.order_by("effective_from").first()
    panel = EconomicsPanel(kind="contract", card=card, fee_total=fee_total)
    if card is None:
        panel.warnings.append("no rate card yet")
        return panel
    weeks, basis, start = _weeks(placement, card)
    panel.weeks, panel.weeks_basis = weeks, basis
    rates, later = _burden_rates(placement, start, weeks, panel.warnings)
    try:
        result = economics.contract_economics(
            pay=card.pay_regular,
            bill=card.bill_regular,
            hours_per_week=placement.hours_per_week,
            weeks=weeks,
            rates=rates,
            vehicle=placement.vehicle,
            currency=placement.currency,
            start_date=start,
            pay_overtime=card.pay_overtime,
            bill_overtime=card.bill_overtime,
            later_rates=later,
        )
    except ValueError as exc:
        panel.warnings.append(f"economics not computed: {exc}")
        return panel
    panel.result = result.to_dict()
    panel.warnings.extend(result.warnings)
    panel.notes.extend(result.notes)
    gross_profit = result.gross_profit + fee_total
    what = "gross profit over the engagement" + (" and fees" if fee_total else "")
    _commission(panel, placement, max(gross_profit, Decimal(0)), what)
    return panel


def _commission(panel: EconomicsPanel, placement: Placement, amount: Decimal, basis: str) -> None:
    splits = splits_of(placement)
    if not splits:
        return
    names = [f"{s.user_id}:{s.role}" for s in splits]
    parts = dict(
        fees.split_commission(amount, [(n, s.share_percent) for n, s in zip(names, splits, strict=True)])
    )
    panel.commission = [
        (s.user.get_full_name() or s.user.username, s.get_role_display(), s.share_percent, parts[n])
        for n, s in zip(names, splits, strict=True)
    ]
    panel.commission_basis = f"{basis}: {to_cents(amount, placement.currency)} {placement.currency}"


def visible_placement_for_application(user: Any, application: Application) -> Placement | None:
    return placements_visible_to(user).filter(application=application).first()


def offers_needing_attention(user: Any) -> QuerySet[Offer]:
    """Extended offers with no answer yet, soonest expiry first (for lists and the placements page)."""
    return (
        offers_visible_to(user)
        .filter(status=Offer.Status.EXTENDED)
        .select_related("application__person", "application__requisition__client")
        .order_by(F("expires_on").asc(nulls_last=True), "-extended_at")
    )


def open_offer_counts(user: Any) -> dict[str, int]:
    rows = offers_visible_to(user).filter(Q(status=Offer.Status.DRAFT) | Q(status=Offer.Status.EXTENDED))
    return dict(rows.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def get_fee(user: Any, pk: int) -> Fee:
    fee = (
        Fee.objects.filter(pk=pk, placement__in=placements_visible_to(user))
        .select_related("placement")
        .first()
    )
    if fee is None:
        raise NotFound(f"fee {pk} not found")
    return fee
