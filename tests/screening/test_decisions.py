"""Scorecard decision rules (pure, no database)."""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pytest

from cadre.screening.decisions import (
    DECISIONS_VERSION,
    DEFAULT_RULES,
    Recommendation,
    RuleConfigError,
    Scorecard,
    ScorecardError,
    decide,
    parse_rules,
)

MUST = ("coding", "ml_system_design")
REQUIRED = ("coding", "ml_system_design", "mlops")


def card(who: str, rec: str, **ratings: int | None) -> Scorecard:
    return Scorecard(interviewer_id=who, recommendation=rec, ratings=ratings)


def rule(rule_id: str, outcome: str, *when: dict[str, Any]) -> dict[str, Any]:
    return {"id": rule_id, "outcome": outcome, "when": list(when)}


def recs(of: list[str], op: str, value: float, measure: str = "count") -> dict[str, Any]:
    return {"metric": "recommendations", "of": of, "measure": measure, "op": op, "value": value}


# --- the default rule set ---------------------------------------------------------------------------------


def test_any_strong_no_rejects_even_among_strong_yes() -> None:
    cards = [
        card("a", "strong_yes", coding=4, ml_system_design=4),
        card("b", "strong_yes", coding=4, ml_system_design=4),
        card("c", "strong_no", coding=1, ml_system_design=3),
    ]
    d = decide(cards, DEFAULT_RULES, must_have=MUST)
    assert (d.outcome, d.decided_by, d.insufficient) == ("reject", "strong-no-veto", False)
    assert d.reasons[-1].facts == ("1 strong no (>= 1)",)
    assert "strong-no-veto" in d.explanation and "Any strong no rejects" in d.explanation


def test_consensus_advances_and_records_every_condition() -> None:
    cards = [
        card("a", "yes", coding=3, ml_system_design=3, mlops=2),
        card("b", "strong_yes", coding=4, ml_system_design=2),
    ]
    d = decide(cards, DEFAULT_RULES, must_have=MUST, required=REQUIRED)
    assert (d.outcome, d.decided_by) == ("advance", "consensus-advance")
    assert [r.rule_id for r in d.reasons] == ["strong-no-veto", "must-have-floor", "consensus-advance"]
    assert [r.fired for r in d.reasons] == [False, False, True]
    facts = d.reasons[-1].facts
    assert facts[0] == "2 yes or strong yes (>= 2)"
    assert facts[1] == "0 strong no or no (== 0)"
    assert "coding 3.5" in facts[2] and "ml_system_design 2.5" in facts[2]
    assert (d.n_scorecards, d.n_interviewers, d.version) == (2, 2, DECISIONS_VERSION)


def test_a_must_have_mean_below_two_rejects() -> None:
    cards = [card("a", "yes", coding=1, ml_system_design=3), card("b", "yes", coding=2, ml_system_design=3)]
    d = decide(cards, DEFAULT_RULES, must_have=MUST)
    assert (d.outcome, d.decided_by) == ("reject", "must-have-floor")
    assert "holds for coding 1.5; not for ml_system_design 3" in d.reasons[-1].facts[0]


def test_an_unrated_must_have_competency_never_advances() -> None:
    cards = [card("a", "strong_yes", coding=4), card("b", "strong_yes", coding=4)]
    d = decide(cards, DEFAULT_RULES, must_have=MUST)
    assert (d.outcome, d.decided_by) == ("hold", "debrief")
    consensus = next(r for r in d.reasons if r.rule_id == "consensus-advance")
    assert not consensus.fired and "not rated: ml_system_design" in consensus.facts[2]


def test_too_few_interviewers_is_an_insufficient_hold() -> None:
    d = decide([card("a", "strong_no", coding=1)], DEFAULT_RULES)
    assert (d.outcome, d.insufficient, d.decided_by) == ("hold", True, "panel-complete")
    assert d.reasons[0].facts == ("insufficient scorecards: 1 of 2 required interviewers submitted",)
    assert d.explanation.startswith("Hold: insufficient scorecards")
    # Two scorecards from one interviewer (two stages) are still one interviewer.
    same = [Scorecard("a", "yes", {"coding": 3}, "technical_screen"), Scorecard("a", "yes", {}, "final")]
    assert decide(same, DEFAULT_RULES).insufficient
    assert decide([], DEFAULT_RULES).insufficient


def test_without_a_minimum_one_scorecard_is_enough_but_none_is_not() -> None:
    rules = [rule("veto", "reject", recs(["strong_no"], ">=", 1))]
    assert decide([card("a", "strong_no")], rules).outcome == "reject"
    empty = decide([], rules)
    assert empty.insufficient and "0 of 1" in empty.reasons[0].facts[0]


# --- precedence and rule kinds ----------------------------------------------------------------------------


