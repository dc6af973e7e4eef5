"""Web pages for compliance: placement gates of one application.

/compliance/applications/<pk>/gates/ lists each gate (status re-checked today, details, reason, who and
when), a form per gate to record what was checked (htmx), the override form for compliance officers,
and the application's classification assessments with a review button. Hiring managers read their
clients' applications only; others' are a 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_POST

from cadre.compliance import gate_services, gates
from cadre.compliance.models import ClassificationAssessment
from cadre.core.exceptions import CadreError, NotFound
from cadre.pipeline.models import Application
from cadre.pipeline.selectors import get_application
from cadre.taxonomy.models import ClearanceLevel
from cadre.web.http import fetch, fragment, is_htmx

YES_NO = [("", "— not stated —"), ("true", "Yes"), ("false", "No")]

# What each gate's form asks: (name, label, type, options/help). Dotted names nest ("carve_outs.x").
FORM_FIELDS: dict[str, list[tuple[str, str, str, Any]]] = {
    gates.IP_ASSIGNMENT: [
        ("signed_on", "Signed on", "date", None),
        ("signatory", "Signatory", "text", None),
        ("work_state", "Work state (US, 2 letters)", "text", "e.g. CA; decides the statutory notice"),
        (
            "statutory_notice_included",
            "Agreement carries the state's statutory notice (e.g. Cal. Lab. Code §§2870–2872)",
            "checkbox",
            None,
        ),
        ("prior_inventions", "Prior inventions (one per line)", "lines", None),
        ("prior_inventions_none", "Declared: no prior inventions", "checkbox", None),
        ("carve_outs.open_source", "Open-source carve-out", "select", YES_NO),
        ("carve_outs.open_source_note", "Open-source carve-out scope", "text", None),
        ("carve_outs.publication", "Publication carve-out", "select", YES_NO),
        ("carve_outs.publication_note", "Publication carve-out scope", "text", None),
    ],
    gates.CLEARANCE: [
        ("level", "Level held", "select", [("", "—"), *ClearanceLevel.choices]),
        ("agency", "Granting agency", "text", None),
        ("expires_on", "Expires on", "date", None),
        ("verified_on", "Verified on", "date", None),
    ],
    gates.WORK_AUTHORIZATION: [
        ("country", "Authorized in (ISO country)", "text", None),
        ("document_type", "Document type", "text", "e.g. US passport, green card, EAD, H-1B"),
        ("citizen", "Citizen (no expiry)", "checkbox", None),
        ("sponsorship", "Sponsored by the client", "checkbox", None),
        ("expires_on", "Expires on", "date", None),
        ("verified_on", "Verified on", "date", None),
    ],
    gates.BACKGROUND_CHECK: [
        ("completed_on", "Completed on", "date", None),
        ("provider", "Provider", "text", None),
        ("result", "Result", "select", [("", "—"), ("clear", "Clear"), ("consider", "Consider")]),
        ("adjudicated", "Individually adjudicated", "checkbox", None),
        ("adjudication_note", "Adjudication note", "textarea", None),
    ],
}
BOOLEAN_SELECTS = {"carve_outs.open_source", "carve_outs.publication"}


def _lookup(details: Mapping[str, Any], name: str) -> Any:
    value: Any = details
    for part in name.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _assign(details: dict[str, Any], name: str, value: Any) -> None:
    *parents, last = name.split(".")
    target = details
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


def details_from_post(kind: str, post: QueryDict) -> dict[str, Any]:
    """Turn a gate form into the details JSON the rules read (blank fields are left out)."""
    details: dict[str, Any] = {}
    for name, _label, kind_of_field, _extra in FORM_FIELDS.get(kind, []):
        raw = post.get(name, "")
        if name == "prior_inventions_none":
            continue
        if kind_of_field == "checkbox":
            _assign(details, name, bool(raw))
        elif kind_of_field == "lines":
            lines = [line.strip() for line in raw.splitlines() if line.strip()]
            if lines:
                _assign(details, name, lines[:200])
            elif post.get(f"{name}_none"):
                _assign(details, name, [])
        elif name in BOOLEAN_SELECTS:
            if raw in {"true", "false"}:
                _assign(details, name, raw == "true")
        elif raw.strip():
            _assign(details, name, raw.strip()[:2000])
    return details


def _form_fields(kind: str, details: Mapping[str, Any]) -> list[dict[str, Any]]:
    fields = []
    for name, label, kind_of_field, extra in FORM_FIELDS.get(kind, []):
        value = _lookup(details, name)
        if name == "prior_inventions_none":
            value = _lookup(details, "prior_inventions") == []
        elif kind_of_field == "lines":
            value = "\n".join(
                str(v.get("title", "")) if isinstance(v, Mapping) else str(v) for v in (value or [])
            )
        elif name in BOOLEAN_SELECTS:
            value = "" if value is None else ("true" if value else "false")
        fields.append(
            {
                "name": name,
                "id": f"gate-{kind}-{name.replace('.', '-')}",
                "label": label,
                "type": kind_of_field,
                "value": "" if value is None else value,
                "options": extra if kind_of_field == "select" else None,
                "help": extra if isinstance(extra, str) else "",
            }
        )
    return fields


def _detail_items(details: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Flat (label, value) pairs of recorded details for display."""
    items: list[tuple[str, str]] = []
    for key, value in details.items():
        if key == "evaluation":
            continue
        if isinstance(value, Mapping):
            items.extend(
                (f"{key.replace('_', ' ')}: {k.replace('_', ' ')}", _show(v)) for k, v in value.items()
            )
        else:
            items.append((key.replace("_", " "), _show(value)))
    return items


