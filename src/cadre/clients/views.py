"""Client pages: the list of client organisations and one client's stack, contacts and job orders."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cadre.clients import selectors
from cadre.pipeline.selectors import with_active_counts
from cadre.requisitions.selectors import list_requisitions
from cadre.web.http import can_edit, fetch, paginate


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    clients = selectors.list_clients(request.user, q=q).prefetch_related("platforms")
    context = {"page_obj": paginate(request, clients), "q": q}
    return render(request, "clients/list.html", context)


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = fetch(selectors.get_client, request.user, pk)
    requisitions = with_active_counts(list_requisitions(request.user, client_id=client.pk))
    context = {
        "client": client,
        "hiring_managers": list(selectors.hiring_managers_of(client)),
        "requisitions": list(requisitions[:100]),
        "can_edit": can_edit(request),
    }
    return render(request, "clients/detail.html", context)
