"""People: one row per human, never keyed by e-mail. Everything known about a person hangs off it
with its provenance (the SourceRecord it came from)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cadre.core.validators import validate_country
from cadre.people import identity
from cadre.taxonomy.models import ClearanceLevel, Seniority, Skill


class Person(models.Model):
    full_name = models.CharField(max_length=200)
    headline = models.CharField(
        max_length=200, blank=True, help_text="e.g. Senior ML engineer, LLM inference"
    )
    location = models.CharField(max_length=120, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    summary = models.TextField(blank=True)
    # Merges move rows to the surviving person and keep this one as a tombstone (never deleted).
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["full_name", "id"]
        indexes = [models.Index(fields=["full_name"]), models.Index(fields=["-updated_at"])]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name


class SourceRecord(models.Model):
    """What one source said about one person, kept raw (payload and/or file) for provenance."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Entered by a user"
        API = "api", "REST API"
        RESUME = "resume", "Resume"
        ATS_CSV = "ats_csv", "ATS export"
        GITHUB = "github", "GitHub"
        CONFERENCE = "conference", "Conference author list"
        CREDENTIALS = "credentials", "Credential roster"
        ACADEMIC = "academic", "Academic roster"
        DEMO = "demo", "Demo data"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="source_records"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    external_id = models.CharField(max_length=200, blank=True, help_text="The id the source uses")
    payload = models.JSONField(default=dict, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    attachment = models.ForeignKey(
        "Attachment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_records",
    )
    fetched_at = models.DateTimeField(help_text="When the source produced or we fetched the data")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fetched_at", "-id"]
        indexes = [models.Index(fields=["source", "external_id"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.external_id or self.pk}"


class Identity(models.Model):
    class Kind(models.TextChoices):
        EMAIL = identity.EMAIL, "E-mail"
        PHONE = identity.PHONE, "Phone"
        GITHUB = identity.GITHUB, "GitHub"
        ORCID = identity.ORCID, "ORCID"
        OPENREVIEW = identity.OPENREVIEW, "OpenReview"
        DBLP = identity.DBLP, "DBLP"
        LINKEDIN = identity.LINKEDIN, "LinkedIn"
        WEBSITE = identity.WEBSITE, "Website"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=255, help_text="Normalised; unique per type")
    display_value = models.CharField(max_length=255, blank=True, help_text="As the source wrote it")
    verified = models.BooleanField(default=False)
    source_record = models.ForeignKey(
        SourceRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="identities"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name_plural = "identities"
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="identity_unique_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display_value or self.value}"

    @property
    def url(self) -> str:
        """A link a recruiter can open, where the identity type has one."""
        links: dict[str, str] = {
            self.Kind.EMAIL: f"mailto:{self.value}",
            self.Kind.PHONE: f"tel:{self.value}",
            self.Kind.GITHUB: f"https://github.com/{self.value}",
            self.Kind.ORCID: f"https://orcid.org/{self.value}",
            self.Kind.OPENREVIEW: f"https://openreview.net/profile?id={self.value}",
            self.Kind.DBLP: f"https://dblp.org/pid/{self.value}.html",
            self.Kind.LINKEDIN: f"https://www.linkedin.com{self.value}",
            self.Kind.WEBSITE: f"https://{self.value}",
        }
        return links.get(self.kind, "")


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Attachment(models.Model):
    """A stored file (resume, transcript, offer letter). Content-addressed by SHA-256."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class SkillEvidence(models.Model):
    """One piece of evidence that a person has a skill, pointing at where it came from."""

    class Kind(models.TextChoices):
        RESUME = "resume", "Resume mention"
        SELF_REPORTED = "self_reported", "Self-reported"
        REPOSITORY = "repository", "Own repository"
        MERGED_PR = "merged_pr", "Merged pull request"
        PUBLICATION = "publication", "Publication"
        CREDENTIAL = "credential", "Credential"
        ASSESSMENT = "assessment", "Assessment"
        EMPLOYMENT = "employment", "Employment history"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skill_evidence")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    detail = models.CharField(max_length=300, blank=True)
    observed_on = models.DateField(null=True, blank=True, help_text="When the evidence happened")
    source_record = models.ForeignKey(
        SourceRecord,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="skill_evidence",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-observed_on", "skill__name"]
        indexes = [models.Index(fields=["skill", "person"])]
        verbose_name_plural = "skill evidence"

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_kind_display()})"


class WorkPreferences(models.Model):
    """What a person has told us about availability, authorization and terms: the facts matching's hard
    filters use. Blank means unknown, which passes a filter and becomes a point to validate."""

    class RemotePreference(models.TextChoices):
        ANY = "any", "Any"
        REMOTE = "remote", "Remote only"
        HYBRID = "hybrid", "Hybrid"
        ONSITE = "onsite", "On-site"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="preferences")
    seniority = models.CharField(max_length=16, choices=Seniority.choices, blank=True)
    country = models.CharField(
        max_length=2, blank=True, validators=[validate_country], help_text="ISO 3166 country of residence"
    )
    city = models.CharField(max_length=80, blank=True)
    willing_to_relocate = models.BooleanField(default=False)
    remote_preference = models.CharField(
        max_length=8, choices=RemotePreference.choices, default=RemotePreference.ANY
    )
    authorized_countries = models.JSONField(
        default=list, blank=True, help_text="ISO 3166 countries the person may work in without sponsorship"
    )
    clearance_level = models.CharField(
        max_length=16, choices=ClearanceLevel.choices, default=ClearanceLevel.NONE
    )
    clearance_expires = models.DateField(null=True, blank=True)
    available_from = models.DateField(null=True, blank=True)
    engagement_types = models.JSONField(
        default=list, blank=True, help_text="Accepted engagement types; empty = open to all"
    )
    min_rate = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    rate_currency = models.CharField(max_length=3, default="USD")
    rate_unit = models.CharField(
        max_length=4, choices=[("hour", "per hour"), ("year", "per year")], default="hour"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "work preferences"

    def __str__(self) -> str:
        return f"Preferences of person #{self.person_id}"


class Fact(models.Model):
    """Employment, education, publication, repository or credential, with its provenance."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", "Employment"
        EDUCATION = "education", "Education"
        PUBLICATION = "publication", "Publication"
        REPOSITORY = "repository", "Repository"
        CREDENTIAL = "credential", "Credential"
        AUTHORIZATION = "authorization", "Work authorization"
        CLEARANCE = "clearance", "Security clearance"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="facts")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=300, help_text="Job title, degree, paper title, repo name...")
    organisation = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    source_record = models.ForeignKey(
        SourceRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="facts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-start_date"]
        indexes = [models.Index(fields=["person", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
