"""Tests for the ML-task grader: scikit-learn agreement, strict validation of predictions and labels."""

from __future__ import annotations

import io
import json
import math
import random

import numpy as np
import pytest
from sklearn import metrics as skm

from cadre.screening.grading import (
    GRADING_VERSION,
    MAX_LISTED_PROBLEMS,
    METRICS,
    GradingError,
    HiddenLabels,
    InvalidLabelsError,
    InvalidPredictionsError,
    Predictions,
    TaskSpec,
    TaskSpecError,
    average_precision_at_k,
    grade,
    grade_submission,
    parse_labels,
    parse_predictions,
    quote_value,
)

# --------------------------------------------------------------------------------------------------
# Helpers


def csv_text(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def labels_file(pairs: dict[str, str], column: str = "label") -> bytes:
    return csv_text(f"id,{column}", [f"{i},{v}" for i, v in pairs.items()])


def shuffled(rows: list[str], seed: int = 7) -> list[str]:
    out = list(rows)
    random.Random(seed).shuffle(out)
    return out


def rejected(source: bytes, spec: TaskSpec, expected: frozenset[str]) -> InvalidPredictionsError:
    with pytest.raises(InvalidPredictionsError) as info:
        parse_predictions(source, spec, expected)
    return info.value


BINARY = TaskSpec(metric="roc_auc", labels=("no", "yes"), positive_label="yes")
BINARY_TRUTH = {"a": "yes", "b": "no", "c": "yes", "d": "no"}
BINARY_IDS = frozenset(BINARY_TRUTH)


def ok_binary_rows() -> list[str]:
    return ["a,0.9", "b,0.1", "c,0.8", "d,0.3"]


# --------------------------------------------------------------------------------------------------
# Metrics agree with scikit-learn (called directly on the same id-aligned arrays)


def test_registry_directions() -> None:
    assert {name: m.direction for name, m in METRICS.items()} == {
        "accuracy": "higher",
        "f1": "higher",
        "roc_auc": "higher",
        "log_loss": "lower",
        "rmse": "lower",
        "mae": "lower",
        "map_at_k": "higher",
    }


def test_accuracy_matches_sklearn_and_hand_value_with_shuffled_rows() -> None:
    spec = TaskSpec(metric="accuracy", labels=("cat", "dog", "bird"))
    truth = {"r1": "cat", "r2": "dog", "r3": "bird", "r4": "cat", "r5": "dog", "r6": "cat", "r7": "bird"}
    preds = {"r1": "cat", "r2": "cat", "r3": "bird", "r4": "cat", "r5": "bird", "r6": "cat", "r7": "bird"}
    labels = parse_labels(labels_file(truth), spec)
    rows = shuffled([f"{i},{p}" for i, p in preds.items()])
    result = grade_submission(csv_text("id,prediction", rows), labels, spec)
    ids = sorted(truth)
    assert result.score == skm.accuracy_score([truth[i] for i in ids], [preds[i] for i in ids])
    assert result.score == pytest.approx(5 / 7)
    assert (result.metric, result.direction, result.n, result.version) == (
        "accuracy",
        "higher",
        7,
        GRADING_VERSION,
    )


def test_accuracy_with_integer_labels_canonicalises_cells() -> None:
    spec = TaskSpec(metric="accuracy", labels=("-1", "1"), class_label_type="int")
    assert spec.prediction_type == "int"
    labels = parse_labels(labels_file({"a": "-1", "b": "1", "c": "1"}), spec)
    result = grade_submission(csv_text("id,prediction", ["a,-1", "b,01", "c,-1"]), labels, spec)
    assert result.score == skm.accuracy_score([-1, 1, 1], [-1, 1, -1]) == pytest.approx(2 / 3)


def test_binary_f1_matches_sklearn_and_hand_value() -> None:
    spec = TaskSpec(metric="f1", labels=("no", "yes"), positive_label="yes")
    assert spec.average == "binary"
    truth = {"a": "yes", "b": "yes", "c": "yes", "d": "no", "e": "no"}
    preds = {"a": "yes", "b": "yes", "c": "no", "d": "yes", "e": "no"}  # tp 2, fp 1, fn 1
    labels = parse_labels(labels_file(truth), spec)
    result = grade_submission(
        csv_text("id,prediction", shuffled([f"{i},{p}" for i, p in preds.items()])), labels, spec
    )
    ids = sorted(truth)
    expected = skm.f1_score([truth[i] for i in ids], [preds[i] for i in ids], pos_label="yes")
    assert result.score == expected
    assert result.score == pytest.approx(2 / 3)


def test_macro_f1_counts_a_never_predicted_class_as_zero() -> None:
    spec = TaskSpec(metric="f1", labels=("ant", "bee", "wasp"))
    assert spec.average == "macro"
    truth = {"1": "ant", "2": "ant", "3": "bee", "4": "bee", "5": "wasp", "6": "ant"}
    preds = {"1": "ant", "2": "bee", "3": "bee", "4": "bee", "5": "ant", "6": "ant"}  # never "wasp"
    labels = parse_labels(labels_file(truth), spec)
    result = grade_submission(csv_text("id,prediction", [f"{i},{p}" for i, p in preds.items()]), labels, spec)
    ids = sorted(truth)
    expected = skm.f1_score(
        [truth[i] for i in ids],
        [preds[i] for i in ids],
        labels=["ant", "bee", "wasp"],
        average="macro",
        zero_division=0,
    )
    assert result.score == expected
    # ant: p 2/3 r 2/3 -> 2/3; bee: p 2/3 r 1 -> 0.8; wasp: 0
    assert result.score == pytest.approx((2 / 3 + 0.8 + 0) / 3)


def test_roc_auc_matches_sklearn_and_hand_value() -> None:
    labels = parse_labels(labels_file(BINARY_TRUTH), BINARY)
    # positives a, c score 0.9, 0.2; negatives b, d score 0.1, 0.3 -> pairs won: (a,b) (a,d) (c,b) = 3 of 4
    result = grade_submission(csv_text("id,prediction", ["d,0.3", "c,0.2", "b,0.1", "a,0.9"]), labels, BINARY)
    assert result.score == skm.roc_auc_score([1, 0, 1, 0], [0.9, 0.1, 0.2, 0.3]) == 0.75


def test_roc_auc_accepts_unbounded_scores_and_ties() -> None:
    spec = TaskSpec(metric="roc_auc", labels=("0", "1"), positive_label="1", prediction_type="float")
    truth = {"a": "1", "b": "0", "c": "1", "d": "0", "e": "0"}
    scores = {"a": "12.5", "b": "-3", "c": "2e1", "d": "12.5", "e": ".5"}
    labels = parse_labels(labels_file(truth), spec)
    result = grade_submission(
        csv_text("id,prediction", [f"{i},{s}" for i, s in scores.items()]), labels, spec
    )
    ids = sorted(truth)
    expected = skm.roc_auc_score([int(truth[i]) for i in ids], [float(scores[i]) for i in ids])
    assert result.score == expected
    assert result.score == pytest.approx(5.5 / 6)  # the tie a/d counts half


def test_binary_log_loss_uses_the_declared_positive_label() -> None:
    # "cat" sorts first; sklearn's 1-D convention would treat "dog" as positive. The spec says "cat".
    spec = TaskSpec(
        metric="log_loss", labels=("cat", "dog"), positive_label="cat", prediction_columns=("p_cat",)
    )
    truth = {"a": "cat", "b": "dog", "c": "cat"}
    p_cat = {"a": 0.8, "b": 0.25, "c": 0.5}
    labels = parse_labels(labels_file(truth), spec)
    result = grade_submission(csv_text("id,p_cat", [f"{i},{p}" for i, p in p_cat.items()]), labels, spec)
    ids = sorted(truth)
    proba = np.array([[p_cat[i], 1 - p_cat[i]] for i in ids])
    assert result.score == skm.log_loss([truth[i] for i in ids], proba, labels=["cat", "dog"])
    assert result.score == pytest.approx(-(math.log(0.8) + math.log(0.75) + math.log(0.5)) / 3)
    assert result.direction == "lower"


def test_multiclass_log_loss_maps_columns_to_declared_labels() -> None:
    spec = TaskSpec(
        metric="log_loss", labels=("zebra", "ant", "moth"), prediction_columns=("p_zebra", "p_ant", "p_moth")
    )
    truth = {"x1": "ant", "x2": "zebra", "x3": "moth", "x4": "ant"}
    proba = {
        "x1": (0.25, 0.5, 0.25),
        "x2": (0.5, 0.25, 0.25),
        "x3": (0.0, 0.0, 1.0),
        "x4": (0.75, 0.125, 0.125),
    }
    labels = parse_labels(labels_file(truth), spec)
    rows = [f"{i},{z},{a},{m}" for i, (z, a, m) in proba.items()]
    result = grade_submission(csv_text("id,p_zebra,p_ant,p_moth", rows), labels, spec)
    ids = sorted(truth)
    # sklearn orders columns by sorted label: ant, moth, zebra
    sk_proba = np.array([[proba[i][1], proba[i][2], proba[i][0]] for i in ids])
    assert result.score == skm.log_loss([truth[i] for i in ids], sk_proba, labels=["ant", "moth", "zebra"])
    assert result.score == pytest.approx(
        -(math.log(0.5) + math.log(0.5) + math.log(1.0) + math.log(0.125)) / 4
    )
    assert result.explanation["notes"] == []


def test_multiclass_columns_may_come_in_any_order_in_the_file() -> None:
    spec = TaskSpec(metric="log_loss", labels=("a", "b", "c"), prediction_columns=("pa", "pb", "pc"))
    labels = parse_labels(labels_file({"1": "a", "2": "c"}), spec)
    in_order = grade_submission(csv_text("id,pa,pb,pc", ["1,0.5,0.25,0.25", "2,0.25,0.25,0.5"]), labels, spec)
    reordered = grade_submission(
        csv_text("pc,id,pb,pa", ["0.25,1,0.25,0.5", "0.5,2,0.25,0.25"]), labels, spec
    )
    assert in_order.score == reordered.score == pytest.approx(-math.log(0.5))
    assert in_order.inputs_digest == reordered.inputs_digest


def test_probability_rows_within_tolerance_are_rescaled_and_said_so() -> None:
    spec = TaskSpec(metric="log_loss", labels=("a", "b", "c"), prediction_columns=("pa", "pb", "pc"))
    truth = {"1": "a", "2": "b", "3": "c"}
    raw = {"1": (0.333, 0.333, 0.334), "2": (0.2, 0.3, 0.4995), "3": (0.1, 0.2, 0.7)}
    labels = parse_labels(labels_file(truth), spec)
    rows = [f"{i},{a},{b},{c}" for i, (a, b, c) in raw.items()]
    result = grade_submission(csv_text("id,pa,pb,pc", rows), labels, spec)
    ids = sorted(truth)
    matrix = np.array([raw[i] for i in ids], dtype=float)
    matrix = matrix / matrix.sum(axis=1, keepdims=True)
    assert result.score == skm.log_loss([truth[i] for i in ids], matrix, labels=["a", "b", "c"])
    notes = result.explanation["notes"]
    assert len(notes) == 1 and "rescaled" in notes[0]
    assert notes[0].startswith(("1 row", "2 row", "3 row"))


def test_rmse_and_mae_match_sklearn_and_hand_values() -> None:
    truth = {"a": "3", "b": "-0.5", "c": "2", "d": "7"}
    preds = {"a": "2.5", "b": "0.0", "c": "2", "d": "8"}
    ids = sorted(truth)
    y_true = [float(truth[i]) for i in ids]
    y_pred = [float(preds[i]) for i in ids]
    rows = shuffled([f"{i},{p}" for i, p in preds.items()])
    for metric, expected, hand in (
        ("rmse", skm.root_mean_squared_error(y_true, y_pred), math.sqrt((0.25 + 0.25 + 0 + 1) / 4)),
        ("mae", skm.mean_absolute_error(y_true, y_pred), (0.5 + 0.5 + 0 + 1) / 4),
    ):
        spec = TaskSpec(metric=metric)
        result = grade_submission(
            csv_text("id,prediction", rows), parse_labels(labels_file(truth), spec), spec
        )
        assert result.score == expected
        assert result.score == pytest.approx(hand)
        assert result.direction == "lower"


def test_integer_regression_predictions_must_be_integers() -> None:
    spec = TaskSpec(metric="mae", prediction_type="int")
    labels = parse_labels(labels_file({"a": "3", "b": "4.5"}), spec)
    result = grade_submission(csv_text("id,prediction", ["a,2", "b,+5"]), labels, spec)
    assert result.score == skm.mean_absolute_error([3, 4.5], [2, 5]) == 0.75
    error = rejected(csv_text("id,prediction", ["a,2.0", "b,5"]), spec, labels.ids)
    assert error.codes == {"not_an_integer"} and "no decimals" in str(error)


def reference_apk(ranked: list[str], relevant: set[str], k: int) -> float:
    """Independent textbook loop: sum of precision at each relevant rank <= k, over min(|R|, k)."""
    hits, total = 0, 0.0
    for rank, item in enumerate(ranked[:k], start=1):
        if item in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), k)


