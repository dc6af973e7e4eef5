"""The candidate portal at /take/<signed link>/: no account, the link is the credential.

One page shows what is assessed and how it is scored (competencies and weights, rubric levels, each ML
task's metric, each coding task's checks and limits), then the questions: typed answers in one form,
one upload form per file item, and the final submission. After submission the same link shows a receipt
(what was received, with sizes and sha256), never a score. A tampered link is a 403 page, an expired or
withdrawn one a 410 page. Forms carry Django's CSRF token (the cookie needs no session).

Uploads are size-checked before the body is read: the upload view is CSRF-exempt only so that the
Content-Length check and the capped upload handler run before Django parses the body; it then applies
the CSRF check itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from cadre.core.exceptions import CadreError, NotFound
from cadre.screening import portal, selectors
from cadre.screening.models import AssessmentItem, Question, Sitting
from cadre.screening.views import _download


def _page(sitting: Sitting) -> str:
    return reverse("screening-take", args=[portal.sign(sitting)])


def _link_error(request: HttpRequest, exc: CadreError) -> HttpResponse:
    return render(
        request,
        "screening/portal_error.html",
        {"message": exc.message, "status": exc.status_code},
        status=exc.status_code,
    )


def _resolve(token: str) -> Sitting:
    return portal.resolve(token)


@require_GET
def take(request: HttpRequest, token: str) -> HttpResponse:
    try:
        sitting = _resolve(token)
        portal.check_not_expired(sitting)
    except portal.LinkError as exc:
        return _link_error(request, exc)
    view = selectors.candidate_view(sitting)
    context = {"sitting": view, "token": token, "submitted": sitting.status not in portal.OPEN_STATUSES}
    return render(request, "screening/portal.html", context)


@require_POST
def take_start(request: HttpRequest, token: str) -> HttpResponse:
    try:
        sitting = _resolve(token)
        portal.start(sitting)
    except portal.LinkError as exc:
        return _link_error(request, exc)
    return redirect(_page(sitting) + "#questions")


def _typed_answers(request: HttpRequest, sitting: Sitting) -> dict[int, Any]:
    """The typed answers in the posted form: `item-<id>` fields of typed items only."""
    answers: dict[int, Any] = {}
    items = AssessmentItem.objects.filter(assessment_id=sitting.assessment_id).values_list(
        "pk", "question__kind"
    )
    for pk, kind in items:
        key = f"item-{pk}"
        if kind == Question.Kind.MULTIPLE_CHOICE and request.POST.get(key):
            answers[pk] = request.POST.get(key)
        elif kind in portal.TEXT_ANSWER_KINDS and key in request.POST:
            answers[pk] = request.POST.get(key, "")
    return answers


@require_POST
def take_answers(request: HttpRequest, token: str) -> HttpResponse:
    """Save typed answers; with action=submit, then submit the whole assessment."""
    try:
        sitting = _resolve(token)
    except portal.LinkError as exc:
        return _link_error(request, exc)
    answers = _typed_answers(request, sitting)
    try:
        if answers:
            portal.save_answers(sitting, answers)
        if request.POST.get("action") == "submit":
            portal.submit(sitting)
            messages.success(request, "Your assessment was submitted. Thank you — the receipt is below.")
            return redirect(_page(sitting))
        messages.success(request, "Answers saved. You can change them until you submit.")
    except portal.LinkError as exc:
        return _link_error(request, exc)
    except portal.AnswersInvalid as exc:
        for item_id, problem in exc.errors.items():
            label = f"Question #{item_id}" if isinstance(item_id, int) else f"Answer {item_id!r}"
            messages.error(request, f"{label}: {problem}")
    except CadreError as exc:
        messages.error(request, exc.message)
    return redirect(_page(sitting) + "#questions")


@csrf_exempt
@require_POST
def take_upload(request: HttpRequest, token: str, item_id: int) -> HttpResponse:
    try:
        sitting = _resolve(token)
    except portal.LinkError as exc:
        return _link_error(request, exc)
    try:
        portal.prepare_upload(request)  # Content-Length checked here, before the body is read
        return _store_upload(request, sitting, item_id)
    except MultiPartParserError:
        messages.error(request, "Upload refused: the form data was malformed. Choose the file again.")
        return redirect(_page(sitting) + f"#item-{item_id}")
    except portal.UploadTooLarge as exc:
        messages.error(request, f"Upload refused: {exc.message}.")
        view = selectors.candidate_view(sitting)
        context = {"sitting": view, "token": token, "submitted": False, "upload_error": exc.message}
        return render(request, "screening/portal.html", context, status=413)


@csrf_protect
def _store_upload(request: HttpRequest, sitting: Sitting, item_id: int) -> HttpResponse:
    try:
        name, data = portal.read_upload(request)
        submission = portal.upload(sitting, item_id, name=name, data=data)
    except portal.LinkError as exc:
        return _link_error(request, exc)
    except portal.UploadTooLarge:
        raise
    except CadreError as exc:
        messages.error(request, exc.message)
        return redirect(_page(sitting) + f"#item-{item_id}")
    if submission.errors:
        messages.error(
            request, f"“{submission.upload_name}” was received but has problems: see below and upload again."
        )
    else:
        messages.success(request, f"“{submission.upload_name}” received ({submission.upload_size:,} bytes).")
    return redirect(_page(sitting) + f"#item-{item_id}")


@require_GET
def take_file(request: HttpRequest, token: str, item_id: int) -> HttpResponse:
    """The public file of one item (training data, starter code)."""
    try:
        sitting = _resolve(token)
        portal.check_not_expired(sitting)
    except portal.LinkError as exc:
        return _link_error(request, exc)
    item = AssessmentItem.objects.filter(pk=item_id, assessment_id=sitting.assessment_id).first()
    if item is None:
        return _link_error(request, NotFound("This file is not part of your assessment."))
    try:
        name, data = selectors.public_file(item.question)
    except CadreError as exc:
        return _link_error(request, exc)
    return _download(name, data)
