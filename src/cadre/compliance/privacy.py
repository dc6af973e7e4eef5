"""Data export (everything held on a person, as JSON) and erasure (anonymise the person, keep counts).

Export covers every row that points at the person (people.resolution.merging.person_relations(), so rows
that later apps add are included under "other"), the decision records and audit entries about them, and
the records of people merged into them. Self-identified demographics go only to roles that may read them.

Erasure anonymises in one transaction. What identifies or describes the person goes: name, headline,
summary, location, identities, source payloads, files, facts, skill evidence, work preferences,
self-identification, the search document, talent-pool memberships, activity texts, decision explanations,
and the audit snapshots that held any of it. What counts for audits stays: the person row (renamed
"Erased person #<id>"), applications and their append-only stage events, candidate notices, and decision
records (kind, version, score, subject, person_id), so adverse-impact and retention counts survive.

Screening (the rows hanging off the person's applications) is exported under each application's
"screening": sittings with their submissions (answers, upload name, size and sha256, grades; never the
uploaded bytes, the link's nonce or the questions' hidden keys, labels and tests) and interviews with every
scorecard about the person (ratings with their evidence notes, recommendation, summary); the screening
DecisionRecords are under "decision_records" and the audit entries of all these rows under "audit_log".
Erasure removes the uploaded bytes and file names, the answers and what graders wrote about them, and
the scorecards' evidence notes and summaries (on the rows and in their audit snapshots), and revokes
every assessment link. The structure stays: sittings and submissions with status, scores, levels, sizes
and digests, interviews and scorecards with their levels and recommendations, and the recruiter's
decision on a sitting (whose reason is also the kept stage event's), so sitting scores, the LL144 audit of
assessments, interviewer calibration and the scorecard decisions still add up.
"""

from __future__ import annotations

import json
import secrets
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from cadre.compliance.models import CandidateNotice, SelfIdentification
from cadre.core import audit, roles
from cadre.core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from cadre.core.models import AuditLog, DecisionRecord, User
from cadre.core.services import require_user
from cadre.matching.models import SearchDocument, TalentPoolMember
from cadre.people.models import (
    Attachment,
    Fact,
    Identity,
    Person,
    SkillEvidence,
    SourceRecord,
    WorkPreferences,
)
from cadre.pipeline.models import Activity, Application, StageEvent
from cadre.resolution.merging import person_relations
from cadre.resolution.models import MatchCandidate
from cadre.screening.models import CompetencyRating, Interview, Scorecard, Sitting, Submission

EXPORT_FORMAT = "cadre.person-export/1"
EXPORT_ACTION = AuditLog.Action.EXPORT
ERASED_PREFIX = "Erased person #"
ERASED: dict[str, Any] = {"erased": True}
ERASED_TEXT = "[erased]"
PERSON_FIELDS = ("full_name", "headline", "location", "time_zone", "summary")
MIN_PERSONAL_TEXT = 3  # shorter strings are not searched for in audit snapshots (too many false hits)

# Rows whose content describes the person: deleted or blanked on erasure, and every audit snapshot of
# them scrubbed. Other rows pointing at a person (applications, notices, later apps' rows) are kept;
# their audit snapshots are scrubbed only where they quote the person's personal text.
PERSONAL_LABELS = frozenset(
    {
        "people.identity",
        "people.sourcerecord",
        "people.attachment",
        "people.fact",
        "people.skillevidence",
        "people.workpreferences",
        "compliance.selfidentification",
        "pipeline.activity",
        "matching.talentpoolmember",
    }
)
EXPORTED_LABELS = PERSONAL_LABELS | {"pipeline.application", "compliance.candidatenotice"}
# Screening rows (they hang off applications): exported under each application's "screening", never
# through the generic dump of related rows (a sitting's nonce opens the candidate's link).
SCREENING_MODELS: tuple[type[models.Model], ...] = (Sitting, Submission, Interview, Scorecard)
# What erasure keeps of a submission's grader output: the numbers the sitting score and audits rest on.
# Free text (a rubric grader's note, a failing run's message, per-row problems) goes.
KEPT_RESULT_KEYS = frozenset(
    {
        "points",
        "correct",
        "valid",
        "level",
        "metric",
        "value",
        "direction",
        "n",
        "floor",
        "target",
        "grading_version",
        "predictions_digest",
        "status",
        "tests_passed",
        "tests_total",
        "resources",
        "limits",
        "sandbox_version",
        "problems",
        "graded_by",
        "anchor",
    }
)
# Audit snapshots of these are withheld from exports for roles that may not read demographics.
DEMOGRAPHIC_LABELS = frozenset({"compliance.selfidentification"})
WITHHELD: dict[str, Any] = {"withheld": True}


