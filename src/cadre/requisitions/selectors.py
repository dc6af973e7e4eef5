"""Reads of requisitions, scoped: hiring managers see only their assigned clients' requisitions."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cadre.core.exceptions import NotFound
from cadre.core.selectors import is_client_scoped
from cadre.requisitions.models import Requisition


def requisitions_visible_to(user: Any) -> QuerySet[Requisition]:
    qs = Requisition.objects.all()
    if is_client_scoped(user):
        qs = qs.filter(client__hiring_managers=user)
    return qs


def list_requisitions(
    user: Any,
    *,
    q: str = "",
    status: str = "",
    client_id: int | None = None,
    role_family: str = "",
    engagement_type: str = "",
) -> QuerySet[Requisition]:
    """Requisitions for list pages, with client, role family and owner joined."""
    qs = requisitions_visible_to(user).select_related("client", "role_family", "owner")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(client__name__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if client_id:
        qs = qs.filter(client_id=client_id)
    if role_family:
        qs = qs.filter(role_family__slug=role_family)
    if engagement_type:
        qs = qs.filter(engagement_type=engagement_type)
    return qs.order_by("-created_at", "-id")


def get_requisition(user: Any, pk: int) -> Requisition:
    requisition = (
        requisitions_visible_to(user)
        .select_related("client", "role_family", "owner")
        .prefetch_related("skill_requirements__skill")
        .filter(pk=pk)
        .first()
    )
    if requisition is None:
        raise NotFound(f"requisition {pk} not found")
    return requisition
