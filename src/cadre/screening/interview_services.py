"""Structured interviews, the database side: interviews with a kit generated from the requisition's
competency framework, interviewers, scorecards (draft -> submitted, then locked), decision rule sets and
the scorecard decision.

- `create_interview` snapshots the kit (frameworks.interview_kit, seeded by the requisition so every
  candidate on a requisition gets the same questions) and the framework version on the row.
- An interviewer fills only their own scorecard: a rubric level 1-4 with an evidence note for every
  competency of the kit, and an overall recommendation. A draft keeps what is rated so far; submitting
  checks completeness and locks it. A submitted scorecard changes only through `correct_scorecard`, an
  admin's audited action with a reason.
- Decision rule sets (decisions.py) are versioned per requisition or as the default; the active one of
  the requisition wins over the default, which wins over the shipped `decisions.DEFAULT_RULES`.
- `decide_application` applies the active rules to the submitted scorecards and records a DecisionRecord
  (kind "scorecard_decision"). It never moves the application: the recruiter acts on the advice.

Who may do what: admins and recruiters create interviews, assign interviewers and edit rule sets; an
assigned interviewer (an admin, a recruiter, or a hiring manager assigned to the application's client)
fills their own scorecard; admins, recruiters and hiring managers (their clients) run the decision rules.
An application a hiring manager cannot see is NotFound before anything else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cadre.core import audit, roles
from cadre.core.exceptions import Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog, DecisionRecord, User
from cadre.core.services import require_editor, require_user
from cadre.pipeline.models import Application
from cadre.pipeline.selectors import applications_visible_to
from cadre.requisitions.models import Requisition
from cadre.requisitions.selectors import requisitions_visible_to
from cadre.screening import decisions, frameworks
from cadre.screening.models import CompetencyRating, DecisionRuleSet, Interview, Scorecard

DECISION_KIND = "scorecard_decision"
MIN_EVIDENCE_CHARS = 20
MAX_EVIDENCE_CHARS = 4000
MAX_SUMMARY_CHARS = 4000
MIN_CORRECTION_REASON_CHARS = 10
BUILTIN_RULES_NAME = "cadre-default"
MAX_RULE_SET_NAME = 120  # DecisionRuleSet.name
INTERVIEWER_ROLES = frozenset({roles.Role.ADMIN, roles.Role.RECRUITER, roles.Role.HIRING_MANAGER})
DECIDER_ROLES = frozenset({roles.Role.ADMIN, roles.Role.RECRUITER, roles.Role.HIRING_MANAGER})
ADVISORY_NOTE = "Advice for the recruiter: the decision rules never move the application by themselves."


class ScorecardInvalid(ValidationFailed):
    """A scorecard that cannot be saved or submitted; `errors` lists every problem (joined in the message)."""

    def __init__(self, errors: Sequence[str], *, field: str | None = "ratings") -> None:
        count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} with the scorecard"
        super().__init__(f"{count}: " + "; ".join(errors), field=field)
        self.errors = list(errors)


# ------------------------------------------------------------------------------------------ helpers


def _visible_application(user: User, application: Application) -> Application:
    """The application again, through the caller's scoping (NotFound for another client's)."""
    found = (
        applications_visible_to(user)
        .select_related("person", "requisition", "requisition__client")
        .filter(pk=application.pk)
        .first()
    )
    if found is None:
        raise NotFound(f"application {application.pk} not found")
    return found


def _visible_interview(user: User, interview: Interview) -> Interview:
    _visible_application(user, interview.application)
    return interview


def kit_competencies(interview: Interview) -> list[dict[str, Any]]:
    """The competencies the interview's kit scores, in interview order (from the snapshot)."""
    return [dict(c) for c in (interview.kit or {}).get("competencies", []) if isinstance(c, Mapping)]


def kit_slugs(interview: Interview) -> list[str]:
    return [str(c.get("slug")) for c in kit_competencies(interview)]


def _kit_names(interview: Interview) -> dict[str, str]:
    return {str(c.get("slug")): str(c.get("name") or c.get("slug")) for c in kit_competencies(interview)}


