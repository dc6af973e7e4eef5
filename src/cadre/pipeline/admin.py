from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cadre.core.admin import AuditedModelAdmin
from cadre.pipeline.models import Activity, Application, StageEvent


class StageEventInline(admin.TabularInline):
    model = StageEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_stage", "to_stage", "actor", "at", "reason")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # stage moves go through the board or the API so guards and history apply


@admin.register(Application)
class ApplicationAdmin(AuditedModelAdmin):
    list_display = ("person", "requisition", "stage", "stage_changed_at")
    list_filter = ("stage",)
    raw_id_fields = ("person", "requisition")
    readonly_fields = ("stage", "stage_changed_at", "version")
    inlines = [StageEventInline]
    list_select_related = ("person", "requisition")


@admin.register(Activity)
class ActivityAdmin(AuditedModelAdmin):
    list_display = ("at", "person", "kind", "actor")
    list_filter = ("kind",)
    raw_id_fields = ("person", "application")
