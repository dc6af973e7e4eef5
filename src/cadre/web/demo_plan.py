"""Plan a synthetic staffing dataset: who, which requisitions, which applications at which stage.

Pure and deterministic: the same seed gives the same plan, with times as "days ago" so the plan
does not depend on the clock. `cadre demo` writes a plan through the services; `cadre bench web`
bulk-inserts a much larger one. No Django import here.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from cadre.web import demo_catalogue as cat

FORWARD = ("sourced", "screening", "submitted", "client_interview", "offer", "placed")
# Stages after which the client, not the agency, decides: those moves are the hiring manager's.
CLIENT_DECIDES = frozenset({"client_interview", "offer"})


@dataclass
class PlannedUser:
    username: str
    role: str
    first_name: str
    last_name: str
    client_key: str | None = None


@dataclass
class PlannedRequisition:
    key: int
    client_key: str
    title: str
    family: str
    seniority: str
    description: str
    location: str
    remote_policy: str
    engagement_type: str
    duration_months: int | None
    openings: int
    rate_unit: str
    pay_min: str
    pay_max: str
    bill_min: str | None
    bill_max: str | None
    status: str
    owner: str
    must: list[str]
    nice: list[str]
    opened_days_ago: float


@dataclass
class PlannedPerson:
    key: int
    full_name: str
    headline: str
    location: str
    time_zone: str
    summary: str
    family: str
    identities: list[tuple[str, str]]
    skills: list[str]
    employer: str
    job_title: str
    years: int


@dataclass(slots=True)
class PlannedMove:
    to_stage: str
    days_ago: float
    actor: str
    reason: str = ""


@dataclass(slots=True)
class PlannedApplication:
    person_key: int
    requisition_key: int
    source: str
    moves: list[PlannedMove]  # first move is the entry stage ("sourced")
    notes: list[tuple[str, str, float, str]] = field(default_factory=list)  # kind, body, days ago, actor

    @property
    def stage(self) -> str:
        return self.moves[-1].to_stage


def ascii_slug(text: str, sep: str = "") -> str:
    """'José Núñez' -> 'josenunez': handles for e-mail and GitHub logins."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return sep.join("".join(ch for ch in part if ch.isalnum()) for part in plain.split())


