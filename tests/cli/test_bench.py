"""`cadre bench web` on tiny numbers: it seeds a scratch database, hits every page and API
endpoint, reports the JSON shape, and leaves the user's own database alone."""

from __future__ import annotations

import json
import sqlite3
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from tests.cli.helpers import run_cadre

from cadre.web.bench import percentile
from cadre.web.management.commands import bench

PAGES = {"dashboard", "requisition_list", "requisition_board", "person_list", "person_detail", "search"}
API = {"api_requisitions", "api_people", "api_requisition_detail", "api_applications", "api_people_search"}
MATCHING = {"requisition_matches", "api_requisition_matches", "api_person_matches"}
HIRING_MANAGER_LISTS = {"hm_requisition_list", "hm_person_list", "hm_api_requisitions", "hm_api_people"}


def test_percentile_is_nearest_rank():
    samples = [float(x) for x in range(1, 101)]
    assert percentile(samples, 50) == 50.0
    assert percentile(samples, 95) == 95.0
    assert percentile([3.0], 95) == 3.0


def test_bench_web_json_shape(cadre_home):
    home = cadre_home()
    # Keeps DATABASE_URL: under PostgreSQL the bench makes and drops its own scratch database.
    run = run_cadre(
        home,
        "bench",
        "web",
        "--people",
        "300",
        "--requisitions",
        "10",
        "--applications",
        "900",
        "--repeat",
        "2",
        "--json",
        sqlite=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout)
    assert (result["people"], result["requisitions"], result["applications"]) == (300, 10, 900)
    assert result["database"] in {"sqlite", "postgresql"}
    assert result["stage_events"] >= 900
    assert set(result["endpoints"]) >= PAGES | API | HIRING_MANAGER_LISTS | MATCHING
    for name, figures in result["endpoints"].items():
        assert figures["status"] == 200, name
        assert 0 < figures["p50_ms"] <= figures["p95_ms"], name
        assert figures["queries"] > 0, name
    assert result["p95_ms_max"] == max(r["p95_ms"] for r in result["endpoints"].values())
    assert result["failed"] == []
    assert result["seed_seconds"] >= 0
    # The user's database (the migrated copy in CADRE_HOME) got nothing from the bench.
    with sqlite3.connect(home / "cadre.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM people_person").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM core_user").fetchone() == (0,)


def test_bench_fails_loudly_when_an_endpoint_is_not_200(monkeypatch):
    def fake_run(cfg, report):
        figures = {"url": "/people/", "as": "recruiter", "queries": 3, "p50_ms": 1.0, "p95_ms": 2.0}
        return {
            "people": 1,
            "requisitions": 1,
            "applications": 1,
            "stage_events": 1,
            "database": "sqlite",
            "repeat": 1,
            "seed_seconds": 0.1,
            "p95_ms_max": 2.0,
            "p95_target_ms": 150.0,
            "over_target": [],
            "endpoints": {"person_list": {**figures, "status": 200}, "search": {**figures, "status": 500}},
            "failed": ["search"],
        }

    monkeypatch.setattr(bench, "run_web_bench", fake_run)
    with pytest.raises(CommandError, match=r"search \(500\)"):
        call_command("bench", "web", "--json", "--no-progress", stdout=StringIO())
