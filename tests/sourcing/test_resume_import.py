"""Resume importer: formats, hidden text, provenance, idempotency and every kind of bad input."""

from __future__ import annotations

import json

import pytest
from tests.sourcing.fixtures import (
    docx_bytes,
    image_only_pdf,
    json_resume,
    pdf_bytes,
    resume_text,
    zip_bomb_docx,
)

from cadre.core.models import AuditLog
from cadre.people.models import Attachment, Fact, Identity, Person, SkillEvidence, SourceRecord
from cadre.sourcing.importers.resume import ResumeImporter
from cadre.sourcing.models import ImportRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def run(*paths, actor=None):
    return ResumeImporter(actor=actor).run(paths)


def test_txt_resume_creates_person_with_identities_facts_and_skills(media, recruiter):
    report = run(write(media, "grace.txt", resume_text()), actor=recruiter)
    assert report.as_dict() | {"run_id": None, "resolution": None} == {
        "created": 1,
        "updated": 0,
        "skipped": 0,
        "errors": [],
        "run_id": None,
        "resolution": None,
    }
    person = Person.objects.get(full_name="Grace Hopper")
    assert person.headline == "Senior ML Engineer"
    kinds = dict(person.identities.values_list("kind", "value"))
    assert kinds["email"] == "grace.hopper@example.org"
    assert kinds["github"] == "ghopper"
    assert kinds["linkedin"] == "/in/grace-hopper"
    jobs = {f.title: f for f in person.facts.filter(kind=Fact.Kind.EMPLOYMENT)}
    assert jobs["ML Engineer"].organisation == "Acme Robotics"
    assert jobs["ML Engineer"].end_date is None
    assert jobs["Data Scientist"].organisation == "Initech"
    assert jobs["Data Scientist"].start_date.year == 2015
    assert person.facts.filter(kind=Fact.Kind.EDUCATION, organisation="Stanford University").exists()
    assert person.facts.filter(kind=Fact.Kind.PUBLICATION).count() == 1
    slugs = set(person.skill_evidence.values_list("skill__slug", flat=True))
    assert {"python", "pytorch", "kubernetes", "docker", "scikit-learn"} <= slugs
    # Skills used in a dated job carry that job's end date as observed_on.
    sk = person.skill_evidence.get(skill__slug="scikit-learn")
    assert sk.kind == SkillEvidence.Kind.EMPLOYMENT and sk.observed_on.year == 2019


def test_provenance_every_fact_points_at_the_source_record_and_file_is_kept(media):
    run(write(media, "grace.txt", resume_text()))
    record = SourceRecord.objects.get(source=SourceRecord.Source.RESUME)
    person = record.person
    assert person.facts.exclude(source_record=record).count() == 0
    assert person.skill_evidence.exclude(source_record=record).count() == 0
    assert set(person.identities.values_list("source_record_id", flat=True)) == {record.pk}
    assert record.attachment is not None
    assert record.attachment.sha256 == record.content_sha256
    assert record.payload["employment"][0]["organisation"] == "Acme Robotics"
    assert AuditLog.objects.filter(object_type="people.person", object_id=str(person.pk)).exists()


def test_reimport_is_idempotent(media):
    paths = [write(media, "grace.txt", resume_text()), write(media, "ada.json", json.dumps(json_resume()))]
    first = run(*paths)
    counts = (
        Person.objects.count(),
        Fact.objects.count(),
        SkillEvidence.objects.count(),
        SourceRecord.objects.count(),
        Attachment.objects.count(),
        Identity.objects.count(),
    )
    second = run(*paths)
    assert first.created == 2
    assert (second.created, second.updated, second.skipped, second.errors) == (0, 0, 2, [])
    assert counts == (
        Person.objects.count(),
        Fact.objects.count(),
        SkillEvidence.objects.count(),
        SourceRecord.objects.count(),
        Attachment.objects.count(),
        Identity.objects.count(),
    )
    assert ImportRun.objects.count() == 2
    assert ImportRun.objects.first().skipped == 2


def test_same_email_in_two_resumes_joins_one_person(media):
    run(write(media, "a.txt", resume_text()))
    report = run(write(media, "b.json", json.dumps(json_resume(email="GRACE.HOPPER@example.org"))))
    assert (report.created, report.updated) == (0, 1)
    assert Person.objects.count() == 1
    assert SourceRecord.objects.filter(person__full_name="Grace Hopper").count() == 2


def test_json_resume(media):
    report = run(write(media, "ada.json", json.dumps(json_resume())))
    assert report.created == 1
    ada = Person.objects.get(full_name="Ada Lovelace")
    assert ada.location == "London, GB"
    assert ada.identities.filter(kind="github", value="adal").exists()
    job = ada.facts.get(kind=Fact.Kind.EMPLOYMENT)
    assert (job.title, job.organisation, job.end_date.isoformat()) == (
        "ML Engineer",
        "Analytical Engines Ltd",
        "2023-06-30",
    )
    assert {"vllm", "pytorch", "jax"} <= set(ada.skill_evidence.values_list("skill__slug", flat=True))