def test_map_at_k_hand_computed() -> None:
    spec = TaskSpec(metric="map_at_k", k=3)
    truth = {"q1": "a c", "q2": "y z w", "q3": "n"}
    labels = parse_labels(labels_file(truth, column="label"), spec)
    rows = ["q2,x y", "q3,m", "q1,a b c"]
    result = grade_submission(csv_text("id,prediction", rows), labels, spec)
    # q1: (1/1 + 2/3) / 2 = 5/6; q2: (1/2) / min(3, 3) = 1/6; q3: 0
    assert result.score == pytest.approx((5 / 6 + 1 / 6 + 0) / 3)
    assert result.score == pytest.approx(1 / 3, abs=1e-15)
    assert result.explanation["parameters"] == {"k": 3}


def test_average_precision_at_k_normalises_by_min_relevant_and_k() -> None:
    # 5 relevant items, k = 2: a perfect top-2 scores 1, not 2/5.
    assert average_precision_at_k(["r1", "r2", "x"], frozenset({"r1", "r2", "r3", "r4", "r5"}), 2) == 1.0
    # items past k do not count
    assert average_precision_at_k(["x", "y", "r"], frozenset({"r"}), 2) == 0.0
    assert average_precision_at_k(["x", "r"], frozenset({"r", "s"}), 2) == pytest.approx(0.25)
    with pytest.raises(GradingError):
        average_precision_at_k(["x"], frozenset(), 2)


