"""Matching use cases: rank people for a requisition or a job description, requisitions for a person,
saved searches and talent pools. Every ranking shown or used writes one DecisionRecord per ranked
person (kind "match_ranking": inputs digest, ranker version, score, explanation) for audits.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.core import audit
from cadre.core.exceptions import Conflict, ValidationFailed
from cadre.core.models import AuditLog, DecisionRecord
from cadre.core.services import require_editor
from cadre.matching import scoring
from cadre.matching.index import TOP_LIMIT, MatchIndex, RankResult
from cadre.matching.loader import current_index, fulltext_backend
from cadre.matching.models import SavedSearch, TalentPool, TalentPoolMember
from cadre.matching.query import FILTER_LABELS, MatchQuery
from cadre.matching.selectors import (
    evidence_details,
    require_matcher,
    requisition_queries,
    requisition_query,
    text_query,
)
from cadre.people.models import Person
from cadre.requisitions.models import Requisition
from cadre.requisitions.selectors import requisitions_visible_to

DECISION_KIND = "match_ranking"


@dataclass
class MatchOutcome:
    results: list[dict[str, Any]]
    version: str
    ms: float
    reason: str = ""
    considered: int = 0
    eligible: int = 0
    excluded_by: dict[str, int] = field(default_factory=dict)
    relaxed: list[str] = field(default_factory=list)
    approximate: bool = False
    inputs_digest: str = ""
    query: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "results": self.results,
            "version": self.version,
            "ms": round(self.ms, 1),
            "reason": self.reason,
            "considered": self.considered,
            "eligible": self.eligible,
            "excluded_by": self.excluded_by,
            "relaxed": self.relaxed,
            "approximate": self.approximate,
            "inputs_digest": self.inputs_digest,
            "query": self.query,
        }


def clamp_top(top: int | None) -> int:
    """Absurd values are capped rather than refused: 0 or less -> 1, more than TOP_LIMIT -> TOP_LIMIT."""
    if top is None:
        return 50
    return max(1, min(int(top), TOP_LIMIT))


def _query_summary(q: MatchQuery) -> dict[str, Any]:
    return {
        "must": list(q.must),
        "nice": list(q.nice),
        "platform": q.platform_name,
        "platform_skills": list(q.platform_skills),
        "seniority": q.seniority,
        "terms": list(q.terms),
        "filters": {k: v for k, v in q.filters.__dict__.items() if v not in (None, "", False)},
        "relaxed": sorted(q.relaxed),
    }


def _rank(index: MatchIndex, query: MatchQuery, top: int) -> RankResult:
    return index.rank(
        query,
        top=top,
        text_searcher=fulltext_backend().search,
        evidence_details=evidence_details,
    )


def _record(
    actor: Any,
    outcome: MatchOutcome,
    *,
    direction: str,
    subject_id: str | None = None,
    with_query: bool = True,
) -> None:
    """One DecisionRecord per ranked result. The subject is a requisition (or a text search): given,
    or each result's own requisition when ranking requisitions for a person."""
    DecisionRecord.objects.bulk_create(
        [
            DecisionRecord(
                kind=DECISION_KIND,
                version=outcome.version,
                subject_type="matching.text" if direction == "matching.text" else "requisitions.requisition",
                subject_id=subject_id if subject_id is not None else str(r["requisition_id"]),
                person_id=r["person_id"],
                inputs_digest=outcome.inputs_digest,
                score=Decimal(str(round(r["score"], 6))),
                explanation={
                    "rank": r["rank"],
                    "direction": direction,
                    **({"query": outcome.query} if with_query else {}),
                    **r["explanation"],
                },
                actor=actor if getattr(actor, "pk", None) else None,
            )
            for r in outcome.results
        ],
        batch_size=500,
    )


def _outcome(index: MatchIndex, query: MatchQuery, result: RankResult, started: float) -> MatchOutcome:
    names = dict(
        Person.objects.filter(pk__in=[r.person_id for r in result.results]).values_list("pk", "headline")
    )
    results = [
        {
            "rank": i + 1,
            "person_id": r.person_id,
            "score": r.score,
            "headline": names.get(r.person_id, ""),
            "explanation": r.explanation,
        }
        for i, r in enumerate(result.results)
    ]
    reason = result.reason
    if result.approximate:
        reason = reason or "More candidates tied than could be re-ranked by text; the order is approximate."
    return MatchOutcome(
        results=results,
        version=f"{scoring.RANKER_VERSION}+{index.signature}",
        ms=(time.perf_counter() - started) * 1000,
        reason=reason,
        considered=result.considered,
        eligible=result.eligible,
        excluded_by={FILTER_LABELS[k]: v for k, v in result.excluded_by.items()},
        relaxed=sorted(query.relaxed),
        approximate=result.approximate,
        inputs_digest=query.digest(index_signature=index.signature),
        query=_query_summary(query),
    )


