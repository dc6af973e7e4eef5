"""Grading that cannot be broken by a candidate's file or a failing grader (review B1, D2), the shared
difficulty rule (U5), the decision kind shared with compliance (N1), what the candidate never sees (N2),
per-key answer errors (N4) and the selectors' independence from the portal's writes (N5)."""

from __future__ import annotations

import ast
import json
import math
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from tests.screening.screening_helpers import (
    LATENCY,
    hidden_rows,
    item_of,
    key_of,
    make_assessment,
    predictions,
    token_of,
    wrong_choice,
)

from cadre.compliance import monitoring
from cadre.core.models import AuditLog, DecisionRecord
from cadre.screening import assembly, difficulty, grading_services, portal, scoring, selectors, services
from cadre.screening.models import Sitting, Submission

SCREENING = Path(__file__).resolve().parents[2] / "src" / "cadre" / "screening"
MC_A, MC_B = "coding-mutable-default-argument", "coding-membership-complexity"


# ------------------------------------------------------------------------------------ pure: points


def test_extreme_metric_values_score_within_zero_and_one() -> None:
    # RMSE-like task: floor 40 (constant prediction), target 10 (the true function); lower is better.
    assert scoring.task_points(1e30, 40.0, 10.0) == 0.0
    assert scoring.task_points(1.7e308, 40.0, 10.0) == 0.0
    assert scoring.task_points(-1.7e308, 40.0, 10.0) == 1.0  # clipped before any subtraction
    assert scoring.task_points(25.0, 40.0, 10.0) == pytest.approx(0.5)
    # AUC-like: higher is better.
    assert scoring.task_points(0.75, 0.5, 1.0) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="finite"):
        scoring.task_points(math.inf, 40.0, 10.0)
    with pytest.raises(ValueError, match="too far apart"):
        scoring.task_points(1.7e308, -1.7e308, 1.7e308)


def test_stored_scores_are_points_only() -> None:
    assert scoring.quantize(1.0) == Decimal("1.000000")
    assert str(scoring.quantize(2 / 3)) == "0.666667"
    for bad in (1e30, 1.5, -0.1, math.inf, math.nan):
        with pytest.raises(ValueError, match=r"\[0, 1\]"):
            scoring.quantize(bad)
    assert scoring.json_number(1e30) == 1e30
    assert scoring.json_number(math.inf) == "inf" and scoring.json_number(-math.inf) == "-inf"
    json.dumps({"v": scoring.json_number(math.inf)}, allow_nan=False)  # valid JSON, no Infinity token


def test_task_anchors_are_declared_and_checked() -> None:
    assert scoring.task_anchors({"floor": 40, "target": "10.5"}, "lower") == (40.0, 10.5)
    assert scoring.task_anchors({"floor": 0.5, "target": 0.9}, "higher") == (0.5, 0.9)
    for config, direction, message in (
        (None, "lower", "no scoring anchors"),
        ({"floor": 40}, "lower", "must be numbers"),
        ({"floor": "x", "target": 1}, "lower", "must be numbers"),
        ({"floor": "inf", "target": 1}, "lower", "finite"),
        ({"floor": 1, "target": 1}, "lower", "differ"),
        ({"floor": 10, "target": 40}, "lower", "better than its floor"),
        ({"floor": 0.9, "target": 0.5}, "higher", "better than its floor"),
    ):
        with pytest.raises(ValueError, match=message):
            scoring.task_anchors(config, direction)
    assert scoring.points_rule(40.0, 10.0) == (
        "0 points at 40 or above, full points at 10 or below, in proportion in between"
    )
    assert scoring.points_rule(0.5, 0.9).startswith("0 points at 0.5 or below, full points at 0.9 or above")


# ------------------------------------------------------------------------------ pure: difficulty (U5)


def test_one_closest_difficulty_rule() -> None:
    items = [("a", 4), ("b", 2), ("c", 3), ("d", 2), ("e", 1)]
    pick = lambda seed: difficulty.closest_by_difficulty(  # noqa: E731
        items, 3, difficulty=lambda i: i[1], ident=lambda i: i[0], seed=seed
    )
    # Distance first; at equal distance the easier (2 before 4); equal difficulty by the seeded hash.
    ranked = pick("requisition-1")
    assert ranked[0] == ("c", 3) and ranked[-1] == ("e", 1)
    assert [d for _, d in ranked] == [3, 2, 2, 4, 1]
    twos = sorted(["b", "d"], key=lambda i: difficulty.tiebreak("requisition-1", i))
    assert [i for i, d in ranked if d == 2] == twos
    assert pick("requisition-1") == pick("requisition-1") == ranked
    orders = {tuple(i for i, d in pick(f"requisition-{n}") if d == 2) for n in range(20)}
    assert orders == {("b", "d"), ("d", "b")}  # the seed, not the input order, breaks exact ties
    top = difficulty.closest_by_difficulty(items, 3, difficulty=lambda i: i[1], ident=lambda i: i[0], n=2)
    assert top == pick("")[:2] and top[0] == ("c", 3) and top[1][1] == 2


