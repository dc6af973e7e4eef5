"""Placements REST routers, mounted at /api/; each area keeps its own module."""

from __future__ import annotations

from ninja import Router

from cadre.placements import (
    advisor_api,
    economics_api,
    invoice_api,
    onboarding_api,
    placement_api,
    report_api,
    timesheet_api,
)

router = Router(tags=["placements"])
router.add_router("", placement_api.router)
router.add_router("", economics_api.router)
router.add_router("", advisor_api.router)
router.add_router("", onboarding_api.router)
router.add_router("", timesheet_api.router)
router.add_router("", invoice_api.router)
router.add_router("", report_api.router)
