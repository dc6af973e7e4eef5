"""The duplicate review queue: pending pairs side by side, merge / not the same person, and undo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cadre.core.exceptions import CadreError
from cadre.resolution import selectors, services
from cadre.web.http import can_edit, fetch, fragment, is_htmx, paginate


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    page = paginate(request, fetch(selectors.pending_candidates, request.user), per_page=10)
    rows = [
        {"candidate": c, "left": selectors.evidence(c.left), "right": selectors.evidence(c.right)}
        for c in page.object_list
    ]
    context = {
        "page_obj": page,
        "rows": rows,
        "merges": list(fetch(selectors.recent_merges, request.user)[:20]),
        "can_edit": can_edit(request),
    }
    return render(request, "resolution/queue.html", context)


def _decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    candidate = fetch(selectors.get_candidate, request.user, pk)
    try:
        if action == "merge":
            record = services.merge_candidate(request.user, candidate)
            text = f"Merged: {candidate.right.full_name} is now part of {candidate.left.full_name}."
            if record.kept_back:
                text += (
                    " Rows both people held (e.g. applications to one requisition) stay on the merged record."
                )
        else:
            services.reject_candidate(request.user, candidate)
            text = "Marked as not the same person."
    except CadreError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        if is_htmx(request):
            return fragment(
                render(request, "resolution/_decided.html", {"text": exc.message, "error": True}), 409
            )
        messages.error(request, exc.message)
        return redirect("dedup-queue")
    if is_htmx(request):
        return render(request, "resolution/_decided.html", {"text": text, "candidate": candidate})
    messages.success(request, text)
    return redirect("dedup-queue")


@require_POST
@login_required
def candidate_merge(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "merge")


@require_POST
@login_required
def candidate_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "reject")


@require_POST
@login_required
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    record = fetch(selectors.get_merge, request.user, pk)
    try:
        services.unmerge(request.user, record.pk)
    except CadreError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Merge undone: {record.merged.full_name} is a separate person again.")
    return redirect("dedup-queue")