def test_assembly_reads_the_take_home_rule_from_the_difficulty_not_a_seniority_list() -> None:
    source = (SCREENING / "assembly.py").read_text()
    for name in ("senior", "staff", "principal", "director", "executive"):
        assert f'"{name}"' not in source
    pool = [
        assembly.Candidate(1, "mc", "multiple_choice", "coding", 3),
        assembly.Candidate(2, "th", "take_home", "coding", 3),
    ]
    comps = [("coding", 1.0)]
    # The seniority's name does not matter, its question difficulty does.
    assert [p.slug for p in assembly.select_items(pool, comps, difficulty=3, seniority="anything")] == [
        "mc",
        "th",
    ]
    assert [p.slug for p in assembly.select_items(pool, comps, difficulty=2, seniority="senior")] == ["mc"]


# ------------------------------------------------------------------------------ structure (N1, N5)


def test_the_assessment_decision_kind_is_the_same_on_both_sides() -> None:
    assert monitoring.ASSESSMENT_KIND == grading_services.SITTING_DECISION_KIND == "assessment_score"
    assert monitoring.ASSESSMENT_KIND in monitoring.SCORED_TOOLS


def test_selectors_do_not_import_the_portal_writes() -> None:
    tree = ast.parse((SCREENING / "selectors.py").read_text())
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported |= {f"{node.module}.{a.name}" for a in node.names} | {str(node.module)}
        elif isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
    assert not any("portal" in name for name in imported), imported
    assert "cadre.screening.sitting_rules" in imported or "cadre.screening.sitting_rules" in {
        n.rsplit(".", 1)[0] for n in imported
    }


# ------------------------------------------------------------------------------------- database


def _latency_sitting(recruiter, tenant_a, values: str):
    """A sitting with two MC items (one right, one wrong) and the RMSE task answered with `values`."""
    assessment = make_assessment(recruiter, tenant_a.requisition, [MC_A, MC_B, LATENCY])
    sitting, path = services.invite(recruiter, tenant_a.application, assessment)
    a, b, task = item_of(assessment, MC_A), item_of(assessment, MC_B), item_of(assessment, LATENCY)
    portal.save_answers(sitting, {a.pk: key_of(a.question), b.pk: wrong_choice(b.question)})
    rows = hidden_rows(task.question)[1:]
    upload = portal.upload(
        sitting, task.pk, name="p.csv", data=predictions(task.question, {r[0]: values for r in rows})
    )
    return sitting, path, (a, b, task), upload


@pytest.mark.django_db
def test_huge_but_valid_predictions_grade_to_zero_points(recruiter, tenant_a):
    sitting, _path, (a, b, task), upload = _latency_sitting(recruiter, tenant_a, "1e30")
    assert upload.status == Submission.Status.RECEIVED and not upload.errors  # a valid file
    done = portal.submit(sitting)
    assert done.status == Sitting.Status.GRADED
    sub = Submission.objects.get(pk=upload.pk)
    assert sub.status == Submission.Status.GRADED
    assert sub.score == Decimal("0.000000")  # points, not the metric
    assert sub.result["metric"] == "rmse" and sub.result["value"] == pytest.approx(1e30, rel=1e-6)
    assert sub.result["points"] == 0.0 and sub.result["valid"] is True
    json.dumps(sub.result, allow_nan=False)
    record = DecisionRecord.objects.get(kind="assessment_grade", subject_id=str(sub.pk))
    assert record.score == Decimal("0") and record.explanation["value"] == pytest.approx(1e30, rel=1e-6)
    # coding (MC right, MC wrong: 0.5) and model evaluation (0 points), equal weights.
    assert done.score == scoring.quantize(0.25)


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_predictions_that_overflow_the_metric_are_a_clear_zero(recruiter, tenant_a):
    sitting, _path, _items, upload = _latency_sitting(recruiter, tenant_a, "1e200")  # squares overflow
    assert upload.status == Submission.Status.RECEIVED
    done = portal.submit(sitting)
    assert done.status == Sitting.Status.GRADED
    sub = Submission.objects.get(pk=upload.pk)
    assert sub.status == Submission.Status.GRADED and sub.score == Decimal("0")
    assert sub.result["valid"] is False and sub.result["points"] == 0.0
    assert any("undefined" in e for e in sub.errors)
    json.dumps(sub.result, allow_nan=False)