# --- Who may do what -------------------------------------------------------------------------------------


def is_erased(person: Person) -> bool:
    return person.full_name == f"{ERASED_PREFIX}{person.pk}"


def may_read_demographics(user: Any) -> bool:
    """Compliance officers and admins, or anyone granted compliance.view_demographics."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role in (roles.Role.ADMIN, roles.Role.COMPLIANCE_OFFICER) or user.has_perm(
        "compliance.view_demographics"
    )


def may_export(user: Any) -> bool:
    return getattr(user, "role", "") in (*roles.EDITOR_ROLES, roles.Role.COMPLIANCE_OFFICER)


def may_erase(user: Any) -> bool:
    return getattr(user, "role", "") in (roles.Role.ADMIN, roles.Role.COMPLIANCE_OFFICER)


def require_exporter(actor: Any) -> User:
    user = require_user(actor)
    if not may_export(user):
        raise Forbidden(f"a {user.role_label.lower()} may not export personal data")
    return user


def require_eraser(actor: Any) -> User:
    user = require_user(actor)
    if not may_erase(user):
        raise Forbidden("only an admin or a compliance officer may erase a person")
    return user


def find_person(pk: int) -> Person:
    """Any person row, merged tombstones included (unscoped: callers check the role first)."""
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise NotFound(f"person {pk} not found")
    return person


def final_survivor(person: Person) -> Person:
    seen = {person.pk}
    while person.merged_into_id is not None and person.merged_into_id not in seen:
        seen.add(person.merged_into_id)
        person = Person.objects.get(pk=person.merged_into_id)
    return person


def merged_records(person: Person) -> list[Person]:
    """People merged into `person`, directly or through other merges (their tombstones)."""
    found: list[Person] = []
    frontier = [person.pk]
    seen = {person.pk}
    while frontier:
        batch = list(Person.objects.filter(merged_into_id__in=frontier).order_by("pk"))
        batch = [p for p in batch if p.pk not in seen]
        seen.update(p.pk for p in batch)
        found.extend(batch)
        frontier = [p.pk for p in batch]
    return found


# --- Export ----------------------------------------------------------------------------------------------


def _decisions_about(pk: int) -> Q:
    return Q(person_id=pk) | Q(subject_type="people.person", subject_id=str(pk))


def _relation_rows(person: Person) -> dict[str, tuple[type[models.Model], str, list[Any]]]:
    """{label: (model, attname, primary keys)} for every row pointing at the person."""
    out: dict[str, tuple[type[models.Model], str, list[Any]]] = {}
    for model, field in person_relations():
        label = model._meta.label_lower
        pks = list(model._default_manager.filter(**{field.attname: person.pk}).values_list("pk", flat=True))
        if label in out:  # a model with two fields pointing at people
            out[label][2].extend(pks)
        else:
            out[label] = (model, field.attname, pks)
    return out


def _source_records(person: Person) -> models.QuerySet[SourceRecord]:
    """Source records of the person, and those of files of theirs (an import may leave person blank)."""
    return SourceRecord.objects.filter(Q(person=person) | Q(attachment__person=person)).distinct()


def _audit_entries(person: Person, relations: dict[str, tuple[type[models.Model], str, list[Any]]]) -> Q:
    """Audit entries about the person or any row that points (or pointed) at them."""
    condition = Q(object_type="people.person", object_id=str(person.pk))
    for label, (_model, attname, pks) in relations.items():
        about = Q(**{f"before__{attname}": person.pk}) | Q(**{f"after__{attname}": person.pk})
        if pks:
            about |= Q(object_id__in=[str(pk) for pk in pks])
        condition |= Q(object_type=label) & about
    sources = [str(pk) for pk in _source_records(person).values_list("pk", flat=True)]
    if sources:
        condition |= Q(object_type="people.sourcerecord", object_id__in=sources)
    for label, pks in _screening_rows(person.pk).items():
        if pks:
            condition |= Q(object_type=label, object_id__in=[str(pk) for pk in pks])
    decisions = [
        str(pk)
        for pk in DecisionRecord.objects.filter(_decisions_about(person.pk)).values_list("pk", flat=True)
    ]
    if decisions:
        condition |= Q(object_type="core.decisionrecord", object_id__in=decisions)
    return condition


def _screening_rows(person_pk: int) -> dict[str, list[int]]:
    """{label: primary keys} of the screening rows about the person's applications."""
    return {
        "screening.sitting": list(
            Sitting.objects.filter(application__person_id=person_pk).values_list("pk", flat=True)
        ),
        "screening.submission": list(
            Submission.objects.filter(sitting__application__person_id=person_pk).values_list("pk", flat=True)
        ),
        "screening.interview": list(
            Interview.objects.filter(application__person_id=person_pk).values_list("pk", flat=True)
        ),
        "screening.scorecard": list(
            Scorecard.objects.filter(interview__application__person_id=person_pk).values_list("pk", flat=True)
        ),
    }


