"""`cadre advise`: the issue's examples in human-readable form and as JSON, a requisition's own inputs,
and bad input as a CommandError listing every problem."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from tests.cli.helpers import run_cadre

from cadre.core.models import DecisionRecord
from cadre.placements.advisor import ADVISOR_VERSION

RAG = ["--duration-months", "6", "--criticality", "standard", "--regulatory", "low", "--executive", "no"]
PLATFORM = ["--duration-months", "permanent", "--criticality", "production_sla", "--regulatory", "medium"]
HEAD_OF_AI = ["--duration-months", "permanent", "--criticality", "standard", "--regulatory", "medium"]


def advise(*args: str) -> str:
    out = io.StringIO()
    call_command("advise", *args, stdout=out)
    return out.getvalue()


def test_six_month_rag_deployment():
    out = advise(*RAG, "--pay", "85", "--bill", "135", "--salary", "180000")
    assert "Recommended: Contract" in out
    assert "Time to start: 7-21 days" in out
    assert "$140,400.00" in out  # 135 × 40 h × 26 weeks
    assert "If the need were permanent (now 6 months): direct hire." in out
    assert "markup 58.82%, spread 37.04%" in out


def test_permanent_platform_role_with_a_production_sla():
    out = advise(*PLATFORM, "--executive", "no", "--bill", "135", "--salary", "190000")
    assert "Recommended: Direct hire" in out
    assert "production SLA" in out or "model-performance SLA" in out


def test_head_of_ai_is_a_retained_search():
    out = advise(*HEAD_OF_AI, "--executive", "yes", "--salary", "320000", "--bonus", "80000")
    assert "Recommended: Retained executive search" in out
    assert "Time to start: 60-120 days" in out
    assert "Retained fee, invoiced in thirds" in out and "$133,333.20" in out  # a third of 400,000


def test_high_classification_risk_with_1099_warns():
    out = advise(*RAG, "--classification-risk", "high", "--vehicle", "1099", "--bill", "135")
    assert "WARNING: Classification risk is high for a 1099 independent contractor" in out
    assert "Contractor vehicle: W-2 through the agency." in out


def test_json_is_complete_and_deterministic():
    args = (*RAG, "--bill", "135", "--budget", "100000", "--json")
    first, second = json.loads(advise(*args)), json.loads(advise(*args))
    assert first == second
    assert first["version"] == ADVISOR_VERSION
    assert first["recommended"] == "contract"
    assert [o["rank"] for o in first["options"]] == [1, 2, 3, 4, 5, 6]
    contract = first["options"][0]
    assert contract["cost"]["total"] == "140400.00"
    assert contract["over_budget_by"] == "40400.00"
    assert any("over budget" in w for w in first["warnings"])
    assert {t["dimension"] for t in contract["tradeoffs"]} == {
        "speed", "cost", "continuity", "control", "classification", "flexibility",
    }  # fmt: skip


def test_bad_input_is_a_command_error_listing_every_problem():
    with pytest.raises(CommandError) as info:
        advise(
            "--duration-months", "0", "--criticality", "urgent", "--regulatory", "low", "--executive", "maybe"
        )
    message = str(info.value)
    assert "3 problem(s) with the inputs" in message
    assert "duration_months: 0 is out of range" in message
    assert "criticality: 'urgent' is not one of low, standard, production_sla" in message
    assert "executive: 'maybe' is not yes or no" in message


def test_missing_required_options():
    with pytest.raises(CommandError, match="missing --regulatory, --executive"):
        advise("--duration-months", "6", "--criticality", "low")


@pytest.mark.django_db
def test_unknown_state_is_a_command_error():
    with pytest.raises(CommandError, match="state: unknown state 'ZZ'"):
        advise(*RAG, "--state", "ZZ")


@pytest.mark.django_db
def test_from_a_requisition_with_overrides(admin_user, tenant_a):
    data = json.loads(advise("--requisition", str(tenant_a.requisition.pk), "--json"))
    assert data["recommended"] == "contract"
    assert data["inputs"]["bill"] == "140"  # the bill-band midpoint
    out = advise("--requisition", str(tenant_a.requisition.pk), "--duration-months", "permanent")
    assert f"Requisition #{tenant_a.requisition.pk}" in out
    assert "overridden: duration_months" in out
    assert "Recommended: Direct hire" in out
    assert not DecisionRecord.objects.filter(kind="engagement_advice").exists()  # nothing is saved
    with pytest.raises(CommandError, match="requisition 99999 not found"):
        advise("--requisition", "99999")
    with pytest.raises(CommandError, match="no active user 'nobody'"):
        advise("--requisition", str(tenant_a.requisition.pk), "--as", "nobody")


@pytest.mark.django_db
def test_requisition_mode_needs_an_admin_or_a_user(recruiter, tenant_a):
    with pytest.raises(CommandError, match="no admin user"):
        advise("--requisition", str(tenant_a.requisition.pk))
    assert "Recommended:" in advise("--requisition", str(tenant_a.requisition.pk), "--as", recruiter.username)


def test_console_script_without_a_database(tmp_path):
    """The real `cadre advise`: with no migrated database the firm's settings are skipped, with a note."""
    args = [*HEAD_OF_AI, "--executive", "yes", "--salary", "300000", "--state", "NY", "--json"]
    done = run_cadre(tmp_path / "home", "advise", *args)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["recommended"] == "retained_executive_search"
    assert data["burden_rates"]["state"] == "NY"
    assert any("firm's burden settings were not applied" in n for n in data["notes"])
    bad = run_cadre(tmp_path / "home", "advise", *RAG, "--pay", "-1")
    assert bad.returncode != 0
    assert "pay: must not be negative" in bad.stderr