def test_average_precision_at_k_cross_checked_against_loop_and_sklearn_on_random_cases() -> None:
    rng = random.Random(20240508)
    catalogue = [f"i{n}" for n in range(12)]
    for _ in range(300):
        k = rng.randint(1, 12)
        relevant = set(rng.sample(catalogue, rng.randint(1, 6)))
        ranked = rng.sample(catalogue, rng.randint(1, 12))
        ours = average_precision_at_k(ranked, frozenset(relevant), k)
        assert ours == pytest.approx(reference_apk(ranked, relevant, k), abs=1e-12)
        if k >= len(catalogue) and relevant <= set(ranked):
            # A full ranking that retrieves every relevant item: AP@k is plain average precision.
            scores = [
                len(ranked) - ranked.index(c) if c in ranked else -catalogue.index(c) - 1 for c in catalogue
            ]
            truth = [1 if c in relevant else 0 for c in catalogue]
            assert ours == pytest.approx(skm.average_precision_score(truth, scores), abs=1e-12)
            assert ours == pytest.approx(
                skm.label_ranking_average_precision_score([truth], [scores]), abs=1e-12
            )


def test_map_at_k_over_a_file_matches_the_mean_of_the_reference_loop() -> None:
    rng = random.Random(99)
    catalogue = [f"item{n}" for n in range(30)]
    truth = {f"q{n}": set(rng.sample(catalogue, rng.randint(1, 8))) for n in range(40)}
    ranked = {q: rng.sample(catalogue, 5) for q in truth}
    spec = TaskSpec(metric="map_at_k", k=5, labels=tuple(catalogue))
    labels = parse_labels(labels_file({q: " ".join(sorted(r)) for q, r in truth.items()}), spec)
    rows = shuffled([f"{q},{' '.join(items)}" for q, items in ranked.items()])
    result = grade_submission(csv_text("id,prediction", rows), labels, spec)
    expected = sum(reference_apk(ranked[q], truth[q], 5) for q in truth) / len(truth)
    assert result.score == pytest.approx(expected, abs=1e-12)


