"""Client organisations, their contacts, their platform stack and the hiring managers assigned."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cadre.taxonomy.models import Platform


class Client(models.Model):
    name = models.CharField(max_length=200, unique=True)
    industry = models.CharField(max_length=120, blank=True)
    website = models.URLField(blank=True)
    headquarters = models.CharField(max_length=120, blank=True)
    platforms = models.ManyToManyField(Platform, blank=True, related_name="clients")
    hiring_managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assigned_clients",
        help_text="Hiring managers who see this client's requisitions and applicants.",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client})"
