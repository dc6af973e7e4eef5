"""Reads for sourcing: import runs, programs, and people from a named or accredited program."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cadre.people.models import Fact, Person
from cadre.people.selectors import people_visible_to
from cadre.sourcing.models import ImportRun, Program


def programs(
    *, name: str = "", university: str = "", accredited_only: bool = False, accreditor: str = ""
) -> list[Program]:
    qs = Program.objects.all()
    if name:
        qs = qs.filter(name__icontains=name)
    if university:
        qs = qs.filter(university__icontains=university)
    found = list(qs)
    # Filtered in Python: JSON list containment differs between SQLite and PostgreSQL, and the
    # program table is small.
    if accredited_only:
        found = [p for p in found if p.accreditations]
    if accreditor:
        found = [p for p in found if any(accreditor.lower() in a.lower() for a in p.accreditations)]
    return found


def people_from_programs(
    user: Any,
    *,
    program: str = "",
    university: str = "",
    accredited_only: bool = False,
    accreditor: str = "",
) -> QuerySet[Person]:
    """People with an education fact from matching programs (e.g. accredited_only=True, or
    accreditor="ABET"), as `user` may see them."""
    ids = [
        p.pk
        for p in programs(
            name=program, university=university, accredited_only=accredited_only, accreditor=accreditor
        )
    ]
    if not ids:
        return people_visible_to(user).none()
    facts = Fact.objects.filter(Q(kind=Fact.Kind.EDUCATION) & Q(data__program_id__in=ids))
    return people_visible_to(user).filter(pk__in=facts.values("person_id")).order_by("full_name", "id")


def recent_runs(limit: int = 20) -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("actor")[:limit]
