"""REST endpoints for compliance: privacy (export, erasure), candidate notices and retention.

GET  /api/people/{id}/export                      everything held on a person (JSON)
POST /api/people/{id}/erase                       {"reason": ...}: anonymise the person
GET  /api/compliance/notices/status               ?person_id=&jurisdiction=&tool=&on=
GET  /api/compliance/notices/templates            the notice templates
POST /api/compliance/notices                      record a notice given
POST /api/compliance/notices/{id}/alternative     record a request for an alternative process
POST /api/compliance/retention/run                {"dry_run": true}: apply the retention policies
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from cadre.api.schemas import ERRORS, StrictIn
from cadre.compliance import notices, privacy, retention
from cadre.compliance.models import CandidateNotice, NoticeTemplate
from cadre.core.exceptions import Forbidden, NotFound
from cadre.people.selectors import get_person
from cadre.requisitions.models import Requisition

router = Router(tags=["compliance"])


class EraseIn(StrictIn):
    reason: str = Field(..., min_length=1, max_length=1000, description="Why (e.g. the request it answers)")


class NoticeIn(StrictIn):
    person_id: int
    jurisdiction: str = Field(..., description="NYC, IL, CO or EU")
    tool: str = Field(notices.DEFAULT_TOOL, min_length=1, max_length=64)
    requisition_id: int | None = None
    channel: str = Field("email", description=", ".join(notices.CHANNELS))
    sent_at: dt.datetime | None = Field(None, description="When it was given; default now, never later")


class NoticeOut(Schema):
    id: int
    person_id: int
    jurisdiction: str
    tool: str
    template_version: str
    title: str
    channel: str
    sent_at: dt.datetime
    requisition_id: int | None
    alternative_requested_at: dt.datetime | None

    @staticmethod
    def resolve_jurisdiction(obj: CandidateNotice) -> str:
        return obj.template.jurisdiction

    @staticmethod
    def resolve_tool(obj: CandidateNotice) -> str:
        return obj.template.tool

    @staticmethod
    def resolve_template_version(obj: CandidateNotice) -> str:
        return obj.template.version

    @staticmethod
    def resolve_title(obj: CandidateNotice) -> str:
        return obj.template.title


class TemplateOut(Schema):
    id: int
    jurisdiction: str
    tool: str
    title: str
    body: str
    min_business_days_before_use: int
    effective_from: dt.date
    version: str
    citation: str


class StatusParams(Schema):
    person_id: int
    jurisdiction: str = Field(..., description="NYC, IL, CO or EU")
    tool: str = notices.DEFAULT_TOOL
    on: dt.date | None = Field(None, description="The day of use; default today")


class StatusOut(Schema):
    ok: bool
    reason: str
    jurisdiction: str
    tool: str
    on: dt.date
    sent_at: dt.datetime | None
    earliest_use: dt.date | None
    required_business_days: int
    business_days_before: int | None
    notice_id: int | None
    template_version: str | None
    alternative_requested_at: dt.datetime | None


class RetentionIn(StrictIn):
    dry_run: bool = Field(True, description="Count what would go and change nothing (the default)")


@router.get("/people/{int:person_id}/export", response={200: dict[str, Any], **ERRORS})
def export_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    """Everything held on a person (recruiters, admins, compliance officers); the export is audited.
    Self-identification is included only for compliance officers and admins."""
    privacy.require_exporter(request.user)
    return privacy.export_person(request.user, privacy.find_person(person_id))


@router.post("/people/{int:person_id}/erase", response={200: dict[str, Any], **ERRORS})
def erase_person(request: HttpRequest, person_id: int, payload: EraseIn) -> dict[str, Any]:
    """Anonymise a person (admins, compliance officers). Applications, stage events, notices and
    decision records stay (counts survive); a person merged into another gets 409."""
    privacy.require_eraser(request.user)
    return privacy.erase_person(request.user, privacy.find_person(person_id), reason=payload.reason)


@router.get("/compliance/notices/status", response={200: StatusOut, **ERRORS})
def notice_status(request: HttpRequest, params: Query[StatusParams]) -> dict[str, Any]:
    """May the tool be used on the person on the day, as far as the jurisdiction's notice rule goes?"""
    person = get_person(request.user, params.person_id)
    return notices.notice_status(person, params.jurisdiction, params.tool, params.on)


@router.get("/compliance/notices/templates", response={200: list[TemplateOut], **ERRORS})
def notice_templates(request: HttpRequest) -> list[NoticeTemplate]:
    return list(NoticeTemplate.objects.order_by("jurisdiction", "tool", "-effective_from", "-id"))


@router.post("/compliance/notices", response={201: NoticeOut, **ERRORS})
def send_notice(request: HttpRequest, payload: NoticeIn) -> Status[CandidateNotice]:
    """Record that the notice in force was given to a person (recruiters, admins)."""
    person = get_person(request.user, payload.person_id)
    requisition = None
    if payload.requisition_id is not None:
        requisition = Requisition.objects.filter(pk=payload.requisition_id).first()
        if requisition is None:
            raise NotFound(f"requisition {payload.requisition_id} not found")
    notice = notices.send_notice(
        request.user,
        person,
        payload.jurisdiction,
        tool=payload.tool,
        requisition=requisition,
        channel=payload.channel,
        sent_at=payload.sent_at,
    )
    return Status(201, notice)


@router.post("/compliance/notices/{int:notice_id}/alternative", response={200: NoticeOut, **ERRORS})
def request_alternative(request: HttpRequest, notice_id: int) -> CandidateNotice:
    notice = CandidateNotice.objects.select_related("template").filter(pk=notice_id).first()
    if notice is None:
        raise NotFound(f"notice {notice_id} not found")
    get_person(request.user, notice.person_id)  # the same visibility as the person
    return notices.request_alternative(request.user, notice)


@router.post("/compliance/retention/run", response={200: dict[str, Any], **ERRORS})
def run_retention(request: HttpRequest, payload: RetentionIn) -> dict[str, Any]:
    """Apply the retention policies now (admins, compliance officers). Dry run by default."""
    if not privacy.may_erase(request.user):
        raise Forbidden("only an admin or a compliance officer may run retention")
    return retention.run_retention(dry_run=payload.dry_run, actor=request.user)
