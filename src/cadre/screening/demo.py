"""Demo screening (`cadre demo`, called at the end of cadre.web.demo.load_demo).

Loads the starter bank, assembles and publishes an assessment for up to two requisitions with candidates
at Screening, and takes a few of those candidates through the real portal and grading code: one graded
and decided, one graded awaiting the recruiter's decision, one submitted with written answers awaiting a
rubric grade, and one invited with an open link. Candidates answer like people of different strength:
multiple-choice answers right with a per-candidate probability, predictions from a real model fitted on
the task's training data (stronger candidates use more of the features), a correct or a subtly wrong
coding solution. Deterministic for a given `rng` seed.

Then structured interviews (`seed_interviews`): a technical screen for a few dozen applications at
client interview, offer or placed (and a system-design round for most), each with a panel of three
interviewers from the recruiting team (the demo recruiters and a staff ML engineer who interviews for
them) and, on their own clients, the client's hiring manager. Every interview, scorecard and decision
goes through `interview_services`, so kits, audit entries and the scorecard DecisionRecords are real.
Candidates have a latent level per competency; each interviewer rates it with noise that grows with how
hard the competency is to observe (coding least, responsible AI most), and two interviewers carry a
systematic bias: the second recruiter rates high and the staff engineer low (about three quarters of a
level where judgement is needed, half that on coding). The calibration page (/screening/calibration/)
therefore shows alpha varying by competency and flags those two raters. Dates follow each application's
own history; a few panels still in progress have one scorecard in draft. Running it again adds nothing.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.utils import timezone
from sklearn.linear_model import LinearRegression, LogisticRegression

from cadre.core.exceptions import ValidationFailed
from cadre.core.models import DecisionRecord, User
from cadre.core.roles import Role
from cadre.pipeline.models import Application, StageEvent
from cadre.pipeline.stages import Stage
from cadre.screening import interview_services, portal, services
from cadre.screening.bank import load_bank
from cadre.screening.models import (
    Assessment,
    AssessmentItem,
    Interview,
    Question,
    Scorecard,
    Sitting,
    Submission,
)

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
    if Sitting.objects.exists():  # seeded before: only the interviews below may still be missing
        requisition_ids = []
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
        **seed_interviews(random.Random(rng.getrandbits(64)), recruiters=recruiters),
    }


# ------------------------------------------------------------------------------------------ interviews

MAX_INTERVIEWED = 30
INTERVIEWED_STAGES = (Stage.CLIENT_INTERVIEW, Stage.OFFER, Stage.PLACED)
# Per competency: how far (standard deviation, in rubric levels) one interviewer's reading of a candidate
# strays from another's, and how much of an interviewer's leniency or severity shows in it. Coding is
# seen directly; system design and responsible AI are judged from a conversation.
RATING_NOISE = {
    "coding": (0.15, 0.5),
    "data_engineering": (0.25, 0.8),
    "statistical_reasoning": (0.25, 0.8),
    "model_evaluation": (0.3, 1.0),
    "mlops": (0.4, 1.0),
    "ml_system_design": (0.45, 1.2),
    "responsible_ai": (0.65, 1.2),
}
LENIENT, SEVERE, CLIENT_SIDE = 0.75, -0.7, 0.1  # levels added to what the interviewer saw
# A candidate's latent level (1-4 scale) and the spread between one candidate's competencies.
THETA = {True: (3.0, 0.7), False: (2.4, 0.85)}  # (mean, sd) for candidates who reached an offer or not
PROFILE_SD = 0.4
# Named interviewers the demo adds when the recruiting team is too small for a panel of three (no login).
STAFF_INTERVIEWERS = (("dana.okafor", "Dana", "Okafor"), ("lee.fischer", "Lee", "Fischer"))
SUMMARIES: dict[str, str] = {
    Scorecard.Recommendation.STRONG_YES: "Clear hire for this role; I would push to move quickly.",
    Scorecard.Recommendation.YES: "Hire: solid where the role needs it, gaps are coachable.",
    Scorecard.Recommendation.NO: "Not yet: the gaps are in what the role needs from day one.",
    Scorecard.Recommendation.STRONG_NO: "No hire: below the bar on the core of the role.",
}


@dataclass(frozen=True)
class Rater:
    user: User
    bias: float  # levels added to what they saw: positive lenient, negative severe


def _staff_interviewer(index: int) -> User:
    """A named interviewer on the recruiting team, without a usable password (created once)."""
    username, first, last = STAFF_INTERVIEWERS[index]
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": Role.RECRUITER,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@cadre.example",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _panel_pool(recruiters: list[User]) -> tuple[list[Rater], dict[int, Rater]]:
    """Three recruiting-team interviewers (neutral, lenient, severe) and each client's hiring manager."""
    lead = recruiters[0]
    lenient = recruiters[1] if len(recruiters) > 1 else _staff_interviewer(1)
    team = [Rater(lead, 0.0), Rater(lenient, LENIENT), Rater(_staff_interviewer(0), SEVERE)]
    managers: dict[int, Rater] = {}
    for manager in User.objects.filter(role=Role.HIRING_MANAGER, is_active=True).order_by("pk"):
        for client_id in manager.assigned_clients.order_by("pk").values_list("pk", flat=True):
            managers.setdefault(client_id, Rater(manager, CLIENT_SIDE))
    return team, managers


