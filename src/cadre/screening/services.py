"""Writes on screening: the question bank (every edit a new version), assessments assembled from a job
profile, invitations (signed links), rubric grading and the recruiter's decision on a sitting.

Candidate-side writes (answers, uploads, the final submission) are in `portal.py`; automated grading and
the sitting score in `grading_services.py`. Permission checks live here: admins and recruiters edit the
bank, build assessments, invite and decide; they and hiring managers (on their own clients) grade rubric
answers; compliance officers read. Hidden material (`hidden_key`, `hidden_data`) never enters an audit
snapshot: `question_audit_view` keeps only digests of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import string
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from cadre.core import audit, roles
from cadre.core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog, User
from cadre.core.services import require_editor, require_user
from cadre.pipeline.models import Application
from cadre.pipeline.services import move_application
from cadre.pipeline.stages import ACTIVE_STAGES, Stage
from cadre.requisitions.models import Requisition
from cadre.screening import assembly, frameworks, scoring
from cadre.screening.models import (
    Assessment,
    AssessmentItem,
    Competency,
    Question,
    Sitting,
    Submission,
)

DEFAULT_PASS_THRESHOLD = Decimal("0.6000")
DEFAULT_VALID_DAYS = 7
MAX_VALID_DAYS = 60
MAX_CHOICES = 8
RUBRIC_LEVELS = ("1", "2", "3", "4")
TEXT_KINDS = (Question.Kind.MULTIPLE_CHOICE, Question.Kind.SHORT_ANSWER, Question.Kind.TAKE_HOME)
RUBRIC_KINDS = (Question.Kind.SHORT_ANSWER, Question.Kind.TAKE_HOME, Question.Kind.CODING_TASK)
DECISION_STAGES = (Stage.SUBMITTED, Stage.REJECTED)
COMPETENCY_NAMES = dict(Competency.choices)


# ------------------------------------------------------------------------------------------ audit views


def _digest(data: Any) -> str | None:
    if data is None:
        return None
    if not isinstance(data, bytes | bytearray | memoryview):
        data = json.dumps(data, sort_keys=True).encode()
    return hashlib.sha256(bytes(data)).hexdigest()


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def _snapshot(instance: Any, exclude: set[str]) -> dict[str, Any]:
    """`audit.snapshot` without the excluded fields, which are never read (a deferred upload stays
    deferred, so saving the row afterwards does not rewrite its bytes)."""
    return {
        f.attname: _json(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.name not in exclude and f.attname not in exclude
    }


def question_audit_view(question: Question) -> dict[str, Any]:
    """The question as the audit log keeps it: hidden material and file bytes only as sha256 digests."""
    data = _snapshot(question, {"hidden_key", "hidden_data", "public_data"})
    data["hidden_key_sha256"] = _digest(question.hidden_key) if question.hidden_key else None
    data["hidden_data_sha256"] = _digest(question.hidden_data)
    data["public_data_sha256"] = _digest(question.public_data)
    return data


def submission_audit_view(submission: Submission) -> dict[str, Any]:
    """A submission without its upload's bytes (kept on the row, named here by size and sha256)."""
    return _snapshot(submission, {"upload"})


def sitting_audit_view(sitting: Sitting) -> dict[str, Any]:
    """A sitting without its nonce (half of what the candidate's link carries)."""
    data = _snapshot(sitting, {"nonce"})
    data["nonce_sha256"] = _digest(sitting.nonce.encode())
    return data


# ------------------------------------------------------------------------------------------ permissions


def require_grader(user: Any) -> User:
    """Who may grade rubric answers: admins, recruiters and hiring managers (scoping is the caller's)."""
    u = require_user(user)
    if u.role not in (roles.Role.ADMIN, roles.Role.RECRUITER, roles.Role.HIRING_MANAGER):
        raise Forbidden(f"a {u.role_label.lower()} may not grade answers")
    return u


# -------------------------------------------------------------------------------------------- questions


def _latest(question: Question) -> Question:
    latest = Question.objects.filter(slug=question.slug).order_by("-version").first()
    assert latest is not None
    return latest


