"""Auto-graded ML tasks: strict validation of a predictions CSV, then scoring with scikit-learn.

Pure Python (no Django). The platform keeps a task's hidden labels; a candidate uploads a predictions CSV.

* `TaskSpec` is the task's public grading configuration (metric, columns, value types, allowed labels,
  positive label, k, size limits). `TaskSpec.from_config` / `to_config` read and write it as JSON.
* `parse_labels(data, spec)` validates the hidden-labels file (author side) into `HiddenLabels`.
* `parse_predictions(data, spec, expected_ids)` validates a candidate's file into `Predictions`. Every
  problem found is collected (header, per-cell, then duplicated / unknown / missing ids), row-level problems
  are listed up to `MAX_LISTED_PROBLEMS` and counted beyond it; `InvalidPredictionsError` carries them all.
  Size is checked before parsing: a declared size over `max_bytes` is refused without reading a byte, and a
  stream is never read past `max_bytes + 1` bytes.
* `grade(predictions, hidden_labels, spec)` aligns rows by id (file order does not matter) and scores with
  the task's metric. The result carries `GRADING_VERSION`, the scikit-learn version and an `inputs_digest`
  (sha256 of the canonical predictions, scoring spec and hidden-labels digests) so a regrade is reproducible.

Decisions worth knowing:

* Cells are compared after removing surrounding spaces. Ids and text labels are exact and case-sensitive.
* Text cells (ids, text labels, ranked item ids) beginning with = + - @ tab CR or LF are refused (OWASP CSV
  injection), and such values are never quoted back; other values are quoted escaped and truncated.
  Numeric cells are parsed with a strict grammar, so "-1" is a number there and "=1+1" is not.
* Missing values (empty cells, NaN, inf) are refused, never imputed. Probabilities must lie in [0, 1].
* Multiclass probability rows must sum to 1 within `PROBABILITY_SUM_TOLERANCE` (0.001); rows inside the
  tolerance are rescaled to sum to exactly 1 before scoring (and the explanation says how many were), rows
  outside it are refused: a silent renormalisation of 0.2/0.2/0.2 would grade a different submission.
* MAP@k (ranking tasks): each row is a query id and its ranked item ids separated by spaces, at most k.
  AP@k = (1 / min(|R|, k)) * sum_{i<=k} P(i) * rel(i), the common definition (ml_metrics `apk`, Kaggle
  MAP@K); MAP@k is the mean over every query in the hidden labels. scikit-learn has no MAP@k: per query we
  call `sklearn.metrics.average_precision_score` on the top-k list (scores strictly decreasing with rank),
  which normalises by the relevant items *retrieved*; multiplying by hits / min(|R|, k) gives AP@k exactly.
  (`label_ranking_average_precision_score` needs scores for the whole catalogue and has no cut-off.)
* Nothing derived from the hidden labels except the score and the row count leaves `grade`: the
  explanation holds only public task parameters and notes about the candidate's own file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, NoReturn, Protocol

import numpy as np
import sklearn
from sklearn import metrics as skm

GRADING_VERSION = "1.0.0"

MAX_LISTED_PROBLEMS = 20  # row-level problems listed in an error; the rest are counted
MAX_EXAMPLES = 5  # ids quoted for duplicated / unknown / missing ids
PROBABILITY_SUM_TOLERANCE = 1e-3
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_ROWS = 1_000_000
_READ_CHUNK = 1024 * 1024
_MAX_NUMBER_CHARS = 64
_QUOTE_LIMIT = 40

PREDICTION_TYPES = ("label", "int", "float", "probability", "ranked_ids")
CLASS_LABEL_TYPES = ("label", "int")
F1_AVERAGES = ("binary", "macro")

_FORMULA_START = frozenset("=+-@\t\r\n")
_FLOAT_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INT_RE = re.compile(r"[+-]?[0-9]+")
_NON_FINITE_RE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_MISSING_MARKERS = frozenset({"na", "n/a", "null", "none", "missing", "?", "-", "--"})

PredictionValue = str | float | tuple[float, ...] | tuple[str, ...]
LabelValue = str | float | frozenset[str]


# --------------------------------------------------------------------------------------------------
# Errors


class GradingError(ValueError):
    """A grading input is unusable (bad configuration, or inputs that do not belong together)."""


class TaskSpecError(GradingError):
    """The task's grading configuration is invalid."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file; `message` is safe to show the uploader."""

    code: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {quote_value(self.column)}")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "line": self.line, "column": self.column}


class InvalidFileError(GradingError):
    """A rejected file: `problems` lists what was found (row-level ones capped), `counts` counts them all."""

    role = "file"

    def __init__(self, problems: Sequence[Problem], counts: Mapping[str, int]) -> None:
        self.problems = tuple(problems)
        self.counts = dict(counts)
        self.total = sum(self.counts.values())
        super().__init__(self._summary())

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.counts)

    def _summary(self) -> str:
        noun = "problem" if self.total == 1 else "problems"
        lines = [f"The {self.role} was rejected ({self.total:,} {noun}):"]
        lines += [f"- {p}" for p in self.problems]
        unlisted = Counter(self.counts)
        unlisted.subtract(Counter(p.code for p in self.problems))
        rest = {code: n for code, n in sorted(unlisted.items()) if n > 0}
        if rest:
            kinds = ", ".join(f"{code}: {n:,}" for code, n in rest.items())
            lines.append(f"- … and {sum(rest.values()):,} more ({kinds})")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.role,
            "total": self.total,
            "counts": dict(sorted(self.counts.items())),
            "problems": [p.to_dict() for p in self.problems],
        }


class InvalidPredictionsError(InvalidFileError):
    role = "predictions file"