def interview_audit_view(interview: Interview) -> dict[str, Any]:
    """The interview as the audit log keeps it: the kit by version and digest (the row keeps the kit)."""
    data = audit.snapshot(interview)
    kit = data.pop("kit", None) or {}
    data["kit_digest"] = kit.get("digest")
    data["kit_competencies"] = [c.get("slug") for c in kit.get("competencies", [])]
    data["kit_questions"] = [q.get("id") for q in kit.get("questions", [])]
    data["interviewer_ids"] = sorted(interview.interviewers.values_list("pk", flat=True))
    return data


def scorecard_audit_view(scorecard: Scorecard) -> dict[str, Any]:
    data = audit.snapshot(scorecard)
    data["ratings"] = {
        r.competency: {"level": r.level, "evidence": r.evidence}
        for r in CompetencyRating.objects.filter(scorecard=scorecard).order_by("competency")
    }
    return data


# ------------------------------------------------------------------------------------------ frameworks


def _role_family_and_seniority(requisition: Requisition) -> tuple[str, str, list[str]]:
    """The job profile's role family, seniority and screened competencies (taxonomy slugs); the
    requisition's own fields when there is no profile."""
    profile = getattr(requisition, "profile", None)
    family = (
        profile.role_family if profile is not None and profile.role_family_id else requisition.role_family
    )
    seniority = profile.seniority if profile is not None else requisition.seniority
    wanted = [str(c) for c in (profile.competencies or [])] if profile is not None else []
    return (family.slug if family is not None else ""), seniority or "", wanted


def framework_for_requisition(requisition: Requisition) -> frameworks.Framework:
    """The competency framework for the requisition's role family and seniority, limited to the
    competencies its job profile screens on (when the profile names any the framework knows)."""
    family, seniority, wanted = _role_family_and_seniority(requisition)
    try:
        framework = frameworks.framework_for(family, seniority)
    except frameworks.FrameworkError as exc:
        raise ValidationFailed(f"no competency framework for this requisition: {exc}") from exc
    if not wanted:
        return framework
    wanted_set = {frameworks.normalise_slug(w) for w in wanted}
    kept = tuple(c for c in framework.competencies if c.definition.taxonomy_slug in wanted_set)
    if not kept or len(kept) == len(framework.competencies):
        return framework
    dropped = ", ".join(c.name for c in framework.competencies if c not in kept)
    note = f"Limited to the competencies the job profile screens on (not assessed here: {dropped})."
    return dataclasses.replace(framework, competencies=kept, notes=(*framework.notes, note))


def kit_for(requisition: Requisition, stage: str) -> frameworks.Kit:
    """The kit a new interview at `stage` gets. Seeded by the requisition: the same questions for every
    candidate on it, which is what makes their ratings comparable."""
    if stage not in frameworks.STAGES:
        labels = ", ".join(f"{value} ({label})" for value, label in Interview.Stage.choices)
        raise ValidationFailed(f"unknown interview stage {stage!r}; use one of {labels}", field="stage")
    framework = framework_for_requisition(requisition)
    try:
        return frameworks.interview_kit(framework, stage, seed=f"requisition-{requisition.pk}")
    except frameworks.FrameworkError as exc:
        raise ValidationFailed(str(exc), field="stage") from exc


# ------------------------------------------------------------------------------------------ interviews


def _interviewer_users(application: Application, user_ids: Iterable[Any]) -> list[User]:
    """Users who may interview on this application: active admins, recruiters, and hiring managers
    assigned to its client. Every problem is listed in one ValidationFailed."""
    ids: list[int] = []
    errors: list[str] = []
    for raw in user_ids:
        if isinstance(raw, User):
            ids.append(raw.pk)
            continue
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            errors.append(f"{raw!r} is not a user id")
    found = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    client_id = application.requisition.client_id
    assigned = set(
        User.objects.filter(pk__in=ids, assigned_clients__pk=client_id).values_list("pk", flat=True)
    )
    users: list[User] = []
    for pk in dict.fromkeys(ids):
        user = found.get(pk)
        if user is None:
            errors.append(f"user {pk} does not exist")
        elif not user.is_active:
            errors.append(f"{user.username} is disabled")
        elif user.role not in INTERVIEWER_ROLES:
            errors.append(f"{user.username} is a {user.role_label.lower()} and cannot interview")
        elif user.role == roles.Role.HIRING_MANAGER and pk not in assigned:
            errors.append(f"{user.username} is not a hiring manager of {application.requisition.client.name}")
        else:
            users.append(user)
    if errors:
        raise ValidationFailed("; ".join(errors), field="interviewers")
    return users


