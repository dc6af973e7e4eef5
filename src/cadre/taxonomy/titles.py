"""Job-title normalisation: a title -> AI role family, O*NET-SOC occupation and seniority. Pure, no Django.

Two deterministic layers:
1. curated cues: seniority words ("Sr.", "Lead", "Staff", "Principal", "Head of", "VP", "Junior",
   "Intern", level suffixes "II"/"III") and role-family phrases for the eleven AI role families;
2. a character n-gram TF-IDF nearest neighbour over a small table of O*NET 29.2 alternate and reported
   titles (data/onet_titles.tsv, built by scripts/build_title_table.py; O*NET is CC BY 4.0, USDOL/ETA).

The role family comes only from layer 1, so a title outside the AI families ("Data Analyst", "Product
Manager") gets `role_family=None` with its nearest O*NET occupation; when a family matched, `onet_code`
is that family's code and `nearest_onet` still says what the O*NET titles alone suggested.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

TITLES_VERSION = "titles-1"
DATA = Path(__file__).resolve().parent / "data" / "onet_titles.tsv"

# Occupations whose titles ship, in tie-break order (the AI/data occupations first).
TITLE_OCCUPATIONS: dict[str, str] = {
    "15-2051.00": "Data Scientists",
    "15-1221.00": "Computer and Information Research Scientists",
    "15-1252.00": "Software Developers",
    "15-1243.00": "Database Architects",
    "15-1299.08": "Computer Systems Engineers/Architects",
    "15-1242.00": "Database Administrators",
    "15-1243.01": "Data Warehousing Specialists",
    "15-2051.01": "Business Intelligence Analysts",
    "15-2041.00": "Statisticians",
    "15-2031.00": "Operations Research Analysts",
    "15-1211.00": "Computer Systems Analysts",
    "15-1212.00": "Information Security Analysts",
    "15-1253.00": "Software Quality Assurance Analysts and Testers",
    "15-1254.00": "Web Developers",
    "15-1244.00": "Network and Computer Systems Administrators",
    "15-1299.09": "Information Technology Project Managers",
    "11-3021.00": "Computer and Information Systems Managers",
    "11-1011.00": "Chief Executives",
    "11-1021.00": "General and Operations Managers",
    "11-9199.01": "Regulatory Affairs Managers",
    "11-9199.02": "Compliance Managers",
    "13-1041.00": "Compliance Officers",
    "13-1111.00": "Management Analysts",
    "19-1029.01": "Bioinformatics Scientists",
    "17-2061.00": "Computer Hardware Engineers",
}

# Abbreviations expanded before matching; keys are whole lower-case tokens.
ABBREVIATIONS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "jnr": "junior",
    "ml": "machine learning",
    "dl": "deep learning",
    "mle": "machine learning engineer",
    "eng": "engineer",
    "engr": "engineer",
    "mgr": "manager",
    "dir": "director",
    "vp": "vice president",
    "svp": "senior vice president",
    "evp": "executive vice president",
    "swe": "software engineer",
    "sde": "software development engineer",
    "bi": "business intelligence",
    "cv": "computer vision",
    "genai": "generative ai",
}

# (pattern on the normalised title, seniority, why). First match wins, so the order is the priority.
SENIORITY_CUES: list[tuple[str, str, str]] = [
    (r"\b(chief|ceo|cto|cio|cdo|caio|cdao|president|vice president)\b", "executive", "C-level / VP"),
    (r"\b(head of|director)\b", "director", "Head of / Director"),
    (r"\b(principal|distinguished)\b|(?<!postdoctoral )(?<!research )\bfellow\b", "principal", "Principal"),
    (r"(?<!technical )\bstaff\b", "staff", "Staff"),
    (r"\b(senior|lead|team lead|tech lead)\b", "senior", "Senior / Lead"),
    (r"\b(intern|internship|trainee|apprentice|co op|student)\b", "intern", "Intern"),
    # A bare "Associate" is a grade in consulting and banking, not a junior signal; "Associate X" is.
    (r"\b(junior|entry level|graduate|new grad)\b|\bassociate\b(?= [a-z])", "junior", "Junior / Associate"),
    (r"\b(iv|4|l6)$", "staff", "level IV"),
    (r"\b(iii|3|l5)$", "senior", "level III"),
    (r"\b(ii|2|l4)$", "mid", "level II"),
    (r"\b(i|1|l3)$", "junior", "level I"),
]
_SENIORITY = [(re.compile(p), level, why) for p, level, why in SENIORITY_CUES]
# Words that only carry seniority; removed before matching the occupation.
_SENIORITY_WORDS = re.compile(
    r"\b(senior|junior|lead|principal|staff|distinguished|head of|director of|intern|internship|"
    r"entry level|new grad|graduate|trainee|apprentice|associate|ii|iii|iv|i|[1-5]|l[3-7])\b"
)

# Curated AI role-family phrases, most specific first (see module docstring).
FAMILY_CUES: list[tuple[str, str]] = [
    (
        "chief-ai-officer",
        r"\bchief (data and )?(ai|artificial intelligence)( and data)? officer\b|\bcaio\b|\bcdao\b"
        r"|\b(head|vice president) of (ai|artificial intelligence)\b|\bchief ai\b",
    ),
    (
        "responsible-ai-officer",
        r"\bresponsible ai\b|\b(ai|machine learning|model) (ethics|ethicist|governance|risk|compliance|"
        r"policy|assurance|audit|auditor)\b|\b(ethical|trustworthy) ai\b|\bmodel risk\b",
    ),
    (
        "mlops-engineer",
        r"\bmlops\b|\bml ?ops\b|\bllmops\b|\bmachine learning (ops|operations|platform|infrastructure|"
        r"reliability|systems)\b|\bai (platform|infrastructure)\b",
    ),
    (
        "genai-engineer",
        r"\b(llms?|large language models?|generative ai|gen ai|prompt engineer|prompt engineering|"
        r"rag|ai agents?|agentic)\b",
    ),
    (
        "nlp-engineer",
        r"\b(nlp|natural language|computational linguist|conversational ai|speech recognition|"
        r"language technologies)\b",
    ),
    ("cv-engineer", r"\b(computer vision|machine vision|vision|image processing|perception)\b"),
    (
        "ai-architect",
        r"\b(ai|machine learning|deep learning|artificial intelligence) (solutions? |platform )?architect\b",
    ),
    ("data-scientist", r"\bdata scien|\bdecision scien"),
    (
        "research-scientist",
        r"\bresearch (scientist|engineer)\b|\bresearcher\b|\bapplied (machine learning )?scientist\b"
        r"|\b(ai|machine learning|deep learning) scientist\b|\bpostdoc",
    ),
    (
        "data-engineer",
        r"\bdata (engineer|architect|platform engineer|pipeline|infrastructure engineer|integration "
        r"engineer|warehouse|warehousing|modeler|operations engineer|quality engineer|developer)\b"
        r"|\bdata integration (engineer|developer|specialist)\b|\bdatabase engineer\b"
        r"|\betl\b|\belt\b|\banalytics engineer\b|\bbig data\b|\bdataops\b",
    ),
    ("ml-engineer", r"\bmachine learning\b|\bdeep learning\b|\bai\b"),
]
_FAMILIES = [(slug, re.compile(p)) for slug, p in FAMILY_CUES]
# Business-side titles that mention AI but are not engineering families ("AI Product Manager").
_NOT_ENGINEERING = re.compile(
    r"\b(product (manager|owner)|sales|marketing|recruiter|account|designer|writer|analyst|consultant)\b"
)
_GENERIC_FAMILY = "ml-engineer"

# Role-family codes (SOC 2018 / O*NET-SOC) as in the shipped foundation ontology.
FAMILY_ONET = {
    "ml-engineer": "15-1252.00",
    "data-scientist": "15-2051.00",
    "ai-architect": "15-1299.08",
    "mlops-engineer": "15-1252.00",
    "data-engineer": "15-1243.00",
    "nlp-engineer": "15-1252.00",
    "cv-engineer": "15-1252.00",
    "responsible-ai-officer": "11-9199.01",
    "research-scientist": "15-1221.00",
    "genai-engineer": "15-1252.00",
    "chief-ai-officer": "11-1021.00",
}


@dataclass(frozen=True)
class TitleMatch:
    role_family: str | None
    onet_code: str | None
    seniority: str
    score: float
    nearest_onet: str | None = None
    nearest_title: str | None = None
    evidence: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {
            "role_family": self.role_family,
            "onet_code": self.onet_code,
            "seniority": self.seniority,
            "score": self.score,
            "nearest_onet": self.nearest_onet,
            "nearest_title": self.nearest_title,
            "evidence": list(self.evidence),
        }


def normalise_text(title: str) -> str:
    """Lower case, punctuation to spaces (keeping C++/C#/.NET), abbreviations expanded."""
    text = title.lower().replace("&", " and ").replace("c++", "cpp").replace("c#", "csharp")
    text = re.sub(r"[^a-z0-9+#]+", " ", text)
    words = [ABBREVIATIONS.get(w, w) for w in text.split()]
    text = " ".join(words)
    text = re.sub(r"\bartificial intelligence\b", "ai", text)
    text = re.sub(r"\bnatural language processing\b", "nlp", text)
    return text.strip()


def is_held_out(normalised_title: str) -> bool:
    """The stable one-in-five split of O*NET titles kept out of the shipped table for measurement."""
    return hashlib.sha1(normalised_title.encode()).digest()[0] % 5 == 0


def detect_seniority(normalised: str) -> tuple[str, str | None]:
    for pattern, level, why in _SENIORITY:
        if pattern.search(normalised):
            return level, why
    return "mid", None


def detect_family(normalised: str) -> tuple[str | None, str | None]:
    for slug, pattern in _FAMILIES:
        if slug == _GENERIC_FAMILY and _NOT_ENGINEERING.search(normalised):
            return None, None
        if m := pattern.search(normalised):
            return slug, m.group(0)
    return None, None


def _ngrams(text: str) -> list[str]:
    padded = f" {text} "
    return [padded[i : i + n] for n in (3, 4) for i in range(len(padded) - n + 1)]


class TitleIndex:
    """Character 3-4-gram TF-IDF with cosine similarity over an inverted index (no numpy needed)."""

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self.rows = rows  # (display title, onet code)
        docs = [self._counts(normalise_text(t)) for t, _ in rows]
        df: dict[str, int] = defaultdict(int)
        for counts in docs:
            for gram in counts:
                df[gram] += 1
        n = len(docs)
        self.idf = {g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in df.items()}
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, counts in enumerate(docs):
            vec = self._weights(counts)
            for gram, w in vec.items():
                self.postings[gram].append((i, w))

    @staticmethod
    def _counts(text: str) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for gram in _ngrams(text):
            counts[gram] += 1
        return counts

    def _weights(self, counts: dict[str, int]) -> dict[str, float]:
        vec = {g: (1 + math.log(c)) * self.idf.get(g, 0.0) for g, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        return {g: w / norm for g, w in vec.items() if w}

    def nearest(self, normalised: str) -> tuple[str | None, str | None, float]:
        """(onet code, matched title, cosine). Ties go to the earlier occupation in TITLE_OCCUPATIONS."""
        query = self._weights(self._counts(normalised))
        scores: dict[int, float] = defaultdict(float)
        for gram, w in query.items():
            for i, dw in self.postings.get(gram, ()):
                scores[i] += w * dw
        if not scores:
            return None, None, 0.0
        order = list(TITLE_OCCUPATIONS)
        best = max(scores, key=lambda i: (round(scores[i], 9), -order.index(self.rows[i][1]), -i))
        title, code = self.rows[best]
        return code, title, round(scores[best], 4)


def read_title_table(path: Path = DATA) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[2:]:  # attribution line, header
        title, code, _source = line.split("\t")
        rows.append((title, code))
    return rows


@lru_cache(maxsize=1)
def title_index() -> TitleIndex:
    return TitleIndex(read_title_table())


def normalize_title(title: str, index: TitleIndex | None = None) -> TitleMatch:
    """Map a job title to role family, O*NET-SOC code, seniority and a 0..1 score. Deterministic."""
    text = normalise_text(title or "")[:300]
    if not text:
        return TitleMatch(None, None, "mid", 0.0, evidence=("empty title",))
    seniority, seniority_why = detect_seniority(text)
    core = re.sub(r"\s+", " ", _SENIORITY_WORDS.sub(" ", text)).strip() or text
    family, family_cue = detect_family(text)
    code, nearest_title, similarity = (index or title_index()).nearest(core)
    evidence = []
    if seniority_why:
        evidence.append(f"seniority cue: {seniority_why}")
    if family_cue:
        evidence.append(f"role-family cue: {family_cue!r}")
    if nearest_title:
        evidence.append(f"nearest O*NET title: {nearest_title!r} ({code}, cosine {similarity:.2f})")
    if family:
        # A curated cue is strong evidence; the score still rises with a close O*NET title.
        score = round(max(0.8, similarity), 4)
        onet = FAMILY_ONET.get(family, code)
    else:
        score, onet = similarity, code
    return TitleMatch(family, onet, seniority, score, code, nearest_title, tuple(evidence))
