"""The one "closest difficulty" rule for picking questions, shared by the assessment assembler and the
interview kits. Pure: no Django.

The target difficulty comes from the framework (`frameworks.Framework.question_difficulty`, set per
seniority in `data/competencies.json`), so a change to the levels is one data edit. Questions are ranked
by distance from the target; among equally distant ones the easier comes first (a screen should not
overshoot the level it hires for); remaining ties go by a hash of the seed and the question's id, so one
seed always gives the same order and different seeds (requisitions) spread the bank's use.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

DIFFICULTY_VERSION = "difficulty-1.0"

T = TypeVar("T")


def tiebreak(seed: str, ident: str) -> str:
    """The deterministic tie-break of `seed` and a question id (a hex digest; compare as strings)."""
    return hashlib.sha256(f"{seed}\x1f{ident}".encode()).hexdigest()


def rank_key(difficulty: int, target: int, ident: str, seed: str = "") -> tuple[int, int, str]:
    """The sort key: distance from the target, then the easier, then the seeded hash."""
    return (abs(int(difficulty) - int(target)), int(difficulty), tiebreak(seed, ident))


def closest_by_difficulty(
    items: Iterable[T],
    target: int,
    *,
    difficulty: Callable[[T], int],
    ident: Callable[[T], str],
    seed: str = "",
    n: int | None = None,
) -> list[T]:
    """`items` ordered by `rank_key` (the first `n` of them when `n` is given)."""
    ranked = sorted(items, key=lambda item: rank_key(difficulty(item), target, ident(item), seed))
    return ranked if n is None else ranked[:n]