def orcid_check_digit(base15: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 15 ORCID digits."""
    total = 0
    for ch in base15:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def _band(low: float, high: float, factor: float, step: int) -> tuple[Decimal, Decimal]:
    def snap(x: float) -> Decimal:
        return (Decimal(x / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step).quantize(
            Decimal("0.01")
        )

    return snap(low * factor), snap(high * factor)


class DemoPlanner:
    """Draws every random choice from one seeded generator, in a fixed order."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._taken: dict[str, set[str]] = {
            k: set() for k in ("email", "github", "phone", "orcid", "linkedin")
        }
        self._next_number: dict[str, int] = {}

    # -- users and clients -------------------------------------------------------------------
    def users(self, clients: list[cat.ClientProfile]) -> list[PlannedUser]:
        """One login per role: admin, two recruiters, compliance, and a hiring manager for each of
        the first two clients (so scoping is visible in the demo)."""
        spec = [
            ("admin", "admin", None),
            ("recruiter", "recruiter", None),
            ("sourcer", "recruiter", None),
            ("compliance", "compliance_officer", None),
            (f"hm.{clients[0].key}", "hiring_manager", clients[0].key),
            (f"hm.{clients[1].key}", "hiring_manager", clients[1].key),
        ]
        return [
            PlannedUser(name, role, self.rng.choice(cat.FIRST_NAMES), self.rng.choice(cat.LAST_NAMES), client)
            for name, role, client in spec
        ]

    def contacts(self, client: cat.ClientProfile) -> list[dict[str, object]]:
        out = []
        for i, title in enumerate(self.rng.sample(cat.CONTACT_TITLES, 2)):
            first, last = self.rng.choice(cat.FIRST_NAMES), self.rng.choice(cat.LAST_NAMES)
            out.append(
                {
                    "name": f"{first} {last}",
                    "title": title,
                    "is_primary": i == 0,
                    "email": f"{ascii_slug(first)}.{ascii_slug(last)}@{client.domain}",
                    "phone": f"+1 {self.rng.choice(cat.AREA_CODES)} 555 01{self.rng.randrange(100):02d}",
                }
            )
        return out

    # -- requisitions ------------------------------------------------------------------------
    def requisitions(
        self, count: int, clients: list[cat.ClientProfile], owners: list[str], *, statuses: bool = True
    ) -> list[PlannedRequisition]:
        """Every family appears once before any repeats, so small demos still cover the range."""
        families = list(cat.FAMILIES)
        self.rng.shuffle(families)
        weights = [f.weight for f in cat.FAMILIES]
        out = []
        for key in range(count):
            family = families[key] if key < len(families) else self.rng.choices(cat.FAMILIES, weights)[0]
            client = clients[key % len(clients)]
            status = "open"
            if statuses and key >= len(clients):  # each client keeps at least one open requisition
                status = self.rng.choices(
                    ("open", "on_hold", "filled", "closed", "draft", "cancelled"), (70, 7, 8, 6, 6, 3)
                )[0]
            out.append(self._requisition(key, family, client, status, owners[key % len(owners)]))
        return out

    def _requisition(
        self, key: int, family: cat.FamilyProfile, client: cat.ClientProfile, status: str, owner: str
    ) -> PlannedRequisition:
        rng = self.rng
        seniority = rng.choice(family.seniorities)
        base = rng.choice(family.titles)
        if family.slug == "chief-ai-officer":  # the C-suite title only at executive level
            base = "Chief AI Officer" if seniority == "executive" else rng.choice(family.titles[:2])
        title = base if seniority in {"director", "executive"} else cat.SENIORITY_PREFIX[seniority] + base
        engagement = rng.choices(("contract", "contract_to_hire", "direct_hire"), (5, 3, 2))[0]
        if family.slug == "chief-ai-officer":
            engagement = "direct_hire"
        extra = rng.sample(family.pool, min(len(family.pool), 4))
        must = list(dict.fromkeys([*family.must, *client.stack_skills[:1], extra[0]]))
        nice = [s for s in dict.fromkeys([*extra[1:], *client.stack_skills[1:]]) if s not in must]
        spread = rng.uniform(0.93, 1.07)
        if engagement == "direct_hire":
            low, high = cat.ANNUAL_PAY[seniority]
            pay_min, pay_max = _band(low, high, family.pay_factor * spread, 5000)
            bill_min = bill_max = None  # a direct hire is billed as a placement fee, not a rate
            unit, duration = "year", None
        else:
            low, high = cat.HOURLY_PAY[seniority]
            pay_min, pay_max = _band(low, high, family.pay_factor * spread, 5)
            markup = rng.uniform(1.4, 1.6)
            b_min, b_max = _band(float(pay_min), float(pay_max), markup, 5)
            bill_min, bill_max = str(b_min), str(b_max)
            unit = "hour"
            duration = 6 if engagement == "contract_to_hire" else rng.choice((3, 6, 6, 9, 12))
        remote = rng.choices(("onsite", "hybrid", "remote"), (2, 5, 3))[0]
        location = "Remote (US)" if remote == "remote" else client.headquarters
        platforms = ", ".join(client.platforms)
        description = (
            f"{client.name} is hiring a {title} to {family.mission}. Stack: {platforms}. {client.notes}"
        )
        return PlannedRequisition(
            key=key,
            client_key=client.key,
            title=title,
            family=family.slug,
            seniority=seniority,
            description=description,
            location=location,
            remote_policy=remote,
            engagement_type=engagement,
            duration_months=duration,
            openings=rng.choices((1, 2, 3), (7, 2, 1))[0],
            rate_unit=unit,
            pay_min=str(pay_min),
            pay_max=str(pay_max),
            bill_min=bill_min,
            bill_max=bill_max,
            status=status,
            owner=owner,
            must=must,
            nice=nice,
            opened_days_ago=round(rng.uniform(20, 150), 4),
        )

    # -- people ------------------------------------------------------------------------------
    def people(self, count: int, *, phones: bool = True) -> list[PlannedPerson]:
        weights = [f.weight for f in cat.FAMILIES]
        return [self._person(key, self.rng.choices(cat.FAMILIES, weights)[0], phones) for key in range(count)]

    def _unique(self, kind: str, candidates: list[str], numbered: Callable[[int], str]) -> str:
        """The first free candidate, else `numbered(n)` for the lowest free n (ana.kim2@...)."""
        taken = self._taken[kind]
        for value in candidates:
            if value not in taken:
                taken.add(value)
                return value
        n = self._next_number.get(candidates[0], 2)
        while numbered(n) in taken:
            n += 1
        self._next_number[candidates[0]] = n + 1
        taken.add(numbered(n))
        return numbered(n)

    def _person(self, key: int, family: cat.FamilyProfile, phones: bool) -> PlannedPerson:
        rng = self.rng
        first, last = rng.choice(cat.FIRST_NAMES), rng.choice(cat.LAST_NAMES)
        f, la = ascii_slug(first), ascii_slug(last)
        seniority = rng.choice(family.seniorities)
        years = rng.randint(*cat.SENIORITY_YEARS[seniority])
        city, tz = rng.choice(cat.LOCATIONS)
        skills = list(dict.fromkeys([*family.must, *rng.sample(family.pool, min(3, len(family.pool)))]))
        shown = [s for s in skills if s not in {"python", "sql", "machine-learning"}][:2] or skills[:2]
        prefix = cat.SENIORITY_PREFIX[seniority].strip()
        headline = f"{prefix} {family.noun}".strip()
        headline = headline[0].upper() + headline[1:] + " · " + ", ".join(_skill_label(s) for s in shown)
        employer = rng.choice(cat.PAST_EMPLOYERS)
        job_title = cat.SENIORITY_PREFIX[seniority] + rng.choice(family.titles)
        domain = rng.choice(cat.EMAIL_DOMAINS)
        email = self._unique(
            "email", [f"{f}.{la}@{domain}", f"{f[0]}{la}@{domain}"], lambda n: f"{f}.{la}{n}@{domain}"
        )
        identities = [("email", email)]
        if rng.random() < 0.7:
            n = rng.randrange(10, 99)
            gh = self._unique(
                "github", [f"{f}{la}{n}", f"{f[0]}{la}-ml", f"{f}-{la}-ai"], lambda k: f"{f}-{la}-{k}"
            )
            identities.append(("github", gh))
        if rng.random() < 0.5:
            slug = f"{f}-{la}-{rng.getrandbits(24):06x}"
            if slug not in self._taken["linkedin"]:
                self._taken["linkedin"].add(slug)
                identities.append(("linkedin", f"https://www.linkedin.com/in/{slug}"))
        if "research" in family.tags or rng.random() < 0.08:
            # The 0000-0000 block is never issued by ORCID, so a demo iD cannot be a real researcher's.
            base = "00000000" + "".join(str(rng.randrange(10)) for _ in range(7))
            orcid = base + orcid_check_digit(base)
            value = f"{orcid[0:4]}-{orcid[4:8]}-{orcid[8:12]}-{orcid[12:16]}"
            if value not in self._taken["orcid"]:
                self._taken["orcid"].add(value)
                identities.append(("orcid", value))
        if phones and rng.random() < 0.3:
            phone = f"+1 {rng.choice(cat.AREA_CODES)} 555 01{rng.randrange(100):02d}"
            if phone not in self._taken["phone"]:
                self._taken["phone"].add(phone)
                identities.append(("phone", phone))
        summary = (
            f"{years} years in the field, most recently {job_title} at {employer}. "
            f"Works mainly with {', '.join(_skill_label(s) for s in skills[:4])}."
        )
        return PlannedPerson(
            key=key,
            full_name=f"{first} {last}",
            headline=headline,
            location=city,
            time_zone=tz,
            summary=summary,
            family=family.slug,
            identities=identities,
            skills=skills,
            employer=employer,
            job_title=job_title,
            years=years,
        )

    # -- applications ------------------------------------------------------------------------
    def applications(
        self,
        count: int,
        people: list[PlannedPerson],
        requisitions: list[PlannedRequisition],
        *,
        hiring_managers: dict[str, str],
        recruiters: list[str],
        skew: float = 1.0,
        notes: bool = True,
    ) -> list[PlannedApplication]:
        """`count` distinct person x requisition pairs. skew > 1 piles applications onto the first
        requisitions (a few hot roles with thousands of applicants, as in real pipelines)."""
        eligible = [r for r in requisitions if r.status != "draft"]
        if not eligible or not people:
            return []
        by_family: dict[str, list[PlannedRequisition]] = {}
        for r in eligible:
            by_family.setdefault(r.family, []).append(r)
        pairs: set[tuple[int, int]] = set()
        placed: set[int] = set()
        out: list[PlannedApplication] = []
        attempts = 0
        while len(out) < count and attempts < count * 4:
            attempts += 1
            person = people[self.rng.randrange(len(people))]
            pool = by_family.get(person.family) if self.rng.random() < 0.7 else None
            pool = pool or eligible
            req = pool[min(len(pool) - 1, int(len(pool) * self.rng.random() ** skew))]
            if (person.key, req.key) in pairs:
                continue
            pairs.add((person.key, req.key))
            stage = self._stage_for(req, placed)
            out.append(self._application(person, req, stage, hiring_managers, recruiters, notes))
        return out

    def _stage_for(self, req: PlannedRequisition, placed: set[int]) -> str:
        rng = self.rng
        if req.status == "filled":
            if req.key not in placed:
                placed.add(req.key)
                return "placed"
            return rng.choice(("rejected", "rejected", "withdrawn"))
        if req.status in {"closed", "cancelled"}:
            return rng.choice(("rejected", "withdrawn"))
        if req.status == "on_hold":
            return rng.choice(("sourced", "screening", "submitted", "withdrawn"))
        return rng.choices(
            (
                "sourced",
                "screening",
                "submitted",
                "client_interview",
                "offer",
                "placed",
                "rejected",
                "withdrawn",
            ),
            (26, 20, 14, 11, 5, 4, 14, 6),
        )[0]

    def _application(
        self,
        person: PlannedPerson,
        req: PlannedRequisition,
        stage: str,
        hiring_managers: dict[str, str],
        recruiters: list[str],
        with_notes: bool,
    ) -> PlannedApplication:
        rng = self.rng
        if stage in FORWARD:
            path = list(FORWARD[: FORWARD.index(stage) + 1])
        else:  # rejected or withdrawn after some forward progress
            exit_at = rng.choices(range(5), (30, 30, 20, 15, 5))[0]
            path = [*FORWARD[: exit_at + 1], stage]
        start = rng.uniform(1.0, max(1.5, req.opened_days_ago - 1))
        gaps = [rng.uniform(0.5, 9.0) for _ in path[1:]]
        room = start - 0.05  # the last move happened at least an hour ago
        if sum(gaps) > room:
            gaps = [g * room / sum(gaps) for g in gaps]
        recruiter = req.owner if req.owner in recruiters else recruiters[0]
        hm = hiring_managers.get(req.client_key)
        skill = _skill_label(rng.choice(req.must))
        moves = [PlannedMove("sourced", round(start, 4), rng.choice(recruiters))]
        at = start
        for i, to in enumerate(path[1:]):
            prev, at = path[i], at - gaps[i]
            client_side = to in CLIENT_DECIDES or (
                to == "rejected" and prev in {"submitted", "client_interview"}
            )
            actor = hm if hm and client_side else recruiter
            reason = ""
            if to == "rejected":
                reason = rng.choice(cat.REJECTION_REASONS).format(skill=skill)
            elif to == "withdrawn":
                reason = rng.choice(cat.WITHDRAWAL_REASONS)
            moves.append(PlannedMove(to, round(at, 4), actor, reason))
        notes = []
        if with_notes and rng.random() < 0.25:
            kind, template = rng.choice(cat.NOTES)
            body = template.format(skill=skill, weeks=rng.randint(2, 6), rate=req.pay_max.split(".")[0])
            notes.append((kind, body, round(rng.uniform(moves[-1].days_ago, start), 4), recruiter))
        return PlannedApplication(person.key, req.key, rng.choice(cat.APPLICATION_SOURCES), moves, notes)


