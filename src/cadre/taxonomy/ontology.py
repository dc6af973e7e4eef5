"""The shipped AI role and skills ontology, read from JSON without the database.

`load_ontology()` reads `taxonomy/data/ontology.json` (built by scripts/build_ontology.py from a curated
list plus the O*NET 29.2 Hot Technologies, CC BY 4.0) once per process. Extraction, profiles and the
migration that loads the tables all read this one file, so a skill's slug means the same everywhere.
Pure module: no Django import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
ONTOLOGY_PATH = DATA_DIR / "ontology.json"

CATEGORIES = (
    "language",
    "framework",
    "platform",
    "accelerator",
    "data_system",
    "method",
    "mlops",
    "governance",
    "domain",
)


@dataclass(frozen=True)
class SkillEntry:
    slug: str
    name: str
    category: str
    aliases: tuple[str, ...] = ()
    # Aliases that are also everyday words or letters ("R", "Go", "Spark"): matched only in the exact
    # case given, and (see extraction) only where the context reads like a list of technologies.
    strict_aliases: tuple[str, ...] = ()
    parent: str | None = None
    hot_technology: bool = False
    onet_examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Competency:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class SeniorityLevel:
    level: str  # one of taxonomy.models.Seniority values
    title: str
    description: str  # the behavioural anchor a screener checks against
    years: str = ""


@dataclass(frozen=True)
class RoleFamilyEntry:
    slug: str
    name: str
    soc_code: str
    onet_code: str
    description: str
    seniority_levels: tuple[SeniorityLevel, ...] = ()
    competencies: tuple[str, ...] = ()
    core_skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlatformEntry:
    slug: str
    name: str
    provider: str
    skills: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # hashed by identity so compiled matchers can be cached per ontology
class Ontology:
    version: str
    attribution: str
    skills: dict[str, SkillEntry]
    role_families: dict[str, RoleFamilyEntry]
    competencies: dict[str, Competency]
    platforms: dict[str, PlatformEntry]
    raw: dict[str, Any] = field(repr=False, default_factory=dict)

    def skill(self, slug: str) -> SkillEntry:
        return self.skills[slug]

    def ancestors(self, slug: str) -> list[str]:
        """Parent chain of a skill, nearest first ("lora" -> ["fine-tuning", "deep-learning", ...])."""
        chain: list[str] = []
        parent = self.skills[slug].parent
        while parent and parent not in chain:
            chain.append(parent)
            parent = self.skills[parent].parent if parent in self.skills else None
        return chain

    def children(self, slug: str) -> list[str]:
        return sorted(s.slug for s in self.skills.values() if s.parent == slug)


def _skill(row: dict[str, Any]) -> SkillEntry:
    return SkillEntry(
        slug=row["slug"],
        name=row["name"],
        category=row["category"],
        aliases=tuple(row.get("aliases", ())),
        strict_aliases=tuple(row.get("strict_aliases", ())),
        parent=row.get("parent"),
        hot_technology=bool(row.get("hot_technology", False)),
        onet_examples=tuple(row.get("onet_examples", ())),
    )


def _role_family(row: dict[str, Any]) -> RoleFamilyEntry:
    return RoleFamilyEntry(
        slug=row["slug"],
        name=row["name"],
        soc_code=row.get("soc_code", ""),
        onet_code=row.get("onet_code", ""),
        description=row.get("description", ""),
        seniority_levels=tuple(
            SeniorityLevel(
                level=s["level"], title=s["title"], description=s["description"], years=s.get("years", "")
            )
            for s in row.get("seniority_levels", ())
        ),
        competencies=tuple(row.get("competencies", ())),
        core_skills=tuple(row.get("core_skills", ())),
    )


def parse_ontology(data: dict[str, Any]) -> Ontology:
    """Build an Ontology from the decoded JSON (the same shape as taxonomy/data/ontology.json)."""
    return Ontology(
        version=str(data.get("version", "")),
        attribution=str(data.get("_attribution", "")),
        skills={row["slug"]: _skill(row) for row in data.get("skills", ())},
        role_families={row["slug"]: _role_family(row) for row in data.get("role_families", ())},
        competencies={
            row["slug"]: Competency(row["slug"], row["name"], row.get("description", ""))
            for row in data.get("competencies", ())
        },
        platforms={
            row["slug"]: PlatformEntry(
                row["slug"], row["name"], row.get("provider", ""), tuple(row.get("skills", ()))
            )
            for row in data.get("platforms", ())
        },
        raw=data,
    )


@lru_cache(maxsize=8)
def _load(path: str) -> Ontology:
    return parse_ontology(json.loads(Path(path).read_text(encoding="utf-8")))


def load_ontology(path: str | Path | None = None) -> Ontology:
    """The shipped ontology (or the JSON file at `path`), parsed once per process."""
    target = Path(path) if path is not None else ONTOLOGY_PATH
    if path is None and not target.exists():  # before the first build, fall back to the Foundation seed
        target = DATA_DIR / "foundation.json"
    return _load(str(target.resolve()))
