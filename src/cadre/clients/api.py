"""REST endpoints for clients: /api/clients."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from cadre.api.schemas import ERRORS, NonEmpty, StrictIn, VersionedPatch
from cadre.clients import selectors, services
from cadre.clients.models import Client
from cadre.core.exceptions import ValidationFailed
from cadre.taxonomy.models import Platform

router = Router(tags=["clients"])


class ClientOut(Schema):
    id: int
    name: str
    industry: str
    website: str
    headquarters: str
    notes: str
    platforms: list[str] = Field(..., description="Platform slugs (the client's cloud/GPU stack)")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_platforms(obj: Client) -> list[str]:
        return [p.slug for p in obj.platforms.all()]


class ClientIn(StrictIn):
    name: NonEmpty
    industry: str = Field("", max_length=120)
    website: str = Field("", max_length=200)
    headquarters: str = Field("", max_length=120)
    notes: str = ""
    platforms: list[str] = []


class ClientPatch(VersionedPatch):
    name: NonEmpty | None = None
    industry: str | None = Field(None, max_length=120)
    website: str | None = Field(None, max_length=200)
    headquarters: str | None = Field(None, max_length=120)
    notes: str | None = None
    platforms: list[str] | None = None


class ClientFilters(Schema):
    q: str = Field("", description="Name contains")


def platforms_from_slugs(slugs: list[str]) -> list[Platform]:
    found = {p.slug: p for p in Platform.objects.filter(slug__in=slugs)}
    if unknown := sorted(set(slugs) - set(found)):
        raise ValidationFailed(f"unknown platform(s): {', '.join(unknown)}", field="platforms")
    return [found[s] for s in slugs]


@router.get("", response=list[ClientOut])
@paginate(PageNumberPagination)
def list_clients(request: HttpRequest, filters: Query[ClientFilters]):  # type: ignore[no-untyped-def]
    return selectors.list_clients(request.user, q=filters.q).prefetch_related("platforms")


@router.post("", response={201: ClientOut, **ERRORS})
def create_client(request: HttpRequest, payload: ClientIn) -> Status[Client]:
    data = payload.model_dump()
    platforms = platforms_from_slugs(data.pop("platforms"))
    return Status(201, services.create_client(request.user, platforms=platforms, **data))


@router.get("/{client_id}", response={200: ClientOut, **ERRORS})
def get_client(request: HttpRequest, client_id: int) -> Client:
    return selectors.get_client(request.user, client_id)


@router.patch("/{client_id}", response={200: ClientOut, **ERRORS})
def update_client(request: HttpRequest, client_id: int, payload: ClientPatch) -> Client:
    client = selectors.get_client(request.user, client_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    if "platforms" in changes:
        changes["platforms"] = platforms_from_slugs(changes["platforms"] or [])
    return services.update_client(request.user, client, expected_version=version, **changes)


@router.delete("/{client_id}", response={204: None, **ERRORS})
def delete_client(request: HttpRequest, client_id: int) -> Status[None]:
    services.delete_client(request.user, selectors.get_client(request.user, client_id))
    return Status(204, None)
