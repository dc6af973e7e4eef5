"""People pages: the searchable list, the person-centric profile, and creating a person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cadre.core.exceptions import Conflict, ValidationFailed
from cadre.core.roles import sees_all_clients
from cadre.people import selectors, services
from cadre.people.forms import IDENTITY_FIELDS, PersonForm
from cadre.pipeline.selectors import applications_of
from cadre.pipeline.views import timeline_context
from cadre.web.http import can_edit, editor_required, fetch, paginate


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    context = {
        "page_obj": paginate(request, selectors.list_people(request.user, q=q)),
        "q": q,
        "can_edit": can_edit(request),
    }
    return render(request, "people/list.html", context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = fetch(selectors.get_person, request.user, pk)
    source_records = list(selectors.source_records_of(person)[:50])
    context = timeline_context(
        request,
        person,
        identities=list(selectors.identities_of(person)),
        applications=list(applications_of(request.user, person)),
        source_records=source_records,
        skills=selectors.skills_with_evidence(person),
        facts=list(selectors.facts_of(person)[:50]),
        hidden_text=selectors.hidden_text_flags(source_records),
        can_edit=can_edit(request),
        # Matching and work preferences (loaded lazily by the page) are not for hiring managers.
        can_match=sees_all_clients(getattr(request.user, "role", "")),
    )
    return render(request, "people/detail.html", context)


@editor_required
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(
                request.user,
                full_name=form.cleaned_data["full_name"],
                headline=form.cleaned_data["headline"],
                location=form.cleaned_data["location"],
                identities=form.identities(),
            )
        except (Conflict, ValidationFailed) as exc:
            # Services name the identity type first ("github x already belongs to person 12").
            kind = exc.message.split(" ", 1)[0]
            form.add_error(kind if kind in IDENTITY_FIELDS else None, exc.message)
        else:
            messages.success(request, f"{person.full_name} added.")
            return redirect("person-detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form})
