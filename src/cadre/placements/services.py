"""Offers and placements: writes.

An offer is versioned: `revise_offer` writes revision n+1 and marks n superseded, so every set of terms
stays readable. `extend_offer` moves the application to "offer"; `accept_offer` turns the extended offer into
one Placement with its first rate card (or salary), the fees its fee terms call for, the default commission
split and the onboarding checklist — all in one transaction. `start_placement` moves the application to
"placed" through pipeline.services.move_application, so the compliance gates guard it.

Rules for terms live in placements.offer_terms (pure) and the money in placements.fees (pure); this module
checks permissions and state, writes, and audits every row it touches (core.audit).

Who may do what: admins and recruiters write everything. A hiring manager may withdraw an offer made for
their own client (the client's decision); accepting and declining record the candidate's answer, which the
recruiter holds, so they stay with editors. Compliance officers read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone

from cadre.clients.models import Contact
from cadre.core import audit, roles
from cadre.core.exceptions import Conflict, Forbidden, ValidationFailed
from cadre.core.models import AuditLog, User
from cadre.core.money import to_cents
from cadre.core.services import create_audited, delete_audited, require_editor, require_user, versioned_update
from cadre.pipeline.models import Application
from cadre.pipeline.services import move_application
from cadre.pipeline.stages import CLOSED_STAGES, Stage
from cadre.placements import fees, offer_terms, onboarding_services
from cadre.placements.models import (
    CommissionSplit,
    Fee,
    Invoice,
    InvoiceLine,
    Offer,
    PayBasis,
    Placement,
    RateCard,
    TimesheetEntry,
)
from cadre.placements.offer_terms import OfferTerms, TermsInvalid
from cadre.requisitions.models import Requisition

OPEN_OFFER = frozenset({Offer.Status.DRAFT, Offer.Status.EXTENDED})
MIN_REASON = 3
MAX_REASON = 2000
MAX_LABEL = 120
PERCENT_PLACES = Decimal("0.0001")  # Fee.percent has 4 decimal places
# Placements a rate card or an end date may still be added to.
RUNNING = frozenset({Placement.Status.PENDING_START, Placement.Status.ACTIVE})
# Fee status changes a recruiter records (invoicing also sets "invoiced").
FEE_TRANSITIONS: dict[str, frozenset[str]] = {
    Fee.Status.PENDING: frozenset({Fee.Status.INVOICED, Fee.Status.PAID, Fee.Status.WAIVED}),
    Fee.Status.INVOICED: frozenset({Fee.Status.PAID, Fee.Status.PENDING}),
    Fee.Status.PAID: frozenset({Fee.Status.REFUNDED}),
    Fee.Status.REFUNDED: frozenset(),
    Fee.Status.WAIVED: frozenset({Fee.Status.PENDING}),
}


def _today() -> dt.date:
    return timezone.localdate()


def _terms(raw: Mapping[str, Any]) -> OfferTerms:
    try:
        return offer_terms.parse_terms(raw)
    except TermsInvalid as exc:
        raise ValidationFailed(exc.message, field=exc.field) from exc


def _reason(reason: str | None, what: str) -> str:
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        raise ValidationFailed(f"{what} needs a reason", field="reason")
    if len(text) > MAX_REASON:
        raise ValidationFailed(f"the reason is limited to {MAX_REASON:,} characters", field="reason")
    return text


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError as exc:
        raise ValidationFailed(f"{field.replace('_', ' ')} must be a date (YYYY-MM-DD)", field=field) from exc


def _update(instance: Any, before: dict[str, Any], user: User, fields: list[str]) -> None:
    instance.save(update_fields=[*fields, *(["updated_at"] if hasattr(instance, "updated_at") else [])])
    audit.record(AuditLog.Action.UPDATE, instance, before=before, after=audit.snapshot(instance), actor=user)


def offer_fields(offer: Offer) -> dict[str, Any]:
    """An offer's terms as parse_terms reads them (the base a revision changes)."""
    return {field: getattr(offer, field) for field in offer_terms.FIELDS}


def offer_warnings(offer: Offer) -> list[str]:
    """What to flag on an offer's terms (negative margin, no work state, no start date)."""
    try:
        return offer_terms.terms_warnings(offer_terms.parse_terms(offer_fields(offer)))
    except TermsInvalid as exc:  # terms stored before a rule existed: show the problem, do not fail
        return [*offer_terms.margin_warnings(offer.pay_rate, offer.bill_rate), exc.message]


