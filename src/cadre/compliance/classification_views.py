"""Web pages for compliance: the worker-classification questionnaire and its result, saved assessments,
and the registry of rule sets.

`/compliance/classify/` shows the questionnaire by section (pre-filled from `?application=` or
`?requisition=`); a POST classifies and renders the result on the same page, storing a draft assessment
when the engagement is an application's or a requisition's. The result partial is shared with
`/compliance/classifications/<pk>/`. Scoping first (an application or requisition the user cannot see is
a 404), then the role (hiring managers get a 403).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cadre.compliance.classification import (
    BOOL,
    NUMBER,
    QUESTION_BY_ID,
    QUESTIONS,
    TEXT,
    Question,
    rule_set_registry,
)
from cadre.compliance.classification_services import (
    AnswersInvalid,
    get_assessment,
    prefill_from_requisition,
    require_classifier,
    run_classification,
)
from cadre.compliance.models import ClassificationAssessment
from cadre.core.exceptions import CadreError, Forbidden
from cadre.pipeline.models import Application
from cadre.pipeline.selectors import get_application
from cadre.requisitions.models import Requisition
from cadre.requisitions.selectors import get_requisition
from cadre.web.http import fetch

RISK_CLASSES = {
    "low": "risk-low",
    "medium": "risk-medium",
    "high": "risk-high",
    "very high": "risk-very-high",
}
ESTIMATE_BADGE = "Estimate — not legal advice"
EARLIER_SHOWN = 10


def _int(raw: Any) -> int | None:
    raw = str(raw or "").strip()
    return int(raw) if raw.isdigit() else None


def _require_classifier(user: Any) -> None:
    try:
        require_classifier(user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc


def gates_url(application_id: int) -> str:
    """The application's placement-gates page (built in compliance.gate_views)."""
    return f"/compliance/applications/{application_id}/gates/"


# -- the questionnaire as a form ---------------------------------------------------------------------


def _raw(question: Question, value: Any) -> str:
    """An answer as the form shows it: "yes"/"no" for booleans, numbers without a trailing .0."""
    if value is None:
        return ""
    if question.type == BOOL:
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return str(value)
    if question.type == NUMBER and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}" if float(value).is_integer() else str(value)
    return str(value)


def answers_from_form(data: Any) -> dict[str, Any]:
    """The answers in a POSTed questionnaire. Blank, "unknown" and "not answered" are left out; a value
    that does not parse is passed on as typed, so the engine reports it with every other problem."""
    answers: dict[str, Any] = {}
    for q in QUESTIONS:
        raw = str(data.get(q.id, "") or "").strip()
        if not raw or (q.type == BOOL and raw == "unknown"):
            continue
        if q.type == BOOL:
            answers[q.id] = {"yes": True, "no": False}.get(raw, raw)
        elif q.type == NUMBER:
            try:
                number = float(raw)
            except ValueError:
                answers[q.id] = raw
                continue
            answers[q.id] = int(number) if number.is_integer() else number
        else:
            answers[q.id] = raw
    return answers


def _field_errors(errors: list[str]) -> dict[str, list[str]]:
    """Each engine error under the question it is about ("hours_per_week: ..." or "... 'work_state'...")."""
    by_field: dict[str, list[str]] = {}
    for error in errors:
        head = error.split(":", 1)[0]
        question = head if head in QUESTION_BY_ID else None
        if question is None:
            question = next((q for q in QUESTION_BY_ID if f"'{q}'" in error), None)
        if question is not None:
            by_field.setdefault(question, []).append(error)
    return by_field


