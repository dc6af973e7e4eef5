"""Which bank questions an assessment gets: deterministic rules, no Django.

For each competency (heaviest framework weight first, ties by slug), among the active questions that
suit the role family (no family listed = every family):
- `MC_PER_COMPETENCY` multiple-choice questions, those closest in difficulty to the target (the
  framework's question difficulty for the seniority), ranked by the shared rule in `difficulty.py`
  (ties: the easier one, then a hash of the seed — the requisition — and the slug);
- a short answer, closest in difficulty, for the `MAX_SHORT_ANSWERS` heaviest competencies that have one;
- at most one ML task and one coding task per assessment: each for the heaviest competency that has one;
- when the seniority's question difficulty is `TAKE_HOME_FROM_DIFFICULTY` or more (senior and above in
  `data/competencies.json`), one take-home for the whole assessment: the first competency in weight
  order that has one. The rule reads the framework's data, not a list of seniority names.
So a screen stays a few hours of work whatever the number of competencies.
Items are ordered competency by competency; within one: multiple choice, short answer, task, take-home.
Item weights within a competency follow the work each asks for (`KIND_WEIGHTS`); the competencies'
weights come from the framework.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cadre.screening.difficulty import closest_by_difficulty

ASSEMBLY_VERSION = "assembly-1.1"
MC_PER_COMPETENCY = 2
MAX_SHORT_ANSWERS = 3
KIND_ORDER = ("multiple_choice", "short_answer", "ml_task", "coding_task", "take_home")
KIND_WEIGHTS = {"multiple_choice": 1, "short_answer": 2, "ml_task": 3, "coding_task": 3, "take_home": 4}
# A take-home is asked from this question difficulty up (the framework maps seniority to difficulty).
TAKE_HOME_FROM_DIFFICULTY = 3


@dataclass(frozen=True)
class Candidate:
    """A question the assembler may pick (the latest active version of its slug)."""

    id: int
    slug: str
    kind: str
    competency: str
    difficulty: int
    role_families: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pick:
    question_id: int
    slug: str
    kind: str
    competency: str
    weight: int


def _closest(pool: Iterable[Candidate], target: int, n: int, seed: str) -> list[Candidate]:
    return closest_by_difficulty(
        pool, target, difficulty=lambda q: q.difficulty, ident=lambda q: q.slug, seed=seed, n=n
    )


def select_items(
    candidates: Sequence[Candidate],
    competencies: Sequence[tuple[str, float]],
    *,
    difficulty: int,
    seniority: str = "",
    role_family: str = "",
    seed: str = "",
) -> list[Pick]:
    """The questions of a new assessment (see the module docstring). `difficulty` is the framework's
    question difficulty for the seniority, which also decides the take-home; `seniority` is only
    recorded by callers and does not change the picks."""
    del seniority  # the framework's difficulty already encodes it
    target = difficulty
    suitable = [
        q for q in candidates if not q.role_families or not role_family or role_family in q.role_families
    ]
    order = sorted(competencies, key=lambda cw: (-cw[1], cw[0]))
    picks: list[Pick] = []
    # How many more of each kind the assessment may take (multiple choice: per competency, below).
    left = {"short_answer": MAX_SHORT_ANSWERS, "ml_task": 1, "coding_task": 1}
    left["take_home"] = 1 if difficulty >= TAKE_HOME_FROM_DIFFICULTY else 0
    for competency, _weight in order:
        pool = [q for q in suitable if q.competency == competency]
        chosen = _closest((q for q in pool if q.kind == "multiple_choice"), target, MC_PER_COMPETENCY, seed)
        for kind in ("short_answer", "ml_task", "coding_task", "take_home"):
            if left[kind]:
                found = _closest((q for q in pool if q.kind == kind), target, 1, seed)
                chosen += found
                left[kind] -= len(found)
        chosen.sort(key=lambda q: KIND_ORDER.index(q.kind))
        picks += [Pick(q.id, q.slug, q.kind, q.competency, KIND_WEIGHTS[q.kind]) for q in chosen]
    return picks
