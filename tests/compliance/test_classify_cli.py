"""`cadre classify ANSWERS.json [--as-of] [--json]`, `--questions` and `--rule-sets`, and its errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from tests.cli.helpers import CADRE, run_cadre
from tests.compliance.test_classification import EMBEDDED_DATA_SCIENTIST, SAME_PERSON_CA_CORE


def _write(tmp_path: Path, data: object, name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("classify", *args, stdout=out)
    return out.getvalue()


def test_json_output_is_the_full_result(tmp_path):
    path = _write(tmp_path, SAME_PERSON_CA_CORE)
    data = json.loads(_run(path, "--as-of", "2026-11-26", "--json"))
    assert data["as_of"] == "2026-11-26"
    assert data["work_state"] == "CA"
    assert [r["rule_set"]["id"] for r in data["regimes"]] == [
        "flsa_2024",
        "flsa_core_factors",
        "irs_common_law",
        "abc_california",
    ]
    ca = data["regimes"][-1]
    assert ca["leaning"] == "employee"
    prong_b = next(f for f in ca["factors"] if f["factor"] == "prong_b_usual_course")
    assert prong_b["direction"] == "employee" and prong_b["citation"] == "Cal. Lab. Code §2775(b)(1)(B)"
    assert prong_b["facts_relied_on"][0]["question"] == "usual_course_of_business"
    assert data["risk"]["level"] == "high"
    assert data["vehicle"]["recommended"] == "w2_agency"
    assert data["exposure"]["label"] == "estimate, not legal advice"
    assert len(data["inputs_digest"]) == 64
    # Deterministic: the same file gives byte-identical JSON.
    assert _run(path, "--as-of", "2026-11-26", "--json") == _run(path, "--as-of", "2026-11-26", "--json")


def test_readable_summary_shows_factors_risk_vehicle_triggers_and_exposure(tmp_path):
    answers = {**EMBEDDED_DATA_SCIENTIST, "work_state": "CA", "hours_per_week": 50, "hourly_rate": 60}
    text = _run(_write(tmp_path, answers), "--as-of", "2026-11-26")
    for expected in (
        "FLSA economic-reality test (2024 rule, six factors)",
        "DOL enforcement lens",
        "IRS common-law control test",
        "California ABC test",
        "Exemption checked first — Business-to-business exemption",
        "29 CFR 795.110(b)(4)",  # a citation in a factor table
        "the client sets the worker's hours or schedule",  # a fact relied on
        "Risk: very high",
        "Recommended vehicle: w2_agency",
        "What would change the answer",
        "[now] The engagement runs over 12 months (18 months)",
        "Control signal: the client sets the worker's hours or schedule.",
        "Exposure (estimate, not legal advice)",
        "$23,400.00",  # 10 h x $30 half-time premium x 78 weeks
        "$5,000.00–$15,000.00 per violation",
        "[unverified]",  # bracketed data is printed literally, not eaten as markup
        "not legal advice",
    ):
        assert expected in text, expected


def test_questions_json_prints_the_questionnaire():
    questions = json.loads(_run("--questions", "--json"))
    ids = [q["id"] for q in questions]
    assert ids[:3] == ["work_state", "duration_months", "hours_per_week"]
    assert {"controls_how", "set_hours", "business_entity", "usual_course_of_business"} <= set(ids)
    by_id = {q["id"]: q for q in questions}
    assert by_id["work_state"]["required"] is True
    assert "abc_california" in by_id["usual_course_of_business"]["used_by"]
    assert [c["value"] for c in by_id["controls_how"]["choices"]] == ["client", "shared", "worker"]
    assert "controls_how" in _run("--questions")


def test_rule_sets_lists_versions_dates_and_status():
    listing = json.loads(_run("--rule-sets", "--json"))
    assert {r["id"]: r["status"] for r in listing}["flsa_core_factors"] == "enforcement position"
    text = _run("--rule-sets")
    assert "2024-03-11" in text and "enforcement position" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2, 3]", "must hold a JSON object"),
        ('"CA"', "must hold a JSON object"),
    ],
)
def test_bad_files_are_command_errors(tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        _run(_write(tmp_path, content))


def test_unknown_ids_and_wrong_types_are_each_listed(tmp_path):
    path = _write(
        tmp_path,
        {
            "work_state": "CA",
            "duration_months": "six",
            "hours_per_week": 40,
            "set_hour": True,
            "supervised": 1,
        },
    )
    with pytest.raises(CommandError) as caught:
        _run(path)
    message = str(caught.value)
    assert message.startswith("3 problem(s) with the answers:")
    assert "unknown question id 'set_hour' (did you mean 'set_hours'?)" in message
    assert "duration_months: expected a number, got 'six' (text)" in message
    assert "supervised: expected true or false, got 1 (number)" in message


def test_other_usage_errors(tmp_path):
    with pytest.raises(CommandError, match="give a JSON file of answers"):
        _run()
    with pytest.raises(CommandError, match="cannot read"):
        _run(str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="--as-of must be a date"):
        _run(_write(tmp_path, SAME_PERSON_CA_CORE), "--as-of", "26/11/2026")


def test_answers_from_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(SAME_PERSON_CA_CORE)))
    data = json.loads(_run("-", "--as-of", "2026-11-26", "--json"))
    assert data["work_state"] == "CA"


def test_the_cadre_console_script_runs_classify(tmp_path):
    if not CADRE.exists():
        pytest.skip(f"{CADRE} is missing: run `pip install -e '.[dev]'`")
    path = _write(tmp_path, SAME_PERSON_CA_CORE)
    done = run_cadre(tmp_path / "home", "classify", path, "--as-of", "2026-11-26", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["risk"]["level"] == "high"
    bad = run_cadre(tmp_path / "home", "classify", _write(tmp_path, "[]", "bad.json"))
    assert bad.returncode != 0 and "must hold a JSON object" in bad.stderr
