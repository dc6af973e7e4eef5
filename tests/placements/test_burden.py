"""The shipped burden tables and load_rates (pure: no database)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from cadre.placements.burden import (
    OVERRIDABLE,
    TABLES_PATH,
    US_STATES,
    InputError,
    UnknownState,
    available_years,
    load_rates,
    normalize_state,
)

D = Decimal


def _raw() -> dict:
    return json.loads(TABLES_PATH.read_text(encoding="utf-8"))


def test_tables_cover_every_state_and_dc_each_year_with_a_source_on_every_figure():
    raw = _raw()
    assert set(raw["years"]) >= {"2025", "2026"}
    assert len(US_STATES) == 51 and "DC" in US_STATES
    for year, block in raw["years"].items():
        assert set(block["states"]) == set(US_STATES), year
        figures = [
            *block["federal"].values(),
            *block["futa_credit_reduction"].values(),
            block["workers_comp_per_100"],
            block["benefits_rate"],
        ]
        for st in block["states"].values():
            figures += [st["suta_rate"], st["suta_wage_base"]]
        for fig in figures:
            assert D(fig["value"]) >= 0
            assert isinstance(fig["verified"], bool)
            assert fig["source"].strip()
            if not fig["verified"]:
                assert fig.get("note"), fig  # an unverified figure says what to check
        for st in block["states"].values():
            assert D(0) < D(st["suta_rate"]["value"]) < D("0.2")
            assert D(st["suta_wage_base"]["value"]) >= 7000  # FUTA's base is the legal floor


@pytest.mark.parametrize(
    ("year", "base"),
    [(2025, D(176100)), (2026, D(184500))],
)
def test_federal_figures_from_the_research_note(year, base):
    r = load_rates(year, "TX")
    assert r.social_security_rate == D("0.062")
    assert r.social_security_wage_base == base
    assert r.medicare_rate == D("0.0145")
    assert (r.futa_rate, r.futa_max_credit, r.futa_wage_base) == (D("0.06"), D("0.054"), D(7000))
    assert r.futa_credit_reduction == 0
    assert r.futa_effective_rate == D("0.006")  # 0.6 % = 42 on 7,000
    assert r.futa_effective_rate * r.futa_wage_base == 42
    for name in ("social_security_rate", "social_security_wage_base", "medicare_rate", "futa_rate"):
        assert name not in r.unverified


def test_california_2025_credit_reduction_is_verified_and_2026_is_flagged():
    r25 = load_rates(2025, "CA")
    assert r25.futa_credit_reduction == D("0.012")
    assert r25.futa_effective_rate * r25.futa_wage_base == 126  # 1.8 % of 7,000 (research note)
    assert "futa_credit_reduction" not in r25.unverified
    r26 = load_rates(2026, "CA")
    assert r26.futa_credit_reduction > 0
    assert "futa_credit_reduction" in r26.unverified
    assert any("FUTA credit reduction 2026" in n and n.startswith("Unverified") for n in r26.notes)


@pytest.mark.parametrize(("state", "base"), [("CA", 7000), ("NY", 12800), ("NJ", 43300), ("MA", 15000)])
def test_research_note_suta_wage_bases_2025_are_verified(state, base):
    r = load_rates(2025, state)
    assert r.suta_wage_base == base
    assert "suta_wage_base" not in r.unverified
    assert "suta_rate" in r.unverified  # new-employer rates are not in the research note


def test_figures_not_in_the_research_note_are_listed_as_unverified_with_a_note():
    r = load_rates(2026, "WA")
    assert {"suta_rate", "suta_wage_base", "workers_comp_per_100"} <= set(r.unverified)
    assert sum(1 for n in r.notes if n.startswith("Unverified")) == len(r.unverified)
    assert any(s.startswith("WA SUTA rate 2026:") for s in r.sources)
    assert r.benefits_rate == 0


def test_state_codes_are_normalised_and_unknown_ones_rejected():
    assert load_rates(2026, " ny ").state == "NY"
    assert normalize_state("dc") == "DC"
    for bad in ("ZZ", "", "PR", "California"):
        with pytest.raises(UnknownState, match="unknown state") as info:
            load_rates(2026, bad)
        assert info.value.field == "state"
        assert isinstance(info.value, ValueError)


def test_a_year_without_tables_names_the_available_years():
    assert available_years() == sorted(available_years()) and {2025, 2026} <= set(available_years())
    with pytest.raises(ValueError, match=r"no burden tables for 2019: available years are 2025, 2026"):
        load_rates(2019, "CA")


def test_overrides_replace_the_state_defaults_and_clear_their_unverified_mark():
    r = load_rates(
        2026,
        "CA",
        {"suta_rate": D("0.021"), "workers_comp_per_100": D("0.41"), "benefits_rate": None},
    )
    assert r.suta_rate == D("0.021") and r.workers_comp_per_100 == D("0.41")
    assert r.workers_comp_rate == D("0.0041")
    assert "suta_rate" not in r.unverified and "workers_comp_per_100" not in r.unverified
    assert "suta_wage_base" in r.unverified  # not overridden: still the shipped default
    assert "CA SUTA rate 2026: firm setting (0.021)" in r.sources
    assert not any(n.startswith("Unverified CA SUTA rate") for n in r.notes)
    assert r.benefits_rate == 0  # None keeps the default


def test_bad_overrides_are_rejected_with_the_field():
    with pytest.raises(InputError, match="cannot override 'social_security_rate'") as info:
        load_rates(2026, "CA", {"social_security_rate": D("0.01")})
    assert info.value.field == "social_security_rate"
    with pytest.raises(InputError, match="suta_rate must be between 0 and 0.20") as info:
        load_rates(2026, "CA", {"suta_rate": D("3.4")})  # a percent passed as a fraction
    assert info.value.field == "suta_rate"
    with pytest.raises(InputError, match="workers_comp_per_100 is not a number"):
        load_rates(2026, "CA", {"workers_comp_per_100": "lots"})  # type: ignore[dict-item]
    assert set(OVERRIDABLE) == {"suta_rate", "suta_wage_base", "workers_comp_per_100", "benefits_rate"}


def test_for_year_keeps_the_figures_and_says_so():
    r = load_rates(2026, "CA").for_year(2027)
    assert r.year == 2027 and r.social_security_wage_base == D(184500)
    assert r.notes[-1] == "No 2027 tables: the 2026 figures for CA were applied to 2027 wages."
    assert r.as_dict()["year"] == 2027
    json.dumps(r.as_dict())
