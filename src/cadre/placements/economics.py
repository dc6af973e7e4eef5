"""Contract staffing economics: markup, spread, employer burden, gross profit and margin. Pure: no Django.

Definitions (research note compliance.md §4):

- markup = (bill − pay) / pay; spread = (bill − pay) / bill (so spread = markup / (1 + markup));
- burden = employer Social Security (to the year's wage base) + Medicare (uncapped) + FUTA (on the first
  7,000 of wages, 6.0 % less the state credit, plus any credit reduction) + SUTA (the state's rate to its
  wage base) + workers' compensation (per 100 of payroll) + benefits (percent of pay);
- gross profit = bill − pay − burden; gross margin = gross profit / bill.

**Wage-base caps are applied per calendar year.** The engagement's weeks are laid out on the calendar from
``start_date`` (default: 1 January of the rates' year); each week's wages count in the calendar year of the
week's last day (its pay date, to the day); the caps reset on 1 January; ``prior_wages`` (wages this
employer already paid the worker this calendar year) use up the first year's caps. A year with no shipped
tables reuses the given year's figures, with a note saying so.

**Rounding.** Every figure is computed in Decimal at full precision (28 significant digits) and is rounded
only when presented: ``to_dict`` rounds money to cents (ROUND_HALF_UP) and ratios to six decimal places.
A rounded total may therefore differ by a cent from the sum of its rounded parts; the unrounded figures
are the ones that add up.

Periods: "engagement" is the real layout; "week" is the engagement's average week; "year" is a full year
of 52 weeks at the same hours starting on 1 January of the rates' year with no prior wages (caps applied
once); "per hour" figures are engagement totals divided by hours worked (a blend when overtime is worked).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from cadre.core.money import CURRENCIES, to_cents, to_decimal
from cadre.placements.burden import BurdenRates, InputError

ECONOMICS_VERSION = "economics-2026.11.1"

VEHICLES = ("w2", "1099", "c2c")
WEEKS_PER_YEAR = Decimal(52)
MAX_WEEKS = 520
OVERTIME_MULTIPLIER = Decimal("1.5")
RATIO_PLACES = Decimal("0.000001")
PERCENT_PLACES = Decimal("0.01")
ZERO = Decimal(0)

COMPONENTS = (
    ("social_security", "Social Security (employer)"),
    ("medicare", "Medicare (employer)"),
    ("futa", "FUTA"),
    ("suta", "SUTA (state unemployment)"),
    ("workers_comp", "Workers' compensation"),
    ("benefits", "Benefits"),
)


# ----------------------------------------------------------------------------------- the margin rule
# The one place that says when rates lose money. Offer terms, rate cards, the placement list and the API
# call these (by code, never by matching the text).
NEGATIVE_MARGIN = "negative_margin"
ZERO_MARGIN = "zero_margin"


@dataclass(frozen=True)
class RateWarning:
    code: str  # NEGATIVE_MARGIN or ZERO_MARGIN
    text: str

    def __str__(self) -> str:
        return self.text


def markup_of(pay: Decimal | None, bill: Decimal | None) -> Decimal | None:
    """(bill − pay) / pay; None when either rate is missing or pay is zero."""
    if pay is None or bill is None or not pay:
        return None
    return (bill - pay) / pay


def rate_warnings(pay: Decimal | None, bill: Decimal | None) -> list[RateWarning]:
    """Bill below pay is allowed (a loss leader, a rate agreed before a pay rise) but always flagged;
    bill equal to pay is flagged as zero margin. Burden is not known here: contract_economics adds the
    "burden exceeds the spread" case once the state's rates are applied."""
    if pay is None or bill is None:
        return []
    if bill < pay:
        text = f"negative margin: the bill rate {bill:.2f} is below the pay rate {pay:.2f}"
        return [RateWarning(NEGATIVE_MARGIN, text)]
    if bill == pay:
        return [RateWarning(ZERO_MARGIN, f"zero margin: the bill rate equals the pay rate ({pay:.2f})")]
    return []


