"""The candidate portal over HTTP: a signed link and no account; what is assessed and how it is scored;
answers, uploads (size-checked before the body is read), submission and receipt; 403/410 pages; CSRF;
nothing hidden on any page."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client, override_settings
from django.test.client import encode_multipart
from django.utils import timezone
from tests.screening.screening_helpers import (
    CHURN,
    PRECISION,
    PRECISION_SOLUTION,
    assert_no_leak,
    item_of,
    key_of,
    make_assessment,
    predictions,
    token_of,
)

from cadre.screening import portal, services
from cadre.screening.models import Sitting, Submission

pytestmark = pytest.mark.django_db

MC = "eval-accuracy-on-imbalanced-data"
SHORT = "mlops-ci-cd-for-models"


@pytest.fixture
def taking(recruiter, tenant_a):
    """A published assessment with one of each kind, and the candidate's link."""
    assessment = make_assessment(recruiter, tenant_a.requisition, [MC, SHORT, CHURN, PRECISION])
    sitting, path = services.invite(recruiter, tenant_a.application, assessment)
    return assessment, sitting, path


def _upload(client: Client, path: str, item_id: int, name: str, data: bytes):
    return client.post(f"{path}items/{item_id}/upload/", {"file": _file(name, data)})


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_overview_says_what_is_assessed_and_how(client, taking):
    _assessment, sitting, path = taking
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "What is assessed and how it is scored",
        "Model evaluation methodology",  # competencies with their weights
        "Below bar",  # the rubric scale
        "ROC AUC",  # the ML task's metric
        "5 s CPU",  # the coding task's limits
        "no network",
    ):
        assert text in html, text
    assert "Start" in html and 'name="item-' not in html  # questions appear once started
    assert_no_leak(html)
    assert Sitting.objects.get(pk=sitting.pk).status == Sitting.Status.INVITED


def test_taking_an_assessment_end_to_end(client, taking, tenant_a):
    assessment, sitting, path = taking
    mc, short, churn, code = (item_of(assessment, s) for s in (MC, SHORT, CHURN, PRECISION))
    assert client.post(f"{path}start/").status_code == 302
    page = client.get(path).content.decode()
    assert f'name="item-{mc.pk}"' in page and f"items/{churn.pk}/upload/" in page
    assert "customer_id,churn_probability" in page  # the upload format
    assert_no_leak(page)
    # The public files: training data without the hidden labels, and the starter code.
    archive = client.get(f"{path}items/{churn.pk}/file/")
    assert archive.status_code == 200 and archive["Content-Disposition"].endswith('"churn_task.zip"')
    with zipfile.ZipFile(io.BytesIO(archive.content)) as z:
        assert "churned" not in z.read("test.csv").decode().splitlines()[0]
    assert b"def precision_at_k" in client.get(f"{path}items/{code.pk}/file/").content

    saved = client.post(
        f"{path}answers/",
        {f"item-{mc.pk}": key_of(mc.question), f"item-{short.pk}": "Gates on a fixed benchmark."},
    )
    assert saved.status_code == 302
    bad = _upload(client, path, churn.pk, "p.csv", b"customer_id,churn_probability,extra\nC1,0.5,1\n")
    assert bad.status_code == 302
    page = client.get(path).content.decode()
    assert "unexpected columns" in page and "upload again" in page  # the problems, shown to fix
    _upload(client, path, churn.pk, "predictions.csv", predictions(churn.question))
    _upload(client, path, code.pk, "solution.py", PRECISION_SOLUTION.encode())
    done = client.post(f"{path}answers/", {"action": "submit"}, follow=True)
    assert done.status_code == 200
    receipt = done.content.decode()
    assert "Submission receipt" in receipt and "predictions.csv" in receipt
    latest = Submission.objects.filter(item=churn).order_by("-attempt").first()
    assert latest.upload_sha256 in receipt
    sitting.refresh_from_db()
    assert sitting.status == Sitting.Status.SUBMITTED  # the short answer waits for a person
    graded = Submission.objects.get(item=code, attempt=1)
    assert graded.status == Submission.Status.GRADED or "sandbox" in " ".join(graded.errors)
    for shown in ("roc_auc", "points", "tests_passed", "1.000000", "Pass"):  # no score of any kind
        assert shown not in receipt
    assert_no_leak(receipt)
    # After submission nothing changes, and the link keeps showing the receipt.
    assert client.post(f"{path}answers/", {f"item-{mc.pk}": "a"}, follow=True).status_code == 200
    assert Submission.objects.get(item=mc).answer == {"choices": [key_of(mc.question)]}
    again = client.get(path)
    assert again.status_code == 200 and "Submission receipt" in again.content.decode()


