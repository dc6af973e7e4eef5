"""One end-to-end run in headless Chromium: log in, open a requisition, move a card on the board."""

from __future__ import annotations

import pytest
from tests.web.helpers import PASSWORD

from cadre.pipeline.models import Application, StageEvent

# serialized_rollback restores the seeded taxonomy that the transactional flush would wipe.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_recruiter_moves_a_card_on_the_pipeline_board(live_server, browser_page, recruiter, tenant_a):
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", recruiter.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/requisitions/{tenant_a.requisition.pk}/")
    card_id = f"#application-{tenant_a.application.pk}"
    assert page.locator(f'.board-column[data-stage="sourced"] {card_id}').count() == 1

    # Move with the card's form (htmx swaps the board in place).
    card = page.locator(card_id)
    card.locator("summary").click()
    card.locator('select[name="to_stage"]').select_option("screening")
    card.locator('input[name="reason"]').fill("Portfolio looks strong")
    card.locator('button[type="submit"]').click()
    page.locator(f'.board-column[data-stage="screening"] {card_id}').wait_for()
    assert page.locator(f'.board-column[data-stage="sourced"] {card_id}').count() == 0
    assert "moved to Screening" in page.locator("#board").inner_text()

    event = StageEvent.objects.filter(application_id=tenant_a.application.pk).latest("id")
    assert (event.from_stage, event.to_stage, event.reason) == (
        "sourced",
        "screening",
        "Portfolio looks strong",
    )
    assert event.actor_id == recruiter.pk

    # Then drag it on to the next column (HTML5 drag and drop -> htmx.ajax to the same endpoint).
    page.drag_and_drop(card_id, '.board-column[data-stage="submitted"]')
    page.locator(f'.board-column[data-stage="submitted"] {card_id}').wait_for()
    assert Application.objects.get(pk=tenant_a.application.pk).stage == "submitted"
    assert StageEvent.objects.filter(application_id=tenant_a.application.pk, to_stage="submitted").exists()
