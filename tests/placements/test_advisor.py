"""The engagement advisor (pure): the issue's examples, the duration thresholds, budgets, classification
steering, hand-derived costs, "what would change the answer", determinism and bad inputs."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from cadre.placements import advisor, burden, economics, fees
from cadre.placements.advisor import (
    ADVISOR_VERSION,
    CONTINGENCY_EXEC,
    CONTRACT,
    CONTRACT_TO_HIRE,
    DIRECT_HIRE,
    LONG_TERM,
    MODELS,
    RETAINED,
    AdvisorInputError,
    AdvisorInputs,
    advise,
    horizon_for,
    inputs_from_mapping,
)

D = Decimal

# Texas 2026 with every state/firm figure pinned, so the hand-derived burden below only depends on the
# statutory federal figures: SS 6.2% to 184,500; Medicare 1.45%; FUTA 0.6% of the first 7,000.
TX = burden.load_rates(
    2026,
    "TX",
    {
        "suta_rate": D("0.027"),
        "suta_wage_base": D(9000),
        "workers_comp_per_100": D("0.25"),
        "benefits_rate": D(0),
    },
)

# The examples.
RAG_6_MONTHS = AdvisorInputs(
    duration_months=6, criticality="standard", regulatory="low", pay=D(85), bill=D(135), salary=D(180000)
)
PLATFORM_PERMANENT = AdvisorInputs(
    duration_months=None,
    criticality="production_sla",
    regulatory="medium",
    pay=D(85),
    bill=D(135),
    salary=D(190000),
)
HEAD_OF_AI = AdvisorInputs(
    duration_months=None, criticality="standard", regulatory="medium", executive=True, salary=D(320000),
    bonus=D(80000),
)  # fmt: skip


def reasons_of(result: advisor.Advice, model: str) -> list[advisor.Reason]:
    return list(result.option(model).reasons)


# -- the examples -------------------------------------------------------------------------------


def test_six_month_rag_deployment_is_a_contract():
    result = advise(RAG_6_MONTHS)
    assert result.recommended == CONTRACT
    assert result.ranking[0] == CONTRACT
    assert result.option(DIRECT_HIRE).rank > result.option(CONTRACT_TO_HIRE).rank
    driver = [r for r in reasons_of(result, CONTRACT) if r.input == "duration_months"]
    assert driver and driver[0].points == 5 and "6 months" in driver[0].text
    # A 6-month need is compared over 12 months: the contract is paid for 6 (26 weeks × 40 h × 135).
    assert result.horizon_months == 12
    assert result.option(CONTRACT).cost is not None
    assert result.option(CONTRACT).cost.total == D(135) * 40 * 26
    assert result.option(CONTRACT).cost.months_staffed == 6
    assert result.option(CONTRACT).time_to_start_days == (7, 21)


def test_permanent_platform_role_with_a_production_sla_is_a_direct_hire():
    result = advise(PLATFORM_PERMANENT)
    assert result.recommended == DIRECT_HIRE
    assert result.horizon_months == 24
    inputs = {r.input for r in reasons_of(result, DIRECT_HIRE) if r.points > 0}
    assert {"duration_months", "criticality", "regulatory"} <= inputs
    sla = next(r for r in reasons_of(result, DIRECT_HIRE) if r.input == "criticality")
    assert sla.value == "production_sla" and "SLA" in sla.text
    assert result.option(CONTRACT).rank > result.option(CONTRACT_TO_HIRE).rank


def test_head_of_ai_is_a_retained_search_of_60_to_120_days_billed_in_thirds():
    result = advise(HEAD_OF_AI)
    assert result.recommended == RETAINED
    assert result.ranking[1] == CONTINGENCY_EXEC
    option = result.option(RETAINED)
    assert option.time_to_start_days == (60, 120)
    assert "60-120 days" in option.time_to_start_note
    # Retained fee: a third of first-year cash (320,000 + 80,000), invoiced in thirds.
    quote = fees.retained_fee(first_year_cash=D(400000), percent=D("33.3333"))
    fee_line = option.cost.lines[0] if option.cost else None
    assert fee_line is not None and fee_line.amount == quote.amount == D("133333.20")
    assert "in thirds 44444.40 + 44444.40 + 44444.40" in fee_line.formula
    # No state: no burden; 24 months of cash on top of the fee.
    assert option.cost.total == quote.amount + D(400000) * 2
    # The contingency alternative is cheaper, paid on base only (20% of 320,000).
    assert result.option(CONTINGENCY_EXEC).cost.lines[0].amount == D(64000)


def test_high_classification_risk_with_1099_warns_and_steers_to_w2_through_the_agency():
    risky = replace(RAG_6_MONTHS, classification_risk="high", vehicle="1099")
    result = advise(risky)
    assert result.recommended == CONTRACT  # still a contract, but not as a 1099
    assert result.vehicle.recommended == "w2" and result.vehicle.requested == "1099"
    assert result.as_dict()["vehicle"]["steered"] is True
    assert any("W-2 through the agency" in w and "high" in w for w in result.warnings)
    penalty = [r for r in reasons_of(result, CONTRACT) if r.input == "classification_risk"]
    assert penalty and penalty[0].points == -2
    assert result.option(CONTRACT).score == advise(RAG_6_MONTHS).option(CONTRACT).score - 2
    # The agency's margin is shown as W-2 (the vehicle it is steered to), not as a 1099.
    assert result.contract_economics is not None and result.contract_economics.vehicle == "w2"


def test_low_classification_risk_keeps_the_requested_1099_and_w2_has_no_warning():
    assert (
        advise(replace(RAG_6_MONTHS, classification_risk="low", vehicle="1099")).vehicle.recommended == "1099"
    )
    plain = advise(replace(RAG_6_MONTHS, classification_risk="high"))
    assert plain.vehicle.recommended == "w2" and not plain.warnings


def test_unknown_risk_with_corp_to_corp_asks_for_the_questionnaire():
    result = advise(replace(RAG_6_MONTHS, vehicle="c2c"))
    assert result.vehicle.recommended == "w2"
    assert any("questionnaire" in w for w in result.warnings)


def test_executive_for_six_months_is_an_interim_contract():
    result = advise(AdvisorInputs(duration_months=6, executive=True))
    assert result.recommended == CONTRACT
    assert any("interim executive" in r.text for r in reasons_of(result, CONTRACT))


# -- duration thresholds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "expected", "points"),
    [
        (1, CONTRACT, 6),
        (3, CONTRACT, 6),  # the short-project rule ends at 3
        (4, CONTRACT, 5),
        (12, CONTRACT, 5),  # a contract covers up to 12 months
        (13, LONG_TERM, 5),
        (24, LONG_TERM, 5),  # a long-term contract up to 24
        (25, DIRECT_HIRE, 4),  # beyond 24 the need is permanent in all but name
        (120, DIRECT_HIRE, 4),
    ],
)
def test_duration_thresholds(months, expected, points):
    result = advise(AdvisorInputs(duration_months=months))
    assert result.recommended == expected
    driver = next(r for r in reasons_of(result, expected) if r.input == "duration_months")
    assert driver.points == points


def test_horizon_defaults():
    assert horizon_for(6) == 12
    assert horizon_for(12) == 12
    assert horizon_for(18) == 18
    assert horizon_for(None) == 24
    assert horizon_for(6, 36) == 36


def test_every_option_is_ranked_with_reasons_and_six_trade_offs():
    result = advise(PLATFORM_PERMANENT)
    assert sorted(result.ranking) == sorted(MODELS)
    assert [o.rank for o in result.options] == [1, 2, 3, 4, 5, 6]
    assert [o.score for o in result.options] == sorted((o.score for o in result.options), reverse=True)
    known = set(advisor.FIELD_NAMES) | {"rates"}
    for option in result.options:
        assert option.reasons, option.model
        assert {r.input for r in option.reasons} <= known
        assert option.score == sum(r.points for r in option.reasons)
        assert [t.dimension for t in option.tradeoffs] == [d for d, _ in advisor.DIMENSIONS]
    # Cost ratings follow the costs: the cheapest priced option rates 5.
    priced = [o for o in result.options if o.cost]
    cheapest = min(priced, key=lambda o: o.cost.total)
    assert next(t for t in cheapest.tradeoffs if t.dimension == "cost").rating == 5


# -- costs ----------------------------------------------------------------------------------------------


def test_direct_hire_cost_is_fee_plus_salary_plus_hand_derived_burden():
    inputs = AdvisorInputs(duration_months=None, salary=D(120000), state="TX", year=2026, horizon_months=12)
    result = advise(inputs, rates=TX)
    cost = result.option(DIRECT_HIRE).cost
    assert cost is not None
    lines = {line.label: line.amount for line in cost.lines}
    assert lines["Contingency fee (on placement)"] == D(24000)  # 20% of base
    assert lines["Salary"] == D(120000)
    # SS 7,440 + Medicare 1,740 + FUTA 42 + SUTA 243 (2.7% of 9,000) + workers' comp 300 = 9,765.
    assert lines["Employer burden"].quantize(D("0.01")) == D("9765.00")
    assert cost.total.quantize(D("0.01")) == D("153765.00")


def test_social_security_stops_at_the_wage_base_for_a_high_salary():
    inputs = AdvisorInputs(duration_months=None, salary=D(240000), state="TX", year=2026, horizon_months=12)
    cost = advise(inputs, rates=TX).option(DIRECT_HIRE).cost
    burden_line = next(line for line in cost.lines if line.label == "Employer burden")
    # SS on 184,500 only = 11,439; Medicare 3,480; FUTA 42; SUTA 243; workers' comp 600.
    assert burden_line.amount.quantize(D("0.01")) == D("15804.00")


def test_contract_to_hire_cost_prorates_the_conversion_fee():
    inputs = AdvisorInputs(duration_months=None, bill=D(100), salary=D(150000), conversion_months=2)
    cost = advise(inputs).option(CONTRACT_TO_HIRE).cost
    lines = [(line.label, line.amount) for line in cost.lines]
    weeks = D(2) * 52 / 12
    assert lines[0][1] == D(100) * 40 * weeks
    # 20% pro-rated after 2 of 12 months: 20 × 10/12 = 16.67% of 150,000 = 25,000.
    assert lines[1] == ("Conversion fee (pro-rated after 2 months)", D("25000.00"))
    assert lines[2][1] == D(150000) * 22 / 12
    assert cost.total == sum((amount for _, amount in lines), D(0))


def test_contract_cost_stops_when_the_need_ends_and_missing_rates_are_explained():
    result = advise(AdvisorInputs(duration_months=3, bill=D(100)))
    contract = result.option(CONTRACT)
    assert contract.cost.total == D(100) * 40 * 13  # 3 months = 13 weeks; the horizon is 12 months
    assert "ends after 3 months" in contract.cost.notes[0]
    direct = result.option(DIRECT_HIRE)
    assert direct.cost is None and "salary" in direct.cost_missing


def test_contract_economics_at_the_rates_and_negative_margin_is_flagged():
    result = advise(replace(RAG_6_MONTHS, state="TX", year=2026), rates=TX)
    ce = result.contract_economics
    assert ce is not None
    assert ce.markup == (D(135) - D(85)) / D(85)
    assert ce.weeks == 26
    upside_down = advise(replace(RAG_6_MONTHS, pay=D(140), bill=D(120)))
    assert any("negative margin" in w.lower() for w in upside_down.warnings)


# -- budget ---------------------------------------------------------------------------------------------


def test_over_budget_options_lose_points_and_warn():
    inputs = AdvisorInputs(duration_months=6, bill=D(100), budget=D(100000))
    result = advise(inputs)
    contract = result.option(CONTRACT)
    assert contract.cost.total == D(104000)
    assert contract.over_budget_by == D(4000)
    assert any(r.input == "budget" and r.points == -advisor.BUDGET_PENALTY for r in contract.reasons)
    assert result.recommended == CONTRACT
    assert any("over budget by $4,000.00" in w for w in result.warnings)
    assert any("Every option priced is over the budget" in w for w in result.warnings)
    within = advise(replace(inputs, budget=D(104000)))
    assert within.option(CONTRACT).over_budget_by is None
    assert not within.warnings


def test_annual_budget_is_scaled_to_the_horizon():
    inputs = AdvisorInputs(duration_months=18, bill=D(100), budget=D(100000), budget_basis="annual")
    assert advisor.budget_over_horizon(inputs, 18) == D(150000)
    result = advise(inputs)
    assert result.option(LONG_TERM).over_budget_by == D(100) * 40 * 78 - D(150000)


def test_a_budget_can_change_the_answer_and_says_what_it_would_take():
    base = AdvisorInputs(duration_months=18, regulatory="medium", bill=D(150), salary=D(100000))
    assert advise(base).recommended == LONG_TERM
    result = advise(replace(base, budget=D(200000)))
    assert result.recommended == DIRECT_HIRE  # the long-term contract (468,000) is over 200,000
    change = next(c for c in result.changes if c.input == "budget")
    assert change.recommended == LONG_TERM
    assert "at least $468,000.00" in change.text


# -- what would change the answer -----------------------------------------------------------------------


def test_every_listed_change_really_flips_the_recommendation():
    for inputs in (RAG_6_MONTHS, PLATFORM_PERMANENT, HEAD_OF_AI):
        result = advise(inputs)
        assert result.changes
        for change in result.changes:
            assert change.recommended != result.recommended
            assert change.text


def test_changes_for_the_rag_contract_name_the_duration_edges():
    result = advise(RAG_6_MONTHS)
    by_alt = {c.alternative: c.recommended for c in result.changes if c.input == "duration_months"}
    assert by_alt == {
        "13-24 months (e.g. 13 months)": LONG_TERM,
        "over 24 months (e.g. 25 months)": DIRECT_HIRE,
        "permanent": DIRECT_HIRE,
    }
    flip = advise(replace(RAG_6_MONTHS, duration_months=13))
    assert flip.recommended == LONG_TERM


def test_executive_flag_is_a_change_for_a_permanent_role():
    result = advise(PLATFORM_PERMANENT)
    change = next(c for c in result.changes if c.input == "executive")
    assert change.recommended == RETAINED
    assert change.text.startswith("If this were an executive search")


# -- determinism, version, digest -----------------------------------------------------------------------


def test_deterministic_versioned_and_digested():
    first, second = advise(PLATFORM_PERMANENT), advise(PLATFORM_PERMANENT)
    assert first.as_dict() == second.as_dict()
    assert first.version == ADVISOR_VERSION
    assert len(first.inputs_digest) == 64
    data = first.as_dict()
    assert data["versions"] == {
        "advisor": ADVISOR_VERSION,
        "economics": economics.ECONOMICS_VERSION,
        "fees": fees.FEES_VERSION,
    }
    assert advise(replace(PLATFORM_PERMANENT, urgency="high")).inputs_digest != first.inputs_digest
    # The burden rates are part of the digest: a firm override changes it.
    other = burden.load_rates(2026, "TX", {"suta_rate": D("0.01")})
    with_state = replace(PLATFORM_PERMANENT, state="TX", year=2026)
    assert advise(with_state, rates=TX).inputs_digest != advise(with_state, rates=other).inputs_digest


# -- parsing and bad inputs -----------------------------------------------------------------------------


def test_inputs_from_strings():
    inputs = inputs_from_mapping(
        {
            "duration_months": "permanent",
            "criticality": "Production_SLA",
            "regulatory": "high",
            "executive": "yes",
            "classification_risk": "very high",
            "vehicle": "W-2",
            "budget": "$250,000",
            "salary": "180000",
            "state": "ca",
            "preference": "retained_search",
        }
    )
    assert inputs.duration_months is None
    assert inputs.criticality == "production_sla"
    assert inputs.executive is True
    assert inputs.classification_risk == "high"
    assert inputs.vehicle == "w2"
    assert inputs.budget == D(250000)
    assert inputs.state == "CA"
    assert advise(inputs).option(RETAINED).reasons  # the preference counts for the retained search
    assert any(r.input == "preference" for r in advise(inputs).option(RETAINED).reasons)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "duration_months: required"),
        ({"duration_months": 0}, "duration_months: 0 is out of range"),
        ({"duration_months": 121}, "duration_months: 121 is out of range"),
        ({"duration_months": "six"}, "duration_months: 'six' is not a whole number"),
        ({"duration_months": 2.5}, "duration_months: 2.5 is not a whole number"),
        (
            {"duration_months": 6, "criticality": "urgent"},
            "criticality: 'urgent' is not one of low, standard",
        ),
        (
            {"duration_months": 6, "regulatory": "extreme"},
            "regulatory: 'extreme' is not one of low, medium, high",
        ),
        ({"duration_months": 6, "executive": "maybe"}, "executive: 'maybe' is not yes or no"),
        ({"duration_months": 6, "pay": "-5"}, "pay: must not be negative"),
        ({"duration_months": 6, "bill": "abc"}, "bill: 'abc' is not a number"),
        ({"duration_months": 6, "budget": "0"}, "budget: must be greater than zero"),
        ({"duration_months": 6, "budget": "-10"}, "budget: must be greater than zero"),
        ({"duration_months": 6, "bill": "1e9"}, "bill: 1E+9 is implausibly large"),
        ({"duration_months": "1e999999"}, "duration_months: '1e999999' is out of range"),
        ({"duration_months": 6, "state": "ZZ"}, "state: unknown state 'ZZ'"),
        ({"duration_months": 6, "year": "1999"}, "year: no burden tables for 1999"),
        ({"duration_months": 6, "hours_per_week": "0"}, "hours_per_week: 0 is out of range"),
        ({"duration_months": 6, "contingency_percent": "120"}, "contingency_percent: 120 is out of range"),
        (
            {"duration_months": 6, "conversion_months": "18"},
            "conversion_months: 18 is beyond the 12-month horizon",
        ),
        ({"duration_months": 6, "colour": "red"}, "unknown input(s): colour"),
        ({"duration_months": 6, "currency": "XYZ"}, "currency: 'XYZ' is not one of"),
        ({"duration_months": 6, "preference": "temp"}, "preference: 'temp' is not one of"),
    ],
)
def test_bad_inputs_raise_a_clear_value_error(data, message):
    with pytest.raises(ValueError) as info:
        inputs_from_mapping(data)
    assert isinstance(info.value, AdvisorInputError)
    assert message in str(info.value)


def test_blank_values_mean_the_defaults():
    inputs = inputs_from_mapping(
        {"duration_months": "6", "vehicle": "", "urgency": " ", "pay": "", "state": ""}
    )
    assert (inputs.vehicle, inputs.urgency, inputs.pay, inputs.state) == ("w2", "normal", None, None)


def test_every_problem_is_reported_at_once():
    with pytest.raises(AdvisorInputError) as info:
        inputs_from_mapping({"duration_months": 0, "criticality": "x", "pay": "-1", "state": "QQ"})
    assert len(info.value.errors) == 4


def test_advise_validates_inputs_built_directly():
    with pytest.raises(AdvisorInputError, match="urgency: 'soon' is not one of low, normal, high"):
        advise(AdvisorInputs(duration_months=6, urgency="soon"))
    with pytest.raises(AdvisorInputError, match="the burden rates are for TX, the inputs for CA"):
        advise(AdvisorInputs(duration_months=6, state="CA"), rates=TX)
