"""Engagement advisor: how should a requisition be filled? Pure: no Django.

`advise(AdvisorInputs) -> Advice` weighs the six ways Cadre fills a role — contract, long-term contract,
contract-to-hire, direct hire, retained executive search and contingency executive search — against the
requisition's duration, criticality (a production or model-performance SLA), regulatory exposure, IP
sensitivity, worker-classification risk (from Compliance), budget, urgency and whether it is an executive
search. The rules are additive points: every rule that fires adds or removes points on one option and
says which input drove it, so each option's rank comes with its reasons. On top: the trade-offs of each
option (speed to start, cost, continuity, IP and regulatory control, classification exposure,
flexibility), "what would change the answer" (the same rules re-run with one input changed — every change
listed is one that really flips the recommendation), and a cost comparison over a horizon computed with
the economics and fee modules (contract: bill × hours; contract-to-hire: contract months + a pro-rated
conversion fee + salary after; direct hire: contingency fee + salary + employer burden; executive:
retained fee in thirds or a contingency fee, + salary + burden).

Deterministic: the same inputs (and burden rates) give the same advice, identified by `ADVISOR_VERSION`
and an `inputs_digest`. Nothing here reads the clock. Bad inputs raise `AdvisorInputError` (a ValueError)
listing every problem.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cadre.core.money import CENT, CURRENCIES, to_decimal
from cadre.placements import burden, economics, fees
from cadre.placements.burden import BurdenRates

ADVISOR_VERSION = "advisor-2026.11.1"

CONTRACT = "contract"
LONG_TERM = "long_term_contract"
CONTRACT_TO_HIRE = "contract_to_hire"
DIRECT_HIRE = "direct_hire"
RETAINED = "retained_executive_search"
CONTINGENCY_EXEC = "contingency_executive_search"
MODELS: tuple[str, ...] = (CONTRACT, LONG_TERM, CONTRACT_TO_HIRE, DIRECT_HIRE, RETAINED, CONTINGENCY_EXEC)
LABELS = {
    CONTRACT: "Contract",
    LONG_TERM: "Long-term contract",
    CONTRACT_TO_HIRE: "Contract-to-hire",
    DIRECT_HIRE: "Direct hire",
    RETAINED: "Retained executive search",
    CONTINGENCY_EXEC: "Contingency executive search",
}
CONTRACT_MODELS = (CONTRACT, LONG_TERM)  # the worker stays on a contract for the whole engagement
EXECUTIVE_MODELS = (RETAINED, CONTINGENCY_EXEC)
PERMANENT_MODELS = (DIRECT_HIRE, RETAINED, CONTINGENCY_EXEC)

CRITICALITY = ("low", "standard", "production_sla")
LEVELS = ("low", "medium", "high")
CLASSIFICATION_RISKS = ("low", "medium", "high", "unknown")
URGENCY = ("low", "normal", "high")
VEHICLES = ("w2", "1099", "c2c")
VEHICLE_LABELS = {
    "w2": "W-2 through the agency",
    "1099": "1099 independent contractor",
    "c2c": "corp-to-corp",
}
BUDGET_BASES = ("horizon", "annual")
# The requisition's own engagement type or profile hint ("retained_search" is the profile's word).
PREFERENCES = {**{m: m for m in MODELS}, "retained_search": RETAINED}

# Duration thresholds (months). A need of up to 12 months is a contract; 13-24 a long-term contract;
# beyond 24 months the need is permanent in all but name.
SHORT_MONTHS = 3
CONTRACT_MAX_MONTHS = 12
LONG_TERM_MAX_MONTHS = 24
MAX_MONTHS = 120
MIN_HORIZON_MONTHS = 12
PERMANENT_HORIZON_MONTHS = 24
DEFAULT_CONVERSION_MONTHS = 6
CONVERSION_SCHEDULE_MONTHS = 12
DEFAULT_HOURS_PER_WEEK = Decimal(40)
DEFAULT_CONTINGENCY_PERCENT = Decimal(20)
DEFAULT_RETAINED_PERCENT = Decimal("33.3333")
DEFAULT_CONVERSION_PERCENT = Decimal(20)
BUDGET_PENALTY = 3

# Typical time from engagement to the person starting, in days (conventions, not promises).
TIME_TO_START: dict[str, tuple[int, int, str]] = {
    CONTRACT: (7, 21, "contractors between projects can start in one to three weeks"),
    LONG_TERM: (14, 30, "two to four weeks: a longer commitment takes a little longer to agree"),
    CONTRACT_TO_HIRE: (14, 30, "starts as a contract, so two to four weeks"),
    DIRECT_HIRE: (30, 60, "a full search and interviews, plus the candidate's notice period"),
    RETAINED: (
        60,
        120,
        "executive searches typically take 60-120 days on a retained model (benchmarks put the average "
        "near 120 days; C-suite searches can run 4-8 months)",
    ),
    CONTINGENCY_EXEC: (
        30,
        90,
        "faster when candidates are already active in the market, but with no exclusivity there is no "
        "dedicated effort or guaranteed shortlist",
    ),
}

DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("speed", "Speed to start"),
    ("cost", "Cost over the horizon"),
    ("continuity", "Continuity and knowledge retention"),
    ("control", "IP and regulatory control"),
    ("classification", "Classification exposure"),
    ("flexibility", "Flexibility"),
)

INPUT_LABELS = {
    "duration_months": "duration",
    "criticality": "criticality",
    "regulatory": "regulatory exposure",
    "ip_sensitivity": "IP sensitivity",
    "classification_risk": "classification risk",
    "vehicle": "vehicle",
    "urgency": "urgency",
    "executive": "executive search",
    "budget": "budget",
    "preference": "requested engagement",
    "horizon_months": "horizon",
    "rates": "rates and salary",
}


VALUE_LABELS = {
    "production_sla": "production SLA",
    "w2": "W-2 through the agency",
    "1099": "1099",
    "c2c": "corp-to-corp",
}


def value_label(value: str) -> str:
    return VALUE_LABELS.get(value, value.replace("_", " "))


class AdvisorInputError(ValueError):
    """The inputs cannot be advised on; `errors` lists every problem (the message joins them)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = list(errors)


# ---------------------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class AdvisorInputs:
    """What the advice depends on. Money is Decimal in `currency`; percents are in percent units (20 = 20 %).

    `duration_months` None means a permanent (open-ended) need. `budget` is the client's budget for the
    role over the horizon, or per year when `budget_basis` is "annual". `pay` and `bill` are hourly rates
    for contract work; `salary` (and `bonus`) the annual base (and target bonus) for a permanent hire.
    `vehicle` is how a contractor would be engaged (w2 through the agency, 1099 or c2c). `state` and
    `year` pick the employer-burden tables (no state: burden is left out, with a note)."""

    duration_months: int | None
    criticality: str = "standard"
    regulatory: str = "low"
    ip_sensitivity: str = "low"
    classification_risk: str = "unknown"
    vehicle: str = "w2"
    urgency: str = "normal"
    executive: bool = False
    budget: Decimal | None = None
    budget_basis: str = "horizon"
    horizon_months: int | None = None
    pay: Decimal | None = None
    bill: Decimal | None = None
    salary: Decimal | None = None
    bonus: Decimal | None = None
    hours_per_week: Decimal = DEFAULT_HOURS_PER_WEEK
    contingency_percent: Decimal = DEFAULT_CONTINGENCY_PERCENT
    retained_percent: Decimal = DEFAULT_RETAINED_PERCENT
    conversion_percent: Decimal = DEFAULT_CONVERSION_PERCENT
    conversion_months: int | None = None
    state: str | None = None
    year: int | None = None
    currency: str = "USD"
    preference: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (Decimals as strings), in field order."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = _plain(value) if isinstance(value, Decimal) else value
        return out


