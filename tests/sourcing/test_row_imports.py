"""ATS CSV, credential and academic roster importers."""

from __future__ import annotations

import pytest
from tests.sourcing.fixtures import resume_text

from cadre.people.models import Fact, Identity, Person, SkillEvidence, SourceRecord
from cadre.sourcing import selectors
from cadre.sourcing.importers.academic import AcademicImporter
from cadre.sourcing.importers.ats_csv import AtsCsvImporter
from cadre.sourcing.importers.credentials import CredentialImporter, identify_credential
from cadre.sourcing.importers.resume import ResumeImporter
from cadre.sourcing.models import Program

pytestmark = pytest.mark.django_db

GENERIC = """id,first_name,last_name,email,phone,title,company,skills
c1,Grace,Hopper,grace.hopper@example.org,+1 415 555 0134,ML Engineer,Acme,Python; PyTorch; Kubernetes
c2,Alan,Turing,alan@example.org,,Research Scientist,Bletchley,JAX
"""
BULLHORN = """ID,First Name,Last Name,Email,Mobile Phone,Occupation,Current Company,City,Skills
901,Katherine,Johnson,kj@example.org,555-010-2000,Data Scientist,NASA,Hampton,"SQL, Python"
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_generic_csv(tmp_path):
    report = AtsCsvImporter().run([write(tmp_path, "export.csv", GENERIC)])
    assert (report.created, report.errors) == (2, [])
    grace = Person.objects.get(full_name="Grace Hopper")
    assert grace.headline == "ML Engineer"
    assert grace.facts.get(kind=Fact.Kind.EMPLOYMENT).organisation == "Acme"
    assert {"python", "pytorch", "kubernetes"} <= set(
        grace.skill_evidence.values_list("skill__slug", flat=True)
    )
    assert set(grace.skill_evidence.values_list("kind", flat=True)) == {SkillEvidence.Kind.SELF_REPORTED}
    record = grace.source_records.get()
    assert record.external_id == "generic:c1"
    assert record.payload["row"]["email"] == "grace.hopper@example.org"


def test_bullhorn_mapping(tmp_path):
    report = AtsCsvImporter(mapping="bullhorn").run([write(tmp_path, "bh.csv", BULLHORN)])
    assert report.created == 1, report.errors
    kj = Person.objects.get(full_name="Katherine Johnson")
    assert (kj.headline, kj.location) == ("Data Scientist", "Hampton")
    assert kj.identities.filter(kind="phone").exists()
    assert kj.source_records.get().external_id == "bullhorn:901"


def test_csv_missing_columns_is_a_clear_error(tmp_path):
    report = AtsCsvImporter().run([write(tmp_path, "bad.csv", "email,phone\na@example.org,1\n")])
    assert report.created == 0
    assert report.errors[0]["item"] == "bad.csv"
    assert "missing required column(s)" in report.errors[0]["error"]
    assert "full_name or first_name+last_name" in report.errors[0]["error"]


def test_csv_reimport_is_idempotent_and_changed_rows_update(tmp_path):
    path = write(tmp_path, "export.csv", GENERIC)
    AtsCsvImporter().run([path])
    again = AtsCsvImporter().run([path])
    assert (again.created, again.updated, again.skipped) == (0, 0, 2)
    write(tmp_path, "export.csv", GENERIC.replace("Research Scientist", "Principal Scientist"))
    changed = AtsCsvImporter().run([path])
    assert (changed.created, changed.updated, changed.skipped) == (0, 1, 1)
    assert Person.objects.count() == 2


def test_same_email_in_resume_and_csv_is_one_person(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    ResumeImporter().run([write(tmp_path, "grace.txt", resume_text())])
    report = AtsCsvImporter().run([write(tmp_path, "export.csv", GENERIC)])
    assert (report.created, report.updated) == (1, 1)
    grace = Person.objects.get(full_name="Grace Hopper")
    assert set(grace.source_records.values_list("source", flat=True)) == {"resume", "ats_csv"}
    assert Person.objects.count() == 2


def test_bad_row_fails_alone(tmp_path):
    text = GENERIC + ",,,,,,,\n"  # a row with no name
    report = AtsCsvImporter().run([write(tmp_path, "export.csv", text)])
    assert report.created == 2
    assert report.errors == [{"item": "export.csv row 3", "error": "the row has no name"}]


def test_conflicting_identities_join_by_email_and_record_the_conflict(tmp_path):
    AtsCsvImporter().run([write(tmp_path, "a.csv", "name,email\nGrace Hopper,g@example.org\n")])
    AtsCsvImporter().run([write(tmp_path, "b.csv", "name,github\nG. Hopper,ghopper\n")])
    report = AtsCsvImporter().run(
        [write(tmp_path, "c.csv", "name,email,github\nGrace Hopper,g@example.org,ghopper\n")]
    )
    assert report.updated == 1
    record = SourceRecord.objects.get(payload__row__github="ghopper", payload__row__email="g@example.org")
    assert record.person.full_name == "Grace Hopper"
    assert record.payload["identity_conflicts"][0]["kind"] == "github"
    assert Identity.objects.get(kind="github").person.full_name == "G. Hopper"  # never moved silently


CREDENTIALS = (  # long lines: real export rows
    """name,email,issuer,credential,credential_id,issued_on,expires_on
