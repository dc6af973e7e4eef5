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
from cadre.screening import portal, selectors, sitting_rules
from cadre.screening.models import AssessmentItem, Question, Sitting, Submission
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


def _file_row(sub: Submission | None) -> dict[str, Any] | None:
    if sub is None or sub.upload_size is None:
        return None
    return {
        "name": sub.upload_name,
        "size": sub.upload_size,
        "sha256": sub.upload_sha256,
        "at": sub.created_at,
        "errors": list(sub.errors),
    }


def _limits() -> dict[str, int]:
    return {
        "max_valid_uploads": sitting_rules.MAX_VALID_UPLOADS,
        "max_invalid_uploads": sitting_rules.MAX_INVALID_UPLOADS,
    }


def _candidate_view(sitting: Sitting) -> dict[str, Any]:
    """The candidate's page: the selector's view, each file item with its upload allowance and (when the
    latest file had problems) that rejected file, and no figure about the hidden labels."""
    view = selectors.candidate_view(sitting)
    states = sitting_rules.upload_states(sitting)
    for item in view["items"]:
        question = item["question"]
        metric = question.get("metric")
        if metric:  # the target anchor is what the true process scores on the hidden labels: staff only
            question["metric"] = {k: v for k, v in metric.items() if k not in ("target", "points_rule")}
        if question["kind"] not in portal.UPLOAD_KINDS:
            continue
        state = states.get(item["id"])
        allowance = state.allowance if state else sitting_rules.upload_allowance([])
        item["uploads"] = {
            "valid": allowance.valid,
            "invalid": allowance.invalid,
            "max_valid": allowance.max_valid,
            "max_invalid": allowance.max_invalid,
            "valid_left": allowance.valid_left,
            "invalid_left": allowance.invalid_left,
            "exhausted": allowance.exhausted,
            "rejected": _file_row(state.rejected_latest if state else None),
        }
    return view


@require_GET
def take(request: HttpRequest, token: str) -> HttpResponse:
    try:
        sitting = _resolve(token)
        portal.check_not_expired(sitting)
    except portal.LinkError as exc:
        return _link_error(request, exc)
    view = _candidate_view(sitting)
    context = {
        "sitting": view,
        "token": token,
        "submitted": sitting.status not in portal.OPEN_STATUSES,
        **_limits(),
    }
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
        view = _candidate_view(sitting)
        context = {
            "sitting": view,
            "token": token,
            "submitted": False,
            "upload_error": exc.message,
            **_limits(),
        }
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
        state = sitting_rules.upload_states(sitting).get(submission.item_id)
        graded = state.graded if state else None
        if graded is not None and graded.pk != submission.pk and graded.upload_size is not None:
            keep = (
                f" Your last valid file, “{graded.upload_name}” (sha256 {graded.upload_sha256[:12]}…), "
                "will be graded unless you upload a better one."
            )
        else:
            keep = ""
        messages.error(
            request,
            f"“{submission.upload_name}” was received but has problems and will not be graded: see below "
            f"and upload again.{keep}",
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
