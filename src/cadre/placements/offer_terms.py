"""Offer terms and placement fee terms: parsing, validation, margin warnings, default overtime rates and the
diff between two offer revisions. Pure: no Django, so the rules are unit-tested without a database.

Services (placements.services) call these before any write, so a bad offer is refused as a whole with a
message naming the field, and the UI, API and demo share one set of rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from cadre.core.money import CURRENCIES
from cadre.placements import economics
from cadre.placements.burden import UnknownState, normalize_state

# Mirrors of the model choices (a test keeps them in step with models.py and requisitions.models).
CONTRACT, CONTRACT_TO_HIRE, DIRECT_HIRE = "contract", "contract_to_hire", "direct_hire"
ENGAGEMENT_TYPES = (CONTRACT, CONTRACT_TO_HIRE, DIRECT_HIRE)
VEHICLES = ("w2", "1099", "c2c")
HOURLY, SALARY = "hourly", "salary"
PAY_BASES = (HOURLY, SALARY)

# Overtime and double time when an offer names only the regular rates (FLSA time-and-a-half; double time
# as California pays it). Applied to pay and bill alike.
OVERTIME_MULTIPLIER = Decimal("1.5")
DOUBLE_TIME_MULTIPLIER = Decimal("2")
RATE_PLACES = Decimal("0.0001")  # rates are stored with 4 decimal places
MAX_RATE = Decimal("10000")  # an hourly rate above this is a typo (an annual figure in the rate box)
MAX_SALARY = Decimal("100000000")
MAX_HOURS_PER_WEEK = Decimal("80")
MAX_TERMS = 5000

FEE_KINDS = ("contingency", "retained", "conversion")
CONVERSION_METHODS = ("prorate", "credit", "free_after_hours")
# Defaults when a placement is accepted without explicit fee terms (research note §4: contingency
# 20-25 % of first-year base with a guarantee; conversion 15-30 % pro-rated over 12 months).
DEFAULT_FEE_TERMS: dict[str, dict[str, Any]] = {
    DIRECT_HIRE: {"kind": "contingency", "percent": "20", "guarantee_days": 90},
    CONTRACT_TO_HIRE: {"kind": "conversion", "percent": "20", "method": "prorate", "schedule_months": 12},
    CONTRACT: {},
}

LABELS = {
    "engagement_type": "Engagement",
    "vehicle": "Vehicle",
    "pay_basis": "Pay basis",
    "currency": "Currency",
    "pay_rate": "Pay rate",
    "bill_rate": "Bill rate",
    "salary": "Salary",
    "bonus": "Bonus",
    "hours_per_week": "Hours per week",
    "start_date": "Start date",
    "end_date": "End date",
    "work_state": "Work state",
    "terms": "Other terms",
    "expires_on": "Expires on",
}
FIELDS = tuple(LABELS)


class TermsInvalid(ValueError):
    """One problem with the terms, naming the field it is about."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class OfferTerms:
    """Validated offer terms. Amounts are Decimal, dates are dates, the state is upper-case or blank."""

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

    def as_fields(self) -> dict[str, Any]:
        return asdict(self)


# ------------------------------------------------------------------------------------------------ parsing


def parse_amount(raw: Any, field: str, *, required: bool = False, label: str | None = None) -> Decimal | None:
    """A non-negative finite Decimal (floats via repr, so 0.1 stays 0.1), or None when blank."""
    name = label or LABELS.get(field, field).lower()
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise TermsInvalid(f"{name} is required", field)
        return None
    if isinstance(raw, bool):
        raise TermsInvalid(f"{name} must be a number", field)
    try:
        value = (
            raw if isinstance(raw, Decimal) else Decimal(repr(raw) if isinstance(raw, float) else str(raw))
        )
    except (InvalidOperation, ValueError) as exc:
        raise TermsInvalid(f"{name} must be a number, not {raw!r}", field) from exc
    if not value.is_finite():
        raise TermsInvalid(f"{name} must be a finite number", field)
    if value < 0:
        raise TermsInvalid(f"{name} cannot be negative ({value})", field)
    return value