# --------------------------------------------------------------------------------------------------
# Alignment, determinism, digests


def test_shuffled_rows_give_the_same_score_and_digests() -> None:
    labels = parse_labels(labels_file(BINARY_TRUTH), BINARY)
    first = grade_submission(csv_text("id,prediction", ok_binary_rows()), labels, BINARY)
    second = grade_submission(
        csv_text("prediction,id", [",".join(reversed(r.split(","))) for r in shuffled(ok_binary_rows())]),
        labels,
        BINARY,
    )
    assert first == second
    assert first.score == 1.0


def test_digests_change_with_each_input() -> None:
    labels = parse_labels(labels_file(BINARY_TRUTH), BINARY)
    base = grade_submission(csv_text("id,prediction", ok_binary_rows()), labels, BINARY)
    other_prediction = grade_submission(
        csv_text("id,prediction", ["a,0.9", "b,0.1", "c,0.8", "d,0.31"]), labels, BINARY
    )
    other_labels = parse_labels(labels_file({**BINARY_TRUTH, "d": "yes"}), BINARY)
    relabelled = grade_submission(csv_text("id,prediction", ok_binary_rows()), other_labels, BINARY)
    assert other_prediction.score == base.score  # same ordering, same AUC...
    assert other_prediction.predictions_digest != base.predictions_digest  # ...but not the same input
    assert other_prediction.inputs_digest != base.inputs_digest
    assert relabelled.labels_digest != base.labels_digest
    assert relabelled.inputs_digest != base.inputs_digest
    assert len(base.inputs_digest) == 64 and int(base.inputs_digest, 16) >= 0


def test_spec_digest_ignores_size_limits_but_not_scoring_settings() -> None:
    a = TaskSpec(metric="rmse")
    assert a.digest == TaskSpec(metric="rmse", max_bytes=10, max_rows=5).digest
    assert a.digest != TaskSpec(metric="mae").digest
    assert a.digest != TaskSpec(metric="rmse", prediction_columns=("y_hat",)).digest


def test_grade_refuses_inputs_validated_for_another_spec_or_id_set() -> None:
    labels = parse_labels(labels_file(BINARY_TRUTH), BINARY)
    preds = parse_predictions(csv_text("id,prediction", ok_binary_rows()), BINARY, labels.ids)
    other_spec = TaskSpec(metric="roc_auc", labels=("no", "yes"), positive_label="no")
    with pytest.raises(GradingError, match="spec"):
        grade(preds, labels, other_spec)
    fewer = parse_predictions(csv_text("id,prediction", ["a,0.9", "b,0.1"]), BINARY, {"a", "b"})
    with pytest.raises(GradingError, match="ids do not match") as info:
        grade(fewer, labels, BINARY)
    assert "yes" not in str(info.value)


# --------------------------------------------------------------------------------------------------
# Hidden labels never leave the grader


def test_results_never_contain_hidden_regression_targets_or_ids() -> None:
    spec = TaskSpec(metric="rmse")
    truth = {"row-alpha": "913.25", "row-beta": "4471.5", "row-gamma": "-88.125"}
    labels = parse_labels(labels_file(truth), spec)
    result = grade_submission(
        csv_text("id,prediction", ["row-alpha,1", "row-beta,2", "row-gamma,3"]), labels, spec
    )
    for view in (result.candidate_view(), result.to_dict()):
        text = json.dumps(view)
        for secret in ("913.25", "4471.5", "88.125", "row-alpha", "row-beta", "row-gamma"):
            assert secret not in text
    assert "labels_digest" not in result.candidate_view() and "inputs_digest" not in result.candidate_view()
    assert result.candidate_view()["score"] == result.score


def test_results_never_contain_hidden_relevant_items() -> None:
    spec = TaskSpec(metric="map_at_k", k=2)
    truth = {"q1": "secret-item-one hit", "q2": "secret-item-two"}
    labels = parse_labels(labels_file(truth), spec)
    result = grade_submission(csv_text("id,prediction", ["q1,hit miss", "q2,miss"]), labels, spec)
    assert result.score == pytest.approx((1 / 2 + 0) / 2)
    text = json.dumps(result.to_dict()) + json.dumps(result.candidate_view())
    assert "secret-item" not in text


def test_classification_explanation_has_no_per_row_information() -> None:
    labels = parse_labels(labels_file(BINARY_TRUTH), BINARY)
    result = grade_submission(csv_text("id,prediction", ok_binary_rows()), labels, BINARY)
    explanation = result.candidate_view()["explanation"]
    assert set(explanation) == {
        "metric",
        "title",
        "direction",
        "best_possible",
        "definition",
        "parameters",
        "rows_scored",
        "computed_with",
        "grading_version",
        "notes",
    }
    assert explanation["parameters"] == {"positive_label": "yes", "score_column": "prediction"}
    assert "scikit-learn" in explanation["computed_with"]
    text = json.dumps(explanation)
    assert not any(f'"{i}"' in text for i in BINARY_TRUTH)


