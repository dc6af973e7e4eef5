"""Skill extraction: find ontology skills in free text, with offsets and must/nice requirement cues.

Deterministic and linear in the input: the text is cut into tokens once (one compiled regex, no
backtracking), and skills are found by walking a token trie built from every canonical name and alias
(longest match wins, so "Apache Spark SQL" beats "Apache Spark"). Pure module: no Django import.

Decisions worth knowing:
- Hyphens and underscores are ignored when matching ("scikit-learn" == "scikit learn"), other
  punctuation is kept as its own token so "C++", "C#", ".NET" and "Node.js" match as written.
- Aliases that are everyday words or letters ("R", "Go", "C", "Spark", "Ray") are `strict_aliases` in the
  ontology: they match only in the exact case given; one- and two-letter ones ("R", "Go") also need a
  list-like context ("Python, R and SQL", "written in Go", "R programming"); longer ones need it only at
  the start of a sentence ("Spark joy" vs "we use Spark"). Tokens are whole words, so "sparked" never
  yields Spark.
- `requirement` comes from the nearest cue in the same sentence ("PyTorch required", "Nice to have: Go",
  "LangChain a plus"), else from the section heading above ("Requirements", "Nice to have"), else None.
- Negated skills ("no Java needed", "Java is not required", "without Java") are NOT returned: the text
  says the skill is not wanted, so it must not reach a job profile's must/nice lists or count as evidence.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from cadre.taxonomy.ontology import Ontology, load_ontology

MAX_TEXT_CHARS = 20_000_000  # ~20 MB: above this the caller should split the document

# ASCII words, runs of other letters (so CJK text glued to "Python" still splits), single punctuation.
_TOKEN_RE = re.compile(r"[A-Za-z0-9]+|(?:(?![A-Za-z0-9_])\w)+|[^\w\s]")
_SKIPPED = frozenset({"-", "_"})  # "scikit-learn" == "scikit learn"; "nice-to-have" == "nice to have"
_SENTENCE_END = frozenset({".", "!", "?", ";"})
_CLAUSE_END = frozenset({",", "but", "however", "whereas", "while"})
_TERMINAL = ""  # trie key for "a phrase ends here" (no token is empty)

# Tokens around an ambiguous short alias that make it read as a technology: "Python, R and SQL".
_LIST_BEFORE = frozenset(
    {",", "/", "(", "[", "and", "or", "in", "with", "using", "&", ":", ";", "+", "|", "•", "*", "like"}
    | {"including", "e", "g", "plus", "knowledge", "experience", "proficiency", "of", "use"}
)
_LIST_AFTER = frozenset(
    {",", "/", ")", "]", "and", "or", ";", "|", "programming", "language", "languages", "developer"}
    | {"developers", "engineer", "code", "lang", "experience", "skills", "scripts", "packages"}
    | {"required", "preferred", "needed", "mandatory", "(", "expertise"}
)


@dataclass(frozen=True)
class SkillMention:
    skill_id: str  # the skill's slug (stable across databases)
    name: str  # canonical name
    category: str
    start: int  # character offsets into the input text
    end: int
    requirement: str | None  # "must", "nice" or None
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Alias:
    slug: str
    exact: tuple[str, ...] | None  # original-case tokens a strict alias must match
    needs_context: bool  # always needs a list-like context ("R", "Go")
    strict: bool  # needs the context only at a sentence start ("Spark")
    tight: bool  # contains punctuation ("C++", "Node.js"): the tokens must touch
    confidence: float


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) for every token, hyphens and underscores left out."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text) if m.group() not in _SKIPPED]


def _alias_tokens(alias: str) -> list[str]:
    return [tok for _, _, tok in tokenize(alias)]


def _insert(trie: dict[str, Any], keys: list[str], value: Any) -> None:
    node = trie
    for key in keys:
        node = node.setdefault(key, {})
    node.setdefault(_TERMINAL, []).append(value)


class SkillMatcher:
    """A token trie over every name and alias of an ontology; build once, reuse for every text."""

    def __init__(self, ontology: Ontology) -> None:
        self.ontology = ontology
        self.trie: dict[str, Any] = {}
        for skill in ontology.skills.values():
            seen: set[tuple[str, ...]] = set()
            strict = set(skill.strict_aliases)
            for alias in (*skill.strict_aliases, skill.name, *skill.aliases):
                toks = _alias_tokens(alias)
                key = tuple(t.lower() for t in toks)
                if not toks or (key in seen and alias not in strict):
                    continue
                seen.add(key)
                is_strict = alias in strict
                word_chars = sum(len(t) for t in toks if t.isalnum())
                if is_strict:
                    confidence = 0.7 if word_chars <= 2 else 0.8
                elif len(toks) > 1 or word_chars >= 4:
                    confidence = 0.95 if alias == skill.name else 0.9
                else:
                    confidence = 0.75
                _insert(
                    self.trie,
                    list(key),
                    _Alias(
                        slug=skill.slug,
                        exact=tuple(toks) if is_strict else None,
                        needs_context=is_strict and word_chars <= 2,
                        strict=is_strict,
                        tight=any(not t.isalnum() for t in toks),
                        confidence=confidence,
                    ),
                )

    def find(self, text: str, tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, _Alias]]:
        """Longest-match spans as (first token index, last token index, alias)."""
        low = [t[2].lower() for t in tokens]
        found: list[tuple[int, int, _Alias]] = []
        n, i = len(tokens), 0
        while i < n:
            node = self.trie.get(low[i])
            if node is None:
                i += 1
                continue
            candidates: list[tuple[int, list[_Alias]]] = []
            j = i
            while node is not None:
                if _TERMINAL in node:
                    candidates.append((j, node[_TERMINAL]))
                j += 1
                if j >= n:
                    break
                node = node.get(low[j])
            hit = None
            for last, aliases in reversed(candidates):
                for alias in aliases:
                    if self._accept(text, tokens, low, i, last, alias):
                        hit = (i, last, alias)
                        break
                if hit:
                    break
            if hit:
                found.append(hit)
                i = hit[1] + 1
            else:
                i += 1
        return found

    @staticmethod
    def _accept(
        text: str, tokens: list[tuple[int, int, str]], low: list[str], i: int, j: int, alias: _Alias
    ) -> bool:
        start, end = tokens[i][0], tokens[j][1]
        # Glued to a non-ASCII letter ("Rçx", "Gödel"): part of another word, not this skill.
        if start > 0 and _is_latin_letter(text[start - 1]):
            return False
        if end < len(text) and _is_latin_letter(text[end]):
            return False
        if alias.tight and any(tokens[k][1] != tokens[k + 1][0] for k in range(i, j)):
            return False
        if alias.exact is not None and tuple(t[2] for t in tokens[i : j + 1]) != alias.exact:
            return False
        if alias.needs_context or (alias.strict and _sentence_start(text, tokens, i)):
            before = low[i - 1] if i > 0 and not _newline_between(text, tokens, i - 1, i) else ""
            after = low[j + 1] if j + 1 < len(low) and not _newline_between(text, tokens, j, j + 1) else ""
            if after in {"&", "'", "’"}:  # "R&D", "Go's"
                return False
            alone_on_line = (i == 0 or before == "") and (j + 1 == len(low) or after == "")
            return alone_on_line or before in _LIST_BEFORE or after in _LIST_AFTER
        return True


def _is_latin_letter(ch: str) -> bool:
    return ch.isalpha() and not ch.isascii() and ord(ch) < 0x2E80


def _newline_between(text: str, tokens: list[tuple[int, int, str]], a: int, b: int) -> bool:
    return text.find("\n", tokens[a][1], tokens[b][0]) != -1


def _sentence_start(text: str, tokens: list[tuple[int, int, str]], i: int) -> bool:
    return i == 0 or tokens[i - 1][2] in _SENTENCE_END or _newline_between(text, tokens, i - 1, i)


@lru_cache(maxsize=8)
def matcher_for(ontology: Ontology) -> SkillMatcher:
    return SkillMatcher(ontology)


def extract_skills(text: str, ontology: Ontology | None = None) -> list[SkillMention]:
    """Every ontology skill mentioned in `text`, in order, with its requirement cue.

    Empty or non-text input gives []; text longer than MAX_TEXT_CHARS raises ValueError.
    """
    from cadre.taxonomy.requirements import requirement_for_spans  # cue rules live beside this module

    if not isinstance(text, str):
        raise TypeError(f"extract_skills needs str, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"text is {len(text):,} characters; split it below {MAX_TEXT_CHARS:,}")
    if not text.strip():
        return []
    onto = ontology or load_ontology()
    tokens = tokenize(text)
    spans = matcher_for(onto).find(text, tokens)
    if not spans:
        return []
    requirements = requirement_for_spans(text, tokens, [(i, j) for i, j, _ in spans])
    mentions = []
    for (i, j, alias), requirement in zip(spans, requirements, strict=True):
        if requirement == "negated":
            continue
        skill = onto.skills[alias.slug]
        mentions.append(
            SkillMention(
                skill_id=skill.slug,
                name=skill.name,
                category=skill.category,
                start=tokens[i][0],
                end=tokens[j][1],
                requirement=requirement,
                confidence=alias.confidence,
            )
        )
    return mentions
