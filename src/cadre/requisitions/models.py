"""Requisitions (job orders) and the skills they ask for."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cadre.clients.models import Client, Contact
from cadre.core.validators import validate_country, validate_time_zone
from cadre.taxonomy.models import ClearanceLevel, Platform, RoleFamily, Seniority, Skill


class EngagementType(models.TextChoices):
    CONTRACT = "contract", "Contract"
    CONTRACT_TO_HIRE = "contract_to_hire", "Contract-to-hire"
    DIRECT_HIRE = "direct_hire", "Direct hire"


class RemotePolicy(models.TextChoices):
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class RateUnit(models.TextChoices):
    HOUR = "hour", "per hour"
    YEAR = "year", "per year"


class Requisition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        ON_HOLD = "on_hold", "On hold"
        FILLED = "filled", "Filled"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="requisitions")
    title = models.CharField(max_length=200)
    role_family = models.ForeignKey(
        RoleFamily, null=True, blank=True, on_delete=models.PROTECT, related_name="requisitions"
    )
    seniority = models.CharField(max_length=16, choices=Seniority.choices, default=Seniority.MID)
    description = models.TextField(blank=True)
    location = models.CharField(max_length=120, blank=True)
    remote_policy = models.CharField(max_length=8, choices=RemotePolicy.choices, default=RemotePolicy.HYBRID)
    engagement_type = models.CharField(
        max_length=20, choices=EngagementType.choices, default=EngagementType.CONTRACT
    )
    duration_months = models.PositiveSmallIntegerField(null=True, blank=True)
    openings = models.PositiveSmallIntegerField(default=1)
    currency = models.CharField(max_length=3, default="USD")
    rate_unit = models.CharField(max_length=4, choices=RateUnit.choices, default=RateUnit.HOUR)
    pay_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    pay_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    bill_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    bill_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    # Hard requirements that matching filters on (each can be relaxed per search).
    work_country = models.CharField(
        max_length=2,
        default="US",
        validators=[validate_country],
        help_text="ISO 3166 country the work is done in (work authorization)",
    )
    sponsorship_available = models.BooleanField(
        default=False, help_text="The client will sponsor a visa, so authorization is not required"
    )
    clearance_required = models.CharField(
        max_length=16, choices=ClearanceLevel.choices, default=ClearanceLevel.NONE
    )
    time_zone = models.CharField(
        max_length=64, blank=True, validators=[validate_time_zone], help_text="IANA zone the team works in"
    )
    max_tz_difference_hours = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Largest UTC-offset difference accepted for remote people"
    )
    start_date = models.DateField(null=True, blank=True, help_text="When the person must be available")
    background_check_required = models.BooleanField(
        default=False, help_text="A background check is a placement gate for this role"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_requisitions",
        help_text="The recruiter responsible for filling it.",
    )
    skills: models.ManyToManyField[Skill, RequisitionSkill] = models.ManyToManyField(
        Skill, through="RequisitionSkill", related_name="requisitions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: every update must name the version it read.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_min__isnull=True) | Q(pay_max__isnull=True) | Q(pay_min__lte=F("pay_max")),
                name="requisition_pay_band_ordered",
                violation_error_message="The pay band's minimum is above its maximum.",
            ),
            models.CheckConstraint(
                condition=Q(bill_min__isnull=True)
                | Q(bill_max__isnull=True)
                | Q(bill_min__lte=F("bill_max")),
                name="requisition_bill_band_ordered",
                violation_error_message="The bill band's minimum is above its maximum.",
            ),
            models.CheckConstraint(
                condition=Q(openings__gte=1),
                name="requisition_openings_positive",
                violation_error_message="A requisition has at least one opening.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.client}" if self.client_id else self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RequisitionSkill(models.Model):
    class Importance(models.TextChoices):
        MUST = "must", "Must have"
        NICE = "nice", "Nice to have"

    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="skill_requirements")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    importance = models.CharField(max_length=4, choices=Importance.choices, default=Importance.MUST)
    min_years = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["importance", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["requisition", "skill"], name="requisition_skill_unique")
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_importance_display()})"


class EngagementHint(models.TextChoices):
    """How the profile suggests filling the role; retained search is an executive-search fee model."""

    CONTRACT = "contract", "Contract"
    CONTRACT_TO_HIRE = "contract_to_hire", "Contract-to-hire"
    DIRECT_HIRE = "direct_hire", "Direct hire"
    RETAINED_SEARCH = "retained_search", "Retained search"


class JobProfile(models.Model):
    """The technical profile of one requisition, drafted from requirement text and edited by a recruiter.

    One row per requisition; every save bumps `revision` and is audited (before/after), so the audit log
    is the history. Reviews bind to a revision: editing an approved profile needs a fresh approval. The
    must/nice skills are the requisition's RequisitionSkill rows (one skill list, not two).
    """

    requisition = models.OneToOneField(Requisition, on_delete=models.CASCADE, related_name="profile")
    role_family = models.ForeignKey(
        RoleFamily, null=True, blank=True, on_delete=models.PROTECT, related_name="job_profiles"
    )
    soc_code = models.CharField(max_length=16, blank=True)
    onet_code = models.CharField(max_length=16, blank=True)
    seniority = models.CharField(max_length=16, choices=Seniority.choices, default=Seniority.MID)
    platform = models.ForeignKey(
        Platform, null=True, blank=True, on_delete=models.PROTECT, related_name="job_profiles"
    )
    duration_months = models.PositiveSmallIntegerField(null=True, blank=True)
    engagement_hint = models.CharField(max_length=20, choices=EngagementHint.choices, blank=True)
    criticality = models.JSONField(default=list, blank=True, help_text="Hints: urgent, production...")
    regulatory_exposure = models.JSONField(default=list, blank=True, help_text="Hints: eu_ai_act, hipaa...")
    competencies = models.JSONField(default=list, blank=True, help_text="Competency slugs to screen on")
    source_text = models.TextField(blank=True)
    evidence = models.JSONField(default=dict, blank=True, help_text="Per field: what in the text said so")
    ontology_version = models.CharField(max_length=40, blank=True)
    parser_version = models.CharField(max_length=40, blank=True)
    review_required = models.BooleanField(default=False)
    review_reasons = models.JSONField(default=list, blank=True)
    technical_lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles_to_review",
    )
    technical_lead_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="profiles_to_review"
    )
    review_requested_at = models.DateTimeField(null=True, blank=True)
    sourcing_started_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(technical_lead_user__isnull=True) | Q(technical_lead_contact__isnull=True),
                name="job_profile_one_technical_lead",
                violation_error_message="Name one technical lead: a user or a client contact, not both.",
            )
        ]

    def __str__(self) -> str:
        return f"Profile of {self.requisition}"

    @property
    def technical_lead(self) -> Any:
        return self.technical_lead_user or self.technical_lead_contact


class ProfileReview(models.Model):
    """A technical lead's decision on one revision of a profile. Append-only."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    profile = models.ForeignKey(JobProfile, on_delete=models.CASCADE, related_name="reviews")
    revision = models.PositiveIntegerField(help_text="The profile revision this decision is about")
    reviewer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewer_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="profile_reviews"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who entered it: the reviewer, or a recruiter on a client contact's behalf",
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} (revision {self.revision})"

    @property
    def reviewer_name(self) -> str:
        if self.reviewer_contact_id:
            return self.reviewer_contact.name  # type: ignore[union-attr]
        user = self.reviewer_user
        return (user.get_full_name() or user.username) if user else "—"
