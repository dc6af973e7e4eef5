"""POST /api/imports/resume and /api/imports/csv: multipart upload, the import report back."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.sourcing.fixtures import pdf_bytes, resume_text

from cadre.core.roles import Role
from cadre.core.services import create_api_token
from cadre.people.models import Person

pytestmark = pytest.mark.django_db


def post(user, url, files):
    headers = {"Authorization": f"Bearer {create_api_token(user)}"}
    return Client().post(url, {"files": files}, headers=headers)


def test_upload_resumes_returns_the_report(recruiter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = pdf_bytes(white="JAX")  # reportlab stamps each build, so keep one copy of the bytes
    files = [
        SimpleUploadedFile("grace.pdf", pdf, content_type="application/pdf"),
        SimpleUploadedFile("empty.txt", b"", content_type="text/plain"),
    ]
    response = post(recruiter, "/api/imports/resume", files)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["skipped"]) == (1, 0, 0)
    assert body["errors"] == [{"item": "empty.txt", "error": "the file is empty (0 bytes)"}]
    assert Person.objects.get().full_name == "Grace Hopper"
    again = post(recruiter, "/api/imports/resume", [SimpleUploadedFile("g.pdf", pdf)])
    assert again.json()["skipped"] == 1


def test_upload_csv_with_mapping(recruiter):
    csv = SimpleUploadedFile("bh.csv", b"First Name,Last Name,Email\nKay,Lee,kay@example.org\n")
    response = post(recruiter, "/api/imports/csv?mapping=bullhorn", [csv])
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1


def test_hiring_manager_may_not_import(make_user):
    hm = make_user("hank", Role.HIRING_MANAGER)
    response = post(hm, "/api/imports/resume", [SimpleUploadedFile("g.txt", resume_text().encode())])
    assert response.status_code == 403
    assert Person.objects.count() == 0
