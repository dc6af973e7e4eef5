"""Invoice arithmetic: lines from approved timesheet entries × the bill rate in force on each work day,
plus fees due; totals.

Rules:
* the rate card in force on a day is the latest card effective on or before it (a day before the first
  card is an error naming the day: nothing is invoiced at a guessed rate);
* hours of one timesheet are grouped by the card in force, so a rate change mid-week splits the week
  into separate lines at each rate; regular, overtime and double-time hours are separate lines;
* each line's amount is quantity × unit price rounded to the cent (ROUND_HALF_UP) once, on the line;
  the subtotal is the sum of the rounded lines (what the client can re-add from the printed invoice);
* fees are one line each at their stored (already rounded) amount;
* every rate card and fee must be in the invoice's currency.

Pure (no Django): callers pass plain values (`EntryIn`, `RateIn`, `FeeIn`).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cadre.core import money

INVOICING_VERSION = "invoicing-2026.11.1"
REGULAR, OVERTIME, DOUBLE, FEE = "regular", "overtime", "double", "fee"
KIND_LABELS = {REGULAR: "Regular hours", OVERTIME: "Overtime hours", DOUBLE: "Double-time hours", FEE: "Fee"}
DEFAULT_TERMS_DAYS = 30


class InvoicingError(ValueError):
    pass


def to_cents(value: Decimal, currency: str = "USD") -> Decimal:
    """core.money.to_cents: half-up to the currency's minor unit (whole yen for JPY)."""
    return money.to_cents(value, currency)


@dataclass(frozen=True)
class RateIn:
    id: int | None
    effective_from: dt.date
    bill_regular: Decimal
    bill_overtime: Decimal
    bill_double: Decimal
    currency: str = "USD"

    def bill(self, kind: str) -> Decimal:
        return {REGULAR: self.bill_regular, OVERTIME: self.bill_overtime, DOUBLE: self.bill_double}[kind]


@dataclass(frozen=True)
class EntryIn:
    timesheet_id: int | None
    placement_id: int | None
    work_date: dt.date
    regular_hours: Decimal
    overtime_hours: Decimal
    double_hours: Decimal

    def hours(self, kind: str) -> Decimal:
        return {REGULAR: self.regular_hours, OVERTIME: self.overtime_hours, DOUBLE: self.double_hours}[kind]


@dataclass(frozen=True)
class FeeIn:
    id: int | None
    placement_id: int | None
    label: str
    amount: Decimal
    due_on: dt.date | None
    currency: str = "USD"


@dataclass(frozen=True)
class LineOut:
    kind: str
    placement_id: int | None
    timesheet_id: int | None
    rate_card_id: int | None
    fee_id: int | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    first_day: dt.date | None = None
    last_day: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "placement_id": self.placement_id,
            "timesheet_id": self.timesheet_id,
            "rate_card_id": self.rate_card_id,
            "fee_id": self.fee_id,
            "description": self.description,
            "quantity": str(self.quantity),
            "unit_price": str(self.unit_price),
            "amount": str(self.amount),
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
        }


@dataclass
class InvoiceDraft:
    currency: str
    lines: list[LineOut] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.subtotal  # no sales tax on staffing services is modelled

    @property
    def hours(self) -> Decimal:
        return sum((line.quantity for line in self.lines if line.kind != FEE), Decimal(0))


class RateSchedule:
    """Effective-dated rate cards of one placement: `on(day)` is the card in force that day."""

    def __init__(self, cards: Iterable[RateIn]) -> None:
        self.cards = sorted(cards, key=lambda c: c.effective_from)
        self._starts = [c.effective_from for c in self.cards]

    def on(self, day: dt.date) -> RateIn | None:
        index = bisect_right(self._starts, day) - 1
        return self.cards[index] if index >= 0 else None


def _day(day: dt.date) -> str:
    return f"{day:%a %b} {day.day}"


def _span(first: dt.date, last: dt.date) -> str:
    return _day(first) if first == last else f"{_day(first)}–{_day(last)}"


