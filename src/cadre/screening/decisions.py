"""Scorecard decision rules: configurable, deterministic, explained. Pure module, no Django.

A rule set is a JSON list (stored as `DecisionRuleSet.rules`). Two kinds of entry:

    {"kind": "min_interviewers", "id": "panel", "min": 3}
        A precondition, checked before every other rule wherever it sits in the list: with fewer distinct
        interviewers than `min`, the outcome is hold and the decision is marked insufficient.
        Without one, a single scorecard is enough.

    {"id": "strong-no-veto", "description": "Any strong no rejects", "outcome": "reject",
     "when": [{"metric": "recommendations", "of": ["strong_no"], "op": ">=", "value": 1}]}
        A decision rule ("kind": "rule" may be omitted). Rules are tried in list order (the list order is
        the precedence); the first whose conditions all hold decides. `"when": []` always holds, so a
        last catch-all rule sets the default. If none holds, the outcome is hold.

Conditions (`op` is one of >=, >, <=, <, ==, !=):
    {"metric": "interviewers", "op", "value"}                   distinct interviewers who submitted
    {"metric": "recommendations", "of": [...], "measure": "count"|"share", "op", "value"}
                                                                scorecards whose recommendation is in `of`
    {"metric": "competency", "competencies": SELECTOR, "stat": "mean"|"min"|"max",
     "quantifier": "all"|"any", "op", "value"}                  each selected competency's mean (or lowest,
                                                                or highest) level across scorecards; "all"
                                                                needs every one to pass (an unrated one
                                                                fails), "any" needs one to pass
    {"metric": "overall_mean", "competencies": SELECTOR, "weighted": bool, "op", "value"}
                                                                mean of the competency means (weighted by
                                                                the framework weights when asked)
For "competency", "value": "expected" compares each competency with its own expected level (the
framework's bar for the role's seniority, passed to `decide` as `expected_levels`); a competency
without an expected level fails the comparison.
SELECTOR is a list of competency slugs, or "required" / "must_have" (passed to `decide` from the role's
competency framework), or "rated" (every competency that has a rating).

`decide()` is deterministic: the same scorecards (in any order), rules and framework inputs give the same
Decision and the same `inputs_digest` (SHA-256 of the canonical JSON of all of them).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

DECISIONS_VERSION = "decisions-2026.11.1"

LEVEL_MIN, LEVEL_MAX = 1, 4


class Recommendation(StrEnum):
    """An interviewer's overall recommendation, from most negative to most positive."""

    STRONG_NO = "strong_no"
    NO = "no"
    YES = "yes"
    STRONG_YES = "strong_yes"


RECOMMENDATIONS: tuple[str, ...] = tuple(r.value for r in Recommendation)
RECOMMENDATION_LABELS = {"strong_no": "strong no", "no": "no", "yes": "yes", "strong_yes": "strong yes"}


class Outcome(StrEnum):
    ADVANCE = "advance"
    REJECT = "reject"
    HOLD = "hold"


OUTCOMES: tuple[str, ...] = tuple(o.value for o in Outcome)
OPS: dict[str, Any] = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: math.isclose(a, b, abs_tol=1e-9),
    "!=": lambda a, b: not math.isclose(a, b, abs_tol=1e-9),
}
METRICS = ("interviewers", "recommendations", "competency", "overall_mean")
SELECTORS = ("required", "must_have", "rated")
STATS = ("mean", "min", "max")
QUANTIFIERS = ("all", "any")
MEASURES = ("count", "share")


class RuleConfigError(ValueError):
    """A rule set that cannot be evaluated; `path` names the offending entry (e.g. rules[2].when[0].op)."""

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.message = message
        self.path = path


class ScorecardError(ValueError):
    """A scorecard that cannot be used in a decision."""


# --- inputs ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scorecard:
    """One interviewer's submitted scorecard: overall recommendation and rubric levels (1-4) per competency.

    A competency the interviewer did not assess is left out (or given as None).
    """

    interviewer_id: str | int
    recommendation: str
    ratings: Mapping[str, int | None] = field(default_factory=dict)
    stage: str = ""

    def __post_init__(self) -> None:
        if self.recommendation not in RECOMMENDATIONS:
            shown = self.recommendation or "(blank)"
            raise ScorecardError(
                f"interviewer {self.interviewer_id}: recommendation {shown!r} is not one of "
                f"{', '.join(RECOMMENDATIONS)}"
            )
        for competency, level in self.ratings.items():
            if level is None:
                continue
            if isinstance(level, bool) or not isinstance(level, int) or not LEVEL_MIN <= level <= LEVEL_MAX:
                raise ScorecardError(
                    f"interviewer {self.interviewer_id}: {competency} level must be 1-4, not {level!r}"
                )

    def canonical(self) -> dict[str, Any]:
        return {
            "interviewer_id": str(self.interviewer_id),
            "stage": self.stage,
            "recommendation": str(self.recommendation),
            "ratings": {k: v for k, v in sorted(self.ratings.items()) if v is not None},
        }


