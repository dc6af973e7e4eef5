"""Web pages for compliance: privacy (data export and erasure), candidate notices and retention.

/compliance/people/<pk>/export.json   download everything held on a person (editors, compliance)
/compliance/people/<pk>/erase/        confirm and erase a person (admins, compliance officers)
/compliance/notices/                  notice templates, give a notice, recent notices and NYC status
/compliance/retention/                retention policies, last results, dry run (admins, compliance)
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadre.compliance import notices, privacy, retention
from cadre.compliance.models import CandidateNotice, NoticeTemplate, RetentionPolicy
from cadre.core import roles
from cadre.core.exceptions import CadreError, NotFound
from cadre.people.models import Person
from cadre.people.selectors import get_person
from cadre.requisitions.models import Requisition
from cadre.web.http import can_edit

RECENT_NOTICES = 50


def _person(pk: int) -> Person:
    try:
        return privacy.find_person(pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _require_unscoped(request: HttpRequest) -> None:
    if not roles.sees_all_clients(getattr(request.user, "role", "")):
        raise PermissionDenied("compliance pages are for recruiters, admins and compliance officers")


# --- Export and erasure ------------------------------------------------------------------------------------


@login_required
@require_GET
def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    if not privacy.may_export(request.user):
        raise PermissionDenied("only recruiters, admins and compliance officers export personal data")
    data = privacy.export_person(request.user, _person(pk))
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="cadre-person-{pk}-export.json"'
    response["Cache-Control"] = "no-store"
    return response


class EraseForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why, e.g. the erasure request it answers and when it was received. Kept in the audit log.",
    )
    confirm = forms.BooleanField(label="I understand that erasure cannot be undone")


@login_required
@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    if not privacy.may_erase(request.user):
        raise PermissionDenied("only an admin or a compliance officer may erase a person")
    person = _person(pk)
    survivor = privacy.final_survivor(person) if person.merged_into_id else None
    form = EraseForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = privacy.erase_person(request.user, person, reason=form.cleaned_data["reason"])
        except CadreError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status_code
        else:
            kept = result.get("applications_kept", 0)
            messages.success(
                request,
                f"Person #{pk} erased. {kept} application{'s' if kept != 1 else ''} and their stage history "
                "were kept, anonymised.",
            )
            return redirect("person-detail", pk=pk)
    context = {
        "person": person,
        "survivor": survivor,
        "erased": privacy.is_erased(person),
        "preview": privacy.erasure_preview(person),
        "form": form,
    }
    return render(request, "compliance/erase_confirm.html", context, status=status)


# --- Notices -----------------------------------------------------------------------------------------------


class NoticeForm(forms.Form):
    person_id = forms.IntegerField(min_value=1, label="Person ID")
    jurisdiction = forms.ChoiceField(choices=notices.JURISDICTION_CHOICES)
    tool = forms.CharField(max_length=64, initial=notices.DEFAULT_TOOL)
    requisition_id = forms.IntegerField(min_value=1, required=False, label="Requisition ID (optional)")
    channel = forms.ChoiceField(choices=notices.CHANNEL_CHOICES)


def _notice_rows(items: list[CandidateNotice], templates: list[NoticeTemplate]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [{"notice": n, "status": notices.status_of_notice(n, templates, today)} for n in items]


def _prefill_person(request: HttpRequest, raw: str) -> tuple[Person | None, list[dict[str, Any]]]:
    """The person named in ?person=, with today's status in each jurisdiction that reaches them (from
    their work preferences) or in which they were given a notice."""
    if not raw.isdigit():
        return None, []
    try:
        person = get_person(request.user, int(raw))
    except CadreError:
        return None, []
    given = CandidateNotice.objects.filter(person=person).values_list("template__jurisdiction", flat=True)
    codes = dict.fromkeys([*notices.person_jurisdictions(person), *sorted(set(given))])
    statuses = [notices.notice_status(person, code) for code in codes if code in notices.JURISDICTIONS]
    return person, statuses


@login_required
@require_http_methods(["GET", "POST"])
def notice_list(request: HttpRequest) -> HttpResponse:
    _require_unscoped(request)
    status = 200
    if request.method == "POST":
        if not can_edit(request):
            raise PermissionDenied("only recruiters and admins give notices")
        form = NoticeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                person = get_person(request.user, data["person_id"])
                requisition = None
                if data["requisition_id"]:
                    requisition = Requisition.objects.filter(pk=data["requisition_id"]).first()
                    if requisition is None:
                        raise NotFound(f"requisition {data['requisition_id']} not found")
                notice = notices.send_notice(
                    request.user,
                    person,
                    data["jurisdiction"],
                    tool=data["tool"],
                    requisition=requisition,
                    channel=data["channel"],
                )
            except CadreError as exc:
                field = exc.field if exc.field in ("person_id", "jurisdiction", "channel") else None
                form.add_error(field, exc.message)
                status = exc.status_code
            else:
                result = notices.status_of_notice(notice, [notice.template])
                messages.success(
                    request,
                    f"{notice.template.jurisdiction} notice recorded for {person.full_name}; "
                    f"{notice.template.tool} may be used from {result['earliest_use'].isoformat()}.",
                )
                return redirect(reverse("compliance-notices") + f"?person={person.pk}")
    else:
        form = NoticeForm(initial={"person_id": request.GET.get("person", "")})
    shown, person_statuses = _prefill_person(request, request.GET.get("person", "") or "")
    templates = list(NoticeTemplate.objects.order_by("jurisdiction", "tool", "-effective_from", "-id"))
    today = timezone.localdate()
    in_force = {
        t.pk for t in templates if notices.pick_template(templates, t.jurisdiction, t.tool, today) == t
    }
    context = {
        "form": form,
        "templates": templates,
        "in_force": in_force,
        "rows": _notice_rows(notices.recent_notices(RECENT_NOTICES, person=shown), templates),
        "person": shown,
        "person_statuses": person_statuses,
        "can_edit": can_edit(request),
        "can_record_alternative": getattr(request.user, "role", "")
        in (*roles.EDITOR_ROLES, roles.Role.COMPLIANCE_OFFICER),
        "today": today,
    }
    return render(request, "compliance/notices.html", context, status=status)


@login_required
@require_POST
def notice_alternative(request: HttpRequest, pk: int) -> HttpResponse:
    _require_unscoped(request)
    notice = CandidateNotice.objects.select_related("template").filter(pk=pk).first()
    if notice is None:
        raise Http404(f"notice {pk} not found")
    try:
        notices.request_alternative(request.user, notice)
    except CadreError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Request for an alternative process recorded on notice #{pk}.")
    return redirect("compliance-notices")


# --- Retention ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def retention_page(request: HttpRequest) -> HttpResponse:
    _require_unscoped(request)
    may_run = privacy.may_erase(request.user)
    result = None
    if request.method == "POST":
        if not may_run:
            raise PermissionDenied("only an admin or a compliance officer may run retention")
        result = retention.run_retention(dry_run=True, actor=request.user)
    policies = [
        {"policy": p, "effective_days": retention.effective_keep_days(p)}
        for p in RetentionPolicy.objects.order_by("record")
    ]
    context = {"policies": policies, "result": result, "may_run": may_run}
    return render(request, "compliance/retention.html", context)


urlpatterns: list[URLPattern] = [
    path("compliance/people/<int:pk>/export.json", person_export, name="privacy-export"),
    path("compliance/people/<int:pk>/erase/", person_erase, name="privacy-erase"),
    path("compliance/notices/", notice_list, name="compliance-notices"),
    path(
        "compliance/notices/<int:pk>/alternative/", notice_alternative, name="compliance-notice-alternative"
    ),
    path("compliance/retention/", retention_page, name="compliance-retention"),
]