# fmt: off
_SKILL_LABELS = {
    "pytorch": "PyTorch", "tensorflow": "TensorFlow", "jax": "JAX", "scikit-learn": "scikit-learn",
    "hf-transformers": "Transformers", "spark": "Spark", "ray": "Ray", "airflow": "Airflow", "dbt": "dbt",
    "kubernetes": "Kubernetes", "docker": "Docker", "kubeflow": "Kubeflow", "mlflow": "MLflow",
    "cuda": "CUDA", "tensorrt": "TensorRT", "triton-inference": "Triton", "vllm": "vLLM", "onnx": "ONNX",
    "langchain": "LangChain",
    "rag": "RAG", "vector-databases": "vector search", "fine-tuning": "fine-tuning", "lora": "LoRA",
    "rlhf": "RLHF", "distributed-training": "distributed training", "llm-evaluation": "LLM evals",
    "causal-inference": "causal inference", "ab-testing": "A/B testing", "feature-stores": "feature stores",
    "nlp": "NLP", "computer-vision": "computer vision", "deep-learning": "deep learning", "python": "Python",
    "sql": "SQL", "scala": "Scala", "cpp": "C++", "machine-learning": "machine learning",
    "nist-ai-rmf": "NIST AI RMF", "eu-ai-act": "EU AI Act", "model-risk-management": "model risk",
    "snowflake": "Snowflake", "databricks": "Databricks", "sagemaker": "SageMaker", "vertex-ai": "Vertex AI",
    "aws": "AWS", "gcp": "Google Cloud", "azure": "Azure",
}
# fmt: on


def _skill_label(slug: str) -> str:
    return _SKILL_LABELS.get(slug, slug.replace("-", " "))
