"""The starter bank's auto-graded tasks, generated deterministically (pure: numpy + scikit-learn, no Django).

ML tasks: a synthetic data set is drawn from a known generative story with a fixed seed, split into a
public part (training rows with the target, test rows without it) and the hidden test labels. The score
anchors come from the same data: the floor is what a know-nothing answer scores (ROC AUC 0.5; the RMSE of
predicting the training mean) and the target is what the true generating function scores on the test
rows, so a candidate's metric maps to 0..1 points by `scoring.task_points`.

Coding tasks: starter code (public) and hidden test *cases* (sandbox "cases" format: calls into the
candidate's solution and the expected results, as JSON). Only the calls enter the sandbox; the host
compares the JSON results with the expected values, so the candidate's code cannot forge a pass. The
checks each case makes are described publicly (the candidate sees what is checked, not the data).

`TASK_DATA_VERSION` is bumped whenever a generator changes; a changed task is a new question version.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import statistics
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score, root_mean_squared_error

from cadre.screening import sandbox

TASK_DATA_VERSION = "2"  # 2: coding tasks' hidden tests are data (sandbox cases), judged on the host
_ZIP_DATE = (2025, 1, 1, 0, 0, 0)  # fixed timestamps so the archive bytes are reproducible


@dataclass(frozen=True)
class GeneratedTask:
    """Everything the bank stores for one auto-graded task."""

    slug: str
    public_filename: str
    public_data: bytes
    hidden_data: bytes
    spec: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def bundle(files: dict[str, bytes]) -> bytes:
    """A zip of `files` (name -> bytes) whose bytes depend only on the contents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------------------------- churn task

CHURN_SLUG = "ml-churn-classification"
CHURN_SEED = 20250801
_CONTRACT_EFFECT = {"month_to_month": 1.0, "one_year": -0.2, "two_year": -1.3}


def churn_task() -> GeneratedTask:
    """Binary classification graded by ROC AUC: which subscribers of a SaaS product cancel next month.

    Churn log-odds rise with support tickets, price and month-to-month contracts, fall with tenure,
    logins and discounts, with a step for the first six months and a tickets x contract interaction.
    2,000 customers: 1,500 public training rows, 500 test rows whose labels stay hidden.
    """
    rng = np.random.default_rng(CHURN_SEED)
    n, n_train = 2000, 1500
    tenure = rng.integers(1, 73, n)
    contract = rng.choice(list(_CONTRACT_EFFECT), n, p=[0.55, 0.25, 0.2])
    charges = np.round(np.clip(rng.normal(70, 25, n), 15, 150), 2)
    tickets = rng.poisson(1.2, n)
    logins = rng.poisson(12, n)
    payment = rng.choice(["card", "bank_transfer", "invoice"], n, p=[0.5, 0.3, 0.2])
    discount = rng.random(n) < 0.3
    logit = (
        -1.2
        - 0.03 * tenure
        + 0.015 * (charges - 70)
        + 0.45 * tickets
        + np.array([_CONTRACT_EFFECT[c] for c in contract])
        - 0.07 * logins
        + 0.5 * (payment == "invoice")
        - 0.4 * discount
        + 0.9 * (tenure <= 6)
        + 0.15 * tickets * (contract == "month_to_month")
    )
    probability = 1.0 / (1.0 + np.exp(-logit))
    churned = (rng.random(n) < probability).astype(int)
    ids = [f"C{10001 + i}" for i in range(n)]
    features = ["tenure_months", "contract", "monthly_charges", "support_tickets_90d", "logins_30d"]
    features += ["payment_method", "has_discount"]

    def row(i: int) -> list[Any]:
        return [
            ids[i],
            int(tenure[i]),
            str(contract[i]),
            f"{charges[i]:.2f}",
            int(tickets[i]),
            int(logins[i]),
            str(payment[i]),
            int(discount[i]),
        ]

    train = _csv(["customer_id", *features, "churned"], [[*row(i), int(churned[i])] for i in range(n_train)])
    test = _csv(["customer_id", *features], [row(i) for i in range(n_train, n)])
    hidden = _csv(["customer_id", "churned"], [[ids[i], int(churned[i])] for i in range(n_train, n)])
    target = round(float(roc_auc_score(churned[n_train:], probability[n_train:])), 4)
    sample = _csv(
        ["customer_id", "churn_probability"], [[ids[i], "0.5"] for i in range(n_train, n_train + 3)]
    )
    readme = (
        b"Subscriber churn (synthetic data generated by Cadre)\n\n"
        b"train.csv: 1,500 customers with the target column `churned` (1 = cancelled next month).\n"
        b"test.csv: 500 customers without the target.\n"
        b"Upload a CSV with the header `customer_id,churn_probability` and one row per test customer:\n"
        b"the probability (0 to 1) that the customer churns. Graded by ROC AUC on the hidden labels.\n"
        b"sample_submission.csv shows the format (its first rows only).\n"
    )
    files = {"README.txt": readme, "train.csv": train, "test.csv": test, "sample_submission.csv": sample}
    spec = {
        "grading": {
            "metric": "roc_auc",
            "id_column": "customer_id",
            "prediction_columns": ["churn_probability"],
            "prediction_type": "probability",
            "labels": ["0", "1"],
            "class_label_type": "int",
            "positive_label": "1",
            "label_column": "churned",
        },
        "scoring": {"floor": 0.5, "target": target},
        "files": sorted(files),
        "rows": {"train": n_train, "test": n - n_train},
        "data_version": TASK_DATA_VERSION,
        "seed": CHURN_SEED,
        "minutes": 120,
    }
    return GeneratedTask(
        slug=CHURN_SLUG,
        public_filename="churn_task.zip",
        public_data=bundle(files),
        hidden_data=hidden,
        spec=spec,
        facts={"churn_rate": float(churned.mean()), "oracle_auc": target},
    )