# --- rule model -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    metric: str
    op: str
    value: float
    of: tuple[str, ...] = ()  # recommendations
    measure: str = "count"  # recommendations
    competencies: str | tuple[str, ...] = ()  # competency, overall_mean
    stat: str = "mean"  # competency
    quantifier: str = "all"  # competency
    weighted: bool = False  # overall_mean
    against_expected: bool = False  # competency: compare with each competency's expected level

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"metric": self.metric}
        if self.metric == "recommendations":
            out |= {"of": list(self.of), "measure": self.measure}
        if self.metric in ("competency", "overall_mean"):
            sel = self.competencies
            out["competencies"] = sel if isinstance(sel, str) else list(sel)
        if self.metric == "competency":
            out |= {"stat": self.stat, "quantifier": self.quantifier}
        if self.metric == "overall_mean":
            out["weighted"] = self.weighted
        value: int | float | str = int(self.value) if float(self.value).is_integer() else self.value
        if self.against_expected:
            value = "expected"
        return out | {"op": self.op, "value": value}


@dataclass(frozen=True)
class DecisionRule:
    id: str
    outcome: str
    when: tuple[Condition, ...]
    description: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "rule",
            "id": self.id,
            "description": self.description,
            "outcome": self.outcome,
            "when": [c.as_dict() for c in self.when],
        }


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[DecisionRule, ...]
    min_interviewers: int = 1
    min_interviewers_id: str = ""  # the id of the min_interviewers entry, when there is one
    min_interviewers_description: str = ""

    def as_data(self) -> list[dict[str, Any]]:
        """The JSON list this rule set parses from (canonical form: defaults filled in)."""
        out: list[dict[str, Any]] = []
        if self.min_interviewers_id:
            out.append(
                {
                    "kind": "min_interviewers",
                    "id": self.min_interviewers_id,
                    "description": self.min_interviewers_description,
                    "min": self.min_interviewers,
                }
            )
        return out + [r.as_dict() for r in self.rules]

    @property
    def digest(self) -> str:
        return _digest(self.as_data())


