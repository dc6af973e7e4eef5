"""The probabilistic model: splink (Fellegi-Sunter) over normalised person records. No Django.

The comparisons and blocking rules used depend on which columns the data carries, so the same code
scores people from the database, an eval CSV, or FEBRL. Every comparison starts from prior m/u
probabilities, so a small database is scored sensibly without training; from `MIN_TRAIN_RECORDS`
records on, u is re-estimated by seeded random sampling and m by EM (deterministic for the same data).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cadre.resolution.records import FIELDS, LIST_FIELDS

SEED = 42
MIN_TRAIN_RECORDS = 500
U_SAMPLE_PAIRS = 2e6
# Pairs at or above AUTO_MERGE merge without a human; [REVIEW, AUTO_MERGE) go to the review queue.
AUTO_MERGE_THRESHOLD = 0.99
REVIEW_THRESHOLD = 0.8
# Pairs scoring below this never leave splink (keeps the prediction table small).
PREDICT_FLOOR = 0.2


class LinkageError(Exception):
    """A backend is missing or the model cannot be built; the message is fit for the user."""


@dataclass(frozen=True)
class ScoredPair:
    left: Any
    right: Any
    probability: float
    match_weight: float
    explanation: list[dict[str, Any]] = field(default_factory=list)
    exact_key: str = ""


@dataclass
class LinkageResult:
    pairs: list[ScoredPair]
    model: dict[str, Any]
    version: str
    trained: bool


# (column, comparison factory, prior m, prior u). m and u lists run from the best level to "else".
def _comparisons() -> list[tuple[str, Callable[[], Any], list[float], list[float]]]:
    import splink.comparison_library as cl

    return [
        (
            "first_name",
            lambda: cl.JaroWinklerAtThresholds("first_name", [0.92, 0.8]),
            [0.85, 0.08, 0.04, 0.03],
            [0.01, 0.005, 0.02, 0.965],
        ),
        (
            "last_name",
            lambda: cl.JaroWinklerAtThresholds("last_name", [0.92, 0.8]),
            [0.88, 0.07, 0.03, 0.02],
            [0.002, 0.002, 0.01, 0.986],
        ),
        (
            "dob",
            lambda: cl.DamerauLevenshteinAtThresholds("dob", [1, 2]),
            [0.9, 0.05, 0.02, 0.03],
            [0.001, 0.01, 0.05, 0.939],
        ),
        (
            "affiliation",
            lambda: cl.JaroWinklerAtThresholds("affiliation", [0.95, 0.85]),
            [0.6, 0.1, 0.05, 0.25],
            [0.01, 0.005, 0.02, 0.965],
        ),
        ("affiliations", lambda: cl.ArrayIntersectAtSizes("affiliations", [1]), [0.6, 0.4], [0.02, 0.98]),
        ("city", lambda: cl.JaroWinklerAtThresholds("city", [0.92]), [0.7, 0.05, 0.25], [0.02, 0.01, 0.97]),
        ("country", lambda: cl.ExactMatch("country"), [0.9, 0.1], [0.15, 0.85]),
        (
            "address",
            lambda: cl.JaroWinklerAtThresholds("address", [0.92, 0.8]),
            [0.8, 0.08, 0.04, 0.08],
            [0.0005, 0.001, 0.01, 0.9885],
        ),
        (
            "postcode",
            lambda: cl.DamerauLevenshteinAtThresholds("postcode", [1]),
            [0.85, 0.1, 0.05],
            [0.002, 0.02, 0.978],
        ),
        ("street_number", lambda: cl.ExactMatch("street_number"), [0.85, 0.15], [0.02, 0.98]),
        ("title", lambda: cl.JaroWinklerAtThresholds("title", [0.9]), [0.4, 0.2, 0.4], [0.03, 0.05, 0.92]),
        (
            "coauthors",
            lambda: cl.ArrayIntersectAtSizes("coauthors", [2, 1]),
            [0.3, 0.3, 0.4],
            [0.0001, 0.002, 0.9979],
        ),
        ("skills", lambda: cl.ArrayIntersectAtSizes("skills", [3, 1]), [0.4, 0.4, 0.2], [0.1, 0.4, 0.5]),
    ]


# Blocking rules for prediction, each used only when all its columns carry data.
BLOCKING_RULES: tuple[tuple[str, ...], ...] = (
    ("last_name", "first_initial"),
    ("first_name", "last_initial"),
    ("dob",),
    ("postcode", "first_initial"),
    ("city", "last_initial"),
    ("affiliation", "last_initial"),
)
# EM sessions: each leaves the comparisons it blocks on untrained, so two complementary rules.
# Only blocks that pin down a person: within a block of colleagues ("affiliation") or neighbours
# ("city") EM takes "same organisation" for the match class and trains the name comparisons to
# near-zero weight (measured on ICML 2024 authors: auto-merge precision 0.35). Without a dob the
# name comparisons keep their priors.
TRAINING_RULES: tuple[tuple[str, ...], ...] = (
    ("first_name", "last_name"),
    ("dob",),
)
# A comparison skipped when the column that subsumes it is present: a record's `affiliation` is
# always one of its `affiliations`, so scoring both counts one shared employer twice.
SUBSUMED_BY = {"affiliation": "affiliations"}
DETERMINISTIC_RULES: tuple[tuple[str, ...], ...] = (
    ("first_name", "last_name", "dob"),
    ("first_name", "last_name", "affiliation"),
    ("first_name", "last_name", "city"),
)


def _present_columns(rows: Sequence[dict[str, Any]]) -> set[str]:
    return {c for c in (*FIELDS, *LIST_FIELDS) if any(r.get(c) for r in rows)}


def _frame(rows: Sequence[dict[str, Any]], columns: Iterable[str]) -> Any:
    import pandas as pd

    cols = ["unique_id", *columns]
    # An empty list or string is unknown, so null: splink scores null as no evidence either way.
    data = {c: [r.get(c) if c == "unique_id" else (r.get(c) or None) for r in rows] for c in cols}
    return pd.DataFrame(data, columns=cols)


def _db_api(backend: str) -> Any:
    if backend == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI()
    if backend == "spark":
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise LinkageError(
                "the Spark backend needs pyspark and a Java runtime: pip install pyspark "
                "(and apt-get install openjdk-17-jre-headless)"
            ) from exc
        from splink import SparkAPI
        from splink.backends.spark import similarity_jar_location

        spark = (
            SparkSession.builder.master("local[*]")
            .appName("cadre-dedup")
            .config("spark.jars", similarity_jar_location())  # Jaro-Winkler UDFs; ships in the wheel
            .getOrCreate()
        )
        return SparkAPI(spark_session=spark)
    raise LinkageError(f"unknown backend {backend!r}; expected duckdb or spark")


def _settings(columns: set[str], *, term_frequencies: bool) -> Any:
    from splink import SettingsCreator, block_on

    comparisons = []
    for col, factory, m, u in _comparisons():
        if col in columns and SUBSUMED_BY.get(col) not in columns:
            # Common names ('wang', 'john') say less; only meaningful on a population, not a handful.
            tf = term_frequencies and col in ("first_name", "last_name")
            comparisons.append(
                factory().configure(m_probabilities=m, u_probabilities=u, term_frequency_adjustments=tf)
            )
    if not any(c in columns for c in ("first_name", "last_name")):
        raise LinkageError("records need at least a first or last name to be compared")
    rules: list[Any] = [block_on(*r) for r in BLOCKING_RULES if set(r) <= columns]
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        probability_two_random_records_match=0.0001,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,  # keeps the gamma (level) columns for the explanation
    )


def _train(linker: Any, columns: set[str]) -> None:
    from splink import block_on

    det = [block_on(*r) for r in DETERMINISTIC_RULES if set(r) <= columns]
    if det:
        linker.training.estimate_probability_two_random_records_match(det, recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=SEED)
    for rule in [r for r in TRAINING_RULES if set(r) <= columns][:2]:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*rule), estimate_without_term_frequencies=True
        )


def _rule_sql(columns: tuple[str, ...]) -> str:
    return " AND ".join(f'(l."{c}" = r."{c}")' for c in columns)


def without_term_frequencies(model: dict[str, Any]) -> dict[str, Any]:
    """The model with term-frequency adjustments off (for scoring a small neighbourhood)."""
    copy = json.loads(json.dumps(model))
    for comparison in copy.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)
    return copy


def model_version(model: dict[str, Any]) -> str:
    """A digest of the parameters, so the same model always has the same version."""
    stable = {k: v for k, v in model.items() if k != "linker_uid"}  # splink's uid is random per run
    digest = hashlib.sha256(json.dumps(stable, sort_keys=True, default=str).encode()).hexdigest()
    return f"splink-{digest[:12]}"


def _level_labels(linker: Any) -> dict[str, dict[int, str]]:
    labels: dict[str, dict[int, str]] = {}
    for comparison in linker._settings_obj.comparisons:
        labels[comparison.output_column_name] = {
            lvl.comparison_vector_value: lvl.label_for_charts for lvl in comparison.comparison_levels
        }
    return labels


def score(
    rows: Sequence[dict[str, Any]],
    *,
    backend: str = "duckdb",
    model: dict[str, Any] | None = None,
    train: bool | None = None,
    only_ids: set[Any] | None = None,
) -> LinkageResult:
    """Score candidate pairs among normalised records.

    `model`: a saved model JSON to reuse (incremental runs); otherwise priors, trained when the data
    is large enough. `only_ids`: keep only pairs touching one of these ids (new people)."""
    model = model or None  # a run with nothing to score saves an empty model: treat it as none
    if len(rows) < 2:
        return LinkageResult([], model or {}, model_version(model or {}), False)
    from splink import Linker

    logging.getLogger("splink").setLevel(logging.ERROR)
    columns = _present_columns(rows)
    api = _db_api(backend)
    frame = _frame(rows, sorted(columns))
    trained = model is None and (train if train is not None else len(rows) >= MIN_TRAIN_RECORDS)
    if model is not None:
        settings: Any = dict(model)
        settings["comparisons"] = [
            c
            for c in model["comparisons"]
            if c["output_column_name"] in columns and SUBSUMED_BY.get(c["output_column_name"]) not in columns
        ]
        settings["blocking_rules_to_generate_predictions"] = [
            {"blocking_rule": _rule_sql(r), "sql_dialect": settings.get("sql_dialect", "duckdb")}
            for r in BLOCKING_RULES
            if set(r) <= columns
        ]
        if backend != settings.get("sql_dialect", backend):
            settings["sql_dialect"] = backend
    else:
        settings = _settings(columns, term_frequencies=trained)
    linker = Linker(api.register(frame), settings, log_level=None)
    if trained:
        _train(linker, columns)
    saved = {k: v for k, v in linker.misc.save_model_to_json().items() if k != "linker_uid"}
    predictions = linker.inference.predict(threshold_match_probability=PREDICT_FLOOR, warning_mode="never")
    df = predictions.as_pandas_dataframe()
    labels = _level_labels(linker)
    pairs = []
    for rec in df.to_dict("records"):
        left, right = rec["unique_id_l"], rec["unique_id_r"]
        if only_ids is not None and left not in only_ids and right not in only_ids:
            continue
        explanation = []
        for name, levels in labels.items():
            gamma = rec.get(f"gamma_{name}")
            if gamma is None or gamma == -1:
                continue  # null on one side: no evidence either way
            weight = float(rec.get(f"mw_{name}") or 0.0) + float(rec.get(f"mw_tf_adj_{name}") or 0.0)
            explanation.append(
                {"comparison": name, "level": levels.get(int(gamma), str(gamma)), "weight": round(weight, 2)}
            )
        a, b = (left, right) if left <= right else (right, left)
        pairs.append(
            ScoredPair(a, b, float(rec["match_probability"]), float(rec["match_weight"]), explanation)
        )
    pairs.sort(key=lambda p: (p.left, p.right))
    return LinkageResult(pairs, saved, model_version(saved), trained)