FIELD_NAMES = tuple(f.name for f in fields(AdvisorInputs))
_DECIMAL_FIELDS = (
    "budget",
    "pay",
    "bill",
    "salary",
    "bonus",
    "hours_per_week",
    "contingency_percent",
    "retained_percent",
    "conversion_percent",
)
_CHOICES: dict[str, tuple[str, ...]] = {
    "criticality": CRITICALITY,
    "regulatory": LEVELS,
    "ip_sensitivity": LEVELS,
    "classification_risk": CLASSIFICATION_RISKS,
    "vehicle": VEHICLES,
    "urgency": URGENCY,
    "budget_basis": BUDGET_BASES,
}
_PERMANENT_WORDS = ("permanent", "open", "open-ended", "ongoing", "indefinite")
_YES = ("yes", "y", "true", "1", "on")
_NO = ("no", "n", "false", "0", "off", "")
# Accepted spellings of Compliance's risk levels ("very high" is the engine's top level).
_RISK_ALIASES = {"very high": "high", "very_high": "high", "none": "unknown"}
# Plausibility ceilings: beyond these a figure is a typo, not a rate.
MONEY_CEILINGS = {
    "pay": Decimal(10_000),
    "bill": Decimal(10_000),
    "salary": Decimal(100_000_000),
    "bonus": Decimal(100_000_000),
    "budget": Decimal(10_000_000_000),
}
_VEHICLE_ALIASES = {"w-2": "w2", "w2_agency": "w2", "corp_to_corp": "c2c", "corp-to-corp": "c2c"}


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def _int_field(name: str, raw: Any, errors: list[str]) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        errors.append(f"{name}: expected a whole number, got {raw!r}")
        return None
    try:
        number = Decimal(str(raw).strip())
    except ArithmeticError:
        errors.append(f"{name}: {raw!r} is not a whole number")
        return None
    if not number.is_finite() or number != number.to_integral_value():
        errors.append(f"{name}: {raw!r} is not a whole number")
        return None
    if abs(number) > 10_000:
        errors.append(f"{name}: {raw!r} is out of range")
        return None
    return int(number)


def inputs_from_mapping(data: Mapping[str, Any]) -> AdvisorInputs:
    """Parse inputs from strings or JSON values (a form, query string, CLI options or an API body) and
    validate them. Unknown keys, unparseable values and out-of-range values are all reported together in
    one AdvisorInputError. Blank values mean "not given" (the default)."""
    errors: list[str] = []
    unknown = sorted(set(data) - set(FIELD_NAMES))
    if unknown:
        errors.append(f"unknown input(s): {', '.join(unknown)} (known: {', '.join(FIELD_NAMES)})")
    values: dict[str, Any] = {}

    if "duration_months" not in data:
        errors.append("duration_months: required (months, or 'permanent' for an open-ended need)")
    else:
        raw = data["duration_months"]
        if raw is None or (isinstance(raw, str) and raw.strip().lower() in _PERMANENT_WORDS):
            values["duration_months"] = None
        elif isinstance(raw, str) and not raw.strip():
            errors.append("duration_months: required (months, or 'permanent' for an open-ended need)")
        else:
            values["duration_months"] = _int_field("duration_months", raw, errors)
            if values["duration_months"] is None and "duration_months" not in " ".join(errors):
                errors.append("duration_months: required")

    for name in ("horizon_months", "conversion_months", "year"):
        if name in data:
            values[name] = _int_field(name, data[name], errors)

    for name in _DECIMAL_FIELDS:
        if name not in data:
            continue
        raw = data[name]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        if isinstance(raw, bool):
            errors.append(f"{name}: expected a number, got {raw!r}")
            continue
        try:
            number = to_decimal(str(raw).strip().replace(",", "").lstrip("$"))
        except ValueError:
            errors.append(f"{name}: {raw!r} is not a number")
            continue
        if not number.is_finite():
            errors.append(f"{name}: {raw!r} is not a number")
            continue
        values[name] = number

    for name in _CHOICES:
        if name not in data or data[name] is None:
            continue
        raw = str(data[name]).strip().lower()
        if not raw:
            continue  # blank: the default
        if name == "classification_risk":
            raw = _RISK_ALIASES.get(raw, raw)
        elif name == "vehicle":
            raw = _VEHICLE_ALIASES.get(raw, raw)
        values[name] = raw

    if "executive" in data:
        raw = data["executive"]
        if isinstance(raw, bool):
            values["executive"] = raw
        elif str(raw).strip().lower() in _YES:
            values["executive"] = True
        elif raw is None or str(raw).strip().lower() in _NO:
            values["executive"] = False
        else:
            errors.append(f"executive: {raw!r} is not yes or no")

    for name in ("state", "currency", "preference"):
        if name in data and data[name] is not None and str(data[name]).strip():
            text = str(data[name]).strip()
            values[name] = text.upper() if name in ("state", "currency") else text.lower()

    # Range checks on what did parse, so every problem is reported in one go.
    failed = {e.split(":", 1)[0] for e in errors}
    candidate = AdvisorInputs(**{"duration_months": None, **values})
    errors.extend(e for e in validation_errors(candidate) if e.split(":", 1)[0] not in failed)
    if errors:
        raise AdvisorInputError(errors)
    return candidate


def _range(errors: list[str], name: str, value: Decimal | int | None, low: Any, high: Any, why: str) -> None:
    if value is not None and not low <= value <= high:
        errors.append(f"{name}: {value} is out of range ({why})")


def validation_errors(i: AdvisorInputs) -> list[str]:
    """Every problem with the inputs, as messages that name the input and what is allowed."""
    errors: list[str] = []
    if i.duration_months is not None and not 1 <= i.duration_months <= MAX_MONTHS:
        errors.append(
            f"duration_months: {i.duration_months} is out of range (1 to {MAX_MONTHS} months; "
            "use 'permanent' for an open-ended need)"
        )
    _range(errors, "horizon_months", i.horizon_months, 1, MAX_MONTHS, f"1 to {MAX_MONTHS} months")
    for name, choices in _CHOICES.items():
        value = getattr(i, name)
        if value not in choices:
            errors.append(f"{name}: {value!r} is not one of {', '.join(choices)}")
    if not isinstance(i.executive, bool):
        errors.append(f"executive: {i.executive!r} is not yes or no")
    for name, ceiling in MONEY_CEILINGS.items():
        value = getattr(i, name)
        if value is not None and value < 0 and name != "budget":
            errors.append(f"{name}: must not be negative (got {value})")
        elif value is not None and value > ceiling:
            errors.append(f"{name}: {value} is implausibly large (at most {ceiling:,})")
    if i.pay is not None and i.pay == 0:
        errors.append("pay: must be greater than zero (leave it out if unknown)")
    if i.salary is not None and i.salary == 0:
        errors.append("salary: must be greater than zero (leave it out if unknown)")
    if i.budget is not None and i.budget <= 0:
        errors.append(f"budget: must be greater than zero (got {i.budget})")
    if not Decimal(0) < i.hours_per_week <= 80:
        errors.append(f"hours_per_week: {i.hours_per_week} is out of range (more than 0, at most 80)")
    for name in ("contingency_percent", "retained_percent", "conversion_percent"):
        _range(errors, name, getattr(i, name), 0, 100, "0 to 100 percent")
    if i.conversion_months is not None:
        horizon = horizon_for(i.duration_months, i.horizon_months if _ok_horizon(i) else None)
        if not 1 <= i.conversion_months <= 60:
            errors.append(f"conversion_months: {i.conversion_months} is out of range (1 to 60 months)")
        elif i.conversion_months > horizon:
            errors.append(
                f"conversion_months: {i.conversion_months} is beyond the {horizon}-month horizon "
                "(convert within the horizon or lengthen it)"
            )
    if i.state is not None:
        try:
            burden.normalize_state(i.state)
        except burden.UnknownState as exc:
            errors.append(f"state: {exc}")
    if i.year is not None and i.year not in burden.available_years():
        errors.append(
            f"year: no burden tables for {i.year} (available years: "
            + ", ".join(str(y) for y in burden.available_years())
            + ")"
        )
    if i.currency not in CURRENCIES:
        errors.append(f"currency: {i.currency!r} is not one of {', '.join(CURRENCIES)}")
    elif i.state is not None and i.currency != "USD":
        errors.append(f"currency: US employer burden (state {i.state}) is computed in USD, not {i.currency}")
    if i.preference is not None and i.preference not in PREFERENCES:
        errors.append(f"preference: {i.preference!r} is not one of {', '.join(PREFERENCES)}")
    return errors