class InvalidLabelsError(InvalidFileError):
    role = "hidden-labels file"


def quote_value(value: str, limit: int = _QUOTE_LIMIT) -> str:
    """Quote an untrusted value for a message: escaped (no control or bidi characters) and truncated."""
    if value.strip(" ")[:1] in _FORMULA_START and not _FLOAT_RE.fullmatch(value.strip(" ")):
        return "a value that starts like a spreadsheet formula (not shown)"
    shown = value[:limit]
    out = []
    for ch in shown:
        if ch in "\\'":
            out.append("\\" + ch)
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\n":
            out.append("\\n")
        elif not ch.isprintable():
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    quoted = "'" + "".join(out) + "'"
    if len(value) > limit:
        quoted += f"… ({len(value):,} characters)"
    return quoted


def _quote_list(values: Iterable[str], limit: int = 10) -> str:
    items = list(values)
    shown = ", ".join(quote_value(v) for v in items[:limit])
    return shown + (f", … ({len(items):,} in all)" if len(items) > limit else "")


class _Problems:
    """Collects problems for one file; raises the file's error class."""

    def __init__(self, error: type[InvalidFileError]) -> None:
        self.error = error
        self.listed: list[Problem] = []
        self.counts: Counter[str] = Counter()
        self._row_listed = 0

    def add(self, code: str, message: str, *, line: int | None = None, column: str | None = None) -> None:
        self.counts[code] += 1
        if line is None or self._row_listed < MAX_LISTED_PROBLEMS:
            self.listed.append(Problem(code, message, line, column))
            if line is not None:
                self._row_listed += 1

    def fatal(self, code: str, message: str, *, line: int | None = None) -> NoReturn:
        self.add(code, message, line=line)
        self.raise_if_any()
        raise AssertionError("unreachable")  # pragma: no cover

    def raise_if_any(self) -> None:
        if self.counts:
            # File-wide problems first, then row problems in line order.
            ordered = sorted(self.listed, key=lambda p: (p.line is not None, p.line or 0))
            raise self.error(ordered, self.counts)


# --------------------------------------------------------------------------------------------------
# Task specification


