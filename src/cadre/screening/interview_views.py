"""Web pages for structured interviews: the interview kit, an interviewer's scorecard, the application's
interview summary with the decision-rule outcome, the decision rules of a requisition (or the default),
and the calibration page (inter-rater reliability and rater severity) for the hiring team.

Pages are thin: services write (and audit), selectors read with client scoping and the blind rule.
Scoping first (another client's application or interview is a 404), then the role (a 403); a problem
with what was posted re-renders the form with every message and what was typed kept (422), or, for the
small forms on the summary page, comes back as a message.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadre.core import roles
from cadre.core.exceptions import CadreError, ValidationFailed
from cadre.core.models import DecisionRecord
from cadre.core.services import require_editor
from cadre.pipeline.selectors import get_application
from cadre.requisitions.models import Requisition
from cadre.requisitions.selectors import get_requisition
from cadre.screening import calibration_charts as charts
from cadre.screening import decisions, interview_selectors, interview_services, reliability
from cadre.screening.interview_selectors import Calibration, display_name
from cadre.screening.interview_services import ScorecardInvalid
from cadre.screening.models import DecisionRuleSet, Interview, Scorecard
from cadre.web.http import fetch

RECOMMENDATION_CLASSES = {
    "strong_no": "rec-strong-no",
    "no": "rec-no",
    "yes": "rec-yes",
    "strong_yes": "rec-strong-yes",
}
OUTCOME_CLASSES = {"advance": "outcome-advance", "reject": "outcome-reject", "hold": "outcome-hold"}
ALPHA_BANDS = [
    ("reliable", f"α ≥ {reliability.RELIABLE:.3f}", "ratings agree well enough to rely on"),
    (
        "tentative",
        f"{reliability.TENTATIVE:.3f} ≤ α < {reliability.RELIABLE:.3f}",
        "draw only tentative conclusions; recalibrate on the anchors",
    ),
    (
        "unreliable",
        f"α < {reliability.TENTATIVE:.3f}",
        "interviewers disagree: the rubric is not applied alike",
    ),
]


def _int(raw: Any) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() else None


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if str(v).strip().isdigit()]


def _fail(request: HttpRequest, exc: CadreError) -> None:
    messages.error(request, exc.message)


def summary_url(application_id: int) -> str:
    return reverse("screening-application-interviews", args=[application_id])


# ------------------------------------------------------------------------------------------ presenting


def _levels(comp: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(lv) for lv in comp.get("levels", [])]


def kit_view(interview: Interview) -> dict[str, Any]:
    """The kit snapshot as the kit page reads it: questions in order with their competency's name, and
    each competency's rubric with the expected level marked."""
    kit = interview.kit or {}
    comps = interview_services.kit_competencies(interview)
    names = {str(c.get("slug")): str(c.get("name")) for c in comps}
    questions = [
        {**q, "number": i + 1, "competency_name": names.get(str(q.get("competency")), q.get("competency"))}
        for i, q in enumerate(kit.get("questions", []))
    ]
    rubric = []
    for comp in comps:
        expected = comp.get("expected_level")
        rubric.append(
            {
                **comp,
                "levels": [lv | {"expected": lv.get("level") == expected} for lv in _levels(comp)],
                "questions": [q["number"] for q in questions if q.get("competency") == comp.get("slug")],
            }
        )
    library = interview_selectors.competency_names()
    return {
        "title": kit.get("title") or interview.get_stage_display(),
        "purpose": kit.get("purpose", ""),
        "minutes": kit.get("minutes"),
        "planned_minutes": kit.get("planned_minutes"),
        "role_family": kit.get("role_family", ""),
        "seniority": kit.get("seniority", ""),
        "version": kit.get("version") or interview.framework_version,
        "digest": str(kit.get("digest", ""))[:12],
        "instructions": kit.get("instructions", []),
        "notes": kit.get("notes", []),
        "not_covered": [library.get(s, s) for s in kit.get("not_covered", [])],
        "questions": questions,
        "rubric": rubric,
    }


def scorecard_view(card: Scorecard, interview: Interview) -> dict[str, Any]:
    """A readable scorecard: every kit competency (in kit order) with its level, label and evidence."""
    rated = interview_selectors.scorecard_ratings(card)
    rows = []
    for comp in interview_services.kit_competencies(interview):
        slug = str(comp.get("slug"))
        rating = rated.get(slug)
        labels = {lv.get("level"): lv.get("label", "") for lv in comp.get("levels", [])}
        rows.append(
            {
                "slug": slug,
                "name": comp.get("name", slug),
                "expected": comp.get("expected_level"),
                "level": rating.level if rating else None,
                "label": labels.get(rating.level, "") if rating else "",
                "evidence": rating.evidence if rating else "",
                "below_bar": bool(
                    rating and comp.get("expected_level") and rating.level < comp["expected_level"]
                ),
            }
        )
    return {
        "card": card,
        "interviewer": display_name(card.interviewer),
        "recommendation": card.get_recommendation_display() if card.recommendation else "",
        "recommendation_class": RECOMMENDATION_CLASSES.get(card.recommendation, ""),
        "rows": rows,
    }


