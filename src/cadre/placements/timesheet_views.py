"""Placements pages: weekly timesheets.

/placements/<pk>/timesheets/      a placement's weeks (status, hours, chart), open a new week
/placements/timesheets/           sheets awaiting approval (a hiring manager: their clients')
/placements/timesheets/<pk>/      one week: the day grid, submit, approve / reject, contractor link
/timesheets/c/<token>/            the contractor's page (signed link, no account): only that week

Overtime is what the contractor enters; the pages say so and nothing is reclassified.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadre.clients.models import Contact
from cadre.core.exceptions import CadreError, Forbidden, NotFound
from cadre.placements import timesheet_services as svc
from cadre.placements import timesheets
from cadre.placements.invoice_services import invoiced_timesheet_ids
from cadre.placements.models import Placement, Timesheet
from cadre.web.http import fetch, paginate

OVERTIME_HELP = (
    "Enter overtime and double-time exactly as worked and agreed with the client: Cadre does not "
    "reclassify hours (state daily-overtime rules, such as California's, are applied by payroll)."
)
CHART_WEEKS = 12


def _day_rows(sheet: Timesheet, post: QueryDict | None = None) -> list[dict[str, Any]]:
    """The seven days of the week with their hours (from the form when re-showing it, else stored)."""
    stored = svc.entries_by_day(sheet)
    placement = sheet.placement
    rows = []
    for day in timesheets.week_days(sheet.week_start):
        key = day.isoformat()
        entry = stored.get(day)
        in_placement = day >= placement.start_date and (
            placement.end_date is None or day <= placement.end_date
        )

        def value(prefix: str, field: str, key: str = key, entry: Any = entry) -> str:
            if post is not None:
                return post.get(f"{prefix}_{key}", "")
            if entry is None:
                return ""
            raw = getattr(entry, field)
            return "" if raw in (None, "") or (isinstance(raw, Decimal) and raw == 0) else str(raw)

        rows.append(
            {
                "date": day,
                "key": key,
                "regular": value("reg", "regular_hours"),
                "overtime": value("ot", "overtime_hours"),
                "double": value("dt", "double_hours"),
                "note": value("note", "note"),
                "in_placement": in_placement,
                "weekend": day.weekday() >= 5,
            }
        )
    return rows


def rows_from_post(sheet: Timesheet, post: QueryDict) -> list[dict[str, Any]]:
    return [
        {
            "work_date": day.isoformat(),
            "regular_hours": post.get(f"reg_{day.isoformat()}", ""),
            "overtime_hours": post.get(f"ot_{day.isoformat()}", ""),
            "double_hours": post.get(f"dt_{day.isoformat()}", ""),
            "note": post.get(f"note_{day.isoformat()}", ""),
        }
        for day in timesheets.week_days(sheet.week_start)
    ]


def _totals(sheet: Timesheet) -> timesheets.WeekTotals:
    return timesheets.totals(sheet.entries.all())


def hours_chart(sheets: list[Timesheet], hours_per_week: Decimal) -> dict[str, Any] | None:
    """Geometry of a column chart of the last weeks' hours (stacked regular / overtime / double), with a
    line at the placement's scheduled hours; the template only draws."""
    weeks = sorted(sheets, key=lambda s: s.week_start)[-CHART_WEEKS:]
    if not weeks:
        return None
    values = [
        (
            s,
            Decimal(getattr(s, "regular_total", None) or 0),
            Decimal(getattr(s, "overtime_total", None) or 0),
            Decimal(getattr(s, "double_total", None) or 0),
        )
        for s in weeks
    ]
    top = max([r + o + d for _s, r, o, d in values] + [Decimal(hours_per_week), Decimal(1)])
    height, bar_w, gap, left, pad_top, base_h = 150, 30, 14, 10, 20, 26
    scale = Decimal(height) / top
    columns = []
    for i, (sheet, reg, ot, dbl) in enumerate(values):
        x = left + i * (bar_w + gap)
        y = Decimal(pad_top + height)
        parts = []
        for kind, hours in (("regular", reg), ("overtime", ot), ("double", dbl)):
            h = hours * scale
            if h > 0:
                y -= h
                parts.append({"kind": kind, "y": round(float(y), 1), "h": round(float(h), 1)})
        columns.append(
            {
                "x": x,
                "label_x": x + bar_w / 2,
                "parts": parts,
                "total": f"{(reg + ot + dbl).normalize():f}",
                "total_y": round(float(y), 1) - 4,
                "label": sheet.week_start.strftime("%b %d").replace(" 0", " "),
                "status": sheet.status,
            }
        )
    line_y = round(float(pad_top + height - Decimal(hours_per_week) * scale), 1)
    return {
        "width": left + len(columns) * (bar_w + gap) + 120,
        "height": pad_top + height + base_h,
        "base_y": pad_top + height,
        "label_y": pad_top + height + 16,
        "bar_w": bar_w,
        "left": left,
        "columns": columns,
        "line_y": line_y,
        "line_label_y": round(line_y + 4, 1),
        "line_label_x": left + len(columns) * (bar_w + gap) + 4,
        "line_label": f"{Decimal(hours_per_week).normalize():f} h scheduled",
        "right": left + len(columns) * (bar_w + gap),
    }


