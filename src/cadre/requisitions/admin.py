from django.contrib import admin

from cadre.core.admin import AuditedModelAdmin
from cadre.requisitions.models import Requisition, RequisitionSkill


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
