"""Matching pages: a requisition's Matches tab, a person's matching requisitions and work preferences,
free-text search, talent pools and saved searches.

Views parse, call matching.services / selectors and render. Domain errors are shown inline: htmx
actions answer with the re-rendered fragment and the error's 4xx status (see web/http.fragment), plain
form posts get a redirect and a flash message. Matching searches every candidate, so every page is for
roles that see all clients (require_matcher): hiring managers get a 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadre.compliance.notices import notice_problems
from cadre.core.exceptions import CadreError, Forbidden, NotFound
from cadre.matching import selectors, services
from cadre.matching.forms import (
    DEFAULT_TOP,
    MatchFilterForm,
    PoolForm,
    PoolMemberForm,
    SaveSearchForm,
    TextMatchForm,
    WorkPreferencesForm,
)
from cadre.matching.index import ENGAGEMENT_BITS
from cadre.matching.loader import hourly
from cadre.matching.models import SavedSearch, TalentPool
from cadre.matching.query import FILTER_LABELS, FILTERS
from cadre.matching.services import MatchOutcome
from cadre.people.models import Person, SourceRecord, WorkPreferences
from cadre.people.selectors import get_person
from cadre.people.services import set_work_preferences
from cadre.pipeline.models import Application
from cadre.pipeline.services import create_application
from cadre.pipeline.stages import Stage
from cadre.requisitions.models import EngagementType, Requisition
from cadre.requisitions.selectors import get_requisition
from cadre.taxonomy.models import ClearanceLevel, Seniority, Skill
from cadre.web.http import View, can_edit, editor_required, fetch, fragment, is_htmx

PERSON_PANEL_TOP = 10
SOURCE_LABELS = dict(SourceRecord.Source.choices)
SENIORITY_LABELS = dict(Seniority.choices)


def matcher_required(view: View) -> View:
    """Logged in, and a role that sees every client (admin, recruiter, compliance)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            selectors.require_matcher(request.user)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _int(raw: Any) -> int | None:
    raw = str(raw or "").strip()
    return int(raw) if raw.isdigit() else None


def _first_error(form: Any) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}: {errors[0]}" if label and field != "__all__" else str(errors[0])
    return "Check the form."


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# -- presenting an outcome ------------------------------------------------------------------------