def _ok_horizon(i: AdvisorInputs) -> bool:
    return i.horizon_months is None or 1 <= i.horizon_months <= MAX_MONTHS


def validate(inputs: AdvisorInputs) -> None:
    errors = validation_errors(inputs)
    if errors:
        raise AdvisorInputError(errors)


def horizon_for(duration_months: int | None, horizon_months: int | None = None) -> int:
    """The comparison horizon: as given, else 24 months for a permanent need, else the duration but at
    least 12 months (so a short contract is compared with a year of a permanent hire)."""
    if horizon_months is not None:
        return horizon_months
    if duration_months is None:
        return PERMANENT_HORIZON_MONTHS
    return max(duration_months, MIN_HORIZON_MONTHS)


def duration_band(duration_months: int | None) -> str:
    if duration_months is None:
        return "permanent"
    if duration_months <= SHORT_MONTHS:
        return f"{SHORT_MONTHS} months or less"
    if duration_months <= CONTRACT_MAX_MONTHS:
        return f"{SHORT_MONTHS + 1}-{CONTRACT_MAX_MONTHS} months"
    if duration_months <= LONG_TERM_MAX_MONTHS:
        return f"{CONTRACT_MAX_MONTHS + 1}-{LONG_TERM_MAX_MONTHS} months"
    return f"over {LONG_TERM_MAX_MONTHS} months"


# ---------------------------------------------------------------------------------------------------------
# Output


@dataclass(frozen=True)
class Reason:
    """One rule that fired for one option: the input that drove it, its value, the points, and why."""

    input: str
    value: str
    points: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"input": self.input, "value": self.value, "points": self.points, "text": self.text}


@dataclass(frozen=True)
class Tradeoff:
    dimension: str
    label: str
    rating: int | None  # 1 (worst for the client) to 5 (best); None when it could not be assessed
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "label": self.label, "rating": self.rating, "text": self.text}


@dataclass(frozen=True)
class CostLine:
    label: str
    amount: Decimal
    formula: str

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "amount": economics.money(self.amount), "formula": self.formula}


@dataclass(frozen=True)
class CostEstimate:
    """What the client pays for the role over the horizon under one model."""

    model: str
    currency: str
    horizon_months: int
    months_staffed: Decimal  # months within the horizon that someone is in the role
    total: Decimal
    lines: tuple[CostLine, ...]
    notes: tuple[str, ...] = ()

    @property
    def per_month_staffed(self) -> Decimal | None:
        return self.total / self.months_staffed if self.months_staffed else None

    def as_dict(self) -> dict[str, Any]:
        per_month = self.per_month_staffed
        return {
            "model": self.model,
            "currency": self.currency,
            "horizon_months": self.horizon_months,
            "months_staffed": _plain(self.months_staffed),
            "total": economics.money(self.total),
            "per_month_staffed": economics.money(per_month) if per_month is not None else None,
            "lines": [line.as_dict() for line in self.lines],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class OptionAdvice:
    model: str
    rank: int
    score: int
    reasons: tuple[Reason, ...]
    tradeoffs: tuple[Tradeoff, ...]
    time_to_start_days: tuple[int, int]
    time_to_start_note: str
    cost: CostEstimate | None
    cost_missing: str | None  # why there is no cost (an input is missing)
    over_budget_by: Decimal | None
    warnings: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return LABELS[self.model]

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "label": self.label,
            "rank": self.rank,
            "score": self.score,
            "reasons": [r.as_dict() for r in self.reasons],
            "tradeoffs": [t.as_dict() for t in self.tradeoffs],
            "time_to_start_days": {
                "min": self.time_to_start_days[0],
                "max": self.time_to_start_days[1],
                "note": self.time_to_start_note,
            },
            "cost": self.cost.as_dict() if self.cost else None,
            "cost_missing": self.cost_missing,
            "over_budget_by": economics.money(self.over_budget_by)
            if self.over_budget_by is not None
            else None,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class Change:
    """One input change that flips the recommendation (found by re-running the rules)."""

    input: str
    current: str
    alternative: str
    recommended: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "current": self.current,
            "alternative": self.alternative,
            "recommended": self.recommended,
            "recommended_label": LABELS[self.recommended],
            "text": self.text,
        }


@dataclass(frozen=True)
class VehicleAdvice:
    """How a contractor should be engaged for the contract-based options."""

    recommended: str
    requested: str
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return VEHICLE_LABELS[self.recommended]

    def as_dict(self) -> dict[str, Any]:
        return {
            "recommended": self.recommended,
            "label": self.label,
            "requested": self.requested,
            "steered": self.recommended != self.requested,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Advice:
    version: str
    inputs_digest: str
    inputs: AdvisorInputs
    horizon_months: int
    recommended: str
    summary: str
    options: tuple[OptionAdvice, ...]  # ranked, best first
    vehicle: VehicleAdvice
    warnings: tuple[str, ...]
    changes: tuple[Change, ...]
    notes: tuple[str, ...]
    contract_economics: economics.ContractEconomics | None
    rates: BurdenRates | None
    close_call: bool = False
    economics_version: str = economics.ECONOMICS_VERSION
    fees_version: str = field(default_factory=lambda: fees.FEES_VERSION)

    @property
    def recommended_label(self) -> str:
        return LABELS[self.recommended]

    def option(self, model: str) -> OptionAdvice:
        for o in self.options:
            if o.model == model:
                return o
        raise KeyError(model)

    @property
    def ranking(self) -> list[str]:
        return [o.model for o in self.options]

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "inputs_digest": self.inputs_digest,
            "inputs": self.inputs.as_dict(),
            "horizon_months": self.horizon_months,
            "duration_band": duration_band(self.inputs.duration_months),
            "recommended": self.recommended,
            "recommended_label": self.recommended_label,
            "summary": self.summary,
            "close_call": self.close_call,
            "options": [o.as_dict() for o in self.options],
            "vehicle": self.vehicle.as_dict(),
            "warnings": list(self.warnings),
            "what_would_change": [c.as_dict() for c in self.changes],
            "notes": list(self.notes),
            "contract_economics": self.contract_economics.to_dict() if self.contract_economics else None,
            "burden_rates": self.rates.as_dict() if self.rates else None,
            "versions": {
                "advisor": self.version,
                "economics": self.economics_version,
                "fees": self.fees_version,
            },
        }


# ---------------------------------------------------------------------------------------------------------
# The rules


def _months(n: int) -> str:
    return f"{n} month{'s' if n != 1 else ''}"


def _duration_text(d: int | None) -> str:
    return "permanent" if d is None else _months(d)


def money_text(amount: Decimal, currency: str) -> str:
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if currency == "USD":
        return f"-${-rounded:,.2f}" if rounded < 0 else f"${rounded:,.2f}"
    return f"{rounded:,.2f} {currency}"


Rule = tuple[str, Reason]


