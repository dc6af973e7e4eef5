"""Uploads with problems neither use up a candidate's allowance nor replace an earlier good file; the ML
task page never states the hidden labels' best achievable score; a rubric grade without a level says so.
"""

from __future__ import annotations

import pytest
from django.test import Client
from tests.conftest import PASSWORD
from tests.screening.screening_helpers import (
    CHURN,
    LATENCY,
    PRECISION,
    assert_no_leak,
    item_of,
    key_of,
    latest,
    make_assessment,
    predictions,
)

from cadre.core.exceptions import Conflict
from cadre.screening import portal, services, sitting_rules
from cadre.screening.grading_services import latest_submissions
from cadre.screening.models import Submission

MC = "rai-four-fifths-rule"
SHORT = "rai-before-deploying-screening-model"
DUPLICATE_ID = b"customer_id,churn_probability\nC1,0.5\nC1,0.5\n"


def _sub(attempt: int, status: str, *, upload: bool = True) -> Submission:
    return Submission(attempt=attempt, status=status, upload_size=10 if upload else None)


# ------------------------------------------------------------------------------------- the pure rules


def test_the_latest_attempt_without_problems_is_graded():
    ok, bad = Submission.Status.RECEIVED, Submission.Status.INVALID
    assert sitting_rules.graded_attempt([]) is None
    first, second, third = _sub(1, ok), _sub(2, bad), _sub(3, bad)
    assert sitting_rules.graded_attempt([first, second, third]) is first  # later bad files do not count
    fourth = _sub(4, ok)
    assert sitting_rules.graded_attempt([third, fourth, first, second]) is fourth  # order of input is moot
    only_bad = [_sub(1, bad), _sub(2, bad)]
    assert sitting_rules.graded_attempt(only_bad) is only_bad[1]  # nothing good: the latest (scores 0)


def test_rejected_files_are_counted_apart_from_accepted_ones():
    ok, bad = Submission.Status.RECEIVED, Submission.Status.INVALID
    typed = _sub(1, ok, upload=False)  # a typed answer is not an upload
    allowance = sitting_rules.upload_allowance([typed, _sub(2, ok), *(_sub(3 + i, bad) for i in range(12))])
    assert (allowance.valid, allowance.invalid) == (1, 12)
    assert allowance.valid_left == sitting_rules.MAX_VALID_UPLOADS - 1
    assert allowance.invalid_left == sitting_rules.MAX_INVALID_UPLOADS - 12
    assert not allowance.exhausted
    assert sitting_rules.MAX_INVALID_UPLOADS == 3 * sitting_rules.MAX_VALID_UPLOADS
    full = sitting_rules.upload_allowance([_sub(i, ok) for i in range(sitting_rules.MAX_VALID_UPLOADS)])
    assert full.exhausted and full.valid_left == 0


# ------------------------------------------------------------------------------------------ the portal


@pytest.fixture
def taking(recruiter, tenant_a):
    assessment = make_assessment(recruiter, tenant_a.requisition, [MC, CHURN, PRECISION])
    sitting, path = services.invite(recruiter, tenant_a.application, assessment)
    return assessment, sitting, path


def _upload(client: Client, path: str, item_id: int, name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"{path}items/{item_id}/upload/",
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
        follow=True,
    )


@pytest.mark.django_db
def test_a_bad_later_upload_neither_locks_out_nor_replaces_the_good_file(client, taking):
    assessment, sitting, path = taking
    churn = item_of(assessment, CHURN)
    good = predictions(churn.question)
    first = _upload(client, path, churn.pk, "good.csv", good).content.decode()
    assert "good.csv" in first and "this is the file that will be graded" in first
    good_sub = Submission.objects.get(item=churn, upload_name="good.csv")

    # More rejected files than the whole allowance of accepted ones: none of them is refused for count.
    for n in range(sitting_rules.MAX_VALID_UPLOADS + 2):
        _upload(client, path, churn.pk, f"broken{n}.csv", DUPLICATE_ID)
    last = f"broken{sitting_rules.MAX_VALID_UPLOADS + 1}.csv"
    page = client.get(path).content.decode()
    assert f"Your latest file, <code>{last}</code>" in page and "will not be graded" in page
    assert "Until you upload a file without problems, your last valid file (<code>good.csv</code>" in page
    assert good_sub.upload_sha256 in page  # name, time and sha256 of what will be graded
    assert f"1 of {sitting_rules.MAX_VALID_UPLOADS} accepted files used" in page
    assert f"{sitting_rules.MAX_VALID_UPLOADS + 2} files with problems" in page
    # The message right after a rejected upload says the good file still counts.
    after = _upload(client, path, churn.pk, "again.csv", DUPLICATE_ID).content.decode()
    assert "has problems and will not be graded" in after and "Your last valid file, “good.csv”" in after

    # The good file can still be uploaded again, and what is graded is the latest good one.
    _upload(client, path, churn.pk, "good-again.csv", good)
    _upload(client, path, churn.pk, "big.csv", DUPLICATE_ID)
    graded = latest_submissions(sitting)[churn.pk]
    assert graded.upload_name == "good-again.csv"

    receipt = client.post(f"{path}answers/", {"action": "submit"}, follow=True).content.decode()
    assert "good-again.csv" in receipt and "counted as 0" not in receipt
    assert "your later file <code>big.csv</code> had problems and was not graded" in receipt
    assert_no_leak(receipt)
    graded.refresh_from_db()
    assert graded.status == Submission.Status.GRADED and graded.result["valid"] is True
    assert graded.result["points"] == pytest.approx(1.0)  # the hidden labels themselves: full points
    rejected = Submission.objects.get(item=churn, upload_name="big.csv")
    assert rejected.status == Submission.Status.INVALID and not rejected.result  # never graded


