"""How much each signal counts. Pure: numbers and rules only, no database, so they are unit-tested and
versioned together. Changing any number here changes RANKER_VERSION.

Evidence strength of one piece of evidence = kind weight x recency. A person's strength for a skill
combines all their evidence for it by noisy-OR (1 - prod(1 - s)): more independent evidence raises
confidence but never past 1, and one merged pull request last year outweighs a resume keyword from 2015.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

RANKER_VERSION = "match-2026.11.1"

# Evidence kinds (people.SkillEvidence.Kind values) in a fixed order: the index stores the position.
EVIDENCE_KINDS: tuple[str, ...] = (
    "self_reported",
    "resume",
    "employment",
    "repository",
    "merged_pr",
    "publication",
    "credential",
    "assessment",
)
KIND_CODE = {kind: code for code, kind in enumerate(EVIDENCE_KINDS)}
# What one piece of evidence of each kind is worth before recency: work others reviewed and accepted
# (merged PRs, graded assessments) counts most; a keyword someone wrote about themselves least.
KIND_WEIGHT: dict[str, float] = {
    "self_reported": 0.30,
    "resume": 0.45,
    "employment": 0.65,
    "repository": 0.75,
    "merged_pr": 0.95,
    "publication": 0.85,
    "credential": 0.75,
    "assessment": 0.95,
}
KIND_WEIGHTS = np.array([KIND_WEIGHT[k] for k in EVIDENCE_KINDS], dtype=np.float64)
KIND_LABEL = {
    "self_reported": "self-reported",
    "resume": "resume mention",
    "employment": "employment history",
    "repository": "own repository",
    "merged_pr": "merged pull request",
    "publication": "publication",
    "credential": "credential",
    "assessment": "assessment",
}

RECENCY_HALF_LIFE_YEARS = 3.0
RECENCY_FLOOR = 0.15  # old evidence still says something
UNDATED_AGE_YEARS = 4.0  # evidence without a date counts as fairly old
# Share of a requirement's credit earned by having any evidence at all; evidence strength earns the
# rest, so a merged PR last year still clearly outranks a resume keyword from 2015.
PRESENCE = 0.5
# Weak-evidence threshold: below it the explanation asks the interviewer to probe the skill.
WEAK_STRENGTH = 0.35

# Credit for a requirement met through the ontology rather than by the very skill.
VIA_EXACT = 1.0
VIA_CHILD = 0.8  # the person has a more specific skill (asked "AWS", has "SageMaker")
VIA_PARENT = 0.5  # the person has only the broader skill (asked "SageMaker", has "AWS")

# Component weights, chosen on the O*NET dev set (seed 7; seed 8 held out), see `cadre bench
# match-quality`. Components that do not apply to a query (no nice-to-haves, no platform, no text)
# drop out and the rest are renormalised, so scores stay on 0..1.
WEIGHTS: dict[str, float] = {
    "must": 0.35,
    "nice": 0.10,
    "platform": 0.10,
    "seniority": 0.05,
    "text": 0.40,
    # Optional: cosine similarity of profile and query embeddings (cadre[semantic]); 0 = off until the
    # extra's measured gain says otherwise (see matching/semantic.py).
    "semantic": 0.0,
}
SENIORITY_FIT_BY_GAP = (1.0, 0.6, 0.25)  # 0, 1, 2+ levels apart
SENIORITY_UNKNOWN_FIT = 0.5


def recency(age_years: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Exponential decay with a floor; future dates (clock skew) count as today."""
    age = np.clip(age_years, 0.0, None)
    return np.maximum(np.power(0.5, age / RECENCY_HALF_LIFE_YEARS), RECENCY_FLOOR)


def evidence_strength(
    kind_codes: npt.NDArray[np.int8], age_years: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Strength of each single piece of evidence, in 0..1."""
    return KIND_WEIGHTS[kind_codes.astype(np.intp)] * recency(age_years)


def combine(strengths: list[float]) -> float:
    """Noisy-OR of several pieces of evidence (scalar twin of the vectorised index build)."""
    remaining = 1.0
    for s in strengths:
        remaining *= 1.0 - min(max(s, 0.0), 1.0)
    return 1.0 - remaining


def requirement_value(strength: npt.NDArray[np.float32], credit: float) -> npt.NDArray[np.float32]:
    """How far a person meets one requirement: having the skill at all earns PRESENCE, the strength of
    the evidence the rest, all scaled by the credit of the route (exact, more specific, broader)."""
    return (np.float32(PRESENCE) + np.float32(1 - PRESENCE) * strength) * np.float32(credit)


def seniority_fit(gap: int | None) -> float:
    if gap is None:
        return SENIORITY_UNKNOWN_FIT
    return SENIORITY_FIT_BY_GAP[min(abs(gap), len(SENIORITY_FIT_BY_GAP) - 1)]


@dataclass(frozen=True)
class Weights:
    must: float
    nice: float
    platform: float
    seniority: float
    text: float
    semantic: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 6) for k, v in self.__dict__.items()}


def weights_for(
    *, has_must: bool, has_nice: bool, has_platform: bool, has_text: bool, has_semantic: bool = False
) -> Weights:
    """Renormalise WEIGHTS over the components the query has; seniority always applies."""
    present = {
        "must": has_must,
        "nice": has_nice,
        "platform": has_platform,
        "seniority": True,
        "text": has_text,
        "semantic": has_semantic and WEIGHTS["semantic"] > 0,
    }
    total = sum(WEIGHTS[k] for k, on in present.items() if on)
    return Weights(**{k: (WEIGHTS[k] / total if on else 0.0) for k, on in present.items()})