def _rules(i: AdvisorInputs) -> list[Rule]:
    """Every rule that fires, in a fixed order: (option, reason)."""
    out: list[Rule] = []
    d = i.duration_months
    dur = _duration_text(d)
    durc = dur.capitalize()
    dura = "permanent" if d is None else f"{d}-month"  # as an adjective: "a 6-month need"
    non_w2 = i.vehicle in ("1099", "c2c")
    vehicle = VEHICLE_LABELS[i.vehicle]

    def add(model: str, input_name: str, value: str, points: int, text: str) -> None:
        out.append((model, Reason(input_name, value, points, text)))

    # fmt: off
    # -- executive search ------------------------------------------------------------------------------
    timeboxed = d is not None and d <= CONTRACT_MAX_MONTHS
    if i.executive:
        add(RETAINED, "executive", "yes", 6,
            "An executive search: a retained firm runs a dedicated, exclusive search with a researched "
            "shortlist and assessment — the usual model for C-level and head-of roles.")
        add(CONTINGENCY_EXEC, "executive", "yes", 3,
            "An executive search can run on contingency (the fee is paid only on a hire), but without "
            "exclusivity firms give it less dedicated effort.")
        add(DIRECT_HIRE, "executive", "yes", -4,
            "For an executive, an ordinary direct-hire search rarely reaches passive leaders; the "
            "executive search options cover the permanent hire.")
        if timeboxed:
            add(CONTRACT, "executive", "yes", 2,
                f"An executive needed for {dur} is an interim executive, usually engaged on contract.")
            for model in EXECUTIVE_MODELS:
                add(model, "duration_months", dur, -3,
                    f"A search for a permanent executive does not fit a need of {dur}.")
        else:
            for model in (CONTRACT, LONG_TERM, CONTRACT_TO_HIRE):
                add(model, "executive", "yes", -5,
                    f"Executives are rarely engaged on a {LABELS[model].lower()}: candidates for a "
                    "permanent leadership seat seldom accept a trial period, and the role needs authority "
                    "from day one.")
    else:
        for model in EXECUTIVE_MODELS:
            add(model, "executive", "no", -8,
                "Not an executive search: executive search is priced and run for leadership roles.")

    # -- duration ----------------------------------------------------------------------------------------
    if d is None:
        add(DIRECT_HIRE, "duration_months", dur, 5,
            "A permanent need: a direct hire puts the person on the client's payroll with no contract "
            "to renew and no markup to pay.")
        add(CONTRACT_TO_HIRE, "duration_months", dur, 3,
            "A permanent need the client can try first: contract-to-hire converts after a trial period.")
        add(LONG_TERM, "duration_months", dur, -1,
            "A permanent need on a rolling contract pays the agency's markup indefinitely and invites "
            "co-employment questions.")
        add(CONTRACT, "duration_months", dur, -4, "A contract ends; this need does not.")
        if i.executive:
            for model in EXECUTIVE_MODELS:
                add(model, "duration_months", dur, 2, "A permanent leadership seat.")
    elif d <= SHORT_MONTHS:
        add(CONTRACT, "duration_months", dur, 6,
            f"A need of {dur} is a short project: a contract covers it with no hiring process, notice "
            "period or severance.")
        add(LONG_TERM, "duration_months", dur, -3, f"{durc} is too short for a long-term contract.")
        add(CONTRACT_TO_HIRE, "duration_months", dur, -2,
            f"{durc} is too short to judge a conversion, and the need ends anyway.")
        add(DIRECT_HIRE, "duration_months", dur, -5,
            f"A permanent hire for a {dura} need leaves a salaried seat with no work when it ends.")
    elif d <= CONTRACT_MAX_MONTHS:
        add(CONTRACT, "duration_months", dur, 5,
            f"A time-boxed need of {dur} (at most {CONTRACT_MAX_MONTHS}): a contract matches it and ends "
            "with it.")
        add(LONG_TERM, "duration_months", dur, -1,
            f"{durc} does not need a long-term contract (over {CONTRACT_MAX_MONTHS} months).")
        if d >= 6:
            add(CONTRACT_TO_HIRE, "duration_months", dur, 1,
                f"{durc} is long enough to judge a conversion, should the work continue.")
        add(DIRECT_HIRE, "duration_months", dur, -4,
            f"A permanent hire for a {dura} need leaves a salaried seat with no work when it ends.")
    elif d <= LONG_TERM_MAX_MONTHS:
        add(LONG_TERM, "duration_months", dur, 5,
            f"A {dura} engagement ({CONTRACT_MAX_MONTHS + 1}-{LONG_TERM_MAX_MONTHS} months): a long-term "
            "contract fixes the terms, rate reviews and end date for the whole period.")
        add(CONTRACT, "duration_months", dur, -1,
            f"Over {CONTRACT_MAX_MONTHS} months a standard contract needs renewals and re-evaluations "
            "(classification, co-employment).")
        add(CONTRACT_TO_HIRE, "duration_months", dur, 2,
            f"At {dur} the work may well become permanent: contract-to-hire keeps that option open.")
        add(DIRECT_HIRE, "duration_months", dur, 1, f"A need of {dur} is close to permanent.")
    else:
        add(DIRECT_HIRE, "duration_months", dur, 4,
            f"{durc} is permanent in all but name: a direct hire avoids paying the agency's markup for "
            "years.")
        add(CONTRACT_TO_HIRE, "duration_months", dur, 3,
            f"A need of {dur}: try the person on contract, then convert.")
        add(LONG_TERM, "duration_months", dur, 1,
            "A multi-year contract is possible, but co-employment and classification scrutiny grow with "
            "tenure.")
        add(CONTRACT, "duration_months", dur, -3,
            f"A standard contract (up to {CONTRACT_MAX_MONTHS} months) would be renewed again and again "
            f"for a {dura} need.")

    # -- criticality -------------------------------------------------------------------------------------
    if i.criticality == "production_sla":
        v = "production_sla"
        add(DIRECT_HIRE, "criticality", v, 3,
            "Owns a production or model-performance SLA: on-call ownership and knowledge of the system "
            "should stay with the client.")
        add(CONTRACT_TO_HIRE, "criticality", v, 2,
            "An SLA-bearing role: contract-to-hire confirms the person before they own the SLA for good.")
        add(LONG_TERM, "criticality", v, 1, "An SLA needs continuity; a long-term contract keeps the person.")
        add(CONTRACT, "criticality", v, -1,
            "The SLA outlives a short contract: budget a handover, runbooks and a successor.")
    elif i.criticality == "low":
        add(CONTRACT, "criticality", "low", 1, "Low criticality: a contractor can be replaced without risk.")
        add(DIRECT_HIRE, "criticality", "low", -1, "Low criticality does not call for a permanent headcount.")

    # -- regulatory exposure ----------------------------------------------------------------------------
    if i.regulatory == "high":
        add(DIRECT_HIRE, "regulatory", "high", 2,
            "High regulatory exposure: an employee under the client's own policies, training and "
            "accountability is the easiest to evidence to a regulator or auditor.")
        add(CONTRACT_TO_HIRE, "regulatory", "high", 1,
            "High regulatory exposure: the person ends up under the client's own controls.")
        for model in CONTRACT_MODELS:
            add(model, "regulatory", "high", -1,
                "High regulatory exposure: the client's controls (access, training, audit rights) must be "
                "flowed down to a contractor by contract.")
        if i.executive:
            add(RETAINED, "regulatory", "high", 1,
                "Regulated: a retained search includes deeper assessment and referencing.")
    elif i.regulatory == "medium":
        add(DIRECT_HIRE, "regulatory", "medium", 1,
            "Medium regulatory exposure favours someone under the client's own policies.")

    # -- IP sensitivity -----------------------------------------------------------------------------------
    if i.ip_sensitivity == "high":
        add(DIRECT_HIRE, "ip_sensitivity", "high", 2,
            "High IP sensitivity: an employee's work made for hire belongs to the employer; a "
            "contractor's IP passes only by a signed assignment.")
        add(CONTRACT_TO_HIRE, "ip_sensitivity", "high", 1,
            "High IP sensitivity: after conversion the person's work belongs to the client as employer.")
        for model in CONTRACT_MODELS:
            add(model, "ip_sensitivity", "high", -1,
                "High IP sensitivity: a signed IP assignment and NDA must be in place before day one.")
            if non_w2:
                add(model, "vehicle", i.vehicle, -1,
                    f"High IP sensitivity with a {vehicle}: the assignment runs through the worker's own "
                    "contract (or entity), harder to enforce than with the agency's W-2 employee.")
    elif i.ip_sensitivity == "medium":
        add(DIRECT_HIRE, "ip_sensitivity", "medium", 1,
            "Medium IP sensitivity: employment keeps the work product with the client by default.")

    # -- classification risk (of engaging as a non-employee) ------------------------------------------------
    risk = i.classification_risk
    if non_w2 and risk == "high":
        for model, points in ((CONTRACT, -2), (LONG_TERM, -3), (CONTRACT_TO_HIRE, -1)):
            add(model, "classification_risk", "high", points,
                f"Classification risk is high and the plan is {vehicle}: on these facts the worker is "
                "likely an employee; engage W-2 through the agency instead.")
    elif non_w2 and risk in ("medium", "unknown"):
        text = (
            "Classification risk is medium: the tests disagree, and the misclassification risk would sit "
            "with the agency or the client."
            if risk == "medium"
            else f"Classification risk is unknown: run the classification questionnaire before engaging "
            f"as {vehicle}."
        )
        for model, points in ((CONTRACT, -1), (LONG_TERM, -2)):
            add(model, "classification_risk", risk, points, text)
    elif risk == "high":
        add(LONG_TERM, "classification_risk", "high", -1,
            "High classification risk over a long engagement: joint-employer and co-employment questions "
            "grow with tenure even on W-2.")
    if risk in ("high", "medium"):
        add(DIRECT_HIRE, "classification_risk", risk, 1,
            "No classification question: the client employs the person directly.")

    # -- urgency --------------------------------------------------------------------------------------------
    if i.urgency == "high":
        add(CONTRACT, "urgency", "high", 2, "Urgent: contractors can start in one to three weeks.")
        add(LONG_TERM, "urgency", "high", 1, "Urgent: a contract start takes two to four weeks.")
        add(CONTRACT_TO_HIRE, "urgency", "high", 1, "Urgent: contract-to-hire starts as a contract.")
        add(DIRECT_HIRE, "urgency", "high", -1,
            "Urgent: a direct hire typically takes 30-60 days plus the candidate's notice period.")
        if i.executive:
            add(RETAINED, "urgency", "high", -1,
                "Urgent: retained executive searches typically take 60-120 days.")
            add(CONTINGENCY_EXEC, "urgency", "high", 1,
                "Urgent: contingency firms can present candidates already in their networks sooner.")
    elif i.urgency == "low":
        add(DIRECT_HIRE, "urgency", "low", 1, "No rush: time for a full search for a permanent hire.")
        if i.executive:
            add(RETAINED, "urgency", "low", 1, "No rush: time for a thorough retained search.")

    # -- the requisition's own engagement type -----------------------------------------------------------
    if i.preference is not None:
        wanted = PREFERENCES[i.preference]
        add(wanted, "preference", i.preference, 1,
            f"The requisition asks for {LABELS[wanted].lower()} (the client's stated preference).")
    # fmt: on
    return out


