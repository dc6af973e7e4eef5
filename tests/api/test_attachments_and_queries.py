import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.people.models import Attachment
from cadre.people.services import create_person
from cadre.pipeline.services import create_application


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_upload_attachment_is_content_addressed(api, tenant_a):
    url = f"/api/people/{tenant_a.person.pk}/attachments"
    content = b"%PDF-1.4 resume of Ana Lima"
    upload = SimpleUploadedFile("../../etc/Ana Lima CV.pdf", content, content_type="application/pdf")
    response = api.http.post(url, {"file": upload}, headers=api.headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest() and body["size"] == len(content)
    assert body["original_name"] == "Ana Lima CV.pdf"
    again = api.http.post(url, {"file": SimpleUploadedFile("copy.pdf", content)}, headers=api.headers)
    assert again.json()["id"] == body["id"]
    stored = Attachment.objects.get()
    assert stored.file.read() == content
    assert [a["id"] for a in api.get(url).json()] == [body["id"]]


def test_empty_upload_is_rejected(api, tenant_a):
    url = f"/api/people/{tenant_a.person.pk}/attachments"
    response = api.http.post(url, {"file": SimpleUploadedFile("empty.pdf", b"")}, headers=api.headers)
    assert response.status_code == 422
    assert Attachment.objects.count() == 0


def _queries(api, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url, **params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/api/people", "/api/requisitions", "/api/applications", "/api/clients"])
def test_list_endpoints_run_a_fixed_number_of_queries(api, tenant_a, recruiter, url):
    """NetBox-style guard against N+1: 3 rows or 30 rows, the same query count."""
    api.get(url)  # the first call also records the token's last use
    small = _queries(api, url)
    for i in range(27):
        person = create_person(
            recruiter, full_name=f"Person {i}", identities=[("email", f"p{i}@example.org")]
        )
        create_application(recruiter, person=person, requisition=tenant_a.requisition)
    assert _queries(api, url, page_size=50) == small
