"""`cadre demo`: a consistent, reproducible synthetic dataset and one login per role."""

from __future__ import annotations

import json
import sqlite3
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from tests.cli.helpers import run_cadre

from cadre.core.models import AuditLog, User
from cadre.core.roles import Role
from cadre.people import identity
from cadre.people.models import Identity, Person, SourceRecord
from cadre.pipeline.models import Activity, Application, StageEvent
from cadre.requisitions.models import Requisition


@pytest.fixture
def demo_json(db, settings, tmp_path):
    settings.CADRE_HOME = tmp_path  # demo-users.json goes here, never to the developer's .cadre
    out = StringIO()
    call_command("demo", "--people", "40", "--json", "--no-progress", stdout=out)
    return json.loads(out.getvalue())


def test_demo_json_lists_a_login_for_every_role(demo_json, tmp_path):
    users = demo_json["users"]
    assert {u["role"] for u in users} == {r.value for r in Role}
    managers = [u for u in users if u["role"] == Role.HIRING_MANAGER]
    assert len(managers) == 2 and len({m["client"] for m in managers}) == 2
    assert all(u["client"] is None for u in users if u["role"] != Role.HIRING_MANAGER)
    for u in users:
        user = User.objects.get(username=u["username"])
        assert user.role == u["role"] and user.check_password(u["password"])
        assert len(u["password"]) >= 12
    for m in managers:
        assert list(
            User.objects.get(username=m["username"]).assigned_clients.values_list("name", flat=True)
        ) == [m["client"]]
    saved = tmp_path / "demo-users.json"
    assert saved.stat().st_mode & 0o777 == 0o600
    assert json.loads(saved.read_text())["users"] == users
    counts = demo_json["counts"]
    assert counts["people"] == Person.objects.count() == 40
    assert counts["applications"] == Application.objects.count() > 40


def test_demo_histories_match_the_current_stage(demo_json):
    apps = list(Application.objects.all())
    assert {a.stage for a in apps} >= {"sourced", "screening", "submitted", "rejected"}
    for app in apps:
        events = list(StageEvent.objects.filter(application=app).order_by("at", "id"))
        assert events[0].from_stage == "" and events[0].to_stage == "sourced"
        assert events[-1].to_stage == app.stage
        assert events[-1].at == app.stage_changed_at
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_stage == before.to_stage and after.at > before.at
        assert app.created_at == events[0].at < app.stage_changed_at or len(events) == 1
        moves = Activity.objects.filter(application=app, kind=Activity.Kind.STAGE_CHANGE).count()
        assert moves == len(events)
        assert AuditLog.objects.filter(
            object_type="pipeline.application", object_id=str(app.pk)
        ).count() == len(events)
    assert Activity.objects.exclude(kind=Activity.Kind.STAGE_CHANGE).exists()  # a few notes


def test_demo_people_are_synthetic_with_valid_identities(demo_json):
    assert SourceRecord.objects.filter(source="demo").count() == Person.objects.count()
    kinds = set(Identity.objects.values_list("kind", flat=True))
    assert {"email", "github", "linkedin"} <= kinds
    for ident in Identity.objects.all():
        assert identity.normalise(ident.kind, ident.value) == ident.value
        if ident.kind == "email":
            assert ident.value.rsplit("@", 1)[1] in {
                "example.com",
                "example.org",
                "example.net",
                "mail.example",
            }
    for req in Requisition.objects.exclude(pay_min=None):
        assert req.pay_min <= req.pay_max
        if req.rate_unit == "hour":
            assert req.bill_min is not None and req.bill_min > req.pay_min
    assert Requisition.objects.filter(status="open").count() > Requisition.objects.count() / 2
    assert Requisition.objects.values("role_family").distinct().count() >= 8


def test_demo_refuses_to_load_twice(demo_json):
    with pytest.raises(CommandError, match="already has data"):
        call_command("demo", "--people", "10", "--no-progress", stdout=StringIO())
    out = StringIO()
    call_command("demo", "--if-empty", "--json", stdout=out)
    again = json.loads(out.getvalue())
    assert again["loaded"] is False and again["users"] == demo_json["users"]  # the saved logins
    assert Person.objects.count() == 40


CONTENT_QUERIES = {
    "people": "SELECT id, full_name, headline, location, summary FROM people_person ORDER BY id",
    "identities": "SELECT person_id, kind, value FROM people_identity ORDER BY id",
    "requisitions": "SELECT id, client_id, title, seniority, engagement_type, pay_min, pay_max, bill_min, "
    "bill_max, status FROM requisitions_requisition ORDER BY id",
    "applications": "SELECT person_id, requisition_id, stage, source FROM pipeline_application ORDER BY id",
    "events": "SELECT e.application_id, e.from_stage, e.to_stage, e.reason, u.username "
    "FROM pipeline_stageevent e JOIN core_user u ON u.id = e.actor_id ORDER BY e.id",
}


def _content(db_path):
    with sqlite3.connect(db_path) as db:
        return {name: db.execute(sql).fetchall() for name, sql in CONTENT_QUERIES.items()}


def test_console_script_demo_is_reproducible_apart_from_passwords(cadre_home):
    first, second = cadre_home("first"), cadre_home("second")
    runs = [run_cadre(home, "demo", "--people", "40", "--json") for home in (first, second)]
    for run in runs:
        assert run.returncode == 0, run.stderr
    a, b = (json.loads(run.stdout) for run in runs)
    assert [(u["username"], u["role"], u["client"]) for u in a["users"]] == [
        (u["username"], u["role"], u["client"]) for u in b["users"]
    ]
    assert all(x["password"] != y["password"] for x, y in zip(a["users"], b["users"], strict=True))
    assert a["counts"] == b["counts"]
    assert _content(first / "cadre.sqlite3") == _content(second / "cadre.sqlite3")
    assert ((first / "demo-users.json").stat().st_mode & 0o777) == 0o600

    again = run_cadre(first, "demo", "--people", "40")
    assert again.returncode == 1
    assert "already has data" in again.stderr
    skipped = run_cadre(first, "demo", "--if-empty")
    assert skipped.returncode == 0
    assert a["users"][0]["password"] in skipped.stdout  # `make run` shows the saved logins again
