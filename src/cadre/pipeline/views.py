"""Pipeline actions from the UI: move a card, add a person to a requisition, add a note.

Each answers htmx with the re-rendered fragment (board or timeline), errors included with their
4xx status; plain form posts (no JavaScript) get a redirect and a flash message instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.views.decorators.http import require_GET, require_POST

from cadre.core.exceptions import CadreError
from cadre.people.models import Person
from cadre.people.selectors import get_person, search_people
from cadre.pipeline import selectors, services
from cadre.pipeline.stages import BOARD_ORDER, Stage
from cadre.requisitions.models import Requisition
from cadre.requisitions.selectors import get_requisition
from cadre.web.http import can_edit, editor_required, fetch, fragment, is_htmx

BOARD_CARDS_PER_STAGE = 25
CANDIDATE_RESULTS = 8


def _move_options() -> dict[str, str]:
    """Each stage's "move to" <option>s, rendered once per board rather than once per card (the
    per-card loop was half the board's render time at 200 cards)."""
    return {
        current.value: format_html_join(
            "", '<option value="{}">{}</option>', ((s.value, s.label) for s in BOARD_ORDER if s != current)
        )
        for current in BOARD_ORDER
    }


def board_context(request: HttpRequest, requisition: Requisition, **extra: Any) -> dict[str, Any]:
    """What pipeline/_board.html needs; two queries whatever the pipeline size."""
    columns = selectors.pipeline_board(requisition, per_stage=BOARD_CARDS_PER_STAGE)
    options = _move_options()
    for column in columns:
        for card in column.cards:
            card.move_options = options[card.stage]  # type: ignore[attr-defined]
    return {
        "requisition": requisition,
        "columns": columns,
        "stages": BOARD_ORDER,
        "can_edit": can_edit(request),
        **extra,
    }


def _board_response(
    request: HttpRequest, requisition: Requisition, *, error: str = "", notice: str = "", status: int = 200
) -> HttpResponse:
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        elif notice:
            messages.success(request, notice)
        return redirect("requisition-detail", pk=requisition.pk)
    context = board_context(request, requisition, board_error=error, board_notice=notice)
    return fragment(render(request, "pipeline/_board.html", context), status)


def _int_or_none(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@require_POST
@login_required
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    application = fetch(selectors.get_application, request.user, pk)
    requisition = application.requisition
    try:
        event = services.move_application(
            request.user,
            application,
            to_stage=request.POST.get("to_stage", ""),
            reason=request.POST.get("reason", "")[:2000],
            expected_version=_int_or_none(request.POST.get("version")),
        )
    except CadreError as exc:
        return _board_response(request, requisition, error=exc.message, status=exc.status_code)
    notice = f"{application.person.full_name} moved to {Stage(event.to_stage).label}."
    return _board_response(request, requisition, notice=notice)


@require_GET
@editor_required
def application_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """People matching the search box of the "Add person to pipeline" panel."""
    requisition = fetch(get_requisition, request.user, pk)
    q = request.GET.get("q", "").strip()[:200]
    people = list(search_people(request.user, q)[:CANDIDATE_RESULTS]) if q else []
    context = {"requisition": requisition, "people": people, "q": q}
    return render(request, "pipeline/_candidates.html", context)


@require_POST
@editor_required
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = fetch(get_requisition, request.user, pk)
    person: Person = fetch(get_person, request.user, _int_or_none(request.POST.get("person_id")) or 0)
    stage = request.POST.get("stage") or Stage.SOURCED
    try:
        services.create_application(
            request.user, person=person, requisition=requisition, stage=stage, source="web"
        )
    except CadreError as exc:
        return _board_response(request, requisition, error=exc.message, status=exc.status_code)
    notice = f"{person.full_name} added to the pipeline at {Stage(stage).label}."
    return _board_response(request, requisition, notice=notice)


def timeline_context(request: HttpRequest, person: Person, **extra: Any) -> dict[str, Any]:
    return {"person": person, "timeline": selectors.timeline(request.user, person), **extra}


@require_POST
@login_required
def person_note(request: HttpRequest, pk: int) -> HttpResponse:
    person = fetch(get_person, request.user, pk)
    body = request.POST.get("body", "")
    try:
        services.add_note(request.user, person, body=body)
    except CadreError as exc:
        if not is_htmx(request):
            messages.error(request, exc.message)
            return redirect("person-detail", pk=person.pk)
        context = timeline_context(request, person, note_error=exc.message, note_body=body)
        return fragment(render(request, "pipeline/_timeline.html", context), exc.status_code)
    if not is_htmx(request):
        messages.success(request, "Note added.")
        return redirect("person-detail", pk=person.pk)
    return fragment(render(request, "pipeline/_timeline.html", timeline_context(request, person)))