def can_withdraw(user: Any, offer: Offer) -> bool:
    role = getattr(user, "role", "")
    if roles.can_edit_records(role):
        return True
    return (
        role == roles.Role.HIRING_MANAGER
        and offer.application.requisition.client.hiring_managers.filter(pk=user.pk).exists()
    )


# ------------------------------------------------------------------------------------------------ offers


def _locked_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update().select_related("requisition__client").get(pk=application.pk)
    )


def _check_open(application: Application) -> None:
    if application.stage in CLOSED_STAGES:
        raise Conflict(
            f"the application is {Stage(application.stage).label.lower()}; an offer needs an open application"
        )
    if application.requisition.status in {Requisition.Status.CLOSED, Requisition.Status.CANCELLED}:
        raise Conflict(f"the requisition is {application.requisition.get_status_display().lower()}")
    if Placement.objects.filter(application=application).exists():
        raise Conflict("this application already has a placement")


def create_offer(actor: Any, application: Application, **raw: Any) -> Offer:
    """A draft offer (the next revision number on the application) with the given terms."""
    user = require_editor(actor)
    terms = _terms(raw)
    with transaction.atomic():
        locked = _locked_application(application)
        _check_open(locked)
        current = Offer.objects.filter(application=locked, status__in=OPEN_OFFER).first()
        if current is not None:
            raise Conflict(
                f"revision {current.revision} of this application's offer is still {current.status}; "
                "revise it, or withdraw it first"
            )
        last = Offer.objects.filter(application=locked).aggregate(n=Max("revision"))["n"] or 0
        offer = Offer(application=locked, revision=last + 1, created_by=user, **terms.as_fields())
        return create_audited(offer, actor=user)


def extend_offer(actor: Any, offer: Offer, *, expires_on: Any = None) -> Offer:
    """Send a draft to the candidate: it needs a start date and an expiry not in the past; the application
    moves to "offer" (through the pipeline, with its history) if it is not there yet."""
    user = require_editor(actor)
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if locked.status != Offer.Status.DRAFT:
            raise Conflict(f"revision {locked.revision} is {locked.status}; only a draft can be extended")
        if expires_on not in (None, ""):
            locked.expires_on = _date(expires_on, "expires_on")
        terms = _terms(offer_fields(locked))
        if terms.start_date is None:
            raise ValidationFailed("give the offer a start date before extending it", field="start_date")
        if terms.expires_on is not None and terms.expires_on < _today():
            raise ValidationFailed(f"the expiry {terms.expires_on} is in the past", field="expires_on")
        application = _locked_application(locked.application)
        _check_open(application)
        if application.stage != Stage.OFFER:
            move_application(
                user, application, to_stage=Stage.OFFER, reason=f"Offer r{locked.revision} extended"
            )
        before = audit.snapshot(locked)
        locked.status = Offer.Status.EXTENDED
        locked.extended_at = timezone.now()
        _update(locked, before, user, ["status", "extended_at", "expires_on"])
    return locked


def revise_offer(actor: Any, offer: Offer, **changes: Any) -> Offer:
    """Write revision n+1 with `changes` over n's terms and mark n superseded. A revision of an extended
    offer is extended at once (the candidate receives the new terms); a draft's revision stays a draft."""
    user = require_editor(actor)
    unknown = sorted(set(changes) - set(offer_terms.FIELDS))
    if unknown:
        raise ValidationFailed(f"unknown offer term(s): {', '.join(unknown)}", field=unknown[0])
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if locked.status not in OPEN_OFFER:
            raise Conflict(
                f"revision {locked.revision} is {locked.status}; only an open offer can be revised"
            )
        base = offer_fields(locked)
        terms = _terms({**base, **changes})
        if not offer_terms.diff_terms(base, terms.as_fields()):
            raise ValidationFailed(f"nothing changed: revision {locked.revision} already has these terms")
        application = _locked_application(locked.application)
        _check_open(application)
        extended = locked.status == Offer.Status.EXTENDED
        if extended:
            if terms.start_date is None:
                raise ValidationFailed("an extended offer needs a start date", field="start_date")
            if terms.expires_on is not None and terms.expires_on < _today():
                raise ValidationFailed(f"the expiry {terms.expires_on} is in the past", field="expires_on")
        before = audit.snapshot(locked)
        locked.status = Offer.Status.SUPERSEDED
        _update(locked, before, user, ["status"])
        last = Offer.objects.filter(application=application).aggregate(n=Max("revision"))["n"] or 0
        revision = Offer(
            application=application,
            revision=last + 1,
            supersedes=locked,
            status=Offer.Status.EXTENDED if extended else Offer.Status.DRAFT,
            extended_at=timezone.now() if extended else None,
            created_by=user,
            **terms.as_fields(),
        )
        try:
            with transaction.atomic():
                return create_audited(revision, actor=user)
        except IntegrityError as exc:  # a concurrent revision took the number
            raise Conflict("this offer was revised by someone else; reload and try again") from exc