# ----------------------------------------------------------------------------------------- latency task

LATENCY_SLUG = "ml-inference-latency-regression"
LATENCY_SEED = 20250802
_GPU_SPEED = {"t4": 38.0, "a10g": 21.0, "l4": 24.0, "a100": 9.0}


def latency_task() -> GeneratedTask:
    """Regression graded by RMSE: the p95 latency (ms) of a model-serving endpoint.

    Latency is multiplicative in model size, sequence length and batch size, scaled by the GPU and
    by int8 quantisation, plus a fixed 4 ms overhead and 10% log-normal noise: a plain linear model on
    the raw columns does poorly, a log-scale model does well. 1,600 configurations: 1,200 public, 400
    hidden.
    """
    rng = np.random.default_rng(LATENCY_SEED)
    n, n_train = 1600, 1200
    params = rng.choice([125, 350, 770, 1300, 3000, 7000, 13000], n)
    batch = rng.choice([1, 2, 4, 8, 16, 32], n)
    seq = rng.integers(64, 2049, n)
    gpu = rng.choice(list(_GPU_SPEED), n)
    quantized = rng.random(n) < 0.35
    mean = 4.0 + np.array([_GPU_SPEED[g] for g in gpu]) * (params / 1000) ** 0.85 * (seq / 512) ** 0.75 * (
        batch**0.55
    ) * np.where(quantized, 0.62, 1.0)
    latency = np.round(mean * rng.lognormal(0.0, 0.1, n), 1)
    ids = [f"R{1001 + i}" for i in range(n)]
    features = ["params_millions", "batch_size", "sequence_length", "gpu", "int8_quantized"]

    def row(i: int) -> list[Any]:
        return [ids[i], int(params[i]), int(batch[i]), int(seq[i]), str(gpu[i]), int(quantized[i])]

    train = _csv(
        ["config_id", *features, "p95_latency_ms"], [[*row(i), f"{latency[i]:.1f}"] for i in range(n_train)]
    )
    test = _csv(["config_id", *features], [row(i) for i in range(n_train, n)])
    hidden = _csv(["config_id", "p95_latency_ms"], [[ids[i], f"{latency[i]:.1f}"] for i in range(n_train, n)])
    test_y = latency[n_train:]
    floor = round(float(root_mean_squared_error(test_y, np.full(n - n_train, latency[:n_train].mean()))), 2)
    target = round(float(root_mean_squared_error(test_y, mean[n_train:])), 2)
    sample = _csv(["config_id", "p95_latency_ms"], [[ids[i], "100.0"] for i in range(n_train, n_train + 3)])
    readme = (
        b"Inference latency (synthetic data generated by Cadre)\n\n"
        b"train.csv: 1,200 serving configurations with the measured p95 latency in milliseconds.\n"
        b"test.csv: 400 configurations without it.\n"
        b"Upload a CSV with the header `config_id,p95_latency_ms` and one row per test configuration.\n"
        b"Graded by root mean squared error (lower is better) on the hidden measurements.\n"
    )
    files = {"README.txt": readme, "train.csv": train, "test.csv": test, "sample_submission.csv": sample}
    spec = {
        "grading": {
            "metric": "rmse",
            "id_column": "config_id",
            "prediction_columns": ["p95_latency_ms"],
            "prediction_type": "float",
            "label_column": "p95_latency_ms",
        },
        "scoring": {"floor": floor, "target": target},
        "files": sorted(files),
        "rows": {"train": n_train, "test": n - n_train},
        "data_version": TASK_DATA_VERSION,
        "seed": LATENCY_SEED,
        "minutes": 120,
    }
    return GeneratedTask(
        slug=LATENCY_SLUG,
        public_filename="latency_task.zip",
        public_data=bundle(files),
        hidden_data=hidden,
        spec=spec,
        facts={"constant_rmse": floor, "oracle_rmse": target},
    )


