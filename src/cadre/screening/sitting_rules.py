"""Read-only rules of a sitting shared by the portal's writes (`portal.py`) and the reads
(`selectors.py`, `grading_services.py`): which statuses are open, the deadline, the upload cap, the
upload allowance, which attempt of an item is graded, and the signed link. Nothing here writes, so
selectors can use it without importing the module that does.

Uploads: an item accepts `MAX_VALID_UPLOADS` files without problems and, counted apart,
`MAX_INVALID_UPLOADS` files with problems (a rejected file does not use up the candidate's allowance).
What is graded is the latest attempt without problems (`graded_attempt`): a later file with problems
never replaces an earlier good one. Only when every attempt had problems is the latest graded (as 0).

A link carries `{"s": sitting id, "n": nonce}` signed with Django's signing (HMAC with SECRET_KEY and
`LINK_SALT`); `portal.resolve` checks it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from cadre.screening.models import Sitting, Submission

LINK_SALT = "cadre.screening.sitting-link"
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
OPEN_STATUSES = (Sitting.Status.INVITED, Sitting.Status.STARTED)
MAX_VALID_UPLOADS = 10  # files without problems, per item
MAX_INVALID_UPLOADS = 3 * MAX_VALID_UPLOADS  # files with problems, per item, counted apart


def max_upload_bytes() -> int:
    """The upload cap: 20 MB unless `CADRE_SCREENING_MAX_UPLOAD_BYTES` says otherwise."""
    return int(getattr(settings, "CADRE_SCREENING_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def deadline(sitting: Sitting) -> dt.datetime:
    """When answers stop being accepted: the link's expiry, or the time limit from the start if earlier."""
    end = sitting.expires_at
    minutes = sitting.assessment.time_limit_minutes
    if minutes and sitting.started_at:
        end = min(end, sitting.started_at + dt.timedelta(minutes=minutes))
    return end


def is_open(sitting: Sitting, now: dt.datetime) -> bool:
    """Whether the candidate may still change answers at `now`."""
    return sitting.status in OPEN_STATUSES and now < deadline(sitting)


def sign(sitting: Sitting) -> str:
    return signing.Signer(salt=LINK_SALT).sign_object({"s": sitting.pk, "n": sitting.nonce})


def portal_path(sitting: Sitting) -> str:
    return reverse("screening-take", args=[sign(sitting)])


def graded_attempt(attempts: Iterable[Submission]) -> Submission | None:
    """Which of an item's attempts is graded: the latest one without problems (status other than invalid);
    when every attempt had problems, the latest one (it earns 0 and the candidate saw why)."""
    ordered = sorted(attempts, key=lambda s: s.attempt, reverse=True)
    for sub in ordered:
        if sub.status != Submission.Status.INVALID:
            return sub
    return ordered[0] if ordered else None


@dataclass(frozen=True)
class UploadAllowance:
    """One item's uploads: how many were accepted and rejected, against their separate limits."""

    valid: int
    invalid: int
    max_valid: int = MAX_VALID_UPLOADS
    max_invalid: int = MAX_INVALID_UPLOADS

    @property
    def valid_left(self) -> int:
        return max(0, self.max_valid - self.valid)

    @property
    def invalid_left(self) -> int:
        return max(0, self.max_invalid - self.invalid)

    @property
    def exhausted(self) -> bool:
        """No further file can be graded: the limit on files without problems is reached. (Past the
        limit on rejected files, a file with problems is refused but a good one is still taken.)"""
        return self.valid_left == 0


def upload_allowance(uploads: Iterable[Submission]) -> UploadAllowance:
    """The allowance used by an item's uploads (attempts that carried a file; typed answers do not count)."""
    valid = invalid = 0
    for sub in uploads:
        if sub.upload_size is None:
            continue
        if sub.status == Submission.Status.INVALID:
            invalid += 1
        else:
            valid += 1
    return UploadAllowance(valid=valid, invalid=invalid)


@dataclass(frozen=True)
class UploadState:
    """An item's uploads as its candidate sees them: the allowance, the attempt that will be graded, and
    the latest attempt when it is a rejected file that will not be graded (None otherwise)."""

    allowance: UploadAllowance
    graded: Submission | None
    rejected_latest: Submission | None


def upload_states(sitting: Sitting) -> dict[int, UploadState]:
    """item id -> UploadState, for the items of the sitting that have any attempt."""
    by_item: dict[int, list[Submission]] = {}
    for sub in Submission.objects.filter(sitting=sitting).defer("upload").order_by("item_id", "-attempt"):
        by_item.setdefault(sub.item_id, []).append(sub)
    states: dict[int, UploadState] = {}
    for item_id, subs in by_item.items():
        graded = graded_attempt(subs)
        latest = subs[0]
        rejected = latest if graded is not None and latest.pk != graded.pk else None
        states[item_id] = UploadState(upload_allowance(subs), graded, rejected)
    return states