def _digest(data: Any) -> str:
    blob = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _number(raw: Any, path: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise RuleConfigError(f"value must be a number, not {raw!r}", path=path)
    return float(raw)


def _keys(entry: Mapping[str, Any], allowed: set[str], path: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise RuleConfigError(
            f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}", path=path
        )


def _selector(raw: Any, path: str) -> str | tuple[str, ...]:
    if isinstance(raw, str):
        if raw not in SELECTORS:
            raise RuleConfigError(
                f"competencies must be a list of slugs or one of {', '.join(SELECTORS)}, not {raw!r}",
                path=path,
            )
        return raw
    if not isinstance(raw, list) or not raw or not all(isinstance(s, str) and s for s in raw):
        raise RuleConfigError("competencies must be a non-empty list of competency slugs", path=path)
    if len(set(raw)) != len(raw):
        raise RuleConfigError("competencies lists a slug twice", path=path)
    return tuple(raw)


def parse_condition(entry: Any, path: str = "condition") -> Condition:
    if not isinstance(entry, Mapping):
        raise RuleConfigError("a condition must be an object", path=path)
    metric = entry.get("metric")
    if metric not in METRICS:
        raise RuleConfigError(f"metric must be one of {', '.join(METRICS)}, not {metric!r}", path=path)
    allowed = {
        "interviewers": {"metric", "op", "value"},
        "recommendations": {"metric", "of", "measure", "op", "value"},
        "competency": {"metric", "competencies", "stat", "quantifier", "op", "value"},
        "overall_mean": {"metric", "competencies", "weighted", "op", "value"},
    }[metric]
    _keys(entry, allowed, path)
    op = entry.get("op")
    if op not in OPS:
        raise RuleConfigError(f"op must be one of {' '.join(OPS)}, not {op!r}", path=f"{path}.op")
    if "value" not in entry:
        raise RuleConfigError("value is required", path=f"{path}.value")
    against_expected = metric == "competency" and entry["value"] == "expected"
    value = float(LEVEL_MIN) if against_expected else _number(entry["value"], f"{path}.value")
    if metric == "interviewers":
        if value < 0 or not value.is_integer():
            raise RuleConfigError("an interviewer count must be a whole number >= 0", path=f"{path}.value")
        return Condition(metric=metric, op=op, value=value)
    if metric == "recommendations":
        of = entry.get("of")
        if not isinstance(of, list) or not of:
            raise RuleConfigError("of must be a non-empty list of recommendations", path=f"{path}.of")
        bad = [r for r in of if r not in RECOMMENDATIONS]
        if bad:
            raise RuleConfigError(
                f"unknown recommendation(s) {bad!r}; use {', '.join(RECOMMENDATIONS)}", path=f"{path}.of"
            )
        measure = entry.get("measure", "count")
        if measure not in MEASURES:
            raise RuleConfigError(f"measure must be count or share, not {measure!r}", path=f"{path}.measure")
        if measure == "count" and (value < 0 or not value.is_integer()):
            raise RuleConfigError("a count must be a whole number >= 0", path=f"{path}.value")
        if measure == "share" and not 0 <= value <= 1:
            raise RuleConfigError("a share must be between 0 and 1", path=f"{path}.value")
        ordered = tuple(r for r in RECOMMENDATIONS if r in of)
        return Condition(metric=metric, op=op, value=value, of=ordered, measure=measure)
    if "competencies" not in entry:
        raise RuleConfigError("competencies is required", path=f"{path}.competencies")
    selector = _selector(entry["competencies"], f"{path}.competencies")
    if not LEVEL_MIN <= value <= LEVEL_MAX:
        raise RuleConfigError("a rubric level must be between 1 and 4", path=f"{path}.value")
    if metric == "competency":
        stat = entry.get("stat", "mean")
        if stat not in STATS:
            raise RuleConfigError(
                f"stat must be one of {', '.join(STATS)}, not {stat!r}", path=f"{path}.stat"
            )
        quantifier = entry.get("quantifier", "all")
        if quantifier not in QUANTIFIERS:
            raise RuleConfigError(
                f"quantifier must be all or any, not {quantifier!r}", path=f"{path}.quantifier"
            )
        return Condition(
            metric=metric,
            op=op,
            value=value,
            competencies=selector,
            stat=stat,
            quantifier=quantifier,
            against_expected=against_expected,
        )
    weighted = entry.get("weighted", False)
    if not isinstance(weighted, bool):
        raise RuleConfigError("weighted must be true or false", path=f"{path}.weighted")
    return Condition(metric=metric, op=op, value=value, competencies=selector, weighted=weighted)


def parse_rules(data: Any) -> RuleSet:
    """Validate a rule-set JSON list and build a RuleSet; RuleConfigError names the offending entry."""
    if isinstance(data, RuleSet):
        return data
    if isinstance(data, tuple):
        data = list(data)
    if not isinstance(data, list):
        raise RuleConfigError("a rule set must be a JSON list of rules", path="rules")
    if not data:
        raise RuleConfigError("a rule set needs at least one rule", path="rules")
    seen: set[str] = set()
    rules: list[DecisionRule] = []
    min_entry: tuple[str, str, int] | None = None
    for i, entry in enumerate(data):
        path = f"rules[{i}]"
        if not isinstance(entry, Mapping):
            raise RuleConfigError("a rule must be an object", path=path)
        rule_id = entry.get("id")
        if not isinstance(rule_id, str) or not rule_id.strip():
            raise RuleConfigError("every rule needs a non-empty id", path=f"{path}.id")
        if rule_id in seen:
            raise RuleConfigError(f"duplicate rule id {rule_id!r}", path=f"{path}.id")
        seen.add(rule_id)
        description = entry.get("description", "")
        if not isinstance(description, str):
            raise RuleConfigError("description must be text", path=f"{path}.description")
        kind = entry.get("kind", "rule")
        if kind == "min_interviewers":
            _keys(entry, {"kind", "id", "description", "min"}, path)
            if min_entry is not None:
                raise RuleConfigError("only one min_interviewers entry is allowed", path=path)
            minimum = entry.get("min")
            if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
                raise RuleConfigError("min must be a whole number >= 1", path=f"{path}.min")
            min_entry = (rule_id, description, minimum)
            continue
        if kind != "rule":
            raise RuleConfigError(f"kind must be rule or min_interviewers, not {kind!r}", path=f"{path}.kind")
        _keys(entry, {"kind", "id", "description", "outcome", "when"}, path)
        outcome = entry.get("outcome")
        if outcome not in OUTCOMES:
            raise RuleConfigError(
                f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}", path=f"{path}.outcome"
            )
        when = entry.get("when")
        if not isinstance(when, list):
            raise RuleConfigError("when must be a list of conditions ([] always holds)", path=f"{path}.when")
        conditions = tuple(parse_condition(c, f"{path}.when[{j}]") for j, c in enumerate(when))
        rules.append(DecisionRule(id=rule_id, outcome=outcome, when=conditions, description=description))
    if not rules:
        raise RuleConfigError(
            "a rule set needs at least one decision rule besides min_interviewers", path="rules"
        )
    if min_entry is None:
        return RuleSet(rules=tuple(rules))
    return RuleSet(
        rules=tuple(rules),
        min_interviewers=min_entry[2],
        min_interviewers_id=min_entry[0],
        min_interviewers_description=min_entry[1],
    )


