"""Writes shared by every importer: people joined on exact identities, source records, facts and
skill evidence that point at them, stored files. Callers hold the per-item transaction.

Only exact, normalised identities join people here (same e-mail, GitHub login, ORCID, OpenReview id...).
Fuzzy matching (names, affiliations) belongs to cadre.resolution, which runs after an import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cadre.core import audit
from cadre.core.models import AuditLog
from cadre.core.services import create_audited
from cadre.people import identity
from cadre.people.models import Fact, Identity, Person, SkillEvidence, SourceRecord
from cadre.people.services import IdentityTaken, add_identity
from cadre.taxonomy.models import Skill

# The identifiers that join a record to an existing person, strongest first (also the tie-break when
# they point at two different people). Phone and website are left out: shared office lines, recycled
# numbers and team pages would join strangers; identity resolution weighs them instead.
JOIN_ORDER = (
    identity.EMAIL,
    identity.GITHUB,
    identity.ORCID,
    identity.OPENREVIEW,
    identity.LINKEDIN,
    identity.DBLP,
)


@dataclass
class PersonMatch:
    person: Person
    created: bool
    # Identifiers this record carried that already belong to someone else: merge candidates for
    # cadre.resolution, never silently moved.
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def normalised_identities(pairs: Iterable[tuple[str, str]]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(kind, normalised, as written) for each valid identifier, and messages for the invalid ones."""
    good: list[tuple[str, str, str]] = []
    bad: list[str] = []
    seen: set[tuple[str, str]] = set()
    for kind, raw in pairs:
        if not raw or not str(raw).strip():
            continue
        try:
            value = identity.normalise(kind, str(raw))
        except ValueError as exc:
            bad.append(str(exc))
            continue
        if (kind, value) not in seen:
            seen.add((kind, value))
            good.append((kind, value, str(raw).strip()[:255]))
    return good, bad


def find_or_create_person(
    *,
    full_name: str,
    identities: Iterable[tuple[str, str]],
    actor: Any = None,
    **fields: Any,
) -> PersonMatch:
    """Join the person who owns one of these exact identifiers, else create one. Identities are
    attached later by `attach_identities`, once the SourceRecord exists."""
    good, _ = normalised_identities(identities)
    owners = {
        (i.kind, i.value): i.person
        for i in Identity.objects.filter(value__in=[v for _, v, _ in good]).select_related("person")
        if (i.kind, i.value) in {(k, v) for k, v, _ in good}
    }
    for kind in JOIN_ORDER:
        for k, v, _ in good:
            if k == kind and (k, v) in owners:
                person = owners[(k, v)]
                while person.merged_into_id is not None:  # follow merges to the surviving person
                    person = person.merged_into  # type: ignore[assignment]
                return PersonMatch(person, created=False)
    name = " ".join(full_name.split())[:200]
    if not name:
        raise ValueError("no name found")
    clean = {k: str(v)[:200] for k, v in fields.items() if v}
    return PersonMatch(create_audited(Person(full_name=name, **clean), actor=actor), created=True)


def attach_identities(
    person: Person,
    identities: Iterable[tuple[str, str]],
    *,
    record: SourceRecord,
    actor: Any = None,
) -> list[dict[str, Any]]:
    """Add the identifiers nobody owns yet; return the ones owned by another person (conflicts)."""
    good, _ = normalised_identities(identities)
    conflicts: list[dict[str, Any]] = []
    for kind, value, raw in good:
        try:
            add_identity(actor, person, kind=kind, value=raw, source_record=record)
        except IdentityTaken as exc:
            if exc.owner_id != person.pk:
                conflicts.append({"kind": kind, "value": value, "person_id": exc.owner_id})
    return conflicts


def add_fact(
    person: Person,
    record: SourceRecord,
    *,
    kind: str,
    title: str,
    organisation: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    data: dict[str, Any] | None = None,
    actor: Any = None,
) -> Fact | None:
    title = " ".join((title or "").split())[:300]
    if not title:
        return None
    fact = Fact.objects.create(
        person=person,
        kind=kind,
        title=title,
        organisation=" ".join((organisation or "").split())[:200],
        start_date=start_date,
        end_date=end_date,
        data=data or {},
        source_record=record,
    )
    audit.record(AuditLog.Action.CREATE, fact, after=audit.snapshot(fact), actor=actor)
    return fact


def add_skill_evidence(
    person: Person,
    record: SourceRecord,
    *,
    slugs: Iterable[tuple[str, str, dt.date | None]],
    kind: str,
    actor: Any = None,
    per_detail: bool = False,
) -> tuple[int, list[str]]:
    """One evidence row per (skill slug, detail, observed_on), deduplicated by skill within this
    record, or by (skill, detail) with `per_detail` (each merged pull request is its own evidence).
    Returns how many were written and the slugs the database does not know (yet)."""
    wanted: dict[tuple[str, str], tuple[str, dt.date | None]] = {}
    for slug, detail, observed in slugs:
        wanted.setdefault((slug, detail if per_detail else ""), (detail, observed))
    skills = {s.slug: s for s in Skill.objects.filter(slug__in={slug for slug, _ in wanted})}
    rows = [
        SkillEvidence(
            person=person,
            skill=skills[slug],
            kind=kind,
            detail=detail[:300],
            observed_on=observed,
            source_record=record,
        )
        for (slug, _), (detail, observed) in wanted.items()
        if slug in skills
    ]
    SkillEvidence.objects.bulk_create(rows)
    if rows:
        audit.record(
            AuditLog.Action.CREATE,
            record,
            after={"skill_evidence": sorted({r.skill.slug for r in rows}), "kind": kind},
            actor=actor,
        )
    return len(rows), sorted({slug for slug, _ in wanted} - set(skills))