@require_GET
@login_required
def placement_timesheets(request: HttpRequest, pk: int) -> HttpResponse:
    placement = fetch(svc.visible_placement, request.user, pk)
    sheets = list(svc.timesheets_visible_to(request.user).filter(placement=placement).order_by("-week_start"))
    invoiced = invoiced_timesheet_ids([s.pk for s in sheets])
    for s in sheets:
        s.total_hours = (s.regular_total or 0) + (s.overtime_total or 0) + (s.double_total or 0)  # type: ignore[attr-defined]
        s.is_invoiced = s.pk in invoiced  # type: ignore[attr-defined]
    hourly = placement.pay_basis == "hourly" and placement.status in svc.TIMESHEET_PLACEMENT_STATUSES
    return render(
        request,
        "placements/timesheets.html",
        {
            "placement": placement,
            "sheets": sheets,
            "missing": svc.missing_weeks(placement) if hourly else [],
            "hourly": hourly,
            "can_enter": svc.can_enter(request.user),
            "chart": hours_chart(sheets, placement.hours_per_week),
            "overtime_help": OVERTIME_HELP,
        },
    )


@require_POST
@login_required
def timesheet_create(request: HttpRequest, pk: int) -> HttpResponse:
    placement = fetch(svc.visible_placement, request.user, pk)
    raw = request.POST.get("week_start", "").strip()
    try:
        week = dt.date.fromisoformat(raw)
    except ValueError:
        messages.error(request, f"{raw!r} is not a date (YYYY-MM-DD)")
        return redirect("placement-timesheets", pk=placement.pk)
    try:
        sheet = svc.create_timesheet(request.user, placement, week)
    except CadreError as exc:
        messages.error(request, exc.message)
        return redirect("placement-timesheets", pk=placement.pk)
    messages.success(request, f"Week of {sheet.week_start:%b %d, %Y} opened.")
    return redirect("timesheet-detail", pk=sheet.pk)


@require_GET
@login_required
def timesheet_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "submitted")
    qs = svc.timesheets_visible_to(request.user).order_by("-week_start", "placement_id")
    if status in Timesheet.Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    return render(
        request,
        "placements/timesheet_list.html",
        {"page": paginate(request, qs), "status": status, "statuses": Timesheet.Status.choices},
    )


def _detail_context(request: HttpRequest, sheet: Timesheet, **extra: Any) -> dict[str, Any]:
    user = request.user
    placement: Placement = sheet.placement
    editable = sheet.status in svc.EDITABLE
    contacts = list(Contact.objects.filter(client=placement.client).order_by("name"))
    return {
        "sheet": sheet,
        "placement": placement,
        "days": _day_rows(sheet, extra.pop("post", None)),
        "totals": _totals(sheet),
        "editable": editable and svc.can_enter(user),
        "can_enter": svc.can_enter(user),
        "can_decide": sheet.status == Timesheet.Status.SUBMITTED and svc.can_approve(user, sheet),
        "is_hiring_manager": svc.is_clients_hiring_manager(user, placement),
        "contacts": contacts,
        "default_contact": placement.timesheet_approver_id,
        "invoiced": svc.is_invoiced(sheet),
        "overtime_help": OVERTIME_HELP,
        "link_days": svc.link_max_age().days,
        "contractor_link": "",
        "errors": [],
        **extra,
    }


@require_GET
@login_required
def timesheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = fetch(svc.get_timesheet, request.user, pk)
    return render(request, "placements/timesheet_detail.html", _detail_context(request, sheet))


