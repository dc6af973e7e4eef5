"""Must / nice-to-have / negated cues for skill mentions in job text. Pure module, no Django import.

Rules, in order of precedence, for one mention:
1. Negation in the same clause: a prefix ("no Java needed", "without Java", "no need for Java") or a
   suffix ("Java is not required") -> "negated" (the extractor drops the mention).
2. The nearest cue in the same sentence that points at the mention: forward cues govern what follows
   ("Required: X", "Nice to have: X", "we require X"), backward cues what precedes ("X required",
   "X is a plus", "X preferred"). Ambiguous cues ("required", "preferred", "nice to have") point forward
   at the start of a clause or before a colon, backward otherwise. Only the closest cue on each side
   counts; a backward cue beyond a comma, or a tie, loses to the forward one ("Required: A, B, C
   preferred" -> A, B must; C nice).
3. The section heading above ("Requirements:", "## Nice to have", "Preferred qualifications").
4. Otherwise None.
"""

from __future__ import annotations

from typing import Any

Token = tuple[int, int, str]

_FWD, _BWD, _AUTO, _COLON = "fwd", "bwd", "auto", "colon"  # _COLON: a cue only before ":"

# (phrase, kind, direction). Phrases are lower-case tokens as the tokenizer cuts them ("don ' t").
_CUES: list[tuple[str, str, str]] = [
    ("required", "must", _AUTO),
    ("is required", "must", _BWD),
    ("are required", "must", _BWD),
    ("requires", "must", _FWD),
    ("require", "must", _FWD),
    ("requirements", "must", _COLON),
    ("requirement", "must", _COLON),
    ("qualifications", "must", _COLON),
    ("must have", "must", _AUTO),
    ("must", "must", _FWD),
    ("a must", "must", _BWD),
    ("is a must", "must", _BWD),
    ("mandatory", "must", _AUTO),
    ("essential", "must", _AUTO),
    ("needed", "must", _BWD),
    ("you need", "must", _FWD),
    ("necessary", "must", _BWD),
    ("nice to have", "nice", _AUTO),
    ("good to have", "nice", _AUTO),
    ("would be nice", "nice", _BWD),
    ("would be great", "nice", _BWD),
    ("preferred", "nice", _AUTO),
    ("is preferred", "nice", _BWD),
    ("preferably", "nice", _FWD),
    ("ideally", "nice", _FWD),
    ("bonus", "nice", _AUTO),
    ("bonus points", "nice", _AUTO),
    ("a bonus", "nice", _BWD),
    ("is a bonus", "nice", _BWD),
    ("a plus", "nice", _BWD),
    ("is a plus", "nice", _BWD),
    ("big plus", "nice", _BWD),
    ("plus", "nice", _COLON),
    ("desirable", "nice", _AUTO),
    ("desired", "nice", _AUTO),
    ("an advantage", "nice", _BWD),
    ("is an advantage", "nice", _BWD),
    ("advantageous", "nice", _BWD),
    ("optional", "nice", _AUTO),
    ("no", "neg_pre", _FWD),
    ("without", "neg_pre", _FWD),
    ("no need for", "neg_pre", _FWD),
    ("don ' t need", "neg_pre", _FWD),
    ("do not need", "neg_pre", _FWD),
    ("does not require", "neg_pre", _FWD),
    ("doesn ' t require", "neg_pre", _FWD),
    ("not required", "neg_post", _BWD),
    ("not needed", "neg_post", _BWD),
    ("not necessary", "neg_post", _BWD),
    ("not a requirement", "neg_post", _BWD),
    ("not mandatory", "neg_post", _BWD),
    ("not essential", "neg_post", _BWD),
    ("isn ' t required", "neg_post", _BWD),
    ("isn ' t needed", "neg_post", _BWD),
    # Consumed so the "no" inside them is not read as a negation.
    ("no less than", "none", _FWD),
    ("no more than", "none", _FWD),
    ("no fewer than", "none", _FWD),
    ("no later than", "none", _FWD),
    ("no matter", "none", _FWD),
]
_CUE_TRIE: dict[str, Any] = {}
for _phrase, _kind, _direction in _CUES:
    _node = _CUE_TRIE
    for _tok in _phrase.split():
        _node = _node.setdefault(_tok, {})
    _node[""] = (_kind, _direction)