def test_hidden_labels_repr_shows_no_label() -> None:
    spec = TaskSpec(metric="mae")
    labels = parse_labels(labels_file({"a": "123.456"}), spec)
    assert isinstance(labels, HiddenLabels)
    assert "123.456" not in repr(labels) and "123.456" not in str(labels)
    assert "n=1" in repr(labels)


# --------------------------------------------------------------------------------------------------
# Bad predictions files: each gets its own specific error


def test_valid_file_parses_with_bom_crlf_and_padding() -> None:
    data = b"\xef\xbb\xbf id , prediction \r\n a , 0.9\r\nb,0.1\r\nc,0.8\r\nd,0.3\r\n,\r\n\r\n"
    preds = parse_predictions(data, BINARY, BINARY_IDS)
    assert isinstance(preds, Predictions)
    assert preds.values == {"a": 0.9, "b": 0.1, "c": 0.8, "d": 0.3}
    assert preds.notes == ("1 blank row(s) ignored",)


def test_several_problems_are_reported_together() -> None:
    error = rejected(
        csv_text("id,prediction", ["a,0.9", "a,0.2", "b,abc", "zz,0.1", "c,"]), BINARY, BINARY_IDS
    )
    assert error.codes == {"duplicate_id", "not_a_number", "unknown_id", "missing_id", "empty_cell"}
    message = str(error)
    assert message.startswith("The predictions file was rejected (5 problems):")
    assert "line 4, column 'prediction': 'abc' is not a probability between 0 and 1" in message
    assert "line 6, column 'prediction': empty cell" in message


def test_not_utf8_names_the_byte_and_line() -> None:
    data = "id,prediction\na,0.9\nb,caf\u00e9\n".encode("latin-1")
    error = rejected(data, BINARY, BINARY_IDS)
    assert error.codes == {"encoding"}
    assert "byte 0xE9" in str(error) and "line 3" in str(error) and "UTF-8" in str(error)


def test_utf16_and_binary_files_are_refused() -> None:
    utf16 = "id,prediction\na,0.9\n".encode("utf-16")
    assert "UTF-16" in str(rejected(utf16, BINARY, BINARY_IDS))
    assert rejected(b"PK\x03\x04xlsx-bytes", BINARY, BINARY_IDS).codes == {"not_csv"}
    assert "NUL" in str(rejected(b"id,prediction\na,0\x00.9\n", BINARY, BINARY_IDS))


def test_empty_and_header_only_files() -> None:
    assert rejected(b"", BINARY, BINARY_IDS).codes == {"empty_file"}
    assert rejected(b"  \n\n", BINARY, BINARY_IDS).codes == {"empty_file"}
    error = rejected(b"id,prediction\n", BINARY, BINARY_IDS)
    assert error.codes == {"missing_id"} and "4 of the 4 test-set ids have no row (found 0)" in str(error)


def test_not_csv_semicolons_and_broken_quotes() -> None:
    error = rejected(b"id;prediction\na;0.9\n", BINARY, BINARY_IDS)
    assert error.codes == {"not_csv"} and "semicolons" in str(error)
    error = rejected(b'id,prediction\na,"0.9\nb,0.1\n', BINARY, BINARY_IDS)
    assert error.codes == {"not_csv"} and "quotes" in str(error)
    error = rejected(b'id,prediction\na,"0.9"x\n', BINARY, BINARY_IDS)
    assert error.codes == {"not_csv"} and "line 2" in str(error)


def test_missing_and_extra_columns_are_named() -> None:
    error = rejected(csv_text("id,score,notes,user", ["a,1,x,y"]), BINARY, BINARY_IDS)
    assert error.codes == {"missing_column", "extra_column"}
    message = str(error)
    assert "missing columns 'prediction'" in message
    assert "unexpected columns 'score', 'notes', 'user'" in message
    assert "the header must be exactly: id, prediction" in message


def test_column_names_are_case_sensitive_with_a_hint() -> None:
    error = rejected(csv_text("ID,prediction", ["a,0.9"]), BINARY, BINARY_IDS)
    assert "case-sensitive" in str(error)


def test_duplicate_and_unnamed_header_columns() -> None:
    error = rejected(csv_text("id,prediction,prediction,", ["a,1,1,"]), BINARY, BINARY_IDS)
    assert "duplicate_column" in error.codes and "'prediction'" in str(error)
    assert "header column 4 has no name" in str(error)


def test_a_file_without_header_gets_a_hint() -> None:
    error = rejected(csv_text("a,0.9", ["b,0.1", "c,0.8", "d,0.3"]), BINARY, BINARY_IDS)
    assert "needs a header row" in str(error)


def test_duplicated_ids_list_a_few_with_lines() -> None:
    rows = ok_binary_rows() + ["a,0.5", "a,0.4", "b,0.2"] + [f"x{n},0.1" for n in range(3)]
    error = rejected(csv_text("id,prediction", rows), BINARY, BINARY_IDS)
    assert error.codes == {"duplicate_id", "unknown_id"}
    assert "2 ids appear more than once" in str(error)
    assert "'a' (lines 2, 6, 7)" in str(error) and "'b' (lines 3, 8)" in str(error)
    many = rejected(
        csv_text("id,prediction", ok_binary_rows() * 2 + [f"z{n},0.1" for n in range(9)]), BINARY, BINARY_IDS
    )
    assert "9 ids are not in this task's test set" in str(many) and ", …" in str(many)


