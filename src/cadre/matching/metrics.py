"""Ranking-quality metrics for candidate matching: graded nDCG@k and recall@k.

Pure functions, no Django import. `ranked` is the ranker's output (best first), `relevance` maps an item
key to its grade (absent = 0). Items repeated in `ranked` count once, at their first position.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence


def _first_k(ranked: Sequence[str], k: int) -> list[str]:
    """The first k distinct items of `ranked`, in order."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    seen: set[str] = set()
    top: list[str] = []
    for item in ranked:
        if item in seen:
            continue
        seen.add(item)
        top.append(item)
        if len(top) == k:
            break
    return top


def _dcg(grades: Iterable[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def ndcg_at_k(ranked: Sequence[str], relevance: Mapping[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain of the top k: gain 2**grade - 1, discount log2(rank + 1).

    The ideal ranking is the relevance map sorted by grade; 0.0 when no item has a positive grade.
    """
    top = _first_k(ranked, k)
    ideal = _dcg(sorted((g for g in relevance.values() if g > 0), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    return _dcg(max(relevance.get(item, 0), 0) for item in top) / ideal


def recall_at_k(
    ranked: Sequence[str], relevance: Mapping[str, int], k: int = 50, min_grade: int = 2
) -> float:
    """Share of the items graded >= min_grade that appear in the top k; 0.0 when there are none."""
    top = _first_k(ranked, k)
    wanted = {item for item, grade in relevance.items() if grade >= min_grade}
    if not wanted:
        return 0.0
    return len(wanted.intersection(top)) / len(wanted)


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean; raises ValueError on no values (a mean of nothing is not a score of 0)."""
    total, count = 0.0, 0
    for value in values:
        total += value
        count += 1
    if count == 0:
        raise ValueError("mean() of no values")
    return total / count
