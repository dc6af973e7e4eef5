"""Scoring skill extraction on SkillSpan-style CoNLL files. Pure module, no Django import.

File format (SkillSpan, Zhang et al., NAACL 2022): one token a line, `token<TAB>skill-tag<TAB>knowledge-tag`
with BIO tags, a blank line between sentences. A gold span is a skill span or a knowledge span.
Metric (the Role definition issue's, lenient): a gold span counts as found when some extracted span
overlaps it; precision = extracted spans that overlap some gold span / all extracted spans;
recall = gold spans overlapped by some extracted span / all gold spans.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

Span = tuple[int, int]  # first and last token index, inclusive


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    gold: tuple[Span, ...]
    labels: tuple[str, ...] = ()  # one merged BIO label per token, for training a tagger


def bio_spans(tags: Iterable[str]) -> list[Span]:
    """Spans of a BIO sequence; an I- without a B- opens a span (as conlleval does)."""
    spans: list[Span] = []
    start = None
    for k, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and start is not None
        if start is not None and not inside:
            spans.append((start, k - 1))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start = k
    return spans


def parse_conll(text: str) -> list[Sentence]:
    """Sentences of a SkillSpan CoNLL text. Lines with fewer than three columns are read as O tags."""
    sentences: list[Sentence] = []
    rows: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            cols = line.rstrip("\n").split("\t")
            rows.append([cols[0], *(cols[1:3] + ["O", "O"])[:2]])
            continue
        if rows:
            tokens = tuple(r[0] for r in rows)
            skill = [r[1] for r in rows]
            knowledge = [r[2] for r in rows]
            gold = sorted(set(bio_spans(skill)) | set(bio_spans(knowledge)))
            # Training label: the skill tag where present, else the knowledge tag.
            labels = tuple(s if s != "O" else k for s, k in zip(skill, knowledge, strict=True))
            sentences.append(Sentence(tokens, tuple(gold), labels))
            rows = []
    return sentences


def join_tokens(tokens: Iterable[str]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence text (tokens joined by spaces) and each token's character offsets in it."""
    parts: list[str] = []
    offsets = []
    pos = 0
    for tok in tokens:
        offsets.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok) + 1
    return " ".join(parts), offsets


def char_to_token_span(offsets: list[tuple[int, int]], start: int, end: int) -> Span | None:
    """Token span covering characters [start, end) (a token counts if it overlaps)."""
    hit = [k for k, (a, b) in enumerate(offsets) if a < end and start < b]
    return (hit[0], hit[-1]) if hit else None


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def score(sentences: list[Sentence], predict: Callable[[Sentence], list[Span]]) -> dict[str, float | int]:
    """Lenient span P/R/F1 of `predict` (token spans per sentence) against the gold spans."""
    n_pred = pred_ok = n_gold = gold_found = 0
    for sentence in sentences:
        predicted = predict(sentence)
        n_pred += len(predicted)
        pred_ok += sum(1 for p in predicted if any(_overlaps(p, g) for g in sentence.gold))
        n_gold += len(sentence.gold)
        gold_found += sum(1 for g in sentence.gold if any(_overlaps(p, g) for p in predicted))
    precision = pred_ok / n_pred if n_pred else 0.0
    recall = gold_found / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "sentences": len(sentences),
        "gold_spans": n_gold,
        "predicted_spans": n_pred,
    }
