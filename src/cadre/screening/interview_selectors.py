"""Reads of structured interviews: interviews and scorecards with client scoping and the blind rule, the
application's interview summary with its latest scorecard decision, and calibration (inter-rater
reliability per competency and rater severity) for the hiring team.

Scoping: hiring managers see the interviews, scorecards and calibration of their assigned clients only;
anything else is NotFound. The blind rule: an interviewer who has not submitted their own scorecard on an
application sees no other scorecard of that application (nor the decision drawn from them) until they
have, so every rating is made independently. Drafts are seen only by their own interviewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from cadre.clients.models import Client
from cadre.core.exceptions import Forbidden, NotFound, ValidationFailed
from cadre.core.models import DecisionRecord, User
from cadre.core.roles import Role
from cadre.core.selectors import is_client_scoped
from cadre.core.services import require_user
from cadre.pipeline.models import Application
from cadre.pipeline.selectors import get_application
from cadre.requisitions.models import Requisition
from cadre.requisitions.selectors import get_requisition
from cadre.screening import frameworks, interview_services, reliability
from cadre.screening.interview_services import (
    DECISION_KIND,
    ActiveRules,
    active_rules,
    decision_inputs,
    evaluate,
)
from cadre.screening.models import CompetencyRating, Interview, Scorecard

PERIODS = ("month", "quarter")


def display_name(user: User | None) -> str:
    if user is None:
        return "(deleted user)"
    return user.get_full_name() or user.username


# ------------------------------------------------------------------------------------------ interviews


def interviews_visible_to(user: Any) -> QuerySet[Interview]:
    qs = Interview.objects.all()
    if is_client_scoped(user):
        qs = qs.filter(application__requisition__client__hiring_managers=user)
    return qs


def get_interview(user: Any, pk: int) -> Interview:
    interview = (
        interviews_visible_to(user)
        .select_related("application__person", "application__requisition__client", "created_by")
        .prefetch_related("interviewers")
        .filter(pk=pk)
        .first()
    )
    if interview is None:
        raise NotFound(f"interview {pk} not found")
    return interview


def interviews_of(application: Application) -> list[Interview]:
    return list(
        Interview.objects.filter(application=application)
        .select_related("created_by")
        .prefetch_related(
            "interviewers",
            Prefetch(
                "scorecards",
                queryset=Scorecard.objects.select_related("interviewer").prefetch_related("ratings"),
            ),
        )
        .order_by("created_at", "id")
    )


def pending_interviews(user: Any, application: Application) -> list[Interview]:
    """The user's interviews on the application whose scorecard they have not submitted."""
    return interview_services.pending_interviews(require_user(user), application)


def is_blind(user: Any, application: Application) -> bool:
    """True while the user is an interviewer on the application without a submitted scorecard."""
    return bool(pending_interviews(user, application))


def my_scorecard(user: Any, interview: Interview) -> Scorecard | None:
    return (
        Scorecard.objects.filter(interview=interview, interviewer=require_user(user))
        .prefetch_related("ratings")
        .first()
    )


def _can_read(user: User, scorecard: Scorecard, blind: bool) -> str | None:
    """None when the user may read the scorecard, else why not."""
    if scorecard.interviewer_id == user.pk:
        return None
    if scorecard.status != Scorecard.Status.SUBMITTED:
        return "a draft scorecard is visible only to its interviewer"
    if blind:
        return "submit your own scorecard first: scorecards stay blind until you have"
    return None


def visible_scorecards(user: Any, interview: Interview) -> list[Scorecard]:
    """The user's own scorecard first, then the others' submitted ones unless the user is blind."""
    u = require_user(user)
    get_interview(u, interview.pk)  # scoping
    blind = is_blind(u, interview.application)
    cards = (
        Scorecard.objects.filter(interview=interview)
        .select_related("interviewer")
        .prefetch_related("ratings")
        .order_by("submitted_at", "id")
    )
    readable = [c for c in cards if _can_read(u, c, blind) is None]
    return sorted(readable, key=lambda c: c.interviewer_id != u.pk)


