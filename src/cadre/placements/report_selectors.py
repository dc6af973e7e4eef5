"""Reads for the placement reports: turn the database into the plain facts placements.reports works on.

Reports show the agency's pay rates and margins, so they are for admins and recruiters only. Periods are
inclusive dates; the default is the year to date.

What is counted:
* margin — days of approved timesheets (with the rate card in force on each day) and fees that are
  pending, invoiced or paid with a due date in the period; burden rates from burden_settings.rates_for
  (the shipped tables with the firm's settings) for the placement's work state and the week's year;
* time-to-fill — placements (not cancelled) whose offer was accepted in the period;
* fill rate — requisitions created in the period (not drafts, not cancelled), with their placements
  (not cancelled) whenever they were made;
* mix — placements (not cancelled) accepted in the period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from cadre.core import roles
from cadre.core.exceptions import Forbidden, ValidationFailed
from cadre.core.services import require_user
from cadre.placements import burden_settings, reports, selectors
from cadre.placements.burden import BurdenRates, UnknownState
from cadre.placements.invoicing import RateIn, RateSchedule
from cadre.placements.models import CommissionSplit, Fee, Placement, RateCard, Timesheet, TimesheetEntry
from cadre.requisitions.models import Requisition

LIVE_FEES = (Fee.Status.PENDING, Fee.Status.INVOICED, Fee.Status.PAID)
MAX_DAYS = 3 * 366 + 1


def can_see_reports(user: Any) -> bool:
    """Economics (selectors.can_see_economics: never a client's hiring manager) across the whole desk,
    ranked by recruiter: for the people who run it, recruiters and admins."""
    return selectors.can_see_economics(user) and roles.can_edit_records(getattr(user, "role", ""))


def require_reports(user: Any) -> None:
    u = require_user(user)
    if not can_see_reports(u):
        raise Forbidden("placement reports (pay, margins) are for recruiters and admins")


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return dt.date(today.year, 1, 1), today


def check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationFailed(f"the period ends ({end}) before it starts ({start})", field="end")
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed("a report period is at most three years", field="end")


def _name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)


def _rates_lookup() -> Callable[[int, str], BurdenRates | None]:
    """Rates per (year, state), cached for one report: the year's shipped tables with the firm's settings
    (burden_settings.rates_for), or the nearest earlier year's relabelled when that year is not shipped;
    None for a missing or unknown state."""
    cache: dict[tuple[int, str], BurdenRates | None] = {}

    def lookup(year: int, state: str) -> BurdenRates | None:
        key = (year, state)
        if key not in cache:
            try:
                tables_year = burden_settings.default_year(dt.date(year, 12, 31))
                rates = burden_settings.rates_for(tables_year, state)
                cache[key] = rates if rates.year == year else rates.for_year(year)
            except (UnknownState, ValueError):
                cache[key] = None
        return cache[key]

    return lookup


def _placement_facts(placements: list[Placement]) -> list[reports.PlacementFacts]:
    splits: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for s in CommissionSplit.objects.filter(placement__in=placements).select_related("user"):
        splits[s.placement_id].append((_name(s.user), Decimal(s.share_percent)))
    return [
        reports.PlacementFacts(
            id=p.pk,
            client_id=p.client_id,
            client=p.client.name,
            recruiter=_name(p.recruiter),
            vehicle=p.vehicle,
            engagement_type=p.engagement_type,
            state=p.work_state,
            currency=p.currency,
            splits=tuple(splits[p.pk]),
        )
        for p in placements
    ]


def unrated_warning(placement_id: int, client: str, days: dict[dt.date, Decimal]) -> str:
    """The warning for approved hours that have no rate card in force (as invoicing refuses them)."""
    hours = sum(days.values(), Decimal(0))
    listed = ", ".join(d.isoformat() for d in sorted(days)[:10]) + (" …" if len(days) > 10 else "")
    return (
        f"placement #{placement_id} ({client}): {hours.normalize():f} approved hours on {len(days)} "
        f"day{'s' if len(days) != 1 else ''} ({listed}) have no rate card in force; they are left out of "
        "revenue, pay and margin until a rate card covers them"
    )


def _hours_facts(
    placement_ids: set[int], since: dt.date, until: dt.date, unrated: dict[int, dict[dt.date, Decimal]]
) -> list[reports.HoursFacts]:
    """Approved days with the rate card in force on each. Days with no card in force (worked before the
    first card) cannot be priced: they are collected in `unrated` (placement → day → hours) for a warning
    instead of vanishing from the figures."""
    cards: dict[int, list[RateCard]] = defaultdict(list)
    for card in RateCard.objects.filter(placement_id__in=placement_ids):
        cards[card.placement_id].append(card)
    schedules: dict[int, tuple[RateSchedule, dict[int, RateCard]]] = {
        pid: (
            RateSchedule(
                [
                    RateIn(c.pk, c.effective_from, c.bill_regular, c.bill_overtime, c.bill_double, c.currency)
                    for c in cs
                ]
            ),
            {c.pk: c for c in cs},
        )
        for pid, cs in cards.items()
    }
    facts = []
    entries = TimesheetEntry.objects.filter(
        timesheet__placement_id__in=placement_ids,
        timesheet__status=Timesheet.Status.APPROVED,
        work_date__gte=since,
        work_date__lte=until,
    ).select_related("timesheet")
    for e in entries:
        pid = e.timesheet.placement_id
        schedule, by_id = schedules.get(pid, (RateSchedule([]), {}))
        rate = schedule.on(e.work_date)
        if rate is None or rate.id is None:
            day = unrated.setdefault(pid, {})
            day[e.work_date] = day.get(e.work_date, Decimal(0)) + e.regular_hours + e.overtime_hours
            day[e.work_date] += e.double_hours
            continue
        card = by_id[rate.id]
        facts.append(
            reports.HoursFacts(
                placement_id=pid,
                week_start=e.timesheet.week_start,
                work_date=e.work_date,
                rate_key=card.pk,
                regular=e.regular_hours,
                overtime=e.overtime_hours,
                double=e.double_hours,
                pay_regular=card.pay_regular,
                pay_overtime=card.pay_overtime,
                pay_double=card.pay_double,
                bill_regular=card.bill_regular,
                bill_overtime=card.bill_overtime,
                bill_double=card.bill_double,
            )
        )
    return facts


@dataclass
class PlacementReport:
    start: dt.date
    end: dt.date
    by_client: list[reports.MarginRow]
    by_recruiter: list[reports.MarginRow]
    totals: dict[str, reports.Figures]
    time_to_fill: list[reports.TimeToFillRow]
    time_to_fill_all: reports.TimeToFillRow
    fill: reports.FillRate
    mix: list[reports.MixRow]
    warnings: list[str] = field(default_factory=list)
    version: str = reports.REPORTS_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
            "margin_by_client": [r.to_dict() for r in self.by_client],
            "margin_by_recruiter": [r.to_dict() for r in self.by_recruiter],
            "totals": {currency: f.to_dict(currency) for currency, f in self.totals.items()},
            "time_to_fill": {
                "by_client": [r.to_dict() for r in self.time_to_fill],
                "overall": self.time_to_fill_all.to_dict(),
            },
            "fill_rate": self.fill.to_dict(),
            "placements_by_engagement": [r.to_dict() for r in self.mix],
            "warnings": self.warnings,
        }


def _accepted_on(p: Placement) -> dt.date:
    offer = p.offer
    stamp = offer.responded_at if offer is not None and offer.responded_at else p.created_at
    return timezone.localtime(stamp).date() if timezone.is_aware(stamp) else stamp.date()


def placement_report(
    user: Any, start: dt.date | None = None, end: dt.date | None = None, *, client_id: int | None = None
) -> PlacementReport:
    require_reports(user)
    default_start, default_end = default_period()
    start, end = start or default_start, end or default_end
    check_period(start, end)
    client_filter = Q(client_id=client_id) if client_id else Q()

    # Margin: placements with approved hours or live fees in the period.
    since = dt.date(start.year - 1, 12, 26)  # every week whose last day is in start's year
    with_hours = TimesheetEntry.objects.filter(
        timesheet__status=Timesheet.Status.APPROVED, work_date__gte=start, work_date__lte=end
    ).values("timesheet__placement_id")
    with_fees = Fee.objects.filter(status__in=LIVE_FEES, due_on__gte=start, due_on__lte=end).values(
        "placement_id"
    )
    margin_placements = list(
        Placement.objects.filter(client_filter)
        .filter(Q(pk__in=with_hours) | Q(pk__in=with_fees))
        .select_related("client", "recruiter")
    )
    facts = _placement_facts(margin_placements)
    ids = {p.pk for p in margin_placements}
    fees = [
        reports.FeeFacts(f.placement_id, f.amount, f.due_on)
        for f in Fee.objects.filter(
            placement_id__in=ids, status__in=LIVE_FEES, due_on__gte=start, due_on__lte=end
        )
        if f.due_on is not None
    ]
    unrated: dict[int, dict[dt.date, Decimal]] = {}
    margin = reports.placement_figures(
        facts, _hours_facts(ids, since, end, unrated), fees, start=start, end=end, rates_for=_rates_lookup()
    )
    names = {f.id: f.client for f in facts}
    margin.warnings.extend(
        unrated_warning(pid, names.get(pid, ""), {d: h for d, h in days.items() if start <= d <= end})
        for pid, days in sorted(unrated.items())
        if any(start <= d <= end for d in days)
    )
    by_client = reports.margin_by_client(facts, margin.by_placement)
    by_recruiter = reports.margin_by_recruiter(facts, margin.by_placement)

    # Time-to-fill and mix: placements accepted in the period.
    accepted = [
        p
        for p in Placement.objects.filter(client_filter)
        .exclude(status=Placement.Status.CANCELLED)
        .filter(
            Q(offer__responded_at__date__gte=start, offer__responded_at__date__lte=end)
            | Q(offer__isnull=True, created_at__date__gte=start, created_at__date__lte=end)
        )
        .select_related("client", "offer", "application__requisition")
    ]
    fills = [
        reports.FillFacts(
            client=p.client.name,
            requisition_id=p.application.requisition_id,
            opened_on=timezone.localtime(p.application.requisition.created_at).date(),
            accepted_on=_accepted_on(p),
        )
        for p in accepted
    ]
    ttf_rows, ttf_all = reports.time_to_fill(fills)
    mix = reports.placement_mix((p.engagement_type, p.vehicle) for p in accepted)

    # Fill rate: requisitions opened in the period.
    requisitions = (
        Requisition.objects.filter(client_filter, created_at__date__gte=start, created_at__date__lte=end)
        .exclude(status__in=[Requisition.Status.DRAFT, Requisition.Status.CANCELLED])
        .select_related("client")
        .annotate(
            placed=Count(
                "applications__placement",
                filter=~Q(applications__placement__status=Placement.Status.CANCELLED),
            )
        )
    )
    fill = reports.fill_rate(
        reports.OpeningFacts(
            requisition_id=r.pk,
            title=r.title,
            client=r.client.name,
            status=r.status,
            openings=r.openings,
            placements=r.placed,  # type: ignore[attr-defined]
        )
        for r in requisitions
    )
    return PlacementReport(
        start=start,
        end=end,
        by_client=by_client,
        by_recruiter=by_recruiter,
        totals=reports.total_of(by_client),
        time_to_fill=ttf_rows,
        time_to_fill_all=ttf_all,
        fill=fill,
        mix=mix,
        warnings=margin.warnings,
    )
