"""Schemas shared by the apps' routers."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class StrictIn(Schema):
    """Input schemas reject unknown fields, so a typo is a 422, not a silently ignored value."""

    model_config = ConfigDict(extra="forbid")


class VersionedPatch(StrictIn):
    version: int = Field(
        ...,
        ge=1,
        description="The version you read; a stale version gets 409 instead of overwriting.",
    )


Amount = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
NonEmpty = Annotated[str, Field(min_length=1, max_length=200)]

ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
}
