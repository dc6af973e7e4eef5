"""The demo's structured interviews (screening.demo.seed_interviews): made through the interview services
(kits, audit entries, scorecard DecisionRecords), dated inside each application's history, deterministic,
idempotent, and rated so that the calibration page has something to show: alpha per competency and one
lenient and one severe interviewer flagged."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from cadre.core.models import AuditLog, DecisionRecord, User
from cadre.core.roles import Role
from cadre.people.services import create_person
from cadre.pipeline.models import Application, StageEvent
from cadre.pipeline.services import create_application
from cadre.screening import demo, interview_selectors, interview_services
from cadre.screening.models import CompetencyRating, Interview, Scorecard

pytestmark = pytest.mark.django_db

STAGES = ("client_interview", "offer", "placed")
SEED = 5


@pytest.fixture
def second_recruiter(make_user) -> User:
    return make_user("sam", Role.RECRUITER, first_name="Sam", last_name="Reyes")


@pytest.fixture
def candidates(recruiter, tenant_a, tenant_b) -> list[Application]:
    """Twelve candidates on each tenant's requisition at client interview, offer or placed, who reached
    client interview 20 days ago (plus each tenant's own applicant, still sourced)."""
    apps = []
    start = timezone.now() - dt.timedelta(days=20)
    for tenant in (tenant_a, tenant_b):
        for i in range(12):
            person = create_person(recruiter, full_name=f"{tenant.client.name} candidate {i}")
            app = create_application(
                recruiter, person=person, requisition=tenant.requisition, stage=STAGES[i % 3]
            )
            StageEvent.objects.filter(application=app).update(at=start)
            apps.append(app)
    return apps


def _seed(recruiter, second_recruiter) -> dict[str, int]:
    return demo.seed_interviews(random.Random(SEED), recruiters=[recruiter, second_recruiter])


def _levels() -> list[tuple[int, str, str, str, int]]:
    return sorted(
        CompetencyRating.objects.values_list(
            "scorecard__interview__application_id",
            "scorecard__interview__stage",
            "scorecard__interviewer__username",
            "competency",
            "level",
        )
    )


def test_interviews_are_made_through_the_services(
    candidates, recruiter, second_recruiter, tenant_a, tenant_b
):
    counts = _seed(recruiter, second_recruiter)
    interviews = list(Interview.objects.prefetch_related("interviewers"))
    assert counts["interviews"] == len(interviews) > len(candidates)  # technical screens + system design
    assert {i.application_id for i in interviews} == {a.pk for a in candidates}  # never the sourced ones
    assert {i.stage for i in interviews} == {"technical_screen", "system_design"}
    staff = User.objects.get(username=demo.STAFF_INTERVIEWERS[0][0])
    assert staff.role == Role.RECRUITER and not staff.has_usable_password()
    for interview in interviews:
        assert interview.kit["digest"] and interview.framework_version == interview.kit["version"]
        panel = {u.username for u in interview.interviewers.all()}
        on_a = interview.application.requisition_id == tenant_a.requisition.pk
        manager = tenant_a.hiring_manager if on_a else tenant_b.hiring_manager
        assert len(panel) == 3 and manager.username in panel  # the client's hiring manager sits on it
        assert AuditLog.objects.filter(
            object_type="screening.interview", object_id=str(interview.pk)
        ).exists()
    submitted = Scorecard.objects.filter(status=Scorecard.Status.SUBMITTED)
    assert counts["scorecards"] == submitted.count()
    for card in submitted.select_related("interview").prefetch_related("ratings"):
        assert interview_services.completeness_errors(card) == []
        assert {r.competency for r in card.ratings.all()} == set(interview_services.kit_slugs(card.interview))
        assert all(len(r.evidence) >= interview_services.MIN_EVIDENCE_CHARS for r in card.ratings.all())
        assert card.recommendation and card.summary
        assert AuditLog.objects.filter(object_type="screening.scorecard", object_id=str(card.pk)).count() == 2
    # A decision for each application whose panels all submitted; none while a scorecard is a draft.
    drafts = set(
        Scorecard.objects.filter(status=Scorecard.Status.DRAFT).values_list(
            "interview__application_id", flat=True
        )
    )
    decided = set(
        int(pk)
        for pk in DecisionRecord.objects.filter(kind=interview_services.DECISION_KIND).values_list(
            "subject_id", flat=True
        )
    )
    assert counts["scorecard_decisions"] == len(decided) == len(candidates) - len(drafts)
    assert not decided & drafts
    for record in DecisionRecord.objects.filter(kind=interview_services.DECISION_KIND):
        assert record.person_id == Application.objects.get(pk=int(record.subject_id)).person_id
        assert record.explanation["outcome"] in ("advance", "reject", "hold")


def test_dates_follow_each_applications_history(candidates, recruiter, second_recruiter):
    _seed(recruiter, second_recruiter)
    now = timezone.now()
    for interview in Interview.objects.all():
        reached = StageEvent.objects.get(application_id=interview.application_id).at
        assert reached <= interview.created_at <= interview.scheduled_at <= now
        for card in Scorecard.objects.filter(interview=interview, status=Scorecard.Status.SUBMITTED):
            assert interview.scheduled_at <= card.submitted_at <= now
    for record in DecisionRecord.objects.filter(kind=interview_services.DECISION_KIND):
        last = Scorecard.objects.filter(interview__application_id=int(record.subject_id)).latest(
            "submitted_at"
        )
        assert last.submitted_at <= record.at <= now


def test_calibration_shows_alpha_and_flags_the_lenient_and_severe_raters(
    candidates, recruiter, second_recruiter, admin_user
):
    _seed(recruiter, second_recruiter)
    cal = interview_selectors.calibration(admin_user)
    alphas = {r.competency: r.alpha for r in cal.per_competency}
    assert alphas["coding"] is not None and alphas["model_evaluation"] is not None
    assert len({round(a, 2) for a in alphas.values() if a is not None}) >= 3  # they differ by competency
    severity = {cal.raters[str(s.rater_id)]: s for s in cal.severity}
    assert severity["Sam Reyes"].flagged and severity["Sam Reyes"].direction == "lenient"
    assert severity["Dana Okafor"].flagged and severity["Dana Okafor"].direction == "severe"
    assert not any(s.flagged for name, s in severity.items() if name not in ("Sam Reyes", "Dana Okafor"))


def test_deterministic_and_idempotent(candidates, recruiter, second_recruiter):
    first = _seed(recruiter, second_recruiter)
    levels = _levels()
    assert _seed(recruiter, second_recruiter) == {"interviews": 0, "scorecards": 0, "scorecard_decisions": 0}
    assert _levels() == levels and Interview.objects.count() == first["interviews"]
    assert User.objects.filter(username=demo.STAFF_INTERVIEWERS[0][0]).count() == 1
    # The same seed on the same applications rates the same way again.
    Interview.objects.all().delete()
    DecisionRecord.objects.filter(kind=interview_services.DECISION_KIND).delete()
    assert _seed(recruiter, second_recruiter) == first
    assert _levels() == levels


def test_with_one_recruiter_a_second_named_interviewer_is_added(candidates, recruiter):
    counts = demo.seed_interviews(random.Random(SEED), recruiters=[recruiter])
    assert counts["interviews"] > 0
    added = User.objects.filter(username__in=[u for u, _f, _l in demo.STAFF_INTERVIEWERS])
    assert added.count() == 2 and not any(u.has_usable_password() for u in added)
    assert set(Scorecard.objects.values_list("interviewer__username", flat=True)) >= {
        recruiter.username,
        *added.values_list("username", flat=True),
    }


def test_no_interview_stage_candidates_means_nothing_to_seed(tenant_a, recruiter, second_recruiter):
    assert _seed(recruiter, second_recruiter) == {"interviews": 0, "scorecards": 0, "scorecard_decisions": 0}
    assert not Interview.objects.exists()


def test_the_demo_seeds_interviews_with_its_screening(candidates, recruiter, second_recruiter):
    """`cadre demo` calls seed_screening, which ends with the interviews; a second call adds nothing."""
    counts = demo.seed_screening(random.Random(SEED), recruiters=[recruiter, second_recruiter])
    assert counts["interviews"] == Interview.objects.count() > 0
    assert counts["scorecards"] == Scorecard.objects.filter(status=Scorecard.Status.SUBMITTED).count()
    again = demo.seed_screening(random.Random(SEED), recruiters=[recruiter, second_recruiter])
    assert (again["sittings"], again["interviews"], again["scorecards"]) == (0, 0, 0)
