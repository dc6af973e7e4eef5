"""Writes on requisitions: editors only, validated, audited, optimistic concurrency on update."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from cadre.core import audit
from cadre.core.exceptions import Conflict, ValidationFailed
from cadre.core.models import AuditLog
from cadre.core.services import create_audited, delete_audited, require_editor, versioned_update
from cadre.requisitions.models import Requisition, RequisitionSkill
from cadre.taxonomy.models import Skill

SkillWanted = tuple[Skill, str]  # (skill, "must" | "nice")


def _set_skills(requisition: Requisition, skills: Iterable[SkillWanted]) -> list[str]:
    skills = list(skills)
    slugs = [skill.slug for skill, _ in skills]
    if duplicated := sorted({s for s in slugs if slugs.count(s) > 1}):
        raise ValidationFailed(f"skill listed more than once: {', '.join(duplicated)}", field="skills")
    if bad := sorted({imp for _, imp in skills} - set(RequisitionSkill.Importance.values)):
        raise ValidationFailed(f"importance must be 'must' or 'nice', not {', '.join(bad)}", field="skills")
    requisition.skill_requirements.all().delete()
    rows = [RequisitionSkill(requisition=requisition, skill=s, importance=imp) for s, imp in skills]
    RequisitionSkill.objects.bulk_create(rows)
    return [f"{r.skill.slug}:{r.importance}" for r in rows]


@transaction.atomic
def create_requisition(actor: Any, *, skills: Iterable[SkillWanted] = (), **fields: Any) -> Requisition:
    require_editor(actor)
    fields.setdefault("owner", actor if getattr(actor, "pk", None) else None)
    requisition = create_audited(Requisition(**fields), actor=actor)
    if skills:
        wanted = _set_skills(requisition, skills)
        audit.record(AuditLog.Action.UPDATE, requisition, after={"skills": wanted}, actor=actor)
    return requisition


def update_requisition(
    actor: Any,
    requisition: Requisition,
    *,
    expected_version: int | None,
    skills: Iterable[SkillWanted] | None = None,
    **changes: Any,
) -> Requisition:
    """Update fields (and optionally replace the skills wanted). `expected_version` is the version
    the editor loaded; None skips the check (only for system jobs)."""
    require_editor(actor)
    with transaction.atomic():
        requisition = versioned_update(
            requisition, expected_version=expected_version, changes=changes, actor=actor
        )
        if skills is not None:
            before = [
                f"{r.skill.slug}:{r.importance}"
                for r in requisition.skill_requirements.select_related("skill")
            ]
            after = _set_skills(requisition, skills)
            audit.record(
                AuditLog.Action.UPDATE,
                requisition,
                before={"skills": before},
                after={"skills": after},
                actor=actor,
            )
    return requisition


def delete_requisition(actor: Any, requisition: Requisition) -> None:
    require_editor(actor)
    if n := requisition.applications.count():
        raise Conflict(f"requisition has {n} application(s); close or cancel it instead of deleting")
    delete_audited(requisition, actor=actor)