def create_interview(
    actor: Any,
    application: Application,
    *,
    stage: str,
    interviewers: Iterable[Any] = (),
    scheduled_at: Any = None,
) -> Interview:
    """A structured interview for the application at `stage`, with the kit snapshot and its framework
    version. One interview per stage and application (add interviewers to the existing one instead); at
    least one interviewer, and `update_interviewers` never removes the last one."""
    user = require_editor(actor)
    application = _visible_application(user, application)
    kit = kit_for(application.requisition, stage)
    if not kit.competencies:
        raise ValidationFailed(
            f"the {kit.role_family} framework assesses no competency at the {kit.title.lower()} stage; "
            "choose another stage",
            field="stage",
        )
    existing = Interview.objects.filter(application=application, stage=stage).first()
    if existing is not None:
        raise ValidationFailed(
            f"this application already has a {existing.get_stage_display().lower()} interview "
            f"(#{existing.pk}); add interviewers to it instead",
            field="stage",
        )
    people = _interviewer_users(application, interviewers)
    if not people:
        raise ValidationFailed(
            "choose at least one interviewer: an interview without interviewers can collect no scorecards",
            field="interviewers",
        )
    if scheduled_at is not None and timezone.is_naive(scheduled_at):
        raise ValidationFailed("scheduled_at needs a time zone", field="scheduled_at")
    data = kit.as_dict()
    data["digest"] = kit.digest
    with transaction.atomic():
        interview = Interview.objects.create(
            application=application,
            stage=stage,
            kit=data,
            framework_version=kit.version,
            scheduled_at=scheduled_at,
            created_by=user,
        )
        if people:
            interview.interviewers.add(*people)
        audit.record(AuditLog.Action.CREATE, interview, after=interview_audit_view(interview), actor=user)
    return interview


def update_interviewers(
    actor: Any, interview: Interview, *, add: Iterable[Any] = (), remove: Iterable[Any] = ()
) -> Interview:
    """Assign and unassign interviewers. Someone who has started a scorecard stays on the interview."""
    user = require_editor(actor)
    _visible_interview(user, interview)
    to_add = _interviewer_users(interview.application, add)
    remove_ids: list[int] = []
    for raw in remove:
        try:
            remove_ids.append(raw.pk if isinstance(raw, User) else int(raw))
        except (TypeError, ValueError) as exc:
            raise ValidationFailed(f"{raw!r} is not a user id", field="remove") from exc
    with transaction.atomic():
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        before = interview_audit_view(locked)
        started = set(
            Scorecard.objects.filter(interview=locked, interviewer_id__in=remove_ids).values_list(
                "interviewer__username", flat=True
            )
        )
        if started:
            raise ValidationFailed(
                f"{', '.join(sorted(started))} already started a scorecard and stays on the interview",
                field="remove",
            )
        kept = set(locked.interviewers.values_list("pk", flat=True)) - set(remove_ids)
        if not kept and not to_add:
            raise ValidationFailed(
                "an interview keeps at least one interviewer: add someone before removing the last one",
                field="remove",
            )
        if to_add:
            locked.interviewers.add(*to_add)
        if remove_ids:
            locked.interviewers.remove(*remove_ids)
        after = interview_audit_view(locked)
        if after != before:
            audit.record(AuditLog.Action.UPDATE, locked, before=before, after=after, actor=user)
    return locked


# ------------------------------------------------------------------------------------------ scorecards


def _is_interviewer(user: User, interview: Interview) -> bool:
    return interview.interviewers.filter(pk=user.pk).exists()


def _require_interviewer(user: User, interview: Interview) -> None:
    if not _is_interviewer(user, interview):
        raise Forbidden("only the interviewers assigned to this interview fill its scorecards")


