"""Shared fixtures: one user per role, two clients each with a hiring manager, a requisition and an
applicant per client. Hiring manager A must never see client B's data and vice versa."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cadre.clients.models import Client
from cadre.clients.services import assign_hiring_manager, create_client
from cadre.core.models import User
from cadre.core.roles import Role
from cadre.people.models import Person
from cadre.people.services import create_person
from cadre.pipeline.models import Application
from cadre.pipeline.services import create_application
from cadre.requisitions.models import Requisition
from cadre.requisitions.services import create_requisition
from cadre.taxonomy.models import RoleFamily, Skill

pytest_plugins = ["tests.browser"]  # the headless-Chromium `browser_page` fixture

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _match_index_always_fresh(monkeypatch):
    """Tests write data and match straight after: check the data signature on every match."""
    monkeypatch.setattr("cadre.matching.loader.SIGNATURE_TTL_S", 0.0)


@pytest.fixture(scope="session", autouse=True)
def _release_postgres_test_database(django_db_setup, django_db_blocker):
    """The live server's request threads can outlive the browser test with an open connection,
    which makes PostgreSQL refuse to drop the test database; end those sessions first."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def make_user(db):
    def _make(username: str, role: str = Role.RECRUITER, **extra) -> User:
        return User.objects.create_user(username=username, password=PASSWORD, role=role, **extra)

    return _make


@pytest.fixture
def admin_user(make_user) -> User:
    return make_user("ada", Role.ADMIN, is_superuser=True)


@pytest.fixture
def recruiter(make_user) -> User:
    return make_user("rita", Role.RECRUITER)


@pytest.fixture
def compliance_officer(make_user) -> User:
    return make_user("colm", Role.COMPLIANCE_OFFICER)


@dataclass
class Tenant:
    """One client with its hiring manager, an open requisition and one applicant."""

    client: Client
    hiring_manager: User
    requisition: Requisition
    person: Person
    application: Application


def _tenant(recruiter: User, hm: User, name: str, person_name: str, github: str) -> Tenant:
    client = create_client(recruiter, name=name, industry="Software")
    assign_hiring_manager(recruiter, client, hm)
    requisition = create_requisition(
        recruiter,
        client=client,
        title=f"Senior ML engineer ({name})",
        role_family=RoleFamily.objects.get(slug="ml-engineer"),
        seniority="senior",
        skills=[
            (Skill.objects.get(slug="pytorch"), "must"),
            (Skill.objects.get(slug="kubernetes"), "nice"),
        ],
        pay_min="80.00",
        pay_max="110.00",
        bill_min="120.00",
        bill_max="160.00",
    )
    person = create_person(
        recruiter,
        full_name=person_name,
        headline="ML engineer",
        identities=[("email", f"{github}@example.org"), ("github", github)],
    )
    application = create_application(recruiter, person=person, requisition=requisition)
    return Tenant(client, hm, requisition, person, application)


@pytest.fixture
def tenant_a(recruiter, make_user) -> Tenant:
    return _tenant(
        recruiter,
        make_user("hana", Role.HIRING_MANAGER),
        "Northwind Robotics",
        "Ana Lima",
        "analima",
    )


@pytest.fixture
def tenant_b(recruiter, make_user) -> Tenant:
    return _tenant(
        recruiter, make_user("hugo", Role.HIRING_MANAGER), "Helix Health", "Ben Okafor", "benokafor"
    )
