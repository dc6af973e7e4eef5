"""End to end in headless Chromium: a recruiter opens a requisition's Matches tab, reads a ranked card
and adds the person to the pipeline with htmx."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.web.helpers import PASSWORD

from cadre.people.models import SkillEvidence, WorkPreferences
from cadre.people.services import create_person
from cadre.pipeline.models import Application
from cadre.requisitions.services import create_requisition
from cadre.taxonomy.models import Skill

SCREENSHOT = "/tmp/matches.png"

# serialized_rollback restores the seeded taxonomy that the transactional flush would wipe.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _evidence(person, slug: str, kind: str, days_ago: int, detail: str) -> None:
    SkillEvidence.objects.create(
        person=person,
        skill=Skill.objects.get(slug=slug),
        kind=kind,
        detail=detail,
        observed_on=dt.date.today() - dt.timedelta(days=days_ago),
    )


def test_recruiter_adds_a_ranked_person_to_the_pipeline(live_server, browser_page, recruiter, tenant_a):
    requisition = create_requisition(
        recruiter,
        client=tenant_a.client,
        title="LLM serving engineer",
        seniority="senior",
        remote_policy="remote",
        skills=[
            (Skill.objects.get(slug="pytorch"), "must"),
            (Skill.objects.get(slug="kubernetes"), "must"),
            (Skill.objects.get(slug="mlflow"), "nice"),
        ],
    )
    best = create_person(recruiter, full_name="Priya Raman", headline="Senior ML engineer, GPU inference")
    WorkPreferences.objects.create(person=best, seniority="senior", authorized_countries=["US"])
    _evidence(best, "pytorch", "merged_pr", 120, "Merged a CUDA-graph fix into vLLM's PyTorch backend")
    _evidence(best, "kubernetes", "employment", 200, "Ran the GPU inference cluster at Acme AI")
    runner_up = create_person(recruiter, full_name="Tom Berg", headline="ML engineer, recommender systems")
    _evidence(runner_up, "pytorch", "resume", 2000, "PyTorch listed on the resume")

    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", recruiter.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/requisitions/{requisition.pk}/")
    page.get_by_role("link", name="Matches", exact=True).click()
    page.wait_for_url(f"{live_server.url}/requisitions/{requisition.pk}/matches/")

    card = page.locator(f"#match-{best.pk}")
    assert card.locator(".match-rank").inner_text() == "#1"
    chip = card.locator(".chip-match", has_text="PyTorch")
    assert chip.count() == 1
    assert "merged pull request" in (chip.get_attribute("title") or "")
    assert "CUDA-graph fix" in card.locator(".match-evidence").inner_text()
    assert page.locator(f"#match-{runner_up.pk} .chip-missing", has_text="Kubernetes").count() == 1
    page.screenshot(path=SCREENSHOT, full_page=True)

    card.get_by_role("button", name="Add to pipeline").click()
    card.locator(".match-pipeline", has_text="In pipeline").wait_for()
    application = Application.objects.get(requisition=requisition, person=best)
    assert (application.source, application.stage, application.created_by_id) == (
        "matching",
        "sourced",
        recruiter.pk,
    )