# ---------------------------------------------------------------------------------------- coding tasks

PRECISION_SLUG = "code-precision-at-k"
PRECISION_STARTER = '''\
"""Implement precision@k for a recommender's output. Upload this file (solution.py) when done."""

from collections.abc import Collection, Sequence


def precision_at_k(recommended: Sequence[str], relevant: Collection[str], k: int) -> float:
    """The share of the top k recommended items that are relevant.

    - Only the first k items of `recommended` count. When fewer than k items are recommended, the
      missing positions count as not relevant (the denominator is always k).
    - An item recommended more than once counts only at its first position.
    - `relevant` may be any collection (list, tuple, set...). Inputs must not be modified.
    - k must be a positive integer: raise ValueError otherwise (TypeError is fine for non-integers).
    """
    raise NotImplementedError
'''

PRECISION_FN = "precision_at_k"


def _p(name: str, args: list[Any], **fields: Any) -> dict[str, Any]:
    return {"name": name, "call": PRECISION_FN, "args": args, **fields}


_TOL = {"abs": 1e-7, "rel": 0.0}  # what unittest's assertAlmostEqual allows (7 decimal places)

# Hidden tests as data (sandbox "cases" format): only the calls go into the sandbox; the expected values
# stay on the host, which compares the JSON results the sandbox returns (see sandbox.run_cases).
PRECISION_CASES: list[dict[str, Any]] = [
    _p("all_relevant", [["a", "b", "c"], {"$set": ["a", "b", "c"]}, 3], expected=1.0),
    _p("none_relevant", [["x", "y"], {"$set": ["a"]}, 2], expected=0.0),
    _p(
        "only_top_k_counts",
        [["x", "a", "b", "c"], {"$set": ["a", "b", "c"]}, 2],
        expected=0.5,
        tolerance=_TOL,
    ),
    _p("fewer_recommendations_than_k", [["a"], {"$set": ["a"]}, 4], expected=0.25, tolerance=_TOL),
    _p("duplicates_count_once", [["a", "a", "b"], {"$set": ["a"]}, 3], expected=1 / 3, tolerance=_TOL),
    {
        "name": "relevant_as_list_or_tuple",
        "steps": [
            {"call": PRECISION_FN, "args": [["q", "r", "s"], ["r", "s"], 3], "emit": True},
            {"call": PRECISION_FN, "args": [["q", "r", "s"], {"$tuple": ["q"]}, 3], "emit": True},
        ],
        "expected": [2 / 3, 1 / 3],
        "tolerance": _TOL,
    },
    _p("empty_recommendations", [[], {"$set": ["a"]}, 5], expected=0.0),
    {
        "name": "rejects_non_positive_k",
        "steps": [{"call": PRECISION_FN, "args": [["a"], {"$set": ["a"]}, k], "emit": True} for k in (0, -3)],
        "expected": [{"$raises": "ValueError"}, {"$raises": "ValueError"}],
    },
    _p("rejects_non_integer_k", [["a"], {"$set": ["a"]}, 2.5], raises=["TypeError", "ValueError"]),
    {
        "name": "inputs_not_modified",
        "steps": [
            {"let": "recommended", "value": ["b", "a", "b"]},
            {"let": "relevant", "value": ["a"]},
            {"call": PRECISION_FN, "args": [{"$ref": "recommended"}, {"$ref": "relevant"}, 2]},
            {"show": {"$ref": "recommended"}},
            {"show": {"$ref": "relevant"}},
        ],
        "expected": [["b", "a", "b"], ["a"]],
    },
    _p("returns_float", [["a", "b"], {"$set": ["a"]}, 2], expected=0.5, strict_type=True),
    _p(
        "large_input",
        [{"$strings": ["item", 0, 50_000]}, {"$strings": ["item", 0, 50_000, 2]}, 40_000],
        expected=0.5,
        tolerance=_TOL,
    ),
]

