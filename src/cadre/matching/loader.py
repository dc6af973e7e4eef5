"""Builds the match index from the database and keeps one per process, rebuilt when the data changes.

The index holds only what ranking may use: skills with their evidence, seniority, and the facts hard
filters need (work authorization, clearance, location/remote, time zone, availability, rate,
engagement types). Names, photos, ages, genders, ethnicities and zip codes are never read here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import time
import zoneinfo
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from cadre.matching import scoring
from cadre.matching.index import (
    ENGAGEMENT_BITS,
    NO_DAY,
    NO_OFFSET,
    REMOTE_CODES,
    MatchIndex,
    PersonAttributes,
    SkillVocabulary,
    aggregate_evidence,
    day_number,
)
from cadre.matching.models import SearchDocument
from cadre.matching.query import HOURS_PER_YEAR
from cadre.matching.textindex import TermIndex
from cadre.people.models import Fact, Person, SkillEvidence, WorkPreferences
from cadre.taxonomy.models import CLEARANCE_ORDER, SENIORITY_ORDER, Skill
from cadre.taxonomy.titles import detect_seniority, normalise_text

_lock = threading.Lock()
_cached: MatchIndex | None = None


def data_signature() -> str:
    """Changes whenever anything the index reads changes (counts catch deletions, maxima edits)."""
    parts = [
        Person.objects.aggregate(
            n=Count("id"), merged=Count("id", filter=Q(merged_into__isnull=False)), at=Max("updated_at")
        ),
        SkillEvidence.objects.aggregate(n=Count("id"), last=Max("id")),
        Fact.objects.aggregate(n=Count("id"), last=Max("id")),
        WorkPreferences.objects.aggregate(n=Count("person_id"), at=Max("updated_at")),
        Skill.objects.aggregate(n=Count("id"), last=Max("id")),
        {"day": timezone.localdate().isoformat(), "ranker": scoring.RANKER_VERSION},
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


# How long a process trusts its index before checking the data signature again (a few aggregate
# queries over the people and evidence tables): new imports show up in matches within this many seconds.
SIGNATURE_TTL_S = float(os.environ.get("CADRE_MATCH_INDEX_TTL", "5"))
_checked_at = 0.0


def current_index() -> MatchIndex:
    """The process's index, rebuilt first if the data changed since it was built."""
    global _cached, _checked_at
    with _lock:
        if _cached is not None and time.monotonic() - _checked_at < SIGNATURE_TTL_S:
            return _cached
        signature = data_signature()
        if _cached is None or _cached.signature != signature:
            _cached = build_index(signature=signature)
        _checked_at = time.monotonic()
        return _cached


def forget_index() -> None:
    global _cached, _checked_at
    with _lock:
        _cached = None
        _checked_at = 0.0


@lru_cache(maxsize=512)
def utc_offset_minutes(zone: str, on: dt.date) -> int | None:
    if not zone:
        return None
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    offset = dt.datetime.combine(on, dt.time(12), tzinfo=tz).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else None


def hourly(amount: Decimal | float | None, unit: str) -> float | None:
    if amount is None:
        return None
    return float(amount) / HOURS_PER_YEAR if unit == "year" else float(amount)


def _vocabulary() -> tuple[SkillVocabulary, dict[int, int]]:
    rows = list(Skill.objects.order_by("slug").values_list("id", "slug", "name", "parent_id"))
    col_of_id = {sid: i for i, (sid, *_rest) in enumerate(rows)}
    vocab = SkillVocabulary(
        slugs=[slug for _, slug, _, _ in rows],
        names=[name for _, _, name, _ in rows],
        parent=[col_of_id.get(parent, -1) if parent else -1 for *_rest, parent in rows],
    )
    return vocab, col_of_id


def _person_seniority(pref: str, headline: str) -> int:
    if pref in SENIORITY_ORDER:
        return SENIORITY_ORDER.index(pref)
    if headline:
        level, why = detect_seniority(normalise_text(headline))
        if why and level in SENIORITY_ORDER:
            return SENIORITY_ORDER.index(level)
    return -1


def _document(headline: str, summary: str, facts: list[str], skills: list[str]) -> str:
    return "\n".join(part for part in (headline, summary, "; ".join(facts), ", ".join(skills)) if part)


