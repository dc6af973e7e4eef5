"""How a sitting's answers become points and one score. Pure: no Django.

Every item earns points in [0, 1]:
- multiple choice: 1 when the chosen option is the key, else 0 (no partial credit, no negative marking);
- rubric (short answer, take-home): level 1..4 maps linearly to 0, 1/3, 2/3, 1 — level 1 is the anchor
  for "not demonstrated", so it earns nothing;
- ML task: the metric moves linearly from the task's floor (what a know-nothing answer scores: 0 points)
  to its target (what the true generating function scores: 1 point), clipped to [0, 1]; it works for
  both directions (RMSE: floor > target). Each task declares its pair in its spec
  (`{"scoring": {"floor": ..., "target": ...}}`, checked by `task_anchors`) and the candidate sees it as
  `points_rule`. A metric however extreme (an RMSE of 1e30) only earns 0 points: the raw value is kept
  in the submission's result (`json_number`), never in a fixed-precision column;
- coding task: the share of hidden tests that passed;
- an item not answered: 0.

The sitting score is the weighted mean over competencies of each competency's weighted mean of item
points (item weights within a competency, framework weights across competencies), so a competency with
many short questions does not outweigh one with a single task. A competency whose items are all still
awaiting review makes the score incomplete (None) rather than guessing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SCORING_VERSION = "scoring-1.0"
LEVELS = (1, 2, 3, 4)
_PLACES = Decimal("0.000001")


def choice_points(chosen: Iterable[str], correct: Iterable[str]) -> float:
    """1.0 when the chosen set equals the key exactly, else 0.0."""
    picked = {str(c) for c in chosen}
    return 1.0 if picked and picked == {str(c) for c in correct} else 0.0


def level_points(level: int) -> float:
    """Rubric level 1..4 -> 0, 1/3, 2/3, 1."""
    if isinstance(level, bool) or level not in LEVELS:
        raise ValueError(f"a rubric level is 1, 2, 3 or 4, not {level!r}")
    return (level - 1) / 3


def task_points(value: float, floor: float, target: float) -> float:
    """Linear from floor (0 points) to target (1 point), clipped; the direction follows floor vs target.

    The value is clipped to [floor, target] before any arithmetic, so no value however large overflows."""
    if not all(math.isfinite(x) for x in (value, floor, target)):
        raise ValueError("metric value, floor and target must be finite numbers")
    if floor == target:
        raise ValueError("a task's floor and target must differ")
    low, high = min(floor, target), max(floor, target)
    clipped = min(high, max(low, value))
    share = (clipped - floor) / (target - floor)
    if not math.isfinite(share):
        raise ValueError("a task's floor and target are too far apart to score")
    return min(1.0, max(0.0, share))


def task_anchors(config: Mapping[str, object] | None, direction: str) -> tuple[float, float]:
    """A task's declared (floor, target) from its spec's "scoring" block, checked: both finite numbers,
    different, and in the metric's direction ("higher" or "lower" is better). ValueError otherwise."""
    if not isinstance(config, Mapping):
        raise ValueError('the task declares no scoring anchors ({"floor": ..., "target": ...})')
    try:
        floor, target = float(config["floor"]), float(config["target"])  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("the task's scoring floor and target must be numbers") from exc
    if not (math.isfinite(floor) and math.isfinite(target)) or floor == target:
        raise ValueError("the task's scoring floor and target must be finite and differ")
    if direction == "higher" and not floor < target or direction == "lower" and not floor > target:
        raise ValueError(f"the task's target must be better than its floor ({direction} is better)")
    task_points(floor, floor, target)  # the span itself must be scorable
    return floor, target


def points_rule(floor: float, target: float) -> str:
    """How an ML task's metric becomes points, in words for the candidate."""
    worse, better = ("below", "above") if target > floor else ("above", "below")
    return (
        f"0 points at {floor:g} or {worse}, full points at {target:g} or {better}, in proportion in between"
    )


def json_number(value: float) -> float | str:
    """A metric value as stored in JSON: the float when finite, else its text ("inf", "nan") so that
    every database's JSON column accepts it."""
    return float(value) if math.isfinite(value) else str(value)


def passed_points(passed: int, total: int) -> float:
    """The share of hidden tests that passed (0 when there were none to run)."""
    if total <= 0:
        return 0.0
    return min(1.0, max(0.0, passed / total))


@dataclass(frozen=True)
class ItemPoints:
    """One item's contribution: its competency, weight within it, and points (None: awaiting review)."""

    competency: str
    weight: float
    points: float | None


@dataclass(frozen=True)
class SittingScore:
    score: float | None
    by_competency: dict[str, dict[str, float | int | None]]
    complete: bool

    def as_dict(self) -> dict[str, object]:
        return {"score": self.score, "complete": self.complete, "by_competency": self.by_competency}


def sitting_score(items: Iterable[ItemPoints], competency_weights: Mapping[str, float]) -> SittingScore:
    """The weighted mean per competency, then across competencies (see the module docstring).

    A competency with items but no weight in `competency_weights` gets weight 1; weights must be >= 0 and
    at least one competency with items must have a positive weight.
    """
    grouped: dict[str, list[ItemPoints]] = {}
    for item in items:
        if item.weight < 0 or (item.points is not None and not 0.0 <= item.points <= 1.0):
            raise ValueError(f"bad item for {item.competency}: weight {item.weight}, points {item.points}")
        grouped.setdefault(item.competency, []).append(item)
    by_competency: dict[str, dict[str, float | int | None]] = {}
    complete = True
    for competency in sorted(grouped):
        rows = grouped[competency]
        pending = sum(1 for r in rows if r.points is None)
        complete = complete and pending == 0
        total_weight = sum(r.weight for r in rows)
        mean: float | None = None
        if pending == 0 and total_weight > 0:
            mean = sum(r.weight * (r.points or 0.0) for r in rows) / total_weight
        by_competency[competency] = {
            "score": mean,
            "weight": float(competency_weights.get(competency, 1.0)),
            "items": len(rows),
            "pending": pending,
        }
    weights = {c: float(v["weight"] or 0.0) for c, v in by_competency.items()}
    if any(w < 0 for w in weights.values()):
        raise ValueError("competency weights must be >= 0")
    if not by_competency or sum(weights.values()) <= 0:
        return SittingScore(None, by_competency, complete=False)
    if not complete:
        return SittingScore(None, by_competency, complete=False)
    score = sum(weights[c] * float(v["score"] or 0.0) for c, v in by_competency.items()) / sum(
        weights.values()
    )
    return SittingScore(score, by_competency, complete=True)


def outcome(score: float | Decimal | None, threshold: float | Decimal | None) -> str | None:
    """ "pass" at or above the threshold, "fail" below, None when either is unknown."""
    if score is None or threshold is None:
        return None
    return "pass" if Decimal(str(score)) >= Decimal(str(threshold)) else "fail"


def quantize(value: float) -> Decimal:
    """Points (0..1) or a sitting score as stored (6 decimal places, half-up). Anything else is refused
    with ValueError: the columns hold numeric(12, 6), never a raw metric value."""
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"a stored score lies in [0, 1], not {value!r}")
    return Decimal(repr(float(value))).quantize(_PLACES, rounding=ROUND_HALF_UP)
