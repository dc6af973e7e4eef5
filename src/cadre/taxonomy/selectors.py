"""Reads of the taxonomy (role families, skills, platforms) for pickers and filters."""

from __future__ import annotations

from django.db.models import QuerySet

from cadre.taxonomy.models import RoleFamily, Skill


def role_families() -> QuerySet[RoleFamily]:
    return RoleFamily.objects.order_by("name")


def skills() -> QuerySet[Skill]:
    return Skill.objects.order_by("name")
