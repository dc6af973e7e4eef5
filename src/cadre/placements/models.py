"""Offers, placements and everything a placement owns: effective-dated rate cards, fees and commission
splits, onboarding tasks, weekly timesheets and client invoices; plus the firm's burden settings.

Money is Decimal with a currency on every row that holds an amount. The arithmetic lives in the pure
modules (economics.py, fees.py, advisor.py); this module only stores inputs and results.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cadre.clients.models import Client, Contact
from cadre.pipeline.models import Application
from cadre.requisitions.models import EngagementType

# Amounts: 14,2; pay and bill rates: 12,4 (sub-cent precision); percents: 7,4 (25.0000 = 25 %); hours 6,2.


class Vehicle(models.TextChoices):
    """Who employs the worker: the agency (W-2), the worker themselves (1099) or their company (C2C)."""

    W2 = "w2", "W-2 through the agency"
    C1099 = "1099", "1099 independent contractor"
    C2C = "c2c", "Corp-to-corp"


class PayBasis(models.TextChoices):
    HOURLY = "hourly", "Hourly rates"
    SALARY = "salary", "Annual salary"


class Offer(models.Model):
    """One revision of an offer to a candidate. Revising writes a new row (revision + 1) and marks the
    previous one superseded, so every version of the terms stays readable."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        EXTENDED = "extended", "Extended"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        SUPERSEDED = "superseded", "Superseded"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="offers")
    revision = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    engagement_type = models.CharField(max_length=20, choices=EngagementType.choices)
    vehicle = models.CharField(max_length=4, choices=Vehicle.choices, default=Vehicle.W2)
    pay_basis = models.CharField(max_length=8, choices=PayBasis.choices, default=PayBasis.HOURLY)
    currency = models.CharField(max_length=3, default="USD")
    pay_rate = models.DecimalField(
        max_digits=12, decimal_places=4, null=True, blank=True, help_text="Hourly pay (contract work)"
    )
    bill_rate = models.DecimalField(
        max_digits=12, decimal_places=4, null=True, blank=True, help_text="Hourly bill (contract work)"
    )
    salary = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Annual base (direct hire)"
    )
    bonus = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Target first-year bonus (counts toward total cash)",
    )
    hours_per_week = models.DecimalField(max_digits=6, decimal_places=2, default=40)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    work_state = models.CharField(max_length=2, blank=True, help_text="US state worked in (burden, SUTA)")
    terms = models.TextField(blank=True, help_text="Other terms: notice, equipment, remote, conversion")
    extended_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response_reason = models.TextField(blank=True, help_text="Why declined or withdrawn")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application_id", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["application", "revision"], name="offer_revision_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="offer_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Offer r{self.revision} for application #{self.application_id} ({self.status})"