def get_scorecard(user: Any, pk: int) -> Scorecard:
    """One scorecard: NotFound outside the user's clients; Forbidden for someone else's draft, or for
    someone else's submitted scorecard while the user's own on the application is outstanding."""
    u = require_user(user)
    card = (
        Scorecard.objects.select_related(
            "interviewer", "interview__application__person", "interview__application__requisition__client"
        )
        .prefetch_related("ratings")
        .filter(pk=pk, interview__in=interviews_visible_to(u))
        .first()
    )
    if card is None:
        raise NotFound(f"scorecard {pk} not found")
    why = _can_read(u, card, is_blind(u, card.interview.application))
    if why is not None:
        raise Forbidden(why)
    return card


# ------------------------------------------------------------------------------------------ summary


@dataclass
class InterviewerRow:
    user: User
    status: str  # pending / draft / submitted
    scorecard: Scorecard | None  # only when the viewer may read it
    is_viewer: bool


@dataclass
class InterviewRow:
    interview: Interview
    interviewers: list[InterviewerRow]
    viewer_is_interviewer: bool
    viewer_pending: bool

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.interviewers if r.status == Scorecard.Status.SUBMITTED)


@dataclass
class InterviewSummary:
    application: Application
    rows: list[InterviewRow]
    blind: bool
    decision: DecisionRecord | None  # None while blind, or when never decided
    decision_current: bool | None  # None when there is no decision (or it is hidden)
    has_decision: bool  # a decision exists (even when hidden by the blind rule)
    rules: ActiveRules
    submitted: int = 0
    notes: list[str] = field(default_factory=list)


def latest_decision(application: Application) -> DecisionRecord | None:
    return (
        DecisionRecord.objects.filter(
            kind=DECISION_KIND, subject_type=application._meta.label_lower, subject_id=str(application.pk)
        )
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )


def decision_is_current(record: DecisionRecord, application: Application) -> bool:
    """True when the same scorecards and the same active rules would give the same inputs digest."""
    inputs = decision_inputs(application)
    if not inputs.scorecards:
        return False
    try:
        return evaluate(inputs).inputs_digest == record.inputs_digest
    except ValidationFailed:
        return False


def interview_summary(user: Any, application_id: int) -> InterviewSummary:
    """The application's interviews, who is interviewing and where each scorecard stands, the scorecards
    the viewer may read, and the latest decision (hidden while the viewer is blind)."""
    u = require_user(user)
    application = get_application(u, application_id)
    interviews = interviews_of(application)
    blind = any(
        any(p.pk == u.pk for p in iv.interviewers.all())
        and not any(
            c.interviewer_id == u.pk and c.status == Scorecard.Status.SUBMITTED for c in iv.scorecards.all()
        )
        for iv in interviews
    )
    rows: list[InterviewRow] = []
    submitted = 0
    for iv in interviews:
        cards = {c.interviewer_id: c for c in iv.scorecards.all()}
        people: dict[int, User] = {p.pk: p for p in iv.interviewers.all()}
        for existing in cards.values():  # someone unassigned after starting keeps their scorecard
            people.setdefault(existing.interviewer_id, existing.interviewer)
        interviewer_rows = []
        for person in sorted(people.values(), key=lambda p: (p.pk != u.pk, display_name(p).lower())):
            card = cards.get(person.pk)
            status = card.status if card is not None else "pending"
            readable = card is not None and _can_read(u, card, blind) is None
            interviewer_rows.append(
                InterviewerRow(person, status, card if readable else None, is_viewer=person.pk == u.pk)
            )
            submitted += status == Scorecard.Status.SUBMITTED
        viewer_is_interviewer = u.pk in {p.pk for p in iv.interviewers.all()}
        own = cards.get(u.pk)
        rows.append(
            InterviewRow(
                iv,
                interviewer_rows,
                viewer_is_interviewer=viewer_is_interviewer,
                viewer_pending=viewer_is_interviewer
                and (own is None or own.status != Scorecard.Status.SUBMITTED),
            )
        )
    record = latest_decision(application)
    shown = None if blind else record
    return InterviewSummary(
        application=application,
        rows=rows,
        blind=blind,
        decision=shown,
        decision_current=decision_is_current(shown, application) if shown is not None else None,
        has_decision=record is not None,
        rules=active_rules(application.requisition),
        submitted=submitted,
    )


