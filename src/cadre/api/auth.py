"""API authentication: `Authorization: Bearer <token>` from `cadre token create`, or the UI session
(with CSRF enforced on unsafe methods)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from cadre.core.services import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user  # so the audit log and selectors see the same user as the UI
        return user


class ActiveSession(SessionAuth):
    """Session cookie auth; ninja checks the CSRF token for it on POST/PATCH/PUT/DELETE."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


API_AUTH = [BearerToken(), ActiveSession()]