def _date(raw: Any, field: str) -> dt.date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError as exc:
        raise TermsInvalid(f"{LABELS.get(field, field).lower()} must be a date (YYYY-MM-DD)", field) from exc


def parse_state(raw: Any, field: str = "work_state") -> str:
    """Blank, or the two-letter code of a US state or DC (upper-cased)."""
    text = str(raw or "").strip()
    if not text:
        return ""
    try:
        return normalize_state(text)
    except UnknownState as exc:
        raise TermsInvalid(str(exc), field) from exc


def _choice(raw: Any, field: str, choices: tuple[str, ...], default: str | None = None) -> str:
    value = str(raw or "").strip() or default or ""
    if value not in choices:
        raise TermsInvalid(
            f"unknown {LABELS.get(field, field).lower()} {value!r}; expected one of {', '.join(choices)}",
            field,
        )
    return value


def parse_terms(raw: Mapping[str, Any]) -> OfferTerms:
    """Validate offer terms as a whole; TermsInvalid names the first field that is wrong.

    Contract and contract-to-hire offers are hourly (pay and bill rates required; a contract-to-hire may
    also name the salary on conversion); a direct hire is a salaried W-2 employee of the client (salary
    required, no rates, no end date). Bill below pay is allowed: see `margin_warnings`."""
    engagement = _choice(raw.get("engagement_type"), "engagement_type", ENGAGEMENT_TYPES)
    vehicle = _choice(raw.get("vehicle"), "vehicle", VEHICLES, default="w2")
    default_basis = SALARY if engagement == DIRECT_HIRE else HOURLY
    pay_basis = _choice(raw.get("pay_basis"), "pay_basis", PAY_BASES, default=default_basis)
    currency = str(raw.get("currency") or "USD").strip().upper()
    if currency not in CURRENCIES:
        raise TermsInvalid(
            f"unsupported currency {currency!r}; expected one of {', '.join(CURRENCIES)}", "currency"
        )

    if engagement == DIRECT_HIRE:
        if vehicle != "w2":
            raise TermsInvalid(
                "a direct hire is the client's W-2 employee; 1099 and corp-to-corp apply to contract work",
                "vehicle",
            )
        if pay_basis != SALARY:
            raise TermsInvalid("a direct hire is paid an annual salary, not hourly rates", "pay_basis")
    elif pay_basis != HOURLY:
        raise TermsInvalid(
            "contract work is paid by the hour: give pay and bill rates (a contract-to-hire offer may add "
            "the salary on conversion)",
            "pay_basis",
        )

    pay = parse_amount(raw.get("pay_rate"), "pay_rate", required=pay_basis == HOURLY)
    bill = parse_amount(raw.get("bill_rate"), "bill_rate", required=pay_basis == HOURLY)
    salary = parse_amount(raw.get("salary"), "salary", required=engagement == DIRECT_HIRE)
    bonus = parse_amount(raw.get("bonus"), "bonus")
    if pay_basis == SALARY and (pay is not None or bill is not None):
        raise TermsInvalid("a salaried offer has no hourly pay or bill rate", "pay_rate")
    if engagement == CONTRACT and (salary is not None or bonus is not None):
        raise TermsInvalid(
            "a contract offer has no salary; choose contract-to-hire to state the salary on conversion",
            "salary",
        )
    for value, field in ((pay, "pay_rate"), (bill, "bill_rate")):
        if value is not None:
            if value == 0:
                raise TermsInvalid(f"{LABELS[field].lower()} must be above zero", field)
            if value > MAX_RATE:
                raise TermsInvalid(
                    f"{LABELS[field].lower()} {value} per hour is implausible (over {MAX_RATE}); "
                    "is it an annual figure?",
                    field,
                )
            if value != value.quantize(RATE_PLACES):
                raise TermsInvalid(f"{LABELS[field].lower()} has more than 4 decimal places", field)
    for value, field in ((salary, "salary"), (bonus, "bonus")):
        if value is not None:
            if value >= MAX_SALARY:
                raise TermsInvalid(f"{LABELS[field].lower()} {value} is too large", field)
            if value != value.quantize(Decimal("0.01")):
                raise TermsInvalid(f"{LABELS[field].lower()} has more than 2 decimal places", field)
    if salary == 0:
        raise TermsInvalid("salary must be above zero", "salary")

    hours = parse_amount(raw.get("hours_per_week"), "hours_per_week")
    hours = Decimal(40) if hours is None else hours
    if hours == 0 or hours > MAX_HOURS_PER_WEEK:
        raise TermsInvalid(
            f"hours per week must be above 0 and at most {MAX_HOURS_PER_WEEK}", "hours_per_week"
        )
    if hours != hours.quantize(Decimal("0.01")):
        raise TermsInvalid("hours per week has more than 2 decimal places", "hours_per_week")

    start = _date(raw.get("start_date"), "start_date")
    end = _date(raw.get("end_date"), "end_date")
    if end is not None and start is None:
        raise TermsInvalid("give a start date with the end date", "start_date")
    if start is not None and end is not None and end < start:
        raise TermsInvalid(f"the end date {end} is before the start date {start}", "end_date")
    if engagement == DIRECT_HIRE and end is not None:
        raise TermsInvalid("a direct hire is permanent: leave the end date empty", "end_date")

    terms = str(raw.get("terms") or "").strip()
    if len(terms) > MAX_TERMS:
        raise TermsInvalid(f"other terms are limited to {MAX_TERMS:,} characters", "terms")

    return OfferTerms(
        engagement_type=engagement,
        vehicle=vehicle,
        pay_basis=pay_basis,
        currency=currency,
        pay_rate=pay,
        bill_rate=bill,
        salary=salary,
        bonus=bonus,
        hours_per_week=hours,
        start_date=start,
        end_date=end,
        work_state=parse_state(raw.get("work_state")),
        terms=terms,
        expires_on=_date(raw.get("expires_on"), "expires_on"),
    )


