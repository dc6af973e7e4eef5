"""Reads of clients, scoped to what the user may see (hiring managers: assigned clients only)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from cadre.clients.models import Client
from cadre.core.exceptions import NotFound
from cadre.core.selectors import is_client_scoped


def clients_visible_to(user: Any) -> QuerySet[Client]:
    qs = Client.objects.all()
    if is_client_scoped(user):
        qs = qs.filter(hiring_managers=user)
    return qs


def list_clients(user: Any, *, q: str = "") -> QuerySet[Client]:
    qs = clients_visible_to(user).annotate(
        open_requisitions=Count("requisitions", filter=Q(requisitions__status="open"))
    )
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("name")


def get_client(user: Any, pk: int) -> Client:
    client = clients_visible_to(user).prefetch_related("platforms", "contacts").filter(pk=pk).first()
    if client is None:
        raise NotFound(f"client {pk} not found")
    return client


def hiring_managers_of(client: Client) -> QuerySet[Any]:
    return client.hiring_managers.order_by("last_name", "first_name", "username")
