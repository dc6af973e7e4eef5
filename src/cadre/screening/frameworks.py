"""Competency frameworks and structured-interview kits, from versioned data. Pure module, no Django.

`data/competencies.json` holds the seven screening competencies (coding, statistical_reasoning,
model_evaluation, ml_system_design, data_engineering, mlops, responsible_ai), each with rubric levels 1-4
anchored in observable behaviour and 3-5 interview questions saying what a strong answer covers; which
competencies apply to each role family (the ontology's slugs, e.g. "ml-engineer") with weights and
must-haves; the expected level per seniority; and the three interview stages.

- `framework_for(role_family, seniority)` resolves a role family (unknown ones fall back to the generic
  AI framework, with a note) and sets the expected level of each competency for the seniority.
- `interview_kit(framework, stage, seed=...)` picks the competencies a stage covers and the questions to
  ask, deterministically: competencies whose home stage this is first, then by weight; per competency the
  question closest to the seniority's difficulty that fits the stage's time (ties broken by a hash of the
  seed and the question id, so a requisition can vary its questions reproducibly); then a second question
  for must-haves while time remains.

Structured interviews with anchored rating scales and the same questions for every candidate are what
make ratings comparable across interviewers (the reliability module measures how far they are).
The kit carries `strong_answer` guidance for interviewers: never show it to candidates.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cadre.screening import difficulty

FRAMEWORK_VERSION = "frameworks-2026.11.1"
DATA_PATH = Path(__file__).resolve().parent / "data" / "competencies.json"

COMPETENCIES: tuple[str, ...] = (
    "coding",
    "statistical_reasoning",
    "model_evaluation",
    "ml_system_design",
    "data_engineering",
    "mlops",
    "responsible_ai",
)
STAGES: tuple[str, ...] = ("technical_screen", "system_design", "final")
LEVELS: tuple[int, ...] = (1, 2, 3, 4)
MIN_QUESTIONS, MAX_QUESTIONS = 3, 5
GENERIC_SLUG = "generic-ai"

KIT_INSTRUCTIONS: tuple[str, ...] = (
    "Ask every candidate the same questions in the same order; follow-ups may probe, not lead.",
    "Write down what the candidate said or did as evidence while you listen.",
    "Rate each competency against its anchors on its own, before deciding the overall recommendation.",
    "Submit your scorecard before discussing the candidate with other interviewers.",
    "Rate every competency in the kit; with little evidence, rate what you saw and say so in the note.",
)


class FrameworkError(ValueError):
    """Framework data or a request that cannot be served; `path` names the offending entry if any."""

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.message = message
        self.path = path


@dataclass(frozen=True)
class RubricLevel:
    level: int
    label: str  # Below bar / Developing / Proficient / Expert
    summary: str
    anchor: str  # the behavioural description a rater checks the evidence against
    indicators: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "label": self.label,
            "summary": self.summary,
            "anchor": self.anchor,
            "indicators": list(self.indicators),
        }


@dataclass(frozen=True)
class InterviewQuestion:
    id: str
    competency: str
    stage: str
    difficulty: int  # 1 (entry) to 4 (expert), the scale of the question bank
    minutes: int
    prompt: str
    strong_answer: tuple[str, ...]  # what a strong answer covers (interviewer-only)
    red_flags: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "competency": self.competency,
            "stage": self.stage,
            "difficulty": self.difficulty,
            "minutes": self.minutes,
            "prompt": self.prompt,
            "strong_answer": list(self.strong_answer),
            "red_flags": list(self.red_flags),
        }


@dataclass(frozen=True)
class CompetencyDefinition:
    slug: str
    name: str
    description: str
    taxonomy_slug: str  # the ontology's competency slug (taxonomy/data/ontology.json)
    stages: tuple[str, ...]  # where it can be assessed; the first is its home stage
    levels: tuple[RubricLevel, ...]
    questions: tuple[InterviewQuestion, ...]

    def level(self, level: int) -> RubricLevel:
        return self.levels[level - 1]


@dataclass(frozen=True)
class StageDefinition:
    slug: str
    title: str
    minutes: int
    overhead_minutes: int  # introductions and the candidate's questions
    purpose: str


@dataclass(frozen=True)
class SeniorityBar:
    must_have_level: int
    other_level: int
    question_difficulty: int


@dataclass(frozen=True)
class RoleFamilyWeights:
    slug: str
    name: str
    weights: tuple[tuple[str, float, bool], ...]  # (competency, weight, must_have)
    note: str = ""


@dataclass(frozen=True, eq=False)
class Library:
    version: str
    digest: str  # SHA-256 of the data's canonical JSON
    scale: Mapping[int, tuple[str, str]]  # level -> (label, meaning)
    stages: Mapping[str, StageDefinition]
    seniority: Mapping[str, SeniorityBar]
    default_seniority: str
    competencies: Mapping[str, CompetencyDefinition]
    role_families: Mapping[str, RoleFamilyWeights]
    generic: RoleFamilyWeights


# --- parsing and validation -----------------------------------------------------------------------------


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FrameworkError("must be non-empty text", path=path)
    return value.strip()


def _texts(value: Any, path: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or (not value and not allow_empty):
        raise FrameworkError("must be a non-empty list of text", path=path)
    return tuple(_text(v, f"{path}[{i}]") for i, v in enumerate(value))


def _int(value: Any, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FrameworkError(f"must be a whole number from {low} to {high}", path=path)
    return value


def _competency(row: Any, path: str, stages: Mapping[str, StageDefinition]) -> CompetencyDefinition:
    if not isinstance(row, Mapping):
        raise FrameworkError("must be an object", path=path)
    slug = _text(row.get("slug"), f"{path}.slug")
    if slug not in COMPETENCIES:
        raise FrameworkError(f"unknown competency {slug!r}", path=f"{path}.slug")
    comp_stages = _texts(row.get("stages"), f"{path}.stages")
    for stage in comp_stages:
        if stage not in stages:
            raise FrameworkError(f"unknown stage {stage!r}", path=f"{path}.stages")
    levels_raw = row.get("levels")
    if not isinstance(levels_raw, Mapping) or sorted(levels_raw) != [str(level) for level in LEVELS]:
        raise FrameworkError("must define exactly levels 1, 2, 3 and 4", path=f"{path}.levels")
    levels = []
    for level in LEVELS:
        entry = levels_raw[str(level)]
        lpath = f"{path}.levels.{level}"
        if not isinstance(entry, Mapping):
            raise FrameworkError("must be an object", path=lpath)
        levels.append(
            RubricLevel(
                level=level,
                label="",  # filled from the scale below
                summary=_text(entry.get("summary"), f"{lpath}.summary"),
                anchor=_text(entry.get("anchor"), f"{lpath}.anchor"),
                indicators=_texts(entry.get("indicators"), f"{lpath}.indicators"),
            )
        )
    questions_raw = row.get("questions")
    if not isinstance(questions_raw, list) or not MIN_QUESTIONS <= len(questions_raw) <= MAX_QUESTIONS:
        raise FrameworkError(f"needs {MIN_QUESTIONS} to {MAX_QUESTIONS} questions", path=f"{path}.questions")
    questions = []
    for i, q in enumerate(questions_raw):
        qpath = f"{path}.questions[{i}]"
        if not isinstance(q, Mapping):
            raise FrameworkError("must be an object", path=qpath)
        stage = _text(q.get("stage"), f"{qpath}.stage")
        if stage not in comp_stages:
            raise FrameworkError(
                f"stage {stage!r} is not one of the competency's stages", path=f"{qpath}.stage"
            )
        questions.append(
            InterviewQuestion(
                id=_text(q.get("id"), f"{qpath}.id"),
                competency=slug,
                stage=stage,
                difficulty=_int(q.get("difficulty"), f"{qpath}.difficulty", 1, 4),
                minutes=_int(q.get("minutes"), f"{qpath}.minutes", 1, 240),
                prompt=_text(q.get("prompt"), f"{qpath}.prompt"),
                strong_answer=_texts(q.get("strong_answer"), f"{qpath}.strong_answer"),
                red_flags=_texts(q.get("red_flags", []), f"{qpath}.red_flags", allow_empty=True),
            )
        )
    for stage in comp_stages:
        if not any(q.stage == stage for q in questions):
            raise FrameworkError(f"no question for stage {stage!r}", path=f"{path}.questions")
    return CompetencyDefinition(
        slug=slug,
        name=_text(row.get("name"), f"{path}.name"),
        description=_text(row.get("description"), f"{path}.description"),
        taxonomy_slug=_text(row.get("taxonomy_slug"), f"{path}.taxonomy_slug"),
        stages=comp_stages,
        levels=tuple(levels),
        questions=tuple(questions),
    )


def _family(row: Any, path: str) -> RoleFamilyWeights:
    if not isinstance(row, Mapping):
        raise FrameworkError("must be an object", path=path)
    entries = row.get("competencies")
    if not isinstance(entries, list) or not entries:
        raise FrameworkError("needs a non-empty list of competencies", path=f"{path}.competencies")
    weights: list[tuple[str, float, bool]] = []
    for i, entry in enumerate(entries):
        epath = f"{path}.competencies[{i}]"
        if not isinstance(entry, Mapping):
            raise FrameworkError("must be an object", path=epath)
        slug = entry.get("slug")
        if slug not in COMPETENCIES:
            raise FrameworkError(f"unknown competency {slug!r}", path=f"{epath}.slug")
        if any(slug == w[0] for w in weights):
            raise FrameworkError(f"competency {slug!r} listed twice", path=f"{epath}.slug")
        weight = entry.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 1:
            raise FrameworkError("weight must be a number above 0 and at most 1", path=f"{epath}.weight")
        must_have = entry.get("must_have", False)
        if not isinstance(must_have, bool):
            raise FrameworkError("must_have must be true or false", path=f"{epath}.must_have")
        weights.append((slug, float(weight), must_have))
    total = math.fsum(w[1] for w in weights)
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        raise FrameworkError(f"weights add up to {total:g}, not 1", path=f"{path}.competencies")
    if not any(w[2] for w in weights):
        raise FrameworkError("needs at least one must-have competency", path=f"{path}.competencies")
    return RoleFamilyWeights(
        slug=_text(row.get("slug"), f"{path}.slug"),
        name=_text(row.get("name"), f"{path}.name"),
        weights=tuple(weights),
        note=str(row.get("note", "")),
    )


def parse_library(data: Mapping[str, Any]) -> Library:
    """Validate framework data (the shape of data/competencies.json); FrameworkError names the bad entry."""
    if not isinstance(data, Mapping):
        raise FrameworkError("framework data must be a JSON object")
    version = _text(data.get("version"), "version")
    scale_raw = data.get("scale")
    if not isinstance(scale_raw, Mapping) or sorted(scale_raw) != [str(level) for level in LEVELS]:
        raise FrameworkError("must define exactly levels 1, 2, 3 and 4", path="scale")
    scale = {
        level: (
            _text(scale_raw[str(level)].get("label"), f"scale.{level}.label"),
            _text(scale_raw[str(level)].get("meaning"), f"scale.{level}.meaning"),
        )
        for level in LEVELS
    }
    stages_raw = data.get("stages")
    if not isinstance(stages_raw, Mapping) or sorted(stages_raw) != sorted(STAGES):
        raise FrameworkError(f"must define exactly the stages {', '.join(STAGES)}", path="stages")
    stages = {}
    for slug in STAGES:
        s = stages_raw[slug]
        minutes = _int(s.get("minutes"), f"stages.{slug}.minutes", 10, 480)
        stages[slug] = StageDefinition(
            slug=slug,
            title=_text(s.get("title"), f"stages.{slug}.title"),
            minutes=minutes,
            overhead_minutes=_int(
                s.get("overhead_minutes"), f"stages.{slug}.overhead_minutes", 0, minutes - 1
            ),
            purpose=_text(s.get("purpose"), f"stages.{slug}.purpose"),
        )
    seniority_raw = data.get("seniority")
    if not isinstance(seniority_raw, Mapping) or not seniority_raw:
        raise FrameworkError("must map seniority levels to expected rubric levels", path="seniority")
    seniority = {
        str(level): SeniorityBar(
            must_have_level=_int(bar.get("must_have_level"), f"seniority.{level}.must_have_level", 1, 4),
            other_level=_int(bar.get("other_level"), f"seniority.{level}.other_level", 1, 4),
            question_difficulty=_int(
                bar.get("question_difficulty"), f"seniority.{level}.question_difficulty", 1, 4
            ),
        )
        for level, bar in seniority_raw.items()
    }
    default_seniority = _text(data.get("default_seniority"), "default_seniority")
    if default_seniority not in seniority:
        raise FrameworkError(f"{default_seniority!r} is not a defined seniority", path="default_seniority")
    comps_raw = data.get("competencies")
    if not isinstance(comps_raw, list):
        raise FrameworkError("must be a list", path="competencies")
    competencies: dict[str, CompetencyDefinition] = {}
    question_ids: set[str] = set()
    for i, row in enumerate(comps_raw):
        comp = _competency(row, f"competencies[{i}]", stages)
        if comp.slug in competencies:
            raise FrameworkError(f"competency {comp.slug!r} defined twice", path=f"competencies[{i}]")
        for q in comp.questions:
            if q.id in question_ids:
                raise FrameworkError(f"question id {q.id!r} used twice", path=f"competencies[{i}].questions")
            question_ids.add(q.id)
        labelled = tuple(
            RubricLevel(lv.level, scale[lv.level][0], lv.summary, lv.anchor, lv.indicators)
            for lv in comp.levels
        )
        competencies[comp.slug] = CompetencyDefinition(
            comp.slug, comp.name, comp.description, comp.taxonomy_slug, comp.stages, labelled, comp.questions
        )
    missing = [slug for slug in COMPETENCIES if slug not in competencies]
    if missing:
        raise FrameworkError(f"missing competencies: {', '.join(missing)}", path="competencies")
    families_raw = data.get("role_families")
    if not isinstance(families_raw, list) or not families_raw:
        raise FrameworkError("must be a non-empty list", path="role_families")
    families: dict[str, RoleFamilyWeights] = {}
    for i, row in enumerate(families_raw):
        family = _family(row, f"role_families[{i}]")
        if family.slug in families:
            raise FrameworkError(f"role family {family.slug!r} defined twice", path=f"role_families[{i}]")
        families[family.slug] = family
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return Library(
        version=version,
        digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        scale=scale,
        stages=stages,
        seniority=seniority,
        default_seniority=default_seniority,
        competencies=competencies,
        role_families=families,
        generic=_family(data.get("generic"), "generic"),
    )


@lru_cache(maxsize=4)
def _load(path: str) -> Library:
    library = parse_library(json.loads(Path(path).read_text(encoding="utf-8")))
    if library.version != FRAMEWORK_VERSION:
        raise FrameworkError(
            f"{path} is version {library.version!r} but the code expects {FRAMEWORK_VERSION!r}; "
            "bump FRAMEWORK_VERSION together with the data"
        )
    return library


def load_library(path: str | Path | None = None) -> Library:
    """The shipped framework data (or the file at `path`), parsed and validated once per process."""
    return _load(str(Path(path or DATA_PATH).resolve()))


def role_family_slugs(library: Library | None = None) -> tuple[str, ...]:
    return tuple(sorted((library or load_library()).role_families))


def competency(slug: str, library: Library | None = None) -> CompetencyDefinition:
    lib = library or load_library()
    if slug not in lib.competencies:
        raise FrameworkError(f"unknown competency {slug!r}; known: {', '.join(COMPETENCIES)}")
    return lib.competencies[slug]


# --- frameworks -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkCompetency:
    slug: str
    name: str
    description: str
    weight: float
    must_have: bool
    expected_level: int  # the hiring bar on the 1-4 rubric for this seniority
    definition: CompetencyDefinition

    @property
    def levels(self) -> tuple[RubricLevel, ...]:
        return self.definition.levels


@dataclass(frozen=True)
class Framework:
    version: str
    data_digest: str
    role_family: str  # the resolved slug, or "generic-ai"
    role_family_name: str
    seniority: str
    question_difficulty: int
    is_generic: bool
    competencies: tuple[FrameworkCompetency, ...]  # heaviest first, ties by slug
    notes: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        """Every competency this role is assessed on (for decision rules' "required" selector)."""
        return tuple(c.slug for c in self.competencies)

    @property
    def must_have(self) -> tuple[str, ...]:
        return tuple(c.slug for c in self.competencies if c.must_have)

    @property
    def weights(self) -> dict[str, float]:
        return {c.slug: c.weight for c in self.competencies}

    @property
    def expected_levels(self) -> dict[str, int]:
        return {c.slug: c.expected_level for c in self.competencies}

    def get(self, slug: str) -> FrameworkCompetency | None:
        return next((c for c in self.competencies if c.slug == slug), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "data_digest": self.data_digest,
            "role_family": self.role_family,
            "role_family_name": self.role_family_name,
            "seniority": self.seniority,
            "is_generic": self.is_generic,
            "notes": list(self.notes),
            "competencies": [
                {
                    "slug": c.slug,
                    "name": c.name,
                    "weight": c.weight,
                    "must_have": c.must_have,
                    "expected_level": c.expected_level,
                    "levels": [lv.as_dict() for lv in c.levels],
                }
                for c in self.competencies
            ],
        }


def normalise_slug(value: str) -> str:
    """ "ML_Engineer" and "ml engineer" -> "ml-engineer" (the ontology's spelling)."""
    return "-".join(value.strip().lower().replace("_", " ").replace("-", " ").split())


def framework_for(
    role_family: str | None, seniority: str | None = None, *, library: Library | None = None
) -> Framework:
    """The competency framework for a role family and seniority.

    An unknown or missing role family gets the generic AI framework with a note saying so; a missing
    seniority gets the default (mid-level) bar with a note; an unknown seniority is an error.
    """
    lib = library or load_library()
    notes: list[str] = []
    slug = normalise_slug(role_family or "")
    family = lib.role_families.get(slug)
    if family is None:
        family = lib.generic
        if slug:
            notes.append(
                f"No competency framework for role family {role_family!r}: using the generic AI framework."
            )
        else:
            notes.append("No role family given: using the generic AI framework.")
    if family.note:
        notes.append(family.note)
    if seniority is None or not str(seniority).strip():
        level = lib.default_seniority
        notes.append(f"No seniority given: expectations are set for {level}.")
    else:
        level = str(seniority).strip().lower()
        if level not in lib.seniority:
            raise FrameworkError(
                f"unknown seniority {seniority!r}; use one of {', '.join(lib.seniority)}", path="seniority"
            )
    bar = lib.seniority[level]
    comps = []
    for comp_slug, weight, must_have in sorted(family.weights, key=lambda w: (-w[1], w[0])):
        definition = lib.competencies[comp_slug]
        comps.append(
            FrameworkCompetency(
                slug=comp_slug,
                name=definition.name,
                description=definition.description,
                weight=weight,
                must_have=must_have,
                expected_level=bar.must_have_level if must_have else bar.other_level,
                definition=definition,
            )
        )
    return Framework(
        version=lib.version,
        data_digest=lib.digest,
        role_family=family.slug,
        role_family_name=family.name,
        seniority=level,
        question_difficulty=bar.question_difficulty,
        is_generic=family is lib.generic,
        competencies=tuple(comps),
        notes=tuple(notes),
    )


# --- interview kits -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KitCompetency:
    slug: str
    name: str
    weight: float
    must_have: bool
    expected_level: int
    levels: tuple[RubricLevel, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "weight": self.weight,
            "must_have": self.must_have,
            "expected_level": self.expected_level,
            "levels": [lv.as_dict() for lv in self.levels],
        }


@dataclass(frozen=True)
class Kit:
    version: str
    data_digest: str
    role_family: str
    seniority: str
    stage: str
    title: str
    purpose: str
    minutes: int
    planned_minutes: int  # the chosen questions' time, within minutes - overhead
    seed: str
    competencies: tuple[KitCompetency, ...]  # what this stage scores, in interview order
    questions: tuple[InterviewQuestion, ...]  # in the order to ask them
    not_covered: tuple[str, ...]  # competencies this stage could cover but has no time for
    notes: tuple[str, ...]
    instructions: tuple[str, ...] = KIT_INSTRUCTIONS

    def as_dict(self) -> dict[str, Any]:
        """JSON for Interview.kit (interviewer-facing: contains the strong-answer guidance)."""
        return {
            "version": self.version,
            "data_digest": self.data_digest,
            "role_family": self.role_family,
            "seniority": self.seniority,
            "stage": self.stage,
            "title": self.title,
            "purpose": self.purpose,
            "minutes": self.minutes,
            "planned_minutes": self.planned_minutes,
            "seed": self.seed,
            "competencies": [c.as_dict() for c in self.competencies],
            "questions": [q.as_dict() for q in self.questions],
            "not_covered": list(self.not_covered),
            "notes": list(self.notes),
            "instructions": list(self.instructions),
        }

    @property
    def digest(self) -> str:
        blob = json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def interview_kit(framework: Framework, stage: str, *, seed: str = "", library: Library | None = None) -> Kit:
    """The structured-interview kit for one stage of a framework (deterministic for the same seed)."""
    lib = library or load_library()
    if stage not in STAGES:
        raise FrameworkError(f"unknown stage {stage!r}; use one of {', '.join(STAGES)}", path="stage")
    stage_def = lib.stages[stage]
    target = framework.question_difficulty
    eligible = [c for c in framework.competencies if stage in c.definition.stages]
    # This stage is the home of some competencies: they come first; then the heaviest.
    eligible.sort(key=lambda c: (c.definition.stages[0] != stage, -c.weight, c.slug))
    ranked = {
        c.slug: sorted(
            (q for q in c.definition.questions if q.stage == stage),
            key=lambda q: difficulty.rank_key(q.difficulty, target, q.id, seed),
        )
        for c in eligible
    }
    remaining = stage_def.minutes - stage_def.overhead_minutes
    chosen: dict[str, list[InterviewQuestion]] = {c.slug: [] for c in eligible}
    shortest = {slug: min((q.minutes for q in qs), default=0) for slug, qs in ranked.items()}

    def take(slug: str, reserve: int = 0) -> bool:
        """The best-ranked unused question that leaves `reserve` minutes; else the shortest that fits."""
        nonlocal remaining
        unused = [q for q in ranked[slug] if q not in chosen[slug] and q.minutes <= remaining]
        if not unused:
            return False
        pick = next((q for q in unused if q.minutes + reserve <= remaining), None)
        pick = pick or min(unused, key=lambda q: q.minutes)
        chosen[slug].append(pick)
        remaining -= pick.minutes
        return True

    # First one question per competency, keeping time for the shortest question of each one still to
    # come, so a stage covers as many competencies as its time allows; then seconds for must-haves.
    for i, c in enumerate(eligible):
        take(c.slug, reserve=sum(shortest[later.slug] for later in eligible[i + 1 :]))
    for c in eligible:
        if c.must_have and chosen[c.slug]:
            take(c.slug)
    covered = [c for c in eligible if chosen[c.slug]]
    not_covered = tuple(c.slug for c in eligible if not chosen[c.slug])
    notes = list(framework.notes)
    for slug in not_covered:
        others = [s for s in lib.competencies[slug].stages if s != stage]
        where = " or ".join(lib.stages[s].title.lower() for s in others) or "another interview"
        notes.append(f"No time for {lib.competencies[slug].name} at this stage: assess it in the {where}.")
    questions = tuple(q for c in covered for q in chosen[c.slug])
    return Kit(
        version=framework.version,
        data_digest=framework.data_digest,
        role_family=framework.role_family,
        seniority=framework.seniority,
        stage=stage,
        title=stage_def.title,
        purpose=stage_def.purpose,
        minutes=stage_def.minutes,
        planned_minutes=sum(q.minutes for q in questions),
        seed=seed,
        competencies=tuple(
            KitCompetency(c.slug, c.name, c.weight, c.must_have, c.expected_level, c.levels) for c in covered
        ),
        questions=questions,
        not_covered=not_covered,
        notes=tuple(notes),
    )
