"""Helpers shared by the screening tests of the assessment side (bank, services, portal, views, API, CLI).

Tests may read hidden material (answer keys, hidden labels) to build answers and to know what must never
leak; `leak_needles` returns strings that appear only in hidden material, never in public data.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from cadre.screening import bank_tasks, services
from cadre.screening.assembly import KIND_WEIGHTS
from cadre.screening.bank import load_bank
from cadre.screening.models import Assessment, AssessmentItem, Competency, Question

CHURN = bank_tasks.CHURN_SLUG
LATENCY = bank_tasks.LATENCY_SLUG
PRECISION = bank_tasks.PRECISION_SLUG
STATS = bank_tasks.RUNNING_STATS_SLUG
# Hidden coding tests are JSON cases whose expected values never leave the host: their keys, raw or
# HTML-escaped, must never appear in a page or response.
HIDDEN_TEST_NEEDLES = (
    '"expected":',
    "&quot;expected&quot;:",
    '"$raises"',
    "&quot;$raises&quot;",
)

PRECISION_SOLUTION = """\
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


def latest(slug: str) -> Question:
    question = Question.objects.filter(slug=slug).order_by("-version").first()
    assert question is not None, slug
    return question


def key_of(question: Question) -> str:
    return str(question.hidden_key["correct"][0])


def wrong_choice(question: Question) -> str:
    return next(c["id"] for c in question.spec["choices"] if c["id"] != key_of(question))


def hidden_rows(question: Question) -> list[list[str]]:
    """The hidden labels file as rows (header first)."""
    return list(csv.reader(io.StringIO(bytes(question.hidden_data or b"").decode())))


def predictions(question: Question, values: dict[str, str] | None = None, *, perfect: bool = True) -> bytes:
    """A predictions CSV for an ML task: the hidden labels themselves (perfect), or 0.5 everywhere."""
    rows = hidden_rows(question)[1:]
    grading = question.spec["grading"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([grading["id_column"], grading["prediction_columns"][0]])
    for row_id, label in rows:
        value = values.get(row_id) if values else (label if perfect else "0.5")
        writer.writerow([row_id, value])
    return out.getvalue().encode()


def leak_needles() -> list[str]:
    """Strings found only in hidden material: runs of hidden-label rows and lines of the hidden tests."""
    needles = list(HIDDEN_TEST_NEEDLES)
    for slug in (CHURN, LATENCY):
        text = bytes(latest(slug).hidden_data or b"").decode()
        lines = text.splitlines()
        needles.append("\n".join(lines[:3]))  # header + two rows, as the file holds them
        needles.append(",".join(lines[1:3]))  # two rows, joined as a serializer might
    return needles


def assert_no_leak(text: str) -> None:
    for needle in leak_needles():
        assert needle not in text, f"hidden material leaked: {needle[:40]!r}"
    assert "hidden_key" not in text and "hidden_data" not in text


def make_assessment(
    recruiter: Any,
    requisition: Any,
    slugs: list[str],
    *,
    weights: dict[str, float] | None = None,
    threshold: str = "0.6000",
    publish: bool = True,
) -> Assessment:
    """An assessment with exactly these questions (the assembler's choice is tested separately)."""
    load_bank()
    questions = [latest(s) for s in slugs]
    competencies = list(dict.fromkeys(q.competency for q in questions))
    assessment = Assessment.objects.create(
        title="Hand-built screen",
        requisition=requisition,
        role_family="ml-engineer",
        competencies=[
            {"competency": c, "name": Competency(c).label, "weight": (weights or {}).get(c, 1.0)}
            for c in competencies
        ],
        framework_version="test",
        pass_threshold=Decimal(threshold),
        created_by=recruiter,
    )
    for position, question in enumerate(questions, start=1):
        AssessmentItem.objects.create(
            assessment=assessment, question=question, position=position, weight=KIND_WEIGHTS[question.kind]
        )
    if publish:
        services.publish_assessment(recruiter, assessment)
    return assessment


def item_of(assessment: Assessment, slug: str) -> AssessmentItem:
    return AssessmentItem.objects.select_related("question").get(assessment=assessment, question__slug=slug)


def token_of(path: str) -> str:
    """/take/<token>/ -> token."""
    return path.strip("/").split("/")[1]