def _respond(actor_user: User, offer: Offer, status: str, reason: str, allowed: frozenset[str]) -> Offer:
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if locked.status not in allowed:
            raise Conflict(f"revision {locked.revision} is {locked.status}; it cannot be {status} now")
        before = audit.snapshot(locked)
        locked.status = status
        locked.response_reason = reason
        locked.responded_at = timezone.now()
        _update(locked, before, actor_user, ["status", "response_reason", "responded_at"])
    return locked


def decline_offer(actor: Any, offer: Offer, reason: str) -> Offer:
    """The candidate said no (recorded by the recruiter, with their reason)."""
    user = require_editor(actor)
    text = _reason(reason, "declining an offer")
    return _respond(user, offer, Offer.Status.DECLINED, text, frozenset({Offer.Status.EXTENDED}))


def withdraw_offer(actor: Any, offer: Offer, reason: str) -> Offer:
    """The firm or the client takes the offer back (editors, or a hiring manager of the client)."""
    user = require_user(actor)
    if not can_withdraw(user, offer):
        raise Forbidden(f"a {user.role_label.lower()} may not withdraw this offer")
    text = _reason(reason, "withdrawing an offer")
    return _respond(user, offer, Offer.Status.WITHDRAWN, text, OPEN_OFFER)


def delete_offer(actor: Any, offer: Offer) -> None:
    """Only a first draft (never extended, no earlier revision) may be deleted; otherwise withdraw it."""
    user = require_editor(actor)
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if locked.status != Offer.Status.DRAFT or locked.supersedes_id is not None:
            raise Conflict("only a first draft can be deleted; withdraw the offer instead (with a reason)")
        delete_audited(locked, actor=user)


def _recruiter(user: Any, field: str = "recruiter_id") -> User:
    if not isinstance(user, User) or not user.is_active or not roles.can_edit_records(user.role):
        raise ValidationFailed("the placement's recruiter must be an active recruiter or admin", field=field)
    return user


def _approver(contact: Contact | None, client_id: int) -> Contact | None:
    if contact is not None and contact.client_id != client_id:
        raise ValidationFailed(
            "the timesheet approver must be a contact of the client", field="timesheet_approver_id"
        )
    return contact


