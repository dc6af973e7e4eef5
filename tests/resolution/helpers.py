"""Builders for resolution tests: a person with every kind of row, and full-state snapshots."""

from __future__ import annotations

import datetime as dt

from cadre.core import audit
from cadre.people.models import Attachment, Fact, Person, SkillEvidence
from cadre.people.services import create_person, record_source
from cadre.pipeline.services import add_note, create_application
from cadre.resolution.merging import person_relations
from cadre.taxonomy.models import Skill


def rich_person(recruiter, *, name: str, email: str, requisitions=(), org: str = "Acme AI") -> Person:
    """A person with identities, two sources, skill evidence, facts, an attachment, notes and
    applications (with their activities)."""
    person = create_person(recruiter, full_name=name, headline="", identities=[("email", email)])
    extra = record_source(person=person, source="conference", payload={"name": name, "affiliation": org})
    SkillEvidence.objects.create(
        person=person, skill=Skill.objects.get(slug="pytorch"), kind="publication", source_record=extra
    )
    Fact.objects.create(
        person=person,
        kind="employment",
        title="Research engineer",
        organisation=org,
        start_date=dt.date(2020, 1, 1),
        source_record=extra,
    )
    Attachment.objects.create(
        person=person,
        file=f"attachments/{email}.pdf",
        original_name="cv.pdf",
        content_type="application/pdf",
        size=10,
        sha256=email.ljust(64, "0")[:64],
    )
    add_note(recruiter, person, body=f"Called {name}")
    for requisition in requisitions:
        application = create_application(recruiter, person=person, requisition=requisition)
        add_note(recruiter, person, body="Screen booked", application=application)
    return person


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table that hangs off people, plus the people (minus version/updated_at,
    which record that a merge happened)."""
    state = {}
    for model, _field in person_relations():
        state[model._meta.label_lower] = [audit.snapshot(r) for r in model._default_manager.order_by("pk")]
    state["people.person"] = [
        {k: v for k, v in audit.snapshot(p).items() if k not in ("version", "updated_at")}
        for p in Person.objects.order_by("pk")
    ]
    return state