_SENTENCE_END = frozenset({".", "!", "?", ";"})
_CLAUSE_BREAK = frozenset({",", ";", "but", "however", "while", "whereas"})
_CLAUSE_START = frozenset({",", ";", ":", "(", "•", "*", "·", "–", "—", "|"})

_NICE_HEADINGS: tuple[str, ...] = (
    "nice to have",
    "preferred",
    "bonus",
    "plus",
    "desirable",
    "desired",
    "good to have",
)
_NICE_HEADINGS += ("optional", "ideal", "extra credit", "nice")
_MUST_HEADINGS: tuple[str, ...] = (
    "requirement",
    "required",
    "must have",
    "qualification",
    "what you need",
    "you have",
)
_MUST_HEADINGS += ("you ll need", "you will need", "you bring", "looking for", "minimum", "essential")
_MUST_HEADINGS += ("mandatory", "who you are", "you ll bring", "you will bring", "about you")
_NEUTRAL_HEADINGS: tuple[str, ...] = (
    "responsibilities",
    "what you ll do",
    "what you will do",
    "about us",
    "benefits",
)
_NEUTRAL_HEADINGS += ("perks", "the role", "about the role", "who we are", "compensation", "skills")
_NEUTRAL_HEADINGS += ("experience", "education", "projects", "summary", "the team", "how to apply")


def _cues(low: list[str], lo: int, hi: int) -> list[tuple[int, int, str, str]]:
    """(first, last, kind, direction) of every cue phrase in tokens [lo, hi), longest match first."""
    found = []
    i = lo
    while i < hi:
        node = _CUE_TRIE.get(low[i])
        best = None
        j = i
        while node is not None:
            if "" in node:
                best = (j, node[""])
            j += 1
            if j >= hi:
                break
            node = node.get(low[j])
        if best is None:
            i += 1
            continue
        last, (kind, direction) = best
        after = low[last + 1] if last + 1 < hi else ""
        if direction == _COLON:
            direction = _FWD if after == ":" else ""
        elif direction == _AUTO:
            before = low[i - 1] if i > lo else ""
            direction = _FWD if (i == lo or before in _CLAUSE_START or after == ":") else _BWD
        if direction:
            found.append((i, last, kind, direction))
        i = last + 1
    return found


def _heading_kind(words: list[str]) -> str | None:
    line = " ".join(words)
    for phrases, kind in ((_NICE_HEADINGS, "nice"), (_MUST_HEADINGS, "must"), (_NEUTRAL_HEADINGS, "")):
        if any(f" {p}" in f" {line}" for p in phrases):
            return kind
    return None


def _boundaries(text: str, tokens: list[Token]) -> tuple[list[int], list[int]]:
    """Token index where each line starts, and where each sentence starts (lines end sentences too)."""
    lines, sentences = [0], [0]
    for k in range(1, len(tokens)):
        if text.find("\n", tokens[k - 1][1], tokens[k][0]) != -1:
            lines.append(k)
            sentences.append(k)
        elif tokens[k - 1][2] in _SENTENCE_END:
            sentences.append(k)
    return lines, sentences