def accept_offer(
    actor: Any,
    offer: Offer,
    *,
    fee_terms: Mapping[str, Any] | None = None,
    recruiter: User | None = None,
    timesheet_approver: Contact | None = None,
    pay_overtime: Any = None,
    pay_double: Any = None,
    bill_overtime: Any = None,
    bill_double: Any = None,
) -> Placement:
    """The candidate accepted: one Placement with the offer's terms, its first rate card (overtime 1.5x and
    double time 2x unless given) or salary, the fees its fee terms call for, 100 % of the commission to the
    recruiter, and the onboarding checklist. One transaction: on any error nothing is written."""
    user = require_editor(actor)
    if recruiter is not None:
        owner = _recruiter(recruiter)
    else:  # the requisition's owner when they can own it, else whoever records the acceptance
        default = offer.application.requisition.owner
        editor = default is not None and default.is_active and roles.can_edit_records(default.role)
        owner = default if editor and default is not None else user
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if locked.status == Offer.Status.ACCEPTED:
            placed = Placement.objects.filter(offer=locked).values_list("pk", flat=True).first()
            raise Conflict(f"revision {locked.revision} was already accepted (placement #{placed})")
        if locked.status == Offer.Status.SUPERSEDED:
            raise Conflict(f"revision {locked.revision} was superseded; accept the latest revision")
        if locked.status != Offer.Status.EXTENDED:
            raise Conflict(
                f"only an extended offer can be accepted; revision {locked.revision} is {locked.status}"
            )
        if locked.expires_on is not None and locked.expires_on < _today():
            raise Conflict(
                f"the offer expired on {locked.expires_on}; revise it with a new expiry or make a new offer"
            )
        terms = _terms(offer_fields(locked))
        if terms.start_date is None:
            raise ValidationFailed("the offer has no start date", field="start_date")
        try:  # from the locked row: the terms accepted are the ones read under the lock
            fee = offer_terms.parse_fee_terms(locked.engagement_type, fee_terms)
            rates = None
            if locked.pay_basis == PayBasis.HOURLY:
                rates = offer_terms.rate_set(
                    locked.pay_rate,
                    locked.bill_rate,
                    pay_overtime=pay_overtime,
                    pay_double=pay_double,
                    bill_overtime=bill_overtime,
                    bill_double=bill_double,
                    vehicle=locked.vehicle,
                )
        except TermsInvalid as exc:
            raise ValidationFailed(exc.message, field=exc.field) from exc
        application = _locked_application(locked.application)
        _check_open(application)
        client = application.requisition.client
        placement = create_audited(
            Placement(
                application=application,
                offer=locked,
                client=client,
                engagement_type=terms.engagement_type,
                vehicle=terms.vehicle,
                pay_basis=terms.pay_basis,
                currency=terms.currency,
                salary=terms.salary,
                bonus=terms.bonus,
                hours_per_week=terms.hours_per_week,
                start_date=terms.start_date,
                end_date=terms.end_date,
                work_state=terms.work_state,
                recruiter=owner,
                timesheet_approver=_approver(timesheet_approver, client.pk),
                fee_terms=fee,
                created_by=user,
            ),
            actor=user,
        )
        before = audit.snapshot(locked)
        locked.status = Offer.Status.ACCEPTED
        locked.responded_at = timezone.now()
        _update(locked, before, user, ["status", "responded_at"])
        if rates is not None:
            create_audited(
                RateCard(
                    placement=placement,
                    effective_from=placement.start_date,
                    currency=placement.currency,
                    reason=f"From offer revision {locked.revision}",
                    created_by=user,
                    **vars(rates),
                ),
                actor=user,
            )
        for row in acceptance_fees(placement, fee, user):
            create_audited(row, actor=user)
        create_audited(
            CommissionSplit(
                placement=placement,
                user=owner,
                role=CommissionSplit.Role.RECRUITER,
                share_percent=Decimal(100),
            ),
            actor=user,
        )
        onboarding_services.create_checklist(placement, user)
    return placement


def _fee_rows(
    placement: Placement, kind: str, quote: fees.FeeQuote, user: User, guarantee_days: int | None
) -> list[Fee]:
    """One Fee per installment of a fees.FeeQuote (a retained search bills in thirds)."""
    calculation = quote.to_dict()
    # A zero fee (a conversion after the schedule) has no installment; it is still recorded, waived.
    installments = list(quote.installments) or [fees.Installment(str(Fee.Kind(kind).label), quote.amount)]
    return [
        Fee(
            placement=placement,
            kind=kind,
            label=item.label[:MAX_LABEL],
            currency=quote.currency,
            basis=to_cents(quote.basis, quote.currency),
            percent=quote.percent.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP),
            amount=item.amount,
            due_on=item.due_on,
            guarantee_days=guarantee_days,
            calculation=calculation,
            created_by=user,
            status=Fee.Status.WAIVED if item.amount == 0 else Fee.Status.PENDING,
        )
        for item in installments
    ]


def acceptance_fees(placement: Placement, terms: Mapping[str, Any], user: User) -> list[Fee]:
    """Direct-hire fees are earned on acceptance; a conversion fee waits for the conversion."""
    kind = terms.get("kind")
    if placement.engagement_type != offer_terms.DIRECT_HIRE or kind not in {"contingency", "retained"}:
        return []
    assert placement.salary is not None
    percent = Decimal(str(terms["percent"]))
    guarantee = terms.get("guarantee_days")
    try:
        quote = _quote(placement, kind, percent, guarantee, terms)
    except ValueError as exc:
        raise ValidationFailed(f"fee terms: {exc}", field="fee_terms") from exc
    return _fee_rows(placement, kind, quote, user, guarantee)