@pytest.mark.django_db
def test_a_failing_grader_spoils_only_its_item(recruiter, tenant_a, monkeypatch):
    sitting, path, (a, b, task), upload = _latency_sitting(recruiter, tenant_a, "30")

    def broken(*_args, **_kwargs):
        raise RuntimeError("metric backend exploded")

    monkeypatch.setattr(grading_services, "_grade_predictions", broken)
    client = Client()
    response = client.post(f"{path}answers/", {"action": "submit"}, follow=True)
    assert response.status_code == 200 and "receipt" in response.content.decode()
    assert "exploded" not in response.content.decode()
    done = Sitting.objects.get(pk=sitting.pk)
    assert done.status == Sitting.Status.SUBMITTED and done.score is None
    subs = {s.item_id: s for s in Submission.objects.filter(sitting=sitting)}
    assert subs[a.pk].status == Submission.Status.GRADED and subs[a.pk].result["points"] == 1.0
    assert subs[b.pk].status == Submission.Status.GRADED and subs[b.pk].result["points"] == 0.0
    failed = subs[task.pk]
    assert failed.status == Submission.Status.RECEIVED and failed.score is None
    assert failed.result["grading_error"] == "RuntimeError: metric backend exploded"
    assert grading_services.grading_errors(done) == {task.pk: "RuntimeError: metric backend exploded"}
    assert AuditLog.objects.filter(object_id=str(failed.pk), after__result__has_key="grading_error").exists()
    staff = selectors.sitting_view(done)
    assert [e["reason"] for e in staff["grading_errors"]] == ["RuntimeError: metric backend exploded"]
    assert task.pk in [i["id"] for i in staff["ungraded"]]
    assert "exploded" not in json.dumps(selectors.candidate_view(done), default=str)

    # The recruiter re-runs automatic grading once the cause is fixed: the item is retried.
    monkeypatch.undo()
    regraded = grading_services.grade_sitting(done)
    assert regraded.status == Sitting.Status.GRADED
    fixed = Submission.objects.get(pk=failed.pk)
    assert fixed.status == Submission.Status.GRADED and "grading_error" not in fixed.result
    assert grading_services.grading_errors(regraded) == {}


@pytest.mark.django_db
def test_a_failing_grading_run_still_gives_the_candidate_a_receipt(recruiter, tenant_a, monkeypatch):
    sitting, path, _items, _upload = _latency_sitting(recruiter, tenant_a, "30")

    def broken(*_args, **_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(grading_services, "finalize_sitting", broken)
    response = Client().post(f"{path}answers/", {"action": "submit"}, follow=True)
    assert response.status_code == 200 and "receipt" in response.content.decode()
    done = Sitting.objects.get(pk=sitting.pk)
    assert done.status == Sitting.Status.SUBMITTED and done.submitted_at is not None
    assert done.result["grading_error"] == "RuntimeError: database went away"
    staff = selectors.sitting_view(done)
    assert staff["grading_error"] == "RuntimeError: database went away"
    client = Client()
    client.force_login(recruiter)
    page = client.get(f"/screening/sittings/{done.pk}/").content.decode()
    assert "Automatic grading did not finish" in page and "database went away" in page
    assert "Run automatic grading" in page
    monkeypatch.undo()
    assert grading_services.grade_sitting(done).status == Sitting.Status.GRADED
    assert "grading_error" not in Sitting.objects.get(pk=sitting.pk).result


# ---------------------------------------------------------------------------- what the candidate sees


@pytest.mark.django_db
def test_choice_correctness_stays_on_the_staff_side(recruiter, tenant_a):
    sitting, path, (a, b, _task), _upload = _latency_sitting(recruiter, tenant_a, "30")
    portal.submit(sitting)
    # Staff-side: the item DecisionRecords explain the grade, right or wrong.
    records = {
        r.explanation["item_id"]: r.explanation
        for r in DecisionRecord.objects.filter(kind="assessment_grade", explanation__kind="multiple_choice")
    }
    assert records[a.pk]["correct"] is True and records[b.pk]["correct"] is False
    # Candidate-side: the portal page, its API and the candidate view show what was received, no grade.
    done = Sitting.objects.get(pk=sitting.pk)
    view = json.dumps(selectors.candidate_view(done), default=str)
    page = Client().get(path).content.decode()
    api = Client().get(f"/api/screening/portal/{token_of(path)}")
    assert api.status_code == 200
    for text in (view, page, api.content.decode()):
        assert '"correct"' not in text and "incorrect" not in text.lower()
        assert '"points"' not in text and "grading_error" not in text
        assert "assessment_grade" not in text
    assert '"score"' not in view and '"result"' not in view


@pytest.mark.django_db
def test_every_bad_answer_key_gets_its_own_error(recruiter, tenant_a):
    assessment = make_assessment(recruiter, tenant_a.requisition, [MC_A, MC_B])
    sitting, path = services.invite(recruiter, tenant_a.application, assessment)
    a = item_of(assessment, MC_A)
    with pytest.raises(portal.AnswersInvalid) as caught:
        portal.save_answers(sitting, {"abc": "a", "x-1": "b", a.pk: key_of(a.question), 999999: "a"})
    errors = caught.value.errors
    assert set(errors) == {"abc", "x-1", 999999}
    assert Submission.objects.filter(sitting=sitting, item=a).count() == 1  # the good one was saved
    response = Client().post(
        f"/api/screening/portal/{token_of(path)}/answers",
        data=json.dumps({"answers": {"abc": "a", "def": "b"}}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"abc", "def"}