# ----------------------------------------------------------------------------------------------- warnings


def margin_warnings(pay: Decimal | None, bill: Decimal | None) -> list[str]:
    """The margin rule's texts (economics.rate_warnings owns the rule; use it when you need the codes)."""
    return [w.text for w in economics.rate_warnings(pay, bill)]


def terms_warnings(terms: OfferTerms) -> list[str]:
    warnings = margin_warnings(terms.pay_rate, terms.bill_rate)
    if terms.pay_basis == HOURLY and terms.vehicle == "w2" and not terms.work_state:
        warnings.append("no work state: employer burden (SUTA, FUTA credit reduction) cannot be estimated")
    if terms.start_date is None:
        warnings.append("no start date yet: one is needed before the offer is extended")
    return warnings


# ----------------------------------------------------------------------------------------- rates and fees


@dataclass(frozen=True)
class RateSet:
    pay_regular: Decimal
    pay_overtime: Decimal
    pay_double: Decimal
    bill_regular: Decimal
    bill_overtime: Decimal
    bill_double: Decimal


W2 = "w2"


def _premium_problems(rates: Any) -> list[tuple[str, str]]:
    """(field, text) for each premium rate below the rate it must reach: overtime pay at least 1.5x the
    regular pay (FLSA time-and-a-half for non-exempt hourly employees), double-time pay at least the
    overtime pay, and overtime/double-time bill at least the regular bill."""
    floor = _rate(rates.pay_regular * OVERTIME_MULTIPLIER)
    out: list[tuple[str, str]] = []
    if rates.pay_overtime < floor:
        out.append(
            (
                "pay_overtime",
                f"overtime pay {rates.pay_overtime:.2f} is below 1.5x the regular pay "
                f"{rates.pay_regular:.2f} (at least {floor:.2f}: FLSA time-and-a-half for non-exempt hourly "
                "workers)",
            )
        )
    if rates.pay_double < max(rates.pay_overtime, floor):
        out.append(
            (
                "pay_double",
                f"double-time pay {rates.pay_double:.2f} is below the overtime pay "
                f"{max(rates.pay_overtime, floor):.2f}",
            )
        )
    for field, label in (("bill_overtime", "overtime"), ("bill_double", "double-time")):
        value = getattr(rates, field)
        if value < rates.bill_regular:
            out.append(
                (field, f"{label} bill {value:.2f} is below the regular bill {rates.bill_regular:.2f}")
            )
    return out