def _quote(
    placement: Placement, kind: str, percent: Decimal, guarantee: Any, terms: Mapping[str, Any]
) -> fees.FeeQuote:
    assert placement.salary is not None
    if kind == "contingency":
        return fees.contingency_fee(
            base_salary=placement.salary,
            percent=percent,
            guarantee_days=guarantee if guarantee is not None else 90,
            currency=placement.currency,
            placed_on=placement.start_date,
        )
    engaged, shortlist = terms.get("engaged_on"), terms.get("shortlist_on")
    return fees.retained_fee(
        first_year_cash=placement.salary + (placement.bonus or Decimal(0)),
        percent=percent,
        currency=placement.currency,
        engaged_on=dt.date.fromisoformat(engaged) if engaged else None,
        shortlist_on=dt.date.fromisoformat(shortlist) if shortlist else None,
        accepted_on=_today(),
    )


# -------------------------------------------------------------------------------------------- placements


def _locked_placement(placement: Placement) -> Placement:
    return Placement.objects.select_for_update().get(pk=placement.pk)


def start_placement(actor: Any, placement: Placement, *, reason: str = "") -> Placement:
    """Pending → active on or after the start date; the application moves to "placed" through the
    pipeline, so every required compliance gate must have passed (or been overridden): otherwise Conflict
    naming each gate."""
    user = require_editor(actor)
    with transaction.atomic():
        locked = _locked_placement(placement)
        if locked.status != Placement.Status.PENDING_START:
            raise Conflict(
                f"placement #{locked.pk} is {locked.get_status_display().lower()}; it cannot start"
            )
        today = _today()
        if today < locked.start_date:
            raise Conflict(
                f"placement #{locked.pk} starts on {locked.start_date.isoformat()}; it can be started on "
                f"that day or later (today is {today.isoformat()})"
            )
        application = _locked_application(locked.application)
        if application.stage not in {Stage.OFFER, Stage.PLACED}:
            raise Conflict(
                f"the application is at {Stage(application.stage).label}; "
                "move it back to Offer before starting"
            )
        if application.stage != Stage.PLACED:
            move_application(
                user,
                application,
                to_stage=Stage.PLACED,
                reason=(reason or f"Placement #{locked.pk} started")[:2000],
            )
        return versioned_update(
            locked, expected_version=None, changes={"status": Placement.Status.ACTIVE}, actor=user
        )


def _last_worked_day(placement: Placement) -> dt.date | None:
    hours = Q(regular_hours__gt=0) | Q(overtime_hours__gt=0) | Q(double_hours__gt=0)
    entries = TimesheetEntry.objects.filter(hours, timesheet__placement=placement)
    return entries.aggregate(last=Max("work_date"))["last"]


def _last_invoiced_day(placement: Placement) -> dt.date | None:
    """The latest day whose hours are on a live (not void) invoice: rates up to it are settled."""
    invoiced = InvoiceLine.objects.filter(placement=placement, timesheet__isnull=False).exclude(
        invoice__status=Invoice.Status.VOID
    )
    return (
        TimesheetEntry.objects.filter(timesheet__in=invoiced.values("timesheet"))
        .aggregate(last=Max("work_date"))
        .get("last")
    )


def end_placement(actor: Any, placement: Placement, *, reason: str, end_date: Any = None) -> Placement:
    """Active → ended on `end_date` (default today; not before the last day with hours); pending →
    cancelled before start. A reason is required either way."""
    user = require_editor(actor)
    text = _reason(reason, "ending a placement")
    with transaction.atomic():
        locked = _locked_placement(placement)
        if locked.status == Placement.Status.PENDING_START:
            changes: dict[str, Any] = {"status": Placement.Status.CANCELLED, "ended_reason": text}
        elif locked.status == Placement.Status.ACTIVE:
            day = _date(end_date, "end_date") if end_date not in (None, "") else _today()
            if day < locked.start_date:
                raise ValidationFailed(
                    f"the end date {day} is before the start date {locked.start_date}", field="end_date"
                )
            worked = _last_worked_day(locked)
            if worked is not None and worked > day:
                raise Conflict(f"hours are recorded on {worked}, after the end date {day}")
            changes = {"status": Placement.Status.ENDED, "ended_reason": text, "end_date": day}
        else:
            raise Conflict(f"placement #{locked.pk} is already {locked.get_status_display().lower()}")
        return versioned_update(locked, expected_version=None, changes=changes, actor=user)


