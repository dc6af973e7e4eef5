"""Matching's own records: the full-text document of each person, saved searches and talent pools.

The rankings themselves are not stored here: every ranking shown or used writes DecisionRecords
(core.DecisionRecord, kind "match_ranking"), one per ranked person, for audits.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cadre.people.models import Person
from cadre.requisitions.models import Requisition


class SearchDocument(models.Model):
    """What full-text search sees of a person: headline, summary, job titles and employers, skills.
    SQLite indexes it with an FTS5 external-content table (kept in step by triggers, migration 0001);
    PostgreSQL with a GIN index on to_tsvector('simple', body)."""

    # A plain id, not a foreign key: this is derived data that matching.loader rewrites and prunes
    # (merged or deleted people), so merges and erasure never have to move or keep it.
    person_id = models.BigIntegerField(primary_key=True)
    body = models.TextField()
    digest = models.CharField(max_length=64, help_text="sha256 of body, to rewrite only what changed")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Search document of person #{self.person_id}"


class SavedSearch(models.Model):
    """A search a recruiter runs again: either a requisition's matches with chosen filters relaxed, or
    a free-text job description."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=120)
    requisition = models.ForeignKey(
        Requisition, null=True, blank=True, on_delete=models.CASCADE, related_name="saved_searches"
    )
    text = models.TextField(blank=True, help_text="Job description text, when not a requisition's search")
    relaxed_filters = models.JSONField(default=list, blank=True)
    top = models.PositiveSmallIntegerField(default=50)
    created_at = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requisition__isnull=False) | ~models.Q(text=""),
                name="saved_search_has_subject",
                violation_error_message="A saved search needs a requisition or a job description.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TalentPool(models.Model):
    """A named list of people kept warm for future roles (e.g. "LLM fine-tuning bench")."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="talent_pools"
    )
    members: models.ManyToManyField[Person, TalentPoolMember] = models.ManyToManyField(
        Person, through="TalentPoolMember", related_name="talent_pools"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TalentPoolMember(models.Model):
    pool = models.ForeignKey(TalentPool, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pool_memberships")
    note = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["pool", "person"], name="pool_member_once")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.pool_id}"
