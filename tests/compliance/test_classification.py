"""Worker-classification engine: hand-built engagements, the exposure arithmetic, the registry and
determinism. Pure Python: no database."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from cadre.compliance.classification import (
    ENGINE_VERSION,
    QUESTION_BY_ID,
    QUESTIONS,
    ClassificationInputError,
    classify,
    flsa_overtime_estimate,
    questionnaire,
    rule_set_registry,
    validate_answers,
)
from cadre.compliance.rules import REGISTRY
from cadre.compliance.rules.base import NEUTRAL, Factor, Signals

AS_OF = date(2026, 11, 26)

# A clear contractor: own LLC, other clients, own tools and investment, a project fee, work outside the
# client's usual course of business, no control. Placed by the agency, in Texas (no state ABC test).
CLEAR_CONTRACTOR: dict[str, Any] = {
    "work_state": "TX",
    "duration_months": 4,
    "hours_per_week": 30,
    "indefinite": False,
    "contracting_party": "agency",
    "usual_course_of_business": "outside",
    "embedded_in_team": False,
    "serves_client_customers": False,
    "controls_how": "worker",
    "set_hours": False,
    "location_set_by": "worker",
    "work_location": "remote_own_premises",
    "supervised": False,
    "training_by_client": False,
    "reports_required": False,
    "services_personally": False,
    "can_hire_helpers": True,
    "tools_provided_by": "worker",
    "worker_investment": "significant",
    "profit_loss_opportunity": True,
    "negotiates_rate": True,
    "business_expenses_reimbursed": False,
    "payment_basis": "project",
    "exclusive_to_client": False,
    "multiple_clients": True,
    "business_entity": "llc",
    "has_ein": True,
    "business_license": True,
    "separate_business_location": True,
    "markets_to_public": True,
    "own_website": True,
    "own_insurance": True,
    "specialized_skills": True,
    "business_initiative": True,
    "benefits_provided": False,
    "terminate_at_will": False,
    "written_contract": True,
    "worked_for_client_as_employee": False,
    "requires_contractor_license": False,
    "professional_service_category": "none",
    "independent_judgment": True,
}

# The same person, working in California on the client's core product. The agency contracts them and
# their LLC does not put them on its own payroll, so the §2776(a)(2) exception is not shown.
SAME_PERSON_CA_CORE = {**CLEAR_CONTRACTOR, "work_state": "CA", "usual_course_of_business": "integral"}

# An embedded data scientist: set hours, supervision, the client's tools, 18 months, one client.
EMBEDDED_DATA_SCIENTIST: dict[str, Any] = {
    "work_state": "NY",
    "duration_months": 18,
    "hours_per_week": 40,
    "indefinite": False,
    "contracting_party": "agency",
    "usual_course_of_business": "integral",
    "embedded_in_team": True,
    "controls_how": "client",
    "set_hours": True,
    "location_set_by": "client",
    "work_location": "hybrid",
    "supervised": True,
    "training_by_client": True,
    "reports_required": True,
    "services_personally": True,
    "can_hire_helpers": False,
    "tools_provided_by": "client",
    "worker_investment": "none",
    "profit_loss_opportunity": False,
    "negotiates_rate": False,
    "business_expenses_reimbursed": True,
    "payment_basis": "hourly",
    "exclusive_to_client": True,
    "multiple_clients": False,
    "business_entity": "none",
    "specialized_skills": True,
    "business_initiative": False,
    "benefits_provided": False,
    "terminate_at_will": True,
    "written_contract": True,
    "worked_for_client_as_employee": False,
}

FEDERAL = ("flsa_2024", "flsa_core_factors", "irs_common_law")


def _walk_keys(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [k for k in value] + [k for v in value.values() for k in _walk_keys(v)]
    if isinstance(value, list):
        return [k for v in value for k in _walk_keys(v)]
    return []


# --------------------------------------------------------------------------------------------------
# Hand-built engagements


def test_clear_contractor_in_texas_leans_contractor_and_gets_corp_to_corp():
    result = classify(CLEAR_CONTRACTOR, as_of=AS_OF)
    assert [r.rule_set.id for r in result.regimes] == list(FEDERAL)
    for regime in result.regimes:
        assert regime.leaning == "contractor", (regime.rule_set.id, regime.leaning_text)
        assert regime.counts["employee"] == 0
    # No state test for Texas: said so, with what is applied instead.
    (note,) = result.regime_notes
    assert "No state ABC test is modelled for TX" in note
    assert (
        "FLSA economic-reality test" in note and "IRS common-law" in note and "DOL enforcement lens" in note
    )
    assert result.risk.level == "low"
    assert result.vehicle.recommended in ("corp_to_corp", "1099")
    assert result.vehicle.recommended == "corp_to_corp"  # own LLC and every corp-to-corp check met
    assert all(c["status"] == "met" for c in result.vehicle.c2c_checks)
    # Both DOL core factors agree: the "substantial likelihood" wording of the core-factor analysis.
    assert "substantial likelihood" in result.regime("flsa_core_factors").leaning_text
    # A contractor-leaning result still says what would push it toward employee.
    assert result.changes and all(c.moves_toward == "employee" for c in result.changes)
    assert any(c.question == "set_hours" for c in result.changes)


def test_same_person_in_california_on_core_product_fails_prong_b():
    result = classify(SAME_PERSON_CA_CORE, as_of=AS_OF)
    ca = result.regime("abc_california")
    prongs = {f.factor: f for f in ca.factors}
    assert set(prongs) == {"prong_a_control", "prong_b_usual_course", "prong_c_independent_business"}
    assert prongs["prong_b_usual_course"].direction == "employee"
    assert prongs["prong_a_control"].direction == "contractor"
    assert prongs["prong_c_independent_business"].direction == "contractor"
    assert ca.leaning == "employee"
    assert "prong B fails" in ca.leaning_text and "All three prongs must be met" in ca.leaning_text
    # Exemptions are checked first and reported: B2B not established (the services go to the agency's
    # customer and the (a)(2) exception is not shown), professional services not applicable.
    exemptions = {e.id: e for e in ca.exemptions}
    assert exemptions["b2b_2776"].status == "not established"
    criteria = {c.id: c.status for c in exemptions["b2b_2776"].criteria}
    assert criteria["b2b_2_direct_to_business"] != "met"
    assert sum(1 for s in criteria.values() if s == "met") == 11
    assert exemptions["professional_services_2778"].status == "not applicable"
    assert result.risk.level in ("high", "very high")
    assert result.risk.level == "high"  # the federal tests still lean contractor
    assert any("all three prongs must be met" in r for r in result.risk.reasons)
    assert result.vehicle.recommended == "w2_agency"
    # What would change it: concrete facts that move prong B toward contractor.
    toward_contractor = [c for c in result.changes if c.moves_toward == "contractor"]
    assert toward_contractor and toward_contractor[0].affects[0].startswith("abc_california")
    assert any(
        c.change == "the work is outside the client's usual course of business" for c in toward_contractor
    )
    assert result.exposure.california_226_8 is not None


def test_california_b2b_exemption_routes_to_borello_when_every_criterion_is_shown():
    answers = {
        **SAME_PERSON_CA_CORE,
        "usual_course_of_business": "outside",
        "contracting_party": "client",
        "entity_payroll": True,
    }
    result = classify(answers, as_of=AS_OF)
    ca = result.regime("abc_california")
    b2b = next(e for e in ca.exemptions if e.id == "b2b_2776")
    assert b2b.applies and len(b2b.criteria) == 12
    assert all(c.status == "met" for c in b2b.criteria)
    assert "Borello" in ca.test_applied
    assert all(f.factor.startswith("borello_") for f in ca.factors)
    assert ca.leaning == "contractor"
    assert any("ABC prongs not applied" in n for n in ca.notes)
    # Unverified criterion text is marked as such in the data.
    assert any(c.unverified for c in b2b.criteria)
    assert not next(c for c in b2b.criteria if c.id == "b2b_1_free_from_control").unverified


def test_embedded_data_scientist_leans_employee_with_duration_and_control_triggers():
    result = classify(EMBEDDED_DATA_SCIENTIST, as_of=AS_OF)
    for regime in result.regimes:
        assert regime.leaning == "employee", (regime.rule_set.id, regime.leaning_text)
        assert regime.counts["employee"] > regime.counts["contractor"]
        assert regime.decisive_facts
    assert result.risk.level == "very high"
    assert result.vehicle.recommended == "w2_agency"
    triggers = {t.id: t for t in result.triggers}
    assert triggers["duration_over_12_months"].status == "now"
    assert "18 months" in triggers["duration_over_12_months"].text
    assert triggers["integral_work"].status == "now"
    assert {"control_set_hours", "control_supervised", "control_training_by_client"} <= set(triggers)
    assert all(triggers[t].status == "now" for t in ("control_set_hours", "control_supervised"))
    # What would change: concrete facts, most widely felt first, pointing toward contractor.
    assert result.changes[0].moves_toward == "contractor"
    changes = {c.question: c for c in result.changes}
    assert changes["set_hours"].change == "the worker sets their own hours"
    assert len(changes["set_hours"].affects) >= 3


def test_missing_optional_answers_are_neutral_and_say_not_answered():
    result = classify({"work_state": "TX", "duration_months": 9, "hours_per_week": 20}, as_of=AS_OF)
    flsa = result.regime("flsa_2024")
    control = next(f for f in flsa.factors if f.factor == "control")
    assert control.direction == NEUTRAL
    assert "not answered" in control.explanation
    assert control.facts_relied_on == ()
    assert set(control.not_answered) == {"controls_how", "set_hours", "location_set_by", "supervised"}
    # Too few facts to lean: the regime says so rather than leaning on one factor.
    assert flsa.leaning == NEUTRAL and "Not enough facts" in flsa.leaning_text
    assert result.risk.level == "medium"
    assert "controls_how" in result.unanswered


def test_abc_prongs_not_answered_leave_the_presumption_of_employment():
    result = classify({"work_state": "NJ", "duration_months": 3, "hours_per_week": 20}, as_of=AS_OF)
    nj = result.regime("abc_new_jersey")
    assert all(f.direction == NEUTRAL and "not answered" in f.explanation for f in nj.factors)
    assert nj.leaning == "employee" and "Presumed employee" in nj.leaning_text
    assert result.risk.level == "high"


def test_every_factor_result_carries_a_citation_and_the_facts_it_relied_on():
    for answers in (CLEAR_CONTRACTOR, SAME_PERSON_CA_CORE, EMBEDDED_DATA_SCIENTIST):
        result = classify(answers, as_of=AS_OF)
        for regime in result.regimes:
            for factor in regime.factors:
                assert factor.citation, factor.factor
                assert factor.facts_relied_on, (regime.rule_set.id, factor.factor)
                assert factor.direction in ("employee", "contractor", "neutral")
                for fact in factor.facts_relied_on:
                    assert fact.question in QUESTION_BY_ID
                    assert fact.answer == result.answers[fact.question]
                    assert fact.text
        data = result.as_dict()
        for regime in data["regimes"]:
            for factor in regime["factors"]:
                assert {"question", "answer"} <= set(factor["facts_relied_on"][0])


def test_no_single_opaque_score_anywhere_in_the_result():
    keys = _walk_keys(classify(EMBEDDED_DATA_SCIENTIST, as_of=AS_OF).as_dict())
    assert not [k for k in keys if "score" in k.lower() or "probability" in k.lower()]


def test_irs_groups_cover_all_twenty_rev_rul_87_41_factors():
    from cadre.compliance.rules.irs_common_law import COVERS, TWENTY_FACTORS

    covered = sorted(n for numbers in COVERS.values() for n in numbers)
    assert covered == sorted(TWENTY_FACTORS)  # each of the twenty exactly once
    result = classify(EMBEDDED_DATA_SCIENTIST, as_of=AS_OF)
    groups = {g["group"]: g for g in result.regime("irs_common_law").groups}
    assert set(groups) == {"Behavioral control", "Financial control", "Relationship of the parties"}
    assert groups["Behavioral control"]["leaning"] == "employee"


def test_new_jersey_and_illinois_accept_outside_all_places_of_business_but_massachusetts_does_not():
    remote_core = {
        **CLEAR_CONTRACTOR,
        "usual_course_of_business": "integral",
        "work_location": "remote_own_premises",
    }
    prong_b = {}
    for state, rule_set in (("NJ", "abc_new_jersey"), ("IL", "abc_illinois"), ("MA", "abc_massachusetts")):
        result = classify({**remote_core, "work_state": state}, as_of=AS_OF)
        factor = next(f for f in result.regime(rule_set).factors if f.factor == "prong_b_usual_course")
        prong_b[state] = factor.direction
    assert prong_b == {"NJ": "contractor", "IL": "contractor", "MA": "employee"}


def test_illinois_says_its_abc_test_applies_only_under_specific_statutes():
    illinois = REGISTRY.get("abc_illinois")
    assert "Wage Payment and Collection Act" in illinois.applies_to
    assert "Unemployment Insurance Act" in illinois.applies_to
    assert "not the Minimum Wage" in illinois.applies_to


def test_rule_sets_not_in_effect_on_as_of_are_not_applied():
    result = classify(CLEAR_CONTRACTOR, as_of=date(2024, 1, 1))
    ids = [r.rule_set.id for r in result.regimes]
    assert ids == ["irs_common_law"]
    assert any("not in effect on 2024-01-01" in n for n in result.regime_notes)


# --------------------------------------------------------------------------------------------------
# Exposure arithmetic (hand-computed)


def test_flsa_overtime_golden_full_time_and_a_half_when_overtime_was_unpaid():
    # 50 h/week at $60/h for 52 weeks, hours over 40 never paid: 10 h x (1.5 x 60 = 90) x 52 = 46,800.
    estimate = flsa_overtime_estimate(60, 50, 52, "unpaid")
    assert estimate["overtime_hours_per_week"] == "10"
    assert estimate["owed_per_overtime_hour"] == "90.00"
    assert estimate["owed_per_week"] == "900.00"
    two, three = estimate["windows"]
    assert two["window"] == "2_year" and three["window"] == "3_year_willful"
    for window in (two, three):  # 52 weeks fit inside both look-backs
        assert window["weeks_counted"] == "52"
        assert window["back_wages"] == "46800.00"
        assert window["liquidated_damages"] == "46800.00"  # equal amount, 29 U.S.C. 216(b)
        assert window["total"] == "93600.00"


def test_flsa_overtime_golden_half_time_premium_when_straight_time_was_paid():
    # Paid $60 for every hour: only the half-time premium is unpaid, 10 h x 30 x 52 = 15,600.
    estimate = flsa_overtime_estimate(60, 50, 52, "straight_time")
    assert estimate["owed_per_overtime_hour"] == "30.00"
    assert estimate["windows"][0]["back_wages"] == "15600.00"
    assert estimate["windows"][0]["total"] == "31200.00"


def test_flsa_look_back_caps_weeks_at_two_and_three_years():
    # 200 weeks worked, 45 h/week at $50 straight time: 5 x 25 = 125 per week.
    two, three = flsa_overtime_estimate(Decimal("50"), 45, 200, "straight_time")["windows"]
    assert (two["weeks_counted"], two["back_wages"], two["total"]) == ("104", "13000.00", "26000.00")
    assert (three["weeks_counted"], three["back_wages"], three["total"]) == ("156", "19500.00", "39000.00")


def test_no_overtime_owed_at_or_under_forty_hours():
    estimate = flsa_overtime_estimate(80, 40, 52, "unpaid")
    assert estimate["overtime_hours_per_week"] == "0"
    assert all(w["total"] == "0.00" for w in estimate["windows"])


def test_exposure_in_a_result_is_labelled_and_uses_the_answers():
    answers = {
        **EMBEDDED_DATA_SCIENTIST,
        "work_state": "CA",
        "hours_per_week": 50,
        "hourly_rate": 60,
        "weeks_worked": 52,
        "overtime_hours_paid": "unpaid",
    }
    exposure = classify(answers, as_of=AS_OF).exposure.as_dict()
    assert exposure["label"] == "estimate, not legal advice"
    flsa = exposure["flsa"]
    assert "estimate, not legal advice" in flsa["label"]
    assert flsa["computed"] and flsa["windows"][0]["back_wages"] == "46800.00"
    assert flsa["inputs"]["convention"] == "unpaid"
    assert any("computer-employee exemption" in n for n in flsa["notes"])  # $60/h is above $27.63
    ca = exposure["california_226_8"]
    assert "estimate, not legal advice" in ca["label"]
    assert ca["willful_per_violation"] == {"min": "5000.00", "max": "15000.00"}
    assert ca["pattern_or_practice_per_violation"] == {"min": "10000.00", "max": "25000.00"}
    assert "qualitative" in exposure["payroll_tax"]["label"]
    assert any("3509" in n for n in exposure["payroll_tax"]["notes"])


def test_exposure_defaults_weeks_from_months_and_assumes_straight_time():
    answers = {**EMBEDDED_DATA_SCIENTIST, "hours_per_week": 45, "hourly_rate": 60}
    flsa = classify(answers, as_of=AS_OF).exposure.flsa
    assert flsa["inputs"]["weeks"] == "78"  # 18 months x 52 / 12
    assert flsa["inputs"]["convention"] == "straight_time"
    assert flsa["inputs"]["convention_source"].startswith("assumed")
    assert flsa["windows"][0]["back_wages"] == "11700.00"  # 5 h x 30 x 78
    assert classify(EMBEDDED_DATA_SCIENTIST, as_of=AS_OF).exposure.flsa["computed"] is False
    assert classify(EMBEDDED_DATA_SCIENTIST, as_of=AS_OF).exposure.california_226_8 is None


# --------------------------------------------------------------------------------------------------
# Registry, questionnaire, validation, determinism


def test_registry_lists_effective_dates_and_status_for_every_rule_set():
    listing = {r["id"]: r for r in rule_set_registry()}
    assert set(listing) == {
        "flsa_2024",
        "flsa_core_factors",
        "irs_common_law",
        "abc_california",
        "abc_massachusetts",
        "abc_new_jersey",
        "abc_illinois",
    }
    for entry in listing.values():
        assert date.fromisoformat(entry["effective_from"])
        assert "effective_to" in entry
        assert entry["status"] and entry["status_note"] and entry["version"] and entry["citation"]
    assert listing["flsa_2024"]["effective_from"] == "2024-03-11"
    assert listing["flsa_2024"]["status"] == "in force"
    assert listing["flsa_core_factors"]["status"] == "enforcement position"
    assert listing["flsa_core_factors"]["effective_from"] == "2025-05-01"
    history = {h["name"]: h["status"] for h in listing["flsa_core_factors"]["history"]}
    assert "rescinded" in history.values() and "proposed" in history.values()
    assert listing["abc_new_jersey"]["history"][0]["status"] == "proposed (paused)"
    assert any("[unverified]" in u for u in listing["abc_california"]["unverified"])
    for state_rule in ("abc_california", "abc_massachusetts", "abc_new_jersey", "abc_illinois"):
        assert listing[state_rule]["status"] == "in force"
        assert listing[state_rule]["test"] == "abc"


def test_every_question_a_rule_reads_is_in_the_questionnaire_and_every_question_is_used():
    for rule_set in REGISTRY.all():
        assert rule_set.reads() <= set(QUESTION_BY_ID), rule_set.id
    for entry in questionnaire():
        assert entry["used_by"], entry["id"]
        assert entry["type"] in ("bool", "choice", "number", "text")
    assert [q.id for q in QUESTIONS if q.required] == ["work_state", "duration_months", "hours_per_week"]


def test_a_factor_reading_an_undeclared_question_is_a_programming_error():
    factor = Factor("x", "X", "cite", ("set_hours",), lambda s: s.note(str(s.value("supervised"))))
    with pytest.raises(KeyError, match="supervised"):
        factor.evaluate({"set_hours": True})
    assert Signals({}, ()).majority().direction == NEUTRAL


def test_validate_answers_lists_every_problem_clearly():
    errors = validate_answers(
        {
            "work_state": "XX",
            "hours_per_week": "forty",
            "set_hour": True,
            "supervised": "yes",
            "duration_months": True,
            "controls_how": "boss",
            "hourly_rate": -5,
        }
    )
    text = "\n".join(errors)
    assert "unknown question id 'set_hour' (did you mean 'set_hours'?)" in text
    assert "hours_per_week: expected a number, got 'forty' (text)" in text
    assert "supervised: expected true or false, got 'yes'" in text
    assert "duration_months: expected a number, got True" in text
    assert "work_state: 'XX' is not one of a two-letter US state code" in text
    assert "controls_how: 'boss' is not one of client, shared, worker" in text
    assert "hourly_rate: must be at least 0" in text
    assert validate_answers({})[0].startswith("missing required answer 'work_state'")
    assert len(validate_answers({})) == 3
    assert validate_answers([1, 2])[0].startswith("answers must be a JSON object")
    assert validate_answers({**CLEAR_CONTRACTOR, "own_website": None}) == []  # null = not answered
    with pytest.raises(ClassificationInputError) as caught:
        classify({"work_state": "TX"}, as_of=AS_OF)
    assert len(caught.value.errors) == 2


def test_same_answers_give_the_same_digest_and_result():
    first = classify(CLEAR_CONTRACTOR, as_of=AS_OF)
    again = classify(dict(reversed(list(CLEAR_CONTRACTOR.items()))), as_of=AS_OF)
    assert first.inputs_digest == again.inputs_digest
    assert json.dumps(first.as_dict(), sort_keys=True) == json.dumps(again.as_dict(), sort_keys=True)
    assert len(first.inputs_digest) == 64 and first.engine_version == ENGINE_VERSION
    # 30 and 30.0, "tx" and "TX", null and missing are the same inputs.
    same = classify(
        {**CLEAR_CONTRACTOR, "hours_per_week": 30.0, "work_state": "tx", "own_website": None}, as_of=AS_OF
    )
    without = {k: v for k, v in CLEAR_CONTRACTOR.items() if k != "own_website"}
    assert same.inputs_digest == classify(without, as_of=AS_OF).inputs_digest
    # A different date or a different answer is a different input.
    assert classify(CLEAR_CONTRACTOR, as_of=date(2026, 11, 27)).inputs_digest != first.inputs_digest
    assert (
        classify({**CLEAR_CONTRACTOR, "hours_per_week": 31}, as_of=AS_OF).inputs_digest != first.inputs_digest
    )
    rule_sets = {r["rule_set"]["id"]: r["rule_set"]["version"] for r in first.as_dict()["regimes"]}
    assert rule_sets == {r: REGISTRY.get(r).version for r in FEDERAL}
