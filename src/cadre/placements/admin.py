"""Back office for placements. Offers, placements, rate cards, fees and splits are created through the
services (validation, one transaction, the compliance gates), so the admin shows them read-mostly; every
admin write is audited (AuditedModelAdmin)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cadre.core.admin import AuditedModelAdmin
from cadre.placements.models import (
    BurdenSetting,
    CommissionSplit,
    Fee,
    Invoice,
    InvoiceLine,
    Offer,
    OnboardingTask,
    Placement,
    RateCard,
    Timesheet,
    TimesheetEntry,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RateCardInline(ReadOnlyInline):
    model = RateCard
    fields = (
        "effective_from",
        "pay_regular",
        "pay_overtime",
        "pay_double",
        "bill_regular",
        "bill_overtime",
        "bill_double",
        "reason",
    )


class FeeInline(ReadOnlyInline):
    model = Fee
    fields = ("label", "kind", "basis", "percent", "amount", "due_on", "status")


class CommissionSplitInline(ReadOnlyInline):
    model = CommissionSplit
    fields = ("user", "role", "share_percent")


class OnboardingTaskInline(ReadOnlyInline):
    model = OnboardingTask
    fields = ("title", "owner", "due_on", "gate_kind", "status")


class NoAddAdmin(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # created through the offer flow (services), never by hand


@admin.register(Offer)
class OfferAdmin(NoAddAdmin):
    list_display = ("__str__", "engagement_type", "status", "pay_rate", "bill_rate", "salary", "start_date")
    list_filter = ("status", "engagement_type", "vehicle")
    raw_id_fields = ("application", "supersedes", "created_by")
    readonly_fields = ("application", "revision", "supersedes", "status", "extended_at", "responded_at")
    list_select_related = ("application",)


@admin.register(Placement)
class PlacementAdmin(NoAddAdmin):
    list_display = ("__str__", "client", "engagement_type", "vehicle", "status", "start_date", "end_date")
    list_filter = ("status", "engagement_type", "vehicle")
    raw_id_fields = ("application", "offer", "client", "recruiter", "timesheet_approver", "created_by")
    readonly_fields = ("application", "offer", "client", "status", "converted_on", "version")
    list_select_related = ("client",)
    inlines = [RateCardInline, FeeInline, CommissionSplitInline, OnboardingTaskInline]


@admin.register(Fee)
class FeeAdmin(NoAddAdmin):
    list_display = ("label", "placement", "kind", "amount", "currency", "due_on", "status")
    list_filter = ("kind", "status")
    raw_id_fields = ("placement", "created_by")
    readonly_fields = ("placement", "kind", "basis", "percent", "amount", "calculation")


class TimesheetEntryInline(ReadOnlyInline):
    model = TimesheetEntry
    fields = ("work_date", "regular_hours", "overtime_hours", "double_hours", "note")


@admin.register(Timesheet)
class TimesheetAdmin(NoAddAdmin):
    list_display = ("__str__", "placement", "status", "approved_at")
    list_filter = ("status",)
    raw_id_fields = ("placement", "entered_by", "approved_by_contact", "approved_by_user")
    readonly_fields = ("placement", "week_start", "status", "version")
    inlines = [TimesheetEntryInline]


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = ("kind", "description", "quantity", "unit_price", "amount")


@admin.register(Invoice)
class InvoiceAdmin(NoAddAdmin):
    list_display = ("number", "client", "period_start", "period_end", "status", "total", "currency")
    list_filter = ("status",)
    raw_id_fields = ("client", "created_by")
    readonly_fields = ("number", "client", "period_start", "period_end", "subtotal", "total", "status")
    inlines = [InvoiceLineInline]


@admin.register(BurdenSetting)
class BurdenSettingAdmin(AuditedModelAdmin):
    list_display = (
        "state",
        "year",
        "suta_rate",
        "suta_wage_base",
        "workers_comp_per_100",
        "benefits_percent",
    )
    list_filter = ("year",)
    raw_id_fields = ("updated_by",)
