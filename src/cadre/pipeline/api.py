"""REST endpoints for the pipeline: /api/applications (with stage moves) and /api/activities."""

import datetime as dt
from typing import Literal, get_args

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from cadre.api.schemas import ERRORS, StrictIn
from cadre.core.exceptions import Conflict
from cadre.people.selectors import get_person
from cadre.pipeline import selectors, services
from cadre.pipeline.models import Activity, Application, StageEvent
from cadre.pipeline.stages import Stage
from cadre.requisitions.selectors import get_requisition

router = Router(tags=["applications"])
activities_router = Router(tags=["activities"])

StageIn = Literal[
    "sourced", "screening", "submitted", "client_interview", "offer", "placed", "rejected", "withdrawn"
]
assert set(get_args(StageIn)) == {s.value for s in Stage}, "StageIn must list every Stage"


class ApplicationOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.full_name")
    requisition_id: int
    requisition_title: str = Field(..., alias="requisition.title")
    client_id: int = Field(..., alias="requisition.client_id")
    stage: str
    stage_changed_at: dt.datetime
    source: str
    version: int
    created_at: dt.datetime


class ApplicationIn(StrictIn):
    person_id: int
    requisition_id: int
    stage: StageIn = "sourced"
    source: str = Field("", max_length=64)


class MoveIn(StrictIn):
    to_stage: StageIn
    reason: str = Field("", max_length=2000)
    version: int | None = Field(None, ge=1, description="If given, a stale version gets 409")


class StageEventOut(Schema):
    id: int
    application_id: int
    from_stage: str
    to_stage: str
    actor: str | None = None
    at: dt.datetime
    reason: str

    @staticmethod
    def resolve_actor(obj: StageEvent) -> str | None:
        return obj.actor.username if obj.actor else None


class MoveOut(Schema):
    application: ApplicationOut
    event: StageEventOut


class ApplicationFilters(Schema):
    requisition_id: int | None = None
    person_id: int | None = None
    stage: str = ""


@router.get("", response=list[ApplicationOut])
@paginate(PageNumberPagination)
def list_applications(request: HttpRequest, filters: Query[ApplicationFilters]):  # type: ignore[no-untyped-def]
    return selectors.list_applications(request.user, **filters.model_dump())


@router.post("", response={201: ApplicationOut, **ERRORS})
def create_application(request: HttpRequest, payload: ApplicationIn) -> Status[Application]:
    application = services.create_application(
        request.user,
        person=get_person(request.user, payload.person_id),
        requisition=get_requisition(request.user, payload.requisition_id),
        stage=payload.stage,
        source=payload.source or "api",
    )
    return Status(201, selectors.get_application(request.user, application.pk))


@router.get("/{application_id}", response={200: ApplicationOut, **ERRORS})
def get_application(request: HttpRequest, application_id: int) -> Application:
    return selectors.get_application(request.user, application_id)


@router.delete("/{application_id}", response={204: None, **ERRORS})
def delete_application(request: HttpRequest, application_id: int) -> Status[None]:
    """Only an application added by mistake (no stage history yet) may be deleted."""
    services.delete_application(request.user, selectors.get_application(request.user, application_id))
    return Status(204, None)


@router.post("/{application_id}/move", response={200: MoveOut, **ERRORS})
def move_application(request: HttpRequest, application_id: int, payload: MoveIn) -> dict:
    application = selectors.get_application(request.user, application_id)
    event = services.move_application(
        request.user,
        application,
        to_stage=payload.to_stage,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return {"application": selectors.get_application(request.user, application_id), "event": event}


@router.get("/{application_id}/events", response={200: list[StageEventOut], **ERRORS})
def list_stage_events(request: HttpRequest, application_id: int) -> list[StageEvent]:
    return list(selectors.stage_events(selectors.get_application(request.user, application_id)))


class ActivityOut(Schema):
    id: int
    person_id: int
    application_id: int | None
    kind: str
    body: str
    actor: str | None = None
    at: dt.datetime

    @staticmethod
    def resolve_actor(obj: Activity) -> str | None:
        return obj.actor.username if obj.actor else None


class ActivityIn(StrictIn):
    person_id: int
    application_id: int | None = None
    kind: Literal["note", "call", "email", "meeting"] = "note"
    body: str = Field(..., min_length=1, max_length=20_000)


class ActivityFilters(Schema):
    person_id: int
    limit: int = Field(100, ge=1, le=500)


@activities_router.get("", response={200: list[ActivityOut], **ERRORS})
def list_activities(request: HttpRequest, filters: Query[ActivityFilters]) -> list[Activity]:
    person = get_person(request.user, filters.person_id)
    return selectors.timeline(request.user, person, limit=filters.limit)


@activities_router.post("", response={201: ActivityOut, **ERRORS})
def create_activity(request: HttpRequest, payload: ActivityIn) -> Status[Activity]:
    person = get_person(request.user, payload.person_id)
    application = None
    if payload.application_id is not None:
        application = selectors.get_application(request.user, payload.application_id)
        if application.person_id != person.pk:
            raise Conflict("that application belongs to another person")
    return Status(
        201,
        services.add_note(
            request.user, person, body=payload.body, application=application, kind=payload.kind
        ),
    )
