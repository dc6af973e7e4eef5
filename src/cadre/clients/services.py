"""Writes on clients and contacts: editors only, validated, audited, versioned."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from cadre.clients.models import Client, Contact
from cadre.core import audit
from cadre.core.exceptions import Conflict, ValidationFailed
from cadre.core.models import AuditLog, User
from cadre.core.roles import Role
from cadre.core.services import create_audited, delete_audited, require_editor, versioned_update
from cadre.taxonomy.models import Platform


@transaction.atomic
def create_client(actor: Any, *, name: str, platforms: Iterable[Platform] = (), **fields: Any) -> Client:
    require_editor(actor)
    client = create_audited(Client(name=name.strip(), **fields), actor=actor)
    client.platforms.set(list(platforms))
    return client


def update_client(actor: Any, client: Client, *, expected_version: int | None, **changes: Any) -> Client:
    require_editor(actor)
    platforms = changes.pop("platforms", None)
    with transaction.atomic():
        client = versioned_update(client, expected_version=expected_version, changes=changes, actor=actor)
        if platforms is not None:
            before = sorted(client.platforms.values_list("slug", flat=True))
            client.platforms.set(list(platforms))
            after = sorted(p.slug for p in platforms)
            audit.record(
                AuditLog.Action.UPDATE,
                client,
                before={"platforms": before},
                after={"platforms": after},
                actor=actor,
            )
    return client


def delete_client(actor: Any, client: Client) -> None:
    require_editor(actor)
    if n := client.requisitions.count():
        raise Conflict(f"client has {n} requisition(s); close them instead of deleting the client")
    delete_audited(client, actor=actor)


def add_contact(actor: Any, client: Client, **fields: Any) -> Contact:
    require_editor(actor)
    return create_audited(Contact(client=client, **fields), actor=actor)


@transaction.atomic
def assign_hiring_manager(actor: Any, client: Client, user: User) -> None:
    require_editor(actor)
    if user.role != Role.HIRING_MANAGER:
        raise ValidationFailed(f"{user.username} is not a hiring manager", field="user")
    client.hiring_managers.add(user)
    audit.record(AuditLog.Action.UPDATE, client, after={"hiring_manager_added": user.username}, actor=actor)