def is_negative_margin(pay: Decimal | None, bill: Decimal | None) -> bool:
    return any(w.code == NEGATIVE_MARGIN for w in rate_warnings(pay, bill))


def money(value: Decimal) -> str:
    """A money amount rounded to cents (presentation only)."""
    return str(to_cents(value))


def ratio(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP))


def percent(value: Decimal | None) -> str | None:
    return None if value is None else str((value * 100).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP))


def _num(value: object, name: str, field: str | None = None) -> Decimal:
    try:
        number = to_decimal(value)
    except ValueError as exc:
        raise InputError(f"{name} is not a number: {value!r}", field) from exc
    if not number.is_finite():
        raise InputError(f"{name} is not a number: {value!r}", field)
    return number


def _fmt(value: Decimal) -> str:
    """A compact exact rendering for formulas: 60, 0.062, 184500."""
    text = f"{value.normalize():f}"
    return text


# ---------------------------------------------------------------------------------------------------------
# Simple margin (one burden percentage)


@dataclass(frozen=True)
class Margin:
    pay: Decimal
    bill: Decimal
    burden_rate: Decimal
    burden: Decimal
    cost: Decimal
    markup: Decimal | None
    spread: Decimal | None
    gross_profit: Decimal
    gross_margin: Decimal | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "pay": money(self.pay),
            "bill": money(self.bill),
            "burden_rate": ratio(self.burden_rate),
            "burden": money(self.burden),
            "cost": money(self.cost),
            "markup": ratio(self.markup),
            "spread": ratio(self.spread),
            "gross_profit": money(self.gross_profit),
            "gross_margin": ratio(self.gross_margin),
            "version": ECONOMICS_VERSION,
        }


def simple_margin(pay: Decimal, bill: Decimal, burden_rate: Decimal) -> Margin:
    """Margin on one hour with a flat burden rate (a fraction: 0.20 = 20 % of pay).

    pay 20, bill 30, burden 0.20 → markup 0.5, spread 1/3, burden 4, cost 24, gross profit 6, margin 0.2.
    """
    pay, bill = _num(pay, "pay rate", "pay"), _num(bill, "bill rate", "bill")
    burden_rate = _num(burden_rate, "burden rate", "burden_rate")
    _check_rates(pay, bill)
    if burden_rate < 0:
        raise InputError(f"burden rate must not be negative (got {burden_rate})", "burden_rate")
    burden = pay * burden_rate
    gross_profit = bill - pay - burden
    return Margin(
        pay=pay,
        bill=bill,
        burden_rate=burden_rate,
        burden=burden,
        cost=pay + burden,
        markup=(bill - pay) / pay,
        spread=(bill - pay) / bill if bill else None,
        gross_profit=gross_profit,
        gross_margin=gross_profit / bill if bill else None,
    )


def _check_rates(pay: Decimal, bill: Decimal) -> None:
    if pay < 0:
        raise InputError(f"pay rate must not be negative (got {pay})", "pay")
    if pay == 0:
        raise InputError("pay rate must be greater than zero", "pay")
    if bill < 0:
        raise InputError(f"bill rate must not be negative (got {bill})", "bill")


# ---------------------------------------------------------------------------------------------------------
# Contract economics


@dataclass(frozen=True)
class YearSlice:
    """One component's share in one calendar year."""

    year: int
    wages: Decimal
    prior_wages: Decimal
    rate: Decimal
    wage_base: Decimal | None
    taxable_wages: Decimal
    amount: Decimal


@dataclass(frozen=True)
class BurdenLine:
    component: str
    label: str
    rate: Decimal  # the first year's rate (see by_year when it changes)
    wage_base: Decimal | None
    taxable_wages: Decimal
    amount: Decimal
    formula: str
    by_year: tuple[YearSlice, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "label": self.label,
            "rate": str(self.rate),
            "wage_base": None if self.wage_base is None else money(self.wage_base),
            "taxable_wages": money(self.taxable_wages),
            "amount": money(self.amount),
            "formula": self.formula,
            "by_year": [
                {
                    "year": s.year,
                    "wages": money(s.wages),
                    "prior_wages": money(s.prior_wages),
                    "rate": str(s.rate),
                    "wage_base": None if s.wage_base is None else money(s.wage_base),
                    "taxable_wages": money(s.taxable_wages),
                    "amount": money(s.amount),
                }
                for s in self.by_year
            ],
        }