def _require_own(user: User, scorecard: Scorecard) -> None:
    if scorecard.interviewer_id != user.pk:
        raise Forbidden("a scorecard is filled only by its own interviewer")


def start_scorecard(actor: Any, interview: Interview) -> Scorecard:
    """The actor's scorecard for the interview, created as an empty draft the first time."""
    user = require_user(actor)
    _visible_interview(user, interview)
    _require_interviewer(user, interview)
    with transaction.atomic():
        scorecard, created = Scorecard.objects.get_or_create(interview=interview, interviewer=user)
        if created:
            audit.record(AuditLog.Action.CREATE, scorecard, after=scorecard_audit_view(scorecard), actor=user)
    return scorecard


def _level(raw: Any) -> int | None | str:
    """A level 1-4, None when not given, or the raw text back when it is not a whole number 1-4."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return repr(raw)
    if isinstance(raw, int):
        return raw if 1 <= raw <= 4 else str(raw)
    if isinstance(raw, str) and raw.strip().isdigit():
        value = int(raw.strip())
        return value if 1 <= value <= 4 else raw.strip()
    return str(raw)


def _parse_ratings(
    interview: Interview, ratings: Iterable[Mapping[str, Any]], errors: list[str]
) -> dict[str, tuple[int | None, str]]:
    """{competency: (level or None, evidence)} for the kit's competencies; problems go to `errors`."""
    names = _kit_names(interview)
    parsed: dict[str, tuple[int | None, str]] = {}
    for i, entry in enumerate(ratings):
        if not isinstance(entry, Mapping):
            errors.append(f"rating {i + 1} must be an object with competency, level and evidence")
            continue
        slug = str(entry.get("competency") or "").strip()
        if not slug:
            errors.append(f"rating {i + 1} names no competency")
            continue
        if slug not in names:
            errors.append(
                f"{slug!r} is not a competency of this interview's kit (the kit scores {', '.join(names)})"
            )
            continue
        if slug in parsed:
            errors.append(f"{names[slug]} is rated twice")
            continue
        name = names[slug]
        evidence_raw = entry.get("evidence", "")
        if evidence_raw is None:
            evidence_raw = ""
        if not isinstance(evidence_raw, str):
            errors.append(f"{name}: evidence must be text")
            continue
        evidence = evidence_raw.strip()
        if len(evidence) > MAX_EVIDENCE_CHARS:
            errors.append(f"{name}: evidence is {len(evidence)} characters; at most {MAX_EVIDENCE_CHARS}")
            continue
        level = _level(entry.get("level"))
        if isinstance(level, str):
            errors.append(f"{name}: level must be a whole number from 1 to 4, not {level!r}")
            continue
        if level is None and evidence:
            errors.append(f"{name}: choose a level (1-4) to keep its evidence")
            continue
        parsed[slug] = (level, evidence)
    return parsed


def _recommendation(raw: Any, errors: list[str]) -> str | None:
    """The recommendation, "" when cleared, None when not given (keep the current one)."""
    if raw is None:
        return None
    value = str(raw).strip()
    if value and value not in Scorecard.Recommendation.values:
        allowed = ", ".join(Scorecard.Recommendation.values)
        errors.append(f"recommendation must be one of {allowed}, not {value!r}")
        return None
    return value


def _locked_message(scorecard: Scorecard) -> str:
    when = scorecard.submitted_at.strftime("%Y-%m-%d %H:%M UTC") if scorecard.submitted_at else "earlier"
    return (
        f"this scorecard was already submitted ({when}) and is locked; "
        "an admin can record a correction with a reason"
    )


