"""Employer burden rates for one state and calendar year, from the shipped tables. Pure: no Django.

The figures are data, not code: ``placements/data/burden_tables.json`` holds, per calendar year, the federal
FICA and FUTA figures, the FUTA credit-reduction states, and a default new-employer SUTA rate and taxable
wage base for every state and DC. Each figure carries its source and a ``verified`` flag; ``load_rates``
copies the sources into ``BurdenRates.sources`` and lists every unverified figure in ``BurdenRates.notes``
(and ``BurdenRates.unverified``) so a user always sees which inputs to check.

All rates are fractions of wages (0.062 = 6.2 %); wage bases are USD. The firm's own figures
(experience-rated SUTA, its workers' comp policy, benefits) are applied as ``overrides`` — see
``burden_settings.rates_for`` for the stored ones.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

TABLES_PATH = Path(__file__).with_name("data") / "burden_tables.json"

US_STATES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
}

# Figures a firm may set for itself (BurdenSetting rows, CLI/API options); everything else is statutory.
OVERRIDABLE = ("suta_rate", "suta_wage_base", "workers_comp_per_100", "benefits_rate")

# Figures shown as percents in notes (the others are dollar amounts).
PERCENT_FIGURES = frozenset(
    {
        "social_security_rate",
        "medicare_rate",
        "futa_rate",
        "futa_max_credit",
        "futa_credit_reduction",
        "suta_rate",
        "benefits_rate",
    }
)

# Plausibility ranges for the overridable figures (rates are fractions).
OVERRIDE_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    "suta_rate": (Decimal(0), Decimal("0.20")),
    "suta_wage_base": (Decimal(0), Decimal(1_000_000)),
    "workers_comp_per_100": (Decimal(0), Decimal(100)),
    "benefits_rate": (Decimal(0), Decimal(2)),
}


class InputError(ValueError):
    """Bad input to the economics or fee calculators; ``field`` names the input (for API 422s)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnknownState(InputError):
    """Not the two-letter code of a US state or DC."""

    def __init__(self, message: str, field: str | None = "state") -> None:
        super().__init__(message, field)


@dataclass(frozen=True)
class BurdenRates:
    """Employer burden inputs for one state and calendar year. Rates are fractions (0.062 = 6.2 %)."""

    year: int
    state: str
    social_security_rate: Decimal
    social_security_wage_base: Decimal
    medicare_rate: Decimal
    futa_rate: Decimal
    futa_max_credit: Decimal
    futa_credit_reduction: Decimal
    futa_wage_base: Decimal
    suta_rate: Decimal
    suta_wage_base: Decimal
    workers_comp_per_100: Decimal
    benefits_rate: Decimal
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    unverified: tuple[str, ...] = field(default=())  # names of figures not verified against a source

    @property
    def futa_effective_rate(self) -> Decimal:
        """FUTA after the state credit: 6.0 % − 5.4 % + the state's credit reduction."""
        return self.futa_rate - self.futa_max_credit + self.futa_credit_reduction

    @property
    def workers_comp_rate(self) -> Decimal:
        """Workers' compensation as a fraction of payroll (per-100 figure / 100)."""
        return self.workers_comp_per_100 / 100

    def for_year(self, year: int) -> BurdenRates:
        """These figures relabelled for another year (used when that year's tables are not shipped)."""
        note = f"No {year} tables: the {self.year} figures for {self.state} were applied to {year} wages."
        return replace(self, year=year, notes=(*self.notes, note))

    def as_dict(self) -> dict[str, Any]:
        figures = (
            "social_security_rate",
            "social_security_wage_base",
            "medicare_rate",
            "futa_rate",
            "futa_max_credit",
            "futa_credit_reduction",
            "futa_effective_rate",
            "futa_wage_base",
            "suta_rate",
            "suta_wage_base",
            "workers_comp_per_100",
            "benefits_rate",
        )
        return {
            "year": self.year,
            "state": self.state,
            **{name: plain(getattr(self, name)) for name in figures},
            "sources": list(self.sources),
            "notes": list(self.notes),
            "unverified": list(self.unverified),
        }


def plain(value: Decimal) -> str:
    """A Decimal without trailing zeros or exponent: 0.0150 → "0.015", 7000.00 → "7000"."""
    return f"{value.normalize():f}"


@lru_cache(maxsize=4)
def _tables(path: str = str(TABLES_PATH)) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def tables() -> dict[str, Any]:
    """The shipped tables (parsed JSON, cached). Treat as read-only."""
    return _tables()


