"""Shared set-up for the structured-interview tests: the URLconf switch, users, interviews and
scorecards built through the services (so every row is made the way the product makes it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import Resolver404, resolve

from cadre.core.roles import Role
from cadre.people.services import create_person
from cadre.pipeline.services import create_application
from cadre.screening import interview_services
from cadre.screening.models import Interview, Scorecard

EVIDENCE = "Walked through the approach, traced an example input and named the edge cases unprompted."


def _mounted() -> bool:
    try:
        resolve("/screening/calibration/")
        resolve("/api/screening/calibration")
    except Resolver404:
        return False
    return True


@pytest.fixture
def interview_urls() -> str:
    """The interview pages and API are mounted in the project's URLconf."""
    assert _mounted(), "the interview pages and API must be mounted under /screening/ and /api/screening/"
    return "project"


INTERVIEWERS = {"ivan": ("Ivan", "Petrov"), "jade": ("Jade", "Okoro"), "kofi": ("Kofi", "Mensah")}


def interviewer(make_user, username: str):
    """A recruiter who interviews (named, so pages show "Ivan Petrov")."""
    first, last = INTERVIEWERS[username]
    return make_user(username, Role.RECRUITER, first_name=first, last_name=last)


def new_interview(actor, application, interviewers, stage: str = "technical_screen") -> Interview:
    return interview_services.create_interview(actor, application, stage=stage, interviewers=interviewers)


def ratings_for(
    interview: Interview, levels: dict[str, int] | int, evidence: str = EVIDENCE
) -> list[dict[str, Any]]:
    """A full set of ratings for the kit: one level for every competency, or a level per slug."""
    slugs = interview_services.kit_slugs(interview)
    return [
        {
            "competency": slug,
            "level": levels if isinstance(levels, int) else levels[slug],
            "evidence": evidence,
        }
        for slug in slugs
    ]


def submit(user, interview: Interview, levels: dict[str, int] | int, recommendation: str) -> Scorecard:
    card = interview_services.start_scorecard(user, interview)
    return interview_services.submit_scorecard(
        user, card, ratings=ratings_for(interview, levels), recommendation=recommendation
    )


def applicant(recruiter, requisition, name: str, handle: str):
    person = create_person(recruiter, full_name=name, identities=[("email", f"{handle}@example.org")])
    return create_application(recruiter, person=person, requisition=requisition)
