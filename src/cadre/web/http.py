"""Helpers shared by the views of every app: errors to responses, htmx detection, pagination."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from cadre.core import roles
from cadre.core.exceptions import CadreError, Forbidden, NotFound

PER_PAGE = 25
# Marks a response body as a fragment meant for swapping even with a 4xx status (see app.js).
FRAGMENT_HEADER = "X-Cadre-Fragment"

T = TypeVar("T")
View = Callable[..., HttpResponse]


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def fetch(selector: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a selector, turning NotFound into a 404 and Forbidden into a 403."""
    try:
        return selector(*args, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc


def fragment(response: HttpResponse, status: int = 200) -> HttpResponse:
    response.status_code = status
    response[FRAGMENT_HEADER] = "1"
    return response


def error_status(exc: CadreError) -> int:
    return exc.status_code


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PER_PAGE) -> Page:
    """One COUNT and one page fetch, whatever the table size."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def editor_required(view: View) -> View:
    """Logged in, and a role that may create and edit records (admin, recruiter)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not roles.can_edit_records(getattr(request.user, "role", "")):
            raise PermissionDenied("only recruiters and admins edit records")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def can_edit(request: HttpRequest) -> bool:
    return roles.can_edit_records(getattr(request.user, "role", ""))