def test_missing_ids_counted_with_row_count() -> None:
    error = rejected(csv_text("id,prediction", ["a,0.9", "c,0.1"]), BINARY, BINARY_IDS)
    assert error.codes == {"missing_id"}
    assert "2 of the 4 test-set ids have no row (found 2): 'b', 'd'" in str(error)


def test_ids_are_exact_strings() -> None:
    error = rejected(csv_text("id,prediction", ["A,0.9", "b,0.1", "c,0.8", "d,0.3"]), BINARY, BINARY_IDS)
    assert error.codes == {"unknown_id", "missing_id"}


@pytest.mark.parametrize("cell", ["nan", "NaN", "-inf", "Infinity", "+INF", "1e999"])
def test_nan_and_infinity_are_refused(cell: str) -> None:
    spec = TaskSpec(metric="rmse")
    error = rejected(csv_text("id,prediction", [f"a,{cell}"]), spec, frozenset({"a"}))
    assert error.codes == {"not_finite"}


@pytest.mark.parametrize(
    ("cell", "hint"),
    [
        ("0,5", "decimal separator"),
        ("N/A", "missing values are not allowed"),
        ("null", "missing values are not allowed"),
        ("50%", "not 25%"),
        ("1_000", ""),
        ("0x10", ""),
        ("\u0661", ""),  # an Arabic-Indic digit is not a number here
    ],
)
def test_non_numeric_values_are_refused_with_hints(cell: str, hint: str) -> None:
    spec = TaskSpec(metric="mae")
    data = ("id,prediction\n" + f'a,"{cell}"\n').encode()
    error = rejected(data, spec, frozenset({"a"}))
    assert error.codes == {"not_a_number"}
    assert hint in str(error)


def test_probabilities_outside_zero_one_are_refused() -> None:
    error = rejected(csv_text("id,prediction", ["a,1.0001", "b,-0.1", "c,0", "d,1"]), BINARY, BINARY_IDS)
    assert error.codes == {"out_of_range"} and error.total == 2


def test_probability_rows_that_do_not_sum_to_one_are_refused() -> None:
    spec = TaskSpec(metric="log_loss", labels=("a", "b", "c"), prediction_columns=("pa", "pb", "pc"))
    error = rejected(csv_text("id,pa,pb,pc", ["1,0.2,0.2,0.2", "2,0.5,0.5,0.5"]), spec, frozenset({"1", "2"}))
    assert error.codes == {"not_normalised"} and error.total == 2
    assert "sum to 0.6" in str(error) and "within 0.001" in str(error)


def test_labels_outside_the_allowed_set_are_refused() -> None:
    spec = TaskSpec(metric="accuracy", labels=("cat", "dog"))
    error = rejected(csv_text("id,prediction", ["1,cat", "2,Dog", "3,"]), spec, frozenset({"1", "2", "3"}))
    assert error.codes == {"unknown_label", "empty_cell"}
    assert "label 'Dog' is not one of the allowed labels 'cat', 'dog'" in str(error)


def test_integer_labels_reject_decimals() -> None:
    spec = TaskSpec(metric="f1", labels=("0", "1"), positive_label="1", class_label_type="int")
    error = rejected(csv_text("id,prediction", ["a,1.0", "b,2"]), spec, frozenset({"a", "b"}))
    assert error.codes == {"not_an_integer", "unknown_label"}


def test_rows_with_the_wrong_number_of_fields() -> None:
    error = rejected(csv_text("id,prediction", ["a,0,9", "b,0.1", "c,0.8", "d,0.3"]), BINARY, BINARY_IDS)
    assert "wrong_field_count" in error.codes
    assert "3 fields, but the header has 2" in str(error) and "quote values that contain commas" in str(error)


@pytest.mark.parametrize(
    "payload",
    [
        '=HYPERLINK("http://evil","x")',
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        " =1+1",
    ],
)
def test_formula_injection_in_id_and_label_columns_is_refused_and_never_echoed(payload: str) -> None:
    spec = TaskSpec(metric="accuracy", labels=("cat", "dog"))
    quoted = '"' + payload.replace('"', '""') + '"'
    for rows in ([f"{quoted},cat", "b,dog"], [f"a,{quoted}", "b,dog"]):
        error = rejected(csv_text("id,prediction", rows), spec, frozenset({"a", "b"}))
        assert "formula_injection" in error.codes
        everything = str(error) + json.dumps(error.to_dict())
        assert "spreadsheets run as a formula" in everything
        assert payload.strip() not in everything
        assert "cmd" not in everything and "HYPERLINK" not in everything and "1+1" not in everything


def test_formula_strings_in_numeric_columns_are_not_echoed_either() -> None:
    error = rejected(csv_text("id,prediction", ["a,=1+cmd", "b,0.1", "c,0.8", "d,0.3"]), BINARY, BINARY_IDS)
    assert error.codes == {"not_a_number"}
    assert "cmd" not in str(error) and "starts like a spreadsheet formula (not shown)" in str(error)


