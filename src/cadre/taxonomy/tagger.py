"""Skill-span detection with a small CRF trained on the SkillSpan train splits (MIT licensed).

The ontology gazetteer (extraction.py) finds named technologies precisely but misses the soft skills and
long phrases SkillSpan annotates ("work in a fast-paced team"). This tagger finds those spans; the
ontology layer on top gives them a skill_id when they name an ontology skill. Used by
`cadre skills eval` and available as `detect_spans`; `cadre skills extract` stays ontology-only.

The model (data/skill_tagger.crfsuite) is built by scripts/train_skill_tagger.py; python-crfsuite runs it.
If the model or the package is missing, `tagger_available()` is False and callers fall back to the
gazetteer. Pure module: no Django import.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from cadre.taxonomy.evaluation import Span, bio_spans, char_to_token_span, join_tokens
from cadre.taxonomy.extraction import extract_skills
from cadre.taxonomy.ontology import DATA_DIR, Ontology, load_ontology

MODEL_PATH = DATA_DIR / "skill_tagger.crfsuite"
_SHAPE_RE = [(re.compile(r"[A-Z]+"), "X"), (re.compile(r"[a-z]+"), "x"), (re.compile(r"[0-9]+"), "d")]


def _shape(word: str) -> str:
    for pattern, repl in _SHAPE_RE:
        word = pattern.sub(repl, word)
    return word[:6]


def gazetteer_tags(tokens: list[str], ontology: Ontology | None = None) -> list[str]:
    """B-<category>/I-<category>/O per token from the ontology matcher (a feature for the CRF)."""
    text, offsets = join_tokens(tokens)
    tags = ["O"] * len(tokens)
    for m in extract_skills(text, ontology or load_ontology()):
        span = char_to_token_span(offsets, m.start, m.end)
        if span:
            tags[span[0]] = "B-" + m.category
            for k in range(span[0] + 1, span[1] + 1):
                tags[k] = "I-" + m.category
    return tags


def token_features(tokens: list[str], gazetteer: list[str]) -> list[list[str]]:
    low = [t.lower() for t in tokens]
    n = len(tokens)
    feats = []
    for i, w in enumerate(tokens):
        f = [
            "b",
            "w=" + low[i],
            "s3=" + low[i][-3:],
            "p3=" + low[i][:3],
            "sh=" + _shape(w),
            "g=" + gazetteer[i],
            "gs=" + gazetteer[i][:1],
        ]
        if w[:1].isupper():
            f.append("title")
        if not w.isalnum():
            f.append("punct" if not any(c.isalnum() for c in w) else "mixed")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(f"w{d}={low[j]}")
                f.append(f"g{d}={gazetteer[j][:1]}")
            else:
                f.append(f"w{d}=<edge>")
        if i > 0:
            f.append(f"bg-={low[i - 1]}|{low[i]}")
        if i + 1 < n:
            f.append(f"bg+={low[i]}|{low[i + 1]}")
        feats.append(f)
    return feats


@lru_cache(maxsize=4)
def _tagger(path: str) -> Any:
    import pycrfsuite  # optional dependency: only the tagger needs it

    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


def tagger_available(path: Path = MODEL_PATH) -> bool:
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        return False
    return path.exists()


def tag_tokens(tokens: list[str], ontology: Ontology | None = None, path: Path = MODEL_PATH) -> list[str]:
    if not tokens:
        return []
    labels: list[str] = _tagger(str(path)).tag(token_features(tokens, gazetteer_tags(tokens, ontology)))
    return labels


def detect_token_spans(
    tokens: list[str], ontology: Ontology | None = None, path: Path = MODEL_PATH
) -> list[Span]:
    """Skill/knowledge spans over pre-split tokens: the CRF's, plus ontology hits it missed."""
    spans = set(bio_spans(tag_tokens(tokens, ontology, path))) if tagger_available(path) else set()
    gazetteer = bio_spans(gazetteer_tags(tokens, ontology))
    spans |= {g for g in gazetteer if not any(a <= g[1] and g[0] <= b for a, b in spans)}
    return sorted(spans)


def detect_spans(text: str, ontology: Ontology | None = None) -> list[tuple[int, int]]:
    """Character spans of likely skills in free text (whitespace tokens, as SkillSpan is tokenized)."""
    matches = list(re.finditer(r"\S+", text))
    spans = detect_token_spans([m.group() for m in matches], ontology)
    return [(matches[a].start(), matches[b].end()) for a, b in spans]