# ------------------------------------------------------------------------------------------ calibration


@dataclass(frozen=True)
class Calibration:
    scope: str  # "requisition", "client" or "all"
    label: str
    requisition: Requisition | None
    client: Client | None
    period: str
    competency: str | None
    ratings: list[reliability.Rating]
    n_scorecards: int
    n_candidates: int
    per_competency: list[reliability.ReliabilityResult]  # in the frameworks' competency order
    severity: list[reliability.RaterSeverity]
    trend: list[reliability.SeverityPoint]
    raters: dict[str, str]  # str(user id) -> name
    competency_names: dict[str, str]

    def rater_name(self, rater_id: Any) -> str:
        return self.raters.get(str(rater_id), f"user #{rater_id}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "label": self.label,
            "requisition_id": self.requisition.pk if self.requisition else None,
            "client_id": self.client.pk if self.client else None,
            "period": self.period,
            "competency": self.competency,
            "version": reliability.RELIABILITY_VERSION,
            "n_ratings": len(self.ratings),
            "n_scorecards": self.n_scorecards,
            "n_candidates": self.n_candidates,
            "bands": {"reliable": reliability.RELIABLE, "tentative": reliability.TENTATIVE},
            "reliability": [
                r.as_dict() | {"name": self.competency_names.get(r.competency, r.competency)}
                for r in self.per_competency
            ],
            "severity": [
                s.as_dict() | {"rater_id": str(s.rater_id), "name": self.rater_name(s.rater_id)}
                for s in self.severity
            ],
            "trend": [
                p.as_dict() | {"rater_id": str(p.rater_id), "name": self.rater_name(p.rater_id)}
                for p in self.trend
            ],
        }


def _scoped_ratings(user: User) -> QuerySet[CompetencyRating]:
    qs = CompetencyRating.objects.filter(scorecard__status=Scorecard.Status.SUBMITTED)
    if is_client_scoped(user):
        qs = qs.filter(scorecard__interview__application__requisition__client__hiring_managers=user)
    return qs


def _client(user: User, client_id: int) -> Client:
    qs = Client.objects.all()
    if is_client_scoped(user):
        qs = qs.filter(hiring_managers=user)
    client = qs.filter(pk=client_id).first()
    if client is None:
        raise NotFound(f"client {client_id} not found")
    return client


def calibration_ratings(
    user: Any, *, requisition: Requisition | None = None, client: Client | None = None
) -> list[reliability.Rating]:
    """Every submitted rating in scope as reliability.Rating: rater = interviewer, candidate = application
    (one candidacy), dated by the scorecard's submission."""
    u = require_user(user)
    qs = _scoped_ratings(u)
    if requisition is not None:
        qs = qs.filter(scorecard__interview__application__requisition=requisition)
    if client is not None:
        qs = qs.filter(scorecard__interview__application__requisition__client=client)
    rows = qs.values_list(
        "scorecard__interviewer_id",
        "scorecard__interview__application_id",
        "competency",
        "level",
        "scorecard__submitted_at",
        "scorecard__updated_at",
    ).order_by("id")
    return [
        reliability.Rating(rater, candidate, competency, level, submitted or updated)
        for rater, candidate, competency, level, submitted, updated in rows
    ]