@require_POST
@login_required
def timesheet_save(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = fetch(svc.get_timesheet, request.user, pk)
    version = request.POST.get("version", "")
    try:
        saved = svc.save_entries(
            request.user,
            sheet,
            rows_from_post(sheet, request.POST),
            note=request.POST.get("note", ""),
            expected_version=int(version) if version.isdigit() else None,
        )
        if request.POST.get("then") == "submit":
            saved = svc.submit_timesheet(request.user, saved)
    except CadreError as exc:
        context = _detail_context(request, sheet, post=request.POST, errors=exc.message.split("; "))
        return render(request, "placements/timesheet_detail.html", context, status=exc.status_code)
    messages.success(
        request, "Submitted for the client's approval." if saved.status == "submitted" else "Hours saved."
    )
    return redirect("timesheet-detail", pk=sheet.pk)


def _contact(request: HttpRequest, sheet: Timesheet) -> Contact | None:
    raw = request.POST.get("contact", "")
    if not raw.isdigit():
        return None
    contact = Contact.objects.filter(pk=int(raw), client_id=sheet.placement.client_id).first()
    if contact is None:
        raise NotFound("that contact is not at this placement's client")
    return contact


@require_POST
@login_required
def timesheet_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    sheet = fetch(svc.get_timesheet, request.user, pk)
    try:
        if action == "submit":
            svc.submit_timesheet(request.user, sheet)
            notice = "Submitted for the client's approval."
        elif action == "approve":
            svc.approve_timesheet(request.user, sheet, contact=_contact(request, sheet))
            notice = "Approved; the week is locked and ready to invoice."
        elif action == "reject":
            svc.reject_timesheet(
                request.user, sheet, request.POST.get("reason", ""), contact=_contact(request, sheet)
            )
            notice = "Rejected; the week can be corrected and submitted again."
        elif action == "recall":
            svc.recall_timesheet(request.user, sheet)
            notice = "Taken back to draft."
        elif action == "link":
            token = svc.issue_contractor_link(request.user, sheet)
            url = request.build_absolute_uri(reverse("timesheet-contractor", args=[token]))
            return render(
                request,
                "placements/timesheet_detail.html",
                _detail_context(request, sheet, contractor_link=url),
            )
        else:
            raise Http404("unknown action")
    except CadreError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, notice)
    return redirect("timesheet-detail", pk=sheet.pk)


@require_http_methods(["GET", "POST"])
def timesheet_contractor(request: HttpRequest, token: str) -> HttpResponse:
    """The contractor's page: no account, no navigation, only this week."""
    try:
        sheet = svc.timesheet_from_link(token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        return render(request, "placements/timesheet_contractor.html", {"expired": exc.message}, status=403)
    errors: list[str] = []
    post = None
    notice = ""
    if request.method == "POST":
        try:
            saved = svc.contractor_save(
                token, rows_from_post(sheet, request.POST), note=request.POST.get("note")
            )
            if request.POST.get("then") == "submit":
                saved = svc.contractor_submit(token)
                notice = "Thank you: your week was submitted for approval."
            else:
                notice = "Saved. Submit when the week is complete."
            sheet = saved
        except CadreError as exc:
            errors = exc.message.split("; ")
            post = request.POST
    sheet = svc.timesheet_from_link(token)
    response = render(
        request,
        "placements/timesheet_contractor.html",
        {
            "sheet": sheet,
            "first_name": sheet.placement.application.person.full_name.split(" ")[0],
            "client": sheet.placement.client.name,
            "days": _day_rows(sheet, post),
            "totals": _totals(sheet),
            "editable": sheet.status in svc.EDITABLE,
            "errors": errors,
            "notice": notice,
            "overtime_help": OVERTIME_HELP,
            "today": timezone.localdate(),
        },
        status=422 if errors else 200,
    )
    # The token is in the URL: never send it to another site. ("no-referrer" would make Chromium send
    # "Origin: null" on the form posts, which Django's CSRF check refuses.)
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns: list[URLPattern] = [
    path("placements/<int:pk>/timesheets/", placement_timesheets, name="placement-timesheets"),
    path("placements/<int:pk>/timesheets/new/", timesheet_create, name="placement-timesheet-create"),
    path("placements/timesheets/", timesheet_list, name="timesheet-list"),
    path("placements/timesheets/<int:pk>/", timesheet_detail, name="timesheet-detail"),
    path("placements/timesheets/<int:pk>/save/", timesheet_save, name="timesheet-save"),
    path(
        "placements/timesheets/<int:pk>/<str:action>/",
        timesheet_action,
        name="timesheet-action",
    ),
    path("timesheets/c/<str:token>/", timesheet_contractor, name="timesheet-contractor"),
]
