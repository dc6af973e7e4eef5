"""REST endpoints for imports: POST /api/imports/{source} with multipart files, returning the report."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Query, Router, Schema, UploadedFile

from cadre.api.schemas import ERRORS
from cadre.core.exceptions import ValidationFailed
from cadre.sourcing.importers import registry
from cadre.sourcing.uploads import import_uploads

router = Router(tags=["imports"])


class ImportError_(Schema):
    item: str
    error: str


class ImportReportOut(Schema):
    created: int
    updated: int
    skipped: int
    errors: list[ImportError_]
    run_id: int | None
    resolution: dict[str, Any] | None = None


class ImportOptions(Schema):
    mapping: str = "generic"


def _run(request: HttpRequest, source: str, files: list[UploadedFile], **options: Any) -> dict[str, Any]:
    return import_uploads(request.user, source, files, via="api", **options).as_dict()


@router.post("/resume", response={200: ImportReportOut, **ERRORS})
def import_resumes(request: HttpRequest, files: File[list[UploadedFile]]) -> dict[str, Any]:
    """Import resume files (PDF, DOCX, TXT, JSON Resume); each bad file is an entry in `errors`."""
    return _run(request, "resume", files)


@router.post("/csv", response={200: ImportReportOut, **ERRORS})
def import_csv(
    request: HttpRequest, files: File[list[UploadedFile]], options: Query[ImportOptions]
) -> dict[str, Any]:
    """Import a candidate export from another ATS (`?mapping=generic|bullhorn`)."""
    mapping = options.mapping
    if mapping not in registry.CSV_MAPPINGS:
        raise ValidationFailed(f"mapping must be one of {', '.join(registry.CSV_MAPPINGS)}", field="mapping")
    return _run(request, "csv", files, mapping=mapping)


@router.post("/github", response={200: ImportReportOut, **ERRORS})
def import_github(request: HttpRequest, files: File[list[UploadedFile]]) -> dict[str, Any]:
    """Import saved GitHub API bundles ({"user", "repos", "pull_requests", "events", "pr_repos",
    "languages"}, or a bare /users/{login} object); each bad bundle is an entry in `errors`."""
    return _run(request, "github", files)