class Placement(models.Model):
    """A filled opening: the accepted offer's terms, and the record everything after acceptance hangs off."""

    class Status(models.TextChoices):
        PENDING_START = "pending_start", "Pending start"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"
        CONVERTED = "converted", "Converted to permanent"
        CANCELLED = "cancelled", "Cancelled before start"

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="placement")
    offer = models.OneToOneField(
        Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="placement"
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="placements")
    engagement_type = models.CharField(max_length=20, choices=EngagementType.choices)
    vehicle = models.CharField(max_length=4, choices=Vehicle.choices, default=Vehicle.W2)
    pay_basis = models.CharField(max_length=8, choices=PayBasis.choices, default=PayBasis.HOURLY)
    status = models.CharField(
        max_length=14, choices=Status.choices, default=Status.PENDING_START, db_index=True
    )
    currency = models.CharField(max_length=3, default="USD")
    salary = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Annual base (direct hire)"
    )
    bonus = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    hours_per_week = models.DecimalField(max_digits=6, decimal_places=2, default=40)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    work_state = models.CharField(max_length=2, blank=True, help_text="US state worked in (burden, SUTA)")
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
        help_text="Owner of the placement (margin-by-recruiter reports)",
    )
    timesheet_approver = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Client contact who approves timesheets",
    )
    fee_terms = models.JSONField(
        default=dict,
        blank=True,
        help_text="Agreed with the client: kind (contingency, retained, conversion), percent, guarantee days,"
        " conversion method (prorate, credit, free_after_hours) and its parameters",
    )
    ended_reason = models.TextField(blank=True)
    converted_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["client", "status"]),
            models.Index(fields=["recruiter", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="placement_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Placement #{self.pk} ({self.get_engagement_type_display()})"


class RateCard(models.Model):
    """Pay and bill rates from a date on (effective-dated; the latest card on or before a day applies).

    Rows are never edited after hours were invoiced against them: a rate change is a new card."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="rate_cards")
    effective_from = models.DateField()
    currency = models.CharField(max_length=3, default="USD")
    pay_regular = models.DecimalField(max_digits=12, decimal_places=4)
    pay_overtime = models.DecimalField(max_digits=12, decimal_places=4)
    pay_double = models.DecimalField(max_digits=12, decimal_places=4)
    bill_regular = models.DecimalField(max_digits=12, decimal_places=4)
    bill_overtime = models.DecimalField(max_digits=12, decimal_places=4)
    bill_double = models.DecimalField(max_digits=12, decimal_places=4)
    reason = models.CharField(max_length=200, blank=True, help_text="Why the rate changed")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["placement_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "effective_from"], name="rate_card_per_day"),
            models.CheckConstraint(
                condition=Q(pay_regular__gte=0)
                & Q(pay_overtime__gte=0)
                & Q(pay_double__gte=0)
                & Q(bill_regular__gte=0)
                & Q(bill_overtime__gte=0)
                & Q(bill_double__gte=0),
                name="rate_card_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Rates from {self.effective_from}: pay {self.pay_regular} / bill {self.bill_regular}"


class Fee(models.Model):
    """A placement fee or one installment of it (retained searches bill in thirds)."""

    class Kind(models.TextChoices):
        CONTINGENCY = "contingency", "Contingency placement fee"
        RETAINED = "retained", "Retained search installment"
        CONVERSION = "conversion", "Contract-to-hire conversion fee"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        INVOICED = "invoiced", "Invoiced"
        PAID = "paid", "Paid"
        REFUNDED = "refunded", "Refunded (guarantee)"
        WAIVED = "waived", "Waived"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    label = models.CharField(max_length=120, help_text="e.g. 'Retainer 1 of 3: engagement'")
    currency = models.CharField(max_length=3, default="USD")
    basis = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="What the percent applies to (base, total cash...)"
    )
    percent = models.DecimalField(
        max_digits=7, decimal_places=4, help_text="Effective percent after pro-rating"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    due_on = models.DateField(null=True, blank=True)
    guarantee_days = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    calculation = models.JSONField(default=dict, blank=True, help_text="Formula inputs and version")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["placement_id", "due_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="fee_non_negative")]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount} {self.currency}"


class CommissionSplit(models.Model):
    """A recruiter's share of a placement's gross profit or fee (shares on one placement sum to <= 100)."""

    class Role(models.TextChoices):
        SOURCER = "sourcer", "Sourcer"
        RECRUITER = "recruiter", "Recruiter"
        ACCOUNT_MANAGER = "account_manager", "Account manager"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="commission_splits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.RECRUITER)
    share_percent = models.DecimalField(max_digits=7, decimal_places=4)

    class Meta:
        ordering = ["placement_id", "-share_percent", "id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "user", "role"], name="one_split_per_user_role"),
            models.CheckConstraint(
                condition=Q(share_percent__gt=0) & Q(share_percent__lte=100), name="split_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.share_percent}% to user #{self.user_id} ({self.role})"


class OnboardingTask(models.Model):
    """One onboarding step with an owner and a due date. Tasks tied to a compliance gate (I-9 →
    work authorization, IP assignment → ip_assignment) record that gate when they are completed."""

    class Kind(models.TextChoices):
        W4 = "w4", "Form W-4"
        W9 = "w9", "Form W-9"
        I9 = "i9", "Form I-9 (employment eligibility)"
        IP_ASSIGNMENT = "ip_assignment", "IP assignment and NDA"
        BACKGROUND_CHECK = "background_check", "Background check"
        CLEARANCE = "clearance", "Clearance verification"
        MSA = "msa", "Subcontractor agreement and certificate of insurance"
        EQUIPMENT = "equipment", "Equipment"
        PLATFORM_ACCESS = "platform_access", "Access to the client's platform"
        FIRST_WEEK_PLAN = "first_week_plan", "First-week plan"
        OTHER = "other", "Other"

    class Owner(models.TextChoices):
        RECRUITER = "recruiter", "Recruiter"
        CANDIDATE = "candidate", "Candidate"
        CLIENT = "client", "Client"
        COMPLIANCE = "compliance", "Compliance"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        WAIVED = "waived", "Not needed"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="onboarding_tasks")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=12, choices=Owner.choices)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    gate_kind = models.CharField(
        max_length=24, blank=True, help_text="Compliance gate this task feeds (PlacementGate.Kind)"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    details = models.JSONField(default=dict, blank=True, help_text="What was collected (passed to the gate)")
    note = models.TextField(blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["placement_id", "position", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "kind", "title"], name="onboarding_task_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"


class Timesheet(models.Model):
    """One contractor week (Monday to Sunday): entered, submitted, approved by the client contact."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="timesheets")
    week_start = models.DateField(help_text="Monday of the week")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["placement_id", "-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "week_start"], name="one_timesheet_per_week")
        ]

    def __str__(self) -> str:
        return f"Week of {self.week_start} ({self.status})"


class TimesheetEntry(models.Model):
    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="entries")
    work_date = models.DateField()
    regular_hours = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    overtime_hours = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    double_hours = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["timesheet_id", "work_date"]
        constraints = [
            models.UniqueConstraint(fields=["timesheet", "work_date"], name="one_entry_per_day"),
            models.CheckConstraint(
                condition=Q(regular_hours__gte=0) & Q(overtime_hours__gte=0) & Q(double_hours__gte=0),
                name="entry_hours_non_negative",
            ),
        ]
        verbose_name_plural = "timesheet entries"

    def __str__(self) -> str:
        return f"{self.work_date}: {self.regular_hours}+{self.overtime_hours}+{self.double_hours} h"


class Invoice(models.Model):
    """A client invoice: approved hours x the bill rate in force each day, and fees due."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"
        PAID = "paid", "Paid"
        VOID = "void", "Void"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(max_length=32, unique=True)
    currency = models.CharField(max_length=3, default="USD")
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True)
    issued_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    subtotal = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="invoice_period_order"
            )
        ]

    def __str__(self) -> str:
        return f"Invoice {self.number}"


class InvoiceLine(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", "Regular hours"
        OVERTIME = "overtime", "Overtime hours"
        DOUBLE = "double", "Double-time hours"
        FEE = "fee", "Fee"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="invoice_lines")
    timesheet = models.ForeignKey(
        Timesheet, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_lines"
    )
    fee = models.ForeignKey(
        Fee, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_lines"
    )
    rate_card = models.ForeignKey(
        RateCard, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_lines"
    )
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(max_digits=12, decimal_places=4)
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["invoice_id", "id"]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class BurdenSetting(models.Model):
    """The firm's own employer-cost inputs for one state and year: its experience-rated SUTA rate and
    wage base, workers' compensation per 100 of payroll, and benefits. Statutory federal figures (FICA,
    FUTA, credit reductions) come from the shipped tables in placements/data; these rows override the
    shipped state defaults."""

    year = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=2, help_text="US state (two letters)")
    suta_rate = models.DecimalField(
        max_digits=7, decimal_places=4, null=True, blank=True, help_text="Percent of wages"
    )
    suta_wage_base = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    workers_comp_per_100 = models.DecimalField(
        max_digits=8, decimal_places=4, null=True, blank=True, help_text="Dollars per 100 of payroll"
    )
    benefits_percent = models.DecimalField(
        max_digits=7, decimal_places=4, null=True, blank=True, help_text="Percent of pay"
    )
    note = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "state"]
        constraints = [models.UniqueConstraint(fields=["year", "state"], name="burden_setting_unique")]

    def __str__(self) -> str:
        return f"Burden settings {self.state} {self.year}"
