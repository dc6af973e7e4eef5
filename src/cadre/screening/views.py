"""Recruiter pages of screening: the question bank, assessments, sittings per application and their
results. The candidate's pages are in `portal_views.py`.

Templates get the safe dicts of `selectors` (never a Question, AssessmentItem or Submission row), so no
answer key, hidden label or hidden test can reach a page. Errors from services show as messages; a row
the user may not see is a 404, an action their role may not take a 403.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadre.core.exceptions import CadreError, ValidationFailed
from cadre.pipeline.selectors import get_application
from cadre.pipeline.stages import Stage
from cadre.requisitions.selectors import get_requisition, list_requisitions
from cadre.screening import selectors, services, sitting_rules
from cadre.screening.grading_services import grade_sitting
from cadre.screening.models import Assessment, Competency, Question, Sitting
from cadre.taxonomy.models import RoleFamily
from cadre.web.http import can_edit, editor_required, fetch

RUBRIC_LEVELS = (1, 2, 3, 4)
LEVEL_LABELS = {1: "Below bar", 2: "Developing", 3: "Proficient", 4: "Expert"}


def _int(raw: Any) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() else None


def _percent(raw: str) -> Decimal | None:
    """A percentage typed in a form as a share (60 -> 0.6); blank: unchanged."""
    text = str(raw or "").strip().rstrip("%")
    if not text:
        return None
    try:
        return Decimal(text) / 100
    except InvalidOperation as exc:
        raise ValidationFailed("the pass mark is a percentage from 0 to 100", field="pass_threshold") from exc


def _error(request: HttpRequest, exc: CadreError) -> None:
    messages.error(request, exc.message)


# ------------------------------------------------------------------------------------------------- chart


def competency_chart(rows: list[dict[str, Any]], threshold: Decimal | None) -> SafeString:
    """Horizontal bars, one per competency (score 0-100%), with the pass threshold as a dashed line."""
    if not rows:
        return SafeString("")
    label_w, bar_w, row_h, top = 270, 340, 26, 8
    height = top + row_h * len(rows) + 22
    bars = []
    for i, row in enumerate(rows):
        y = top + i * row_h
        score = row.get("score")
        width = 0.0 if score is None else max(0.0, min(1.0, float(score))) * bar_w
        text = "awaiting review" if score is None else f"{float(score) * 100:.0f}%"
        bars.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart-label">{} <tspan class="chart-weight">'
                "({}%)</tspan></text>"
                '<rect x="{}" y="{}" width="{}" height="14" rx="3" class="chart-track"/>'
                '<rect x="{}" y="{}" width="{}" height="14" rx="3" class="chart-bar"/>'
                '<text x="{}" y="{}" class="chart-value">{}</text>',
                label_w - 8,
                y + 11,
                row["name"],
                f"{row['share'] * 100:.0f}",
                label_w,
                y,
                bar_w,
                label_w,
                y,
                f"{width:.1f}",
                label_w + bar_w + 6,
                y + 11,
                text,
            )
        )
    marker = SafeString("")
    if threshold is not None:
        x = f"{label_w + float(threshold) * bar_w:.1f}"
        marker = format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-threshold"/>'
            '<text x="{}" y="{}" text-anchor="middle" class="chart-label">pass {}%</text>',
            x,
            top - 4,
            x,
            top + row_h * len(rows) - 8,
            x,
            top + row_h * len(rows) + 10,
            f"{float(threshold) * 100:.0f}",
        )
    return format_html(
        '<svg class="screening-chart" viewBox="0 0 {} {}" role="img" aria-label="Score per competency">'
        "{}{}</svg>",
        label_w + bar_w + 110,
        height,
        format_html_join("", "{}", ((b,) for b in bars)),
        marker,
    )


# -------------------------------------------------------------------------------------------------- home


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    sittings = selectors.list_sittings(request.user)
    context = {
        "awaiting": list(selectors.awaiting_review(request.user)[:20]),
        "recent": list(sittings[:20]),
        "counts": {
            "questions": selectors.count_questions(request.user),
            "published": selectors.assessments_visible_to(request.user)
            .filter(status=Assessment.Status.PUBLISHED)
            .count(),
            "open": sittings.filter(status__in=[Sitting.Status.INVITED, Sitting.Status.STARTED]).count(),
        },
        "can_edit": can_edit(request),
    }
    return render(request, "screening/home.html", context)


# ------------------------------------------------------------------------------------------- question bank


@login_required
@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    filters: dict[str, Any] = {
        "competency": request.GET.get("competency", ""),
        "kind": request.GET.get("kind", ""),
        "difficulty": _int(request.GET.get("difficulty")),
        "status": request.GET.get("status", Question.Status.ACTIVE),
        "q": request.GET.get("q", "").strip(),
    }
    if filters["status"] == "all":
        filters["status"] = ""
    rows = selectors.list_questions(request.user, **filters)
    context = {
        "questions": rows,
        "filters": {**filters, "status": request.GET.get("status", Question.Status.ACTIVE)},
        "competencies": Competency.choices,
        "kinds": Question.Kind.choices,
        "can_edit": can_edit(request),
    }
    return render(request, "screening/question_list.html", context)


@login_required
@require_GET
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = fetch(selectors.get_question, request.user, pk)
    context = {
        "question": selectors.public_question(question),
        "versions": selectors.question_versions(question),
        "is_latest": selectors.question_versions(question)[0]["id"] == question.pk,
        "can_edit": can_edit(request),
    }
    return render(request, "screening/question_detail.html", context)


@login_required
@require_GET
def question_file(request: HttpRequest, pk: int) -> HttpResponse:
    question = fetch(selectors.get_question, request.user, pk)
    name, data = fetch(selectors.public_file, question)
    return _download(name, data)


def _download(name: str, data: bytes) -> HttpResponse:
    kind = "application/zip" if name.endswith(".zip") else "text/plain; charset=utf-8"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _question_form_data(post: Any, question: dict[str, Any] | None) -> dict[str, Any]:
    """The edits a posted question form asks for (unchanged fields are left out of an edit)."""
    data: dict[str, Any] = {}
    for name in ("title", "prompt", "competency"):
        if name in post:
            data[name] = post.get(name, "")
    if "difficulty" in post:
        data["difficulty"] = post.get("difficulty")
    if "role_families_present" in post:
        data["role_families"] = post.getlist("role_families")
    kind = question["kind"] if question else post.get("kind", "")
    if kind == Question.Kind.MULTIPLE_CHOICE:
        choices = [line.strip() for line in post.get("choices", "").splitlines() if line.strip()]
        correct = post.get("correct", "").strip()
        old = [c["text"] for c in question["choices"]] if question else None
        if question is None or choices != old or correct:
            data["choices"] = choices
            data["correct"] = correct
    if "rubric_1" in post and kind in services.RUBRIC_KINDS:
        data["rubric"] = {str(level): post.get(f"rubric_{level}", "") for level in RUBRIC_LEVELS}
    typed = (Question.Kind.SHORT_ANSWER, Question.Kind.TAKE_HOME)
    if kind in typed and post.get("max_chars", "").strip():
        data["max_chars"] = post.get("max_chars")
    if question is not None:
        same = {
            "title": question["title"],
            "prompt": question["prompt"],
            "competency": question["competency"],
            "difficulty": str(question["difficulty"]),
            "role_families": question.get("role_families", []),
            "max_chars": str(question.get("max_chars")),
            "rubric": {str(r["level"]): r["text"] for r in question["rubric"]},
        }
        for key, value in list(data.items()):
            current = same.get(key)
            if key == "rubric" and isinstance(value, dict):
                value = {k: v.replace("\r\n", "\n").strip() for k, v in value.items()}
            if key == "prompt" and isinstance(value, str):
                value = value.replace("\r\n", "\n").strip()
            if key in same and value == current:
                del data[key]
    return data


def _form_context(
    request: HttpRequest, question: dict[str, Any] | None, posted: Any = None
) -> dict[str, Any]:
    values: dict[str, Any] = dict(question or {})
    if question:
        values["choices_text"] = "\n".join(c["text"] for c in question["choices"])
        values["rubric_by_level"] = {r["level"]: r["text"] for r in question["rubric"]}
    else:
        values.update(
            {"kind": "multiple_choice", "difficulty": 2, "role_families": [], "rubric_by_level": {}}
        )
    if posted is not None:
        values.update({k: posted.get(k) for k in ("title", "prompt", "competency", "kind") if k in posted})
        values["difficulty"] = _int(posted.get("difficulty")) or values.get("difficulty")
        values["choices_text"] = posted.get("choices", values.get("choices_text", ""))
        values["correct"] = posted.get("correct", "")
        values["role_families"] = posted.getlist("role_families")
        values["rubric_by_level"] = {lv: posted.get(f"rubric_{lv}", "") for lv in RUBRIC_LEVELS}
        values["max_chars"] = posted.get("max_chars", values.get("max_chars"))
    return {
        "question": question,
        "values": values,
        "competencies": Competency.choices,
        "kinds": [(k, label) for k, label in Question.Kind.choices if k in services.TEXT_KINDS],
        "role_families": list(RoleFamily.objects.order_by("name").values_list("slug", "name")),
        "levels": [(lv, LEVEL_LABELS[lv]) for lv in RUBRIC_LEVELS],
    }


@editor_required
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        data = _question_form_data(request.POST, None)
        try:
            question = services.create_question(
                request.user, kind=request.POST.get("kind", ""), slug=request.POST.get("slug", ""), **data
            )
        except CadreError as exc:
            _error(request, exc)
            context = _form_context(request, None, request.POST)
            return render(request, "screening/question_form.html", context, status=exc.status_code)
        messages.success(request, f"Question “{question.title}” added to the bank.")
        return redirect("screening-question-detail", pk=question.pk)
    return render(request, "screening/question_form.html", _form_context(request, None))


@editor_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = fetch(selectors.get_question, request.user, pk)
    question = selectors.public_question(row)
    if request.method == "POST":
        data = _question_form_data(request.POST, question)
        try:
            new = services.edit_question(
                request.user, row, changes=data, expected_version=_int(request.POST.get("version"))
            )
        except CadreError as exc:
            _error(request, exc)
            context = _form_context(request, question, request.POST)
            return render(request, "screening/question_form.html", context, status=exc.status_code)
        messages.success(
            request, f"Saved as version {new.version}; assessments using v{row.version} keep it."
        )
        return redirect("screening-question-detail", pk=new.pk)
    return render(request, "screening/question_form.html", _form_context(request, question))


@editor_required
@require_POST
def question_status(request: HttpRequest, pk: int) -> HttpResponse:
    row = fetch(selectors.get_question, request.user, pk)
    try:
        latest = services.set_question_status(request.user, row, status=request.POST.get("status", ""))
    except CadreError as exc:
        _error(request, exc)
        return redirect("screening-question-detail", pk=pk)
    messages.success(
        request, f"{latest.slug} v{latest.version} is now {latest.get_status_display().lower()}."
    )
    return redirect("screening-question-detail", pk=latest.pk)


# --------------------------------------------------------------------------------------------- assessments


@login_required
@require_http_methods(["GET", "POST"])
def assessment_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not can_edit(request):
            messages.error(request, "only recruiters and admins build assessments")
            return redirect("screening-assessments")
        requisition = fetch(get_requisition, request.user, _int(request.POST.get("requisition")) or 0)
        try:
            assessment = services.assemble_assessment(
                request.user, requisition, title=request.POST.get("title", "").strip()
            )
        except CadreError as exc:
            _error(request, exc)
            return redirect("screening-assessments")
        messages.success(request, "Draft assembled from the job profile: review the questions, then publish.")
        return redirect("screening-assessment-detail", pk=assessment.pk)
    requisition_id = _int(request.GET.get("requisition"))
    context = {
        "assessments": list(selectors.list_assessments(request.user, requisition_id=requisition_id)),
        "requisitions": list(list_requisitions(request.user, status="open")[:200]),
        "selected_requisition": requisition_id,
        "can_edit": can_edit(request),
    }
    return render(request, "screening/assessment_list.html", context)


def _assessment_action(request: HttpRequest, assessment: Assessment) -> HttpResponseRedirect:
    action = request.POST.get("action", "")
    user = request.user
    target = reverse("screening-assessment-detail", args=[assessment.pk])
    if action == "settings":
        limit = request.POST.get("time_limit_minutes", "").strip()
        weights = {
            key.removeprefix("weight_"): value
            for key, value in request.POST.items()
            if key.startswith("weight_")
        }
        services.update_assessment(
            user,
            assessment,
            title=request.POST.get("title"),
            time_limit_minutes=_int(limit) if limit else None,
            pass_threshold=_percent(request.POST.get("pass_percent", "")),
            weights=weights or None,
        )
        messages.success(request, "Settings saved.")
    elif action == "remove_item":
        item = assessment.items.filter(pk=_int(request.POST.get("item")) or 0).first()
        if item is None:
            messages.error(request, "that question is not in this assessment")
        else:
            services.remove_item(user, item)
            messages.success(request, "Question removed.")
    elif action == "add_item":
        question = fetch(selectors.get_question_by_ref, user, request.POST.get("question", "").strip() or "0")
        services.add_item(user, assessment, question, weight=request.POST.get("weight") or None)
        messages.success(request, f"Added {question.slug}.")
    elif action == "publish":
        services.publish_assessment(user, assessment)
        messages.success(request, "Published: candidates can now be invited. It can no longer change.")
    elif action == "new_version":
        copy = services.new_assessment_version(user, assessment)
        messages.success(request, f"Draft version {copy.version} created from version {assessment.version}.")
        target = reverse("screening-assessment-detail", args=[copy.pk])
    elif action == "archive":
        services.archive_assessment(user, assessment)
        messages.success(request, "Archived: no new invitations; existing sittings carry on.")
    else:
        messages.error(request, "unknown action")
    return HttpResponseRedirect(target)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = fetch(selectors.get_assessment, request.user, pk)
    if request.method == "POST":
        if not can_edit(request):
            messages.error(request, "only recruiters and admins change assessments")
            return redirect("screening-assessment-detail", pk=pk)
        try:
            return _assessment_action(request, assessment)
        except CadreError as exc:
            _error(request, exc)
            return redirect("screening-assessment-detail", pk=pk)
    view = selectors.assessment_view(assessment)
    in_use = {i["question"]["slug"] for i in view["items"]}
    addable = []
    if assessment.status == Assessment.Status.DRAFT and can_edit(request):
        addable = [
            q
            for q in selectors.list_questions(request.user, status=Question.Status.ACTIVE)
            if q["slug"] not in in_use
        ]
    context = {
        "assessment": view,
        "pass_percent": f"{Decimal(assessment.pass_threshold) * 100:g}"
        if assessment.pass_threshold is not None
        else "",
        "sittings": list(selectors.list_sittings(request.user, assessment_id=assessment.pk)[:50]),
        "addable": addable,
        "can_edit": can_edit(request),
        "is_draft": assessment.status == Assessment.Status.DRAFT,
    }
    return render(request, "screening/assessment_detail.html", context)


# ---------------------------------------------------------------------------------------------- sittings


@login_required
@require_http_methods(["GET", "POST"])
def application_sittings(request: HttpRequest, pk: int) -> HttpResponse:
    application = fetch(get_application, request.user, pk)
    if request.method == "POST":
        if not can_edit(request):
            messages.error(request, "only recruiters and admins invite candidates")
            return redirect("screening-application-sittings", pk=pk)
        assessment = fetch(selectors.get_assessment, request.user, _int(request.POST.get("assessment")) or 0)
        try:
            sitting, path = services.invite(
                request.user, application, assessment, valid_days=_int(request.POST.get("valid_days")) or 7
            )
        except CadreError as exc:
            _error(request, exc)
            return redirect("screening-application-sittings", pk=pk)
        messages.success(
            request,
            f"Invitation created. Send the candidate this link (valid until "
            f"{sitting.expires_at:%d %b %Y}): {request.build_absolute_uri(path)}",
        )
        return redirect("screening-sitting-detail", pk=sitting.pk)
    sittings = list(selectors.list_sittings(request.user, application_id=application.pk))
    context = {
        "application": application,
        "sittings": sittings,
        "assessments": list(selectors.published_assessments_for(request.user, application)),
        "can_edit": can_edit(request),
    }
    return render(request, "screening/application_sittings.html", context)


def _sitting_action(request: HttpRequest, sitting: Sitting) -> None:
    action = request.POST.get("action", "")
    user = request.user
    if action == "grade":
        submission = fetch(
            services.get_submission_for_grading, user, sitting, _int(request.POST.get("submission")) or 0
        )
        services.grade_rubric(
            user, submission, level=request.POST.get("level"), note=request.POST.get("note", "")
        )
        messages.success(request, "Grade saved.")
    elif action == "decide":
        services.decide_sitting(
            user, sitting, to_stage=request.POST.get("to_stage", ""), reason=request.POST.get("reason", "")
        )
        messages.success(request, "Decision recorded and the application moved.")
    elif action == "cancel":
        services.cancel_sitting(user, sitting)
        messages.success(request, "Invitation withdrawn: the link no longer works.")
    elif action == "extend":
        services.extend_sitting(user, sitting, days=_int(request.POST.get("days")) or 0)
        messages.success(request, "Link extended.")
    elif action == "regrade":
        if not can_edit(request):
            messages.error(request, "only recruiters and admins run grading")
            return
        grade_sitting(sitting)
        messages.success(request, "Automatic grading run.")
    else:
        messages.error(request, "unknown action")


@login_required
@require_http_methods(["GET", "POST"])
def sitting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = fetch(selectors.get_sitting, request.user, pk)
    if request.method == "POST":
        try:
            _sitting_action(request, sitting)
        except ValidationFailed as exc:
            if request.POST.get("action") != "grade":
                _error(request, exc)
                return redirect("screening-sitting-detail", pk=pk)
            # A rubric grade that could not be saved: the page again, with the reason at the top and next
            # to that answer's form (kept open), so nothing happens silently.
            message = f"Grade not saved: {exc.message}."
            messages.error(request, message)
            grade_error = {"submission": _int(request.POST.get("submission")), "message": message}
            return _render_sitting(request, sitting, grade_error=grade_error, status=422)
        except CadreError as exc:
            _error(request, exc)
        return redirect("screening-sitting-detail", pk=pk)
    return _render_sitting(request, sitting)


def _render_sitting(
    request: HttpRequest, sitting: Sitting, *, grade_error: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    view = selectors.sitting_view(sitting)
    states = sitting_rules.upload_states(sitting)
    for item in view["items"]:  # a later file with problems is not what was graded: say so
        state = states.get(item["id"])
        rejected = state.rejected_latest if state else None
        item["rejected_later"] = (
            {"name": rejected.upload_name, "attempt": rejected.attempt, "errors": list(rejected.errors)}
            if rejected is not None
            else None
        )
    editor = can_edit(request)
    context = {
        "sitting": view,
        "chart": competency_chart(view["by_competency"], sitting.assessment.pass_threshold)
        if sitting.status == Sitting.Status.GRADED or view["by_competency"]
        else "",
        "link": request.build_absolute_uri(selectors.sitting_link(sitting))
        if editor
        and sitting.status in (Sitting.Status.INVITED, Sitting.Status.STARTED, Sitting.Status.EXPIRED)
        else "",
        "can_edit": editor,
        "can_grade": request.user.role != "compliance_officer",  # type: ignore[union-attr]
        "can_decide": editor
        and sitting.status == Sitting.Status.GRADED
        and not view["decision"]
        and sitting.application.stage == Stage.SCREENING,
        "levels": [(lv, LEVEL_LABELS[lv]) for lv in RUBRIC_LEVELS],
        "decision_stages": [(s.value, s.label) for s in services.DECISION_STAGES],
        "grade_error": grade_error,
    }
    return render(request, "screening/sitting_detail.html", context, status=status)