def _dump(instance: models.Model) -> dict[str, Any]:
    return audit.snapshot(instance)


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def _json(value: Any) -> Any:
    """JSON-safe copies of stored values (Decimal as text, dates ISO 8601)."""
    return json.loads(
        json.dumps(value, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v))
    )


def _submission_export(sub: Submission) -> dict[str, Any]:
    question = sub.item.question
    return {
        "id": sub.pk,
        "item": sub.item.position,
        "question": {
            "slug": question.slug,
            "version": question.version,
            "title": question.title,
            "kind": question.kind,
            "competency": question.competency,
        },
        "attempt": sub.attempt,
        "answer": _json(sub.answer),
        "upload": (
            {"name": sub.upload_name, "size": sub.upload_size, "sha256": sub.upload_sha256}
            if sub.upload_name or sub.upload_sha256
            else None
        ),
        "status": sub.status,
        "errors": _json(sub.errors),
        "score": _json(sub.score),
        "level": sub.level,
        "result": _json(sub.result),
        "grader_version": sub.grader_version,
        "graded_by": sub.graded_by.username if sub.graded_by else None,
        "graded_at": _iso(sub.graded_at),
        "received_at": _iso(sub.created_at),
    }


def _screening_export(application: Application) -> dict[str, Any]:
    """The application's sittings (with submissions) and interviews (with scorecards); see the module
    docstring for what is left out."""
    sittings = []
    for sitting in (
        Sitting.objects.filter(application=application)
        .select_related("assessment")
        .order_by("invited_at", "id")
    ):
        submissions = (
            Submission.objects.filter(sitting=sitting)
            .defer("upload")
            .select_related("item__question", "graded_by")
            .order_by("item__position", "attempt", "id")
        )
        sittings.append(
            {
                "id": sitting.pk,
                "assessment": {
                    "id": sitting.assessment_id,
                    "title": sitting.assessment.title,
                    "version": sitting.assessment.version,
                },
                "status": sitting.status,
                "invited_at": _iso(sitting.invited_at),
                "expires_at": _iso(sitting.expires_at),
                "started_at": _iso(sitting.started_at),
                "submitted_at": _iso(sitting.submitted_at),
                "graded_at": _iso(sitting.graded_at),
                "score": _json(sitting.score),
                "result": _json(sitting.result),
                "submissions": [_submission_export(sub) for sub in submissions],
            }
        )
    interviews = []
    for interview in (
        Interview.objects.filter(application=application)
        .prefetch_related("interviewers")
        .order_by("created_at", "id")
    ):
        cards = (
            Scorecard.objects.filter(interview=interview)
            .select_related("interviewer")
            .prefetch_related("ratings")
            .order_by("id")
        )
        interviews.append(
            {
                "id": interview.pk,
                "stage": interview.stage,
                "stage_label": interview.get_stage_display(),
                "framework_version": interview.framework_version,
                "competencies": [
                    {"slug": c.get("slug"), "name": c.get("name")}
                    for c in (interview.kit or {}).get("competencies", [])
                    if isinstance(c, Mapping)
                ],
                "scheduled_at": _iso(interview.scheduled_at),
                "created_at": _iso(interview.created_at),
                "interviewers": sorted(u.username for u in interview.interviewers.all()),
                "scorecards": [
                    {
                        "id": card.pk,
                        "interviewer": card.interviewer.username,
                        "status": card.status,
                        "recommendation": card.recommendation,
                        "summary": card.summary,
                        "submitted_at": _iso(card.submitted_at),
                        "ratings": [
                            {"competency": r.competency, "level": r.level, "evidence": r.evidence}
                            for r in sorted(card.ratings.all(), key=lambda r: r.competency)
                        ],
                    }
                    for card in cards
                ],
            }
        )
    return {"sittings": sittings, "interviews": interviews}


