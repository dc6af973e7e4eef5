"""Placements pages; each area keeps its own views module and url patterns."""

from __future__ import annotations

from cadre.placements import (
    advisor_views,
    invoice_views,
    onboarding_views,
    placement_views,
    report_views,
    timesheet_views,
)

urlpatterns = [
    *placement_views.urlpatterns,
    *advisor_views.urlpatterns,
    *onboarding_views.urlpatterns,
    *timesheet_views.urlpatterns,
    *invoice_views.urlpatterns,
    *report_views.urlpatterns,
]
