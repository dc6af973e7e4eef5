"""Writes on people: create with identities and a source record (provenance), edit, add identities."""

from __future__ import annotations

import hashlib
import json
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.core import audit
from cadre.core.exceptions import Conflict, Forbidden, ValidationFailed
from cadre.core.models import AuditLog
from cadre.core.roles import Role
from cadre.core.services import (
    create_audited,
    delete_audited,
    full_clean,
    require_editor,
    require_user,
    versioned_update,
)
from cadre.core.validators import validate_country
from cadre.people import identity
from cadre.people.models import Attachment, Identity, Person, SourceRecord, WorkPreferences
from cadre.requisitions.models import EngagementType

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def payload_digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def record_source(
    *,
    person: Person | None,
    source: str,
    payload: dict[str, Any],
    external_id: str = "",
    content_sha256: str = "",
    attachment: Attachment | None = None,
    fetched_at: Any = None,
    actor: Any = None,
) -> SourceRecord:
    """Keep what one source said, raw, as provenance. The one way SourceRecords are written (the
    API, the UI and every importer); `content_sha256` defaults to a digest of the payload."""
    record = SourceRecord.objects.create(
        person=person,
        source=source,
        external_id=external_id[:200],
        payload=payload,
        content_sha256=content_sha256 or payload_digest(payload),
        attachment=attachment,
        fetched_at=fetched_at or timezone.now(),
    )
    audit.record(
        AuditLog.Action.CREATE,
        record,
        after={
            "person_id": person.pk if person else None,
            "source": source,
            "external_id": record.external_id,
        },
        actor=actor,
    )
    return record


class IdentityTaken(Conflict):
    """The identifier is already on a person (`owner_id`; None when a concurrent insert won)."""

    def __init__(self, message: str, *, owner_id: int | None) -> None:
        super().__init__(message, field="identities")
        self.owner_id = owner_id


def add_identity(
    actor: Any,
    person: Person,
    *,
    kind: str,
    value: str,
    source_record: SourceRecord | None = None,
    verified: bool = False,
) -> Identity:
    """Attach an identifier. The same identifier on another person is a Conflict (a merge candidate),
    never a silent second owner. `actor` None is the system (an import); a user must be an editor."""
    if actor is not None:
        require_editor(actor)
    try:
        normalised = identity.normalise(kind, value)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="identities") from exc
    owner = Identity.objects.filter(kind=kind, value=normalised).values_list("person_id", flat=True).first()
    if owner is not None:
        if owner == person.pk:
            raise IdentityTaken(f"{kind} {normalised} is already on this person", owner_id=owner)
        raise IdentityTaken(
            f"{kind} {normalised} already belongs to person {owner}; merge the two people instead",
            owner_id=owner,
        )
    try:
        with transaction.atomic():
            ident = Identity.objects.create(
                person=person,
                kind=kind,
                value=normalised,
                display_value=value.strip()[:255],
                source_record=source_record,
                verified=verified,
            )
    except IntegrityError as exc:  # lost a race with a concurrent insert of the same identifier
        raise IdentityTaken(f"{kind} {normalised} already belongs to another person", owner_id=None) from exc
    audit.record(AuditLog.Action.CREATE, ident, after=audit.snapshot(ident), actor=actor)
    return ident


@transaction.atomic
def create_person(
    actor: Any,
    *,
    full_name: str,
    identities: Iterable[tuple[str, str]] = (),
    source: str = SourceRecord.Source.MANUAL,
    source_payload: dict[str, Any] | None = None,
    external_id: str = "",
    **fields: Any,
) -> Person:
    """Create one person, keep what was submitted as a SourceRecord, and attach identities.

    Fails as a whole (nothing written) if any identity is invalid or already taken.
    """
    require_editor(actor)
    person = create_audited(Person(full_name=full_name.strip(), **fields), actor=actor)
    payload = (
        source_payload
        if source_payload is not None
        else {
            "full_name": full_name,
            "identities": [list(i) for i in identities],
            **{k: str(v) for k, v in fields.items()},
        }
    )
    record = record_source(
        person=person, source=source, payload=payload, external_id=external_id, actor=actor
    )
    for kind, value in identities:
        add_identity(actor, person, kind=kind, value=value, source_record=record)
    return person


def update_person(actor: Any, person: Person, *, expected_version: int | None, **changes: Any) -> Person:
    require_editor(actor)
    return versioned_update(person, expected_version=expected_version, changes=changes, actor=actor)