def rate_card_warnings(rates: Any, vehicle: str | None) -> list[str]:
    """Warnings on a rate card (a RateSet or RateCard): premium rates below their floor for a 1099/C2C
    contractor (refused for W-2 by `rate_set`), and overtime or double time billed below its pay."""
    warnings = [] if vehicle == W2 else [text for _, text in _premium_problems(rates)]
    for label, pay, bill in (
        ("overtime", rates.pay_overtime, rates.bill_overtime),
        ("double-time", rates.pay_double, rates.bill_double),
    ):
        if bill < pay:
            warnings.append(f"negative {label} margin: bill {bill:.2f} is below pay {pay:.2f}")
    return warnings


def _rate(value: Decimal) -> Decimal:
    return value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def rate_set(
    pay: Any,
    bill: Any,
    *,
    pay_overtime: Any = None,
    pay_double: Any = None,
    bill_overtime: Any = None,
    bill_double: Any = None,
    vehicle: str | None = None,
) -> RateSet:
    """A full rate card from the regular rates: overtime 1.5x and double time 2x unless given.

    For a W-2 worker (`vehicle` "w2") the card is refused when overtime pay is below 1.5x the regular pay
    (FLSA), double-time pay below overtime pay, or overtime/double-time bill below the regular bill. For
    1099/C2C those are warnings (`rate_card_warnings`): the FLSA covers employees, not contractors."""
    pay_regular = parse_amount(pay, "pay_regular", required=True, label="pay rate")
    bill_regular = parse_amount(bill, "bill_regular", required=True, label="bill rate")
    assert pay_regular is not None and bill_regular is not None
    values = {
        "pay_overtime": parse_amount(pay_overtime, "pay_overtime", label="overtime pay rate"),
        "pay_double": parse_amount(pay_double, "pay_double", label="double-time pay rate"),
        "bill_overtime": parse_amount(bill_overtime, "bill_overtime", label="overtime bill rate"),
        "bill_double": parse_amount(bill_double, "bill_double", label="double-time bill rate"),
    }
    for field, value in (("pay_regular", pay_regular), ("bill_regular", bill_regular), *values.items()):
        if value is not None and value > MAX_RATE:
            raise TermsInvalid(f"{field.replace('_', ' ')} {value} per hour is implausible", field)
    rates = RateSet(
        pay_regular=_rate(pay_regular),
        pay_overtime=_rate(values["pay_overtime"] or pay_regular * OVERTIME_MULTIPLIER),
        pay_double=_rate(values["pay_double"] or pay_regular * DOUBLE_TIME_MULTIPLIER),
        bill_regular=_rate(bill_regular),
        bill_overtime=_rate(values["bill_overtime"] or bill_regular * OVERTIME_MULTIPLIER),
        bill_double=_rate(values["bill_double"] or bill_regular * DOUBLE_TIME_MULTIPLIER),
    )
    if vehicle == W2:
        problems = _premium_problems(rates)
        if problems:
            raise TermsInvalid("W-2 rate card refused: " + "; ".join(t for _, t in problems), problems[0][0])
    return rates


def _percent(raw: Any, field: str) -> str:
    value = parse_amount(raw, field, required=True, label=field.replace("_", " "))
    assert value is not None
    if value > 100:
        raise TermsInvalid(f"{field.replace('_', ' ')} is a percent between 0 and 100, not {value}", field)
    return str(value)


def _whole(raw: Any, field: str, *, low: int, high: int) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        value = int(str(raw))
    except ValueError as exc:
        raise TermsInvalid(f"{field.replace('_', ' ')} must be a whole number", field) from exc
    if not low <= value <= high:
        raise TermsInvalid(f"{field.replace('_', ' ')} must be between {low} and {high}", field)
    return value