def test_list_order_is_precedence() -> None:
    cards = [card("a", "yes"), card("b", "yes"), card("c", "strong_no")]
    veto = rule("veto", "reject", recs(["strong_no"], ">=", 1))
    two_yes = rule("two-yes", "advance", recs(["yes", "strong_yes"], ">=", 2))
    assert decide(cards, [veto, two_yes]).outcome == "reject"
    advanced = decide(cards, [two_yes, veto])
    assert (advanced.outcome, advanced.decided_by, len(advanced.reasons)) == ("advance", "two-yes", 1)


def test_min_interviewers_applies_first_wherever_it_is_listed() -> None:
    rules = [
        rule("veto", "reject", recs(["strong_no"], ">=", 1)),
        {"kind": "min_interviewers", "id": "panel", "min": 3},
    ]
    d = decide([card("a", "strong_no"), card("b", "no")], rules)
    assert (d.outcome, d.insufficient, d.decided_by) == ("hold", True, "panel")


def test_no_matching_rule_holds_with_every_rule_explained() -> None:
    rules = [rule("veto", "reject", recs(["strong_no"], ">=", 1))]
    d = decide([card("a", "no")], rules)
    assert (d.outcome, d.decided_by, d.insufficient) == ("hold", None, False)
    assert d.explanation == "Hold: no rule matched."
    assert d.reasons[0].facts == ("0 strong no (>= 1)",)


def test_share_of_recommendations() -> None:
    rules = [rule("majority-no", "reject", recs(["no", "strong_no"], ">", 0.5, "share"))]
    two_of_three = [card("a", "no"), card("b", "no"), card("c", "yes")]
    one_of_two = [card("a", "no"), card("b", "yes")]
    d = decide(two_of_three, rules)
    assert d.outcome == "reject" and d.reasons[0].facts == (
        "2 of 3 scorecards strong no or no (> 0.5 share)",
    )
    assert decide(one_of_two, rules).outcome == "hold"


def test_every_must_have_at_level_two_uses_the_lowest_single_rating() -> None:
    floor = {
        "metric": "competency",
        "competencies": "must_have",
        "stat": "min",
        "quantifier": "all",
        "op": ">=",
        "value": 2,
    }
    rules = [rule("floor", "advance", floor)]
    ok = [card("a", "yes", coding=2, ml_system_design=4), card("b", "yes", coding=3, ml_system_design=2)]
    low = [card("a", "yes", coding=1, ml_system_design=4), card("b", "yes", coding=4, ml_system_design=4)]
    assert decide(ok, rules, must_have=MUST).outcome == "advance"
    assert decide(low, rules, must_have=MUST).outcome == "hold"  # mean 2.5 but one rating of 1


def test_an_empty_selector_never_holds() -> None:
    floor = {"metric": "competency", "competencies": "must_have", "op": ">=", "value": 2}
    d = decide([card("a", "yes", coding=4)], [rule("floor", "advance", floor)])
    assert d.outcome == "hold" and d.reasons[0].facts == ("no must-have competencies to check",)


def test_overall_mean_plain_and_weighted() -> None:
    cards = [card("a", "yes", coding=4, mlops=2), card("b", "yes", coding=4, mlops=1)]
    # Competency means: coding 4, mlops 1.5; ml_system_design not rated.
    plain = {"metric": "overall_mean", "competencies": "required", "op": ">=", "value": 2.75}
    weighted = {**plain, "weighted": True, "value": 3.5}
    weights = {"coding": 0.5, "ml_system_design": 0.3, "mlops": 0.2}
    d = decide(cards, [rule("plain", "advance", plain)], required=REQUIRED)
    assert d.outcome == "advance" and d.reasons[0].conditions[0].observed == pytest.approx(2.75)
    assert "not rated: ml_system_design" in d.reasons[0].facts[0]
    # (4 * 0.5 + 1.5 * 0.2) / 0.7 = 3.2857...
    w = decide(cards, [rule("weighted", "advance", weighted)], required=REQUIRED, weights=weights)
    assert w.outcome == "hold" and w.reasons[0].conditions[0].observed == pytest.approx(2.3 / 0.7)


def test_interviewer_count_condition_and_catch_all() -> None:
    rules = [
        rule("big-panel", "advance", {"metric": "interviewers", "op": ">=", "value": 3}),
        rule("x", "reject"),
    ]
    assert decide([card("a", "yes"), card("b", "yes"), card("c", "no")], rules).outcome == "advance"
    d = decide([card("a", "yes")], rules)
    assert (d.outcome, d.decided_by) == ("reject", "x")
    assert "always applies" in d.explanation


# --- determinism and serialisation ----------------------------------------------------------------------


