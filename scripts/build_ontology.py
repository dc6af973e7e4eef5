# ruff: noqa: E501  (curated data tables read best one row a line)
"""Build src/cadre/taxonomy/data/ontology.json from the curated lists here and O*NET 29.2.

Run from the repository root:  python scripts/build_ontology.py [--onet ../shared/data/onet]
It reads O*NET only now, at build time; the app reads the JSON it writes. Every O*NET Hot Technology of
the target occupations must resolve to a curated skill (by name or alias), or the build stops and says
which ones are missing, so coverage cannot silently regress.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKILLS_TXT = ROOT / "scripts" / "ontology_skills.txt"
OUT = ROOT / "src" / "cadre" / "taxonomy" / "data" / "ontology.json"
VERSION = "2026.11.1"
OCCUPATIONS = ("15-2051.00", "15-1252.00", "15-1221.00", "15-1243.00", "15-1242.00", "15-1299.08")
CATEGORIES = {"language", "framework", "platform", "accelerator", "data_system", "method", "mlops"}
CATEGORIES |= {"governance", "domain"}
ATTRIBUTION = (
    "Includes information from the O*NET 29.2 Database by the U.S. Department of Labor, Employment and "
    "Training Administration (USDOL/ETA), used under the CC BY 4.0 license: SOC 2018 / O*NET-SOC codes "
    "and the Hot Technologies of occupations " + ", ".join(OCCUPATIONS) + ". O*NET(R) is a trademark of "
    "USDOL/ETA. Modified and curated by Cadre; USDOL/ETA has not approved, endorsed or tested these changes."
)

COMPETENCIES = [
    ("coding", "Coding", "Writes correct, readable, tested code; debugs methodically; uses version control."),
    (
        "statistical-reasoning",
        "Statistical reasoning",
        "Chooses and interprets statistical tests, uncertainty, sampling and bias correctly.",
    ),
    (
        "ml-fundamentals",
        "ML fundamentals",
        "Understands learning algorithms, generalisation, regularisation and the bias/variance trade-off.",
    ),
    (
        "model-evaluation",
        "Model evaluation methodology",
        "Designs train/validation/test splits, metrics, baselines, error analysis and LLM evals that predict production behaviour.",
    ),
    (
        "ml-system-design",
        "ML system design",
        "Designs end-to-end ML systems: data, training, serving, latency/cost budgets, failure modes.",
    ),
    (
        "data-engineering",
        "Data engineering",
        "Builds reliable pipelines, schemas, warehouses and data-quality checks at scale.",
    ),
    (
        "mlops",
        "MLOps",
        "Automates training and deployment, tracks experiments, monitors drift, rolls back safely.",
    ),
    (
        "deep-learning",
        "Deep learning practice",
        "Trains and debugs neural networks; knows architectures, optimisation and scaling behaviour.",
    ),
    (
        "llm-engineering",
        "LLM application engineering",
        "Builds RAG, agents and fine-tuned models; manages prompts, context, cost and hallucination risk.",
    ),
    (
        "distributed-compute",
        "Distributed and accelerated compute",
        "Uses GPUs/TPUs, distributed training and inference optimisation efficiently.",
    ),
    (
        "research-depth",
        "Research depth",
        "Frames open problems, runs rigorous experiments, reads and writes papers, advances the state of the art.",
    ),
    (
        "experimentation",
        "Experimentation and causal inference",
        "Designs A/B tests and causal analyses that support decisions.",
    ),
    (
        "nlp-methods",
        "NLP methods",
        "Applies tokenisation, embeddings, sequence models and retrieval to language problems.",
    ),
    (
        "cv-methods",
        "Computer-vision methods",
        "Applies detection, segmentation, tracking and 3D methods to image and video problems.",
    ),
    (
        "software-architecture",
        "Software and platform architecture",
        "Designs services, APIs, cloud and on-prem infrastructure with clear trade-offs.",
    ),
    (
        "cloud-infrastructure",
        "Cloud and infrastructure",
        "Operates workloads on AWS/GCP/Azure/Kubernetes with security, cost and reliability in mind.",
    ),
    (
        "data-modeling",
        "Data modelling",
        "Designs schemas, dimensional models and contracts that downstream users can trust.",
    ),
    (
        "responsible-ai",
        "Responsible AI",
        "Identifies fairness, privacy, safety and transparency risks and mitigates them in the product.",
    ),
    (
        "ai-governance",
        "AI governance and regulation",
        "Applies NIST AI RMF, the EU AI Act, model risk management and audit requirements.",
    ),
    (
        "risk-assessment",
        "Risk assessment",
        "Assesses, documents and monitors AI risks with proportionate controls.",
    ),
    (
        "communication",
        "Stakeholder communication",
        "Explains technical work and trade-offs to non-specialists and decision makers.",
    ),
    (
        "ai-strategy",
        "AI strategy",
        "Sets an AI portfolio and roadmap tied to business value, build/buy decisions and talent.",
    ),
    ("leadership", "Leadership", "Builds and leads teams, sets standards, develops people, owns outcomes."),
]

# Behavioural anchors a screener checks a candidate against; {scope} is the role family's work.
LEVELS = {
    "junior": (
        "Junior",
        "0-2",
        "Delivers well-defined {scope} tasks with guidance; asks good questions; code and analyses need review.",
    ),
    "mid": (
        "Mid-level",
        "2-5",
        "Owns {scope} features end to end with little guidance; chooses sound methods; reviews peers' work.",
    ),
    "senior": (
        "Senior",
        "5-8",
        "Leads {scope} projects across teams; makes design decisions under ambiguity; mentors others; anticipates failure modes.",
    ),
    "staff": (
        "Staff",
        "8-12",
        "Sets technical direction for {scope} across several teams; solves problems no one else can; raises the bar org-wide.",
    ),
    "principal": (
        "Principal",
        "12+",
        "Defines the organisation's long-term {scope} strategy; recognised expert externally; shapes industry practice.",
    ),
    "director": (
        "Director",
        "10+",
        "Leads {scope} teams and managers; owns budget, hiring and delivery for a portfolio.",
    ),
    "executive": (
        "Executive",
        "15+",
        "Accountable at board level for {scope}; sets strategy, governance and investment.",
    ),
}
IC = ("junior", "mid", "senior", "staff", "principal")

# slug, name, SOC 2018, O*NET-SOC, description, scope, levels, competencies, core skills
ROLE_FAMILIES = [
    (
        "ml-engineer",
        "AI/ML engineer",
        "15-1252",
        "15-1252.00",
        "Builds, trains and ships machine-learning models and the software around them.",
        "machine-learning engineering",
        IC,
        [
            "coding",
            "ml-fundamentals",
            "model-evaluation",
            "ml-system-design",
            "deep-learning",
            "mlops",
            "data-engineering",
            "responsible-ai",
        ],
        [
            "python",
            "pytorch",
            "tensorflow",
            "scikit-learn",
            "machine-learning",
            "docker",
            "kubernetes",
            "sql",
        ],
    ),
    (
        "data-scientist",
        "Data scientist",
        "15-2051",
        "15-2051.00",
        "Turns data into decisions with statistics, experimentation and predictive models.",
        "data science",
        IC,
        [
            "statistical-reasoning",
            "coding",
            "ml-fundamentals",
            "model-evaluation",
            "experimentation",
            "communication",
            "data-modeling",
            "responsible-ai",
        ],
        ["python", "r-lang", "sql", "statistics", "scikit-learn", "ab-testing", "causal-inference", "pandas"],
    ),
    (
        "ai-architect",
        "AI architect",
        "15-1299",
        "15-1299.08",
        "Designs AI systems end to end: platforms, data flows, model serving and governance.",
        "AI systems architecture",
        ("senior", "staff", "principal"),
        [
            "ml-system-design",
            "software-architecture",
            "cloud-infrastructure",
            "distributed-compute",
            "mlops",
            "ai-governance",
            "communication",
            "data-engineering",
        ],
        [
            "system-design",
            "aws",
            "azure",
            "gcp",
            "kubernetes",
            "large-scale-inference",
            "rag",
            "vector-databases",
        ],
    ),
    (
        "mlops-engineer",
        "MLOps engineer",
        "15-1252",
        "15-1252.00",
        "Runs the ML lifecycle in production: pipelines, deployment, monitoring, infrastructure.",
        "ML platform and operations",
        IC,
        [
            "mlops",
            "coding",
            "cloud-infrastructure",
            "ml-system-design",
            "data-engineering",
            "distributed-compute",
            "model-evaluation",
        ],
        ["mlflow", "kubeflow", "kubernetes", "docker", "airflow", "ci-cd", "terraform", "model-monitoring"],
    ),
    (
        "data-engineer",
        "Data engineer",
        "15-1243",
        "15-1243.00",
        "Builds the pipelines, warehouses and lakes that feed analytics and models.",
        "data engineering",
        IC,
        ["data-engineering", "data-modeling", "coding", "cloud-infrastructure", "software-architecture"],
        ["sql", "python", "spark", "airflow", "dbt", "kafka", "snowflake", "databricks"],
    ),
    (
        "nlp-engineer",
        "NLP engineer",
        "15-1252",
        "15-1252.00",
        "Builds language models and text systems: retrieval, extraction, generation.",
        "natural-language processing",
        IC,
        [
            "nlp-methods",
            "deep-learning",
            "coding",
            "model-evaluation",
            "llm-engineering",
            "ml-system-design",
            "responsible-ai",
        ],
        ["nlp", "hf-transformers", "pytorch", "llm", "embeddings", "semantic-search", "spacy", "fine-tuning"],
    ),
    (
        "cv-engineer",
        "Computer-vision engineer",
        "15-1252",
        "15-1252.00",
        "Builds image and video models: detection, segmentation, tracking, 3D.",
        "computer vision",
        IC,
        [
            "cv-methods",
            "deep-learning",
            "coding",
            "model-evaluation",
            "distributed-compute",
            "ml-system-design",
        ],
        [
            "computer-vision",
            "pytorch",
            "opencv",
            "object-detection",
            "image-segmentation",
            "cnn",
            "cuda",
            "tensorrt",
        ],
    ),
    (
        "responsible-ai-officer",
        "Responsible-AI officer",
        "11-9199",
        "11-9199.01",
        "Owns AI risk, governance and regulatory compliance (NIST AI RMF, EU AI Act).",
        "responsible-AI governance",
        ("mid", "senior", "director", "executive"),
        [
            "ai-governance",
            "responsible-ai",
            "risk-assessment",
            "model-evaluation",
            "statistical-reasoning",
            "communication",
            "leadership",
        ],
        [
            "nist-ai-rmf",
            "eu-ai-act",
            "model-risk-management",
            "fairness",
            "explainability",
            "privacy",
            "ai-governance",
            "iso-42001",
        ],
    ),
    (
        "research-scientist",
        "Research scientist",
        "15-1221",
        "15-1221.00",
        "Advances the state of the art and publishes; turns research into product.",
        "machine-learning research",
        IC,
        [
            "research-depth",
            "ml-fundamentals",
            "deep-learning",
            "statistical-reasoning",
            "model-evaluation",
            "coding",
            "communication",
        ],
        [
            "deep-learning",
            "pytorch",
            "jax",
            "reinforcement-learning",
            "llm",
            "distributed-training",
            "mathematics",
            "python",
        ],
    ),
    (
        "genai-engineer",
        "LLM / generative-AI engineer",
        "15-1252",
        "15-1252.00",
        "Builds applications on large language models: RAG, agents, fine-tuning, evals.",
        "LLM and generative-AI engineering",
        IC,
        [
            "llm-engineering",
            "coding",
            "model-evaluation",
            "ml-system-design",
            "nlp-methods",
            "distributed-compute",
            "responsible-ai",
            "mlops",
        ],
        [
            "llm",
            "rag",
            "langchain",
            "llamaindex",
            "vector-databases",
            "fine-tuning",
            "llm-evaluation",
            "vllm",
        ],
    ),
    (
        "chief-ai-officer",
        "Chief AI officer",
        "11-1021",
        "11-1021.00",
        "Leads an organisation's AI strategy, portfolio and governance.",
        "enterprise AI",
        ("director", "executive"),
        ["ai-strategy", "leadership", "ai-governance", "communication", "ml-system-design", "responsible-ai"],
        ["generative-ai", "machine-learning", "ai-governance", "eu-ai-act", "nist-ai-rmf", "cloud-computing"],
    ),
]

PLATFORMS = [
    ("aws-sagemaker", "AWS SageMaker", "AWS", ["aws", "sagemaker"]),
    ("aws-bedrock", "AWS Bedrock", "AWS", ["aws", "bedrock"]),
    ("aws-trainium", "AWS Trainium / Inferentia", "AWS", ["aws", "trainium", "inferentia"]),
    ("gcp-vertex", "Google Vertex AI", "Google Cloud", ["gcp", "vertex-ai"]),
    ("gcp-tpu", "Google Cloud TPU", "Google Cloud", ["gcp", "tpu"]),
    ("azure-ml", "Azure Machine Learning", "Microsoft Azure", ["azure", "azure-ml"]),
    ("databricks", "Databricks", "Databricks", ["databricks", "spark", "delta-lake", "mlflow"]),
    ("snowflake", "Snowflake", "Snowflake", ["snowflake"]),
    (
        "nvidia-gpu-cluster",
        "NVIDIA GPU cluster (CUDA, NCCL, Slurm)",
        "NVIDIA",
        ["cuda", "nccl", "slurm", "gpu-computing"],
    ),
    ("onprem-kubernetes", "On-premises Kubernetes", "Self-hosted", ["kubernetes", "openshift", "kubeflow"]),
]


def norm(alias: str) -> str:
    """Same normalisation as the extractor: lower case, hyphens/underscores dropped, punctuation kept."""
    toks = re.findall(r"[A-Za-z0-9]+|(?:(?![A-Za-z0-9_])\w)+|[^\w\s]", alias.lower())
    return " ".join(t for t in toks if t not in {"-", "_"})


def read_skills() -> list[dict]:
    skills = []
    for n, line in enumerate(SKILLS_TXT.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("|")]
        if len(cols) != 6:
            sys.exit(f"{SKILLS_TXT.name}:{n}: expected 6 columns, got {len(cols)}")
        slug, name, category, aliases, strict, parent = cols
        if category not in CATEGORIES:
            sys.exit(f"{SKILLS_TXT.name}:{n}: unknown category {category!r}")
        row = {"slug": slug, "name": name, "category": category}
        row["aliases"] = sorted({a.strip().lower() for a in aliases.split(";") if a.strip()} - {name.lower()})
        if strict:
            row["strict_aliases"] = [a.strip() for a in strict.split(";") if a.strip()]
        if parent:
            row["parent"] = parent
        skills.append(row)
    return skills


def check(skills: list[dict]) -> None:
    slugs = [s["slug"] for s in skills]
    if dupes := {s for s in slugs if slugs.count(s) > 1}:
        sys.exit(f"duplicate slugs: {sorted(dupes)}")
    owner: dict[str, str] = {}
    for s in skills:
        if s.get("parent") and s["parent"] not in slugs:
            sys.exit(f"{s['slug']}: parent {s['parent']!r} is not a skill")
        for alias in {s["name"], *s["aliases"], *s.get("strict_aliases", [])}:
            key = norm(alias)
            if alias in s.get("strict_aliases", []):
                key = "strict:" + alias
            if owner.setdefault(key, s["slug"]) != s["slug"]:
                sys.exit(f"alias {alias!r} belongs to both {owner[key]} and {s['slug']}")


def add_onet(skills: list[dict], onet_dir: Path) -> None:
    by_alias = {}
    for s in skills:
        for alias in (s["name"], *s["aliases"]):
            by_alias[norm(alias)] = s
    rows = list(csv.DictReader((onet_dir / "Technology Skills.txt").open(encoding="utf-8"), delimiter="\t"))
    missing = set()
    for row in rows:
        if row["O*NET-SOC Code"] not in OCCUPATIONS or row["Hot Technology"] != "Y":
            continue
        example = row["Example"]
        skill = by_alias.get(norm(example)) or by_alias.get(norm(re.sub(r" software$", "", example)))
        if skill is None:
            missing.add(example)
            continue
        skill["hot_technology"] = True
        skill["onet_examples"] = sorted({*skill.get("onet_examples", []), example})
    if missing:
        sys.exit(
            "O*NET Hot Technologies without a curated skill (add a name or alias):\n  "
            + "\n  ".join(sorted(missing))
        )


def role_families() -> list[dict]:
    out = []
    for slug, name, soc, onet, description, scope, levels, competencies, core in ROLE_FAMILIES:
        seniority = []
        for level in levels:
            title, years, anchor = LEVELS[level]
            seniority.append(
                {"level": level, "title": title, "years": years, "description": anchor.format(scope=scope)}
            )
        out.append(
            {
                "slug": slug,
                "name": name,
                "soc_code": soc,
                "onet_code": onet,
                "description": description,
                "seniority_levels": seniority,
                "competencies": competencies,
                "core_skills": core,
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onet", type=Path, default=ROOT.parent / "shared" / "data" / "onet")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    skills = read_skills()
    check(skills)
    add_onet(skills, args.onet)
    families = role_families()
    competency_slugs = {c[0] for c in COMPETENCIES}
    skill_slugs = {s["slug"] for s in skills}
    for family in families:
        assert set(family["competencies"]) <= competency_slugs, family["slug"]
        assert set(family["core_skills"]) <= skill_slugs, (
            family["slug"],
            set(family["core_skills"]) - skill_slugs,
        )
    for _, _, _, platform_skills in PLATFORMS:
        assert set(platform_skills) <= skill_slugs, platform_skills
    data = {
        "_attribution": ATTRIBUTION,
        "version": VERSION,
        "competencies": [{"slug": s, "name": n, "description": d} for s, n, d in COMPETENCIES],
        "role_families": families,
        "platforms": [{"slug": s, "name": n, "provider": p, "skills": k} for s, n, p, k in PLATFORMS],
        "skills": sorted(skills, key=lambda s: s["slug"]),
    }
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    hot = sum(1 for s in skills if s.get("hot_technology"))
    print(
        f"wrote {args.out.relative_to(ROOT)}: {len(skills)} skills ({hot} O*NET hot), {len(families)} role families"
    )


if __name__ == "__main__":
    main()
