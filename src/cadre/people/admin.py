from django.contrib import admin

from cadre.core.admin import AuditedModelAdmin
from cadre.people.models import Attachment, Fact, Identity, Person, SkillEvidence, SourceRecord


class IdentityInline(admin.TabularInline):
    model = Identity
    extra = 0
    fields = ("kind", "value", "display_value", "verified")


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = ("full_name", "headline", "location", "updated_at")
    search_fields = ("full_name", "headline", "identities__value")
    readonly_fields = ("version", "merged_into")
    inlines = [IdentityInline]


@admin.register(SourceRecord)
class SourceRecordAdmin(AuditedModelAdmin):
    list_display = ("source", "external_id", "person", "fetched_at")
    list_filter = ("source",)
    raw_id_fields = ("person", "attachment")


@admin.register(Attachment)
class AttachmentAdmin(AuditedModelAdmin):
    list_display = ("original_name", "content_type", "size", "person", "uploaded_at")
    raw_id_fields = ("person",)


@admin.register(SkillEvidence)
class SkillEvidenceAdmin(AuditedModelAdmin):
    list_display = ("person", "skill", "kind", "observed_on")
    list_filter = ("kind",)
    raw_id_fields = ("person", "source_record")


@admin.register(Fact)
class FactAdmin(AuditedModelAdmin):
    list_display = ("person", "kind", "title", "organisation", "start_date", "end_date")
    list_filter = ("kind",)
    raw_id_fields = ("person", "source_record")
