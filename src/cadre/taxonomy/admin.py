from django.contrib import admin

from cadre.core.admin import AuditedModelAdmin
from cadre.taxonomy.models import Competency, Platform, RoleFamily, Skill


@admin.register(RoleFamily)
class RoleFamilyAdmin(AuditedModelAdmin):
    list_display = ("name", "slug", "soc_code", "onet_code")
    search_fields = ("name", "slug")


@admin.register(Skill)
class SkillAdmin(AuditedModelAdmin):
    list_display = ("name", "slug", "category", "parent", "hot_technology")
    list_filter = ("category", "hot_technology")
    search_fields = ("name", "slug")
    list_select_related = ("parent",)


@admin.register(Platform)
class PlatformAdmin(AuditedModelAdmin):
    list_display = ("name", "provider", "slug")


@admin.register(Competency)
class CompetencyAdmin(AuditedModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
