"""The AI role and skills ontology: role families, skills and cloud/GPU platforms.

The Foundation ships the role families (with SOC 2018 / O*NET-SOC codes) and the tables; the
full skills ontology is data loaded into these tables (see the Role definition issue).
"""

from __future__ import annotations

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


class RoleFamily(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    soc_code = models.CharField(max_length=16, blank=True, help_text="SOC 2018, e.g. 15-2051")
    onet_code = models.CharField(max_length=16, blank=True, help_text="O*NET-SOC, e.g. 15-2051.00")
    description = models.TextField(blank=True)

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

    class Meta:
        ordering = ["provider", "name"]

    def __str__(self) -> str:
        return self.name
