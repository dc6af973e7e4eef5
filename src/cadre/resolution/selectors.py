"""Reads for identity resolution: the person-level record table, and the review queue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from cadre.core import roles
from cadre.core.exceptions import Forbidden, NotFound
from cadre.core.services import require_user
from cadre.people import identity
from cadre.people.models import Fact, Identity, Person, SkillEvidence, SourceRecord
from cadre.resolution.models import LinkageModel, MatchCandidate, MergeRecord
from cadre.resolution.records import EXACT_KINDS, normalise_record, split_full_name

CHUNK = 5000  # ids per IN (...) query; SQLite limits bound parameters
# Payload keys whose values are identifiers of the person the record is about. Only the top level
# and nested objects are read, never lists of objects: a paper's author list holds other people's
# e-mails, and treating those as this person's would merge co-authors.
_PAYLOAD_KEYS = {
    identity.EMAIL: ("email", "emails", "e-mail", "mail"),
    identity.GITHUB: ("github", "github_login", "github_url", "githubs"),
    identity.ORCID: ("orcid", "orcid_id", "orcids"),
    identity.OPENREVIEW: ("openreview", "openreview_id", "openreviews"),
}


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _payload_identifiers(payload: Any, out: dict[str, set[str]], depth: int = 0) -> None:
    if not isinstance(payload, dict) or depth > 2:
        return
    for key, value in payload.items():
        k = str(key).lower()
        for kind, names in _PAYLOAD_KEYS.items():
            if k in names:
                values = value if isinstance(value, list) else [value]
                out[kind].update(str(v) for v in values if isinstance(v, str | int))
        if isinstance(value, dict):
            _payload_identifiers(value, out, depth + 1)


def _coauthors(data: Any, own_name: tuple[str, str]) -> list[str]:
    names = data.get("authors") or data.get("coauthors") or [] if isinstance(data, dict) else []
    out = []
    for name in names if isinstance(names, list) else []:
        text = name.get("name", "") if isinstance(name, dict) else str(name)
        if text and split_full_name(text) != own_name:
            out.append(text)
    return out


def person_records(person_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """One linkage record per live (not merged) person, gathered with a handful of bulk queries."""
    people = Person.objects.filter(merged_into__isnull=True)
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    base: dict[int, dict[str, Any]] = {
        pk: {"unique_id": pk, "full_name": name, "title": headline, "location": location}
        for pk, name, headline, location in people.values_list("pk", "full_name", "headline", "location")
    }
    ids = sorted(base)
    idents: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    orgs: dict[int, set[str]] = defaultdict(set)
    coauthors: dict[int, set[str]] = defaultdict(set)
    skills: dict[int, set[str]] = defaultdict(set)
    for chunk in _chunks(ids):
        for pid, kind, value in Identity.objects.filter(
            person_id__in=chunk, kind__in=EXACT_KINDS
        ).values_list("person_id", "kind", "value"):
            idents[pid][kind].add(value)
        for pid, payload in SourceRecord.objects.filter(person_id__in=chunk).values_list(
            "person_id", "payload"
        ):
            _payload_identifiers(payload, idents[pid])
            if isinstance(payload, dict):
                for key in ("affiliation", "organisation", "organization", "company", "employer"):
                    if isinstance(payload.get(key), str) and payload[key].strip():
                        orgs[pid].add(payload[key])
        for pid, kind, org, data in Fact.objects.filter(person_id__in=chunk).values_list(
            "person_id", "kind", "organisation", "data"
        ):
            if org and kind in (Fact.Kind.EMPLOYMENT, Fact.Kind.EDUCATION, Fact.Kind.PUBLICATION):
                orgs[pid].add(org)
            if kind == Fact.Kind.PUBLICATION:
                coauthors[pid].update(_coauthors(data, split_full_name(base[pid]["full_name"])))
        for pid, skill in SkillEvidence.objects.filter(person_id__in=chunk).values_list(
            "person_id", "skill__slug"
        ):
            skills[pid].add(skill)
    records = []
    for pk in ids:
        raw = base[pk]
        parts = [p.strip() for p in (raw.pop("location") or "").split(",") if p.strip()]
        raw["city"] = parts[0] if parts else None
        raw["country"] = parts[-1] if len(parts) > 1 else None
        for kind, values in idents[pk].items():
            raw[kind + "s"] = sorted(values)
        raw["emails"] = sorted(idents[pk][identity.EMAIL])
        raw["affiliations"] = sorted(orgs[pk])
        raw["coauthors"] = sorted(coauthors[pk])
        raw["skills"] = sorted(skills[pk])
        records.append(normalise_record(raw))
    return records


def latest_model() -> LinkageModel | None:
    """The most recent trained model (incremental runs reuse it), else the most recent one."""
    return LinkageModel.objects.filter(trained=True).first() or LinkageModel.objects.first()


def require_reviewer_view(user: Any) -> Any:
    """The queue shows people across all clients: unscoped roles only (not hiring managers)."""
    u = require_user(user)
    if not roles.sees_all_clients(u.role):
        raise Forbidden("only recruiters, admins and compliance officers see the duplicate review queue")
    return u


def pending_candidates(user: Any) -> QuerySet[MatchCandidate]:
    require_reviewer_view(user)
    return (
        MatchCandidate.objects.filter(
            status=MatchCandidate.Status.PENDING,
            left__merged_into__isnull=True,
            right__merged_into__isnull=True,
        )
        .select_related("left", "right")
        .order_by("-probability", "id")
    )


def get_candidate(user: Any, pk: int) -> MatchCandidate:
    require_reviewer_view(user)
    found = MatchCandidate.objects.select_related("left", "right").filter(pk=pk).first()
    if found is None:
        raise NotFound(f"match candidate {pk} not found")
    return found


def recent_merges(user: Any) -> QuerySet[MergeRecord]:
    require_reviewer_view(user)
    return MergeRecord.objects.select_related("survivor", "merged", "actor").order_by("-at", "-id")


def get_merge(user: Any, pk: int) -> MergeRecord:
    require_reviewer_view(user)
    found = MergeRecord.objects.select_related("survivor", "merged").filter(pk=pk).first()
    if found is None:
        raise NotFound(f"merge {pk} not found")
    return found


def evidence(person: Person) -> dict[str, Any]:
    """What a reviewer compares side by side."""
    return {
        "person": person,
        "identities": list(person.identities.order_by("kind", "value")),
        "facts": list(person.facts.order_by("kind", "title")[:8]),
        "skills": sorted({e.skill.name for e in person.skill_evidence.select_related("skill")[:40]}),
        "sources": list(person.source_records.order_by("-fetched_at")[:5]),
    }
