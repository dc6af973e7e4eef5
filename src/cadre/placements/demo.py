"""Demo offers and placements (`cadre demo`, called at the end of cadre.web.demo.load_demo).

Two sources, so `make run` shows every state with real-looking numbers:

- candidates the demo pipeline left at **Offer** go through the real services: a draft, offers extended
  (one revised, one declined with its reason), and accepted offers that become pending placements with
  their rate card, fees, commission split and onboarding checklist;
- candidates already at **Placed** (a months-long history the services, stamping "now", cannot write)
  get the accepted offer and the placement that history implies — active, ended or converted — written
  with the same rows and audit entries `accept_offer` writes, then later changes (a rate raise, the end
  of a contract, a contract-to-hire conversion) through the services.

Rates and salaries come from each requisition's bands; the work state from its location. Deterministic
for a given `rng` seed and day.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.core import audit
from cadre.core.models import AuditLog, User
from cadre.pipeline.models import Application
from cadre.pipeline.stages import Stage
from cadre.placements import offer_terms, onboarding_services, services
from cadre.placements.burden import US_STATES
from cadre.placements.models import CommissionSplit, Offer, OnboardingTask, PayBasis, Placement, RateCard
from cadre.requisitions.models import Requisition

FALLBACK_STATES = ("CA", "NY", "TX", "WA", "MA")
DECLINE_REASONS = (
    "Accepted a counter-offer from the current employer",
    "Chose a permanent role elsewhere",
    "Relocation did not work out for the family",
)
MAX_HISTORICAL = 40
MAX_OFFER_STAGE = 6


def _money(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _thousands(value: Decimal) -> Decimal:
    return (value / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 1000


def _state(requisition: Requisition, rng: random.Random) -> str:
    tail = requisition.location.rsplit(",", 1)[-1].strip().upper()
    return tail if tail in US_STATES else rng.choice(FALLBACK_STATES)


def _between(rng: random.Random, low: Decimal | None, high: Decimal | None, default: Decimal) -> Decimal:
    if low is None or high is None:
        return default
    return low + (high - low) * Decimal(str(round(rng.uniform(0.3, 0.9), 2)))


def _terms(requisition: Requisition, rng: random.Random, start: dt.date, today: dt.date) -> dict[str, Any]:
    engagement = requisition.engagement_type
    terms: dict[str, Any] = {
        "engagement_type": engagement,
        "currency": requisition.currency,
        "start_date": start,
        "work_state": _state(requisition, rng),
        "expires_on": today + dt.timedelta(days=rng.randint(5, 10)),
    }
    if engagement == offer_terms.DIRECT_HIRE:
        salary = _between(rng, requisition.pay_min, requisition.pay_max, Decimal(180000))
        terms["salary"] = _thousands(salary)
        terms["bonus"] = _thousands(terms["salary"] * Decimal("0.1")) if rng.random() < 0.6 else None
        terms["terms"] = "Permanent, full-time; standard benefits from day one."
        return terms
    pay = _money(_between(rng, requisition.pay_min, requisition.pay_max, Decimal(80)), "1")
    bill = _money(_between(rng, requisition.bill_min, requisition.bill_max, pay * Decimal("1.5")), "1")
    terms.update(pay_rate=pay, bill_rate=max(bill, pay + 10), hours_per_week=Decimal(40))
    if engagement == offer_terms.CONTRACT:
        terms["vehicle"] = rng.choices(("w2", "1099", "c2c"), (7, 2, 1))[0]
        months = requisition.duration_months or 6
        terms["end_date"] = start + dt.timedelta(days=round(months * 30.44)) - dt.timedelta(days=1)
        terms["terms"] = "Remote-first; laptop provided; two weeks' notice either side."
    else:
        # Contract rates carry no benefits: the permanent salary is below the contract's annual pay.
        terms["salary"] = _thousands(pay * 2080 * Decimal("0.9"))
        terms["terms"] = "Six-month contract, then conversion to permanent at the stated salary."
    return terms


def _fee_terms(engagement: str, seniority: str, rng: random.Random) -> dict[str, Any]:
    if engagement == offer_terms.DIRECT_HIRE:
        if seniority in {"director", "executive"} or rng.random() < 0.25:
            return {"kind": "retained", "percent": "33.3333", "guarantee_days": 180}
        return {"kind": "contingency", "percent": rng.choice(("20", "22", "25")), "guarantee_days": 90}
    if engagement == offer_terms.CONTRACT_TO_HIRE:
        return {"kind": "conversion", "percent": "20", "method": "prorate", "schedule_months": 12}
    return {}


def _owner(application: Application, recruiters: Sequence[User]) -> User:
    owner = application.requisition.owner
    if owner is not None and owner.role in {"admin", "recruiter"}:
        return owner
    return recruiters[application.pk % len(recruiters)]


def _candidates(stage: str, limit: int) -> list[Application]:
    return list(
        Application.objects.filter(stage=stage, requisition__status__in=["open", "filled"])
        .select_related("requisition__client", "requisition__owner", "person")
        .order_by("id")[:limit]
    )


# ------------------------------------------------------------------------------- offers through the services


def _offer_stage(rng: random.Random, recruiters: Sequence[User], today: dt.date) -> dict[str, int]:
    made = {"offers": 0, "placements": 0}
    apps = [a for a in _candidates(Stage.OFFER, MAX_OFFER_STAGE) if a.requisition.status == "open"]
    for i, application in enumerate(apps):
        actor = _owner(application, recruiters)
        terms = _terms(application.requisition, rng, today + dt.timedelta(days=rng.randint(10, 30)), today)
        offer = services.create_offer(actor, application, **terms)
        made["offers"] += 1
        step = i % 4
        if step == 3:
            continue  # a draft still being put together
        offer = services.extend_offer(actor, offer)
        if step == 1:
            if offer.pay_basis == PayBasis.HOURLY and offer.bill_rate is not None:
                services.revise_offer(
                    actor, offer, bill_rate=offer.bill_rate + 5, terms=offer.terms + " Revised rate."
                )
            else:
                services.revise_offer(actor, offer, bonus=(offer.bonus or Decimal(0)) + 10000)
            made["offers"] += 1
        elif step == 2:
            services.decline_offer(actor, offer, rng.choice(DECLINE_REASONS))
        else:
            fee = _fee_terms(offer.engagement_type, application.requisition.seniority, rng)
            services.accept_offer(actor, offer, fee_terms=fee, recruiter=actor)
            made["placements"] += 1
    return made


# --------------------------------------------------------------------- placements implied by the history


def _record(instance: Any, actor: User) -> Any:
    instance.save(force_insert=True)
    audit.record(AuditLog.Action.CREATE, instance, after=audit.snapshot(instance), actor=actor)
    return instance


def _historical(application: Application, rng: random.Random, actor: User, today: dt.date) -> Placement:
    """The accepted offer and the placement behind a candidate the demo history shows as placed."""
    placed_on = application.stage_changed_at.date()
    requisition = application.requisition
    raw = _terms(requisition, rng, placed_on, placed_on - dt.timedelta(days=7))
    terms = offer_terms.parse_terms(raw)
    extended_at = application.stage_changed_at - dt.timedelta(days=rng.randint(8, 20))
    offer = _record(
        Offer(
            application=application,
            status=Offer.Status.ACCEPTED,
            extended_at=extended_at,
            responded_at=extended_at + dt.timedelta(days=rng.randint(1, 5)),
            created_by=actor,
            **terms.as_fields(),
        ),
        actor,
    )
    placement = _record(
        Placement(
            application=application,
            offer=offer,
            client=requisition.client,
            engagement_type=terms.engagement_type,
            vehicle=terms.vehicle,
            pay_basis=terms.pay_basis,
            currency=terms.currency,
            salary=terms.salary,
            bonus=terms.bonus,
            hours_per_week=terms.hours_per_week,
            start_date=placed_on,
            end_date=terms.end_date,
            work_state=terms.work_state,
            recruiter=actor,
            timesheet_approver=requisition.client.contacts.order_by("id").first(),
            fee_terms=_fee_terms(terms.engagement_type, requisition.seniority, rng),
            status=Placement.Status.ACTIVE,
            created_by=actor,
        ),
        actor,
    )
    if terms.pay_rate is not None and terms.bill_rate is not None:
        rates = offer_terms.rate_set(terms.pay_rate, terms.bill_rate)
        _record(
            RateCard(
                placement=placement,
                effective_from=placed_on,
                currency=placement.currency,
                reason="From the accepted offer",
                created_by=actor,
                **vars(rates),
            ),
            actor,
        )
    for fee in services.acceptance_fees(placement, placement.fee_terms, actor):
        fee.status = (
            "paid" if fee.due_on is not None and fee.due_on < today - dt.timedelta(days=45) else "pending"
        )
        _record(fee, actor)
    _record(
        CommissionSplit(placement=placement, user=actor, role="recruiter", share_percent=Decimal(100)), actor
    )
    return placement


def _onboarded(placement: Placement, actor: User) -> None:
    """A placement that already started did its onboarding: the checklist, every task done."""
    onboarding_services.create_checklist(placement, actor)
    done_at = timezone.make_aware(dt.datetime.combine(placement.start_date, dt.time(9)))
    for task in OnboardingTask.objects.filter(placement=placement, status=OnboardingTask.Status.OPEN):
        before = audit.snapshot(task)
        task.status, task.completed_by, task.completed_at = OnboardingTask.Status.DONE, actor, done_at
        task.note = "Completed before the start"
        task.save(update_fields=["status", "completed_by", "completed_at", "note"])
        audit.record(AuditLog.Action.UPDATE, task, before=before, after=audit.snapshot(task), actor=actor)


def _later_changes(
    placement: Placement, rng: random.Random, actor: User, today: dt.date, done: dict[str, int]
) -> str:
    """What happened since the start: a raise, a contract ended early, a conversion (a couple of each)."""
    running_days = (today - placement.start_date).days
    if placement.pay_basis == PayBasis.HOURLY and running_days > 45 and rng.random() < 0.5:
        card = placement.rate_cards.get()
        raise_on = placement.start_date + dt.timedelta(days=rng.randint(30, min(running_days, 90)))
        if placement.end_date is None or raise_on <= placement.end_date:
            services.add_rate_card(
                actor,
                placement,
                effective_from=raise_on,
                pay_regular=card.pay_regular + 5,
                bill_regular=card.bill_regular + 7,
                reason="Scope grew to include the evaluation harness",
            )
    if placement.end_date is not None and placement.end_date < today:
        services.end_placement(actor, placement, reason="Contract completed", end_date=placement.end_date)
        return "ended"
    if placement.engagement_type == offer_terms.CONTRACT and running_days > 20 and done.get("ended", 0) < 1:
        last_day = today - dt.timedelta(days=rng.randint(1, min(7, running_days)))
        services.end_placement(
            actor, placement, reason="Project finished early: the client's launch moved up", end_date=last_day
        )
        return "ended"
    c2h = placement.engagement_type == offer_terms.CONTRACT_TO_HIRE
    if c2h and running_days > 35 and placement.salary and done.get("converted", 0) < 2:
        converted_on = placement.start_date + dt.timedelta(days=rng.randint(31, running_days))
        services.convert_placement(actor, placement, salary=placement.salary, converted_on=converted_on)
        return "converted"
    return "active"


@transaction.atomic
def seed_placements(
    rng: random.Random, *, recruiters: Sequence[User], today: dt.date | None = None
) -> dict[str, int]:
    """Offers and placements for the demo pipeline; returns what was made."""
    if not recruiters:
        return {}
    day = today or timezone.localdate()
    made = _offer_stage(rng, recruiters, day)
    for application in _candidates(Stage.PLACED, MAX_HISTORICAL):
        actor = _owner(application, recruiters)
        placement = _historical(application, rng, actor, day)
        _onboarded(placement, actor)
        outcome = _later_changes(placement, rng, actor, day, made)
        made["placements"] += 1
        made[outcome] = made.get(outcome, 0) + 1
    return made
