"""Pages that belong to no single pipeline stage: login, the dashboard and the global search."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cadre.people.selectors import search_people
from cadre.pipeline.selectors import recent_activity, stage_counts, with_active_counts
from cadre.pipeline.stages import ACTIVE_STAGES, Stage
from cadre.requisitions.models import Requisition
from cadre.requisitions.selectors import list_requisitions

DASHBOARD_REQUISITIONS = 15
SEARCH_LIMIT = 25


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


logout_view = auth_views.LogoutView.as_view()


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    open_requisitions = list_requisitions(request.user, status=Requisition.Status.OPEN)
    counts = stage_counts(request.user)
    widest = max(counts.values(), default=0) or 1
    funnel = [
        {"stage": stage, "count": n, "percent": round(100 * n / widest, 1)} for stage, n in counts.items()
    ]
    context = {
        "open_total": open_requisitions.count(),
        "requisitions": list(with_active_counts(open_requisitions)[:DASHBOARD_REQUISITIONS]),
        "funnel": funnel,
        "active_total": sum(n for stage, n in counts.items() if stage in ACTIVE_STAGES),
        "placed_total": counts.get(Stage.PLACED, 0),
        "activity": recent_activity(request.user, limit=8),
    }
    return render(request, "web/dashboard.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    people = list(search_people(request.user, q)[:SEARCH_LIMIT]) if q else []
    requisitions = list(list_requisitions(request.user, q=q)[:SEARCH_LIMIT]) if q else []
    context = {"search_q": q, "people": people, "requisitions": requisitions, "limit": SEARCH_LIMIT}
    return render(request, "web/search.html", context)
