"""Data export and erasure: everything held on a person, self-identification only for those who may read
it, anonymisation that keeps applications, stage events and decision counts, scrubbed audit snapshots."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.utils import timezone

from cadre.compliance.models import CandidateNotice, SelfIdentification
from cadre.compliance.notices import send_notice
from cadre.compliance.privacy import ERASED, erase_person, export_person, is_erased
from cadre.core import audit
from cadre.core.exceptions import Conflict, Forbidden, ValidationFailed
from cadre.core.models import AuditLog, DecisionRecord
from cadre.matching.models import SearchDocument, TalentPool, TalentPoolMember
from cadre.people.models import (
    Attachment,
    Fact,
    Identity,
    Person,
    SkillEvidence,
    SourceRecord,
    WorkPreferences,
)
from cadre.people.services import (
    create_person,
    record_source,
    set_work_preferences,
    store_attachment,
    update_person,
)
from cadre.pipeline.models import Activity, Application, StageEvent
from cadre.pipeline.services import add_note, move_application
from cadre.resolution.merging import merge_people
from cadre.taxonomy.models import Skill

pytestmark = pytest.mark.django_db

REASON = "Erasure request received 2026-11-20 (ticket 4411)"
PERSONAL = ("ana lima", "analima", "acme robotics", "neurips")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def rich(recruiter, tenant_a):
    """Ana Lima with a row of every kind Cadre keeps on a person."""
    person = tenant_a.person
    attachment = store_attachment(
        recruiter, person=person, name="ana-lima-cv.txt", content=b"Ana Lima, ML engineer at Acme Robotics"
    )
    record_source(
        person=person,
        source=SourceRecord.Source.RESUME,
        payload={"text": "Ana Lima, ML engineer at Acme Robotics"},
        external_id="ana-lima-cv.txt",
        attachment=attachment,
        actor=recruiter,
    )
    SkillEvidence.objects.create(
        person=person,
        skill=Skill.objects.get(slug="pytorch"),
        kind="resume",
        detail="PyTorch at Acme Robotics",
    )
    Fact.objects.create(person=person, kind="employment", title="ML engineer", organisation="Acme Robotics")
    set_work_preferences(recruiter, person, city="New York", country="US")
    self_id = SelfIdentification.objects.create(
        person=person, sex="Female", race_ethnicity="Asian", collected_at=timezone.now()
    )
    audit.record(AuditLog.Action.CREATE, self_id, after=audit.snapshot(self_id), actor=recruiter)
    add_note(recruiter, person, body="Ana Lima met us at NeurIPS; prefers remote")
    move_application(recruiter, tenant_a.application, to_stage="screening", reason="strong profile")
    DecisionRecord.objects.create(
        kind="match_ranking",
        version="ranker-1",
        subject_type="requisitions.requisition",
        subject_id=str(tenant_a.requisition.pk),
        person_id=person.pk,
        inputs_digest="d" * 64,
        score=Decimal("0.912345"),
        explanation={"rank": 1, "matched": ["pytorch"], "evidence": "PyTorch at Acme Robotics"},
    )
    pool = TalentPool.objects.create(name="LLM bench", owner=recruiter)
    TalentPoolMember.objects.create(pool=pool, person=person, note="Met at NeurIPS", added_by=recruiter)
    SearchDocument.objects.create(person_id=person.pk, body="Ana Lima ML engineer Acme Robotics", digest="x")
    send_notice(recruiter, person, "NYC")
    update_person(recruiter, person, expected_version=person.version, location="Brooklyn, NY")
    person.refresh_from_db()
    return person


def _audit_text() -> str:
    rows = AuditLog.objects.values_list("object_repr", "before", "after")
    return json.dumps(list(rows), default=str).casefold()


def test_export_holds_every_kind_of_row(rich, recruiter, tenant_a):
    data = export_person(recruiter, rich)
    json.dumps(data)  # JSON-serialisable as returned
    assert data["person"]["full_name"] == "Ana Lima" and data["erased"] is False
    assert {i["kind"] for i in data["identities"]} == {"email", "github"}
    assert any(r["payload"].get("text", "").startswith("Ana Lima") for r in data["source_records"])
    [attachment] = data["attachments"]
    assert attachment["original_name"] == "ana-lima-cv.txt" and len(attachment["sha256"]) == 64
    assert data["skill_evidence"][0]["skill_slug"] == "pytorch"
    assert data["facts"][0]["organisation"] == "Acme Robotics"
    assert data["work_preferences"]["city"] == "New York"
    [application] = data["applications"]
    assert application["requisition"]["title"] == tenant_a.requisition.title
    assert [e["to_stage"] for e in application["stage_events"]] == ["sourced", "screening"]
    assert len(application["activities"]) == 2  # added to the pipeline, moved to screening
    assert any("NeurIPS" in a["body"] for a in data["activities"])
    assert data["talent_pools"][0]["pool"] == "LLM bench"
    assert data["notices"][0]["jurisdiction"] == "NYC"
    [decision] = data["decision_records"]
    assert decision["score"] == "0.912345" and decision["explanation"]["rank"] == 1
    assert any(e["object_type"] == "people.person" and e["action"] == "update" for e in data["audit_log"])
    assert any(e["object_type"] == "people.identity" for e in data["audit_log"])
    # Self-identification exists but a recruiter may not read it.
    assert data["self_identification"]["withheld"] is True
    assert "Female" not in json.dumps(data) and "Asian" not in json.dumps(data)  # nor in audit snapshots
    assert any(e["object_type"] == "compliance.selfidentification" for e in data["audit_log"])
    assert data["merged_records"] == []


def test_export_is_audited_and_self_id_goes_to_compliance(rich, compliance_officer):
    data = export_person(compliance_officer, rich)
    assert data["self_identification"]["sex"] == "Female"
    [entry] = [e for e in data["audit_log"] if e["object_type"] == "compliance.selfidentification"]
    assert entry["after"]["race_ethnicity"] == "Asian"
    entry = AuditLog.objects.filter(action="export", object_id=str(rich.pk)).get()
    assert entry.actor == compliance_officer and entry.after["self_identification"] == "included"


def test_export_forbidden_to_hiring_managers(rich, tenant_a):
    with pytest.raises(Forbidden):
        export_person(tenant_a.hiring_manager, rich)


def test_erase_permissions_and_reason(rich, recruiter, admin_user, tenant_a):
    with pytest.raises(Forbidden):
        erase_person(recruiter, rich, reason=REASON)
    with pytest.raises(Forbidden):
        erase_person(tenant_a.hiring_manager, rich, reason=REASON)
    with pytest.raises(ValidationFailed, match="reason"):
        erase_person(admin_user, rich, reason="   ")
    rich.refresh_from_db()
    assert rich.full_name == "Ana Lima"


def test_erase_anonymises_and_keeps_counts(
    rich, compliance_officer, recruiter, tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    pk = rich.pk
    stored = Path(Attachment.objects.get(person=rich).file.path)
    hashes = sorted(SourceRecord.objects.filter(person=rich).values_list("content_sha256", flat=True))
    counts = {
        "decisions": DecisionRecord.objects.filter(person_id=pk).count(),
        "events": StageEvent.objects.filter(application__person=rich).count(),
        "applications": Application.objects.filter(person=rich).count(),
        "activities": Activity.objects.filter(person=rich).count(),
        "notices": CandidateNotice.objects.filter(person=rich).count(),
    }
    other_name = tenant_b.person.full_name
    assert stored.exists() and "ana lima" in _audit_text()

    with django_capture_on_commit_callbacks(execute=True):
        result = erase_person(compliance_officer, rich, reason=REASON)

    rich.refresh_from_db()
    assert rich.full_name == f"Erased person #{pk}" and is_erased(rich)
    assert (rich.headline, rich.summary, rich.location, rich.time_zone) == ("", "", "", "")
    assert not Identity.objects.filter(person_id=pk).exists()
    records = SourceRecord.objects.filter(person_id=pk)
    assert records.exists() and all(r.payload == ERASED and r.external_id == "" for r in records)
    assert sorted(records.values_list("content_sha256", flat=True)) == hashes
    assert not Attachment.objects.filter(person_id=pk).exists() and not stored.exists()
    for model in (Fact, SkillEvidence, WorkPreferences, SelfIdentification, TalentPoolMember):
        assert not model.objects.filter(person_id=pk).exists(), model
    assert not SearchDocument.objects.filter(person_id=pk).exists()
    assert set(Activity.objects.filter(person_id=pk).values_list("body", flat=True)) == {"[erased]"}
    decisions = DecisionRecord.objects.filter(person_id=pk)
    assert decisions.count() == counts["decisions"]
    decision = decisions.get()
    assert decision.explanation == ERASED and decision.score == Decimal("0.912345")
    assert (decision.kind, decision.version) == ("match_ranking", "ranker-1")
    assert StageEvent.objects.filter(application__person_id=pk).count() == counts["events"]
    assert Application.objects.filter(person_id=pk).count() == counts["applications"]
    assert Activity.objects.filter(person_id=pk).count() == counts["activities"]
    assert CandidateNotice.objects.filter(person_id=pk).count() == counts["notices"]
    assert result["applications_kept"] == 1 and result["stage_events_kept"] == counts["events"]

    # No audit row still holds Ana's personal data; the erasure itself is recorded with its reason.
    text = _audit_text()
    for needle in PERSONAL:
        assert needle not in text, needle
    entry = AuditLog.objects.filter(object_type="people.person", object_id=str(pk), action="delete").get()
    assert entry.actor == compliance_officer
    assert entry.after["erased"] is True and entry.after["reason"] == REASON
    assert tenant_b.person.full_name.casefold() in text and other_name == "Ben Okafor"  # others untouched

    # An export afterwards shows only what remains.
    data = export_person(recruiter, rich)
    assert data["erased"] is True and data["person"]["full_name"] == f"Erased person #{pk}"
    assert data["identities"] == [] and data["attachments"] == [] and data["facts"] == []
    assert data["self_identification"] is None and data["work_preferences"] is None
    assert all(r["payload"] == ERASED for r in data["source_records"])
    assert len(data["applications"][0]["stage_events"]) == counts["events"]
    assert data["decision_records"][0]["explanation"] == ERASED
    dumped = json.dumps(data).casefold()
    for needle in PERSONAL:
        assert needle not in dumped, needle


def test_merged_person_is_refused_and_survivor_erasure_covers_it(recruiter, admin_user, tenant_a):
    twin = create_person(
        recruiter,
        full_name="Ana M. Lima",
        headline="Researcher",
        identities=[("orcid", "0000-0002-1825-0097")],
    )
    merge_people(recruiter, survivor_id=tenant_a.person.pk, merged_id=twin.pk)
    twin.refresh_from_db()
    with pytest.raises(Conflict, match=f"erase person {tenant_a.person.pk} instead"):
        erase_person(admin_user, twin, reason=REASON)
    result = erase_person(admin_user, tenant_a.person, reason=REASON)
    assert result["merged_records"] == [twin.pk]
    twin.refresh_from_db()
    assert twin.full_name == f"Erased person #{twin.pk}" and twin.headline == ""
    assert twin.merged_into_id == tenant_a.person.pk  # the merge itself stays on record
    assert not Identity.objects.filter(person_id__in=[twin.pk, tenant_a.person.pk]).exists()
    assert "ana m. lima" not in _audit_text()


def test_erasing_twice_is_harmless(rich, admin_user):
    erase_person(admin_user, rich, reason=REASON)
    again = erase_person(admin_user, rich, reason="follow-up request")
    assert again["identities_deleted"] == 0 and Person.objects.get(pk=rich.pk).full_name.startswith("Erased")


def test_privacy_command(rich, admin_user, tmp_path):
    from django.core.management import CommandError, call_command

    out = tmp_path / "ana.json"
    call_command("privacy", "export", str(rich.pk), "--out", str(out), stderr=StringIO())
    assert json.loads(out.read_text())["person"]["full_name"] == "Ana Lima"
    with pytest.raises(CommandError, match="--yes"):
        call_command("privacy", "erase", str(rich.pk), "--reason", REASON)
    with pytest.raises(CommandError, match="not found"):
        call_command("privacy", "erase", "999999", "--reason", REASON, "--yes")
    printed = StringIO()
    call_command(
        "privacy", "erase", str(rich.pk), "--reason", REASON, "--yes", stdout=printed, stderr=StringIO()
    )
    assert json.loads(printed.getvalue())["erased"] is True
    entry = AuditLog.objects.filter(
        object_type="people.person", object_id=str(rich.pk), action="delete"
    ).get()
    assert entry.actor == admin_user and entry.via == "cli"
