"""REST endpoints for matching: /api/requisitions/{id}/matches, /api/people/{id}/matches,
/api/matches/text, /api/saved-searches and /api/talent-pools."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from cadre.api.schemas import ERRORS, StrictIn
from cadre.core.exceptions import NotFound
from cadre.matching import selectors, services
from cadre.matching.index import TOP_LIMIT
from cadre.matching.models import SavedSearch, TalentPool
from cadre.people.models import Person
from cadre.people.selectors import get_person
from cadre.requisitions.selectors import get_requisition

router = Router(tags=["matching"])


class MatchParams(Schema):
    top: int = Field(50, description=f"How many to return; values outside 1..{TOP_LIMIT} are capped")
    relax: str = Field(
        "",
        description="Comma-separated hard filters to relax: work_authorization, clearance, location, "
        "time_zone, availability, pay, engagement_type",
    )
    include_in_pipeline: bool = Field(False, description="Also rank people already in this pipeline")


class MatchOut(Schema):
    results: list[dict[str, Any]]
    version: str
    ms: float
    reason: str
    considered: int
    eligible: int
    excluded_by: dict[str, int]
    relaxed: list[str]
    approximate: bool
    inputs_digest: str
    query: dict[str, Any]


class TextMatchIn(StrictIn):
    text: str = Field(..., min_length=1, max_length=selectors.MAX_TEXT_CHARS)
    top: int = 50


@router.get("/requisitions/{int:pk}/matches", response={200: MatchOut, **ERRORS})
def requisition_matches(request: HttpRequest, pk: int, params: Query[MatchParams]) -> dict[str, Any]:
    """People for a requisition, best first, each with matched/missing must-haves and their evidence."""
    selectors.require_matcher(request.user)
    requisition = get_requisition(request.user, pk)
    outcome = services.match_people(
        request.user,
        requisition,
        top=params.top,
        relaxed=selectors.parse_relaxed([params.relax]),
        include_in_pipeline=params.include_in_pipeline,
    )
    return outcome.as_dict()


@router.get("/people/{int:pk}/matches", response={200: MatchOut, **ERRORS})
def person_matches(request: HttpRequest, pk: int, top: int = 50) -> dict[str, Any]:
    """Open requisitions for a person, scored as the person would score in each one's matches."""
    selectors.require_matcher(request.user)
    person = get_person(request.user, pk)
    return services.match_requisitions(request.user, person, top=top).as_dict()


@router.post("/matches/text", response={200: MatchOut, **ERRORS})
def text_matches(request: HttpRequest, payload: TextMatchIn) -> dict[str, Any]:
    """People for a free job description."""
    return services.match_text(request.user, payload.text, top=payload.top).as_dict()


# -- saved searches -----------------------------------------------------------------------------------


class SavedSearchIn(StrictIn):
    name: str = Field(..., min_length=1, max_length=120)
    requisition_id: int | None = None
    text: str = Field("", max_length=selectors.MAX_TEXT_CHARS)
    relax: list[str] = []
    top: int = 50


class SavedSearchOut(Schema):
    id: int
    name: str
    requisition_id: int | None
    text: str
    relaxed_filters: list[str]
    top: int
    created_at: dt.datetime
    last_run_at: dt.datetime | None


@router.get("/saved-searches", response={200: list[SavedSearchOut], **ERRORS})
def list_saved_searches(request: HttpRequest) -> Any:
    selectors.require_matcher(request.user)
    return list(selectors.saved_searches_of(request.user))


@router.post("/saved-searches", response={201: SavedSearchOut, **ERRORS})
def create_saved_search(request: HttpRequest, payload: SavedSearchIn) -> Status:
    selectors.require_matcher(request.user)
    requisition = get_requisition(request.user, payload.requisition_id) if payload.requisition_id else None
    search = services.save_search(
        request.user,
        name=payload.name,
        requisition=requisition,
        text=payload.text,
        relaxed=selectors.parse_relaxed(payload.relax),
        top=payload.top,
    )
    return Status(201, search)


def _own_search(request: HttpRequest, pk: int) -> SavedSearch:
    selectors.require_matcher(request.user)
    search = selectors.saved_searches_of(request.user).filter(pk=pk).first()
    if search is None:
        raise NotFound(f"saved search {pk} not found")
    return search


@router.post("/saved-searches/{int:pk}/run", response={200: MatchOut, **ERRORS})
def run_saved_search(request: HttpRequest, pk: int) -> dict[str, Any]:
    return services.run_saved_search(request.user, _own_search(request, pk)).as_dict()


@router.delete("/saved-searches/{int:pk}", response={204: None, **ERRORS})
def delete_saved_search(request: HttpRequest, pk: int) -> Status:
    services.delete_saved_search(request.user, _own_search(request, pk))
    return Status(204, None)


# -- talent pools -------------------------------------------------------------------------------------


class PoolIn(StrictIn):
    name: str = Field(..., min_length=1, max_length=120)
    description: str = ""


class PoolOut(Schema):
    id: int
    name: str
    description: str
    size: int = 0
    created_at: dt.datetime


class MemberIn(StrictIn):
    person_id: int
    note: str = Field("", max_length=300)


class MemberOut(Schema):
    person_id: int
    headline: str = Field(..., alias="person.headline")
    note: str
    added_at: dt.datetime


class PoolDetailOut(PoolOut):
    members: list[MemberOut]


def _pool(request: HttpRequest, pk: int) -> TalentPool:
    selectors.require_matcher(request.user)
    pool = selectors.talent_pools().filter(pk=pk).first()
    if pool is None:
        raise NotFound(f"talent pool {pk} not found")
    return pool


@router.get("/talent-pools", response={200: list[PoolOut], **ERRORS})
def list_pools(request: HttpRequest) -> Any:
    selectors.require_matcher(request.user)
    return list(selectors.talent_pools())


@router.post("/talent-pools", response={201: PoolOut, **ERRORS})
def create_pool(request: HttpRequest, payload: PoolIn) -> Status:
    selectors.require_matcher(request.user)
    return Status(201, services.create_pool(request.user, name=payload.name, description=payload.description))


@router.get("/talent-pools/{int:pk}", response={200: PoolDetailOut, **ERRORS})
def pool_detail(request: HttpRequest, pk: int) -> Any:
    pool = _pool(request, pk)
    pool.members_list = list(pool.memberships.select_related("person"))  # type: ignore[attr-defined]
    return {
        "id": pool.pk,
        "name": pool.name,
        "description": pool.description,
        "size": len(pool.members_list),  # type: ignore[attr-defined]
        "created_at": pool.created_at,
        "members": pool.members_list,  # type: ignore[attr-defined]
    }


@router.post("/talent-pools/{int:pk}/members", response={201: MemberOut, **ERRORS})
def add_member(request: HttpRequest, pk: int, payload: MemberIn) -> Status:
    pool = _pool(request, pk)
    person = Person.objects.filter(pk=payload.person_id).first()
    if person is None:
        raise NotFound(f"person {payload.person_id} not found")
    return Status(201, services.add_to_pool(request.user, pool, person, note=payload.note))


@router.delete("/talent-pools/{int:pk}/members/{int:person_id}", response={204: None, **ERRORS})
def remove_member(request: HttpRequest, pk: int, person_id: int) -> Status:
    pool = _pool(request, pk)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound(f"person {person_id} not found")
    services.remove_from_pool(request.user, pool, person)
    return Status(204, None)