def _person_export(person: Person, *, demographics: bool) -> dict[str, Any]:
    relations = _relation_rows(person)
    applications = []
    nested_activities: set[int] = set()
    app_related = [
        rel
        for rel in Application._meta.related_objects
        if rel.related_model not in (Activity, *SCREENING_MODELS)
        and rel.name != "events"
        and (rel.one_to_many or rel.one_to_one)
    ]
    for app in Application.objects.filter(person=person).select_related("requisition__client").order_by("pk"):
        activities = list(Activity.objects.filter(application=app).order_by("at", "id"))
        nested_activities.update(a.pk for a in activities)
        row = _dump(app) | {
            "requisition": {
                "id": app.requisition_id,
                "title": app.requisition.title,
                "client": app.requisition.client.name,
            },
            "stage_events": [_dump(e) for e in app.events.order_by("at", "id")],
            "activities": [_dump(a) for a in activities],
            "screening": _screening_export(app),
        }
        for rel in app_related:
            model = rel.related_model
            assert isinstance(model, type)
            rows = model._default_manager.filter(**{rel.field.attname: app.pk}).order_by("pk")
            if rows.exists():
                row.setdefault("related", {})[model._meta.label_lower] = [_dump(r) for r in rows]
        applications.append(row)

    self_id = SelfIdentification.objects.filter(person=person).first()
    if self_id is None:
        self_identification: dict[str, Any] | None = None
    elif demographics:
        self_identification = _dump(self_id)
    else:
        self_identification = {
            "withheld": True,
            "note": "Voluntary self-identification exists for this person; it is withheld from this export "
            "because only compliance officers and admins may read demographic data.",
        }
    prefs = WorkPreferences.objects.filter(person=person).first()
    other: dict[str, list[dict[str, Any]]] = {}
    for label, (model, _attname, pks) in relations.items():
        if label not in EXPORTED_LABELS and pks:
            other[label] = [_dump(r) for r in model._default_manager.filter(pk__in=pks).order_by("pk")]

    entries = (
        AuditLog.objects.filter(_audit_entries(person, relations))
        .select_related("actor")
        .order_by("at", "id")
    )
    return {
        "person": _dump(person) | {"erased": is_erased(person)},
        "identities": [_dump(i) for i in Identity.objects.filter(person=person).order_by("kind", "value")],
        "source_records": [_dump(r) for r in _source_records(person).order_by("fetched_at", "id")],
        "attachments": [
            _dump(a) for a in Attachment.objects.filter(person=person).order_by("uploaded_at", "id")
        ],
        "skill_evidence": [
            _dump(e) | {"skill": e.skill.name, "skill_slug": e.skill.slug}
            for e in SkillEvidence.objects.filter(person=person).select_related("skill").order_by("id")
        ],
        "facts": [_dump(f) for f in Fact.objects.filter(person=person).order_by("id")],
        "work_preferences": _dump(prefs) if prefs is not None else None,
        "applications": applications,
        "activities": [
            _dump(a)
            for a in Activity.objects.filter(person=person)
            .exclude(pk__in=nested_activities)
            .order_by("at", "id")
        ],
        "talent_pools": [
            _dump(m) | {"pool": m.pool.name}
            for m in TalentPoolMember.objects.filter(person=person).select_related("pool").order_by("id")
        ],
        "notices": [
            _dump(n)
            | {
                "jurisdiction": n.template.jurisdiction,
                "tool": n.template.tool,
                "template_version": n.template.version,
                "title": n.template.title,
                "citation": n.template.citation,
            }
            for n in CandidateNotice.objects.filter(person=person)
            .select_related("template")
            .order_by("sent_at")
        ],
        "self_identification": self_identification,
        "decision_records": [
            _dump(d) for d in DecisionRecord.objects.filter(_decisions_about(person.pk)).order_by("at", "id")
        ],
        "audit_log": [
            {
                "id": e.pk,
                "at": _iso(e.at),
                "actor": e.actor.username if e.actor else None,
                "via": e.via,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "object_repr": e.object_repr,
                "before": e.before if demographics or e.object_type not in DEMOGRAPHIC_LABELS else WITHHELD,
                "after": e.after if demographics or e.object_type not in DEMOGRAPHIC_LABELS else WITHHELD,
            }
            for e in entries
        ],
        "other": other,
    }


