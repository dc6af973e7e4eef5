"""REST endpoints for the duplicate review queue: /api/dedup."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from cadre.api.schemas import ERRORS
from cadre.resolution import selectors, services
from cadre.resolution.models import MatchCandidate, MergeRecord

router = Router(tags=["identity resolution"])


class PersonRef(Schema):
    id: int
    full_name: str


class CandidateOut(Schema):
    id: int
    left: PersonRef
    right: PersonRef
    probability: float
    match_weight: float
    explanation: list[dict[str, Any]]
    exact_key: str
    reason: str
    model_version: str
    status: str
    reviewed_at: dt.datetime | None


class MergeOut(Schema):
    id: int
    survivor_id: int
    merged_id: int
    moved: dict[str, Any]
    kept_back: dict[str, Any]
    automatic: bool
    probability: float | None
    at: dt.datetime
    unmerged_at: dt.datetime | None


@router.get("/candidates", response=list[CandidateOut])
@paginate(PageNumberPagination)
def list_candidates(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Pending pairs, most probable first."""
    return selectors.pending_candidates(request.user)


@router.post("/candidates/{candidate_id}/merge", response={200: MergeOut, **ERRORS})
def merge_candidate(request: HttpRequest, candidate_id: int) -> MergeRecord:
    return services.merge_candidate(request.user, selectors.get_candidate(request.user, candidate_id))


@router.post("/candidates/{candidate_id}/reject", response={200: CandidateOut, **ERRORS})
def reject_candidate(request: HttpRequest, candidate_id: int) -> MatchCandidate:
    return services.reject_candidate(request.user, selectors.get_candidate(request.user, candidate_id))


@router.post("/merges/{merge_id}/unmerge", response={200: MergeOut, **ERRORS})
def unmerge(request: HttpRequest, merge_id: int) -> MergeRecord:
    return services.unmerge(request.user, selectors.get_merge(request.user, merge_id).pk)