def _apply_changes(
    scorecard: Scorecard,
    *,
    ratings: Iterable[Mapping[str, Any]] | None,
    recommendation: Any,
    summary: Any,
) -> None:
    """Validate and write a draft's changes (inside the caller's transaction); ScorecardInvalid lists
    every problem and writes nothing. `ratings`, when given, is the whole set (unlisted ones are cleared)."""
    errors: list[str] = []
    parsed = _parse_ratings(scorecard.interview, ratings, errors) if ratings is not None else None
    rec = _recommendation(recommendation, errors)
    text: str | None = None
    if summary is not None:
        if not isinstance(summary, str):
            errors.append("summary must be text")
        elif len(summary.strip()) > MAX_SUMMARY_CHARS:
            errors.append(f"summary is {len(summary.strip())} characters; at most {MAX_SUMMARY_CHARS}")
        else:
            text = summary.strip()
    if errors:
        raise ScorecardInvalid(errors)
    if parsed is not None:
        keep = {slug for slug, (level, _e) in parsed.items() if level is not None}
        CompetencyRating.objects.filter(scorecard=scorecard).exclude(competency__in=keep).delete()
        for slug, (level, evidence) in parsed.items():
            if level is None:
                continue
            CompetencyRating.objects.update_or_create(
                scorecard=scorecard, competency=slug, defaults={"level": level, "evidence": evidence}
            )
    fields = []
    if rec is not None:
        scorecard.recommendation = rec
        fields.append("recommendation")
    if text is not None:
        scorecard.summary = text
        fields.append("summary")
    scorecard.save(update_fields=[*fields, "updated_at"])


def save_scorecard(
    actor: Any,
    scorecard: Scorecard,
    *,
    ratings: Iterable[Mapping[str, Any]] | None = None,
    recommendation: Any = None,
    summary: Any = None,
) -> Scorecard:
    """Save the actor's own draft: `ratings` is a list of {competency, level, evidence} (the whole set;
    a competency without a level is left unrated), `recommendation` and `summary` when given."""
    user = require_user(actor)
    _visible_interview(user, scorecard.interview)
    _require_own(user, scorecard)
    with transaction.atomic():
        locked = Scorecard.objects.select_for_update().select_related("interview").get(pk=scorecard.pk)
        if locked.status == Scorecard.Status.SUBMITTED:
            raise ValidationFailed(_locked_message(locked), field="status")
        before = scorecard_audit_view(locked)
        _apply_changes(locked, ratings=ratings, recommendation=recommendation, summary=summary)
        after = scorecard_audit_view(locked)
        if _changed(before, after):
            audit.record(AuditLog.Action.UPDATE, locked, before=before, after=after, actor=user)
    return locked


def _changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    ignore = {"updated_at"}
    return {k: v for k, v in before.items() if k not in ignore} != {
        k: v for k, v in after.items() if k not in ignore
    }


def completeness_errors(scorecard: Scorecard) -> list[str]:
    """What stops the scorecard from being submitted: every kit competency needs a level and evidence of
    at least MIN_EVIDENCE_CHARS characters, and the scorecard an overall recommendation."""
    errors: list[str] = []
    rated = {r.competency: r for r in CompetencyRating.objects.filter(scorecard=scorecard)}
    for slug, name in _kit_names(scorecard.interview).items():
        rating = rated.get(slug)
        if rating is None:
            errors.append(f"{name}: choose a level from 1 to 4 and write the evidence for it")
        elif len(rating.evidence.strip()) < MIN_EVIDENCE_CHARS:
            errors.append(
                f"{name}: evidence is required (at least {MIN_EVIDENCE_CHARS} characters on what the "
                "candidate said or did)"
            )
    if not scorecard.recommendation:
        errors.append("choose an overall recommendation (strong no, no, yes or strong yes)")
    return errors


def submit_scorecard(
    actor: Any,
    scorecard: Scorecard,
    *,
    ratings: Iterable[Mapping[str, Any]] | None = None,
    recommendation: Any = None,
    summary: Any = None,
) -> Scorecard:
    """Apply any last changes, check completeness and lock the actor's own scorecard. A problem raises
    ScorecardInvalid listing all of them and leaves the draft as it was."""
    user = require_user(actor)
    _visible_interview(user, scorecard.interview)
    _require_own(user, scorecard)
    with transaction.atomic():
        locked = Scorecard.objects.select_for_update().select_related("interview").get(pk=scorecard.pk)
        if locked.status == Scorecard.Status.SUBMITTED:
            raise ValidationFailed(_locked_message(locked), field="status")
        if not _is_interviewer(user, locked.interview):
            raise Forbidden("you are no longer an interviewer on this interview")
        before = scorecard_audit_view(locked)
        _apply_changes(locked, ratings=ratings, recommendation=recommendation, summary=summary)
        errors = completeness_errors(locked)
        if errors:
            raise ScorecardInvalid(errors)  # leaving the atomic block undoes the changes just applied
        locked.status = Scorecard.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        audit.record(
            AuditLog.Action.UPDATE, locked, before=before, after=scorecard_audit_view(locked), actor=user
        )
    return locked


