"""The shipped ontology file: integrity, coverage of the issue's tools, and the database loader."""

from __future__ import annotations

import json
import re

import pytest

from cadre.taxonomy.models import Competency, Platform, RoleFamily, Skill
from cadre.taxonomy.ontology import CATEGORIES, DATA_DIR, load_ontology
from cadre.taxonomy.seed import load_ontology_file

ISSUE_TOOLS = [
    "pytorch",
    "tensorflow",
    "jax",
    "scikit-learn",
    "spark",
    "ray",
    "dask",
    "kubeflow",
    "mlflow",
    "airflow",
    "dbt",
    "kubernetes",
    "docker",
    "cuda",
    "triton-inference",
    "tensorrt",
    "nccl",
    "vllm",
    "onnx",
    "langchain",
    "llamaindex",
    "vector-databases",
    "rag",
    "fine-tuning",
    "lora",
    "rlhf",
    "distributed-training",
    "large-scale-inference",
    "llm-evaluation",
    "supervised-learning",
    "unsupervised-learning",
    "reinforcement-learning",
    "causal-inference",
    "ab-testing",
    "feature-stores",
    "nist-ai-rmf",
    "eu-ai-act",
    "model-risk-management",
    "sagemaker",
    "bedrock",
    "trainium",
    "inferentia",
    "vertex-ai",
    "tpu",
    "azure-ml",
    "databricks",
    "snowflake",
    "slurm",
]  # noqa: SIM905


def norm(alias: str) -> str:
    return " ".join(t for t in re.findall(r"[a-z0-9]+|[^\w\s]", alias.lower()) if t not in "-_")


def test_versioned_with_onet_attribution():
    onto = load_ontology()
    assert re.fullmatch(r"\d{4}\.\d+\.\d+", onto.version)
    assert "O*NET 29.2" in onto.attribution and "CC BY 4.0" in onto.attribution


def test_every_parent_exists_and_categories_are_known():
    onto = load_ontology()
    for skill in onto.skills.values():
        assert skill.category in CATEGORIES, skill.slug
        assert skill.parent is None or skill.parent in onto.skills, skill.slug
        onto.ancestors(skill.slug)  # no cycles
    assert onto.skills["hf-transformers"].parent == "nlp"
    assert onto.skills["sagemaker"].parent == "aws"
    assert onto.skills["lora"].parent == "fine-tuning"


def test_no_alias_links_to_two_skills():
    owner: dict[str, str] = {}
    for skill in load_ontology().skills.values():
        for alias in {skill.name, *skill.aliases}:
            assert owner.setdefault(norm(alias), skill.slug) == skill.slug, alias
        for alias in skill.strict_aliases:
            assert owner.setdefault("strict:" + alias, skill.slug) == skill.slug, alias


@pytest.mark.parametrize("slug", ISSUE_TOOLS)
def test_issue_tools_present(slug):
    assert slug in load_ontology().skills


def test_foundation_slugs_survive():
    foundation = json.loads((DATA_DIR / "foundation.json").read_text())
    onto = load_ontology()
    for key in ("skills", "role_families", "platforms"):
        slugs = set(getattr(onto, key))
        assert {row["slug"] for row in foundation[key]} <= slugs, key
    assert {s.slug for s in onto.skills.values() if s.hot_technology} >= {"python", "r-lang", "go", "sql"}


def test_role_families_have_levels_competencies_and_codes():
    onto = load_ontology()
    assert len(onto.role_families) == 11
    for family in onto.role_families.values():
        assert family.soc_code and family.onet_code.startswith(family.soc_code)
        assert family.seniority_levels and all(level.description for level in family.seniority_levels)
        assert set(family.competencies) <= set(onto.competencies)
        assert set(family.core_skills) <= set(onto.skills)
    for platform in onto.platforms.values():
        assert set(platform.skills) <= set(onto.skills)


@pytest.mark.django_db
def test_migration_loaded_the_ontology_and_loader_is_idempotent():
    onto = load_ontology()
    assert Skill.objects.count() == len(onto.skills)
    before = (Skill.objects.count(), RoleFamily.objects.count(), Competency.objects.count())
    counts = load_ontology_file()
    load_ontology_file()
    assert counts["version"] == onto.version
    assert (Skill.objects.count(), RoleFamily.objects.count(), Competency.objects.count()) == before
    ml = RoleFamily.objects.get(slug="ml-engineer")
    assert ml.competencies.filter(slug="model-evaluation").exists()
    assert ml.seniority_levels[0]["level"] == "junior"
    assert Skill.objects.get(slug="sagemaker").parent.slug == "aws"
    assert Platform.objects.get(slug="gcp-vertex").skills.filter(slug="vertex-ai").exists()