def _interview_window(application: Application) -> tuple[datetime, datetime]:
    """From the move to client interview to the next move (or now): when the interviews took place."""
    events = list(
        StageEvent.objects.filter(application=application).order_by("at", "id").values_list("to_stage", "at")
    )
    start = next((at for stage, at in events if stage == Stage.CLIENT_INTERVIEW), None)
    if start is None:
        start = application.stage_changed_at - timedelta(days=7)
    end = next((at for stage, at in events if at > start), None) or timezone.now()
    if end <= start:
        end = start + timedelta(days=2)
    return start, end


def _observe(rng: random.Random, true_level: float, bias: float, competency: str) -> int:
    noise, bias_share = RATING_NOISE.get(competency, (0.4, 1.0))
    seen = true_level + bias * bias_share + rng.gauss(0.0, noise)
    return max(1, min(4, round(seen)))


def _evidence(rng: random.Random, competency: dict[str, Any], level: int) -> str:
    """What the interviewer wrote down: two observations from the kit's indicators for that level."""
    anchors = {int(lv["level"]): lv for lv in competency.get("levels", [])}
    indicators = list(anchors.get(level, {}).get("indicators", []))
    if len(indicators) >= 2:
        picked = rng.sample(indicators, 2)
        return f"{picked[0]}. {picked[1]}."
    summary = str(anchors.get(level, {}).get("summary", "")).rstrip(".")
    return f"{summary or competency.get('name', 'This competency')}: seen in how the questions were answered."


def _recommendation(levels: list[int]) -> str:
    """The overall call that follows from the interviewer's own levels."""
    mean = sum(levels) / len(levels)
    if mean >= 3.5:
        return Scorecard.Recommendation.STRONG_YES
    if mean >= 2.6:
        return Scorecard.Recommendation.YES
    if mean >= 1.75:
        return Scorecard.Recommendation.NO
    return Scorecard.Recommendation.STRONG_NO


def _rate(
    rng: random.Random,
    interview: Interview,
    rater: Rater,
    truth: dict[str, float],
    at: datetime,
    *,
    submit: bool,
) -> Scorecard:
    card = interview_services.start_scorecard(rater.user, interview)
    competencies = interview_services.kit_competencies(interview)
    levels: dict[str, int] = {}
    ratings: list[dict[str, Any]] = []
    for comp in competencies:
        slug = str(comp["slug"])
        levels[slug] = _observe(rng, truth[slug], rater.bias, slug)
        ratings.append(
            {"competency": slug, "level": levels[slug], "evidence": _evidence(rng, comp, levels[slug])}
        )
    names = {str(c["slug"]): str(c["name"]).lower() for c in competencies}
    best, worst = max(levels, key=lambda k: levels[k]), min(levels, key=lambda k: levels[k])
    recommendation = _recommendation(list(levels.values()))
    summary = f"Strongest on {names[best]}, weakest on {names[worst]}. {SUMMARIES[recommendation]}"
    if submit:
        card = interview_services.submit_scorecard(
            rater.user, card, ratings=ratings, recommendation=recommendation, summary=summary
        )
        Scorecard.objects.filter(pk=card.pk).update(created_at=at, updated_at=at, submitted_at=at)
    else:  # started during the interview, not finished yet
        interview_services.save_scorecard(rater.user, card, ratings=ratings[:1])
        Scorecard.objects.filter(pk=card.pk).update(created_at=at, updated_at=at)
    return card


