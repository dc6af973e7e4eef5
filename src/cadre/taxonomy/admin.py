from django.contrib import admin

from cadre.core.admin import AuditedModelAdmin
from cadre.taxonomy.models import Platform, RoleFamily, Skill


@admin.register(RoleFamily)
class RoleFamilyAdmin(AuditedModelAdmin):
    list_display = ("name", "slug", "soc_code", "onet_code")
    search_fields = ("name", "slug")


@admin.register(Skill)
class SkillAdmin(AuditedModelAdmin):
    list_display = ("name", "slug", "category", "parent")
    list_filter = ("category",)
    search_fields = ("name", "slug")
    list_select_related = ("parent",)


@admin.register(Platform)
class PlatformAdmin(AuditedModelAdmin):
    list_display = ("name", "provider", "slug")
