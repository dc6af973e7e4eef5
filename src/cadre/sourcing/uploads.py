"""Run an importer on uploaded files (REST API and the web Import page share this one path).

Uploads are written to a temporary folder only for the importer to read; the folder is gone when the
import ends. What is kept is what the importer keeps: resumes as attachments, every input's content in
its SourceRecord.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from cadre.core.exceptions import ValidationFailed
from cadre.core.services import require_editor
from cadre.sourcing.importers import registry
from cadre.sourcing.importers.base import MAX_FILE_BYTES, ImportReport

MAX_UPLOAD_FILES = 50


class Upload(Protocol):
    name: str | None
    size: int | None

    def chunks(self) -> Any: ...


def import_uploads(
    actor: Any, source: str, uploads: Sequence[Upload], *, via: str, **options: Any
) -> ImportReport:
    """The import report; ValidationFailed when nothing usable was sent or a file is over the limit
    (refused before anything is written)."""
    require_editor(actor)
    if not uploads:
        raise ValidationFailed("attach at least one file", field="files")
    if len(uploads) > MAX_UPLOAD_FILES:
        raise ValidationFailed(f"attach at most {MAX_UPLOAD_FILES} files at a time", field="files")
    for upload in uploads:
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise ValidationFailed(
                f"{upload.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", field="files"
            )
    try:
        importer = registry.importer_for(source, actor=actor, **options)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from exc
    with tempfile.TemporaryDirectory(prefix="cadre-import-") as tmp:
        paths = []
        for number, upload in enumerate(uploads):
            name = Path(upload.name or "").name or f"upload-{number}"
            folder = Path(tmp) / str(number)  # keeps two uploads with the same name apart
            folder.mkdir()
            path = folder / name
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            paths.append(path)
        return importer.run(paths, via=via)
