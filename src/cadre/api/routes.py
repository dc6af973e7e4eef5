"""Assembles each app's ninja router into the one REST API (OpenAPI at /api/openapi.json, docs at
/api/docs) and maps domain errors to HTTP responses with a clear message."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from cadre.api.auth import API_AUTH
from cadre.core.exceptions import CadreError

api = NinjaAPI(
    title="Cadre API",
    version="1",
    description="Staffing AI talent: clients, requisitions, people, applications and stage moves.",
    docs_url="/docs",
    auth=API_AUTH,
)


@api.exception_handler(CadreError)
def domain_error(request: HttpRequest, exc: CadreError) -> HttpResponse:
    body: dict[str, object] = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": "request body is larger than 10 MB"}, status=413)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "authentication required: send 'Authorization: Bearer <token>'"},
        status=401,
    )


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 with one entry per field: {"detail": [{"field": "body.title", "message": ...}]}."""
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "payload", "query", "path")]
        errors.append(
            {
                "field": ".".join(loc) or None,
                "message": err.get("msg", "invalid"),
                "type": err.get("type"),
            }
        )
    return api.create_response(request, {"detail": errors}, status=422)


def _mount() -> None:
    from cadre.clients.api import router as clients
    from cadre.compliance.api import router as compliance
    from cadre.matching.api import router as matching
    from cadre.people.api import router as people
    from cadre.pipeline.api import activities_router
    from cadre.pipeline.api import router as pipeline
    from cadre.placements.api import router as placements
    from cadre.requisitions.api import router as requisitions
    from cadre.requisitions.profile_api import templates_router as profile_templates
    from cadre.resolution.api import router as dedup
    from cadre.screening.api import router as screening
    from cadre.sourcing.api import router as imports

    api.add_router("/clients", clients)
    api.add_router("/requisitions", requisitions)
    api.add_router("/profile-templates", profile_templates)
    api.add_router("/people", people)
    api.add_router("/imports", imports)
    api.add_router("/applications", pipeline)
    api.add_router("/activities", activities_router)
    api.add_router("/dedup", dedup)
    api.add_router("", matching)
    api.add_router("", compliance)
    api.add_router("", placements)
    api.add_router("", screening)


_mount()