def parse_fee_terms(engagement_type: str, raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """The fee agreed with the client, as stored on Placement.fee_terms (decimals as strings).

    Direct hire: contingency (percent of first-year base, guarantee days) or retained (percent of
    first-year total cash, billed in thirds). Contract-to-hire: the conversion fee (percent of salary,
    pro-rated over `schedule_months`, or less a credit for fees paid, or free after N hours). Contract: no
    placement fee (the agency earns the spread on hours). Empty → the defaults for the engagement type."""
    if not raw:
        return dict(DEFAULT_FEE_TERMS.get(engagement_type, {}))
    allowed = {DIRECT_HIRE: ("contingency", "retained"), CONTRACT_TO_HIRE: ("conversion",), CONTRACT: ()}
    kind = str(raw.get("kind") or "").strip()
    if kind not in FEE_KINDS:
        raise TermsInvalid(f"unknown fee kind {kind!r}; expected one of {', '.join(FEE_KINDS)}", "fee_kind")
    if kind not in allowed.get(engagement_type, ()):
        label = engagement_type.replace("_", "-")
        ok = ", ".join(allowed.get(engagement_type, ())) or "none (the margin is earned on hours)"
        raise TermsInvalid(f"a {label} placement cannot carry a {kind} fee; allowed: {ok}", "fee_kind")
    known = {
        "contingency": {"kind", "percent", "guarantee_days"},
        "retained": {"kind", "percent", "guarantee_days", "engaged_on", "shortlist_on"},
        "conversion": {
            "kind",
            "percent",
            "method",
            "schedule_months",
            "free_after_hours",
            "credit_rate",
        },
    }[kind]
    unknown = sorted(set(raw) - known)
    if unknown:
        raise TermsInvalid(f"unknown fee term(s) {', '.join(unknown)} for a {kind} fee", unknown[0])
    terms: dict[str, Any] = {"kind": kind, "percent": _percent(raw.get("percent"), "percent")}
    if kind in ("contingency", "retained"):
        days = _whole(raw.get("guarantee_days"), "guarantee_days", low=0, high=730)
        terms["guarantee_days"] = 90 if days is None else days
    if kind == "retained":
        for field in ("engaged_on", "shortlist_on"):
            day = _date(raw.get(field), field)
            if day is not None:
                terms[field] = day.isoformat()
    if kind == "conversion":
        method = _choice(raw.get("method"), "method", CONVERSION_METHODS, default="prorate")
        terms["method"] = method
        months = _whole(raw.get("schedule_months"), "schedule_months", low=1, high=60)
        terms["schedule_months"] = 12 if months is None else months
        if method == "free_after_hours":
            hours = parse_amount(
                raw.get("free_after_hours"), "free_after_hours", required=True, label="free after hours"
            )
            terms["free_after_hours"] = str(hours)
        if method == "credit" and raw.get("credit_rate") not in (None, ""):
            terms["credit_rate"] = _percent(raw.get("credit_rate"), "credit_rate")
    return terms


def describe_fee_terms(terms: Mapping[str, Any]) -> str:
    """One line a recruiter reads: "Contingency 20% of first-year base, 90-day guarantee"."""
    kind = terms.get("kind")
    if not kind:
        return "No placement fee (margin on hours)"
    percent = terms.get("percent", "?")
    if kind == "contingency":
        return f"Contingency {percent}% of first-year base, {terms.get('guarantee_days', 90)}-day guarantee"
    if kind == "retained":
        return f"Retained {percent}% of first-year total cash, in thirds"
    method = terms.get("method", "prorate")
    months = terms.get("schedule_months", 12)
    if method == "prorate":
        return f"Conversion {percent}% of salary, pro-rated over {months} months worked"
    if method == "credit":
        credit = terms.get("credit_rate")
        what = f"{credit}% of fees paid" if credit else "fees paid"
        return f"Conversion {percent}% of salary less a credit of {what}"
    return f"Conversion {percent}% of salary, free after {terms.get('free_after_hours')} hours"


# ------------------------------------------------------------------------------------------------- diffs


@dataclass(frozen=True)
class TermChange:
    field: str
    label: str
    before: str
    after: str


def shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _comparable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value.normalize()
    if value == "":
        return None
    return value


def diff_terms(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[TermChange]:
    """What changed between two revisions, field by field in form order."""
    changes = []
    for field in FIELDS:
        old, new = before.get(field), after.get(field)
        if _comparable(old) != _comparable(new):
            changes.append(TermChange(field, LABELS[field], shown(old), shown(new)))
    return changes


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from `start` to `end` (2026-01-15 → 2026-03-14 is 1; → 03-15 is 2)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(0, months)
