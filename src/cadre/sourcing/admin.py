from django.contrib import admin

from cadre.core.admin import AuditedModelAdmin
from cadre.sourcing.models import ImportRun, Program


@admin.register(Program)
class ProgramAdmin(AuditedModelAdmin):
    list_display = ("university", "name", "degree", "accreditations")
    search_fields = ("university", "name")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("source", "started_at", "finished_at", "created", "updated", "skipped", "via")
    list_filter = ("source", "via")
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):  # runs are written by imports only
        return False