def export_person(actor: Any, person: Person) -> dict[str, Any]:
    """Everything Cadre holds on `person`, JSON-serialisable (dates ISO 8601). Recruiters, admins and
    compliance officers; the export is audit-logged. People merged into this one come under
    "merged_records", each exported the same way."""
    user = require_exporter(actor)
    demographics = may_read_demographics(user)
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "exported_by": user.username,
        "person_id": person.pk,
        "erased": is_erased(person),
        "merged_into_id": person.merged_into_id,
    }
    data |= _person_export(person, demographics=demographics)
    data["merged_records"] = [
        {"person_id": m.pk, **_person_export(m, demographics=demographics)} for m in merged_records(person)
    ]
    withheld = bool(data["self_identification"] and data["self_identification"].get("withheld"))
    audit.record(
        EXPORT_ACTION,
        person,
        after={
            "export": EXPORT_FORMAT,
            "self_identification": "withheld" if withheld else ("included" if demographics else "none"),
        },
        actor=user,
    )
    json.dumps(data)  # fail here, not in the caller's response, if anything is not serialisable
    return data


# --- Erasure ---------------------------------------------------------------------------------------------


def _personal_text(person: Person) -> list[str]:
    texts = [getattr(person, f) for f in PERSON_FIELDS]
    for value, shown in Identity.objects.filter(person=person).values_list("value", "display_value"):
        texts += [value, shown]
    return sorted({t for t in texts if t and len(t) >= MIN_PERSONAL_TEXT}, key=len, reverse=True)


def _quotes(value: Any, texts: list[str]) -> bool:
    if value is None or not texts:
        return False
    blob = json.dumps(value, ensure_ascii=False, default=str).casefold()
    return any(t.casefold() in blob for t in texts)


