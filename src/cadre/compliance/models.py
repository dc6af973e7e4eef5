"""Compliance records: self-identified demographics (stored apart), worker-classification assessments,
placement gates, candidate notices for automated tools, and retention policies.

The rules and statistics themselves are pure modules (rules/, classification.py, adverse_impact.py,
ll144.py); these tables keep what was decided, by whom, on which facts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cadre.people.models import Person
from cadre.pipeline.models import Application
from cadre.requisitions.models import Requisition


class SelfIdentification(models.Model):
    """Voluntary self-identification (EEO-1 categories). Stored apart from the person, readable only by
    roles with the demographics permission (compliance.selectors), never inferred, and never an input
    to matching or screening: nothing outside compliance reads this table."""

    class Sex(models.TextChoices):
        MALE = "Male", "Male"
        FEMALE = "Female", "Female"
        DECLINED = "", "Declined / not given"

    class RaceEthnicity(models.TextChoices):
        HISPANIC = "Hispanic or Latino", "Hispanic or Latino"
        WHITE = "White", "White"
        BLACK = "Black or African American", "Black or African American"
        NHPI = "Native Hawaiian or Pacific Islander", "Native Hawaiian or Pacific Islander"
        ASIAN = "Asian", "Asian"
        NATIVE = "Native American or Alaska Native", "Native American or Alaska Native"
        TWO_OR_MORE = "Two or More Races", "Two or More Races"
        DECLINED = "", "Declined / not given"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="self_identification")
    sex = models.CharField(max_length=16, choices=Sex.choices, blank=True)
    race_ethnicity = models.CharField(max_length=48, choices=RaceEthnicity.choices, blank=True)
    collected_at = models.DateTimeField()
    collected_via = models.CharField(max_length=32, default="form", help_text="form, import, survey...")
    form_version = models.CharField(max_length=32, blank=True, help_text="The self-ID form shown")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        permissions = [("view_demographics", "May read self-identified demographic data")]

    def __str__(self) -> str:
        return f"Self-identification of person #{self.person_id}"


class ClassificationAssessment(models.Model):
    """One run of the worker-classification questionnaire for an engagement, with the engine's full
    result, and the compliance review that a placement gate requires."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Awaiting review"
        REVIEWED = "reviewed", "Reviewed"

    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="classifications"
    )
    requisition = models.ForeignKey(
        Requisition, null=True, blank=True, on_delete=models.CASCADE, related_name="classifications"
    )
    answers = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    engine_version = models.CharField(max_length=40)
    inputs_digest = models.CharField(max_length=64)
    risk_level = models.CharField(max_length=16)
    vehicle = models.CharField(max_length=16, help_text="w2_agency, 1099 or corp_to_corp")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Classification #{self.pk} ({self.risk_level}, {self.vehicle})"


class PlacementGate(models.Model):
    """One condition a placement must meet before the application may move to "placed"."""

    class Kind(models.TextChoices):
        CLASSIFICATION = "classification", "Classification reviewed"
        IP_ASSIGNMENT = "ip_assignment", "IP assignment signed"
        CLEARANCE = "clearance", "Security clearance verified"
        WORK_AUTHORIZATION = "work_authorization", "Work authorization confirmed"
        BACKGROUND_CHECK = "background_check", "Background check"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"
        OVERRIDDEN = "overridden", "Overridden"
        NOT_REQUIRED = "not_required", "Not required"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="gates")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    details = models.JSONField(
        default=dict,
        blank=True,
        help_text="What was checked: dates, levels, agencies, document types, carve-outs...",
    )
    reason = models.TextField(blank=True, help_text="Why it failed, or the written reason for an override")
    expires_on = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="one_gate_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for application #{self.application_id}: {self.status}"


class NoticeTemplate(models.Model):
    """A candidate notice for an automated tool, per jurisdiction, versioned by effective date."""

    jurisdiction = models.CharField(max_length=16, help_text="NYC, IL, CO, EU...")
    tool = models.CharField(max_length=64, help_text="The automated tool the notice is about")
    title = models.CharField(max_length=200)
    body = models.TextField()
    min_business_days_before_use = models.PositiveSmallIntegerField(default=0)
    effective_from = models.DateField()
    version = models.CharField(max_length=32)
    citation = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["jurisdiction", "tool", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "tool", "version"], name="notice_template_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} notice for {self.tool} v{self.version}"


class CandidateNotice(models.Model):
    """A notice given to one person (when, how, which template version)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notices")
    template = models.ForeignKey(NoticeTemplate, on_delete=models.PROTECT, related_name="notices")
    requisition = models.ForeignKey(
        Requisition, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    channel = models.CharField(max_length=32, default="email", help_text="email, job posting, careers page")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    alternative_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.template} to person #{self.person_id}"


class RetentionPolicy(models.Model):
    """How long a kind of record is kept; the retention task enforces it (never below legal minimums,
    e.g. 4 years for California automated-decision records)."""

    class Record(models.TextChoices):
        DECISION_RECORDS = "decision_records", "Automated decision records"
        INACTIVE_PEOPLE = "inactive_people", "People with no activity"
        AUDIT_LOG = "audit_log", "Audit log"

    record = models.CharField(max_length=24, choices=Record.choices, unique=True)
    keep_days = models.PositiveIntegerField()
    minimum_days = models.PositiveIntegerField(default=0, help_text="Legal floor the policy cannot go below")
    citation = models.CharField(max_length=300, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_run_result = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "retention policies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(keep_days__gte=models.F("minimum_days")),
                name="retention_not_below_minimum",
                violation_error_message="Records must be kept at least as long as the legal minimum.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_record_display()}: {self.keep_days} days"