@pytest.mark.django_db
def test_only_rejected_files_still_score_zero(taking):
    assessment, sitting, _path = taking
    churn = item_of(assessment, CHURN)
    portal.upload(sitting, churn.pk, name="one.csv", data=DUPLICATE_ID)
    portal.upload(sitting, churn.pk, name="two.csv", data=DUPLICATE_ID)
    portal.submit(sitting)
    graded = latest_submissions(sitting)[churn.pk]
    assert graded.upload_name == "two.csv"
    assert graded.status == Submission.Status.GRADED and graded.result["points"] == 0.0


@pytest.mark.django_db
def test_each_limit_is_counted_on_its_own_and_says_what_will_be_graded(taking):
    assessment, sitting, _path = taking
    churn = item_of(assessment, CHURN)
    good = predictions(churn.question)
    portal.upload(sitting, churn.pk, name="good.csv", data=good)
    for n in range(sitting_rules.MAX_INVALID_UPLOADS):
        portal.upload(sitting, churn.pk, name=f"bad{n}.csv", data=DUPLICATE_ID)
    with pytest.raises(Conflict) as too_many_bad:
        portal.upload(sitting, churn.pk, name="one-more.csv", data=DUPLICATE_ID)
    message = too_many_bad.value.message
    assert f"already had {sitting_rules.MAX_INVALID_UPLOADS} files with problems" in message
    assert "your last valid file, “good.csv”" in message
    assert not Submission.objects.filter(item=churn, upload_name="one-more.csv").exists()
    # A file without problems is still taken past the limit on rejected files.
    for n in range(sitting_rules.MAX_VALID_UPLOADS - 1):
        portal.upload(sitting, churn.pk, name=f"good{n}.csv", data=good)
    with pytest.raises(Conflict) as too_many_good:
        portal.upload(sitting, churn.pk, name="eleventh.csv", data=good)
    last_good = f"good{sitting_rules.MAX_VALID_UPLOADS - 2}.csv"
    assert f"already has {sitting_rules.MAX_VALID_UPLOADS} accepted files" in too_many_good.value.message
    assert f"“{last_good}”" in too_many_good.value.message
    assert latest_submissions(sitting)[churn.pk].upload_name == last_good


@pytest.mark.django_db
def test_the_page_hides_the_upload_form_once_the_accepted_files_are_used_up(client, taking):
    assessment, sitting, path = taking
    churn = item_of(assessment, CHURN)
    for n in range(sitting_rules.MAX_VALID_UPLOADS):
        portal.upload(sitting, churn.pk, name=f"good{n}.csv", data=predictions(churn.question))
    page = client.get(path).content.decode()
    assert f"You have used all {sitting_rules.MAX_VALID_UPLOADS} accepted uploads" in page
    assert f"items/{churn.pk}/upload/" not in page


# ---------------------------------------------------------------------------- the hidden labels' best score


@pytest.mark.django_db
def test_candidates_are_not_told_the_best_achievable_score(client, recruiter, tenant_a):
    assessment = make_assessment(recruiter, tenant_a.requisition, [CHURN, LATENCY])
    sitting, path = services.invite(recruiter, tenant_a.application, assessment)
    client.post(f"{path}start/")
    page = client.get(path).content.decode()
    for slug in (CHURN, LATENCY):
        anchors = latest(slug).spec["scoring"]
        assert f"{anchors['target']:g}" not in page and str(anchors["target"]) not in page
        assert str(anchors["floor"]) in page  # the know-nothing anchor is still stated
    assert "the true data-generating process" in page and "(not shown)" in page
    assert "what the true data-generating process scores" not in page
    # Staff still see it on the question page.
    staff = Client()
    assert staff.login(username=recruiter.username, password=PASSWORD)
    churn = latest(CHURN)
    detail = staff.get(f"/screening/questions/{churn.pk}/").content.decode()
    assert str(churn.spec["scoring"]["target"]) in detail


# --------------------------------------------------------------------------- a rubric grade with no level


@pytest.mark.django_db
def test_saving_a_rubric_grade_without_a_level_says_so(recruiter, tenant_a):
    assessment = make_assessment(recruiter, tenant_a.requisition, [MC, SHORT])
    sitting, _path = services.invite(recruiter, tenant_a.application, assessment)
    mc, short = item_of(assessment, MC), item_of(assessment, SHORT)
    portal.save_answers(sitting, {mc.pk: key_of(mc.question), short.pk: "An impact-ratio audit."})
    portal.submit(sitting)
    waiting = Submission.objects.get(sitting=sitting, item=short)
    client = Client()
    assert client.login(username=recruiter.username, password=PASSWORD)
    url = f"/screening/sittings/{sitting.pk}/"
    for level in ({}, {"level": ""}, {"level": "7"}):
        response = client.post(url, {"action": "grade", "submission": waiting.pk, "note": "ok", **level})
        assert response.status_code == 422
        html = response.content.decode()
        assert "Grade not saved: choose a rubric level from 1 to 4." in html
        assert f'id="grade-error-{waiting.pk}"' in html  # next to the form, not only at the top
        waiting.refresh_from_db()
        assert waiting.level is None and waiting.status == Submission.Status.NEEDS_REVIEW
    saved = client.post(url, {"action": "grade", "submission": waiting.pk, "level": "3"}, follow=True)
    assert "Grade saved." in saved.content.decode()
    waiting.refresh_from_db()
    assert waiting.level == 3
