"""Building blocks for matching tests: skill evidence of a kind and age, people with preferences."""

from __future__ import annotations

import datetime as dt

from cadre.people.models import Person, SkillEvidence, WorkPreferences
from cadre.people.services import create_person
from cadre.taxonomy.models import Skill

TODAY = dt.date.today()


def evidence(person: Person, slug: str, kind: str = "resume", years_ago: float = 1, detail: str = "") -> None:
    SkillEvidence.objects.create(
        person=person,
        skill=Skill.objects.get(slug=slug),
        kind=kind,
        detail=detail or f"{slug} via {kind}",
        observed_on=TODAY - dt.timedelta(days=int(years_ago * 365)),
    )


def person(recruiter, name: str, headline: str = "ML engineer", **prefs) -> Person:
    p = create_person(recruiter, full_name=name, headline=headline)
    if prefs:
        WorkPreferences.objects.create(person=p, **prefs)
    return p