def match_people(
    actor: Any,
    requisition: Requisition,
    *,
    top: int | None = 50,
    relaxed: frozenset[str] = frozenset(),
    include_in_pipeline: bool = False,
    record: bool = True,
) -> MatchOutcome:
    """People for a requisition, best first, each with the evidence behind the score."""
    require_matcher(actor)
    started = time.perf_counter()
    query = requisition_query(requisition, relaxed=relaxed, include_in_pipeline=include_in_pipeline)
    index = current_index()
    if query.is_empty():
        outcome = _outcome(index, query, RankResult([], 0, 0, {}, "", False, {}), started)
        outcome.reason = "The requisition lists no skills and no searchable title: add must-have skills."
        return outcome
    outcome = _outcome(index, query, _rank(index, query, clamp_top(top)), started)
    if record and outcome.results:
        _record(actor, outcome, direction="requisitions.requisition", subject_id=str(requisition.pk))
    return outcome


def match_text(actor: Any, text: str, *, top: int | None = 50, record: bool = True) -> MatchOutcome:
    """People for a free job description (skills, seniority cue and distinctive words from the text)."""
    require_matcher(actor)
    started = time.perf_counter()
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("the job description is empty", field="text")
    query = text_query(text)
    index = current_index()
    if query.is_empty():
        outcome = _outcome(index, query, RankResult([], 0, 0, {}, "", False, {}), started)
        outcome.reason = (
            "The text names no known skill and has only common words (stop-words): describe the work, "
            "tools and skills."
        )
        return outcome
    outcome = _outcome(index, query, _rank(index, query, clamp_top(top)), started)
    if record and outcome.results:
        digest = hashlib.sha256(text.encode()).hexdigest()[:32]
        _record(actor, outcome, direction="matching.text", subject_id=digest)
    return outcome


def match_requisitions(
    actor: Any, person: Person, *, top: int | None = 50, record: bool = True
) -> MatchOutcome:
    """Open requisitions for a person, scored exactly as the person would score in each one's matches
    (text relevance included), best first; requisitions whose hard filters the person fails are left
    out and counted."""
    require_matcher(actor)
    started = time.perf_counter()
    if person.merged_into_id is not None:
        raise ValidationFailed(
            f"person {person.pk} was merged into {person.merged_into_id}", field="person_id"
        )
    index = current_index()
    rows: list[tuple[float, int, Requisition]] = []
    blocked: dict[str, int] = {}
    no_skill = 0
    requisitions = list(
        requisitions_visible_to(actor)
        .filter(status=Requisition.Status.OPEN)
        .select_related("client", "role_family", "profile__platform")
    )
    queries = dict(zip([r.pk for r in requisitions], requisition_queries(requisitions), strict=True))
    # Score every open requisition without explanations, then explain only the ones shown.
    rows_of_person = index.rows_of([person.pk])
    row = int(rows_of_person[0]) if len(rows_of_person) else -1
    limit = clamp_top(top)
    # Best possible score first; stop once no remaining requisition could enter the top list.
    bounded: list[tuple[float, int, Requisition]] = []
    for requisition in requisitions:
        query = queries[requisition.pk]
        if query.is_empty():
            continue
        if row < 0 or not index.has_any(row, query.must or query.nice):
            no_skill += 1  # the ranker would not consider the person at all
            continue
        bounded.append((index.upper_bound(row, query), requisition.pk, requisition))
    bounded.sort(key=lambda b: (-b[0], b[1]))
    best: list[float] = []
    for bound, _pk, requisition in bounded:
        if len(best) >= limit and bound < best[limit - 1]:
            break
        result = index.rank(queries[requisition.pk], top=1, only_person_ids=[person.pk], explain=False)
        if result.results:
            score = result.results[0].score
            rows.append((-score, requisition.pk, requisition))
            best = sorted([*best, score], reverse=True)[:limit]
        else:
            for name, count in result.excluded_by.items():
                if count:
                    blocked[FILTER_LABELS[name]] = blocked.get(FILTER_LABELS[name], 0) + 1
    rows.sort(key=lambda r: (r[0], r[1]))
    results: list[dict[str, Any]] = []
    # Explanations for the shown requisitions; the evidence they cite is read in one query after.
    cited: list[dict[str, Any]] = []
    for i, (_neg, _pk, req) in enumerate(rows[:limit]):
        hit = index.rank(queries[req.pk], top=1, only_person_ids=[person.pk]).results[0]
        for section in ("must_have", "nice_to_have", "platform"):
            cited.extend(m["evidence"] for m in hit.explanation[section]["matched"])
        results.append(
            {
                "rank": i + 1,
                "requisition_id": req.pk,
                "title": req.title,
                "client": req.client.name,
                "person_id": person.pk,
                "score": hit.score,
                "explanation": hit.explanation,
            }
        )
    details = evidence_details(sorted({ev["id"] for ev in cited}))
    for ev in cited:
        ev.update(details.get(ev["id"], {}))
    reason = ""
    if not results:
        reason = (
            "No open requisition asks for a skill this person has evidence for."
            if not blocked
            else "Requisitions that need this person's skills all have a hard filter the person fails."
        )
    outcome = MatchOutcome(
        results=results,
        version=f"{scoring.RANKER_VERSION}+{index.signature}",
        ms=(time.perf_counter() - started) * 1000,
        reason=reason,
        considered=len(rows) + sum(blocked.values()),
        eligible=len(rows),
        excluded_by=blocked,
        inputs_digest=hashlib.sha256(f"person:{person.pk}:{index.signature}".encode()).hexdigest(),
        query={"person_id": person.pk, "requisitions_without_skill_overlap": no_skill},
    )
    if record and results:
        _record(actor, outcome, direction="requisitions_for_person", with_query=False)
    return outcome


