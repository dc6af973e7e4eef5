"""The candidate portal's writes and its signed links (no account: the link is the credential).

A link carries `{"s": sitting id, "n": nonce}` signed with Django's signing (HMAC with SECRET_KEY and
`LINK_SALT`; issued by `sitting_rules.sign`, which also holds the deadline and upload cap). A changed or
truncated link is a 403; a link whose sitting was cancelled, or whose nonce is no longer the sitting's,
or whose sitting expired before it was submitted, is a 410. After submission the
link keeps showing the receipt.

Uploads are refused early: the faces call `check_declared_size` on the request's Content-Length before
reading the body and read it through `CappedUploadHandler`, which stops the stream past
`max_upload_bytes()` (20 MB unless `CADRE_SCREENING_MAX_UPLOAD_BYTES` says otherwise), so a 1 GB upload
costs at most the cap. The raw bytes, size and sha256 of every upload are kept; each upload is a new
attempt. Files without problems and files with problems are counted apart (`sitting_rules.upload_allowance`:
10 good files, 30 rejected ones), and what is graded is the latest attempt without problems
(`sitting_rules.graded_attempt`): a later file with problems never replaces an earlier good one.
"""

from __future__ import annotations

import ast
import hashlib
import io
import logging
from pathlib import PurePosixPath
from typing import Any

from django.core import signing
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone

from cadre.core import audit
from cadre.core.exceptions import CadreError, Conflict, ValidationFailed
from cadre.core.models import AuditLog
from cadre.screening import grading
from cadre.screening.models import AssessmentItem, Question, Sitting, Submission
from cadre.screening.services import sitting_audit_view, submission_audit_view
from cadre.screening.sitting_rules import (  # the read-only rules, shared with selectors
    DEFAULT_MAX_UPLOAD_BYTES,
    LINK_SALT,
    MAX_INVALID_UPLOADS,
    MAX_VALID_UPLOADS,
    OPEN_STATUSES,
    deadline,
    graded_attempt,
    max_upload_bytes,
    portal_path,
    sign,
    upload_allowance,
)

__all__ = [
    "DEFAULT_MAX_UPLOAD_BYTES",
    "LINK_SALT",
    "MAX_INVALID_UPLOADS",
    "MAX_VALID_UPLOADS",
    "OPEN_STATUSES",
    "deadline",
    "max_upload_bytes",
    "portal_path",
    "sign",
]

MULTIPART_OVERHEAD = 64 * 1024  # boundaries, headers and the CSRF field around the file
MAX_TEXT_CHARS = 100_000
VIA = "portal"
logger = logging.getLogger(__name__)
UPLOAD_KINDS = (Question.Kind.ML_TASK, Question.Kind.CODING_TASK, Question.Kind.TAKE_HOME)
TEXT_ANSWER_KINDS = (Question.Kind.SHORT_ANSWER, Question.Kind.TAKE_HOME)


