"""Demo screening (`cadre demo`, called at the end of cadre.web.demo.load_demo).

Loads the starter bank, assembles and publishes an assessment for up to two requisitions with candidates
at Screening, and takes a few of those candidates through the real portal and grading code: one graded
and decided, one graded awaiting the recruiter's decision, one submitted with written answers awaiting a
rubric grade, and one invited with an open link. Candidates answer like people of different strength:
multiple-choice answers right with a per-candidate probability, predictions from a real model fitted on
the task's training data (stronger candidates use more of the features), a correct or a subtly wrong
coding solution. Deterministic for a given `rng` seed.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from typing import Any

import numpy as np
from sklearn.linear_model import LinearRegression, LogisticRegression

from cadre.core.models import User
from cadre.pipeline.models import Application
from cadre.pipeline.stages import Stage
from cadre.screening import portal, services
from cadre.screening.bank import load_bank
from cadre.screening.models import Assessment, AssessmentItem, Question, Sitting, Submission

MAX_REQUISITIONS = 2

PRECISION_GOOD = """\
def precision_at_k(recommended, relevant, k):
    if isinstance(k, bool) or not isinstance(k, int):
        raise TypeError("k must be an integer")
    if k <= 0:
        raise ValueError("k must be positive")
    wanted, seen, hits = set(relevant), set(), 0
    for item in list(recommended)[:k]:
        if item not in seen:
            seen.add(item)
            hits += item in wanted
    return hits / k
"""
PRECISION_WEAK = """\
def precision_at_k(recommended, relevant, k):
    top = recommended[:k]
    return sum(1 for item in top if item in relevant) / len(top)
"""
STATS_GOOD = """\
class RunningStats:
    def __init__(self):
        self._n, self._mean, self._m2 = 0, 0.0, 0.0

    def push(self, x):
        self._n += 1
        delta = x - self._mean
        self._mean += delta / self._n
        self._m2 += delta * (x - self._mean)

    @property
    def count(self):
        return self._n

    @property
    def mean(self):
        if not self._n:
            raise ValueError("no values")
        return self._mean

    def variance(self, ddof=1):
        if self._n <= ddof:
            raise ValueError("not enough values")
        return self._m2 / (self._n - ddof)

    def merge(self, other):
        out = RunningStats()
        n = self._n + other._n
        if n:
            delta = other._mean - self._mean
            out._n = n
            out._mean = self._mean + delta * other._n / n
            out._m2 = self._m2 + other._m2 + delta * delta * self._n * other._n / n
        return out
"""
STATS_WEAK = """\
class RunningStats:
    def __init__(self):
        self.n, self.s, self.s2 = 0, 0.0, 0.0

    def push(self, x):
        self.n += 1
        self.s += x
        self.s2 += x * x

    @property
    def count(self):
        return self.n

    @property
    def mean(self):
        return self.s / self.n

    def variance(self, ddof=1):
        return (self.s2 - self.s * self.s / self.n) / (self.n - ddof)

    def merge(self, other):
        self.n += other.n
        self.s += other.s
        self.s2 += other.s2
        return self
"""
CODE = {
    "code-precision-at-k": (PRECISION_GOOD, PRECISION_WEAK),
    "code-streaming-mean-variance": (STATS_GOOD, STATS_WEAK),
}
WRITTEN = (
    "I would start from the failure mode that costs most and work backwards: name the cases at each "
    "boundary, decide the behaviour on invalid input explicitly, and keep the offline and online paths "
    "on one shared definition so training and serving cannot drift apart. I would measure the result on "
    "a held-out, time-based split and agree the decision rule before looking at the numbers.",
    "Check the obvious things first, then add tests and monitoring so it does not happen again.",
)


def _rows(archive: bytes, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        return list(csv.DictReader(io.StringIO(z.read(name).decode())))


def _matrix(rows: list[dict[str, str]], columns: list[str]) -> np.ndarray[Any, Any]:
    """Numeric features, with text columns one-hot encoded in a fixed order."""
    out: list[list[float]] = []
    levels = {c: sorted({r[c] for r in rows}) for c in columns if not _numeric(rows[0][c])}
    for r in rows:
        values: list[float] = []
        for c in columns:
            if c in levels:
                values += [1.0 if r[c] == v else 0.0 for v in levels[c]]
            else:
                values.append(float(r[c]))
        out.append(values)
    return np.asarray(out)


def _numeric(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _predictions(question: Question, strong: bool) -> bytes:
    """A predictions file from a real model on the task's public training data."""
    archive = bytes(question.public_data or b"")
    train, test = _rows(archive, "train.csv"), _rows(archive, "test.csv")
    grading = question.spec["grading"]
    id_col, target = grading["id_column"], grading["label_column"]
    features = [c for c in test[0] if c != id_col]
    if not strong:
        features = features[:2]
    x_train, x_test = _matrix(train, features), _matrix(test, features)
    y = np.asarray([float(r[target]) for r in train])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([id_col, grading["prediction_columns"][0]])
    if grading["metric"] == "roc_auc":
        model = LogisticRegression(max_iter=2000).fit(x_train, y.astype(int))
        values = [f"{p:.6f}" for p in model.predict_proba(x_test)[:, 1]]
    else:
        if strong:  # latency scales multiplicatively: model it on the log scale
            x_train, x_test = np.log1p(np.abs(x_train)), np.log1p(np.abs(x_test))
            fit = LinearRegression().fit(x_train, np.log(y))
            values = [f"{v:.1f}" for v in np.exp(fit.predict(x_test))]
        else:
            values = [f"{v:.1f}" for v in LinearRegression().fit(x_train, y).predict(x_test)]
    for row, value in zip(test, values, strict=True):
        writer.writerow([row[id_col], value])
    return out.getvalue().encode()


