"""Read-only rules of a sitting shared by the portal's writes (`portal.py`) and the reads
(`selectors.py`): which statuses are open, the deadline, the upload cap, and the signed link.
Nothing here writes, so selectors can use it without importing the module that does.

A link carries `{"s": sitting id, "n": nonce}` signed with Django's signing (HMAC with SECRET_KEY and
`LINK_SALT`); `portal.resolve` checks it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse

from cadre.screening.models import Sitting

LINK_SALT = "cadre.screening.sitting-link"
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
OPEN_STATUSES = (Sitting.Status.INVITED, Sitting.Status.STARTED)


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
