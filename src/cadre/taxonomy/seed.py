"""Loads the ontology shipped in taxonomy/data into the database. Idempotent (update_or_create).

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