@pytest.mark.parametrize(
    ("hidden", "reason"),
    [
        ({"white": "TensorFlow JAX Rust"}, "white text"),
        ({"tiny": "TensorFlow JAX Rust"}, "tiny font"),
        ({"off_page": "TensorFlow JAX Rust"}, "outside the page"),
        ({"invisible": "TensorFlow JAX Rust"}, "invisible render mode"),
    ],
)
def test_pdf_hidden_text_is_flagged_and_kept_out_of_skills(media, hidden, reason):
    report = run(write(media, "grace.pdf", pdf_bytes(**hidden)))
    assert report.created == 1, report.errors
    record = SourceRecord.objects.get()
    assert record.payload["flags"] == ["hidden_text"]
    assert record.payload["hidden_text"][0]["reason"] == reason
    assert "TensorFlow" in record.payload["hidden_text"][0]["text"]
    assert set(record.payload["hidden_skills"]) >= {"TensorFlow", "JAX"}
    slugs = set(SkillEvidence.objects.values_list("skill__slug", flat=True))
    assert "pytorch" in slugs  # visible text still counts
    assert not slugs & {"tensorflow", "jax", "rust"}


@pytest.mark.parametrize(
    ("hidden", "reason"),
    [
        ({"vanish": "TensorFlow JAX"}, "hidden run"),
        ({"white": "TensorFlow JAX"}, "white text"),
        ({"tiny": "TensorFlow JAX"}, "tiny font"),
    ],
)
def test_docx_hidden_runs_are_flagged_and_kept_out_of_skills(media, hidden, reason):
    report = run(write(media, "grace.docx", docx_bytes(**hidden)))
    assert report.created == 1, report.errors
    record = SourceRecord.objects.get()
    assert record.payload["hidden_text"][0]["reason"] == reason
    slugs = set(SkillEvidence.objects.values_list("skill__slug", flat=True))
    assert "pytorch" in slugs and not slugs & {"tensorflow", "jax"}


def test_clean_resume_has_no_hidden_text_flag(media):
    run(write(media, "grace.pdf", pdf_bytes()))
    assert "hidden_text" not in SourceRecord.objects.get().payload


def test_bad_inputs_are_per_item_errors_and_the_batch_goes_on(media, settings):
    import cadre.sourcing.importers.base as base

    big = media / "big.pdf"
    with big.open("wb") as f:  # a sparse 50 MB file: refused by size before it is read
        f.seek(50 * 1024 * 1024 - 1)
        f.write(b"\0")
    paths = [
        write(media, "corrupt.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage"),
        write(media, "locked.pdf", pdf_bytes(encrypt="s3cret")),
        write(media, "bomb.docx", zip_bomb_docx()),
        write(media, "notazip.docx", b"PK\x03\x04 this is not really a zip"),
        write(media, "empty.txt", b""),
        big,
        write(media, "binary.txt", b"\x00\x01\x02\xff\xfe\x00" * 100),
        write(media, "malformed.json", '{"basics": {"name": "X",'),
        write(media, "notresume.json", '{"name": "X"}'),
        write(media, "scan.pdf", image_only_pdf()),
        write(media, "blank.txt", "   \n\n  "),
        write(media, "noname.txt", "just some words about python\nno name here 123"),
        write(media, "ok.txt", resume_text()),
    ]
    report = run(*paths)
    errors = {e["item"]: e["error"] for e in report.errors}
    assert report.created == 1
    assert "not a readable PDF" in errors["corrupt.pdf"]
    assert "encrypted" in errors["locked.pdf"]
    assert "zip bomb" in errors["bomb.docx"]
    assert "not a valid zip" in errors["notazip.docx"]
    assert "empty" in errors["empty.txt"]
    assert "limit is 10 MB" in errors["big.pdf"]
    assert "binary" in errors["binary.txt"] or "encoding" in errors["binary.txt"]
    assert "malformed JSON at line 1" in errors["malformed.json"]
    assert "basics" in errors["notresume.json"]
    assert "no readable text" in errors["scan.pdf"]
    assert "no readable text" in errors["blank.txt"]
    assert "no candidate name" in errors["noname.txt"]
    assert len(errors) == 12
    assert Person.objects.count() == 1  # nothing invented for the bad files
    assert base.MAX_FILE_BYTES == 10 * 1024 * 1024


def test_legacy_encoding_is_decoded(media):
    text = resume_text().replace("Grace Hopper", "Grâce Höpper")
    report = run(write(media, "latin1.txt", text.encode("cp1252")))
    assert report.created == 1, report.errors
    assert Person.objects.get().full_name == "Grâce Höpper"


def test_failing_item_leaves_nothing_half_written(media, monkeypatch):
    from cadre.sourcing import services

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "add_skill_evidence", boom)
    report = run(write(media, "grace.txt", resume_text()))
    assert report.errors == [{"item": "grace.txt", "error": "unexpected RuntimeError: disk full"}]
    assert Person.objects.count() == 0
    assert Identity.objects.count() == Fact.objects.count() == SourceRecord.objects.count() == 0
    assert Attachment.objects.count() == 0
    # ...and the same file imports fine afterwards (its hash was not remembered).
    monkeypatch.undo()
    assert run(write(media, "grace.txt", resume_text())).created == 1


def test_viewer_may_not_import(media, make_user):
    from cadre.core.exceptions import Forbidden

    viewer = make_user("vera", "hiring_manager")
    with pytest.raises(Forbidden):
        run(write(media, "grace.txt", resume_text()), actor=viewer)


def test_person_page_shows_the_hidden_text_flag(media, client, recruiter):
    from tests.conftest import PASSWORD

    run(write(media, "grace.pdf", pdf_bytes(white="TensorFlow JAX")))
    person = Person.objects.get()
    client.login(username=recruiter.username, password=PASSWORD)
    html = client.get(f"/people/{person.pk}/").content.decode()
    assert "Hidden text" in html and "white text" in html and "TensorFlow" in html
