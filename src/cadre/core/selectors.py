"""Reads shared by every app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cadre.core import roles
from cadre.core.models import AuditLog, User
from cadre.core.services import require_user


def is_client_scoped(user: Any) -> bool:
    """True for hiring managers, who see only the clients assigned to them."""
    return not roles.sees_all_clients(require_user(user).role)


def audit_trail(object_type: str, object_id: int | str) -> QuerySet[AuditLog]:
    return AuditLog.objects.filter(object_type=object_type, object_id=str(object_id)).select_related("actor")


def active_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True)