class LinkError(CadreError):
    """The link cannot be used: 403 when it was tampered with, 410 when it is no longer valid."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status_code = status


class UploadTooLarge(ValidationFailed):
    status_code = 413


class AnswersInvalid(ValidationFailed):
    """Some answers could not be saved; `errors` maps item id -> message (the others were saved). A key
    that is not an item id is kept as the text sent, so each bad key gets its own
    message."""

    def __init__(self, errors: dict[int | str, str]) -> None:
        super().__init__(
            f"{len(errors)} answer(s) could not be saved: "
            + "; ".join(f"#{k}: {v}" for k, v in errors.items()),
            field="answers",
        )
        self.errors = errors


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


# ------------------------------------------------------------------------------------------------ links


def resolve(token: str) -> Sitting:
    """The sitting a link opens (any status but cancelled): LinkError 403 if the link was altered, 410 if
    it no longer opens anything."""
    try:
        data = signing.Signer(salt=LINK_SALT).unsign_object(str(token))
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LinkError(
            "This link is not valid: it was changed or copied incompletely. Open the exact link from your "
            "invitation.",
            status=403,
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("s"), int) or not isinstance(data.get("n"), str):
        raise LinkError("This link is not valid.", status=403)
    sitting = (
        Sitting.objects.select_related(
            "assessment", "application__person", "application__requisition__client"
        )
        .filter(pk=data["s"], nonce=data["n"])
        .first()
    )
    if sitting is None or sitting.status == Sitting.Status.CANCELLED:
        raise LinkError(
            "This assessment link is no longer valid: the invitation was withdrawn or replaced. Ask your "
            "recruiter for a new link.",
            status=410,
        )
    return sitting


def _mark_expired(sitting: Sitting) -> None:
    before = sitting_audit_view(sitting)
    Sitting.objects.filter(pk=sitting.pk, status__in=OPEN_STATUSES).update(status=Sitting.Status.EXPIRED)
    sitting.status = Sitting.Status.EXPIRED
    audit.record(AuditLog.Action.UPDATE, sitting, before=before, after=sitting_audit_view(sitting), via=VIA)


def check_not_expired(sitting: Sitting) -> None:
    """LinkError 410 when the link expired before the candidate submitted (recorded on the sitting)."""
    if sitting.status == Sitting.Status.EXPIRED:
        raise LinkError(_expired_message(sitting), status=410)
    if sitting.status in OPEN_STATUSES and timezone.now() >= sitting.expires_at:
        _mark_expired(sitting)
        raise LinkError(_expired_message(sitting), status=410)


def _expired_message(sitting: Sitting) -> str:
    return (
        f"This assessment link expired on {timezone.localtime(sitting.expires_at):%d %b %Y %H:%M %Z}. "
        "Ask your recruiter to extend it: the answers you saved are kept."
    )


def _require_open(sitting: Sitting) -> None:
    check_not_expired(sitting)
    _check_open(sitting)


def _lock_open(sitting: Sitting) -> Sitting:
    """Inside a transaction: the sitting's row, locked, still open (another request may have submitted)."""
    locked = Sitting.objects.select_related("assessment").select_for_update(of=("self",)).get(pk=sitting.pk)
    _check_open(locked)
    return locked


def _check_open(sitting: Sitting) -> None:
    if sitting.status not in OPEN_STATUSES:
        raise Conflict("this assessment was already submitted; nothing more can be changed")
    if timezone.now() >= deadline(sitting):
        raise Conflict("the time limit is over: submit the answers you saved")


# -------------------------------------------------------------------------------------------- uploads


def check_declared_size(request: HttpRequest, limit: int | None = None) -> None:
    """Refuse a request whose declared Content-Length is over the cap, before reading any of it."""
    limit = max_upload_bytes() if limit is None else limit
    raw = request.META.get("CONTENT_LENGTH") or "0"
    try:
        declared = int(raw)
    except ValueError as exc:
        raise ValidationFailed("the request's Content-Length is not a number") from exc
    if declared > limit + MULTIPART_OVERHEAD:
        raise UploadTooLarge(f"the upload is {_size(declared)}; the limit is {_size(limit)}", field="file")