def test_same_inputs_in_any_order_give_the_same_decision_and_digest() -> None:
    cards = [
        card("a", "yes", coding=3, ml_system_design=3),
        card("b", "no", coding=2, ml_system_design=3),
        card("c", "strong_yes", coding=4, ml_system_design=4, mlops=3),
    ]
    first = decide(cards, DEFAULT_RULES, must_have=MUST, required=REQUIRED)
    shuffled = list(cards)
    random.Random(1).shuffle(shuffled)
    assert decide(shuffled, DEFAULT_RULES, must_have=list(reversed(MUST)), required=REQUIRED) == first
    assert len(first.inputs_digest) == 64
    changed = [*cards[:2], card("c", "strong_yes", coding=4, ml_system_design=4, mlops=2)]
    assert (
        decide(changed, DEFAULT_RULES, must_have=MUST, required=REQUIRED).inputs_digest != first.inputs_digest
    )
    assert decide(cards, DEFAULT_RULES, must_have=("coding",), required=REQUIRED).inputs_digest != (
        first.inputs_digest
    )


def test_decision_and_rules_are_json_serialisable_and_round_trip() -> None:
    ruleset = parse_rules(DEFAULT_RULES)
    data = json.loads(json.dumps(ruleset.as_data()))
    assert parse_rules(data) == ruleset
    assert parse_rules(data).digest == ruleset.digest
    d = decide([card("a", "yes", coding=3), card("b", "yes", coding=3)], data, must_have=["coding"])
    payload = json.loads(json.dumps(d.as_dict()))
    assert payload["outcome"] == d.outcome and payload["rules_digest"] == ruleset.digest
    assert payload["reasons"][-1]["conditions"][0]["holds"] is True


def test_changing_a_rule_changes_the_rules_digest() -> None:
    other = json.loads(json.dumps(DEFAULT_RULES))
    other[0]["min"] = 3
    assert parse_rules(other).digest != parse_rules(DEFAULT_RULES).digest


# --- validation -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "path", "message"),
    [
        ({"id": "x"}, "rules", "JSON list"),
        ([], "rules", "at least one rule"),
        (["veto"], "rules[0]", "must be an object"),
        ([{"outcome": "reject", "when": []}], "rules[0].id", "non-empty id"),
        ([rule("a", "reject"), rule("a", "hold")], "rules[1].id", "duplicate rule id 'a'"),
        ([rule("a", "promote")], "rules[0].outcome", "outcome must be one of advance, reject, hold"),
        ([{"id": "a", "outcome": "hold"}], "rules[0].when", "when must be a list"),
        ([{"id": "a", "outcome": "hold", "when": [], "priority": 1}], "rules[0]", "unknown key(s) priority"),
        ([{"id": "a", "kind": "vote", "outcome": "hold", "when": []}], "rules[0].kind", "kind must be"),
        ([rule("a", "hold", {"metric": "vibes", "op": ">=", "value": 1})], "rules[0].when[0]", "metric must"),
        ([rule("a", "hold", recs(["strong_no"], "=>", 1))], "rules[0].when[0].op", "op must be one of"),
        ([rule("a", "hold", recs(["maybe"], ">=", 1))], "rules[0].when[0].of", "unknown recommendation"),
        ([rule("a", "hold", recs([], ">=", 1))], "rules[0].when[0].of", "non-empty list"),
        ([rule("a", "hold", recs(["no"], ">=", 1.5))], "rules[0].when[0].value", "whole number"),
        ([rule("a", "hold", recs(["no"], ">=", 2, "share"))], "rules[0].when[0].value", "between 0 and 1"),
        (
            [rule("a", "hold", {"metric": "recommendations", "of": ["no"], "op": ">=", "value": "2"})],
            "rules[0].when[0].value",
            "must be a number",
        ),
        (
            [rule("a", "hold", {"metric": "recommendations", "of": ["no"], "op": ">="})],
            "when[0].value",
            "required",
        ),
        (
            [rule("a", "hold", {"metric": "competency", "competencies": "all", "op": ">=", "value": 2})],
            "rules[0].when[0].competencies",
            "required, must_have, rated",
        ),
        (
            [rule("a", "hold", {"metric": "competency", "competencies": ["coding"], "op": ">=", "value": 5})],
            "rules[0].when[0].value",
            "between 1 and 4",
        ),
        (
            [rule("a", "hold", {"metric": "competency", "competencies": [], "op": ">=", "value": 2})],
            "rules[0].when[0].competencies",
            "non-empty list",
        ),
        (
            [
                rule(
                    "a",
                    "hold",
                    {"metric": "competency", "competencies": "rated", "stat": "mode", "op": ">=", "value": 2},
                )
            ],
            "rules[0].when[0].stat",
            "stat must be one of mean, min, max",
        ),
        (
            [
                rule(
                    "a",
                    "hold",
                    {"metric": "overall_mean", "competencies": "rated", "weighted": 1, "op": "<", "value": 2},
                )
            ],
            "rules[0].when[0].weighted",
            "true or false",
        ),
        ([{"kind": "min_interviewers", "id": "p", "min": 0}, rule("a", "hold")], "rules[0].min", ">= 1"),
        ([{"kind": "min_interviewers", "id": "p", "min": 2}], "rules", "besides min_interviewers"),
        (
            [
                {"kind": "min_interviewers", "id": "p", "min": 2},
                {"kind": "min_interviewers", "id": "q", "min": 3},
            ],
            "rules[1]",
            "only one min_interviewers",
        ),
    ],
)
def test_bad_rule_sets_get_clear_errors_with_a_path(rules: Any, path: str, message: str) -> None:
    with pytest.raises(RuleConfigError) as caught:
        parse_rules(rules)
    assert caught.value.path.endswith(path)
    assert message in caught.value.message