def _interviewed_applications() -> list[Application]:
    """Up to MAX_INTERVIEWED applications at client interview, offer or placed, taken in turn from each
    requisition so that every requisition with such candidates gets some."""
    by_requisition: dict[int, list[Application]] = {}
    rows = (
        Application.objects.filter(stage__in=INTERVIEWED_STAGES)
        .select_related("requisition__client")
        .order_by("requisition_id", "pk")
    )
    for application in rows:
        by_requisition.setdefault(application.requisition_id, []).append(application)
    queues = list(by_requisition.values())
    chosen: list[Application] = []
    while len(chosen) < MAX_INTERVIEWED and any(queues):
        for queue in queues:
            if queue and len(chosen) < MAX_INTERVIEWED:
                chosen.append(queue.pop(0))
    return chosen


def seed_interviews(rng: random.Random, *, recruiters: list[User]) -> dict[str, int]:
    """Structured interviews with submitted scorecards (see the module docstring); returns counts."""
    lead = recruiters[0]
    team, managers = _panel_pool(recruiters)
    chosen = _interviewed_applications()
    interviewed = set(
        Interview.objects.filter(application__in=chosen).values_list("application_id", flat=True)
    )
    interviews = scorecards = decided = 0
    now = timezone.now()
    for application in sorted(chosen, key=lambda a: a.pk):
        # One generator per application, drawn whether or not it is skipped below: what one candidate
        # gets never depends on which others were interviewed before.
        rng_app = random.Random(rng.getrandbits(64))
        if application.pk in interviewed:
            continue
        strong = application.stage in (Stage.OFFER, Stage.PLACED)
        theta = rng_app.gauss(*THETA[strong])
        truth = {slug: theta + rng_app.gauss(0.0, PROFILE_SD) for slug in RATING_NOISE}
        stages: list[str] = [Interview.Stage.TECHNICAL_SCREEN]
        if strong or rng_app.random() < 0.5:
            stages.append(Interview.Stage.SYSTEM_DESIGN)
        manager = managers.get(application.requisition.client_id)
        panel = [manager, *rng_app.sample(team, 2)] if manager else list(team)
        pending = not strong and len(stages) == 2 and rng_app.random() < 0.25
        start, end = _interview_window(application)
        complete, made, last_at = True, 0, start
        for i, kind in enumerate(stages):
            when = min(start + (end - start) * (0.3 + 0.35 * i), now)
            try:
                interview = interview_services.create_interview(
                    lead, application, stage=kind, interviewers=[r.user for r in panel], scheduled_at=when
                )
            except ValidationFailed as exc:  # no framework for the role, or nothing assessed at this stage
                if exc.field == "interviewers":
                    raise
                continue
            Interview.objects.filter(pk=interview.pk).update(created_at=start + (when - start) / 3)
            made += 1
            for j, rater in enumerate(panel):
                draft = pending and i == len(stages) - 1 and j == len(panel) - 1
                last_at = min(when + timedelta(hours=1 + 2 * j + rng_app.random()), now)
                _rate(rng_app, interview, rater, truth, last_at, submit=not draft)
                scorecards += 0 if draft else 1
                complete = complete and not draft
        interviews += made
        if made and complete:
            record = interview_services.decide_application(lead, application)
            DecisionRecord.objects.filter(pk=record.pk).update(at=min(last_at + timedelta(hours=12), now))
            decided += 1
    return {"interviews": interviews, "scorecards": scorecards, "scorecard_decisions": decided}