@dataclass(frozen=True)
class Totals:
    """Money over one period (a week, a year, the engagement)."""

    period: str
    basis: str
    weeks: Decimal
    hours: Decimal
    revenue: Decimal
    pay: Decimal
    burden: Decimal

    @property
    def cost(self) -> Decimal:
        return self.pay + self.burden

    @property
    def gross_profit(self) -> Decimal:
        return self.revenue - self.pay - self.burden

    @property
    def gross_margin(self) -> Decimal | None:
        return self.gross_profit / self.revenue if self.revenue else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "basis": self.basis,
            "weeks": _fmt(self.weeks),
            "hours": _fmt(self.hours),
            "revenue": money(self.revenue),
            "pay": money(self.pay),
            "burden": money(self.burden),
            "cost": money(self.cost),
            "gross_profit": money(self.gross_profit),
            "gross_margin": ratio(self.gross_margin),
        }


@dataclass(frozen=True)
class ContractEconomics:
    currency: str
    vehicle: str
    pay: Decimal
    bill: Decimal
    pay_overtime: Decimal
    bill_overtime: Decimal
    hours_per_week: Decimal
    overtime_hours_per_week: Decimal
    weeks: Decimal
    start_date: date
    end_date: date
    prior_wages: Decimal
    state: str | None
    rates: BurdenRates | None
    markup: Decimal
    spread: Decimal | None
    burden: tuple[BurdenLine, ...]
    week: Totals
    year: Totals
    engagement: Totals
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    wages_by_year: tuple[tuple[int, Decimal], ...] = ()
    version: str = ECONOMICS_VERSION

    # Engagement figures, by the names the shared interface promises.
    @property
    def revenue(self) -> Decimal:
        return self.engagement.revenue

    @property
    def total_pay(self) -> Decimal:
        return self.engagement.pay

    @property
    def total_burden(self) -> Decimal:
        return self.engagement.burden

    @property
    def gross_profit(self) -> Decimal:
        return self.engagement.gross_profit

    @property
    def gross_margin(self) -> Decimal | None:
        return self.engagement.gross_margin

    @property
    def burden_rate(self) -> Decimal:
        """Effective burden as a fraction of pay over the engagement."""
        return self.engagement.burden / self.engagement.pay if self.engagement.pay else ZERO

    @property
    def per_hour(self) -> dict[str, Decimal]:
        e = self.engagement
        hours = e.hours
        return {
            "pay": e.pay / hours,
            "bill": e.revenue / hours,
            "burden": e.burden / hours,
            "cost": e.cost / hours,
            "gross_profit": e.gross_profit / hours,
        }

    @property
    def negative_margin(self) -> bool:
        return self.engagement.gross_profit < 0 or self.bill < self.pay

    def to_dict(self) -> dict[str, Any]:
        e = self.engagement
        markup_formula = f"(bill − pay) / pay = ({_fmt(self.bill)} − {_fmt(self.pay)}) / {_fmt(self.pay)}"
        spread_formula = f"(bill − pay) / bill = ({_fmt(self.bill)} − {_fmt(self.pay)}) / {_fmt(self.bill)}"
        margin_formula = (
            f"gross profit / revenue = {money(e.gross_profit)} / {money(e.revenue)} over the engagement"
        )
        return {
            "version": self.version,
            "currency": self.currency,
            "inputs": {
                "pay": _fmt(self.pay),
                "bill": _fmt(self.bill),
                "pay_overtime": _fmt(self.pay_overtime),
                "bill_overtime": _fmt(self.bill_overtime),
                "hours_per_week": _fmt(self.hours_per_week),
                "overtime_hours_per_week": _fmt(self.overtime_hours_per_week),
                "weeks": _fmt(self.weeks),
                "vehicle": self.vehicle,
                "state": self.state,
                "year": self.rates.year if self.rates else None,
                "start_date": self.start_date.isoformat(),
                "end_date": self.end_date.isoformat(),
                "prior_wages": money(self.prior_wages),
                "currency": self.currency,
            },
            "rates": self.rates.as_dict() if self.rates else None,
            "per_hour": {k: money(v) for k, v in self.per_hour.items()},
            "markup": ratio(self.markup),
            "spread": ratio(self.spread),
            "gross_margin": ratio(self.gross_margin),
            "burden_rate": ratio(self.burden_rate),
            "ratios": [
                {
                    "name": "markup",
                    "value": ratio(self.markup),
                    "percent": percent(self.markup),
                    "formula": markup_formula,
                },
                {
                    "name": "spread",
                    "value": ratio(self.spread),
                    "percent": percent(self.spread),
                    "formula": spread_formula,
                },
                {
                    "name": "gross_margin",
                    "value": ratio(self.gross_margin),
                    "percent": percent(self.gross_margin),
                    "formula": margin_formula,
                },
                {
                    "name": "burden_rate",
                    "value": ratio(self.burden_rate),
                    "percent": percent(self.burden_rate),
                    "formula": f"burden / pay = {money(e.burden)} / {money(e.pay)} over the engagement",
                },
            ],
            "burden": [line.to_dict() for line in self.burden],
            "wages_by_year": [{"year": y, "wages": money(w)} for y, w in self.wages_by_year],
            "totals": {
                "week": self.week.to_dict(),
                "year": self.year.to_dict(),
                "engagement": self.engagement.to_dict(),
            },
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "sources": list(self.sources),
            "rounding": "Computed in Decimal at full precision; money rounded half-up to cents and ratios to "
            "six places only in this output, so a total may differ by a cent from the sum of its parts.",
        }