class CappedUploadHandler(FileUploadHandler):
    """Keeps an uploaded file in memory and stops the request as soon as it passes `limit` bytes."""

    def __init__(self, request: HttpRequest | None = None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = max_upload_bytes() if limit is None else limit
        self.buffer = io.BytesIO()
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge(f"the upload is larger than the limit of {_size(self.limit)}", field="file")
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def prepare_upload(request: HttpRequest) -> None:
    """Call before anything reads the body: the size check, then the capped reader."""
    check_declared_size(request)
    request.upload_handlers = [CappedUploadHandler(request)]


def read_upload(request: HttpRequest, field: str = "file") -> tuple[str, bytes]:
    """The uploaded file's name and bytes (after `prepare_upload`)."""
    try:
        upload = request.FILES.get(field)
    except MultiPartParserError as exc:
        raise ValidationFailed(f"the upload is not valid multipart form data: {exc}", field=field) from exc
    if upload is None:
        raise ValidationFailed("choose a file to upload", field=field)
    data = upload.read()
    return str(upload.name or "upload"), data


# --------------------------------------------------------------------------------------- candidate writes


def start(sitting: Sitting) -> Sitting:
    """The candidate opens the assessment (starts the time limit, if any). Idempotent."""
    check_not_expired(sitting)
    if sitting.status != Sitting.Status.INVITED:
        return sitting
    before = sitting_audit_view(sitting)
    with transaction.atomic():
        rows = Sitting.objects.filter(pk=sitting.pk, status=Sitting.Status.INVITED).update(
            status=Sitting.Status.STARTED, started_at=timezone.now()
        )
        sitting.refresh_from_db()
        if rows:
            audit.record(
                AuditLog.Action.UPDATE, sitting, before=before, after=sitting_audit_view(sitting), via=VIA
            )
    return sitting


def _items(sitting: Sitting) -> dict[int, AssessmentItem]:
    return {
        i.pk: i
        for i in AssessmentItem.objects.filter(assessment_id=sitting.assessment_id).select_related("question")
    }


def _latest(sitting: Sitting, item: AssessmentItem) -> Submission | None:
    return Submission.objects.filter(sitting=sitting, item=item).defer("upload").order_by("-attempt").first()


def _clean_answer(question: Question, value: Any) -> dict[str, Any]:
    if question.kind == Question.Kind.MULTIPLE_CHOICE:
        ids = {c["id"] for c in question.spec.get("choices", [])}
        chosen = [value] if isinstance(value, str) else list(value or [])
        chosen = [str(c) for c in chosen if str(c)]
        if len(chosen) != 1 or chosen[0] not in ids:
            raise ValueError(f"choose one of {', '.join(sorted(ids))}")
        return {"choices": chosen}
    if question.kind in TEXT_ANSWER_KINDS:
        if not isinstance(value, str):
            raise ValueError("the answer must be text")
        text = value.replace("\r\n", "\n").strip()
        limit = int(question.spec.get("max_chars", 4000))
        if len(text) > min(limit, MAX_TEXT_CHARS):
            raise ValueError(f"the answer is {len(text):,} characters; the limit is {limit:,}")
        return {"text": text}
    raise ValueError("this item takes a file upload, not a typed answer")


def save_answers(sitting: Sitting, answers: dict[Any, Any]) -> list[Submission]:
    """Save typed answers (multiple choice, short answer, take-home text) keyed by item id.

    A typed answer is a draft until submission: saving again replaces it (the audit log keeps each
    version). Valid answers are saved even when others are not; AnswersInvalid then lists the others.
    """
    _require_open(sitting)
    start(sitting)
    items = _items(sitting)
    errors: dict[int | str, str] = {}
    saved: list[Submission] = []
    with transaction.atomic():
        sitting = _lock_open(sitting)
        for raw_id, value in answers.items():
            try:
                item_id = int(raw_id)
            except (TypeError, ValueError):
                errors[str(raw_id)] = "not an item of this assessment"
                continue
            item = items.get(item_id)
            if item is None:
                errors[item_id] = "not an item of this assessment"
                continue
            try:
                answer = _clean_answer(item.question, value)
            except ValueError as exc:
                errors[item_id] = str(exc)
                continue
            current = _latest(sitting, item)
            uploaded = current is not None and current.upload_size is not None
            if current is not None and not uploaded and current.answer == answer:
                saved.append(current)
                continue
            if uploaded and not answer.get("text"):
                continue  # an empty text box under a take-home's uploaded file does not replace the file
            if current is not None and not uploaded and current.status == Submission.Status.RECEIVED:
                before = submission_audit_view(current)
                current.answer = answer
                current.save(update_fields=["answer"])
                audit.record(
                    AuditLog.Action.UPDATE,
                    current,
                    before=before,
                    after=submission_audit_view(current),
                    via=VIA,
                )
                saved.append(current)
                continue
            submission = Submission.objects.create(
                sitting=sitting, item=item, attempt=(current.attempt + 1) if current else 1, answer=answer
            )
            audit.record(AuditLog.Action.CREATE, submission, after=submission_audit_view(submission), via=VIA)
            saved.append(submission)
    if errors:
        raise AnswersInvalid(errors)
    return saved


def _upload_problems(question: Question, name: str, data: bytes) -> list[str]:
    """What is wrong with an upload for this item (empty: accepted). Messages are safe to show."""
    spec = question.spec
    if not data:
        return ["the file is empty"]
    if question.kind == Question.Kind.ML_TASK:
        task = grading.TaskSpec.from_config(spec["grading"])
        labels = grading.parse_labels(bytes(question.hidden_data or b""), task)
        try:
            grading.parse_predictions(data, task, labels.ids, declared_size=len(data))
        except grading.InvalidPredictionsError as exc:
            lines = [str(p) for p in exc.problems]
            listed = len(exc.problems)
            if exc.total > listed:
                lines.append(f"… and {exc.total - listed:,} more problem(s) of the same kinds")
            return lines
        return []
    if question.kind == Question.Kind.CODING_TASK:
        limit = int(spec.get("max_bytes", 200_000))
        if len(data) > limit:
            return [f"the file is {_size(len(data))}; the limit for code is {_size(limit)}"]
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            return ["the file is not UTF-8 text: upload your Python source file"]
        try:
            ast.parse(source, filename=spec.get("filename", "solution.py"))
        except SyntaxError as exc:
            return [f"line {exc.lineno}: syntax error: {exc.msg}"]
        return []
    suffix = PurePosixPath(name).suffix.lower()
    accepts = [str(a).lower() for a in spec.get("accepts", [".md", ".txt", ".pdf"])]
    if suffix not in accepts:
        return [f"upload a {', '.join(accepts)} file (got {suffix or 'no extension'})"]
    limit = int(spec.get("max_bytes", max_upload_bytes()))
    if len(data) > limit:
        return [f"the file is {_size(len(data))}; the limit for this task is {_size(limit)}"]
    if suffix == ".pdf" and not data.startswith(b"%PDF-"):
        return ["the file is named .pdf but is not a PDF"]
    if suffix in (".md", ".txt"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return ["the file is not UTF-8 text"]
    return []


def _graded_file(attempts: list[Submission]) -> str:
    """The end of a refusal naming the file that will be graded (the last without problems), or ""."""
    graded = graded_attempt(attempts)
    if graded is None or graded.upload_size is None or graded.status == Submission.Status.INVALID:
        return ""
    at = timezone.localtime(graded.created_at)
    return (
        f"; your last valid file, “{graded.upload_name}” uploaded {at:%d %b %Y %H:%M %Z} "
        f"(sha256 {graded.upload_sha256[:12]}…), will be graded"
    )


def _check_allowance(attempts: list[Submission], *, has_problems: bool) -> None:
    """Conflict when this upload would pass the item's limit: files without problems and files with
    problems are counted apart, so rejected files never use up the candidate's allowance."""
    allowance = upload_allowance(attempts)
    if allowance.valid_left == 0:
        raise Conflict(
            f"this item already has {allowance.max_valid} accepted files, the most allowed: no more uploads"
            + _graded_file(attempts)
        )
    if has_problems and allowance.invalid_left == 0:
        raise Conflict(
            f"this file has problems and this item already had {allowance.max_invalid} files with problems, "
            f"the most allowed: only a file without problems is taken now (check it against the format "
            f"above before uploading)" + _graded_file(attempts)
        )


def upload(sitting: Sitting, item_id: int, *, name: str, data: bytes) -> Submission:
    """Store one upload for an ML task, coding task or take-home as a new attempt, with its bytes, size and
    sha256. A file with problems is kept too (status invalid, with the problems listed for the candidate)
    but is never graded while an earlier file without problems exists: the latest file without problems
    counts. Files without problems are limited to `MAX_VALID_UPLOADS` per item; files with problems are
    counted apart, up to `MAX_INVALID_UPLOADS` (Conflict past either, naming the file that will be graded)."""
    _require_open(sitting)
    start(sitting)
    item = _items(sitting).get(int(item_id))
    if item is None:
        raise ValidationFailed("not an item of this assessment", field="item_id")
    question = item.question
    if question.kind not in UPLOAD_KINDS:
        raise ValidationFailed("this item takes a typed answer, not a file", field="file")
    if len(data) > max_upload_bytes():
        raise UploadTooLarge(
            f"the upload is larger than the limit of {_size(max_upload_bytes())}", field="file"
        )
    name = PurePosixPath(str(name).replace("\\", "/")).name[:200] or "upload"
    problems = _upload_problems(question, name, data)
    with transaction.atomic():
        sitting = _lock_open(sitting)
        current = _latest(sitting, item)
        attempts = list(
            Submission.objects.filter(sitting=sitting, item=item).defer("upload").order_by("-attempt")
        )
        _check_allowance(attempts, has_problems=bool(problems))
        submission = Submission.objects.create(
            sitting=sitting,
            item=item,
            attempt=(current.attempt + 1) if current else 1,
            upload=data,
            upload_name=name,
            upload_size=len(data),
            upload_sha256=hashlib.sha256(data).hexdigest(),
            status=Submission.Status.INVALID if problems else Submission.Status.RECEIVED,
            errors=problems,
        )
        audit.record(AuditLog.Action.CREATE, submission, after=submission_audit_view(submission), via=VIA)
    return submission


def submit(sitting: Sitting) -> Sitting:
    """The candidate's final submission: no more changes; automated items are graded now, rubric items
    wait for a person. Submitting after the time limit is allowed (what was saved in time is graded).

    The submission commits first and is never undone by grading: `grade_after_submit` runs once it has
    committed and cannot fail the candidate's request (see there)."""
    check_not_expired(sitting)
    with transaction.atomic():
        locked = Sitting.objects.select_for_update().get(pk=sitting.pk)
        before = sitting_audit_view(locked)
        now = timezone.now()
        # A conditional UPDATE, so two submissions racing on any database cannot both pass.
        rows = Sitting.objects.filter(pk=sitting.pk, status__in=OPEN_STATUSES).update(
            status=Sitting.Status.SUBMITTED, started_at=locked.started_at or now, submitted_at=now
        )
        if rows == 0:
            raise Conflict("this assessment was already submitted")
        locked.refresh_from_db()
        audit.record(AuditLog.Action.UPDATE, locked, before=before, after=sitting_audit_view(locked), via=VIA)
    grade_after_submit(locked)
    locked.refresh_from_db()
    return locked


def grade_after_submit(sitting: Sitting) -> bool:
    """Automatic grading of a sitting the candidate has just submitted; True when it ran to the end.

    It runs in the submit request, after the submission committed (no task queue is installed: this is
    the one seam to move it to one). Each item is graded on its own (`grade_sitting` records a failing
    item's reason for staff and goes on); should grading as a whole fail, the failure is logged and
    written to the sitting's result as `grading_error`, the sitting stays submitted, staff see it and
    "Run automatic grading" (which retries every ungraded item) recovers it, and the candidate still
    gets the receipt."""
    from cadre.screening.grading_services import grade_sitting

    try:
        grade_sitting(sitting)
    except Exception as exc:  # the candidate's submission stands whatever grading does
        logger.exception("automatic grading of sitting #%s failed after submission", sitting.pk)
        reason = f"{type(exc).__name__}: {exc}"[:500]
        with transaction.atomic():
            locked = Sitting.objects.select_for_update().get(pk=sitting.pk)
            locked.result = {**locked.result, "grading_error": reason}
            locked.save(update_fields=["result"])
        return False
    return True
