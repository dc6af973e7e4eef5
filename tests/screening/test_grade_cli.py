"""`cadre grade TASK_ID PREDICTIONS.csv [--json]` and `cadre screening load-bank`: the metric matches
scikit-learn exactly, bad files exit 1 with every problem listed, and no hidden label is ever printed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from sklearn.metrics import roc_auc_score, root_mean_squared_error
from tests.cli.helpers import run_cadre
from tests.screening.screening_helpers import CHURN, LATENCY, hidden_rows, latest, leak_needles, predictions

from cadre.screening.bank import load_bank

pytestmark = pytest.mark.django_db


def _grade(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("grade", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _fails(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("grade", *args, stdout=out, stderr=err)
    assert exc.value.returncode == 1
    return out.getvalue(), err.getvalue() + str(exc.value)


def _assert_no_labels(text: str) -> None:
    for needle in leak_needles():
        assert needle not in text
    for slug in (CHURN, LATENCY):
        rows = hidden_rows(latest(slug))[1:]
        assert not any(f"{i},{label}" in text for i, label in rows[:50])


def test_grade_matches_scikit_learn_exactly(tmp_path: Path):
    load_bank()
    churn = latest(CHURN)
    labels = dict(hidden_rows(churn)[1:])
    rng = np.random.default_rng(7)
    scores = {i: f"{rng.random():.6f}" for i in labels}
    file = tmp_path / "p.csv"
    file.write_bytes(predictions(churn, scores))
    out, _ = _grade(CHURN, str(file), "--json")
    body = json.loads(out)
    ids = sorted(labels)
    expected = roc_auc_score([int(labels[i]) for i in ids], [float(scores[i]) for i in ids])
    assert body["score"] == expected  # exact, not approximately
    assert (body["metric"], body["n"], body["valid"], body["task_id"]) == ("roc_auc", 500, True, churn.pk)
    assert body["version"] == "1.0.0" and 0.0 <= body["points"] <= 0.1  # random scores: near the floor
    _assert_no_labels(out)
    text, _ = _grade(str(churn.pk), str(file))  # by id, human-readable
    assert f"ROC AUC = {expected:.6f}" in text and "on 500 rows" in text
    _assert_no_labels(text)


def test_grade_regression_task(tmp_path: Path):
    load_bank()
    latency = latest(LATENCY)
    truth = dict(hidden_rows(latency)[1:])
    guesses = {i: f"{float(v) * 1.5:.3f}" for i, v in truth.items()}
    file = tmp_path / "latency.csv"
    file.write_bytes(predictions(latency, guesses))
    body = json.loads(_grade(LATENCY, str(file), "--json")[0])
    ids = sorted(truth)
    expected = root_mean_squared_error([float(truth[i]) for i in ids], [float(guesses[i]) for i in ids])
    assert body["score"] == expected and body["direction"] == "lower"
    assert 0 < body["points"] < 1
    assert body["points"] == pytest.approx((body["floor"] - expected) / (body["floor"] - body["target"]))


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda rows: rows[:1] + rows[1:] + [rows[1]], "duplicate_id"),  # an id twice
        (lambda rows: [rows[0] + ["extra"]] + [r + ["1"] for r in rows[1:]], "extra_column"),
        (lambda rows: rows[:1] + [["C99999", "0.5"]] + rows[2:], "unknown_id"),  # wrong id (and one missing)
        (lambda rows: rows[:1] + [[rows[1][0], "=cmd|' /C calc'!A0"]] + rows[2:], "not_a_number"),
        (lambda rows: rows[:1] + [["=HYPERLINK(1)", "0.5"]] + rows[2:], "formula_injection"),
        (lambda rows: rows[:1] + [[rows[1][0], "NaN"]] + rows[2:], "not_finite"),
        (lambda rows: rows[:-10], "missing_id"),  # wrong row count
    ],
)
def test_bad_files_exit_1_with_every_problem(tmp_path: Path, mutate, code):
    load_bank()
    churn = latest(CHURN)
    rows = list(csv.reader(io.StringIO(predictions(churn).decode())))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(mutate(rows))
    file = tmp_path / "bad.csv"
    file.write_text(out.getvalue())
    printed, error = _fails(CHURN, str(file), "--json")
    body = json.loads(printed)
    assert body["valid"] is False and code in body["errors"]["counts"]
    assert "HYPERLINK" not in printed and "calc" not in printed  # formula text is never echoed
    _assert_no_labels(printed + error)
    _printed, error = _fails(CHURN, str(file))
    assert "rejected" in error


def test_bad_arguments(tmp_path: Path):
    load_bank()
    with pytest.raises(CommandError, match="no ML task 'stats-p-value-meaning'"):
        _grade("stats-p-value-meaning", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="no such file"):
        _grade(CHURN, str(tmp_path / "missing.csv"))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "empty" in _fails(CHURN, str(empty))[1]


def test_the_cadre_commands_in_a_subprocess(tmp_path: Path):
    """The console script end to end, on a fresh SQLite home (nothing here needs the test database)."""
    home = tmp_path / "home"
    assert run_cadre(home, "migrate", "--noinput", "-v", "0").returncode == 0
    loaded = run_cadre(home, "screening", "load-bank", "--json")
    assert loaded.returncode == 0, loaded.stderr
    counts = json.loads(loaded.stdout)
    assert counts["created"] == counts["total"] > 40
    again = run_cadre(home, "screening", "load-bank")
    assert again.returncode == 0 and "0 created" in again.stdout
    load_bank()  # the same generators: the test database's labels equal the subprocess home's
    good = tmp_path / "good.csv"
    good.write_bytes(predictions(latest(CHURN)))
    graded = run_cadre(home, "grade", CHURN, str(good), "--json")
    assert graded.returncode == 0, graded.stderr
    assert json.loads(graded.stdout)["score"] == 1.0
    bad = tmp_path / "bad.csv"
    bad.write_text("customer_id,churn_probability\nC1,0.5\n")
    refused = run_cadre(home, "grade", CHURN, str(bad))
    assert refused.returncode == 1 and "not in this task's test set" in refused.stderr
    _assert_no_labels(refused.stdout + refused.stderr + graded.stdout)
