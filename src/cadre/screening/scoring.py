"""How a sitting's answers become points and one score. Pure: no Django.

Every item earns points in [0, 1]:
- multiple choice: 1 when the chosen option is the key, else 0 (no partial credit, no negative marking);
- rubric (short answer, take-home): level 1..4 maps linearly to 0, 1/3, 2/3, 1 — level 1 is the anchor
  for "not demonstrated", so it earns nothing;
- ML task: the metric moves linearly from the task's floor (what a know-nothing answer scores: 0 points)
  to its target (what the true generating function scores: 1 point), clipped to [0, 1]; it works for
  both directions (RMSE: floor > target);
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
    """Linear from floor (0 points) to target (1 point), clipped; the direction follows floor vs target."""
    if not all(math.isfinite(x) for x in (value, floor, target)):
        raise ValueError("metric value, floor and target must be finite numbers")
    if floor == target:
        raise ValueError("a task's floor and target must differ")
    share = (value - floor) / (target - floor)
    return min(1.0, max(0.0, share))


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
    """A score as stored (6 decimal places, half-up)."""
    return Decimal(repr(value)).quantize(_PLACES, rounding=ROUND_HALF_UP)
