"""The web Import page: editors upload files and see the report; others get 403; CSRF is enforced."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.sourcing.fixtures import resume_text
from tests.web.helpers import PASSWORD, login

from cadre.people.models import Attachment, Person
from cadre.sourcing.models import ImportRun

pytestmark = pytest.mark.django_db


def test_editor_uploads_a_txt_resume_and_sees_the_report(recruiter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(recruiter)
    page = client.get("/import/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'href="/import/"' in page  # nav link
    files = [
        SimpleUploadedFile("grace.txt", resume_text().encode(), content_type="text/plain"),
        SimpleUploadedFile("empty.txt", b"", content_type="text/plain"),
    ]
    response = client.post("/import/", {"source": "resume", "files": files})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="import-report"' in body
    assert "empty.txt" in body and "the file is empty (0 bytes)" in body
    assert "Identity resolution: 1 new person compared" in body
    person = Person.objects.get()
    assert person.full_name == "Grace Hopper"
    assert Attachment.objects.get().person == person  # the importer keeps the resume
    run = ImportRun.objects.get()
    assert (run.via, run.actor, run.created, len(run.errors)) == ("web", recruiter, 1, 1)
    assert "grace.txt" in client.get("/import/").content.decode()  # recent runs


def test_csv_with_mapping_and_github_bundle(recruiter):
    client = login(recruiter)
    csv = SimpleUploadedFile("bh.csv", b"First Name,Last Name,Email\nKay,Lee,kay@example.org\n")
    response = client.post("/import/", {"source": "csv", "mapping": "bullhorn", "files": [csv]})
    assert response.status_code == 200 and Person.objects.filter(full_name="Kay Lee").exists()
    bundle = {"user": {"login": "kaylee", "name": "Kay Lee", "email": "kay@example.org"}, "repos": []}
    upload = SimpleUploadedFile("kay.json", json.dumps(bundle).encode(), content_type="application/json")
    response = client.post("/import/", {"source": "github", "files": [upload]})
    assert response.status_code == 200
    assert Person.objects.filter(full_name="Kay Lee").count() == 1  # joined on the e-mail
    assert Person.objects.get(full_name="Kay Lee").identities.filter(kind="github").exists()


def test_no_file_and_oversize_file_are_form_errors(recruiter, settings):
    client = login(recruiter)
    response = client.post("/import/", {"source": "resume"})
    assert response.status_code == 422 and "attach at least one file" in response.content.decode()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # spill to a temporary file, as a big upload would
    big = SimpleUploadedFile("big.txt", b"x" * (10 * 1024 * 1024 + 1))
    response = client.post("/import/", {"source": "resume", "files": [big]})
    assert response.status_code == 422 and "big.txt is larger than 10 MB" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_hiring_manager_gets_403(tenant_a):
    client = login(tenant_a.hiring_manager)
    assert client.get("/import/").status_code == 403
    upload = SimpleUploadedFile("grace.txt", resume_text().encode())
    assert client.post("/import/", {"source": "resume", "files": [upload]}).status_code == 403
    assert 'href="/import/"' not in client.get("/people/").content.decode()
    assert not ImportRun.objects.exists()


def test_anonymous_is_sent_to_login():
    response = Client().get("/import/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_csrf_is_enforced(recruiter):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=recruiter.username, password=PASSWORD)
    upload = SimpleUploadedFile("grace.txt", resume_text().encode())
    response = client.post("/import/", {"source": "resume", "files": [upload]})
    assert response.status_code == 403
    assert not Person.objects.exists()
