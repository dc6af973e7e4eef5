from django.contrib import admin

from cadre.resolution.models import LinkageModel, MatchCandidate, MergeRecord


@admin.register(MatchCandidate)
class MatchCandidateAdmin(admin.ModelAdmin):
    list_display = ("id", "left", "right", "probability", "status", "reviewer", "reviewed_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in MatchCandidate._meta.fields]


@admin.register(MergeRecord)
class MergeRecordAdmin(admin.ModelAdmin):
    list_display = ("id", "survivor", "merged", "automatic", "at", "unmerged_at")
    readonly_fields = [f.name for f in MergeRecord._meta.fields]


@admin.register(LinkageModel)
class LinkageModelAdmin(admin.ModelAdmin):
    list_display = ("version", "trained", "records", "created_at")
    readonly_fields = ("version", "model", "trained", "records", "created_at")