# The shipped default: a panel of two, strong-no veto, must-have floor, consensus to advance, else debrief.
DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "kind": "min_interviewers",
        "id": "panel-complete",
        "description": "At least two interviewers must submit scorecards before any decision",
        "min": 2,
    },
    {
        "id": "strong-no-veto",
        "description": "Any strong no rejects",
        "outcome": "reject",
        "when": [{"metric": "recommendations", "of": ["strong_no"], "op": ">=", "value": 1}],
    },
    {
        "id": "must-have-floor",
        "description": "A must-have competency averaging below level 2 rejects",
        "outcome": "reject",
        "when": [
            {
                "metric": "competency",
                "competencies": "must_have",
                "stat": "mean",
                "quantifier": "any",
                "op": "<",
                "value": 2,
            }
        ],
    },
    {
        "id": "consensus-advance",
        "description": "At least two yes, no no, and every must-have competency at 2.5 or above advances",
        "outcome": "advance",
        "when": [
            {"metric": "recommendations", "of": ["yes", "strong_yes"], "op": ">=", "value": 2},
            {"metric": "recommendations", "of": ["no", "strong_no"], "op": "==", "value": 0},
            {
                "metric": "competency",
                "competencies": "must_have",
                "stat": "mean",
                "quantifier": "all",
                "op": ">=",
                "value": 2.5,
            },
        ],
    },
    {
        "id": "debrief",
        "description": "Anything else goes to a hiring-team debrief",
        "outcome": "hold",
        "when": [],
    },
]


# --- evaluation -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionResult:
    holds: bool
    fact: str  # what was observed, in words
    observed: float | None = None  # the number compared (None when nothing could be measured)

    def as_dict(self) -> dict[str, Any]:
        observed = None if self.observed is None else round(self.observed, 6)
        return {"holds": self.holds, "fact": self.fact, "observed": observed}


@dataclass(frozen=True)
class Reason:
    """One rule tried, in precedence order, with the facts behind each of its conditions."""

    rule_id: str
    description: str
    outcome: str  # the rule's outcome if it fires
    fired: bool
    conditions: tuple[ConditionResult, ...] = ()

    @property
    def facts(self) -> tuple[str, ...]:
        return tuple(c.fact for c in self.conditions)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "description": self.description,
            "outcome": self.outcome,
            "fired": self.fired,
            "conditions": [c.as_dict() for c in self.conditions],
        }


@dataclass(frozen=True)
class Decision:
    outcome: str  # advance / reject / hold
    decided_by: str | None  # the rule id that decided; None when no rule held
    insufficient: bool  # True when held because too few interviewers submitted
    reasons: tuple[Reason, ...]
    version: str
    inputs_digest: str
    rules_digest: str
    n_scorecards: int
    n_interviewers: int

    @property
    def explanation(self) -> str:
        if self.insufficient:
            return f"Hold: {self.reasons[0].facts[0]}."
        if self.decided_by is None:
            return "Hold: no rule matched."
        deciding = self.reasons[-1]
        label = deciding.description or deciding.rule_id
        facts = "; ".join(deciding.facts) or "always applies"
        return f"{self.outcome.capitalize()} by rule {deciding.rule_id!r} ({label}): {facts}."

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "decided_by": self.decided_by,
            "insufficient": self.insufficient,
            "explanation": self.explanation,
            "reasons": [r.as_dict() for r in self.reasons],
            "version": self.version,
            "inputs_digest": self.inputs_digest,
            "rules_digest": self.rules_digest,
            "n_scorecards": self.n_scorecards,
            "n_interviewers": self.n_interviewers,
        }


