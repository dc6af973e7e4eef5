"""The starter bank: its content, the generated tasks, `load_bank`, the assembler's rules and the scoring
rules (the pure parts run without a database)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score, root_mean_squared_error

from cadre.core.models import AuditLog
from cadre.screening import assembly, bank_tasks, grading, scoring
from cadre.screening.bank import BANK_PATH, TASKS, load_bank
from cadre.screening.models import Competency, Question

# --------------------------------------------------------------------------------------- bank content


def _entries() -> list[dict]:
    return json.loads(BANK_PATH.read_text(encoding="utf-8"))["questions"]


def test_every_competency_has_three_choice_questions_and_a_rubric_question() -> None:
    entries = _entries()
    for competency in Competency.values:
        mine = [e for e in entries if e["competency"] == competency]
        kinds = Counter(e["kind"] for e in mine)
        assert kinds["multiple_choice"] >= 3, competency
        assert kinds["short_answer"] >= 1, competency
        # A spread of difficulties, so the assembler can match seniority.
        assert {e["difficulty"] for e in mine if e["kind"] == "multiple_choice"} >= {1, 2, 3}, competency
    assert sum(1 for e in entries if e["kind"] == "take_home") >= 1


def test_bank_entries_are_well_formed() -> None:
    entries = _entries()
    slugs = [e["slug"] for e in entries]
    assert len(slugs) == len(set(slugs))
    for entry in entries:
        assert entry["competency"] in Competency.values
        assert 1 <= entry["difficulty"] <= 4
        assert entry["title"].strip() and entry["prompt"].strip()
        if entry["kind"] == "multiple_choice":
            ids = [c["id"] for c in entry["choices"]]
            assert len(ids) == 4 and len(set(ids)) == 4
            assert entry["answer"] in ids
            assert len({c["text"] for c in entry["choices"]}) == 4
        else:
            assert sorted(entry["rubric"]) == ["1", "2", "3", "4"]
            assert len(set(entry["rubric"].values())) == 4  # each level anchored differently


def test_answer_keys_are_not_all_the_same_letter() -> None:
    """A bank whose key is always "b" can be gamed without reading the questions."""
    letters = Counter(e["answer"] for e in _entries() if e["kind"] == "multiple_choice")
    assert len(letters) >= 2
    assert max(letters.values()) < sum(letters.values())


# ------------------------------------------------------------------------------------- generated tasks


def _zip_rows(archive: bytes, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        return list(csv.DictReader(io.StringIO(z.read(name).decode())))


@pytest.mark.parametrize("generator", [bank_tasks.churn_task, bank_tasks.latency_task])
def test_ml_tasks_are_deterministic_and_keep_labels_out_of_the_public_files(generator) -> None:
    first, second = generator(), generator()
    assert first.public_data == second.public_data
    assert first.hidden_data == second.hidden_data
    assert first.spec == second.spec
    spec = grading.TaskSpec.from_config(first.spec["grading"])
    labels = grading.parse_labels(first.hidden_data, spec)
    train = _zip_rows(first.public_data, "train.csv")
    test = _zip_rows(first.public_data, "test.csv")
    assert len(train) == first.spec["rows"]["train"] and len(test) == first.spec["rows"]["test"]
    assert spec.label_column in train[0]
    assert spec.label_column not in test[0]  # the public test file has no target
    test_ids = {row[spec.id_column] for row in test}
    assert test_ids == labels.ids
    assert test_ids.isdisjoint(row[spec.id_column] for row in train)
    with zipfile.ZipFile(io.BytesIO(first.public_data)) as z:
        assert first.hidden_data.decode() not in "".join(z.read(n).decode() for n in z.namelist())


def test_churn_anchors_match_scikit_learn() -> None:
    task = bank_tasks.churn_task()
    spec = grading.TaskSpec.from_config(task.spec["grading"])
    labels = grading.parse_labels(task.hidden_data, spec)
    floor, target = task.spec["scoring"]["floor"], task.spec["scoring"]["target"]
    assert floor == 0.5 and 0.75 < target < 0.9  # the true probabilities rank test rows this well
    ids = sorted(labels.values)
    y = np.array([int(labels.values[i]) for i in ids])
    # Constant predictions score exactly the floor; the labels themselves score 1 (points clipped to 1).
    constant = grading.grade(
        grading.parse_predictions(_csv(spec, dict.fromkeys(ids, "0.5")), spec, ids), labels, spec
    )
    assert constant.score == roc_auc_score(y, np.full(len(ids), 0.5)) == 0.5
    assert scoring.task_points(constant.score, floor, target) == 0.0
    perfect = {i: str(labels.values[i]) for i in ids}
    best = grading.grade(grading.parse_predictions(_csv(spec, perfect), spec, ids), labels, spec)
    assert best.score == 1.0 and scoring.task_points(best.score, floor, target) == 1.0


def test_latency_anchors_match_scikit_learn() -> None:
    task = bank_tasks.latency_task()
    spec = grading.TaskSpec.from_config(task.spec["grading"])
    labels = grading.parse_labels(task.hidden_data, spec)
    floor, target = task.spec["scoring"]["floor"], task.spec["scoring"]["target"]
    assert floor > target > 0  # RMSE: lower is better
    train = _zip_rows(task.public_data, "train.csv")
    mean = float(np.mean([float(r["p95_latency_ms"]) for r in train]))
    ids = sorted(labels.values)
    truth = np.array([float(labels.values[i]) for i in ids])
    result = grading.grade(
        grading.parse_predictions(_csv(spec, dict.fromkeys(ids, repr(mean))), spec, ids), labels, spec
    )
    assert result.score == pytest.approx(root_mean_squared_error(truth, np.full(len(ids), mean)), rel=1e-12)
    assert result.score == pytest.approx(floor, abs=0.005)  # the floor is the training-mean baseline
    assert scoring.task_points(result.score, floor, target) == pytest.approx(0.0, abs=1e-4)


def _csv(spec: grading.TaskSpec, values: dict[str, str]) -> bytes:
    lines = [f"{spec.id_column},{spec.prediction_columns[0]}"] + [f"{k},{v}" for k, v in values.items()]
    return ("\n".join(lines) + "\n").encode()


# ------------------------------------------------------------------------------------------- load_bank


@pytest.mark.django_db
def test_load_bank_is_idempotent_and_audited_without_hidden_material(recruiter) -> None:
    first = load_bank(actor=recruiter)
    total = len(_entries()) + len(TASKS)
    assert first == {"created": total, "existing": 0, "total": total}
    assert Question.objects.count() == total
    assert load_bank() == {"created": 0, "existing": total, "total": total}
    assert Question.objects.count() == total
    churn = Question.objects.get(slug=bank_tasks.CHURN_SLUG)
    assert churn.kind == Question.Kind.ML_TASK and churn.public_filename == "churn_task.zip"
    assert churn.spec["public_sha256"] == bank_tasks.sha256(bytes(churn.public_data))
    assert bytes(churn.hidden_data) == bank_tasks.churn_task().hidden_data
    coding = Question.objects.get(slug=bank_tasks.PRECISION_SLUG)
    assert coding.kind == Question.Kind.CODING_TASK
    assert bytes(coding.hidden_data).decode() == bank_tasks.PRECISION_TESTS
    mc = Question.objects.filter(kind=Question.Kind.MULTIPLE_CHOICE).first()
    assert mc is not None and mc.hidden_key["correct"][0] in {c["id"] for c in mc.spec["choices"]}
    # The audit log names hidden material only by digest.
    entries = AuditLog.objects.filter(object_type="screening.question")
    assert entries.count() == total
    text = json.dumps(list(entries.values_list("after", flat=True)))
    assert '"correct"' not in text and 'hidden_key"' not in text
    assert bank_tasks.PRECISION_TESTS.splitlines()[5] not in text
    assert all(e.actor_id == recruiter.pk for e in entries)


@pytest.mark.django_db
def test_an_edited_question_is_not_overwritten_by_a_reload(recruiter) -> None:
    from cadre.screening import services

    load_bank()
    question = Question.objects.get(slug="stats-p-value-meaning")
    services.edit_question(recruiter, question, changes={"title": "What a p-value means"})
    assert load_bank()["created"] == 0
    assert list(
        Question.objects.filter(slug="stats-p-value-meaning")
        .order_by("version")
        .values_list("title", flat=True)
    ) == ["What a p-value says", "What a p-value means"]


# -------------------------------------------------------------------------------------------- assembler


def _c(pk: int, slug: str, kind: str, competency: str, difficulty: int, families=()) -> assembly.Candidate:
    return assembly.Candidate(pk, slug, kind, competency, difficulty, tuple(families))


POOL = [
    _c(1, "c-mc-1", "multiple_choice", "coding", 1),
    _c(2, "c-mc-2", "multiple_choice", "coding", 2),
    _c(3, "c-mc-3", "multiple_choice", "coding", 3),
    _c(4, "c-mc-4", "multiple_choice", "coding", 4),
    _c(5, "c-sa-2", "short_answer", "coding", 2),
    _c(6, "c-code-3", "coding_task", "coding", 3),
    _c(7, "e-mc-1", "multiple_choice", "model_evaluation", 1),
    _c(8, "e-mc-3", "multiple_choice", "model_evaluation", 3),
    _c(9, "e-ml-2", "ml_task", "model_evaluation", 2, ["data-scientist"]),
    _c(10, "e-th-3", "take_home", "model_evaluation", 3),
    _c(11, "r-sa-3", "short_answer", "responsible_ai", 3),
    _c(12, "r-mc-2", "multiple_choice", "responsible_ai", 2),
    _c(13, "c-code-2", "coding_task", "coding", 2),
]


def test_assembler_picks_by_weight_and_closest_difficulty() -> None:
    comps = [("model_evaluation", 0.3), ("coding", 0.5), ("responsible_ai", 0.2)]
    picks = assembly.select_items(POOL, comps, difficulty=3, seniority="senior", role_family="data-scientist")
    assert [p.slug for p in picks] == [
        # coding first (heaviest): MC closest to 3 (3, then 2 before 4), the short answer, the coding task
        # of difficulty 3 (one coding task per assessment)
        "c-mc-3",
        "c-mc-2",
        "c-sa-2",
        "c-code-3",
        # model evaluation: MC 3 then 1, its ML task (suits data scientists), the take-home (senior)
        "e-mc-3",
        "e-mc-1",
        "e-ml-2",
        "e-th-3",
        "r-mc-2",
        "r-sa-3",
    ]
    assert [p.weight for p in picks[:4]] == [1, 1, 2, 3]
    assert picks == assembly.select_items(
        list(reversed(POOL)), comps, difficulty=3, seniority="senior", role_family="data-scientist"
    )


def test_assembler_respects_role_family_and_seniority() -> None:
    comps = [("model_evaluation", 1.0)]
    junior = assembly.select_items(POOL, comps, difficulty=1, seniority="junior", role_family="ml-engineer")
    slugs = [p.slug for p in junior]
    assert "e-ml-2" not in slugs  # the ML task is tagged for data scientists only
    assert "e-th-3" not in slugs  # no take-home below senior
    assert slugs == ["e-mc-1", "e-mc-3"]


def test_assembler_caps_short_answers() -> None:
    pool = [_c(i, f"sa-{c}", "short_answer", c, 2) for i, c in enumerate(Competency.values)]
    comps = [(c, 1.0 / (i + 1)) for i, c in enumerate(Competency.values)]
    picks = assembly.select_items(pool, comps, difficulty=2, seniority="mid")
    assert len(picks) == assembly.MAX_SHORT_ANSWERS
    assert [p.competency for p in picks] == list(Competency.values)[:3]


# ---------------------------------------------------------------------------------------------- scoring


def test_item_points() -> None:
    assert scoring.choice_points(["b"], ["b"]) == 1.0
    assert scoring.choice_points(["a"], ["b"]) == 0.0
    assert scoring.choice_points([], ["b"]) == 0.0
    assert [scoring.level_points(level) for level in (1, 2, 3, 4)] == [0.0, 1 / 3, 2 / 3, 1.0]
    for bad in (0, 5, True, "3"):
        with pytest.raises(ValueError):
            scoring.level_points(bad)  # type: ignore[arg-type]
    assert scoring.task_points(0.65, 0.5, 0.8) == pytest.approx(0.5)  # AUC: higher is better
    assert scoring.task_points(0.95, 0.5, 0.8) == 1.0
    assert scoring.task_points(0.40, 0.5, 0.8) == 0.0
    assert scoring.task_points(300.0, 600.0, 100.0) == pytest.approx(0.6)  # RMSE: lower is better
    assert scoring.task_points(700.0, 600.0, 100.0) == 0.0
    with pytest.raises(ValueError):
        scoring.task_points(float("nan"), 0.5, 0.8)
    with pytest.raises(ValueError):
        scoring.task_points(0.7, 0.5, 0.5)
    assert scoring.passed_points(9, 12) == 0.75 and scoring.passed_points(0, 0) == 0.0


def test_sitting_score_is_the_weighted_mean_of_competency_means() -> None:
    items = [
        scoring.ItemPoints("coding", 1, 1.0),
        scoring.ItemPoints("coding", 1, 0.0),
        scoring.ItemPoints("coding", 3, 0.5),  # coding: (1 + 0 + 1.5) / 5 = 0.5
        scoring.ItemPoints("mlops", 2, 0.75),  # mlops: 0.75
    ]
    result = scoring.sitting_score(items, {"coding": 0.6, "mlops": 0.2})
    assert result.complete
    assert result.by_competency["coding"]["score"] == pytest.approx(0.5)
    assert result.score == pytest.approx((0.6 * 0.5 + 0.2 * 0.75) / 0.8)
    pending = scoring.sitting_score([*items, scoring.ItemPoints("mlops", 2, None)], {"coding": 0.6})
    assert pending.score is None and not pending.complete
    assert pending.by_competency["mlops"]["pending"] == 1
    assert pending.by_competency["mlops"]["weight"] == 1.0  # no framework weight: 1


def test_outcome_is_inclusive_at_the_threshold() -> None:
    assert scoring.outcome(0.6, 0.6) == "pass"
    assert scoring.outcome(0.599999, 0.6) == "fail"
    assert scoring.outcome(None, 0.6) is None
    assert scoring.quantize(2 / 3) == scoring.quantize(0.6666666666)
    assert str(scoring.quantize(2 / 3)) == "0.666667"