def correct_scorecard(
    actor: Any,
    scorecard: Scorecard,
    *,
    reason: str,
    ratings: Iterable[Mapping[str, Any]] = (),
    recommendation: Any = None,
) -> Scorecard:
    """An admin's correction of a submitted scorecard (e.g. a level entered against the wrong
    competency): only the ratings listed change; the reason and before/after go to the audit log."""
    user = require_user(actor)
    _visible_interview(user, scorecard.interview)
    if user.role != roles.Role.ADMIN:
        raise Forbidden("only an admin may correct a submitted scorecard")
    reason = (reason or "").strip()
    if len(reason) < MIN_CORRECTION_REASON_CHARS:
        raise ValidationFailed(
            f"say why the scorecard is corrected (at least {MIN_CORRECTION_REASON_CHARS} characters)",
            field="reason",
        )
    with transaction.atomic():
        locked = Scorecard.objects.select_for_update().select_related("interview").get(pk=scorecard.pk)
        if locked.status != Scorecard.Status.SUBMITTED:
            raise ValidationFailed(
                "only a submitted scorecard is corrected; its interviewer edits a draft", field="status"
            )
        errors: list[str] = []
        parsed = _parse_ratings(locked.interview, ratings, errors)
        rec = _recommendation(recommendation, errors)
        for slug, (level, evidence) in parsed.items():
            name = _kit_names(locked.interview)[slug]
            if level is None:
                errors.append(f"{name}: a correction needs a level from 1 to 4")
            elif len(evidence) < MIN_EVIDENCE_CHARS:
                errors.append(f"{name}: evidence is required (at least {MIN_EVIDENCE_CHARS} characters)")
        if rec == "":
            errors.append("a submitted scorecard keeps an overall recommendation")
        if not parsed and rec is None:
            errors.append("the correction changes nothing: give ratings or a recommendation")
        if errors:
            raise ScorecardInvalid(errors)
        before = scorecard_audit_view(locked)
        for slug, (level, evidence) in parsed.items():
            CompetencyRating.objects.update_or_create(
                scorecard=locked, competency=slug, defaults={"level": level, "evidence": evidence}
            )
        if rec:
            locked.recommendation = rec
        locked.save(update_fields=["recommendation", "updated_at"])
        after = scorecard_audit_view(locked) | {"correction_reason": reason}
        audit.record(AuditLog.Action.UPDATE, locked, before=before, after=after, actor=user)
    return locked


# ------------------------------------------------------------------------------------------ rule sets


@dataclasses.dataclass(frozen=True)
class ActiveRules:
    """The rules that apply to a requisition and where they come from."""

    rules: list[dict[str, Any]]
    rule_set: DecisionRuleSet | None  # None: the shipped default
    scope: str  # "requisition", "default" or "builtin"

    @property
    def label(self) -> str:
        if self.rule_set is None:
            return f"{BUILTIN_RULES_NAME} (shipped with {decisions.DECISIONS_VERSION})"
        return f"{self.rule_set.name} v{self.rule_set.version}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.rule_set.pk if self.rule_set else None,
            "name": self.rule_set.name if self.rule_set else BUILTIN_RULES_NAME,
            "version": self.rule_set.version if self.rule_set else None,
            "scope": self.scope,
            "requisition_id": self.rule_set.requisition_id if self.rule_set else None,
            "digest": decisions.parse_rules(self.rules).digest,
            "label": self.label,
        }


