"""The AI role and skills ontology: role families, skills and cloud/GPU platforms.

The ontology itself is versioned data, taxonomy/data/ontology.json, loaded into these tables by a
migration and by `cadre taxonomy load` (taxonomy/seed.py); extraction reads the JSON directly
(taxonomy/ontology.py), so slugs are the stable keys shared by both.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class Seniority(models.TextChoices):
    INTERN = "intern", "Intern"
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid-level"
    SENIOR = "senior", "Senior"
    STAFF = "staff", "Staff"
    PRINCIPAL = "principal", "Principal"
    DIRECTOR = "director", "Director"
    EXECUTIVE = "executive", "Executive"


# Ordered lowest to highest: a requirement is met by the same level or any above it.
SENIORITY_ORDER = [s.value for s in Seniority]


class ClearanceLevel(models.TextChoices):
    """US security clearance levels, lowest to highest (matching compares by position)."""

    NONE = "none", "None"
    PUBLIC_TRUST = "public_trust", "Public Trust"
    CONFIDENTIAL = "confidential", "Confidential"
    SECRET = "secret", "Secret"
    TOP_SECRET = "top_secret", "Top Secret"
    TS_SCI = "ts_sci", "TS/SCI"


CLEARANCE_ORDER = [c.value for c in ClearanceLevel]


class Competency(models.Model):
    """What a role is screened on (coding, model evaluation, ML system design...); slugs are shared
    with screening scorecards."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return self.name


class RoleFamily(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    soc_code = models.CharField(max_length=16, blank=True, help_text="SOC 2018, e.g. 15-2051")
    onet_code = models.CharField(max_length=16, blank=True, help_text="O*NET-SOC, e.g. 15-2051.00")
    description = models.TextField(blank=True)
    seniority_levels = models.JSONField(
        default=list,
        blank=True,
        help_text='[{"level": "senior", "title": ..., "years": "5-8", "description": anchored behaviour}]',
    )
    competencies = models.ManyToManyField(Competency, blank=True, related_name="role_families")
    core_skills: models.ManyToManyField[Skill, Any] = models.ManyToManyField(
        "Skill", blank=True, related_name="core_of_role_families"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "role families"

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    class Category(models.TextChoices):
        LANGUAGE = "language", "Language"
        FRAMEWORK = "framework", "Framework / library"
        PLATFORM = "platform", "Platform / cloud service"
        ACCELERATOR = "accelerator", "Accelerator stack"
        DATA_SYSTEM = "data_system", "Data system"
        METHOD = "method", "Method / technique"
        MLOPS = "mlops", "MLOps practice"
        GOVERNANCE = "governance", "Governance / responsible AI"
        DOMAIN = "domain", "Domain"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=16, choices=Category.choices)
    aliases = models.JSONField(default=list, blank=True, help_text="Spelling variants, lower case")
    strict_aliases = models.JSONField(
        default=list, blank=True, help_text='Everyday words matched only in this exact case ("R", "Go")'
    )
    hot_technology = models.BooleanField(default=False, help_text="An O*NET Hot Technology")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Platform(models.Model):
    """A cloud, data or GPU platform a client runs on (AWS SageMaker, Vertex AI, NVIDIA + Slurm...)."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    provider = models.CharField(max_length=64, blank=True, help_text="AWS, Google Cloud, NVIDIA...")
    skills = models.ManyToManyField(Skill, blank=True, related_name="platforms")

    class Meta:
        ordering = ["provider", "name"]

    def __str__(self) -> str:
        return self.name