def _sha256_json(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TaskSpec:
    """Public grading configuration of one ML task (safe to show the candidate).

    `prediction_type` is the type of each prediction cell; empty means the metric's default.
    `labels` are the allowed class labels (classification; for multiclass log loss `prediction_columns[i]`
    holds the probability of `labels[i]`) or an optional item catalogue (MAP@k). `class_label_type` says
    whether class labels are text or integers. `positive_label` is required for ROC AUC, binary F1 and
    single-column log loss. `average` is F1's averaging: "binary" (default when a positive label is given)
    or "macro". `label_column` is the target column of the hidden-labels file.
    """

    metric: str
    id_column: str = "id"
    prediction_columns: tuple[str, ...] = ("prediction",)
    prediction_type: str = ""
    labels: tuple[str, ...] = ()
    class_label_type: str = "label"
    positive_label: str | None = None
    average: str | None = None
    k: int | None = None
    label_column: str = "label"
    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = DEFAULT_MAX_ROWS

    def __post_init__(self) -> None:
        # Normalise JSON-ish input (lists) and fill the metric's defaults; the dataclass stays frozen.
        object.__setattr__(self, "prediction_columns", tuple(self.prediction_columns))
        object.__setattr__(self, "labels", tuple(self.labels))
        metric = METRICS.get(self.metric) if isinstance(self.metric, str) else None
        if metric is None:
            raise TaskSpecError(f"unknown metric {self.metric!r}; known metrics: {', '.join(METRICS)}")
        if not self.prediction_type:
            default = self.class_label_type if metric.task == "classification" else metric.prediction_types[0]
            if metric.name in ("roc_auc", "log_loss"):
                default = "probability"
            object.__setattr__(self, "prediction_type", default)
        if self.metric == "f1" and self.average is None:
            object.__setattr__(self, "average", "binary" if self.positive_label is not None else "macro")
        _validate_spec(self, metric)

    @property
    def metric_info(self) -> Metric:
        return METRICS[self.metric]

    def scoring_config(self) -> dict[str, Any]:
        """Everything that affects the score (not the size limits)."""
        config = self.to_config()
        del config["max_bytes"], config["max_rows"]
        return config

    @property
    def digest(self) -> str:
        return _sha256_json({"grading_version": GRADING_VERSION, "spec": self.scoring_config()})

    def to_config(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> TaskSpec:
        """Build from a JSON object with the field names as keys; unknown keys are an error (typos)."""
        if not isinstance(config, Mapping):
            raise TaskSpecError("the grading configuration must be a JSON object")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(config) - known)
        if unknown:
            raise TaskSpecError(f"unknown grading settings: {', '.join(map(str, unknown))}")
        kwargs = dict(config)
        for key in ("prediction_columns", "labels"):
            if key in kwargs:
                value = kwargs[key]
                if isinstance(value, str) or not isinstance(value, list | tuple):
                    raise TaskSpecError(f"{key} must be a list of strings")
                kwargs[key] = tuple(value)
        return cls(**kwargs)


def _validate_spec(spec: TaskSpec, metric: Metric) -> None:
    def fail(message: str) -> NoReturn:
        raise TaskSpecError(f"{spec.metric}: {message}")

    def is_name(value: object) -> bool:
        return isinstance(value, str) and value.strip() == value and value != ""

    for name in ("id_column", "label_column"):
        if not is_name(getattr(spec, name)):
            fail(f"{name} must be a non-empty string without surrounding spaces")
    if not spec.prediction_columns or not all(is_name(c) for c in spec.prediction_columns):
        fail("prediction_columns must be non-empty strings without surrounding spaces")
    columns = (spec.id_column, *spec.prediction_columns)
    if len(set(columns)) != len(columns):
        fail("the id column and prediction columns must have different names")
    if spec.label_column == spec.id_column:
        fail("label_column and id_column must differ")
    if spec.prediction_type not in metric.prediction_types:
        fail(f"prediction_type must be one of {', '.join(metric.prediction_types)}")
    if metric.name in ("accuracy", "f1") and spec.prediction_type != spec.class_label_type:
        fail("predicted labels are written like the class labels: prediction_type must be class_label_type")
    for name in ("max_bytes", "max_rows"):
        value = getattr(spec, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            fail(f"{name} must be a positive integer")
    if spec.class_label_type not in CLASS_LABEL_TYPES:
        fail(f"class_label_type must be one of {', '.join(CLASS_LABEL_TYPES)}")
    if not all(isinstance(label, str) for label in spec.labels):
        fail("labels must be strings")
    if len(set(spec.labels)) != len(spec.labels):
        fail("labels must be unique")

    if metric.task == "classification":
        if len(spec.labels) < 2:
            fail("declare the allowed class labels (at least two)")
        for label in spec.labels:
            if spec.class_label_type == "int":
                if not _INT_RE.fullmatch(label) or str(int(label)) != label:
                    fail(f"integer class labels must be written like '0', '1', '-1', not {label!r}")
            elif not is_name(label) or label[0] in _FORMULA_START or not label.isprintable():
                fail(f"text label {label!r} is empty, padded, unprintable or starts like a formula")
    elif metric.task == "regression" and spec.labels:
        fail("labels are for classification and ranking tasks")

    if spec.positive_label is not None and spec.positive_label not in spec.labels:
        fail(f"positive_label {spec.positive_label!r} is not one of the labels")
    needs_positive = spec.metric == "roc_auc" or (
        spec.metric == "log_loss" and len(spec.prediction_columns) == 1
    )
    if spec.metric == "f1":
        if spec.average not in F1_AVERAGES:
            fail(f"average must be one of {', '.join(F1_AVERAGES)}")
        needs_positive = spec.average == "binary"
    elif spec.average is not None:
        fail("average applies to f1 only")
    if needs_positive:
        if spec.positive_label is None:
            fail("declare positive_label")
        if len(spec.labels) != 2:
            fail("a binary task needs exactly two labels")
    elif spec.positive_label is not None:
        fail("positive_label is only used by roc_auc, binary f1 and single-column log_loss")

    if spec.metric == "log_loss" and len(spec.prediction_columns) > 1:
        if len(spec.prediction_columns) != len(spec.labels):
            fail("multiclass log_loss needs one probability column per label, in the order of labels")
    elif len(spec.prediction_columns) != 1:
        fail("this metric takes exactly one prediction column")

    if spec.metric == "map_at_k":
        if isinstance(spec.k, bool) or not isinstance(spec.k, int) or spec.k < 1:
            fail("declare k, a positive integer")
        for item in spec.labels:
            if not is_name(item) or item[0] in _FORMULA_START or any(c.isspace() for c in item):
                fail(f"catalogue item {item!r} is empty, contains spaces or starts like a formula")
    elif spec.k is not None:
        fail("k applies to map_at_k only")


# --------------------------------------------------------------------------------------------------
# Metrics (computed with scikit-learn on rows aligned by id)


def _strs(values: Sequence[object]) -> list[str]:
    if not all(isinstance(v, str) for v in values):
        raise GradingError("expected class labels")
    return [str(v) for v in values]


def _floats(values: Sequence[object]) -> np.ndarray[Any, np.dtype[np.float64]]:
    if not all(isinstance(v, float) for v in values):
        raise GradingError("expected one number per row")
    return np.asarray(values, dtype=np.float64)


def _accuracy(preds: Sequence[PredictionValue], truth: Sequence[LabelValue], spec: TaskSpec) -> float:
    return float(skm.accuracy_score(_strs(truth), _strs(preds)))


def _f1(preds: Sequence[PredictionValue], truth: Sequence[LabelValue], spec: TaskSpec) -> float:
    if spec.average == "binary":
        score = skm.f1_score(
            _strs(truth), _strs(preds), pos_label=spec.positive_label, average="binary", zero_division=0
        )
    else:
        score = skm.f1_score(
            _strs(truth), _strs(preds), labels=list(spec.labels), average="macro", zero_division=0
        )
    return float(score)


def _binary_truth(truth: Sequence[LabelValue], spec: TaskSpec) -> np.ndarray[Any, np.dtype[np.int64]]:
    return np.asarray([1 if t == spec.positive_label else 0 for t in _strs(truth)], dtype=np.int64)


def _roc_auc(preds: Sequence[PredictionValue], truth: Sequence[LabelValue], spec: TaskSpec) -> float:
    return float(skm.roc_auc_score(_binary_truth(truth, spec), _floats(preds)))


def _log_loss(preds: Sequence[PredictionValue], truth: Sequence[LabelValue], spec: TaskSpec) -> float:
    if len(spec.prediction_columns) == 1:
        p = _floats(preds)
        # Explicit [P(negative), P(positive)] columns: sklearn's 1-D convention would pick the positive
        # class by sorting the label names, which is not necessarily the declared positive label.
        proba = np.column_stack([1.0 - p, p])
        return float(skm.log_loss(_binary_truth(truth, spec), proba, labels=[0, 1]))
    if not all(isinstance(row, tuple) for row in preds):
        raise GradingError("expected one probability per class per row")
    proba = np.asarray(preds, dtype=np.float64)
    proba = proba / proba.sum(axis=1, keepdims=True)  # sums are within PROBABILITY_SUM_TOLERANCE of 1
    index = {label: i for i, label in enumerate(spec.labels)}
    y_true = np.asarray([index[t] for t in _strs(truth)], dtype=np.int64)
    return float(skm.log_loss(y_true, proba, labels=list(range(len(spec.labels)))))


def _rmse(preds: Sequence[PredictionValue], truth: Sequence[LabelValue], spec: TaskSpec) -> float:
    return float(skm.root_mean_squared_error(_floats(truth), _floats(preds)))


def _mae(preds: Sequence[PredictionValue], truth: Sequence[LabelValue], spec: TaskSpec) -> float:
    return float(skm.mean_absolute_error(_floats(truth), _floats(preds)))


def average_precision_at_k(ranked: Sequence[str], relevant: frozenset[str], k: int) -> float:
    """AP@k = (1 / min(|R|, k)) * sum over the top k of P(i) * rel(i) (ml_metrics `apk`; Kaggle MAP@K).

    sklearn's `average_precision_score` on the top-k list (decreasing scores) averages P(i) over the
    relevant items retrieved; rescaling by hits / min(|R|, k) turns that into AP@k.
    """
    if not relevant:
        raise GradingError("a query needs at least one relevant item")
    top = list(ranked[:k])
    rel = [1 if item in relevant else 0 for item in top]
    hits = sum(rel)
    if hits == 0:
        return 0.0
    retrieved_ap = float(skm.average_precision_score(rel, np.arange(len(top), 0, -1, dtype=np.float64)))
    return retrieved_ap * hits / min(len(relevant), k)


def _map_at_k(preds: Sequence[PredictionValue], truth: Sequence[LabelValue], spec: TaskSpec) -> float:
    if spec.k is None:
        raise GradingError("map_at_k needs k")
    per_query = []
    for ranked, relevant in zip(preds, truth, strict=True):
        if not isinstance(ranked, tuple) or not isinstance(relevant, frozenset):
            raise GradingError("expected ranked item ids and relevant item sets")
        per_query.append(average_precision_at_k(_strs(ranked), relevant, spec.k))
    return float(np.mean(per_query))


Scorer = Callable[[Sequence[PredictionValue], Sequence[LabelValue], TaskSpec], float]


@dataclass(frozen=True)
class Metric:
    name: str
    title: str
    task: str  # "classification" | "regression" | "ranking"
    higher_is_better: bool
    best: float
    prediction_types: tuple[str, ...]  # the first is the default (classification: the label type)
    sklearn_function: str
    definition: str
    compute: Scorer = field(repr=False)

    @property
    def direction(self) -> str:
        return "higher" if self.higher_is_better else "lower"


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            name="accuracy",
            title="Accuracy",
            task="classification",
            higher_is_better=True,
            best=1.0,
            prediction_types=("label", "int"),
            sklearn_function="sklearn.metrics.accuracy_score",
            definition="Share of rows whose predicted label equals the true label.",
            compute=_accuracy,
        ),
        Metric(
            name="f1",
            title="F1 score",
            task="classification",
            higher_is_better=True,
            best=1.0,
            prediction_types=("label", "int"),
            sklearn_function="sklearn.metrics.f1_score",
            definition="Harmonic mean of precision and recall: of the positive label (binary), or averaged "
            "with equal weight over every declared label (macro). A label never predicted scores 0.",
            compute=_f1,
        ),
        Metric(
            name="roc_auc",
            title="ROC AUC",
            task="classification",
            higher_is_better=True,
            best=1.0,
            prediction_types=("probability", "float"),
            sklearn_function="sklearn.metrics.roc_auc_score",
            definition="Area under the ROC curve: the probability that a random positive row gets a higher "
            "score than a random negative row (ties count half). Only the order of the scores matters.",
            compute=_roc_auc,
        ),
        Metric(
            name="log_loss",
            title="Log loss",
            task="classification",
            higher_is_better=False,
            best=0.0,
            prediction_types=("probability",),
            sklearn_function="sklearn.metrics.log_loss",
            definition="Mean negative log-likelihood (natural log) of the true label under the predicted "
            "probabilities, which are clipped away from 0 and 1 by machine epsilon.",
            compute=_log_loss,
        ),
        Metric(
            name="rmse",
            title="Root mean squared error",
            task="regression",
            higher_is_better=False,
            best=0.0,
            prediction_types=("float", "int"),
            sklearn_function="sklearn.metrics.root_mean_squared_error",
            definition="Square root of the mean squared difference between prediction and true value.",
            compute=_rmse,
        ),
        Metric(
            name="mae",
            title="Mean absolute error",
            task="regression",
            higher_is_better=False,
            best=0.0,
            prediction_types=("float", "int"),
            sklearn_function="sklearn.metrics.mean_absolute_error",
            definition="Mean absolute difference between prediction and true value.",
            compute=_mae,
        ),
        Metric(
            name="map_at_k",
            title="MAP@k",
            task="ranking",
            higher_is_better=True,
            best=1.0,
            prediction_types=("ranked_ids",),
            sklearn_function="sklearn.metrics.average_precision_score (per query on the top k, rescaled)",
            definition="Mean over queries of AP@k = (1 / min(number of relevant items, k)) x the sum, over "
            "the ranks i <= k holding a relevant item, of the precision of the top i items.",
            compute=_map_at_k,
        ),
    )
}