def active_rules(requisition: Requisition | None) -> ActiveRules:
    """The requisition's active rule set, else the active default, else decisions.DEFAULT_RULES."""
    if requisition is not None:
        own = (
            DecisionRuleSet.objects.filter(requisition=requisition, active=True)
            .order_by("-created_at", "-id")
            .first()
        )
        if own is not None:
            return ActiveRules(list(own.rules), own, "requisition")
    default = (
        DecisionRuleSet.objects.filter(requisition__isnull=True, active=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if default is not None:
        return ActiveRules(list(default.rules), default, "default")
    return ActiveRules(list(decisions.DEFAULT_RULES), None, "builtin")


def create_rule_set(
    actor: Any, *, rules: Any, requisition: Requisition | None = None, name: str = ""
) -> DecisionRuleSet:
    """A new version of the requisition's (or the default) decision rules; it becomes the active one.

    The name defaults to "requisition-<id>" or "default"; versions count per name. The rules are
    validated with decisions.parse_rules (the message names the bad entry) and stored in canonical form.
    """
    user = require_editor(actor)
    if requisition is not None and not requisitions_visible_to(user).filter(pk=requisition.pk).exists():
        raise NotFound(f"requisition {requisition.pk} not found")
    name = (name or "").strip() or (f"requisition-{requisition.pk}" if requisition is not None else "default")
    if len(name) > MAX_RULE_SET_NAME:
        raise ValidationFailed("the name is longer than 120 characters", field="name")
    try:
        parsed = decisions.parse_rules(rules)
    except decisions.RuleConfigError as exc:
        raise ValidationFailed(f"invalid decision rules: {exc}", field="rules") from exc
    with transaction.atomic():
        others = DecisionRuleSet.objects.select_for_update().filter(name=name)
        clash = others.exclude(requisition=requisition) if requisition else others.exclude(requisition=None)
        owner = clash.first()
        if owner is not None:
            where = f"requisition #{owner.requisition_id}" if owner.requisition_id else "the default rules"
            raise ValidationFailed(f"the name {name!r} is already used by {where}", field="name")
        version = int(others.aggregate(v=Max("version"))["v"] or 0) + 1
        previous = list(
            DecisionRuleSet.objects.select_for_update().filter(requisition=requisition, active=True)
        )
        for old in previous:
            before = audit.snapshot(old)
            old.active = False
            old.save(update_fields=["active"])
            audit.record(AuditLog.Action.UPDATE, old, before=before, after=audit.snapshot(old), actor=user)
        rule_set = DecisionRuleSet.objects.create(
            name=name,
            version=version,
            requisition=requisition,
            rules=parsed.as_data(),
            active=True,
            created_by=user,
        )
        audit.record(AuditLog.Action.CREATE, rule_set, after=audit.snapshot(rule_set), actor=user)
    return rule_set


def deactivate_rule_set(actor: Any, rule_set: DecisionRuleSet) -> DecisionRuleSet:
    """Stop using a rule set: the requisition falls back to the default, the default to the shipped one."""
    user = require_editor(actor)
    if (
        rule_set.requisition_id is not None
        and not requisitions_visible_to(user).filter(pk=rule_set.requisition_id).exists()
    ):
        raise NotFound(f"decision rule set {rule_set.pk} not found")
    with transaction.atomic():
        locked = DecisionRuleSet.objects.select_for_update().get(pk=rule_set.pk)
        if locked.active:
            before = audit.snapshot(locked)
            locked.active = False
            locked.save(update_fields=["active"])
            audit.record(
                AuditLog.Action.UPDATE, locked, before=before, after=audit.snapshot(locked), actor=user
            )
    return locked


# ------------------------------------------------------------------------------------------ decisions


@dataclasses.dataclass(frozen=True)
class DecisionInputs:
    """Everything `decisions.decide` reads for one application, from the database."""

    scorecards: list[decisions.Scorecard]
    scorecard_ids: list[int]
    required: list[str]
    must_have: list[str]
    weights: dict[str, float]
    active: ActiveRules


def decision_inputs(application: Application) -> DecisionInputs:
    """The submitted scorecards and the competencies the interviews' kits assess (must-haves and weights
    from the kit snapshots, so a later framework version does not change an earlier decision)."""
    interviews = list(Interview.objects.filter(application=application).order_by("created_at", "id"))
    required: set[str] = set()
    must_have: set[str] = set()
    weights: dict[str, float] = {}
    for interview in interviews:
        for comp in kit_competencies(interview):
            slug = str(comp.get("slug"))
            required.add(slug)
            if comp.get("must_have"):
                must_have.add(slug)
            weight = comp.get("weight")
            if isinstance(weight, int | float) and not isinstance(weight, bool):
                weights[slug] = float(weight)
    cards = list(
        Scorecard.objects.filter(interview__application=application, status=Scorecard.Status.SUBMITTED)
        .select_related("interview")
        .prefetch_related("ratings")
        .order_by("id")
    )
    inputs = [
        decisions.Scorecard(
            interviewer_id=card.interviewer_id,
            recommendation=card.recommendation,
            ratings={r.competency: r.level for r in card.ratings.all()},
            stage=card.interview.stage,
        )
        for card in cards
    ]
    return DecisionInputs(
        scorecards=inputs,
        scorecard_ids=[c.pk for c in cards],
        required=sorted(required),
        must_have=sorted(must_have),
        weights=dict(sorted(weights.items())),
        active=active_rules(application.requisition),
    )


def evaluate(inputs: DecisionInputs) -> decisions.Decision:
    try:
        return decisions.decide(
            inputs.scorecards,
            inputs.active.rules,
            required=inputs.required,
            must_have=inputs.must_have,
            weights=inputs.weights,
        )
    except (decisions.RuleConfigError, decisions.ScorecardError) as exc:
        raise ValidationFailed(f"the decision rules cannot be applied: {exc}", field="rules") from exc


def require_decider(actor: Any) -> User:
    user = require_user(actor)
    if user.role not in DECIDER_ROLES:
        raise Forbidden(f"a {user.role_label.lower()} may not run the scorecard decision rules")
    return user


def pending_interviews(user: User, application: Application) -> list[Interview]:
    """The user's interviews on the application whose scorecard they have not submitted (while there
    are any, the blind rule hides the other scorecards and the decision drawn from them)."""
    submitted = Scorecard.objects.filter(interviewer=user, status=Scorecard.Status.SUBMITTED)
    return list(
        Interview.objects.filter(application=application, interviewers=user).exclude(
            pk__in=submitted.values("interview_id")
        )
    )


def decide_application(actor: Any, application: Application) -> DecisionRecord:
    """Apply the active decision rules to the application's submitted scorecards and record the outcome
    (advance / reject / hold, with the rule that decided and the facts behind every rule tried) as a
    DecisionRecord. The application's stage is not touched."""
    user = require_user(actor)
    application = _visible_application(user, application)
    require_decider(user)
    if pending_interviews(user, application):
        raise Forbidden("submit your own scorecard first: the decision stays hidden until you have")
    with transaction.atomic():
        inputs = decision_inputs(application)
        if not inputs.scorecards:
            raise ValidationFailed("no submitted scorecards to decide on yet", field="scorecards")
        decision = evaluate(inputs)
        explanation = {
            **decision.as_dict(),
            "rule_set": inputs.active.as_dict(),
            "scorecard_ids": inputs.scorecard_ids,
            "required": inputs.required,
            "must_have": inputs.must_have,
            "weights": inputs.weights,
            "stage_at_decision": application.stage,
            "note": ADVISORY_NOTE,
        }
        record = DecisionRecord.objects.create(
            kind=DECISION_KIND,
            version=decision.version,
            subject_type=application._meta.label_lower,
            subject_id=str(application.pk),
            person_id=application.person_id,
            inputs_digest=decision.inputs_digest,
            score=None,
            explanation=explanation,
            actor=user,
        )
        audit.record(
            AuditLog.Action.CREATE,
            record,
            after={
                "kind": DECISION_KIND,
                "application_id": application.pk,
                "outcome": decision.outcome,
                "decided_by": decision.decided_by,
                "inputs_digest": decision.inputs_digest,
                "rule_set": inputs.active.as_dict(),
                "scorecard_ids": inputs.scorecard_ids,
            },
            actor=user,
        )
    return record
