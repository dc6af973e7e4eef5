"""Title normalisation on hand-made cases: seniority cues, AI role families, O*NET occupations."""

import json

import pytest
from django.core.management import call_command

from cadre.taxonomy.titles import normalize_title


@pytest.mark.parametrize(
    ("title", "family", "seniority"),
    [
        ("Senior Machine Learning Engineer", "ml-engineer", "senior"),
        ("Sr. ML Engineer", "ml-engineer", "senior"),
        ("Head of Data Science", "data-scientist", "director"),
        ("MLOps Engineer II", "mlops-engineer", "mid"),
        ("Machine Learning Engineer III", "ml-engineer", "senior"),
        ("Staff Data Engineer", "data-engineer", "staff"),
        ("Principal AI Architect", "ai-architect", "principal"),
        ("Lead Computer Vision Engineer", "cv-engineer", "senior"),
        ("Junior NLP Engineer", "nlp-engineer", "junior"),
        ("Data Science Intern", "data-scientist", "intern"),
        ("VP of AI", "chief-ai-officer", "executive"),
        ("Chief AI Officer", "chief-ai-officer", "executive"),
        ("Generative AI Engineer", "genai-engineer", "mid"),
        ("Prompt Engineer", "genai-engineer", "mid"),
        ("Responsible AI Lead", "responsible-ai-officer", "senior"),
        ("AI Research Scientist", "research-scientist", "mid"),
        ("Applied Scientist", "research-scientist", "mid"),
        ("ML Platform Engineer", "mlops-engineer", "mid"),
    ],
)
def test_ai_titles_map_to_role_family_and_seniority(title, family, seniority):
    match = normalize_title(title)
    assert (match.role_family, match.seniority) == (family, seniority)
    assert match.score >= 0.8
    assert match.onet_code


@pytest.mark.parametrize(
    ("title", "onet_code"),
    [
        ("Software Engineer", "15-1252.00"),
        ("Data Scientist", "15-2051.00"),
        ("Business Intelligence Analyst", "15-2051.01"),
        ("Database Administrator", "15-1242.00"),
    ],
)
def test_titles_outside_the_ai_families_keep_their_onet_occupation(title, onet_code):
    match = normalize_title(title)
    assert match.onet_code == onet_code
    if title != "Data Scientist":
        assert match.role_family is None


def test_non_engineering_ai_titles_get_no_engineering_family():
    assert normalize_title("AI Product Manager").role_family is None


def test_member_of_technical_staff_is_not_staff_level():
    assert normalize_title("Member of Technical Staff").seniority == "mid"


def test_bare_associate_is_not_a_junior_cue_but_associate_role_is():
    assert normalize_title("Associate").seniority == "mid"
    assert normalize_title("Associate Data Scientist").seniority == "junior"


@pytest.mark.parametrize("title", ["", "   ", "\x00\x01", "🤖" * 50, "x" * 100_000])
def test_bad_input_gives_a_low_score_not_a_crash(title):
    match = normalize_title(title)
    assert match.seniority in {"mid", "junior", "senior"}
    assert 0.0 <= match.score <= 1.0


def test_deterministic():
    assert normalize_title("Sr Data Engineer") == normalize_title("Sr Data Engineer")


def test_cli_prints_the_four_fields_as_json(capsys):
    call_command("titles", "normalize", "Senior Machine Learning Engineer", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "role_family": "ml-engineer",
        "onet_code": "15-1252.00",
        "seniority": "senior",
        "score": out["score"],
    }
    assert 0.8 <= out["score"] <= 1.0
