"""Writes shared by every app: role checks, versioned (optimistic) updates, API tokens."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from cadre.core import audit, roles
from cadre.core.exceptions import Conflict, Forbidden, ValidationFailed
from cadre.core.models import ApiToken, AuditLog, User, hash_token

M = TypeVar("M", bound=models.Model)


def require_user(user: Any) -> User:
    if user is None or not getattr(user, "is_authenticated", False):
        raise Forbidden("authentication required")
    if not user.is_active:
        raise Forbidden("this account is disabled")
    return user  # type: ignore[no-any-return]


def require_editor(user: Any) -> User:
    """Admins and recruiters create and edit records; other roles read."""
    u = require_user(user)
    if not roles.can_edit_records(u.role):
        raise Forbidden(f"a {u.role_label.lower()} may not edit records")
    return u


def validation_error(exc: ValidationError) -> ValidationFailed:
    """Turn Django's ValidationError into ours, keeping the first field name for API responses."""
    if hasattr(exc, "error_dict"):
        by_field = exc.message_dict
        field = next(iter(by_field))
        messages = "; ".join(
            " ".join(msgs) if k == "__all__" else f"{k}: {' '.join(msgs)}" for k, msgs in by_field.items()
        )
        return ValidationFailed(messages, field=None if field == "__all__" else field)
    return ValidationFailed(" ".join(exc.messages))


def full_clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        raise validation_error(exc) from exc


def create_audited(instance: M, *, actor: Any = None) -> M:
    """Validate, insert and audit one new row."""
    full_clean(instance)
    instance.save(force_insert=True)
    audit.record(AuditLog.Action.CREATE, instance, after=audit.snapshot(instance), actor=actor)
    return instance


def versioned_update(
    instance: M, *, expected_version: int | None, changes: dict[str, Any], actor: Any = None
) -> M:
    """Apply `changes` only if the row still has `expected_version` (optimistic concurrency).

    The version check and the write are one conditional UPDATE, so two recruiters saving the same
    requisition cannot both win: the second gets a Conflict and must reload.
    """
    model = type(instance)
    current_version: int = instance.version  # type: ignore[attr-defined]
    if expected_version is not None and expected_version != current_version:
        raise Conflict(
            f"{model._meta.verbose_name} was changed by someone else (you edited version "
            f"{expected_version}, it is now version {current_version}); reload and try again"
        )
    before = audit.snapshot(instance)
    for field, value in changes.items():
        setattr(instance, field, value)
    full_clean(instance)
    values = {f: getattr(instance, f) for f in changes}
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    with transaction.atomic():
        rows = model._default_manager.filter(pk=instance.pk, version=current_version).update(
            **values, version=F("version") + 1
        )
        if rows == 0:
            raise Conflict(
                f"{model._meta.verbose_name} was changed by someone else while you edited it; "
                "reload and try again"
            )
        instance.refresh_from_db()
        audit.record(
            AuditLog.Action.UPDATE,
            instance,
            before=before,
            after=audit.snapshot(instance),
            actor=actor,
        )
    return instance


def delete_audited(instance: models.Model, *, actor: Any = None) -> None:
    before = audit.snapshot(instance)
    with transaction.atomic():
        audit.record(AuditLog.Action.DELETE, instance, before=before, actor=actor)
        instance.delete()


def create_api_token(user: User, *, name: str = "", actor: Any = None) -> str:
    """Create a token for `user` and return its raw value (shown once, stored only as a hash)."""
    raw = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], key_hash=hash_token(raw))
        audit.record(
            AuditLog.Action.TOKEN,
            token,
            after={"user": user.username, "prefix": token.prefix},
            actor=actor,
        )
    return raw


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute so reads do not turn into writes on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_api_tokens(prefix: str, *, actor: Any = None) -> int:
    """Revoke every live token whose prefix starts with `prefix` (as `cadre token list` shows it).
    Returns how many were revoked; the rows stay for the audit trail."""
    if len(prefix) < 6:
        raise ValidationFailed("give at least the first 6 characters of the token", field="prefix")
    now = timezone.now()
    revoked = 0
    with transaction.atomic():
        for token in ApiToken.objects.select_for_update().filter(
            prefix__startswith=prefix, revoked_at__isnull=True
        ):
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            audit.record(
                AuditLog.Action.TOKEN,
                token,
                before={"revoked_at": None},
                after={
                    "user_id": token.user_id,
                    "prefix": token.prefix,
                    "revoked_at": now.isoformat(),
                },
                actor=actor,
            )
            revoked += 1
    return revoked
