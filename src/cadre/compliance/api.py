"""Compliance REST routers, mounted at /api/ (paths start with compliance/, applications/ or people/)."""

from __future__ import annotations

from ninja import Router

from cadre.compliance import classification_api, gate_api, monitoring_api, privacy_api

router = Router(tags=["compliance"])
router.add_router("", classification_api.router)
router.add_router("", gate_api.router)
router.add_router("", monitoring_api.router)
router.add_router("", privacy_api.router)