def _sections(
    text: str, tokens: list[Token], low: list[str], lines: list[int], spans: list[tuple[int, int]]
) -> list[str | None]:
    """The requirement set by the heading above each line (None if no heading, or a neutral one)."""
    has_skill = set()
    line_of = 0
    for i, _ in spans:
        while line_of + 1 < len(lines) and lines[line_of + 1] <= i:
            line_of += 1
        has_skill.add(line_of)
    current: str | None = None
    per_line: list[str | None] = []
    bounds = [*lines, len(tokens)]
    for n in range(len(lines)):
        lo, hi = bounds[n], bounds[n + 1]
        words = [w for w in low[lo:hi] if w.isalnum()]
        is_heading = False
        if n not in has_skill and words and len(words) <= 8:
            kind = _heading_kind(words)
            ends_colon = low[hi - 1] == ":"
            markdown = low[lo] == "#" or (low[lo] == "*" and low[hi - 1] == "*")
            punct = any(t in _SENTENCE_END or t == "," for t in low[lo:hi])
            if ends_colon or markdown or (kind is not None and len(words) <= 5 and not punct):
                is_heading = True
                current = kind or None
        per_line.append(None if is_heading else current)
    return per_line


def requirement_for_spans(text: str, tokens: list[Token], spans: list[tuple[int, int]]) -> list[str | None]:
    """ "must", "nice", "negated" or None for each (first, last) token span, spans in text order."""
    if not spans:
        return []
    low = [t[2].lower() for t in tokens]
    lines, sentences = _boundaries(text, tokens)
    section_of_line = _sections(text, tokens, low, lines, spans)
    out: list[str | None] = []
    sent_bounds = [*sentences, len(tokens)]
    s = line = 0
    cache: dict[int, tuple[list[tuple[int, int, str, str]], list[int]]] = {}
    for i, j in spans:
        while sent_bounds[s + 1] <= i:
            s += 1
        while line + 1 < len(lines) and lines[line + 1] <= i:
            line += 1
        lo, hi = sent_bounds[s], sent_bounds[s + 1]
        if s not in cache:
            cues = _cues(low, lo, hi)
            breaks = [k for k in range(lo, hi) if low[k] in _CLAUSE_BREAK]
            cache[s] = (_drop_negated_cues(cues, breaks), breaks)
        cues, breaks = cache[s]
        out.append(_requirement(i, j, cues, breaks) or section_of_line[line])
    return out


def _same_clause(a: int, b: int, breaks: list[int]) -> bool:
    lo, hi = min(a, b), max(a, b)
    return not any(lo < k < hi for k in breaks)


def _drop_negated_cues(
    cues: list[tuple[int, int, str, str]], breaks: list[int]
) -> list[tuple[int, int, str, str]]:
    """ "no Java needed": "needed" belongs to the negation, not a must cue for the rest of the sentence."""
    kept = []
    for cue in cues:
        negated = any(
            c[2] == "neg_pre" and c[1] < cue[0] and _same_clause(c[1], cue[0], breaks) for c in cues
        )
        if not (negated and cue[2] in {"must", "nice"}):
            kept.append(cue)
    return kept


def _requirement(i: int, j: int, cues: list[tuple[int, int, str, str]], breaks: list[int]) -> str | None:
    before = [c for c in cues if c[1] < i]
    after = [c for c in cues if c[0] > j]
    for c in before:
        if c[2] == "neg_pre" and _same_clause(c[1], i, breaks):
            return "negated"
    for c in after:
        if c[2] == "neg_post" and _same_clause(j, c[0], breaks):
            return "negated"
    before = [c for c in before if c[2] in {"must", "nice"}]
    after = [c for c in after if c[2] in {"must", "nice"}]
    fwd = before[-1] if before and before[-1][3] == _FWD else None
    bwd = after[0] if after and after[0][3] == _BWD else None
    if fwd and bwd:
        # "Required: A, B, C preferred": a trailing cue past a comma loses to the heading-like cue.
        if not _same_clause(j, bwd[0], breaks):
            return fwd[2]
        return fwd[2] if i - fwd[1] <= bwd[0] - j else bwd[2]
    if fwd:
        return fwd[2]
    if bwd:
        return bwd[2]
    return None