@dataclass(frozen=True)
class _Context:
    scorecards: tuple[Scorecard, ...]
    required: tuple[str, ...]
    must_have: tuple[str, ...]
    weights: Mapping[str, float]
    expected: Mapping[str, int]
    levels: Mapping[str, tuple[int, ...]]  # competency -> every level given to it

    def select(self, selector: str | tuple[str, ...]) -> tuple[str, ...]:
        if selector == "required":
            return self.required
        if selector == "must_have":
            return self.must_have
        if selector == "rated":
            return tuple(sorted(self.levels))
        assert isinstance(selector, tuple)
        return selector


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if not float(x).is_integer() else str(int(x))


def _stat(levels: Sequence[int], stat: str) -> float:
    if stat == "min":
        return float(min(levels))
    if stat == "max":
        return float(max(levels))
    return math.fsum(levels) / len(levels)


def _selector_label(selector: str | tuple[str, ...]) -> str:
    if isinstance(selector, str):
        return {"required": "required", "must_have": "must-have", "rated": "rated"}[
            selector
        ] + " competencies"
    return ", ".join(selector)


def _evaluate(c: Condition, ctx: _Context) -> ConditionResult:
    compare = OPS[c.op]
    target = f"{c.op} {_fmt(c.value)}"
    if c.metric == "interviewers":
        count = len({str(s.interviewer_id) for s in ctx.scorecards})
        return ConditionResult(bool(compare(count, c.value)), f"{count} interviewer(s) ({target})", count)
    if c.metric == "recommendations":
        count = sum(1 for s in ctx.scorecards if s.recommendation in c.of)
        names = " or ".join(RECOMMENDATION_LABELS[r] for r in c.of)
        if c.measure == "share":
            total = len(ctx.scorecards)
            if total == 0:
                return ConditionResult(False, f"share of {names}: no scorecards", None)
            share = count / total
            return ConditionResult(
                bool(compare(share, c.value)),
                f"{count} of {total} scorecards {names} ({target} share)",
                share,
            )
        return ConditionResult(bool(compare(count, c.value)), f"{count} {names} ({target})", count)
    competencies = ctx.select(c.competencies)
    label = _selector_label(c.competencies)
    if not competencies:
        return ConditionResult(False, f"no {label} to check", None)
    if c.metric == "competency":
        passing: list[str] = []
        failing: list[str] = []
        unrated: list[str] = []
        for slug in competencies:
            levels = ctx.levels.get(slug)
            if not levels:
                unrated.append(slug)
                continue
            value = _stat(levels, c.stat)
            if c.against_expected:
                bar = ctx.expected.get(slug)
                shown = f"{slug} {_fmt(value)} (bar {bar if bar is not None else 'not set'})"
                (passing if bar is not None and compare(value, bar) else failing).append(shown)
            else:
                (passing if compare(value, c.value) else failing).append(f"{slug} {_fmt(value)}")
        # "all" fails on an unrated competency: a missing rating must never advance anyone by default
        holds = (not failing and not unrated) if c.quantifier == "all" else bool(passing)
        parts = []
        if passing:
            parts.append("holds for " + ", ".join(passing))
        if failing:
            parts.append("not for " + ", ".join(failing))
        if unrated:
            parts.append("not rated: " + ", ".join(unrated))
        target = f"{c.op} expected level" if c.against_expected else target
        fact = f"{c.quantifier} {label} {c.stat} level {target} - " + "; ".join(parts)
        return ConditionResult(holds, fact, None)
    # overall_mean
    means: dict[str, float] = {}
    for slug in competencies:
        levels = ctx.levels.get(slug)
        if levels:
            means[slug] = _stat(levels, "mean")
    unrated = [slug for slug in competencies if slug not in means]
    if not means:
        return ConditionResult(False, f"overall mean of {label}: none rated", None)
    if c.weighted:
        weights = {slug: float(ctx.weights.get(slug, 0.0)) for slug in means}
        total_weight = math.fsum(weights.values())
        if total_weight <= 0:
            return ConditionResult(False, f"weighted mean of {label}: no weights for the rated ones", None)
        overall = math.fsum(means[s] * weights[s] for s in means) / total_weight
    else:
        overall = math.fsum(means.values()) / len(means)
    kind = "weighted mean" if c.weighted else "mean"
    fact = f"{kind} of {label} {_fmt(overall)} ({target})"
    if unrated:
        fact += "; not rated: " + ", ".join(unrated)
    return ConditionResult(bool(compare(overall, c.value)), fact, overall)