def hours_worked(placement: Placement, *, before: dt.date | None = None) -> Decimal:
    """Approved hours (regular + overtime + double) on the placement, optionally before a day."""
    entries = TimesheetEntry.objects.filter(timesheet__placement=placement, timesheet__status="approved")
    if before is not None:
        entries = entries.filter(work_date__lt=before)
    totals = entries.aggregate(r=Sum("regular_hours"), o=Sum("overtime_hours"), d=Sum("double_hours"))
    return sum((totals[k] or Decimal(0) for k in ("r", "o", "d")), Decimal(0))


def contract_billings(placement: Placement) -> Decimal:
    """Hours billed to the client so far (live invoices): the 'fees paid' a conversion credit refers to."""
    lines = InvoiceLine.objects.filter(
        placement=placement,
        kind__in=[InvoiceLine.Kind.REGULAR, InvoiceLine.Kind.OVERTIME, InvoiceLine.Kind.DOUBLE],
    ).exclude(invoice__status=Invoice.Status.VOID)
    return lines.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def conversion_quote(
    placement: Placement, *, salary: Decimal, converted_on: dt.date, fees_paid: Decimal | None = None
) -> fees.FeeQuote:
    """The conversion fee from the placement's fee terms, months and approved hours worked so far."""
    terms = placement.fee_terms if placement.fee_terms.get("kind") == "conversion" else None
    terms = terms or offer_terms.DEFAULT_FEE_TERMS[offer_terms.CONTRACT_TO_HIRE]
    if terms.get("method") == "credit" and fees_paid is None:
        fees_paid = contract_billings(placement)
    try:
        return _conversion_fee(placement, terms, salary, converted_on, fees_paid)
    except ValueError as exc:
        raise ValidationFailed(f"conversion fee: {exc}", field="fee_terms") from exc


def _conversion_fee(
    placement: Placement,
    terms: Mapping[str, Any],
    salary: Decimal,
    converted_on: dt.date,
    fees_paid: Decimal | None,
) -> fees.FeeQuote:
    method = terms.get("method", "prorate")
    credit = terms.get("credit_rate")
    free_after = terms.get("free_after_hours")
    return fees.conversion_fee(
        salary=salary,
        percent=Decimal(str(terms["percent"])),
        method=method,
        months_worked=Decimal(offer_terms.months_between(placement.start_date, converted_on)),
        schedule_months=int(terms.get("schedule_months", 12)),
        hours_worked=hours_worked(placement, before=converted_on),
        free_after_hours=Decimal(str(free_after)) if free_after is not None else None,
        fees_paid=fees_paid,
        credit_rate=Decimal(str(credit)) if credit is not None else None,
        currency=placement.currency,
    )


