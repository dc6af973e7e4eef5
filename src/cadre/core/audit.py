"""The one audit path: services call `record` (and admin goes through AuditedModelAdmin).

Who acted is taken from a context variable set per request (web/API) or per command (CLI), so
services need not thread the request through every call but may pass `actor` explicitly.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import models

from cadre.core.models import AuditLog

_actor: contextvars.ContextVar[tuple[Any, str] | None] = contextvars.ContextVar(
    "cadre_audit_actor", default=None
)


@contextmanager
def acting_as(user: Any, via: str) -> Iterator[None]:
    """Attribute writes inside the block to `user`, arriving through `via` (web, api, cli...)."""
    token = _actor.set((user, via))
    try:
        yield
    finally:
        _actor.reset(token)


class RequestActor:
    """Resolve the user lazily: the API authenticates inside the view, after the middleware ran."""

    def __init__(self, request: Any) -> None:
        self.request = request

    @property
    def user(self) -> Any:
        return getattr(self.request, "user", None)


def current_actor() -> tuple[Any, str]:
    value = _actor.get()
    if value is None:
        return None, "system"
    user, via = value
    if isinstance(user, RequestActor):
        user = user.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return user, via


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or None
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """A JSON-safe copy of the concrete fields of `instance` (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in {"password"}:
            continue
        data[field.attname] = _json_value(getattr(instance, field.attname))
    return data


def _entry(
    action: str,
    instance: models.Model,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor: Any,
    via: str | None,
) -> AuditLog:
    ctx_actor, ctx_via = current_actor()
    return AuditLog(
        actor=actor if actor is not None else ctx_actor,
        via=via or ctx_via,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
    )


def record(
    action: str,
    instance: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: Any = None,
    via: str | None = None,
) -> AuditLog:
    entry = _entry(action, instance, before=before, after=after, actor=actor, via=via)
    entry.save(force_insert=True)
    return entry


def record_many(action: str, instances: Iterable[models.Model], *, actor: Any = None) -> None:
    """`record` for many new rows in one INSERT (bulk imports): same table, same fields."""
    entries = [_entry(action, i, before=None, after=snapshot(i), actor=actor, via=None) for i in instances]
    AuditLog.objects.bulk_create(entries, batch_size=500)
