"""REST endpoints for compliance monitoring:

- GET /api/compliance/adverse-impact?requisition_id=&client_id=  per pipeline step, adverse-impact
  tables by sex, race/ethnicity and intersection
- GET /api/compliance/ll144/matching?format=json|csv&since=&requisition_id=  LL144 audit of matching
- GET /api/compliance/ll144/assessments?format=json|csv&since=&requisition_id=  LL144 audit of screening
  assessments (the sitting scores); both are `_ll144` with the tool's DecisionRecord kind
- GET|PUT /api/people/{id}/self-identification  a person's voluntary self-identification

Reading needs the demographics permission (admins, compliance officers, view_demographics); recording
needs the compliance-officer or admin role. Others get 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cadre.api.schemas import ERRORS, ErrorOut, StrictIn
from cadre.compliance import demographics, monitoring
from cadre.compliance.monitoring_views import TOOLS_BY_KIND, ll144_download
from cadre.core.exceptions import NotFound
from cadre.people.models import Person

router = Router(tags=["compliance"])
RESPONSES: dict[int, type[Schema]] = {**ERRORS, 422: ErrorOut}


class AdverseImpactParams(Schema):
    requisition_id: int | None = Field(None, description="One requisition")
    client_id: int | None = Field(None, description="All requisitions of one client")


class LL144Params(Schema):
    format: Literal["json", "csv"] = Field("json", description="json (the report) or csv (the summary)")
    since: dt.date | None = Field(None, description="Only scores recorded on or after this date")
    requisition_id: int | None = Field(None, description="Only scores for one requisition")


class SelfIdIn(StrictIn):
    sex: str = Field("", max_length=40, description="Male, Female, or blank (declined)")
    race_ethnicity: str = Field("", max_length=80, description="An EEO-1 race/ethnicity, or blank (declined)")
    collected_via: str = Field("form", max_length=32, description="form, survey, import, paper")
    form_version: str = Field("", max_length=32, description="The self-identification form shown")


class SelfIdOut(Schema):
    person_id: int
    recorded: bool
    sex: str | None = None
    race_ethnicity: str | None = None
    collected_at: str | None = None
    collected_via: str | None = None
    form_version: str | None = None


@router.get("/compliance/adverse-impact", response={200: dict[str, Any], **RESPONSES})
def adverse_impact(request: HttpRequest, params: Query[AdverseImpactParams]) -> dict[str, Any]:
    """Per pipeline step (sourced → screening → ... → placed), the applications that moved on among those
    that reached the step before, by sex, race/ethnicity and intersection: selection rates, exact impact
    ratios against the highest-rate group, z and Fisher tests, warnings, unknowns."""
    return monitoring.stage_funnel_counts(
        request.user, requisition=params.requisition_id, client=params.client_id
    )


def _ll144(request: HttpRequest, params: LL144Params, kind: str) -> Any:
    report = monitoring.scoring_ll144_audit(
        request.user, kind=kind, since=params.since, requisition=params.requisition_id
    )
    if params.format == "csv":
        return ll144_download(report, TOOLS_BY_KIND[kind], "csv")
    return report


@router.get("/compliance/ll144/matching", response={200: dict[str, Any], **RESPONSES})
def ll144_matching(request: HttpRequest, params: Query[LL144Params]) -> Any:
    """NYC Local Law 144 scoring-mode bias audit of Cadre matching from its decision records (422 when
    there is no score to audit). format=csv returns the public-summary CSV."""
    return _ll144(request, params, monitoring.MATCH_KIND)


@router.get("/compliance/ll144/assessments", response={200: dict[str, Any], **RESPONSES})
def ll144_assessments(request: HttpRequest, params: Query[LL144Params]) -> Any:
    """NYC Local Law 144 scoring-mode bias audit of screening assessments: the latest graded sitting score
    of each person for each requisition (422 when there is none). format=csv returns the public-summary
    CSV."""
    return _ll144(request, params, monitoring.ASSESSMENT_KIND)


def _person(pk: int) -> Person:
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise NotFound(f"person {pk} not found")
    return person


def _out(person_id: int, data: dict[str, Any] | None) -> dict[str, Any]:
    if data is None:
        return {"person_id": person_id, "recorded": False}
    return data | {"recorded": True}


@router.get("/people/{int:pk}/self-identification", response={200: SelfIdOut, **RESPONSES})
def get_self_identification(request: HttpRequest, pk: int) -> dict[str, Any]:
    """A person's self-identification ("" = declined; recorded=false when never collected)."""
    demographics.require_demographics_reader(request.user)
    person = _person(pk)
    return _out(person.pk, demographics.demographics_for(request.user, [person.pk]).get(person.pk))


@router.put("/people/{int:pk}/self-identification", response={200: SelfIdOut, **RESPONSES})
def put_self_identification(request: HttpRequest, pk: int, payload: SelfIdIn) -> dict[str, Any]:
    """Record (or replace) a person's own answers from a self-identification form or survey."""
    demographics.require_demographics_recorder(request.user)
    person = _person(pk)
    demographics.record_self_identification(
        request.user,
        person,
        sex=payload.sex,
        race_ethnicity=payload.race_ethnicity,
        collected_via=payload.collected_via,
        form_version=payload.form_version,
    )
    return _out(person.pk, demographics.demographics_for(request.user, [person.pk]).get(person.pk))