def _clean_text(value: Any, field: str, *, max_length: int | None = None) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationFailed(f"{field.replace('_', ' ')} is required", field=field)
    if max_length is not None and len(text) > max_length:
        raise ValidationFailed(
            f"{field.replace('_', ' ')} is longer than {max_length} characters", field=field
        )
    return text


def _clean_difficulty(value: Any) -> int:
    try:
        difficulty = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("difficulty must be 1, 2, 3 or 4", field="difficulty") from exc
    if not 1 <= difficulty <= 4:
        raise ValidationFailed("difficulty must be 1, 2, 3 or 4", field="difficulty")
    return difficulty


def _clean_choices(choices: Any, correct: Any) -> tuple[list[dict[str, str]], list[str]]:
    if not isinstance(choices, list | tuple):
        raise ValidationFailed("choices must be a list of texts", field="choices")
    texts = [str(c).strip() for c in choices if str(c).strip()]
    if not 2 <= len(texts) <= MAX_CHOICES:
        raise ValidationFailed(f"give 2 to {MAX_CHOICES} non-empty choices", field="choices")
    if len(set(texts)) != len(texts):
        raise ValidationFailed("two choices have the same text", field="choices")
    spec = [{"id": string.ascii_lowercase[i], "text": t} for i, t in enumerate(texts)]
    key = str(correct or "").strip().lower()
    if key not in {c["id"] for c in spec}:
        raise ValidationFailed(
            f"say which choice is correct: one of {', '.join(c['id'] for c in spec)}", field="correct"
        )
    return spec, [key]


def _clean_rubric(rubric: Any) -> dict[str, str]:
    if not isinstance(rubric, dict):
        raise ValidationFailed("the rubric needs a description for each level 1 to 4", field="rubric")
    levels = {str(k): str(v or "").strip() for k, v in rubric.items()}
    if set(levels) != set(RUBRIC_LEVELS) or not all(levels.values()):
        raise ValidationFailed("the rubric needs a description for each level 1 to 4", field="rubric")
    return {k: levels[k] for k in RUBRIC_LEVELS}