def test_control_and_bidi_characters_are_refused_and_escaped() -> None:
    rows = ["a\u202egnp.exe,0.9", "b,0.1", "c,0.8", "d,0.3"]
    error = rejected(csv_text("id,prediction", rows), BINARY, BINARY_IDS)
    assert "control_character" in error.codes
    assert "\u202e" not in str(error) and "\\u202e" in str(error)


def test_long_values_are_truncated_in_messages() -> None:
    long = "x" * 5000
    error = rejected(csv_text("id,prediction", [f"{long},0.9"]), BINARY, BINARY_IDS)
    assert long not in str(error) and "(5,000 characters)" in str(error)


def test_quote_value_escapes_and_truncates() -> None:
    assert quote_value("it's") == "'it\\'s'"
    assert quote_value("a\nb\x07") == "'a\\nb\\u0007'"
    assert quote_value("y" * 50, limit=5) == "'yyyyy'… (50 characters)"
    assert quote_value("=2+5") == "a value that starts like a spreadsheet formula (not shown)"
    assert quote_value("-2.5") == "'-2.5'"


def test_row_problems_are_capped_but_all_counted() -> None:
    spec = TaskSpec(metric="mae")
    ids = frozenset(f"r{n}" for n in range(100))
    error = rejected(csv_text("id,prediction", [f"r{n}," for n in range(100)]), spec, ids)
    assert error.total == 100 and error.counts == {"empty_cell": 100}
    assert len(error.problems) == MAX_LISTED_PROBLEMS
    assert str(error).endswith(
        f"… and {100 - MAX_LISTED_PROBLEMS} more (empty_cell: {100 - MAX_LISTED_PROBLEMS})"
    )
    # id-level problems are always listed even when the row cap is reached
    error = rejected(csv_text("id,prediction", [f"r{n}," for n in range(99)]), spec, ids)
    assert "missing_id" in {p.code for p in error.problems}


def test_too_many_rows_stops_reading() -> None:
    spec = TaskSpec(metric="mae", max_rows=3)
    error = rejected(csv_text("id,prediction", ["a,1", "b,2", "c,3", "d,4", "e,x"]), spec, frozenset("abcd"))
    assert error.codes == {"too_many_rows"} and "more than 3 rows" in str(error)


def test_ranked_list_problems() -> None:
    spec = TaskSpec(metric="map_at_k", k=2, labels=("i1", "i2", "i3"))
    ids = frozenset({"q1", "q2", "q3", "q4"})
    error = rejected(csv_text("id,prediction", ["q1,i1 i2 i3", "q2,i1 i1", "q3,i9", "q4,i1 =i2"]), spec, ids)
    assert error.codes == {"too_many_items", "duplicate_item", "unknown_item", "formula_injection"}
    assert "this task scores the top 2" in str(error)


# --------------------------------------------------------------------------------------------------
# Size limits: refused before parsing, without reading a huge upload


class ExplodingStream:
    def read(self, size: int = -1, /) -> bytes:
        raise AssertionError("must not be read")


class EndlessStream:
    def __init__(self) -> None:
        self.served = 0

    def read(self, size: int = -1, /) -> bytes:
        assert size > 0, "an unbounded read() would load the whole upload"
        self.served += size
        return b"a" * size


def test_declared_oversize_is_refused_without_reading() -> None:
    one_gb = 1024**3
    with pytest.raises(InvalidPredictionsError) as info:
        parse_predictions(ExplodingStream(), BINARY, BINARY_IDS, declared_size=one_gb)
    assert info.value.codes == {"too_large"}
    assert "1.0 GB" in str(info.value) and "25.0 MB" in str(info.value)


def test_a_stream_is_never_read_past_the_limit() -> None:
    spec = TaskSpec(metric="mae", max_bytes=3 * 1024 * 1024 + 5)
    stream = EndlessStream()
    with pytest.raises(InvalidPredictionsError) as info:
        parse_predictions(stream, spec, {"a"})
    assert info.value.codes == {"too_large"}
    assert stream.served == spec.max_bytes + 1


def test_oversize_bytes_and_small_streams() -> None:
    spec = TaskSpec(metric="mae", max_bytes=20)
    assert rejected(csv_text("id,prediction", ["a,1", "b,2", "c,3"]), spec, frozenset("abc")).codes == {
        "too_large"
    }
    preds = parse_predictions(io.BytesIO(b"id,prediction\na,1\n"), spec, {"a"}, declared_size=18)
    assert preds.values == {"a": 1.0}


def test_text_streams_and_bad_arguments_are_programming_errors() -> None:
    with pytest.raises(GradingError, match="binary mode"):
        parse_predictions(io.StringIO("id,prediction\na,1\n"), TaskSpec(metric="mae"), {"a"})  # type: ignore[arg-type]
    with pytest.raises(GradingError, match="declared_size"):
        parse_predictions(b"", TaskSpec(metric="mae"), {"a"}, declared_size=-1)
    with pytest.raises(GradingError, match="expected_ids"):
        parse_predictions(b"id,prediction\n", TaskSpec(metric="mae"), [])


# --------------------------------------------------------------------------------------------------
# Hidden-labels file


def test_labels_file_errors_are_their_own_class() -> None:
    spec = TaskSpec(metric="accuracy", labels=("cat", "dog"))
    with pytest.raises(InvalidLabelsError) as info:
        parse_labels(csv_text("id,label", ["1,cat", "1,dog", "2,emu", "3,"]), spec)
    assert info.value.codes == {"duplicate_id", "unknown_label", "empty_cell"}
    assert str(info.value).startswith("The hidden-labels file was rejected")


