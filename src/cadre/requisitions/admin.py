from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cadre.core.admin import AuditedModelAdmin
from cadre.requisitions.models import JobProfile, ProfileReview, Requisition, RequisitionSkill


class RequisitionSkillInline(admin.TabularInline):
    model = RequisitionSkill
    extra = 0
    autocomplete_fields = ("skill",)


@admin.register(Requisition)
class RequisitionAdmin(AuditedModelAdmin):
    list_display = (
        "title",
        "client",
        "role_family",
        "seniority",
        "engagement_type",
        "status",
        "openings",
    )
    list_filter = ("status", "engagement_type", "seniority", "role_family")
    search_fields = ("title", "client__name")
    list_select_related = ("client", "role_family")
    autocomplete_fields = ("client",)
    readonly_fields = ("version",)
    inlines = [RequisitionSkillInline]


class ProfileReviewInline(admin.TabularInline):
    model = ProfileReview
    extra = 0
    can_delete = False
    readonly_fields = (
        "revision",
        "reviewer_user",
        "reviewer_contact",
        "recorded_by",
        "decision",
        "comment",
        "at",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # decisions are recorded through the review panel so the gate and audit apply


@admin.register(JobProfile)
class JobProfileAdmin(AuditedModelAdmin):
    list_display = ("requisition", "role_family", "seniority", "platform", "review_required", "revision")
    list_filter = ("review_required", "role_family", "seniority")
    list_select_related = ("requisition", "role_family", "platform")
    raw_id_fields = ("requisition",)
    readonly_fields = ("evidence", "ontology_version", "parser_version", "revision")
    inlines = [ProfileReviewInline]
