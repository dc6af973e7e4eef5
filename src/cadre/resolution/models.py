"""Identity-resolution models: the linkage model used, match candidates (the review queue), and
merges that record exactly which rows moved so they can be undone."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cadre.people.models import Person


class LinkageModel(models.Model):
    """A splink model JSON as used by a run; `version` is a digest of its parameters."""

    version = models.CharField(max_length=64, unique=True)
    model = models.JSONField()
    trained = models.BooleanField(default=False, help_text="Estimated on the data, or the priors")
    records = models.PositiveIntegerField(default=0, help_text="How many records it was trained on")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.version


class MergeRecord(models.Model):
    """One merge of `merged` into `survivor`. `moved` lists, per model and person field, the primary
    keys of the rows re-pointed at the survivor; `kept_back` the rows left on the merged person
    because the survivor already had the same unique row (e.g. both applied to one requisition)."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict)
    kept_back = models.JSONField(default=dict)
    survivor_before = models.JSONField(default=dict, help_text="Survivor fields the merge filled in")
    automatic = models.BooleanField(default=False)
    probability = models.FloatField(null=True, blank=True)
    model_version = models.CharField(max_length=64, blank=True)
    decision = models.ForeignKey(
        "core.DecisionRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    unmerged_at = models.DateTimeField(null=True, blank=True)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"merge {self.pk}: person {self.merged_id} into {self.survivor_id}"

    @property
    def is_active(self) -> bool:
        return self.unmerged_at is None


class MatchCandidate(models.Model):
    """A pair of people that may be one person, with the score and the evidence behind it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        MERGED = "merged", "Merged"
        REJECTED = "rejected", "Not the same person"

    left = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField()
    match_weight = models.FloatField(default=0.0)
    explanation = models.JSONField(default=list, help_text="Per comparison: level and match weight")
    exact_key = models.CharField(max_length=300, blank=True, help_text="A shared identifier, if any")
    reason = models.CharField(max_length=300, blank=True, help_text="Why it was not merged automatically")
    model_version = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    merge = models.ForeignKey(
        MergeRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="match_candidate_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="match_candidate_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "-probability"])]

    def __str__(self) -> str:
        return f"{self.left_id} ~ {self.right_id} ({self.probability:.3f}, {self.status})"
