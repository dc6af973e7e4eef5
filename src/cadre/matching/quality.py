"""`cadre bench match-quality`: nDCG@10 and recall@50 on the O*NET-derived labelled dev set
(matching.devset), for the hybrid ranker, the same ranker without text, and a plain FTS5 BM25 baseline.

With `semantic=True` and the `cadre[semantic]` extra installed (matching.semantic), the people's documents
are embedded as passages and each requisition's title and description as a query, and two more methods
are scored: "semantic_only" (cosine similarity alone, over everyone) and "hybrid_semantic@w" (the hybrid
ranker with `scoring.WEIGHTS["semantic"]` set to w for the run; the default weights are restored after).

Relevance labels come from O*NET occupations (same occupation = 2, primary related occupation = 1),
never from the ranker. Requisitions are matched like `cadre match-text`: their must/nice skills, their
seniority, and the words of their title and description; there are no hard filters in the dev set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from cadre.matching import scoring
from cadre.matching.bench import create_fts
from cadre.matching.devset import DevSet, build_devset
from cadre.matching.fulltext import FTS_TABLE, SqliteFullText
from cadre.matching.index import MatchIndex, aggregate_evidence, day_number, unknown_attributes
from cadre.matching.metrics import mean, ndcg_at_k, recall_at_k
from cadre.matching.query import MatchQuery, text_terms
from cadre.matching.semantic import Embedder, available_embedder
from cadre.matching.synthetic import vocabulary
from cadre.matching.textindex import TermIndex
from cadre.taxonomy.models import SENIORITY_ORDER
from cadre.taxonomy.ontology import load_ontology

AS_OF = dt.date(2026, 11, 1)
SEMANTIC_WEIGHTS = (0.1, 0.2, 0.3)  # trial values of scoring.WEIGHTS["semantic"] for hybrid_semantic


def devset_index(ds: DevSet) -> tuple[MatchIndex, list[str], dict[int, str]]:
    ontology = load_ontology()
    vocab = vocabulary(ontology)
    ids = np.arange(1, len(ds.people) + 1, dtype=np.int64)
    key_of = {int(i): p.key for i, p in zip(ids, ds.people, strict=True)}
    rows, cols, kinds, days = [], [], [], []
    for row, p in enumerate(ds.people):
        for slug, kind, years_ago in p.skills:
            if slug in vocab.col:
                rows.append(row)
                cols.append(vocab.col[slug])
                kinds.append(scoring.KIND_CODE[kind])
                days.append(day_number(AS_OF) - int(years_ago * 365.25))
    columns = aggregate_evidence(
        len(ids),
        len(vocab.slugs),
        np.array(rows, np.int32),
        np.array(cols, np.int32),
        np.array(kinds, np.int8),
        np.array(days, np.int32),
        np.arange(1, len(rows) + 1, dtype=np.int64),
        as_of=AS_OF,
    )
    seniority = np.array([SENIORITY_ORDER.index(p.seniority) for p in ds.people], np.int8)
    index = MatchIndex(vocab, unknown_attributes(ids, seniority), columns, AS_OF, signature="devset")
    names = {slug: ontology.skills[slug].name for slug in ontology.skills}
    docs = [
        "\n".join([p.headline, p.summary, ", ".join(names[s] for s, _, _ in p.skills if s in names)])
        for p in ds.people
    ]
    index.terms = TermIndex.build(docs)
    return index, docs, key_of


def semantic_top(
    vectors: npt.NDArray[np.float32], query_vector: npt.NDArray[np.float32], top: int
) -> npt.NDArray[np.int64]:
    """Rows of the `top` profiles most similar to the query, best first (ties: lower row)."""
    sims = np.round(vectors @ query_vector.astype(np.float32), 6)
    return np.lexsort((np.arange(len(sims)), -sims))[:top]


@contextlib.contextmanager
def semantic_weight(weight: float) -> Iterator[None]:
    """scoring.WEIGHTS["semantic"] set to `weight` for the block, the original weights restored after."""
    saved = dict(scoring.WEIGHTS)
    scoring.WEIGHTS["semantic"] = weight
    try:
        yield
    finally:
        scoring.WEIGHTS.clear()
        scoring.WEIGHTS.update(saved)


def _semantic_share(weight: float) -> float:
    with semantic_weight(weight):
        w = scoring.weights_for(
            has_must=True, has_nice=True, has_platform=False, has_text=True, has_semantic=True
        )
    return round(w.semantic, 4)


def run_quality(
    onet_dir: Path,
    *,
    seed: int = 7,
    report: Callable[[str, int, int], None] | None = None,
    semantic: bool = False,
    semantic_weights: Sequence[float] = SEMANTIC_WEIGHTS,
    embedder: Embedder | None = None,
) -> dict[str, Any]:
    report = report or (lambda *_: None)
    t0 = time.perf_counter()
    steps = 4 if semantic else 3
    report("building the dev set from O*NET", 0, steps)
    ds = build_devset(onet_dir, seed=seed)
    index, docs, key_of = devset_index(ds)
    conn = sqlite3.connect(":memory:")
    create_fts(conn)
    conn.executemany(
        f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (?, ?)", [(i + 1, d) for i, d in enumerate(docs)]
    )

    @contextlib.contextmanager
    def cursor() -> Iterator[sqlite3.Cursor]:
        cur = conn.cursor()
        try:
            yield cur
        finally:
            cur.close()

    fts = SqliteFullText(cursor, placeholder="?")
    names = ["hybrid", "skills_only", "baseline_fulltext"]
    semantic_info: dict[str, Any] | None = None
    query_vectors: npt.NDArray[np.float32] | None = None
    if semantic:
        embedder = embedder or available_embedder()
        if embedder is None:
            semantic_info = {
                "available": False,
                "reason": "no embedder: install the optional extra, pip install 'cadre[semantic]'",
            }
        else:
            report(f"embedding {len(docs)} profiles and {len(ds.requisitions)} requisitions", 1, steps)
            t_embed = time.perf_counter()
            index.vectors = embedder.embed(docs, kind="passage")
            t_passages = time.perf_counter() - t_embed
            query_vectors = embedder.embed(
                [f"{req.title}\n{req.description}" for req in ds.requisitions], kind="query"
            )
            seconds = time.perf_counter() - t_embed
            n_texts = len(docs) + len(ds.requisitions)
            semantic_info = {
                "available": True,
                "embedder": embedder.name,
                "dim": embedder.dim,
                "texts": n_texts,
                "embedding_seconds": round(seconds, 1),
                "texts_per_s": round(n_texts / seconds, 1) if seconds else math.inf,
                "passages_per_s": round(len(docs) / t_passages, 1) if t_passages else math.inf,
                # Share of the score the component gets once the weights are renormalised over what a
                # dev-set query has (must, nice, seniority, text; no platform).
                "effective_share": {f"{w:g}": _semantic_share(w) for w in semantic_weights},
            }
            names += ["semantic_only", *(f"hybrid_semantic@{w:g}" for w in semantic_weights)]
    methods: dict[str, dict[str, list[float]]] = {m: {"ndcg@10": [], "recall@50": []} for m in names}
    report(f"ranking every requisition {len(names)} ways", steps - 2, steps)
    for i, req in enumerate(ds.requisitions):
        relevance = ds.relevance.get(req.key, {})
        terms = text_terms(req.title, req.description)
        query = MatchQuery(must=req.must, nice=req.nice, seniority=req.seniority, terms=terms)
        ranked = {
            "hybrid": [key_of[r.person_id] for r in index.rank(query, top=50).results],
            "skills_only": [
                key_of[r.person_id]
                for r in index.rank(
                    MatchQuery(must=req.must, nice=req.nice, seniority=req.seniority), top=50
                ).results
            ],
            "baseline_fulltext": [key_of[pid] for pid in fts.search(terms, 50)],
        }
        if query_vectors is not None and index.vectors is not None:
            qv = query_vectors[i]
            ranked["semantic_only"] = [
                key_of[int(index.people.person_ids[row])] for row in semantic_top(index.vectors, qv, 50)
            ]
            for w in semantic_weights:
                with semantic_weight(w):
                    result = index.rank(query, top=50, query_vector=qv, explain=False)
                ranked[f"hybrid_semantic@{w:g}"] = [key_of[r.person_id] for r in result.results]
        for method, keys in ranked.items():
            methods[method]["ndcg@10"].append(ndcg_at_k(keys, relevance, 10))
            methods[method]["recall@50"].append(recall_at_k(keys, relevance, 50))
    conn.close()
    report("done", steps, steps)
    out: dict[str, Any] = {
        "dev_set": {
            "people": len(ds.people),
            "requisitions": len(ds.requisitions),
            "occupations": len({p.occupation for p in ds.people}),
            "seed": seed,
            "source": ds.attribution,
        },
        "ranker": scoring.RANKER_VERSION,
        **{m: {k: round(mean(v), 4) for k, v in scores.items()} for m, scores in methods.items()},
    }
    if semantic_info is not None:
        out["semantic"] = semantic_info
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out
