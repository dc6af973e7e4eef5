"""Placements REST endpoints: invoice (filled in by its area)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["placements"])
