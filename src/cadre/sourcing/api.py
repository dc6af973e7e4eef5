"""REST endpoints for imports: POST /api/imports/{source} with multipart files, returning the report."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from ninja import File, Query, Router, Schema, UploadedFile

from cadre.api.schemas import ERRORS
from cadre.core.exceptions import ValidationFailed
from cadre.core.services import require_editor
from cadre.sourcing.importers import registry
from cadre.sourcing.importers.base import MAX_FILE_BYTES

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
    require_editor(request.user)
    if not files:
        raise ValidationFailed("attach at least one file", field="files")
    with tempfile.TemporaryDirectory(prefix="cadre-import-") as tmp:
        paths = []
        for number, upload in enumerate(files):
            if upload.size is not None and upload.size > MAX_FILE_BYTES:
                raise ValidationFailed(f"{upload.name} is larger than 10 MB", field="files")
            name = Path(upload.name or f"upload-{number}").name or f"upload-{number}"
            folder = Path(tmp) / str(number)  # keeps two uploads with the same name apart
            folder.mkdir()
            path = folder / name
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            paths.append(path)
        report = registry.importer_for(source, actor=request.user, **options).run(paths, via="api")
    return report.as_dict()


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
