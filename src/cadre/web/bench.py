"""`cadre bench web`: seed a scratch database at production scale and time the pages and API.

The scratch database is Django's test database machinery pointed at a temporary SQLite file (or
`<name>_bench_<pid>` on PostgreSQL), so the user's data is never touched; it is dropped afterwards.
Requests go through django.test.Client in-process: the whole middleware, view, template and ORM
stack without network noise, which is what a per-page latency budget is about.
"""

from __future__ import annotations

import math
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client as HttpClient
from django.utils import timezone

from cadre.clients.models import Client
from cadre.core.models import User
from cadre.people import identity
from cadre.people.models import Identity, Person, SkillEvidence, SourceRecord
from cadre.pipeline.models import Activity, Application, StageEvent
from cadre.pipeline.stages import Stage
from cadre.requisitions.models import Requisition, RequisitionSkill
from cadre.taxonomy.models import Platform, RoleFamily, Skill
from cadre.web import demo_catalogue as cat
from cadre.web.demo_plan import DemoPlanner, PlannedApplication, PlannedPerson

Progress = Callable[[str, int, int], None]
BATCH = 5000
P95_TARGET_MS = 150.0


@dataclass
class BenchConfig:
    people: int = 100_000
    requisitions: int = 2_000
    applications: int = 300_000
    repeat: int = 30
    warmup: int = 2
    seed: int = 7


@dataclass
class BenchSubjects:
    """The users and ids the measured URLs point at."""

    recruiter: User
    hiring_manager: User
    hot_requisition_id: int
    person_id: int
    surname: str


@contextmanager
def scratch_database() -> Iterator[str]:
    """Switch the default connection to a fresh, migrated scratch database; drop it afterwards."""
    conn = connection
    old_name = conn.settings_dict["NAME"]
    tmpdir = None
    if conn.vendor == "sqlite":
        tmpdir = tempfile.mkdtemp(prefix="cadre-bench-")
        conn.settings_dict["TEST"]["NAME"] = os.path.join(tmpdir, "bench.sqlite3")
    else:
        conn.settings_dict["TEST"]["NAME"] = f"{old_name}_bench_{os.getpid()}"
    conn.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    try:
        yield conn.vendor
    finally:
        conn.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)


