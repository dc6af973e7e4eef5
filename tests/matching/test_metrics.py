"""Ranking metrics against hand-computed values."""

from __future__ import annotations

import math

import pytest

from cadre.matching.metrics import mean, ndcg_at_k, recall_at_k

LOG2_3 = math.log2(3)  # discount of rank 2; rank 1 is log2(2) = 1, rank 3 is log2(4) = 2


def test_perfect_ranking_scores_one():
    assert ndcg_at_k(["a", "b", "c"], {"a": 2, "b": 1}) == pytest.approx(1.0)
    assert recall_at_k(["a", "b"], {"a": 2, "b": 2}) == 1.0


def test_reversed_ranking_by_hand():
    # gains: grade 2 -> 3, grade 1 -> 1. Ranked b, a: DCG = 1/1 + 3/log2(3); ideal a, b: 3/1 + 1/log2(3).
    value = ndcg_at_k(["b", "a"], {"a": 2, "b": 1})
    assert value == pytest.approx((1 + 3 / LOG2_3) / (3 + 1 / LOG2_3))
    assert value == pytest.approx(0.79671, abs=1e-5)
    # c (grade 0), b, a: DCG = 0 + 1/log2(3) + 3/2.
    assert ndcg_at_k(["c", "b", "a"], {"a": 2, "b": 1}) == pytest.approx(0.58688, abs=1e-5)


def test_nothing_relevant_scores_zero():
    assert ndcg_at_k(["a", "b"], {}) == 0.0
    assert ndcg_at_k(["a", "b"], {"a": 0, "b": 0}) == 0.0
    assert ndcg_at_k([], {"a": 2}) == 0.0
    assert recall_at_k(["a"], {}) == 0.0
    assert recall_at_k(["a"], {"a": 1}) == 0.0  # no item reaches min_grade=2


def test_ideal_comes_from_the_relevance_map_not_the_ranking():
    # b is relevant but never ranked: ideal DCG = 3 + 3/log2(3).
    assert ndcg_at_k(["a"], {"a": 2, "b": 2}) == pytest.approx(3 / (3 + 3 / LOG2_3))


def test_k_cut_off():
    rel = {"a": 2}
    assert ndcg_at_k(["x", "y", "a"], rel, k=2) == 0.0
    assert ndcg_at_k(["x", "y", "a"], rel, k=3) == pytest.approx(0.5)  # 3/log2(4) over 3/1
    assert recall_at_k(["a", "b"], {"a": 2, "b": 2}, k=1) == 0.5
    assert recall_at_k(["x", "a"], {"a": 2}, k=1) == 0.0


def test_recall_counts_only_grades_at_or_above_min_grade():
    rel = {"a": 2, "b": 2, "c": 1}
    assert recall_at_k(["c", "a", "x"], rel) == 0.5
    assert recall_at_k(["c", "a", "x"], rel, min_grade=1) == pytest.approx(2 / 3)


def test_repeated_items_count_once():
    rel = {"a": 2, "b": 1}
    assert ndcg_at_k(["a", "a", "b"], rel, k=2) == pytest.approx(1.0)
    assert recall_at_k(["a", "a"], {"a": 2, "b": 2}, k=2) == 0.5


def test_k_must_be_positive():
    with pytest.raises(ValueError):
        ndcg_at_k(["a"], {"a": 1}, k=0)
    with pytest.raises(ValueError):
        recall_at_k(["a"], {"a": 2}, k=0)


def test_mean():
    assert mean([1.0, 2.0, 3.5]) == pytest.approx(6.5 / 3)
    assert mean(x for x in (0.25, 0.75)) == 0.5
    with pytest.raises(ValueError):
        mean([])