# --------------------------------------------------------------------------------------------------
# Reading: size limit, encoding, CSV, header


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


Source = bytes | bytearray | memoryview | Readable


def _size(n: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit} ({n:,} bytes)"
    return f"{n:,} bytes"


def _read_limited(source: Source, declared_size: int | None, limit: int, problems: _Problems) -> bytes:
    """Return the file's bytes, refusing anything over `limit` without reading more than limit + 1 bytes."""
    limit_text = f"this task's limit is {_size(limit)}"
    if declared_size is not None:
        if isinstance(declared_size, bool) or not isinstance(declared_size, int) or declared_size < 0:
            raise GradingError("declared_size must be a non-negative integer")
        if declared_size > limit:
            problems.fatal("too_large", f"the file is {_size(declared_size)}; {limit_text}")
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = source.read(min(_READ_CHUNK, limit + 1 - total))
            if not chunk:
                break
            if not isinstance(chunk, bytes | bytearray):
                raise GradingError("open the uploaded file in binary mode")
            chunks.append(bytes(chunk))
            total += len(chunk)
        data = b"".join(chunks)
    if len(data) > limit:
        problems.fatal("too_large", f"the file is larger than this task's limit of {_size(limit)}")
    return data


def _decode(data: bytes, problems: _Problems) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.fatal("encoding", "the file is UTF-16 text; save it as UTF-8 CSV (comma-separated)")
    if data.startswith((b"PK\x03\x04", b"\x1f\x8b")):
        problems.fatal(
            "not_csv", "this is a compressed file or an Excel workbook; upload a plain CSV text file"
        )
    if b"\x00" in data:
        problems.fatal("not_csv", "the file contains NUL bytes: it is a binary file, not CSV text")
    data = data.removeprefix(b"\xef\xbb\xbf")  # Excel's "CSV UTF-8" writes a byte-order mark
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.fatal(
            "encoding",
            f"the file is not UTF-8 text: byte 0x{data[exc.start]:02X} at position {exc.start:,} is invalid "
            "(often a file saved as Latin-1 / Windows-1252); save it as UTF-8 CSV",
            line=line,
        )
    if not text.strip():
        problems.fatal("empty_file", "the file is empty")
    return text