def test_labels_file_header_and_rows() -> None:
    spec = TaskSpec(metric="rmse", label_column="y")
    with pytest.raises(InvalidLabelsError, match="missing columns 'y'"):
        parse_labels(csv_text("id,label", ["1,2"]), spec)
    with pytest.raises(InvalidLabelsError) as info:
        parse_labels(b"id,y\n", spec)
    assert info.value.codes == {"no_rows"}
    with pytest.raises(InvalidLabelsError) as info:
        parse_labels(csv_text("id,y", ["1,nan", "2,x"]), spec)
    assert info.value.codes == {"not_finite", "not_a_number"}


def test_roc_auc_labels_need_both_classes() -> None:
    with pytest.raises(InvalidLabelsError) as info:
        parse_labels(labels_file({"a": "no", "b": "no"}), BINARY)
    assert info.value.codes == {"missing_class"} and "'yes'" in str(info.value)


def test_binary_f1_labels_need_the_positive_class() -> None:
    spec = TaskSpec(metric="f1", labels=("no", "yes"), positive_label="yes")
    with pytest.raises(InvalidLabelsError, match="missing_class|needs rows labelled 'yes'"):
        parse_labels(labels_file({"a": "no"}), spec)


def test_macro_f1_labels_need_every_declared_class() -> None:
    spec = TaskSpec(metric="f1", labels=("ant", "bee", "wasp"))
    with pytest.raises(InvalidLabelsError, match="needs rows labelled 'wasp'"):
        parse_labels(labels_file({"1": "ant", "2": "bee"}), spec)


def test_ranking_labels_are_non_empty_sets() -> None:
    spec = TaskSpec(metric="map_at_k", k=3)
    labels = parse_labels(labels_file({"q1": "b a  c"}), spec)
    assert labels.values == {"q1": frozenset({"a", "b", "c"})}
    with pytest.raises(InvalidLabelsError) as info:
        parse_labels(csv_text("id,label", ["q1,", "q2,a a"]), spec)
    assert info.value.codes == {"empty_cell", "duplicate_item"}


def test_labels_size_limit() -> None:
    with pytest.raises(InvalidLabelsError) as info:
        parse_labels(ExplodingStream(), TaskSpec(metric="mae"), declared_size=10**12)
    assert info.value.codes == {"too_large"}


# --------------------------------------------------------------------------------------------------
# Task specification


def test_spec_defaults_per_metric() -> None:
    assert TaskSpec(metric="roc_auc", labels=("0", "1"), positive_label="1").prediction_type == "probability"
    assert TaskSpec(metric="accuracy", labels=("a", "b")).prediction_type == "label"
    assert TaskSpec(metric="rmse").prediction_type == "float"
    assert TaskSpec(metric="map_at_k", k=10).prediction_type == "ranked_ids"
    assert TaskSpec(metric="f1", labels=("a", "b", "c")).average == "macro"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"metric": "r2"}, "unknown metric"),
        ({"metric": "roc_auc", "labels": ["0", "1"]}, "declare positive_label"),
        ({"metric": "roc_auc", "labels": ["a", "b", "c"], "positive_label": "a"}, "exactly two labels"),
        ({"metric": "accuracy"}, "at least two"),
        ({"metric": "accuracy", "labels": ["a", "b"], "positive_label": "a"}, "only used by"),
        ({"metric": "accuracy", "labels": ["a", "b"], "k": 3}, "k applies to map_at_k only"),
        ({"metric": "map_at_k"}, "declare k"),
        ({"metric": "map_at_k", "k": 0}, "declare k"),
        ({"metric": "rmse", "labels": ["a"]}, "labels are for classification"),
        ({"metric": "rmse", "prediction_type": "probability"}, "prediction_type must be one of"),
        ({"metric": "f1", "labels": ["a", "b"], "average": "micro"}, "average must be one of"),
        (
            {"metric": "log_loss", "labels": ["a", "b", "c"], "prediction_columns": ["pa", "pb"]},
            "one probability",
        ),
        ({"metric": "accuracy", "labels": ["=1+1", "b"]}, "starts like a formula"),
        ({"metric": "accuracy", "labels": ["01", "1"], "class_label_type": "int"}, "integer class labels"),
        ({"metric": "accuracy", "labels": ["a", "a"]}, "unique"),
        ({"metric": "mae", "prediction_columns": ["id"]}, "different names"),
        ({"metric": "mae", "max_bytes": 0}, "max_bytes"),
        ({"metric": "mae", "postive_label": "x"}, "unknown grading settings: postive_label"),
        ({"metric": "mae", "labels": "ab"}, "labels must be a list"),
    ],
)
def test_invalid_specs_are_refused(config: dict[str, object], message: str) -> None:
    with pytest.raises(TaskSpecError, match=message):
        TaskSpec.from_config(config)


def test_spec_config_round_trip() -> None:
    spec = TaskSpec(
        metric="log_loss", labels=("a", "b", "c"), prediction_columns=("pa", "pb", "pc"), max_rows=50
    )
    config = spec.to_config()
    assert json.loads(json.dumps(config)) == config
    assert TaskSpec.from_config(config) == spec
    assert config["prediction_columns"] == ["pa", "pb", "pc"]