def _take(sitting: Sitting, rng: random.Random, skill: float, *, submit: bool) -> None:
    """Answer every item as a candidate of the given skill (0..1) would, through the portal."""
    items = AssessmentItem.objects.filter(assessment=sitting.assessment).select_related("question")
    portal.start(sitting)
    typed: dict[int, str] = {}
    for item in items.order_by("position"):
        q = item.question
        if q.kind == Question.Kind.MULTIPLE_CHOICE:
            ids = [c["id"] for c in q.spec["choices"]]
            right = q.hidden_key["correct"][0]
            typed[item.pk] = right if rng.random() < skill else rng.choice([i for i in ids if i != right])
        elif q.kind in (Question.Kind.SHORT_ANSWER, Question.Kind.TAKE_HOME):
            typed[item.pk] = WRITTEN[0] if skill >= 0.6 else WRITTEN[1]
        elif q.kind == Question.Kind.ML_TASK:
            data = _predictions(q, strong=skill >= 0.6)
            portal.upload(sitting, item.pk, name="predictions.csv", data=data)
        elif q.kind == Question.Kind.CODING_TASK and q.slug in CODE:
            good, weak = CODE[q.slug]
            portal.upload(
                sitting, item.pk, name="solution.py", data=(good if skill >= 0.6 else weak).encode()
            )
    portal.save_answers(sitting, typed)
    if submit:
        portal.submit(sitting)


def _grade_written(sitting: Sitting, grader: User, rng: random.Random, skill: float) -> None:
    waiting = Submission.objects.filter(
        sitting=sitting, status=Submission.Status.NEEDS_REVIEW
    ).select_related("item__question", "sitting")
    for submission in waiting:
        level = 4 if skill >= 0.8 else 3 if skill >= 0.6 else rng.choice([1, 2])
        note = "Specific, covers the failure modes." if level >= 3 else "Generic; misses the main risks."
        services.grade_rubric(grader, submission, level=level, note=note)


def seed_screening(rng: random.Random, *, recruiters: list[User]) -> dict[str, int]:
    """See the module docstring. Returns counts of what was written."""
    recruiter = recruiters[0]
    load_bank(actor=recruiter)
    at_screening = Application.objects.filter(stage=Stage.SCREENING).order_by("requisition_id", "pk")
    requisition_ids = list(dict.fromkeys(at_screening.values_list("requisition_id", flat=True)))[
        :MAX_REQUISITIONS
    ]
    plans = [(0.9, "decided"), (0.7, "graded"), (0.45, "review"), (0.0, "invited")]
    sittings = 0
    for requisition_id in requisition_ids:
        applications = list(at_screening.filter(requisition_id=requisition_id)[: len(plans)])
        requisition = applications[0].requisition
        assessment = services.assemble_assessment(recruiter, requisition)
        services.update_assessment(recruiter, assessment, time_limit_minutes=None)
        services.publish_assessment(recruiter, assessment)
        for application, (skill, state) in zip(applications, plans, strict=False):
            sitting, _path = services.invite(recruiter, application, assessment, valid_days=14)
            sittings += 1
            if state == "invited":
                continue
            _take(sitting, rng, skill, submit=True)
            sitting.refresh_from_db()
            if state in ("decided", "graded"):
                _grade_written(sitting, recruiter, rng, skill)
                sitting.refresh_from_db()
            if state == "decided" and sitting.status == Sitting.Status.GRADED:
                passed = sitting.result.get("outcome") == "pass"
                services.decide_sitting(
                    recruiter,
                    sitting,
                    to_stage=Stage.SUBMITTED if passed else Stage.REJECTED,
                    reason="" if passed else "Below the pass mark on the core competencies.",
                )
    return {
        "questions": Question.objects.count(),
        "assessments": Assessment.objects.count(),
        "sittings": sittings,
    }