def _csv_rows(text: str, problems: _Problems) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.fatal("not_csv", f"not valid CSV ({exc}); check the quotes", line=reader.line_num)
        yield reader.line_num, row


def _read_header(
    rows: Iterator[tuple[int, list[str]]],
    required: Sequence[str],
    problems: _Problems,
    hint_ids: frozenset[str],
) -> tuple[dict[str, int], int]:
    """Check the header has exactly the required columns; return column -> index and the field count."""
    first = next(rows, None)
    if first is None:
        problems.fatal("empty_file", "the file is empty")
    _, header = first
    names = [name.strip(" ") for name in header]
    expected = ", ".join(required)
    if len(names) == 1 and any(sep in names[0] for sep in ";\t|"):
        problems.fatal(
            "not_csv",
            "the header has a single column: the file looks separated by semicolons, tabs or bars; "
            f"use commas, with the header {expected}",
            line=1,
        )
    for position, name in enumerate(names, start=1):
        if not name:
            problems.add("missing_column", f"header column {position} has no name", line=1)
    counts = Counter(n for n in names if n)
    duplicated = [n for n, c in counts.items() if c > 1]
    if duplicated:
        problems.add("duplicate_column", f"columns appear more than once: {_quote_list(duplicated)}", line=1)
    missing = [c for c in required if c not in counts]
    extra = [n for n in counts if n not in required]
    if missing:
        message = f"missing columns {_quote_list(missing)}; the header must be exactly: {expected}"
        near = [n for n in extra if n.lower() in {m.lower() for m in missing}]
        if near:
            message += f" (found {_quote_list(near)}: column names are case-sensitive)"
        if any(n in hint_ids for n in names):
            message += " (the first line looks like data: the file needs a header row)"
        problems.add("missing_column", message, line=1)
    if extra:
        problems.add(
            "extra_column",
            f"unexpected columns {_quote_list(extra)}; the header must be exactly: {expected}",
            line=1,
        )
    problems.raise_if_any()
    return {name: names.index(name) for name in required}, len(names)


# --------------------------------------------------------------------------------------------------
# Cells


def _text_cell(raw: str, what: str, line: int, column: str, problems: _Problems) -> str | None:
    """An id, text label or item id: non-empty, not a spreadsheet formula, no control characters."""
    value = raw.strip(" ")
    if not value.strip():
        problems.add("empty_cell", f"empty {what}", line=line, column=column)
        return None
    if raw[0] in _FORMULA_START or value[0] in _FORMULA_START:
        # Never quoted back: the point is that the value must not reach a spreadsheet.
        problems.add(
            "formula_injection",
            f"the {what} starts with =, +, -, @, a tab or a line break, which spreadsheets run as a formula; "
            "such values are refused",
            line=line,
            column=column,
        )
        return None
    if not value.isprintable():
        problems.add(
            "control_character",
            f"the {what} {quote_value(value)} has control characters",
            line=line,
            column=column,
        )
        return None
    return value