def _slugs(raw: Iterable[str], name: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        raise RuleConfigError(f"{name} must be a list of competency slugs, not a string", path=name)
    out = set(raw)
    if not all(isinstance(s, str) and s for s in out):
        raise RuleConfigError(f"{name} must contain competency slugs", path=name)
    return tuple(sorted(out))  # the framework's order carries no meaning; sorted keeps facts stable


def decide(
    scorecards: Iterable[Scorecard],
    rules: RuleSet | Sequence[Mapping[str, Any]] = DEFAULT_RULES,
    *,
    required: Iterable[str] = (),
    must_have: Iterable[str] = (),
    weights: Mapping[str, float] | None = None,
    expected_levels: Mapping[str, int] | None = None,
) -> Decision:
    """Apply a rule set to the submitted scorecards of one application.

    `required`, `must_have`, `weights` and `expected_levels` come from the role's competency framework
    (frameworks.Framework.required / .must_have / .weights / .expected_levels); rules refer to them as
    "required" / "must_have", weighted means and "value": "expected". They are part of the inputs digest.
    """
    ruleset = parse_rules(rules)
    cards = tuple(scorecards)
    for card in cards:
        if not isinstance(card, Scorecard):
            raise ScorecardError(f"expected Scorecard objects, got {type(card).__name__}")
    cards = tuple(sorted(cards, key=lambda s: json.dumps(s.canonical(), sort_keys=True)))
    required_t = _slugs(required, "required")
    must_have_t = _slugs(must_have, "must_have")
    weight_map = dict(weights or {})
    for slug, w in weight_map.items():
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w) or w < 0:
            raise RuleConfigError(f"weight for {slug} must be a number >= 0, not {w!r}", path="weights")
    expected = dict(expected_levels or {})
    for slug, bar in expected.items():
        if isinstance(bar, bool) or not isinstance(bar, int) or not LEVEL_MIN <= bar <= LEVEL_MAX:
            raise RuleConfigError(
                f"expected level for {slug} must be 1-4, not {bar!r}", path="expected_levels"
            )
    levels: dict[str, list[int]] = {}
    for card in cards:
        for slug, level in card.ratings.items():
            if level is not None:
                levels.setdefault(slug, []).append(level)
    ctx = _Context(
        scorecards=cards,
        required=required_t,
        must_have=must_have_t,
        weights=weight_map,
        expected=expected,
        levels={k: tuple(v) for k, v in sorted(levels.items())},
    )
    n_interviewers = len({str(s.interviewer_id) for s in cards})
    digest = _digest(
        {
            "version": DECISIONS_VERSION,
            "rules": ruleset.as_data(),
            "scorecards": [s.canonical() for s in cards],
            "required": sorted(required_t),
            "must_have": sorted(must_have_t),
            "weights": {k: float(v) for k, v in sorted(weight_map.items())},
            "expected_levels": dict(sorted(expected.items())),
        }
    )
    rules_digest = ruleset.digest

    def decision(
        outcome: str, decided_by: str | None, insufficient: bool, reasons: Sequence[Reason]
    ) -> Decision:
        return Decision(
            outcome=outcome,
            decided_by=decided_by,
            insufficient=insufficient,
            reasons=tuple(reasons),
            version=DECISIONS_VERSION,
            inputs_digest=digest,
            rules_digest=rules_digest,
            n_scorecards=len(cards),
            n_interviewers=n_interviewers,
        )

    minimum = ruleset.min_interviewers
    if n_interviewers < minimum:
        reason = Reason(
            rule_id=ruleset.min_interviewers_id or "min_interviewers",
            description=ruleset.min_interviewers_description or "Minimum number of interviewers",
            outcome=Outcome.HOLD.value,
            fired=True,
            conditions=(
                ConditionResult(
                    True,
                    f"insufficient scorecards: {n_interviewers} of {minimum} required interviewers submitted",
                    n_interviewers,
                ),
            ),
        )
        return decision(Outcome.HOLD.value, reason.rule_id, True, [reason])
    reasons: list[Reason] = []
    for rule in ruleset.rules:
        results = tuple(_evaluate(c, ctx) for c in rule.when)
        fired = all(r.holds for r in results)
        reasons.append(Reason(rule.id, rule.description, rule.outcome, fired, results))
        if fired:
            return decision(rule.outcome, rule.id, False, reasons)
    return decision(Outcome.HOLD.value, None, False, reasons)