def convert_placement(
    actor: Any,
    placement: Placement,
    *,
    salary: Any,
    converted_on: Any,
    bonus: Any = None,
    fees_paid: Any = None,
) -> Placement:
    """Contract-to-hire → the client's employee from `converted_on` (the contract's last day is the day
    before). Records the conversion fee (fees.conversion_fee from the fee terms, months and hours worked).
    The conversion is recorded on or after its first day, never ahead: the status changes at once, and the
    contractor is still working until the day before."""
    user = require_editor(actor)
    try:
        amount = offer_terms.parse_amount(salary, "salary", required=True)
        extra = offer_terms.parse_amount(bonus, "bonus")
        paid = offer_terms.parse_amount(fees_paid, "fees_paid", label="fees paid")
    except TermsInvalid as exc:
        raise ValidationFailed(exc.message, field=exc.field) from exc
    assert amount is not None
    if amount == 0 or amount >= offer_terms.MAX_SALARY:
        raise ValidationFailed("give the annual salary on conversion", field="salary")
    day = _date(converted_on, "converted_on")
    with transaction.atomic():
        locked = _locked_placement(placement)
        if locked.engagement_type != offer_terms.CONTRACT_TO_HIRE:
            raise Conflict("only a contract-to-hire placement converts")
        if locked.status != Placement.Status.ACTIVE:
            raise Conflict(
                f"placement #{locked.pk} is {locked.get_status_display().lower()}; "
                "only an active one converts"
            )
        if day <= locked.start_date:
            raise ValidationFailed(
                f"the conversion date must be after the start date {locked.start_date}", field="converted_on"
            )
        today = _today()
        if day > today:
            raise ValidationFailed(
                f"the conversion date {day.isoformat()} is in the future: the conversion date must be today "
                f"({today.isoformat()}) or earlier, because converting ends the contract at once; record it "
                "on or after the first day as the client's employee",
                field="converted_on",
            )
        worked = _last_worked_day(locked)
        if worked is not None and worked >= day:
            raise Conflict(f"contract hours are recorded on {worked}, on or after the conversion date {day}")
        quote = conversion_quote(locked, salary=amount, converted_on=day, fees_paid=paid)
        updated = versioned_update(
            locked,
            expected_version=None,
            changes={
                "status": Placement.Status.CONVERTED,
                "converted_on": day,
                "end_date": day - dt.timedelta(days=1),
                "salary": amount.quantize(Decimal("0.01")),
                "bonus": extra,
            },
            actor=user,
        )
        for row in _fee_rows(updated, Fee.Kind.CONVERSION, quote, user, None):
            create_audited(row, actor=user)
    return updated


def add_rate_card(
    actor: Any,
    placement: Placement,
    *,
    effective_from: Any,
    pay_regular: Any,
    bill_regular: Any,
    pay_overtime: Any = None,
    pay_double: Any = None,
    bill_overtime: Any = None,
    bill_double: Any = None,
    reason: str = "",
) -> RateCard:
    """New rates from a day on. Cards are never edited: the latest card on or before a day applies, so
    cards cannot overlap; a new card may not start on or before a day already invoiced."""
    user = require_editor(actor)
    try:
        rates = offer_terms.rate_set(
            pay_regular,
            bill_regular,
            pay_overtime=pay_overtime,
            pay_double=pay_double,
            bill_overtime=bill_overtime,
            bill_double=bill_double,
            vehicle=placement.vehicle,
        )
    except TermsInvalid as exc:
        raise ValidationFailed(exc.message, field=exc.field) from exc
    if rates.pay_regular == 0 or rates.bill_regular == 0:
        raise ValidationFailed("regular pay and bill rates must be above zero", field="pay_regular")
    day = _date(effective_from, "effective_from")
    note = (reason or "").strip()
    if len(note) > 200:
        raise ValidationFailed("the reason is limited to 200 characters", field="reason")
    with transaction.atomic():
        locked = _locked_placement(placement)
        if locked.pay_basis != PayBasis.HOURLY:
            raise Conflict("a salaried placement has no rate cards")
        if locked.status not in RUNNING:
            raise Conflict(
                f"placement #{locked.pk} is {locked.get_status_display().lower()}; its rates are final"
            )
        if day < locked.start_date:
            raise ValidationFailed(
                f"rates cannot start before the placement ({locked.start_date})", field="effective_from"
            )
        if locked.end_date is not None and day > locked.end_date:
            raise ValidationFailed(
                f"rates cannot start after the placement ends ({locked.end_date})", field="effective_from"
            )
        invoiced = _last_invoiced_day(locked)
        if invoiced is not None and day <= invoiced:
            raise Conflict(
                f"hours up to {invoiced} are invoiced at the current rates; "
                "a new rate card must start after that day"
            )
        if RateCard.objects.filter(placement=locked, effective_from=day).exists():
            raise Conflict(f"a rate card already starts on {day}; choose another day")
        card = RateCard(
            placement=locked,
            effective_from=day,
            currency=locked.currency,
            reason=note,
            created_by=user,
            **vars(rates),
        )
        return create_audited(card, actor=user)