def questionnaire_sections(raw: dict[str, str], field_errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The questions grouped by section, in questionnaire order, each with its current form value."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for q in QUESTIONS:
        value = raw.get(q.id, "")
        if q.type == BOOL and value not in ("yes", "no"):
            value = "unknown"
        sections.setdefault(q.section, []).append(
            {
                "id": q.id,
                "text": q.text,
                "type": q.type,
                "help": q.help,
                "required": q.required,
                "choices": q.choices,
                "minimum": q.minimum,
                "maximum": q.maximum,
                "value": value,
                # A choice posted that is not one of the options stays visible (and selected) until fixed.
                "invalid_choice": bool(q.choices and value and value not in q.choice_values),
                "errors": field_errors.get(q.id, []),
                "wide": q.type == TEXT,
            }
        )
    return [{"name": name, "questions": questions} for name, questions in sections.items()]


# -- presenting a result -------------------------------------------------------------------------------


def _usd(amount: Any) -> str:
    try:
        return f"${Decimal(str(amount)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(amount)


def _date(iso: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso) if iso else None
    except (TypeError, ValueError):
        return None


def _rule_set(meta: dict[str, Any]) -> dict[str, Any]:
    return {
        **meta,
        "effective_from_date": _date(meta.get("effective_from")),
        "effective_to_date": _date(meta.get("effective_to")),
    }


def _exposure(exposure: dict[str, Any]) -> dict[str, Any]:
    flsa = dict(exposure.get("flsa") or {})
    if flsa.get("computed"):
        flsa["owed_per_overtime_hour_usd"] = _usd(flsa.get("owed_per_overtime_hour"))
        flsa["owed_per_week_usd"] = _usd(flsa.get("owed_per_week"))
        flsa["hourly_rate_usd"] = _usd(flsa.get("inputs", {}).get("hourly_rate"))
        flsa["convention_label"] = str(flsa.get("inputs", {}).get("convention", "")).replace("_", " ")
        flsa["windows"] = [
            {
                **w,
                "back_wages_usd": _usd(w["back_wages"]),
                "liquidated_damages_usd": _usd(w["liquidated_damages"]),
                "total_usd": _usd(w["total"]),
            }
            for w in flsa.get("windows", [])
        ]
    ca = exposure.get("california_226_8")
    if ca:
        willful, pattern = ca["willful_per_violation"], ca["pattern_or_practice_per_violation"]
        ca = {
            **ca,
            "willful_text": f"{_usd(willful['min'])} – {_usd(willful['max'])} per violation",
            "pattern_text": f"{_usd(pattern['min'])} – {_usd(pattern['max'])} per violation",
        }
    return {**exposure, "flsa": flsa, "california_226_8": ca}


def present_result(result: dict[str, Any]) -> dict[str, Any]:
    """An engine result (ClassificationResult.as_dict()) as the result partial reads it."""
    risk = result.get("risk") or {}
    triggers = result.get("reevaluation_triggers") or []
    unanswered = [
        {"id": q, "text": QUESTION_BY_ID[q].text if q in QUESTION_BY_ID else q}
        for q in result.get("unanswered") or []
    ]
    regimes = []
    for regime in result.get("regimes") or []:
        factors = [
            {
                **f,
                "not_answered_text": [
                    QUESTION_BY_ID[q].text for q in f.get("not_answered", []) if q in QUESTION_BY_ID
                ],
            }
            for f in regime.get("factors", [])
        ]
        regimes.append({**regime, "rule_set": _rule_set(regime["rule_set"]), "factors": factors})
    return {
        **result,
        "as_of_date": _date(result.get("as_of")),
        "risk": {**risk, "css": RISK_CLASSES.get(risk.get("level", ""), "risk-medium")},
        "regimes": regimes,
        "triggers_now": [t for t in triggers if t.get("status") == "now"],
        "triggers_watch": [t for t in triggers if t.get("status") != "now"],
        "unanswered_questions": unanswered,
        "exposure": _exposure(result.get("exposure") or {}),
        "estimate_badge": ESTIMATE_BADGE,
    }


def answer_rows(answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Saved answers in questionnaire order, each with its question and a readable answer."""
    rows = []
    for q in QUESTIONS:
        if q.id not in answers:
            continue
        value = answers[q.id]
        shown = dict(q.choices).get(value, value) if q.choices else value
        if q.type == BOOL and isinstance(value, bool):
            shown = "Yes" if value else "No"
        rows.append({"id": q.id, "text": q.text, "answer": shown})
    return rows


# -- pages -------------------------------------------------------------------------------------------------


def _earlier(
    application: Application | None, requisition: Requisition | None
) -> list[ClassificationAssessment]:
    if application is not None:
        qs = ClassificationAssessment.objects.filter(application=application)
    elif requisition is not None:
        qs = ClassificationAssessment.objects.filter(requisition=requisition, application__isnull=True)
    else:
        return []
    return list(qs.select_related("created_by").order_by("-created_at", "-id")[:EARLIER_SHOWN])


@login_required
@require_http_methods(["GET", "POST"])
def classify(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    application_id, requisition_id = _int(source.get("application")), _int(source.get("requisition"))
    application = fetch(get_application, request.user, application_id) if application_id else None
    requisition = fetch(get_requisition, request.user, requisition_id) if requisition_id else None
    _require_classifier(request.user)
    if requisition is None and application is not None:
        requisition = application.requisition

    errors: list[str] = []
    result: dict[str, Any] | None = None
    assessment: ClassificationAssessment | None = None
    status = 200
    today = timezone.localdate()
    as_of_raw = str(source.get("as_of", "") or "").strip()

    if request.method == "POST":
        answers = answers_from_form(request.POST)
        raw = {q.id: str(request.POST.get(q.id, "") or "").strip() for q in QUESTIONS}
        as_of = today
        if as_of_raw:
            parsed = _date(as_of_raw)
            if parsed is None:
                errors.append(f"as of: {as_of_raw!r} is not a date (YYYY-MM-DD)")
            else:
                as_of = parsed
        if not errors:
            try:
                result, assessment = run_classification(
                    request.user,
                    answers,
                    application=application,
                    requisition=requisition,
                    as_of=as_of,
                )
            except AnswersInvalid as exc:
                errors = exc.errors
            except CadreError as exc:
                errors = [exc.message]
        if errors:
            status = 422
    else:
        prefill = prefill_from_requisition(requisition) if requisition is not None else {}
        raw = {q.id: _raw(q, prefill.get(q.id)) for q in QUESTIONS}

    context = {
        "sections": questionnaire_sections(raw, _field_errors(errors)),
        "errors": errors,
        "result": present_result(result) if result is not None else None,
        "assessment": assessment,
        "application": application,
        "requisition": requisition,
        "as_of": as_of_raw or today.isoformat(),
        "earlier": [
            a for a in _earlier(application, requisition) if assessment is None or a.pk != assessment.pk
        ],
        "gates_url": gates_url(application.pk) if application is not None else "",
    }
    return render(request, "compliance/classify.html", context, status=status)


@login_required
@require_GET
def classification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = fetch(get_assessment, request.user, pk)
    application = assessment.application
    context = {
        "assessment": assessment,
        "application": application,
        "requisition": assessment.requisition or (application.requisition if application else None),
        "result": present_result(assessment.result),
        "answers": answer_rows(assessment.answers or {}),
        "gates_url": gates_url(application.pk) if application is not None else "",
        "rerun_query": (
            f"application={application.pk}"
            if application is not None
            else f"requisition={assessment.requisition_id}"
            if assessment.requisition_id
            else ""
        ),
    }
    return render(request, "compliance/classification_detail.html", context)


@login_required
@require_GET
def rule_sets(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    listing = []
    for meta in rule_set_registry():
        row = _rule_set(meta)
        start, end = row["effective_from_date"], row["effective_to_date"]
        row["in_effect"] = bool(start and start <= today and (end is None or today <= end))
        listing.append(row)
    return render(request, "compliance/rule_sets.html", {"rule_sets": listing, "today": today})


urlpatterns: list[URLPattern] = [
    path("compliance/classify/", classify, name="compliance-classify"),
    path(
        "compliance/classifications/<int:pk>/",
        classification_detail,
        name="compliance-classification-detail",
    ),
    path("compliance/rule-sets/", rule_sets, name="compliance-rule-sets"),
]