def _clean_role_families(value: Any) -> list[str]:
    from cadre.taxonomy.models import RoleFamily

    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple):
        raise ValidationFailed("role families must be a list of slugs", field="role_families")
    slugs = sorted({str(v).strip() for v in value if str(v).strip()})
    known = set(RoleFamily.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise ValidationFailed(f"unknown role families: {', '.join(unknown)}", field="role_families")
    return slugs


def _apply_changes(question: Question, changes: dict[str, Any]) -> None:
    """Validate `changes` for the question's kind and set them on the (unsaved) row."""
    allowed = {"title", "prompt", "difficulty", "role_families", "competency"}
    if question.kind == Question.Kind.MULTIPLE_CHOICE:
        allowed |= {"choices", "correct"}
    if question.kind in RUBRIC_KINDS:
        allowed |= {"rubric"}
    if question.kind in (Question.Kind.SHORT_ANSWER, Question.Kind.TAKE_HOME):
        allowed |= {"max_chars"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationFailed(
            f"{', '.join(unknown)} cannot be edited on a {question.get_kind_display().lower()} question",
            field=unknown[0],
        )
    spec = dict(question.spec)
    if "title" in changes:
        question.title = _clean_text(changes["title"], "title", max_length=200)
    if "prompt" in changes:
        question.prompt = _clean_text(changes["prompt"], "prompt", max_length=20_000)
    if "difficulty" in changes:
        question.difficulty = _clean_difficulty(changes["difficulty"])
    if "competency" in changes:
        if changes["competency"] not in COMPETENCY_NAMES:
            raise ValidationFailed("unknown competency", field="competency")
        question.competency = changes["competency"]
    if "role_families" in changes:
        question.role_families = _clean_role_families(changes["role_families"])
    if "choices" in changes or "correct" in changes:
        choices = changes.get("choices", [c["text"] for c in spec.get("choices", [])])
        spec["choices"], correct = _clean_choices(choices, changes.get("correct"))
        question.hidden_key = {"correct": correct}
    if "rubric" in changes:
        spec["rubric"] = _clean_rubric(changes["rubric"])
    if "max_chars" in changes:
        try:
            max_chars = int(changes["max_chars"])
        except (TypeError, ValueError) as exc:
            raise ValidationFailed("max characters must be a whole number", field="max_chars") from exc
        if not 100 <= max_chars <= 100_000:
            raise ValidationFailed("max characters must be between 100 and 100,000", field="max_chars")
        spec["max_chars"] = max_chars
    question.spec = spec


def create_question(actor: Any, *, kind: str, slug: str = "", **fields: Any) -> Question:
    """A new multiple-choice, short-answer or take-home question (version 1). ML and coding tasks carry
    generated data and hidden tests, so they come from the bank's code, not a form."""
    user = require_editor(actor)
    if kind not in TEXT_KINDS:
        raise ValidationFailed(
            "only multiple-choice, short-answer and take-home questions can be written here", field="kind"
        )
    title = _clean_text(fields.get("title"), "title", max_length=200)
    slug = slugify(slug or title)[:80]
    if not slug:
        raise ValidationFailed("give a slug made of letters, digits and hyphens", field="slug")
    if Question.objects.filter(slug=slug).exists():
        raise Conflict(f"a question with the slug {slug!r} exists; edit it to make a new version")
    question = Question(slug=slug, kind=kind, created_by=user, title=title, difficulty=2)
    required = {
        "prompt": "write the prompt the candidate reads",
        "competency": "choose a competency",
        **(
            {"choices": f"give 2 to {MAX_CHOICES} choices"}
            if kind == Question.Kind.MULTIPLE_CHOICE
            else {"rubric": "describe each rubric level 1 to 4"}
        ),
    }
    missing = [k for k in required if fields.get(k) in (None, "", [], {})]
    if missing:
        raise ValidationFailed("; ".join(required[k] for k in missing), field=missing[0])
    question.spec = {"minutes": 2 if kind == "multiple_choice" else 15}
    if kind != Question.Kind.MULTIPLE_CHOICE:
        question.spec["max_chars"] = 4000
    if kind == Question.Kind.TAKE_HOME:
        question.spec.update(
            {"accepts": [".md", ".txt", ".pdf"], "max_bytes": 10 * 1024 * 1024, "minutes": 240}
        )
    _apply_changes(question, {k: v for k, v in fields.items() if v is not None})
    with transaction.atomic():
        question.save(force_insert=True)
        audit.record(AuditLog.Action.CREATE, question, after=question_audit_view(question), actor=user)
    return question


def edit_question(
    actor: Any, question: Question, *, changes: dict[str, Any], expected_version: int | None = None
) -> Question:
    """Write a new version of `question` with `changes`; the old version stays (assessments pin it).

    `expected_version` is the version the editor read: editing anything but the latest version is a
    Conflict, so two editors cannot both branch from version 3.
    """
    user = require_editor(actor)
    latest = _latest(question)
    if latest.pk != question.pk or (expected_version is not None and expected_version != latest.version):
        raise Conflict(
            f"{question.slug} is at version {latest.version}; you edited version "
            f"{expected_version or question.version} — reload and try again"
        )
    new = Question(
        slug=latest.slug,
        version=latest.version + 1,
        kind=latest.kind,
        competency=latest.competency,
        difficulty=latest.difficulty,
        title=latest.title,
        prompt=latest.prompt,
        role_families=list(latest.role_families),
        spec=json.loads(json.dumps(latest.spec)),
        public_data=latest.public_data,
        public_filename=latest.public_filename,
        hidden_key=json.loads(json.dumps(latest.hidden_key)),
        hidden_data=latest.hidden_data,
        status=latest.status,
        created_by=user,
    )
    _apply_changes(new, changes)
    same = (
        new.title == latest.title
        and new.prompt == latest.prompt
        and new.difficulty == latest.difficulty
        and new.competency == latest.competency
        and new.role_families == latest.role_families
        and new.spec == latest.spec
        and new.hidden_key == latest.hidden_key
    )
    if same:
        raise ValidationFailed("nothing changed")
    try:
        with transaction.atomic():
            new.save(force_insert=True)
            audit.record(
                AuditLog.Action.CREATE,
                new,
                before=question_audit_view(latest),
                after=question_audit_view(new),
                actor=user,
            )
    except IntegrityError as exc:
        raise Conflict(f"someone else just saved a new version of {question.slug}; reload") from exc
    return new


def set_question_status(actor: Any, question: Question, *, status: str) -> Question:
    """Retire (or bring back) the latest version: retired questions are not picked for new assessments;
    assessments that already use them keep them."""
    user = require_editor(actor)
    if status not in Question.Status.values:
        raise ValidationFailed(f"status must be one of {', '.join(Question.Status.values)}", field="status")
    latest = _latest(question)
    if latest.status == status:
        return latest
    before = question_audit_view(latest)
    with transaction.atomic():
        latest.status = status
        latest.save(update_fields=["status"])
        audit.record(
            AuditLog.Action.UPDATE, latest, before=before, after=question_audit_view(latest), actor=user
        )
    return latest


# ------------------------------------------------------------------------------------------ assessments


def framework_competencies(role_family: str, seniority: str) -> tuple[str, list[tuple[str, float]], int]:
    """(framework version, [(competency, weight)], question difficulty) for the family and seniority."""
    try:
        framework = frameworks.framework_for(role_family, seniority)
    except frameworks.FrameworkError as exc:
        raise ValidationFailed(exc.message, field="seniority") from exc
    weights = [(c.slug, float(c.weight)) for c in framework.competencies]
    return framework.version, weights, framework.question_difficulty


def _profile_competencies(requisition: Requisition) -> tuple[str, str, list[str]]:
    profile = getattr(requisition, "profile", None)
    family = (
        profile.role_family if profile is not None and profile.role_family_id else requisition.role_family
    )
    seniority = profile.seniority if profile is not None else requisition.seniority
    wanted = [str(c).replace("-", "_") for c in (profile.competencies if profile is not None else [])]
    return (family.slug if family else ""), seniority, [c for c in wanted if c in COMPETENCY_NAMES]


def _candidates() -> list[assembly.Candidate]:
    """The latest version of every active question, as the assembler sees it."""
    seen: set[str] = set()
    out: list[assembly.Candidate] = []
    rows = Question.objects.order_by("slug", "-version").values_list(
        "id", "slug", "kind", "competency", "difficulty", "role_families", "status"
    )
    for pk, slug, kind, competency, difficulty, families, status in rows:
        if slug in seen:
            continue
        seen.add(slug)
        if status == Question.Status.ACTIVE:  # a retired latest version retires the slug
            out.append(assembly.Candidate(pk, slug, kind, competency, difficulty, tuple(families or ())))
    return out


def _next_version(requisition: Requisition | None, title: str) -> int:
    qs = (
        Assessment.objects.filter(requisition=requisition)
        if requisition
        else Assessment.objects.filter(requisition__isnull=True, title=title)
    )
    return int(qs.aggregate(v=Max("version"))["v"] or 0) + 1


def assessment_audit_view(assessment: Assessment) -> dict[str, Any]:
    data = audit.snapshot(assessment)
    data["items"] = [
        {"position": i.position, "question_id": i.question_id, "weight": str(i.weight)}
        for i in assessment.items.order_by("position")
    ]
    return data


def assembly_seed(requisition: Requisition) -> str:
    """The tie-break seed of a requisition's assessment: the one its interview kits use."""
    return f"requisition-{requisition.pk}"


def assemble_assessment(actor: Any, requisition: Requisition, *, title: str = "") -> Assessment:
    """A draft assessment for the requisition, from its job profile's competencies and the framework's
    weights (see `assembly` for how questions are picked). The same bank and profile give the same
    items."""
    user = require_editor(actor)
    family, seniority, wanted = _profile_competencies(requisition)
    if not family:
        raise ValidationFailed("the requisition has no role family: complete its job profile first")
    version, weights, difficulty = framework_competencies(family, seniority)
    chosen = [(c, w) for c, w in weights if c in wanted] or weights
    picks = assembly.select_items(
        _candidates(),
        chosen,
        difficulty=difficulty,
        role_family=family,
        seed=assembly_seed(requisition),
    )
    if not picks:
        raise ValidationFailed(
            "the question bank has no active question for these competencies; load it first"
        )
    used = {p.competency for p in picks}
    competencies = [
        {"competency": c, "name": COMPETENCY_NAMES.get(c, c), "weight": round(w, 4)}
        for c, w in chosen
        if c in used
    ]
    title = _clean_text(title or f"{requisition.title} — technical screen", "title", max_length=200)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            title=title,
            requisition=requisition,
            role_family=family,
            competencies=competencies,
            framework_version=version,
            version=_next_version(requisition, title),
            status=Assessment.Status.DRAFT,
            pass_threshold=DEFAULT_PASS_THRESHOLD,
            created_by=user,
        )
        AssessmentItem.objects.bulk_create(
            AssessmentItem(
                assessment=assessment, question_id=p.question_id, position=i, weight=Decimal(p.weight)
            )
            for i, p in enumerate(picks, start=1)
        )
        after = assessment_audit_view(assessment)
        after["assembly"] = {
            "version": assembly.ASSEMBLY_VERSION,
            "seniority": seniority,
            "difficulty": difficulty,
            "seed": assembly_seed(requisition),
            "profile_competencies": wanted,
        }
        audit.record(AuditLog.Action.CREATE, assessment, after=after, actor=user)
    return assessment


def _require_draft(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.DRAFT:
        raise Conflict(
            f"assessment v{assessment.version} is {assessment.get_status_display().lower()} and frozen; "
            "make a new version to change it"
        )


def _clean_threshold(value: Any) -> Decimal:
    try:
        threshold = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed("the pass threshold is a number from 0 to 1", field="pass_threshold") from exc
    if not threshold.is_finite() or not Decimal(0) <= threshold <= Decimal(1):
        raise ValidationFailed("the pass threshold is a number from 0 to 1", field="pass_threshold")
    return threshold.quantize(Decimal("0.0001"))


def update_assessment(
    actor: Any,
    assessment: Assessment,
    *,
    title: str | None = None,
    time_limit_minutes: int | None | str = "",
    pass_threshold: Any = None,
    weights: dict[str, Any] | None = None,
) -> Assessment:
    """Change a draft's title, time limit (None: untimed), pass threshold or competency weights."""
    user = require_editor(actor)
    _require_draft(assessment)
    before = assessment_audit_view(assessment)
    if title is not None:
        assessment.title = _clean_text(title, "title", max_length=200)
    if time_limit_minutes != "":
        if time_limit_minutes is not None:
            try:
                minutes = int(time_limit_minutes)
            except (TypeError, ValueError) as exc:
                raise ValidationFailed(
                    "the time limit is a whole number of minutes", field="time_limit"
                ) from exc
            if not 5 <= minutes <= 7 * 24 * 60:
                raise ValidationFailed("the time limit is 5 minutes to 7 days", field="time_limit")
            assessment.time_limit_minutes = minutes
        else:
            assessment.time_limit_minutes = None
    if pass_threshold is not None:
        assessment.pass_threshold = _clean_threshold(pass_threshold)
    if weights:
        rows = []
        for row in assessment.competencies:
            raw = weights.get(row["competency"], row["weight"])
            try:
                weight = float(raw)
            except (TypeError, ValueError) as exc:
                raise ValidationFailed(
                    f"the weight of {row['name']} is not a number", field="weights"
                ) from exc
            if not 0 <= weight <= 100:
                raise ValidationFailed(f"the weight of {row['name']} must be 0 to 100", field="weights")
            rows.append({**row, "weight": round(weight, 4)})
        if sum(r["weight"] for r in rows) <= 0:
            raise ValidationFailed("at least one competency needs a positive weight", field="weights")
        assessment.competencies = rows
    with transaction.atomic():
        assessment.save()
        _audit_update(assessment, before, user)
    return assessment


def add_item(actor: Any, assessment: Assessment, question: Question, *, weight: Any = None) -> AssessmentItem:
    user = require_editor(actor)
    _require_draft(assessment)
    if question.status != Question.Status.ACTIVE or _latest(question).pk != question.pk:
        raise ValidationFailed("add the latest active version of a question", field="question_id")
    if assessment.items.filter(question=question).exists():
        raise Conflict(f"{question.slug} is already in this assessment")
    try:
        item_weight = (
            Decimal(str(weight))
            if weight not in (None, "")
            else Decimal(assembly.KIND_WEIGHTS.get(question.kind, 1))
        )
    except InvalidOperation as exc:
        raise ValidationFailed("the weight is a number", field="weight") from exc
    if not Decimal(0) < item_weight <= Decimal(100):
        raise ValidationFailed("the weight must be above 0 and at most 100", field="weight")
    before = assessment_audit_view(assessment)
    with transaction.atomic():
        position = int(assessment.items.aggregate(p=Max("position"))["p"] or 0) + 1
        item = AssessmentItem.objects.create(
            assessment=assessment, question=question, position=position, weight=item_weight
        )
        if question.competency not in {c["competency"] for c in assessment.competencies}:
            assessment.competencies = [
                *assessment.competencies,
                {
                    "competency": question.competency,
                    "name": COMPETENCY_NAMES[question.competency],
                    "weight": 1.0,
                },
            ]
            assessment.save(update_fields=["competencies"])
        _audit_update(assessment, before, user)
    return item


def _audit_update(assessment: Assessment, before: dict[str, Any], user: Any) -> None:
    audit.record(
        AuditLog.Action.UPDATE, assessment, before=before, after=assessment_audit_view(assessment), actor=user
    )


def remove_item(actor: Any, item: AssessmentItem) -> None:
    user = require_editor(actor)
    assessment = item.assessment
    _require_draft(assessment)
    before = assessment_audit_view(assessment)
    with transaction.atomic():
        item.delete()
        used = set(assessment.items.values_list("question__competency", flat=True))
        assessment.competencies = [c for c in assessment.competencies if c["competency"] in used]
        assessment.save(update_fields=["competencies"])
        _audit_update(assessment, before, user)


def publish_assessment(actor: Any, assessment: Assessment) -> Assessment:
    """Freeze a draft so candidates can be invited to it."""
    user = require_editor(actor)
    _require_draft(assessment)
    if not assessment.items.exists():
        raise ValidationFailed("an assessment needs at least one question before it is published")
    if assessment.pass_threshold is None:
        raise ValidationFailed("set a pass threshold before publishing", field="pass_threshold")
    before = assessment_audit_view(assessment)
    with transaction.atomic():
        assessment.status = Assessment.Status.PUBLISHED
        assessment.published_at = timezone.now()
        assessment.save(update_fields=["status", "published_at"])
        _audit_update(assessment, before, user)
    return assessment


def archive_assessment(actor: Any, assessment: Assessment) -> Assessment:
    """No new invitations; existing sittings carry on."""
    user = require_editor(actor)
    if assessment.status == Assessment.Status.ARCHIVED:
        return assessment
    before = assessment_audit_view(assessment)
    with transaction.atomic():
        assessment.status = Assessment.Status.ARCHIVED
        assessment.save(update_fields=["status"])
        _audit_update(assessment, before, user)
    return assessment


def new_assessment_version(actor: Any, assessment: Assessment) -> Assessment:
    """A draft copy (next version number) of a published or archived assessment, to change it."""
    user = require_editor(actor)
    with transaction.atomic():
        copy = Assessment.objects.create(
            title=assessment.title,
            requisition=assessment.requisition,
            role_family=assessment.role_family,
            competencies=json.loads(json.dumps(assessment.competencies)),
            framework_version=assessment.framework_version,
            version=_next_version(assessment.requisition, assessment.title),
            status=Assessment.Status.DRAFT,
            time_limit_minutes=assessment.time_limit_minutes,
            pass_threshold=assessment.pass_threshold,
            created_by=user,
        )
        AssessmentItem.objects.bulk_create(
            AssessmentItem(assessment=copy, question_id=i.question_id, position=i.position, weight=i.weight)
            for i in assessment.items.order_by("position")
        )
        after = assessment_audit_view(copy)
        after["copied_from"] = assessment.pk
        audit.record(AuditLog.Action.CREATE, copy, after=after, actor=user)
    return copy


# --------------------------------------------------------------------------------------------- sittings


def sitting_path(sitting: Sitting) -> str:
    """The candidate's link (path only; faces add the scheme and host)."""
    from cadre.screening.sitting_rules import portal_path

    return portal_path(sitting)


def invite(
    actor: Any, application: Application, assessment: Assessment, *, valid_days: int = DEFAULT_VALID_DAYS
) -> tuple[Sitting, str]:
    """Invite the application's candidate to a published assessment: a Sitting with a fresh nonce and
    an expiry; returns it and the signed link's path. One live sitting per application and assessment."""
    user = require_editor(actor)
    if assessment.status != Assessment.Status.PUBLISHED:
        raise Conflict("only a published assessment can be sent to candidates")
    if assessment.requisition_id is not None and assessment.requisition_id != application.requisition_id:
        raise ValidationFailed(
            f"this assessment is for requisition #{assessment.requisition_id}, the application is for "
            f"#{application.requisition_id}",
            field="assessment_id",
        )
    if application.stage not in ACTIVE_STAGES:
        raise Conflict(f"the application is closed ({Stage(application.stage).label})")
    if (
        isinstance(valid_days, bool)
        or not isinstance(valid_days, int)
        or not 1 <= valid_days <= MAX_VALID_DAYS
    ):
        raise ValidationFailed(f"the link is valid for 1 to {MAX_VALID_DAYS} days", field="valid_days")
    now = timezone.now()
    try:
        with transaction.atomic():
            sitting = Sitting.objects.create(
                application=application,
                assessment=assessment,
                nonce=secrets.token_urlsafe(24),
                invited_by=user,
                invited_at=now,
                expires_at=now + dt.timedelta(days=valid_days),
            )
            audit.record(AuditLog.Action.CREATE, sitting, after=sitting_audit_view(sitting), actor=user)
    except IntegrityError as exc:
        raise Conflict("this candidate already has a live sitting of this assessment") from exc
    return sitting, sitting_path(sitting)


def cancel_sitting(actor: Any, sitting: Sitting) -> Sitting:
    """Withdraw an invitation: the link stops working. A submitted or graded sitting stays."""
    user = require_editor(actor)
    if sitting.status not in (Sitting.Status.INVITED, Sitting.Status.STARTED, Sitting.Status.EXPIRED):
        raise Conflict(f"a {sitting.get_status_display().lower()} sitting cannot be cancelled")
    before = sitting_audit_view(sitting)
    with transaction.atomic():
        sitting.status = Sitting.Status.CANCELLED
        sitting.save(update_fields=["status"])
        audit.record(
            AuditLog.Action.UPDATE, sitting, before=before, after=sitting_audit_view(sitting), actor=user
        )
    return sitting


def extend_sitting(actor: Any, sitting: Sitting, *, days: int) -> Sitting:
    """Give the candidate more time (the same link keeps working)."""
    user = require_editor(actor)
    if sitting.status not in (Sitting.Status.INVITED, Sitting.Status.STARTED, Sitting.Status.EXPIRED):
        raise Conflict(f"a {sitting.get_status_display().lower()} sitting cannot be extended")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_VALID_DAYS:
        raise ValidationFailed(f"extend by 1 to {MAX_VALID_DAYS} days", field="days")
    before = sitting_audit_view(sitting)
    with transaction.atomic():
        sitting.expires_at = max(sitting.expires_at, timezone.now()) + dt.timedelta(days=days)
        if sitting.status == Sitting.Status.EXPIRED:
            sitting.status = Sitting.Status.STARTED if sitting.started_at else Sitting.Status.INVITED
        sitting.save(update_fields=["expires_at", "status"])
        audit.record(
            AuditLog.Action.UPDATE, sitting, before=before, after=sitting_audit_view(sitting), actor=user
        )
    return sitting


def grade_rubric(actor: Any, submission: Submission, *, level: Any, note: str = "") -> Submission:
    """A person's rubric grade (level 1-4 and a note) for a short answer, take-home, or a coding task the
    sandbox could not run. Re-grading is allowed until the recruiter decides on the sitting."""
    from cadre.screening.grading_services import finalize_sitting

    user = require_grader(actor)
    sitting = submission.sitting
    question = submission.item.question
    if "rubric" not in question.spec:
        raise ValidationFailed("this answer is graded automatically, not by rubric")
    if submission.status not in (Submission.Status.NEEDS_REVIEW, Submission.Status.GRADED) or (
        submission.status == Submission.Status.GRADED and submission.graded_by_id is None
    ):
        raise Conflict("only answers awaiting rubric grading (or graded by a person) can be graded here")
    if sitting.result.get("decision"):
        raise Conflict("the recruiter has already decided on this sitting; its grades are final")
    try:
        level_value = int(level)
        points = scoring.level_points(level_value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("choose a rubric level from 1 to 4", field="level") from exc
    note = str(note or "").strip()
    if len(note) > 4000:
        raise ValidationFailed("the note is longer than 4,000 characters", field="note")
    before = submission_audit_view(submission)
    with transaction.atomic():
        submission.level = level_value
        submission.score = scoring.quantize(points)
        submission.status = Submission.Status.GRADED
        submission.graded_by = user
        submission.graded_at = timezone.now()
        submission.grader_version = f"rubric:{question.slug}@v{question.version}"
        submission.result = {
            "points": points,
            "level": level_value,
            "anchor": question.spec["rubric"].get(str(level_value), ""),
            "note": note,
            "graded_by": user.get_full_name() or user.username,
        }
        submission.save()
        audit.record(
            AuditLog.Action.UPDATE,
            submission,
            before=before,
            after=submission_audit_view(submission),
            actor=user,
        )
        finalize_sitting(Sitting.objects.select_for_update().get(pk=sitting.pk), reviewer=user)
    submission.refresh_from_db()
    return submission


def decide_sitting(actor: Any, sitting: Sitting, *, to_stage: str, reason: str = "") -> Sitting:
    """The recruiter's explicit decision on a graded sitting: move the application out of screening to
    submitted or rejected. Going against the outcome (rejecting a pass, advancing a fail) needs a reason.
    Grading never moves an application by itself."""
    user = require_editor(actor)
    if sitting.status != Sitting.Status.GRADED:
        raise Conflict("the sitting is not fully graded yet")
    if sitting.result.get("decision"):
        raise Conflict("a decision on this sitting has already been recorded")
    try:
        target = Stage(to_stage)
    except ValueError as exc:
        raise ValidationFailed("decide submitted or rejected", field="to_stage") from exc
    if target not in DECISION_STAGES:
        raise ValidationFailed("decide submitted or rejected", field="to_stage")
    application = sitting.application
    if application.stage != Stage.SCREENING:
        raise Conflict(f"the application is at {Stage(application.stage).label}, not Screening")
    outcome = scoring.outcome(sitting.score, sitting.assessment.pass_threshold)
    against = (outcome == "pass" and target == Stage.REJECTED) or (
        outcome == "fail" and target == Stage.SUBMITTED
    )
    reason = str(reason or "").strip()
    if against and not reason:
        raise ValidationFailed(
            f"the sitting's outcome is {outcome}: give a reason for moving it to {target.label}",
            field="reason",
        )
    score_text = f"{Decimal(sitting.score or 0) * 100:.1f}%"
    threshold = sitting.assessment.pass_threshold
    summary = f"Assessment “{sitting.assessment.title}” v{sitting.assessment.version}: {score_text}"
    if threshold is not None:
        summary += f" ({outcome}, threshold {Decimal(threshold) * 100:.1f}%)"
    before = sitting_audit_view(sitting)
    with transaction.atomic():
        locked = Sitting.objects.select_for_update().get(pk=sitting.pk)
        if locked.result.get("decision"):
            raise Conflict("a decision on this sitting has already been recorded")
        move_application(user, application, to_stage=target, reason=f"{summary}. {reason}".strip())
        locked.result = {
            **locked.result,
            "decision": {
                "to_stage": target.value,
                "outcome": outcome,
                "against_outcome": against,
                "reason": reason,
                "by": user.username,
                "by_id": user.pk,
                "at": timezone.now().isoformat(),
            },
        }
        locked.save(update_fields=["result"])
        audit.record(
            AuditLog.Action.UPDATE, locked, before=before, after=sitting_audit_view(locked), actor=user
        )
    sitting.refresh_from_db()
    return sitting


def get_submission_for_grading(user: Any, sitting: Sitting, submission_id: int) -> Submission:
    submission = (
        Submission.objects.select_related("item__question", "sitting")
        .filter(pk=submission_id, sitting=sitting)
        .first()
    )
    if submission is None:
        raise NotFound(f"submission {submission_id} not found")
    return submission
