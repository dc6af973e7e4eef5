"""Placement reports: margin by client and by recruiter, time-to-fill, fill rate, placements by engagement
type and vehicle — pure functions over plain facts (the selectors read the database), plus the geometry
of their inline-SVG charts.

Margin. Revenue is approved hours × the bill rate in force on each day, plus fees due in the period;
pay is hours × the pay rate in force; burden is the employer burden of W-2 pay, computed by
``economics.contract_economics`` one placement-week (and rate card) at a time with the calendar year's
wages already paid on that placement as ``prior_wages`` — so Social Security, FUTA and SUTA stop at their
wage bases exactly as they do on a payroll, and restart on 1 January (a week counts in the year of its
last day, as in economics). 1099 and corp-to-corp hours carry no employer burden. Gross profit = revenue
+ fees − pay − burden; gross margin = gross profit / (revenue + fees). Figures are summed at full
precision and rounded to cents only in `to_dict`/CSV/HTML.

Recruiters. A placement's figures are split by its commission splits (share percent of everything); the
part not covered by splits (all of it when there are none) goes to the placement's recruiter.

Time-to-fill: calendar days from the requisition's creation to the offer's acceptance, per client and
overall: count, median and 90th percentile (linear interpolation between closest ranks).

Fill rate: placements / openings per requisition; overall Σ min(placements, openings) / Σ openings (an
over-filled requisition does not hide an unfilled one).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cadre.core.money import CENT, to_cents
from cadre.placements import economics
from cadre.placements.burden import BurdenRates

REPORTS_VERSION = "reports-2026.11.1"
ZERO = Decimal(0)
HUNDRED = Decimal(100)
UNASSIGNED = "Unassigned"

ENGAGEMENT_LABELS = {
    "contract": "Contract",
    "contract_to_hire": "Contract-to-hire",
    "direct_hire": "Direct hire",
}
VEHICLE_LABELS = {"w2": "W-2", "1099": "1099", "c2c": "Corp-to-corp"}

RatesLookup = Callable[[int, str], BurdenRates | None]


def money(value: Decimal, currency: str = "USD") -> str:
    return str(to_cents(value, currency))


def ratio_number(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def ratio(value: Decimal | None) -> str | None:
    number = ratio_number(value)
    return None if number is None else str(number)


# --------------------------------------------------------------------------------------------- facts in


@dataclass(frozen=True)
class PlacementFacts:
    id: int
    client_id: int
    client: str
    recruiter: str
    vehicle: str
    engagement_type: str
    state: str = ""
    currency: str = "USD"
    splits: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class HoursFacts:
    """One approved day of one placement with the rate card in force that day."""

    placement_id: int
    week_start: dt.date
    work_date: dt.date
    rate_key: int
    regular: Decimal
    overtime: Decimal
    double: Decimal
    pay_regular: Decimal
    pay_overtime: Decimal
    pay_double: Decimal
    bill_regular: Decimal
    bill_overtime: Decimal
    bill_double: Decimal

    @property
    def hours(self) -> Decimal:
        return self.regular + self.overtime + self.double

    @property
    def wages(self) -> Decimal:
        return (
            self.regular * self.pay_regular
            + self.overtime * self.pay_overtime
            + self.double * self.pay_double
        )

    @property
    def revenue(self) -> Decimal:
        return (
            self.regular * self.bill_regular
            + self.overtime * self.bill_overtime
            + self.double * self.bill_double
        )


@dataclass(frozen=True)
class FeeFacts:
    placement_id: int
    amount: Decimal
    due_on: dt.date


# --------------------------------------------------------------------------------------------- margin


@dataclass
class Figures:
    hours: Decimal = ZERO
    revenue: Decimal = ZERO
    pay: Decimal = ZERO
    burden: Decimal = ZERO
    fees: Decimal = ZERO
    placements: set[int] = field(default_factory=set)

    @property
    def income(self) -> Decimal:
        return self.revenue + self.fees

    @property
    def gross_profit(self) -> Decimal:
        return self.income - self.pay - self.burden

    @property
    def gross_margin(self) -> Decimal | None:
        return self.gross_profit / self.income if self.income else None

    def add(self, other: Figures, share: Decimal = Decimal(1)) -> None:
        self.hours += other.hours * share
        self.revenue += other.revenue * share
        self.pay += other.pay * share
        self.burden += other.burden * share
        self.fees += other.fees * share
        self.placements |= other.placements

    def to_numbers(self, currency: str = "USD") -> dict[str, Any]:
        """The figures rounded for presentation but kept as numbers (CSV cells, sums in a spreadsheet)."""
        return {
            "placements": len(self.placements),
            "hours": self.hours.quantize(CENT, rounding=ROUND_HALF_UP),
            "revenue": to_cents(self.revenue, currency),
            "fees": to_cents(self.fees, currency),
            "pay": to_cents(self.pay, currency),
            "burden": to_cents(self.burden, currency),
            "gross_profit": to_cents(self.gross_profit, currency),
            "gross_margin": ratio_number(self.gross_margin),
        }

    def to_dict(self, currency: str = "USD") -> dict[str, Any]:
        """JSON-ready: money and ratios as strings."""
        return {k: str(v) if isinstance(v, Decimal) else v for k, v in self.to_numbers(currency).items()}


@dataclass
class MarginResult:
    by_placement: dict[int, Figures]
    warnings: list[str]


def _week_year(week_start: dt.date) -> int:
    return (week_start + dt.timedelta(days=6)).year


def placement_figures(
    placements: Iterable[PlacementFacts],
    hours: Iterable[HoursFacts],
    fees: Iterable[FeeFacts],
    *,
    start: dt.date,
    end: dt.date,
    rates_for: RatesLookup,
) -> MarginResult:
    """Figures per placement for days (and fee due dates) in [start, end].

    `hours` may (and for correct wage-base caps should) include the placements' approved days since the
    start of the calendar year before `start`: they count toward the year's capped wages but not toward
    the period's figures."""
    facts = {p.id: p for p in placements}
    result: dict[int, Figures] = defaultdict(Figures)
    warnings: list[str] = []
    missing_rates: set[tuple[int, str]] = set()

    # One piece per placement × week × rate card, in calendar order per placement.
    pieces: dict[tuple[int, dt.date, int], list[HoursFacts]] = defaultdict(list)
    for h in hours:
        if h.placement_id in facts:
            pieces[(h.placement_id, h.week_start, h.rate_key)].append(h)
    prior: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)  # (placement, year) → wages paid
    for key in sorted(pieces, key=lambda k: (k[0], k[1], min(d.work_date for d in pieces[k]))):
        placement_id, week_start, _rate = key
        days = pieces[key]
        p = facts[placement_id]
        year = _week_year(week_start)
        wages = sum((d.wages for d in days), ZERO)
        worked = sum((d.hours for d in days), ZERO)
        burden_rate = ZERO
        if p.vehicle == "w2" and wages > 0 and worked > 0:
            rates = rates_for(year, p.state)
            if rates is None:
                if (placement_id, p.state) not in missing_rates:
                    missing_rates.add((placement_id, p.state))
                    where = f"work state {p.state}" if p.state else "no work state"
                    warnings.append(
                        f"placement #{placement_id} ({p.client}): no burden rates for {where} in {year}; "
                        "its employer burden is left out"
                    )
            else:
                revenue = sum((d.revenue for d in days), ZERO)
                week = economics.contract_economics(
                    pay=wages / worked,
                    bill=revenue / worked,
                    hours_per_week=worked,
                    weeks=Decimal(1),
                    rates=rates,
                    vehicle="w2",
                    currency=p.currency,
                    start_date=week_start,
                    prior_wages=prior[(placement_id, year)],
                )
                burden_rate = week.engagement.burden / wages
        prior[(placement_id, year)] += wages
        for d in days:
            if start <= d.work_date <= end:
                figures = result[placement_id]
                figures.hours += d.hours
                figures.revenue += d.revenue
                figures.pay += d.wages
                figures.burden += d.wages * burden_rate
                figures.placements.add(placement_id)
    for fee in fees:
        if fee.placement_id in facts and start <= fee.due_on <= end:
            figures = result[fee.placement_id]
            figures.fees += fee.amount
            figures.placements.add(fee.placement_id)
    return MarginResult(dict(result), warnings)


