"""`cadre skills extract|eval`, `cadre taxonomy load` and `cadre bench skills` through call_command."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from tests.taxonomy.test_evaluation import CONLL


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_skills_extract_text_json():
    rows = json.loads(run("skills", "extract", "--text", "PyTorch required, LangChain a plus", "--json"))
    assert [(r["skill_id"], r["requirement"]) for r in rows] == [("pytorch", "must"), ("langchain", "nice")]
    assert set(rows[0]) == {"skill_id", "name", "category", "start", "end", "requirement", "confidence"}


def test_skills_extract_file_and_bad_files(tmp_path):
    doc = tmp_path / "jd.txt"
    doc.write_text("Requirements:\n- Kubernetes\n")
    assert json.loads(run("skills", "extract", str(doc), "--json"))[0]["requirement"] == "must"
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(CommandError, match="binary"):
        run("skills", "extract", str(junk))
    with pytest.raises(CommandError, match="no such file"):
        run("skills", "extract", str(tmp_path / "missing.txt"))
    with pytest.raises(CommandError, match="exactly one"):
        run("skills", "extract")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert json.loads(run("skills", "extract", str(empty), "--json")) == []


def test_skills_eval_json(tmp_path):
    conll = tmp_path / "tiny.conll"
    conll.write_text(CONLL)
    for method in ("ontology", "combined"):
        result = json.loads(run("skills", "eval", str(conll), "--method", method, "--json"))
        assert {"precision", "recall", "f1", "sentences"} <= set(result)
        assert result["sentences"] == 3
    # The gazetteer finds Python and Docker, both inside gold spans.
    result = json.loads(run("skills", "eval", str(conll), "--method", "ontology", "--json"))
    assert result["precision"] == 1.0 and result["recall"] == 0.75


@pytest.mark.django_db
def test_taxonomy_load_command():
    result = json.loads(run("taxonomy", "load", "--json"))
    assert result["role_families"] == 11 and result["skills"] > 300


@pytest.mark.django_db
def test_taxonomy_load_rejects_a_bad_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": "x"}')
    with pytest.raises(CommandError, match="not a valid ontology"):
        run("taxonomy", "load", str(bad))


def test_bench_skills_json():
    result = json.loads(run("bench", "skills", "--docs", "20", "--json", "--no-progress"))
    assert result["docs"] == 20 and result["docs_per_s"] > 0 and result["avg_words"] > 350
