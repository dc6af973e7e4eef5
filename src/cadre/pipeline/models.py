"""Applications (person x requisition), their append-only stage history, and the activity timeline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from cadre.people.models import Person
from cadre.pipeline.stages import STAGE_CHOICES, Stage
from cadre.requisitions.models import Requisition


class Application(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="applications")
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="applications")
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES, default=Stage.SOURCED)
    stage_changed_at = models.DateTimeField()
    source = models.CharField(max_length=64, blank=True, help_text="How they entered the pipeline")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-stage_changed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "requisition"], name="application_unique")]
        indexes = [
            models.Index(fields=["requisition", "stage", "-stage_changed_at"]),
            models.Index(fields=["stage"]),
            # Covers "people with an application on these requisitions" (hiring-manager scoping).
            models.Index(fields=["requisition", "person"], name="application_requisition_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.requisition.title}"


class AppendOnlyError(Exception):
    pass


class StageEvent(models.Model):
    """One stage change. Append-only: rows are never updated or deleted."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(max_length=20, choices=STAGE_CHOICES, blank=True)
    to_stage = models.CharField(max_length=20, choices=STAGE_CHOICES)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "at"])]

    def __str__(self) -> str:
        return f"{self.from_stage or '∅'} → {self.to_stage}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("stage events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("stage events are append-only")


class Activity(models.Model):
    """A line on a person's timeline: a note, a call, an e-mail, a stage change, an import."""

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        CALL = "call", "Call"
        EMAIL = "email", "E-mail"
        MEETING = "meeting", "Meeting"
        STAGE_CHANGE = "stage_change", "Stage change"
        SYSTEM = "system", "System"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="activities")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NOTE)
    body = models.TextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"])]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.person}"