def test_decide_validates_rules_before_looking_at_scorecards() -> None:
    with pytest.raises(RuleConfigError, match="outcome must be one of"):
        decide([card("a", "yes")], [rule("a", "promote")])
    with pytest.raises(RuleConfigError, match="JSON list"):
        decide([card("a", "yes")], {"rules": DEFAULT_RULES})  # type: ignore[arg-type]
    assert decide([card("a", "strong_no")], tuple(DEFAULT_RULES[1:])).outcome == "reject"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"recommendation": ""}, "'(blank)' is not one of strong_no, no, yes, strong_yes"),
        ({"recommendation": "maybe"}, "'maybe' is not one of"),
        ({"ratings": {"coding": 5}}, "coding level must be 1-4"),
        ({"ratings": {"coding": 2.5}}, "coding level must be 1-4"),
        ({"ratings": {"coding": True}}, "coding level must be 1-4"),
    ],
)
def test_scorecard_validation(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ScorecardError, match=re.escape(message)):
        Scorecard(**{"interviewer_id": 7, "recommendation": "yes", **kwargs})


def test_unrated_competencies_may_be_given_as_none_and_enum_values_work() -> None:
    a = Scorecard(1, Recommendation.STRONG_YES, {"coding": 4, "mlops": None})
    b = Scorecard(2, "strong_yes", {"coding": 4})
    d = decide([a, b], DEFAULT_RULES, must_have=["coding"])
    assert d.outcome == "advance"
    assert a.canonical() == {
        "interviewer_id": "1",
        "stage": "",
        "recommendation": "strong_yes",
        "ratings": {"coding": 4},
    }


def test_bad_framework_inputs_are_rejected() -> None:
    with pytest.raises(RuleConfigError, match="must_have must be a list"):
        decide([card("a", "yes")], DEFAULT_RULES, must_have="coding")
    with pytest.raises(RuleConfigError, match="weight for coding"):
        decide([card("a", "yes")], DEFAULT_RULES, weights={"coding": -1})


def test_competencies_can_be_compared_with_their_expected_level() -> None:
    at_bar = {
        "metric": "competency",
        "competencies": "required",
        "stat": "mean",
        "quantifier": "all",
        "op": ">=",
        "value": "expected",
    }
    rules = [rule("meets-bar", "advance", at_bar)]
    assert parse_rules(rules).as_data()[0]["when"][0]["value"] == "expected"
    cards = [card("a", "yes", coding=4, mlops=2), card("b", "yes", coding=3, mlops=2)]
    bars = {"coding": 3, "mlops": 2}
    d = decide(cards, rules, required=["coding", "mlops"], expected_levels=bars)
    assert d.outcome == "advance"
    assert d.reasons[0].facts == (
        "all required competencies mean level >= expected level"
        " - holds for coding 3.5 (bar 3), mlops 2 (bar 2)",
    )
    raised = decide(cards, rules, required=["coding", "mlops"], expected_levels={"coding": 4, "mlops": 2})
    assert raised.outcome == "hold" and "not for coding 3.5 (bar 4)" in raised.reasons[0].facts[0]
    assert raised.inputs_digest != d.inputs_digest
    no_bar = decide(cards, rules, required=["coding", "mlops"], expected_levels={"coding": 3})
    assert no_bar.outcome == "hold" and "mlops 2 (bar not set)" in no_bar.reasons[0].facts[0]
    with pytest.raises(RuleConfigError, match="expected level for coding must be 1-4"):
        decide(cards, rules, expected_levels={"coding": 5})
    with pytest.raises(RuleConfigError, match="must be a number"):
        parse_rules(
            [
                rule(
                    "x",
                    "hold",
                    {"metric": "overall_mean", "competencies": "rated", "op": ">=", "value": "expected"},
                )
            ]
        )