def _date(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _matched(m: dict[str, Any]) -> dict[str, Any]:
    """One met requirement with a one-line account of its best evidence (the chip's tooltip)."""
    ev = m.get("evidence") or {}
    observed = _date(ev.get("observed_on"))
    source = SOURCE_LABELS.get(ev.get("source") or "", ev.get("source") or "")
    parts = [ev.get("kind_label") or ev.get("kind") or "evidence"]
    if observed:
        parts[0] += f", {format_date(observed, 'M Y')}"
    if ev.get("detail"):
        parts.append(f"“{ev['detail']}”")
    if source:
        parts.append(f"source: {source}")
    count = int(ev.get("count") or 1)
    if count > 1:
        parts.append(f"{count} pieces of evidence")
    via = ""
    if m.get("via") and m["via"] != "exact":
        via = f"via {m.get('via_name') or m.get('via_skill')} ({m['via']})"
        parts.insert(0, via)
    return {
        "skill": m.get("skill"),
        "name": m.get("name"),
        "via": via,
        "kind_label": ev.get("kind_label") or ev.get("kind") or "",
        "observed_on": observed,
        "detail": ev.get("detail") or "",
        "source": source,
        "count": count,
        "strength": m.get("strength"),
        "tooltip": f"{m.get('name')}: " + " · ".join(parts),
    }


def _section(section: dict[str, Any] | None) -> dict[str, Any]:
    section = section or {}
    matched = [_matched(m) for m in section.get("matched", [])]
    missing = list(section.get("missing", []))
    return {"matched": matched, "missing": missing, "total": len(matched) + len(missing)}


def _pct(value: Any) -> int:
    try:
        return max(0, min(100, round(float(value) * 100)))
    except (TypeError, ValueError):
        return 0


def present(result: dict[str, Any]) -> dict[str, Any]:
    """A ranked result as the card templates read it (percentages, dates, labels, tooltips)."""
    ex = result.get("explanation") or {}
    platform = ex.get("platform") or {}
    seniority = ex.get("seniority") or {}
    return {
        **{k: v for k, v in result.items() if k != "explanation"},
        "pct": _pct(result.get("score")),
        "must": _section(ex.get("must_have")),
        "nice": _section(ex.get("nice_to_have")),
        "platform": {
            "name": platform.get("name") or "",
            **_section(platform),
            "pct": _pct(platform.get("fit")),
        },
        "seniority": {
            "required": SENIORITY_LABELS.get(
                seniority.get("required") or "", seniority.get("required") or ""
            ),
            "person": SENIORITY_LABELS.get(seniority.get("person") or "", seniority.get("person") or ""),
            "pct": _pct(seniority.get("fit")),
        },
        "text_pct": _pct(ex.get("text_relevance")),
        "validate": list(ex.get("validate_in_interview") or []),
        "breakdown": _breakdown(ex),
    }


BREAKDOWN_LABELS = {
    "must": "Must-haves",
    "nice": "Nice-to-haves",
    "platform": "Platform",
    "seniority": "Seniority",
    "text": "Text relevance",
    "semantic": "Semantic similarity",
}


def _breakdown(ex: dict[str, Any]) -> list[dict[str, Any]]:
    """Where the score comes from: each component's weight x value, in points out of 100."""
    weights, components = ex.get("weights") or {}, ex.get("components") or {}
    rows = []
    for key, label in BREAKDOWN_LABELS.items():
        weight = float(weights.get(key) or 0)
        if weight <= 0:
            continue
        value = float(components.get(key) or 0)
        rows.append(
            {
                "label": label,
                "weight": round(weight * 100),
                "value": round(value * 100),
                "points": round(weight * value * 100, 1),
            }
        )
    return rows


def _counts(outcome: MatchOutcome) -> dict[str, Any]:
    q = outcome.query
    return {
        "basis": "a required skill" if q.get("must") or q.get("nice") else "a searched word",
        "considered": outcome.considered,
        "eligible": outcome.eligible,
        "excluded": [(label, n) for label, n in outcome.excluded_by.items() if n],
        "relaxed": [FILTER_LABELS.get(name, name) for name in outcome.relaxed],
        "version": outcome.version,
        "ms": round(outcome.ms),
        "approximate": outcome.approximate,
        "reason": outcome.reason,
        "shown": len(outcome.results),
    }


def _skill_names(slugs: Iterable[str]) -> dict[str, str]:
    slugs = list(slugs)
    return dict(Skill.objects.filter(slug__in=slugs).values_list("slug", "name")) if slugs else {}


def hard_filters(requisition: Requisition, relaxed: frozenset[str]) -> list[dict[str, Any]]:
    """Each hard filter with whether this requisition sets it and what it asks, in plain words."""
    country = (requisition.work_country or "").upper()
    rows: dict[str, tuple[bool, str]] = {}
    if not country:
        rows["work_authorization"] = (False, "No work country set")
    elif requisition.sponsorship_available:
        rows["work_authorization"] = (False, f"Sponsorship available for {country}")
    else:
        rows["work_authorization"] = (True, f"Authorized to work in {country} (no sponsorship)")
    clearance = requisition.clearance_required or ClearanceLevel.NONE
    rows["clearance"] = (
        (True, f"{ClearanceLevel(clearance).label} or higher, not expired")
        if clearance != ClearanceLevel.NONE
        else (False, "No clearance needed")
    )
    if requisition.remote_policy == "remote":
        rows["location"] = (True, "Remote: leaves out people who want on-site work only")
    else:
        where = requisition.location or country or "the office"
        rows["location"] = (
            True,
            f"{requisition.get_remote_policy_display()} in {where}: "
            "people elsewhere pass if they would relocate",
        )
    if requisition.time_zone and requisition.max_tz_difference_hours is not None:
        rows["time_zone"] = (
            True,
            f"Within {requisition.max_tz_difference_hours} h of {requisition.time_zone}",
        )
    else:
        rows["time_zone"] = (False, "No time-zone limit")
    rows["availability"] = (
        (True, f"Available by {format_date(requisition.start_date, 'M j, Y')}")
        if requisition.start_date
        else (False, "No start date")
    )
    if hourly(requisition.pay_max, requisition.rate_unit) is not None:
        rows["pay"] = (
            True,
            f"Minimum rate up to {requisition.pay_max:,.2f} {requisition.currency} "
            f"{requisition.get_rate_unit_display()}",
        )
    else:
        rows["pay"] = (False, "No pay ceiling")
    if requisition.engagement_type in ENGAGEMENT_BITS:
        label = EngagementType(requisition.engagement_type).label
        rows["engagement_type"] = (True, f"Open to {label.lower()} work")
    else:
        rows["engagement_type"] = (False, "Any engagement")
    return [
        {
            "name": name,
            "label": FILTER_LABELS[name],
            "active": rows[name][0],
            "detail": rows[name][1],
            "relaxed": name in relaxed,
        }
        for name in FILTERS
    ]


def _run_url(search: SavedSearch) -> str:
    if search.requisition_id is None:
        return f"{reverse('matching-text')}?{urlencode({'saved': search.pk})}"
    params: list[tuple[str, Any]] = [("relax", name) for name in search.relaxed_filters or []]
    params += [("top", search.top), ("saved", search.pk)]
    return f"{reverse('requisition-matches', args=[search.requisition_id])}?{urlencode(params)}"


def _own_search(request: HttpRequest, pk: int | None) -> SavedSearch | None:
    if pk is None:
        return None
    return selectors.saved_searches_of(request.user).filter(pk=pk).first()


def _card_context(request: HttpRequest) -> dict[str, Any]:
    return {"pools": list(selectors.talent_pools()), "can_edit": can_edit(request)}


# -- a requisition's Matches tab ------------------------------------------------------------------


@require_GET
@matcher_required
def requisition_matches(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = fetch(get_requisition, request.user, pk)
    form = MatchFilterForm(request.GET or None)
    relaxed, include_in_pipeline, top = form.values()
    saved = _own_search(request, _int(request.GET.get("saved")))
    if saved is not None and saved.requisition_id != requisition.pk:
        saved = None
    error = ""
    try:
        if (
            saved is not None
            and frozenset(saved.relaxed_filters or []) == relaxed
            and saved.top == top
            and not include_in_pipeline
        ):
            outcome = services.run_saved_search(request.user, saved)  # also stamps last_run_at
        else:
            outcome = services.match_people(
                request.user, requisition, top=top, relaxed=relaxed, include_in_pipeline=include_in_pipeline
            )
    except CadreError as exc:
        error = exc.message
        outcome = MatchOutcome(results=[], version="", ms=0.0, reason=exc.message)
    ids = [r["person_id"] for r in outcome.results]
    in_pipeline = set(
        Application.objects.filter(requisition=requisition, person_id__in=ids).values_list(
            "person_id", flat=True
        )
    )
    # Automated-tool notice duties (NYC LL144: 10 business days before use) shown next to each person.
    problems = notice_problems([r["person_id"] for r in outcome.results])
    cards = [
        {
            **present(r),
            "in_pipeline": r["person_id"] in in_pipeline,
            "notice_problems": problems.get(r["person_id"], []),
        }
        for r in outcome.results
    ]
    requirements = list(requisition.skill_requirements.all())
    filters = hard_filters(requisition, relaxed)
    relax_all_url = ""
    if not cards and any(n for n in outcome.excluded_by.values()):
        params: list[tuple[str, Any]] = [("relax", f["name"]) for f in filters if f["active"]]
        params += [("include_in_pipeline", "on")] if include_in_pipeline else []
        params += [("top", top)]
        relax_all_url = f"{reverse('requisition-matches', args=[requisition.pk])}?{urlencode(params)}"
    context = {
        "requisition": requisition,
        "form": form,
        "filters": filters,
        "relax_all_url": relax_all_url,
        "relaxed": sorted(relaxed),
        "include_in_pipeline": include_in_pipeline,
        "top": top,
        "top_default": DEFAULT_TOP,
        "must_skills": [r.skill for r in requirements if r.importance == "must"],
        "nice_skills": [r.skill for r in requirements if r.importance != "must"],
        "platform_name": outcome.query.get("platform", ""),
        "cards": cards,
        "counts": _counts(outcome),
        "error": error,
        "saved": saved,
        "save_form": SaveSearchForm(initial={"name": requisition.title[:120]}),
        "back": request.GET.urlencode(),
        **_card_context(request),
    }
    return render(request, "matching/requisition_matches.html", context)


def _back_to_matches(requisition: Requisition, query: str) -> str:
    url = reverse("requisition-matches", args=[requisition.pk])
    return f"{url}?{query}" if query else url


@require_POST
@matcher_required
def requisition_match_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a ranked person to the requisition's pipeline (source "matching")."""
    requisition = fetch(get_requisition, request.user, pk)
    person: Person = fetch(get_person, request.user, _int(request.POST.get("person_id")) or 0)
    context: dict[str, Any] = {
        "requisition": requisition,
        "card": {"person_id": person.pk, "in_pipeline": False},
        "can_edit": can_edit(request),
        "back": request.POST.get("back", ""),
    }
    status = 200
    try:
        create_application(request.user, person=person, requisition=requisition, source="matching")
    except CadreError as exc:
        context["pipeline_error"] = exc.message
        status = exc.status_code
        if not is_htmx(request):
            messages.error(request, exc.message)
    else:
        context["card"]["in_pipeline"] = True
        context["pipeline_notice"] = f"Added to the pipeline at {Stage.SOURCED.label}."
        if not is_htmx(request):
            messages.success(request, f"{person.full_name} added to the pipeline at {Stage.SOURCED.label}.")
    if not is_htmx(request):
        return redirect(_back_to_matches(requisition, context["back"]))
    return fragment(render(request, "matching/_pipeline_action.html", context), status)


# -- saved searches -------------------------------------------------------------------------------


@require_POST
@matcher_required
def search_save(request: HttpRequest) -> HttpResponse:
    """Save the current search: a requisition's (with its relaxed filters) or a job description's."""
    form = SaveSearchForm(request.POST)
    requisition_id = _int(request.POST.get("requisition"))
    requisition = fetch(get_requisition, request.user, requisition_id) if requisition_id else None
    error, search, status = "", None, 200
    if form.is_valid():
        try:
            search = services.save_search(
                request.user,
                name=form.cleaned_data["name"],
                requisition=requisition,
                text=form.cleaned_data.get("text") or "",
                relaxed=frozenset(form.cleaned_data.get("relax") or ()),
                top=form.cleaned_data.get("top") or DEFAULT_TOP,
            )
        except CadreError as exc:
            error = exc.message
            status = exc.status_code
    else:
        error, status = _first_error(form), 422
    if not is_htmx(request):
        if search is not None:
            messages.success(request, f"Search “{search.name}” saved.")
        else:
            messages.error(request, error)
        fallback = (
            reverse("requisition-matches", args=[requisition.pk])
            if requisition
            else reverse("matching-searches")
        )
        return redirect(_safe_next(request, fallback))
    context = {
        "save_form": form,
        "save_error": error,
        "saved_now": search,
        "save_requisition": requisition,
        "relaxed": request.POST.getlist("relax"),
        "top": request.POST.get("top", ""),
        "save_text": request.POST.get("text", ""),
    }
    return fragment(render(request, "matching/_save_search.html", context), status)


@require_GET
@matcher_required
def saved_search_list(request: HttpRequest) -> HttpResponse:
    searches = [(s, _run_url(s)) for s in selectors.saved_searches_of(request.user)]
    return render(request, "matching/searches.html", {"searches": searches, "filter_labels": FILTER_LABELS})


@require_POST
@matcher_required
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own_search(request, pk)
    if search is None:
        messages.error(request, f"Saved search {pk} not found.")
    else:
        try:
            services.delete_saved_search(request.user, search)
        except CadreError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Search “{search.name}” deleted.")
    return redirect("matching-searches")


# -- free-text search -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@matcher_required
def text_matches(request: HttpRequest) -> HttpResponse:
    """Paste a job description, see the people it matches (same cards as a requisition's tab)."""
    outcome: MatchOutcome | None = None
    saved = None
    if request.method == "POST":
        form = TextMatchForm(request.POST)
    else:
        saved = _own_search(request, _int(request.GET.get("saved")))
        if saved is not None and saved.requisition_id is not None:
            return redirect(_run_url(saved))
        initial = {"text": saved.text, "top": saved.top} if saved else {"top": DEFAULT_TOP}
        form = TextMatchForm(initial=initial)
    try:
        if saved is not None:
            outcome = services.run_saved_search(request.user, saved)
        elif form.is_bound and form.is_valid():
            outcome = services.match_text(
                request.user, form.cleaned_data["text"], top=form.cleaned_data.get("top") or DEFAULT_TOP
            )
    except CadreError as exc:
        form.add_error("text" if exc.field == "text" else None, exc.message)
    text = saved.text if saved else (form.cleaned_data.get("text", "") if form.is_bound else "")
    summary: dict[str, Any] = {}
    if outcome is not None:
        q = outcome.query
        names = _skill_names([*q.get("must", []), *q.get("nice", [])])
        summary = {
            "must": [names.get(s, s) for s in q.get("must", [])],
            "nice": [names.get(s, s) for s in q.get("nice", [])],
            "seniority": SENIORITY_LABELS.get(q.get("seniority") or "", ""),
            "terms": list(q.get("terms", []))[:16],
        }
    context = {
        "form": form,
        "outcome": outcome,
        "summary": summary,
        "cards": [present(r) for r in outcome.results] if outcome else [],
        "counts": _counts(outcome) if outcome else {},
        "saved": saved,
        "save_form": SaveSearchForm(initial={"name": (text.strip().splitlines() or [""])[0][:60]}),
        "save_text": text,
        "top": (form.cleaned_data.get("top") if form.is_bound else None)
        or (saved.top if saved else DEFAULT_TOP),
        **_card_context(request),
    }
    return render(request, "matching/text.html", context)


# -- talent pools ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@matcher_required
def pool_list(request: HttpRequest) -> HttpResponse:
    form = PoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pool = services.create_pool(
                request.user, name=form.cleaned_data["name"], description=form.cleaned_data["description"]
            )
        except CadreError as exc:
            form.add_error(exc.field if exc.field in form.fields else "name", exc.message)
        else:
            messages.success(request, f"Talent pool “{pool.name}” created.")
            return redirect("matching-pool-detail", pk=pool.pk)
    context = {"pools": list(selectors.talent_pools()), "form": form, "can_edit": can_edit(request)}
    return render(request, "matching/pools.html", context)


def _pool(pk: int) -> TalentPool:
    pool = selectors.talent_pools().filter(pk=pk).first()
    if pool is None:
        raise NotFound(f"talent pool {pk} not found")
    return pool


@require_GET
@matcher_required
def pool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pool = fetch(_pool, pk)
    members = list(pool.memberships.select_related("person", "added_by"))
    context = {"pool": pool, "members": members, "can_edit": can_edit(request)}
    return render(request, "matching/pool_detail.html", context)


@require_POST
@matcher_required
def pool_member_add(request: HttpRequest) -> HttpResponse:
    """Add a person to the chosen pool (the card's "Add to pool" control)."""
    form = PoolMemberForm(request.POST)
    person_id = _int(request.POST.get("person_id")) or 0
    notice, error, status = "", "", 200
    if form.is_valid():
        person: Person = fetch(get_person, request.user, form.cleaned_data["person_id"])
        pool = form.cleaned_data["pool"]
        try:
            services.add_to_pool(request.user, pool, person, note=form.cleaned_data["note"])
        except CadreError as exc:
            error, status = exc.message, exc.status_code
        else:
            notice = f"Added to {pool.name}."
    else:
        error, status = _first_error(form), 422
    if not is_htmx(request):
        if notice:
            messages.success(request, notice)
        else:
            messages.error(request, error)
        return redirect(_safe_next(request, reverse("matching-pools")))
    context = {
        "card": {"person_id": person_id},
        "pool_notice": notice,
        "pool_error": error,
        "chosen_pool": _int(request.POST.get("pool")),
        **_card_context(request),
    }
    return fragment(render(request, "matching/_pool_action.html", context), status)


@require_POST
@matcher_required
def pool_member_remove(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    pool = fetch(_pool, pk)
    person = Person.objects.filter(pk=person_id).first()
    error = ""
    try:
        if person is None:
            raise NotFound(f"person {person_id} not found")
        services.remove_from_pool(request.user, pool, person)
    except CadreError as exc:
        error = exc.message
        if is_htmx(request):
            member = pool.memberships.select_related("person", "added_by").filter(person_id=person_id).first()
            context = {"pool": pool, "member": member, "remove_error": error, "can_edit": can_edit(request)}
            if member is None:
                return fragment(HttpResponse(""), 200)
            return fragment(render(request, "matching/_pool_member_row.html", context), exc.status_code)
        messages.error(request, error)
        return redirect("matching-pool-detail", pk=pool.pk)
    if is_htmx(request):
        return HttpResponse("")  # the row goes away
    messages.success(request, f"Removed from {pool.name}.")
    return redirect("matching-pool-detail", pk=pool.pk)


# -- a person's matching requisitions and work preferences ----------------------------------------


@require_GET
@matcher_required
def person_matches(request: HttpRequest, pk: int) -> HttpResponse:
    """The person page's lazy panel: the open requisitions this person fits best."""
    person = fetch(get_person, request.user, pk)
    error = ""
    try:
        outcome = services.match_requisitions(request.user, person, top=PERSON_PANEL_TOP)
    except CadreError as exc:
        error = exc.message
        outcome = MatchOutcome(results=[], version="", ms=0.0, reason=exc.message)
    context = {
        "person": person,
        "rows": [present(r) for r in outcome.results],
        "outcome": outcome,
        "blocked": [(label, n) for label, n in outcome.excluded_by.items() if n],
        "error": error,
    }
    return render(request, "matching/_person_matches.html", context)


def preferences_of(person: Person) -> WorkPreferences | None:
    return WorkPreferences.objects.filter(person=person).first()


@require_GET
@matcher_required
def person_preferences_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The person page's work-preferences card (loaded lazily, so the page's query count stays fixed)."""
    person = fetch(get_person, request.user, pk)
    prefs = preferences_of(person)
    engagements = dict(EngagementType.choices)
    context = {
        "person": person,
        "preferences": prefs,
        "engagement_labels": [engagements.get(t, t) for t in (prefs.engagement_types if prefs else [])],
        "can_edit": can_edit(request),
    }
    return render(request, "matching/_preferences_card.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
def person_preferences(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit what the person told us about availability, authorization and terms."""
    person = fetch(get_person, request.user, pk)
    prefs = preferences_of(person)
    if request.method == "POST":
        form = WorkPreferencesForm(request.POST)
        if form.is_valid():
            try:
                set_work_preferences(request.user, person, **form.cleaned_data)
            except CadreError as exc:
                field = exc.field if exc.field in form.fields else None
                message = exc.message
                if field and message.startswith(f"{field}: "):
                    message = message[len(field) + 2 :]
                form.add_error(field, message)
            else:
                messages.success(request, "Work preferences saved.")
                return redirect("person-detail", pk=person.pk)
    else:
        form = WorkPreferencesForm(initial=WorkPreferencesForm.initial_for(prefs))
    return render(request, "matching/preferences_form.html", {"person": person, "form": form, "prefs": prefs})


@require_GET
@login_required
def matching_home(request: HttpRequest) -> HttpResponse:
    return redirect("matching-text")