# -- saved searches ---------------------------------------------------------------------------------


@transaction.atomic
def save_search(
    actor: Any,
    *,
    name: str,
    requisition: Requisition | None = None,
    text: str = "",
    relaxed: frozenset[str] = frozenset(),
    top: int | None = 50,
) -> SavedSearch:
    user = require_matcher(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("give the search a name", field="name")
    if requisition is None and not (text or "").strip():
        raise ValidationFailed("a saved search needs a requisition or a job description", field="text")
    search = SavedSearch.objects.create(
        owner=user,
        name=name[:120],
        requisition=requisition,
        text=(text or "").strip() if requisition is None else "",
        relaxed_filters=sorted(relaxed),
        top=clamp_top(top),
    )
    audit.record(AuditLog.Action.CREATE, search, after=audit.snapshot(search), actor=user)
    return search


def run_saved_search(actor: Any, search: SavedSearch) -> MatchOutcome:
    relaxed = frozenset(search.relaxed_filters or [])
    if search.requisition is not None:
        outcome = match_people(actor, search.requisition, top=search.top, relaxed=relaxed)
    else:
        outcome = match_text(actor, search.text, top=search.top)
    SavedSearch.objects.filter(pk=search.pk).update(last_run_at=timezone.now())
    return outcome


@transaction.atomic
def delete_saved_search(actor: Any, search: SavedSearch) -> None:
    require_matcher(actor)
    if search.owner_id != actor.pk:
        raise ValidationFailed("only the owner may delete a saved search", field="id")
    audit.record(AuditLog.Action.DELETE, search, before=audit.snapshot(search), actor=actor)
    search.delete()


# -- talent pools -------------------------------------------------------------------------------------


@transaction.atomic
def create_pool(actor: Any, *, name: str, description: str = "") -> TalentPool:
    user = require_editor(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("give the pool a name", field="name")
    if TalentPool.objects.filter(name__iexact=name).exists():
        raise Conflict(f"a talent pool named {name!r} already exists")
    pool = TalentPool.objects.create(name=name[:120], description=description, owner=user)
    audit.record(AuditLog.Action.CREATE, pool, after=audit.snapshot(pool), actor=user)
    return pool


@transaction.atomic
def add_to_pool(actor: Any, pool: TalentPool, person: Person, *, note: str = "") -> TalentPoolMember:
    user = require_editor(actor)
    if person.merged_into_id is not None:
        raise ValidationFailed(
            f"person {person.pk} was merged into {person.merged_into_id}", field="person_id"
        )
    try:
        with transaction.atomic():
            member = TalentPoolMember.objects.create(pool=pool, person=person, note=note[:300], added_by=user)
    except IntegrityError as exc:
        raise Conflict(f"person {person.pk} is already in the pool {pool.name!r}") from exc
    audit.record(AuditLog.Action.CREATE, member, after=audit.snapshot(member), actor=user)
    return member


@transaction.atomic
def remove_from_pool(actor: Any, pool: TalentPool, person: Person) -> None:
    user = require_editor(actor)
    member = TalentPoolMember.objects.filter(pool=pool, person=person).first()
    if member is None:
        raise ValidationFailed(f"person {person.pk} is not in the pool {pool.name!r}", field="person_id")
    audit.record(AuditLog.Action.DELETE, member, before=audit.snapshot(member), actor=user)
    member.delete()