def _number_cell(raw: str, kind: str, line: int, column: str, problems: _Problems) -> float | str | None:
    """Parse "int" (returns the canonical integer text) or "float"/"probability" (returns a finite float)."""
    value = raw.strip(" ")
    if not value:
        problems.add("empty_cell", "empty cell: every row needs a value", line=line, column=column)
        return None
    if _NON_FINITE_RE.fullmatch(value):
        problems.add("not_finite", f"{quote_value(value)} is NaN or infinite", line=line, column=column)
        return None
    pattern = _INT_RE if kind == "int" else _FLOAT_RE
    if len(value) > _MAX_NUMBER_CHARS or not pattern.fullmatch(value):
        wanted = {"int": "an integer", "float": "a number", "probability": "a probability between 0 and 1"}[
            kind
        ]
        message = f"{quote_value(value)} is not {wanted}"
        if value.lower() in _MISSING_MARKERS:
            message += " (missing values are not allowed)"
        elif kind != "int" and _FLOAT_RE.fullmatch(value.replace(",", ".", 1)):
            message += " (use a dot as the decimal separator)"
        elif value.endswith("%"):
            message += " (write 0.25, not 25%)"
        elif kind == "int" and _FLOAT_RE.fullmatch(value):
            message += " (no decimals)"
        problems.add("not_an_integer" if kind == "int" else "not_a_number", message, line=line, column=column)
        return None
    if kind == "int":
        return str(int(value))
    number = float(value)
    if not math.isfinite(number):
        problems.add("not_finite", f"{quote_value(value)} is too large", line=line, column=column)
        return None
    if kind == "probability" and not 0.0 <= number <= 1.0:
        problems.add(
            "out_of_range",
            f"{quote_value(value)} is not a probability between 0 and 1",
            line=line,
            column=column,
        )
        return None
    return number


def _class_label(raw: str, spec: TaskSpec, line: int, column: str, problems: _Problems) -> str | None:
    if spec.class_label_type == "int":
        label = _number_cell(raw, "int", line, column, problems)
    else:
        label = _text_cell(raw, "label", line, column, problems)
    if label is None:
        return None
    assert isinstance(label, str)
    if label not in spec.labels:
        problems.add(
            "unknown_label",
            f"label {quote_value(label)} is not one of the allowed labels {_quote_list(spec.labels)}",
            line=line,
            column=column,
        )
        return None
    return label


def _item_list(
    raw: str, spec: TaskSpec, line: int, column: str, problems: _Problems
) -> tuple[str, ...] | None:
    if not raw.strip():
        problems.add("empty_cell", "empty cell: list at least one item id", line=line, column=column)
        return None
    items: list[str] = []
    for token in raw.split():
        item = _text_cell(token, "item id", line, column, problems)
        if item is None:
            return None
        if spec.labels and item not in spec.labels:
            problems.add(
                "unknown_item", f"item {quote_value(item)} is not in the catalogue", line=line, column=column
            )
            return None
        items.append(item)
    repeated = sorted({i for i in items if items.count(i) > 1})
    if repeated:
        problems.add(
            "duplicate_item", f"items listed twice: {_quote_list(repeated)}", line=line, column=column
        )
        return None
    return tuple(items)


def _prediction(
    row: list[str], index: Mapping[str, int], spec: TaskSpec, line: int, problems: _Problems
) -> PredictionValue | None:
    kind = spec.prediction_type
    if kind in ("label", "int") and spec.metric_info.task == "classification":
        column = spec.prediction_columns[0]
        return _class_label(row[index[column]], spec, line, column, problems)
    if kind == "ranked_ids":
        column = spec.prediction_columns[0]
        items = _item_list(row[index[column]], spec, line, column, problems)
        if items is not None and spec.k is not None and len(items) > spec.k:
            problems.add(
                "too_many_items",
                f"{len(items)} items listed; this task scores the top {spec.k}, list at most {spec.k}",
                line=line,
                column=column,
            )
            return None
        return items
    numbers = []
    for column in spec.prediction_columns:
        number = _number_cell(row[index[column]], kind, line, column, problems)
        numbers.append(float(number) if number is not None else None)
    if any(n is None for n in numbers):
        return None
    values = tuple(float(n) for n in numbers if n is not None)
    if len(values) == 1:
        return values[0]
    total = math.fsum(values)
    if abs(total - 1.0) > PROBABILITY_SUM_TOLERANCE:
        problems.add(
            "not_normalised",
            f"the class probabilities sum to {total:.6g}; each row must sum to 1 "
            f"(within {PROBABILITY_SUM_TOLERANCE:g})",
            line=line,
        )
        return None
    return values


def _hidden_label(
    row: list[str], index: Mapping[str, int], spec: TaskSpec, line: int, problems: _Problems
) -> LabelValue | None:
    column = spec.label_column
    raw = row[index[column]]
    task = spec.metric_info.task
    if task == "classification":
        return _class_label(raw, spec, line, column, problems)
    if task == "ranking":
        items = _item_list(raw, spec, line, column, problems)
        return frozenset(items) if items is not None else None
    number = _number_cell(raw, "float", line, column, problems)
    return float(number) if number is not None else None


# --------------------------------------------------------------------------------------------------
# Parsed files


def _canonical(value: PredictionValue | LabelValue) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    return list(value) if isinstance(value, tuple) else value


def _rows_digest(kind: str, spec: TaskSpec, values: Mapping[str, PredictionValue | LabelValue]) -> str:
    rows = [[row_id, _canonical(values[row_id])] for row_id in sorted(values)]
    return _sha256_json({"file": kind, "spec": spec.digest, "rows": rows})


@dataclass(frozen=True)
class Predictions:
    """A validated predictions file: one value per expected id (file order is irrelevant)."""

    values: Mapping[str, PredictionValue] = field(repr=False)
    digest: str
    spec_digest: str
    notes: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return len(self.values)