def record_fee(
    actor: Any,
    placement: Placement,
    *,
    kind: str,
    label: str,
    basis: Any,
    percent: Any,
    amount: Any,
    due_on: Any = None,
    guarantee_days: int | None = None,
    note: str = "",
) -> Fee:
    """A fee agreed outside the standard terms (a flat replacement fee, a negotiated conversion)."""
    user = require_editor(actor)
    if kind not in Fee.Kind.values:
        raise ValidationFailed(
            f"unknown fee kind {kind!r}; expected one of {', '.join(Fee.Kind.values)}", field="kind"
        )
    title = (label or "").strip()
    if not title or len(title) > MAX_LABEL:
        raise ValidationFailed(f"a fee needs a label of at most {MAX_LABEL} characters", field="label")
    try:
        values = {
            "basis": offer_terms.parse_amount(basis, "basis", required=True, label="basis"),
            "percent": offer_terms.parse_amount(percent, "percent", required=True, label="percent"),
            "amount": offer_terms.parse_amount(amount, "amount", required=True, label="amount"),
        }
    except TermsInvalid as exc:
        raise ValidationFailed(exc.message, field=exc.field) from exc
    if values["percent"] is not None and values["percent"] > 100:
        raise ValidationFailed("percent is between 0 and 100", field="percent")
    for name in ("basis", "amount"):
        value = values[name]
        assert value is not None
        if value >= offer_terms.MAX_SALARY * 10:
            raise ValidationFailed(f"{name} {value} is too large", field=name)
        values[name] = to_cents(value, placement.currency)
    assert values["percent"] is not None
    values["percent"] = values["percent"].quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)
    if guarantee_days is not None and not 0 <= guarantee_days <= 730:
        raise ValidationFailed("guarantee days must be between 0 and 730", field="guarantee_days")
    fee = Fee(
        placement=placement,
        kind=kind,
        label=title,
        currency=placement.currency,
        due_on=_date(due_on, "due_on") if due_on not in (None, "") else None,
        guarantee_days=guarantee_days,
        calculation={"recorded_manually": True, "note": (note or "").strip()[:MAX_REASON]},
        created_by=user,
        **values,
    )
    with transaction.atomic():
        return create_audited(fee, actor=user)


def set_fee_status(actor: Any, fee: Fee, status: str) -> Fee:
    user = require_editor(actor)
    if status not in Fee.Status.values:
        raise ValidationFailed(f"unknown fee status {status!r}", field="status")
    with transaction.atomic():
        locked = Fee.objects.select_for_update().get(pk=fee.pk)
        if status not in FEE_TRANSITIONS[locked.status]:
            raise Conflict(f"a {locked.get_status_display().lower()} fee cannot become {status}")
        before = audit.snapshot(locked)
        locked.status = status
        _update(locked, before, user, ["status"])
    return locked


def set_commission_splits(
    actor: Any, placement: Placement, splits: Sequence[tuple[User, str, Any]]
) -> list[CommissionSplit]:
    """Replace the placement's commission splits: (user, role, share percent) each above 0, the shares adding
    to at most 100 %, one share per user and role, only recruiters and admins."""
    user = require_editor(actor)
    rows: list[CommissionSplit] = []
    seen: set[tuple[int, str]] = set()
    total = Decimal(0)
    for i, (member, role, share) in enumerate(splits):
        _recruiter(member, field=f"splits.{i}.user_id")
        if role not in CommissionSplit.Role.values:
            raise ValidationFailed(f"unknown commission role {role!r}", field=f"splits.{i}.role")
        try:
            value = offer_terms.parse_amount(share, f"splits.{i}.share_percent", required=True, label="share")
        except TermsInvalid as exc:
            raise ValidationFailed(exc.message, field=exc.field) from exc
        assert value is not None
        if not 0 < value <= 100 or value != value.quantize(Decimal("0.0001")):
            raise ValidationFailed(
                "each share is a percent above 0 and at most 100", field=f"splits.{i}.share_percent"
            )
        if (member.pk, role) in seen:
            raise ValidationFailed(f"{member.username} has two {role} shares", field=f"splits.{i}.user_id")
        seen.add((member.pk, role))
        total += value
        rows.append(CommissionSplit(placement=placement, user=member, role=role, share_percent=value))
    if total > 100:
        raise ValidationFailed(f"the shares add up to {total}%, above 100%", field="splits")
    with transaction.atomic():
        _locked_placement(placement)
        for old in CommissionSplit.objects.filter(placement=placement):
            delete_audited(old, actor=user)
        return [create_audited(row, actor=user) for row in rows]
