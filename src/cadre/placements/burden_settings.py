"""The firm's burden settings (BurdenSetting rows) and the rates they produce.

The shipped tables (placements/burden.py) give statutory federal figures and default state figures; a
firm's own experience-rated SUTA rate and wage base, its workers' compensation rate per 100 of payroll
and its benefits percent are saved here per state and year and applied as overrides by ``rates_for``.

Who may save: admins and recruiters (audited). Anyone logged in may read and use them.
Units: BurdenSetting stores ``suta_rate`` and ``benefits_percent`` in percent (3.4 = 3.4 %), as a user
types them; BurdenRates holds fractions — ``overrides_of`` converts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from cadre.core import audit
from cadre.core.exceptions import ValidationFailed
from cadre.core.models import AuditLog
from cadre.core.services import full_clean, require_editor, require_user
from cadre.placements.burden import (
    BurdenRates,
    InputError,
    UnknownState,
    available_years,
    load_rates,
    normalize_state,
)
from cadre.placements.economics import ContractEconomics, contract_economics
from cadre.placements.models import BurdenSetting

HUNDRED = Decimal(100)

# Field -> (low, high, decimal places, label); percents as the user types them.
FIELDS: dict[str, tuple[Decimal, Decimal, int, str]] = {
    "suta_rate": (Decimal(0), Decimal(20), 4, "SUTA rate (percent of wages)"),
    "suta_wage_base": (Decimal(0), Decimal(1_000_000), 2, "SUTA wage base"),
    "workers_comp_per_100": (Decimal(0), Decimal(100), 4, "Workers' comp per 100 of payroll"),
    "benefits_percent": (Decimal(0), Decimal(200), 4, "Benefits (percent of pay)"),
}


def _year(year: int) -> int:
    years = available_years()
    if year not in years:
        raise ValidationFailed(
            f"no burden tables for {year}: available years are {', '.join(str(y) for y in years)}",
            field="year",
        )
    return year


def _state(state: str) -> str:
    try:
        return normalize_state(state)
    except UnknownState as exc:
        raise ValidationFailed(str(exc), field="state") from exc


def overrides_of(setting: BurdenSetting | None) -> dict[str, Decimal | None]:
    """A setting row as ``load_rates`` overrides (fractions); empty when there is no row."""
    if setting is None:
        return {}
    return {
        "suta_rate": None if setting.suta_rate is None else Decimal(setting.suta_rate) / HUNDRED,
        "suta_wage_base": None if setting.suta_wage_base is None else Decimal(setting.suta_wage_base),
        "workers_comp_per_100": (
            None if setting.workers_comp_per_100 is None else Decimal(setting.workers_comp_per_100)
        ),
        "benefits_rate": (
            None if setting.benefits_percent is None else Decimal(setting.benefits_percent) / HUNDRED
        ),
    }


def rates_for(year: int, state: str, overrides: Mapping[str, Decimal | None] | None = None) -> BurdenRates:
    """The shipped rates for ``state`` in ``year`` with the firm's saved setting applied, then any
    ``overrides`` given by the caller (e.g. a command-line option) on top. Raises UnknownState /
    ValueError like ``burden.load_rates``."""
    code = normalize_state(state)
    setting = BurdenSetting.objects.filter(year=year, state=code).first()
    merged: dict[str, Decimal | None] = dict(overrides_of(setting))
    for key, value in (overrides or {}).items():
        if value is not None:
            merged[key] = value
    rates = load_rates(year, code, merged)
    if setting is not None and any(v is not None for v in overrides_of(setting).values()):
        note = f"The firm's {code} {year} burden settings are applied"
        note += f" ({setting.note})." if setting.note else "."
        rates = replace(rates, notes=(*rates.notes, note))
    return rates


def later_rates_for(
    state: str, first_year: int, last_year: int, overrides: Mapping[str, Decimal | None] | None = None
) -> dict[int, BurdenRates]:
    """Rates for each year after ``first_year`` up to ``last_year`` that has shipped tables (for an
    engagement crossing 1 January); years without tables are left to the economics fallback."""
    return {y: rates_for(y, state, overrides) for y in available_years() if first_year < y <= last_year}


# ------------------------------------------------------------------------------------------------ reads


@dataclass(frozen=True)
class SettingView:
    year: int
    state: str
    setting: BurdenSetting | None
    defaults: BurdenRates
    effective: BurdenRates

    def to_dict(self) -> dict[str, Any]:
        s = self.setting
        return {
            "year": self.year,
            "state": self.state,
            "setting": None
            if s is None
            else {
                "suta_rate": None if s.suta_rate is None else str(s.suta_rate),
                "suta_wage_base": None if s.suta_wage_base is None else str(s.suta_wage_base),
                "workers_comp_per_100": None
                if s.workers_comp_per_100 is None
                else str(s.workers_comp_per_100),
                "benefits_percent": None if s.benefits_percent is None else str(s.benefits_percent),
                "note": s.note,
                "updated_by": s.updated_by.username if s.updated_by else None,
                "updated_at": s.updated_at.isoformat() if s.updated_at else None,
            },
            "defaults": self.defaults.as_dict(),
            "effective": self.effective.as_dict(),
        }


def get_setting(user: Any, year: int, state: str) -> SettingView:
    """The saved setting (or None), the shipped defaults and the effective rates. Any logged-in user."""
    require_user(user)
    year, code = _year(year), _state(state)
    setting = BurdenSetting.objects.select_related("updated_by").filter(year=year, state=code).first()
    return SettingView(year, code, setting, load_rates(year, code), rates_for(year, code))


def list_settings(user: Any) -> list[BurdenSetting]:
    require_user(user)
    return list(BurdenSetting.objects.select_related("updated_by").order_by("-year", "state"))


# ----------------------------------------------------------------------------------------------- writes


def _clean_value(name: str, raw: object) -> Decimal | None:
    if raw is None or raw == "":
        return None
    low, high, places, label = FIELDS[name]
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(f"{label} must be a number, not {raw!r}", field=name) from exc
    if not value.is_finite():
        raise ValidationFailed(f"{label} must be a number, not {raw!r}", field=name)
    if not low <= value <= high:
        raise ValidationFailed(f"{label} must be between {low} and {high} (got {value})", field=name)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValidationFailed(f"{label} has more than {places} decimal places", field=name)
    return value


def save_setting(
    actor: Any,
    *,
    year: int,
    state: str,
    suta_rate: object = None,
    suta_wage_base: object = None,
    workers_comp_per_100: object = None,
    benefits_percent: object = None,
    note: str = "",
) -> BurdenSetting:
    """Create or replace the firm's setting for ``state`` in ``year`` (admins and recruiters; audited).

    Each figure is optional: None keeps the shipped default for it. ``suta_rate`` and
    ``benefits_percent`` are percents (3.4 = 3.4 %). Everything is validated before anything is written.
    """
    user = require_editor(actor)
    year, code = _year(year), _state(state)
    values = {
        "suta_rate": _clean_value("suta_rate", suta_rate),
        "suta_wage_base": _clean_value("suta_wage_base", suta_wage_base),
        "workers_comp_per_100": _clean_value("workers_comp_per_100", workers_comp_per_100),
        "benefits_percent": _clean_value("benefits_percent", benefits_percent),
    }
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationFailed("the note is longer than 300 characters", field="note")
    with transaction.atomic():
        setting = BurdenSetting.objects.select_for_update().filter(year=year, state=code).first()
        if setting is None:
            setting = BurdenSetting(year=year, state=code, note=note, updated_by=user, **values)
            full_clean(setting)
            setting.save(force_insert=True)
            setting.refresh_from_db()
            audit.record(AuditLog.Action.CREATE, setting, after=audit.snapshot(setting), actor=user)
            return setting
        before = audit.snapshot(setting)
        for key, value in values.items():
            setattr(setting, key, value)
        setting.note = note
        setting.updated_by = user
        full_clean(setting)
        setting.save()
        setting.refresh_from_db()
        audit.record(
            AuditLog.Action.UPDATE, setting, before=before, after=audit.snapshot(setting), actor=user
        )
    return setting


# ------------------------------------------------------------------------------------ economics, resolved


def _override(name: str, raw: object, field: str) -> Decimal | None:
    """A figure given for one calculation, checked against the same ranges as a saved setting."""
    if raw is None or raw == "":
        return None
    low, high, _places, label = FIELDS[name]
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise InputError(f"{label} must be a number, not {raw!r}", field) from exc
    if not value.is_finite() or not low <= value <= high:
        raise InputError(f"{label} must be between {low} and {high} (got {raw})", field)
    return value


def default_year(start_date: date | None = None, today: date | None = None) -> int:
    """The tables' year for an engagement: the start date's year (or today's), or the nearest shipped
    year before it (the latest one), or the first shipped year for earlier dates."""
    wanted = (start_date or today or date.today()).year
    years = available_years()
    earlier = [y for y in years if y <= wanted]
    return earlier[-1] if earlier else years[0]


def economics_with_settings(
    *,
    pay: Decimal,
    bill: Decimal,
    hours_per_week: Decimal,
    weeks: Decimal,
    state: str | None,
    year: int | None = None,
    vehicle: str = "w2",
    currency: str = "USD",
    start_date: date | None = None,
    prior_wages: Decimal = Decimal(0),
    overtime_hours_per_week: Decimal = Decimal(0),
    pay_overtime: Decimal | None = None,
    bill_overtime: Decimal | None = None,
    suta_rate_percent: Decimal | None = None,
    suta_wage_base: Decimal | None = None,
    workers_comp_per_100: Decimal | None = None,
    benefits_percent: Decimal | None = None,
    use_settings: bool = True,
) -> ContractEconomics:
    """``economics.contract_economics`` with the rates resolved: the tables for ``year`` (default: see
    ``default_year``) in ``state``, the firm's saved settings (unless ``use_settings`` is False), then the
    figures given here (percents in percent units), and each later calendar year's own tables when the
    engagement crosses 1 January. A W-2 engagement needs a state; 1099/C2C ones do not. Raises
    UnknownState / ValueError with a message fit to show."""
    vehicle_code = (vehicle or "").strip().lower()
    suta_pct = _override("suta_rate", suta_rate_percent, "suta_rate_percent")
    benefits_pct = _override("benefits_percent", benefits_percent, "benefits_percent")
    overrides: dict[str, Decimal | None] = {
        "suta_rate": None if suta_pct is None else suta_pct / HUNDRED,
        "suta_wage_base": _override("suta_wage_base", suta_wage_base, "suta_wage_base"),
        "workers_comp_per_100": _override(
            "workers_comp_per_100", workers_comp_per_100, "workers_comp_per_100"
        ),
        "benefits_rate": None if benefits_pct is None else benefits_pct / HUNDRED,
    }
    rates: BurdenRates | None = None
    later: dict[int, BurdenRates] = {}
    if state is None or not str(state).strip():
        if vehicle_code == "w2":
            raise UnknownState("a state is required for a W-2 engagement (its SUTA and FUTA figures)")
    else:
        code = normalize_state(state)
        tables_year = default_year(start_date) if year is None else year
        if year is not None and year not in available_years():
            raise InputError(
                f"no burden tables for {year}: available years are "
                + ", ".join(str(y) for y in available_years()),
                "year",
            )
        if vehicle_code == "w2":
            loader = rates_for if use_settings else load_rates
            rates = loader(tables_year, code, overrides)
            first = start_date.year if start_date else tables_year
            horizon = first + int(Decimal(weeks) // 52) + 1 if Decimal(weeks) > 0 else first
            later = {
                y: loader(y, code, overrides)
                for y in available_years()
                if max(first, tables_year) < y <= horizon
            }
        else:
            rates = load_rates(tables_year, code)  # only for the state shown in the inputs
    return contract_economics(
        pay=pay,
        bill=bill,
        hours_per_week=hours_per_week,
        weeks=weeks,
        rates=rates,
        vehicle=vehicle,
        currency=currency,
        start_date=start_date,
        prior_wages=prior_wages,
        overtime_hours_per_week=overtime_hours_per_week,
        pay_overtime=pay_overtime,
        bill_overtime=bill_overtime,
        later_rates=later or None,
    )
