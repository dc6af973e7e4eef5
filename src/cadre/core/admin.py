"""Back office. Every admin write goes through the same audit path as services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model
from django.http import HttpRequest

from cadre.core import audit
from cadre.core.models import ApiToken, AuditLog, DecisionRecord, User


class AuditedModelAdmin(admin.ModelAdmin):
    """Records create/update/delete with before/after snapshots, like services do."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = audit.snapshot(old) if old else None
        super().save_model(request, obj, form, change)
        action = AuditLog.Action.UPDATE if change else AuditLog.Action.CREATE
        audit.record(action, obj, before=before, after=audit.snapshot(obj), actor=request.user, via="admin")

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit.record(AuditLog.Action.DELETE, obj, before=audit.snapshot(obj), actor=request.user, via="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit.record(
                AuditLog.Action.DELETE,
                obj,
                before=audit.snapshot(obj),
                actor=request.user,
                via="admin",
            )
        super().delete_queryset(request, queryset)


@admin.register(User)
class CadreUserAdmin(UserAdmin, AuditedModelAdmin):
    list_display = ("username", "email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Cadre", {"fields": ("role",)}))  # type: ignore[misc]
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Cadre", {"fields": ("role",)}))


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    list_select_related = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are created with `cadre token create`, which shows the raw value once


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "via", "action", "object_type", "object_id", "object_repr")
    list_filter = ("action", "via", "object_type")
    search_fields = ("object_repr", "object_id")
    list_select_related = ("actor",)


@admin.register(DecisionRecord)
class DecisionRecordAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "version", "subject_type", "subject_id", "score")
    list_filter = ("kind", "version")