@dataclass
class MarginRow:
    key: str
    label: str
    currency: str
    figures: Figures

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "currency": self.currency,
            **self.figures.to_dict(self.currency),
        }

    def to_numbers(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "currency": self.currency,
            **self.figures.to_numbers(self.currency),
        }


def _sorted_rows(rows: dict[tuple[str, str], MarginRow]) -> list[MarginRow]:
    return sorted(rows.values(), key=lambda r: (r.currency, -r.figures.gross_profit, r.label))


def margin_by_client(placements: Iterable[PlacementFacts], figures: dict[int, Figures]) -> list[MarginRow]:
    rows: dict[tuple[str, str], MarginRow] = {}
    for p in placements:
        if p.id not in figures:
            continue
        key = (str(p.client_id), p.currency)
        row = rows.setdefault(key, MarginRow(str(p.client_id), p.client, p.currency, Figures()))
        row.figures.add(figures[p.id])
    return _sorted_rows(rows)


def recruiter_shares(p: PlacementFacts) -> list[tuple[str, Decimal]]:
    """(name, fraction) for a placement: its splits (one person's roles summed), the rest to the
    placement's recruiter (or Unassigned)."""
    shares: dict[str, Decimal] = {}
    for name, percent in p.splits:
        shares[name] = shares.get(name, ZERO) + Decimal(percent) / HUNDRED
    covered = sum(shares.values(), ZERO)
    if covered < 1:
        owner = p.recruiter or UNASSIGNED
        shares[owner] = shares.get(owner, ZERO) + (1 - covered)
    return list(shares.items())


