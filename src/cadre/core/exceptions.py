"""Domain errors raised by services and selectors; the web, API and CLI map them to responses."""

from __future__ import annotations


class CadreError(Exception):
    """Base class: `message` is safe to show to the user."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(CadreError):
    """The object does not exist, or the user may not know it exists (never leak which)."""

    status_code = 404


class Forbidden(CadreError):
    """The user can see the object but may not perform this action on it."""

    status_code = 403


class Conflict(CadreError):
    """The write clashes with the current state (stale version, duplicate identity...)."""

    status_code = 409


class ValidationFailed(CadreError):
    status_code = 422
