"""`cadre bench match-quality`: nDCG@10 and recall@50 on the O*NET-derived labelled dev set
(matching.devset), for the hybrid ranker, the same ranker without text, and a plain FTS5 BM25 baseline.

Relevance labels come from O*NET occupations (same occupation = 2, primary related occupation = 1),
never from the ranker. Requisitions are matched like `cadre match-text`: their must/nice skills, their
seniority, and the words of their title and description; there are no hard filters in the dev set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from cadre.matching import scoring
from cadre.matching.bench import create_fts
from cadre.matching.devset import DevSet, build_devset
from cadre.matching.fulltext import FTS_TABLE, SqliteFullText
from cadre.matching.index import MatchIndex, aggregate_evidence, day_number, unknown_attributes
from cadre.matching.metrics import mean, ndcg_at_k, recall_at_k
from cadre.matching.query import MatchQuery, text_terms
from cadre.matching.synthetic import vocabulary
from cadre.matching.textindex import TermIndex
from cadre.taxonomy.models import SENIORITY_ORDER
from cadre.taxonomy.ontology import load_ontology

AS_OF = dt.date(2026, 11, 1)


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


def run_quality(
    onet_dir: Path, *, seed: int = 7, report: Callable[[str, int, int], None] | None = None
) -> dict[str, Any]:
    report = report or (lambda *_: None)
    t0 = time.perf_counter()
    report("building the dev set from O*NET", 0, 3)
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
    methods: dict[str, dict[str, list[float]]] = {
        m: {"ndcg@10": [], "recall@50": []} for m in ("hybrid", "skills_only", "baseline_fulltext")
    }
    report("ranking every requisition three ways", 1, 3)
    for req in ds.requisitions:
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
        for method, keys in ranked.items():
            methods[method]["ndcg@10"].append(ndcg_at_k(keys, relevance, 10))
            methods[method]["recall@50"].append(recall_at_k(keys, relevance, 50))
    conn.close()
    report("done", 3, 3)
    return {
        "dev_set": {
            "people": len(ds.people),
            "requisitions": len(ds.requisitions),
            "occupations": len({p.occupation for p in ds.people}),
            "seed": seed,
            "source": ds.attribution,
        },
        "ranker": scoring.RANKER_VERSION,
        **{m: {k: round(mean(v), 4) for k, v in scores.items()} for m, scores in methods.items()},
        "seconds": round(time.perf_counter() - t0, 1),
    }