@dataclass(frozen=True, repr=False)
class HiddenLabels:
    """A validated hidden-labels file. Its repr shows no label, so logging it leaks nothing."""

    values: Mapping[str, LabelValue]
    digest: str
    spec_digest: str

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.values)

    @property
    def n(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        return f"HiddenLabels(n={self.n}, digest={self.digest[:12]}…)"


@dataclass
class _Rows:
    values: dict[str, Any]
    lines_by_id: dict[str, list[int]]
    blank_rows: int


def _parse_rows(
    source: Source,
    spec: TaskSpec,
    *,
    declared_size: int | None,
    columns: Sequence[str],
    problems: _Problems,
    parse_value: Callable[[list[str], Mapping[str, int], int], Any],
    hint_ids: frozenset[str] = frozenset(),
) -> _Rows:
    """Shared reading of a two-part file (id + value columns); collects problems, raises on fatal ones."""
    text = _decode(_read_limited(source, declared_size, spec.max_bytes, problems), problems)
    rows = _csv_rows(text, problems)
    index, width = _read_header(rows, columns, problems, hint_ids)
    parsed = _Rows({}, {}, 0)
    n_rows = 0
    for line, row in rows:
        if not row:  # an empty line
            continue
        if not "".join(row).strip():  # e.g. ",," padding rows from a spreadsheet
            parsed.blank_rows += 1
            continue
        n_rows += 1
        if n_rows > spec.max_rows:
            problems.fatal(
                "too_many_rows", f"the file has more than {spec.max_rows:,} rows, this task's limit"
            )
        if len(row) != width:
            problems.add(
                "wrong_field_count",
                f"{len(row)} fields, but the header has {width} ({', '.join(columns)}); quote values that "
                "contain commas",
                line=line,
            )
            continue
        row_id = _text_cell(row[index[spec.id_column]], "id", line, spec.id_column, problems)
        value = parse_value(row, index, line)
        if row_id is None:
            continue
        parsed.lines_by_id.setdefault(row_id, []).append(line)
        if value is not None and row_id not in parsed.values:
            parsed.values[row_id] = value
    return parsed


def _examples(ids: Sequence[str], lines_by_id: Mapping[str, list[int]] | None = None) -> str:
    shown = []
    for row_id in ids[:MAX_EXAMPLES]:
        where = ""
        if lines_by_id is not None:
            lines = lines_by_id[row_id]
            word = "lines" if len(lines) > 1 else "line"
            more = ", …" if len(lines) > MAX_EXAMPLES else ""
            where = f" ({word} {', '.join(str(n) for n in lines[:MAX_EXAMPLES])}{more})"
        shown.append(quote_value(row_id) + where)
    return ", ".join(shown) + (", …" if len(ids) > MAX_EXAMPLES else "")


def _count(items: Sequence[object], singular: str, plural: str) -> str:
    return f"{len(items):,} {singular if len(items) == 1 else plural}"


def _report_duplicates(parsed: _Rows, problems: _Problems) -> None:
    duplicated = sorted(
        (i for i, lines in parsed.lines_by_id.items() if len(lines) > 1), key=lambda i: parsed.lines_by_id[i]
    )
    if duplicated:
        problems.add(
            "duplicate_id",
            f"{_count(duplicated, 'id appears', 'ids appear')} more than once (each must appear once): "
            f"{_examples(duplicated, parsed.lines_by_id)}",
        )


def parse_labels(source: Source, spec: TaskSpec, *, declared_size: int | None = None) -> HiddenLabels:
    """Validate the hidden-labels CSV (columns `spec.id_column`, `spec.label_column`).

    Classification targets must be allowed labels; binary F1 needs the positive label to occur, ROC AUC and
    macro F1 every declared label (a declared class absent from the test set would make macro F1's best
    score less than 1). Regression targets are finite numbers; ranking targets a non-empty, space-separated
    set of relevant item ids. Raises `InvalidLabelsError`.
    """
    problems = _Problems(InvalidLabelsError)
    parsed = _parse_rows(
        source,
        spec,
        declared_size=declared_size,
        columns=(spec.id_column, spec.label_column),
        problems=problems,
        parse_value=lambda row, index, line: _hidden_label(row, index, spec, line, problems),
    )
    _report_duplicates(parsed, problems)
    if not parsed.lines_by_id and not problems.counts:
        problems.add("no_rows", "the file has a header but no rows")
    if not problems.counts and spec.metric in ("roc_auc", "f1"):
        present = set(parsed.values.values())
        binary_f1 = spec.metric == "f1" and spec.average == "binary"
        needed = [str(spec.positive_label)] if binary_f1 else list(spec.labels)
        absent = [label for label in needed if label not in present]
        if absent:
            problems.add("missing_class", f"{spec.metric} needs rows labelled {_quote_list(absent)}")
    problems.raise_if_any()
    return HiddenLabels(
        values=dict(parsed.values),
        digest=_rows_digest("labels", spec, parsed.values),
        spec_digest=spec.digest,
    )


def parse_predictions(
    source: Source, spec: TaskSpec, expected_ids: Iterable[str], *, declared_size: int | None = None
) -> Predictions:
    """Validate a candidate's predictions CSV against the task's test ids (usually `HiddenLabels.ids`).

    The header must be exactly `spec.id_column` plus `spec.prediction_columns` (any order); every expected
    id must appear exactly once and no other id may. `source` is bytes or a binary file-like object; pass
    `declared_size` (e.g. an upload's size) to refuse an oversize file before reading it. Raises
    `InvalidPredictionsError` listing every problem found (row-level ones capped, all counted).
    """
    expected = frozenset(expected_ids)
    if not expected or not all(isinstance(i, str) and i for i in expected):
        raise GradingError("expected_ids must be a non-empty collection of non-empty strings")
    problems = _Problems(InvalidPredictionsError)
    parsed = _parse_rows(
        source,
        spec,
        declared_size=declared_size,
        columns=(spec.id_column, *spec.prediction_columns),
        problems=problems,
        parse_value=lambda row, index, line: _prediction(row, index, spec, line, problems),
        hint_ids=expected,
    )
    _report_duplicates(parsed, problems)
    unknown = sorted(
        (i for i in parsed.lines_by_id if i not in expected), key=lambda i: parsed.lines_by_id[i]
    )
    if unknown:
        problems.add(
            "unknown_id",
            f"{_count(unknown, 'id is', 'ids are')} not in this task's test set: "
            f"{_examples(unknown, parsed.lines_by_id)}",
        )
    missing = sorted(expected - parsed.lines_by_id.keys())
    if missing:
        found = len(expected) - len(missing)
        problems.add(
            "missing_id",
            f"{len(missing):,} of the {len(expected):,} test-set ids have no row (found {found:,}): "
            f"{_examples(missing)}",
        )
    problems.raise_if_any()
    notes = []
    if parsed.blank_rows:
        notes.append(f"{parsed.blank_rows:,} blank row(s) ignored")
    if len(spec.prediction_columns) > 1:
        rescaled = sum(1 for v in parsed.values.values() if math.fsum(v) != 1.0)
        if rescaled:
            notes.append(
                f"{rescaled:,} rows of class probabilities summed to within {PROBABILITY_SUM_TOLERANCE:g} "
                "of 1 and were rescaled to sum to exactly 1"
            )
    return Predictions(
        values=dict(parsed.values),
        digest=_rows_digest("predictions", spec, parsed.values),
        spec_digest=spec.digest,
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------------------------------
# Grading


@dataclass(frozen=True)
class GradeResult:
    """A deterministic grade. `to_dict()` is the full record (staff, DecisionRecord); `candidate_view()` is
    what the candidate may see. The hidden-labels digest (and the inputs digest built on it) stay with staff:
    for a tiny test set a digest of the labels could be brute-forced."""

    score: float
    metric: str
    direction: str
    n: int
    version: str
    inputs_digest: str
    predictions_digest: str
    labels_digest: str
    spec_digest: str
    explanation: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "metric": self.metric,
            "direction": self.direction,
            "n": self.n,
            "version": self.version,
            "inputs_digest": self.inputs_digest,
            "predictions_digest": self.predictions_digest,
            "labels_digest": self.labels_digest,
            "spec_digest": self.spec_digest,
            "explanation": dict(self.explanation),
        }

    def candidate_view(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "metric": self.metric,
            "direction": self.direction,
            "n": self.n,
            "version": self.version,
            "predictions_digest": self.predictions_digest,
            "explanation": dict(self.explanation),
        }


def _parameters(spec: TaskSpec) -> dict[str, Any]:
    """The public task parameters the score depends on (never anything from the hidden labels)."""
    if spec.metric == "accuracy":
        return {"labels": list(spec.labels)}
    if spec.metric == "f1":
        if spec.average == "binary":
            return {"average": "binary", "positive_label": spec.positive_label}
        return {"average": "macro", "labels": list(spec.labels)}
    if spec.metric == "roc_auc":
        return {"positive_label": spec.positive_label, "score_column": spec.prediction_columns[0]}
    if spec.metric == "log_loss":
        if len(spec.prediction_columns) == 1:
            return {"positive_label": spec.positive_label, "probability_column": spec.prediction_columns[0]}
        return {"class_columns": dict(zip(spec.prediction_columns, spec.labels, strict=True))}
    if spec.metric == "map_at_k":
        return {"k": spec.k}
    return {}


def grade(predictions: Predictions, hidden_labels: HiddenLabels, spec: TaskSpec) -> GradeResult:
    """Score validated predictions against the hidden labels with the task's metric.

    Rows are aligned by id. Raises `GradingError` if the inputs were validated for another spec or set of
    ids; the message never includes a hidden label.
    """
    if predictions.spec_digest != spec.digest or hidden_labels.spec_digest != spec.digest:
        raise GradingError("the predictions and hidden labels must be validated with this task's spec")
    if predictions.values.keys() != hidden_labels.values.keys():
        raise GradingError(
            f"the predictions' {predictions.n:,} ids do not match the {hidden_labels.n:,} labelled ids; "
            "validate them with expected_ids=hidden_labels.ids"
        )
    metric = spec.metric_info
    ids = sorted(hidden_labels.values)
    score = metric.compute([predictions.values[i] for i in ids], [hidden_labels.values[i] for i in ids], spec)
    if not math.isfinite(score):
        raise GradingError(f"{metric.title} is undefined for these inputs")
    spec_digest = spec.digest
    inputs_digest = _sha256_json(
        {
            "grading_version": GRADING_VERSION,
            "spec": spec_digest,
            "predictions": predictions.digest,
            "labels": hidden_labels.digest,
        }
    )
    explanation = {
        "metric": metric.name,
        "title": metric.title,
        "direction": f"{metric.direction} is better",
        "best_possible": metric.best,
        "definition": metric.definition,
        "parameters": _parameters(spec),
        "rows_scored": len(ids),
        "computed_with": f"{metric.sklearn_function}, scikit-learn {sklearn.__version__}",
        "grading_version": GRADING_VERSION,
        "notes": list(predictions.notes),
    }
    return GradeResult(
        score=score,
        metric=metric.name,
        direction=metric.direction,
        n=len(ids),
        version=GRADING_VERSION,
        inputs_digest=inputs_digest,
        predictions_digest=predictions.digest,
        labels_digest=hidden_labels.digest,
        spec_digest=spec_digest,
        explanation=explanation,
    )


def grade_submission(
    source: Source, hidden_labels: HiddenLabels, spec: TaskSpec, *, declared_size: int | None = None
) -> GradeResult:
    """Validate a predictions file against the hidden labels' ids and grade it (raises on a bad file)."""
    predictions = parse_predictions(source, spec, hidden_labels.ids, declared_size=declared_size)
    return grade(predictions, hidden_labels, spec)