PRECISION_CHECKS = [
    ("all_relevant", "every top-k item relevant gives 1.0"),
    ("none_relevant", "no relevant item gives 0.0"),
    ("only_top_k_counts", "items after position k are ignored"),
    ("fewer_recommendations_than_k", "fewer than k recommendations: the denominator stays k"),
    ("duplicates_count_once", "a repeated item counts once"),
    ("relevant_as_list_or_tuple", "`relevant` may be a list or a tuple"),
    ("empty_recommendations", "no recommendations gives 0.0"),
    ("rejects_non_positive_k", "k <= 0 raises ValueError"),
    ("rejects_non_integer_k", "a non-integer k is refused"),
    ("inputs_not_modified", "the inputs are not modified"),
    ("returns_float", "the result is a float"),
    ("large_input", "tens of thousands of items are handled within the time limit"),
]

RUNNING_STATS_SLUG = "code-streaming-mean-variance"
RUNNING_STATS_STARTER = '''\
"""Streaming mean and variance in one pass, constant memory. Upload this file (solution.py) when done."""


class RunningStats:
    """Mean and variance of a stream of numbers, updated one value at a time.

    - push(x) adds one value; `count` is how many were pushed.
    - `mean` raises ValueError when nothing was pushed.
    - variance(ddof=1) is the sample variance (ddof=0: the population variance); it raises
      ValueError when count <= ddof.
    - merge(other) returns a new RunningStats equal to having pushed both streams (neither input
      changes), so partial results from parallel workers can be combined.
    - The result must stay accurate when the values are large and close together (e.g. 1e9 + small).
    """

    def push(self, x: float) -> None:
        raise NotImplementedError

    @property
    def count(self) -> int:
        raise NotImplementedError

    @property
    def mean(self) -> float:
        raise NotImplementedError

    def variance(self, ddof: int = 1) -> float:
        raise NotImplementedError

    def merge(self, other: "RunningStats") -> "RunningStats":
        raise NotImplementedError
'''


def _new(name: str, values: Any = None) -> list[dict[str, Any]]:
    """Steps that make a RunningStats bound to `name` and push `values` (a list or an expression)."""
    steps: list[dict[str, Any]] = [{"call": "RunningStats", "as": name}]
    if values is not None:
        steps.append({"on": name, "method": "push", "each": values})
    return steps


def _read(name: str, *what: str) -> list[dict[str, Any]]:
    """Emitting steps: "count"/"mean" read the attribute, "var0"/"var1" call variance(ddof=0/1)."""
    steps: list[dict[str, Any]] = []
    for item in what:
        if item.startswith("var"):
            steps.append({"on": name, "method": "variance", "kwargs": {"ddof": int(item[3:])}, "emit": True})
        else:
            steps.append({"on": name, "attr": item, "emit": True})
    return steps


