"""`cadre match` and `cadre match-text` print the documented JSON; bad ids are clear errors."""

from __future__ import annotations

import json

from tests.cli.helpers import run_cadre


def test_match_and_match_text(cadre_home):
    home = cadre_home()
    demo = run_cadre(home, "demo", "--people", "60", "--json")
    assert demo.returncode == 0, demo.stderr
    run = run_cadre(home, "match", "1", "--top", "5", "--json")
    assert run.returncode == 0, run.stderr
    body = json.loads(run.stdout)
    assert set(body) >= {"results", "version", "ms"}
    assert 0 < len(body["results"]) <= 5
    first = body["results"][0]
    assert set(first) == {"person_id", "score", "explanation"}
    assert set(first["explanation"]) >= {"must_have", "nice_to_have", "platform", "validate_in_interview"}
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)

    text = run_cadre(home, "match-text", "Senior ML engineer, must have PyTorch", "--top", "3", "--json")
    assert text.returncode == 0, text.stderr
    assert len(json.loads(text.stdout)["results"]) <= 3

    missing = run_cadre(home, "match", "99999", "--json")
    assert missing.returncode != 0 and "requisition 99999 not found" in missing.stderr
    stop = run_cadre(home, "match-text", "the and of", "--json")
    assert stop.returncode == 0 and "stop-words" in json.loads(stop.stdout)["reason"]
