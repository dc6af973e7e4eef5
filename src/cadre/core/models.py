"""Users, API tokens, the audit log and decision records: the spine every app writes through."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from cadre.core.roles import ROLE_CHOICES, Role


class User(AbstractUser):
    role = models.CharField(max_length=32, choices=ROLE_CHOICES, default=Role.RECRUITER)

    class Meta:
        ordering = ["username"]

    def save(self, *args: object, **kwargs: object) -> None:
        # Django's superuser flag and Cadre's admin role mean the same thing.
        if self.is_superuser:
            self.role = Role.ADMIN
        if self.role == Role.ADMIN:
            self.is_staff = True
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the raw value is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise a token.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def generate() -> str:
        return "cad_" + secrets.token_urlsafe(32)


class AuditLog(models.Model):
    """One row per write: who did what to which object, with the state before and after."""

    class Action(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"
        DELETE = "delete"
        STAGE_MOVE = "stage_move"
        MERGE = "merge"
        TOKEN = "token"
        EXPORT = "export"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=16, default="system", help_text="web, api, cli, admin, system")
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=64, db_index=True, help_text="app_label.model")
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}#{self.object_id}"

    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


class DecisionRecord(models.Model):
    """Every automated score that touched a person: reproducible inputs digest, version, explanation."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=64, help_text="e.g. match_ranking, assessment_grade")
    version = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=64, help_text="app_label.model of the decision's subject")
    subject_id = models.CharField(max_length=64)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    inputs_digest = models.CharField(max_length=64)
    score = models.DecimalField(max_digits=12, decimal_places=6, null=True, blank=True)
    explanation = models.JSONField(default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version} on {self.subject_type}#{self.subject_id}"