@contextmanager
def fast_bulk_load() -> Iterator[None]:
    """SQLite: skip fsync while seeding the throwaway database; serving settings come back after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=NORMAL")


# -- seeding -----------------------------------------------------------------------------------
def seed(cfg: BenchConfig, report: Progress) -> BenchSubjects:
    planner = DemoPlanner(cfg.seed)
    profiles = list(cat.CLIENTS)
    users = {
        name: User.objects.create_user(username=name, password=None, role=role)
        for name, role in (
            ("bench.admin", "admin"),
            ("bench.recruiter", "recruiter"),
            ("bench.sourcer", "recruiter"),
            ("bench.hm1", "hiring_manager"),
            ("bench.hm2", "hiring_manager"),
        )
    }
    recruiters = ["bench.recruiter", "bench.sourcer"]
    clients = _seed_clients(profiles, users)
    report("plan", 0, 3)
    planned_reqs = planner.requisitions(cfg.requisitions, profiles, recruiters)
    report("plan", 1, 3)
    planned_people = planner.people(cfg.people, phones=False)
    report("plan", 2, 3)
    planned_apps = planner.applications(
        cfg.applications,
        planned_people,
        planned_reqs,
        hiring_managers={profiles[0].key: "bench.hm1", profiles[1].key: "bench.hm2"},
        recruiters=recruiters,
        skew=2.0,
        notes=False,
    )
    report("plan", 3, 3)
    families = {f.slug: f.pk for f in RoleFamily.objects.all()}
    skills = {s.slug: s.pk for s in Skill.objects.all()}
    reqs = [
        Requisition(
            client=clients[p.client_key],
            title=p.title,
            role_family_id=families.get(p.family),
            seniority=p.seniority,
            description=p.description,
            location=p.location,
            remote_policy=p.remote_policy,
            engagement_type=p.engagement_type,
            duration_months=p.duration_months,
            openings=p.openings,
            rate_unit=p.rate_unit,
            pay_min=p.pay_min,
            pay_max=p.pay_max,
            bill_min=p.bill_min,
            bill_max=p.bill_max,
            status=p.status,
            owner=users[p.owner],
        )
        for p in planned_reqs
    ]
    with transaction.atomic():
        Requisition.objects.bulk_create(reqs, batch_size=BATCH)
        RequisitionSkill.objects.bulk_create(
            [
                RequisitionSkill(requisition=r, skill_id=skills[s], importance=imp)
                for r, p in zip(reqs, planned_reqs, strict=True)
                for imp, slugs in (("must", p.must), ("nice", p.nice))
                for s in slugs
                if s in skills
            ],
            batch_size=BATCH,
        )
    report("requisitions", len(reqs), len(reqs))
    person_ids = _seed_people(planned_people, report)
    _seed_applications(planned_apps, person_ids, reqs, users, report)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum would do shortly after a bulk load
            cursor.execute("ANALYZE")
    hot = (
        Application.objects.filter(requisition__client=clients[profiles[0].key])
        .values("requisition")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    busy = Application.objects.values("person").annotate(n=Count("id")).order_by("-n").first()
    if hot is None or busy is None:
        raise ValueError("the bench needs at least one application on the first client")
    person = Person.objects.get(pk=busy["person"])
    return BenchSubjects(
        recruiter=users["bench.recruiter"],
        hiring_manager=users["bench.hm1"],
        hot_requisition_id=hot["requisition"],
        person_id=person.pk,
        surname=person.full_name.split()[-1],
    )


def _seed_clients(profiles: list[cat.ClientProfile], users: dict[str, User]) -> dict[str, Client]:
    platforms = {p.slug: p.pk for p in Platform.objects.all()}
    clients = {
        p.key: Client(
            name=p.name, industry=p.industry, website=f"https://{p.domain}", headquarters=p.headquarters
        )
        for p in profiles
    }
    Client.objects.bulk_create(clients.values())
    Client.platforms.through.objects.bulk_create(
        Client.platforms.through(client_id=clients[p.key].pk, platform_id=platforms[s])
        for p in profiles
        for s in p.platforms
        if s in platforms
    )
    clients[profiles[0].key].hiring_managers.add(users["bench.hm1"])
    clients[profiles[1].key].hiring_managers.add(users["bench.hm2"])
    return clients


def _seed_people(planned: list[PlannedPerson], report: Progress) -> list[int]:
    ids: list[int] = []
    now = timezone.now()
    skill_ids = dict(Skill.objects.values_list("slug", "pk"))
    kinds = [SkillEvidence.Kind.RESUME, SkillEvidence.Kind.EMPLOYMENT, SkillEvidence.Kind.MERGED_PR]
    for start in range(0, len(planned), BATCH):
        chunk = planned[start : start + BATCH]
        people = [
            Person(
                full_name=p.full_name,
                headline=p.headline,
                location=p.location,
                time_zone=p.time_zone,
                summary=p.summary,
            )
            for p in chunk
        ]
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=BATCH)
            records = [
                SourceRecord(
                    person=person,
                    source=SourceRecord.Source.DEMO,
                    external_id=f"bench-{p.key}",
                    payload={"full_name": p.full_name, "skills": p.skills},
                    fetched_at=now,
                )
                for person, p in zip(people, chunk, strict=True)
            ]
            SourceRecord.objects.bulk_create(records, batch_size=BATCH)
            Identity.objects.bulk_create(
                [
                    Identity(
                        person=person,
                        kind=kind,
                        value=identity.normalise(kind, raw),
                        display_value=raw,
                        source_record=record,
                    )
                    for person, record, p in zip(people, records, chunk, strict=True)
                    for kind, raw in p.identities
                ],
                batch_size=BATCH,
            )
            # Skills as evidence of mixed kinds and ages, so the matching endpoints have work to do.
            SkillEvidence.objects.bulk_create(
                [
                    SkillEvidence(
                        person=person,
                        skill_id=skill_ids[slug],
                        kind=kinds[(p.key + j) % 3 if (p.key + j) % 5 == 0 else 0],
                        observed_on=(now - timedelta(days=(p.key * 37 + j * 101) % 3000)).date(),
                        source_record=record,
                    )
                    for person, record, p in zip(people, records, chunk, strict=True)
                    for j, slug in enumerate(p.skills)
                    if slug in skill_ids
                ],
                batch_size=BATCH,
            )
        ids.extend(person.pk for person in people)
        report("people", len(ids), len(planned))
    return ids


def _seed_applications(
    planned: list[PlannedApplication],
    person_ids: list[int],
    reqs: list[Requisition],
    users: dict[str, User],
    report: Progress,
) -> None:
    """Applications with their full StageEvent history and one timeline Activity per move."""
    now = timezone.now()
    user_ids = {name: u.pk for name, u in users.items()}
    for start in range(0, len(planned), BATCH):
        chunk = planned[start : start + BATCH]
        apps = [
            Application(
                person_id=person_ids[p.person_key],
                requisition_id=reqs[p.requisition_key].pk,
                stage=p.stage,
                stage_changed_at=now - timedelta(days=p.moves[-1].days_ago),
                source=p.source,
                created_by_id=user_ids[reqs[p.requisition_key].owner.username],  # type: ignore[union-attr]
            )
            for p in chunk
        ]
        events, activities = [], []
        with transaction.atomic():
            Application.objects.bulk_create(apps, batch_size=BATCH)
            for app, p in zip(apps, chunk, strict=True):
                title = reqs[p.requisition_key].title
                previous = ""
                for move in p.moves:
                    at = now - timedelta(days=move.days_ago)
                    actor = user_ids[move.actor]
                    events.append(
                        StageEvent(
                            application_id=app.pk,
                            from_stage=previous,
                            to_stage=move.to_stage,
                            actor_id=actor,
                            at=at,
                            reason=move.reason,
                        )
                    )
                    body = (
                        f"{Stage(previous).label} → {Stage(move.to_stage).label} on {title}"
                        if previous
                        else f"Added to {title} at {Stage(move.to_stage).label}"
                    )
                    activities.append(
                        Activity(
                            person_id=app.person_id,
                            application_id=app.pk,
                            kind=Activity.Kind.STAGE_CHANGE,
                            body=body,
                            actor_id=actor,
                            at=at,
                        )
                    )
                    previous = move.to_stage
            StageEvent.objects.bulk_create(events, batch_size=BATCH)
            Activity.objects.bulk_create(activities, batch_size=BATCH)
        report("applications", start + len(chunk), len(planned))


# -- measuring ---------------------------------------------------------------------------------
def endpoints(subjects: BenchSubjects) -> list[tuple[str, str, str]]:
    """(name, who, url): every page and API list a recruiter uses, and the list pages again as a
    hiring manager, whose client scoping adds joins."""
    hot, person, q = subjects.hot_requisition_id, subjects.person_id, subjects.surname
    return [
        ("dashboard", "recruiter", "/"),
        ("requisition_list", "recruiter", "/requisitions/"),
        ("requisition_board", "recruiter", f"/requisitions/{hot}/"),
        ("person_list", "recruiter", "/people/"),
        ("person_detail", "recruiter", f"/people/{person}/"),
        ("search", "recruiter", f"/search/?q={q}"),
        ("api_requisitions", "recruiter", "/api/requisitions"),
        ("api_requisition_detail", "recruiter", f"/api/requisitions/{hot}"),
        ("api_applications", "recruiter", f"/api/applications?requisition_id={hot}"),
        ("api_people", "recruiter", "/api/people"),
        ("api_people_search", "recruiter", f"/api/people?q={q}"),
        ("requisition_matches", "recruiter", f"/requisitions/{hot}/matches/"),
        ("api_requisition_matches", "recruiter", f"/api/requisitions/{hot}/matches?top=50"),
        ("api_person_matches", "recruiter", f"/api/people/{person}/matches"),
        ("hm_dashboard", "hiring_manager", "/"),
        ("hm_requisition_list", "hiring_manager", "/requisitions/"),
        ("hm_requisition_board", "hiring_manager", f"/requisitions/{hot}/"),
        ("hm_person_list", "hiring_manager", "/people/"),
        ("hm_search", "hiring_manager", f"/search/?q={q}"),
        ("hm_api_requisitions", "hiring_manager", "/api/requisitions"),
        ("hm_api_people", "hiring_manager", "/api/people"),
    ]


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least pct% of samples at or below it."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


class QueryCounter:
    """Counts SQL statements through a connection wrapper (independent of DEBUG query logging)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def measure(
    subjects: BenchSubjects, *, repeat: int, warmup: int, report: Progress
) -> dict[str, dict[str, Any]]:
    browsers = {}
    for who, user in (("recruiter", subjects.recruiter), ("hiring_manager", subjects.hiring_manager)):
        browser = HttpClient(raise_request_exception=False)
        browser.force_login(user)
        browsers[who] = browser
    results: dict[str, dict[str, Any]] = {}
    plan = endpoints(subjects)
    for i, (name, who, url) in enumerate(plan, 1):
        browser = browsers[who]
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            status = browser.get(url).status_code
        for _ in range(max(0, warmup - 1)):
            browser.get(url)
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            status = browser.get(url).status_code if status == 200 else status
            timings.append((time.perf_counter() - started) * 1000)
        results[name] = {
            "url": url,
            "as": who,
            "status": status,
            "queries": queries.count,
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(percentile(timings, 95), 2),
        }
        report("measure", i, len(plan))
    return results


def run_web_bench(cfg: BenchConfig, report: Progress) -> dict[str, Any]:
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    with scratch_database() as vendor:
        started = time.perf_counter()
        with fast_bulk_load():
            subjects = seed(cfg, report)
        seed_seconds = time.perf_counter() - started
        results = measure(subjects, repeat=cfg.repeat, warmup=cfg.warmup, report=report)
        counts = {
            "people": Person.objects.count(),
            "requisitions": Requisition.objects.count(),
            "applications": Application.objects.count(),
            "stage_events": StageEvent.objects.count(),
        }
    p95s = [r["p95_ms"] for r in results.values()]
    return {
        **counts,
        "database": vendor,
        "repeat": cfg.repeat,
        "endpoints": results,
        "p95_ms_max": max(p95s) if p95s else None,
        "p95_target_ms": P95_TARGET_MS,
        "over_target": sorted(n for n, r in results.items() if r["p95_ms"] >= P95_TARGET_MS),
        "failed": sorted(n for n, r in results.items() if r["status"] != 200),
        "seed_seconds": round(seed_seconds, 1),
    }