def week_periods(start: date, weeks: Decimal) -> list[tuple[date, Decimal]]:
    """The engagement's weeks on the calendar: (last day of the week, fraction of a full week).

    A trailing fractional week (26.5 weeks) lasts ceil(7 × fraction) days."""
    whole = int(weeks)
    fraction = weeks - whole
    periods = [(start + timedelta(days=7 * i + 6), Decimal(1)) for i in range(whole)]
    if fraction > 0:
        days = int((fraction * 7).to_integral_value(rounding=ROUND_CEILING))
        periods.append((start + timedelta(days=7 * whole + days - 1), fraction))
    return periods


def wages_by_year(start: date, weeks: Decimal, weekly_wages: Decimal) -> dict[int, Decimal]:
    """Wages per calendar year, each week counted in the year of its last day."""
    out: dict[int, Decimal] = {}
    for end, fraction in week_periods(start, weeks):
        out[end.year] = out.get(end.year, ZERO) + weekly_wages * fraction
    return out


def _rates_for(year: int, rates: BurdenRates, extra: Mapping[int, BurdenRates] | None) -> BurdenRates:
    if extra and year in extra:
        return extra[year]
    if rates.year == year:
        return rates
    return rates.for_year(year)


def _capped(wages: Decimal, prior: Decimal, base: Decimal) -> Decimal:
    """Wages taxable under a cap ``base`` when ``prior`` wages were already paid this year."""
    room = base - prior
    if room <= 0:
        return ZERO
    return min(wages, room)