# ---------------------------------------------------------------------------------------------------------
# Costs over the horizon


def _weeks(months: Decimal | int) -> Decimal:
    """Weeks in a number of months (52 weeks a year: 6 months = 26 weeks)."""
    return Decimal(months) * 52 / 12


def _start(year: int) -> date:
    return date(year, 1, 1)


@dataclass(frozen=True)
class _Context:
    inputs: AdvisorInputs
    horizon: int
    rates: BurdenRates | None
    year: int


def _staffed_months(i: AdvisorInputs, horizon: int) -> int:
    """Months a contractor is engaged within the horizon: the need's duration, or all of it if permanent."""
    return horizon if i.duration_months is None else min(i.duration_months, horizon)


def _contract_cost(ctx: _Context, model: str) -> CostEstimate | str:
    i = ctx.inputs
    if i.bill is None:
        return "no bill rate: enter one to cost the contract options"
    months = _staffed_months(i, ctx.horizon)
    hours = i.hours_per_week * _weeks(months)
    total = i.bill * hours
    notes: list[str] = []
    if i.duration_months is not None and i.duration_months > ctx.horizon:
        notes.append(
            f"Only the first {_months(ctx.horizon)} of the {_months(i.duration_months)} are counted."
        )
    elif i.duration_months is not None and months < ctx.horizon:
        notes.append(
            f"The contract ends after {_months(months)}; nothing is paid for the rest of the horizon."
        )
    if model == LONG_TERM:
        notes.append("Long-term contracts often earn a lower bill rate for the commitment (not modelled).")
    line = CostLine(
        "Bill rate × hours",
        total,
        f"{_plain(i.bill)} × {_plain(i.hours_per_week)} h/week × {_plain(_weeks(months))} weeks "
        f"({_months(months)})",
    )
    return CostEstimate(model, i.currency, ctx.horizon, Decimal(months), total, (line,), tuple(notes))


def _employment_cost(
    ctx: _Context, annual_cash: Decimal, months: Decimal, start_year: int | None = None
) -> tuple[Decimal, Decimal, str, list[str]]:
    """Salary (cash) and employer burden for `months` of employment: (wages, burden, burden formula, notes).

    The burden comes from economics.contract_economics over the same weeks at the salary's hourly
    equivalent, so the wage-base caps restart each calendar year exactly as for a W-2 contractor."""
    i = ctx.inputs
    wages = annual_cash * months / 12
    if months <= 0:
        return Decimal(0), Decimal(0), "", []
    if ctx.rates is None:
        return wages, Decimal(0), "", ["No work state: employer burden (FICA, FUTA, SUTA...) is left out."]
    hourly = annual_cash / (i.hours_per_week * 52)
    year = start_year or ctx.year
    result = economics.contract_economics(
        pay=hourly,
        bill=hourly,
        hours_per_week=i.hours_per_week,
        weeks=_weeks(months),
        rates=ctx.rates,
        vehicle="w2",
        currency=i.currency,
        start_date=_start(year),
    )
    parts = [f"{line.label} {economics.money(line.amount)}" for line in result.burden if line.amount]
    formula = (
        f"employer burden on {economics.money(result.engagement.pay)} of wages in {ctx.rates.state} "
        f"({', '.join(parts) or 'none'}); wage-base caps restart each 1 January"
    )
    return wages, result.engagement.burden, formula, []


def _annual_cash(i: AdvisorInputs) -> Decimal | None:
    if i.salary is None:
        return None
    return i.salary + (i.bonus or Decimal(0))


def _salary_lines(ctx: _Context, months: Decimal, label: str) -> tuple[list[CostLine], list[str]]:
    i = ctx.inputs
    cash = _annual_cash(i)
    assert cash is not None
    wages, burden_amount, formula, notes = _employment_cost(ctx, cash, months)
    cash_text = _plain(i.salary) if i.salary is not None else "0"
    if i.bonus:
        cash_text = f"({_plain(i.salary or Decimal(0))} + bonus {_plain(i.bonus)})"
    lines = [CostLine(label, wages, f"{cash_text} / 12 × {_plain(months)} months")]
    if formula:
        lines.append(CostLine("Employer burden", burden_amount, formula))
    return lines, notes