def _running_stats_cases() -> list[dict[str, Any]]:
    """The expected values are computed here, on the host, with Python's statistics module."""
    gauss = random.Random(7)
    normal = [gauss.gauss(3.5, 2.0) for _ in range(5_000)]
    uniform_rng = random.Random(11)
    uniform = [uniform_rng.uniform(-50, 50) for _ in range(3_001)]
    known = [2, 4, 4, 4, 5, 5, 7, 9]
    small = [1.0, 2.0, 4.0]
    raises = {"$raises": "ValueError"}
    return [
        {
            "name": "known_values",
            "steps": [*_new("s", known), *_read("s", "count", "mean", "var0", "var1")],
            "expected": [8, 5.0, 4.0, 32 / 7],
            "tolerance": _TOL,
        },
        {
            "name": "matches_statistics_module",
            "steps": [*_new("s", normal), *_read("s", "mean", "var1")],
            "expected": [statistics.fmean(normal), statistics.variance(normal)],
            "tolerance": {"abs": 0.0, "rel": 1e-9},
        },
        {
            "name": "numerically_stable",
            "steps": [*_new("s", [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]), *_read("s", "var1")],
            "expected": [30.0],
            "tolerance": {"abs": 0.0, "rel": 1e-6},
        },
        {
            "name": "single_value",
            "steps": [*_new("s", [3.25]), *_read("s", "mean", "var0", "var1")],
            "expected": [3.25, 0.0, raises],
        },
        {
            "name": "empty",
            "steps": [*_new("s"), *_read("s", "count", "mean", "var0")],
            "expected": [0, raises, raises],
        },
        {
            "name": "merge_equals_one_stream",
            "steps": [
                *_new("a", uniform[:1_234]),
                *_new("b", uniform[1_234:]),
                {"on": "a", "method": "merge", "args": [{"$ref": "b"}], "as": "m"},
                *_read("m", "count", "mean", "var1"),
            ],
            "expected": [len(uniform), statistics.fmean(uniform), statistics.variance(uniform)],
            "tolerance": {"abs": 1e-12, "rel": 1e-9},
        },
        {
            "name": "merge_with_empty",
            "steps": [
                *_new("s", small),
                *_new("e1"),
                *_new("e2"),
                {"on": "s", "method": "merge", "args": [{"$ref": "e1"}], "as": "m1"},
                {"on": "e2", "method": "merge", "args": [{"$ref": "s"}], "as": "m2"},
                *_read("m1", "count", "mean", "var1"),
                *_read("m2", "count", "mean", "var1"),
            ],
            "expected": [3, 7 / 3, statistics.variance(small)] * 2,
            "tolerance": _TOL,
        },
        {
            "name": "merge_leaves_inputs_unchanged",
            "steps": [
                *_new("a", [1.0, 2.0]),
                *_new("b", [10.0]),
                {"on": "a", "method": "merge", "args": [{"$ref": "b"}]},
                *_read("a", "count", "mean"),
                *_read("b", "count"),
            ],
            "expected": [2, 1.5, 1],
            "tolerance": _TOL,
        },
        {
            "name": "large_stream",
            "steps": [
                *_new("s", {"$repeat": [list(range(10)), 20_000]}),
                *_read("s", "count", "mean", "var0"),
            ],
            "expected": [200_000, 4.5, 8.25],
            "tolerance": _TOL,
        },
    ]


RUNNING_STATS_CHECKS = [
    ("known_values", "mean, population and sample variance of a small known list"),
    ("matches_statistics_module", "agrees with Python's statistics module on 5,000 values"),
    ("numerically_stable", "stays accurate for large values close together"),
    ("single_value", "one value: variance with ddof=1 is refused"),
    ("empty", "an empty stream has no mean or variance"),
    ("merge_equals_one_stream", "merging two halves equals one pass over everything"),
    ("merge_with_empty", "merging with an empty stream changes nothing"),
    ("merge_leaves_inputs_unchanged", "merge returns a new object"),
    ("large_stream", "200,000 pushes within the time limit"),
]


def cases_document(cases: list[dict[str, Any]]) -> str:
    """The hidden material of a coding task: the cases as canonical JSON (checked by sandbox.parse_cases)."""
    doc = {"format": sandbox.CASES_FORMAT, "cases": cases}
    sandbox.parse_cases(doc)
    return json.dumps(doc, sort_keys=True, indent=1)


PRECISION_TESTS = cases_document(PRECISION_CASES)
RUNNING_STATS_TESTS = cases_document(_running_stats_cases())


def _coding_task(
    slug: str, starter: str, tests: str, checks: list[tuple[str, str]], minutes: int
) -> GeneratedTask:
    spec = {
        "language": "python",
        "filename": "solution.py",
        "tests_format": sandbox.CASES_FORMAT,
        "checks": [{"test": name, "description": text} for name, text in checks],
        "limits": {"cpu_seconds": 5, "wall_seconds": 10, "memory_mb": 256, "max_processes": 16},
        "max_bytes": 200_000,
        "data_version": TASK_DATA_VERSION,
        "minutes": minutes,
    }
    return GeneratedTask(
        slug=slug,
        public_filename="solution.py",
        public_data=starter.encode(),
        hidden_data=tests.encode(),
        spec=spec,
        facts={"tests": len(checks)},
    )


def precision_task() -> GeneratedTask:
    return _coding_task(PRECISION_SLUG, PRECISION_STARTER, PRECISION_TESTS, PRECISION_CHECKS, 30)


def running_stats_task() -> GeneratedTask:
    return _coding_task(
        RUNNING_STATS_SLUG, RUNNING_STATS_STARTER, RUNNING_STATS_TESTS, RUNNING_STATS_CHECKS, 45
    )
