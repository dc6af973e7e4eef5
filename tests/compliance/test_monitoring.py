"""Adverse impact per pipeline step and the LL144 audit of matching, on a small pipeline built by hand with
StageEvents, self-identifications and DecisionRecords; every expected number is worked out below."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from cadre.compliance import demographics, monitoring
from cadre.core.exceptions import Forbidden, NotFound, ValidationFailed
from cadre.core.models import DecisionRecord
from cadre.people.models import Person
from cadre.pipeline.models import Application, StageEvent
from cadre.requisitions.models import Requisition

pytestmark = pytest.mark.django_db

VERSION = "match-2026.11.1+abc123"
PATHS = {  # each application's stage history (to_stage of each event, in order)
    "M1": ["sourced", "screening", "submitted", "client_interview", "offer", "placed"],
    "M2": ["sourced", "screening", "submitted", "screening"],  # moved back: still reached submitted
    "M3": ["sourced", "screening", "rejected"],
    "M4": ["sourced", "rejected"],
    "F1": ["sourced", "submitted"],  # skipped screening: counts as passing it
    "F2": ["sourced", "screening", "rejected"],
    "F3": ["sourced", "rejected"],
    "F4": ["sourced", "rejected"],
    "U1": ["sourced", "screening", "rejected"],  # no self-identification
    "D1": ["sourced", "rejected"],  # declined both questions
}
PATHS_B = {"F5": ["sourced", "screening"], "M5": ["sourced", "rejected"]}
ANSWERS = {
    **{m: ("Male", "White") for m in ("M1", "M2", "M3", "M4", "M5")},
    **{f: ("Female", "Asian") for f in ("F1", "F2", "F3", "F4", "F5")},
    "D1": ("", ""),
}


@dataclass
class Pipeline:
    people: dict[str, Person] = field(default_factory=dict)
    req_a: Requisition | None = None
    req_b: Requisition | None = None


def _apply(person: Person, requisition: Requisition, path: list[str], start: dt.datetime) -> Application:
    app = Application.objects.create(
        person=person, requisition=requisition, stage=path[-1], stage_changed_at=start
    )
    previous = ""
    for i, stage in enumerate(path):
        StageEvent.objects.create(
            application=app, from_stage=previous, to_stage=stage, at=start + dt.timedelta(hours=i)
        )
        previous = stage
    return app


def build_pipeline(tenant_a: Any, tenant_b: Any, officer: Any) -> Pipeline:
    """tenant_a's requisition gets PATHS (plus its fixture applicant, sourced, no self-ID); tenant_b's gets
    PATHS_B (plus its fixture applicant)."""
    out = Pipeline(req_a=tenant_a.requisition, req_b=tenant_b.requisition)
    start = timezone.now() - dt.timedelta(days=3)
    for name in [*PATHS, *PATHS_B]:
        out.people[name] = Person.objects.create(full_name=f"Candidate {name}")
    for name, path in PATHS.items():
        _apply(out.people[name], tenant_a.requisition, path, start)
    for name, path in PATHS_B.items():
        _apply(out.people[name], tenant_b.requisition, path, start)
    for name, (sex, race) in ANSWERS.items():
        demographics.record_self_identification(officer, out.people[name], sex=sex, race_ethnicity=race)
    return out


def add_match_records(p: Pipeline) -> None:
    """Scores on requisition A: M1 .9, M2 .4 (an older .95 superseded), F1 .8, F2 .2, U1 .5, D1 .6;
    on requisition B: F5 .7, M5 .3 (recorded 40 days ago). Plus records that are not in scope."""
    now = timezone.now()
    assert p.req_a is not None and p.req_b is not None

    def rec(name: str, req: Requisition, score: str, at: dt.datetime, **extra: Any) -> None:
        values = {
            "kind": "match_ranking",
            "version": VERSION,
            "subject_type": "requisitions.requisition",
            "subject_id": str(req.pk),
            "person_id": p.people[name].pk,
            "inputs_digest": "d" * 64,
            "score": Decimal(score),
        } | extra
        row = DecisionRecord.objects.create(**values)
        DecisionRecord.objects.filter(pk=row.pk).update(at=at)

    rec("M2", p.req_a, "0.95", now - dt.timedelta(days=60), version="match-2026.10.0+old")
    for name, score in (("M1", ".9"), ("M2", ".4"), ("F1", ".8"), ("F2", ".2"), ("U1", ".5"), ("D1", ".6")):
        rec(name, p.req_a, score, now - dt.timedelta(days=1))
    rec("F5", p.req_b, ".7", now - dt.timedelta(days=40))
    rec("M5", p.req_b, ".3", now - dt.timedelta(days=40))
    # Not in scope: a text search and another kind of decision.
    rec("F4", p.req_a, ".99", now, subject_type="matching.text", subject_id="x")
    rec("F3", p.req_a, ".99", now, kind="assessment_grade")


def _group(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(g for g in report["groups"] if g["group"] == name)


@pytest.fixture
def pipeline(tenant_a, tenant_b, compliance_officer) -> Pipeline:
    return build_pipeline(tenant_a, tenant_b, compliance_officer)


def test_stage_pass_rates_and_impact_ratios_for_one_requisition(pipeline, compliance_officer):
    data = monitoring.stage_funnel_counts(compliance_officer, requisition=pipeline.req_a)
    assert data["scope"]["kind"] == "requisition"
    assert data["applications"] == 11  # 10 built + the fixture applicant
    assert [s["stage"] for s in data["stages"]] == [
        "screening",
        "submitted",
        "client_interview",
        "offer",
        "placed",
    ]
    screening = data["stages"][0]
    # The fixture applicant is still waiting at sourced: no decision yet, so it is left out.
    assert (screening["from_stage"], screening["considered"], screening["reached"]) == ("sourced", 10, 6)
    sex = screening["dimensions"]["sex"]
    # Male: M1, M2, M3 of M1-M4 reached screening = 3/4; Female: F1 (skipped it) and F2 of F1-F4 = 2/4.
    male, female = _group(sex, "Male"), _group(sex, "Female")
    assert (male["selected"], male["total"], male["rate_exact"]) == (3, 4, "3/4")
    assert (female["selected"], female["total"], female["rate_exact"]) == (2, 4, "1/2")
    assert sex["reference"] == "Male"
    assert female["impact_ratio_exact"] == "2/3"  # (1/2) / (3/4)
    assert female["below_four_fifths"] is True
    assert sex["flagged"] == ["Female"]
    # Pooled z: pbar = 5/8, se = sqrt(5/8 * 3/8 * (1/4 + 1/4)) = 0.3423266, z = -0.25 / se
    assert female["z"] == pytest.approx(-0.730297, abs=1e-6)
    # Fisher [[2, 2], [3, 1]]: every table with these margins is at most as likely (4, 24, 24, 4 / 56).
    assert female["fisher_p"] == 1.0
    assert any("small group" in w for w in female["warnings"])
    # Unknown: D1 (rejected at sourced) and U1 (reached screening).
    assert (sex["unknown"], sex["unknown_selected"]) == (2, 1)
    race = screening["dimensions"]["race_ethnicity"]
    assert _group(race, "Asian")["impact_ratio_exact"] == "2/3"
    inter = screening["dimensions"]["intersectional"]
    assert [g["group"] for g in inter["groups"]] == ["White / Male", "Asian / Female"]
    assert _group(inter, "Asian / Female")["impact_ratio_exact"] == "2/3"

    submitted = data["stages"][1]
    sex = submitted["dimensions"]["sex"]
    # Of those at screening: Male M1, M2, M3 -> M1, M2 reached submitted (M2 later moved back) = 2/3;
    # Female F1, F2 -> F1 = 1/2; impact ratio (1/2) / (2/3) = 3/4.
    assert _group(sex, "Male")["rate_exact"] == "2/3"
    assert _group(sex, "Female")["rate_exact"] == "1/2"
    assert _group(sex, "Female")["impact_ratio_exact"] == "3/4"
    assert (sex["unknown"], sex["unknown_selected"]) == (1, 0)  # U1

    placed = data["stages"][-1]
    assert (placed["considered"], placed["reached"]) == (1, 1)  # M1 only
    assert placed["dimensions"]["sex"]["partial"] is True  # one group: not a comparison


def test_overall_and_per_client_differ_from_per_requisition(pipeline, compliance_officer, tenant_b):
    overall = monitoring.stage_funnel_counts(compliance_officer)
    assert overall["scope"]["kind"] == "overall"
    assert overall["applications"] == 11 + 3
    sex = overall["stages"][0]["dimensions"]["sex"]
    # Adding requisition B: Male 3/4 + M5 0/1 = 3/5; Female 2/4 + F5 1/1 = 3/5: equal rates, ratio 1.
    assert _group(sex, "Male")["rate_exact"] == "3/5"
    assert _group(sex, "Female")["rate_exact"] == "3/5"
    assert _group(sex, "Female")["impact_ratio_exact"] == "1/1"
    assert sex["flagged"] == []
    assert sex["unknown"] == 2  # U1, D1 (both fixture applicants are still waiting at sourced)

    client_b = monitoring.stage_funnel_counts(compliance_officer, client=tenant_b.client)
    assert client_b["scope"]["kind"] == "client"
    sex = client_b["stages"][0]["dimensions"]["sex"]
    assert sex["reference"] == "Female"  # 1/1, the highest rate, not the largest group
    assert _group(sex, "Male")["impact_ratio_exact"] == "0/1"
    assert _group(sex, "Male")["below_four_fifths"] is True
    same = monitoring.stage_funnel_counts(compliance_officer, requisition=pipeline.req_b.pk)
    assert same["stages"] == client_b["stages"]


def test_monitoring_needs_the_permission(pipeline, recruiter, tenant_a, admin_user):
    for user in (recruiter, tenant_a.hiring_manager):
        with pytest.raises(Forbidden):
            monitoring.stage_funnel_counts(user)
        with pytest.raises(Forbidden):
            monitoring.matching_ll144_audit(user)
    assert monitoring.stage_funnel_counts(admin_user)["applications"] == 14


def test_unknown_requisition_or_client_is_not_found(compliance_officer, tenant_a):
    with pytest.raises(NotFound):
        monitoring.stage_funnel_counts(compliance_officer, requisition=999_999)
    with pytest.raises(NotFound):
        monitoring.stage_funnel_counts(compliance_officer, client=999_999)


def test_ll144_matching_audit_overall(pipeline, compliance_officer):
    add_match_records(pipeline)
    report = monitoring.matching_ll144_audit(compliance_officer)
    assert report["mode"] == "scoring"
    # Latest score per (person, requisition): .9 .4 .8 .2 .5 .6 on A, .7 .3 on B (M2's older .95 is
    # superseded; the text search and the assessment grade are out of scope). Sorted: .2 .3 .4 .5 .6 .7
    # .8 .9, median (.5 + .6) / 2 = .55. Above it: M1, F1, D1, F5.
    assert report["median"] == pytest.approx(0.55)
    assert report["config"]["sample_size"] == 8
    sex = {r["category"]: r for r in report["tables"]["sex"]}
    assert (sex["Male"]["n"], sex["Male"]["selected_or_above"]) == (3, 1)  # M1 of M1, M2, M5
    assert (sex["Female"]["n"], sex["Female"]["selected_or_above"]) == (3, 2)  # F1, F5 of F1, F2, F5
    assert sex["Male"]["rate"] == pytest.approx(1 / 3, abs=1e-6)
    assert sex["Male"]["impact_ratio"] == pytest.approx(0.5)  # (1/3) / (2/3)
    assert sex["Female"]["impact_ratio"] == 1.0
    assert report["unknown"] == {"sex": 2, "race_ethnicity": 2, "intersectional": 2}  # U1, D1
    inter = {r["category"]: r for r in report["tables"]["intersectional"]}
    assert set(inter) == {"White / Male", "Asian / Female"}
    audit = report["config"]["audit"]
    assert audit["tool"] == "Cadre matching"
    # The version of the scores audited (the superseded .95 came from an older ranker and is not in them).
    assert audit["tool_version"] == "match-2026.11.1"
    assert audit["data_source"] == "Cadre DecisionRecords (historical data)"
    assert audit["audit_date"] == timezone.localdate().isoformat()
    # The earliest match_ranking record (M2's superseded one, 60 days ago) dates the tool's first use.
    assert audit["distribution_date"] == (timezone.now() - dt.timedelta(days=60)).date().isoformat()
    assert report["scope"]["assessments"] == 8
    assert report["scope"]["people"] == 8


def test_ll144_matching_audit_per_requisition_and_since(pipeline, compliance_officer):
    add_match_records(pipeline)
    report = monitoring.matching_ll144_audit(compliance_officer, requisition=pipeline.req_a)
    # A only: .2 .4 .5 .6 .8 .9, median .55; above: M1, F1, D1. Male 1/2, Female 1/2: ratios 1.
    assert report["median"] == pytest.approx(0.55)
    assert report["config"]["sample_size"] == 6
    sex = {r["category"]: r for r in report["tables"]["sex"]}
    assert (sex["Male"]["n"], sex["Male"]["selected_or_above"]) == (2, 1)
    assert (sex["Female"]["n"], sex["Female"]["selected_or_above"]) == (2, 1)
    assert sex["Male"]["impact_ratio"] == sex["Female"]["impact_ratio"] == 1.0
    assert report["unknown"]["sex"] == 2
    # Since 30 days ago: requisition B's records (40 days old) drop out, the same 6 remain.
    since = monitoring.matching_ll144_audit(
        compliance_officer, since=timezone.localdate() - dt.timedelta(days=30)
    )
    assert since["config"]["sample_size"] == 6
    assert since["median"] == pytest.approx(0.55)


def test_ll144_matching_audit_with_nothing_to_audit(compliance_officer, tenant_a):
    with pytest.raises(ValidationFailed, match="no matching scores"):
        monitoring.matching_ll144_audit(compliance_officer)
