"""Reads of people. Hiring managers see only people with an application on their clients' requisitions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q, QuerySet

from cadre.core.exceptions import NotFound
from cadre.core.selectors import is_client_scoped
from cadre.people import identity
from cadre.people.models import Fact, Identity, Person, SourceRecord


def people_visible_to(user: Any) -> QuerySet[Person]:
    qs = Person.objects.filter(merged_into__isnull=True)
    if is_client_scoped(user):
        # Read applications through the reverse relation (people does not import pipeline); selecting
        # person_id from applications avoids joining the people table twice.
        applications = Person._meta.get_field("applications").related_model._default_manager  # type: ignore[union-attr]
        qs = qs.filter(
            pk__in=applications.filter(requisition__client__hiring_managers=user).values("person_id")
        )
    return qs


def _identity_match(q: str) -> Q | None:
    """If the query looks like an identifier (e-mail, GitHub URL, ORCID...), match it exactly."""
    for kind in (identity.EMAIL, identity.ORCID, identity.LINKEDIN, identity.GITHUB):
        if kind == identity.GITHUB and "github" not in q.lower():
            continue
        try:
            value = identity.normalise(kind, q)
        except ValueError:
            continue
        return Q(pk__in=Identity.objects.filter(kind=kind, value=value).values("person_id"))
    return None


def search_people(user: Any, q: str) -> QuerySet[Person]:
    """Name or headline contains every word of `q`; an identifier matches its owner exactly."""
    qs = people_visible_to(user)
    q = q.strip()
    if not q:
        return qs.order_by("full_name", "id")
    if (match := _identity_match(q)) is not None:
        return qs.filter(match).order_by("full_name", "id")
    condition = Q()
    for word in q.split()[:6]:
        condition &= Q(full_name__icontains=word) | Q(headline__icontains=word)
    return qs.filter(condition).order_by("full_name", "id")


def get_person(user: Any, pk: int) -> Person:
    person = people_visible_to(user).filter(pk=pk).first()
    if person is None:
        raise NotFound(f"person {pk} not found")
    return person


def identities_of(person: Person) -> QuerySet[Identity]:
    return person.identities.all().order_by("kind", "value")


def find_person_by_identity(kind: str, raw: str) -> Person | None:
    """Unscoped: used by importers and duplicate checks, never shown to a user directly."""
    value = identity.normalise(kind, raw)
    found = Identity.objects.filter(kind=kind, value=value).select_related("person").first()
    return found.person if found else None


def list_people(user: Any, *, q: str = "") -> QuerySet[Person]:
    """The people list page: search results with identities prefetched (one extra query per page)."""
    return search_people(user, q).prefetch_related("identities")


def source_records_of(person: Person) -> QuerySet[SourceRecord]:
    """Where what we know about a person came from, newest first."""
    return person.source_records.order_by("-fetched_at", "-id")


def skills_with_evidence(person: Person) -> list[dict[str, Any]]:
    """One entry per skill, strongest-looking evidence first, each evidence row with its source."""
    grouped: dict[int, dict[str, Any]] = {}
    rows = person.skill_evidence.select_related("skill", "source_record").order_by(
        "skill__name", "-observed_on"
    )
    for row in rows:
        entry = grouped.setdefault(row.skill_id, {"skill": row.skill, "evidence": []})
        entry["evidence"].append(row)
    return sorted(grouped.values(), key=lambda e: (-len(e["evidence"]), e["skill"].name))


def facts_of(person: Person) -> QuerySet[Fact]:
    """Employment, education, publications... newest first, with their source."""
    return person.facts.select_related("source_record").order_by(
        "kind", F("start_date").desc(nulls_last=True)
    )


def hidden_text_flags(records: Iterable[SourceRecord]) -> list[dict[str, Any]]:
    """Of these source records (already loaded for the page, so no extra query), the documents in
    which an importer found text a reader cannot see (white, tiny, off-page, hidden runs)."""
    flags = []
    for record in records:
        spans = (record.payload or {}).get("hidden_text") or []
        if spans:
            skills = record.payload.get("hidden_skills", [])
            flags.append({"record": record, "spans": spans[:10], "skills": skills})
    return flags