def _scrub_audit(
    person: Person, relations: dict[str, tuple[type[models.Model], str, list[Any]]], texts: list[str]
) -> int:
    """Blank audit snapshots that hold the person's data; returns how many entries changed."""
    scrubbed = 0
    entries = AuditLog.objects.filter(_audit_entries(person, relations)).only(
        "id", "object_type", "object_repr", "before", "after"
    )
    # Read them all first: SQLite does not isolate a cursor from updates to the table it reads.
    for entry in list(entries):
        personal = entry.object_type == "people.person" or entry.object_type in PERSONAL_LABELS
        changes: dict[str, Any] = {}
        for name in ("before", "after"):
            value = getattr(entry, name)
            if value is not None and value != ERASED and (personal or _quotes(value, texts)):
                changes[name] = ERASED
        if personal or _quotes(entry.object_repr, texts):
            label = "person" if entry.object_type == "people.person" else entry.object_type
            repr_ = (
                f"{ERASED_PREFIX}{person.pk}" if label == "person" else f"{label} #{entry.object_id} (erased)"
            )
            if entry.object_repr != repr_:
                changes["object_repr"] = repr_
        if changes:
            AuditLog.objects.filter(pk=entry.pk).update(**changes)
            scrubbed += 1
    return scrubbed


def _erased_result(result: Any) -> Any:
    if not isinstance(result, Mapping) or not result:
        return result
    return {k: v for k, v in result.items() if k in KEPT_RESULT_KEYS} | {"erased": True}


def _erase_submission_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """A submission's values (the row's or an audit snapshot's) without what the candidate wrote or
    uploaded and what graders wrote about it; status, scores, level, size and digest stay."""
    out = dict(data)
    if out.get("answer") and out["answer"] != ERASED:
        out["answer"] = ERASED
    if out.get("upload_name"):
        out["upload_name"] = ""
    if out.get("errors") and out["errors"] != [ERASED_TEXT]:
        out["errors"] = [ERASED_TEXT]
    if isinstance(out.get("result"), Mapping) and out["result"] and not out["result"].get("erased"):
        out["result"] = _erased_result(out["result"])
    return out


def _erase_scorecard_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """A scorecard snapshot without its summary and evidence notes (levels and recommendation stay)."""
    out = dict(data)
    if out.get("summary"):
        out["summary"] = ERASED_TEXT
    ratings = out.get("ratings")
    if isinstance(ratings, Mapping):
        out["ratings"] = {
            slug: (dict(r) | {"evidence": ERASED_TEXT}) if isinstance(r, Mapping) and r.get("evidence") else r
            for slug, r in ratings.items()
        }
    return out


SCREENING_SCRUBBERS = {
    "screening.submission": _erase_submission_data,
    "screening.scorecard": _erase_scorecard_data,
}


