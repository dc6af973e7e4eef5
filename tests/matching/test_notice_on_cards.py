"""A person in New York City ranked by matching without a timely LL144 notice is flagged on their card."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from tests.matching.helpers import evidence, person
from tests.web.helpers import login

from cadre.compliance.notices import notice_problems, send_notice


def test_nyc_people_without_a_timely_notice_are_flagged(recruiter, req):
    nyc = person(
        recruiter, "Nia York", "ML engineer", country="US", city="New York", authorized_countries=["US"]
    )
    boston = person(
        recruiter, "Bo Ston", "ML engineer", country="US", city="Boston", authorized_countries=["US"]
    )
    for p in (nyc, boston):
        evidence(p, "pytorch", "employment")
    page = login(recruiter).get(f"/requisitions/{req.pk}/matches/").content.decode()
    assert page.count("Candidate notice") == 1
    assert "NYC: no" in page and "give notice" in page

    problems = notice_problems([nyc.pk, boston.pk])
    assert list(problems) == [nyc.pk]
    # A notice 3 weeks ago is more than 10 business days before today: no problem left.
    send_notice(recruiter, nyc, "NYC", sent_at=timezone.now() - dt.timedelta(days=21))
    assert notice_problems([nyc.pk, boston.pk]) == {}
    # One given today is too recent to use the tool today.
    late = person(recruiter, "Lee Late", "ML engineer", country="US", city="Brooklyn")
    send_notice(recruiter, late, "NYC")
    assert "requires at least 10" in notice_problems([late.pk])[late.pk][0]
