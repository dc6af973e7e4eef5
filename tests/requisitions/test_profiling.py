"""Requirement text -> draft job profile (pure), the shipped templates, and `cadre profile`."""

import json

import pytest
from django.core.management import call_command

from cadre.requisitions.profiling import draft_profile
from cadre.requisitions.selectors import profile_templates
from cadre.taxonomy.ontology import load_ontology

ISSUE_EXAMPLE = (
    "We need someone to deploy a retrieval-augmented generation service on AWS within 6 months; "
    "PyTorch and Kubernetes required, LangChain a plus"
)


def test_issue_example_drafts_the_expected_profile():
    draft = draft_profile(ISSUE_EXAMPLE, load_ontology())
    assert draft.role_family == "genai-engineer"
    assert {"pytorch", "kubernetes", "rag"} <= set(draft.must_skills)
    assert draft.nice_skills == ["langchain"]
    assert draft.platform == "aws-bedrock"  # AWS + generative AI work
    assert draft.duration_months == 6
    assert draft.engagement_hint == "contract"
    assert draft.review_required and "llm_deployment" in draft.review_reasons
    assert draft.onet_code == "15-1252.00"
    assert draft.ontology_version and draft.parser_version


def test_every_field_cites_its_evidence_in_the_text():
    draft = draft_profile(ISSUE_EXAMPLE, load_ontology())
    for name in (
        "role_family",
        "must_skills",
        "nice_skills",
        "platform",
        "duration_months",
        "engagement_hint",
    ):
        assert draft.evidence[name], name
    platform = draft.evidence["platform"][0]
    assert ISSUE_EXAMPLE[platform.start : platform.end] == "AWS"


@pytest.mark.parametrize("template", profile_templates(), ids=lambda t: t["slug"])
def test_each_template_drafts_to_its_role_family(template):
    draft = draft_profile(template["text"], load_ontology())
    assert draft.role_family == template["expected_role_family"]


def test_templates_cover_the_issue_scenarios():
    slugs = {t["slug"] for t in profile_templates()}
    assert slugs == {
        "deploy-rag-service",
        "fine-tune-domain-model",
        "ai-data-pipeline",
        "mlops-platform",
        "ai-architect-hybrid",
        "responsible-ai-officer",
        "chief-ai-officer",
    }
    caio = draft_profile(
        next(t for t in profile_templates() if t["slug"] == "chief-ai-officer")["text"], load_ontology()
    )
    assert (caio.engagement_hint, caio.seniority) == ("retained_search", "executive")


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("ML engineer on SageMaker", "platform", "aws-sagemaker"),
        ("Train forecasting models on AWS", "platform", "aws-sagemaker"),
        ("Deploy models on Vertex", "platform", "gcp-vertex"),
        ("Run everything on-prem in our data centre", "platform", "onprem-kubernetes"),
        ("Data engineer for Databricks pipelines", "platform", "databricks"),
        ("A 12-month contract for an MLOps engineer", "duration_months", 12),
        ("Contract for two years engagement? a 2-year contract", "duration_months", 24),
        ("Full-time data scientist", "engagement_hint", "direct_hire"),
        ("C2H role for a data engineer", "engagement_hint", "contract_to_hire"),
        ("Permanent role, senior data scientist", "seniority", "senior"),
        ("Staff ML engineer", "seniority", "staff"),
        ("ML engineer with 8+ years of experience", "seniority", "staff"),
    ],
)
def test_cues(text, field, value):
    assert getattr(draft_profile(text, load_ontology()), field) == value


def test_training_roles_need_review_and_analytics_roles_do_not():
    ontology = load_ontology()
    assert "model_training" in draft_profile("Fine-tune Llama with LoRA", ontology).review_reasons
    assert not draft_profile("Data engineer: Airflow and dbt pipelines", ontology).review_required


@pytest.mark.parametrize(
    "text", ["", "   ", "\x00\xff garbage \x01", "Wir suchen einen Koch in Berlin.", "word " * 200_000]
)
def test_bad_input_never_crashes(text):
    draft = draft_profile(text, load_ontology())
    assert draft.parser_version


def test_deterministic():
    ontology = load_ontology()
    assert (
        draft_profile(ISSUE_EXAMPLE, ontology).as_dict() == draft_profile(ISSUE_EXAMPLE, ontology).as_dict()
    )


def test_cli_prints_the_draft_as_json(capsys):
    call_command("profile", ISSUE_EXAMPLE, "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["role_family"] == "genai-engineer"
    assert out["nice_skills"] == ["langchain"]
    assert out["evidence"]["platform"][0]["quote"] == "AWS"
