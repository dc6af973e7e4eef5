"""`cadre token create|list|revoke`."""

from __future__ import annotations

import sqlite3
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from tests.cli.helpers import run_cadre

from cadre.core.models import ApiToken, hash_token
from cadre.core.services import user_for_token


def test_token_create_prints_only_a_token_that_authenticates(recruiter):
    out = StringIO()
    call_command("token", "create", recruiter.username, "--name", "ats sync", stdout=out)
    raw = out.getvalue().strip()
    assert "\n" not in raw and raw.startswith("cad_")
    assert user_for_token(raw) == recruiter
    assert ApiToken.objects.get(user=recruiter).name == "ats sync"


def test_token_create_for_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="no user named 'ghost'"):
        call_command("token", "create", "ghost", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_token_revoke_by_prefix(recruiter):
    out = StringIO()
    call_command("token", "create", recruiter.username, stdout=out)
    raw = out.getvalue().strip()
    call_command("token", "revoke", raw[:10], stdout=StringIO(), stderr=StringIO())
    assert user_for_token(raw) is None
    with pytest.raises(CommandError, match="no live token"):
        call_command("token", "revoke", raw[:10], stdout=StringIO(), stderr=StringIO())


def test_console_script_token_create_and_unknown_user_exit_code(cadre_home):
    home = cadre_home()
    made = run_cadre(
        home, "createsuperuser", "--noinput", "--username", "ops", "--email", "ops@cadre.example"
    )
    assert made.returncode == 0, made.stderr
    done = run_cadre(home, "token", "create", "ops")
    assert done.returncode == 0, done.stderr
    raw = done.stdout.strip()
    assert done.stdout == raw + "\n" and raw.startswith("cad_")
    with sqlite3.connect(home / "cadre.sqlite3") as db:
        row = db.execute(
            "SELECT u.username FROM core_apitoken t JOIN core_user u ON u.id = t.user_id WHERE key_hash = ?",
            (hash_token(raw),),
        ).fetchone()
    assert row == ("ops",)

    missing = run_cadre(home, "token", "create", "nobody")
    assert missing.returncode == 1
    assert missing.stdout == ""
    assert "no user named 'nobody'" in missing.stderr