def decision_view(record: DecisionRecord | None, current: bool | None = None) -> dict[str, Any] | None:
    if record is None:
        return None
    data = record.explanation or {}
    reasons = []
    for r in data.get("reasons", []):
        reasons.append(
            {
                **r,
                "deciding": r.get("rule_id") == data.get("decided_by") and r.get("fired"),
                "outcome_class": OUTCOME_CLASSES.get(str(r.get("outcome")), ""),
            }
        )
    return {
        "record": record,
        "outcome": data.get("outcome", ""),
        "outcome_class": OUTCOME_CLASSES.get(str(data.get("outcome")), ""),
        "explanation": data.get("explanation", ""),
        "insufficient": data.get("insufficient", False),
        "reasons": reasons,
        "rule_set": data.get("rule_set", {}),
        "n_scorecards": data.get("n_scorecards"),
        "n_interviewers": data.get("n_interviewers"),
        "digest": record.inputs_digest[:12],
        "actor": display_name(record.actor) if record.actor_id else "system",
        "current": current,
        "note": data.get("note", interview_services.ADVISORY_NOTE),
    }


def rules_view(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each rule with its conditions in words (the decision module's canonical form)."""
    parsed = decisions.parse_rules(rules)
    out: list[dict[str, Any]] = []
    if parsed.min_interviewers_id:
        out.append(
            {
                "id": parsed.min_interviewers_id,
                "description": parsed.min_interviewers_description,
                "outcome": "hold",
                "outcome_class": OUTCOME_CLASSES["hold"],
                "conditions": [f"fewer than {parsed.min_interviewers} interviewers have submitted"],
                "precondition": True,
            }
        )
    for rule in parsed.rules:
        out.append(
            {
                "id": rule.id,
                "description": rule.description,
                "outcome": rule.outcome,
                "outcome_class": OUTCOME_CLASSES.get(rule.outcome, ""),
                "conditions": [_condition_text(c) for c in rule.when] or ["always"],
                "precondition": False,
            }
        )
    return out


def _condition_text(c: decisions.Condition) -> str:
    value = f"{c.value:g}"
    if c.metric == "interviewers":
        return f"interviewers who submitted {c.op} {value}"
    if c.metric == "recommendations":
        names = " or ".join(decisions.RECOMMENDATION_LABELS[r] for r in c.of)
        what = "share of scorecards" if c.measure == "share" else "scorecards"
        return f"{what} with {names} {c.op} {value}"
    selector = c.competencies if isinstance(c.competencies, str) else ", ".join(c.competencies)
    selector = {"must_have": "must-have"}.get(selector, selector)
    if c.metric == "competency":
        return f"{c.quantifier} {selector} competencies: {c.stat} level {c.op} {value}"
    kind = "weighted mean" if c.weighted else "mean"
    return f"{kind} level of {selector} competencies {c.op} {value}"


# ------------------------------------------------------------------------------------------ kit


@login_required
@require_GET
def interview_kit(request: HttpRequest, pk: int) -> HttpResponse:
    interview = fetch(interview_selectors.get_interview, request.user, pk)
    application = interview.application
    context = {
        "interview": interview,
        "application": application,
        "kit": kit_view(interview),
        "is_interviewer": any(u.pk == request.user.pk for u in interview.interviewers.all()),
        "interviewers": [display_name(u) for u in interview.interviewers.all()],
    }
    return render(request, "screening/interview_kit.html", context)


# ------------------------------------------------------------------------------------------ scorecard


def _form_rows(
    interview: Interview, values: dict[str, tuple[str, str]], errors: list[str]
) -> list[dict[str, Any]]:
    rows = []
    for comp in interview_services.kit_competencies(interview):
        slug = str(comp.get("slug"))
        name = str(comp.get("name", slug))
        level, evidence = values.get(slug, ("", ""))
        rows.append(
            {
                "slug": slug,
                "name": name,
                "expected": comp.get("expected_level"),
                "must_have": comp.get("must_have", False),
                "levels": _levels(comp),
                "level": level,
                "evidence": evidence,
                "errors": [e for e in errors if e.startswith(f"{name}:")],
            }
        )
    return rows


def _posted_ratings(request: HttpRequest, interview: Interview) -> list[dict[str, str]]:
    return [
        {
            "competency": slug,
            "level": str(request.POST.get(f"level_{slug}", "") or "").strip(),
            "evidence": str(request.POST.get(f"evidence_{slug}", "") or ""),
        }
        for slug in interview_services.kit_slugs(interview)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    """The viewer's own scorecard for the interview: a form while a draft, read-only once submitted, and
    then the other interviewers' submitted scorecards (blind until the viewer's own is in)."""
    interview = fetch(interview_selectors.get_interview, request.user, pk)
    if not any(u.pk == request.user.pk for u in interview.interviewers.all()):
        raise PermissionDenied("only the interviewers assigned to this interview fill its scorecards")
    errors: list[str] = []
    status = 200
    card = interview_selectors.my_scorecard(request.user, interview)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        ratings = _posted_ratings(request, interview)
        recommendation = str(request.POST.get("recommendation", "") or "")
        summary = str(request.POST.get("summary", "") or "")
        try:
            card = card or interview_services.start_scorecard(request.user, interview)
            if action == "submit":
                interview_services.submit_scorecard(
                    request.user, card, ratings=ratings, recommendation=recommendation, summary=summary
                )
                messages.success(request, "Scorecard submitted. It is locked now; the others' are visible.")
            else:
                interview_services.save_scorecard(
                    request.user, card, ratings=ratings, recommendation=recommendation, summary=summary
                )
                messages.success(request, "Draft saved. Only you can see it until you submit.")
            return HttpResponseRedirect(reverse("screening-scorecard", args=[interview.pk]))
        except ScorecardInvalid as exc:
            errors = exc.errors
        except CadreError as exc:
            errors = [exc.message]
        status = 422
        values = {r["competency"]: (r["level"], r["evidence"]) for r in ratings}
        form = {"recommendation": recommendation, "summary": summary}
        card = interview_selectors.my_scorecard(request.user, interview)
    else:
        rated = interview_selectors.scorecard_ratings(card) if card else {}
        values = {slug: (str(r.level), r.evidence) for slug, r in rated.items()}
        form = {
            "recommendation": card.recommendation if card else "",
            "summary": card.summary if card else "",
        }
    submitted = card is not None and card.status == Scorecard.Status.SUBMITTED
    others = []
    if submitted:
        others = [
            scorecard_view(c, interview)
            for c in interview_selectors.visible_scorecards(request.user, interview)
            if c.interviewer_id != request.user.pk
        ]
    context = {
        "interview": interview,
        "application": interview.application,
        "kit": kit_view(interview),
        "card": card,
        "submitted": submitted,
        "mine": scorecard_view(card, interview) if submitted and card else None,
        "others": others,
        "rows": _form_rows(interview, values, errors),
        "form": form,
        "errors": errors,
        "recommendations": Scorecard.Recommendation.choices,
        "min_evidence": interview_services.MIN_EVIDENCE_CHARS,
        "pending_others": len(
            {u.pk for u in interview.interviewers.all()}
            - {request.user.pk}
            - set(
                interview.scorecards.filter(status=Scorecard.Status.SUBMITTED).values_list(
                    "interviewer_id", flat=True
                )
            )
        ),
    }
    return render(request, "screening/interview_scorecard.html", context, status=status)


# ------------------------------------------------------------------------------------------ summary


@login_required
@require_http_methods(["GET", "POST"])
def application_interviews(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the application's interviews, scorecards and decision. POST (admins, recruiters): a new
    interview at a stage with its interviewers."""
    if request.method == "POST":
        application = fetch(get_application, request.user, pk)
        scheduled_raw = str(request.POST.get("scheduled_at", "") or "").strip()
        try:
            scheduled = None
            if scheduled_raw:
                scheduled = parse_datetime(scheduled_raw)
                if scheduled is None:
                    raise ValidationFailed(
                        f"scheduled at: {scheduled_raw!r} is not a date and time", field="scheduled_at"
                    )
                if timezone.is_naive(scheduled):
                    scheduled = timezone.make_aware(scheduled)
            interview = interview_services.create_interview(
                request.user,
                application,
                stage=str(request.POST.get("stage", "")),
                interviewers=_ints(request.POST.getlist("interviewers")),
                scheduled_at=scheduled,
            )
            messages.success(request, f"{interview.get_stage_display()} interview created with its kit.")
        except CadreError as exc:
            _fail(request, exc)
        return HttpResponseRedirect(summary_url(application.pk))
    summary = fetch(interview_selectors.interview_summary, request.user, pk)
    application = summary.application
    can_edit = roles.can_edit_records(getattr(request.user, "role", ""))
    candidates = interview_selectors.users_for_interviews(application) if can_edit else []
    rows = []
    for row in summary.rows:
        assigned = {u.pk for u in row.interview.interviewers.all()}
        rows.append(
            {
                "row": row,
                "addable": [u for u in candidates if u.pk not in assigned],
                "interview": row.interview,
                "competencies": [c.get("name") for c in interview_services.kit_competencies(row.interview)],
                "people": [
                    {
                        "user": r.user,
                        "name": display_name(r.user),
                        "status": r.status,
                        "is_viewer": r.is_viewer,
                        "view": scorecard_view(r.scorecard, row.interview)
                        if r.scorecard is not None and r.status == Scorecard.Status.SUBMITTED
                        else None,
                    }
                    for r in row.interviewers
                ],
            }
        )
    used_stages = {row.interview.stage for row in summary.rows}
    context = {
        "application": application,
        "summary": summary,
        "rows": rows,
        "decision": decision_view(summary.decision, summary.decision_current),
        "rules": summary.rules,
        "can_edit": can_edit,
        "can_decide": getattr(request.user, "role", "") in interview_services.DECIDER_ROLES,
        "stages": [(v, label) for v, label in Interview.Stage.choices if v not in used_stages],
        "candidates": candidates,
    }
    return render(request, "screening/interview_summary.html", context)


@login_required
@require_POST
def interview_interviewers(request: HttpRequest, pk: int) -> HttpResponse:
    interview = fetch(interview_selectors.get_interview, request.user, pk)
    try:
        interview_services.update_interviewers(
            request.user,
            interview,
            add=_ints(request.POST.getlist("add")),
            remove=_ints(request.POST.getlist("remove")),
        )
        messages.success(request, "Interviewers updated.")
    except CadreError as exc:
        _fail(request, exc)
    return HttpResponseRedirect(summary_url(interview.application_id))


@login_required
@require_POST
def scorecard_decision(request: HttpRequest, pk: int) -> HttpResponse:
    application = fetch(get_application, request.user, pk)
    try:
        record = interview_services.decide_application(request.user, application)
        outcome = (record.explanation or {}).get("outcome", "")
        messages.success(
            request, f"Decision rules applied: {outcome}. The stage is unchanged; act on it below."
        )
    except CadreError as exc:
        _fail(request, exc)
    return HttpResponseRedirect(summary_url(application.pk))


# ------------------------------------------------------------------------------------------ rules


def _rules_page(request: HttpRequest, requisition: Requisition | None) -> HttpResponse:
    errors: list[str] = []
    status = 200
    can_edit = roles.can_edit_records(getattr(request.user, "role", ""))
    active = interview_services.active_rules(requisition)
    text = json.dumps(active.rules, indent=2)
    name = ""
    if request.method == "POST":
        text = str(request.POST.get("rules", "") or "")
        name = str(request.POST.get("name", "") or "").strip()
        try:
            require_editor(request.user)
        except CadreError as exc:
            raise PermissionDenied(exc.message) from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            errors = [f"the rules are not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"]
        else:
            try:
                created = interview_services.create_rule_set(
                    request.user, rules=data, requisition=requisition, name=name
                )
                messages.success(request, f"Decision rules saved as {created.name} v{created.version}.")
                return HttpResponseRedirect(request.path)
            except CadreError as exc:
                errors = [exc.message]
        status = 422
    history = DecisionRuleSet.objects.filter(requisition=requisition).select_related("created_by")
    context = {
        "requisition": requisition,
        "active": active,
        "rules": rules_view(active.rules),
        "text": text,
        "name": name,
        "errors": errors,
        "can_edit": can_edit,
        "history": list(history.order_by("-created_at", "-id")[:20]),
        "version": decisions.DECISIONS_VERSION,
    }
    return render(request, "screening/interview_rules.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def requisition_decision_rules(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = fetch(get_requisition, request.user, pk)
    return _rules_page(request, requisition)


@login_required
@require_http_methods(["GET", "POST"])
def default_decision_rules(request: HttpRequest) -> HttpResponse:
    return _rules_page(request, None)


# ------------------------------------------------------------------------------------------ calibration


def calibration_context(cal: Calibration) -> dict[str, Any]:
    """Tables and chart geometry for the calibration page (the template does no arithmetic)."""
    alpha_rows = [
        charts.AlphaBar(
            label=cal.competency_names.get(r.competency, r.competency),
            alpha=r.alpha,
            interpretation=r.interpretation,
            note=f"{r.alpha:.3f} {r.interpretation}" if r.alpha is not None else "n/a",
        )
        for r in cal.per_competency
    ]
    severity_rows = [
        charts.SeverityDot(
            label=cal.rater_name(s.rater_id),
            mean=s.mean_deviation,
            se=s.se,
            n=s.n,
            direction=s.direction,
            flagged=s.flagged,
        )
        for s in cal.severity
    ]
    by_rater: dict[str, list[charts.TrendPoint]] = {}
    for p in cal.trend:
        by_rater.setdefault(str(p.rater_id), []).append(charts.TrendPoint(p.period, p.mean_deviation, p.n))
    series = [
        charts.TrendSeries(cal.rater_name(rater), tuple(points)) for rater, points in sorted(by_rater.items())
    ]
    return {
        "reliability": [
            {
                "result": r,
                "name": cal.competency_names.get(r.competency, r.competency),
                "alpha_text": f"{r.alpha:.3f}" if r.alpha is not None else "—",
            }
            for r in cal.per_competency
        ],
        "severity": [
            {
                "row": s,
                "name": cal.rater_name(s.rater_id),
                "mean_text": f"{s.mean_deviation:+.2f}" if s.mean_deviation is not None else "—",
                "se_text": f"{s.se:.2f}" if s.se is not None else "—",
            }
            for s in cal.severity
        ],
        "alpha_chart": charts.alpha_chart(
            alpha_rows, reliable=reliability.RELIABLE, tentative=reliability.TENTATIVE
        )
        if alpha_rows
        else None,
        "severity_chart": charts.severity_chart(severity_rows, threshold=reliability.SEVERITY_THRESHOLD)
        if severity_rows
        else None,
        "trend_chart": charts.trend_chart(series, threshold=reliability.SEVERITY_THRESHOLD)
        if series
        else None,
    }


@login_required
@require_GET
def calibration(request: HttpRequest) -> HttpResponse:
    requisition_id, client_id = _int(request.GET.get("requisition")), _int(request.GET.get("client"))
    period = str(request.GET.get("period", "") or "month")
    competency = str(request.GET.get("competency", "") or "")
    errors: list[str] = []
    try:
        cal = fetch(
            interview_selectors.calibration,
            request.user,
            requisition_id=requisition_id,
            client_id=client_id,
            period=period,
            competency=competency or None,
        )
    except CadreError as exc:  # a bad period or competency: show everything, say why
        errors = [exc.message]
        period, competency = "month", ""
        cal = fetch(
            interview_selectors.calibration, request.user, requisition_id=requisition_id, client_id=client_id
        )
    clients, requisitions = interview_selectors.calibration_scopes(request.user)
    context = {
        "cal": cal,
        "errors": errors,
        "filters": {
            "requisition": requisition_id,
            "client": client_id,
            "period": period,
            "competency": competency,
        },
        "clients": clients,
        "requisitions": requisitions,
        "competencies": sorted(cal.competency_names.items(), key=lambda kv: kv[1]),
        "bands": ALPHA_BANDS,
        "thresholds": {
            "severity": reliability.SEVERITY_THRESHOLD,
            "min_n": reliability.SEVERITY_MIN_N,
            "z": reliability.SEVERITY_Z,
            "min_units": reliability.MIN_PAIRABLE_UNITS,
        },
        "version": reliability.RELIABILITY_VERSION,
        "competency_name": cal.competency_names.get(cal.competency or "", ""),
        **calibration_context(cal),
    }
    return render(request, "screening/calibration.html", context, status=422 if errors else 200)


urlpatterns: list[URLPattern] = [
    path("screening/interviews/<int:pk>/", interview_kit, name="screening-interview-kit"),
    path("screening/interviews/<int:pk>/scorecard/", scorecard, name="screening-scorecard"),
    path(
        "screening/interviews/<int:pk>/interviewers/", interview_interviewers, name="screening-interviewers"
    ),
    path(
        "screening/applications/<int:pk>/interviews/",
        application_interviews,
        name="screening-application-interviews",
    ),
    path(
        "screening/applications/<int:pk>/scorecard-decision/",
        scorecard_decision,
        name="screening-scorecard-decision",
    ),
    path("screening/decision-rules/", default_decision_rules, name="screening-decision-rules"),
    path(
        "screening/requisitions/<int:pk>/decision-rules/",
        requisition_decision_rules,
        name="screening-requisition-decision-rules",
    ),
    path("screening/calibration/", calibration, name="screening-calibration"),
]