def calibration(
    user: Any,
    *,
    requisition_id: int | None = None,
    client_id: int | None = None,
    period: str = "month",
    competency: str | None = None,
) -> Calibration:
    """Inter-rater reliability per competency (Krippendorff's alpha, ordinal) and rater severity overall
    and per period, over the submitted scorecards of a requisition, a client, or everything the user
    sees. Raises NotFound for a requisition or client outside the user's scope."""
    u = require_user(user)
    if period not in PERIODS:
        raise ValidationFailed(f"period must be month or quarter, not {period!r}", field="period")
    if competency and competency not in frameworks.COMPETENCIES:
        raise ValidationFailed(
            f"unknown competency {competency!r}; use one of {', '.join(frameworks.COMPETENCIES)}",
            field="competency",
        )
    requisition = get_requisition(u, requisition_id) if requisition_id else None
    client = _client(u, client_id) if client_id else None
    if requisition is not None and client is not None and requisition.client_id != client.pk:
        raise ValidationFailed(
            f"requisition #{requisition.pk} belongs to {requisition.client.name}, not {client.name}",
            field="client",
        )
    ratings = calibration_ratings(u, requisition=requisition, client=client)
    if requisition is not None:
        scope, label = "requisition", f"{requisition.title} · {requisition.client.name}"
    elif client is not None:
        scope, label = "client", client.name
    else:
        scope, label = "all", ("Your clients" if is_client_scoped(u) else "All clients")
    by_slug = reliability.per_competency_reliability(ratings, level="ordinal")
    order = {slug: i for i, slug in enumerate(frameworks.COMPETENCIES)}
    results = sorted(by_slug.values(), key=lambda r: (order.get(r.competency, len(order)), r.competency))
    severity = reliability.rater_severity(ratings, competency=competency or None)
    trend = reliability.severity_over_time(
        ratings,
        period="quarter" if period == "quarter" else "month",
        competency=competency or None,
    )
    rater_ids = {int(r.rater_id) for r in ratings}
    raters = {str(p.pk): display_name(p) for p in User.objects.filter(pk__in=rater_ids)}
    scorecards = _scoped_ratings(u)
    if requisition is not None:
        scorecards = scorecards.filter(scorecard__interview__application__requisition=requisition)
    if client is not None:
        scorecards = scorecards.filter(scorecard__interview__application__requisition__client=client)
    return Calibration(
        scope=scope,
        label=label,
        requisition=requisition,
        client=client,
        period=period,
        competency=competency or None,
        ratings=ratings,
        n_scorecards=scorecards.values("scorecard_id").distinct().count(),
        n_candidates=len({str(r.candidate_id) for r in ratings}),
        per_competency=results,
        severity=severity,
        trend=trend,
        raters=raters,
        competency_names=competency_names(),
    )


def competency_names() -> dict[str, str]:
    library = frameworks.load_library()
    return {slug: library.competencies[slug].name for slug in frameworks.COMPETENCIES}


def calibration_scopes(user: Any) -> tuple[list[Client], list[Requisition]]:
    """The clients and requisitions the calibration page offers, limited to those with interviews."""
    u = require_user(user)
    with_interviews = Q(requisitions__applications__interviews__isnull=False)
    clients = Client.objects.filter(with_interviews)
    requisitions = Requisition.objects.filter(applications__interviews__isnull=False)
    if is_client_scoped(u):
        clients = clients.filter(hiring_managers=u)
        requisitions = requisitions.filter(client__hiring_managers=u)
    return (
        list(clients.distinct().order_by("name")),
        list(requisitions.select_related("client").distinct().order_by("client__name", "title")),
    )


def users_for_interviews(application: Application) -> list[User]:
    """Who may be assigned to interview on the application: active admins and recruiters, and the
    hiring managers of its client."""
    client_id = application.requisition.client_id
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(role__in=[Role.ADMIN, Role.RECRUITER])
            | Q(role=Role.HIRING_MANAGER, assigned_clients__pk=client_id)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def scorecard_ratings(scorecard: Scorecard) -> dict[str, CompetencyRating]:
    return {r.competency: r for r in scorecard.ratings.all()}
