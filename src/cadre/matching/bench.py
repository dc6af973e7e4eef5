"""`cadre bench match`: build a scratch index of N synthetic people (skills from the ontology with
realistic distributions) plus an FTS5 full-text index in a scratch SQLite file, then time top-k queries
with explanations over varied requisitions, against a plain full-text-only baseline in the same run.
Your own database is not touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import resource
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cadre.matching.fulltext import FTS_TABLE, FTS_VOCAB, SqliteFullText
from cadre.matching.synthetic import synthetic_pool, synthetic_queries
from cadre.matching.textindex import TermIndex
from cadre.taxonomy.ontology import load_ontology

Report = Callable[[str, int, int], None]


@dataclass
class MatchBenchConfig:
    people: int = 100_000
    queries: int = 200
    top: int = 50
    seed: int = 42
    text: bool = True


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def create_fts(conn: sqlite3.Connection) -> None:
    conn.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(body, tokenize='unicode61')")
    conn.execute(f"CREATE VIRTUAL TABLE {FTS_VOCAB} USING fts5vocab({FTS_TABLE}, 'row')")


def _percentiles(ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "max_ms": round(float(max(ms)), 1),
    }


def run_match_bench(cfg: MatchBenchConfig, report: Report | None = None) -> dict[str, Any]:
    report = report or (lambda *_: None)
    ontology = load_ontology()
    as_of = dt.date(2026, 11, 1)
    t0 = time.perf_counter()
    report("generating people and building the skill index", 0, 3)
    pool = synthetic_pool(ontology, cfg.people, seed=cfg.seed, as_of=as_of, keep_skills=cfg.text)
    index_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="cadre-bench-match-") as tmp:
        conn = sqlite3.connect(os.path.join(tmp, "fts.sqlite3"), check_same_thread=False)
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        fts_s = terms_s = 0.0
        if cfg.text:
            report("building the full-text index (FTS5) and the BM25 token index", 1, 3)
            t1 = time.perf_counter()
            create_fts(conn)
            conn.executemany(f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (?, ?)", pool.documents(ontology))
            conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
            conn.commit()
            fts_s = time.perf_counter() - t1
            t1 = time.perf_counter()
            pool.index.terms = TermIndex.build(body for _, body in pool.documents(ontology))
            terms_s = time.perf_counter() - t1
            pool.person_skills.clear()
        build_s = time.perf_counter() - t0

        @contextlib.contextmanager
        def cursor() -> Iterator[sqlite3.Cursor]:
            cur = conn.cursor()
            try:
                yield cur
            finally:
                cur.close()

        fulltext = SqliteFullText(cursor, placeholder="?")
        queries = synthetic_queries(ontology, cfg.queries, seed=cfg.seed + 1, as_of=as_of)
        report("timing hybrid queries", 2, 3)
        hybrid_ms: list[float] = []
        baseline_ms: list[float] = []
        approximate = empty = 0
        overlap: list[float] = []
        for q in queries:
            t = time.perf_counter()
            result = pool.index.rank(q, top=cfg.top)
            hybrid_ms.append((time.perf_counter() - t) * 1000)
            approximate += result.approximate
            empty += not result.results
            if cfg.text:
                t = time.perf_counter()
                plain = fulltext.search(q.terms, cfg.top)
                baseline_ms.append((time.perf_counter() - t) * 1000)
                ids = {r.person_id for r in result.results}
                overlap.append(len(ids & set(plain)) / max(len(ids), 1))
        conn.close()
        db_mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 1e6
    report("done", 3, 3)
    out: dict[str, Any] = {
        "people": cfg.people,
        "queries": cfg.queries,
        "top": cfg.top,
        "build_s": round(build_s, 1),
        "index_build_s": round(index_s, 1),
        "fulltext_build_s": round(fts_s, 1),
        "bm25_index_build_s": round(terms_s, 1),
        **_percentiles(hybrid_ms),
        "rss_mb": round(_rss_mb(), 0),
        "skill_entries": len(pool.index.skills.rows),
        "fulltext_mb": round(db_mb, 1),
        "approximate_rankings": approximate,
        "empty_rankings": empty,
    }
    if baseline_ms:
        base = _percentiles(baseline_ms)
        out["baseline_fulltext_only"] = base
        out["p95_ratio_hybrid_to_baseline"] = round(out["p95_ms"] / max(base["p95_ms"], 1e-9), 2)
        out["top_overlap_with_baseline"] = round(float(np.mean(overlap)), 3)
    return out