def _burden_lines(
    by_year: Mapping[int, Decimal],
    prior_wages: Decimal,
    rates: BurdenRates,
    extra: Mapping[int, BurdenRates] | None,
) -> tuple[list[BurdenLine], list[str]]:
    slices: dict[str, list[YearSlice]] = {c: [] for c, _ in COMPONENTS}
    notes: list[str] = []
    for i, (year, wages) in enumerate(sorted(by_year.items())):
        r = _rates_for(year, rates, extra)
        if r is not rates and r.year != rates.year and (not extra or year not in extra):
            notes.append(r.notes[-1])
        prior = prior_wages if i == 0 else ZERO
        capped: dict[str, tuple[Decimal, Decimal | None]] = {
            "social_security": (r.social_security_rate, r.social_security_wage_base),
            "medicare": (r.medicare_rate, None),
            "futa": (r.futa_effective_rate, r.futa_wage_base),
            "suta": (r.suta_rate, r.suta_wage_base),
            "workers_comp": (r.workers_comp_rate, None),
            "benefits": (r.benefits_rate, None),
        }
        for comp, (rate, base) in capped.items():
            taxable = wages if base is None else _capped(wages, prior, base)
            slices[comp].append(YearSlice(year, wages, prior, rate, base, taxable, taxable * rate))

    lines: list[BurdenLine] = []
    for comp, label in COMPONENTS:
        parts = slices[comp]
        first = parts[0]
        taxable = sum((s.taxable_wages for s in parts), ZERO)
        amount = sum((s.amount for s in parts), ZERO)
        lines.append(
            BurdenLine(
                component=comp,
                label=label,
                rate=first.rate,
                wage_base=first.wage_base,
                taxable_wages=taxable,
                amount=amount,
                formula=_formula(comp, parts, rates),
                by_year=tuple(parts),
            )
        )
    return lines, notes


def _slice_formula(comp: str, s: YearSlice) -> str:
    if comp == "workers_comp":
        return f"{s.year}: {money(s.taxable_wages)} / 100 × {_fmt(s.rate * 100)} = {money(s.amount)}"
    if s.wage_base is None:
        return f"{s.year}: {money(s.taxable_wages)} × {_fmt(s.rate)} = {money(s.amount)}"
    prior = f" less {money(s.prior_wages)} already paid" if s.prior_wages else ""
    return (
        f"{s.year}: min(wages {money(s.wages)}, wage base {money(s.wage_base)}{prior}) = "
        f"{money(s.taxable_wages)} × {_fmt(s.rate)} = {money(s.amount)}"
    )


def _formula(comp: str, parts: list[YearSlice], rates: BurdenRates) -> str:
    head = {
        "social_security": "employer Social Security rate on wages up to the year's wage base",
        "medicare": "employer Medicare rate on all wages (no cap)",
        "futa": (
            f"(FUTA {_fmt(rates.futa_rate)} − credit {_fmt(rates.futa_max_credit)} + credit reduction "
            f"{_fmt(rates.futa_credit_reduction)}) on wages up to the FUTA wage base"
        ),
        "suta": f"{rates.state} SUTA rate on wages up to the state wage base",
        "workers_comp": "payroll / 100 × rate per 100",
        "benefits": "benefits rate × pay",
    }[comp]
    return head + "; " + "; ".join(_slice_formula(comp, s) for s in parts)


def _no_burden_lines() -> list[BurdenLine]:
    return [
        BurdenLine(comp, label, ZERO, None, ZERO, ZERO, "no employer burden for this vehicle")
        for comp, label in COMPONENTS
    ]