Grace Hopper,grace.hopper@example.org,Amazon Web Services,AWS Certified Machine Learning – Specialty,AWS-123,2023-02-01,2026-02-01
Grace Hopper,grace.hopper@example.org,IEEE,Senior Member,98765,2019-01-01,
Alan Turing,alan@example.org,Google Cloud,Professional Machine Learning Engineer,G-1,2024-05-05,2026-05-05
Bad Date,bad@example.org,NVIDIA,NCA-GENL,N-1,last spring,
"""  # noqa: E501
)


def test_credentials(tmp_path):
    report = CredentialImporter().run([write(tmp_path, "creds.csv", CREDENTIALS)])
    assert (report.created, report.updated) == (2, 1)
    assert report.errors == [
        {"item": "creds.csv row 4", "error": "cannot read the issue date 'last spring' (use YYYY-MM-DD)"}
    ]
    grace = Person.objects.get(full_name="Grace Hopper")
    titles = set(grace.facts.filter(kind=Fact.Kind.CREDENTIAL).values_list("title", flat=True))
    assert titles == {"AWS Certified Machine Learning - Specialty", "IEEE Senior Member"}
    aws = grace.facts.get(title__startswith="AWS")
    assert (aws.data["credential_id"], aws.start_date.isoformat(), aws.end_date.isoformat()) == (
        "AWS-123",
        "2023-02-01",
        "2026-02-01",
    )
    ev = grace.skill_evidence.filter(kind=SkillEvidence.Kind.CREDENTIAL)
    assert {"aws", "sagemaker"} <= set(ev.values_list("skill__slug", flat=True))
    assert all(e.source_record_id == aws.source_record_id for e in ev)
    assert not Person.objects.filter(full_name="Bad Date").exists()


def test_identify_credential_prefers_the_longest_alias():
    assert identify_credential("IEEE", "Senior Member")["key"] == "ieee-senior-member"
    assert identify_credential("IEEE", "Member")["key"] == "ieee-member"
    assert (
        identify_credential("Microsoft", "Azure AI Engineer Associate (AI-102)")["key"] == "azure-ai-engineer"
    )
    assert identify_credential("Someone", "Underwater basket weaving") is None


ROSTER = """name,email,university,program,degree,expected_graduation,advisor,thesis_topic,accreditation
Mae Jemison,mae@stanford.example,Stanford University,Electrical Engineering,MS,2026-06,Prof. A,Edge inference,ABET EAC
Ruth Ng,ruth@cmu.example,Carnegie Mellon University,Machine Learning,PhD,2027,Prof. B,Causal RL,
"""  # noqa: E501


def test_academic_roster_programs_and_selector(tmp_path, recruiter):
    report = AcademicImporter().run([write(tmp_path, "roster.csv", ROSTER)])
    assert (report.created, report.errors) == (2, [])
    ee = Program.objects.get(name="Electrical Engineering")
    assert ee.accreditations == ["ABET EAC"] and ee.is_accredited
    mae = Person.objects.get(full_name="Mae Jemison")
    edu = mae.facts.get(kind=Fact.Kind.EDUCATION)
    assert (edu.title, edu.organisation, edu.end_date.isoformat()) == (
        "MS Electrical Engineering",
        "Stanford University",
        "2026-06-01",
    )
    assert edu.data["advisor"] == "Prof. A" and edu.data["thesis_topic"] == "Edge inference"
    accredited = selectors.people_from_programs(recruiter, accredited_only=True)
    assert [p.full_name for p in accredited] == ["Mae Jemison"]
    named = selectors.people_from_programs(recruiter, program="Machine Learning")
    assert [p.full_name for p in named] == ["Ruth Ng"]
    assert [p.full_name for p in selectors.people_from_programs(recruiter, accreditor="abet")] == [
        "Mae Jemison"
    ]
    # Accreditations are the user's data: a later roster does not overwrite them.
    ee.accreditations = ["ABET EAC", "ABET CAC"]
    ee.save()
    AcademicImporter().run([write(tmp_path, "r2.csv", ROSTER.replace("Mae Jemison", "Mae C. Jemison"))])
    ee.refresh_from_db()
    assert ee.accreditations == ["ABET EAC", "ABET CAC"]


def test_malformed_json_roster(tmp_path):
    report = AcademicImporter().run([write(tmp_path, "roster.json", '[{"name": "x",')])
    assert "malformed JSON" in report.errors[0]["error"]
    ok = AcademicImporter().run(
        [write(tmp_path, "ok.json", '[{"name": "Ruth Ng", "university": "CMU", "program": "ML"}]')]
    )
    assert ok.created == 1


def test_import_hands_new_people_to_identity_resolution(tmp_path):
    first = AtsCsvImporter().run([write(tmp_path, "a.csv", GENERIC)])
    assert first.resolution is not None and first.as_dict()["resolution"] == first.resolution
    # Alan again under a new e-mail: exact joining cannot link him, so resolution scores him
    # against the existing Alan Turing (same name, title and company).
    renamed = GENERIC.replace("alan@example.org", "aturing@example.net")
    second = AtsCsvImporter().run([write(tmp_path, "b.csv", renamed)])
    assert (second.created, second.skipped) == (1, 1)
    assert second.resolution is not None
    assert second.resolution["merged"] + second.resolution["review"] == 1
    skipped = AtsCsvImporter().run(
        [write(tmp_path, "c.csv", renamed.replace("aturing", "a.turing"))], resolve=False
    )
    assert skipped.created == 1 and skipped.resolution is None


def test_a_shared_phone_number_does_not_join_two_people(tmp_path):
    AtsCsvImporter().run([write(tmp_path, "a.csv", GENERIC)], resolve=False)
    stranger = (
        "id,first_name,last_name,email,phone,title,company,skills\n"
        "c9,Lars,Hansen,lars@example.org,+1 415 555 0134,Data Engineer,Initech,SQL\n"
    )
    report = AtsCsvImporter().run([write(tmp_path, "b.csv", stranger)], resolve=False)
    assert report.created == 1
    lars = Person.objects.get(full_name="Lars Hansen")
    grace = Person.objects.get(full_name="Grace Hopper")
    assert not lars.identities.filter(kind="phone").exists()  # the number stays with its first owner
    assert grace.identities.filter(kind="phone", value="+14155550134").exists()
    assert lars.source_records.get().payload["identity_conflicts"] == [
        {"kind": "phone", "value": "+14155550134", "person_id": grace.pk}
    ]