def remove_identity(actor: Any, ident: Identity) -> None:
    require_editor(actor)
    delete_audited(ident, actor=actor)


def delete_person(actor: Any, person: Person) -> None:
    """Erase a person and everything hanging off them. Admins only: this is a privacy action."""
    user = require_user(actor)
    if user.role != Role.ADMIN:
        raise Forbidden("only an admin may delete a person")
    delete_audited(person, actor=actor)


def store_attachment(
    actor: Any, *, person: Person | None, name: str, content: bytes, content_type: str = ""
) -> Attachment:
    """Store a file content-addressed by SHA-256; the same bytes for the same person are stored once.

    `actor` None is the system (a CLI import); a signed-in user must be an editor."""
    user = require_editor(actor) if actor is not None else None
    if not content:
        raise ValidationFailed(f"{name or 'the file'} is empty", field="file")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed("attachments are limited to 10 MB", field="file")
    digest = hashlib.sha256(content).hexdigest()
    existing = Attachment.objects.filter(person=person, sha256=digest).first()
    if existing is not None:
        return existing
    safe_name = Path(name or "upload").name[:200] or "upload"
    guessed = content_type or mimetypes.guess_type(safe_name)[0] or "application/octet-stream"
    with transaction.atomic():
        attachment = Attachment(
            person=person,
            original_name=safe_name,
            content_type=guessed,
            size=len(content),
            sha256=digest,
            uploaded_by=user,
        )
        attachment.file.save(safe_name, ContentFile(content), save=False)
        attachment.save()
        audit.record(AuditLog.Action.CREATE, attachment, after=audit.snapshot(attachment), actor=actor)
    return attachment


# --- Work preferences (the facts matching's hard filters read) --------------------------------------

PREFERENCE_FIELDS = frozenset(
    f.name for f in WorkPreferences._meta.concrete_fields if f.name not in {"id", "person", "updated_at"}
)
ENGAGEMENT_TYPES = tuple(EngagementType.values)


def _country_list(value: Any) -> list[str]:
    if not isinstance(value, list | tuple):
        raise ValidationFailed(
            "authorized countries must be a list of ISO codes", field="authorized_countries"
        )
    codes = list(dict.fromkeys(str(v).strip().upper() for v in value if str(v).strip()))
    for code in codes:
        try:
            validate_country(code)
        except DjangoValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), field="authorized_countries") from exc
    return codes


def _engagement_list(value: Any) -> list[str]:
    if not isinstance(value, list | tuple):
        raise ValidationFailed("engagement types must be a list", field="engagement_types")
    types = list(dict.fromkeys(str(v) for v in value))
    if bad := [t for t in types if t not in ENGAGEMENT_TYPES]:
        raise ValidationFailed(
            f"unknown engagement type(s): {', '.join(bad)}; choose from {', '.join(ENGAGEMENT_TYPES)}",
            field="engagement_types",
        )
    return types


@transaction.atomic
def set_work_preferences(actor: Any, person: Person, **fields: Any) -> WorkPreferences:
    """Create or update what a person told us about availability, authorization and terms (matching's
    hard filters read them). Fields not given keep their value. Editors only; validated with the
    model's full_clean plus the JSON lists (ISO country codes, engagement types), and audited."""
    user = require_editor(actor)
    if unknown := sorted(set(fields) - PREFERENCE_FIELDS):
        raise ValidationFailed(f"unknown work preference field(s): {', '.join(unknown)}")
    if person.merged_into_id is not None:
        raise ValidationFailed(
            f"person {person.pk} was merged into {person.merged_into_id}", field="person_id"
        )
    if "country" in fields:
        fields["country"] = (fields["country"] or "").strip().upper()
    if "authorized_countries" in fields:
        fields["authorized_countries"] = _country_list(fields["authorized_countries"] or [])
    if "engagement_types" in fields:
        fields["engagement_types"] = _engagement_list(fields["engagement_types"] or [])
    prefs = WorkPreferences.objects.select_for_update().filter(person=person).first()
    creating = prefs is None
    if prefs is None:
        prefs = WorkPreferences(person=person)
    before = None if creating else audit.snapshot(prefs)
    for name, value in fields.items():
        setattr(prefs, name, value)
    full_clean(prefs)
    prefs.save()
    audit.record(
        AuditLog.Action.CREATE if creating else AuditLog.Action.UPDATE,
        prefs,
        before=before,
        after=audit.snapshot(prefs),
        actor=user,
    )
    return prefs
