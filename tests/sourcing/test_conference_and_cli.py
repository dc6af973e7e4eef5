"""Conference importer (three layouts, OpenReview joining, bulk and per-item paths) and the CLI."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from tests.sourcing.fixtures import resume_text

from cadre.people.models import Fact, Identity, Person, SourceRecord
from cadre.sourcing.importers.base import ImportReport
from cadre.sourcing.importers.conference import ConferenceImporter, authors_of

pytestmark = pytest.mark.django_db

ICML = [
    {
        "id": "p1",
        "title": "Paper One",
        "status": "Poster",
        "author": "Jane Doe;Ali Khan",
        "authorids": "~Jane_Doe1;~Ali_Khan2",
        "aff": "MIT;Apple",
        "position": "PhD student;Research scientist",
    },
    {"id": "p2", "title": "Paper Two", "author": "Jane Doe;Bo Li", "authorids": "~Jane_Doe1;", "aff": "MIT"},
]
CVPR = [{"title": "Vision", "author": "A B, C D, E F", "aff": "ISTA; Scuola Superiore"}]
NEURIPS = [
    {"id": "n1", "title": "Scaling", "author": "Xu Yang, Ying Wei"},
    {"id": "n2", "title": "", "author": "X"},
]


def write(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(json.dumps(rows))
    return path


def test_authors_layouts():
    icml = authors_of(ICML[0])
    assert [(a["name"], a["affiliation"], a["openreview"]) for a in icml] == [
        ("Jane Doe", "MIT", "~Jane_Doe1"),
        ("Ali Khan", "Apple", "~Ali_Khan2"),
    ]
    cvpr = authors_of(CVPR[0])  # 3 authors, 2 affiliations: not aligned
    assert [a["name"] for a in cvpr] == ["A B", "C D", "E F"] and not any(a["affiliation"] for a in cvpr)


@pytest.mark.parametrize("bulk", [True, False])
def test_icml_joins_on_openreview_id(tmp_path, monkeypatch, bulk):
    if not bulk:  # force the per-item path the bulk path falls back to
        monkeypatch.setattr(ConferenceImporter, "_bulk", lambda self, checked: 1 / 0)
    report = ConferenceImporter(venue="ICML", year=2024).run([write(tmp_path, "icml.json", ICML)])
    assert (report.created, report.updated, report.errors) == (3, 1, [])
    jane = Identity.objects.get(kind="openreview", value="~Jane_Doe1").person
    pubs = jane.facts.filter(kind=Fact.Kind.PUBLICATION)
    assert set(pubs.values_list("title", flat=True)) == {"Paper One", "Paper Two"}
    assert pubs.get(title="Paper One").organisation == "MIT"
    assert pubs.get(title="Paper One").data["coauthors"] == ["Ali Khan"]
    assert all(f.source_record.person_id == jane.pk for f in pubs)
    assert Person.objects.get(full_name="Ali Khan").headline == "Research scientist, Apple"
    again = ConferenceImporter(venue="ICML", year=2024).run([write(tmp_path, "icml.json", ICML)])
    assert (again.created, again.updated, again.skipped) == (0, 0, 4)


def test_cvpr_and_neurips_layouts_and_bad_paper(tmp_path):
    report = ConferenceImporter(venue="CVPR", year=2024).run([write(tmp_path, "cvpr.json", CVPR)])
    assert report.created == 3
    fact = Fact.objects.filter(data__venue="CVPR").first()
    assert fact.data["paper_affiliations"] == ["ISTA", "Scuola Superiore"]
    report = ConferenceImporter(venue="NeurIPS", year=2024).run([write(tmp_path, "n.json", NEURIPS)])
    assert report.created == 2
    assert report.errors == [{"item": "n.json paper n2", "error": "the paper has no title"}]
    assert SourceRecord.objects.filter(external_id="NeurIPS-2024:n1:1").exists()


def test_cli_json_shape(tmp_path, capsys, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    good = tmp_path / "grace.txt"
    good.write_text(resume_text())
    (tmp_path / "empty.txt").write_bytes(b"")
    call_command("import", "resume", str(good), str(tmp_path / "empty.txt"), "--json")
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"created", "updated", "skipped", "errors", "run_id", "resolution"}
    assert out["resolution"]["people"] == 1
    assert (out["created"], out["updated"], out["skipped"]) == (1, 0, 0)
    assert out["errors"] == [{"item": "empty.txt", "error": "the file is empty (0 bytes)"}]
    call_command(
        "import",
        "conference",
        str(write(tmp_path, "icml.json", ICML)),
        "--venue",
        "ICML",
        "--year",
        "2024",
        "--json",
    )
    conference = json.loads(capsys.readouterr().out)
    assert conference["created"] == 3
    assert conference["resolution"] is None  # author lists are resolved by `cadre dedup run`
    csv_path = tmp_path / "x.csv"
    csv_path.write_text("First Name,Last Name,Email\nKay,Lee,kay@example.org\n")
    call_command("import", "csv", str(csv_path), "--mapping", "bullhorn", "--json")
    assert json.loads(capsys.readouterr().out)["created"] == 1


def test_report_dict():
    assert ImportReport().as_dict() == {
        "created": 0,
        "updated": 0,
        "skipped": 0,
        "errors": [],
        "run_id": None,
        "resolution": None,
    }