def _permanent_cost(ctx: _Context, model: str) -> CostEstimate | str:
    i = ctx.inputs
    cash = _annual_cash(i)
    if cash is None or i.salary is None:
        return "no salary estimate: enter one to cost the permanent options"
    months = Decimal(ctx.horizon)
    lines: list[CostLine] = []
    notes: list[str] = []
    if model == RETAINED:
        quote = fees.retained_fee(first_year_cash=cash, percent=i.retained_percent, currency=i.currency)
        lines.append(CostLine("Retained fee, invoiced in thirds", quote.amount, quote.formula))
        notes.append(
            "The retainer is invoiced in thirds (engagement, shortlist, acceptance) and is not refundable."
        )
    else:
        quote = fees.contingency_fee(base_salary=i.salary, percent=i.contingency_percent, currency=i.currency)
        lines.append(CostLine("Contingency fee (on placement)", quote.amount, quote.formula))
    salary_lines, salary_notes = _salary_lines(ctx, months, "Salary" + (" and bonus" if i.bonus else ""))
    lines.extend(salary_lines)
    notes.extend(salary_notes)
    start = TIME_TO_START[model]
    notes.append(
        f"Counted from the start date; the search itself takes about {start[0]}-{start[1]} days before that."
    )
    total = sum((line.amount for line in lines), Decimal(0))
    return CostEstimate(model, i.currency, ctx.horizon, months, total, tuple(lines), tuple(notes))


def conversion_months_for(i: AdvisorInputs, horizon: int) -> int:
    return i.conversion_months if i.conversion_months is not None else min(DEFAULT_CONVERSION_MONTHS, horizon)


def _c2h_cost(ctx: _Context) -> CostEstimate | str:
    i = ctx.inputs
    missing = [name for name, v in (("bill rate", i.bill), ("salary estimate", i.salary)) if v is None]
    if missing:
        them = "them" if len(missing) > 1 else "it"
        return f"no {' or '.join(missing)}: enter {them} to cost contract-to-hire"
    assert i.bill is not None and i.salary is not None
    m = conversion_months_for(i, ctx.horizon)
    lines = [
        CostLine(
            f"Contract phase: bill rate × hours ({_months(m)})",
            i.bill * i.hours_per_week * _weeks(m),
            f"{_plain(i.bill)} × {_plain(i.hours_per_week)} h/week × {_plain(_weeks(m))} weeks",
        )
    ]
    quote = fees.conversion_fee(
        salary=i.salary,
        percent=i.conversion_percent,
        method="prorate",
        months_worked=Decimal(m),
        schedule_months=CONVERSION_SCHEDULE_MONTHS,
        currency=i.currency,
    )
    lines.append(CostLine(f"Conversion fee (pro-rated after {_months(m)})", quote.amount, quote.formula))
    notes: list[str] = []
    after = Decimal(ctx.horizon - m)
    if after > 0:
        salary_lines, salary_notes = _salary_lines(
            ctx, after, f"Salary after conversion ({_plain(after)} months)"
        )
        lines.extend(salary_lines)
        notes.extend(salary_notes)
    else:
        notes.append("The horizon ends at the conversion: no salary months are counted.")
    total = sum((line.amount for line in lines), Decimal(0))
    return CostEstimate(
        CONTRACT_TO_HIRE, i.currency, ctx.horizon, Decimal(ctx.horizon), total, tuple(lines), tuple(notes)
    )


def _costs(ctx: _Context) -> dict[str, CostEstimate | str]:
    return {
        CONTRACT: _contract_cost(ctx, CONTRACT),
        LONG_TERM: _contract_cost(ctx, LONG_TERM),
        CONTRACT_TO_HIRE: _c2h_cost(ctx),
        DIRECT_HIRE: _permanent_cost(ctx, DIRECT_HIRE),
        RETAINED: _permanent_cost(ctx, RETAINED),
        CONTINGENCY_EXEC: _permanent_cost(ctx, CONTINGENCY_EXEC),
    }


def budget_over_horizon(i: AdvisorInputs, horizon: int) -> Decimal | None:
    if i.budget is None:
        return None
    return i.budget if i.budget_basis == "horizon" else i.budget * horizon / 12


def _cost_rules(ctx: _Context, costs: Mapping[str, CostEstimate | str]) -> list[Rule]:
    i = ctx.inputs
    out: list[Rule] = []
    priced = {m: c for m, c in costs.items() if isinstance(c, CostEstimate)}
    if len(priced) >= 2:
        cheapest = min(priced.values(), key=lambda c: (c.total, MODELS.index(c.model)))
        out.append(
            (
                cheapest.model,
                Reason(
                    "rates",
                    money_text(cheapest.total, i.currency),
                    1,
                    f"The lowest cost of the options priced over the {ctx.horizon}-month horizon "
                    f"({money_text(cheapest.total, i.currency)}).",
                ),
            )
        )
    limit = budget_over_horizon(i, ctx.horizon)
    if limit is not None:
        value = money_text(i.budget or Decimal(0), i.currency) + (
            " a year" if i.budget_basis == "annual" else ""
        )
        for model, cost in priced.items():
            if cost.total > limit:
                out.append(
                    (
                        model,
                        Reason(
                            "budget",
                            value,
                            -BUDGET_PENALTY,
                            f"Over budget: {money_text(cost.total, i.currency)} against "
                            f"{money_text(limit, i.currency)} over {_months(ctx.horizon)} (by "
                            f"{money_text(cost.total - limit, i.currency)}).",
                        ),
                    )
                )
            else:
                out.append(
                    (
                        model,
                        Reason(
                            "budget",
                            value,
                            0,
                            f"Within the budget of {money_text(limit, i.currency)} over "
                            f"{_months(ctx.horizon)} ({money_text(limit - cost.total, i.currency)} "
                            "to spare).",
                        ),
                    )
                )
    return out


# ---------------------------------------------------------------------------------------------------------
# Trade-offs


