"""Sourcing models: one ImportRun per `cadre import ...` (or upload), and the graduate programs that
academic rosters feed, with accreditations a user can edit."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    """What one import did: the report it printed, kept so a recruiter can see where people came from."""

    source = models.CharField(max_length=16, help_text="resume, ats_csv, credentials, academic...")
    files = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=16, default="system", help_text="cli, api, web, system")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} import {self.started_at:%Y-%m-%d %H:%M}"


class Program(models.Model):
    """A graduate program (university + program + degree). Accreditations are data a user keeps up to
    date in the admin (e.g. ["ABET EAC"]); rosters only fill them in when the program is first seen."""

    university = models.CharField(max_length=200)
    name = models.CharField(max_length=200, help_text="e.g. Computer Science")
    degree = models.CharField(max_length=64, blank=True, help_text="e.g. MS, PhD, MEng")
    accreditations = models.JSONField(
        default=list, blank=True, help_text='Accrediting bodies, e.g. ["ABET EAC", "ABET CAC"]'
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["university", "name", "degree"]
        constraints = [
            models.UniqueConstraint(fields=["university", "name", "degree"], name="program_unique")
        ]

    def __str__(self) -> str:
        return f"{self.degree} {self.name}, {self.university}".strip()

    @property
    def is_accredited(self) -> bool:
        return bool(self.accreditations)
