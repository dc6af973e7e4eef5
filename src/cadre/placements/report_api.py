"""Placements REST endpoints: reports.

GET /api/reports/placements?start=2026-01-01&end=2026-06-30&client_id=3
    margin by client and by recruiter, time-to-fill, fill rate and placements by engagement type, as JSON
    (money as strings rounded to cents, ratios to four places). Recruiters and admins only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router

from cadre.api.schemas import ERRORS
from cadre.placements import report_selectors

router = Router(tags=["placements"])


@router.get("reports/placements", response={200: dict[str, Any], **ERRORS})
def placement_report(
    request: HttpRequest,
    start: dt.date | None = None,
    end: dt.date | None = None,
    client_id: int | None = None,
) -> dict[str, Any]:
    return report_selectors.placement_report(request.user, start, end, client_id=client_id).to_dict()
