"""Load the synthetic demo dataset (`cadre demo`) and remember the demo logins.

Clients, contacts, requisitions and people go through the services, so validation, audit rows and
source records are exactly what a recruiter's own edits produce. Applications carry months of
back-dated history, which the services (stamping "now") cannot write, so they are bulk-inserted
with the same rows a stage move writes: StageEvent, timeline Activity and AuditLog.
"""

from __future__ import annotations

import json
import os
import random
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cadre.clients.models import Client
from cadre.clients.services import add_contact, assign_hiring_manager, create_client
from cadre.core import audit
from cadre.core.models import AuditLog, User
from cadre.people.models import Fact, Identity, Person, SkillEvidence, SourceRecord
from cadre.people.services import create_person
from cadre.pipeline.models import Activity, Application, StageEvent
from cadre.pipeline.stages import Stage
from cadre.placements.demo import seed_placements
from cadre.placements.demo_operations import seed_operations
from cadre.placements.models import Placement
from cadre.requisitions.models import Requisition
from cadre.requisitions.services import create_requisition
from cadre.screening.demo import seed_screening
from cadre.taxonomy.models import Platform, RoleFamily, Skill
from cadre.web import demo_catalogue as cat
from cadre.web import demo_matching
from cadre.web.demo_plan import DemoPlanner, PlannedApplication, PlannedPerson, PlannedRequisition

DEFAULT_SEED = 2026
DEFAULT_PEOPLE = 300
LOGINS_FILE = "demo-users.json"

# (what is being done, done so far, total) — the CLI turns this into a progress bar.
Progress = Callable[[str, int, int], None]


class DemoRefused(Exception):
    """The database already holds data; loading the demo would mix or duplicate records."""


@dataclass
class DemoLogin:
    username: str
    role: str
    password: str
    client: str | None  # the client a hiring manager is scoped to


@dataclass
class DemoResult:
    logins: list[DemoLogin]
    counts: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        return {"users": [asdict(u) for u in self.logins], "counts": self.counts}


def database_has_data() -> bool:
    return Person.objects.exists() or Client.objects.exists() or Requisition.objects.exists()


