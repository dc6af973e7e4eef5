"""`cadre bench titles`: accuracy of title normalisation on real titles. Pure (reads files, no Django).

Two measurements, both on data outside the package (a user's machine may not have it):
- ai-jobs.net salary survey titles (CC0): role family against the hand-labelled gold in
  benchmarks/titles_gold.csv, and seniority against the survey's experience_level
  (EN -> junior/intern, MI -> mid, SE -> senior/staff/principal, EX -> director/executive);
- O*NET 29.2 alternate titles held out of the shipped table (`titles.is_held_out`): does the nearest
  O*NET occupation equal the occupation that lists the title (or any occupation listing it)?
"""

from __future__ import annotations

import csv
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from cadre.taxonomy.titles import TITLE_OCCUPATIONS, TitleIndex, is_held_out, normalise_text, normalize_title

KEY_OCCUPATIONS = ("15-2051.00", "15-1252.00", "15-1221.00", "15-1243.00", "15-1242.00", "15-1299.08")
# The survey's experience levels and the Cadre seniorities each one accepts.
EXPERIENCE_BANDS = {
    "EN": {"intern", "junior"},
    "MI": {"mid"},
    "SE": {"senior", "staff", "principal"},
    "EX": {"director", "executive"},
}


def read_gold(path: Path) -> dict[str, str | None]:
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return {row["job_title"]: (row["role_family"] or None) for row in csv.DictReader(lines)}


def bench_survey(salaries_csv: Path, gold_path: Path) -> dict[str, Any]:
    gold = read_gold(gold_path)
    counts: Counter[tuple[str, str]] = Counter()
    with salaries_csv.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            counts[(row["job_title"].strip(), row["experience_level"].strip())] += 1
    titles = {t for t, _ in counts}
    started = time.perf_counter()
    predicted = {t: normalize_title(t) for t in titles}
    elapsed = time.perf_counter() - started

    rows = sum(counts.values())
    labelled_rows = sum(n for (t, _), n in counts.items() if t in gold)
    family_ok_rows = sum(
        n for (t, _), n in counts.items() if t in gold and predicted[t].role_family == gold[t]
    )
    family_ok_titles = sum(1 for t in gold if t in predicted and predicted[t].role_family == gold[t])
    labelled_titles = sum(1 for t in gold if t in predicted)
    # Precision/recall of "is an AI role family, and which", over distinct labelled titles.
    tp = sum(1 for t in gold if t in predicted and gold[t] and predicted[t].role_family == gold[t])
    said = sum(1 for t in gold if t in predicted and predicted[t].role_family)
    truth = sum(1 for t in gold if t in predicted and gold[t])

    seniority_ok = cue_rows = cue_ok = 0
    by_level: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (title, level), n in counts.items():
        if level not in EXPERIENCE_BANDS:
            continue
        hit = predicted[title].seniority in EXPERIENCE_BANDS[level]
        seniority_ok += n * hit
        by_level[level][0] += n * hit
        by_level[level][1] += n
        if any(e.startswith("seniority cue") for e in predicted[title].evidence):
            cue_rows += n
            cue_ok += n * hit
    graded = sum(v[1] for v in by_level.values())
    return {
        "rows": rows,
        "distinct_titles": len(titles),
        "gold_titles": labelled_titles,
        "gold_row_coverage": round(labelled_rows / rows, 4) if rows else 0.0,
        "role_family_accuracy_rows": round(family_ok_rows / labelled_rows, 4) if labelled_rows else 0.0,
        "role_family_accuracy_titles": round(family_ok_titles / labelled_titles, 4)
        if labelled_titles
        else 0.0,
        "ai_family_precision": round(tp / said, 4) if said else 0.0,
        "ai_family_recall": round(tp / truth, 4) if truth else 0.0,
        "seniority_accuracy_rows": round(seniority_ok / graded, 4) if graded else 0.0,
        "seniority_accuracy_by_level": {
            k: round(v[0] / v[1], 4) for k, v in sorted(by_level.items()) if v[1]
        },
        "rows_with_seniority_cue": cue_rows,
        "seniority_accuracy_when_cued": round(cue_ok / cue_rows, 4) if cue_rows else 0.0,
        "titles_per_s": round(len(titles) / elapsed, 1) if elapsed else 0.0,
    }


def _variants(title: str) -> list[str]:
    if title.endswith(")") and " (" in title:
        head, _, tail = title.partition(" (")
        return [head, tail[:-1]]
    return [title]


def bench_onet_heldout(onet_dir: Path, index: TitleIndex | None = None) -> dict[str, Any]:
    """Held-out alternate titles: the shipped table never saw these normalised strings."""
    listed: dict[str, set[str]] = defaultdict(set)
    held: list[tuple[str, str]] = []
    with (onet_dir / "Alternate Titles.txt").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            code = row["O*NET-SOC Code"]
            if code not in TITLE_OCCUPATIONS:
                continue
            for title in _variants(row["Alternate Title"]):
                key = normalise_text(title)
                listed[key].add(code)
                if is_held_out(key):
                    held.append((title, code))
    exact = any_code = key_total = key_exact = key_any = 0
    for title, code in held:
        m = normalize_title(title, index)
        codes = listed[normalise_text(title)]
        exact += m.nearest_onet == code
        any_code += m.nearest_onet in codes
        if code in KEY_OCCUPATIONS:
            key_total += 1
            key_exact += m.nearest_onet == code
            key_any += m.nearest_onet in codes
    n = len(held)
    return {
        "heldout_titles": n,
        "occupation_accuracy": round(exact / n, 4) if n else 0.0,
        "occupation_accuracy_any_listed": round(any_code / n, 4) if n else 0.0,
        "key_occupation_titles": key_total,
        "key_occupation_accuracy": round(key_exact / key_total, 4) if key_total else 0.0,
        "key_occupation_accuracy_any_listed": round(key_any / key_total, 4) if key_total else 0.0,
        "occupations": len(TITLE_OCCUPATIONS),
    }


def run_title_bench(salaries_csv: Path, onet_dir: Path, gold_path: Path) -> dict[str, Any]:
    for path in (salaries_csv, onet_dir, gold_path):
        if not path.exists():
            raise FileNotFoundError(f"{path} not found")
    return {"survey": bench_survey(salaries_csv, gold_path), "onet_heldout": bench_onet_heldout(onet_dir)}
