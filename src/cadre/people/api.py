"""REST endpoints for people and their identities: /api/people."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema, UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from cadre.api.schemas import ERRORS, NonEmpty, StrictIn, VersionedPatch
from cadre.core.exceptions import NotFound, ValidationFailed
from cadre.people import identity, selectors, services
from cadre.people.models import Attachment, Identity, Person, SourceRecord

router = Router(tags=["people"])

IdentityKind = Literal[identity.KINDS]  # type: ignore[valid-type]


class IdentityIn(StrictIn):
    kind: IdentityKind
    value: str = Field(..., min_length=1, max_length=255)


class IdentityOut(Schema):
    id: int
    kind: str
    value: str
    display_value: str
    verified: bool
    url: str


class PersonOut(Schema):
    id: int
    full_name: str
    headline: str
    location: str
    time_zone: str
    summary: str
    identities: list[IdentityOut]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_identities(obj: Person) -> list[Identity]:
        return list(obj.identities.all())


class PersonFields(StrictIn):
    headline: str | None = Field(None, max_length=200)
    location: str | None = Field(None, max_length=120)
    time_zone: str | None = Field(None, max_length=64)
    summary: str | None = None


class PersonIn(PersonFields):
    full_name: NonEmpty
    identities: list[IdentityIn] = []


class PersonPatch(PersonFields, VersionedPatch):
    full_name: NonEmpty | None = None


class PeopleFilters(Schema):
    q: str = Field("", description="Words in name or headline, or an exact e-mail / ORCID / GitHub URL")


def _load(request: HttpRequest, person_id: int) -> Person:
    person = selectors.get_person(request.user, person_id)
    return Person.objects.prefetch_related("identities").get(pk=person.pk)


@router.get("", response=list[PersonOut])
@paginate(PageNumberPagination)
def list_people(request: HttpRequest, filters: Query[PeopleFilters]):  # type: ignore[no-untyped-def]
    return selectors.search_people(request.user, filters.q).prefetch_related("identities")


@router.post("", response={201: PersonOut, **ERRORS})
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    data = {k: v for k, v in payload.model_dump().items() if v is not None}
    identities = [(i["kind"], i["value"]) for i in data.pop("identities")]
    person = services.create_person(
        request.user,
        identities=identities,
        source=SourceRecord.Source.API,
        source_payload=payload.model_dump(),
        **data,
    )
    return Status(201, _load(request, person.pk))


@router.get("/{person_id}", response={200: PersonOut, **ERRORS})
def get_person(request: HttpRequest, person_id: int) -> Person:
    return _load(request, person_id)


@router.patch("/{person_id}", response={200: PersonOut, **ERRORS})
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> Person:
    person = selectors.get_person(request.user, person_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    services.update_person(request.user, person, expected_version=version, **changes)
    return _load(request, person_id)


@router.delete("/{person_id}", response={204: None, **ERRORS})
def delete_person(request: HttpRequest, person_id: int) -> Status[None]:
    services.delete_person(request.user, selectors.get_person(request.user, person_id))
    return Status(204, None)


@router.post("/{person_id}/identities", response={201: IdentityOut, **ERRORS})
def add_identity(request: HttpRequest, person_id: int, payload: IdentityIn) -> Status[Identity]:
    person = selectors.get_person(request.user, person_id)
    return Status(201, services.add_identity(request.user, person, kind=payload.kind, value=payload.value))


@router.delete("/{person_id}/identities/{identity_id}", response={204: None, **ERRORS})
def remove_identity(request: HttpRequest, person_id: int, identity_id: int) -> Status[None]:
    person = selectors.get_person(request.user, person_id)
    ident = selectors.identities_of(person).filter(pk=identity_id).first()
    if ident is None:
        raise NotFound(f"identity {identity_id} not found on person {person_id}")
    services.remove_identity(request.user, ident)
    return Status(204, None)


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


@router.get("/{person_id}/attachments", response={200: list[AttachmentOut], **ERRORS})
def list_attachments(request: HttpRequest, person_id: int) -> list[Attachment]:
    return list(selectors.get_person(request.user, person_id).attachments.all())


@router.post("/{person_id}/attachments", response={201: AttachmentOut, **ERRORS})
def upload_attachment(request: HttpRequest, person_id: int, file: File[UploadedFile]) -> Status[Attachment]:
    person = selectors.get_person(request.user, person_id)
    if (file.size or 0) > services.MAX_ATTACHMENT_BYTES:
        raise ValidationFailed("attachments are limited to 10 MB", field="file")
    attachment = services.store_attachment(
        request.user,
        person=person,
        name=file.name or "upload",
        content=file.read(),
        content_type=file.content_type or "",
    )
    return Status(201, attachment)
