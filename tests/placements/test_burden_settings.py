"""The firm's burden settings: who may save, validation, audit, and the rates they produce."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cadre.core.exceptions import Forbidden, ValidationFailed
from cadre.core.models import AuditLog
from cadre.core.roles import Role
from cadre.placements.burden import InputError, UnknownState, load_rates
from cadre.placements.burden_settings import (
    default_year,
    economics_with_settings,
    get_setting,
    list_settings,
    rates_for,
    save_setting,
)
from cadre.placements.models import BurdenSetting

D = Decimal
pytestmark = pytest.mark.django_db


def test_recruiter_saves_a_setting_and_rates_for_applies_it(recruiter):
    s = save_setting(
        recruiter,
        year=2026,
        state="ca",
        suta_rate="2.1",
        workers_comp_per_100=D("0.41"),
        benefits_percent=D(5),
        note="EDD notice 2026",
    )
    assert (s.state, s.year, s.updated_by) == ("CA", 2026, recruiter)
    r = rates_for(2026, "CA")
    assert r.suta_rate == D("0.021")  # percent stored, fraction used
    assert r.workers_comp_per_100 == D("0.41") and r.benefits_rate == D("0.05")
    assert r.suta_wage_base == D(7000)  # not set: the shipped default
    assert "suta_rate" not in r.unverified and "suta_wage_base" in r.unverified
    assert "The firm's CA 2026 burden settings are applied (EDD notice 2026)." in r.notes
    # Other states and years are untouched.
    assert rates_for(2026, "NY") == load_rates(2026, "NY")
    assert rates_for(2025, "CA") == load_rates(2025, "CA")
    # Explicit overrides win over the saved setting.
    assert rates_for(2026, "CA", {"suta_rate": D("0.05")}).suta_rate == D("0.05")


def test_saving_again_updates_the_row_and_both_writes_are_audited(admin_user):
    first = save_setting(admin_user, year=2025, state="NY", suta_rate=D("4.1"))
    second = save_setting(admin_user, year=2025, state="NY", suta_rate=D("3.2"), suta_wage_base=D(12800))
    assert first.pk == second.pk and BurdenSetting.objects.count() == 1
    logs = list(AuditLog.objects.filter(object_type="placements.burdensetting").order_by("id"))
    assert [log.action for log in logs] == [AuditLog.Action.CREATE, AuditLog.Action.UPDATE]
    assert logs[1].before["suta_rate"] == "4.1000" and logs[1].after["suta_rate"] == "3.2000"
    assert logs[1].actor == admin_user


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.COMPLIANCE_OFFICER])
def test_only_admins_and_recruiters_may_save(make_user, role):
    user = make_user(f"u-{role}", role)
    with pytest.raises(Forbidden):
        save_setting(user, year=2026, state="CA", suta_rate=D(2))
    assert not BurdenSetting.objects.exists()
    # ...but anyone logged in may read them.
    assert get_setting(user, 2026, "CA").setting is None
    assert list_settings(user) == []


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"suta_rate": D(25)}, "suta_rate", "between 0 and 20"),
        ({"suta_rate": D(-1)}, "suta_rate", "between 0 and 20"),
        ({"suta_rate": "abc"}, "suta_rate", "must be a number"),
        ({"suta_rate": D("1.23456")}, "suta_rate", "more than 4 decimal places"),
        ({"suta_wage_base": D(-7000)}, "suta_wage_base", "between 0 and 1000000"),
        ({"workers_comp_per_100": D(101)}, "workers_comp_per_100", "between 0 and 100"),
        ({"benefits_percent": D(250)}, "benefits_percent", "between 0 and 200"),
        ({"note": "x" * 301}, "note", "longer than 300"),
        ({"state": "ZZ"}, "state", "unknown state 'ZZ'"),
        ({"year": 2031}, "year", "no burden tables for 2031"),
    ],
)
def test_bad_settings_are_rejected_and_nothing_is_saved(recruiter, kwargs, field, message):
    args = {"year": 2026, "state": "CA", **kwargs}
    with pytest.raises(ValidationFailed, match=message) as info:
        save_setting(recruiter, **args)
    assert info.value.field == field
    assert not BurdenSetting.objects.exists()
    assert not AuditLog.objects.filter(object_type="placements.burdensetting").exists()


def test_get_setting_shows_saved_defaults_and_effective(recruiter):
    save_setting(recruiter, year=2026, state="TX", suta_rate=D("1.5"))
    view = get_setting(recruiter, 2026, "tx").to_dict()
    assert view["setting"]["suta_rate"] == "1.5000" and view["setting"]["updated_by"] == "rita"
    assert view["defaults"]["suta_rate"] == "0.027"
    assert view["effective"]["suta_rate"] == "0.015"


def test_economics_with_settings_uses_the_firms_figures_and_later_years_tables(recruiter):
    save_setting(recruiter, year=2026, state="CA", suta_rate=D("1.0"), workers_comp_per_100=D(0))
    e = economics_with_settings(
        pay=D(60), bill=D(95), hours_per_week=D(40), weeks=D(26), state="CA", year=2026
    )
    suta = next(x for x in e.burden if x.component == "suta")
    assert suta.amount == D(70)  # 7,000 × 1.0 %
    assert next(x for x in e.burden if x.component == "workers_comp").amount == 0
    shipped = economics_with_settings(
        pay=D(60), bill=D(95), hours_per_week=D(40), weeks=D(26), state="CA", year=2026, use_settings=False
    )
    assert next(x for x in shipped.burden if x.component == "suta").amount == D(238)
    # Starting in December 2025 the 2025 tables apply, then 2026's (with the firm's 2026 setting).
    cross = economics_with_settings(
        pay=D(60), bill=D(95), hours_per_week=D(40), weeks=D(8), state="CA", start_date=date(2025, 12, 1)
    )
    suta = next(x for x in cross.burden if x.component == "suta")
    assert [(s.year, s.rate) for s in suta.by_year] == [(2025, D("0.034")), (2026, D("0.01"))]


def test_economics_with_settings_checks_its_own_inputs(db):
    with pytest.raises(UnknownState, match="a state is required for a W-2 engagement"):
        economics_with_settings(pay=D(1), bill=D(2), hours_per_week=D(40), weeks=D(1), state=None)
    no_state = economics_with_settings(
        pay=D(1), bill=D(2), hours_per_week=D(40), weeks=D(1), state=None, vehicle="1099"
    )
    assert no_state.total_burden == 0
    with pytest.raises(InputError, match="no burden tables for 2030") as info:
        economics_with_settings(pay=D(1), bill=D(2), hours_per_week=D(40), weeks=D(1), state="CA", year=2030)
    assert info.value.field == "year"
    with pytest.raises(InputError, match="SUTA rate") as info:
        economics_with_settings(
            pay=D(1), bill=D(2), hours_per_week=D(40), weeks=D(1), state="CA", suta_rate_percent=D(40)
        )
    assert info.value.field == "suta_rate_percent"


def test_default_year_is_the_start_year_or_the_nearest_shipped_one():
    assert default_year(date(2025, 6, 1)) == 2025
    assert default_year(date(2026, 6, 1)) == 2026
    assert default_year(date(2028, 6, 1)) == 2026  # latest shipped
    assert default_year(date(2020, 6, 1)) == 2025  # earliest shipped
    assert default_year(None, today=date(2025, 3, 1)) == 2025