def available_years() -> list[int]:
    return sorted(int(y) for y in tables()["years"])


def normalize_state(state: str) -> str:
    """'ca' / ' CA ' → 'CA'; UnknownState for anything that is not a US state or DC."""
    code = (state or "").strip().upper()
    if code not in US_STATES:
        raise UnknownState(
            f"unknown state {state!r}: give the two-letter code of a US state or DC (e.g. CA, NY, TX)"
        )
    return code


def _dec(value: object, what: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InputError(f"{what} is not a number: {value!r}", what) from exc


def load_rates(year: int, state: str, overrides: Mapping[str, Decimal | None] | None = None) -> BurdenRates:
    """The burden rates for ``state`` in calendar ``year``.

    ``overrides`` replaces shipped state defaults with the firm's figures: keys from ``OVERRIDABLE``
    (suta_rate, suta_wage_base, workers_comp_per_100, benefits_rate), in the same units as the fields
    (fractions; dollars per 100 for workers' comp). None values are ignored. Raises UnknownState for a
    code that is not a state/DC, ValueError naming the available years for a year with no table, and
    ValueError for an override that is unknown or out of range.
    """
    code = normalize_state(state)
    years = tables()["years"]
    block = years.get(str(year))
    if block is None:
        raise InputError(
            f"no burden tables for {year}: available years are "
            + ", ".join(str(y) for y in available_years()),
            "year",
        )
    sources: list[str] = []
    notes: list[str] = []
    unverified: list[str] = []

    def take(entry: Mapping[str, Any], name: str, label: str) -> Decimal:
        value = _dec(entry["value"], name)
        src = f"{label}: {entry['source']}"
        if src not in sources:
            sources.append(src)
        if not entry.get("verified", False):
            unverified.append(name)
            note = entry.get("note") or "not verified"
            shown = f"{plain(value * 100)}%" if name in PERCENT_FIGURES else plain(value)
            notes.append(f"Unverified {label} ({shown}): {note}.")
        return value

    fed = block["federal"]
    st = block["states"][code]
    labels = {
        "social_security_rate": "Social Security rate",
        "social_security_wage_base": f"Social Security wage base {year}",
        "medicare_rate": "Medicare rate",
        "futa_rate": "FUTA rate",
        "futa_max_credit": "FUTA maximum state credit",
        "futa_wage_base": "FUTA wage base",
        "futa_credit_reduction": f"{code} FUTA credit reduction {year}",
        "suta_rate": f"{code} SUTA rate {year}",
        "suta_wage_base": f"{code} SUTA wage base {year}",
        "workers_comp_per_100": "Workers' comp per $100 of payroll",
        "benefits_rate": "Benefits rate",
    }
    entries: dict[str, Mapping[str, Any]] = {
        **{k: fed[k] for k in ("social_security_rate", "social_security_wage_base", "medicare_rate")},
        **{k: fed[k] for k in ("futa_rate", "futa_max_credit", "futa_wage_base")},
        "suta_rate": st["suta_rate"],
        "suta_wage_base": st["suta_wage_base"],
        "workers_comp_per_100": block["workers_comp_per_100"],
        "benefits_rate": block["benefits_rate"],
    }
    reduction_entry = block.get("futa_credit_reduction", {}).get(code)
    if reduction_entry is not None:
        entries["futa_credit_reduction"] = reduction_entry
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    for key in given:
        if key not in OVERRIDABLE:
            raise InputError(f"cannot override {key!r}: only {', '.join(OVERRIDABLE)} can be set", key)

    values: dict[str, Decimal] = {}
    for key, entry in entries.items():
        if key in given:
            continue
        values[key] = take(entry, key, labels[key])
    if reduction_entry is None:
        values["futa_credit_reduction"] = Decimal(0)
        notes.append(f"{code} is not a FUTA credit-reduction state for {year} in the shipped tables.")

    for key, raw in given.items():
        value = _dec(raw, key)
        low, high = OVERRIDE_RANGES[key]
        if not low <= value <= high:
            raise InputError(f"{key} must be between {low} and {high} (got {value})", key)
        values[key] = value
        sources.append(f"{labels[key]}: firm setting ({value})")

    return BurdenRates(
        year=year,
        state=code,
        sources=tuple(sources),
        notes=tuple(notes),
        unverified=tuple(unverified),
        **values,
    )
