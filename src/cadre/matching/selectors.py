"""Turning requisitions and job descriptions into match queries, and reading matching's records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cadre.clients.models import Client
from cadre.core.exceptions import Forbidden, ValidationFailed
from cadre.core.roles import sees_all_clients
from cadre.matching.index import day_number
from cadre.matching.loader import hourly, utc_offset_minutes
from cadre.matching.models import SavedSearch, TalentPool
from cadre.matching.query import FILTERS, HardFilters, MatchQuery, text_terms
from cadre.people.models import SkillEvidence
from cadre.pipeline.models import Application
from cadre.requisitions.models import Requisition, RequisitionSkill
from cadre.taxonomy.extraction import extract_skills
from cadre.taxonomy.models import Platform
from cadre.taxonomy.ontology import load_ontology

MAX_TEXT_CHARS = 200_000


def require_matcher(user: Any) -> Any:
    """Matching searches the whole talent pool, so it is for roles that see every client. None is the
    system itself (the `cadre match` CLI, run by whoever operates the installation)."""
    if user is None:
        return None
    if not getattr(user, "is_authenticated", False):
        raise Forbidden("log in first")
    if not sees_all_clients(getattr(user, "role", "")):
        raise Forbidden("matching searches every candidate; it is for recruiters, admins and compliance")
    return user


def parse_relaxed(values: Iterable[str]) -> frozenset[str]:
    out = set()
    for value in values:
        for name in str(value).split(","):
            name = name.strip()
            if not name:
                continue
            if name not in FILTERS:
                raise ValidationFailed(
                    f"unknown filter {name!r}; choose from {', '.join(FILTERS)}", field="relax"
                )
            out.add(name)
    return frozenset(out)


def filters_for(requisition: Requisition, *, as_of: dt.date | None = None) -> HardFilters:
    as_of = as_of or timezone.localdate()
    tz = utc_offset_minutes(requisition.time_zone, as_of) if requisition.time_zone else None
    return HardFilters(
        work_country=(requisition.work_country or "").upper(),
        sponsorship_available=requisition.sponsorship_available,
        clearance=requisition.clearance_required,
        remote_policy=requisition.remote_policy,
        city=requisition.location.split(",")[0].strip().lower()
        if requisition.remote_policy != "remote"
        else "",
        tz_offset_minutes=tz,
        max_tz_difference_hours=requisition.max_tz_difference_hours if tz is not None else None,
        start_day=day_number(requisition.start_date) if requisition.start_date else None,
        pay_max_hourly=hourly(requisition.pay_max, requisition.rate_unit),
        currency=requisition.currency.upper(),
        engagement_type=requisition.engagement_type,
    )


def requisition_query(
    requisition: Requisition, *, relaxed: frozenset[str] = frozenset(), include_in_pipeline: bool = False
) -> MatchQuery:
    exclude: frozenset[int] = frozenset()
    if not include_in_pipeline:
        exclude = frozenset(
            Application.objects.filter(requisition=requisition).values_list("person_id", flat=True)
        )
    return requisition_queries([requisition], relaxed=relaxed, exclude={requisition.pk: exclude})[0]


def requisition_queries(
    requisitions: Sequence[Requisition],
    *,
    relaxed: frozenset[str] = frozenset(),
    exclude: Mapping[int, frozenset[int]] | None = None,
) -> list[MatchQuery]:
    """Match queries for many requisitions in a fixed number of queries, reading plain values (no
    model instances per skill: scoring a person against thousands of requisitions stays fast).
    `requisitions` come with client, role_family and profile__platform selected."""
    ids = [r.pk for r in requisitions]
    skills: dict[int, list[tuple[str, str, str]]] = {pk: [] for pk in ids}
    for req_id, slug, name, importance in (
        RequisitionSkill.objects.filter(requisition_id__in=ids)
        .order_by("skill__slug")
        .values_list("requisition_id", "skill__slug", "skill__name", "importance")
    ):
        skills[req_id].append((slug, name, importance))
    platform_ids = {pid for r in requisitions if (pid := _profile_platform_id(r)) is not None}
    platform_skills: dict[int, list[str]] = {pk: [] for pk in platform_ids}
    for platform_id, slug in Platform.skills.through.objects.filter(platform_id__in=platform_ids).values_list(
        "platform_id", "skill__slug"
    ):
        platform_skills[platform_id].append(slug)
    client_ids = {r.client_id for r in requisitions}
    stacks: dict[int, list[tuple[str, str]]] = {pk: [] for pk in client_ids}  # (platform name, skill)
    for client_id, name, slug in Client.platforms.through.objects.filter(
        client_id__in=client_ids
    ).values_list("client_id", "platform__name", "platform__skills__slug"):
        stacks[client_id].append((name, slug or ""))
    out = []
    for requisition in requisitions:
        wanted = skills[requisition.pk]
        must = tuple(slug for slug, _n, imp in wanted if imp == RequisitionSkill.Importance.MUST)
        nice = tuple(slug for slug, _n, imp in wanted if imp != RequisitionSkill.Importance.MUST)
        if (chosen := _profile_platform_id(requisition)) is not None:
            platform_slugs = tuple(sorted(platform_skills[chosen]))
            platform_name = requisition.profile.platform.name if requisition.profile.platform else ""
        else:  # no platform in the job profile: the client's whole stack
            stack = stacks[requisition.client_id]
            platform_slugs = tuple(sorted({slug for _name, slug in stack if slug}))
            platform_name = ", ".join(sorted({name for name, _slug in stack}))
        family = requisition.role_family.name if requisition.role_family is not None else ""
        out.append(
            MatchQuery(
                must=must,
                nice=nice,
                platform_skills=platform_slugs,
                platform_name=platform_name,
                seniority=requisition.seniority,
                terms=text_terms(requisition.title, family, " ".join(name for _s, name, _i in wanted)),
                filters=filters_for(requisition),
                relaxed=relaxed,
                exclude_person_ids=(exclude or {}).get(requisition.pk, frozenset()),
                label=f"requisition {requisition.pk}: {requisition.title}",
            )
        )
    return out


def _profile_platform_id(requisition: Requisition) -> int | None:
    profile = getattr(requisition, "profile", None)
    return profile.platform_id if profile is not None else None


def text_query(text: str, *, relaxed: frozenset[str] = frozenset()) -> MatchQuery:
    """A job description as a query: its ontology skills (must/nice from the cue words), seniority
    cue and distinctive words. No hard filters: the text has no structured requirements."""
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationFailed(f"the text is over {MAX_TEXT_CHARS:,} characters", field="text")
    mentions = extract_skills(text, load_ontology())
    must = tuple(sorted({m.skill_id for m in mentions if m.requirement == "must"}))
    nice = tuple(sorted({m.skill_id for m in mentions if m.requirement != "must"} - set(must)))
    if not must and nice:  # no cue words: every named skill is what the text asks for
        must, nice = nice, ()
    from cadre.taxonomy.titles import detect_seniority, normalise_text

    level, why = detect_seniority(normalise_text(text[:300]))
    return MatchQuery(
        must=must,
        nice=nice,
        seniority=level if why else "",
        terms=text_terms(text),
        filters=HardFilters(),
        relaxed=relaxed,
        label="job description text",
    )


def evidence_details(ids: Sequence[int]) -> Mapping[int, Mapping[str, Any]]:
    """Detail and source of the pieces of evidence an explanation cites (one query)."""
    out: dict[int, dict[str, Any]] = {}
    for ev in SkillEvidence.objects.filter(pk__in=list(ids)).select_related("source_record"):
        record = ev.source_record
        out[ev.pk] = {
            "detail": ev.detail,
            "source": record.source if record else "",
            "source_record_id": record.pk if record else None,
            "source_external_id": record.external_id if record else "",
        }
    return out


def saved_searches_of(user: Any) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(owner=user).select_related("requisition__client")


def talent_pools() -> QuerySet[TalentPool]:
    from django.db.models import Count

    return TalentPool.objects.annotate(size=Count("memberships")).select_related("owner")
