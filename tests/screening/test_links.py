"""An application's assessments (sittings) and interviews are one click away from the pipeline board and
from the person's page, for everyone who may see the application; the links lead to pages that open for
them, and another client's hiring manager sees neither the links nor the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.helpers import login

pytestmark = pytest.mark.django_db


def _links(application_id: int) -> tuple[str, str]:
    return (
        reverse("screening-application-sittings", args=[application_id]),
        reverse("screening-application-interviews", args=[application_id]),
    )


@pytest.mark.parametrize("who", ["recruiter", "admin", "hiring_manager"])
def test_person_page_and_board_link_to_sittings_and_interviews(who, request, tenant_a, tenant_b):
    user = (
        tenant_a.hiring_manager
        if who == "hiring_manager"
        else request.getfixturevalue("admin_user" if who == "admin" else "recruiter")
    )
    client = login(user)
    sittings, interviews = _links(tenant_a.application.pk)
    person_page = client.get(reverse("person-detail", args=[tenant_a.person.pk]))
    assert person_page.status_code == 200
    body = person_page.content.decode()
    assert f'href="{sittings}"' in body and f'href="{interviews}"' in body

    board = client.get(reverse("requisition-detail", args=[tenant_a.requisition.pk]))
    assert board.status_code == 200
    card = (
        board.content.decode().split(f'id="application-{tenant_a.application.pk}"', 1)[1].split("</li>", 1)[0]
    )
    assert f'href="{sittings}"' in card and f'href="{interviews}"' in card

    for url in (sittings, interviews):
        assert client.get(url).status_code == 200


def test_another_clients_hiring_manager_sees_no_link_and_no_page(tenant_a, tenant_b):
    client = login(tenant_b.hiring_manager)
    sittings, interviews = _links(tenant_a.application.pk)
    assert client.get(reverse("person-detail", args=[tenant_a.person.pk])).status_code == 404
    assert client.get(reverse("requisition-detail", args=[tenant_a.requisition.pk])).status_code == 404
    for url in (sittings, interviews):
        assert client.get(url).status_code == 404
    # Their own candidate's page links to their own application only.
    own = client.get(reverse("person-detail", args=[tenant_b.person.pk])).content.decode()
    assert sittings not in own and interviews not in own
    assert all(link in own for link in _links(tenant_b.application.pk))