def margin_by_recruiter(placements: Iterable[PlacementFacts], figures: dict[int, Figures]) -> list[MarginRow]:
    rows: dict[tuple[str, str], MarginRow] = {}
    for p in placements:
        if p.id not in figures:
            continue
        for name, share in recruiter_shares(p):
            key = (name, p.currency)
            row = rows.setdefault(key, MarginRow(name, name, p.currency, Figures()))
            row.figures.add(figures[p.id], share)
    return _sorted_rows(rows)


def total_of(rows: Sequence[MarginRow]) -> dict[str, Figures]:
    """Totals per currency."""
    totals: dict[str, Figures] = {}
    for row in rows:
        totals.setdefault(row.currency, Figures()).add(row.figures)
    return totals


# ------------------------------------------------------------------------------------------ time to fill


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100) by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class FillFacts:
    """One accepted placement: when its requisition was opened and when the offer was accepted."""

    client: str
    requisition_id: int
    opened_on: dt.date
    accepted_on: dt.date


@dataclass(frozen=True)
class TimeToFillRow:
    label: str
    count: int
    median: float | None
    p90: float | None
    fastest: int | None
    slowest: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "count": self.count,
            "median_days": None if self.median is None else round(self.median, 1),
            "p90_days": None if self.p90 is None else round(self.p90, 1),
            "fastest_days": self.fastest,
            "slowest_days": self.slowest,
        }


def _ttf_row(label: str, days: list[int]) -> TimeToFillRow:
    values = [float(d) for d in days]
    return TimeToFillRow(
        label,
        len(days),
        percentile(values, 50),
        percentile(values, 90),
        min(days) if days else None,
        max(days) if days else None,
    )


