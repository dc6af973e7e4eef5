"""Every page runs a fixed number of SQL queries, whatever the row count (N+1 regressions fail)."""

from __future__ import annotations

import pytest
from tests.web.helpers import count_queries, grow, login

pytestmark = pytest.mark.django_db

# Pinned ceilings (as NetBox does): a new query per page must be a deliberate change here.
PAGES = {
    "dashboard": (lambda t: "/", 6),
    "requisition-list": (lambda t: "/requisitions/", 6),
    "requisition-list-filtered": (
        lambda t: f"/requisitions/?status=open&client={t.client.pk}&engagement_type=contract&q=a",
        6,
    ),
    "requisition-detail": (lambda t: f"/requisitions/{t.requisition.pk}/", 7),
    "person-list": (lambda t: "/people/", 5),
    "person-detail": (lambda t: f"/people/{t.person.pk}/", 9),
    "client-list": (lambda t: "/clients/", 5),
    "client-detail": (lambda t: f"/clients/{t.client.pk}/", 7),
    "search": (lambda t: "/search/?q=a", 4),
}


@pytest.mark.parametrize("name", PAGES)
def test_query_count_does_not_grow_with_rows(name, recruiter, tenant_a):
    url_for, ceiling = PAGES[name]
    url = url_for(tenant_a)
    client = login(recruiter)
    grow(recruiter, tenant_a, 3)
    client.get(url)  # warm caches (content types, session) so both counts are comparable
    few = count_queries(lambda: client.get(url))
    grow(recruiter, tenant_a, 30, start=3)
    many = count_queries(lambda: client.get(url))
    assert few == many, f"{name}: {few} queries with few rows, {many} with many"
    assert many <= ceiling, f"{name}: {many} queries"


def test_requisition_board_query_count_for_hiring_manager(recruiter, tenant_a):
    client = login(tenant_a.hiring_manager)
    url = f"/requisitions/{tenant_a.requisition.pk}/"
    grow(recruiter, tenant_a, 2)
    client.get(url)
    few = count_queries(lambda: client.get(url))
    grow(recruiter, tenant_a, 20, start=2)
    assert count_queries(lambda: client.get(url)) == few