def contract_economics(
    *,
    pay: Decimal,
    bill: Decimal,
    hours_per_week: Decimal,
    weeks: Decimal,
    rates: BurdenRates | None,
    vehicle: str = "w2",
    currency: str = "USD",
    start_date: date | None = None,
    prior_wages: Decimal = ZERO,
    overtime_hours_per_week: Decimal = ZERO,
    pay_overtime: Decimal | None = None,
    bill_overtime: Decimal | None = None,
    later_rates: Mapping[int, BurdenRates] | None = None,
) -> ContractEconomics:
    """Every figure of a contract engagement, with its formula inputs.

    ``rates`` None, or vehicle "1099"/"c2c", means no employer burden (with a note). Overtime pay and bill
    default to 1.5 × the regular rates. ``later_rates`` supplies figures for calendar years after the
    first when the engagement crosses 1 January (missing years reuse ``rates``). Raises ValueError with a
    clear message for negative or zero rates, non-positive hours or weeks, an unknown vehicle or currency.
    """
    pay, bill = _num(pay, "pay rate", "pay"), _num(bill, "bill rate", "bill")
    hours = _num(hours_per_week, "hours per week", "hours_per_week")
    weeks = _num(weeks, "weeks", "weeks")
    ot_hours = _num(overtime_hours_per_week, "overtime hours per week", "overtime_hours_per_week")
    prior = _num(prior_wages, "prior wages", "prior_wages")
    vehicle = (vehicle or "").strip().lower()
    currency = (currency or "").strip().upper()
    _check_rates(pay, bill)
    if vehicle not in VEHICLES:
        raise InputError(f"unknown vehicle {vehicle!r}: use one of {', '.join(VEHICLES)}", "vehicle")
    if currency not in CURRENCIES:
        raise InputError(f"unsupported currency {currency!r}: use one of {', '.join(CURRENCIES)}", "currency")
    if hours <= 0:
        raise InputError(f"hours per week must be greater than zero (got {hours})", "hours_per_week")
    if ot_hours < 0:
        raise InputError(
            f"overtime hours per week must not be negative (got {ot_hours})", "overtime_hours_per_week"
        )
    if hours + ot_hours > 168:
        raise InputError(
            f"hours per week plus overtime cannot exceed 168 (got {hours + ot_hours})", "hours_per_week"
        )
    if weeks <= 0:
        raise InputError(f"weeks must be greater than zero (got {weeks})", "weeks")
    if weeks > MAX_WEEKS:
        raise InputError(f"weeks must be at most {MAX_WEEKS} (ten years; got {weeks})", "weeks")
    if prior < 0:
        raise InputError(f"prior wages must not be negative (got {prior})", "prior_wages")
    pay_ot = (
        pay * OVERTIME_MULTIPLIER
        if pay_overtime is None
        else _num(pay_overtime, "overtime pay rate", "pay_overtime")
    )
    bill_ot = (
        bill * OVERTIME_MULTIPLIER
        if bill_overtime is None
        else _num(bill_overtime, "overtime bill rate", "bill_overtime")
    )
    if pay_ot < 0:
        raise InputError(f"overtime pay rate must not be negative (got {pay_ot})", "pay_overtime")
    if bill_ot < 0:
        raise InputError(f"overtime bill rate must not be negative (got {bill_ot})", "bill_overtime")

    notes: list[str] = []
    warnings: list[str] = []
    sources: list[str] = []
    burdened = vehicle == "w2" and rates is not None
    year0 = rates.year if rates is not None else (start_date.year if start_date else date.today().year)
    start = start_date or date(year0, 1, 1)
    if start_date is None:
        notes.append(f"No start date: the weeks are counted from 1 January {year0}.")
    if start_date is not None and rates is not None and start_date.year != rates.year:
        notes.append(
            f"The engagement starts in {start_date.year} but the {rates.year} tables were given; "
            f"they are applied to every year without its own tables."
        )
    if ot_hours and pay_overtime is None:
        notes.append(f"Overtime pay defaults to 1.5 × pay ({_fmt(pay_ot)}).")
    if ot_hours and bill_overtime is None:
        notes.append(f"Overtime bill defaults to 1.5 × bill ({_fmt(bill_ot)}).")

    weekly_pay = pay * hours + pay_ot * ot_hours
    weekly_revenue = bill * hours + bill_ot * ot_hours
    weekly_hours = hours + ot_hours
    periods = week_periods(start, weeks)
    end = periods[-1][0]
    by_year = wages_by_year(start, weeks, weekly_pay)

    if burdened:
        assert rates is not None
        lines, year_notes = _burden_lines(by_year, prior, rates, later_rates)
        notes.extend(year_notes)
        year_lines, _ = _burden_lines({rates.year: weekly_pay * WEEKS_PER_YEAR}, ZERO, rates, None)
        notes.extend(rates.notes)
        sources.extend(rates.sources)
        for y in sorted(later_rates or {}):
            if y in by_year and later_rates is not None:
                r = later_rates[y]
                notes.extend(n for n in r.notes if n not in notes)
                sources.extend(s for s in r.sources if s not in sources)
        if len(by_year) > 1:
            notes.append(
                "The engagement crosses 1 January: wage-base caps (Social Security, FUTA, SUTA) restart "
                "in each calendar year."
            )
        if prior:
            notes.append(
                f"{money(prior)} of wages already paid in {min(by_year)} count toward that year's caps."
            )
    else:
        lines = _no_burden_lines()
        year_lines = lines
        if vehicle == "1099":
            notes.append(
                "1099 contractor: the worker is not on the agency's payroll, so there is no employer burden "
                "(FICA, FUTA, SUTA, workers' comp). Classification risk applies: see `cadre classify`."
            )
        elif vehicle == "c2c":
            notes.append(
                "Corp-to-corp: the worker's own company is the employer, so the agency pays no employer "
                "burden. Check the subcontractor agreement and the B2B test (`cadre classify`)."
            )
        else:
            notes.append("No burden rates were given: employer burden is left out (figures are pay vs bill).")

    engagement_burden = sum((line.amount for line in lines), ZERO)
    year_burden = sum((line.amount for line in year_lines), ZERO)
    engagement = Totals(
        period="engagement",
        basis=f"{_fmt(weeks)} weeks from {start.isoformat()} to {end.isoformat()}",
        weeks=weeks,
        hours=weekly_hours * weeks,
        revenue=weekly_revenue * weeks,
        pay=weekly_pay * weeks,
        burden=engagement_burden,
    )
    year = Totals(
        period="year",
        basis=(
            f"52 weeks ({_fmt(weekly_hours * WEEKS_PER_YEAR)} h) in one calendar year"
            + (f" ({year0})" if burdened else "")
            + ", caps applied once, no prior wages"
        ),
        weeks=WEEKS_PER_YEAR,
        hours=weekly_hours * WEEKS_PER_YEAR,
        revenue=weekly_revenue * WEEKS_PER_YEAR,
        pay=weekly_pay * WEEKS_PER_YEAR,
        burden=year_burden,
    )
    week = Totals(
        period="week",
        basis="the engagement's average week (engagement / weeks)",
        weeks=Decimal(1),
        hours=weekly_hours,
        revenue=weekly_revenue,
        pay=weekly_pay,
        burden=engagement_burden / weeks,
    )

    if is_negative_margin(pay, bill):
        warnings.append(f"negative margin: the bill rate ({_fmt(bill)}) is below the pay rate ({_fmt(pay)})")
    elif ot_hours and bill_ot < pay_ot:
        warnings.append(
            f"negative margin on overtime: overtime bill ({_fmt(bill_ot)}) is below overtime pay "
            f"({_fmt(pay_ot)})"
        )
    if engagement.gross_profit < 0 and bill >= pay:
        warnings.append(
            f"negative margin: burden ({money(engagement_burden)}) exceeds the spread over the engagement; "
            f"gross profit is {money(engagement.gross_profit)}"
        )

    return ContractEconomics(
        currency=currency,
        vehicle=vehicle,
        pay=pay,
        bill=bill,
        pay_overtime=pay_ot,
        bill_overtime=bill_ot,
        hours_per_week=hours,
        overtime_hours_per_week=ot_hours,
        weeks=weeks,
        start_date=start,
        end_date=end,
        prior_wages=prior,
        state=rates.state if rates is not None else None,
        rates=rates if burdened else None,
        markup=(bill - pay) / pay,
        spread=(bill - pay) / bill if bill else None,
        burden=tuple(lines),
        week=week,
        year=year,
        engagement=engagement,
        warnings=tuple(warnings),
        notes=tuple(dict.fromkeys(notes)),
        sources=tuple(dict.fromkeys(sources)),
        wages_by_year=tuple(sorted(by_year.items())),
    )
