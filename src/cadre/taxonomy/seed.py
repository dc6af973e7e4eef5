"""Loads the ontology shipped in taxonomy/data into the database. Idempotent (update_or_create).

foundation.json (migration 0002) is kept as history; ontology.json (migration 0004, `cadre taxonomy
load`) supersedes it with the same slugs.

Takes the model classes as arguments so migrations can pass their historical models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_seed(name: str = "foundation.json") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / name).read_text())
    return data


def load_seed(
    role_family_model: Any, platform_model: Any, skill_model: Any, name: str = "foundation.json"
) -> dict[str, int]:
    data = read_seed(name)
    for row in data["role_families"]:
        role_family_model.objects.update_or_create(
            slug=row["slug"], defaults={k: v for k, v in row.items() if k != "slug"}
        )
    for row in data["platforms"]:
        platform_model.objects.update_or_create(
            slug=row["slug"], defaults={k: v for k, v in row.items() if k != "slug"}
        )
    # Two passes so a parent may appear after its child in the file.
    for row in data["skills"]:
        skill_model.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "category": row["category"],
                "aliases": row.get("aliases", []),
            },
        )
    by_slug = {s.slug: s for s in skill_model.objects.all()}
    for row in data["skills"]:
        if parent := row.get("parent"):
            skill = by_slug[row["slug"]]
            skill.parent = by_slug[parent]
            skill.save(update_fields=["parent"])
    return {
        "role_families": len(data["role_families"]),
        "platforms": len(data["platforms"]),
        "skills": len(data["skills"]),
    }


def load_ontology_rows(
    data: dict[str, Any],
    *,
    role_family_model: Any,
    platform_model: Any,
    skill_model: Any,
    competency_model: Any,
) -> dict[str, Any]:
    """Upsert a full ontology (taxonomy/data/ontology.json shape) by slug. Idempotent; never deletes,
    because requisitions and skill evidence point at these rows."""
    for row in data.get("competencies", []):
        competency_model.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"], "description": row.get("description", "")}
        )
    for row in data["skills"]:
        skill_model.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "category": row["category"],
                "aliases": row.get("aliases", []),
                "strict_aliases": row.get("strict_aliases", []),
                "hot_technology": bool(row.get("hot_technology", False)),
            },
        )
    skills = {s.slug: s for s in skill_model.objects.all()}
    for row in data["skills"]:  # second pass: a parent may come after its child in the file
        skill = skills[row["slug"]]
        parent = skills[row["parent"]] if row.get("parent") else None
        if skill.parent_id != (parent.pk if parent else None):
            skill.parent = parent
            skill.save(update_fields=["parent"])
    competencies = {c.slug: c for c in competency_model.objects.all()}
    for row in data["role_families"]:
        family, _ = role_family_model.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "soc_code": row.get("soc_code", ""),
                "onet_code": row.get("onet_code", ""),
                "description": row.get("description", ""),
                "seniority_levels": row.get("seniority_levels", []),
            },
        )
        family.competencies.set([competencies[c] for c in row.get("competencies", [])])
        family.core_skills.set([skills[s] for s in row.get("core_skills", [])])
    for row in data["platforms"]:
        platform, _ = platform_model.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"], "provider": row.get("provider", "")}
        )
        platform.skills.set([skills[s] for s in row.get("skills", [])])
    return {
        "version": data.get("version", ""),
        "competencies": len(data.get("competencies", [])),
        "role_families": len(data["role_families"]),
        "platforms": len(data["platforms"]),
        "skills": len(data["skills"]),
    }


def load_ontology_file(path: str | Path | None = None) -> dict[str, Any]:
    """`cadre taxonomy load [FILE]`: upsert the shipped ontology (or FILE) into this database, in one
    transaction so a bad file leaves nothing half-loaded."""
    from django.db import transaction

    from cadre.taxonomy.models import Competency, Platform, RoleFamily, Skill
    from cadre.taxonomy.ontology import ONTOLOGY_PATH, parse_ontology

    source = Path(path) if path else ONTOLOGY_PATH
    data: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    parse_ontology(data)  # fails on a malformed file before anything is written
    with transaction.atomic():
        return load_ontology_rows(
            data,
            role_family_model=RoleFamily,
            platform_model=Platform,
            skill_model=Skill,
            competency_model=Competency,
        )
