"""Back-office views of screening, read-only: writes go through the services (versions, audit, grading),
and the hidden fields (answer keys, hidden labels and tests, upload bytes) are not shown at all."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cadre.screening.models import Assessment, AssessmentItem, Question, Sitting, Submission


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("slug", "version", "kind", "competency", "difficulty", "status", "created_at")
    list_filter = ("kind", "competency", "difficulty", "status")
    search_fields = ("slug", "title")
    fields = (
        "slug",
        "version",
        "kind",
        "competency",
        "difficulty",
        "title",
        "prompt",
        "role_families",
        "spec",
        "public_filename",
        "status",
        "created_by",
        "created_at",
    )


class AssessmentItemInline(admin.TabularInline):
    model = AssessmentItem
    extra = 0
    fields = ("position", "question", "weight")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("title", "version", "status", "requisition", "pass_threshold", "created_at")
    list_filter = ("status",)
    search_fields = ("title",)
    inlines = [AssessmentItemInline]
    list_select_related = ("requisition",)


@admin.register(Sitting)
class SittingAdmin(ReadOnlyAdmin):
    list_display = ("pk", "application", "assessment", "status", "score", "invited_at", "submitted_at")
    list_filter = ("status",)
    exclude = ("nonce",)
    list_select_related = ("application__person", "assessment")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "sitting", "item", "attempt", "status", "score", "level", "created_at")
    list_filter = ("status",)
    exclude = ("upload",)
