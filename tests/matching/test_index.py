"""The ranker without a database: exactness, determinism, evidence strength, filters, BM25 vs FTS5."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace

import numpy as np
import pytest

from cadre.matching import scoring
from cadre.matching.bench import create_fts
from cadre.matching.fulltext import FTS_TABLE, fts5_query
from cadre.matching.index import NO_DAY, aggregate_evidence, day_number
from cadre.matching.query import HardFilters, MatchQuery, text_terms
from cadre.matching.synthetic import synthetic_pool, synthetic_queries
from cadre.matching.textindex import TermIndex, tokens
from cadre.taxonomy.ontology import load_ontology

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def pool():
    ontology = load_ontology()
    pool = synthetic_pool(ontology, 3000, seed=5, as_of=AS_OF)
    pool.index.terms = TermIndex.build(body for _, body in pool.documents(ontology))
    return pool


@pytest.fixture(scope="module")
def queries():
    return synthetic_queries(load_ontology(), 30, seed=9, as_of=AS_OF)


def brute_force(index, query, top):
    """Score every eligible candidate in full (text for all of them), then sort."""
    result = index.rank(query, top=100_000)
    return [(r.person_id, r.score) for r in result.results][:top]


def test_top_k_equals_scoring_everyone(pool, queries):
    for q in queries:
        fast = pool.index.rank(q, top=10)
        assert not fast.approximate
        assert [(r.person_id, r.score) for r in fast.results] == brute_force(pool.index, q, 10), q.label


def test_text_relevance_from_postings_equals_per_document(pool, queries):
    terms = pool.index.terms
    rows = np.arange(pool.index.size, dtype=np.int32)
    for q in queries[:10]:
        everyone = terms.relevance_all(q.terms)
        assert np.allclose(everyone, terms.relevance(rows, q.terms), rtol=1e-9, atol=1e-12)


def test_text_relevance_changes_order_but_is_bounded_by_its_weight(pool, queries):
    q = queries[0]
    with_text = pool.index.rank(q, top=20)
    without = pool.index.rank(replace(q, terms=()), top=20)
    assert [r.person_id for r in with_text.results] != [r.person_id for r in without.results]
    w = with_text.weights["text"]
    for r in with_text.results:
        assert 0 <= r.components["text"] <= 1
        assert r.score == pytest.approx(
            sum(with_text.weights[k] * r.components[k] for k in ("must", "nice", "platform", "seniority"))
            + w * r.components["text"],
            abs=1e-5,
        )


def test_same_query_same_answer(pool, queries):
    for q in queries[:5]:
        a = pool.index.rank(q, top=25)
        b = pool.index.rank(q, top=25)
        assert [(r.person_id, r.score, r.explanation) for r in a.results] == [
            (r.person_id, r.score, r.explanation) for r in b.results
        ]


def test_ties_break_by_lower_person_id(pool):
    # Everyone with Python and nothing else asked: many equal scores.
    q = MatchQuery(must=("python",))
    results = pool.index.rank(q, top=200).results
    for a, b in zip(results, results[1:], strict=False):
        assert (a.score > b.score) or (a.score == b.score and a.person_id < b.person_id)


def test_noisy_or_and_recency():
    # Person 0 has PyTorch from a merged PR last month and a resume mention; person 1 a 2015 keyword.
    day = np.array(
        [day_number(AS_OF) - 30, day_number(AS_OF) - 30, day_number(dt.date(2015, 1, 1))], np.int32
    )
    kind = np.array([scoring.KIND_CODE[k] for k in ("merged_pr", "resume", "resume")], np.int8)
    cols = aggregate_evidence(
        2,
        1,
        np.array([0, 0, 1], np.int32),
        np.array([0, 0, 0], np.int32),
        kind,
        day,
        np.array([10, 11, 12], np.int64),
        as_of=AS_OF,
    )
    strong, weak = (float(s) for s in cols.strength)
    age = 30 / 365.25
    expected = scoring.combine(
        [
            scoring.KIND_WEIGHT["merged_pr"] * 0.5 ** (age / 3),
            scoring.KIND_WEIGHT["resume"] * 0.5 ** (age / 3),
        ]
    )
    assert strong == pytest.approx(expected, rel=1e-5)
    assert weak == pytest.approx(scoring.KIND_WEIGHT["resume"] * scoring.RECENCY_FLOOR, rel=1e-5)
    assert strong > 3 * weak
    assert list(cols.best_evidence) == [10, 12]  # the merged PR is the evidence cited
    assert list(cols.n_evidence) == [2, 1]


def test_undated_evidence_counts_as_fairly_old():
    cols = aggregate_evidence(
        1,
        1,
        np.array([0], np.int32),
        np.array([0], np.int32),
        np.array([scoring.KIND_CODE["employment"]], np.int8),
        np.array([NO_DAY], np.int32),
        np.array([1], np.int64),
        as_of=AS_OF,
    )
    age = scoring.UNDATED_AGE_YEARS
    assert float(cols.strength[0]) == pytest.approx(
        scoring.KIND_WEIGHT["employment"] * 0.5 ** (age / scoring.RECENCY_HALF_LIFE_YEARS), rel=1e-5
    )


def test_unknown_attributes_pass_filters_and_are_flagged(pool):
    index = pool.index
    strict = HardFilters(start_day=day_number(AS_OF), pay_max_hourly=1.0, work_country="US")
    result = index.rank(MatchQuery(must=("python",), filters=strict), top=500)
    people = index.people
    for r in result.results:
        row = int(index.rows_of([r.person_id])[0])
        assert np.isnan(people.min_rate_hourly[row]) or people.min_rate_hourly[row] <= 1.0
        assert people.available_from[row] in (NO_DAY,) or people.available_from[row] <= day_number(AS_OF)
        notes = " ".join(r.explanation["validate_in_interview"])
        if np.isnan(people.min_rate_hourly[row]):
            assert "Rate expectations unknown" in notes


def test_relaxing_a_filter_widens_the_result(pool):
    q = MatchQuery(must=("python",), filters=HardFilters(clearance="secret", remote_policy=""))
    strict = pool.index.rank(q, top=500)
    relaxed = pool.index.rank(replace(q, relaxed=frozenset({"clearance"})), top=500)
    assert strict.eligible < relaxed.eligible
    assert strict.excluded_by["clearance"] == relaxed.eligible - strict.eligible


def test_must_haves_nobody_has_give_a_reason(pool):
    result = pool.index.rank(MatchQuery(must=("no-such-skill",)), top=10)
    assert result.results == [] and "Nobody in the talent pool" in result.reason


def test_stop_words_make_no_terms():
    assert text_terms("the and of with a to") == ()
    assert text_terms("Senior PyTorch engineer, C++ and Node.js") == (
        "senior",
        "pytorch",
        "engineer",
        "node",
        "js",
    )


def test_bm25_matches_fts5():
    docs = [
        "Senior machine learning engineer. PyTorch, Kubernetes, MLflow.",
        "Data engineer: Spark, Airflow, dbt and Snowflake pipelines for analytics.",
        "Research scientist in reinforcement learning and PyTorch; published at NeurIPS.",
        "Kubernetes platform engineer running GPU clusters for model training with PyTorch.",
        "Café owner who learned Python for pricing models",  # accents fold like unicode61
        "",
    ]
    conn = sqlite3.connect(":memory:")
    create_fts(conn)
    conn.executemany(
        f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (?, ?)", [(i + 1, d) for i, d in enumerate(docs) if d]
    )
    index = TermIndex.build(docs)
    for terms in (["pytorch"], ["kubernetes", "pytorch", "gpu"], ["cafe", "python"], ["spark", "nothing"]):
        fts = dict(
            conn.execute(
                f"SELECT rowid - 1, -bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?",
                [fts5_query(terms)],
            ).fetchall()
        )
        ours = index.bm25(np.arange(len(docs), dtype=np.int32), terms)
        for row in range(len(docs)):
            assert ours[row] == pytest.approx(fts.get(row, 0.0), rel=1e-6, abs=1e-9), (terms, row)
    assert tokens("Café C++ Node.js") == ["cafe", "c", "node", "js"]