def _show(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "—"
    if isinstance(value, list):
        return "; ".join(_show(v) for v in value) if value else "none declared"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    return str(value)


def gates_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    states = gate_services.gate_states(application)
    user = request.user
    can_record = gate_services.can_record_gates(user)
    rows = []
    for state in states:
        details = state.gate.details or {}
        rows.append(
            {
                "state": state,
                "details": _detail_items(details),
                "notes": list(state.notes) or list((details.get("evaluation") or {}).get("notes") or []),
                "fields": _form_fields(state.kind, details) if can_record else [],
                "can_override": gate_services.can_override_gates(user)
                and state.required
                and state.status not in gate_services.CLEARED,
            }
        )
    assessments = list(
        ClassificationAssessment.objects.filter(application=application)
        .select_related("created_by", "reviewed_by")
        .order_by("-created_at", "-id")
    )
    blocking = gate_services.blocking_gates(states)
    return {
        "application": application,
        "rows": rows,
        "blocking": blocking,
        "assessments": assessments,
        "can_record": can_record,
        "can_override": gate_services.can_override_gates(user),
        "gate_version": gates.GATE_VERSION,
        "gate_error": "",
        "gate_error_kind": "",
        "gate_notice": "",
        **extra,
    }


def _panel(
    request: HttpRequest,
    application: Application,
    *,
    error: str = "",
    kind: str = "",
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        elif notice:
            messages.success(request, notice)
        return redirect("application-gates", pk=application.pk)
    context = gates_context(request, application, gate_error=error, gate_error_kind=kind, gate_notice=notice)
    return fragment(render(request, "compliance/gates_panel.html", context), status)


@require_GET
@login_required
def application_gates(request: HttpRequest, pk: int) -> HttpResponse:
    application = fetch(get_application, request.user, pk)
    return render(request, "compliance/gates.html", gates_context(request, application))


@require_POST
@login_required
def gate_record(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    application = fetch(get_application, request.user, pk)
    try:
        gate = gate_services.record_gate(
            request.user, application, kind, details_from_post(kind, request.POST)
        )
    except CadreError as exc:
        return _panel(request, application, error=exc.message, kind=kind, status=exc.status_code)
    label = gates.KIND_LABELS[gate.kind]
    outcome = "passed" if gate.status == "passed" else f"failed: {gate.reason}"
    return _panel(request, application, notice=f"{label} recorded — {outcome}")


@require_POST
@login_required
def gate_override(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    application = fetch(get_application, request.user, pk)
    try:
        gate = gate_services.override_gate(request.user, application, kind, request.POST.get("reason", ""))
    except CadreError as exc:
        return _panel(request, application, error=exc.message, kind=kind, status=exc.status_code)
    return _panel(request, application, notice=f"{gates.KIND_LABELS[gate.kind]} overridden.")


def _assessment_of(user: Any, application: Application, assessment_pk: int) -> ClassificationAssessment:
    assessment = ClassificationAssessment.objects.filter(pk=assessment_pk, application=application).first()
    if assessment is None:
        raise NotFound(f"classification assessment {assessment_pk} not found")
    return assessment


@require_POST
@login_required
def classification_review(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    application = fetch(get_application, request.user, pk)
    assessment = fetch(_assessment_of, request.user, application, assessment_pk)
    try:
        gate_services.review_classification(request.user, assessment, request.POST.get("note", ""))
    except CadreError as exc:
        return _panel(
            request, application, error=exc.message, kind=gates.CLASSIFICATION, status=exc.status_code
        )
    return _panel(request, application, notice=f"Classification assessment #{assessment.pk} reviewed.")


urlpatterns: list[URLPattern] = [
    path("compliance/applications/<int:pk>/gates/", application_gates, name="application-gates"),
    path(
        "compliance/applications/<int:pk>/gates/<str:kind>/record/",
        gate_record,
        name="application-gate-record",
    ),
    path(
        "compliance/applications/<int:pk>/gates/<str:kind>/override/",
        gate_override,
        name="application-gate-override",
    ),
    path(
        "compliance/applications/<int:pk>/classifications/<int:assessment_pk>/review/",
        classification_review,
        name="application-classification-review",
    ),
]
