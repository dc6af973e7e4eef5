"""The hiring stages, in board order. Pure module."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    SOURCED = "sourced"
    SCREENING = "screening"
    SUBMITTED = "submitted"
    CLIENT_INTERVIEW = "client_interview"
    OFFER = "offer"
    PLACED = "placed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    Stage.SOURCED: "Sourced",
    Stage.SCREENING: "Screening",
    Stage.SUBMITTED: "Submitted to client",
    Stage.CLIENT_INTERVIEW: "Client interview",
    Stage.OFFER: "Offer",
    Stage.PLACED: "Placed",
    Stage.REJECTED: "Rejected",
    Stage.WITHDRAWN: "Withdrawn",
}
STAGE_CHOICES = [(s.value, s.label) for s in Stage]
BOARD_ORDER = list(Stage)
ACTIVE_STAGES = frozenset(
    {Stage.SOURCED, Stage.SCREENING, Stage.SUBMITTED, Stage.CLIENT_INTERVIEW, Stage.OFFER}
)
CLOSED_STAGES = frozenset({Stage.PLACED, Stage.REJECTED, Stage.WITHDRAWN})