def _erase_screening(person: Person, counts: Counter[str]) -> None:
    """Erase what is personal in the screening rows of the person's applications, and in their audit
    snapshots; revoke the assessment links (see the module docstring)."""
    rows = _screening_rows(person.pk)
    for label, scrub in SCREENING_SCRUBBERS.items():
        ids = [str(pk) for pk in rows[label]]
        if not ids:
            continue
        entries = AuditLog.objects.filter(object_type=label, object_id__in=ids).only("id", "before", "after")
        for entry in list(entries):
            changes: dict[str, Any] = {}
            for name in ("before", "after"):
                value = getattr(entry, name)
                if isinstance(value, Mapping) and value != ERASED:
                    scrubbed = scrub(value)
                    if scrubbed != value:
                        changes[name] = scrubbed
            if changes:
                AuditLog.objects.filter(pk=entry.pk).update(**changes)
                counts["audit_entries_scrubbed"] += 1

    submissions = Submission.objects.filter(pk__in=rows["screening.submission"])
    counts["screening_uploads_deleted"] += submissions.filter(upload__isnull=False).update(upload=None)
    counts["screening_answers_erased"] += 0  # the key is in every result, even when nothing changed
    for sub in submissions.only("id", "answer", "upload_name", "errors", "result"):
        values = {
            "answer": sub.answer,
            "upload_name": sub.upload_name,
            "errors": sub.errors,
            "result": sub.result,
        }
        erased = _erase_submission_data(values)
        if erased != values:
            Submission.objects.filter(pk=sub.pk).update(**erased)
            counts["screening_answers_erased"] += 1

    scorecards = Scorecard.objects.filter(pk__in=rows["screening.scorecard"])
    counts["scorecard_summaries_erased"] += (
        scorecards.exclude(summary="").exclude(summary=ERASED_TEXT).update(summary=ERASED_TEXT)
    )
    counts["scorecard_evidence_erased"] += (
        CompetencyRating.objects.filter(scorecard__in=scorecards)
        .exclude(evidence=ERASED_TEXT)
        .update(evidence=ERASED_TEXT)
    )
    counts["scorecards_kept"] += len(rows["screening.scorecard"])

    now = timezone.now()
    open_statuses = (Sitting.Status.INVITED, Sitting.Status.STARTED)
    for sitting in Sitting.objects.filter(pk__in=rows["screening.sitting"]).only(
        "id", "status", "result", "expires_at"
    ):
        fields: dict[str, Any] = {"nonce": secrets.token_hex(32)}  # the candidate's link opens nothing now
        if sitting.status in open_statuses:
            fields["status"] = Sitting.Status.EXPIRED
            fields["expires_at"] = min(sitting.expires_at, now)
        Sitting.objects.filter(pk=sitting.pk).update(**fields)
        counts["assessment_links_revoked"] += 1