def time_to_fill(fills: Iterable[FillFacts]) -> tuple[list[TimeToFillRow], TimeToFillRow]:
    """Per client (slowest median first) and overall. Negative spans (acceptance recorded before the
    requisition was created) are counted as 0 days."""
    by_client: dict[str, list[int]] = defaultdict(list)
    everything: list[int] = []
    for f in fills:
        days = max(0, (f.accepted_on - f.opened_on).days)
        by_client[f.client].append(days)
        everything.append(days)
    rows = [_ttf_row(client, days) for client, days in by_client.items()]
    rows.sort(key=lambda r: (-(r.median or 0), r.label))
    return rows, _ttf_row("All clients", everything)


# ------------------------------------------------------------------------------------------ fill rate


@dataclass(frozen=True)
class OpeningFacts:
    requisition_id: int
    title: str
    client: str
    status: str
    openings: int
    placements: int

    @property
    def filled(self) -> int:
        return min(self.placements, self.openings)

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.placements) / Decimal(self.openings) if self.openings else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "requisition_id": self.requisition_id,
            "title": self.title,
            "client": self.client,
            "status": self.status,
            "openings": self.openings,
            "placements": self.placements,
            "fill_rate": ratio(self.rate),
        }


@dataclass(frozen=True)
class FillRate:
    requisitions: list[OpeningFacts]
    openings: int
    filled: int
    placements: int

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.filled) / Decimal(self.openings) if self.openings else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "openings": self.openings,
            "filled": self.filled,
            "placements": self.placements,
            "fill_rate": ratio(self.rate),
            "requisitions": [r.to_dict() for r in self.requisitions],
        }


def fill_rate(requisitions: Iterable[OpeningFacts]) -> FillRate:
    rows = sorted(requisitions, key=lambda r: (r.rate if r.rate is not None else Decimal(0), r.title))
    return FillRate(
        requisitions=rows,
        openings=sum(r.openings for r in rows),
        filled=sum(r.filled for r in rows),
        placements=sum(r.placements for r in rows),
    )


# ---------------------------------------------------------------------------- engagement type × vehicle


@dataclass(frozen=True)
class MixRow:
    engagement_type: str
    label: str
    total: int
    by_vehicle: tuple[tuple[str, str, int], ...]  # (vehicle, label, count)

    def to_dict(self) -> dict[str, Any]:
        return {
            "engagement_type": self.engagement_type,
            "label": self.label,
            "total": self.total,
            "by_vehicle": {v: n for v, _label, n in self.by_vehicle},
        }