def build_index(*, signature: str = "", as_of: dt.date | None = None) -> MatchIndex:
    as_of = as_of or timezone.localdate()
    vocab, col_of_id = _vocabulary()
    people = list(
        Person.objects.filter(merged_into__isnull=True)
        .order_by("id")
        .values_list("id", "headline", "summary", "time_zone")
    )
    ids = np.array([p[0] for p in people], dtype=np.int64)
    n = len(ids)
    row_of = {int(pid): i for i, pid in enumerate(ids)}

    ev = list(
        SkillEvidence.objects.filter(person__merged_into__isnull=True).values_list(
            "id", "person_id", "skill_id", "kind", "observed_on"
        )
    )
    ev = [e for e in ev if e[2] in col_of_id and e[3] in scoring.KIND_CODE]
    columns = aggregate_evidence(
        n,
        len(vocab.slugs),
        np.array([row_of[e[1]] for e in ev], np.int32),
        np.array([col_of_id[e[2]] for e in ev], np.int32),
        np.array([scoring.KIND_CODE[e[3]] for e in ev], np.int8),
        np.array([day_number(e[4]) for e in ev], np.int32),
        np.array([e[0] for e in ev], np.int64),
        as_of=as_of,
    )

    prefs = {p.person_id: p for p in WorkPreferences.objects.filter(person__merged_into__isnull=True)}
    countries: list[str] = []
    cities: list[str] = []
    currencies: list[str] = ["USD"]

    def code(vocabulary: list[str], value: str) -> int:
        if not value:
            return -1
        if value not in vocabulary:
            vocabulary.append(value)
        return vocabulary.index(value)

    seniority = np.full(n, -1, np.int8)
    country = np.full(n, -1, np.int16)
    city = np.full(n, -1, np.int32)
    relocate = np.zeros(n, bool)
    remote_pref = np.zeros(n, np.int8)
    clearance = np.zeros(n, np.int8)
    clearance_expires = np.full(n, NO_DAY, np.int32)
    available = np.full(n, NO_DAY, np.int32)
    offsets = np.full(n, NO_OFFSET, np.int16)
    engagement = np.zeros(n, np.int8)
    rate = np.full(n, np.nan, np.float32)
    rate_currency = np.zeros(n, np.int16)
    authorized: dict[str, list[int]] = defaultdict(list)
    authorization_known = np.zeros(n, bool)
    for i, (pid, headline, _summary, zone) in enumerate(people):
        pref = prefs.get(pid)
        offset = utc_offset_minutes(zone or "", as_of)
        if offset is not None:
            offsets[i] = offset
        seniority[i] = _person_seniority(pref.seniority if pref else "", headline)
        if pref is None:
            continue
        country[i] = code(countries, pref.country.upper())
        city[i] = code(cities, pref.city.strip().lower())
        relocate[i] = pref.willing_to_relocate
        remote_pref[i] = REMOTE_CODES.get(pref.remote_preference, 0)
        if pref.clearance_level in CLEARANCE_ORDER:
            clearance[i] = CLEARANCE_ORDER.index(pref.clearance_level)
        clearance_expires[i] = day_number(pref.clearance_expires)
        available[i] = day_number(pref.available_from)
        for c in pref.authorized_countries or []:
            authorized[str(c).upper()].append(i)
            authorization_known[i] = True
        engagement[i] = sum(ENGAGEMENT_BITS.get(t, 0) for t in set(pref.engagement_types or []))
        if (h := hourly(pref.min_rate, pref.rate_unit)) is not None:
            rate[i] = h
            rate_currency[i] = code(currencies, pref.rate_currency.upper())

    attributes = PersonAttributes(
        person_ids=ids,
        seniority=seniority,
        country=country,
        city=city,
        relocate=relocate,
        remote_pref=remote_pref,
        clearance=clearance,
        clearance_expires=clearance_expires,
        available_from=available,
        utc_offset=offsets,
        engagement=engagement,
        min_rate_hourly=rate,
        rate_currency=rate_currency,
        authorized={c: np.array(rows, np.int32) for c, rows in authorized.items()},
        authorization_known=authorization_known,
        countries=countries,
        cities=cities,
        currencies=currencies,
        seniority_order=list(SENIORITY_ORDER),
        clearance_order=list(CLEARANCE_ORDER),
    )
    bodies = _sync_documents(people, row_of, vocab, ev, col_of_id)
    index = MatchIndex(vocab, attributes, columns, as_of, signature=signature)
    index.terms = TermIndex.build(bodies)
    return index


def _sync_documents(
    people: list[tuple[Any, ...]],
    row_of: dict[int, int],
    vocab: SkillVocabulary,
    evidence: list[tuple[Any, ...]],
    col_of_id: dict[int, int],
) -> list[str]:
    """Profile text of everyone in row order; SearchDocuments (and so FTS) are rewritten only where
    the text changed, and removed for people who were merged away."""
    facts: dict[int, list[str]] = defaultdict(list)
    for pid, title, org in (
        Fact.objects.filter(
            person__merged_into__isnull=True, kind__in=["employment", "publication", "education"]
        )
        .order_by("person_id", "-start_date", "id")
        .values_list("person_id", "title", "organisation")
    ):
        facts[pid].append(f"{title} {org}".strip())
    skills: dict[int, set[int]] = defaultdict(set)
    for e in evidence:
        skills[e[1]].add(col_of_id[e[2]])
    bodies = [
        _document(
            headline, summary, facts.get(pid, []), [vocab.names[c] for c in sorted(skills.get(pid, ()))]
        )
        for pid, headline, summary, _zone in people
    ]
    stored = dict(SearchDocument.objects.values_list("person_id", "digest"))
    create, update = [], []
    for (pid, *_rest), body in zip(people, bodies, strict=True):
        digest = hashlib.sha256(body.encode()).hexdigest()
        if pid not in stored:
            create.append(SearchDocument(person_id=pid, body=body, digest=digest))
        elif stored[pid] != digest:
            update.append(SearchDocument(person_id=pid, body=body, digest=digest))
    gone = [pid for pid in stored if pid not in row_of]
    if create or update or gone:
        with transaction.atomic():
            # Another worker may be writing the same documents: theirs are identical, so skip clashes.
            SearchDocument.objects.bulk_create(create, batch_size=2000, ignore_conflicts=True)
            SearchDocument.objects.bulk_update(update, ["body", "digest"], batch_size=2000)
            for start in range(0, len(gone), 2000):
                SearchDocument.objects.filter(person_id__in=gone[start : start + 2000]).delete()
    return bodies


def fulltext_backend() -> Any:
    """FTS5 on SQLite, PostgreSQL full text otherwise."""
    from cadre.matching.fulltext import PostgresFullText, SqliteFullText

    if connection.vendor == "sqlite":
        return SqliteFullText(connection.cursor)
    return PostgresFullText(connection.cursor)
