from django.contrib import admin

from cadre.clients.models import Client, Contact
from cadre.core.admin import AuditedModelAdmin


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Client)
class ClientAdmin(AuditedModelAdmin):
    list_display = ("name", "industry", "headquarters", "updated_at")
    search_fields = ("name",)
    filter_horizontal = ("platforms", "hiring_managers")
    inlines = [ContactInline]
    readonly_fields = ("version",)