def placement_mix(pairs: Iterable[tuple[str, str]]) -> list[MixRow]:
    """Counts of (engagement type, vehicle). Direct hires are on the client's payroll: their vehicle is
    reported as "client"."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for engagement_type, vehicle in pairs:
        counts[engagement_type]["client" if engagement_type == "direct_hire" else vehicle] += 1
    rows = []
    for engagement_type in [*ENGAGEMENT_LABELS, *sorted(set(counts) - set(ENGAGEMENT_LABELS))]:
        if engagement_type not in counts:
            continue
        vehicles = counts[engagement_type]
        ordered = [v for v in (*VEHICLE_LABELS, "client") if v in vehicles] + sorted(
            set(vehicles) - {*VEHICLE_LABELS, "client"}
        )
        rows.append(
            MixRow(
                engagement_type,
                ENGAGEMENT_LABELS.get(engagement_type, engagement_type),
                sum(vehicles.values()),
                tuple(
                    (v, VEHICLE_LABELS.get(v, "Client payroll" if v == "client" else v), vehicles[v])
                    for v in ordered
                ),
            )
        )
    return rows


# --------------------------------------------------------------------------------------------- charts

_LABEL_PX = 6.6  # about 6.6 px a character at 12 px


def bar_chart(bars: Sequence[tuple[str, Decimal | float, str]], *, width: int = 360) -> dict[str, Any] | None:
    """Horizontal bars (label, value, text) on one scale; negative values extend left of the zero line in
    the "negative" style. Returns SVG geometry (templates only draw) or None when there is nothing."""
    if not bars:
        return None
    label_w = max(100, min(260, round(max(len(b[0]) for b in bars) * _LABEL_PX)))
    values = [float(b[1]) for b in bars]
    pos_max = max(0.0, max(values))
    neg_max = max(0.0, -min(values))
    scale = width / ((pos_max + neg_max) or 1.0)
    zero_x = round(label_w + 10 + neg_max * scale, 1)
    row_h, bar_h, pad_top = 24, 15, 6
    out = []
    for i, (label, value, text) in enumerate(bars):
        v = float(value)
        w = round(abs(v) * scale, 1)
        x = zero_x if v >= 0 else round(zero_x - w, 1)
        y = pad_top + i * row_h
        out.append(
            {
                "label": label,
                "x": x,
                "y": y,
                "w": w,
                "text": text,
                "text_x": round(x + w + 6, 1) if v >= 0 else round(zero_x + 6, 1),
                "text_y": y + bar_h - 3,
                "kind": "negative" if v < 0 else "positive",
            }
        )
    height = pad_top + len(bars) * row_h + 4
    return {
        "width": label_w + 10 + width + 110,
        "height": height,
        "label_x": label_w,
        "zero_x": zero_x,
        "bar_h": bar_h,
        "bars": out,
    }


def range_chart(rows: Sequence[TimeToFillRow], *, width: int = 340) -> dict[str, Any] | None:
    """Time-to-fill: a bar to the median and a tick at the 90th percentile, per row."""
    rows = [r for r in rows if r.median is not None]
    if not rows:
        return None
    label_w = max(100, min(260, round(max(len(r.label) for r in rows) * _LABEL_PX)))
    top = max(max(r.p90 or 0 for r in rows), max(r.median or 0 for r in rows), 1.0)
    x0 = label_w + 10
    scale = width / top
    row_h, bar_h, pad_top = 24, 15, 6
    bars = []
    for i, r in enumerate(rows):
        y = pad_top + i * row_h
        median_w = round((r.median or 0) * scale, 1)
        p90_x = round(x0 + (r.p90 or 0) * scale, 1)
        bars.append(
            {
                "label": r.label,
                "y": y,
                "w": median_w,
                "p90_x": p90_x,
                "text_x": round(max(x0 + median_w, p90_x) + 6, 1),
                "text_y": y + bar_h - 3,
                "text": f"median {r.median:.0f} d · p90 {r.p90:.0f} d · n={r.count}",
            }
        )
    return {
        "width": x0 + width + 190,
        "height": pad_top + len(rows) * row_h + 4,
        "label_x": label_w,
        "x0": x0,
        "bar_h": bar_h,
        "bars": bars,
    }


def stacked_chart(rows: Sequence[MixRow], *, width: int = 340) -> dict[str, Any] | None:
    """Placements by engagement type, one bar per type split into vehicle segments."""
    if not rows:
        return None
    label_w = 130
    x0 = label_w + 10
    top = max(r.total for r in rows) or 1
    scale = width / top
    row_h, bar_h, pad_top = 26, 16, 6
    bars = []
    for i, r in enumerate(rows):
        y = pad_top + i * row_h
        x = float(x0)
        segments = []
        for vehicle, label, n in r.by_vehicle:
            w = round(n * scale, 1)
            segments.append({"vehicle": vehicle, "label": label, "n": n, "x": round(x, 1), "w": w})
            x += w
        bars.append(
            {
                "label": r.label,
                "y": y,
                "segments": segments,
                "text_x": round(x + 6, 1),
                "text_y": y + bar_h - 3,
                "total": r.total,
            }
        )
    return {
        "width": x0 + width + 60,
        "height": pad_top + len(rows) * row_h + 4,
        "label_x": label_w,
        "bar_h": bar_h,
        "bars": bars,
    }