def _tradeoffs(i: AdvisorInputs, model: str, cost_rating: int | None, cost_text: str) -> tuple[Tradeoff, ...]:
    lo, hi, _note = TIME_TO_START[model]
    speed = {CONTRACT: 5, LONG_TERM: 4, CONTRACT_TO_HIRE: 4, DIRECT_HIRE: 2, RETAINED: 1, CONTINGENCY_EXEC: 2}
    continuity = {
        CONTRACT: (2, "Knowledge leaves when the contract ends: budget a handover and documentation."),
        LONG_TERM: (
            3,
            "The person stays for the term; renewals and the end date still put knowledge at risk.",
        ),
        CONTRACT_TO_HIRE: (4, "The person stays on if converted; the trial protects against a poor fit."),
        DIRECT_HIRE: (5, "A permanent employee keeps the knowledge in the team."),
        RETAINED: (5, "A permanent leader; the search's assessment lowers the risk of an early exit."),
        CONTINGENCY_EXEC: (5, "A permanent leader, usually with a guarantee period if it does not work out."),
    }
    non_w2 = i.vehicle in ("1099", "c2c")
    vehicle = VEHICLE_LABELS[i.vehicle]
    if model in CONTRACT_MODELS:
        control = (
            (
                2,
                f"The client's IP and controls reach a {vehicle} only through the contract; get the IP "
                "assignment, NDA and access terms signed before day one.",
            )
            if non_w2
            else (
                3,
                "The agency's employee signs the client's IP assignment and NDA; regulatory controls are "
                "flowed down by contract.",
            )
        )
    elif model == CONTRACT_TO_HIRE:
        control = (4, "Contractual controls during the trial, then the client's own as employer.")
    else:
        control = (5, "An employee under the client's own IP, policies, training and accountability.")
    if model in PERMANENT_MODELS:
        classification = (5, "None: the client employs the person directly.")
    else:
        ratings = {"low": 3, "medium": 2, "high": 1, "unknown": 2}
        if non_w2:
            rating = ratings[i.classification_risk] - (
                1 if model == LONG_TERM and i.classification_risk != "high" else 0
            )
            classification = (
                max(rating, 1),
                f"As a {vehicle} with {i.classification_risk} classification risk, the misclassification "
                "risk sits with the agency and the client; longer engagements draw more scrutiny.",
            )
        else:
            rating = 4 if model != LONG_TERM else 3
            classification = (
                rating,
                "W-2 through the agency: the agency is employer of record; joint-employer and co-employment "
                "questions remain" + (" and grow with tenure." if model == LONG_TERM else "."),
            )
    flexibility = {
        CONTRACT: (5, "End or extend at short notice."),
        LONG_TERM: (4, "Fixed for the term; early exits follow the contract's notice terms."),
        CONTRACT_TO_HIRE: (
            4,
            "Convert or part ways at the end of the trial; the conversion fee falls over time.",
        ),
        DIRECT_HIRE: (2, "A permanent headcount: exits cost notice, severance and a new search."),
        RETAINED: (1, "The retainer is committed up front and is not refundable."),
        CONTINGENCY_EXEC: (3, "The fee is paid only on a hire, and a guarantee period covers an early exit."),
    }
    return (
        Tradeoff("speed", "Speed to start", speed[model], f"Typically {lo}-{hi} days to start."),
        Tradeoff("cost", "Cost over the horizon", cost_rating, cost_text),
        Tradeoff("continuity", "Continuity and knowledge retention", *continuity[model]),
        Tradeoff("control", "IP and regulatory control", *control),
        Tradeoff("classification", "Classification exposure", *classification),
        Tradeoff("flexibility", "Flexibility", *flexibility[model]),
    )


def _cost_ratings(costs: Mapping[str, CostEstimate | str]) -> dict[str, tuple[int | None, str]]:
    priced = {m: c for m, c in costs.items() if isinstance(c, CostEstimate)}
    out: dict[str, tuple[int | None, str]] = {}
    if priced:
        low = min(c.total for c in priced.values())
        high = max(c.total for c in priced.values())
    for model, cost in costs.items():
        if not isinstance(cost, CostEstimate):
            out[model] = (None, f"Not computed: {cost}.")
            continue
        spread = high - low
        position = (cost.total - low) / spread if spread else Decimal(0)
        rating = 5 - int((position * 4).to_integral_value(rounding=ROUND_HALF_UP))
        text = f"{money_text(cost.total, cost.currency)} over {_months(cost.horizon_months)}"
        if cost.total == low and len(priced) > 1:
            text += " (the lowest)"
        elif cost.total > low:
            text += f" ({money_text(cost.total - low, cost.currency)} more than the lowest)"
        out[model] = (rating, text + ".")
    return out


# ---------------------------------------------------------------------------------------------------------
# Putting it together


def _vehicle_advice(i: AdvisorInputs) -> VehicleAdvice:
    risk = i.classification_risk
    if risk in ("high", "medium"):
        reasons = [
            f"Classification risk is {risk}: engage contractors as W-2 employees of the agency, which "
            "becomes employer of record (withholding, payroll taxes, workers' compensation and "
            "unemployment insurance)."
        ]
        if i.vehicle != "w2":
            reasons.append(
                f"Not as a {VEHICLE_LABELS[i.vehicle]}: on these facts the worker would likely be found an "
                "employee."
            )
        return VehicleAdvice("w2", i.vehicle, tuple(reasons))
    if risk == "unknown":
        if i.vehicle == "w2":
            return VehicleAdvice(
                "w2", "w2", ("W-2 through the agency carries no misclassification risk for the client.",)
            )
        return VehicleAdvice(
            "w2",
            i.vehicle,
            (
                "Classification risk is unknown: use W-2 through the agency until the classification "
                f"questionnaire supports {VEHICLE_LABELS[i.vehicle]}.",
            ),
        )
    reasons = ["Classification risk is low: every test applied leans toward contractor."]
    if i.vehicle != "w2":
        reasons.append(
            f"{VEHICLE_LABELS[i.vehicle].capitalize()} is consistent with the analysis; keep the facts as "
            "entered and re-evaluate at the triggers (e.g. past 12 months)."
        )
    return VehicleAdvice(i.vehicle, i.vehicle, tuple(reasons))


def _rank(scores: Mapping[str, int]) -> list[str]:
    return sorted(MODELS, key=lambda m: (-scores[m], MODELS.index(m)))


@dataclass(frozen=True)
class _Decision:
    ranking: list[str]
    scores: dict[str, int]
    reasons: dict[str, list[Reason]]
    costs: dict[str, CostEstimate | str]


def _decide(i: AdvisorInputs, rates: BurdenRates | None, year: int) -> _Decision:
    horizon = horizon_for(i.duration_months, i.horizon_months)
    ctx = _Context(i, horizon, rates, year)
    costs = _costs(ctx)
    reasons: dict[str, list[Reason]] = {m: [] for m in MODELS}
    for model, reason in (*_rules(i), *_cost_rules(ctx, costs)):
        reasons[model].append(reason)
    scores = {m: sum(r.points for r in reasons[m]) for m in MODELS}
    return _Decision(_rank(scores), scores, reasons, costs)


Alternative = tuple[str, str, str, dict[str, Any]]  # (input, current, alternative text, the change)


def _alternatives(i: AdvisorInputs) -> list[Alternative]:
    """Single-input changes to try: (input, current value, alternative as text, fields to replace)."""
    out: list[Alternative] = []
    d = i.duration_months
    band = duration_band(d)
    candidates: list[int | None] = [
        SHORT_MONTHS,
        CONTRACT_MAX_MONTHS,
        LONG_TERM_MAX_MONTHS,
        LONG_TERM_MAX_MONTHS + 1,
        None,
    ]
    if d is not None:
        # the nearest edge of each other band: 4 and 13 when coming from below
        candidates = [
            SHORT_MONTHS,
            SHORT_MONTHS + 1 if d <= SHORT_MONTHS else CONTRACT_MAX_MONTHS,
            CONTRACT_MAX_MONTHS + 1 if d <= CONTRACT_MAX_MONTHS else LONG_TERM_MAX_MONTHS,
            LONG_TERM_MAX_MONTHS + 1,
            None,
        ]
    seen = {band}
    for months in candidates:
        other = duration_band(months)
        if other in seen:
            continue
        seen.add(other)
        text = "permanent" if months is None else f"{other} (e.g. {_months(months)})"
        out.append(("duration_months", _duration_text(d), text, {"duration_months": months}))
    for name, choices in (
        ("criticality", CRITICALITY),
        ("regulatory", LEVELS),
        ("ip_sensitivity", LEVELS),
        ("classification_risk", CLASSIFICATION_RISKS),
        ("urgency", URGENCY),
        ("vehicle", VEHICLES),
    ):
        current = getattr(i, name)
        out.extend((name, current, value, {name: value}) for value in choices if value != current)
    flipped = "no" if i.executive else "yes"
    out.append(("executive", "yes" if i.executive else "no", flipped, {"executive": not i.executive}))
    if i.budget is not None:
        out.append(("budget", money_text(i.budget, i.currency), "no budget limit", {"budget": None}))
    if i.preference is not None:
        out.append(("preference", i.preference, "no stated preference", {"preference": None}))
    return out


