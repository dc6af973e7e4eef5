"""Skill extraction on the shipped ontology: aliases, punctuation, false hits, cues, bad input."""

from __future__ import annotations

import pytest

from cadre.taxonomy.extraction import MAX_TEXT_CHARS, SkillMention, extract_skills


def found(text: str) -> dict[str, str | None]:
    return {m.skill_id: m.requirement for m in extract_skills(text)}


def test_aliases_and_spelling_variants_link_to_one_skill():
    mentions = extract_skills("PyTorch, torch and Py Torch; scikit-learn or sklearn")
    assert [m.skill_id for m in mentions] == ["pytorch"] * 3 + ["scikit-learn"] * 2
    assert all(m.name == "PyTorch" and m.category == "framework" for m in mentions[:3])


def test_multi_word_skills_take_the_longest_match():
    ids = [
        m.skill_id
        for m in extract_skills("Retrieval-augmented generation on Amazon SageMaker with NIST AI RMF")
    ]
    assert ids == ["rag", "sagemaker", "nist-ai-rmf"]


@pytest.mark.parametrize(
    ("text", "slug"),
    [("C++", "cpp"), ("C#", "csharp"), (".NET", "dotnet"), ("Node.js", "nodejs"), ("ASP.NET", "aspnet")],
)
def test_punctuation_variants(text, slug):
    mentions = extract_skills(f"Experience with {text} is a plus")
    assert [m.skill_id for m in mentions] == [slug]
    m = mentions[0]
    assert f"Experience with {text} is a plus"[m.start : m.end] == text


def test_offsets_point_at_the_matched_text():
    text = "We use Kubernetes (k8s) and MLflow.\nDocker too."
    for m in extract_skills(text):
        assert text[m.start : m.end].lower() in {"kubernetes", "k8s", "mlflow", "docker"}
    assert isinstance(extract_skills(text)[0], SkillMention)


def test_r_and_go_only_as_languages():
    assert found("Python, R and SQL") == {"python": None, "r-lang": None, "sql": None}
    assert found("Strong R programming skills") == {"r-lang": None}
    assert found("Services written in Go") == {"go": None}
    assert found("Go to the office on Mondays. Let's go!") == {}
    assert found("Grade R. Smith joined our R&D team, section r") == {}


def test_spark_not_sparked():
    assert found("Her talk sparked a debate") == {}
    assert found("Spark joy in the team") == {}
    assert found("We process logs with Spark and Kafka") == {"spark": None, "kafka": None}


def test_inline_must_and_nice_cues():
    text = (
        "We need someone to deploy a retrieval-augmented generation service on AWS; "
        "PyTorch and Kubernetes required, LangChain a plus. Rust preferred."
    )
    got = found(text)
    assert got["pytorch"] == got["kubernetes"] == "must"
    assert got["langchain"] == got["rust"] == "nice"
    assert found("Must have: Python. Bonus: JAX")["python"] == "must"
    assert found("Must have: Python. Bonus: JAX")["jax"] == "nice"
    assert found("Required: Airflow, dbt, Snowflake preferred") == {
        "airflow": "must",
        "dbt": "must",
        "snowflake": "nice",
    }


def test_section_headings_set_the_requirement():
    text = (
        "Responsibilities\n- Build models in TensorFlow\n\n"
        "Requirements:\n- Python\n- SQL\n\n## Nice to have\n- JAX\n- Ray"
    )
    assert found(text) == {"tensorflow": None, "python": "must", "sql": "must", "jax": "nice", "ray": "nice"}


def test_negated_skills_are_not_returned():
    assert found("Python required, no Java needed.") == {"python": "must"}
    assert found("Java is not required.") == {}
    assert found("No less than 3 years of Python") == {"python": None}


def test_deterministic():
    text = "Python, Spark, CUDA, NCCL, vLLM, TensorRT required. LoRA and RLHF a plus."
    assert extract_skills(text) == extract_skills(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t",
        "\x00\x01\x02\xff\ufffd" * 500,
        bytes(range(256)).decode("latin-1") * 50,
        "Nous recherchons un ingénieur — Rçx Gödel ÄR",
        "熟悉机器学习与深度学习框架",
    ],
)
def test_bad_input_gives_empty_result(text):
    assert extract_skills(text) == []


def test_non_english_text_still_finds_named_tools():
    assert [m.skill_id for m in extract_skills("熟悉Python和PyTorch")] == ["python", "pytorch"]


def test_large_input_completes():
    text = ("Senior engineer with Python, Kubernetes and Spark; go-getter who sparked change. " * 65_000)[
        :5_000_000
    ]
    mentions = extract_skills(text)
    assert len(mentions) > 100_000


def test_oversized_or_wrong_type_is_a_clear_error():
    with pytest.raises(ValueError, match="split it"):
        extract_skills("x" * (MAX_TEXT_CHARS + 1))
    with pytest.raises(TypeError):
        extract_skills(b"Python")  # type: ignore[arg-type]