def demo_sizes(people: int) -> tuple[int, int]:
    """Requisitions and applications for `people` candidates: about 1.7 applications each."""
    return max(8, min(60, people // 10)), round(people * 1.7)


def counts() -> dict[str, int]:
    return {
        "clients": Client.objects.count(),
        "requisitions": Requisition.objects.count(),
        "people": Person.objects.count(),
        "identities": Identity.objects.count(),
        "applications": Application.objects.count(),
        "stage_events": StageEvent.objects.count(),
        "activities": Activity.objects.count(),
    }


def load_demo(
    *, people: int = DEFAULT_PEOPLE, seed: int = DEFAULT_SEED, progress: Progress | None = None
) -> DemoResult:
    """Write the whole demo in one transaction: on any error nothing is left half-loaded."""
    report = progress or (lambda _step, _done, _total: None)
    if database_has_data():
        raise DemoRefused("the database already has clients, requisitions or people")
    planner = DemoPlanner(seed)
    client_profiles = list(cat.CLIENTS[:4])
    planned_users = planner.users(client_profiles)
    clashing = User.objects.filter(username__in=[u.username for u in planned_users]).values_list(
        "username", flat=True
    )
    if clashing:
        raise DemoRefused(f"user(s) {', '.join(sorted(clashing))} already exist")
    contacts = {c.key: planner.contacts(c) for c in client_profiles}
    recruiters = [u.username for u in planned_users if u.role == "recruiter"]
    hiring_managers = {u.client_key: u.username for u in planned_users if u.client_key}
    n_requisitions, n_applications = demo_sizes(people)
    planned_reqs = planner.requisitions(n_requisitions, client_profiles, recruiters)
    planned_people = planner.people(people)
    planned_apps = planner.applications(
        n_applications, planned_people, planned_reqs, hiring_managers=hiring_managers, recruiters=recruiters
    )

    now = timezone.now()
    with transaction.atomic():
        logins, users = _create_users(planned_users, {c.key: c.name for c in client_profiles})
        admin = users["admin"]
        with audit.acting_as(admin, "cli"):
            clients = _create_clients(admin, client_profiles, contacts, users)
            reqs = _create_requisitions(planned_reqs, clients, users, now, report)
            persons = _create_people(users[recruiters[0]], planned_people, report)
            demo_matching.add_requirements(reqs, seed, now.date())
            demo_matching.add_preferences_and_evidence(persons, planned_people, seed, now.date())
            _write_applications(planned_apps, persons, reqs, users, now, report)
            seed_placements(random.Random(seed), recruiters=[users[r] for r in recruiters])
            seed_operations(random.Random(seed), Placement.objects.select_related("application"))
            seed_screening(random.Random(seed), recruiters=[users[r] for r in recruiters])
    return DemoResult(logins=logins, counts=counts())


def _create_users(
    planned: list[Any], client_names: dict[str, str]
) -> tuple[list[DemoLogin], dict[str, User]]:
    logins, users = [], {}
    for p in planned:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=p.username,
            password=password,
            role=p.role,
            first_name=p.first_name,
            last_name=p.last_name,
            email=f"{p.username}@cadre.example",
            is_superuser=p.role == "admin",
        )
        users[p.username] = user
        logins.append(DemoLogin(p.username, p.role, password, client_names.get(p.client_key or "")))
    return logins, users


def _create_clients(
    admin: User,
    profiles: list[cat.ClientProfile],
    contacts: dict[str, list[dict[str, Any]]],
    users: dict[str, User],
) -> dict[str, Client]:
    platforms = {p.slug: p for p in Platform.objects.all()}
    clients = {}
    for profile in profiles:
        client = create_client(
            admin,
            name=profile.name,
            industry=profile.industry,
            website=f"https://{profile.domain}",
            headquarters=profile.headquarters,
            notes=profile.notes,
            platforms=[platforms[s] for s in profile.platforms if s in platforms],
        )
        for contact in contacts[profile.key]:
            add_contact(admin, client, **contact)
        clients[profile.key] = client
    for user in users.values():
        if user.role == "hiring_manager":
            key = user.username.removeprefix("hm.")
            assign_hiring_manager(admin, clients[key], user)
    return clients


def _create_requisitions(
    planned: list[PlannedRequisition],
    clients: dict[str, Client],
    users: dict[str, User],
    now: datetime,
    report: Progress,
) -> dict[int, Requisition]:
    families = {f.slug: f for f in RoleFamily.objects.all()}
    skills = {s.slug: s for s in Skill.objects.all()}
    reqs = {}
    for i, p in enumerate(planned, 1):
        owner = users[p.owner]
        wanted = [(skills[s], "must") for s in p.must if s in skills]
        wanted += [(skills[s], "nice") for s in p.nice if s in skills]
        req = create_requisition(
            owner,
            skills=wanted,
            client=clients[p.client_key],
            title=p.title,
            role_family=families.get(p.family),
            seniority=p.seniority,
            description=p.description,
            location=p.location,
            remote_policy=p.remote_policy,
            engagement_type=p.engagement_type,
            duration_months=p.duration_months,
            openings=p.openings,
            currency="USD",
            rate_unit=p.rate_unit,
            pay_min=Decimal(p.pay_min),
            pay_max=Decimal(p.pay_max),
            bill_min=Decimal(p.bill_min) if p.bill_min else None,
            bill_max=Decimal(p.bill_max) if p.bill_max else None,
            status=p.status,
            owner=owner,
        )
        # Back-date the opening so applications (which start after it) read as a real history.
        opened = now - timedelta(days=p.opened_days_ago)
        Requisition.objects.filter(pk=req.pk).update(created_at=opened, updated_at=opened)
        reqs[p.key] = req
        report("requisitions", i, len(planned))
    return reqs


def _create_people(recruiter: User, planned: list[PlannedPerson], report: Progress) -> dict[int, Person]:
    persons = {}
    for i, p in enumerate(planned, 1):
        payload = {
            "full_name": p.full_name,
            "headline": p.headline,
            "location": p.location,
            "identities": [list(x) for x in p.identities],
            "skills": p.skills,
            "employment": {"title": p.job_title, "organisation": p.employer, "years": p.years},
        }
        persons[p.key] = create_person(
            recruiter,
            full_name=p.full_name,
            identities=p.identities,
            source=SourceRecord.Source.DEMO,
            source_payload=payload,
            external_id=f"demo-{p.key:05d}",
            headline=p.headline,
            location=p.location,
            time_zone=p.time_zone,
            summary=p.summary,
        )
        if i % 25 == 0 or i == len(planned):
            report("people", i, len(planned))
    # Skills and employment, each pointing at the demo source record that "said" it.
    source_of = dict(
        SourceRecord.objects.filter(source=SourceRecord.Source.DEMO).values_list("person_id", "id")
    )
    skills = {s.slug: s for s in Skill.objects.all()}
    today = timezone.now().date()
    evidence, facts = [], []
    for p in planned:
        person = persons[p.key]
        record_id = source_of.get(person.pk)
        for slug in p.skills:
            if slug in skills:
                evidence.append(
                    SkillEvidence(
                        person=person,
                        skill=skills[slug],
                        kind=SkillEvidence.Kind.RESUME,
                        detail=f"Listed on profile ({p.job_title})",
                        source_record_id=record_id,
                    )
                )
        facts.append(
            Fact(
                person=person,
                kind=Fact.Kind.EMPLOYMENT,
                title=p.job_title,
                organisation=p.employer,
                start_date=today - timedelta(days=365 * min(p.years, 4) + 30),
                source_record_id=record_id,
            )
        )
    SkillEvidence.objects.bulk_create(evidence, batch_size=500)
    Fact.objects.bulk_create(facts, batch_size=500)
    return persons


def _write_applications(
    planned: list[PlannedApplication],
    persons: dict[int, Person],
    reqs: dict[int, Requisition],
    users: dict[str, User],
    now: datetime,
    report: Progress,
) -> None:
    """Insert applications with the StageEvent, Activity and AuditLog rows a stage move writes."""

    def when(days_ago: float) -> datetime:
        return now - timedelta(days=days_ago)

    apps = [
        Application(
            person=persons[p.person_key],
            requisition=reqs[p.requisition_key],
            stage=p.stage,
            stage_changed_at=when(p.moves[-1].days_ago),
            source=p.source,
            created_by=users[reqs[p.requisition_key].owner.username],  # type: ignore[union-attr]
        )
        for p in planned
    ]
    Application.objects.bulk_create(apps, batch_size=500)
    report("applications", len(apps) // 2, len(apps))
    events, activities, audits = [], [], []
    for app, p in zip(apps, planned, strict=True):
        req = reqs[p.requisition_key]
        audits.append(
            AuditLog(
                actor=users[p.moves[0].actor],
                via="cli",
                action=AuditLog.Action.CREATE,
                object_type="pipeline.application",
                object_id=str(app.pk),
                object_repr=str(app)[:200],
                after=audit.snapshot(app),
            )
        )
        previous = ""
        for move in p.moves:
            actor = users[move.actor]
            events.append(
                StageEvent(
                    application=app,
                    from_stage=previous,
                    to_stage=move.to_stage,
                    actor=actor,
                    at=when(move.days_ago),
                    reason=move.reason,
                )
            )
            if previous:
                body = f"{Stage(previous).label} → {Stage(move.to_stage).label} on {req.title}"
                body += f": {move.reason}" if move.reason else ""
                audits.append(
                    AuditLog(
                        actor=actor,
                        via="cli",
                        action=AuditLog.Action.STAGE_MOVE,
                        object_type="pipeline.application",
                        object_id=str(app.pk),
                        object_repr=str(app)[:200],
                        before={"stage": previous},
                        after={"stage": move.to_stage},
                    )
                )
            else:
                body = f"Added to {req.title} ({req.client.name}) at {Stage(move.to_stage).label}"
            activities.append(
                Activity(
                    person_id=app.person_id,
                    application=app,
                    kind=Activity.Kind.STAGE_CHANGE,
                    body=body,
                    actor=actor,
                    at=when(move.days_ago),
                )
            )
            previous = move.to_stage
        for kind, body, days_ago, author in p.notes:
            activities.append(
                Activity(
                    person_id=app.person_id,
                    application=app,
                    kind=kind,
                    body=body,
                    actor=users[author],
                    at=when(days_ago),
                )
            )
    StageEvent.objects.bulk_create(events, batch_size=500)
    Activity.objects.bulk_create(activities, batch_size=500)
    AuditLog.objects.bulk_create(audits, batch_size=500)
    # created_at is stamped "now" on insert; the first stage event is when they really entered.
    first_event = StageEvent.objects.filter(application=OuterRef("pk")).order_by("at").values("at")[:1]
    Application.objects.update(created_at=Subquery(first_event))
    first_application = (
        Application.objects.filter(person=OuterRef("pk"))
        .values("person")
        .annotate(m=Min("created_at"))
        .values("m")
    )
    Person.objects.update(created_at=Coalesce(Subquery(first_application), F("created_at")))
    report("applications", len(apps), len(apps))


# -- demo logins saved beside the database, so `make run` can show them again ------------------
def logins_path() -> Path:
    return Path(settings.CADRE_HOME) / LOGINS_FILE


def save_logins(result: DemoResult) -> Path:
    """Write the logins readable by the owner only (they are live passwords)."""
    path = logins_path()
    data = json.dumps({"users": [asdict(u) for u in result.logins]}, indent=2)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(data + "\n")
    path.chmod(0o600)
    return path


def saved_logins() -> list[DemoLogin] | None:
    path = logins_path()
    if not path.exists():
        return None
    try:
        return [DemoLogin(**u) for u in json.loads(path.read_text())["users"]]
    except (ValueError, KeyError, TypeError):
        return None
