"""`cadre bench skills`: extraction throughput over synthetic ~400-word job descriptions and resumes.

Documents are generated in-process from a seeded generator (same seed, same documents), before the
clock starts, so only extraction is timed. Target (Role definition issue): >= 200 docs/s on one core.
Pure module: no Django import.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from cadre.taxonomy.extraction import extract_skills
from cadre.taxonomy.ontology import Ontology, load_ontology

TARGET_DOCS_PER_S = 200
_FILLER = (  # noqa: SIM905 (a sentence reads better than a list of words)
    "we are a growing team building products that customers love and you will work closely with "
    "engineers designers and product managers to ship reliable systems at scale the role involves "
    "ownership of services from design to production including reviews documentation and on call "
    "our culture values curiosity kindness and clear writing we offer flexible hours remote work "
    "learning budget and a competitive salary with equity benefits include health cover and leave "
    "candidates should communicate well collaborate across time zones and mentor junior colleagues"
).split()
_JD_HEADINGS = ("About the role", "Responsibilities:", "Requirements:", "Nice to have:", "Benefits")
_RESUME_HEADINGS = ("Summary", "Experience", "Skills:", "Education", "Projects")
_CUES: tuple[str, ...] = (
    "{s} required",
    "must have {s}",
    "{s} is a plus",
    "experience with {s}",
    "{s} preferred",
)
_CUES += ("no {s} needed", "strong {s} skills", "built pipelines in {s}", "{s}, {t} and {u}")


def synthetic_documents(n: int, seed: int = 7, ontology: Ontology | None = None) -> list[str]:
    """n documents of about 400 words, alternating job descriptions and resumes."""
    rng = random.Random(seed)
    names = sorted(s.name for s in (ontology or load_ontology()).skills.values())
    docs = []
    for k in range(n):
        headings = _JD_HEADINGS if k % 2 == 0 else _RESUME_HEADINGS
        lines: list[str] = []
        words = 0
        while words < 400:
            if words % 80 < 8:
                lines.append(rng.choice(headings))
            filler = " ".join(rng.choices(_FILLER, k=rng.randint(8, 18)))
            cue = rng.choice(_CUES).format(s=rng.choice(names), t=rng.choice(names), u=rng.choice(names))
            line = f"- {filler.capitalize()}, {cue}."
            lines.append(line)
            words += len(line.split())
        docs.append("\n".join(lines))
    return docs


def run_skills_bench(
    docs: int = 10_000, seed: int = 7, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    ontology = load_ontology()
    extract_skills("warm-up: Python", ontology)  # builds the matcher outside the timed loop
    corpus = synthetic_documents(docs, seed, ontology)
    words = sum(len(d.split()) for d in corpus)
    mentions = 0
    started = time.perf_counter()
    for k, doc in enumerate(corpus, 1):
        mentions += len(extract_skills(doc, ontology))
        if progress and k % 500 == 0:
            progress(k, docs)
    seconds = time.perf_counter() - started
    return {
        "docs": docs,
        "words": words,
        "avg_words": round(words / max(docs, 1), 1),
        "mentions": mentions,
        "seconds": round(seconds, 3),
        "docs_per_s": round(docs / seconds, 1) if seconds else None,
        "target_docs_per_s": TARGET_DOCS_PER_S,
        "ontology_version": ontology.version,
    }