def _changes(i: AdvisorInputs, rates: BurdenRates | None, year: int, recommended: str) -> list[Change]:
    changes: list[Change] = []
    for name, current, alternative, change in _alternatives(i):
        other = replace(i, **change)
        if name == "duration_months" and i.horizon_months is None:
            other = replace(other, horizon_months=None)
        if other.conversion_months is not None and other.conversion_months > horizon_for(
            other.duration_months, other.horizon_months
        ):
            other = replace(other, conversion_months=None)
        decision = _decide(other, rates, year)
        winner = decision.ranking[0]
        if winner == recommended:
            continue
        label = INPUT_LABELS.get(name, name)
        text = (
            f"If the {label} were {value_label(alternative)} (now {value_label(current)}): "
            f"{LABELS[winner].lower()}."
        )
        if name == "duration_months":
            text = f"If the need were {alternative} (now {current}): {LABELS[winner].lower()}."
        elif name == "executive":
            text = (
                f"If this were {'not ' if i.executive else ''}an executive search: {LABELS[winner].lower()}."
            )
        elif name == "budget":
            text = f"Without the budget limit (now {current}): {LABELS[winner].lower()}."
            cost = decision.costs.get(winner)
            if isinstance(cost, CostEstimate):
                needed = cost.total if i.budget_basis == "horizon" else cost.total * 12 / cost.horizon_months
                per = "" if i.budget_basis == "horizon" else " a year"
                text += f" It needs a budget of at least {money_text(needed, i.currency)}{per}."
        elif name == "preference":
            text = f"Without the requisition's stated preference ({current}): {LABELS[winner].lower()}."
        changes.append(Change(name, current, alternative, winner, text))
    return changes


def _digest(i: AdvisorInputs, rates: BurdenRates | None, year: int) -> str:
    canonical = json.dumps(
        {
            "inputs": i.as_dict(),
            "year": year,
            "rates": rates.as_dict() if rates else None,
            "versions": [ADVISOR_VERSION, economics.ECONOMICS_VERSION, fees.FEES_VERSION],
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def default_year() -> int:
    """The latest year with shipped burden tables (the advisor never reads the clock)."""
    return max(burden.available_years())


def advise(inputs: AdvisorInputs, *, rates: BurdenRates | None = None) -> Advice:
    """Recommend an engagement model for the inputs. `rates` overrides the shipped burden tables for
    `inputs.state` (e.g. the firm's BurdenSetting overrides, from burden_settings.rates_for); without it
    the shipped tables for `inputs.state` and `inputs.year` (default: the latest year) are used."""
    if not isinstance(inputs, AdvisorInputs):
        raise AdvisorInputError([f"expected AdvisorInputs, got {type(inputs).__name__}"])
    validate(inputs)
    i = inputs
    if i.state is not None and i.state != i.state.upper():
        i = replace(i, state=i.state.upper())
    year = i.year if i.year is not None else (rates.year if rates is not None else default_year())
    if rates is None and i.state is not None:
        rates = burden.load_rates(year, i.state)
    if rates is not None and i.state is not None and rates.state != i.state:
        raise AdvisorInputError([f"rates: the burden rates are for {rates.state}, the inputs for {i.state}"])
    horizon = horizon_for(i.duration_months, i.horizon_months)
    decision = _decide(i, rates, year)
    recommended = decision.ranking[0]
    ratings = _cost_ratings(decision.costs)
    limit = budget_over_horizon(i, horizon)

    options: list[OptionAdvice] = []
    for rank, model in enumerate(decision.ranking, start=1):
        cost = decision.costs[model]
        estimate = cost if isinstance(cost, CostEstimate) else None
        over = (
            estimate.total - limit
            if estimate is not None and limit is not None and estimate.total > limit
            else None
        )
        lo, hi, note = TIME_TO_START[model]
        option_warnings: list[str] = []
        if over is not None:
            option_warnings.append(f"Over budget by {money_text(over, i.currency)} over {_months(horizon)}.")
        reasons = sorted(decision.reasons[model], key=lambda r: -abs(r.points))
        options.append(
            OptionAdvice(
                model=model,
                rank=rank,
                score=decision.scores[model],
                reasons=tuple(reasons),
                tradeoffs=_tradeoffs(i, model, *ratings[model]),
                time_to_start_days=(lo, hi),
                time_to_start_note=note,
                cost=estimate,
                cost_missing=None if estimate is not None else str(cost),
                over_budget_by=over,
                warnings=tuple(option_warnings),
            )
        )

    vehicle = _vehicle_advice(i)
    warnings: list[str] = []
    top = options[0]
    if i.vehicle != "w2" and i.classification_risk in ("high", "medium", "unknown"):
        warnings.append(
            f"Classification risk is {i.classification_risk} for a {VEHICLE_LABELS[i.vehicle]}: engage the "
            "contractor as W-2 through the agency (the agency becomes employer of record)"
            + (
                " until the classification questionnaire supports otherwise."
                if i.classification_risk == "unknown"
                else "."
            )
        )
    if top.over_budget_by is not None:
        warnings.append(
            f"The recommended {top.label.lower()} is over budget by "
            f"{money_text(top.over_budget_by, i.currency)} over {_months(horizon)}."
        )
    priced = [o for o in options if o.cost is not None]
    if limit is not None and priced and all(o.over_budget_by is not None for o in priced):
        cheapest = min(priced, key=lambda o: o.cost.total if o.cost else Decimal(0))
        warnings.append(
            f"Every option priced is over the budget of {money_text(limit, i.currency)} over "
            f"{_months(horizon)}; the cheapest is {cheapest.label.lower()}."
        )
    if limit is not None and not priced:
        warnings.append(
            "A budget was given but no option could be priced: enter the rates and a salary estimate."
        )
    if (
        i.vehicle != "w2"
        and i.duration_months is not None
        and i.duration_months > CONTRACT_MAX_MONTHS
        and top.model in CONTRACT_MODELS
    ):
        warnings.append(
            f"A {VEHICLE_LABELS[i.vehicle]} engagement over {CONTRACT_MAX_MONTHS} months is a classification "
            "re-evaluation trigger."
        )

    contract = None
    notes: list[str] = []
    if i.pay is not None and i.bill is not None:
        months = _staffed_months(i, horizon)
        contract = economics.contract_economics(
            pay=i.pay,
            bill=i.bill,
            hours_per_week=i.hours_per_week,
            weeks=_weeks(months),
            rates=rates,
            vehicle=vehicle.recommended,
            currency=i.currency,
            start_date=_start(year),
        )
        warnings.extend(w.capitalize() + "." for w in contract.warnings if w)
    elif i.bill is not None:
        notes.append("No pay rate: the agency's margin on the contract is not shown.")
    if rates is None:
        notes.append(
            "No work state: employer burden is left out of the permanent options' cost and the margin."
        )
    notes.append(
        f"Costs are the client's over a {horizon}-month horizon"
        + (
            " (the default for a permanent need)."
            if i.horizon_months is None and i.duration_months is None
            else f" (the default: the duration, at least {MIN_HORIZON_MONTHS} months)."
            if i.horizon_months is None
            else "."
        )
    )

    second = options[1]
    close = top.score - second.score <= 1
    positives = [r for r in top.reasons if r.points > 0][:2]
    summary = " ".join([f"{top.label}.", *(r.text for r in positives)])
    if close:
        summary += f" A close call with {second.label.lower()} ({top.score} vs {second.score} points)."
    return Advice(
        version=ADVISOR_VERSION,
        inputs_digest=_digest(i, rates, year),
        inputs=i,
        horizon_months=horizon,
        recommended=recommended,
        summary=summary,
        options=tuple(options),
        vehicle=vehicle,
        warnings=tuple(dict.fromkeys(warnings)),
        changes=tuple(_changes(i, rates, year, recommended)),
        notes=tuple(notes),
        contract_economics=contract,
        rates=rates,
        close_call=close,
    )
