"""Requirement text -> draft job profile. Pure and deterministic: no Django, no network.

`draft_profile(text, ontology)` proposes role family (with SOC / O*NET codes), seniority, must/nice
skills (taxonomy extraction), platform, duration, engagement, criticality and regulatory hints, the
competencies to screen, and whether a technical lead must review it. Every field carries the evidence
(the quoted words and the rule) so the recruiter sees why before editing and saving.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from cadre.taxonomy.extraction import SkillMention, extract_skills
from cadre.taxonomy.ontology import Ontology
from cadre.taxonomy.titles import detect_family, detect_seniority, normalise_text, normalize_title

PARSER_VERSION = "profile-1"
MAX_CHARS = 20_000  # requirement texts are short; longer input is cut, never an error

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
}  # fmt: skip
_NUMBER = r"(\d{1,3}|" + "|".join(_WORD_NUMBERS) + r")"

# Skills and phrases that point at a role family: (family, weight). A named role ("MLOps engineer")
# outweighs any of these; see _role_family.
SKILL_FAMILY: dict[str, tuple[str, float]] = {
    "rag": ("genai-engineer", 2.0),
    "langchain": ("genai-engineer", 2.0),
    "llm-evaluation": ("genai-engineer", 2.0),
    "vector-databases": ("genai-engineer", 1.0),
    "vllm": ("genai-engineer", 1.0),
    "lora": ("genai-engineer", 1.0),
    "fine-tuning": ("genai-engineer", 1.0),
    "rlhf": ("research-scientist", 1.0),
    "airflow": ("data-engineer", 2.0),
    "dbt": ("data-engineer", 2.0),
    "spark": ("data-engineer", 1.0),
    "snowflake": ("data-engineer", 1.0),
    "sql": ("data-engineer", 0.5),
    "mlflow": ("mlops-engineer", 2.0),
    "kubeflow": ("mlops-engineer", 2.0),
    "feature-stores": ("mlops-engineer", 1.5),
    "docker": ("mlops-engineer", 0.5),
    "nist-ai-rmf": ("responsible-ai-officer", 3.0),
    "eu-ai-act": ("responsible-ai-officer", 3.0),
    "model-risk-management": ("responsible-ai-officer", 3.0),
    "computer-vision": ("cv-engineer", 3.0),
    "nlp": ("nlp-engineer", 2.0),
    "hf-transformers": ("nlp-engineer", 1.0),
    "causal-inference": ("data-scientist", 2.0),
    "ab-testing": ("data-scientist", 2.0),
    "distributed-training": ("ml-engineer", 1.0),
    "pytorch": ("ml-engineer", 0.5),
    "tensorflow": ("ml-engineer", 0.5),
    "scikit-learn": ("data-scientist", 0.5),
}
PHRASE_FAMILY: list[tuple[str, str, float]] = [
    (r"retrieval[- ]augmented|\bllms?\b|large language model|generative ai|gen ?ai|chatbot|copilot|"
     r"foundation model|prompt", "genai-engineer", 2.0),
    (r"data pipelines?|\betl\b|\belt\b|ingestion|data warehouse|lakehouse|data lake", "data-engineer", 2.0),
    (r"\bmlops\b|ml platform|machine learning platform|model (deployment|monitoring|registry)|"
     r"ci/cd for (ml|models)", "mlops-engineer", 2.0),
    (r"\barchitect(ure)?\b|hybrid|on[- ]prem", "ai-architect", 1.5),
    (r"responsible ai|ai governance|ai risk|\bbias\b|fairness|ai ethics|model risk",
     "responsible-ai-officer", 2.0),
    (r"chief ai officer|\bcaio\b|ai strategy|head of ai|board|executive team", "chief-ai-officer", 2.0),
    (r"\bresearch\b|publications?|novel (methods|architectures)|state of the art", "research-scientist", 1.0),
    (r"forecast|experiment|statistic|insights?|churn|propensity", "data-scientist", 1.0),
    (r"\bimages?\b|\bvideo\b|object detection|segmentation|\bocr\b", "cv-engineer", 2.0),
    (r"named entity|text classification|\bspeech\b|translation|summari[sz]", "nlp-engineer", 1.5),
    (r"train(ing)? (a |the )?models?|machine learning|deep learning", "ml-engineer", 1.0),
]  # fmt: skip
_PHRASE_FAMILY = [(re.compile(p, re.I), fam, w) for p, fam, w in PHRASE_FAMILY]
_NAMED_ROLE_WEIGHT = 5.0
# Up to five words ending in a role noun: "a senior MLOps engineer", "Head of AI".
_ROLE_PHRASE = re.compile(
    r"((?:[\w+#./-]+ ){0,5}(?:engineer|scientist|architect|officer|researcher|developer|lead|"
    r"manager|director|head of [\w ]{2,30}?)\b)",
    re.I,
)

# Platforms: (pattern, platform slug, rule). Specific services first; "AWS" alone is decided below.
PLATFORM_CUES: list[tuple[str, str, str]] = [
    (r"sagemaker", "aws-sagemaker", "names SageMaker"),
    (r"bedrock", "aws-bedrock", "names Bedrock"),
    (r"trainium|inferentia", "aws-trainium", "names Trainium/Inferentia"),
    (r"vertex", "gcp-vertex", "names Vertex AI"),
    (r"\btpus?\b", "gcp-tpu", "names TPUs"),
    (r"azure", "azure-ml", "names Azure"),
    (r"databricks", "databricks", "names Databricks"),
    (r"snowflake", "snowflake", "names Snowflake"),
    (r"slurm|\bdgx\b|gpu cluster|\bnccl\b|\bh100s?\b|\ba100s?\b", "nvidia-gpu-cluster",
     "names GPU-cluster kit"),
    (r"on[- ]prem(ise|ises)?\b|self[- ]hosted|air[- ]gapped|own data ?cent(er|re)", "onprem-kubernetes",
     "runs on premises"),
    (r"google cloud|\bgcp\b", "gcp-vertex", "Google Cloud: Vertex AI is its ML platform"),
    (r"\baws\b|amazon web services", "aws", "names AWS"),
]  # fmt: skip
_PLATFORM = [(re.compile(p, re.I), slug, why) for p, slug, why in PLATFORM_CUES]
_GENAI_ON_AWS = re.compile(
    r"retrieval[- ]augmented|\brag\b|\bllms?\b|generative|foundation model|claude", re.I
)

ENGAGEMENT_CUES: list[tuple[str, str]] = [
    (r"retained search|retained (executive )?search|\bretained\b", "retained_search"),
    (r"contract[- ]to[- ]hire|\bc2h\b|temp[- ]to[- ]perm|right[- ]to[- ]hire", "contract_to_hire"),
    (r"full[- ]time|permanent|direct[- ]hire|\bfte\b|\bperm\b|on (our|the) payroll", "direct_hire"),
    (r"\bcontract(or)?\b|freelance|consultant|statement of work|\bsow\b|fixed[- ]term", "contract"),
]
_ENGAGEMENT = [(re.compile(p, re.I), hint) for p, hint in ENGAGEMENT_CUES]

CRITICALITY_CUES: list[tuple[str, str]] = [
    (r"\burgent|\basap\b|immediately|right away|yesterday", "urgent"),
    (r"mission[- ]critical|business[- ]critical|critical", "business_critical"),
    (r"\bproduction\b|\bdeploy|\bservice\b|\b24/7\b|\bsla\b|uptime|on[- ]call", "production_system"),
    (r"customer[- ]facing|patients?|end users|public[- ]facing", "customer_facing"),
    (r"within \d+ (weeks|months)|deadline|by (q[1-4]|january|june|the end of)", "deadline"),
    (r"safety|autonomous|medical device", "safety_relevant"),
]
_CRITICALITY = [(re.compile(p, re.I), hint) for p, hint in CRITICALITY_CUES]

REGULATORY_CUES: list[tuple[str, str]] = [
    (r"eu ai act|\beu\b|europe|gdpr", "eu_ai_act_gdpr"),
    (r"nist ai rmf|nist", "nist_ai_rmf"),
    (r"hipaa|health|clinical|patient|medical", "health_hipaa"),
    (r"\bbank|financial|credit|lending|insurance|sr ?11-7|model risk", "financial_model_risk"),
    (r"hiring decisions|employment decisions|recruit|\bhr\b|ll ?144", "employment_decisions"),
    (r"government|federal|public sector|fedramp|itar|clearance", "public_sector"),
    (r"children|minors|coppa", "children"),
]
_REGULATORY = [(re.compile(p, re.I), hint) for p, hint in REGULATORY_CUES]

# LLM deployment or model training: such profiles go to a named technical lead before sourcing.
_LLM = re.compile(
    r"retrieval[- ]augmented|\brag\b|\bllms?\b|large language model|generative|gen ?ai|chatbot", re.I
)
_DEPLOY = re.compile(
    r"\bdeploy|\bserv(e|ing)\b|\bproduction\b|\binference\b|\bservice\b|\bship|\blaunch", re.I
)
_TRAIN = re.compile(r"\btrain(ing)?\b|fine[- ]tun|pre[- ]train|\brlhf\b|\bdpo\b", re.I)
_TRAINING_SKILLS = {"fine-tuning", "lora", "rlhf", "distributed-training"}
_LLM_SKILLS = {"rag", "langchain", "vllm", "llm-evaluation"}

_YEARS = re.compile(r"(\d{1,2})\+? ?(?:years|yrs)", re.I)
_SENIORITY_WORDS = re.compile(
    r"\b(chief|vp|vice president|head of|director|principal|staff|senior|sr\.?|lead|junior|jr\.?|"
    r"entry[- ]level|graduate|intern(ship)?)\b",
    re.I,
)


@dataclass(frozen=True)
class Evidence:
    quote: str  # the words in the text, or "" for a default
    start: int
    end: int
    rule: str  # why these words mean this value


@dataclass
class ProfileDraft:
    title: str = ""
    role_family: str | None = None
    soc_code: str = ""
    onet_code: str = ""
    seniority: str = "mid"
    must_skills: list[str] = field(default_factory=list)
    nice_skills: list[str] = field(default_factory=list)
    platform: str | None = None
    duration_months: int | None = None
    engagement_hint: str | None = None
    criticality: list[str] = field(default_factory=list)
    regulatory_exposure: list[str] = field(default_factory=list)
    competencies: list[str] = field(default_factory=list)
    review_required: bool = False
    review_reasons: list[str] = field(default_factory=list)
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    source_text: str = ""
    ontology_version: str = ""
    parser_version: str = PARSER_VERSION

    def cite(self, name: str, quote: str, start: int, end: int, rule: str) -> None:
        self.evidence.setdefault(name, []).append(Evidence(quote, start, end, rule))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _number(raw: str) -> int:
    return int(raw) if raw.isdigit() else _WORD_NUMBERS[raw.lower()]


def _first(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    return pattern.search(text)


def _skills(draft: ProfileDraft, mentions: list[SkillMention], ontology: Ontology) -> None:
    """Must: marked required; nice: marked a plus; an unmarked skill the text is about counts as must
    unless it is a platform (those go to `platform`)."""
    must: list[str] = []
    nice: list[str] = []
    for m in mentions:
        if m.skill_id in must or m.skill_id in nice:
            continue
        if m.requirement == "nice":
            nice.append(m.skill_id)
            draft.cite("nice_skills", draft.source_text[m.start : m.end], m.start, m.end, "marked a plus")
        elif m.requirement == "must" or m.category != "platform":
            must.append(m.skill_id)
            rule = "marked required" if m.requirement == "must" else "named as the work to be done"
            draft.cite("must_skills", draft.source_text[m.start : m.end], m.start, m.end, rule)
    draft.must_skills, draft.nice_skills = must, nice


def _role_family(draft: ProfileDraft, text: str, mentions: list[SkillMention]) -> str | None:
    """A role named in the text wins; otherwise the family with the most skill and phrase weight."""
    scores: dict[str, float] = defaultdict(float)
    why: dict[str, list[Evidence]] = defaultdict(list)
    for m in _ROLE_PHRASE.finditer(text):
        phrase = m.group(1)
        family, cue = detect_family(normalise_text(phrase))
        if family:
            scores[family] += _NAMED_ROLE_WEIGHT
            why[family].append(Evidence(phrase.strip(), m.start(1), m.end(1), f"names the role ({cue})"))
            if not draft.title:
                draft.title = _title_from_phrase(phrase)
    for mention in mentions:
        if mention.skill_id in SKILL_FAMILY:
            family, weight = SKILL_FAMILY[mention.skill_id]
            scores[family] += weight
            quote = text[mention.start : mention.end]
            why[family].append(Evidence(quote, mention.start, mention.end, f"skill {mention.skill_id}"))
    for pattern, family, weight in _PHRASE_FAMILY:
        if hit := pattern.search(text):
            scores[family] += weight
            why[family].append(Evidence(hit.group(0), hit.start(), hit.end(), "describes the work"))
    if not scores:
        return None
    order = [f for _, f, _ in PHRASE_FAMILY]
    best = max(scores, key=lambda f: (scores[f], -order.index(f) if f in order else -99))
    for ev in why[best]:
        draft.cite("role_family", ev.quote, ev.start, ev.end, ev.rule)
    return best


_FILLER = frozenset(
    {
        *("we", "need", "a", "an", "the", "someone", "looking", "for", "hire", "hiring", "to", "our"),
        *("seeking", "seek", "search", "retained", "experienced", "strong", "great", "skilled"),
        *("with", "as", "and", "or", "of"),
    }
)


def _title_from_phrase(phrase: str) -> str:
    """Drop leading filler ("Retained search for a Chief AI Officer") down to the first title word."""
    words = phrase.strip().split()
    for i, word in enumerate(words):
        if word.lower() not in _FILLER:
            return " ".join(words[i:])
    return phrase.strip()


def _seniority(draft: ProfileDraft, text: str) -> None:
    if hit := _SENIORITY_WORDS.search(text):
        level, _why = detect_seniority(normalise_text(hit.group(0)))
        draft.seniority = level
        draft.cite("seniority", hit.group(0), hit.start(), hit.end(), "seniority word")
        return
    if hit := _YEARS.search(text):
        years = int(hit.group(1))
        draft.seniority = (
            "junior" if years <= 1 else "mid" if years <= 4 else "senior" if years <= 7 else "staff"
        )
        draft.cite("seniority", hit.group(0), hit.start(), hit.end(), "years of experience asked")
        return
    if draft.role_family == "chief-ai-officer":
        draft.seniority = "executive"
        draft.cite("seniority", "", 0, 0, "a chief AI officer is an executive role")
        return
    draft.cite("seniority", "", 0, 0, "no seniority cue: mid-level by default")


def _platform(draft: ProfileDraft, text: str, ontology: Ontology) -> None:
    for pattern, slug, why in _PLATFORM:
        hit = pattern.search(text)
        if not hit:
            continue
        if slug == "aws":
            # AWS alone: a generative-AI service runs on Bedrock, other ML work on SageMaker.
            genai = _GENAI_ON_AWS.search(text)
            slug = "aws-bedrock" if genai else "aws-sagemaker"
            why = f"AWS with generative-AI work ({genai.group(0)!r}): Bedrock" if genai else "AWS: SageMaker"
        if slug in ontology.platforms or not ontology.platforms:
            draft.platform = slug
            draft.cite("platform", hit.group(0), hit.start(), hit.end(), why)
            return


def _duration(draft: ProfileDraft, text: str) -> None:
    patterns = [
        (rf"\bwithin {_NUMBER} months?\b", 1, "delivery within this many months"),
        (rf"\b{_NUMBER}[- ]months?\b", 1, "months"),
        (rf"\b{_NUMBER}[- ]years?[- ](contract|engagement|project)\b", 12, "years"),
        (rf"\b{_NUMBER}[- ]weeks?\b", 0, "weeks"),
    ]
    for pattern, factor, rule in patterns:
        if hit := re.search(pattern, text, re.I):
            n = _number(hit.group(1))
            months = max(1, round(n / 4.345)) if factor == 0 else n * factor
            draft.duration_months = min(months, 120)
            draft.cite("duration_months", hit.group(0), hit.start(), hit.end(), rule)
            return


def _engagement(draft: ProfileDraft, text: str) -> None:
    for pattern, hint in _ENGAGEMENT:
        if hit := pattern.search(text):
            draft.engagement_hint = hint
            draft.cite(
                "engagement_hint", hit.group(0), hit.start(), hit.end(), f"says {hint.replace('_', ' ')}"
            )
            return
    if draft.role_family == "chief-ai-officer":
        draft.engagement_hint = "retained_search"
        draft.cite("engagement_hint", "", 0, 0, "executive searches are retained")
    elif draft.duration_months:
        draft.engagement_hint = "contract"
        ev = draft.evidence["duration_months"][0]
        draft.cite("engagement_hint", ev.quote, ev.start, ev.end, "a time-boxed delivery suggests a contract")


def _hints(draft: ProfileDraft, text: str) -> None:
    for name, cues in (("criticality", _CRITICALITY), ("regulatory_exposure", _REGULATORY)):
        found: list[str] = getattr(draft, name)
        for pattern, hint in cues:
            if hint not in found and (hit := pattern.search(text)):
                found.append(hint)
                draft.cite(name, hit.group(0), hit.start(), hit.end(), hint.replace("_", " "))


def review_reasons_for(text: str, skills: list[str] | set[str], role_family: str | None) -> list[str]:
    """Why a technical lead must review: the role deploys an LLM system and/or trains models."""
    return [reason for reason, _ in _review_hits(text, set(skills), role_family)]


def _review_hits(text: str, skills: set[str], role_family: str | None) -> list[tuple[str, Evidence]]:
    hits: list[tuple[str, Evidence]] = []
    llm_work = _LLM.search(text) or skills & _LLM_SKILLS or role_family == "genai-engineer"
    if llm_work and (deploy := _DEPLOY.search(text)):
        evidence = Evidence(deploy.group(0), deploy.start(), deploy.end(), "deploys an LLM system")
        hits.append(("llm_deployment", evidence))
    train = _TRAIN.search(text)
    if train:
        hits.append(("model_training", Evidence(train.group(0), train.start(), train.end(), "trains models")))
    elif found := sorted(skills & _TRAINING_SKILLS):
        hits.append(("model_training", Evidence("", 0, 0, f"training skills: {', '.join(found)}")))
    return hits


def _review(draft: ProfileDraft, text: str) -> None:
    skills = set(draft.must_skills) | set(draft.nice_skills)
    for reason, ev in _review_hits(text, skills, draft.role_family):
        draft.review_reasons.append(reason)
        draft.cite("review_required", ev.quote, ev.start, ev.end, ev.rule)
    draft.review_required = bool(draft.review_reasons)


def draft_profile(text: str, ontology: Ontology) -> ProfileDraft:
    """Draft a job profile from requirement text. Same text and ontology -> same draft."""
    text = (text or "").replace("\x00", " ")[:MAX_CHARS]
    draft = ProfileDraft(source_text=text, ontology_version=ontology.version)
    if not text.strip():
        return draft
    mentions = extract_skills(text, ontology)
    _skills(draft, mentions, ontology)
    draft.role_family = _role_family(draft, text, mentions)
    if draft.role_family and (family := ontology.role_families.get(draft.role_family)):
        draft.soc_code, draft.onet_code = family.soc_code, family.onet_code
        draft.competencies = list(family.competencies)
        if draft.competencies:
            draft.cite("competencies", "", 0, 0, f"screened competencies of the {family.name} family")
    if draft.title:
        match = normalize_title(draft.title)
        if match.seniority != "mid" or any(e.startswith("seniority cue") for e in match.evidence):
            draft.seniority = match.seniority
            draft.cite("seniority", draft.title, 0, 0, "seniority word in the role named")
        else:
            _seniority(draft, text)
    else:
        _seniority(draft, text)
    if not draft.title and draft.role_family and draft.role_family in ontology.role_families:
        level = "" if draft.seniority == "mid" else draft.seniority.capitalize() + " "
        draft.title = level + ontology.role_families[draft.role_family].name
    _platform(draft, text, ontology)
    _duration(draft, text)
    _engagement(draft, text)
    _hints(draft, text)
    _review(draft, text)
    return draft
