"""Clustering quality for identity resolution. Pure.

Pairwise precision/recall/F1 count the record pairs placed in one cluster (Christen, *Data Matching*,
2012, §7.3); B-cubed averages per-record precision and recall of the record's cluster
(Bagga & Baldwin, 1998; Amigó et al., 2009).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def clusters_from_pairs(ids: Iterable[Hashable], pairs: Iterable[tuple[Hashable, Hashable]]) -> dict:
    """Connected components (union-find): record id -> smallest id of its cluster."""
    parent: dict[Hashable, Hashable] = {i: i for i in ids}

    def find(x: Hashable) -> Hashable:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)  # type: ignore[operator]
            parent[hi] = lo  # the smallest id names the cluster, so results are deterministic
    return {i: find(i) for i in parent}


def pairwise(predicted: Mapping[Hashable, Hashable], truth: Mapping[Hashable, Hashable]) -> Scores:
    """Pairwise scores of a predicted clustering against the truth (same record ids in both).

    With no predicted pair precision is 1.0 (nothing claimed); with no true pair recall is 1.0."""
    ids = list(truth)
    both = Counter((predicted[i], truth[i]) for i in ids)
    tp = sum(_pairs(n) for n in both.values())
    pred_pairs = sum(_pairs(n) for n in Counter(predicted[i] for i in ids).values())
    true_pairs = sum(_pairs(n) for n in Counter(truth[i] for i in ids).values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / true_pairs if true_pairs else 1.0
    return Scores(p, r, _f1(p, r))


def bcubed(predicted: Mapping[Hashable, Hashable], truth: Mapping[Hashable, Hashable]) -> Scores:
    """B-cubed: for each record, |pred cluster ∩ true cluster| / |pred cluster| (precision) and
    / |true cluster| (recall), averaged over records."""
    ids = list(truth)
    if not ids:
        return Scores(1.0, 1.0, 1.0)
    both = Counter((predicted[i], truth[i]) for i in ids)
    pred_size = Counter(predicted[i] for i in ids)
    true_size = Counter(truth[i] for i in ids)
    p = sum(both[(predicted[i], truth[i])] / pred_size[predicted[i]] for i in ids) / len(ids)
    r = sum(both[(predicted[i], truth[i])] / true_size[truth[i]] for i in ids) / len(ids)
    return Scores(p, r, _f1(p, r))