def hour_lines(
    entries: Sequence[EntryIn],
    cards: Iterable[RateIn],
    *,
    currency: str = "USD",
    label: str = "",
    week_of: dt.date | None = None,
) -> list[LineOut]:
    """Lines for one timesheet's entries (all of one placement): grouped by rate card in force, then
    by kind (regular, overtime, double), skipping kinds with no hours."""
    schedule = RateSchedule(cards)
    groups: dict[int, tuple[RateIn, list[EntryIn]]] = {}
    order: list[int] = []
    for entry in sorted(entries, key=lambda e: e.work_date):
        card = schedule.on(entry.work_date)
        if card is None:
            raise InvoicingError(
                f"no rate card in force on {entry.work_date.isoformat()}"
                + (f" for {label}" if label else "")
                + " (add one effective on or before that day)"
            )
        if card.currency != currency:
            raise InvoicingError(
                f"the rate card from {card.effective_from.isoformat()} is in {card.currency}, the invoice in "
                f"{currency}"
            )
        key = id(card)
        if key not in groups:
            groups[key] = (card, [])
            order.append(key)
        groups[key][1].append(entry)
    split = len(order) > 1
    lines: list[LineOut] = []
    for key in order:
        card, days = groups[key]
        first, last = days[0].work_date, days[-1].work_date
        for kind in (REGULAR, OVERTIME, DOUBLE):
            quantity = sum((e.hours(kind) for e in days), Decimal(0))
            if quantity <= 0:
                continue
            unit = card.bill(kind)
            parts = [p for p in (label, f"week of {week_of.isoformat()}" if week_of else "") if p]
            parts.append(KIND_LABELS[kind].lower())
            if split:
                parts.append(f"{_span(first, last)} (rate from {card.effective_from.isoformat()})")
            lines.append(
                LineOut(
                    kind=kind,
                    placement_id=days[0].placement_id,
                    timesheet_id=days[0].timesheet_id,
                    rate_card_id=card.id,
                    fee_id=None,
                    description=" · ".join(parts)[:300],
                    quantity=quantity,
                    unit_price=unit,
                    amount=to_cents(quantity * unit, card.currency),
                    first_day=first,
                    last_day=last,
                )
            )
    return lines


def fee_line(fee: FeeIn, *, currency: str = "USD", label: str = "") -> LineOut:
    if fee.currency != currency:
        raise InvoicingError(f"fee {fee.label!r} is in {fee.currency}, the invoice in {currency}")
    if fee.amount < 0:
        raise InvoicingError(f"fee {fee.label!r} has a negative amount")
    description = " · ".join(p for p in (label, fee.label) if p)
    return LineOut(
        kind=FEE,
        placement_id=fee.placement_id,
        timesheet_id=None,
        rate_card_id=None,
        fee_id=fee.id,
        description=description[:300],
        quantity=Decimal(1),
        unit_price=fee.amount,
        amount=to_cents(fee.amount, currency),
        first_day=fee.due_on,
        last_day=fee.due_on,
    )


def fee_due(fee: FeeIn, period_start: dt.date, period_end: dt.date) -> bool:
    return fee.due_on is not None and period_start <= fee.due_on <= period_end


def week_in_period(week_start: dt.date, period_start: dt.date, period_end: dt.date) -> bool:
    """A week belongs to the period its Sunday (week ending) falls in: each week in exactly one period
    of a run of consecutive periods."""
    week_end = week_start + dt.timedelta(days=6)
    return period_start <= week_end <= period_end


def check_period(period_start: dt.date, period_end: dt.date) -> None:
    if period_end < period_start:
        raise InvoicingError(
            f"the period ends ({period_end.isoformat()}) before it starts ({period_start.isoformat()})"
        )
    if (period_end - period_start).days > 366:
        raise InvoicingError("an invoice period is at most a year")


def format_number(year: int, sequence: int) -> str:
    """INV-YYYY-NNNNN (five digits, more when a year passes 99,999 invoices)."""
    if sequence < 1:
        raise InvoicingError("invoice sequence numbers start at 1")
    return f"INV-{year:04d}-{sequence:05d}"


def parse_number(number: str) -> tuple[int, int] | None:
    parts = number.split("-")
    if len(parts) != 3 or parts[0] != "INV" or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return int(parts[1]), int(parts[2])