def _anonymise(person: Person, counts: Counter[str], files: list[str]) -> None:
    """Erase one person row's data (the caller holds the transaction and the row lock)."""
    texts = _personal_text(person)
    relations = _relation_rows(person)
    # Audit first: it finds rows by their current primary keys, which the deletes below remove.
    counts["audit_entries_scrubbed"] += _scrub_audit(person, relations, texts)

    counts["source_records_erased"] += _source_records(person).update(payload=ERASED, external_id="")
    attachments = Attachment.objects.filter(person=person)
    files.extend(name for name in attachments.values_list("file", flat=True) if name)
    counts["attachments_deleted"] += attachments.delete()[0]
    counts["identities_deleted"] += Identity.objects.filter(person=person).delete()[0]
    counts["facts_deleted"] += Fact.objects.filter(person=person).delete()[0]
    counts["skill_evidence_deleted"] += SkillEvidence.objects.filter(person=person).delete()[0]
    counts["work_preferences_deleted"] += WorkPreferences.objects.filter(person=person).delete()[0]
    counts["self_identification_deleted"] += SelfIdentification.objects.filter(person=person).delete()[0]
    counts["talent_pool_memberships_deleted"] += TalentPoolMember.objects.filter(person=person).delete()[0]
    counts["search_documents_deleted"] += SearchDocument.objects.filter(person_id=person.pk).delete()[0]
    counts["activities_erased"] += Activity.objects.filter(person=person).update(body=ERASED_TEXT)
    _erase_screening(person, counts)
    counts["decision_records_erased"] += (
        DecisionRecord.objects.filter(_decisions_about(person.pk))
        .exclude(explanation=ERASED)
        .update(explanation=ERASED)
    )
    # Duplicate-review pairs quote a shared identifier; pending ones can no longer be decided.
    pairs = MatchCandidate.objects.filter(Q(left=person) | Q(right=person))
    pairs.filter(status=MatchCandidate.Status.PENDING).update(
        status=MatchCandidate.Status.REJECTED, reason=f"person {person.pk} was erased"
    )
    pairs.exclude(exact_key="").update(exact_key="")
    Person.objects.filter(pk=person.pk).update(
        full_name=f"{ERASED_PREFIX}{person.pk}",
        headline="",
        summary="",
        location="",
        time_zone="",
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    counts["applications_kept"] += Application.objects.filter(person=person).count()
    counts["notices_kept"] += CandidateNotice.objects.filter(person=person).count()


def _delete_files(names: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage  # type: ignore[union-attr]
    for name in names:
        if not Attachment.objects.filter(file=name).exists():  # the same stored file may be shared
            storage.delete(name)


def erase_person(actor: Any, person: Person, *, reason: str) -> dict[str, Any]:
    """Anonymise `person` (and people merged into them) in one transaction; see the module docstring.

    Admins and compliance officers; `actor` None is the system (the retention policy). A person merged
    into another is refused: erase the survivor, which erases the merged records too. Returns counts."""
    user = None if actor is None else require_eraser(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            "give the reason for the erasure (e.g. the request it answers)", field="reason"
        )
    if len(reason) > 1000:
        raise ValidationFailed("the reason is limited to 1,000 characters", field="reason")
    counts: Counter[str] = Counter()
    files: list[str] = []
    with transaction.atomic():
        locked = Person.objects.select_for_update().filter(pk=person.pk).first()
        if locked is None:
            raise NotFound(f"person {person.pk} not found")
        if locked.merged_into_id is not None:
            survivor = final_survivor(locked)
            raise Conflict(
                f"person {locked.pk} was merged into person {survivor.pk}: erase person {survivor.pk} "
                "instead (that also erases this merged record)"
            )
        tombstones = merged_records(locked)
        for one in (locked, *tombstones):
            _anonymise(one, counts, files)
        counts["stage_events_kept"] = StageEvent.objects.filter(
            application__person_id__in=[locked.pk, *(t.pk for t in tombstones)]
        ).count()
        locked.refresh_from_db()
        audit.record(
            AuditLog.Action.DELETE,
            locked,
            after={
                "erased": True,
                "reason": reason,
                "merged_records": [t.pk for t in tombstones],
                "counts": dict(sorted(counts.items())),
            },
            actor=user,
        )
        transaction.on_commit(lambda: _delete_files(files))
    person.refresh_from_db()
    return {
        "person_id": person.pk,
        "erased": True,
        "merged_records": [t.pk for t in tombstones],
        "files_to_delete": len(files),
        **dict(sorted(counts.items())),
    }


def erasure_preview(person: Person) -> dict[str, int]:
    """What an erasure would remove and keep (for the confirmation page)."""
    people = [person.pk, *(p.pk for p in merged_records(person))]
    return {
        "identities": Identity.objects.filter(person_id__in=people).count(),
        "source_records": SourceRecord.objects.filter(
            Q(person_id__in=people) | Q(attachment__person_id__in=people)
        )
        .distinct()
        .count(),
        "attachments": Attachment.objects.filter(person_id__in=people).count(),
        "facts": Fact.objects.filter(person_id__in=people).count(),
        "skill_evidence": SkillEvidence.objects.filter(person_id__in=people).count(),
        "activities": Activity.objects.filter(person_id__in=people).count(),
        "applications": Application.objects.filter(person_id__in=people).count(),
        "sittings": Sitting.objects.filter(application__person_id__in=people).count(),
        "submissions": Submission.objects.filter(sitting__application__person_id__in=people).count(),
        "uploads": Submission.objects.filter(
            sitting__application__person_id__in=people, upload__isnull=False
        ).count(),
        "scorecards": Scorecard.objects.filter(interview__application__person_id__in=people).count(),
        "decision_records": DecisionRecord.objects.filter(
            Q(person_id__in=people) | Q(subject_type="people.person", subject_id__in=[str(p) for p in people])
        ).count(),
        "merged_records": len(people) - 1,
    }
