"""Assembles each app's ninja router into the one REST API (OpenAPI at /api/openapi.json)."""

from ninja import NinjaAPI

api = NinjaAPI(title="Cadre API", version="1", docs_url="/docs")
