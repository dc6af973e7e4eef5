"""Helpers for view tests: log in a fixture user, grow the data set, count queries."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cadre.people.services import create_person
from cadre.pipeline.services import add_note, create_application
from cadre.requisitions.services import create_requisition

PASSWORD = "correct-horse-battery-staple"  # same as tests/conftest.py


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def grow(recruiter, tenant, n: int, *, start: int = 0) -> None:
    """Add n requisitions, n applicants on the tenant's requisition, and n applications and notes
    for the tenant's person, so every list, board and timeline has n more rows."""
    for i in range(start, start + n):
        requisition = create_requisition(
            recruiter,
            client=tenant.client,
            title=f"Data scientist {i}",
            location="Remote",
            pay_min="50.00",
            pay_max="70.00",
        )
        person = create_person(
            recruiter,
            full_name=f"Candidate {i} Example",
            headline="Data scientist",
            identities=[("email", f"cand{i}@example.org"), ("github", f"cand{i}")],
        )
        create_application(recruiter, person=person, requisition=tenant.requisition)
        create_application(recruiter, person=tenant.person, requisition=requisition)
        add_note(recruiter, tenant.person, body=f"Call {i}: keen on the role")


def count_queries(fetch: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    assert getattr(response, "status_code", 200) == 200
    return len(ctx.captured_queries)