def test_a_one_gigabyte_upload_is_refused_before_the_body_is_read(client, taking):
    assessment, _sitting, path = taking
    churn = item_of(assessment, CHURN)
    client.post(f"{path}start/")
    body = encode_multipart("BoUnDaRy", {"file": _file("big.csv", b"customer_id,churn_probability\n")})
    response = client.generic(
        "POST",
        f"{path}items/{churn.pk}/upload/",
        body,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(1024**3),  # what a 1 GB upload declares
    )
    assert response.status_code == 413
    assert "1024.0 MB" in response.content.decode() and "20.0 MB" in response.content.decode()
    assert not Submission.objects.filter(item=churn).exists()


@override_settings(CADRE_SCREENING_MAX_UPLOAD_BYTES=200_000)
def test_the_upload_limit_is_a_setting(client, taking):
    assessment, _sitting, path = taking
    churn = item_of(assessment, CHURN)
    client.post(f"{path}start/")
    response = _upload(client, path, churn.pk, "big.csv", b"x" * 300_000)
    assert response.status_code == 413
    assert not Submission.objects.filter(item=churn).exists()


def test_the_streaming_cap_stops_a_body_that_lied_about_its_size():
    handler = portal.CappedUploadHandler(limit=1000)
    handler.new_file("file", "p.csv", "text/csv", None)
    handler.receive_data_chunk(b"x" * 600, 0)
    with pytest.raises(portal.UploadTooLarge):
        handler.receive_data_chunk(b"x" * 600, 600)
    assert isinstance(handler, FileUploadHandler)
    small = portal.CappedUploadHandler(limit=1000)
    small.new_file("file", "p.csv", "text/csv", None)
    small.receive_data_chunk(b"abc", 0)
    assert small.file_complete(3).read() == b"abc"


def test_forms_need_the_csrf_token(taking):
    assessment, _sitting, path = taking
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(path)
    assert page.status_code == 200
    assert strict.post(f"{path}start/").status_code == 403
    token = strict.cookies["csrftoken"].value
    assert strict.post(f"{path}start/", {"csrfmiddlewaretoken": token}).status_code == 302
    churn = item_of(assessment, CHURN)
    refused = strict.post(
        f"{path}items/{churn.pk}/upload/", {"file": _file("p.csv", predictions(churn.question))}
    )
    assert refused.status_code == 403 and not Submission.objects.filter(item=churn).exists()
    accepted = strict.post(
        f"{path}items/{churn.pk}/upload/",
        {"file": _file("p.csv", predictions(churn.question)), "csrfmiddlewaretoken": token},
    )
    assert accepted.status_code == 302 and Submission.objects.filter(item=churn).count() == 1
    garbled = strict.post(f"{path}items/{churn.pk}/upload/", b"garbage", content_type="multipart/form-data")
    assert garbled.status_code == 302 and Submission.objects.filter(item=churn).count() == 1


def test_tampered_expired_and_withdrawn_links(client, taking, recruiter):
    _assessment, sitting, path = taking
    token = token_of(path)
    tampered = client.get(f"/take/{token[:-3]}xyz/")
    assert tampered.status_code == 403 and "not valid" in tampered.content.decode()
    forged = client.get("/take/eyJzIjoxLCJuIjoieCJ9:forged/")
    assert forged.status_code == 403
    Sitting.objects.filter(pk=sitting.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = client.get(path)
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert client.post(f"{path}answers/", {"action": "submit"}).status_code == 410
    services.extend_sitting(recruiter, Sitting.objects.get(pk=sitting.pk), days=1)
    assert client.get(path).status_code == 200
    services.cancel_sitting(recruiter, Sitting.objects.get(pk=sitting.pk))
    withdrawn = client.get(path)
    assert withdrawn.status_code == 410 and "no longer valid" in withdrawn.content.decode()


def test_a_file_from_another_assessment_is_not_served(client, taking, recruiter, tenant_b):
    _assessment, _sitting, path = taking
    other = make_assessment(recruiter, tenant_b.requisition, [CHURN])
    foreign = item_of(other, CHURN)
    assert client.get(f"{path}items/{foreign.pk}/file/").status_code == 404
    mc = item_of(_assessment, MC)
    assert client.get(f"{path}items/{mc.pk}/file/").status_code == 404  # no public file
