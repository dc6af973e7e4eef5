"""Screening: the question bank (versioned), assessments assembled from a job profile's competencies,
candidate sittings and submissions with deterministic grades, interviews and scorecards, and the decision
rules applied to them.

Competency frameworks and rubrics are versioned data (screening/data/competencies.json, frameworks.py);
rows here pin the framework version they were made from. Hidden material (answer keys, hidden labels,
hidden tests) lives in `hidden_*` fields that no serializer, template or export reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cadre.pipeline.models import Application
from cadre.requisitions.models import Requisition


class Competency(models.TextChoices):
    CODING = "coding", "Coding"
    STATISTICAL_REASONING = "statistical_reasoning", "Statistical reasoning"
    MODEL_EVALUATION = "model_evaluation", "Model evaluation methodology"
    ML_SYSTEM_DESIGN = "ml_system_design", "ML system design"
    DATA_ENGINEERING = "data_engineering", "Data engineering"
    MLOPS = "mlops", "MLOps"
    RESPONSIBLE_AI = "responsible_ai", "Responsible AI"


class Question(models.Model):
    """One version of a question in the bank. Editing writes a new version; sittings pin versions."""

    class Kind(models.TextChoices):
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
        SHORT_ANSWER = "short_answer", "Short answer (rubric)"
        TAKE_HOME = "take_home", "Take-home task (rubric)"
        ML_TASK = "ml_task", "ML task (auto-graded predictions)"
        CODING_TASK = "coding_task", "Coding task (auto-graded in a sandbox)"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"

    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    competency = models.CharField(max_length=24, choices=Competency.choices)
    difficulty = models.PositiveSmallIntegerField(default=2, help_text="1 (entry) to 4 (expert)")
    title = models.CharField(max_length=200)
    prompt = models.TextField(help_text="What the candidate sees")
    role_families = models.JSONField(default=list, blank=True, help_text="Role family slugs it suits")
    spec = models.JSONField(
        default=dict,
        blank=True,
        help_text="Public configuration: choices, rubric levels, metric and columns, limits, time",
    )
    public_data = models.BinaryField(null=True, blank=True, help_text="Training data or starter code")
    public_filename = models.CharField(max_length=120, blank=True)
    hidden_key = models.JSONField(default=dict, blank=True, help_text="Never shown: correct choice(s)")
    hidden_data = models.BinaryField(null=True, blank=True, help_text="Never shown: labels or tests")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["competency", "slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="question_version_unique"),
            models.CheckConstraint(
                condition=Q(difficulty__gte=1) & Q(difficulty__lte=4), name="difficulty_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slug} v{self.version}"


class Assessment(models.Model):
    """An assessment assembled from a job profile's competencies; published versions are frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    requisition = models.ForeignKey(
        Requisition, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments"
    )
    role_family = models.CharField(max_length=64, blank=True)
    competencies = models.JSONField(default=list, help_text="Competency slugs with weights")
    framework_version = models.CharField(max_length=40)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    time_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    pass_threshold = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True, help_text="0..1 of the weighted score"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class AssessmentItem(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    weight = models.DecimalField(max_digits=6, decimal_places=3, default=1)

    class Meta:
        ordering = ["assessment_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "position"], name="item_position_unique"),
            models.UniqueConstraint(fields=["assessment", "question"], name="item_question_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.position} {self.question}"


class Sitting(models.Model):
    """One candidate taking one assessment, reached through a signed link (no account)."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        STARTED = "started", "Started"
        SUBMITTED = "submitted", "Submitted"
        GRADED = "graded", "Graded"
        EXPIRED = "expired", "Expired"
        CANCELLED = "cancelled", "Cancelled"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sittings")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="sittings")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED, db_index=True)
    nonce = models.CharField(max_length=64, unique=True, help_text="Signed into the candidate's link")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=6, null=True, blank=True)
    result = models.JSONField(
        default=dict, blank=True, help_text="Per competency and per item, with versions"
    )

    class Meta:
        ordering = ["-invited_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessment"],
                condition=~Q(status="cancelled"),
                name="one_live_sitting_per_assessment",
            )
        ]

    def __str__(self) -> str:
        return f"Sitting #{self.pk} ({self.status})"


class Submission(models.Model):
    """The candidate's answer to one item; uploads keep their raw bytes, size and digest."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        INVALID = "invalid", "Invalid (see errors)"
        GRADED = "graded", "Graded"
        NEEDS_REVIEW = "needs_review", "Awaiting rubric grading"

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="submissions")
    item = models.ForeignKey(AssessmentItem, on_delete=models.PROTECT, related_name="submissions")
    attempt = models.PositiveSmallIntegerField(default=1)
    answer = models.JSONField(default=dict, blank=True, help_text="Choice(s) or text")
    upload = models.BinaryField(null=True, blank=True)
    upload_name = models.CharField(max_length=200, blank=True)
    upload_size = models.PositiveBigIntegerField(null=True, blank=True)
    upload_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    errors = models.JSONField(default=list, blank=True)
    score = models.DecimalField(
        max_digits=12, decimal_places=6, null=True, blank=True, help_text="The metric value or 0..1"
    )
    level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Rubric level 1-4")
    result = models.JSONField(default=dict, blank=True, help_text="Grader output safe to show")
    grader_version = models.CharField(max_length=120, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sitting_id", "item_id", "-attempt"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "item", "attempt"], name="submission_attempt_unique")
        ]

    def __str__(self) -> str:
        return f"Submission #{self.pk} ({self.status})"


class Interview(models.Model):
    """A structured interview at one stage, with the kit generated from the competency framework."""

    class Stage(models.TextChoices):
        TECHNICAL_SCREEN = "technical_screen", "Technical screen"
        SYSTEM_DESIGN = "system_design", "System design"
        FINAL = "final", "Final"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="interviews")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    kit = models.JSONField(default=dict, help_text="Competencies, questions and rubric, with versions")
    framework_version = models.CharField(max_length=40)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="interviews")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} for application #{self.application_id}"


class Scorecard(models.Model):
    class Recommendation(models.TextChoices):
        STRONG_NO = "strong_no", "Strong no"
        NO = "no", "No"
        YES = "yes", "Yes"
        STRONG_YES = "strong_yes", "Strong yes"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["interview_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "interviewer"], name="one_scorecard_per_interviewer")
        ]

    def __str__(self) -> str:
        return f"Scorecard #{self.pk} by user #{self.interviewer_id}"


class CompetencyRating(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    competency = models.CharField(max_length=24, choices=Competency.choices)
    level = models.PositiveSmallIntegerField(help_text="Rubric level 1-4")
    evidence = models.TextField(help_text="What the candidate said or did that supports the level")

    class Meta:
        ordering = ["scorecard_id", "competency"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "competency"], name="one_rating_per_competency"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=4), name="rating_level_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.competency}: {self.level}"


class DecisionRuleSet(models.Model):
    """The hiring team's decision rules for scorecards (e.g. any strong no rejects), versioned."""

    name = models.CharField(max_length=120)
    version = models.PositiveIntegerField(default=1)
    requisition = models.ForeignKey(
        Requisition, null=True, blank=True, on_delete=models.CASCADE, related_name="decision_rules"
    )
    rules = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="rule_set_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
