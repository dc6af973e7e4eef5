"""Synthetic content for `cadre demo` and `cadre bench web`. Pure data, no Django.

Every name here is invented: first and last names are combined at random, companies are fictional,
domains use the reserved `.example` TLD or example.com/org/net, and phone numbers sit in the
fictional 555-01xx block. Titles and pay levels are shaped after public AI salary surveys, not copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# fmt: off
FIRST_NAMES = (
    "Aaliyah", "Abdul", "Adaeze", "Aditi", "Akira", "Alejandro", "Amara", "Anders", "Ana", "Anil",
    "Astrid", "Ayesha", "Bao", "Beatriz", "Bilal", "Camila", "Carlos", "Chen", "Chidi", "Dana",
    "Daniel", "Darius", "Deepa", "Diego", "Elena", "Emeka", "Emily", "Eun-ji", "Fatima", "Felix",
    "Gabriel", "Grace", "Hana", "Hassan", "Ines", "Ivan", "Jamal", "Javier", "Jin", "Joanna",
    "Jonas", "Kai", "Kavya", "Keanu", "Kenji", "Laila", "Lars", "Leila", "Liam", "Lucia",
    "Malik", "Maya", "Mei", "Mateo", "Mihai", "Nadia", "Naveen", "Nia", "Noah", "Olga",
    "Omar", "Priya", "Rafael", "Rahul", "Rosa", "Ruth", "Samir", "Sana", "Santiago", "Sofia",
    "Sven", "Tariq", "Tomas", "Valentina", "Vikram", "Wei", "Yara", "Yusuf", "Zainab", "Zoe",
)

LAST_NAMES = (
    "Abara", "Adeyemi", "Alvarez", "Andersen", "Bakker", "Banerjee", "Barros", "Bianchi", "Castro",
    "Chaudhry", "Choi", "Costa", "Dang", "Delgado", "Dimitrov", "Eriksen", "Farouk", "Fernandes",
    "Fischer", "Gallagher", "Garcia", "Ghosh", "Haddad", "Hansen", "Hoang", "Ibrahim", "Iyer",
    "Jansen", "Kapoor", "Kato", "Khan", "Kim", "Kowalski", "Kuznetsov", "Larsen", "Lindqvist",
    "Lopes", "Mahlangu", "Mehta", "Mendoza", "Moreau", "Morales", "Nakamura", "Nair", "Novak",
    "Nowak", "Nunez", "Obi", "Okafor", "Okoye", "Olsen", "Ortiz", "Osei", "Park", "Patel",
    "Petrov", "Popescu", "Quinn", "Rahman", "Ramos", "Reddy", "Rossi", "Saito", "Santos",
    "Schmidt", "Sharma", "Silva", "Singh", "Sokolov", "Suzuki", "Tan", "Torres", "Tran",
    "Varga", "Vasquez", "Wang", "Weber", "Wojcik", "Yamamoto", "Yilmaz", "Zhang", "Zhou",
)

# fmt: on

EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example")
AREA_CODES = ("206", "212", "312", "415", "512", "617", "646", "720", "737", "919")

# (city, IANA time zone) for people and requisitions; all US so one currency fits every band.
LOCATIONS = (
    ("Seattle, WA", "America/Los_Angeles"),
    ("San Francisco, CA", "America/Los_Angeles"),
    ("Austin, TX", "America/Chicago"),
    ("Chicago, IL", "America/Chicago"),
    ("Denver, CO", "America/Denver"),
    ("Boston, MA", "America/New_York"),
    ("New York, NY", "America/New_York"),
    ("Raleigh, NC", "America/New_York"),
    ("Atlanta, GA", "America/New_York"),
    ("Pittsburgh, PA", "America/New_York"),
)

PAST_EMPLOYERS = (
    "Brightline Retail",
    "Cobalt Insurance",
    "Driftwood Games",
    "Everpine Energy",
    "Foxglove Media",
    "Granite Payments",
    "Harborview Hospital Group",
    "Ironbark Logistics",
    "Juniper Telecom",
    "Lumen Ridge Labs",
    "Mosaic Travel",
    "Northgate University",
    "Orchid Biotech",
    "Pinecrest Capital",
    "Quarry Analytics",
    "Redwood Mobility",
    "Saltmarsh Foods",
    "Tidewater Shipping",
)


@dataclass(frozen=True)
class ClientProfile:
    key: str
    name: str
    industry: str
    domain: str
    headquarters: str
    platforms: tuple[str, ...]  # taxonomy Platform slugs (seeded by migration)
    stack_skills: tuple[str, ...]  # taxonomy Skill slugs every requisition of theirs asks for
    notes: str


CLIENTS = (
    ClientProfile(
        "aurora",
        "Aurora Freight Analytics",
        "Logistics",
        "aurora-freight.example",
        "Seattle, WA",
        ("aws-sagemaker", "aws-trainium", "aws-bedrock"),
        ("aws", "sagemaker"),
        "Trains routing and demand models on SageMaker; moving inference to Inferentia.",
    ),
    ClientProfile(
        "helios",
        "Helios Health Research",
        "Healthcare",
        "helios-health.example",
        "Boston, MA",
        ("gcp-vertex", "gcp-tpu"),
        ("gcp", "vertex-ai"),
        "Clinical NLP and imaging on Vertex AI; large pre-training runs on TPU pods. HIPAA scope.",
    ),
    ClientProfile(
        "meridian",
        "Meridian Capital Bank",
        "Financial services",
        "meridian-bank.example",
        "New York, NY",
        ("azure-ml", "databricks", "snowflake"),
        ("azure", "databricks"),
        "Credit-risk and fraud models under SR 11-7 model risk management; Azure ML plus Databricks.",
    ),
    ClientProfile(
        "kestrel",
        "Kestrel Autonomy",
        "Autonomous systems",
        "kestrel-autonomy.example",
        "Austin, TX",
        ("nvidia-gpu-cluster", "onprem-kubernetes"),
        ("cuda", "kubernetes"),
        "Perception and planning models trained on an on-prem NVIDIA cluster with Slurm and Kubernetes.",
    ),
    # Extra clients used by the web benchmark, where scale matters more than variety.
    ClientProfile(
        "lattice",
        "Lattice Retail Group",
        "Retail",
        "lattice-retail.example",
        "Chicago, IL",
        ("snowflake", "aws-sagemaker"),
        ("snowflake", "aws"),
        "Demand forecasting and search ranking.",
    ),
    ClientProfile(
        "sable",
        "Sable Energy Systems",
        "Energy",
        "sable-energy.example",
        "Denver, CO",
        ("azure-ml",),
        ("azure",),
        "Grid forecasting and predictive maintenance.",
    ),
    ClientProfile(
        "tessera",
        "Tessera Insurance",
        "Insurance",
        "tessera-insurance.example",
        "Atlanta, GA",
        ("databricks", "gcp-vertex"),
        ("databricks",),
        "Claims triage with document AI.",
    ),
    ClientProfile(
        "vantage",
        "Vantage Media Labs",
        "Media",
        "vantage-media.example",
        "New York, NY",
        ("gcp-vertex", "nvidia-gpu-cluster"),
        ("gcp",),
        "Generative video and recommendation.",
    ),
)

CONTACT_TITLES = (
    "VP Engineering",
    "Head of Data Science",
    "Talent Acquisition Partner",
    "Director, ML Platform",
)


@dataclass(frozen=True)
class FamilyProfile:
    slug: str  # taxonomy RoleFamily slug
    noun: str  # used in headlines: "Senior ML engineer"
    titles: tuple[str, ...]
    must: tuple[str, ...]  # Skill slugs every requisition of this family asks for
    pool: tuple[str, ...]  # further Skill slugs drawn as extra must / nice-to-have
    pay_factor: float  # relative to a mid-market ML engineer
    mission: str
    seniorities: tuple[str, ...] = (
        "junior",
        "mid",
        "mid",
        "senior",
        "senior",
        "senior",
        "staff",
        "principal",
    )
    weight: int = 10
    tags: tuple[str, ...] = field(default=())


FAMILIES = (
    FamilyProfile(
        "ml-engineer",
        "ML engineer",
        (
            "Machine Learning Engineer",
            "ML Engineer, Recommendations",
            "ML Engineer, Forecasting",
            "Applied ML Engineer",
        ),
        ("python", "pytorch", "machine-learning"),
        (
            "scikit-learn",
            "spark",
            "mlflow",
            "distributed-training",
            "docker",
            "kubernetes",
            "tensorflow",
            "ray",
        ),
        1.0,
        "ship models that move a business metric, from feature pipelines to online serving",
        weight=18,
    ),
    FamilyProfile(
        "data-scientist",
        "data scientist",
        ("Data Scientist", "Data Scientist, Experimentation", "Applied Scientist", "Decision Scientist"),
        ("python", "sql", "machine-learning"),
        ("causal-inference", "ab-testing", "scikit-learn", "spark", "snowflake", "dbt"),
        0.92,
        "design experiments and predictive models that product and finance teams act on",
        weight=16,
    ),
    FamilyProfile(
        "ai-architect",
        "AI architect",
        ("AI Architect", "ML Platform Architect", "Generative AI Solutions Architect"),
        ("machine-learning", "kubernetes"),
        ("rag", "mlflow", "feature-stores", "vector-databases", "model-risk-management", "docker", "spark"),
        1.18,
        "design the AI platform end to end: data flows, model serving, guardrails and cost",
        seniorities=("senior", "staff", "staff", "principal"),
        weight=6,
    ),
    FamilyProfile(
        "mlops-engineer",
        "MLOps engineer",
        ("MLOps Engineer", "ML Platform Engineer", "ML Infrastructure Engineer"),
        ("python", "kubernetes", "mlflow"),
        ("kubeflow", "airflow", "docker", "feature-stores", "triton-inference", "ray"),
        1.0,
        "run training and inference in production with CI/CD, monitoring and GPU scheduling",
        weight=12,
    ),
    FamilyProfile(
        "data-engineer",
        "data engineer",
        ("Data Engineer", "Analytics Engineer", "Data Platform Engineer"),
        ("python", "sql", "spark"),
        ("airflow", "dbt", "snowflake", "databricks", "scala", "feature-stores"),
        0.9,
        "build the pipelines and lakehouse tables that feed analytics and models",
        weight=14,
    ),
    FamilyProfile(
        "nlp-engineer",
        "NLP engineer",
        ("NLP Engineer", "NLP Engineer, Information Extraction", "Search and Retrieval Engineer"),
        ("python", "nlp", "hf-transformers"),
        ("pytorch", "rag", "vector-databases", "fine-tuning", "llm-evaluation"),
        1.05,
        "build extraction, retrieval and classification over millions of documents",
        weight=8,
    ),
    FamilyProfile(
        "cv-engineer",
        "computer-vision engineer",
        ("Computer Vision Engineer", "Perception Engineer", "Computer Vision Engineer, 3D"),
        ("python", "computer-vision", "pytorch"),
        ("cuda", "tensorrt", "onnx", "cpp", "distributed-training"),
        1.05,
        "train and optimise detection and segmentation models for real-time inference",
        weight=8,
    ),
    FamilyProfile(
        "responsible-ai-officer",
        "responsible-AI lead",
        ("Responsible AI Lead", "AI Governance Manager", "AI Risk and Compliance Officer"),
        ("nist-ai-rmf", "model-risk-management"),
        ("eu-ai-act", "llm-evaluation", "ab-testing", "causal-inference"),
        0.95,
        "own AI risk assessments, model documentation and regulatory readiness",
        seniorities=("mid", "senior", "senior", "staff", "director"),
        weight=4,
    ),
    FamilyProfile(
        "research-scientist",
        "research scientist",
        ("Research Scientist", "Research Scientist, LLM Alignment", "Research Engineer"),
        ("deep-learning", "pytorch"),
        ("jax", "rlhf", "distributed-training", "cuda", "llm-evaluation", "fine-tuning"),
        1.2,
        "turn new methods into models that ship, and publish along the way",
        seniorities=("mid", "senior", "senior", "staff", "principal"),
        weight=6,
        tags=("research",),
    ),
    FamilyProfile(
        "genai-engineer",
        "LLM engineer",
        ("Generative AI Engineer", "LLM Engineer", "AI Engineer, Agents", "LLM Inference Engineer"),
        ("python", "rag", "hf-transformers"),
        ("langchain", "vllm", "fine-tuning", "lora", "llm-evaluation", "vector-databases"),
        1.1,
        "build LLM applications with retrieval, evaluation harnesses and cost-aware serving",
        weight=14,
    ),
    FamilyProfile(
        "chief-ai-officer",
        "AI executive",
        ("Head of AI", "VP, Machine Learning", "Chief AI Officer"),
        ("machine-learning", "model-risk-management"),
        ("eu-ai-act", "nist-ai-rmf", "llm-evaluation"),
        1.0,
        "lead the AI strategy, portfolio and governance across the business",
        seniorities=("director", "executive"),
        weight=2,
    ),
)

# fmt: off
SENIORITY_PREFIX = {
    "intern": "Intern ", "junior": "Junior ", "mid": "", "senior": "Senior ", "staff": "Staff ",
    "principal": "Principal ", "director": "", "executive": "",
}
SENIORITY_YEARS = {
    "intern": (0, 1), "junior": (1, 3), "mid": (3, 6), "senior": (5, 10), "staff": (8, 14),
    "principal": (10, 18), "director": (12, 20), "executive": (15, 25),
}
# Contractor pay in USD per hour and direct-hire base salary in USD per year for a mid-market ML
# engineer, by seniority; a family's pay_factor scales both. Bill rates add a 40-60% markup.
HOURLY_PAY = {
    "intern": (30, 40), "junior": (50, 65), "mid": (70, 90), "senior": (90, 115), "staff": (110, 135),
    "principal": (130, 160), "director": (150, 185), "executive": (180, 220),
}
ANNUAL_PAY = {
    "intern": (60_000, 75_000), "junior": (95_000, 120_000), "mid": (130_000, 160_000),
    "senior": (165_000, 205_000), "staff": (200_000, 245_000), "principal": (235_000, 285_000),
    "director": (250_000, 310_000), "executive": (300_000, 380_000),
}
# fmt: on

APPLICATION_SOURCES = ("linkedin outreach", "referral", "github", "conference", "inbound", "ats import")

# Note templates; {skill} and {weeks} and {rate} are filled in per application.
NOTES = (
    ("note", "Strong on {skill}; prefers remote, available in {weeks} weeks."),
    ("call", "Phone screen: walked through a {skill} project end to end. Rate expectation ${rate}/h."),
    ("email", "Sent the role brief and asked for two references."),
    ("note", "Client feedback: good system design, wants a deeper second round on {skill}."),
    ("call", "Left a voicemail; will follow up later this week."),
    ("meeting", "Intro call with the hiring team went well; scheduling a technical interview."),
    ("note", "Has a competing offer; decision expected within {weeks} weeks."),
    ("email", "Confirmed work authorisation and notice period."),
)
REJECTION_REASONS = (
    "Client chose a candidate with more production {skill} experience",
    "Rate above the client's band",
    "Not enough depth in {skill}",
    "Role re-scoped by the client",
)
WITHDRAWAL_REASONS = (
    "Accepted another offer",
    "Prefers fully remote work",
    "Relocation not possible",
    "Compensation below expectations",
)
