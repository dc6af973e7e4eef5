"""Placement fees: contingency, retained search, contract-to-hire conversion, commission splits. Pure.

Conventions (research note compliance.md §4):

- contingency: a percent (commonly 20–25 %) of first-year base salary, due on placement, with a guarantee
  (replacement) period;
- retained: about a third of first-year total cash, invoiced in thirds — at engagement, at shortlist
  (about 30 days in) and at offer acceptance; retainers are non-refundable;
- conversion (contract-to-hire): a percent of the annual salary, either pro-rated by months worked
  (25 % after 2 of 12 months → 25 × 10/12 = 20.83 %), or less a credit for contract fees already paid
  (20 % of 100,000 less 10 % of 15,000 = 18,500), or free after N hours;
- commission splits: percent shares of an amount, the cents distributed so the parts add up exactly.

Percents are in percent units (25 = 25 %). Fee amounts are invoiceable, so ``FeeQuote.amount`` and the
installments are rounded half-up to cents here (the exact figure is kept in ``inputs["exact_amount"]``);
the effective percent is exact and rounded to four places only in ``to_dict``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from cadre.core.money import CENT, CURRENCIES, to_cents, to_decimal
from cadre.placements.burden import InputError

FEES_VERSION = "fees-2026.11.1"

KINDS = ("contingency", "retained", "conversion")
CONVERSION_METHODS = ("prorate", "credit", "free_after_hours")
PERCENT_PLACES = Decimal("0.0001")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
SHORTLIST_AFTER_DAYS = 30


def cents(value: Decimal) -> Decimal:
    """core.money.to_cents in cents (installments and splits below are worked in cents)."""
    return to_cents(value)


def _num(value: object, name: str, field: str | None = None) -> Decimal:
    try:
        number = to_decimal(value)
    except ValueError as exc:
        raise InputError(f"{name} is not a number: {value!r}", field) from exc
    if not number.is_finite():
        raise InputError(f"{name} is not a number: {value!r}", field)
    return number


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _check_currency(currency: str) -> str:
    code = (currency or "").strip().upper()
    if code not in CURRENCIES:
        raise InputError(f"unsupported currency {currency!r}: use one of {', '.join(CURRENCIES)}", "currency")
    return code


def _check_percent(value: object, name: str = "percent", field: str = "percent") -> Decimal:
    pct = _num(value, name, field)
    if pct < 0 or pct > 100:
        raise InputError(f"{name} must be between 0 and 100 (got {pct})", field)
    return pct


def _check_positive(value: object, name: str, field: str) -> Decimal:
    amount = _num(value, name, field)
    if amount <= 0:
        raise InputError(f"{name} must be greater than zero (got {amount})", field)
    return amount


@dataclass(frozen=True)
class Installment:
    label: str
    amount: Decimal
    due_on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "amount": str(cents(self.amount)),
            "due_on": self.due_on.isoformat() if self.due_on else None,
        }


@dataclass(frozen=True)
class FeeQuote:
    kind: str
    currency: str
    basis: Decimal  # what the percent applies to (base salary, first-year cash, annual salary)
    percent: Decimal  # effective percent after pro-rating or credits (percent units)
    amount: Decimal  # rounded to cents: an invoiceable amount
    installments: tuple[Installment, ...]
    formula: str
    inputs: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    guarantee_days: int | None = None
    guarantee_ends_on: date | None = None
    version: str = FEES_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "currency": self.currency,
            "basis": str(cents(self.basis)),
            "percent": str(self.percent.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)),
            "amount": str(cents(self.amount)),
            "installments": [i.to_dict() for i in self.installments],
            "formula": self.formula,
            "inputs": dict(self.inputs),
            "notes": list(self.notes),
            "guarantee_days": self.guarantee_days,
            "guarantee_ends_on": self.guarantee_ends_on.isoformat() if self.guarantee_ends_on else None,
            "version": self.version,
        }


def contingency_fee(
    *,
    base_salary: Decimal,
    percent: Decimal,
    guarantee_days: int = 90,
    currency: str = "USD",
    placed_on: date | None = None,
) -> FeeQuote:
    """percent × first-year base salary, due on placement; replacement guarantee of ``guarantee_days``."""
    base = _check_positive(base_salary, "base salary", "base_salary")
    pct = _check_percent(percent)
    if guarantee_days < 0 or guarantee_days > 730:
        raise InputError(f"guarantee days must be between 0 and 730 (got {guarantee_days})", "guarantee_days")
    cur = _check_currency(currency)
    exact = base * pct / HUNDRED
    amount = cents(exact)
    ends = placed_on + timedelta(days=guarantee_days) if placed_on else None
    notes = [
        f"Guarantee: {guarantee_days} days"
        + (f" (to {ends.isoformat()})" if ends else " from the start date")
        + "; a replacement or refund is owed if the hire leaves within it."
    ]
    if pct and not Decimal(15) <= pct <= Decimal(30):
        notes.append(f"{_fmt(pct)}% is outside the usual 15–30% contingency range.")
    return FeeQuote(
        kind="contingency",
        currency=cur,
        basis=base,
        percent=pct,
        amount=amount,
        installments=(Installment("Placement fee (due on placement)", amount, placed_on),),
        formula=f"base salary × percent = {_fmt(base)} × {_fmt(pct)}% = {amount}",
        inputs={
            "base_salary": _fmt(base),
            "percent": _fmt(pct),
            "guarantee_days": guarantee_days,
            "placed_on": placed_on.isoformat() if placed_on else None,
            "exact_amount": _fmt(exact),
        },
        notes=tuple(notes),
        guarantee_days=guarantee_days,
        guarantee_ends_on=ends,
    )


def _thirds(total: Decimal) -> list[Decimal]:
    """Split a cents amount into three parts that add up to it exactly (leftover cents go first)."""
    cents_total = int((total / CENT).to_integral_value())
    base, rest = divmod(cents_total, 3)
    return [Decimal(base + (1 if i < rest else 0)) * CENT for i in range(3)]


def retained_fee(
    *,
    first_year_cash: Decimal,
    percent: Decimal = Decimal("33.3333"),
    currency: str = "USD",
    engaged_on: date | None = None,
    shortlist_on: date | None = None,
    accepted_on: date | None = None,
) -> FeeQuote:
    """percent × first-year total cash, invoiced in thirds: engagement, shortlist, acceptance.

    The three installments add up to the rounded total to the cent (any leftover cent goes to the
    earliest installment). Without ``shortlist_on`` the shortlist installment falls due 30 days after
    engagement; the acceptance installment is due on ``accepted_on`` (unknown until the offer is accepted).
    """
    cash = _check_positive(first_year_cash, "first-year cash", "first_year_cash")
    pct = _check_percent(percent)
    cur = _check_currency(currency)
    if shortlist_on and engaged_on and shortlist_on < engaged_on:
        raise InputError("the shortlist date cannot be before the engagement date", "shortlist_on")
    if accepted_on and engaged_on and accepted_on < engaged_on:
        raise InputError("the acceptance date cannot be before the engagement date", "accepted_on")
    exact = cash * pct / HUNDRED
    total = cents(exact)
    parts = _thirds(total)
    notes: list[str] = ["Retainers are non-refundable; the guarantee is a replacement search."]
    shortlist_due = shortlist_on
    if shortlist_due is None and engaged_on is not None:
        shortlist_due = engaged_on + timedelta(days=SHORTLIST_AFTER_DAYS)
        notes.append(f"Shortlist installment assumed due {SHORTLIST_AFTER_DAYS} days after engagement.")
    installments = (
        Installment("Retainer 1 of 3: engagement", parts[0], engaged_on),
        Installment("Retainer 2 of 3: shortlist", parts[1], shortlist_due),
        Installment("Retainer 3 of 3: offer acceptance", parts[2], accepted_on),
    )
    return FeeQuote(
        kind="retained",
        currency=cur,
        basis=cash,
        percent=pct,
        amount=total,
        installments=installments,
        formula=(
            f"first-year cash × percent = {_fmt(cash)} × {_fmt(pct)}% = {total}, in thirds "
            f"{parts[0]} + {parts[1]} + {parts[2]}"
        ),
        inputs={
            "first_year_cash": _fmt(cash),
            "percent": _fmt(pct),
            "engaged_on": engaged_on.isoformat() if engaged_on else None,
            "shortlist_on": shortlist_on.isoformat() if shortlist_on else None,
            "accepted_on": accepted_on.isoformat() if accepted_on else None,
            "exact_amount": _fmt(exact),
        },
        notes=tuple(notes),
    )


def conversion_fee(
    *,
    salary: Decimal,
    percent: Decimal,
    method: str,
    months_worked: Decimal | None = None,
    schedule_months: int = 12,
    hours_worked: Decimal | None = None,
    free_after_hours: Decimal | None = None,
    fees_paid: Decimal | None = None,
    credit_rate: Decimal | None = None,
    currency: str = "USD",
) -> FeeQuote:
    """Contract-to-hire conversion fee on the annual ``salary``.

    - prorate: percent × (schedule_months − months_worked) / schedule_months, floored at 0;
    - credit: salary × percent − credit_rate % × fees_paid (all of fees_paid when credit_rate is None),
      floored at 0 — ``credit_rate`` is in percent units like ``percent`` (10 = 10 %);
    - free_after_hours: nothing once hours_worked ≥ free_after_hours, else the full fee.
    """
    base = _check_positive(salary, "salary", "salary")
    pct = _check_percent(percent)
    cur = _check_currency(currency)
    method = (method or "").strip().lower()
    full = base * pct / HUNDRED
    notes: list[str] = []
    inputs: dict[str, Any] = {"salary": _fmt(base), "percent": _fmt(pct), "method": method}
    if method == "prorate":
        if months_worked is None:
            raise InputError("months worked is required for the prorate method", "months_worked")
        months = _num(months_worked, "months worked", "months_worked")
        if months < 0:
            raise InputError(f"months worked must not be negative (got {months})", "months_worked")
        if not isinstance(schedule_months, int) or schedule_months <= 0:
            raise InputError(
                f"schedule months must be a whole number above zero (got {schedule_months})",
                "schedule_months",
            )
        remaining = max(ZERO, Decimal(schedule_months) - months)
        effective = pct * remaining / schedule_months
        exact = base * effective / HUNDRED
        if remaining == 0:
            notes.append(f"After {schedule_months} months the conversion is free.")
        formula = (
            f"percent × (schedule − months worked) / schedule = {_fmt(pct)}% × ({schedule_months} − "
            f"{_fmt(months)}) / {schedule_months} = {_fmt(effective.quantize(PERCENT_PLACES))}%; "
            f"× salary {_fmt(base)} = {cents(exact)}"
        )
        inputs.update(months_worked=_fmt(months), schedule_months=schedule_months)
    elif method == "credit":
        if fees_paid is None:
            raise InputError("fees paid is required for the credit method", "fees_paid")
        paid = _num(fees_paid, "fees paid", "fees_paid")
        if paid < 0:
            raise InputError(f"fees paid must not be negative (got {paid})", "fees_paid")
        rate = HUNDRED if credit_rate is None else _check_percent(credit_rate, "credit rate", "credit_rate")
        credit = paid * rate / HUNDRED
        exact = max(ZERO, full - credit)
        effective = exact / base * HUNDRED
        if full - credit < 0:
            notes.append("The credit exceeds the fee: the conversion is free.")
        formula = (
            f"salary × percent − credit = {_fmt(base)} × {_fmt(pct)}% − {_fmt(rate)}% × {_fmt(paid)} = "
            f"{cents(full)} − {cents(credit)} = {cents(exact)}"
        )
        inputs.update(fees_paid=_fmt(paid), credit_rate=_fmt(rate))
    elif method == "free_after_hours":
        if free_after_hours is None:
            raise InputError(
                "free-after hours is required for the free_after_hours method", "free_after_hours"
            )
        if hours_worked is None:
            raise InputError("hours worked is required for the free_after_hours method", "hours_worked")
        worked = _num(hours_worked, "hours worked", "hours_worked")
        threshold = _num(free_after_hours, "free-after hours", "free_after_hours")
        if worked < 0:
            raise InputError(f"hours worked must not be negative (got {worked})", "hours_worked")
        if threshold <= 0:
            raise InputError(
                f"free-after hours must be greater than zero (got {threshold})", "free_after_hours"
            )
        free = worked >= threshold
        exact = ZERO if free else full
        effective = ZERO if free else pct
        formula = (
            f"hours worked {_fmt(worked)} ≥ {_fmt(threshold)}: free"
            if free
            else f"hours worked {_fmt(worked)} < {_fmt(threshold)}: full fee {_fmt(base)} × {_fmt(pct)}% = "
            f"{cents(full)}"
        )
        if not free:
            notes.append(f"Free after {_fmt(threshold - worked)} more hours.")
        inputs.update(hours_worked=_fmt(worked), free_after_hours=_fmt(threshold))
    else:
        raise InputError(
            f"unknown conversion method {method!r}: use one of {', '.join(CONVERSION_METHODS)}", "method"
        )
    amount = cents(exact)
    inputs["exact_amount"] = _fmt(exact)
    return FeeQuote(
        kind="conversion",
        currency=cur,
        basis=base,
        percent=effective,
        amount=amount,
        installments=(Installment("Conversion fee (due on conversion)", amount, None),) if amount else (),
        formula=formula,
        inputs=inputs,
        notes=tuple(notes),
    )


def split_commission(amount: Decimal, shares: Sequence[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """Split ``amount`` by percent shares (summing to at most 100) into cents that add up exactly.

    Each part is first rounded down to the cent; the cents left over go one each to the parts with the
    largest remainders (ties: the order given). The parts add up to amount × (sum of shares) / 100
    rounded to the cent — to ``amount`` itself when the shares sum to 100.
    """
    total = _num(amount, "amount", "amount")
    if total < 0:
        raise InputError(f"amount must not be negative (got {total})", "amount")
    if not shares:
        raise InputError("give at least one share", "shares")
    names = [name for name, _ in shares]
    if len(set(names)) != len(names):
        raise InputError("each person may appear only once in a split", "shares")
    pcts = [_num(p, f"share of {name}", "shares") for name, p in shares]
    for (name, _), p in zip(shares, pcts, strict=True):
        if p <= 0 or p > 100:
            raise InputError(
                f"the share of {name} must be greater than 0 and at most 100 (got {p})", "shares"
            )
    share_sum = sum(pcts, ZERO)
    if share_sum > 100:
        raise InputError(f"shares add up to {_fmt(share_sum)}%, more than 100%", "shares")
    target = int((cents(total * share_sum / HUNDRED) / CENT).to_integral_value())
    exact_cents = [total * p / HUNDRED / CENT for p in pcts]
    floors = [int(c.to_integral_value(rounding=ROUND_DOWN)) for c in exact_cents]
    leftover = target - sum(floors)
    order = sorted(range(len(pcts)), key=lambda i: (-(exact_cents[i] - floors[i]), i))
    for i in order[:leftover]:
        floors[i] += 1
    return [(name, Decimal(c) * CENT) for name, c in zip(names, floors, strict=True)]
